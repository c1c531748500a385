//! Quick min-of-N throughput check during development (the real figures come from `cargo bench`).
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::time::Instant;
use tagbench::variant::Variant;
use tagbench::{Scratch, Span};
fn main() {
    let mut gold = String::new();
    let mut files: Vec<_> = std::fs::read_dir("gold/texts")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        gold.push_str(&std::fs::read_to_string(f).unwrap());
        gold.push_str("\n\n");
    }
    let mut big = String::new();
    while big.len() < 8 << 20 {
        big.push_str(&gold);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let time = |f: &mut dyn FnMut() -> usize| {
        let mut best = f64::MAX;
        let mut n = 0;
        for _ in 0..15 {
            let t = Instant::now();
            n = f();
            best = best.min(t.elapsed().as_secs_f64());
        }
        (n, (big.len() as f64 / (1 << 20) as f64) / best)
    };
    let dv = Variant::resolve("default", std::path::Path::new("variants")).unwrap();
    let dt = dv.build().unwrap();
    let pats: Vec<&str> = dt.patterns().collect();
    let ac = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::LeftmostLongest)
        .build(&pats)
        .unwrap();
    let (n, r) = time(&mut || ac.find_iter(&big).count());
    println!("raw-dfa {n} {r:.0} MiB/s");
    for v in args {
        let t = Variant::resolve(&v, std::path::Path::new("variants"))
            .unwrap()
            .build()
            .unwrap();
        let mut s = Scratch::new();
        let mut out: Vec<Span> = Vec::new();
        let (n, m) = time(&mut || {
            t.tag_with(&big, &mut s, &mut out);
            out.len()
        });
        println!("{v} {n} {m:.0} MiB/s {:.2}x", m / r);
    }
}
