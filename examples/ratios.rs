//! Development check of throughput ratios: each round times the raw automaton and then every
//! variant once, and the median per-round ratio is printed (robust to a busy machine). With
//! `world-places` among the variants, each round also times its ceiling, the regex crate's
//! lazy DFA over the same patterns with ASCII word boundaries, and prints that ratio too.
//! The published figures come from `cargo bench`.
//!
//! `cargo run --release --example ratios -- default no-figures unicode-fold world-places`
//!
//! With `--command` (after `cargo build --release`), each round also times the whole command
//! `target/release/tagbench tag --threads 1` (default variant) on the 8 MiB corpus repeated to
//! 64 MiB, in a file, writing CSV and then JSONL to files, against the raw DFA over the same
//! 64 MiB in memory (issue 15's target for the output path: 0.5x).
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::path::Path;
use std::time::Instant;
use tagbench::variant::Variant;
use tagbench::{Corpus, Scratch, Span};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let corpus = Corpus::read_dir(Path::new("gold/texts")).expect("gold texts");
    let mut gold = String::new();
    for d in corpus.documents() {
        gold.push_str(&d.text);
        gold.push_str("\n\n");
    }
    let mut big = String::new();
    while big.len() < 8 << 20 {
        big.push_str(&gold);
    }
    let mib = big.len() as f64 / f64::from(1 << 20);
    let command = std::env::args().any(|a| a == "--command");
    let names: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--command")
        .collect();
    let dir = Path::new("variants");
    let default = Variant::resolve("default", dir).unwrap().build().unwrap();
    let pats: Vec<&str> = default.patterns().collect();
    let raw = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::LeftmostLongest)
        .build(&pats)
        .unwrap();
    let taggers: Vec<_> = names
        .iter()
        .map(|v| Variant::resolve(v, dir).unwrap().build().unwrap())
        .collect();
    let world = names.iter().position(|n| n == "world-places").map(|i| {
        let mut pats: Vec<&str> = taggers[i].patterns().collect();
        pats.sort_by_key(|p| std::cmp::Reverse(p.len()));
        let alt: Vec<String> = pats.iter().map(|p| regex::escape(p)).collect();
        let re = regex::RegexBuilder::new(&format!(r"(?-u:\b)(?:{})(?-u:\b)", alt.join("|")))
            .size_limit(1 << 34)
            .dfa_size_limit(1 << 30)
            .build()
            .unwrap();
        (i, re)
    });
    let mut scratch = Scratch::new();
    let mut out: Vec<Span> = Vec::new();
    let mut raw_best = f64::MAX;
    let mut re_best = f64::MAX;
    let mut best = vec![f64::MAX; taggers.len()];
    let mut ratios = vec![Vec::new(); taggers.len()];
    let mut re_ratios = Vec::new();
    // The command's input: 64 MiB in a file (the process start and the default tagger's
    // build, about 20 ms, are in its time).
    let dir = std::env::temp_dir().join(format!("tagbench-ratios-{}", std::process::id()));
    let huge = big.repeat(8);
    if command {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("corpus.txt"), &huge).unwrap();
    }
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/tagbench");
    let mut cmd_ratios = [Vec::new(), Vec::new()];
    for _ in 0..15 {
        if command {
            let t = Instant::now();
            std::hint::black_box(raw.find_iter(&huge).count());
            let r = t.elapsed().as_secs_f64();
            for (i, to) in ["csv", "jsonl"].into_iter().enumerate() {
                let t = Instant::now();
                let ok = std::process::Command::new(&bin)
                    .args(["tag", "--threads", "1", "--to", to, "--out"])
                    .arg(dir.join(format!("out.{to}")))
                    .arg(dir.join("corpus.txt"))
                    .status()
                    .expect("target/release/tagbench (cargo build --release first)")
                    .success();
                assert!(ok, "tagbench tag failed");
                cmd_ratios[i].push(r / t.elapsed().as_secs_f64());
            }
        }
        let t = Instant::now();
        std::hint::black_box(raw.find_iter(&big).count());
        let r = t.elapsed().as_secs_f64();
        raw_best = raw_best.min(r);
        let mut times = Vec::new();
        for (i, tagger) in taggers.iter().enumerate() {
            let t = Instant::now();
            tagger.tag_with(&big, &mut scratch, &mut out);
            let s = t.elapsed().as_secs_f64();
            best[i] = best[i].min(s);
            ratios[i].push(r / s);
            times.push(s);
        }
        if let Some((i, re)) = &world {
            let t = Instant::now();
            std::hint::black_box(re.find_iter(&big).count());
            let q = t.elapsed().as_secs_f64();
            re_best = re_best.min(q);
            re_ratios.push(q / times[*i]);
        }
    }
    println!("raw-dfa {:.0} MiB/s", mib / raw_best);
    if command {
        for (i, to) in ["csv", "jsonl"].into_iter().enumerate() {
            let med = median(std::mem::take(&mut cmd_ratios[i]));
            println!("tag --threads 1 --to {to} (whole command, 64 MiB) median ratio {med:.2}x");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    for (i, name) in names.iter().enumerate() {
        let med = median(std::mem::take(&mut ratios[i]));
        println!("{name} {:.0} MiB/s, median ratio {med:.2}x", mib / best[i]);
    }
    if world.is_some() {
        println!(
            "regex-ascii-wb-world-places {:.0} MiB/s; world-places median ratio to it {:.2}x",
            mib / re_best,
            median(re_ratios)
        );
    }
}
