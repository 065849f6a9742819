//! Removing a dependency everywhere npm looks for it: `package.json`, `package-lock.json`,
//! and lockfiles that cannot be kept in agreement.

use super::json::{edit_json, remove_dependency};
use super::npm_lock::{remove_package, LockEdit};
use super::Edits;

/// Removes `name` from `package.json` and `package-lock.json`. Returns whether
/// `package.json` changed.
pub fn remove_npm_dependency(edits: &mut Edits<'_>, name: &str, reason: &str) -> bool {
    let Some(manifest) = edits.text("package.json") else {
        return false;
    };
    let Some(edited) = edit_json(&manifest, |v| remove_dependency(v, name)) else {
        if serde_json::from_str::<serde_json::Value>(&manifest).is_err() {
            edits.warn(format!(
                "package.json is not valid JSON; {name} could not be removed from it"
            ));
        }
        return false;
    };
    edits.set_text("package.json", edited, reason);
    if let Some(lock) = edits.text("package-lock.json") {
        let mut outcome = LockEdit::Absent;
        let edited = edit_json(&lock, |v| {
            outcome = remove_package(v, name);
            matches!(outcome, LockEdit::Removed(_))
        });
        match (edited, outcome) {
            (Some(text), LockEdit::Removed(_)) => edits.set_text(
                "package-lock.json",
                text,
                &format!("{name} removed from the lockfile with what only it needed, so npm ci agrees with package.json"),
            ),
            (_, LockEdit::Unsupported) => edits.warn(format!(
                "package-lock.json has no \"packages\" map (npm 6); run npm install once to refresh it after {name} was removed"
            )),
            _ => {}
        }
    }
    drop_unkeepable_lockfiles(edits);
    true
}

/// Lockfiles we cannot edit go once `package.json` changed: they would disagree with it.
fn drop_unkeepable_lockfiles(edits: &mut Edits<'_>) {
    edits.remove(
        "bun.lockb",
        "binary Bun lockfile that cannot be kept in agreement with the edited package.json; \
         package-lock.json is the lockfile now (bun install recreates it)",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Action, Report};
    use crate::tree::{FileEntry, OnDuplicate, SourceTree};

    #[test]
    fn removes_from_manifest_and_lockfile_and_drops_bun_lockb() {
        let mut tree = SourceTree::new();
        let files: [(&str, &[u8]); 3] = [
            ("package.json", b"{\n  \"devDependencies\": {\n    \"lovable-tagger\": \"^1\",\n    \"vite\": \"^5\"\n  }\n}\n"),
            ("package-lock.json", b"{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\n      \"devDependencies\": {\n        \"lovable-tagger\": \"^1\",\n        \"vite\": \"^5\"\n      }\n    },\n    \"node_modules/lovable-tagger\": {\n      \"version\": \"1.1.7\"\n    },\n    \"node_modules/vite\": {\n      \"version\": \"5.0.0\"\n    }\n  }\n}\n"),
            ("bun.lockb", b"\x00\x01bun"),
        ];
        for (p, b) in files {
            tree.insert(p, FileEntry::new(b), OnDuplicate::Refuse)
                .unwrap();
        }
        let mut report = Report::default();
        let mut edits = Edits::new(&mut tree, &mut report, "app");
        assert!(remove_npm_dependency(
            &mut edits,
            "lovable-tagger",
            "builder-only"
        ));
        assert!(!remove_npm_dependency(
            &mut edits,
            "lovable-tagger",
            "builder-only"
        ));
        assert_eq!(
            tree.get("package.json").unwrap().bytes,
            b"{\n  \"devDependencies\": {\n    \"vite\": \"^5\"\n  }\n}\n"
        );
        let lock = String::from_utf8(tree.get("package-lock.json").unwrap().bytes.clone()).unwrap();
        assert!(!lock.contains("lovable-tagger"), "{lock}");
        assert!(tree.get("bun.lockb").is_none());
        let actions: Vec<_> = report
            .changes
            .iter()
            .map(|c| (c.path.as_str(), c.action))
            .collect();
        assert_eq!(
            actions,
            [
                ("package.json", Action::Edited),
                ("package-lock.json", Action::Edited),
                ("bun.lockb", Action::Removed)
            ]
        );
    }
}
