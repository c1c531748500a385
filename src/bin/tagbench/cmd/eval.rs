//! `tagbench eval`: run a system on the gold texts and score it against the gold.

use anyhow::Result;
use tagbench::report;
use tagbench::score::evaluate_sets;

use crate::config::{gate, Eval};
use crate::output::print;
use crate::Outcome;

pub fn run(a: Eval) -> Result<Outcome> {
    // The system first: a misspelt name fails before the gold is read.
    let systems = a.system.parse()?;
    let gold = a.gold.open_with_texts()?;
    let mut outcome = Outcome::Ok;
    for system in &systems {
        let pred = a.system.run(system, &gold)?;
        let evaluation = evaluate_sets(Some(gold.corpus()), gold.annotations(), &pred.annotations);
        print(report::render(&evaluation, a.render.format, &a.render.options).as_bytes())?;
        if let Outcome::CheckFailed = gate(&a.fail_under, &evaluation, system.name()) {
            outcome = Outcome::CheckFailed;
        }
    }
    Ok(outcome)
}
