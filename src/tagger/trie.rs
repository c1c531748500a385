//! A byte trie of the tagger's patterns, for the anchored searches of the word-boundary
//! modes.
//!
//! An anchored search needs no failure transitions, which are most of the cost of building
//! an Aho-Corasick automaton over a large gazetteer (and of its memory): this trie is built
//! from the sorted patterns in one pass, and reports at a place exactly the match the
//! anchored automaton would (the longest pattern there, or the first listed).

use std::collections::VecDeque;

/// No node, or no pattern.
const NONE: u32 = u32::MAX;

#[derive(Clone, Debug)]
pub(crate) struct Trie {
    /// The root's children by byte (the root has the most; every search starts there).
    root: Box<[u32; 256]>,
    /// Node `n`'s edges are `edges[first[n] as usize..first[n + 1] as usize]`, sorted by
    /// byte. Nodes are numbered breadth first; the root is node 0.
    first: Vec<u32>,
    edge_bytes: Vec<u8>,
    edge_nodes: Vec<u32>,
    /// The pattern that ends at each node, or [`NONE`].
    pattern: Vec<u32>,
    ascii_ci: bool,
    leftmost_first: bool,
    max_len: usize,
}

impl Trie {
    /// A trie of `patterns` (pattern ids are their indexes). With `ascii_ci`, ASCII letters
    /// match either case; with `leftmost_first`, the first-listed pattern at a place wins,
    /// else the longest. Patterns equal up to case (`ascii_ci`) keep the first id.
    pub(crate) fn new<S: AsRef<str>>(patterns: &[S], ascii_ci: bool, leftmost_first: bool) -> Trie {
        let fold = |b: u8| if ascii_ci { b.to_ascii_lowercase() } else { b };
        let key = |i: u32| patterns[i as usize].as_ref().as_bytes();
        let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            key(a)
                .iter()
                .map(|&x| fold(x))
                .cmp(key(b).iter().map(|&x| fold(x)))
                .then(a.cmp(&b))
        });
        let mut trie = Trie {
            root: Box::new([NONE; 256]),
            first: Vec::new(),
            edge_bytes: Vec::new(),
            edge_nodes: Vec::new(),
            pattern: Vec::new(),
            ascii_ci,
            leftmost_first,
            max_len: patterns.iter().map(|p| p.as_ref().len()).max().unwrap_or(0),
        };
        // Breadth first: (node, sorted range of the patterns below it, depth).
        let mut queue = VecDeque::new();
        trie.pattern.push(NONE);
        queue.push_back((0u32, 0usize, order.len(), 0usize));
        while let Some((node, mut lo, hi, depth)) = queue.pop_front() {
            debug_assert_eq!(trie.first.len(), node as usize);
            trie.first.push(trie.edge_bytes.len() as u32);
            // The patterns that end here sort first (shortest first); equal ones after the
            // first listed are dropped.
            while lo < hi && key(order[lo]).len() == depth {
                if trie.pattern[node as usize] == NONE {
                    trie.pattern[node as usize] = order[lo];
                }
                lo += 1;
            }
            while lo < hi {
                let b = fold(key(order[lo])[depth]);
                let mut end = lo + 1;
                while end < hi && fold(key(order[end])[depth]) == b {
                    end += 1;
                }
                let child = trie.pattern.len() as u32;
                trie.pattern.push(NONE);
                trie.edge_bytes.push(b);
                trie.edge_nodes.push(child);
                queue.push_back((child, lo, end, depth + 1));
                lo = end;
            }
        }
        trie.first.push(trie.edge_bytes.len() as u32);
        let (a, b) = (trie.first[0] as usize, trie.first[1] as usize);
        for i in a..b {
            let byte = trie.edge_bytes[i];
            trie.root[usize::from(byte)] = trie.edge_nodes[i];
            if ascii_ci {
                trie.root[usize::from(byte.to_ascii_uppercase())] = trie.edge_nodes[i];
            }
        }
        trie
    }

    /// The length of the longest pattern.
    pub(crate) fn max_pattern_len(&self) -> usize {
        self.max_len
    }

    fn child(&self, node: u32, b: u8) -> u32 {
        let (a, z) = (
            self.first[node as usize] as usize,
            self.first[node as usize + 1] as usize,
        );
        let bytes = &self.edge_bytes[a..z];
        let i = if bytes.len() <= 8 {
            bytes.iter().position(|&x| x == b)
        } else {
            bytes.binary_search(&b).ok()
        };
        i.map_or(NONE, |i| self.edge_nodes[a + i])
    }

    /// The match that starts at `s` and ends at or before `limit`, as the anchored automaton
    /// reports it: its end and pattern id.
    pub(crate) fn find_at(&self, hay: &[u8], s: usize, limit: usize) -> Option<(usize, usize)> {
        let limit = limit.min(hay.len());
        if s >= limit {
            return None;
        }
        let mut node = self.root[usize::from(hay[s])];
        let mut best: Option<(usize, u32)> = None;
        let mut i = s + 1;
        while node != NONE {
            let p = self.pattern[node as usize];
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
            // Distinct patterns, as the tagger builds them (up to case when case-insensitive).
            let mut seen = std::collections::HashSet::new();
            let pats: Vec<String> = pats
                .into_iter()
                .filter(|p| seen.insert(if ascii_ci { p.to_ascii_lowercase() } else { p.clone() }))
                .collect();
            let trie = Trie::new(&pats, ascii_ci, first);
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
