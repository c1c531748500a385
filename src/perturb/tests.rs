use proptest::prelude::*;

use super::*;
use crate::span::CharSpan;

fn label(s: &str) -> Label {
    s.parse().unwrap()
}

/// A mention over `text`'s code points `start..end`.
fn mention(text: &str, start: usize, end: usize, lab: &str, norm: Norm) -> Annotation {
    Annotation {
        doc: "d".into(),
        span: CharSpan::new(start, end, label(lab), norm),
        text: text.chars().skip(start).take(end - start).collect(),
        line: 0,
    }
}

fn name(s: &str) -> Norm {
    Norm::Name(Arc::from(s))
}

/// A one-document gold with mentions given as (surface, label, norm) found left to right.
fn gold(text: &str, mentions: &[(&str, &str, Norm)]) -> Dataset {
    let mut set = AnnotationSet::new();
    let mut from = 0;
    for (surface, lab, norm) in mentions {
        let at = text[from..].find(surface).expect("surface in text") + from;
        let start = text[..at].chars().count();
        let end = start + surface.chars().count();
        set.push(mention(text, start, end, lab, norm.clone()));
        from = at + surface.len();
    }
    set.sort();
    let corpus = Corpus::from_documents(vec![Document {
        id: "d".into(),
        text: text.into(),
    }])
    .unwrap();
    Dataset::new(corpus, set).unwrap()
}

fn run(p: Perturbation, g: &Dataset, seed: u64) -> Perturbed {
    Perturber::new().seed(seed).run(p, g).unwrap()
}

fn texts(p: &Perturbed) -> Vec<(String, String)> {
    p.gold
        .annotations()
        .iter()
        .map(|a| (a.text.clone(), a.span.norm.to_string()))
        .collect()
}

// ---- the offset function ----

#[test]
fn shift_moves_offsets_by_the_edits_before_them() {
    // "abcdef": replace "b" by "XYZ" (+2), insert "!" at 4 (+1), delete "f" (-1).
    let edits = vec![
        Edit::new(1, 2, "XYZ"),
        Edit::new(4, 4, "!"),
        Edit::new(5, 6, ""),
    ];
    let sums = [0, 2, 3, 2];
    let cases = [
        // (offset, side, expected)
        (0, Side::Start, 0),
        (1, Side::Start, 1),
        (2, Side::Start, 4),
        (2, Side::End, 4),
        (4, Side::Start, 7), // an insertion at a start goes before the mention
        (4, Side::End, 6),   // an insertion at an end goes after the mention
        (5, Side::Start, 8),
        (6, Side::End, 8), // a deletion ending at an end is inside
    ];
    for (p, side, want) in cases {
        assert_eq!(shift(&edits, &sums, p, side), want, "{p} {side:?}");
    }
}

#[test]
fn edits_at_and_across_mention_boundaries() {
    let text = "the United Nations said";
    let m = [mention(text, 4, 18, "ACTOR", name("United Nations"))];
    // An insertion at each boundary stays outside the mention.
    let (t, ms, s) = apply(text, &m, vec![Edit::new(4, 4, "<"), Edit::new(18, 18, ">")]).unwrap();
    assert_eq!(t, "the <United Nations> said");
    assert_eq!(ms[0].text, "United Nations");
    assert_eq!(
        (ms[0].span.start, ms[0].span.end, s.edits, s.skipped),
        (5, 19, 2, 0)
    );
    // A replacement of the whole mention is the new mention; one inside grows it.
    let (t, ms, _) = apply(text, &m, vec![Edit::new(4, 18, "UN")]).unwrap();
    assert_eq!((t.as_str(), ms[0].text.as_str()), ("the UN said", "UN"));
    let (_, ms, _) = apply(text, &m, vec![Edit::new(10, 11, "\n\n")]).unwrap();
    assert_eq!(ms[0].text, "United\n\nNations");
    // An edit across a boundary, or one that would empty a mention, is not applied.
    for bad in [
        Edit::new(2, 6, "x"),
        Edit::new(16, 20, "x"),
        Edit::new(0, 23, "x"),
    ] {
        let (t, ms, s) = apply(text, &m, vec![bad.clone()]).unwrap();
        assert_eq!((t.as_str(), s.skipped, s.edits), (text, 1, 0), "{bad:?}");
        assert_eq!(ms, m);
    }
    let (t, _, s) = apply(text, &m, vec![Edit::new(4, 10, ""), Edit::new(10, 18, "")]).unwrap();
    assert_eq!((t.as_str(), s.skipped), (text, 2));
    // Overlapping edits: the later one is dropped; out of range is an error.
    let (t, _, s) = apply(text, &[], vec![Edit::new(0, 3, "A"), Edit::new(2, 4, "B")]).unwrap();
    assert_eq!((t.as_str(), s.skipped), ("A United Nations said", 1));
    assert!(apply(text, &[], vec![Edit::new(20, 30, "")]).is_err());
}

// ---- each perturbation, by example ----

#[test]
fn every_perturbation_by_example() {
    let text = "Mali’s UN: Assimi Goïta met 13,000 troops in Bamako, nine said 11 (\"quoted\").";
    let g = gold(
        text,
        &[
            ("Mali", "PLACE", name("Mali")),
            ("UN", "ACTOR", name("United Nations")),
            ("Assimi Goïta", "ACTOR", name("Assimi Goïta")),
            ("13,000", "FIGURE", Norm::Value(13000)),
            ("Bamako", "PLACE", name("Bamako")),
            ("nine", "FIGURE", Norm::Value(9)),
            ("11", "FIGURE", Norm::Value(11)),
        ],
    );
    let rows: [(Perturbation, &str, &str); 16] = [
        (
            Perturbation::Upper,
            "MALI’S UN: ASSIMI GOÏTA MET 13,000 TROOPS IN BAMAKO, NINE SAID 11 (\"QUOTED\").",
            "MALI UN ASSIMI GOÏTA 13,000 BAMAKO NINE 11",
        ),
        (
            Perturbation::Lower,
            "mali’s un: assimi goïta met 13,000 troops in bamako, nine said 11 (\"quoted\").",
            "mali un assimi goïta 13,000 bamako nine 11",
        ),
        (
            Perturbation::Title,
            "Mali’s Un: Assimi Goïta Met 13,000 Troops In Bamako, Nine Said 11 (\"Quoted\").",
            "Mali Un Assimi Goïta 13,000 Bamako Nine 11",
        ),
        (
            Perturbation::NoAccents,
            "Mali’s UN: Assimi Goita met 13,000 troops in Bamako, nine said 11 (\"quoted\").",
            "Mali UN Assimi Goita 13,000 Bamako nine 11",
        ),
        (
            Perturbation::NameNewline,
            "Mali’s UN: Assimi\nGoïta met 13,000 troops in Bamako, nine said 11 (\"quoted\").",
            "Mali UN Assimi\nGoïta 13,000 Bamako nine 11",
        ),
        (
            Perturbation::NameDoubleSpace,
            "Mali’s UN: Assimi  Goïta met 13,000 troops in Bamako, nine said 11 (\"quoted\").",
            "Mali UN Assimi  Goïta 13,000 Bamako nine 11",
        ),
        (
            Perturbation::NameNbsp,
            "Mali’s UN: Assimi\u{a0}Goïta met 13,000 troops in Bamako, nine said 11 (\"quoted\").",
            "Mali UN Assimi\u{a0}Goïta 13,000 Bamako nine 11",
        ),
        (
            Perturbation::Apostrophes,
            "Mali's UN: Assimi Goïta met 13,000 troops in Bamako, nine said 11 (“quoted”).",
            "Mali UN Assimi Goïta 13,000 Bamako nine 11",
        ),
        (
            Perturbation::Possessive,
            "Mali’s UN's: Assimi Goïta's met 13,000 troops in Bamako's, nine said 11 (\"quoted\").",
            "Mali UN Assimi Goïta 13,000 Bamako nine 11",
        ),
        (
            Perturbation::DigitsSpaced,
            "Mali’s UN: Assimi Goïta met 13 000 troops in Bamako, nine said 11 (\"quoted\").",
            "Mali UN Assimi Goïta 13 000 Bamako nine 11",
        ),
        (
            Perturbation::DigitsJoined,
            "Mali’s UN: Assimi Goïta met 13000 troops in Bamako, nine said 11 (\"quoted\").",
            "Mali UN Assimi Goïta 13000 Bamako nine 11",
        ),
        (
            Perturbation::DigitsToWords,
            "Mali’s UN: Assimi Goïta met 13,000 troops in Bamako, nine said eleven (\"quoted\").",
            "Mali UN Assimi Goïta 13,000 Bamako nine eleven",
        ),
        (
            Perturbation::WordsToDigits,
            "Mali’s UN: Assimi Goïta met 13,000 troops in Bamako, 9 said 11 (\"quoted\").",
            "Mali UN Assimi Goïta 13,000 Bamako 9 11",
        ),
        // Typos are seeded: the letters hit are pinned by seed 0.
        (
            Perturbation::TypoSwap,
            "Mlai’s UN: Assimi Gotïa met 13,000 troops in Bamaok, nnie said 11 (\"quoted\").",
            "Mlai UN Assimi Gotïa 13,000 Bamaok nnie 11",
        ),
        (
            Perturbation::TypoDrop,
            "Mli’s UN: Assim Goïta met 13,000 troops in Bamak, nne said 11 (\"quoted\").",
            "Mli UN Assim Goïta 13,000 Bamak nne 11",
        ),
        (
            Perturbation::TypoDouble,
            "Maali’s UN: Asssimi Goïta met 13,000 troops in Bammako, ninee said 11 (\"quoted\").",
            "Maali UN Asssimi Goïta 13,000 Bammako ninee 11",
        ),
    ];
    for (p, want_text, want_mentions) in rows {
        let out = run(p, &g, 0);
        assert_eq!(out.gold.corpus().documents()[0].text, want_text, "{p}");
        let got: Vec<String> = texts(&out).into_iter().map(|(t, _)| t).collect();
        assert_eq!(got.join(" "), want_mentions, "{p}");
        let norms: Vec<String> = texts(&out).into_iter().map(|(_, n)| n).collect();
        assert_eq!(
            norms,
            [
                "Mali",
                "United Nations",
                "Assimi Goïta",
                "13000",
                "Bamako",
                "9",
                "11"
            ],
            "{p}: norms do not change"
        );
        assert_eq!(out.stats.skipped, 0, "{p}");
    }
}

#[test]
fn swap_names_uses_the_list_with_its_norms_and_keeps_entities_consistent() {
    let text = "Mali and the UN: 500 soldiers, hundreds fled Mali; UN said 500.";
    let g = gold(
        text,
        &[
            ("Mali", "PLACE", name("Mali")),
            ("UN", "ACTOR", name("United Nations")),
            ("500", "FIGURE", Norm::Value(500)),
            ("hundreds", "FIGURE", Norm::None),
            ("Mali", "PLACE", name("Mali")),
            ("UN", "ACTOR", name("United Nations")),
            ("500", "FIGURE", Norm::Value(500)),
        ],
    );
    let list = parse_swaps(SWAPS_CSV).unwrap();
    let out = run(Perturbation::SwapNames, &g, 7);
    let got = texts(&out);
    for (i, (t, n)) in got.iter().enumerate() {
        let entry = list.iter().find(|e| &e.text == t).expect("a list entry");
        assert_eq!(&entry.norm, n, "mention {i}: the norm is the entry's");
    }
    let labels: Vec<&str> = out
        .gold
        .annotations()
        .iter()
        .map(|a| a.span.label.as_str())
        .collect();
    assert_eq!(
        labels,
        ["PLACE", "ACTOR", "FIGURE", "FIGURE", "PLACE", "ACTOR", "FIGURE"]
    );
    assert_eq!(got[0], got[4], "the same place becomes the same place");
    assert_eq!(got[1], got[5]);
    assert_eq!(got[2], got[6]);
    assert!(
        got[2].1.parse::<u64>().is_ok(),
        "a value swaps to a value: {:?}",
        got[2]
    );
    assert_eq!(got[3].1, "", "a vague figure swaps to a vague one");
    assert_ne!(
        run(Perturbation::SwapNames, &g, 8).gold.corpus(),
        out.gold.corpus()
    );
}

#[test]
fn the_swap_list_is_not_the_gold() {
    let list = parse_swaps(SWAPS_CSV).unwrap();
    assert!(list.len() >= 60);
    let gold = AnnotationSet::read(
        std::path::Path::new("gold/annotations.csv"),
        &crate::label::gold_labels(),
    )
    .unwrap();
    for e in &list {
        for a in gold.iter() {
            let t = a.text.to_lowercase();
            assert!(
                t != e.text.to_lowercase()
                    && (e.norm.is_empty() || a.span.norm.to_string() != e.norm),
                "{e:?} is in the gold"
            );
        }
    }
}

#[test]
fn names_parse_back_and_are_unique() {
    for p in Perturbation::ALL {
        assert_eq!(p.as_str().parse::<Perturbation>(), Ok(p));
        assert!(!p.describe().is_empty() && !p.describe().contains('\n'));
    }
    let mut names: Vec<&str> = Perturbation::ALL.iter().map(|p| p.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), Perturbation::ALL.len());
    assert!("shout"
        .parse::<Perturbation>()
        .unwrap_err()
        .contains("upper, lower"));
}

#[test]
fn a_mention_of_combining_marks_only_is_left_alone() {
    let text = "a \u{301}\u{301} b é";
    let g = gold(
        text,
        &[
            ("\u{301}\u{301}", "ACTOR", Norm::None),
            ("é", "ACTOR", Norm::None),
        ],
    );
    let out = run(Perturbation::NoAccents, &g, 0);
    assert_eq!(
        out.gold.corpus().documents()[0].text,
        "a \u{301}\u{301} b e"
    );
    assert_eq!(out.stats.skipped, 2);
}

// ---- properties ----

/// Pieces of text that exercise every perturbation: case changes that change length (ß, İ,
/// ﬁ), decomposed accents, apostrophes and quotes, grouped digits, number words.
const PIECES: &[&str] = &[
    "Mali",
    "United Nations",
    "Goïta",
    "e\u{301}",
    "\u{301}",
    "ß",
    "İstanbul",
    "ﬁn",
    "ǆ",
    "13,000",
    "1,2",
    "2,500,000",
    "7",
    "20",
    "nine",
    "Twelve",
    "d'Ivoire",
    "’",
    "'",
    "\"",
    "“",
    " ",
    " ",
    "\n",
    "\u{a0}",
    ",",
    ".",
    "x",
    "ΣΑΣ",
    "日本",
    "🙂",
    "0",
];

/// One document: indexes into [`PIECES`], and for each piece (is a mention, label index).
type Doc = (Vec<usize>, Vec<(bool, usize)>);

#[derive(Debug, Clone)]
struct Case {
    docs: Vec<Doc>,
}

fn case() -> impl Strategy<Value = Case> {
    let doc = (
        prop::collection::vec(0..PIECES.len(), 0..30),
        prop::collection::vec((any::<bool>(), 0..3usize), 30),
    );
    prop::collection::vec(doc, 1..4).prop_map(|docs| Case { docs })
}

/// Documents made of pieces; a piece is a mention when its flag says so and it is not only
/// whitespace (labels ACTOR, PLACE, FIGURE; FIGURE norms are values where the piece is a
/// number).
fn build(c: &Case) -> Dataset {
    let mut docs = Vec::new();
    let mut set = AnnotationSet::new();
    for (k, (pieces, flags)) in c.docs.iter().enumerate() {
        let id = format!("doc{k}");
        let mut text = String::new();
        let mut at = 0;
        for (j, &p) in pieces.iter().enumerate() {
            let piece = PIECES[p];
            let n = piece.chars().count();
            let (is_mention, l) = flags[j];
            if is_mention && !piece.trim().is_empty() {
                let lab = ["ACTOR", "PLACE", "FIGURE"][l];
                let norm = match lab {
                    "FIGURE" => piece
                        .replace(',', "")
                        .parse()
                        .map(Norm::Value)
                        .unwrap_or(Norm::None),
                    _ => name(piece),
                };
                set.push(Annotation {
                    doc: id.clone(),
                    span: CharSpan::new(at, at + n, label(lab), norm),
                    text: piece.to_string(),
                    line: 0,
                });
            }
            text.push_str(piece);
            at += n;
        }
        docs.push(Document { id, text });
    }
    set.sort();
    Dataset::new(Corpus::from_documents(docs).unwrap(), set).unwrap()
}

/// The text between mentions, in order.
fn outside(g: &Dataset) -> Vec<String> {
    let mut out = Vec::new();
    for d in g.corpus().documents() {
        let chars: Vec<char> = d.text.chars().collect();
        let mut at = 0;
        for a in g.annotations().get(&d.id) {
            out.push(chars[at..a.span.start].iter().collect());
            at = a.span.end;
        }
        out.push(chars[at..].iter().collect());
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_perturbation_gives_a_valid_gold_with_exact_mentions(c in case(), seed in any::<u64>()) {
        let g = build(&c);
        let list = parse_swaps(SWAPS_CSV).unwrap();
        for p in Perturbation::ALL {
            // `run` checks the result as gold (offsets in range, text equal to the slice, no
            // overlap); check the slices once more in code points, and the norms.
            let out = Perturber::new().seed(seed).run(p, &g).unwrap();
            prop_assert_eq!(out.gold.annotations().len(), g.annotations().len());
            for d in out.gold.corpus().documents() {
                let chars: Vec<char> = d.text.chars().collect();
                let before = g.annotations().get(&d.id);
                let after = out.gold.annotations().get(&d.id);
                prop_assert_eq!(before.len(), after.len());
                for (b, a) in before.iter().zip(after) {
                    let slice: String = chars[a.span.start..a.span.end].iter().collect();
                    prop_assert_eq!(&slice, &a.text, "{}", p);
                    prop_assert!(!a.text.is_empty());
                    prop_assert_eq!(a.span.label, b.span.label);
                    match p {
                        Perturbation::Possessive | Perturbation::Apostrophes if !b.text.contains(['\'', '’', '‘', '"', '“', '”']) => {
                            prop_assert_eq!(&a.text, &b.text, "{}: an insertion at a boundary is outside", p)
                        }
                        Perturbation::Upper => prop_assert_eq!(&a.text, &b.text.chars().flat_map(char::to_uppercase).collect::<String>()),
                        Perturbation::Lower => prop_assert_eq!(&a.text, &b.text.chars().flat_map(char::to_lowercase).collect::<String>()),
                        _ => {}
                    }
                    if p == Perturbation::SwapNames && a.text != b.text {
                        let e = list.iter().find(|e| e.text == a.text && e.label == a.span.label);
                        prop_assert!(e.is_some(), "{:?} is not in the list", a.text);
                        prop_assert_eq!(a.span.norm.to_string(), e.unwrap().norm.clone());
                    } else {
                        prop_assert_eq!(&a.span.norm, &b.span.norm, "{}", p);
                    }
                }
            }
            // Perturbations of mentions leave the text around them as it was.
            if matches!(
                p,
                Perturbation::NameNewline | Perturbation::NameDoubleSpace | Perturbation::NameNbsp
                    | Perturbation::TypoSwap | Perturbation::TypoDrop | Perturbation::TypoDouble
                    | Perturbation::DigitsToWords | Perturbation::WordsToDigits
                    | Perturbation::SwapNames
            ) {
                prop_assert_eq!(outside(&out.gold), outside(&g), "{}", p);
            }
            // Case changes are the character mappings, whole text.
            if out.stats.skipped == 0 {
                let want = |f: fn(char) -> String| -> Vec<String> {
                    g.corpus().documents().iter().map(|d| d.text.chars().map(f).collect()).collect()
                };
                let got: Vec<String> = out.gold.corpus().documents().iter().map(|d| d.text.clone()).collect();
                match p {
                    Perturbation::Upper => prop_assert_eq!(got, want(|c| c.to_uppercase().collect())),
                    Perturbation::Lower => prop_assert_eq!(got, want(|c| c.to_lowercase().collect())),
                    _ => {}
                }
            }
            // Same seed, same bytes.
            let again = Perturber::new().seed(seed).run(p, &g).unwrap();
            prop_assert_eq!(&again.gold.corpus(), &out.gold.corpus());
            prop_assert_eq!(&again.gold.annotations(), &out.gold.annotations());
        }
    }
}

#[test]
fn the_perturbed_gold_keeps_the_golds_declared_labels() {
    // Declared in another order than first appearance, and FIGURE's norms are numbers:
    // a perturbed gold that lost this would conform a tagger's "500" to a name and score
    // every FIGURE norm wrong.
    let mut labels = crate::label::LabelSet::new();
    labels.declare(label("FIGURE"), crate::label::NormKind::Integer);
    labels.declare(label("PLACE"), crate::label::NormKind::Name);
    let g = gold(
        "Mali lost 500 men.",
        &[
            ("Mali", "PLACE", name("Mali")),
            ("500", "FIGURE", Norm::Value(500)),
        ],
    )
    .with_labels(labels.clone())
    .unwrap();
    for p in Perturbation::ALL {
        assert_eq!(run(p, &g, 0).gold.labels(), &labels, "{p}");
    }
}
