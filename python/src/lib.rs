//! The `tagbench` Python module: the tagger and the scorer of the `tagbench` crate.
//!
//! This crate converts types and calls the library, nothing more: tagging is
//! [`tagbench::Tagger::tag`], BIO decoding is [`tagbench::format::conll`]'s reader, scoring is
//! [`tagbench::score::evaluate`] and the result is [`tagbench::report::Report`] (the structure
//! of `tagbench score --format json`), handed to Python through serde. No scoring rule is
//! written here or in Python.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use pyo3::create_exception;
use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PySequence, PyString};
use rayon::prelude::*;

use tagbench::format::conll;
use tagbench::report::{Format, RenderOptions, Report as LibReport};
use tagbench::score::bootstrap::bootstrap_f1 as lib_bootstrap_f1;
use tagbench::score::{
    evaluate_with as lib_evaluate, Counts, DocInput, Evaluation, MinOverlap, Scheme, ScoreOptions,
};
use tagbench::variant::Variant;
use tagbench::{
    Annotation, CharSpan, Gazetteer, Label, LabelMap, LabelSet, Norm, NormKind, OffsetCursor,
    OffsetIndex, Span, Tagger as LibTagger,
};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

create_exception!(
    tagbench,
    TagbenchError,
    PyValueError,
    "Bad input: a variant, a gazetteer, a span or a tag that tagbench refuses. The message is \
     one line and says where (file and line, or document and mention) and what."
);

fn err(e: impl std::fmt::Display) -> PyErr {
    TagbenchError::new_err(e.to_string())
}

/// One mention found by the tagger: half-open **code-point** offsets into the text (so
/// ``text[m.start:m.end] == m.text`` in Python), the label, the surface text and the
/// canonical norm ("" when there is none).
#[pyclass(module = "tagbench", frozen, eq, get_all)]
#[derive(Clone, Debug, PartialEq, Eq)]
struct Mention {
    start: usize,
    end: usize,
    label: String,
    text: String,
    norm: String,
}

#[pymethods]
impl Mention {
    #[new]
    #[pyo3(signature = (start, end, label, text, norm = String::new()))]
    fn new(start: usize, end: usize, label: String, text: String, norm: String) -> Mention {
        Mention {
            start,
            end,
            label,
            text,
            norm,
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "Mention(start={}, end={}, label={:?}, text={:?}, norm={:?})",
            self.start, self.end, self.label, self.text, self.norm
        )
    }

    /// The mention as a dict with keys ``start``, ``end``, ``label``, ``text`` and ``norm``
    /// (the shape :func:`evaluate` reads).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "start"), self.start)?;
        d.set_item(intern!(py, "end"), self.end)?;
        d.set_item(intern!(py, "label"), &self.label)?;
        d.set_item(intern!(py, "text"), &self.text)?;
        d.set_item(intern!(py, "norm"), &self.norm)?;
        Ok(d)
    }
}

/// The tagger's byte spans (in text order) as code-point mentions, converted by the
/// library's [`OffsetCursor`] in one pass over the text.
fn mentions(text: &str, spans: &[Span]) -> Vec<Mention> {
    let mut cursor = OffsetCursor::new(text);
    spans
        .iter()
        .map(|s| {
            // The tagger only emits spans on char boundaries.
            let c = cursor.to_chars(s).expect("span on a char boundary");
            Mention {
                start: c.start,
                end: c.end,
                label: c.label.to_string(),
                text: text[s.range()].to_string(),
                norm: c.norm.to_string(),
            }
        })
        .collect()
}

/// Lexically resolves `a/../b` so that an embedded variant's gazetteer paths
/// (`variants/../gazetteer/actors.csv`) can be looked up by file name.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Builds a variant embedded at compile time (`variants/NAME.toml` of the repository).
fn embedded_tagger(name: &str) -> Result<(Variant, LibTagger), String> {
    let file = format!("{name}.toml");
    let Some((_, bytes)) = embedded::VARIANTS.iter().find(|(f, _)| *f == file) else {
        return Err(format!(
            "unknown variant {name:?} (known: {}; or give a path to a .toml file)",
            embedded_names().join(", ")
        ));
    };
    let path = Path::new("variants").join(&file);
    let variant = Variant::from_bytes(&path, bytes).map_err(|e| e.to_string())?;
    let mut g = Gazetteer::new();
    for gz in &variant.gazetteers {
        let norm = normalize(gz);
        let found = match (norm.parent(), norm.file_name().and_then(|f| f.to_str())) {
            (Some(dir), Some(f)) if dir == Path::new("gazetteer") => {
                embedded::GAZETTEERS.iter().find(|(n, _)| *n == f)
            }
            _ => None,
        };
        let Some((_, csv)) = found else {
            return Err(format!(
                "{}: gazetteer {} is not embedded in this build (only gazetteer/*.csv are)",
                path.display(),
                gz.display()
            ));
        };
        g.add_csv(&norm, csv).map_err(|e| e.to_string())?;
    }
    let tagger = LibTagger::builder()
        .options(variant.options.clone())
        .build(&g)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((variant, tagger))
}

fn embedded_names() -> Vec<String> {
    embedded::VARIANTS
        .iter()
        .filter_map(|(f, _)| f.strip_suffix(".toml"))
        .map(str::to_string)
        .collect()
}

/// The gazetteer tagger of one variant. Build it once (loading the gazetteers and the
/// automaton takes a moment) and tag many texts with it; it is safe to share between threads.
#[pyclass(module = "tagbench", frozen)]
struct Tagger {
    inner: LibTagger,
    name: String,
    description: String,
}

#[pymethods]
impl Tagger {
    /// The tagger of a variant: a name among :meth:`Tagger.variants` (the repository's
    /// ``variants/`` folder, embedded in the package with the gazetteers at build time), or
    /// the path of a variant ``.toml`` file (its gazetteer paths are relative to its folder).
    /// A name ending in ``.toml`` or containing a path separator is a path.
    #[staticmethod]
    fn from_variant(py: Python<'_>, variant: PathBuf) -> PyResult<Tagger> {
        let s = variant.to_string_lossy().into_owned();
        let is_path = s.ends_with(".toml") || variant.components().count() > 1;
        let built = py.detach(|| {
            if is_path {
                let v = Variant::read(&variant).map_err(|e| e.to_string())?;
                let t = v.build().map_err(|e| e.to_string())?;
                Ok((v, t))
            } else {
                embedded_tagger(&s)
            }
        });
        let (v, inner) = built.map_err(err)?;
        Ok(Tagger {
            inner,
            name: v.name,
            description: v.description,
        })
    }

    /// The names of the variants embedded in the package, sorted.
    #[staticmethod]
    fn variants() -> Vec<String> {
        embedded_names()
    }

    /// The variant's name (the file stem).
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// The variant's one-line description.
    #[getter]
    fn description(&self) -> &str {
        &self.description
    }

    /// The number of patterns in the automaton (gazetteer terms and their variants).
    #[getter]
    fn pattern_count(&self) -> usize {
        self.inner.pattern_count()
    }

    /// The mentions in one text, in text order.
    fn tag(&self, py: Python<'_>, text: &str) -> Vec<Mention> {
        py.detach(|| mentions(text, &self.inner.tag(text)))
    }

    /// The mentions of each text, in input order: the texts are tagged in parallel (one
    /// task per text, on rayon's pool: one thread per core, or ``RAYON_NUM_THREADS``) with
    /// the GIL released.
    fn tag_many(&self, py: Python<'_>, texts: Vec<String>) -> Vec<Vec<Mention>> {
        py.detach(|| {
            texts
                .par_iter()
                .map(|t| mentions(t, &self.inner.tag(t)))
                .collect()
        })
    }

    fn __repr__(&self) -> String {
        format!("Tagger.from_variant({:?})", self.name)
    }
}

/// Which side of the comparison an input is, for messages.
#[derive(Clone, Copy)]
enum Side {
    Gold,
    Pred,
}

impl Side {
    fn as_str(self) -> &'static str {
        match self {
            Side::Gold => "gold",
            Side::Pred => "pred",
        }
    }
}

/// The documents of one side, as Python objects.
fn documents<'py>(obj: &Bound<'py, PyAny>, side: Side) -> PyResult<Vec<Bound<'py, PySequence>>> {
    let seq = obj.cast::<PySequence>().map_err(|_| {
        err(format!(
            "{}: expected a list of documents, found {}",
            side.as_str(),
            type_name(obj)
        ))
    })?;
    let mut out = Vec::with_capacity(seq.len()?);
    for (i, d) in seq.try_iter()?.enumerate() {
        let d = d?;
        if d.is_instance_of::<PyString>() {
            return Err(err(format!(
                "{} document {i}: expected a list of mentions or tags, found a str",
                side.as_str()
            )));
        }
        let d = d.cast_into::<PySequence>().map_err(|e| {
            err(format!(
                "{} document {i}: expected a list of mentions or tags, found {}",
                side.as_str(),
                type_name(&e.into_inner())
            ))
        })?;
        out.push(d);
    }
    Ok(out)
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "an object".to_string())
}

/// What the documents hold: spans (dicts or `Mention`s) or BIO tags (str).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Spans,
    Tags,
}

fn shape_of(docs: &[&[Bound<'_, PySequence>]]) -> PyResult<Option<Shape>> {
    for side in docs {
        for d in *side {
            if d.len()? > 0 {
                let first = d.get_item(0)?;
                return Ok(Some(if first.is_instance_of::<PyString>() {
                    Shape::Tags
                } else {
                    Shape::Spans
                }));
            }
        }
    }
    Ok(None)
}

/// Reads one side's span documents into annotations, in code points and half-open.
fn read_spans<'py>(
    py: Python<'py>,
    docs: &[Bound<'py, PySequence>],
    side: Side,
    ids: &[String],
    texts: Option<&[String]>,
    inclusive_ends: bool,
    labels: Option<&LabelSet>,
) -> PyResult<Vec<Vec<Annotation>>> {
    let (k_label, k_start, k_end, k_norm) = (
        intern!(py, "label"),
        intern!(py, "start"),
        intern!(py, "end"),
        intern!(py, "norm"),
    );
    let mut out = Vec::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        let text = texts.map(|t| t[i].as_str());
        let idx = text.map(OffsetIndex::new);
        let mut anns = Vec::with_capacity(doc.len()?);
        for (j, item) in doc.try_iter()?.enumerate() {
            let item = item?;
            let at = || format!("{} document {i}, mention {j}", side.as_str());
            let parse_label = |s: &str| {
                Label::from_str(s).map_err(|e| err(format!("{}: field `label`: {e}", at())))
            };
            let parse_norm = |label: Label, s: &str| {
                match labels {
                    Some(set) => set.parse_norm(label, s),
                    None => Norm::parse(NormKind::Name, label, s),
                }
                .map_err(|e| err(format!("{}: field `norm`: {e}", at())))
            };
            let not_str = |v: &Bound<'py, PyAny>, name: &str| {
                err(format!(
                    "{}: field `{name}`: expected a str, found {}",
                    at(),
                    type_name(v)
                ))
            };
            let (start, end, label, norm) = if let Ok(m) = item.cast::<Mention>() {
                let m = m.get();
                let label = parse_label(&m.label)?;
                (m.start, m.end, label, parse_norm(label, &m.norm)?)
            } else if let Ok(d) = item.cast::<PyDict>() {
                let get = |k: &Bound<'py, PyString>| -> PyResult<Bound<'py, PyAny>> {
                    d.get_item(k)?
                        .ok_or_else(|| err(format!("{}: no {:?} key", at(), k.to_string_lossy())))
                };
                let field = |k: &Bound<'py, PyString>, what: &str| {
                    let v = get(k)?;
                    v.extract::<usize>().map_err(|_| {
                        err(format!(
                            "{}: field `{}`: expected {what}, found {}",
                            at(),
                            k.to_string_lossy(),
                            v.repr().map(|r| r.to_string()).unwrap_or_default()
                        ))
                    })
                };
                let start = field(k_start, "a non-negative integer")?;
                let end = field(k_end, "a non-negative integer")?;
                let l = get(k_label)?;
                // Labels and norms are read in place (no copy of the str).
                let label = match l.cast::<PyString>() {
                    Ok(s) => parse_label(s.to_str()?)?,
                    Err(_) => return Err(not_str(&l, "label")),
                };
                let norm = match d.get_item(k_norm)? {
                    Some(n) if !n.is_none() => match n.cast::<PyString>() {
                        Ok(s) => parse_norm(label, s.to_str()?)?,
                        Err(_) => return Err(not_str(&n, "norm")),
                    },
                    _ => Norm::None,
                };
                (start, end, label, norm)
            } else {
                return Err(err(format!(
                    "{}: expected a dict with \"label\", \"start\" and \"end\" (or a \
                         Mention), found {}",
                    at(),
                    type_name(&item)
                )));
            };
            let end = if inclusive_ends { end + 1 } else { end };
            if start >= end {
                let hint = if inclusive_ends {
                    ""
                } else {
                    "; nervaluate's inclusive ends need inclusive_ends=True"
                };
                return Err(err(format!(
                    "{}: start {start} is not before end {end} (offsets are half-open{hint})",
                    at()
                )));
            }
            let surface = match (text, &idx) {
                (Some(t), Some(idx)) => {
                    let (Some(b0), Some(b1)) = (idx.char_to_byte(start), idx.char_to_byte(end))
                    else {
                        return Err(err(format!(
                            "{}: span {start}..{end} is past the end of the text ({} code \
                             points)",
                            at(),
                            idx.char_len()
                        )));
                    };
                    t[b0..b1].to_string()
                }
                _ => String::new(),
            };
            anns.push(Annotation {
                doc: ids[i].clone(),
                span: CharSpan::new(start, end, label, norm),
                text: surface,
                line: 0,
            });
        }
        out.push(anns);
    }
    Ok(out)
}

/// One side's tag documents as CoNLL BIO bytes, read back by the library's reader. Returns
/// the annotations per document and each document's rebuilt text.
fn read_tags(
    docs: &[Bound<'_, PySequence>],
    side: Side,
    ids: &[String],
    tokens: Option<&[Vec<String>]>,
    opts: &conll::Options,
) -> PyResult<(Vec<Vec<Annotation>>, Vec<String>)> {
    let mut bio = String::new();
    // The line each document's first tag is on, to turn the reader's line numbers back into
    // (document, tag) positions.
    let mut first_lines: Vec<u64> = Vec::with_capacity(docs.len());
    let mut line: u64 = 1;
    for (i, doc) in docs.iter().enumerate() {
        let id = &ids[i];
        writeln!(bio, "{}\t{id}\n", conll::DOCSTART).unwrap();
        line += 2;
        first_lines.push(line);
        let toks = tokens.map(|t| &t[i]);
        let n = doc.len()?;
        if let Some(t) = toks {
            if t.len() != n {
                return Err(err(format!(
                    "{} document {i}: {n} tags but {} tokens",
                    side.as_str(),
                    t.len()
                )));
            }
        }
        for (j, tag) in doc.try_iter()?.enumerate() {
            let tag = tag?;
            let at = || format!("{} document {i}, tag {j}", side.as_str());
            let tag: String = tag.extract().map_err(|_| {
                err(format!(
                    "{}: expected a str tag, found {}",
                    at(),
                    type_name(&tag)
                ))
            })?;
            if tag.is_empty() || tag.contains(char::is_whitespace) {
                return Err(err(format!(
                    "{}: tag {tag:?} is empty or has whitespace",
                    at()
                )));
            }
            let token = toks.map_or("_", |t| t[j].as_str());
            if token.is_empty() || token.contains(['\t', '\n', '\r']) || token.trim().is_empty() {
                return Err(err(format!(
                    "{}: token {token:?} is empty or has a tab or line break",
                    at()
                )));
            }
            writeln!(bio, "{token}\t{tag}").unwrap();
            line += 1;
        }
        bio.push('\n');
        line += 1;
    }
    let read = tagbench::format::ReadOptions {
        conll: *opts,
        ..Default::default()
    };
    let data = tagbench::format::from_bytes(tagbench::format::Format::Conll, bio.as_bytes(), &read)
        .map_err(|e| {
            let what = match e.kind() {
                tagbench::ErrorKind::Invalid(m) => m.clone(),
                k => format!("{k:?}"),
            };
            match e.line() {
                Some(l) => {
                    let i = first_lines.partition_point(|&f| f <= l).saturating_sub(1);
                    let j = l.saturating_sub(first_lines[i]);
                    err(format!("{} document {i}, tag {j}: {what}", side.as_str()))
                }
                None => err(format!("{}: {what}", side.as_str())),
            }
        })?;
    let corpus = data.corpus();
    let mut anns = Vec::with_capacity(ids.len());
    let mut texts = Vec::with_capacity(ids.len());
    for id in ids {
        anns.push(data.annotations().get(id).to_vec());
        texts.push(corpus.get(id).map(|d| d.text.clone()).unwrap_or_default());
    }
    Ok((anns, texts))
}

/// The labels of `declare=`: a path to a `labels.toml` (declared order and norm kinds, as
/// beside a gold), or a sequence of label names (declared order; every norm a name).
fn declared_labels(labels: &Bound<'_, PyAny>) -> PyResult<LabelSet> {
    if let Ok(path) = labels.extract::<PathBuf>() {
        if !labels.is_instance_of::<PyList>() {
            return LabelSet::read(&path).map_err(|e| err(format!("declare=: {e}")));
        }
    }
    let names: Vec<String> = labels.extract().map_err(|_| {
        err("declare=: expected a path to a labels.toml or a sequence of label names")
    })?;
    let mut set = LabelSet::new();
    for name in names {
        let label = Label::new(&name).map_err(|e| err(format!("declare=: {e}")))?;
        set.declare(label, NormKind::Name);
    }
    Ok(set)
}

/// The map of `label_map=`: `"PER=ACTOR,MISC="` rules, a dict (`{"PER": "ACTOR", "MISC":
/// None}`), or a path to a label-map file, as `--label-map` takes them.
fn parse_label_map(m: &Bound<'_, PyAny>) -> PyResult<LabelMap> {
    let bad = |e: String| err(format!("label_map=: {e}"));
    if let Ok(d) = m.cast::<PyDict>() {
        let mut rules = Vec::with_capacity(d.len());
        for (k, v) in d.iter() {
            let from: String = k.extract().map_err(|_| bad("keys must be str".into()))?;
            let to: Option<String> = v
                .extract()
                .map_err(|_| bad(format!("{from}: a value must be a str or None")))?;
            rules.push(format!("{from}={}", to.unwrap_or_default()));
        }
        return rules.join(",").parse().map_err(bad);
    }
    if let Ok(s) = m.extract::<String>() {
        if s.contains('=') {
            return s.parse().map_err(bad);
        }
    }
    let path: PathBuf = m
        .extract()
        .map_err(|_| bad("expected FROM=TO rules, a dict or a path to a label-map file".into()))?;
    LabelMap::read(&path).map_err(|e| bad(e.to_string()))
}

/// `min_overlap=`: a float or a decimal string, 0 < F <= 1 (`--min-overlap`). A float is read
/// as its shortest decimal (`0.29` is 29/100, as the CLI reads "0.29").
fn parse_min_overlap(v: &Bound<'_, PyAny>) -> PyResult<MinOverlap> {
    let text = match v.extract::<String>() {
        Ok(s) => s,
        Err(_) => {
            let f: f64 = v
                .extract()
                .map_err(|_| err("min_overlap=: expected a float or a str"))?;
            format!("{f}")
        }
    };
    text.parse().map_err(|e| err(format!("min_overlap=: {e}")))
}

/// The gold's labels in order of first appearance (documents and mentions in
/// input order), every norm a name: what the CLI declares for a gold without a
/// `labels.toml`.
fn first_appearance(gold: &[Vec<Annotation>]) -> LabelSet {
    let mut set = LabelSet::new();
    for a in gold.iter().flatten() {
        set.declare(a.span.label, NormKind::Name);
    }
    set
}

/// Scores predictions against a gold, document by document, and returns the report of
/// ``tagbench score --format json`` as a :class:`Report` (a mapping; schema in the README).
#[pyfunction]
#[allow(clippy::too_many_arguments)] // one per keyword argument of the Python function
#[pyo3(signature = (gold, pred, *, ids = None, texts = None, tokens = None, inclusive_ends = false, declare = None, labels = None, label_map = None, tag_scheme = None, chunking = None, min_overlap = None))]
fn evaluate<'py>(
    py: Python<'py>,
    gold: &Bound<'py, PyAny>,
    pred: &Bound<'py, PyAny>,
    ids: Option<Vec<String>>,
    texts: Option<Vec<String>>,
    tokens: Option<Vec<Vec<String>>>,
    inclusive_ends: bool,
    declare: Option<&Bound<'py, PyAny>>,
    labels: Option<Vec<String>>,
    label_map: Option<&Bound<'py, PyAny>>,
    tag_scheme: Option<String>,
    chunking: Option<String>,
    min_overlap: Option<&Bound<'py, PyAny>>,
) -> PyResult<Report> {
    let declared = declare.map(declared_labels).transpose()?;
    let opts = ScoreOptions {
        min_overlap: min_overlap.map(parse_min_overlap).transpose()?,
    };
    let keep = labels
        .map(|names| {
            names
                .iter()
                .map(|n| Label::new(n).map_err(|e| err(format!("labels=: {e}"))))
                .collect::<PyResult<Vec<Label>>>()
        })
        .transpose()?;
    let map = label_map.map(parse_label_map).transpose()?;
    let conll_opts = conll::Options {
        scheme: tag_scheme
            .map(|s| s.parse::<conll::TagScheme>())
            .transpose()
            .map_err(|e| err(format!("tag_scheme=: {e}")))?,
        chunking: match chunking {
            Some(c) => conll::Chunking::ALL
                .into_iter()
                .find(|m| m.as_str() == c)
                .ok_or_else(|| err(format!("chunking=: {c:?} is not conlleval or strict")))?,
            None => conll::Chunking::default(),
        },
    };
    let g = documents(gold, Side::Gold)?;
    let p = documents(pred, Side::Pred)?;
    if g.len() != p.len() {
        return Err(err(format!(
            "gold has {} documents, pred {}: give both one entry per document (an empty list \
             for a document without mentions)",
            g.len(),
            p.len()
        )));
    }
    let n = g.len();
    let ids = match ids {
        Some(ids) if ids.len() != n => {
            return Err(err(format!("{} ids for {n} documents", ids.len())));
        }
        Some(ids) => ids,
        None => (0..n).map(|i| i.to_string()).collect(),
    };
    for (what, len) in [
        ("texts", texts.as_ref().map(Vec::len)),
        ("tokens", tokens.as_ref().map(Vec::len)),
    ] {
        if let Some(len) = len.filter(|&l| l != n) {
            return Err(err(format!("{len} {what} for {n} documents")));
        }
    }
    let shape = shape_of(&[&g, &p])?.unwrap_or(Shape::Spans);
    let (mut gold, mut pred, texts) = match shape {
        Shape::Spans => {
            if conll_opts != conll::Options::default() {
                return Err(err(
                    "tag_scheme= and chunking= go with BIO tag lists, not with spans",
                ));
            }
            if tokens.is_some() {
                return Err(err("tokens= goes with BIO tag lists, not with spans"));
            }
            let t = texts.as_deref();
            let d = declared.as_ref();
            let gold = read_spans(py, &g, Side::Gold, &ids, t, inclusive_ends, d)?;
            let pred = read_spans(py, &p, Side::Pred, &ids, t, inclusive_ends, d)?;
            (gold, pred, texts)
        }
        Shape::Tags => {
            if texts.is_some() {
                return Err(err(
                    "texts= goes with spans; BIO tag lists take tokens= (their text is the \
                     tokens joined by spaces)",
                ));
            }
            if inclusive_ends {
                return Err(err(
                    "inclusive_ends= goes with spans, not with BIO tag lists",
                ));
            }
            for (i, (a, b)) in g.iter().zip(&p).enumerate() {
                let (la, lb) = (a.len()?, b.len()?);
                if la != lb {
                    return Err(err(format!(
                        "document {i}: gold has {la} tags, pred {lb} (one tag per token on \
                         both sides)"
                    )));
                }
            }
            let tk = tokens.as_deref();
            let (gold, rebuilt) = read_tags(&g, Side::Gold, &ids, tk, &conll_opts)?;
            let (pred, _) = read_tags(&p, Side::Pred, &ids, tk, &conll_opts)?;
            (gold, pred, Some(rebuilt))
        }
    };
    let set = match declared {
        Some(set) => {
            for (i, doc) in gold.iter().enumerate() {
                if let Some((j, a)) = doc
                    .iter()
                    .enumerate()
                    .find(|(_, a)| !set.contains(a.span.label))
                {
                    return Err(err(format!(
                        "gold document {i}, mention {j}: field `label`: {} is not one of declare=",
                        a.span.label
                    )));
                }
            }
            set
        }
        None => first_appearance(&gold),
    };
    // The library decides what each label becomes (`LabelMap::map`, `LabelSet::select`);
    // this only applies it to the documents, as `Dataset::relabel` does for the CLI.
    let mut set = set;
    if let Some(map) = &map {
        for doc in gold.iter_mut().chain(pred.iter_mut()) {
            doc.retain_mut(|a| match map.map(a.span.label) {
                Some(to) => {
                    a.span.label = to;
                    true
                }
                None => false,
            });
        }
        set = map.apply_to_set(&set);
    }
    if let Some(keep) = &keep {
        set = set.select(keep);
        for doc in gold.iter_mut().chain(pred.iter_mut()) {
            doc.retain(|a| set.contains(a.span.label));
        }
    }
    let ev = py.detach(|| {
        let inputs: Vec<DocInput<'_>> = (0..n)
            .map(|i| DocInput {
                id: &ids[i],
                text: texts.as_ref().map(|t| t[i].as_str()),
                gold: &gold[i],
                pred: &pred[i],
            })
            .collect();
        lib_evaluate(&inputs, &set, &opts)
    });
    Ok(Report { eval: ev })
}

/// The keys of the report, in the order of the JSON.
const REPORT_KEYS: [&str; 5] = ["schemes", "macro", "confusion", "documents", "errors"];

/// The result of :func:`evaluate`: a read-only mapping with the structure of
/// ``tagbench score --format json`` (keys ``schemes``, ``macro``, ``confusion``,
/// ``documents``, ``errors``). Each section is converted to Python objects when it is looked
/// up (a large evaluation's error list is costly to build and often not needed);
/// :meth:`to_dict` converts everything, :meth:`to_json` gives the CLI's JSON text.
#[pyclass(module = "tagbench", frozen, mapping)]
struct Report {
    eval: Evaluation,
}

impl Report {
    fn section<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        let r = LibReport::new(&self.eval);
        Ok(Some(match key {
            "schemes" => to_py(py, &r.schemes)?,
            "macro" => to_py(py, &r.macro_avg)?,
            "confusion" => to_py(py, &r.confusion)?,
            "documents" => to_py(py, &r.documents)?,
            "errors" => to_py(py, &r.errors)?,
            _ => return Ok(None),
        }))
    }
}

#[pymethods]
impl Report {
    fn __getitem__<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
        self.section(py, key)?
            .ok_or_else(|| PyKeyError::new_err(key.to_string()))
    }

    fn __len__(&self) -> usize {
        REPORT_KEYS.len()
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> bool {
        key.extract::<&str>()
            .is_ok_and(|k| REPORT_KEYS.contains(&k))
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyList::new(py, REPORT_KEYS)?
            .try_iter()
            .map(Bound::into_any)
    }

    /// The section names, in the JSON's order.
    fn keys(&self) -> Vec<&'static str> {
        REPORT_KEYS.to_vec()
    }

    /// The sections, converted.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        REPORT_KEYS
            .iter()
            .map(|k| self.__getitem__(py, k))
            .collect()
    }

    /// (name, section) pairs, converted.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>> {
        REPORT_KEYS
            .iter()
            .map(|k| Ok((*k, self.__getitem__(py, k)?)))
            .collect()
    }

    /// A section, or ``default`` for a key that is not one.
    #[pyo3(signature = (key, default = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &str,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(self.section(py, key)?.or(default))
    }

    /// The whole report as plain dicts and lists: what ``json.loads`` gives for
    /// ``tagbench score --format json``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &LibReport::new(&self.eval))
    }

    /// The JSON text ``tagbench score --format json`` prints, byte for byte.
    fn to_json(&self) -> String {
        tagbench::report::render(&self.eval, Format::Json, &RenderOptions::default())
    }

    /// Equal to another report or to a dict with the same content.
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        if let Ok(o) = other.cast::<Report>() {
            return Ok(self.eval == o.get().eval);
        }
        if other.is_instance_of::<PyDict>() {
            return self.to_dict(py)?.eq(other);
        }
        Ok(false)
    }

    fn __repr__(&self) -> String {
        let strict = self.eval.overall(Scheme::Strict);
        format!(
            "<tagbench.Report: {} documents, strict P {:.4} R {:.4} F1 {:.4}, {} errors>",
            self.eval.documents.len(),
            strict.precision(),
            strict.recall(),
            strict.f1(),
            self.eval.errors.len()
        )
    }
}

/// A serializable value as the Python objects `json.loads` would give for its JSON (arrays
/// become lists, as in the JSON report; pythonize alone would make fixed arrays tuples).
fn to_py<'py>(py: Python<'py>, value: &impl serde::Serialize) -> PyResult<Bound<'py, PyAny>> {
    let v = serde_json::to_value(value).map_err(err)?;
    pythonize::pythonize(py, &v).map_err(err)
}

fn counts_of(obj: &Bound<'_, PyAny>) -> PyResult<Counts> {
    let py = obj.py();
    let d = obj
        .cast::<PyDict>()
        .map_err(|_| err(format!("expected a counts dict, found {}", type_name(obj))))?;
    let get = |k: &Bound<'_, PyString>| -> PyResult<u64> {
        match d.get_item(k)? {
            Some(v) => v.extract::<u64>().map_err(|_| {
                err(format!(
                    "counts: field `{}`: expected a non-negative integer",
                    k.to_string_lossy()
                ))
            }),
            None => Err(err(format!("counts: no {:?} key", k.to_string_lossy()))),
        }
    };
    Ok(Counts {
        correct: get(intern!(py, "correct"))?,
        incorrect: get(intern!(py, "incorrect"))?,
        partial: get(intern!(py, "partial"))?,
        missed: get(intern!(py, "missed"))?,
        spurious: get(intern!(py, "spurious"))?,
    })
}

/// The counts and scores of summed counts: ``counts`` has the integer keys ``correct``,
/// ``incorrect``, ``partial``, ``missed`` and ``spurious`` (other keys are ignored, so a
/// report's counts can be summed key by key and passed back). Returns the COUNTS dict of
/// the JSON report (with ``possible``, ``actual``, ``precision``, ``recall``, ``f1``).
#[pyfunction]
fn scores<'py>(counts: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let c = counts_of(counts)?;
    let report = tagbench::report::CountsReport {
        counts: c,
        scores: c.scores(),
    };
    to_py(counts.py(), &report)
}

/// The 95% bootstrap interval of F1 over documents: ``documents`` is a list of per-document
/// counts dicts (as in the report's ``documents[i]["schemes"][SCHEME]``), resampled with
/// replacement ``resamples`` times with a fixed ``seed``. Returns ``(low, high)``.
#[pyfunction]
#[pyo3(signature = (documents, *, resamples = 1000, seed = 0x7a6b_656e))]
fn bootstrap_f1(
    py: Python<'_>,
    documents: &Bound<'_, PyList>,
    resamples: usize,
    seed: u64,
) -> PyResult<(f64, f64)> {
    let units = documents
        .iter()
        .map(|d| counts_of(&d))
        .collect::<PyResult<Vec<Counts>>>()?;
    let iv = py.detach(|| lib_bootstrap_f1(&[units], resamples, seed, |_| {}));
    Ok((iv[0].lo, iv[0].hi))
}

/// tagbench from Python: the gazetteer tagger (:class:`Tagger`) and the SemEval-style
/// scorer (:func:`evaluate`) of the tagbench Rust crate.
#[pymodule(name = "tagbench")]
fn tagbench_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Tagger>()?;
    m.add_class::<Mention>()?;
    m.add_class::<Report>()?;
    // A Report is a read-only Mapping (isinstance, and code that checks for one).
    let mapping = m.py().import("collections.abc")?.getattr("Mapping")?;
    mapping.call_method1("register", (m.getattr("Report")?,))?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(scores, m)?)?;
    m.add_function(wrap_pyfunction!(bootstrap_f1, m)?)?;
    m.add("TagbenchError", m.py().get_type::<TagbenchError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
