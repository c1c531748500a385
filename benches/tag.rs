//! Tagging throughput against the raw aho-corasick automaton, measured in the same run.
//!
//! Setup (gazetteer loading, automaton builds, corpus generation) is outside every timed
//! closure, and every benchmark asserts its match count before it is timed.

use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tagbench::variant::Variant;
use tagbench::{Corpus, Gazetteer, Scratch, Tagger};

const CORPUS_BYTES: usize = 8 << 20;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The gold texts repeated to 8 MiB, paragraphs separated by blank lines.
fn corpus() -> (String, String) {
    let corpus = Corpus::read_dir(&root().join("gold/texts")).expect("gold texts");
    let mut gold = String::new();
    for d in corpus.documents() {
        gold.push_str(&d.text);
        gold.push_str("\n\n");
    }
    let mut big = String::with_capacity(CORPUS_BYTES + gold.len());
    while big.len() < CORPUS_BYTES {
        big.push_str(&gold);
    }
    (gold, big)
}

fn count(tagger: &Tagger, text: &str) -> usize {
    let mut scratch = Scratch::new();
    let mut out = Vec::new();
    tagger.tag_with(text, &mut scratch, &mut out);
    out.len()
}

fn bench_tag(c: &mut Criterion) {
    let (gold, big) = corpus();
    let variants_dir = root().join("variants");
    let mut group = c.benchmark_group("tag");
    group.sample_size(10);
    for (name, text) in [("gold", gold.as_str()), ("8MiB", big.as_str())] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        for v in ["default", "no-figures", "unicode-fold", "ascii-nocase"] {
            let variant = Variant::resolve(v, &variants_dir).expect("variant");
            let tagger = variant.build().expect("tagger");
            let n = count(&tagger, text);
            assert!(n > 0, "{v} finds nothing");
            let mut scratch = Scratch::new();
            let mut out = Vec::new();
            group.bench_function(format!("{v}/{name}"), |b| {
                b.iter(|| {
                    tagger.tag_with(text, &mut scratch, &mut out);
                    assert_eq!(out.len(), n);
                })
            });
        }
        // The ceiling: the bare automaton over the same gazetteer terms.
        let variant = Variant::resolve("default", &variants_dir).expect("variant");
        let g = Gazetteer::load(&variant.gazetteers).expect("gazetteer");
        let terms: Vec<&str> = g.entries().iter().map(|e| e.term.as_str()).collect();
        for (kind, label) in [
            (AhoCorasickKind::DFA, "raw-ac-dfa"),
            (AhoCorasickKind::ContiguousNFA, "raw-ac-nfa"),
        ] {
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(kind))
                .build(&terms)
                .expect("automaton");
            let n = ac.find_iter(text).count();
            assert!(n > 0);
            group.bench_function(format!("{label}/{name}"), |b| {
                b.iter(|| assert_eq!(ac.find_iter(text).count(), n))
            });
        }
        // The floor: one str::find pass per term.
        if name == "gold" {
            let n: usize = terms.iter().map(|t| text.matches(t).count()).sum();
            group.bench_function(format!("naive-find/{name}"), |b| {
                b.iter(|| {
                    let m: usize = terms.iter().map(|t| text.matches(t).count()).sum();
                    assert_eq!(m, n)
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_tag);
criterion_main!(benches);
