//! Tagger variants as files: the tagger's options, a description and the gazetteer files.
//!
//! ```toml
//! description = "leftmost-longest, exact case, accents folded, word boundaries, figures"
//! gazetteers = ["../gazetteer/actors.csv", "../gazetteer/places.csv"]
//!
//! [tagger]
//! case = "exact"
//! ```
//!
//! Gazetteer paths are relative to the variant file's folder. Unknown keys and wrong types are
//! errors with the line and column.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::gazetteer::Gazetteer;
use crate::tagger::{Tagger, TaggerOptions};

/// A named tagger configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// The name: the file stem.
    pub name: String,
    /// One line saying what it is for.
    pub description: String,
    /// Gazetteer files, resolved against the variant file's folder.
    pub gazetteers: Vec<PathBuf>,
    /// The tagger's options.
    pub options: TaggerOptions,
    /// The file it was read from.
    pub path: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    description: String,
    gazetteers: Vec<PathBuf>,
    #[serde(default)]
    tagger: TaggerOptions,
}

impl Variant {
    /// Reads a variant file.
    pub fn read(path: &Path) -> Result<Variant> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Variant::from_bytes(path, &bytes)
    }

    /// Reads a variant from the bytes of a TOML file; `path` names it in errors, gives the
    /// variant its name and the folder its gazetteer paths are relative to. Nothing is read
    /// from disk.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Variant> {
        let src = std::str::from_utf8(bytes)
            .map_err(|e| Error::utf8_in_file(bytes, e.valid_up_to(), 1, 0).at_path(path))?;
        let file: File = toml::from_str(src).map_err(|e| toml_error(&e, src).at_path(path))?;
        if file.gazetteers.is_empty() && !file.tagger.figures {
            return Err(
                Error::invalid("a variant needs a gazetteer or the figure recogniser")
                    .at_path(path),
            );
        }
        let base = path.parent().unwrap_or(Path::new("."));
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("variant")
            .to_string();
        Ok(Variant {
            name,
            description: file.description,
            gazetteers: file.gazetteers.iter().map(|g| base.join(g)).collect(),
            options: file.tagger,
            path: path.to_path_buf(),
        })
    }

    /// Finds a variant by name in `dir` (`dir/NAME.toml`) or, when `name_or_path` ends in
    /// `.toml` or contains a path separator, reads that file.
    pub fn resolve(name_or_path: &str, dir: &Path) -> Result<Variant> {
        let as_path = Path::new(name_or_path);
        if name_or_path.ends_with(".toml") || as_path.components().count() > 1 {
            return Variant::read(as_path);
        }
        let path = dir.join(format!("{name_or_path}.toml"));
        if !dir.is_dir() {
            return Err(Error::invalid(format!(
                "unknown variant {name_or_path:?}: no variants folder here (give \
                 --variants-dir DIR, or a path to a .toml file)"
            ))
            .at_path(dir));
        }
        if !path.is_file() {
            let known = Variant::names(dir).unwrap_or_default();
            return Err(Error::invalid(format!(
                "unknown variant {name_or_path:?} (known: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ))
            .at_path(dir));
        }
        Variant::read(&path)
    }

    /// The names of the variants in `dir`, sorted.
    pub fn names(dir: &Path) -> Result<Vec<String>> {
        let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut names = Vec::new();
        for entry in rd {
            let p = entry.map_err(|e| Error::io(dir, e))?.path();
            if p.extension().is_some_and(|e| e == "toml") {
                if let Some(s) = p.file_stem().and_then(|s| s.to_str()) {
                    names.push(s.to_string());
                }
            }
        }
        names.sort();
        Ok(names)
    }

    /// Loads the gazetteers and builds the tagger.
    pub fn build(&self) -> Result<Tagger> {
        let g = Gazetteer::load(&self.gazetteers).map_err(|e| match e.kind() {
            // Say which variant lists a gazetteer that cannot be read.
            ErrorKind::Io(io) => {
                let err = Error::invalid(format!(
                    "{io} (a gazetteer of variant {})",
                    self.path.display()
                ));
                match e.path() {
                    Some(p) => err.at_path(p),
                    None => err,
                }
            }
            _ => e,
        })?;
        Tagger::builder()
            .options(self.options.clone())
            .build(&g)
            .map_err(|e| e.at_path(&self.path))
    }
}

/// The 1-based line of byte `at`.
pub(crate) fn line_of(bytes: &[u8], at: usize) -> u64 {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1
}

/// A TOML error as one line with its line and column. serde's "variant" (an enum value) is
/// called a value here, so that it is not taken for a tagger variant.
pub(crate) fn toml_error(e: &toml::de::Error, src: &str) -> Error {
    let mut msg = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        msg = format!("unknown value `{rest}");
    }
    if msg == "wanted string or table" {
        msg = "invalid type: expected a string".to_string();
    }
    let Some(span) = e.span() else {
        return Error::invalid(msg);
    };
    let at = span.start.min(src.len());
    // The span is a byte offset; count characters, not bytes, for the column.
    let line_start = src.as_bytes()[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = src
        .get(line_start..at)
        .map_or(at - line_start, |s| s.chars().count())
        + 1;
    Error::invalid(format!("column {column}: {msg}")).at_line(line_of(src.as_bytes(), at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p
    }

    #[test]
    fn reads_and_resolves_relative_gazetteers() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "g.csv", "term,label,norm\nMali,PLACE,Mali\n");
        let p = write(
            d.path(),
            "v.toml",
            "description = \"test\"\ngazetteers = [\"g.csv\"]\n[tagger]\ncase = \"ascii\"\n",
        );
        let v = Variant::resolve("v", d.path()).unwrap();
        assert_eq!(v.path, p);
        assert_eq!(v.options.case, crate::tagger::CaseMode::Ascii);
        let t = v.build().unwrap();
        assert_eq!(t.tag("MALI").len(), 1);
    }

    #[test]
    fn errors_name_the_line() {
        let d = tempfile::tempdir().unwrap();
        let p = write(
            d.path(),
            "bad.toml",
            "description = \"x\"\ngazetteers = []\n[tagger]\ncolour = true\n",
        );
        let e = Variant::read(&p).unwrap_err().to_string();
        assert!(e.contains("bad.toml:4:"), "{e}");
        assert!(e.contains("unknown field `colour`"), "{e}");
        let p = write(
            d.path(),
            "bad2.toml",
            "description = \"x\"\ngazetteers = []\n[tagger]\nfigures = \"yes\"\n",
        );
        let e = Variant::read(&p).unwrap_err().to_string();
        assert!(e.contains("bad2.toml:4:"), "{e}");
        let e = Variant::resolve("nope", d.path()).unwrap_err().to_string();
        assert!(
            e.contains("unknown variant \"nope\" (known: bad, bad2)"),
            "{e}"
        );
    }
}
