//! The HTML report: one self-contained page showing the scores, every document with its gold
//! and predicted mentions marked, and the error list linked into the texts.
//!
//! Two pages are built here, both pure functions returning a `String`:
//!
//! - [`render`]: one tagger [`Run`] against the gold. The score table (every scheme and
//!   label, as the table format shows it), the documents' strict scores, the confusion
//!   matrix, a legend, the error list, and each text with every mention marked: a colour per
//!   label, and each outcome (correct, missed, spurious, wrong label, wrong boundary, wrong
//!   label and boundary, wrong norm) drawn differently. Hovering a mark shows its gold and
//!   predicted label, text and norm.
//! - [`render_comparison`]: two runs side by side. Both runs' scores per scheme and label
//!   with the F1 difference, and in the texts the spans where they disagree: only in A, only
//!   in B, or in both but different (boundaries, label or norm), each with which side the
//!   gold agrees with, and a list of the disagreements linked into the texts.
//!
//! # What the page promises
//!
//! - **Self-contained**: CSS and JavaScript are inline; no fonts, images or scripts are
//!   loaded, and a Content-Security-Policy of `default-src 'none'` makes sure of it. It opens
//!   from disk.
//! - **Readable without JavaScript**: the script only adds the filters (checkboxes per label
//!   and per outcome, which unstyle marks and hide list entries) and nicer tooltips; with it
//!   off, every mark and entry is shown and `title` attributes give the tooltips.
//! - **Deterministic**: the same inputs give the same bytes (no time, no path, no hash
//!   order).
//! - **Stable anchors**: every mark has an id built from its document, its code-point range
//!   and its outcome (`m-DOC-805-836-wrong_boundary`; `c-` in a comparison), so links into a
//!   report survive a re-run. A mark that crosses another is split into several elements:
//!   the first has the `id`, the others `data-part="ID"`.
//! - **Everything escaped**: texts, norms and document ids are escaped wherever they go.
//!
//! Marks carry their outcome in `data-kind`, their labels in `data-labels` and their
//! code-point range in `data-start`/`data-end`; a mark of two different ranges (a boundary
//! error, or two runs that disagree on boundaries) holds one element per side, with
//! `data-side` = `gold`/`pred` (or `a`/`b`), that side's own range and the id `ID-gold`,
//! `ID-pred` (or `ID-a`, `ID-b`).

mod diff;
mod markup;
mod page;
mod single;
mod stress;

use crate::annotations::AnnotationSet;
use crate::error::Result;
use crate::gold::Corpus;
use crate::score::{Buckets, Evaluation};

/// One tagger's output on a corpus and its evaluation: what an HTML report shows.
///
/// `pred` must be the predictions that `eval` was computed from (with
/// [`crate::score::evaluate_sets`]); the report reads the evaluation's outcomes and checks
/// that the predictions are the ones evaluated.
#[derive(Clone, Copy, Debug)]
pub struct Run<'a> {
    /// The name shown on the page (a variant name).
    pub name: &'a str,
    /// One line about it (a variant's description); may be empty.
    pub description: &'a str,
    /// The predictions, in code points like the annotation files.
    pub pred: &'a AnnotationSet,
    /// Their evaluation against the gold.
    pub eval: &'a Evaluation,
    /// Scores by bucket to show (made from `eval` with [`crate::score::buckets`]); may be
    /// empty.
    pub buckets: &'a [Buckets],
}

/// Renders the report of one run. `corpus` gives the texts of the evaluated documents.
///
/// Fails when a document of the evaluation has no text in `corpus`, when a mention's offsets
/// are outside its text, or when `run.pred` is not what `run.eval` was computed from.
///
/// ```
/// use tagbench::report::html::{render, Run};
/// use tagbench::score::evaluate_sets;
/// use tagbench::{AnnotationSet, Corpus, Document, Label, LabelSet, Norm, Span};
///
/// let text = "Mali & Gao";
/// let corpus = Corpus::from_documents(vec![Document { id: "d".into(), text: text.into() }])?;
/// let place = Label::new("PLACE").unwrap();
/// let mut gold = AnnotationSet::new();
/// gold.insert_tagged("d", text, &[
///     Span::new(0, 4, place, Norm::Name("Mali".into())),
///     Span::new(7, 10, place, Norm::Name("Gao".into())),
/// ]);
/// let mut pred = AnnotationSet::new();
/// pred.insert_tagged("d", text, &[Span::new(0, 4, place, Norm::Name("Mali".into()))]);
/// // No declared labels: the gold's, in order of first appearance.
/// let eval = evaluate_sets(Some(&corpus), &gold, &pred, &LabelSet::new());
/// let run = Run { name: "demo", description: "", pred: &pred, eval: &eval, buckets: &[] };
/// let html = render(&run, &corpus)?;
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains(r#"id="m-d-7-10-missed""#));
/// assert!(html.contains("Mali &amp; "));
/// # Ok::<(), tagbench::Error>(())
/// ```
pub fn render(run: &Run<'_>, corpus: &Corpus) -> Result<String> {
    single::render(run, corpus)
}

/// Renders a stress run ([`crate::stress`]) as one page: the matrix of every system's strict
/// F1 and its change on every perturbation, one table per system with the paired intervals
/// and the mentions lost (clean and perturbed text, what was predicted), and what each
/// perturbation changed. Self-contained and deterministic as the other pages.
pub fn render_stress(s: &crate::stress::Stress) -> String {
    stress::render(s)
}

/// Renders the comparison of two runs on the same gold: `a` is the reference, differences
/// are `b − a`. `gold` is shown beside each disagreement. `difference`, when given (see
/// [`crate::compare::difference`]), is shown in the header: ΔF1 with its 95% interval and
/// p-value.
///
/// Fails as [`render`] does, for either run.
pub fn render_comparison(
    a: &Run<'_>,
    b: &Run<'_>,
    corpus: &Corpus,
    gold: &AnnotationSet,
    difference: Option<&crate::compare::Difference>,
) -> Result<String> {
    diff::render(a, b, corpus, gold, difference)
}
