//! What every fuzz target checks about the tagger's output.

#![allow(dead_code)] // each target uses its own subset

use tagbench::{AnnotationSet, CaseMode, MatchKind, Span, Tagger, TaggerOptions};

/// Every combination of the tagger's options that changes what it finds (the automaton
/// kind only changes how): 3 match kinds x 3 case modes x accents x boundaries x figures.
pub fn all_options() -> Vec<TaggerOptions> {
    let mut out = Vec::new();
    for match_kind in [
        MatchKind::LeftmostLongest,
        MatchKind::LeftmostFirst,
        MatchKind::Overlapping,
    ] {
        for case in [CaseMode::Exact, CaseMode::Ascii, CaseMode::Unicode] {
            for bits in 0..8u8 {
                out.push(TaggerOptions {
                    match_kind,
                    case,
                    fold_accents: bits & 1 != 0,
                    word_boundaries: bits & 2 != 0,
                    figures: bits & 4 != 0,
                    ..TaggerOptions::default()
                });
            }
        }
    }
    out
}

/// Spans inside the text, on char boundaries, sorted by start then end, disjoint in the
/// leftmost modes; and the same through the code-point conversion of an annotation set.
pub fn check_spans(tagger: &Tagger, text: &str, spans: &[Span]) {
    let opts = tagger.options();
    for s in spans {
        assert!(
            s.start < s.end && s.end <= text.len(),
            "{opts:?}: span {s:?} out of bounds in {text:?}"
        );
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{opts:?}: span {s:?} not on char boundaries in {text:?}"
        );
    }
    for w in spans.windows(2) {
        assert!(
            (w[0].start, w[0].end) <= (w[1].start, w[1].end),
            "{opts:?}: not sorted: {:?} then {:?} in {text:?}",
            w[0],
            w[1]
        );
        if opts.match_kind != MatchKind::Overlapping {
            assert!(
                w[0].end <= w[1].start,
                "{opts:?}: overlap: {:?} and {:?} in {text:?}",
                w[0],
                w[1]
            );
        }
    }
    // The conversion to code points the binary uses (it panics on a bad boundary).
    let mut set = AnnotationSet::new();
    set.insert_tagged("d", text, spans);
    assert_eq!(set.len(), spans.len());
    let chars = text.chars().count();
    for a in set.iter() {
        assert!(a.span.start < a.span.end && a.span.end <= chars);
        assert!(!a.text.is_empty());
    }
}
