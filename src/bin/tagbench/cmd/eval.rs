//! `tagbench eval`: tag the gold texts with a variant and score them against the gold.

use anyhow::Result;
use tagbench::report;
use tagbench::score::evaluate_sets;

use crate::config::Eval;
use crate::output::print;
use crate::Outcome;

pub fn run(a: Eval) -> Result<Outcome> {
    let tagger = a.variant.tagger()?;
    let gold = a.gold.open_with_texts()?;
    let pred = tagger.tag_corpus(gold.corpus());
    let evaluation = evaluate_sets(Some(gold.corpus()), gold.annotations(), &pred);
    print(report::render(&evaluation, a.render.format, &a.render.options).as_bytes())?;
    Ok(Outcome::Ok)
}
