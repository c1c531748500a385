//! An open label set on the real binary: a hand-made four-label CoNLL-2003-style test set
//! (`tests/data/conll2003/`, PER, ORG, LOC, MISC) through `score`, `convert`, `eval`,
//! `report` and `validate`, with strict counts equal to conlleval's.
//!
//! # conlleval's counts, by hand
//!
//! Gold (9 chunks) and predictions (9 chunks) of the three sentences:
//!
//! ```text
//! d1  John Smith  PER  = PER          correct
//!     Acme Corp   ORG  ~ Acme ORG     wrong boundary: not a correct chunk
//!     Berlin      LOC  = LOC          correct
//! d2  German      MISC = MISC         correct
//!     France      ORG  ~ France LOC   wrong type: not a correct chunk
//!     Paris       LOC  = LOC          correct
//!     -                  Sunday MISC  spurious
//! d3  Maria Lopez PER  = PER          correct
//!     United Nations ORG = ORG        correct
//!     New York    LOC  -              missed
//! ```
//!
//! conlleval counts, per type, the gold chunks ("found correct"), the guessed chunks ("found
//! guessed") and the chunks right in both boundaries and type ("correct"):
//!
//! ```text
//!          gold  guessed  correct   precision      recall        FB1
//! PER         2        2        2     100.00%     100.00%     100.00
//! ORG         3        2        1      50.00%      33.33%      40.00
//! LOC         3        3        2      66.67%      66.67%      66.67
//! MISC        1        2        1      50.00%     100.00%      66.67
//! overall     9        9        6      66.67%      66.67%      66.67
//! ```
//!
//! Our strict scheme gives the same overall counts: correct 6, possible (gold) 9, actual
//! (guessed) 9, so P = R = F1 = 6/9. Per label, `correct` and `possible` are conlleval's
//! correct and gold; conlleval's "guessed" per type counts predictions by their *own* label,
//! which is the predicted column of our confusion matrix (we count a pair under its gold
//! label, so "France" predicted LOC is an incorrect ORG in our per-label table).

use crate::common;

use std::fs;

use common::{repo, stderr, stdout, tagbench, tagbench_in};
use serde_json::Value;
use tempfile::TempDir;

const DIR: &str = "tests/data/conll2003";
const GOLD_CSV: &str = "tests/data/conll2003/annotations.csv";
const PRED_CSV: &str = "tests/data/conll2003/pred.csv";
const TEXTS: &str = "tests/data/conll2003/texts";
const GOLD_CONLL: &str = "tests/data/conll2003/gold.conll";
const PRED_CONLL: &str = "tests/data/conll2003/pred.conll";
const VARIANT: &str = "tests/data/conll2003/variants/names.toml";

/// (label, gold, guessed, correct), from the table above; `None` is overall.
const CONLLEVAL: [(Option<&str>, u64, u64, u64); 5] = [
    (Some("PER"), 2, 2, 2),
    (Some("ORG"), 3, 2, 1),
    (Some("LOC"), 3, 3, 2),
    (Some("MISC"), 1, 2, 1),
    (None, 9, 9, 6),
];

fn json(a: &assert_cmd::assert::Assert) -> Value {
    serde_json::from_str(&stdout(a)).expect("JSON output")
}

/// Checks a JSON report against conlleval's counts.
fn assert_conlleval(report: &Value, what: &str) {
    let strict = &report["schemes"]["strict"];
    let labels: Vec<&str> = report["confusion"]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        ["PER", "ORG", "LOC", "MISC", "none"],
        "{what}: labels.toml order"
    );
    let matrix = &report["confusion"]["matrix"];
    for (label, gold, guessed, correct) in CONLLEVAL {
        let c = match label {
            Some(l) => &strict["by_label"][l],
            None => &strict["overall"],
        };
        assert_eq!(c["possible"], gold, "{what}: {label:?} gold");
        assert_eq!(c["correct"], correct, "{what}: {label:?} correct");
        let guessed_here = match label {
            // The column of the predicted label, every row (gold labels and none).
            Some(l) => {
                let j = labels.iter().position(|x| *x == l).unwrap();
                (0..labels.len())
                    .map(|i| matrix[i][j].as_u64().unwrap())
                    .sum::<u64>()
            }
            None => c["actual"].as_u64().unwrap(),
        };
        assert_eq!(guessed_here, guessed, "{what}: {label:?} guessed");
    }
    let o = &strict["overall"];
    for key in ["precision", "recall", "f1"] {
        let x = o[key].as_f64().unwrap();
        assert!((x - 6.0 / 9.0).abs() < 1e-4, "{what}: {key} {x}");
    }
    // Macro over the four declared labels: (1 + 1/3 + 4/5 + 2/3) / 4 strict F1s.
    let want = (1.0 + 1.0 / 3.0 + 0.8 + 2.0 / 3.0) / 4.0;
    let got = report["macro"]["strict"]["f1"].as_f64().unwrap();
    assert!((got - want).abs() < 1e-4, "{what}: macro F1 {got}");
}

#[test]
fn score_gives_conllevals_counts_from_csv_and_from_bio() {
    let csv = tagbench(&[
        "score", "--gold", GOLD_CSV, "--pred", PRED_CSV, "--texts", TEXTS, "--format", "json",
    ])
    .code(0);
    assert_conlleval(&json(&csv), "csv");
    let bio = tagbench(&[
        "score", "--gold", GOLD_CONLL, "--pred", PRED_CONLL, "--format", "json",
    ])
    .code(0);
    assert_conlleval(&json(&bio), "conll");
    // A BIO gold with CSV predictions, read against the texts.
    let mixed = tagbench(&[
        "score", "--gold", GOLD_CONLL, "--pred", PRED_CSV, "--texts", TEXTS, "--format", "json",
    ])
    .code(0);
    assert_conlleval(&json(&mixed), "conll gold, csv predictions");
    // The table lists the four labels in the declared order.
    let table = stdout(&tagbench(&["score", "--gold", GOLD_CSV, "--pred", PRED_CSV]).code(0));
    let rows: Vec<&str> = table
        .lines()
        .skip(2)
        .take(5)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(rows, ["PER", "ORG", "LOC", "MISC", "overall"], "{table}");
}

#[test]
fn convert_writes_the_hand_made_bio_and_reads_it_back() {
    let tmp = TempDir::new().unwrap();
    for (csv, conll) in [(GOLD_CSV, GOLD_CONLL), (PRED_CSV, PRED_CONLL)] {
        let out = tmp.path().join("out.conll");
        let a = tagbench(&["convert", csv, "--texts", TEXTS, out.to_str().unwrap()]).code(0);
        assert!(stderr(&a).contains("wrote 9 of 9 spans"), "{}", stderr(&a));
        assert_eq!(
            fs::read_to_string(&out).unwrap(),
            fs::read_to_string(repo().join(conll)).unwrap(),
            "{csv} as BIO"
        );
        let back = tmp.path().join("back.csv");
        tagbench(&["convert", conll, "--texts", TEXTS, back.to_str().unwrap()]).code(0);
        assert_eq!(
            fs::read_to_string(&back).unwrap(),
            fs::read_to_string(repo().join(csv)).unwrap(),
            "{conll} back to csv"
        );
    }
}

#[test]
fn eval_report_and_validate_take_the_four_label_gold_folder() {
    // The variant's gazetteer predicts the spans and labels of pred.csv.
    let eval = tagbench(&[
        "eval",
        "--gold",
        DIR,
        "--variant",
        VARIANT,
        "--format",
        "json",
    ]);
    assert_conlleval(&json(&eval.code(0)), "eval");
    let v = tagbench(&[
        "validate",
        "--gold",
        DIR,
        "--gazetteer",
        "tests/data/conll2003/gazetteer",
        "--variants-dir",
        "tests/data/conll2003/variants",
    ])
    .code(0);
    assert!(stdout(&v).contains("ok: no problems"), "{}", stdout(&v));
    let html = stdout(&tagbench(&["report", "--gold", DIR, "--variant", VARIANT]).code(0));
    for l in ["PER", "ORG", "LOC", "MISC"] {
        assert!(html.contains(&format!("value=\"{l}\"")), "label filter {l}");
    }
    assert!(
        !html.contains("g-ACTOR"),
        "no label of this repository's gold"
    );
}

#[test]
fn a_label_only_predictions_use_is_listed_last_and_left_out_of_the_macro() {
    let tmp = TempDir::new().unwrap();
    let pred = fs::read_to_string(repo().join(PRED_CSV)).unwrap();
    fs::write(
        tmp.path().join("pred.csv"),
        pred.replace("d2,40,46,MISC,Sunday,", "d2,40,46,DATE,Sunday,"),
    )
    .unwrap();
    let gold = repo().join(GOLD_CSV);
    let texts = repo().join(TEXTS);
    let a = tagbench_in(
        tmp.path(),
        &[
            "score",
            "--gold",
            gold.to_str().unwrap(),
            "--pred",
            "pred.csv",
            "--texts",
            texts.to_str().unwrap(),
            "--format",
            "json",
        ],
    )
    .code(0);
    let r = json(&a);
    assert_eq!(
        r["confusion"]["labels"],
        serde_json::json!(["PER", "ORG", "LOC", "MISC", "DATE", "none"])
    );
    assert_eq!(r["schemes"]["strict"]["by_label"]["DATE"]["spurious"], 1);
    assert_eq!(r["schemes"]["strict"]["by_label"]["MISC"]["actual"], 1);
    // Macro over the gold's four labels: MISC is now 1/1, DATE is not averaged in.
    let want = (1.0 + 1.0 / 3.0 + 0.8 + 1.0) / 4.0;
    let got = r["macro"]["strict"]["f1"].as_f64().unwrap();
    assert!((got - want).abs() < 1e-4, "macro F1 {got}");
}

/// Runs `score` of the CoNLL-2003-style set with `extra` flags; returns the JSON report and
/// standard error.
fn score_with(extra: &[&str]) -> (Value, String) {
    let mut args = vec![
        "score", "--gold", GOLD_CSV, "--pred", PRED_CSV, "--texts", TEXTS, "--format", "json",
    ];
    args.extend(extra);
    let a = tagbench(&args).code(0);
    (json(&a), stderr(&a))
}

/// `[correct, incorrect, missed, spurious, possible, actual]` of a counts object.
fn counts(c: &Value) -> [u64; 6] {
    [
        "correct",
        "incorrect",
        "missed",
        "spurious",
        "possible",
        "actual",
    ]
    .map(|k| c[k].as_u64().unwrap())
}

#[test]
fn label_map_folds_conll2003_onto_actor_and_place() {
    // PER, ORG -> ACTOR; LOC -> PLACE; MISC dropped (German from the gold; German and
    // Sunday from the predictions). Strict, by hand: John Smith, Maria Lopez, United Nations,
    // Berlin and Paris correct; Acme (gold Acme Corp) and France (gold ACTOR, predicted
    // PLACE) incorrect, both counted under ACTOR; New York missed.
    let (r, err) = score_with(&["--label-map", "PER=ACTOR,ORG=ACTOR,LOC=PLACE,MISC="]);
    assert_eq!(
        err,
        "tagbench: dropped 1 gold and 2 predicted mentions (labels mapped to nothing by \
         --label-map)\n"
    );
    let strict = &r["schemes"]["strict"];
    assert_eq!(counts(&strict["overall"]), [5, 2, 1, 0, 8, 7]);
    assert_eq!(counts(&strict["by_label"]["ACTOR"]), [3, 2, 0, 0, 5, 5]);
    assert_eq!(counts(&strict["by_label"]["PLACE"]), [2, 0, 1, 0, 3, 2]);
    assert_eq!(
        r["confusion"]["labels"],
        serde_json::json!(["ACTOR", "PLACE", "none"]),
        "the declared order, mapped"
    );
    // The same rules from a file, and on BIO files.
    let tmp = TempDir::new().unwrap();
    let map = tmp.path().join("conll-to-gold.txt");
    fs::write(
        &map,
        "# CoNLL-2003 onto this repository's labels\nPER=ACTOR, ORG=ACTOR\nLOC=PLACE\nMISC=\n",
    )
    .unwrap();
    let (from_file, _) = score_with(&["--label-map", map.to_str().unwrap()]);
    assert_eq!(from_file, r);
    let bio = tagbench(&[
        "score",
        "--gold",
        GOLD_CONLL,
        "--pred",
        PRED_CONLL,
        "--format",
        "json",
        "--label-map",
        map.to_str().unwrap(),
    ])
    .code(0);
    assert_eq!(json(&bio)["schemes"]["strict"], r["schemes"]["strict"]);
}

#[test]
fn labels_scores_only_the_labels_named() {
    // PER and LOC only: 4 gold (ORG x3, MISC) and 4 predicted (Acme, United Nations, German,
    // Sunday) mentions left out. France, predicted LOC, now pairs with nothing: spurious.
    let (r, err) = score_with(&["--labels", "PER,LOC"]);
    assert!(
        err.contains("dropped 4 gold and 4 predicted mentions (labels left out by --labels)"),
        "{err}"
    );
    assert_eq!(
        counts(&r["schemes"]["strict"]["overall"]),
        [4, 0, 1, 1, 5, 5]
    );
    assert_eq!(
        r["confusion"]["labels"],
        serde_json::json!(["PER", "LOC", "none"])
    );
    // Both flags: the map first, then the selection of mapped names. ACTOR = PER + ORG: 5
    // gold, 4 predicted (France, predicted LOC, is left out, so the gold France is missed);
    // John Smith, Maria Lopez and United Nations correct, Acme incorrect.
    let (both, _) = score_with(&["--label-map", "PER=ACTOR,ORG=ACTOR", "--labels", "ACTOR"]);
    assert_eq!(
        counts(&both["schemes"]["strict"]["overall"]),
        [3, 1, 1, 0, 5, 4]
    );
    // eval and report take them too.
    let eval = tagbench(&[
        "eval",
        "--gold",
        DIR,
        "--variant",
        VARIANT,
        "--format",
        "json",
        "--labels",
        "PER,LOC",
    ])
    .code(0);
    assert_eq!(
        counts(&json(&eval)["schemes"]["strict"]["overall"]),
        [4, 0, 1, 1, 5, 5]
    );
    let html = stdout(
        &tagbench(&[
            "report",
            "--gold",
            DIR,
            "--variant",
            VARIANT,
            "--labels",
            "PER,LOC",
        ])
        .code(0),
    );
    assert!(html.contains("value=\"LOC\"") && !html.contains("value=\"ORG\""));
}

#[test]
fn convert_applies_a_label_map() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out.csv");
    let a = tagbench(&[
        "convert",
        GOLD_CSV,
        "--texts",
        TEXTS,
        "--label-map",
        "ORG=ACTOR,MISC=",
        out.to_str().unwrap(),
    ])
    .code(0);
    assert!(
        stderr(&a).contains("dropped 1 of the input's mentions"),
        "{}",
        stderr(&a)
    );
    let csv = fs::read_to_string(&out).unwrap();
    assert!(
        csv.contains("d1,21,30,ACTOR,Acme Corp,") && !csv.contains("MISC"),
        "{csv}"
    );
    let bad = tagbench(&[
        "convert",
        GOLD_CSV,
        "--texts",
        TEXTS,
        "--label-map",
        "ORG=A B",
        "x.csv",
    ]);
    assert!(stderr(&bad.code(2)).contains("--label-map: invalid label \"A B\""));
}
