//! Labels, norms, spans and the offset convention.
//!
//! **The convention, stated once.** Inside the library a [`Span`] holds half-open *byte*
//! offsets into a `&str`, so `&text[span.start..span.end]` is always a valid slice. Every file
//! tagbench reads or writes holds half-open offsets in Unicode *code points* (the convention of
//! brat, spaCy and Python's `text[start:end]`). [`OffsetIndex`] is the one place that converts
//! between the two; it rejects offsets that are out of range or, for bytes, not on a character
//! boundary.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The kind of an entity mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Label {
    /// A named person or organisation (institution, agency, armed group, company, outlet).
    Actor,
    /// A named location: country, city, town, region, named area.
    Place,
    /// A cardinal count or amount: "49", "13,000", "six million", "hundreds".
    Figure,
}

impl Label {
    /// Every label, in the order reports list them.
    pub const ALL: [Label; 3] = [Label::Actor, Label::Place, Label::Figure];

    /// The label as written in files: `ACTOR`, `PLACE` or `FIGURE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Actor => "ACTOR",
            Label::Place => "PLACE",
            Label::Figure => "FIGURE",
        }
    }

    /// A small dense index (0, 1, 2), for per-label arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Label`]: the string that is not a label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLabel(pub String);

impl fmt::Display for UnknownLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown label {:?} (expected ACTOR, PLACE or FIGURE)",
            self.0
        )
    }
}

impl std::error::Error for UnknownLabel {}

impl FromStr for Label {
    type Err = UnknownLabel;

    /// Parses `ACTOR`, `PLACE` or `FIGURE`. Exact case: files are machine-written and a
    /// lower-case label is more likely a wrong column than a style choice.
    fn from_str(s: &str) -> Result<Label, UnknownLabel> {
        match s {
            "ACTOR" => Ok(Label::Actor),
            "PLACE" => Ok(Label::Place),
            "FIGURE" => Ok(Label::Figure),
            _ => Err(UnknownLabel(s.to_string())),
        }
    }
}

/// The canonical value of a mention: an entity name, an integer, or nothing.
///
/// Names are reference-counted so that a tagger can hand out the norm of a gazetteer entry
/// without allocating.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Norm {
    /// No norm: a vague FIGURE ("hundreds") or a mention whose entity is unknown.
    #[default]
    None,
    /// The canonical name of an ACTOR or PLACE.
    Name(Arc<str>),
    /// The integer value of an exact FIGURE.
    Value(u64),
}

impl Norm {
    /// Parses a norm as written in a file, for a mention with `label`: FIGURE norms must be
    /// empty or a non-negative integer without separators; other norms are names.
    pub fn parse(label: Label, s: &str) -> Result<Norm, String> {
        if s.is_empty() {
            return Ok(Norm::None);
        }
        match label {
            Label::Figure => {
                if !s.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!(
                        "FIGURE norm {s:?} is not an integer without separators"
                    ));
                }
                s.parse::<u64>()
                    .map(Norm::Value)
                    .map_err(|_| format!("FIGURE norm {s:?} overflows a 64-bit integer"))
            }
            Label::Actor | Label::Place => Ok(Norm::Name(Arc::from(s))),
        }
    }

    /// True for [`Norm::None`].
    pub fn is_none(&self) -> bool {
        matches!(self, Norm::None)
    }
}

impl fmt::Display for Norm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Norm::None => Ok(()),
            Norm::Name(n) => f.write_str(n),
            Norm::Value(v) => write!(f, "{v}"),
        }
    }
}

/// A labelled mention: half-open **byte** offsets into its document's text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// Byte offset of the first byte of the mention.
    pub start: usize,
    /// Byte offset one past the last byte of the mention.
    pub end: usize,
    /// The mention's label.
    pub label: Label,
    /// The mention's canonical value.
    pub norm: Norm,
}

impl Span {
    /// Builds a span. `start <= end` is the caller's promise (checked in debug builds).
    pub fn new(start: usize, end: usize, label: Label, norm: Norm) -> Span {
        debug_assert!(start <= end);
        Span {
            start,
            end,
            label,
            norm,
        }
    }

    /// The byte range, for slicing the text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// True when the two half-open ranges share at least one byte. Touching spans
    /// (`a.end == b.start`) do not overlap.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Total order used everywhere spans are sorted: start, then end, then label, then norm.
    pub fn sort_key(&self) -> (usize, usize, Label, &Norm) {
        (self.start, self.end, self.label, &self.norm)
    }
}

/// Converts between byte offsets and code-point offsets in one text.
///
/// It stores the byte offset of every 64th character, so building it is one pass over the
/// text and each conversion walks at most 63 characters.
#[derive(Clone, Debug)]
pub struct OffsetIndex<'t> {
    text: &'t str,
    checkpoints: Vec<usize>,
    chars: usize,
}

const STRIDE: usize = 64;

impl<'t> OffsetIndex<'t> {
    /// Indexes `text`.
    pub fn new(text: &'t str) -> OffsetIndex<'t> {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut chars = 0;
        for (byte, _) in text.char_indices() {
            if chars % STRIDE == 0 {
                checkpoints.push(byte);
            }
            chars += 1;
        }
        OffsetIndex {
            text,
            checkpoints,
            chars,
        }
    }

    /// The text's length in code points.
    pub fn char_len(&self) -> usize {
        self.chars
    }

    /// The byte offset of code point `c`, or `None` when `c > char_len()`.
    pub fn char_to_byte(&self, c: usize) -> Option<usize> {
        if c > self.chars {
            return None;
        }
        if c == self.chars {
            return Some(self.text.len());
        }
        let base = self.checkpoints[c / STRIDE];
        let skip = c % STRIDE;
        self.text[base..]
            .char_indices()
            .nth(skip)
            .map(|(b, _)| base + b)
    }

    /// The code-point offset of byte `b`, or `None` when `b` is past the end or not on a
    /// character boundary.
    pub fn byte_to_char(&self, b: usize) -> Option<usize> {
        if b > self.text.len() || !self.text.is_char_boundary(b) {
            return None;
        }
        if b == self.text.len() {
            return Some(self.chars);
        }
        let i = match self.checkpoints.binary_search(&b) {
            Ok(i) => return Some(i * STRIDE),
            Err(i) => i - 1,
        };
        let base = self.checkpoints[i];
        Some(i * STRIDE + self.text[base..b].chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_round_trip() {
        for l in Label::ALL {
            assert_eq!(l.as_str().parse::<Label>(), Ok(l));
        }
        assert!("actor".parse::<Label>().is_err());
        assert!("".parse::<Label>().is_err());
    }

    #[test]
    fn norm_parse() {
        assert_eq!(Norm::parse(Label::Figure, "13000"), Ok(Norm::Value(13000)));
        assert_eq!(Norm::parse(Label::Figure, ""), Ok(Norm::None));
        assert!(Norm::parse(Label::Figure, "13,000").is_err());
        assert!(Norm::parse(Label::Figure, "-1").is_err());
        assert!(Norm::parse(Label::Figure, "99999999999999999999999").is_err());
        assert_eq!(
            Norm::parse(Label::Actor, "United Nations"),
            Ok(Norm::Name(Arc::from("United Nations")))
        );
        assert_eq!(Norm::Value(7).to_string(), "7");
    }

    #[test]
    fn touching_spans_do_not_overlap() {
        let a = Span::new(0, 4, Label::Place, Norm::None);
        let b = Span::new(4, 6, Label::Place, Norm::None);
        assert!(!a.overlaps(&b));
        assert!(a.overlaps(&Span::new(3, 5, Label::Actor, Norm::None)));
    }

    #[test]
    fn offsets_round_trip_on_multibyte_text() {
        // 2-, 3- and 4-byte characters, a combining mark and a long run to cross checkpoints.
        let text = format!("Mali’s Goïta 🇲🇱 e\u{301} {} end", "x".repeat(200));
        let idx = OffsetIndex::new(&text);
        assert_eq!(idx.char_len(), text.chars().count());
        for (c, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_to_byte(c), Some(b));
            assert_eq!(idx.byte_to_char(b), Some(c));
        }
        assert_eq!(idx.char_to_byte(idx.char_len()), Some(text.len()));
        assert_eq!(idx.char_to_byte(idx.char_len() + 1), None);
        assert_eq!(idx.byte_to_char(5), None, "inside ’");
        assert_eq!(idx.byte_to_char(text.len() + 1), None);
    }

    #[test]
    fn empty_text() {
        let idx = OffsetIndex::new("");
        assert_eq!(idx.char_to_byte(0), Some(0));
        assert_eq!(idx.byte_to_char(0), Some(0));
        assert_eq!(idx.char_to_byte(1), None);
    }
}
