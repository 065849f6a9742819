//! What a builder's marks look at: cheap, read-only views of a tree (a file, a folder, a
//! dependency, the package name), so each builder's table of marks stays one line a mark.

use serde_json::Value;

use crate::report::Builder;
use crate::tree::SourceTree;

/// One sign that a builder made the project (`../shared/brief/builders.md`).
pub struct Mark {
    /// True when the tree carries the mark.
    pub test: fn(&TreeView<'_>) -> bool,
}

/// A table row: one line per mark.
pub const fn mark(test: fn(&TreeView<'_>) -> bool) -> Mark {
    Mark { test }
}

/// The config files Vite reads, where builders put their plugins.
pub const VITE_CONFIGS: &[&str] = &[
    "vite.config.ts",
    "vite.config.js",
    "vite.config.mjs",
    "vite.config.mts",
];

/// Read-only views of a tree that marks look at.
pub struct TreeView<'a> {
    pub tree: &'a SourceTree,
}

impl TreeView<'_> {
    /// Whether the file exists.
    pub fn has(&self, path: &str) -> bool {
        self.tree.get(path).is_some()
    }

    /// Whether any file sits under `prefix` (`".bolt/"`).
    pub fn any_under(&self, prefix: &str) -> bool {
        self.tree
            .iter()
            .any(|(p, _)| p.as_str().starts_with(prefix))
    }

    /// The file's text (lossy), or empty.
    pub fn text(&self, path: &str) -> String {
        self.tree
            .get(path)
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
            .unwrap_or_default()
    }

    /// Whether any of `paths` contains `needle`.
    pub fn any_text(&self, paths: &[&str], needle: &str) -> bool {
        paths.iter().any(|p| self.text(p).contains(needle))
    }

    /// Whether `package.json` depends (or dev-depends) on `name`.
    pub fn dependency(&self, name: &str) -> bool {
        let Ok(json) = serde_json::from_str::<Value>(&self.text("package.json")) else {
            return false;
        };
        ["dependencies", "devDependencies"]
            .iter()
            .any(|k| json.get(k).and_then(|d| d.get(name)).is_some())
    }

    /// `package.json`'s `name`, or empty.
    pub fn package_name(&self) -> String {
        serde_json::from_str::<Value>(&self.text("package.json"))
            .ok()
            .and_then(|j| j.get("name")?.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// The builder whose marks the tree carries most, or [`Builder::UNKNOWN`] when none; on a tie,
/// the one registered first.
pub fn detect_builder(tree: &SourceTree) -> Builder {
    let view = TreeView { tree };
    let mut best = (Builder::UNKNOWN, 0);
    for spec in super::ALL {
        let count = spec.marks.iter().filter(|m| (m.test)(&view)).count();
        if count > best.1 {
            best = (spec.builder, count);
        }
    }
    best.0
}
