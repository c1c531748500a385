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
    /// Bytes that should be UTF-8 are not.
    InvalidUtf8 {
        /// The offset of the first bad byte, from the start of the file, or of the line or
        /// field the error names.
        byte: u64,
    },
    /// A path whose name does not tell its format (and no format was named).
    UnknownFormat,
    /// A file was read but its content is invalid (bad CSV, bad offsets, unknown label, ...):
    /// what is wrong, with the values involved.
    Invalid(String),
}

/// An error with the position it was found at: file, line and field when they are known.
///
/// Its `Display` is one line, `path:line: field `name`: message`, with each part present only
/// when known, so the binary can print it as it is. Boxed, so that a `Result` of it is one
/// pointer wide.
#[derive(Debug)]
pub struct Error(Box<ErrorInner>);

#[derive(Debug)]
struct ErrorInner {
    kind: ErrorKind,
    /// For [`ErrorKind::InvalidUtf8`]: what the byte offset counts from (` of the line`).
    within: &'static str,
    path: Option<PathBuf>,
    line: Option<u64>,
    field: Option<String>,
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    fn new(kind: ErrorKind) -> Error {
        Error(Box::new(ErrorInner {
            kind,
            within: "",
            path: None,
            line: None,
            field: None,
        }))
    }

    /// An invalid-content error with a message and no position yet.
    pub(crate) fn invalid(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Invalid(msg.into()))
    }

    /// An I/O error on `path`.
    pub(crate) fn io(path: &Path, err: io::Error) -> Error {
        Error::new(ErrorKind::Io(err)).at_path(path)
    }

    /// `invalid UTF-8 at byte N` for a file's `bytes` whose first `valid_up_to` bytes are
    /// UTF-8, on the line of that byte (counted from `first_line`, the line `bytes` start
    /// on); `offset` is where `bytes` start in the file.
    pub(crate) fn utf8_in_file(
        bytes: &[u8],
        valid_up_to: usize,
        first_line: u64,
        offset: u64,
    ) -> Error {
        let newlines = bytes[..valid_up_to.min(bytes.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        Error::new(ErrorKind::InvalidUtf8 {
            byte: offset + valid_up_to as u64,
        })
        .at_line(first_line + newlines)
    }

    /// `invalid UTF-8 at byte N of the line` (or `of the field`, ...: `within` names the
    /// part of the file the offset counts from).
    pub(crate) fn utf8_within(byte: usize, within: &'static str) -> Error {
        let mut e = Error::new(ErrorKind::InvalidUtf8 { byte: byte as u64 });
        e.0.within = within;
        e
    }

    /// A path whose format cannot be told from its name.
    pub(crate) fn unknown_format(path: &Path) -> Error {
        Error::new(ErrorKind::UnknownFormat).at_path(path)
    }

    /// Sets the file the error was found in (kept if already set).
    pub(crate) fn at_path(mut self, path: &Path) -> Error {
        if self.0.path.is_none() {
            self.0.path = Some(path.to_path_buf());
        }
        self
    }

    /// Sets the 1-based line the error was found on (kept if already set). Line 0 means
    /// "no line" (a mention made in memory, or read from a format without lines) and is
    /// ignored.
    pub(crate) fn at_line(mut self, line: u64) -> Error {
        if self.0.line.is_none() && line > 0 {
            self.0.line = Some(line);
        }
        self
    }

    /// Sets the field (column name) the error is about (kept if already set).
    pub(crate) fn in_field(mut self, field: &str) -> Error {
        if self.0.field.is_none() {
            self.0.field = Some(field.to_string());
        }
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The file, when known.
    pub fn path(&self) -> Option<&Path> {
        self.0.path.as_deref()
    }

    /// The 1-based line, when known.
    pub fn line(&self) -> Option<u64> {
        self.0.line
    }

    /// The field, when known.
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        if let Some(p) = &e.path {
            write!(f, "{}", p.display())?;
            if let Some(l) = e.line {
                write!(f, ":{l}")?;
            }
            f.write_str(": ")?;
        } else if let Some(l) = e.line {
            write!(f, "line {l}: ")?;
        }
        if let Some(field) = &e.field {
            write!(f, "field `{field}`: ")?;
        }
        match &e.kind {
            ErrorKind::Io(err) => write!(f, "{err}"),
            ErrorKind::InvalidUtf8 { byte } => {
                write!(f, "invalid UTF-8 at byte {byte}{}", e.within)
            }
            ErrorKind::UnknownFormat => f.write_str(
                "cannot tell the format from the name (.csv, .conll, .bio, .jsonl, .json, .ann \
                 or a folder)",
            ),
            ErrorKind::Invalid(m) => f.write_str(m),
        }
    }
}

/// No `source()`: `Display` already includes the I/O error's message, and a source would
/// make error reporters that print the chain (`anyhow`'s `{:#}`) say it twice. The I/O error
/// stays reachable through [`Error::kind`].
impl std::error::Error for Error {}

/// User text with every control character (a newline, a tab, an escape) made a space, so
/// that it cannot break a line of output or drive a terminal.
pub(crate) fn controls_as_spaces(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Lines of `csv` positions in the bytes a reader was given, counted from the byte offsets:
/// after a CRLF line end, the `csv` crate's record starts at the `\n` of the terminator it
/// stopped at (its `\r`), and its own line count is one too low. Positions asked in
/// increasing order (as a reader gives them) cost one pass over the bytes in all.
pub(crate) struct CsvLines<'a> {
    bytes: &'a [u8],
    /// Bytes before `at` hold `newlines` line ends.
    at: usize,
    newlines: u64,
}

impl<'a> CsvLines<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> CsvLines<'a> {
        CsvLines {
            bytes,
            at: 0,
            newlines: 0,
        }
    }

    /// The 1-based line of a position; 0 when there is none.
    pub(crate) fn line(&mut self, pos: Option<&csv::Position>) -> u64 {
        let Some(p) = pos else { return 0 };
        let b = self.bytes;
        let mut upto = usize::try_from(p.byte()).map_or(b.len(), |x| x.min(b.len()));
        // Line ends before the record's first byte are before it.
        while upto < b.len() && matches!(b[upto], b'\r' | b'\n') {
            upto += 1;
        }
        if upto < self.at {
            self.at = 0;
            self.newlines = 0;
        }
        self.newlines += memchr::memchr_iter(b'\n', &b[self.at..upto]).count() as u64;
        self.at = upto;
        1 + self.newlines
    }
}

/// Turns a `csv` error on in-memory bytes into ours, with its line and, for a field that is
/// not UTF-8, the field's name from `fields` (the file's header; the column number when the
/// header is not known). `bytes` are those the reader was given (for the line). The caller
/// adds the path.
pub(crate) fn from_csv(err: csv::Error, fields: &[&str], bytes: &[u8]) -> Error {
    let line = err.position().map(|p| CsvLines::new(bytes).line(Some(p)));
    let e = match err.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            let e = Error::utf8_within(err.valid_up_to(), " of the field");
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
    fn csv_lines_are_right_after_crlf_and_lf_alike() {
        for bytes in [
            &b"h,i\r\na,b\r\nc,d\r\n\r\ne,f\r\n"[..],
            b"h,i\na,b\nc,d\n\ne,f\n",
        ] {
            let mut rdr = csv::ReaderBuilder::new().from_reader(bytes);
            let mut lines = CsvLines::new(bytes);
            let got: Vec<u64> = rdr
                .records()
                .map(|r| lines.line(r.unwrap().position()))
                .collect();
            assert_eq!(got, [2, 3, 5], "{bytes:?}");
        }
        assert_eq!(CsvLines::new(b"").line(None), 0);
    }

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
    fn invalid_utf8_says_the_byte_and_the_line() {
        let bytes = b"ok\nstill ok\nbad \xff".to_vec();
        let at = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
        let e = Error::utf8_in_file(&bytes, at, 1, 0).at_path(Path::new("f.txt"));
        assert_eq!(e.to_string(), "f.txt:3: invalid UTF-8 at byte 16");
        assert!(matches!(e.kind(), ErrorKind::InvalidUtf8 { byte: 16 }));
        let e = Error::utf8_in_file(&bytes[3..], at - 3, 10, 3);
        assert_eq!(e.to_string(), "line 11: invalid UTF-8 at byte 16");
        let e = Error::utf8_within(2, " of the field").in_field("text");
        assert_eq!(
            e.to_string(),
            "field `text`: invalid UTF-8 at byte 2 of the field"
        );
    }

    #[test]
    fn controls_become_spaces() {
        assert_eq!(controls_as_spaces("a\nb\tc\u{1b}[0m\u{85}é"), "a b c [0m é");
    }

    #[test]
    fn an_error_is_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
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
