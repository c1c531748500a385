//! A byte trie of the tagger's patterns, for the anchored searches of the word-boundary
//! modes.
//!
//! An anchored search needs no failure transitions, which are most of the cost of building
//! an Aho-Corasick automaton over a large gazetteer (and of its memory): this trie is built
//! from the sorted patterns in one pass, and reports at a place exactly the match the
//! anchored automaton would (the longest pattern there, or the first listed).

use super::patterns::PatternSet;

/// No node, or no pattern.
const NONE: u32 = u32::MAX;

/// The trie, nodes laid out depth first in one array so that a walk down a pattern reads
/// neighbouring memory: a node at offset `o` is `[pattern, n, bytes (4 a word), children]`,
/// its `n` edge bytes sorted, and each child the offset of a node.
#[derive(Clone, Debug)]
pub(crate) struct Trie {
    /// The root's children by byte (the root has the most; every search starts there).
    root: Box<[u32; 256]>,
    repr: Vec<u32>,
    ascii_ci: bool,
    leftmost_first: bool,
    max_len: usize,
}

impl Trie {
    /// A trie of `patterns` (pattern ids are their indexes). With `ascii_ci`, ASCII letters
    /// match either case; with `leftmost_first`, the first-listed pattern at a place wins,
    /// else the longest. Patterns equal up to case (`ascii_ci`) keep the first id.
    pub(crate) fn new(patterns: &PatternSet, ascii_ci: bool, leftmost_first: bool) -> Trie {
        let fold = |b: u8| if ascii_ci { b.to_ascii_lowercase() } else { b };
        let key = |i: u32| patterns.get(i as usize).as_bytes();
        let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
        if ascii_ci {
            order.sort_unstable_by(|&a, &b| {
                key(a)
                    .iter()
                    .map(|&x| fold(x))
                    .cmp(key(b).iter().map(|&x| fold(x)))
                    .then(a.cmp(&b))
            });
        } else {
            order.sort_unstable_by(|&a, &b| key(a).cmp(key(b)).then(a.cmp(&b)));
        }
        let mut repr: Vec<u32> = Vec::new();
        // Depth first: (sorted range of the patterns below the node, depth, the slot that
        // holds its offset).
        let mut stack = vec![(0usize, order.len(), 0usize, None::<usize>)];
        let mut groups: Vec<(u8, usize, usize)> = Vec::new();
        while let Some((mut lo, hi, depth, slot)) = stack.pop() {
            let o = repr.len() as u32;
            if let Some(slot) = slot {
                repr[slot] = o;
            }
            // The patterns that end here sort first; equal ones after the first listed are
            // dropped.
            let mut pattern = NONE;
            while lo < hi && key(order[lo]).len() == depth {
                pattern = pattern.min(order[lo]);
                lo += 1;
            }
            groups.clear();
            while lo < hi {
                let b = fold(key(order[lo])[depth]);
                let mut end = lo + 1;
                while end < hi && fold(key(order[end])[depth]) == b {
                    end += 1;
                }
                groups.push((b, lo, end));
                lo = end;
            }
            let n = groups.len();
            repr.push(pattern);
            repr.push(n as u32);
            for chunk in groups.chunks(4) {
                repr.push(
                    chunk
                        .iter()
                        .enumerate()
                        .fold(0, |w, (i, g)| w | u32::from(g.0) << (8 * i)),
                );
            }
            let children = repr.len();
            repr.extend(std::iter::repeat_n(NONE, n));
            // The first child is written next, right after its parent.
            for (i, &(_, a, z)) in groups.iter().enumerate().rev() {
                stack.push((a, z, depth + 1, Some(children + i)));
            }
        }
        let mut trie = Trie {
            root: Box::new([NONE; 256]),
            repr,
            ascii_ci,
            leftmost_first,
            max_len: patterns.iter().map(str::len).max().unwrap_or(0),
        };
        // The root is at offset 0.
        let n = trie.repr[1] as usize;
        for i in 0..n {
            let b = trie.edge_byte(0, i);
            let child = trie.repr[2 + n.div_ceil(4) + i];
            trie.root[usize::from(b)] = child;
            if ascii_ci {
                trie.root[usize::from(b.to_ascii_uppercase())] = child;
            }
        }
        trie
    }

    /// The length of the longest pattern.
    pub(crate) fn max_pattern_len(&self) -> usize {
        self.max_len
    }

    fn edge_byte(&self, o: usize, i: usize) -> u8 {
        (self.repr[o + 2 + i / 4] >> (8 * (i % 4))) as u8
    }

    fn child(&self, node: u32, b: u8) -> u32 {
        let o = node as usize;
        let n = self.repr[o + 1] as usize;
        let pat = u32::from(b) * 0x0101_0101;
        if n == 0 {
            return NONE;
        }
        if n <= 4 {
            // Most nodes: one word of edge bytes (the lowest zero byte of `x` is the first
            // equal one; the padding after the last edge is zeros: an index past it is no
            // edge).
            let x = self.repr[o + 2] ^ pat;
            let z = x.wrapping_sub(0x0101_0101) & !x & 0x8080_8080;
            let i = (z.trailing_zeros() / 8) as usize;
            return if i < n { self.repr[o + 3 + i] } else { NONE };
        }
        let words = n.div_ceil(4);
        let bytes = &self.repr[o + 2..o + 2 + words];
        let found = if n <= 16 {
            // Four edge bytes a word, as above.
            bytes.iter().enumerate().find_map(|(w, &x)| {
                let x = x ^ pat;
                let z = x.wrapping_sub(0x0101_0101) & !x & 0x8080_8080;
                (z != 0).then(|| w * 4 + (z.trailing_zeros() / 8) as usize)
            })
        } else {
            let (mut lo, mut hi, mut found) = (0, n, None);
            while lo < hi {
                let mid = (lo + hi) / 2;
                match self.edge_byte(o, mid).cmp(&b) {
                    std::cmp::Ordering::Less => lo = mid + 1,
                    std::cmp::Ordering::Greater => hi = mid,
                    std::cmp::Ordering::Equal => {
                        found = Some(mid);
                        break;
                    }
                }
            }
            found
        };
        match found {
            Some(i) if i < n => self.repr[o + 2 + words + i],
            _ => NONE,
        }
    }

    /// The match that starts at `s` and ends at or before `limit`, as the anchored automaton
    /// reports it: its end and pattern id.
    pub(crate) fn find_at(&self, hay: &[u8], s: usize, limit: usize) -> Option<(usize, usize)> {
        let limit = limit.min(hay.len());
        if s >= limit {
            return None;
        }
        self.resume(hay, self.root[usize::from(hay[s])], None, s + 1, limit)
    }

    /// The state of [`Trie::find_at`] after reading `word` (not empty, lower-cased when the
    /// trie is ASCII case-insensitive) at the start of a match: the node reached, and the best
    /// match ending strictly inside `word` (its length and pattern). `None` when no pattern
    /// starts with `word`.
    pub(crate) fn walk(&self, word: &[u8]) -> Option<(u32, Option<(usize, u32)>)> {
        let (&first, rest) = word.split_first()?;
        let mut node = self.root[usize::from(first)];
        let mut best: Option<(usize, u32)> = None;
        for (i, &b) in rest.iter().enumerate() {
            if node == NONE {
                return None;
            }
            let p = self.repr[node as usize];
            if p != NONE && !(self.leftmost_first && best.is_some_and(|(_, q)| q < p)) {
                best = Some((i + 1, p));
            }
            node = self.child(node, b);
        }
        (node != NONE).then_some((node, best))
    }

    /// [`Trie::find_at`] for a match whose bytes before `i` led to `node` with the best match
    /// `best` so far (see [`Trie::walk`]; its end in `hay`).
    pub(crate) fn find_from(
        &self,
        hay: &[u8],
        node: u32,
        best: Option<(usize, u32)>,
        i: usize,
        limit: usize,
    ) -> Option<(usize, usize)> {
        let limit = limit.min(hay.len());
        if i > limit {
            return None;
        }
        self.resume(hay, node, best, i, limit)
    }

    /// Walks on from `node`, reached with the match's bytes before `i`, with the best match
    /// so far.
    fn resume(
        &self,
        hay: &[u8],
        mut node: u32,
        mut best: Option<(usize, u32)>,
        mut i: usize,
        limit: usize,
    ) -> Option<(usize, usize)> {
        while node != NONE {
            let p = self.repr[node as usize];
            if p != NONE && !(self.leftmost_first && best.is_some_and(|(_, q)| q < p)) {
                best = Some((i, p));
            }
            if i >= limit {
                break;
            }
            let b = if self.ascii_ci {
                hay[i].to_ascii_lowercase()
            } else {
                hay[i]
            };
            node = self.child(node, b);
            i += 1;
        }
        best.map(|(e, p)| (e, p as usize))
    }
}

/// Distinct patterns, as the tagger builds them (up to ASCII case when `ascii_ci`): the
/// property tests' generated pattern lists go through it.
#[cfg(test)]
pub(crate) fn distinct(pats: Vec<String>, ascii_ci: bool) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    pats.into_iter()
        .filter(|p| {
            seen.insert(if ascii_ci {
                p.to_ascii_lowercase()
            } else {
                p.clone()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
    use proptest::prelude::*;

    fn automaton(patterns: &[String], ascii_ci: bool, first: bool) -> AhoCorasick {
        AhoCorasick::builder()
            .match_kind(if first {
                MatchKind::LeftmostFirst
            } else {
                MatchKind::LeftmostLongest
            })
            .ascii_case_insensitive(ascii_ci)
            .start_kind(StartKind::Anchored)
            .build(patterns)
            .unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// At every place and every limit, the anchored automaton's match.
        #[test]
        fn same_as_the_anchored_automaton(
            pats in prop::collection::vec("[abAB\u{e9}]{1,4}", 1..12),
            hay in "[abAB\u{e9} ]{0,12}",
            ascii_ci in any::<bool>(),
            first in any::<bool>(),
        ) {
            let pats = distinct(pats, ascii_ci);
            let trie = Trie::new(&pats.iter().collect(), ascii_ci, first);
            let ac = automaton(&pats, ascii_ci, first);
            let b = hay.as_bytes();
            for s in 0..b.len() {
                for limit in s..=b.len() {
                    let want = ac
                        .find(Input::new(b).range(s..limit).anchored(Anchored::Yes))
                        .map(|m| (m.end(), m.pattern().as_usize()));
                    prop_assert_eq!(trie.find_at(b, s, limit), want, "at {} to {}", s, limit);
                }
            }
        }
    }
}
