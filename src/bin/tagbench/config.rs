//! Flags to library objects, in one place (as ripgrep's `HiArgs`): [`build`] turns what clap
//! parsed ([`crate::args`]) into one typed configuration per command, holding library values
//! (formats, options, paths to open) and checking what flags alone can tell. Commands
//! ([`crate::cmd`]) take these and never see a flag.
//!
//! Reading files is left to the commands, in the order that makes a bad input fail before
//! slow work (a misspelt variant before the gold is read, a missing baseline before tagging).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};
use tagbench::compare::{CompareOptions, Unit};
use tagbench::format::conll::{self, Chunking, TagScheme};
use tagbench::format::{labelstudio::Results, Format};
use tagbench::perturb::Perturbation;
use tagbench::report::{self, RenderOptions};
use tagbench::variant::Variant;
use tagbench::{
    parse_label_list, AnnotationSet, Corpus, Dataset, ErrorKind, Label, LabelMap, LabelSet,
    OpenOptions, Tagger, Texts,
};

use crate::args::{
    ChunkingArg, ColorArg, Command, CompareArgs, ConllArgs, DataFormatArg, FormatArg, GoldArgs,
    LabelArgs, LsResultsArg, OutputArgs, TagSchemeArg, UnitArg, VariantArgs, DEFAULT_VARIANT,
};

/// One command, configured.
pub enum Config {
    Tag(Tag),
    Eval(Eval),
    Score(Score),
    Validate(Validate),
    Compare(Compare),
    Check(Check),
    Report(Report),
    Convert(Convert),
    Perturb(Perturb),
}

/// `tag`.
pub struct Tag {
    pub variant: VariantChoice,
    pub out: Option<PathBuf>,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    pub batch_bytes: usize,
    pub stats: bool,
    pub paths: Vec<PathBuf>,
}

/// `eval`.
pub struct Eval {
    pub variant: VariantChoice,
    pub gold: GoldSource,
    pub relabel: Relabel,
    pub render: Render,
}

/// `score`.
pub struct Score {
    pub gold: GoldSource,
    pub pred: PredSource,
    pub relabel: Relabel,
    pub render: Render,
}

/// `validate`.
pub struct Validate {
    pub gold: GoldSource,
    pub gazetteer: PathBuf,
    pub variants_dir: PathBuf,
}

/// `compare`.
pub struct Compare {
    /// Variant names or paths; empty for every variant of `variants_dir`.
    pub names: Vec<String>,
    pub variants_dir: PathBuf,
    pub gold: GoldSource,
    pub options: CompareOptions,
    pub timing: bool,
    pub format: report::Format,
}

/// `check`.
pub struct Check {
    pub gold: GoldSource,
    pub variants_dir: PathBuf,
    pub baseline: PathBuf,
    /// A finite number >= 0.
    pub tolerance: f64,
    pub bless: bool,
}

/// `report`.
pub struct Report {
    /// One variant, or two to compare (the first is the reference).
    pub variants: Vec<VariantChoice>,
    pub gold: GoldSource,
    pub relabel: Relabel,
    pub out: Option<PathBuf>,
}

/// `convert`.
pub struct Convert {
    pub input: PathBuf,
    pub from: Format,
    /// The texts to read the input with (csv and conll only): `--texts`; without it, a csv
    /// takes the texts/ folder beside it, or else `gold/texts`.
    pub texts: Option<PathBuf>,
    pub output: PathBuf,
    pub to: Format,
    pub texts_out: Option<PathBuf>,
    pub labelstudio: Results,
    pub label_map: LabelMap,
    /// How conll input is read.
    pub conll: conll::Options,
    /// The tag scheme of conll output.
    pub tag_scheme: TagScheme,
}

/// `perturb`.
pub struct Perturb {
    pub gold: GoldSource,
    pub out: PathBuf,
    /// The perturbations to write, in [`Perturbation::ALL`]'s order, each once.
    pub only: Vec<Perturbation>,
    pub seed: u64,
    pub swaps: Option<PathBuf>,
}

/// Turns parsed flags into a command's configuration, failing on flags that contradict each
/// other or name something unknown.
pub fn build(cmd: Command) -> Result<Config> {
    Ok(match cmd {
        Command::Tag(a) => Config::Tag(Tag {
            variant: VariantChoice::new(&a.variant),
            out: a.out,
            threads: a.threads.unwrap_or(0),
            batch_bytes: usize::try_from(a.batch_mib << 20).unwrap_or(usize::MAX),
            stats: a.stats,
            paths: a.paths,
        }),
        Command::Eval(a) => Config::Eval(Eval {
            variant: VariantChoice::new(&a.variant),
            gold: GoldSource::new(a.gold, false)?,
            relabel: Relabel::new(&a.labels)?,
            render: Render::new(&a.output),
        }),
        Command::Score(a) => {
            let pred_conll = is_conll(&a.pred, a.pred_format.map(format));
            Config::Score(Score {
                pred: PredSource {
                    path: a.pred,
                    format: a.pred_format.map(format),
                    labelstudio: ls_results(a.pred_ls_results),
                    conll: conll_options(&a.gold.conll, true)?,
                },
                relabel: Relabel::new(&a.labels)?,
                gold: GoldSource::new(a.gold, pred_conll)?,
                render: Render::new(&a.output),
            })
        }
        Command::Validate(a) => Config::Validate(Validate {
            gold: GoldSource::new(a.gold, false)?,
            gazetteer: a.gazetteer,
            variants_dir: a.variants.variants_dir,
        }),
        Command::Compare(a) => Config::Compare(compare(a)?),
        Command::Check(a) => {
            if !(a.tolerance.is_finite() && a.tolerance >= 0.0) {
                bail!("--tolerance must be a number >= 0, not {}", a.tolerance);
            }
            Config::Check(Check {
                gold: GoldSource::new(a.gold, false)?,
                variants_dir: a.variants.variants_dir,
                baseline: a.baseline,
                tolerance: a.tolerance,
                bless: a.bless,
            })
        }
        Command::Report(a) => {
            let dir = a.variant.dir.variants_dir;
            let names = a.compare.unwrap_or_else(|| vec![a.variant.variant]);
            if names.is_empty() || names.len() > 2 {
                bail!("--compare takes two variants, not {}", names.len());
            }
            Config::Report(Report {
                variants: names
                    .into_iter()
                    .map(|name| VariantChoice {
                        name,
                        dir: dir.clone(),
                    })
                    .collect(),
                gold: GoldSource::new(a.gold, false)?,
                relabel: Relabel::new(&a.labels)?,
                out: a.out,
            })
        }
        Command::Convert(a) => {
            let from = OpenOptions::new()
                .format(a.from.map(format))
                .format_of(&a.input)
                .map_err(|e| hint(e, "--from"))?;
            let to = resolve(&a.output, a.to, "--to")?;
            if a.texts_out.is_some() && to != Format::Csv {
                bail!("--texts-out is for csv output; {to} output carries the texts");
            }
            if a.texts.is_some() && !matches!(from, Format::Csv | Format::Conll) {
                bail!("--texts is for csv and conll input; {from} files carry their texts");
            }
            if a.tag_scheme.is_some() && to != Format::Conll {
                bail!("--tag-scheme is for conll output; give --from-tag-scheme for conll input");
            }
            let conll = conll_options(
                &ConllArgs {
                    tag_scheme: a.from_tag_scheme,
                    chunking: a.chunking,
                },
                from == Format::Conll,
            )?;
            Config::Convert(Convert {
                input: a.input,
                from,
                texts: a.texts,
                output: a.output,
                to,
                texts_out: a.texts_out,
                labelstudio: ls_results(a.ls_results),
                label_map: label_map(a.label_map.as_deref())?,
                conll,
                tag_scheme: a.tag_scheme.map(tag_scheme).unwrap_or_default(),
            })
        }
        Command::Perturb(a) => {
            let mut only: Vec<Perturbation> = match a.only.is_empty() {
                true => Perturbation::ALL.to_vec(),
                false => a.only.iter().map(|p| p.0).collect(),
            };
            only.sort();
            only.dedup();
            Config::Perturb(Perturb {
                gold: GoldSource::new(a.gold, false)?,
                out: a.out,
                only,
                seed: a.seed,
                swaps: a.swaps,
            })
        }
    })
}

fn compare(a: CompareArgs) -> Result<Compare> {
    Ok(Compare {
        names: a.variants,
        variants_dir: a.variants_dir.variants_dir,
        gold: GoldSource::new(a.gold, false)?,
        options: CompareOptions {
            unit: match a.unit {
                UnitArg::Paragraph => Unit::Paragraph,
                UnitArg::Document => Unit::Document,
            },
            resamples: a.resamples,
            shuffles: a.shuffles,
            seed: a.seed,
        },
        timing: a.timing,
        format: report_format(a.format),
    })
}

// ---- the objects -------------------------------------------------------------------------

/// A variant by name (a file of `dir`) or path.
pub struct VariantChoice {
    pub name: String,
    pub dir: PathBuf,
}

impl VariantChoice {
    fn new(a: &VariantArgs) -> VariantChoice {
        VariantChoice {
            name: a.variant.clone(),
            dir: a.dir.variants_dir.clone(),
        }
    }

    /// Reads the variant file.
    pub fn resolve(&self) -> tagbench::Result<Variant> {
        Variant::resolve(&self.name, &self.dir)
    }

    /// Reads the variant and builds its tagger.
    pub fn tagger(&self) -> tagbench::Result<Tagger> {
        self.resolve()?.build()
    }
}

/// The variants to compare: the ones named, or every variant of `dir` with
/// [`DEFAULT_VARIANT`] first (it is the reference) when there is one.
pub fn variant_names(names: &[String], dir: &Path) -> Result<Vec<String>> {
    if !names.is_empty() {
        return Ok(names.to_vec());
    }
    let mut n = Variant::names(dir)?;
    if let Some(i) = n.iter().position(|x| x == DEFAULT_VARIANT) {
        let d = n.remove(i);
        n.insert(0, d);
    }
    if n.is_empty() {
        bail!("{}: no variants to compare", dir.display());
    }
    Ok(n)
}

/// The gold, as `--gold`, `--gold-format`, `--texts` and `--gold-ls-results` say: read the
/// same way by every command (`Dataset::open`, as gold).
pub struct GoldSource {
    pub path: PathBuf,
    format: Option<Format>,
    texts: Option<PathBuf>,
    labelstudio: Results,
    conll: conll::Options,
}

impl GoldSource {
    /// `other_conll`: whether other input of the command (`score`'s predictions) is conll,
    /// for the conll flags, refused where no input is conll.
    fn new(a: GoldArgs, other_conll: bool) -> Result<GoldSource> {
        let format = a.gold_format.map(format);
        let conll = conll_options(&a.conll, other_conll || is_conll(&a.gold, format))?;
        Ok(GoldSource {
            path: a.gold,
            format,
            texts: a.texts,
            labelstudio: ls_results(a.gold_ls_results),
            conll,
        })
    }

    /// Reads and checks the gold, and the `--texts` it was read with. A gold that carries
    /// its own texts must have the same ones as `--texts`.
    pub fn open(&self) -> Result<(Dataset, Option<Corpus>)> {
        let texts = self.texts.as_deref().map(Corpus::read_dir).transpose()?;
        let gold = Dataset::open(
            &self.path,
            OpenOptions::new()
                .format(self.format)
                .texts(texts.as_ref())
                .labelstudio(self.labelstudio)
                .conll(self.conll)
                .gold(true),
        )
        .map_err(|e| hint(e, "--gold-format"))?;
        if let Some(t) = &texts {
            gold.check_same_texts(&self.path.display().to_string(), t, "--texts")?;
        }
        Ok((gold, texts))
    }

    /// The gold for a command that tags its texts: an annotations CSV without texts will not
    /// do.
    pub fn open_with_texts(&self) -> Result<Dataset> {
        let (gold, _) = self.open()?;
        if gold.texts() == Texts::Missing {
            bail!(
                "{}: an annotations CSV needs its texts (a folder of <doc>.txt files): give \
                 --texts DIR, or put them in a texts/ folder beside it",
                self.path.display()
            );
        }
        Ok(gold)
    }
}

/// The predictions of `score`: `--pred`, `--pred-format`, `--pred-ls-results`.
pub struct PredSource {
    pub path: PathBuf,
    format: Option<Format>,
    labelstudio: Results,
    conll: conll::Options,
}

impl PredSource {
    /// Reads the predictions, with the texts they refer to when known, and their norms by
    /// the gold's labels.
    pub fn open(&self, texts: Option<&Corpus>, labels: &LabelSet) -> Result<Dataset> {
        Dataset::open(
            &self.path,
            OpenOptions::new()
                .format(self.format)
                .texts(texts)
                .labelstudio(self.labelstudio)
                .labels(Some(labels))
                .conll(self.conll),
        )
        .map_err(|e| hint(e, "--pred-format"))
    }
}

/// `--label-map` and `--labels`: the labels renamed and the labels scored, applied to the
/// gold and the predictions alike.
pub struct Relabel {
    map: LabelMap,
    keep: Option<Vec<Label>>,
}

impl Relabel {
    fn new(a: &LabelArgs) -> Result<Relabel> {
        let map = label_map(a.label_map.as_deref())?;
        let keep = match &a.labels {
            Some(s) => Some(parse_label_list(s).map_err(|e| anyhow!("--labels: {e}"))?),
            None => None,
        };
        Ok(Relabel { map, keep })
    }

    /// Renames and selects the gold's labels; returns how many mentions were dropped.
    pub fn apply_gold(&self, gold: &mut Dataset) -> usize {
        gold.relabel(&self.map, self.keep.as_deref())
    }

    /// Renames and selects the labels of predictions made in memory, for a gold already
    /// relabelled; returns how many mentions were dropped.
    pub fn apply_pred(&self, gold: &Dataset, pred: &mut AnnotationSet) -> usize {
        let mut dropped = self.map.apply(pred);
        if self.keep.is_some() {
            dropped += gold.labels().retain_declared(pred);
        }
        dropped
    }

    /// Renames and selects the labels of predictions read from a file.
    pub fn apply_read(&self, pred: &mut Dataset) -> usize {
        pred.relabel(&self.map, self.keep.as_deref())
    }

    /// Says on standard error how many mentions were dropped on each side, if any.
    pub fn say(&self, gold: usize, pred: usize) {
        if gold + pred == 0 {
            return;
        }
        let why = match (self.map.is_empty(), &self.keep) {
            (false, None) => "labels mapped to nothing by --label-map",
            (true, Some(_)) => "labels left out by --labels",
            _ => "labels mapped to nothing by --label-map or left out by --labels",
        };
        eprintln!("tagbench: dropped {gold} gold and {pred} predicted mentions ({why})");
    }
}

/// The `--label-map` of the flags: rules (`A=B,C=`) or a file of rules; empty when not given.
fn label_map(flag: Option<&str>) -> Result<LabelMap> {
    match flag {
        None => Ok(LabelMap::default()),
        Some(s) if s.contains('=') => s
            .parse::<LabelMap>()
            .map_err(|m| anyhow!("--label-map: {m}")),
        Some(path) => Ok(LabelMap::read(Path::new(path))?),
    }
}

/// How an evaluation is printed.
pub struct Render {
    pub format: report::Format,
    pub options: RenderOptions,
}

impl Render {
    fn new(o: &OutputArgs) -> Render {
        let format = report_format(o.format);
        Render {
            format,
            options: RenderOptions {
                color: format == report::Format::Table && use_color(o.color),
                max_errors: o.max_errors,
            },
        }
    }
}

// ---- values ------------------------------------------------------------------------------

fn format(a: DataFormatArg) -> Format {
    match a {
        DataFormatArg::Csv => Format::Csv,
        DataFormatArg::Brat => Format::Brat,
        DataFormatArg::Conll => Format::Conll,
        DataFormatArg::Jsonl => Format::Jsonl,
        DataFormatArg::Doccano => Format::Doccano,
        DataFormatArg::Labelstudio => Format::LabelStudio,
    }
}

fn tag_scheme(a: TagSchemeArg) -> TagScheme {
    match a {
        TagSchemeArg::Iob1 => TagScheme::Iob1,
        TagSchemeArg::Iob2 => TagScheme::Iob2,
        TagSchemeArg::Ioe1 => TagScheme::Ioe1,
        TagSchemeArg::Ioe2 => TagScheme::Ioe2,
        TagSchemeArg::Iobes => TagScheme::Iobes,
        TagSchemeArg::Bilou => TagScheme::Bilou,
    }
}

fn chunking(a: ChunkingArg) -> Chunking {
    match a {
        ChunkingArg::Conlleval => Chunking::Conlleval,
        ChunkingArg::Strict => Chunking::Strict,
    }
}

/// How conll input is read; an error when the flags are given but no input is conll.
fn conll_options(a: &ConllArgs, any_conll: bool) -> Result<conll::Options> {
    if !any_conll && (a.tag_scheme.is_some() || a.chunking.is_some()) {
        bail!("the tag scheme and chunking flags are for conll input, and no input here is conll");
    }
    Ok(conll::Options {
        scheme: a.tag_scheme.map(tag_scheme),
        chunking: a.chunking.map(chunking).unwrap_or_default(),
    })
}

/// Whether a path is read as conll: named so, or told by its name.
fn is_conll(path: &Path, format: Option<Format>) -> bool {
    format.or_else(|| Format::detect(path).ok()) == Some(Format::Conll)
}

fn ls_results(a: LsResultsArg) -> Results {
    match a {
        LsResultsArg::Annotations => Results::Annotations,
        LsResultsArg::Predictions => Results::Predictions,
    }
}

fn report_format(a: FormatArg) -> report::Format {
    match a {
        FormatArg::Table => report::Format::Table,
        FormatArg::Json => report::Format::Json,
        FormatArg::Csv => report::Format::Csv,
        FormatArg::Markdown => report::Format::Markdown,
    }
}

fn use_color(a: ColorArg) -> bool {
    match a {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The format `flag` names, or else the one the path's name tells.
fn resolve(path: &Path, flag: Option<DataFormatArg>, flag_name: &str) -> Result<Format> {
    match flag {
        Some(f) => Ok(format(f)),
        None => Format::detect(path).map_err(|e| hint(e, flag_name)),
    }
}

/// The library's error, with the flag that names the format when the path's name does not
/// tell it.
fn hint(e: tagbench::Error, flag: &str) -> anyhow::Error {
    match e.kind() {
        ErrorKind::UnknownFormat => anyhow::anyhow!("{e}; give {flag}"),
        _ => e.into(),
    }
}
