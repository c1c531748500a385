//! The regression baseline: what every variant scores on the gold, recorded in a file so that
//! a change can be checked against it (`tagbench check`).
//!
//! A [`Baseline`] holds one [`Snapshot`] per variant: the counts and scores of every scheme,
//! overall and per label, and every error as one stable, human-readable line
//! ([`error_key`]). [`diff`] compares two baselines (the committed one and the current
//! results) into a [`CheckReport`], which says what regressed and what improved;
//! [`crate::report::check`] renders it (text, markdown, JSON).
//!
//! # The file
//!
//! ```text
//! {
//!   "version": 1,
//!   "variants": {                       // sorted by name
//!     "default": {
//!       "description": "...",
//!       "schemes": {                    // strict, exact, partial, type, norm, in that order
//!         "strict": {
//!           "overall": COUNTS,
//!           "by_label": {"ACTOR": COUNTS, "PLACE": COUNTS, "FIGURE": COUNTS}
//!         }, ...
//!       },
//!       "errors": ["missed 004_e2ca1782c0837a43 430..437 gold ACTOR \"MINUMSA\" =MINUSMA", ...]
//!     }, ...
//!   }
//! }
//! COUNTS = {"correct", "incorrect", "partial", "missed", "spurious", "possible", "actual",
//!           "precision", "recall", "f1"}       (scores rounded to 4 decimals)
//! ```
//!
//! [`Baseline::to_json`] is deterministic (maps sorted, fields in a fixed order, scores
//! rounded, pretty-printed, one trailing newline), so writing the same results twice gives
//! the same bytes and a change to the baseline reads well in review. Errors are listed in the
//! evaluation's order (document, start, end, kind).
//!
//! # What counts as a regression
//!
//! For a variant in both baselines: an F1 (any scheme, overall or per label) lower than the
//! baseline's by more than the tolerance, or an error the baseline did not have. A variant
//! missing from the baseline is a regression too (the baseline must be regenerated). Higher
//! F1s, fixed errors and baseline variants that no longer exist are reported but pass. F1s
//! are compared as stored, rounded to 4 decimals.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{controls_as_spaces, Error, Result};
use crate::gold::Dataset;
use crate::label::Label;
use crate::score::{
    evaluate_sets, ByLabel, Counts, ErrorRecord, Evaluation, Mention, PerScheme, Scheme,
    SchemeTable,
};
use crate::variant::Variant;

/// The version of the baseline file format this crate reads and writes.
pub const VERSION: u64 = 1;

/// Below this, two rounded F1s are equal: far under their resolution (0.0001), far above
/// the float noise of subtracting them.
const EPSILON: f64 = 1e-9;

/// The recorded results of every variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The file format's version: [`VERSION`].
    pub version: u64,
    /// One snapshot per variant name.
    pub variants: BTreeMap<String, Snapshot>,
}

impl Default for Baseline {
    fn default() -> Baseline {
        Baseline {
            version: VERSION,
            variants: BTreeMap::new(),
        }
    }
}

/// Only the version, read first so that a file of another version gets a clear message
/// rather than a complaint about its fields.
#[derive(Deserialize)]
struct Header {
    version: serde_json::Value,
}

impl Baseline {
    /// Runs every variant of `dir` (sorted by name) on the gold and records the results.
    pub fn from_variants(dir: &Path, gold: &Dataset) -> Result<Baseline> {
        let names = Variant::names(dir)?;
        if names.is_empty() {
            return Err(Error::invalid("no variant files (*.toml) in this folder").at_path(dir));
        }
        let mut baseline = Baseline::default();
        for name in names {
            let variant = Variant::resolve(&name, dir)?;
            baseline.variants.insert(name, snapshot(&variant, gold)?);
        }
        Ok(baseline)
    }

    /// Reads a baseline file; errors name the file and, for bad JSON, the line and column.
    pub fn read(path: &Path) -> Result<Baseline> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let src = std::str::from_utf8(&bytes)
            .map_err(|e| Error::utf8_in_file(&bytes, e.valid_up_to(), 1, 0).at_path(path))?;
        if src.trim().is_empty() {
            return Err(Error::invalid(
                "empty baseline file (write one with `tagbench check --bless`)",
            )
            .at_path(path));
        }
        Baseline::parse(src).map_err(|e| e.at_path(path))
    }

    /// Parses a baseline from JSON text: the version first, then the whole file, unknown
    /// fields rejected.
    pub fn parse(src: &str) -> Result<Baseline> {
        let header: Header = serde_json::from_str(src).map_err(json_error)?;
        if header.version.as_u64() != Some(VERSION) {
            return Err(Error::invalid(format!(
                "unsupported baseline version {} (this tagbench reads version {VERSION})",
                header.version
            )));
        }
        serde_json::from_str(src).map_err(json_error)
    }

    /// The file's content: pretty-printed JSON with a trailing newline, the same bytes for
    /// the same results.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .expect("a baseline has string keys and finite numbers");
        s.push('\n');
        s
    }
}

/// A `serde_json` error as ours, with its line and column.
fn json_error(e: serde_json::Error) -> Error {
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    let msg = full
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&full);
    match (line, column) {
        (0, _) => Error::invalid(msg),
        (_, 0) => Error::invalid(msg).at_line(line as u64),
        _ => Error::invalid(format!("column {column}: {msg}")).at_line(line as u64),
    }
}

/// The results of one variant on the gold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The variant's description.
    pub description: String,
    /// Counts and scores per scheme.
    pub schemes: PerScheme<SchemeSnapshot>,
    /// Every error as an [`error_key`], in the evaluation's order.
    pub errors: Vec<String>,
}

impl Snapshot {
    /// The snapshot of counts per scheme and a list of error keys.
    pub fn from_counts(description: &str, counts: &SchemeTable, errors: Vec<String>) -> Snapshot {
        Snapshot {
            description: description.to_string(),
            schemes: counts.map(|_, c| SchemeSnapshot {
                overall: CountsSnapshot::new(c.overall()),
                by_label: c.map(|_, &c| CountsSnapshot::new(c)),
            }),
            errors,
        }
    }

    /// The snapshot of an evaluation.
    pub fn from_evaluation(description: &str, eval: &Evaluation) -> Snapshot {
        Snapshot::from_counts(
            description,
            &eval.counts,
            eval.errors.iter().map(error_key).collect(),
        )
    }

    /// The F1 of one scheme, overall (`None`) or for one label, as stored; `None` for a
    /// label the snapshot does not list.
    pub fn f1(&self, scheme: Scheme, label: Option<Label>) -> Option<f64> {
        let s = self.schemes.get(scheme);
        match label {
            None => Some(s.overall.f1),
            Some(l) => s.by_label.get(l).map(|c| c.f1),
        }
    }
}

/// Tags the gold texts with a variant and records the results.
pub fn snapshot(variant: &Variant, gold: &Dataset) -> Result<Snapshot> {
    let tagger = variant.build()?;
    let mut pred = tagger.tag_corpus(gold.corpus());
    gold.labels().conform(&mut pred);
    let eval = evaluate_sets(
        Some(gold.corpus()),
        gold.annotations(),
        &pred,
        gold.labels(),
    );
    Ok(Snapshot::from_evaluation(&variant.description, &eval))
}

/// The counts of one scheme, overall and per label.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemeSnapshot {
    /// Micro totals.
    pub overall: CountsSnapshot,
    /// Per label, in the evaluation's report order.
    pub by_label: ByLabel<CountsSnapshot>,
}

/// Counts, their totals and their scores rounded to 4 decimals, written by the report's
/// serializer of counts (one shape: the JSON report's COUNTS); `possible` and `actual` are
/// written from the counts.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountsSnapshot {
    /// Pairs the scheme accepts.
    pub correct: u64,
    /// Pairs the scheme rejects.
    pub incorrect: u64,
    /// Pairs with half credit (partial scheme only).
    pub partial: u64,
    /// Gold mentions left unpaired.
    pub missed: u64,
    /// Predictions left unpaired.
    pub spurious: u64,
    /// Gold mentions.
    pub possible: u64,
    /// Predictions.
    pub actual: u64,
    /// Precision, rounded to 4 decimals.
    pub precision: f64,
    /// Recall, rounded to 4 decimals.
    pub recall: f64,
    /// F1, rounded to 4 decimals.
    pub f1: f64,
}

impl Serialize for CountsSnapshot {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> std::result::Result<S::Ok, S::Error> {
        let counts = Counts {
            correct: self.correct,
            incorrect: self.incorrect,
            partial: self.partial,
            missed: self.missed,
            spurious: self.spurious,
        };
        let scores = crate::score::Scores {
            precision: self.precision,
            recall: self.recall,
            f1: self.f1,
        };
        crate::report::serialize_counts(&counts, &scores, ser)
    }
}

impl CountsSnapshot {
    /// The snapshot of some counts.
    pub fn new(c: Counts) -> CountsSnapshot {
        let s = c.scores();
        CountsSnapshot {
            correct: c.correct,
            incorrect: c.incorrect,
            partial: c.partial,
            missed: c.missed,
            spurious: c.spurious,
            possible: c.possible(),
            actual: c.actual(),
            precision: crate::report::round(s.precision, 4),
            recall: crate::report::round(s.recall, 4),
            f1: crate::report::round(s.f1, 4),
        }
    }
}

/// An error as one stable line: kind, document, the code-point span it covers, then each
/// mention as `gold|pred LABEL "text" =norm`, with the mention's own span first when it is
/// not the whole span:
///
/// ```text
/// missed 004_e2ca1782c0837a43 430..437 gold ACTOR "MINUMSA" =MINUSMA
/// wrong_boundary 001_ff4f1ff15acc1bdf 805..836 gold ACTOR "Guillaume Ngefa Atonodok Andali" =… pred 805..820 ACTOR "Guillaume Ngefa" =…
/// ```
///
/// The context around the error is left out: it is for reading, and editing a text near an
/// error must not make it a new one.
pub fn error_key(e: &ErrorRecord) -> String {
    let (start, end) = (e.start(), e.end());
    let mut s = format!("{} {} {start}..{end}", e.kind, controls_as_spaces(&e.doc));
    let mut side = |name: &str, m: &Mention| {
        s.push(' ');
        s.push_str(name);
        if (m.start, m.end) != (start, end) {
            let _ = write!(s, " {}..{}", m.start, m.end);
        }
        let _ = write!(
            s,
            " {} {:?} ={}",
            m.label,
            m.text,
            controls_as_spaces(&m.norm)
        );
    };
    if let Some(g) = &e.gold {
        side("gold", g);
    }
    if let Some(p) = &e.pred {
        side("pred", p);
    }
    s
}

/// One F1 that differs between the baseline and now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct F1Change {
    /// The scheme.
    pub scheme: Scheme,
    /// The label, or `None` for overall.
    pub label: Option<Label>,
    /// The baseline's F1.
    pub old: f64,
    /// The current F1.
    pub new: f64,
    /// True when it dropped by more than the tolerance.
    pub regression: bool,
}

/// Whether a variant is in the baseline, in the current results, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// In both: compared.
    Both,
    /// Only in the current results: a regression, the baseline must be regenerated.
    New,
    /// Only in the baseline: the variant was removed; reported, passes.
    Gone,
}

/// What changed for one variant.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantDiff {
    /// The variant's name.
    pub name: String,
    /// Where it is.
    pub presence: Presence,
    /// The baseline's strict F1 overall, if it has the variant.
    pub old_strict_f1: Option<f64>,
    /// The current strict F1 overall, if the variant still exists.
    pub new_strict_f1: Option<f64>,
    /// The old and new description, when it changed.
    pub description: Option<(String, String)>,
    /// Every F1 that differs, in scheme order, overall before labels.
    pub f1: Vec<F1Change>,
    /// Errors the baseline did not have, in the current order.
    pub new_errors: Vec<String>,
    /// Errors of the baseline that are gone, in the baseline's order.
    pub fixed_errors: Vec<String>,
}

impl VariantDiff {
    /// F1 drops beyond the tolerance.
    pub fn f1_drops(&self) -> usize {
        self.f1.iter().filter(|c| c.regression).count()
    }

    /// Everything that fails the check: F1 drops, new errors, and 1 for a variant the
    /// baseline lacks.
    pub fn regressions(&self) -> usize {
        let missing = usize::from(self.presence == Presence::New);
        self.f1_drops() + self.new_errors.len() + missing
    }

    /// True when nothing differs.
    pub fn is_unchanged(&self) -> bool {
        self.presence == Presence::Both
            && self.description.is_none()
            && self.f1.is_empty()
            && self.new_errors.is_empty()
            && self.fixed_errors.is_empty()
    }
}

/// The comparison of current results with a baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckReport {
    /// How much an F1 may drop and still pass.
    pub tolerance: f64,
    /// One entry per variant of either side, sorted by name.
    pub variants: Vec<VariantDiff>,
}

/// Compares the current results (`new`) with a baseline (`old`); F1 drops of at most
/// `tolerance` pass.
pub fn diff(old: &Baseline, new: &Baseline, tolerance: f64) -> CheckReport {
    let mut names: Vec<&String> = old.variants.keys().chain(new.variants.keys()).collect();
    names.sort();
    names.dedup();
    let variants = names
        .into_iter()
        .map(|name| {
            let (o, n) = (old.variants.get(name), new.variants.get(name));
            let mut d = VariantDiff {
                name: name.clone(),
                presence: match (o, n) {
                    (Some(_), Some(_)) => Presence::Both,
                    (None, _) => Presence::New,
                    (Some(_), None) => Presence::Gone,
                },
                old_strict_f1: o.and_then(|s| s.f1(Scheme::Strict, None)),
                new_strict_f1: n.and_then(|s| s.f1(Scheme::Strict, None)),
                description: None,
                f1: Vec::new(),
                new_errors: Vec::new(),
                fixed_errors: Vec::new(),
            };
            if let (Some(o), Some(n)) = (o, n) {
                compare(o, n, tolerance, &mut d);
            }
            d
        })
        .collect();
    CheckReport {
        tolerance,
        variants,
    }
}

fn compare(o: &Snapshot, n: &Snapshot, tolerance: f64, d: &mut VariantDiff) {
    if o.description != n.description {
        d.description = Some((o.description.clone(), n.description.clone()));
    }
    for scheme in Scheme::ALL {
        // Overall, then the baseline's labels in its order, then labels only the current
        // results have; a label missing on one side has an F1 of 0 there.
        let (os, ns) = (&o.schemes[scheme].by_label, &n.schemes[scheme].by_label);
        let mut labels: Vec<Option<Label>> = vec![None];
        labels.extend(os.labels().map(Some));
        labels.extend(ns.labels().filter(|&l| os.get(l).is_none()).map(Some));
        for label in labels {
            let old = o.f1(scheme, label).unwrap_or(0.0);
            let new = n.f1(scheme, label).unwrap_or(0.0);
            if (old - new).abs() > EPSILON {
                d.f1.push(F1Change {
                    scheme,
                    label,
                    old,
                    new,
                    regression: old - new > tolerance + EPSILON,
                });
            }
        }
    }
    d.new_errors = missing_from(&n.errors, &o.errors);
    d.fixed_errors = missing_from(&o.errors, &n.errors);
}

/// The items of `a` not in `b`, as multisets (a key listed twice in `a` and once in `b`
/// appears once), in `a`'s order.
fn missing_from(a: &[String], b: &[String]) -> Vec<String> {
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    for k in b {
        *left.entry(k).or_default() += 1;
    }
    a.iter()
        .filter(|k| match left.get_mut(k.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

impl CheckReport {
    /// True when nothing regressed.
    pub fn passed(&self) -> bool {
        self.regressions() == 0
    }

    /// The number of regressions over all variants (see [`VariantDiff::regressions`]).
    pub fn regressions(&self) -> usize {
        self.variants.iter().map(VariantDiff::regressions).sum()
    }

    /// True when the two sides are identical.
    pub fn is_unchanged(&self) -> bool {
        self.variants.iter().all(VariantDiff::is_unchanged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::check::{render_bless, render_check};
    use crate::report::Format;
    use crate::score::{ErrorKind, SchemeCounts};

    fn text(r: &CheckReport) -> String {
        render_check(r, Format::Table)
    }

    /// A snapshot where every scheme has the same counts: ACTOR `actor` correct of 10 (the
    /// rest missed), PLACE 5 of 5, FIGURE none.
    fn snap(actor: u64, errors: &[&str]) -> Snapshot {
        let label = |n: &str| Label::new(n).unwrap();
        let sc = SchemeCounts::from_entries(
            vec![
                (
                    label("ACTOR"),
                    Counts {
                        correct: actor,
                        missed: 10 - actor,
                        ..Counts::default()
                    },
                ),
                (
                    label("PLACE"),
                    Counts {
                        correct: 5,
                        ..Counts::default()
                    },
                ),
                (label("FIGURE"), Counts::default()),
            ],
            3,
        );
        Snapshot::from_counts(
            "test",
            &PerScheme::from_fn(|_| sc.clone()),
            errors.iter().map(|e| e.to_string()).collect(),
        )
    }

    fn baseline(variants: &[(&str, Snapshot)]) -> Baseline {
        Baseline {
            version: VERSION,
            variants: variants
                .iter()
                .map(|(n, s)| (n.to_string(), s.clone()))
                .collect(),
        }
    }

    const E1: &str = "missed d 0..4 gold ACTOR \"Mills\" =Mills";
    const E2: &str = "missed d 9..14 gold ACTOR \"Maiga\" =Abdoulaye Maïga";

    #[test]
    fn identical_results_pass_unchanged() {
        let b = baseline(&[("a", snap(8, &[E1, E2])), ("b", snap(10, &[]))]);
        let r = diff(&b, &b, 0.0);
        assert!(r.passed() && r.is_unchanged());
        let out = text(&r);
        assert!(out.ends_with("check: ok (2 systems)\n"), "{out}");
        assert!(
            out.contains("ok    a  strict F1 0.9286 (baseline 0.9286)\n"),
            "{out}"
        );
        assert_eq!(render_bless(&r), "no change\n");
    }

    #[test]
    fn an_f1_drop_fails_with_every_scheme_and_label_named() {
        let old = baseline(&[("a", snap(9, &[E1]))]);
        let new = baseline(&[("a", snap(8, &[E1, E2]))]);
        let r = diff(&old, &new, 0.0);
        assert!(!r.passed());
        let v = &r.variants[0];
        // overall and ACTOR, in each of the five schemes
        assert_eq!(v.f1_drops(), 10);
        assert_eq!(v.new_errors, [E2]);
        assert_eq!(v.regressions(), 11);
        let out = text(&r);
        assert!(
            out.starts_with("FAIL  a  strict F1 0.9286 (baseline 0.9655)\n"),
            "{out}"
        );
        assert!(
            out.contains(
                "  - F1 strict, exact, partial, type, norm: overall 0.9655 -> 0.9286 (-0.0369), ACTOR 0.9474 -> 0.8889 (-0.0585)\n"
            ),
            "{out}"
        );
        assert!(out.contains(&format!("  - new error: {E2}\n")), "{out}");
        assert!(
            out.ends_with("check: 1 of 1 system fails: F1 drops in 5 schemes, 1 new error\n"),
            "{out}"
        );
    }

    #[test]
    fn a_drop_within_the_tolerance_passes_but_a_new_error_does_not() {
        let old = baseline(&[("a", snap(9, &[E1]))]);
        let same_errors = baseline(&[("a", snap(8, &[E1]))]);
        assert!(!diff(&old, &same_errors, 0.0).passed());
        assert!(
            !diff(&old, &same_errors, 0.05).passed(),
            "ACTOR drops 0.0585"
        );
        let r = diff(&old, &same_errors, 0.06);
        assert!(r.passed(), "{}", text(&r));
        assert!(text(&r).contains(
            "  ~ F1 strict, exact, partial, type, norm: overall 0.9655 -> 0.9286 (-0.0369, within the tolerance), ACTOR 0.9474 -> 0.8889 (-0.0585, within the tolerance)\n"
        ));
        let new_error = baseline(&[("a", snap(8, &[E1, E2]))]);
        let r = diff(&old, &new_error, 1.0);
        assert!(!r.passed());
        assert_eq!(r.variants[0].f1_drops(), 0);
        assert_eq!(r.regressions(), 1);
    }

    #[test]
    fn a_drop_equal_to_the_tolerance_passes_despite_float_noise() {
        // 0.9410 - 0.9400 is 0.0010000000000000009 in floats
        let mut old = snap(9, &[]);
        let mut new = old.clone();
        old.schemes[Scheme::Strict].overall.f1 = 0.941;
        new.schemes[Scheme::Strict].overall.f1 = 0.94;
        let r = diff(&baseline(&[("a", old)]), &baseline(&[("a", new)]), 0.001);
        assert!(r.passed(), "{}", text(&r));
    }

    #[test]
    fn improvements_and_fixed_errors_pass_and_are_reported() {
        let old = baseline(&[("a", snap(8, &[E1, E2]))]);
        let new = baseline(&[("a", snap(9, &[E2]))]);
        let r = diff(&old, &new, 0.0);
        assert!(r.passed() && !r.is_unchanged());
        assert_eq!(r.variants[0].fixed_errors, [E1]);
        let out = text(&r);
        assert!(out.contains(&format!("  + fixed: {E1}\n")), "{out}");
        assert!(
            out.contains("  + F1 strict, exact, partial, type, norm: overall 0.9286 -> 0.9655 (+0.0369), ACTOR 0.8889 -> 0.9474 (+0.0585)\n"),
            "{out}"
        );
        assert!(out.contains("--bless` records them"), "{out}");
        assert!(out.ends_with("check: ok (1 system)\n"), "{out}");
    }

    #[test]
    fn a_variant_missing_from_the_baseline_fails_and_a_removed_one_passes() {
        let old = baseline(&[("gone", snap(8, &[]))]);
        let new = baseline(&[("fresh", snap(8, &[]))]);
        let r = diff(&old, &new, 0.0);
        assert_eq!(r.regressions(), 1);
        let out = text(&r);
        assert!(
            out.contains("FAIL  fresh  strict F1 0.9286, not in the baseline: run `tagbench check --bless`\n"),
            "{out}"
        );
        assert!(
            out.contains("gone  gone   in the baseline but no longer a system"),
            "{out}"
        );
        assert!(
            out.ends_with("check: 1 of 1 system fails: 1 system not in the baseline\n"),
            "{out}"
        );
        let changes = render_bless(&r);
        assert!(
            changes.contains("added    fresh  strict F1 0.9286\n"),
            "{changes}"
        );
        assert!(changes.contains("removed  gone\n"), "{changes}");
        let r = diff(&old, &Baseline::default(), 0.0);
        assert!(r.passed(), "a removed variant passes");
    }

    #[test]
    fn errors_are_compared_as_multisets() {
        let old = baseline(&[("a", snap(8, &[E1]))]);
        let new = baseline(&[("a", snap(8, &[E1, E1]))]);
        assert_eq!(diff(&old, &new, 0.0).variants[0].new_errors, [E1]);
        assert_eq!(diff(&new, &old, 0.0).variants[0].fixed_errors, [E1]);
    }

    #[test]
    fn serialisation_is_deterministic_and_round_trips() {
        let b = baseline(&[("z", snap(7, &[E2, E1])), ("a", snap(10, &[]))]);
        let json = b.to_json();
        assert!(json.ends_with("}\n") && !json.ends_with("\n\n"));
        assert_eq!(Baseline::parse(&json).unwrap(), b);
        assert_eq!(Baseline::parse(&json).unwrap().to_json(), json);
        let order = |keys: &[&str]| {
            let at: Vec<usize> = keys.iter().map(|k| json.find(k).unwrap()).collect();
            at.windows(2).all(|w| w[0] < w[1])
        };
        assert!(order(&["\"version\": 1", "\"variants\"", "\"a\"", "\"z\""]));
        assert!(order(&[
            "\"strict\": {",
            "\"exact\": {",
            "\"partial\": {",
            "\"type\": {",
            "\"norm\": {"
        ]));
        assert!(order(&[
            "\"overall\"",
            "\"ACTOR\"",
            "\"PLACE\"",
            "\"FIGURE\""
        ]));
        assert!(order(&["Maiga", "Mills"]), "errors keep their order");
        assert!(json.contains("\"f1\": 0.8235"), "{json}");
    }

    #[test]
    fn bad_files_say_where() {
        let e = Baseline::parse("{\n  \"version\": 1,\n  \"variants\": {\n}").unwrap_err();
        assert_eq!(e.line(), Some(4), "{e}");
        assert!(e.to_string().contains("column 1: EOF while parsing"), "{e}");
        let e = Baseline::parse("{\"version\": 2, \"variants\": []}").unwrap_err();
        assert!(
            e.to_string()
                .contains("unsupported baseline version 2 (this tagbench reads version 1)"),
            "{e}"
        );
        let e = Baseline::parse("{\"variants\": {}}").unwrap_err();
        assert!(e.to_string().contains("missing field `version`"), "{e}");
        let e = Baseline::parse("{\"version\": 1, \"variants\": {}, \"extra\": 0}").unwrap_err();
        assert!(e.to_string().contains("unknown field `extra`"), "{e}");
        assert!(Baseline::parse("{\"version\": 1, \"variants\": {}}").is_ok());
    }

    fn mention(start: usize, end: usize, label: Label, text: &str, norm: &str) -> Mention {
        Mention {
            start,
            end,
            label,
            text: text.to_string(),
            norm: norm.to_string(),
        }
    }

    #[test]
    fn error_keys_table() {
        let g = mention(
            805,
            836,
            Label::new("ACTOR").unwrap(),
            "Guillaume Ngefa Atonodok Andali",
            "GNA",
        );
        let p = mention(
            805,
            820,
            Label::new("ACTOR").unwrap(),
            "Guillaume Ngefa",
            "GN",
        );
        let fig = mention(3, 11, Label::new("FIGURE").unwrap(), "hundreds", "");
        // (kind, gold, pred, key)
        let rows = [
            (
                ErrorKind::Missed,
                Some(g.clone()),
                None,
                "missed d 805..836 gold ACTOR \"Guillaume Ngefa Atonodok Andali\" =GNA",
            ),
            (
                ErrorKind::WrongBoundary,
                Some(g.clone()),
                Some(p.clone()),
                "wrong_boundary d 805..836 gold ACTOR \"Guillaume Ngefa Atonodok Andali\" =GNA pred 805..820 ACTOR \"Guillaume Ngefa\" =GN",
            ),
            (
                ErrorKind::Spurious,
                None,
                Some(fig.clone()),
                "spurious d 3..11 pred FIGURE \"hundreds\" =",
            ),
            (
                ErrorKind::WrongLabel,
                Some(mention(0, 4, Label::new("PLACE").unwrap(), "Mali\n\"", "Mali")),
                Some(mention(0, 4, Label::new("ACTOR").unwrap(), "Mali\n\"", "Mali\n")),
                "wrong_label d 0..4 gold PLACE \"Mali\\n\\\"\" =Mali pred ACTOR \"Mali\\n\\\"\" =Mali ",
            ),
        ];
        for (kind, gold, pred, key) in rows {
            let e = ErrorRecord {
                kind,
                doc: "d".to_string(),
                gold,
                pred,
                left: "context is left out".to_string(),
                right: String::new(),
            };
            assert_eq!(error_key(&e), key);
        }
    }
}
