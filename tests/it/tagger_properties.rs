//! Properties of the tagger over generated texts, under every case mode with accent folding
//! on and off (and, where the property allows, every match kind and both boundary settings):
//!
//! - every span is in bounds, on character boundaries, non-empty, sorted, and (in the
//!   leftmost modes) disjoint; its text folds to a gazetteer term with the span's label and
//!   norm, or the span is a FIGURE;
//! - a gazetteer term inserted between words that contain none, in any spelling the options
//!   promise to accept, is found exactly where it was inserted, with its label and norm;
//! - tagging is deterministic, and `tag_with` with a reused `Scratch` equals `tag`.
//!
//! The generators lean on the characters that break offset bookkeeping: case foldings that
//! change length ("İ", "ẞ", "ß", "ﬁ"), the Kelvin sign, combining marks, emoji with ZWJ, CRLF,
//! no-break spaces, typographic apostrophes. Failures are saved in
//! `proptest-regressions/it/tagger_properties.txt`.

use std::path::Path;
use std::sync::OnceLock;

use crate::common;
use caseless::Caseless;
use proptest::prelude::*;
use proptest::sample::select;
use tagbench::{
    CaseMode, CaseOverride, Entry, Gazetteer, Label, MatchKind, Norm, OffsetIndex, Scratch, Span,
    Tagger, TaggerOptions,
};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Small, but with every kind of term the tagger treats specially: exact-case acronyms,
/// a `fold` entry, multi-word names whose words are terms too, accented names (one of them
/// exact-case), characters whose case folding changes length, apostrophes of both kinds.
/// Where one term is a prefix of another, the longer one is listed first, so that
/// leftmost-first and leftmost-longest agree on an inserted term.
const GAZETTEER: &str = "term,label,norm,kind,case
UN Security Council,ACTOR,United Nations Security Council,organisation,
UN,ACTOR,United Nations,organisation,exact
United Nations,ACTOR,United Nations,organisation,
Mali,PLACE,Mali,country,
Niger,PLACE,Niger,country,exact
Côte d'Ivoire,PLACE,Ivory Coast,country,
Assimi Goïta,ACTOR,Assimi Goïta,person,
Goïta,ACTOR,Assimi Goïta,person,
Wagner Group,ACTOR,Wagner Group,armed-group,
Wagner,ACTOR,Wagner Group,armed-group,
Kremlin,ACTOR,Kremlin,government,fold
Straße,PLACE,Straße,street,
Kelvin,ACTOR,Kelvin,person,
fine arts,ACTOR,Fine Arts,organisation,
İzmir,PLACE,İzmir,city,
São Tomé,PLACE,São Tomé,city,
O’Brien,ACTOR,O’Brien,person,
Diré,PLACE,Diré,town,exact
";

const CASES: [CaseMode; 3] = [CaseMode::Exact, CaseMode::Ascii, CaseMode::Unicode];
const KINDS: [MatchKind; 3] = [
    MatchKind::LeftmostLongest,
    MatchKind::LeftmostFirst,
    MatchKind::Overlapping,
];

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| {
        let mut g = Gazetteer::new();
        g.add_csv(Path::new("t.csv"), GAZETTEER.as_bytes())
            .expect("the test gazetteer is valid");
        g
    })
}

fn build(opts: TaggerOptions) -> Tagger {
    Tagger::builder()
        .options(opts)
        .build(gazetteer())
        .expect("the test gazetteer builds")
}

/// Every case mode × accent folding × match kind × word boundaries.
fn all_taggers() -> &'static [Tagger] {
    static T: OnceLock<Vec<Tagger>> = OnceLock::new();
    T.get_or_init(|| {
        let mut out = Vec::new();
        for case in CASES {
            for fold_accents in [true, false] {
                for match_kind in KINDS {
                    for word_boundaries in [true, false] {
                        out.push(build(TaggerOptions {
                            case,
                            fold_accents,
                            match_kind,
                            word_boundaries,
                            ..TaggerOptions::default()
                        }));
                    }
                }
            }
        }
        out
    })
}

/// Every case mode × accent folding × match kind, with word boundaries (the default).
fn bounded_taggers() -> impl Iterator<Item = &'static Tagger> {
    all_taggers().iter().filter(|t| t.options().word_boundaries)
}

/// The most any tagger configuration folds: canonical decomposition, combining marks
/// dropped, full Unicode case folding, `’` and `ʼ` as `'`, whitespace runs as one space.
/// Two strings a tagger may match to each other have the same `fold`.
fn fold(s: &str) -> String {
    let once: String = s
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .default_case_fold()
        .collect();
    // Folding can produce decomposable characters again ("İ" -> "i̇").
    let twice: String = once
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == '’' || c == 'ʼ' { '\'' } else { c })
        .collect();
    twice.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `(fold(term), label, norm)` of every entry.
fn folded_terms() -> &'static [(String, Label, Norm)] {
    static F: OnceLock<Vec<(String, Label, Norm)>> = OnceLock::new();
    F.get_or_init(|| {
        gazetteer()
            .entries()
            .iter()
            .map(|e| (fold(&e.term), e.label, e.norm.clone()))
            .collect()
    })
}

/// The folded words of every term: a text containing none of them contains no term and
/// cannot start a multi-word term that runs into an inserted one.
fn folded_term_words() -> &'static [String] {
    static W: OnceLock<Vec<String>> = OnceLock::new();
    W.get_or_init(|| {
        let mut w: Vec<String> = folded_terms()
            .iter()
            .flat_map(|(t, _, _)| t.split(' ').map(str::to_string).collect::<Vec<_>>())
            .collect();
        w.sort();
        w.dedup();
        w
    })
}

/// Pieces of text that stress folding and offsets, none of them a term.
const TRICKY: &[&str] = &[
    "é",
    "e\u{301}",
    "ï",
    "ô",
    "İ",
    "ẞ",
    "ß",
    "\u{212A}",
    "ﬁ",
    "\u{301}",
    "\u{308}",
    "👩\u{200d}👩\u{200d}👧",
    "👍🏽",
    "🇲🇱",
    "\r\n",
    "\u{a0}",
    "’",
    "'",
    "-",
    "_",
    "49",
    "13,000",
    "forty-nine",
    "hundreds",
    "six million",
    "2013",
    "G5",
];

/// Terms and near-terms as they may appear in text, so that generated texts have matches.
const TERMISH: &[&str] = &[
    "Mali",
    "MALI",
    "mali",
    "Malian",
    "UN",
    "Un",
    "UNSC",
    "UN Security Council",
    "un security council",
    "United\u{a0}Nations",
    "United\r\nNations",
    "Niger",
    "niger",
    "Côte d’Ivoire",
    "Co\u{302}te d'Ivoire",
    "COTE D'IVOIRE",
    "Assimi Goïta",
    "Assimi  Goita",
    "GOÏTA",
    "Goi\u{308}ta",
    "Wagner Group",
    "Wagner group",
    "Wagner Groups",
    "KREMLIN",
    "kremlin-linked",
    "Straße",
    "STRASSE",
    "STRAẞE",
    "\u{212A}elvin",
    "KELVIN",
    "ﬁne arts",
    "FINE ARTS",
    "İzmir",
    "İZMİR",
    "i\u{307}zmir",
    "Izmir",
    "São Tomé",
    "Sa\u{303}o Tome\u{301}",
    "SAO TOME",
    "O’Brien",
    "O'Brien",
    "o’brien",
    "Diré",
    "Dire",
    "DIRÉ",
];

fn separator() -> impl Strategy<Value = &'static str> {
    select(
        &[
            " ", " ", " ", " ", "", "  ", "\r\n", "\n\n", "\t", "\u{a0}", ", ", ". ", "-", "’",
            "'", "(", ")",
        ][..],
    )
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(TERMISH).prop_map(str::to_string),
        3 => select(TRICKY).prop_map(str::to_string),
        2 => "[a-zA-Z]{1,8}",
        1 => "[0-9]{1,5}",
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Arbitrary text: tokens joined by separators (or glued together).
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec((token(), separator()), 0..20).prop_map(|parts| {
        parts
            .into_iter()
            .flat_map(|(t, s)| [t, s.to_string()])
            .collect()
    })
}

/// Checks the invariants of one tagger's spans on `text`.
fn check_spans(t: &Tagger, text: &str, spans: &[Span]) -> Result<(), TestCaseError> {
    let opts = t.options();
    for s in spans {
        prop_assert!(
            s.start < s.end && s.end <= text.len(),
            "{opts:?}: span {s:?} out of bounds in {text:?}"
        );
        prop_assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{opts:?}: span {s:?} not on char boundaries in {text:?}"
        );
        if s.label == Label::new("FIGURE").unwrap() {
            continue;
        }
        let got = fold(&text[s.range()]);
        prop_assert!(
            folded_terms()
                .iter()
                .any(|(f, l, n)| *f == got && *l == s.label && *n == s.norm),
            "{opts:?}: span {:?} ({} {:?}, folded {got:?}) is no term with that label and \
             norm, in {text:?}",
            &text[s.range()],
            s.label,
            s.norm.to_string()
        );
    }
    for w in spans.windows(2) {
        prop_assert!(
            (w[0].start, w[0].end) <= (w[1].start, w[1].end),
            "{opts:?}: spans not sorted: {:?} then {:?} in {text:?}",
            w[0],
            w[1]
        );
        if opts.match_kind != MatchKind::Overlapping {
            prop_assert!(
                w[0].end <= w[1].start,
                "{opts:?}: spans overlap: {:?} and {:?} in {text:?}",
                w[0],
                w[1]
            );
        }
    }
    Ok(())
}

/// How an inserted term is respelled. Each change is applied only under the options that
/// promise to accept it.
#[derive(Clone, Debug)]
struct Respelling {
    /// Per character: upper (true) or lower case.
    upper: Vec<bool>,
    /// Strip accents (when accent folding is on).
    strip_accents: bool,
    /// Write accented letters decomposed (always accepted).
    decompose: bool,
    /// In unicode mode, use the Kelvin sign, the "ﬁ" ligature and "ẞ" where they fit.
    exotic: bool,
    /// Swap `'` and `’` (always accepted).
    swap_apostrophes: bool,
    /// The whitespace between the words of a multi-word term (always accepted).
    inner_space: &'static str,
}

fn respelling() -> impl Strategy<Value = Respelling> {
    (
        prop::collection::vec(any::<bool>(), 32),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        select(&[" ", " ", "  ", "\u{a0}", "\r\n", "\n", "\t \t"][..]),
    )
        .prop_map(
            |(upper, strip_accents, decompose, exotic, swap_apostrophes, inner_space)| Respelling {
                upper,
                strip_accents,
                decompose,
                exotic,
                swap_apostrophes,
                inner_space,
            },
        )
}

/// Which re-casing the tagger promises to accept for an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Recase {
    None,
    Ascii,
    Unicode,
}

fn allowed_recase(e: &Entry, case: CaseMode) -> Recase {
    match (e.case, case) {
        (CaseOverride::Exact, _) => Recase::None,
        (_, CaseMode::Unicode) => Recase::Unicode,
        (_, CaseMode::Ascii) | (CaseOverride::Fold, CaseMode::Exact) => Recase::Ascii,
        (CaseOverride::Inherit, CaseMode::Exact) => Recase::None,
    }
}

/// The spelling of `e` to insert for a tagger with `opts`.
fn respell(e: &Entry, opts: &TaggerOptions, r: &Respelling) -> String {
    let mut s = if r.strip_accents && opts.fold_accents {
        e.term.nfd().filter(|c| !is_combining_mark(*c)).collect()
    } else if r.decompose {
        e.term.nfd().collect()
    } else {
        e.term.clone()
    };
    let recase = allowed_recase(e, opts.case);
    let up = |i: usize| r.upper[i % r.upper.len()];
    s = match recase {
        Recase::None => s,
        Recase::Ascii => s
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if up(i) {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect(),
        Recase::Unicode => s
            .chars()
            .enumerate()
            .flat_map(|(i, c)| -> Vec<char> {
                if up(i) {
                    c.to_uppercase().collect()
                } else {
                    c.to_lowercase().collect()
                }
            })
            .collect(),
    };
    if recase == Recase::Unicode && r.exotic {
        s = s
            .replace(['K', 'k'], "\u{212A}")
            .replace("fi", "ﬁ")
            .replace('ß', "ẞ");
    }
    if r.swap_apostrophes {
        s = s
            .chars()
            .map(|c| match c {
                '\'' => '’',
                '’' => '\'',
                c => c,
            })
            .collect();
    }
    s.replace(' ', r.inner_space)
}

/// Words joined by separators, none of them (folded) containing a word of a term.
fn filler() -> impl Strategy<Value = Vec<String>> {
    let word = prop_oneof![
        3 => "[a-zA-Z]{1,8}",
        2 => select(TRICKY).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec((word, separator()), 0..12)
        .prop_map(|parts| parts.into_iter().map(|(w, s)| w + s).collect::<Vec<_>>())
        .prop_filter("filler must not contain a word of a term", |parts| {
            let folded = fold(&parts.concat());
            !folded_term_words()
                .iter()
                .any(|w| folded.contains(w.as_str()))
        })
}

/// 256 cases, or `PROPTEST_CASES` for a longer hunt.
fn config() -> ProptestConfig {
    common::proptest_config("proptest-regressions/it/tagger_properties.txt")
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn spans_are_in_bounds_sorted_disjoint_and_fold_to_a_term(text in text()) {
        for t in all_taggers() {
            let spans = t.tag(&text);
            check_spans(t, &text, &spans)?;
        }
    }

    #[test]
    fn an_inserted_term_is_found_at_its_offsets(
        filler in filler(),
        at in any::<prop::sample::Index>(),
        which in any::<prop::sample::Index>(),
        r in respelling(),
    ) {
        let entries = gazetteer().entries();
        let e = &entries[which.index(entries.len())];
        let k = at.index(filler.len() + 1);
        let before = filler[..k].concat();
        let after = filler[k..].concat();
        for t in bounded_taggers() {
            let opts = t.options();
            let form = respell(e, opts, &r);
            let text = format!("{before} {form} {after}");
            let start = before.len() + 1;
            let end = start + form.len();
            let char_start = before.chars().count() + 1;
            let char_end = char_start + form.chars().count();
            let spans = t.tag(&text);
            check_spans(t, &text, &spans)?;
            let idx = OffsetIndex::new(&text);
            let found = spans.iter().find(|s| s.start == start && s.end == end);
            prop_assert!(
                found.is_some_and(|s| s.label == e.label && s.norm == e.norm),
                "{opts:?}: term {:?} inserted as {form:?} at bytes {start}..{end} of {text:?} \
                 not found with {} {:?}; spans: {:?}",
                e.term,
                e.label,
                e.norm.to_string(),
                spans
                    .iter()
                    .map(|s| (s.start, s.end, &text[s.range()], s.label))
                    .collect::<Vec<_>>()
            );
            let s = found.expect("checked above");
            prop_assert_eq!(
                (idx.byte_to_char(s.start), idx.byte_to_char(s.end)),
                (Some(char_start), Some(char_end))
            );
        }
    }

    #[test]
    fn tagging_is_deterministic_and_scratch_reuse_changes_nothing(
        texts in prop::collection::vec(text(), 1..6),
    ) {
        for t in all_taggers() {
            let mut scratch = Scratch::new();
            let mut out = vec![Span::new(0, 1, Label::new("FIGURE").unwrap(), Norm::None)];
            // Long then short and back: stale buffer contents must never leak.
            for text in texts.iter().chain(texts.iter().rev()) {
                let want = t.tag(text);
                prop_assert_eq!(&t.tag(text), &want, "{:?}: tag twice on {:?}", t.options(), text);
                t.tag_with(text, &mut scratch, &mut out);
                prop_assert_eq!(&out, &want, "{:?}: tag_with on {:?}", t.options(), text);
            }
        }
    }
}

/// Regression: in leftmost-first mode, a first-listed match rejected by the word-boundary
/// check ("UN" inside "UNSC", the accent-stripped variant "Dire" before the decomposed
/// "Dire\u{301}") hid every longer, later-listed match at the same start, so "UNSC" in the
/// gold texts was missed by the `leftmost-first` variant only.
#[test]
fn leftmost_first_skips_a_rejected_match_for_a_later_listed_one() {
    let mut g = Gazetteer::new();
    g.add_csv(
        Path::new("t.csv"),
        "term,label,norm,kind,case\n\
         UN,ACTOR,United Nations,organisation,exact\n\
         UNSC,ACTOR,United Nations Security Council,organisation,exact\n\
         Dire,PLACE,Diré,town,exact\n\
         Diré,PLACE,Diré,town,exact\n"
            .as_bytes(),
    )
    .expect("valid gazetteer");
    // (text, expected surfaces), the same under every match kind.
    let rows: &[(&str, &[&str])] = &[
        ("the UNSC met", &["UNSC"]),
        ("the UN met", &["UN"]),
        ("in Dire\u{301} and Dire", &["Dire\u{301}", "Dire"]),
        ("in Diré", &["Diré"]),
    ];
    for case in CASES {
        for match_kind in KINDS {
            let t = Tagger::builder()
                .case(case)
                .match_kind(match_kind)
                .build(&g)
                .expect("builds");
            for (text, want) in rows {
                let got: Vec<&str> = t.tag(text).iter().map(|s| &text[s.range()]).collect();
                assert_eq!(got, *want, "{text:?} ({case:?}, {match_kind:?})");
            }
        }
    }
}

/// Regression: with accent folding on, an exact-case entry ("Diré") matched its
/// accent-stripped spelling ("Dire") in the exact and ascii case modes but not in the
/// unicode mode, whose exact-spelling check only knew the accented forms.
#[test]
fn accent_folding_applies_to_exact_case_entries_in_every_case_mode() {
    let mut g = Gazetteer::new();
    g.add_csv(
        Path::new("t.csv"),
        "term,label,norm,kind,case\nDiré,PLACE,Diré,town,exact\n".as_bytes(),
    )
    .expect("valid gazetteer");
    // (text, found with accent folding on, found with it off)
    let rows: &[(&str, &[&str], &[&str])] = &[
        ("in Dire", &["Dire"], &[]),
        ("in Diré", &["Diré"], &["Diré"]),
        ("in Dire\u{301}", &["Dire\u{301}"], &["Dire\u{301}"]),
        ("in DIRE and dire", &[], &[]),
    ];
    for case in CASES {
        for fold_accents in [true, false] {
            let t = Tagger::builder()
                .case(case)
                .fold_accents(fold_accents)
                .build(&g)
                .expect("builds");
            for (text, on, off) in rows {
                let got: Vec<&str> = t.tag(text).iter().map(|s| &text[s.range()]).collect();
                let want = if fold_accents { on } else { off };
                assert_eq!(
                    got, *want,
                    "{text:?} ({case:?}, fold_accents {fold_accents})"
                );
            }
        }
    }
}
