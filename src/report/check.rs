//! Rendering a [`CheckReport`] (what `tagbench check` found) as a terminal text, markdown
//! for a CI job summary, or JSON for machines; and the short summary of what `--bless`
//! changed.
//!
//! The text and the markdown are written for people reading a failed CI job, where one
//! changed gazetteer row may move every system at once:
//!
//! - one line per system that passes, one block per system that fails, and one for several
//!   systems that fail alike (the same F1 changes and errors: a variant on every perturbation);
//! - a system's F1 changes are folded into one line per scheme (`overall`, then the labels
//!   whose F1 moved);
//! - each new (or fixed) error is listed once: in the block of the system that makes it,
//!   or, when several systems share it, once after the blocks, under the names of every
//!   system that makes it.
//!
//! JSON lists everything per system (the machines that read it do not mind repetition):
//!
//! ```text
//! {
//!   "passed": BOOL, "tolerance": F,
//!   "summary": {"systems": N, "failed": N, "f1_drops": N, "new_errors": N (distinct),
//!               "not_in_baseline": N, "gone": N},
//!   "systems": [{"name": S, "status": "ok" | "fail" | "gone", "in_baseline": BOOL,
//!                "strict_f1": {"baseline": F | null, "current": F | null},
//!                "description": {"baseline": S, "current": S} | null,
//!                "f1_changes": [{"scheme": S, "label": S | null, "baseline": F, "current": F,
//!                                "delta": F, "status": "drop" | "within_tolerance" | "gain"}],
//!                "new_errors": [S], "fixed_errors": [S]}, ...]
//! }
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::baseline::{CheckReport, F1Change, Presence, VariantDiff};
use crate::report::Format;
use crate::score::Scheme;

/// Renders what `check` found in `format` (table, json or markdown; csv is rendered as the
/// table, having no rows to speak of).
pub fn render_check(r: &CheckReport, format: Format) -> String {
    match format {
        Format::Table | Format::Csv => text(r),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&JsonCheck::new(r))
                .expect("a check report has string keys and finite numbers");
            s.push('\n');
            s
        }
        Format::Markdown => markdown(r),
    }
}

/// What `--bless` changes, in short: a line per system added, removed or changed, a changed
/// one with its overall F1 change per scheme and its count of new and fixed errors; `no
/// change` when nothing changed. (The baseline file's diff gives every detail.)
pub fn render_bless(r: &CheckReport) -> String {
    let w = r
        .variants
        .iter()
        .filter(|v| !v.is_unchanged())
        .map(|v| v.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for v in r.variants.iter().filter(|v| !v.is_unchanged()) {
        let status = match v.presence {
            Presence::Both => "changed",
            Presence::New => "added",
            Presence::Gone => "removed",
        };
        let mut line = format!("{status:<7}  {:<w$}", v.name);
        match v.presence {
            Presence::New => {
                if let Some(n) = v.new_strict_f1 {
                    let _ = write!(line, "  strict F1 {n:.4}");
                }
            }
            Presence::Gone => {}
            Presence::Both => {
                let mut parts = Vec::new();
                let overall: Vec<String> =
                    v.f1.iter()
                        .filter(|c| c.label.is_none())
                        .map(|c| format!("{} {:+.4}", c.scheme, c.new - c.old))
                        .collect();
                if !overall.is_empty() {
                    parts.push(format!("F1 {}", overall.join(", ")));
                } else if !v.f1.is_empty() {
                    parts.push("per-label F1 only".to_string());
                }
                let errors = [
                    (v.new_errors.len(), "new error", "new errors"),
                    (v.fixed_errors.len(), "fixed error", "fixed errors"),
                ];
                for (n, one, many) in errors {
                    if n > 0 {
                        parts.push(count(n, one, many));
                    }
                }
                if v.description.is_some() {
                    parts.push("description changed".to_string());
                }
                let _ = write!(line, "  {}", parts.join("; "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if out.is_empty() {
        out.push_str("no change\n");
    }
    out
}

/// `changed 1, added 0, removed 0` for the last line of `--bless`.
pub fn bless_counts(r: &CheckReport) -> String {
    let n = |p: Presence| {
        r.variants
            .iter()
            .filter(|v| v.presence == p && !v.is_unchanged())
            .count()
    };
    format!(
        "{} changed, {} added, {} removed",
        n(Presence::Both),
        n(Presence::New),
        n(Presence::Gone)
    )
}

// ---- what the renderers share ------------------------------------------------------------

fn width(r: &CheckReport) -> usize {
    r.variants.iter().map(|v| v.name.len()).max().unwrap_or(0)
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A system's status word.
fn status(v: &VariantDiff) -> &'static str {
    match (v.presence, v.regressions()) {
        (Presence::Gone, _) => "gone",
        (_, 0) => "ok",
        _ => "FAIL",
    }
}

/// The F1 changes of one scheme, folded into one line: its mark (`-` a drop beyond the
/// tolerance, `~` drops within it only, `+` gains only) and `overall 0.9665 -> 0.9590
/// (-0.0075), PLACE 1.0000 -> 0.9767 (-0.0233)`. Schemes whose lines would be the same
/// share one (`strict, exact, norm`), as they do when every change is a missed mention.
fn scheme_lines(v: &VariantDiff, arrow: &str) -> Vec<(char, String, String)> {
    let mut out: Vec<(char, String, String)> = Vec::new();
    for scheme in Scheme::ALL {
        let changes: Vec<&F1Change> = v.f1.iter().filter(|c| c.scheme == scheme).collect();
        if changes.is_empty() {
            continue;
        }
        let mark = if changes.iter().any(|c| c.regression) {
            '-'
        } else if changes.iter().any(|c| c.new < c.old) {
            '~'
        } else {
            '+'
        };
        let items: Vec<String> = changes
            .iter()
            .map(|c| {
                let label = c.label.map_or("overall", |l| l.as_str());
                let within = if !c.regression && c.new < c.old {
                    ", within the tolerance"
                } else {
                    ""
                };
                format!(
                    "{label} {:.4} {arrow} {:.4} ({:+.4}{within})",
                    c.old,
                    c.new,
                    c.new - c.old
                )
            })
            .collect();
        let items = items.join(", ");
        match out.iter_mut().find(|(m, _, i)| *m == mark && *i == items) {
            Some((_, schemes, _)) => {
                schemes.push_str(", ");
                schemes.push_str(scheme.as_str());
            }
            None => out.push((mark, scheme.as_str().to_string(), items)),
        }
    }
    out
}

/// Errors grouped by the systems they are new (or fixed) in: errors of one system alone, and
/// groups of errors shared by the same several systems, each error once.
struct Groups<'a> {
    /// Per system index: its errors that no other system has.
    own: Vec<Vec<&'a str>>,
    /// Per system index: how many of its errors are shared with others.
    shared_count: Vec<usize>,
    /// (system indices, errors), in order of first appearance.
    shared: Vec<(Vec<usize>, Vec<&'a str>)>,
}

fn groups<'a>(r: &'a CheckReport, errors: fn(&VariantDiff) -> &[String]) -> Groups<'a> {
    // Which systems have each error, in order of first appearance.
    let mut order: Vec<&str> = Vec::new();
    let mut who: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (i, v) in r.variants.iter().enumerate() {
        for e in errors(v) {
            let set = who.entry(e.as_str()).or_default();
            if set.is_empty() {
                order.push(e);
            }
            set.insert(i);
        }
    }
    let n = r.variants.len();
    let mut g = Groups {
        own: vec![Vec::new(); n],
        shared_count: vec![0; n],
        shared: Vec::new(),
    };
    for (i, v) in r.variants.iter().enumerate() {
        for e in errors(v) {
            if who[e.as_str()].len() == 1 {
                g.own[i].push(e);
            } else {
                g.shared_count[i] += 1;
            }
        }
    }
    let mut index: BTreeMap<Vec<usize>, usize> = BTreeMap::new();
    for e in order {
        let set: Vec<usize> = who[e].iter().copied().collect();
        if set.len() < 2 {
            continue;
        }
        let k = *index.entry(set.clone()).or_insert_with(|| {
            g.shared.push((set, Vec::new()));
            g.shared.len() - 1
        });
        g.shared[k].1.push(e);
    }
    g
}

fn new_errors(v: &VariantDiff) -> &[String] {
    &v.new_errors
}

fn fixed_errors(v: &VariantDiff) -> &[String] {
    &v.fixed_errors
}

/// The numbers of the last line.
struct Summary {
    checked: usize,
    failed: usize,
    /// Schemes with an F1 drop in some system.
    drop_schemes: usize,
    f1_drops: usize,
    /// Distinct new errors over every system.
    new_errors: usize,
    not_in_baseline: usize,
    gone: usize,
}

fn summary(r: &CheckReport) -> Summary {
    let schemes: BTreeSet<Scheme> = r
        .variants
        .iter()
        .flat_map(|v| v.f1.iter().filter(|c| c.regression).map(|c| c.scheme))
        .collect();
    let errors: BTreeSet<&str> = r
        .variants
        .iter()
        .flat_map(|v| v.new_errors.iter().map(String::as_str))
        .collect();
    Summary {
        checked: r
            .variants
            .iter()
            .filter(|v| v.presence != Presence::Gone)
            .count(),
        failed: r.variants.iter().filter(|v| v.regressions() > 0).count(),
        drop_schemes: schemes.len(),
        f1_drops: r.variants.iter().map(VariantDiff::f1_drops).sum(),
        new_errors: errors.len(),
        not_in_baseline: r
            .variants
            .iter()
            .filter(|v| v.presence == Presence::New)
            .count(),
        gone: r
            .variants
            .iter()
            .filter(|v| v.presence == Presence::Gone)
            .count(),
    }
}

/// `7 of 8 systems fail: F1 drops in 5 schemes, 3 new errors` or `ok (8 systems)`.
fn verdict(s: &Summary) -> String {
    if s.failed == 0 {
        return format!("ok ({})", count(s.checked, "system", "systems"));
    }
    let mut why = Vec::new();
    if s.drop_schemes > 0 {
        why.push(format!(
            "F1 drops in {}",
            count(s.drop_schemes, "scheme", "schemes")
        ));
    }
    if s.new_errors > 0 {
        why.push(count(s.new_errors, "new error", "new errors"));
    }
    if s.not_in_baseline > 0 {
        why.push(format!(
            "{} not in the baseline",
            count(s.not_in_baseline, "system", "systems")
        ));
    }
    format!(
        "{} of {} fail{}: {}",
        s.failed,
        count(s.checked, "system", "systems"),
        if s.failed == 1 { "s" } else { "" },
        why.join(", ")
    )
}

const BLESS_HINT: &str =
    "if every change above is intended, run `tagbench check --bless` and commit the baseline with the change";

// ---- text --------------------------------------------------------------------------------

fn text(r: &CheckReport) -> String {
    let w = width(r);
    let new = groups(r, new_errors);
    let fixed = groups(r, fixed_errors);
    // Each system's block: its first line after the name, and the lines below it.
    let blocks: Vec<(String, String)> = (0..r.variants.len())
        .map(|i| text_block(&r.variants[i], i, &new, &fixed))
        .collect();
    let mut out = String::new();
    for (i, v) in r.variants.iter().enumerate() {
        let (head, body) = &blocks[i];
        // Systems whose blocks are the same to the letter (a gazetteer row that moves a
        // variant on every perturbation) are one block, under the first one's name.
        let same = |j: usize| {
            !body.is_empty() && status(&r.variants[j]) == status(v) && blocks[j] == blocks[i]
        };
        if (0..i).any(same) {
            continue;
        }
        let _ = writeln!(out, "{:<4}  {:<w$}  {head}", status(v), v.name);
        let others: Vec<&str> = (i + 1..r.variants.len())
            .filter(|&j| same(j))
            .map(|j| r.variants[j].name.as_str())
            .collect();
        if !others.is_empty() {
            let _ = writeln!(out, "  = the same in {}", others.join(", "));
        }
        out.push_str(body);
    }
    let names = |set: &[usize]| {
        set.iter()
            .map(|&i| r.variants[i].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (title, mark, g) in [("new errors", '-', &new), ("fixed errors", '+', &fixed)] {
        for (set, errors) in &g.shared {
            if set.len() == r.variants.len() {
                let _ = writeln!(out, "{title} in all {} systems:", set.len());
            } else {
                let _ = writeln!(out, "{title} in {} systems ({}):", set.len(), names(set));
            }
            for e in errors {
                let _ = writeln!(out, "  {mark} {e}");
            }
        }
    }
    let s = summary(r);
    if s.failed == 0 {
        if !r.is_unchanged() {
            out.push_str(
                "improvements only: `tagbench check --bless` records them in the baseline\n",
            );
        }
    } else {
        out.push_str(BLESS_HINT);
        out.push('\n');
    }
    let _ = writeln!(out, "check: {}", verdict(&s));
    out
}

/// The text block of system `v` (index `i`): the rest of its first line, and the lines
/// below it (empty for a system that passes unchanged).
fn text_block(v: &VariantDiff, i: usize, new: &Groups, fixed: &Groups) -> (String, String) {
    let head = match (v.new_strict_f1, v.old_strict_f1) {
        (Some(n), Some(o)) => format!("strict F1 {n:.4} (baseline {o:.4})"),
        (Some(n), None) => {
            format!("strict F1 {n:.4}, not in the baseline: run `tagbench check --bless`")
        }
        (None, _) => {
            "in the baseline but no longer a system (passes; `tagbench check --bless` drops it)"
                .to_string()
        }
    };
    let mut out = String::new();
    if let Some((old, new)) = &v.description {
        let _ = writeln!(out, "  ~ description: {old:?} -> {new:?}");
    }
    for (mark, scheme, items) in scheme_lines(v, "->") {
        let _ = writeln!(out, "  {mark} F1 {scheme}: {items}");
    }
    let errors = [
        ('-', "new error", "new error", "new errors", new),
        ('+', "fixed", "fixed error", "fixed errors", fixed),
    ];
    for (mark, word, one, many, g) in errors {
        for e in &g.own[i] {
            let _ = writeln!(out, "  {mark} {word}: {e}");
        }
        if g.shared_count[i] > 0 {
            let _ = writeln!(
                out,
                "  {mark} {} shared with other systems (listed below)",
                count(g.shared_count[i], one, many)
            );
        }
    }
    (head, out)
}

// ---- markdown ----------------------------------------------------------------------------

/// A markdown code span that survives any backticks inside.
fn code(s: &str) -> String {
    let fence = if s.contains('`') { "`` " } else { "`" };
    let close = if s.contains('`') { " ``" } else { "`" };
    format!("{fence}{s}{close}")
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn markdown(r: &CheckReport) -> String {
    let s = summary(r);
    let new = groups(r, new_errors);
    let fixed = groups(r, fixed_errors);
    let mut out = String::new();
    let head = if s.failed == 0 { "passed" } else { "FAILED" };
    let _ = writeln!(out, "### tagbench check: {head}\n");
    let _ = writeln!(out, "{}; tolerance {}.\n", verdict(&s), r.tolerance);
    out.push_str("| system | status | strict F1 | baseline | change |\n");
    out.push_str("|---|---|---:|---:|---:|\n");
    for v in &r.variants {
        let f = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.4}"));
        let change = match (v.new_strict_f1, v.old_strict_f1) {
            (Some(n), Some(o)) => format!("{:+.4}", n - o),
            _ => "-".to_string(),
        };
        let st = match status(v) {
            "FAIL" => "**FAIL**",
            other => other,
        };
        let _ = writeln!(
            out,
            "| {} | {st} | {} | {} | {change} |",
            cell(&code(&v.name)),
            f(v.new_strict_f1),
            f(v.old_strict_f1)
        );
    }
    // Each system's details; systems whose details are the same share one section.
    let details: Vec<Option<String>> = (0..r.variants.len())
        .map(|i| markdown_details(&r.variants[i], i, &new, &fixed))
        .collect();
    for (i, v) in r.variants.iter().enumerate() {
        let Some(body) = &details[i] else {
            continue;
        };
        let same = |j: usize| status(&r.variants[j]) == status(v) && details[j] == details[i];
        if (0..i).any(same) {
            continue;
        }
        let names: Vec<String> = (i..r.variants.len())
            .filter(|&j| same(j))
            .map(|j| code(&r.variants[j].name))
            .collect();
        let _ = writeln!(out, "\n#### {} {}\n", status(v), names.join(", "));
        out.push_str(body);
    }
    let names = |set: &[usize]| {
        set.iter()
            .map(|&i| code(&r.variants[i].name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (title, g) in [("New errors", &new), ("Fixed errors", &fixed)] {
        for (set, errors) in &g.shared {
            if set.len() == r.variants.len() {
                let _ = writeln!(out, "\n#### {title} in all {} systems", set.len());
            } else {
                let _ = writeln!(
                    out,
                    "\n#### {title} in {} systems: {}",
                    set.len(),
                    names(set)
                );
            }
            error_block(&mut out, "", errors);
        }
    }
    if s.failed > 0 {
        let _ = writeln!(out, "\n{BLESS_HINT}.");
    }
    out
}

/// The markdown details of system `v` (index `i`), or `None` when it has nothing to say.
fn markdown_details(v: &VariantDiff, i: usize, new: &Groups, fixed: &Groups) -> Option<String> {
    let lines = scheme_lines(v, "→");
    let any = v.description.is_some()
        || !lines.is_empty()
        || !new.own[i].is_empty()
        || new.shared_count[i] > 0
        || !fixed.own[i].is_empty()
        || fixed.shared_count[i] > 0
        || v.presence == Presence::New;
    if !any {
        return None;
    }
    let mut out = String::new();
    if v.presence == Presence::New {
        out.push_str("- not in the baseline: run `tagbench check --bless`\n");
    }
    if let Some((old, new)) = &v.description {
        let _ = writeln!(out, "- description: {} → {}", code(old), code(new));
    }
    for (mark, scheme, items) in lines {
        let word = match mark {
            '-' => "drop",
            '~' => "drop within the tolerance",
            _ => "gain",
        };
        let _ = writeln!(out, "- F1 {scheme} ({word}): {items}");
    }
    if new.shared_count[i] > 0 {
        let _ = writeln!(
            out,
            "- {} shared with other systems (listed below)",
            count(new.shared_count[i], "new error", "new errors")
        );
    }
    if fixed.shared_count[i] > 0 {
        let _ = writeln!(
            out,
            "- {} shared with other systems (listed below)",
            count(fixed.shared_count[i], "fixed error", "fixed errors")
        );
    }
    error_block(&mut out, "New errors", &new.own[i]);
    error_block(&mut out, "Fixed errors", &fixed.own[i]);
    Some(out)
}

/// Errors as a fenced block (they hold quotes, stars and pipes), under a bold title when
/// given.
fn error_block(out: &mut String, title: &str, errors: &[&str]) {
    if errors.is_empty() {
        return;
    }
    if !title.is_empty() {
        let _ = writeln!(out, "\n**{title}**");
    }
    out.push_str("\n```text\n");
    for e in errors {
        out.push_str(e);
        out.push('\n');
    }
    out.push_str("```\n");
}

// ---- JSON --------------------------------------------------------------------------------

#[derive(Serialize)]
struct JsonCheck<'a> {
    passed: bool,
    tolerance: f64,
    summary: JsonSummary,
    systems: Vec<JsonSystem<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    systems: usize,
    failed: usize,
    f1_drops: usize,
    new_errors: usize,
    not_in_baseline: usize,
    gone: usize,
}

#[derive(Serialize)]
struct JsonSystem<'a> {
    name: &'a str,
    status: &'static str,
    in_baseline: bool,
    strict_f1: OldNew<Option<f64>>,
    description: Option<OldNew<&'a str>>,
    f1_changes: Vec<JsonF1<'a>>,
    new_errors: &'a [String],
    fixed_errors: &'a [String],
}

#[derive(Serialize)]
struct OldNew<T> {
    baseline: T,
    current: T,
}

#[derive(Serialize)]
struct JsonF1<'a> {
    scheme: &'static str,
    label: Option<&'a str>,
    baseline: f64,
    current: f64,
    delta: f64,
    status: &'static str,
}

impl<'a> JsonCheck<'a> {
    fn new(r: &'a CheckReport) -> JsonCheck<'a> {
        let s = summary(r);
        JsonCheck {
            passed: r.passed(),
            tolerance: r.tolerance,
            summary: JsonSummary {
                systems: s.checked,
                failed: s.failed,
                f1_drops: s.f1_drops,
                new_errors: s.new_errors,
                not_in_baseline: s.not_in_baseline,
                gone: s.gone,
            },
            systems: r
                .variants
                .iter()
                .map(|v| JsonSystem {
                    name: &v.name,
                    status: match status(v) {
                        "FAIL" => "fail",
                        other => other,
                    },
                    in_baseline: v.presence != Presence::New,
                    strict_f1: OldNew {
                        baseline: v.old_strict_f1,
                        current: v.new_strict_f1,
                    },
                    description: v.description.as_ref().map(|(o, n)| OldNew {
                        baseline: o.as_str(),
                        current: n.as_str(),
                    }),
                    f1_changes: v
                        .f1
                        .iter()
                        .map(|c| JsonF1 {
                            scheme: c.scheme.as_str(),
                            label: c.label.map(|l| l.as_str()),
                            baseline: c.old,
                            current: c.new,
                            // The stored F1s have 4 decimals: so has their difference.
                            delta: super::round(c.new - c.old, 4),
                            status: if c.regression {
                                "drop"
                            } else if c.new < c.old {
                                "within_tolerance"
                            } else {
                                "gain"
                            },
                        })
                        .collect(),
                    new_errors: &v.new_errors,
                    fixed_errors: &v.fixed_errors,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system(
        name: &str,
        new: &[&str],
        fixed: &[&str],
        drop: Option<(Scheme, f64)>,
    ) -> VariantDiff {
        VariantDiff {
            name: name.to_string(),
            presence: Presence::Both,
            old_strict_f1: Some(0.9),
            new_strict_f1: Some(0.9),
            description: None,
            f1: drop
                .map(|(scheme, by)| F1Change {
                    scheme,
                    label: None,
                    old: 0.9,
                    new: 0.9 - by,
                    regression: true,
                })
                .into_iter()
                .collect(),
            new_errors: new.iter().map(|e| e.to_string()).collect(),
            fixed_errors: fixed.iter().map(|e| e.to_string()).collect(),
        }
    }

    fn report() -> CheckReport {
        CheckReport {
            tolerance: 0.0,
            variants: vec![
                system(
                    "a",
                    &["e1", "e2", "only-a"],
                    &["f1"],
                    Some((Scheme::Strict, 0.01)),
                ),
                system("b", &["e1", "e2"], &["f1"], Some((Scheme::Type, 0.02))),
                system("c", &["e2"], &[], None),
                system("d", &[], &[], None),
            ],
        }
    }

    #[test]
    fn errors_of_one_system_stay_in_its_block_shared_ones_are_listed_once_by_group() {
        let r = report();
        let g = groups(&r, new_errors);
        assert_eq!(g.own[0], ["only-a"]);
        assert!(g.own[1].is_empty() && g.own[2].is_empty());
        assert_eq!(g.shared_count, [2, 2, 1, 0]);
        assert_eq!(
            g.shared,
            [(vec![0, 1], vec!["e1"]), (vec![0, 1, 2], vec!["e2"])]
        );
        let out = render_check(&r, Format::Table);
        for e in ["e1", "e2", "only-a", "f1"] {
            assert_eq!(out.matches(&format!(" {e}\n")).count(), 1, "{e}: {out}");
        }
        assert!(out.contains("FAIL  a  strict F1 0.9000 (baseline 0.9000)\n  - F1 strict: overall 0.9000 -> 0.8900 (-0.0100)\n  - new error: only-a\n  - 2 new errors shared"), "{out}");
        assert!(out.contains("new errors in 2 systems (a, b):\n  - e1\nnew errors in 3 systems (a, b, c):\n  - e2\nfixed errors in 2 systems (a, b):\n  + f1\n"), "{out}");
        assert!(out.contains("ok    d  strict F1"), "{out}");
        assert!(
            out.ends_with("check: 3 of 4 systems fail: F1 drops in 2 schemes, 3 new errors\n"),
            "{out}"
        );
    }

    #[test]
    fn markdown_and_json_carry_the_same_findings() {
        let r = report();
        let md = render_check(&r, Format::Markdown);
        assert!(
            md.starts_with("### tagbench check: FAILED\n\n3 of 4 systems fail"),
            "{md}"
        );
        assert!(
            md.contains("| `d` | ok | 0.9000 | 0.9000 | +0.0000 |\n"),
            "{md}"
        );
        assert!(!md.contains("#### ok `d`"), "{md}");
        assert!(
            md.contains("- F1 type (drop): overall 0.9000 → 0.8800 (-0.0200)\n"),
            "{md}"
        );
        assert!(
            md.contains("#### New errors in 3 systems: `a`, `b`, `c`\n\n```text\ne2\n```\n"),
            "{md}"
        );
        let j: serde_json::Value = serde_json::from_str(&render_check(&r, Format::Json)).unwrap();
        assert_eq!(j["summary"]["failed"], 3);
        assert_eq!(j["summary"]["new_errors"], 3);
        assert_eq!(
            j["systems"][1]["new_errors"],
            serde_json::json!(["e1", "e2"])
        );
        assert_eq!(j["systems"][1]["f1_changes"][0]["delta"], -0.02);
        assert_eq!(j["systems"][3]["status"], "ok");
    }

    #[test]
    fn systems_that_fail_alike_share_one_block() {
        // A gazetteer row that moves a variant on every perturbation: the same drop and the
        // same errors in `v`, `v@x` and `v@y`; `w` fails differently.
        let drop = Some((Scheme::Strict, 0.05));
        let r = CheckReport {
            tolerance: 0.0,
            variants: vec![
                system("v", &["e1"], &[], drop),
                system("v@x", &["e1"], &[], drop),
                system("w", &["e1"], &[], Some((Scheme::Strict, 0.07))),
                system("v@y", &["e1"], &[], drop),
                system("z", &[], &[], None),
            ],
        };
        let out = render_check(&r, Format::Table);
        assert!(
            out.starts_with(
                "FAIL  v    strict F1 0.9000 (baseline 0.9000)\n  = the same in v@x, v@y\n  \
                 - F1 strict: overall 0.9000 -> 0.8500 (-0.0500)\n  - 1 new error shared"
            ),
            "{out}"
        );
        assert_eq!(out.matches("FAIL").count(), 2, "{out}");
        assert!(out.contains("FAIL  w    strict F1"), "{out}");
        assert!(out.contains("ok    z"), "{out}");
        assert!(
            out.contains("new errors in 4 systems (v, v@x, w, v@y):\n  - e1\n"),
            "{out}"
        );
        assert!(
            out.ends_with("check: 4 of 5 systems fail: F1 drops in 1 scheme, 1 new error\n"),
            "{out}"
        );

        let md = render_check(&r, Format::Markdown);
        assert!(
            md.contains("\n#### FAIL `v`, `v@x`, `v@y`\n\n- F1 strict (drop)"),
            "{md}"
        );
        assert!(md.contains("\n#### FAIL `w`\n"), "{md}");
        // The table still has a row per system.
        assert!(md.contains("| `v@y` | **FAIL** |"), "{md}");

        // Every system alike: the shared errors are "in all" of them.
        let all = CheckReport {
            tolerance: 0.0,
            variants: vec![
                system("v", &["e1"], &[], drop),
                system("v@x", &["e1"], &[], drop),
            ],
        };
        let out = render_check(&all, Format::Table);
        assert!(
            out.contains("new errors in all 2 systems:\n  - e1\n"),
            "{out}"
        );
        assert!(render_check(&all, Format::Markdown).contains("#### New errors in all 2 systems\n"));
    }

    #[test]
    fn bless_says_in_one_line_per_system_what_changed() {
        let mut r = report();
        r.variants.push(VariantDiff {
            presence: Presence::Gone,
            ..system("e", &[], &[], None)
        });
        let out = render_bless(&r);
        assert_eq!(
            out,
            "changed  a  F1 strict -0.0100; 3 new errors; 1 fixed error\n\
             changed  b  F1 type -0.0200; 2 new errors; 1 fixed error\n\
             changed  c  1 new error\n\
             removed  e\n"
        );
        assert_eq!(bless_counts(&r), "3 changed, 0 added, 1 removed");
    }
}
