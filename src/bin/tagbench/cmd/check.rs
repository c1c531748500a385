//! `tagbench check`: the regression check against the committed baseline.

use anyhow::{bail, Result};
use tagbench::baseline::{diff, Baseline};

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
    let old = Baseline::read(&a.baseline)?;
    let gold = a.gold.open_with_texts()?;
    let new = Baseline::from_variants(&a.variants_dir, &gold)?;
    let report = diff(&old, &new, a.tolerance);
    print(report.render().as_bytes())?;
    Ok(if report.passed() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

fn bless(a: &Check) -> Result<Outcome> {
    // A baseline that cannot be written fails before the minutes of tagging.
    check_target(&a.baseline)?;
    let gold = a.gold.open_with_texts()?;
    let new = Baseline::from_variants(&a.variants_dir, &gold)?;
    // A broken previous baseline is what --bless repairs: say so, and replace it.
    let changes = if a.baseline.exists() {
        match Baseline::read(&a.baseline) {
            Ok(old) => diff(&old, &new, 0.0).render_changes(),
            Err(e) => format!("previous baseline not compared: {e}\n"),
        }
    } else {
        "no previous baseline\n".to_string()
    };
    write_atomic(&a.baseline, new.to_json().as_bytes())?;
    let n = new.variants.len();
    let out = format!(
        "{changes}bless: wrote {} ({n} variant{})\n",
        a.baseline.display(),
        if n == 1 { "" } else { "s" }
    );
    print(out.as_bytes())?;
    Ok(Outcome::Ok)
}
