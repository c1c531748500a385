//! JSON Lines, one document a line, in the style of spaCy's and Prodigy's character spans:
//!
//! ```text
//! {"id": "d1", "text": "Mali and the UN", "spans": [{"start": 0, "end": 4, "label": "PLACE", "norm": "Mali"}]}
//! ```
//!
//! - `start` and `end` are half-open **code-point** offsets into `text` (Python's
//!   `text[start:end]`).
//! - `norm` is a string for an ACTOR or PLACE, an integer for a FIGURE, and `null` (or
//!   absent) when there is none.
//! - `id` is a string or a non-negative integer; a line without one gets `line-N`, its line
//!   number. Ids must be unique.
//! - A span may also have `text`; it must then equal the slice. Other keys are ignored, as
//!   are blank lines.
//!
//! Written files have the keys in the order above, one document a line sorted by id, spans
//! sorted by position, `norm` always present (`null` when none), and no `text` in spans.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::json::{self, get, index, join, object};
use super::{assemble, lines, make_annotation, Dataset, ReadDoc};
use crate::error::{Error, Result};
use crate::gold::Document;
use crate::label::LabelSet;
use crate::span::OffsetIndex;

/// Reads a JSONL file.
/// Norms are parsed by the kind `labels` declares for their label.
pub fn read(path: &Path, labels: &LabelSet) -> Result<Dataset> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    from_bytes(&bytes, labels).map_err(|e| e.at_path(path))
}

/// Reads JSONL from bytes (see the [module docs](self)).
pub fn from_bytes(bytes: &[u8], labels: &LabelSet) -> Result<Dataset> {
    let mut docs = Vec::new();
    for l in lines(bytes) {
        let (line, s) = l?;
        if s.trim().is_empty() {
            continue;
        }
        docs.push(parse_line(line, s, labels).map_err(|e| e.at_line(line))?);
    }
    assemble(docs)
}

fn parse_line(line: u64, s: &str, labels: &LabelSet) -> Result<ReadDoc> {
    let v = json::parse_line(s)?;
    let m = object(&v, "")?;
    let id = match m.get("id") {
        None | Some(Value::Null) => format!("line-{line}"),
        Some(v) => json::id(v, "id")?,
    };
    let text = json::string(get(m, "text", "")?, "text")?;
    let spans =
        match m.get("spans") {
            Some(v) => json::array(v, "spans")?,
            None if m.contains_key("label") => return Err(Error::invalid(
                "missing key `spans` (this line has `label`: a doccano file? read it as doccano)",
            )),
            None => return Err(Error::invalid("missing key `spans`")),
        };
    let doc = Document {
        id,
        text: text.to_string(),
    };
    let idx = OffsetIndex::new(&doc.text);
    let mut annotations = Vec::with_capacity(spans.len());
    for (i, sv) in spans.iter().enumerate() {
        let path = index("spans", i);
        let sm = object(sv, &path)?;
        let start = json::offset(get(sm, "start", &path)?, &join(&path, "start"))?;
        let end = json::offset(get(sm, "end", &path)?, &join(&path, "end"))?;
        let label = json::label(get(sm, "label", &path)?, &join(&path, "label"))?;
        let norm = json::norm(
            sm.get("norm"),
            label,
            labels.declared_kind(label),
            &join(&path, "norm"),
        )?;
        let a = make_annotation(&doc, &idx, start, end, label, norm, line)
            .map_err(|m| Error::invalid(m).in_field(&path))?;
        if let Some(t) = sm.get("text") {
            let tpath = join(&path, "text");
            let t = json::string(t, &tpath)?;
            if t != a.text {
                return Err(Error::invalid(format!(
                    "text {t:?} differs from the slice {start}..{end} of the text: {:?}",
                    a.text
                ))
                .in_field(&tpath));
            }
        }
        annotations.push(a);
    }
    Ok(ReadDoc {
        doc,
        annotations,
        place: format!("line {line}"),
        line: Some(line),
    })
}

#[derive(Serialize)]
struct LineOut<'a> {
    id: &'a str,
    text: &'a str,
    spans: Vec<SpanOut<'a>>,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    norm: Value,
}

/// Writes a dataset as JSONL (see the [module docs](self)).
pub fn write(data: &Dataset) -> Vec<u8> {
    let mut out = Vec::new();
    for (doc, anns) in data.iter() {
        let line = LineOut {
            id: &doc.id,
            text: &doc.text,
            spans: anns
                .iter()
                .map(|a| SpanOut {
                    start: a.span.start,
                    end: a.span.end,
                    label: a.span.label.as_str(),
                    norm: json::norm_value(&a.span.norm),
                })
                .collect(),
        };
        // Serializing strings, integers and nulls into a Vec cannot fail.
        serde_json::to_writer(&mut out, &line).expect("JSON of plain data");
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::{Label, Norm};

    fn msg(src: &str) -> String {
        from_bytes(src.as_bytes(), &crate::label::gold_labels())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn reads_and_writes_back_the_same_bytes() {
        let src = concat!(
            r#"{"id":"a","text":"𝔐ali and the UN: 13,000.","spans":[{"start":13,"end":15,"label":"ACTOR","norm":"United Nations"},{"start":0,"end":4,"label":"PLACE","norm":null},{"start":17,"end":23,"label":"FIGURE","norm":13000}]}"#,
            "\n",
            r#"{"id":"b","text":"nothing","spans":[]}"#,
            "\n"
        );
        let data = from_bytes(src.as_bytes(), &crate::label::gold_labels()).unwrap();
        let a = data.annotations().get("a");
        assert_eq!(a[0].text, "𝔐ali");
        assert_eq!(a[1].span.norm, Norm::Name("United Nations".into()));
        assert_eq!(a[2].span.norm, Norm::Value(13000));
        assert_eq!(a[2].text, "13,000");
        let out = String::from_utf8(write(&data)).unwrap();
        let sorted = concat!(
            r#"{"id":"a","text":"𝔐ali and the UN: 13,000.","spans":[{"start":0,"end":4,"label":"PLACE","norm":null},{"start":13,"end":15,"label":"ACTOR","norm":"United Nations"},{"start":17,"end":23,"label":"FIGURE","norm":13000}]}"#,
            "\n",
            r#"{"id":"b","text":"nothing","spans":[]}"#,
            "\n"
        );
        assert_eq!(out, sorted);
    }

    #[test]
    fn missing_ids_are_line_numbers_and_bom_crlf_blank_lines_are_fine() {
        let src = "\u{feff}{\"text\":\"UN\",\"spans\":[{\"start\":0,\"end\":2,\"label\":\"ACTOR\",\"text\":\"UN\"}]}\r\n\r\n{\"id\":7,\"text\":\"x\",\"spans\":[]}\r\n";
        let data = from_bytes(src.as_bytes(), &crate::label::gold_labels()).unwrap();
        let ids: Vec<&str> = data
            .corpus()
            .documents()
            .iter()
            .map(|d| d.id.as_str())
            .collect();
        assert_eq!(ids, ["7", "line-1"]);
        assert_eq!(
            data.annotations().get("line-1")[0].span.label,
            Label::new("ACTOR").unwrap()
        );
    }

    #[test]
    fn errors_say_where() {
        let ok = r#"{"id":"a","text":"Mali","spans":[]}"#;
        let cases = [
            (format!("{ok}\n{{\"id\":\"b\",\"text\":\"x\" \"spans\":[]}}"), "line 2: invalid JSON at column 22: expected `,` or `}`"),
            (format!("{ok}\n{ok}"), "line 2: field `id`: document id \"a\" is also the id of line 1"),
            (r#"{"id":"a","spans":[]}"#.to_string(), "line 1: missing key `text`"),
            (r#"{"id":"a","text":"Mali","label":[]}"#.to_string(), "read it as doccano"),
            (r#"{"text":"Mali","spans":[{"start":0,"end":4,"label":"L OC"}]}"#.to_string(), "line 1: field `spans[0].label`: invalid label \"L OC\""),
            (r#"{"text":"Mali","spans":[{"start":0,"end":5,"label":"PLACE"}]}"#.to_string(), "line 1: field `spans[0]`: span 0..5 is past the end of document \"line-1\" (4 code points)"),
            (r#"{"text":"Mali","spans":[{"start":2,"end":2,"label":"PLACE"}]}"#.to_string(), "start 2 is not before end 2"),
            (r#"{"text":"Mali","spans":[{"start":-1,"end":2,"label":"PLACE"}]}"#.to_string(), "field `spans[0].start`: negative offset -1"),
            (r#"{"text":"Mali","spans":[{"start":0,"label":"PLACE"}]}"#.to_string(), "field `spans[0]`: missing key `end`"),
            (r#"{"text":"Mali","spans":[{"start":0,"end":4,"label":"PLACE","text":"Mal"}]}"#.to_string(), "field `spans[0].text`: text \"Mal\" differs from the slice 0..4 of the text: \"Mali\""),
            (r#"{"text":"Mali","spans":[{"start":0,"end":4,"label":"FIGURE","norm":"4"}]}"#.to_string(), "field `spans[0].norm`: expected an integer"),
            (r#"[1]"#.to_string(), "line 1: expected an object, found an array"),
        ];
        for (src, want) in cases {
            let got = msg(&src);
            assert!(got.contains(want), "{src}: {got:?} lacks {want:?}");
        }
    }
}
