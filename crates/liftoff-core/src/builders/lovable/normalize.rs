//! Lovable's marks (`../shared/brief/builders.md`): `lovable-tagger` in the dependencies and
//! `vite.config.*`, the `gptengineer.js` script, the builder's meta tags and social images,
//! `.lovable/`, and model tags leaked into source files.

use crate::edit::deps::remove_npm_dependency;
use crate::edit::html::{edit_lines, meta, with_content};
use crate::edit::Edits;

const TAGGER: &str = "lovable-tagger";
const VITE_CONFIGS: &[&str] = &[
    "vite.config.ts",
    "vite.config.js",
    "vite.config.mts",
    "vite.config.mjs",
];

/// Removes every Lovable mark the tree carries.
pub fn remove_lovable(edits: &mut Edits<'_>) {
    remove_npm_dependency(
        edits,
        TAGGER,
        "lovable-tagger only tags components for Lovable's visual editor",
    );
    for config in VITE_CONFIGS {
        remove_tagger_from_vite_config(edits, config);
    }
    clean_index_html(edits);
    edits.remove_folder(".lovable", "Lovable's own project settings");
    strip_leaked_tags(edits);
}

/// Drops `import { componentTagger } from "lovable-tagger"` and the plugin entry
/// `mode === "development" && componentTagger()` (on one line or several).
fn remove_tagger_from_vite_config(edits: &mut Edits<'_>, path: &str) {
    let Some(text) = edits.text(path) else {
        return;
    };
    if !text.contains("componentTagger") && !text.contains(TAGGER) {
        return;
    }
    match without_tagger(&text) {
        Some(edited) => edits.set_text(
            path,
            edited,
            "removed lovable-tagger's import and plugin (Lovable's visual editor only)",
        ),
        None => edits.warn(format!(
            "{path} uses lovable-tagger in a shape Liftoff does not recognise; remove the \
             componentTagger import and plugin by hand (the dependency is gone)"
        )),
    }
}

/// The config without the tagger, or `None` when its shape is not the known one.
fn without_tagger(text: &str) -> Option<String> {
    // The import: one whole line.
    let mut out = String::with_capacity(text.len());
    let mut imports = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with("import")
            && (t.contains("\"lovable-tagger\"") || t.contains("'lovable-tagger'"))
        {
            imports += 1;
            continue;
        }
        out.push_str(line);
    }
    if imports != 1 {
        return None;
    }
    // The plugin entry: from after the previous `,` or `[` through `componentTagger()` and
    // the comma that follows it, if any.
    let call = out.find("componentTagger()")?;
    let before = &out[..call];
    let element_start = before.rfind([',', '['])? + 1;
    let condition = before[element_start..].trim();
    let condition_ok = condition.is_empty()
        || condition
            .strip_suffix("&&")
            .map(str::trim)
            .is_some_and(|c| {
                let c: String = c.chars().filter(|ch| !ch.is_whitespace()).collect();
                matches!(
                    c.as_str(),
                    "mode===\"development\""
                        | "mode==='development'"
                        | "mode==\"development\""
                        | "mode=='development'"
                )
            });
    if !condition_ok {
        return None;
    }
    // Remove from just after the previous `,`/`[` through the comma that follows, so the
    // element's own line (and its newline) goes with it; the last element takes the comma
    // before it instead.
    let call_end = call + "componentTagger()".len();
    let after = &out[call_end..];
    let trimmed = after.trim_start();
    let (start, end) = if trimmed.starts_with(',') {
        (element_start, call_end + (after.len() - trimmed.len()) + 1)
    } else if out[..element_start].ends_with(',') {
        (element_start - 1, call_end)
    } else {
        (element_start, call_end)
    };
    let mut edited = out;
    edited.replace_range(start..end, "");
    (!edited.contains("componentTagger")).then_some(edited)
}

/// Removes the `gptengineer.js` script and its guard comment; replaces Lovable's meta
/// description and author with the project's name, and drops lovable.dev social tags.
fn clean_index_html(edits: &mut Edits<'_>) {
    let Some(html) = edits.text("index.html") else {
        return;
    };
    let name = edits.name.to_string();
    let edited = edit_lines(&html, |line| {
        let t = line.trim();
        if t == "<!-- IMPORTANT: DO NOT REMOVE THIS SCRIPT TAG OR THIS VERY COMMENT! -->"
            || (t.starts_with("<script")
                && t.contains("cdn.gpteng.co/gptengineer.js")
                && t.ends_with("</script>"))
        {
            return Some(None);
        }
        let (key, content) = meta(line)?;
        match key {
            "description" | "og:description" if content == "Lovable Generated Project" => {
                Some(with_content(line, &name))
            }
            "author" if content == "Lovable" => Some(None),
            "og:image" | "twitter:image" if content.contains("lovable.dev") => Some(None),
            "twitter:site" if content == "@lovable_dev" => Some(None),
            _ => None,
        }
    });
    edits.set_text(
        "index.html",
        edited,
        "removed Lovable's gptengineer.js script and its meta author and social images; the description is the project's name",
    );
    if let Some(left) = edits.text("index.html") {
        if left.contains("gptengineer.js") || left.contains("lovable.dev") {
            edits.warn("index.html still mentions Lovable (gptengineer.js or lovable.dev) in a shape Liftoff does not edit; check it by hand");
        }
    }
}

/// Removes lines that hold only a Lovable model tag (`<lov-write …>`, `</lov-write>`, …).
fn strip_leaked_tags(edits: &mut Edits<'_>) {
    const SOURCE: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "css", "html", "md", "json"];
    for path in edits.paths() {
        let is_source = path
            .rsplit_once('.')
            .is_some_and(|(_, ext)| SOURCE.contains(&ext));
        if !is_source {
            continue;
        }
        // Most files hold no tag: look at the bytes before copying any text.
        let holds_tag = edits
            .tree
            .get(&path)
            .is_some_and(|f| contains(&f.bytes, b"<lov-") || contains(&f.bytes, b"</lov-"));
        let Some(text) = holds_tag.then(|| edits.text(&path)).flatten() else {
            continue;
        };
        let edited = edit_lines(&text, |line| {
            let t = line.trim();
            let tag = (t.starts_with("<lov-") || t.starts_with("</lov-")) && t.ends_with('>');
            tag.then_some(None)
        });
        edits.set_text(
            &path,
            edited,
            "removed Lovable model tags (<lov-…>) that leaked into the source",
        );
        if edits.text(&path).is_some_and(|t| t.contains("<lov-")) {
            edits.warn(format!(
                "{path} still holds a <lov-…> tag inside a line; check it by hand"
            ));
        }
    }
}

/// Whether `needle` occurs in `haystack` (a scan for its first byte, then a compare).
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut from = 0;
    while let Some(at) = haystack[from..].iter().position(|&b| b == first) {
        let start = from + at;
        if haystack[start + 1..].starts_with(rest) {
            return true;
        }
        from = start + 1;
    }
    false
}

#[cfg(test)]
mod tests;
