//! Thresholds: the F1 figures an evaluation must reach (`--fail-under`), for CI gates.
//!
//! A threshold is a comma-separated list of terms:
//!
//! | term | the figure |
//! |---|---|
//! | `0.9` | overall strict F1 |
//! | `partial=0.8` | overall F1 of a scheme |
//! | `strict:ACTOR=0.9` | one label's F1 in a scheme |
//!
//! A figure below its bound fails; [`Thresholds::check`] names every figure that did.

use std::fmt;
use std::str::FromStr;

use crate::label::Label;
use crate::score::{Evaluation, Scheme};

/// One bound on one F1 figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Threshold {
    /// The scheme (strict when the term names none).
    pub scheme: Scheme,
    /// The label, or `None` for the micro-averaged overall figure.
    pub label: Option<Label>,
    /// The lowest F1 that passes, in 0..=1.
    pub min: f64,
}

/// Every bound of a `--fail-under`, in the order given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Thresholds(pub Vec<Threshold>);

/// A figure that is under its bound.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The bound.
    pub threshold: Threshold,
    /// The figure reached; `None` when the scheme does not apply (the norm scheme of
    /// predictions without norms), which fails a bound rather than pass it unseen.
    pub f1: Option<f64>,
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.label {
            None => write!(f, "{} F1 overall", self.scheme),
            Some(l) => write!(f, "{} F1 of {l}", self.scheme),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.f1 {
            Some(x) => write!(
                f,
                "{} is {x:.4}, under {}",
                self.threshold, self.threshold.min
            ),
            None => write!(
                f,
                "{} is n/a (the predictions carry no norms), so not at least {}",
                self.threshold, self.threshold.min
            ),
        }
    }
}

/// Why a threshold could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidThreshold(pub String);

impl fmt::Display for InvalidThreshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidThreshold {}

impl FromStr for Thresholds {
    type Err = InvalidThreshold;

    fn from_str(s: &str) -> Result<Thresholds, InvalidThreshold> {
        let mut out = Vec::new();
        for term in s.split(',') {
            let term = term.trim();
            let bad = |why: String| {
                InvalidThreshold(format!(
                    "threshold term {term:?}: {why} (expected F1, SCHEME=F1 or \
                     SCHEME:LABEL=F1, as 0.9 or strict:ACTOR=0.9)"
                ))
            };
            let (figure, value) = match term.rsplit_once('=') {
                Some((f, v)) => (Some(f.trim()), v.trim()),
                None => (None, term),
            };
            let min: f64 = value
                .parse()
                .map_err(|_| bad(format!("{value:?} is not a number")))?;
            if !(0.0..=1.0).contains(&min) {
                return Err(bad(format!("{value} is not between 0 and 1")));
            }
            let (scheme, label) = match figure {
                None => (Scheme::Strict, None),
                Some(f) => {
                    let (scheme, label) = match f.split_once(':') {
                        Some((s, l)) => (s.trim(), Some(l.trim())),
                        None => (f, None),
                    };
                    let scheme: Scheme = scheme.parse().map_err(|e| bad(format!("{e}")))?;
                    let label = match label {
                        None | Some("overall") => None,
                        Some(l) => Some(l.parse::<Label>().map_err(|e| bad(format!("{e}")))?),
                    };
                    (scheme, label)
                }
            };
            out.push(Threshold { scheme, label, min });
        }
        Ok(Thresholds(out))
    }
}

impl Thresholds {
    /// True when there is no bound.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The figures of `evaluation` under their bounds, in the order the bounds were given.
    pub fn check(&self, evaluation: &Evaluation) -> Vec<Failure> {
        self.0
            .iter()
            .filter_map(|t| {
                if !evaluation.applicable(t.scheme) {
                    return Some(Failure {
                        threshold: *t,
                        f1: None,
                    });
                }
                let counts = evaluation.counts(t.scheme);
                let f1 = match t.label {
                    None => counts.overall().f1(),
                    Some(l) => counts.label(l).f1(),
                };
                (f1 < t.min).then_some(Failure {
                    threshold: *t,
                    f1: Some(f1),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_read_and_bad_ones_named() {
        let t: Thresholds = "0.9, partial=0.8,strict:ACTOR=0.75,exact:overall=1"
            .parse()
            .unwrap();
        let actor: Label = "ACTOR".parse().unwrap();
        assert_eq!(
            t.0,
            [
                Threshold {
                    scheme: Scheme::Strict,
                    label: None,
                    min: 0.9
                },
                Threshold {
                    scheme: Scheme::Partial,
                    label: None,
                    min: 0.8
                },
                Threshold {
                    scheme: Scheme::Strict,
                    label: Some(actor),
                    min: 0.75
                },
                Threshold {
                    scheme: Scheme::Exact,
                    label: None,
                    min: 1.0
                },
            ]
        );
        for (src, want) in [
            ("high", "threshold term \"high\": \"high\" is not a number"),
            ("1.5", "threshold term \"1.5\": 1.5 is not between 0 and 1"),
            (
                "strictt=0.9",
                "threshold term \"strictt=0.9\": unknown scheme",
            ),
            (
                "strict:AC TOR=0.9",
                "threshold term \"strict:AC TOR=0.9\": ",
            ),
            ("0.9,", "threshold term \"\": \"\" is not a number"),
        ] {
            let got = src.parse::<Thresholds>().unwrap_err().to_string();
            assert!(got.starts_with(want), "{src}: {got}");
            assert!(got.ends_with("as 0.9 or strict:ACTOR=0.9)"), "{got}");
        }
    }
}
