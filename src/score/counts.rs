//! Counts of outcomes and the precision, recall and F1 derived from them.

use std::iter::Sum;
use std::ops::{Add, AddAssign};

use crate::span::Label;

/// The five outcomes of one scheme, as in SemEval-2013 Task 9.1.
///
/// Kept as plain integers so that totals over documents (or over a bootstrap resample of
/// them) are sums, and every ratio is derived at the end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Counts {
    /// Pairs the scheme accepts.
    pub correct: u64,
    /// Pairs the scheme rejects.
    pub incorrect: u64,
    /// Pairs with overlapping but different boundaries under [`Scheme::Partial`]; always 0
    /// under the other schemes.
    ///
    /// [`Scheme::Partial`]: super::Scheme::Partial
    pub partial: u64,
    /// Gold mentions left unpaired.
    pub missed: u64,
    /// Predictions left unpaired.
    pub spurious: u64,
}

impl Counts {
    /// The number of gold mentions: `correct + incorrect + partial + missed`.
    pub fn possible(&self) -> u64 {
        self.correct + self.incorrect + self.partial + self.missed
    }

    /// The number of predictions: `correct + incorrect + partial + spurious`.
    pub fn actual(&self) -> u64 {
        self.correct + self.incorrect + self.partial + self.spurious
    }

    /// True when there is neither a gold mention nor a prediction.
    pub fn is_empty(&self) -> bool {
        self.possible() == 0 && self.actual() == 0
    }

    /// The credit earned: a correct pair counts 1, a partial pair 0.5.
    fn credit(&self) -> f64 {
        self.correct as f64 + 0.5 * self.partial as f64
    }

    /// `(correct + 0.5 × partial) / actual`, or 0.0 when there is no prediction.
    pub fn precision(&self) -> f64 {
        ratio(self.credit(), self.actual())
    }

    /// `(correct + 0.5 × partial) / possible`, or 0.0 when there is no gold mention.
    pub fn recall(&self) -> f64 {
        ratio(self.credit(), self.possible())
    }

    /// The harmonic mean of precision and recall, or 0.0 when both are 0.
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }

    /// Precision, recall and F1 together.
    pub fn scores(&self) -> Scores {
        let precision = self.precision();
        let recall = self.recall();
        Scores {
            precision,
            recall,
            f1: f1(precision, recall),
        }
    }
}

fn ratio(num: f64, den: u64) -> f64 {
    if den == 0 {
        0.0
    } else {
        num / den as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl Add for Counts {
    type Output = Counts;

    fn add(self, o: Counts) -> Counts {
        Counts {
            correct: self.correct + o.correct,
            incorrect: self.incorrect + o.incorrect,
            partial: self.partial + o.partial,
            missed: self.missed + o.missed,
            spurious: self.spurious + o.spurious,
        }
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        *self = *self + o;
    }
}

impl Sum for Counts {
    fn sum<I: Iterator<Item = Counts>>(iter: I) -> Counts {
        iter.fold(Counts::default(), Add::add)
    }
}

impl<'a> Sum<&'a Counts> for Counts {
    fn sum<I: Iterator<Item = &'a Counts>>(iter: I) -> Counts {
        iter.copied().sum()
    }
}

/// Precision, recall and F1, each in `0.0..=1.0` and never NaN.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// The share of predictions that earn credit.
    pub precision: f64,
    /// The share of gold mentions that earn credit.
    pub recall: f64,
    /// The harmonic mean of precision and recall (for a macro average: the mean of F1s).
    pub f1: f64,
}

/// The counts of one scheme, one entry per label (indexed by [`Label::index`]).
///
/// Every outcome is attributed to exactly one label (see the [module docs](super)), so the
/// overall (micro) counts are the sum of the three.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SchemeCounts {
    /// Counts per label, in [`Label::ALL`] order.
    pub by_label: [Counts; 3],
}

impl SchemeCounts {
    /// The counts of one label.
    pub fn label(&self, label: Label) -> Counts {
        self.by_label[label.index()]
    }

    /// The micro totals: the sum over labels.
    pub fn overall(&self) -> Counts {
        self.by_label.iter().sum()
    }

    /// The macro average: the unweighted mean over the three labels of each label's
    /// precision, recall and F1 (F1 is averaged, not recomputed from the averaged P and R).
    /// A label with neither gold nor predictions scores 0.0 and still counts in the mean.
    pub fn macro_scores(&self) -> Scores {
        let n = self.by_label.len() as f64;
        let mut m = Scores::default();
        for c in &self.by_label {
            let s = c.scores();
            m.precision += s.precision;
            m.recall += s.recall;
            m.f1 += s.f1;
        }
        Scores {
            precision: m.precision / n,
            recall: m.recall / n,
            f1: m.f1 / n,
        }
    }
}

impl Add for SchemeCounts {
    type Output = SchemeCounts;

    fn add(mut self, o: SchemeCounts) -> SchemeCounts {
        self += o;
        self
    }
}

impl AddAssign for SchemeCounts {
    fn add_assign(&mut self, o: SchemeCounts) {
        for (a, b) in self.by_label.iter_mut().zip(o.by_label) {
            *a += b;
        }
    }
}

impl Sum for SchemeCounts {
    fn sum<I: Iterator<Item = SchemeCounts>>(iter: I) -> SchemeCounts {
        iter.fold(SchemeCounts::default(), Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(correct: u64, incorrect: u64, partial: u64, missed: u64, spurious: u64) -> Counts {
        Counts {
            correct,
            incorrect,
            partial,
            missed,
            spurious,
        }
    }

    #[test]
    fn ratios_table() {
        // (name, counts, precision, recall, f1)
        let rows = [
            ("empty", c(0, 0, 0, 0, 0), 0.0, 0.0, 0.0),
            ("only missed", c(0, 0, 0, 3, 0), 0.0, 0.0, 0.0),
            ("only spurious", c(0, 0, 0, 0, 2), 0.0, 0.0, 0.0),
            ("perfect", c(4, 0, 0, 0, 0), 1.0, 1.0, 1.0),
            ("half credit", c(1, 0, 2, 1, 0), 2.0 / 3.0, 0.5, 4.0 / 7.0),
            ("mixed", c(2, 1, 0, 1, 1), 0.5, 0.5, 0.5),
        ];
        for (name, k, p, r, f) in rows {
            let s = k.scores();
            assert!((s.precision - p).abs() < 1e-12, "{name}: P {}", s.precision);
            assert!((s.recall - r).abs() < 1e-12, "{name}: R {}", s.recall);
            assert!((s.f1 - f).abs() < 1e-12, "{name}: F1 {}", s.f1);
            assert!(!s.precision.is_nan() && !s.recall.is_nan() && !s.f1.is_nan());
        }
    }

    #[test]
    fn possible_actual_and_sums() {
        let a = c(1, 2, 3, 4, 5);
        assert_eq!(a.possible(), 10);
        assert_eq!(a.actual(), 11);
        let total: Counts = [a, a, Counts::default()].iter().sum();
        assert_eq!(total, a + a);
        let mut b = a;
        b += a;
        assert_eq!(b, total);
    }

    #[test]
    fn macro_is_the_mean_of_label_scores() {
        let sc = SchemeCounts {
            by_label: [c(1, 0, 0, 0, 0), c(0, 0, 0, 1, 1), Counts::default()],
        };
        let m = sc.macro_scores();
        assert!((m.precision - 1.0 / 3.0).abs() < 1e-12);
        assert!((m.f1 - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(sc.overall(), c(1, 0, 0, 1, 1));
        assert_eq!(sc.label(Label::Actor), c(1, 0, 0, 0, 0));
        assert_eq!((sc + sc).overall(), c(2, 0, 0, 2, 2));
    }
}
