//! Labels, the norms they carry, and the label set a dataset declares.
//!
//! A [`Label`] is an interned name: a `u32` id into one process-wide, append-only table of
//! names (as rustc's `Symbol`). Equality and hashing compare ids, so hot loops compare
//! integers; [`Ord`] compares names, so sorted output never depends on the order in which
//! labels were first seen. Any name is a label as long as it is non-empty and has no
//! whitespace, control character or comma (it must survive a CSV cell, a brat line and a BIO
//! tag).
//!
//! A [`LabelSet`] is what a dataset *declares*: its labels in order, each with the kind of
//! its [`Norm`] ([`NormKind`]). This repository declares ACTOR, PLACE and FIGURE in
//! `gold/labels.toml` (see [`LabelSet::read`]); a dataset without such a file declares its
//! labels in order of first appearance, every norm a name ([`LabelSet::from_annotations`]).
//! Readers parse each norm by its label's declared kind; a label the set does not declare
//! has names for norms.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, OnceLock, RwLock};

use serde::{Deserialize, Serialize};

use crate::annotations::AnnotationSet;
use crate::error::{Error, Result};
use crate::hash::FastHash;

/// The kind of an entity mention: an interned name such as `ACTOR` or `PER`.
///
/// `Copy`, compared and hashed as an integer, ordered by name. Build one with
/// [`Label::new`] (or `str::parse`); read its name with [`Label::as_str`].
///
/// ```
/// use tagbench::Label;
///
/// let per = Label::new("PER")?;
/// assert_eq!(per, "PER".parse::<Label>()?);
/// assert_eq!(per.as_str(), "PER");
/// assert!(Label::new("LOC")? < per, "ordered by name");
/// assert!(Label::new("two words").is_err());
/// # Ok::<(), tagbench::InvalidLabel>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Label(u32);

/// The process-wide table of label names. Names are leaked: a process sees a handful of
/// labels, and `&'static str` lets [`Label::as_str`] hand them out without a guard.
#[derive(Default)]
struct Interner {
    names: Vec<&'static str>,
    ids: HashMap<&'static str, u32, FastHash>,
}

thread_local! {
    /// This thread's copy of the interned names. The table only grows and its names are
    /// `'static`, so a copy stays right for every label it holds.
    static NAMES: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

fn interner() -> &'static RwLock<Interner> {
    static TABLE: OnceLock<RwLock<Interner>> = OnceLock::new();
    TABLE.get_or_init(Default::default)
}

impl Label {
    /// Interns `name`. Fails when the name is empty or has whitespace, a control character
    /// or a comma.
    pub fn new(name: &str) -> std::result::Result<Label, InvalidLabel> {
        if name.is_empty()
            || name
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == ',')
        {
            return Err(InvalidLabel(name.to_string()));
        }
        // A poisoned lock only means another thread panicked while holding it; the table is
        // append-only and each push is complete before the map is updated, so it is whole.
        if let Some(&id) = interner()
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .ids
            .get(name)
        {
            return Ok(Label(id));
        }
        let mut t = interner().write().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = t.ids.get(name) {
            return Ok(Label(id));
        }
        let id = u32::try_from(t.names.len()).expect("fewer than 2^32 distinct labels");
        let name: &'static str = Box::leak(name.to_string().into_boxed_str());
        t.names.push(name);
        t.ids.insert(name, id);
        Ok(Label(id))
    }

    /// The label's name, as written in files. Takes no lock once this thread has seen the
    /// label (scoring compares labels by name in its sorts: a lock per comparison was most of
    /// its time).
    pub fn as_str(self) -> &'static str {
        let i = self.0 as usize;
        NAMES.with(|names| {
            let cached = names.borrow().get(i).copied();
            cached.unwrap_or_else(|| {
                // A label interned since this thread last looked: copy the new names.
                let table = interner().read().unwrap_or_else(|e| e.into_inner());
                let mut names = names.borrow_mut();
                let known = names.len();
                names.extend_from_slice(&table.names[known..]);
                names[i]
            })
        })
    }
}

impl PartialOrd for Label {
    fn partial_cmp(&self, other: &Label) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Label {
    /// By name, so that order does not depend on interning order.
    fn cmp(&self, other: &Label) -> std::cmp::Ordering {
        if self.0 == other.0 {
            return std::cmp::Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Label {
    type Err = InvalidLabel;

    /// Same as [`Label::new`]. Exact case: `PER` and `per` are two labels.
    fn from_str(s: &str) -> std::result::Result<Label, InvalidLabel> {
        Label::new(s)
    }
}

impl Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Label, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Label::new(&s).map_err(serde::de::Error::custom)
    }
}

/// The error of making a [`Label`]: the name that is not one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidLabel(pub String);

impl fmt::Display for InvalidLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid label {:?} (a label is non-empty, without whitespace, control characters \
             or commas)",
            self.0
        )
    }
}

impl std::error::Error for InvalidLabel {}

/// What a label's norm is, as its [`LabelSet`] declares it. The default is a name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NormKind {
    /// The norm is a canonical name (any text), or empty.
    #[default]
    Name,
    /// The norm is a non-negative integer without separators (a count's value), or empty.
    Integer,
}

/// The canonical value of a mention: an entity name, an integer, or nothing.
///
/// Names are reference-counted so that a tagger can hand out the norm of a gazetteer entry
/// without allocating.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Norm {
    /// No norm: a vague count ("hundreds") or a mention whose entity is unknown.
    #[default]
    None,
    /// A canonical name.
    Name(Arc<str>),
    /// The value of a label whose norm kind is [`NormKind::Integer`].
    Value(u64),
}

impl Norm {
    /// Parses a norm as written in a file, for a mention with `label` whose norm is of
    /// `kind`: an empty string is [`Norm::None`]; an integer norm must be a non-negative
    /// integer without separators; a name is anything.
    pub fn parse(kind: NormKind, label: Label, s: &str) -> std::result::Result<Norm, String> {
        if s.is_empty() {
            return Ok(Norm::None);
        }
        match kind {
            NormKind::Integer => {
                if !s.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!(
                        "{label} norm {s:?} is not an integer without separators"
                    ));
                }
                s.parse::<u64>()
                    .map(Norm::Value)
                    .map_err(|_| format!("{label} norm {s:?} overflows a 64-bit integer"))
            }
            NormKind::Name => Ok(Norm::Name(Arc::from(s))),
        }
    }

    /// True for [`Norm::None`].
    pub fn is_none(&self) -> bool {
        matches!(self, Norm::None)
    }
}

impl fmt::Display for Norm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Norm::None => Ok(()),
            Norm::Name(n) => f.write_str(n),
            Norm::Value(v) => write!(f, "{v}"),
        }
    }
}

/// One declared label: its name, its norm kind and what it is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declared {
    /// The label.
    pub name: Label,
    /// Its norm's kind (default: a name).
    #[serde(default)]
    pub norm: NormKind,
    /// One line saying what it marks (may be empty).
    #[serde(default)]
    pub description: String,
}

/// The labels a dataset declares, in the order reports list them, each with its norm kind.
///
/// An empty set declares nothing: every label is accepted and every norm is a name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSet {
    declared: Vec<Declared>,
}

/// The shape of `labels.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    label: Vec<Declared>,
}

impl LabelSet {
    /// The file name a dataset's label declarations have, beside its annotations.
    pub const FILE_NAME: &'static str = "labels.toml";

    /// A set that declares nothing.
    pub const fn new() -> LabelSet {
        LabelSet {
            declared: Vec::new(),
        }
    }

    /// Declares `label` last, with `norm`. Declaring a label again changes nothing and
    /// returns false.
    pub fn declare(&mut self, label: Label, norm: NormKind) -> bool {
        if self.contains(label) {
            return false;
        }
        self.declared.push(Declared {
            name: label,
            norm,
            description: String::new(),
        });
        true
    }

    /// Reads a `labels.toml` file: an array of `[[label]]` tables with a `name`, an optional
    /// `norm` (`"name"`, the default, or `"integer"`) and an optional `description`.
    ///
    /// ```toml
    /// [[label]]
    /// name = "FIGURE"
    /// norm = "integer"
    /// description = "a cardinal count or amount"
    /// ```
    pub fn read(path: &Path) -> Result<LabelSet> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        LabelSet::from_toml(&bytes).map_err(|e| e.at_path(path))
    }

    /// Reads the `labels.toml` that declares the labels of the dataset at `path`: inside it
    /// when it is a folder, beside it when it is a file. `None` when there is none.
    pub fn find(path: &Path) -> Result<Option<LabelSet>> {
        let file = if path.is_dir() {
            path.join(LabelSet::FILE_NAME)
        } else {
            path.with_file_name(LabelSet::FILE_NAME)
        };
        if !file.is_file() {
            return Ok(None);
        }
        LabelSet::read(&file).map(Some)
    }

    /// Reads label declarations from the bytes of a `labels.toml` (see [`LabelSet::read`]).
    pub fn from_toml(bytes: &[u8]) -> Result<LabelSet> {
        let src = std::str::from_utf8(bytes).map_err(|e| {
            let at = e.valid_up_to();
            Error::invalid(format!("invalid UTF-8 at byte {at}"))
                .at_line(crate::variant::line_of(bytes, at))
        })?;
        let file: File = toml::from_str(src).map_err(|e| crate::variant::toml_error(&e, src))?;
        let mut set = LabelSet::new();
        for d in file.label {
            if set.contains(d.name) {
                return Err(
                    Error::invalid(format!("label {} is declared twice", d.name)).in_field("name"),
                );
            }
            set.declared.push(d);
        }
        Ok(set)
    }

    /// The labels of `annotations` in order of first appearance (documents by id, mentions
    /// by position), every norm a name: the declarations of a dataset without a
    /// `labels.toml`.
    pub fn from_annotations(annotations: &AnnotationSet) -> LabelSet {
        let mut set = LabelSet::new();
        for a in annotations.iter() {
            set.declare(a.span.label, NormKind::Name);
        }
        set
    }

    /// Fails, naming the line, when a mention of `annotations` has a label this set does not
    /// declare (a gold must only use its declared labels).
    pub fn check(&self, annotations: &AnnotationSet) -> Result<()> {
        match annotations.iter().find(|a| !self.contains(a.span.label)) {
            None => Ok(()),
            Some(a) => {
                let names: Vec<&str> = self.labels().map(Label::as_str).collect();
                Err(Error::invalid(format!(
                    "label {} is not declared in {} (which declares {})",
                    a.span.label,
                    LabelSet::FILE_NAME,
                    names.join(", ")
                ))
                .in_field("label")
                .at_line(a.line))
            }
        }
    }

    /// The declared labels, in order.
    pub fn labels(&self) -> impl ExactSizeIterator<Item = Label> + '_ {
        self.declared.iter().map(|d| d.name)
    }

    /// The declarations, in order.
    pub fn declared(&self) -> &[Declared] {
        &self.declared
    }

    /// How many labels are declared.
    pub fn len(&self) -> usize {
        self.declared.len()
    }

    /// True when nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.declared.is_empty()
    }

    /// True when `label` is declared.
    pub fn contains(&self, label: Label) -> bool {
        self.position(label).is_some()
    }

    /// The place of `label` in the declared order.
    pub fn position(&self, label: Label) -> Option<usize> {
        self.declared.iter().position(|d| d.name == label)
    }

    /// The declared norm kind of `label`; a name for a label not declared.
    pub fn norm_kind(&self, label: Label) -> NormKind {
        self.declared_kind(label).unwrap_or_default()
    }

    /// The norm kind of `label` if the set declares it.
    pub fn declared_kind(&self, label: Label) -> Option<NormKind> {
        self.declared
            .iter()
            .find(|d| d.name == label)
            .map(|d| d.norm)
    }

    /// Parses the norm of a mention with `label` by the label's declared kind.
    pub fn parse_norm(&self, label: Label, s: &str) -> std::result::Result<Norm, String> {
        Norm::parse(self.norm_kind(label), label, s)
    }

    /// Gives every norm of `annotations` its label's declared kind, as a reader would have
    /// parsed it: an integer of a label whose norms are names becomes its decimal name, a
    /// name of a label whose norms are integers becomes its value when it is one (and stays
    /// a name, which no value equals, when it is not). For mentions made in memory, such as
    /// a tagger's, before they are scored against a gold read with this set.
    pub fn conform(&self, annotations: &mut AnnotationSet) {
        for a in annotations.iter_mut() {
            let norm = &mut a.span.norm;
            match (self.norm_kind(a.span.label), &*norm) {
                (NormKind::Name, Norm::Value(v)) => *norm = Norm::Name(v.to_string().into()),
                (NormKind::Integer, Norm::Name(n)) => {
                    if let Ok(Norm::Value(v)) = Norm::parse(NormKind::Integer, a.span.label, n) {
                        *norm = Norm::Value(v);
                    }
                }
                _ => {}
            }
        }
    }

    /// The order reports list labels in: the declared labels, then the labels of `seen`
    /// that are not declared, sorted by name.
    pub fn report_order(&self, seen: impl IntoIterator<Item = Label>) -> Vec<Label> {
        let mut extra: Vec<Label> = seen.into_iter().filter(|&l| !self.contains(l)).collect();
        extra.sort();
        extra.dedup();
        self.labels().chain(extra).collect()
    }
}

/// Renames labels before scoring (`--label-map`): `PER=ACTOR,ORG=ACTOR,GPE=PLACE`, and
/// `X=` maps X to nothing, so that its mentions are dropped. A label the map does not name
/// stays as it is. Applied the same way to the gold and to the predictions.
///
/// ```
/// use tagbench::{Label, LabelMap};
///
/// let map: LabelMap = "PER=ACTOR, ORG=ACTOR, MISC=".parse()?;
/// let l = |s| Label::new(s).unwrap();
/// assert_eq!(map.map(l("PER")), Some(l("ACTOR")));
/// assert_eq!(map.map(l("MISC")), None);
/// assert_eq!(map.map(l("LOC")), Some(l("LOC")));
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelMap {
    rules: Vec<(Label, Option<Label>)>,
}

impl LabelMap {
    /// Reads a map from a file: `FROM=TO` rules separated by commas or line breaks; blank
    /// lines and lines starting with `#` are skipped. Errors name the line.
    pub fn read(path: &Path) -> Result<LabelMap> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let src = std::str::from_utf8(&bytes).map_err(|e| {
            let at = e.valid_up_to();
            Error::invalid(format!("invalid UTF-8 at byte {at}"))
                .at_path(path)
                .at_line(crate::variant::line_of(&bytes, at))
        })?;
        let mut map = LabelMap::default();
        for (i, line) in src.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            map.add_rules(line)
                .map_err(|m| Error::invalid(m).at_path(path).at_line(i as u64 + 1))?;
        }
        Ok(map)
    }

    fn add_rules(&mut self, spec: &str) -> std::result::Result<(), String> {
        for rule in spec.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            let Some((from, to)) = rule.split_once('=') else {
                return Err(format!("label map rule {rule:?} is not FROM=TO"));
            };
            let from = Label::new(from.trim()).map_err(|e| e.to_string())?;
            let to = match to.trim() {
                "" => None,
                t => Some(Label::new(t).map_err(|e| e.to_string())?),
            };
            if let Some((_, before)) = self.rules.iter().find(|r| r.0 == from) {
                if *before != to {
                    return Err(format!("label {from} is mapped twice"));
                }
                continue;
            }
            self.rules.push((from, to));
        }
        Ok(())
    }

    /// What `label` becomes: another label, itself, or `None` (dropped).
    pub fn map(&self, label: Label) -> Option<Label> {
        match self.rules.iter().find(|r| r.0 == label) {
            Some((_, to)) => *to,
            None => Some(label),
        }
    }

    /// True when the map has no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Renames the labels of `annotations` and drops the mentions mapped to nothing;
    /// returns how many were dropped.
    pub fn apply(&self, annotations: &mut AnnotationSet) -> usize {
        if self.is_empty() {
            return 0;
        }
        let dropped = annotations.retain(|a| self.map(a.span.label).is_some());
        for a in annotations.iter_mut() {
            if let Some(l) = self.map(a.span.label) {
                a.span.label = l;
            }
        }
        // Positions are unchanged, but the order among equal spans goes by label.
        annotations.sort();
        dropped
    }

    /// The declarations of `labels` renamed: each label's image in the declared order (a
    /// label mapped to nothing is left out; labels mapped onto one keep the first one's norm
    /// kind and description).
    pub fn apply_to_set(&self, labels: &LabelSet) -> LabelSet {
        let mut out = LabelSet::new();
        for d in labels.declared() {
            if let Some(to) = self.map(d.name) {
                if !out.contains(to) {
                    out.declared.push(Declared {
                        name: to,
                        ..d.clone()
                    });
                }
            }
        }
        out
    }
}

impl FromStr for LabelMap {
    type Err = String;

    /// Parses `FROM=TO,FROM=TO,...` (`FROM=` drops FROM).
    fn from_str(s: &str) -> std::result::Result<LabelMap, String> {
        let mut map = LabelMap::default();
        map.add_rules(s)?;
        Ok(map)
    }
}

impl LabelSet {
    /// The labels `keep`, in that order, with their declarations here (a label not declared
    /// here is declared with names for norms): what `--labels A,B` scores.
    pub fn select(&self, keep: &[Label]) -> LabelSet {
        let mut out = LabelSet::new();
        for &l in keep {
            if out.contains(l) {
                continue;
            }
            out.declared
                .push(match self.declared.iter().find(|d| d.name == l) {
                    Some(d) => d.clone(),
                    None => Declared {
                        name: l,
                        norm: NormKind::Name,
                        description: String::new(),
                    },
                });
        }
        out
    }

    /// Drops the mentions of `annotations` whose label this set does not declare; returns
    /// how many were dropped.
    pub fn retain_declared(&self, annotations: &mut AnnotationSet) -> usize {
        annotations.retain(|a| self.contains(a.span.label))
    }
}

/// Parses `--labels A,B,C` into labels (whitespace around names is ignored).
pub fn parse_label_list(s: &str) -> std::result::Result<Vec<Label>, InvalidLabel> {
    s.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(Label::new)
        .collect()
}

/// This repository's label declarations (`gold/labels.toml`), for the library's unit tests.
#[cfg(test)]
pub(crate) fn gold_labels() -> LabelSet {
    LabelSet::from_toml(include_bytes!("../gold/labels.toml")).expect("gold/labels.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str) -> Label {
        Label::new(s).unwrap()
    }

    #[test]
    fn a_name_interned_on_another_thread_is_read_here() {
        // This thread copies the names it knows; a label interned elsewhere afterwards is
        // read (and ordered) all the same, and the labels it knew keep their names.
        let here = l("THREAD_HERE_lbl");
        assert_eq!(here.as_str(), "THREAD_HERE_lbl");
        let there = std::thread::spawn(|| l("THREAD_THERE_lbl")).join().unwrap();
        assert_eq!(there.as_str(), "THREAD_THERE_lbl");
        assert_eq!(here.as_str(), "THREAD_HERE_lbl");
        assert!(here < there);
        assert_eq!(there, l("THREAD_THERE_lbl"));
    }

    #[test]
    fn labels_are_interned_and_ordered_by_name() {
        let zeta = l("ZETA_lbl");
        let alpha = l("ALPHA_lbl");
        assert_eq!(zeta, l("ZETA_lbl"));
        assert_eq!(zeta.as_str(), "ZETA_lbl");
        assert!(alpha < zeta, "interned later, still sorts first");
        assert_eq!(format!("{zeta} {zeta:?}"), "ZETA_lbl ZETA_lbl");
        assert_ne!(l("per"), l("PER"));
        assert_eq!("B-X".parse::<Label>(), Ok(l("B-X")));
    }

    #[test]
    fn invalid_names() {
        for bad in ["", "A B", "A\tB", "A,B", "A\u{0}", "A\u{a0}B", "A\n"] {
            let e = Label::new(bad).unwrap_err();
            assert_eq!(e, InvalidLabel(bad.to_string()));
            assert!(e.to_string().starts_with("invalid label"), "{e}");
        }
    }

    #[test]
    fn serde_uses_the_name() {
        let a = l("GPE");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"GPE\"");
        assert_eq!(serde_json::from_str::<Label>("\"GPE\"").unwrap(), a);
        let e = serde_json::from_str::<Label>("\"G PE\"").unwrap_err();
        assert!(e.to_string().contains("invalid label"), "{e}");
    }

    #[test]
    fn interning_from_threads_gives_one_id() {
        let ids: Vec<Label> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8).map(|_| s.spawn(|| l("THREADED"))).collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(ids.windows(2).all(|w| w[0] == w[1]));
    }

    #[test]
    fn norm_parse_by_kind() {
        let f = l("FIGURE");
        let int = NormKind::Integer;
        assert_eq!(Norm::parse(int, f, "13000"), Ok(Norm::Value(13000)));
        assert_eq!(Norm::parse(int, f, ""), Ok(Norm::None));
        assert_eq!(
            Norm::parse(int, f, "13,000"),
            Err("FIGURE norm \"13,000\" is not an integer without separators".into())
        );
        assert!(Norm::parse(int, f, "-1").is_err());
        assert!(Norm::parse(int, f, "99999999999999999999999")
            .unwrap_err()
            .contains("overflows"));
        assert_eq!(
            Norm::parse(NormKind::Name, f, "13,000"),
            Ok(Norm::Name(Arc::from("13,000")))
        );
        assert_eq!(Norm::Value(7).to_string(), "7");
    }

    #[test]
    fn label_set_from_toml() {
        let set = LabelSet::from_toml(
            b"[[label]]\nname = \"ACTOR\"\ndescription = \"a person\"\n\
              [[label]]\nname = \"FIGURE\"\nnorm = \"integer\"\n",
        )
        .unwrap();
        assert_eq!(set.labels().collect::<Vec<_>>(), [l("ACTOR"), l("FIGURE")]);
        assert_eq!(set.norm_kind(l("FIGURE")), NormKind::Integer);
        assert_eq!(set.norm_kind(l("ACTOR")), NormKind::Name);
        assert_eq!(set.norm_kind(l("UNDECLARED")), NormKind::Name);
        assert_eq!(set.declared()[0].description, "a person");
        assert_eq!(set.parse_norm(l("FIGURE"), "7"), Ok(Norm::Value(7)));
        assert_eq!(
            set.parse_norm(l("UNDECLARED"), "7"),
            Ok(Norm::Name(Arc::from("7")))
        );
    }

    #[test]
    fn label_set_errors_say_where() {
        let rows: [(&str, &[u8], &str); 4] = [
            (
                "twice",
                b"[[label]]\nname = \"A\"\n[[label]]\nname = \"A\"\n",
                "field `name`: label A is declared twice",
            ),
            (
                "bad name",
                b"[[label]]\nname = \"A B\"\n",
                "line 2: column 8: invalid label \"A B\"",
            ),
            (
                "bad kind",
                b"[[label]]\nname = \"A\"\nnorm = \"float\"\n",
                "line 3: column 8: unknown value `float`",
            ),
            (
                "not utf-8",
                b"[[label]]\nname = \"\xff\"\n",
                "line 2: invalid UTF-8 at byte 18",
            ),
        ];
        for (name, src, want) in rows {
            let e = LabelSet::from_toml(src).unwrap_err().to_string();
            assert!(e.starts_with(want), "{name}: {e}");
        }
    }

    #[test]
    fn conform_gives_norms_the_declared_kind() {
        use crate::annotations::Annotation;
        use crate::span::CharSpan;
        let mut set = AnnotationSet::new();
        for (i, (label, norm)) in [
            ("FIGURE", Norm::Name("12".into())),
            ("FIGURE", Norm::Name("a dozen".into())),
            ("CARDINAL", Norm::Value(7)),
            ("ACTOR", Norm::Name("UN".into())),
        ]
        .into_iter()
        .enumerate()
        {
            set.push(Annotation {
                doc: "d".into(),
                span: CharSpan::new(i * 2, i * 2 + 1, l(label), norm),
                text: "x".into(),
                line: 0,
            });
        }
        gold_labels().conform(&mut set);
        let norms: Vec<&Norm> = set.iter().map(|a| &a.span.norm).collect();
        assert_eq!(
            norms,
            [
                &Norm::Value(12),
                &Norm::Name("a dozen".into()),
                &Norm::Name("7".into()),
                &Norm::Name("UN".into())
            ]
        );
    }

    #[test]
    fn label_maps_rename_merge_and_drop() {
        let map: LabelMap = "PER=ACTOR, ORG=ACTOR,GPE=PLACE,MISC=".parse().unwrap();
        assert_eq!(map.map(l("PER")), Some(l("ACTOR")));
        assert_eq!(map.map(l("MISC")), None);
        assert_eq!(map.map(l("LOC")), Some(l("LOC")));
        for (bad, want) in [
            ("PER", "is not FROM=TO"),
            ("P ER=A", "invalid label"),
            ("PER=A,PER=B", "mapped twice"),
        ] {
            let e = bad.parse::<LabelMap>().unwrap_err();
            assert!(e.contains(want), "{bad}: {e}");
        }
        assert_eq!("PER=A,PER=A".parse::<LabelMap>().unwrap().rules.len(), 1);
        let conll = LabelSet::from_toml(
            b"[[label]]\nname = \"PER\"\n[[label]]\nname = \"ORG\"\n\
              [[label]]\nname = \"LOC\"\n[[label]]\nname = \"MISC\"\n",
        )
        .unwrap();
        let mapped = "PER=ACTOR,ORG=ACTOR,LOC=PLACE,MISC="
            .parse::<LabelMap>()
            .unwrap()
            .apply_to_set(&conll);
        assert_eq!(
            mapped.labels().collect::<Vec<_>>(),
            [l("ACTOR"), l("PLACE")]
        );
    }

    #[test]
    fn label_map_applies_to_annotations_and_counts_the_dropped() {
        use crate::annotations::Annotation;
        use crate::span::CharSpan;
        let mut set = AnnotationSet::new();
        for (i, label) in ["PER", "MISC", "LOC", "MISC"].into_iter().enumerate() {
            set.push(Annotation {
                doc: "d".into(),
                span: CharSpan::new(i * 2, i * 2 + 1, l(label), Norm::None),
                text: "x".into(),
                line: 0,
            });
        }
        set.ensure_doc("empty");
        let map: LabelMap = "PER=ACTOR,LOC=PLACE,MISC=".parse().unwrap();
        assert_eq!(map.apply(&mut set), 2);
        let labels: Vec<&str> = set.iter().map(|a| a.span.label.as_str()).collect();
        assert_eq!(labels, ["ACTOR", "PLACE"]);
        assert_eq!(set.doc_ids().collect::<Vec<_>>(), ["d", "empty"]);
        let keep = gold_labels().select(&[l("PLACE"), l("DATE")]);
        assert_eq!(keep.labels().collect::<Vec<_>>(), [l("PLACE"), l("DATE")]);
        assert_eq!(keep.retain_declared(&mut set), 1);
        assert_eq!(set.len(), 1);
        assert_eq!(parse_label_list(" A, B,,"), Ok(vec![l("A"), l("B")]));
        assert!(parse_label_list("A B").is_err());
    }

    #[test]
    fn label_map_files_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("map.txt");
        std::fs::write(
            &p,
            "# CoNLL-2003 onto this gold\nPER=ACTOR\nORG=ACTOR, LOC=PLACE\n\nMISC=\n",
        )
        .unwrap();
        let map = LabelMap::read(&p).unwrap();
        assert_eq!(map.map(l("ORG")), Some(l("ACTOR")));
        assert_eq!(map.map(l("MISC")), None);
        std::fs::write(&p, "PER=ACTOR\nORG\n").unwrap();
        let e = LabelMap::read(&p).unwrap_err().to_string();
        assert!(
            e.ends_with("map.txt:2: label map rule \"ORG\" is not FROM=TO"),
            "{e}"
        );
    }

    #[test]
    fn report_order_is_declared_then_sorted_extras() {
        let mut set = LabelSet::new();
        assert!(set.declare(l("PLACE"), NormKind::Name));
        assert!(set.declare(l("ACTOR"), NormKind::Name));
        assert!(!set.declare(l("PLACE"), NormKind::Integer));
        assert_eq!(set.norm_kind(l("PLACE")), NormKind::Name);
        let order = set.report_order([l("ORG"), l("ACTOR"), l("LOC"), l("ORG")]);
        assert_eq!(order, [l("PLACE"), l("ACTOR"), l("LOC"), l("ORG")]);
    }
}
