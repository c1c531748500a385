//! Scores by bucket: an evaluation's outcomes grouped by a property of their mention, so that
//! one F1 can be read as several (ExplainaBoard's idea, for spans with exact offsets).
//!
//! Nothing is paired again: the buckets are read from the evaluation's
//! [`Outcome`](super::Outcome)s. Each outcome goes into exactly one bucket, so the buckets'
//! counts add up to the evaluation's, for every scheme and count.
//!
//! # The rules
//!
//! - **Which mention decides.** A pair (gold mention and prediction) and a missed gold
//!   mention are bucketed by the **gold mention**; a spurious prediction by **itself**. (As
//!   per-label counts are: a pair counts under its gold label.)
//! - **`length`**: the number of tokens of the mention's text, a token being a
//!   whitespace-separated word (`"United Nations"` is 2, `"13,000"` is 1, `"d'Ivoire"` is 1).
//!   Buckets `1`, `2`, `3`, `4`, `5+`.
//! - **`label`**: the mention's label, in the evaluation's label order.
//! - **`frequency`**: how many gold mentions, across the whole gold, have exactly the same
//!   surface text as the mention (case and accents count; `"UN"` and `"U.N."` differ).
//!   Buckets `1`, `2-3`, `4-7`, `8+`; a spurious prediction whose text no gold mention has
//!   is in bucket `0`. A rare surface is one a gazetteer is less likely to list.
//! - **`document`**: the document, in the evaluation's order.
//!
//! Only buckets with at least one outcome are listed. Each bucket has its counts under every
//! scheme; `gold` (its gold mentions) and `predicted` (its predictions) are the counts in it
//! (`possible` and `actual`).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::{Counts, Evaluation, PerScheme, Scheme, SchemeTable};
use crate::annotations::{Annotation, AnnotationSet};

/// What the outcomes are grouped by (see the [module docs](self) for each rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BucketBy {
    /// Tokens in the mention: 1, 2, 3, 4, 5+.
    Length,
    /// The mention's label.
    Label,
    /// Gold mentions with the same surface: 0 (spurious only), 1, 2-3, 4-7, 8+.
    Frequency,
    /// The document.
    Document,
}

impl BucketBy {
    /// Every grouping, in the order reports show them.
    pub const ALL: [BucketBy; 4] = [
        BucketBy::Length,
        BucketBy::Label,
        BucketBy::Frequency,
        BucketBy::Document,
    ];

    /// The name on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            BucketBy::Length => "length",
            BucketBy::Label => "label",
            BucketBy::Frequency => "frequency",
            BucketBy::Document => "document",
        }
    }

    /// One line: what a bucket is.
    pub fn describe(self) -> &'static str {
        match self {
            BucketBy::Length => "tokens (whitespace-separated words) in the mention",
            BucketBy::Label => "the mention's label",
            BucketBy::Frequency => "gold mentions with the same surface text in the whole gold",
            BucketBy::Document => "the document",
        }
    }
}

impl fmt::Display for BucketBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BucketBy {
    type Err = String;

    fn from_str(s: &str) -> Result<BucketBy, String> {
        BucketBy::ALL
            .into_iter()
            .find(|b| b.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown bucket grouping {s:?} (expected length, label, frequency or document)"
                )
            })
    }
}

/// One bucket: its name and the counts of its outcomes under every scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucket {
    /// The bucket's name: `1`, `2-3`, `ACTOR`, a document id.
    pub name: String,
    /// Its place among the grouping's buckets (buckets sort by it, then by name), so that
    /// the buckets of several systems can be merged in order.
    pub order: usize,
    /// Overall counts of its outcomes, per scheme.
    pub counts: PerScheme<Counts>,
}

impl Bucket {
    /// Its gold mentions.
    pub fn gold(&self) -> u64 {
        self.counts[Scheme::Strict].possible()
    }

    /// Its predictions.
    pub fn predicted(&self) -> u64 {
        self.counts[Scheme::Strict].actual()
    }
}

/// An evaluation's outcomes grouped one way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Buckets {
    /// The grouping.
    pub by: BucketBy,
    /// The buckets with at least one outcome, in order (see the module docs).
    pub buckets: Vec<Bucket>,
}

/// Groups the outcomes of `eval`, the evaluation of `pred` against `gold` as
/// [`super::evaluate_sets`] makes it (outcome indices point into `gold.get(doc)` and
/// `pred.get(doc)`).
pub fn buckets(
    eval: &Evaluation,
    gold: &AnnotationSet,
    pred: &AnnotationSet,
    by: BucketBy,
) -> Buckets {
    let freq: HashMap<&str, usize> = match by {
        BucketBy::Frequency => {
            let mut m = HashMap::new();
            for a in gold.iter() {
                *m.entry(a.text.as_str()).or_insert(0) += 1;
            }
            m
        }
        _ => HashMap::new(),
    };
    // (sort key, name) -> the outcomes' counts
    let mut groups: Vec<((usize, String), SchemeTable)> = Vec::new();
    for (di, d) in eval.documents.iter().enumerate() {
        let (g, p) = (gold.get(&d.id), pred.get(&d.id));
        for o in &d.outcomes {
            let mention: Option<&Annotation> = match (o.gold, o.pred) {
                (Some((i, _)), _) => g.get(i),
                (None, Some((j, _))) => p.get(j),
                (None, None) => None,
            };
            let Some(m) = mention else { continue };
            let key = match by {
                BucketBy::Length => {
                    let n = m.text.split_whitespace().count().max(1);
                    let k = n.min(5);
                    (k, if n >= 5 { "5+".into() } else { n.to_string() })
                }
                BucketBy::Label => {
                    let l = m.span.label;
                    let k = eval.labels.iter().position(|&x| x == l);
                    (k.unwrap_or(eval.labels.len()), l.as_str().to_string())
                }
                BucketBy::Frequency => {
                    let n = freq.get(m.text.as_str()).copied().unwrap_or(0);
                    frequency_bucket(n)
                }
                BucketBy::Document => (di, d.id.clone()),
            };
            let one = SchemeTable::from_outcomes([o]);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, t)) => *t += one,
                None => groups.push((key, one)),
            }
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    Buckets {
        by,
        buckets: groups
            .into_iter()
            .map(|((order, name), t)| Bucket {
                name,
                order,
                counts: PerScheme::from_fn(|s| t[s].overall()),
            })
            .collect(),
    }
}

/// `(order, name)` of the frequency bucket of `n` gold mentions: 0, 1, 2-3, 4-7, 8+.
fn frequency_bucket(n: usize) -> (usize, String) {
    match n {
        0 => (0, "0".into()),
        1 => (1, "1".into()),
        2..=3 => (2, "2-3".into()),
        4..=7 => (3, "4-7".into()),
        _ => (4, "8+".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gold::{Corpus, Document};
    use crate::label::{Label, LabelSet, Norm, NormKind};
    use crate::score::evaluate_sets;
    use crate::span::CharSpan;

    fn ann(doc: &str, text: &str, surface: &str, from: usize, label: &str) -> Annotation {
        let at = text[from..].find(surface).unwrap() + from;
        let start = text[..at].chars().count();
        Annotation {
            doc: doc.into(),
            span: CharSpan::new(
                start,
                start + surface.chars().count(),
                Label::new(label).unwrap(),
                Norm::None,
            ),
            text: surface.into(),
            line: 0,
        }
    }

    /// Two documents: "UN" three times, "United Nations" once, "Mali" once.
    fn sample() -> (Corpus, AnnotationSet, AnnotationSet, Evaluation) {
        let t1 = "UN and UN in Mali met the United Nations.";
        let t2 = "The UN left Gao.";
        let corpus = Corpus::from_documents(vec![
            Document {
                id: "a".into(),
                text: t1.into(),
            },
            Document {
                id: "b".into(),
                text: t2.into(),
            },
        ])
        .unwrap();
        let mut gold = AnnotationSet::new();
        gold.push(ann("a", t1, "UN", 0, "ACTOR"));
        gold.push(ann("a", t1, "UN", 3, "ACTOR"));
        gold.push(ann("a", t1, "Mali", 0, "PLACE"));
        gold.push(ann("a", t1, "United Nations", 0, "ACTOR"));
        gold.push(ann("b", t2, "UN", 0, "ACTOR"));
        gold.sort();
        let mut pred = AnnotationSet::new();
        // Both "UN"s of a found, "Mali" found as ACTOR, "United Nations" cut to "United";
        // in b, "UN" missed and "Gao" spurious.
        pred.push(ann("a", t1, "UN", 0, "ACTOR"));
        pred.push(ann("a", t1, "UN", 3, "ACTOR"));
        pred.push(ann("a", t1, "Mali", 0, "ACTOR"));
        pred.push(ann("a", t1, "United", 0, "ACTOR"));
        pred.push(ann("b", t2, "Gao", 0, "PLACE"));
        pred.sort();
        let mut labels = LabelSet::new();
        labels.declare(Label::new("ACTOR").unwrap(), NormKind::Name);
        labels.declare(Label::new("PLACE").unwrap(), NormKind::Name);
        let eval = evaluate_sets(Some(&corpus), &gold, &pred, &labels);
        (corpus, gold, pred, eval)
    }

    /// A bucket's strict (correct, incorrect, missed, spurious).
    type Strict = (u64, u64, u64, u64);

    fn strict(b: &Bucket) -> Strict {
        let c = b.counts[Scheme::Strict];
        (c.correct, c.incorrect, c.missed, c.spurious)
    }

    fn table(bs: &Buckets) -> Vec<(&str, Strict)> {
        bs.buckets
            .iter()
            .map(|b| (b.name.as_str(), strict(b)))
            .collect()
    }

    #[test]
    fn each_grouping_by_its_rule() {
        let (_, gold, pred, eval) = sample();
        // (grouping, [(bucket, (correct, incorrect, missed, spurious))])
        let rows: [(BucketBy, Vec<(&str, Strict)>); 4] = [
            (
                BucketBy::Length,
                // The pair "United Nations"/"United" is bucketed by its gold mention (2).
                vec![("1", (2, 1, 1, 1)), ("2", (0, 1, 0, 0))],
            ),
            (
                BucketBy::Label,
                // "Mali" predicted as ACTOR counts under its gold label, PLACE; "Gao" under
                // its own.
                vec![("ACTOR", (2, 1, 1, 0)), ("PLACE", (0, 1, 0, 1))],
            ),
            (
                BucketBy::Frequency,
                // "Gao" is no gold surface: 0. "Mali" and "United Nations" once, "UN" 3 times.
                vec![
                    ("0", (0, 0, 0, 1)),
                    ("1", (0, 2, 0, 0)),
                    ("2-3", (2, 0, 1, 0)),
                ],
            ),
            (
                BucketBy::Document,
                vec![("a", (2, 2, 0, 0)), ("b", (0, 0, 1, 1))],
            ),
        ];
        for (by, want) in rows {
            let bs = buckets(&eval, &gold, &pred, by);
            assert_eq!(bs.by, by);
            assert_eq!(table(&bs), want, "{by}");
        }
    }

    #[test]
    fn buckets_add_up_to_the_evaluation() {
        let (_, gold, pred, eval) = sample();
        for by in BucketBy::ALL {
            let bs = buckets(&eval, &gold, &pred, by);
            for scheme in Scheme::ALL {
                let sum: Counts = bs.buckets.iter().map(|b| b.counts[scheme]).sum();
                assert_eq!(sum, eval.overall(scheme), "{by} {scheme}");
            }
            let gold_n: u64 = bs.buckets.iter().map(Bucket::gold).sum();
            assert_eq!(gold_n, 5);
            let pred_n: u64 = bs.buckets.iter().map(Bucket::predicted).sum();
            assert_eq!(pred_n, 5);
        }
    }

    #[test]
    fn frequency_buckets_and_token_counts() {
        let cases = [
            (0, "0"),
            (1, "1"),
            (2, "2-3"),
            (3, "2-3"),
            (4, "4-7"),
            (7, "4-7"),
            (8, "8+"),
            (100, "8+"),
        ];
        for (n, name) in cases {
            assert_eq!(frequency_bucket(n).1, name, "{n}");
        }
        for (s, n) in [
            ("United Nations", 2),
            ("13,000", 1),
            ("United\nNations", 2),
            ("a  b\u{a0}c", 3),
        ] {
            assert_eq!(s.split_whitespace().count(), n, "{s:?}");
        }
        assert_eq!("length".parse::<BucketBy>(), Ok(BucketBy::Length));
        assert!("size"
            .parse::<BucketBy>()
            .unwrap_err()
            .contains("expected length"));
    }
}
