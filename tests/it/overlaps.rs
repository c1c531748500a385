//! Nested and overlapping gold mentions (`--allow-overlaps`): refused without the flag, with
//! an error naming both mentions; read from CSV, JSONL, brat and Label Studio with it, and
//! scored one to one; drawn nested in the HTML report; left out of BIO, which cannot hold
//! them, with a note.
//!
//! The text is "The University of Bamako is in Mali." with ORG "University of Bamako"
//! (4..24), LOC "Bamako" nested in it (18..24) and LOC "Mali" (31..35). The predictions find
//! the ORG and "Mali" but not the nested LOC: 2 correct and 1 missed under every scheme (the
//! exact-boundary pairs come first, and the nested gold LOC is then left without a partner).

use std::fs;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

use crate::common::{stderr, stdout, tagbench_in};

const TEXT: &str = "The University of Bamako is in Mali.";
const GOLD: &str = "doc,start,end,label,text,norm\n\
                    d,4,24,ORG,University of Bamako,\n\
                    d,18,24,LOC,Bamako,\n\
                    d,31,35,LOC,Mali,\n";
const PRED: &str = concat!(
    r#"{"id": "d", "text": "The University of Bamako is in Mali.", "spans": ["#,
    r#"{"start": 4, "end": 24, "label": "ORG"}, {"start": 31, "end": 35, "label": "LOC"}]}"#,
    "\n"
);

/// A gold folder (`g/`) with nested mentions, and the predictions (`pred.jsonl`).
fn setup() -> TempDir {
    let dir = TempDir::new().unwrap();
    let g = dir.path().join("g");
    fs::create_dir_all(g.join("texts")).unwrap();
    fs::write(g.join("texts/d.txt"), TEXT).unwrap();
    fs::write(g.join("annotations.csv"), GOLD).unwrap();
    fs::write(dir.path().join("pred.jsonl"), PRED).unwrap();
    dir
}

fn strict_overall(dir: &Path, gold: &str) -> Value {
    let a = tagbench_in(
        dir,
        &[
            "score",
            "--gold",
            gold,
            "--pred",
            "pred.jsonl",
            "--allow-overlaps",
            "--format",
            "json",
        ],
    )
    .code(0);
    let v: Value = serde_json::from_str(&stdout(&a)).unwrap();
    v["schemes"]["strict"]["overall"].clone()
}

#[test]
fn nested_gold_is_an_error_naming_both_mentions_without_the_flag() {
    let dir = setup();
    let a = tagbench_in(
        dir.path(),
        &["score", "--gold", "g", "--pred", "pred.jsonl"],
    )
    .code(2);
    assert_eq!(
        stderr(&a).trim_end(),
        "tagbench: error: g/annotations.csv:3: span 18..24 \"Bamako\" overlaps span 4..24 \
         \"University of Bamako\" on line 2",
    );
}

#[test]
fn nested_gold_in_every_format_that_holds_it_is_scored_one_to_one() {
    let dir = setup();
    // CSV (the gold folder), then the same data converted to JSONL, brat and Label Studio.
    let o = strict_overall(dir.path(), "g");
    assert_eq!(
        (&o["correct"], &o["missed"], &o["spurious"], &o["possible"]),
        (
            &Value::from(2),
            &Value::from(1),
            &Value::from(0),
            &Value::from(3)
        ),
        "csv: {o}"
    );
    for (to, out) in [
        ("jsonl", "gold.jsonl"),
        ("brat", "brat"),
        ("labelstudio", "gold.json"),
    ] {
        tagbench_in(
            dir.path(),
            &["convert", "--to", to, "g/annotations.csv", out],
        )
        .code(0);
        assert_eq!(strict_overall(dir.path(), out), o, "{to}");
        // Without the flag, each is refused.
        let a = tagbench_in(
            dir.path(),
            &["score", "--gold", out, "--pred", "pred.jsonl"],
        )
        .code(2);
        assert!(
            stderr(&a).contains("overlaps span 4..24"),
            "{to}: {}",
            stderr(&a)
        );
    }
}

#[test]
fn bio_leaves_nested_mentions_out_and_says_so() {
    let dir = setup();
    let a = tagbench_in(
        dir.path(),
        &[
            "convert",
            "--to",
            "conll",
            "g/annotations.csv",
            "gold.conll",
        ],
    )
    .code(0);
    let err = stderr(&a);
    assert!(err.contains("overlaps another span"), "{err}");
    let bio = fs::read_to_string(dir.path().join("gold.conll")).unwrap();
    assert!(
        bio.contains("University\tB-ORG\nof\tI-ORG\nBamako\tI-ORG\n"),
        "{bio}"
    );
}

#[test]
fn the_report_draws_a_nested_gold_mention_inside_its_parent() {
    let dir = setup();
    tagbench_in(
        dir.path(),
        &[
            "report",
            "--gold",
            "g",
            "--allow-overlaps",
            "--system",
            "p=pred.jsonl",
            "--out",
            "r.html",
        ],
    )
    .code(0);
    let html = fs::read_to_string(dir.path().join("r.html")).unwrap();
    let text = html.find("class=\"text\">").expect("the text");
    let html = &html[text..];
    let outer = html
        .find("data-start=\"4\" data-end=\"24\"")
        .expect("the ORG mark");
    let inner = html
        .find("data-start=\"18\" data-end=\"24\"")
        .expect("the nested LOC mark");
    assert!(outer < inner, "the LOC mark opens inside the ORG mark");
    let between = &html[outer..inner];
    assert!(between.contains("University of "), "{between}");
    assert!(
        !between.contains("</span>"),
        "the ORG mark is still open: {between}"
    );
}

#[test]
fn perturb_and_stress_refuse_the_flag() {
    let dir = setup();
    for args in [
        &["perturb", "--gold", "g", "--out", "p", "--allow-overlaps"][..],
        &["stress", "default", "--gold", "g", "--allow-overlaps"][..],
    ] {
        let a = tagbench_in(dir.path(), args).code(2);
        assert!(
            stderr(&a).contains("does not take --allow-overlaps"),
            "{}",
            stderr(&a)
        );
        assert!(!dir.path().join("p").exists());
    }
}
