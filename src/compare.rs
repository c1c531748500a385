//! Comparing tagger variants on the same gold: scores, bootstrap confidence intervals and
//! the significance of each difference from a reference variant.
//!
//! Resampling units are paragraphs (blocks of text separated by a blank line) or whole
//! documents; five documents are too few for a bootstrap, the gold's ~70 paragraphs are
//! enough to see which differences are real. Spans are paired once, per document, by the
//! evaluation; each outcome then belongs to the paragraph its gold mention (or, for a
//! spurious prediction, the prediction) starts in.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Serialize;

use crate::annotations::AnnotationSet;
use crate::gold::Corpus;
use crate::label::{Label, LabelSet};
use crate::score::bootstrap::{bootstrap_f1, randomization_test, Interval};
use crate::score::{Buckets, ByLabel, Counts, DocRow, Evaluation, Outcome, Scheme, SchemeTable};
use crate::span::OffsetIndex;

/// What the bootstrap resamples.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Blank-line-separated blocks of every text (the default).
    #[default]
    Paragraph,
    /// Whole documents.
    Document,
}

/// The knobs of a comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CompareOptions {
    /// The resampling unit.
    pub unit: Unit,
    /// Bootstrap resamples (default 1,000).
    pub resamples: usize,
    /// Approximate-randomisation shuffles (default 10,000).
    pub shuffles: usize,
    /// The seed: same seed, same output.
    pub seed: u64,
}

impl Default for CompareOptions {
    fn default() -> CompareOptions {
        CompareOptions {
            unit: Unit::Paragraph,
            resamples: 1000,
            shuffles: 10_000,
            seed: 42,
        }
    }
}

/// The code-point ranges of the paragraphs of `text`: blocks separated by a paragraph break
/// (a blank line, as the tagger and the stream chunker define it in `text.rs`). Each range
/// runs to the start of the next block, so every offset of the text is in exactly one range;
/// whitespace-only texts have one range.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let idx = OffsetIndex::new(text);
    let mut starts = vec![0];
    for run in crate::text::paragraph_breaks(text) {
        if run.start > 0 && run.end < text.len() {
            // A run of whole characters: its end is a character boundary.
            starts.extend(idx.byte_to_char(run.end));
        }
    }
    let mut out: Vec<Range<usize>> = starts.windows(2).map(|w| w[0]..w[1]).collect();
    out.push(*starts.last().unwrap_or(&0)..idx.char_len());
    out
}

/// One system's counts on every unit, in a fixed unit order (documents sorted by id, then
/// paragraphs in text order), read from its evaluation's outcomes (`eval` is the evaluation
/// of `pred` against `gold`, as [`evaluate_sets`](crate::score::evaluate_sets) makes it).
///
/// An outcome belongs to the unit its gold mention starts in (a spurious prediction: the unit
/// it starts in; past the end of the text: the last unit). Documents of the evaluation that
/// the corpus lacks are left out.
pub fn unit_counts(
    corpus: &Corpus,
    gold: &AnnotationSet,
    pred: &AnnotationSet,
    eval: &Evaluation,
    unit: Unit,
) -> Vec<SchemeTable> {
    let ranges: Vec<Vec<Range<usize>>> = corpus
        .documents()
        .iter()
        .map(|d| match unit {
            Unit::Document => whole_text(),
            Unit::Paragraph => paragraphs(&d.text),
        })
        .collect();
    counts_in_ranges(corpus, gold, pred, eval, &ranges)
}

/// One unit covering a whole text (the last range of a document takes everything left).
pub fn whole_text() -> Vec<Range<usize>> {
    std::iter::once(0..usize::MAX).collect()
}

/// One system's counts on given units, read from its evaluation's outcomes (`eval` is the
/// evaluation of `pred` against `gold`, as [`evaluate_sets`](crate::score::evaluate_sets)
/// makes it: nothing is paired again). `ranges[i]` are the code-point ranges of the `i`-th
/// document of `corpus` (sorted, together covering the text), and the result lists every
/// document's ranges in turn.
///
/// An outcome belongs to the range its gold mention starts in (a spurious prediction: the
/// range it starts in); the last range takes whatever is left (a mention past the text cannot
/// be, but nothing may be dropped silently). Documents of the evaluation that the corpus
/// lacks are left out.
pub fn counts_in_ranges(
    corpus: &Corpus,
    gold: &AnnotationSet,
    pred: &AnnotationSet,
    eval: &Evaluation,
    ranges: &[Vec<Range<usize>>],
) -> Vec<SchemeTable> {
    let rows: BTreeMap<&str, &DocRow> = eval.documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut out = Vec::new();
    for (d, ranges) in corpus.documents().iter().zip(ranges) {
        let mut units: Vec<Vec<&Outcome>> = vec![Vec::new(); ranges.len()];
        if let (Some(row), false) = (rows.get(d.id.as_str()), ranges.is_empty()) {
            let (g, p) = (gold.get(&d.id), pred.get(&d.id));
            for o in &row.outcomes {
                let at = match (o.gold, o.pred) {
                    (Some((i, _)), _) => g.get(i).map(|a| a.span.start),
                    (None, Some((j, _))) => p.get(j).map(|a| a.span.start),
                    (None, None) => None,
                };
                let Some(at) = at else { continue };
                // The last range starting at or before `at`.
                let u = ranges.partition_point(|r| r.start <= at).saturating_sub(1);
                units[u].push(o);
            }
        }
        out.extend(units.into_iter().map(SchemeTable::from_outcomes));
    }
    out
}

/// One system in a comparison.
#[derive(Clone, Debug)]
pub struct System {
    /// Its name.
    pub name: String,
    /// One line about it.
    pub description: String,
    /// Its counts per unit (see [`unit_counts`]).
    pub units: Vec<SchemeTable>,
    /// Its tagging throughput in MB/s on the gold texts, when measured.
    pub mb_per_s: Option<f64>,
    /// The wall-clock seconds of one run over the gold texts, when measured (a command:
    /// start to exit; a variant: one tagging pass).
    pub seconds: Option<f64>,
    /// Its scores by bucket, when asked for (read from its evaluation).
    pub buckets: Vec<Buckets>,
}

/// P, R and F1 of one scheme and label (or overall), with F1's 95% interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metric {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// Lower bound of F1's 95% bootstrap interval.
    pub f1_lo: f64,
    /// Upper bound of F1's 95% bootstrap interval.
    pub f1_hi: f64,
}

/// The metrics of one scheme: overall and per label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SchemeMetrics {
    /// Micro-averaged over labels.
    pub overall: Metric,
    /// Per label, in report order (the gold's declared labels, then others).
    pub by_label: ByLabel<Metric>,
}

/// One row of the comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The variant.
    pub name: String,
    /// One line about it.
    pub description: String,
    /// Strict scores.
    pub strict: SchemeMetrics,
    /// Partial scores.
    pub partial: SchemeMetrics,
    /// The p-value of the strict-F1 difference from the first row (none for the first row).
    pub p_value: Option<f64>,
    /// Throughput, when measured.
    pub mb_per_s: Option<f64>,
    /// Wall-clock seconds of one run over the gold texts, when measured.
    pub seconds: Option<f64>,
    /// Scores by bucket, when asked for.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "crate::report::serialize_buckets"
    )]
    pub buckets: Vec<Buckets>,
}

/// A finished comparison: compute once, render many.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The options it was computed with.
    pub options: CompareOptions,
    /// The number of resampling units.
    pub units: usize,
    /// One row per system, the reference first.
    pub rows: Vec<Row>,
}

/// Compares `systems` (the first is the reference). `labels` is the gold's label set: its
/// labels come first, then labels only some system predicts (see
/// [`LabelSet::report_order`]). `progress(done, total)` is called as the resampling
/// advances.
pub fn compare(
    systems: &[System],
    labels: &LabelSet,
    opts: &CompareOptions,
    mut progress: impl FnMut(usize, usize),
) -> Comparison {
    let seen: BTreeSet<Label> = systems
        .iter()
        .flat_map(|s| &s.units)
        .flat_map(|t| t.iter().flat_map(|(_, sc)| sc.labels()))
        .collect();
    let order = labels.report_order(seen);
    let groups: Vec<(Scheme, Option<Label>)> = [Scheme::Strict, Scheme::Partial]
        .into_iter()
        .flat_map(|s| std::iter::once((s, None)).chain(order.iter().map(move |&l| (s, Some(l)))))
        .collect();
    let per_scheme = 1 + order.len();
    let total = groups.len() * opts.resamples + systems.len().saturating_sub(1) * opts.shuffles;
    let mut done = 0;
    let pick = |t: &SchemeTable, s: Scheme, l: Option<Label>| -> Counts {
        let sc = &t[s];
        match l {
            None => sc.overall(),
            Some(l) => sc.label(l),
        }
    };
    // intervals[g][system]
    let mut intervals: Vec<Vec<Interval>> = Vec::with_capacity(groups.len());
    for &(s, l) in &groups {
        let per_system: Vec<Vec<Counts>> = systems
            .iter()
            .map(|sys| sys.units.iter().map(|t| pick(t, s, l)).collect())
            .collect();
        let base = done;
        intervals.push(bootstrap_f1(&per_system, opts.resamples, opts.seed, |k| {
            progress(base + k, total)
        }));
        done += opts.resamples;
    }
    let strict_units: Vec<Vec<Counts>> = systems
        .iter()
        .map(|sys| {
            sys.units
                .iter()
                .map(|t| pick(t, Scheme::Strict, None))
                .collect()
        })
        .collect();
    let mut rows = Vec::with_capacity(systems.len());
    for (i, sys) in systems.iter().enumerate() {
        let metric = |g: usize| {
            let (s, l) = groups[g];
            let c: Counts = sys.units.iter().map(|t| pick(t, s, l)).sum();
            Metric {
                precision: c.precision(),
                recall: c.recall(),
                f1: c.f1(),
                f1_lo: intervals[g][i].lo,
                f1_hi: intervals[g][i].hi,
            }
        };
        let scheme = |k: usize| SchemeMetrics {
            overall: metric(k * per_scheme),
            by_label: ByLabel::from_entries(
                order
                    .iter()
                    .enumerate()
                    .map(|(j, &l)| (l, metric(k * per_scheme + 1 + j)))
                    .collect(),
                labels.len(),
            ),
        };
        let p_value = (i > 0).then(|| {
            let base = done;
            let p = randomization_test(
                &strict_units[0],
                &strict_units[i],
                opts.shuffles,
                opts.seed,
                |k| progress(base + k, total),
            );
            done += opts.shuffles;
            p
        });
        rows.push(Row {
            name: sys.name.clone(),
            description: sys.description.clone(),
            strict: scheme(0),
            partial: scheme(1),
            p_value,
            mb_per_s: sys.mb_per_s,
            seconds: sys.seconds,
            buckets: sys.buckets.clone(),
        });
    }
    Comparison {
        options: opts.clone(),
        units: systems.first().map(|s| s.units.len()).unwrap_or(0),
        rows,
    }
}

/// The strict-F1 difference of two systems on the same units: `F1(b) − F1(a)` overall,
/// its 95% paired-bootstrap interval and the approximate-randomisation p-value, as
/// `compare` computes them (same units, resamples, shuffles and seed).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    /// `F1(b) − F1(a)`, strict, overall.
    pub delta: f64,
    /// Lower bound of its 95% paired-bootstrap interval.
    pub lo: f64,
    /// Upper bound of its 95% paired-bootstrap interval.
    pub hi: f64,
    /// The p-value of the difference (paired approximate randomisation).
    pub p_value: f64,
    /// The number of resampling units.
    pub units: usize,
    /// The options it was computed with.
    pub options: CompareOptions,
}

/// Computes the [`Difference`] of `b` from `a`, given their counts per unit (see
/// [`unit_counts`]; both over the same units).
pub fn difference(a: &[SchemeTable], b: &[SchemeTable], opts: &CompareOptions) -> Difference {
    let strict = |t: &[SchemeTable]| -> Vec<Counts> {
        t.iter().map(|u| u[Scheme::Strict].overall()).collect()
    };
    let (sa, sb) = (strict(a), strict(b));
    let total = |c: &[Counts]| c.iter().copied().sum::<Counts>().f1();
    let interval =
        crate::score::bootstrap::bootstrap_f1_difference(&sa, &sb, opts.resamples, opts.seed);
    Difference {
        delta: total(&sb) - total(&sa),
        lo: interval.lo,
        hi: interval.hi,
        p_value: randomization_test(&sa, &sb, opts.shuffles, opts.seed, |_| {}),
        units: sa.len(),
        options: opts.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Norm;
    use crate::span::Span;

    #[test]
    fn paragraphs_split_on_blank_lines_and_cover_the_text() {
        let text = "One.\nStill one.\n\nTwo.\r\n\r\n  Three.\n\n";
        let p = paragraphs(text);
        let n = text.chars().count();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].start, 0);
        assert_eq!(p.last().unwrap().end, n);
        for w in p.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        let chars: Vec<char> = text.chars().collect();
        let second: String = chars[p[1].clone()].iter().collect();
        assert!(second.starts_with("Two."));
        assert_eq!(paragraphs(""), vec![0..0]);
    }

    #[test]
    fn unit_counts_add_up_to_document_counts() {
        let text = "Mali met UN.\n\nMali again.";
        let corpus = Corpus::from_documents(vec![crate::gold::Document {
            id: "d".into(),
            text: text.into(),
        }])
        .unwrap();
        let mut gold = AnnotationSet::new();
        let spans = [
            Span::new(0, 4, Label::new("PLACE").unwrap(), Norm::None),
            Span::new(9, 11, Label::new("ACTOR").unwrap(), Norm::None),
            Span::new(14, 18, Label::new("PLACE").unwrap(), Norm::None),
        ];
        let text_bytes: Vec<Span> = spans.to_vec();
        gold.insert_tagged("d", text, &text_bytes);
        let mut pred = AnnotationSet::new();
        pred.insert_tagged("d", text, &text_bytes[..2]);
        let eval = crate::score::evaluate_sets(Some(&corpus), &gold, &pred, &LabelSet::new());
        let units = unit_counts(&corpus, &gold, &pred, &eval, Unit::Paragraph);
        assert_eq!(units.len(), 2);
        let strict = |t: &SchemeTable| t[Scheme::Strict].overall();
        assert_eq!(strict(&units[0]).correct, 2);
        assert_eq!(strict(&units[1]).missed, 1);
        let doc = unit_counts(&corpus, &gold, &pred, &eval, Unit::Document);
        assert_eq!(doc.len(), 1);
        assert_eq!(strict(&doc[0]), strict(&units[0]) + strict(&units[1]));
    }

    #[test]
    fn the_difference_of_two_systems_and_of_one_with_itself() {
        let place = Label::new("PLACE").unwrap();
        let g: Vec<crate::CharSpan> = (0..4)
            .map(|k| crate::CharSpan::new(k * 10, k * 10 + 4, place, Norm::None))
            .collect();
        let all: Vec<SchemeTable> = (0..20)
            .map(|_| crate::score::score_document(&g, &g).counts)
            .collect();
        let half: Vec<SchemeTable> = (0..20)
            .map(|_| crate::score::score_document(&g, &g[..2]).counts)
            .collect();
        let opts = CompareOptions {
            resamples: 200,
            shuffles: 200,
            ..CompareOptions::default()
        };
        let d = difference(&all, &half, &opts);
        let (fa, fb) = (1.0, 2.0 * 0.5 / 1.5);
        assert!((d.delta - (fb - fa)).abs() < 1e-12, "{d:?}");
        assert!(d.lo <= d.delta && d.delta <= d.hi, "{d:?}");
        assert!(d.p_value < 0.05, "{d:?}");
        assert_eq!(d.units, 20);
        let same = difference(&all, &all, &opts);
        assert_eq!(
            (same.delta, same.lo, same.hi, same.p_value),
            (0.0, 0.0, 0.0, 1.0)
        );
    }

    #[test]
    fn a_system_compared_with_itself() {
        let units: Vec<SchemeTable> = (0..12)
            .map(|i| {
                let g: Vec<crate::CharSpan> = (0..3)
                    .map(|k| {
                        crate::CharSpan::new(
                            k * 10,
                            k * 10 + 4,
                            Label::new("PLACE").unwrap(),
                            Norm::None,
                        )
                    })
                    .collect();
                let p: Vec<crate::CharSpan> = g.iter().take(1 + i % 3).cloned().collect();
                crate::score::score_document(&g, &p).counts
            })
            .collect();
        let sys = System {
            name: "a".into(),
            description: String::new(),
            units,
            mb_per_s: None,
            seconds: None,
            buckets: Vec::new(),
        };
        let b = System {
            name: "b".into(),
            ..sys.clone()
        };
        let opts = CompareOptions {
            resamples: 200,
            shuffles: 500,
            ..CompareOptions::default()
        };
        let mut calls = 0;
        let labels = crate::label::gold_labels();
        let c = compare(&[sys, b], &labels, &opts, |_, _| calls += 1);
        assert_eq!(calls, 8 * 200 + 500);
        assert_eq!(c.rows[1].p_value, Some(1.0));
        assert_eq!(c.rows[0].strict, c.rows[1].strict);
        let m = &c.rows[0].strict.overall;
        assert!(m.f1_lo <= m.f1 && m.f1 <= m.f1_hi);
        // Deterministic.
        let again = compare(
            &[System {
                name: "a".into(),
                description: String::new(),
                units: vec![],
                mb_per_s: None,
                seconds: None,
                buckets: Vec::new(),
            }],
            &labels,
            &opts,
            |_, _| {},
        );
        assert_eq!(again.units, 0);
    }
}
