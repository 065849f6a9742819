//! What a tree says about itself, whoever built it: its framework (from `package.json`), its
//! own name, and file-name-safe slugs. Which builder made it is the registry's business
//! (`crate::builders::detect_builder`, over each builder's marks).

use serde_json::Value;

use crate::tree::SourceTree;

/// Where a static build of `framework` leaves the site, most likely first (Vite and Astro:
/// `dist`; Create React App and SvelteKit's static adapter: `build`; Next's static export:
/// `out`; Nuxt's `generate`: `.output/public`). A build is read from the first that exists.
pub fn static_output_dirs(framework: &str) -> &'static [&'static str] {
    match framework {
        "next" => &["out", "dist", "build"],
        "sveltekit" => &["build", "dist"],
        "nuxt" => &[".output/public", "dist"],
        "expo" => &["dist", "web-build"],
        _ => &["dist", "build", "out", "public"],
    }
}

/// The framework, from `package.json`'s dependencies: `next`, `expo`, `remix`, `astro`,
/// `sveltekit`, `nuxt`, `vite-react`, `vite-vue`, `vite-svelte`, `vite`, `node`; `plain` when
/// there is no `package.json`, `unknown` when it does not parse.
pub fn detect_framework(tree: &SourceTree) -> String {
    let Some(manifest) = tree.get("package.json") else {
        return "plain".into();
    };
    let Ok(json) = serde_json::from_slice::<Value>(&manifest.bytes) else {
        return "unknown".into();
    };
    let has_dep = |name: &str| {
        ["dependencies", "devDependencies"]
            .iter()
            .any(|k| json.get(k).and_then(|d| d.get(name)).is_some())
    };
    let framework = if has_dep("next") {
        "next"
    } else if has_dep("expo") {
        "expo"
    } else if has_dep("@remix-run/react") {
        "remix"
    } else if has_dep("astro") {
        "astro"
    } else if has_dep("@sveltejs/kit") {
        "sveltekit"
    } else if has_dep("nuxt") {
        "nuxt"
    } else if has_dep("vite") && has_dep("react") {
        "vite-react"
    } else if has_dep("vite") && has_dep("vue") {
        "vite-vue"
    } else if has_dep("vite") && has_dep("svelte") {
        "vite-svelte"
    } else if has_dep("vite") {
        "vite"
    } else {
        "node"
    };
    framework.into()
}

/// The project's own name: `package.json`'s, unless it is a template's placeholder, else the
/// `name` in Base44's `base44/config.jsonc`.
pub fn project_name(tree: &SourceTree) -> Option<String> {
    package_name(tree).or_else(|| {
        let config = tree.get("base44/config.jsonc")?;
        let text = String::from_utf8_lossy(&config.bytes);
        jsonc_string(&text, "name")
    })
}

/// The string value of the first `"key": "value"` in JSON with comments (no full parser:
/// Base44's config is flat where its name is).
fn jsonc_string(text: &str, key: &str) -> Option<String> {
    let quoted = format!("\"{key}\"");
    let at = text.find(&quoted)? + quoted.len();
    let rest = text[at..].trim_start().strip_prefix(':')?.trim_start();
    let value = rest.strip_prefix('"')?;
    let end = value.find('"')?;
    let name = value[..end].trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// `package.json`'s `name`, unless it is a builder template's placeholder.
pub fn package_name(tree: &SourceTree) -> Option<String> {
    const PLACEHOLDERS: &[&str] = &[
        "vite-react-typescript-starter",
        "vite_react_shadcn_ts",
        "base44-app",
        "react-example",
        "vite-project",
    ];
    let manifest = tree.get("package.json")?;
    let json: Value = serde_json::from_slice(&manifest.bytes).ok()?;
    let name = json.get("name")?.as_str()?.trim();
    (!name.is_empty() && !PLACEHOLDERS.contains(&name)).then(|| name.to_string())
}

/// A file-name-safe slug: lower case, `-` between words, at most 64 characters; accented Latin
/// letters lose their accents (`Café` → `cafe`), other characters separate words.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(plain) = fold_accent(c) {
            out.push_str(plain);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 64 {
            out.truncate(64);
            break;
        }
    }
    out.trim_matches('-').to_string()
}

/// The plain lower-case letters of an accented Latin letter (`é` → `e`, `ß` → `ss`), or `None`.
/// Written out rather than pulling in Unicode decomposition tables: the wasm budget is tight and
/// names are the only place this matters.
fn fold_accent(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("çćĉċč", "c"),
        ("ďđð", "d"),
        ("èéêëēĕėęě", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"),
        ("śŝşš", "s"),
        ("ţťŧ", "t"),
        ("ùúûüũūŭůűų", "u"),
        ("ŵ", "w"),
        ("ýÿŷ", "y"),
        ("źżž", "z"),
        ("æ", "ae"),
        ("œ", "oe"),
        ("ß", "ss"),
        ("þ", "th"),
    ];
    let lower = crate::fold::lower(c);
    TABLE
        .iter()
        .find(|(letters, _)| letters.contains(lower))
        .map(|(_, plain)| *plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{FileEntry, OnDuplicate};

    fn tree(files: &[(&str, &str)]) -> SourceTree {
        let mut t = SourceTree::new();
        for (p, c) in files {
            t.insert(p, FileEntry::new(c.as_bytes()), OnDuplicate::Refuse)
                .unwrap();
        }
        t
    }

    #[test]
    fn frameworks() {
        let vite = r#"{"dependencies":{"react":"18"},"devDependencies":{"vite":"5"}}"#;
        assert_eq!(
            detect_framework(&tree(&[("package.json", vite)])),
            "vite-react"
        );
        let next = r#"{"dependencies":{"next":"14","react":"18"}}"#;
        assert_eq!(detect_framework(&tree(&[("package.json", next)])), "next");
        assert_eq!(detect_framework(&tree(&[("index.html", "")])), "plain");
        let expo = r#"{"dependencies":{"expo":"51","react":"18"}}"#;
        assert_eq!(detect_framework(&tree(&[("package.json", expo)])), "expo");
        let vue = r#"{"dependencies":{"vue":"3"},"devDependencies":{"vite":"5"}}"#;
        assert_eq!(
            detect_framework(&tree(&[("package.json", vue)])),
            "vite-vue"
        );
        assert_eq!(
            detect_framework(&tree(&[("package.json", "{oops")])),
            "unknown"
        );
    }

    #[test]
    fn slugs_and_names() {
        assert_eq!(slug("My Portfolio — v2!"), "my-portfolio-v2");
        assert_eq!(slug("Café Crème Brûlée ÆON"), "cafe-creme-brulee-aeon");
        assert_eq!(slug("日本 app"), "app");
        assert_eq!(slug("  "), "");
        let t = tree(&[(
            "package.json",
            r#"{"name":"vite-react-typescript-starter"}"#,
        )]);
        assert_eq!(package_name(&t), None);
        let t = tree(&[("package.json", r#"{"name":"acme-crm"}"#)]);
        assert_eq!(package_name(&t).as_deref(), Some("acme-crm"));
        let t = tree(&[
            ("package.json", r#"{"name":"base44-app"}"#),
            (
                "base44/config.jsonc",
                "{\n  // shown in the editor\n  \"name\": \"Habit Streaks\",\n  \"site\": {}\n}",
            ),
        ]);
        assert_eq!(project_name(&t).as_deref(), Some("Habit Streaks"));
    }
}
