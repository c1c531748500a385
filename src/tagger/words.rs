//! The leading words of a gazetteer's patterns, each with the state of the trie's walk over
//! it, for the anchored searches in a text that is not rewritten.
//!
//! At a word start, the tagger reads the text's leading run of ASCII word bytes (letters,
//! digits, `_`) once: a gazetteer match can only be accepted there when that run is one of
//! the patterns' own leading runs (see [`super::Tagger::find_at_starts`]), and then the
//! trie's walk resumes from the node after it instead of from the root. A hash set of the
//! runs, exact (no false positives, unlike a Bloom filter: in a large gazetteer, many common
//! English words are also place names, and each false positive cost a walk from the root).

use super::trie::Trie;

/// No entry in a slot.
const EMPTY: u32 = u32::MAX;

/// An open-addressing table keyed by words, their bytes in one arena.
#[derive(Clone, Debug)]
pub(crate) struct WordMap {
    slots: Box<[Slot]>,
    /// `slots.len() - 1` (a power of two).
    mask: usize,
    /// The words, one after the other.
    arena: Box<[u8]>,
    ascii_ci: bool,
    /// Some pattern's leading run is empty (it starts with a byte that is not an ASCII word
    /// byte: "'Adan", "Ärzte").
    empty: bool,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    /// The word's hash, 32 bits of it.
    tag: u32,
    /// The word's offset in the arena, [`EMPTY`] for a free slot.
    at: u32,
    /// Its length.
    len: u32,
    /// The trie node after it.
    node: u32,
    /// The walk's best match inside the word: its length and pattern ([`EMPTY`] if none).
    best_len: u32,
    best_pid: u32,
}

/// What [`WordMap::get`] knows of a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// No pattern's leading run is this word.
    Absent,
    /// The trie node after the word, and the best match inside it (its length and pattern,
    /// as [`Trie::find_at`] would have it), if any.
    Node(u32, Option<(usize, u32)>),
}

impl WordMap {
    /// The leading runs of `patterns` (the trie's patterns, lower-cased first when it is
    /// ASCII case-insensitive).
    pub(crate) fn new<'a>(
        patterns: impl Iterator<Item = &'a [u8]>,
        trie: &Trie,
        ascii_ci: bool,
    ) -> WordMap {
        let mut words: Vec<(&[u8], u64)> = Vec::new();
        let mut empty = false;
        for p in patterns {
            let w = leading_word(p);
            if w.is_empty() {
                empty = true;
            } else {
                words.push((w, 0));
            }
        }
        let cap = (words.len() * 3 / 2).max(16).next_power_of_two();
        let mut map = WordMap {
            slots: vec![
                Slot {
                    tag: 0,
                    at: EMPTY,
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
        };
        let mut arena = Vec::new();
        let mut folded = Vec::new();
        for (w, _) in words {
            folded.clear();
            folded.extend(w.iter().map(|&b| map.fold(b)));
            let h = map.hash(&folded);
            let mut i = (h as usize) & map.mask;
            loop {
                let s = map.slots[i];
                if s.at == EMPTY {
                    break;
                }
                if s.tag == h as u32 && arena[s.at as usize..][..s.len as usize] == folded[..] {
                    break;
                }
                i = (i + 1) & map.mask;
            }
            if map.slots[i].at != EMPTY {
                continue;
            }
            // Every leading run is a prefix of a pattern: the walk reaches a node.
            let (node, best) = trie.walk(&folded).expect("a pattern's prefix");
            let (best_len, best_pid) = best.map_or((0, EMPTY), |(l, p)| (l as u32, p));
            map.slots[i] = Slot {
                tag: h as u32,
                at: arena.len() as u32,
                len: folded.len() as u32,
                node,
                best_len,
                best_pid,
            };
            arena.extend_from_slice(&folded);
        }
        map.arena = arena.into_boxed_slice();
        map
    }

    fn fold(&self, b: u8) -> u8 {
        if self.ascii_ci {
            b.to_ascii_lowercase()
        } else {
            b
        }
    }

    /// A hash of a word, 8 bytes at a time (see [`WordMap::scan`], which computes the same
    /// from a text).
    fn hash(&self, w: &[u8]) -> u64 {
        let fold = self.fold_mask();
        let mut h = SEED;
        let mut chunks = w.chunks_exact(8);
        for c in &mut chunks {
            h = mix(h, u64::from_le_bytes(c.try_into().expect("8 bytes")) | fold);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            h = mix(h, (u64::from_le_bytes(b) | fold) & low_bytes(rest.len()));
        }
        finish(h, w.len())
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

    /// The length of the leading run of ASCII word bytes of `rest`, and its hash, reading 8
    /// bytes at a time.
    #[inline]
    pub(crate) fn scan(&self, rest: &[u8]) -> (usize, u64) {
        let fold = self.fold_mask();
        let mut h = SEED;
        let mut at = 0;
        loop {
            let x = load(rest, at);
            let other = !word_bytes(x) & HI;
            if other == 0 {
                h = mix(h, x | fold);
                at += 8;
                continue;
            }
            let k = (other.trailing_zeros() / 8) as usize;
            if k > 0 {
                h = mix(h, (x | fold) & low_bytes(k));
            }
            return (at + k, finish(h, at + k));
        }
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
        self.get_hashed(word, self.hash(word))
    }

    /// [`WordMap::get`], given the word's hash (see [`WordMap::scan`]).
    #[inline]
    pub(crate) fn get_hashed(&self, word: &[u8], h: u64) -> Lookup {
        let mut i = (h as usize) & self.mask;
        loop {
            let s = self.slots[i];
            if s.at == EMPTY {
                return Lookup::Absent;
            }
            let len = s.len as usize;
            if s.tag == h as u32 && len == word.len() {
                let stored = &self.arena[s.at as usize..][..len];
                let same = if self.ascii_ci {
                    stored.eq_ignore_ascii_case(word)
                } else {
                    stored == word
                };
                if same {
                    let best = (s.best_pid != EMPTY).then_some((s.best_len as usize, s.best_pid));
                    return Lookup::Node(s.node, best);
                }
            }
            i = (i + 1) & self.mask;
        }
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

/// The 8 bytes of `rest` from `at`, little-endian, zeros past its end.
#[inline]
fn load(rest: &[u8], at: usize) -> u64 {
    match rest.get(at..at + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().expect("8 bytes")),
        None => {
            let mut b = [0u8; 8];
            let tail = rest.get(at..).unwrap_or_default();
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
        .position(|&b| !super::is_ascii_word_byte(b))
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
            let mut seen = std::collections::HashSet::new();
            let pats: Vec<String> = pats
                .into_iter()
                .filter(|p| seen.insert(if ascii_ci { p.to_ascii_lowercase() } else { p.clone() }))
                .collect();
            let trie = Trie::new(&pats.iter().collect(), ascii_ci, first);
            let map = WordMap::new(pats.iter().map(|p| p.as_bytes()), &trie, ascii_ci);
            let norm = |w: &[u8]| if ascii_ci { w.to_ascii_lowercase() } else { w.to_vec() };
            let b = hay.as_bytes();
            for s in 0..b.len() {
                let w = leading_word(&b[s..]);
                let (k, h) = map.scan(&b[s..]);
                prop_assert_eq!(k, w.len());
                let listed = pats.iter().any(|p| norm(leading_word(p.as_bytes())) == norm(w));
                if w.is_empty() {
                    prop_assert_eq!(map.has_empty(), listed);
                    continue;
                }
                let got = map.get_hashed(w, h);
                prop_assert_eq!(got, map.get(w));
                prop_assert_eq!(got != Lookup::Absent, listed, "{:?}", w);
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
            let map = WordMap::new(pats.iter().map(|p| p.as_bytes()), &trie, ascii_ci);
            for w in ["Abcdefgh", "Abcdefghijklmnopq_7"] {
                let text = format!("{w}-and more");
                let (k, h) = map.scan(text.as_bytes());
                assert_eq!(k, w.len());
                assert!(
                    matches!(map.get_hashed(w.as_bytes(), h), Lookup::Node(..)),
                    "{w}"
                );
            }
        }
    }

    #[test]
    fn case_insensitive_words_hash_alike() {
        let pats = ["Mali_9 x", "NEW York", "a"];
        let trie = Trie::new(&pats.iter().collect(), true, false);
        let map = WordMap::new(pats.iter().map(|p| p.as_bytes()), &trie, true);
        for w in ["mali_9", "MALI_9", "new", "New", "A", "a"] {
            assert!(matches!(map.get(w.as_bytes()), Lookup::Node(..)), "{w}");
        }
        for w in ["mali", "York", "b"] {
            assert_eq!(map.get(w.as_bytes()), Lookup::Absent, "{w}");
        }
    }
}
