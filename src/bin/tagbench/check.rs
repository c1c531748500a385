//! `tagbench check`: the regression check against the committed baseline.

use anyhow::Result;

use crate::args::CheckArgs;
use crate::Outcome;

pub fn run(_a: CheckArgs) -> Result<Outcome> {
    anyhow::bail!("check: being written")
}
