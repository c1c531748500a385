//! HTML building blocks: escaping, element ids, and the sweep that turns a text and its
//! (possibly overlapping) marks into properly nested elements.

use std::cmp::Reverse;
use std::collections::BTreeMap;

/// Appends `s` escaped for an attribute value in double quotes (and safe in text too).
/// Newlines become `&#10;` so that a `title` keeps its line breaks.
pub(super) fn attr_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// `s` escaped for text content or an attribute value.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    attr_into(&mut out, s);
    out
}

/// Appends document text: `&`, `<` and `>` escaped, a carriage return written as `&#13;`
/// (a raw one would be folded into the newline by the parser, and the marked text would no
/// longer be the span's slice), NUL as U+FFFD (HTML drops a raw NUL from text).
pub(super) fn text_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// A string usable in an element id and a `#fragment` without escaping: ASCII letters,
/// digits and `_` are kept, `-` and every other byte become `-XX` (hex). The mapping is
/// injective, so distinct document ids give distinct element ids.
pub(super) fn id_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' {
            out.push(b as char);
        } else {
            out.push_str(&format!("-{b:02X}"));
        }
    }
    out
}

/// Hands out unique element ids: the first request for a base gets it as is, later ones get
/// `-2`, `-3`, ... appended (two errors may share a document, range and kind: two spurious
/// predictions with the same boundaries and other labels).
#[derive(Debug, Default)]
pub(super) struct Ids {
    seen: BTreeMap<String, usize>,
}

impl Ids {
    /// A unique id for `base`.
    pub(super) fn unique(&mut self, base: String) -> String {
        let n = self.seen.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            base
        } else {
            format!("{base}-{n}")
        }
    }
}

/// One marked range of a text, rendered as `<span class="CLASS" id="ID" ATTRS>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Mark {
    /// Byte offset of the start, on a character boundary.
    pub start: usize,
    /// Byte offset of the end, on a character boundary, `>= start`.
    pub end: usize,
    /// Among marks with the same range, lower ranks open first (outside).
    pub rank: u8,
    /// The class attribute.
    pub class: String,
    /// The id, given to the first element of the mark only.
    pub id: Option<String>,
    /// More attributes, already escaped, each with a leading space: ` title="..."`.
    pub attrs: String,
}

enum Event {
    Open {
        mark: usize,
        first: bool,
        last: bool,
    },
    Close,
    Text(usize, usize),
}

/// Writes `text` with `marks` as nested `<span>` elements.
///
/// A sweep over the boundaries: at each one, the marks ending there are closed, then the
/// marks starting there are opened, longest first (so a mark holds those it contains).
/// When a mark ends while a mark opened inside it is still open (the two cross), the inner
/// one is closed and reopened after it: it is *split* into several elements. Every element
/// of a mark has its class and attributes; only the first has the id (the others have it as
/// `data-part`, so the pieces can be found again), and every element but
/// the last has the extra class `split`, so styling that belongs at a mark's end (a badge)
/// is drawn once. An empty mark is an empty element at its offset.
///
/// Marks must lie inside the text on character boundaries (the caller converts and checks
/// offsets); a mark that does not is left out.
pub(super) fn marked_text(out: &mut String, text: &str, marks: &[Mark]) {
    let ok = |m: &Mark| {
        m.start <= m.end
            && m.end <= text.len()
            && text.is_char_boundary(m.start)
            && text.is_char_boundary(m.end)
    };
    let mut order: Vec<usize> = (0..marks.len()).filter(|&i| ok(&marks[i])).collect();
    order.sort_by_key(|&i| (marks[i].start, Reverse(marks[i].end), marks[i].rank, i));
    let mut points: Vec<usize> = order
        .iter()
        .flat_map(|&i| [marks[i].start, marks[i].end])
        .collect();
    points.sort_unstable();
    points.dedup();

    let mut events: Vec<Event> = Vec::with_capacity(order.len() * 3 + 1);
    // Open marks, innermost last: (mark, index of its open event).
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut next = 0;
    let mut pos = 0;
    for p in points {
        if p > pos {
            events.push(Event::Text(pos, p));
            pos = p;
        }
        if let Some(k) = stack.iter().position(|&(m, _)| marks[m].end == p) {
            let popped: Vec<(usize, usize)> = stack.drain(k..).collect();
            for &(m, open) in popped.iter().rev() {
                events.push(Event::Close);
                if marks[m].end == p {
                    if let Event::Open { last, .. } = &mut events[open] {
                        *last = true;
                    }
                }
            }
            for &(m, _) in popped.iter().filter(|&&(m, _)| marks[m].end > p) {
                stack.push((m, events.len()));
                events.push(Event::Open {
                    mark: m,
                    first: false,
                    last: false,
                });
            }
        }
        while next < order.len() && marks[order[next]].start == p {
            let m = order[next];
            next += 1;
            let empty = marks[m].end == p;
            if !empty {
                stack.push((m, events.len()));
            }
            events.push(Event::Open {
                mark: m,
                first: true,
                last: empty,
            });
            if empty {
                events.push(Event::Close);
            }
        }
    }
    if pos < text.len() {
        events.push(Event::Text(pos, text.len()));
    }
    debug_assert!(stack.is_empty());

    for e in events {
        match e {
            Event::Text(a, b) => text_into(out, &text[a..b]),
            Event::Close => out.push_str("</span>"),
            Event::Open { mark, first, last } => {
                let m = &marks[mark];
                out.push_str("<span class=\"");
                attr_into(out, &m.class);
                if !last {
                    out.push_str(" split");
                }
                out.push('"');
                if let Some(id) = &m.id {
                    out.push_str(if first { " id=\"" } else { " data-part=\"" });
                    attr_into(out, id);
                    out.push('"');
                }
                out.push_str(&m.attrs);
                out.push('>');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, name: &str) -> Mark {
        Mark {
            start,
            end,
            rank: 0,
            class: name.to_string(),
            id: Some(name.to_string()),
            attrs: String::new(),
        }
    }

    fn render(text: &str, marks: &[Mark]) -> String {
        let mut out = String::new();
        marked_text(&mut out, text, marks);
        out
    }

    /// Strips the tags: what a browser shows as text (entities decoded).
    fn plain(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#13;", "\r")
            .replace("&amp;", "&")
    }

    /// Checks that every `<span` is closed in order (the output is well nested).
    fn balanced(html: &str) -> bool {
        let mut depth: i64 = 0;
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            rest = &rest[i..];
            if rest.starts_with("</span>") {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            } else if rest.starts_with("<span") {
                depth += 1;
            } else {
                return false;
            }
            rest = &rest[1..];
        }
        depth == 0
    }

    #[test]
    fn escaping() {
        assert_eq!(
            esc(r#"a<b>&"c" 'd'"#),
            "a&lt;b&gt;&amp;&quot;c&quot; &#39;d&#39;"
        );
        assert_eq!(esc("two\nlines"), "two&#10;lines");
        let mut t = String::new();
        text_into(&mut t, "x < y && \"q\"\r\n\0");
        assert_eq!(t, "x &lt; y &amp;&amp; \"q\"&#13;\n\u{FFFD}");
        assert_eq!(esc("</span><script>"), "&lt;/span&gt;&lt;script&gt;");
    }

    #[test]
    fn id_parts_are_safe_and_distinct() {
        assert_eq!(id_part("001_ff4f"), "001_ff4f");
        assert_eq!(id_part("a b"), "a-20b");
        assert_eq!(id_part("a-b"), "a-2Db");
        assert_eq!(id_part("é"), "-C3-A9");
        // Injective: the escape character itself is escaped.
        assert_ne!(id_part("a-20b"), id_part("a b"));
        for s in ["x\"y", "<x>", "#x", "a/b?c"] {
            assert!(id_part(s)
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
        }
        let mut ids = Ids::default();
        assert_eq!(ids.unique("m".into()), "m");
        assert_eq!(ids.unique("m".into()), "m-2");
        assert_eq!(ids.unique("n".into()), "n");
        assert_eq!(ids.unique("m".into()), "m-3");
    }

    /// (name, text, marks as (start, end, name), expected HTML with classes only)
    #[test]
    fn sweep_table() {
        type Row = (
            &'static str,
            &'static str,
            Vec<(usize, usize, &'static str)>,
            &'static str,
        );
        let rows: Vec<Row> = vec![
            ("no marks", "a<b", vec![], "a&lt;b"),
            ("one", "abcdef", vec![(1, 3, "x")], "a<x>bc</x>def"),
            ("whole text", "abc", vec![(0, 3, "x")], "<x>abc</x>"),
            (
                "touching",
                "abcd",
                vec![(0, 2, "x"), (2, 4, "y")],
                "<x>ab</x><y>cd</y>",
            ),
            (
                "nested",
                "abcdef",
                vec![(1, 3, "y"), (0, 6, "x")],
                "<x>a<y>bc</y>def</x>",
            ),
            (
                "same range: rank then input order",
                "abc",
                vec![(0, 3, "x"), (0, 3, "y")],
                "<x><y>abc</y></x>",
            ),
            (
                "same start: longer outside",
                "abcd",
                vec![(0, 2, "y"), (0, 4, "x")],
                "<x><y>ab</y>cd</x>",
            ),
            (
                "same end: earlier start outside",
                "abcd",
                vec![(2, 4, "y"), (0, 4, "x")],
                "<x>ab<y>cd</y></x>",
            ),
            (
                "crossing: the inner one is split",
                "abcdef",
                vec![(0, 4, "x"), (2, 6, "y")],
                "<x>ab<y~>cd</y~></x><y>ef</y>",
            ),
            (
                "crossing three",
                "abcdefgh",
                vec![(0, 4, "x"), (2, 6, "y"), (3, 8, "z")],
                "<x>ab<y~>c<z~>d</z~></y~></x><y><z~>ef</z~></y><z>gh</z>",
            ),
            (
                "nested inside a split mark",
                "abcdefgh",
                vec![(0, 4, "x"), (2, 8, "y"), (5, 6, "z")],
                "<x>ab<y~>cd</y~></x><y>e<z>f</z>gh</y>",
            ),
            ("empty mark", "abc", vec![(1, 1, "e")], "a<e></e>bc"),
            (
                "out of range is left out",
                "abc",
                vec![(2, 9, "x"), (0, 1, "y")],
                "<y>a</y>bc",
            ),
        ];
        for (name, text, marks, want) in rows {
            let marks: Vec<Mark> = marks.iter().map(|&(s, e, n)| mark(s, e, n)).collect();
            let html = render(text, &marks);
            assert!(balanced(&html), "{name}: {html}");
            assert_eq!(plain(&html), text, "{name}: the text is unchanged");
            // Shorten `<span class="x" id="x">` to `<x>` and split elements to `<x~>`.
            let mut short = html.clone();
            for m in &marks {
                let n = &m.class;
                short = short
                    .replace(
                        &format!("<span class=\"{n}\" id=\"{n}\">"),
                        &format!("<{n}>"),
                    )
                    .replace(
                        &format!("<span class=\"{n} split\" id=\"{n}\">"),
                        &format!("<{n}~>"),
                    )
                    .replace(
                        &format!("<span class=\"{n} split\" data-part=\"{n}\">"),
                        &format!("<{n}~>"),
                    )
                    .replace(
                        &format!("<span class=\"{n}\" data-part=\"{n}\">"),
                        &format!("<{n}>"),
                    );
            }
            // Close tags in the expectation are written with names for readability.
            let want_spans = {
                let mut w = want.to_string();
                for m in &marks {
                    w = w
                        .replace(&format!("</{}~>", m.class), "</span>")
                        .replace(&format!("</{}>", m.class), "</span>");
                }
                w
            };
            assert_eq!(short, want_spans, "{name}: {html}");
        }
    }

    /// The text inside each mark, found again from the HTML: every element opened with
    /// `id="X"` or `data-part="X"` adds the text it holds to mark X.
    fn texts_by_mark(html: &str) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> = BTreeMap::new();
        let mut stack: Vec<Option<String>> = Vec::new();
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix("</span>") {
                stack.pop();
                rest = r;
            } else if rest.starts_with("<span") {
                let end = rest.find('>').expect("a tag ends");
                let tag = &rest[..end];
                let name = [" id=\"", " data-part=\""].iter().find_map(|k| {
                    tag.find(k).map(|i| {
                        let v = &tag[i + k.len()..];
                        v[..v.find('"').expect("quoted")].to_string()
                    })
                });
                if let Some(n) = &name {
                    out.entry(n.clone()).or_default();
                }
                stack.push(name);
                rest = &rest[end + 1..];
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                let text = plain(&rest[..end]);
                for n in stack.iter().flatten() {
                    out.get_mut(n).expect("opened").push_str(&text);
                }
                rest = &rest[end..];
            }
        }
        out
    }

    proptest::proptest! {
        /// Any marks, nested, crossing, repeated or empty, on text with multibyte
        /// characters: the output is well nested, shows the text unchanged, and the pieces
        /// of each mark hold exactly its slice.
        #[test]
        fn sweep_keeps_text_and_every_mark(
            chars in proptest::collection::vec(proptest::sample::select(vec!['a', 'é', ' ', '<', '&', '🇲']), 0..40),
            ranges in proptest::collection::vec((0usize..41, 0usize..41), 0..12),
        ) {
            let text: String = chars.iter().collect();
            let bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
            let marks: Vec<Mark> = ranges
                .iter()
                .enumerate()
                .map(|(i, &(a, b))| {
                    let (a, b) = (a.min(b).min(chars.len()), a.max(b).min(chars.len()));
                    Mark {
                        start: bounds[a],
                        end: bounds[b],
                        rank: (i % 3) as u8,
                        class: "m".into(),
                        id: Some(format!("m{i}")),
                        attrs: String::new(),
                    }
                })
                .collect();
            let html = render(&text, &marks);
            proptest::prop_assert!(balanced(&html), "{}", html);
            proptest::prop_assert_eq!(plain(&html), text.clone());
            let got = texts_by_mark(&html);
            proptest::prop_assert_eq!(got.len(), marks.len());
            for m in &marks {
                let id = m.id.as_deref().unwrap();
                proptest::prop_assert_eq!(&got[id], &text[m.start..m.end], "{}", html);
                proptest::prop_assert_eq!(html.matches(&format!(" id=\"{id}\"")).count(), 1);
            }
        }
    }

    #[test]
    fn ids_only_on_the_first_element_of_a_split_mark() {
        let html = render("abcdef", &[mark(0, 4, "x"), mark(2, 6, "y")]);
        assert_eq!(html.matches(" id=\"y\"").count(), 1);
        assert_eq!(html.matches(" data-part=\"y\"").count(), 1);
        assert_eq!(html.matches("class=\"y").count(), 2);
        assert!(html.find(" id=\"y\"").unwrap() < html.find(" data-part=\"y\"").unwrap());
    }

    #[test]
    fn multibyte_text_and_escaped_attributes() {
        let text = "Goïta & “Mali”";
        let start = text.find('“').unwrap();
        let m = Mark {
            start,
            end: text.len(),
            rank: 0,
            class: "m".into(),
            id: Some("a\"b".into()),
            attrs: " title=\"x\"".into(),
        };
        let html = render(text, &[m]);
        assert_eq!(
            html,
            "Goïta &amp; <span class=\"m\" id=\"a&quot;b\" title=\"x\">“Mali”</span>"
        );
        // Not on a character boundary: left out rather than cutting a character.
        let bad = mark(3, 4, "x");
        assert_eq!(render(text, &[bad]), "Goïta &amp; “Mali”");
    }
}
