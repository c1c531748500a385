//! The five scoring schemes.

use std::fmt;
use std::str::FromStr;

/// How a gold–predicted pair is judged: which of boundaries, label and norm must agree.
///
/// The first four follow SemEval-2013 Task 9.1 as implemented by Python's `nervaluate`
/// (`strict`, `exact`, `partial`, `ent_type`); [`Scheme::Norm`] adds entity linking on top of
/// strict. The default is [`Scheme::Strict`], the one headline number reports lead with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scheme {
    /// Same boundaries and same label; anything else paired is incorrect.
    #[default]
    Strict,
    /// Same boundaries, label ignored: measures segmentation alone.
    Exact,
    /// Same boundaries is correct; an overlap with other boundaries earns half credit
    /// (counted as `partial`), whatever the labels.
    Partial,
    /// An overlap with the same label is correct, boundaries ignored: measures typing alone.
    Type,
    /// Strict and the same norm: the mention is found *and* linked to the right entity.
    Norm,
}

impl Scheme {
    /// Every scheme, in the order reports list them.
    pub const ALL: [Scheme; 5] = [
        Scheme::Strict,
        Scheme::Exact,
        Scheme::Partial,
        Scheme::Type,
        Scheme::Norm,
    ];

    /// The number of schemes, for per-scheme arrays.
    pub const COUNT: usize = Scheme::ALL.len();

    /// The scheme's name in flags and reports: `strict`, `exact`, `partial`, `type`, `norm`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Strict => "strict",
            Scheme::Exact => "exact",
            Scheme::Partial => "partial",
            Scheme::Type => "type",
            Scheme::Norm => "norm",
        }
    }

    /// A small dense index (0 to 4, in [`Scheme::ALL`] order), for per-scheme arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Scheme`]: the string that names no scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownScheme(pub String);

impl fmt::Display for UnknownScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown scheme {:?} (expected strict, exact, partial, type or norm)",
            self.0
        )
    }
}

impl std::error::Error for UnknownScheme {}

impl FromStr for Scheme {
    type Err = UnknownScheme;

    /// Parses a name from [`Scheme::as_str`]; `ent_type` (nervaluate's name) is accepted for
    /// [`Scheme::Type`] so that its users are not surprised.
    fn from_str(s: &str) -> Result<Scheme, UnknownScheme> {
        match s {
            "strict" => Ok(Scheme::Strict),
            "exact" => Ok(Scheme::Exact),
            "partial" => Ok(Scheme::Partial),
            "type" | "ent_type" => Ok(Scheme::Type),
            "norm" => Ok(Scheme::Norm),
            _ => Err(UnknownScheme(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_index() {
        for (i, s) in Scheme::ALL.into_iter().enumerate() {
            assert_eq!(s.index(), i);
            assert_eq!(s.as_str().parse::<Scheme>(), Ok(s));
        }
        assert_eq!("ent_type".parse::<Scheme>(), Ok(Scheme::Type));
        let err = "Strict".parse::<Scheme>().unwrap_err();
        assert!(err.to_string().contains("\"Strict\""));
    }
}
