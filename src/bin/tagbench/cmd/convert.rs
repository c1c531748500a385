//! `tagbench convert`: annotated documents from one format to another.

use std::path::Path;

use anyhow::Result;
use tagbench::format::{self, Format, Reason, WriteOptions};
use tagbench::{Corpus, Dataset, OpenOptions, Texts};

use crate::args::CONVERT_TEXTS;
use crate::config::Convert;
use crate::output::{check_folder_target, write_folder, write_output};
use crate::Outcome;

/// How many unrepresentable spans are listed one by one on standard error.
const LISTED: usize = 10;

pub fn run(a: Convert) -> Result<Outcome> {
    let (to, ls) = (a.to, a.labelstudio);
    let texts = a.texts.as_deref().map(Corpus::read_dir).transpose()?;
    let mut data = Dataset::open(
        &a.input,
        OpenOptions::new()
            .format(Some(a.from))
            .texts(texts.as_ref())
            .labelstudio(ls)
            .conll(a.conll),
    )?;
    if let Some(t) = &texts {
        data.check_same_texts(&a.input.display().to_string(), t, "--texts")?;
    }
    if data.texts() == Texts::Missing {
        // An annotations CSV without a texts/ folder beside it: the gold's texts.
        data = data.with_texts(&Corpus::read_dir(Path::new(CONVERT_TEXTS))?)?;
    }
    let dropped = data.relabel(&a.label_map, None);
    if dropped > 0 {
        eprintln!(
            "tagbench: dropped {dropped} of the input's mentions (labels mapped to nothing by \
             --label-map)"
        );
    }
    // A document id the output cannot name is an error of the input file (the library's
    // error names it).
    let write_opts = WriteOptions {
        labelstudio: ls,
        conll: a.tag_scheme,
    };
    let written = format::write(to, &data, &write_opts)?;
    // Every file name is checked before anything is written.
    let text_files = match &a.texts_out {
        Some(_) => data.text_files()?,
        None => Vec::new(),
    };
    // A --texts-out that cannot be written fails before the output is replaced.
    if let Some(dir) = &a.texts_out {
        check_folder_target(dir)?;
    }
    write_output(&a.output, to, &written)?;
    if let Some(dir) = &a.texts_out {
        write_folder(dir, &text_files)?;
    }

    let total = data.annotations().len();
    if to == Format::Conll {
        let n = written.unrepresented.len();
        let mut msg = format!(
            "tagbench: conll: wrote {} of {total} spans; {n} not representable in BIO",
            total - n
        );
        if n > 0 {
            let mut parts = Vec::new();
            for r in [
                Reason::InsideToken,
                Reason::CrossesSentence,
                Reason::Overlaps,
            ] {
                let k = written
                    .unrepresented
                    .iter()
                    .filter(|u| u.reason == r)
                    .count();
                if k > 0 {
                    parts.push(format!("{k} {}", r.as_str()));
                }
            }
            msg.push_str(&format!(" ({})", parts.join(", ")));
        }
        eprintln!("{msg}");
        for u in written.unrepresented.iter().take(LISTED) {
            let text = data
                .annotations()
                .get(&u.doc)
                .iter()
                .find(|x| x.span == u.span)
                .map(|x| x.text.as_str())
                .unwrap_or("");
            eprintln!(
                "  {} {}..{} {} {text:?}: {}",
                u.doc,
                u.span.start,
                u.span.end,
                u.span.label,
                u.reason.as_str()
            );
        }
        if written.unrepresented.len() > LISTED {
            eprintln!("  ... and {} more", written.unrepresented.len() - LISTED);
        }
    }
    if written.norms_dropped > 0 {
        eprintln!(
            "tagbench: {to} has no place for norms: {} norm{} not written",
            written.norms_dropped,
            if written.norms_dropped == 1 { "" } else { "s" }
        );
    }
    Ok(Outcome::Ok)
}
