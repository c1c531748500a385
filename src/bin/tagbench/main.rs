//! The `tagbench` binary: a thin layer over the library. `main` maps outcomes to exit codes:
//! 0 ok, 1 a check failed, 2 bad usage or bad input. A broken pipe is not an error. A panic
//! is a bug: it prints one line saying so (no backtrace unless `RUST_BACKTRACE` asks for
//! one) and exits 2 too.

mod args;
mod cmd;
mod config;
mod output;

use std::panic::{self, PanicHookInfo};
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
    install_panic_hook();
    panic::catch_unwind(run).unwrap_or(ExitCode::from(2))
}

fn run() -> ExitCode {
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
    match config::build(cli.command).and_then(cmd::run) {
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

/// Replaces Rust's panic message (a thread name, a source location and an invitation to set
/// `RUST_BACKTRACE`) with one line for users. With `RUST_BACKTRACE` set, the default hook
/// runs as well, for whoever debugs it.
fn install_panic_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        eprintln!("{}", panic_line(info));
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            default(info);
        }
    }));
}

/// `tagbench: internal error: MESSAGE (at FILE:LINE); this is a bug, please report it`.
fn panic_line(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let msg = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic");
    let at = info
        .location()
        .map(|l| format!(" (at {}:{})", l.file(), l.line()))
        .unwrap_or_default();
    format!("tagbench: internal error: {msg}{at}; this is a bug, please report it")
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn a_panic_is_one_line_that_says_it_is_a_bug() {
        static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let previous = panic::take_hook();
        panic::set_hook(Box::new(|info| {
            SEEN.lock().unwrap().push(panic_line(info));
        }));
        let caught = panic::catch_unwind(|| panic!("offset {} out of range", 7));
        let caught_str = panic::catch_unwind(|| std::panic::panic_any("static message"));
        panic::set_hook(previous);
        assert!(caught.is_err() && caught_str.is_err());
        let seen = SEEN.lock().unwrap();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(
            seen[0].starts_with(
                "tagbench: internal error: offset 7 out of range (at src/bin/tagbench/main.rs:"
            ),
            "{}",
            seen[0]
        );
        assert!(seen[0].ends_with("; this is a bug, please report it"));
        assert!(
            seen[1].contains("internal error: static message"),
            "{}",
            seen[1]
        );
        assert!(seen
            .iter()
            .all(|l| !l.contains('\n') && !l.contains("RUST_BACKTRACE")));
    }
}
