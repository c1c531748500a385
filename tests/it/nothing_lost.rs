//! Nothing lost: every file tagbench writes goes through a temporary file in the same folder
//! and a rename on success (`src/bin/tagbench/output.rs`). These tests drive the real binary
//! and check that a failure, wherever it happens, leaves every existing file byte for byte
//! as it was and no temporary file behind:
//!
//! - a failure before writing: an input error after the output exists (`convert`, `tag`,
//!   `check --bless` with a broken variant), an output whose parent is a file;
//! - a failure while writing: the disk filling up, simulated with a file-size limit
//!   (`ulimit -f`, with `SIGXFSZ` ignored so that the write fails with "File too large"
//!   instead of killing the process), for one file, a brat folder and a baseline;
//! - and a success: the new bytes, the old file's permissions, no temporary file.
//!
//! Tests run as root here, so a read-only folder would not stop a write: the failures are
//! made with paths that cannot be created and with the size limit instead.

use crate::common;
use common::{repo, stderr, tagbench_in};

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, bytes).unwrap();
    p
}

/// Every file and folder under `dir`, with the files' bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &p, out);
            } else {
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn assert_unchanged(before: &BTreeMap<String, Vec<u8>>, dir: &Path, what: &str) {
    let after = snapshot(dir);
    let temps: Vec<&String> = after.keys().filter(|k| k.contains(".tmp-")).collect();
    assert!(temps.is_empty(), "{what}: temporary files left: {temps:?}");
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "{what}: files created or removed"
    );
    for (k, v) in before {
        assert!(after[k] == *v, "{what}: {k} changed");
    }
}

/// A small corpus: two texts and their annotations, in `dir`.
fn corpus(dir: &Path) {
    write(dir, "texts/a.txt", "Mali and the UN met in Bamako.\n");
    write(dir, "texts/b.txt", "13,000 troops left Mali.\n");
    write(
        dir,
        "ann.csv",
        "doc,start,end,label,text,norm\na,0,4,PLACE,Mali,Mali\nb,0,6,FIGURE,\"13,000\",13000\n",
    );
}

const OLD: &str = "the old output, which must survive\n";

// ---- failures before writing -------------------------------------------------------------

#[test]
fn convert_with_an_input_error_leaves_the_existing_output_untouched() {
    let tmp = TempDir::new().unwrap();
    let d = tmp.path();
    corpus(d);
    write(
        d,
        "bad.csv",
        "doc,start,end,label,text,norm\na,0,4,PLACE,Mali,Mali\nb,0,99,FIGURE,x,\n",
    );
    write(d, "out.jsonl", OLD);
    // A brat folder with a file of its own, which a successful convert would keep too.
    write(d, "brat/a.txt", "old text\n");
    write(d, "brat/a.ann", "T1\tPLACE 0 3\told\n");
    write(d, "brat/notes.md", "mine\n");
    for out in ["out.jsonl", "brat"] {
        let before = snapshot(d);
        let a = tagbench_in(d, &["convert", "bad.csv", "--texts", "texts", out]).code(2);
        let err = stderr(&a);
        assert!(
            err.contains("bad.csv:3: field `end`: span 0..99 is past the end of document \"b\""),
            "{err}"
        );
        assert_unchanged(&before, d, out);
    }
}

#[test]
fn an_output_whose_parent_is_a_file_exits_2_and_the_file_is_intact() {
    let tmp = TempDir::new().unwrap();
    let d = tmp.path();
    corpus(d);
    write(d, "out.jsonl", OLD);
    let before = snapshot(d);
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "convert",
                "ann.csv",
                "--texts",
                "texts",
                "out.jsonl/x.jsonl",
            ],
            "out.jsonl/x.jsonl: cannot write: out.jsonl is a file, not a folder",
        ),
        (
            &[
                "convert",
                "ann.csv",
                "--texts",
                "texts",
                "--to",
                "brat",
                "out.jsonl/brat",
            ],
            "out.jsonl/brat: cannot create the folder: out.jsonl is a file, not a folder",
        ),
        (
            &[
                "convert",
                "ann.csv",
                "--texts",
                "texts",
                "--texts-out",
                "out.jsonl/t",
                "o.csv",
            ],
            "out.jsonl/t: cannot create the folder: out.jsonl is a file, not a folder",
        ),
        (
            &[
                "tag",
                "--variants-dir",
                "{repo}/variants",
                "--out",
                "out.jsonl/p.csv",
                "texts",
            ],
            "out.jsonl/p.csv: cannot write: out.jsonl is a file, not a folder",
        ),
    ];
    let repo = repo();
    for (args, want) in cases {
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("{repo}", repo.to_str().unwrap()))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let a = tagbench_in(d, &args).code(2).stdout("");
        let err = stderr(&a);
        assert!(err.contains(want), "{args:?}: {err}");
        assert_unchanged(&before, d, want);
    }
}

/// A gold folder, a gazetteer and variants in `dir`; `broken` adds a variant that does not
/// load.
fn check_setup(dir: &Path, broken: bool) {
    write(dir, "gold/texts/a.txt", "Mali and the UN met in Bamako.\n");
    write(
        dir,
        "gold/annotations.csv",
        "doc,start,end,label,text,norm\na,0,4,PLACE,Mali,Mali\na,13,15,ACTOR,UN,United Nations\n",
    );
    write(
        dir,
        "g.csv",
        "term,label,norm\nMali,PLACE,Mali\nBamako,PLACE,Bamako\n",
    );
    write(
        dir,
        "variants/ok.toml",
        "description = \"Mali and Bamako\"\ngazetteers = [\"../g.csv\"]\n",
    );
    if broken {
        write(
            dir,
            "variants/zz-broken.toml",
            "description = \"broken\"\ngazetteers = [\"../g.csv\"]\n[tagger]\ncase = \"upper\"\n",
        );
    }
}

#[test]
fn bless_with_a_broken_variant_leaves_the_baseline_and_no_temp_file() {
    let tmp = TempDir::new().unwrap();
    let d = tmp.path();
    check_setup(d, false);
    tagbench_in(d, &["check", "--bless"]).code(0);
    let baseline = fs::read(d.join("gold/baseline.json")).unwrap();
    assert!(baseline.starts_with(b"{"), "a baseline is written");
    check_setup(d, true);
    let before = snapshot(d);
    let a = tagbench_in(d, &["check", "--bless"]).code(2).stdout("");
    let err = stderr(&a);
    assert!(
        err.contains("variants/zz-broken.toml:4: column 8: unknown value `upper`"),
        "{err}"
    );
    assert_unchanged(&before, d, "check --bless");
    assert_eq!(fs::read(d.join("gold/baseline.json")).unwrap(), baseline);
}

// ---- failures while writing --------------------------------------------------------------

/// Runs `tagbench args` in `dir` with files limited to `blocks` of 512 bytes and `SIGXFSZ`
/// ignored: a write past the limit fails with EFBIG ("File too large"), as on a full disk.
fn tagbench_with_file_limit(dir: &Path, blocks: u32, args: &[&str]) -> assert_cmd::assert::Assert {
    let bin = assert_cmd::cargo::cargo_bin("tagbench");
    let script = format!("trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\"");
    Command::new("sh")
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .arg("-c")
        .arg(script)
        .arg(bin)
        .args(args)
        .assert()
}

/// A corpus whose outputs are larger than the limit: one long text.
fn big_corpus(dir: &Path) {
    let text = "Mali and the UN met in Bamako. ".repeat(400);
    write(dir, "texts/a.txt", &text);
    let mut csv = String::from("doc,start,end,label,text,norm\n");
    for i in 0..400 {
        let at = i * 31;
        csv.push_str(&format!("a,{at},{},PLACE,Mali,Mali\n", at + 4));
    }
    write(dir, "ann.csv", csv);
}

#[test]
fn a_full_disk_while_writing_leaves_the_old_file_and_no_temp_file() {
    let tmp = TempDir::new().unwrap();
    let d = tmp.path();
    big_corpus(d);
    write(d, "out.jsonl", OLD);
    write(d, "brat/a.txt", "old text\n");
    write(d, "brat/a.ann", "T1\tPLACE 0 3\told\n");
    // 8 blocks: 4 KiB, less than any of the outputs (12 KiB of text at least).
    for out in ["out.jsonl", "brat", "new-brat"] {
        let before = snapshot(d);
        let a = tagbench_with_file_limit(
            d,
            8,
            &[
                "convert",
                "ann.csv",
                "--texts",
                "texts",
                "--to",
                if out == "out.jsonl" { "jsonl" } else { "brat" },
                out,
            ],
        )
        .code(2)
        .stdout("");
        let err = stderr(&a);
        assert!(
            err.contains("cannot write") && err.contains("File too large"),
            "{out}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        // Nothing changed; a folder created for the output is gone again.
        assert_unchanged(&before, d, out);
    }
    // Without the limit, the same commands succeed.
    tagbench_in(d, &["convert", "ann.csv", "--texts", "texts", "out.jsonl"]).code(0);
    assert_ne!(fs::read_to_string(d.join("out.jsonl")).unwrap(), OLD);
}

#[test]
fn a_full_disk_while_blessing_leaves_the_baseline() {
    let tmp = TempDir::new().unwrap();
    let d = tmp.path();
    check_setup(d, false);
    let old = "{\"version\": 1, \"variants\": {}}\n";
    write(d, "gold/baseline.json", old);
    let before = snapshot(d);
    // 1 block: 512 bytes, less than a baseline of one variant.
    let a = tagbench_with_file_limit(d, 1, &["check", "--bless"])
        .code(2)
        .stdout("");
    let err = stderr(&a);
    assert!(
        err.contains("gold/baseline.json: cannot write: File too large"),
        "{err}"
    );
    assert_unchanged(&before, d, "check --bless");
}

#[test]
fn a_full_disk_while_tagging_leaves_the_old_predictions() {
    let tmp = TempDir::new().unwrap();
    let d = tmp.path();
    big_corpus(d);
    write(
        d,
        "g.csv",
        "term,label,norm\nMali,PLACE,Mali\nBamako,PLACE,Bamako\n",
    );
    write(
        d,
        "v.toml",
        "description = \"x\"\ngazetteers = [\"g.csv\"]\n",
    );
    write(d, "pred.csv", OLD);
    let before = snapshot(d);
    let a = tagbench_with_file_limit(
        d,
        8,
        &["tag", "--variant", "v.toml", "--out", "pred.csv", "texts"],
    )
    .code(2)
    .stdout("");
    let err = stderr(&a);
    assert!(
        err.contains("pred.csv: cannot write: File too large"),
        "{err}"
    );
    assert_unchanged(&before, d, "tag --out");
}

// ---- success -----------------------------------------------------------------------------

#[test]
fn a_replaced_file_keeps_its_permissions_and_no_temp_file_is_left() {
    let tmp = TempDir::new().unwrap();
    let d = tmp.path();
    corpus(d);
    let out = write(d, "out.jsonl", OLD);
    fs::set_permissions(&out, fs::Permissions::from_mode(0o600)).unwrap();
    tagbench_in(d, &["convert", "ann.csv", "--texts", "texts", "out.jsonl"]).code(0);
    let new = fs::read_to_string(&out).unwrap();
    assert!(new.starts_with("{\"id\":\"a\""), "{new}");
    let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "permissions kept: {mode:o}");
    let left: Vec<String> = fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
