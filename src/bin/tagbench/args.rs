//! Command-line flags, parsed into typed values at the edge.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

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
    /// Tag .txt files (or every .txt of a folder) and write predictions as CSV.
    Tag(TagArgs),
    /// Tag the gold texts with a variant and score them against the gold annotations.
    Eval(EvalArgs),
    /// Score a predictions CSV (from any tool) against a gold CSV.
    Score(ScoreArgs),
    /// Check gold and gazetteer files for every integrity rule.
    Validate(ValidateArgs),
    /// Compare variants side by side, with bootstrap confidence intervals and significance.
    Compare(CompareArgs),
    /// Regression check: run every variant and compare with the committed baseline.
    Check(CheckArgs),
    /// Write a self-contained HTML report: scores, marked texts, errors linked into them.
    Report(ReportArgs),
}

#[derive(Debug, clap::Args)]
pub struct VariantArgs {
    /// A variant name (a file of --variants-dir) or a path to a variant .toml file.
    #[arg(long, default_value = "default")]
    pub variant: String,
    /// Where variant names are looked up.
    #[arg(long, default_value = "variants")]
    pub variants_dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct TagArgs {
    #[command(flatten)]
    pub variant: VariantArgs,
    /// Write the predictions here instead of standard output (written atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Text files or folders of .txt files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Colour in the table: auto means only on a terminal (and not with NO_COLOR).
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// List at most this many errors in table and markdown output (all by default).
    #[arg(long)]
    pub max_errors: Option<usize>,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub variant: VariantArgs,
    /// The gold folder: DIR/texts/*.txt and DIR/annotations.csv.
    #[arg(long, default_value = "gold")]
    pub gold: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// The gold annotations (CSV: doc,start,end,label,text,norm).
    #[arg(long)]
    pub gold: PathBuf,
    /// The predictions, same format.
    #[arg(long)]
    pub pred: PathBuf,
    /// The texts: checks every row's text against its slice and shows context around errors.
    #[arg(long)]
    pub texts: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The gold folder to check.
    #[arg(long, default_value = "gold")]
    pub gold: PathBuf,
    /// The folder of gazetteer CSV files to check.
    #[arg(long, default_value = "gazetteer")]
    pub gazetteer: PathBuf,
    /// Where variant files are checked (each must load and build).
    #[arg(long, default_value = "variants")]
    pub variants_dir: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Csv,
    Markdown,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Variants to compare (names or .toml paths); none = every variant of --variants-dir.
    /// The first one is the reference for the p-values.
    pub variants: Vec<String>,
    /// Where variant names are looked up.
    #[arg(long, default_value = "variants")]
    pub variants_dir: PathBuf,
    /// The gold folder.
    #[arg(long, default_value = "gold")]
    pub gold: PathBuf,
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
    #[arg(long, value_enum, default_value_t = UnitArg::Paragraph)]
    pub unit: UnitArg,
    /// Also measure each variant's tagging throughput on the gold texts (not deterministic).
    #[arg(long)]
    pub timing: bool,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum UnitArg {
    Paragraph,
    Document,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The gold folder.
    #[arg(long, default_value = "gold")]
    pub gold: PathBuf,
    /// Where the variants are.
    #[arg(long, default_value = "variants")]
    pub variants_dir: PathBuf,
    /// The committed baseline.
    #[arg(long, default_value = "gold/baseline.json")]
    pub baseline: PathBuf,
    /// How much an F1 may drop before the check fails.
    #[arg(long, default_value_t = 0.0)]
    pub tolerance: f64,
    /// Rewrite the baseline with the current results instead of checking.
    #[arg(long)]
    pub bless: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub variant: VariantArgs,
    /// Compare two variants (names or .toml paths) instead of reporting one: scores side by
    /// side and the places where their predictions differ. A is the reference.
    #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with = "variant")]
    pub compare: Option<Vec<String>>,
    /// The gold folder.
    #[arg(long, default_value = "gold")]
    pub gold: PathBuf,
    /// Write the HTML here (atomically) instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}
