//! CoNLL-2003-style tagged tokens: one token and its tag a line, a blank line after each
//! sentence, a `-DOCSTART-` line before each document; the tags in any [`TagScheme`].
//!
//! ```text
//! -DOCSTART-<TAB>000_00b06ec917ecedbf
//!
//! Mali<TAB>B-PLACE
//! accuses<TAB>O
//! UN<TAB>B-ACTOR
//! ...
//! ```
//!
//! # Lines
//!
//! - A token line is `token<TAB>tag`. On reading, a line with a tab is split on tabs, one
//!   without on runs of spaces (`token tag`); the first column is the token and the last the
//!   tag, so CoNLL-2003's four columns (`token POS chunk NER`) read too.
//! - Tags are `O` and a prefix `B`, `I`, `E`, `S`, `L` or `U` with `-LABEL` (or without, an
//!   untyped tag, read as the label [`UNTYPED`]). The file's [`TagScheme`] is detected from
//!   its prefixes or named ([`Options::scheme`]); chunks are read as conlleval does (an
//!   `I-X` after `O` starts a chunk) or only when well formed ([`Chunking`]). A chunk ends
//!   at a sentence end.
//! - `-DOCSTART-<TAB>ID` starts a document; the id is the second column. CoNLL-2003's own
//!   `-DOCSTART- -X- -X- O` (or `-DOCSTART-` with `O`, or tokens before any `-DOCSTART-`)
//!   gives an unnamed document, `doc-N` by its position in the file. tagbench writes the id,
//!   and refuses ids that would not read back (empty, `O`, or with whitespace). Tools that
//!   skip `-DOCSTART-` lines, as conlleval-based and seqeval-based scripts do, are not
//!   disturbed by it.
//! - A UTF-8 byte-order mark and CRLF line ends are accepted.
//!
//! # Tokens
//!
//! [`tokenize`] splits a text on Unicode whitespace, then splits each piece into words and
//! punctuation: a token is a run of letters, digits and combining marks, or one other
//! character (with the combining marks after it). Two exceptions keep common units whole:
//! a `,` or `.` between two digits stays inside the number ("13,000", "2.5"), and single
//! letters each followed by a dot make one token ("U.N.", "U.S."). So "Mali’s" is `Mali`,
//! `’`, `s`, and "Kremlin-linked" is `Kremlin`, `-`, `linked`: a mention ends where a word
//! does.
//!
//! [`sentences`] ends a sentence at a paragraph break (whitespace with two or more line
//! feeds) and after a `.`, `!`, `?` or `…` token (and any closing quotes or brackets glued
//! to it) when whitespace and then a capital letter, a digit or an opening quote or bracket
//! follow, unless the token before the `.` is a title such as `Mr` or `Gen`.
//!
//! Both depend on the text alone: two exports of the same texts (gold and predictions) have
//! the same token column line for line, so they can be pasted side by side for conlleval.
//!
//! # Writing
//!
//! [`write`](super::write) tags each token: a mention becomes `B-LABEL I-LABEL ...` (or the tags of
//! another [`TagScheme`]) over its tokens when its start is a token's start, its end a
//! token's end, and it stays within one sentence.
//! Mentions it cannot represent are left out and reported ([`Written::unrepresented`](super::Written::unrepresented)): a
//! boundary inside a token (or on whitespace), a mention crossing a sentence boundary, a
//! mention sharing a token with an earlier one (BIO cannot overlap). **Norms are lost**: BIO
//! has no place for them.
//!
//! # Reading: where the offsets come from
//!
//! A BIO file has tokens, not text, so offsets need a text to point into:
//!
//! - **with the original texts** ([`read`](super::read) with [`ReadOptions::texts`](super::ReadOptions::texts)): each document's tokens are
//!   found in its text, in order, each after only whitespace; a token that is not there is
//!   an error with its line. Offsets are then those of the original text, and a round trip
//!   text -> BIO -> spans gives back exactly the spans that were written.
//! - **without texts**: the text is rebuilt from the tokens, those of a sentence joined by
//!   one space and sentences by one line feed, and offsets point into that rebuilt text.
//!   Scores of two files rebuilt from the same tokens are comparable with each other, not
//!   with offsets into the original.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::str::FromStr;

use unicode_normalization::char::is_combining_mark;

use super::{lines, make_annotation, Dataset, Reason, Unrepresented};
use crate::annotations::AnnotationSet;
use crate::error::{Error, Result};
use crate::gold::{Corpus, Document, Texts};
use crate::label::{Label, Norm};
use crate::span::OffsetIndex;

/// The first token of a document line.
pub const DOCSTART: &str = "-DOCSTART-";

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Splits a text into tokens: byte ranges, in order (see the [module docs](self)).
pub fn tokenize(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if let Some(end) = abbreviation(&chars, i) {
            i = end;
        } else if is_word(c) {
            i += 1;
            loop {
                while at(i).is_some_and(is_word) {
                    i += 1;
                }
                let digit_before = at(i - 1).is_some_and(|c| c.is_ascii_digit());
                let sep = at(i).is_some_and(|c| c == ',' || c == '.');
                let digit_after = at(i + 1).is_some_and(|c| c.is_ascii_digit());
                if digit_before && sep && digit_after {
                    i += 1;
                    continue;
                }
                break;
            }
        } else {
            i += 1;
        }
        while at(i).is_some_and(is_combining_mark) {
            i += 1;
        }
        out.push(byte(start)..byte(i));
    }
    out
}

/// `Some(end)` when two or more single letters, each followed by a dot, start at `i` and no
/// word character follows ("U.N.", "U.S.").
fn abbreviation(chars: &[(usize, char)], i: usize) -> Option<usize> {
    let mut k = i;
    let mut letters = 0;
    while chars.get(k).is_some_and(|&(_, c)| c.is_alphabetic())
        && chars.get(k + 1).is_some_and(|&(_, c)| c == '.')
    {
        letters += 1;
        k += 2;
    }
    let followed_by_word = chars.get(k).is_some_and(|&(_, c)| is_word(c));
    (letters >= 2 && !followed_by_word).then_some(k)
}

/// Titles after which a `.` does not end a sentence.
const TITLES: [&str; 17] = [
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Sgt", "Capt", "Maj", "Gov", "Sen", "Rep",
    "St", "Mt", "No",
];

/// Groups tokens into sentences: ranges of token indices, in order, covering every token
/// (see the [module docs](self)).
pub fn sentences(text: &str, tokens: &[Range<usize>]) -> Vec<Range<usize>> {
    let tok = |i: usize| &text[tokens[i].clone()];
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let next = i + 1;
        let end_here = if next == tokens.len() {
            true
        } else {
            let gap = &text[tokens[i].end..tokens[next].start];
            if gap.matches('\n').count() >= 2 {
                true
            } else if matches!(tok(i), "." | "!" | "?" | "…") {
                // Glue closing quotes and brackets to the end mark.
                let mut last = i;
                while last + 1 < tokens.len()
                    && tokens[last].end == tokens[last + 1].start
                    && matches!(tok(last + 1), "\"" | "”" | "’" | "'" | ")" | "]")
                {
                    last += 1;
                }
                let title = tok(i) == "."
                    && i > 0
                    && tokens[i - 1].end == tokens[i].start
                    && TITLES.contains(&tok(i - 1));
                let after = last + 1;
                let ends = !title
                    && after < tokens.len()
                    && tokens[last].end < tokens[after].start
                    && tok(after).chars().next().is_some_and(|c| {
                        c.is_uppercase() || c.is_numeric() || "\"“‘'([".contains(c)
                    });
                if ends {
                    i = last;
                }
                ends
            } else {
                false
            }
        };
        if end_here {
            out.push(start..i + 1);
            start = i + 1;
        }
        i += 1;
    }
    out
}

/// A BIO export: the bytes, and the mentions left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Export {
    /// The file content.
    pub bytes: Vec<u8>,
    /// Mentions BIO cannot represent, in document and position order.
    pub unrepresented: Vec<Unrepresented>,
}

/// Checks that a document id reads back from a `-DOCSTART-` line.
fn docstart_id(id: &str) -> Result<&str> {
    if id.is_empty() || id == "O" || id.contains(char::is_whitespace) {
        return Err(Error::invalid(format!(
            "document id {id:?} cannot be written on a CoNLL -DOCSTART- line (it must be \
             non-empty, not `O`, and without whitespace)"
        )));
    }
    Ok(id)
}

/// Writes a dataset with the tags of `scheme` (see the [module docs](self)). Fails only on a
/// document id that cannot be written.
pub(crate) fn write(data: &Dataset, scheme: TagScheme) -> Result<Export> {
    let mut out = String::new();
    let mut unrepresented = Vec::new();
    for (doc, anns) in data.iter() {
        let id = docstart_id(&doc.id)?;
        out.push_str(&format!("{DOCSTART}\t{id}\n\n"));
        let text = doc.text.as_str();
        let tokens = tokenize(text);
        let sents = sentences(text, &tokens);
        let mut sentence_of = vec![0; tokens.len()];
        for (s, r) in sents.iter().enumerate() {
            for t in r.clone() {
                sentence_of[t] = s;
            }
        }
        let starts: BTreeMap<usize, usize> = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.start, i))
            .collect();
        let ends: BTreeMap<usize, usize> =
            tokens.iter().enumerate().map(|(i, t)| (t.end, i)).collect();
        let idx = OffsetIndex::new(text);
        let mut tags: Vec<Option<(Label, usize, usize)>> = vec![None; tokens.len()];
        for a in anns {
            let first = idx
                .char_to_byte(a.span.start)
                .and_then(|b| starts.get(&b).copied());
            let last = idx
                .char_to_byte(a.span.end)
                .and_then(|b| ends.get(&b).copied());
            let reason = match (first, last) {
                (Some(f), Some(l)) if sentence_of[f] != sentence_of[l] => {
                    Some(Reason::CrossesSentence)
                }
                (Some(f), Some(l)) if tags[f..=l].iter().any(Option::is_some) => {
                    Some(Reason::Overlaps)
                }
                (Some(f), Some(l)) => {
                    for t in &mut tags[f..=l] {
                        *t = Some((a.span.label, f, l));
                    }
                    None
                }
                _ => Some(Reason::InsideToken),
            };
            if let Some(reason) = reason {
                unrepresented.push(Unrepresented {
                    doc: doc.id.clone(),
                    span: a.span.clone(),
                    reason,
                });
            }
        }
        for r in &sents {
            // Token indices relative to the sentence, so that no tag looks past it.
            let local: Vec<Option<(Label, usize, usize)>> = tags[r.clone()]
                .iter()
                .map(|t| t.map(|(l, f, e)| (l, f - r.start, e - r.start)))
                .collect();
            for t in r.clone() {
                out.push_str(&text[tokens[t].clone()]);
                out.push('\t');
                write_tag(&mut out, &local, t - r.start, scheme);
                out.push('\n');
            }
            out.push('\n');
        }
    }
    Ok(Export {
        bytes: out.into_bytes(),
        unrepresented,
    })
}

/// The label of a chunk whose tags carry no type (`B`, `I`, ...), as seqeval names it.
pub const UNTYPED: &str = "_";

/// A tag scheme: which prefixes the tags of a CoNLL file use, and where they put them.
///
/// | scheme | prefixes | a mention of one token | of three tokens | notes |
/// |---|---|---|---|---|
/// | [`Iob1`](TagScheme::Iob1) | `I`, `B` | `I` | `I I I` | `B` only to start a mention right after one of the same label |
/// | [`Iob2`](TagScheme::Iob2) (BIO) | `B`, `I` | `B` | `B I I` | the default |
/// | [`Ioe1`](TagScheme::Ioe1) | `I`, `E` | `I` | `I I I` | `E` only to end a mention right before one of the same label |
/// | [`Ioe2`](TagScheme::Ioe2) | `I`, `E` | `E` | `I I E` | |
/// | [`Iobes`](TagScheme::Iobes) (BIOES) | `B`, `I`, `E`, `S` | `S` | `B I E` | |
/// | [`Bilou`](TagScheme::Bilou) | `B`, `I`, `L`, `U` | `U` | `B I L` | |
///
/// `O` is outside any mention in every scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TagScheme {
    /// IOB1 (CoNLL-2003's own files).
    Iob1,
    /// IOB2, also called BIO: what tagbench writes unless told otherwise.
    #[default]
    Iob2,
    /// IOE1.
    Ioe1,
    /// IOE2.
    Ioe2,
    /// IOBES, also called BIOES or BMES.
    Iobes,
    /// BILOU.
    Bilou,
}

impl TagScheme {
    /// Every scheme.
    pub const ALL: [TagScheme; 6] = [
        TagScheme::Iob1,
        TagScheme::Iob2,
        TagScheme::Ioe1,
        TagScheme::Ioe2,
        TagScheme::Iobes,
        TagScheme::Bilou,
    ];

    /// The scheme's name in flags: `iob1`, `iob2`, `ioe1`, `ioe2`, `iobes`, `bilou`.
    pub fn as_str(self) -> &'static str {
        match self {
            TagScheme::Iob1 => "iob1",
            TagScheme::Iob2 => "iob2",
            TagScheme::Ioe1 => "ioe1",
            TagScheme::Ioe2 => "ioe2",
            TagScheme::Iobes => "iobes",
            TagScheme::Bilou => "bilou",
        }
    }

    /// The prefixes the scheme's tags may have, besides `O`.
    fn prefixes(self) -> &'static [Prefix] {
        use Prefix::*;
        match self {
            TagScheme::Iob1 | TagScheme::Iob2 => &[B, I],
            TagScheme::Ioe1 | TagScheme::Ioe2 => &[I, E],
            TagScheme::Iobes => &[B, I, E, S],
            TagScheme::Bilou => &[B, I, L, U],
        }
    }

    /// Whether a tag with this prefix belongs to the scheme.
    fn allows(self, p: Prefix) -> bool {
        p == Prefix::O || self.prefixes().contains(&p)
    }

    /// The scheme the prefixes of a file tell: `L` or `U` is BILOU; `S`, or `B` with `E`, is
    /// IOBES; `E` is IOE2; `B` is IOB2; `I` alone is IOB1; no tag but `O` is IOB2. IOB1 files
    /// with a `B` and IOE1 files read as IOB2 and IOE2 (their prefixes are the same): this
    /// changes nothing under [`Chunking::Conlleval`], and under [`Chunking::Strict`] they
    /// must be named. `None` when BILOU and IOBES prefixes are mixed.
    fn detect(seen: &[bool; Prefix::COUNT]) -> Option<TagScheme> {
        let has = |p: Prefix| seen[p as usize];
        let bilou = has(Prefix::L) || has(Prefix::U);
        let iobes = has(Prefix::S) || (has(Prefix::B) && has(Prefix::E));
        Some(match () {
            _ if bilou && (iobes || has(Prefix::E)) => return None,
            _ if bilou => TagScheme::Bilou,
            _ if iobes => TagScheme::Iobes,
            _ if has(Prefix::E) => TagScheme::Ioe2,
            _ if has(Prefix::B) => TagScheme::Iob2,
            _ if has(Prefix::I) => TagScheme::Iob1,
            _ => TagScheme::Iob2,
        })
    }

    /// What its tags look like, for messages: `O, B-LABEL or I-LABEL`.
    fn expected(self) -> String {
        let p: Vec<String> = self
            .prefixes()
            .iter()
            .map(|p| format!("{}-LABEL", p.as_char()))
            .collect();
        format!("O, {} or {}", p[..p.len() - 1].join(", "), p[p.len() - 1])
    }
}

impl fmt::Display for TagScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`TagScheme`] name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownTagScheme(pub String);

impl fmt::Display for UnknownTagScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = TagScheme::ALL.iter().map(|s| s.as_str()).collect();
        write!(
            f,
            "unknown tag scheme {:?} (expected {})",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownTagScheme {}

impl FromStr for TagScheme {
    type Err = UnknownTagScheme;

    /// Parses a name of [`TagScheme::as_str`]; `bio` and `bioes` are accepted too.
    fn from_str(s: &str) -> std::result::Result<TagScheme, UnknownTagScheme> {
        match s {
            "bio" => Ok(TagScheme::Iob2),
            "bioes" => Ok(TagScheme::Iobes),
            _ => TagScheme::ALL
                .into_iter()
                .find(|t| t.as_str() == s)
                .ok_or_else(|| UnknownTagScheme(s.to_string())),
        }
    }
}

/// How chunks (mentions) are read from a sentence's tags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Chunking {
    /// conlleval's reading, as in conlleval.pl, its Python port (`conlleval` on PyPI) and
    /// seqeval's default mode: every tag other than `O` is in a chunk. A chunk starts at a
    /// `B` or `S`, at an `I` or `E` after `O`, `E` or `S`, and wherever the type changes; it
    /// ends after an `E` or `S`, and before `O`, `B`, `S` or another type. So `I-X` after `O`
    /// starts a chunk, and any scheme reads (`L` reads as `E`, `U` as `S`).
    #[default]
    Conlleval,
    /// seqeval's `mode="strict"`: only chunks that are well formed under the scheme count;
    /// an `I-X` after `O` in IOB2, or a `B-X` that no `E-X` closes in IOBES, gives no chunk.
    /// The transitions are seqeval 1.2.2's, scheme by scheme, with one exception: in IOE1 an
    /// `E-X` after `O` or after another type is a one-token mention (when a mention of the
    /// same label follows, as IOE1 requires), where seqeval finds none.
    Strict,
}

impl Chunking {
    /// Every mode.
    pub const ALL: [Chunking; 2] = [Chunking::Conlleval, Chunking::Strict];

    /// The mode's name in flags: `conlleval`, `strict`.
    pub fn as_str(self) -> &'static str {
        match self {
            Chunking::Conlleval => "conlleval",
            Chunking::Strict => "strict",
        }
    }
}

impl fmt::Display for Chunking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a CoNLL file is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The tag scheme; `None` (the default) detects it from the file's prefixes (see
    /// [`TagScheme`]). A named scheme makes any tag outside it an error.
    pub scheme: Option<TagScheme>,
    /// How chunks are read (default: [`Chunking::Conlleval`]).
    pub chunking: Chunking,
}

/// A tag's prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Prefix {
    O,
    B,
    I,
    E,
    S,
    L,
    U,
}

impl Prefix {
    const COUNT: usize = 7;

    fn from_char(c: char) -> Option<Prefix> {
        Some(match c {
            'O' => Prefix::O,
            'B' => Prefix::B,
            'I' => Prefix::I,
            'E' => Prefix::E,
            'S' => Prefix::S,
            'L' => Prefix::L,
            'U' => Prefix::U,
            _ => return None,
        })
    }

    fn as_char(self) -> char {
        match self {
            Prefix::O => 'O',
            Prefix::B => 'B',
            Prefix::I => 'I',
            Prefix::E => 'E',
            Prefix::S => 'S',
            Prefix::L => 'L',
            Prefix::U => 'U',
        }
    }
}

/// A parsed tag: its prefix and its type (the label's name; empty for `O` and for an
/// untyped tag).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Tag<'a> {
    prefix: Prefix,
    ty: &'a str,
}

/// The label a chunk type names.
fn label_of(ty: &str) -> std::result::Result<Label, String> {
    let name = if ty.is_empty() { UNTYPED } else { ty };
    name.parse::<Label>().map_err(|e| e.to_string())
}

/// Parses a tag and checks that its type names a label.
fn parse_tag(s: &str) -> std::result::Result<Tag<'_>, String> {
    let tag = split_tag(s)?;
    if tag.prefix != Prefix::O {
        label_of(tag.ty).map_err(|e| format!("tag {s:?}: {e}"))?;
    }
    Ok(tag)
}

/// Splits a tag into its prefix and its type: `O`, `P` or `P-TYPE` with `P` one of `B`, `I`,
/// `E`, `S`, `L`, `U`.
fn split_tag(s: &str) -> std::result::Result<Tag<'_>, String> {
    if s == "O" {
        return Ok(Tag {
            prefix: Prefix::O,
            ty: "",
        });
    }
    let mut chars = s.chars();
    let prefix = chars.next().and_then(Prefix::from_char);
    let ty = match (prefix, chars.as_str()) {
        (Some(Prefix::O), _) | (None, _) => None,
        (Some(_), "") => Some(""),
        (Some(_), rest) => rest.strip_prefix('-').filter(|t| !t.is_empty()),
    };
    let (Some(prefix), Some(ty)) = (prefix, ty) else {
        return Err(format!(
            "expected O, or B, I, E, S, L or U with an optional -LABEL, found {s:?}"
        ));
    };
    Ok(Tag { prefix, ty })
}

/// The chunks of a sentence under `scheme` and `chunking`: (type, first token, last token).
fn chunks<'a>(
    tags: &[Tag<'a>],
    scheme: TagScheme,
    chunking: Chunking,
) -> Vec<(&'a str, usize, usize)> {
    match chunking {
        Chunking::Conlleval => conlleval_chunks(tags),
        Chunking::Strict => strict_chunks(tags, scheme),
    }
}

/// conlleval's chunks (its `endOfChunk` and `startOfChunk`, with seqeval's and the Python
/// port's `S`), `L` read as `E` and `U` as `S`.
fn conlleval_chunks<'a>(tags: &[Tag<'a>]) -> Vec<(&'a str, usize, usize)> {
    use Prefix::*;
    let norm = |p: Prefix| match p {
        L => E,
        U => S,
        p => p,
    };
    let outside = Tag { prefix: O, ty: "" };
    let mut out = Vec::new();
    let mut prev = outside;
    let mut begin = 0;
    for (i, &t) in tags.iter().chain(std::iter::once(&outside)).enumerate() {
        let (p, c) = (norm(prev.prefix), norm(t.prefix));
        let ends = matches!(p, E | S)
            || (matches!(p, B | I) && matches!(c, B | S | O))
            || (p != O && prev.ty != t.ty);
        let starts = matches!(c, B | S)
            || (matches!(p, E | S | O) && matches!(c, E | I))
            || (c != O && prev.ty != t.ty);
        if ends && p != O {
            out.push((prev.ty, begin, i - 1));
        }
        if starts {
            begin = i;
        }
        prev = t;
    }
    out
}

/// Which tag types a pattern accepts: the same as the previous one, another, or any.
#[derive(Clone, Copy)]
enum Same {
    Yes,
    No,
    Any,
}

/// One transition of seqeval's scheme tables: previous prefixes, current prefixes, types.
type Pattern = (&'static [Prefix], &'static [Prefix], Same);

const ANY: &[Prefix] = &[
    Prefix::O,
    Prefix::B,
    Prefix::I,
    Prefix::E,
    Prefix::S,
    Prefix::L,
    Prefix::U,
];

/// seqeval 1.2.2's start, inside and end transitions of a scheme (`seqeval/scheme.py`), but
/// for IOE1's one-token mentions.
fn patterns(scheme: TagScheme) -> [&'static [Pattern]; 3] {
    use Prefix::*;
    use Same::{Any, No, Yes};
    match scheme {
        TagScheme::Iob1 => [
            &[
                (&[O], &[I], Any),
                (&[I], &[I], No),
                (&[B], &[I], Any),
                (&[I], &[B], Yes),
                (&[B], &[B], Yes),
            ],
            &[(&[B], &[I], Yes), (&[I], &[I], Yes)],
            &[
                (&[I], &[I], No),
                (&[I], &[O], Any),
                (&[I], &[B], Any),
                (&[B], &[O], Any),
                (&[B], &[I], No),
                (&[B], &[B], Yes),
            ],
        ],
        TagScheme::Iob2 => [
            &[(ANY, &[B], Any)],
            &[(&[B], &[I], Yes), (&[I], &[I], Yes)],
            &[
                (&[I], &[O], Any),
                (&[I], &[I], No),
                (&[I], &[B], Any),
                (&[B], &[O], Any),
                (&[B], &[I], No),
                (&[B], &[B], Any),
            ],
        ],
        // seqeval's IOE1 (marked incomplete there) never starts a chunk at an `E` after `O`
        // or after another type: a one-token mention right before one of the same label,
        // which tagbench writes so. The last two start patterns are tagbench's.
        TagScheme::Ioe1 => [
            &[
                (&[O], &[I], Any),
                (&[I], &[I], No),
                (&[E], &[I], Any),
                (&[E], &[E], Yes),
                (&[O], &[E], Any),
                (&[I], &[E], No),
            ],
            &[(&[I], &[I], Yes), (&[I], &[E], Yes)],
            &[
                (&[I], &[I], No),
                (&[I], &[O], Any),
                (&[I], &[E], No),
                (&[E], &[I], Yes),
                (&[E], &[E], Yes),
            ],
        ],
        TagScheme::Ioe2 => [
            &[
                (&[O], &[I], Any),
                (&[O], &[E], Any),
                (&[E], &[I], Any),
                (&[E], &[E], Any),
                (&[I], &[I], No),
                (&[I], &[E], No),
            ],
            &[(&[I], &[E], Yes), (&[I], &[I], Yes)],
            &[(&[E], ANY, Any)],
        ],
        TagScheme::Iobes => [
            &[(ANY, &[B], Any), (ANY, &[S], Any)],
            &[
                (&[B], &[I], Yes),
                (&[B], &[E], Yes),
                (&[I], &[I], Yes),
                (&[I], &[E], Yes),
            ],
            &[(&[S], ANY, Any), (&[E], ANY, Any)],
        ],
        TagScheme::Bilou => [
            &[(ANY, &[B], Any), (ANY, &[U], Any)],
            &[
                (&[B], &[I], Yes),
                (&[B], &[L], Yes),
                (&[I], &[I], Yes),
                (&[I], &[L], Yes),
            ],
            &[(&[U], ANY, Any), (&[L], ANY, Any)],
        ],
    }
}

/// Whether the step from `prev` to `cur` matches one of `patterns`.
fn matches_any(patterns: &[Pattern], prev: Tag<'_>, cur: Tag<'_>) -> bool {
    patterns.iter().any(|&(p, c, same)| {
        p.contains(&prev.prefix)
            && c.contains(&cur.prefix)
            && match same {
                Same::Any => true,
                Same::Yes => prev.ty == cur.ty,
                Same::No => prev.ty != cur.ty,
            }
    })
}

/// seqeval's strict chunks (`Tokens.entities`): a chunk starts on a start transition, runs
/// while inside transitions hold, and counts only when the step after its last token is an
/// end transition. Every tag must be allowed by the scheme (checked by the reader).
fn strict_chunks<'a>(tags: &[Tag<'a>], scheme: TagScheme) -> Vec<(&'a str, usize, usize)> {
    let [start, inside, end] = patterns(scheme);
    let outside = Tag {
        prefix: Prefix::O,
        ty: "",
    };
    let at = |i: usize| tags.get(i).copied().unwrap_or(outside);
    let n = tags.len() + 1;
    let mut out = Vec::new();
    let mut prev = outside;
    let mut i = 0;
    while i < n {
        let token = at(i);
        if matches_any(start, prev, token) {
            let mut j = i + 1;
            let mut last = token;
            while j < n && matches_any(inside, last, at(j)) {
                last = at(j);
                j += 1;
            }
            if matches_any(end, at(j - 1), at(j)) {
                out.push((token.ty, i, j - 1));
            }
            i = j;
        } else {
            i += 1;
        }
        prev = at(i - 1);
    }
    out
}

/// Writes token `t`'s tag under `scheme`; `tags` are the tokens of `t`'s sentence, each
/// with the `(label, first token, last token)` of the mention it is in, if any.
fn write_tag(
    out: &mut String,
    tags: &[Option<(Label, usize, usize)>],
    t: usize,
    scheme: TagScheme,
) {
    let Some((label, first, last)) = tags[t] else {
        out.push('O');
        return;
    };
    // A mention of the same label right before (IOB1's B) or after (IOE1's E).
    let same_label_at = |u: Option<usize>| {
        u.and_then(|u| tags.get(u).copied().flatten())
            .is_some_and(|(l, ..)| l == label)
    };
    let prefix = match scheme {
        TagScheme::Iob2 if t == first => 'B',
        TagScheme::Iob1 if t == first && same_label_at(first.checked_sub(1)) => 'B',
        TagScheme::Ioe2 if t == last => 'E',
        TagScheme::Ioe1 if t == last && same_label_at(Some(last + 1)) => 'E',
        TagScheme::Iobes if first == last => 'S',
        TagScheme::Iobes if t == first => 'B',
        TagScheme::Iobes if t == last => 'E',
        TagScheme::Bilou if first == last => 'U',
        TagScheme::Bilou if t == first => 'B',
        TagScheme::Bilou if t == last => 'L',
        _ => 'I',
    };
    out.push(prefix);
    if label.as_str() != UNTYPED {
        out.push('-');
        out.push_str(label.as_str());
    }
}
/// One token line.
struct TokenLine<'a> {
    token: &'a str,
    tag: Tag<'a>,
    line: u64,
}

/// A document as read: its id, the line it starts on, its sentences.
struct ReadDocument<'a> {
    id: String,
    line: u64,
    sentences: Vec<Vec<TokenLine<'a>>>,
}

/// Reads a CoNLL file; `texts` gives the original texts to align tokens with (see the
/// [module docs](self)).
pub(crate) fn read(path: &Path, texts: Option<&Corpus>, opts: &Options) -> Result<Dataset> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    from_bytes(&bytes, texts, opts).map_err(|e| e.at_path(path))
}

/// Reads CoNLL from bytes (see [`read`]).
pub(crate) fn from_bytes(bytes: &[u8], texts: Option<&Corpus>, opts: &Options) -> Result<Dataset> {
    let mut docs: Vec<ReadDocument<'_>> = Vec::new();
    let mut sentence: Vec<TokenLine<'_>> = Vec::new();
    let mut seen = [false; Prefix::COUNT];
    fn close<'a>(docs: &mut [ReadDocument<'a>], sentence: &mut Vec<TokenLine<'a>>) {
        if !sentence.is_empty() {
            if let Some(d) = docs.last_mut() {
                d.sentences.push(std::mem::take(sentence));
            }
        }
    }
    for l in lines(bytes) {
        let (line, s) = l?;
        if s.trim().is_empty() {
            close(&mut docs, &mut sentence);
            continue;
        }
        let fields: Vec<&str> = if s.contains('\t') {
            s.split('\t').collect()
        } else {
            s.split_whitespace().collect()
        };
        if fields[0] == DOCSTART {
            close(&mut docs, &mut sentence);
            let n = docs.len() + 1;
            let id = match fields.as_slice() {
                [_, id] if *id != "O" && !id.trim().is_empty() => id.to_string(),
                _ => format!("doc-{n}"),
            };
            docs.push(ReadDocument {
                id,
                line,
                sentences: Vec::new(),
            });
            continue;
        }
        let (Some(&token), Some(&tag)) = (fields.first(), fields.last()) else {
            continue;
        };
        if fields.len() < 2 {
            return Err(
                Error::invalid(format!("expected a token and a tag, found {s:?}")).at_line(line),
            );
        }
        if token.is_empty() {
            return Err(Error::invalid("empty token")
                .in_field("token")
                .at_line(line));
        }
        let raw = tag;
        let tag = parse_tag(raw).map_err(|m| Error::invalid(m).in_field("tag").at_line(line))?;
        if let Some(scheme) = opts.scheme {
            if !scheme.allows(tag.prefix) {
                return Err(Error::invalid(format!(
                    "tag {raw:?} is not in the {scheme} tag scheme (expected {})",
                    scheme.expected()
                ))
                .in_field("tag")
                .at_line(line));
            }
        } else if !seen[tag.prefix as usize] {
            seen[tag.prefix as usize] = true;
            if TagScheme::detect(&seen).is_none() {
                return Err(Error::invalid(format!(
                    "tag {raw:?} mixes BILOU tags (L-, U-) with IOBES tags (E-, S-); name the \
                     scheme with --tag-scheme"
                ))
                .in_field("tag")
                .at_line(line));
            }
        }
        if docs.is_empty() {
            docs.push(ReadDocument {
                id: "doc-1".to_string(),
                line,
                sentences: Vec::new(),
            });
        }
        sentence.push(TokenLine { token, tag, line });
    }
    close(&mut docs, &mut sentence);
    let scheme = match opts.scheme {
        Some(s) => s,
        None => TagScheme::detect(&seen).unwrap_or_default(),
    };

    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut corpus_docs = Vec::with_capacity(docs.len());
    let mut set = AnnotationSet::new();
    for d in docs {
        if let Some(first) = seen.insert(d.id.clone(), d.line) {
            return Err(Error::invalid(format!(
                "document id {:?} also starts on line {first}",
                d.id
            ))
            .at_line(d.line));
        }
        let (doc, ranges) = match texts {
            Some(corpus) => align(&d, corpus)?,
            None => rebuild(&d),
        };
        let idx = OffsetIndex::new(&doc.text);
        for (sentence, sranges) in d.sentences.iter().zip(&ranges) {
            let tags: Vec<Tag<'_>> = sentence.iter().map(|t| t.tag).collect();
            for (ty, first, last) in chunks(&tags, scheme, opts.chunking) {
                let line = sentence[first].line;
                let label = label_of(ty).map_err(|m| Error::invalid(m).at_line(line))?;
                let (b0, b1) = (sranges[first].start, sranges[last].end);
                // Token ranges are on char boundaries of `doc.text` by construction.
                let (Some(c0), Some(c1)) = (idx.byte_to_char(b0), idx.byte_to_char(b1)) else {
                    return Err(Error::invalid("token not on a character boundary")
                        .at_line(sentence[first].line));
                };
                let a =
                    make_annotation(&doc, &idx, c0, c1, label, Norm::None, sentence[first].line)
                        .map_err(|m| Error::invalid(m).at_line(sentence[first].line))?;
                set.push(a);
            }
        }
        corpus_docs.push(doc);
    }
    set.sort();
    // `make_annotation` checked every mention against its text.
    let texts = if texts.is_some() {
        Texts::Read
    } else {
        Texts::Rebuilt
    };
    Ok(Dataset::from_checked(
        Corpus::from_documents(corpus_docs)?,
        set,
        texts,
    ))
}

/// Finds each token in the document's original text; returns the document and, per
/// sentence, each token's byte range.
fn align(d: &ReadDocument<'_>, corpus: &Corpus) -> Result<(Document, Vec<Vec<Range<usize>>>)> {
    let Some(doc) = corpus.get(&d.id) else {
        return Err(Error::invalid(format!(
            "document {:?} is not among the texts (no {}.txt)",
            d.id, d.id
        ))
        .at_line(d.line));
    };
    let text = doc.text.as_str();
    let idx = OffsetIndex::new(text);
    let mut pos = 0;
    let mut out = Vec::with_capacity(d.sentences.len());
    for s in &d.sentences {
        let mut ranges = Vec::with_capacity(s.len());
        for t in s {
            let rest = &text[pos..];
            let skipped = rest.len() - rest.trim_start().len();
            pos += skipped;
            if !text[pos..].starts_with(t.token) {
                let at = idx.byte_to_char(pos).unwrap_or(0);
                let found: String = text[pos..]
                    .chars()
                    .take(t.token.chars().count().max(1))
                    .collect();
                return Err(Error::invalid(format!(
                    "token {:?} does not match the text of document {:?} at code point {at}: \
                     found {found:?}",
                    t.token, d.id
                ))
                .in_field("token")
                .at_line(t.line));
            }
            ranges.push(pos..pos + t.token.len());
            pos += t.token.len();
        }
        out.push(ranges);
    }
    if !text[pos..].trim().is_empty() {
        let at = idx.byte_to_char(pos).unwrap_or(0);
        return Err(Error::invalid(format!(
            "the tokens of document {:?} stop at code point {at}, before the end of its text \
             ({} code points)",
            d.id,
            idx.char_len()
        ))
        .at_line(d.line));
    }
    Ok((doc.clone(), out))
}

/// Rebuilds a text from the tokens: one space between the tokens of a sentence, one line
/// feed between sentences.
fn rebuild(d: &ReadDocument<'_>) -> (Document, Vec<Vec<Range<usize>>>) {
    let mut text = String::new();
    let mut out = Vec::with_capacity(d.sentences.len());
    for (i, s) in d.sentences.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        let mut ranges = Vec::with_capacity(s.len());
        for (j, t) in s.iter().enumerate() {
            if j > 0 {
                text.push(' ');
            }
            ranges.push(text.len()..text.len() + t.token.len());
            text.push_str(t.token);
        }
        out.push(ranges);
    }
    (
        Document {
            id: d.id.clone(),
            text,
        },
        out,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::CharSpan;

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn tokenizer_table() {
        let cases: &[(&str, &[&str])] = &[
            ("Mali’s junta", &["Mali", "’", "s", "junta"]),
            (
                "13,000 troops, 2.5 million.",
                &["13,000", "troops", ",", "2.5", "million", "."],
            ),
            ("the U.N. said", &["the", "U.N.", "said"]),
            ("in the U.S.", &["in", "the", "U.S."]),
            ("Kremlin-linked", &["Kremlin", "-", "linked"]),
            ("(MINUSMA)", &["(", "MINUSMA", ")"]),
            ("“espionage”", &["“", "espionage", "”"]),
            (
                "e\u{301}te\u{301} 🇲🇱!",
                &["e\u{301}te\u{301}", "🇲", "🇱", "!"],
            ),
            ("2023.", &["2023", "."]),
            ("a.b", &["a", ".", "b"]),
            ("U.N.A", &["U", ".", "N", ".", "A"]),
            ("1,", &["1", ","]),
            ("  \n\t ", &[]),
            ("x\u{a0}y", &["x", "y"]),
            ("𝔐ali 😀x", &["𝔐ali", "😀", "x"]),
        ];
        for (text, want) in cases {
            assert_eq!(toks(text), *want, "{text:?}");
        }
    }

    fn sents(text: &str) -> Vec<String> {
        let t = tokenize(text);
        sentences(text, &t)
            .into_iter()
            .map(|r| text[t[r.start].start..t[r.end - 1].end].to_string())
            .collect()
    }

    #[test]
    fn sentence_splitter_table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Mali left. The UN stayed.",
                &["Mali left.", "The UN stayed."],
            ),
            ("He said “no.” Then left.", &["He said “no.”", "Then left."]),
            (
                "Gen. Goïta spoke. 49 died!",
                &["Gen. Goïta spoke.", "49 died!"],
            ),
            ("Title\n\nBody text here", &["Title", "Body text here"]),
            ("one\nline", &["one\nline"]),
            ("the U.N. said so", &["the U.N. said so"]),
            ("3.5 left. and more", &["3.5 left. and more"]),
            ("Why? “Because.”", &["Why?", "“Because.”"]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(sents(text), *want, "{text:?}");
        }
    }

    fn dataset(text: &str, spans: &[(usize, usize, Label)]) -> Dataset {
        let corpus = Corpus::from_documents(vec![Document {
            id: "d".into(),
            text: text.into(),
        }])
        .unwrap();
        let mut set = AnnotationSet::new();
        let doc = &corpus.documents()[0];
        let idx = OffsetIndex::new(text);
        for &(s, e, l) in spans {
            set.push(make_annotation(doc, &idx, s, e, l, Norm::None, 0).unwrap());
        }
        set.sort();
        Dataset::new(corpus, set).unwrap()
    }

    #[test]
    fn writes_bio_and_reports_what_it_cannot_represent() {
        let text = "Mali’s UN envoy met Assimi Goïta. The Kremlin-linked group left.";
        let data = dataset(
            text,
            &[
                (0, 4, Label::new("PLACE").unwrap()),   // Mali
                (7, 9, Label::new("ACTOR").unwrap()),   // UN
                (20, 32, Label::new("ACTOR").unwrap()), // Assimi Goïta
                (21, 26, Label::new("ACTOR").unwrap()), // ssimi: inside a token
                (27, 32, Label::new("ACTOR").unwrap()), // Goïta: overlaps Assimi Goïta
                (27, 37, Label::new("ACTOR").unwrap()), // Goïta. The: crosses the sentence end
                (38, 45, Label::new("ACTOR").unwrap()), // Kremlin
            ],
        );
        let export = write(&data, TagScheme::Iob2).unwrap();
        let out = String::from_utf8(export.bytes.clone()).unwrap();
        assert_eq!(
            out,
            "-DOCSTART-\td\n\nMali\tB-PLACE\n’\tO\ns\tO\nUN\tB-ACTOR\nenvoy\tO\nmet\tO\n\
             Assimi\tB-ACTOR\nGoïta\tI-ACTOR\n.\tO\n\nThe\tO\nKremlin\tB-ACTOR\n-\tO\n\
             linked\tO\ngroup\tO\nleft\tO\n.\tO\n\n"
        );
        let reasons: Vec<(usize, Reason)> = export
            .unrepresented
            .iter()
            .map(|u| (u.span.start, u.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                (21, Reason::InsideToken),
                (27, Reason::Overlaps),
                (27, Reason::CrossesSentence)
            ]
        );
        // Read against the text: the represented spans come back exactly.
        let back = from_bytes(&export.bytes, Some(data.corpus()), &Options::default()).unwrap();
        let spans: Vec<(usize, usize, Label)> = back
            .annotations()
            .iter()
            .map(|a| (a.span.start, a.span.end, a.span.label))
            .collect();
        assert_eq!(
            spans,
            [
                (0, 4, Label::new("PLACE").unwrap()),
                (7, 9, Label::new("ACTOR").unwrap()),
                (20, 32, Label::new("ACTOR").unwrap()),
                (38, 45, Label::new("ACTOR").unwrap())
            ]
        );
        // Without it: offsets into the rebuilt text.
        let rebuilt = from_bytes(&export.bytes, None, &Options::default()).unwrap();
        let doc = &rebuilt.corpus().documents()[0];
        assert_eq!(
            doc.text,
            "Mali ’ s UN envoy met Assimi Goïta .\nThe Kremlin - linked group left ."
        );
        let texts: Vec<&str> = rebuilt
            .annotations()
            .iter()
            .map(|a| a.text.as_str())
            .collect();
        assert_eq!(texts, ["Mali", "UN", "Assimi Goïta", "Kremlin"]);
    }

    #[test]
    fn reads_iob1_four_columns_spaces_crlf_and_unnamed_documents() {
        let src = "\u{feff}-DOCSTART- -X- -X- O\r\n\r\nMali NNP B-NP I-PLACE\r\nand CC O O\r\nthe DT O O\r\nUN NNP B-NP I-ACTOR\r\nUN NNP B-NP B-ACTOR\r\n\r\n-DOCSTART-\tO\r\nx\tI-FIGURE\r\n";
        let data = from_bytes(src.as_bytes(), None, &Options::default()).unwrap();
        let got: Vec<(&str, &str, Label)> = data
            .annotations()
            .iter()
            .map(|a| (a.doc.as_str(), a.text.as_str(), a.span.label))
            .collect();
        assert_eq!(
            got,
            [
                ("doc-1", "Mali", Label::new("PLACE").unwrap()),
                ("doc-1", "UN", Label::new("ACTOR").unwrap()),
                ("doc-1", "UN", Label::new("ACTOR").unwrap()),
                ("doc-2", "x", Label::new("FIGURE").unwrap())
            ]
        );
        // A chunk does not cross a blank line; tokens before any -DOCSTART- are a document.
        let data = from_bytes(b"a\tB-ACTOR\n\nb\tI-ACTOR\n", None, &Options::default()).unwrap();
        assert_eq!(data.annotations().get("doc-1").len(), 2);
    }

    /// Tags from a space-separated list (`-` for none), types unchecked.
    fn tags(s: &str) -> Vec<Tag<'_>> {
        s.split(' ')
            .filter(|t| *t != "-")
            .map(|t| split_tag(t).unwrap())
            .collect()
    }

    /// Chunks as `TYPE:start:end` (half-open token offsets; `_` for untyped), space-separated.
    fn show(chunks: &[(&str, usize, usize)]) -> String {
        let v: Vec<String> = chunks
            .iter()
            .map(|&(t, f, l)| format!("{}:{f}:{}", if t.is_empty() { UNTYPED } else { t }, l + 1))
            .collect();
        if v.is_empty() {
            "-".into()
        } else {
            v.join(" ")
        }
    }

    #[test]
    fn strict_chunking_gives_seqeval_s_own_test_vectors() {
        // seqeval 1.2.2's tables of tag sequences and strict-mode entities, every scheme.
        let vectors = include_str!("../../tests/parity/vectors/seqeval_strict.tsv");
        // The documented difference (see `Chunking::Strict`): an IOE1 one-token mention
        // `E-X` after `O`, before a mention of the same label. (scheme, tags, tagbench,
        // seqeval.)
        let differs = [
            (TagScheme::Ioe1, "E-PER I-PER", "PER:0:1 PER:1:2", "PER:1:2"),
            (TagScheme::Ioe1, "E-PER E-PER", "PER:0:1", "-"),
            (TagScheme::Ioe1, "E I", "_:0:1 _:1:2", "_:1:2"),
            (TagScheme::Ioe1, "E E", "_:0:1", "-"),
        ];
        let (mut n, mut found) = (0, Vec::new());
        for line in vectors.lines().filter(|l| !l.starts_with('#')) {
            let [scheme, seq, want] = line.split('\t').collect::<Vec<_>>()[..] else {
                panic!("bad vector line {line:?}");
            };
            let scheme: TagScheme = scheme.parse().unwrap();
            let got = show(&chunks(&tags(seq), scheme, Chunking::Strict));
            if got != want {
                found.push((scheme, seq, got, want));
            }
            n += 1;
        }
        assert_eq!(n, 242);
        let found: Vec<(TagScheme, &str, &str, &str)> = found
            .iter()
            .map(|(s, q, g, w)| (*s, *q, g.as_str(), *w))
            .collect();
        assert_eq!(found, differs);
    }

    #[test]
    fn conlleval_chunking_table() {
        let cases = [
            // seqeval's get_entities examples.
            (
                "O O O B-MISC I-MISC I-MISC O B-PER I-PER",
                "MISC:3:6 PER:7:9",
            ),
            ("O O O B I I O", "_:3:6"),
            ("B I O", "_:0:2"),
            // An I-X after O, or after another type, starts a chunk (IOB1 reads).
            ("I-ORG I-ORG", "ORG:0:2"),
            ("I-X O I-X I-X B-X", "X:0:1 X:2:4 X:4:5"),
            ("I-X I-Y B-Y", "X:0:1 Y:1:2 Y:2:3"),
            ("B-X I-Y", "X:0:1 Y:1:2"),
            // E and S close a chunk; L and U read as E and S.
            ("B-X E-X S-X I-X", "X:0:2 X:2:3 X:3:4"),
            ("I-X E-X E-X I-X", "X:0:2 X:2:3 X:3:4"),
            ("B-X I-X L-X U-X I-X L-X", "X:0:3 X:3:4 X:4:6"),
            ("B-X E-Y", "X:0:1 Y:1:2"),
            ("B-X B-X", "X:0:1 X:1:2"),
            ("E-X O S-X", "X:0:1 X:2:3"),
            ("O O", "-"),
            ("-", "-"),
        ];
        for (seq, want) in cases {
            for scheme in TagScheme::ALL {
                let got = show(&chunks(&tags(seq), scheme, Chunking::Conlleval));
                assert_eq!(got, want, "{seq}");
            }
        }
    }

    #[test]
    fn strict_chunking_drops_what_the_scheme_does_not_allow() {
        let cases = [
            (TagScheme::Iob2, "O I-X I-X B-X I-X", "X:3:5"),
            (TagScheme::Iob2, "B-X I-Y", "X:0:1"),
            (TagScheme::Iobes, "B-X I-X O S-X", "X:3:4"),
            (TagScheme::Iobes, "B-X I-X E-X", "X:0:3"),
            (TagScheme::Bilou, "B-X L-X U-X I-X", "X:0:2 X:2:3"),
            (TagScheme::Ioe2, "I-X E-X I-X", "X:0:2"),
        ];
        for (scheme, seq, want) in cases {
            let got = show(&chunks(&tags(seq), scheme, Chunking::Strict));
            assert_eq!(got, want, "{scheme} {seq}");
        }
    }

    #[test]
    fn scheme_detection_table() {
        let cases = [
            ("O B-X I-X", Some(TagScheme::Iob2)),
            ("O I-X I-X", Some(TagScheme::Iob1)),
            ("I-X E-X", Some(TagScheme::Ioe2)),
            ("E-X", Some(TagScheme::Ioe2)),
            ("B-X E-X", Some(TagScheme::Iobes)),
            ("S-X", Some(TagScheme::Iobes)),
            ("B-X L-X", Some(TagScheme::Bilou)),
            ("U-X I-X", Some(TagScheme::Bilou)),
            ("O", Some(TagScheme::Iob2)),
            ("-", Some(TagScheme::Iob2)),
            ("U-X E-X", None),
            ("L-X S-X", None),
        ];
        for (seq, want) in cases {
            let mut seen = [false; Prefix::COUNT];
            for t in tags(seq) {
                seen[t.prefix as usize] = true;
            }
            assert_eq!(TagScheme::detect(&seen), want, "{seq}");
        }
        for s in TagScheme::ALL {
            assert_eq!(s.as_str().parse::<TagScheme>(), Ok(s));
        }
        assert_eq!("bioes".parse::<TagScheme>(), Ok(TagScheme::Iobes));
        let e = "bilu".parse::<TagScheme>().unwrap_err().to_string();
        assert!(
            e.contains("unknown tag scheme \"bilu\" (expected iob1, iob2"),
            "{e}"
        );
    }

    #[test]
    fn writes_every_scheme_and_reads_it_back() {
        let text = "A B C D E F G H";
        // A; B C D; E (right after B C D, same label); G H.
        let data = dataset(
            text,
            &[
                (0, 1, Label::new("ACTOR").unwrap()),
                (2, 7, Label::new("PLACE").unwrap()),
                (8, 9, Label::new("PLACE").unwrap()),
                (12, 15, Label::new("PLACE").unwrap()),
            ],
        );
        let cases = [
            (
                TagScheme::Iob1,
                "I-ACTOR I-PLACE I-PLACE I-PLACE B-PLACE O I-PLACE I-PLACE",
            ),
            (
                TagScheme::Iob2,
                "B-ACTOR B-PLACE I-PLACE I-PLACE B-PLACE O B-PLACE I-PLACE",
            ),
            (
                TagScheme::Ioe1,
                "I-ACTOR I-PLACE I-PLACE E-PLACE I-PLACE O I-PLACE I-PLACE",
            ),
            (
                TagScheme::Ioe2,
                "E-ACTOR I-PLACE I-PLACE E-PLACE E-PLACE O I-PLACE E-PLACE",
            ),
            (
                TagScheme::Iobes,
                "S-ACTOR B-PLACE I-PLACE E-PLACE S-PLACE O B-PLACE E-PLACE",
            ),
            (
                TagScheme::Bilou,
                "U-ACTOR B-PLACE I-PLACE L-PLACE U-PLACE O B-PLACE L-PLACE",
            ),
        ];
        for (scheme, want) in cases {
            let export = write(&data, scheme).unwrap();
            let out = String::from_utf8(export.bytes.clone()).unwrap();
            let got: Vec<&str> = out
                .lines()
                .filter_map(|l| l.split_once('\t'))
                .filter(|(tok, _)| *tok != DOCSTART)
                .map(|(_, tag)| tag)
                .collect();
            assert_eq!(got.join(" "), want, "{scheme}");
            let mut reads = vec![(None, Chunking::Conlleval)];
            for chunking in Chunking::ALL {
                reads.push((Some(scheme), chunking));
            }
            for (forced, chunking) in reads {
                let opts = Options {
                    scheme: forced,
                    chunking,
                };
                let back = from_bytes(&export.bytes, Some(data.corpus()), &opts).unwrap();
                let spans = |d: &Dataset| -> Vec<CharSpan> {
                    d.annotations().iter().map(|a| a.span.clone()).collect()
                };
                assert_eq!(
                    spans(&back),
                    spans(&data),
                    "{scheme} read as {forced:?} {chunking}"
                );
            }
        }
    }

    #[test]
    fn tag_errors_say_where() {
        let cases: &[(&str, Option<TagScheme>, &str)] = &[
            ("a\tB-ACTOR\nb\tE-ACTOR\n", Some(TagScheme::Iob2), "line 2: field `tag`: tag \"E-ACTOR\" is not in the iob2 tag scheme (expected O, B-LABEL or I-LABEL)"),
            ("a\tS-ACTOR\n", Some(TagScheme::Bilou), "line 1: field `tag`: tag \"S-ACTOR\" is not in the bilou tag scheme (expected O, B-LABEL, I-LABEL, L-LABEL or U-LABEL)"),
            ("a\tU-ACTOR\n\nb\tS-PLACE\n", None, "line 3: field `tag`: tag \"S-PLACE\" mixes BILOU tags (L-, U-) with IOBES tags (E-, S-)"),
            ("a\tB-\n", None, "line 1: field `tag`: expected O, or B, I, E, S, L or U with an optional -LABEL, found \"B-\""),
            ("a\tOO\n", None, "line 1: field `tag`: expected O, or B, I, E, S, L or U"),
            ("a\tBX\n", None, "line 1: field `tag`: expected O, or B, I, E, S, L or U"),
        ];
        for (src, scheme, want) in cases {
            let opts = Options {
                scheme: *scheme,
                chunking: Chunking::Conlleval,
            };
            let got = from_bytes(src.as_bytes(), None, &opts)
                .unwrap_err()
                .to_string();
            assert!(got.contains(want), "{src:?}: {got:?} lacks {want:?}");
        }
    }

    #[test]
    fn errors_say_where() {
        let corpus = Corpus::from_documents(vec![Document {
            id: "d".into(),
            text: "Mali and the UN".into(),
        }])
        .unwrap();
        let cases: &[(&str, bool, &str)] = &[
            ("-DOCSTART-\td\nMali\tB-L,OC\n", false, "line 2: field `tag`: tag \"B-L,OC\": invalid label \"L,OC\""),
            ("Mali\tX-PLACE\n", false, "line 1: field `tag`: expected O, or B, I, E, S, L or U with an optional -LABEL, found \"X-PLACE\""),
            ("Mali\n", false, "line 1: expected a token and a tag, found \"Mali\""),
            ("\tO\n", false, "line 1: field `token`: empty token"),
            ("-DOCSTART-\td\nx\tO\n-DOCSTART-\td\n", false, "line 3: document id \"d\" also starts on line 1"),
            ("-DOCSTART-\te\nMali\tO\n", true, "line 1: document \"e\" is not among the texts"),
            ("-DOCSTART-\td\nMali\tO\nor\tO\n", true, "line 3: field `token`: token \"or\" does not match the text of document \"d\" at code point 5: found \"an\""),
            ("-DOCSTART-\td\nMali\tO\nand\tO\n", true, "line 1: the tokens of document \"d\" stop at code point 8"),
        ];
        for (src, with_texts, want) in cases {
            let texts = with_texts.then_some(&corpus);
            let got = from_bytes(src.as_bytes(), texts, &Options::default())
                .unwrap_err()
                .to_string();
            assert!(got.contains(want), "{src:?}: {got:?} lacks {want:?}");
        }
        assert!(docstart_id("a b").is_err());
        assert!(docstart_id("O").is_err());
        assert!(docstart_id("").is_err());
    }
}
