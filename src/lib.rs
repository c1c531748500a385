//! tagbench: an entity-extraction benchmark and test harness.
//!
//! (Crate docs are completed below once every module exists.)

#![deny(missing_docs)]

mod annotations;
mod error;
mod figures;
mod gazetteer;
mod gold;
mod normalize;
pub mod report;
pub mod score;
mod span;
mod tagger;
pub mod variant;

pub use annotations::{Annotation, AnnotationSet, HEADER};
pub use error::{Error, ErrorKind, Result};
pub use gazetteer::{CaseOverride, Entry, Gazetteer, GAZETTEER_HEADER};
pub use gold::{read_document, text_files, Corpus, Document, Gold};
pub use span::{Label, Norm, OffsetIndex, Span, UnknownLabel};
pub use tagger::{Automaton, CaseMode, MatchKind, Scratch, Tagger, TaggerBuilder, TaggerOptions};
