//! Issue 15's throughput targets, every one measured in one run and printed as met or not.
//!
//! ```sh
//! cargo bench --bench targets                 # the table (about a minute)
//! cargo bench --bench targets -- --readme     # the same, and rewrite README.md's table
//! cargo bench --bench targets -- --rounds 31  # more rounds (default 15)
//! ```
//!
//! Every round times each contestant once, in the same order: the raw aho-corasick DFA over
//! the default tagger's patterns on 8 MiB (the ceiling), the library tagger of each variant on
//! the same 8 MiB, the regex crate's lazy DFA with ASCII word boundaries over world-places'
//! patterns (its ceiling), then the raw DFA on 64 MiB in memory and the whole command
//! `tagbench tag --threads 1` on the same 64 MiB in a file, writing CSV and then JSONL to a
//! file. A ratio is taken within a round (speed / ceiling speed) and the median over the
//! rounds is reported: a machine that slows down for a while slows both sides of a ratio.
//! Absolute MiB/s are printed for scale only (best round).
//!
//! Startup: `tagbench tag --variant world-places --stats` on an empty file, three times: the
//! median wall time and the largest peak RSS the command reports.
//!
//! A second table gives every variant of `variants/` in the same rounds (the ones the targets
//! do not name, for scale): its pattern count, best MiB/s and median ratio to the raw DFA.
//!
//! Setup (reading the variants, building taggers and automata, writing the corpus file) is
//! outside every timed section, and each contestant's match count is checked every round.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use aho_corasick::AhoCorasickKind;
use common::{gold_text, raw_automaton, regex_ascii_wb, repeated, root};
use tagbench::variant::Variant;
use tagbench::{Scratch, Span, Tagger};

const CORPUS_BYTES: usize = 8 << 20;
const COMMAND_REPEAT: usize = 8;

/// What a target compares, and its goal.
enum Goal {
    /// A ratio of speeds at least this.
    AtLeast(f64),
    /// A measure at most this (seconds, MB).
    Under(f64, &'static str),
}

struct Row {
    target: String,
    ceiling: String,
    goal: Goal,
    /// The median ratio, or the measure; `None` when it could not be measured.
    value: Option<f64>,
}

impl Row {
    fn met(&self) -> Option<bool> {
        self.value.map(|v| match self.goal {
            Goal::AtLeast(g) => v >= g,
            Goal::Under(g, _) => v < g,
        })
    }

    fn cells(&self) -> [String; 5] {
        let (goal, value) = match self.goal {
            Goal::AtLeast(g) => (
                format!(">= {g:.2}x"),
                self.value.map(|v| format!("{v:.3}x")),
            ),
            Goal::Under(g, unit) => (
                format!("< {g} {unit}"),
                self.value.map(|v| {
                    if unit == "s" {
                        format!("{v:.2} s")
                    } else {
                        format!("{v:.0} {unit}")
                    }
                }),
            ),
        };
        let met = match self.met() {
            Some(true) => "met",
            Some(false) => "NOT MET",
            None => "not measured",
        };
        [
            self.target.clone(),
            self.ceiling.clone(),
            goal,
            value.unwrap_or_else(|| "-".into()),
            met.into(),
        ]
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let t = Instant::now();
    let r = f();
    (t.elapsed().as_secs_f64(), r)
}

/// Runs `tagbench ARGS`, failing the benchmark if it fails; returns its standard error.
fn tagbench(bin: &Path, args: &[&str], files: &[&Path]) -> String {
    let out = Command::new(bin)
        .args(args)
        .args(files)
        .output()
        .expect("the tagbench binary");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "tagbench {args:?} failed: {stderr}");
    stderr
}

/// The peak RSS in MB that `tag --stats` reports (`..., peak RSS N MB`), if it does.
fn peak_rss_mb(stats: &str) -> Option<f64> {
    let rest = &stats[stats.rfind("peak RSS ")? + "peak RSS ".len()..];
    rest.split_whitespace().next()?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let readme = args.iter().any(|a| a == "--readme");
    let rounds: usize = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .map(|n| n.parse().expect("--rounds N"))
        .unwrap_or(15)
        .max(1);

    let big = repeated(&gold_text(), CORPUS_BYTES);
    let mib = big.len() as f64 / f64::from(1 << 20);
    let dir = root().join("variants");
    let build = |name: &str| -> Tagger {
        Variant::resolve(name, &dir)
            .expect("variant")
            .build()
            .expect("tagger")
    };
    // Every variant (the targets name four; the others are printed for scale).
    let mut names = Variant::names(&dir).expect("variants");
    let mut taggers: Vec<Tagger> = names.iter().map(|n| build(n)).collect();
    // And world-places without the FIGURE recogniser, which its ceiling does not run: how
    // much of the gap to it is the gazetteer search.
    let mut plain_world = Variant::resolve("world-places", &dir).expect("variant");
    plain_world.options.figures = false;
    taggers.push(plain_world.build().expect("tagger"));
    let mut labels: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    labels.push("`world-places` without FIGUREs (`figures = false`)".into());
    names.push("world-places, figures = false".into());
    let at = |name: &str| names.iter().position(|n| n == name).expect(name);
    let (default, no_figures, unicode, world) = (
        at("default"),
        at("no-figures"),
        at("unicode-fold"),
        at("world-places"),
    );
    let default_patterns: Vec<&str> = taggers[default].patterns().collect();
    let raw = raw_automaton(&default_patterns, AhoCorasickKind::DFA, false);
    let world_patterns: Vec<&str> = taggers[world].patterns().collect();
    let re = regex_ascii_wb(&world_patterns);

    let tmp = tempfile::tempdir().expect("a temporary folder");
    let huge = big.repeat(COMMAND_REPEAT);
    let corpus = tmp.path().join("corpus.txt");
    std::fs::write(&corpus, &huge).expect("write the corpus");
    let empty = tmp.path().join("empty.txt");
    std::fs::write(&empty, "").expect("write the empty text");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_tagbench"));

    // Expected counts, checked every round.
    let mut scratch = Scratch::new();
    let mut spans: Vec<Span> = Vec::new();
    let raw_n = raw.find_iter(&big).count();
    let re_n = re.find_iter(&big).count();
    let tag_n: Vec<usize> = taggers
        .iter()
        .map(|t| {
            t.tag_with(&big, &mut scratch, &mut spans);
            spans.len()
        })
        .collect();
    let huge_n = raw.find_iter(&huge).count();

    let mut ratios = vec![Vec::new(); names.len()];
    let mut best = vec![f64::MAX; names.len()];
    let (mut raw_best, mut re_best) = (f64::MAX, f64::MAX);
    let mut re_ratios = Vec::new();
    let mut raw_vs_re = Vec::new();
    let mut cmd_ratios: [Vec<f64>; 2] = Default::default();
    eprintln!("targets: {rounds} rounds of {mib:.1} MiB (and the command on {COMMAND_REPEAT}x)");
    for _ in 0..rounds {
        let (r, n) = time(|| raw.find_iter(&big).count());
        assert_eq!(n, raw_n);
        raw_best = raw_best.min(r);
        let mut world_s = 0.0;
        for (i, t) in taggers.iter().enumerate() {
            let (s, ()) = time(|| t.tag_with(&big, &mut scratch, &mut spans));
            assert_eq!(spans.len(), tag_n[i], "{}", names[i]);
            best[i] = best[i].min(s);
            ratios[i].push(r / s);
            if i == world {
                world_s = s;
            }
        }
        let (q, n) = time(|| re.find_iter(&big).count());
        assert_eq!(n, re_n);
        re_best = re_best.min(q);
        re_ratios.push(q / world_s);
        raw_vs_re.push(r / q);

        let (r, n) = time(|| raw.find_iter(&huge).count());
        assert_eq!(n, huge_n);
        for (i, to) in ["csv", "jsonl"].into_iter().enumerate() {
            let out = tmp.path().join(format!("out.{to}"));
            let (s, _) = time(|| {
                tagbench(
                    &bin,
                    &["tag", "--threads", "1", "--to", to, "--out"],
                    &[&out, &corpus],
                )
            });
            cmd_ratios[i].push(r / s);
        }
    }

    let mut startup = Vec::new();
    let mut rss: Option<f64> = None;
    let out = tmp.path().join("startup.csv");
    for _ in 0..3 {
        let (s, stats) = time(|| {
            tagbench(
                &bin,
                &[
                    "tag",
                    "--variant",
                    "world-places",
                    "--threads",
                    "1",
                    "--stats",
                    "--out",
                ],
                &[&out, &empty],
            )
        });
        startup.push(s);
        if let Some(m) = peak_rss_mb(&stats) {
            rss = Some(rss.map_or(m, |r: f64| r.max(m)));
        }
    }

    let dfa = "raw DFA, default's patterns";
    let in_memory = "raw DFA, same 64 MiB in memory";
    let ratios: Vec<f64> = ratios.into_iter().map(median).collect();
    let [csv, jsonl] = cmd_ratios.map(median);
    let rows = [
        (
            "`default`, library",
            dfa,
            Goal::AtLeast(0.8),
            Some(ratios[default]),
        ),
        (
            "`no-figures`, library",
            dfa,
            Goal::AtLeast(0.9),
            Some(ratios[no_figures]),
        ),
        (
            "`unicode-fold`, library",
            dfa,
            Goal::AtLeast(0.5),
            Some(ratios[unicode]),
        ),
        (
            "`world-places`, library",
            "regex ASCII-`\\b` DFA, same patterns",
            Goal::AtLeast(1.0),
            Some(median(re_ratios)),
        ),
        (
            "`tag --threads 1` (whole command, CSV out)",
            in_memory,
            Goal::AtLeast(0.5),
            Some(csv),
        ),
        (
            "`tag --threads 1 --to jsonl` (whole command)",
            in_memory,
            Goal::AtLeast(0.5),
            Some(jsonl),
        ),
        (
            "`tag --variant world-places`, empty text: wall time",
            "",
            Goal::Under(1.5, "s"),
            Some(median(startup)),
        ),
        (
            "`tag --variant world-places`, empty text: peak RSS",
            "",
            Goal::Under(300.0, "MB"),
            rss,
        ),
    ]
    .map(|(target, ceiling, goal, value)| Row {
        target: target.into(),
        ceiling: ceiling.into(),
        goal,
        value,
    });

    let targets: Vec<[String; 5]> = rows.iter().map(Row::cells).collect();
    let targets_header = [
        format!("target (median of {rounds} interleaved rounds)"),
        "ceiling".into(),
        "goal".into(),
        "measured".into(),
        String::new(),
    ];
    let mut variants: Vec<[String; 4]> = vec![[
        "raw DFA, default's patterns (the ceiling)".into(),
        default_patterns.len().to_string(),
        format!("{:.0}", mib / raw_best),
        "1.00".into(),
    ]];
    for i in 0..names.len() {
        variants.push([
            labels[i].clone(),
            taggers[i].pattern_count().to_string(),
            format!("{:.0}", mib / best[i]),
            format!("{:.2}", ratios[i]),
        ]);
    }
    variants.push([
        "regex ASCII-`\\b` DFA, world-places' patterns".into(),
        world_patterns.len().to_string(),
        format!("{:.0}", mib / re_best),
        format!("{:.2}", median(raw_vs_re)),
    ]);
    let variants_header = [
        format!("library tagging, {mib:.0} MiB of the gold texts"),
        "patterns".into(),
        "MiB/s (best round)".into(),
        "ratio to the raw DFA (median)".into(),
    ];
    print_plain(&targets_header, &targets);
    println!();
    print_plain(&variants_header, &variants);
    let met = rows.iter().filter(|r| r.met() == Some(true)).count();
    println!("\n{met} of {} targets met", rows.len());
    if readme {
        let block = format!(
            "{}\n{}",
            markdown(
                &targets_header,
                &targets,
                &["---", "---", "---:", "---:", "---"]
            ),
            markdown(
                &variants_header,
                &variants,
                &["---", "---:", "---:", "---:"]
            ),
        );
        rewrite_readme(&block);
    }
}

fn markdown<const N: usize>(
    header: &[String; N],
    rows: &[[String; N]],
    align: &[&str; N],
) -> String {
    let mut out = format!("| {} |\n|{}|\n", header.join(" | "), align.join("|"));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

fn print_plain<const N: usize>(header: &[String; N], rows: &[[String; N]]) {
    let mut width = [0; N];
    for row in std::iter::once(header).chain(rows) {
        for (w, c) in width.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    for row in std::iter::once(header).chain(rows) {
        let line: Vec<String> = row
            .iter()
            .zip(width)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", line.join("  ").trim_end());
    }
}

/// Replaces the block between `<!-- targets:begin` and `<!-- targets:end -->` in README.md.
fn rewrite_readme(block: &str) {
    let path = root().join("README.md");
    let text = std::fs::read_to_string(&path).expect("README.md");
    let begin = "<!-- targets:begin (cargo bench --bench targets -- --readme) -->\n";
    let end = "<!-- targets:end -->";
    let (Some(a), Some(b)) = (text.find(begin), text.find(end)) else {
        panic!("README.md has no {begin:?} ... {end:?} block");
    };
    let new = format!("{}{begin}{block}{}", &text[..a], &text[b..]);
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, new).expect("write README.md");
    std::fs::rename(&tmp, &path).expect("replace README.md");
    eprintln!("README.md: targets table rewritten");
}
