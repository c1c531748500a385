//! Tagging a corpus too big to hold in memory.
//!
//! A [`ChunkReader`] reads documents one at a time, from `.txt` files or from JSONL
//! (`{"id": ..., "text": ...}` a line, other keys ignored), and cuts a long text into chunks at
//! its paragraph breaks (blank lines, defined once in `text.rs`). No name and no FIGURE
//! crosses a paragraph break (the tagger and the FIGURE recogniser use the same definition),
//! so tagging the chunks gives exactly the spans of tagging the whole text; a property test
//! checks it. A [`PredictionWriter`] renders each chunk's spans (CSV rows or JSON objects, in
//! code points: it counts a document's code points as its chunks pass) and writes them.
//!
//! [`tag_stream`] runs the three as a pipeline: one thread reads (and checks UTF-8), `workers`
//! threads tag, and the calling thread renders and writes the chunks in input order, so the
//! output does not depend on the number of workers. The text travels in a fixed set of
//! buffers that go round (nothing is allocated per chunk once they have grown), so memory is
//! bounded by the text in flight, the longest paragraph and, in JSONL, a document's spans.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::label::{Label, Norm};
use crate::span::{OffsetCursor, Span};
use crate::tagger::{Scratch, Tagger};
use crate::text;

/// Where documents come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// One document: the file's text; its id is the file stem.
    Text(PathBuf),
    /// One document a line, `{"id": ..., "text": ...}`; a line without an id gets `line-N`.
    Jsonl(PathBuf),
    /// JSONL on standard input.
    Stdin,
}

impl Input {
    /// The inputs a command-line path stands for: a folder is its `*.txt` files (sorted), a
    /// `.jsonl` file is JSONL, `-` is JSONL on standard input, any other file is one text.
    pub fn expand(path: &Path) -> Result<Vec<Input>> {
        if path == Path::new("-") {
            return Ok(vec![Input::Stdin]);
        }
        if path.is_dir() {
            let files = crate::gold::text_files(path)?;
            if files.is_empty() {
                return Err(Error::invalid("no .txt files in this folder").at_path(path));
            }
            return Ok(files.into_iter().map(Input::Text).collect());
        }
        if !path.is_file() {
            return Err(Error::invalid("no such file or folder").at_path(path));
        }
        if path.extension().is_some_and(|e| e == "jsonl") {
            Ok(vec![Input::Jsonl(path.to_path_buf())])
        } else {
            Ok(vec![Input::Text(path.to_path_buf())])
        }
    }

    /// Its size in bytes, when known (for a progress bar).
    pub fn size(&self) -> Option<u64> {
        match self {
            Input::Text(p) | Input::Jsonl(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Input::Stdin => None,
        }
    }

    fn name(&self) -> PathBuf {
        match self {
            Input::Text(p) | Input::Jsonl(p) => p.clone(),
            Input::Stdin => PathBuf::from("<stdin>"),
        }
    }
}

/// A piece of a document: a whole document, or a run of its paragraphs. A document's chunks
/// come one after the other, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// The document id.
    pub doc: Arc<str>,
    /// The text of this piece.
    pub text: String,
}

impl Default for Chunk {
    fn default() -> Chunk {
        Chunk {
            doc: Arc::from(""),
            text: String::new(),
        }
    }
}

/// Reads [`Chunk`]s from a list of inputs, in order.
pub struct ChunkReader {
    inputs: std::vec::IntoIter<Input>,
    current: Option<Source>,
    chunk_bytes: usize,
    seen: HashMap<Arc<str>, String>,
    consumed: u64,
}

enum Source {
    Text(TextSource),
    Jsonl {
        name: PathBuf,
        reader: Box<dyn BufRead + Send>,
        line: u64,
        bytes: Vec<u8>,
    },
}

struct TextSource {
    name: PathBuf,
    file: File,
    id: Arc<str>,
    /// Bytes read past the last cut: the start of the next chunk.
    carry: Vec<u8>,
    eof: bool,
    /// The file offset of the next chunk.
    offset: u64,
    /// A chunk was returned: an empty file is one empty chunk, a document without mentions.
    emitted: bool,
}

#[derive(Deserialize)]
struct JsonDoc<'a> {
    #[serde(default)]
    id: Option<JsonId>,
    #[serde(borrow)]
    text: std::borrow::Cow<'a, str>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonId {
    Text(String),
    Number(serde_json::Number),
}

impl ChunkReader {
    /// A reader of `inputs`, cutting texts longer than `chunk_bytes` at paragraph breaks.
    pub fn new(inputs: Vec<Input>, chunk_bytes: usize) -> ChunkReader {
        ChunkReader {
            inputs: inputs.into_iter(),
            current: None,
            chunk_bytes: chunk_bytes.max(1),
            seen: HashMap::new(),
            consumed: 0,
        }
    }

    /// The input bytes read so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// The next chunk, or `None` at the end of the last input.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        let mut c = Chunk::default();
        Ok(self.next_into(&mut c)?.then_some(c))
    }

    /// Reads the next chunk into `chunk`, reusing its text's buffer; false at the end of the
    /// last input.
    pub fn next_into(&mut self, chunk: &mut Chunk) -> Result<bool> {
        loop {
            if self.current.is_none() {
                let Some(input) = self.inputs.next() else {
                    return Ok(false);
                };
                self.current = Some(self.open(input)?);
            }
            let got = match self.current.as_mut() {
                Some(Source::Text(t)) => {
                    t.next_into(self.chunk_bytes, &mut self.consumed, chunk)?
                }
                Some(Source::Jsonl {
                    name,
                    reader,
                    line,
                    bytes,
                }) => {
                    let mut json = JsonSource {
                        name,
                        reader,
                        line,
                        bytes,
                    };
                    json.next_into(&mut self.consumed, &mut self.seen, chunk)?
                }
                None => false,
            };
            if got {
                return Ok(true);
            }
            self.current = None;
        }
    }

    fn open(&mut self, input: Input) -> Result<Source> {
        let name = input.name();
        match input {
            Input::Text(path) => {
                let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
                let id = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .ok_or_else(|| Error::invalid("file name is not valid UTF-8").at_path(&path))?;
                let id: Arc<str> = Arc::from(id);
                claim(&mut self.seen, &id, &path.display().to_string(), &path)?;
                Ok(Source::Text(TextSource {
                    name,
                    file,
                    id,
                    carry: Vec::new(),
                    eof: false,
                    offset: 0,
                    emitted: false,
                }))
            }
            Input::Jsonl(path) => {
                let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
                Ok(Source::Jsonl {
                    name,
                    reader: Box::new(BufReader::with_capacity(1 << 16, file)),
                    line: 0,
                    bytes: Vec::new(),
                })
            }
            Input::Stdin => Ok(Source::Jsonl {
                name,
                reader: Box::new(BufReader::new(io::stdin())),
                line: 0,
                bytes: Vec::new(),
            }),
        }
    }
}

impl Iterator for ChunkReader {
    type Item = Result<Chunk>;

    fn next(&mut self) -> Option<Result<Chunk>> {
        self.next_chunk().transpose()
    }
}

fn claim(
    seen: &mut HashMap<Arc<str>, String>,
    id: &Arc<str>,
    place: &str,
    path: &Path,
) -> Result<()> {
    if let Some(first) = seen.get(id) {
        return Err(
            Error::invalid(format!("document id {id:?} is also the id of {first}")).at_path(path),
        );
    }
    seen.insert(id.clone(), place.to_string());
    Ok(())
}

/// An empty string keeping the capacity of `bytes`.
fn empty_string(mut bytes: Vec<u8>) -> String {
    bytes.clear();
    String::from_utf8(bytes).unwrap_or_default()
}

impl TextSource {
    /// The next chunk into `chunk`: the bytes up to the first paragraph break past `target`
    /// bytes (a paragraph is never cut), or to the end of the file. The chunk's buffer
    /// receives the bytes read; only what was read past the cut is copied, into `carry`.
    fn next_into(&mut self, target: usize, consumed: &mut u64, chunk: &mut Chunk) -> Result<bool> {
        let mut buf = std::mem::take(&mut chunk.text).into_bytes();
        buf.clear();
        buf.append(&mut self.carry);
        // Where the search for a cut resumes after a read: a cut is found by looking back
        // from its line break, so bytes already searched are not searched again.
        let mut from = target;
        let cut = loop {
            match text::paragraph_cut(&buf, from) {
                Some(c) => break c,
                None if self.eof => break buf.len(),
                None => {
                    from = from.max(buf.len());
                    self.fill(&mut buf, target, consumed)?;
                }
            }
        };
        if cut == 0 && self.emitted {
            chunk.text = empty_string(buf);
            return Ok(false);
        }
        self.emitted = true;
        self.carry.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        chunk.text = String::from_utf8(buf).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            match lines_before(&self.name, self.offset) {
                Ok(line) => {
                    Error::utf8_in_file(e.as_bytes(), at, line, self.offset).at_path(&self.name)
                }
                Err(e) => e,
            }
        })?;
        self.offset += cut as u64;
        chunk.doc.clone_from(&self.id);
        Ok(true)
    }

    /// Reads more of the file into `buf`: up to a little past `target` bytes, or as much
    /// again as it holds when a paragraph is longer than that; or notes the end of the file.
    fn fill(&mut self, buf: &mut Vec<u8>, target: usize, consumed: &mut u64) -> Result<()> {
        let want = if buf.len() < target {
            target - buf.len() + (8 << 10)
        } else {
            buf.len().max(1 << 16)
        };
        buf.reserve(want);
        let n = (&mut self.file)
            .take(want as u64)
            .read_to_end(buf)
            .map_err(|e| Error::io(&self.name, e))?;
        *consumed += n as u64;
        if n == 0 {
            self.eof = true;
        }
        Ok(())
    }
}

/// The line number of byte `offset` of a file (for an error message: the reader does not
/// count lines as it goes).
fn lines_before(path: &Path, offset: u64) -> Result<u64> {
    let mut f = BufReader::new(File::open(path).map_err(|e| Error::io(path, e))?).take(offset);
    let mut line = 1;
    loop {
        let buf = f.fill_buf().map_err(|e| Error::io(path, e))?;
        if buf.is_empty() {
            return Ok(line);
        }
        line += memchr::memchr_iter(b'\n', buf).count() as u64;
        let n = buf.len();
        f.consume(n);
    }
}

/// A JSONL source's state, borrowed for one read.
struct JsonSource<'s> {
    name: &'s Path,
    reader: &'s mut Box<dyn BufRead + Send>,
    line: &'s mut u64,
    bytes: &'s mut Vec<u8>,
}

impl JsonSource<'_> {
    fn next_into(
        &mut self,
        consumed: &mut u64,
        seen: &mut HashMap<Arc<str>, String>,
        chunk: &mut Chunk,
    ) -> Result<bool> {
        loop {
            self.bytes.clear();
            let n = self
                .reader
                .read_until(b'\n', self.bytes)
                .map_err(|e| Error::io(self.name, e))?;
            if n == 0 {
                return Ok(false);
            }
            *consumed += n as u64;
            *self.line += 1;
            let line = *self.line;
            let name = self.name;
            let at = |e: Error| e.at_path(name).at_line(line);
            let mut s: &[u8] = self.bytes;
            if line == 1 {
                s = s.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(s);
            }
            let s = std::str::from_utf8(s)
                .map_err(|e| at(Error::utf8_within(e.valid_up_to(), " of the line")))?;
            if s.trim().is_empty() {
                continue;
            }
            let doc: JsonDoc = serde_json::from_str(s).map_err(|e| {
                at(Error::invalid(format!(
                    "not a JSON object with a \"text\" string: {e}"
                )))
            })?;
            let id: Arc<str> = match doc.id {
                None => Arc::from(format!("line-{line}").as_str()),
                Some(JsonId::Text(t)) => Arc::from(t.as_str()),
                Some(JsonId::Number(n)) => Arc::from(n.to_string().as_str()),
            };
            claim(seen, &id, &format!("line {line}"), name).map_err(|e| e.at_line(line))?;
            chunk.doc = id;
            chunk.text.clear();
            chunk.text.push_str(&doc.text);
            return Ok(true);
        }
    }
}

/// What `tag` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// The annotations CSV (`doc,start,end,label,text,norm`, code-point offsets in the
    /// document, a header line first), as [`AnnotationSet::write`](crate::AnnotationSet) writes
    /// it.
    #[default]
    Csv,
    /// JSON Lines, one document a line with its text and spans, the predictions format
    /// [`format::jsonl`](crate::format::jsonl) reads (`score --pred out.jsonl`).
    Jsonl,
}

/// What a [`PredictionWriter`] (or [`tag_stream`]) wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamStats {
    /// Documents.
    pub docs: u64,
    /// Bytes of text.
    pub bytes: u64,
    /// Spans.
    pub spans: u64,
}

/// Rendered bytes are written out in pieces of about this size.
const WRITE_AT: usize = 1 << 20;

/// Writes the spans of [`Chunk`]s in input order as one predictions file: CSV rows under a
/// header, or one JSON line a document (its text is written as its chunks come; its spans,
/// which follow the text, are held until its last chunk). Offsets are code points in the
/// document: the writer counts each chunk's code points as it renders it.
pub struct PredictionWriter<W: Write> {
    out: W,
    format: OutputFormat,
    /// Rendered, not yet written.
    buf: Vec<u8>,
    /// The document of the last chunk, and its code points before the next chunk.
    open: Option<Arc<str>>,
    chars: usize,
    /// CSV: the open document's id field and its comma.
    doc_field: Vec<u8>,
    /// JSONL: the open document's span objects so far, each preceded by a comma.
    held: Vec<u8>,
    /// Each label's rendering, with what surrounds it: CSV `LABEL,`, JSONL
    /// `,"label":"LABEL","norm":`.
    labels: Vec<(Label, Vec<u8>)>,
    stats: StreamStats,
}

impl<W: Write> PredictionWriter<W> {
    /// A writer into `out`; a CSV starts with its header.
    pub fn new(out: W, format: OutputFormat) -> io::Result<PredictionWriter<W>> {
        let mut buf = Vec::with_capacity(WRITE_AT + (WRITE_AT >> 3));
        if format == OutputFormat::Csv {
            buf.extend_from_slice(crate::HEADER.join(",").as_bytes());
            buf.push(b'\n');
        }
        Ok(PredictionWriter {
            out,
            format,
            buf,
            open: None,
            chars: 0,
            doc_field: Vec::new(),
            held: Vec::new(),
            labels: Vec::new(),
            stats: StreamStats::default(),
        })
    }

    /// Writes a chunk's spans (byte offsets in `chunk.text`, sorted by start, as the tagger
    /// gives them); chunks come in input order, a document's chunks in a row.
    pub fn write(&mut self, chunk: &Chunk, spans: &[Span]) -> io::Result<()> {
        if self.open.as_ref() != Some(&chunk.doc) {
            self.start(&chunk.doc)?;
        }
        self.stats.bytes += chunk.text.len() as u64;
        self.stats.spans += spans.len() as u64;
        let mut at = CharOffsets {
            cursor: OffsetCursor::new(&chunk.text),
            base: self.chars,
        };
        match self.format {
            OutputFormat::Csv => csv_rows(
                &mut self.buf,
                &self.doc_field,
                &mut self.labels,
                &chunk.text,
                spans,
                &mut at,
            ),
            OutputFormat::Jsonl => {
                json_spans(&mut self.held, &mut self.labels, spans, &mut at);
                json_escape(&mut self.buf, chunk.text.as_bytes());
            }
        }
        self.chars = at.of(chunk.text.len());
        if self.buf.len() >= WRITE_AT {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// What was written so far.
    pub fn stats(&self) -> StreamStats {
        self.stats
    }

    /// Ends the last document's line, writes what is left and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.close()?;
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn start(&mut self, doc: &Arc<str>) -> io::Result<()> {
        self.close()?;
        self.open = Some(doc.clone());
        self.chars = 0;
        self.stats.docs += 1;
        match self.format {
            OutputFormat::Csv => {
                self.doc_field.clear();
                csv_field(&mut self.doc_field, doc.as_bytes());
                self.doc_field.push(b',');
            }
            OutputFormat::Jsonl => {
                self.buf.extend_from_slice(b"{\"id\":");
                json_string(&mut self.buf, doc);
                self.buf.extend_from_slice(b",\"text\":\"");
            }
        }
        Ok(())
    }

    fn close(&mut self) -> io::Result<()> {
        if self.open.take().is_some() && self.format == OutputFormat::Jsonl {
            self.buf.extend_from_slice(b"\",\"spans\":[");
            // Every span object is preceded by a comma: drop the first.
            let spans = self.held.get(1..).unwrap_or_default();
            if spans.len() < WRITE_AT {
                self.buf.extend_from_slice(spans);
            } else {
                self.out.write_all(&self.buf)?;
                self.buf.clear();
                // In pieces: one large write is much slower than the same bytes in pieces
                // (measured on Linux: 150 ms for 59 MiB against 15 ms).
                for piece in spans.chunks(WRITE_AT) {
                    self.out.write_all(piece)?;
                }
            }
            self.buf.extend_from_slice(b"]}\n");
            self.held.clear();
        }
        Ok(())
    }
}

/// The code-point offsets of a chunk's sorted spans in their document, in one pass over the
/// chunk's text.
struct CharOffsets<'t> {
    cursor: OffsetCursor<'t>,
    base: usize,
}

impl CharOffsets<'_> {
    fn of(&mut self, byte: usize) -> usize {
        // The tagger only emits spans on char boundaries; a failure here is a tagger bug.
        self.base
            + self
                .cursor
                .byte_to_char(byte)
                .expect("tagger span on a char boundary")
    }
}

/// The rendering of `label` for `format`, made once (see [`PredictionWriter::labels`]).
fn label_field(table: &mut Vec<(Label, Vec<u8>)>, label: Label, format: OutputFormat) -> &[u8] {
    let i = match table.iter().position(|(l, _)| *l == label) {
        Some(i) => i,
        None => {
            let mut r = Vec::new();
            match format {
                OutputFormat::Csv => {
                    csv_field(&mut r, label.as_str().as_bytes());
                    r.push(b',');
                }
                OutputFormat::Jsonl => {
                    r.extend_from_slice(b",\"label\":");
                    json_string(&mut r, label.as_str());
                    r.extend_from_slice(b",\"norm\":");
                }
            }
            table.push((label, r));
            table.len() - 1
        }
    };
    &table[i].1
}

/// CSV rows, byte for byte what the `csv` crate writes (a field is quoted when it holds a
/// comma, a quote, a CR or an LF; quotes inside are doubled): the document id and the labels
/// are rendered once, offsets and integer norms need no check, and the other fields are
/// scanned once.
fn csv_rows(
    out: &mut Vec<u8>,
    doc: &[u8],
    labels: &mut Vec<(Label, Vec<u8>)>,
    text: &str,
    spans: &[Span],
    at: &mut CharOffsets,
) {
    let mut int = itoa::Buffer::new();
    for s in spans {
        out.extend_from_slice(doc);
        out.extend_from_slice(int.format(at.of(s.start)).as_bytes());
        out.push(b',');
        out.extend_from_slice(int.format(at.of(s.end)).as_bytes());
        out.push(b',');
        out.extend_from_slice(label_field(labels, s.label, OutputFormat::Csv));
        csv_field(out, text[s.range()].as_bytes());
        out.push(b',');
        match &s.norm {
            Norm::None => {}
            Norm::Value(v) => out.extend_from_slice(int.format(*v).as_bytes()),
            Norm::Name(n) => csv_field(out, n.as_bytes()),
        }
        out.push(b'\n');
    }
}

fn csv_field(out: &mut Vec<u8>, field: &[u8]) {
    if !field
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    for part in field.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

/// The span objects of a chunk, each preceded by a comma, keys and values as
/// [`format::jsonl`](crate::format::jsonl) writes them.
fn json_spans(
    out: &mut Vec<u8>,
    labels: &mut Vec<(Label, Vec<u8>)>,
    spans: &[Span],
    at: &mut CharOffsets,
) {
    let mut int = itoa::Buffer::new();
    for s in spans {
        out.extend_from_slice(b",{\"start\":");
        out.extend_from_slice(int.format(at.of(s.start)).as_bytes());
        out.extend_from_slice(b",\"end\":");
        out.extend_from_slice(int.format(at.of(s.end)).as_bytes());
        out.extend_from_slice(label_field(labels, s.label, OutputFormat::Jsonl));
        match &s.norm {
            Norm::None => out.extend_from_slice(b"null"),
            Norm::Value(v) => out.extend_from_slice(int.format(*v).as_bytes()),
            Norm::Name(n) => json_string(out, n),
        }
        out.push(b'}');
    }
}

fn json_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    json_escape(out, s.as_bytes());
    out.push(b'"');
}

/// Escapes `bytes` (UTF-8) for the inside of a JSON string as `serde_json` does: `"`, `\`
/// and the control characters below U+0020 (`\n`, `\t`, ... or `\u00XX`); everything else
/// as it is. Eight bytes are checked at a time.
fn json_escape(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    /// True when a byte of `w` is below 0x20, a quote or a backslash (no false negatives;
    /// the classic "has a byte less than n" and "has a zero byte" tricks, exact as to
    /// whether there is one).
    fn any_special(w: u64) -> bool {
        let below = w.wrapping_sub(ONES * 0x20) & !w;
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        let zero = |v: u64| v.wrapping_sub(ONES) & !v;
        (below | zero(quote) | zero(backslash)) & HIGH != 0
    }
    out.reserve(bytes.len());
    let mut done = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(w) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        {
            if !any_special(u64::from_ne_bytes(w)) {
                i += 8;
                continue;
            }
        }
        let end = (i + 8).min(bytes.len());
        for (j, &b) in bytes[i..end].iter().enumerate() {
            if b >= 0x20 && b != b'"' && b != b'\\' {
                continue;
            }
            out.extend_from_slice(&bytes[done..i + j]);
            done = i + j + 1;
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0C => out.extend_from_slice(b"\\f"),
                _ => out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 15)],
                ]),
            }
        }
        i = end;
    }
    out.extend_from_slice(&bytes[done..]);
}

/// How [`tag_stream`] runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamOptions {
    /// What is written.
    pub format: OutputFormat,
    /// Tagging threads; 0 means one per core. Reading and writing have a thread each besides.
    pub workers: usize,
    /// About how many bytes of text may be in flight (read and not yet written) at most; it
    /// also sets the chunk size, a fraction of it.
    pub in_flight_bytes: usize,
}

impl Default for StreamOptions {
    fn default() -> StreamOptions {
        StreamOptions {
            format: OutputFormat::Csv,
            workers: 0,
            in_flight_bytes: 16 << 20,
        }
    }
}

/// Why [`tag_stream`] failed.
#[derive(Debug)]
pub enum StreamError {
    /// An input could not be read, or is invalid (with its position).
    Read(Error),
    /// The output could not be written.
    Write(io::Error),
    /// A thread could not be started.
    Start(io::Error),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Read(e) => e.fmt(f),
            StreamError::Write(e) => e.fmt(f),
            StreamError::Start(e) => write!(f, "cannot start a thread: {e}"),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Read(e) => Some(e),
            StreamError::Write(e) | StreamError::Start(e) => Some(e),
        }
    }
}

/// Chunks that travel the pipeline together (several small documents, or one chunk of a
/// long text), with their spans; its buffers are reused from one trip to the next.
#[derive(Default)]
struct Piece {
    seq: u64,
    slots: Vec<(Chunk, Vec<Span>)>,
    used: usize,
}

/// A piece holds up to this many documents (a JSONL of small documents).
const PIECE_DOCS: usize = 256;

/// Tags every document of `inputs` with `tagger` and writes the predictions into `out`, in
/// input order, as a [`PredictionWriter`] does; returns `out` and what was written.
///
/// One thread reads the inputs (and checks their UTF-8), `opts.workers` threads tag, and the
/// calling thread renders and writes: reading and writing overlap with tagging. The output
/// does not depend on the number of workers. `progress` is called on the calling thread
/// with the input bytes read so far. On an error nothing more is written; what was already
/// written to `out` stays (a caller that wants all or nothing writes to a temporary file).
pub fn tag_stream<W: Write>(
    tagger: &Tagger,
    inputs: Vec<Input>,
    out: W,
    opts: StreamOptions,
    progress: &mut dyn FnMut(u64),
) -> std::result::Result<(W, StreamStats), StreamError> {
    let workers = match opts.workers {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    // Each worker has a piece in hand and one waiting; the reader fills one ahead, and the
    // writer writes one.
    let pieces = 2 * workers + 2;
    let chunk_bytes = (opts.in_flight_bytes / pieces).clamp(16 << 10, 256 << 10);
    let mut writer = PredictionWriter::new(out, opts.format).map_err(StreamError::Write)?;
    let stop = AtomicBool::new(false);
    let consumed = AtomicU64::new(0);
    let (free_tx, free_rx) = mpsc::channel::<Piece>();
    let (work_tx, work_rx) = mpsc::channel::<Piece>();
    let (done_tx, done_rx) = mpsc::channel::<(Piece, Option<Panic>)>();
    for _ in 0..pieces {
        // Cannot fail: the receiver is here.
        let _ = free_tx.send(Piece::default());
    }
    let work_rx = Mutex::new(work_rx);
    let mut failed: Option<io::Error> = None;
    let mut panicked = None;
    let read = std::thread::scope(|scope| {
        let (stop, consumed) = (&stop, &consumed);
        let reader = std::thread::Builder::new()
            .name("tag-read".into())
            .spawn_scoped(scope, move || {
                let mut reader = ChunkReader::new(inputs, chunk_bytes);
                read_pieces(&mut reader, chunk_bytes, &free_rx, &work_tx, stop, consumed)
            })
            .map_err(StreamError::Start)?;
        for _ in 0..workers {
            let (work_rx, done_tx) = (&work_rx, done_tx.clone());
            std::thread::Builder::new()
                .name("tag-work".into())
                .spawn_scoped(scope, move || tag_pieces(tagger, work_rx, &done_tx, stop))
                .map_err(StreamError::Start)?;
        }
        drop(done_tx);
        // Pieces come back out of order: each waits here until those before it are written.
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (piece, panic) in done_rx {
            if let Some(p) = panic {
                panicked.get_or_insert(p);
                stop.store(true, Ordering::Relaxed);
            }
            waiting.insert(piece.seq, piece);
            while let Some(mut piece) = waiting.remove(&next) {
                next += 1;
                if !stop.load(Ordering::Relaxed) {
                    for (chunk, spans) in &piece.slots[..piece.used] {
                        if let Err(e) = writer.write(chunk, spans) {
                            failed = Some(e);
                            stop.store(true, Ordering::Relaxed);
                            break;
                        }
                    }
                    progress(consumed.load(Ordering::Relaxed));
                }
                // The spans' names are released here rather than on a tagging thread.
                for (_, spans) in &mut piece.slots[..piece.used] {
                    spans.clear();
                }
                let _ = free_tx.send(piece);
            }
        }
        drop(free_tx);
        match reader.join() {
            Ok(r) => r.map_err(StreamError::Read),
            Err(p) => std::panic::resume_unwind(p),
        }
    });
    if let Some(p) = panicked {
        // A tagger bug: the panic goes on here, with its message (already printed).
        std::panic::resume_unwind(p);
    }
    read?;
    if let Some(e) = failed {
        return Err(StreamError::Write(e));
    }
    let stats = writer.stats();
    let out = writer.finish().map_err(StreamError::Write)?;
    Ok((out, stats))
}

/// The reading thread: fills the free pieces with chunks, numbered in input order, until
/// the inputs end, an input fails, or the writer stops.
fn read_pieces(
    reader: &mut ChunkReader,
    chunk_bytes: usize,
    free: &mpsc::Receiver<Piece>,
    work: &mpsc::Sender<Piece>,
    stop: &AtomicBool,
    consumed: &AtomicU64,
) -> Result<()> {
    let mut seq = 0;
    loop {
        let Ok(mut piece) = free.recv() else {
            return Ok(());
        };
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        piece.seq = seq;
        piece.used = 0;
        let mut bytes = 0;
        let mut end = false;
        while bytes < chunk_bytes && piece.used < PIECE_DOCS {
            if piece.used == piece.slots.len() {
                piece.slots.push(Default::default());
            }
            if !reader.next_into(&mut piece.slots[piece.used].0)? {
                end = true;
                break;
            }
            bytes += piece.slots[piece.used].0.text.len().max(1);
            piece.used += 1;
        }
        consumed.store(reader.consumed(), Ordering::Relaxed);
        if piece.used > 0 {
            if work.send(piece).is_err() {
                return Ok(());
            }
            seq += 1;
        }
        if end {
            return Ok(());
        }
    }
}

/// What a panic carries.
type Panic = Box<dyn std::any::Any + Send>;

/// A tagging thread: tags the pieces it takes and hands them to the writer, with the panic
/// when tagging one panicked (a tagger bug: the writer then stops everything).
fn tag_pieces(
    tagger: &Tagger,
    work: &Mutex<mpsc::Receiver<Piece>>,
    done: &mpsc::Sender<(Piece, Option<Panic>)>,
    stop: &AtomicBool,
) {
    let mut scratch = Scratch::new();
    loop {
        let next = work.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(mut piece) = next else {
            return;
        };
        let mut panic = None;
        if !stop.load(Ordering::Relaxed) {
            let tagged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                for (chunk, spans) in &mut piece.slots[..piece.used] {
                    tagger.tag_with(&chunk.text, &mut scratch, spans);
                }
            }));
            if let Err(p) = tagged {
                panic = Some(p);
                scratch = Scratch::new();
            }
        }
        if done.send((piece, panic)).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gold::Corpus;
    use crate::label::gold_labels;
    use crate::Gazetteer;
    use proptest::prelude::*;

    /// The writer `tag` used first: the `csv` crate, integers through `fmt`, offsets from
    /// `base` code points on.
    fn reference_rows(doc: &str, text: &str, base: usize, spans: &[Span]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let mut cursor = OffsetCursor::new(text);
        for s in spans {
            let start = base + cursor.byte_to_char(s.start).unwrap();
            let end = base + cursor.byte_to_char(s.end).unwrap();
            w.write_record([
                doc.to_string(),
                start.to_string(),
                end.to_string(),
                s.label.as_str().to_string(),
                text[s.range()].to_string(),
                s.norm.to_string(),
            ])
            .unwrap();
        }
        w.into_inner().unwrap()
    }

    /// The CSV rows of `text`'s spans, after a chunk `before` of the same document without
    /// spans (its code points shift the offsets), without the header.
    fn rows(doc: &str, before: &str, text: &str, spans: &[Span]) -> Vec<u8> {
        let mut w = PredictionWriter::new(Vec::new(), OutputFormat::Csv).unwrap();
        w.write(&chunk(doc, before), &[]).unwrap();
        w.write(&chunk(doc, text), spans).unwrap();
        assert_eq!(w.stats().spans, spans.len() as u64);
        assert_eq!(w.stats().docs, 1);
        let out = w.finish().unwrap();
        let header = crate::HEADER.join(",").len() + 1;
        out[header..].to_vec()
    }

    /// A tagger whose terms and norms hold quotes, commas and a line break's worth of trouble.
    fn hostile_tagger() -> Tagger {
        let mut g = Gazetteer::new();
        let csv = concat!(
            "term,label,norm,kind,case\n",
            "\"Bob \"\"the, Builder\"\"\",ACTOR,\"Bob \"\"B\"\", the builder\",person,\n",
            "\"Acme, Inc.\",ACTOR,\"Acme\nInc\",org,\n",
            "Assimi Goïta,ACTOR,\"Goïta, Assimi\",person,\n",
            "Mali,PLACE,Mali,country,\n",
            "\"Café \"\"Noir\"\"\",PLACE,,place,\n",
        );
        g.add_csv(Path::new("hostile.csv"), csv.as_bytes()).unwrap();
        Tagger::builder().build(&g).unwrap()
    }

    fn chunk(doc: &str, text: &str) -> Chunk {
        Chunk {
            doc: Arc::from(doc),
            text: text.to_string(),
        }
    }

    const HOSTILE: &str = "Bob \"the, Builder\" met Acme, Inc. in Mali,\r\nthen Assimi\nGoïta \
        at Café \"Noir\": 3,000 \"people\", 12 tanks\tand \\ Mali\u{1}.";

    /// Seven code points in nine bytes, ending at a paragraph break.
    const BEFORE: &str = "Ünïon\n\n";

    #[test]
    fn csv_rows_are_byte_identical_to_the_csv_crate_on_hostile_text() {
        let tagger = hostile_tagger();
        let spans = tagger.tag(HOSTILE);
        // Every trouble is there: quotes and commas in mention texts and norms, a line break
        // inside a mention, an integer norm.
        let texts: Vec<&str> = spans.iter().map(|s| &HOSTILE[s.range()]).collect();
        assert!(texts.contains(&"Bob \"the, Builder\""), "{texts:?}");
        assert!(texts.contains(&"Assimi\nGoïta"), "{texts:?}");
        assert!(texts.contains(&"3,000"), "{texts:?}");
        for doc in ["plain", "a,b", "say \"hi\"", "line\nbreak", "cr\r"] {
            assert_eq!(
                String::from_utf8(rows(doc, BEFORE, HOSTILE, &spans)).unwrap(),
                String::from_utf8(reference_rows(doc, HOSTILE, 7, &spans)).unwrap()
            );
        }
    }

    #[test]
    fn csv_rows_are_byte_identical_to_the_csv_crate_on_the_gold() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus = Corpus::read_dir(&root.join("gold/texts")).unwrap();
        let tagger = Tagger::builder().build(&default_gazetteer(root)).unwrap();
        let mut total = 0;
        for d in corpus.documents() {
            let spans = tagger.tag(&d.text);
            let got = rows(&d.id, "", &d.text, &spans);
            assert_eq!(got, reference_rows(&d.id, &d.text, 0, &spans), "{}", d.id);
            total += spans.len();
        }
        assert!(total > 100, "{total} rows");
    }

    fn default_gazetteer(root: &Path) -> Gazetteer {
        let variant = crate::variant::Variant::resolve("default", &root.join("variants")).unwrap();
        Gazetteer::load(&variant.gazetteers).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Any text, any document id: the same bytes as the csv crate.
        #[test]
        fn csv_rows_equal_the_csv_crate(
            words in prop::collection::vec(
                prop::sample::select(vec![
                    "Bob", "\"the,", "Builder\"", "Acme,", "Inc.", "Mali", "Café", "\"Noir\"",
                    "Assimi", "Goïta", "3,000", "\"", ",", "\r\n", "\n", "\t", "é", "12",
                ]),
                0..40,
            ),
            seps in prop::collection::vec(prop::sample::select(vec![" ", "\n", ", ", "\""]), 40),
            doc in "[a-z,\"\n ]{1,6}",
            before in "(\\PC|\n){0,20}",
        ) {
            let mut text = String::new();
            for (w, s) in words.iter().zip(&seps) {
                text.push_str(w);
                text.push_str(s);
            }
            let spans = hostile_tagger().tag(&text);
            let base = before.chars().count();
            prop_assert_eq!(
                rows(&doc, &before, &text, &spans),
                reference_rows(&doc, &text, base, &spans)
            );
        }

        /// The JSON escaping is serde_json's.
        #[test]
        fn json_escape_is_serde_jsons(s in "(\\PC|[\u{0}-\u{1f}\"\\\\\u{7f}])*") {
            let mut out = Vec::new();
            json_string(&mut out, &s);
            prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap());
        }
    }

    #[test]
    fn json_escape_finds_every_special_byte_at_every_place_in_a_word() {
        // The escaper checks eight bytes at a time: each special byte, at each place of the
        // first three words and of the tail, next to plain ASCII and to multi-byte text.
        let specials = [
            '"', '\\', '\n', '\r', '\t', '\u{0}', '\u{8}', '\u{c}', '\u{1f}',
        ];
        for fill in ['a', 'é', '\u{7f}', ' ', '!', '#', '[', ']'] {
            for len in [7, 8, 9, 16, 23, 24, 25] {
                for at in 0..len {
                    for &c in &specials {
                        let s: String = (0..len).map(|i| if i == at { c } else { fill }).collect();
                        let mut out = Vec::new();
                        json_string(&mut out, &s);
                        assert_eq!(
                            String::from_utf8(out).unwrap(),
                            serde_json::to_string(&s).unwrap(),
                            "{s:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn jsonl_of_chunked_documents_reads_back_with_the_whole_texts_spans() {
        let tagger = hostile_tagger();
        // Two documents, the first cut in three chunks at paragraph breaks, and an empty one.
        let parts = [
            HOSTILE,
            "\n\nMali and Acme, Inc.",
            "\n\n\"Bob \"the, Builder\"\" 7",
        ];
        let whole: String = parts.concat();
        let mut chunks = Vec::new();
        for p in parts {
            chunks.push(chunk("d,\"1\"", p));
        }
        chunks.push(chunk("e", ""));
        chunks.push(chunk("f", "Mali\u{1}"));
        let mut w = PredictionWriter::new(Vec::new(), OutputFormat::Jsonl).unwrap();
        for c in &chunks {
            w.write(c, &tagger.tag(&c.text)).unwrap();
        }
        assert_eq!(w.stats().docs, 3);
        let out = w.finish().unwrap();
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 3);
        let data = crate::format::jsonl::from_bytes(&out, &gold_labels()).unwrap();
        let doc = data.corpus().get("d,\"1\"").unwrap();
        assert_eq!(doc.text, whole);
        // The spans of tagging the whole text, in code points.
        let idx = crate::span::OffsetIndex::new(&whole);
        let want: Vec<(usize, usize, String)> = tagger
            .tag(&whole)
            .iter()
            .map(|s| {
                let c = idx.to_chars(s).unwrap();
                (c.start, c.end, c.norm.to_string())
            })
            .collect();
        let got: Vec<(usize, usize, String)> = data
            .annotations()
            .get("d,\"1\"")
            .iter()
            .map(|a| (a.span.start, a.span.end, a.span.norm.to_string()))
            .collect();
        assert_eq!(got, want);
        assert!(got.len() >= 8, "{got:?}");
        assert_eq!(data.corpus().get("e").unwrap().text, "");
        assert_eq!(data.annotations().get("f").len(), 1);
        // And it is what `convert --to jsonl` writes, but for the order of the lines.
        let mut lines: Vec<&[u8]> = out.split_inclusive(|&b| b == b'\n').collect();
        lines.sort();
        assert_eq!(lines.concat(), crate::format::jsonl::write(&data));
    }

    /// Files of several sizes (one empty, some cut into many chunks) and what writing each
    /// whole text gives.
    fn corpus_files(dir: &Path) -> (Vec<Input>, [Vec<u8>; 2]) {
        let tagger = hostile_tagger();
        let mut inputs = Vec::new();
        let mut whole = [OutputFormat::Csv, OutputFormat::Jsonl]
            .map(|f| PredictionWriter::new(Vec::new(), f).unwrap());
        for (i, n) in [0usize, 1, 3, 2000, 7, 900].into_iter().enumerate() {
            let mut text = String::new();
            for k in 0..n {
                text.push_str(HOSTILE);
                text.push_str(["\n\n", " ", "\r\n\r\n", "\n"][k % 4]);
            }
            let path = dir.join(format!("doc{i}.txt"));
            std::fs::write(&path, &text).unwrap();
            inputs.push(Input::Text(path));
            let spans = tagger.tag(&text);
            for w in &mut whole {
                w.write(&chunk(&format!("doc{i}"), &text), &spans).unwrap();
            }
        }
        (inputs, whole.map(|w| w.finish().unwrap()))
    }

    #[test]
    fn the_pipeline_writes_what_whole_texts_give_whatever_the_workers() {
        let dir = tempfile::tempdir().unwrap();
        let (inputs, want) = corpus_files(dir.path());
        let tagger = hostile_tagger();
        for (format, want) in [OutputFormat::Csv, OutputFormat::Jsonl].iter().zip(&want) {
            for workers in [1, 2, 5] {
                for in_flight_bytes in [1, 1 << 20, 64 << 20] {
                    let opts = StreamOptions {
                        format: *format,
                        workers,
                        in_flight_bytes,
                    };
                    let mut seen = Vec::new();
                    let (out, stats) =
                        tag_stream(&tagger, inputs.clone(), Vec::new(), opts, &mut |n| {
                            seen.push(n)
                        })
                        .unwrap();
                    assert!(out == *want, "{opts:?}");
                    assert_eq!(stats.docs, 6);
                    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
                    let size: u64 = inputs.iter().filter_map(Input::size).sum();
                    assert_eq!(seen.last(), Some(&size));
                }
            }
        }
    }

    /// A sink that fails once it has taken `left` bytes.
    struct Full {
        left: usize,
    }

    impl Write for Full {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            if b.len() > self.left {
                return Err(io::Error::other("disk full"));
            }
            self.left -= b.len();
            Ok(b.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn errors_stop_the_pipeline_and_say_what() {
        let dir = tempfile::tempdir().unwrap();
        let (mut inputs, _) = corpus_files(dir.path());
        let tagger = hostile_tagger();
        let opts = StreamOptions {
            workers: 2,
            in_flight_bytes: 1,
            ..StreamOptions::default()
        };
        // A write failure, early or late.
        for left in [0, 100_000] {
            let e = tag_stream(&tagger, inputs.clone(), Full { left }, opts, &mut |_| {});
            assert!(
                matches!(&e, Err(StreamError::Write(e)) if e.to_string() == "disk full"),
                "{:?}",
                e.map(|r| r.1)
            );
        }
        // Invalid UTF-8 in a file read in many chunks: its line and offset, as a whole.
        let bad = dir.path().join("bad.txt");
        let mut text = HOSTILE
            .repeat(1000)
            .replace("Café", "Caf\u{e9}\n\n")
            .into_bytes();
        let at = text.len() - 3;
        text[at] = 0xff;
        std::fs::write(&bad, &text).unwrap();
        inputs.insert(2, Input::Text(bad));
        let e = match tag_stream(&tagger, inputs, Vec::new(), opts, &mut |_| {}) {
            Err(StreamError::Read(e)) => e.to_string(),
            other => panic!("{:?}", other.map(|r| r.1)),
        };
        let line = 1 + text[..at].iter().filter(|&&b| b == b'\n').count();
        assert!(e.contains(&format!("bad.txt:{line}:")), "{e}");
        assert!(e.contains(&format!("byte {at}")), "{e}");
    }
}
