//! Small, careful edits of JavaScript config files: whole import lines and whole elements of
//! an array literal. Anything that does not have the expected shape is refused (`None`), so
//! the caller warns instead of guessing.

/// Removes the one `import … from "<module>"` line and returns the text and the default
/// binding (`import base44 from "m"` → `base44`; `import { x } from "m"` → `x`).
pub fn remove_import_of(text: &str, module: &str) -> Option<(String, String)> {
    let mut out = String::with_capacity(text.len());
    let mut binding = None;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        let from_module = t.ends_with(&format!("\"{module}\""))
            || t.ends_with(&format!("'{module}'"))
            || t.ends_with(&format!("\"{module}\";"))
            || t.ends_with(&format!("'{module}';"));
        if t.starts_with("import ") && from_module {
            if binding.is_some() {
                return None;
            }
            let spec = t["import ".len()..].split(" from ").next()?.trim();
            let name = spec.trim_matches(|c| c == '{' || c == '}' || c == ' ');
            if name.is_empty() || name.contains(',') || name.contains(' ') {
                return None;
            }
            binding = Some(name.to_string());
            continue;
        }
        out.push_str(line);
    }
    binding.map(|b| (out, b))
}

/// Removes the array element that starts with `call` (e.g. `base44(`) through its matching
/// `)`, with the comma after it (or before it, for the last element), so its own lines go.
pub fn remove_array_element(text: &str, call: &str) -> Option<String> {
    let start_call = text.find(call)?;
    let element_start = text[..start_call].rfind([',', '['])? + 1;
    if !text[element_start..start_call].trim().is_empty() {
        return None;
    }
    let open = start_call + call.len() - 1;
    let close = matching_paren(text, open)?;
    let call_end = close + 1;
    let after = &text[call_end..];
    let trimmed = after.trim_start();
    let (start, end) = if trimmed.starts_with(',') {
        (element_start, call_end + (after.len() - trimmed.len()) + 1)
    } else if text[..element_start].ends_with(',') {
        (element_start - 1, call_end)
    } else {
        (element_start, call_end)
    };
    let mut out = text.to_string();
    out.replace_range(start..end, "");
    Some(out)
}

/// The index of the `)` matching the `(` at `open`, skipping string literals and comments.
fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'{' | b'[' => depth += 1,
            b')' | b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return (bytes[i] == b')').then_some(i);
                }
            }
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports() {
        let (t, b) = remove_import_of(
            "import base44 from \"@base44/vite-plugin\"\nx\n",
            "@base44/vite-plugin",
        )
        .unwrap();
        assert_eq!((t.as_str(), b.as_str()), ("x\n", "base44"));
        let (_, b) = remove_import_of(
            "import { componentTagger } from 'lovable-tagger';\n",
            "lovable-tagger",
        )
        .unwrap();
        assert_eq!(b, "componentTagger");
        assert!(remove_import_of("import a, { b } from 'm'\n", "m").is_none());
        assert!(remove_import_of("x\n", "m").is_none());
    }

    #[test]
    fn array_elements() {
        let text = "plugins: [\n    base44({\n      // a comment with ) and '\n      x: ')',\n    }),\n    react(),\n  ]";
        assert_eq!(
            remove_array_element(text, "base44(").unwrap(),
            "plugins: [\n    react(),\n  ]"
        );
        assert_eq!(
            remove_array_element("[react(), base44({a: 1})]", "base44(").unwrap(),
            "[react()]"
        );
        assert!(remove_array_element("[x && base44()]", "base44(").is_none());
        assert!(remove_array_element("[base44({]", "base44(").is_none());
    }
}
