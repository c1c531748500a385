//! The `tagbench` binary: a thin layer over the library. `main` maps outcomes to exit codes:
//! 0 ok, 1 a check failed, 2 bad usage or bad input. A broken pipe is not an error.

mod args;
mod check;
mod cmd;
mod compare;
mod convert;
mod data;
mod output;
mod report;

use std::process::ExitCode;

use clap::Parser;

/// What a command reports when it did not fail.
pub enum Outcome {
    /// Everything passed.
    Ok,
    /// The command ran, and a check it performs failed (exit 1).
    CheckFailed,
}

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match cmd::run(cli.command) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::CheckFailed) => ExitCode::from(1),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("tagbench: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
