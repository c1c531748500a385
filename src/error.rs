//! The library's error type: what went wrong, and where.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// What kind of failure an [`Error`] reports.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    Io(io::Error),
    /// A file was read but its content is invalid (bad CSV, bad offsets, unknown label, ...).
    Invalid(String),
}

/// An error with the position it was found at: file, line and field when they are known.
///
/// Its `Display` is one line, `path:line: field `name`: message`, with each part present only
/// when known, so the binary can print it as it is.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    path: Option<PathBuf>,
    line: Option<u64>,
    field: Option<String>,
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An invalid-content error with a message and no position yet.
    pub fn invalid(msg: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Invalid(msg.into()),
            path: None,
            line: None,
            field: None,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, err: io::Error) -> Error {
        Error {
            kind: ErrorKind::Io(err),
            path: Some(path.to_path_buf()),
            line: None,
            field: None,
        }
    }

    /// Sets the file the error was found in (kept if already set).
    pub fn at_path(mut self, path: &Path) -> Error {
        if self.path.is_none() {
            self.path = Some(path.to_path_buf());
        }
        self
    }

    /// Sets the 1-based line the error was found on (kept if already set). Line 0 means
    /// "no line" (a mention made in memory, or read from a format without lines) and is
    /// ignored.
    pub fn at_line(mut self, line: u64) -> Error {
        if self.line.is_none() && line > 0 {
            self.line = Some(line);
        }
        self
    }

    /// Sets the field (column name) the error is about (kept if already set).
    pub fn in_field(mut self, field: &str) -> Error {
        if self.field.is_none() {
            self.field = Some(field.to_string());
        }
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The file, when known.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The 1-based line, when known.
    pub fn line(&self) -> Option<u64> {
        self.line
    }

    /// The field, when known.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.path {
            write!(f, "{}", p.display())?;
            if let Some(l) = self.line {
                write!(f, ":{l}")?;
            }
            f.write_str(": ")?;
        } else if let Some(l) = self.line {
            write!(f, "line {l}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        match &self.kind {
            ErrorKind::Io(e) => write!(f, "{e}"),
            ErrorKind::Invalid(m) => f.write_str(m),
        }
    }
}

/// No `source()`: `Display` already includes the I/O error's message, and a source would
/// make error reporters that print the chain (`anyhow`'s `{:#}`) say it twice. The I/O error
/// stays reachable through [`Error::kind`].
impl std::error::Error for Error {}

/// Turns a `csv` error on in-memory bytes into ours, with its line and, for a field that is
/// not UTF-8, the field's name from `fields` (the file's header; the column number when the
/// header is not known). The caller adds the path.
pub(crate) fn from_csv(err: csv::Error, fields: &[&str]) -> Error {
    let line = err.position().map(|p| p.line());
    let e = match err.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            let e = Error::invalid(format!(
                "invalid UTF-8 at byte {} of the field",
                err.valid_up_to()
            ));
            match fields.get(err.field()) {
                Some(name) => e.in_field(name),
                None => e.in_field(&format!("column {}", err.field() + 1)),
            }
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Error::invalid(format!("expected {expected_len} fields, found {len}")),
        _ => Error::invalid(err.to_string()),
    };
    match line {
        Some(l) => e.at_line(l),
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_every_known_part() {
        let e = Error::invalid("not an integer: \"x\"")
            .in_field("start")
            .at_line(12)
            .at_path(Path::new("gold/annotations.csv"));
        assert_eq!(
            e.to_string(),
            "gold/annotations.csv:12: field `start`: not an integer: \"x\""
        );
        assert_eq!(Error::invalid("boom").to_string(), "boom");
        assert_eq!(
            Error::invalid("boom").at_line(3).to_string(),
            "line 3: boom"
        );
    }

    #[test]
    fn first_position_wins() {
        let e = Error::invalid("x").at_line(1).at_line(2);
        assert_eq!(e.line(), Some(1));
    }

    #[test]
    fn line_zero_is_no_line() {
        let e = Error::invalid("x").at_line(0).at_line(4);
        assert_eq!(e.line(), Some(4));
        assert_eq!(Error::invalid("x").at_line(0).to_string(), "x");
    }
}
