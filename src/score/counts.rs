//! Counts of outcomes and the precision, recall and F1 derived from them.

use std::iter::Sum;
use std::ops::{Add, AddAssign};

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
}
