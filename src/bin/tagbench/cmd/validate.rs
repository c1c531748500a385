//! `tagbench validate`: the gold, every gazetteer file and every variant against every rule.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use tagbench::variant::Variant;
use tagbench::{Dataset, Gazetteer};

use crate::config::Validate;
use crate::output::print;
use crate::Outcome;

pub fn run(a: Validate) -> Result<Outcome> {
    let mut problems: Vec<String> = Vec::new();
    let mut checked: Vec<String> = Vec::new();
    match a.gold.open() {
        Ok((gold, _)) => {
            problems.extend(gold_consistency(&gold));
            checked.push(format!(
                "gold: {} documents, {} annotations",
                gold.corpus().len(),
                gold.annotations().len()
            ));
        }
        Err(e) => problems.push(e.to_string()),
    }
    let files = gazetteer_files(&a.gazetteer)?;
    let mut all = Gazetteer::new();
    for f in &files {
        match all.add_file(f) {
            Ok(()) => {}
            Err(e) => problems.push(e.to_string()),
        }
    }
    checked.push(format!(
        "gazetteer: {} files, {} terms",
        files.len(),
        all.len()
    ));
    if a.variants_dir.is_dir() {
        let names = Variant::names(&a.variants_dir)?;
        for n in &names {
            if let Err(e) = Variant::resolve(n, &a.variants_dir).and_then(|v| v.build()) {
                problems.push(e.to_string());
            }
        }
        checked.push(format!("variants: {}", names.len()));
    }
    let mut out = String::new();
    for c in &checked {
        out.push_str(&format!("checked {c}\n"));
    }
    for p in &problems {
        out.push_str(&format!("problem: {p}\n"));
    }
    if problems.is_empty() {
        out.push_str("ok: no problems\n");
        print(out.as_bytes())?;
        Ok(Outcome::Ok)
    } else {
        out.push_str(&format!("{} problem(s)\n", problems.len()));
        print(out.as_bytes())?;
        Ok(Outcome::CheckFailed)
    }
}

fn gazetteer_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let rd = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read the gazetteer folder", dir.display()))?;
    let mut files = Vec::new();
    for e in rd {
        let p = e?.path();
        if p.extension().is_some_and(|x| x == "csv") {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        bail!("{}: no .csv files in this folder", dir.display());
    }
    Ok(files)
}

/// A surface string annotated with two labels or two norms (the guidelines allow none in the
/// gold texts).
fn gold_consistency(gold: &Dataset) -> Vec<String> {
    let file = gold
        .source()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut seen: BTreeMap<&str, (&tagbench::Annotation, u64)> = BTreeMap::new();
    let mut out = Vec::new();
    for a in gold.annotations().iter() {
        match seen.get(a.text.as_str()) {
            Some((b, line)) if b.span.label != a.span.label || b.span.norm != a.span.norm => {
                out.push(format!(
                    "{}: line {}: {:?} is {} {:?} here but {} {:?} on line {}",
                    file,
                    a.line,
                    a.text,
                    a.span.label,
                    a.span.norm.to_string(),
                    b.span.label,
                    b.span.norm.to_string(),
                    line
                ));
            }
            Some(_) => {}
            None => {
                seen.insert(&a.text, (a, a.line));
            }
        }
    }
    out
}
