//! `tagbench.toml`: the project file that says what `tagbench check` gates.
//!
//! ```toml
//! gold = "gold"                    # the gold, as --gold takes it
//! baseline = "gold/baseline.json"  # where the results are recorded
//! tolerance = 0.0                  # how much an F1 may drop
//! variants_dir = "variants"        # where variant names are looked up
//! perturbations = ["name-newline"] # also check every system on these perturbed golds
//!
//! [systems]                        # NAME = SYSTEM; absent: every variant
//! default = "default"
//! mine = "cmd:python3 tools/my_tagger.py"
//! last-release = "out/release.csv"
//! ```
//!
//! With `perturbations`, `check` also runs every system that can tag a text (variants and
//! commands) on each perturbed copy of the gold (seed 0, as `tagbench perturb` writes it)
//! and records it in the baseline as `SYSTEM@PERTURBATION` (`default@name-newline`), so that
//! a change that breaks, say, line breaks inside names fails the check.
//!
//! Every key is optional; a flag given on the command line wins over the file. Paths and
//! commands are read as on the command line: relative to the current folder (run `tagbench
//! check` from the project's root, where the file is found by default).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::perturb::Perturbation;
use crate::variant::toml_error;

/// The project file's name, looked for in the current folder.
pub const PROJECT_FILE: &str = "tagbench.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    gold: Option<PathBuf>,
    baseline: Option<PathBuf>,
    tolerance: Option<f64>,
    variants_dir: Option<PathBuf>,
    perturbations: Option<Vec<String>>,
    systems: Option<BTreeMap<String, String>>,
}

/// A project file, read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Project {
    /// The gold.
    pub gold: Option<PathBuf>,
    /// The baseline file.
    pub baseline: Option<PathBuf>,
    /// How much an F1 may drop (a finite number >= 0).
    pub tolerance: Option<f64>,
    /// Where variant names are looked up.
    pub variants_dir: Option<PathBuf>,
    /// The systems under test as `NAME=SYSTEM` strings, sorted by name; `None` for every
    /// variant.
    pub systems: Option<Vec<String>>,
    /// The perturbations every system is also checked on, in [`Perturbation::ALL`]'s
    /// order, each once; `None` when not given.
    pub perturbations: Option<Vec<Perturbation>>,
}

impl Project {
    /// Reads a project file.
    pub fn read(path: &Path) -> Result<Project> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Project::from_bytes(&bytes).map_err(|e| e.at_path(path))
    }

    /// Reads a project file from its bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Project> {
        let src = std::str::from_utf8(bytes)
            .map_err(|e| Error::utf8_in_file(bytes, e.valid_up_to(), 1, 0))?;
        let file: File = toml::from_str(src).map_err(|e| toml_error(&e, src))?;
        if let Some(t) = file.tolerance {
            if !(t.is_finite() && t >= 0.0) {
                return Err(
                    Error::invalid(format!("tolerance must be a number >= 0, not {t}"))
                        .in_field("tolerance"),
                );
            }
        }
        let systems = match file.systems {
            None => None,
            Some(map) => {
                if map.is_empty() {
                    return Err(Error::invalid(
                        "[systems] lists no system (leave it out to check every variant)",
                    )
                    .in_field("systems"));
                }
                let mut out = Vec::with_capacity(map.len());
                for (name, spec) in map {
                    let field = format!("systems.{name}");
                    if !crate::system::is_name(&name) {
                        return Err(Error::invalid(format!(
                            "system name {name:?}: use letters, digits, `_`, `-` and `.`"
                        ))
                        .in_field(&field));
                    }
                    if spec.trim().is_empty() {
                        return Err(Error::invalid("empty system").in_field(&field));
                    }
                    out.push(format!("{name}={spec}"));
                }
                Some(out)
            }
        };
        let perturbations = match file.perturbations {
            None => None,
            Some(names) => {
                let mut out = Vec::with_capacity(names.len());
                for n in &names {
                    out.push(
                        n.parse::<Perturbation>()
                            .map_err(|e| Error::invalid(e).in_field("perturbations"))?,
                    );
                }
                out.sort();
                out.dedup();
                Some(out)
            }
        };
        Ok(Project {
            perturbations,
            gold: file.gold,
            baseline: file.baseline,
            tolerance: file.tolerance,
            variants_dir: file.variants_dir,
            systems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key_and_names_bad_ones() {
        let p = Project::from_bytes(
            b"gold = \"g\"\ntolerance = 0.01\n[systems]\nz = \"cmd:./t a=b\"\na = \"default\"\n",
        )
        .unwrap();
        assert_eq!(p.gold.as_deref(), Some(Path::new("g")));
        assert_eq!(p.tolerance, Some(0.01));
        assert_eq!(
            p.systems.unwrap(),
            ["a=default".to_string(), "z=cmd:./t a=b".to_string()]
        );
        assert_eq!(Project::from_bytes(b"").unwrap(), Project::default());
        // Perturbations in their canonical order, each once.
        let p =
            Project::from_bytes(b"perturbations = [\"typo-drop\", \"upper\", \"upper\"]").unwrap();
        assert_eq!(
            p.perturbations,
            Some(vec![Perturbation::Upper, Perturbation::TypoDrop])
        );
        for (src, want) in [
            (
                "gold = 3",
                "line 1: column 8: invalid type: integer `3`, expected path",
            ),
            ("golds = \"g\"", "line 1: column 1: unknown field `golds`"),
            (
                "tolerance = -1.0",
                "field `tolerance`: tolerance must be a number >= 0, not -1",
            ),
            ("[systems]\n", "field `systems`: [systems] lists no system"),
            (
                "[systems]\n\"a b\" = \"x\"\n",
                "field `systems.a b`: system name \"a b\"",
            ),
            ("[systems]\na = \" \"\n", "field `systems.a`: empty system"),
            (
                "perturbations = [\"upper\", \"shout\"]",
                "field `perturbations`: unknown perturbation \"shout\" (expected one of upper,",
            ),
            (
                "perturbations = \"upper\"",
                "line 1: column 17: invalid type: string \"upper\", expected a sequence",
            ),
        ] {
            let got = Project::from_bytes(src.as_bytes()).unwrap_err().to_string();
            assert!(got.starts_with(want), "{src}: {got}");
        }
    }
}
