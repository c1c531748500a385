//! Label Studio's JSON export of NER tasks: an array of tasks, each with its text in
//! `data.text` and its regions in `annotations[].result[]` (or `predictions[].result[]`):
//!
//! ```text
//! [{"id": 1,
//!   "data": {"doc": "d1", "text": "Mali and the UN"},
//!   "annotations": [{"result": [
//!     {"id": "T1", "from_name": "label", "to_name": "text", "type": "labels",
//!      "value": {"start": 0, "end": 4, "text": "Mali", "labels": ["PLACE"]},
//!      "meta": {"text": ["Mali"]}}]}]}]
//! ```
//!
//! **Offsets are JavaScript string offsets: UTF-16 code units**, not code points. A
//! character outside the Basic Multilingual Plane (an emoji, "𝔐") counts 2. They are
//! converted to code points on reading and back on writing; an offset that falls between
//! the two halves of a surrogate pair is an error.
//!
//! Reading:
//! - the document id is `data.doc` when present (tagbench writes it), else `task-<id>` from
//!   the task's `id`, else `task-<n>` from its 1-based position;
//! - [`Results::Annotations`] reads `annotations` (cancelled ones, `"was_cancelled": true`,
//!   are skipped) and [`Results::Predictions`] reads `predictions`; a task with more than
//!   one is an error (tagbench has one set of mentions per document), a task with none has
//!   no mention;
//! - every region must be of type `labels` with exactly one label; `value.text`, when
//!   present, must equal the slice;
//! - the norm is the region's meta text (`meta.text`, one string; Label Studio shows it as
//!   the region's Meta field), parsed as in the CSV; no meta, no norm.
//!
//! Written files are pretty-printed, tasks sorted by document id (numbered from 1), regions
//! by position (ids `T1`, `T2`, ... in each task), `from_name` `label` and `to_name` `text`
//! as in Label Studio's default NER labeling configuration.

use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use super::json::{self, get, index, join, object};
use super::{assemble, make_annotation, strip_bom, Dataset, ReadDoc};
use crate::error::{Error, Result};
use crate::gold::Document;
use crate::label::{LabelSet, Norm};
use crate::span::OffsetIndex;

/// Which regions of a task are read or written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Results {
    /// `annotations`: what annotators made (the default).
    #[default]
    Annotations,
    /// `predictions`: pre-annotations, typically a model's output.
    Predictions,
}

impl Results {
    /// The task's key: `annotations` or `predictions`.
    pub fn key(self) -> &'static str {
        match self {
            Results::Annotations => "annotations",
            Results::Predictions => "predictions",
        }
    }
}

/// Code-point and UTF-16 offsets of one text.
struct Utf16Index {
    /// `units[c]` is the UTF-16 offset of code point `c`; one more entry for the end.
    units: Vec<usize>,
}

impl Utf16Index {
    fn new(text: &str) -> Utf16Index {
        let mut units = Vec::with_capacity(text.len() + 1);
        let mut u = 0;
        for ch in text.chars() {
            units.push(u);
            u += ch.len_utf16();
        }
        units.push(u);
        Utf16Index { units }
    }

    fn char_to_unit(&self, c: usize) -> Option<usize> {
        self.units.get(c).copied()
    }

    /// The code point at UTF-16 offset `u`, or a message saying why there is none.
    fn unit_to_char(&self, u: usize, text: &str) -> std::result::Result<usize, String> {
        match self.units.binary_search(&u) {
            Ok(c) => Ok(c),
            Err(c) if c < self.units.len() => {
                let ch = text.chars().nth(c - 1).unwrap_or('\u{fffd}');
                Err(format!(
                    "UTF-16 offset {u} falls inside a surrogate pair (the two code units \
                     {}..{} of {ch:?}, code point {})",
                    self.units[c - 1],
                    self.units[c],
                    c - 1
                ))
            }
            Err(_) => Err(format!(
                "UTF-16 offset {u} is past the end of the text ({} code units)",
                self.units.last().copied().unwrap_or(0)
            )),
        }
    }
}

/// Reads a Label Studio JSON export.
/// Norms are parsed by the kind `labels` declares for their label.
pub fn read(path: &Path, results: Results, labels: &LabelSet) -> Result<Dataset> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    from_bytes(&bytes, results, labels).map_err(|e| e.at_path(path))
}

/// Reads a Label Studio JSON export from bytes (see the [module docs](self)).
pub fn from_bytes(bytes: &[u8], results: Results, labels: &LabelSet) -> Result<Dataset> {
    let v = json::parse(strip_bom(bytes))?;
    let tasks = match &v {
        Value::Array(a) => a,
        other => {
            return Err(Error::invalid(format!(
                "expected an array of tasks, found {}",
                json::kind(other)
            )))
        }
    };
    let mut docs = Vec::with_capacity(tasks.len());
    for (i, t) in tasks.iter().enumerate() {
        docs.push(task(i, t, results, labels)?);
    }
    assemble(docs)
}

fn task(i: usize, t: &Value, results: Results, labels: &LabelSet) -> Result<ReadDoc> {
    let path = index("", i);
    let m = object(t, &path)?;
    let data_path = join(&path, "data");
    let data = object(get(m, "data", &path)?, &data_path)?;
    let text = json::string(get(data, "text", &data_path)?, &join(&data_path, "text"))?;
    let id = match (data.get("doc"), m.get("id")) {
        (Some(d), _) => json::id(d, &join(&data_path, "doc"))?,
        (None, Some(Value::Null) | None) => format!("task-{}", i + 1),
        (None, Some(tid)) => format!("task-{}", json::id(tid, &join(&path, "id"))?),
    };
    let doc = Document {
        id,
        text: text.to_string(),
    };
    let key = results.key();
    let sets_path = join(&path, key);
    let sets: Vec<(usize, &Map<String, Value>)> = match m.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => {
            let mut kept = Vec::new();
            for (k, a) in json::array(v, &sets_path)?.iter().enumerate() {
                let am = object(a, &index(&sets_path, k))?;
                if am.get("was_cancelled") != Some(&Value::Bool(true)) {
                    kept.push((k, am));
                }
            }
            kept
        }
    };
    let annotations = match sets.as_slice() {
        [] => Vec::new(),
        [(k, am)] => regions(&doc, am, &index(&sets_path, *k), labels)?,
        more => {
            return Err(Error::invalid(format!(
                "{} {key} for one task; tagbench reads one set of regions per document \
                 (keep one)",
                more.len()
            ))
            .in_field(&sets_path))
        }
    };
    Ok(ReadDoc {
        place: format!("task {path}"),
        doc,
        annotations,
        line: None,
    })
}

fn regions(
    doc: &Document,
    set: &Map<String, Value>,
    path: &str,
    declared: &LabelSet,
) -> Result<Vec<crate::Annotation>> {
    let rpath = join(path, "result");
    let result = match set.get("result") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(v) => json::array(v, &rpath)?,
    };
    let idx = OffsetIndex::new(&doc.text);
    let u16 = Utf16Index::new(&doc.text);
    let mut out = Vec::with_capacity(result.len());
    for (j, r) in result.iter().enumerate() {
        let p = index(&rpath, j);
        let rm = object(r, &p)?;
        if let Some(ty) = rm.get("type") {
            let ty = json::string(ty, &join(&p, "type"))?;
            if ty != "labels" {
                return Err(Error::invalid(format!(
                    "region type {ty:?} is not supported (only `labels` regions are spans)"
                ))
                .in_field(&join(&p, "type")));
            }
        }
        let vpath = join(&p, "value");
        let value = object(get(rm, "value", &p)?, &vpath)?;
        let at = |key: &str| -> Result<usize> {
            let f = join(&vpath, key);
            let u = json::offset(get(value, key, &vpath)?, &f)?;
            u16.unit_to_char(u, &doc.text)
                .map_err(|m| Error::invalid(m).in_field(&f))
        };
        let start = at("start")?;
        let end = at("end")?;
        let lpath = join(&vpath, "labels");
        let labels = json::array(get(value, "labels", &vpath)?, &lpath)?;
        let [l] = labels else {
            return Err(Error::invalid(format!(
                "expected exactly one label, found {}",
                labels.len()
            ))
            .in_field(&lpath));
        };
        let label = json::label(l, &index(&lpath, 0))?;
        let norm = match rm.get("meta") {
            None | Some(Value::Null) => Norm::None,
            Some(meta) => {
                let mpath = join(&p, "meta");
                let mm = object(meta, &mpath)?;
                match mm.get("text") {
                    None | Some(Value::Null) => Norm::None,
                    Some(t) => {
                        let tpath = join(&mpath, "text");
                        let ts = json::array(t, &tpath)?;
                        match ts {
                            [] => Norm::None,
                            [s] => {
                                let s = json::string(s, &index(&tpath, 0))?;
                                declared
                                    .parse_norm(label, s)
                                    .map_err(|m| Error::invalid(m).in_field(&tpath))?
                            }
                            _ => {
                                return Err(Error::invalid(format!(
                                    "expected one norm, found {} strings",
                                    ts.len()
                                ))
                                .in_field(&tpath))
                            }
                        }
                    }
                }
            }
        };
        let a = make_annotation(doc, &idx, start, end, label, norm, 0)
            .map_err(|m| Error::invalid(m).in_field(&vpath))?;
        if let Some(t) = value.get("text") {
            let tpath = join(&vpath, "text");
            let t = json::string(t, &tpath)?;
            if t != a.text {
                return Err(Error::invalid(format!(
                    "text {t:?} differs from the slice of the text: {:?} (code points \
                     {start}..{end})",
                    a.text
                ))
                .in_field(&tpath));
            }
        }
        out.push(a);
    }
    Ok(out)
}

#[derive(Serialize)]
struct TaskOut<'a> {
    id: usize,
    data: DataOut<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annotations: Option<[SetOut<'a>; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    predictions: Option<[SetOut<'a>; 1]>,
}

#[derive(Serialize)]
struct DataOut<'a> {
    doc: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct SetOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    model_version: Option<&'static str>,
    result: Vec<RegionOut<'a>>,
}

#[derive(Serialize)]
struct RegionOut<'a> {
    id: String,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    ty: &'static str,
    value: ValueOut<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<MetaOut>,
}

#[derive(Serialize)]
struct ValueOut<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'static str; 1],
}

#[derive(Serialize)]
struct MetaOut {
    text: [String; 1],
}

/// Writes a dataset as a Label Studio JSON import/export file, the regions under
/// `annotations` or `predictions` (see the [module docs](self)).
pub fn write(data: &Dataset, results: Results) -> Vec<u8> {
    let tasks: Vec<TaskOut<'_>> = data
        .iter()
        .enumerate()
        .map(|(i, (doc, anns))| {
            let u16 = Utf16Index::new(&doc.text);
            let result = anns
                .iter()
                .enumerate()
                .map(|(j, a)| RegionOut {
                    id: format!("T{}", j + 1),
                    from_name: "label",
                    to_name: "text",
                    ty: "labels",
                    value: ValueOut {
                        // A Dataset's spans are inside their text.
                        start: u16.char_to_unit(a.span.start).unwrap_or(0),
                        end: u16.char_to_unit(a.span.end).unwrap_or(0),
                        text: &a.text,
                        labels: [a.span.label.as_str()],
                    },
                    meta: (!a.span.norm.is_none()).then(|| MetaOut {
                        text: [a.span.norm.to_string()],
                    }),
                })
                .collect();
            let set = SetOut {
                model_version: (results == Results::Predictions).then_some("tagbench"),
                result,
            };
            let (annotations, predictions) = match results {
                Results::Annotations => (Some([set]), None),
                Results::Predictions => (None, Some([set])),
            };
            TaskOut {
                id: i + 1,
                data: DataOut {
                    doc: &doc.id,
                    text: &doc.text,
                },
                annotations,
                predictions,
            }
        })
        .collect();
    // Serializing strings and integers into a Vec cannot fail.
    let mut out = serde_json::to_vec_pretty(&tasks).expect("JSON of plain data");
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Label;

    fn msg(src: &str) -> String {
        from_bytes(
            src.as_bytes(),
            Results::Annotations,
            &crate::label::gold_labels(),
        )
        .unwrap_err()
        .to_string()
    }

    #[test]
    fn utf16_offsets_convert_both_ways() {
        let text = "a𝔐b😀";
        let u = Utf16Index::new(text);
        assert_eq!(u.units, [0, 1, 3, 4, 6]);
        for (c, unit) in [(0, 0), (1, 1), (2, 3), (3, 4), (4, 6)] {
            assert_eq!(u.char_to_unit(c), Some(unit));
            assert_eq!(u.unit_to_char(unit, text), Ok(c));
        }
        let e = u.unit_to_char(2, text).unwrap_err();
        assert!(e.contains("inside a surrogate pair"), "{e}");
        assert!(e.contains("'𝔐'"), "{e}");
        assert!(u
            .unit_to_char(7, text)
            .unwrap_err()
            .contains("past the end"));
    }

    #[test]
    fn reads_astral_text_and_writes_back() {
        // 😀 and 𝔐 are 2 code units each: "𝔐ali" is units 3..8, code points 2..6; "13,000"
        // is units 10..16, code points 8..14.
        let src = r#"[{"id": 5, "data": {"text": "😀 𝔐ali, 13,000"},
          "annotations": [
            {"was_cancelled": true, "result": []},
            {"result": [
              {"type": "labels", "value": {"start": 3, "end": 8, "text": "𝔐ali", "labels": ["PLACE"]},
               "meta": {"text": ["Mali"]}},
              {"value": {"start": 10, "end": 16, "labels": ["FIGURE"]}, "meta": {"text": ["13000"]}}
            ]}],
          "predictions": [{"result": [{"value": {"start": 0, "end": 2, "labels": ["ACTOR"]}}]}]
        }]"#;
        let data = from_bytes(
            src.as_bytes(),
            Results::Annotations,
            &crate::label::gold_labels(),
        )
        .unwrap();
        let a = data.annotations().get("task-5");
        assert_eq!((a[0].span.start, a[0].span.end), (2, 6));
        assert_eq!(a[0].text, "𝔐ali");
        assert_eq!(a[0].span.norm, Norm::Name("Mali".into()));
        assert_eq!(a[1].text, "13,000");
        assert_eq!(a[1].span.norm, Norm::Value(13000));
        let p = from_bytes(
            src.as_bytes(),
            Results::Predictions,
            &crate::label::gold_labels(),
        )
        .unwrap();
        let p = p.annotations().get("task-5");
        assert_eq!(
            (p.len(), p[0].text.as_str(), p[0].span.label),
            (1, "😀", Label::new("ACTOR").unwrap())
        );

        for results in [Results::Annotations, Results::Predictions] {
            let out = write(&data, results);
            let s = String::from_utf8(out.clone()).unwrap();
            assert!(s.contains("\"start\": 3,\n"), "{s}");
            assert!(s.contains(&format!("\"{}\": [", results.key())), "{s}");
            assert_eq!(
                from_bytes(&out, results, &crate::label::gold_labels()).unwrap(),
                data
            );
            let other = match results {
                Results::Annotations => Results::Predictions,
                Results::Predictions => Results::Annotations,
            };
            assert!(from_bytes(&out, other, &crate::label::gold_labels())
                .unwrap()
                .annotations()
                .is_empty());
        }
    }

    #[test]
    fn errors_say_where() {
        let cases = [
            (r#"{"data": {}}"#, "expected an array of tasks, found an object"),
            (r#"[{"data": {"text": "𝔐ali"}, "annotations": [{"result": [{"value": {"start": 1, "end": 4, "labels": ["PLACE"]}}]}]}]"#,
             "field `[0].annotations[0].result[0].value.start`: UTF-16 offset 1 falls inside a surrogate pair"),
            (r#"[{"data": {"text": "Mali"}, "annotations": [{"result": [{"value": {"start": 0, "end": 9, "labels": ["PLACE"]}}]}]}]"#,
             "field `[0].annotations[0].result[0].value.end`: UTF-16 offset 9 is past the end of the text (4 code units)"),
            (r#"[{"data": {"text": "Mali"}, "annotations": [{"result": [{"value": {"start": 0, "end": 4, "labels": ["L OC"]}}]}]}]"#,
             "field `[0].annotations[0].result[0].value.labels[0]`: invalid label \"L OC\""),
            (r#"[{"data": {"text": "Mali"}, "annotations": [{"result": [{"value": {"start": 0, "end": 4, "labels": ["PLACE", "ACTOR"]}}]}]}]"#,
             "expected exactly one label, found 2"),
            (r#"[{"data": {"text": "Mali"}, "annotations": [{"result": [{"value": {"start": 0, "end": 4, "text": "Mal", "labels": ["PLACE"]}}]}]}]"#,
             "field `[0].annotations[0].result[0].value.text`: text \"Mal\" differs"),
            (r#"[{"data": {"text": "Mali"}, "annotations": [{"result": [{"type": "choices", "value": {}}]}]}]"#,
             "region type \"choices\" is not supported"),
            (r#"[{"data": {"text": "Mali"}, "annotations": [{"result": []}, {"result": []}]}]"#,
             "field `[0].annotations`: 2 annotations for one task"),
            (r#"[{"data": {"text": "Mali"}}, {"data": {"doc": "task-1", "text": "x"}}]"#,
             "field `id`: document id \"task-1\" is also the id of task [0]"),
            (r#"[{"data": {"txt": "Mali"}}]"#, "field `[0].data`: missing key `text`"),
            ("[\n{\"data\": }\n]", "line 2: invalid JSON at column 10"),
        ];
        for (src, want) in cases {
            let got = msg(src);
            assert!(got.contains(want), "{src}: {got:?} lacks {want:?}");
        }
    }
}
