//! `tagbench compare`: systems side by side, with confidence intervals and p-values.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use tagbench::compare::{self, compare, unit_counts};
use tagbench::report::compare::render_comparison;
use tagbench::score::{buckets, evaluate_sets_with};
use tagbench::{Corpus, Scratch, System, Tagger};

use crate::config::Compare;
use crate::output::print;
use crate::Outcome;

pub fn run(a: Compare) -> Result<Outcome> {
    // Systems first: a misspelt name fails before the gold is read.
    let parsed = a.systems.parse()?;
    let gold = a.gold.open_with_texts()?;
    let unit = a.options.unit;
    let mut systems = Vec::with_capacity(parsed.len());
    for s in &parsed {
        // Built once (a variant's tagger) for the run and the timing.
        let ready = s.prepare()?;
        let pred = a.systems.run_prepared(&ready, &gold)?;
        let bytes = gold.corpus().bytes() as f64;
        // (seconds of one run over the gold, MB/s)
        let (seconds, mb_per_s) = match (s, ready.tagger()) {
            _ if !a.timing => (None, None),
            // A variant's tagging alone, repeated: its run took too little time to measure.
            (_, Some(tagger)) => {
                let mbs = throughput(tagger, gold.corpus());
                (Some(bytes / (mbs * 1e6).max(1e-9)), Some(mbs))
            }
            // A command's whole run, start to exit (its start-up included: what a user waits).
            (System::Command { .. }, None) => {
                let secs = pred.elapsed.as_secs_f64();
                (Some(secs), Some(bytes / secs.max(1e-9) / 1e6))
            }
            // Nothing ran.
            (System::Predictions { .. } | System::Variant(_), None) => (None, None),
        };
        let eval = evaluate_sets_with(
            Some(gold.corpus()),
            gold.annotations(),
            &pred.annotations,
            gold.labels(),
            &a.scoring,
        );
        systems.push(compare::System {
            name: s.name().to_string(),
            description: s.description(),
            units: unit_counts(
                gold.corpus(),
                gold.annotations(),
                &pred.annotations,
                &eval,
                unit,
            ),
            mb_per_s,
            seconds,
            buckets: a
                .by
                .iter()
                .map(|&by| buckets(&eval, gold.annotations(), &pred.annotations, by))
                .collect(),
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
