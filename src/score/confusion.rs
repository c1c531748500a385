//! The label confusion matrix.

use std::collections::BTreeMap;
use std::ops::{Add, AddAssign};

use crate::label::Label;

/// Which labels are mistaken for which, boundaries aside.
///
/// Rows are the gold label, columns the predicted label, keyed by [`Label`], with `None` for
/// "no mention": a pair counts at (gold label, predicted label) whatever its boundaries, a
/// missed gold mention at (gold label, `None`), a spurious prediction at (`None`, predicted
/// label). The (`None`, `None`) cell is always 0. Renderers list the labels in the
/// evaluation's report order, then `none`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Confusion {
    cells: BTreeMap<(Option<Label>, Option<Label>), u64>,
}

impl Confusion {
    /// The count at (gold, pred).
    pub fn get(&self, gold: Option<Label>, pred: Option<Label>) -> u64 {
        self.cells.get(&(gold, pred)).copied().unwrap_or(0)
    }

    /// The sum of every cell: pairs + missed + spurious.
    pub fn total(&self) -> u64 {
        self.cells.values().sum()
    }

    /// The matrix over `labels` plus a last `None` row and column: `m[gold][pred]`.
    pub fn matrix(&self, labels: &[Label]) -> Vec<Vec<u64>> {
        let keys: Vec<Option<Label>> = labels.iter().copied().map(Some).chain([None]).collect();
        keys.iter()
            .map(|&g| keys.iter().map(|&p| self.get(g, p)).collect())
            .collect()
    }

    /// Counts one more at (gold, pred).
    pub(crate) fn add(&mut self, gold: Option<Label>, pred: Option<Label>) {
        *self.cells.entry((gold, pred)).or_insert(0) += 1;
    }
}

impl Add for Confusion {
    type Output = Confusion;

    fn add(mut self, o: Confusion) -> Confusion {
        self += o;
        self
    }
}

impl AddAssign for Confusion {
    fn add_assign(&mut self, o: Confusion) {
        for (k, v) in o.cells {
            *self.cells.entry(k).or_insert(0) += v;
        }
    }
}
