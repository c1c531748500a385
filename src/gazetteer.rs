//! Gazetteers: lists of surface forms with their label and canonical norm.
//!
//! A gazetteer file is CSV, UTF-8, header `term,label,norm,kind,case`, one row per surface
//! form. `kind` (person, country, ...) is informative; `case` is empty, `exact` or `fold` and
//! overrides the tagger's case mode for that entry. Several files combine into one
//! [`Gazetteer`]; a term listed twice with a different label or norm is an error that names
//! both places (FlashText and spaCy silently keep the last one).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{from_csv, CsvLines, Error, Result};
use crate::hash::FastHash;
use crate::label::{Label, LabelSet, Norm, NormKind};

/// The header of a gazetteer file.
pub const GAZETTEER_HEADER: [&str; 5] = ["term", "label", "norm", "kind", "case"];

/// How one entry treats letter case, overriding the tagger's [`crate::CaseMode`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseOverride {
    /// Follow the tagger's case mode (the default, an empty `case` field).
    #[default]
    Inherit,
    /// Match only with exactly this case, whatever the tagger's mode: for short all-caps
    /// acronyms ("UN", "US", "WHO") and names that are common words ("May", "Niger").
    Exact,
    /// Match ignoring case even when the tagger's mode is exact.
    Fold,
}

/// One surface form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The surface form, as listed.
    pub term: String,
    /// The label it tags.
    pub label: Label,
    /// The canonical value.
    pub norm: Norm,
    /// The kind column (may be empty).
    pub kind: String,
    /// The case override.
    pub case: CaseOverride,
    /// Where it was listed: file index in [`Gazetteer::files`] and 1-based line.
    pub origin: (usize, u64),
}

/// Entries from one or more files, each term listed once.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    files: Vec<PathBuf>,
    entries: Vec<Entry>,
    by_term: HashMap<String, usize, FastHash>,
    labels: LabelSet,
}

#[derive(Debug, Deserialize)]
struct Row {
    term: String,
    label: String,
    #[serde(default)]
    norm: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    case: String,
}

impl Gazetteer {
    /// An empty gazetteer. Any label is accepted; every norm is a name, the term itself
    /// when the norm is left empty (see [`Gazetteer::with_labels`]).
    pub fn new() -> Gazetteer {
        Gazetteer::default()
    }

    /// An empty gazetteer whose norms are parsed by the kinds `labels` declares: an empty
    /// norm is the term for a name, no value for an integer.
    pub fn with_labels(labels: LabelSet) -> Gazetteer {
        Gazetteer {
            labels,
            ..Gazetteer::default()
        }
    }

    /// Loads and combines several files, in order.
    pub fn load<P: AsRef<Path>>(paths: &[P]) -> Result<Gazetteer> {
        let mut g = Gazetteer::new();
        for p in paths {
            g.add_file(p.as_ref())?;
        }
        Ok(g)
    }

    /// Adds the entries of one file.
    pub fn add_file(&mut self, path: &Path) -> Result<()> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        self.add_csv(path, &bytes)
    }

    /// Adds entries from CSV bytes; `path` names them in errors and in [`Gazetteer::files`].
    pub fn add_csv(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.add_csv_inner(path, bytes).map_err(|e| e.at_path(path))
    }

    fn add_csv_inner(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(Error::invalid(format!(
                "empty gazetteer: expected the header `{}`",
                GAZETTEER_HEADER.join(",")
            ))
            .at_line(1));
        }
        let file = self.files.len();
        self.files.push(path.to_path_buf());
        let mut rdr = csv::ReaderBuilder::new().from_reader(bytes);
        let headers = rdr.headers().map_err(|e| from_csv(e, &[], bytes))?.clone();
        let got: Vec<&str> = headers.iter().collect();
        let ok = got.len() >= 3
            && got.len() <= 5
            && got.iter().zip(GAZETTEER_HEADER).all(|(a, b)| *a == b);
        if !ok {
            return Err(Error::invalid(format!(
                "bad header: expected `{}` (kind and case may be left out), found `{}`",
                GAZETTEER_HEADER.join(","),
                got.join(",")
            ))
            .at_line(1));
        }
        let mut rec = csv::StringRecord::new();
        let mut lines = CsvLines::new(bytes);
        while rdr
            .read_record(&mut rec)
            .map_err(|e| from_csv(e, &got, bytes))?
        {
            let line = lines.line(rec.position());
            let row: Row = rec
                .deserialize(Some(&headers))
                .map_err(|e| from_csv(e, &got, bytes).at_line(line))?;
            let entry = parse_row(row, file, line, &self.labels)?;
            self.insert(entry)?;
        }
        Ok(())
    }

    /// Adds one entry. A term already present with the same label and norm is ignored; with
    /// another label or norm it is an error naming the first place it was listed.
    pub fn insert(&mut self, entry: Entry) -> Result<()> {
        if let Some(&i) = self.by_term.get(&entry.term) {
            let old = &self.entries[i];
            if old.label != entry.label || old.norm != entry.norm {
                let (f, l) = old.origin;
                let place = self
                    .files
                    .get(f)
                    .map(|p| format!("{}:{l}", p.display()))
                    .unwrap_or_else(|| format!("line {l}"));
                return Err(Error::invalid(format!(
                    "term {:?} is listed as {} {:?} here and as {} {:?} at {place}",
                    entry.term,
                    entry.label,
                    entry.norm.to_string(),
                    old.label,
                    old.norm.to_string()
                ))
                .in_field("term")
                .at_line(entry.origin.1));
            }
            return Ok(());
        }
        self.by_term.insert(entry.term.clone(), self.entries.len());
        self.entries.push(entry);
        Ok(())
    }

    /// The entries, in the order they were listed.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The files the entries came from.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// The entry for exactly this term.
    pub fn get(&self, term: &str) -> Option<&Entry> {
        self.by_term.get(term).map(|&i| &self.entries[i])
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn parse_row(row: Row, file: usize, line: u64, labels: &LabelSet) -> Result<Entry> {
    let at = |e: Error| e.at_line(line);
    if row.term.trim().is_empty() {
        return Err(at(Error::invalid("empty term").in_field("term")));
    }
    if row.term.trim() != row.term {
        return Err(at(Error::invalid(format!(
            "term {:?} has leading or trailing whitespace",
            row.term
        ))
        .in_field("term")));
    }
    let label: Label = row.label.parse().map_err(|e: crate::label::InvalidLabel| {
        at(Error::invalid(e.to_string()).in_field("label"))
    })?;
    let kind = labels.norm_kind(label);
    let norm = if row.norm.is_empty() && kind == NormKind::Name {
        Norm::Name(Arc::from(row.term.as_str()))
    } else {
        Norm::parse(kind, label, &row.norm).map_err(|m| at(Error::invalid(m).in_field("norm")))?
    };
    let case = match row.case.as_str() {
        "" => CaseOverride::Inherit,
        "exact" => CaseOverride::Exact,
        "fold" => CaseOverride::Fold,
        other => {
            return Err(at(Error::invalid(format!(
                "unknown case {other:?} (expected empty, exact or fold)"
            ))
            .in_field("case")))
        }
    };
    Ok(Entry {
        term: row.term,
        label,
        norm,
        kind: row.kind,
        case,
        origin: (file, line),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(src: &str) -> Result<Gazetteer> {
        let mut g = Gazetteer::new();
        g.add_csv(Path::new("g.csv"), src.as_bytes())?;
        Ok(g)
    }

    #[test]
    fn loads_entries_with_defaults() {
        let g = load(
            "term,label,norm,kind,case\n\
             UN,ACTOR,United Nations,organisation,exact\n\
             Bamako,PLACE,,city,\n\
             Mali,PLACE,Mali,country,\n",
        )
        .unwrap();
        assert_eq!(g.len(), 3);
        assert_eq!(g.get("UN").unwrap().case, CaseOverride::Exact);
        assert_eq!(g.get("Bamako").unwrap().norm.to_string(), "Bamako");
        assert_eq!(g.get("Mali").unwrap().origin, (0, 4));
    }

    #[test]
    fn three_column_files_are_accepted() {
        let g = load("term,label,norm\nMali,PLACE,Mali\n").unwrap();
        assert_eq!(g.get("Mali").unwrap().case, CaseOverride::Inherit);
    }

    #[test]
    fn identical_duplicates_are_ignored() {
        let g = load("term,label,norm\nMali,PLACE,Mali\nMali,PLACE,Mali\n").unwrap();
        assert_eq!(g.len(), 1);
    }

    #[test]
    fn rejects_bad_rows_with_file_and_line() {
        let cases = [
            ("term,label,norm\n,PLACE,x\n", "g.csv:2: field `term`: empty term"),
            ("term,label,norm\nMali,COUN TRY,x\n", "g.csv:2: field `label`: invalid label"),
            (
                "term,label,norm\nMali,PLACE,Mali\nMali,ACTOR,Mali\n",
                "g.csv:3: field `term`: term \"Mali\" is listed as ACTOR \"Mali\" here and as PLACE \"Mali\" at g.csv:2",
            ),
            (
                "term,label,norm\nMali,PLACE,Mali\nMali,PLACE,Republic of Mali\n",
                "listed as PLACE \"Republic of Mali\"",
            ),
            ("term,label,norm,kind,case\nUN,ACTOR,x,,upper\n", "field `case`: unknown case"),
            ("term,label\nUN,ACTOR\n", "bad header"),
            ("", "empty gazetteer"),
            (" UN,ACTOR,x\n", "bad header"),
            ("term,label,norm\n UN,ACTOR,x\n", "leading or trailing whitespace"),
        ];
        for (src, want) in cases {
            let err = load(src).unwrap_err().to_string();
            assert!(err.contains(want), "{src:?}: {err:?} lacks {want:?}");
        }
    }

    #[test]
    fn norms_follow_the_declared_kind() {
        let src = b"term,label,norm\nnine,FIGURE,9\ndozens,FIGURE,\nMali,PLACE,\n";
        let mut g = Gazetteer::with_labels(crate::label::gold_labels());
        g.add_csv(Path::new("g.csv"), src).unwrap();
        let norms: Vec<Norm> = g.entries().iter().map(|e| e.norm.clone()).collect();
        assert_eq!(
            norms,
            [Norm::Value(9), Norm::None, Norm::Name(Arc::from("Mali"))]
        );
        let mut g = Gazetteer::with_labels(crate::label::gold_labels());
        let err = g
            .add_csv(Path::new("g.csv"), b"term,label,norm\nnine,FIGURE,nine\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("g.csv:2: field `norm`: FIGURE norm \"nine\" is not an integer"),
            "{err}"
        );
        // Undeclared: a name, the term when left empty.
        let mut g = Gazetteer::new();
        g.add_csv(Path::new("g.csv"), b"term,label,norm\nnine,CARDINAL,\n")
            .unwrap();
        assert_eq!(g.entries()[0].norm, Norm::Name(Arc::from("nine")));
    }

    #[test]
    fn conflicts_across_files_name_both_files() {
        let mut g = Gazetteer::new();
        g.add_csv(Path::new("a.csv"), b"term,label,norm\nNiger,PLACE,Niger\n")
            .unwrap();
        let err = g
            .add_csv(
                Path::new("b.csv"),
                b"term,label,norm\nNiger,PLACE,Niger River\n",
            )
            .unwrap_err()
            .at_path(Path::new("b.csv"))
            .to_string();
        assert!(err.starts_with("b.csv:2:"), "{err}");
        assert!(err.contains("at a.csv:2"), "{err}");
    }
}
