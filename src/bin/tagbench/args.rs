//! The command line as clap parses it: flags and their defaults, each default named once.
//! Nothing here knows the library; [`crate::config`] turns these into library objects.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// The gold folder every command reads by default (a macro, so that other defaults can be
/// built from it with `concat!`).
macro_rules! gold_dir {
    () => {
        "gold"
    };
}

/// The variants folder.
pub const VARIANTS_DIR: &str = "variants";
/// The variant used when none is named.
pub const DEFAULT_VARIANT: &str = "default";
/// The gazetteer folder `validate` checks.
pub const GAZETTEER_DIR: &str = "gazetteer";
/// How long an external tagger may run, in seconds (ten minutes).
pub const DEFAULT_TIMEOUT_SECS: f64 = 600.0;
/// The committed baseline of `check`.
pub const BASELINE: &str = concat!(gold_dir!(), "/baseline.json");
/// The texts a csv input to `convert` refers to.
pub const CONVERT_TEXTS: &str = concat!(gold_dir!(), "/texts");

/// tagbench: tag English news for ACTOR, PLACE and FIGURE, and measure taggers against a gold
/// standard.
#[derive(Debug, Parser)]
#[command(name = "tagbench", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tag .txt files, folders or JSONL streams (in parallel) and write predictions as CSV or JSONL.
    Tag(TagArgs),
    /// Run a system (a variant, predictions, a command) on the gold texts and score it.
    Eval(EvalArgs),
    /// Score predictions (from any tool, in any format) against the gold.
    Score(ScoreArgs),
    /// Check gold and gazetteer files for every integrity rule.
    Validate(ValidateArgs),
    /// Compare systems side by side, with bootstrap confidence intervals and significance.
    Compare(CompareArgs),
    /// Regression check: run every system (tagbench.toml's, or every variant) and compare
    /// with the committed baseline.
    Check(CheckArgs),
    /// Write a self-contained HTML report: scores, marked texts, errors linked into them.
    Report(ReportArgs),
    /// Convert annotated documents between formats (csv, brat, conll, jsonl, doccano,
    /// labelstudio).
    Convert(ConvertArgs),
    /// Write perturbed copies of a gold dataset (upper case, typos, line breaks inside names,
    /// other names...), each a valid gold whose mentions point at the rewritten text.
    Perturb(PerturbArgs),
    /// Run systems on the gold and on perturbed copies of it: strict F1 on each perturbation
    /// and its change from the clean gold, with a paired bootstrap interval.
    Stress(StressArgs),
}

#[derive(Debug, clap::Args)]
pub struct StressArgs {
    /// The systems: variant names or .toml files, cmd:COMMAND (each optionally
    /// NAME=SYSTEM); none = every variant of --variants-dir. Predictions files cannot tag a
    /// perturbed text and are refused.
    #[arg(value_name = "SYSTEM")]
    pub systems: Vec<String>,
    #[command(flatten)]
    pub systems_args: SystemsArgs,
    #[command(flatten)]
    pub gold: GoldArgs,
    /// Only these perturbations (repeat the flag or separate names with commas)
    /// [default: all].
    #[arg(long, value_enum, num_args = 1.., value_delimiter = ',')]
    pub only: Vec<PerturbationArg>,
    /// The seed of typos and name swaps, as for `perturb`.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// A CSV list of entities for swap-names (header label,text,norm) [default: the built-in
    /// perturb/swaps.csv].
    #[arg(long)]
    pub swaps: Option<PathBuf>,
    /// Bootstrap resamples for the intervals of the change.
    #[arg(long, default_value_t = 1000)]
    pub resamples: usize,
    /// Seed of the resampling: same seed, same output.
    #[arg(long, default_value_t = 42)]
    pub resample_seed: u64,
    /// The resampling unit (clean and perturbed units are paired).
    #[arg(long, value_enum, default_value_t)]
    pub unit: UnitArg,
    /// Lost mentions kept as examples per system and perturbation (JSON and HTML show
    /// them all, the table and markdown the first).
    #[arg(long, default_value_t = 3)]
    pub examples: usize,
    /// Output format (csv: one row per system and perturbation).
    #[arg(long, short, value_enum, default_value_t)]
    pub format: FormatArg,
    /// Also write the HTML page here (atomically, once everything is computed).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct PerturbArgs {
    #[command(flatten)]
    pub gold: GoldArgs,
    /// The folder to write: one sub-folder per perturbation, named after it, each a gold
    /// folder (texts/, annotations.csv, and the gold folder's labels.toml if it has one). Created if missing;
    /// a sub-folder's stale .txt files are removed.
    #[arg(long)]
    pub out: PathBuf,
    /// Only these perturbations (repeat the flag or separate names with commas)
    /// [default: all].
    #[arg(long, value_enum, num_args = 1.., value_delimiter = ',')]
    pub only: Vec<PerturbationArg>,
    /// The seed of typos and name swaps: the same seed writes the same bytes.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// A CSV list of entities for swap-names (header label,text,norm) [default: the built-in
    /// perturb/swaps.csv].
    #[arg(long)]
    pub swaps: Option<PathBuf>,
}

/// A perturbation named on the command line; `--help` lists each with its description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PerturbationArg(pub tagbench::perturb::Perturbation);

impl ValueEnum for PerturbationArg {
    fn value_variants<'a>() -> &'a [Self] {
        use tagbench::perturb::Perturbation as P;
        const ALL: [PerturbationArg; P::ALL.len()] = {
            let mut out = [PerturbationArg(P::Upper); P::ALL.len()];
            let mut i = 0;
            while i < P::ALL.len() {
                out[i] = PerturbationArg(P::ALL[i]);
                i += 1;
            }
            out
        };
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.as_str()).help(self.0.describe()))
    }
}

// ---- values ------------------------------------------------------------------------------

/// A file format for annotated documents (see the README's "Formats" section).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DataFormatArg {
    /// The annotations CSV (doc,start,end,label,text,norm) with a folder of texts; a folder
    /// read as csv is a gold folder (DIR/annotations.csv and DIR/texts/).
    Csv,
    /// brat standoff: a folder of <doc>.txt and <doc>.ann (or one .ann file to read).
    Brat,
    /// CoNLL-2003-style BIO, one token and tag a line.
    Conll,
    /// JSON Lines: {"id", "text", "spans": [{"start", "end", "label", "norm"}]}.
    Jsonl,
    /// doccano JSONL: {"id", "text", "label": [[start, end, "LABEL"]]}.
    Doccano,
    /// Label Studio JSON export (UTF-16 offsets).
    Labelstudio,
}

/// Which regions of a Label Studio task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LsResultsArg {
    /// The tasks' `annotations`.
    #[default]
    Annotations,
    /// The tasks' `predictions` (pre-annotations).
    Predictions,
}

/// A CoNLL tag scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TagSchemeArg {
    /// I-X, and B-X only to start a mention right after one of the same label.
    Iob1,
    /// BIO: B-X starts every mention, I-X continues it.
    Iob2,
    /// I-X, and E-X only to end a mention right before one of the same label.
    Ioe1,
    /// I-X, and E-X ends every mention.
    Ioe2,
    /// BIOES: B-X, I-X, E-X, and S-X for a one-token mention.
    Iobes,
    /// B-X, I-X, L-X (last), and U-X for a one-token (unit) mention.
    Bilou,
}

/// How chunks are read from CoNLL tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChunkingArg {
    /// As conlleval and seqeval's default mode: every tag but O is in a chunk (I-X after O
    /// starts one).
    Conlleval,
    /// As seqeval's mode="strict": only chunks well formed under the tag scheme count.
    Strict,
}

/// How CoNLL input is read.
#[derive(Debug, clap::Args)]
pub struct ConllArgs {
    /// The tag scheme of conll input; a tag outside it is an error [default: detected from
    /// the prefixes: L/U bilou, S or B with E iobes, E ioe2, B iob2, I alone iob1].
    #[arg(long, value_enum)]
    pub tag_scheme: Option<TagSchemeArg>,
    /// How chunks are read from conll tags [default: conlleval].
    #[arg(long, value_enum)]
    pub chunking: Option<ChunkingArg>,
}

/// How scores are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Aligned columns for a terminal, with the error list in context.
    #[default]
    Table,
    /// One JSON document: every count, score and error, for programs.
    Json,
    /// CSV rows, one per scheme and label, for spreadsheets.
    Csv,
    /// Markdown tables, for issues and pull requests.
    Markdown,
}

/// How `check` prints what it found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum CheckFormatArg {
    /// A line per system that passes, a block per system that fails, each new error once.
    #[default]
    Table,
    /// Every system's changes and new errors, for programs.
    Json,
    /// A summary table and a section per failing system, for a CI job summary.
    Markdown,
}

/// When the table is coloured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Only when standard output is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// What `compare` resamples.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum UnitArg {
    /// Paragraphs (text between blank lines): many units, so narrower intervals, though the
    /// paragraphs of one text are not independent.
    #[default]
    Paragraph,
    /// Whole documents: independent units, but few of them, so wider intervals.
    Document,
}

// ---- flags shared by several commands ----------------------------------------------------

/// The gold, read the same way by every command that reads one (`tagbench::Dataset::open`).
#[derive(Debug, clap::Args)]
pub struct GoldArgs {
    /// The gold: a gold folder (DIR/texts/*.txt and DIR/annotations.csv), an annotations CSV,
    /// a brat folder, or a file in any format of `convert`.
    #[arg(long, default_value = gold_dir!())]
    pub gold: PathBuf,
    /// The format of --gold [default: a gold folder, or told by the name].
    #[arg(long, value_enum)]
    pub gold_format: Option<DataFormatArg>,
    /// The texts (a folder of <doc>.txt) the annotations refer to: csv rows are checked
    /// against them, conll tokens aligned with them, other formats' texts compared with them
    /// [default: for a csv file, the texts/ folder beside it].
    #[arg(long)]
    pub texts: Option<PathBuf>,
    /// For a Label Studio --gold: read `annotations` or `predictions`.
    #[arg(long, value_enum, default_value_t)]
    pub gold_ls_results: LsResultsArg,
    /// How conll files are read (the gold's, and for `score` the predictions').
    #[command(flatten)]
    pub conll: ConllArgs,
    /// Let gold mentions overlap or nest (nervaluate's test data, nested entity corpora);
    /// without it an overlap in the gold is an error naming both mentions. Pairing stays one
    /// to one (see the README's "Nested and overlapping mentions"). Predictions may always
    /// overlap.
    #[arg(long)]
    pub allow_overlaps: bool,
}

/// Where variant names are looked up.
#[derive(Debug, clap::Args)]
pub struct VariantsDirArgs {
    /// Where variant names are looked up (a variant is a .toml file there).
    #[arg(long, default_value = VARIANTS_DIR)]
    pub variants_dir: PathBuf,
}

/// One variant.
#[derive(Debug, clap::Args)]
pub struct VariantArgs {
    /// A variant name (a file of --variants-dir) or a path to a variant .toml file.
    #[arg(long, default_value = DEFAULT_VARIANT)]
    pub variant: String,
    #[command(flatten)]
    pub dir: VariantsDirArgs,
}

/// One system under test (see [`SystemsArgs`]).
#[derive(Debug, clap::Args)]
pub struct SystemArgs {
    /// The system under test: a variant name (a file of --variants-dir), a variant .toml, a
    /// predictions file or folder in any format, or cmd:COMMAND (an external tagger, see the
    /// README); NAME=SYSTEM names it.
    #[arg(long, visible_alias = "variant", value_name = "SYSTEM", default_value = DEFAULT_VARIANT)]
    pub system: String,
    #[command(flatten)]
    pub systems: SystemsArgs,
}

/// How SYSTEMs are read and run.
#[derive(Debug, clap::Args)]
pub struct SystemsArgs {
    #[command(flatten)]
    pub dir: VariantsDirArgs,
    /// The format of every predictions file among the systems [default: told by its name,
    /// as for --gold].
    #[arg(long, value_enum)]
    pub pred_format: Option<DataFormatArg>,
    /// For a Label Studio predictions file: read `annotations` or `predictions`.
    #[arg(long, value_enum, default_value_t)]
    pub pred_ls_results: LsResultsArg,
    /// Seconds an external tagger (cmd:COMMAND) may run before it is killed.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT_SECS)]
    pub timeout: f64,
    /// Leave out predicted documents that the gold does not have, instead of failing.
    #[arg(long)]
    pub ignore_unknown_docs: bool,
}

/// How scores are printed.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t)]
    pub format: FormatArg,
    /// Colour in the table.
    #[arg(long, value_enum, default_value_t)]
    pub color: ColorArg,
    /// List at most this many errors in table and markdown output (all by default).
    #[arg(long)]
    pub max_errors: Option<usize>,
    #[command(flatten)]
    pub by: ByArgs,
}

/// Scores by bucket.
#[derive(Debug, clap::Args)]
pub struct ByArgs {
    /// Also show scores by bucket: per mention length in tokens, per label, per how often
    /// the mention's surface occurs in the gold, per document (comma-separated or
    /// repeated; the README gives the rules).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub by: Vec<BucketByArg>,
}

/// A grouping of `--by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BucketByArg {
    /// Tokens (whitespace-separated words) in the mention: 1, 2, 3, 4, 5+.
    Length,
    /// The mention's label.
    Label,
    /// Gold mentions with the same surface text in the whole gold: 0 (spurious only), 1,
    /// 2-3, 4-7, 8+.
    Frequency,
    /// The document.
    Document,
}

/// A CI gate on the scores.
#[derive(Debug, clap::Args)]
pub struct FailUnderArgs {
    /// Exit 1 when a figure is under its bound, naming it: overall strict F1 (`0.9`), a
    /// scheme's (`partial=0.8`) or a label's (`strict:ACTOR=0.9`); comma-separated or
    /// repeated.
    #[arg(long, value_name = "THRESHOLD")]
    pub fail_under: Vec<String>,
}

// ---- one struct per command --------------------------------------------------------------

#[derive(Debug, clap::Args)]
pub struct TagArgs {
    #[command(flatten)]
    pub variant: VariantArgs,
    /// Write the predictions here instead of standard output (written atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Tagging threads; 0, or leaving it out, means one per core (as many as the machine
    /// reports). Reading the input (and checking its UTF-8) and writing the output run on a
    /// thread each besides, overlapping with tagging. The output does not depend on it.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// At most about this many MiB of text are in flight (read, not yet written); long texts
    /// are cut at blank lines into chunks of a fraction of it.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub batch_mib: u64,
    /// Print documents, MiB, seconds, MiB/s, tagging threads and spans on standard error at
    /// the end, and on Linux the process's peak RSS (`, peak RSS N MB`: VmHWM, in MiB).
    #[arg(long)]
    pub stats: bool,
    /// The output format: csv (`doc,start,end,label,text,norm`) or jsonl (one document a
    /// line with its text and spans, as `convert --to jsonl` writes; `score --pred` reads
    /// both) [default: jsonl when --out ends in .jsonl, else csv].
    #[arg(long, value_enum)]
    pub to: Option<TagFormatArg>,
    /// Text files, folders of .txt files, .jsonl files (`{"id", "text"}` a line) or `-`
    /// (JSONL on standard input). Documents are streamed, long texts cut at blank lines.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// `tag`'s output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TagFormatArg {
    /// The annotations CSV.
    Csv,
    /// JSON Lines, one document a line.
    Jsonl,
}

/// Which labels are scored, and under which names (gold and predictions alike).
#[derive(Debug, clap::Args)]
pub struct LabelArgs {
    /// Score only these labels (comma-separated, after --label-map), on the gold and the
    /// predictions alike; reports list them in this order [default: every label].
    #[arg(long, value_name = "A,B,...")]
    pub labels: Option<String>,
    /// Rename labels before scoring, on the gold and the predictions: `PER=ACTOR,ORG=ACTOR`,
    /// or a file of such rules (one or more a line, `#` comments). `X=` drops X's mentions;
    /// how many is said on standard error.
    #[arg(long, value_name = "RULES|FILE")]
    pub label_map: Option<String>,
}

/// How spans are paired (`tagbench::score::ScoreOptions`).
#[derive(Debug, clap::Args)]
pub struct ScoringArgs {
    /// Pair overlapping spans only when the overlap covers at least this share F of the gold
    /// mention's length, 0 < F <= 1 (nervaluate's min_overlap_percentage / 100), in every
    /// scheme; spans with the same boundaries always pair [default: any overlap].
    #[arg(long, value_name = "F")]
    pub min_overlap: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub system: SystemArgs,
    #[command(flatten)]
    pub fail_under: FailUnderArgs,
    #[command(flatten)]
    pub gold: GoldArgs,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    #[command(flatten)]
    pub labels: LabelArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub gold: GoldArgs,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    /// The predictions: any path --gold takes.
    #[arg(long)]
    pub pred: PathBuf,
    /// The format of --pred [default: as for --gold].
    #[arg(long, value_enum)]
    pub pred_format: Option<DataFormatArg>,
    /// For a Label Studio --pred: read `annotations` or `predictions`.
    #[arg(long, value_enum, default_value_t)]
    pub pred_ls_results: LsResultsArg,
    /// Leave out predicted documents that the gold does not have, instead of failing.
    #[arg(long)]
    pub ignore_unknown_docs: bool,
    #[command(flatten)]
    pub fail_under: FailUnderArgs,
    #[command(flatten)]
    pub labels: LabelArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub gold: GoldArgs,
    /// The folder of gazetteer CSV files to check.
    #[arg(long, default_value = GAZETTEER_DIR)]
    pub gazetteer: PathBuf,
    /// Where variant files are checked (each must load and build).
    #[command(flatten)]
    pub variants: VariantsDirArgs,
}

/// How two systems' difference is resampled (`compare`, `report --compare`).
#[derive(Debug, clap::Args)]
pub struct ResamplingArgs {
    /// Bootstrap resamples for the confidence intervals.
    #[arg(long, default_value_t = 1000)]
    pub resamples: usize,
    /// Shuffles of the approximate randomisation test.
    #[arg(long, default_value_t = 10_000)]
    pub shuffles: usize,
    /// Seed of the random generator: same seed, same output.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The resampling unit.
    #[arg(long, value_enum, default_value_t)]
    pub unit: UnitArg,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The systems to compare (variant names or .toml files, predictions files or folders,
    /// cmd:COMMAND, each optionally NAME=SYSTEM); none = every variant of --variants-dir.
    /// The first one is the reference for the p-values.
    #[arg(value_name = "SYSTEM")]
    pub systems: Vec<String>,
    #[command(flatten)]
    pub systems_args: SystemsArgs,
    #[command(flatten)]
    pub gold: GoldArgs,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    #[command(flatten)]
    pub resampling: ResamplingArgs,
    #[command(flatten)]
    pub by: ByArgs,
    /// Also measure each system's speed on the gold texts (not deterministic), in seconds for
    /// one run and MB/s: a variant's tagging (repeated for half a second), a command's wall
    /// clock from start to exit; none for a predictions file (nothing runs).
    #[arg(long)]
    pub timing: bool,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t)]
    pub format: FormatArg,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The systems to check, by name (as tagbench.toml names them, or SYSTEMs when there is
    /// none); none = every system.
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// The project file naming the gold, the systems and the tolerance [default:
    /// tagbench.toml, when there is one; else every variant].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub gold: GoldArgs,
    #[command(flatten)]
    pub systems: SystemsArgs,
    /// The committed baseline [default: the project file's, else gold/baseline.json].
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// How much an F1 may drop before the check fails [default: the project file's, else 0].
    #[arg(long)]
    pub tolerance: Option<f64>,
    /// Rewrite the baseline with the current results instead of checking (with NAMEs, only
    /// theirs), and print in short what changed.
    #[arg(long)]
    pub bless: bool,
    /// Output format of the check (not of --bless's summary).
    #[arg(long, short, value_enum, default_value_t)]
    pub format: CheckFormatArg,
    /// Also check every system that can tag a text on these perturbed copies of the gold
    /// (recorded as SYSTEM@PERTURBATION) [default: the project file's `perturbations`, else
    /// none].
    #[arg(long, value_enum, value_delimiter = ',')]
    pub perturbations: Vec<PerturbationArg>,
    /// Flags given on the command line rather than by their defaults (set by `main`).
    #[arg(skip)]
    pub given: Given,
}

/// Which defaulted flags of `check` were given on the command line: they win over the
/// project file.
#[derive(Debug, Default, Clone, Copy)]
pub struct Given {
    pub gold: bool,
    pub variants_dir: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub system: SystemArgs,
    /// Compare two systems (as --system takes them) instead of reporting one: scores side
    /// by side and the places where their predictions differ. A is the reference.
    #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with = "system")]
    pub compare: Option<Vec<String>>,
    #[command(flatten)]
    pub gold: GoldArgs,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    #[command(flatten)]
    pub labels: LabelArgs,
    #[command(flatten)]
    pub by: ByArgs,
    /// With --compare: the interval and p-value of the F1 difference, as `compare` computes
    /// them.
    #[command(flatten)]
    pub resampling: ResamplingArgs,
    /// Write the HTML here (atomically) instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The input format [default: as for --gold: a gold folder is csv, another folder brat,
    /// a file's extension tells: .csv, .conll/.bio, .jsonl, .json (labelstudio), .ann].
    #[arg(long, value_enum)]
    pub from: Option<DataFormatArg>,
    /// The output format [default: from OUT's extension, as for --from; a folder or a path
    /// without extension is brat].
    #[arg(long, value_enum)]
    pub to: Option<DataFormatArg>,
    /// The texts (a folder of <doc>.txt): for csv input [default: the texts/ folder beside
    /// IN, else gold/texts]; for conll input, tokens are aligned with them (without, the
    /// text is rebuilt from the tokens).
    #[arg(long)]
    pub texts: Option<PathBuf>,
    /// For csv output: also write every text as DIR/<doc>.txt.
    #[arg(long, value_name = "DIR")]
    pub texts_out: Option<PathBuf>,
    /// For Label Studio input and output: the regions under `annotations` or `predictions`.
    #[arg(long, value_enum, default_value_t)]
    pub ls_results: LsResultsArg,
    /// Rename labels on the way: `PER=ACTOR,ORG=ACTOR`, or a file of such rules; `X=` drops
    /// X's mentions (how many is said on standard error).
    #[arg(long, value_name = "RULES|FILE")]
    pub label_map: Option<String>,
    /// The tag scheme of conll output [default: iob2].
    #[arg(long, value_enum)]
    pub tag_scheme: Option<TagSchemeArg>,
    /// The tag scheme of conll input [default: detected from the prefixes, as for `score`].
    #[arg(long, value_enum)]
    pub from_tag_scheme: Option<TagSchemeArg>,
    /// How chunks are read from conll input [default: conlleval].
    #[arg(long, value_enum)]
    pub chunking: Option<ChunkingArg>,
    /// The input: a file, a brat folder or a gold folder.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// The output file (a folder for brat), written atomically.
    #[arg(value_name = "OUT")]
    pub output: PathBuf,
}
