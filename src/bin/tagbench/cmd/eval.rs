//! `tagbench eval`: run a system on the gold texts and score it against the gold.

use anyhow::Result;
use tagbench::score::evaluate_sets_with;

use crate::config::{gate, Eval};
use crate::output::print;
use crate::Outcome;

pub fn run(a: Eval) -> Result<Outcome> {
    // The system first: a misspelt name fails before the gold is read.
    let systems = a.system.parse()?;
    let mut gold = a.gold.open_with_texts()?;
    let mut preds = Vec::with_capacity(systems.len());
    for system in &systems {
        preds.push(a.system.run(system, &gold)?.annotations);
    }
    let dropped_gold = a.relabel.apply_gold(&mut gold);
    let mut dropped_pred = 0;
    for p in &mut preds {
        dropped_pred += a.relabel.apply_pred(&gold, p);
    }
    a.relabel.say(dropped_gold, dropped_pred);
    let mut outcome = Outcome::Ok;
    for (system, pred) in systems.iter().zip(&preds) {
        let evaluation = evaluate_sets_with(
            Some(gold.corpus()),
            gold.annotations(),
            pred,
            gold.labels(),
            &a.scoring,
        );
        print(
            a.render
                .evaluation(&evaluation, gold.annotations(), pred)
                .as_bytes(),
        )?;
        if let Outcome::CheckFailed = gate(&a.fail_under, &evaluation, system.name()) {
            outcome = Outcome::CheckFailed;
        }
    }
    Ok(outcome)
}
