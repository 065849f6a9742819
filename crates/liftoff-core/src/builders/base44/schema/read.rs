//! Finding and reading entity schemas: `entities/<Name>` (no extension, older exports) and
//! `base44/entities/*.jsonc` (the CLI layout: JSON with comments and trailing commas).

use serde_json::Value;

use super::EntitySchema;
use crate::tree::SourceTree;

/// The entity schemas in `tree` (both layouts), and a warning for each file that could not be
/// read or repeats an entity already found.
pub fn read_entities(tree: &SourceTree) -> (Vec<EntitySchema>, Vec<String>) {
    let mut found: Vec<EntitySchema> = Vec::new();
    let mut warnings = Vec::new();
    for (path, entry) in tree.iter() {
        let path = path.as_str();
        let Some(stem) = schema_file_stem(path) else {
            continue;
        };
        let parsed = std::str::from_utf8(&entry.bytes)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&strip_jsonc(text)).ok());
        let Some(Value::Object(json)) = parsed else {
            warnings.push(format!(
                "{path} is not a readable entity schema (JSON object): no table was made from it"
            ));
            continue;
        };
        let name = match json.get("name") {
            Some(Value::String(n)) if !n.trim().is_empty() => n.trim().to_string(),
            _ => pascal_case(stem),
        };
        if let Some(first) = found.iter().find(|e| e.name == name) {
            if first.json != json {
                warnings.push(format!(
                    "{path} describes entity {name} again, differently from {}: the table follows {}",
                    first.path, first.path
                ));
            }
            continue;
        }
        found.push(EntitySchema {
            name,
            path: path.to_string(),
            json,
        });
    }
    (found, warnings)
}

/// The file name without extension when `path` is an entity schema: `entities/<Name>` (any
/// extension or none) or `base44/entities/<name>.json[c]`.
fn schema_file_stem(path: &str) -> Option<&str> {
    if let Some(name) = path.strip_prefix("base44/entities/") {
        return name
            .strip_suffix(".jsonc")
            .or_else(|| name.strip_suffix(".json"))
            .filter(|stem| !stem.contains('/') && !stem.is_empty());
    }
    let name = path.strip_prefix("entities/")?;
    if name.contains('/') || name.starts_with('.') {
        return None;
    }
    Some(
        name.strip_suffix(".jsonc")
            .or_else(|| name.strip_suffix(".json"))
            .unwrap_or(name),
    )
}

/// JSON with comments (`//`, `/* */`) and trailing commas, as the Base44 CLI writes it, made
/// plain JSON. Strings are left alone.
pub fn strip_jsonc(text: &str) -> String {
    let without_comments = outside_strings(text.as_bytes(), |b, i, out| match b[i] {
        b'/' if b.get(i + 1) == Some(&b'/') => {
            let end = b[i..].iter().position(|c| *c == b'\n');
            end.map_or(b.len(), |at| i + at)
        }
        b'/' if b.get(i + 1) == Some(&b'*') => {
            out.push(b' ');
            let end = b[i + 2..].windows(2).position(|w| w == b"*/");
            end.map_or(b.len(), |at| i + 2 + at + 2)
        }
        c => {
            out.push(c);
            i + 1
        }
    });
    let plain = outside_strings(&without_comments, |b, i, out| {
        let next = b[i + 1..].iter().find(|c| !c.is_ascii_whitespace());
        if b[i] != b',' || !matches!(next, Some(b'}' | b']')) {
            out.push(b[i]);
        }
        i + 1
    });
    String::from_utf8(plain).unwrap_or_default()
}

/// Copies `b`, strings verbatim, and lets `step` handle every byte outside them: it pushes
/// what it keeps and returns where to go on.
fn outside_strings(b: &[u8], mut step: impl FnMut(&[u8], usize, &mut Vec<u8>) -> usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let start = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
            out.extend_from_slice(&b[start..i]);
        } else {
            i = step(b, i, &mut out);
        }
    }
    out
}

/// `check-in` → `CheckIn`: an entity's name from its file name when the schema has none.
fn pascal_case(stem: &str) -> String {
    stem.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().map(crate::fold::upper);
            first.map(String::from).unwrap_or_default() + chars.as_str()
        })
        .collect()
}
