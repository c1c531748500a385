//! Perturbations with exact offsets: rewrite a gold dataset the way real text differs from
//! clean text (capitals, line breaks inside names, typos, curly apostrophes, "13 000" for
//! "13,000", other names) and keep every mention pointing at its rewritten text.
//!
//! **The design, stated once.** A perturbation never writes a text directly. It looks at a
//! document and its mentions and returns a list of [`Edit`]s: a half-open **code-point** range
//! of the original text and its replacement (an empty range is an insertion). [`apply`] then
//! rewrites the text and moves every mention through one function, [`shift`], which adds the
//! length change of every edit before an offset. How an edit relates to a mention `s..e`:
//!
//! | edit `a..b` | effect on the mention |
//! |---|---|
//! | before it (`b <= s`), or an insertion at `s` | both ends move by the edit's length change |
//! | inside it (`s <= a`, `b <= e`), or the whole mention | the end moves; the mention covers the replacement |
//! | after it (`a >= e`), or an insertion at `e` | nothing |
//! | across a boundary (`a < s < b` or `a < e < b`) | **the edit is not applied** |
//! | leaves the mention empty (every code point deleted) | **its edits inside that mention are not applied** |
//!
//! So an insertion at a mention's boundary goes outside it (the possessive `'s` after "Mali"
//! is not part of the mention), and a mention grows only by replacing a part of it. The two
//! refusals keep the output a valid gold (no empty or shifted mention) and are counted in
//! [`Stats::skipped`]; the perturbations below build edits one character, one number or one
//! mention at a time, so on gold (whose mentions do not overlap) they never cross a boundary.
//!
//! Norms do not change, since the entity or value is the same, except where an edit replaces
//! a whole mention and says so ([`Edit::norm`]): a name swap gives the new entity's norm, and
//! a swapped FIGURE its new value.
//!
//! Randomness (which letter a typo hits, which name replaces which) comes from a SplitMix64
//! generator seeded by the seed, the perturbation's name and the document id, so the same seed
//! gives byte-identical output, and one perturbation's output does not depend on which others
//! run.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use unicode_normalization::char::{compose, decompose_canonical, is_combining_mark};

use crate::annotations::{Annotation, AnnotationSet};
use crate::error::{Error, Result};
use crate::gold::{Corpus, Dataset, Document, Texts};
use crate::label::{Label, Norm};
use crate::score::bootstrap::Rng;
use crate::span::OffsetIndex;

/// One named rewrite of a dataset. [`Perturbation::ALL`] lists them in the order `perturb`
/// writes them; [`Perturbation::as_str`] is the name used on the command line and as the
/// output folder's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Perturbation {
    /// Every letter in upper case, as in headlines and wire copy: "Mali" -> "MALI".
    Upper,
    /// Every letter in lower case, as in chat and transcripts: "Mali" -> "mali".
    Lower,
    /// Each word's first letter in upper case and the others in lower case: "the UN said" ->
    /// "The Un Said".
    Title,
    /// Accents (combining marks) removed from every letter: "Goïta" -> "Goita".
    NoAccents,
    /// Every space inside a mention becomes a line break: "United\nNations".
    NameNewline,
    /// Every space inside a mention becomes two spaces: "United  Nations".
    NameDoubleSpace,
    /// Every space inside a mention becomes a no-break space (U+00A0).
    NameNbsp,
    /// Apostrophes and quotes swapped between straight and curly: ' <-> ’, ‘ -> ', " <-> “ ”.
    Apostrophes,
    /// A possessive 's added after every name mention followed by a space or punctuation:
    /// "Mali said" -> "Mali's said". The mention stays "Mali".
    Possessive,
    /// One pair of adjacent letters swapped in every mention of four letters or more (not the
    /// first letter of a word): "Bamako" -> "Bmaako".
    TypoSwap,
    /// One letter dropped in every mention of four letters or more (not the first letter of a word):
    /// "Bamako" -> "Bmako".
    TypoDrop,
    /// One letter doubled in every mention of four letters or more (not the first letter of a word):
    /// "Bamako" -> "Bammako".
    TypoDouble,
    /// Digit groups separated by a space instead of a comma: "13,000" -> "13 000".
    DigitsSpaced,
    /// Digit groups joined: "13,000" -> "13000".
    DigitsJoined,
    /// A number mention written in digits from 0 to 20 spelled out: "11" -> "eleven".
    DigitsToWords,
    /// A number mention spelled out from zero to twenty written in digits: "nine" -> "9".
    WordsToDigits,
    /// Every mention replaced by another entity of its label from a list that is not the gold
    /// (`perturb/swaps.csv`), with that entity's norm or value: "Mali" -> "Mongolia",
    /// "13,000" -> "3,750" (norm 3750). The same gold entity gets the same new one.
    SwapNames,
}

impl Perturbation {
    /// Every perturbation, in the order `perturb` writes and reports them.
    pub const ALL: [Perturbation; 17] = [
        Perturbation::Upper,
        Perturbation::Lower,
        Perturbation::Title,
        Perturbation::NoAccents,
        Perturbation::NameNewline,
        Perturbation::NameDoubleSpace,
        Perturbation::NameNbsp,
        Perturbation::Apostrophes,
        Perturbation::Possessive,
        Perturbation::TypoSwap,
        Perturbation::TypoDrop,
        Perturbation::TypoDouble,
        Perturbation::DigitsSpaced,
        Perturbation::DigitsJoined,
        Perturbation::DigitsToWords,
        Perturbation::WordsToDigits,
        Perturbation::SwapNames,
    ];

    /// The name used on the command line and as the output folder's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Perturbation::Upper => "upper",
            Perturbation::Lower => "lower",
            Perturbation::Title => "title",
            Perturbation::NoAccents => "no-accents",
            Perturbation::NameNewline => "name-newline",
            Perturbation::NameDoubleSpace => "name-double-space",
            Perturbation::NameNbsp => "name-nbsp",
            Perturbation::Apostrophes => "apostrophes",
            Perturbation::Possessive => "possessive",
            Perturbation::TypoSwap => "typo-swap",
            Perturbation::TypoDrop => "typo-drop",
            Perturbation::TypoDouble => "typo-double",
            Perturbation::DigitsSpaced => "digits-spaced",
            Perturbation::DigitsJoined => "digits-joined",
            Perturbation::DigitsToWords => "digits-to-words",
            Perturbation::WordsToDigits => "words-to-digits",
            Perturbation::SwapNames => "swap-names",
        }
    }

    /// One line: what the perturbation does, with an example.
    pub fn describe(self) -> &'static str {
        match self {
            Perturbation::Upper => "every letter in upper case: Mali -> MALI",
            Perturbation::Lower => "every letter in lower case: Mali -> mali",
            Perturbation::Title => "title case, each word capitalised: the UN said -> The Un Said",
            Perturbation::NoAccents => "accents removed: Goïta -> Goita",
            Perturbation::NameNewline => "spaces inside mentions as line breaks: United\\nNations",
            Perturbation::NameDoubleSpace => "spaces inside mentions doubled: United  Nations",
            Perturbation::NameNbsp => "spaces inside mentions as no-break spaces (U+00A0)",
            Perturbation::Apostrophes => {
                "straight and curly apostrophes and quotes swapped: d'Ivoire -> d’Ivoire"
            }
            Perturbation::Possessive => "'s after name mentions: Mali said -> Mali's said",
            Perturbation::TypoSwap => {
                "two adjacent letters swapped (mentions of 4+ letters): Bamako -> Bmaako"
            }
            Perturbation::TypoDrop => {
                "one letter dropped (mentions of 4+ letters): Bamako -> Bmako"
            }
            Perturbation::TypoDouble => {
                "one letter doubled (mentions of 4+ letters): Bamako -> Bammako"
            }
            Perturbation::DigitsSpaced => "digit groups separated by spaces: 13,000 -> 13 000",
            Perturbation::DigitsJoined => "digit groups joined: 13,000 -> 13000",
            Perturbation::DigitsToWords => "number mentions 0-20 spelled out: 11 -> eleven",
            Perturbation::WordsToDigits => "number mentions zero-twenty in digits: nine -> 9",
            Perturbation::SwapNames => {
                "mentions replaced by other entities, norms too: Mali -> Mongolia, 500 -> 3,750"
            }
        }
    }
}

impl fmt::Display for Perturbation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Perturbation {
    /// As its name ([`Perturbation::as_str`]).
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl FromStr for Perturbation {
    type Err = String;

    /// Parses a name of [`Perturbation::as_str`].
    fn from_str(s: &str) -> std::result::Result<Perturbation, String> {
        Perturbation::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Perturbation::ALL.iter().map(|p| p.as_str()).collect();
                format!(
                    "unknown perturbation {s:?} (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

/// One change to a text: the half-open **code-point** range `start..end` of the original
/// text is replaced by `text` (`start == end` inserts). See the module docs for what it does
/// to the mentions around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// First code point replaced.
    pub start: usize,
    /// One past the last code point replaced.
    pub end: usize,
    /// The replacement.
    pub text: String,
    /// For an edit that replaces exactly one mention: its new norm (`None`: unchanged).
    pub norm: Option<Norm>,
}

impl Edit {
    /// Replaces `start..end` by `text`.
    pub fn new(start: usize, end: usize, text: impl Into<String>) -> Edit {
        Edit {
            start,
            end,
            text: text.into(),
            norm: None,
        }
    }

    /// The change in length, in code points.
    fn delta(&self) -> isize {
        self.text.chars().count() as isize - (self.end - self.start) as isize
    }
}

/// Which end of a mention an offset is, for [`shift`]: an insertion exactly at the offset
/// goes before a start and after an end, that is, outside the mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// A mention's start.
    Start,
    /// A mention's end.
    End,
}

/// Edits sorted and checked, with the running sum of their length changes: the one place that
/// moves an offset.
struct Shifts<'e> {
    edits: &'e [Edit],
    /// `sums[i]`: the total length change of `edits[..i]`.
    sums: Vec<isize>,
}

impl<'e> Shifts<'e> {
    fn new(edits: &'e [Edit]) -> Shifts<'e> {
        let mut sums = Vec::with_capacity(edits.len() + 1);
        let mut total = 0isize;
        sums.push(0);
        for e in edits {
            total += e.delta();
            sums.push(total);
        }
        Shifts { edits, sums }
    }

    fn shift(&self, p: usize, side: Side) -> usize {
        shift(self.edits, &self.sums, p, side)
    }
}

/// Moves offset `p` of the original text to the rewritten one: adds the length change of
/// every edit before `p`. For [`Side::Start`] that is every edit ending at or before `p`
/// (an insertion at `p` included); for [`Side::End`] every edit ending before `p`, and a
/// replacement ending at `p` (not an insertion at `p`). `edits` are sorted, do not overlap,
/// and cross no mention boundary (as [`apply`] leaves them); `sums` are their running length
/// changes (`sums[0] == 0`).
pub fn shift(edits: &[Edit], sums: &[isize], p: usize, side: Side) -> usize {
    let before = match side {
        Side::Start => edits.partition_point(|e| e.end <= p),
        Side::End => edits.partition_point(|e| e.end < p || (e.end == p && e.start < p)),
    };
    let moved = p as isize + sums[before];
    debug_assert!(moved >= 0);
    moved as usize
}

/// What [`apply`] did to one document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Documents whose text changed.
    pub documents: usize,
    /// Mentions whose text or norm changed.
    pub mentions: usize,
    /// Edits applied.
    pub edits: usize,
    /// Edits not applied: they crossed a mention boundary, overlapped an earlier edit, or
    /// would have left a mention empty.
    pub skipped: usize,
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, o: Stats) {
        self.documents += o.documents;
        self.mentions += o.mentions;
        self.edits += o.edits;
        self.skipped += o.skipped;
    }
}

/// Applies edits (code points, any order) to one document and moves its mentions (sorted, not
/// overlapping, as in gold) through [`shift`]. Returns the new text, the moved mentions (with
/// their new text, and the edit's norm where an edit replaces a whole mention) and what was
/// done; the rules for edits at and across mention boundaries are in the module docs. An edit
/// past the end of the text is an error.
pub fn apply(
    text: &str,
    mentions: &[Annotation],
    mut edits: Vec<Edit>,
) -> Result<(String, Vec<Annotation>, Stats)> {
    let idx = OffsetIndex::new(text);
    let len = idx.char_len();
    edits.sort_by_key(|e| (e.start, e.end));
    let mut stats = Stats::default();
    // 1. Drop edits that overlap an earlier one or cross a mention boundary.
    let mut kept: Vec<Edit> = Vec::with_capacity(edits.len());
    for e in edits {
        if e.start > e.end || e.end > len {
            return Err(Error::invalid(format!(
                "edit {}..{} is out of range (the text has {len} code points)",
                e.start, e.end
            )));
        }
        let overlaps = kept.last().is_some_and(|k| {
            k.end > e.start || (k.start == k.end && e.start == e.end && k.start == e.start)
        });
        if overlaps || crosses(mentions, &e) {
            stats.skipped += 1;
            continue;
        }
        kept.push(e);
    }
    // 2. Drop every edit inside a mention that the edits would leave empty.
    let mut drop = vec![false; kept.len()];
    for m in mentions {
        let (s, e) = (m.span.start, m.span.end);
        // Edits are sorted and do not overlap, so starts and ends both increase.
        let first = kept.partition_point(|k| k.start < s);
        let last = kept.partition_point(|k| k.start <= e);
        let inside: Vec<usize> = (first..last)
            .filter(|&i| {
                let k = &kept[i];
                k.end <= e && !(k.start == k.end && (k.start == s || k.start == e))
            })
            .collect();
        let change: isize = inside.iter().map(|&i| kept[i].delta()).sum();
        if (e - s) as isize + change <= 0 {
            for i in inside {
                drop[i] = true;
            }
        }
    }
    let mut edits = Vec::with_capacity(kept.len());
    for (e, d) in kept.into_iter().zip(drop) {
        if d {
            stats.skipped += 1;
        } else {
            edits.push(e);
        }
    }
    stats.edits = edits.len();
    // 3. Rewrite the text.
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut at = 0;
    for e in &edits {
        let (Some(a), Some(b)) = (idx.char_to_byte(e.start), idx.char_to_byte(e.end)) else {
            return Err(Error::invalid("edit out of range"));
        };
        out.push_str(&text[at..a]);
        out.push_str(&e.text);
        at = b;
    }
    out.push_str(&text[at..]);
    if out != text {
        stats.documents = 1;
    }
    // 4. Move every mention through the one offset function.
    let shifts = Shifts::new(&edits);
    let new_idx = OffsetIndex::new(&out);
    let mut moved = Vec::with_capacity(mentions.len());
    for m in mentions {
        let start = shifts.shift(m.span.start, Side::Start);
        let end = shifts.shift(m.span.end, Side::End);
        let norm = edits
            .binary_search_by(|e| (e.start, e.end).cmp(&(m.span.start, m.span.end)))
            .ok()
            .and_then(|i| edits[i].norm.clone())
            .unwrap_or_else(|| m.span.norm.clone());
        let (Some(a), Some(b)) = (new_idx.char_to_byte(start), new_idx.char_to_byte(end)) else {
            return Err(Error::invalid(format!(
                "mention {}..{} moved out of the rewritten text",
                m.span.start, m.span.end
            )));
        };
        let mut n = m.clone();
        n.span.start = start;
        n.span.end = end;
        n.span.norm = norm;
        n.text = out[a..b].to_string();
        if n.text != m.text || n.span.norm != m.span.norm {
            stats.mentions += 1;
        }
        moved.push(n);
    }
    Ok((out, moved, stats))
}

/// True when replacement `e` has a mention boundary strictly inside it (insertions never do).
fn crosses(mentions: &[Annotation], e: &Edit) -> bool {
    if e.start == e.end {
        return false;
    }
    let i = mentions.partition_point(|m| m.span.start <= e.start);
    let starts_inside = mentions.get(i).is_some_and(|m| m.span.start < e.end);
    let j = mentions.partition_point(|m| m.span.end <= e.start);
    let ends_inside = mentions.get(j).is_some_and(|m| m.span.end < e.end);
    starts_inside || ends_inside
}

/// An entity that a [`Perturbation::SwapNames`] can put in place of a mention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwapEntry {
    /// The label it replaces mentions of.
    pub label: Label,
    /// Its surface form.
    pub text: String,
    /// Its norm: a name, a value (for a label whose norms are numbers), or nothing.
    pub norm: String,
}

/// The built-in list of swap entities: real persons, organisations, places and figures that
/// are not in the gold (`perturb/swaps.csv`).
pub const SWAPS_CSV: &str = include_str!("../perturb/swaps.csv");

/// Reads a file of swap entities (see [`parse_swaps`]); errors name the file.
pub fn read_swaps(path: &std::path::Path) -> Result<Vec<SwapEntry>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_swaps(&text).map_err(|e| e.at_path(path))
}

/// Parses a list of swap entities: CSV with the header `label,text,norm`, one entity a row.
pub fn parse_swaps(csv_text: &str) -> Result<Vec<SwapEntry>> {
    let mut rdr = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| Error::invalid(format!("swap list: {e}")))?;
    if headers != vec!["label", "text", "norm"] {
        return Err(Error::invalid("swap list: expected the header `label,text,norm`").at_line(1));
    }
    let mut out = Vec::new();
    let mut lines = crate::error::CsvLines::new(csv_text.as_bytes());
    for rec in rdr.records() {
        let rec = rec.map_err(|e| Error::invalid(format!("swap list: {e}")))?;
        let line = lines.line(rec.position());
        let label: Label = rec[0].parse().map_err(|e| {
            Error::invalid(format!("{e}"))
                .in_field("label")
                .at_line(line)
        })?;
        if rec[1].trim().is_empty() || rec[1].trim() != &rec[1] {
            return Err(Error::invalid("empty text or spaces around it")
                .in_field("text")
                .at_line(line));
        }
        out.push(SwapEntry {
            label,
            text: rec[1].to_string(),
            norm: rec[2].to_string(),
        });
    }
    Ok(out)
}

/// Writes perturbed copies of a gold dataset: holds the seed and the swap list.
#[derive(Clone, Debug)]
pub struct Perturber {
    seed: u64,
    swaps: Vec<SwapEntry>,
}

impl Default for Perturber {
    fn default() -> Perturber {
        Perturber::new()
    }
}

/// A perturbed dataset: texts, annotations (checked as gold) and what was changed.
#[derive(Clone, Debug)]
pub struct Perturbed {
    /// Which perturbation made it.
    pub perturbation: Perturbation,
    /// The rewritten dataset, checked as gold.
    pub gold: Dataset,
    /// What was changed, summed over the documents.
    pub stats: Stats,
}

impl Perturber {
    /// A perturber with seed 0 and the built-in swap list ([`SWAPS_CSV`]).
    pub fn new() -> Perturber {
        Perturber {
            seed: 0,
            swaps: parse_swaps(SWAPS_CSV).expect("the built-in swap list is valid"),
        }
    }

    /// Sets the seed of typos and swaps (default 0). The same seed gives the same output.
    pub fn seed(&mut self, seed: u64) -> &mut Perturber {
        self.seed = seed;
        self
    }

    /// Replaces the swap list (default: the built-in list).
    pub fn swaps(&mut self, swaps: Vec<SwapEntry>) -> &mut Perturber {
        self.swaps = swaps;
        self
    }

    /// Rewrites every document of `gold` with `p`. The input must have its own texts and
    /// follow the gold rules (no overlap), or it is refused. The result is checked as gold
    /// (texts equal to slices, no overlap) before it is returned; a failure there is a bug,
    /// reported as an error.
    pub fn run(&self, p: Perturbation, gold: &Dataset) -> Result<Perturbed> {
        if gold.texts() != Texts::Read {
            return Err(Error::invalid(
                "perturbations rewrite texts, and this dataset has none of its own",
            ));
        }
        gold.check_gold()?;
        let numeric = numeric_labels(gold.annotations());
        let swaps = match p {
            Perturbation::SwapNames => self.swap_table(gold, &numeric)?,
            _ => BTreeMap::new(),
        };
        let mut docs = Vec::with_capacity(gold.corpus().len());
        let mut set = AnnotationSet::new();
        let mut stats = Stats::default();
        for (d, mentions) in gold.iter() {
            let mut rng = Rng::new(mix(self.seed, p.as_str(), &d.id));
            let edits = edits(p, d, mentions, &numeric, &swaps, &mut rng);
            let (text, moved, s) = apply(&d.text, mentions, edits)
                .map_err(|e| Error::invalid(format!("{p}: document {:?}: {e}", d.id)))?;
            stats += s;
            set.ensure_doc(&d.id);
            for m in moved {
                set.push(m);
            }
            docs.push(Document {
                id: d.id.clone(),
                text,
            });
        }
        set.sort();
        // The gold's declared labels (their order, and which norms are numbers) go with it.
        let labels = gold.labels().clone();
        let gold = Dataset::new(Corpus::from_documents(docs)?, set)
            .and_then(|d| d.with_labels(labels))
            .and_then(|d| d.check_gold().map(|()| d))
            .map_err(|e| Error::invalid(format!("{p}: the perturbed dataset is invalid: {e}")))?;
        Ok(Perturbed {
            perturbation: p,
            gold,
            stats,
        })
    }

    /// For every gold entity (label and norm, or text when there is no norm) of a label that
    /// has swap entries of the same kind, the entry that replaces it: entities in sorted order
    /// take the entries of a seeded shuffle in turn (distinct while the list lasts).
    fn swap_table(
        &self,
        gold: &Dataset,
        numeric: &[Label],
    ) -> Result<BTreeMap<(Label, String), (String, Norm)>> {
        let mut keys: BTreeMap<(Label, bool), Vec<String>> = BTreeMap::new();
        for a in gold.annotations().iter() {
            let k = entity_key(a);
            let list = keys
                .entry((a.span.label, a.span.norm.is_none()))
                .or_default();
            if !list.contains(&k) {
                list.push(k);
            }
        }
        let mut table = BTreeMap::new();
        for ((label, vague), mut entities) in keys {
            entities.sort();
            let is_numeric = numeric.contains(&label);
            let mut pool: Vec<&SwapEntry> = self
                .swaps
                .iter()
                .filter(|s| s.label == label && (!is_numeric || s.norm.is_empty() == vague))
                .collect();
            if pool.is_empty() {
                continue;
            }
            let mut rng = Rng::new(mix(self.seed, "swap-names", label.as_str()) ^ vague as u64);
            for i in (1..pool.len()).rev() {
                pool.swap(i, rng.below(i + 1));
            }
            for (i, k) in entities.into_iter().enumerate() {
                let s = pool[i % pool.len()];
                let norm = if s.norm.is_empty() {
                    Norm::None
                } else if is_numeric {
                    Norm::Value(s.norm.parse().map_err(|_| {
                        Error::invalid(format!(
                            "swap list: {label} norm {:?} is not an integer",
                            s.norm
                        ))
                    })?)
                } else {
                    Norm::Name(Arc::from(s.norm.as_str()))
                };
                table.insert((label, k), (s.text.clone(), norm));
            }
        }
        Ok(table)
    }
}

/// Labels whose mentions carry integer norms in this dataset: their mentions are numbers.
fn numeric_labels(set: &AnnotationSet) -> Vec<Label> {
    let mut out: Vec<Label> = Vec::new();
    for a in set.iter() {
        if matches!(a.span.norm, Norm::Value(_)) && !out.contains(&a.span.label) {
            out.push(a.span.label);
        }
    }
    out
}

fn entity_key(a: &Annotation) -> String {
    if a.span.norm.is_none() {
        a.text.clone()
    } else {
        a.span.norm.to_string()
    }
}

/// A seed for one perturbation of one document: FNV-1a of the names, mixed with the seed.
fn mix(seed: u64, name: &str, doc: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes().chain([0]).chain(doc.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The edits of perturbation `p` on one document.
fn edits(
    p: Perturbation,
    d: &Document,
    mentions: &[Annotation],
    numeric: &[Label],
    swaps: &BTreeMap<(Label, String), (String, Norm)>,
    rng: &mut Rng,
) -> Vec<Edit> {
    match p {
        Perturbation::Upper => per_char(&d.text, |_, c| Some(c.to_uppercase().collect())),
        Perturbation::Lower => per_char(&d.text, |_, c| Some(c.to_lowercase().collect())),
        Perturbation::Title => title_case(&d.text),
        Perturbation::NoAccents => per_char(&d.text, |_, c| strip_accents(c)),
        Perturbation::NameNewline => spaces_in_mentions(&d.text, mentions, "\n"),
        Perturbation::NameDoubleSpace => spaces_in_mentions(&d.text, mentions, "  "),
        Perturbation::NameNbsp => spaces_in_mentions(&d.text, mentions, "\u{a0}"),
        Perturbation::Apostrophes => apostrophes(&d.text),
        Perturbation::Possessive => possessive(&d.text, mentions, numeric),
        Perturbation::TypoSwap => typos(&d.text, mentions, Typo::Swap, rng),
        Perturbation::TypoDrop => typos(&d.text, mentions, Typo::Drop, rng),
        Perturbation::TypoDouble => typos(&d.text, mentions, Typo::Double, rng),
        Perturbation::DigitsSpaced => regroup_digits(&d.text, " "),
        Perturbation::DigitsJoined => regroup_digits(&d.text, ""),
        Perturbation::DigitsToWords => number_words(mentions, numeric, true),
        Perturbation::WordsToDigits => number_words(mentions, numeric, false),
        Perturbation::SwapNames => mentions
            .iter()
            .filter_map(|m| {
                let (text, norm) = swaps.get(&(m.span.label, entity_key(m)))?;
                Some(Edit {
                    start: m.span.start,
                    end: m.span.end,
                    text: text.clone(),
                    norm: Some(norm.clone()),
                })
            })
            .collect(),
    }
}

/// One edit per character that `f(previous, c)` rewrites to something else.
fn per_char(text: &str, mut f: impl FnMut(Option<char>, char) -> Option<String>) -> Vec<Edit> {
    let mut out = Vec::new();
    let mut prev = None;
    for (i, c) in text.chars().enumerate() {
        if let Some(r) = f(prev, c) {
            if r.chars().ne(std::iter::once(c)) {
                out.push(Edit::new(i, i + 1, r));
            }
        }
        prev = Some(c);
    }
    out
}

/// Title case: a letter after a character that is neither alphanumeric nor an apostrophe
/// starts a word and is upper-cased; the others are lower-cased ("d'Ivoire" -> "D'ivoire",
/// "13TH" -> "13th").
fn title_case(text: &str) -> Vec<Edit> {
    per_char(text, |prev, c| {
        let starts = prev.is_none_or(|p| !(p.is_alphanumeric() || is_apostrophe(p)));
        Some(if starts {
            c.to_uppercase().collect()
        } else {
            c.to_lowercase().collect()
        })
    })
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// The character without its combining marks (recomposed), or `None` when it has none. A
/// lone combining mark becomes nothing.
fn strip_accents(c: char) -> Option<String> {
    let mut parts = Vec::new();
    let mut marks = false;
    decompose_canonical(c, |d| {
        if is_combining_mark(d) {
            marks = true;
        } else {
            parts.push(d);
        }
    });
    if !marks {
        return None;
    }
    let mut out = String::new();
    let mut it = parts.into_iter();
    if let Some(mut acc) = it.next() {
        for d in it {
            match compose(acc, d) {
                Some(x) => acc = x,
                None => {
                    out.push(acc);
                    acc = d;
                }
            }
        }
        out.push(acc);
    }
    Some(out)
}

/// Every U+0020 space strictly inside a mention, replaced by `with`.
fn spaces_in_mentions(text: &str, mentions: &[Annotation], with: &str) -> Vec<Edit> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for m in mentions {
        for i in m.span.start + 1..m.span.end.saturating_sub(1) {
            if chars.get(i) == Some(&' ') {
                out.push(Edit::new(i, i + 1, with));
            }
        }
    }
    out
}

/// ' <-> ’, ‘ -> ', " -> “ (after a space, an opening bracket or at the start) or ”, and
/// “ ” -> ".
fn apostrophes(text: &str) -> Vec<Edit> {
    per_char(text, |prev, c| {
        let r = match c {
            '\'' => "\u{2019}",
            '\u{2019}' | '\u{2018}' => "'",
            '"' if prev.is_none_or(|p| p.is_whitespace() || "([{".contains(p)) => "\u{201c}",
            '"' => "\u{201d}",
            '\u{201c}' | '\u{201d}' => "\"",
            _ => return None,
        };
        Some(r.to_string())
    })
}

/// `'s` inserted after every mention of a non-numeric label that ends with a letter and is
/// followed by the end of the text, whitespace or punctuation other than an apostrophe.
fn possessive(text: &str, mentions: &[Annotation], numeric: &[Label]) -> Vec<Edit> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for m in mentions {
        if numeric.contains(&m.span.label) {
            continue;
        }
        let last = m.span.end.checked_sub(1).and_then(|i| chars.get(i));
        if !last.is_some_and(|c| c.is_alphabetic()) {
            continue;
        }
        let next = chars.get(m.span.end).copied();
        let free = next.is_none_or(|c| {
            c.is_whitespace() || (c.is_ascii_punctuation() && c != '\'' && c != '-')
        });
        if free {
            out.push(Edit::new(m.span.end, m.span.end, "'s"));
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Typo {
    Swap,
    Drop,
    Double,
}

/// One typo in every mention with at least four letters, at a seeded letter that is not the
/// first of its word (a capital stays where it was); a swap only where two adjacent letters
/// differ.
fn typos(text: &str, mentions: &[Annotation], kind: Typo, rng: &mut Rng) -> Vec<Edit> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for m in mentions {
        let Some(span) = chars.get(m.span.start..m.span.end) else {
            continue;
        };
        if span.iter().filter(|c| c.is_alphabetic()).count() < 4 {
            continue;
        }
        let at: Vec<usize> = (1..span.len())
            .filter(|&i| span[i - 1].is_alphabetic())
            .filter(|&i| match kind {
                Typo::Swap => {
                    i + 1 < span.len()
                        && span[i].is_alphabetic()
                        && span[i + 1].is_alphabetic()
                        && span[i] != span[i + 1]
                }
                Typo::Drop | Typo::Double => span[i].is_alphabetic(),
            })
            .collect();
        if at.is_empty() {
            continue;
        }
        let i = at[rng.below(at.len())];
        let p = m.span.start + i;
        out.push(match kind {
            Typo::Swap => Edit::new(p, p + 2, [span[i + 1], span[i]].iter().collect::<String>()),
            Typo::Drop => Edit::new(p, p + 1, ""),
            Typo::Double => Edit::new(p, p + 1, [span[i], span[i]].iter().collect::<String>()),
        });
    }
    out
}

/// The commas of every number written with thousands separators (`1,234` or `13,000,000`,
/// not part of a longer run of digits, commas or points), replaced by `with`.
fn regroup_digits(text: &str, with: &str) -> Vec<Edit> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == ',') {
            i += 1;
        }
        let mut end = i;
        while end > start && chars[end - 1] == ',' {
            end -= 1;
        }
        // Not the tail of a decimal or a word ("3.1,415", "v1,000"), not followed by a letter.
        let prev_ok =
            start == 0 || !(chars[start - 1].is_alphanumeric() || chars[start - 1] == '.');
        let next_ok = !chars.get(end).is_some_and(|c| c.is_alphabetic());
        let run: String = chars[start..end].iter().collect();
        if prev_ok && next_ok && is_grouped(&run) {
            for (k, c) in run.chars().enumerate() {
                if c == ',' {
                    out.push(Edit::new(start + k, start + k + 1, with));
                }
            }
        }
    }
    out
}

/// `d{1,3}(,ddd)+`.
fn is_grouped(s: &str) -> bool {
    let mut groups = s.split(',');
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && !first.starts_with('0')
        && rest.iter().all(|g| g.len() == 3)
}

/// The number words from zero to twenty, by value: the FIGURE recogniser's own words.
fn number_word(v: usize) -> Option<&'static str> {
    use crate::figures::{TENS, UNITS};
    UNITS.get(v).copied().or((v == 20).then_some(TENS[0].0))
}

/// A mention of a numeric label whose whole text is a number from 0 to 20, rewritten in
/// words (`to_words`, lower case: "9" -> "nine") or in digits (any case: "Nine" -> "9").
/// Numbers outside mentions (dates, ordinals) are left alone: the gold does not say they are
/// counts.
fn number_words(mentions: &[Annotation], numeric: &[Label], to_words: bool) -> Vec<Edit> {
    let mut out = Vec::new();
    for m in mentions.iter().filter(|m| numeric.contains(&m.span.label)) {
        let t = m.text.as_str();
        let replacement = if to_words {
            let small = t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit());
            let value = t
                .parse::<usize>()
                .ok()
                .filter(|&v| small && v <= 20 && (t == "0" || !t.starts_with('0')));
            value.and_then(number_word).map(str::to_string)
        } else {
            (0..=20)
                .find(|&v| number_word(v).is_some_and(|w| w.eq_ignore_ascii_case(t)))
                .map(|v| v.to_string())
        };
        if let Some(r) = replacement {
            out.push(Edit::new(m.span.start, m.span.end, r));
        }
    }
    out
}

#[cfg(test)]
mod tests;
