//! `tagbench stress`: systems on the gold and on perturbed copies of it.

use anyhow::Result;
use tagbench::report::html::render_stress as render_html;
use tagbench::report::stress::render_stress;
use tagbench::stress::{check_system, stress};

use crate::config;
use crate::output::{print, write_atomic};
use crate::Outcome;

pub fn run(a: config::Stress) -> Result<Outcome> {
    // Systems first: a misspelt name or a predictions file fails before the gold is read.
    let systems = a.systems.parse()?;
    for s in &systems {
        check_system(s)?;
    }
    let (perturber, gold) =
        super::perturb::perturber_and_gold(a.options.seed, a.swaps.as_deref(), &a.gold)?;
    let stress = stress(
        &gold,
        &perturber,
        &systems,
        &a.systems.options,
        &a.options,
        |_| {},
    )?;
    // Everything is computed before anything is written.
    let text = render_stress(&stress, a.format);
    if let Some(path) = &a.html {
        write_atomic(path, render_html(&stress).as_bytes())?;
    }
    print(text.as_bytes())?;
    Ok(Outcome::Ok)
}
