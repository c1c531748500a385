//! Streaming `tag`: chunked tagging equals whole-text tagging, JSONL equals files, the output
//! does not depend on the number of threads, and bad streams say where.

use crate::common;

use std::path::Path;

use common::{repo, stderr, stdout, tagbench, tagbench_in};
use proptest::prelude::*;
use tagbench::stream::{ChunkReader, Input, OutputFormat, PredictionWriter};
use tagbench::variant::Variant;
use tagbench::{Corpus, Tagger};

/// Rows of `text` tagged whole, as `tag_corpus` and the CSV writer give them.
fn whole(tagger: &Tagger, id: &str, text: &str) -> String {
    let corpus = Corpus::from_documents(vec![tagbench::Document {
        id: id.to_string(),
        text: text.to_string(),
    }])
    .unwrap();
    let mut out = Vec::new();
    tagger.tag_corpus(&corpus).write(&mut out).unwrap();
    let s = String::from_utf8(out).unwrap();
    s.split_once('\n').unwrap().1.to_string()
}

/// Rows of the file at `path` tagged in chunks of about `chunk` bytes, as the writer of `tag`
/// writes them (without the header).
fn chunked(tagger: &Tagger, path: &Path, chunk: usize) -> (String, usize) {
    let mut r = ChunkReader::new(vec![Input::Text(path.to_path_buf())], chunk);
    let mut w = PredictionWriter::new(Vec::new(), OutputFormat::Csv).unwrap();
    let mut chunks = 0;
    while let Some(c) = r.next_chunk().unwrap() {
        w.write(&c, &tagger.tag(&c.text)).unwrap();
        chunks += 1;
    }
    let s = String::from_utf8(w.finish().unwrap()).unwrap();
    (s.split_once('\n').unwrap().1.to_string(), chunks)
}

/// Every variant but world-places (slow to build in debug; same code paths as default),
/// built once.
fn variants() -> &'static [(String, Tagger)] {
    static TAGGERS: std::sync::OnceLock<Vec<(String, Tagger)>> = std::sync::OnceLock::new();
    TAGGERS.get_or_init(|| {
        let dir = repo().join("variants");
        Variant::names(&dir)
            .unwrap()
            .into_iter()
            .filter(|n| n != "world-places")
            .map(|n| {
                let t = Variant::resolve(&n, &dir).unwrap().build().unwrap();
                (n, t)
            })
            .collect()
    })
}

#[test]
fn gold_texts_cut_at_every_paragraph_tag_like_whole_texts() {
    let corpus = Corpus::read_dir(&repo().join("gold/texts")).unwrap();
    for (name, tagger) in variants() {
        for d in corpus.documents() {
            let path = repo().join("gold/texts").join(format!("{}.txt", d.id));
            let (rows, pieces) = chunked(tagger, &path, 1);
            let paragraphs = d.text.matches("\n\n").count();
            assert!(pieces > paragraphs / 2, "{}: {pieces} pieces only", d.id);
            assert_eq!(rows, whole(tagger, &d.id, &d.text), "{name} on {}", d.id);
        }
    }
}

const WORDS: &[&str] = &[
    "Mali",
    "Bamako",
    "UN",
    "Security",
    "Council",
    "Assimi",
    "Goïta",
    "Wagner",
    "Group",
    "49",
    "13,000",
    "June",
    "30",
    "2013",
    "in",
    "one",
    "no",
    "six",
    "million",
    "hundreds",
    "of",
    "thousands",
    "’s",
    "é",
    "the",
    "said",
    "forty-nine",
    "MINUSMA",
];
/// Separators, with every kind of paragraph break (see `src/text.rs`) and near misses.
const SEPS: &[&str] = &[
    " ",
    " ",
    "\n",
    "\n\n",
    "\r\n\r\n",
    "\n\n\n",
    ", ",
    ". ",
    "  ",
    "\n \n",
    "\r\r",
    "\n\r",
    "\n\u{a0}\t\n",
    "\n.\n",
    "\r\n",
    "\u{2028}\u{2029}",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (prop::sample::select(WORDS), prop::sample::select(SEPS)),
        0..60,
    )
    .prop_map(|v| v.into_iter().map(|(w, s)| format!("{w}{s}")).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_text_cut_at_paragraphs_tags_like_the_whole(t in text(), chunk in 1usize..200) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.txt");
        std::fs::write(&path, &t).unwrap();
        for (name, tagger) in variants() {
            let (rows, _) = chunked(tagger, &path, chunk);
            prop_assert_eq!(rows, whole(tagger, "doc", &t), "{}", name);
        }
    }
}

/// The gold texts as JSONL, with their ids.
fn gold_jsonl() -> String {
    let corpus = Corpus::read_dir(&repo().join("gold/texts")).unwrap();
    let mut s = String::new();
    for d in corpus.documents() {
        s.push_str(&serde_json::json!({"id": d.id, "text": d.text, "extra": 1}).to_string());
        s.push('\n');
    }
    s
}

#[test]
fn jsonl_files_stdin_and_thread_counts_give_the_same_bytes() {
    let from_folder = stdout(&tagbench(&["tag", "gold/texts"]).success());
    assert!(from_folder.lines().count() > 200);
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("gold.jsonl");
    std::fs::write(&jsonl, gold_jsonl()).unwrap();
    let j = jsonl.to_str().unwrap();
    for threads in ["1", "2", "3"] {
        for batch in ["1", "16"] {
            let a = tagbench(&["tag", "--threads", threads, "--batch-mib", batch, j]).success();
            assert_eq!(stdout(&a), from_folder, "{threads} threads, batch {batch}");
        }
    }
    let a = assert_cmd::Command::cargo_bin("tagbench")
        .unwrap()
        .current_dir(repo())
        .args(["tag", "-"])
        .write_stdin(gold_jsonl())
        .assert()
        .success();
    assert_eq!(stdout(&a), from_folder);
}

#[test]
fn out_file_and_stats() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pred.csv");
    let a = tagbench(&[
        "tag",
        "--stats",
        "--out",
        out.to_str().unwrap(),
        "gold/texts",
    ])
    .success();
    assert!(stdout(&a).is_empty());
    let e = stderr(&a);
    assert!(e.contains("tagged 5 documents"), "{e}");
    // On Linux the line ends with the peak RSS, in MB (whole, not zero).
    if cfg!(target_os = "linux") {
        let mb = e
            .trim_end()
            .strip_suffix(" MB")
            .and_then(|s| s.rsplit_once(", peak RSS "))
            .and_then(|(_, n)| n.parse::<u64>().ok());
        assert!(mb.is_some_and(|mb| mb > 0), "{e}");
    }
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, stdout(&tagbench(&["tag", "gold/texts"]).success()));
    // Nothing else is left in the folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn jsonl_output_scores_like_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("pred.csv");
    let jsonl = dir.path().join("pred.jsonl");
    let other = dir.path().join("pred.out");
    for (out, to) in [(&csv, None), (&jsonl, None), (&other, Some("jsonl"))] {
        let mut args = vec!["tag", "--out", out.to_str().unwrap(), "gold/texts"];
        if let Some(to) = to {
            args.extend(["--to", to]);
        }
        tagbench(&args).success();
    }
    let lines = std::fs::read_to_string(&jsonl).unwrap();
    assert_eq!(lines.lines().count(), 5, "one line a document");
    assert!(lines.starts_with("{\"id\":\""), "{}", &lines[..40]);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), lines);
    let score = |p: &Path| {
        stdout(&tagbench(&["score", "--pred", p.to_str().unwrap(), "--format", "json"]).success())
    };
    let from_csv = score(&csv);
    assert!(from_csv.contains("\"strict\""), "{from_csv}");
    assert_eq!(score(&jsonl), from_csv);
}

#[test]
fn bad_streams_say_where() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("bad.jsonl"),
        "{\"id\": \"a\", \"text\": \"Mali\"}\n{\"id\": 3}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("dup.jsonl"),
        "{\"id\": \"a\", \"text\": \"x\"}\n\n{\"id\": \"a\", \"text\": \"y\"}\n",
    )
    .unwrap();
    std::fs::write(d.join("utf8.jsonl"), b"{\"text\": \"\xff\"}\n").unwrap();
    std::fs::write(d.join("bad.txt"), b"Mali\n\nBamako \xff\n").unwrap();
    std::fs::create_dir(d.join("empty")).unwrap();
    let out = d.join("out.csv");
    std::fs::write(&out, "keep me").unwrap();
    let cases: &[(&[&str], &[&str])] = &[
        (&["tag", "bad.jsonl"], &["bad.jsonl:2", "text"]),
        (&["tag", "dup.jsonl"], &["dup.jsonl:3", "\"a\"", "line 1"]),
        (&["tag", "utf8.jsonl"], &["utf8.jsonl:1", "invalid UTF-8"]),
        (&["tag", "bad.txt"], &["bad.txt:3", "invalid UTF-8"]),
        (&["tag", "empty"], &["empty", "no .txt files"]),
        (&["tag", "nowhere.txt"], &["nowhere.txt", "no such file"]),
        (
            &["tag", "--threads", "2", "-o", "out.csv", "bad.jsonl"],
            &["bad.jsonl:2"],
        ),
    ];
    let variants = repo().join("variants");
    for (args, wants) in cases {
        let mut args = args.to_vec();
        args.extend(["--variants-dir", variants.to_str().unwrap()]);
        let a = tagbench_in(d, &args).code(2);
        let e = stderr(&a);
        for w in *wants {
            assert!(e.contains(w), "{args:?}: {w:?} not in {e:?}");
        }
    }
    // The failed run left the existing output as it was, and no temporary file.
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    let names: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !names.iter().any(|n| n.to_string_lossy().contains(".tmp")),
        "{names:?}"
    );
}

#[test]
fn context_does_not_cross_a_paragraph_break() {
    // Whole, "June" would make "30" a date and "in" would make "2013" a year; cut at the
    // blank lines, the chunks cannot see them. The recogniser forgets the previous word at a
    // paragraph break, so both readings agree (and "30" and "2013" are counts).
    let text = "They left in June\n\n30 soldiers stayed.\n\nThey came in\n\n2013 soldiers, no\n\none more.";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.txt");
    std::fs::write(&path, text).unwrap();
    for (name, tagger) in variants() {
        let (rows, pieces) = chunked(tagger, &path, 1);
        assert_eq!(pieces, 5);
        assert_eq!(rows, whole(tagger, "doc", text), "{name}");
        if name.as_str() == "default" {
            assert!(rows.contains(",30,"), "{rows}");
            assert!(rows.contains(",2013,"), "{rows}");
        }
    }
}
