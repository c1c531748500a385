//! Reading JSON values by hand, with errors that name the field by its path
//! (`spans[2].start`, `annotations[0].result[1].value.labels`).
//!
//! The JSON formats are read into `serde_json::Value` and walked here rather than
//! deserialized into structs, so that every error says which field is wrong and how, with
//! tagbench's own words for offsets, labels and norms.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::label::{Label, Norm, NormKind};

/// Parses a JSON document of several lines: a syntax error gives the line and the column.
pub(crate) fn parse(bytes: &[u8]) -> Result<Value> {
    serde_json::from_slice(bytes).map_err(|e| {
        let line = e.line() as u64;
        syntax(e).at_line(line)
    })
}

/// Parses one line of a JSON Lines file: a syntax error gives the column (the caller knows
/// the line).
pub(crate) fn parse_line(line: &str) -> Result<Value> {
    serde_json::from_str(line).map_err(syntax)
}

fn syntax(e: serde_json::Error) -> Error {
    let full = e.to_string();
    let msg = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    Error::invalid(format!("invalid JSON at column {}: {msg}", e.column()))
}

/// What kind of value `v` is, for messages.
pub(crate) fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) if s.chars().count() <= 40 => format!("a string ({s:?})"),
        Value::String(_) => "a string".to_string(),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// `path.key` (or `key` at the top).
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `path[i]`.
pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn wrong(v: &Value, want: &str, path: &str) -> Error {
    let e = Error::invalid(format!("expected {want}, found {}", kind(v)));
    if path.is_empty() {
        e
    } else {
        e.in_field(path)
    }
}

/// The object at `path`.
pub(crate) fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>> {
    v.as_object().ok_or_else(|| wrong(v, "an object", path))
}

/// The array at `path`.
pub(crate) fn array<'a>(v: &'a Value, path: &str) -> Result<&'a [Value]> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| wrong(v, "an array", path))
}

/// The string at `path`.
pub(crate) fn string<'a>(v: &'a Value, path: &str) -> Result<&'a str> {
    v.as_str().ok_or_else(|| wrong(v, "a string", path))
}

/// The member `key` of the object at `path`, which must be there.
pub(crate) fn get<'a>(m: &'a Map<String, Value>, key: &str, path: &str) -> Result<&'a Value> {
    m.get(key).ok_or_else(|| {
        let e = Error::invalid(format!("missing key `{key}`"));
        if path.is_empty() {
            e
        } else {
            e.in_field(path)
        }
    })
}

/// A code-point (or code-unit) offset: a non-negative integer.
pub(crate) fn offset(v: &Value, path: &str) -> Result<usize> {
    if let Some(n) = v.as_u64() {
        return usize::try_from(n)
            .map_err(|_| Error::invalid(format!("offset {n} is too large")).in_field(path));
    }
    match v {
        Value::Number(n) if n.is_i64() => {
            Err(Error::invalid(format!("negative offset {n}")).in_field(path))
        }
        Value::Number(n) if n.is_f64() => {
            Err(Error::invalid(format!("offset {n} is not an integer")).in_field(path))
        }
        Value::Number(n) => Err(Error::invalid(format!("offset {n} is too large")).in_field(path)),
        _ => Err(wrong(v, "an integer offset", path)),
    }
}

/// A document id: a string, or a non-negative integer (doccano's and Label Studio's ids).
pub(crate) fn id(v: &Value, path: &str) -> Result<String> {
    match v {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        Value::String(_) => Err(Error::invalid("empty document id").in_field(path)),
        Value::Number(n) if n.is_u64() => Ok(n.to_string()),
        _ => Err(wrong(v, "a string or a non-negative integer", path)),
    }
}

/// A label: any valid label name.
pub(crate) fn label(v: &Value, path: &str) -> Result<Label> {
    string(v, path)?
        .parse()
        .map_err(|e: crate::label::InvalidLabel| Error::invalid(e.to_string()).in_field(path))
}

/// A norm: `null` or absent for none; for a label whose declared kind (`kind`) is
/// [`NormKind::Integer`], a non-negative integer; for a declared name, a string. A label
/// that is not declared (`None`) takes either, as a name (a number by its decimal text, as a
/// CSV cell would give it).
pub(crate) fn norm(
    v: Option<&Value>,
    label: Label,
    kind: Option<NormKind>,
    path: &str,
) -> Result<Norm> {
    let v = match v {
        None | Some(Value::Null) => return Ok(Norm::None),
        Some(v) => v,
    };
    match (kind, v) {
        (Some(NormKind::Integer), Value::Number(n)) => {
            n.as_u64().map(Norm::Value).ok_or_else(|| {
                Error::invalid(format!(
                    "{label} norm {n} is not a non-negative 64-bit integer"
                ))
                .in_field(path)
            })
        }
        (Some(NormKind::Integer), _) => Err(wrong(
            v,
            &format!("an integer (a {label}'s value) or null"),
            path,
        )),
        (_, Value::String(s)) => {
            Norm::parse(NormKind::Name, label, s).map_err(|m| Error::invalid(m).in_field(path))
        }
        (None, Value::Number(n)) => Ok(Norm::Name(n.to_string().into())),
        (_, _) => Err(wrong(
            v,
            &format!("a string (the {label}'s name) or null"),
            path,
        )),
    }
}

pub(crate) fn norm_value(n: &Norm) -> Value {
    match n {
        Norm::None => Value::Null,
        Norm::Name(s) => Value::String(s.to_string()),
        Norm::Value(v) => Value::from(*v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn msg<T: std::fmt::Debug>(r: Result<T>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        assert_eq!(
            msg(parse(b"{\"a\": 1,\n \"b\" 2}")),
            "line 2: invalid JSON at column 6: expected `:`"
        );
        assert!(msg(parse(b"[1, 2")).contains("EOF while parsing a list"));
    }

    #[test]
    fn offsets() {
        assert_eq!(offset(&json!(7), "start").unwrap(), 7);
        assert_eq!(
            msg(offset(&json!(-1), "start")),
            "field `start`: negative offset -1"
        );
        assert_eq!(
            msg(offset(&json!(1.5), "end")),
            "field `end`: offset 1.5 is not an integer"
        );
        assert_eq!(
            msg(offset(&json!("3"), "end")),
            "field `end`: expected an integer offset, found a string (\"3\")"
        );
    }

    #[test]
    fn norms_by_label() {
        use NormKind::{Integer, Name};
        let p = "spans[0].norm";
        let (fig, actor) = (Label::new("FIGURE").unwrap(), Label::new("ACTOR").unwrap());
        assert_eq!(
            norm(Some(&json!(13000)), fig, Some(Integer), p).unwrap(),
            Norm::Value(13000)
        );
        assert_eq!(norm(None, fig, Some(Integer), p).unwrap(), Norm::None);
        assert_eq!(
            norm(Some(&json!(null)), actor, Some(Name), p).unwrap(),
            Norm::None
        );
        assert_eq!(
            norm(Some(&json!("Mali")), actor, Some(Name), p).unwrap(),
            Norm::Name("Mali".into())
        );
        assert!(msg(norm(Some(&json!("13000")), fig, Some(Integer), p))
            .contains("expected an integer (a FIGURE's value) or null"));
        assert!(msg(norm(Some(&json!(-3)), fig, Some(Integer), p)).contains("not a non-negative"));
        assert!(msg(norm(Some(&json!(3)), actor, Some(Name), p))
            .contains("expected a string (the ACTOR's name) or null, found a number (3)"));
        for n in [Norm::None, Norm::Value(5), Norm::Name("UN".into())] {
            let kind = if matches!(n, Norm::Value(_)) {
                Some(Integer)
            } else {
                Some(Name)
            };
            assert_eq!(norm(Some(&norm_value(&n)), fig, kind, p).unwrap(), n);
        }
        // Undeclared: a string or a number, as a name.
        let cardinal = Label::new("CARDINAL").unwrap();
        assert_eq!(
            norm(Some(&json!(12)), cardinal, None, p).unwrap(),
            Norm::Name("12".into())
        );
        assert_eq!(
            norm(Some(&json!("12")), cardinal, None, p).unwrap(),
            Norm::Name("12".into())
        );
        assert!(msg(norm(Some(&json!([1])), cardinal, None, p)).contains("expected a string"));
    }

    #[test]
    fn ids_and_members() {
        assert_eq!(id(&json!(12), "id").unwrap(), "12");
        assert_eq!(id(&json!("a"), "id").unwrap(), "a");
        assert!(msg(id(&json!(""), "id")).contains("empty document id"));
        assert!(msg(id(&json!(-1), "id")).contains("expected a string or a non-negative"));
        let v = json!({"a": 1});
        let m = object(&v, "").unwrap();
        assert_eq!(msg(get(m, "b", "")), "missing key `b`");
        assert_eq!(msg(get(m, "b", "x[0]")), "field `x[0]`: missing key `b`");
        assert_eq!(join("", "a"), "a");
        assert_eq!(join(&index("x", 2), "a"), "x[2].a");
        assert_eq!(
            label(&json!("PER"), "l").unwrap(),
            Label::new("PER").unwrap()
        );
        assert!(msg(label(&json!("P ER"), "l")).contains("invalid label \"P ER\""));
    }
}
