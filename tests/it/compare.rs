//! `tagbench compare` on the real binary and the real gold.

use assert_cmd::Command;

fn tagbench() -> Command {
    let mut c = Command::cargo_bin("tagbench").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn run(args: &[&str]) -> String {
    let out = tagbench().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const FAST: [&str; 4] = ["--resamples", "200", "--shuffles", "400"];

#[test]
fn same_seed_same_output_byte_for_byte() {
    let args = [
        &["compare", "default", "no-figures", "--format", "json"][..],
        &FAST,
    ]
    .concat();
    assert_eq!(run(&args), run(&args));
    let other = [&args[..], &["--seed", "7"]].concat();
    assert_ne!(run(&args), run(&other), "the seed must matter");
}

#[test]
fn a_real_difference_is_significant_and_no_difference_is_not() {
    let args = [
        &[
            "compare",
            "default",
            "no-figures",
            "exact-case",
            "--format",
            "json",
        ][..],
        &FAST,
    ]
    .concat();
    let j: serde_json::Value = serde_json::from_str(&run(&args)).unwrap();
    let rows = j["rows"].as_array().unwrap();
    assert_eq!(rows[0]["name"], "default");
    assert!(rows[0]["p_value"].is_null());
    // Without figures, every FIGURE is missed: a large, real drop.
    assert!(rows[1]["p_value"].as_f64().unwrap() < 0.01, "{}", rows[1]);
    assert_eq!(rows[1]["strict"]["by_label"]["FIGURE"]["f1"], 0.0);
    // exact-case finds the same spans as default on the gold: identical systems, p = 1.
    assert_eq!(rows[2]["p_value"].as_f64().unwrap(), 1.0);
    let m = &rows[0]["strict"]["overall"];
    let (lo, f1, hi) = (
        m["f1_lo"].as_f64().unwrap(),
        m["f1"].as_f64().unwrap(),
        m["f1_hi"].as_f64().unwrap(),
    );
    assert!(lo <= f1 && f1 <= hi && lo < hi, "{m}");
    assert!(j["units"].as_u64().unwrap() > 20, "paragraph units");
}

#[test]
fn table_lists_every_variant_by_default() {
    let t = run(&[&["compare"][..], &FAST].concat());
    let names: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/variants"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for n in &names {
        assert_eq!(
            t.lines()
                .filter(|l| l.starts_with(&format!("{n} ")))
                .count(),
            2,
            "{n} in strict and partial blocks:\n{t}"
        );
    }
    assert!(
        t.lines().nth(4).unwrap().starts_with("default "),
        "reference first:\n{t}"
    );
}

#[test]
fn document_units_and_timing() {
    let t = run(&[
        &["compare", "default", "--unit", "document", "--timing"][..],
        &FAST,
    ]
    .concat());
    assert!(t.starts_with("5 document units"), "{t}");
    assert!(t.contains("MB/s"), "{t}");
}

#[test]
fn unknown_variant_is_bad_input() {
    let out = tagbench().args(["compare", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "unknown system \"nope\": no file or folder of that name, and no variant nope.toml"
    ));
}
