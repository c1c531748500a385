//! Properties of the format readers and writers:
//!
//! - **no reader panics**, whatever the bytes: arbitrary bytes, and valid files of every
//!   format with random edits (a byte replaced, deleted or inserted, a number changed), which
//!   reach deeper than random bytes (offsets inside a surrogate pair, past the end, unknown
//!   labels, broken JSON in the middle of a valid file);
//! - **writing then reading is the identity** on generated documents: arbitrary Unicode text
//!   (astral characters, combining marks, CR, tabs, BOMs, control characters), non-overlapping
//!   spans, every label, names and integer norms. For CoNLL the spans lie on token boundaries
//!   within a sentence, the file is read against the original texts, and norms are not
//!   carried; doccano does not carry norms either;
//! - **files hold code points**: the offsets of every written file, read back with only the
//!   csv crate and serde_json, are the mentions' code points counted from the texts (UTF-16
//!   code units for Label Studio), never bytes; with the identity above, readers take them
//!   so too.
//!
//! Failures are saved in `proptest-regressions/format/properties.txt`.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::format::{
    self, brat, conll, doccano, jsonl, labelstudio, Dataset, Format, Output, WriteOptions,
};
use crate::{Annotation, AnnotationSet, CharSpan, Corpus, Document, Label, Norm, OffsetIndex};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::FileFailurePersistence;

/// This repository's label declarations (`gold/labels.toml`).
fn gold_labels() -> crate::LabelSet {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("gold/labels.toml");
    crate::LabelSet::read(&path).expect("gold/labels.toml")
}

/// 256 cases, or `PROPTEST_CASES` for a longer hunt.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/format/properties.txt",
        ))),
        ..ProptestConfig::default()
    }
}

/// Pieces of text that break offset bookkeeping and tokenizers.
const PIECES: &[&str] = &[
    "𝔐",
    "😀",
    "🇲🇱",
    "e\u{301}",
    "\r\n",
    "\r",
    "\n\n",
    "\t",
    " ",
    ".",
    ",",
    "’",
    "U.N.",
    "13,000",
    "\u{a0}",
    "\u{feff}",
    "\u{200d}",
    "\"",
    "\\",
    "-DOCSTART-",
    "O",
    "B-ACTOR",
    "T1",
    "#",
    "[",
    "{",
    "Mr.",
    "?",
    "“",
];

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z]{1,8}",
        3 => Just(" ".to_string()),
        2 => select(PIECES).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// A label and a norm that fits it.
fn label_norm() -> impl Strategy<Value = (Label, Norm)> {
    let name = "[a-zA-Z0-9 À-ÿ𝔐😀’.,\"-]{1,12}".prop_map(|s| Norm::Name(Arc::from(s.as_str())));
    prop_oneof![
        (
            select(vec![
                Label::new("ACTOR").unwrap(),
                Label::new("PLACE").unwrap()
            ]),
            prop_oneof![Just(Norm::None), name]
        ),
        (
            Just(Label::new("FIGURE").unwrap()),
            prop_oneof![Just(Norm::None), any::<u64>().prop_map(Norm::Value)]
        ),
    ]
}

/// Raw material for one document: id, text, span picks, labels and norms.
type RawDoc = (String, Vec<Index>, Vec<(Label, Norm)>);

fn raw_docs() -> impl Strategy<Value = Vec<RawDoc>> {
    prop::collection::vec(
        (
            text(),
            prop::collection::vec(any::<Index>(), 0..14),
            prop::collection::vec(label_norm(), 7),
        ),
        1..4,
    )
}

/// Builds a dataset: document `i` is `d{i}`; spans pair up consecutive distinct cut points
/// taken from `cuts` (code-point offsets, or token boundaries for `on_tokens`), so they do
/// not overlap.
fn dataset(raw: &[RawDoc], on_tokens: bool) -> Dataset {
    let mut docs = Vec::new();
    let mut set = AnnotationSet::new();
    for (i, (text, picks, labels)) in raw.iter().enumerate() {
        let doc = Document {
            id: format!("d{i}"),
            text: text.clone(),
        };
        let idx = OffsetIndex::new(text);
        let mut spans: Vec<(usize, usize)> = Vec::new();
        if on_tokens {
            let tokens = conll::tokenize(text);
            let sentences = conll::sentences(text, &tokens);
            let mut sentence_of = vec![0; tokens.len()];
            for (s, r) in sentences.iter().enumerate() {
                for t in r.clone() {
                    sentence_of[t] = s;
                }
            }
            if !tokens.is_empty() {
                let mut ts: Vec<usize> = picks.iter().map(|p| p.index(tokens.len())).collect();
                ts.sort();
                ts.dedup();
                for pair in ts.chunks(2) {
                    let (f, l) = (pair[0], *pair.get(1).unwrap_or(&pair[0]));
                    if sentence_of[f] == sentence_of[l] {
                        let c = |b| idx.byte_to_char(b).expect("token boundary");
                        spans.push((c(tokens[f].start), c(tokens[l].end)));
                    }
                }
            }
        } else {
            let n = idx.char_len();
            let mut cuts: Vec<usize> = picks.iter().map(|p| p.index(n + 1)).collect();
            cuts.sort();
            cuts.dedup();
            for pair in cuts.chunks_exact(2) {
                spans.push((pair[0], pair[1]));
            }
        }
        for (k, (s, e)) in spans.into_iter().enumerate() {
            let (label, norm) = labels[k % labels.len()].clone();
            let (b0, b1) = (idx.char_to_byte(s).unwrap(), idx.char_to_byte(e).unwrap());
            set.push(Annotation {
                doc: doc.id.clone(),
                span: CharSpan::new(s, e, label, norm),
                text: text[b0..b1].to_string(),
                line: 0,
            });
        }
        docs.push(doc);
    }
    set.sort();
    Dataset::new(Corpus::from_documents(docs).unwrap(), set).expect("a valid dataset")
}

type View = (
    Vec<(String, String)>,
    Vec<(String, usize, usize, Label, String, String)>,
);

/// Texts and mentions, without the line numbers (which depend on the file).
fn view(d: &Dataset, norms: bool) -> View {
    let texts = d
        .corpus()
        .documents()
        .iter()
        .map(|x| (x.id.clone(), x.text.clone()))
        .collect();
    let spans = d
        .annotations()
        .iter()
        .map(|a| {
            let norm = if norms {
                a.span.norm.to_string()
            } else {
                String::new()
            };
            (
                a.doc.clone(),
                a.span.start,
                a.span.end,
                a.span.label,
                a.text.clone(),
                norm,
            )
        })
        .collect();
    (texts, spans)
}

fn file(format: Format, data: &Dataset, ls: labelstudio::Results) -> Vec<u8> {
    file_in(format, data, ls, conll::TagScheme::default())
}

fn file_in(
    format: Format,
    data: &Dataset,
    ls: labelstudio::Results,
    scheme: conll::TagScheme,
) -> Vec<u8> {
    let opts = WriteOptions {
        labelstudio: ls,
        conll: scheme,
    };
    let w = format::write(format, data, &opts).expect("writable");
    assert!(
        w.unrepresented.is_empty(),
        "{format}: {:?}",
        w.unrepresented
    );
    match w.output {
        Output::File(b) => b,
        Output::Folder(_) => panic!("{format} writes one file"),
    }
}

/// Reads brat files produced in memory back, as the folder reader would.
fn read_brat(files: &[(String, Vec<u8>)], corpus: &Corpus) -> Dataset {
    let files: BTreeMap<&str, &[u8]> = files.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
    let mut set = AnnotationSet::new();
    let mut docs = Vec::new();
    for d in corpus.documents() {
        let txt = files[format!("{}.txt", d.id).as_str()];
        let doc = Document {
            id: d.id.clone(),
            text: String::from_utf8(txt.to_vec()).unwrap(),
        };
        for a in brat::parse(
            &doc,
            files[format!("{}.ann", d.id).as_str()],
            &gold_labels(),
        )
        .expect("reads back")
        {
            set.push(a);
        }
        docs.push(doc);
    }
    set.sort();
    let data = Dataset::new(Corpus::from_documents(docs).unwrap(), set).unwrap();
    assert_eq!(
        files.get("annotation.conf"),
        Some(&brat::annotation_conf(&data).as_bytes()),
        "annotation.conf declares the labels used"
    );
    data
}

/// A small corpus to read CSV and CoNLL against.
fn corpus() -> Corpus {
    Corpus::from_documents(vec![
        Document {
            id: "d".into(),
            text: "𝔐ali and the UN 😀.".into(),
        },
        Document {
            id: "d0".into(),
            text: "Mali".into(),
        },
    ])
    .unwrap()
}

/// Every reader on the same bytes; none may panic (errors are fine).
fn read_everything(bytes: &[u8]) {
    let c = corpus();
    if let Ok(set) = AnnotationSet::from_bytes(bytes, &gold_labels()) {
        let _ = Dataset::new(c.clone(), set);
    }
    let _ = brat::parse(&c.documents()[0], bytes, &gold_labels());
    for scheme in std::iter::once(None).chain(conll::TagScheme::ALL.map(Some)) {
        for chunking in conll::Chunking::ALL {
            let opts = conll::Options { scheme, chunking };
            let _ = conll::from_bytes(bytes, None, &opts);
            let _ = conll::from_bytes(bytes, Some(&c), &opts);
        }
    }
    let _ = jsonl::from_bytes(bytes, &gold_labels());
    let _ = doccano::from_bytes(bytes);
    let _ = labelstudio::from_bytes(bytes, labelstudio::Results::Annotations, &gold_labels());
    let _ = labelstudio::from_bytes(bytes, labelstudio::Results::Predictions, &gold_labels());
}

/// An edit of a file: (where, what, how).
type Edit = (Index, u8, u8);

fn apply(bytes: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for (at, byte, how) in edits {
        if b.is_empty() {
            b.push(*byte);
            continue;
        }
        let i = at.index(b.len());
        match how % 4 {
            0 => b[i] = *byte,
            1 => {
                b.remove(i);
            }
            2 => b.insert(i, *byte),
            _ => {
                // Replace the digits around i with another number.
                if b[i].is_ascii_digit() {
                    let mut e = i;
                    while e < b.len() && b[e].is_ascii_digit() {
                        e += 1;
                    }
                    let n = (*byte as usize * 7919 + i) % 100;
                    b.splice(i..e, n.to_string().into_bytes());
                }
            }
        }
    }
    b
}

/// The offsets a written file holds, per document id, read with nothing of tagbench: the
/// csv crate, serde_json, or splitting brat's lines.
fn offsets_in_file(format: Format, data: &Dataset) -> BTreeMap<String, Vec<(u64, u64)>> {
    let mut out: BTreeMap<String, Vec<(u64, u64)>> = BTreeMap::new();
    let num = |v: &serde_json::Value| v.as_u64().expect("an offset");
    let json_lines = |b: &[u8]| -> Vec<serde_json::Value> {
        String::from_utf8(b.to_vec())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    match format {
        Format::Csv => {
            let bytes = file(format, data, Default::default());
            for r in csv::Reader::from_reader(&bytes[..]).records() {
                let r = r.unwrap();
                let n = |i: usize| r[i].parse::<u64>().unwrap();
                out.entry(r[0].to_string()).or_default().push((n(1), n(2)));
            }
        }
        Format::Jsonl => {
            for d in json_lines(&file(format, data, Default::default())) {
                let spans = d["spans"].as_array().unwrap();
                let list = out
                    .entry(d["id"].as_str().unwrap().to_string())
                    .or_default();
                list.extend(spans.iter().map(|s| (num(&s["start"]), num(&s["end"]))));
            }
        }
        Format::Doccano => {
            for d in json_lines(&file(format, data, Default::default())) {
                let spans = d["label"].as_array().unwrap();
                let list = out
                    .entry(d["id"].as_str().unwrap().to_string())
                    .or_default();
                list.extend(spans.iter().map(|s| (num(&s[0]), num(&s[1]))));
            }
        }
        Format::LabelStudio => {
            let bytes = file(format, data, labelstudio::Results::Annotations);
            let tasks: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            for t in tasks.as_array().unwrap() {
                let list = out
                    .entry(t["data"]["doc"].as_str().unwrap().to_string())
                    .or_default();
                for a in t["annotations"].as_array().unwrap() {
                    for r in a["result"].as_array().unwrap() {
                        list.push((num(&r["value"]["start"]), num(&r["value"]["end"])));
                    }
                }
            }
        }
        Format::Brat => {
            for (name, bytes) in brat::write(data).unwrap() {
                let Some(id) = name.strip_suffix(".ann") else {
                    continue;
                };
                let list = out.entry(id.to_string()).or_default();
                for line in String::from_utf8(bytes).unwrap().lines() {
                    if line.starts_with('T') {
                        let mid = line.split('\t').nth(1).unwrap();
                        let f: Vec<&str> = mid.split(' ').collect();
                        list.push((f[1].parse().unwrap(), f[2].parse().unwrap()));
                    }
                }
            }
        }
        other => panic!("no offsets test for {other}"),
    }
    out
}

proptest! {
    #![proptest_config(config())]

    /// Files hold each format's unit, computed here from the texts alone: code points
    /// (Python's `len(text[:i])`) everywhere but in Label Studio, UTF-16 code units
    /// (JavaScript's) there; never bytes.
    #[test]
    fn written_offsets_are_code_points(raw in raw_docs()) {
        let data = dataset(&raw, false);
        for format in [Format::Csv, Format::Jsonl, Format::Doccano, Format::Brat, Format::LabelStudio] {
            let mut want: BTreeMap<String, Vec<(u64, u64)>> = BTreeMap::new();
            for a in data.annotations().iter() {
                let text = &data.corpus().get(&a.doc).unwrap().text;
                // The mention's characters, found by counting characters, not bytes.
                let chars: String = text.chars().skip(a.span.start).take(a.span.end - a.span.start).collect();
                prop_assert_eq!(&chars, &a.text);
                let unit = |c: usize| -> u64 {
                    let prefix = text.chars().take(c);
                    if format == Format::LabelStudio {
                        prefix.map(|ch| ch.len_utf16() as u64).sum()
                    } else {
                        prefix.count() as u64
                    }
                };
                want.entry(a.doc.clone()).or_default().push((unit(a.span.start), unit(a.span.end)));
            }
            let mut got = offsets_in_file(format, &data);
            got.retain(|_, v| !v.is_empty());
            for v in got.values_mut().chain(want.values_mut()) {
                v.sort();
            }
            prop_assert_eq!(got, want, "{}", format);
        }
    }

    #[test]
    fn readers_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        read_everything(&bytes);
    }

    #[test]
    fn readers_never_panic_on_edited_files(
        raw in raw_docs(),
        edits in prop::collection::vec((any::<Index>(), any::<u8>(), any::<u8>()), 1..6),
    ) {
        let data = dataset(&raw, true);
        let ls = labelstudio::Results::Annotations;
        for f in [Format::Csv, Format::Conll, Format::Jsonl, Format::Doccano, Format::LabelStudio] {
            read_everything(&apply(&file(f, &data, ls), &edits));
        }
        let files = brat::write(&data).unwrap();
        for (name, bytes) in &files {
            if name.ends_with(".ann") {
                let edited = apply(bytes, &edits);
                let _ = brat::parse(&data.corpus().documents()[0], &edited, &gold_labels());
            }
        }
    }

    #[test]
    fn write_then_read_is_the_identity(raw in raw_docs()) {
        let data = dataset(&raw, false);
        let want = view(&data, true);
        let c = data.corpus();

        let csv = file(Format::Csv, &data, Default::default());
        let set = AnnotationSet::from_bytes(&csv, &gold_labels()).expect("csv reads back");
        prop_assert_eq!(view(&Dataset::new(c.clone(), set).unwrap(), true), want.clone(), "csv");

        let j = file(Format::Jsonl, &data, Default::default());
        prop_assert_eq!(view(&jsonl::from_bytes(&j, &gold_labels()).expect("jsonl"), true), want.clone(), "jsonl");

        for ls in [labelstudio::Results::Annotations, labelstudio::Results::Predictions] {
            let l = file(Format::LabelStudio, &data, ls);
            let back = labelstudio::from_bytes(&l, ls, &gold_labels()).expect("labelstudio");
            prop_assert_eq!(view(&back, true), want.clone(), "labelstudio {:?}", ls);
        }

        let files = brat::write(&data).expect("brat");
        prop_assert_eq!(view(&read_brat(&files, c), true), want.clone(), "brat");

        let d = file(Format::Doccano, &data, Default::default());
        prop_assert_eq!(view(&doccano::from_bytes(&d).expect("doccano"), false), view(&data, false), "doccano");
    }

    #[test]
    fn bio_write_then_read_is_the_identity_on_token_boundaries(raw in raw_docs()) {
        let data = dataset(&raw, true);
        // Every scheme, read back with the scheme named, under both chunkings.
        for scheme in conll::TagScheme::ALL {
            let f = file_in(Format::Conll, &data, Default::default(), scheme);
            for chunking in conll::Chunking::ALL {
                let opts = conll::Options { scheme: Some(scheme), chunking };
                let back = conll::from_bytes(&f, Some(data.corpus()), &opts).expect("conll reads back");
                prop_assert_eq!(view(&back, false), view(&data, false), "{} {}", scheme, chunking);
            }
        }
        let bio = file(Format::Conll, &data, Default::default());
        let back = conll::from_bytes(&bio, Some(data.corpus()), &Default::default()).expect("conll reads back");
        prop_assert_eq!(view(&back, false), view(&data, false));
        // Without the texts, the same mentions over the rebuilt text: same count, same
        // labels, and each mention's text is the same characters but for whitespace.
        let rebuilt = conll::from_bytes(&bio, None, &Default::default()).expect("conll reads back without texts");
        prop_assert_eq!(rebuilt.annotations().len(), data.annotations().len());
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        for (a, b) in rebuilt.annotations().iter().zip(data.annotations().iter()) {
            prop_assert_eq!(a.span.label, b.span.label);
            prop_assert!(!a.text.contains('\n'), "one sentence: {:?}", a.text);
            prop_assert_eq!(squeeze(&a.text), squeeze(&b.text));
        }
    }
}
