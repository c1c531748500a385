//! `tagbench tag`: stream texts through a tagger, in parallel, into one predictions file (CSV
//! or JSONL).

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};
use tagbench::stream::{tag_batch, ChunkReader, Input, PredictionWriter};

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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads)
        .build()
        .context("cannot start the worker threads")?;
    let batch_bytes = a.batch_bytes;
    // Long texts are cut into chunks a few times smaller than a batch, so that a batch of
    // one long text still keeps every thread busy.
    let chunk_bytes = (batch_bytes / 8).max(1 << 16);
    let mut reader = ChunkReader::new(inputs, chunk_bytes);
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
    let mut writer = PredictionWriter::new(sink, a.format)?;
    let started = std::time::Instant::now();
    let (mut docs, mut bytes, mut spans_written) = (0u64, 0u64, 0u64);
    let mut last_doc: Option<std::sync::Arc<str>> = None;
    let mut batch = Vec::new();
    loop {
        batch.clear();
        let mut size = 0;
        while size < batch_bytes {
            let Some(chunk) = reader.next_chunk()? else {
                break;
            };
            size += chunk.text.len().max(1);
            batch.push(chunk);
        }
        if batch.is_empty() {
            break;
        }
        let rendered = pool.install(|| tag_batch(&tagger, &batch, a.format));
        for (chunk, r) in batch.iter().zip(&rendered) {
            if last_doc.as_ref() != Some(&chunk.doc) {
                docs += 1;
                last_doc = Some(chunk.doc.clone());
            }
            bytes += chunk.text.len() as u64;
            spans_written += r.count as u64;
            writer.write(chunk, r)?;
        }
        if let Some(b) = &bar {
            b.set_position(reader.consumed());
        }
    }
    drop(writer.finish()?);
    match file {
        Some(f) => f.commit()?,
        None => held.finish()?,
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if a.stats || bar.is_some() {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "tagged {docs} documents, {:.1} MiB in {secs:.2} s ({:.0} MiB/s, {} threads), \
             {spans_written} spans",
            bytes as f64 / f64::from(1 << 20),
            bytes as f64 / f64::from(1 << 20) / secs.max(1e-9),
            pool.current_num_threads(),
        );
    }
    Ok(Outcome::Ok)
}
