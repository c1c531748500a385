//! Helpers shared by the integration tests that drive the real `tagbench` binary.

#![allow(dead_code)] // each test crate uses its own subset

use std::path::{Path, PathBuf};

use assert_cmd::assert::Assert;
use assert_cmd::Command;
use predicates::prelude::*;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `tagbench args` in `dir` and checks what every run must satisfy: no panic, no
/// backtrace hint.
pub fn tagbench_in(dir: &Path, args: &[&str]) -> Assert {
    Command::cargo_bin("tagbench")
        .expect("the tagbench binary is built")
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .args(args)
        .assert()
        .stderr(
            predicate::str::contains("panicked")
                .or(predicate::str::contains("RUST_BACKTRACE"))
                .not(),
        )
}

/// Runs `tagbench args` in the repository root.
pub fn tagbench(args: &[&str]) -> Assert {
    tagbench_in(&repo(), args)
}

/// Standard output as text.
pub fn stdout(a: &Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error as text.
pub fn stderr(a: &Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).expect("stderr is UTF-8")
}

/// This repository's label declarations (`gold/labels.toml`).
pub fn gold_labels() -> tagbench::LabelSet {
    tagbench::LabelSet::read(&repo().join("gold/labels.toml")).expect("gold/labels.toml")
}

/// The property tests' configuration: 256 cases, or `PROPTEST_CASES` for a longer hunt;
/// failures saved in `file` (a path from the repository root).
pub fn proptest_config(file: &'static str) -> proptest::prelude::ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    proptest::prelude::ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(file),
        )),
        ..proptest::prelude::ProptestConfig::default()
    }
}
