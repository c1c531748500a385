//! One function per subcommand; flags become library objects here and nowhere else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use tagbench::format;
use tagbench::report::{self, Format, RenderOptions};
use tagbench::score::evaluate_sets;
use tagbench::variant::Variant;
use tagbench::{read_document, text_files, Corpus, Gazetteer, Gold, Tagger};

use crate::args::{
    Command, EvalArgs, FormatArg, OutputArgs, ScoreArgs, TagArgs, ValidateArgs, VariantArgs,
};
use crate::data::{load, load_gold, ls_results, resolve, same_texts};
use crate::output::{print, use_color, write_atomic};
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
    let (_, tagger) = load_variant(&a.variant)?;
    let mut files: Vec<PathBuf> = Vec::new();
    for p in &a.paths {
        if p.is_dir() {
            let found = text_files(p)?;
            if found.is_empty() {
                bail!("{}: no .txt files in this folder", p.display());
            }
            files.extend(found);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            bail!("{}: no such file or folder", p.display());
        }
    }
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut docs = Vec::new();
    for f in files {
        let d = read_document(&f)?;
        if let Some(first) = seen.insert(d.id.clone(), f.clone()) {
            bail!(
                "{}: document id {:?} is also the id of {}",
                f.display(),
                d.id,
                first.display()
            );
        }
        docs.push(d);
    }
    let corpus = Corpus::from_documents(docs)?;
    let set = tagger.tag_corpus(&corpus);
    let mut bytes = Vec::new();
    set.write(&mut bytes)?;
    match &a.out {
        Some(p) => write_atomic(p, &bytes)?,
        None => print(&bytes)?,
    }
    Ok(Outcome::Ok)
}

fn eval(a: EvalArgs) -> Result<Outcome> {
    let (_, tagger) = load_variant(&a.variant)?;
    let gold = load_gold(&a)?;
    let pred = tagger.tag_corpus(&gold.corpus);
    let evaluation = evaluate_sets(Some(&gold.corpus), &gold.annotations, &pred);
    let (format, opts) = render_options(&a.output);
    print(report::render(&evaluation, format, &opts).as_bytes())?;
    Ok(Outcome::Ok)
}

fn score(a: ScoreArgs) -> Result<Outcome> {
    let gold_fmt = resolve(&a.gold, a.gold_format, "--gold-format")?;
    let pred_fmt = resolve(&a.pred, a.pred_format, "--pred-format")?;
    let texts = a.texts.as_deref().map(Corpus::read_dir).transpose()?;
    let gold = load(
        &a.gold,
        gold_fmt,
        texts.as_ref(),
        ls_results(a.gold_ls_results),
    )?;
    // CoNLL predictions are aligned with the texts, or else with the gold's.
    let pred = load(
        &a.pred,
        pred_fmt,
        texts.as_ref().or(gold.corpus.as_ref()),
        ls_results(a.pred_ls_results),
    )?;
    if gold.rebuilt && pred_fmt != format::Format::Conll {
        bail!(
            "{}: a conll gold read without --texts has its text rebuilt from the tokens, so \
             its offsets cannot be compared with {pred_fmt} predictions; give the original \
             texts with --texts DIR",
            a.gold.display()
        );
    }
    if pred.rebuilt {
        bail!(
            "{}: conll predictions need the texts their tokens come from, and the csv gold has \
             none; give them with --texts DIR",
            a.pred.display()
        );
    }
    let gold_name = a.gold.display().to_string();
    let pred_name = a.pred.display().to_string();
    if let Some(t) = &texts {
        for (c, name) in [(&gold.corpus, &gold_name), (&pred.corpus, &pred_name)] {
            if let Some(c) = c {
                same_texts(t, "--texts", c, name)?;
            }
        }
    }
    if let (Some(g), Some(p)) = (&gold.corpus, &pred.corpus) {
        same_texts(g, &gold_name, p, &pred_name)?;
    }
    let corpus = texts.or(gold.corpus).or(pred.corpus);
    if let Some(c) = &corpus {
        gold.annotations
            .check_against(c, true)
            .map_err(|e| e.at_path(&a.gold))?;
        pred.annotations
            .check_against(c, false)
            .map_err(|e| e.at_path(&a.pred))?;
    }
    let evaluation = evaluate_sets(corpus.as_ref(), &gold.annotations, &pred.annotations);
    let (format, opts) = render_options(&a.output);
    print(report::render(&evaluation, format, &opts).as_bytes())?;
    Ok(Outcome::Ok)
}

fn validate(a: ValidateArgs) -> Result<Outcome> {
    let mut problems: Vec<String> = Vec::new();
    let mut checked: Vec<String> = Vec::new();
    match Gold::load(&a.gold) {
        Ok(gold) => {
            problems.extend(gold_consistency(&gold));
            checked.push(format!(
                "gold: {} documents, {} annotations",
                gold.corpus.len(),
                gold.annotations.len()
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
fn gold_consistency(gold: &Gold) -> Vec<String> {
    let mut seen: BTreeMap<&str, (&tagbench::Annotation, u64)> = BTreeMap::new();
    let mut out = Vec::new();
    for a in gold.annotations.iter() {
        match seen.get(a.text.as_str()) {
            Some((b, line)) if b.span.label != a.span.label || b.span.norm != a.span.norm => {
                out.push(format!(
                    "{}: line {}: {:?} is {} {:?} here but {} {:?} on line {}",
                    "annotations.csv",
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
