//! `tagbench perturb` on the real binary: the committed gold perturbed in a temporary folder.
//! Every sub-folder is a gold folder that scores 1 against itself, the same seed writes
//! the same bytes, `--only` writes only what it names (the same bytes as a full run), and a
//! rerun into the same folder removes texts that are not the dataset's.

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
