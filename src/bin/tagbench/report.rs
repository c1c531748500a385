//! `tagbench report`: one variant's evaluation, or two variants' comparison, as one HTML page.

use std::path::Path;

use anyhow::Result;
use tagbench::report::html::{self, Run};
use tagbench::score::{evaluate_sets, Evaluation};
use tagbench::variant::Variant;
use tagbench::{AnnotationSet, Gold};

use crate::args::ReportArgs;
use crate::output::{print, write_atomic};
use crate::Outcome;

/// A variant's predictions on the gold and their evaluation.
struct Tagged {
    variant: Variant,
    pred: AnnotationSet,
    eval: Evaluation,
}

impl Tagged {
    fn new(name: &str, variants_dir: &Path, gold: &Gold) -> Result<Tagged> {
        let variant = Variant::resolve(name, variants_dir)?;
        let pred = variant.build()?.tag_corpus(&gold.corpus);
        let eval = evaluate_sets(Some(&gold.corpus), &gold.annotations, &pred);
        Ok(Tagged {
            variant,
            pred,
            eval,
        })
    }

    fn run(&self) -> Run<'_> {
        Run {
            name: &self.variant.name,
            description: &self.variant.description,
            pred: &self.pred,
            eval: &self.eval,
        }
    }
}

pub fn run(a: ReportArgs) -> Result<Outcome> {
    let dir = &a.variant.variants_dir;
    // Variants first: a misspelt name fails before the gold is read.
    let names: Vec<&str> = match &a.compare {
        Some(pair) => pair.iter().map(String::as_str).collect(),
        None => vec![a.variant.variant.as_str()],
    };
    for n in &names {
        Variant::resolve(n, dir)?;
    }
    let gold = Gold::load(&a.gold)?;
    let tagged = names
        .iter()
        .map(|n| Tagged::new(n, dir, &gold))
        .collect::<Result<Vec<_>>>()?;
    let page = match tagged.as_slice() {
        [one] => html::render(&one.run(), &gold.corpus)?,
        [x, y] => html::render_comparison(&x.run(), &y.run(), &gold.corpus, &gold.annotations)?,
        _ => unreachable!("clap takes one variant or exactly two to compare"),
    };
    match &a.out {
        Some(p) => write_atomic(p, page.as_bytes())?,
        None => print(page.as_bytes())?,
    }
    Ok(Outcome::Ok)
}
