//! Every format reader on arbitrary bytes (no panic); whatever one accepts, every writer
//! writes (no panic), and csv, jsonl and Label Studio read their own output back as the
//! same texts and mentions.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tagbench::format::{
    self, conll, Dataset, Format, LabelStudioResults, Output, ReadOptions, WriteOptions,
};
use tagbench::{Corpus, Document, LabelSet};

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
            LabelStudioResults::Annotations,
            LabelStudioResults::Predictions,
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
            if !matches!(f, Format::Csv | Format::Jsonl | Format::LabelStudio) {
                continue;
            }
            let labels = labels();
            let opts = ReadOptions {
                texts: Some(data.corpus()),
                labels: Some(&labels),
                labelstudio: ls,
                ..ReadOptions::default()
            };
            let back = format::from_bytes(f, &bytes, &opts);
            let back = back.unwrap_or_else(|e| panic!("{f} reads its own output: {e}"));
            assert_eq!(view(&back), view(data), "{f} round trip");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let c = corpus();
    let one = Corpus::from_documents(vec![c.documents()[0].clone()]).expect("one document");
    let labels = labels();
    let read = |format, texts, labelstudio, conll| {
        let opts = ReadOptions {
            texts,
            labels: Some(&labels),
            labelstudio,
            conll,
        };
        format::from_bytes(format, data, &opts)
    };
    let mut ok = Vec::new();
    ok.extend(read(Format::Csv, Some(&c), Default::default(), Default::default()));
    let _ = read(Format::Brat, Some(&one), Default::default(), Default::default());
    for scheme in std::iter::once(None).chain(conll::TagScheme::ALL.map(Some)) {
        for chunking in conll::Chunking::ALL {
            let opts = conll::Options { scheme, chunking };
            ok.extend(read(Format::Conll, None, Default::default(), opts));
            ok.extend(read(Format::Conll, Some(&c), Default::default(), opts));
        }
    }
    ok.extend(read(Format::Jsonl, None, Default::default(), Default::default()));
    ok.extend(read(Format::Doccano, None, Default::default(), Default::default()));
    for ls in [LabelStudioResults::Annotations, LabelStudioResults::Predictions] {
        ok.extend(read(Format::LabelStudio, None, ls, Default::default()));
    }
    for d in &ok {
        write_all(d);
    }
});
