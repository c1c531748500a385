//! `tagbench perturb` on the real binary: the committed gold perturbed in a temporary folder.
//! Every sub-folder is a gold folder that scores 1 against itself, the same seed writes
//! the same bytes, `--only` writes only what it names (the same bytes as a full run), and a
//! rerun into the same folder removes texts that are not the dataset's. `tagbench stress`
//! gives the numbers `eval` gives on what `perturb` writes, runs a command on every perturbed
//! text, refuses predictions files, and writes no page when a system fails.

use crate::common;
use common::{stderr, stdout, tagbench, tagbench_in};

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use tempfile::TempDir;

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn perturb(out: &Path, extra: &[&str]) -> String {
    let out = out.to_str().unwrap();
    let mut args = vec!["perturb", "--out", out];
    args.extend(extra);
    let a = tagbench(&args).success();
    stdout(&a)
}

const NAMES: [&str; 17] = [
    "upper",
    "lower",
    "title",
    "no-accents",
    "name-newline",
    "name-double-space",
    "name-nbsp",
    "apostrophes",
    "possessive",
    "typo-swap",
    "typo-drop",
    "typo-double",
    "digits-spaced",
    "digits-joined",
    "digits-to-words",
    "words-to-digits",
    "swap-names",
];

#[test]
fn every_perturbation_writes_a_gold_folder_that_scores_1_against_itself() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("p");
    let table = perturb(&out, &[]);
    let rows: Vec<&str> = table
        .lines()
        .skip(1)
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(rows, NAMES, "{table}");
    let gold_texts = files(&common::repo().join("gold/texts"));
    for name in NAMES {
        let dir = out.join(name);
        let written = files(&dir);
        assert!(written.contains_key("annotations.csv"), "{name}");
        let texts: Vec<&String> = written.keys().filter(|k| k.starts_with("texts")).collect();
        assert_eq!(
            texts.len(),
            gold_texts.len(),
            "{name}: one text per gold text"
        );
        // `score` checks a gold against its texts (the slices, no overlap) as `eval` and
        // `validate` do, without building a tagger: gold against itself scores 1.
        let a = tagbench_in(
            &dir,
            &[
                "score",
                "--gold",
                "annotations.csv",
                "--pred",
                "annotations.csv",
                "--texts",
                "texts",
                "--format",
                "csv",
            ],
        )
        .success();
        let out = stdout(&a);
        assert!(
            out.contains("strict,overall,215,0,0,0,0,215,215,1.0,1.0,1.0\n"),
            "{name}: {out}"
        );
    }
    // Each perturbation changed something of the gold, and the table says what.
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert!(
            cols[1].parse::<usize>().unwrap() > 0,
            "{line}: no document changed"
        );
        assert_eq!(cols[4], "0", "{line}: no edit skipped on the gold");
    }
}

#[test]
fn same_seed_same_bytes_and_only_writes_what_it_names() {
    let tmp = TempDir::new().unwrap();
    let (a, b, c, d) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
        tmp.path().join("d"),
    );
    perturb(&a, &["--seed", "42"]);
    perturb(&b, &["--seed", "42"]);
    assert_eq!(files(&a), files(&b));
    // --only, as a list or repeated, writes the same bytes as the full run, and nothing else.
    let table = perturb(
        &c,
        &[
            "--seed",
            "42",
            "--only",
            "typo-drop,swap-names",
            "--only",
            "upper",
        ],
    );
    assert_eq!(table.lines().count(), 4, "{table}");
    let only = files(&c);
    let full = files(&a);
    assert!(!only.is_empty());
    for (k, v) in &only {
        assert!(
            ["typo-drop/", "swap-names/", "upper/"]
                .iter()
                .any(|p| k.starts_with(p)),
            "{k}"
        );
        assert_eq!(Some(v), full.get(k), "{k}");
    }
    // Another seed moves the typos and the swaps, not the case changes.
    perturb(
        &d,
        &["--seed", "43", "--only", "typo-drop,swap-names,upper"],
    );
    let other = files(&d);
    assert_ne!(
        other["typo-drop/annotations.csv"],
        only["typo-drop/annotations.csv"]
    );
    assert_ne!(
        other["swap-names/annotations.csv"],
        only["swap-names/annotations.csv"]
    );
    assert_eq!(
        other["upper/annotations.csv"],
        only["upper/annotations.csv"]
    );
}

#[test]
fn a_rerun_replaces_the_dataset_and_removes_stale_texts() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("p");
    perturb(&out, &["--only", "lower"]);
    let before = files(&out);
    fs::write(out.join("lower/texts/stale.txt"), "old").unwrap();
    fs::write(out.join("lower/annotations.csv"), "old").unwrap();
    fs::write(out.join("lower/notes.md"), "mine").unwrap();
    perturb(&out, &["--only", "lower"]);
    let mut after = files(&out);
    assert_eq!(
        after.remove("lower/notes.md").as_deref(),
        Some(&b"mine"[..])
    );
    assert_eq!(after, before);
}

#[test]
fn a_swap_list_of_ones_own() {
    let tmp = TempDir::new().unwrap();
    fs::write(
        tmp.path().join("swaps.csv"),
        "label,text,norm\nPLACE,Atlantis,Atlantis\nFIGURE,42,42\n",
    )
    .unwrap();
    let gold = common::repo().join("gold");
    let a = tagbench_in(
        tmp.path(),
        &[
            "perturb",
            "--gold",
            gold.to_str().unwrap(),
            "--out",
            "p",
            "--swaps",
            "swaps.csv",
            "--only",
            "swap-names",
        ],
    )
    .success();
    assert!(stderr(&a).is_empty());
    let csv = fs::read_to_string(tmp.path().join("p/swap-names/annotations.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    for r in &rows {
        match r[3] {
            "PLACE" => assert_eq!((r[4], r[5]), ("Atlantis", "Atlantis")),
            // Values swap to 42; vague figures have no entry of their kind and stay.
            "FIGURE" if !r[5].is_empty() => assert_eq!((r[4], r[5]), ("42", "42")),
            "ACTOR" => assert_ne!(r[4], "Atlantis", "no ACTOR entry: actors stay"),
            _ => {}
        }
    }
    assert!(rows.iter().any(|r| r[3] == "PLACE"));
}

// ---- tagbench stress ----

/// Strict overall F1 from `eval --format json`.
fn eval_f1(gold: &Path, system: &str) -> f64 {
    let a = tagbench(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        "--system",
        system,
        "--format",
        "json",
    ])
    .success();
    let v: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    v["schemes"]["strict"]["overall"]["f1"].as_f64().unwrap()
}

#[test]
fn stress_equals_eval_on_what_perturb_writes() {
    let tmp = TempDir::new().unwrap();
    let html = tmp.path().join("stress.html");
    let args = [
        "stress",
        "default",
        "--only",
        "upper,name-newline",
        "--format",
        "json",
        "--html",
        html.to_str().unwrap(),
    ];
    let a = tagbench(&args).success();
    let json = stdout(&a);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let sys = &v["systems"][0];
    assert_eq!(sys["name"], "default");
    let clean = sys["clean"]["f1"].as_f64().unwrap();
    assert_eq!(clean, eval_f1(&common::repo().join("gold"), "default"));
    // The same numbers as eval on perturb's folders.
    let out = tmp.path().join("p");
    perturb(&out, &["--only", "upper,name-newline"]);
    let cells = sys["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 2);
    for (cell, name) in cells.iter().zip(["upper", "name-newline"]) {
        assert_eq!(cell["perturbation"], name);
        let f1 = cell["score"]["f1"].as_f64().unwrap();
        assert_eq!(f1, eval_f1(&out.join(name), "default"), "{name}");
        assert!((cell["delta"].as_f64().unwrap() - (f1 - clean)).abs() < 1e-12);
        let (lo, hi) = (
            cell["delta_lo"].as_f64().unwrap(),
            cell["delta_hi"].as_f64().unwrap(),
        );
        assert!(
            lo <= f1 - clean + 1e-12 && f1 - clean - 1e-12 <= hi,
            "{cell}"
        );
        assert_eq!(cell["units"], 65);
    }
    // Upper case costs the exact-case tagger most names; a line break inside one, nothing.
    assert!(cells[0]["delta_hi"].as_f64().unwrap() < 0.0);
    assert!(cells[0]["lost"].as_u64().unwrap() > 50);
    assert_eq!(cells[0]["examples"][0]["perturbed"]["text"], "MALI");
    assert_eq!(cells[1]["delta"], 0.0);
    assert_eq!(cells[1]["lost"], 0);
    // Deterministic, the page too.
    let page = fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("id=\"p-name-newline\""));
    assert!(
        page.contains("“Mali” → “MALI”"),
        "the example is on the page"
    );
    let again = tagbench(&args).success();
    assert_eq!(stdout(&again), json);
    assert_eq!(fs::read_to_string(&html).unwrap(), page);
}

#[test]
fn stress_runs_a_command_on_every_perturbed_text() {
    let a = tagbench(&[
        "stress",
        "tiny=cmd:python3 tests/data/systems/tagger.py ok",
        "--only",
        "lower,name-nbsp",
    ])
    .success();
    let t = stdout(&a);
    // The tiny tagger knows "Mali", "Niger" and "UN" in this case only.
    let row = |name: &str| {
        t.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} in {t}"))
            .to_string()
    };
    assert!(t.contains("tiny: strict F1 "), "{t}");
    assert!(row("lower").contains("\"Mali\" -> \"mali\": missed"), "{t}");
    assert!(row("lower").contains("*"), "{t}");
    // No name it knows has a space inside.
    assert!(
        row("name-nbsp").contains("+0.000  [+0.000,+0.000]       0       0"),
        "{t}"
    );
    for f in ["markdown", "csv"] {
        let a = tagbench(&[
            "stress",
            "tiny=cmd:python3 tests/data/systems/tagger.py ok",
            "--only",
            "lower",
            "--format",
            f,
        ])
        .success();
        assert!(stdout(&a).contains("tiny"), "{f}");
    }
}

#[test]
fn stress_refuses_predictions_and_writes_no_page_on_failure() {
    let tmp = TempDir::new().unwrap();
    let html = tmp.path().join("s.html");
    let a = tagbench(&[
        "stress",
        "gold/annotations.csv",
        "--html",
        html.to_str().unwrap(),
    ])
    .code(2);
    assert!(
        stderr(&a).contains(
            "system \"gold/annotations.csv\" is predictions read from gold/annotations.csv: \
             they were made on the clean texts and cannot tag a perturbed one"
        ),
        "{}",
        stderr(&a)
    );
    let a = tagbench(&[
        "stress",
        "default",
        "cmd:python3 tests/data/systems/tagger.py exit",
        "--only",
        "upper",
        "--html",
        html.to_str().unwrap(),
    ])
    .code(2);
    assert!(
        stderr(&a).contains("exit status 3") || stderr(&a).contains("failed"),
        "{}",
        stderr(&a)
    );
    assert!(!html.exists());
    assert!(stdout(&a).is_empty());
}

#[test]
fn readme_shows_the_default_variants_stress_block_as_printed() {
    let readme = fs::read_to_string(common::repo().join("README.md")).unwrap();
    let marker = "Then one block per system; the default's:\n\n```text\n";
    let start = readme
        .find(marker)
        .expect("the README shows the default's block")
        + marker.len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let a = tagbench(&["stress", "default"]).success();
    let out = stdout(&a);
    let block = &out[out.find("default: strict F1").unwrap()..];
    assert_eq!(
        shown, block,
        "README.md is stale: paste `tagbench stress default`'s block"
    );
}
