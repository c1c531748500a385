//! Spans and the offset convention.
//!
//! **The convention, stated once.** Inside the library a [`Span`] holds half-open *byte*
//! offsets into a `&str`, so `&text[span.start..span.end]` is always a valid slice. Every file
//! tagbench reads or writes holds half-open offsets in Unicode *code points* (the convention of
//! brat, spaCy and Python's `text[start:end]`). [`OffsetIndex`] is the one place that converts
//! between the two; it rejects offsets that are out of range or, for bytes, not on a character
//! boundary.

use crate::label::{Label, Norm};

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
    fn touching_spans_do_not_overlap() {
        let place = Label::new("PLACE").unwrap();
        let a = Span::new(0, 4, place, Norm::None);
        let b = Span::new(4, 6, place, Norm::None);
        assert!(!a.overlaps(&b));
        assert!(a.overlaps(&Span::new(3, 5, Label::new("ACTOR").unwrap(), Norm::None)));
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
