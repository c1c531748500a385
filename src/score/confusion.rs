//! The label confusion matrix.

use std::iter::Sum;
use std::ops::{Add, AddAssign};

use crate::span::Label;

/// Which labels are mistaken for which, boundaries aside.
///
/// Rows are the gold label, columns the predicted label, both in [`Label::ALL`] order plus a
/// last `none` row and column: a pair counts at (gold label, predicted label) whatever its
/// boundaries, a missed gold mention in the `none` column, a spurious prediction in the `none`
/// row. The (`none`, `none`) cell is always 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Confusion {
    /// `matrix[gold][pred]`, indexed by [`Label::index`] or [`Confusion::NONE`].
    pub matrix: [[u64; 4]; 4],
}

impl Confusion {
    /// The index of the `none` row and column.
    pub const NONE: usize = 3;

    /// Row and column names, in index order.
    pub const LABELS: [&'static str; 4] = ["ACTOR", "PLACE", "FIGURE", "none"];

    /// The cell for a gold label (`None`: spurious) and a predicted label (`None`: missed).
    pub fn get(&self, gold: Option<Label>, pred: Option<Label>) -> u64 {
        self.matrix[index(gold)][index(pred)]
    }

    pub(crate) fn add(&mut self, gold: Option<Label>, pred: Option<Label>) {
        self.matrix[index(gold)][index(pred)] += 1;
    }
}

fn index(label: Option<Label>) -> usize {
    label.map_or(Confusion::NONE, Label::index)
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
        for (row, orow) in self.matrix.iter_mut().zip(o.matrix) {
            for (a, b) in row.iter_mut().zip(orow) {
                *a += b;
            }
        }
    }
}

impl Sum for Confusion {
    fn sum<I: Iterator<Item = Confusion>>(iter: I) -> Confusion {
        iter.fold(Confusion::default(), Add::add)
    }
}
