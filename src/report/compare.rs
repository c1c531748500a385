//! Rendering a [`Comparison`]: one row per variant, strict then partial, F1 with its 95%
//! interval, and the p-value of the strict-F1 difference from the first variant.

use std::fmt::Write;

use crate::compare::{Comparison, Metric, Row, SchemeMetrics};
use crate::label::Label;
use crate::report::Format;
use crate::score::{Bucket, Scheme};

/// Renders a comparison in `format` (table, json, csv or markdown).
pub fn render_comparison(c: &Comparison, format: Format) -> String {
    match format {
        Format::Table => table(c),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&timing_rounded(c)).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Csv => csv(c),
        Format::Markdown => markdown(c),
    }
}

fn unit_name(c: &Comparison) -> &'static str {
    match c.options.unit {
        crate::compare::Unit::Paragraph => "paragraph",
        crate::compare::Unit::Document => "document",
    }
}

/// A copy with the timings rounded, to 0.001 MB/s and 1 µs (timings, not scores: their last
/// digits are noise). Scores, intervals and p-values stay at full precision.
fn timing_rounded(c: &Comparison) -> Comparison {
    Comparison {
        options: c.options.clone(),
        units: c.units,
        rows: c
            .rows
            .iter()
            .map(|r| Row {
                mb_per_s: r.mb_per_s.map(|x| super::round(x, 3)),
                seconds: r.seconds.map(|x| super::round(x, 6)),
                ..r.clone()
            })
            .collect(),
    }
}

/// A timing for people: `decimals` places, three significant digits under 1 (a command's
/// 0.062 MB/s, a variant's 0.0002 s); `-` when not measured.
fn timing(x: Option<f64>, decimals: usize) -> String {
    match x {
        None => "-".to_string(),
        Some(x) if x > 0.0 && x < 1.0 => {
            let places = (-x.log10()).floor() as usize + 3;
            format!("{x:.places$}")
        }
        Some(x) => format!("{x:.decimals$}"),
    }
}

fn ci(m: &Metric) -> String {
    format!("{:.3} [{:.3},{:.3}]", m.f1, m.f1_lo, m.f1_hi)
}

fn p(r: &Row) -> String {
    match r.p_value {
        None => "(ref)".to_string(),
        Some(p) if p < 0.001 => "<0.001".to_string(),
        Some(p) => format!("{p:.3}"),
    }
}

fn sig(r: &Row) -> &'static str {
    match r.p_value {
        Some(p) if p < 0.05 => " *",
        _ => "",
    }
}

fn table(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} units, {} bootstrap resamples, {} shuffles, seed {}; F1 [95% CI]; p: strict F1 vs {}; * p < 0.05",
        c.units,
        unit_name(c),
        c.options.resamples,
        c.options.shuffles,
        c.options.seed,
        c.rows.first().map(|r| r.name.as_str()).unwrap_or("-")
    );
    let name_w = c
        .rows
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(7)
        .max(7);
    for (title, get) in [
        (
            "strict",
            (|r: &Row| &r.strict) as fn(&Row) -> &SchemeMetrics,
        ),
        ("partial", |r: &Row| &r.partial),
    ] {
        let _ = writeln!(out, "\n{title}");
        let mut header = format!(
            "{:<name_w$}  {:>5}  {:>5}  {:<21}",
            "variant", "P", "R", "F1 overall"
        );
        let labels = c
            .rows
            .first()
            .map(|r| get(r).by_label.labels().collect::<Vec<_>>());
        for l in labels.unwrap_or_default() {
            let _ = write!(header, "  {:<21}", format!("F1 {l}"));
        }
        if title == "strict" {
            header.push_str("  p");
        }
        let timed = c.rows.iter().any(|r| r.mb_per_s.is_some());
        if timed && title == "strict" {
            header.push_str("               s    MB/s");
        }
        let _ = writeln!(out, "{}", header.trim_end());
        for r in &c.rows {
            let s = get(r);
            let mut line = format!(
                "{:<name_w$}  {:>5.3}  {:>5.3}  {:<21}",
                r.name,
                s.overall.precision,
                s.overall.recall,
                ci(&s.overall)
            );
            for (_, m) in s.by_label.iter() {
                let _ = write!(line, "  {:<21}", ci(m));
            }
            if title == "strict" {
                let _ = write!(line, "  {:<8}", format!("{}{}", p(r), sig(r)));
                if timed {
                    let _ = write!(
                        line,
                        "  {:>8}  {:>6}",
                        timing(r.seconds, 4),
                        timing(r.mb_per_s, 1)
                    );
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    bucket_tables(c, &mut out);
    out
}

/// Every bucket name of one grouping over all rows, in bucket order.
fn bucket_names(c: &Comparison, g: usize) -> Vec<(usize, String)> {
    let mut names: Vec<(usize, String)> = c
        .rows
        .iter()
        .filter_map(|r| r.buckets.get(g))
        .flat_map(|b| b.buckets.iter().map(|x| (x.order, x.name.clone())))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// One row's bucket of that name, if it has one.
fn bucket<'a>(r: &'a Row, g: usize, name: &str) -> Option<&'a Bucket> {
    r.buckets.get(g)?.buckets.iter().find(|x| x.name == name)
}

/// Strict F1 by bucket: buckets as rows, systems as columns, with the bucket's gold
/// mentions (every system shares the gold; a bucket of spurious predictions alone has none).
fn bucket_tables(c: &Comparison, out: &mut String) {
    let Some(first) = c.rows.first() else { return };
    let name_w = c
        .rows
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(5)
        .max(5);
    for (g, b) in first.buckets.iter().enumerate() {
        let names = bucket_names(c, g);
        let first_w = names
            .iter()
            .map(|(_, n)| n.chars().count())
            .max()
            .unwrap_or(0)
            .max(b.by.as_str().len());
        let _ = writeln!(out, "\nby {}: strict F1; {}", b.by, b.by.describe());
        let mut head = format!("{:<first_w$}  {:>5}", b.by.as_str(), "gold");
        for r in &c.rows {
            let _ = write!(head, "  {:>name_w$}", r.name);
        }
        let _ = writeln!(out, "{}", head.trim_end());
        for (_, n) in &names {
            let gold = c
                .rows
                .iter()
                .find_map(|r| bucket(r, g, n))
                .map_or(0, Bucket::gold);
            let mut line = format!("{:<first_w$}  {gold:>5}", crate::report::clean(n));
            for r in &c.rows {
                let f = bucket(r, g, n)
                    .map(|x| format!("{:.3}", x.counts[Scheme::Strict].f1()))
                    .unwrap_or_else(|| "-".into());
                let _ = write!(line, "  {f:>name_w$}");
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
}

/// [`bucket_tables`] in markdown.
fn bucket_markdown(c: &Comparison, out: &mut String) {
    let Some(first) = c.rows.first() else { return };
    for (g, b) in first.buckets.iter().enumerate() {
        let _ = write!(
            out,
            "\nStrict F1 by {}: {}.\n\n| {} | gold |",
            b.by,
            b.by.describe(),
            b.by
        );
        for r in &c.rows {
            let _ = write!(out, " `{}` |", r.name);
        }
        out.push_str("\n|---|---:|");
        for _ in &c.rows {
            out.push_str("---:|");
        }
        out.push('\n');
        for (_, n) in bucket_names(c, g) {
            let gold = c
                .rows
                .iter()
                .find_map(|r| bucket(r, g, &n))
                .map_or(0, Bucket::gold);
            let _ = write!(
                out,
                "| {} | {gold} |",
                crate::report::clean(&n).replace('|', "\\|")
            );
            for r in &c.rows {
                match bucket(r, g, &n) {
                    Some(x) => {
                        let _ = write!(out, " {:.3} |", x.counts[Scheme::Strict].f1());
                    }
                    None => out.push_str(" - |"),
                }
            }
            out.push('\n');
        }
    }
}

fn csv(c: &Comparison) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "variant",
        "scheme",
        "label",
        "precision",
        "recall",
        "f1",
        "f1_lo",
        "f1_hi",
        "p_value",
        "seconds",
        "mb_per_s",
    ]);
    for r in &c.rows {
        for (scheme, s) in [("strict", &r.strict), ("partial", &r.partial)] {
            let groups = std::iter::once(("overall", &s.overall))
                .chain(s.by_label.iter().map(|(l, m)| (l.as_str(), m)));
            for (label, m) in groups {
                let _ = w.write_record([
                    r.name.clone(),
                    scheme.to_string(),
                    label.to_string(),
                    format!("{:?}", m.precision),
                    format!("{:?}", m.recall),
                    format!("{:?}", m.f1),
                    format!("{:?}", m.f1_lo),
                    format!("{:?}", m.f1_hi),
                    r.p_value.map(|p| format!("{p:?}")).unwrap_or_default(),
                    r.seconds.map(|t| format!("{t:.6}")).unwrap_or_default(),
                    r.mb_per_s.map(|t| format!("{t:.3}")).unwrap_or_default(),
                ]);
            }
        }
    }
    // Scores by bucket: strict and partial, the label column names the grouping and the
    // bucket (`length=2`); no interval or p-value.
    for r in &c.rows {
        for b in &r.buckets {
            for scheme in [Scheme::Strict, Scheme::Partial] {
                for x in &b.buckets {
                    let k = x.counts[scheme];
                    let _ = w.write_record([
                        r.name.clone(),
                        scheme.as_str().to_string(),
                        format!("{}={}", b.by, x.name),
                        format!("{:?}", k.precision()),
                        format!("{:?}", k.recall()),
                        format!("{:?}", k.f1()),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]);
                }
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn markdown(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "F1 with 95% bootstrap intervals over {} {} units; p = strict-F1 difference from `{}` (approximate randomisation, {} shuffles).\n",
        c.units,
        unit_name(c),
        c.rows.first().map(|r| r.name.as_str()).unwrap_or("-"),
        c.options.shuffles
    );
    let labels: Vec<Label> = c
        .rows
        .first()
        .map(|r| r.strict.by_label.labels().collect())
        .unwrap_or_default();
    let mut head = String::from("| variant | strict P | strict R | strict F1 |");
    let mut rule = String::from("|---|---:|---:|---|");
    for l in &labels {
        let _ = write!(head, " {l} |");
        rule.push_str("---|");
    }
    let timed = c
        .rows
        .iter()
        .any(|r| r.mb_per_s.is_some() || r.seconds.is_some());
    let (t_head, t_rule) = if timed {
        (" s | MB/s |", "---:|---:|")
    } else {
        ("", "")
    };
    let _ = writeln!(out, "{head} partial F1 | p |{t_head}");
    let _ = writeln!(out, "{rule}---|---:|{t_rule}");
    for r in &c.rows {
        let _ = write!(
            out,
            "| `{}` | {:.3} | {:.3} | {} |",
            r.name,
            r.strict.overall.precision,
            r.strict.overall.recall,
            ci(&r.strict.overall),
        );
        for (_, m) in r.strict.by_label.iter() {
            let _ = write!(out, " {} |", ci(m));
        }
        let _ = write!(out, " {} | {}{} |", ci(&r.partial.overall), p(r), sig(r));
        if timed {
            let _ = write!(
                out,
                " {} | {} |",
                timing(r.seconds, 4),
                timing(r.mb_per_s, 1)
            );
        }
        out.push('\n');
    }
    bucket_markdown(c, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::CompareOptions;
    use crate::score::ByLabel;

    fn metric(f1: f64) -> Metric {
        Metric {
            precision: 0.5,
            recall: 0.25,
            f1,
            f1_lo: f1 - 0.1,
            f1_hi: f1 + 0.05,
        }
    }

    fn row(name: &str, p: Option<f64>) -> Row {
        let s = SchemeMetrics {
            overall: metric(0.9),
            by_label: ByLabel::from_entries(
                ["ACTOR", "PLACE", "FIGURE"]
                    .into_iter()
                    .zip([0.8, 0.7, 0.6])
                    .map(|(l, f)| (Label::new(l).unwrap(), metric(f)))
                    .collect(),
                3,
            ),
        };
        Row {
            name: name.into(),
            description: "d".into(),
            strict: s.clone(),
            partial: s,
            p_value: p,
            mb_per_s: None,
            seconds: None,
            buckets: Vec::new(),
        }
    }

    fn comparison() -> Comparison {
        Comparison {
            options: CompareOptions::default(),
            units: 66,
            rows: vec![row("default", None), row("no-figures", Some(0.0004))],
        }
    }

    #[test]
    fn table_has_a_row_per_variant_and_marks_significance() {
        let t = render_comparison(&comparison(), Format::Table);
        assert!(t.contains("66 paragraph units"), "{t}");
        let strict: Vec<&str> = t.lines().filter(|l| l.starts_with("no-figures")).collect();
        assert_eq!(strict.len(), 2, "{t}");
        assert!(strict[0].contains("0.900 [0.800,0.950]"), "{t}");
        assert!(strict[0].ends_with("<0.001 *"), "{t}");
        assert!(t
            .lines()
            .any(|l| l.starts_with("default") && l.ends_with("(ref)")));
    }

    #[test]
    fn json_csv_markdown() {
        let c = comparison();
        let j: serde_json::Value =
            serde_json::from_str(&render_comparison(&c, Format::Json)).unwrap();
        assert_eq!(j["rows"][1]["p_value"], 0.0004);
        assert_eq!(j["rows"][0]["strict"]["by_label"]["FIGURE"]["f1"], 0.6);
        assert_eq!(j["options"]["unit"], "paragraph");
        let csv = render_comparison(&c, Format::Csv);
        assert_eq!(csv.lines().count(), 1 + 2 * 2 * 4);
        assert!(csv.starts_with("variant,scheme,label,"));
        let md = render_comparison(&c, Format::Markdown);
        assert!(md.contains("| `no-figures` |"));
    }
}
