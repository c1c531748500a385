//! The comparison of two runs: where their predictions differ, who the gold agrees with, and
//! both runs' scores side by side.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::annotations::{Annotation, AnnotationSet};
use crate::error::{Error, Result};
use crate::gold::Corpus;
use crate::label::Label;
use crate::report::Report;
use crate::score::{ErrorKind, Mention, Scheme};
use crate::span::OffsetIndex;

use super::markup::{esc, id_part, marked_text, Ids, Mark};
use super::page::{self, byte_range, data_attrs, mention_of, title_attr, Choice};
use super::single::Outcome;
use super::Run;

/// How the two runs relate at one place of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum DiffKind {
    /// Both predict the same span, label and norm.
    Same,
    /// Only A predicts something here.
    OnlyA,
    /// Only B predicts something here.
    OnlyB,
    /// Both predict overlapping spans that differ in boundaries, label or norm.
    Different,
}

impl DiffKind {
    const ALL: [DiffKind; 4] = [
        DiffKind::Same,
        DiffKind::OnlyA,
        DiffKind::OnlyB,
        DiffKind::Different,
    ];

    fn as_str(self) -> &'static str {
        match self {
            DiffKind::Same => "same",
            DiffKind::OnlyA => "only_a",
            DiffKind::OnlyB => "only_b",
            DiffKind::Different => "different",
        }
    }

    fn title(self) -> &'static str {
        match self {
            DiffKind::Same => "same in both",
            DiffKind::OnlyA => "only in A",
            DiffKind::OnlyB => "only in B",
            DiffKind::Different => "both, different",
        }
    }
}

/// One place where the runs are compared: a pair of their predictions, or one run's alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Place {
    pub kind: DiffKind,
    pub doc: String,
    pub a: Option<Mention>,
    pub b: Option<Mention>,
    /// How each side's mention was judged in its own evaluation (none without a mention).
    pub a_outcome: Option<Outcome>,
    pub b_outcome: Option<Outcome>,
    /// Gold mentions overlapping the place.
    pub gold: Vec<Mention>,
}

impl Place {
    pub fn start(&self) -> usize {
        self.a
            .iter()
            .chain(&self.b)
            .map(|m| m.start)
            .min()
            .unwrap_or(0)
    }

    pub fn end(&self) -> usize {
        self.a
            .iter()
            .chain(&self.b)
            .map(|m| m.end)
            .max()
            .unwrap_or(0)
    }

    /// Whether the gold agrees with a side: its mention is correct, or it has none and the
    /// other side's is spurious.
    pub fn right(&self, side_a: bool) -> bool {
        let (mine, other) = if side_a {
            (self.a_outcome, self.b_outcome)
        } else {
            (self.b_outcome, self.a_outcome)
        };
        match mine {
            Some(o) => o == Outcome::Correct,
            None => other == Some(Outcome::Error(ErrorKind::Spurious)),
        }
    }

    /// What differs between the two sides of a [`DiffKind::Different`] place.
    fn differences(&self) -> String {
        let (Some(a), Some(b)) = (&self.a, &self.b) else {
            return String::new();
        };
        let mut d = Vec::new();
        if (a.start, a.end) != (b.start, b.end) {
            d.push("boundaries");
        }
        if a.label != b.label {
            d.push("label");
        }
        if a.norm != b.norm {
            d.push("norm");
        }
        d.join(", ")
    }
}

/// A run's prediction and how its evaluation judged it.
type Judged = (Mention, Outcome);

/// How a run's evaluation judged one of its outcomes.
fn judged(o: &crate::score::Outcome) -> Outcome {
    o.error.map_or(Outcome::Correct, Outcome::Error)
}

/// The places where two runs differ or agree, read from their evaluations' outcomes (nothing
/// is paired again): each gold mention that either run predicts something for, with the
/// prediction each run's evaluation paired with it; then each spurious prediction, with the
/// other run's identical spurious prediction when it has one.
///
/// Both evaluations must be of the same gold, documents in the same order (`docs`).
pub(super) fn places(
    a: &Run<'_>,
    b: &Run<'_>,
    docs: &[&str],
    gold: &AnnotationSet,
) -> Result<Vec<Place>> {
    let mut out = Vec::new();
    for ((&doc, da), db) in docs.iter().zip(&a.eval.documents).zip(&b.eval.documents) {
        let (pa, pb) = (a.pred.get(doc), b.pred.get(doc));
        let mention = |preds: &[Annotation], o: &crate::score::Outcome| {
            o.pred
                .and_then(|(j, _)| preds.get(j))
                .map(|p| (mention_of(p), judged(o)))
        };
        let mut items: Vec<(Option<Judged>, Option<Judged>)> = Vec::new();
        // Gold mentions come first in both, in the same order.
        let ga = da.outcomes.iter().take_while(|o| o.gold.is_some());
        let gb = db.outcomes.iter().take_while(|o| o.gold.is_some());
        if ga.clone().count() != gb.clone().count() {
            return Err(Error::invalid(format!(
                "{:?} and {:?} were evaluated on different gold mentions in document {doc:?}",
                a.name, b.name
            )));
        }
        for (oa, ob) in ga.zip(gb) {
            if oa.gold != ob.gold {
                return Err(Error::invalid(format!(
                    "{:?} and {:?} were evaluated on different gold mentions in document {doc:?}",
                    a.name, b.name
                )));
            }
            let (x, y) = (mention(pa, oa), mention(pb, ob));
            if x.is_some() || y.is_some() {
                items.push((x, y));
            }
        }
        // Spurious predictions: identical ones in both runs are one place.
        let spurious =
            |d: &crate::score::DocRow, preds: &[Annotation]| -> Vec<(Mention, Outcome)> {
                d.outcomes
                    .iter()
                    .filter(|o| o.gold.is_none())
                    .filter_map(|o| mention(preds, o))
                    .collect()
            };
        let mut only_b: BTreeMap<Mention, Vec<Judged>> = BTreeMap::new();
        for (m, o) in spurious(db, pb) {
            only_b.entry(m.clone()).or_default().push((m, o));
        }
        for (m, o) in spurious(da, pa) {
            let twin = only_b.get_mut(&m).and_then(Vec::pop);
            items.push((Some((m, o)), twin));
        }
        items.extend(only_b.into_values().flatten().map(|y| (None, Some(y))));

        let first = out.len();
        for (x, y) in items {
            let (ma, a_outcome) = x.map_or((None, None), |(m, o)| (Some(m), Some(o)));
            let (mb, b_outcome) = y.map_or((None, None), |(m, o)| (Some(m), Some(o)));
            let kind = match (&ma, &mb) {
                (Some(p), Some(q))
                    if p.start == q.start
                        && p.end == q.end
                        && p.label == q.label
                        && p.norm == q.norm =>
                {
                    DiffKind::Same
                }
                (Some(_), Some(_)) => DiffKind::Different,
                (Some(_), None) => DiffKind::OnlyA,
                _ => DiffKind::OnlyB,
            };
            let mut place = Place {
                kind,
                doc: doc.to_string(),
                a: ma,
                b: mb,
                a_outcome,
                b_outcome,
                gold: Vec::new(),
            };
            let (s, e) = (place.start(), place.end());
            place.gold = gold
                .get(doc)
                .iter()
                .filter(|g| g.span.start < e && s < g.span.end)
                .map(mention_of)
                .collect();
            out.push(place);
        }
        out[first..].sort_by(|p, q| {
            (p.start(), p.end(), p.kind, &p.a, &p.b).cmp(&(q.start(), q.end(), q.kind, &q.a, &q.b))
        });
    }
    Ok(out)
}

/// ΔF1 with its interval and p-value, one line of the header.
fn significance(d: &crate::compare::Difference) -> String {
    let p = if d.p_value < 0.001 {
        "p &lt; 0.001".to_string()
    } else {
        format!("p = {:.3}", d.p_value)
    };
    let unit = match d.options.unit {
        crate::compare::Unit::Paragraph => "paragraphs",
        crate::compare::Unit::Document => "documents",
    };
    format!(
        "<p class=\"significance\"><b>ΔF1 (strict, B − A) {:+.3}</b>, 95% CI [{:+.3}, {:+.3}], \
         {p}{}: paired bootstrap over {} {unit} ({} resamples), approximate randomisation \
         ({} shuffles), seed {}</p>\n",
        d.delta,
        d.lo,
        d.hi,
        if d.p_value < 0.05 {
            " (significant at 0.05)"
        } else {
            ""
        },
        d.units,
        d.options.resamples,
        d.options.shuffles,
        d.options.seed
    )
}

pub(super) fn render(
    a: &Run<'_>,
    b: &Run<'_>,
    corpus: &Corpus,
    gold: &AnnotationSet,
    difference: Option<&crate::compare::Difference>,
) -> Result<String> {
    let ids_a: Vec<&str> = a.eval.documents.iter().map(|d| d.id.as_str()).collect();
    let ids_b: Vec<&str> = b.eval.documents.iter().map(|d| d.id.as_str()).collect();
    if ids_a != ids_b {
        return Err(Error::invalid(format!(
            "{:?} and {:?} were evaluated on different documents ({} and {})",
            a.name,
            b.name,
            ids_a.len(),
            ids_b.len()
        )));
    }
    // The checks of the single report: texts exist, offsets fit, predictions match.
    super::single::check(a, corpus)?;
    super::single::check(b, corpus)?;

    let places = places(a, b, &ids_a, gold)?;
    let (ra, rb) = (
        Report::new(a.eval).with_buckets(a.buckets),
        Report::new(b.eval).with_buckets(b.buckets),
    );
    let mut ids = Ids::default();
    let mut place_ids: Vec<String> = Vec::with_capacity(places.len());
    let mut marks_by_doc: BTreeMap<&str, Vec<Mark>> = BTreeMap::new();
    for p in &places {
        let doc = corpus
            .get(&p.doc)
            .ok_or_else(|| Error::invalid(format!("document {:?} has no text", p.doc)))?;
        let idx = OffsetIndex::new(&doc.text);
        let marks = marks_by_doc.entry(doc.id.as_str()).or_default();
        place_ids.push(place_marks(p, &idx, &mut ids, marks)?);
    }

    let mut counts: BTreeMap<DiffKind, usize> = BTreeMap::new();
    let (mut a_right, mut b_right, mut neither) = (0, 0, 0);
    for p in &places {
        *counts.entry(p.kind).or_insert(0) += 1;
        if p.kind != DiffKind::Same {
            match (p.right(true), p.right(false)) {
                (true, false) => a_right += 1,
                (false, true) => b_right += 1,
                _ => neither += 1,
            }
        }
    }
    let count = |k: DiffKind| counts.get(&k).copied().unwrap_or(0);
    let differing = places.len() - count(DiffKind::Same);

    // A's labels in order, then labels only B has.
    let all_labels: Vec<Label> = a
        .eval
        .labels
        .iter()
        .copied()
        .chain(
            b.eval
                .labels
                .iter()
                .copied()
                .filter(|l| !a.eval.labels.contains(l)),
        )
        .collect();
    let mut out = String::with_capacity(64 * 1024 + corpus.bytes() * 4);
    page::head(
        &mut out,
        &format!("tagbench comparison: {} vs {}", a.name, b.name),
        &all_labels,
    );
    let _ = write!(
        out,
        "<header>\n<h1>tagbench comparison <code class=\"side-a\">A: {}</code> vs \
         <code class=\"side-b\">B: {}</code></h1>\n",
        esc(a.name),
        esc(b.name)
    );
    for (side, r) in [("A", a), ("B", b)] {
        if !r.description.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"desc\"><b>{side}</b>: {}</p>",
                esc(r.description)
            );
        }
    }
    let (fa, fb) = (
        ra.schemes.get(Scheme::Strict).overall.scores.f1,
        rb.schemes.get(Scheme::Strict).overall.scores.f1,
    );
    let _ = writeln!(
        out,
        "<p class=\"headline\"><span class=\"big\">strict F1 {fa:.3} → {fb:.3}</span> \
         <a href=\"#differences\">{differing} places differ</a>: {} only in A, {} only in B, \
         {} in both but different · the gold agrees with A at {a_right}, with B at {b_right}, \
         with neither at {neither} · {} the same in both</p>\n\
         {}<nav><a href=\"#scores\">scores</a> <a href=\"#legend\">legend</a> \
         <a href=\"#differences\">differences</a> <a href=\"#documents\">documents</a></nav>\n</header>",
        count(DiffKind::OnlyA),
        count(DiffKind::OnlyB),
        count(DiffKind::Different),
        count(DiffKind::Same),
        difference.map(significance).unwrap_or_default()
    );

    let labels: Vec<Choice<'_>> = all_labels
        .iter()
        .map(|l| Choice {
            group: "label",
            value: l.as_str(),
            text: l.as_str(),
            count: places
                .iter()
                .filter(|p| p.kind != DiffKind::Same && labels_of(p).contains(l))
                .count(),
            swatch: format!("swatch l-{}", page::label_class(*l)),
        })
        .collect();
    let kinds: Vec<Choice<'_>> = DiffKind::ALL
        .iter()
        .map(|k| Choice {
            group: "kind",
            value: k.as_str(),
            text: k.title(),
            count: count(*k),
            swatch: format!("swatch badge kb-{}", k.as_str()),
        })
        .collect();
    page::filters(&mut out, "differences", &labels, &kinds);

    out.push_str(
        "<main>\n<section id=\"scores\">\n<h2>Scores</h2>\n<div class=\"overview\">\n<div>\n",
    );
    page::comparison_table(&mut out, a.name, &ra, b.name, &rb);
    out.push_str("<h3>Documents (strict F1)</h3>\n");
    docs_table(&mut out, &ra, &rb, &places);
    out.push_str("</div>\n");
    legend(&mut out, &all_labels);
    out.push_str("</div>\n");
    page::buckets_comparison(&mut out, a.name, &ra, b.name, &rb);
    out.push_str("</section>\n");
    list(&mut out, &places, &place_ids);

    out.push_str("<section id=\"documents\">\n<h2>Documents</h2>\n");
    for d in &a.eval.documents {
        let Some(doc) = corpus.get(&d.id) else {
            continue;
        };
        let n = places
            .iter()
            .filter(|p| p.doc == d.id && p.kind != DiffKind::Same)
            .count();
        let _ = write!(
            out,
            "<details class=\"doc\" id=\"{}\" data-doc=\"{}\"{}>\n<summary><h3>{} <small>{}</small></h3></summary>\n<div class=\"text\">",
            page::doc_anchor(&d.id),
            esc(&d.id),
            if n > 0 { " open" } else { "" },
            esc(&d.id),
            match n {
                0 => "no difference".to_string(),
                1 => "1 place differs".to_string(),
                n => format!("{n} places differ"),
            }
        );
        let marks = marks_by_doc
            .get(d.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        marked_text(&mut out, &doc.text, marks);
        out.push_str("</div>\n</details>\n");
    }
    out.push_str("</section>\n</main>\n");
    page::foot(&mut out);
    Ok(out)
}

fn labels_of(p: &Place) -> Vec<Label> {
    p.a.iter().chain(&p.b).map(|m| m.label).collect()
}

fn verdict(p: &Place) -> &'static str {
    match (p.right(true), p.right(false)) {
        (true, false) => "A right",
        (false, true) => "B right",
        (true, true) => "both right",
        (false, false) => "neither right",
    }
}

/// `A ✓`, `A ✗ B ✓`, ...: who has something here, and whether the gold agrees.
fn badge(p: &Place) -> String {
    let mark = |ok: bool| if ok { "✓" } else { "✗" };
    match p.kind {
        DiffKind::Same => String::new(),
        DiffKind::OnlyA => format!("A {}", mark(p.right(true))),
        DiffKind::OnlyB => format!("B {}", mark(p.right(false))),
        DiffKind::Different => format!("A {} B {}", mark(p.right(true)), mark(p.right(false))),
    }
}

fn outcome_name(o: Option<Outcome>) -> &'static str {
    o.map(Outcome::title).unwrap_or("nothing")
}

fn place_marks(
    p: &Place,
    idx: &OffsetIndex<'_>,
    ids: &mut Ids,
    marks: &mut Vec<Mark>,
) -> Result<String> {
    let kind = p.kind.as_str();
    let (start, end) = (p.start(), p.end());
    let (b0, b1) = byte_range(idx, &p.doc, start, end)?;
    let id = ids.unique(format!("c-{}-{start}-{end}-{kind}", id_part(&p.doc)));
    let mut tip = vec![p.kind.title().to_string()];
    for (side, m, o) in [("A", &p.a, p.a_outcome), ("B", &p.b, p.b_outcome)] {
        tip.push(match m {
            Some(m) => format!("{side:<6}{}  ({})", page::mention_tip(m), outcome_name(o)),
            None => format!("{side:<6}–"),
        });
    }
    if p.kind != DiffKind::Same {
        if p.gold.is_empty() {
            tip.push("gold  –".to_string());
        }
        for g in &p.gold {
            tip.push(format!("gold  {}", page::mention_tip(g)));
        }
        tip.push(verdict(p).to_string());
    }
    let mut class = format!("m k-{kind}");
    if let Some(m) = &p.a {
        let _ = write!(class, " a-{}", page::label_class(m.label));
    }
    if let Some(m) = &p.b {
        let _ = write!(class, " b-{}", page::label_class(m.label));
    }
    let mut attrs = data_attrs(kind, &labels_of(p), start, end);
    let badge = badge(p);
    if !badge.is_empty() {
        let _ = write!(attrs, " data-badge=\"{}\"", esc(&badge));
    }
    attrs.push_str(&title_attr(&tip));
    marks.push(Mark {
        start: b0,
        end: b1,
        rank: 0,
        class,
        id: Some(id.clone()),
        attrs,
    });
    if p.kind == DiffKind::Different {
        for (rank, side, m) in [(1, "a", &p.a), (2, "b", &p.b)] {
            let Some(m) = m else { continue };
            let (s0, s1) = byte_range(idx, &p.doc, m.start, m.end)?;
            marks.push(Mark {
                start: s0,
                end: s1,
                rank,
                class: format!("side s-{side} {side}-{}", page::label_class(m.label)),
                id: Some(format!("{id}-{side}")),
                attrs: data_attrs(kind, &labels_of(p), m.start, m.end)
                    + &format!(" data-side=\"{side}\""),
            });
        }
    }
    Ok(id)
}

fn docs_table(out: &mut String, a: &Report<'_>, b: &Report<'_>, places: &[Place]) {
    out.push_str(
        "<table class=\"docs\">\n<thead><tr><th>document</th><th class=\"n side-a\">A</th>\
         <th class=\"n side-b\">B</th><th class=\"n\">places that differ</th></tr></thead>\n<tbody>\n",
    );
    for (da, db) in a.documents.iter().zip(&b.documents) {
        let n = places
            .iter()
            .filter(|p| p.doc == da.doc && p.kind != DiffKind::Same)
            .count();
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#{}\">{}</a></td><td class=\"n\">{:.3}</td><td class=\"n\">{:.3}</td><td class=\"n\">{n}</td></tr>",
            page::doc_anchor(da.doc),
            esc(da.doc),
            da.schemes.get(Scheme::Strict).scores.f1,
            db.schemes.get(Scheme::Strict).scores.f1,
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn legend(out: &mut String, labels: &[Label]) {
    out.push_str(
        "<aside id=\"legend\">\n<h3>Legend</h3>\n<p>A's prediction is drawn as a bar <b>over</b> \
         the text, B's as a bar <b>under</b> it, in the label's colour: ",
    );
    for l in labels {
        let c = page::label_class(*l);
        let _ = write!(
            out,
            "<span class=\"m k-same a-{c}\">{}</span> ",
            esc(l.as_str())
        );
    }
    out.push_str(
        "</p>\n<p>Where both agree the text is only tinted. A badge says who predicts something \
         and whether the gold agrees (✓) or not (✗); hover a mark for both predictions, how \
         each run's evaluation judged them, and the gold.</p>\n<dl class=\"legend\">\n",
    );
    let samples = [
        (
            DiffKind::Same,
            "<span class=\"m k-same a-{P}\">Bamako</span>",
            "same span, label and norm",
        ),
        (
            DiffKind::OnlyA,
            "<span class=\"m k-only_a a-{A}\" data-badge=\"A ✓\">Wagner</span>",
            "B predicts nothing overlapping",
        ),
        (
            DiffKind::OnlyB,
            "<span class=\"m k-only_b b-{P}\" data-badge=\"B ✗\">Mali</span>an",
            "A predicts nothing overlapping",
        ),
        (
            DiffKind::Different,
            "<span class=\"m k-different a-{A} b-{A}\" data-badge=\"A ✗ B ✓\"><span class=\"side s-b b-{A}\"><span class=\"side s-a a-{A}\">UN</span> Security Council</span></span>",
            "overlapping spans with other boundaries, label or norm",
        ),
    ];
    for (k, sample, text) in samples {
        let _ = writeln!(
            out,
            "<dt>{}</dt><dd><b>{}</b>: {text}</dd>",
            page::sample_with(sample, labels),
            k.title()
        );
    }
    out.push_str("</dl>\n</aside>\n");
}

fn list(out: &mut String, places: &[Place], ids: &[String]) {
    let differing: Vec<(&Place, &String)> = places
        .iter()
        .zip(ids)
        .filter(|(p, _)| p.kind != DiffKind::Same)
        .collect();
    let _ = writeln!(
        out,
        "<section id=\"differences\">\n<h2>Differences <small>{}</small></h2>",
        differing.len()
    );
    if differing.is_empty() {
        out.push_str("<p>None: both runs predict the same mentions.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<table class=\"errors\">\n<thead><tr><th>kind</th><th>where</th><th class=\"side-a\">A</th>\
         <th class=\"side-b\">B</th><th>gold</th><th>verdict</th></tr></thead>\n<tbody>\n",
    );
    for (p, id) in differing {
        let kind = p.kind.as_str();
        let side = |m: &Option<Mention>, o: Option<Outcome>| match m {
            None => page::mention_cell(None),
            Some(m) => format!(
                "{}<br><span class=\"outcome o-{}\">{}</span>",
                page::mention_cell(Some(m)),
                o.map(Outcome::as_str).unwrap_or("none"),
                outcome_name(o)
            ),
        };
        let gold = if p.gold.is_empty() {
            page::mention_cell(None)
        } else {
            p.gold
                .iter()
                .map(|g| page::mention_cell(Some(g)))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let detail = match p.differences() {
            d if d.is_empty() => String::new(),
            d => format!("<br><small>{d}</small>"),
        };
        let _ = writeln!(
            out,
            "<tr{}><td><span class=\"badge kb-{kind}\">{}</span>{detail}</td>\
             <td class=\"where\"><a href=\"#{}\">{} {}..{}</a></td><td>{}</td><td>{}</td>\
             <td>{gold}</td><td class=\"verdict v-{}\">{}</td></tr>",
            data_attrs(kind, &labels_of(p), p.start(), p.end()),
            p.kind.title(),
            esc(id),
            esc(&p.doc),
            p.start(),
            p.end(),
            side(&p.a, p.a_outcome),
            side(&p.b, p.b_outcome),
            verdict(p).replace(' ', "-"),
            verdict(p)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::gold_labels;
    use crate::score::evaluate_sets;
    use crate::span::Span;

    fn set(text: &str, spans: &[(usize, usize, Label, &str)]) -> AnnotationSet {
        let mut s = AnnotationSet::new();
        let spans: Vec<Span> = spans
            .iter()
            .map(|&(a, b, l, n)| Span::new(a, b, l, gold_labels().parse_norm(l, n).unwrap()))
            .collect();
        s.insert_tagged("d", text, &spans);
        s
    }

    #[test]
    fn places_classify_and_judge() {
        let (actor, place) = (Label::new("ACTOR").unwrap(), Label::new("PLACE").unwrap());
        let text = "Mali and Gao met the UN Security Council in Kidal.";
        let corpus = Corpus::from_documents(vec![crate::gold::Document {
            id: "d".into(),
            text: text.into(),
        }])
        .unwrap();
        // Gold: Mali, Gao, UN Security Council; Kidal is not gold.
        let gold = set(
            text,
            &[
                (0, 4, place, "Mali"),
                (9, 12, place, "Gao"),
                (21, 40, actor, "UNSC"),
            ],
        );
        // A: Mali right, Gao as ACTOR, UN only, Kidal (spurious).
        let pa = set(
            text,
            &[
                (0, 4, place, "Mali"),
                (9, 12, actor, "Gao"),
                (21, 23, actor, "UN"),
                (44, 49, place, "Kidal"),
            ],
        );
        // B: Mali right, UN Security Council right, nothing else.
        let pb = set(text, &[(0, 4, place, "Mali"), (21, 40, actor, "UNSC")]);
        let (ea, eb) = (
            evaluate_sets(Some(&corpus), &gold, &pa, &crate::label::gold_labels()),
            evaluate_sets(Some(&corpus), &gold, &pb, &crate::label::gold_labels()),
        );
        let ra = Run {
            name: "a",
            description: "",
            pred: &pa,
            eval: &ea,
            buckets: &[],
        };
        let rb = Run {
            name: "b",
            description: "",
            pred: &pb,
            eval: &eb,
            buckets: &[],
        };
        let ps = places(&ra, &rb, &["d"], &gold).unwrap();
        let got: Vec<(DiffKind, usize, usize, &str)> = ps
            .iter()
            .map(|p| (p.kind, p.start(), p.end(), verdict(p)))
            .collect();
        assert_eq!(
            got,
            [
                (DiffKind::Same, 0, 4, "both right"),
                (DiffKind::OnlyA, 9, 12, "neither right"),
                (DiffKind::Different, 21, 40, "B right"),
                (DiffKind::OnlyA, 44, 49, "B right"),
            ]
        );
        assert_eq!(ps[1].a_outcome, Some(Outcome::Error(ErrorKind::WrongLabel)));
        assert_eq!(ps[1].gold.len(), 1, "the gold Gao is shown");
        assert_eq!(ps[2].differences(), "boundaries, norm");
        assert_eq!(badge(&ps[2]), "A ✗ B ✓");
        assert_eq!(badge(&ps[3]), "A ✗");

        let html = render(&ra, &rb, &corpus, &gold, None).unwrap();
        assert!(html.contains("id=\"c-d-21-40-different\""), "{html}");
        assert!(html.contains("href=\"#c-d-44-49-only_a\""), "{html}");
        assert!(
            !html.contains("href=\"#c-d-0-4-same\""),
            "agreements are not listed"
        );
        assert_eq!(html.matches("data-side=\"a\"").count(), 1);
        assert_eq!(html.matches("data-side=\"b\"").count(), 1);
        // A run compared with itself: no difference.
        let same = render(&ra, &ra, &corpus, &gold, None).unwrap();
        assert!(same.contains("None: both runs predict the same mentions."));
        assert_eq!(
            render(&ra, &rb, &corpus, &gold, None).unwrap(),
            html,
            "deterministic"
        );
    }

    #[test]
    fn places_are_the_gold_mentions_then_spurious_predictions() {
        let (actor, place) = (Label::new("ACTOR").unwrap(), Label::new("PLACE").unwrap());
        let text = "Mali and Gao met the UN Security Council in Kidal.";
        let corpus = Corpus::from_documents(vec![crate::gold::Document {
            id: "d".into(),
            text: text.into(),
        }])
        .unwrap();
        let gold = set(text, &[(21, 40, actor, "UNSC")]);
        // A and B both predict Kidal (spurious, identical): one place, the same in both.
        // Both predict a part of the UN Security Council, spans that do not overlap each
        // other: one place, anchored on the gold mention. "met" and "met the": two.
        let pa = set(
            text,
            &[
                (21, 23, actor, "UN"),
                (44, 49, place, "Kidal"),
                (13, 16, actor, ""),
            ],
        );
        let pb = set(
            text,
            &[
                (24, 40, actor, "UNSC"),
                (44, 49, place, "Kidal"),
                (13, 20, actor, ""),
            ],
        );
        let labels = crate::label::gold_labels();
        let (ea, eb) = (
            evaluate_sets(Some(&corpus), &gold, &pa, &labels),
            evaluate_sets(Some(&corpus), &gold, &pb, &labels),
        );
        let run = |pred, eval| Run {
            name: "x",
            description: "",
            pred,
            eval,
            buckets: &[],
        };
        let ps = places(&run(&pa, &ea), &run(&pb, &eb), &["d"], &gold).unwrap();
        let got: Vec<(DiffKind, usize, usize, &str)> = ps
            .iter()
            .map(|p| (p.kind, p.start(), p.end(), verdict(p)))
            .collect();
        assert_eq!(
            got,
            [
                (DiffKind::OnlyA, 13, 16, "B right"),
                (DiffKind::OnlyB, 13, 20, "A right"),
                (DiffKind::Different, 21, 40, "neither right"),
                (DiffKind::Same, 44, 49, "neither right"),
            ]
        );
        let o = |k| Some(Outcome::Error(k));
        assert_eq!(ps[2].a_outcome, o(ErrorKind::WrongBoundary));
        assert_eq!(ps[3].a_outcome, o(ErrorKind::Spurious));
        // Evaluations of different golds are refused.
        let other = set(text, &[(0, 4, place, "Mali"), (21, 40, actor, "UNSC")]);
        let ec = evaluate_sets(Some(&corpus), &other, &pb, &labels);
        let err = places(&run(&pa, &ea), &run(&pb, &ec), &["d"], &gold).unwrap_err();
        assert!(err.to_string().contains("different gold mentions"), "{err}");
    }
}
