use std::sync::{Arc, LazyLock};

use proptest::prelude::*;

use super::*;
use crate::label::{Label, Norm};

static A: LazyLock<Label> = LazyLock::new(|| Label::new("ACTOR").unwrap());
static P: LazyLock<Label> = LazyLock::new(|| Label::new("PLACE").unwrap());
static F: LazyLock<Label> = LazyLock::new(|| Label::new("FIGURE").unwrap());

fn s(start: usize, end: usize, label: Label) -> CharSpan {
    CharSpan::new(start, end, label, Norm::None)
}

fn fig(start: usize, end: usize, v: u64) -> CharSpan {
    CharSpan::new(start, end, *F, Norm::Value(v))
}

/// (correct, incorrect, partial, missed, spurious)
fn k(correct: u64, incorrect: u64, partial: u64, missed: u64, spurious: u64) -> Counts {
    Counts {
        correct,
        incorrect,
        partial,
        missed,
        spurious,
    }
}

const C: Counts = Counts {
    correct: 1,
    incorrect: 0,
    partial: 0,
    missed: 0,
    spurious: 0,
};
const I: Counts = Counts {
    correct: 0,
    incorrect: 1,
    partial: 0,
    missed: 0,
    spurious: 0,
};
const PA: Counts = Counts {
    correct: 0,
    incorrect: 0,
    partial: 1,
    missed: 0,
    spurious: 0,
};
const Z: Counts = Counts {
    correct: 0,
    incorrect: 0,
    partial: 0,
    missed: 0,
    spurious: 0,
};

/// A scoring rule: gold, predictions, and the overall counts expected under
/// [strict, exact, partial, type, norm].
struct Rule {
    name: &'static str,
    gold: Vec<CharSpan>,
    pred: Vec<CharSpan>,
    want: [Counts; 5],
}

fn rules() -> Vec<Rule> {
    let m = k(0, 0, 0, 1, 0);
    let sp = k(0, 0, 0, 0, 1);
    vec![
        Rule {
            name: "perfect match",
            gold: vec![s(0, 4, *A), s(5, 9, *P), fig(10, 12, 49)],
            pred: vec![s(0, 4, *A), s(5, 9, *P), fig(10, 12, 49)],
            want: [k(3, 0, 0, 0, 0); 5],
        },
        Rule {
            name: "missed",
            gold: vec![s(0, 4, *A)],
            pred: vec![],
            want: [m; 5],
        },
        Rule {
            name: "spurious",
            gold: vec![],
            pred: vec![s(0, 4, *A)],
            want: [sp; 5],
        },
        Rule {
            name: "both empty",
            gold: vec![],
            pred: vec![],
            want: [Z; 5],
        },
        Rule {
            name: "wrong label, same bounds",
            gold: vec![s(0, 4, *P)],
            pred: vec![s(0, 4, *A)],
            want: [I, C, C, I, I],
        },
        Rule {
            name: "overlap, same label",
            gold: vec![s(0, 4, *A)],
            pred: vec![s(2, 6, *A)],
            want: [I, I, PA, C, I],
        },
        Rule {
            name: "overlap, other label",
            gold: vec![s(0, 4, *P)],
            pred: vec![s(2, 6, *A)],
            want: [I, I, PA, I, I],
        },
        Rule {
            name: "wrong norm, same bounds and label",
            gold: vec![fig(0, 2, 49)],
            pred: vec![fig(0, 2, 48)],
            want: [C, C, C, C, I],
        },
        Rule {
            name: "right norm, other bounds",
            gold: vec![fig(6, 12, 13000)],
            pred: vec![fig(0, 12, 13000)],
            want: [I, I, PA, C, I],
        },
        Rule {
            name: "touching spans never overlap",
            gold: vec![s(0, 4, *A)],
            pred: vec![s(4, 8, *A)],
            want: [k(0, 0, 0, 1, 1); 5],
        },
        Rule {
            name: "one prediction over two golds pairs once",
            gold: vec![s(0, 4, *A), s(6, 10, *A)],
            pred: vec![s(2, 8, *A)],
            want: [
                k(0, 1, 0, 1, 0),
                k(0, 1, 0, 1, 0),
                k(0, 0, 1, 1, 0),
                k(1, 0, 0, 1, 0),
                k(0, 1, 0, 1, 0),
            ],
        },
        Rule {
            // The prediction of the same label wins over the longer overlap of another.
            name: "one gold under two predictions pairs once",
            gold: vec![s(0, 10, *P)],
            pred: vec![s(0, 3, *P), s(4, 10, *A)],
            want: [
                k(0, 1, 0, 0, 1),
                k(0, 1, 0, 0, 1),
                k(0, 0, 1, 0, 1),
                k(1, 0, 0, 0, 1),
                k(0, 1, 0, 0, 1),
            ],
        },
        Rule {
            // Issue 13: nervaluate's ent_type gives correct 1 + missed 1 in every input order.
            name: "a prediction over two golds pairs with the one of its label",
            gold: vec![s(5, 6, *A), s(6, 11, *P)],
            pred: vec![s(5, 11, *A)],
            want: [
                k(0, 1, 0, 1, 0),
                k(0, 1, 0, 1, 0),
                k(0, 0, 1, 1, 0),
                k(1, 0, 0, 1, 0),
                k(0, 1, 0, 1, 0),
            ],
        },
        Rule {
            // Nested gold: exact boundaries first, for every scheme (nervaluate's ent_type
            // would pair with the ACTOR and say correct: the README's documented difference).
            name: "nested gold: same boundaries first",
            gold: vec![s(0, 5, *P), s(0, 8, *A)],
            pred: vec![s(0, 5, *A)],
            want: [
                k(0, 1, 0, 1, 0),
                k(1, 0, 0, 1, 0),
                k(1, 0, 0, 1, 0),
                k(0, 1, 0, 1, 0),
                k(0, 1, 0, 1, 0),
            ],
        },
        Rule {
            name: "exact match is not stolen by a larger overlap",
            gold: vec![s(0, 4, *A), s(3, 9, *A)],
            pred: vec![s(3, 9, *P), s(0, 8, *A)],
            want: [
                k(0, 2, 0, 0, 0),
                k(1, 1, 0, 0, 0),
                k(1, 0, 1, 0, 0),
                k(1, 1, 0, 0, 0),
                k(0, 2, 0, 0, 0),
            ],
        },
    ]
}

/// Checks one rule's overall counts, and that counts add up per label.
fn check(rule: &Rule, gold: &[CharSpan], pred: &[CharSpan]) {
    let doc = score_document(gold, pred);
    for scheme in Scheme::ALL {
        let sc = doc.counts(scheme);
        let o = sc.overall();
        assert_eq!(o, rule.want[scheme.index()], "{}: {scheme}", rule.name);
        assert_eq!(
            o.possible(),
            gold.len() as u64,
            "{}: {scheme} possible",
            rule.name
        );
        assert_eq!(
            o.actual(),
            pred.len() as u64,
            "{}: {scheme} actual",
            rule.name
        );
        for l in [*A, *P, *F] {
            let n_gold = gold.iter().filter(|g| g.label == l).count() as u64;
            assert_eq!(
                sc.label(l).possible(),
                n_gold,
                "{}: {scheme} {l}",
                rule.name
            );
        }
        let sp = o.scores();
        assert!(!sp.precision.is_nan() && !sp.recall.is_nan() && !sp.f1.is_nan());
    }
}

#[test]
fn scoring_rules() {
    for rule in rules() {
        check(&rule, &rule.gold, &rule.pred);
    }
}

#[test]
fn scoring_rules_ignore_input_order() {
    for rule in rules() {
        let mut gold = rule.gold.clone();
        let mut pred = rule.pred.clone();
        gold.reverse();
        pred.reverse();
        check(&rule, &gold, &pred);
        if !gold.is_empty() {
            gold.rotate_left(1);
        }
        if !pred.is_empty() {
            pred.rotate_left(1);
        }
        check(&rule, &gold, &pred);
    }
}

#[test]
fn empty_sides_score_zero_not_nan() {
    for (gold, pred) in [
        (vec![], vec![]),
        (vec![s(0, 1, *A)], vec![]),
        (vec![], vec![s(0, 1, *A)]),
    ] {
        let doc = score_document(&gold, &pred);
        for scheme in Scheme::ALL {
            let sc = doc.counts(scheme);
            assert_eq!(sc.overall().scores(), Scores::default());
            assert_eq!(sc.macro_scores(), Scores::default());
        }
    }
}

#[test]
fn confusion_counts_pairs_missed_and_spurious() {
    let gold = [s(0, 4, *P), s(10, 14, *A), s(20, 22, *F)];
    let pred = [s(0, 5, *A), s(10, 14, *A), s(30, 32, *F)];
    let c = score_document(&gold, &pred).confusion;
    assert_eq!(c.get(Some(*P), Some(*A)), 1);
    assert_eq!(c.get(Some(*A), Some(*A)), 1);
    assert_eq!(c.get(Some(*F), None), 1);
    assert_eq!(c.get(None, Some(*F)), 1);
    assert_eq!(c.total(), 4);
}

#[test]
fn large_document_is_not_quadratic() {
    let n = 100_000;
    let cases = [
        // Each prediction overlaps one gold span.
        (
            (0..n)
                .map(|i| s(10 * i, 10 * i + 5, *A))
                .collect::<Vec<_>>(),
            (0..n)
                .map(|i| s(10 * i + 1, 10 * i + 6, *A))
                .collect::<Vec<_>>(),
        ),
        // Adjacent spans shifted by one: each prediction overlaps two gold spans.
        (
            (0..n).map(|i| s(2 * i, 2 * i + 2, *A)).collect(),
            (0..n).map(|i| s(2 * i + 1, 2 * i + 3, *A)).collect(),
        ),
    ];
    for (gold, pred) in cases {
        let t = std::time::Instant::now();
        let doc = score_document(&gold, &pred);
        let took = t.elapsed();
        let o = doc.counts(Scheme::Partial).overall();
        assert_eq!(o.possible(), n as u64);
        assert_eq!(o.actual(), n as u64);
        assert!(o.partial >= n as u64 - 1, "{o:?}");
        // Quadratic would be 10^10 steps; this bound is generous for a debug build.
        assert!(took.as_secs() < 10, "took {took:?}");
    }
}

fn ann(doc: &str, span: CharSpan, text: &str) -> Annotation {
    Annotation {
        doc: doc.to_string(),
        span,
        text: text.to_string(),
        line: 0,
    }
}

#[test]
fn evaluate_lists_errors_with_context() {
    // Code points: Gao 3..6, 49 8..10, died 11..15, UN 17..19, UN staff 17..25, Mali 31..35.
    let text = "In Gao,\n49 died; UN staff left Mali.";
    let name = |n: &str| Norm::Name(Arc::from(n));
    let gold = vec![
        ann("d", CharSpan::new(3, 6, *P, name("Gao")), "Gao"),
        ann("d", fig(8, 10, 49), "49"),
        ann("d", CharSpan::new(17, 19, *A, name("United Nations")), "UN"),
        ann("d", CharSpan::new(31, 35, *P, name("Mali")), "Mali"),
    ];
    let pred = vec![
        ann("d", CharSpan::new(31, 35, *P, name("Mali")), "Mali"),
        ann("d", CharSpan::new(17, 25, *P, Norm::None), "UN staff"),
        ann("d", fig(8, 10, 48), "49"),
        ann("d", CharSpan::new(11, 15, *A, Norm::None), "died"),
    ];
    let ev = evaluate(
        &[DocInput {
            id: "d",
            text: Some(text),
            gold: &gold,
            pred: &pred,
        }],
        &LabelSet::new(),
    );
    let kinds: Vec<(ErrorKind, usize, usize)> = ev
        .errors
        .iter()
        .map(|e| (e.kind, e.start(), e.end()))
        .collect();
    assert_eq!(
        kinds,
        [
            (ErrorKind::Missed, 3, 6),
            (ErrorKind::WrongNorm, 8, 10),
            (ErrorKind::Spurious, 11, 15),
            (ErrorKind::WrongLabelAndBoundary, 17, 25),
        ]
    );
    assert_eq!(ev.errors[0].left, "In ");
    assert_eq!(ev.errors[0].right, ", 49 died; UN staff left Mali.");
    assert_eq!(
        ev.errors[1].pred.as_ref().map(|m| m.norm.as_str()),
        Some("48")
    );
    assert_eq!(ev.errors[3].left, "In Gao, 49 died; ");
    assert_eq!(ev.overall(Scheme::Strict), k(2, 1, 0, 1, 1));
    assert_eq!(ev.overall(Scheme::Norm), k(1, 2, 0, 1, 1));
    assert_eq!(ev.documents.len(), 1);
    assert_eq!(ev.documents[0].counts, ev.counts);

    // The outcomes: every gold mention in input order, then the spurious prediction; each
    // error links to its entry of the (sorted) error list.
    use Verdict::{Correct as Co, Incorrect as In, Missed as Mi, Partial as Pa, Spurious as Sp};
    type Row = (
        Option<usize>,
        Option<usize>,
        Option<ErrorKind>,
        [Verdict; 5],
        Option<usize>,
    );
    let got: Vec<Row> = ev.documents[0]
        .outcomes
        .iter()
        .map(|o| {
            (
                o.gold.map(|g| g.0),
                o.pred.map(|p| p.0),
                o.error,
                Scheme::ALL.map(|s| o.verdict(s)),
                o.listed,
            )
        })
        .collect();
    let want: [Row; 5] = [
        (Some(0), None, Some(ErrorKind::Missed), [Mi; 5], Some(0)),
        (
            Some(1),
            Some(2),
            Some(ErrorKind::WrongNorm),
            [Co, Co, Co, Co, In],
            Some(1),
        ),
        (
            Some(2),
            Some(1),
            Some(ErrorKind::WrongLabelAndBoundary),
            [In, In, Pa, In, In],
            Some(3),
        ),
        (Some(3), Some(0), None, [Co; 5], None),
        (None, Some(3), Some(ErrorKind::Spurious), [Sp; 5], Some(2)),
    ];
    assert_eq!(got, want);
    for o in &ev.documents[0].outcomes {
        if let Some(i) = o.listed {
            assert_eq!(Some(ev.errors[i].kind), o.error);
        }
    }
    // Counts and confusion read from the outcomes are the evaluation's.
    let again = SchemeTable::from_outcomes(&ev.documents[0].outcomes);
    assert_eq!(again.ordered(&ev.labels, ev.declared), ev.counts);
    assert_eq!(
        Confusion::from_outcomes(&ev.documents[0].outcomes),
        ev.confusion
    );
}

#[test]
fn context_is_clipped_to_forty_code_points() {
    let text = format!("{}é{}", "ä".repeat(50), "ö".repeat(50));
    let gold = vec![ann("d", s(50, 51, *P), "é")];
    let ev = evaluate(
        &[DocInput {
            id: "d",
            text: Some(&text),
            gold: &gold,
            pred: &[],
        }],
        &LabelSet::new(),
    );
    assert_eq!(ev.errors[0].left, "ä".repeat(CONTEXT));
    assert_eq!(ev.errors[0].right, "ö".repeat(CONTEXT));
    // Offsets past the text (unchecked predictions) give no context, not a panic.
    let pred = vec![ann("d", s(500, 504, *P), "x")];
    let ev = evaluate(
        &[DocInput {
            id: "d",
            text: Some(&text),
            gold: &[],
            pred: &pred,
        }],
        &LabelSet::new(),
    );
    assert_eq!(
        (ev.errors[0].left.as_str(), ev.errors[0].right.as_str()),
        ("", "")
    );
}

#[test]
fn evaluate_sets_scores_the_union_of_documents() {
    let mut gold = AnnotationSet::new();
    gold.push(ann("b", s(0, 2, *A), "xx"));
    gold.ensure_doc("c");
    let mut pred = AnnotationSet::new();
    pred.push(ann("a", s(0, 2, *A), "xx"));
    pred.push(ann("b", s(0, 2, *A), "xx"));
    let ev = evaluate_sets(None, &gold, &pred, &crate::label::gold_labels());
    let ids: Vec<&str> = ev.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(ev.overall(Scheme::Strict), k(1, 0, 0, 0, 1));
    assert_eq!(ev.errors.len(), 1);
    assert_eq!(ev.errors[0].kind, ErrorKind::Spurious);
    assert_eq!(ev.errors[0].doc, "a");
}

fn arb_span() -> impl Strategy<Value = CharSpan> {
    (0usize..60, 1usize..8, 0usize..3, 0u8..3).prop_map(|(start, len, l, n)| {
        let label = [*A, *P, *F][l];
        let norm = match n {
            0 => Norm::None,
            _ if label == *F => Norm::Value(u64::from(n)),
            _ => Norm::Name(Arc::from(if n == 1 { "a" } else { "b" })),
        };
        CharSpan::new(start, start + len, label, norm)
    })
}

fn arb_spans() -> impl Strategy<Value = Vec<CharSpan>> {
    prop::collection::vec(arb_span(), 0..25)
}

proptest! {
    #[test]
    fn gold_against_itself_is_perfect(gold in arb_spans()) {
        let doc = score_document(&gold, &gold);
        for scheme in Scheme::ALL {
            let o = doc.counts(scheme).overall();
            prop_assert_eq!(o.correct, gold.len() as u64);
            if !gold.is_empty() {
                prop_assert_eq!(o.scores(), Scores { precision: 1.0, recall: 1.0, f1: 1.0 });
            }
        }
    }

    #[test]
    fn counts_add_up(gold in arb_spans(), pred in arb_spans()) {
        let doc = score_document(&gold, &pred);
        let os = &doc.outcomes;
        // Every gold mention once, in input order, then every other prediction once.
        let g_seen: Vec<usize> = os.iter().filter_map(|o| o.gold.map(|g| g.0)).collect();
        prop_assert_eq!(g_seen, (0..gold.len()).collect::<Vec<_>>());
        let mut p_seen: Vec<usize> = os.iter().filter_map(|o| o.pred.map(|p| p.0)).collect();
        p_seen.sort_unstable();
        prop_assert_eq!(p_seen, (0..pred.len()).collect::<Vec<_>>());
        prop_assert!(os.iter().skip_while(|o| o.gold.is_some()).all(|o| o.gold.is_none()));
        let pairs = os.iter().filter(|o| o.gold.is_some() && o.pred.is_some()).count();
        let spurious = os.iter().filter(|o| o.gold.is_none()).count();
        for o in os {
            if let (Some((g, gl)), Some((p, pl))) = (o.gold, o.pred) {
                prop_assert!(gold[g].overlaps(&pred[p]));
                prop_assert_eq!((gl, pl), (gold[g].label, pred[p].label));
                let perfect = gold[g].start == pred[p].start && gold[g].end == pred[p].end
                    && gl == pl && gold[g].norm == pred[p].norm;
                prop_assert_eq!(o.error.is_none(), perfect);
            }
            prop_assert_eq!(o.listed, None, "a document score has no error list");
        }
        for scheme in Scheme::ALL {
            let sc = doc.counts(scheme);
            let o = sc.overall();
            prop_assert_eq!(o.correct + o.incorrect + o.partial + o.missed, o.possible());
            prop_assert_eq!(o.possible(), gold.len() as u64);
            prop_assert_eq!(o.actual(), pred.len() as u64);
            prop_assert_eq!(o.correct + o.incorrect + o.partial, pairs as u64);
            if scheme != Scheme::Partial {
                prop_assert_eq!(o.partial, 0);
            }
            for l in [*A, *P, *F] {
                let n_gold = gold.iter().filter(|g| g.label == l).count() as u64;
                prop_assert_eq!(sc.label(l).possible(), n_gold);
            }
            let sp: u64 = sc.iter().map(|(_, c)| c.spurious).sum();
            prop_assert_eq!(sp, spurious as u64);
            let s = o.scores();
            prop_assert!((0.0..=1.0).contains(&s.precision) && (0.0..=1.0).contains(&s.recall));
            prop_assert!((0.0..=1.0).contains(&s.f1));
        }
        let cells: u64 = doc.confusion.total();
        prop_assert_eq!(cells, os.len() as u64);
    }

    #[test]
    fn input_order_does_not_matter(
        (gold, gold2) in arb_spans().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
        (pred, pred2) in arb_spans().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
    ) {
        let a = score_document(&gold, &pred);
        let b = score_document(&gold2, &pred2);
        prop_assert_eq!(a.counts, b.counts);
        prop_assert_eq!(a.confusion, b.confusion);
    }
}
