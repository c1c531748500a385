//! Paragraph breaks, defined once for every module that cuts a text into paragraphs.
//!
//! **A paragraph break is a run of whitespace (`char::is_whitespace`) holding two line breaks
//! or more**, a line break being `\r\n`, `\n` or a lone `\r`: a blank line, whatever the line
//! endings and whatever spaces, tabs or no-break spaces sit on it (`\n\n`, `\r\n\r\n`,
//! `\n \n`, `\r\r`). `\n` after `\r` is the same line break; `\u{2028}` and the other Unicode
//! separators are whitespace but not line breaks. A non-whitespace character ends a run, so
//! `\n.\n` is two single line breaks.
//!
//! Three places rely on it: the tagger (no name matches across a paragraph break, and the
//! FIGURE recogniser looks neither backwards nor forwards across one), the stream chunker
//! (it cuts long texts only inside a paragraph break, so chunks tag like the whole text), and
//! `compare`'s paragraph units (the blocks between paragraph breaks).

use std::ops::Range;

/// The maximal whitespace runs of `text` that are paragraph breaks, as byte ranges, in order.
pub(crate) fn paragraph_breaks(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || loop {
        let (start, c) = chars.find(|&(_, c)| c.is_whitespace())?;
        let mut run = LineBreaks::default();
        run.push(c);
        let mut end = start + c.len_utf8();
        while let Some(&(i, d)) = chars.peek() {
            if !d.is_whitespace() {
                break;
            }
            run.push(d);
            end = i + d.len_utf8();
            chars.next();
        }
        if run.count >= 2 {
            return Some(start..end);
        }
    })
}

/// True when `text` holds a paragraph break. On a piece of a longer text, a run cut by the
/// piece's ends counts only the part inside it.
pub(crate) fn has_paragraph_break(text: &str) -> bool {
    // Most calls are on the gap between two words: reject it without decoding unless it has
    // the two line-break bytes a paragraph break needs.
    let mut line_bytes = text.bytes().filter(|&b| b == b'\n' || b == b'\r');
    line_bytes.nth(1).is_some() && paragraph_breaks(text).next().is_some()
}

/// The line breaks of a whitespace run, counted one character at a time.
#[derive(Default)]
struct LineBreaks {
    count: usize,
    after_cr: bool,
}

impl LineBreaks {
    /// Counts `c` (a line break starts at `\r`, or at `\n` not after `\r`).
    fn push(&mut self, c: char) {
        self.count += usize::from(c == '\r' || (c == '\n' && !self.after_cr));
        self.after_cr = c == '\r';
    }
}

/// Where the stream chunker may cut `buf` (bytes read so far, perhaps not valid UTF-8 yet):
/// the first offset at or after `from` that ends the second (or a later) line break of a
/// paragraph break, counting from the start of its run even when the run starts before
/// `from`. `None` when there is none yet; a `\r` at the very end of `buf` is not a cut (a
/// `\n` may follow). Cutting there is safe: both pieces keep only whitespace of the break.
///
/// Line-break bytes are found with `memchr`; only the whitespace before each is decoded, so a
/// long paragraph costs little more than a byte search. A caller that found no cut in `buf`
/// may pass, once more bytes are read, the old length as `from` (when it is past `target`):
/// a run that started before is still counted from its start.
pub(crate) fn paragraph_cut(buf: &[u8], from: usize) -> Option<usize> {
    // A cut ends a line break, which is at most 2 bytes long.
    let scan = from.saturating_sub(2).min(buf.len());
    for i in memchr::memchr2_iter(b'\n', b'\r', &buf[scan..]).map(|i| scan + i) {
        match i.checked_sub(1).map(|p| buf[p]) {
            Some(b'\r') if buf[i] == b'\n' => continue, // the end of a CRLF, seen at its CR
            // After a word (the common case): the first line break of its run.
            Some(p) if p.is_ascii() && !p.is_ascii_whitespace() && p != 0x0b => continue,
            None => continue,
            _ => {}
        }
        let end = match buf[i] {
            b'\r' if i + 1 == buf.len() => return None,
            b'\r' if buf[i + 1] == b'\n' => i + 2,
            _ => i + 1,
        };
        if end >= from && line_break_before(buf, i) {
            return Some(end);
        }
    }
    None
}

/// True when the whitespace run that ends at byte `at` holds a line break.
fn line_break_before(buf: &[u8], mut at: usize) -> bool {
    while let Some((c, len)) = char_before(buf, at) {
        if !c.is_whitespace() {
            return false;
        }
        at -= len;
        if c == '\r' || (c == '\n' && (at == 0 || buf[at - 1] != b'\r')) {
            return true;
        }
    }
    false
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// The character that starts at byte `at`, and its length; `None` for bytes that are not one.
fn char_at(buf: &[u8], at: usize) -> Option<(char, usize)> {
    let len = match buf[at] {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    let s = std::str::from_utf8(buf.get(at..at + len)?).ok()?;
    s.chars().next().map(|c| (c, len))
}

/// The character that ends at byte `at`, and its length; `None` for bytes that are not one.
fn char_before(buf: &[u8], at: usize) -> Option<(char, usize)> {
    (1..=4.min(at))
        .find(|&len| !is_continuation(buf[at - len]))
        .and_then(|len| char_at(buf, at - len).filter(|&(_, l)| l == len))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is and is not a paragraph break, as a run between two words.
    const BREAKS: &[(&str, &str, bool)] = &[
        ("blank line", "\n\n", true),
        ("blank line, CRLF", "\r\n\r\n", true),
        ("blank line, old Mac", "\r\r", true),
        ("LF then CR", "\n\r", true),
        ("spaces on the blank line", "\n \n", true),
        ("tab and no-break space on it", "\n\t\u{a0}\n", true),
        ("three line breaks", "\n\n\n", true),
        ("spaces around", "  \n\n  ", true),
        ("CRLF then LF", "\r\n\n", true),
        ("one line break", "\n", false),
        ("one CRLF", "\r\n", false),
        ("one CR", "\r", false),
        ("CRLF with spaces", " \r\n ", false),
        ("line and paragraph separators", "\u{2028}\u{2029}", false),
        ("vertical tab and form feed", "\n\x0b\x0c", false),
        ("next line (U+0085)", "\n\u{85}", false),
        ("punctuation between", "\n.\n", false),
        ("a space", " ", false),
        ("nothing", "", false),
    ];

    #[test]
    fn what_is_a_paragraph_break() {
        for &(name, run, want) in BREAKS {
            let text = format!("one{run}two");
            assert_eq!(has_paragraph_break(&text), want, "{name}: {run:?}");
            let found: Vec<Range<usize>> = paragraph_breaks(&text).collect();
            let expect: Vec<Range<usize>> =
                std::iter::once(3..3 + run.len()).filter(|_| want).collect();
            assert_eq!(found, expect, "{name}");
            // The chunker cuts inside exactly these runs, after the second line break.
            let cut = paragraph_cut(text.as_bytes(), 0);
            assert_eq!(cut.is_some(), want, "{name}: cut {cut:?}");
            if let Some(cut) = cut {
                assert!(
                    (4..=3 + run.len()).contains(&cut),
                    "{name}: cut {cut} outside the run"
                );
                assert!(text.is_char_boundary(cut), "{name}");
                assert!(!text[..cut].ends_with('\r') || !text[cut..].starts_with('\n'));
            }
        }
    }

    /// The same table through each place that relies on the definition.
    #[test]
    fn tagger_figures_and_compare_agree_on_every_row() {
        for &(name, run, want) in BREAKS {
            // compare: one paragraph, or two.
            let text = format!("one{run}two");
            let units = crate::compare::paragraphs(&text).len();
            assert_eq!(units, if want { 2 } else { 1 }, "compare: {name}");
            // The tagger's rewriting: `\n` (which no pattern contains) or a space.
            let rewritten = crate::normalize::rewrite_term(&text, Default::default());
            if !run.is_empty() && run.chars().all(char::is_whitespace) {
                let gap = if want { "\n" } else { " " };
                assert_eq!(rewritten, format!("one{gap}two"), "tagger: {name}");
                // The FIGURE recogniser: "June" makes "30" a date unless a break is between.
                let text = format!("in June{run}30 soldiers");
                let mut out = Vec::new();
                crate::figures::find_into(&text, crate::Label::new("FIGURE").unwrap(), &mut out);
                let counted: Vec<&str> = out.iter().map(|s| &text[s.range()]).collect();
                let want_counted: &[&str] = if want { &["30"] } else { &[] };
                assert_eq!(counted, want_counted, "figures: {name}");
            }
        }
    }

    #[test]
    fn paragraph_breaks_are_maximal_runs() {
        let text = "a\n\nb \n \n c\nd\r\n\r\n";
        let runs: Vec<&str> = paragraph_breaks(text).map(|r| &text[r]).collect();
        assert_eq!(runs, ["\n\n", " \n \n ", "\r\n\r\n"]);
        assert!(!has_paragraph_break("a\nb\nc"));
    }

    #[test]
    fn cuts_count_the_run_from_its_start() {
        // The run starts before `from`: its second line break is still a cut.
        let text = b"a\n\n\nb";
        assert_eq!(paragraph_cut(text, 0), Some(3));
        assert_eq!(paragraph_cut(text, 3), Some(3));
        assert_eq!(paragraph_cut(text, 4), Some(4));
        assert_eq!(paragraph_cut(text, 5), None);
        // A CRLF is not split; a CR at the end of what was read is not a cut yet.
        assert_eq!(paragraph_cut(b"a\r\n\r\nb", 0), Some(5));
        assert_eq!(paragraph_cut(b"a\n\r", 0), None);
        assert_eq!(paragraph_cut(b"a\n\rb", 0), Some(3));
        // Multi-byte whitespace on the blank line, and `from` inside it.
        let nbsp = "a\n\u{a0}\nb".as_bytes();
        for from in 0..=5 {
            assert_eq!(paragraph_cut(nbsp, from), Some(5), "from {from}");
        }
        // Bytes that are not UTF-8 end a run and do not panic.
        assert_eq!(paragraph_cut(b"\n\xff\n", 0), None);
        assert_eq!(paragraph_cut(b"\xff\n\n\xc3", 0), Some(3));
        assert_eq!(paragraph_cut(b"\xe2\x80", 1), None);
    }

    /// The chunker's cut, from the definition on `&str`: after each line break from the
    /// second on of each paragraph break (a CRLF whole; a final CR is undecided).
    fn reference_cut(text: &str, from: usize) -> Option<usize> {
        for run in paragraph_breaks(text) {
            let mut breaks = LineBreaks::default();
            for (k, c) in text[run.clone()]
                .char_indices()
                .map(|(k, c)| (run.start + k, c))
            {
                let before = breaks.count;
                breaks.push(c);
                if breaks.count == before || breaks.count < 2 {
                    continue;
                }
                let end = match c {
                    '\r' if k + 1 == text.len() => return None,
                    '\r' if text.as_bytes()[k + 1] == b'\n' => k + 2,
                    _ => k + 1,
                };
                if end >= from {
                    return Some(end);
                }
            }
        }
        None
    }

    proptest::proptest! {
        #[test]
        fn the_chunker_cuts_where_the_definition_says(
            pieces in proptest::collection::vec(
                proptest::sample::select(&["a", "é", "\n", "\r", " ", "\u{a0}", "\t", "\u{2028}", ".", "\x0b", "\x0c"][..]),
                0..40,
            ),
            from in 0usize..60,
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(
                paragraph_cut(text.as_bytes(), from),
                reference_cut(&text, from),
                "{:?} from {}", text, from
            );
        }
    }
}
