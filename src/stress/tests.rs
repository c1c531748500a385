use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::annotations::AnnotationSet;
use crate::compare::whole_text;
use crate::gold::{Corpus, Document};
use crate::label::{Label, Norm};
use crate::perturb::Perturber;
use crate::span::CharSpan;
use crate::variant::Variant;

fn label(s: &str) -> Label {
    s.parse().unwrap()
}

/// A gold of documents `(id, text, [(surface, label)])`, mentions found left to right, each
/// with its surface as norm.
/// A document: id, text, mentions as (surface, label).
type Doc<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

fn gold(docs: &[Doc<'_>]) -> Dataset {
    let mut set = AnnotationSet::new();
    let mut corpus = Vec::new();
    for (id, text, mentions) in docs {
        let mut from = 0;
        for (surface, lab) in *mentions {
            let at = text[from..].find(surface).expect("surface in text") + from;
            let start = text[..at].chars().count();
            let end = start + surface.chars().count();
            set.push(Annotation {
                doc: id.to_string(),
                span: CharSpan::new(start, end, label(lab), Norm::Name(Arc::from(*surface))),
                text: surface.to_string(),
                line: 0,
            });
            from = at + surface.len();
        }
        set.ensure_doc(id);
        corpus.push(Document {
            id: id.to_string(),
            text: text.to_string(),
        });
    }
    set.sort();
    Dataset::new(Corpus::from_documents(corpus).unwrap(), set).unwrap()
}

fn default_variant() -> System {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("variants");
    System::Variant(Variant::resolve("default", &dir).unwrap())
}

fn sample() -> Dataset {
    gold(&[
        (
            "a",
            "Mali accused the United Nations.\n\nTroops left Bamako.",
            &[
                ("Mali", "PLACE"),
                ("United Nations", "ACTOR"),
                ("Bamako", "PLACE"),
            ],
        ),
        (
            "b",
            "In Bamako, the junta spoke.\n\nMali and Niger met.\n\nMINUSMA left.",
            &[
                ("Bamako", "PLACE"),
                ("Mali", "PLACE"),
                ("Niger", "PLACE"),
                ("MINUSMA", "ACTOR"),
            ],
        ),
    ])
}

fn opts(perturbations: &[Perturbation]) -> StressOptions {
    StressOptions {
        perturbations: perturbations.to_vec(),
        resamples: 300,
        ..StressOptions::default()
    }
}

#[test]
fn predictions_cannot_be_stressed() {
    let p = System::Predictions {
        name: "a.csv".into(),
        path: "a.csv".into(),
    };
    let e = check_system(&p).unwrap_err().to_string();
    assert!(e.contains("\"a.csv\"") && e.contains("cmd:COMMAND"), "{e}");
    assert!(check_system(&default_variant()).is_ok());
    let c = System::Command {
        name: "t".into(),
        command: "true".into(),
    };
    assert!(check_system(&c).is_ok());
    // stress refuses it before anything runs.
    let g = sample();
    let e = stress(
        &g,
        &Perturber::new(),
        &[default_variant(), p],
        &SystemOptions::default(),
        &opts(&[Perturbation::Upper]),
        |_| panic!("nothing runs"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("clean texts"), "{e}");
}

#[test]
fn lower_case_loses_the_names_an_exact_case_tagger_knows() {
    let g = sample();
    let o = opts(&[Perturbation::Lower, Perturbation::NameNewline]);
    let s = stress(
        &g,
        &Perturber::new(),
        &[default_variant()],
        &SystemOptions::default(),
        &o,
        |_| {},
    )
    .unwrap();
    let sys = &s.systems[0];
    assert_eq!(sys.clean.correct, 7, "{sys:?}");
    assert_eq!(sys.clean.f1, 1.0);
    let [lower, newline] = &sys.cells[..] else {
        panic!("two cells")
    };
    assert_eq!(lower.perturbation, Perturbation::Lower);
    // Lost minus gained is the change in correct mentions.
    for c in &sys.cells {
        assert_eq!(
            sys.clean.correct as i64 - c.score.correct as i64,
            c.lost as i64 - c.gained as i64,
            "{c:?}"
        );
        assert!((c.delta - (c.score.f1 - sys.clean.f1)).abs() < 1e-12);
        assert!(
            c.delta_lo <= c.delta + 1e-12 && c.delta - 1e-12 <= c.delta_hi,
            "{c:?}"
        );
        // Five paragraphs, paired.
        assert_eq!(c.units, 5);
    }
    assert!(lower.lost > 0 && lower.delta < 0.0, "{lower:?}");
    let ex = &lower.examples[0];
    assert_eq!(ex.clean.text.to_lowercase(), ex.perturbed.text);
    assert_ne!(ex.clean.text, ex.perturbed.text);
    assert!(lower.examples.len() <= 3);
    // The default tagger reads a line break inside a name as a space.
    assert_eq!(newline.lost, 0, "{newline:?}");
    assert_eq!(newline.delta, 0.0);
    assert_eq!((newline.delta_lo, newline.delta_hi), (0.0, 0.0));
    assert!(!newline.significant());
    // What each perturbation changed.
    assert_eq!(s.perturbations[1].perturbation, Perturbation::NameNewline);
    assert_eq!(s.perturbations[1].mentions, 1);
    // Deterministic.
    let again = stress(
        &g,
        &Perturber::new(),
        &[default_variant()],
        &SystemOptions::default(),
        &o,
        |_| {},
    )
    .unwrap();
    assert_eq!(again, s);
}

#[test]
fn examples_are_capped_and_in_document_order() {
    let g = sample();
    let mut o = opts(&[Perturbation::Lower]);
    o.examples = 1;
    let s = stress(
        &g,
        &Perturber::new(),
        &[default_variant()],
        &SystemOptions::default(),
        &o,
        |_| {},
    )
    .unwrap();
    let c = &s.systems[0].cells[0];
    assert_eq!(c.examples.len(), 1);
    assert!(c.lost > 1);
    assert_eq!(c.examples[0].doc, "a");
    assert_eq!(c.examples[0].kind, ErrorKind::Missed);
    assert_eq!(c.examples[0].predicted, None);
}

#[test]
fn a_document_whose_paragraphs_change_is_one_unit_on_both_sides() {
    let clean = gold(&[
        (
            "a",
            "One Mali.\n\nTwo Mali.",
            &[("Mali", "PLACE"), ("Mali", "PLACE")],
        ),
        ("b", "Three Mali.", &[("Mali", "PLACE")]),
    ]);
    let split = gold(&[
        (
            "a",
            "One Mali.\n\nTwo\n\nMali.",
            &[("Mali", "PLACE"), ("Mali", "PLACE")],
        ),
        ("b", "Three Mali.", &[("Mali", "PLACE")]),
    ]);
    let (x, y) = paired_ranges(&clean, &split, Unit::Paragraph);
    assert_eq!(x, vec![whole_text(), vec![0..11]]);
    assert_eq!(y, vec![whole_text(), vec![0..11]]);
    let (x, _) = paired_ranges(&clean, &clean, Unit::Paragraph);
    assert_eq!(x[0].len(), 2);
    let (x, y) = paired_ranges(&clean, &clean, Unit::Document);
    assert_eq!(x, y);
    assert_eq!(x[0], whole_text());
}

#[test]
fn unpaired_datasets_are_refused() {
    let clean = gold(&[("a", "Mali.", &[("Mali", "PLACE")])]);
    let other_id = gold(&[("b", "Mali.", &[("Mali", "PLACE")])]);
    let e = check_paired(&clean, &other_id).unwrap_err().to_string();
    assert!(e.contains("\"b\"") && e.contains("\"a\""), "{e}");
    let other_label = gold(&[("a", "Mali.", &[("Mali", "ACTOR")])]);
    assert!(check_paired(&clean, &other_label).is_err());
    let fewer = gold(&[("a", "Mali.", &[])]);
    let e = check_paired(&clean, &fewer).unwrap_err().to_string();
    assert!(e.contains("(0)") && e.contains("(1)"), "{e}");
    assert!(check_paired(&clean, &clean).is_ok());
}
