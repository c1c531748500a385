//! The throughput gate: instruction counts (valgrind's callgrind, through `gungraun`) of the
//! hot paths, which repeat exactly for the same binary and input, so that CI can compare them
//! with a committed baseline on a noisy machine (`.ci/gate`, baseline `benches/gate.baseline`).
//!
//! - `tag_1mib`: tagging 1 MiB of the gold texts (repeated) with `default` and
//!   `world-places`;
//! - `score_100k`: scoring 100k generated spans against their gold;
//! - `build_world_places`: loading the `world-places` gazetteers and building the tagger
//!   (`Variant::build`, what `tagbench tag --variant world-places` does before reading).
//!
//! Setup (building the taggers that tag, generating the text and the spans) runs under
//! callgrind too but is not counted. Run it with `.ci/gate` (compares with the baseline;
//! `.ci/gate --bless` rewrites it), or alone with
//! `cargo bench --bench gate` (needs valgrind and `gungraun-runner` of the same version as
//! the `gungraun` dev-dependency).

mod common;

use std::hint::black_box;

use gungraun::{
    library_benchmark, library_benchmark_group, main, Callgrind, LibraryBenchmarkConfig,
};
use tagbench::score::{score_document, DocScore};
use tagbench::variant::Variant;
use tagbench::{CharSpan, Scratch, Span, Tagger};

use common::{generated_spans, gold_text, repeated, root};

/// A tagger of a variant in `variants/`, and 1 MiB of text.
fn tagger_and_text(variant: &str) -> (Tagger, String) {
    let tagger = Variant::resolve(variant, &root().join("variants"))
        .expect("variant")
        .build()
        .expect("tagger");
    let text = repeated(&gold_text(), 1 << 20);
    // The same spans each time: a tagger that finds nothing would be cheap for a bad reason.
    assert!(
        !tagger.tag(&text[..4096]).is_empty(),
        "{variant} finds nothing"
    );
    (tagger, text)
}

#[library_benchmark]
#[bench::default(tagger_and_text("default"))]
#[bench::world_places(tagger_and_text("world-places"))]
fn tag_1mib(input: (Tagger, String)) -> usize {
    let (tagger, text) = input;
    let mut scratch = Scratch::new();
    let mut out: Vec<Span> = Vec::new();
    tagger.tag_with(black_box(&text), &mut scratch, &mut out);
    black_box(out.len())
}

#[library_benchmark]
#[bench::generated(generated_spans(100_000))]
fn score_100k(input: (Vec<CharSpan>, Vec<CharSpan>)) -> DocScore {
    let (gold, pred) = input;
    black_box(score_document(black_box(&gold), black_box(&pred)))
}

fn world_places() -> Variant {
    Variant::resolve("world-places", &root().join("variants")).expect("variant")
}

#[library_benchmark]
#[bench::world_places(world_places())]
fn build_world_places(variant: Variant) -> usize {
    black_box(variant.build().expect("tagger").pattern_count())
}

library_benchmark_group!(
    name = gate,
    benchmarks = [tag_1mib, score_100k, build_world_places]
);

// Only instructions are compared: the cache simulation (callgrind's default here) would
// double the run time for figures the gate does not use.
main!(
    config = LibraryBenchmarkConfig::default()
        .tool(Callgrind::with_args(["--cache-sim=no"]));
    library_benchmark_groups = gate
);
