//! Properties of the readers that `tests/it/format_properties.rs` does not cover:
//!
//! - **no reader panics**, whatever the bytes: the annotations CSV reader (on CSV-shaped
//!   rows, which get past the header, as well as raw bytes), the gazetteer loader (and a
//!   tagger built from whatever it accepts, run on its own terms), the variant TOML reader
//!   and the baseline reader; on arbitrary bytes and on valid files with random edits;
//!   errors name the file;
//! - **writing then reading the annotations CSV is the identity** on arbitrary sets: any
//!   Unicode in the document ids, texts and names (quotes, commas, CR, LF, a BOM, leading
//!   spaces, control characters), every label, large offsets and integer norms.
//!
//! Failures are saved in `proptest-regressions/it/reader_properties.txt`.

use std::path::Path;
use std::sync::Arc;

use crate::common::{self, gold_labels};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use tagbench::baseline::Baseline;
use tagbench::variant::Variant;
use tagbench::{Annotation, AnnotationSet, CharSpan, Gazetteer, Label, MatchKind, Norm, Tagger};

/// 256 cases, or `PROPTEST_CASES` for a longer hunt.
fn config() -> ProptestConfig {
    common::proptest_config("proptest-regressions/it/reader_properties.txt")
}

/// Pieces that CSV, TOML and JSON readers treat specially.
const PIECES: &[&str] = &[
    ",",
    "\"",
    "\"\"",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\u{feff}",
    "\u{0}",
    "=",
    "[",
    "]",
    "{",
    "}",
    "#",
    "'",
    "\\",
    "-",
    "0",
    "1",
    "-1",
    "99999999999999999999999",
    "ACTOR",
    "PLACE",
    "FIGURE",
    "exact",
    "fold",
    "true",
    "𝔐",
    "e\u{301}",
    "İ",
    "ß",
    "’",
    "\u{a0}",
    "\u{200d}",
];

/// Text made of those pieces, letters and any character.
fn tricky() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => select(PIECES).prop_map(String::from),
        2 => "[a-zA-Z]{1,6}",
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

/// What a column holds, so that generated rows often get past the checks of the columns
/// before it.
#[derive(Clone, Copy, Debug)]
enum Col {
    Text,
    Number,
    Label,
    Case,
}

fn field(col: Col) -> BoxedStrategy<String> {
    let text = prop_oneof![
        3 => tricky(),
        1 => tricky().prop_map(|s| format!("\"{}\"", s.replace('"', "\"\""))),
    ];
    match col {
        Col::Text => text.boxed(),
        Col::Number => {
            prop_oneof![4 => (0usize..60).prop_map(|n| n.to_string()), 1 => text].boxed()
        }
        Col::Label => prop_oneof![
            6 => select(&["ACTOR", "PLACE", "FIGURE"][..]).prop_map(String::from),
            1 => text,
        ]
        .boxed(),
        Col::Case => prop_oneof![
            6 => select(&["", "exact", "fold"][..]).prop_map(String::from),
            1 => text,
        ]
        .boxed(),
    }
}

/// A CSV file: `header`, then rows with a field for each of `cols` (now and then one field
/// more or less).
fn csv_file(header: &'static str, cols: &'static [Col]) -> impl Strategy<Value = Vec<u8>> {
    let row = (
        cols.iter().map(|&c| field(c)).collect::<Vec<_>>(),
        0u8..10,
        field(Col::Text),
    )
        .prop_map(|(mut fields, shape, extra)| {
            match shape {
                0 => {
                    fields.pop();
                }
                1 => fields.push(extra),
                _ => {}
            }
            fields.join(",")
        });
    prop::collection::vec(row, 0..6).prop_map(move |rows| {
        let mut out = format!("{header}\n");
        for r in rows {
            out.push_str(&r);
            out.push('\n');
        }
        out.into_bytes()
    })
}

const ANNOTATION_COLS: &[Col] = &[
    Col::Text,
    Col::Number,
    Col::Number,
    Col::Label,
    Col::Text,
    Col::Number,
];
const GAZETTEER_COLS: &[Col] = &[Col::Text, Col::Label, Col::Number, Col::Text, Col::Case];

/// An edit of a file: (where, what, how).
type Edit = (Index, u8, u8);

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec((any::<Index>(), any::<u8>(), any::<u8>()), 1..6)
}

/// Replaces, deletes or inserts a byte at each edit.
fn apply(bytes: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for (at, byte, how) in edits {
        if b.is_empty() {
            b.push(*byte);
            continue;
        }
        let i = at.index(b.len());
        match how % 3 {
            0 => b[i] = *byte,
            1 => {
                b.remove(i);
            }
            _ => b.insert(i, *byte),
        }
    }
    b
}

/// Loads a gazetteer; whatever loads must build a tagger, whose spans over the terms
/// themselves are in bounds, on char boundaries, sorted and (leftmost) disjoint.
fn gazetteer(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut g = Gazetteer::new();
    match g.add_csv(Path::new("g.csv"), bytes) {
        Err(e) => {
            prop_assert!(e.to_string().starts_with("g.csv"), "{}", e);
            return Ok(());
        }
        Ok(()) if g.is_empty() => return Ok(()),
        Ok(()) => {}
    }
    let text: String = g
        .entries()
        .iter()
        .map(|e| format!("{} and {}, ", e.term, e.term.to_uppercase()))
        .collect();
    for kind in [MatchKind::LeftmostLongest, MatchKind::Overlapping] {
        let t = Tagger::builder()
            .match_kind(kind)
            .case(tagbench::CaseMode::Unicode)
            .build(&g);
        let t = t.map_err(|e| TestCaseError::fail(format!("a loaded gazetteer builds: {e}")))?;
        let spans = t.tag(&text);
        for s in &spans {
            prop_assert!(
                s.start < s.end && s.end <= text.len(),
                "{:?} in {:?}",
                s,
                text
            );
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
        for w in spans.windows(2) {
            prop_assert!((w[0].start, w[0].end) <= (w[1].start, w[1].end));
            if kind != MatchKind::Overlapping {
                prop_assert!(w[0].end <= w[1].start, "{:?} {:?}", w[0], w[1]);
            }
        }
    }
    Ok(())
}

fn variant(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Err(e) = Variant::from_bytes(Path::new("v.toml"), bytes) {
        let msg = e.to_string();
        prop_assert!(msg.starts_with("v.toml"), "{}", msg);
        prop_assert!(!msg.contains('\n'), "one line: {:?}", msg);
    }
    Ok(())
}

fn baseline(bytes: &[u8]) -> Result<(), TestCaseError> {
    let Ok(src) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    if let Ok(b) = Baseline::parse(src) {
        let json = b.to_json();
        let again = Baseline::parse(&json).expect("our own JSON reads back");
        prop_assert_eq!(again.to_json(), json);
    }
    Ok(())
}

const GAZETTEER: &[u8] = b"term,label,norm,kind,case\n\
    UN,ACTOR,United Nations,organisation,exact\n\
    Assimi Go\xc3\xafta,ACTOR,Assimi Go\xc3\xafta,person,\n\
    Mali,PLACE,Mali,country,\n\
    six,FIGURE,6,,fold\n";

const VARIANT: &[u8] = b"description = \"test\"\n\
    gazetteers = [\"g.csv\"]\n\
    \n\
    [tagger]\n\
    match_kind = \"leftmost-longest\"\n\
    case = \"exact\"\n\
    fold_accents = true\n\
    word_boundaries = true\n\
    figures = true\n\
    automaton = \"auto\"\n";

fn committed_baseline() -> &'static [u8] {
    static B: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    B.get_or_init(|| {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("gold/baseline.json");
        std::fs::read(p).expect("gold/baseline.json")
    })
}

/// Names and texts for the CSV identity: anything but an empty document id (which the
/// reader rejects).
fn label_norm() -> impl Strategy<Value = (Label, Norm)> {
    prop_oneof![
        (
            select(vec![
                Label::new("ACTOR").unwrap(),
                Label::new("PLACE").unwrap()
            ]),
            prop_oneof![
                Just(Norm::None),
                tricky()
                    .prop_filter("a name", |s| !s.is_empty())
                    .prop_map(|s| Norm::Name(Arc::from(s.as_str())))
            ]
        ),
        (
            Just(Label::new("FIGURE").unwrap()),
            prop_oneof![Just(Norm::None), any::<u64>().prop_map(Norm::Value)]
        ),
    ]
}

fn annotations() -> impl Strategy<Value = Vec<Annotation>> {
    prop::collection::vec(
        (
            tricky().prop_filter("a document id", |s| !s.is_empty()),
            (0usize..usize::MAX / 2, 1usize..1000),
            label_norm(),
            tricky(),
        )
            .prop_map(|(doc, (start, len), (label, norm), text)| Annotation {
                doc,
                span: CharSpan::new(start, start + len, label, norm),
                text,
                line: 0,
            }),
        0..12,
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn readers_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = AnnotationSet::from_bytes(&bytes, &gold_labels());
        gazetteer(&bytes)?;
        variant(&bytes)?;
        baseline(&bytes)?;
    }

    #[test]
    fn the_csv_readers_never_panic_on_csv_shaped_rows(
        ann in csv_file("doc,start,end,label,text,norm", ANNOTATION_COLS),
        gaz in csv_file("term,label,norm,kind,case", GAZETTEER_COLS),
        gaz3 in csv_file("term,label,norm", &GAZETTEER_COLS[..3]),
    ) {
        let _ = AnnotationSet::from_bytes(&ann, &gold_labels());
        gazetteer(&gaz)?;
        gazetteer(&gaz3)?;
    }

    #[test]
    fn readers_never_panic_on_edited_files(e in edits()) {
        gazetteer(&apply(GAZETTEER, &e))?;
        variant(&apply(VARIANT, &e))?;
        baseline(&apply(committed_baseline(), &e))?;
    }

    #[test]
    fn the_variant_reader_never_panics_on_toml_shaped_text(
        lines in prop::collection::vec(
            (
                select(&["description", "gazetteers", "tagger", "match_kind", "case", "figures", "automaton", "x"][..]),
                tricky(),
            ),
            0..8,
        ),
        section in any::<bool>(),
    ) {
        let mut src = String::new();
        for (i, (k, v)) in lines.iter().enumerate() {
            if section && i == 2 {
                src.push_str("[tagger]\n");
            }
            src.push_str(&format!("{k} = {v}\n"));
        }
        variant(src.as_bytes())?;
    }

    #[test]
    fn annotations_csv_write_then_read_is_the_identity(anns in annotations()) {
        let mut set = AnnotationSet::new();
        for a in &anns {
            set.push(a.clone());
        }
        set.sort();
        let mut bytes = Vec::new();
        set.write(&mut bytes).expect("writing to memory");
        let back = AnnotationSet::from_bytes(&bytes, &gold_labels())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&bytes))))?;
        let view = |s: &AnnotationSet| {
            s.iter().map(|a| (a.doc.clone(), a.span.clone(), a.text.clone())).collect::<Vec<_>>()
        };
        prop_assert_eq!(view(&back), view(&set));
        // Lines point at the rows: header on line 1, rows after it (a field may span lines).
        let lines: Vec<u64> = back.iter().map(|a| a.line).collect();
        prop_assert!(lines.iter().all(|&l| l >= 2), "{:?}", lines);
        // The same set always gives the same bytes.
        let mut again = Vec::new();
        back.write(&mut again).unwrap();
        prop_assert_eq!(again, bytes);
    }
}
