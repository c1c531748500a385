//! The big versions of `tests/it/hostile.rs`, for measuring in release mode (peak memory with
//! `/usr/bin/time -v`):
//!
//! ```sh
//! cargo run --release --example hostile -- gazetteer 1000000   # build a 1M-term tagger
//! cargo run --release --example hostile -- line 100            # 100 MB of news, one line
//! cargo run --release --example hostile -- digits 100          # 100 MB of "1234567890 "
//! cargo run --release --example hostile -- digit-run 100       # 100 MB of digits, no space
//! cargo run --release --example hostile -- marks 100           # 100 MB of combining marks
//! cargo run --release --example hostile -- letter-marks 100    # "M" and four marks, repeated
//! ```
//!
//! Texts are tagged with the default variant; sizes are in MB (10^6 bytes).

use std::path::Path;
use std::time::Instant;

use tagbench::variant::Variant;
use tagbench::{Corpus, Gazetteer, Tagger, TaggerOptions};

fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes.div_ceil(unit.len()))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (kind, n) = match args.as_slice() {
        [k, n] => (k.as_str(), n.parse::<usize>().expect("a size")),
        _ => {
            eprintln!(
                "usage: hostile gazetteer TERMS | line|digits|digit-run|marks|letter-marks MB"
            );
            std::process::exit(2);
        }
    };
    if kind == "gazetteer" {
        let t0 = Instant::now();
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
            .expect("loads");
        let loaded = t0.elapsed();
        let t1 = Instant::now();
        let t = Tagger::builder()
            .options(TaggerOptions {
                figures: false,
                ..TaggerOptions::default()
            })
            .build(&g)
            .expect("builds");
        let built = t1.elapsed();
        let text = format!(
            "In {} and {}, people met.",
            g.entries()[n / 2].term,
            g.entries()[n - 1].term
        );
        let found = t.tag(&text).len();
        println!(
            "gazetteer {n} terms ({:.1} MB of CSV): load {:.2} s, build {:.2} s ({} patterns), {found} found in a test line",
            csv.len() as f64 / 1e6,
            loaded.as_secs_f64(),
            built.as_secs_f64(),
            t.pattern_count()
        );
        return;
    }
    let bytes = n * 1_000_000;
    let text = match kind {
        "line" => {
            let corpus = Corpus::read_dir(Path::new("gold/texts")).expect("gold texts");
            let news: Vec<String> = corpus
                .documents()
                .iter()
                .map(|d| d.text.replace(['\n', '\r'], " "))
                .collect();
            repeat_to(&(news.join(" ") + " "), bytes)
        }
        "digits" => repeat_to("1234567890 ", bytes),
        "digit-run" => repeat_to("1234567890", bytes),
        "marks" => repeat_to("\u{301}\u{308}\u{323}\u{20DD}\u{1AB0}", bytes),
        "letter-marks" => repeat_to("M\u{301}\u{301}\u{301}\u{301}", bytes),
        other => panic!("unknown kind {other}"),
    };
    let tagger = Variant::resolve("default", Path::new("variants"))
        .expect("the default variant")
        .build()
        .expect("it builds");
    let t = Instant::now();
    let spans = tagger.tag(&text);
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{kind}: {:.1} MB tagged in {secs:.2} s ({:.1} MB/s), {} spans",
        text.len() as f64 / 1e6,
        text.len() as f64 / 1e6 / secs,
        spans.len()
    );
}
