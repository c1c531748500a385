//! The tagger's rules as named tables, each run under every variant where it applies.

use std::path::Path;

use super::*;

const GAZ: &str = "term,label,norm,kind,case
UN,ACTOR,United Nations,organisation,exact
U.N.,ACTOR,United Nations,organisation,exact
United Nations,ACTOR,United Nations,organisation,
UN Security Council,ACTOR,United Nations Security Council,organisation,
Security Council,ACTOR,United Nations Security Council,organisation,
UNSC,ACTOR,United Nations Security Council,organisation,exact
Mali,PLACE,Mali,country,
Niger,PLACE,Niger,country,exact
Ivory Coast,PLACE,Ivory Coast,country,
Côte d'Ivoire,PLACE,Ivory Coast,country,
Assimi Goïta,ACTOR,Assimi Goïta,person,
Goïta,ACTOR,Assimi Goïta,person,
Kremlin,ACTOR,Kremlin,government,
Wagner Group,ACTOR,Wagner Group,armed-group,
Wagner,ACTOR,Wagner Group,armed-group,
Straße,PLACE,Straße,street,
Kelvin,ACTOR,Kelvin,person,
fine arts,ACTOR,Fine Arts,organisation,
G5 Sahel,ACTOR,G5 Sahel,organisation,
Sahel,PLACE,Sahel,area,
";

fn gazetteer() -> Gazetteer {
    let mut g = Gazetteer::new();
    g.add_csv(Path::new("test.csv"), GAZ.as_bytes()).unwrap();
    g
}

fn tagger(f: impl FnOnce(&mut TaggerBuilder)) -> Tagger {
    let mut b = Tagger::builder();
    f(&mut b);
    b.build(&gazetteer()).unwrap()
}

/// (text, norm) of each span.
fn run(t: &Tagger, text: &str) -> Vec<(String, String)> {
    let spans = t.tag(text);
    for s in &spans {
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    }
    spans
        .iter()
        .map(|s| (text[s.range()].to_string(), s.norm.to_string()))
        .collect()
}

fn texts(t: &Tagger, text: &str) -> Vec<String> {
    run(t, text).into_iter().map(|(a, _)| a).collect()
}

fn all_cases() -> Vec<Tagger> {
    [CaseMode::Exact, CaseMode::Ascii, CaseMode::Unicode]
        .into_iter()
        .map(|c| {
            tagger(|b| {
                b.case(c);
            })
        })
        .collect()
}

#[test]
fn boundaries_and_longest_match_under_every_case_mode() {
    // (name, text, expected surfaces)
    let rows: &[(&str, &str, &[&str])] = &[
        ("no UN inside UNSC", "the UNSC met", &["UNSC"]),
        ("no Mali inside Malian", "Malian troops", &[]),
        ("possessive outside", "Mali’s ruling junta", &["Mali"]),
        ("straight possessive", "Mali's junta", &["Mali"]),
        ("hyphen is a boundary", "Kremlin-linked group", &["Kremlin"]),
        (
            "longest wins",
            "the UN Security Council voted",
            &["UN Security Council"],
        ),
        ("brackets outside", "rights office (UN) said", &["UN"]),
        ("dots inside U.N.", "a U.N. note", &["U.N."]),
        ("capital Group", "Russia’s Wagner Group", &["Wagner Group"]),
        ("touching names", "Mali,Niger", &["Mali", "Niger"]),
        ("at text edges", "Mali", &["Mali"]),
        ("digits glue", "UN2 Mali2", &[]),
        (
            "gazetteer beats figures",
            "the G5 Sahel force",
            &["G5 Sahel"],
        ),
        (
            "a shorter match when the longest fails a boundary",
            "the Wagner Groups",
            &["Wagner"],
        ),
    ];
    for t in all_cases() {
        for (name, text, want) in rows {
            assert_eq!(texts(&t, text), *want, "{name} ({:?})", t.options().case);
        }
    }
}

#[test]
fn case_modes_and_overrides() {
    let exact = tagger(|_| {});
    let ascii = tagger(|b| {
        b.case(CaseMode::Ascii);
    });
    let uni = tagger(|b| {
        b.case(CaseMode::Unicode);
    });
    // (name, text, exact, ascii, unicode)
    type Row<'a> = (
        &'a str,
        &'a str,
        &'a [&'a str],
        &'a [&'a str],
        &'a [&'a str],
    );
    let rows: &[Row] = &[
        (
            "lower case name",
            "mali and ivory coast",
            &[],
            &["mali", "ivory coast"],
            &["mali", "ivory coast"],
        ),
        (
            "exact override keeps acronyms",
            "un and Un and UN",
            &["UN"],
            &["UN"],
            &["UN"],
        ),
        (
            "exact override keeps Niger",
            "the niger river, Niger",
            &["Niger"],
            &["Niger"],
            &["Niger"],
        ),
        ("upper case", "MALI", &[], &["MALI"], &["MALI"]),
        (
            "lower-case group",
            "the Wagner group",
            &["Wagner"],
            &["Wagner group"],
            &["Wagner group"],
        ),
        ("sharp s needs unicode", "STRASSE", &[], &[], &["STRASSE"]),
        ("capital sharp s", "STRAẞE", &[], &[], &["STRAẞE"]),
        ("Kelvin sign", "\u{212A}elvin", &[], &[], &["\u{212A}elvin"]),
        ("accented upper case", "GOÏTA", &[], &[], &["GOÏTA"]),
    ];
    for (name, text, e, a, u) in rows {
        assert_eq!(texts(&exact, text), *e, "exact: {name}");
        assert_eq!(texts(&ascii, text), *a, "ascii: {name}");
        assert_eq!(texts(&uni, text), *u, "unicode: {name}");
    }
}

#[test]
fn folding_never_shifts_offsets() {
    let uni = tagger(|b| {
        b.case(CaseMode::Unicode);
    });
    // Characters whose folded form has another length, before the name.
    for prefix in [
        "İİİ ",
        "ẞß ",
        "ﬁﬁ ",
        "K ",
        "👩‍👩‍👧 ",
        "e\u{301} ",
        "\r\n",
        "\u{a0}",
    ] {
        let text = format!("{prefix}Mali and GOÏTA");
        let spans = uni.tag(&text);
        let got: Vec<&str> = spans.iter().map(|s| &text[s.range()]).collect();
        assert_eq!(got, ["Mali", "GOÏTA"], "prefix {prefix:?}");
    }
    // A pattern must not match half of an expanded character: "ss" is not inside "ß".
    let g = {
        let mut g = Gazetteer::new();
        g.add_csv(
            Path::new("t.csv"),
            "term,label,norm\nss,ACTOR,SS\n".as_bytes(),
        )
        .unwrap();
        g
    };
    let t = Tagger::builder().case(CaseMode::Unicode).build(&g).unwrap();
    assert_eq!(t.tag("ß").len(), 1, "ß folds to ss as a whole");
    assert_eq!(t.tag("ßs").len(), 0, "ss would cut ß in half");
}

#[test]
fn accent_folding() {
    for t in all_cases() {
        let rows = [
            ("Col. Assimi Goita", vec![("Assimi Goita", "Assimi Goïta")]),
            ("Col. Assimi Goïta", vec![("Assimi Goïta", "Assimi Goïta")]),
            ("Cote d'Ivoire", vec![("Cote d'Ivoire", "Ivory Coast")]),
            ("Côte d’Ivoire", vec![("Côte d’Ivoire", "Ivory Coast")]),
            // Decomposed: o + U+0302, i + U+0308.
            (
                "Co\u{302}te d'Ivoire",
                vec![("Co\u{302}te d'Ivoire", "Ivory Coast")],
            ),
            ("Goi\u{308}ta", vec![("Goi\u{308}ta", "Assimi Goïta")]),
        ];
        for (text, want) in rows {
            let want: Vec<(String, String)> = want
                .into_iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(run(&t, text), want, "{text} ({:?})", t.options().case);
        }
    }
    let off = tagger(|b| {
        b.fold_accents(false);
    });
    assert_eq!(texts(&off, "Assimi Goita"), Vec::<String>::new());
    assert_eq!(texts(&off, "Assimi Goïta"), ["Assimi Goïta"]);
}

#[test]
fn whitespace_inside_names() {
    for t in all_cases() {
        for text in [
            "Assimi  Goïta",
            "Assimi\nGoïta",
            "Assimi\r\nGoïta",
            "Assimi\u{a0}Goïta",
            "Assimi\t Goïta",
        ] {
            assert_eq!(texts(&t, text), [text], "{text:?} ({:?})", t.options().case);
        }
        // A paragraph break is not inside a name.
        assert_eq!(
            texts(&t, "Assimi\n\nGoïta"),
            ["Goïta"],
            "({:?})",
            t.options().case
        );
        // Offsets after a collapsed run stay right.
        let text = "Mali \n  and\u{a0}\u{a0}Niger";
        assert_eq!(texts(&t, text), ["Mali", "Niger"]);
    }
}

#[test]
fn match_kinds() {
    let first = tagger(|b| {
        b.match_kind(MatchKind::LeftmostFirst);
    });
    // "UN" is listed before "UN Security Council": leftmost-first keeps the first listed.
    assert_eq!(
        texts(&first, "the UN Security Council"),
        ["UN", "Security Council"]
    );
    let all = tagger(|b| {
        b.match_kind(MatchKind::Overlapping);
    });
    assert_eq!(
        texts(&all, "the UN Security Council"),
        ["UN", "UN Security Council", "Security Council"]
    );
}

#[test]
fn no_boundaries_variant_finds_substrings() {
    let t = tagger(|b| {
        b.word_boundaries(false);
    });
    assert_eq!(texts(&t, "Malian"), ["Mali"]);
}

#[test]
fn figures_switch() {
    let on = tagger(|_| {});
    let off = tagger(|b| {
        b.figures(false);
    });
    let text = "Mali arrested 49 soldiers";
    assert_eq!(texts(&on, text), ["Mali", "49"]);
    assert_eq!(texts(&off, text), ["Mali"]);
}

#[test]
fn automaton_kinds_agree() {
    let text = "The UN Security Council, Mali’s junta and Assimi\nGoïta; 49 UN troops in Niger.";
    let want = texts(&tagger(|_| {}), text);
    for a in [Automaton::Nfa, Automaton::Dfa] {
        assert_eq!(
            texts(
                &tagger(|b| {
                    b.automaton(a);
                }),
                text
            ),
            want
        );
    }
}

#[test]
fn empty_gazetteer_and_empty_text() {
    let t = Tagger::builder().build(&Gazetteer::new()).unwrap();
    assert_eq!(t.tag("Mali 49").len(), 1, "figures only");
    assert!(tagger(|_| {}).tag("").is_empty());
}

#[test]
fn options_round_trip_through_toml() {
    let o = TaggerOptions {
        case: CaseMode::Unicode,
        match_kind: MatchKind::LeftmostFirst,
        ..TaggerOptions::default()
    };
    let s = toml::to_string(&o).unwrap();
    assert!(s.contains("case = \"unicode\""), "{s}");
    assert!(s.contains("match_kind = \"leftmost-first\""), "{s}");
    let back: TaggerOptions = toml::from_str(&s).unwrap();
    assert_eq!(back, o);
    assert!(toml::from_str::<TaggerOptions>("cases = \"exact\"").is_err());
}

mod fused_figures {
    //! The recogniser driven by the automaton's matches must find exactly what the
    //! stand-alone recogniser finds, merged the same way, under every option.

    use super::*;
    use proptest::prelude::*;

    const GAZ: &str = "term,label,norm,kind,case
Group of Seven,ACTOR,Group of Seven,organisation,
Seven Hills,PLACE,Seven Hills,town,
Ten,PLACE,Ten,town,
Sixty,PLACE,Sixty,town,exact
One Nation,ACTOR,One Nation,party,
Five Star Movement,ACTOR,Five Star Movement,party,
G5 Sahel,ACTOR,G5 Sahel,organisation,
000 Bank,ACTOR,000 Bank,company,
13 Club,ACTOR,13 Club,company,
Mali,PLACE,Mali,country,
Assimi Goïta,ACTOR,Assimi Goïta,person,
June Fund,ACTOR,June Fund,company,
no,ACTOR,No,person,fold
";

    const WORDS: &[&str] = &[
        "one",
        "One",
        "ONE",
        "oNe",
        "two",
        "Seven",
        "seventeen",
        "forty",
        "nine",
        "forty-nine",
        "hundred",
        "hundreds",
        "Thousands",
        "tens",
        "of",
        "thousands",
        "million",
        "six",
        "and",
        "fifty",
        "zero",
        "no",
        "someone",
        "often",
        "13",
        "13,000",
        "1,2",
        "1.5",
        "2013",
        "2,400",
        "000",
        "G5",
        "5km",
        "COVID-19",
        "June",
        "30",
        "pm",
        "a",
        "Group",
        "Seven",
        "Hills",
        "Ten",
        "TEN",
        "Sixty",
        "SIXTY",
        "Nation",
        "Five",
        "Star",
        "Movement",
        "Sahel",
        "Bank",
        "Club",
        "Mali",
        "Malian",
        "Assimi",
        "Goïta",
        "Goita",
        "Fund",
        "soldiers",
        "é",
        "ß",
        "twenty-one",
        "1st",
        "99",
        "12345678901234567890123",
    ];
    const SEPS: &[&str] = &[" ", " ", " ", "", "\n", ", ", "-", "  ", ".", "\u{a0}", "/"];

    fn reference(plain: &Tagger, full: &Tagger, text: &str) -> Vec<Span> {
        let mut out = plain.tag(text);
        let mut figs = Vec::new();
        figures::find_into(text, Label::new("FIGURE").unwrap(), &mut figs);
        full.merge_figures(&mut figs, &mut out);
        out
    }

    fn pairs() -> Vec<(Tagger, Tagger)> {
        let mut g = Gazetteer::new();
        g.add_csv(Path::new("fig.csv"), GAZ.as_bytes()).unwrap();
        let mut out = Vec::new();
        for case in [CaseMode::Exact, CaseMode::Ascii, CaseMode::Unicode] {
            for mk in [MatchKind::LeftmostLongest, MatchKind::LeftmostFirst] {
                for wb in [true, false] {
                    let mut b = Tagger::builder();
                    b.case(case).match_kind(mk).word_boundaries(wb);
                    let full = b.build(&g).unwrap();
                    let plain = b.figures(false).build(&g).unwrap();
                    assert!(full.fused_figures);
                    out.push((plain, full));
                }
            }
        }
        out
    }

    /// Fewer words, so that gazetteer terms and FIGUREs often touch and overlap.
    const DENSE: &[&str] = &[
        "Sixty", "Five", "five", "Ten", "Seven", "Hills", "Group of", "thousand", "13", "000",
        "Bank", "1", "and", "one", "Club",
    ];
    const DENSE_SEPS: &[&str] = &[" ", "-", ",", ""];

    fn text() -> impl Strategy<Value = String> {
        let wide = prop::collection::vec(
            (prop::sample::select(WORDS), prop::sample::select(SEPS)),
            0..30,
        );
        let dense = prop::collection::vec(
            (
                prop::sample::select(DENSE),
                prop::sample::select(DENSE_SEPS),
            ),
            0..12,
        );
        prop_oneof![wide, dense]
            .prop_map(|v| v.into_iter().map(|(w, s)| format!("{w}{s}")).collect())
    }

    #[test]
    fn known_cases() {
        for (plain, full) in pairs() {
            for t in [
                "the Group of Seven hundred and 49 soldiers",
                "Seven Hills, 13,000 troops; 1,2 and 13 Club",
                "no one, No One and one of them; ten TEN Ten",
                "June 30, 2013 and 2013 soldiers",
                "forty-nine Sixty SIXTY sixty 000 Bank 13,000 Bank",
                "Sixty-Five soldiers, Group of Seven-Five and Ten thousand",
            ] {
                assert_eq!(
                    full.tag(t),
                    reference(&plain, &full, t),
                    "{t:?} {:?}",
                    full.opts
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn same_as_the_stand_alone_recogniser(t in text()) {
            for (plain, full) in pairs() {
                prop_assert_eq!(full.tag(&t), reference(&plain, &full, &t), "{:?}", full.opts);
            }
        }
    }
}

#[test]
fn general_punctuation_has_no_word_character() {
    for c in '\u{2000}'..='\u{206F}' {
        let slow = c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
        assert!(!slow, "{c:?} is a word character");
        assert!(!is_word_char(c));
    }
}

mod word_starts {
    //! With word boundaries, the leftmost modes search anchored from the places a match may
    //! start; the spans must be exactly those of the unanchored search over every byte, under
    //! every option.

    use super::*;
    use proptest::prelude::*;

    /// The table's gazetteer plus terms that start with a digit, a number word, an apostrophe
    /// or a non-word character, a lower-case term that starts inside common words, terms
    /// whose leading word begins with another term ("Al", "Ala-Archa") and leading words of
    /// 8 bytes and more (read 8 bytes at a time).
    const MORE: &str = "Group of Seven,ACTOR,Group of Seven,organisation,
Ten,PLACE,Ten,town,
13 Club,ACTOR,13 Club,company,
no,ACTOR,No,person,fold
'Adan,PLACE,'Adan,town,
(Al) Qaeda,ACTOR,Al Qaeda,armed-group,
an,PLACE,An,town,
Ärzte ohne Grenzen,ACTOR,MSF,organisation,
Al,PLACE,Al,town,
Ala-Archa,PLACE,Ala-Archa,park,
Abcdefgh Ij,PLACE,Abcdefgh Ij,town,
Kyzyl_Kiya_Town Centre,PLACE,Kyzyl-Kiya,town,
";

    const WORDS: &[&str] = &[
        "UN",
        "UNSC",
        "U.N.",
        "un",
        "United",
        "Nations",
        "Security",
        "Council",
        "Mali",
        "Malian",
        "mali",
        "MALI",
        "Niger",
        "niger",
        "Nigeria",
        "Ivory",
        "Coast",
        "Côte",
        "Co\u{302}te",
        "d'Ivoire",
        "d’Ivoire",
        "Assimi",
        "Goïta",
        "Goita",
        "Goi\u{308}ta",
        "Kremlin",
        "Kremlin-linked",
        "Wagner",
        "Group",
        "STRASSE",
        "Straße",
        "fine",
        "arts",
        "Fine",
        "G5",
        "Sahel",
        "Sahelian",
        "of",
        "Seven",
        "seven",
        "Ten",
        "ten",
        "13",
        "Club",
        "no",
        "No",
        "'Adan",
        "’Adan",
        "(Al)",
        "Qaeda",
        "an",
        "and",
        "an_",
        "Ärzte",
        "ärzte",
        "ohne",
        "Grenzen",
        "one",
        "thousand",
        "2,400",
        "5km",
        "é",
        "ß",
        "İ",
        "_",
        "x",
        "Al",
        "AL",
        "Ala",
        "Ala-Archa",
        "Archa",
        "Abcdefgh",
        "abcdefgh",
        "Abcdefghi",
        "Ij",
        "Kyzyl_Kiya_Town",
        "KYZYL_KIYA_TOWN",
        "Kyzyl_Kiya_Town_",
        "Centre",
    ];
    const SEPS: &[&str] = &[
        " ", " ", " ", "", "\n", ", ", "-", "  ", ".", "\u{a0}", "/", "'", "’", "\u{301}", "é",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (prop::sample::select(WORDS), prop::sample::select(SEPS)),
            0..30,
        )
        .prop_map(|v| v.into_iter().map(|(w, s)| format!("{w}{s}")).collect())
    }

    /// (new, old) for every option with word boundaries on, in the leftmost modes; built once.
    fn pairs() -> &'static [(Tagger, Tagger)] {
        static PAIRS: std::sync::LazyLock<Vec<(Tagger, Tagger)>> =
            std::sync::LazyLock::new(build_pairs);
        &PAIRS
    }

    fn build_pairs() -> Vec<(Tagger, Tagger)> {
        let mut g = Gazetteer::new();
        g.add_csv(Path::new("test.csv"), format!("{GAZ}{MORE}").as_bytes())
            .unwrap();
        let mut out = Vec::new();
        for case in [CaseMode::Exact, CaseMode::Ascii, CaseMode::Unicode] {
            for mk in [MatchKind::LeftmostLongest, MatchKind::LeftmostFirst] {
                for figures in [true, false] {
                    for fold in [true, false] {
                        for automaton in [Automaton::Dfa, Automaton::Nfa] {
                            let mut b = Tagger::builder();
                            b.case(case)
                                .match_kind(mk)
                                .figures(figures)
                                .fold_accents(fold)
                                .automaton(automaton);
                            let new = b.build(&g).unwrap();
                            let old = b.word_starts(false).build(&g).unwrap();
                            assert!(matches!(new.ac, Some(Engine::Anchored(..))));
                            assert!(matches!(old.ac, Some(Engine::Unanchored(_))));
                            out.push((new, old));
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn known_cases() {
        for (new, old) in pairs() {
            for t in [
                "the UN and UNSC, un Malian in Mali; an Ärzte ohne Grenzen team",
                "Côte d’Ivoire, Co\u{302}te d'Ivoire and Assimi\nGoïta met the Group of Seven",
                "'Adan, ’Adan and x'Adan; (Al) Qaeda, G5 Sahel-based, 13 Club and 2,400 no",
                "é13 Club, _Mali, Mali_, an_ an, STRASSE Straße İ",
            ] {
                let n = new.tag(t);
                assert_eq!(n, old.tag(t), "{t:?} {:?}", new.opts);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn same_spans_as_the_unanchored_search(t in text()) {
            for (new, old) in pairs() {
                prop_assert_eq!(new.tag(&t), old.tag(&t), "{:?}", new.opts);
            }
        }
    }
}
