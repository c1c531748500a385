//! `tagbench report`: one system's evaluation, or two systems' comparison, as one HTML page.

use anyhow::{bail, Result};
use tagbench::report::html::{self, Run};
use tagbench::score::{evaluate_sets, Evaluation};
use tagbench::{AnnotationSet, Dataset, System};

use crate::config::{Report, Systems};
use crate::output::{print, write_atomic};
use crate::Outcome;

/// A system's predictions on the gold and their evaluation.
struct Tagged {
    name: String,
    description: String,
    pred: AnnotationSet,
    eval: Evaluation,
}

impl Tagged {
    fn new(systems: &Systems, system: &System, gold: &Dataset) -> Result<Tagged> {
        let pred = systems.run(system, gold)?.annotations;
        let eval = evaluate_sets(Some(gold.corpus()), gold.annotations(), &pred);
        Ok(Tagged {
            name: system.name().to_string(),
            description: system.description(),
            pred,
            eval,
        })
    }

    fn run(&self) -> Run<'_> {
        Run {
            name: &self.name,
            description: &self.description,
            pred: &self.pred,
            eval: &self.eval,
        }
    }
}

pub fn run(a: Report) -> Result<Outcome> {
    // Systems first: a misspelt name fails before the gold is read.
    let systems = a.systems.parse()?;
    let gold = a.gold.open_with_texts()?;
    let tagged = systems
        .iter()
        .map(|s| Tagged::new(&a.systems, s, &gold))
        .collect::<Result<Vec<_>>>()?;
    let page = match tagged.as_slice() {
        [one] => html::render(&one.run(), gold.corpus())?,
        [x, y] => html::render_comparison(&x.run(), &y.run(), gold.corpus(), gold.annotations())?,
        _ => bail!("--compare takes two systems, not {}", tagged.len()),
    };
    match &a.out {
        Some(p) => write_atomic(p, page.as_bytes())?,
        None => print(page.as_bytes())?,
    }
    Ok(Outcome::Ok)
}
