//! A worked example, counted by hand, that `nervaluate` 1.2.x scores the same way.
//!
//! Data: `tests/data/worked_example/{gold.csv,pred.csv,texts/ex.txt}`, one document `ex`:
//!
//! ```text
//! The United Nations said 49 people died in Ségou on Monday. Officials in Bamako blamed the
//! Malian army and Wagner. About 13,000 residents fled to Niger, according to Human Rights Watch.
//! ```
//!
//! Offsets are half-open code points, as in every tagbench file. `nervaluate` takes spans as
//! `{"label", "start", "end"}` with an **inclusive** end, so each of its ends is ours minus
//! one; with that conversion, its overlap test (`!(pred.start > true.end || pred.end <
//! true.start)` on inclusive ends) and ours (half-open) agree. The `é` of "Ségou" is one
//! code point (two bytes), so offsets after it differ between code points and bytes.
//!
//! ```text
//!      gold (ours)      nervaluate    label   text                    | pred (ours)  nervaluate  label   text
//! g1     4..18          4-17          ACTOR   United Nations          | p1   4..18     4-17       ACTOR   United Nations
//! g2    24..26          24-25         FIGURE  49 (norm 49)            | p2  24..26    24-25       FIGURE  49 (norm 48)
//! g3    42..47          42-46         PLACE   Ségou                   | p3  42..47    42-46       ACTOR   Ségou
//! g4    72..78          72-77         PLACE   Bamako                  | p4  59..68    59-67       ACTOR   Officials
//! g5    90..101         90-100        ACTOR   Malian army             | p5  86..101   86-100      ACTOR   the Malian army
//! g6   106..112         106-111       ACTOR   Wagner                  | p6 106..112   106-111     ACTOR   Wagner
//! g7   120..126         120-125       FIGURE  13,000                  | p7 114..126   114-125     FIGURE  About 13,000
//! g8   145..150         145-149       PLACE   Niger                   | p8 145..150   145-149     PLACE   Niger
//! g9   165..183         165-182       ACTOR   Human Rights Watch      | p9 165..177   165-176     PLACE   Human Rights
//! ```
//!
//! Neither side has overlapping spans and every prediction overlaps at most one gold span
//! (and vice versa), so nervaluate's pairing (first overlapping gold span per prediction) and
//! ours (exact boundaries, then greedy maximum overlap) make the same pairs, whatever the
//! order. Per pair, by hand (C correct, I incorrect, P partial; `type` is nervaluate's
//! `ent_type`; `norm` is tagbench's own, strict plus the same norm):
//!
//! ```text
//! pair     what differs                     strict exact partial type norm  counted under
//! g1-p1    nothing                          C      C     C       C    C     ACTOR
//! g2-p2    norm only (49 vs 48)             C      C     C       C    I     FIGURE
//! g3-p3    label, same bounds               I      C     C       I    I     PLACE
//! g5-p5    bounds, same label (overlap)     I      I     P       C    I     ACTOR
//! g6-p6    nothing                          C      C     C       C    C     ACTOR
//! g7-p7    bounds, same label (overlap)     I      I     P       C    I     FIGURE
//! g8-p8    nothing                          C      C     C       C    C     PLACE
//! g9-p9    label and bounds (overlap)       I      I     P       I    I     ACTOR
//! g4       no overlapping prediction        missed in every scheme          PLACE
//! p4       no overlapping gold              spurious in every scheme        ACTOR
//! ```
//!
//! Totals (possible = C+I+P+missed = 9 gold, actual = C+I+P+spurious = 9 predictions):
//!
//! ```text
//! scheme   correct incorrect partial missed spurious  precision = recall
//! strict   4       4         0       1      1         4/9             = 0.4444
//! exact    5       3         0       1      1         5/9             = 0.5556
//! partial  5       0         3       1      1         (5 + 3/2)/9     = 0.7222
//! type     6       2         0       1      1         6/9             = 0.6667
//! norm     3       5         0       1      1         3/9             = 0.3333
//! ```
//!
//! The first four rows are exactly what nervaluate 1.2.1 reports as `results["overall"]` for
//! `Evaluator(true, pred, tags=["ACTOR", "PLACE", "FIGURE"], loader="dict").evaluate()`, with
//! `true`/`pred` as one document of `{"label", "start", "end" - 1}` dicts, in file order or
//! reversed. Per-label counts are tagbench's own (each outcome under the gold label, a
//! spurious one under its own label, so they add up to the overall counts). nervaluate
//! instead rescores each label on that label's spans alone: for ACTOR under strict it gives
//! correct 2, incorrect 1, missed 1 (g9, whose PLACE prediction it does not see), spurious 2
//! (p3 and p4), and its per-label missed counts sum to 3, not 1. So only the overall counts
//! are claimed to match nervaluate.

use std::path::PathBuf;

use crate::common::gold_labels;
use tagbench::score::{
    evaluate_sets, score_document_with, Counts, ErrorKind, Scheme, ScoreOptions,
};
use tagbench::{AnnotationSet, CharSpan, Corpus, Label, Norm};

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/worked_example")
}

fn k(correct: u64, incorrect: u64, partial: u64, missed: u64, spurious: u64) -> Counts {
    Counts {
        correct,
        incorrect,
        partial,
        missed,
        spurious,
    }
}

fn load() -> (Corpus, AnnotationSet, AnnotationSet) {
    let dir = data();
    let corpus = Corpus::read_dir(&dir.join("texts")).expect("texts");
    let gold = AnnotationSet::read(&dir.join("gold.csv"), &gold_labels()).expect("gold.csv");
    let pred = AnnotationSet::read(&dir.join("pred.csv"), &gold_labels()).expect("pred.csv");
    // The data files agree with the text (offsets in code points, text = slice).
    gold.check_against(&corpus, true)
        .expect("gold matches text");
    pred.check_against(&corpus, true)
        .expect("pred matches text");
    (corpus, gold, pred)
}

#[test]
fn overall_counts_match_the_hand_count() {
    let (corpus, gold, pred) = load();
    assert_eq!((gold.len(), pred.len()), (9, 9));
    let ev = evaluate_sets(Some(&corpus), &gold, &pred, &gold_labels());
    let want = [
        (Scheme::Strict, k(4, 4, 0, 1, 1)),
        (Scheme::Exact, k(5, 3, 0, 1, 1)),
        (Scheme::Partial, k(5, 0, 3, 1, 1)),
        (Scheme::Type, k(6, 2, 0, 1, 1)),
        (Scheme::Norm, k(3, 5, 0, 1, 1)),
    ];
    for (scheme, counts) in want {
        let o = ev.overall(scheme);
        assert_eq!(o, counts, "{scheme}");
        assert_eq!((o.possible(), o.actual()), (9, 9), "{scheme}");
    }
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    let s = ev.overall(Scheme::Strict).scores();
    assert!(close(s.precision, 4.0 / 9.0) && close(s.recall, 4.0 / 9.0) && close(s.f1, 4.0 / 9.0));
    let p = ev.overall(Scheme::Partial).scores();
    assert!(close(p.precision, 6.5 / 9.0) && close(p.recall, 6.5 / 9.0));
}

#[test]
fn per_label_counts_follow_the_gold_label_and_add_up() {
    let (corpus, gold, pred) = load();
    let ev = evaluate_sets(Some(&corpus), &gold, &pred, &gold_labels());
    // [ACTOR, PLACE, FIGURE], from the "counted under" column above.
    let want = [
        (
            Scheme::Strict,
            [k(2, 2, 0, 0, 1), k(1, 1, 0, 1, 0), k(1, 1, 0, 0, 0)],
        ),
        (
            Scheme::Exact,
            [k(2, 2, 0, 0, 1), k(2, 0, 0, 1, 0), k(1, 1, 0, 0, 0)],
        ),
        (
            Scheme::Partial,
            [k(2, 0, 2, 0, 1), k(2, 0, 0, 1, 0), k(1, 0, 1, 0, 0)],
        ),
        (
            Scheme::Type,
            [k(3, 1, 0, 0, 1), k(1, 1, 0, 1, 0), k(2, 0, 0, 0, 0)],
        ),
        (
            Scheme::Norm,
            [k(2, 2, 0, 0, 1), k(1, 1, 0, 1, 0), k(0, 2, 0, 0, 0)],
        ),
    ];
    for (scheme, by_label) in want {
        let got: Vec<(&str, Counts)> = ev
            .counts(scheme)
            .iter()
            .map(|(l, c)| (l.as_str(), *c))
            .collect();
        let want: Vec<(&str, Counts)> = ["ACTOR", "PLACE", "FIGURE"]
            .into_iter()
            .zip(by_label)
            .collect();
        assert_eq!(got, want, "{scheme}");
        let sum: Counts = by_label.iter().sum();
        assert_eq!(sum, ev.overall(scheme), "{scheme}");
    }
    // Confusion, rows gold: g3 PLACE->ACTOR and g9 ACTOR->PLACE are the label mix-ups.
    assert_eq!(
        ev.confusion.get(
            Some(Label::new("PLACE").unwrap()),
            Some(Label::new("ACTOR").unwrap())
        ),
        1
    );
    assert_eq!(
        ev.confusion.get(
            Some(Label::new("ACTOR").unwrap()),
            Some(Label::new("PLACE").unwrap())
        ),
        1
    );
    assert_eq!(
        ev.confusion.get(Some(Label::new("PLACE").unwrap()), None),
        1
    );
    assert_eq!(
        ev.confusion.get(None, Some(Label::new("ACTOR").unwrap())),
        1
    );
}

#[test]
fn errors_are_listed_in_text_order_with_code_point_context() {
    let (corpus, gold, pred) = load();
    let ev = evaluate_sets(Some(&corpus), &gold, &pred, &gold_labels());
    let got: Vec<(ErrorKind, usize, usize)> = ev
        .errors
        .iter()
        .map(|e| (e.kind, e.start(), e.end()))
        .collect();
    assert_eq!(
        got,
        [
            (ErrorKind::WrongNorm, 24, 26),
            (ErrorKind::WrongLabel, 42, 47),
            (ErrorKind::Spurious, 59, 68),
            (ErrorKind::Missed, 72, 78),
            (ErrorKind::WrongBoundary, 86, 101),
            (ErrorKind::WrongBoundary, 114, 126),
            (ErrorKind::WrongLabelAndBoundary, 165, 183),
        ]
    );
    // After the two-byte "é": byte offsets would shift this context by one.
    let bamako = &ev.errors[3];
    assert!(bamako.left.ends_with("Officials in "), "{:?}", bamako.left);
    assert!(
        bamako.right.starts_with(" blamed the Malian"),
        "{:?}",
        bamako.right
    );
    assert_eq!(bamako.left.chars().count(), 40);
    // The text ends with a newline; context shows it as a space.
    assert_eq!(ev.errors[6].right, ". ");
}

/// nervaluate 1.2.1's own strategy tests (`tests/test_strategies.py`), their inputs and counts
/// extracted to `tests/parity/vectors/nervaluate_strategies.tsv` (see the script beside it),
/// scored by tagbench with nervaluate's own label names: every case gives nervaluate's counts,
/// the nested ones included (72 cases), with `min_overlap` = nervaluate's
/// `min_overlap_percentage` / 100 (50% and 75% in 14 of them; its default of 1% is any overlap
/// on these short spans).
#[test]
fn nervaluate_s_own_strategy_tests() {
    let vectors = include_str!("../parity/vectors/nervaluate_strategies.tsv");
    let mut run = 0;
    let mut differs = Vec::new();
    for line in vectors.lines().filter(|l| !l.starts_with('#')) {
        let [name, strategy, overlap, gold, pred, want] = line.split('\t').collect::<Vec<_>>()[..]
        else {
            panic!("bad vector line {line:?}");
        };
        // nervaluate's label names, interned as they are: labels are open.
        let spans = |s: &str| -> Vec<CharSpan> {
            s.split(' ')
                .filter(|e| *e != "-")
                .map(|e| {
                    let [l, a, b] = e.split(':').collect::<Vec<_>>()[..] else {
                        panic!("bad entity {e:?}");
                    };
                    let label = Label::new(l).unwrap_or_else(|e| panic!("{e}"));
                    CharSpan::new(a.parse().unwrap(), b.parse().unwrap(), label, Norm::None)
                })
                .collect()
        };
        let (g, p) = (spans(gold), spans(pred));
        // A percentage of whole units (1, 50, 75): F = percentage / 100, exactly.
        let pct: u32 = overlap.parse().unwrap_or_else(|e| panic!("{overlap}: {e}"));
        let opts = ScoreOptions {
            min_overlap: (pct != 1).then(|| format!("{}", pct as f64 / 100.0).parse().unwrap()),
        };
        let scheme = match strategy {
            "StrictEvaluation" => Scheme::Strict,
            "ExactEvaluation" => Scheme::Exact,
            "PartialEvaluation" => Scheme::Partial,
            "EntityTypeEvaluation" => Scheme::Type,
            _ => panic!("unknown strategy {strategy}"),
        };
        let c = score_document_with(&g, &p, &opts).counts(scheme).overall();
        let got = format!(
            "{} {} {} {} {}",
            c.correct, c.incorrect, c.partial, c.missed, c.spurious
        );
        if got != want {
            differs.push((name, got, want));
        }
        run += 1;
    }
    assert!(
        differs.is_empty(),
        "tagbench's counts (left) differ from nervaluate's: {differs:?}"
    );
    assert_eq!(run, 72, "cases run");
}
