//! The tagger: a gazetteer compiled into an Aho-Corasick automaton, plus the FIGURE
//! recogniser.
//!
//! How a text is searched depends on [`CaseMode`]:
//!
//! - `exact` and `ascii`: the automaton runs on the text as it is (ASCII case-insensitivity is
//!   the automaton's own option). Accent folding and the typographic apostrophe are handled by
//!   adding variants of each term when the automaton is built ("Goïta" also as "Goita" and as
//!   its decomposed form; "d'Ivoire" also as "d’Ivoire"). Only a text with an irregular
//!   whitespace run between two words (a line break, a tab, a no-break space, two spaces) is
//!   rewritten, to let multi-word names match across it.
//! - `unicode`: the text is rewritten with full Unicode case folding (and, if asked, accent
//!   stripping) into a buffer with an offset map; the terms are rewritten the same way.
//!
//! Where a text is searched depends on the match kind and word boundaries: with word
//! boundaries on (the default) in the leftmost modes, a match can only start at a word start
//! (or with a character that is not a word character), so a byte trie of the patterns
//! ([`trie`]) is searched anchored from those places only, and only where a gazetteer
//! pattern's leading word or a FIGURE start word may begin; the matches inside words, most of
//! a large gazetteer's raw matches, are never visited. Without word boundaries, or in the
//! overlapping mode, the Aho-Corasick automaton runs over every byte.
//!
//! Whatever the mode, spans are reported in byte offsets of the original text, on character
//! boundaries, and a match is only accepted where an original character starts and ends.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind as AcMatchKind};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

use crate::annotations::AnnotationSet;
use crate::error::{Error, Result};
use crate::figures;
use crate::gazetteer::{CaseOverride, Gazetteer};
use crate::gold::Corpus;
use crate::hash::FastHash;
use crate::label::{Label, Norm};
use crate::normalize::{
    irregular_runs_into, rewrite_into, rewrite_term, OffsetMap, Rewrite, INSIDE,
};
use crate::span::Span;

/// Which matches are reported when several terms match at overlapping places.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    /// The match that starts first; among those, the longest ("UN Security Council" over
    /// "UN"). The default: it is what annotation guidelines ask for.
    #[default]
    LeftmostLongest,
    /// The match that starts first; among those, the term listed first in the gazetteer.
    LeftmostFirst,
    /// Every match, overlapping ones included (spans may nest and overlap).
    Overlapping,
}

/// How letter case is compared. Entries with a `case` override ignore it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseMode {
    /// Case-sensitive (the default): "Niger" never matches "niger".
    #[default]
    Exact,
    /// ASCII letters match either case; other letters must be equal.
    Ascii,
    /// Full Unicode case folding ("STRASSE" = "Straße", "İ" = "i̇").
    Unicode,
}

/// Which automaton implementation is built, where one is: without word boundaries or in the
/// overlapping mode (with word boundaries, the leftmost modes search a trie anchored at word
/// starts, whatever this option says).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Automaton {
    /// A DFA for gazetteers up to 20,000 patterns (fastest), a contiguous NFA above (a DFA of
    /// hundreds of thousands of terms takes gigabytes and seconds to build).
    #[default]
    Auto,
    /// Always the contiguous NFA.
    Nfa,
    /// Always the DFA.
    Dfa,
}

/// The tagger's options. A variant file is this struct in TOML (see `variants/`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TaggerOptions {
    /// Match semantics; default leftmost-longest.
    pub match_kind: MatchKind,
    /// Case mode; default exact.
    pub case: CaseMode,
    /// Accent folding ("Goïta" = "Goita"); default on.
    pub fold_accents: bool,
    /// Only accept matches at Unicode word boundaries; default on. A hyphen and an apostrophe
    /// are boundaries ("Kremlin-linked", "Mali’s"), a letter, digit, `_` or combining mark is
    /// not ("UN" in "UNSC", "Mali" in "Malian").
    pub word_boundaries: bool,
    /// Run the FIGURE recogniser; default on.
    pub figures: bool,
    /// The label the FIGURE recogniser gives its spans; default `FIGURE`. Declare it with
    /// `norm = "integer"` in the gold's `labels.toml`: its norms are values.
    pub figure_label: Label,
    /// Automaton implementation; default auto.
    pub automaton: Automaton,
}

impl Default for TaggerOptions {
    fn default() -> TaggerOptions {
        TaggerOptions {
            match_kind: MatchKind::LeftmostLongest,
            case: CaseMode::Exact,
            fold_accents: true,
            word_boundaries: true,
            figures: true,
            figure_label: Label::new("FIGURE").expect("a valid label name"),
            automaton: Automaton::Auto,
        }
    }
}

/// Builds a [`Tagger`]. `build` may be called again, on the same or another gazetteer.
#[derive(Clone, Debug)]
pub struct TaggerBuilder {
    opts: TaggerOptions,
    /// Search only from the places a match may start (see [`Tagger::find_at_starts`]); off only
    /// in tests, which compare it with the unanchored search it replaces.
    word_starts: bool,
}

impl Default for TaggerBuilder {
    fn default() -> TaggerBuilder {
        TaggerBuilder {
            opts: TaggerOptions::default(),
            word_starts: true,
        }
    }
}

/// One way a pattern can be accepted: an entry, and the exact surface form it requires (for
/// entries whose case is stricter than the automaton's).
#[derive(Clone, Debug)]
struct Candidate {
    label: Label,
    norm: Norm,
    exact: Option<Box<str>>,
}

/// A gazetteer compiled for searching. Cheap to share between threads.
#[derive(Clone, Debug)]
pub struct Tagger {
    opts: TaggerOptions,
    ac: Option<Engine>,
    /// Leftmost-first only: every match (standard semantics), to find the first-listed
    /// acceptable match at a position whose first-listed match was rejected.
    all: Option<AhoCorasick>,
    /// `cands[ranges[pid].0 .. ranges[pid].1]` are the candidates of pattern `pid`.
    ranges: Vec<(u32, u32)>,
    cands: Vec<Candidate>,
    rewrite: Rewrite,
    always_rewrite: bool,
    patterns: PatternSet,
    /// Patterns from this id on are only there for the FIGURE recogniser (see
    /// [`figures::start_patterns`]); they have no candidates.
    first_figure: usize,
    /// Per byte: [`STARTS_PATTERN`] if some pattern starts with it, [`ASCII_WORD`] if it is
    /// an ASCII letter, digit or `_`.
    starts: Box<[u8; 256]>,
    /// The first four bytes (all of a shorter one) of the FIGURE recogniser's start
    /// patterns, hashed into a bit set: a word that no gazetteer pattern's leading word
    /// equals is searched only if one of them may start there.
    figure_prefixes: PrefixFilter,
    /// For each figure-only pattern: true when no shorter gazetteer pattern is a prefix of it,
    /// so a rejected match of it needs no retry.
    figure_alone: Vec<bool>,
    /// The FIGURE recogniser is driven by the automaton's matches (leftmost modes).
    fused_figures: bool,
    /// The words (lower-cased, leading punctuation trimmed) that come before a space inside
    /// a pattern: a whitespace run in a text that follows another word cannot be inside a
    /// name, and its window is not searched.
    words_before_space: HashSet<String, FastHash>,
}

/// Reusable buffers for [`Tagger::tag_with`], so that tagging many texts allocates nothing
/// once the buffers have grown.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    buf: String,
    map: OffsetMap,
    figures: Vec<Span>,
    runs: Vec<(usize, usize)>,
    window: Vec<Span>,
    key: String,
}

impl Scratch {
    /// Empty buffers.
    pub fn new() -> Scratch {
        Scratch::default()
    }
}

impl TaggerBuilder {
    /// A builder with the default options.
    pub fn new() -> TaggerBuilder {
        TaggerBuilder::default()
    }

    /// Replaces every option.
    pub fn options(&mut self, opts: TaggerOptions) -> &mut TaggerBuilder {
        self.opts = opts;
        self
    }

    /// Match semantics (default leftmost-longest).
    pub fn match_kind(&mut self, k: MatchKind) -> &mut TaggerBuilder {
        self.opts.match_kind = k;
        self
    }

    /// Case mode (default exact).
    pub fn case(&mut self, c: CaseMode) -> &mut TaggerBuilder {
        self.opts.case = c;
        self
    }

    /// Accent folding (default on).
    pub fn fold_accents(&mut self, yes: bool) -> &mut TaggerBuilder {
        self.opts.fold_accents = yes;
        self
    }

    /// Word boundaries (default on).
    pub fn word_boundaries(&mut self, yes: bool) -> &mut TaggerBuilder {
        self.opts.word_boundaries = yes;
        self
    }

    /// The FIGURE recogniser (default on).
    pub fn figures(&mut self, yes: bool) -> &mut TaggerBuilder {
        self.opts.figures = yes;
        self
    }

    /// The label of the FIGURE recogniser's spans (default `FIGURE`).
    pub fn figure_label(&mut self, label: Label) -> &mut TaggerBuilder {
        self.opts.figure_label = label;
        self
    }

    /// Automaton implementation (default auto).
    pub fn automaton(&mut self, a: Automaton) -> &mut TaggerBuilder {
        self.opts.automaton = a;
        self
    }

    /// With word boundaries on, searches only from the places a match may start (the
    /// default), or, when off, runs the unanchored automaton over every byte as before; the
    /// spans are the same, which the tests check.
    #[cfg(test)]
    pub(crate) fn word_starts(&mut self, yes: bool) -> &mut TaggerBuilder {
        self.word_starts = yes;
        self
    }

    /// Compiles `gazetteer`.
    pub fn build(&self, gazetteer: &Gazetteer) -> Result<Tagger> {
        let opts = self.opts.clone();
        let unicode = opts.case == CaseMode::Unicode;
        let rewrite = Rewrite {
            fold_case: unicode,
            strip_accents: unicode && opts.fold_accents,
            apostrophes: unicode,
        };
        // In exact mode, entries marked `fold` need a case-insensitive automaton; then every
        // other entry is checked for its exact form.
        let any_fold = gazetteer
            .entries()
            .iter()
            .any(|e| e.case == CaseOverride::Fold);
        let ascii_ci = match opts.case {
            CaseMode::Exact => any_fold,
            CaseMode::Ascii => true,
            CaseMode::Unicode => false,
        };
        let entries = gazetteer.entries();
        let mut patterns = PatternSet::new(entries.len() + entries.len() / 4, ascii_ci);
        // (pattern id, candidate), sorted and made unique per pattern below.
        let mut found: Vec<(u32, Candidate)> = Vec::with_capacity(entries.len());
        let mut forms = Vec::new();
        for e in entries {
            let needs_exact = match e.case {
                CaseOverride::Exact => opts.case != CaseMode::Exact || ascii_ci,
                CaseOverride::Fold => false,
                CaseOverride::Inherit => opts.case == CaseMode::Exact && ascii_ci,
            };
            variants_into(&e.term, opts.fold_accents, !unicode, &mut forms);
            for v in &forms {
                // An exact-case entry in a folding tagger is found through the folded
                // automaton and then checked against its own spellings (the accent-stripped
                // one included when accents are folded).
                let folded;
                let pattern = if unicode {
                    folded = rewrite_term(v, rewrite);
                    folded.as_str()
                } else {
                    v.as_ref()
                };
                if pattern.is_empty() {
                    continue;
                }
                let pid = patterns.insert(pattern)? as u32;
                found.push((
                    pid,
                    Candidate {
                        label: e.label,
                        norm: e.norm.clone(),
                        exact: needs_exact.then(|| Box::from(v.as_ref())),
                    },
                ));
            }
        }
        // The places a FIGURE can start are matches of the same automaton: one pass over the
        // text finds both (leftmost modes; overlapping mode runs the recogniser on its own).
        let first_figure = patterns.len();
        let fused_figures = opts.figures && opts.match_kind != MatchKind::Overlapping;
        let mut figure_alone = Vec::new();
        if fused_figures {
            for p in figures::start_patterns(ascii_ci || unicode) {
                if patterns.id(&p).is_some() {
                    continue;
                }
                let alone =
                    !(1..p.len()).any(|i| patterns.id(&p[..i]).is_some_and(|q| q < first_figure));
                patterns.insert(&p)?;
                figure_alone.push(alone);
            }
        }
        patterns.freeze();
        // Per pattern, stricter candidates first (an exact spelling beats a folded one), each
        // once, in the order listed.
        found.sort_by_key(|(pid, c)| (*pid, c.exact.is_none()));
        let mut cands: Vec<Candidate> = Vec::with_capacity(found.len());
        let mut ranges: Vec<(u32, u32)> = Vec::with_capacity(patterns.len());
        let mut group = 0;
        for (pid, c) in found {
            while ranges.len() <= pid as usize {
                ranges.push((cands.len() as u32, cands.len() as u32));
                group = cands.len();
            }
            let dup = cands[group..]
                .iter()
                .any(|d| d.label == c.label && d.norm == c.norm && d.exact == c.exact);
            if !dup {
                cands.push(c);
                ranges[pid as usize].1 = cands.len() as u32;
            }
        }
        while ranges.len() < patterns.len() {
            ranges.push((cands.len() as u32, cands.len() as u32));
        }
        cands.shrink_to_fit();
        // With word boundaries, a match starts at a word start or with a character that is not
        // a word character: the leftmost modes search anchored from such places only, and
        // never visit the matches inside words (most of a large gazetteer's raw matches).
        let anchored =
            self.word_starts && opts.word_boundaries && opts.match_kind != MatchKind::Overlapping;
        let mut starts = Box::new([0u8; 256]);
        for b in 0..=255u8 {
            if is_ascii_word_byte(b) {
                starts[usize::from(b)] |= ASCII_WORD;
            }
        }
        let mut figure_prefixes = PrefixFilter::new(patterns.len() - first_figure, ascii_ci);
        for (pid, p) in patterns.iter().enumerate() {
            let p = p.as_bytes();
            if pid >= first_figure {
                figure_prefixes.insert(p);
            }
            for b in [p[0], p[0].to_ascii_lowercase(), p[0].to_ascii_uppercase()] {
                if ascii_ci || b == p[0] {
                    starts[usize::from(b)] |= STARTS_PATTERN;
                }
            }
        }
        let ac = if patterns.is_empty() {
            None
        } else if anchored {
            // Anchored searches need no failure transitions: a trie, built in one pass.
            let trie = Trie::new(
                &patterns,
                ascii_ci,
                opts.match_kind == MatchKind::LeftmostFirst,
            );
            let words = WordMap::new(
                patterns.iter().take(first_figure).map(str::as_bytes),
                patterns.iter().skip(first_figure).map(str::as_bytes),
                &trie,
                ascii_ci,
            );
            Some(Engine::Anchored(trie, words))
        } else {
            let kind = match opts.automaton {
                Automaton::Nfa => AhoCorasickKind::ContiguousNFA,
                Automaton::Dfa => AhoCorasickKind::DFA,
                Automaton::Auto if patterns.len() <= 20_000 => AhoCorasickKind::DFA,
                Automaton::Auto => AhoCorasickKind::ContiguousNFA,
            };
            let mk = match opts.match_kind {
                MatchKind::LeftmostLongest => AcMatchKind::LeftmostLongest,
                MatchKind::LeftmostFirst => AcMatchKind::LeftmostFirst,
                MatchKind::Overlapping => AcMatchKind::Standard,
            };
            let ac = AhoCorasick::builder()
                .match_kind(mk)
                .ascii_case_insensitive(ascii_ci)
                .kind(Some(kind))
                .build(patterns.iter())
                .map_err(|e| Error::invalid(format!("cannot build the automaton: {e}")))?;
            Some(Engine::Unanchored(ac))
        };
        let all = match (&ac, opts.match_kind) {
            (Some(_), MatchKind::LeftmostFirst) => Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(ascii_ci)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(patterns.iter())
                    .map_err(|e| Error::invalid(format!("cannot build the automaton: {e}")))?,
            ),
            _ => None,
        };
        let mut words_before_space = HashSet::default();
        for p in patterns.iter() {
            let mut words = p.split(' ').peekable();
            while let Some(w) = words.next() {
                if words.peek().is_some() {
                    words_before_space.insert(word_key(w));
                }
            }
        }
        Ok(Tagger {
            words_before_space,
            always_rewrite: unicode,
            patterns,
            first_figure,
            figure_alone,
            fused_figures,
            starts,
            figure_prefixes,
            opts,
            ac,
            all,
            ranges,
            cands,
            rewrite,
        })
    }
}

/// The surface variants of a term that the automaton must know: whitespace collapsed to one
/// space; with `apostrophes`, both `'` and `’`; with `accents`, the accent-stripped form and
/// the canonically decomposed form (so "Côte" written as "Co\u{302}te" matches too).
/// Sorted, each once, into `out` (cleared first).
fn variants_into<'a>(term: &'a str, accents: bool, apostrophes: bool, out: &mut Vec<Cow<'a, str>>) {
    out.clear();
    let plain = term.is_ascii()
        && !term.contains('\'')
        && !term.starts_with(' ')
        && !term.ends_with(' ')
        && !term.contains("  ")
        && !term.bytes().any(|b| b.is_ascii_whitespace() && b != b' ');
    if plain {
        // Most terms: no other form (ASCII has no accents and one normal form).
        out.push(Cow::Borrowed(term));
        return;
    }
    out.extend(
        variants(term, accents, apostrophes)
            .into_iter()
            .map(Cow::Owned),
    );
}

fn variants(term: &str, accents: bool, apostrophes: bool) -> Vec<String> {
    let base = collapse_spaces(term);
    let mut out = vec![base.clone()];
    let nfd: String = base.nfd().collect();
    if nfd != base {
        out.push(nfd.clone());
        out.push(base.nfc().collect());
    }
    if accents {
        let stripped: String = nfd
            .chars()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .collect();
        out.push(stripped);
    }
    if apostrophes {
        let mut more = Vec::new();
        for v in &out {
            if v.contains('\'') || v.contains('’') {
                more.push(v.replace('’', "'"));
                more.push(v.replace('\'', "’"));
            }
        }
        out.extend(more);
    }
    out.sort();
    out.dedup();
    out
}

/// A word as the whitespace pre-filter compares it: leading punctuation trimmed, lower case.
fn word_key(w: &str) -> String {
    w.trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, w) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// A character that continues a word: letters, digits, `_` and combining marks.
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    if ('\u{2000}'..='\u{206F}').contains(&c) {
        // General Punctuation (’, “, –, no-break and zero-width spaces): no letter, digit
        // or mark in the block, and frequent in news text.
        return false;
    }
    c.is_alphanumeric() || c == '_' || unicode_normalization::char::is_combining_mark(c)
}

/// Compares a text slice with a term's exact spelling, where any whitespace run in the text
/// equals one space and `’` equals `'`.
fn same_spelling(slice: &str, exact: &str) -> bool {
    let mut a = slice.chars().peekable();
    let mut b = exact.chars();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(' ')) if x.is_whitespace() => {
                while a.peek().is_some_and(|c| c.is_whitespace()) {
                    a.next();
                }
            }
            (Some(x), Some(y)) if x == y || (is_apostrophe(x) && is_apostrophe(y)) => {}
            _ => return false,
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

impl Tagger {
    /// A builder with the default options.
    pub fn builder() -> TaggerBuilder {
        TaggerBuilder::new()
    }

    /// The options it was built with.
    pub fn options(&self) -> &TaggerOptions {
        &self.opts
    }

    /// The number of distinct patterns in the automaton: the terms and their variants, and
    /// the digits and number words that drive the FIGURE recogniser.
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// The automaton's patterns, in pattern-id order: the terms and their variants (as
    /// searched: folded in `unicode` mode), then the digits and number words that drive the
    /// FIGURE recogniser. The raw automaton over these is the ceiling the tagger is measured
    /// against.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter()
    }

    /// Tags `text`: spans in byte offsets, sorted by start then end. In the leftmost modes
    /// they never overlap.
    pub fn tag(&self, text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        self.tag_with(text, &mut Scratch::new(), &mut out);
        out
    }

    /// Tags `text` into `out` (cleared first), reusing `scratch`: no allocation once the
    /// buffers are large enough.
    pub fn tag_with(&self, text: &str, scratch: &mut Scratch, out: &mut Vec<Span>) {
        out.clear();
        scratch.figures.clear();
        if let Some(ac) = &self.ac {
            irregular_runs_into(text, &mut scratch.runs);
            let overlapping = self.opts.match_kind == MatchKind::Overlapping;
            let figs = self.fused_figures.then_some(&mut scratch.figures);
            if self.always_rewrite || (overlapping && !scratch.runs.is_empty()) {
                rewrite_into(text, self.rewrite, &mut scratch.buf, &mut scratch.map);
                let map = &scratch.map;
                self.search(ac, text, scratch.buf.as_bytes(), |p| map.get(p), out, figs);
            } else {
                self.search(ac, text, text.as_bytes(), |p| p, out, figs);
                if !scratch.runs.is_empty() {
                    self.across_runs(ac, text, scratch, out);
                }
            }
        }
        if self.opts.figures {
            if !self.fused_figures {
                figures::find_into(text, self.opts.figure_label, &mut scratch.figures);
            }
            if !scratch.figures.is_empty() {
                self.merge_figures(&mut scratch.figures, out);
            }
        }
    }

    /// Finds the names that span an irregular whitespace run ("Assimi\nGoïta") by searching a
    /// rewritten window around each run, and merges them with `out` (leftmost modes): a name
    /// found across a run wins over what it overlaps when it starts first, or at the same
    /// place and is longer.
    fn across_runs(&self, ac: &Engine, text: &str, scratch: &mut Scratch, out: &mut Vec<Span>) {
        let margin = ac.max_pattern_len() + 16;
        let n = out.len();
        for &(a, b) in &scratch.runs {
            let word_start = text[..a]
                .rfind(char::is_whitespace)
                .map(|i| i + text[i..].chars().next().map_or(1, char::len_utf8))
                .unwrap_or(0);
            let word = text[word_start..a].trim_start_matches(|c: char| !c.is_alphanumeric());
            scratch.key.clear();
            scratch
                .key
                .extend(word.chars().flat_map(char::to_lowercase));
            if !self.words_before_space.contains(scratch.key.as_str()) {
                continue;
            }
            let mut ws = a.saturating_sub(margin);
            while !text.is_char_boundary(ws) {
                ws -= 1;
            }
            let mut we = (b + margin).min(text.len());
            while !text.is_char_boundary(we) {
                we += 1;
            }
            rewrite_into(
                &text[ws..we],
                self.rewrite,
                &mut scratch.buf,
                &mut scratch.map,
            );
            let map = &scratch.map;
            let to_orig = |p: usize| match map.get(p) {
                INSIDE => INSIDE,
                m => m + ws,
            };
            scratch.window.clear();
            self.search(
                ac,
                text,
                scratch.buf.as_bytes(),
                to_orig,
                &mut scratch.window,
                None,
            );
            out.extend(
                scratch
                    .window
                    .drain(..)
                    .filter(|s| s.start < a && s.end > b),
            );
        }
        if out.len() == n {
            return;
        }
        out.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        let mut kept = 0;
        for i in 0..out.len() {
            if kept == 0 || out[i].start >= out[kept - 1].end {
                out.swap(kept, i);
                kept += 1;
            }
        }
        out.truncate(kept);
    }

    /// Tags every document of `corpus` into an [`AnnotationSet`] (code-point offsets, every
    /// document present even without a mention).
    pub fn tag_corpus(&self, corpus: &Corpus) -> AnnotationSet {
        let mut set = AnnotationSet::new();
        let mut scratch = Scratch::new();
        let mut spans = Vec::new();
        for d in corpus.documents() {
            self.tag_with(&d.text, &mut scratch, &mut spans);
            set.ensure_doc(&d.id);
            set.insert_tagged(&d.id, &d.text, &spans);
        }
        set
    }

    /// Searches `hay` (the text itself, or a rewriting of it that `to_orig` maps back) and
    /// pushes the accepted gazetteer matches to `out`. With `figs`, the FIGURE recogniser is
    /// shown every place a FIGURE may start (see [`figures::FigureScan`]): the starts of
    /// matches, and the tokens inside accepted ones.
    fn search<F: Fn(usize) -> usize>(
        &self,
        ac: &Engine,
        text: &str,
        hay: &[u8],
        to_orig: F,
        out: &mut Vec<Span>,
        mut figs: Option<&mut Vec<Span>>,
    ) {
        let mut scan = figures::FigureScan::new(self.opts.figure_label);
        let raw = std::ptr::eq(hay, text.as_bytes());
        if self.opts.match_kind == MatchKind::Overlapping {
            let Engine::Unanchored(ac) = ac else {
                unreachable!("the overlapping mode is never anchored");
            };
            for m in ac.find_overlapping_iter(hay) {
                let (os, oe) = (to_orig(m.start()), to_orig(m.end()));
                if os == INSIDE || oe == INSIDE || !self.start_ok(text, os) {
                    continue;
                }
                if let Some(c) = self.accept(text, os, oe, m.pattern().as_usize()) {
                    out.push(Span::new(os, oe, c.label, c.norm.clone()));
                }
            }
            out.sort_by_key(|s| (s.start, s.end));
            out.dedup_by(|a, b| a.start == b.start && a.end == b.end);
            return;
        }
        let mut pos = 0;
        while pos < hay.len() {
            let found = match ac {
                Engine::Anchored(trie, words) => self.find_at_starts(trie, words, hay, pos),
                Engine::Unanchored(ac) => ac
                    .find(Input::new(hay).range(pos..))
                    .map(|m| (m.start(), m.end(), m.pattern().as_usize())),
            };
            let Some((s, mut e, mut pid)) = found else {
                break;
            };
            let os = to_orig(s);
            if pid >= self.first_figure && self.figure_alone[pid - self.first_figure] {
                // Only the recogniser wants this place; no gazetteer term starts here.
                let mut word_end = None;
                if let Some(figs) = figs.as_deref_mut() {
                    if os != INSIDE && !mid_word(hay, s) {
                        word_end = scan.at(text, os, figs);
                    }
                }
                pos = self.after_rejected(hay, s);
                if raw && self.opts.word_boundaries {
                    // Nor inside the rest of a word the recogniser has read.
                    pos = pos.max(word_end.unwrap_or(0));
                }
                continue;
            }
            let mut found = None;
            if os != INSIDE && self.start_ok(text, os) {
                loop {
                    let oe = to_orig(e);
                    if oe != INSIDE {
                        if let Some(c) = self.accept(text, os, oe, pid) {
                            found = Some((oe, c));
                            break;
                        }
                    }
                    if let Some(all) = &self.all {
                        // Leftmost-first: a later-listed match at `s` may be longer.
                        if let Some((e2, oe, c)) = self.first_listed_at(all, text, hay, &to_orig, s)
                        {
                            e = e2;
                            found = Some((oe, c));
                        }
                        break;
                    }
                    // The longest match at `s` is not acceptable: look for a shorter one.
                    if e <= s + 1 {
                        break;
                    }
                    let shorter = match ac {
                        Engine::Anchored(trie, _) => trie.find_at(hay, s, e - 1),
                        Engine::Unanchored(ac) => ac
                            .find(Input::new(hay).range(s..e - 1))
                            .filter(|m2| m2.start() == s)
                            .map(|m2| (m2.end(), m2.pattern().as_usize())),
                    };
                    match shorter {
                        Some((e2, pid2)) => (e, pid) = (e2, pid2),
                        None => break,
                    }
                }
            }
            match found {
                Some((oe, c)) => {
                    out.push(Span::new(os, oe, c.label, c.norm.clone()));
                    if let Some(figs) = figs.as_deref_mut() {
                        scan.within(text, os, oe, figs);
                    }
                    pos = e;
                }
                None => {
                    if let Some(figs) = figs.as_deref_mut() {
                        if os != INSIDE
                            && !mid_word(hay, s)
                            && figures::FigureScan::may_start_at(text, os)
                        {
                            scan.at(text, os, figs);
                        }
                    }
                    pos = self.after_rejected(hay, s);
                }
            }
        }
    }

    /// The first match from `from` on that starts at a place where a match may start (a
    /// byte some pattern starts with, unless it and the byte before it are both ASCII word
    /// bytes): the trie's, anchored there. The unanchored search it replaces would also find matches inside
    /// words, which `search` rejects without a trace: at those places the previous byte is an
    /// ASCII word byte (so no FIGURE starts there either, see [`mid_word`]) and so is the
    /// first one (in a rewritten buffer too: see [`Tagger::after_rejected`]).
    ///
    /// A place is searched only if a pattern may start there. A gazetteer match is only
    /// accepted at a place whose leading run of ASCII word bytes equals its pattern's: a
    /// shorter run in `hay` cannot match the pattern's bytes, and a longer one continues a
    /// word past the pattern's end, or past the non-ASCII byte that ends its run (in a
    /// rewritten buffer too: an ASCII word byte there comes from a word character of the
    /// text, so the match would end inside a word of the text, or inside the expansion of
    /// one character). So each word of `hay` is read once, 8 bytes at a time, and looked up
    /// in the exact set of those runs ([`WordMap`]), which also gives the trie node after it:
    /// the walk goes on from there. A place that no gazetteer match can be accepted at matters
    /// only when a FIGURE may start there (the recogniser is shown rejected matches too), so
    /// it is skipped unless one of the recogniser's start patterns may.
    fn find_at_starts(
        &self,
        trie: &Trie,
        words: &WordMap,
        hay: &[u8],
        mut from: usize,
    ) -> Option<(usize, usize, usize)> {
        let starts = &*self.starts;
        let n = hay.len();
        let class = |i: usize| starts[usize::from(hay[i])];
        if from > 0 && from < n && class(from - 1) & class(from) & ASCII_WORD != 0 {
            // Inside a word: no match starts before its end.
            from += words.scan(&hay[from..]).len;
        }
        let mut s = from;
        while s < n {
            let c = class(s);
            if c & ASCII_WORD == 0 {
                // A pattern starting with another byte has an empty leading run.
                if c & STARTS_PATTERN != 0 && words.has_empty() {
                    if let Some((e, pid)) = trie.find_at(hay, s, n) {
                        return Some((s, e, pid));
                    }
                }
                s += 1;
                continue;
            }
            let word = words.scan(&hay[s..]);
            let k = word.len;
            if c & STARTS_PATTERN != 0 && words.may_begin(&word) {
                let found = match words.lookup(&hay[s..s + k], &word) {
                    Lookup::Node(node, best) => {
                        trie.find_from(hay, node, best.map(|(l, p)| (s + l, p)), s + k, n)
                    }
                    Lookup::Absent
                        if words.may_start_figure(&word)
                            && self.figure_prefixes.may_start(&hay[s..]) =>
                    {
                        trie.find_at(hay, s, n)
                    }
                    Lookup::Absent => None,
                };
                if let Some((e, pid)) = found {
                    return Some((s, e, pid));
                }
            }
            // No match starts inside the word.
            s += k;
        }
        None
    }

    /// The acceptable match at `s` whose pattern is listed first, among all matches at `s`
    /// (any length): its end in `hay`, its end in `text`, and its candidate.
    fn first_listed_at<F: Fn(usize) -> usize>(
        &self,
        all: &AhoCorasick,
        text: &str,
        hay: &[u8],
        to_orig: &F,
        s: usize,
    ) -> Option<(usize, usize, &Candidate)> {
        let os = to_orig(s);
        let mut best: Option<(usize, usize, usize, &Candidate)> = None;
        // Matches come in order of their end: none past this one can start at `s`.
        for m in all.find_overlapping_iter(Input::new(hay).range(s..)) {
            if m.end() - s > all.max_pattern_len() {
                break;
            }
            let pid = m.pattern().as_usize();
            if m.start() != s || best.is_some_and(|b| b.0 < pid) {
                continue;
            }
            let oe = to_orig(m.end());
            if oe == INSIDE {
                continue;
            }
            if let Some(c) = self.accept(text, os, oe, pid) {
                best = Some((pid, m.end(), oe, c));
            }
        }
        best.map(|(_, e, oe, c)| (e, oe, c))
    }

    /// Where to search next when no match at `s` is accepted. With word boundaries, a match
    /// cannot start after a word character unless it starts with a non-word one: the rest of
    /// the ASCII word at `s` is skipped (in a rewritten buffer too: an ASCII letter or digit
    /// there comes from a letter or digit of the text, and a dropped accent is a word
    /// character). This saves a restart of the automaton per letter of words like "under"
    /// that begin with a short case-folded term ("un").
    fn after_rejected(&self, hay: &[u8], s: usize) -> usize {
        let next = s + utf8_len(hay[s]);
        if !self.opts.word_boundaries || !is_ascii_word_byte(hay[s]) {
            return next;
        }
        next + hay[next..]
            .iter()
            .position(|&b| !is_ascii_word_byte(b))
            .unwrap_or(hay.len() - next)
    }

    fn start_ok(&self, text: &str, os: usize) -> bool {
        if !self.opts.word_boundaries {
            return true;
        }
        let first = text[os..].chars().next();
        let prev = text[..os].chars().next_back();
        !(first.is_some_and(is_word_char) && prev.is_some_and(is_word_char))
    }

    fn accept(&self, text: &str, os: usize, oe: usize, pid: usize) -> Option<&Candidate> {
        if os >= oe {
            return None;
        }
        if self.opts.word_boundaries {
            let last = text[..oe].chars().next_back();
            let next = text[oe..].chars().next();
            if last.is_some_and(is_word_char) && next.is_some_and(is_word_char) {
                return None;
            }
        }
        let (a, b) = self.ranges[pid];
        let slice = &text[os..oe];
        self.cands[a as usize..b as usize]
            .iter()
            .find(|c| c.exact.as_deref().is_none_or(|x| same_spelling(slice, x)))
    }

    /// Adds the recogniser's FIGURE spans that do not overlap a gazetteer span (the gazetteer
    /// wins: "G5 Sahel" is an ACTOR, not a FIGURE inside one).
    fn merge_figures(&self, figs: &mut [Span], out: &mut Vec<Span>) {
        let n = out.len();
        let sorted_by_end = self.opts.match_kind != MatchKind::Overlapping;
        let mut j = 0;
        for f in figs.iter_mut() {
            let clash = if sorted_by_end {
                // Gazetteer spans are sorted and disjoint: sweep.
                while j < n && out[j].end <= f.start {
                    j += 1;
                }
                j < n && out[j].start < f.end
            } else {
                out[..n].iter().any(|g| g.overlaps(f))
            };
            if !clash {
                out.push(std::mem::replace(
                    f,
                    Span::new(0, 0, self.opts.figure_label, Norm::None),
                ));
            }
        }
        if out.len() > n {
            out.sort_by_key(|s| (s.start, s.end));
        }
    }
}

/// In [`Tagger::starts`]: some pattern starts with this byte.
const STARTS_PATTERN: u8 = 1;
/// In [`Tagger::starts`]: an ASCII letter, digit or `_`.
const ASCII_WORD: u8 = 2;

/// A Bloom-like set of the patterns' first bytes: a pattern of one to three bytes by its
/// bytes, a longer one by its first four. No false negatives; about 1 in 16 false positives.
#[derive(Clone, Debug)]
struct PrefixFilter {
    bits: Box<[u64]>,
    /// `64 - log2(bits)`: the hash's top bits index the set.
    shift: u32,
    /// Bit `k` set: some pattern has `k` bytes (k < 4).
    short: u8,
    ascii_ci: bool,
}

impl PrefixFilter {
    fn new(patterns: usize, ascii_ci: bool) -> PrefixFilter {
        // 16 bits a pattern (a case-insensitive one adds no key: keys are lower-cased).
        let log2 = (patterns.max(1) * 16)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(12, 24);
        PrefixFilter {
            bits: vec![0; 1 << (log2 - 6)].into_boxed_slice(),
            shift: 64 - log2,
            short: 0,
            ascii_ci,
        }
    }

    fn slot(&self, key: u32, len: usize) -> usize {
        let h = (u64::from(key) | (len as u64) << 32).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> self.shift) as usize
    }

    fn byte(&self, b: u8) -> u32 {
        u32::from(if self.ascii_ci {
            b.to_ascii_lowercase()
        } else {
            b
        })
    }

    fn insert(&mut self, p: &[u8]) {
        let len = p.len().min(4);
        if len < 4 {
            self.short |= 1 << len;
        }
        let key = p[..len]
            .iter()
            .enumerate()
            .fold(0, |k, (i, &b)| k | self.byte(b) << (8 * i));
        let i = self.slot(key, len);
        self.bits[i >> 6] |= 1 << (i & 63);
    }

    /// Whether some pattern may be a prefix of `hay`.
    fn may_start(&self, hay: &[u8]) -> bool {
        let mut key = 0;
        for (i, &b) in hay.iter().take(4).enumerate() {
            key |= self.byte(b) << (8 * i);
            let len = i + 1;
            if len == 4 || self.short & (1 << len) != 0 {
                let j = self.slot(key, len);
                if self.bits[j >> 6] & (1 << (j & 63)) != 0 {
                    return true;
                }
            }
        }
        false
    }
}

/// Byte `s` follows an ASCII letter or digit, so no token starts there (in a rewritten buffer
/// too: such a byte comes from a letter or digit of the text).
fn mid_word(hay: &[u8], s: usize) -> bool {
    s > 0 && is_ascii_word_byte(hay[s - 1])
}

pub(crate) fn is_ascii_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// What searches a text: the Aho-Corasick automaton over every byte, or, in the leftmost
/// modes with word boundaries, a trie searched anchored at the places a match may start.
#[derive(Clone, Debug)]
enum Engine {
    Unanchored(AhoCorasick),
    /// The trie, and the leading words of the gazetteer's patterns (see [`WordMap`]).
    Anchored(Trie, WordMap),
}

impl Engine {
    fn max_pattern_len(&self) -> usize {
        match self {
            Engine::Unanchored(ac) => ac.max_pattern_len(),
            Engine::Anchored(trie, _) => trie.max_pattern_len(),
        }
    }
}

mod patterns;
#[cfg(test)]
mod tests;
mod trie;
mod words;

use patterns::PatternSet;
use trie::Trie;
use words::{Lookup, WordMap};
