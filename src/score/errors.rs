//! Error analysis: every gold mention or prediction that is not a perfect match, with context.

use std::fmt;

use serde::Serialize;

use crate::annotations::Annotation;
use crate::error::controls_as_spaces;
use crate::label::Label;
use crate::span::OffsetIndex;

use super::outcome::Outcome;

/// Why a mention is listed as an error; derived from the pairing (see the [module
/// docs](super)), kept in each [`Outcome`](super::Outcome).
///
/// A pair with the same boundaries, label and norm is not an error. Boundaries are checked
/// before norms: a pair with other boundaries is a boundary error whatever its norm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A gold mention with no prediction paired to it.
    Missed,
    /// A prediction with no gold mention paired to it.
    Spurious,
    /// Same boundaries, other label.
    WrongLabel,
    /// Same label, overlapping but other boundaries.
    WrongBoundary,
    /// Other label and other (overlapping) boundaries.
    WrongLabelAndBoundary,
    /// Same boundaries and label, other norm: found but linked to the wrong entity.
    WrongNorm,
}

impl ErrorKind {
    /// Every kind, in sort order.
    pub const ALL: [ErrorKind; 6] = [
        ErrorKind::Missed,
        ErrorKind::Spurious,
        ErrorKind::WrongLabel,
        ErrorKind::WrongBoundary,
        ErrorKind::WrongLabelAndBoundary,
        ErrorKind::WrongNorm,
    ];

    /// The name used in reports, as serialized: `missed`, `wrong_label`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Missed => "missed",
            ErrorKind::Spurious => "spurious",
            ErrorKind::WrongLabel => "wrong_label",
            ErrorKind::WrongBoundary => "wrong_boundary",
            ErrorKind::WrongLabelAndBoundary => "wrong_label_and_boundary",
            ErrorKind::WrongNorm => "wrong_norm",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One side of an error, in code points like the annotation files.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Mention {
    /// Code-point offset of the first character.
    pub start: usize,
    /// Code-point offset one past the last character.
    pub end: usize,
    /// The label.
    pub label: Label,
    /// The surface text, from the annotation's `text` column.
    pub text: String,
    /// The norm as written in files (empty for none).
    pub norm: String,
}

impl Mention {
    fn of(a: &Annotation) -> Mention {
        Mention {
            start: a.span.start,
            end: a.span.end,
            label: a.span.label,
            text: a.text.clone(),
            norm: a.span.norm.to_string(),
        }
    }
}

/// One listed error: what went wrong, the mentions involved, and the text around them.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ErrorRecord {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The document id.
    pub doc: String,
    /// The gold mention (none for [`ErrorKind::Spurious`]).
    pub gold: Option<Mention>,
    /// The prediction (none for [`ErrorKind::Missed`]).
    pub pred: Option<Mention>,
    /// Up to [`CONTEXT`] code points before [`ErrorRecord::start`], control characters
    /// (newlines included) replaced by spaces; empty when the text is unknown.
    pub left: String,
    /// Up to [`CONTEXT`] code points after [`ErrorRecord::end`], as for `left`.
    pub right: String,
}

/// The number of code points of context kept on each side of an error.
pub const CONTEXT: usize = 40;

impl ErrorRecord {
    /// The earliest start of the mentions involved, in code points.
    pub fn start(&self) -> usize {
        self.mentions().map(|m| m.start).min().unwrap_or(0)
    }

    /// The latest end of the mentions involved, in code points.
    pub fn end(&self) -> usize {
        self.mentions().map(|m| m.end).max().unwrap_or(0)
    }

    fn mentions(&self) -> impl Iterator<Item = &Mention> {
        self.gold.iter().chain(self.pred.iter())
    }

    /// The order errors are listed in: document, start, end, kind, then the mentions.
    #[allow(clippy::type_complexity)]
    fn sort_key(
        &self,
    ) -> (
        &str,
        usize,
        usize,
        ErrorKind,
        &Option<Mention>,
        &Option<Mention>,
    ) {
        (
            &self.doc,
            self.start(),
            self.end(),
            self.kind,
            &self.gold,
            &self.pred,
        )
    }
}

/// The order that sorts errors by document, start, end and kind (then mentions): the
/// indices of `errors` in that order (stable: equal records keep their order).
pub(crate) fn sorted_order(errors: &[ErrorRecord]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..errors.len()).collect();
    order.sort_by(|&a, &b| errors[a].sort_key().cmp(&errors[b].sort_key()));
    order
}

/// Appends the errors of one document, one per outcome with an error, in outcome order.
pub(crate) fn collect(
    doc: &str,
    text: Option<&str>,
    gold: &[Annotation],
    pred: &[Annotation],
    outcomes: &[Outcome],
    out: &mut Vec<ErrorRecord>,
) {
    let first = out.len();
    for o in outcomes {
        let Some(kind) = o.error else { continue };
        out.push(record(
            kind,
            doc,
            o.gold.map(|(i, _)| &gold[i]),
            o.pred.map(|(j, _)| &pred[j]),
        ));
    }
    if let (Some(text), true) = (text, out.len() > first) {
        let idx = OffsetIndex::new(text);
        for e in &mut out[first..] {
            let (start, end) = (e.start(), e.end());
            e.left = slice(text, &idx, start.saturating_sub(CONTEXT), start);
            e.right = slice(
                text,
                &idx,
                end,
                end.saturating_add(CONTEXT).min(idx.char_len()),
            );
        }
    }
}

fn record(
    kind: ErrorKind,
    doc: &str,
    g: Option<&Annotation>,
    p: Option<&Annotation>,
) -> ErrorRecord {
    ErrorRecord {
        kind,
        doc: doc.to_string(),
        gold: g.map(Mention::of),
        pred: p.map(Mention::of),
        left: String::new(),
        right: String::new(),
    }
}

/// The code points `from..to` of `text` with control characters made spaces; empty when the
/// offsets are out of range (predictions are not checked against the texts).
fn slice(text: &str, idx: &OffsetIndex<'_>, from: usize, to: usize) -> String {
    match (idx.char_to_byte(from), idx.char_to_byte(to)) {
        (Some(a), Some(b)) if a <= b => controls_as_spaces(&text[a..b]),
        _ => String::new(),
    }
}
