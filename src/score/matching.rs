//! Pairing gold and predicted spans of one document (the rule is in the [module docs](super)).

use std::cmp::{Ordering, Reverse};

use super::options::MinOverlap;
use crate::span::CharSpan;

/// A gold mention and the prediction it is paired with, as indices into the input slices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pair {
    /// Index of the gold span.
    pub gold: usize,
    /// Index of the predicted span.
    pub pred: usize,
}

/// The outcome of pairing one document: every gold span and every prediction appears exactly
/// once, in a pair or in one of the two unpaired lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matching {
    /// The pairs, sorted by gold index.
    pub pairs: Vec<Pair>,
    /// Indices of unpaired gold spans, ascending.
    pub missed: Vec<usize>,
    /// Indices of unpaired predictions, ascending.
    pub spurious: Vec<usize>,
}

/// Pairs gold spans with predictions: exact boundaries first, then overlaps, same label
/// first, closest boundaries first.
///
/// Runs in O(n log n + k) for n spans and k overlapping gold–prediction pairs left after the
/// exact-boundary pass; the result does not depend on the order of either input (only which
/// of two *identical* spans is paired can change, never a count).
pub fn match_spans(gold: &[CharSpan], pred: &[CharSpan]) -> Matching {
    match_by(gold, pred, |s| s, None)
}

/// A candidate overlap pair; the derived order is the greedy preference order.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Candidate {
    label_differs: bool,
    /// How far the boundaries are apart: |gold start − pred start| + |gold end − pred end|.
    distance: usize,
    overlap: Reverse<usize>,
    gold_start: usize,
    pred_start: usize,
    gold_end: usize,
    pred_end: usize,
    // Ranks in the sorted orders: the last tie-break, which makes the order total.
    gold_rank: usize,
    pred_rank: usize,
}

/// [`match_spans`] over any items that carry a span (annotations, spans), without copying;
/// with `min_overlap`, an overlapping pair is a candidate only when the overlap covers at
/// least that share of the gold span.
pub(crate) fn match_by<T>(
    gold: &[T],
    pred: &[T],
    span: impl Fn(&T) -> &CharSpan + Copy,
    min_overlap: Option<MinOverlap>,
) -> Matching {
    let enough = |g: &CharSpan, p: &CharSpan| match min_overlap {
        None => true,
        Some(f) => f.covers(g.end.min(p.end) - g.start.max(p.start), g.end - g.start),
    };
    let g_order = sorted_order(gold, span);
    let p_order = sorted_order(pred, span);
    let gs = |rank: usize| span(&gold[g_order[rank]]);
    let ps = |rank: usize| span(&pred[p_order[rank]]);
    // Used flags are indexed by rank (position in the sorted order), not by input index.
    let mut g_used = vec![false; gold.len()];
    let mut p_used = vec![false; pred.len()];
    let mut pairs = Vec::with_capacity(gold.len().min(pred.len()));
    let mut pair = |g: usize, p: usize, g_used: &mut [bool], p_used: &mut [bool]| {
        g_used[g] = true;
        p_used[p] = true;
        pairs.push(Pair {
            gold: g_order[g],
            pred: p_order[p],
        });
    };

    // Pass 1: same boundaries. Merge the two sorted lists on (start, end).
    let (mut i, mut j) = (0, 0);
    while i < g_order.len() && j < p_order.len() {
        let (g, p) = (gs(i), ps(j));
        match (g.start, g.end).cmp(&(p.start, p.end)) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                let bounds = (g.start, g.end);
                let i_end = run_end(i, g_order.len(), |r| (gs(r).start, gs(r).end) == bounds);
                let j_end = run_end(j, p_order.len(), |r| (ps(r).start, ps(r).end) == bounds);
                // Within the group both sides are sorted by (label, norm, input index), so
                // each tier below is a merge that pairs in sorted order.
                // Tier 1: same label and norm.
                merge_pairs(
                    i..i_end,
                    j..j_end,
                    &mut g_used,
                    &mut p_used,
                    &mut pair,
                    |a, b| (gs(a).label, &gs(a).norm).cmp(&(ps(b).label, &ps(b).norm)),
                );
                // Tier 2: same label.
                merge_pairs(
                    i..i_end,
                    j..j_end,
                    &mut g_used,
                    &mut p_used,
                    &mut pair,
                    |a, b| gs(a).label.cmp(&ps(b).label),
                );
                // Tier 3: any label.
                merge_pairs(
                    i..i_end,
                    j..j_end,
                    &mut g_used,
                    &mut p_used,
                    &mut pair,
                    |_, _| Ordering::Equal,
                );
                i = i_end;
                j = j_end;
            }
        }
    }

    // Pass 2: candidate overlaps among the rest, by a sweep over starts with an active set
    // per side. When a span arrives at `s`, the other side's active spans that end at or
    // before `s` are dropped for good; every one left started at or before `s` and ends after
    // it, so it overlaps the newcomer. Each step thus costs the spans dropped plus the
    // candidates produced. Empty spans overlap nothing and are left out.
    let g_rest: Vec<usize> = (0..g_order.len())
        .filter(|&r| !g_used[r] && gs(r).start < gs(r).end)
        .collect();
    let p_rest: Vec<usize> = (0..p_order.len())
        .filter(|&r| !p_used[r] && ps(r).start < ps(r).end)
        .collect();
    let mut candidates = Vec::new();
    let (mut g_active, mut p_active): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let (mut a, mut b) = (0, 0);
    while a < g_rest.len() || b < p_rest.len() {
        let gold_next = match (g_rest.get(a), p_rest.get(b)) {
            (Some(&g), Some(&p)) => gs(g).start <= ps(p).start,
            (Some(_), None) => true,
            _ => false,
        };
        if gold_next {
            let g = g_rest[a];
            a += 1;
            let s = gs(g);
            p_active.retain(|&p| ps(p).end > s.start);
            for &p in &p_active {
                if enough(s, ps(p)) {
                    candidates.push(candidate(g, s, p, ps(p)));
                }
            }
            g_active.push(g);
        } else {
            let p = p_rest[b];
            b += 1;
            let s = ps(p);
            g_active.retain(|&g| gs(g).end > s.start);
            for &g in &g_active {
                if enough(gs(g), s) {
                    candidates.push(candidate(g, gs(g), p, s));
                }
            }
            p_active.push(p);
        }
    }
    candidates.sort_unstable();
    for c in candidates {
        if !g_used[c.gold_rank] && !p_used[c.pred_rank] {
            pair(c.gold_rank, c.pred_rank, &mut g_used, &mut p_used);
        }
    }

    pairs.sort_unstable();
    let unused = |order: &[usize], used: &[bool]| -> Vec<usize> {
        let mut v: Vec<usize> = (0..order.len())
            .filter(|&r| !used[r])
            .map(|r| order[r])
            .collect();
        v.sort_unstable();
        v
    };
    Matching {
        missed: unused(&g_order, &g_used),
        spurious: unused(&p_order, &p_used),
        pairs,
    }
}

fn candidate(gold_rank: usize, g: &CharSpan, pred_rank: usize, p: &CharSpan) -> Candidate {
    Candidate {
        label_differs: g.label != p.label,
        distance: g.start.abs_diff(p.start) + g.end.abs_diff(p.end),
        overlap: Reverse(g.end.min(p.end) - g.start.max(p.start)),
        gold_start: g.start,
        pred_start: p.start,
        gold_end: g.end,
        pred_end: p.end,
        gold_rank,
        pred_rank,
    }
}

/// Input indices sorted by [`CharSpan::sort_key`], then by index (so identical spans keep their
/// input order and the sort is total).
fn sorted_order<T>(items: &[T], span: impl Fn(&T) -> &CharSpan) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        span(&items[a])
            .sort_key()
            .cmp(&span(&items[b]).sort_key())
            .then(a.cmp(&b))
    });
    order
}

/// The end of the run starting at `from` of ranks satisfying `same`.
fn run_end(from: usize, len: usize, same: impl Fn(usize) -> bool) -> usize {
    let mut end = from + 1;
    while end < len && same(end) {
        end += 1;
    }
    end
}

/// Merges the unused ranks of two ranges sorted consistently with `cmp`, pairing each
/// equal-comparing gold and prediction in order.
fn merge_pairs(
    g: std::ops::Range<usize>,
    p: std::ops::Range<usize>,
    g_used: &mut [bool],
    p_used: &mut [bool],
    pair: &mut impl FnMut(usize, usize, &mut [bool], &mut [bool]),
    cmp: impl Fn(usize, usize) -> Ordering,
) {
    let (mut i, mut j) = (g.start, p.start);
    loop {
        while i < g.end && g_used[i] {
            i += 1;
        }
        while j < p.end && p_used[j] {
            j += 1;
        }
        if i >= g.end || j >= p.end {
            return;
        }
        match cmp(i, j) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                pair(i, j, g_used, p_used);
                i += 1;
                j += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    use crate::label::{Label, Norm};

    fn s(start: usize, end: usize, label: Label) -> CharSpan {
        CharSpan::new(start, end, label, Norm::None)
    }

    static A: LazyLock<Label> = LazyLock::new(|| Label::new("ACTOR").unwrap());
    static P: LazyLock<Label> = LazyLock::new(|| Label::new("PLACE").unwrap());

    #[test]
    fn pairing_table() {
        // (name, gold, pred, expected pairs (gold, pred), missed, spurious)
        type Row = (
            &'static str,
            Vec<CharSpan>,
            Vec<CharSpan>,
            Vec<(usize, usize)>,
            Vec<usize>,
            Vec<usize>,
        );
        let rows: Vec<Row> = vec![
            ("empty", vec![], vec![], vec![], vec![], vec![]),
            (
                "exact beats overlap",
                vec![s(0, 5, *A)],
                vec![s(0, 4, *A), s(0, 5, *P)],
                vec![(0, 1)],
                vec![],
                vec![0],
            ),
            (
                "same bounds prefers same label",
                vec![s(0, 5, *P), s(0, 5, *A)],
                vec![s(0, 5, *A), s(0, 5, *P)],
                vec![(0, 1), (1, 0)],
                vec![],
                vec![],
            ),
            (
                "same bounds prefers same norm",
                vec![
                    CharSpan::new(0, 2, *A, Norm::Name("x".into())),
                    CharSpan::new(0, 2, *A, Norm::Name("y".into())),
                ],
                vec![
                    CharSpan::new(0, 2, *A, Norm::Name("y".into())),
                    CharSpan::new(0, 2, *A, Norm::Name("x".into())),
                ],
                vec![(0, 1), (1, 0)],
                vec![],
                vec![],
            ),
            (
                "closer boundaries win",
                vec![s(0, 4, *A), s(5, 12, *A)],
                vec![s(3, 10, *A)],
                vec![(1, 0)],
                vec![0],
                vec![],
            ),
            (
                "closer boundaries win over a longer overlap",
                vec![s(0, 2, *A), s(3, 12, *A)],
                vec![s(1, 5, *A)],
                vec![(0, 0)],
                vec![1],
                vec![],
            ),
            (
                "same label first",
                vec![s(0, 4, *P), s(6, 10, *A)],
                vec![s(2, 8, *A)],
                vec![(1, 0)],
                vec![0],
                vec![],
            ),
            (
                // Issue 13's case: nervaluate's ent_type pairs the prediction with the ACTOR.
                "same label first, over a longer overlap",
                vec![s(5, 6, *A), s(6, 11, *P)],
                vec![s(5, 11, *A)],
                vec![(0, 0)],
                vec![1],
                vec![],
            ),
            (
                "same label and distance: longer overlap",
                vec![s(0, 4, *A), s(6, 12, *A)],
                vec![s(2, 9, *A)],
                vec![(1, 0)],
                vec![0],
                vec![],
            ),
            (
                "equal in all but position: leftmost gold",
                vec![s(0, 4, *A), s(6, 10, *A)],
                vec![s(2, 8, *A)],
                vec![(0, 0)],
                vec![1],
                vec![],
            ),
            (
                "same bounds, other label, before an overlap of the same label",
                vec![s(0, 5, *P), s(0, 8, *A)],
                vec![s(0, 5, *A)],
                vec![(0, 0)],
                vec![1],
                vec![],
            ),
            (
                "touching spans never pair",
                vec![s(0, 4, *A)],
                vec![s(4, 8, *A)],
                vec![],
                vec![0],
                vec![0],
            ),
            (
                "nested predictions on one side",
                vec![s(0, 10, *A)],
                vec![s(0, 3, *A), s(2, 9, *A), s(9, 12, *A)],
                vec![(0, 1)],
                vec![],
                vec![0, 2],
            ),
        ];
        for (name, gold, pred, pairs, missed, spurious) in rows {
            let m = match_spans(&gold, &pred);
            let got: Vec<(usize, usize)> = m.pairs.iter().map(|p| (p.gold, p.pred)).collect();
            assert_eq!(got, pairs, "{name}: pairs");
            assert_eq!(m.missed, missed, "{name}: missed");
            assert_eq!(m.spurious, spurious, "{name}: spurious");
        }
    }
}
