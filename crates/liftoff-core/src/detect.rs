//! Telling which builder made a project and which framework it uses, from the tree's marks
//! (`../shared/brief/builders.md`).

use serde_json::Value;

use crate::report::Builder;
use crate::tree::SourceTree;

/// The builder whose marks the tree carries, or [`Builder::Unknown`].
pub fn detect_builder(tree: &SourceTree) -> Builder {
    let has = |p: &str| tree.get(p).is_some();
    let text = |p: &str| {
        tree.get(p)
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
            .unwrap_or_default()
    };
    let any_under = |prefix: &str| tree.iter().any(|(p, _)| p.as_str().starts_with(prefix));
    if has(".bolt/config.json") || has(".bolt/prompt") || any_under(".bolt/") {
        return Builder::Bolt;
    }
    if any_under(".lovable/")
        || text("README.md").starts_with("# Welcome to your Lovable project")
        || text("vite.config.ts").contains("lovable-tagger")
        || text("vite.config.js").contains("lovable-tagger")
        || text("package.json").contains("\"lovable-tagger\"")
    {
        return Builder::Lovable;
    }
    if has("base44/.app.jsonc")
        || has("src/api/base44Client.js")
        || text("package.json").contains("\"@base44/")
    {
        return Builder::Base44;
    }
    Builder::Unknown
}

/// The framework, from `package.json`'s dependencies: `next`, `expo`, `vite-react`, `vite`,
/// `node`, or `plain` when there is no `package.json`.
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
    } else if has_dep("vite") && has_dep("react") {
        "vite-react"
    } else if has_dep("vite") {
        "vite"
    } else {
        "node"
    };
    framework.into()
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

/// A file-name-safe slug: lower case, `-` between words, at most 64 characters.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 64 {
            break;
        }
    }
    out.trim_matches('-').to_string()
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
    fn builders() {
        let bolt = tree(&[(".bolt/config.json", "{}")]);
        assert_eq!(detect_builder(&bolt), Builder::Bolt);
        let lovable = tree(&[("README.md", "# Welcome to your Lovable project\n")]);
        assert_eq!(detect_builder(&lovable), Builder::Lovable);
        let base44 = tree(&[("src/api/base44Client.js", "")]);
        assert_eq!(detect_builder(&base44), Builder::Base44);
        assert_eq!(detect_builder(&tree(&[("a.txt", "")])), Builder::Unknown);
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
        assert_eq!(
            detect_framework(&tree(&[("package.json", "{oops")])),
            "unknown"
        );
    }

    #[test]
    fn slugs_and_names() {
        assert_eq!(slug("My Portfolio — v2!"), "my-portfolio-v2");
        assert_eq!(slug("  "), "");
        let t = tree(&[(
            "package.json",
            r#"{"name":"vite-react-typescript-starter"}"#,
        )]);
        assert_eq!(package_name(&t), None);
        let t = tree(&[("package.json", r#"{"name":"acme-crm"}"#)]);
        assert_eq!(package_name(&t).as_deref(), Some("acme-crm"));
    }
}
