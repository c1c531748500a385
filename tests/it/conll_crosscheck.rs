//! Cross-check: tagbench's strict scheme equals conlleval's chunk scores on a BIO export.
//!
//! The fixture (`tests/data/conll_crosscheck/`) is one text, a hand-made gold (9 mentions)
//! and hand-made predictions (10 mentions). Both are exported to BIO with `tagbench convert`;
//! pasted side by side (sentences separated by blank lines), they read:
//!
//! ```text
//! token         gold      predicted
//! The           O         O
//! UN            B-ACTOR   B-ACTOR
//! envoy         O         O
//! met           O         O
//! Assimi        B-ACTOR   O
//! Goïta         I-ACTOR   B-ACTOR
//! in            O         O
//! Bamako        B-PLACE   B-ACTOR
//! on            O         O
//! Monday        O         B-ACTOR
//! .             O         O
//!
//! Wagner        B-ACTOR   B-ACTOR
//! fighters      O         I-ACTOR
//! left          O         O
//! Mali          B-PLACE   B-PLACE
//! for           O         O
//! Niger         B-PLACE   O
//! .             O         O
//!
//! More          O         O
//! than          O         O
//! 13,000        B-FIGURE  B-FIGURE
//! peacekeepers  O         B-ACTOR
//! stayed        O         O
//! in            O         O
//! Gao           B-PLACE   B-PLACE
//! and           O         O
//! Timbuktu      B-PLACE   B-PLACE
//! .             O         O
//! ```
//!
//! conlleval's counts, by hand. A chunk is correct when the gold and the predicted chunk start
//! on the same token, end on the same token and have the same type.
//!
//! - gold chunks ("found correct"): UN, Assimi Goïta, Bamako, Wagner, Mali, Niger, 13,000,
//!   Gao, Timbuktu = **9**
//! - predicted chunks ("found guessed"): UN, Goïta, Bamako (ACTOR), Monday, Wagner fighters,
//!   Mali, 13,000, peacekeepers, Gao, Timbuktu = **10**
//! - correct chunks: UN, Mali, 13,000, Gao, Timbuktu = **5** (Goïta starts late, Bamako has
//!   the wrong type, "Wagner fighters" ends late; Niger is missed; Monday and peacekeepers
//!   are spurious)
//! - precision 5/10 = 0.5000, recall 5/9 = 0.5556, F1 = 2·5/(10+9) = 10/19 = 0.5263.
//!
//! tagbench's strict scheme must give correct 5, actual 10, possible 9 and the same P, R
//! and F1, whether it reads the CSV files with the texts or the two BIO files alone (their
//! text rebuilt from the tokens). An independent implementation of conlleval's chunk rules
//! below reads the BIO files too and must find the same three counts.

use crate::common;
use common::{stderr, tagbench};

use std::fs;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

const DIR: &str = "tests/data/conll_crosscheck";

/// conlleval's `endOfChunk` / `startOfChunk` for IOB tags: a chunk ends before `O`, before a
/// `B-`, before an `I-` of another type, and at a sentence boundary; it starts at a `B-`, or
/// at an `I-` after `O` or after another type.
fn chunks(tags: &[&str]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, tag) in tags.iter().chain(std::iter::once(&"O")).enumerate() {
        let (prefix, ty) = match tag.split_once('-') {
            Some((p, t)) => (p, t.to_string()),
            None => ("O", String::new()),
        };
        let continues = prefix == "I" && open.as_ref().is_some_and(|(_, t)| *t == ty);
        if !continues {
            if let Some((start, t)) = open.take() {
                out.push((start, i, t));
            }
            if prefix == "B" || prefix == "I" {
                open = Some((i, ty));
            }
        }
    }
    out
}

/// (correct chunks, found guessed, found correct) of two BIO files with the same tokens.
fn conlleval_counts(gold: &str, pred: &str) -> (usize, usize, usize) {
    let (g, p): (Vec<&str>, Vec<&str>) = (gold.lines().collect(), pred.lines().collect());
    assert_eq!(g.len(), p.len(), "the exports have the same lines");
    let (mut correct, mut guessed, mut found) = (0, 0, 0);
    let mut sentence: Vec<(&str, &str)> = Vec::new();
    let mut flush = |s: &mut Vec<(&str, &str)>| {
        let gold_tags: Vec<&str> = s.iter().map(|x| x.0).collect();
        let pred_tags: Vec<&str> = s.iter().map(|x| x.1).collect();
        let (gc, pc) = (chunks(&gold_tags), chunks(&pred_tags));
        correct += pc.iter().filter(|c| gc.contains(c)).count();
        guessed += pc.len();
        found += gc.len();
        s.clear();
    };
    for (gl, pl) in g.iter().zip(&p) {
        let (gf, pf): (Vec<&str>, Vec<&str>) = (gl.split('\t').collect(), pl.split('\t').collect());
        if gl.is_empty() || gf[0] == "-DOCSTART-" {
            assert_eq!(gl, pl, "same boundaries");
            flush(&mut sentence);
            continue;
        }
        assert_eq!(gf[0], pf[0], "same token column");
        sentence.push((gf[1], pf[1]));
    }
    flush(&mut sentence);
    (correct, guessed, found)
}

fn strict(args: &[&str]) -> Value {
    let mut all = vec!["score", "--format", "json"];
    all.extend(args);
    let a = tagbench(&all).code(0);
    let report: Value = serde_json::from_slice(&a.get_output().stdout).expect("JSON");
    report["schemes"]["strict"]["overall"].clone()
}

fn assert_conlleval(s: &Value, how: &str) {
    let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("{k} in {s}"));
    assert_eq!(
        (n("correct"), n("actual"), n("possible")),
        (5, 10, 9),
        "{how}"
    );
    let f = |k: &str| s[k].as_f64().unwrap();
    // The report rounds to 4 decimals.
    assert_eq!(f("precision"), 0.5, "{how}");
    assert!((f("recall") - 5.0 / 9.0).abs() < 1e-4, "{how}: {s}");
    assert!((f("f1") - 10.0 / 19.0).abs() < 1e-4, "{how}: {s}");
}

#[test]
fn strict_scores_equal_conlleval_on_the_bio_export() {
    let tmp = TempDir::new().unwrap();
    let texts = format!("{DIR}/texts");
    let bio = |name: &str| tmp.path().join(format!("{name}.conll"));
    for name in ["gold", "pred"] {
        let out = bio(name);
        let a = tagbench(&[
            "convert",
            &format!("{DIR}/{name}.csv"),
            "--texts",
            &texts,
            out.to_str().unwrap(),
        ])
        .code(0);
        let n = if name == "gold" { 9 } else { 10 };
        assert!(
            stderr(&a).contains(&format!("wrote {n} of {n} spans; 0 not representable")),
            "{}",
            stderr(&a)
        );
    }
    let read = |p: &Path| fs::read_to_string(p).unwrap();
    assert_eq!(
        conlleval_counts(&read(&bio("gold")), &read(&bio("pred"))),
        (5, 10, 9)
    );

    let gold_csv = format!("{DIR}/gold.csv");
    let pred_csv = format!("{DIR}/pred.csv");
    assert_conlleval(
        &strict(&["--gold", &gold_csv, "--pred", &pred_csv, "--texts", &texts]),
        "csv with texts",
    );
    let (g, p) = (bio("gold"), bio("pred"));
    let (g, p) = (g.to_str().unwrap(), p.to_str().unwrap());
    assert_conlleval(&strict(&["--gold", g, "--pred", p]), "bio, rebuilt text");
    assert_conlleval(
        &strict(&["--gold", g, "--pred", p, "--texts", &texts]),
        "bio aligned with the texts",
    );
    assert_conlleval(
        &strict(&["--gold", &gold_csv, "--pred", p, "--texts", &texts]),
        "csv gold, bio predictions",
    );
}

#[test]
fn the_chunk_rules_are_conllevals() {
    // IOB1: an I- after O starts a chunk; a B- always does; a type change ends one.
    let tags = ["I-ACTOR", "I-ACTOR", "B-ACTOR", "I-PLACE", "O", "I-FIGURE"];
    assert_eq!(
        chunks(&tags),
        [
            (0, 2, "ACTOR".to_string()),
            (2, 3, "ACTOR".to_string()),
            (3, 4, "PLACE".to_string()),
            (5, 6, "FIGURE".to_string())
        ]
    );
}
