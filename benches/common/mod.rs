//! What the benchmarks share (`benches/tag.rs`, the criterion timings, and `benches/gate.rs`,
//! the instruction-count gate): the corpus and the generated data, so that both measure the
//! same inputs.

#![allow(dead_code)] // each bench uses a part

use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use tagbench::{CharSpan, Corpus, Label, Norm};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The gold texts, each followed by a blank line.
pub fn gold_text() -> String {
    let corpus = Corpus::read_dir(&root().join("gold/texts")).expect("gold texts");
    let mut gold = String::new();
    for d in corpus.documents() {
        gold.push_str(&d.text);
        gold.push_str("\n\n");
    }
    gold
}

/// The gold texts repeated to at least `bytes` bytes; paragraphs separated by blank lines.
pub fn repeated(gold: &str, bytes: usize) -> String {
    let mut big = String::with_capacity(bytes + gold.len());
    while big.len() < bytes {
        big.push_str(gold);
    }
    big
}

/// The raw automaton a tagger is held to: aho-corasick's `find_iter` over `patterns`,
/// leftmost-longest, of the given kind.
pub fn raw_automaton(patterns: &[&str], kind: AhoCorasickKind, ascii_ci: bool) -> AhoCorasick {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(ascii_ci)
        .kind(Some(kind))
        .build(patterns)
        .expect("automaton")
}

/// The ceiling `world-places` is held to: the regex crate's (lazy) DFA over `patterns` with
/// ASCII word boundaries, longest first (so that leftmost-first picks the longest at a place,
/// as the tagger does).
pub fn regex_ascii_wb(patterns: &[&str]) -> regex::Regex {
    let mut pats = patterns.to_vec();
    pats.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let alt: Vec<String> = pats.iter().map(|p| regex::escape(p)).collect();
    regex::RegexBuilder::new(&format!(r"(?-u:\b)(?:{})(?-u:\b)", alt.join("|")))
        .size_limit(1 << 34)
        .dfa_size_limit(1 << 30)
        .build()
        .expect("regex")
}

/// A deterministic pseudo-random sequence (SplitMix64).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` distinct generated names of one to three capitalised words ("Kalo Minura"), as a
/// gazetteer CSV.
pub fn generated_gazetteer(n: usize) -> Vec<u8> {
    const SYLLABLES: [&str; 24] = [
        "ka", "lo", "mi", "nu", "ra", "se", "ti", "vo", "ba", "de", "fi", "go", "ha", "ju", "ke",
        "li", "ma", "no", "pe", "qui", "ru", "sa", "to", "zu",
    ];
    let mut rng = Rng(42);
    let mut out = String::from("term,label,norm,kind,case\n");
    let mut seen = std::collections::HashSet::new();
    let labels = ["ACTOR", "PLACE"];
    while seen.len() < n {
        let words = 1 + rng.below(3);
        let mut term = String::new();
        for w in 0..words {
            if w > 0 {
                term.push(' ');
            }
            let syl = 2 + rng.below(3);
            for s in 0..syl {
                let x = SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize];
                if s == 0 {
                    let mut cs = x.chars();
                    let first = cs.next().expect("syllable").to_ascii_uppercase();
                    term.push(first);
                    term.push_str(cs.as_str());
                } else {
                    term.push_str(x);
                }
            }
        }
        if seen.insert(term.clone()) {
            let label = labels[seen.len() % 2];
            out.push_str(&format!("{term},{label},{term},generated,\n"));
        }
    }
    out.into_bytes()
}

/// `n` gold spans in a document, and predictions that agree on most of them: about 70% exact,
/// 10% with another boundary, 5% with another label, 15% missed, plus 10% spurious.
pub fn generated_spans(n: usize) -> (Vec<CharSpan>, Vec<CharSpan>) {
    let mut rng = Rng(7);
    let mut gold = Vec::with_capacity(n);
    let mut pred = Vec::with_capacity(n + n / 10);
    let mut pos = 0;
    let labels = ["ACTOR", "PLACE", "FIGURE"].map(|l| Label::new(l).expect("a valid label"));
    for i in 0..n {
        let start = pos + 2 + rng.below(20) as usize;
        let end = start + 1 + rng.below(15) as usize;
        let label = labels[i % 3];
        let g = CharSpan::new(start, end, label, Norm::None);
        match rng.below(100) {
            0..70 => pred.push(g.clone()),
            70..80 => pred.push(CharSpan::new(start + 1, end + 1, label, Norm::None)),
            80..85 => pred.push(CharSpan::new(start, end, labels[(i + 1) % 3], Norm::None)),
            _ => {}
        }
        if rng.below(10) == 0 {
            pred.push(CharSpan::new(end + 1, end + 2, label, Norm::None));
        }
        gold.push(g);
        pos = end + 3;
    }
    pred.sort_by_key(|s| (s.start, s.end));
    (gold, pred)
}
