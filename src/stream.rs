//! Tagging a corpus too big to hold in memory.
//!
//! A [`ChunkReader`] reads documents one at a time, from `.txt` files or from JSONL
//! (`{"id": ..., "text": ...}` a line, other keys ignored), and cuts a long text into chunks at
//! its paragraph breaks (blank lines, defined once in `text.rs`). No name and no FIGURE
//! crosses a paragraph break (the tagger and the FIGURE recogniser use the same definition),
//! so tagging the chunks gives exactly the spans of tagging the whole text; a property test
//! checks it. [`tag_batch`] tags a batch of chunks in parallel
//! (rayon) and returns each chunk's CSV rows, in input order: the output does not depend on the
//! number of threads. Memory is bounded by the batch size and the longest paragraph.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use crate::error::{Error, Result};
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
            if cut == 0 {
                return Ok(None);
            }
            let rest = self.buf.split_off(cut);
            let bytes = std::mem::replace(&mut self.buf, rest);
            let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
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

/// Tags `chunks` in parallel on the current rayon pool and returns, for each chunk in order,
/// its spans as CSV rows (`doc,start,end,label,text,norm`, code-point offsets in the
/// document, no header).
pub fn tag_batch(tagger: &Tagger, chunks: &[Chunk]) -> Vec<Vec<u8>> {
    chunks
        .par_iter()
        .map_init(
            || (Scratch::new(), Vec::new()),
            |(scratch, spans), c| {
                tagger.tag_with(&c.text, scratch, spans);
                rows(c, spans)
            },
        )
        .collect()
}

fn rows(c: &Chunk, spans: &[Span]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::with_capacity(spans.len() * 48));
    // Byte offsets to code points, in one pass (spans are sorted by start).
    let mut cursor = OffsetCursor::new(&c.text);
    let mut to_char = |b: usize| {
        // The tagger only emits spans on char boundaries; a failure here is a tagger bug.
        c.char_base
            + cursor
                .byte_to_char(b)
                .expect("tagger span on a char boundary")
    };
    use std::fmt::Write;
    let (mut start, mut end, mut norm) = (String::new(), String::new(), String::new());
    for s in spans {
        start.clear();
        end.clear();
        norm.clear();
        // Writing to a String cannot fail.
        let _ = write!(start, "{}", to_char(s.start));
        let _ = write!(end, "{}", to_char(s.end));
        let _ = write!(norm, "{}", s.norm);
        let rec: [&[u8]; 6] = [
            c.doc.as_bytes(),
            start.as_bytes(),
            end.as_bytes(),
            s.label.as_str().as_bytes(),
            c.text[s.range()].as_bytes(),
            norm.as_bytes(),
        ];
        // Writing to a Vec cannot fail.
        let _ = w.write_record(rec);
    }
    w.into_inner().unwrap_or_default()
}
