//! `tagbench score`: predictions from any tool, in any format, against the gold.

use anyhow::{bail, Result};
use tagbench::score::evaluate_sets_with;
use tagbench::Texts;

use crate::config::{gate, Score};
use crate::output::print;
use crate::Outcome;

pub fn run(a: Score) -> Result<Outcome> {
    let (gold, texts) = a.gold.open()?;
    let pred_name = a.pred.path.display().to_string();
    if gold.texts() == Texts::Read {
        // The gold's texts are the texts: read the predictions against them, as any system.
        let mut pred = a.pred.run(&gold, a.ignore_unknown_docs)?.annotations;
        let mut gold = gold;
        let dropped_gold = a.relabel.apply_gold(&mut gold);
        let dropped_pred = a.relabel.apply_pred(&gold, &mut pred);
        a.relabel.say(dropped_gold, dropped_pred);
        let evaluation = evaluate_sets_with(
            Some(gold.corpus()),
            gold.annotations(),
            &pred,
            gold.labels(),
            &a.scoring,
        );
        print(
            a.render
                .evaluation(&evaluation, gold.annotations(), &pred)
                .as_bytes(),
        )?;
        return Ok(gate(&a.fail_under, &evaluation, &pred_name));
    }
    // Predictions refer to the texts given, or else to the gold's own (a CoNLL file is
    // aligned with them, a CSV checked against them); never to a text rebuilt from tokens.
    let gold_texts = (gold.texts() == Texts::Read).then(|| gold.corpus());
    let mut pred = a.pred.open(texts.as_ref().or(gold_texts), gold.labels())?;
    let gold_name = a.gold.path.display().to_string();
    match (gold.texts(), pred.texts()) {
        (Texts::Rebuilt, Texts::Rebuilt) => {}
        (Texts::Rebuilt, _) => bail!(
            "{gold_name}: a conll gold read without --texts has its text rebuilt from the \
             tokens, so its offsets cannot be compared with those of {pred_name}; give the \
             original texts with --texts DIR"
        ),
        (Texts::Missing, Texts::Rebuilt) => bail!(
            "{pred_name}: conll predictions need the texts their tokens come from, and the csv \
             gold has none; give them with --texts DIR"
        ),
        _ => {}
    }
    if let Some(t) = &texts {
        pred.check_same_texts(&pred_name, t, "--texts")?;
    }
    gold.check_same_texts(&gold_name, pred.corpus(), &pred_name)?;
    // A gold CSV without texts takes the predictions' own, checked now.
    let mut gold = match pred.texts() {
        Texts::Read => gold.with_texts(pred.corpus())?,
        Texts::Rebuilt | Texts::Missing => gold,
    };
    let dropped_gold = a.relabel.apply_gold(&mut gold);
    let dropped_pred = a.relabel.apply_read(&mut pred);
    a.relabel.say(dropped_gold, dropped_pred);
    let corpus = (gold.texts() != Texts::Missing).then(|| gold.corpus());
    let evaluation = evaluate_sets_with(
        corpus,
        gold.annotations(),
        pred.annotations(),
        gold.labels(),
        &a.scoring,
    );
    print(
        a.render
            .evaluation(&evaluation, gold.annotations(), pred.annotations())
            .as_bytes(),
    )?;
    Ok(gate(&a.fail_under, &evaluation, &pred_name))
}
