//! `tagbench report`: one variant's evaluation, or two variants' comparison, as one HTML page.

use anyhow::{bail, Result};
use tagbench::report::html::{self, Run};
use tagbench::score::{evaluate_sets, Evaluation};
use tagbench::variant::Variant;
use tagbench::{AnnotationSet, Dataset, LabelSet};

use crate::config::{Relabel, Report};
use crate::output::{print, write_atomic};
use crate::Outcome;

/// A variant's predictions on the gold and their evaluation.
struct Tagged {
    variant: Variant,
    pred: AnnotationSet,
    eval: Evaluation,
}

impl Tagged {
    /// Tags the gold's texts and renames and selects labels as `relabel` did with the gold;
    /// `labels` are the gold's labels as read, before that. Also returns how many predicted
    /// mentions were dropped.
    fn new(
        variant: Variant,
        gold: &Dataset,
        labels: &LabelSet,
        relabel: &Relabel,
    ) -> Result<(Tagged, usize)> {
        let mut pred = variant.build()?.tag_corpus(gold.corpus());
        labels.conform(&mut pred);
        let dropped = relabel.apply_pred(gold, &mut pred);
        let eval = evaluate_sets(
            Some(gold.corpus()),
            gold.annotations(),
            &pred,
            gold.labels(),
        );
        let tagged = Tagged {
            variant,
            pred,
            eval,
        };
        Ok((tagged, dropped))
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
    let mut gold = a.gold.open_with_texts()?;
    let labels = gold.labels().clone();
    let dropped_gold = a.relabel.apply_gold(&mut gold);
    let mut dropped_pred = 0;
    let mut tagged = Vec::with_capacity(variants.len());
    for v in variants {
        let (t, dropped) = Tagged::new(v, &gold, &labels, &a.relabel)?;
        dropped_pred += dropped;
        tagged.push(t);
    }
    a.relabel.say(dropped_gold, dropped_pred);
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
