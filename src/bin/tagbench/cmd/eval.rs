//! `tagbench eval`: tag the gold texts with a variant and score them against the gold.

use anyhow::Result;
use tagbench::report;
use tagbench::score::evaluate_sets;

use crate::config::Eval;
use crate::output::print;
use crate::Outcome;

pub fn run(a: Eval) -> Result<Outcome> {
    let tagger = a.variant.tagger()?;
    let mut gold = a.gold.open_with_texts()?;
    let mut pred = tagger.tag_corpus(gold.corpus());
    // The tagger's norms take the kinds the gold's labels declare, before any renaming.
    gold.labels().conform(&mut pred);
    let dropped_gold = a.relabel.apply_gold(&mut gold);
    let dropped_pred = a.relabel.apply_pred(&gold, &mut pred);
    a.relabel.say(dropped_gold, dropped_pred);
    let evaluation = evaluate_sets(
        Some(gold.corpus()),
        gold.annotations(),
        &pred,
        gold.labels(),
    );
    print(report::render(&evaluation, a.render.format, &a.render.options).as_bytes())?;
    Ok(Outcome::Ok)
}
