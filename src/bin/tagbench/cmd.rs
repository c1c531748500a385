//! One function per subcommand; flags become library objects here and nowhere else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use tagbench::report::{self, Format, RenderOptions};
use tagbench::score::evaluate_sets;
use tagbench::variant::Variant;
use tagbench::{Dataset, Gazetteer, OpenOptions, Tagger, Texts};

use crate::args::{
    Command, EvalArgs, FormatArg, OutputArgs, ScoreArgs, TagArgs, ValidateArgs, VariantArgs,
};
use crate::data::{format_of, hint, ls_results, open_gold, open_gold_with_texts};
use crate::output::{print, use_color, AtomicFile};
use crate::Outcome;

pub fn run(cmd: Command) -> Result<Outcome> {
    match cmd {
        Command::Tag(a) => tag(a),
        Command::Eval(a) => eval(a),
        Command::Score(a) => score(a),
        Command::Validate(a) => validate(a),
        Command::Compare(a) => crate::compare::run(a),
        Command::Check(a) => crate::check::run(a),
        Command::Report(a) => crate::report::run(a),
        Command::Convert(a) => crate::convert::run(a),
    }
}

pub fn load_variant(v: &VariantArgs) -> Result<(Variant, Tagger)> {
    let variant = Variant::resolve(&v.variant, &v.variants_dir)?;
    let tagger = variant.build()?;
    Ok((variant, tagger))
}

pub fn render_options(o: &OutputArgs) -> (Format, RenderOptions) {
    let format = match o.format {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Markdown => Format::Markdown,
    };
    let opts = RenderOptions {
        color: matches!(format, Format::Table) && use_color(o.color),
        max_errors: o.max_errors,
    };
    (format, opts)
}

fn tag(a: TagArgs) -> Result<Outcome> {
    use std::io::{IsTerminal, Write};
    use tagbench::stream::{tag_batch, ChunkReader, Input};

    let (_, tagger) = load_variant(&a.variant)?;
    let mut inputs = Vec::new();
    for p in &a.paths {
        inputs.extend(Input::expand(p)?);
    }
    let total: Option<u64> = inputs.iter().map(Input::size).sum();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let batch_bytes = usize::try_from(a.batch_mib << 20).unwrap_or(usize::MAX);
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
    let mut sink: Box<dyn Write> = match file.as_mut() {
        Some(f) => Box::new(f),
        None => Box::new(&mut held),
    };
    let started = std::time::Instant::now();
    let (mut docs, mut bytes, mut spans_written) = (0u64, 0u64, 0u64);
    let mut last_doc: Option<std::sync::Arc<str>> = None;
    sink.write_all(tagbench::HEADER.join(",").as_bytes())?;
    sink.write_all(b"\n")?;
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
        let rows = pool.install(|| tag_batch(&tagger, &batch));
        for (chunk, r) in batch.iter().zip(&rows) {
            if last_doc.as_ref() != Some(&chunk.doc) {
                docs += 1;
                last_doc = Some(chunk.doc.clone());
            }
            bytes += chunk.text.len() as u64;
            spans_written += r.iter().filter(|&&b| b == b'\n').count() as u64;
            sink.write_all(r)?;
        }
        if let Some(b) = &bar {
            b.set_position(reader.consumed());
        }
    }
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
        eprintln!(
            "tagged {docs} documents, {:.1} MiB in {secs:.2} s ({:.0} MiB/s, {} threads), \
             {spans_written} rows",
            bytes as f64 / f64::from(1 << 20),
            bytes as f64 / f64::from(1 << 20) / secs.max(1e-9),
            pool.current_num_threads(),
        );
    }
    Ok(Outcome::Ok)
}

/// Standard output, held in memory until `limit` bytes, then written through.
struct HeldOutput {
    buf: Vec<u8>,
    limit: usize,
    streaming: bool,
}

impl HeldOutput {
    fn new(limit: usize) -> HeldOutput {
        HeldOutput {
            buf: Vec::new(),
            limit,
            streaming: false,
        }
    }

    /// Writes what is held (the run succeeded).
    fn finish(mut self) -> std::io::Result<()> {
        use std::io::Write;
        self.streaming = true;
        self.flush()
    }
}

impl std::io::Write for HeldOutput {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        if self.buf.len() > self.limit {
            self.streaming = true;
            self.flush()?;
        }
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.streaming && !self.buf.is_empty() {
            print(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

fn eval(a: EvalArgs) -> Result<Outcome> {
    let (_, tagger) = load_variant(&a.variant)?;
    let gold = open_gold_with_texts(&a.gold)?;
    let pred = tagger.tag_corpus(gold.corpus());
    let evaluation = evaluate_sets(Some(gold.corpus()), gold.annotations(), &pred);
    let (format, opts) = render_options(&a.output);
    print(report::render(&evaluation, format, &opts).as_bytes())?;
    Ok(Outcome::Ok)
}

fn score(a: ScoreArgs) -> Result<Outcome> {
    let (gold, texts) = open_gold(&a.gold)?;
    // Predictions refer to the texts given, or else to the gold's own (a CoNLL file is
    // aligned with them, a CSV checked against them); never to a text rebuilt from tokens.
    let gold_texts = (gold.texts() == Texts::Read).then(|| gold.corpus());
    let pred = Dataset::open(
        &a.pred,
        OpenOptions::new()
            .format(a.pred_format.map(format_of))
            .texts(texts.as_ref().or(gold_texts))
            .labelstudio(ls_results(a.pred_ls_results)),
    )
    .map_err(|e| hint(e, "--pred-format"))?;
    let gold_name = a.gold.gold.display().to_string();
    let pred_name = a.pred.display().to_string();
    match (gold.texts(), pred.texts()) {
        (Texts::Rebuilt, Texts::Rebuilt) => {}
        (Texts::Rebuilt, _) => bail!(
            "{gold_name}: a conll gold read without --texts has its text rebuilt from the \
             tokens, so its offsets cannot be compared with those of {pred_name}; give the \
             original texts with --texts DIR"
        ),
        (Texts::Missing, Texts::Rebuilt) => bail!(
            "{pred_name}: conll predictions need the texts their tokens come from, and the csv \
             gold has none; give them with --texts DIR"
        ),
        _ => {}
    }
    if let Some(t) = &texts {
        pred.check_same_texts(&pred_name, t, "--texts")?;
    }
    gold.check_same_texts(&gold_name, pred.corpus(), &pred_name)?;
    // A gold CSV without texts takes the predictions' own, checked now.
    let gold = match pred.texts() {
        Texts::Read => gold.with_texts(pred.corpus())?,
        Texts::Rebuilt | Texts::Missing => gold,
    };
    let corpus = (gold.texts() != Texts::Missing).then(|| gold.corpus());
    let evaluation = evaluate_sets(corpus, gold.annotations(), pred.annotations());
    let (format, opts) = render_options(&a.output);
    print(report::render(&evaluation, format, &opts).as_bytes())?;
    Ok(Outcome::Ok)
}

fn validate(a: ValidateArgs) -> Result<Outcome> {
    let mut problems: Vec<String> = Vec::new();
    let mut checked: Vec<String> = Vec::new();
    match open_gold(&a.gold) {
        Ok((gold, _)) => {
            problems.extend(gold_consistency(&gold));
            checked.push(format!(
                "gold: {} documents, {} annotations",
                gold.corpus().len(),
                gold.annotations().len()
            ));
        }
        Err(e) => problems.push(e.to_string()),
    }
    let files = gazetteer_files(&a.gazetteer)?;
    let mut all = Gazetteer::new();
    for f in &files {
        match all.add_file(f) {
            Ok(()) => {}
            Err(e) => problems.push(e.to_string()),
        }
    }
    checked.push(format!(
        "gazetteer: {} files, {} terms",
        files.len(),
        all.len()
    ));
    if a.variants_dir.is_dir() {
        let names = Variant::names(&a.variants_dir)?;
        for n in &names {
            if let Err(e) = Variant::resolve(n, &a.variants_dir).and_then(|v| v.build()) {
                problems.push(e.to_string());
            }
        }
        checked.push(format!("variants: {}", names.len()));
    }
    let mut out = String::new();
    for c in &checked {
        out.push_str(&format!("checked {c}\n"));
    }
    for p in &problems {
        out.push_str(&format!("problem: {p}\n"));
    }
    if problems.is_empty() {
        out.push_str("ok: no problems\n");
        print(out.as_bytes())?;
        Ok(Outcome::Ok)
    } else {
        out.push_str(&format!("{} problem(s)\n", problems.len()));
        print(out.as_bytes())?;
        Ok(Outcome::CheckFailed)
    }
}

fn gazetteer_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let rd = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read the gazetteer folder", dir.display()))?;
    let mut files = Vec::new();
    for e in rd {
        let p = e?.path();
        if p.extension().is_some_and(|x| x == "csv") {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        bail!("{}: no .csv files in this folder", dir.display());
    }
    Ok(files)
}

/// A surface string annotated with two labels or two norms (the guidelines allow none in the
/// gold texts).
fn gold_consistency(gold: &Dataset) -> Vec<String> {
    let file = gold
        .source()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut seen: BTreeMap<&str, (&tagbench::Annotation, u64)> = BTreeMap::new();
    let mut out = Vec::new();
    for a in gold.annotations().iter() {
        match seen.get(a.text.as_str()) {
            Some((b, line)) if b.span.label != a.span.label || b.span.norm != a.span.norm => {
                out.push(format!(
                    "{}: line {}: {:?} is {} {:?} here but {} {:?} on line {}",
                    file,
                    a.line,
                    a.text,
                    a.span.label,
                    a.span.norm.to_string(),
                    b.span.label,
                    b.span.norm.to_string(),
                    line
                ));
            }
            Some(_) => {}
            None => {
                seen.insert(&a.text, (a, a.line));
            }
        }
    }
    out
}
