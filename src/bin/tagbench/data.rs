//! Annotated documents in any format: flags to library formats, reading for `score` and
//! `eval`, and writing files and folders atomically.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use tagbench::format::{labelstudio::Results, Format, Output, Written};
use tagbench::{Corpus, Dataset, OpenOptions, Texts};

use crate::args::{DataFormatArg, GoldArgs, LsResultsArg};
use crate::output::{write_all_atomic, write_atomic};

/// The library's format for a flag value.
pub fn format_of(a: DataFormatArg) -> Format {
    match a {
        DataFormatArg::Csv => Format::Csv,
        DataFormatArg::Brat => Format::Brat,
        DataFormatArg::Conll => Format::Conll,
        DataFormatArg::Jsonl => Format::Jsonl,
        DataFormatArg::Doccano => Format::Doccano,
        DataFormatArg::Labelstudio => Format::LabelStudio,
    }
}

/// The library's Label Studio choice for a flag value.
pub fn ls_results(a: LsResultsArg) -> Results {
    match a {
        LsResultsArg::Annotations => Results::Annotations,
        LsResultsArg::Predictions => Results::Predictions,
    }
}

/// The format named by `flag`, or else told by the path.
pub fn resolve(path: &Path, flag: Option<DataFormatArg>, flag_name: &str) -> Result<Format> {
    match flag {
        Some(f) => Ok(format_of(f)),
        None => Format::detect(path).map_err(|e| hint(e, flag_name)),
    }
}

/// The texts to read a file of `format` with: required for csv (`default` when not given),
/// optional for conll, refused for formats that carry their texts.
pub fn texts_for(
    format: Format,
    texts: Option<&Path>,
    default: &Path,
    flag: &str,
) -> Result<Option<Corpus>> {
    match (format, texts) {
        (Format::Csv, t) => Ok(Some(Corpus::read_dir(t.unwrap_or(default))?)),
        (Format::Conll, Some(t)) => Ok(Some(Corpus::read_dir(t)?)),
        (Format::Conll, None) => Ok(None),
        (_, Some(_)) => {
            bail!("{flag} is for csv and conll input; {format} files carry their texts")
        }
        (_, None) => Ok(None),
    }
}

/// The gold of any command, read one way (`Dataset::open`, as gold), and the `--texts` it
/// was read with. A gold that carries its own texts must have the same ones as `--texts`.
pub fn open_gold(a: &GoldArgs) -> Result<(Dataset, Option<Corpus>)> {
    let texts = a.texts.as_deref().map(Corpus::read_dir).transpose()?;
    let gold = Dataset::open(
        &a.gold,
        OpenOptions::new()
            .format(a.gold_format.map(format_of))
            .texts(texts.as_ref())
            .labelstudio(ls_results(a.gold_ls_results))
            .gold(true),
    )
    .map_err(|e| hint(e, "--gold-format"))?;
    if let Some(t) = &texts {
        gold.check_same_texts(&a.gold.display().to_string(), t, "--texts")?;
    }
    Ok((gold, texts))
}

/// The gold for a command that tags its texts: an annotations CSV without texts will not do.
pub fn open_gold_with_texts(a: &GoldArgs) -> Result<Dataset> {
    let (gold, _) = open_gold(a)?;
    if gold.texts() == Texts::Missing {
        bail!(
            "{}: an annotations CSV needs its texts (a folder of <doc>.txt files): give \
             --texts DIR, or put them in a texts/ folder beside it",
            a.gold.display()
        );
    }
    Ok(gold)
}

/// The library's error, with the flag that names the format when the path's name does not
/// tell it.
pub fn hint(e: tagbench::Error, flag: &str) -> anyhow::Error {
    match e.kind() {
        tagbench::ErrorKind::UnknownFormat => anyhow::anyhow!("{e}; give {flag}"),
        _ => e.into(),
    }
}

/// Writes what a writer produced: a file atomically, or each file of a folder atomically
/// (the folder is created when missing; other files in it are left alone).
pub fn write_output(path: &Path, format: Format, written: &Written) -> Result<()> {
    match &written.output {
        Output::File(bytes) => {
            if path.is_dir() {
                bail!(
                    "{}: is a folder, and {format} output is a file",
                    path.display()
                );
            }
            write_atomic(path, bytes)
        }
        Output::Folder(files) => write_folder(path, files),
    }
}

/// Writes files into a folder, creating it (not its parents) when missing. Every file is
/// written through a temporary file and renamed only when all of them are written; a folder
/// created here is removed again when writing fails.
pub fn write_folder(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    check_folder_target(dir)?;
    let created = !dir.exists();
    if created {
        std::fs::create_dir(dir)
            .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    }
    let targets: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|(name, bytes)| (dir.join(name), bytes.as_slice()))
        .collect();
    let result = write_all_atomic(&targets);
    if result.is_err() && created {
        let _ = std::fs::remove_dir(dir);
    }
    result
}

/// Fails, saying why, when `dir` is neither a folder nor a folder that can be created in an
/// existing one.
pub fn check_folder_target(dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{}: is a file, and the output is a folder", dir.display());
        }
        return Ok(());
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        bail!(
            "{}: cannot create the folder: {} {}",
            dir.display(),
            parent.display(),
            if parent.exists() {
                "is a file, not a folder"
            } else {
                "does not exist"
            }
        );
    }
    Ok(())
}
