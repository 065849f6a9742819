//! The core's rules that no compiler checks, read from its sources: it does no I/O, its layers
//! use only the layers below them (so a builder never reaches into a destination, and nothing
//! below the registries names a builder), and unit tests live where ARCHITECTURE.md says.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, by path relative to it, with its text, minus test-only code:
/// files named `tests.rs`, modules declared under `#[cfg(test)]`, everything after a file's
/// first `#[cfg(test)]`, and comments.
fn sources() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    walk(&src, &src, &mut files);
    let test_only: Vec<String> = files
        .iter()
        .flat_map(|(path, text)| {
            let dir = module_dir(path);
            text.split("#[cfg(test)]\nmod ")
                .skip(1)
                .filter_map(|rest| rest.split_once(';').map(|(name, _)| name.to_string()))
                .map(move |name| format!("{dir}{name}"))
                .collect::<Vec<_>>()
        })
        .collect();
    files
        .into_iter()
        .filter(|(path, _)| !path.ends_with("/tests.rs") && path != "tests.rs")
        .filter(|(path, _)| {
            let stem = path.trim_end_matches(".rs").trim_end_matches("/mod");
            !test_only.iter().any(|t| t == stem)
        })
        .map(|(path, text)| {
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            // Comments name other modules freely; only code counts.
            let code: Vec<&str> = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect();
            (path, code.join("\n"))
        })
        .collect()
}

fn walk(dir: &Path, root: &Path, files: &mut BTreeMap<String, String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path: PathBuf = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, root, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, fs::read_to_string(&path).unwrap());
        }
    }
}

/// The folder a file's child modules live in: `a/b.rs` → `a/b/`, `a/mod.rs` → `a/`.
fn module_dir(path: &str) -> String {
    match path.strip_suffix("mod.rs").or(path.strip_suffix("lib.rs")) {
        Some(dir) => dir.to_string(),
        None => format!("{}/", path.trim_end_matches(".rs")),
    }
}

/// The top-level module a file belongs to (`builders`, `net`, `lib`).
fn top(path: &str) -> &str {
    path.split('/').next().unwrap().trim_end_matches(".rs")
}

#[test]
fn the_core_does_no_io() {
    const FORBIDDEN: &[&str] = &[
        "std::fs",
        "std::net",
        "std::process",
        "std::env::var",
        "std::io::stdin",
        "SystemTime",
        "Instant::now",
        "web_sys",
        "thread::sleep",
    ];
    for (path, code) in sources() {
        for word in FORBIDDEN {
            assert!(
                !code.contains(word),
                "src/{path} uses {word}: the core never does I/O"
            );
        }
    }
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    // Lower layers first (lib.rs's list); a module may use its own layer and those before it.
    const LAYERS: &[&[&str]] = &[
        &[
            "path",
            "tree",
            "limits",
            "report",
            "error",
            "text",
            "fold",
            "b64",
            "archive",
            "zip_write",
            "net",
            "sql",
            "time",
            "env_file",
            "edit",
            "detect",
            "capture",
            "deploy",
        ],
        &["builders", "destinations"],
        &["normalize"],
        &["pipeline", "catalog"],
    ];
    let layer_of = |module: &str| LAYERS.iter().position(|l| l.contains(&module));
    for (path, code) in sources() {
        let module = top(&path);
        if module == "lib" {
            continue;
        }
        let own = layer_of(module).unwrap_or_else(|| panic!("src/{path}: {module} has no layer"));
        for (layer, modules) in LAYERS.iter().enumerate() {
            for used in *modules {
                let uses = code.contains(&format!("crate::{used}::"))
                    || code.contains(&format!("crate::{used};"))
                    || code.contains(&format!("crate::{used}::{{"));
                let allowed = layer <= own;
                assert!(
                    !uses || allowed,
                    "src/{path} ({module}) uses crate::{used}, a layer above or beside it"
                );
            }
        }
    }
    // The registries of the same layer stay apart: builders and destinations never meet.
    for (path, code) in sources() {
        match top(&path) {
            "builders" => assert!(!code.contains("crate::destinations"), "src/{path}"),
            "destinations" => assert!(!code.contains("crate::builders"), "src/{path}"),
            _ => {}
        }
    }
}

#[test]
fn unit_tests_live_beside_their_module_and_move_to_a_file_when_long() {
    // The rule (ARCHITECTURE.md): a module's unit tests are a `#[cfg(test)] mod tests` at the end
    // of its file while they are short, and `<module>/tests.rs` once they pass 150 lines.
    const LONGEST_INLINE: usize = 150;
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    walk(&src, &src, &mut files);
    for (path, text) in files {
        let Some(at) = text.find("#[cfg(test)]\nmod tests {") else {
            continue;
        };
        let lines = text[at..].lines().count();
        assert!(
            lines <= LONGEST_INLINE + 2,
            "src/{path}: {lines} lines of inline tests; move them to {}tests.rs",
            module_dir(&path)
        );
    }
}
