//! Annotated documents in any format: flags to library formats, reading for `score` and
//! `eval`, and writing files and folders atomically.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use tagbench::format::{self, labelstudio::Results, Format, Output, ReadOptions, Written};
use tagbench::{AnnotationSet, Corpus, Gold, LabelSet};

use crate::args::{DataFormatArg, EvalArgs, LsResultsArg};
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
        None => Format::from_path(path).with_context(|| {
            format!(
                "{}: cannot tell the format from the name (.csv, .conll, .bio, .jsonl, .json, \
                 .ann or a folder); give {flag_name}",
                path.display()
            )
        }),
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

/// Mentions read for scoring, with the texts the file carries.
pub struct Loaded {
    /// The mentions.
    pub annotations: AnnotationSet,
    /// The texts, when the format has them (not csv).
    pub corpus: Option<Corpus>,
    /// True for a CoNLL file read without texts: its text was rebuilt from the tokens.
    pub rebuilt: bool,
}

/// Reads `path` in `format` for scoring: a csv file gives mentions only (the caller checks
/// them against the texts); a conll file is aligned with `texts` when given.
pub fn load(
    path: &Path,
    format: Format,
    texts: Option<&Corpus>,
    ls: Results,
    labels: &LabelSet,
) -> Result<Loaded> {
    if format == Format::Csv {
        return Ok(Loaded {
            annotations: AnnotationSet::read(path, labels)?,
            corpus: None,
            rebuilt: false,
        });
    }
    let opts = ReadOptions {
        texts,
        labelstudio: ls,
        labels: Some(labels),
    };
    let (corpus, annotations) = format::read(format, path, &opts)?.into_parts();
    Ok(Loaded {
        annotations,
        corpus: Some(corpus),
        rebuilt: format == Format::Conll && texts.is_none(),
    })
}

/// Fails when a document is in both corpora with different texts: offsets into one would
/// not point at the same words in the other.
pub fn same_texts(a: &Corpus, a_name: &str, b: &Corpus, b_name: &str) -> Result<()> {
    for d in a.documents() {
        let Some(other) = b.get(&d.id) else { continue };
        if other.text != d.text {
            let at = d
                .text
                .chars()
                .zip(other.text.chars())
                .take_while(|(x, y)| x == y)
                .count();
            bail!(
                "document {:?} has different texts in {a_name} and in {b_name} (first \
                 difference at code point {at}), so their offsets cannot be compared",
                d.id
            );
        }
    }
    Ok(())
}

/// The gold for `eval`: a gold folder, or a file (a brat folder) in any format.
pub fn load_gold(a: &EvalArgs) -> Result<Gold> {
    let gold_folder = match a.gold_format {
        Some(DataFormatArg::Csv) => a.gold.is_dir(),
        Some(_) => false,
        // A gold folder, or a missing one (whose error says so).
        None => {
            (a.gold.is_dir() && a.gold.join("annotations.csv").is_file())
                || (!a.gold.exists() && a.gold.extension().is_none())
        }
    };
    if gold_folder {
        if a.texts.is_some() {
            bail!("--texts is for a csv or conll --gold file; a gold folder has its texts/");
        }
        return Ok(Gold::load(&a.gold)?);
    }
    let fmt = resolve(&a.gold, a.gold_format, "--gold-format")?;
    let texts = texts_for(fmt, a.texts.as_deref(), Path::new("gold/texts"), "--texts")?;
    let declared = LabelSet::find(&a.gold)?;
    let opts = ReadOptions {
        texts: texts.as_ref(),
        labelstudio: ls_results(a.gold_ls_results),
        labels: declared.as_ref(),
    };
    let (corpus, annotations) = format::read(fmt, &a.gold, &opts)?.into_parts();
    let gold = Gold::new(corpus, annotations).map_err(|e| e.at_path(&a.gold))?;
    Ok(match declared {
        Some(labels) => gold.declared(labels).map_err(|e| e.at_path(&a.gold))?,
        None => gold,
    })
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
