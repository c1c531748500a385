//! The FIGURE recogniser: cardinal counts and amounts, following `gold/GUIDELINES.md`.
//!
//! It finds, with their integer value as norm:
//! - digits with thousands separators and decimals: "49", "13,000", "2,400", "1.5 million"
//!   (a decimal without a scale word has no integer value: empty norm);
//! - number words and their compounds: "nine", "forty-nine", "six million",
//!   "two hundred and fifty";
//! - vague counts, with an empty norm: "hundreds", "Thousands", "dozens",
//!   "tens of thousands", "hundreds of thousands".
//!
//! It skips years (a bare 4-digit number from 1000 to 2100, unless a plural noun follows:
//! "2013", "the 2020 coup", but "1500 soldiers"), dates ("June 30", "20 June",
//! "July 15, 2022"), times ("10:30", "3 pm"), ordinals ("eighth", "1st"), digits inside
//! identifiers ("G5", "COVID-19", "gtag.js", "5km") and "one" used as a pronoun ("no one",
//! "one of", "one another").
//!
//! The lexicon is built in (below): English number words are a closed class.

use crate::label::{Label, Norm};
use crate::span::Span;
use crate::tagger::is_word_char;
use crate::text;

/// The number words below twenty, by value (also the perturbations' number words).
pub(crate) const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
/// The tens' words with their values.
pub(crate) const TENS: [(&str, u64); 8] = [
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];
const SCALES: [(&str, u64); 4] = [
    ("thousand", 1_000),
    ("million", 1_000_000),
    ("billion", 1_000_000_000),
    ("trillion", 1_000_000_000_000),
];
const VAGUE: [&str; 5] = ["hundreds", "thousands", "millions", "billions", "dozens"];
const MONTHS: [&str; 23] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
];
const YEAR_WORDS: [&str; 11] = [
    "in", "since", "by", "until", "from", "of", "before", "after", "during", "mid", "early",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Digits, possibly with `,` / `.` between digit groups.
    Num,
    /// Letters only.
    Word,
    /// Letters and digits mixed ("G5", "1st").
    Mixed,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    start: usize,
    end: usize,
    kind: Kind,
}

/// The next token at or after byte `pos`: a maximal run of word characters, where `,` or `.`
/// between two ASCII digits joins ("13,000", "1.5").
fn next_token(text: &str, mut pos: usize) -> Option<Tok> {
    let b = text.as_bytes();
    // Skip to the next word character (ASCII fast path).
    loop {
        if pos >= b.len() {
            return None;
        }
        let c = b[pos];
        if c < 0x80 {
            if c.is_ascii_alphanumeric() || c == b'_' {
                break;
            }
            pos += 1;
        } else {
            let ch = text[pos..].chars().next()?;
            if is_word_char(ch) {
                break;
            }
            pos += ch.len_utf8();
        }
    }
    let start = pos;
    let (mut digits, mut letters) = (false, false);
    while pos < b.len() {
        let c = b[pos];
        if c.is_ascii_digit() {
            digits = true;
            pos += 1;
        } else if c < 0x80 {
            if c.is_ascii_alphabetic() || c == b'_' {
                letters = true;
                pos += 1;
            } else if (c == b',' || c == b'.')
                && pos > start
                && b[pos - 1].is_ascii_digit()
                && b.get(pos + 1).is_some_and(u8::is_ascii_digit)
            {
                pos += 1;
            } else {
                break;
            }
        } else {
            let Some(ch) = text[pos..].chars().next() else {
                break;
            };
            if !is_word_char(ch) {
                break;
            }
            letters = true;
            pos += ch.len_utf8();
        }
    }
    let kind = match (digits, letters) {
        (true, false) => Kind::Num,
        (false, true) => Kind::Word,
        _ => Kind::Mixed,
    };
    Some(Tok {
        start,
        end: pos,
        kind,
    })
}

fn lower_eq(s: &str, word: &str) -> bool {
    s.eq_ignore_ascii_case(word)
}

/// A number word's value when `s` is written in lower case, Capitalised or UPPER case.
fn plain_case(s: &str) -> bool {
    let mut cs = s.chars();
    let Some(first) = cs.next() else { return false };
    let rest: &str = cs.as_str();
    (first.is_ascii_lowercase() || first.is_ascii_uppercase())
        && (rest.bytes().all(|c| c.is_ascii_lowercase())
            || rest.bytes().all(|c| c.is_ascii_uppercase()))
}

fn unit_or_ten(s: &str) -> Option<u64> {
    if !plain_case(s) {
        return None;
    }
    if let Some(i) = UNITS.iter().position(|w| lower_eq(s, w)) {
        return Some(i as u64);
    }
    TENS.iter().find(|(w, _)| lower_eq(s, w)).map(|&(_, v)| v)
}

fn scale(s: &str) -> Option<u64> {
    if !plain_case(s) {
        return None;
    }
    SCALES.iter().find(|(w, _)| lower_eq(s, w)).map(|&(_, v)| v)
}

fn is_one_of(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| lower_eq(s, w))
}

/// A paragraph break (see [`crate::text`]) between `a` and `b`, across which no token is the
/// "previous" one (so a text cut at its paragraph breaks is recognised piece by piece exactly
/// as a whole).
fn paragraph_between(text: &str, a: usize, b: usize) -> bool {
    text::has_paragraph_break(&text[a..b])
}

/// The text between two tokens is a single space-like gap (no punctuation, no paragraph
/// break).
fn gap_is_space(text: &str, a: usize, b: usize) -> bool {
    let g = &text[a..b];
    !g.is_empty() && g.chars().all(char::is_whitespace) && !text::has_paragraph_break(g)
}

/// Finds every FIGURE of `text` and appends it to `out` with `label`, sorted, byte offsets.
pub fn find_into(text: &str, label: Label, out: &mut Vec<Span>) {
    let mut prev: Option<Tok> = None;
    let mut pos = 0;
    while let Some(t) = next_token(text, pos) {
        pos = t.end;
        if prev.is_some_and(|p| paragraph_between(text, p.end, t.start)) {
            prev = None;
        }
        let emitted = match t.kind {
            Kind::Num => numeral(text, prev, t, label, out),
            Kind::Word => words(text, prev, t, label, out),
            Kind::Mixed => None,
        };
        if let Some(end) = emitted {
            pos = end;
            prev = None;
        } else {
            prev = Some(t);
        }
    }
}

/// The words a FIGURE can start with, in lower case: the units, the tens and the vague
/// counts. With the ten digits they are the patterns that [`FigureScan`] is driven by.
pub(crate) fn start_words() -> impl Iterator<Item = &'static str> {
    UNITS
        .iter()
        .copied()
        .chain(TENS.iter().map(|&(w, _)| w))
        .chain(VAGUE.iter().copied())
        .chain(std::iter::once("tens"))
}

/// The patterns an automaton needs so that every place a FIGURE can start is one of its
/// matches: the ten digits and [`start_words`], each in lower case and, unless the automaton
/// folds case itself (`folded`), also Capitalised and in UPPER case (the recogniser accepts
/// only these three shapes).
pub(crate) fn start_patterns(folded: bool) -> Vec<String> {
    let mut out: Vec<String> = (b'0'..=b'9').map(|d| char::from(d).to_string()).collect();
    for w in start_words() {
        out.push(w.to_string());
        if !folded {
            let mut cap = w.to_string();
            cap[..1].make_ascii_uppercase();
            out.push(cap);
            out.push(w.to_ascii_uppercase());
        }
    }
    out
}

/// The recogniser driven from outside: instead of tokenizing the whole text, it is shown
/// the places where a FIGURE may start (the matches of [`start_patterns`] found by the
/// tagger's own automaton, plus every token inside the gazetteer's matches), in increasing
/// order. Given every such place, it finds exactly what [`find_into`] finds: the token
/// before a place is looked up backwards, and what `find_into` would have skipped (the rest
/// of a token, the rest of an emitted FIGURE) is skipped here too.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FigureScan {
    /// Every token start before this has been dealt with.
    done: usize,
    /// The end of the last FIGURE emitted: `find_into` forgets the previous token there.
    last_emit: usize,
    /// The label of the spans it emits.
    label: Label,
}

impl FigureScan {
    /// A scan from the start of a text, emitting spans with `label`.
    pub(crate) fn new(label: Label) -> FigureScan {
        FigureScan {
            done: 0,
            last_emit: 0,
            label,
        }
    }

    /// Considers the place `p` (a character boundary of `text`). When a token starts there
    /// and has not been dealt with, it is recognised, and any FIGURE pushed to `out`.
    /// Returns the end of that token when nothing but word characters are in it (so no
    /// other token, and no word boundary, can be inside it).
    pub(crate) fn at(&mut self, text: &str, p: usize, out: &mut Vec<Span>) -> Option<usize> {
        if p < self.done || !token_starts_at(text, p) {
            return None;
        }
        let t = next_token(text, p)?;
        debug_assert_eq!(t.start, p);
        // The token before matters only to a token that may be a FIGURE (most are not).
        let prev = || {
            token_before(text, p)
                .filter(|q| q.start >= self.last_emit && !paragraph_between(text, q.end, p))
        };
        let emitted = match t.kind {
            Kind::Num => numeral(text, prev(), t, self.label, out),
            Kind::Word if is_start_word(&text[t.start..t.end]) => {
                words(text, prev(), t, self.label, out)
            }
            Kind::Word | Kind::Mixed => None,
        };
        match emitted {
            Some(end) => {
                self.done = end;
                self.last_emit = end;
            }
            None => self.done = t.end,
        }
        let joined = text.as_bytes()[t.start..t.end]
            .iter()
            .any(|&b| b == b',' || b == b'.');
        (!joined).then_some(t.end)
    }

    /// False when [`FigureScan::at`] is sure to find no FIGURE at `p` (which it need not be
    /// shown then): a token of ASCII letters there does not begin with the first three
    /// letters of a start word (see [`start_words`]), in any case.
    pub(crate) fn may_start_at(text: &str, p: usize) -> bool {
        let b = text.as_bytes();
        match b.get(p) {
            Some(c) if c.is_ascii_alphabetic() => b
                .get(p..p + 3)
                .is_some_and(|w| w.iter().all(u8::is_ascii_alphabetic) && start_prefix(w)),
            _ => true,
        }
    }

    /// Considers every place in `a..b` where a FIGURE may start (an ASCII digit or letter
    /// starting a token).
    pub(crate) fn within(&mut self, text: &str, a: usize, b: usize, out: &mut Vec<Span>) {
        let bytes = text.as_bytes();
        let mut p = a.max(self.done);
        while p < b {
            let c = bytes[p];
            // After an ASCII letter, digit or `_`, no token starts (see `token_starts_at`).
            let mid_word = p > 0 && {
                let q = bytes[p - 1];
                q.is_ascii_alphanumeric() || q == b'_'
            };
            if !mid_word
                && (c.is_ascii_digit() || may_start_number_word(c))
                && Self::may_start_at(text, p)
            {
                self.at(text, p, out);
                p = (p + 1).max(self.done);
            } else {
                p += 1;
            }
        }
    }
}

fn may_start_number_word(c: u8) -> bool {
    matches!(
        c.to_ascii_lowercase(),
        b'z' | b'o' | b't' | b'f' | b's' | b'e' | b'n' | b'h' | b'm' | b'b' | b'd'
    )
}

/// True when a token of [`next_token`] starts at byte `p`: a word character that neither
/// follows one nor follows a `,` or `.` joining two digits.
fn token_starts_at(text: &str, p: usize) -> bool {
    if !text.is_char_boundary(p) {
        return false;
    }
    let Some(c) = text[p..].chars().next() else {
        return false;
    };
    if !is_word_char(c) {
        return false;
    }
    let b = text.as_bytes();
    match text[..p].chars().next_back() {
        None => true,
        Some(',' | '.') => !(c.is_ascii_digit() && p >= 2 && b[p - 2].is_ascii_digit()),
        Some(q) => !is_word_char(q),
    }
}

/// The token that ends last before byte `p` (a token start), as [`next_token`] cuts it.
fn token_before(text: &str, p: usize) -> Option<Tok> {
    let b = text.as_bytes();
    let mut e = p;
    loop {
        let c = text[..e].chars().next_back()?;
        if is_word_char(c) {
            break;
        }
        e -= c.len_utf8();
    }
    let mut s = e;
    while let Some(c) = text[..s].chars().next_back() {
        if is_word_char(c) {
            s -= c.len_utf8();
        } else if (c == ',' || c == '.')
            && s >= 2
            && b[s - 2].is_ascii_digit()
            && b.get(s).is_some_and(u8::is_ascii_digit)
            && s < e
        {
            s -= 1;
        } else {
            break;
        }
    }
    next_token(text, s)
}

/// Whether the three ASCII letters `w` begin one of [`start_words`], in any case (a start
/// word is all ASCII letters, at least three).
fn start_prefix(w: &[u8]) -> bool {
    let low = [
        w[0].to_ascii_lowercase(),
        w[1].to_ascii_lowercase(),
        w[2].to_ascii_lowercase(),
    ];
    matches!(
        &low,
        b"zer"
            | b"one"
            | b"two"
            | b"thr"
            | b"fou"
            | b"fiv"
            | b"six"
            | b"sev"
            | b"eig"
            | b"nin"
            | b"ten"
            | b"ele"
            | b"twe"
            | b"thi"
            | b"fif"
            | b"for"
            | b"hun"
            | b"tho"
            | b"mil"
            | b"bil"
            | b"doz"
    )
}

/// Whether `w` is one of [`start_words`] in any ASCII case: a FIGURE of words starts with
/// one ([`words`] returns `None` for any other word).
fn is_start_word(w: &str) -> bool {
    let b = w.as_bytes();
    if !(3..=9).contains(&b.len()) {
        return false;
    }
    let mut low = [0u8; 9];
    for (l, &c) in low.iter_mut().zip(b) {
        *l = c.to_ascii_lowercase();
    }
    matches!(
        &low[..b.len()],
        b"zero"
            | b"one"
            | b"two"
            | b"three"
            | b"four"
            | b"five"
            | b"six"
            | b"seven"
            | b"eight"
            | b"nine"
            | b"ten"
            | b"eleven"
            | b"twelve"
            | b"thirteen"
            | b"fourteen"
            | b"fifteen"
            | b"sixteen"
            | b"seventeen"
            | b"eighteen"
            | b"nineteen"
            | b"twenty"
            | b"thirty"
            | b"forty"
            | b"fifty"
            | b"sixty"
            | b"seventy"
            | b"eighty"
            | b"ninety"
            | b"hundreds"
            | b"thousands"
            | b"millions"
            | b"billions"
            | b"dozens"
            | b"tens"
    )
}

/// A cheap filter before the lexicon: every number word of the lexicon is 3 to 9 ASCII
/// letters long and starts with one of these letters.
fn may_be_number_word(w: &str) -> bool {
    (3..=9).contains(&w.len()) && may_start_number_word(w.as_bytes()[0])
}

/// The tokens recognised from `t` on, as a FIGURE; returns the end of what it consumed.
fn numeral(
    text: &str,
    prev: Option<Tok>,
    t: Tok,
    label: Label,
    out: &mut Vec<Span>,
) -> Option<usize> {
    let s = &text[t.start..t.end];
    let before = text[..t.start].chars().next_back();
    let after = text[t.end..].chars().next();
    let after2 = text[t.end..].chars().nth(1);
    // Identifiers: "COVID-19", "A/B-12"; glued units were excluded by the tokenizer.
    if before == Some('-') || before == Some('/') {
        let b2 = text[..t.start].chars().rev().nth(1);
        if b2.is_some_and(|c| c.is_alphanumeric()) {
            return None;
        }
    }
    // Times and numeric dates: "10:30", "20/06/2022", "20.06" handled by the parser below.
    if matches!(after, Some(':') | Some('/')) && after2.is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    if matches!(before, Some('.') | Some(',') | Some(':')) {
        // ".5" or a list like "1,2" glued to punctuation: not a clean numeral.
        if text[..t.start]
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|c| c.is_ascii_digit())
        {
            return None;
        }
    }
    let (int, frac) = parse_digits(s)?;
    let Some(int) = int else {
        // Too large for a 64-bit integer: still a numeral, with no value.
        out.push(Span::new(t.start, t.end, label, Norm::None));
        return Some(t.end);
    };
    let plain = !s.contains(',') && !s.contains('.');
    let next = next_token(text, t.end).filter(|n| gap_is_space(text, t.end, n.start));
    let next_word = next
        .filter(|n| n.kind == Kind::Word)
        .map(|n| &text[n.start..n.end]);
    let prev_word = prev.map(|p| &text[p.start..p.end]);
    // Dates: "June 30", "July 15, 2022", "20 June".
    if plain && (1..=31).contains(&int) {
        let prev_is_month = prev.is_some_and(|p| {
            is_one_of(&text[p.start..p.end], &MONTHS)
                && text[p.end..t.start]
                    .chars()
                    .all(|c| c.is_whitespace() || c == '.')
        });
        if prev_is_month || next_word.is_some_and(|w| is_one_of(w, &MONTHS)) {
            return None;
        }
    }
    // Times: "3 pm", "10 a.m.", "0900 GMT".
    if let (Some(n), Some(w)) = (next, next_word) {
        let dotted = (lower_eq(w, "a") || lower_eq(w, "p")) && text[n.end..].starts_with('.');
        if plain && (is_one_of(w, &["am", "pm", "gmt", "utc"]) || dotted) {
            return None;
        }
    }
    // Years.
    if plain && s.len() == 4 && (1000..=2100).contains(&int) {
        let counted = next_word.is_some_and(|w| {
            w.len() > 2 && w.ends_with('s') && w.starts_with(|c: char| c.is_ascii_lowercase())
        });
        let year_cue =
            prev_word.is_some_and(|w| is_one_of(w, &MONTHS) || is_one_of(w, &YEAR_WORDS));
        if !counted || year_cue {
            return None;
        }
    }
    // A scale word: "1.5 million", "13 million".
    let mut end = t.end;
    let mut value = if frac.is_empty() { Some(int) } else { None };
    if let (Some(n), Some(w)) = (next, next_word) {
        if let Some(sc) = scale(w) {
            end = n.end;
            value = scaled(int, frac, sc);
        }
    }
    out.push(Span::new(
        t.start,
        end,
        label,
        value.map(Norm::Value).unwrap_or(Norm::None),
    ));
    Some(end)
}

/// `int` and the fractional digits of a numeral with optional thousands separators.
fn parse_digits(s: &str) -> Option<(Option<u64>, &str)> {
    let (intpart, frac) = match s.split_once('.') {
        Some((a, b)) if !b.contains('.') && !b.contains(',') => (a, b),
        Some(_) => return None,
        None => (s, ""),
    };
    if intpart.contains(',') {
        let mut groups = intpart.split(',');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || groups.clone().any(|g| g.len() != 3) {
            return None;
        }
    }
    let mut v: Option<u64> = Some(0);
    for d in intpart.bytes().filter(|&c| c != b',') {
        v = v
            .and_then(|v| v.checked_mul(10))
            .and_then(|v| v.checked_add(u64::from(d - b'0')));
    }
    Some((v, frac))
}

/// `int.frac * scale` when it is an integer.
fn scaled(int: u64, frac: &str, scale: u64) -> Option<u64> {
    let mut v = int.checked_mul(scale)?;
    let mut unit = scale;
    for d in frac.bytes() {
        if unit % 10 != 0 {
            return None;
        }
        unit /= 10;
        v = v.checked_add(u64::from(d - b'0') * unit)?;
    }
    Some(v)
}

/// Number words from `t` on.
fn words(
    text: &str,
    prev: Option<Tok>,
    t: Tok,
    label: Label,
    out: &mut Vec<Span>,
) -> Option<usize> {
    let w = &text[t.start..t.end];
    if !may_be_number_word(w) {
        return None;
    }
    // Vague counts, with "tens of thousands" and "hundreds of thousands".
    let is_tens = lower_eq(w, "tens") && plain_case(w);
    if (is_one_of(w, &VAGUE) && plain_case(w)) || is_tens {
        let mut end = t.end;
        if let Some(of) = next_token(text, t.end).filter(|n| gap_is_space(text, t.end, n.start)) {
            if lower_eq(&text[of.start..of.end], "of") {
                if let Some(v) =
                    next_token(text, of.end).filter(|n| gap_is_space(text, of.end, n.start))
                {
                    let vw = &text[v.start..v.end];
                    if is_one_of(vw, &["thousands", "millions", "billions"]) {
                        end = v.end;
                    }
                }
            }
        }
        if is_tens && end == t.end {
            return None;
        }
        out.push(Span::new(t.start, end, label, Norm::None));
        return Some(end);
    }
    let first = unit_or_ten(w)?;
    // Parse a compound: units, tens, "forty-nine", "hundred", scales, "and".
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut end = t.end;
    let mut cur = t;
    let mut last_was_ten = TENS.iter().any(|(x, _)| lower_eq(w, x));
    let mut last_number = true; // the last token consumed was a unit or ten
    current += first;
    // "forty-nine"
    loop {
        let rest = &text[end..];
        if last_was_ten && rest.starts_with('-') {
            if let Some(n) = next_token(text, end + 1).filter(|n| n.start == end + 1) {
                if let Some(u) =
                    unit_or_ten(&text[n.start..n.end]).filter(|&u| (1..10).contains(&u))
                {
                    current += u;
                    end = n.end;
                    cur = n;
                    last_was_ten = false;
                    continue;
                }
            }
        }
        let Some(n) = next_token(text, end).filter(|n| gap_is_space(text, end, n.start)) else {
            break;
        };
        let nw = &text[n.start..n.end];
        if lower_eq(nw, "hundred") && plain_case(nw) && current > 0 && current < 100 {
            current *= 100;
            end = n.end;
            cur = n;
            last_number = false;
            last_was_ten = false;
            continue;
        }
        if let Some(sc) = scale(nw) {
            if current == 0 {
                break;
            }
            total = total.checked_add(current.checked_mul(sc)?)?;
            current = 0;
            end = n.end;
            cur = n;
            last_number = false;
            last_was_ten = false;
            continue;
        }
        if lower_eq(nw, "and") && !last_number {
            // "two hundred and fifty": only when a number word follows.
            if let Some(m) = next_token(text, n.end).filter(|m| gap_is_space(text, n.end, m.start))
            {
                if let Some(u) = unit_or_ten(&text[m.start..m.end]) {
                    current += u;
                    end = m.end;
                    cur = m;
                    last_number = true;
                    last_was_ten = TENS.iter().any(|(x, _)| lower_eq(&text[m.start..m.end], x));
                    continue;
                }
            }
            break;
        }
        if !last_number {
            if let Some(u) = unit_or_ten(nw) {
                // "two thousand five", "one hundred twenty"
                current += u;
                end = n.end;
                cur = n;
                last_number = true;
                last_was_ten = TENS.iter().any(|(x, _)| lower_eq(nw, x));
                continue;
            }
        }
        break;
    }
    let _ = cur;
    let value = total.checked_add(current)?;
    // "zero" alone and pronoun "one" are not counts.
    if end == t.end {
        if first == 0 {
            return None;
        }
        if first == 1 {
            let p = prev.map(|p| &text[p.start..p.end]);
            let n = next_token(text, end)
                .filter(|n| gap_is_space(text, end, n.start))
                .map(|n| &text[n.start..n.end]);
            if p.is_some_and(|p| {
                is_one_of(
                    p,
                    &[
                        "no", "any", "every", "each", "the", "this", "that", "which", "someone",
                        "anyone",
                    ],
                )
            }) || n.is_some_and(|n| is_one_of(n, &["another", "of", "day", "time", "way"]))
            {
                return None;
            }
        }
    }
    // Ordinal-like or glued use: "one-off", "three-quarters": a hyphen followed by letters after
    // a single word is still a count ("three-day"), as in the guidelines' "11-page".
    out.push(Span::new(t.start, end, label, Norm::Value(value)));
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figs(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        find_into(text, Label::new("FIGURE").unwrap(), &mut out);
        out.iter()
            .map(|s| (text[s.range()].to_string(), s.norm.to_string()))
            .collect()
    }

    fn one(text: &str) -> (String, String) {
        let f = figs(text);
        assert_eq!(f.len(), 1, "{text:?}: {f:?}");
        f[0].clone()
    }

    fn p(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn digits() {
        let rows = [
            ("detained 49 Ivorian soldiers", p("49", "49")),
            ("Around 13,000 troops", p("13,000", "13000")),
            ("up to 2,400 troops", p("2,400", "2400")),
            ("over 1,000 soldiers", p("1,000", "1000")),
            ("at least 400,000 Malians", p("400,000", "400000")),
            ("An 11-page statement", p("11", "11")),
            ("1.5 million people", p("1.5 million", "1500000")),
            ("13 million people", p("13 million", "13000000")),
            ("grew 2.5 percent", p("2.5", "")),
            ("on 237 separate occasions", p("237", "237")),
            ("1500 soldiers", p("1500", "1500")),
            ("(50 civilians)", p("50", "50")),
        ];
        for (text, want) in rows {
            assert_eq!(one(text), want, "{text}");
        }
    }

    #[test]
    fn words_and_compounds() {
        let rows = [
            ("nine months later", p("nine", "9")),
            ("at least nine votes", p("nine", "9")),
            ("proposed three amendments", p("three", "3")),
            ("“four different versions”", p("four", "4")),
            ("forty-nine soldiers", p("forty-nine", "49")),
            ("over six million displaced", p("six million", "6000000")),
            (
                "two hundred and fifty people",
                p("two hundred and fifty", "250"),
            ),
            ("Nine soldiers", p("Nine", "9")),
            ("one soldier died", p("one", "1")),
            ("twenty thousand", p("twenty thousand", "20000")),
        ];
        for (text, want) in rows {
            assert_eq!(one(text), want, "{text}");
        }
    }

    #[test]
    fn vague_counts() {
        let rows = [
            ("hundreds of people", p("hundreds", "")),
            ("Thousands have been killed", p("Thousands", "")),
            ("dozens of attacks", p("dozens", "")),
            ("tens of thousands fled", p("tens of thousands", "")),
            ("hundreds of thousands fled", p("hundreds of thousands", "")),
        ];
        for (text, want) in rows {
            assert_eq!(one(text), want, "{text}");
        }
    }

    #[test]
    fn not_figures() {
        let texts = [
            "Set up in 2013, the mission",
            "after the 2020 coup",
            "in May 2022 at",
            "by June 30.",
            "on Tuesday (20 June) a unit",
            "on January 27.",
            "between April 1 and June 30",
            "July 15, 2022",
            "the eighth rotation",
            "the first quarter",
            "for a decade",
            "the G5 Sahel",
            "COVID-19 cases",
            "gtag.js",
            "at 10:30 today",
            "at 3 pm",
            "a 5km walk",
            "the 1st battalion",
            "no one knows",
            "one of the soldiers",
            "Share This",
            "version 1.2.3",
            "since 2019.",
        ];
        for text in texts {
            assert_eq!(figs(text), Vec::<(String, String)>::new(), "{text}");
        }
    }

    #[test]
    fn several_in_a_sentence() {
        let f =
            figs("In July, Mali arrested 49 soldiers; 50 civilians died in 2022 and nine fled.");
        assert_eq!(f, vec![p("49", "49"), p("50", "50"), p("nine", "9")]);
    }

    #[test]
    fn the_prefilter_lets_every_lexicon_word_through() {
        let all = UNITS
            .iter()
            .chain(TENS.iter().map(|(w, _)| w))
            .chain(SCALES.iter().map(|(w, _)| w))
            .chain(VAGUE.iter())
            .chain(["hundred", "tens"].iter());
        for w in all {
            assert!(may_be_number_word(w), "{w}");
            assert!(may_be_number_word(&w.to_uppercase()), "{w}");
        }
    }

    #[test]
    fn start_words_are_recognised_in_any_case_and_nothing_else() {
        let listed: Vec<&str> = start_words().collect();
        for w in &listed {
            assert!(is_start_word(w), "{w}");
            assert!(is_start_word(&w.to_uppercase()), "{w}");
            assert!(is_start_word(&w.replace('e', "E")), "{w}");
        }
        for w in [
            "hundred",
            "thousand",
            "million",
            "on",
            "tenth",
            "seventeens",
            "",
            "x",
        ] {
            assert!(!is_start_word(w), "{w}");
        }
        // Every other word of 3 to 9 letters that the lexicon parses starts no FIGURE.
        for w in UNITS
            .iter()
            .chain(TENS.iter().map(|(w, _)| w))
            .chain(VAGUE.iter())
        {
            assert!(listed.contains(w), "{w}");
        }
    }

    #[test]
    fn every_start_word_passes_the_three_letter_check() {
        for w in start_words() {
            for form in [
                w.to_string(),
                w.to_uppercase(),
                format!("{w}s"),
                format!("{w}-x"),
            ] {
                assert!(FigureScan::may_start_at(&form, 0), "{form}");
            }
        }
        for (text, p) in [("Mali", 0), ("the", 0), ("on", 0), ("x one", 0), ("ox", 0)] {
            assert!(!FigureScan::may_start_at(text, p), "{text}");
        }
        for (text, p) in [("13", 0), ("é", 0), ("x one", 2), (" ", 0), ("", 0)] {
            assert!(FigureScan::may_start_at(text, p), "{text:?} at {p}");
        }
    }

    #[test]
    fn huge_numbers_do_not_overflow() {
        let big = "99999999999999999999999";
        assert_eq!(one(&format!("{big} things")), p(big, ""));
        assert_eq!(one("99999999999 trillion"), p("99999999999 trillion", ""));
    }
}
