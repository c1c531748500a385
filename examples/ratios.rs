//! Development check of throughput ratios: each round times the raw automaton and then every
//! variant once, and the median per-round ratio is printed (robust to a busy machine). With
//! `world-places` among the variants, each round also times its ceiling, the regex crate's
//! lazy DFA over the same patterns with ASCII word boundaries, and prints that ratio too.
//! The published figures come from `cargo bench`.
//!
//! `cargo run --release --example ratios -- default no-figures unicode-fold world-places`
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
    let names: Vec<String> = std::env::args().skip(1).collect();
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
    for _ in 0..15 {
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
