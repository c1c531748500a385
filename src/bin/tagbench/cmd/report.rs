//! `tagbench report`: one system's evaluation, or two systems' comparison, as one HTML page.

use anyhow::{bail, Result};
use tagbench::compare::{difference, unit_counts};
use tagbench::report::html::{self, Run};
use tagbench::score::{buckets, evaluate_sets_with, Buckets, Evaluation};
use tagbench::AnnotationSet;

use crate::config::Report;
use crate::output::{print, write_atomic};
use crate::Outcome;

/// A system's predictions on the gold and their evaluation.
struct Tagged {
    name: String,
    description: String,
    pred: AnnotationSet,
    eval: Evaluation,
    buckets: Vec<Buckets>,
}

impl Tagged {
    fn run(&self) -> Run<'_> {
        Run {
            name: &self.name,
            description: &self.description,
            pred: &self.pred,
            eval: &self.eval,
            buckets: &self.buckets,
        }
    }
}

pub fn run(a: Report) -> Result<Outcome> {
    // Systems first: a misspelt name fails before the gold is read.
    let systems = a.systems.parse()?;
    let mut gold = a.gold.open_with_texts()?;
    // Every system runs on the gold as read (its norms take the kinds of the gold's labels);
    // then labels are renamed and selected on both sides alike.
    let mut preds = Vec::with_capacity(systems.len());
    for s in &systems {
        preds.push(a.systems.run(s, &gold)?.annotations);
    }
    let dropped_gold = a.relabel.apply_gold(&mut gold);
    let mut dropped_pred = 0;
    let mut tagged = Vec::with_capacity(systems.len());
    for (s, mut pred) in systems.iter().zip(preds) {
        dropped_pred += a.relabel.apply_pred(&gold, &mut pred);
        let eval = evaluate_sets_with(
            Some(gold.corpus()),
            gold.annotations(),
            &pred,
            gold.labels(),
            &a.scoring,
        );
        let buckets =
            a.by.iter()
                .map(|&by| buckets(&eval, gold.annotations(), &pred, by))
                .collect();
        tagged.push(Tagged {
            name: s.name().to_string(),
            description: s.description(),
            pred,
            eval,
            buckets,
        });
    }
    a.relabel.say(dropped_gold, dropped_pred);
    let page = match tagged.as_slice() {
        [one] => html::render(&one.run(), gold.corpus())?,
        [x, y] => {
            // ΔF1's interval and p-value, as `compare` computes them.
            let opts = &a.options;
            let units = |t: &Tagged| {
                unit_counts(
                    gold.corpus(),
                    gold.annotations(),
                    &t.pred,
                    &t.eval,
                    opts.unit,
                )
            };
            let d = difference(&units(x), &units(y), opts);
            html::render_comparison(
                &x.run(),
                &y.run(),
                gold.corpus(),
                gold.annotations(),
                Some(&d),
            )?
        }
        _ => bail!("--compare takes two systems, not {}", tagged.len()),
    };
    match &a.out {
        Some(p) => write_atomic(p, page.as_bytes())?,
        None => print(page.as_bytes())?,
    }
    Ok(Outcome::Ok)
}
