//! [`Edits`]: what a pass may do to the tree, each act recorded in the report.

use crate::path::ProjectPath;
use crate::report::{Action, Change, Report};
use crate::tree::{FileEntry, OnDuplicate, SourceTree};

/// The tree and report under normalization, with helpers that keep the report honest.
pub struct Edits<'a> {
    pub tree: &'a mut SourceTree,
    pub report: &'a mut Report,
    /// The project's name (file-name safe).
    pub name: &'a str,
}

impl<'a> Edits<'a> {
    pub fn new(tree: &'a mut SourceTree, report: &'a mut Report, name: &'a str) -> Self {
        Self { tree, report, name }
    }

    /// One change per file and action, with every reason (a person counts files, not edits);
    /// an edit of a file Liftoff added is part of adding it.
    fn record(&mut self, path: &str, action: Action, reason: &str) {
        let edit_of_added = action == Action::Edited;
        let earlier = self.report.changes.iter_mut().find(|c| {
            c.path == path && (c.action == action || (edit_of_added && c.action == Action::Added))
        });
        if let Some(change) = earlier {
            if !change.reason.contains(reason) {
                change.reason = format!("{}; {reason}", change.reason);
            }
            return;
        }
        self.report.changes.push(Change {
            path: path.into(),
            action,
            reason: reason.into(),
        });
    }

    /// The file's text, if it exists and is UTF-8.
    pub fn text(&self, path: &str) -> Option<String> {
        let file = self.tree.get(path)?;
        String::from_utf8(file.bytes.clone()).ok()
    }

    /// Whether the file exists.
    pub fn has(&self, path: &str) -> bool {
        self.tree.get(path).is_some()
    }

    /// Paths of every file, in order.
    pub fn paths(&self) -> Vec<String> {
        self.tree.iter().map(|(p, _)| p.to_string()).collect()
    }

    /// Replaces the text of an existing file; records an edit when it changed.
    pub fn set_text(&mut self, path: &str, text: String, reason: &str) {
        let Ok(parsed) = ProjectPath::parse(path) else {
            return;
        };
        let Some(old) = self.tree.get(path) else {
            return;
        };
        if old.bytes == text.as_bytes() {
            return;
        }
        let entry = FileEntry {
            bytes: text.into_bytes(),
            executable: old.executable,
        };
        self.tree
            .insert_path(parsed, entry, OnDuplicate::Replace)
            .expect("replacing an existing path keeps the tree valid");
        self.record(path, Action::Edited, reason);
    }

    /// Removes a file; records it.
    pub fn remove(&mut self, path: &str, reason: &str) {
        if let Ok(parsed) = ProjectPath::parse(path) {
            if self.tree.remove(&parsed).is_some() {
                self.record(path, Action::Removed, reason);
            }
        }
    }

    /// Removes every file under `folder/`; records the folder once.
    pub fn remove_folder(&mut self, folder: &str, reason: &str) {
        let prefix = format!("{}/", folder.trim_end_matches('/'));
        let doomed: Vec<ProjectPath> = self
            .tree
            .iter()
            .filter(|(p, _)| p.as_str().starts_with(&prefix))
            .map(|(p, _)| p.clone())
            .collect();
        if doomed.is_empty() {
            return;
        }
        for path in &doomed {
            self.tree.remove(path);
        }
        self.record(&prefix, Action::Removed, reason);
    }

    /// Adds a file when no file is at `path` yet; records it. Returns whether it was added.
    pub fn add_if_missing(&mut self, path: &str, bytes: Vec<u8>, reason: &str) -> bool {
        if self.has(path) {
            return false;
        }
        match self
            .tree
            .insert(path, FileEntry::new(bytes), OnDuplicate::Refuse)
        {
            Ok(_) => {
                self.record(path, Action::Added, reason);
                true
            }
            Err(why) => {
                self.warn(format!("could not add {path}: {why}"));
                false
            }
        }
    }

    /// Adds or replaces a generated file (LIFTOFF.md, `.env`); records it.
    pub fn write(&mut self, path: &str, bytes: Vec<u8>, reason: &str) {
        if self.has(path) {
            if let Ok(text) = String::from_utf8(bytes.clone()) {
                self.set_text(path, text, reason);
            }
            return;
        }
        self.add_if_missing(path, bytes, reason);
    }

    /// A warning for the report.
    pub fn warn(&mut self, message: impl Into<String>) {
        let message = message.into();
        if !self.report.warnings.contains(&message) {
            self.report.warnings.push(message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_one_change_per_action_with_every_reason() {
        let mut tree = SourceTree::new();
        for path in ["package.json", "vite.config.js"] {
            tree.insert(path, FileEntry::new(b"{}".to_vec()), OnDuplicate::Refuse)
                .unwrap();
        }
        let mut report = Report::default();
        let mut edits = Edits::new(&mut tree, &mut report, "app");
        edits.set_text("package.json", "{\"a\":1}".into(), "the plugin out");
        edits.set_text(
            "vite.config.js",
            "x".into(),
            "the plugin out; the alias kept",
        );
        edits.set_text("package.json", "{\"b\":1}".into(), "the SDK out");
        edits.set_text("package.json", "{\"c\":1}".into(), "the SDK out");
        edits.add_if_missing(".env", b"A=1\n".to_vec(), "values moved");
        edits.write(".env", b"A=1\nB=2\n".to_vec(), "another value moved");
        edits.remove("package.json", "gone");
        let changes: Vec<_> = report
            .changes
            .iter()
            .map(|c| (c.path.as_str(), c.action, c.reason.as_str()))
            .collect();
        assert_eq!(
            changes,
            [
                (
                    "package.json",
                    Action::Edited,
                    "the plugin out; the SDK out"
                ),
                (
                    "vite.config.js",
                    Action::Edited,
                    "the plugin out; the alias kept"
                ),
                (".env", Action::Added, "values moved; another value moved"),
                ("package.json", Action::Removed, "gone"),
            ]
        );
        let summary = report.summary_markdown(None);
        assert!(
            summary.contains("2 edited, 1 removed, 1 added"),
            "{summary}"
        );
    }
}
