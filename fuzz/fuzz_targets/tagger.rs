//! The tagger on arbitrary text, under every combination of options, with the repository's
//! gazetteers: spans inside the text, on char boundaries, sorted, disjoint in the leftmost
//! modes; the same spans with a reused scratch.

#![no_main]

mod common;

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tagbench::{Gazetteer, Scratch, Tagger};

fn taggers() -> &'static [OnceLock<Tagger>] {
    static T: OnceLock<Vec<OnceLock<Tagger>>> = OnceLock::new();
    T.get_or_init(|| {
        common::all_options()
            .iter()
            .map(|_| OnceLock::new())
            .collect()
    })
}

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| {
        let mut g = Gazetteer::new();
        g.add_csv(
            Path::new("actors.csv"),
            include_bytes!("../../gazetteer/actors.csv"),
        )
        .expect("actors.csv loads");
        g.add_csv(
            Path::new("places.csv"),
            include_bytes!("../../gazetteer/places.csv"),
        )
        .expect("places.csv loads");
        g
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let i = pick as usize % taggers().len();
    let tagger = taggers()[i].get_or_init(|| {
        Tagger::builder()
            .options(common::all_options()[i].clone())
            .build(gazetteer())
            .expect("the repository's gazetteers build")
    });
    let spans = tagger.tag(&text);
    common::check_spans(tagger, &text, &spans);
    // Scratch reuse changes nothing: tag twice with the same buffers.
    let mut scratch = Scratch::new();
    let mut out = Vec::new();
    tagger.tag_with("Mali’s UN, 13,000 and six million", &mut scratch, &mut out);
    tagger.tag_with(&text, &mut scratch, &mut out);
    assert_eq!(out, spans);
});
