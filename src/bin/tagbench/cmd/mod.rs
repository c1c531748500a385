//! One file per subcommand. Each takes its configuration (library objects built from the
//! flags by [`crate::config`]) and returns an [`Outcome`].

mod check;
mod compare;
mod convert;
mod eval;
mod perturb;
mod report;
mod score;
mod stress;
mod tag;
mod validate;

use anyhow::Result;

use crate::config::Config;
use crate::Outcome;

pub fn run(config: Config) -> Result<Outcome> {
    match config {
        Config::Tag(c) => tag::run(c),
        Config::Eval(c) => eval::run(c),
        Config::Score(c) => score::run(c),
        Config::Validate(c) => validate::run(c),
        Config::Compare(c) => compare::run(c),
        Config::Check(c) => check::run(c),
        Config::Report(c) => report::run(c),
        Config::Convert(c) => convert::run(c),
        Config::Perturb(c) => perturb::run(c),
        Config::Stress(c) => stress::run(c),
    }
}
