//! `tagbench compare`: the regression compare against the committed baseline.

use anyhow::Result;

use crate::args::CompareArgs;
use crate::Outcome;

pub fn run(_a: CompareArgs) -> Result<Outcome> {
    anyhow::bail!("compare: being written")
}
