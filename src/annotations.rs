//! Annotation files: gold and predictions share one row type, one reader and one writer.
//!
//! The format is CSV, UTF-8, header `doc,start,end,label,text,norm`, one mention a row, with
//! half-open code-point offsets (see [`crate::span`]). An [`AnnotationSet`] keeps spans in
//! code points, like the file; the tagger's byte spans are converted with
//! [`AnnotationSet::insert_tagged`].

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{from_csv, CsvLines, Error, Result};
use crate::gold::Corpus;
use crate::label::{Label, LabelSet};
use crate::span::{CharSpan, OffsetIndex, Span};

/// The header of every annotation file.
pub const HEADER: [&str; 6] = ["doc", "start", "end", "label", "text", "norm"];

/// One mention: its document, its span in **code points**, and its surface text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// Document id (the text's file name without `.txt`).
    pub doc: String,
    /// Code-point span, label and norm.
    pub span: CharSpan,
    /// The surface text, as given by the `text` column (or sliced from the document).
    pub text: String,
    /// The 1-based line of the file the row came from (0 for rows made in memory).
    pub line: u64,
}

/// The raw CSV row. Offsets are read as strings so that a bad value gets our own message.
#[derive(Debug, Serialize, Deserialize)]
struct Row {
    doc: String,
    start: String,
    end: String,
    label: String,
    /// Absent from a predictions file without the column: then empty (and filled from the
    /// texts by [`AnnotationSet::fill_texts`]).
    #[serde(default)]
    text: String,
    #[serde(default)]
    norm: String,
}

/// Which columns an annotations file must have.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Columns {
    /// All six of [`HEADER`], in order (gold files, and what tagbench writes).
    #[default]
    All,
    /// `doc,start,end,label` in any order; `text` and `norm` optional (predictions: a
    /// `text` is checked against the document when present, a missing `norm` is none).
    Predictions,
}

/// What a predictions file had, beyond the mentions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Present {
    /// The file has a `text` column.
    pub text: bool,
    /// The file has a `norm` column.
    pub norm: bool,
}

/// Mentions grouped by document, each document's mentions sorted by [`CharSpan::sort_key`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnnotationSet {
    docs: BTreeMap<String, Vec<Annotation>>,
}

impl AnnotationSet {
    /// An empty set.
    pub fn new() -> AnnotationSet {
        AnnotationSet::default()
    }

    /// Reads an annotation file. Checks the header, each field and `start < end`; not the
    /// offsets against texts (see [`AnnotationSet::check_against`]). A UTF-8 byte-order mark
    /// and CRLF line endings are accepted. Any valid label name is accepted; each norm is
    /// parsed by its label's kind in `labels` (a name for a label it does not declare).
    pub fn read(path: &Path, labels: &LabelSet) -> Result<AnnotationSet> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        AnnotationSet::from_bytes(&bytes, labels).map_err(|e| e.at_path(path))
    }

    /// Reads annotations from CSV bytes (see [`AnnotationSet::read`]).
    pub fn from_bytes(bytes: &[u8], labels: &LabelSet) -> Result<AnnotationSet> {
        AnnotationSet::from_bytes_with(bytes, labels, Columns::All).map(|(set, _)| set)
    }

    /// Reads a predictions file: as [`AnnotationSet::read`], but `text` and `norm` may be
    /// left out ([`Columns::Predictions`]); says which were there.
    pub fn read_predictions(path: &Path, labels: &LabelSet) -> Result<(AnnotationSet, Present)> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        AnnotationSet::from_bytes_with(&bytes, labels, Columns::Predictions)
            .map_err(|e| e.at_path(path))
    }

    /// Reads annotations from CSV bytes with the columns `columns` requires.
    pub fn from_bytes_with(
        bytes: &[u8],
        labels: &LabelSet,
        columns: Columns,
    ) -> Result<(AnnotationSet, Present)> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(Error::invalid(format!(
                "empty file: expected the header `{}`",
                HEADER.join(",")
            ))
            .at_line(1));
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(bytes);
        let headers = rdr.headers().map_err(|e| from_csv(e, &[], bytes))?.clone();
        check_header(&headers, columns)?;
        let present = Present {
            text: headers.iter().any(|h| h == "text"),
            norm: headers.iter().any(|h| h == "norm"),
        };
        let fields: Vec<&str> = headers.iter().collect();
        let mut set = AnnotationSet::new();
        let mut rec = csv::StringRecord::new();
        let mut lines = CsvLines::new(bytes);
        while rdr
            .read_record(&mut rec)
            .map_err(|e| from_csv(e, &fields, bytes))?
        {
            let line = lines.line(rec.position());
            let row: Row = rec
                .deserialize(Some(&headers))
                .map_err(|e| from_csv(e, &fields, bytes).at_line(line))?;
            set.push(parse_row(row, line, labels)?);
        }
        set.sort();
        Ok((set, present))
    }

    /// Gives every mention of a document of `corpus` the text of its span (for a file
    /// without a `text` column); a span past the end of its text keeps an empty text, for
    /// the check against the texts to name.
    pub fn fill_texts(&mut self, corpus: &Corpus) {
        for (doc, anns) in self.docs.iter_mut() {
            let Some(d) = corpus.get(doc) else { continue };
            let idx = OffsetIndex::new(&d.text);
            for a in anns {
                if let Some(b) = idx.to_bytes(&a.span) {
                    a.text = d.text[b.range()].to_string();
                }
            }
        }
    }

    /// Adds one annotation (the set is re-sorted by [`AnnotationSet::sort`]).
    pub fn push(&mut self, ann: Annotation) {
        self.docs.entry(ann.doc.clone()).or_default().push(ann);
    }

    /// Every annotation, mutably (the order is kept: nothing here moves a span).
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut Annotation> {
        self.docs.values_mut().flatten()
    }

    /// Keeps the annotations `keep` says yes to (documents stay, with or without mentions);
    /// returns how many were removed.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&Annotation) -> bool) -> usize {
        let mut removed = 0;
        for anns in self.docs.values_mut() {
            let n = anns.len();
            anns.retain(|a| keep(a));
            removed += n - anns.len();
        }
        removed
    }

    /// Makes sure a document is present, even with no mention (so it is scored).
    pub fn ensure_doc(&mut self, doc: &str) {
        self.docs.entry(doc.to_string()).or_default();
    }

    /// Adds the tagger's byte spans for document `doc` with text `text`, converting their
    /// offsets to code points.
    pub fn insert_tagged(&mut self, doc: &str, text: &str, spans: &[Span]) {
        let idx = OffsetIndex::new(text);
        let list = self.docs.entry(doc.to_string()).or_default();
        for s in spans {
            // The tagger only emits spans on char boundaries; a failure here is a tagger bug.
            let span = idx.to_chars(s).expect("tagger span on a char boundary");
            list.push(Annotation {
                doc: doc.to_string(),
                span,
                text: text[s.range()].to_string(),
                line: 0,
            });
        }
        list.sort_by(|a, b| a.span.sort_key().cmp(&b.span.sort_key()));
    }

    /// Sorts every document's mentions by [`CharSpan::sort_key`] (stable: file order on ties).
    pub fn sort(&mut self) {
        for anns in self.docs.values_mut() {
            anns.sort_by(|a, b| a.span.sort_key().cmp(&b.span.sort_key()));
        }
    }

    /// Document ids, sorted.
    pub fn doc_ids(&self) -> impl Iterator<Item = &str> {
        self.docs.keys().map(String::as_str)
    }

    /// The mentions of `doc`, sorted (empty when the document has none).
    pub fn get(&self, doc: &str) -> &[Annotation] {
        self.docs.get(doc).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every mention, by document then position.
    pub fn iter(&self) -> impl Iterator<Item = &Annotation> {
        self.docs.values().flatten()
    }

    /// The number of mentions.
    pub fn len(&self) -> usize {
        self.docs.values().map(Vec::len).sum()
    }

    /// True when there is no mention.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checks every mention against the corpus: known document, offsets in range, `text`
    /// equal to the slice. With `strict`, also that mentions of a document do not overlap
    /// and no row is duplicated (the rules of gold files).
    pub fn check_against(&self, corpus: &Corpus, strict: bool) -> Result<()> {
        for (doc, anns) in &self.docs {
            let Some(d) = corpus.get(doc) else {
                let line = anns.first().map(|a| a.line).unwrap_or(0);
                return Err(Error::invalid(format!(
                    "unknown document id {doc:?} (no {doc}.txt in the texts folder)"
                ))
                .in_field("doc")
                .at_line(line));
            };
            let idx = OffsetIndex::new(&d.text);
            for a in anns {
                let Some(bytes) = idx.to_bytes(&a.span) else {
                    return Err(Error::invalid(format!(
                        "span {}..{} is past the end of document {doc:?} ({} code points)",
                        a.span.start,
                        a.span.end,
                        idx.char_len()
                    ))
                    .in_field("end")
                    .at_line(a.line));
                };
                let slice = &d.text[bytes.range()];
                if slice != a.text {
                    return Err(Error::invalid(format!(
                        "text {:?} differs from the document's slice {}..{}: {:?}",
                        a.text, a.span.start, a.span.end, slice
                    ))
                    .in_field("text")
                    .at_line(a.line));
                }
            }
        }
        if strict {
            self.check_gold_rules()?;
        }
        Ok(())
    }

    /// Checks the rules of gold files: mentions of a document do not overlap and no row is
    /// duplicated.
    pub fn check_gold_rules(&self) -> Result<()> {
        self.check_gold_rules_with(false)
    }

    /// [`AnnotationSet::check_gold_rules`], with overlapping and nested mentions allowed or
    /// not (a duplicated row stays an error either way).
    pub(crate) fn check_gold_rules_with(&self, allow_overlaps: bool) -> Result<()> {
        for anns in self.docs.values() {
            for w in anns.windows(2) {
                if w[0].span == w[1].span {
                    return Err(Error::invalid(format!(
                        "duplicate row: {} {}..{} {:?}{}",
                        w[1].span.label,
                        w[1].span.start,
                        w[1].span.end,
                        w[1].text,
                        also_on_line(w[0].line)
                    ))
                    .at_line(w[1].line));
                }
                if !allow_overlaps && w[0].span.overlaps(&w[1].span) {
                    return Err(Error::invalid(format!(
                        "span {}..{} {:?} overlaps span {}..{} {:?}{}",
                        w[1].span.start,
                        w[1].span.end,
                        w[1].text,
                        w[0].span.start,
                        w[0].span.end,
                        w[0].text,
                        on_line(w[0].line)
                    ))
                    .at_line(w[1].line));
                }
            }
        }
        Ok(())
    }

    /// Writes the set as CSV, rows sorted by document then position, quoting as the csv crate
    /// does by default.
    pub fn write<W: io::Write>(&self, out: W) -> io::Result<()> {
        let mut w = csv::WriterBuilder::new().from_writer(out);
        w.write_record(HEADER)?;
        for a in self.iter() {
            w.write_record([
                a.doc.as_str(),
                &a.span.start.to_string(),
                &a.span.end.to_string(),
                a.span.label.as_str(),
                &a.text,
                &a.span.norm.to_string(),
            ])?;
        }
        w.flush()
    }
}

/// ` on line N`, or nothing for a mention without a line.
fn on_line(line: u64) -> String {
    if line > 0 {
        format!(" on line {line}")
    } else {
        String::new()
    }
}

/// ` (also on line N)`, or nothing for a mention without a line.
fn also_on_line(line: u64) -> String {
    if line > 0 {
        format!(" (also on line {line})")
    } else {
        String::new()
    }
}

fn check_header(headers: &csv::StringRecord, columns: Columns) -> Result<()> {
    let got: Vec<&str> = headers.iter().collect();
    // One column holding separators: the file is not comma-separated.
    if let [only] = got.as_slice() {
        for (sep, name) in [('\t', "tab"), (';', "semicolon")] {
            if only.split(sep).count() >= 4 {
                return Err(Error::invalid(format!(
                    "bad header: it looks {name}-separated ({:?}); annotation files are \
                     comma-separated, with the header `{}`",
                    only,
                    HEADER.join(",")
                ))
                .at_line(1));
            }
        }
    }
    let ok = match columns {
        Columns::All => got == HEADER,
        Columns::Predictions => {
            let mut seen = got.clone();
            seen.sort_unstable();
            seen.dedup();
            seen.len() == got.len()
                && got.iter().all(|h| HEADER.contains(h))
                && HEADER[..4].iter().all(|h| got.contains(h))
        }
    };
    if !ok {
        let required: &[&str] = match columns {
            Columns::All => &HEADER,
            Columns::Predictions => &HEADER[..4],
        };
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|h| !got.contains(h))
            .collect();
        let unknown: Vec<&str> = got
            .iter()
            .copied()
            .filter(|h| !HEADER.contains(h))
            .collect();
        let mut msg = format!(
            "bad header: expected `{}`{}, found `{}`",
            HEADER.join(","),
            if columns == Columns::Predictions {
                " (text and norm may be left out)"
            } else {
                ""
            },
            got.join(",")
        );
        if !missing.is_empty() {
            msg.push_str(&format!(" (missing: {})", missing.join(", ")));
        }
        if !unknown.is_empty() {
            msg.push_str(&format!(" (unknown: {})", unknown.join(", ")));
        }
        return Err(Error::invalid(msg).at_line(1));
    }
    Ok(())
}

fn parse_offset(s: &str, field: &str, line: u64) -> Result<usize> {
    let t = s.trim();
    if t.starts_with('-') && t[1..].bytes().all(|b| b.is_ascii_digit()) && t.len() > 1 {
        return Err(Error::invalid(format!("negative offset {s:?}"))
            .in_field(field)
            .at_line(line));
    }
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(format!("not a non-negative integer: {s:?}"))
            .in_field(field)
            .at_line(line));
    }
    t.parse::<usize>().map_err(|_| {
        Error::invalid(format!("offset {s:?} is too large"))
            .in_field(field)
            .at_line(line)
    })
}

fn parse_row(row: Row, line: u64, labels: &LabelSet) -> Result<Annotation> {
    if row.doc.is_empty() {
        return Err(Error::invalid("empty document id")
            .in_field("doc")
            .at_line(line));
    }
    let start = parse_offset(&row.start, "start", line)?;
    let end = parse_offset(&row.end, "end", line)?;
    if start >= end {
        return Err(Error::invalid(format!(
            "start {start} is not before end {end} (offsets are half-open)"
        ))
        .in_field("end")
        .at_line(line));
    }
    let label: Label = row.label.parse().map_err(|e: crate::label::InvalidLabel| {
        Error::invalid(e.to_string())
            .in_field("label")
            .at_line(line)
    })?;
    let norm = labels
        .parse_norm(label, &row.norm)
        .map_err(|m| Error::invalid(m).in_field("norm").at_line(line))?;
    Ok(Annotation {
        doc: row.doc,
        span: CharSpan::new(start, end, label, norm),
        text: row.text,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Norm;

    fn parse(s: &str) -> Result<AnnotationSet> {
        AnnotationSet::from_bytes(s.as_bytes(), &crate::label::gold_labels())
    }

    #[test]
    fn reads_sorts_and_writes_back() {
        let src = "doc,start,end,label,text,norm\n\
                   d,10,14,PLACE,Mali,Mali\n\
                   d,0,2,ACTOR,UN,United Nations\n\
                   d,20,26,FIGURE,\"13,000\",13000\n";
        let set = parse(src).unwrap();
        assert_eq!(set.len(), 3);
        let spans: Vec<usize> = set.get("d").iter().map(|a| a.span.start).collect();
        assert_eq!(spans, [0, 10, 20]);
        assert_eq!(set.get("d")[0].line, 3);
        let mut out = Vec::new();
        set.write(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("doc,start,end,label,text,norm\nd,0,2,ACTOR,UN,United Nations\n"));
        assert!(text.contains("\"13,000\",13000"));
        assert_eq!(parse(&text).unwrap().iter().count(), 3);
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let src = "\u{feff}doc,start,end,label,text,norm\r\nd,0,2,ACTOR,UN,United Nations\r\n";
        let set = parse(src).unwrap();
        assert_eq!(set.get("d")[0].span.norm.to_string(), "United Nations");
    }

    #[test]
    fn errors_say_where() {
        let cases = [
            (
                "doc,start,end,label,text\nd,0,1,ACTOR,x\n",
                "line 1: bad header",
            ),
            ("doc,begin,end,label,text,norm\n", "missing: start"),
            ("", "empty file"),
            (
                "doc,start,end,label,text,norm\nd,x,1,ACTOR,a,\n",
                "line 2: field `start`: not a non-negative integer",
            ),
            (
                "doc,start,end,label,text,norm\nd,-3,1,ACTOR,a,\n",
                "field `start`: negative offset",
            ),
            (
                "doc,start,end,label,text,norm\nd,0,99999999999999999999999,ACTOR,a,\n",
                "too large",
            ),
            (
                "doc,start,end,label,text,norm\nd,3,3,ACTOR,a,\n",
                "line 2: field `end`: start 3 is not before end 3",
            ),
            (
                "doc,start,end,label,text,norm\nd,0,1,PER SON,a,\n",
                "line 2: field `label`: invalid label \"PER SON\"",
            ),
            (
                "doc,start,end,label,text,norm\nd,0,1,FIGURE,a,1.5\n",
                "field `norm`",
            ),
            (
                "doc,start,end,label,text,norm\nd,0,1,ACTOR,a\n",
                "line 2: expected 6 fields, found 5",
            ),
        ];
        for (src, want) in cases {
            let err = parse(src).unwrap_err().to_string();
            assert!(err.contains(want), "{src:?}: {err:?} lacks {want:?}");
        }
    }

    #[test]
    fn any_label_is_read_and_norms_follow_the_declared_kind() {
        let src = "doc,start,end,label,text,norm\n\
                   d,0,1,PER,a,007\n\
                   d,2,3,FIGURE,b,007\n";
        let set = parse(src).unwrap();
        let norms: Vec<(&str, &Norm)> = set
            .iter()
            .map(|a| (a.span.label.as_str(), &a.span.norm))
            .collect();
        assert_eq!(
            norms,
            [
                ("PER", &Norm::Name("007".into())),
                ("FIGURE", &Norm::Value(7))
            ]
        );
        let undeclared = AnnotationSet::from_bytes(src.as_bytes(), &LabelSet::new()).unwrap();
        assert!(undeclared
            .iter()
            .all(|a| a.span.norm == Norm::Name("007".into())));
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let mut bytes = b"doc,start,end,label,text,norm\nd,0,1,ACTOR,".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        bytes.extend_from_slice(b",\n");
        let err = AnnotationSet::from_bytes(&bytes, &LabelSet::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid UTF-8"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }
}
