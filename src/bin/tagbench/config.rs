//! Flags to library objects, in one place (as ripgrep's `HiArgs`): [`build`] turns what clap
//! parsed ([`crate::args`]) into one typed configuration per command, holding library values
//! (formats, options, paths to open) and checking what flags alone can tell. Commands
//! ([`crate::cmd`]) take these and never see a flag.
//!
//! Reading files is left to the commands, in the order that makes a bad input fail before
//! slow work (a misspelt variant before the gold is read, a missing baseline before tagging).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, bail, Result};
use tagbench::compare::{CompareOptions, Unit};
use tagbench::format::conll::{self, Chunking, TagScheme};
use tagbench::format::{Format, LabelStudioResults as Results};
use tagbench::perturb::Perturbation;
use tagbench::project::{Project, PROJECT_FILE};
use tagbench::report::{self, RenderOptions};
use tagbench::score::{buckets, BucketBy, Buckets, Evaluation, MinOverlap, ScoreOptions};
use tagbench::stream::OutputFormat;
use tagbench::stress::StressOptions;
use tagbench::threshold::Thresholds;
use tagbench::variant::Variant;
use tagbench::{
    parse_label_list, AnnotationSet, Corpus, Dataset, ErrorKind, Label, LabelMap, LabelSet,
    OpenOptions, Predictions, Prepared, System, SystemOptions, Tagger, Texts,
};

use crate::args::{
    BucketByArg, ByArgs, CheckArgs, CheckFormatArg, ChunkingArg, ColorArg, Command, CompareArgs,
    ConllArgs, DataFormatArg, FailUnderArgs, FormatArg, GoldArgs, LabelArgs, LsResultsArg,
    OutputArgs, PerturbationArg, ResamplingArgs, ScoringArgs, SystemsArgs, TagFormatArg,
    TagSchemeArg, UnitArg, VariantArgs, BASELINE, DEFAULT_VARIANT,
};
use crate::Outcome;

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
    Stress(Stress),
}

/// `tag`.
pub struct Tag {
    pub variant: VariantChoice,
    pub out: Option<PathBuf>,
    /// Tagging threads; 0 means one per core.
    pub threads: usize,
    /// About how many bytes of text may be in flight at most.
    pub batch_bytes: usize,
    pub stats: bool,
    pub format: OutputFormat,
    pub paths: Vec<PathBuf>,
}

/// `eval`.
pub struct Eval {
    pub system: Systems,
    pub fail_under: Thresholds,
    pub gold: GoldSource,
    pub scoring: ScoreOptions,
    pub relabel: Relabel,
    pub render: Render,
}

/// `score`.
pub struct Score {
    pub gold: GoldSource,
    pub scoring: ScoreOptions,
    pub pred: PredSource,
    pub ignore_unknown_docs: bool,
    pub fail_under: Thresholds,
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
    /// SYSTEM strings; none for every variant of the variants folder.
    pub systems: Systems,
    pub gold: GoldSource,
    pub scoring: ScoreOptions,
    pub options: CompareOptions,
    pub timing: bool,
    pub format: report::Format,
    /// Scores by bucket to add.
    pub by: Vec<BucketBy>,
}

/// `check`.
pub struct Check {
    pub gold: GoldSource,
    /// The systems checked, each named.
    pub systems: Systems,
    /// True when some systems were picked by name: the others are left alone.
    pub some: bool,
    pub baseline: PathBuf,
    /// A finite number >= 0.
    pub tolerance: f64,
    pub bless: bool,
    pub format: report::Format,
    /// The perturbed golds every system that can tag is also checked on.
    pub perturbations: Vec<Perturbation>,
}

/// `report`.
pub struct Report {
    /// One system, or two to compare (the first is the reference).
    pub systems: Systems,
    pub gold: GoldSource,
    pub scoring: ScoreOptions,
    pub relabel: Relabel,
    pub out: Option<PathBuf>,
    /// Scores by bucket to show.
    pub by: Vec<BucketBy>,
    /// How the difference of two systems is resampled.
    pub options: CompareOptions,
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

/// `stress`.
pub struct Stress {
    /// SYSTEM strings; none for every variant of the variants folder.
    pub systems: Systems,
    pub gold: GoldSource,
    pub options: StressOptions,
    pub swaps: Option<PathBuf>,
    pub format: report::Format,
    pub html: Option<PathBuf>,
}

/// Turns parsed flags into a command's configuration, failing on flags that contradict each
/// other or name something unknown.
pub fn build(cmd: Command) -> Result<Config> {
    Ok(match cmd {
        Command::Tag(a) => {
            let format = match a.to {
                Some(TagFormatArg::Csv) => OutputFormat::Csv,
                Some(TagFormatArg::Jsonl) => OutputFormat::Jsonl,
                None if a.out.as_deref().and_then(Path::extension) == Some("jsonl".as_ref()) => {
                    OutputFormat::Jsonl
                }
                None => OutputFormat::Csv,
            };
            Config::Tag(Tag {
                variant: VariantChoice::new(&a.variant),
                out: a.out,
                threads: a.threads.unwrap_or(0),
                batch_bytes: usize::try_from(a.batch_mib << 20).unwrap_or(usize::MAX),
                stats: a.stats,
                format,
                paths: a.paths,
            })
        }
        Command::Eval(a) => {
            let specs = vec![a.system.system];
            let (gold, system) = systems_and_gold(specs, a.system.systems, a.gold)?;
            Config::Eval(Eval {
                system,
                fail_under: thresholds(&a.fail_under)?,
                gold,
                scoring: scoring(&a.scoring)?,
                relabel: Relabel::new(&a.labels)?,
                render: Render::new(&a.output),
            })
        }
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
                scoring: scoring(&a.scoring)?,
                gold: GoldSource::new(a.gold, pred_conll)?,
                ignore_unknown_docs: a.ignore_unknown_docs,
                fail_under: thresholds(&a.fail_under)?,
                render: Render::new(&a.output),
            })
        }
        Command::Validate(a) => Config::Validate(Validate {
            gold: GoldSource::new(a.gold, false)?,
            gazetteer: a.gazetteer,
            variants_dir: a.variants.variants_dir,
        }),
        Command::Compare(a) => Config::Compare(compare(a)?),
        Command::Check(a) => Config::Check(check(a)?),
        Command::Report(a) => {
            let options = resampling(&a.resampling)?;
            if a.compare.is_none() && options != CompareOptions::default() {
                bail!("--resamples, --shuffles, --seed and --unit go with --compare (one system's report has no difference to resample)");
            }
            let names = a.compare.unwrap_or_else(|| vec![a.system.system]);
            if names.is_empty() || names.len() > 2 {
                bail!("--compare takes two systems, not {}", names.len());
            }
            let (gold, systems) = systems_and_gold(names, a.system.systems, a.gold)?;
            Config::Report(Report {
                systems,
                gold,
                scoring: scoring(&a.scoring)?,
                relabel: Relabel::new(&a.labels)?,
                out: a.out,
                by: bucket_by(&a.by),
                options,
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
        Command::Perturb(a) => Config::Perturb(Perturb {
            gold: GoldSource::new(no_overlaps(a.gold, "perturb")?, false)?,
            out: a.out,
            only: perturbations(&a.only),
            seed: a.seed,
            swaps: a.swaps,
        }),
        Command::Stress(a) => {
            let gold = no_overlaps(a.gold, "stress")?;
            let (gold, systems) = systems_and_gold(a.systems, a.systems_args, gold)?;
            Config::Stress(Stress {
                systems,
                gold,
                options: StressOptions {
                    perturbations: perturbations(&a.only),
                    seed: a.seed,
                    unit: unit(a.unit),
                    resamples: at_least_one(a.resamples, "--resamples", "no interval")?,
                    resample_seed: a.resample_seed,
                    examples: a.examples,
                },
                swaps: a.swaps,
                format: report_format(a.format),
                html: a.html,
            })
        }
    })
}

/// `--only`: the perturbations named, in [`Perturbation::ALL`]'s order, each once; none
/// means all.
fn perturbations(only: &[PerturbationArg]) -> Vec<Perturbation> {
    let mut out: Vec<Perturbation> = match only.is_empty() {
        true => Perturbation::ALL.to_vec(),
        false => only.iter().map(|p| p.0).collect(),
    };
    out.sort();
    out.dedup();
    out
}

/// `--min-overlap`.
fn scoring(a: &ScoringArgs) -> Result<ScoreOptions> {
    let min_overlap = match &a.min_overlap {
        None => None,
        Some(s) => Some(
            s.parse::<MinOverlap>()
                .map_err(|e| anyhow!("--min-overlap: {e}"))?,
        ),
    };
    Ok(ScoreOptions { min_overlap })
}

fn unit(a: UnitArg) -> Unit {
    match a {
        UnitArg::Paragraph => Unit::Paragraph,
        UnitArg::Document => Unit::Document,
    }
}

fn resampling(a: &ResamplingArgs) -> Result<CompareOptions> {
    Ok(CompareOptions {
        unit: unit(a.unit),
        resamples: at_least_one(a.resamples, "--resamples", "no interval")?,
        shuffles: at_least_one(a.shuffles, "--shuffles", "no p-value")?,
        seed: a.seed,
    })
}

fn compare(a: CompareArgs) -> Result<Compare> {
    let scoring = scoring(&a.scoring)?;
    let (gold, systems) = systems_and_gold(a.systems, a.systems_args, a.gold)?;
    Ok(Compare {
        systems,
        gold,
        scoring,
        options: resampling(&a.resampling)?,
        timing: a.timing,
        format: report_format(a.format),
        by: bucket_by(&a.by),
    })
}

/// A count of draws that must be at least 1: zero draws give no interval or p-value, and
/// would print one all the same.
fn at_least_one(n: usize, flag: &str, what: &str) -> Result<usize> {
    if n == 0 {
        bail!("{flag} must be at least 1 (with 0, there is {what} to give)");
    }
    Ok(n)
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

/// SYSTEM strings and how to read and run them.
pub struct Systems {
    pub specs: Vec<String>,
    pub options: SystemOptions,
}

/// The gold and the systems of a command: the conll flags are the gold's and the systems'
/// (refused when neither is conll).
fn systems_and_gold(
    specs: Vec<String>,
    a: SystemsArgs,
    gold: GoldArgs,
) -> Result<(GoldSource, Systems)> {
    let pred_format = a.pred_format.map(format);
    let any_conll = specs.iter().any(|s| {
        let rest = match s.split_once('=') {
            Some((n, r)) if !n.contains(':') => r,
            _ => s.as_str(),
        };
        !rest.starts_with("cmd:") && is_conll(Path::new(rest), pred_format)
    });
    let conll = conll_options(&gold.conll, true)?;
    let gold = GoldSource::new(gold, any_conll)?;
    let mut systems = Systems::new(specs, a)?;
    systems.options.conll = conll;
    Ok((gold, systems))
}

impl Systems {
    fn new(specs: Vec<String>, a: SystemsArgs) -> Result<Systems> {
        if !(a.timeout.is_finite() && a.timeout > 0.0) {
            bail!(
                "--timeout must be a number of seconds > 0, not {}",
                a.timeout
            );
        }
        Ok(Systems {
            specs,
            options: SystemOptions {
                variants_dir: a.dir.variants_dir,
                pred_format: a.pred_format.map(format),
                labelstudio: ls_results(a.pred_ls_results),
                timeout: Duration::from_secs_f64(a.timeout.min(1e9)),
                ignore_unknown_docs: a.ignore_unknown_docs,
                conll: conll::Options::default(),
            },
        })
    }

    /// Reads every SYSTEM string (a variant's file now: a misspelt name fails before the
    /// gold is read); none means every variant of the variants folder.
    pub fn parse(&self) -> Result<Vec<System>> {
        let specs = if self.specs.is_empty() {
            variant_names(&self.options.variants_dir)?
        } else {
            self.specs.clone()
        };
        let systems = specs
            .iter()
            .map(|s| System::parse(s, &self.options))
            .collect::<tagbench::Result<Vec<_>>>()?;
        let mut seen = std::collections::BTreeSet::new();
        for s in &systems {
            if !seen.insert(s.name()) {
                bail!(
                    "two systems are named {:?}: name them apart with NAME=SYSTEM",
                    s.name()
                );
            }
        }
        Ok(systems)
    }

    /// Runs a system on the gold, printing its notes (documents missing or left out) on
    /// standard error.
    pub fn run(&self, system: &System, gold: &Dataset) -> Result<Predictions> {
        self.run_prepared(&system.prepare()?, gold)
    }

    /// [`Systems::run`] for a system made ready once ([`System::prepare`]: a variant's
    /// tagger built) and run more than once.
    pub fn run_prepared(&self, system: &Prepared<'_>, gold: &Dataset) -> Result<Predictions> {
        let p = system
            .run(gold, &self.options)
            .map_err(|e| hint(e, "--pred-format"))?;
        for n in p.notes(system.system().name()) {
            eprintln!("tagbench: {n}");
        }
        Ok(p)
    }
}

/// Every variant of `dir`, with [`DEFAULT_VARIANT`] first (it is the reference) when there
/// is one.
fn variant_names(dir: &Path) -> Result<Vec<String>> {
    let mut n = Variant::names(dir)?;
    if let Some(i) = n.iter().position(|x| x == DEFAULT_VARIANT) {
        let d = n.remove(i);
        n.insert(0, d);
    }
    if n.is_empty() {
        bail!("{}: no variants (*.toml) in this folder", dir.display());
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
    allow_overlaps: bool,
}

/// Refuses `--allow-overlaps` for a command whose gold must follow the no-overlap rule.
fn no_overlaps(a: GoldArgs, command: &str) -> Result<GoldArgs> {
    if a.allow_overlaps {
        bail!(
            "{command} does not take --allow-overlaps: perturbations rewrite the text inside \
             mentions and need a gold whose mentions do not overlap"
        );
    }
    Ok(a)
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
            allow_overlaps: a.allow_overlaps,
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
                .gold(true)
                .allow_overlaps(self.allow_overlaps),
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

    /// The predictions as a system, read against a gold that has its texts: offsets
    /// against the gold's texts, document ids against its ids.
    pub fn run(&self, gold: &Dataset, ignore_unknown_docs: bool) -> Result<Predictions> {
        let system = System::Predictions {
            name: self.path.display().to_string(),
            path: self.path.clone(),
        };
        let systems = Systems {
            specs: Vec::new(),
            options: SystemOptions {
                pred_format: self.format,
                labelstudio: self.labelstudio,
                conll: self.conll,
                ignore_unknown_docs,
                ..SystemOptions::default()
            },
        };
        systems.run(&system, gold)
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
    /// Scores by bucket to add, in the order given.
    pub by: Vec<BucketBy>,
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
            by: bucket_by(&o.by),
        }
    }

    /// The evaluation of `pred` against `gold`, with its scores by bucket when asked for.
    pub fn evaluation(
        &self,
        eval: &Evaluation,
        gold: &AnnotationSet,
        pred: &AnnotationSet,
    ) -> String {
        let b: Vec<Buckets> = self
            .by
            .iter()
            .map(|&by| buckets(eval, gold, pred, by))
            .collect();
        report::Report::new(eval)
            .with_buckets(&b)
            .render(self.format, &self.options)
    }
}

/// `--by`: each grouping once, in the order given.
fn bucket_by(a: &ByArgs) -> Vec<BucketBy> {
    let mut out: Vec<BucketBy> = Vec::new();
    for b in &a.by {
        let b = match b {
            BucketByArg::Length => BucketBy::Length,
            BucketByArg::Label => BucketBy::Label,
            BucketByArg::Frequency => BucketBy::Frequency,
            BucketByArg::Document => BucketBy::Document,
        };
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// `check`: flags, else the project file, else the defaults.
fn check(mut a: CheckArgs) -> Result<Check> {
    let config = match &a.config {
        Some(p) => Some(Project::read(p)?),
        None if Path::new(PROJECT_FILE).is_file() => Some(Project::read(Path::new(PROJECT_FILE))?),
        None => None,
    }
    .unwrap_or_default();
    if !a.given.gold {
        if let Some(g) = config.gold {
            a.gold.gold = g;
        }
    }
    if !a.given.variants_dir {
        if let Some(d) = config.variants_dir {
            a.systems.dir.variants_dir = d;
        }
    }
    let tolerance = a.tolerance.or(config.tolerance).unwrap_or(0.0);
    if !(tolerance.is_finite() && tolerance >= 0.0) {
        bail!("--tolerance must be a number >= 0, not {tolerance}");
    }
    if a.bless && a.format != CheckFormatArg::Table {
        bail!("--format is for the check's output; --bless prints a short summary of what changed");
    }
    let some = !a.names.is_empty();
    let specs = match config.systems {
        None => a.names,
        Some(all) if a.names.is_empty() => all,
        Some(all) => {
            let name_of = |s: &String| s.split_once('=').map_or(s.clone(), |(n, _)| n.to_string());
            let mut picked = Vec::new();
            for n in &a.names {
                match all.iter().find(|s| &name_of(s) == n) {
                    Some(s) => picked.push(s.clone()),
                    None => bail!(
                        "no system {n:?} in the project file (its systems: {})",
                        all.iter().map(name_of).collect::<Vec<_>>().join(", ")
                    ),
                }
            }
            picked
        }
    };
    let (gold, systems) = systems_and_gold(specs, a.systems, a.gold)?;
    Ok(Check {
        gold,
        systems,
        some,
        baseline: a
            .baseline
            .or(config.baseline)
            .unwrap_or_else(|| PathBuf::from(BASELINE)),
        tolerance,
        bless: a.bless,
        perturbations: match a.perturbations.is_empty() {
            false => perturbations(&a.perturbations),
            true => config.perturbations.clone().unwrap_or_default(),
        },
        format: match a.format {
            CheckFormatArg::Table => report::Format::Table,
            CheckFormatArg::Json => report::Format::Json,
            CheckFormatArg::Markdown => report::Format::Markdown,
        },
    })
}

/// `--fail-under`, every occurrence.
fn thresholds(a: &FailUnderArgs) -> Result<Thresholds> {
    let mut all = Thresholds::default();
    for s in &a.fail_under {
        let t: Thresholds = s
            .parse()
            .map_err(|e| anyhow::anyhow!("--fail-under: {e}"))?;
        all.0.extend(t.0);
    }
    Ok(all)
}

/// Prints the scores, then a line on standard error per figure under its bound: a failed
/// check when there is one.
pub fn gate(thresholds: &Thresholds, evaluation: &Evaluation, system: &str) -> Outcome {
    let failures = thresholds.check(evaluation);
    for f in &failures {
        eprintln!("tagbench: fail-under: {system}: {f}");
    }
    if failures.is_empty() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
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
