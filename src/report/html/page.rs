//! What both pages share: the head (inline CSS and the content security policy), the filter
//! bar, the score tables, mention formatting, the attributes of marks and the script.

use std::fmt::Write;

use crate::annotations::Annotation;
use crate::error::{Error, Result};
use crate::label::Label;
use crate::report::{table, CountsReport, Report};
use crate::score::{Mention, Scheme, Scores};
use crate::span::OffsetIndex;

use super::markup::{attr_into, esc, id_part};

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// Nothing may be loaded: no font, image, script or style from anywhere. Inline style and
/// script are what the page is made of.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

/// The document up to and including `<body>`.
pub(super) fn head(out: &mut String, title: &str, labels: &[Label]) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"tagbench\">\n\
         <title>{}</title>\n<style>\n{STYLE}{}</style>\n</head>\n<body>\n",
        esc(title),
        label_style(labels)
    );
}

/// Label colours, (ink, background): the i-th label of a page takes the i-th pair.
const PALETTE: [(&str, &str); 8] = [
    ("#1f6feb", "#ddeafe"),
    ("#1a7f37", "#d4f4dc"),
    ("#8250df", "#ece2fd"),
    ("#bc4c00", "#fde7d6"),
    ("#0a7c8c", "#d3f2f5"),
    ("#bf3989", "#fbe0ef"),
    ("#6e7781", "#eaeef2"),
    ("#9a6700", "#fcf0c8"),
];

/// The CSS that colours each label of the page (in report order) from [`PALETTE`]: its
/// swatch and chip (`l-`), and its marks as gold (`g-`), predicted (`p-`) or from run A or
/// B (`a-`, `b-`).
fn label_style(labels: &[Label]) -> String {
    let mut css = String::from("/* Label colours, in the page's label order. */\n");
    for (i, &l) in labels.iter().enumerate() {
        let (ink, bg) = PALETTE[i % PALETTE.len()];
        let c = label_class(l);
        let _ = writeln!(
            css,
            ".swatch.l-{c}, .lab.l-{c} {{ background: {ink}; }} \
             .g-{c} {{ --g: {ink}; --gb: {bg}; }} .p-{c} {{ --p: {ink}; --pb: {bg}; }} \
             .a-{c} {{ --a: {ink}; --ab: {bg}; }} .b-{c} {{ --b: {ink}; --bb: {bg}; }}"
        );
    }
    css
}

/// A label as a CSS class suffix: its name when that is letters, digits, `-` and `_` only
/// (every class of this repository's labels), else `x` and the name's bytes in hex, so that
/// any label name is a safe class in an attribute and a selector.
pub(super) fn label_class(l: Label) -> std::borrow::Cow<'static, str> {
    let name = l.as_str();
    if name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
    {
        std::borrow::Cow::Borrowed(name)
    } else {
        let mut s = String::from("x");
        for b in name.bytes() {
            let _ = write!(s, "{b:02x}");
        }
        std::borrow::Cow::Owned(s)
    }
}

/// The script and the end of the document.
pub(super) fn foot(out: &mut String) {
    let _ = write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
}

/// One checkbox of the filter bar: its group (`label` or `kind`), value, text and a count.
pub(super) struct Choice<'a> {
    pub group: &'static str,
    pub value: &'a str,
    pub text: &'a str,
    pub count: usize,
    /// The class of the swatch drawn before the text.
    pub swatch: String,
}

/// The filter bar: hidden until the script shows it (without JavaScript it could do
/// nothing), sticky at the top of the window.
pub(super) fn filters(out: &mut String, what: &str, labels: &[Choice<'_>], kinds: &[Choice<'_>]) {
    out.push_str("<form id=\"filters\" class=\"filters\" hidden>\n");
    for (title, group) in [("labels", labels), ("show", kinds)] {
        let _ = write!(out, "<fieldset><legend>{title}</legend>");
        for c in group {
            let _ = write!(
                out,
                "<label><input type=\"checkbox\" name=\"{}\" value=\"{}\" checked>\
                 <span class=\"{}\"></span>{} <span class=\"count\">{}</span></label>",
                c.group,
                esc(c.value),
                esc(&c.swatch),
                esc(c.text),
                c.count
            );
        }
        out.push_str("</fieldset>\n");
    }
    let _ = writeln!(
        out,
        "<p class=\"shown\">{} shown: <output id=\"shown\"></output></p>\n</form>",
        esc(what)
    );
}

/// `<span class="lab l-ACTOR">ACTOR</span>`
pub(super) fn label_chip(l: Label) -> String {
    format!(
        "<span class=\"lab l-{}\">{}</span>",
        label_class(l),
        esc(l.as_str())
    )
}

/// A mention for a table cell: label chip, quoted text, norm.
pub(super) fn mention_cell(m: Option<&Mention>) -> String {
    match m {
        None => "<span class=\"none\">–</span>".to_string(),
        Some(m) => format!(
            "{} “{}” <span class=\"norm\">{}</span>",
            label_chip(m.label),
            esc(&m.text),
            esc(&norm_text(m))
        ),
    }
}

/// `= norm`, or `no norm`.
pub(super) fn norm_text(m: &Mention) -> String {
    if m.norm.is_empty() {
        "no norm".to_string()
    } else {
        format!("= {}", m.norm)
    }
}

/// A mention in a tooltip, after a 6-character prefix: `ACTOR 805..836 “text”`, then the
/// norm on a line of its own, aligned under it.
pub(super) fn mention_tip(m: &Mention) -> String {
    format!(
        "{} {}..{} “{}”\n      {}",
        m.label,
        m.start,
        m.end,
        super::super::clean(&m.text),
        super::super::clean(&norm_text(m)),
    )
}

/// The id of a document's section.
pub(super) fn doc_anchor(doc: &str) -> String {
    format!("doc-{}", id_part(doc))
}

fn n3(x: f64) -> String {
    format!("{x:.3}")
}

/// A score cell; F1 cells get a bar behind the number.
fn score_cells(out: &mut String, s: Scores) {
    let _ = write!(
        out,
        "<td class=\"n\">{}</td><td class=\"n\">{}</td>{}",
        n3(s.precision),
        n3(s.recall),
        f1_cell(s.f1)
    );
}

pub(super) fn f1_cell(f1: f64) -> String {
    format!(
        "<td class=\"n f1\" style=\"--f:{:.1}%\">{}</td>",
        f1 * 100.0,
        n3(f1)
    )
}

fn row_name(out: &mut String, label: Option<Label>) {
    match label {
        Some(l) => {
            let _ = write!(out, "<td>{}</td>", label_chip(l));
        }
        None => out.push_str("<td class=\"overall\">overall</td>"),
    }
}

/// A legend sample drawn with the first, second and third labels of the run (`{A}`, `{P}`,
/// `{F}` in `sample`), so that its colours are the page's.
pub(super) fn sample_with(sample: &str, labels: &[Label]) -> String {
    let fallback = Label::new("none").expect("a valid label name");
    let pick = |i: usize| *labels.get(i).or(labels.first()).unwrap_or(&fallback);
    sample
        .replace("{A}", &label_class(pick(0)))
        .replace("{P}", &label_class(pick(1)))
        .replace("{F}", &label_class(pick(2)))
}

/// The scores of one run: every scheme, per label, overall and macro, with the counts.
pub(super) fn scores_table(out: &mut String, report: &Report<'_>) {
    out.push_str(
        "<table class=\"scores\">\n<thead><tr><th>scheme</th><th>label</th>\
         <th class=\"n\">correct</th><th class=\"n\">incorrect</th><th class=\"n\">partial</th>\
         <th class=\"n\">missed</th><th class=\"n\">spurious</th><th class=\"n\">possible</th>\
         <th class=\"n\">actual</th><th class=\"n\">P</th><th class=\"n\">R</th>\
         <th class=\"n\">F1</th></tr></thead>\n",
    );
    for scheme in Scheme::ALL {
        let sr = report.schemes.get(scheme);
        out.push_str("<tbody>\n");
        if !sr.applicable {
            out.push_str("<tr>");
            scheme_head(out, scheme, 1);
            let _ = write!(
                out,
                "<td colspan=\"11\">{}</td></tr>\n</tbody>\n",
                super::super::NORMS_MISSING
            );
            continue;
        }
        let span = sr.by_label.len() + 2;
        let rows = sr
            .by_label
            .iter()
            .map(|(l, c)| (Some(l), c))
            .chain([(None, &sr.overall)]);
        for (i, (label, c)) in rows.enumerate() {
            out.push_str(if label.is_none() {
                "<tr class=\"overall\">"
            } else {
                "<tr>"
            });
            if i == 0 {
                scheme_head(out, scheme, span);
            }
            row_name(out, label);
            counts_cells(out, c);
            score_cells(out, c.scores);
            out.push_str("</tr>\n");
        }
        let m = report.macro_avg.get(scheme).0;
        out.push_str("<tr class=\"macro\"><td>macro</td><td colspan=\"7\"></td>");
        score_cells(out, m);
        out.push_str("</tr>\n</tbody>\n");
    }
    out.push_str("</table>\n");
}

fn scheme_head(out: &mut String, scheme: Scheme, rows: usize) {
    let _ = write!(
        out,
        "<th rowspan=\"{rows}\" class=\"scheme\">{scheme}<small>{}</small></th>",
        table::describe(scheme)
    );
}

fn counts_cells(out: &mut String, c: &CountsReport) {
    let k = c.counts;
    for (n, class) in [
        (k.correct, ""),
        (k.incorrect, "bad"),
        (k.partial, "bad"),
        (k.missed, "bad"),
        (k.spurious, "bad"),
        (k.possible(), ""),
        (k.actual(), ""),
    ] {
        let class = if n > 0 && !class.is_empty() {
            " nz"
        } else {
            ""
        };
        let _ = write!(out, "<td class=\"n{class}\">{n}</td>");
    }
}

/// The strict scores of each document, each linked to its text.
pub(super) fn documents_table(out: &mut String, report: &Report<'_>) {
    out.push_str(
        "<table class=\"docs\">\n<thead><tr><th>document</th><th class=\"n\">correct</th>\
         <th class=\"n\">incorrect</th><th class=\"n\">missed</th><th class=\"n\">spurious</th>\
         <th class=\"n\">P</th><th class=\"n\">R</th><th class=\"n\">F1</th></tr></thead>\n<tbody>\n",
    );
    for d in &report.documents {
        let c = d.schemes.get(Scheme::Strict);
        let k = c.counts;
        let _ = write!(
            out,
            "<tr><td><a href=\"#{}\">{}</a></td>",
            doc_anchor(d.doc),
            esc(d.doc)
        );
        for n in [k.correct, k.incorrect, k.missed, k.spurious] {
            let _ = write!(out, "<td class=\"n\">{n}</td>");
        }
        score_cells(out, c.scores);
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The confusion matrix, gold labels as rows.
pub(super) fn confusion_table(out: &mut String, report: &Report<'_>) {
    let c = &report.confusion;
    out.push_str("<table class=\"confusion\">\n<thead><tr><th>gold \\ predicted</th>");
    for j in 0..c.labels.len() {
        let _ = write!(out, "<th class=\"n\">{}</th>", chip_or_none(&c.labels, j));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, row) in c.matrix.iter().enumerate() {
        let _ = write!(out, "<tr><th>{}</th>", chip_or_none(&c.labels, i));
        for (j, n) in row.iter().enumerate() {
            let class = match (i == j, *n > 0) {
                (_, false) => "n zero",
                (true, true) => "n diag",
                (false, true) => "n offdiag",
            };
            let _ = write!(out, "<td class=\"{class}\">{n}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// A row or column name of the confusion matrix: a label's chip, or plain `none` for the
/// last one (whatever the labels are called).
fn chip_or_none(names: &[&str], i: usize) -> String {
    match names[i].parse::<Label>() {
        Ok(l) if i + 1 < names.len() => label_chip(l),
        _ => esc(names[i]),
    }
}

/// Two runs' scores side by side, per scheme and label, with the F1 difference `b − a`.
pub(super) fn comparison_table(
    out: &mut String,
    a_name: &str,
    a: &Report<'_>,
    b_name: &str,
    b: &Report<'_>,
) {
    let _ = write!(
        out,
        "<table class=\"scores compare\">\n<thead><tr><th rowspan=\"2\">scheme</th>\
         <th rowspan=\"2\">label</th><th colspan=\"3\" class=\"side-a\">A: {}</th>\
         <th colspan=\"3\" class=\"side-b\">B: {}</th><th rowspan=\"2\" class=\"n\">ΔF1<br>B − A</th></tr>\n\
         <tr><th class=\"n side-a\">P</th><th class=\"n side-a\">R</th><th class=\"n side-a\">F1</th>\
         <th class=\"n side-b\">P</th><th class=\"n side-b\">R</th><th class=\"n side-b\">F1</th></tr></thead>\n",
        esc(a_name),
        esc(b_name)
    );
    for scheme in Scheme::ALL {
        let (sa, sb) = (a.schemes.get(scheme), b.schemes.get(scheme));
        out.push_str("<tbody>\n");
        if !(sa.applicable && sb.applicable) {
            out.push_str("<tr>");
            scheme_head(out, scheme, 1);
            let _ = write!(
                out,
                "<td colspan=\"8\">{} (on one side at least)</td></tr>\n</tbody>\n",
                super::super::NORMS_MISSING
            );
            continue;
        }
        // A's labels in order, then labels only B has.
        let labels: Vec<Label> = sa
            .by_label
            .labels()
            .chain(
                sb.by_label
                    .labels()
                    .filter(|&l| sa.by_label.get(l).is_none()),
            )
            .collect();
        let n = labels.len();
        let scores = |r: &super::super::SchemeReport, l: Label| {
            r.by_label.get(l).map(|c| c.scores).unwrap_or_default()
        };
        let rows = labels
            .iter()
            .map(|&l| (Some(l), scores(sa, l), scores(sb, l)))
            .chain([(None, sa.overall.scores, sb.overall.scores)])
            .chain([(None, a.macro_avg.get(scheme).0, b.macro_avg.get(scheme).0)]);
        for (i, (label, x, y)) in rows.enumerate() {
            out.push_str(if i == n {
                "<tr class=\"overall\">"
            } else if i == n + 1 {
                "<tr class=\"macro\">"
            } else {
                "<tr>"
            });
            if i == 0 {
                scheme_head(out, scheme, n + 2);
            }
            if i == n + 1 {
                out.push_str("<td>macro</td>");
            } else {
                row_name(out, label);
            }
            score_cells(out, x);
            score_cells(out, y);
            let d = y.f1 - x.f1;
            // Rounded first, so that a difference printed as 0.000 is never coloured.
            let shown = crate::report::round(d, 3);
            let class = if shown > 0.0 {
                "up"
            } else if shown < 0.0 {
                "down"
            } else {
                "same"
            };
            let _ = writeln!(
                out,
                "<td class=\"n delta {class}\">{}{:.3}</td></tr>",
                if shown > 0.0 { "+" } else { "" },
                if shown == 0.0 { 0.0 } else { shown }
            );
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
}

/// Converts a code-point range of `doc` to bytes, or says what is wrong.
pub(super) fn byte_range(
    idx: &OffsetIndex<'_>,
    doc: &str,
    start: usize,
    end: usize,
) -> Result<(usize, usize)> {
    match (idx.char_to_byte(start), idx.char_to_byte(end)) {
        (Some(a), Some(b)) if a <= b => Ok((a, b)),
        _ => Err(Error::invalid(format!(
            "document {doc:?}: span {start}..{end} is outside its text ({} code points)",
            idx.char_len()
        ))),
    }
}

/// ` data-kind="K" data-labels="L1 L2" data-start="S" data-end="E"`, labels deduplicated.
pub(super) fn data_attrs(kind: &str, labels: &[Label], start: usize, end: usize) -> String {
    let mut ls: Vec<Label> = labels.to_vec();
    ls.sort();
    ls.dedup();
    let names: Vec<&str> = ls.iter().map(|l| l.as_str()).collect();
    format!(
        " data-kind=\"{kind}\" data-labels=\"{}\" data-start=\"{start}\" data-end=\"{end}\"",
        esc(&names.join(" "))
    )
}

/// ` title="..."`, escaped.
pub(super) fn title_attr(lines: &[String]) -> String {
    let mut s = String::from(" title=\"");
    attr_into(&mut s, &lines.join("\n"));
    s.push('"');
    s
}

/// A mention as the error list has it, from an annotation.
pub(super) fn mention_of(a: &Annotation) -> Mention {
    Mention {
        start: a.span.start,
        end: a.span.end,
        label: a.span.label,
        text: a.text.clone(),
        norm: a.span.norm.to_string(),
    }
}

/// The scores by bucket of one run: a table per grouping, strict counts and scores per bucket.
pub(super) fn buckets_tables(out: &mut String, report: &Report<'_>) {
    if report.buckets.is_empty() {
        return;
    }
    out.push_str("<div class=\"overview\" id=\"buckets\">\n");
    for b in &report.buckets {
        let _ = write!(
            out,
            "<div>\n<h3>By {} <small>strict; {}</small></h3>\n<table class=\"docs buckets\">\n\
             <thead><tr><th>{}</th><th class=\"n\">gold</th><th class=\"n\">predicted</th>\
             <th class=\"n\">correct</th><th class=\"n\">incorrect</th><th class=\"n\">missed</th>\
             <th class=\"n\">spurious</th><th class=\"n\">P</th><th class=\"n\">R</th>\
             <th class=\"n\">F1</th></tr></thead>\n<tbody>\n",
            b.by,
            esc(b.description),
            b.by
        );
        for x in &b.buckets {
            let c = x.schemes.get(Scheme::Strict);
            let k = c.counts;
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
                esc(&x.name),
                x.gold,
                x.predicted
            );
            for n in [k.correct, k.incorrect, k.missed, k.spurious] {
                let _ = write!(out, "<td class=\"n\">{n}</td>");
            }
            score_cells(out, c.scores);
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
    }
    out.push_str("</div>\n");
}

/// Two runs' strict F1 by bucket, side by side with the difference `b − a`.
pub(super) fn buckets_comparison(
    out: &mut String,
    a_name: &str,
    a: &Report<'_>,
    b_name: &str,
    b: &Report<'_>,
) {
    if a.buckets.is_empty() {
        return;
    }
    out.push_str("<div class=\"overview\" id=\"buckets\">\n");
    for (ga, gb) in a.buckets.iter().zip(&b.buckets) {
        let _ = write!(
            out,
            "<div>\n<h3>By {} <small>strict F1; {}</small></h3>\n<table class=\"docs buckets\">\n\
             <thead><tr><th>{}</th><th class=\"n\">gold</th><th class=\"n side-a\">A: {}</th>\
             <th class=\"n side-b\">B: {}</th><th class=\"n\">ΔF1</th></tr></thead>\n<tbody>\n",
            ga.by,
            esc(ga.description),
            ga.by,
            esc(a_name),
            esc(b_name)
        );
        // A's buckets, then those only B has (a bucket of B's spurious predictions alone).
        let names: Vec<&str> = ga
            .buckets
            .iter()
            .map(|x| x.name.as_str())
            .chain(
                gb.buckets
                    .iter()
                    .map(|x| x.name.as_str())
                    .filter(|n| !ga.buckets.iter().any(|x| x.name == *n)),
            )
            .collect();
        for n in names {
            let find = |g: &crate::report::BucketsReport| {
                g.buckets
                    .iter()
                    .find(|x| x.name == n)
                    .map(|x| (x.gold, x.schemes.get(Scheme::Strict).scores.f1))
            };
            let (xa, xb) = (find(ga), find(gb));
            let gold = xa.or(xb).map_or(0, |x| x.0);
            let (fa, fb) = (xa.map_or(0.0, |x| x.1), xb.map_or(0.0, |x| x.1));
            let d = crate::report::round(fb - fa, 3);
            let class = if d > 0.0 {
                "up"
            } else if d < 0.0 {
                "down"
            } else {
                "same"
            };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"n\">{gold}</td>{}{}<td class=\"n delta {class}\">{}{:.3}</td></tr>",
                esc(n),
                f1_cell(fa),
                f1_cell(fb),
                if d > 0.0 { "+" } else { "" },
                if d == 0.0 { 0.0 } else { d }
            );
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
    }
    out.push_str("</div>\n");
}
