//! tagbench: an entity-extraction benchmark and test harness.
//!
//! It answers two questions with numbers: how good is a tagger, and did a change make it
//! better or worse. The pipeline is a chain of plain functions over plain data:
//!
//! ```text
//! text + Gazetteer --Tagger::tag--> Span --OffsetIndex--> CharSpan --score::evaluate--> Evaluation
//! Evaluation --report::render--> table | json | csv | md
//! Evaluation + texts --report::html--> one HTML page
//! ```
//!
//! The main types:
//!
//! - [`Gazetteer`]: surface forms with a [`Label`] (ACTOR, PLACE, FIGURE) and a canonical
//!   [`Norm`], loaded from CSV files with file-and-line errors.
//! - [`Tagger`], built by [`TaggerBuilder`] from [`TaggerOptions`] (match semantics, case
//!   mode, accent folding, word boundaries, the FIGURE recogniser): an Aho-Corasick automaton
//!   whose spans are exact in the original text whatever the folding.
//! - [`Span`]: half-open byte offsets plus label and norm, the engine's unit; [`CharSpan`]:
//!   the same in code points, the unit of every file and every mention handed to a user.
//!   [`OffsetIndex`] converts (see the `span` module docs for the convention).
//! - [`AnnotationSet`]: gold or predicted mentions as read from or written to
//!   `doc,start,end,label,text,norm` CSV.
//! - [`Dataset`]: a [`Corpus`] and its [`AnnotationSet`], checked once; [`Dataset::open`]
//!   reads any path (a gold folder, a brat folder, a file in any format) the same way for
//!   every command.
//! - [`score`]: SemEval-2013 strict/exact/partial/type schemes plus `norm`, per label and
//!   overall, with an error list; [`report`] renders an evaluation, and [`report::html`]
//!   renders it with the texts marked as one self-contained HTML page.
//! - [`variant::Variant`]: a tagger configuration as a TOML file.
//! - [`format`](mod@format): other tools' formats (brat, CoNLL BIO, JSONL, doccano, Label Studio) read
//!   into and written from one model, [`Dataset`].
//!
//! # Example
//!
//! ```
//! use std::path::Path;
//! use tagbench::{CaseMode, Gazetteer, Label, Tagger};
//!
//! let mut g = Gazetteer::new();
//! g.add_csv(
//!     Path::new("inline.csv"),
//!     "term,label,norm,kind,case\n\
//!      UN,ACTOR,United Nations,organisation,exact\n\
//!      Assimi Goïta,ACTOR,Assimi Goïta,person,\n\
//!      Mali,PLACE,Mali,country,\n"
//!         .as_bytes(),
//! )?;
//! let tagger = Tagger::builder().case(CaseMode::Unicode).build(&g)?;
//! let text = "ẞ! MALI’s leader, Assimi\nGOITA, met the UN about 13,000 troops.";
//! let found: Vec<(&str, Label, String)> = tagger
//!     .tag(text)
//!     .iter()
//!     .map(|s| (&text[s.range()], s.label, s.norm.to_string()))
//!     .collect();
//! assert_eq!(
//!     found,
//!     [
//!         ("MALI", Label::new("PLACE").unwrap(), "Mali".to_string()),
//!         ("Assimi\nGOITA", Label::new("ACTOR").unwrap(), "Assimi Goïta".to_string()),
//!         ("UN", Label::new("ACTOR").unwrap(), "United Nations".to_string()),
//!         ("13,000", Label::new("FIGURE").unwrap(), "13000".to_string()),
//!     ]
//! );
//! # Ok::<(), tagbench::Error>(())
//! ```

//! # Example: scoring a predictions file with a label map
//!
//! Another tool's predictions, with its own labels (spaCy's PERSON and GPE), scored against
//! a gold that says ACTOR and PLACE. Both are JSONL here; [`Dataset::open`] reads a path of
//! any format the same way.
//!
//! ```
//! use tagbench::format::{self, Format, ReadOptions};
//! use tagbench::score::{evaluate_sets, Scheme};
//! use tagbench::LabelMap;
//!
//! // One document a line.
//! let gold = concat!(
//!     r#"{"id": "d1", "text": "Goïta met Wagner in Bamako.", "spans": ["#,
//!     r#"{"start": 0, "end": 5, "label": "ACTOR"}, {"start": 10, "end": 16, "label": "ACTOR"}, "#,
//!     r#"{"start": 20, "end": 26, "label": "PLACE"}]}"#,
//! );
//! let pred = concat!(
//!     r#"{"id": "d1", "text": "Goïta met Wagner in Bamako.", "spans": ["#,
//!     r#"{"start": 0, "end": 5, "label": "PERSON"}, {"start": 10, "end": 16, "label": "ORG"}, "#,
//!     r#"{"start": 20, "end": 26, "label": "LOC"}, {"start": 26, "end": 27, "label": "PUNCT"}]}"#,
//! );
//! let read = |s: &str| format::from_bytes(Format::Jsonl, s.as_bytes(), &ReadOptions::default());
//! let (gold, mut pred) = (read(gold)?, read(pred)?);
//!
//! // PERSON and ORG are actors, GPE a place; PUNCT maps to nothing and is dropped; LOC has
//! // no rule and stays LOC.
//! let map: LabelMap = "PERSON=ACTOR,ORG=ACTOR,GPE=PLACE,PUNCT=".parse().unwrap();
//! assert_eq!(pred.relabel(&map, None), 1);
//!
//! let ev = evaluate_sets(Some(gold.corpus()), gold.annotations(), pred.annotations(), gold.labels());
//! let strict = ev.overall(Scheme::Strict);
//! assert_eq!((strict.correct, strict.incorrect, strict.missed, strict.spurious), (2, 1, 0, 0));
//! assert_eq!(ev.overall(Scheme::Exact).correct, 3); // Bamako: right boundaries, LOC ≠ PLACE
//! assert!((strict.f1() - 2.0 / 3.0).abs() < 1e-12);
//! # Ok::<(), tagbench::Error>(())
//! ```
//!
//! # Example: reading a CoNLL file
//!
//! A BIO (or IOBES, BILOU, IOE...) file has tokens, not text: without the original texts,
//! the text is rebuilt from the tokens and the offsets point into it (see
//! [`format::conll`]).
//!
//! ```
//! use std::path::Path;
//! use tagbench::{Dataset, OpenOptions};
//!
//! let data = Dataset::open(Path::new("tests/data/conll2003/gold.conll"), &OpenOptions::new())?;
//! let (doc, mentions) = data.iter().next().unwrap();
//! let first: Vec<String> = mentions
//!     .iter()
//!     .take(3)
//!     .map(|a| {
//!         let text: String = doc.text.chars().skip(a.span.start).take(a.span.end - a.span.start).collect();
//!         format!("{} {text}", a.span.label)
//!     })
//!     .collect();
//! assert_eq!(first, ["PER John Smith", "ORG Acme Corp", "LOC Berlin"]);
//! # Ok::<(), tagbench::Error>(())
//! ```

#![deny(missing_docs)]

mod annotations;
pub mod baseline;
pub mod compare;
mod error;
mod figures;
pub mod format;
mod gazetteer;
mod gold;
mod hash;
mod label;
mod normalize;
pub mod perturb;
pub mod project;
pub mod report;
pub mod score;
mod span;
pub mod stream;
pub mod stress;
pub mod system;
mod tagger;
mod text;
pub mod threshold;
pub mod variant;

pub use annotations::{Annotation, AnnotationSet, HEADER};
pub use error::{Error, ErrorKind, Result};
pub use gazetteer::{CaseOverride, Entry, Gazetteer, GAZETTEER_HEADER};
pub use gold::{read_document, text_files, Corpus, Dataset, Document, OpenOptions, Texts};
pub use label::{
    parse_label_list, Declared, InvalidLabel, Label, LabelMap, LabelSet, Norm, NormKind,
};
pub use span::{CharSpan, OffsetCursor, OffsetIndex, Span};
pub use system::{Predictions, Prepared, System, SystemOptions};
pub use tagger::{Automaton, CaseMode, MatchKind, Scratch, Tagger, TaggerBuilder, TaggerOptions};
