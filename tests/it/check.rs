//! `tagbench check` end to end: the committed baseline holds, a weakened variant fails with
//! its new misses named, the tolerance, `--bless` and bad baselines.
//!
//! Every test but the first works in a temporary folder holding a copy of the default variant
//! and its gazetteers, so that it can weaken them and write baselines freely.

use crate::common;
use common::{repo, stderr, stdout, tagbench_in};

use std::fs;
use std::path::PathBuf;

use assert_cmd::assert::Assert;
use serde_json::Value;
use tagbench::baseline::Baseline;
use tempfile::TempDir;

/// The three gold mentions of Bamako, which the default tagger finds.
const BAMAKO: [&str; 3] = [
    "missed 000_00b06ec917ecedbf 277..283 gold PLACE \"Bamako\" =Bamako",
    "missed 003_504e93436d5192cb 1340..1346 gold PLACE \"Bamako\" =Bamako",
    "missed 004_e2ca1782c0837a43 2230..2236 gold PLACE \"Bamako\" =Bamako",
];

/// A temporary copy of the default variant: `variants/default.toml` and the gazetteers it
/// names under `gazetteer/`, at the same relative paths as in the repository.
struct Copy {
    dir: TempDir,
}

impl Copy {
    fn new() -> Copy {
        let dir = tempfile::tempdir().expect("temporary folder");
        for rel in [
            "variants/default.toml",
            "gazetteer/actors.csv",
            "gazetteer/places.csv",
        ] {
            let to = dir.path().join(rel);
            fs::create_dir_all(to.parent().unwrap()).expect("create folder");
            fs::copy(repo().join(rel), &to).expect("copy a repository file");
        }
        Copy { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn baseline(&self) -> PathBuf {
        self.path("baseline.json")
    }

    /// Runs `tagbench check` on the copy with the repository's gold, plus `extra` flags.
    fn check(&self, extra: &[&str]) -> Assert {
        let gold = repo().join("gold");
        let variants = self.path("variants");
        let baseline = self.baseline();
        let mut args = vec![
            "check",
            "--gold",
            gold.to_str().unwrap(),
            "--variants-dir",
            variants.to_str().unwrap(),
            "--baseline",
            baseline.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        tagbench_in(self.dir.path(), &args)
    }

    /// Removes every gazetteer row whose norm is `Bamako`, so that the tagger no longer
    /// finds the city.
    fn forget_bamako(&self) {
        let p = self.path("gazetteer/places.csv");
        let before = fs::read_to_string(&p).expect("read places.csv");
        let after: String = before
            .lines()
            .filter(|l| l.split(',').nth(2) != Some("Bamako"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(
            before.lines().count() - after.lines().count() >= 1,
            "places.csv has rows for Bamako"
        );
        fs::write(&p, after).expect("write places.csv");
    }
}

#[test]
fn committed_baseline_has_no_regression_else_run_tagbench_check_and_bless_only_improvements() {
    let a = tagbench_in(&repo(), &["check"]);
    let out = stdout(&a);
    assert!(
        a.get_output().status.success(),
        "`tagbench check` fails against gold/baseline.json:\n{out}{}\n\
         Run `cargo run --release -- check` to see why. If the change is an improvement (or \
         intended), run `cargo run --release -- check --bless` and commit gold/baseline.json \
         with the change.",
        stderr(&a)
    );
    // Eight variants, each also on the four perturbed golds tagbench.toml names.
    assert!(out.ends_with("check: ok (40 systems)\n"), "{out}");
    assert!(out.contains("\nok    default@name-newline "), "{out}");
    // The committed file is exactly what --bless writes (not hand-edited).
    let path = repo().join("gold/baseline.json");
    let bytes = fs::read_to_string(&path).expect("gold/baseline.json is committed");
    let parsed = Baseline::read(&path).expect("gold/baseline.json parses");
    assert_eq!(parsed.to_json(), bytes, "gold/baseline.json is canonical");
}

#[test]
fn weakened_gazetteer_fails_and_names_the_new_missed_spans() {
    let c = Copy::new();
    c.check(&["--bless"]).code(0);
    c.check(&[]).code(0);
    let blessed = fs::read(c.baseline()).unwrap();
    c.forget_bamako();
    let a = c.check(&[]).code(1);
    let out = stdout(&a);
    assert!(out.starts_with("FAIL  default  strict F1 "), "{out}");
    for key in BAMAKO {
        assert!(out.contains(&format!("  - new error: {key}\n")), "{out}");
    }
    assert!(
        out.contains("  - F1 strict, exact, norm: overall 0.9665 -> 0.9590 (-0.0075), PLACE 1.0000 -> 0.9767 (-0.0233)\n"),
        "{out}"
    );
    assert!(
        out.ends_with("check: 1 of 1 system fails: F1 drops in 5 schemes, 3 new errors\n"),
        "{out}"
    );
    assert_eq!(
        fs::read(c.baseline()).unwrap(),
        blessed,
        "a failing check leaves the baseline untouched"
    );
}

/// Deletes the one gazetteer row `Bamako,PLACE,Bamako,...` (the city's other rows stay).
fn change_one_row(c: &Copy) {
    let p = c.path("gazetteer/places.csv");
    let before = fs::read_to_string(&p).unwrap();
    let after: String = before
        .lines()
        .filter(|l| !l.starts_with("Bamako,PLACE,Bamako,"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(before.lines().count(), after.lines().count() + 1);
    fs::write(&p, after).unwrap();
}

#[test]
fn one_changed_gazetteer_row_fails_alike_systems_in_one_block_and_lists_each_new_error_once() {
    let c = Copy::new();
    // Two systems on the same gazetteers: one row changed fails both alike.
    fs::copy(
        c.path("variants/default.toml"),
        c.path("variants/twin.toml"),
    )
    .unwrap();
    c.check(&["--bless"]).code(0);
    change_one_row(&c);
    let out = stdout(&c.check(&[]).code(1));
    let lines: Vec<&str> = out.lines().collect();
    let blocks: Vec<&&str> = lines.iter().filter(|l| l.starts_with("FAIL  ")).collect();
    // Both fail alike: one block, under the first name.
    assert_eq!(blocks.len(), 1, "{out}");
    assert!(out.contains("\n  = the same in twin\n"), "{out}");
    for key in BAMAKO {
        assert_eq!(out.matches(key).count(), 1, "{key} listed once:\n{out}");
    }
    // F1 changes: one line per scheme, schemes with the same changes on one line.
    let f1_lines: Vec<&&str> = lines.iter().filter(|l| l.starts_with("  - F1 ")).collect();
    assert_eq!(f1_lines.len(), 3, "{out}");
    assert_eq!(
        out.matches("  - 3 new errors shared with other systems (listed below)\n")
            .count(),
        1,
        "{out}"
    );
    assert!(
        out.contains("new errors in all 2 systems:\n  - missed 000_"),
        "{out}"
    );
    assert!(
        out.ends_with("check: 2 of 2 systems fail: F1 drops in 5 schemes, 3 new errors\n"),
        "{out}"
    );
    assert!(lines.len() < 20, "short: {} lines\n{out}", lines.len());

    // JSON: every system with its changes and errors, for machines.
    let a = c.check(&["--format", "json"]).code(1);
    let j: Value = serde_json::from_str(&stdout(&a)).expect("JSON");
    assert_eq!(j["passed"], false);
    assert_eq!(j["summary"]["failed"], 2);
    assert_eq!(j["summary"]["new_errors"], 3);
    assert_eq!(j["summary"]["f1_drops"], 20);
    let sys = &j["systems"][0];
    assert_eq!(sys["name"], "default");
    assert_eq!(sys["status"], "fail");
    assert_eq!(sys["strict_f1"]["baseline"], 0.9665);
    assert_eq!(sys["strict_f1"]["current"], 0.959);
    assert_eq!(sys["new_errors"], serde_json::json!(BAMAKO));
    let drop = &sys["f1_changes"][1];
    assert_eq!(
        (
            &drop["scheme"],
            &drop["label"],
            &drop["delta"],
            &drop["status"]
        ),
        (
            &Value::from("strict"),
            &Value::from("PLACE"),
            &Value::from(-0.0233),
            &Value::from("drop")
        )
    );

    // Markdown: a summary table, a section per failing system, the shared errors once.
    let md = stdout(&c.check(&["--format", "markdown"]).code(1));
    assert!(
        md.starts_with("### tagbench check: FAILED\n\n2 of 2 systems fail: "),
        "{md}"
    );
    assert!(
        md.contains("| `default` | **FAIL** | 0.9590 | 0.9665 | -0.0075 |\n"),
        "{md}"
    );
    assert!(md.contains("| `twin` | **FAIL** |"), "{md}");
    assert!(md.contains("\n#### FAIL `default`, `twin`\n"), "{md}");
    assert!(
        md.contains("\n#### New errors in all 2 systems\n\n```text\nmissed 000_"),
        "{md}"
    );
    for key in BAMAKO {
        assert_eq!(md.matches(key).count(), 1, "{md}");
    }
    // A passing check in every format, and --format refused with --bless.
    c.check(&["--bless"]).code(0);
    let md = stdout(&c.check(&["--format", "markdown"]).code(0));
    assert!(
        md.starts_with("### tagbench check: passed\n\nok (2 systems)"),
        "{md}"
    );
    let j: Value = serde_json::from_str(&stdout(&c.check(&["--format", "json"]).code(0))).unwrap();
    assert_eq!(j["passed"], true);
    let a = c.check(&["--bless", "--format", "json"]).code(2);
    assert!(
        stderr(&a).contains("--bless prints a short summary"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn tolerance_lets_an_f1_drop_pass_but_never_a_new_error() {
    let c = Copy::new();
    c.check(&["--bless"]).code(0);
    // An F1 drop with no new error: raise the baseline's strict F1 by 0.01.
    let mut b: Value = serde_json::from_slice(&fs::read(c.baseline()).unwrap()).unwrap();
    let f1 = &mut b["variants"]["default"]["schemes"]["strict"]["overall"]["f1"];
    let now = f1.as_f64().unwrap();
    let raised = ((now + 0.01) * 10_000.0).round() / 10_000.0;
    *f1 = Value::from(raised);
    fs::write(c.baseline(), serde_json::to_string_pretty(&b).unwrap()).unwrap();
    let drop = format!("F1 strict: overall {raised:.4} -> {now:.4} (-0.0100");

    let out = stdout(&c.check(&[]).code(1));
    assert!(out.contains(&format!("  - {drop})\n")), "{out}");
    assert!(
        out.ends_with("check: 1 of 1 system fails: F1 drops in 1 scheme\n"),
        "{out}"
    );
    let out = stdout(&c.check(&["--tolerance", "0.02"]).code(0));
    assert!(
        out.contains(&format!("  ~ {drop}, within the tolerance)\n")),
        "{out}"
    );
    assert!(out.ends_with("check: ok (1 system)\n"), "{out}");

    // New errors fail whatever the tolerance.
    c.check(&["--bless"]).code(0);
    c.forget_bamako();
    let out = stdout(&c.check(&["--tolerance", "1"]).code(1));
    assert!(out.contains(BAMAKO[0]), "{out}");
    assert!(!out.contains("  - F1"), "F1 drops pass: {out}");
    assert!(out.ends_with("1 system fails: 3 new errors\n"), "{out}");
}

#[test]
fn bless_is_deterministic_and_reports_what_changed() {
    let c = Copy::new();
    let a = c.check(&["--bless"]).code(0);
    assert!(
        stdout(&a).starts_with("no previous baseline\nbless: wrote "),
        "{}",
        stdout(&a)
    );
    let first = fs::read(c.baseline()).unwrap();
    let a = c.check(&["--bless"]).code(0);
    assert!(
        stdout(&a).starts_with("no change\nbless: wrote "),
        "{}",
        stdout(&a)
    );
    assert!(
        stdout(&a).ends_with(" (1 system: 0 changed, 0 added, 0 removed)\n"),
        "{}",
        stdout(&a)
    );
    assert_eq!(fs::read(c.baseline()).unwrap(), first, "byte-identical");

    c.forget_bamako();
    let out = stdout(&c.check(&["--bless"]).code(0));
    // In short: the overall F1 change of each scheme and the count of new errors (the
    // baseline's diff in review lists them).
    assert!(
        out.starts_with(
            "changed  default  F1 strict -0.0075, exact -0.0075, partial -0.0075, type -0.0074, \
             norm -0.0075; 3 new errors\nbless: wrote "
        ),
        "{out}"
    );
    assert!(
        out.ends_with(" (1 system: 1 changed, 0 added, 0 removed)\n"),
        "{out}"
    );
    c.check(&[]).code(0);
}

#[test]
fn bless_into_a_missing_folder_exits_2_and_creates_nothing() {
    let c = Copy::new();
    let missing = c.path("no/such/folder");
    let target = missing.join("baseline.json");
    let a = tagbench_in(
        c.dir.path(),
        &[
            "check",
            "--bless",
            "--gold",
            repo().join("gold").to_str().unwrap(),
            "--variants-dir",
            c.path("variants").to_str().unwrap(),
            "--baseline",
            target.to_str().unwrap(),
        ],
    )
    .code(2);
    assert!(stderr(&a).contains("does not exist"), "{}", stderr(&a));
    assert!(!c.path("no").exists());
}

#[test]
fn variants_missing_from_the_baseline_fail_and_removed_ones_pass() {
    let c = Copy::new();
    c.check(&["--bless"]).code(0);
    fs::copy(
        c.path("variants/default.toml"),
        c.path("variants/second.toml"),
    )
    .unwrap();
    let out = stdout(&c.check(&[]).code(1));
    assert!(
        out.contains("FAIL  second   strict F1 ")
            && out.contains("not in the baseline: run `tagbench check --bless`"),
        "{out}"
    );
    let out = stdout(&c.check(&["--bless"]).code(0));
    assert!(
        out.starts_with("added    second  strict F1 0.9665\nbless: wrote "),
        "{out}"
    );
    fs::remove_file(c.path("variants/default.toml")).unwrap();
    let out = stdout(&c.check(&[]).code(0));
    assert!(
        out.contains("gone  default  in the baseline but no longer a system"),
        "{out}"
    );
    assert!(out.ends_with("check: ok (1 system)\n"), "{out}");
    let out = stdout(&c.check(&["--bless"]).code(0));
    assert!(out.starts_with("removed  default\nbless: wrote "), "{out}");
    assert!(
        out.ends_with(" (1 system: 0 changed, 0 added, 1 removed)\n"),
        "{out}"
    );
}

#[test]
fn bad_baselines_exit_2_naming_the_file() {
    let c = Copy::new();
    // (name, content or none for a missing file, expected in the message)
    let rows: [(&str, Option<&str>, &str); 4] = [
        (
            "missing",
            None,
            "no baseline file (create it with `tagbench check --bless`)",
        ),
        (
            "invalid JSON",
            Some("{\n  \"version\": 1,\n  \"variants\": {,}\n}\n"),
            "baseline.json:3: column 16: key must be a string",
        ),
        (
            "wrong version",
            Some("{\"version\": 7, \"variants\": {}}"),
            "baseline.json: unsupported baseline version 7",
        ),
        (
            "wrong shape",
            Some("{\"version\": 1, \"variants\": {\"default\": {\"description\": \"\"}}}"),
            "baseline.json:1: column 58: missing field `schemes`",
        ),
    ];
    for (name, content, expected) in rows {
        match content {
            Some(s) => fs::write(c.baseline(), s).unwrap(),
            None => {
                let _ = fs::remove_file(c.baseline());
            }
        }
        let a = c.check(&[]).code(2);
        let err = stderr(&a);
        assert!(err.contains(expected), "{name}: {err}");
        assert!(stdout(&a).is_empty(), "{name}");
        if let Some(s) = content {
            assert_eq!(fs::read_to_string(c.baseline()).unwrap(), s, "{name}");
        }
    }
    let err = stderr(&c.check(&["--tolerance=-0.1"]).code(2));
    assert!(err.contains("--tolerance must be a number >= 0"), "{err}");
}

/// A project with perturbations: the default variant, a command tagger in `mode` and a
/// predictions file, checked also on the gold with line breaks inside names and in capitals.
fn perturbed_project(dir: &std::path::Path, mode: &str) {
    let tagger = repo().join("tests/data/systems/tagger.py");
    let toml = format!(
        "gold = {:?}\nbaseline = \"baseline.json\"\nvariants_dir = {:?}\n\
         perturbations = [\"upper\", \"name-newline\"]\n\
         [systems]\nd = \"default\"\nt = \"cmd:python3 {} {mode}\"\np = {:?}\n",
        repo().join("gold").display().to_string(),
        repo().join("variants").display().to_string(),
        tagger.display(),
        repo().join("gold/annotations.csv").display().to_string(),
    );
    fs::write(dir.join("tagbench.toml"), toml).unwrap();
}

#[test]
fn a_change_that_breaks_names_across_line_breaks_fails_on_the_perturbed_gold() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    perturbed_project(dir, "spaces");
    let a = tagbench_in(dir, &["check", "--bless"]).success();
    assert!(
        stderr(&a).contains(
            "tagbench: note: p: predictions cannot tag a perturbed text; checked on the clean gold only"
        ),
        "{}",
        stderr(&a)
    );
    let b = Baseline::read(&dir.join("baseline.json")).unwrap();
    let names: Vec<&str> = b.variants.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "d",
            "d@name-newline",
            "d@upper",
            "p",
            "t",
            "t@name-newline",
            "t@upper"
        ]
    );
    assert!(b.variants["t@name-newline"]
        .description
        .contains("perturbed by name-newline"));
    tagbench_in(dir, &["check"]).success();
    // The same tagger, but "United Nations" only with one plain space: the clean gold
    // cannot tell, the gold with line breaks inside names can.
    perturbed_project(dir, "one-space");
    let a = tagbench_in(dir, &["check"]).code(1);
    let out = stdout(&a);
    let line = |name: &str| {
        out.lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .unwrap_or_else(|| panic!("{name} in {out}"))
    };
    assert!(line("t").starts_with("ok"), "{out}");
    assert!(line("t@upper").starts_with("ok"), "{out}");
    assert!(line("t@name-newline").starts_with("FAIL"), "{out}");
    assert!(out.contains("new error: missed"), "{out}");
    assert!(
        out.contains(
            "new error: missed 000_00b06ec917ecedbf 298..312 gold ACTOR \"United\\nNations\""
        ),
        "{out}"
    );
    // --perturbations on the command line wins over the file: without name-newline the
    // check passes (its record is left alone when systems are picked by name).
    tagbench_in(dir, &["check", "t", "--perturbations", "upper"]).success();
}
