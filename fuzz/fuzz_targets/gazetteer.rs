//! The gazetteer loader on arbitrary bytes, and a tagger built from whatever it accepts:
//! no panic, no build error for a valid gazetteer, and the spans found in a text made of the
//! terms themselves obey the tagger's invariants.

#![no_main]

mod common;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tagbench::{Gazetteer, Tagger};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the tagger's options, the rest is the file.
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let mut g = Gazetteer::new();
    if g.add_csv(Path::new("fuzz.csv"), file).is_err() || g.is_empty() {
        return;
    }
    let options = common::all_options();
    let opts = options[pick as usize % options.len()].clone();
    let tagger = Tagger::builder()
        .options(opts)
        .build(&g)
        .expect("a gazetteer that loads builds");
    // The terms, separated by what separates words, then upper-cased.
    let seps = [" ", ", ", "\n", "’s ", "-", "\u{a0}"];
    let mut text = String::new();
    for (i, e) in g.entries().iter().enumerate() {
        text.push_str(&e.term);
        text.push_str(seps[i % seps.len()]);
    }
    let upper = text.to_uppercase();
    for t in [&text, &upper] {
        let spans = tagger.tag(t);
        common::check_spans(&tagger, t, &spans);
    }
});
