//! `tagbench compare`: variants side by side, with confidence intervals and p-values.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use tagbench::compare::{compare, unit_counts, CompareOptions, System, Unit};
use tagbench::report::compare::render_comparison;
use tagbench::variant::Variant;
use tagbench::{Corpus, Scratch, Tagger};

use crate::args::{CompareArgs, UnitArg};
use crate::cmd::render_options;
use crate::data::open_gold_with_texts;
use crate::output::print;
use crate::Outcome;

pub fn run(a: CompareArgs) -> Result<Outcome> {
    let names = if a.variants.is_empty() {
        let mut n = Variant::names(&a.variants_dir)?;
        // The reference is `default` when there is one.
        if let Some(i) = n.iter().position(|x| x == "default") {
            let d = n.remove(i);
            n.insert(0, d);
        }
        n
    } else {
        a.variants.clone()
    };
    if names.is_empty() {
        anyhow::bail!("{}: no variants to compare", a.variants_dir.display());
    }
    let gold = open_gold_with_texts(&a.gold)?;
    let unit = match a.unit {
        UnitArg::Paragraph => Unit::Paragraph,
        UnitArg::Document => Unit::Document,
    };
    let mut systems = Vec::with_capacity(names.len());
    for n in &names {
        let v = Variant::resolve(n, &a.variants_dir)?;
        let tagger = v.build()?;
        let pred = tagger.tag_corpus(gold.corpus());
        systems.push(System {
            name: v.name.clone(),
            description: v.description.clone(),
            units: unit_counts(gold.corpus(), gold.annotations(), &pred, unit),
            mb_per_s: a.timing.then(|| throughput(&tagger, gold.corpus())),
        });
    }
    let opts = CompareOptions {
        unit,
        resamples: a.resamples,
        shuffles: a.shuffles,
        seed: a.seed,
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = ProgressBar::new(1);
        b.set_style(
            ProgressStyle::with_template("resampling {bar:40} {pos}/{len} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    });
    let comparison = compare(&systems, &opts, |done, total| {
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
    let (format, _) = render_options(&crate::args::OutputArgs {
        format: a.format,
        color: crate::args::ColorArg::Never,
        max_errors: None,
    });
    print(render_comparison(&comparison, format).as_bytes())?;
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
