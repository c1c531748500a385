//! `tagbench report`: one variant's evaluation, or two variants' comparison, as one HTML page.

use anyhow::{bail, Result};
use tagbench::report::html::{self, Run};
use tagbench::score::{evaluate_sets, Evaluation};
use tagbench::variant::Variant;
use tagbench::{AnnotationSet, Dataset};

use crate::config::Report;
use crate::output::{print, write_atomic};
use crate::Outcome;

/// A variant's predictions on the gold and their evaluation.
struct Tagged {
    variant: Variant,
    pred: AnnotationSet,
    eval: Evaluation,
}

impl Tagged {
    fn new(variant: Variant, gold: &Dataset) -> Result<Tagged> {
        let pred = variant.build()?.tag_corpus(gold.corpus());
        let eval = evaluate_sets(Some(gold.corpus()), gold.annotations(), &pred);
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

pub fn run(a: Report) -> Result<Outcome> {
    // Variants first: a misspelt name fails before the gold is read.
    let variants = a
        .variants
        .iter()
        .map(|v| v.resolve())
        .collect::<tagbench::Result<Vec<_>>>()?;
    let gold = a.gold.open_with_texts()?;
    let tagged = variants
        .into_iter()
        .map(|v| Tagged::new(v, &gold))
        .collect::<Result<Vec<_>>>()?;
    let page = match tagged.as_slice() {
        [one] => html::render(&one.run(), gold.corpus())?,
        [x, y] => html::render_comparison(&x.run(), &y.run(), gold.corpus(), gold.annotations())?,
        _ => bail!("--compare takes two variants, not {}", tagged.len()),
    };
    match &a.out {
        Some(p) => write_atomic(p, page.as_bytes())?,
        None => print(page.as_bytes())?,
    }
    Ok(Outcome::Ok)
}
