//! The annotations CSV reader on arbitrary bytes: no panic; what it accepts writes back to
//! bytes that read as the same mentions; checking them against a corpus, as gold and as
//! predictions, never panics either.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tagbench::{AnnotationSet, Corpus, Dataset, Document, LabelSet};

/// This repository's label declarations (FIGURE's norms are integers).
fn labels() -> LabelSet {
    LabelSet::from_toml(include_bytes!("../../gold/labels.toml")).expect("gold/labels.toml")
}

fuzz_target!(|data: &[u8]| {
    let labels = labels();
    let Ok(set) = AnnotationSet::from_bytes(data, &labels) else {
        return;
    };
    let mut out = Vec::new();
    set.write(&mut out).expect("writing to memory");
    let back = AnnotationSet::from_bytes(&out, &labels).expect("what we write reads back");
    let view = |s: &AnnotationSet| {
        s.iter()
            .map(|a| (a.doc.clone(), a.span.clone(), a.text.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(view(&back), view(&set));

    let corpus = Corpus::from_documents(vec![
        Document {
            id: "d".into(),
            text: "𝔐ali and the UN 😀.".into(),
        },
        Document {
            id: "0".into(),
            text: "e\u{301}\r\n".into(),
        },
    ])
    .expect("distinct ids");
    let _ = set.check_against(&corpus, false);
    let _ = Dataset::new(corpus.clone(), set.clone()).and_then(|d| d.check_gold());
});
