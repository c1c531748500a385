//! `tagbench report` on the real binary and the real gold: the HTML is parsed with a real
//! HTML parser (html5ever, through scraper) and its marks are checked against what
//! `tagbench eval --format json` and `tagbench tag` say, and against the texts themselves.

use crate::common;
use common::{repo, stderr, tagbench, tagbench_in};

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use tempfile::TempDir;

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// Runs `tagbench report ARGS --out DIR/report.html` in the repository and returns the file.
fn report(dir: &Path, args: &[&str]) -> String {
    let out = dir.join("report.html");
    let mut all: Vec<&str> = vec!["report"];
    all.extend(args);
    all.extend(["--out", path_str(&out)]);
    tagbench(&all).code(0).stdout("").stderr("");
    fs::read_to_string(&out).expect("the report is written")
}

fn eval_json(variant: &str) -> Value {
    let a = tagbench(&["eval", "--variant", variant, "--format", "json"]).code(0);
    serde_json::from_slice(&a.get_output().stdout).expect("JSON")
}

/// A text of the gold, as code points.
fn gold_text(doc: &str) -> Vec<char> {
    fs::read_to_string(repo().join(format!("gold/texts/{doc}.txt")))
        .unwrap_or_else(|e| panic!("{doc}: {e}"))
        .chars()
        .collect()
}

fn attr<'a>(e: &ElementRef<'a>, name: &str) -> &'a str {
    e.value()
        .attr(name)
        .unwrap_or_else(|| panic!("no {name} on {}", e.html()))
}

fn num(e: &ElementRef<'_>, name: &str) -> usize {
    attr(e, name).parse().expect("a number")
}

/// The document a mark is in: the `data-doc` of its section.
fn doc_of<'a>(e: &ElementRef<'a>) -> &'a str {
    e.ancestors()
        .filter_map(ElementRef::wrap)
        .find_map(|a| a.value().attr("data-doc"))
        .expect("a mark is inside a document")
}

/// The text a mark holds: the element with its id and every piece with `data-part` = id.
fn mark_text(page: &Html, id: &str) -> String {
    let pieces = sel(&format!("[id=\"{id}\"], [data-part=\"{id}\"]"));
    page.select(&pieces).flat_map(|e| e.text()).collect()
}

/// Checks every mark (and every side of a two-range mark) against the gold text: its text is
/// the slice `data-start..data-end` of its document. Returns the marks with an id, by kind.
fn check_marks(page: &Html) -> BTreeMap<String, usize> {
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut texts: BTreeMap<String, Vec<char>> = BTreeMap::new();
    for sel_str in [".text .m[id]", ".text .side[id]"] {
        for m in page.select(&sel(sel_str)) {
            let id = attr(&m, "id");
            let doc = doc_of(&m);
            let text = texts
                .entry(doc.to_string())
                .or_insert_with(|| gold_text(doc));
            let (s, e) = (num(&m, "data-start"), num(&m, "data-end"));
            assert!(s < e && e <= text.len(), "{id}: {s}..{e}");
            let want: String = text[s..e].iter().collect();
            assert_eq!(mark_text(page, id), want, "{id}");
            if sel_str.contains(".m") {
                *by_kind
                    .entry(attr(&m, "data-kind").to_string())
                    .or_insert(0) += 1;
            }
        }
    }
    by_kind
}

/// Every `href` is a link inside the page to an element that exists; nothing is loaded from
/// anywhere (no `src`, no `<link>`, no `url(`/`@import` in the style, a CSP of `'none'`).
fn check_self_contained(raw: &str, page: &Html) {
    let ids: BTreeSet<&str> = page.select(&sel("[id]")).map(|e| attr(&e, "id")).collect();
    let links: Vec<ElementRef<'_>> = page.select(&sel("[href]")).collect();
    assert!(!links.is_empty());
    for a in links {
        let href = attr(&a, "href");
        let target = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{href} leaves the page"));
        assert!(ids.contains(target), "link {href} has no target");
    }
    assert_eq!(
        page.select(&sel("[src], link, iframe, object, embed, img"))
            .count(),
        0
    );
    let style: String = page.select(&sel("style")).flat_map(|e| e.text()).collect();
    assert!(style.len() > 1000, "the style is inline");
    assert!(
        !style.contains("url(") && !style.contains("@import"),
        "style loads nothing"
    );
    let csp = page
        .select(&sel("meta[http-equiv=\"Content-Security-Policy\"]"))
        .next()
        .expect("a CSP");
    assert!(attr(&csp, "content").starts_with("default-src 'none';"));
    assert!(
        !raw.contains("http://") && !raw.contains("https://"),
        "no URL at all"
    );
    assert_eq!(page.select(&sel("script")).count(), 1);
    assert!(page.errors.is_empty(), "parse errors: {:?}", page.errors);
    // Readable without JavaScript: nothing starts filtered out, the filters (which need the
    // script) start hidden, and the style does not override that; tooltips are titles.
    assert_eq!(page.select(&sel(".off")).count(), 0);
    assert_eq!(page.select(&sel("form#filters[hidden]")).count(), 1);
    assert!(style.contains(".filters[hidden] { display: none; }"));
    let marks = page.select(&sel(".text .m[id]")).count();
    assert_eq!(page.select(&sel(".text .m[id][title]")).count(), marks);
}

/// The marks and the error list of a one-variant report agree with `eval --format json`.
fn check_report_against_eval(raw: &str, eval: &Value) {
    let page = Html::parse_document(raw);
    check_self_contained(raw, &page);
    let marks = check_marks(&page);

    // One mark per error, of the error's kind; one per correct mention.
    let errors = eval["errors"].as_array().expect("errors");
    let mut want: BTreeMap<String, usize> = BTreeMap::new();
    for e in errors {
        *want
            .entry(e["kind"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    let strict = &eval["schemes"]["strict"]["overall"];
    let norm = &eval["schemes"]["norm"]["overall"];
    want.insert("correct".into(), norm["correct"].as_u64().unwrap() as usize);
    assert_eq!(marks, want, "marks by kind");
    let count = |k: &str| marks.get(k).copied().unwrap_or(0) as u64;
    assert_eq!(count("missed"), strict["missed"].as_u64().unwrap());
    assert_eq!(count("spurious"), strict["spurious"].as_u64().unwrap());
    let incorrect =
        count("wrong_label") + count("wrong_boundary") + count("wrong_label_and_boundary");
    assert_eq!(incorrect, strict["incorrect"].as_u64().unwrap());
    assert_eq!(
        incorrect + count("wrong_norm"),
        norm["incorrect"].as_u64().unwrap()
    );

    // The error list: one row per error, in the same order, each linked to a mark of its kind
    // over its range.
    let rows: Vec<ElementRef<'_>> = page.select(&sel("#errors tbody tr")).collect();
    assert_eq!(rows.len(), errors.len());
    for (row, e) in rows.iter().zip(errors) {
        assert_eq!(attr(row, "data-kind"), e["kind"].as_str().unwrap());
        let href = attr(&row.select(&sel("a[href]")).next().expect("a link"), "href");
        let target = page
            .select(&sel(&format!("[id=\"{}\"]", &href[1..])))
            .next()
            .unwrap_or_else(|| panic!("{href}"));
        assert_eq!(
            attr(&target, "data-kind"),
            e["kind"].as_str().unwrap(),
            "{href}"
        );
        assert_eq!(doc_of(&target), e["doc"].as_str().unwrap(), "{href}");
        let starts = ["gold", "pred"].map(|s| e[s]["start"].as_u64());
        let ends = ["gold", "pred"].map(|s| e[s]["end"].as_u64());
        let start = starts.iter().flatten().min().copied().unwrap() as usize;
        let end = ends.iter().flatten().max().copied().unwrap() as usize;
        assert_eq!(
            (num(&target, "data-start"), num(&target, "data-end")),
            (start, end)
        );
        // Two-range errors show both sides.
        if ["wrong_boundary", "wrong_label_and_boundary"].contains(&e["kind"].as_str().unwrap()) {
            for side in ["gold", "pred"] {
                let s = page
                    .select(&sel(&format!("[id=\"{}-{side}\"]", &href[1..])))
                    .next()
                    .unwrap_or_else(|| panic!("{href}: no {side} side"));
                let got = (num(&s, "data-start") as u64, num(&s, "data-end") as u64);
                let want = (
                    e[side]["start"].as_u64().unwrap(),
                    e[side]["end"].as_u64().unwrap(),
                );
                assert_eq!(got, want, "{href}: {side} side");
            }
        }
    }
    // Scores: the strict overall F1 is on the page as the JSON has it.
    assert!(raw.contains(&format!(
        "<span class=\"big\">strict F1 {:.3}</span>",
        strict["f1"].as_f64().unwrap()
    )));
}

#[test]
fn report_default_marks_every_error_and_correct_mention() {
    let tmp = TempDir::new().unwrap();
    let raw = report(tmp.path(), &[]);
    let eval = eval_json("default");
    assert!(
        !eval["errors"].as_array().unwrap().is_empty(),
        "the default variant has errors"
    );
    check_report_against_eval(&raw, &eval);
    // Every gold document is shown.
    let page = Html::parse_document(&raw);
    let docs: Vec<&str> = page
        .select(&sel("section.doc"))
        .map(|e| attr(&e, "data-doc"))
        .collect();
    assert_eq!(
        docs.len(),
        fs::read_dir(repo().join("gold/texts")).unwrap().count()
    );
}

#[test]
fn report_is_byte_identical_across_runs_and_stdout_is_the_file() {
    let tmp = TempDir::new().unwrap();
    let a = report(tmp.path(), &["--variant", "leftmost-first"]);
    let b = report(tmp.path(), &["--variant", "leftmost-first"]);
    assert_eq!(a, b);
    let printed = tagbench(&["report", "--variant", "leftmost-first"]).code(0);
    assert_eq!(printed.get_output().stdout, a.as_bytes());
}

#[test]
fn report_on_overlapping_predictions() {
    // leftmost-first cuts longer names: spurious, nested and crossing marks.
    let tmp = TempDir::new().unwrap();
    let raw = report(tmp.path(), &["--variant", "leftmost-first"]);
    let eval = eval_json("leftmost-first");
    check_report_against_eval(&raw, &eval);
}

/// Copies the default variant and its gazetteers to `dir`, edited so that the tagger makes
/// one error of every kind: rows removed (missed), a label changed (wrong label), a norm
/// changed (wrong norm), a longer name added across a gold PLACE (wrong label and boundary),
/// a word added that is no name (spurious). Returns the variant file.
fn weakened_variant(dir: &Path) -> PathBuf {
    let places = fs::read_to_string(repo().join("gazetteer/places.csv")).unwrap();
    let mut edited: Vec<String> = Vec::new();
    for line in places.lines() {
        let term = line.split(',').next().unwrap();
        match term {
            "Bamako" | "Bamako District" => continue,
            "Moura" => edited.push(line.replace(",PLACE,", ",ACTOR,")),
            "Russia" => edited.push(line.replace(",Russia,", ",Russian Federation,")),
            _ => edited.push(line.to_string()),
        }
    }
    assert_eq!(edited.len() + 2, places.lines().count(), "two rows removed");
    fs::create_dir_all(dir.join("gaz")).unwrap();
    fs::write(dir.join("gaz/places.csv"), edited.join("\n") + "\n").unwrap();
    let mut actors = fs::read_to_string(repo().join("gazetteer/actors.csv")).unwrap();
    actors.push_str("Mali government,ACTOR,Government of Mali,government,\n");
    actors.push_str("Monsieur,ACTOR,Monsieur,person,\n");
    fs::write(dir.join("gaz/actors.csv"), actors).unwrap();
    let default = fs::read_to_string(repo().join("variants/default.toml")).unwrap();
    let variant = default.replace("../gazetteer/", "gaz/");
    assert_ne!(variant, default);
    let path = dir.join("weak.toml");
    fs::write(&path, variant).unwrap();
    path
}

#[test]
fn report_on_a_weakened_variant_shows_every_error_kind() {
    let tmp = TempDir::new().unwrap();
    let variant = weakened_variant(tmp.path());
    let raw = report(tmp.path(), &["--variant", path_str(&variant)]);
    let eval = eval_json(path_str(&variant));
    let kinds: BTreeSet<&str> = eval["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from([
            "missed",
            "spurious",
            "wrong_label",
            "wrong_boundary",
            "wrong_label_and_boundary",
            "wrong_norm"
        ])
    );
    let missed_bamako = eval["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "missed" && e["gold"]["text"] == "Bamako")
        .count();
    assert_eq!(missed_bamako, 3, "the removed rows are missed");
    check_report_against_eval(&raw, &eval);
    assert!(raw.contains("<code>weak</code>"));
}

/// `(doc, start, end, label, norm)` of each row of `tagbench tag --variant V gold/texts`.
fn tagged(variant: &str) -> Vec<(String, usize, usize, String, String)> {
    let a = tagbench(&["tag", "--variant", variant, "gold/texts"]).code(0);
    let mut r = csv::Reader::from_reader(&a.get_output().stdout[..]);
    r.records()
        .map(|rec| {
            let rec = rec.expect("CSV");
            (
                rec[0].to_string(),
                rec[1].parse().unwrap(),
                rec[2].parse().unwrap(),
                rec[3].to_string(),
                rec[5].to_string(),
            )
        })
        .collect()
}

/// How many of `xs` are not matched by an equal element of `ys` (multiset difference).
fn minus<T: Ord + Clone>(xs: &[T], ys: &[T]) -> usize {
    let mut left: BTreeMap<T, usize> = BTreeMap::new();
    for y in ys {
        *left.entry(y.clone()).or_insert(0) += 1;
    }
    xs.iter()
        .filter(|x| match left.get_mut(*x) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .count()
}

fn check_comparison(raw: &str, a: &str, b: &str) {
    let page = Html::parse_document(raw);
    check_self_contained(raw, &page);
    let marks = check_marks(&page);
    let (pa, pb) = (tagged(a), tagged(b));
    let count = |k: &str| marks.get(k).copied().unwrap_or(0);
    // Each prediction is in exactly one place: the same in both, or on its side of a
    // difference.
    assert_eq!(count("same"), pa.len() - minus(&pa, &pb));
    assert_eq!(
        count("only_a") + count("different"),
        minus(&pa, &pb),
        "A's own"
    );
    assert_eq!(
        count("only_b") + count("different"),
        minus(&pb, &pa),
        "B's own"
    );
    assert!(
        count("only_a") + count("only_b") + count("different") > 0,
        "they differ"
    );
    for side in ["a", "b"] {
        assert_eq!(
            page.select(&sel(&format!(".text .side[data-side=\"{side}\"][id]")))
                .count(),
            count("different")
        );
    }
    // The list has one row per difference, each linked to a mark of its kind.
    let rows: Vec<ElementRef<'_>> = page.select(&sel("#differences tbody tr")).collect();
    assert_eq!(
        rows.len(),
        count("only_a") + count("only_b") + count("different")
    );
    for row in rows {
        let href = attr(&row.select(&sel("a[href]")).next().unwrap(), "href");
        let target = page
            .select(&sel(&format!("[id=\"{}\"]", &href[1..])))
            .next()
            .unwrap_or_else(|| panic!("{href}"));
        assert_eq!(attr(&target, "data-kind"), attr(&row, "data-kind"));
    }
    // Both runs' scores, side by side: strict overall F1 of each as eval has it.
    for v in [a, b] {
        let f1 = eval_json(v)["schemes"]["strict"]["overall"]["f1"]
            .as_f64()
            .unwrap();
        assert!(raw.contains(&format!("{f1:.3}")), "{v}: {f1}");
    }
}

#[test]
fn compare_shows_where_two_variants_differ() {
    let tmp = TempDir::new().unwrap();
    let raw = report(tmp.path(), &["--compare", "default", "leftmost-first"]);
    check_comparison(&raw, "default", "leftmost-first");
    assert!(raw.contains("<title>tagbench comparison: default vs leftmost-first</title>"));
    let again = report(tmp.path(), &["--compare", "default", "leftmost-first"]);
    assert_eq!(raw, again, "deterministic");
}

#[test]
fn compare_resamples_as_compare_does_with_the_same_options() {
    let tmp = TempDir::new().unwrap();
    let opts = ["--seed", "7", "--resamples", "200", "--unit", "document"];
    let mut args = vec!["--compare", "default", "leftmost-first"];
    args.extend(opts);
    let raw = report(tmp.path(), &args);
    let line = raw
        .lines()
        .find(|l| l.contains("class=\"significance\""))
        .expect("the significance line");
    assert!(
        line.contains("paired bootstrap over 5 documents (200 resamples)")
            && line.contains("seed 7"),
        "{line}"
    );
    // The same p-value as `compare` with the same options.
    let mut cargs = vec!["compare", "default", "leftmost-first", "--format", "json"];
    cargs.extend(opts);
    let a = tagbench(&cargs).code(0);
    let j: Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    let p = j["rows"][1]["p_value"].as_f64().unwrap();
    assert!(line.contains(&format!("p = {p:.3}")), "{p}: {line}");
    // One system has no difference to resample: refused, nothing written.
    let out = tmp.path().join("one.html");
    let e = stderr(
        &tagbench(&[
            "report",
            "--system",
            "default",
            "--seed",
            "7",
            "--out",
            path_str(&out),
        ])
        .code(2),
    );
    assert!(e.contains("go with --compare"), "{e}");
    assert!(!out.exists());
}

#[test]
fn compare_with_a_variant_file() {
    let tmp = TempDir::new().unwrap();
    let variant = weakened_variant(tmp.path());
    let raw = report(tmp.path(), &["--compare", path_str(&variant), "default"]);
    check_comparison(&raw, path_str(&variant), "default");
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("r.html");
    fs::write(&out, "precious").unwrap();
    let o = path_str(&out);
    let missing_gold = tmp.path().join("no-gold");
    let missing_dir = tmp.path().join("missing/r.html");
    let cases: [(&[&str], &str); 6] = [
        (
            &["report", "--variant", "nope", "--out", o],
            "unknown system \"nope\": no file or folder of that name",
        ),
        (
            &["report", "--compare", "default", "nope", "--out", o],
            "unknown system \"nope\": no file or folder of that name",
        ),
        (
            &["report", "--gold", path_str(&missing_gold), "--out", o],
            "no-gold: gold folder not found",
        ),
        (
            &["report", "--compare", "default", "--out", o],
            "2 values required",
        ),
        (
            &[
                "report",
                "--variant",
                "default",
                "--compare",
                "default",
                "no-figures",
            ],
            "cannot be used with",
        ),
        (&["report", "--out", path_str(&missing_dir)], "folder"),
    ];
    for (args, msg) in cases {
        let a = tagbench(args).code(2).stdout("");
        let err = stderr(&a);
        assert!(err.contains(msg), "{args:?}: {err}");
    }
    assert_eq!(fs::read_to_string(&out).unwrap(), "precious", "untouched");
    let mut left: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["r.html"], "no temporary file, no missing/ folder");
}

#[test]
fn report_runs_from_another_folder_with_explicit_paths() {
    let tmp = TempDir::new().unwrap();
    let repo = repo();
    let args = [
        "report",
        "--gold",
        &format!("{}/gold", repo.display()),
        "--variants-dir",
        &format!("{}/variants", repo.display()),
        "--out",
        "r.html",
    ];
    tagbench_in(tmp.path(), &args).code(0);
    let in_repo = report(tmp.path(), &[]);
    assert_eq!(
        fs::read_to_string(tmp.path().join("r.html")).unwrap(),
        in_repo,
        "no path ends up in the page"
    );
}
