//! The JSON renderer: the [`Report`] as serde serializes it (schema in the module docs).

use super::Report;

/// Pretty-printed JSON with a final newline.
pub(crate) fn render(report: &Report<'_>) -> String {
    // Every map key is a string and every float finite, so serialization cannot fail.
    let mut s = serde_json::to_string_pretty(report).expect("a report always serializes");
    s.push('\n');
    s
}
