//! What must hold of the core's answers, whatever the input: shared by the targets.

use std::collections::BTreeMap;

use liftoff_core::archive::read_archive;
use liftoff_core::fold::collision_key;
use liftoff_core::text::is_hidden;
use liftoff_core::zip_write::write_zip;
use liftoff_core::{Limits, ProjectPath, Report, SourceTree};

/// The longest message that quotes a parser's input (a file, a JSON value, a git line).
pub const MAX_MESSAGE_CHARS: usize = 300;

/// The longest message about a remote service's answer. The templates alone reach about 450
/// characters (a push refused for missing scopes), and some deliberately quote the service
/// (200 characters of an HTTP error, 2,000 of a database's): a message longer than this quotes
/// an answer without a bound.
pub const MAX_REMOTE_MESSAGE_CHARS: usize = 3_000;

/// A message shown to a person: no hidden character (line breaks aside: some messages have
/// several lines, as `text::for_terminal` allows) and at most `max` characters. `label` says
/// which message it is, in words that do not depend on the input (the replay test tells bugs
/// apart by it).
pub fn check_message(label: &str, message: &str, max: usize) {
    if let Some(c) = message.chars().find(|&c| c != '\n' && is_hidden(c)) {
        panic!(
            "invariant: {label}: the message holds the hidden character {:?}: {}",
            c,
            liftoff_core::text::excerpt(message)
        );
    }
    let chars = message.chars().count();
    assert!(
        chars <= max,
        "invariant: {label}: the message is {chars} characters (at most {max}): {}",
        liftoff_core::text::excerpt(message)
    );
}

/// An error's message, checked as [`check_message`] does, labelled with `what` and the error's
/// variants (`Protocol Fatal`, `Remote Status`), read from its `Debug` form.
pub fn check_error<E: std::fmt::Debug + std::fmt::Display>(what: &str, error: &E, max: usize) {
    let label = format!("{what} {}", variant_path(&format!("{error:?}")));
    check_message(label.trim(), &error.to_string(), max);
}

/// The names of the enum variants and structs in a `Debug` text (strings left out), at most
/// three: `Remote(Status { service: "Vercel", .. })` gives `Remote Status`.
pub fn variant_path(debug: &str) -> String {
    let mut names = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut word = String::new();
    for c in debug.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        let variant = word.starts_with(|w: char| w.is_ascii_uppercase())
            && !matches!(word.as_str(), "Some" | "None" | "Ok" | "Err");
        if variant && matches!(c, '(' | ' ' | '{') && names.len() < 3 && !names.contains(&word) {
            names.push(word.clone());
        }
        word.clear();
        in_string = c == '"';
    }
    if word.starts_with(|w: char| w.is_ascii_uppercase())
        && names.len() < 3
        && !names.contains(&word)
    {
        names.push(word);
    }
    names.join(" ")
}

/// Whether `segment` names git's own folder on some file system (as `ProjectPath` refuses it):
/// `.git` in any case, with trailing dots or spaces, or its 8.3 short name.
fn is_git_name(segment: &str) -> bool {
    let trimmed = segment.trim_end_matches(['.', ' ']);
    trimmed.eq_ignore_ascii_case(".git") || trimmed.eq_ignore_ascii_case("git~1")
}

/// A path of an accepted tree: relative, normalized, nothing that escapes or hides.
pub fn check_path(path: &ProjectPath) {
    let text = path.as_str();
    let bad = |why: &str| -> ! { panic!("invariant: accepted path {text:?}: {why}") };
    if text.is_empty() {
        bad("empty");
    }
    if text.starts_with('/') || text.contains('\\') {
        bad("absolute or with a backslash");
    }
    let bytes = text.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        bad("a Windows drive path");
    }
    if text.chars().any(|c| c.is_control() || is_hidden(c)) {
        bad("holds a control, bidirectional or invisible character");
    }
    for segment in text.split('/') {
        match segment {
            "" | "." => bad("an empty or '.' segment"),
            ".." => bad("a '..' segment"),
            s if is_git_name(s) => bad("a .git segment"),
            s if s.len() > liftoff_core::path::MAX_NAME_BYTES => bad("a name over 255 bytes"),
            _ => {}
        }
    }
    if text.len() > liftoff_core::path::MAX_PATH_BYTES {
        bad("longer than 1024 bytes");
    }
    if ProjectPath::parse(text).as_ref() != Ok(path) {
        bad("does not parse back as itself");
    }
}

/// Every path is safe, no two paths are one file on a case- or form-folding file system, and no
/// file is also a folder.
pub fn check_tree(what: &str, tree: &SourceTree) {
    let mut keys: BTreeMap<String, &str> = BTreeMap::new();
    for (path, _) in tree.iter() {
        check_path(path);
        if let Some(other) = keys.insert(collision_key(path.as_str()), path.as_str()) {
            panic!("invariant: {what}: {other:?} and {path:?} fold to one name");
        }
    }
    for (key, path) in &keys {
        let folder = format!("{key}/");
        if let Some((inner, inside)) = keys.range(folder.clone()..).next() {
            if inner.starts_with(&folder) {
                panic!("invariant: {what}: {path:?} is a file and a folder (of {inside:?})");
            }
        }
    }
    assert_eq!(
        tree.total_bytes(),
        tree.iter().map(|(_, f)| f.bytes.len() as u64).sum::<u64>(),
        "invariant: {what}: total_bytes disagrees with the files"
    );
}

/// Limits that keep one run fast: a small input can unpack at most about 1 MiB (100:1 past
/// 1 MiB), so a zip bomb costs milliseconds, not seconds, and the limit paths are exercised.
pub fn fast_limits() -> Limits {
    Limits {
        max_total_bytes: 4 * 1024 * 1024,
        max_entries: 2_000,
        max_ratio: 100,
        ratio_floor_bytes: 1024 * 1024,
    }
}

/// The tree written as a zip by the core's own writer reads back as the same files, byte for
/// byte, with the same executable bits (with the default limits: the tree was read within
/// smaller ones).
pub fn check_zip_round_trip(what: &str, tree: &SourceTree) {
    let zip = write_zip(tree);
    assert_eq!(
        write_zip(tree),
        zip,
        "invariant: {what}: the zip writer is not deterministic"
    );
    let mut report = Report::default();
    let back = match read_archive("round-trip.zip", &zip, &Limits::default(), &mut report) {
        Ok(back) => back,
        Err(e) => panic!("invariant: {what}: the written zip does not read back: {e}"),
    };
    assert!(
        report.changes.is_empty(),
        "invariant: {what}: reading the written zip skipped {:?}",
        report.changes
    );
    assert_eq!(
        back.len(),
        tree.len(),
        "invariant: {what}: the written zip reads back with another number of files"
    );
    for ((a, fa), (b, fb)) in tree.iter().zip(back.iter()) {
        assert_eq!(a, b, "invariant: {what}: a path changed through the zip");
        assert!(
            fa.bytes == fb.bytes,
            "invariant: {what}: the bytes of {a} changed through the zip"
        );
        assert_eq!(
            fa.executable, fb.executable,
            "invariant: {what}: the executable bit of {a} changed through the zip"
        );
    }
}

/// `data` as text, the way a person's file would be read: invalid UTF-8 replaced.
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}
