//! Keeping `package-lock.json` in agreement with `package.json` after a dependency is
//! removed, so `npm ci` accepts it: the root's entry, the package's own entry, and every
//! entry that only it needed (found by walking what is still reachable, with npm's own
//! lookup rule: `a/node_modules/b`, then each parent's `node_modules`, then the root's).

use std::collections::{BTreeSet, VecDeque};

use serde_json::{Map, Value};

use super::json::remove_dependency;

/// The dependency maps an installed package's requirements come from.
const PACKAGE_DEPS: &[&str] = &["dependencies", "optionalDependencies", "peerDependencies"];
/// The root also installs its dev dependencies.
const ROOT_DEPS: &[&str] = &[
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

/// Why a lockfile was left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockEdit {
    /// Removed: the names of the entries that went with it.
    Removed(Vec<String>),
    /// The lockfile does not mention the package.
    Absent,
    /// A lockfile version without a `packages` map (npm 6): not edited.
    Unsupported,
}

/// Removes `name` from the lockfile `lock` (a parsed `package-lock.json`).
pub fn remove_package(lock: &mut Value, name: &str) -> LockEdit {
    let Some(packages) = lock.get_mut("packages").and_then(Value::as_object_mut) else {
        return LockEdit::Unsupported;
    };
    let mut touched = false;
    if let Some(root) = packages.get_mut("") {
        touched |= remove_dependency(root, name);
    }
    let reachable = reachable(packages);
    let doomed: Vec<String> = packages
        .keys()
        .filter(|k| k.contains("node_modules/") && !reachable.contains(*k))
        .cloned()
        .collect();
    for key in &doomed {
        packages.shift_remove(key);
    }
    // Lockfile v2 also keeps npm 6's nested `dependencies` tree: drop the top-level names
    // that left `packages`.
    if let Some(legacy) = lock.get_mut("dependencies").and_then(Value::as_object_mut) {
        for key in &doomed {
            if let Some(top) = key.strip_prefix("node_modules/") {
                if !top.contains("/node_modules/") {
                    legacy.shift_remove(top);
                }
            }
        }
        touched |= legacy.shift_remove(name).is_some();
    }
    if doomed.is_empty() && !touched {
        return LockEdit::Absent;
    }
    LockEdit::Removed(doomed)
}

/// Every `packages` key reachable from the root, resolving names as Node does.
fn reachable(packages: &Map<String, Value>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<(String, &'static [&'static str])> = VecDeque::new();
    queue.push_back((String::new(), ROOT_DEPS));
    // Workspace packages (keys outside node_modules) are roots too.
    for key in packages
        .keys()
        .filter(|k| !k.is_empty() && !k.contains("node_modules/"))
    {
        queue.push_back((key.clone(), ROOT_DEPS));
    }
    while let Some((from, kinds)) = queue.pop_front() {
        let Some(entry) = packages.get(&from) else {
            continue;
        };
        // A link points at the folder that holds the real package.
        if let Some(target) = entry.get("resolved").and_then(Value::as_str) {
            if entry.get("link").and_then(Value::as_bool) == Some(true)
                && seen.insert(target.to_string())
            {
                queue.push_back((target.to_string(), ROOT_DEPS));
            }
        }
        for kind in kinds {
            let Some(deps) = entry.get(*kind).and_then(Value::as_object) else {
                continue;
            };
            for dep in deps.keys() {
                if let Some(found) = resolve(packages, &from, dep) {
                    if seen.insert(found.clone()) {
                        queue.push_back((found, PACKAGE_DEPS));
                    }
                }
            }
        }
    }
    seen
}

/// Where `name`, required from the package at `from`, is installed.
pub(crate) fn resolve(packages: &Map<String, Value>, from: &str, name: &str) -> Option<String> {
    let mut base = from.to_string();
    loop {
        let candidate = if base.is_empty() {
            format!("node_modules/{name}")
        } else {
            format!("{base}/node_modules/{name}")
        };
        if packages.contains_key(&candidate) {
            return Some(candidate);
        }
        if base.is_empty() {
            return None;
        }
        // Up one level: `a/node_modules/b` → `a`; `node_modules/a` → the root.
        base = match base.rfind("/node_modules/") {
            Some(i) => base[..i].to_string(),
            None if base.starts_with("node_modules/") => String::new(),
            // A workspace folder resolves from the root's node_modules next.
            None => String::new(),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lock() -> Value {
        json!({
            "name": "app", "lockfileVersion": 3, "requires": true,
            "packages": {
                "": {"name": "app", "dependencies": {"react": "^18"},
                     "devDependencies": {"lovable-tagger": "^1", "vite": "^5"}},
                "node_modules/react": {"version": "18.3.1", "dependencies": {"loose-envify": "^1"}},
                "node_modules/loose-envify": {"version": "1.4.0", "dependencies": {"js-tokens": "^4"}},
                "node_modules/js-tokens": {"version": "4.0.0"},
                "node_modules/vite": {"version": "5.4.0", "dev": true, "dependencies": {"esbuild": "^0.21"}},
                "node_modules/esbuild": {"version": "0.21.5", "dev": true},
                "node_modules/lovable-tagger": {"version": "1.1.7", "dev": true,
                    "dependencies": {"tagger-only": "^2", "esbuild": "^0.19", "js-tokens": "^4"}},
                "node_modules/lovable-tagger/node_modules/esbuild": {"version": "0.19.0", "dev": true},
                "node_modules/tagger-only": {"version": "2.0.0", "dev": true}
            }
        })
    }

    #[test]
    fn removes_the_package_and_what_only_it_needed() {
        let mut lock = lock();
        let edit = remove_package(&mut lock, "lovable-tagger");
        assert_eq!(
            edit,
            LockEdit::Removed(vec![
                "node_modules/lovable-tagger".into(),
                "node_modules/lovable-tagger/node_modules/esbuild".into(),
                "node_modules/tagger-only".into(),
            ])
        );
        let packages = lock["packages"].as_object().unwrap();
        assert!(
            packages.contains_key("node_modules/js-tokens"),
            "still needed by react"
        );
        assert!(
            packages.contains_key("node_modules/esbuild"),
            "still needed by vite"
        );
        assert!(lock["packages"][""]["devDependencies"]
            .get("lovable-tagger")
            .is_none());
        // Idempotent.
        assert_eq!(
            remove_package(&mut lock, "lovable-tagger"),
            LockEdit::Absent
        );
    }

    #[test]
    fn legacy_tree_and_old_versions() {
        let mut v2 = lock();
        v2["dependencies"] = json!({"lovable-tagger": {}, "tagger-only": {}, "react": {}});
        remove_package(&mut v2, "lovable-tagger");
        assert_eq!(v2["dependencies"], json!({"react": {}}));
        let mut v1 = json!({"lockfileVersion": 1, "dependencies": {"lovable-tagger": {}}});
        assert_eq!(
            remove_package(&mut v1, "lovable-tagger"),
            LockEdit::Unsupported
        );
    }

    #[test]
    fn nested_lookup_walks_up() {
        let packages = lock()["packages"].as_object().unwrap().clone();
        assert_eq!(
            resolve(&packages, "node_modules/lovable-tagger", "esbuild").as_deref(),
            Some("node_modules/lovable-tagger/node_modules/esbuild")
        );
        assert_eq!(
            resolve(&packages, "node_modules/lovable-tagger", "js-tokens").as_deref(),
            Some("node_modules/js-tokens")
        );
        assert_eq!(resolve(&packages, "node_modules/react", "nope"), None);
    }
}
