//! Telling which builder made a project and which framework it uses, from the tree's marks
//! (`../shared/brief/builders.md`).

use serde_json::Value;

use crate::report::Builder;
use crate::tree::SourceTree;

/// One sign that a builder made the project (`../shared/brief/builders.md`).
struct Mark {
    builder: Builder,
    /// True when the tree carries the mark.
    test: fn(&Marks<'_>) -> bool,
}

/// Cheap views of the tree that marks look at.
struct Marks<'a> {
    tree: &'a SourceTree,
}

impl Marks<'_> {
    fn has(&self, path: &str) -> bool {
        self.tree.get(path).is_some()
    }

    fn any_under(&self, prefix: &str) -> bool {
        self.tree
            .iter()
            .any(|(p, _)| p.as_str().starts_with(prefix))
    }

    fn text(&self, path: &str) -> String {
        self.tree
            .get(path)
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
            .unwrap_or_default()
    }

    fn any_text(&self, paths: &[&str], needle: &str) -> bool {
        paths.iter().any(|p| self.text(p).contains(needle))
    }

    fn dependency(&self, name: &str) -> bool {
        let Ok(json) = serde_json::from_str::<Value>(&self.text("package.json")) else {
            return false;
        };
        ["dependencies", "devDependencies"]
            .iter()
            .any(|k| json.get(k).and_then(|d| d.get(name)).is_some())
    }

    fn package_name(&self) -> String {
        serde_json::from_str::<Value>(&self.text("package.json"))
            .ok()
            .and_then(|j| j.get("name")?.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// A table row: one line per mark.
const fn mark(builder: Builder, test: fn(&Marks<'_>) -> bool) -> Mark {
    Mark { builder, test }
}

const VITE_CONFIGS: &[&str] = &["vite.config.ts", "vite.config.js", "vite.config.mjs"];

const MARKS: &[Mark] = &[
    mark(Builder::Bolt, |m| m.any_under(".bolt/")),
    mark(Builder::Bolt, |m| m.package_name().starts_with("sb1-")),
    mark(Builder::Bolt, |m| m.any_text(&["index.html"], "bolt.new/")),
    mark(Builder::Lovable, |m| m.any_under(".lovable/")),
    mark(Builder::Lovable, |m| m.any_under("public/lovable-uploads/")),
    mark(Builder::Lovable, |m| {
        m.text("README.md")
            .starts_with("# Welcome to your Lovable project")
    }),
    mark(Builder::Lovable, |m| {
        m.any_text(VITE_CONFIGS, "lovable-tagger")
    }),
    mark(Builder::Lovable, |m| m.dependency("lovable-tagger")),
    mark(Builder::Lovable, |m| {
        m.any_text(&["index.html"], "lovable.dev/")
    }),
    mark(Builder::Lovable, |m| {
        m.any_text(&["index.html"], "gptengineer.js")
    }),
    mark(Builder::Base44, |m| m.has("base44/.app.jsonc")),
    mark(Builder::Base44, |m| m.has("src/api/base44Client.js")),
    mark(Builder::Base44, |m| m.dependency("@base44/sdk")),
    mark(Builder::Base44, |m| m.dependency("@base44/vite-plugin")),
    mark(Builder::Base44, |m| m.package_name() == "base44-app"),
    mark(Builder::Base44, |m| {
        m.any_text(&["src/lib/app-params.js"], "base44")
    }),
];

/// The builder whose marks the tree carries most, or [`Builder::Unknown`] when none.
pub fn detect_builder(tree: &SourceTree) -> Builder {
    let marks = Marks { tree };
    let mut counts = [
        (Builder::Bolt, 0),
        (Builder::Lovable, 0),
        (Builder::Base44, 0),
    ];
    for mark in MARKS {
        if (mark.test)(&marks) {
            if let Some(entry) = counts.iter_mut().find(|(b, _)| *b == mark.builder) {
                entry.1 += 1;
            }
        }
    }
    // Most marks wins; on a tie the earlier builder in the list.
    let mut best = (Builder::Unknown, 0);
    for (builder, n) in counts {
        if n > best.1 {
            best = (builder, n);
        }
    }
    best.0
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
    fn every_mark_alone_names_its_builder() {
        let cases: &[(&[(&str, &str)], Builder)] = &[
            (
                &[(
                    ".bolt/config.json",
                    "{\"template\": \"bolt-vite-react-ts\"} junk",
                )],
                Builder::Bolt,
            ),
            (&[(".bolt/prompt", "")], Builder::Bolt),
            (
                &[("package.json", r#"{"name":"sb1-x7yz2a"}"#)],
                Builder::Bolt,
            ),
            (
                &[(
                    "index.html",
                    r#"<meta property="og:image" content="https://bolt.new/static/og.png">"#,
                )],
                Builder::Bolt,
            ),
            (&[(".lovable/config", "")], Builder::Lovable),
            (&[("public/lovable-uploads/1.png", "")], Builder::Lovable),
            (
                &[("README.md", "# Welcome to your Lovable project\n")],
                Builder::Lovable,
            ),
            (
                &[(
                    "vite.config.ts",
                    "import { componentTagger } from \"lovable-tagger\";",
                )],
                Builder::Lovable,
            ),
            (
                &[(
                    "package.json",
                    r#"{"devDependencies":{"lovable-tagger":"^1"}}"#,
                )],
                Builder::Lovable,
            ),
            (
                &[(
                    "index.html",
                    r#"<script src="https://cdn.gpteng.co/gptengineer.js">"#,
                )],
                Builder::Lovable,
            ),
            (&[("base44/.app.jsonc", "{\"id\": \"x\"}")], Builder::Base44),
            (&[("src/api/base44Client.js", "")], Builder::Base44),
            (
                &[("package.json", r#"{"dependencies":{"@base44/sdk":"^0.8"}}"#)],
                Builder::Base44,
            ),
            (
                &[(
                    "package.json",
                    r#"{"devDependencies":{"@base44/vite-plugin":"^1"}}"#,
                )],
                Builder::Base44,
            ),
            (
                &[("package.json", r#"{"name":"base44-app"}"#)],
                Builder::Base44,
            ),
            (&[("a.txt", "")], Builder::Unknown),
            (
                &[("README.md", "mentions lovable and bolt.new in prose")],
                Builder::Unknown,
            ),
        ];
        for (files, want) in cases {
            assert_eq!(detect_builder(&tree(files)), *want, "{files:?}");
        }
    }

    #[test]
    fn most_marks_win() {
        // A Lovable project that once went through Bolt keeps one Bolt mark.
        let t = tree(&[
            (".bolt/config.json", "{}"),
            ("README.md", "# Welcome to your Lovable project\n"),
            ("public/lovable-uploads/a.png", ""),
        ]);
        assert_eq!(detect_builder(&t), Builder::Lovable);
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
