//! Reports: one data model built once from an [`Evaluation`], rendered in several formats.
//!
//! [`Report`] is what every renderer reads, and its `Serialize` output *is* the JSON format,
//! so the formats cannot disagree. Renderers are pure functions returning a `String`; the
//! binary decides where it goes and whether colour is wanted.
//!
//! # The JSON schema
//!
//! Stable; floats are rounded to 4 decimals so that output is byte-for-byte reproducible.
//!
//! ```text
//! {
//!   "schemes": {                      // strict, exact, partial, type, norm, in that order
//!     "strict": {
//!       "overall": COUNTS,
//!       "by_label": {"ACTOR": COUNTS, "PLACE": COUNTS, "FIGURE": COUNTS}
//!     }, ...
//!   },
//!   "macro": {"strict": {"precision": F, "recall": F, "f1": F}, ...},
//!   "confusion": {"labels": ["ACTOR", "PLACE", "FIGURE", "none"], "matrix": [[N, ...], ...]},
//!   "documents": [{"doc": ID, "schemes": {"strict": COUNTS, ...}}, ...],
//!   "errors": [{"kind": KIND, "doc": ID, "gold": MENTION | null, "pred": MENTION | null,
//!               "left": TEXT, "right": TEXT}, ...]
//! }
//! COUNTS  = {"correct", "incorrect", "partial", "missed", "spurious", "possible", "actual",
//!            "precision", "recall", "f1"}
//! MENTION = {"start", "end", "label", "text", "norm"}     (code points, half-open)
//! KIND    = missed | spurious | wrong_label | wrong_boundary | wrong_label_and_boundary
//!           | wrong_norm
//! ```
//!
//! The confusion matrix has gold labels as rows and predicted labels as columns (see
//! [`Confusion`]). JSON always lists every error; [`RenderOptions::max_errors`] only limits
//! the human-readable formats.
//!
//! The HTML report ([`html`]) needs more than the evaluation (the texts and the predictions,
//! to mark them), so it is not a [`Format`]: it is rendered by [`html::render`].

pub mod check;
pub mod compare;
mod csv;
pub mod html;
mod json;
mod markdown;
pub mod stress;
mod table;

use std::fmt;
use std::str::FromStr;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use crate::score::{
    BucketBy, Buckets, Counts, ErrorKind, ErrorRecord, Evaluation, Mention, Scores, CONTEXT,
};
pub use crate::score::{ByLabel, PerScheme};

/// An output format. The default is [`Format::Table`], for people at a terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// Aligned plain text, optionally coloured.
    #[default]
    Table,
    /// The full report as pretty-printed JSON (see the [module docs](self) for the schema).
    Json,
    /// One row per scheme and label, for spreadsheets and plotting.
    Csv,
    /// GitHub-flavoured markdown tables, for CI job summaries.
    Markdown,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 4] = [Format::Table, Format::Json, Format::Csv, Format::Markdown];

    /// The format's name: `table`, `json`, `csv`, `markdown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Format`]: the string that names no format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown format {:?} (expected table, json, csv or markdown)",
            self.0
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Parses a name from [`Format::as_str`]; `md` is accepted for markdown.
    fn from_str(s: &str) -> Result<Format, UnknownFormat> {
        match s {
            "table" => Ok(Format::Table),
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "markdown" | "md" => Ok(Format::Markdown),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

/// Presentation choices; none changes a number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colours in [`Format::Table`]. Default off: the caller turns it on only when
    /// writing to a terminal, so files and pipes never get escape codes.
    pub color: bool,
    /// The most errors listed by [`Format::Table`] and [`Format::Markdown`]; `None` (the
    /// default) lists all. A CI summary usually wants a few dozen at most.
    pub max_errors: Option<usize>,
}

/// Renders an evaluation in one format.
pub fn render(eval: &Evaluation, format: Format, opts: &RenderOptions) -> String {
    Report::new(eval).render(format, opts)
}

/// Everything a report shows, computed once from an [`Evaluation`].
///
/// Serializing it gives the JSON format.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report<'a> {
    /// Per scheme: overall (micro) and per-label counts and scores (n/a for the norm
    /// scheme when the predictions carry no norm).
    pub schemes: PerScheme<Scored<SchemeReport>>,
    /// Per scheme: the macro average over labels.
    #[serde(rename = "macro")]
    pub macro_avg: PerScheme<Scored<ScoresReport>>,
    /// The label confusion matrix.
    pub confusion: ConfusionReport,
    /// One entry per document, in evaluation order.
    pub documents: Vec<DocumentReport<'a>>,
    /// Every error, sorted as in the evaluation.
    pub errors: &'a [ErrorRecord],
    /// Scores by bucket, one entry per grouping asked for (`--by`); left out of the JSON
    /// when none was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub buckets: Vec<BucketsReport>,
}

/// The buckets of one grouping (see [`crate::score::BucketBy`] for the rules).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BucketsReport {
    /// The grouping.
    pub by: BucketBy,
    /// What a bucket is, in a few words.
    pub description: &'static str,
    /// The buckets with at least one outcome, in order.
    pub buckets: Vec<BucketReport>,
}

/// One bucket: its name, its gold mentions and predictions, and its counts per scheme.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BucketReport {
    /// The bucket's name (`1`, `2-3`, `ACTOR`, a document id).
    pub name: String,
    /// Gold mentions in the bucket.
    pub gold: u64,
    /// Predictions in the bucket.
    pub predicted: u64,
    /// Counts and scores per scheme.
    pub schemes: PerScheme<CountsReport>,
}

/// Serializes buckets as the report does ([`BucketsReport`]), for other results that carry
/// them (a comparison's rows).
pub(crate) fn serialize_buckets<S: Serializer>(b: &[Buckets], ser: S) -> Result<S::Ok, S::Error> {
    let r: Vec<BucketsReport> = b.iter().map(BucketsReport::new).collect();
    r.serialize(ser)
}

impl BucketsReport {
    /// The report of one grouping's buckets.
    pub fn new(b: &Buckets) -> BucketsReport {
        BucketsReport {
            by: b.by,
            description: b.by.describe(),
            buckets: b
                .buckets
                .iter()
                .map(|x| BucketReport {
                    name: x.name.clone(),
                    gold: x.gold(),
                    predicted: x.predicted(),
                    schemes: x.counts.map(|_, &c| CountsReport::new(c)),
                })
                .collect(),
        }
    }
}

impl<'a> Report<'a> {
    /// Builds the report of an evaluation.
    pub fn new(eval: &'a Evaluation) -> Report<'a> {
        Report {
            schemes: PerScheme::from_fn(|s| {
                let c = eval.counts(s);
                Scored {
                    value: SchemeReport {
                        overall: CountsReport::new(c.overall()),
                        by_label: c.map(|_, &c| CountsReport::new(c)),
                    },
                    applicable: eval.applicable(s),
                }
            }),
            macro_avg: PerScheme::from_fn(|s| Scored {
                value: ScoresReport(eval.macro_scores(s)),
                applicable: eval.applicable(s),
            }),
            confusion: ConfusionReport {
                labels: eval
                    .labels
                    .iter()
                    .map(|l| l.as_str())
                    .chain(["none"])
                    .collect(),
                matrix: eval.confusion.matrix(&eval.labels),
            },
            documents: eval
                .documents
                .iter()
                .map(|d| DocumentReport {
                    doc: &d.id,
                    schemes: PerScheme::from_fn(|s| Scored {
                        value: CountsReport::new(d.counts(s).overall()),
                        applicable: eval.applicable(s),
                    }),
                })
                .collect(),
            errors: &eval.errors,
            buckets: Vec::new(),
        }
    }

    /// Adds scores by bucket (shown after the documents).
    pub fn with_buckets(mut self, buckets: &[Buckets]) -> Report<'a> {
        self.buckets = buckets.iter().map(BucketsReport::new).collect();
        self
    }

    /// Renders the report in one format.
    pub fn render(&self, format: Format, opts: &RenderOptions) -> String {
        match format {
            Format::Table => table::render(self, opts),
            Format::Json => json::render(self),
            Format::Csv => csv::render(self),
            Format::Markdown => markdown::render(self, opts),
        }
    }
}

/// The counts and scores of one scheme.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SchemeReport {
    /// Micro totals.
    pub overall: CountsReport,
    /// Per label; they add up to `overall`.
    pub by_label: ByLabel<CountsReport>,
}

/// Counts with their derived totals and scores. Scores are kept exact here and rounded to 4
/// decimals only when serialized, so a renderer printing 3 decimals never rounds twice.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CountsReport {
    /// The raw counts.
    pub counts: Counts,
    /// Precision, recall and F1 of `counts`.
    pub scores: Scores,
}

impl CountsReport {
    fn new(counts: Counts) -> CountsReport {
        CountsReport {
            counts,
            scores: counts.scores(),
        }
    }
}

impl Serialize for CountsReport {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        serialize_counts(&self.counts, &self.scores, ser)
    }
}

/// The one serialized shape of counts (COUNTS in the schema above), shared by the report's
/// JSON and the baseline (`gold/baseline.json`, whose scores are rounded before they get
/// here): the five counts, `possible` and `actual`, then precision, recall and F1 as given.
pub(crate) fn serialize_counts<S: Serializer>(
    c: &Counts,
    scores: &Scores,
    ser: S,
) -> Result<S::Ok, S::Error> {
    let mut st = ser.serialize_struct("Counts", 10)?;
    st.serialize_field("correct", &c.correct)?;
    st.serialize_field("incorrect", &c.incorrect)?;
    st.serialize_field("partial", &c.partial)?;
    st.serialize_field("missed", &c.missed)?;
    st.serialize_field("spurious", &c.spurious)?;
    st.serialize_field("possible", &c.possible())?;
    st.serialize_field("actual", &c.actual())?;
    st.serialize_field("precision", &scores.precision)?;
    st.serialize_field("recall", &scores.recall)?;
    st.serialize_field("f1", &scores.f1)?;
    st.end()
}

/// Precision, recall and F1 alone (a macro average has no counts); serialized at full
/// precision (machines read JSON; only the table and markdown round).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoresReport(pub Scores);

impl Serialize for ScoresReport {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut st = ser.serialize_struct("Scores", 3)?;
        st.serialize_field("precision", &self.0.precision)?;
        st.serialize_field("recall", &self.0.recall)?;
        st.serialize_field("f1", &self.0.f1)?;
        st.end()
    }
}

/// The confusion matrix with its row and column names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConfusionReport {
    /// Row and column names: the evaluation's labels in report order, then `none`.
    pub labels: Vec<&'static str>,
    /// `matrix[gold][pred]`.
    pub matrix: Vec<Vec<u64>>,
}

/// The overall counts of one document under every scheme.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentReport<'a> {
    /// The document id.
    pub doc: &'a str,
    /// Overall counts and scores per scheme.
    pub schemes: PerScheme<Scored<CountsReport>>,
}

/// A scheme's figures and whether they apply: the norm scheme does not when the
/// predictions carry no norm (see [`Evaluation::norms_missing`]). Reads as its value
/// (`Deref`); serialized as `null` when it does not apply; renderers print `n/a`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scored<T> {
    /// The figures, computed all the same.
    pub value: T,
    /// False for n/a.
    pub applicable: bool,
}

impl<T> std::ops::Deref for Scored<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Serialize> Serialize for Scored<T> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        if self.applicable {
            self.value.serialize(ser)
        } else {
            ser.serialize_none()
        }
    }
}

/// Why a scheme is n/a, for the renderers.
pub(crate) const NORMS_MISSING: &str = "n/a (the predictions carry no norms)";

/// `x` rounded to `decimals` decimal places (half away from zero): the one rounding of every
/// figure that is stored or compared rounded (the baseline's 4 decimals, the deltas of
/// `check`, `stress` and the HTML pages, `compare`'s MB/s and seconds).
pub fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// Control characters (newlines, escapes) as spaces, so that user text cannot break a line
/// or a terminal.
use crate::error::controls_as_spaces as clean;

/// The text from the earliest start to the latest end of an error's mentions, rebuilt from
/// the mentions' texts: the first mention, then what the other adds past its end.
fn covered_text(e: &ErrorRecord) -> String {
    let (a, b) = match (&e.gold, &e.pred) {
        (Some(g), Some(p))
            if (p.start, std::cmp::Reverse(p.end)) < (g.start, std::cmp::Reverse(g.end)) =>
        {
            (p, Some(g))
        }
        (Some(g), p) => (g, p.as_ref()),
        (None, Some(p)) => (p, None),
        (None, None) => return String::new(),
    };
    let mut s = clean(&a.text);
    if let Some(b) = b {
        if b.end > a.end {
            let skip = a.end.saturating_sub(b.start);
            s.extend(clean(&b.text).chars().skip(skip));
        }
    }
    s
}

/// Ellipses for the two sides of an error's context: `…` where the context was cut, nothing
/// where it reaches the start or end of the text (or there is no text).
fn ellipses(e: &ErrorRecord) -> (&'static str, &'static str) {
    let cut = |s: &str| {
        if s.chars().count() >= CONTEXT {
            "…"
        } else {
            ""
        }
    };
    (cut(&e.left), cut(&e.right))
}

/// The norm to show beside a mention: only when it is what went wrong.
fn shown_norm(m: &Mention, kind: ErrorKind) -> Option<&str> {
    (kind == ErrorKind::WrongNorm).then_some(m.norm.as_str())
}

#[cfg(test)]
mod tests;
