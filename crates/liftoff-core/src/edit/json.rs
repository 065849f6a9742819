//! Editing JSON files the way a person would: same key order, same indentation, same
//! trailing newline; only the values that change differ.

use serde::Serialize;
use serde_json::ser::PrettyFormatter;
use serde_json::Value;

/// Parses `text`, lets `edit` change it (returning whether it did), and prints it back in the
/// file's own style. `None` when the text is not JSON or nothing changed.
pub fn edit_json(text: &str, edit: impl FnOnce(&mut Value) -> bool) -> Option<String> {
    let mut value: Value = serde_json::from_str(text).ok()?;
    if !edit(&mut value) {
        return None;
    }
    Some(print_like(&value, text))
}

/// Prints `value` with the indentation of `original` (two spaces by default) and its
/// trailing newline, if it had one.
pub fn print_like(value: &Value, original: &str) -> String {
    let indent = indentation(original);
    let mut out = Vec::new();
    let formatter = PrettyFormatter::with_indent(indent.as_bytes());
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value
        .serialize(&mut serializer)
        .expect("a Value always serializes");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    if original.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The whitespace before the first indented line: npm writes two spaces, some tools a tab.
fn indentation(text: &str) -> String {
    text.lines()
        .skip(1)
        .find_map(|line| {
            let indent: String = line
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            (!indent.is_empty()).then_some(indent)
        })
        .unwrap_or_else(|| "  ".into())
}

/// Removes `name` from each of the dependency maps of a `package.json`-shaped object.
/// Returns whether anything was removed.
pub fn remove_dependency(package: &mut Value, name: &str) -> bool {
    let mut removed = false;
    for key in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        if let Some(map) = package.get_mut(key).and_then(Value::as_object_mut) {
            removed |= map.shift_remove(name).is_some();
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_indent_and_newline() {
        let text = "{\n    \"name\": \"x\",\n    \"devDependencies\": {\n        \"vite\": \"5\",\n        \"lovable-tagger\": \"^1\"\n    },\n    \"a\": []\n}\n";
        let out = edit_json(text, |v| remove_dependency(v, "lovable-tagger")).unwrap();
        assert_eq!(
            out,
            "{\n    \"name\": \"x\",\n    \"devDependencies\": {\n        \"vite\": \"5\"\n    },\n    \"a\": []\n}\n"
        );
        assert_eq!(edit_json(text, |v| remove_dependency(v, "absent")), None);
        assert_eq!(edit_json("{oops", |_| true), None);
    }
}
