//! The terminal renderer: aligned plain-text tables, optionally coloured.

use crate::score::{ErrorKind, ErrorRecord, Mention, Scheme};

use super::{clean, covered_text, ellipses, shown_norm, CountsReport, RenderOptions, Report};

/// One block per scheme (strict first), the confusion matrix, strict scores per document,
/// then the errors (up to `opts.max_errors`).
pub(crate) fn render(report: &Report<'_>, opts: &RenderOptions) -> String {
    let color = opts.color;
    let mut out = String::new();
    for scheme in Scheme::ALL {
        if !report.schemes.get(scheme).applicable {
            title(&mut out, scheme.as_str(), super::NORMS_MISSING, color);
            out.push('\n');
            continue;
        }
        title(&mut out, scheme.as_str(), describe(scheme), color);
        scheme_grid(report, scheme).write(&mut out, color);
        out.push('\n');
    }
    // What the macro rows average over (a label only the predictions use is not in it).
    let declared: Vec<&str> = report
        .schemes
        .get(Scheme::Strict)
        .by_label
        .declared()
        .map(|(l, _)| l.as_str())
        .collect();
    out.push_str(&format!(
        "macro: the mean of each label's P, R and F1 over the gold's declared labels ({})\n\n",
        if declared.is_empty() {
            "none".to_string()
        } else {
            declared.join(", ")
        }
    ));

    title(&mut out, "confusion", "rows gold, columns predicted", color);
    let mut g = Grid::new(&["gold \\ pred"], &[false]);
    g.head.extend(report.confusion.labels.iter().copied());
    g.right.extend(vec![true; report.confusion.labels.len()]);
    for (name, row) in report.confusion.labels.iter().zip(&report.confusion.matrix) {
        let mut cells = vec![Cell::new(*name, Paint::Plain)];
        cells.extend(row.iter().map(|n| Cell::new(n.to_string(), Paint::Plain)));
        g.rows.push(cells);
    }
    g.write(&mut out, color);
    out.push('\n');

    if !report.documents.is_empty() {
        title(&mut out, "documents", "strict", color);
        let mut g = Grid::new(
            &[
                "doc",
                "correct",
                "incorrect",
                "missed",
                "spurious",
                "P",
                "R",
                "F1",
            ],
            &[false, true, true, true, true, true, true, true],
        );
        for d in &report.documents {
            let c = d.schemes.get(Scheme::Strict);
            let k = &c.counts;
            let mut cells = vec![
                Cell::new(clean(d.doc), Paint::Plain),
                Cell::new(k.correct.to_string(), Paint::Plain),
                Cell::new(k.incorrect.to_string(), Paint::Plain),
                count_cell(k.missed, Paint::Red),
                count_cell(k.spurious, Paint::Yellow),
            ];
            cells.extend(score_cells(c));
            g.rows.push(cells);
        }
        g.write(&mut out, color);
        out.push('\n');
    }

    for b in &report.buckets {
        let note = format!("strict; {}", b.description);
        title(&mut out, &format!("by {}", b.by), &note, color);
        let mut g = Grid::new(
            &[
                b.by.as_str(),
                "gold",
                "predicted",
                "correct",
                "incorrect",
                "missed",
                "spurious",
                "P",
                "R",
                "F1",
            ],
            &[false, true, true, true, true, true, true, true, true, true],
        );
        for x in &b.buckets {
            let c = x.schemes.get(Scheme::Strict);
            let k = &c.counts;
            let mut cells = vec![
                Cell::new(clean(&x.name), Paint::Plain),
                Cell::new(x.gold.to_string(), Paint::Plain),
                Cell::new(x.predicted.to_string(), Paint::Plain),
                Cell::new(k.correct.to_string(), Paint::Plain),
                Cell::new(k.incorrect.to_string(), Paint::Plain),
                count_cell(k.missed, Paint::Red),
                count_cell(k.spurious, Paint::Yellow),
            ];
            cells.extend(score_cells(c));
            g.rows.push(cells);
        }
        g.write(&mut out, color);
        out.push('\n');
    }

    let total = report.errors.len();
    let shown = opts.max_errors.unwrap_or(total).min(total);
    if total == 0 {
        title(&mut out, "errors", "none", color);
        return out;
    }
    let note = if shown < total {
        format!("showing {shown} of {total}")
    } else {
        total.to_string()
    };
    title(&mut out, "errors", &note, color);
    let mut g = Grid::new(
        &["kind", "doc", "span", "gold", "predicted", "context"],
        &[false; 6],
    );
    for e in &report.errors[..shown] {
        g.rows.push(vec![
            Cell::new(e.kind.as_str(), kind_paint(e.kind)),
            Cell::new(clean(&e.doc), Paint::Plain),
            Cell::new(format!("{}..{}", e.start(), e.end()), Paint::Plain),
            Cell::new(mention(e.gold.as_ref(), e.kind), Paint::Plain),
            Cell::new(mention(e.pred.as_ref(), e.kind), Paint::Plain),
            context(e, color),
        ]);
    }
    g.write(&mut out, color);
    out
}

/// What a scheme accepts, in a few words (also the HTML report's row headers).
pub(super) fn describe(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Strict => "same boundaries and label",
        Scheme::Exact => "same boundaries, any label",
        Scheme::Partial => "overlap; other boundaries earn half credit",
        Scheme::Type => "overlap with the same label",
        Scheme::Norm => "strict, and the same norm",
    }
}

fn title(out: &mut String, name: &str, note: &str, color: bool) {
    out.push_str(&paint(name, Paint::Bold, color));
    out.push_str(": ");
    out.push_str(note);
    out.push('\n');
}

fn scheme_grid(report: &Report<'_>, scheme: Scheme) -> Grid {
    let mut g = Grid::new(
        &[
            "label",
            "correct",
            "incorrect",
            "partial",
            "missed",
            "spurious",
            "possible",
            "actual",
            "P",
            "R",
            "F1",
        ],
        &[
            false, true, true, true, true, true, true, true, true, true, true,
        ],
    );
    let sr = report.schemes.get(scheme);
    let rows = sr
        .by_label
        .iter()
        .map(|(l, c)| (l.as_str(), c))
        .chain([("overall", &sr.overall)]);
    for (name, c) in rows {
        let k = &c.counts;
        let mut cells = vec![
            Cell::new(name, Paint::Plain),
            Cell::new(k.correct.to_string(), Paint::Plain),
            Cell::new(k.incorrect.to_string(), Paint::Plain),
            Cell::new(k.partial.to_string(), Paint::Plain),
            count_cell(k.missed, Paint::Red),
            count_cell(k.spurious, Paint::Yellow),
            Cell::new(k.possible().to_string(), Paint::Plain),
            Cell::new(k.actual().to_string(), Paint::Plain),
        ];
        cells.extend(score_cells(c));
        g.rows.push(cells);
    }
    let m = report.macro_avg.get(scheme).0;
    let mut cells = vec![Cell::new("macro", Paint::Plain)];
    cells.extend((0..7).map(|_| Cell::new("", Paint::Plain)));
    cells.extend([m.precision, m.recall, m.f1].map(|x| Cell::new(format!("{x:.3}"), Paint::Plain)));
    g.rows.push(cells);
    g
}

fn score_cells(c: &CountsReport) -> [Cell; 3] {
    let s = c.scores;
    [s.precision, s.recall, s.f1].map(|x| Cell::new(format!("{x:.3}"), Paint::Plain))
}

/// A count highlighted when non-zero, so the eye finds the misses.
fn count_cell(n: u64, p: Paint) -> Cell {
    Cell::new(n.to_string(), if n > 0 { p } else { Paint::Plain })
}

fn kind_paint(kind: ErrorKind) -> Paint {
    match kind {
        ErrorKind::Missed => Paint::Red,
        ErrorKind::Spurious => Paint::Yellow,
        ErrorKind::WrongLabel | ErrorKind::WrongLabelAndBoundary => Paint::Magenta,
        ErrorKind::WrongBoundary => Paint::Cyan,
        ErrorKind::WrongNorm => Paint::Blue,
    }
}

/// `LABEL "text"`, with `=norm` when the norm is what went wrong; `-` for no mention.
fn mention(m: Option<&Mention>, kind: ErrorKind) -> String {
    match m {
        None => "-".to_string(),
        Some(m) => match shown_norm(m, kind) {
            Some(n) => format!("{} \"{}\" ={}", m.label, clean(&m.text), clean(n)),
            None => format!("{} \"{}\"", m.label, clean(&m.text)),
        },
    }
}

/// `…left[TEXT]right…`, the ellipses only where the context was cut.
fn context(e: &ErrorRecord, color: bool) -> Cell {
    let (l, r) = ellipses(e);
    let left = format!("{l}{}", e.left);
    let covered = format!("[{}]", covered_text(e));
    let right = format!("{}{r}", e.right);
    let width = left.chars().count() + covered.chars().count() + right.chars().count();
    Cell {
        text: format!("{left}{}{right}", paint(&covered, Paint::Bold, color)),
        width,
        paint: Paint::Plain,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Paint {
    Plain,
    Bold,
    Red,
    Yellow,
    Magenta,
    Cyan,
    Blue,
}

fn paint(s: &str, p: Paint, color: bool) -> String {
    let code = match p {
        _ if !color => return s.to_string(),
        Paint::Plain => return s.to_string(),
        Paint::Bold => "1",
        Paint::Red => "31",
        Paint::Yellow => "33",
        Paint::Magenta => "35",
        Paint::Cyan => "36",
        Paint::Blue => "34",
    };
    format!("\x1b[{code}m{s}\x1b[0m")
}

/// A cell: its text, its display width (the text may hold escape codes) and its colour.
struct Cell {
    text: String,
    width: usize,
    paint: Paint,
}

impl Cell {
    fn new(text: impl Into<String>, paint: Paint) -> Cell {
        let text = text.into();
        Cell {
            width: text.chars().count(),
            text,
            paint,
        }
    }
}

/// Columns aligned by padding to the widest cell; colour is applied after padding, so it
/// never shifts a column.
struct Grid {
    head: Vec<&'static str>,
    right: Vec<bool>,
    rows: Vec<Vec<Cell>>,
}

impl Grid {
    fn new(head: &[&'static str], right: &[bool]) -> Grid {
        Grid {
            head: head.to_vec(),
            right: right.to_vec(),
            rows: Vec::new(),
        }
    }

    fn write(&self, out: &mut String, color: bool) {
        let mut widths: Vec<usize> = self.head.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.width);
            }
        }
        let head: Vec<Cell> = self
            .head
            .iter()
            .map(|h| Cell::new(*h, Paint::Bold))
            .collect();
        for row in std::iter::once(&head).chain(&self.rows) {
            let mut line = String::new();
            for (i, c) in row.iter().enumerate() {
                let last = i + 1 == row.len();
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = " ".repeat(widths[i].saturating_sub(c.width));
                let text = paint(&c.text, c.paint, color);
                if self.right[i] {
                    line.push_str(&pad);
                    line.push_str(&text);
                } else {
                    line.push_str(&text);
                    if !last {
                        line.push_str(&pad);
                    }
                }
            }
            out.push_str(line.trim_end_matches(' '));
            out.push('\n');
        }
    }
}
