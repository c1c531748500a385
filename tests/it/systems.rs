//! Systems under test, on the real binary: predictions files and external commands wherever a
//! variant was taken (eval, compare, report, score), the command protocol and every way a
//! command can fail, and predictions whose document ids do not match the gold's.
//!
//! The external tagger is `tests/data/systems/tagger.py` (Python 3), which tags "Mali" and
//! "Niger" as PLACE and "UN" as ACTOR, and can misbehave on demand.

use crate::common;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use tempfile::TempDir;

use common::{repo, stderr, stdout, tagbench, tagbench_in};

const TAGGER: &str = "tests/data/systems/tagger.py";

fn cmd(mode: &str) -> String {
    format!("cmd:python3 {TAGGER} {mode}")
}

fn gold_texts() -> Vec<(String, String)> {
    let mut docs: Vec<(String, String)> = fs::read_dir(repo().join("gold/texts"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, fs::read_to_string(&p).unwrap())
        })
        .collect();
    docs.sort();
    docs
}

/// Runs the test tagger outside tagbench and writes what it says, with the texts, as a JSONL
/// predictions file (one document a line, as `score --pred` reads it). `keep` chooses the
/// spans kept.
fn tagger_predictions(dir: &Path, name: &str, keep: impl Fn(&Value) -> bool) -> PathBuf {
    let docs = gold_texts();
    let mut child = Command::new("python3")
        .arg(repo().join(TAGGER))
        .arg("ok")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 runs");
    {
        let mut stdin = child.stdin.take().unwrap();
        for (id, text) in &docs {
            writeln!(stdin, "{}", json!({"id": id, "text": text})).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let mut file = String::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let id = v["id"].as_str().unwrap();
        let text = &docs.iter().find(|(d, _)| d == id).unwrap().1;
        let spans: Vec<Value> = v["spans"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| keep(s))
            .cloned()
            .collect();
        file.push_str(&json!({"id": id, "text": text, "spans": spans}).to_string());
        file.push('\n');
    }
    let p = dir.join(name);
    fs::write(&p, file).unwrap();
    p
}

fn json_of(a: &assert_cmd::assert::Assert) -> Value {
    serde_json::from_str(&stdout(a)).expect("JSON output")
}

fn strict_f1(report: &Value) -> f64 {
    report["schemes"]["strict"]["overall"]["f1"]
        .as_f64()
        .unwrap_or_else(|| panic!("no strict overall f1 in {report}"))
}

#[test]
fn a_command_scores_as_its_predictions_file_does() {
    let tmp = TempDir::new().unwrap();
    let pred = tagger_predictions(tmp.path(), "pred.jsonl", |_| true);
    let pred = pred.to_str().unwrap();
    let by_file = tagbench(&["score", "--pred", pred, "--format", "json"]).code(0);
    let by_eval_file = tagbench(&["eval", "--system", pred, "--format", "json"]).code(0);
    let by_cmd = tagbench(&["eval", "--system", &cmd("ok"), "--format", "json"]).code(0);
    // Answering line by line while tagbench is still writing: no deadlock, same result.
    let streamed = tagbench(&["eval", "--system", &cmd("stream"), "--format", "json"]).code(0);
    assert_eq!(stdout(&by_file), stdout(&by_cmd));
    assert_eq!(stdout(&by_eval_file), stdout(&by_cmd));
    assert_eq!(stdout(&streamed), stdout(&by_cmd));
    let report = json_of(&by_cmd);
    let f1 = strict_f1(&report);
    assert!(f1 > 0.0 && f1 < 1.0, "{f1}");
    assert_eq!(stderr(&by_cmd), "", "nothing to note");
}

#[test]
fn every_way_a_command_fails_names_the_system_and_shows_its_stderr() {
    let cases: [(&str, &[&str], &[&str]); 6] = [
        (
            "exit",
            &[],
            &[
                "failed: exit status 3",
                "  | tagger.py: 5 documents read\n  | Traceback (most recent call last):\n  | ValueError: the model is missing",
            ],
        ),
        (
            "sleep",
            &["--timeout", "1"],
            &["did not finish within 1 s (the timeout); killed", "  | tagger.py: 5 documents read"],
        ),
        (
            "malformed",
            &[],
            &["output line 2: invalid JSON at column 2: key must be a string"],
        ),
        (
            "skip",
            &[],
            &["its output has no line for document \"004_"],
        ),
        (
            "invent",
            &[],
            &["output line 6, document \"000_00b06ec917ecedbf.txt\": no such document was sent (nearest: \"000_00b06ec917ecedbf\")"],
        ),
        (
            "badspan",
            &[],
            &["output line 1, document \"000_00b06ec917ecedbf\": field `spans[0]`: span 0..", "is past the end of document"],
        ),
    ];
    for (mode, flags, wants) in cases {
        let system = format!("broken={}", cmd(mode));
        let mut args = vec!["eval", "--system", &system];
        args.extend_from_slice(flags);
        let started = std::time::Instant::now();
        let a = tagbench(&args).code(2);
        let err = stderr(&a);
        let head = format!("tagbench: error: system \"broken\" (cmd:python3 {TAGGER} {mode}): ");
        assert!(err.starts_with(&head), "{mode}: {err}");
        for w in wants {
            assert!(err.contains(w), "{mode}: {err:?} lacks {w:?}");
        }
        assert_eq!(stdout(&a), "", "{mode}: no scores printed");
        if mode == "sleep" {
            assert!(started.elapsed().as_secs() < 20, "killed at the timeout");
        }
    }
}

#[test]
fn a_command_that_cannot_run_and_bad_timeouts() {
    let a = tagbench(&["eval", "--system", "cmd:no-such-tagger-here --x"]).code(2);
    let err = stderr(&a);
    assert!(
        err.starts_with(
            "tagbench: error: system \"cmd:no-such-tagger-here --x\": failed: exit status 127"
        ),
        "{err}"
    );
    assert!(err.contains("not found"), "{err}");
    for t in ["0", "-1", "nan"] {
        let a = tagbench(&["eval", "--system", &cmd("ok"), &format!("--timeout={t}")]).code(2);
        assert!(
            stderr(&a).contains("--timeout must be a number of seconds > 0"),
            "{t}: {}",
            stderr(&a)
        );
    }
}

#[test]
fn unknown_systems_fail_before_the_gold_is_read() {
    let a = tagbench(&["eval", "--system", "nosuch", "--gold", "no/such/gold"]).code(2);
    let err = stderr(&a);
    assert!(
        err.starts_with("tagbench: error: unknown system \"nosuch\": no file or folder of that name, and no variant nosuch.toml in variants (known variants: "),
        "{err}"
    );
    assert!(err.contains("an external tagger is cmd:COMMAND"), "{err}");
    let a = tagbench(&["compare", "missing.csv", "--gold", "no/such/gold"]).code(2);
    assert_eq!(
        stderr(&a),
        "tagbench: error: system \"missing.csv\": no such file or folder\n"
    );
}

#[test]
fn compare_two_predictions_files_with_intervals_and_a_p_value() {
    let tmp = TempDir::new().unwrap();
    let a = tagger_predictions(tmp.path(), "a.jsonl", |_| true);
    let b = tagger_predictions(tmp.path(), "b.jsonl", |s| s["label"] != "ACTOR");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let args = |f: &'static str| {
        vec![
            "compare".to_string(),
            format!("mine={a}"),
            format!("noactor={b}"),
            format!("again={}", cmd("ok")),
            "--resamples".into(),
            "200".into(),
            "--shuffles".into(),
            "200".into(),
            "--format".into(),
            f.into(),
        ]
    };
    let run = |f| {
        let v = args(f);
        let v: Vec<&str> = v.iter().map(String::as_str).collect();
        tagbench(&v).code(0)
    };
    let out = json_of(&run("json"));
    let rows = out["rows"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["mine", "noactor", "again"]);
    assert!(rows[0]["p_value"].is_null(), "the reference has none");
    let p_b = rows[1]["p_value"].as_f64().unwrap();
    assert!(p_b < 0.05, "dropping every ACTOR is significant: {p_b}");
    assert_eq!(
        rows[2]["p_value"].as_f64(),
        Some(1.0),
        "the same predictions"
    );
    assert_eq!(rows[0]["strict"], rows[2]["strict"]);
    let f1 = &rows[0]["strict"]["overall"];
    assert!(f1["f1_lo"].as_f64() <= f1["f1"].as_f64() && f1["f1"].as_f64() <= f1["f1_hi"].as_f64());
    assert!(rows[1]["description"]
        .as_str()
        .unwrap()
        .starts_with("predictions "));
    let table = stdout(&run("table"));
    assert!(table.contains("noactor"), "{table}");
    // Deterministic.
    assert_eq!(stdout(&run("csv")), stdout(&run("csv")));
}

#[test]
fn compare_times_a_command_and_a_variant_in_every_format() {
    let run = |format: &str| {
        tagbench(&[
            "compare",
            "default",
            &format!("t={}", cmd("ok")),
            "file=gold/annotations.csv",
            "--resamples",
            "10",
            "--shuffles",
            "10",
            "--timing",
            "--format",
            format,
        ])
        .code(0)
    };
    let out = json_of(&run("json"));
    let rows = out["rows"].as_array().unwrap();
    // The command: its wall clock, start to exit (the interpreter's start-up included).
    let secs = rows[1]["seconds"].as_f64().expect("timed");
    let mbs = rows[1]["mb_per_s"].as_f64().expect("timed");
    assert!(secs > 0.0 && mbs > 0.0, "{secs} {mbs}");
    // The variant: one tagging pass, from its measured throughput.
    assert!(rows[0]["seconds"].as_f64().unwrap() > 0.0);
    assert!(rows[0]["mb_per_s"].as_f64().unwrap() > 1.0);
    // A predictions file: nothing ran.
    assert!(rows[2]["seconds"].is_null() && rows[2]["mb_per_s"].is_null());
    let table = stdout(&run("table"));
    let head = table.lines().find(|l| l.starts_with("variant")).unwrap();
    assert!(head.ends_with("  s    MB/s"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("file ") && l.ends_with("  -       -")),
        "{table}"
    );
    let md = stdout(&run("markdown"));
    assert!(md.contains("| p | s | MB/s |"), "{md}");
    let csv = stdout(&run("csv"));
    assert!(
        csv.starts_with(
            "variant,scheme,label,precision,recall,f1,f1_lo,f1_hi,p_value,seconds,mb_per_s\n"
        ),
        "{csv}"
    );
    // Without --timing, no timing anywhere (and the same bytes every run).
    let plain = stdout(
        &tagbench(&[
            "compare",
            "default",
            "--resamples",
            "10",
            "--shuffles",
            "10",
        ])
        .code(0),
    );
    assert!(!plain.contains("MB/s"), "{plain}");
}

#[test]
fn two_systems_with_one_name_are_refused() {
    let a = tagbench(&["compare", &cmd("ok"), &cmd("ok")]).code(2);
    assert!(
        stderr(&a).contains("two systems are named \"cmd:python3 tests/data/systems/tagger.py ok\": name them apart with NAME=SYSTEM"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn report_of_a_predictions_file_and_of_a_command_against_it() {
    let tmp = TempDir::new().unwrap();
    let pred = tagger_predictions(tmp.path(), "pred.jsonl", |s| s["label"] == "PLACE");
    let pred = pred.to_str().unwrap();
    let one = stdout(&tagbench(&["report", "--system", &format!("places={pred}")]).code(0));
    assert!(one.starts_with("<!DOCTYPE html>"), "{}", &one[..100]);
    assert!(one.contains("places"));
    let two = stdout(
        &tagbench(&[
            "report",
            "--compare",
            &format!("places={pred}"),
            &format!("all={}", cmd("ok")),
        ])
        .code(0),
    );
    assert!(two.contains("places") && two.contains("all"));
    // ΔF1 with its interval and p-value in the header: the numbers compare gives.
    let c = json_of(
        &tagbench(&[
            "compare",
            &format!("places={pred}"),
            &format!("all={}", cmd("ok")),
            "--format",
            "json",
        ])
        .code(0),
    );
    let f1 = |r: &Value| r["strict"]["overall"]["f1"].as_f64().unwrap();
    let delta = f1(&c["rows"][1]) - f1(&c["rows"][0]);
    let p = c["rows"][1]["p_value"].as_f64().unwrap();
    let p = if p < 0.001 {
        "p &lt; 0.001".to_string()
    } else {
        format!("p = {p:.3}")
    };
    let head =
        format!("<p class=\"significance\"><b>ΔF1 (strict, B − A) {delta:+.3}</b>, 95% CI [");
    assert!(two.contains(&head), "{head}");
    assert!(two.contains(&format!("], {p}")), "{p}");
    assert!(two.contains("paired bootstrap over 65 paragraphs (1000 resamples), approximate randomisation (10000 shuffles), seed 42</p>"));
}

/// A predictions CSV naming every gold document as `<id>.txt`.
fn csv_with_txt_ids(dir: &Path) -> PathBuf {
    let gold = fs::read_to_string(repo().join("gold/annotations.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in gold.lines().enumerate() {
        if i == 0 {
            out.push_str(line);
        } else {
            let (doc, rest) = line.split_once(',').unwrap();
            out.push_str(&format!("{doc}.txt,{rest}"));
        }
        out.push('\n');
    }
    let p = dir.join("ids.csv");
    fs::write(&p, out).unwrap();
    p
}

#[test]
fn prediction_ids_the_gold_does_not_have_are_an_error_naming_the_nearest() {
    let tmp = TempDir::new().unwrap();
    let p = csv_with_txt_ids(tmp.path());
    let p = p.to_str().unwrap();
    for args in [
        vec!["score", "--pred", p],
        vec!["eval", "--system", p],
        vec!["compare", p],
    ] {
        let a = tagbench(&args).code(2);
        assert_eq!(
            stderr(&a),
            format!(
                "tagbench: error: {p}: document id \"000_00b06ec917ecedbf.txt\" is not in the \
                 gold (nearest gold id: \"000_00b06ec917ecedbf\"); 5 of its 5 document ids are \
                 not in the gold; give --ignore-unknown-docs to leave such documents out\n"
            ),
            "{args:?}"
        );
    }
    let a = tagbench(&[
        "score",
        "--pred",
        p,
        "--ignore-unknown-docs",
        "--format",
        "json",
    ])
    .code(0);
    let err = stderr(&a);
    assert!(
        err.starts_with(&format!("tagbench: note: {p}: 5 gold documents without any prediction (scored as predicting nothing): \"000_00b06ec917ecedbf\", ")),
        "{err}"
    );
    assert!(
        err.contains(&format!("tagbench: note: {p}: 5 predicted documents not in the gold left out: \"000_00b06ec917ecedbf.txt\"")),
        "{err}"
    );
    assert_eq!(strict_f1(&json_of(&a)), 0.0);
}

#[test]
fn gold_documents_without_predictions_are_named_in_a_note() {
    let tmp = TempDir::new().unwrap();
    let gold = fs::read_to_string(repo().join("gold/annotations.csv")).unwrap();
    let kept: String = gold
        .lines()
        .filter(|l| !l.starts_with("004_"))
        .map(|l| format!("{l}\n"))
        .collect();
    let p = tmp.path().join("part.csv");
    fs::write(&p, kept).unwrap();
    let a = tagbench_in(
        &repo(),
        &["score", "--pred", p.to_str().unwrap(), "--format", "json"],
    )
    .code(0);
    let err = stderr(&a);
    assert!(
        err.starts_with(&format!(
            "tagbench: note: {}: 1 gold document without any prediction (scored as predicting nothing): \"004_",
            p.display()
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn fail_under_exits_1_naming_each_figure_under_its_bound() {
    let tmp = TempDir::new().unwrap();
    let pred = tagger_predictions(tmp.path(), "pred.jsonl", |_| true);
    let pred = pred.to_str().unwrap();
    let report = json_of(&tagbench(&["score", "--pred", pred, "--format", "json"]).code(0));
    let f1 = strict_f1(&report);
    let place = report["schemes"]["strict"]["by_label"]["PLACE"]["f1"]
        .as_f64()
        .unwrap();
    assert!(f1 < 0.9 && place > 0.5, "{f1} {place}");
    // Passing bounds: exit 0, nothing said.
    let ok = tagbench(&[
        "score",
        "--pred",
        pred,
        "--fail-under",
        "0.1,strict:PLACE=0.5",
    ])
    .code(0);
    assert_eq!(stderr(&ok), "");
    // Failing ones, by score and by eval on the same predictions.
    for args in [
        vec!["score", "--pred", pred],
        vec!["eval", "--system", pred],
    ] {
        let mut args = args.clone();
        args.extend([
            "--fail-under",
            "0.9",
            "--fail-under",
            "strict:PLACE=0.5,exact:FIGURE=0.5",
            "--format",
            "json",
        ]);
        let a = tagbench(&args).code(1);
        assert_eq!(json_of(&a), report, "the scores are printed all the same");
        assert_eq!(
            stderr(&a),
            format!(
                "tagbench: fail-under: {pred}: strict F1 overall is {f1:.4}, under 0.9\n\
                 tagbench: fail-under: {pred}: exact F1 of FIGURE is 0.0000, under 0.5\n"
            ),
            "{args:?}"
        );
    }
    let a = tagbench(&["score", "--pred", pred, "--fail-under", "strict:ACTOR=1.5"]).code(2);
    assert_eq!(
        stderr(&a),
        "tagbench: error: --fail-under: threshold term \"strict:ACTOR=1.5\": 1.5 is not between 0 and 1 \
         (expected F1, SCHEME=F1 or SCHEME:LABEL=F1, as 0.9 or strict:ACTOR=0.9)\n"
    );
}

/// A project folder: a copy of the gold, a predictions file, and a tagbench.toml naming a
/// command and the file.
fn project() -> TempDir {
    let tmp = TempDir::new().unwrap();
    let gold = tmp.path().join("gold");
    fs::create_dir_all(gold.join("texts")).unwrap();
    for f in ["annotations.csv", "labels.toml"] {
        if repo().join("gold").join(f).is_file() {
            fs::copy(repo().join("gold").join(f), gold.join(f)).unwrap();
        }
    }
    for e in fs::read_dir(repo().join("gold/texts")).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, gold.join("texts").join(p.file_name().unwrap())).unwrap();
    }
    tagger_predictions(tmp.path(), "pred.jsonl", |_| true);
    let tagger = repo().join(TAGGER);
    fs::write(
        tmp.path().join("tagbench.toml"),
        format!(
            "gold = \"gold\"\nbaseline = \"baseline.json\"\n\n[systems]\ntagger = \"cmd:python3 {}\"\nfile = \"pred.jsonl\"\n",
            tagger.display()
        ),
    )
    .unwrap();
    tmp
}

#[test]
fn check_gates_the_systems_of_tagbench_toml() {
    let p = project();
    let dir = p.path();
    let a = tagbench_in(dir, &["check"]).code(2);
    assert_eq!(
        stderr(&a),
        "tagbench: error: baseline.json: no baseline file (create it with `tagbench check --bless`)\n"
    );
    let a = tagbench_in(dir, &["check", "--bless"]).code(0);
    assert!(
        stdout(&a).ends_with("bless: wrote baseline.json (2 systems)\n"),
        "{}",
        stdout(&a)
    );
    let baseline: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("baseline.json")).unwrap()).unwrap();
    let names: Vec<&String> = baseline["variants"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["file", "tagger"]);
    tagbench_in(dir, &["check"]).code(0);
    // The file loses its ACTORs: it fails, the command does not.
    tagger_predictions(dir, "pred.jsonl", |s| s["label"] != "ACTOR");
    let a = tagbench_in(dir, &["check"]).code(1);
    let out = stdout(&a);
    assert!(out.contains("file"), "{out}");
    tagbench_in(dir, &["check", "tagger"]).code(0);
    tagbench_in(dir, &["check", "file"]).code(1);
    let a = tagbench_in(dir, &["check", "nosuch"]).code(2);
    assert_eq!(
        stderr(&a),
        "tagbench: error: no system \"nosuch\" in the project file (its systems: file, tagger)\n"
    );
    // Blessing one system keeps the other's record.
    tagbench_in(dir, &["check", "--bless", "file"]).code(0);
    tagbench_in(dir, &["check"]).code(0);
    // A tolerance from the file, and the flag winning over it.
    fs::rename(dir.join("tagbench.toml"), dir.join("other.toml")).unwrap();
    let a = tagbench_in(dir, &["check"]).code(2);
    assert!(
        stderr(&a).contains("no baseline file"),
        "no project file: every variant, against gold/baseline.json: {}",
        stderr(&a)
    );
    tagbench_in(dir, &["check", "--config", "other.toml"]).code(0);
    let a = tagbench_in(dir, &["check", "--config", "other.toml", "--tolerance=-1"]).code(2);
    assert!(
        stderr(&a).contains("--tolerance must be a number >= 0"),
        "{}",
        stderr(&a)
    );
    let a = tagbench_in(dir, &["check", "--config", "missing.toml"]).code(2);
    assert!(
        stderr(&a).starts_with("tagbench: error: missing.toml: "),
        "{}",
        stderr(&a)
    );
    fs::write(dir.join("bad.toml"), "tolerance = -0.5\n").unwrap();
    let a = tagbench_in(dir, &["check", "--config", "bad.toml"]).code(2);
    assert_eq!(
        stderr(&a),
        "tagbench: error: bad.toml: field `tolerance`: tolerance must be a number >= 0, not -0.5\n"
    );
}

/// The gold's annotations CSV with only the columns named kept (in the order given).
fn gold_columns(dir: &Path, name: &str, keep: &[usize]) -> PathBuf {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(repo().join("gold/annotations.csv"))
        .unwrap();
    let p = dir.join(name);
    let mut w = csv::Writer::from_path(&p).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        w.write_record(keep.iter().map(|&i| &rec[i])).unwrap();
    }
    w.flush().unwrap();
    p
}

#[test]
fn predictions_without_text_and_norm_columns_score_and_the_norm_scheme_is_n_a() {
    let tmp = TempDir::new().unwrap();
    // The gold's rows without text and norm, the columns in another order.
    let p = gold_columns(tmp.path(), "bare.csv", &[3, 0, 2, 1]);
    let p = p.to_str().unwrap();
    let table = stdout(&tagbench(&["score", "--pred", p]).code(0));
    assert!(
        table.contains("\nnorm: n/a (the predictions carry no norms)\n\nmacro: "),
        "{table}"
    );
    assert!(
        table.contains("errors: none"),
        "no wrong_norm listed: {table}"
    );
    let j = json_of(&tagbench(&["score", "--pred", p, "--format", "json"]).code(0));
    assert_eq!(strict_f1(&j), 1.0);
    assert!(
        j["schemes"]["norm"].is_null() && j["macro"]["norm"].is_null(),
        "{j}"
    );
    assert!(j["documents"][0]["schemes"]["norm"].is_null());
    assert_eq!(j["schemes"]["exact"]["overall"]["f1"], 1.0);
    let csv = stdout(&tagbench(&["score", "--pred", p, "--format", "csv"]).code(0));
    assert!(csv.contains("\nnorm,overall,,,,,,,,n/a,n/a,n/a\n"), "{csv}");
    let md = stdout(&tagbench(&["score", "--pred", p, "--format", "markdown"]).code(0));
    assert!(md.contains("| norm | n/a | n/a |"), "{md}");
    // The HTML report: every mention correct (none is an error for its norm), norm n/a.
    let html = stdout(&tagbench(&["report", "--system", p]).code(0));
    assert!(
        html.contains("n/a (the predictions carry no norms)"),
        "html"
    );
    // A bound on a figure that is n/a fails, saying so.
    let a = tagbench(&["score", "--pred", p, "--fail-under", "norm=0.5"]).code(1);
    assert!(
        stderr(&a).contains(
            "norm F1 overall is n/a (the predictions carry no norms), so not at least 0.5"
        ),
        "{}",
        stderr(&a)
    );
    // With the text column, it is checked; the norm column alone gives norms again.
    let with_text = gold_columns(tmp.path(), "text.csv", &[0, 1, 2, 3, 4]);
    let j = json_of(
        &tagbench(&[
            "score",
            "--pred",
            with_text.to_str().unwrap(),
            "--format",
            "json",
        ])
        .code(0),
    );
    assert!(j["schemes"]["norm"].is_null());
    let with_norm = gold_columns(tmp.path(), "norm.csv", &[0, 1, 2, 3, 5]);
    let j = json_of(
        &tagbench(&[
            "score",
            "--pred",
            with_norm.to_str().unwrap(),
            "--format",
            "json",
        ])
        .code(0),
    );
    assert_eq!(j["schemes"]["norm"]["overall"]["f1"], 1.0);
}

#[test]
fn any_norm_is_kept_a_figure_norm_that_is_not_an_integer_is_a_wrong_norm() {
    let tmp = TempDir::new().unwrap();
    // The gold as JSONL predictions, FIGURE norms rewritten: the first as a JSON string
    // holding its integer, the second as a word.
    let conv = tmp.path().join("gold.jsonl");
    tagbench(&["convert", "gold", conv.to_str().unwrap()]).code(0);
    let mut figures = 0;
    let mut out = String::new();
    for line in fs::read_to_string(&conv).unwrap().lines() {
        let mut v: Value = serde_json::from_str(line).unwrap();
        for s in v["spans"].as_array_mut().unwrap() {
            if s["label"] == "FIGURE" && s["norm"].is_u64() {
                figures += 1;
                s["norm"] = match figures {
                    1 => Value::from(s["norm"].as_u64().unwrap().to_string()),
                    2 => Value::from("hundreds"),
                    3 => Value::from(2.5),
                    _ => s["norm"].clone(),
                };
            }
        }
        out.push_str(&v.to_string());
        out.push('\n');
    }
    assert!(figures > 3);
    let p = tmp.path().join("pred.jsonl");
    fs::write(&p, out).unwrap();
    let j =
        json_of(&tagbench(&["score", "--pred", p.to_str().unwrap(), "--format", "json"]).code(0));
    assert_eq!(strict_f1(&j), 1.0);
    let norm = &j["schemes"]["norm"]["by_label"]["FIGURE"];
    // "500" as a string is 500; "hundreds" and 2.5 are kept, and wrong.
    assert_eq!(norm["incorrect"], 2, "{norm}");
    let wrong: Vec<&Value> = j["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "wrong_norm")
        .collect();
    assert_eq!(wrong.len(), 2);
    assert_eq!(
        wrong
            .iter()
            .filter(|e| e["pred"]["norm"] == "hundreds")
            .count(),
        1,
        "{wrong:?}"
    );
}
