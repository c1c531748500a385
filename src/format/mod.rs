//! Reading and writing annotated documents in other tools' formats.
//!
//! Every format goes through one model, [`Dataset`]: a [`Corpus`] (documents with an id and
//! a text) and an [`AnnotationSet`] (code-point spans with a [`Label`] and a [`Norm`]) whose
//! every mention lies inside its document's text. Readers build a `Dataset` and check every
//! offset against the text; writers are pure functions from a `Dataset` to bytes, sorted by
//! document id and then by position, so the same data always gives the same bytes. Only the
//! binary writes files.
//!
//! | [`Format`] | module | layout | offsets | norm |
//! |---|---|---|---|---|
//! | `csv` | `csv` | `doc,start,end,label,text,norm` + a folder of `<doc>.txt` | code points | yes |
//! | `brat` | `brat` | a folder of `<doc>.txt` + `<doc>.ann` | code points | yes, as `AnnotatorNotes` |
//! | `conll` | [`conll`] | one `token<TAB>tag` a line; IOB1, IOB2, IOE1, IOE2, IOBES or BILOU tags | tokens | no |
//! | `jsonl` | `jsonl` | `{"id", "text", "spans": [{"start", "end", "label", "norm"}]}` a line | code points | yes |
//! | `doccano` | `doccano` | `{"id", "text", "label": [[start, end, "LABEL"]]}` a line | code points | no |
//! | `labelstudio` | `labelstudio` | a JSON array of Label Studio tasks | UTF-16 code units | yes, as region meta |
//!
//! Every reader accepts a UTF-8 byte-order mark and CRLF line ends, never panics on any
//! input, and reports errors with the file, the line (or the JSON path) and the field.
//! Offsets are checked: `start < end`, `end` within the text, and, where the format repeats
//! the mention's text, that text equal to the slice.

pub(crate) mod brat;
pub mod conll;
pub(crate) mod csv;
pub(crate) mod doccano;
pub(crate) mod json;
pub(crate) mod jsonl;
pub(crate) mod labelstudio;

pub use labelstudio::Results as LabelStudioResults;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::annotations::{Annotation, AnnotationSet};
use crate::error::{Error, Result};
pub use crate::gold::Dataset;
use crate::gold::{Corpus, Document, Texts};
use crate::label::{Label, LabelSet, Norm};
use crate::span::{CharSpan, OffsetIndex};

/// A file format for annotated documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// tagbench's annotations CSV (`doc,start,end,label,text,norm`); the texts are a separate
    /// folder of `<doc>.txt` files.
    Csv,
    /// brat standoff: a folder of `<doc>.txt` and `<doc>.ann` pairs.
    Brat,
    /// CoNLL-2003-style BIO: one token and its tag a line.
    Conll,
    /// JSON Lines, one document a line, spaCy-style character spans with norms.
    Jsonl,
    /// doccano's sequence-labelling JSONL export.
    Doccano,
    /// Label Studio's JSON export of NER tasks.
    LabelStudio,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 6] = [
        Format::Csv,
        Format::Brat,
        Format::Conll,
        Format::Jsonl,
        Format::Doccano,
        Format::LabelStudio,
    ];

    /// The format's name, as the command line takes it: `csv`, `brat`, `conll`, `jsonl`,
    /// `doccano`, `labelstudio`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Jsonl => "jsonl",
            Format::Doccano => "doccano",
            Format::LabelStudio => "labelstudio",
        }
    }

    /// Whether the format keeps a mention's [`Norm`]. Converting to a format that does not
    /// drops every norm.
    pub fn carries_norm(self) -> bool {
        !matches!(self, Format::Conll | Format::Doccano)
    }

    /// The format a path's name tells: `.csv`, `.conll` or `.bio`, `.jsonl`, `.json` (Label
    /// Studio), `.ann` (one brat file pair), and a folder (brat). A path that does not exist
    /// and has no extension is taken as a folder to create, so brat too. doccano files are
    /// `.jsonl` as well: they need the format named. `None` when the name does not tell.
    pub fn from_path(path: &Path) -> Option<Format> {
        if path.is_dir() {
            return Some(Format::Brat);
        }
        let ext = path.extension().and_then(|e| e.to_str());
        match ext.map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => Some(Format::Csv),
            Some("conll") | Some("bio") => Some(Format::Conll),
            Some("jsonl") => Some(Format::Jsonl),
            Some("json") => Some(Format::LabelStudio),
            Some("ann") => Some(Format::Brat),
            Some(_) => None,
            None if !path.exists() => Some(Format::Brat),
            None => None,
        }
    }

    /// [`Format::from_path`], or an error naming the path when its name does not tell.
    pub fn detect(path: &Path) -> Result<Format> {
        Format::from_path(path).ok_or_else(|| Error::unknown_format(path))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Format`] name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        write!(
            f,
            "unknown format {:?} (expected {})",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> std::result::Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// What a reader needs besides the file.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReadOptions<'a> {
    /// The texts. Required for `csv`, whose rows do not carry them. For `conll`, tokens are
    /// aligned with these texts when given (offsets into the original text); without them
    /// the text is rebuilt from the tokens (see [`conll`]). The other formats carry their
    /// texts and ignore this.
    pub texts: Option<&'a Corpus>,
    /// Which results of a Label Studio task to read (default: the annotations).
    pub labelstudio: LabelStudioResults,
    /// The declared labels, whose norm kinds say how to parse norms. `None` declares
    /// nothing: every label is read, every norm as a name.
    pub labels: Option<&'a LabelSet>,
    /// For `conll`: the tag scheme (detected by default) and how chunks are read.
    pub conll: conll::Options,
}

/// What a writer needs besides the data.
#[derive(Clone, Copy, Debug, Default)]
pub struct WriteOptions {
    /// Whether Label Studio output puts the spans in `annotations` (the default) or in
    /// `predictions` (pre-annotations).
    pub labelstudio: LabelStudioResults,
    /// The tag scheme of `conll` output (default: IOB2).
    pub conll: conll::TagScheme,
}

/// Reads a file (or, for brat, a folder or one `.ann` file) in `format`.
/// [`Dataset::open`] reads any path, deciding the format.
pub fn read(format: Format, path: &Path, opts: &ReadOptions<'_>) -> Result<Dataset> {
    static NONE: LabelSet = LabelSet::new();
    let labels = opts.labels.unwrap_or(&NONE);
    let data = match format {
        Format::Csv => match opts.texts {
            Some(texts) => csv::read(path, texts, labels),
            None => Err(Error::invalid(
                "a csv annotations file needs its texts (a folder of <doc>.txt files)",
            )
            .at_path(path)),
        },
        Format::Brat => brat::read(path, labels),
        Format::Conll => conll::read(path, opts.texts, &opts.conll),
        Format::Jsonl => jsonl::read(path, labels),
        Format::Doccano => doccano::read(path),
        Format::LabelStudio => labelstudio::read(path, opts.labelstudio, labels),
    }?;
    Ok(data.read_from(path))
}

/// Reads the bytes of one file in `format`, as [`read`] reads a file (errors carry lines or
/// JSON paths but no file name). `csv` needs [`ReadOptions::texts`]; for `brat` the bytes are
/// one `.ann` file and [`ReadOptions::texts`] must hold its one document.
///
/// ```
/// use tagbench::format::{self, Format, ReadOptions};
///
/// let bio = "-DOCSTART-\td1\n\nMali\tS-PLACE\naccuses\tO\nthe\tO\nUN\tS-ACTOR\n";
/// let data = format::from_bytes(Format::Conll, bio.as_bytes(), &ReadOptions::default())?;
/// let doc = &data.corpus().documents()[0];
/// assert_eq!(doc.text, "Mali accuses the UN"); // rebuilt from the tokens
/// let found: Vec<String> = data
///     .annotations()
///     .iter()
///     .map(|a| format!("{} {}", a.span.label, &doc.text[a.span.start..a.span.end]))
///     .collect();
/// assert_eq!(found, ["PLACE Mali", "ACTOR UN"]);
/// # Ok::<(), tagbench::Error>(())
/// ```
pub fn from_bytes(format: Format, bytes: &[u8], opts: &ReadOptions<'_>) -> Result<Dataset> {
    static NONE: LabelSet = LabelSet::new();
    let labels = opts.labels.unwrap_or(&NONE);
    match format {
        Format::Csv => match opts.texts {
            Some(texts) => Dataset::new(texts.clone(), AnnotationSet::from_bytes(bytes, labels)?),
            None => Err(Error::invalid(
                "a csv annotations file needs its texts (a folder of <doc>.txt files)",
            )),
        },
        Format::Brat => match opts.texts.map(|t| t.documents()) {
            Some([doc]) => {
                let mut set = AnnotationSet::new();
                for a in brat::parse(doc, bytes, labels)? {
                    set.push(a);
                }
                set.sort();
                Dataset::new(Corpus::from_documents(vec![doc.clone()])?, set)
            }
            _ => Err(Error::invalid(
                "the bytes of a brat .ann file need the text of their one document \
                 (ReadOptions::texts with one document)",
            )),
        },
        Format::Conll => conll::from_bytes(bytes, opts.texts, &opts.conll),
        Format::Jsonl => jsonl::from_bytes(bytes, labels),
        Format::Doccano => doccano::from_bytes(bytes),
        Format::LabelStudio => labelstudio::from_bytes(bytes, opts.labelstudio, labels),
    }
}

/// Bytes to write: one file, or the files of a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// The content of the output file.
    File(Vec<u8>),
    /// File names (no folder part) and contents, sorted by name.
    Folder(Vec<(String, Vec<u8>)>),
}

/// The result of writing a dataset: the bytes, and what the format could not keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// What to write.
    pub output: Output,
    /// Mentions left out because the format cannot represent them (only `conll` leaves any
    /// out; see [`conll`]).
    pub unrepresented: Vec<Unrepresented>,
    /// How many written mentions lost their norm because the format has no place for it.
    pub norms_dropped: usize,
}

/// A mention a format could not represent, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unrepresented {
    /// Its document.
    pub doc: String,
    /// Its code-point span, label and norm.
    pub span: CharSpan,
    /// Why it was left out.
    pub reason: Reason,
}

/// Why a mention was left out of a BIO export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// A boundary of the mention falls inside a token, or on whitespace.
    InsideToken,
    /// The mention starts in one sentence and ends in another.
    CrossesSentence,
    /// The mention shares a token with an earlier mention (BIO cannot nest or overlap).
    Overlaps,
}

impl Reason {
    /// A short description, for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::InsideToken => "boundary inside a token",
            Reason::CrossesSentence => "crosses a sentence boundary",
            Reason::Overlaps => "overlaps another span",
        }
    }
}

/// Writes a dataset in `format`. Fails when a document id cannot be written (a brat file
/// name, a CoNLL `-DOCSTART-` line: an error of the file the dataset was read from), and
/// when the dataset has no texts and the format needs them.
pub fn write(format: Format, data: &Dataset, opts: &WriteOptions) -> Result<Written> {
    let at_source = |e: Error| match data.source() {
        Some(p) => e.at_path(p),
        None => e,
    };
    if data.texts() == Texts::Missing && format != Format::Csv {
        return Err(at_source(Error::invalid(format!(
            "annotations read without their texts cannot be written as {format}"
        ))));
    }
    let mut unrepresented = Vec::new();
    let output = match format {
        Format::Csv => Output::File(csv::write(data)),
        Format::Brat => Output::Folder(brat::write(data).map_err(at_source)?),
        Format::Conll => {
            let export = conll::write(data, opts.conll).map_err(at_source)?;
            unrepresented = export.unrepresented;
            Output::File(export.bytes)
        }
        Format::Jsonl => Output::File(jsonl::write(data)),
        Format::Doccano => Output::File(doccano::write(data)),
        Format::LabelStudio => Output::File(labelstudio::write(data, opts.labelstudio)),
    };
    let norms_dropped = if format.carries_norm() {
        0
    } else {
        data.annotations()
            .iter()
            .filter(|a| !a.span.norm.is_none())
            .count()
            - unrepresented
                .iter()
                .filter(|u| !u.span.norm.is_none())
                .count()
    };
    Ok(Written {
        output,
        unrepresented,
        norms_dropped,
    })
}

/// Makes the annotation for a code-point span of `doc`, checking it against the text.
/// The error is a message; the caller adds where.
pub(crate) fn make_annotation(
    doc: &Document,
    idx: &OffsetIndex<'_>,
    start: usize,
    end: usize,
    label: Label,
    norm: Norm,
    line: u64,
) -> std::result::Result<Annotation, String> {
    if start >= end {
        return Err(format!(
            "start {start} is not before end {end} (offsets are half-open)"
        ));
    }
    let (Some(b0), Some(b1)) = (idx.char_to_byte(start), idx.char_to_byte(end)) else {
        return Err(format!(
            "span {start}..{end} is past the end of document {:?} ({} code points)",
            doc.id,
            idx.char_len()
        ));
    };
    Ok(Annotation {
        doc: doc.id.clone(),
        span: CharSpan::new(start, end, label, norm),
        text: doc.text[b0..b1].to_string(),
        line,
    })
}

/// A document read from one line of a JSONL file (or one task of a JSON array), before the
/// documents are put together.
pub(crate) struct ReadDoc {
    pub(crate) doc: Document,
    pub(crate) annotations: Vec<Annotation>,
    /// Where the document came from, for the duplicate-id message: a line, or a JSON path.
    pub(crate) place: String,
    pub(crate) line: Option<u64>,
}

/// Puts documents read one by one together, rejecting an id given twice.
pub(crate) fn assemble(docs: Vec<ReadDoc>) -> Result<Dataset> {
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    let mut set = AnnotationSet::new();
    let mut texts = Vec::with_capacity(docs.len());
    for d in docs {
        if let Some(first) = seen.insert(d.doc.id.clone(), d.place.clone()) {
            let e = Error::invalid(format!(
                "document id {:?} is also the id of {first}",
                d.doc.id
            ))
            .in_field("id");
            return Err(match d.line {
                Some(l) => e.at_line(l),
                None => e,
            });
        }
        for a in d.annotations {
            set.push(a);
        }
        texts.push(d.doc);
    }
    set.sort();
    let corpus = Corpus::from_documents(texts)?;
    // Every mention was checked against its text by `make_annotation`.
    Ok(Dataset::from_checked(corpus, set, Texts::Read))
}

/// The bytes without a leading UTF-8 byte-order mark.
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Splits a file into lines (1-based numbers), accepting `\n` and `\r\n` ends and a
/// byte-order mark, and checking that each line is UTF-8.
pub(crate) fn lines(bytes: &[u8]) -> impl Iterator<Item = Result<(u64, &str)>> {
    let bytes = strip_bom(bytes);
    let mut parts = bytes.split(|&b| b == b'\n').enumerate().peekable();
    std::iter::from_fn(move || {
        let (i, raw) = parts.next()?;
        // The empty piece after a final newline is not a line.
        if raw.is_empty() && parts.peek().is_none() {
            return None;
        }
        let line = i as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        Some(match std::str::from_utf8(raw) {
            Ok(s) => Ok((line, s)),
            Err(e) => Err(Error::utf8_within(e.valid_up_to(), " of the line").at_line(line)),
        })
    })
}

#[cfg(test)]
mod properties;

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
            assert_eq!(f.to_string(), f.as_str());
        }
        let err = "bio".parse::<Format>().unwrap_err().to_string();
        assert!(err.contains("unknown format \"bio\""), "{err}");
        assert!(err.contains("labelstudio"), "{err}");
    }

    #[test]
    fn format_from_extension() {
        let cases = [
            ("a.csv", Some(Format::Csv)),
            ("a.CSV", Some(Format::Csv)),
            ("a.conll", Some(Format::Conll)),
            ("a.bio", Some(Format::Conll)),
            ("a.jsonl", Some(Format::Jsonl)),
            ("a.json", Some(Format::LabelStudio)),
            ("a.ann", Some(Format::Brat)),
            ("no-such-folder-here", Some(Format::Brat)),
            ("a.xml", None),
        ];
        for (p, want) in cases {
            assert_eq!(Format::from_path(&PathBuf::from(p)), want, "{p}");
        }
        assert_eq!(
            Format::from_path(&std::env::temp_dir()),
            Some(Format::Brat),
            "an existing folder"
        );
    }

    #[test]
    fn lines_accept_bom_and_crlf_and_report_bad_utf8() {
        let got: Vec<(u64, String)> = lines(b"\xEF\xBB\xBFa\r\n\r\nb\nc")
            .map(|r| r.map(|(n, s)| (n, s.to_string())))
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(
            got,
            [
                (1, "a".to_string()),
                (2, String::new()),
                (3, "b".to_string()),
                (4, "c".to_string())
            ]
        );
        assert_eq!(lines(b"a\n").count(), 1);
        let err = lines(b"ok\nx\xff\n")
            .collect::<Result<Vec<_>>>()
            .unwrap_err()
            .to_string();
        assert_eq!(err, "line 2: invalid UTF-8 at byte 1 of the line");
    }

    #[test]
    fn make_annotation_checks_the_span() {
        let doc = Document {
            id: "d".into(),
            text: "𝔐ali".into(),
        };
        let idx = OffsetIndex::new(&doc.text);
        let a = make_annotation(
            &doc,
            &idx,
            0,
            4,
            Label::new("PLACE").unwrap(),
            Norm::None,
            3,
        )
        .unwrap();
        assert_eq!(a.text, "𝔐ali");
        assert_eq!(a.line, 3);
        let e = make_annotation(
            &doc,
            &idx,
            2,
            2,
            Label::new("PLACE").unwrap(),
            Norm::None,
            0,
        )
        .unwrap_err();
        assert!(e.contains("start 2 is not before end 2"), "{e}");
        let e = make_annotation(
            &doc,
            &idx,
            0,
            5,
            Label::new("PLACE").unwrap(),
            Norm::None,
            0,
        )
        .unwrap_err();
        assert!(
            e.contains("past the end of document \"d\" (4 code points)"),
            "{e}"
        );
    }

    #[test]
    fn dataset_keeps_documents_without_mentions() {
        let corpus = Corpus::from_documents(vec![Document {
            id: "empty".into(),
            text: "nothing here".into(),
        }])
        .unwrap();
        let data = Dataset::new(corpus, AnnotationSet::new()).unwrap();
        assert_eq!(data.annotations().doc_ids().collect::<Vec<_>>(), ["empty"]);
        assert_eq!(data.iter().count(), 1);
    }
}
