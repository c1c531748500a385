//! The data: documents (texts), and a [`Dataset`] of documents with their mentions, opened
//! from any path by one function, [`Dataset::open`], and checked once.
//!
//! What a path is, is decided here and nowhere else, so that a gold or predictions path means
//! the same thing in every command:
//!
//! | path | read as |
//! |---|---|
//! | a folder with `annotations.csv` (and `texts/`) | a gold folder: the annotations CSV and its texts |
//! | any other folder | brat: `<doc>.txt` and `<doc>.ann` pairs |
//! | `*.csv` | an annotations CSV; its texts are the ones given, or else the `texts/` folder beside the file, or else none (offsets only) |
//! | `*.conll`, `*.bio` | CoNLL BIO, aligned with the texts given, or else with its text rebuilt from the tokens |
//! | `*.jsonl`, `*.json`, `*.ann` | JSONL, Label Studio, one brat pair |
//!
//! A format named in [`OpenOptions::format`] overrides the name (doccano files are `.jsonl`
//! too); `csv` on a folder is a gold folder.
//!
//! Every mention is checked against its text once: by the reader that builds it (each reader
//! slices the mention from its document), or, for an annotations CSV whose rows repeat their
//! text, when the rows meet the texts ([`Dataset::new`], [`Dataset::with_texts`]). Gold data
//! has one more rule, checked by [`Dataset::check_gold`]: no two mentions of a document
//! overlap.

use std::path::{Path, PathBuf};

use crate::annotations::{Annotation, AnnotationSet};
use crate::error::{Error, Result};
use crate::format::{self, conll, labelstudio, Format};
use crate::label::{Label, LabelMap, LabelSet};

/// One text: its id (the file name without `.txt`) and its content, exactly as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The document id.
    pub id: String,
    /// The text, byte for byte as stored (no newline or BOM handling).
    pub text: String,
}

impl Document {
    /// The name of the document's text file, `<id>.txt`: [`read_document`] reads it back
    /// with the same id. Fails on an id that is not a plain file name: empty, `.`, `..`, or
    /// with a slash, a backslash or a NUL.
    pub fn file_name(&self) -> Result<String> {
        let id = self.id.as_str();
        if id.is_empty() || id == "." || id == ".." || id.contains(['/', '\\', '\0']) {
            return Err(Error::invalid(format!(
                "document id {id:?} cannot be a file name"
            )));
        }
        Ok(format!("{id}.txt"))
    }
}

/// A set of documents, sorted by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Corpus {
    docs: Vec<Document>,
}

impl Corpus {
    /// Builds a corpus from documents (sorted by id; ids must be unique).
    pub fn from_documents(mut docs: Vec<Document>) -> Result<Corpus> {
        docs.sort_by(|a, b| a.id.cmp(&b.id));
        for w in docs.windows(2) {
            if w[0].id == w[1].id {
                return Err(Error::invalid(format!(
                    "document id {:?} given twice",
                    w[0].id
                )));
            }
        }
        Ok(Corpus { docs })
    }

    /// Reads every `*.txt` file of `dir` (not recursively). Fails on a missing folder, a
    /// folder without texts, and a text that is not UTF-8 (with the byte offset).
    pub fn read_dir(dir: &Path) -> Result<Corpus> {
        let files = text_files(dir)?;
        if files.is_empty() {
            return Err(Error::invalid("no .txt files in this folder").at_path(dir));
        }
        let mut docs = Vec::with_capacity(files.len());
        for path in files {
            docs.push(read_document(&path)?);
        }
        Corpus::from_documents(docs)
    }

    /// The documents, sorted by id.
    pub fn documents(&self) -> &[Document] {
        &self.docs
    }

    /// The document with this id.
    pub fn get(&self, id: &str) -> Option<&Document> {
        self.docs
            .binary_search_by(|d| d.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.docs[i])
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when there is no document.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The total size of the texts in bytes.
    pub fn bytes(&self) -> usize {
        self.docs.iter().map(|d| d.text.len()).sum()
    }
}

/// Reads one text file as a document whose id is the file stem.
pub fn read_document(path: &Path) -> Result<Document> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::utf8_in_file(e.as_bytes(), e.utf8_error().valid_up_to(), 1, 0).at_path(path)
    })?;
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| Error::invalid("file name is not valid UTF-8").at_path(path))?
        .to_string();
    Ok(Document { id, text })
}

/// The `*.txt` files directly inside `dir`, sorted by name.
pub fn text_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "txt") && p.is_file() {
            files.push(p);
        }
    }
    files.sort();
    Ok(files)
}

/// Where a [`Dataset`]'s texts come from, which says what its offsets can be compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Texts {
    /// The documents' own texts: carried by the file (brat, JSONL, doccano, Label Studio) or
    /// read from a folder of `<doc>.txt` files (an annotations CSV, an aligned CoNLL file).
    /// Every mention lies inside its text and is the slice it claims.
    Read,
    /// Rebuilt from CoNLL tokens joined by single spaces: offsets point into the rebuilt
    /// text, which only another CoNLL file rebuilt the same way shares.
    Rebuilt,
    /// None: an annotations CSV read without texts. The corpus is empty and the mentions
    /// are as the rows say; only their offsets can be compared.
    Missing,
}

/// Documents and their mentions: what every path is read into and every format written from.
///
/// Invariant, unless [`Dataset::texts`] is [`Texts::Missing`]: every mention names a
/// document of the corpus, lies inside its text, and its `text` is the slice it claims; every
/// document is present in the annotation set (with no mention if it has none). Mentions may
/// overlap (predictions may); the gold rules are [`Dataset::check_gold`]'s.
#[derive(Clone, Debug)]
pub struct Dataset {
    corpus: Corpus,
    annotations: AnnotationSet,
    texts: Texts,
    /// The declared labels: a `labels.toml`'s, else the mentions' labels in order of first
    /// appearance.
    labels: LabelSet,
    /// The file the mentions were read from (their lines are its lines), for messages.
    source: Option<PathBuf>,
}

/// Two datasets are equal when they hold the same documents and mentions, wherever they were
/// read from.
impl PartialEq for Dataset {
    fn eq(&self, other: &Dataset) -> bool {
        self.corpus == other.corpus
            && self.annotations == other.annotations
            && self.texts == other.texts
    }
}

impl Eq for Dataset {}

impl Dataset {
    /// Puts texts and mentions together, checking every mention against its text.
    pub fn new(corpus: Corpus, annotations: AnnotationSet) -> Result<Dataset> {
        annotations.check_against(&corpus, false)?;
        Ok(Dataset::from_checked(corpus, annotations, Texts::Read))
    }

    /// Mentions without their texts (an annotations CSV read alone): only offsets are known.
    pub fn without_texts(annotations: AnnotationSet) -> Dataset {
        let labels = LabelSet::from_annotations(&annotations);
        Dataset {
            corpus: Corpus::default(),
            annotations,
            texts: Texts::Missing,
            labels,
            source: None,
        }
    }

    /// Texts and mentions that a reader has already checked, one by one, as it built them.
    pub(crate) fn from_checked(
        corpus: Corpus,
        mut annotations: AnnotationSet,
        texts: Texts,
    ) -> Dataset {
        for d in corpus.documents() {
            annotations.ensure_doc(&d.id);
        }
        let labels = LabelSet::from_annotations(&annotations);
        Dataset {
            corpus,
            annotations,
            texts,
            labels,
            source: None,
        }
    }

    /// Opens a gold folder, a brat folder or a file in any format (see the module docs for
    /// how the path decides), and checks it: every mention against its text, and the gold
    /// rules when [`OpenOptions::gold`] is set. Errors name the file.
    pub fn open(path: &Path, opts: &OpenOptions<'_>) -> Result<Dataset> {
        let source = Source::of(path, opts)?;
        // The labels that say how norms are read: given, or the dataset's own labels.toml.
        let found = match opts.labels {
            Some(_) => None,
            None => LabelSet::find(path)?,
        };
        let empty = LabelSet::new();
        let labels = opts.labels.or(found.as_ref()).unwrap_or(&empty);
        let data = match source {
            Source::GoldFolder => {
                let corpus = Corpus::read_dir(&path.join("texts"))?;
                let csv = path.join("annotations.csv");
                let set = AnnotationSet::read(&csv, labels)?;
                Dataset::new(corpus, set)
                    .map_err(|e| e.at_path(&csv))?
                    .read_from(&csv)
            }
            Source::File(Format::Csv) => {
                let set = AnnotationSet::read(path, labels)?;
                let texts = match opts.texts {
                    Some(t) => Some(t.clone()),
                    None => texts_beside(path)?,
                };
                match texts {
                    Some(corpus) => Dataset::new(corpus, set).map_err(|e| e.at_path(path))?,
                    None => Dataset::without_texts(set),
                }
                .read_from(path)
            }
            Source::File(f) => format::read(
                f,
                path,
                &format::ReadOptions {
                    texts: opts.texts,
                    labelstudio: opts.labelstudio,
                    labels: Some(labels),
                    conll: opts.conll,
                },
            )?
            .read_from(path),
        };
        // A labels.toml of the dataset's own declares its labels: they must cover it.
        let data = match found {
            Some(l) => data.with_labels(l)?,
            None => data,
        };
        if opts.gold {
            data.check_gold_with(opts.allow_overlaps)?;
        }
        Ok(data)
    }

    /// The same dataset with the labels `labels` declares. Fails, naming the line, when a
    /// mention has a label the set does not declare.
    pub fn with_labels(mut self, labels: LabelSet) -> Result<Dataset> {
        labels
            .check(&self.annotations)
            .map_err(|e| self.locate(e))?;
        self.labels = labels;
        Ok(self)
    }

    /// The declared labels: from the dataset's `labels.toml`, else its mentions' labels in
    /// order of first appearance (every norm a name).
    pub fn labels(&self) -> &LabelSet {
        &self.labels
    }

    /// Renames labels by `map` (mentions mapped to nothing are dropped, and so is their
    /// declaration), then, when `keep` is given, keeps only the mentions of those labels and
    /// declares exactly those, in that order. Returns how many mentions were dropped.
    pub fn relabel(&mut self, map: &LabelMap, keep: Option<&[Label]>) -> usize {
        let mut dropped = map.apply(&mut self.annotations);
        self.labels = map.apply_to_set(&self.labels);
        if let Some(keep) = keep {
            self.labels = self.labels.select(keep);
            dropped += self.labels.retain_declared(&mut self.annotations);
        }
        dropped
    }

    /// Records the file the mentions come from, named in later errors.
    pub(crate) fn read_from(mut self, path: &Path) -> Dataset {
        self.source = Some(path.to_path_buf());
        self
    }

    /// The file the mentions were read from, when they were.
    pub fn source(&self) -> Option<&Path> {
        self.source.as_deref()
    }

    /// The error with the dataset's file, when it has one.
    fn locate(&self, e: Error) -> Error {
        match &self.source {
            Some(p) => e.at_path(p),
            None => e,
        }
    }

    /// Checks the rules of gold data: no two mentions of a document overlap, and none is
    /// given twice.
    pub fn check_gold(&self) -> Result<()> {
        self.check_gold_with(false)
    }

    /// [`Dataset::check_gold`], with overlapping and nested mentions allowed or not.
    fn check_gold_with(&self, allow_overlaps: bool) -> Result<()> {
        self.annotations
            .check_gold_rules_with(allow_overlaps)
            .map_err(|e| self.locate(e))
    }

    /// Gives a dataset read without texts ([`Texts::Missing`]) the texts it refers to,
    /// checking every mention against them. A dataset that has texts already is returned as
    /// it is (compare its texts with [`Dataset::check_same_texts`]).
    pub fn with_texts(self, corpus: &Corpus) -> Result<Dataset> {
        match self.texts {
            Texts::Missing => {
                let source = self.source;
                let data = Dataset::new(corpus.clone(), self.annotations);
                let mut data = match &source {
                    Some(p) => data.map_err(|e| e.at_path(p))?.read_from(p),
                    None => data?,
                };
                data.labels = self.labels;
                Ok(data)
            }
            Texts::Read | Texts::Rebuilt => Ok(self),
        }
    }

    /// Fails when a document is in this dataset and in `other` with different texts: offsets
    /// into one would not point at the same words in the other. `name` and `other_name` name
    /// the two in the message.
    pub fn check_same_texts(&self, name: &str, other: &Corpus, other_name: &str) -> Result<()> {
        for d in self.corpus.documents() {
            let Some(o) = other.get(&d.id) else { continue };
            if o.text != d.text {
                let at = d
                    .text
                    .chars()
                    .zip(o.text.chars())
                    .take_while(|(x, y)| x == y)
                    .count();
                return Err(Error::invalid(format!(
                    "document {:?} has different texts in {} and in {} (first difference at \
                     code point {at}), so their offsets cannot be compared",
                    d.id, name, other_name
                )));
            }
        }
        Ok(())
    }

    /// The documents, sorted by id (empty for [`Texts::Missing`]).
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The mentions, by document and position.
    pub fn annotations(&self) -> &AnnotationSet {
        &self.annotations
    }

    /// Where the texts come from.
    pub fn texts(&self) -> Texts {
        self.texts
    }

    /// Every text as a file `<doc>.txt` (for writing a corpus folder). Fails on an id that
    /// cannot be a file name.
    pub fn text_files(&self) -> Result<Vec<(String, Vec<u8>)>> {
        let mut files = Vec::with_capacity(self.corpus.len());
        for d in self.corpus.documents() {
            let name = d.file_name().map_err(|e| self.locate(e))?;
            files.push((name, d.text.clone().into_bytes()));
        }
        Ok(files)
    }

    /// The texts and the mentions.
    pub fn into_parts(self) -> (Corpus, AnnotationSet) {
        (self.corpus, self.annotations)
    }

    /// The documents, each with its mentions in order.
    pub fn iter(&self) -> impl Iterator<Item = (&Document, &[Annotation])> {
        self.corpus
            .documents()
            .iter()
            .map(|d| (d, self.annotations.get(&d.id)))
    }
}

/// How [`Dataset::open`] reads a path.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenOptions<'a> {
    format: Option<Format>,
    texts: Option<&'a Corpus>,
    labelstudio: labelstudio::Results,
    conll: conll::Options,
    gold: bool,
    allow_overlaps: bool,
    labels: Option<&'a LabelSet>,
}

impl<'a> OpenOptions<'a> {
    /// The defaults: the format told by the path, no texts given, Label Studio
    /// `annotations`, not gold.
    pub fn new() -> OpenOptions<'a> {
        OpenOptions::default()
    }

    /// The format of the path, overriding what its name tells (default: `None`, told by
    /// the name). Needed for doccano, whose files are `.jsonl` like JSONL's.
    pub fn format(&mut self, format: Option<Format>) -> &mut OpenOptions<'a> {
        self.format = format;
        self
    }

    /// The texts the data refers to (default: none). An annotations CSV is checked against
    /// them (without them, against the `texts/` folder beside it, if any); a CoNLL file's
    /// tokens are aligned with them (without them, its text is rebuilt). Formats that carry
    /// their texts ignore them.
    pub fn texts(&mut self, texts: Option<&'a Corpus>) -> &mut OpenOptions<'a> {
        self.texts = texts;
        self
    }

    /// Which results of a Label Studio task to read (default: the annotations).
    pub fn labelstudio(&mut self, results: labelstudio::Results) -> &mut OpenOptions<'a> {
        self.labelstudio = results;
        self
    }

    /// The labels that say how norms are read (default: none given, so the `labels.toml`
    /// inside a folder or beside a file is read when there is one, else every norm is a
    /// name). Predictions are read with their gold's labels.
    pub fn labels(&mut self, labels: Option<&'a LabelSet>) -> &mut OpenOptions<'a> {
        self.labels = labels;
        self
    }

    /// How a CoNLL file is read: its tag scheme and chunking (default: the scheme detected,
    /// conlleval's chunking).
    pub fn conll(&mut self, opts: conll::Options) -> &mut OpenOptions<'a> {
        self.conll = opts;
        self
    }

    /// The format [`Dataset::open`] reads `path` in: the one named, or else the one the path
    /// tells (`csv` for a gold folder, `brat` for another folder). Fails as `open` would on
    /// a missing folder or a name that tells nothing.
    pub fn format_of(&self, path: &Path) -> Result<Format> {
        Ok(match Source::of(path, self)? {
            Source::GoldFolder => Format::Csv,
            Source::File(f) => f,
        })
    }

    /// Whether the data is gold (default: false). Gold is also checked for the gold rules
    /// ([`Dataset::check_gold`]), and a missing path without an extension is said to be a
    /// missing gold folder.
    pub fn gold(&mut self, yes: bool) -> &mut OpenOptions<'a> {
        self.gold = yes;
        self
    }

    /// Whether gold mentions may overlap or nest (default: false, and an overlap is an
    /// error naming both mentions). The scorer pairs overlapping mentions one to one as it
    /// pairs any others (see [`crate::score`]); BIO cannot write them (`convert` reports
    /// them as unrepresented). Predictions may always overlap.
    pub fn allow_overlaps(&mut self, yes: bool) -> &mut OpenOptions<'a> {
        self.allow_overlaps = yes;
        self
    }
}

/// What a path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// `DIR/annotations.csv` with `DIR/texts/`.
    GoldFolder,
    /// A file, or a brat folder, in a format.
    File(Format),
}

impl Source {
    fn of(path: &Path, opts: &OpenOptions<'_>) -> Result<Source> {
        let gold_folder = path.is_dir() && path.join("annotations.csv").is_file();
        match opts.format {
            Some(Format::Csv) if path.is_dir() => Ok(Source::GoldFolder),
            Some(f) => Ok(Source::File(f)),
            None if gold_folder => Ok(Source::GoldFolder),
            None if !path.exists() && path.extension().is_none() => {
                Err(Error::invalid(if opts.gold {
                    "gold folder not found"
                } else {
                    "no such file or folder"
                })
                .at_path(path))
            }
            None => Format::detect(path).map(Source::File),
        }
    }
}

/// The `texts/` folder beside an annotations CSV, read, when there is one.
fn texts_beside(csv: &Path) -> Result<Option<Corpus>> {
    let dir = match csv.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join("texts"),
        _ => PathBuf::from("texts"),
    };
    if dir.is_dir() {
        Corpus::read_dir(&dir).map(Some)
    } else {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, bytes: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    const TEXT: &str = "Mali and the UN met.";
    const CSV: &str = "doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\n";

    #[test]
    fn open_decides_what_a_path_is() {
        let tmp = tempfile::TempDir::new().unwrap();
        let d = tmp.path();
        write(d, "gold/texts/d.txt", TEXT);
        write(d, "gold/annotations.csv", CSV);
        write(d, "alone/a.csv", CSV);
        write(d, "brat/d.txt", TEXT);
        write(
            d,
            "brat/d.ann",
            "T1\tPLACE 0 4\tMali\n#1\tAnnotatorNotes T1\tMali\n",
        );
        let open = |rel: &str, f: Option<Format>| {
            Dataset::open(&d.join(rel), OpenOptions::new().format(f).gold(true))
        };
        let folder = open("gold", None).unwrap();
        assert_eq!(folder.texts(), Texts::Read);
        assert_eq!(
            folder.source(),
            Some(d.join("gold/annotations.csv").as_path())
        );
        // The folder's CSV finds its texts beside it; the folder named as csv is the folder.
        assert_eq!(open("gold/annotations.csv", None).unwrap(), folder);
        assert_eq!(open("gold", Some(Format::Csv)).unwrap(), folder);
        // A brat folder holds the same data (on other lines).
        let brat = open("brat", None).unwrap();
        let spans = |x: &Dataset| {
            x.annotations()
                .iter()
                .map(|a| a.span.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            (brat.corpus(), spans(&brat)),
            (folder.corpus(), spans(&folder))
        );
        // A CSV without texts beside it: offsets only, checked when texts come.
        let alone = open("alone/a.csv", None).unwrap();
        assert_eq!(alone.texts(), Texts::Missing);
        assert!(alone.corpus().is_empty());
        assert_eq!(alone.with_texts(folder.corpus()).unwrap(), folder);
        let other = Corpus::from_documents(vec![Document {
            id: "d".into(),
            text: "Mila".into(),
        }])
        .unwrap();
        let err = open("alone/a.csv", None)
            .unwrap()
            .with_texts(&other)
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with("a.csv:2: field `text`: text \"Mali\" differs from the document's slice 0..4: \"Mila\""),
            "{err}"
        );
        let err = folder
            .check_same_texts("gold", &other, "other")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("document \"d\" has different texts in gold and in other (first difference at code point 1)"),
            "{err}"
        );
        // Missing paths and names that tell nothing.
        let err = open("nothing", None).unwrap_err().to_string();
        assert!(err.ends_with("nothing: gold folder not found"), "{err}");
        let err = Dataset::open(&d.join("nothing"), &OpenOptions::new())
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("nothing: no such file or folder"), "{err}");
        let err = open("gold/annotations.xml", None).unwrap_err();
        assert!(
            matches!(err.kind(), crate::ErrorKind::UnknownFormat),
            "{err}"
        );
    }

    #[test]
    fn gold_rules_are_checked_for_gold_only() {
        let tmp = tempfile::TempDir::new().unwrap();
        let d = tmp.path();
        write(d, "texts/d.txt", TEXT);
        write(
            d,
            "p.csv",
            "doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,\nd,2,8,PLACE,li and,\n",
        );
        let p = d.join("p.csv");
        let pred = Dataset::open(&p, &OpenOptions::new()).unwrap();
        assert_eq!(pred.annotations().len(), 2);
        let err = Dataset::open(&p, OpenOptions::new().gold(true))
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with("p.csv:3: span 2..8 \"li and\" overlaps span 0..4 \"Mali\" on line 2"),
            "{err}"
        );
    }
}
