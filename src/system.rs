//! Systems under test: anything that gives predictions on the gold's documents.
//!
//! Every command that measures something takes a SYSTEM string, turned into a [`System`] by
//! [`System::parse`] and run on a gold [`Dataset`] by [`System::run`]:
//!
//! | SYSTEM | the system |
//! |---|---|
//! | `NAME=SYSTEM` | SYSTEM, called NAME in every output (NAME: letters, digits, `_`, `-`, `.`) |
//! | `cmd:COMMAND` | an external tagger: COMMAND run by the shell, speaking the protocol below |
//! | `PATH.toml` | a variant file |
//! | an existing file or folder | predictions in any format `Dataset::open` reads (format from the name, or as forced) |
//! | anything else | a variant name: `DIR/NAME.toml` of the variants folder |
//!
//! A name that is not a variant and a path that does not exist are errors, before any gold is
//! read. (A predictions file whose name contains `=` is given as `./a=b.csv`.)
//!
//! # The command protocol
//!
//! The command is started once per run (`sh -c COMMAND`, in the current folder). tagbench
//! writes every gold document to its standard input as one JSON line, sorted by id, then
//! closes it:
//!
//! ```text
//! {"id": "doc-1", "text": "Mali and the UN"}
//! ```
//!
//! and reads one JSON line per document from its standard output, in any order:
//!
//! ```text
//! {"id": "doc-1", "spans": [{"start": 0, "end": 4, "label": "PLACE", "norm": "Mali"}]}
//! ```
//!
//! `start` and `end` are half-open **code-point** offsets into the text (Python's
//! `text[start:end]`); `norm` may be absent or `null`; other keys and blank lines are
//! ignored. Standard error is kept, and its last lines are shown when the command fails. The
//! run fails, naming the system, when the command exits with a non-zero status, runs longer
//! than the timeout (it is then killed, with every process it started in its process group),
//! writes a line that is not such an object (the line number of its output and, when known,
//! the document are named), gives a document twice, skips one, or gives one it was not
//! sent.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::annotations::{Annotation, AnnotationSet};
use crate::error::{Error, Result};
use crate::format::json::{self, get, index, join, object};
use crate::format::{conll, labelstudio, lines, make_annotation, Format};
use crate::gold::{Dataset, OpenOptions, Texts};
use crate::label::LabelSet;
use crate::span::OffsetIndex;
use crate::tagger::Tagger;
use crate::variant::Variant;

/// How long an external command may run by default: ten minutes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// How many of a failing command's last standard-error lines an error shows.
const STDERR_LINES: usize = 10;

/// The standard error kept of a command (its end).
const STDERR_KEEP: usize = 64 << 10;

/// A system under test.
#[derive(Clone, Debug)]
pub enum System {
    /// One of tagbench's tagger configurations (its name is the variant's, or the one given).
    Variant(Variant),
    /// Predictions read from a file or folder.
    Predictions {
        /// The name in outputs: the path as given, or the one given.
        name: String,
        /// The file or folder.
        path: PathBuf,
    },
    /// An external tagger speaking the protocol of the [module docs](self).
    Command {
        /// The name in outputs: `cmd:COMMAND`, or the one given.
        name: String,
        /// The shell command.
        command: String,
    },
}

/// How SYSTEM strings are read and systems run.
#[derive(Clone, Debug)]
pub struct SystemOptions {
    /// Where variant names are looked up.
    pub variants_dir: PathBuf,
    /// The format of every predictions file (default: `None`, told by its name).
    pub pred_format: Option<Format>,
    /// Which results of a Label Studio predictions file to read.
    pub labelstudio: labelstudio::Results,
    /// How long a command may run (default [`DEFAULT_TIMEOUT`]).
    pub timeout: Duration,
    /// Leave out predicted documents the gold does not have, instead of failing (default:
    /// false: an unknown document id is an error naming the nearest gold id).
    pub ignore_unknown_docs: bool,
    /// How a CoNLL predictions file is read.
    pub conll: conll::Options,
}

impl Default for SystemOptions {
    fn default() -> SystemOptions {
        SystemOptions {
            variants_dir: PathBuf::from("variants"),
            pred_format: None,
            labelstudio: labelstudio::Results::Annotations,
            timeout: DEFAULT_TIMEOUT,
            ignore_unknown_docs: false,
            conll: conll::Options::default(),
        }
    }
}

/// What a system gave on the gold.
#[derive(Clone, Debug)]
pub struct Predictions {
    /// The mentions, on the gold's documents only; every gold document is present.
    pub annotations: AnnotationSet,
    /// Gold documents the predictions say nothing about (a predictions file without them;
    /// a command or a variant always covers every document). Scored as predicting nothing.
    pub missing: Vec<String>,
    /// Predicted documents the gold does not have, left out (only with
    /// [`SystemOptions::ignore_unknown_docs`]).
    pub unknown: Vec<String>,
    /// Wall-clock time of the run: tagging for a variant (without building its tagger), the
    /// whole process for a command, reading for a file.
    pub elapsed: Duration,
}

impl Predictions {
    /// One-line notes about documents missing or left out, for standard error.
    pub fn notes(&self, system: &str) -> Vec<String> {
        let mut out = Vec::new();
        if !self.missing.is_empty() {
            out.push(format!(
                "note: {system}: {} gold document{} without any prediction (scored as \
                 predicting nothing): {}",
                self.missing.len(),
                plural(self.missing.len()),
                list(&self.missing)
            ));
        }
        if !self.unknown.is_empty() {
            out.push(format!(
                "note: {system}: {} predicted document{} not in the gold left out: {}",
                self.unknown.len(),
                plural(self.unknown.len()),
                list(&self.unknown)
            ));
        }
        out
    }
}

impl System {
    /// Reads a SYSTEM string (see the [module docs](self)). A variant is read now, so that a
    /// misspelt name fails before any slow work; a predictions path must exist.
    pub fn parse(spec: &str, opts: &SystemOptions) -> Result<System> {
        let (name, rest) = match spec.split_once('=') {
            Some((n, r)) if is_name(n) && !r.is_empty() => (Some(n), r),
            _ => (None, spec),
        };
        let named = |default: &str| name.unwrap_or(default).to_string();
        if let Some(command) = rest.strip_prefix("cmd:") {
            if command.trim().is_empty() {
                return Err(Error::invalid(format!(
                    "system {spec:?}: no command after `cmd:`"
                )));
            }
            return Ok(System::Command {
                name: named(rest),
                command: command.to_string(),
            });
        }
        let path = Path::new(rest);
        if rest.ends_with(".toml") {
            let mut v = Variant::read(path)?;
            if let Some(n) = name {
                v.name = n.to_string();
            }
            return Ok(System::Variant(v));
        }
        if path.exists() {
            return Ok(System::Predictions {
                name: named(rest),
                path: path.to_path_buf(),
            });
        }
        let looks_like_path = path.components().count() > 1 || path.extension().is_some();
        if looks_like_path {
            return Err(Error::invalid(format!(
                "system {rest:?}: no such file or folder"
            )));
        }
        let dir = &opts.variants_dir;
        if !dir.join(format!("{rest}.toml")).is_file() {
            let known = if dir.is_dir() {
                Variant::names(dir).unwrap_or_default()
            } else {
                Vec::new()
            };
            return Err(Error::invalid(format!(
                "unknown system {rest:?}: no file or folder of that name, and no variant \
                 {rest}.toml in {} (known variants: {}); an external tagger is cmd:COMMAND",
                dir.display(),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
        let mut v = Variant::resolve(rest, dir)?;
        if let Some(n) = name {
            v.name = n.to_string();
        }
        Ok(System::Variant(v))
    }

    /// The name it has in every output.
    pub fn name(&self) -> &str {
        match self {
            System::Variant(v) => &v.name,
            System::Predictions { name, .. } | System::Command { name, .. } => name,
        }
    }

    /// One line about it.
    pub fn description(&self) -> String {
        match self {
            System::Variant(v) => v.description.clone(),
            System::Predictions { path, .. } => format!("predictions {}", path.display()),
            System::Command { command, .. } => format!("command {command}"),
        }
    }

    /// Runs the system on the gold's documents (which must have their texts).
    pub fn run(&self, gold: &Dataset, opts: &SystemOptions) -> Result<Predictions> {
        self.prepare()?.run(gold, opts)
    }

    /// Runs the system on several datasets in turn, as [`System::run`] does on each; a
    /// variant's tagger is built once for all of them.
    pub fn run_each(&self, golds: &[&Dataset], opts: &SystemOptions) -> Result<Vec<Predictions>> {
        let ready = self.prepare()?;
        golds.iter().map(|g| ready.run(g, opts)).collect()
    }

    /// Makes the system ready to run: a variant's tagger is built now, once, for every
    /// [`Prepared::run`] after (the clean gold and its perturbations, a timing run).
    pub fn prepare(&self) -> Result<Prepared<'_>> {
        let tagger = match self {
            System::Variant(v) => Some(v.build()?),
            System::Predictions { .. } | System::Command { .. } => None,
        };
        Ok(Prepared {
            system: self,
            tagger,
        })
    }
}

/// A [`System`] ready to run: a variant with its tagger built (see [`System::prepare`]).
#[derive(Debug)]
pub struct Prepared<'a> {
    system: &'a System,
    tagger: Option<Tagger>,
}

impl Prepared<'_> {
    /// The system.
    pub fn system(&self) -> &System {
        self.system
    }

    /// A variant's tagger; `None` for predictions and commands.
    pub fn tagger(&self) -> Option<&Tagger> {
        self.tagger.as_ref()
    }

    /// Runs the system on the gold's documents (which must have their texts), as
    /// [`System::run`] does.
    pub fn run(&self, gold: &Dataset, opts: &SystemOptions) -> Result<Predictions> {
        if gold.texts() == Texts::Missing {
            return Err(Error::invalid(
                "the gold has no texts to run a system on (an annotations CSV needs its texts)",
            ));
        }
        match (self.system, &self.tagger) {
            (System::Variant(_), Some(tagger)) => Ok(tag_dataset(tagger, gold)),
            (System::Variant(v), None) => Ok(tag_dataset(&v.build()?, gold)),
            (System::Predictions { path, .. }, _) => {
                let start = Instant::now();
                let mut p = read_predictions(path, gold, opts)?;
                p.elapsed = start.elapsed();
                Ok(p)
            }
            (System::Command { name, command }, _) => {
                run_command(name, command, gold, opts.timeout)
            }
        }
    }
}

/// A tagger's predictions on a dataset's texts, their norms of the kinds the dataset's
/// labels declare.
fn tag_dataset(tagger: &Tagger, gold: &Dataset) -> Predictions {
    let start = Instant::now();
    let mut annotations = tagger.tag_corpus(gold.corpus());
    gold.labels().conform(&mut annotations);
    Predictions {
        annotations,
        missing: Vec::new(),
        unknown: Vec::new(),
        elapsed: start.elapsed(),
    }
}

/// A system's name given as `NAME=`: letters, digits, `_`, `-` and `.`, not starting with
/// `.` or `-`.
pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// At most five ids, quoted, then how many more.
fn list(ids: &[String]) -> String {
    let mut s: Vec<String> = ids.iter().take(5).map(|i| format!("{i:?}")).collect();
    if ids.len() > 5 {
        s.push(format!("and {} more", ids.len() - 5));
    }
    s.join(", ")
}

// ---- predictions files -------------------------------------------------------------------

/// Reads a predictions file or folder against the gold: offsets against the gold's texts,
/// document ids against the gold's ids.
fn read_predictions(path: &Path, gold: &Dataset, opts: &SystemOptions) -> Result<Predictions> {
    let csv_file =
        path.is_file() && opts.pred_format.or(Format::from_path(path)) == Some(Format::Csv);
    // Norms are read as they are (every norm a name), then take the kinds of the gold's
    // labels (`conform`): an integer written as a string is an integer, and a norm that is
    // not one is kept, to count as a wrong norm, rather than refuse the file.
    let as_written = LabelSet::new();
    // The predicted documents and their mentions, before the ids are checked.
    let (ids, set): (BTreeSet<String>, AnnotationSet) = if csv_file {
        // Rows name their documents: check the ids before the offsets against the texts,
        // so that a wrong id is named as such.
        let (mut set, present) = AnnotationSet::read_predictions(path, &as_written)?;
        if !present.text {
            // Nothing to check the offsets with: the mentions take the gold's slices.
            set.fill_texts(gold.corpus());
        }
        (set.doc_ids().map(str::to_string).collect(), set)
    } else {
        let data = Dataset::open(
            path,
            OpenOptions::new()
                .format(opts.pred_format)
                .texts(Some(gold.corpus()))
                .labelstudio(opts.labelstudio)
                .labels(Some(&as_written))
                .conll(opts.conll),
        )?;
        let name = path.display().to_string();
        let gold_name = gold
            .source()
            .map_or_else(|| "the gold".to_string(), |p| p.display().to_string());
        gold.check_same_texts(&gold_name, data.corpus(), &name)?;
        let mut ids: BTreeSet<String> = data.annotations().doc_ids().map(str::to_string).collect();
        ids.extend(data.corpus().documents().iter().map(|d| d.id.clone()));
        (ids, data.into_parts().1)
    };
    let unknown: Vec<String> = ids
        .iter()
        .filter(|id| gold.corpus().get(id).is_none())
        .cloned()
        .collect();
    if let Some(first) = unknown.first() {
        if !opts.ignore_unknown_docs {
            return Err(unknown_doc(first, unknown.len(), ids.len(), gold).at_path(path));
        }
    }
    let missing: Vec<String> = gold
        .corpus()
        .documents()
        .iter()
        .filter(|d| !ids.contains(&d.id))
        .map(|d| d.id.clone())
        .collect();
    let mut kept = AnnotationSet::new();
    for a in set.iter() {
        if gold.corpus().get(&a.doc).is_some() {
            kept.push(a.clone());
        }
    }
    kept.sort();
    let mut annotations = if csv_file {
        // Every row against its text (the gold's), and every gold document present.
        Dataset::new(gold.corpus().clone(), kept)
            .map_err(|e| e.at_path(path))?
            .into_parts()
            .1
    } else {
        for d in gold.corpus().documents() {
            kept.ensure_doc(&d.id);
        }
        kept
    };
    gold.labels().conform(&mut annotations);
    Ok(Predictions {
        annotations,
        missing,
        unknown,
        elapsed: Duration::ZERO,
    })
}

/// `document id "x" is not in the gold (nearest gold id: "y")`.
fn unknown_doc(id: &str, unknown: usize, total: usize, gold: &Dataset) -> Error {
    let nearest = nearest_id(id, gold)
        .map(|n| format!(" (nearest gold id: {n:?})"))
        .unwrap_or_default();
    let many = if unknown > 1 {
        format!("; {unknown} of its {total} document ids are not in the gold")
    } else {
        String::new()
    };
    Error::invalid(format!(
        "document id {id:?} is not in the gold{nearest}{many}; give --ignore-unknown-docs to \
         leave such documents out"
    ))
}

/// The gold id closest to `id` by edit distance (the first in id order on ties).
fn nearest_id<'a>(id: &str, gold: &'a Dataset) -> Option<&'a str> {
    gold.corpus()
        .documents()
        .iter()
        .map(|d| (edit_distance(id, &d.id), d.id.as_str()))
        .min()
        .map(|(_, d)| d)
}

/// Levenshtein distance between two strings, over code points.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

// ---- external commands -------------------------------------------------------------------

#[derive(Serialize)]
struct InputLine<'a> {
    id: &'a str,
    text: &'a str,
}

/// What a finished (or killed) command left.
struct Finished {
    status: Option<ExitStatus>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    elapsed: Duration,
}

fn run_command(
    name: &str,
    command: &str,
    gold: &Dataset,
    timeout: Duration,
) -> Result<Predictions> {
    let run = execute(name, command, gold, timeout)?;
    let fail = |msg: String| command_error(name, command, &msg, &run.stderr);
    match run.status {
        None => {
            return Err(fail(format!(
                "did not finish within {} s (the timeout); killed",
                timeout.as_secs_f64()
            )))
        }
        Some(s) if !s.success() => return Err(fail(format!("failed: {}", exit_text(s)))),
        Some(_) => {}
    }
    let mut annotations = parse_output(&run.stdout, gold).map_err(|e| fail(e.to_string()))?;
    // Norms as written, then of the kinds of the gold's labels (see read_predictions).
    gold.labels().conform(&mut annotations);
    Ok(Predictions {
        annotations,
        missing: Vec::new(),
        unknown: Vec::new(),
        elapsed: run.elapsed,
    })
}

/// Starts the command, feeds it every document on a thread of its own (so that a command
/// that writes as it reads cannot deadlock against us), collects its output, and kills it
/// (and its process group) at the timeout.
fn execute(name: &str, command: &str, gold: &Dataset, timeout: Duration) -> Result<Finished> {
    let mut cmd = shell(command);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| {
        Error::invalid(format!(
            "system {name}: cannot start the command {command:?}: {e}"
        ))
    })?;
    let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        // Piped above: the handles are there.
        let _ = child.kill();
        return Err(Error::invalid(format!(
            "system {name}: cannot talk to the command"
        )));
    };
    let corpus = gold.corpus();
    std::thread::scope(|s| {
        s.spawn(move || {
            let mut buf = Vec::new();
            for d in corpus.documents() {
                buf.clear();
                // Serializing two strings cannot fail.
                serde_json::to_writer(
                    &mut buf,
                    &InputLine {
                        id: &d.id,
                        text: &d.text,
                    },
                )
                .expect("JSON of two strings");
                buf.push(b'\n');
                // A command that stops reading (it exited, or closed its input) is judged by
                // its status and its output, not by this write.
                if stdin.write_all(&buf).is_err() {
                    return;
                }
            }
            // Dropping stdin closes it: the command sees the end of its input.
        });
        let out = s.spawn(move || {
            let mut v = Vec::new();
            let _ = stdout.read_to_end(&mut v);
            v
        });
        let err = s.spawn(move || {
            let mut kept = Vec::new();
            let mut chunk = [0u8; 8192];
            while let Ok(n) = stderr.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                kept.extend_from_slice(&chunk[..n]);
                if kept.len() > 2 * STDERR_KEEP {
                    kept.drain(..kept.len() - STDERR_KEEP);
                }
            }
            kept
        });
        let status = wait(&mut child, start + timeout);
        if status.is_some() {
            // Anything it left running in the background would hold its output open.
            kill_group(&child);
        }
        let stdout = out.join().unwrap_or_default();
        let stderr = err.join().unwrap_or_default();
        Ok(Finished {
            status,
            stdout,
            stderr,
            elapsed: start.elapsed(),
        })
    })
}

#[cfg(unix)]
fn shell(command: &str) -> Command {
    use std::os::unix::process::CommandExt;
    let mut c = Command::new("sh");
    c.arg("-c").arg(command);
    // Its own process group, so that a timeout kills whatever it started too.
    c.process_group(0);
    c
}

#[cfg(not(unix))]
fn shell(command: &str) -> Command {
    let mut c = Command::new("cmd");
    c.arg("/C").arg(command);
    c
}

/// Waits for the child until `deadline`; then kills it and returns `None`.
fn wait(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(s)) => return Some(s),
            Ok(None) => {}
            Err(_) => break,
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(20));
    }
    kill(child);
    None
}

fn kill(child: &mut Child) {
    kill_group(child);
    let _ = child.kill();
    let _ = child.wait();
}

/// Kills the child's process group (the shell and what it started), so that their pipes
/// close.
fn kill_group(child: &Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    #[cfg(not(unix))]
    let _ = child;
}

fn exit_text(s: ExitStatus) -> String {
    if let Some(c) = s.code() {
        return format!("exit status {c}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = s.signal() {
            return format!("killed by signal {sig}");
        }
    }
    s.to_string()
}

/// `system NAME (cmd:COMMAND): MESSAGE`, then the last lines of its standard error.
fn command_error(name: &str, command: &str, msg: &str, stderr: &[u8]) -> Error {
    let who = if name == format!("cmd:{command}") {
        format!("system {name:?}")
    } else {
        format!("system {name:?} (cmd:{command})")
    };
    let text = String::from_utf8_lossy(stderr);
    let tail: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .take(STDERR_LINES)
        .collect();
    let stderr = if tail.is_empty() {
        "; it wrote nothing on standard error".to_string()
    } else {
        let mut s = String::from("; the last lines of its standard error:");
        for l in tail.iter().rev() {
            s.push_str("\n  | ");
            s.push_str(&crate::error::controls_as_spaces(l));
        }
        s
    };
    Error::invalid(format!("{who}: {msg}{stderr}"))
}

/// Reads the command's output: one line per gold document, in any order.
fn parse_output(bytes: &[u8], gold: &Dataset) -> Result<AnnotationSet> {
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut set = AnnotationSet::new();
    for l in lines(bytes) {
        let (line, s) = l.map_err(|e| Error::invalid(format!("output {e}")))?;
        if s.trim().is_empty() {
            continue;
        }
        let at = |e: Error| Error::invalid(format!("output line {line}: {e}"));
        let v = json::parse_line(s).map_err(at)?;
        let m = object(&v, "").map_err(at)?;
        let id = json::id(get(m, "id", "").map_err(at)?, "id").map_err(at)?;
        let at_doc = |e: Error| Error::invalid(format!("output line {line}, document {id:?}: {e}"));
        let Some(doc) = gold.corpus().get(&id) else {
            let nearest = nearest_id(&id, gold)
                .map(|n| format!(" (nearest: {n:?})"))
                .unwrap_or_default();
            return Err(at_doc(Error::invalid(format!(
                "no such document was sent{nearest}"
            ))));
        };
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(at_doc(Error::invalid(format!(
                "the document was already given on output line {first}"
            ))));
        }
        let spans = json::array(get(m, "spans", "").map_err(at_doc)?, "spans").map_err(at_doc)?;
        let idx = OffsetIndex::new(&doc.text);
        set.ensure_doc(&id);
        for (i, sv) in spans.iter().enumerate() {
            let path = index("spans", i);
            let a = span(&LabelSet::new(), doc, &idx, sv, &path, line).map_err(at_doc)?;
            set.push(a);
        }
    }
    if let Some(d) = gold
        .corpus()
        .documents()
        .iter()
        .find(|d| !seen.contains_key(&d.id))
    {
        let n = gold.corpus().len() - seen.len();
        return Err(Error::invalid(format!(
            "its output has no line for document {:?}{} (every document sent needs one line, \
             with \"spans\": [] when it has none)",
            d.id,
            if n > 1 {
                format!(" and {} more", n - 1)
            } else {
                String::new()
            }
        )));
    }
    set.sort();
    Ok(set)
}

fn span(
    labels: &crate::label::LabelSet,
    doc: &crate::gold::Document,
    idx: &OffsetIndex<'_>,
    sv: &serde_json::Value,
    path: &str,
    line: u64,
) -> Result<Annotation> {
    let sm = object(sv, path)?;
    let start = json::offset(get(sm, "start", path)?, &join(path, "start"))?;
    let end = json::offset(get(sm, "end", path)?, &join(path, "end"))?;
    let label = json::label(get(sm, "label", path)?, &join(path, "label"))?;
    let norm = json::norm(
        sm.get("norm"),
        label,
        labels.declared_kind(label),
        &join(path, "norm"),
    )?;
    make_annotation(doc, idx, start, end, label, norm, line)
        .map_err(|m| Error::invalid(m).in_field(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gold::{Corpus, Document};

    fn gold() -> Dataset {
        let docs = ["000_mali", "001_niger", "002_chad"]
            .iter()
            .map(|id| Document {
                id: id.to_string(),
                text: format!("{id}: Mali and the UN"),
            })
            .collect();
        Dataset::new(Corpus::from_documents(docs).unwrap(), AnnotationSet::new()).unwrap()
    }

    #[test]
    fn names_and_kinds_of_system_strings() {
        let opts = SystemOptions::default();
        let s = System::parse("cmd:python3 t.py --x=1", &opts).unwrap();
        assert!(
            matches!(&s, System::Command { name, command } if name == "cmd:python3 t.py --x=1" && command == "python3 t.py --x=1")
        );
        let s = System::parse("mine=cmd:./t.sh a=b", &opts).unwrap();
        assert!(
            matches!(&s, System::Command { name, command } if name == "mine" && command == "./t.sh a=b")
        );
        let dir = std::env::temp_dir();
        let s = System::parse(&format!("p={}", dir.display()), &opts).unwrap();
        assert!(matches!(&s, System::Predictions { name, .. } if name == "p"));
        let e = System::parse("nope.csv", &opts).unwrap_err().to_string();
        assert_eq!(e, "system \"nope.csv\": no such file or folder");
        let e = System::parse("cmd: ", &opts).unwrap_err().to_string();
        assert!(e.contains("no command after `cmd:`"), "{e}");
        let e = System::parse("nosuchvariant", &opts)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("unknown system \"nosuchvariant\""), "{e}");
        assert!(!is_name("-x") && !is_name("") && !is_name("a b") && is_name("v2.1_a-b"));
    }

    #[test]
    fn nearest_ids_by_edit_distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("é", "e"), 1);
        let g = gold();
        assert_eq!(nearest_id("001_niger.txt", &g), Some("001_niger"));
        assert_eq!(nearest_id("zzz", &g), Some("000_mali"));
    }

    #[test]
    fn output_lines_are_checked() {
        let g = gold();
        let ok = |id: &str| format!("{{\"id\":\"{id}\",\"spans\":[]}}\n");
        let all = format!("{}{}{}", ok("002_chad"), ok("000_mali"), ok("001_niger"));
        assert_eq!(parse_output(all.as_bytes(), &g).unwrap().len(), 0);
        let spans = format!(
            "{}{}{{\"id\":\"001_niger\",\"spans\":[{{\"start\":11,\"end\":15,\"label\":\"PLACE\"}}]}}\n",
            ok("000_mali"),
            ok("002_chad")
        );
        let set = parse_output(spans.as_bytes(), &g).unwrap();
        assert_eq!(set.get("001_niger")[0].text, "Mali");
        assert_eq!(set.get("001_niger")[0].line, 3);
        let cases = [
            (ok("000_mali"), "its output has no line for document \"001_niger\" and 1 more"),
            (format!("{all}{}", ok("000_mali")), "output line 4, document \"000_mali\": the document was already given on output line 2"),
            (format!("{all}{}", ok("001_nigr")), "output line 4, document \"001_nigr\": no such document was sent (nearest: \"001_niger\")"),
            (format!("{}not json\n", ok("000_mali")), "output line 2: invalid JSON at column 2: expected ident"),
            ("{\"spans\":[]}\n".to_string(), "output line 1: missing key `id`"),
            ("{\"id\":\"000_mali\"}\n".to_string(), "output line 1, document \"000_mali\": missing key `spans`"),
            ("{\"id\":\"000_mali\",\"spans\":[{\"start\":0,\"end\":99,\"label\":\"PLACE\"}]}\n".to_string(), "output line 1, document \"000_mali\": field `spans[0]`: span 0..99 is past the end of document \"000_mali\""),
            ("\n\n{\"id\":\"000_mali\",\"spans\":[{\"start\":0,\"end\":1}]}\n".to_string(), "output line 3, document \"000_mali\": field `spans[0]`: missing key `label`"),
        ];
        for (src, want) in cases {
            let got = parse_output(src.as_bytes(), &g).unwrap_err().to_string();
            assert!(
                got.starts_with(want),
                "{src:?}: {got:?} does not start with {want:?}"
            );
        }
        let e = parse_output(b"{\"id\":\"000_mali\",\"spans\":[]}\n\xff\n", &g).unwrap_err();
        assert_eq!(
            e.to_string(),
            "output line 2: invalid UTF-8 at byte 0 of the line"
        );
    }

    #[cfg(unix)]
    #[test]
    fn commands_run_and_fail_with_their_stderr() {
        let g = gold();
        let opts = SystemOptions::default();
        // `sed` turns each input line into an output line without spans.
        let echo = System::parse(r#"echo=cmd:sed -e 's/,"text":.*/,"spans":[]}/'"#, &opts).unwrap();
        let p = echo.run(&g, &opts).unwrap();
        assert_eq!(p.annotations.doc_ids().count(), 3);
        assert!(p.missing.is_empty());
        let fails = System::parse("cmd:cat >/dev/null; echo boom >&2; exit 3", &opts).unwrap();
        let e = fails.run(&g, &opts).unwrap_err().to_string();
        assert_eq!(
            e,
            "system \"cmd:cat >/dev/null; echo boom >&2; exit 3\": failed: exit status 3; \
             the last lines of its standard error:\n  | boom"
        );
        // A process left in the background with the output open: killed at the exit.
        let t = Instant::now();
        let bg = System::parse(
            r#"bg=cmd:sleep 30 & sed -e 's/,"text":.*/,"spans":[]}/'"#,
            &opts,
        )
        .unwrap();
        assert_eq!(bg.run(&g, &opts).unwrap().annotations.doc_ids().count(), 3);
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
        let slow = System::parse("slow=cmd:sleep 5", &opts).unwrap();
        let quick = SystemOptions {
            timeout: Duration::from_millis(200),
            ..SystemOptions::default()
        };
        let t = Instant::now();
        let e = slow.run(&g, &quick).unwrap_err().to_string();
        assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
        assert_eq!(
            e,
            "system \"slow\" (cmd:sleep 5): did not finish within 0.2 s (the timeout); killed; \
             it wrote nothing on standard error"
        );
    }
}
