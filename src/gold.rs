//! The corpus: documents (texts) and the gold annotations that go with them.

use std::path::{Path, PathBuf};

use crate::annotations::AnnotationSet;
use crate::error::{Error, Result};
use crate::label::LabelSet;

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
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        Error::invalid(format!("invalid UTF-8 at byte {at}"))
            .at_path(path)
            .at_line(line)
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

/// A gold standard: the texts of `DIR/texts/` and the annotations of `DIR/annotations.csv`.
#[derive(Clone, Debug)]
pub struct Gold {
    /// The texts.
    pub corpus: Corpus,
    /// The annotations, checked against the texts.
    pub annotations: AnnotationSet,
    /// The declared labels: from `labels.toml` when there is one, else the annotations'
    /// labels in order of first appearance.
    pub labels: LabelSet,
}

impl Gold {
    /// Loads and checks a gold folder: every row must name a known document, have offsets in
    /// range, a `text` equal to the slice, and no two rows of a document may overlap.
    pub fn load(dir: &Path) -> Result<Gold> {
        if !dir.is_dir() {
            return Err(Error::invalid("gold folder not found").at_path(dir));
        }
        let corpus = Corpus::read_dir(&dir.join("texts"))?;
        let path = dir.join("annotations.csv");
        let declared = LabelSet::find(dir)?;
        let annotations = AnnotationSet::read(&path, declared.as_ref().unwrap_or(&LabelSet::new()))?;
        let gold = Gold::new(corpus, annotations).map_err(|e| e.at_path(&path))?;
        match declared {
            Some(labels) => gold.declared(labels).map_err(|e| e.at_path(&path)),
            None => Ok(gold),
        }
    }

    /// The same gold with the labels `labels` declares (read its annotations with the same
    /// set, so that their norms have the declared kinds). Fails when a mention has a label
    /// the set does not declare.
    pub fn declared(mut self, labels: LabelSet) -> Result<Gold> {
        labels.check(&self.annotations)?;
        self.labels = labels;
        Ok(self)
    }

    /// Checks texts and annotations as gold: every mention names a known document, has
    /// offsets in range and a `text` equal to the slice, and no two mentions of a document
    /// overlap. Documents without mentions are kept (they are scored).
    pub fn new(corpus: Corpus, mut annotations: AnnotationSet) -> Result<Gold> {
        annotations.check_against(&corpus, true)?;
        for d in corpus.documents() {
            annotations.ensure_doc(&d.id);
        }
        let labels = LabelSet::from_annotations(&annotations);
        Ok(Gold {
            corpus,
            annotations,
            labels,
        })
    }
}
