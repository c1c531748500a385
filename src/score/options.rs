//! The knobs of scoring: how much overlap makes a pair.

use std::fmt;
use std::str::FromStr;

/// The least share of a gold mention's length that an overlapping prediction must cover to be
/// paired with it (nervaluate's `min_overlap_percentage` / 100): `0 < F <= 1`.
///
/// Kept as an exact decimal fraction (at most 9 decimals), so that "covers at least F" is
/// decided in integers: `overlap × den >= num × gold length`. `0.5` pairs a prediction
/// covering 2 of a 4-unit gold mention, `0.75` does not.
///
/// ```
/// use tagbench::score::MinOverlap;
///
/// let f: MinOverlap = "0.5".parse()?;
/// assert!(f.covers(2, 4) && !f.covers(1, 4));
/// assert_eq!(f.to_string(), "0.5");
/// assert!("0".parse::<MinOverlap>().is_err() && "1.5".parse::<MinOverlap>().is_err());
/// # Ok::<(), tagbench::score::InvalidMinOverlap>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MinOverlap {
    num: u64,
    den: u64,
}

impl MinOverlap {
    /// The most decimals a threshold may have.
    pub const MAX_DECIMALS: usize = 9;

    /// Whether `overlap` units cover at least this share of a gold mention of `gold_len`
    /// units.
    pub fn covers(self, overlap: usize, gold_len: usize) -> bool {
        overlap as u128 * self.den as u128 >= self.num as u128 * gold_len as u128
    }

    /// The threshold as a float (for display and bindings).
    pub fn as_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

impl fmt::Display for MinOverlap {
    /// The shortest decimal: `0.5`, `1`, `0.125`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (int, mut frac, mut den) = (self.num / self.den, self.num % self.den, self.den);
        if frac == 0 {
            return write!(f, "{int}");
        }
        let mut digits = String::new();
        while frac != 0 {
            den /= 10;
            digits.push(char::from(b'0' + (frac / den) as u8));
            frac %= den;
        }
        write!(f, "{int}.{digits}")
    }
}

/// The error of reading a [`MinOverlap`]: what was given, and why it is not one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidMinOverlap {
    given: String,
    why: &'static str,
}

impl fmt::Display for InvalidMinOverlap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid minimum overlap {:?}: {} (a share of the gold mention's length, 0 < F <= 1, \
             such as 0.5)",
            self.given, self.why
        )
    }
}

impl std::error::Error for InvalidMinOverlap {}

impl FromStr for MinOverlap {
    type Err = InvalidMinOverlap;

    /// Reads a decimal number such as `0.5`, `.25` or `1`.
    fn from_str(s: &str) -> Result<MinOverlap, InvalidMinOverlap> {
        let err = |why| InvalidMinOverlap {
            given: s.to_string(),
            why,
        };
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
            return Err(err("not a decimal number"));
        }
        if frac.len() > MinOverlap::MAX_DECIMALS {
            return Err(err("more than 9 decimals"));
        }
        let int = int.trim_start_matches('0');
        if int.len() > 1 || int > "1" {
            return Err(err("more than 1"));
        }
        let den = 10u64.pow(frac.len() as u32);
        let frac_value: u64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| err("not a decimal number"))?
        };
        let num = if int == "1" { den } else { 0 } + frac_value;
        if num == 0 {
            return Err(err("not more than 0"));
        }
        if num > den {
            return Err(err("more than 1"));
        }
        // Lowest terms in powers of ten, so that equal values compare equal.
        let (mut num, mut den) = (num, den);
        while den > 1 && num % 10 == 0 {
            num /= 10;
            den /= 10;
        }
        Ok(MinOverlap { num, den })
    }
}

/// How spans are paired and judged, beyond the fixed rules of the [module docs](super).
///
/// The default pairs any overlap (SemEval 2013).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ScoreOptions {
    /// Pair overlapping spans only when the overlap covers at least this share of the gold
    /// mention (`--min-overlap`); none: any overlap. Spans with the same boundaries always
    /// cover all of it.
    pub min_overlap: Option<MinOverlap>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_table() {
        // (given, the value as num/den, or the reason it is refused)
        type Row = (&'static str, Result<(u64, u64), &'static str>);
        let rows: [Row; 16] = [
            ("0.5", Ok((5, 10))),
            (".5", Ok((5, 10))),
            ("0.50", Ok((5, 10))),
            ("1", Ok((1, 1))),
            ("1.0", Ok((1, 1))),
            ("01", Ok((1, 1))),
            ("0.333", Ok((333, 1000))),
            ("0.000000001", Ok((1, 1_000_000_000))),
            ("0", Err("not more than 0")),
            ("0.0", Err("not more than 0")),
            ("1.01", Err("more than 1")),
            ("2", Err("more than 1")),
            ("10", Err("more than 1")),
            ("0.0000000001", Err("more than 9 decimals")),
            ("-0.5", Err("not a decimal number")),
            ("5e-1", Err("not a decimal number")),
        ];
        for (given, want) in rows {
            let got = given
                .parse::<MinOverlap>()
                .map(|m| (m.num, m.den))
                .map_err(|e| e.why);
            assert_eq!(got, want, "{given}");
        }
        for bad in ["", ".", "x", "0.5 ", "½"] {
            assert!(bad.parse::<MinOverlap>().is_err(), "{bad:?}");
        }
        let e = "1.5".parse::<MinOverlap>().unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid minimum overlap \"1.5\": more than 1 (a share of the gold mention's length, \
             0 < F <= 1, such as 0.5)"
        );
    }

    #[test]
    fn covers_and_display() {
        let m = |s: &str| s.parse::<MinOverlap>().unwrap();
        // (threshold, overlap, gold length, covered)
        let rows = [
            ("0.5", 2, 4, true),
            ("0.5", 1, 4, false),
            ("0.29", 29, 100, true),
            ("0.29", 28, 100, false),
            ("1", 4, 4, true),
            ("1", 3, 4, false),
            ("0.333", 1, 3, true),
            ("0.334", 1, 3, false),
        ];
        for (f, o, g, want) in rows {
            assert_eq!(m(f).covers(o, g), want, "{f} {o}/{g}");
        }
        for s in ["0.5", "1", "0.125", "0.000000001", "0.29"] {
            assert_eq!(m(s).to_string(), s);
        }
        assert_eq!(m("0.50").to_string(), "0.5");
        assert_eq!(m("0.25").as_f64(), 0.25);
    }
}
