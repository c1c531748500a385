//! Tagging a corpus too big to hold in memory.
//!
//! A [`ChunkReader`] reads documents one at a time, from `.txt` files or from JSONL
//! (`{"id": ..., "text": ...}` a line, other keys ignored), and cuts a long text into chunks at
//! its paragraph breaks (blank lines, defined once in `text.rs`). No name and no FIGURE
//! crosses a paragraph break (the tagger and the FIGURE recogniser use the same definition),
//! so tagging the chunks gives exactly the spans of tagging the whole text; a property test
//! checks it. [`tag_batch`] tags a batch of chunks in parallel
//! (rayon) and renders each chunk's spans (CSV rows or JSON objects), in input order, for a
//! [`PredictionWriter`]: the output does not depend on the number of threads. Memory is
//! bounded by the batch size and the longest paragraph (and, in JSONL, a document's spans).

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::label::Norm;
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

/// A piece of a document: a whole document, or a run of its paragraphs.
#[derive(Clone, Debug)]
pub struct Chunk {
    /// The document id.
    pub doc: Arc<str>,
    /// The text of this piece.
    pub text: String,
    /// The code-point offset of this piece in its document.
    pub char_base: usize,
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
    },
}

struct TextSource {
    name: PathBuf,
    reader: BufReader<File>,
    id: Arc<str>,
    buf: Vec<u8>,
    eof: bool,
    /// Line number and file offset of `buf[0]`.
    line: u64,
    offset: u64,
    char_base: usize,
    /// A chunk was returned: an empty file is one empty chunk, a document without mentions.
    emitted: bool,
}

#[derive(Deserialize)]
struct JsonDoc {
    #[serde(default)]
    id: Option<JsonId>,
    text: String,
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
        loop {
            if self.current.is_none() {
                let Some(input) = self.inputs.next() else {
                    return Ok(None);
                };
                self.current = Some(self.open(input)?);
            }
            let got = match self.current.as_mut() {
                Some(Source::Text(t)) => t.next(self.chunk_bytes, &mut self.consumed)?,
                Some(Source::Jsonl { name, reader, line }) => {
                    next_json(name, reader, line, &mut self.consumed, &mut self.seen)?
                }
                None => None,
            };
            match got {
                Some(c) => return Ok(Some(c)),
                None => self.current = None,
            }
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
                    reader: BufReader::with_capacity(1 << 16, file),
                    id,
                    buf: Vec::new(),
                    eof: false,
                    line: 1,
                    offset: 0,
                    char_base: 0,
                    emitted: false,
                }))
            }
            Input::Jsonl(path) => {
                let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
                Ok(Source::Jsonl {
                    name,
                    reader: Box::new(BufReader::with_capacity(1 << 16, file)),
                    line: 0,
                })
            }
            Input::Stdin => Ok(Source::Jsonl {
                name,
                reader: Box::new(BufReader::new(io::stdin())),
                line: 0,
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

impl TextSource {
    fn next(&mut self, target: usize, consumed: &mut u64) -> Result<Option<Chunk>> {
        loop {
            // Cut at the first paragraph break past `target` bytes; read on until there is
            // one (a paragraph is never cut), or to the end of the file.
            let cut = match text::paragraph_cut(&self.buf, target) {
                Some(c) => c,
                None if self.eof => self.buf.len(),
                None => {
                    self.fill(target, consumed)?;
                    continue;
                }
            };
            if cut == 0 && self.emitted {
                return Ok(None);
            }
            self.emitted = true;
            let rest = self.buf.split_off(cut);
            let bytes = std::mem::replace(&mut self.buf, rest);
            let lines = memchr::memchr_iter(b'\n', &bytes).count() as u64;
            let text = String::from_utf8(bytes).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                Error::utf8_in_file(e.as_bytes(), at, self.line, self.offset).at_path(&self.name)
            })?;
            self.line += lines;
            self.offset += text.len() as u64;
            let char_base = self.char_base;
            self.char_base += text.chars().count();
            return Ok(Some(Chunk {
                doc: self.id.clone(),
                text,
                char_base,
            }));
        }
    }

    /// Reads up to `target` more bytes (at least one block), or notes the end of the file.
    fn fill(&mut self, target: usize, consumed: &mut u64) -> Result<()> {
        let want = target.max(1 << 16) as u64;
        let n = (&mut self.reader)
            .take(want)
            .read_to_end(&mut self.buf)
            .map_err(|e| Error::io(&self.name, e))?;
        *consumed += n as u64;
        if n == 0 {
            self.eof = true;
        }
        Ok(())
    }
}

fn next_json(
    name: &Path,
    reader: &mut Box<dyn BufRead + Send>,
    line: &mut u64,
    consumed: &mut u64,
    seen: &mut HashMap<Arc<str>, String>,
) -> Result<Option<Chunk>> {
    let mut bytes = Vec::new();
    loop {
        bytes.clear();
        let n = reader
            .read_until(b'\n', &mut bytes)
            .map_err(|e| Error::io(name, e))?;
        if n == 0 {
            return Ok(None);
        }
        *consumed += n as u64;
        *line += 1;
        let at = |e: Error| e.at_path(name).at_line(*line);
        let mut s: &[u8] = &bytes;
        if *line == 1 {
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
        claim(seen, &id, &format!("line {line}"), name).map_err(|e| e.at_line(*line))?;
        return Ok(Some(Chunk {
            doc: id,
            text: doc.text,
            char_base: 0,
        }));
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

/// A chunk's spans, rendered on a worker thread (see [`tag_batch`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// CSV: the rows. JSONL: the span objects, each preceded by a comma.
    pub spans: Vec<u8>,
    /// JSONL only: the chunk's text, escaped for the inside of a JSON string.
    pub text: Vec<u8>,
    /// The number of spans.
    pub count: usize,
}

/// Tags `chunks` in parallel on the current rayon pool and returns, for each chunk in order,
/// its spans rendered in `format`, for a [`PredictionWriter`].
pub fn tag_batch(tagger: &Tagger, chunks: &[Chunk], format: OutputFormat) -> Vec<Rendered> {
    chunks
        .par_iter()
        .map_init(
            || (Scratch::new(), Vec::new()),
            |(scratch, spans), c| {
                tagger.tag_with(&c.text, scratch, spans);
                render(c, spans, format)
            },
        )
        .collect()
}

/// Renders the spans of a chunk (byte offsets in `c.text`, sorted by start).
pub fn render(c: &Chunk, spans: &[Span], format: OutputFormat) -> Rendered {
    let mut r = Rendered {
        spans: Vec::with_capacity(spans.len() * 48),
        text: Vec::new(),
        count: spans.len(),
    };
    match format {
        OutputFormat::Csv => csv_rows(c, spans, &mut r.spans),
        OutputFormat::Jsonl => {
            json_spans(c, spans, &mut r.spans);
            r.text.reserve(c.text.len() + c.text.len() / 16);
            json_escape(&mut r.text, c.text.as_bytes());
        }
    }
    r
}

/// The code-point offsets of a chunk's sorted spans, in one pass over its text.
struct CharOffsets<'t> {
    cursor: OffsetCursor<'t>,
    base: usize,
}

impl<'t> CharOffsets<'t> {
    fn new(c: &'t Chunk) -> CharOffsets<'t> {
        CharOffsets {
            cursor: OffsetCursor::new(&c.text),
            base: c.char_base,
        }
    }

    fn of(&mut self, byte: usize) -> usize {
        // The tagger only emits spans on char boundaries; a failure here is a tagger bug.
        self.base
            + self
                .cursor
                .byte_to_char(byte)
                .expect("tagger span on a char boundary")
    }
}

/// CSV rows, byte for byte what the `csv` crate writes (a field is quoted when it holds a
/// comma, a quote, a CR or an LF; quotes inside are doubled): the document id is rendered
/// once a chunk, offsets and integer norms need no check, and the other fields are scanned
/// once.
fn csv_rows(c: &Chunk, spans: &[Span], out: &mut Vec<u8>) {
    let mut doc = Vec::new();
    csv_field(&mut doc, c.doc.as_bytes());
    doc.push(b',');
    let mut at = CharOffsets::new(c);
    let mut int = itoa::Buffer::new();
    for s in spans {
        out.extend_from_slice(&doc);
        out.extend_from_slice(int.format(at.of(s.start)).as_bytes());
        out.push(b',');
        out.extend_from_slice(int.format(at.of(s.end)).as_bytes());
        out.push(b',');
        csv_field(out, s.label.as_str().as_bytes());
        out.push(b',');
        csv_field(out, c.text[s.range()].as_bytes());
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
fn json_spans(c: &Chunk, spans: &[Span], out: &mut Vec<u8>) {
    let mut at = CharOffsets::new(c);
    let mut int = itoa::Buffer::new();
    for s in spans {
        out.extend_from_slice(b",{\"start\":");
        out.extend_from_slice(int.format(at.of(s.start)).as_bytes());
        out.extend_from_slice(b",\"end\":");
        out.extend_from_slice(int.format(at.of(s.end)).as_bytes());
        out.extend_from_slice(b",\"label\":");
        json_string(out, s.label.as_str());
        out.extend_from_slice(b",\"norm\":");
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
/// as it is.
fn json_escape(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut done = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[done..i]);
        done = i + 1;
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
    out.extend_from_slice(&bytes[done..]);
}

/// Writes the [`Rendered`] chunks of [`tag_batch`], in input order, as one predictions file:
/// CSV rows under a header, or one JSON line a document (its text is written as its chunks
/// come; its spans, which follow the text, are held until its last chunk).
pub struct PredictionWriter<W: Write> {
    out: W,
    format: OutputFormat,
    /// JSONL: the document whose line is open, and its span objects so far.
    open: Option<Arc<str>>,
    held: Vec<u8>,
}

impl<W: Write> PredictionWriter<W> {
    /// A writer into `out`; a CSV starts with its header.
    pub fn new(mut out: W, format: OutputFormat) -> io::Result<PredictionWriter<W>> {
        if format == OutputFormat::Csv {
            out.write_all(crate::HEADER.join(",").as_bytes())?;
            out.write_all(b"\n")?;
        }
        Ok(PredictionWriter {
            out,
            format,
            open: None,
            held: Vec::new(),
        })
    }

    /// Writes a chunk's rendering; chunks come in input order (a document's chunks in a row).
    pub fn write(&mut self, chunk: &Chunk, r: &Rendered) -> io::Result<()> {
        match self.format {
            OutputFormat::Csv => self.out.write_all(&r.spans),
            OutputFormat::Jsonl => {
                if self.open.as_ref() != Some(&chunk.doc) {
                    self.close()?;
                    let mut head = Vec::with_capacity(chunk.doc.len() + 20);
                    head.extend_from_slice(b"{\"id\":");
                    json_string(&mut head, &chunk.doc);
                    head.extend_from_slice(b",\"text\":\"");
                    self.out.write_all(&head)?;
                    self.open = Some(chunk.doc.clone());
                }
                self.out.write_all(&r.text)?;
                self.held.extend_from_slice(&r.spans);
                Ok(())
            }
        }
    }

    /// Ends the last document's line and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.close()?;
        Ok(self.out)
    }

    fn close(&mut self) -> io::Result<()> {
        if self.open.take().is_some() {
            self.out.write_all(b"\",\"spans\":[")?;
            // Every span object is preceded by a comma: drop the first.
            self.out.write_all(self.held.get(1..).unwrap_or_default())?;
            self.out.write_all(b"]}\n")?;
            self.held.clear();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gold::Corpus;
    use crate::label::gold_labels;
    use crate::Gazetteer;
    use proptest::prelude::*;

    /// The writer `tag` used before: the `csv` crate, integers through `fmt`.
    fn reference_rows(c: &Chunk, spans: &[Span]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let mut cursor = OffsetCursor::new(&c.text);
        for s in spans {
            let start = c.char_base + cursor.byte_to_char(s.start).unwrap();
            let end = c.char_base + cursor.byte_to_char(s.end).unwrap();
            w.write_record([
                c.doc.to_string(),
                start.to_string(),
                end.to_string(),
                s.label.as_str().to_string(),
                c.text[s.range()].to_string(),
                s.norm.to_string(),
            ])
            .unwrap();
        }
        w.into_inner().unwrap()
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

    fn chunk(doc: &str, text: &str, char_base: usize) -> Chunk {
        Chunk {
            doc: Arc::from(doc),
            text: text.to_string(),
            char_base,
        }
    }

    const HOSTILE: &str = "Bob \"the, Builder\" met Acme, Inc. in Mali,\r\nthen Assimi\nGoïta \
        at Café \"Noir\": 3,000 \"people\", 12 tanks\tand \\ Mali\u{1}.";

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
            let c = chunk(doc, HOSTILE, 7);
            let got = render(&c, &spans, OutputFormat::Csv);
            assert_eq!(got.count, spans.len());
            assert_eq!(
                String::from_utf8(got.spans).unwrap(),
                String::from_utf8(reference_rows(&c, &spans)).unwrap()
            );
        }
    }

    #[test]
    fn csv_rows_are_byte_identical_to_the_csv_crate_on_the_gold() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus = Corpus::read_dir(&root.join("gold/texts")).unwrap();
        let tagger = Tagger::builder().build(&default_gazetteer(root)).unwrap();
        let mut rows = 0;
        for d in corpus.documents() {
            let spans = tagger.tag(&d.text);
            let c = chunk(&d.id, &d.text, 0);
            let got = render(&c, &spans, OutputFormat::Csv);
            assert_eq!(got.spans, reference_rows(&c, &spans), "{}", d.id);
            rows += got.count;
        }
        assert!(rows > 100, "{rows} rows");
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
            base in 0usize..1000,
        ) {
            let mut text = String::new();
            for (w, s) in words.iter().zip(&seps) {
                text.push_str(w);
                text.push_str(s);
            }
            let spans = hostile_tagger().tag(&text);
            let c = chunk(&doc, &text, base);
            prop_assert_eq!(render(&c, &spans, OutputFormat::Csv).spans, reference_rows(&c, &spans));
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
        let mut base = 0;
        for p in parts {
            chunks.push(chunk("d,\"1\"", p, base));
            base += p.chars().count();
        }
        chunks.push(chunk("e", "", 0));
        chunks.push(chunk("f", "Mali\u{1}", 0));
        let rendered = tag_batch(&tagger, &chunks, OutputFormat::Jsonl);
        let mut w = PredictionWriter::new(Vec::new(), OutputFormat::Jsonl).unwrap();
        for (c, r) in chunks.iter().zip(&rendered) {
            w.write(c, r).unwrap();
        }
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
}
