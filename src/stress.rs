//! Stress tests: how much a system loses when the text changes the way real text does.
//!
//! A system runs on the clean gold and on perturbed copies of it ([`crate::perturb`]); for
//! each perturbation [`stress`] reports the strict F1 on the perturbed gold and its change
//! from the clean gold, with a **paired** 95% bootstrap interval of that change, and the gold
//! mentions it found on the clean text and lost on the perturbed one.
//!
//! **Paired.** A perturbation keeps the documents (their ids) and the mentions (their order
//! and count); only texts, offsets and, for name swaps, surfaces change. Each resampling unit
//! is measured twice, clean and perturbed, and each bootstrap resample draws units once and
//! sums both sides over the same draw ([`bootstrap_f1_difference`]), so the interval is that
//! of the change, not of two independent F1s. The units are paragraphs (blank-line
//! separated, as in `compare`) or documents; when a perturbation changes the number of
//! paragraphs of a document (none of the built-in ones does), that document is one unit on
//! both sides. The same resampling seed draws the same units for every system and
//! perturbation. A change whose interval excludes 0 is marked significant.
//!
//! **Lost mentions.** Mention `i` of a perturbed document is the perturbed form of mention `i`
//! of the clean one. A mention is *lost* when the system's prediction for it is strictly
//! correct (same boundaries and label) on the clean text and not on the perturbed one, and
//! *gained* the other way round. The first [`StressOptions::examples`] lost mentions of
//! different surfaces (in document and offset order) are kept with what the system predicted
//! instead.
//!
//! **Systems.** Variants and commands tag the perturbed texts; a predictions file was made
//! on the clean texts and cannot be scored against a text it has never seen, so it is
//! refused ([`check_system`]).
//!
//! Compute once, render many: [`Stress`] is plain data, rendered by
//! [`crate::report::stress`] (table, JSON, CSV, markdown) and
//! [`crate::report::html::render_stress`].

use std::ops::Range;

use serde::Serialize;

use crate::annotations::Annotation;
use crate::annotations::AnnotationSet;
use crate::compare::{counts_in_ranges, paragraphs, whole_text, Unit};
use crate::error::{Error, Result};
use crate::gold::Dataset;
use crate::perturb::{Perturbation, Perturbed};
use crate::score::bootstrap::bootstrap_f1_difference;
use crate::score::{evaluate_sets, Counts, ErrorKind, Evaluation, Mention, Scheme, Verdict};
use crate::system::{System, SystemOptions};

/// The knobs of a stress run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StressOptions {
    /// The perturbations, in the order of [`Perturbation::ALL`] (default: all of them).
    pub perturbations: Vec<Perturbation>,
    /// The seed of the perturbations (typos, name swaps), as `perturb --seed` (default 0).
    pub seed: u64,
    /// The resampling unit (default: paragraphs).
    pub unit: Unit,
    /// Bootstrap resamples (default 1,000).
    pub resamples: usize,
    /// The seed of the resampling (default 42, as `compare`'s).
    pub resample_seed: u64,
    /// How many lost mentions are kept as examples per system and perturbation (default 3).
    pub examples: usize,
}

impl Default for StressOptions {
    fn default() -> StressOptions {
        StressOptions {
            perturbations: Perturbation::ALL.to_vec(),
            seed: 0,
            unit: Unit::Paragraph,
            resamples: 1000,
            resample_seed: 42,
            examples: 3,
        }
    }
}

/// Strict counts and scores, overall.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct StrictScore {
    /// Gold mentions paired with a prediction of the same boundaries and label.
    pub correct: u64,
    /// Pairs with other boundaries or another label.
    pub incorrect: u64,
    /// Gold mentions without a prediction.
    pub missed: u64,
    /// Predictions without a gold mention.
    pub spurious: u64,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl From<Counts> for StrictScore {
    fn from(c: Counts) -> StrictScore {
        StrictScore {
            correct: c.correct,
            incorrect: c.incorrect,
            missed: c.missed,
            spurious: c.spurious,
            precision: c.precision(),
            recall: c.recall(),
            f1: c.f1(),
        }
    }
}

/// A gold mention found on the clean text and lost on the perturbed one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lost {
    /// The document.
    pub doc: String,
    /// The gold mention in the clean text (found there).
    pub clean: Mention,
    /// The same gold mention in the perturbed text.
    pub perturbed: Mention,
    /// How it is wrong now: missed, wrong label, wrong boundary, or both.
    pub kind: ErrorKind,
    /// The prediction paired with it on the perturbed text, if any.
    pub predicted: Option<Mention>,
}

/// One system on one perturbation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cell {
    /// The perturbation.
    pub perturbation: Perturbation,
    /// Strict scores on the perturbed gold.
    pub score: StrictScore,
    /// Strict F1 on the perturbed gold minus strict F1 on the clean gold.
    pub delta: f64,
    /// Lower bound of the paired 95% bootstrap interval of `delta`.
    pub delta_lo: f64,
    /// Upper bound of the paired 95% bootstrap interval of `delta`.
    pub delta_hi: f64,
    /// The number of paired resampling units.
    pub units: usize,
    /// Gold mentions strictly correct on the clean text and not on the perturbed one.
    pub lost: usize,
    /// Gold mentions strictly correct on the perturbed text and not on the clean one.
    pub gained: usize,
    /// The first lost mentions, one per clean surface text, in document and offset order.
    pub examples: Vec<Lost>,
}

impl Cell {
    /// True when the interval of the change excludes 0.
    pub fn significant(&self) -> bool {
        self.delta_lo > 0.0 || self.delta_hi < 0.0
    }
}

/// One system on the clean gold and on every perturbation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SystemStress {
    /// The system's name.
    pub name: String,
    /// One line about it.
    pub description: String,
    /// Strict scores on the clean gold.
    pub clean: StrictScore,
    /// One cell per perturbation, in the options' order.
    pub cells: Vec<Cell>,
}

/// What a perturbation did to the gold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PerturbationInfo {
    /// The perturbation.
    pub perturbation: Perturbation,
    /// What it does, with an example.
    pub description: &'static str,
    /// Documents whose text changed.
    pub documents: usize,
    /// Mentions whose text or norm changed.
    pub mentions: usize,
    /// Edits applied.
    pub edits: usize,
    /// Edits not applied (see [`crate::perturb::Stats::skipped`]).
    pub skipped: usize,
}

/// A finished stress run: compute once, render many.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stress {
    /// The options it was computed with.
    pub options: StressOptions,
    /// Every perturbation and what it changed, in the options' order.
    pub perturbations: Vec<PerturbationInfo>,
    /// One entry per system, in the order given.
    pub systems: Vec<SystemStress>,
}

/// Refuses a system that cannot tag a perturbed text: a predictions file or folder.
pub fn check_system(system: &System) -> Result<()> {
    match system {
        System::Predictions { name, path } => Err(Error::invalid(format!(
            "system {name:?} is predictions read from {}: they were made on the clean texts \
             and cannot tag a perturbed one; stress takes a variant (a name or a .toml file) \
             or an external tagger (cmd:COMMAND)",
            path.display()
        ))),
        System::Variant(_) | System::Command { .. } => Ok(()),
    }
}

/// The name under which `check` records a system's results on a perturbed gold:
/// `SYSTEM@PERTURBATION` (`default@name-newline`). `@` is not allowed in system names, so it
/// cannot collide with one.
pub fn record_name(system: &str, p: Perturbation) -> String {
    format!("{system}@{p}")
}

/// Whether a system can run on a perturbed text (see [`check_system`]).
pub fn can_tag(system: &System) -> bool {
    check_system(system).is_ok()
}

/// The perturbed copies of `gold` that `opts` names, with what each changed.
pub fn perturb(
    gold: &Dataset,
    perturber: &crate::perturb::Perturber,
    opts: &StressOptions,
) -> Result<Vec<Perturbed>> {
    opts.perturbations
        .iter()
        .map(|&p| perturber.run(p, gold))
        .collect()
}

/// Runs `system` on the clean gold and on every perturbed copy (as [`perturb`] made them from
/// it, in the options' order) and measures what it loses.
pub fn measure(
    system: &System,
    gold: &Dataset,
    perturbed: &[Perturbed],
    sys_opts: &SystemOptions,
    opts: &StressOptions,
) -> Result<SystemStress> {
    check_system(system)?;
    let mut golds: Vec<&Dataset> = vec![gold];
    golds.extend(perturbed.iter().map(|p| &p.gold));
    let preds = system.run_each(&golds, sys_opts)?;
    let clean_pred = &preds[0].annotations;
    let clean_eval = evaluate(gold, clean_pred);
    let clean_outcomes = outcomes(gold, clean_pred, &clean_eval);
    let clean_total = clean_eval.overall(Scheme::Strict);
    let mut cells = Vec::with_capacity(perturbed.len());
    for (p, pred) in perturbed.iter().zip(&preds[1..]) {
        let name = p.perturbation;
        check_paired(gold, &p.gold).map_err(|e| Error::invalid(format!("{name}: {e}")))?;
        let (clean_ranges, pert_ranges) = paired_ranges(gold, &p.gold, opts.unit);
        let eval = evaluate(&p.gold, &pred.annotations);
        let a = strict_units(gold, clean_pred, &clean_eval, &clean_ranges);
        let b = strict_units(&p.gold, &pred.annotations, &eval, &pert_ranges);
        let total = eval.overall(Scheme::Strict);
        let ci = bootstrap_f1_difference(&a, &b, opts.resamples, opts.resample_seed);
        let pert_outcomes = outcomes(&p.gold, &pred.annotations, &eval);
        let (mut lost, mut gained, mut examples) = (0, 0, Vec::new());
        for ((d, g), (pd, pg)) in gold.iter().zip(p.gold.iter()) {
            let (co, po) = (&clean_outcomes[&d.id], &pert_outcomes[&pd.id]);
            for i in 0..g.len() {
                match (&co[i], &po[i]) {
                    (Fate::Correct, Fate::Correct) => {}
                    (Fate::Correct, Fate::Wrong(kind, predicted)) => {
                        lost += 1;
                        let seen = examples.iter().any(|l: &Lost| l.clean.text == g[i].text);
                        if examples.len() < opts.examples && !seen {
                            examples.push(Lost {
                                doc: d.id.clone(),
                                clean: mention(&g[i]),
                                perturbed: mention(&pg[i]),
                                kind: *kind,
                                predicted: predicted.clone(),
                            });
                        }
                    }
                    (Fate::Wrong(..), Fate::Correct) => gained += 1,
                    (Fate::Wrong(..), Fate::Wrong(..)) => {}
                }
            }
        }
        cells.push(Cell {
            perturbation: name,
            score: total.into(),
            delta: total.f1() - clean_total.f1(),
            delta_lo: ci.lo,
            delta_hi: ci.hi,
            units: a.len(),
            lost,
            gained,
            examples,
        });
    }
    Ok(SystemStress {
        name: system.name().to_string(),
        description: system.description(),
        clean: clean_total.into(),
        cells,
    })
}

/// Every system on every perturbation of `gold`: [`perturb`], then [`measure`] for each
/// system. `progress(system)` is called before each system runs.
pub fn stress(
    gold: &Dataset,
    perturber: &crate::perturb::Perturber,
    systems: &[System],
    sys_opts: &SystemOptions,
    opts: &StressOptions,
    mut progress: impl FnMut(&System),
) -> Result<Stress> {
    for s in systems {
        check_system(s)?;
    }
    let perturbed = perturb(gold, perturber, opts)?;
    let mut out = Vec::with_capacity(systems.len());
    for s in systems {
        progress(s);
        out.push(measure(s, gold, &perturbed, sys_opts, opts)?);
    }
    Ok(Stress {
        options: opts.clone(),
        perturbations: infos(&perturbed),
        systems: out,
    })
}

/// What each perturbation changed.
pub fn infos(perturbed: &[Perturbed]) -> Vec<PerturbationInfo> {
    perturbed
        .iter()
        .map(|p| PerturbationInfo {
            perturbation: p.perturbation,
            description: p.perturbation.describe(),
            documents: p.stats.documents,
            mentions: p.stats.mentions,
            edits: p.stats.edits,
            skipped: p.stats.skipped,
        })
        .collect()
}

/// The same documents in the same order, each with as many mentions of the same labels: what
/// pairing the clean and the perturbed gold needs. Anything else would pair the wrong things.
fn check_paired(clean: &Dataset, perturbed: &Dataset) -> Result<()> {
    let (a, b) = (clean.corpus().documents(), perturbed.corpus().documents());
    if a.len() != b.len() {
        return Err(Error::invalid(format!(
            "the perturbed gold has {} documents, the gold {}",
            b.len(),
            a.len()
        )));
    }
    for ((d, g), (pd, pg)) in clean.iter().zip(perturbed.iter()) {
        if d.id != pd.id {
            return Err(Error::invalid(format!(
                "document {:?} of the perturbed gold is {:?} in the gold",
                pd.id, d.id
            )));
        }
        let labels = |m: &[Annotation]| m.iter().map(|a| a.span.label).collect::<Vec<_>>();
        if labels(g) != labels(pg) {
            return Err(Error::invalid(format!(
                "document {:?}: the perturbed gold's mentions ({}) are not the gold's ({}) in \
                 the same order",
                d.id,
                pg.len(),
                g.len()
            )));
        }
    }
    Ok(())
}

/// Each document's units: code-point ranges of its text (see [`counts_in_ranges`]).
type Units = Vec<Vec<Range<usize>>>;

/// The units of each document on both sides: paragraphs when both texts have as many,
/// else (or by choice) the whole document.
fn paired_ranges(clean: &Dataset, perturbed: &Dataset, unit: Unit) -> (Units, Units) {
    let mut a = Vec::with_capacity(clean.corpus().len());
    let mut b = Vec::with_capacity(clean.corpus().len());
    for (d, pd) in clean
        .corpus()
        .documents()
        .iter()
        .zip(perturbed.corpus().documents())
    {
        let (x, y) = match unit {
            Unit::Document => (whole_text(), whole_text()),
            Unit::Paragraph => {
                let (x, y) = (paragraphs(&d.text), paragraphs(&pd.text));
                if x.len() == y.len() {
                    (x, y)
                } else {
                    (whole_text(), whole_text())
                }
            }
        };
        a.push(x);
        b.push(y);
    }
    (a, b)
}

/// The evaluation of a system's predictions on a dataset: made once, read by the units,
/// the totals and the lost mentions.
fn evaluate(gold: &Dataset, pred: &AnnotationSet) -> Evaluation {
    evaluate_sets(Some(gold.corpus()), gold.annotations(), pred, gold.labels())
}

/// Strict overall counts per unit, read from the evaluation's outcomes.
fn strict_units(
    gold: &Dataset,
    pred: &AnnotationSet,
    eval: &Evaluation,
    ranges: &[Vec<Range<usize>>],
) -> Vec<Counts> {
    counts_in_ranges(gold.corpus(), gold.annotations(), pred, eval, ranges)
        .iter()
        .map(|t| t[Scheme::Strict].overall())
        .collect()
}

/// What became of one gold mention under the strict scheme.
enum Fate {
    Correct,
    Wrong(ErrorKind, Option<Mention>),
}

/// Each gold mention's strict fate, per document, in the gold's mention order, read from
/// the evaluation's outcomes.
fn outcomes(
    gold: &Dataset,
    pred: &AnnotationSet,
    eval: &Evaluation,
) -> std::collections::HashMap<String, Vec<Fate>> {
    let mut out = std::collections::HashMap::new();
    for d in &eval.documents {
        let (g, p) = (gold.annotations().get(&d.id), pred.get(&d.id));
        let mut fates: Vec<Fate> = (0..g.len())
            .map(|_| Fate::Wrong(ErrorKind::Missed, None))
            .collect();
        for o in &d.outcomes {
            let Some((i, _)) = o.gold else { continue };
            if i >= fates.len() {
                continue;
            }
            fates[i] = if o.verdict(Scheme::Strict) == Verdict::Correct {
                Fate::Correct
            } else {
                let predicted = o.pred.and_then(|(j, _)| p.get(j)).map(mention);
                Fate::Wrong(o.error.unwrap_or(ErrorKind::Missed), predicted)
            };
        }
        out.insert(d.id.clone(), fates);
    }
    out
}

fn mention(a: &Annotation) -> Mention {
    Mention {
        start: a.span.start,
        end: a.span.end,
        label: a.span.label,
        text: a.text.clone(),
        norm: a.span.norm.to_string(),
    }
}

#[cfg(test)]
mod tests;
