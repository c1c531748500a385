//! The `tagbench` binary end to end: each test runs the real binary (in the repository or in a
//! temporary folder) and checks its exit code, standard output and standard error.
//!
//! Exit codes: 0 ok, 1 a check failed (`validate`), 2 bad usage or bad input. No run may
//! panic, whatever its input.

use crate::common;
use common::{repo, stderr, stdout, tagbench};

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::assert::Assert;
use serde_json::Value;
use tempfile::TempDir;

const SCHEMES: [&str; 5] = ["strict", "exact", "partial", "type", "norm"];
const LABELS: [&str; 3] = ["ACTOR", "PLACE", "FIGURE"];
const COUNTS: [&str; 5] = ["correct", "incorrect", "partial", "missed", "spurious"];
const HEADER: &str = "doc,start,end,label,text,norm";

fn json(a: &Assert) -> Value {
    serde_json::from_slice(&a.get_output().stdout).expect("stdout is JSON")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// `[correct, incorrect, partial, missed, spurious]` of a COUNTS object.
fn counts(v: &Value) -> [u64; 5] {
    COUNTS.map(|k| v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}")))
}

fn overall(report: &Value, scheme: &str) -> [u64; 5] {
    counts(&report["schemes"][scheme]["overall"])
}

/// How many predictions have `label`: its column of the confusion matrix (rows are gold
/// labels; per-label counts file a prediction under its gold label, so they cannot tell).
fn predicted(report: &Value, label: &str) -> u64 {
    let labels = report["confusion"]["labels"].as_array().expect("labels");
    let col = labels
        .iter()
        .position(|l| l == label)
        .unwrap_or_else(|| panic!("{label} not in {labels:?}"));
    report["confusion"]["matrix"]
        .as_array()
        .expect("matrix")
        .iter()
        .map(|row| row[col].as_u64().expect("a count"))
        .sum()
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).expect("create folder");
    }
    fs::write(&p, bytes).expect("write file");
    p
}

/// The worked example of `tests/it/scorer_worked_example.rs`, counted by hand:
/// correct, incorrect, partial, missed, spurious per scheme.
const WORKED_EXAMPLE: [(&str, [u64; 5]); 5] = [
    ("strict", [4, 4, 0, 1, 1]),
    ("exact", [5, 3, 0, 1, 1]),
    ("partial", [5, 0, 3, 1, 1]),
    ("type", [6, 2, 0, 1, 1]),
    ("norm", [3, 5, 0, 1, 1]),
];

// ---- eval --------------------------------------------------------------------------------

#[test]
fn eval_default_prints_the_strict_table_per_label() {
    let a = tagbench(&["eval"]).code(0);
    let out = stdout(&a);
    assert!(!out.contains('\x1b'), "no colour when not on a terminal");
    // The first block is the strict scheme; its rows agree with the JSON report.
    let strict: Vec<&str> = out.lines().take_while(|l| !l.is_empty()).collect();
    assert!(strict[0].starts_with("strict"), "{out}");
    for row in LABELS.iter().chain(&["overall"]) {
        assert!(
            strict
                .iter()
                .any(|l| l.split_whitespace().next() == Some(row)),
            "no {row} row in the strict table:\n{out}"
        );
    }
    let row: Vec<u64> = strict
        .iter()
        .find(|l| l.starts_with("overall"))
        .expect("overall row")
        .split_whitespace()
        .skip(1)
        .take(5)
        .map(|n| n.parse().expect("a count"))
        .collect();
    let report = json(&tagbench(&["eval", "--format", "json"]).code(0));
    assert_eq!(row, overall(&report, "strict"));
}

#[test]
fn eval_json_has_every_scheme_and_label_and_counts_add_up() {
    let report = json(&tagbench(&["eval", "--format", "json"]).code(0));
    assert!(report["errors"].is_array(), "errors is an array");
    for scheme in SCHEMES {
        let s = &report["schemes"][scheme];
        for part in std::iter::once(&s["overall"]).chain(LABELS.iter().map(|l| &s["by_label"][l])) {
            let [c, i, p, m, sp] = counts(part);
            assert_eq!(
                c + i + p + m,
                part["possible"].as_u64().unwrap(),
                "{scheme}"
            );
            assert_eq!(c + i + p + sp, part["actual"].as_u64().unwrap(), "{scheme}");
            for score in ["precision", "recall", "f1"] {
                let x = part[score].as_f64().expect("a score");
                assert!((0.0..=1.0).contains(&x), "{scheme} {score} {x}");
            }
        }
        let sum = LABELS
            .iter()
            .map(|l| counts(&s["by_label"][l]))
            .fold([0; 5], |acc, c| std::array::from_fn(|k| acc[k] + c[k]));
        assert_eq!(sum, overall(&report, scheme), "{scheme}: labels add up");
    }
    // Every gold annotation is possible under strict.
    let rows = fs::read_to_string(repo().join("gold/annotations.csv")).unwrap();
    let gold = rows.lines().count() as u64 - 1;
    assert_eq!(
        report["schemes"]["strict"]["overall"]["possible"].as_u64(),
        Some(gold)
    );
}

#[test]
fn eval_csv_has_one_row_per_scheme_and_label() {
    let out = stdout(&tagbench(&["eval", "--format", "csv"]).code(0));
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("scheme,label,correct,incorrect,partial,missed,spurious,possible,actual,precision,recall,f1")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), SCHEMES.len() * 5, "{out}");
    let report = json(&tagbench(&["eval", "--format", "json"]).code(0));
    for scheme in SCHEMES {
        for label in LABELS.iter().chain(&["overall", "macro"]) {
            let row = rows
                .iter()
                .find(|r| r[0] == scheme && r[1] == *label)
                .unwrap_or_else(|| panic!("no {scheme},{label} row"));
            assert_eq!(row.len(), 12, "{row:?}");
        }
        let row = rows
            .iter()
            .find(|r| r[0] == scheme && r[1] == "overall")
            .unwrap();
        let got: Vec<u64> = row[2..7].iter().map(|n| n.parse().unwrap()).collect();
        assert_eq!(got, overall(&report, scheme), "{scheme}");
    }
}

#[test]
fn eval_markdown_is_github_tables() {
    let out = stdout(&tagbench(&["eval", "--format", "markdown"]).code(0));
    assert!(out.starts_with("## tagbench scores\n"), "{out}");
    for want in [
        "### strict",
        "| label | correct | incorrect | partial | missed | spurious | P | R | F1 |",
        "|---|---:|",
        "| ACTOR |",
        "| PLACE |",
        "| FIGURE |",
        "| **overall** |",
        "### All schemes (overall)",
        "### Errors",
    ] {
        assert!(out.contains(want), "no {want:?} in\n{out}");
    }
    // Every table row has as many cells as its header.
    for l in out.lines().filter(|l| l.starts_with('|')) {
        assert!(l.ends_with('|'), "{l}");
    }
}

#[test]
fn eval_json_is_byte_identical_across_runs() {
    let a = tagbench(&["eval", "--format", "json"]).code(0);
    let b = tagbench(&["eval", "--format", "json"]).code(0);
    assert!(!a.get_output().stdout.is_empty());
    assert_eq!(a.get_output().stdout, b.get_output().stdout);
}

#[test]
fn eval_runs_every_variant_file() {
    let mut names: Vec<String> = fs::read_dir(repo().join("variants"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect();
    names.sort();
    assert!(names.len() >= 2, "{names:?}");
    for name in &names {
        let report = json(&tagbench(&["eval", "--variant", name, "--format", "json"]).code(0));
        let [c, i, p, m, _] = overall(&report, "strict");
        assert!(c > 0, "{name}: nothing correct");
        assert_eq!(
            Some(c + i + p + m),
            report["schemes"]["strict"]["overall"]["possible"].as_u64(),
            "{name}"
        );
    }
}

#[test]
fn eval_accepts_a_variant_path() {
    let report = json(
        &tagbench(&[
            "eval",
            "--variant",
            "variants/no-figures.toml",
            "--format",
            "json",
        ])
        .code(0),
    );
    assert_eq!(predicted(&report, "FIGURE"), 0, "no FIGURE predicted");
    assert!(predicted(&report, "PLACE") > 0);

    // A variant file outside the repository, with a gazetteer relative to it.
    let tmp = TempDir::new().unwrap();
    write(
        tmp.path(),
        "g/mali.csv",
        "term,label,norm,kind,case\nMali,PLACE,Mali,country,\n",
    );
    let v = write(
        tmp.path(),
        "only-mali.toml",
        "description = \"Mali only\"\ngazetteers = [\"g/mali.csv\"]\n\n[tagger]\nfigures = false\n",
    );
    let report = json(&tagbench(&["eval", "--variant", path_str(&v), "--format", "json"]).code(0));
    assert_eq!(predicted(&report, "ACTOR"), 0);
    assert_eq!(predicted(&report, "FIGURE"), 0);
    let place = counts(&report["schemes"]["strict"]["by_label"]["PLACE"]);
    assert!(place[0] > 0, "Mali is found: {place:?}");
}

#[test]
fn eval_unknown_variant_exits_2_and_lists_known_ones() {
    let a = tagbench(&["eval", "--variant", "no-such-variant"])
        .code(2)
        .stdout("");
    let err = stderr(&a);
    assert!(
        err.contains("unknown system \"no-such-variant\": no file or folder of that name, and no variant no-such-variant.toml in variants (known variants: "),
        "{err}"
    );
    for known in ["default", "exact-case", "leftmost-first", "unicode-fold"] {
        assert!(err.contains(known), "{known} not listed: {err}");
    }
}

// ---- score -------------------------------------------------------------------------------

#[test]
fn score_worked_example_reproduces_the_hand_counts() {
    let base = [
        "score",
        "--gold",
        "tests/data/worked_example/gold.csv",
        "--pred",
        "tests/data/worked_example/pred.csv",
        "--format",
        "json",
    ];
    let with_texts: Vec<&str> = base
        .iter()
        .copied()
        .chain(["--texts", "tests/data/worked_example/texts"])
        .collect();
    for args in [&base[..], &with_texts[..]] {
        let report = json(&tagbench(args).code(0));
        for (scheme, want) in WORKED_EXAMPLE {
            assert_eq!(overall(&report, scheme), want, "{scheme} ({args:?})");
        }
        assert_eq!(report["errors"].as_array().map(Vec::len), Some(7));
    }
}

/// `--min-overlap F`: gold PLACE 0..4 ("Mali"), prediction PLACE 2..8 covers 2 of its 4
/// code points. At 0.5 they pair (partial 1, type correct 1); at 0.75 they do not (missed 1,
/// spurious 1, in every scheme); without the flag any overlap pairs.
#[test]
fn min_overlap_decides_what_pairs() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "texts/d.txt", "Mali and the UN met.");
    let gold = write(
        dir.path(),
        "gold.csv",
        "doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\n",
    );
    let pred = write(
        dir.path(),
        "pred.csv",
        "doc,start,end,label,text,norm\nd,2,8,PLACE,li and,\n",
    );
    let run = |extra: &[&str]| {
        let mut args = vec![
            "score",
            "--gold",
            path_str(&gold),
            "--pred",
            path_str(&pred),
        ];
        args.extend_from_slice(&["--format", "json"]);
        args.extend_from_slice(extra);
        json(&tagbench(&args).code(0))
    };
    // [correct, incorrect, partial, missed, spurious]
    for (extra, partial, typ) in [
        (&[][..], [0, 0, 1, 0, 0], [1, 0, 0, 0, 0]),
        (
            &["--min-overlap", "0.5"][..],
            [0, 0, 1, 0, 0],
            [1, 0, 0, 0, 0],
        ),
        (
            &["--min-overlap", "0.75"][..],
            [0, 0, 0, 1, 1],
            [0, 0, 0, 1, 1],
        ),
        (
            &["--min-overlap", "1"][..],
            [0, 0, 0, 1, 1],
            [0, 0, 0, 1, 1],
        ),
    ] {
        let r = run(extra);
        assert_eq!(overall(&r, "partial"), partial, "{extra:?}");
        assert_eq!(overall(&r, "type"), typ, "{extra:?}");
        let strict = if typ[0] == 1 {
            [0, 1, 0, 0, 0]
        } else {
            [0, 0, 0, 1, 1]
        };
        assert_eq!(overall(&r, "strict"), strict, "{extra:?}");
    }
    // eval, compare and report take it too.
    for args in [
        &["eval", "--min-overlap", "0.5", "--max-errors", "0"][..],
        &[
            "compare",
            "default",
            "--min-overlap",
            "0.5",
            "--resamples",
            "10",
            "--shuffles",
            "10",
        ],
        &["report", "--min-overlap", "0.5"],
    ] {
        tagbench(args).code(0);
    }
}

#[test]
fn score_gold_against_itself_is_perfect() {
    let cases: [&[&str]; 3] = [
        &[
            "--gold",
            "tests/data/worked_example/gold.csv",
            "--pred",
            "tests/data/worked_example/gold.csv",
        ],
        &[
            "--gold",
            "gold/annotations.csv",
            "--pred",
            "gold/annotations.csv",
        ],
        &[
            "--gold",
            "gold/annotations.csv",
            "--pred",
            "gold/annotations.csv",
            "--texts",
            "gold/texts",
        ],
    ];
    for args in cases {
        let args: Vec<&str> = ["score", "--format", "json"]
            .into_iter()
            .chain(args.iter().copied())
            .collect();
        let report = json(&tagbench(&args).code(0));
        for scheme in SCHEMES {
            let o = &report["schemes"][scheme]["overall"];
            assert_eq!(o["f1"].as_f64(), Some(1.0), "{scheme} ({args:?})");
            let [_, i, p, m, s] = counts(o);
            assert_eq!([i, p, m, s], [0; 4], "{scheme}");
        }
        assert_eq!(report["errors"].as_array().map(Vec::len), Some(0));
    }
}

#[test]
fn score_rejects_a_pred_text_that_differs_from_its_slice() {
    let tmp = TempDir::new().unwrap();
    let pred = fs::read_to_string(repo().join("tests/data/worked_example/pred.csv")).unwrap();
    // Line 4: "Ségou" written without its accent.
    let bad = pred.replace("ex,42,47,ACTOR,Ségou,Ségou", "ex,42,47,ACTOR,Segou,Ségou");
    assert_ne!(bad, pred);
    let p = write(tmp.path(), "pred.csv", bad);
    let a = tagbench(&[
        "score",
        "--gold",
        "tests/data/worked_example/gold.csv",
        "--pred",
        path_str(&p),
        "--texts",
        "tests/data/worked_example/texts",
    ])
    .code(2)
    .stdout("");
    let err = stderr(&a);
    assert!(err.contains(&format!("{}:4:", p.display())), "{err}");
    assert!(err.contains("\"Segou\""), "{err}");
    assert!(err.contains("\"Ségou\""), "{err}");
    assert!(err.contains("42..47"), "{err}");
}

// ---- tag ---------------------------------------------------------------------------------

/// Parses a predictions CSV into rows.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    r.records()
        .map(|rec| rec.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn tag_gold_texts_writes_csv_to_stdout() {
    let a = tagbench(&["tag", "gold/texts"]).code(0).stderr("");
    let out = a.get_output().stdout.clone();
    assert!(String::from_utf8_lossy(&out).starts_with(&format!("{HEADER}\n")));
    let rows = csv_rows(&out);
    assert!(rows.len() > 100, "{} rows", rows.len());
    // Every row's text is its code-point slice of the document.
    for row in &rows[1..] {
        assert_eq!(row.len(), 6, "{row:?}");
        let text = fs::read_to_string(repo().join(format!("gold/texts/{}.txt", row[0]))).unwrap();
        let (s, e): (usize, usize) = (row[1].parse().unwrap(), row[2].parse().unwrap());
        let slice: String = text.chars().skip(s).take(e - s).collect();
        assert_eq!(slice, row[4], "{row:?}");
        assert!(LABELS.contains(&row[3].as_str()), "{row:?}");
    }
}

#[test]
fn tag_out_then_score_gives_the_counts_of_eval() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("pred.csv");
    tagbench(&["tag", "--out", path_str(&out), "gold/texts"])
        .code(0)
        .stdout("");
    let written = fs::read(&out).expect("the file is written");
    let printed = tagbench(&["tag", "gold/texts"])
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(written, printed, "--out writes what stdout shows");
    let scored = json(
        &tagbench(&[
            "score",
            "--gold",
            "gold/annotations.csv",
            "--pred",
            path_str(&out),
            "--texts",
            "gold/texts",
            "--format",
            "json",
        ])
        .code(0),
    );
    let evaluated = json(&tagbench(&["eval", "--format", "json"]).code(0));
    assert_eq!(scored["schemes"], evaluated["schemes"]);
    assert_eq!(scored["errors"], evaluated["errors"]);
}

#[test]
fn tag_a_single_text_file() {
    let a = tagbench(&["tag", "tests/data/worked_example/texts/ex.txt"]).code(0);
    let out = stdout(&a);
    assert!(out.starts_with(&format!("{HEADER}\n")), "{out}");
    // Code-point offsets: "Ségou" has a two-byte letter, "Bamako" comes after it.
    assert!(out.contains("\nex,42,47,PLACE,Ségou,Ségou\n"), "{out}");
    assert!(out.contains("\nex,72,78,PLACE,Bamako,Bamako\n"), "{out}");
    assert!(
        out.contains("\nex,120,126,FIGURE,\"13,000\",13000\n"),
        "{out}"
    );
}

#[test]
fn tag_a_missing_path_exits_2() {
    let a = tagbench(&["tag", "no/such/file.txt"]).code(2).stdout("");
    assert!(stderr(&a).contains("no/such/file.txt"), "{}", stderr(&a));
}

#[test]
fn tag_out_into_a_missing_folder_exits_2_and_creates_nothing() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("missing/pred.csv");
    let a = tagbench(&["tag", "--out", path_str(&out), "gold/texts"])
        .code(2)
        .stdout("");
    let err = stderr(&a);
    assert!(err.contains("does not exist"), "{err}");
    assert!(err.contains("missing"), "{err}");
    assert!(!tmp.path().join("missing").exists());
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn tag_failure_leaves_an_existing_output_untouched() {
    let tmp = TempDir::new().unwrap();
    write(tmp.path(), "texts/a.txt", "Mali and the UN.\n");
    write(tmp.path(), "texts/b.txt", b"Mali \xff\xfe\n");
    let out = write(tmp.path(), "pred.csv", "precious,content\n");
    let a = tagbench(&[
        "tag",
        "--out",
        path_str(&out),
        path_str(&tmp.path().join("texts")),
    ])
    .code(2)
    .stdout("");
    let err = stderr(&a);
    assert!(err.contains("b.txt"), "{err}");
    assert!(err.contains("invalid UTF-8"), "{err}");
    assert_eq!(fs::read_to_string(&out).unwrap(), "precious,content\n");
    let mut left: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["pred.csv", "texts"], "no temporary file left behind");
}

// ---- validate ----------------------------------------------------------------------------

#[test]
fn validate_the_repository_is_ok() {
    let a = tagbench(&["validate"]).code(0).stderr("");
    let out = stdout(&a);
    assert!(out.contains("ok: no problems"), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("problem")), "{out}");
}

/// Copies `gold/` into `dir/gold`.
fn copy_gold(dir: &Path) -> PathBuf {
    let gold = dir.join("gold");
    for e in fs::read_dir(repo().join("gold/texts")).unwrap() {
        let p = e.unwrap().path();
        write(
            &gold,
            &format!("texts/{}", p.file_name().unwrap().to_str().unwrap()),
            fs::read(&p).unwrap(),
        );
    }
    fs::copy(
        repo().join("gold/annotations.csv"),
        gold.join("annotations.csv"),
    )
    .unwrap();
    gold
}

#[test]
fn validate_reports_a_broken_gold_row_with_file_and_line() {
    let tmp = TempDir::new().unwrap();
    let gold = copy_gold(tmp.path());
    let csv = gold.join("annotations.csv");
    let src = fs::read_to_string(&csv).unwrap();
    let mut lines: Vec<String> = src.lines().map(str::to_string).collect();
    // Line 3: the end offset is not a number.
    let mut fields: Vec<&str> = lines[2].split(',').collect();
    fields[2] = "x";
    lines[2] = fields.join(",");
    fs::write(&csv, lines.join("\n") + "\n").unwrap();
    let no_variants = tmp.path().join("no-variants");
    fs::create_dir(&no_variants).unwrap();
    let a = tagbench(&[
        "validate",
        "--gold",
        path_str(&gold),
        "--variants-dir",
        path_str(&no_variants),
    ])
    .code(1);
    let out = stdout(&a);
    let problems: Vec<&str> = out.lines().filter(|l| l.starts_with("problem")).collect();
    assert_eq!(problems.len(), 1, "{out}");
    assert!(problems[0].contains("annotations.csv:3:"), "{out}");
    assert!(problems[0].contains("field `end`"), "{out}");
}

#[test]
fn validate_reports_a_gazetteer_conflict_naming_both_lines() {
    let tmp = TempDir::new().unwrap();
    write(
        tmp.path(),
        "gaz/terms.csv",
        "term,label,norm,kind,case\n\
         Niger,PLACE,Niger,country,\n\
         Mali,PLACE,Mali,country,\n\
         Niger,ACTOR,Niger,government,\n",
    );
    let no_variants = tmp.path().join("no-variants");
    fs::create_dir(&no_variants).unwrap();
    let a = tagbench(&[
        "validate",
        "--gazetteer",
        path_str(&tmp.path().join("gaz")),
        "--variants-dir",
        path_str(&no_variants),
    ])
    .code(1);
    let out = stdout(&a);
    let problem = out
        .lines()
        .find(|l| l.starts_with("problem"))
        .unwrap_or_else(|| panic!("no problem line in {out}"));
    assert!(problem.contains("terms.csv:4:"), "{problem}");
    assert!(problem.contains("terms.csv:2"), "{problem}");
    assert!(
        problem.contains("PLACE") && problem.contains("ACTOR"),
        "{problem}"
    );
}

// ---- bad input (the table of cases is tests/it/bad_input.rs) ---------------------------

#[test]
fn io_errors_give_their_reason_once() {
    let a = tagbench(&[
        "score",
        "--gold",
        "no-such-gold.csv",
        "--pred",
        "no-such-pred.csv",
    ])
    .code(2);
    let err = stderr(&a);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
}

// ---- usage -------------------------------------------------------------------------------

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let a = tagbench(&["eval", "--no-such-flag"]).code(2).stdout("");
    assert!(stderr(&a).contains("--no-such-flag"), "{}", stderr(&a));
    tagbench(&["no-such-command"]).code(2);
    tagbench(&[]).code(2);
}

#[test]
fn help_exits_0() {
    for args in [&["--help"][..], &["eval", "--help"], &["-h"]] {
        let a = tagbench(args).code(0).stderr("");
        let out = stdout(&a);
        assert!(out.contains("Usage: tagbench"), "{out}");
    }
    let out = stdout(&tagbench(&["--help"]).code(0));
    for cmd in ["tag", "eval", "score", "validate"] {
        assert!(out.contains(cmd), "{cmd} not in --help:\n{out}");
    }
}

// ---- one gold path -------------------------------------------------------------------------

/// A folder with a quick variant (`variants/quick.toml`: a three-term gazetteer and the
/// FIGURE recogniser), so that commands that tag do not build the full gazetteer each time.
fn quick_variant() -> TempDir {
    let tmp = TempDir::new().unwrap();
    write(
        tmp.path(),
        "variants/quick.toml",
        "description = \"quick\"\ngazetteers = [\"../gazetteer/g.csv\"]\n\n[tagger]\nfigures = true\n",
    );
    write(
        tmp.path(),
        "gazetteer/g.csv",
        "term,label,norm\nMali,PLACE,Mali\nMINUSMA,ACTOR,MINUSMA\nWagner,ACTOR,Wagner Group\n",
    );
    tmp
}

/// Runs `args` with `--gold` and each of `spellings`, checks that every run prints the same
/// bytes, and returns them.
fn same_with_every_gold_spelling(args: &[&str], spellings: &[&str]) -> Vec<u8> {
    let outs: Vec<Vec<u8>> = spellings
        .iter()
        .map(|g| {
            let mut full = args.to_vec();
            full.extend(["--gold", g]);
            tagbench(&full).code(0).get_output().stdout.clone()
        })
        .collect();
    for (g, out) in spellings.iter().zip(&outs).skip(1) {
        assert!(
            out == &outs[0],
            "{args:?}: --gold {g} differs from --gold {}",
            spellings[0]
        );
    }
    assert!(!outs[0].is_empty(), "{args:?} printed nothing");
    outs[0].clone()
}

const GOLD_SPELLINGS: [&str; 2] = ["gold", "gold/annotations.csv"];

#[test]
fn every_command_reads_a_gold_folder_and_its_csv_alike() {
    let tmp = quick_variant();
    let variants = tmp.path().join("variants");
    let gazetteer = tmp.path().join("gazetteer");
    let (variants, gazetteer) = (path_str(&variants), path_str(&gazetteer));
    let brat = tmp.path().join("gold-brat");
    tagbench(&["convert", "gold/annotations.csv", path_str(&brat)]).code(0);
    // The gold's label declarations go with it (a brat folder has them inside).
    fs::copy(repo().join("gold/labels.toml"), brat.join("labels.toml")).unwrap();
    let with_brat = [GOLD_SPELLINGS[0], GOLD_SPELLINGS[1], path_str(&brat)];
    let quick = ["--variants-dir", variants, "--variant", "quick"];

    let eval = same_with_every_gold_spelling(
        &[&["eval", "--format", "json"][..], &quick].concat(),
        &with_brat,
    );
    let eval = serde_json::from_slice::<Value>(&eval).unwrap();
    assert!(
        overall(&eval, "strict")[0] > 0,
        "the quick variant finds something"
    );
    // Until this was one library path, `score --gold gold` read the folder as brat and
    // failed ("no .txt files in this folder").
    let score = same_with_every_gold_spelling(
        &[
            "score",
            "--pred",
            "gold/annotations.csv",
            "--format",
            "json",
        ],
        &with_brat,
    );
    let score = serde_json::from_slice::<Value>(&score).unwrap();
    assert_eq!(overall(&score, "strict"), [215, 0, 0, 0, 0]);
    let validate = same_with_every_gold_spelling(
        &[
            "validate",
            "--variants-dir",
            variants,
            "--gazetteer",
            gazetteer,
        ],
        &GOLD_SPELLINGS,
    );
    assert!(
        String::from_utf8_lossy(&validate).contains("checked gold: 5 documents, 215 annotations")
    );
    // Until this was one library path, `compare --gold gold/annotations.csv` said "gold
    // folder not found".
    let compare = same_with_every_gold_spelling(
        &[
            "compare",
            "quick",
            "--variants-dir",
            variants,
            "--resamples",
            "20",
            "--shuffles",
            "20",
        ],
        &GOLD_SPELLINGS,
    );
    assert!(String::from_utf8_lossy(&compare).contains("quick"));
    let html = same_with_every_gold_spelling(&[&["report"][..], &quick].concat(), &GOLD_SPELLINGS);
    assert!(String::from_utf8_lossy(&html).starts_with("<!DOCTYPE html>"));

    // check: a baseline blessed with one spelling passes with the other, and both spellings
    // bless the same bytes.
    let mut blessed = Vec::new();
    for (i, g) in GOLD_SPELLINGS.iter().enumerate() {
        let b = tmp.path().join(format!("baseline-{i}.json"));
        let common = ["--variants-dir", variants, "--baseline", path_str(&b)];
        tagbench(&[&["check", "--bless", "--gold", g][..], &common].concat()).code(0);
        blessed.push(fs::read(&b).unwrap());
        let other = GOLD_SPELLINGS[1 - i];
        tagbench(&[&["check", "--gold", other][..], &common].concat()).code(0);
    }
    assert_eq!(blessed[0], blessed[1]);
}

#[test]
fn a_csv_gold_without_texts_is_refused_where_texts_are_tagged_and_scored_by_offsets() {
    let tmp = TempDir::new().unwrap();
    let g = write(
        tmp.path(),
        "g.csv",
        fs::read(repo().join("gold/annotations.csv")).unwrap(),
    );
    // The gold's label declarations go with it, beside it.
    fs::copy(
        repo().join("gold/labels.toml"),
        tmp.path().join("labels.toml"),
    )
    .unwrap();
    let err = stderr(&tagbench(&["eval", "--gold", path_str(&g)]).code(2));
    assert!(
        err.contains("g.csv: an annotations CSV needs its texts") && err.contains("--texts DIR"),
        "{err}"
    );
    // With --texts it is the gold folder again.
    let a = tagbench(&["eval", "--gold", path_str(&g), "--texts", "gold/texts"]).code(0);
    assert_eq!(
        a.get_output().stdout,
        tagbench(&["eval"]).code(0).get_output().stdout
    );
    // score compares offsets only (no context in the error list).
    let report = json(
        &tagbench(&[
            "score",
            "--gold",
            path_str(&g),
            "--pred",
            path_str(&g),
            "--format",
            "json",
        ])
        .code(0),
    );
    assert_eq!(overall(&report, "strict"), [215, 0, 0, 0, 0]);
    // A name that tells no format is said so, with the flag to give.
    let x = write(tmp.path(), "g.xml", "");
    let err = stderr(&tagbench(&["score", "--gold", path_str(&x), "--pred", path_str(&g)]).code(2));
    assert!(
        err.contains("cannot tell the format from the name")
            && err.ends_with("give --gold-format\n"),
        "{err}"
    );
}

#[test]
fn every_enum_flag_describes_each_value_in_help() {
    let commands = [
        "tag", "eval", "score", "validate", "compare", "check", "report", "convert",
    ];
    let mut described = 0;
    for cmd in commands {
        let help = stdout(&tagbench(&[cmd, "--help"]).code(0));
        // clap lists bare names (`[possible values: a, b]`) for values without a doc comment.
        assert!(
            !help.contains("[possible values:"),
            "{cmd} --help has an undescribed value:\n{help}"
        );
        let mut in_values = false;
        for line in help.lines().map(str::trim) {
            if line == "Possible values:" {
                in_values = true;
            } else if in_values && line.starts_with("- ") {
                let (name, what) = line[2..].split_once(':').unwrap_or((line, ""));
                assert!(!what.trim().is_empty(), "{cmd}: {name} has no description");
                described += 1;
            } else {
                in_values = false;
            }
        }
    }
    // format (4) and color (3) in eval and score, gold-format (6) and gold-ls-results (2)
    // in five commands, ... at least every value of every enum once.
    assert!(
        described >= 6 + 2 + 4 + 3 + 2,
        "{described} values described"
    );
}
