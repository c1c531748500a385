//! `tagbench compare`: variants side by side, with confidence intervals and p-values.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use tagbench::compare::{compare, unit_counts, System};
use tagbench::report::compare::render_comparison;
use tagbench::variant::Variant;
use tagbench::{Corpus, Scratch, Tagger};

use crate::config::{variant_names, Compare};
use crate::output::print;
use crate::Outcome;

pub fn run(a: Compare) -> Result<Outcome> {
    let names = variant_names(&a.names, &a.variants_dir)?;
    let gold = a.gold.open_with_texts()?;
    let unit = a.options.unit;
    let mut systems = Vec::with_capacity(names.len());
    for n in &names {
        let v = Variant::resolve(n, &a.variants_dir)?;
        let tagger = v.build()?;
        let mut pred = tagger.tag_corpus(gold.corpus());
        gold.labels().conform(&mut pred);
        systems.push(System {
            name: v.name.clone(),
            description: v.description.clone(),
            units: unit_counts(gold.corpus(), gold.annotations(), &pred, unit),
            mb_per_s: a.timing.then(|| throughput(&tagger, gold.corpus())),
        });
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = ProgressBar::new(1);
        b.set_style(
            ProgressStyle::with_template("resampling {bar:40} {pos}/{len} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    });
    let comparison = compare(&systems, gold.labels(), &a.options, |done, total| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            if done % 256 == 0 || done == total {
                b.set_position(done as u64);
            }
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    print(render_comparison(&comparison, a.format).as_bytes())?;
    Ok(Outcome::Ok)
}

/// MB/s (10^6 bytes) tagging the corpus, repeated for at least half a second.
fn throughput(tagger: &Tagger, corpus: &Corpus) -> f64 {
    let mut scratch = Scratch::new();
    let mut out = Vec::new();
    let bytes = corpus.bytes() as f64;
    let start = Instant::now();
    let mut rounds = 0u64;
    while rounds == 0 || start.elapsed() < Duration::from_millis(500) {
        for d in corpus.documents() {
            tagger.tag_with(&d.text, &mut scratch, &mut out);
        }
        rounds += 1;
    }
    bytes * rounds as f64 / start.elapsed().as_secs_f64() / 1e6
}
