//! Properties of the scorer, through the public API on several documents at once
//! (`score::evaluate` and `score::evaluate_sets`):
//!
//! - the gold against itself scores 1.0 in every scheme, overall and per label;
//! - correct + incorrect + partial + missed = possible, and correct + incorrect + partial +
//!   spurious = actual, for every scheme and label; the labels add up to the overall counts;
//!   possible is the number of gold mentions and actual the number of predictions;
//! - swapping gold and predictions swaps precision and recall under strict;
//! - adding a spurious prediction (one that overlaps no gold mention) never raises precision,
//!   in any scheme, and leaves recall alone;
//! - the result does not depend on the order of the mentions or of the documents;
//! - scores by bucket (`--by`): in every grouping, every outcome is in one bucket, so the
//!   buckets add up to the totals in every scheme, and no bucket is listed twice or empty.
//!
//! Failures are saved in `proptest-regressions/it/scorer_properties.txt`.

use std::sync::{Arc, LazyLock};

use crate::common::{self, gold_labels};
use proptest::prelude::*;
use proptest::sample::select;
use tagbench::score::{
    buckets, evaluate, evaluate_sets, BucketBy, Counts, DocInput, Evaluation, Scheme,
};
use tagbench::{Annotation, AnnotationSet, CharSpan, Label, Norm};

/// 256 cases, or `PROPTEST_CASES` for a longer hunt.
fn config() -> ProptestConfig {
    common::proptest_config("proptest-regressions/it/scorer_properties.txt")
}

const DOCS: [&str; 3] = ["a", "b", "c"];

/// The gold's three declared labels and one it does not declare (MISC): an open label set.
static LABELS: LazyLock<[Label; 4]> =
    LazyLock::new(|| ["ACTOR", "PLACE", "FIGURE", "MISC"].map(|l| Label::new(l).unwrap()));

fn norm(label: Label, n: u8) -> Norm {
    match n {
        0 => Norm::None,
        n if label.as_str() == "FIGURE" => Norm::Value(u64::from(n)),
        n => Norm::Name(Arc::from(if n == 1 { "x" } else { "y" })),
    }
}

fn annotation(doc: &str, start: usize, end: usize, label: Label, norm: Norm) -> Annotation {
    Annotation {
        doc: doc.to_string(),
        span: CharSpan::new(start, end, label, norm),
        text: format!("{start}..{end}"),
        line: 0,
    }
}

/// Mentions in a few documents, short and dense enough to overlap often, in generation
/// order (not sorted).
fn mentions() -> impl Strategy<Value = Vec<Annotation>> {
    prop::collection::vec(
        (
            select(&DOCS[..]),
            0usize..30,
            1usize..6,
            select(&LABELS[..]),
            0u8..3,
        )
            .prop_map(|(doc, start, len, label, n)| {
                annotation(doc, start, start + len, label, norm(label, n))
            }),
        0..30,
    )
}

fn set(anns: &[Annotation]) -> AnnotationSet {
    let mut s = AnnotationSet::new();
    for a in anns {
        s.push(a.clone());
    }
    s.sort();
    s
}

fn eval(gold: &[Annotation], pred: &[Annotation]) -> Evaluation {
    evaluate_sets(None, &set(gold), &set(pred), &gold_labels())
}

fn count(anns: &[Annotation], label: Option<Label>) -> u64 {
    anns.iter()
        .filter(|a| label.is_none_or(|l| a.span.label == l))
        .count() as u64
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn buckets_add_up_to_the_totals_in_every_grouping(gold in mentions(), pred in mentions()) {
        // Texts of as many words as the mention is long: lengths and surfaces vary.
        let words = |a: &Annotation| {
            let mut a = a.clone();
            a.text = vec!["w"; a.span.end - a.span.start].join(" ");
            a
        };
        let (g, p) = (
            set(&gold.iter().map(words).collect::<Vec<_>>()),
            set(&pred.iter().map(words).collect::<Vec<_>>()),
        );
        let ev = evaluate_sets(None, &g, &p, &gold_labels());
        for by in BucketBy::ALL {
            let bs = buckets(&ev, &g, &p, by);
            for scheme in Scheme::ALL {
                let sum: Counts = bs.buckets.iter().map(|b| b.counts[scheme]).sum();
                prop_assert_eq!(sum, ev.overall(scheme), "{} {}", by, scheme);
            }
            let gold_n: u64 = bs.buckets.iter().map(|b| b.gold()).sum();
            let pred_n: u64 = bs.buckets.iter().map(|b| b.predicted()).sum();
            prop_assert_eq!((gold_n, pred_n), (gold.len() as u64, pred.len() as u64), "{}", by);
            let mut names: Vec<&str> = bs.buckets.iter().map(|b| b.name.as_str()).collect();
            prop_assert!(bs.buckets.iter().all(|b| b.gold() + b.predicted() > 0), "{}", by);
            names.sort();
            names.dedup();
            prop_assert_eq!(names.len(), bs.buckets.len(), "{}: names unique", by);
        }
    }

    #[test]
    fn gold_against_itself_scores_one_in_every_scheme(gold in mentions()) {
        let ev = eval(&gold, &gold);
        for scheme in Scheme::ALL {
            let sc = ev.counts(scheme);
            let parts = LABELS.iter().map(|&l| (Some(l), sc.label(l)));
            for (label, c) in std::iter::once((None, sc.overall())).chain(parts) {
                let n = count(&gold, label);
                prop_assert_eq!(c.correct, n, "{} {:?}", scheme, label);
                prop_assert_eq!([c.incorrect, c.partial, c.missed, c.spurious], [0; 4]);
                if n > 0 {
                    let s = c.scores();
                    prop_assert_eq!([s.precision, s.recall, s.f1], [1.0; 3], "{} {:?}", scheme, label);
                }
            }
        }
        prop_assert!(ev.errors.is_empty(), "{:?}", ev.errors);
    }

    #[test]
    fn counts_add_up_in_every_scheme_and_label(gold in mentions(), pred in mentions()) {
        let ev = eval(&gold, &pred);
        for scheme in Scheme::ALL {
            let sc = ev.counts(scheme);
            let o = sc.overall();
            for l in *LABELS {
                let c = sc.label(l);
                prop_assert_eq!(c.correct + c.incorrect + c.partial + c.missed, c.possible());
                prop_assert_eq!(c.correct + c.incorrect + c.partial + c.spurious, c.actual());
                prop_assert_eq!(c.possible(), count(&gold, Some(l)), "{} {}", scheme, l);
            }
            prop_assert_eq!(o.correct + o.incorrect + o.partial + o.missed, o.possible());
            prop_assert_eq!(o.correct + o.incorrect + o.partial + o.spurious, o.actual());
            prop_assert_eq!(o.possible(), gold.len() as u64, "{}", scheme);
            prop_assert_eq!(o.actual(), pred.len() as u64, "{}", scheme);
            let sum: tagbench::score::Counts = LABELS.iter().map(|&l| sc.label(l)).sum();
            prop_assert_eq!(sum, o, "{}: labels add up", scheme);
            if scheme != Scheme::Partial {
                prop_assert_eq!(o.partial, 0, "{}", scheme);
            }
            // Every scheme pairs the same spans: only the verdicts differ.
            let strict = ev.overall(Scheme::Strict);
            prop_assert_eq!(o.missed, strict.missed);
            prop_assert_eq!(o.spurious, strict.spurious);
        }
        // The documents add up to the totals.
        for scheme in Scheme::ALL {
            let docs: tagbench::score::Counts = ev
                .documents
                .iter()
                .map(|d| d.counts(scheme).overall())
                .sum();
            prop_assert_eq!(docs, ev.overall(scheme));
        }
    }

    #[test]
    fn swapping_gold_and_predictions_swaps_precision_and_recall_under_strict(
        gold in mentions(),
        pred in mentions(),
    ) {
        let ab = eval(&gold, &pred);
        let ba = eval(&pred, &gold);
        let (x, y) = (ab.overall(Scheme::Strict), ba.overall(Scheme::Strict));
        prop_assert_eq!(x.correct, y.correct);
        prop_assert_eq!((x.possible(), x.actual()), (y.actual(), y.possible()));
        prop_assert_eq!(x.precision(), y.recall());
        prop_assert_eq!(x.recall(), y.precision());
        prop_assert_eq!(x.f1(), y.f1());
    }

    #[test]
    fn a_spurious_prediction_never_raises_precision(
        gold in mentions(),
        pred in mentions(),
        (doc, start, len, label) in (select(&DOCS[..]), 0usize..40, 1usize..6, select(&LABELS[..])),
    ) {
        // Spurious: it overlaps no gold mention, so nothing can pair with it. Where it would,
        // it moves past the document's last gold mention (it may still overlap predictions).
        let mut extra = annotation(doc, start, start + len, label, Norm::None);
        if gold.iter().any(|g| g.doc == extra.doc && g.span.overlaps(&extra.span)) {
            let last = gold.iter().filter(|g| g.doc == doc).map(|g| g.span.end).max().unwrap_or(0);
            extra = annotation(doc, last + start % 3, last + start % 3 + len, label, Norm::None);
        }
        prop_assert!(!gold.iter().any(|g| g.doc == extra.doc && g.span.overlaps(&extra.span)));
        let before = eval(&gold, &pred);
        let mut more = pred.clone();
        more.push(extra);
        let after = eval(&gold, &more);
        for scheme in Scheme::ALL {
            let (b, a) = (before.overall(scheme), after.overall(scheme));
            prop_assert!(a.precision() <= b.precision(), "{}: {} -> {}", scheme, b.precision(), a.precision());
            prop_assert_eq!(a.recall(), b.recall(), "{}", scheme);
            prop_assert_eq!(a.spurious, b.spurious + 1, "{}", scheme);
            prop_assert_eq!(a.correct + a.partial, b.correct + b.partial, "{}", scheme);
        }
    }

    #[test]
    fn the_result_does_not_depend_on_input_order(
        (gold, gold2) in mentions().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
        (pred, pred2) in mentions().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
        docs2 in Just(DOCS.to_vec()).prop_shuffle(),
    ) {
        // Mentions in generation order, documents in order; then both shuffled.
        let inputs = |gold: &[Annotation], pred: &[Annotation], docs: &[&'static str]| {
            docs.iter()
                .map(|&id| {
                    let g: Vec<Annotation> = gold.iter().filter(|a| a.doc == id).cloned().collect();
                    let p: Vec<Annotation> = pred.iter().filter(|a| a.doc == id).cloned().collect();
                    (id, g, p)
                })
                .collect::<Vec<_>>()
        };
        let run = |docs: &[(&'static str, Vec<Annotation>, Vec<Annotation>)]| {
            let inputs: Vec<DocInput<'_>> = docs
                .iter()
                .map(|(id, g, p)| DocInput { id, text: None, gold: g, pred: p })
                .collect();
            evaluate(&inputs, &gold_labels())
        };
        let a = run(&inputs(&gold, &pred, &DOCS));
        let b = run(&inputs(&gold2, &pred2, &docs2));
        prop_assert_eq!(&a.counts, &b.counts);
        prop_assert_eq!(&a.confusion, &b.confusion);
        prop_assert_eq!(&a.errors, &b.errors);
        let rows = |e: &Evaluation| {
            let mut r: Vec<_> = e.documents.iter().map(|d| (d.id.clone(), d.counts.clone())).collect();
            r.sort_by(|x, y| x.0.cmp(&y.0));
            r
        };
        prop_assert_eq!(rows(&a), rows(&b));
        // And the sorted sets score the same as the raw slices.
        prop_assert_eq!(eval(&gold2, &pred2).counts, a.counts);
    }
}
