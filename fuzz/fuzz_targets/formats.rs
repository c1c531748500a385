//! Every format reader on arbitrary bytes (no panic); whatever one accepts, every writer
//! writes (no panic), and csv, jsonl and Label Studio read their own output back as the
//! same texts and mentions.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tagbench::format::{
    self, brat, conll, doccano, jsonl, labelstudio, Dataset, Format, Output, WriteOptions,
};
use tagbench::{AnnotationSet, Corpus, Document, LabelSet};

/// This repository's label declarations (FIGURE's norms are integers).
fn labels() -> LabelSet {
    LabelSet::from_toml(include_bytes!("../../gold/labels.toml")).expect("gold/labels.toml")
}

fn corpus() -> Corpus {
    Corpus::from_documents(vec![
        Document {
            id: "d".into(),
            text: "𝔐ali and the UN 😀. Mr. Goïta met 13,000 people.\n\nNew paragraph".into(),
        },
        Document {
            id: "d0".into(),
            text: "Mali".into(),
        },
    ])
    .expect("distinct ids")
}

type View = (
    Vec<(String, String)>,
    Vec<(String, usize, usize, String, String, String)>,
);

fn view(d: &Dataset) -> View {
    (
        d.corpus()
            .documents()
            .iter()
            .map(|x| (x.id.clone(), x.text.clone()))
            .collect(),
        d.annotations()
            .iter()
            .map(|a| {
                (
                    a.doc.clone(),
                    a.span.start,
                    a.span.end,
                    a.span.label.to_string(),
                    a.text.clone(),
                    a.span.norm.to_string(),
                )
            })
            .collect(),
    )
}

fn write_all(data: &Dataset) {
    for f in Format::ALL {
        for ls in [
            labelstudio::Results::Annotations,
            labelstudio::Results::Predictions,
        ] {
            // Fails only on document ids a format cannot name (checked, not a panic).
            let Ok(w) = format::write(
                f,
                data,
                &WriteOptions {
                    labelstudio: ls,
                    conll: Default::default(),
                },
            ) else {
                continue;
            };
            let Output::File(bytes) = w.output else {
                continue;
            };
            let back = match f {
                Format::Csv => AnnotationSet::from_bytes(&bytes, &labels())
                    .and_then(|s| format::csv::from_set(s, data.corpus())),
                Format::Jsonl => jsonl::from_bytes(&bytes, &labels()),
                Format::LabelStudio => labelstudio::from_bytes(&bytes, ls, &labels()),
                _ => continue,
            };
            let back = back.unwrap_or_else(|e| panic!("{f} reads its own output: {e}"));
            assert_eq!(view(&back), view(data), "{f} round trip");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let c = corpus();
    let mut ok = Vec::new();
    if let Ok(set) = AnnotationSet::from_bytes(data, &labels()) {
        if let Ok(d) = format::csv::from_set(set, &c) {
            ok.push(d);
        }
    }
    let _ = brat::parse(&c.documents()[0], data, &labels());
    for scheme in std::iter::once(None).chain(conll::TagScheme::ALL.map(Some)) {
        for chunking in conll::Chunking::ALL {
            let opts = conll::Options { scheme, chunking };
            ok.extend(conll::from_bytes(data, None, &opts));
            ok.extend(conll::from_bytes(data, Some(&c), &opts));
        }
    }
    ok.extend(jsonl::from_bytes(data, &labels()));
    ok.extend(doccano::from_bytes(data));
    ok.extend(labelstudio::from_bytes(
        data,
        labelstudio::Results::Annotations,
        &labels(),
    ));
    ok.extend(labelstudio::from_bytes(
        data,
        labelstudio::Results::Predictions,
        &labels(),
    ));
    for d in &ok {
        write_all(d);
    }
});
