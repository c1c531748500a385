//! doccano's JSONL export for sequence labelling, one document a line:
//!
//! ```text
//! {"id": 12, "text": "Mali and the UN", "label": [[0, 4, "PLACE"], [13, 15, "ACTOR"]]}
//! ```
//!
//! - Each entry of `label` is `[start, end, "LABEL"]`, half-open offsets into `text`, read
//!   as **code points** (Python's convention: doccano's server is Python; for text inside
//!   the Basic Multilingual Plane every convention agrees).
//! - `id` is an integer or a string; a line without one gets `line-N`, its line number.
//! - doccano has no place for a norm: mentions read from it have none, and writing drops
//!   them. Other keys are ignored, as are blank lines.
//!
//! Written files have `id` (a string), `text` and `label`, in that order, sorted by id.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::json::{self, get, index, object};
use super::{assemble, lines, make_annotation, Dataset, ReadDoc};
use crate::error::{Error, Result};
use crate::gold::Document;
use crate::label::Norm;
use crate::span::OffsetIndex;

/// Reads a doccano JSONL file.
pub fn read(path: &Path) -> Result<Dataset> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    from_bytes(&bytes).map_err(|e| e.at_path(path))
}

/// Reads doccano JSONL from bytes (see the [module docs](self)).
pub fn from_bytes(bytes: &[u8]) -> Result<Dataset> {
    let mut docs = Vec::new();
    for l in lines(bytes) {
        let (line, s) = l?;
        if s.trim().is_empty() {
            continue;
        }
        docs.push(parse_line(line, s).map_err(|e| e.at_line(line))?);
    }
    assemble(docs)
}

fn parse_line(line: u64, s: &str) -> Result<ReadDoc> {
    let v = json::parse_line(s)?;
    let m = object(&v, "")?;
    let id = match m.get("id") {
        None | Some(Value::Null) => format!("line-{line}"),
        Some(v) => json::id(v, "id")?,
    };
    let text = json::string(get(m, "text", "")?, "text")?;
    let labels = match m.get("label") {
        Some(v) => json::array(v, "label")?,
        None if m.contains_key("spans") => {
            return Err(Error::invalid(
                "missing key `label` (this line has `spans`: a jsonl file? read it as jsonl)",
            ))
        }
        None => return Err(Error::invalid("missing key `label`")),
    };
    let doc = Document {
        id,
        text: text.to_string(),
    };
    let idx = OffsetIndex::new(&doc.text);
    let mut annotations = Vec::with_capacity(labels.len());
    for (i, ev) in labels.iter().enumerate() {
        let path = index("label", i);
        let entry = json::array(ev, &path)?;
        let [s, e, l] = entry else {
            return Err(Error::invalid(format!(
                "expected [start, end, \"LABEL\"], found an array of {} values",
                entry.len()
            ))
            .in_field(&path));
        };
        let start = json::offset(s, &index(&path, 0))?;
        let end = json::offset(e, &index(&path, 1))?;
        let label = json::label(l, &index(&path, 2))?;
        let a = make_annotation(&doc, &idx, start, end, label, Norm::None, line)
            .map_err(|m| Error::invalid(m).in_field(&path))?;
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
    label: Vec<(usize, usize, &'a str)>,
}

/// Writes a dataset as doccano JSONL (see the [module docs](self)); norms are dropped.
pub fn write(data: &Dataset) -> Vec<u8> {
    let mut out = Vec::new();
    for (doc, anns) in data.iter() {
        let line = LineOut {
            id: &doc.id,
            text: &doc.text,
            label: anns
                .iter()
                .map(|a| (a.span.start, a.span.end, a.span.label.as_str()))
                .collect(),
        };
        // Serializing strings and integers into a Vec cannot fail.
        serde_json::to_writer(&mut out, &line).expect("JSON of plain data");
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Label;

    fn msg(src: &str) -> String {
        from_bytes(src.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn reads_numeric_and_missing_ids_and_writes_back() {
        let src = "{\"id\": 12, \"text\": \"Mali 🇲🇱 and the UN\", \"label\": [[16, 18, \"ACTOR\"], [0, 4, \"PLACE\"]]}\n\
                   {\"text\": \"x\", \"label\": []}\n";
        let data = from_bytes(src.as_bytes()).unwrap();
        let a = data.annotations().get("12");
        assert_eq!(a[0].text, "Mali");
        assert_eq!(a[1].text, "UN");
        assert_eq!(a[1].span.label, Label::new("ACTOR").unwrap());
        assert!(data.corpus().get("line-2").is_some());
        let out = String::from_utf8(write(&data)).unwrap();
        assert_eq!(
            out,
            "{\"id\":\"12\",\"text\":\"Mali 🇲🇱 and the UN\",\"label\":[[0,4,\"PLACE\"],[16,18,\"ACTOR\"]]}\n\
             {\"id\":\"line-2\",\"text\":\"x\",\"label\":[]}\n"
        );
        assert_eq!(from_bytes(out.as_bytes()).unwrap(), data);
    }

    #[test]
    fn errors_say_where() {
        let cases = [
            (r#"{"text":"Mali","label":[[0,4]]}"#, "line 1: field `label[0]`: expected [start, end, \"LABEL\"], found an array of 2 values"),
            (r#"{"text":"Mali","label":[[0,4,"G PE"]]}"#, "field `label[0][2]`: invalid label \"G PE\""),
            (r#"{"text":"Mali","label":[["0",4,"PLACE"]]}"#, "field `label[0][0]`: expected an integer offset"),
            (r#"{"text":"Mali","label":[[0,9,"PLACE"]]}"#, "field `label[0]`: span 0..9 is past the end"),
            (r#"{"text":"Mali","spans":[]}"#, "read it as jsonl"),
            (r#"{"text":"Mali","label":{}}"#, "field `label`: expected an array, found an object"),
        ];
        for (src, want) in cases {
            let got = msg(src);
            assert!(got.contains(want), "{src}: {got:?} lacks {want:?}");
        }
    }
}
