//! `tagbench tag`: stream texts through a tagger, in parallel, into one predictions file (CSV
//! or JSONL).

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};
use tagbench::stream::{tag_stream, Input, StreamError, StreamOptions};

use crate::config::Tag;
use crate::output::{AtomicFile, HeldOutput};
use crate::Outcome;

pub fn run(a: Tag) -> Result<Outcome> {
    let tagger = a.variant.tagger()?;
    let mut inputs = Vec::new();
    for p in &a.paths {
        inputs.extend(Input::expand(p)?);
    }
    let total: Option<u64> = inputs.iter().map(Input::size).sum();
    let workers = match a.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = match total {
            Some(t) => indicatif::ProgressBar::new(t),
            None => indicatif::ProgressBar::new_spinner(),
        };
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} tagging [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b
    });
    let mut file = a.out.as_deref().map(AtomicFile::create).transpose()?;
    // Standard output is held back up to 64 MiB, so that a run failing on a bad input early
    // prints nothing; past that it streams (and a failure leaves what was printed).
    let mut held = HeldOutput::new(64 << 20);
    let sink: Box<dyn Write> = match file.as_mut() {
        Some(f) => Box::new(f),
        None => Box::new(&mut held),
    };
    let opts = StreamOptions {
        format: a.format,
        workers,
        in_flight_bytes: a.batch_bytes,
    };
    let started = std::time::Instant::now();
    let mut progress = |n| {
        if let Some(b) = &bar {
            b.set_position(n);
        }
    };
    let (sink, stats) = match tag_stream(&tagger, inputs, sink, opts, &mut progress) {
        Ok(done) => done,
        Err(StreamError::Read(e)) => return Err(e.into()),
        Err(StreamError::Write(e)) => {
            let to = a
                .out
                .as_deref()
                .map_or("standard output".into(), |p| p.display().to_string());
            return Err(e).with_context(|| format!("{to}: cannot write"));
        }
        Err(e) => return Err(e.into()),
    };
    drop(sink);
    match file {
        Some(f) => f.commit()?,
        None => held.finish()?,
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if a.stats || bar.is_some() {
        let secs = started.elapsed().as_secs_f64();
        let mib = stats.bytes as f64 / f64::from(1 << 20);
        let rss = peak_rss_mb().map_or(String::new(), |mb| format!(", peak RSS {mb} MB"));
        let s = if workers == 1 { "" } else { "s" };
        eprintln!(
            "tagged {} documents, {mib:.1} MiB in {secs:.2} s ({:.0} MiB/s, {workers} tagging \
             thread{s}), {} spans{rss}",
            stats.docs,
            mib / secs.max(1e-9),
            stats.spans,
        );
    }
    Ok(Outcome::Ok)
}

/// The process's peak resident set size in MiB (rounded), where the OS says it: `VmHWM` in
/// `/proc/self/status` on Linux.
fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    Some((kib + 512) / 1024)
}
