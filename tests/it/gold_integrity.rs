//! Integrity of the committed gold standard: these checks read the files directly (not
//! through the library), so a library bug cannot hide a gold bug.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// SHA-256 of the five seed texts, as received. The gold texts must stay byte-identical.
const SEEDS: [(&str, &str); 5] = [
    (
        "000_00b06ec917ecedbf",
        "c088ae8946105dbbb86969daf28b93dcef0e90352e54aa53baddad511ad0c54f",
    ),
    (
        "001_ff4f1ff15acc1bdf",
        "f3d60f020f5551275ef905463f2290dd616a9493b8b70e73a936b303aebc30fa",
    ),
    (
        "002_d31366d91d9c24c3",
        "8eb6dac09bbd0050e2a7364888424915e55bb598a2db22e68f76f17b9749cd54",
    ),
    (
        "003_504e93436d5192cb",
        "05438b8d1d7c4f7b65e5364b15d3e3bcf84da35a2e2c62da92cdd1e645b33a4f",
    ),
    (
        "004_e2ca1782c0837a43",
        "e749614281cdd1351854819dc36faf7e76a7fa05da93b71a8de2ca298dd42080",
    ),
];

struct Row {
    line: u64,
    doc: String,
    start: usize,
    end: usize,
    label: String,
    text: String,
    norm: String,
}

fn gold_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("gold")
}

fn texts() -> BTreeMap<String, Vec<char>> {
    SEEDS
        .iter()
        .map(|(id, _)| {
            let s = std::fs::read_to_string(gold_dir().join("texts").join(format!("{id}.txt")))
                .unwrap();
            (id.to_string(), s.chars().collect())
        })
        .collect()
}

fn rows() -> Vec<Row> {
    let mut rdr = csv::Reader::from_path(gold_dir().join("annotations.csv")).unwrap();
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        ["doc", "start", "end", "label", "text", "norm"]
    );
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            Row {
                line: r.position().unwrap().line(),
                doc: r[0].to_string(),
                start: r[1].parse().unwrap(),
                end: r[2].parse().unwrap(),
                label: r[3].to_string(),
                text: r[4].to_string(),
                norm: r[5].to_string(),
            }
        })
        .collect()
}

#[test]
fn texts_are_the_seeds_byte_for_byte() {
    let mut found: Vec<String> = std::fs::read_dir(gold_dir().join("texts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    found.sort();
    let want: Vec<String> = SEEDS.iter().map(|(id, _)| format!("{id}.txt")).collect();
    assert_eq!(found, want);
    for (id, hash) in SEEDS {
        let bytes = std::fs::read(gold_dir().join("texts").join(format!("{id}.txt"))).unwrap();
        let got: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(got, hash, "{id}.txt differs from its seed");
    }
}

#[test]
fn every_row_is_the_slice_it_claims() {
    let texts = texts();
    for r in rows() {
        let t = texts
            .get(&r.doc)
            .unwrap_or_else(|| panic!("line {}: unknown doc", r.line));
        assert!(r.start < r.end, "line {}: empty or reversed span", r.line);
        assert!(r.end <= t.len(), "line {}: past the end", r.line);
        let slice: String = t[r.start..r.end].iter().collect();
        assert_eq!(slice, r.text, "line {}", r.line);
        assert_eq!(
            slice.trim(),
            slice,
            "line {}: whitespace at an edge",
            r.line
        );
    }
}

#[test]
fn rows_are_sorted_and_never_overlap() {
    let rows = rows();
    for w in rows.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(
            (a.doc.as_str(), a.start) < (b.doc.as_str(), b.start),
            "line {}: not sorted by doc then start",
            b.line
        );
        if a.doc == b.doc {
            assert!(a.end <= b.start, "line {} overlaps line {}", b.line, a.line);
        }
    }
}

#[test]
fn labels_and_norms_are_well_formed() {
    for r in rows() {
        assert!(
            ["ACTOR", "PLACE", "FIGURE"].contains(&r.label.as_str()),
            "line {}: label {:?}",
            r.line,
            r.label
        );
        if r.label == "FIGURE" {
            assert!(
                r.norm.is_empty() || r.norm.parse::<u64>().is_ok(),
                "line {}: FIGURE norm {:?}",
                r.line,
                r.norm
            );
        } else {
            assert!(
                !r.norm.is_empty(),
                "line {}: ACTOR/PLACE without norm",
                r.line
            );
        }
    }
}

#[test]
fn a_surface_string_always_gets_the_same_label_and_norm() {
    // The guidelines give no exception in these texts; add one here only with a rule number.
    let mut seen: BTreeMap<String, (String, String, u64)> = BTreeMap::new();
    for r in rows() {
        let entry = seen
            .entry(r.text.clone())
            .or_insert((r.label.clone(), r.norm.clone(), r.line));
        assert_eq!(
            (&entry.0, &entry.1),
            (&r.label, &r.norm),
            "line {}: {:?} differs from line {}",
            r.line,
            r.text,
            entry.2
        );
    }
}

#[test]
fn counts_match_gold_readme() {
    let rows = rows();
    let count = |l: &str| rows.iter().filter(|r| r.label == l).count();
    assert_eq!(
        (count("ACTOR"), count("PLACE"), count("FIGURE"), rows.len()),
        (125, 66, 24, 215),
        "update gold/README.md's counts with the annotations"
    );
}
