//! The integration tests: one test binary, one module per topic, all driving the real
//! `tagbench` binary or the library's public API on real files.
//!
//! One binary links the library once instead of once per file. Run one module with
//! `cargo test --test it MODULE::` (for example `cargo test --test it check::`).

mod common;

mod bad_input;
mod buckets;
mod check;
mod cli;
mod compare;
mod conll_crosscheck;
mod formats;
mod gold_integrity;
mod hostile;
mod labels;
mod nothing_lost;
mod overlaps;
mod perturb;
mod reader_properties;
mod report;
mod scorer_properties;
mod scorer_worked_example;
mod stream;
mod systems;
mod tagger_properties;
