//! Rendering a [`Stress`] run: strict F1 per system and perturbation, its change from the
//! clean gold with the paired 95% interval, and the mentions lost.
//!
//! The table and markdown open with one matrix (perturbations as rows, systems as columns:
//! F1 and its change, `*` when the interval excludes 0), then one block per system with the
//! intervals, the counts of lost and gained mentions, and a lost mention as an example. JSON
//! is the [`Stress`] data itself (full precision); CSV has one row per system and
//! perturbation (and one for the clean gold).

use std::fmt::Write;

use crate::compare::Unit;
use crate::report::Format;
use crate::score::ErrorKind;
use crate::stress::{Cell, Lost, Stress, SystemStress};

/// Renders a stress run in `format` (table, json, csv or markdown).
pub fn render_stress(s: &Stress, format: Format) -> String {
    match format {
        Format::Table => table(s),
        Format::Json => {
            let mut out = serde_json::to_string_pretty(s).unwrap_or_default();
            out.push('\n');
            out
        }
        Format::Csv => csv(s),
        Format::Markdown => markdown(s),
    }
}

/// The first line: what was measured and how.
pub fn summary(s: &Stress) -> String {
    let units = s
        .systems
        .first()
        .and_then(|x| x.cells.first())
        .map_or(0, |c| c.units);
    format!(
        "strict F1 on each perturbation of the gold (perturbation seed {}) and its change ΔF1 \
         from the clean gold; 95% paired bootstrap interval over {units} {} units ({} \
         resamples, seed {}); * the interval excludes 0",
        s.options.seed,
        unit_name(s.options.unit),
        s.options.resamples,
        s.options.resample_seed
    )
}

fn unit_name(u: Unit) -> &'static str {
    match u {
        Unit::Paragraph => "paragraph",
        Unit::Document => "document",
    }
}

/// `+0.012`, `-0.404`, `+0.000` (a rounded zero never shows a minus).
pub fn signed(x: f64) -> String {
    let r = super::round(x, 3);
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{}{r:.3}", if r >= 0.0 { "+" } else { "" })
}

fn star(c: &Cell) -> &'static str {
    if c.significant() {
        "*"
    } else {
        ""
    }
}

/// `[-0.470,-0.339]`
pub fn interval(c: &Cell) -> String {
    format!("[{},{}]", signed(c.delta_lo), signed(c.delta_hi))
}

/// A text with its line breaks, tabs and no-break spaces made visible (`\n`, `\t`,
/// `\u{a0}`), other control characters as spaces: what a perturbation did to a name shows.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{a0}' => out.push_str("\\u{a0}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `"Mali" -> "MALI": missed`, or `... : wrong_boundary, predicted ACTOR "GUILLAUME"`.
pub fn example(l: &Lost) -> String {
    let mut s = format!(
        "\"{}\" -> \"{}\": {}",
        visible(&l.clean.text),
        visible(&l.perturbed.text),
        l.kind
    );
    if let Some(p) = &l.predicted {
        if l.kind != ErrorKind::Missed {
            let _ = write!(s, ", predicted {} \"{}\"", p.label, visible(&p.text));
        }
    }
    s
}

fn table(s: &Stress) -> String {
    let mut out = summary(s);
    out.push_str("\n\n");
    if s.systems.len() > 1 {
        out.push_str(&matrix(s));
        out.push('\n');
    }
    for (i, sys) in s.systems.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&block(s, sys));
    }
    out
}

/// The width of the first column: the longest perturbation name, or its heading.
fn perturbation_width(s: &Stress) -> usize {
    s.perturbations
        .iter()
        .map(|p| p.perturbation.as_str().len())
        .max()
        .unwrap_or(0)
        .max("perturbation".len())
}

/// Perturbations as rows, systems as columns: `0.563 -0.404*`.
fn matrix(s: &Stress) -> String {
    let first = perturbation_width(s);
    let widths: Vec<usize> = s.systems.iter().map(|x| x.name.len().max(14)).collect();
    let mut out = format!("{:<first$}", "perturbation");
    for (x, w) in s.systems.iter().zip(&widths) {
        let _ = write!(out, "  {:<w$}", x.name);
    }
    push_line(&mut out);
    let _ = write!(out, "{:<first$}", "clean");
    for (x, w) in s.systems.iter().zip(&widths) {
        let _ = write!(out, "  {:<w$}", format!("{:.3}", x.clean.f1));
    }
    push_line(&mut out);
    for (k, p) in s.perturbations.iter().enumerate() {
        let _ = write!(out, "{:<first$}", p.perturbation.as_str());
        for (x, w) in s.systems.iter().zip(&widths) {
            let c = &x.cells[k];
            let cell = format!("{:.3} {}{}", c.score.f1, signed(c.delta), star(c));
            let _ = write!(out, "  {cell:<w$}");
        }
        push_line(&mut out);
    }
    out
}

/// Ends a line without trailing spaces.
fn push_line(out: &mut String) {
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    out.push('\n');
}

/// One system: every perturbation with F1, ΔF1, its interval, lost and gained mentions and
/// the first lost one.
fn block(s: &Stress, sys: &SystemStress) -> String {
    let mut out = format!(
        "{}: strict F1 {:.3} on the clean gold ({} correct, {} incorrect, {} missed, {} spurious)\n",
        sys.name,
        sys.clean.f1,
        sys.clean.correct,
        sys.clean.incorrect,
        sys.clean.missed,
        sys.clean.spurious
    );
    let first = perturbation_width(s);
    let _ = write!(
        out,
        "{:<first$}  {:>5}  {:>7}  {:<17}  {:>4}  {:>6}  example of a lost mention",
        "perturbation", "F1", "ΔF1", "95% CI", "lost", "gained"
    );
    push_line(&mut out);
    for c in &sys.cells {
        let _ = write!(
            out,
            "{:<first$}  {:>5.3}  {:>7}  {:<17}  {:>4}  {:>6}  {}",
            c.perturbation.as_str(),
            c.score.f1,
            format!("{}{}", signed(c.delta), star(c)),
            interval(c),
            c.lost,
            c.gained,
            c.examples.first().map(example).unwrap_or_default()
        );
        push_line(&mut out);
    }
    out
}

fn csv(s: &Stress) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "system",
        "perturbation",
        "correct",
        "incorrect",
        "missed",
        "spurious",
        "precision",
        "recall",
        "f1",
        "delta",
        "delta_lo",
        "delta_hi",
        "lost",
        "gained",
    ]);
    for sys in &s.systems {
        let c = &sys.clean;
        let _ = w.write_record([
            sys.name.clone(),
            "clean".into(),
            c.correct.to_string(),
            c.incorrect.to_string(),
            c.missed.to_string(),
            c.spurious.to_string(),
            format!("{:?}", c.precision),
            format!("{:?}", c.recall),
            format!("{:?}", c.f1),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        for cell in &sys.cells {
            let c = &cell.score;
            let _ = w.write_record([
                sys.name.clone(),
                cell.perturbation.as_str().into(),
                c.correct.to_string(),
                c.incorrect.to_string(),
                c.missed.to_string(),
                c.spurious.to_string(),
                format!("{:?}", c.precision),
                format!("{:?}", c.recall),
                format!("{:?}", c.f1),
                format!("{:?}", cell.delta),
                format!("{:?}", cell.delta_lo),
                format!("{:?}", cell.delta_hi),
                cell.lost.to_string(),
                cell.gained.to_string(),
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Makes user text inert inside a markdown table cell.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in visible(s).chars() {
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

fn markdown(s: &Stress) -> String {
    let mut out = summary(s).replace("; * the", "; \\* the");
    out.push_str(".\n\n");
    // The matrix, even for one system: it is the table people paste.
    out.push_str("| perturbation |");
    for x in &s.systems {
        let _ = write!(out, " `{}` |", md(&x.name));
    }
    out.push_str("\n|---|");
    for _ in &s.systems {
        out.push_str("---:|");
    }
    out.push_str("\n| clean |");
    for x in &s.systems {
        let _ = write!(out, " {:.3} |", x.clean.f1);
    }
    out.push('\n');
    for (k, p) in s.perturbations.iter().enumerate() {
        let _ = write!(out, "| `{}` |", p.perturbation.as_str());
        for x in &s.systems {
            let c = &x.cells[k];
            let _ = write!(
                out,
                " {:.3} ({}{}) |",
                c.score.f1,
                signed(c.delta),
                if c.significant() { "\\*" } else { "" }
            );
        }
        out.push('\n');
    }
    for sys in &s.systems {
        let _ = write!(
            out,
            "\n`{}`: strict F1 {:.3} on the clean gold.\n\n\
             | perturbation | F1 | ΔF1 | 95% CI | lost | gained | example of a lost mention |\n\
             |---|---:|---:|---|---:|---:|---|\n",
            md(&sys.name),
            sys.clean.f1
        );
        for c in &sys.cells {
            let _ = writeln!(
                out,
                "| `{}` | {:.3} | {}{} | {} | {} | {} | {} |",
                c.perturbation.as_str(),
                c.score.f1,
                signed(c.delta),
                if c.significant() { "\\*" } else { "" },
                interval(c),
                c.lost,
                c.gained,
                c.examples
                    .first()
                    .map(|l| md(&example(l)))
                    .unwrap_or_default()
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Label;
    use crate::perturb::Perturbation;
    use crate::score::Mention;
    use crate::stress::{PerturbationInfo, StressOptions, StrictScore};

    fn score(correct: u64, missed: u64, f1: f64) -> StrictScore {
        StrictScore {
            correct,
            incorrect: 0,
            missed,
            spurious: 0,
            precision: 1.0,
            recall: f1,
            f1,
        }
    }

    fn mention(text: &str) -> Mention {
        Mention {
            start: 0,
            end: text.chars().count(),
            label: Label::new("PLACE").unwrap(),
            text: text.into(),
            norm: String::new(),
        }
    }

    /// Two systems on two perturbations, built by hand.
    fn sample() -> Stress {
        let cell = |p, f1: f64, lo, hi, lost, ex: Vec<Lost>| Cell {
            perturbation: p,
            score: score(8, 2, f1),
            delta: f1 - 1.0,
            delta_lo: lo,
            delta_hi: hi,
            units: 4,
            lost,
            gained: 0,
            examples: ex,
        };
        let lost = Lost {
            doc: "d".into(),
            clean: mention("United Nations"),
            perturbed: mention("United\nNations"),
            kind: ErrorKind::WrongBoundary,
            predicted: Some(mention("Nations")),
        };
        let sys = |name: &str, ex: Vec<Lost>| SystemStress {
            name: name.into(),
            description: String::new(),
            clean: score(10, 0, 1.0),
            cells: vec![
                cell(Perturbation::Upper, 1.0, 0.0, 0.0, 0, vec![]),
                cell(Perturbation::NameNewline, 0.75, -0.5, -0.1, 2, ex),
            ],
        };
        let info = |p: Perturbation| PerturbationInfo {
            perturbation: p,
            description: p.describe(),
            documents: 1,
            mentions: 2,
            edits: 3,
            skipped: 0,
        };
        Stress {
            options: StressOptions {
                perturbations: vec![Perturbation::Upper, Perturbation::NameNewline],
                ..StressOptions::default()
            },
            perturbations: vec![info(Perturbation::Upper), info(Perturbation::NameNewline)],
            systems: vec![sys("a", vec![lost]), sys("b|c", vec![])],
        }
    }

    #[test]
    fn table_has_the_matrix_then_a_block_per_system() {
        let t = render_stress(&sample(), Format::Table);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].contains("4 paragraph units"), "{t}");
        assert_eq!(
            lines[2].split_whitespace().collect::<Vec<_>>(),
            ["perturbation", "a", "b|c"]
        );
        assert_eq!(
            lines[3].split_whitespace().collect::<Vec<_>>(),
            ["clean", "1.000", "1.000"]
        );
        assert_eq!(
            lines[5].split_whitespace().collect::<Vec<_>>(),
            ["name-newline", "0.750", "-0.250*", "0.750", "-0.250*"]
        );
        assert!(
            t.contains(
                "name-newline  0.750  -0.250*  [-0.500,-0.100]       2       0  \
                 \"United Nations\" -> \"United\\nNations\": wrong_boundary, predicted PLACE \"Nations\""
            ),
            "{t}"
        );
        assert!(
            t.contains("upper         1.000   +0.000  [+0.000,+0.000]       0       0\n"),
            "{t}"
        );
        assert!(t.lines().all(|l| !l.ends_with(' ')));
    }

    #[test]
    fn one_system_has_no_matrix() {
        let mut s = sample();
        s.systems.truncate(1);
        let t = render_stress(&s, Format::Table);
        assert!(
            t.lines().nth(2).unwrap().starts_with("a: strict F1 1.000"),
            "{t}"
        );
    }

    #[test]
    fn markdown_escapes_and_marks_significance() {
        let m = render_stress(&sample(), Format::Markdown);
        assert!(
            m.contains("| `name-newline` | 0.750 (-0.250\\*) | 0.750 (-0.250\\*) |"),
            "{m}"
        );
        assert!(m.contains("`b\\|c`"), "{m}");
        assert!(m.contains("United\\\\nNations"), "{m}");
        assert!(
            m.contains("| `upper` | 1.000 | +0.000 | [+0.000,+0.000] | 0 | 0 |  |"),
            "{m}"
        );
    }

    #[test]
    fn json_and_csv_carry_full_precision() {
        let s = sample();
        let j: serde_json::Value = serde_json::from_str(&render_stress(&s, Format::Json)).unwrap();
        assert_eq!(j["systems"][0]["cells"][1]["perturbation"], "name-newline");
        assert_eq!(j["systems"][0]["cells"][1]["delta"], -0.25);
        assert_eq!(
            j["systems"][0]["cells"][1]["examples"][0]["kind"],
            "wrong_boundary"
        );
        assert_eq!(j["options"]["unit"], "paragraph");
        let c = render_stress(&s, Format::Csv);
        let rows: Vec<&str> = c.lines().collect();
        assert_eq!(rows.len(), 1 + 2 * 3);
        assert!(
            rows[1].starts_with("a,clean,10,0,0,0,1.0,1.0,1.0,,,,,"),
            "{c}"
        );
        assert_eq!(
            rows[3],
            "a,name-newline,8,0,2,0,1.0,0.75,0.75,-0.25,-0.5,-0.1,2,0"
        );
        assert!(
            rows[4].starts_with("\"b|c\",clean") || rows[4].starts_with("b|c,clean"),
            "{c}"
        );
    }

    #[test]
    fn signed_never_shows_minus_zero() {
        assert_eq!(signed(-0.0001), "+0.000");
        assert_eq!(signed(0.0), "+0.000");
        assert_eq!(signed(-0.4036), "-0.404");
        assert_eq!(signed(0.01), "+0.010");
    }
}
