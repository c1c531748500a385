//! Scores by bucket (`--by`) on the real binary: `eval`, `score`, `compare` and `report`.
//! The buckets of each grouping add up to the overall counts; per label and per document
//! they are the per-label and per-document counts; without `--by` nothing changes.

use crate::common;
use common::{stdout, tagbench};

use std::fs;

use serde_json::Value;
use tempfile::TempDir;

const COUNTS: [&str; 5] = ["correct", "incorrect", "partial", "missed", "spurious"];
const SCHEMES: [&str; 5] = ["strict", "exact", "partial", "type", "norm"];

fn json(args: &[&str]) -> Value {
    let a = tagbench(args).success();
    serde_json::from_str(&stdout(&a)).unwrap()
}

/// The buckets of one grouping: name -> that bucket.
fn grouping<'a>(v: &'a Value, by: &str) -> Vec<(&'a str, &'a Value)> {
    let g = v["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["by"] == by)
        .unwrap_or_else(|| panic!("no grouping {by}"));
    g["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["name"].as_str().unwrap(), b))
        .collect()
}

#[test]
fn eval_by_every_grouping_adds_up() {
    let v = json(&[
        "eval",
        "--by",
        "length,label,frequency",
        "--by",
        "document",
        "--format",
        "json",
    ]);
    let groupings: Vec<&str> = v["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["by"].as_str().unwrap())
        .collect();
    assert_eq!(groupings, ["length", "label", "frequency", "document"]);
    for by in groupings {
        let buckets = grouping(&v, by);
        for scheme in SCHEMES {
            for count in COUNTS {
                let sum: u64 = buckets
                    .iter()
                    .map(|(_, b)| b["schemes"][scheme][count].as_u64().unwrap())
                    .sum();
                assert_eq!(
                    sum,
                    v["schemes"][scheme]["overall"][count].as_u64().unwrap(),
                    "{by} {scheme} {count}"
                );
            }
        }
        let gold: u64 = buckets
            .iter()
            .map(|(_, b)| b["gold"].as_u64().unwrap())
            .sum();
        assert_eq!(gold, 215, "{by}");
    }
    // By label: the per-label counts; by document: the per-document counts.
    for (name, b) in grouping(&v, "label") {
        assert_eq!(
            b["schemes"]["strict"], v["schemes"]["strict"]["by_label"][name],
            "{name}"
        );
    }
    let docs = v["documents"].as_array().unwrap();
    let by_doc = grouping(&v, "document");
    assert_eq!(by_doc.len(), docs.len());
    for ((name, b), d) in by_doc.iter().zip(docs) {
        assert_eq!(*name, d["doc"].as_str().unwrap());
        assert_eq!(b["schemes"], d["schemes"]);
    }
    // The gold's lengths and frequencies: names are their buckets, in order.
    let names = |by| grouping(&v, by).iter().map(|(n, _)| *n).collect::<Vec<_>>();
    assert_eq!(names("length"), ["1", "2", "3", "4", "5+"]);
    assert_eq!(names("frequency"), ["1", "2-3", "4-7", "8+"]);
}

#[test]
fn without_by_nothing_changes() {
    // Without --by: no bucket anywhere. With it, the same output plus the buckets: before
    // the errors in the table and markdown, after everything in CSV, one more key in JSON.
    for (format, errors) in [
        ("table", "errors:"),
        ("markdown", "### Errors"),
        ("csv", ""),
    ] {
        let out = stdout(&tagbench(&["eval", "--format", format]).success());
        assert!(!out.contains("length"), "{format}");
        let with = stdout(&tagbench(&["eval", "--format", format, "--by", "length"]).success());
        let cut = |s: &str| {
            s[..s
                .find(errors)
                .filter(|_| !errors.is_empty())
                .unwrap_or(s.len())]
                .to_string()
        };
        assert!(with.starts_with(&cut(&out)), "{format}");
        assert!(with.ends_with(&out[cut(&out).len()..]), "{format}");
        assert!(
            with.len() > out.len() && with.contains("length"),
            "{format}"
        );
    }
    let plain = json(&["eval", "--format", "json"]);
    assert!(plain.get("buckets").is_none());
    let mut with = json(&["eval", "--format", "json", "--by", "length"]);
    with.as_object_mut().unwrap().remove("buckets");
    assert_eq!(with, plain);
    let t = stdout(&tagbench(&["eval", "--by", "frequency"]).success());
    assert!(
        t.contains(
            "by frequency: strict; gold mentions with the same surface text in the whole gold\n"
        ),
        "{t}"
    );
}

#[test]
fn score_compare_and_report_take_by() {
    let tmp = TempDir::new().unwrap();
    let pred = tmp.path().join("pred.csv");
    tagbench(&["tag", "--out", pred.to_str().unwrap(), "gold/texts"]).success();
    let scored = json(&[
        "score",
        "--pred",
        pred.to_str().unwrap(),
        "--gold",
        "gold",
        "--by",
        "frequency",
        "--format",
        "json",
    ]);
    let evaluated = json(&["eval", "--by", "frequency", "--format", "json"]);
    assert_eq!(scored["buckets"], evaluated["buckets"]);

    let t = stdout(
        &tagbench(&[
            "compare",
            "default",
            "ascii-nocase",
            "--by",
            "length",
            "--resamples",
            "10",
            "--shuffles",
            "10",
        ])
        .success(),
    );
    let block = &t[t.find("by length: strict F1").expect("a by-length table")..];
    let gold: u64 = block
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(gold, 215, "{block}");
    assert!(
        block
            .lines()
            .nth(1)
            .unwrap()
            .ends_with("default  ascii-nocase"),
        "{block}"
    );
    let c = json(&[
        "compare",
        "default",
        "--by",
        "label",
        "--resamples",
        "10",
        "--shuffles",
        "10",
        "--format",
        "json",
    ]);
    assert_eq!(c["rows"][0]["buckets"][0]["by"], "label");

    let page = tmp.path().join("r.html");
    tagbench(&[
        "report",
        "--by",
        "length,frequency",
        "--out",
        page.to_str().unwrap(),
    ])
    .success();
    let html = fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("id=\"buckets\"") && html.contains("<h3>By frequency"),
        "report"
    );
    tagbench(&[
        "report",
        "--compare",
        "default",
        "leftmost-first",
        "--by",
        "length",
        "--out",
        page.to_str().unwrap(),
    ])
    .success();
    let html = fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("<h3>By length <small>strict F1"),
        "comparison page"
    );
    let plain = tmp.path().join("p.html");
    tagbench(&["report", "--out", plain.to_str().unwrap()]).success();
    assert!(!fs::read_to_string(&plain)
        .unwrap()
        .contains("id=\"buckets\""));
}

#[test]
fn readme_shows_the_buckets_as_printed() {
    let readme = fs::read_to_string(common::repo().join("README.md")).unwrap();
    let marker = "The default variant on the gold (`eval --by length,frequency`, the part it adds):\n\n```text\n";
    let start = readme.find(marker).expect("the README shows buckets") + marker.len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let out = stdout(&tagbench(&["eval", "--by", "length,frequency"]).success());
    let from = out.find("by length").unwrap();
    let printed = &out[from..out.find("\nerrors:").unwrap()];
    assert_eq!(
        shown, printed,
        "README.md is stale: paste `eval --by length,frequency`'s buckets"
    );
}
