//! brat standoff: for each document, `<id>.txt` (the text, byte for byte) and `<id>.ann`
//! (its annotations), in one folder.
//!
//! ```text
//! T1<TAB>PLACE 0 4<TAB>Mali
//! #1<TAB>AnnotatorNotes T1<TAB>Mali
//! T2<TAB>FIGURE 20 26<TAB>13,000
//! #2<TAB>AnnotatorNotes T2<TAB>13000
//! ```
//!
//! - A `T` line is a text-bound annotation: id, then the label and half-open **code-point**
//!   offsets (brat's convention, like ours), then the mention's text, which must equal the
//!   slice. brat writes a line break inside a mention as a space; so does tagbench, and the
//!   comparison reads it so.
//! - A discontinuous span (`T1<TAB>ACTOR 0 4;10 15<TAB>...`) is an error: a mention is one
//!   range here.
//! - An `AnnotatorNotes` note on a `T` annotation carries its norm (a name, or a FIGURE's
//!   integer value); no note, no norm. Two notes on one annotation are an error.
//! - Relations (`R`), events (`E`), attributes (`A`, `M`), normalizations (`N`) and
//!   equivalences (`*`) are read over: they are not spans. Any other line is an error.
//! - A folder is read as every `<id>.txt` with its `<id>.ann` (each needs the other); a
//!   single `.ann` path reads that one pair.
//!
//! Written: one `.txt` and one `.ann` per document (ids must be usable as file names),
//! annotations numbered `T1`, `T2`, ... by position, each note right after its annotation,
//! plus an `annotation.conf` declaring the three labels so that brat can display them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{lines, make_annotation, Dataset};
use crate::annotations::{Annotation, AnnotationSet};
use crate::error::{Error, Result};
use crate::gold::{read_document, text_files, Corpus, Document, Texts};
use crate::label::{Label, LabelSet, Norm};
use crate::span::OffsetIndex;

/// The `annotation.conf` written beside the documents: every label of `data` as an entity
/// type, sorted by name.
pub fn annotation_conf(data: &Dataset) -> String {
    let labels: std::collections::BTreeSet<Label> =
        data.annotations().iter().map(|a| a.span.label).collect();
    let mut conf = String::from("[entities]\n");
    for l in labels {
        conf.push_str(l.as_str());
        conf.push('\n');
    }
    conf.push_str("\n[relations]\n\n[events]\n\n[attributes]\n");
    conf
}

/// Reads a brat folder, or the document of one `.ann` file and the `.txt` beside it.
/// Norms are parsed by the kind `labels` declares for their label.
pub fn read(path: &Path, labels: &LabelSet) -> Result<Dataset> {
    let pairs: Vec<(PathBuf, PathBuf)> = if path.is_dir() {
        folder_pairs(path)?
    } else if let Err(e) = std::fs::metadata(path) {
        return Err(Error::io(path, e));
    } else if path.extension().is_some_and(|e| e == "ann") {
        let txt = path.with_extension("txt");
        if !txt.is_file() {
            return Err(Error::invalid(format!(
                "no text file {} beside this .ann file",
                txt.display()
            ))
            .at_path(path));
        }
        vec![(txt, path.to_path_buf())]
    } else {
        return Err(Error::invalid(
            "brat input is a folder of .txt and .ann files, or one .ann file",
        )
        .at_path(path));
    };
    let mut docs = Vec::with_capacity(pairs.len());
    let mut set = AnnotationSet::new();
    for (txt, ann) in pairs {
        let doc = read_document(&txt)?;
        let bytes = std::fs::read(&ann).map_err(|e| Error::io(&ann, e))?;
        for a in parse(&doc, &bytes, labels).map_err(|e| e.at_path(&ann))? {
            set.push(a);
        }
        docs.push(doc);
    }
    set.sort();
    // `parse` checked every mention against its text.
    Ok(Dataset::from_checked(
        Corpus::from_documents(docs)?,
        set,
        Texts::Read,
    ))
}

/// The `.txt` and `.ann` pairs of a folder; a file of one kind without the other is an error.
fn folder_pairs(dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>> {
    let texts = text_files(dir)?;
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut anns = Vec::new();
    for entry in rd {
        let p = entry.map_err(|e| Error::io(dir, e))?.path();
        if p.extension().is_some_and(|e| e == "ann") && p.is_file() {
            anns.push(p);
        }
    }
    anns.sort();
    for a in &anns {
        if !a.with_extension("txt").is_file() {
            return Err(Error::invalid("no .txt file beside this .ann file").at_path(a));
        }
    }
    if texts.is_empty() {
        return Err(Error::invalid("no .txt files in this folder").at_path(dir));
    }
    texts
        .into_iter()
        .map(|t| {
            let a = t.with_extension("ann");
            if a.is_file() {
                Ok((t, a))
            } else {
                Err(Error::invalid(
                    "no .ann file beside this text (brat needs one per text, empty when the \
                     text has no annotation)",
                )
                .at_path(&t))
            }
        })
        .collect()
}

/// How a mention's text is written in a `T` line: line breaks become spaces.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// Parses the `.ann` content of one document. Errors carry the line.
/// Norms are parsed by the kind `labels` declares for their label.
pub fn parse(doc: &Document, ann: &[u8], labels: &LabelSet) -> Result<Vec<Annotation>> {
    let idx = OffsetIndex::new(&doc.text);
    // id -> (annotation, line)
    let mut spans: BTreeMap<String, (Annotation, u64)> = BTreeMap::new();
    let mut notes: Vec<(u64, String, String)> = Vec::new();
    for l in lines(ann) {
        let (line, s) = l?;
        if s.trim().is_empty() {
            continue;
        }
        let mut parts = s.splitn(3, '\t');
        let id = parts.next().unwrap_or("");
        match id.chars().next() {
            Some('T') => {
                let (Some(def), Some(text)) = (parts.next(), parts.next()) else {
                    return Err(
                        Error::invalid("expected `T<n><TAB>LABEL START END<TAB>TEXT`")
                            .at_line(line),
                    );
                };
                let a = text_bound(doc, &idx, def, text, line).map_err(|e| e.at_line(line))?;
                if let Some((_, first)) = spans.insert(id.to_string(), (a, line)) {
                    return Err(Error::invalid(format!(
                        "annotation id {id} is also used on line {first}"
                    ))
                    .at_line(line));
                }
            }
            Some('#') => {
                let (Some(def), Some(note)) = (parts.next(), parts.next()) else {
                    return Err(
                        Error::invalid("expected `#<n><TAB>AnnotatorNotes T<n><TAB>NOTE`")
                            .at_line(line),
                    );
                };
                let mut words = def.split(' ');
                if words.next() == Some("AnnotatorNotes") {
                    let target = words.next().unwrap_or("");
                    notes.push((line, target.to_string(), note.to_string()));
                }
            }
            Some('R' | 'E' | 'A' | 'M' | 'N' | '*') => {}
            _ => {
                return Err(Error::invalid(format!(
                    "unknown annotation id {id:?} (expected T, R, E, A, M, N, * or #)"
                ))
                .at_line(line))
            }
        }
    }
    let mut noted: BTreeMap<String, u64> = BTreeMap::new();
    for (line, target, note) in notes {
        if !target.starts_with('T') {
            // Notes on relations or events: not about a span.
            continue;
        }
        let Some((a, _)) = spans.get_mut(&target) else {
            return Err(Error::invalid(format!(
                "AnnotatorNotes on {target:?}, which is not a T annotation of this file"
            ))
            .at_line(line));
        };
        if let Some(first) = noted.insert(target.clone(), line) {
            return Err(Error::invalid(format!(
                "a second note on {target} (the first is on line {first}): one norm per \
                 annotation"
            ))
            .at_line(line));
        }
        a.span.norm = labels
            .parse_norm(a.span.label, &note)
            .map_err(|m| Error::invalid(m).in_field("note").at_line(line))?;
    }
    let mut out: Vec<Annotation> = spans.into_values().map(|(a, _)| a).collect();
    out.sort_by(|a, b| a.span.sort_key().cmp(&b.span.sort_key()));
    Ok(out)
}

fn text_bound(
    doc: &Document,
    idx: &OffsetIndex<'_>,
    def: &str,
    text: &str,
    line: u64,
) -> Result<Annotation> {
    let (label, offsets) = def.split_once(' ').unwrap_or((def, ""));
    let label: Label = label
        .parse()
        .map_err(|e: crate::label::InvalidLabel| Error::invalid(e.to_string()).in_field("type"))?;
    if offsets.contains(';') {
        return Err(Error::invalid(format!(
            "discontinuous span {offsets:?}: tagbench reads one range per mention"
        ))
        .in_field("offsets"));
    }
    let nums: Vec<&str> = offsets.split(' ').collect();
    let [s, e] = nums.as_slice() else {
        return Err(Error::invalid(format!(
            "expected `START END` after the label, found {offsets:?}"
        ))
        .in_field("offsets"));
    };
    let num = |v: &str| -> Result<usize> {
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(
                Error::invalid(format!("not a non-negative integer: {v:?}")).in_field("offsets")
            );
        }
        v.parse()
            .map_err(|_| Error::invalid(format!("offset {v:?} is too large")).in_field("offsets"))
    };
    let (start, end) = (num(s)?, num(e)?);
    let a = make_annotation(doc, idx, start, end, label, Norm::None, line)
        .map_err(|m| Error::invalid(m).in_field("offsets"))?;
    if one_line(&a.text) != text {
        return Err(Error::invalid(format!(
            "text {text:?} differs from the slice {start}..{end} of {}.txt: {:?}",
            doc.id, a.text
        ))
        .in_field("text"));
    }
    Ok(a)
}

/// The `.ann` content for one document's mentions (sorted as given).
pub fn to_ann(anns: &[Annotation]) -> Result<String> {
    let mut out = String::new();
    let mut notes = 0;
    for (i, a) in anns.iter().enumerate() {
        let t = i + 1;
        out.push_str(&format!(
            "T{t}\t{} {} {}\t{}\n",
            a.span.label,
            a.span.start,
            a.span.end,
            one_line(&a.text)
        ));
        if !a.span.norm.is_none() {
            let norm = a.span.norm.to_string();
            if norm.contains(['\n', '\r']) {
                return Err(Error::invalid(format!(
                    "norm {norm:?} of {}..{} in document {:?} has a line break, which an \
                     AnnotatorNotes line cannot hold",
                    a.span.start, a.span.end, a.doc
                )));
            }
            notes += 1;
            out.push_str(&format!("#{notes}\tAnnotatorNotes T{t}\t{norm}\n"));
        }
    }
    Ok(out)
}

/// The files of a brat folder for `data`: `annotation.conf`, then `<id>.ann` and `<id>.txt`
/// for each document, sorted by name.
pub fn write(data: &Dataset) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = vec![(
        "annotation.conf".to_string(),
        annotation_conf(data).into_bytes(),
    )];
    for (doc, anns) in data.iter() {
        let txt = doc.file_name()?;
        let stem = txt.strip_suffix(".txt").unwrap_or(&txt);
        files.push((format!("{stem}.ann"), to_ann(anns)?.into_bytes()));
        files.push((txt.clone(), doc.text.clone().into_bytes()));
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::gold_labels;

    fn doc(text: &str) -> Document {
        Document {
            id: "d".into(),
            text: text.into(),
        }
    }

    fn msg(text: &str, ann: &str) -> String {
        parse(&doc(text), ann.as_bytes(), &gold_labels())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn reads_notes_as_norms_and_writes_back() {
        let text = "𝔐ali’s UN sent\n13,000 troops.";
        let ann = "\u{feff}T2\tACTOR 7 9\tUN\r\n#1\tAnnotatorNotes T2\tUnited Nations\r\nT1\tPLACE 0 4\t𝔐ali\r\nT3\tFIGURE 10 21\tsent 13,000\r\n#2\tAnnotatorNotes T3\t13000\r\nR1\tIn Arg1:T2 Arg2:T1\r\nA1\tNegated T1\r\n";
        let got = parse(&doc(text), ann.as_bytes(), &gold_labels()).unwrap();
        let view: Vec<(usize, usize, &str, String)> = got
            .iter()
            .map(|a| {
                (
                    a.span.start,
                    a.span.end,
                    a.text.as_str(),
                    a.span.norm.to_string(),
                )
            })
            .collect();
        assert_eq!(
            view,
            [
                (0, 4, "𝔐ali", String::new()),
                (7, 9, "UN", "United Nations".to_string()),
                (10, 21, "sent\n13,000", "13000".to_string()),
            ]
        );
        assert_eq!(got[1].line, 1);
        let out = to_ann(&got).unwrap();
        assert_eq!(
            out,
            "T1\tPLACE 0 4\t𝔐ali\nT2\tACTOR 7 9\tUN\n#1\tAnnotatorNotes T2\tUnited Nations\nT3\tFIGURE 10 21\tsent 13,000\n#2\tAnnotatorNotes T3\t13000\n"
        );
        let again = parse(&doc(text), out.as_bytes(), &gold_labels()).unwrap();
        assert_eq!(
            again.iter().map(|a| &a.span).collect::<Vec<_>>(),
            got.iter().map(|a| &a.span).collect::<Vec<_>>()
        );
    }

    #[test]
    fn errors_say_where() {
        let text = "Mali and the UN";
        let cases = [
            ("T1\tACTOR 0 4;9 12\tMali the", "line 1: field `offsets`: discontinuous span \"0 4;9 12\""),
            ("T1\tPLACE 0 4\tMali\nT2\tPER,X 13 15\tUN", "line 2: field `type`: invalid label \"PER,X\""),
            ("T1\tPLACE 0 4\tMali\nT1\tACTOR 13 15\tUN", "line 2: annotation id T1 is also used on line 1"),
            ("T1\tPLACE 0 4\tMal", "line 1: field `text`: text \"Mal\" differs from the slice 0..4 of d.txt: \"Mali\""),
            ("T1\tPLACE 0 40\tMali", "line 1: field `offsets`: span 0..40 is past the end of document \"d\" (15 code points)"),
            ("T1\tPLACE 4 0\tMali", "start 4 is not before end 0"),
            ("T1\tPLACE x 4\tMali", "not a non-negative integer: \"x\""),
            ("T1\tPLACE 0 4", "line 1: expected `T<n><TAB>LABEL START END<TAB>TEXT`"),
            ("T1\tPLACE 0 4\tMali\n#1\tAnnotatorNotes T9\tMali", "line 2: AnnotatorNotes on \"T9\""),
            ("T1\tPLACE 0 4\tMali\n#1\tAnnotatorNotes T1\ta\n#2\tAnnotatorNotes T1\tb", "line 3: a second note on T1 (the first is on line 2)"),
            ("T1\tFIGURE 0 4\tMali\n#1\tAnnotatorNotes T1\tfour", "line 2: field `note`: FIGURE norm \"four\""),
            ("X1\tfoo", "line 1: unknown annotation id \"X1\""),
        ];
        for (ann, want) in cases {
            let got = msg(text, ann);
            assert!(got.contains(want), "{ann:?}: {got:?} lacks {want:?}");
        }
    }

    #[test]
    fn ids_that_are_not_file_names_are_refused() {
        for id in ["", ".", "..", "a/b", "a\\b"] {
            let d = Document {
                id: id.into(),
                text: String::new(),
            };
            assert!(d.file_name().is_err(), "{id:?}");
        }
        let d = Document {
            id: "000_abc.v2".into(),
            text: String::new(),
        };
        assert_eq!(d.file_name().unwrap(), "000_abc.v2.txt");
    }
}
