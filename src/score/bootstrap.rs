//! Confidence intervals and significance over resampling units (paragraphs or documents).
//!
//! - **Paired bootstrap** (Koehn 2004; Berg-Kirkpatrick et al. 2012): draw as many units as
//!   there are, with replacement, the same draw for every system; sum each system's counts over
//!   the drawn units and recompute F1 from the sums (not an average of per-unit F1s). The 95%
//!   interval is the 2.5th and 97.5th percentile of the resampled F1s.
//! - **Paired approximate randomisation**: under the null hypothesis the two systems'
//!   outputs on a unit are exchangeable; each shuffle swaps them on every unit with
//!   probability ½ and recomputes the absolute F1 difference. The p-value is
//!   `(1 + #{shuffled ≥ observed}) / (1 + shuffles)`: identical systems give exactly 1.
//!
//! Randomness comes from a SplitMix64 generator seeded by the caller: the same seed gives the same
//! numbers on every platform, so reports are reproducible byte for byte.

use crate::score::Counts;

/// A small deterministic random generator (SplitMix64).
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..n` (`n > 0`), without modulo bias.
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return (x % n) as usize;
            }
        }
    }

    /// A fair coin.
    pub fn coin(&mut self) -> bool {
        self.next_u64() >> 63 == 1
    }
}

/// A closed interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

/// 95% paired-bootstrap intervals of F1 for several systems at once.
///
/// `systems[s][u]` are system `s`'s counts on unit `u`; every system must have the same
/// units. `f1` turns summed counts into the statistic (e.g. [`Counts::f1`]). `progress` is
/// called after each resample with the number done.
pub fn bootstrap_f1(
    systems: &[Vec<Counts>],
    resamples: usize,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> Vec<Interval> {
    let units = systems.first().map(Vec::len).unwrap_or(0);
    if units == 0 || resamples == 0 {
        return systems
            .iter()
            .map(|s| {
                let f = s.iter().copied().sum::<Counts>().f1();
                Interval { lo: f, hi: f }
            })
            .collect();
    }
    let mut rng = Rng::new(seed);
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); systems.len()];
    let mut sums = vec![Counts::default(); systems.len()];
    for r in 0..resamples {
        sums.iter_mut().for_each(|s| *s = Counts::default());
        for _ in 0..units {
            let u = rng.below(units);
            for (s, sys) in systems.iter().enumerate() {
                sums[s] += sys[u];
            }
        }
        for (s, sum) in sums.iter().enumerate() {
            samples[s].push(sum.f1());
        }
        progress(r + 1);
    }
    samples
        .into_iter()
        .map(|mut v| {
            v.sort_by(f64::total_cmp);
            Interval {
                lo: percentile(&v, 0.025),
                hi: percentile(&v, 0.975),
            }
        })
        .collect()
}

/// The 95% paired-bootstrap interval of the F1 difference `F1(b) − F1(a)`, where `a[u]` and
/// `b[u]` are two measurements of the same unit `u` (a system on clean and on perturbed text,
/// or two systems): each resample draws units with replacement, sums both sides' counts
/// over the same draw and takes the difference of the two F1s. With no units or no
/// resamples the interval is the observed difference.
pub fn bootstrap_f1_difference(
    a: &[Counts],
    b: &[Counts],
    resamples: usize,
    seed: u64,
) -> Interval {
    assert_eq!(a.len(), b.len(), "paired measurements need the same units");
    let total = |c: &[Counts]| c.iter().copied().sum::<Counts>().f1();
    let observed = total(b) - total(a);
    let units = a.len();
    if units == 0 || resamples == 0 {
        return Interval {
            lo: observed,
            hi: observed,
        };
    }
    let mut rng = Rng::new(seed);
    let mut samples = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let (mut sa, mut sb) = (Counts::default(), Counts::default());
        for _ in 0..units {
            let u = rng.below(units);
            sa += a[u];
            sb += b[u];
        }
        samples.push(sb.f1() - sa.f1());
    }
    samples.sort_by(f64::total_cmp);
    Interval {
        lo: percentile(&samples, 0.025),
        hi: percentile(&samples, 0.975),
    }
}

/// The `q` quantile of sorted values, by linear interpolation between closest ranks.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos - pos.floor());
    let j = (i + 1).min(sorted.len() - 1);
    sorted[i] + (sorted[j] - sorted[i]) * frac
}

/// The p-value of the F1 difference between two systems by paired approximate
/// randomisation over units (`a[u]`, `b[u]` are their counts on unit `u`).
pub fn randomization_test(
    a: &[Counts],
    b: &[Counts],
    shuffles: usize,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> f64 {
    assert_eq!(a.len(), b.len(), "paired systems need the same units");
    let total = |c: &[Counts]| c.iter().copied().sum::<Counts>();
    let observed = (total(a).f1() - total(b).f1()).abs();
    let mut rng = Rng::new(seed);
    let mut at_least = 0usize;
    for k in 0..shuffles {
        let (mut sa, mut sb) = (Counts::default(), Counts::default());
        for (x, y) in a.iter().zip(b) {
            if rng.coin() {
                sa += *y;
                sb += *x;
            } else {
                sa += *x;
                sb += *y;
            }
        }
        // A tolerance for float noise: an exchange that changes nothing must count.
        if (sa.f1() - sb.f1()).abs() >= observed - 1e-12 {
            at_least += 1;
        }
        progress(k + 1);
    }
    (at_least + 1) as f64 / (shuffles + 1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(correct: u64, missed: u64, spurious: u64) -> Counts {
        Counts {
            correct,
            missed,
            spurious,
            ..Counts::default()
        }
    }

    #[test]
    fn rng_is_deterministic_and_uniform_enough() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        let mut r = Rng::new(1);
        let mut hist = [0usize; 4];
        for _ in 0..40_000 {
            hist[r.below(4)] += 1;
        }
        assert!(
            hist.iter().all(|&h| (9_000..11_000).contains(&h)),
            "{hist:?}"
        );
    }

    #[test]
    fn identical_systems_give_p_one() {
        let a: Vec<Counts> = (0..20).map(|i| c(i % 5, 1, i % 3)).collect();
        let p = randomization_test(&a, &a.clone(), 1000, 3, |_| {});
        assert_eq!(p, 1.0);
    }

    #[test]
    fn better_on_every_unit_gives_a_small_p() {
        let a: Vec<Counts> = (0..40).map(|_| c(9, 1, 0)).collect();
        let b: Vec<Counts> = (0..40).map(|_| c(5, 5, 3)).collect();
        let p = randomization_test(&a, &b, 2000, 3, |_| {});
        assert!(p < 0.001, "{p}");
        // The smallest possible p with 2000 shuffles.
        assert!((p - 1.0 / 2001.0).abs() < 1e-12, "{p}");
    }

    #[test]
    fn bootstrap_interval_brackets_the_point_estimate() {
        let a: Vec<Counts> = (0..30).map(|i| c(5 + i % 4, i % 3, i % 2)).collect();
        let point = a.iter().copied().sum::<Counts>().f1();
        let ci = bootstrap_f1(std::slice::from_ref(&a), 1000, 11, |_| {})[0];
        assert!(ci.lo <= point && point <= ci.hi, "{ci:?} vs {point}");
        assert!(ci.hi - ci.lo > 0.0);
        // Same seed, same interval.
        assert_eq!(bootstrap_f1(&[a], 1000, 11, |_| {})[0], ci);
    }

    #[test]
    fn constant_units_give_a_zero_width_interval() {
        let a: Vec<Counts> = (0..10).map(|_| c(3, 1, 1)).collect();
        let ci = bootstrap_f1(&[a], 200, 1, |_| {})[0];
        assert!((ci.hi - ci.lo).abs() < 1e-12);
        assert!((ci.lo - 0.75).abs() < 1e-12);
    }

    #[test]
    fn no_units_gives_the_point_estimate() {
        let ci = bootstrap_f1(&[vec![]], 100, 1, |_| {})[0];
        assert_eq!(ci, Interval { lo: 0.0, hi: 0.0 });
    }

    #[test]
    fn difference_interval_is_paired() {
        // b is a with one correct mention turned into a miss on every unit: every resample's
        // difference is negative.
        let a: Vec<Counts> = (0..30).map(|i| c(4 + i % 7, i % 2, i % 3)).collect();
        let b: Vec<Counts> = a
            .iter()
            .map(|x| c(x.correct - 1, x.missed + 1, x.spurious))
            .collect();
        let observed =
            b.iter().copied().sum::<Counts>().f1() - a.iter().copied().sum::<Counts>().f1();
        let d = bootstrap_f1_difference(&a, &b, 1000, 5);
        assert!(d.lo <= observed && observed <= d.hi, "{d:?} vs {observed}");
        assert!(d.hi < 0.0, "{d:?}");
        // Pairing removes the units' shared variation: the difference's interval is
        // narrower than either side's own.
        let each = bootstrap_f1(&[a.clone(), b.clone()], 1000, 5, |_| {});
        assert!(d.hi - d.lo < each[0].hi - each[0].lo, "{d:?} {each:?}");
        assert!(d.hi - d.lo < each[1].hi - each[1].lo, "{d:?} {each:?}");
        // The same measurements on both sides: exactly zero.
        let z = bootstrap_f1_difference(&a, &a, 500, 5);
        assert_eq!((z.lo, z.hi), (0.0, 0.0));
        // Deterministic, and the point estimate without resamples.
        assert_eq!(bootstrap_f1_difference(&a, &b, 1000, 5), d);
        let p = bootstrap_f1_difference(&a, &b, 0, 5);
        assert_eq!((p.lo, p.hi), (observed, observed));
    }

    #[test]
    fn percentile_interpolates() {
        assert_eq!(percentile(&[0.0, 1.0], 0.5), 0.5);
        assert_eq!(percentile(&[2.0], 0.975), 2.0);
    }
}
