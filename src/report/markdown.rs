//! The markdown renderer: GitHub-flavoured tables for CI job summaries.

use std::fmt::Write;

use crate::score::{ErrorKind, ErrorRecord, Mention, Scheme};

use super::{clean, covered_text, ellipses, shown_norm, CountsReport, RenderOptions, Report};

/// Strict and partial scores per label, every scheme overall, then the first
/// `opts.max_errors` errors.
pub(crate) fn render(report: &Report<'_>, opts: &RenderOptions) -> String {
    let mut out = String::from("## tagbench scores\n");
    for scheme in [Scheme::Strict, Scheme::Partial] {
        let _ = writeln!(out, "\n### {scheme}\n");
        out.push_str(
            "| label | correct | incorrect | partial | missed | spurious | P | R | F1 |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        let sr = report.schemes.get(scheme);
        for (l, c) in sr.by_label.iter() {
            label_row(&mut out, l.as_str(), c);
        }
        label_row(&mut out, "**overall**", &sr.overall);
        let m = report.macro_avg.get(scheme).0;
        let _ = writeln!(
            out,
            "| macro | | | | | | {:.3} | {:.3} | {:.3} |",
            m.precision, m.recall, m.f1
        );
    }

    out.push_str(
        "\n### All schemes (overall)\n\n\
         | scheme | correct | incorrect | partial | missed | spurious | possible | actual | P | R | F1 | macro F1 |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for scheme in Scheme::ALL {
        if !report.schemes.get(scheme).applicable {
            let _ = writeln!(out, "| {scheme} | {} |", ["n/a"; 11].join(" | "));
            continue;
        }
        let c = report.schemes.get(scheme).overall;
        let k = c.counts;
        let _ = writeln!(
            out,
            "| {scheme} | {} | {} | {} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
            k.correct,
            k.incorrect,
            k.partial,
            k.missed,
            k.spurious,
            k.possible(),
            k.actual(),
            c.scores.precision,
            c.scores.recall,
            c.scores.f1,
            report.macro_avg.get(scheme).0.f1
        );
    }

    for scheme in Scheme::ALL {
        if !report.schemes.get(scheme).applicable {
            let _ = writeln!(out, "\n{scheme}: {}.", super::NORMS_MISSING);
        }
    }

    for b in &report.buckets {
        let _ = write!(
            out,
            "\n### By {} (strict)\n\n{}.\n\n\
             | {} | gold | predicted | correct | incorrect | missed | spurious | P | R | F1 |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
            b.by, b.description, b.by
        );
        for x in &b.buckets {
            let c = x.schemes.get(Scheme::Strict);
            let k = &c.counts;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} |",
                escape(&x.name),
                x.gold,
                x.predicted,
                k.correct,
                k.incorrect,
                k.missed,
                k.spurious,
                c.scores.precision,
                c.scores.recall,
                c.scores.f1
            );
        }
    }

    let total = report.errors.len();
    let shown = opts.max_errors.unwrap_or(total).min(total);
    if total == 0 {
        out.push_str("\n### Errors\n\nNone.\n");
        return out;
    }
    if shown < total {
        let _ = writeln!(out, "\n### Errors (first {shown} of {total})\n");
    } else {
        let _ = writeln!(out, "\n### Errors ({total})\n");
    }
    if shown == 0 {
        return out;
    }
    out.push_str(
        "| kind | doc | span | gold | predicted | context |\n\
         |---|---|---|---|---|---|\n",
    );
    for e in &report.errors[..shown] {
        let _ = writeln!(
            out,
            "| {} | {} | {}..{} | {} | {} | {} |",
            e.kind,
            escape(&e.doc),
            e.start(),
            e.end(),
            mention(e.gold.as_ref(), e.kind),
            mention(e.pred.as_ref(), e.kind),
            context(e)
        );
    }
    out
}

fn label_row(out: &mut String, name: &str, c: &CountsReport) {
    let k = &c.counts;
    let _ = writeln!(
        out,
        "| {name} | {} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} |",
        k.correct,
        k.incorrect,
        k.partial,
        k.missed,
        k.spurious,
        c.scores.precision,
        c.scores.recall,
        c.scores.f1
    );
}

/// `LABEL "text"`, with `=norm` when the norm is what went wrong; `–` for no mention.
fn mention(m: Option<&Mention>, kind: ErrorKind) -> String {
    match m {
        None => "–".to_string(),
        Some(m) => match shown_norm(m, kind) {
            Some(n) => format!("{} \"{}\" ={}", m.label, escape(&m.text), escape(n)),
            None => format!("{} \"{}\"", m.label, escape(&m.text)),
        },
    }
}

/// `…left **[TEXT]** right…`, the ellipses only where the context was cut.
fn context(e: &ErrorRecord) -> String {
    let (l, r) = ellipses(e);
    format!(
        "{l}{}**\\[{}\\]**{}{r}",
        escape(&e.left),
        escape(&covered_text(e)),
        escape(&e.right)
    )
}

/// Makes user text inert inside a table cell: no line breaks, no column breaks, no markup.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        if matches!(
            c,
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
