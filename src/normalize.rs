//! Text normalisation with an offset map back to the original text.
//!
//! The tagger never lowercases a text and reuses its offsets (the FlashText bug): when it must
//! rewrite a text (Unicode case folding, accent stripping, whitespace runs), it writes the
//! rewritten text into a buffer together with a map from every buffer byte to the byte of the
//! original text its character came from. Characters whose rewritten form has another length
//! ("ß" -> "ss", "İ" -> "i̇", "ﬁ" -> "fi", a decomposed accent dropped) are handled by marking
//! the bytes inside an expansion as "no boundary here": a match may only start and end where
//! an original character starts or ends.

use caseless::Caseless;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::text;

/// The map value of a buffer byte that is inside the expansion of one original character.
pub(crate) const INSIDE: usize = usize::MAX;

/// What the normaliser rewrites. Whitespace runs are always collapsed: a run with at most one
/// line break becomes one space, a run with two or more (a paragraph break, see `text.rs`)
/// becomes `\n`, which no pattern contains, so names never match across paragraphs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Rewrite {
    /// Full Unicode case folding (after canonical decomposition).
    pub fold_case: bool,
    /// Drop combining marks after canonical decomposition ("Goïta" -> "Goita").
    pub strip_accents: bool,
    /// Map the typographic apostrophe `’` (and `ʼ`) to `'`.
    pub apostrophes: bool,
}

/// Where each byte of a rewritten buffer came from in the original text.
///
/// Stored as segments, not one entry per byte: inside a segment, buffer bytes map linearly to
/// original bytes, and ASCII text (the bulk of any news text) never starts a new one. A
/// segment starts where a character's rewritten form is not itself (a folded "É", "ß" ->
/// "ss", a whitespace run collapsed, a dropped accent); bytes inside a multi-character
/// expansion map to [`INSIDE`]. Lookups (only at match boundaries) are a binary search.
#[derive(Clone, Debug, Default)]
pub(crate) struct OffsetMap {
    segs: Vec<Seg>,
    /// The segment of the last lookup: lookups mostly move forward, a few segments at a time.
    hint: std::cell::Cell<usize>,
    buf_len: usize,
    text_len: usize,
}

#[derive(Clone, Copy, Debug)]
struct Seg {
    /// First buffer byte of the segment.
    buf: usize,
    /// The original byte it maps to.
    orig: usize,
    /// Buffer bytes in `buf + 1 .. inside_end` are inside one character's expansion.
    inside_end: usize,
}

impl OffsetMap {
    /// The original byte offset where the character that produced buffer byte `p` starts,
    /// [`INSIDE`] when `p` is inside an expansion, and the text's length for `p == buf.len()`.
    /// `p` must be a character boundary of the buffer.
    pub(crate) fn get(&self, p: usize) -> usize {
        if p >= self.buf_len {
            return self.text_len;
        }
        let i = self.segment_of(p);
        let s = self.segs[i];
        if p > s.buf && p < s.inside_end {
            INSIDE
        } else {
            s.orig + (p - s.buf)
        }
    }

    /// The index of the segment holding buffer byte `p` (`p < buf_len`).
    fn segment_of(&self, p: usize) -> usize {
        let segs = &self.segs;
        let h = self.hint.get().min(segs.len().saturating_sub(1));
        let i = if segs[h].buf <= p {
            // Forward from the hint: a few steps, then a binary search of the rest.
            let mut i = h;
            let mut steps = 0;
            while i + 1 < segs.len() && segs[i + 1].buf <= p && steps < 8 {
                i += 1;
                steps += 1;
            }
            if i + 1 < segs.len() && segs[i + 1].buf <= p {
                i + segs[i..].partition_point(|s| s.buf <= p) - 1
            } else {
                i
            }
        } else {
            // The first segment starts at buffer byte 0, so the point is at least 1.
            segs[..h].partition_point(|s| s.buf <= p).saturating_sub(1)
        };
        self.hint.set(i);
        i
    }

    fn clear(&mut self) {
        self.hint.set(0);
        self.segs.clear();
        self.buf_len = 0;
        self.text_len = 0;
    }

    /// Records that buffer byte `buf` comes from original byte `orig`, linearly with what
    /// came before if it can.
    fn linear(&mut self, buf: usize, orig: usize) {
        if let Some(s) = self.segs.last() {
            if s.inside_end <= buf && s.orig + (buf - s.buf) == orig {
                return;
            }
        }
        self.segs.push(Seg {
            buf,
            orig,
            inside_end: buf,
        });
    }

    /// Records that buffer bytes `buf..buf_end` are the expansion of the character at `orig`.
    fn expansion(&mut self, buf: usize, buf_end: usize, orig: usize) {
        self.segs.push(Seg {
            buf,
            orig,
            inside_end: buf_end,
        });
    }
}

/// Rewrites `text` into `buf`, and fills `map` (see [`OffsetMap`]).
pub(crate) fn rewrite_into(text: &str, how: Rewrite, buf: &mut String, map: &mut OffsetMap) {
    buf.clear();
    map.clear();
    buf.reserve(text.len());
    let b = text.as_bytes();
    let mut o = 0;
    while o < b.len() {
        // ASCII, with single spaces between words: copied (and lower-cased), linear.
        let mut i = o;
        while i < b.len() {
            let c = b[i];
            let lone_space = c == b' ' && b.get(i + 1).is_none_or(|&d| PLAIN[usize::from(d)]);
            if !(PLAIN[usize::from(c)] || lone_space) {
                break;
            }
            i += 1;
        }
        let run = i - o;
        if run > 0 {
            let p0 = buf.len();
            map.linear(p0, o);
            buf.push_str(&text[o..o + run]);
            if how.fold_case {
                buf[p0..].make_ascii_lowercase();
            }
            o += run;
            continue;
        }
        let Some(c) = text[o..].chars().next() else {
            break;
        };
        let p0 = buf.len();
        let mut next = o + c.len_utf8();
        if c.is_whitespace() {
            while let Some(d) = text[next..].chars().next() {
                if !d.is_whitespace() {
                    break;
                }
                next += d.len_utf8();
            }
            let paragraph = text::has_paragraph_break(&text[o..next]);
            buf.push(if paragraph { '\n' } else { ' ' });
        } else if how.apostrophes && (c == '\u{2019}' || c == '\u{2bc}') {
            buf.push('\'');
        } else if how.fold_case || how.strip_accents {
            decompose_canonical(c, |d| {
                if how.strip_accents && is_combining_mark(d) {
                    return;
                }
                if how.fold_case {
                    for f in std::iter::once(d).default_case_fold() {
                        buf.push(f);
                    }
                } else {
                    buf.push(d);
                }
            });
        } else {
            buf.push(c);
        }
        let p1 = buf.len();
        if p1 > p0 {
            // One character stays linear: the bytes inside it are no character boundary of
            // the buffer, and if its length changed, the next character starts a segment.
            let one_char = buf[p0..].chars().nth(1).is_none();
            if one_char {
                map.linear(p0, o);
            } else {
                map.expansion(p0, p1, o);
            }
        }
        o = next;
    }
    map.buf_len = buf.len();
    map.text_len = text.len();
}

/// The bytes copied as they are (lower-cased when folding): ASCII but for whitespace.
const PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x80 {
        // Not one of the ASCII characters that `char::is_whitespace` knows.
        t[c] = !matches!(c, 0x09..=0x0D | 0x20);
        c += 1;
    }
    t
};

/// Rewrites a gazetteer term the same way the text is rewritten, so they meet in the middle.
pub(crate) fn rewrite_term(term: &str, how: Rewrite) -> String {
    let mut buf = String::new();
    let mut map = OffsetMap::default();
    rewrite_into(term, how, &mut buf, &mut map);
    buf
}

/// The whitespace runs of `text` that a multi-word name could span and that are not a single
/// ASCII space: a tab, a line break, a no-break space, two spaces, ... between two non-space
/// characters, with at most one line break. They are appended to `out` as byte ranges,
/// sorted and without repeats. Texts without one can be searched as they are; around the
/// others the tagger searches a rewritten window.
pub(crate) fn irregular_runs_into(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let b = text.as_bytes();
    // The whitespace run around the last place considered: a place inside it is skipped
    // (a paragraph break is two line ends of one run).
    let mut seen = (0, 0);
    let mut consider = |i: usize| {
        if (seen.0..seen.1).contains(&i) {
            return;
        }
        let (s, e) = whitespace_run_at(text, i);
        seen = (s, e);
        if irregular(text, s, e) && out.last() != Some(&(s, e)) {
            out.push((s, e));
        }
    };
    for i in memchr::memchr3_iter(b'\n', b'\t', b'\r', b) {
        consider(i);
    }
    for i in memchr::memmem::find_iter(b, b"  ") {
        consider(i);
    }
    for i in memchr::memchr3_iter(0xC2, 0xE1, 0xE2, b)
        .chain(memchr::memchr_iter(0xE3, b))
        .chain(memchr::memchr2_iter(0x0B, 0x0C, b))
    {
        if whitespace_starts_at(b, i) {
            consider(i);
        }
    }
    // Sorted runs, one after the other (the line ends first, in order): a stable sort
    // merges them in linear time.
    out.sort();
    out.dedup();
}

/// Whether a whitespace character (`char::is_whitespace`) other than an ASCII one starts
/// at byte `i` (whose byte is 0x0B, 0x0C or a UTF-8 lead byte): U+0085, U+00A0, U+1680,
/// U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 (besides 0x0B and 0x0C).
fn whitespace_starts_at(b: &[u8], i: usize) -> bool {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        0x0B | 0x0C => true,
        0xC2 => matches!(at(1), 0x85 | 0xA0),
        0xE1 => at(1) == 0x9A && at(2) == 0x80,
        0xE2 => match at(1) {
            0x80 => matches!(at(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
            0x81 => at(2) == 0x9F,
            _ => false,
        },
        0xE3 => at(1) == 0x80 && at(2) == 0x80,
        _ => false,
    }
}

/// The whitespace run containing the whitespace character at byte `i`.
fn whitespace_run_at(text: &str, i: usize) -> (usize, usize) {
    let mut s = i;
    while let Some(c) = text[..s].chars().next_back() {
        if !c.is_whitespace() {
            break;
        }
        s -= c.len_utf8();
    }
    let rest = &text[s..];
    let len = rest
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map(|(k, _)| k)
        .unwrap_or(rest.len());
    (s, s + len)
}

/// Whether the whitespace run `s..e` is one of [`irregular_runs_into`].
fn irregular(text: &str, s: usize, e: usize) -> bool {
    let run = &text[s..e];
    !(s == 0 || e == text.len() || run == " " || text::has_paragraph_break(run))
}

/// True when `text` has at least one run of [`irregular_runs_into`].
#[cfg(test)]
pub(crate) fn has_irregular_whitespace(text: &str) -> bool {
    let mut v = Vec::new();
    irregular_runs_into(text, &mut v);
    !v.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The buffer, and the map as one entry per buffer byte (char boundaries only).
    fn run(text: &str, how: Rewrite) -> (String, Vec<usize>) {
        let (mut b, mut m) = (String::new(), OffsetMap::default());
        rewrite_into(text, how, &mut b, &mut m);
        let dense = (0..=b.len())
            .map(|p| {
                if b.is_char_boundary(p) {
                    m.get(p)
                } else {
                    INSIDE
                }
            })
            .collect();
        (b, dense)
    }

    /// The first implementation: one map entry per buffer byte.
    fn dense_reference(text: &str, how: Rewrite, buf: &mut String, map: &mut Vec<usize>) {
        buf.clear();
        map.clear();
        buf.reserve(text.len());
        map.reserve(text.len() + 1);
        let mut it = text.char_indices().peekable();
        while let Some((o, c)) = it.next() {
            let p0 = buf.len();
            if c.is_whitespace() {
                let mut breaks = usize::from(c == '\n' || c == '\r');
                let mut prev_cr = c == '\r';
                while let Some(&(_, d)) = it.peek() {
                    if !d.is_whitespace() {
                        break;
                    }
                    if d == '\n' && !prev_cr || d == '\r' {
                        breaks += 1;
                    }
                    prev_cr = d == '\r';
                    it.next();
                }
                buf.push(if breaks >= 2 { '\n' } else { ' ' });
            } else if c.is_ascii() {
                buf.push(if how.fold_case {
                    c.to_ascii_lowercase()
                } else {
                    c
                });
            } else if how.apostrophes && (c == '\u{2019}' || c == '\u{2bc}') {
                buf.push('\'');
            } else if how.fold_case || how.strip_accents {
                decompose_canonical(c, |d| {
                    if how.strip_accents && is_combining_mark(d) {
                        return;
                    }
                    if how.fold_case {
                        for f in std::iter::once(d).default_case_fold() {
                            buf.push(f);
                        }
                    } else {
                        buf.push(d);
                    }
                });
            } else {
                buf.push(c);
            }
            let p1 = buf.len();
            if p1 > p0 {
                map.push(o);
                map.extend(std::iter::repeat_n(INSIDE, p1 - p0 - 1));
            }
        }
        map.push(text.len());
    }

    proptest::proptest! {
        #[test]
        fn segments_map_like_one_entry_per_byte(
            text in "([a-zA-Z ]|[\\n\\t\\r\u{a0}\u{2019}ßİﬁÉéï\u{301}\u{302}Σς]|\\PC){0,40}",
            fold in proptest::bool::ANY,
            strip in proptest::bool::ANY,
            apos in proptest::bool::ANY,
        ) {
            let how = Rewrite {
                fold_case: fold,
                strip_accents: strip,
                apostrophes: apos,
            };
            let (b, m) = run(&text, how);
            let (mut rb, mut rm) = (String::new(), Vec::new());
            dense_reference(&text, how, &mut rb, &mut rm);
            proptest::prop_assert_eq!(&b, &rb);
            for p in (0..=b.len()).filter(|&p| b.is_char_boundary(p)) {
                proptest::prop_assert_eq!(m[p], rm[p], "byte {} of {:?}", p, b);
            }
            // Lookups out of order (the map keeps a cursor).
            let (mut b2, mut map) = (String::new(), OffsetMap::default());
            rewrite_into(&text, how, &mut b2, &mut map);
            for p in (0..=b.len()).rev().step_by(3).chain(0..=b.len()) {
                if b.is_char_boundary(p) {
                    proptest::prop_assert_eq!(map.get(p), rm[p], "byte {} of {:?}", p, b);
                }
            }
        }
    }

    const FOLD: Rewrite = Rewrite {
        fold_case: true,
        strip_accents: false,
        apostrophes: true,
    };

    #[test]
    fn folding_keeps_a_map_to_original_offsets() {
        let (b, m) = run("Straße İ K", FOLD);
        assert_eq!(b, "strasse i\u{307} k");
        // "ß" (2 bytes at 4) became "ss": first byte maps to 4, the second is inside.
        assert_eq!(m[4], 4);
        assert_eq!(m[5], INSIDE);
        assert_eq!(m[6], 6); // 'e'
    }

    #[test]
    fn accents_are_stripped_from_precomposed_and_decomposed_forms() {
        let how = Rewrite {
            strip_accents: true,
            ..FOLD
        };
        assert_eq!(run("Goïta", how).0, "goita");
        let (b, m) = run("Co\u{302}te", how);
        assert_eq!(b, "cote");
        // 't' starts after the dropped mark: original offset 4 (C, o, 2-byte mark).
        assert_eq!(m[2], 4);
    }

    #[test]
    fn whitespace_runs_collapse_but_paragraphs_do_not_join() {
        let (b, m) = run("Assimi \n Goïta\r\n\r\nNext", Rewrite::default());
        assert_eq!(b, "Assimi Goïta\nNext");
        assert_eq!(m[6], 6);
        assert_eq!(m[7], 9);
    }

    #[test]
    fn apostrophes_map_to_ascii() {
        assert_eq!(run("d’Ivoire", FOLD).0, "d'ivoire");
        assert_eq!(run("d’Ivoire", Rewrite::default()).0, "d’Ivoire");
    }

    #[test]
    fn whitespace_is_found_by_its_bytes_like_char_is_whitespace() {
        for c in (0..0x3100u32).filter_map(char::from_u32) {
            let s = format!("{c}x");
            let lead = s.as_bytes()[0];
            if matches!(lead, 0x0B | 0x0C | 0xC2 | 0xE1 | 0xE2 | 0xE3) {
                assert_eq!(
                    whitespace_starts_at(s.as_bytes(), 0),
                    c.is_whitespace(),
                    "{c:?}"
                );
            } else if c.is_whitespace() {
                // Found by the line-end or the double-space search instead.
                assert!(c.is_ascii(), "{c:?}");
            }
        }
    }

    proptest::proptest! {
        /// The runs are those of a plain scan of every whitespace run.
        #[test]
        fn irregular_runs_are_every_irregular_whitespace_run(
            text in "([a-z.]|[ \n\t\r\u{a0}\u{2009}\u{3000}\u{85}\u{2019}]){0,30}",
        ) {
            let mut want = Vec::new();
            let mut i = 0;
            while i < text.len() {
                let c = text[i..].chars().next().unwrap();
                if c.is_whitespace() {
                    let (s, e) = whitespace_run_at(&text, i);
                    if irregular(&text, s, e) {
                        want.push((s, e));
                    }
                    i = e;
                } else {
                    i += c.len_utf8();
                }
            }
            let mut got = Vec::new();
            irregular_runs_into(&text, &mut got);
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn irregular_whitespace_detection() {
        assert!(!has_irregular_whitespace("Assimi Goïta said."));
        assert!(!has_irregular_whitespace("One.\n\nTwo."));
        assert!(!has_irregular_whitespace("trailing\n"));
        assert!(has_irregular_whitespace("Assimi\nGoïta"));
        assert!(has_irregular_whitespace("Assimi  Goïta"));
        assert!(has_irregular_whitespace("Assimi\u{a0}Goïta"));
        assert!(has_irregular_whitespace("Assimi\tGoïta"));
        assert!(has_irregular_whitespace("Assimi\r\nGoïta"));
    }
}
