//! The one "per scheme x per label" container: [`PerScheme`] of [`ByLabel`].
//!
//! [`ByLabel`] is keyed by [`Label`] and keeps an order: the gold's declared labels first
//! (all of them, even those without a mention), then labels seen only in predictions, sorted
//! by name ([`crate::LabelSet::report_order`]). Macro averages are over the declared part.
//! Both serialize as JSON maps in their order (scheme name or label name to value), which is
//! the shape the report, the baseline and the comparison share.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Add, AddAssign, Index, IndexMut};

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::counts::{Counts, Scores};
use super::scheme::Scheme;
use crate::label::Label;

/// One value per scheme, in [`Scheme::ALL`] order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PerScheme<T>([T; Scheme::COUNT]);

impl<T> PerScheme<T> {
    /// The value of each scheme from `f`.
    pub fn from_fn(f: impl FnMut(Scheme) -> T) -> PerScheme<T> {
        PerScheme(Scheme::ALL.map(f))
    }

    /// The value of one scheme.
    pub fn get(&self, scheme: Scheme) -> &T {
        &self.0[scheme.index()]
    }

    /// Each scheme with its value, in order.
    pub fn iter(&self) -> impl Iterator<Item = (Scheme, &T)> {
        Scheme::ALL.into_iter().zip(&self.0)
    }

    /// A value per scheme made from this one's.
    pub fn map<U>(&self, mut f: impl FnMut(Scheme, &T) -> U) -> PerScheme<U> {
        PerScheme::from_fn(|s| f(s, self.get(s)))
    }
}

impl<T> Index<Scheme> for PerScheme<T> {
    type Output = T;

    fn index(&self, scheme: Scheme) -> &T {
        self.get(scheme)
    }
}

impl<T> IndexMut<Scheme> for PerScheme<T> {
    fn index_mut(&mut self, scheme: Scheme) -> &mut T {
        &mut self.0[scheme.index()]
    }
}

impl<T: Serialize> Serialize for PerScheme<T> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(Some(Scheme::COUNT))?;
        for (s, v) in self.iter() {
            m.serialize_entry(s.as_str(), v)?;
        }
        m.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PerScheme<T> {
    /// A map with every scheme once, in any order; an unknown or missing scheme is an error.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PerScheme<T>, D::Error> {
        let entries: Vec<(String, T)> = d.deserialize_map(Entries(PhantomData))?;
        let mut slots: [Option<T>; Scheme::COUNT] = Default::default();
        for (name, v) in entries {
            let s: Scheme = name.parse().map_err(serde::de::Error::custom)?;
            if slots[s.index()].replace(v).is_some() {
                return Err(serde::de::Error::custom(format!(
                    "scheme `{s}` given twice"
                )));
            }
        }
        let mut out = Vec::with_capacity(Scheme::COUNT);
        for (s, v) in Scheme::ALL.into_iter().zip(slots) {
            out.push(v.ok_or_else(|| serde::de::Error::missing_field(s.as_str()))?);
        }
        match <[T; Scheme::COUNT]>::try_from(out) {
            Ok(a) => Ok(PerScheme(a)),
            Err(_) => unreachable!("one value per scheme"),
        }
    }
}

/// One value per label, keyed by [`Label`], in report order: the first
/// [`declared`](ByLabel::declared_len) entries are the gold's declared labels, the rest labels
/// seen only in predictions.
///
/// While counting, entries are added in the order labels are met ([`ByLabel::entry`]);
/// [`ByLabel::ordered`] then puts them in report order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ByLabel<T> {
    entries: Vec<(Label, T)>,
    declared: usize,
}

impl<T> Default for ByLabel<T> {
    fn default() -> ByLabel<T> {
        ByLabel {
            entries: Vec::new(),
            declared: 0,
        }
    }
}

impl<T> ByLabel<T> {
    /// Labels and values in order; the first `declared` are the gold's declared labels.
    pub fn from_entries(entries: Vec<(Label, T)>, declared: usize) -> ByLabel<T> {
        let declared = declared.min(entries.len());
        ByLabel { entries, declared }
    }

    /// The value of `label`, if it has one.
    pub fn get(&self, label: Label) -> Option<&T> {
        self.entries.iter().find(|e| e.0 == label).map(|e| &e.1)
    }

    /// Each label with its value, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (Label, &T)> {
        self.entries.iter().map(|(l, v)| (*l, v))
    }

    /// The labels, in order.
    pub fn labels(&self) -> impl ExactSizeIterator<Item = Label> + '_ {
        self.entries.iter().map(|e| e.0)
    }

    /// The values of the gold's declared labels, in order.
    pub fn declared(&self) -> impl ExactSizeIterator<Item = (Label, &T)> {
        self.entries[..self.declared].iter().map(|(l, v)| (*l, v))
    }

    /// How many of the labels are the gold's declared labels.
    pub fn declared_len(&self) -> usize {
        self.declared
    }

    /// How many labels.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is no label.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A value per label made from this one's, in the same order.
    pub fn map<U>(&self, mut f: impl FnMut(Label, &T) -> U) -> ByLabel<U> {
        ByLabel {
            entries: self.entries.iter().map(|(l, v)| (*l, f(*l, v))).collect(),
            declared: self.declared,
        }
    }
}

impl<T> ByLabel<T> {
    /// Sorts the entries by label name (so that the order does not depend on the order in
    /// which labels were met); none is marked as declared.
    pub fn sort_by_label(&mut self) {
        self.entries.sort_by_key(|e| e.0);
        self.declared = 0;
    }
}

impl<T: Default> ByLabel<T> {
    /// The value of `label`, added last with the default value when missing.
    pub fn entry(&mut self, label: Label) -> &mut T {
        let i = match self.entries.iter().position(|e| e.0 == label) {
            Some(i) => i,
            None => {
                self.entries.push((label, T::default()));
                self.entries.len() - 1
            }
        };
        &mut self.entries[i].1
    }

    /// The same values in `order` (labels missing here get the default value; labels here
    /// that `order` lacks are dropped), the first `declared` of `order` marked as declared.
    pub fn ordered(mut self, order: &[Label], declared: usize) -> ByLabel<T> {
        let entries = order
            .iter()
            .map(|&l| {
                let v = match self.entries.iter().position(|e| e.0 == l) {
                    Some(i) => std::mem::take(&mut self.entries[i].1),
                    None => T::default(),
                };
                (l, v)
            })
            .collect();
        ByLabel::from_entries(entries, declared)
    }
}

impl<T: Default + AddAssign> AddAssign for ByLabel<T> {
    /// Adds label by label; labels new to `self` are added last.
    fn add_assign(&mut self, o: ByLabel<T>) {
        for (l, v) in o.entries {
            *self.entry(l) += v;
        }
        self.declared = self.declared.max(o.declared.min(self.entries.len()));
    }
}

impl<T: Default + AddAssign> Add for ByLabel<T> {
    type Output = ByLabel<T>;

    fn add(mut self, o: ByLabel<T>) -> ByLabel<T> {
        self += o;
        self
    }
}

impl<T: Serialize> Serialize for ByLabel<T> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(Some(self.entries.len()))?;
        for (l, v) in &self.entries {
            m.serialize_entry(l.as_str(), v)?;
        }
        m.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ByLabel<T> {
    /// A map from label names to values, in the file's order, every label taken as declared.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ByLabel<T>, D::Error> {
        let entries: Vec<(String, T)> = d.deserialize_map(Entries(PhantomData))?;
        let mut out: Vec<(Label, T)> = Vec::with_capacity(entries.len());
        for (name, v) in entries {
            let l = Label::new(&name).map_err(serde::de::Error::custom)?;
            if out.iter().any(|e| e.0 == l) {
                return Err(serde::de::Error::custom(format!("label `{l}` given twice")));
            }
            out.push((l, v));
        }
        let n = out.len();
        Ok(ByLabel::from_entries(out, n))
    }
}

/// Reads a map as its entries, in order.
struct Entries<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<T> {
    type Value = Vec<(String, T)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((k, v)) = map.next_entry::<String, T>()? {
            out.push((k, v));
        }
        Ok(out)
    }
}

/// The counts of one scheme, one entry per label.
pub type SchemeCounts = ByLabel<Counts>;

impl ByLabel<Counts> {
    /// The counts of one label (zero for a label without an entry).
    pub fn label(&self, label: Label) -> Counts {
        self.get(label).copied().unwrap_or_default()
    }

    /// Micro totals: the sum over every label, declared or not.
    pub fn overall(&self) -> Counts {
        self.entries.iter().map(|e| e.1).sum()
    }

    /// Macro averages: the unweighted mean of the gold's declared labels' scores (a
    /// declared label without any mention counts, with scores of 0). Zero when no label is
    /// declared.
    pub fn macro_scores(&self) -> Scores {
        let n = self.declared;
        if n == 0 {
            return Scores::default();
        }
        let mut m = Scores::default();
        for (_, c) in self.declared() {
            let s = c.scores();
            m.precision += s.precision;
            m.recall += s.recall;
            m.f1 += s.f1;
        }
        let n = n as f64;
        Scores {
            precision: m.precision / n,
            recall: m.recall / n,
            f1: m.f1 / n,
        }
    }
}

/// Counts per scheme and label.
pub type SchemeTable = PerScheme<SchemeCounts>;

impl SchemeTable {
    /// Sorts every scheme's labels by name (see [`ByLabel::sort_by_label`]).
    pub fn sort_by_label(&mut self) {
        for sc in &mut self.0 {
            sc.sort_by_label();
        }
    }

    /// The same counts in `order`, the first `declared` marked as the gold's.
    pub fn ordered(self, order: &[Label], declared: usize) -> SchemeTable {
        let PerScheme(a) = self;
        PerScheme(a.map(|sc| sc.ordered(order, declared)))
    }
}

impl AddAssign for SchemeTable {
    fn add_assign(&mut self, o: SchemeTable) {
        for (a, b) in self.0.iter_mut().zip(o.0) {
            *a += b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str) -> Label {
        Label::new(s).unwrap()
    }

    fn c(correct: u64, missed: u64, spurious: u64) -> Counts {
        Counts {
            correct,
            missed,
            spurious,
            ..Counts::default()
        }
    }

    #[test]
    fn entries_accumulate_then_take_the_report_order() {
        let mut a = SchemeCounts::default();
        a.entry(l("ORG")).spurious += 1;
        a.entry(l("PER")).correct += 2;
        let mut b = SchemeCounts::default();
        b.entry(l("PER")).missed += 1;
        b.entry(l("LOC")).correct += 1;
        a += b;
        let order = [l("PER"), l("LOC"), l("MISC"), l("ORG")];
        let t = a.ordered(&order, 3);
        let got: Vec<(&str, Counts)> = t.iter().map(|(l, c)| (l.as_str(), *c)).collect();
        assert_eq!(
            got,
            [
                ("PER", c(2, 1, 0)),
                ("LOC", c(1, 0, 0)),
                ("MISC", c(0, 0, 0)),
                ("ORG", c(0, 0, 1))
            ]
        );
        assert_eq!(t.overall(), c(3, 1, 1));
        // Macro over PER (P 1, R 2/3), LOC (1, 1) and MISC (0, 0): ORG is not the gold's.
        let m = t.macro_scores();
        assert!((m.precision - 2.0 / 3.0).abs() < 1e-12, "{m:?}");
        assert!((m.recall - 5.0 / 9.0).abs() < 1e-12, "{m:?}");
        assert_eq!(t.label(l("NOPE")), Counts::default());
        assert_eq!(SchemeCounts::default().macro_scores(), Scores::default());
    }

    #[test]
    fn serializes_as_ordered_maps_and_reads_back() {
        let t = ByLabel::from_entries(vec![(l("ZED"), 1u64), (l("ALPHA"), 2)], 2);
        let s = serde_json::to_string(&t).unwrap();
        assert_eq!(s, r#"{"ZED":1,"ALPHA":2}"#);
        assert_eq!(serde_json::from_str::<ByLabel<u64>>(&s).unwrap(), t);
        assert!(serde_json::from_str::<ByLabel<u64>>(r#"{"A":1,"A":2}"#)
            .unwrap_err()
            .to_string()
            .contains("given twice"));
        assert!(serde_json::from_str::<ByLabel<u64>>(r#"{"A B":1}"#)
            .unwrap_err()
            .to_string()
            .contains("invalid label"));
        let p = PerScheme::from_fn(|s| s.index());
        let s = serde_json::to_string(&p).unwrap();
        assert_eq!(s, r#"{"strict":0,"exact":1,"partial":2,"type":3,"norm":4}"#);
        assert_eq!(serde_json::from_str::<PerScheme<usize>>(&s).unwrap(), p);
        let missing = serde_json::from_str::<PerScheme<usize>>(r#"{"strict":0}"#);
        assert!(missing
            .unwrap_err()
            .to_string()
            .contains("missing field `exact`"));
    }
}
