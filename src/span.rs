//! Spans and the offset convention.
//!
//! **The convention, stated once.** Offsets are half-open everywhere. Inside the engine a
//! [`Span`] holds *byte* offsets into a `&str`, so `&text[span.range()]` is the mention. Every
//! file tagbench reads or writes, and every mention it hands to a user, holds *code-point*
//! offsets (the convention of brat, spaCy and Python's `text[start:end]`): a [`CharSpan`].
//! The two are different types with the same fields, and [`OffsetIndex`] (or its incremental
//! form, [`OffsetCursor`]) is the one place that converts between them; it rejects offsets
//! that are out of range or, for bytes, not on a character boundary.

use crate::label::{Label, Norm};

/// The fields and methods shared by [`Span`] and [`CharSpan`]: the same shape, another unit.
macro_rules! span_type {
    ($(#[$doc:meta])* $name:ident, $unit:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name {
            #[doc = concat!("Offset of the first ", $unit, " of the mention.")]
            pub start: usize,
            #[doc = concat!("Offset one past the last ", $unit, " of the mention.")]
            pub end: usize,
            /// The mention's label.
            pub label: Label,
            /// The mention's canonical value.
            pub norm: Norm,
        }

        impl $name {
            /// Builds a span. `start <= end` is the caller's promise (checked in debug builds).
            pub fn new(start: usize, end: usize, label: Label, norm: Norm) -> $name {
                debug_assert!(start <= end);
                $name {
                    start,
                    end,
                    label,
                    norm,
                }
            }

            #[doc = concat!(
                "True when the two half-open ranges share at least one ", $unit,
                ". Touching spans (`a.end == b.start`) do not overlap."
            )]
            pub fn overlaps(&self, other: &$name) -> bool {
                self.start < other.end && other.start < self.end
            }

            /// Total order used everywhere spans are sorted: start, then end, then label, then
            /// norm.
            pub fn sort_key(&self) -> (usize, usize, Label, &Norm) {
                (self.start, self.end, self.label, &self.norm)
            }
        }
    };
}

span_type!(
    /// A labelled mention in half-open **byte** offsets into its text: the engine's unit
    /// (what [`Tagger::tag`](crate::Tagger::tag) returns), so `&text[span.range()]` is the
    /// mention. Never written to a file: [`OffsetIndex::to_chars`] makes a [`CharSpan`].
    Span,
    "byte"
);

span_type!(
    /// A labelled mention in half-open **code-point** offsets into its text: the unit of every
    /// file and of every mention handed to a user (an [`Annotation`](crate::Annotation), the
    /// format readers and writers, the scorer, the report). Not a slice range of a `&str`:
    /// [`OffsetIndex::to_bytes`] makes a [`Span`], checked against the text.
    CharSpan,
    "code point"
);

impl Span {
    /// The byte range, for slicing the text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
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

    /// The code-point span of a byte span, or `None` when an offset is past the end or not on
    /// a character boundary.
    pub fn to_chars(&self, span: &Span) -> Option<CharSpan> {
        let start = self.byte_to_char(span.start)?;
        let end = self.byte_to_char(span.end)?;
        Some(CharSpan::new(start, end, span.label, span.norm.clone()))
    }

    /// The byte span of a code-point span, or `None` when an offset is past the end.
    pub fn to_bytes(&self, span: &CharSpan) -> Option<Span> {
        let start = self.char_to_byte(span.start)?;
        let end = self.char_to_byte(span.end)?;
        Some(Span::new(start, end, span.label, span.norm.clone()))
    }
}

/// The incremental form of [`OffsetIndex`]: converts byte offsets to code points while
/// walking a text, for a writer that sees sorted spans once (the streaming tagger).
///
/// It remembers the last position; a conversion counts the characters between it and the new
/// offset, so a run of increasing offsets costs one pass over the text in all, and nothing is
/// built beforehand. Offsets are checked as [`OffsetIndex::byte_to_char`] checks them.
#[derive(Clone, Debug)]
pub struct OffsetCursor<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> OffsetCursor<'t> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'t str) -> OffsetCursor<'t> {
        OffsetCursor {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The code-point offset of byte `b`, or `None` when `b` is past the end or not on a
    /// character boundary. O(distance from the previous offset).
    pub fn byte_to_char(&mut self, b: usize) -> Option<usize> {
        if !self.text.is_char_boundary(b) {
            return None;
        }
        if b >= self.byte {
            let between = &self.text[self.byte..b];
            // Most of what lies between two mentions is ASCII, cheaper to tell than to count.
            self.chars += if between.is_ascii() {
                between.len()
            } else {
                between.chars().count()
            };
        } else {
            self.chars -= self.text[b..self.byte].chars().count();
        }
        self.byte = b;
        Some(self.chars)
    }

    /// The code-point span of a byte span (see [`OffsetCursor::byte_to_char`]).
    pub fn to_chars(&mut self, span: &Span) -> Option<CharSpan> {
        let start = self.byte_to_char(span.start)?;
        let end = self.byte_to_char(span.end)?;
        Some(CharSpan::new(start, end, span.label, span.norm.clone()))
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

/// The offset convention's properties: conversions are exact on any Unicode text and refuse
/// what is not an offset of that text.
#[cfg(test)]
mod offset_properties {
    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;

    /// The only label these tests need (the label model is not theirs to test).
    fn label() -> Label {
        Label::new("PLACE").unwrap()
    }

    /// Pieces that break offset bookkeeping: 2-, 3- and 4-byte characters, a flag (two astral
    /// code points), combining marks, CRLF, a lone CR, a BOM, a zero-width joiner.
    const PIECES: &[&str] = &[
        "a",
        "Z",
        " ",
        "’",
        "é",
        "e\u{301}",
        "\u{301}\u{302}",
        "𝔐",
        "😀",
        "🇲🇱",
        "\r\n",
        "\r",
        "\n",
        "\n\n",
        "\u{feff}",
        "\u{200d}",
        "ẞ",
        "\u{10ffff}",
        "\t",
    ];

    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => select(PIECES).prop_map(String::from),
            1 => any::<char>().prop_map(String::from),
            1 => "[a-z]{1,70}",
        ];
        prop::collection::vec(piece, 0..120).prop_map(|v| v.concat())
    }

    /// The reference: code point `c` starts at byte `refs[c]` (and `refs[len]` is the end).
    fn boundaries(text: &str) -> Vec<usize> {
        text.char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(text.len()))
            .collect()
    }

    proptest! {
        #[test]
        fn bytes_to_chars_to_bytes_round_trips(text in text()) {
            let idx = OffsetIndex::new(&text);
            let refs = boundaries(&text);
            prop_assert_eq!(idx.char_len(), refs.len() - 1);
            let mut cursor = OffsetCursor::new(&text);
            for (c, &b) in refs.iter().enumerate() {
                prop_assert_eq!(idx.byte_to_char(b), Some(c));
                prop_assert_eq!(idx.char_to_byte(c), Some(b));
                prop_assert_eq!(cursor.byte_to_char(b), Some(c));
            }
            // Backwards too: the cursor walks in both directions.
            for (c, &b) in refs.iter().enumerate().rev() {
                prop_assert_eq!(cursor.byte_to_char(b), Some(c));
            }
        }

        #[test]
        fn spans_round_trip_and_slice_the_same_characters(
            text in text(),
            picks in prop::collection::vec(any::<prop::sample::Index>(), 2..12),
        ) {
            let idx = OffsetIndex::new(&text);
            let refs = boundaries(&text);
            let mut cursor = OffsetCursor::new(&text);
            let chars: Vec<char> = text.chars().collect();
            for pair in picks.chunks_exact(2) {
                let (mut a, mut b) = (pair[0].index(refs.len()), pair[1].index(refs.len()));
                if a > b {
                    std::mem::swap(&mut a, &mut b);
                }
                let bytes = Span::new(refs[a], refs[b], label(), Norm::Value(a as u64));
                let cs = idx.to_chars(&bytes).expect("a span on boundaries");
                prop_assert_eq!(&cs, &CharSpan::new(a, b, label(), Norm::Value(a as u64)));
                prop_assert_eq!(cursor.to_chars(&bytes), Some(cs.clone()));
                prop_assert_eq!(idx.to_bytes(&cs), Some(bytes.clone()));
                // Python's text[a:b] is the engine's &text[range].
                let sliced: String = chars[a..b].iter().collect();
                prop_assert_eq!(&text[bytes.range()], sliced.as_str());
            }
        }

        #[test]
        fn offsets_inside_a_character_or_past_the_end_are_refused(
            text in text(),
            past in 1usize..5,
        ) {
            let idx = OffsetIndex::new(&text);
            let mut cursor = OffsetCursor::new(&text);
            let n = idx.char_len();
            for b in 0..=text.len() + past {
                let ok = b <= text.len() && text.is_char_boundary(b);
                prop_assert_eq!(idx.byte_to_char(b).is_some(), ok, "byte {}", b);
                prop_assert_eq!(cursor.byte_to_char(b).is_some(), ok, "byte {}", b);
                let s = Span::new(0, b, label(), Norm::None);
                prop_assert_eq!(idx.to_chars(&s).is_some(), ok);
                prop_assert_eq!(cursor.to_chars(&s).is_some(), ok);
            }
            prop_assert_eq!(idx.char_to_byte(n + past), None);
            prop_assert_eq!(idx.to_bytes(&CharSpan::new(0, n + past, label(), Norm::None)), None);
            prop_assert_eq!(idx.to_bytes(&CharSpan::new(n + past, n + past, label(), Norm::None)), None);
            // A refused offset leaves the cursor where it was.
            prop_assert_eq!(cursor.byte_to_char(text.len()), Some(n));
        }
    }
}
