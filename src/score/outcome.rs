//! What became of every gold mention and every prediction: the pairing, judged once.
//!
//! Scoring a document pairs its spans once ([`super::matching`]) and turns the pairing into
//! one [`Outcome`] per pair, per missed gold mention and per spurious prediction. Everything
//! else is read from these outcomes: the counts of every scheme, the confusion matrix, the
//! error list, the HTML report and the comparison of two runs. Nothing pairs spans again.

use serde::Serialize;

use super::confusion::Confusion;
use super::errors::ErrorKind;
use super::matching::Matching;
use super::scheme::Scheme;
use super::table::{PerScheme, SchemeTable};
use crate::label::Label;
use crate::span::CharSpan;

/// What one scheme makes of an [`Outcome`]: the count it adds one to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A pair the scheme accepts.
    Correct,
    /// A pair the scheme rejects.
    Incorrect,
    /// A pair with overlapping, other boundaries under [`Scheme::Partial`] (half credit).
    Partial,
    /// A gold mention without a prediction.
    Missed,
    /// A prediction without a gold mention.
    Spurious,
}

/// One gold mention and the prediction paired with it, or a gold mention or a prediction
/// left alone, with how each scheme judges it.
///
/// `gold` and `pred` are indices into the document's gold mentions and predictions as they
/// were given to the scorer (for [`super::evaluate_sets`]: the slices
/// [`crate::AnnotationSet::get`] returns). A document's outcomes list every gold mention once,
/// in input order (paired or missed), then every spurious prediction, in input order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Outcome {
    /// The gold mention's index and label; none for a spurious prediction.
    pub gold: Option<(usize, Label)>,
    /// The prediction's index and label; none for a missed gold mention.
    pub pred: Option<(usize, Label)>,
    /// What went wrong, or none for a pair with the same boundaries, label and norm.
    pub error: Option<ErrorKind>,
    /// The verdict of each scheme.
    pub verdicts: PerScheme<Verdict>,
    /// The index of this outcome's entry in [`super::Evaluation::errors`], set by
    /// [`super::evaluate`] when `error` is some; none otherwise (and in a
    /// [`super::DocScore`], which has no error list).
    pub listed: Option<usize>,
}

impl Outcome {
    /// The label the outcome is counted under: the gold mention's, or a spurious
    /// prediction's own (none only for an outcome without either, which scoring never
    /// makes).
    pub fn label(&self) -> Option<Label> {
        self.gold.or(self.pred).map(|(_, l)| l)
    }

    /// The verdict of one scheme.
    pub fn verdict(&self, scheme: Scheme) -> Verdict {
        self.verdicts[scheme]
    }

    /// A pair of a gold mention and a prediction, judged by every scheme.
    fn pair(gi: usize, g: &CharSpan, pi: usize, p: &CharSpan) -> Outcome {
        let bounds = g.start == p.start && g.end == p.end;
        let label = g.label == p.label;
        let norm = g.norm == p.norm;
        let error = match (bounds, label) {
            (true, true) if norm => None,
            (true, true) => Some(ErrorKind::WrongNorm),
            (true, false) => Some(ErrorKind::WrongLabel),
            (false, true) => Some(ErrorKind::WrongBoundary),
            (false, false) => Some(ErrorKind::WrongLabelAndBoundary),
        };
        let verdicts = PerScheme::from_fn(|scheme| {
            let correct = match scheme {
                Scheme::Strict => bounds && label,
                Scheme::Exact | Scheme::Partial => bounds,
                Scheme::Type => label,
                Scheme::Norm => bounds && label && norm,
            };
            match (correct, scheme) {
                (true, _) => Verdict::Correct,
                (false, Scheme::Partial) => Verdict::Partial,
                (false, _) => Verdict::Incorrect,
            }
        });
        Outcome {
            gold: Some((gi, g.label)),
            pred: Some((pi, p.label)),
            error,
            verdicts,
            listed: None,
        }
    }

    fn missed(gi: usize, g: &CharSpan) -> Outcome {
        Outcome {
            gold: Some((gi, g.label)),
            pred: None,
            error: Some(ErrorKind::Missed),
            verdicts: PerScheme::from_fn(|_| Verdict::Missed),
            listed: None,
        }
    }

    fn spurious(pi: usize, p: &CharSpan) -> Outcome {
        Outcome {
            gold: None,
            pred: Some((pi, p.label)),
            error: Some(ErrorKind::Spurious),
            verdicts: PerScheme::from_fn(|_| Verdict::Spurious),
            listed: None,
        }
    }
}

/// The outcomes of a pairing, in the documented order: gold mentions in input order, then
/// spurious predictions in input order.
pub(crate) fn outcomes<T>(
    gold: &[T],
    pred: &[T],
    span: impl Fn(&T) -> &CharSpan,
    m: &Matching,
) -> Vec<Outcome> {
    let mut out = Vec::with_capacity(gold.len() + m.spurious.len());
    // `pairs` is sorted by gold index and `missed` ascending: merge them.
    let (mut pairs, mut missed) = (m.pairs.iter().peekable(), m.missed.iter().peekable());
    loop {
        let take_pair = match (pairs.peek(), missed.peek()) {
            (Some(p), Some(&&i)) => p.gold < i,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if take_pair {
            let p = pairs.next().expect("peeked");
            out.push(Outcome::pair(
                p.gold,
                span(&gold[p.gold]),
                p.pred,
                span(&pred[p.pred]),
            ));
        } else {
            let i = *missed.next().expect("peeked");
            out.push(Outcome::missed(i, span(&gold[i])));
        }
    }
    out.extend(
        m.spurious
            .iter()
            .map(|&j| Outcome::spurious(j, span(&pred[j]))),
    );
    out
}

impl SchemeTable {
    /// The counts of every scheme and label over some outcomes (a document's, or any subset
    /// of an evaluation's, such as a bucket of mentions), labels sorted by name.
    pub fn from_outcomes<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> SchemeTable {
        let mut t = SchemeTable::default();
        for o in outcomes {
            let Some(label) = o.label() else { continue };
            for scheme in Scheme::ALL {
                let c = t[scheme].entry(label);
                match o.verdicts[scheme] {
                    Verdict::Correct => c.correct += 1,
                    Verdict::Incorrect => c.incorrect += 1,
                    Verdict::Partial => c.partial += 1,
                    Verdict::Missed => c.missed += 1,
                    Verdict::Spurious => c.spurious += 1,
                }
            }
        }
        t.sort_by_label();
        t
    }
}

impl Confusion {
    /// The confusion matrix of some outcomes.
    pub fn from_outcomes<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> Confusion {
        let mut c = Confusion::default();
        for o in outcomes {
            c.add(o.gold.map(|g| g.1), o.pred.map(|p| p.1));
        }
        c
    }
}
