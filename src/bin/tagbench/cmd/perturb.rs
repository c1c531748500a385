//! `tagbench perturb`: perturbed copies of a gold dataset, one sub-folder per perturbation.

use std::path::Path;

use anyhow::{bail, Context, Result};
use tagbench::perturb::{read_swaps, Perturbed, Perturber};
use tagbench::{Dataset, Texts};

use crate::config::{GoldSource, Perturb};
use crate::output::{check_folder_target, print, write_folder};
use crate::Outcome;

/// A gold folder's label declaration, copied as it is when present.
const LABELS_FILE: &str = "labels.toml";

pub fn run(a: Perturb) -> Result<Outcome> {
    let (perturber, gold) = perturber_and_gold(a.seed, a.swaps.as_deref(), &a.gold)?;
    let labels_path = a.gold.path.join(LABELS_FILE);
    let labels = match labels_path.is_file() {
        true => Some(
            std::fs::read(&labels_path)
                .with_context(|| format!("{}: cannot read", labels_path.display()))?,
        ),
        false => None,
    };
    // Everything is computed (and checked as gold) before anything is written.
    let mut all = Vec::with_capacity(a.only.len());
    for &p in &a.only {
        all.push(perturber.run(p, &gold)?);
    }
    check_folder_target(&a.out)?;
    if !a.out.exists() {
        std::fs::create_dir(&a.out)
            .with_context(|| format!("{}: cannot create the folder", a.out.display()))?;
    }
    for p in &all {
        write_dataset(&a.out.join(p.perturbation.as_str()), p, labels.as_deref())?;
    }
    print(table(&all).as_bytes())?;
    Ok(Outcome::Ok)
}

/// Writes one perturbed dataset in the layout of a gold folder, and removes the .txt files of
/// its texts/ folder that are not the dataset's (left by an earlier run on another gold).
/// The perturber (seeded, with the swap list given) and the gold it rewrites, which must
/// have texts of its own: what `perturb` and `stress` both start from.
pub(crate) fn perturber_and_gold(
    seed: u64,
    swaps: Option<&Path>,
    gold: &GoldSource,
) -> Result<(Perturber, Dataset)> {
    let mut perturber = Perturber::new();
    perturber.seed(seed);
    if let Some(path) = swaps {
        perturber.swaps(read_swaps(path)?);
    }
    let (data, _) = gold.open()?;
    if data.texts() != Texts::Read {
        bail!(
            "{}: perturbations rewrite texts, and this gold has none of its own (give --texts \
             DIR, or a format that carries its texts)",
            gold.path.display()
        );
    }
    Ok((perturber, data))
}

fn write_dataset(dir: &Path, p: &Perturbed, labels: Option<&[u8]>) -> Result<()> {
    let mut csv = Vec::new();
    p.gold.annotations().write(&mut csv)?;
    let mut files = vec![("annotations.csv".to_string(), csv)];
    if let Some(l) = labels {
        files.push((LABELS_FILE.to_string(), l.to_vec()));
    }
    write_folder(dir, &files)?;
    let texts = p.gold.text_files()?;
    let texts_dir = dir.join("texts");
    write_folder(&texts_dir, &texts)?;
    for old in tagbench::text_files(&texts_dir)? {
        let keep = old
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| texts.iter().any(|(t, _)| t == n));
        if !keep {
            std::fs::remove_file(&old)
                .with_context(|| format!("{}: cannot remove a stale text", old.display()))?;
        }
    }
    Ok(())
}

/// One row per perturbation: documents and mentions changed, edits applied and skipped.
fn table(all: &[Perturbed]) -> String {
    let width = all
        .iter()
        .map(|p| p.perturbation.as_str().len())
        .max()
        .unwrap_or(0)
        .max("perturbation".len());
    let mut out = format!(
        "{:<width$}  {:>9}  {:>8}  {:>6}  {:>7}\n",
        "perturbation", "documents", "mentions", "edits", "skipped"
    );
    for p in all {
        let s = p.stats;
        out.push_str(&format!(
            "{:<width$}  {:>9}  {:>8}  {:>6}  {:>7}\n",
            p.perturbation.as_str(),
            s.documents,
            s.mentions,
            s.edits,
            s.skipped
        ));
    }
    out
}
