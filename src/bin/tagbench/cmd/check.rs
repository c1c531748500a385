//! `tagbench check`: the regression check of every system against the committed baseline.

use anyhow::{bail, Result};
use tagbench::baseline::{diff, Baseline, Snapshot};
use tagbench::perturb::Perturber;
use tagbench::report::check::{bless_counts, render_bless, render_check};
use tagbench::score::evaluate_sets;
use tagbench::stress::{can_tag, perturb, record_name, StressOptions};
use tagbench::{AnnotationSet, Dataset, Texts};

use crate::config::Check;
use crate::output::{check_target, print, write_atomic};
use crate::Outcome;

pub fn run(a: Check) -> Result<Outcome> {
    if a.bless {
        return bless(&a);
    }
    // Bad input fails before the minutes of tagging.
    if !a.baseline.exists() {
        bail!(
            "{}: no baseline file (create it with `tagbench check --bless`)",
            a.baseline.display()
        );
    }
    let mut old = Baseline::read(&a.baseline)?;
    let new = current(&a)?;
    if a.some {
        // Only the systems picked are compared: the others are not gone.
        old.variants
            .retain(|name, _| new.variants.contains_key(name));
    }
    let report = diff(&old, &new, a.tolerance);
    print(render_check(&report, a.format).as_bytes())?;
    Ok(if report.passed() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

/// Runs every system on the gold, and those that can tag on every perturbed gold asked
/// for, and records the results under their names (`SYSTEM@PERTURBATION` for the latter).
fn current(a: &Check) -> Result<Baseline> {
    // Systems first: a misspelt name fails before the gold is read.
    let systems = a.systems.parse()?;
    let gold: Dataset = a.gold.open_with_texts()?;
    let perturbed = if a.perturbations.is_empty() {
        Vec::new()
    } else {
        if gold.texts() != Texts::Read {
            bail!(
                "{}: perturbations rewrite texts, and this gold has none of its own",
                a.gold.path.display()
            );
        }
        let opts = StressOptions {
            perturbations: a.perturbations.clone(),
            ..StressOptions::default()
        };
        perturb(&gold, &Perturber::new(), &opts)?
    };
    let mut baseline = Baseline::default();
    let mut record = |name: String, description: String, data: &Dataset, pred: &AnnotationSet| {
        let eval = evaluate_sets(Some(data.corpus()), data.annotations(), pred, data.labels());
        baseline
            .variants
            .insert(name, Snapshot::from_evaluation(&description, &eval));
    };
    for s in &systems {
        // Built once (a variant's tagger) for the clean gold and every perturbation.
        let ready = s.prepare()?;
        let pred = a.systems.run_prepared(&ready, &gold)?;
        record(
            s.name().to_string(),
            s.description(),
            &gold,
            &pred.annotations,
        );
        if perturbed.is_empty() {
            continue;
        }
        if !can_tag(s) {
            eprintln!(
                "tagbench: note: {}: predictions cannot tag a perturbed text; checked on the \
                 clean gold only",
                s.name()
            );
            continue;
        }
        for p in &perturbed {
            let pred = ready.run(&p.gold, &a.systems.options)?;
            record(
                record_name(s.name(), p.perturbation),
                format!(
                    "{} (on the gold perturbed by {})",
                    s.description(),
                    p.perturbation
                ),
                &p.gold,
                &pred.annotations,
            );
        }
    }
    Ok(baseline)
}

fn bless(a: &Check) -> Result<Outcome> {
    // A baseline that cannot be written fails before the minutes of tagging.
    check_target(&a.baseline)?;
    let mut new = current(a)?;
    // A broken previous baseline is what --bless repairs: say so, and replace it.
    let (changes, counts) = if a.baseline.exists() {
        match Baseline::read(&a.baseline) {
            Ok(mut old) => {
                if a.some {
                    // The systems not picked keep their recorded results.
                    for (name, snap) in &old.variants {
                        new.variants
                            .entry(name.clone())
                            .or_insert_with(|| snap.clone());
                    }
                    old.variants
                        .retain(|name, _| new.variants.contains_key(name));
                }
                let d = diff(&old, &new, 0.0);
                (render_bless(&d), format!(": {}", bless_counts(&d)))
            }
            Err(e) => (
                format!("previous baseline not compared: {e}\n"),
                String::new(),
            ),
        }
    } else {
        ("no previous baseline\n".to_string(), String::new())
    };
    write_atomic(&a.baseline, new.to_json().as_bytes())?;
    let n = new.variants.len();
    let out = format!(
        "{changes}bless: wrote {} ({n} system{}{counts})\n",
        a.baseline.display(),
        if n == 1 { "" } else { "s" }
    );
    print(out.as_bytes())?;
    Ok(Outcome::Ok)
}
