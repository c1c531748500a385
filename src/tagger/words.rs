//! The leading words of a gazetteer's patterns, each with the state of the trie's walk over
//! it, for the anchored searches (in a text, or in a rewritten buffer of it).
//!
//! At a word start, the tagger reads the text's leading run of ASCII word bytes (letters,
//! digits, `_`) once: a gazetteer match can only be accepted there when that run is one of
//! the patterns' own leading runs (see [`super::Tagger::find_at_starts`]), and then the
//! trie's walk resumes from the node after it instead of from the root. A hash set of the
//! runs, exact (no false positives, unlike a Bloom filter: in a large gazetteer, many common
//! English words are also place names, and each false positive cost a walk from the root).

use super::is_ascii_word_byte;
use super::trie::Trie;

/// No pattern.
const EMPTY: u32 = u32::MAX;

/// An open-addressing table keyed by words, their bytes in one arena.
#[derive(Clone, Debug)]
pub(crate) struct WordMap {
    slots: Box<[Slot]>,
    /// `slots.len() - 1` (a power of two).
    mask: usize,
    /// The words' bytes after their first 8, one after the other.
    arena: Box<[u8]>,
    ascii_ci: bool,
    /// The words a FIGURE start pattern may begin.
    figures: FigureWords,
    /// Bit `b0 | b1 << 8` set when a word whose head begins with bytes `b0, b1` may begin a
    /// pattern (see [`WordMap::may_begin`]).
    first_two: Box<[u64]>,
    /// Some pattern's leading run is empty (it starts with a byte that is not an ASCII word
    /// byte: "'Adan", "Ärzte").
    empty: bool,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    /// The word's first 8 bytes (fewer: zeros after), with [`WordMap::fold_mask`].
    head: u64,
    /// The offset in the arena of its bytes after the first 8.
    rest_at: u32,
    /// Its length; 0 for a free slot.
    len: u32,
    /// The trie node after it.
    node: u32,
    /// The walk's best match inside the word: its length and pattern ([`EMPTY`] if none).
    best_len: u32,
    best_pid: u32,
}

/// A word of a text read by [`WordMap::scan`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word {
    /// Its length: the run of ASCII word bytes.
    pub(crate) len: usize,
    /// As [`Slot::head`].
    head: u64,
}

/// What [`WordMap::lookup`] knows of a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// No pattern's leading run is this word.
    Absent,
    /// The trie node after the word, and the best match inside it (its length and pattern,
    /// as [`Trie::find_at`] would have it), if any.
    Node(u32, Option<(usize, u32)>),
}

impl WordMap {
    /// The leading runs of `patterns` (the trie's gazetteer patterns, lower-cased first when
    /// it is ASCII case-insensitive), and a filter of the words `figures` (the FIGURE
    /// recogniser's start patterns) may begin.
    pub(crate) fn new<'a>(
        patterns: impl Iterator<Item = &'a [u8]>,
        figures: impl Iterator<Item = &'a [u8]> + Clone,
        trie: &Trie,
        ascii_ci: bool,
    ) -> WordMap {
        let mut words: Vec<&[u8]> = Vec::new();
        let mut empty = false;
        for p in patterns {
            let w = leading_word(p);
            if w.is_empty() {
                empty = true;
            } else {
                words.push(w);
            }
        }
        let cap = (words.len() * 3 / 2).max(16).next_power_of_two();
        let mut map = WordMap {
            slots: vec![
                Slot {
                    head: 0,
                    rest_at: 0,
                    len: 0,
                    node: 0,
                    best_len: 0,
                    best_pid: EMPTY,
                };
                cap
            ]
            .into_boxed_slice(),
            mask: cap - 1,
            arena: Box::default(),
            ascii_ci,
            empty,
            figures: FigureWords::new(figures.clone()),
            first_two: vec![0; 1024].into_boxed_slice(),
        };
        let set = |map: &mut WordMap, b0: u8, b1: u8| {
            let i = usize::from(b0) | usize::from(b1) << 8;
            map.first_two[i / 64] |= 1 << (i % 64);
        };
        // A FIGURE start pattern: a digit, then anything; or two letters, in any case (and
        // with the fold mask's bit set).
        let f = map.fold_mask() as u8;
        for p in figures {
            match *p {
                [d, ..] if d.is_ascii_digit() => (0..=255).for_each(|b1| set(&mut map, d, b1)),
                [b0, b1, ..] if is_ascii_word_byte(b0) && is_ascii_word_byte(b1) => {
                    for b0 in [b0.to_ascii_lowercase(), b0.to_ascii_uppercase()] {
                        for b1 in [b1.to_ascii_lowercase(), b1.to_ascii_uppercase()] {
                            set(&mut map, b0, b1);
                            set(&mut map, b0 | f, b1 | f);
                        }
                    }
                }
                _ => (0..=0xFFFF).for_each(|i: usize| set(&mut map, i as u8, (i >> 8) as u8)),
            }
        }
        let mut arena = Vec::new();
        let mut folded = Vec::new();
        for w in words {
            folded.clear();
            folded.extend(w.iter().map(|&b| map.fold(b)));
            let word = map.word(&folded);
            set(&mut map, word.head as u8, (word.head >> 8) as u8);
            let i = map.slot(&arena, &folded, &word);
            if map.slots[i].len != 0 {
                continue;
            }
            // Every leading run is a prefix of a pattern: the walk reaches a node.
            let (node, best) = trie.walk(&folded).expect("a pattern's prefix");
            let (best_len, best_pid) = best.map_or((0, EMPTY), |(l, p)| (l as u32, p));
            map.slots[i] = Slot {
                head: word.head,
                rest_at: arena.len() as u32,
                len: folded.len() as u32,
                node,
                best_len,
                best_pid,
            };
            arena.extend_from_slice(folded.get(8..).unwrap_or_default());
        }
        map.arena = arena.into_boxed_slice();
        map
    }

    /// The slot of `word` (`bytes`), or the free one where it would go.
    #[inline(always)]
    fn slot(&self, arena: &[u8], bytes: &[u8], word: &Word) -> usize {
        let mut i = (self.hash(bytes, word) as usize) & self.mask;
        loop {
            let s = &self.slots[i];
            if s.len == 0 {
                return i;
            }
            if s.head == word.head && s.len as usize == word.len {
                let more = word.len.saturating_sub(8);
                let same = more == 0 || {
                    let stored = &arena[s.rest_at as usize..][..more];
                    if self.ascii_ci {
                        stored.eq_ignore_ascii_case(&bytes[8..])
                    } else {
                        *stored == bytes[8..]
                    }
                };
                if same {
                    return i;
                }
            }
            i = (i + 1) & self.mask;
        }
    }

    fn fold(&self, b: u8) -> u8 {
        if self.ascii_ci {
            b.to_ascii_lowercase()
        } else {
            b
        }
    }

    /// A word as [`WordMap::scan`] reads it from a text.
    fn word(&self, w: &[u8]) -> Word {
        Word {
            len: w.len(),
            head: (load(w, 0) | self.fold_mask()) & head_mask(w.len()),
        }
    }

    /// The hash of `word`, read from `bytes`: of its 8-byte chunks, with the fold mask, the
    /// last one padded with zeros (a word of up to 8 bytes is its head).
    #[inline]
    fn hash(&self, bytes: &[u8], word: &Word) -> u64 {
        if word.len <= 8 {
            return finish(mix(SEED, word.head), word.len);
        }
        let fold = self.fold_mask();
        let mut h = SEED;
        let mut chunks = bytes[..word.len].chunks_exact(8);
        for c in &mut chunks {
            h = mix(h, u64::from_le_bytes(c.try_into().expect("8 bytes")) | fold);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            h = mix(h, (load(rest, 0) | fold) & low_bytes(rest.len()));
        }
        finish(h, word.len)
    }

    /// With `ascii_ci`, bit 5 of every byte: setting it folds ASCII letters and changes no
    /// digit, and `_` becomes 0x7F, which no other word byte does, so both cases hash alike.
    fn fold_mask(&self) -> u64 {
        if self.ascii_ci {
            LO * 0x20
        } else {
            0
        }
    }

    /// The leading run of ASCII word bytes of `rest` (its length and first bytes), reading
    /// 8 bytes at a time.
    #[inline]
    pub(crate) fn scan(&self, rest: &[u8]) -> Word {
        let x = load(rest, 0);
        let other = !word_bytes(x) & HI;
        let head = x | self.fold_mask();
        if other != 0 {
            let len = (other.trailing_zeros() / 8) as usize;
            return Word {
                len,
                head: head & low_bytes(len),
            };
        }
        let mut at = 8;
        loop {
            let other = !word_bytes(load(rest, at)) & HI;
            if other != 0 {
                return Word {
                    len: at + (other.trailing_zeros() / 8) as usize,
                    head,
                };
            }
            at += 8;
        }
    }

    /// Whether some gazetteer pattern's leading run or some FIGURE start pattern may begin
    /// with `word`'s first two bytes (a bit set of them: cheaper than the lookup, and most
    /// words of a text begin no pattern).
    #[inline]
    pub(crate) fn may_begin(&self, word: &Word) -> bool {
        let i = (word.head & 0xFFFF) as usize;
        self.first_two[i / 64] & (1 << (i % 64)) != 0
    }

    /// Whether a FIGURE start pattern may begin with `word` (see [`FigureWords`]).
    #[inline]
    pub(crate) fn may_start_figure(&self, word: &Word) -> bool {
        self.figures.may(word)
    }

    /// Whether some pattern's leading run is empty: then a pattern may start with a byte
    /// that is not an ASCII word byte.
    pub(crate) fn has_empty(&self) -> bool {
        self.empty
    }

    /// Whether some pattern's leading run is `word` (a run of ASCII word bytes, not empty),
    /// and where the trie's walk goes on from.
    #[cfg(test)]
    pub(crate) fn get(&self, word: &[u8]) -> Lookup {
        self.lookup(word, &self.word(word))
    }

    /// Whether some pattern's leading run is the word of `bytes` read as `word` (see
    /// [`WordMap::scan`]), and where the trie's walk goes on from.
    #[inline]
    pub(crate) fn lookup(&self, bytes: &[u8], word: &Word) -> Lookup {
        let s = &self.slots[self.slot(&self.arena, bytes, word)];
        if s.len == 0 {
            return Lookup::Absent;
        }
        let best = (s.best_pid != EMPTY).then_some((s.best_len as usize, s.best_pid));
        Lookup::Node(s.node, best)
    }
}

/// A filter of the words a FIGURE start pattern (a digit, a number word) may begin: the
/// first byte a digit, or the first three bytes, ASCII case ignored, hashed into a bit set.
/// No false negatives; it spares most words the prefix filter and the trie's walk.
#[derive(Clone, Debug)]
struct FigureWords {
    bits: Box<[u64; 64]>,
    digits: bool,
    /// Some pattern does not start with three ASCII word bytes: every word may.
    any: bool,
}

impl FigureWords {
    fn new<'a>(patterns: impl Iterator<Item = &'a [u8]>) -> FigureWords {
        let mut f = FigureWords {
            bits: Box::new([0; 64]),
            digits: false,
            any: false,
        };
        for p in patterns {
            if p.first().is_some_and(u8::is_ascii_digit) {
                f.digits = true;
            } else if p.len() < 3 || leading_word(p).len() < 3 {
                f.any = true;
            } else {
                let i = Self::index(load(p, 0));
                f.bits[i / 64] |= 1 << (i % 64);
            }
        }
        f
    }

    /// The bit of the first three bytes of `x`, bit 5 set in each.
    fn index(x: u64) -> usize {
        let key = ((x | 0x20_2020) & 0xFF_FFFF) as u32;
        (key.wrapping_mul(0x9E37_79B1) >> 20) as usize
    }

    fn may(&self, w: &Word) -> bool {
        if self.any {
            return true;
        }
        if (w.head as u8).is_ascii_digit() {
            return self.digits;
        }
        if w.len < 3 {
            return false;
        }
        let i = Self::index(w.head);
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }
}

const SEED: u64 = 0x243F_6A88_85A3_08D3;
const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

fn finish(h: u64, len: usize) -> u64 {
    let h = (h ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^ (h >> 32)
}

/// The low `k` bytes (`k < 8`).
fn low_bytes(k: usize) -> u64 {
    (1u64 << (8 * k)) - 1
}

/// The low `k` bytes, all 8 from 8 on.
fn head_mask(k: usize) -> u64 {
    if k >= 8 {
        u64::MAX
    } else {
        low_bytes(k)
    }
}

/// The 8 bytes of `rest` from `at`, little-endian, zeros past its end.
#[inline]
fn load(rest: &[u8], at: usize) -> u64 {
    let tail = rest.get(at..).unwrap_or_default();
    match tail.first_chunk::<8>() {
        Some(b) => u64::from_le_bytes(*b),
        None => {
            let mut b = [0u8; 8];
            b[..tail.len()].copy_from_slice(tail);
            u64::from_le_bytes(b)
        }
    }
}

/// Bit 7 of each byte of `x` set where the byte is an ASCII letter, digit or `_` (range
/// checks on the low 7 bits, which cannot carry from one byte into the next).
#[inline]
fn word_bytes(x: u64) -> u64 {
    let x7 = x & !HI;
    let digit = (x7 + LO * u64::from(0x80 - b'0')) & !(x7 + LO * u64::from(0x7F - b'9'));
    let l = x7 | (LO * 0x20);
    let letter = (l + LO * u64::from(0x80 - b'a')) & !(l + LO * u64::from(0x7F - b'z'));
    let z = x7 ^ (LO * u64::from(b'_'));
    let underscore = !((z + LO * 0x7F) | z);
    (digit | letter | underscore) & !x & HI
}

/// The leading run of ASCII letters, digits and `_` of `bytes`.
fn leading_word(bytes: &[u8]) -> &[u8] {
    let n = bytes
        .iter()
        .position(|&b| !is_ascii_word_byte(b))
        .unwrap_or(bytes.len());
    &bytes[..n]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// A word is found exactly when it is some pattern's leading run, and the walk on
        /// from its node finds what the walk from the root finds.
        #[test]
        fn same_as_the_walk_from_the_root(
            pats in prop::collection::vec("[abAB_1\u{e9}' ]{1,6}", 1..16),
            hay in "[abAB_1\u{e9}' ]{0,14}",
            ascii_ci in any::<bool>(),
            first in any::<bool>(),
        ) {
            let pats = super::super::trie::distinct(pats, ascii_ci);
            let trie = Trie::new(&pats.iter().collect(), ascii_ci, first);
            let figs = ["1", "one", "Ten"];
            let map = WordMap::new(
                pats.iter().map(|p| p.as_bytes()),
                figs.iter().map(|p| p.as_bytes()),
                &trie,
                ascii_ci,
            );
            let norm = |w: &[u8]| if ascii_ci { w.to_ascii_lowercase() } else { w.to_vec() };
            let b = hay.as_bytes();
            for s in 0..b.len() {
                let w = leading_word(&b[s..]);
                let word = map.scan(&b[s..]);
                prop_assert_eq!(word.len, w.len());
                let fig = figs.iter().any(|f| b[s..].starts_with(f.as_bytes()));
                prop_assert!(!fig || map.may_start_figure(&word), "{:?}", w);
                prop_assert!(!fig || map.may_begin(&word), "{:?}", w);
                let listed = pats.iter().any(|p| norm(leading_word(p.as_bytes())) == norm(w));
                if w.is_empty() {
                    prop_assert_eq!(map.has_empty(), listed);
                    continue;
                }
                let got = map.lookup(w, &word);
                prop_assert_eq!(got, map.get(w));
                prop_assert_eq!(got != Lookup::Absent, listed, "{:?}", w);
                prop_assert!(!listed || map.may_begin(&word), "{:?}", w);
                if let Lookup::Node(node, best) = got {
                    let best = best.map(|(l, p)| (s + l, p));
                    prop_assert_eq!(
                        trie.find_from(b, node, best, s + w.len(), b.len()),
                        trie.find_at(b, s, b.len()),
                        "at {}", s
                    );
                }
            }
        }
    }

    #[test]
    fn every_byte_is_classified_like_the_byte_test() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut x = [b'a'; 8];
                x[at] = b;
                let w = word_bytes(u64::from_le_bytes(x));
                assert_eq!(
                    w & (0x80 << (8 * at)) != 0,
                    super::super::is_ascii_word_byte(b),
                    "{b}"
                );
            }
        }
    }

    #[test]
    fn long_words_scan_and_hash_alike() {
        let pats = ["Abcdefgh", "Abcdefghijklmnopq_7 b", "x"];
        for ascii_ci in [false, true] {
            let trie = Trie::new(&pats.iter().collect(), ascii_ci, false);
            let map = WordMap::new(
                pats.iter().map(|p| p.as_bytes()),
                std::iter::empty(),
                &trie,
                ascii_ci,
            );
            for w in ["Abcdefgh", "Abcdefghijklmnopq_7"] {
                let text = format!("{w}-and more");
                let word = map.scan(text.as_bytes());
                assert_eq!(word.len, w.len());
                assert!(
                    matches!(map.lookup(w.as_bytes(), &word), Lookup::Node(..)),
                    "{w}"
                );
            }
        }
    }

    #[test]
    fn case_insensitive_words_hash_alike() {
        let pats = ["Mali_9 x", "NEW York", "a"];
        let trie = Trie::new(&pats.iter().collect(), true, false);
        let map = WordMap::new(
            pats.iter().map(|p| p.as_bytes()),
            std::iter::empty(),
            &trie,
            true,
        );
        for w in ["mali_9", "MALI_9", "new", "New", "A", "a"] {
            assert!(matches!(map.get(w.as_bytes()), Lookup::Node(..)), "{w}");
        }
        for w in ["mali", "York", "b"] {
            assert_eq!(map.get(w.as_bytes()), Lookup::Absent, "{w}");
        }
    }
}
