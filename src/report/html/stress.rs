//! The stress page: every system's strict F1 on every perturbation, its change from the clean
//! gold with the paired interval, and the mentions each perturbation cost, with the texts
//! before and after.

use std::fmt::Write;

use crate::label::Label;
use crate::report::stress::{interval, signed, summary, visible};
use crate::stress::{Cell, Lost, Stress};

use super::markup::{esc, id_part};
use super::page;

/// Renders the stress page (see [`super::render_stress`]).
pub(super) fn render(s: &Stress) -> String {
    let mut labels: Vec<Label> = s
        .systems
        .iter()
        .flat_map(|x| &x.cells)
        .flat_map(|c| &c.examples)
        .flat_map(|l| std::iter::once(l.clean.label).chain(l.predicted.as_ref().map(|p| p.label)))
        .collect();
    labels.sort();
    labels.dedup();
    let mut out = String::new();
    page::head(&mut out, "tagbench stress", &labels);
    let names: Vec<&str> = s.systems.iter().map(|x| x.name.as_str()).collect();
    let _ = write!(
        out,
        "<header>\n<h1>tagbench stress <code>{}</code></h1>\n<p class=\"desc\">{}</p>\n<nav>\
         <a href=\"#matrix\">all systems</a>",
        esc(&names.join(", ")),
        esc(&summary(s))
    );
    for x in &s.systems {
        let _ = write!(
            out,
            " <a href=\"#{}\">{}</a>",
            system_anchor(&x.name),
            esc(&x.name)
        );
    }
    out.push_str(" <a href=\"#perturbations\">perturbations</a></nav>\n</header>\n<main>\n");
    matrix(&mut out, s);
    for x in &s.systems {
        let _ = write!(
            out,
            "<section id=\"{}\">\n<h2>{} <small>strict F1 {:.3} on the clean gold · {} \
             correct · {} incorrect · {} missed · {} spurious</small></h2>\n",
            system_anchor(&x.name),
            esc(&x.name),
            x.clean.f1,
            x.clean.correct,
            x.clean.incorrect,
            x.clean.missed,
            x.clean.spurious
        );
        if !x.description.is_empty() {
            let _ = writeln!(out, "<p class=\"desc\">{}</p>", esc(&x.description));
        }
        out.push_str(
            "<table class=\"scores stress\">\n<thead><tr><th>perturbation</th>\
             <th class=\"n\">P</th><th class=\"n\">R</th><th class=\"n\">F1</th>\
             <th class=\"n\">ΔF1</th><th>95% CI</th><th class=\"n\">lost</th>\
             <th class=\"n\">gained</th><th>lost mentions (clean → perturbed: outcome)</th>\
             </tr></thead>\n<tbody>\n",
        );
        for c in &x.cells {
            let _ = write!(
                out,
                "<tr id=\"{}-{}\"><td><a href=\"#p-{}\"><code>{}</code></a></td>\
                 <td class=\"n\">{:.3}</td><td class=\"n\">{:.3}</td>{}{}<td>{}</td>\
                 <td class=\"n\">{}</td><td class=\"n\">{}</td><td>",
                system_anchor(&x.name),
                c.perturbation.as_str(),
                c.perturbation.as_str(),
                c.perturbation.as_str(),
                c.score.precision,
                c.score.recall,
                page::f1_cell(c.score.f1),
                delta_cell(c),
                interval(c),
                c.lost,
                c.gained
            );
            for (i, l) in c.examples.iter().enumerate() {
                if i > 0 {
                    out.push_str("<br>");
                }
                out.push_str(&example(l));
            }
            if c.lost > c.examples.len() {
                let _ = write!(
                    out,
                    "<br><span class=\"desc\">and {} more</span>",
                    c.lost - c.examples.len()
                );
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
    out.push_str(
        "<section id=\"perturbations\">\n<h2>Perturbations <small>what each one changed in \
         the gold</small></h2>\n<table>\n<thead><tr><th>perturbation</th><th>what it does</th>\
         <th class=\"n\">documents</th><th class=\"n\">mentions</th><th class=\"n\">edits</th>\
         <th class=\"n\">skipped</th></tr></thead>\n<tbody>\n",
    );
    for p in &s.perturbations {
        let _ = writeln!(
            out,
            "<tr id=\"p-{0}\"><td><code>{0}</code></td><td>{1}</td><td class=\"n\">{2}</td>\
             <td class=\"n\">{3}</td><td class=\"n\">{4}</td><td class=\"n\">{5}</td></tr>",
            p.perturbation.as_str(),
            esc(p.description),
            p.documents,
            p.mentions,
            p.edits,
            p.skipped
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n</main>\n");
    page::foot(&mut out);
    out
}

fn system_anchor(name: &str) -> String {
    format!("s-{}", id_part(name))
}

/// The matrix: perturbations as rows, systems as columns, F1 and its change.
fn matrix(out: &mut String, s: &Stress) {
    out.push_str(
        "<section id=\"matrix\">\n<h2>Strict F1 and its change <small>* the 95% interval \
         excludes 0</small></h2>\n<table class=\"scores stress\">\n<thead><tr><th>perturbation</th>",
    );
    for x in &s.systems {
        let _ = write!(
            out,
            "<th colspan=\"2\"><a href=\"#{}\">{}</a></th>",
            system_anchor(&x.name),
            esc(&x.name)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n<tr class=\"overall\"><td>clean</td>");
    for x in &s.systems {
        let _ = write!(out, "{}<td></td>", page::f1_cell(x.clean.f1));
    }
    out.push_str("</tr>\n");
    for (k, p) in s.perturbations.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td><a href=\"#p-{0}\"><code>{0}</code></a></td>",
            p.perturbation.as_str()
        );
        for x in &s.systems {
            let c = &x.cells[k];
            let _ = write!(out, "{}{}", page::f1_cell(c.score.f1), delta_cell(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// ΔF1, coloured when its interval excludes 0, with the interval as a tooltip.
fn delta_cell(c: &Cell) -> String {
    let class = match (c.significant(), c.delta < 0.0) {
        (false, _) => "same",
        (true, true) => "down",
        (true, false) => "up",
    };
    format!(
        "<td class=\"n delta {class}\" title=\"95% CI {}\">{}{}</td>",
        interval(c),
        signed(c.delta),
        if c.significant() { "*" } else { "" }
    )
}

/// `ACTOR “United Nations” → “United\nNations”: wrong boundary, predicted ACTOR “Nations”`.
fn example(l: &Lost) -> String {
    let mut s = format!(
        "<span title=\"{} {}..{} → {}..{}\">{} “{}” → “{}”</span>: {}",
        esc(&l.doc),
        l.clean.start,
        l.clean.end,
        l.perturbed.start,
        l.perturbed.end,
        page::label_chip(l.clean.label),
        esc(&visible(&l.clean.text)),
        esc(&visible(&l.perturbed.text)),
        l.kind.as_str().replace('_', " ")
    );
    if let Some(p) = &l.predicted {
        let _ = write!(
            s,
            ", predicted {} “{}”",
            page::label_chip(p.label),
            esc(&visible(&p.text))
        );
    }
    s
}
