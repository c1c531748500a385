//! Scoring predicted mentions against gold mentions, SemEval-2013 style.
//!
//! Everything here is a pure function over spans; nothing reads files or prints. The scorer
//! takes [`CharSpan`]s (code points, the unit of annotation files), not byte spans, because
//! overlap lengths order the pairing below: a result must not depend on how a text is encoded.
//!
//! # Pairing
//!
//! Each document is scored on its own. Gold spans and predictions are paired one to one, so
//! that each gold span and each prediction is in at most one pair:
//!
//! 1. **Exact boundaries first.** Spans with the same start and end are paired. When several
//!    candidates share the boundaries, a pair with the same label and norm is preferred, then
//!    one with the same label, then any; among equals, the lower position in sorted order
//!    ([`CharSpan::sort_key`]) wins.
//! 2. **Overlaps: same label first, then closest boundaries.** Among the spans left, every
//!    gold–prediction pair that overlaps (shares at least one unit; touching half-open spans
//!    do not) is a candidate. Candidates are taken greedily in this order: same label first;
//!    then the smallest boundary distance `|gold start − pred start| + |gold end − pred end|`;
//!    then the longest overlap; then gold start, prediction start, gold end, prediction end. A
//!    candidate is kept when neither span is paired yet.
//!
//! These are nervaluate 1.2's preferences, made independent of input order: its `ent_type`
//! strategy takes, for each prediction in input order, the free overlapping gold mention of
//! the same label with the closest boundaries (else the first free overlapping one of another
//! label); its other strategies take an exact-boundary gold mention, else the first free
//! overlapping one. Where nervaluate's counts do not depend on the order of its inputs, this
//! rule gives them under all four of its schemes, but in one case: **nested gold**. A
//! prediction with the boundaries of one gold mention and the label of another that overlaps
//! it (gold `PLACE[0,5)` and `ACTOR[0,8)`, prediction `ACTOR[0,5)`) is paired by nervaluate's
//! `exact` and `partial` with the first (correct) and by its `ent_type` with the second
//! (correct), a pairing per scheme; tagbench pairs once for every scheme (each pair has one
//! outcome under each), with the first: `type` says incorrect + missed where nervaluate says
//! correct + missed.
//!
//! **Minimum overlap.** With [`ScoreOptions::min_overlap`] F (`--min-overlap F`), an
//! overlapping pair is a candidate only when the overlap covers at least F of the gold span's
//! length (nervaluate's `min_overlap_percentage` = 100 F); below it the two are no pair, in
//! every scheme (nervaluate's strategies all apply it). F is an exact decimal and the test is
//! done in integers, where nervaluate computes a float percentage: 29 units of a 100-unit
//! gold mention cover 0.29 for tagbench but 28.999999999999996% < 29% for nervaluate.
//! Without it any overlap counts (SemEval 2013; nervaluate's default of 1% differs only for
//! gold mentions longer than 100 units).
//!
//! A gold span left unpaired is *missed*, a prediction left unpaired is *spurious*. Neither
//! side needs to be free of overlaps (predictions often nest), and the result does not depend
//! on the order of the inputs. Candidates come from a sweep over starts with an active set,
//! so a document costs O(n log n) plus the number of overlapping pairs, never all pairs.
//!
//! # Outcomes
//!
//! The pairing is judged once: every pair, every missed gold mention and every spurious
//! prediction becomes an [`Outcome`] with its [`Verdict`] under each scheme and, when it is
//! not a perfect match, its [`ErrorKind`]. An [`Evaluation`] keeps them per document
//! ([`DocRow::outcomes`]); its counts, confusion matrix and error list are read from them,
//! and so are the HTML report and the comparison of two runs. Nothing pairs spans twice.
//!
//! # Schemes
//!
//! Each pair is then judged under every [`Scheme`], as `nervaluate` does for the first four:
//!
//! | pair (gold `g`, prediction `p`)      | strict    | exact     | partial | type      | norm      |
//! |--------------------------------------|-----------|-----------|---------|-----------|-----------|
//! | same bounds, label and norm          | correct   | correct   | correct | correct   | correct   |
//! | same bounds and label, other norm    | correct   | correct   | correct | correct   | incorrect |
//! | same bounds, other label             | incorrect | correct   | correct | incorrect | incorrect |
//! | overlap, other bounds, same label    | incorrect | incorrect | partial | correct   | incorrect |
//! | overlap, other bounds, other label   | incorrect | incorrect | partial | incorrect | incorrect |
//!
//! Precision is `(correct + 0.5 × partial) / actual` and recall `(correct + 0.5 × partial) /
//! possible` (see [`Counts`]); `partial` is only ever non-zero under [`Scheme::Partial`].
//! A ratio with a zero denominator is 0.0, never NaN: with no gold and no prediction all three
//! scores are 0.0, which is why reports always show the raw counts too.
//!
//! # Per-label counts
//!
//! A pair is counted under its **gold** span's label, a missed gold span under its label, a
//! spurious prediction under its own label. Every outcome thus lands in exactly one label, and
//! for every scheme and every count the labels add up to the overall (micro) count.
//! `nervaluate` (1.2) differs: it rescores each label on that label's gold and predicted
//! spans alone, so a gold PLACE predicted as ACTOR is a *missed* PLACE and a *spurious* ACTOR
//! there (but one incorrect overall), and its per-label counts need not add up to the overall
//! ones. Who mistakes what for what is shown by the [`Confusion`]
//! matrix instead.
//!
//! Labels are listed in report order: the gold's declared labels (its [`LabelSet`], all of
//! them, with or without mentions), then labels seen only in predictions, sorted by name. The
//! macro average ([`SchemeCounts::macro_scores`]) is the unweighted mean of per-label
//! precision, recall and F1 over **the gold's declared labels**: a label only the predictions
//! use adds to the micro counts (as spurious), not to the macro mean.
//!
//! # Example
//!
//! ```
//! use tagbench::score::{score_document, Scheme};
//! use tagbench::{Label, Norm, CharSpan};
//!
//! let place = Label::new("PLACE")?;
//! let gold = [CharSpan::new(0, 4, place, Norm::None)];
//! let pred = [CharSpan::new(0, 6, place, Norm::None)];
//! let doc = score_document(&gold, &pred);
//! assert_eq!(doc.counts(Scheme::Strict).overall().incorrect, 1);
//! assert_eq!(doc.counts(Scheme::Partial).overall().partial, 1);
//! assert_eq!(doc.counts(Scheme::Type).overall().correct, 1);
//! # Ok::<(), tagbench::InvalidLabel>(())
//! ```

pub mod bootstrap;
mod bucket;
mod confusion;
mod counts;
mod errors;
mod matching;
mod options;
mod outcome;
mod scheme;
mod table;

use std::collections::BTreeSet;

use crate::annotations::{Annotation, AnnotationSet};
use crate::gold::Corpus;
use crate::label::{Label, LabelSet};
use crate::span::CharSpan;

pub use bucket::{buckets, Bucket, BucketBy, Buckets};
pub use confusion::Confusion;
pub use counts::{Counts, Scores};
pub use errors::{ErrorKind, ErrorRecord, Mention, CONTEXT};
pub use matching::{match_spans, Matching, Pair};
pub use options::{InvalidMinOverlap, MinOverlap, ScoreOptions};
pub use outcome::{Outcome, Verdict};
pub use scheme::{Scheme, UnknownScheme};
pub use table::{ByLabel, PerScheme, SchemeCounts, SchemeTable};

/// The score of one document: what became of each span, and what that is worth.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocScore {
    /// Every gold mention and prediction with its outcome (see [`Outcome`] for the order).
    pub outcomes: Vec<Outcome>,
    /// Counts per scheme and label, labels sorted by name (a document knows no declared
    /// order: [`evaluate`] puts its rows in report order).
    pub counts: SchemeTable,
    /// The label confusion matrix.
    pub confusion: Confusion,
}

impl DocScore {
    /// The counts of one scheme.
    pub fn counts(&self, scheme: Scheme) -> &SchemeCounts {
        &self.counts[scheme]
    }
}

/// Pairs and scores one document's spans (see the [module docs](self) for the rules).
pub fn score_document(gold: &[CharSpan], pred: &[CharSpan]) -> DocScore {
    score_document_with(gold, pred, &ScoreOptions::default())
}

/// [`score_document`] with options.
pub fn score_document_with(gold: &[CharSpan], pred: &[CharSpan], opts: &ScoreOptions) -> DocScore {
    score_by(gold, pred, |s| s, opts)
}

/// Pairs once, then reads everything from the outcomes.
fn score_by<T>(
    gold: &[T],
    pred: &[T],
    span: impl Fn(&T) -> &CharSpan + Copy,
    opts: &ScoreOptions,
) -> DocScore {
    let matching = matching::match_by(gold, pred, span, opts.min_overlap);
    let outcomes = outcome::outcomes(gold, pred, span, &matching);
    DocScore {
        counts: SchemeTable::from_outcomes(&outcomes),
        confusion: Confusion::from_outcomes(&outcomes),
        outcomes,
    }
}

/// One document to evaluate: its mentions (in any order) and, for error context, its text.
#[derive(Clone, Copy, Debug)]
pub struct DocInput<'a> {
    /// The document id.
    pub id: &'a str,
    /// The text, for the context of errors; offsets must be in the text's units (code
    /// points for annotation files).
    pub text: Option<&'a str>,
    /// Gold mentions.
    pub gold: &'a [Annotation],
    /// Predicted mentions.
    pub pred: &'a [Annotation],
}

/// One document of an evaluation: what became of each of its spans, and its counts (so
/// that reports can list documents and a bootstrap can resample them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocRow {
    /// The document id.
    pub id: String,
    /// Counts per scheme and label, in the evaluation's label order.
    pub counts: SchemeTable,
    /// Every gold mention and prediction of the document with its outcome: gold mentions in
    /// input order, then spurious predictions (see [`Outcome`]). Indices are into the
    /// document's [`DocInput::gold`] and [`DocInput::pred`].
    pub outcomes: Vec<Outcome>,
}

impl DocRow {
    /// The counts of one scheme.
    pub fn counts(&self, scheme: Scheme) -> &SchemeCounts {
        &self.counts[scheme]
    }
}

/// The result of scoring a set of documents: computed once, rendered by [`crate::report`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// The labels in report order: the gold's declared labels, then labels seen only in
    /// predictions (sorted by name).
    pub labels: Vec<Label>,
    /// How many of `labels` are the gold's declared labels (the macro averages' labels).
    pub declared: usize,
    /// Totals per scheme and label (the sum of the documents' counts).
    pub counts: SchemeTable,
    /// One row per document, in input order.
    pub documents: Vec<DocRow>,
    /// The label confusion matrix over all documents.
    pub confusion: Confusion,
    /// Every outcome that is not a perfect (strict and norm) match, sorted by document,
    /// start, end and kind; each outcome's [`Outcome::listed`] is its index here. No
    /// `wrong_norm` error when [`Evaluation::norms_missing`].
    pub errors: Vec<ErrorRecord>,
    /// True when the gold has norms and the predictions none at all: the norm scheme is not
    /// applicable (reports say n/a) rather than every mention's norm wrong.
    pub norms_missing: bool,
}

impl Evaluation {
    /// The totals of one scheme, per label.
    pub fn counts(&self, scheme: Scheme) -> &SchemeCounts {
        &self.counts[scheme]
    }

    /// The micro totals of one scheme.
    pub fn overall(&self, scheme: Scheme) -> Counts {
        self.counts(scheme).overall()
    }

    /// The macro average of one scheme over the gold's declared labels (see
    /// [`SchemeCounts::macro_scores`]).
    pub fn macro_scores(&self, scheme: Scheme) -> Scores {
        self.counts(scheme).macro_scores()
    }

    /// Whether a scheme's figures mean something: all but the norm scheme when the
    /// predictions carry no norm (see [`Evaluation::norms_missing`]).
    pub fn applicable(&self, scheme: Scheme) -> bool {
        !(scheme == Scheme::Norm && self.norms_missing)
    }

    /// The gold's declared labels, in order.
    pub fn declared_labels(&self) -> &[Label] {
        &self.labels[..self.declared]
    }
}

/// Scores every document and gathers totals, per-document rows, confusions and errors.
///
/// `labels` is the gold's [`LabelSet`]: reports list its labels first, in its order, and
/// macro averages are over them. An empty set stands for the gold's labels in order of
/// first appearance.
pub fn evaluate(docs: &[DocInput<'_>], labels: &LabelSet) -> Evaluation {
    evaluate_with(docs, labels, &ScoreOptions::default())
}

/// [`evaluate`] with options.
pub fn evaluate_with(docs: &[DocInput<'_>], labels: &LabelSet, opts: &ScoreOptions) -> Evaluation {
    let derived;
    let labels = if labels.is_empty() {
        let mut set = LabelSet::new();
        for d in docs {
            for a in d.gold {
                set.declare(a.span.label, crate::label::NormKind::Name);
            }
        }
        derived = set;
        &derived
    } else {
        labels
    };
    let seen: BTreeSet<Label> = docs
        .iter()
        .flat_map(|d| d.gold.iter().chain(d.pred))
        .map(|a| a.span.label)
        .collect();
    let order = labels.report_order(seen);
    let declared = labels.len();
    let mut ev = Evaluation {
        documents: Vec::with_capacity(docs.len()),
        ..Evaluation::default()
    };
    // Where each error came from: (document, outcome).
    let mut origin: Vec<(usize, usize)> = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        let score = score_by(d.gold, d.pred, |a: &Annotation| &a.span, opts);
        ev.counts += score.counts.clone();
        ev.confusion += score.confusion;
        errors::collect(
            d.id,
            d.text,
            d.gold,
            d.pred,
            &score.outcomes,
            &mut ev.errors,
        );
        origin.extend(
            score
                .outcomes
                .iter()
                .enumerate()
                .filter(|(_, o)| o.error.is_some())
                .map(|(oi, _)| (di, oi)),
        );
        ev.documents.push(DocRow {
            id: d.id.to_string(),
            counts: score.counts.ordered(&order, declared),
            outcomes: score.outcomes,
        });
    }
    ev.counts = ev.counts.ordered(&order, declared);
    ev.labels = order;
    ev.declared = declared;
    let has_norm = |a: &Annotation| !a.span.norm.is_none();
    ev.norms_missing = docs.iter().any(|d| d.gold.iter().any(has_norm))
        && !docs.iter().any(|d| d.pred.iter().any(has_norm));
    if ev.norms_missing {
        // Norms are not scored: a pair wrong only in its norm is no error, and not listed.
        let mut kept = Vec::with_capacity(ev.errors.len());
        let mut kept_origin = Vec::with_capacity(origin.len());
        for (rec, (di, oi)) in ev.errors.drain(..).zip(origin) {
            if rec.kind == ErrorKind::WrongNorm {
                ev.documents[di].outcomes[oi].error = None;
            } else {
                kept.push(rec);
                kept_origin.push((di, oi));
            }
        }
        ev.errors = kept;
        origin = kept_origin;
    }
    // Sort the errors, and tell each outcome where its error went.
    let sorted = errors::sorted_order(&ev.errors);
    let mut records: Vec<Option<ErrorRecord>> = ev.errors.drain(..).map(Some).collect();
    for (at, &i) in sorted.iter().enumerate() {
        let (di, oi) = origin[i];
        ev.documents[di].outcomes[oi].listed = Some(at);
        ev.errors.extend(records[i].take());
    }
    ev
}

/// Evaluates two annotation sets over the union of their document ids (sorted), taking texts
/// from `corpus` when given (a document missing from it gets no error context). `labels` is
/// the gold's label set (see [`evaluate`]).
pub fn evaluate_sets(
    corpus: Option<&Corpus>,
    gold: &AnnotationSet,
    pred: &AnnotationSet,
    labels: &LabelSet,
) -> Evaluation {
    evaluate_sets_with(corpus, gold, pred, labels, &ScoreOptions::default())
}

/// [`evaluate_sets`] with options.
pub fn evaluate_sets_with(
    corpus: Option<&Corpus>,
    gold: &AnnotationSet,
    pred: &AnnotationSet,
    labels: &LabelSet,
    opts: &ScoreOptions,
) -> Evaluation {
    let ids: BTreeSet<&str> = gold.doc_ids().chain(pred.doc_ids()).collect();
    let inputs: Vec<DocInput<'_>> = ids
        .into_iter()
        .map(|id| DocInput {
            id,
            text: corpus.and_then(|c| c.get(id)).map(|d| d.text.as_str()),
            gold: gold.get(id),
            pred: pred.get(id),
        })
        .collect();
    evaluate_with(&inputs, labels, opts)
}

#[cfg(test)]
mod tests;
