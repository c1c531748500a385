//! Bad input, case by case, on the real binary: each case creates its files in an empty
//! temporary folder, runs `tagbench` there and checks
//!
//! - the exit code: 2 for bad input (0 for the few inputs that look odd but are accepted:
//!   a byte-order mark, CRLF line ends, an empty text);
//! - the message: one line, `tagbench: error: ` and then the file, the line (and the field or
//!   column where known) and what is wrong, with the values involved; no panic, no backtrace
//!   (checked by `common::tagbench_in` on every run);
//! - nothing written: no output, no temporary file, no folder; the folder holds exactly the
//!   files the case made, with the same bytes.
//!
//! `docs/bad-input.md` lists every case with its command, exit code and the message the
//! binary printed. The test renders that table from the runs and fails when the file
//! differs; `TAGBENCH_BLESS=1 cargo test --test it bad_input::` rewrites it. `--nocapture` prints
//! every case and its message as it runs.

use crate::common;
use common::tagbench_in;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use tempfile::TempDir;

/// A file of a case: its path in the temporary folder and its bytes.
type File = (&'static str, &'static [u8]);

/// One case: the files it creates, the arguments, the exit code and what standard error must
/// contain (for a failure: the file, the line, the field and what is wrong).
struct Case {
    name: &'static str,
    files: &'static [File],
    args: &'static [&'static str],
    code: i32,
    want: &'static str,
}

// ---- fixtures ----------------------------------------------------------------------------

const TEXT: File = ("texts/d.txt", b"Mali and the UN met.\n");
const PRED: File = (
    "pred.csv",
    b"doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\n",
);
const GAZ: File = (
    "g.csv",
    b"term,label,norm\nMali,PLACE,Mali\nUN,ACTOR,United Nations\n",
);
const VARIANT: File = (
    "v.toml",
    b"description = \"test\"\ngazetteers = [\"g.csv\"]\n",
);
/// A gold annotations file beside which `labels.toml` is looked for.
const GOLD: File = (
    "gold.csv",
    b"doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\n",
);
/// This repository's label declarations, beside `gold.csv`.
const LABELS: File = (
    "labels.toml",
    b"[[label]]\nname = \"ACTOR\"\n[[label]]\nname = \"PLACE\"\n[[label]]\nname = \"FIGURE\"\nnorm = \"integer\"\n",
);
/// A text with a 4-byte character, for the format readers.
const ASTRAL_TEXT: File = ("texts/d.txt", "𝔐ali and the UN.\n".as_bytes());
const GOLD_TEXT: File = ("gold/texts/d.txt", b"Mali and the UN met.\n");
const GOLD_CSV: File = (
    "gold/annotations.csv",
    b"doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\n",
);

const SCORE: &[&str] = &["score", "--gold", "gold.csv", "--pred", "pred.csv"];
const SCORE_TEXTS: &[&str] = &[
    "score", "--gold", "gold.csv", "--pred", "pred.csv", "--texts", "texts",
];
const TAG: &[&str] = &["tag", "--variant", "v.toml", "texts"];

const CASES: &[Case] = &[
    // ---- annotations CSV: header and fields --------------------------------------------
    Case {
        name: "missing header column",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text\nd,0,4,PLACE,Mali\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:1: bad header: expected `doc,start,end,label,text,norm`, found `doc,start,end,label,text` (missing: norm)",
    },
    Case {
        name: "misspelt header column",
        files: &[TEXT, PRED, ("gold.csv", b"doc,strat,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:1: bad header: expected `doc,start,end,label,text,norm`, found `doc,strat,end,label,text,norm` (missing: start) (unknown: strat)",
    },
    Case {
        name: "tab-separated header",
        files: &[TEXT, PRED, ("gold.csv", b"doc\tstart\tend\tlabel\ttext\tnorm\nd\t0\t4\tPLACE\tMali\tMali\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:1: bad header: it looks tab-separated (\"doc\\tstart\\tend\\tlabel\\ttext\\tnorm\"); annotation files are comma-separated, with the header `doc,start,end,label,text,norm`",
    },
    Case {
        name: "semicolon-separated header",
        files: &[TEXT, PRED, ("gold.csv", b"doc;start;end;label;text;norm\nd;0;4;PLACE;Mali;Mali\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:1: bad header: it looks semicolon-separated (\"doc;start;end;label;text;norm\"); annotation files are comma-separated",
    },
    Case {
        name: "predictions header without label",
        files: &[GOLD_TEXT, GOLD_CSV, ("pred.csv", b"doc,start,end,text\nd,0,4,Mali\n")],
        args: &["score", "--gold", "gold", "--pred", "pred.csv"],
        code: 2,
        want: "pred.csv:1: bad header: expected `doc,start,end,label,text,norm` (text and norm may be left out), found `doc,start,end,text` (missing: label)",
    },
    Case {
        name: "predictions text column that differs from the text",
        files: &[GOLD_TEXT, GOLD_CSV, ("pred.csv", b"doc,end,start,label,text\r\nd,4,0,PLACE,Mali\r\nd,15,13,ACTOR,UM\r\n")],
        args: &["score", "--gold", "gold", "--pred", "pred.csv"],
        code: 2,
        want: "pred.csv:3: field `text`: text \"UM\" differs from the document's slice 13..15: \"UN\"",
    },
    Case {
        name: "zero resamples",
        files: &[],
        args: &["compare", "--resamples", "0"],
        code: 2,
        want: "--resamples must be at least 1 (with 0, there is no interval to give)",
    },
    Case {
        name: "zero shuffles",
        files: &[],
        args: &["compare", "--shuffles", "0"],
        code: 2,
        want: "--shuffles must be at least 1 (with 0, there is no p-value to give)",
    },
    Case {
        name: "extra field",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali,x\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:2: expected 6 fields, found 7",
    },
    Case {
        name: "missing field",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\nd,9,12,ACTOR,the\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:3: expected 6 fields, found 5",
    },
    Case {
        name: "empty document id",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\n,0,4,PLACE,Mali,Mali\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:2: field `doc`: empty document id",
    },
    Case {
        name: "non-integer offset",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\nd,zero,4,PLACE,Mali,Mali\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:2: field `start`: not a non-negative integer: \"zero\"",
    },
    Case {
        name: "negative offset",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\nd,-1,4,PLACE,Mali,Mali\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:2: field `start`: negative offset \"-1\"",
    },
    Case {
        name: "overflowing offset",
        files: &[TEXT, ("gold.csv", b"doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\n"), ("pred.csv", b"doc,start,end,label,text,norm\nd,0,99999999999999999999999,PLACE,Mali,Mali\n")],
        args: SCORE,
        code: 2,
        want: "pred.csv:2: field `end`: offset \"99999999999999999999999\" is too large",
    },
    Case {
        name: "start equal to end",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\nd,4,4,PLACE,,Mali\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:2: field `end`: start 4 is not before end 4 (offsets are half-open)",
    },
    Case {
        name: "start after end",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\nd,4,0,PLACE,Mali,Mali\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:2: field `end`: start 4 is not before end 0 (offsets are half-open)",
    },
    Case {
        name: "invalid label",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\nd,0,4,COUN TRY,Mali,Mali\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:2: field `label`: invalid label \"COUN TRY\" (a label is non-empty, without whitespace, control characters or commas)",
    },
    Case {
        name: "FIGURE norm that is not an integer",
        files: &[TEXT, PRED, LABELS, ("gold.csv", b"doc,start,end,label,text,norm\nd,0,4,FIGURE,Mali,4.5\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:2: field `norm`: FIGURE norm \"4.5\" is not an integer without separators",
    },
    // ---- annotations CSV against the texts --------------------------------------------
    Case {
        name: "span past the end of its text",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\nd,17,30,PLACE,met.,Mali\n")],
        args: SCORE_TEXTS,
        code: 2,
        want: "gold.csv:2: field `end`: span 17..30 is past the end of document \"d\" (21 code points)",
    },
    Case {
        name: "text column that differs from the slice",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\nd,0,4,PLACE,Mail,Mali\n")],
        args: SCORE_TEXTS,
        code: 2,
        want: "gold.csv:2: field `text`: text \"Mail\" differs from the document's slice 0..4: \"Mali\"",
    },
    Case {
        name: "prediction text that differs from the slice",
        files: &[TEXT, ("gold.csv", b"doc,start,end,label,text,norm\n"), ("pred.csv", b"doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\nd,13,15,ACTOR,US,\n")],
        args: SCORE_TEXTS,
        code: 2,
        want: "pred.csv:3: field `text`: text \"US\" differs from the document's slice 13..15: \"UN\"",
    },
    Case {
        name: "unknown document id",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\ne,0,4,PLACE,Mali,Mali\n")],
        args: SCORE_TEXTS,
        code: 2,
        want: "gold.csv:2: field `doc`: unknown document id \"e\" (no e.txt in the texts folder)",
    },
    Case {
        name: "overlapping gold spans",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\nd,2,8,PLACE,li and,x\n")],
        args: SCORE_TEXTS,
        code: 2,
        want: "gold.csv:3: span 2..8 \"li and\" overlaps span 0..4 \"Mali\" on line 2",
    },
    Case {
        name: "duplicate rows",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\nd,0,4,PLACE,Mali,Mali\n")],
        args: SCORE_TEXTS,
        code: 2,
        want: "gold.csv:3: duplicate row: PLACE 0..4 \"Mali\" (also on line 2)",
    },
    // ---- encodings and line ends ------------------------------------------------------
    Case {
        name: "byte-order mark (accepted)",
        files: &[TEXT, PRED, ("gold.csv", b"\xEF\xBB\xBFdoc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\n")],
        args: SCORE_TEXTS,
        code: 0,
        want: "",
    },
    Case {
        name: "CRLF line ends (accepted)",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\r\nd,0,4,PLACE,Mali,Mali\r\n")],
        args: SCORE_TEXTS,
        code: 0,
        want: "",
    },
    Case {
        name: "byte-order mark and CRLF in a gazetteer (accepted)",
        files: &[TEXT, VARIANT, ("g.csv", b"\xEF\xBB\xBFterm,label,norm\r\nMali,PLACE,Mali\r\n")],
        args: TAG,
        code: 0,
        want: "",
    },
    Case {
        name: "invalid UTF-8 in a CSV field",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\nd,9,12,ACTOR,t\xFFe,\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:3: field `text`: invalid UTF-8 at byte 1 of the field",
    },
    Case {
        name: "invalid UTF-8 in a CSV header",
        files: &[TEXT, PRED, ("gold.csv", b"doc,st\xC3(art,end,label,text,norm\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:1: field `column 2`: invalid UTF-8 at byte 2 of the field",
    },
    Case {
        name: "invalid UTF-8 in a text to score against",
        files: &[PRED, ("texts/d.txt", b"Mali \xC3( and the UN.\n"), ("gold.csv", b"doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,Mali\n")],
        args: SCORE_TEXTS,
        code: 2,
        want: "texts/d.txt:1: invalid UTF-8 at byte 5",
    },
    Case {
        name: "invalid UTF-8 in a text to tag",
        files: &[GAZ, VARIANT, ("texts/d.txt", b"Mali\n\xFF\n")],
        args: TAG,
        code: 2,
        want: "texts/d.txt:2: invalid UTF-8 at byte 5",
    },
    Case {
        name: "invalid UTF-8 in a gazetteer",
        files: &[TEXT, VARIANT, ("g.csv", b"term,label,norm\nMali,PLACE,Mali\nBamak\xF6,PLACE,Bamako\n")],
        args: TAG,
        code: 2,
        want: "g.csv:3: field `term`: invalid UTF-8 at byte 5 of the field",
    },
    Case {
        name: "invalid UTF-8 in a variant",
        files: &[TEXT, GAZ, ("v.toml", b"description = \"test\"\ngazetteers = [\"g.csv\"]\n# caf\xE9\n")],
        args: TAG,
        code: 2,
        want: "v.toml:3: invalid UTF-8 at byte 49",
    },
    // ---- empty files ------------------------------------------------------------------
    Case {
        name: "empty annotations CSV",
        files: &[TEXT, PRED, ("gold.csv", b"")],
        args: SCORE,
        code: 2,
        want: "gold.csv:1: empty file: expected the header `doc,start,end,label,text,norm`",
    },
    Case {
        name: "annotations CSV with a header only (accepted: no mention)",
        files: &[TEXT, PRED, ("gold.csv", b"doc,start,end,label,text,norm\n")],
        args: SCORE_TEXTS,
        code: 0,
        want: "",
    },
    Case {
        name: "empty gazetteer",
        files: &[TEXT, VARIANT, ("g.csv", b"")],
        args: TAG,
        code: 2,
        want: "g.csv:1: empty gazetteer: expected the header `term,label,norm,kind,case`",
    },
    Case {
        name: "empty text (accepted: a document without mentions)",
        files: &[GAZ, VARIANT, ("texts/d.txt", b"")],
        args: TAG,
        code: 0,
        want: "",
    },
    Case {
        name: "empty variant",
        files: &[TEXT, GAZ, ("v.toml", b"")],
        args: TAG,
        code: 2,
        want: "v.toml:1: column 1: missing field `description`",
    },
    Case {
        name: "empty baseline",
        files: &[("b.json", b"")],
        args: &["check", "--baseline", "b.json"],
        code: 2,
        want: "b.json: empty baseline file (write one with `tagbench check --bless`)",
    },
    // ---- gazetteers ---------------------------------------------------------------------
    Case {
        name: "gazetteer with a misspelt header",
        files: &[TEXT, VARIANT, ("g.csv", b"term,lable,norm\nMali,PLACE,Mali\n")],
        args: TAG,
        code: 2,
        want: "g.csv:1: bad header: expected `term,label,norm,kind,case` (kind and case may be left out), found `term,lable,norm`",
    },
    Case {
        name: "empty gazetteer term",
        files: &[TEXT, VARIANT, ("g.csv", b"term,label,norm\nMali,PLACE,Mali\n,ACTOR,United Nations\n")],
        args: TAG,
        code: 2,
        want: "g.csv:3: field `term`: empty term",
    },
    Case {
        name: "gazetteer term with surrounding spaces",
        files: &[TEXT, VARIANT, ("g.csv", b"term,label,norm\nMali ,PLACE,Mali\n")],
        args: TAG,
        code: 2,
        want: "g.csv:2: field `term`: term \"Mali \" has leading or trailing whitespace",
    },
    Case {
        name: "term listed with two labels",
        files: &[TEXT, VARIANT, ("g.csv", b"term,label,norm\nNiger,PLACE,Niger\nMali,PLACE,Mali\nNiger,ACTOR,Niger\n")],
        args: TAG,
        code: 2,
        want: "g.csv:4: field `term`: term \"Niger\" is listed as ACTOR \"Niger\" here and as PLACE \"Niger\" at g.csv:2",
    },
    Case {
        name: "term listed with two labels in two gazetteers",
        files: &[TEXT, ("g.csv", b"term,label,norm\nNiger,PLACE,Niger\n"), ("h.csv", b"term,label,norm\nNiger,ACTOR,Niger\n"), ("v.toml", b"description = \"test\"\ngazetteers = [\"g.csv\", \"h.csv\"]\n")],
        args: TAG,
        code: 2,
        want: "h.csv:2: field `term`: term \"Niger\" is listed as ACTOR \"Niger\" here and as PLACE \"Niger\" at g.csv:2",
    },
    Case {
        name: "gazetteer invalid label",
        files: &[TEXT, VARIANT, ("g.csv", b"term,label,norm\nMali,COUN TRY,Mali\n")],
        args: TAG,
        code: 2,
        want: "g.csv:2: field `label`: invalid label \"COUN TRY\" (a label is non-empty, without whitespace, control characters or commas)",
    },
    Case {
        name: "gazetteer unknown case override",
        files: &[TEXT, VARIANT, ("g.csv", b"term,label,norm,kind,case\nUN,ACTOR,United Nations,organisation,upper\n")],
        args: TAG,
        code: 2,
        want: "g.csv:2: field `case`: unknown case \"upper\" (expected empty, exact or fold)",
    },
    Case {
        name: "gazetteer row with a missing field",
        files: &[TEXT, VARIANT, ("g.csv", b"term,label,norm\nMali,PLACE\n")],
        args: TAG,
        code: 2,
        want: "g.csv:2: expected 3 fields, found 2",
    },
    Case {
        name: "gazetteer file that does not exist",
        files: &[TEXT, ("v.toml", b"description = \"test\"\ngazetteers = [\"places.csv\"]\n")],
        args: TAG,
        code: 2,
        want: "places.csv: No such file or directory (os error 2) (a gazetteer of variant v.toml)",
    },
    // ---- variants -----------------------------------------------------------------------
    Case {
        name: "variant with an unknown key",
        files: &[TEXT, GAZ, ("v.toml", b"description = \"x\"\ngazetteers = [\"g.csv\"]\n\n[tagger]\ncolour = true\n")],
        args: TAG,
        code: 2,
        want: "v.toml:5: column 1: unknown field `colour`, expected one of `match_kind`, `case`, `fold_accents`, `word_boundaries`, `figures`, `figure_label`, `automaton`",
    },
    Case {
        name: "variant with a wrong type",
        files: &[TEXT, GAZ, ("v.toml", b"description = \"x\"\ngazetteers = [\"g.csv\"]\n\n[tagger]\nfigures = \"yes\"\n")],
        args: TAG,
        code: 2,
        want: "v.toml:5: column 11: invalid type: string \"yes\", expected a boolean",
    },
    Case {
        name: "variant with a number for a mode",
        files: &[TEXT, GAZ, ("v.toml", b"description = \"x\"\ngazetteers = [\"g.csv\"]\n\n[tagger]\nmatch_kind = 3\n")],
        args: TAG,
        code: 2,
        want: "v.toml:5: column 14: invalid type: expected a string",
    },
    Case {
        name: "variant with an unknown mode",
        files: &[TEXT, GAZ, ("v.toml", b"description = \"x\"\ngazetteers = [\"g.csv\"]\n\n[tagger]\ncase = \"upper\"\n")],
        args: TAG,
        code: 2,
        want: "v.toml:5: column 8: unknown value `upper`, expected one of `exact`, `ascii`, `unicode`",
    },
    Case {
        name: "variant that is not TOML",
        files: &[TEXT, GAZ, ("v.toml", b"description = \"x\"\ngazetteers = [\"g.csv\"\n")],
        args: TAG,
        code: 2,
        want: "v.toml:3: column 1: invalid array: expected `]`",
    },
    Case {
        name: "variant without gazetteers",
        files: &[TEXT, ("v.toml", b"description = \"x\"\n")],
        args: TAG,
        code: 2,
        want: "v.toml:1: column 1: missing field `gazetteers`",
    },
    Case {
        name: "unknown variant name",
        files: &[TEXT, GAZ, ("variants/only.toml", b"description = \"x\"\ngazetteers = [\"../g.csv\"]\n")],
        args: &["tag", "--variant", "defualt", "texts"],
        code: 2,
        want: "variants: unknown variant \"defualt\" (known: only)",
    },
    Case {
        name: "variant name without a variants folder",
        files: &[TEXT],
        args: &["tag", "texts"],
        code: 2,
        want: "variants: unknown variant \"default\": no variants folder here (give --variants-dir DIR, or a path to a .toml file)",
    },
    // ---- missing files and folders ----------------------------------------------------
    Case {
        name: "missing annotations file",
        files: &[TEXT, PRED],
        args: SCORE,
        code: 2,
        want: "gold.csv: No such file or directory",
    },
    Case {
        name: "missing text file to tag",
        files: &[GAZ, VARIANT],
        args: &["tag", "--variant", "v.toml", "texts/d.txt"],
        code: 2,
        want: "texts/d.txt: no such file or folder",
    },
    Case {
        name: "missing texts folder",
        files: &[PRED, ("gold.csv", b"doc,start,end,label,text,norm\n")],
        args: SCORE_TEXTS,
        code: 2,
        want: "texts: No such file or directory",
    },
    Case {
        name: "missing gold folder",
        files: &[GAZ, VARIANT],
        args: &["eval", "--variant", "v.toml", "--gold", "gold"],
        code: 2,
        want: "gold: gold folder not found",
    },
    Case {
        name: "folder with no texts to tag",
        files: &[GAZ, VARIANT, ("texts/notes.md", b"not a text\n")],
        args: TAG,
        code: 2,
        want: "texts: no .txt files in this folder",
    },
    Case {
        name: "folder with no texts to score against",
        files: &[PRED, ("gold.csv", b"doc,start,end,label,text,norm\n"), ("texts/notes.md", b"not a text\n")],
        args: SCORE_TEXTS,
        code: 2,
        want: "texts: no .txt files in this folder",
    },
    Case {
        name: "gold folder without annotations",
        files: &[GAZ, VARIANT, GOLD_TEXT],
        args: &["eval", "--variant", "v.toml", "--gold", "gold", "--gold-format", "csv"],
        code: 2,
        want: "gold/annotations.csv: No such file or directory",
    },
    // ---- outputs ------------------------------------------------------------------------
    Case {
        name: "tag output in a folder that does not exist",
        files: &[TEXT, GAZ, VARIANT],
        args: &["tag", "--variant", "v.toml", "--out", "out/pred.csv", "texts"],
        code: 2,
        want: "out/pred.csv: cannot write: folder out does not exist",
    },
    Case {
        name: "tag output that is a folder",
        files: &[TEXT, GAZ, VARIANT],
        args: &["tag", "--variant", "v.toml", "--out", "texts", "texts"],
        code: 2,
        want: "texts: cannot write: is a folder",
    },
    Case {
        name: "convert output in a folder that does not exist",
        files: &[TEXT, PRED],
        args: &["convert", "pred.csv", "--texts", "texts", "out/pred.jsonl"],
        code: 2,
        want: "out/pred.jsonl: cannot write: folder out does not exist",
    },
    Case {
        name: "convert output whose parent is a file",
        files: &[TEXT, PRED],
        args: &["convert", "pred.csv", "--texts", "texts", "pred.csv/out.jsonl"],
        code: 2,
        want: "pred.csv/out.jsonl: cannot write: pred.csv is a file, not a folder",
    },
    Case {
        name: "convert output under a file, deeper",
        files: &[TEXT, PRED],
        args: &["convert", "pred.csv", "--texts", "texts", "pred.csv/a/b/out.jsonl"],
        code: 2,
        want: "pred.csv/a/b/out.jsonl: cannot write: pred.csv is a file, not a folder",
    },
    Case {
        name: "brat output folder whose parent does not exist",
        files: &[TEXT, PRED],
        args: &["convert", "pred.csv", "--texts", "texts", "--to", "brat", "out/brat"],
        code: 2,
        want: "out/brat: cannot create the folder: out does not exist",
    },
    Case {
        name: "brat output folder whose parent is a file",
        files: &[TEXT, PRED],
        args: &["convert", "pred.csv", "--texts", "texts", "--to", "brat", "pred.csv/brat"],
        code: 2,
        want: "pred.csv/brat: cannot create the folder: pred.csv is a file, not a folder",
    },
    Case {
        name: "csv output into a folder",
        files: &[TEXT, PRED, ("out.csv/keep.txt", b"x\n")],
        args: &["convert", "pred.csv", "--texts", "texts", "--to", "csv", "out.csv"],
        code: 2,
        want: "out.csv: is a folder, and csv output is a file",
    },
    Case {
        name: "--texts-out whose parent does not exist",
        files: &[TEXT, PRED],
        args: &["convert", "pred.csv", "--texts", "texts", "--texts-out", "no/texts", "out.csv"],
        code: 2,
        want: "no/texts: cannot create the folder: no does not exist",
    },
    Case {
        name: "baseline in a folder that does not exist",
        files: &[GOLD_TEXT, GOLD_CSV, GAZ, ("variants/v.toml", b"description = \"test\"\ngazetteers = [\"../g.csv\"]\n")],
        args: &["check", "--bless", "--baseline", "out/baseline.json"],
        code: 2,
        want: "out/baseline.json: cannot write: folder out does not exist",
    },
    Case {
        name: "baseline under a file",
        files: &[GOLD_TEXT, GOLD_CSV, GAZ, ("variants/v.toml", b"description = \"test\"\ngazetteers = [\"../g.csv\"]\n")],
        args: &["check", "--bless", "--baseline", "g.csv/baseline.json"],
        code: 2,
        want: "g.csv/baseline.json: cannot write: g.csv is a file, not a folder",
    },
    Case {
        name: "baseline that is a folder",
        files: &[GOLD_TEXT, GOLD_CSV, GAZ, ("variants/v.toml", b"description = \"test\"\ngazetteers = [\"../g.csv\"]\n")],
        args: &["check", "--bless", "--baseline", "gold"],
        code: 2,
        want: "gold: cannot write: is a folder",
    },
    Case {
        name: "bless with a broken variant",
        files: &[GOLD_TEXT, GOLD_CSV, GAZ, ("variants/v.toml", b"description = \"test\"\ngazetteers = [\"../g.csv\"]\n[tagger]\ncase = \"upper\"\n")],
        args: &["check", "--bless", "--baseline", "gold/baseline.json"],
        code: 2,
        want: "variants/v.toml:4: column 8: unknown value `upper`, expected one of `exact`, `ascii`, `unicode`",
    },
    // ---- baselines ----------------------------------------------------------------------
    Case {
        name: "baseline that is not JSON",
        files: &[("b.json", b"{\n  \"version\": 1,\n  \"variants\": {,}\n}\n")],
        args: &["check", "--baseline", "b.json"],
        code: 2,
        want: "b.json:3: column 16: key must be a string",
    },
    Case {
        name: "baseline of another version",
        files: &[("b.json", b"{\"version\": 7, \"variants\": {}}")],
        args: &["check", "--baseline", "b.json"],
        code: 2,
        want: "b.json: unsupported baseline version 7 (this tagbench reads version 1)",
    },
    Case {
        name: "baseline that is not UTF-8",
        files: &[("b.json", b"{\"version\": 1,\n \"variants\": {\"\xFF\": 1}}")],
        args: &["check", "--baseline", "b.json"],
        code: 2,
        want: "b.json:2: invalid UTF-8 at byte 30",
    },
    // ---- other formats ------------------------------------------------------------------
    Case {
        name: "brat discontinuous span",
        files: &[("brat/d.txt", b"Mali and the UN.\n"), ("brat/d.ann", b"T1\tPLACE 0 4\tMali\nT2\tACTOR 0 4;13 15\tMali UN\n")],
        args: &["convert", "brat", "out.csv"],
        code: 2,
        want: "d.ann:2: field `offsets`: discontinuous span \"0 4;13 15\": tagbench reads one range per mention",
    },
    Case {
        name: "brat invalid label",
        files: &[("brat/d.txt", b"Mali and the UN.\n"), ("brat/d.ann", b"T1\tLO,C 0 4\tMali\n")],
        args: &["convert", "brat", "out.csv"],
        code: 2,
        want: "d.ann:1: field `type`: invalid label \"LO,C\" (a label is non-empty, without whitespace, control characters or commas)",
    },
    Case {
        name: "brat text that is not the slice",
        files: &[("brat/d.txt", b"Mali and the UN.\n"), ("brat/d.ann", b"T1\tPLACE 1 5\tMali\n")],
        args: &["convert", "brat", "out.csv"],
        code: 2,
        want: "d.ann:1: field `text`: text \"Mali\" differs from the slice 1..5 of d.txt: \"ali \"",
    },
    Case {
        name: "brat text without its .ann",
        files: &[("brat/d.txt", b"Mali\n")],
        args: &["convert", "brat", "out.csv"],
        code: 2,
        want: "d.txt: no .ann file beside this text",
    },
    Case {
        name: "labelstudio offset inside a surrogate pair",
        files: &[("ls.json", "[{\"data\": {\"text\": \"𝔐ali\"},\n  \"annotations\": [{\"result\": [{\"value\": {\"start\": 1, \"end\": 5, \"labels\": [\"PLACE\"]}}]}]}]\n".as_bytes())],
        args: &["convert", "ls.json", "out.csv"],
        code: 2,
        want: "ls.json: field `[0].annotations[0].result[0].value.start`: UTF-16 offset 1 falls inside a surrogate pair (the two code units 0..2 of '𝔐', code point 0)",
    },
    Case {
        name: "labelstudio bad JSON",
        files: &[("ls.json", b"[\n  {\"data\": {\"text\": \"x\"}},\n  {\"data\": {\"text\": \"y\"}\n]\n")],
        args: &["convert", "ls.json", "out.csv"],
        code: 2,
        want: "ls.json:4: invalid JSON at column 1: expected `,` or `}`",
    },
    Case {
        name: "jsonl bad JSON on line 2",
        files: &[("in.jsonl", b"{\"id\": \"a\", \"text\": \"x\", \"spans\": []}\n{\"id\": \"b\", \"text\": \"y\", \"spans\": [}\n")],
        args: &["convert", "in.jsonl", "out.csv"],
        code: 2,
        want: "in.jsonl:2: invalid JSON at column 36: expected value",
    },
    Case {
        name: "jsonl invalid label",
        files: &[("in.jsonl", b"{\"id\": \"a\", \"text\": \"Mali\", \"spans\": [{\"start\": 0, \"end\": 4, \"label\": \"G PE\"}]}\n")],
        args: &["convert", "in.jsonl", "out.csv"],
        code: 2,
        want: "in.jsonl:1: field `spans[0].label`: invalid label \"G PE\" (a label is non-empty, without whitespace, control characters or commas)",
    },
    Case {
        name: "jsonl span past the end of its text",
        files: &[("in.jsonl", "{\"id\": \"a\", \"text\": \"𝔐ali\", \"spans\": [{\"start\": 0, \"end\": 5, \"label\": \"PLACE\"}]}\n".as_bytes())],
        args: &["convert", "in.jsonl", "out.csv"],
        code: 2,
        want: "in.jsonl:1: field `spans[0]`: span 0..5 is past the end of document \"a\" (4 code points)",
    },
    Case {
        name: "doccano file read as jsonl",
        files: &[("in.jsonl", b"{\"text\": \"Mali\", \"label\": [[0, 4, \"PLACE\"]]}\n")],
        args: &["convert", "in.jsonl", "out.csv"],
        code: 2,
        want: "in.jsonl:1: missing key `spans` (this line has `label`: a doccano file? read it as doccano)",
    },
    Case {
        name: "doccano entry of the wrong shape",
        files: &[("in.jsonl", b"\n{\"text\": \"Mali\", \"label\": [[0, \"PLACE\"]]}\n")],
        args: &["convert", "--from", "doccano", "in.jsonl", "out.csv"],
        code: 2,
        want: "in.jsonl:2: field `label[0]`: expected [start, end, \"LABEL\"], found an array of 2 values",
    },
    Case {
        name: "conll invalid label in a tag",
        files: &[("in.conll", b"-DOCSTART-\td\n\nMali\tB-G,PE\n")],
        args: &["convert", "in.conll", "out.csv"],
        code: 2,
        want: "in.conll:3: field `tag`: tag \"B-G,PE\": invalid label \"G,PE\" (a label is non-empty, without whitespace, control characters or commas)",
    },
    Case {
        name: "conll token not in the text",
        files: &[ASTRAL_TEXT, ("in.conll", "-DOCSTART-\td\n\n𝔐ali\tB-PLACE\nor\tO\n".as_bytes())],
        args: &["convert", "in.conll", "--texts", "texts", "out.csv"],
        code: 2,
        want: "in.conll:4: field `token`: token \"or\" does not match the text of document \"d\" at code point 5: found \"an\"",
    },
    Case {
        name: "csv span past the end of its text, converted",
        files: &[ASTRAL_TEXT, ("in.csv", b"doc,start,end,label,text,norm\nd,15,18,ACTOR,x,\n")],
        args: &["convert", "in.csv", "--texts", "texts", "out.jsonl"],
        code: 2,
        want: "in.csv:2: field `end`: span 15..18 is past the end of document \"d\" (17 code points)",
    },
    Case {
        name: "unknown extension",
        files: &[("in.xml", b"<x/>")],
        args: &["convert", "in.xml", "out.csv"],
        code: 2,
        want: "in.xml: cannot tell the format from the name (.csv, .conll, .bio, .jsonl, .json, .ann or a folder); give --from",
    },
    Case {
        name: "--texts with a format that carries its texts",
        files: &[ASTRAL_TEXT, ("in.jsonl", b"{\"text\": \"x\", \"spans\": []}\n")],
        args: &["convert", "in.jsonl", "--texts", "texts", "out.csv"],
        code: 2,
        want: "--texts is for csv and conll input; jsonl files carry their texts",
    },
    Case {
        name: "--texts-out with brat output",
        files: &[("in.jsonl", b"{\"text\": \"x\", \"spans\": []}\n")],
        args: &["convert", "in.jsonl", "--texts-out", "t", "out"],
        code: 2,
        want: "--texts-out is for csv output; brat output carries the texts",
    },
    Case {
        name: "an id that cannot be a brat file name",
        files: &[("in.jsonl", b"{\"id\": \"a/b\", \"text\": \"x\", \"spans\": []}\n")],
        args: &["convert", "in.jsonl", "out"],
        code: 2,
        want: "in.jsonl: document id \"a/b\" cannot be a file name",
    },
    Case {
        name: "an id that cannot be a -DOCSTART- line",
        files: &[("in.jsonl", b"{\"id\": \"a b\", \"text\": \"x\", \"spans\": []}\n")],
        args: &["convert", "in.jsonl", "out.conll"],
        code: 2,
        want: "in.jsonl: document id \"a b\" cannot be written on a CoNLL -DOCSTART- line",
    },
    Case {
        name: "missing input to convert",
        files: &[],
        args: &["convert", "nothing.jsonl", "out.csv"],
        code: 2,
        want: "nothing.jsonl: No such file or directory",
    },
    Case {
        name: "gold and predictions with different texts",
        files: &[
            ("g.jsonl", b"{\"id\": \"d\", \"text\": \"Mali and the UN\", \"spans\": []}\n"),
            ("p.jsonl", b"{\"id\": \"d\", \"text\": \"Mali und the UN\", \"spans\": []}\n"),
        ],
        args: &["score", "--gold", "g.jsonl", "--pred", "p.jsonl"],
        code: 2,
        want: "document \"d\" has different texts in g.jsonl and in p.jsonl (first difference at code point 5)",
    },
    Case {
        name: "overlapping gold mentions in another format",
        files: &[("g.jsonl", b"{\"id\": \"d\", \"text\": \"Mali and the UN\", \"spans\": [{\"start\": 0, \"end\": 4, \"label\": \"PLACE\"}, {\"start\": 2, \"end\": 8, \"label\": \"PLACE\"}]}\n")],
        args: &["score", "--gold", "g.jsonl", "--pred", "g.jsonl"],
        code: 2,
        want: "g.jsonl:1: span 2..8 \"li and\" overlaps span 0..4 \"Mali\" on line 1",
    },
    Case {
        name: "conll predictions without any text to align with",
        files: &[("g.csv", b"doc,start,end,label,text,norm\n"), ("p.conll", b"x\tO\n")],
        args: &["score", "--gold", "g.csv", "--pred", "p.conll"],
        code: 2,
        want: "p.conll: conll predictions need the texts their tokens come from",
    },
    Case {
        name: "conll tag outside the named scheme",
        files: &[("in.conll", b"-DOCSTART-\td\n\nMali\tS-PLACE\n")],
        args: &["convert", "in.conll", "--from-tag-scheme", "iob2", "out.csv"],
        code: 2,
        want: "in.conll:3: field `tag`: tag \"S-PLACE\" is not in the iob2 tag scheme (expected O, B-LABEL or I-LABEL)",
    },
    Case {
        name: "conll mixing BILOU and IOBES tags",
        files: &[("in.conll", b"-DOCSTART-\td\n\nMali\tU-PLACE\nUN\tS-ACTOR\n")],
        args: &["convert", "in.conll", "out.csv"],
        code: 2,
        want: "in.conll:4: field `tag`: tag \"S-ACTOR\" mixes BILOU tags (L-, U-) with IOBES tags (E-, S-); name the scheme with --tag-scheme",
    },
    Case {
        name: "conll tag without a prefix",
        files: &[("in.conll", b"-DOCSTART-\td\n\nMali\tPLACE\n")],
        args: &["convert", "in.conll", "out.csv"],
        code: 2,
        want: "in.conll:3: field `tag`: expected O, or B, I, E, S, L or U with an optional -LABEL, found \"PLACE\"",
    },
    Case {
        name: "chunking flag without conll input",
        files: &[("g.csv", b"doc,start,end,label,text,norm\n"), ("p.csv", b"doc,start,end,label,text,norm\n")],
        args: &["score", "--gold", "g.csv", "--pred", "p.csv", "--chunking", "strict"],
        code: 2,
        want: "the tag scheme and chunking flags are for conll input, and no input here is conll",
    },
    // ---- label declarations (labels.toml beside the gold) ---------------------------
    Case {
        name: "gold label not declared in labels.toml",
        files: &[TEXT, PRED, LABELS, ("gold.csv", b"doc,start,end,label,text,norm\nd,0,4,LOC,Mali,\n")],
        args: SCORE,
        code: 2,
        want: "gold.csv:2: field `label`: label LOC is not declared in labels.toml (which declares ACTOR, PLACE, FIGURE)",
    },
    Case {
        name: "labels.toml with an unknown norm kind",
        files: &[TEXT, PRED, GOLD, ("labels.toml", b"[[label]]\nname = \"FIGURE\"\nnorm = \"float\"\n")],
        args: SCORE,
        code: 2,
        want: "labels.toml:3: column 8: unknown value `float`, expected `name` or `integer`",
    },
    Case {
        name: "labels.toml declaring a label twice",
        files: &[TEXT, PRED, GOLD, ("labels.toml", b"[[label]]\nname = \"A\"\n[[label]]\nname = \"A\"\n")],
        args: SCORE,
        code: 2,
        want: "labels.toml: field `name`: label A is declared twice",
    },
    // ---- stress and check's perturbations ---------------------------------------------
    Case {
        name: "stress given a predictions file",
        files: &[GOLD_TEXT, GOLD_CSV, PRED],
        args: &["stress", "pred.csv", "--gold", "gold", "--html", "s.html"],
        code: 2,
        want: "system \"pred.csv\" is predictions read from pred.csv: they were made on the clean texts and cannot tag a perturbed one; stress takes a variant (a name or a .toml file) or an external tagger (cmd:COMMAND)",
    },
    Case {
        name: "stress on a gold without texts of its own",
        files: &[GOLD, GAZ, VARIANT],
        args: &["stress", "v.toml", "--gold", "gold.csv"],
        code: 2,
        want: "gold.csv: perturbations rewrite texts, and this gold has none of its own (give --texts DIR, or a format that carries its texts)",
    },
    Case {
        name: "unknown perturbation in tagbench.toml",
        files: &[GOLD_TEXT, GOLD_CSV, GAZ, VARIANT, ("tagbench.toml", b"gold = \"gold\"\nperturbations = [\"upper\", \"shout\"]\n")],
        args: &["check", "v.toml"],
        code: 2,
        want: "tagbench.toml: field `perturbations`: unknown perturbation \"shout\" (expected one of upper, lower,",
    },
    Case {
        name: "minimum overlap out of range",
        files: &[TEXT, PRED, GOLD],
        args: &["score", "--gold", "gold.csv", "--pred", "pred.csv", "--min-overlap", "1.5"],
        code: 2,
        want: "--min-overlap: invalid minimum overlap \"1.5\": more than 1",
    },
    Case {
        name: "minimum overlap of zero",
        files: &[TEXT, PRED, GOLD],
        args: &["score", "--gold", "gold.csv", "--pred", "pred.csv", "--min-overlap", "0"],
        code: 2,
        want: "--min-overlap: invalid minimum overlap \"0\": not more than 0",
    },
    Case {
        name: "resampling flags on a one-system report",
        files: &[],
        args: &["report", "--seed", "7"],
        code: 2,
        want: "--resamples, --shuffles, --seed and --unit go with --compare",
    },
];

// ---- the run ---------------------------------------------------------------------------

/// What one case did.
struct Outcome {
    code: i32,
    stderr: String,
}

/// Every file under `dir` (relative paths, `/`-separated) with its bytes; folders end in `/`.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).expect("read folder") {
            let p = e.expect("folder entry").path();
            let rel = p
                .strip_prefix(root)
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            if p.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &p, out);
            } else {
                out.insert(rel, fs::read(&p).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Runs one case; what it did, and what is wrong with that (empty when all is well).
fn run(case: &Case) -> (Outcome, Vec<String>) {
    let tmp = TempDir::new().expect("temporary folder");
    for (rel, bytes) in case.files {
        let p = tmp.path().join(rel);
        fs::create_dir_all(p.parent().expect("a parent")).expect("create folder");
        fs::write(&p, bytes).expect("write file");
    }
    let before = snapshot(tmp.path());
    let a = tagbench_in(tmp.path(), case.args);
    let out = a.get_output();
    let stderr = String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8");
    let code = out.status.code().expect("an exit code, not a signal");
    let mut wrong = Vec::new();
    if code != case.code {
        wrong.push(format!("exit code {code}, expected {}", case.code));
    }
    if case.code == 0 {
        if !stderr.is_empty() {
            wrong.push("accepted, but stderr is not empty".to_string());
        }
    } else {
        if !stderr.contains(case.want) {
            wrong.push(format!("stderr lacks {:?}", case.want));
        }
        if !(stderr.starts_with("tagbench: error: ")
            && stderr.ends_with('\n')
            && stderr.lines().count() == 1)
        {
            wrong.push("not one `tagbench: error: ` line".to_string());
        }
        if !out.stdout.is_empty() {
            wrong.push("output on failure".to_string());
        }
        let after = snapshot(tmp.path());
        if after.keys().ne(before.keys()) {
            wrong.push(format!(
                "a failed run created or removed files: {:?} -> {:?}",
                before.keys().collect::<Vec<_>>(),
                after.keys().collect::<Vec<_>>()
            ));
        } else if after != before {
            wrong.push("a failed run changed a file".to_string());
        }
    }
    (Outcome { code, stderr }, wrong)
}

/// `arg` as a shell word.
fn shell_word(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=".contains(c))
    {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// A table cell: pipes escaped, and code spans wide enough for the backticks inside.
fn code_cell(s: &str) -> String {
    let s = s.replace('|', "\\|");
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

fn render(rows: &[(&Case, Outcome)]) -> String {
    let mut out = String::from(
        "# Bad input: what tagbench says\n\
         \n\
         Every case of `tests/it/bad_input.rs`, run on the real binary in an empty folder that\n\
         holds the case's files (`texts/d.txt`, `gold.csv`, a variant `v.toml` and its gazetteer\n\
         `g.csv`, ...; see the test for their bytes). Exit codes: 0 accepted, 2 bad input. A\n\
         failed run prints one line, writes nothing and leaves every file as it was.\n\
         \n\
         Generated by the test from real runs; `TAGBENCH_BLESS=1 cargo test --test it bad_input::`\n\
         rewrites it, and the test fails while it is stale.\n\
         \n\
         | # | case | command | exit | message |\n\
         |---:|---|---|---:|---|\n",
    );
    for (i, (case, o)) in rows.iter().enumerate() {
        let cmd: Vec<String> = std::iter::once("tagbench".to_string())
            .chain(case.args.iter().map(|a| shell_word(a)))
            .collect();
        let msg = if o.stderr.is_empty() {
            "(accepted, nothing printed on stderr)".to_string()
        } else {
            code_cell(o.stderr.trim_end())
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {msg} |\n",
            i + 1,
            case.name.replace('|', "\\|"),
            code_cell(&cmd.join(" ")),
            o.code
        ));
    }
    out
}

#[test]
fn every_bad_input_exits_2_with_a_message_that_says_where_and_writes_nothing() {
    let mut names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), CASES.len(), "case names are unique");

    let mut rows = Vec::with_capacity(CASES.len());
    let mut problems = Vec::new();
    for case in CASES {
        let (o, wrong) = run(case);
        println!("{:<55} exit {}  {}", case.name, o.code, o.stderr.trim_end());
        for w in wrong {
            problems.push(format!("{}: {w}; stderr: {:?}", case.name, o.stderr));
        }
        rows.push((case, o));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let doc = render(&rows);
    let path = common::repo().join("docs/bad-input.md");
    if std::env::var_os("TAGBENCH_BLESS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &doc).unwrap();
        return;
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == doc,
        "docs/bad-input.md is stale: run `TAGBENCH_BLESS=1 cargo test --test it bad_input::` and \
         commit it. It should be:\n{doc}"
    );
}
