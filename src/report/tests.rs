use serde_json::Value;

use super::*;
use crate::label::Label;
use crate::score::{
    BucketBy, Buckets, Confusion, DocRow, ErrorKind, Mention, PerScheme, Scheme, SchemeCounts,
    SchemeTable,
};

fn l(name: &str) -> Label {
    Label::new(name).unwrap()
}

/// ACTOR, PLACE and FIGURE counts, all three declared.
fn by_label(actor: Counts, place: Counts, figure: Counts) -> SchemeCounts {
    SchemeCounts::from_entries(
        vec![
            (l("ACTOR"), actor),
            (l("PLACE"), place),
            (l("FIGURE"), figure),
        ],
        3,
    )
}

fn k(correct: u64, incorrect: u64, partial: u64, missed: u64, spurious: u64) -> Counts {
    Counts {
        correct,
        incorrect,
        partial,
        missed,
        spurious,
    }
}

fn mention(start: usize, end: usize, label: Label, text: &str, norm: &str) -> Mention {
    Mention {
        start,
        end,
        label,
        text: text.to_string(),
        norm: norm.to_string(),
    }
}

/// A hand-built evaluation: one document, strict counts ACTOR 2/0/0/0/1, PLACE 1/1/0/1/0,
/// FIGURE empty; other schemes differ only where noted.
fn eval() -> Evaluation {
    let strict = by_label(k(2, 0, 0, 0, 1), k(1, 1, 0, 1, 0), Counts::default());
    let partial = by_label(k(2, 0, 0, 0, 1), k(1, 0, 1, 1, 0), Counts::default());
    let counts: SchemeTable = PerScheme::from_fn(|s| {
        if s == Scheme::Partial {
            partial.clone()
        } else {
            strict.clone()
        }
    });
    let mut confusion = Confusion::default();
    for (g, p, n) in [
        (Some("ACTOR"), Some("ACTOR"), 2),
        (Some("PLACE"), Some("PLACE"), 2),
        (Some("PLACE"), None, 1),
        (None, Some("ACTOR"), 1),
    ] {
        for _ in 0..n {
            confusion.add(g.map(l), p.map(l));
        }
    }
    Evaluation {
        norms_missing: false,
        labels: vec![l("ACTOR"), l("PLACE"), l("FIGURE")],
        declared: 3,
        counts: counts.clone(),
        documents: vec![DocRow {
            id: "ex|1".to_string(),
            counts,
            outcomes: Vec::new(),
        }],
        confusion,
        errors: vec![
            ErrorRecord {
                kind: ErrorKind::Missed,
                doc: "ex|1".to_string(),
                gold: Some(mention(3, 6, Label::new("PLACE").unwrap(), "Gao", "Gao")),
                pred: None,
                left: "In ".to_string(),
                right: ", 49 died".to_string(),
            },
            ErrorRecord {
                kind: ErrorKind::WrongBoundary,
                doc: "ex|1".to_string(),
                gold: Some(mention(
                    20,
                    24,
                    Label::new("PLACE").unwrap(),
                    "Mali",
                    "Mali",
                )),
                pred: Some(mention(
                    16,
                    24,
                    Label::new("PLACE").unwrap(),
                    "in Mali",
                    "Mali",
                )),
                left: "UN staff left ".to_string(),
                right: ".".to_string(),
            },
            ErrorRecord {
                kind: ErrorKind::Spurious,
                doc: "ex|1".to_string(),
                gold: None,
                pred: Some(mention(30, 33, Label::new("ACTOR").unwrap(), "a|*b", "")),
                left: String::new(),
                right: String::new(),
            },
        ],
    }
}

fn opts() -> RenderOptions {
    RenderOptions::default()
}

#[test]
fn format_names() {
    for f in Format::ALL {
        assert_eq!(f.as_str().parse::<Format>(), Ok(f));
    }
    assert_eq!("md".parse::<Format>(), Ok(Format::Markdown));
    assert!("html"
        .parse::<Format>()
        .unwrap_err()
        .to_string()
        .contains("\"html\""));
    assert_eq!(Format::default(), Format::Table);
}

#[test]
fn json_follows_the_schema() {
    let ev = eval();
    let s = render(&ev, Format::Json, &opts());
    assert_eq!(s, render(&ev, Format::Json, &opts()), "deterministic");
    let v: Value = serde_json::from_str(&s).unwrap();
    let top: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    // serde_json's map is sorted unless preserve_order is on, so check order on the text.
    let mut sorted = vec!["confusion", "documents", "errors", "macro", "schemes"];
    sorted.sort_unstable();
    assert_eq!(top, sorted);
    let pos = |needle: &str| s.find(needle).unwrap();
    assert!(pos("\"strict\"") < pos("\"exact\""));
    assert!(pos("\"exact\"") < pos("\"partial\": {"));
    assert!(pos("\"type\"") < pos("\"norm\""));
    assert!(pos("\"ACTOR\": {") < pos("\"PLACE\": {"));

    let strict = &v["schemes"]["strict"];
    let o = &strict["overall"];
    let keys: Vec<&str> = [
        "correct",
        "incorrect",
        "partial",
        "missed",
        "spurious",
        "possible",
        "actual",
        "precision",
        "recall",
        "f1",
    ]
    .to_vec();
    assert_eq!(o.as_object().unwrap().len(), keys.len());
    for key in keys {
        assert!(o.get(key).is_some(), "overall lacks {key}");
    }
    assert_eq!(o["correct"], 3);
    assert_eq!(o["possible"], 5);
    assert_eq!(o["actual"], 5);
    assert_eq!(o["precision"], 0.6);
    assert_eq!(
        strict["by_label"]["ACTOR"]["precision"],
        2.0 / 3.0,
        "full precision: machines read JSON"
    );
    assert_eq!(strict["by_label"]["FIGURE"]["f1"], 0.0);
    assert_eq!(v["schemes"]["partial"]["by_label"]["PLACE"]["partial"], 1);
    // 7/18 at full precision (the mean of 2/3, 1/2 and 0), not 0.3889.
    assert_eq!(v["macro"]["strict"]["precision"], 0.3888888888888888);
    assert_eq!(
        v["confusion"]["labels"],
        serde_json::json!(["ACTOR", "PLACE", "FIGURE", "none"])
    );
    assert_eq!(v["confusion"]["matrix"][1][3], 1);
    assert_eq!(v["documents"][0]["doc"], "ex|1");
    assert_eq!(v["documents"][0]["schemes"]["type"]["correct"], 3);
    let e = &v["errors"][0];
    assert_eq!(e["kind"], "missed");
    assert_eq!(e["pred"], Value::Null);
    assert_eq!(e["gold"]["label"], "PLACE");
    assert_eq!(e["gold"]["start"], 3);
    assert_eq!(v["errors"][1]["kind"], "wrong_boundary");
    assert_eq!(v["errors"].as_array().unwrap().len(), 3);
    // max_errors does not truncate the machine-readable record.
    let limited = RenderOptions {
        max_errors: Some(1),
        ..opts()
    };
    assert_eq!(render(&ev, Format::Json, &limited), s);
}

#[test]
fn csv_has_one_row_per_scheme_and_label() {
    let s = render(&eval(), Format::Csv, &opts());
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(
        lines[0],
        "scheme,label,correct,incorrect,partial,missed,spurious,possible,actual,precision,recall,f1"
    );
    assert_eq!(lines.len(), 1 + 5 * 5);
    assert_eq!(
        lines[1],
        "strict,ACTOR,2,0,0,0,1,2,3,0.6666666666666666,1.0,0.8"
    );
    assert_eq!(lines[3], "strict,FIGURE,0,0,0,0,0,0,0,0.0,0.0,0.0");
    assert_eq!(lines[4], "strict,overall,3,1,0,1,1,5,5,0.6,0.6,0.6");
    assert_eq!(
        lines[5],
        "strict,macro,,,,,,,,0.38888888888888884,0.4444444444444444,0.4000000000000001"
    );
    assert!(lines[12].starts_with("partial,PLACE,1,0,1,1,0,3,2,"));
    assert!(lines[25].starts_with("norm,macro,"));
}

#[test]
fn table_is_aligned_and_plain_without_colour() {
    let s = render(&eval(), Format::Table, &opts());
    assert!(!s.contains('\x1b'), "no escape codes without colour");
    assert!(s.starts_with("strict: same boundaries and label\n"));
    // Right-aligned columns: header and rows of a block end at the same column.
    let block: Vec<&str> = s.lines().skip(1).take(6).collect();
    assert!(block[0].starts_with("label"), "{block:?}");
    let width = block[0].chars().count();
    for line in &block {
        assert_eq!(line.chars().count(), width, "{line:?}");
    }
    assert!(block[1].starts_with("ACTOR "));
    assert!(block[1].ends_with("0.667  1.000  0.800"), "{}", block[1]);
    assert!(block[5].starts_with("macro "));
    assert!(s.find("\npartial: ").unwrap() < s.find("\nnorm: ").unwrap());
    assert!(s.contains("\ndocuments: strict\n"));
    assert!(s.contains("\nerrors: 3\n"));
    assert!(s.contains("  In [Gao], 49 died\n"), "{s}");
    assert!(s.contains("  UN staff left [in Mali].\n"), "{s}");
    let mut long = eval();
    long.errors[0].left = "x".repeat(CONTEXT);
    let s2 = render(&long, Format::Table, &opts());
    assert!(
        s2.contains(&format!("…{}[Gao]", "x".repeat(CONTEXT))),
        "{s2}"
    );
    assert!(s.contains("[a|*b]"));
    assert!(s.contains("PLACE \"Mali\""));
}

#[test]
fn table_limits_errors_and_colours_on_request() {
    let o = RenderOptions {
        color: true,
        max_errors: Some(1),
    };
    let s = render(&eval(), Format::Table, &o);
    assert!(s.contains("\x1b[1mstrict\x1b[0m"));
    assert!(s.contains("\x1b[31mmissed\x1b[0m"));
    assert!(s.contains("showing 1 of 3"));
    assert!(!s.contains("wrong_boundary"));
    let none = Evaluation::default();
    let s = render(&none, Format::Table, &opts());
    assert!(s.ends_with("errors: none\n"), "{s}");
}

#[test]
fn markdown_tables_and_escaping() {
    let o = RenderOptions {
        max_errors: Some(2),
        ..opts()
    };
    let s = render(&eval(), Format::Markdown, &o);
    assert!(s.starts_with("## tagbench scores\n\n### strict\n\n| label |"));
    assert!(s.contains("| ACTOR | 2 | 0 | 0 | 0 | 1 | 0.667 | 1.000 | 0.800 |"));
    assert!(s.contains("| **overall** | 3 | 1 | 0 | 1 | 1 | 0.600 | 0.600 | 0.600 |"));
    assert!(s.contains("\n### partial\n"));
    assert!(s.contains("| type | 3 | 1 | 0 | 1 | 1 | 5 | 5 |"));
    assert!(s.contains("### Errors (first 2 of 3)"));
    assert!(
        s.contains("| missed | ex\\|1 | 3..6 | PLACE \"Gao\" | – | In **\\[Gao\\]**, 49 died |"),
        "{s}"
    );
    assert!(!s.contains("a|*b"));
    let all = render(&eval(), Format::Markdown, &opts());
    assert!(all.contains("ACTOR \"a\\|\\*b\""), "{all}");
    // Every table row has the same number of unescaped pipes as its header.
    for line in all
        .lines()
        .filter(|l| l.starts_with("| missed") || l.starts_with("| spurious"))
    {
        let pipes = line.replace("\\|", "").matches('|').count();
        assert_eq!(pipes, 7, "{line}");
    }
}

#[test]
fn covered_text_joins_overlapping_mentions() {
    let mut e = eval().errors[1].clone();
    assert_eq!(covered_text(&e), "in Mali");
    e.gold = Some(mention(0, 4, Label::new("PLACE").unwrap(), "abcd", ""));
    e.pred = Some(mention(2, 6, Label::new("PLACE").unwrap(), "cdef", ""));
    assert_eq!(covered_text(&e), "abcdef");
    std::mem::swap(&mut e.gold, &mut e.pred);
    assert_eq!(covered_text(&e), "abcdef");
    e.gold = None;
    assert_eq!(covered_text(&e), "abcd");
}

/// Two hand-made buckets of one grouping.
fn length_buckets() -> Vec<Buckets> {
    let b = |name: &str, order: usize, c: Counts| crate::score::Bucket {
        name: name.into(),
        order,
        counts: PerScheme::from_fn(|_| c),
    };
    vec![Buckets {
        by: BucketBy::Length,
        buckets: vec![b("1", 1, k(3, 1, 0, 1, 1)), b("5+", 5, k(0, 0, 0, 2, 0))],
    }]
}

#[test]
fn buckets_render_in_every_format_and_only_when_asked() {
    let ev = eval();
    let opts = RenderOptions::default();
    let plain = Report::new(&ev);
    let with = Report::new(&ev).with_buckets(&length_buckets());
    // Not asked: nothing about buckets anywhere (eval's bytes do not change).
    for f in Format::ALL {
        let s = plain.render(f, &opts);
        assert!(!s.contains("bucket") && !s.contains("length"), "{f:?}: {s}");
    }
    let t = with.render(Format::Table, &opts);
    assert!(
        t.contains("by length: strict; tokens (whitespace-separated words) in the mention\n"),
        "{t}"
    );
    assert!(
        t.contains(
            "length  gold  predicted  correct  incorrect  missed  spurious      P      R     F1\n\
             1          5          5        3          1       1         1  0.600  0.600  0.600\n\
             5+         2          0        0          0       2         0  0.000  0.000  0.000\n"
        ),
        "{t}"
    );
    let m = with.render(Format::Markdown, &opts);
    assert!(
        m.contains("| 1 | 5 | 5 | 3 | 1 | 1 | 1 | 0.600 | 0.600 | 0.600 |"),
        "{m}"
    );
    let c = with.render(Format::Csv, &opts);
    assert!(
        c.contains("\nstrict,length=1,3,1,0,1,1,5,5,0.6,0.6,0.6\n"),
        "{c}"
    );
    assert!(
        c.contains("\nnorm,length=5+,0,0,0,2,0,2,0,0.0,0.0,0.0\n"),
        "{c}"
    );
    let j: Value = serde_json::from_str(&with.render(Format::Json, &opts)).unwrap();
    let b = &j["buckets"][0];
    assert_eq!(b["by"], "length");
    assert_eq!(b["buckets"][0]["name"], "1");
    assert_eq!(b["buckets"][0]["gold"], 5);
    assert_eq!(b["buckets"][0]["predicted"], 5);
    assert_eq!(b["buckets"][0]["schemes"]["strict"]["f1"], 0.6);
    assert_eq!(b["buckets"][1]["schemes"]["partial"]["missed"], 2);
}
