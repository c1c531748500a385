//! Embeds the repository's tagger variants (`../variants/*.toml`) and every gazetteer
//! (`../gazetteer/*.csv`) in the extension, so that `Tagger.from_variant("default")` works
//! after `pip install ./python` from any folder, with no data files to find at run time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, ext: &str) -> Vec<(String, PathBuf)> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == ext) && p.is_file())
        .map(|p| {
            println!("cargo:rerun-if-changed={}", p.display());
            let name = p.file_name().unwrap().to_str().expect("a UTF-8 file name");
            (
                name.to_string(),
                p.canonicalize().expect("an existing file"),
            )
        })
        .collect();
    out.sort();
    out
}

fn table(name: &str, entries: &[(String, PathBuf)]) -> String {
    let mut s = format!("pub static {name}: &[(&str, &[u8])] = &[\n");
    for (file, path) in entries {
        writeln!(
            s,
            "    ({file:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    s.push_str("];\n");
    s
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let variants = files(&root.join("variants"), "toml");
    let gazetteers = files(&root.join("gazetteer"), "csv");
    assert!(
        variants.iter().any(|(f, _)| f == "default.toml"),
        "no variants/default.toml"
    );
    let code = table("VARIANTS", &variants) + &table("GAZETTEERS", &gazetteers);
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
