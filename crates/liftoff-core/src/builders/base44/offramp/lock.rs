//! Adding a package to `package-lock.json` from a pinned set of entries, the way npm would lay
//! it out: each entry at the root's `node_modules` when that name is free, nested under the
//! package that needs it when the root holds an incompatible version, and not at all when the
//! version npm would find already satisfies the range. Entries that were there and are now
//! needed by a production dependency lose their `dev`/`optional`/`peer` flags, so
//! `npm ci --omit=dev` still installs them. npm 7 and later read `packages` only: lockfile
//! v2's legacy `dependencies` tree (npm 6's) is left as it is, as npm itself rewrites it.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::edit::npm_lock::resolve;

/// Flags that say a package is not needed in production.
const NOT_PROD: &[&str] = &["dev", "optional", "devOptional", "peer"];

/// Why a lockfile cannot take new entries, if it cannot.
pub fn shape_error(lock: &Value) -> Option<&'static str> {
    let version = lock.get("lockfileVersion").and_then(Value::as_u64);
    if !matches!(version, Some(2 | 3)) {
        return Some("is not lockfileVersion 2 or 3 (npm 7 or later)");
    }
    let packages = lock.get("packages").and_then(Value::as_object);
    match packages {
        Some(p) if p.get("").is_some_and(Value::is_object) => None,
        _ => Some("has no \"packages\" map with the root package"),
    }
}

/// Adds `name` at `spec` as a dependency of the root, with the entries it needs from `entries`
/// (lockfile entries by package name). `Ok(false)` when nothing had to change; `Err` when it
/// cannot be done safely (the lockfile is then half edited: callers try it on a copy first).
pub fn add(
    lock: &mut Value,
    name: &str,
    spec: &str,
    entries: &Map<String, Value>,
) -> Result<bool, String> {
    if let Some(why) = shape_error(lock) {
        return Err(why.into());
    }
    let Some(packages) = lock.get_mut("packages").and_then(Value::as_object_mut) else {
        return Err("has no \"packages\" map".into());
    };
    let root_key = format!("node_modules/{name}");
    let mut added: Vec<String> = Vec::new();
    let mut reused: Vec<String> = Vec::new();
    match packages.get(&root_key) {
        Some(existing) if satisfies(version_of(existing), spec) => reused.push(root_key),
        Some(existing) => {
            return Err(format!(
                "it already holds {name} {}, which is not {spec}",
                version_of(existing)
            ))
        }
        None => {
            place(packages, &root_key, name, entries)?;
            added.push(root_key);
        }
    }
    let mut queue = added.clone();
    while let Some(at) = queue.pop() {
        let deps = packages[&at]
            .get("dependencies")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (dep, range) in &deps {
            let range = range.as_str().unwrap_or("");
            let key = match resolve(packages, &at, dep) {
                Some(found) if satisfies(version_of(&packages[&found]), range) => {
                    reused.push(found);
                    continue;
                }
                // An incompatible version is in the way: nest it under the one that needs it.
                Some(_) => format!("{at}/node_modules/{dep}"),
                None => format!("node_modules/{dep}"),
            };
            place(packages, &key, dep, entries)?;
            if !satisfies(version_of(&packages[&key]), range) {
                return Err(format!("the pinned {dep} does not satisfy {range}"));
            }
            added.push(key.clone());
            queue.push(key);
        }
    }
    let mut changed = !added.is_empty();
    changed |= make_production(packages, reused);
    let root = &mut packages[""];
    if root["dependencies"].get(name).is_none() {
        if !add_dependency(root, name, spec) {
            return Err("its root package's dependencies are not a map".into());
        }
        changed = true;
    }
    Ok(changed)
}

/// The version of a lockfile entry ("" when it has none: a link).
fn version_of(entry: &Value) -> &str {
    entry.get("version").and_then(Value::as_str).unwrap_or("")
}

/// Puts `name`'s pinned entry at `key`.
fn place(
    packages: &mut Map<String, Value>,
    key: &str,
    name: &str,
    entries: &Map<String, Value>,
) -> Result<(), String> {
    let entry = entries
        .get(name)
        .ok_or_else(|| format!("no pinned entry for {name}"))?;
    insert_sorted(packages, key, entry.clone());
    Ok(())
}

/// Clears the not-in-production flags of `from` and of everything they need. Returns whether
/// any flag was cleared.
fn make_production(packages: &mut Map<String, Value>, from: Vec<String>) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = from;
    let mut changed = false;
    while let Some(key) = stack.pop() {
        if !seen.insert(key.clone()) {
            continue;
        }
        let Some(entry) = packages.get_mut(&key).and_then(Value::as_object_mut) else {
            continue;
        };
        for flag in NOT_PROD {
            changed |= entry.shift_remove(*flag).is_some();
        }
        let deps: Vec<String> = entry
            .get("dependencies")
            .and_then(Value::as_object)
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default();
        stack.extend(deps.iter().filter_map(|d| resolve(packages, &key, d)));
    }
    changed
}

/// Puts `name: spec` into the `dependencies` of a `package.json`-shaped object (made when
/// missing). Returns false when they are not a map.
pub fn add_dependency(package: &mut Value, name: &str, spec: &str) -> bool {
    let Some(package) = package.as_object_mut() else {
        return false;
    };
    if !package.contains_key("dependencies") {
        package.insert("dependencies".into(), Value::Object(Map::new()));
    }
    match package["dependencies"].as_object_mut() {
        Some(deps) => {
            insert_sorted(deps, name, Value::from(spec));
            true
        }
        None => false,
    }
}

/// Inserts `key` before the first key that sorts after it (npm keeps these maps sorted, the
/// root package `""` first), or replaces the value in place when the key is there.
fn insert_sorted(map: &mut Map<String, Value>, key: &str, value: Value) {
    if let Some(slot) = map.get_mut(key) {
        *slot = value;
        return;
    }
    let mut value = Some(value);
    for (k, v) in std::mem::take(map) {
        if !k.is_empty() && k.as_str() > key {
            if let Some(value) = value.take() {
                map.insert(key.into(), value);
            }
        }
        map.insert(k, v);
    }
    if let Some(value) = value {
        map.insert(key.into(), value);
    }
}

/// `major.minor.patch`, no pre-release.
fn parse(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.trim().trim_start_matches('v').split('.');
    let mut next = || parts.next()?.parse::<u64>().ok();
    let v = (next()?, next()?, next()?);
    parts.next().is_none().then_some(v)
}

/// Whether `version` is in `range`, for the ranges lockfile entries use: exact, `^`, `~`,
/// `>=`. Anything else counts as not satisfied, which only ever nests an entry (safe).
pub fn satisfies(version: &str, range: &str) -> bool {
    let Some(v) = parse(version) else {
        return false;
    };
    let range = range.trim();
    let bound = |r: &str| parse(r).filter(|b| v >= *b);
    if let Some(b) = range.strip_prefix('^').and_then(bound) {
        return match b {
            (0, 0, _) => v == b,
            (0, minor, _) => v.0 == 0 && v.1 == minor,
            (major, _, _) => v.0 == major,
        };
    }
    if let Some(b) = range.strip_prefix('~').and_then(bound) {
        return v.0 == b.0 && v.1 == b.1;
    }
    if let Some(r) = range.strip_prefix(">=") {
        return bound(r).is_some();
    }
    parse(range) == Some(v)
}
