//! The report of one run: scores, legend, error list and the marked texts.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::error::{Error, Result};
use crate::gold::Corpus;
use crate::label::Label;
use crate::report::{clean, covered_text, ellipses, Report};
use crate::score::{ErrorKind, ErrorRecord, Mention, Scheme};
use crate::span::OffsetIndex;

use super::markup::{esc, id_part, marked_text, Ids, Mark};
use super::page::{self, byte_range, data_attrs, mention_of, title_attr, Choice};
use super::Run;

/// What a mark of the single-run report shows: a correct mention or one error kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Outcome {
    Correct,
    Error(ErrorKind),
}

impl Outcome {
    pub(super) const ALL: [Outcome; 7] = [
        Outcome::Correct,
        Outcome::Error(ErrorKind::Missed),
        Outcome::Error(ErrorKind::Spurious),
        Outcome::Error(ErrorKind::WrongLabel),
        Outcome::Error(ErrorKind::WrongBoundary),
        Outcome::Error(ErrorKind::WrongLabelAndBoundary),
        Outcome::Error(ErrorKind::WrongNorm),
    ];

    /// The name in `data-kind`, ids and classes: `correct` or an [`ErrorKind`] name.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Outcome::Correct => "correct",
            Outcome::Error(k) => k.as_str(),
        }
    }

    /// The name for people.
    pub(super) fn title(self) -> &'static str {
        match self {
            Outcome::Correct => "correct",
            Outcome::Error(ErrorKind::Missed) => "missed",
            Outcome::Error(ErrorKind::Spurious) => "spurious",
            Outcome::Error(ErrorKind::WrongLabel) => "wrong label",
            Outcome::Error(ErrorKind::WrongBoundary) => "wrong boundary",
            Outcome::Error(ErrorKind::WrongLabelAndBoundary) => "wrong label and boundary",
            Outcome::Error(ErrorKind::WrongNorm) => "wrong norm",
        }
    }

    /// How it is drawn, for the legend.
    fn drawn(self) -> &'static str {
        match self {
            Outcome::Correct => "tint and underline: same span, label and norm",
            Outcome::Error(ErrorKind::Missed) => "dashed box: in the gold, not predicted",
            Outcome::Error(ErrorKind::Spurious) => {
                "hatched, struck through: predicted, not in the gold"
            }
            Outcome::Error(ErrorKind::WrongLabel) => {
                "underline in the gold label's colour, tint in the predicted one's"
            }
            Outcome::Error(ErrorKind::WrongBoundary) => {
                "underline under the gold range, tint over the predicted range"
            }
            Outcome::Error(ErrorKind::WrongLabelAndBoundary) => {
                "as a wrong boundary, in two labels' colours"
            }
            Outcome::Error(ErrorKind::WrongNorm) => "wavy line: right span and label, other norm",
        }
    }
}

/// A document to show: its id, text, marks and number of errors.
struct DocView<'a> {
    id: &'a str,
    text: &'a str,
    marks: Vec<Mark>,
    errors: usize,
}

/// The marked documents of a run, the id of each error's mark, and the number of correct
/// mentions, read from the evaluation's outcomes; fails on a document without text, a span
/// outside its text, or predictions that are not those of the evaluation.
fn views<'c>(run: &Run<'_>, corpus: &'c Corpus) -> Result<(Vec<DocView<'c>>, Vec<String>, u64)> {
    let eval = run.eval;
    let not_those = |what: String| {
        Error::invalid(format!(
            "the predictions of {:?} are not those of its evaluation: {what}",
            run.name
        ))
    };
    let mut ids = Ids::default();
    let mut error_ids: Vec<String> = vec![String::new(); eval.errors.len()];
    let mut docs: Vec<DocView<'c>> = Vec::with_capacity(eval.documents.len());
    let mut correct_total = 0u64;
    for d in &eval.documents {
        let doc = corpus.get(&d.id).ok_or_else(|| {
            Error::invalid(format!(
                "document {:?} of the evaluation has no text in the corpus",
                d.id
            ))
        })?;
        let idx = OffsetIndex::new(&doc.text);
        let pred = run.pred.get(&d.id);
        let evaluated = d.outcomes.iter().filter(|o| o.pred.is_some()).count();
        if evaluated != pred.len() {
            return Err(not_those(format!(
                "document {:?} has {} predictions, the evaluation {evaluated}",
                d.id,
                pred.len()
            )));
        }
        // Errors first, in the error list's order, then correct predictions in input order.
        let mut listed: Vec<usize> = d.outcomes.iter().filter_map(|o| o.listed).collect();
        listed.sort_unstable();
        let mut marks = Vec::new();
        for &i in &listed {
            let e = eval
                .errors
                .get(i)
                .ok_or_else(|| Error::invalid(format!("the evaluation has no error number {i}")))?;
            error_ids[i] = error_marks(e, &idx, &mut ids, &mut marks)?;
        }
        for o in &d.outcomes {
            let Some((j, label)) = o.pred else { continue };
            let m = mention_of(&pred[j]);
            let expected = match o.listed {
                Some(i) => eval.errors[i]
                    .pred
                    .as_ref()
                    .map(|p| (p.start, p.end, p.label)),
                None => Some((m.start, m.end, label)),
            };
            if expected != Some((m.start, m.end, m.label)) {
                return Err(not_those(format!(
                    "prediction {j} of document {:?} is {} {}..{}, not the one evaluated",
                    d.id, m.label, m.start, m.end
                )));
            }
            if o.error.is_none() {
                correct_total += 1;
                correct_mark(&d.id, &m, &idx, &mut ids, &mut marks)?;
            }
        }
        docs.push(DocView {
            id: &doc.id,
            text: &doc.text,
            marks,
            errors: listed.len(),
        });
    }
    Ok((docs, error_ids, correct_total))
}

/// The checks of [`render`] alone.
pub(super) fn check(run: &Run<'_>, corpus: &Corpus) -> Result<()> {
    views(run, corpus).map(|_| ())
}

pub(super) fn render(run: &Run<'_>, corpus: &Corpus) -> Result<String> {
    let eval = run.eval;
    let report = Report::new(eval).with_buckets(run.buckets);
    let (docs, error_ids, correct_total) = views(run, corpus)?;

    let mut out = String::with_capacity(64 * 1024 + corpus.bytes() * 4);
    page::head(
        &mut out,
        &format!("tagbench report: {}", run.name),
        &eval.labels,
    );
    header(&mut out, run, &report, correct_total);
    let mut kind_counts: BTreeMap<Outcome, usize> = BTreeMap::new();
    kind_counts.insert(Outcome::Correct, correct_total as usize);
    for e in &eval.errors {
        *kind_counts.entry(Outcome::Error(e.kind)).or_insert(0) += 1;
    }
    let labels: Vec<Choice<'_>> = eval
        .labels
        .iter()
        .map(|l| Choice {
            group: "label",
            value: l.as_str(),
            text: l.as_str(),
            count: report
                .schemes
                .get(Scheme::Strict)
                .by_label
                .get(*l)
                .map_or(0, |c| c.counts.possible() as usize),
            swatch: format!("swatch l-{}", page::label_class(*l)),
        })
        .collect();
    let kinds: Vec<Choice<'_>> = Outcome::ALL
        .iter()
        .map(|k| Choice {
            group: "kind",
            value: k.as_str(),
            text: k.title(),
            count: kind_counts.get(k).copied().unwrap_or(0),
            swatch: format!("swatch badge kb-{}", k.as_str()),
        })
        .collect();
    page::filters(&mut out, "errors", &labels, &kinds);

    out.push_str(
        "<main>\n<section id=\"scores\">\n<h2>Scores</h2>\n<div class=\"overview\">\n<div>\n",
    );
    page::scores_table(&mut out, &report);
    out.push_str("</div>\n");
    legend(&mut out, &eval.labels);
    out.push_str("</div>\n<div class=\"overview\">\n<div>\n<h3>Documents (strict)</h3>\n");
    page::documents_table(&mut out, &report);
    out.push_str("</div>\n<div>\n<h3>Confusion <small>rows gold, columns predicted</small></h3>\n");
    page::confusion_table(&mut out, &report);
    out.push_str("</div>\n</div>\n");
    page::buckets_tables(&mut out, &report);
    out.push_str("</section>\n");
    error_list(&mut out, &eval.errors, &error_ids);

    out.push_str("<section id=\"documents\">\n<h2>Documents</h2>\n");
    for (d, row) in docs.iter().zip(&report.documents) {
        let s = row.schemes.get(Scheme::Strict);
        let _ = write!(
            out,
            "<section class=\"doc\" id=\"{}\" data-doc=\"{}\">\n<h3>{} <small>strict P {:.3} · R {:.3} · F1 {:.3} · {} error{}</small></h3>\n<div class=\"text\">",
            page::doc_anchor(d.id),
            esc(d.id),
            esc(d.id),
            s.scores.precision,
            s.scores.recall,
            s.scores.f1,
            d.errors,
            if d.errors == 1 { "" } else { "s" }
        );
        marked_text(&mut out, d.text, &d.marks);
        out.push_str("</div>\n</section>\n");
    }
    out.push_str("</section>\n</main>\n");
    page::foot(&mut out);
    Ok(out)
}

fn header(out: &mut String, run: &Run<'_>, report: &Report<'_>, correct: u64) {
    let strict = report.schemes.get(Scheme::Strict).overall;
    let k = strict.counts;
    let _ = write!(
        out,
        "<header>\n<h1>tagbench report <code>{}</code></h1>\n",
        esc(run.name)
    );
    if !run.description.is_empty() {
        let _ = writeln!(out, "<p class=\"desc\">{}</p>", esc(run.description));
    }
    let _ = writeln!(
        out,
        "<p class=\"headline\"><span class=\"big\">strict F1 {:.3}</span> P {:.3} · R {:.3} · \
         {} documents · {} gold mentions · {} predicted · {} correct with the right norm · \
         <a href=\"#errors\">{} errors</a></p>\n<nav><a href=\"#scores\">scores</a> \
         <a href=\"#legend\">legend</a> <a href=\"#errors\">errors</a> \
         <a href=\"#documents\">documents</a></nav>\n</header>",
        strict.scores.f1,
        strict.scores.precision,
        strict.scores.recall,
        report.documents.len(),
        k.possible(),
        k.actual(),
        correct,
        report.errors.len()
    );
}

/// The label classes of a mark: `g-L` for the gold label, `p-L` for the predicted one.
fn label_classes(e: &ErrorRecord) -> String {
    let mut c = String::new();
    if let Some(g) = &e.gold {
        let _ = write!(c, " g-{}", page::label_class(g.label));
    }
    if let Some(p) = &e.pred {
        let _ = write!(c, " p-{}", page::label_class(p.label));
    }
    c
}

fn labels_of(e: &ErrorRecord) -> Vec<Label> {
    e.gold
        .iter()
        .chain(e.pred.iter())
        .map(|m| m.label)
        .collect()
}

fn mark_id(ids: &mut Ids, doc: &str, start: usize, end: usize, kind: &str) -> String {
    ids.unique(format!("m-{}-{start}-{end}-{kind}", id_part(doc)))
}

/// The marks of one error: one element over everything it covers (the one with the id), and
/// for a boundary error one element per side inside it. Returns the id.
fn error_marks(
    e: &ErrorRecord,
    idx: &OffsetIndex<'_>,
    ids: &mut Ids,
    marks: &mut Vec<Mark>,
) -> Result<String> {
    let kind = e.kind.as_str();
    let (start, end) = (e.start(), e.end());
    let (b0, b1) = byte_range(idx, &e.doc, start, end)?;
    let id = mark_id(ids, &e.doc, start, end, kind);
    let mut tip = vec![Outcome::Error(e.kind).title().to_string()];
    for (side, m) in [("gold", &e.gold), ("pred", &e.pred)] {
        tip.push(match m {
            Some(m) => format!("{side:<6}{}", page::mention_tip(m)),
            None => format!("{side:<6}–"),
        });
    }
    let labels = labels_of(e);
    marks.push(Mark {
        start: b0,
        end: b1,
        rank: 0,
        class: format!("m k-{kind}{}", label_classes(e)),
        id: Some(id.clone()),
        attrs: data_attrs(kind, &labels, start, end) + &title_attr(&tip),
    });
    if matches!(
        e.kind,
        ErrorKind::WrongBoundary | ErrorKind::WrongLabelAndBoundary
    ) {
        for (rank, side, m) in [(1, "gold", &e.gold), (2, "pred", &e.pred)] {
            let Some(m) = m else { continue };
            let (s0, s1) = byte_range(idx, &e.doc, m.start, m.end)?;
            let prefix = if side == "gold" { "g" } else { "p" };
            marks.push(Mark {
                start: s0,
                end: s1,
                rank,
                class: format!("side s-{side} {prefix}-{}", page::label_class(m.label)),
                id: Some(format!("{id}-{side}")),
                attrs: data_attrs(kind, &labels, m.start, m.end)
                    + &format!(" data-side=\"{side}\""),
            });
        }
    }
    Ok(id)
}

fn correct_mark(
    doc: &str,
    m: &Mention,
    idx: &OffsetIndex<'_>,
    ids: &mut Ids,
    marks: &mut Vec<Mark>,
) -> Result<()> {
    let (b0, b1) = byte_range(idx, doc, m.start, m.end)?;
    let tip = vec![
        "correct".to_string(),
        format!("both  {}", page::mention_tip(m)),
    ];
    marks.push(Mark {
        start: b0,
        end: b1,
        rank: 0,
        class: format!("m k-correct g-{0} p-{0}", page::label_class(m.label)),
        id: Some(mark_id(ids, doc, m.start, m.end, "correct")),
        attrs: data_attrs("correct", &[m.label], m.start, m.end) + &title_attr(&tip),
    });
    Ok(())
}

/// A sample of every kind of mark, drawn with the real classes, and the label colours.
fn legend(out: &mut String, labels: &[Label]) {
    out.push_str(
        "<aside id=\"legend\">\n<h3>Legend</h3>\n<p>Gold is drawn <b>under</b> the text, the \
         prediction <b>over</b> it, in the label's colour: ",
    );
    for l in labels {
        let c = page::label_class(*l);
        let _ = write!(
            out,
            "<span class=\"m k-correct g-{c} p-{c}\">{}</span> ",
            esc(l.as_str())
        );
    }
    out.push_str(
        "</p>\n<p>A badge after a mark names its error; hover a mark for its gold and predicted \
         label, text and norm. The error list links to the marks.</p>\n<dl class=\"legend\">\n",
    );
    let samples: [(Outcome, &str); 7] = [
        (
            Outcome::Correct,
            "<span class=\"m k-correct g-{A} p-{A}\">Assimi Goïta</span>",
        ),
        (
            Outcome::Error(ErrorKind::Missed),
            "<span class=\"m k-missed g-{A}\">Andali</span>",
        ),
        (
            Outcome::Error(ErrorKind::Spurious),
            "<span class=\"m k-spurious p-{P}\">Independence</span>",
        ),
        (
            Outcome::Error(ErrorKind::WrongLabel),
            "<span class=\"m k-wrong_label g-{A} p-{P}\">Niger</span>",
        ),
        (
            Outcome::Error(ErrorKind::WrongBoundary),
            "<span class=\"m k-wrong_boundary g-{A} p-{A}\"><span class=\"side s-gold g-{A}\"><span class=\"side s-pred p-{A}\">Ngefa</span> Andali</span></span>",
        ),
        (
            Outcome::Error(ErrorKind::WrongLabelAndBoundary),
            "<span class=\"m k-wrong_label_and_boundary g-{P} p-{A}\"><span class=\"side s-gold g-{P}\"><span class=\"side s-pred p-{A}\">Kidal</span> region</span></span>",
        ),
        (
            Outcome::Error(ErrorKind::WrongNorm),
            "<span class=\"m k-wrong_norm g-{F} p-{F}\">six million</span>",
        ),
    ];
    for (k, sample) in samples {
        let _ = writeln!(
            out,
            "<dt>{}</dt><dd><b>{}</b>: {}</dd>",
            super::page::sample_with(sample, labels),
            k.title(),
            k.drawn()
        );
    }
    out.push_str("</dl>\n</aside>\n");
}

/// Every error: kind, labels, text, gold and prediction, and its context, linked to its mark.
fn error_list(out: &mut String, errors: &[ErrorRecord], ids: &[String]) {
    let _ = writeln!(
        out,
        "<section id=\"errors\">\n<h2>Errors <small>{}</small></h2>",
        errors.len()
    );
    if errors.is_empty() {
        out.push_str("<p>None: every gold mention is predicted with its boundaries, label and norm, and nothing else is.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<table class=\"errors\">\n<thead><tr><th>kind</th><th>where</th><th>gold</th>\
         <th>predicted</th><th>context</th></tr></thead>\n<tbody>\n",
    );
    for (e, id) in errors.iter().zip(ids) {
        let kind = e.kind.as_str();
        let (l, r) = ellipses(e);
        let _ = writeln!(
            out,
            "<tr{}><td><span class=\"badge kb-{kind}\">{}</span></td>\
             <td class=\"where\"><a href=\"#{}\">{} {}..{}</a></td><td>{}</td><td>{}</td>\
             <td class=\"ctx\">{}{}<a href=\"#{}\"><b>{}</b></a>{}{}</td></tr>",
            data_attrs(kind, &labels_of(e), e.start(), e.end()),
            Outcome::Error(e.kind).title(),
            esc(id),
            esc(&e.doc),
            e.start(),
            e.end(),
            page::mention_cell(e.gold.as_ref()),
            page::mention_cell(e.pred.as_ref()),
            l,
            esc(&clean(&e.left)),
            esc(id),
            esc(&covered_text(e)),
            esc(&clean(&e.right)),
            r
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::AnnotationSet;
    use crate::gold::Document;
    use crate::score::evaluate_sets;
    use crate::span::Span;

    const TEXT: &str =
        "<b>Mali</b> & “Gao”: Kidal region, six million, UN Security Council.\r\nBamako";

    /// A byte span of the first occurrence of `s` in TEXT.
    fn at(s: &str, label: Label, norm: &str) -> Span {
        let start = TEXT.find(s).unwrap();
        Span::new(
            start,
            start + s.len(),
            label,
            crate::label::gold_labels().parse_norm(label, norm).unwrap(),
        )
    }

    fn set(spans: &[Span]) -> AnnotationSet {
        let mut s = AnnotationSet::new();
        s.insert_tagged("d&1", TEXT, spans);
        s
    }

    fn corpus() -> Corpus {
        Corpus::from_documents(vec![Document {
            id: "d&1".into(),
            text: TEXT.into(),
        }])
        .unwrap()
    }

    /// One outcome of every kind.
    fn sets() -> (AnnotationSet, AnnotationSet) {
        let (actor, place, figure) = (
            Label::new("ACTOR").unwrap(),
            Label::new("PLACE").unwrap(),
            Label::new("FIGURE").unwrap(),
        );
        let gold = set(&[
            at("Mali", place, "Mali"),                // correct
            at("Gao", place, "Gao"),                  // wrong label
            at("Kidal region", place, "Kidal"),       // wrong label and boundary
            at("six million", figure, "6000000"),     // wrong norm
            at("UN Security Council", actor, "UNSC"), // wrong boundary
            at("Bamako", place, "Bamako"),            // missed
        ]);
        let pred = set(&[
            at("Mali", place, "Mali"),
            at("Gao", actor, "Gao"),
            at("Kidal", actor, "Kidal"),
            at("six million", figure, "600000"),
            at("Security Council", actor, "UNSC"),
            at("b>Mali</b", place, "x"), // spurious, overlapping the correct Mali
        ]);
        (gold, pred)
    }

    /// The marks of `kind` that have an id (legend samples have none).
    fn anchors(html: &str, kind: &str) -> usize {
        html.match_indices(&format!("<span class=\"m k-{kind} "))
            .filter(|(i, _)| {
                let tag = &html[*i..*i + html[*i..].find('>').unwrap()];
                tag.contains(" id=\"m-")
            })
            .count()
    }

    #[test]
    fn every_outcome_is_marked_once_and_linked() {
        let (gold, pred) = sets();
        let corpus = corpus();
        let eval = evaluate_sets(Some(&corpus), &gold, &pred, &crate::label::gold_labels());
        let run = Run {
            name: "v<1>",
            description: "a \"test\" & more",
            pred: &pred,
            eval: &eval,
            buckets: &[],
        };
        let html = render(&run, &corpus).unwrap();
        for k in Outcome::ALL {
            assert_eq!(anchors(&html, k.as_str()), 1, "{}: one mark", k.as_str());
        }
        // Every error is listed once and its link target exists.
        assert_eq!(eval.errors.len(), 6);
        for e in &eval.errors {
            let id = format!("m-d-261-{}-{}-{}", e.start(), e.end(), e.kind);
            assert!(html.contains(&format!(" id=\"{id}\"")), "{id}");
            assert!(html.contains(&format!("href=\"#{id}\"")), "{id}");
        }
        // Both sides of the two boundary errors.
        assert_eq!(html.matches("data-side=\"gold\"").count(), 2);
        assert_eq!(html.matches("data-side=\"pred\"").count(), 2);
        // Escaped everywhere: text, names, norms, document ids; the CR kept.
        assert!(!html.contains("<b>Mali"), "text escaped");
        assert!(html.contains("&lt;b&gt;"));
        assert!(html.contains("</span>.&#13;\n<span class=\"m k-missed"));
        assert!(html.contains("<code>v&lt;1&gt;</code>"));
        assert!(html.contains("a &quot;test&quot; &amp; more"));
        assert!(html.contains("data-doc=\"d&amp;1\""));
        assert!(!html.contains("http://") && !html.contains("https://"));
        // Deterministic.
        assert_eq!(render(&run, &corpus).unwrap(), html);
    }

    /// The message of an error that must happen (without printing a whole page if not).
    fn fails(r: Result<String>) -> String {
        match r {
            Ok(_) => panic!("rendered, but should have failed"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn bad_inputs_say_what_is_wrong() {
        let (gold, pred) = sets();
        let corpus = corpus();
        let eval = evaluate_sets(Some(&corpus), &gold, &pred, &crate::label::gold_labels());
        let run = |pred| Run {
            name: "v",
            description: "",
            pred,
            eval: &eval,
            buckets: &[],
        };
        // Predictions that are not those of the evaluation.
        let other = set(&[at("Mali", Label::new("PLACE").unwrap(), "Mali")]);
        let e = fails(render(&run(&other), &corpus));
        assert_eq!(
            e,
            "the predictions of \"v\" are not those of its evaluation: document \"d&1\" has 1 \
             predictions, the evaluation 6"
        );
        // The same predictions and one more: the counts do not match.
        let (_, mut more) = sets();
        more.insert_tagged(
            "d&1",
            TEXT,
            &[at("Bamako", Label::new("PLACE").unwrap(), "Bamako")],
        );
        let e = fails(render(&run(&more), &corpus));
        assert!(e.contains("has 7 predictions, the evaluation 6"), "{e}");
        // As many predictions, one of them other than the one evaluated.
        let (_, pred2) = sets();
        let mut moved = AnnotationSet::new();
        for a in pred2.get("d&1") {
            let mut a = a.clone();
            if a.text == "Gao" {
                a.span.label = Label::new("PLACE").unwrap();
            }
            moved.push(a);
        }
        let e = fails(render(&run(&moved), &corpus));
        assert!(e.contains("is PLACE 15..18, not the one evaluated"), "{e}");
        // A document without text.
        let e = fails(render(&run(&pred), &Corpus::default()));
        assert_eq!(
            e,
            "document \"d&1\" of the evaluation has no text in the corpus"
        );
        // A span past the end of its text.
        let short = Corpus::from_documents(vec![Document {
            id: "d&1".into(),
            text: "<b>Mali</b>".into(),
        }])
        .unwrap();
        let e = fails(render(&run(&pred), &short));
        assert!(e.contains("document \"d&1\": span"), "{e}");
        assert!(e.contains("is outside its text (11 code points)"), "{e}");
    }
}
