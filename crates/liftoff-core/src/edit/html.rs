//! Line-level edits of `index.html`: builders write one tag per line, so a tag is edited only
//! when it stands alone on its line; anything else is left for a warning.

/// The value of attribute `name` in a single tag `line` (`name="v"` or `name='v'`).
pub fn attr<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let lower = line.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        // The name must start a word: `property` must not match `data-property`.
        let before = lower[..at].chars().last();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            continue;
        }
        let rest = line[at + name.len()..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let value = &rest[1..];
        return value.find(quote).map(|end| &value[..end]);
    }
    None
}

/// Whether `line` is exactly one `<meta …>` tag.
pub fn is_meta_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("<meta ") && t.ends_with('>') && t.matches('<').count() == 1
}

/// The key (`name` or `property`) and `content` of a line that is exactly one `<meta>` tag.
pub fn meta(line: &str) -> Option<(&str, &str)> {
    if !is_meta_line(line) {
        return None;
    }
    let key = attr(line, "name").or_else(|| attr(line, "property"))?;
    Some((key, attr(line, "content").unwrap_or("")))
}

/// Rewrites `html` line by line: `edit` returns `None` to keep a line, `Some(None)` to drop
/// it, `Some(Some(new))` to replace it. Keeps line endings.
pub fn edit_lines(html: &str, mut edit: impl FnMut(&str) -> Option<Option<String>>) -> String {
    let mut out = String::with_capacity(html.len());
    for line in html.split_inclusive('\n') {
        let (body, ending) = match line.strip_suffix("\r\n") {
            Some(b) => (b, "\r\n"),
            None => match line.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (line, ""),
            },
        };
        match edit(body) {
            None => out.push_str(line),
            Some(None) => {}
            Some(Some(new)) => {
                out.push_str(&new);
                out.push_str(ending);
            }
        }
    }
    out
}

/// Replaces the `content` attribute's value in a single-tag line.
pub fn with_content(line: &str, value: &str) -> Option<String> {
    let old = attr(line, "content")?;
    let start = old.as_ptr() as usize - line.as_ptr() as usize;
    Some(format!(
        "{}{}{}",
        &line[..start],
        escape(value),
        &line[start + old.len()..]
    ))
}

/// Escapes text for an attribute value.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes() {
        let line =
            r#"    <meta property="og:image" data-x='1' content='https://lovable.dev/og.png' />"#;
        assert_eq!(attr(line, "property"), Some("og:image"));
        assert_eq!(attr(line, "content"), Some("https://lovable.dev/og.png"));
        assert_eq!(attr(r#"<meta data-name="x" name="y">"#, "name"), Some("y"));
        assert_eq!(attr("<meta name=x>", "name"), None);
        assert!(is_meta_line(line));
        assert!(!is_meta_line("<meta a=\"1\"><meta b=\"2\">"));
        assert_eq!(
            with_content(r#"<meta name="author" content="Lovable" />"#, "A & B").unwrap(),
            r#"<meta name="author" content="A &amp; B" />"#
        );
    }

    #[test]
    fn line_edits_keep_endings() {
        let html = "a\r\nb\nc";
        let out = edit_lines(html, |l| match l {
            "a" => Some(Some("A".into())),
            "b" => Some(None),
            _ => None,
        });
        assert_eq!(out, "A\r\nc");
    }
}
