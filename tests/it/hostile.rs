//! Large and hostile input, small versions: texts of only combining marks, of digits with
//! and without spaces, one long line of news, and a gazetteer of 100k generated terms. Each
//! must finish with valid spans, and 4x the input must take less than 10x the time (the
//! small input's fastest of three runs, plus 50 ms of slack for timer noise; one timed test
//! at a time): generous, so that a debug build on a busy machine passes, and still fails on
//! anything quadratic.
//!
//! The big versions (1M terms, 100 MB texts) are measured in release mode with
//! `cargo run --release --example hostile` (figures in the README).

use std::path::Path;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use tagbench::{Gazetteer, Label, MatchKind, Span, Tagger, TaggerOptions};

/// The default variant's tagger (the repository's gazetteers, figures on).
fn tagger() -> &'static Tagger {
    static T: OnceLock<Tagger> = OnceLock::new();
    T.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        tagbench::variant::Variant::resolve("default", &root.join("variants"))
            .expect("the default variant")
            .build()
            .expect("it builds")
    })
}

/// One timed test at a time: tests of this file run in parallel threads, and a test timed
/// while another runs would measure both.
fn timing_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn timed<T>(f: &mut impl FnMut() -> T) -> (Duration, T) {
    let t = Instant::now();
    let r = f();
    (t.elapsed(), r)
}

/// Times `small` (the shortest of three runs) and `large` (once, or up to three times
/// while it is over the limit: a busy machine can only make a run slower), and fails unless
/// 4x the input takes less than 10x the time, plus 50 ms of slack for timer noise. Returns
/// both results.
fn assert_roughly_linear<S, L>(
    what: &str,
    mut small: impl FnMut() -> S,
    mut large: impl FnMut() -> L,
) -> (S, L) {
    let mut ts = Duration::MAX;
    let mut s = None;
    for _ in 0..3 {
        let (d, r) = timed(&mut small);
        ts = ts.min(d);
        s = Some(r);
    }
    let limit = ts * 10 + Duration::from_millis(50);
    let mut tl = Duration::MAX;
    let mut l = None;
    for _ in 0..3 {
        let (d, r) = timed(&mut large);
        tl = tl.min(d);
        l = Some(r);
        if tl < limit {
            break;
        }
    }
    println!("{what}: {ts:?} -> {tl:?} for 4x the input (limit {limit:?})");
    assert!(
        tl < limit,
        "{what}: 4x the input took {tl:?}, more than 10x {ts:?}: not linear"
    );
    (s.unwrap(), l.unwrap())
}

/// In bounds, on char boundaries, sorted, disjoint (the default tagger is leftmost).
fn check_spans(text: &str, spans: &[Span]) {
    for s in spans {
        assert!(s.start < s.end && s.end <= text.len(), "{s:?}");
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    }
    for w in spans.windows(2) {
        assert!(w[0].end <= w[1].start, "{:?} {:?}", w[0], w[1]);
    }
}

/// Tags `make(n)` and `make(4 n)`, checks the spans and the time ratio; returns the spans
/// of both.
fn tag_twice(what: &str, n: usize, make: impl Fn(usize) -> String) -> [(String, Vec<Span>); 2] {
    let t = tagger();
    let (small, large) = (make(n), make(4 * n));
    let _lock = timing_lock();
    let (s1, s4) = assert_roughly_linear(what, || t.tag(&small), || t.tag(&large));
    check_spans(&small, &s1);
    check_spans(&large, &s4);
    [(small, s1), (large, s4)]
}

fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes.div_ceil(unit.len()))
}

#[test]
fn a_text_of_only_combining_marks() {
    for (what, unit) in [
        ("one combining acute", "\u{301}"),
        ("stacked marks", "\u{301}\u{308}\u{323}\u{20DD}\u{1AB0}"),
        ("marks after a letter", "M\u{301}\u{301}\u{301}\u{301}"),
    ] {
        for (text, spans) in tag_twice(what, 256 << 10, |n| repeat_to(unit, n)) {
            assert!(
                spans.is_empty(),
                "{what}: {} spans in {} bytes",
                spans.len(),
                text.len()
            );
        }
    }
}

#[test]
fn a_text_of_digits_with_spaces() {
    for (text, spans) in tag_twice("1234567890 repeated", 256 << 10, |n| {
        repeat_to("1234567890 ", n)
    }) {
        // Every group is a FIGURE with its value.
        assert_eq!(spans.len(), text.len() / 11);
        assert!(spans
            .iter()
            .all(|s| s.label == Label::new("FIGURE").unwrap()
                && s.norm == tagbench::Norm::Value(1_234_567_890)
                && s.end - s.start == 10));
    }
}

#[test]
fn a_text_of_digits_without_spaces() {
    for (text, spans) in tag_twice("digits without a space", 256 << 10, |n| {
        repeat_to("1234567890", n)
    }) {
        // One run of digits longer than any integer: at most one span, never a panic.
        assert!(
            spans.len() <= 1,
            "{} spans in {} digits",
            spans.len(),
            text.len()
        );
    }
}

#[test]
fn a_single_line_of_ten_megabytes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = tagbench::Corpus::read_dir(&root.join("gold/texts")).unwrap();
    let news: String = corpus
        .documents()
        .iter()
        .map(|d| d.text.replace(['\n', '\r'], " "))
        .collect::<Vec<_>>()
        .join(" ");
    let per_copy = tagger().tag(&news).len();
    assert!(per_copy > 150, "{per_copy}");
    let [(small, s1), (large, s4)] = tag_twice("one line of news", 10 << 20 >> 2, |n| {
        repeat_to(&format!("{news} "), n)
    });
    assert!(!large.contains('\n') && large.len() >= 10 << 20);
    // The same mentions in every copy (a copy's edges may join or cut one).
    let copies = |t: &str| t.len() / (news.len() + 1);
    for (text, spans) in [(&small, &s1), (&large, &s4)] {
        let want = copies(text) * per_copy;
        assert!(
            spans.len().abs_diff(want) <= 2 * copies(text) + per_copy,
            "{} vs {want}",
            spans.len()
        );
    }
}

/// `n` distinct terms of two or three words, of every label.
fn generated_gazetteer(n: usize) -> Gazetteer {
    let mut csv = String::from("term,label,norm\n");
    for i in 0..n {
        let label = ["ACTOR", "PLACE"][i % 2];
        if i % 3 == 0 {
            csv.push_str(&format!("Term{i} Ville{} Nord,{label},N{i}\n", i % 97));
        } else {
            csv.push_str(&format!("Term{i} Ville{},{label},N{i}\n", i % 89));
        }
    }
    let mut g = Gazetteer::new();
    g.add_csv(Path::new("generated.csv"), csv.as_bytes())
        .expect("generated terms load");
    g
}

#[test]
fn a_gazetteer_of_a_hundred_thousand_terms() {
    let build = |n: usize| {
        let g = generated_gazetteer(n);
        let t = Tagger::builder()
            .options(TaggerOptions {
                figures: false,
                match_kind: MatchKind::LeftmostLongest,
                ..TaggerOptions::default()
            })
            .build(&g)
            .expect("builds");
        (g, t)
    };
    let _lock = timing_lock();
    let (_, (g, t)) = assert_roughly_linear("gazetteer build", || build(25_000), || build(100_000));
    assert_eq!(g.len(), 100_000);
    // Every 1000th term is found where it was put, with its norm.
    let mut text = String::new();
    let mut want = Vec::new();
    for e in g.entries().iter().step_by(1000) {
        text.push_str("In ");
        let start = text.len();
        text.push_str(&e.term);
        want.push((start, text.len(), e.norm.to_string()));
        text.push_str(", people met.\n");
    }
    let got: Vec<(usize, usize, String)> = t
        .tag(&text)
        .into_iter()
        .map(|s| (s.start, s.end, s.norm.to_string()))
        .collect();
    assert_eq!(got, want);
}
