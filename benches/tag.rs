//! Throughput of the tagger against the raw aho-corasick automaton, measured in the same run,
//! and the cost of building taggers and of scoring.
//!
//! Groups:
//! - `tag`: every variant on the five gold texts and on an 8 MiB corpus (the texts repeated);
//!   in the same group, the ceiling (the raw automaton's `find_iter` over the very patterns
//!   the tagger's automaton holds, DFA and NFA, same match kind) and, on the gold texts, the
//!   floor (a naive `str::find` loop per term). For `world-places`, the raw NFA and the
//!   regex crate's lazy DFA over the same patterns with ASCII word boundaries (`\b`), the
//!   target it is held to.
//! - `build`: building a tagger from generated gazetteers of 1k, 10k, 100k and 1M terms.
//! - `score`: scoring 10k, 100k and 1M generated spans.
//!
//! Setup (gazetteer loading, automaton builds, corpus and data generation) is outside every
//! timed closure, and every benchmark asserts its expected count before it is timed.
//!
//! `cargo bench` runs everything (about 10 minutes here); `cargo bench -- tag/` one group.

mod common;

use aho_corasick::AhoCorasickKind;
use common::{
    generated_gazetteer, generated_spans, gold_text, raw_automaton as raw, regex_ascii_wb,
    repeated, root,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::path::Path;
use tagbench::score::{score_document, Scheme};
use tagbench::variant::Variant;
use tagbench::{Gazetteer, Scratch, Tagger};

const CORPUS_BYTES: usize = 8 << 20;

fn count(tagger: &Tagger, text: &str) -> usize {
    let mut scratch = Scratch::new();
    let mut out = Vec::new();
    tagger.tag_with(text, &mut scratch, &mut out);
    out.len()
}

fn bench_tag(c: &mut Criterion) {
    let gold = gold_text();
    let big = repeated(&gold, CORPUS_BYTES);
    let dir = root().join("variants");
    let names = Variant::names(&dir).expect("variants");
    let taggers: Vec<(String, Tagger)> = names
        .into_iter()
        .map(|n| {
            let t = Variant::resolve(&n, &dir)
                .expect("variant")
                .build()
                .expect("tagger");
            (n, t)
        })
        .collect();
    let tagger = |name: &str| &taggers.iter().find(|(n, _)| n == name).expect(name).1;
    // The ceilings: the patterns of the default tagger (gazetteer terms, their variants and
    // the recogniser's start words), of the tagger without the recogniser, and of the
    // world-places tagger (where only the NFA can be built).
    let default_patterns: Vec<&str> = tagger("default").patterns().collect();
    let plain_patterns: Vec<&str> = tagger("no-figures").patterns().collect();
    let world_patterns: Vec<&str> = tagger("world-places").patterns().collect();
    let mut ceilings = vec![
        (
            "raw-ac-dfa",
            raw(&default_patterns, AhoCorasickKind::DFA, false),
        ),
        (
            "raw-ac-nfa",
            raw(&default_patterns, AhoCorasickKind::ContiguousNFA, false),
        ),
        (
            "raw-ac-dfa-no-figures",
            raw(&plain_patterns, AhoCorasickKind::DFA, false),
        ),
        (
            "raw-ac-nfa-no-figures",
            raw(&plain_patterns, AhoCorasickKind::ContiguousNFA, false),
        ),
        (
            "raw-ac-dfa-ascii-ci",
            raw(&default_patterns, AhoCorasickKind::DFA, true),
        ),
    ];
    ceilings.push((
        "raw-ac-nfa-world-places",
        raw(&world_patterns, AhoCorasickKind::ContiguousNFA, false),
    ));
    // The ceiling world-places is held to (see `regex_ascii_wb`).
    let world_regex = regex_ascii_wb(&world_patterns);
    let terms: Vec<String> = Gazetteer::load(
        &Variant::resolve("default", &dir)
            .expect("variant")
            .gazetteers,
    )
    .expect("gazetteer")
    .entries()
    .iter()
    .map(|e| e.term.clone())
    .collect();

    let mut group = c.benchmark_group("tag");
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_millis(500));
    group.measurement_time(std::time::Duration::from_secs(3));
    for (text_name, text) in [("gold", gold.as_str()), ("8MiB", big.as_str())] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        for (name, t) in &taggers {
            let n = count(t, text);
            assert!(n > 0, "{name} finds nothing");
            let mut scratch = Scratch::new();
            let mut out = Vec::new();
            group.bench_function(format!("{name}/{text_name}"), |b| {
                b.iter(|| {
                    t.tag_with(text, &mut scratch, &mut out);
                    assert_eq!(out.len(), n);
                })
            });
        }
        for (name, ac) in &ceilings {
            let n = ac.find_iter(text).count();
            assert!(n > 0);
            group.bench_function(format!("{name}/{text_name}"), |b| {
                b.iter(|| assert_eq!(ac.find_iter(text).count(), n))
            });
        }
        let n = world_regex.find_iter(text).count();
        assert!(n > 0);
        group.bench_function(format!("regex-ascii-wb-world-places/{text_name}"), |b| {
            b.iter(|| assert_eq!(world_regex.find_iter(text).count(), n))
        });
        // The floor: one `str::find` pass per term (too slow for 8 MiB).
        if text_name == "gold" {
            let n: usize = terms.iter().map(|t| text.matches(t.as_str()).count()).sum();
            group.bench_function(format!("naive-find/{text_name}"), |b| {
                b.iter(|| {
                    let m: usize = terms.iter().map(|t| text.matches(t.as_str()).count()).sum();
                    assert_eq!(m, n)
                })
            });
        }
    }
    group.finish();
}

fn bench_build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_millis(100));
    for n in [1_000usize, 10_000, 100_000, 1_000_000] {
        let mut g = Gazetteer::new();
        g.add_csv(Path::new("generated.csv"), &generated_gazetteer(n))
            .expect("generated gazetteer");
        assert_eq!(g.entries().len(), n);
        let builder = Tagger::builder();
        let expected = builder.build(&g).expect("tagger").pattern_count();
        assert!(expected >= n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &g, |b, g| {
            b.iter(|| assert_eq!(builder.build(g).expect("tagger").pattern_count(), expected))
        });
    }
    group.finish();
}

fn bench_score(c: &mut Criterion) {
    let mut group = c.benchmark_group("score");
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_millis(100));
    for n in [10_000usize, 100_000, 1_000_000] {
        let (gold, pred) = generated_spans(n);
        let expected = score_document(&gold, &pred);
        let strict = expected.counts(Scheme::Strict).overall();
        assert_eq!(strict.possible(), n as u64);
        assert_eq!(strict.actual(), pred.len() as u64);
        assert!(strict.correct > (n as u64) / 2);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(n),
            &(gold, pred),
            |b, (g, p)| b.iter(|| assert_eq!(score_document(g, p), expected)),
        );
    }
    group.finish();
}

criterion_group!(benches, bench_tag, bench_build, bench_score);
criterion_main!(benches);
