//! CoNLL-2003-style BIO: one token and its tag a line, a blank line after each sentence, a
//! `-DOCSTART-` line before each document.
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
//! - Tags are `O`, `B-LABEL` and `I-LABEL` with `LABEL` one of ours (IOB2). Chunks are read
//!   as conlleval reads them: an `I-X` after `O` or after another type starts a chunk (so
//!   IOB1 reads too), and a chunk ends at a sentence end.
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
//! [`write()`] tags each token: a mention becomes `B-LABEL I-LABEL ...` over its tokens when
//! its start is a token's start, its end a token's end, and it stays within one sentence.
//! Mentions it cannot represent are left out and reported ([`Export::unrepresented`]): a
//! boundary inside a token (or on whitespace), a mention crossing a sentence boundary, a
//! mention sharing a token with an earlier one (BIO cannot overlap). **Norms are lost**: BIO
//! has no place for them.
//!
//! # Reading: where the offsets come from
//!
//! A BIO file has tokens, not text, so offsets need a text to point into:
//!
//! - **with the original texts** ([`read()`] with `Some(texts)`): each document's tokens are
//!   found in its text, in order, each after only whitespace; a token that is not there is
//!   an error with its line. Offsets are then those of the original text, and a round trip
//!   text -> BIO -> spans gives back exactly the spans that were written.
//! - **without texts**: the text is rebuilt from the tokens, those of a sentence joined by
//!   one space and sentences by one line feed, and offsets point into that rebuilt text.
//!   Scores of two files rebuilt from the same tokens are comparable with each other, not
//!   with offsets into the original.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use unicode_normalization::char::is_combining_mark;

use super::{lines, make_annotation, Dataset, Reason, Unrepresented};
use crate::annotations::AnnotationSet;
use crate::error::{Error, Result};
use crate::gold::{Corpus, Document, Texts};
use crate::span::{Label, Norm, OffsetIndex};

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
pub struct Export {
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

/// Writes a dataset as BIO (see the [module docs](self)). Fails only on a document id that
/// cannot be written.
pub fn write(data: &Dataset) -> Result<Export> {
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
        let mut tags: Vec<Option<(bool, Label)>> = vec![None; tokens.len()];
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
                    tags[f] = Some((true, a.span.label));
                    for t in &mut tags[f + 1..=l] {
                        *t = Some((false, a.span.label));
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
            for t in r.clone() {
                out.push_str(&text[tokens[t].clone()]);
                out.push('\t');
                match tags[t] {
                    None => out.push('O'),
                    Some((true, l)) => out.push_str(&format!("B-{l}")),
                    Some((false, l)) => out.push_str(&format!("I-{l}")),
                }
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

/// A parsed tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    O,
    B(Label),
    I(Label),
}

fn parse_tag(s: &str) -> std::result::Result<Tag, String> {
    if s == "O" {
        return Ok(Tag::O);
    }
    let (prefix, label) = match s.split_once('-') {
        Some(("B", l)) => (true, l),
        Some(("I", l)) => (false, l),
        _ => return Err(format!("expected O, B-LABEL or I-LABEL, found {s:?}")),
    };
    let label: Label = label
        .parse()
        .map_err(|e: crate::span::UnknownLabel| format!("tag {s:?}: {e}"))?;
    Ok(if prefix { Tag::B(label) } else { Tag::I(label) })
}

/// One token line.
struct TokenLine<'a> {
    token: &'a str,
    tag: Tag,
    line: u64,
}

/// A document as read: its id, the line it starts on, its sentences.
struct ReadDocument<'a> {
    id: String,
    line: u64,
    sentences: Vec<Vec<TokenLine<'a>>>,
}

/// Reads a BIO file; `texts` gives the original texts to align tokens with (see the
/// [module docs](self)).
pub fn read(path: &Path, texts: Option<&Corpus>) -> Result<Dataset> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    from_bytes(&bytes, texts).map_err(|e| e.at_path(path))
}

/// Reads BIO from bytes (see [`read`]).
pub fn from_bytes(bytes: &[u8], texts: Option<&Corpus>) -> Result<Dataset> {
    let mut docs: Vec<ReadDocument<'_>> = Vec::new();
    let mut sentence: Vec<TokenLine<'_>> = Vec::new();
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
        let tag = parse_tag(tag).map_err(|m| Error::invalid(m).in_field("tag").at_line(line))?;
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
            for (label, first, last) in chunks(sentence) {
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

/// The chunks of a sentence as conlleval finds them: (label, first token, last token).
fn chunks(sentence: &[TokenLine<'_>]) -> Vec<(Label, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(Label, usize)> = None;
    for (i, t) in sentence.iter().enumerate() {
        let continues = match (open, t.tag) {
            (Some((l, _)), Tag::I(m)) => l == m,
            _ => false,
        };
        if continues {
            continue;
        }
        if let Some((l, f)) = open.take() {
            out.push((l, f, i - 1));
        }
        open = match t.tag {
            Tag::O => None,
            Tag::B(l) | Tag::I(l) => Some((l, i)),
        };
    }
    if let Some((l, f)) = open {
        out.push((l, f, sentence.len() - 1));
    }
    out
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
                (0, 4, Label::Place),   // Mali
                (7, 9, Label::Actor),   // UN
                (20, 32, Label::Actor), // Assimi Goïta
                (21, 26, Label::Actor), // ssimi: inside a token
                (27, 32, Label::Actor), // Goïta: overlaps Assimi Goïta
                (27, 37, Label::Actor), // Goïta. The: crosses the sentence end
                (38, 45, Label::Actor), // Kremlin
            ],
        );
        let export = write(&data).unwrap();
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
        let back = from_bytes(&export.bytes, Some(data.corpus())).unwrap();
        let spans: Vec<(usize, usize, Label)> = back
            .annotations()
            .iter()
            .map(|a| (a.span.start, a.span.end, a.span.label))
            .collect();
        assert_eq!(
            spans,
            [
                (0, 4, Label::Place),
                (7, 9, Label::Actor),
                (20, 32, Label::Actor),
                (38, 45, Label::Actor)
            ]
        );
        // Without it: offsets into the rebuilt text.
        let rebuilt = from_bytes(&export.bytes, None).unwrap();
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
        let data = from_bytes(src.as_bytes(), None).unwrap();
        let got: Vec<(&str, &str, Label)> = data
            .annotations()
            .iter()
            .map(|a| (a.doc.as_str(), a.text.as_str(), a.span.label))
            .collect();
        assert_eq!(
            got,
            [
                ("doc-1", "Mali", Label::Place),
                ("doc-1", "UN", Label::Actor),
                ("doc-1", "UN", Label::Actor),
                ("doc-2", "x", Label::Figure)
            ]
        );
        // A chunk does not cross a blank line; tokens before any -DOCSTART- are a document.
        let data = from_bytes(b"a\tB-ACTOR\n\nb\tI-ACTOR\n", None).unwrap();
        assert_eq!(data.annotations().get("doc-1").len(), 2);
    }

    #[test]
    fn errors_say_where() {
        let corpus = Corpus::from_documents(vec![Document {
            id: "d".into(),
            text: "Mali and the UN".into(),
        }])
        .unwrap();
        let cases: &[(&str, bool, &str)] = &[
            ("-DOCSTART-\td\nMali\tB-LOC\n", false, "line 2: field `tag`: tag \"B-LOC\": unknown label \"LOC\""),
            ("Mali\tX-PLACE\n", false, "line 1: field `tag`: expected O, B-LABEL or I-LABEL, found \"X-PLACE\""),
            ("Mali\n", false, "line 1: expected a token and a tag, found \"Mali\""),
            ("\tO\n", false, "line 1: field `token`: empty token"),
            ("-DOCSTART-\td\nx\tO\n-DOCSTART-\td\n", false, "line 3: document id \"d\" also starts on line 1"),
            ("-DOCSTART-\te\nMali\tO\n", true, "line 1: document \"e\" is not among the texts"),
            ("-DOCSTART-\td\nMali\tO\nor\tO\n", true, "line 3: field `token`: token \"or\" does not match the text of document \"d\" at code point 5: found \"an\""),
            ("-DOCSTART-\td\nMali\tO\nand\tO\n", true, "line 1: the tokens of document \"d\" stop at code point 8"),
        ];
        for (src, with_texts, want) in cases {
            let texts = with_texts.then_some(&corpus);
            let got = from_bytes(src.as_bytes(), texts).unwrap_err().to_string();
            assert!(got.contains(want), "{src:?}: {got:?} lacks {want:?}");
        }
        assert!(docstart_id("a b").is_err());
        assert!(docstart_id("O").is_err());
        assert!(docstart_id("").is_err());
    }
}
