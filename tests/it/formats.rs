//! `tagbench convert`, and `score` and `eval` on other formats, end to end on the real binary:
//!
//! - every format round-trips the gold (five documents, 215 mentions) and a small fixture of
//!   non-ASCII, astral-plane, CRLF and empty texts (`tests/data/formats/`): csv -> F -> csv
//!   gives the same rows (without norms for conll and doccano, which have no place for them);
//! - Label Studio offsets are UTF-16 code units, checked independently of the reader;
//! - `score` and `eval` read gold and predictions in any format and give the counts of the
//!   CSV files;
//! - bad inputs of every format are cases of `tests/it/bad_input.rs`.

use crate::common;
use common::{repo, stderr, stdout, tagbench, tagbench_in};

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tagbench::{AnnotationSet, LabelSet};
use tempfile::TempDir;

const GOLD: &str = "gold/annotations.csv";
const GOLD_TEXTS: &str = "gold/texts";
const FIXTURE: &str = "tests/data/formats/annotations.csv";
const FIXTURE_TEXTS: &str = "tests/data/formats/texts";

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).expect("create folder");
    }
    fs::write(&p, bytes).expect("write file");
    p
}

/// A way through another format and back to CSV.
struct Via {
    name: &'static str,
    /// The output's name in the temporary folder (its extension tells the format, unless
    /// `to` names it).
    file: &'static str,
    /// Extra arguments of csv -> F.
    to: &'static [&'static str],
    /// Extra arguments of F -> csv (`{texts}` is replaced by the texts folder).
    back: &'static [&'static str],
    keeps_norms: bool,
}

const VIAS: &[Via] = &[
    Via {
        name: "csv",
        file: "out.csv",
        to: &[],
        back: &["--texts", "{texts}"],
        keeps_norms: true,
    },
    Via {
        name: "brat",
        file: "brat-out",
        to: &[],
        back: &[],
        keeps_norms: true,
    },
    Via {
        name: "conll",
        file: "out.conll",
        to: &[],
        back: &["--texts", "{texts}"],
        keeps_norms: false,
    },
    Via {
        name: "conll (.bio)",
        file: "out.bio",
        to: &[],
        back: &["--texts", "{texts}"],
        keeps_norms: false,
    },
    Via {
        name: "jsonl",
        file: "out.jsonl",
        to: &[],
        back: &[],
        keeps_norms: true,
    },
    Via {
        name: "doccano",
        file: "out.doccano",
        to: &["--to", "doccano"],
        back: &["--from", "doccano"],
        keeps_norms: false,
    },
    Via {
        name: "labelstudio",
        file: "out.json",
        to: &[],
        back: &[],
        keeps_norms: true,
    },
    Via {
        name: "labelstudio predictions",
        file: "out.json",
        to: &["--ls-results", "predictions"],
        back: &["--ls-results", "predictions"],
        keeps_norms: true,
    },
];

/// A row without its norm: `(doc, start, end, label, text)`.
type Row = (String, usize, usize, String, String);

/// Every row without its norm, and every row's position with its norm.
fn rows(csv: &[u8]) -> (Vec<Row>, Vec<String>) {
    let labels = LabelSet::read(&repo().join("gold/labels.toml")).expect("gold/labels.toml");
    let set = AnnotationSet::from_bytes(csv, &labels).expect("a valid annotations CSV");
    let spans = set
        .iter()
        .map(|a| {
            (
                a.doc.clone(),
                a.span.start,
                a.span.end,
                a.span.label.to_string(),
                a.text.clone(),
            )
        })
        .collect();
    let with_norms = set
        .iter()
        .map(|a| format!("{} {}..{} {}", a.doc, a.span.start, a.span.end, a.span.norm))
        .collect();
    (spans, with_norms)
}

/// csv -> every format -> csv, from the repository root.
fn round_trip_all(csv: &str, texts: &str, mentions: usize) {
    let original = fs::read(repo().join(csv)).unwrap();
    let (spans, norms) = rows(&original);
    assert_eq!(spans.len(), mentions);
    for via in VIAS {
        let tmp = TempDir::new().unwrap();
        let out = tmp.path().join(via.file);
        let back = tmp.path().join("back.csv");
        let mut args = vec!["convert", csv, "--texts", texts];
        args.extend(via.to);
        args.push(path_str(&out));
        let a = tagbench(&args).code(0).stdout("");
        let err = stderr(&a);
        if via.name.starts_with("conll") {
            assert!(
                err.contains(&format!(
                    "conll: wrote {mentions} of {mentions} spans; 0 not representable in BIO"
                )),
                "{}: {err}",
                via.name
            );
        }
        if !via.keeps_norms {
            assert!(
                err.contains("has no place for norms"),
                "{}: {err}",
                via.name
            );
        } else {
            assert!(err.is_empty(), "{}: {err}", via.name);
        }
        let mut args = vec!["convert".to_string(), path_str(&out).to_string()];
        args.extend(via.back.iter().map(|s| s.replace("{texts}", texts)));
        args.push(path_str(&back).to_string());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        tagbench(&args).code(0).stdout("");
        let bytes = fs::read(&back).unwrap();
        let (got_spans, got_norms) = rows(&bytes);
        assert_eq!(got_spans, spans, "{}: spans", via.name);
        if via.keeps_norms {
            assert_eq!(got_norms, norms, "{}: norms", via.name);
            assert_eq!(bytes, original, "{}: byte for byte", via.name);
        } else {
            assert!(
                got_norms.iter().all(|n| n.ends_with(' ')),
                "{}: no norm",
                via.name
            );
        }
    }
}

#[test]
fn every_format_round_trips_the_gold() {
    round_trip_all(GOLD, GOLD_TEXTS, 215);
}

#[test]
fn every_format_round_trips_astral_crlf_and_empty_texts() {
    round_trip_all(FIXTURE, FIXTURE_TEXTS, 15);
}

#[test]
fn brat_output_is_txt_ann_pairs_with_notes_and_a_conf() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("brat");
    tagbench(&["convert", FIXTURE, "--texts", FIXTURE_TEXTS, path_str(&out)]).code(0);
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "annotation.conf",
            "astral.ann",
            "astral.txt",
            "crlf-and-tabs.ann",
            "crlf-and-tabs.txt",
            "empty.ann",
            "empty.txt"
        ]
    );
    let ann = fs::read_to_string(out.join("astral.ann")).unwrap();
    assert!(
        ann.starts_with("T1\tPLACE 3 7\t𝔐ali\n#1\tAnnotatorNotes T1\tMali\n"),
        "{ann}"
    );
    // The second "𝔐ali" has no norm, so no note; notes keep counting after it.
    assert!(
        ann.contains(
            "T9\tPLACE 127 131\t𝔐ali\nT10\tFIGURE 134 136\t49\n#9\tAnnotatorNotes T10\t49\n"
        ),
        "{ann}"
    );
    assert_eq!(fs::read_to_string(out.join("empty.ann")).unwrap(), "");
    for doc in ["astral", "crlf-and-tabs", "empty"] {
        assert_eq!(
            fs::read(out.join(format!("{doc}.txt"))).unwrap(),
            fs::read(repo().join(FIXTURE_TEXTS).join(format!("{doc}.txt"))).unwrap(),
            "{doc}.txt byte for byte"
        );
    }
    // One pair reads on its own.
    let back = tmp.path().join("one.jsonl");
    tagbench(&[
        "convert",
        path_str(&out.join("astral.ann")),
        path_str(&back),
    ])
    .code(0);
    let line = fs::read_to_string(&back).unwrap();
    assert!(
        line.starts_with("{\"id\":\"astral\",\"text\":\"Le 𝔐ali"),
        "{line}"
    );
}

#[test]
fn labelstudio_offsets_are_utf16_code_units() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("ls.json");
    tagbench(&["convert", FIXTURE, "--texts", FIXTURE_TEXTS, path_str(&out)]).code(0);
    let tasks: Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    let mut checked = 0;
    for t in tasks.as_array().unwrap() {
        let text: Vec<u16> = t["data"]["text"].as_str().unwrap().encode_utf16().collect();
        for r in t["annotations"][0]["result"].as_array().unwrap() {
            let v = &r["value"];
            let (s, e) = (
                v["start"].as_u64().unwrap() as usize,
                v["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                String::from_utf16(&text[s..e]).unwrap(),
                v["text"].as_str().unwrap(),
                "{v}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 15);
    // 𝔐 is two code units: the code-point span 3..7 is 3..8 in UTF-16.
    let first = &tasks[0]["annotations"][0]["result"][0];
    assert_eq!(first["value"]["start"], 3);
    assert_eq!(first["value"]["end"], 8);
    assert_eq!(first["meta"]["text"][0], "Mali");
}

#[test]
fn csv_output_can_write_the_texts_too() {
    let tmp = TempDir::new().unwrap();
    let jsonl = tmp.path().join("in.jsonl");
    tagbench(&[
        "convert",
        FIXTURE,
        "--texts",
        FIXTURE_TEXTS,
        path_str(&jsonl),
    ])
    .code(0);
    let csv = tmp.path().join("out.csv");
    let texts = tmp.path().join("texts");
    tagbench(&[
        "convert",
        path_str(&jsonl),
        path_str(&csv),
        "--texts-out",
        path_str(&texts),
    ])
    .code(0)
    .stderr("");
    assert_eq!(
        fs::read(&csv).unwrap(),
        fs::read(repo().join(FIXTURE)).unwrap()
    );
    for doc in ["astral", "crlf-and-tabs", "empty"] {
        assert_eq!(
            fs::read(texts.join(format!("{doc}.txt"))).unwrap(),
            fs::read(repo().join(FIXTURE_TEXTS).join(format!("{doc}.txt"))).unwrap(),
        );
    }
}

#[test]
fn conll_export_reports_the_spans_it_cannot_represent() {
    let tmp = TempDir::new().unwrap();
    write(
        tmp.path(),
        "texts/d.txt",
        "Kremlin-linked Wagner met Assimi Goïta. The UN left.\n",
    );
    // 0..7 Kremlin: fine (the hyphen is a token); 15..19 "Wagn": inside a token;
    // 26..38 "Assimi Goïta" and 33..38 "Goïta": overlap; 33..43 "Goïta. The": crosses the
    // sentence end.
    write(
        tmp.path(),
        "pred.csv",
        "doc,start,end,label,text,norm\n\
         d,0,7,ACTOR,Kremlin,Kremlin\n\
         d,15,19,ACTOR,Wagn,\n\
         d,26,38,ACTOR,Assimi Goïta,Assimi Goïta\n\
         d,33,38,ACTOR,Goïta,\n\
         d,33,43,ACTOR,Goïta. The,\n",
    );
    let a = tagbench_in(
        tmp.path(),
        &["convert", "pred.csv", "--texts", "texts", "pred.conll"],
    )
    .code(0)
    .stdout("");
    let err = stderr(&a);
    assert!(
        err.contains("tagbench: conll: wrote 2 of 5 spans; 3 not representable in BIO (1 boundary inside a token, 1 crosses a sentence boundary, 1 overlaps another span)"),
        "{err}"
    );
    assert!(
        err.contains("  d 15..19 ACTOR \"Wagn\": boundary inside a token"),
        "{err}"
    );
    assert!(
        err.contains("  d 33..38 ACTOR \"Goïta\": overlaps another span"),
        "{err}"
    );
    assert!(
        err.contains("tagbench: conll has no place for norms: 2 norms not written"),
        "{err}"
    );
    let bio = fs::read_to_string(tmp.path().join("pred.conll")).unwrap();
    assert!(
        bio.contains("Kremlin\tB-ACTOR\n-\tO\nlinked\tO\nWagner\tO\n"),
        "{bio}"
    );
    assert!(
        bio.contains("Assimi\tB-ACTOR\nGoïta\tI-ACTOR\n.\tO\n\nThe\tO\n"),
        "{bio}"
    );
}

/// Strict, exact, partial and type counts of a JSON report (norms aside: conll and doccano
/// drop them).
fn boundary_schemes(report: &Value) -> Value {
    let s = &report["schemes"];
    serde_json::json!([s["strict"], s["exact"], s["partial"], s["type"]])
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("stdout is JSON")
}

#[test]
fn score_reads_gold_and_predictions_in_any_format() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let pred_csv = dir.join("pred.csv");
    tagbench(&["tag", GOLD_TEXTS, "--out", path_str(&pred_csv)]).code(0);
    let reference = json(
        &tagbench(&[
            "score",
            "--gold",
            GOLD,
            "--pred",
            path_str(&pred_csv),
            "--texts",
            GOLD_TEXTS,
            "--format",
            "json",
        ])
        .code(0)
        .get_output()
        .stdout,
    );
    // Each format, for the gold and for the predictions.
    let outs = [
        ("csv", "x.csv", true),
        ("brat", "x-brat", true),
        ("conll", "x.conll", false),
        ("jsonl", "x.jsonl", true),
        ("doccano", "x.doccano", false),
        ("labelstudio", "x.json", true),
    ];
    let mut paths = Vec::new();
    for (fmt, name, _) in outs {
        for (side, src) in [
            ("gold", GOLD.to_string()),
            ("pred", path_str(&pred_csv).to_string()),
        ] {
            let out = dir.join(format!("{side}-{name}"));
            tagbench(&[
                "convert",
                &src,
                "--texts",
                GOLD_TEXTS,
                "--to",
                fmt,
                path_str(&out),
            ])
            .code(0);
            paths.push(((side, fmt), out));
        }
    }
    let get = |side: &str, fmt: &str| -> String {
        paths
            .iter()
            .find(|((s, f), _)| *s == side && *f == fmt)
            .map(|(_, p)| path_str(p).to_string())
            .unwrap()
    };
    for (gold_fmt, _, gold_norms) in outs {
        for (pred_fmt, _, pred_norms) in outs {
            let (g, p) = (get("gold", gold_fmt), get("pred", pred_fmt));
            let mut args = vec![
                "score",
                "--gold",
                &g,
                "--pred",
                &p,
                "--gold-format",
                gold_fmt,
                "--pred-format",
                pred_fmt,
                "--format",
                "json",
            ];
            // CSV needs its texts; conll reads against them when a side is csv.
            if gold_fmt == "csv"
                || pred_fmt == "csv"
                || (gold_fmt == "conll") != (pred_fmt == "conll")
            {
                args.extend(["--texts", GOLD_TEXTS]);
            }
            let a = tagbench(&args).code(0).stderr("");
            let report = json(&a.get_output().stdout);
            let case = format!("gold {gold_fmt}, pred {pred_fmt}");
            assert_eq!(
                boundary_schemes(&report),
                boundary_schemes(&reference),
                "{case}"
            );
            if gold_norms && pred_norms {
                assert_eq!(
                    report["schemes"]["norm"], reference["schemes"]["norm"],
                    "{case}"
                );
            }
            if gold_fmt != "conll" || pred_fmt != "conll" {
                // Same texts, same offsets: the error list is the same too (norms aside).
                let kinds = |r: &Value| -> Vec<(Value, Value)> {
                    r["errors"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|e| e["kind"] != "wrong_norm")
                        .map(|e| (e["doc"].clone(), e["gold"]["start"].clone()))
                        .collect()
                };
                assert_eq!(kinds(&report), kinds(&reference), "{case}");
            }
        }
    }
}

#[test]
fn score_of_two_conll_files_without_texts_uses_the_rebuilt_text() {
    let tmp = TempDir::new().unwrap();
    let g = tmp.path().join("g.conll");
    tagbench(&["convert", GOLD, path_str(&g)]).code(0);
    let a = tagbench(&[
        "score",
        "--gold",
        path_str(&g),
        "--pred",
        path_str(&g),
        "--format",
        "json",
    ])
    .code(0);
    let report = json(&a.get_output().stdout);
    let strict = &report["schemes"]["strict"]["overall"];
    assert_eq!(
        (strict["correct"].as_u64(), strict["f1"].as_f64()),
        (Some(215), Some(1.0))
    );
    // The error context comes from the rebuilt text: tokens joined by spaces.
    let p = tmp.path().join("p.csv");
    write(tmp.path(), "p.csv", "doc,start,end,label,text,norm\n");
    let err = stderr(&tagbench(&["score", "--gold", path_str(&g), "--pred", path_str(&p)]).code(2));
    assert!(err.contains("its text rebuilt from the tokens"), "{err}");
}

#[test]
fn gold_written_in_every_tag_scheme_scores_the_same() {
    // The gold converted to CoNLL in each scheme: scored against its IOB2 export with the
    // scheme detected, and converted back with the scheme named under either chunking, every
    // mention comes back.
    let tmp = TempDir::new().unwrap();
    let bio = tmp.path().join("bio.conll");
    tagbench(&["convert", GOLD, path_str(&bio)]).code(0);
    let bio_back = tmp.path().join("bio.csv");
    tagbench(&[
        "convert",
        path_str(&bio),
        path_str(&bio_back),
        "--texts",
        GOLD_TEXTS,
    ])
    .code(0);
    let score = |f: &Path, extra: &[&str]| -> (u64, u64) {
        let mut args = vec![
            "score",
            "--gold",
            path_str(&bio),
            "--pred",
            path_str(f),
            "--texts",
            GOLD_TEXTS,
            "--format",
            "json",
        ];
        args.extend(extra);
        let report = json(&tagbench(&args).code(0).get_output().stdout);
        let strict = &report["schemes"]["strict"]["overall"];
        (
            strict["correct"].as_u64().unwrap(),
            strict["actual"].as_u64().unwrap(),
        )
    };
    for scheme in ["iob1", "iob2", "ioe1", "ioe2", "iobes", "bilou"] {
        let f = tmp.path().join(format!("{scheme}.conll"));
        tagbench(&["convert", GOLD, path_str(&f), "--tag-scheme", scheme]).code(0);
        assert_eq!(score(&f, &[]), (215, 215), "{scheme} detected");
        // IOB1 and IOE1 files with a B or an E read as IOB2 and IOE2 unless named: the same
        // chunks for conlleval, fewer under strict chunking.
        let strict = score(&f, &["--chunking", "strict"]);
        if matches!(scheme, "iob1" | "ioe1") {
            assert!(strict.0 < 215, "{scheme}: {strict:?}");
        } else {
            assert_eq!(strict, (215, 215), "{scheme} strict");
        }
        for chunking in ["conlleval", "strict"] {
            let back = tmp.path().join(format!("{scheme}-{chunking}.csv"));
            tagbench(&[
                "convert",
                path_str(&f),
                path_str(&back),
                "--texts",
                GOLD_TEXTS,
                "--from-tag-scheme",
                scheme,
                "--chunking",
                chunking,
            ])
            .code(0);
            assert!(
                fs::read(&back).unwrap() == fs::read(&bio_back).unwrap(),
                "{scheme} {chunking}: {} differs from {}",
                back.display(),
                bio_back.display()
            );
        }
    }
    // A named scheme refuses the tags of another.
    let f = tmp.path().join("ioe2.conll");
    let mut args = vec!["score", "--gold", path_str(&bio), "--pred", path_str(&f)];
    args.extend(["--texts", GOLD_TEXTS, "--tag-scheme", "ioe2"]);
    let err = stderr(&tagbench(&args).code(2));
    assert!(
        err.contains("bio.conll:3: field `tag`: tag \"B-PLACE\" is not in the ioe2 tag scheme"),
        "{err}"
    );
}

#[test]
fn chunking_modes_differ_on_a_tag_that_starts_a_chunk_after_o() {
    // The README's example: `I-PLACE` after `O` is a chunk for conlleval, not in strict IOB2.
    let tmp = TempDir::new().unwrap();
    let g = write(
        tmp.path(),
        "g.conll",
        "-DOCSTART-\td\n\nUN\tB-ACTOR\ntroops\tO\nleft\tO\nMali\tB-PLACE\n",
    );
    let p = write(
        tmp.path(),
        "p.conll",
        "-DOCSTART-\td\n\nUN\tB-ACTOR\ntroops\tO\nleft\tO\nMali\tI-PLACE\n",
    );
    let mut got = Vec::new();
    for chunking in ["conlleval", "strict"] {
        let a = tagbench(&[
            "score",
            "--gold",
            path_str(&g),
            "--pred",
            path_str(&p),
            "--tag-scheme",
            "iob2",
            "--chunking",
            chunking,
            "--format",
            "json",
        ])
        .code(0);
        let strict = json(&a.get_output().stdout)["schemes"]["strict"]["overall"].clone();
        got.push((
            strict["correct"].as_u64().unwrap(),
            strict["actual"].as_u64().unwrap(),
            strict["possible"].as_u64().unwrap(),
        ));
    }
    assert_eq!(got, [(2, 2, 2), (1, 1, 2)]);
    // The flags are refused where no input is conll.
    let err = stderr(
        &tagbench(&[
            "score",
            "--gold",
            GOLD,
            "--pred",
            GOLD,
            "--texts",
            GOLD_TEXTS,
            "--chunking",
            "strict",
        ])
        .code(2),
    );
    assert!(err.contains("are for conll input"), "{err}");
}

#[test]
fn eval_reads_the_gold_in_any_format() {
    let reference = json(
        &tagbench(&["eval", "--format", "json"])
            .code(0)
            .get_output()
            .stdout,
    );
    let tmp = TempDir::new().unwrap();
    // The gold's labels.toml beside it (inside a brat folder) declares the labels' order
    // and FIGURE's integer norms, as gold/labels.toml does for the gold folder.
    let labels = fs::read(repo().join("gold/labels.toml")).unwrap();
    fs::write(tmp.path().join("labels.toml"), &labels).unwrap();
    for name in ["g.jsonl", "g.json", "g-brat"] {
        let out = tmp.path().join(name);
        tagbench(&["convert", GOLD, path_str(&out)]).code(0);
        if out.is_dir() {
            fs::write(out.join("labels.toml"), &labels).unwrap();
        }
        let a = tagbench(&["eval", "--gold", path_str(&out), "--format", "json"]).code(0);
        assert_eq!(json(&a.get_output().stdout), reference, "{name}");
    }
    // A csv gold file takes gold/texts unless told otherwise.
    let a = tagbench(&["eval", "--gold", GOLD, "--format", "json"]).code(0);
    assert_eq!(json(&a.get_output().stdout), reference, "csv");
}

#[test]
fn bom_and_crlf_are_accepted_by_every_reader() {
    let tmp = TempDir::new().unwrap();
    let d = tmp.path();
    write(d, "texts/d.txt", "Mali and the UN.\r\n");
    write(
        d,
        "in.csv",
        "\u{feff}doc,start,end,label,text,norm\r\nd,0,4,PLACE,Mali,Mali\r\n",
    );
    write(d, "in.jsonl", "\u{feff}{\"id\":\"d\",\"text\":\"Mali and the UN.\\r\\n\",\"spans\":[{\"start\":0,\"end\":4,\"label\":\"PLACE\",\"norm\":\"Mali\"}]}\r\n");
    write(d, "in.doccano", "\u{feff}{\"id\":\"d\",\"text\":\"Mali and the UN.\\r\\n\",\"label\":[[0,4,\"PLACE\"]]}\r\n");
    write(d, "in.json", "\u{feff}[{\"data\":{\"doc\":\"d\",\"text\":\"Mali and the UN.\\r\\n\"},\r\n\"annotations\":[{\"result\":[{\"value\":{\"start\":0,\"end\":4,\"labels\":[\"PLACE\"]},\"meta\":{\"text\":[\"Mali\"]}}]}]}]\r\n");
    write(
        d,
        "in.conll",
        "\u{feff}-DOCSTART-\td\r\n\r\nMali\tB-PLACE\r\nand\tO\r\nthe\tO\r\nUN\tO\r\n.\tO\r\n\r\n",
    );
    write(d, "brat/d.txt", "Mali and the UN.\r\n");
    write(
        d,
        "brat/d.ann",
        "\u{feff}T1\tPLACE 0 4\tMali\r\n#1\tAnnotatorNotes T1\tMali\r\n",
    );
    let cases: [(&str, &[&str]); 6] = [
        ("in.csv", &["--texts", "texts"]),
        ("in.jsonl", &[]),
        ("in.doccano", &["--from", "doccano"]),
        ("in.json", &[]),
        ("in.conll", &["--texts", "texts"]),
        ("brat", &[]),
    ];
    for (input, extra) in cases {
        let mut args = vec!["convert", input];
        args.extend(extra);
        args.push("out.csv");
        tagbench_in(d, &args).code(0);
        let out = fs::read_to_string(d.join("out.csv")).unwrap();
        assert!(
            out.starts_with("doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,"),
            "{input}: {out}"
        );
    }
}

#[test]
fn convert_help_lists_the_formats() {
    let out = stdout(&tagbench(&["convert", "--help"]).code(0));
    for f in ["csv", "brat", "conll", "jsonl", "doccano", "labelstudio"] {
        assert!(out.contains(f), "{f} not in convert --help:\n{out}");
    }
}

#[test]
fn convert_reads_its_input_as_any_gold_is_read() {
    let tmp = TempDir::new().unwrap();
    let d = tmp.path();
    // The gold folder, its CSV (texts beside it) and its CSV with the texts named.
    let spellings: [&[&str]; 3] = [&["gold"], &[GOLD], &[GOLD, "--texts", GOLD_TEXTS]];
    let mut outs = Vec::new();
    for (i, input) in spellings.iter().enumerate() {
        let out = d.join(format!("{i}.jsonl"));
        let args: Vec<&str> = ["convert"]
            .into_iter()
            .chain(input.iter().copied())
            .chain([path_str(&out)])
            .collect();
        tagbench(&args).code(0);
        outs.push(fs::read(&out).unwrap());
    }
    assert!(
        outs.iter().all(|o| o == &outs[0]),
        "same JSONL from every spelling"
    );
    // Run elsewhere: a CSV finds the texts beside it, not ./gold/texts.
    write(d, "elsewhere/texts/d.txt", "Mali and the UN.");
    write(
        d,
        "elsewhere/a.csv",
        "doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\n",
    );
    tagbench_in(d, &["convert", "elsewhere/a.csv", "out.jsonl"]).code(0);
    let jsonl = fs::read_to_string(d.join("out.jsonl")).unwrap();
    assert!(jsonl.contains("\"text\":\"Mali and the UN.\""), "{jsonl}");
    // --texts that differ from a gold folder's own are refused.
    write(d, "other/d.txt", "Mila and the UN.");
    write(d, "g/texts/d.txt", "Mali and the UN.");
    write(
        d,
        "g/annotations.csv",
        "doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\n",
    );
    let err = stderr(&tagbench_in(d, &["convert", "g", "--texts", "other", "x.jsonl"]).code(2));
    assert!(
        err.contains("document \"d\" has different texts in g and in --texts"),
        "{err}"
    );
}

/// Line numbers in errors stay right after CRLF line ends: in each text format, a file whose
/// lines end in `\r\n` with an error on line 3 is named at line 3 (the `csv` crate counts
/// one line too few after `\r\n`; tagbench counts them itself).
#[test]
fn errors_after_crlf_line_ends_name_the_right_line() {
    let tmp = TempDir::new().unwrap();
    let d = tmp.path();
    write(d, "texts/d.txt", "Mali and the UN met.\n");
    write(d, "brat/d.txt", "Mali and the UN met.\n");
    // (name, file, its bytes, extra arguments, what the message says after `FILE:3: `)
    let rows: [(&str, &str, &str, &[&str], &str); 6] = [
        (
            "annotations csv",
            "a.csv",
            "doc,start,end,label,text,norm\r\nd,0,4,PLACE,Mali,Mali\r\nd,x,15,ACTOR,UN,\r\n",
            &["--texts", "texts"],
            "field `start`: not a non-negative integer: \"x\"",
        ),
        (
            "csv row too short",
            "b.csv",
            "doc,start,end,label,text,norm\r\nd,0,4,PLACE,Mali,Mali\r\nd,13,15,ACTOR\r\n",
            &["--texts", "texts"],
            "expected 6 fields, found 4",
        ),
        (
            "jsonl",
            "a.jsonl",
            "{\"id\":\"a\",\"text\":\"Mali\",\"spans\":[]}\r\n{\"id\":\"b\",\"text\":\"Mali\",\"spans\":[]}\r\n{\"id\":\"c\",\"text\":\"Mali\",\"spans\":[{\"start\":0,\"end\":9,\"label\":\"PLACE\"}]}\r\n",
            &[],
            "field `spans[0]`: span 0..9 is past the end of document \"c\"",
        ),
        (
            "doccano",
            "a.doccano.jsonl",
            "{\"text\":\"Mali\",\"label\":[[0,4,\"PLACE\"]]}\r\n{\"text\":\"Mali\",\"label\":[]}\r\n{\"text\":\"Mali\",\"label\":[[0,9,\"PLACE\"]]}\r\n",
            &["--from", "doccano"],
            "field `label[0]`: span 0..9 is past the end",
        ),
        (
            "conll",
            "a.conll",
            "Mali\tB-PLACE\r\nand\tO\r\nthe\tX-FOO\r\n",
            &[],
            "field `tag`: expected O, or B, I, E, S, L or U",
        ),
        (
            "brat",
            "brat/d.ann",
            "T1\tPLACE 0 4\tMali\r\nT2\tACTOR 13 15\tUN\r\nT3\tPLACE 0 x\tMali\r\n",
            &[],
            "field `offsets`: not a non-negative integer: \"x\"",
        ),
    ];
    for (name, file, bytes, extra, want) in rows {
        write(d, file, bytes);
        let input = if file.starts_with("brat/") {
            "brat"
        } else {
            file
        };
        let mut args = vec!["convert", input, "out.jsonl"];
        args.extend_from_slice(extra);
        let a = tagbench_in(d, &args).code(2);
        let err = stderr(&a);
        let shown = if input == "brat" { "brat/d.ann" } else { file };
        assert!(
            err.starts_with(&format!("tagbench: error: {shown}:3: {want}")),
            "{name}: {err}"
        );
        // The same file with LF line ends gives the same line.
        write(d, file, bytes.replace("\r\n", "\n"));
        let lf = stderr(&tagbench_in(d, &args).code(2));
        assert_eq!(lf, err, "{name}");
    }
    // A gazetteer (its own CSV reader).
    write(
        d,
        "g.csv",
        "term,label,norm\r\nMali,PLACE,Mali\r\n,ACTOR,United Nations\r\n",
    );
    write(
        d,
        "v.toml",
        "description = \"t\"\ngazetteers = [\"g.csv\"]\n",
    );
    let err = stderr(&tagbench_in(d, &["tag", "--variant", "v.toml", "texts"]).code(2));
    assert!(err.starts_with("tagbench: error: g.csv:3: "), "{err}");
}
