//! The registry: every mark alone names its builder, most marks win, and the ids, names and
//! hosts the front ends rely on.

use super::*;
use crate::tree::{FileEntry, OnDuplicate, SourceTree};

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
            bolt::SPEC.builder,
        ),
        (&[(".bolt/prompt", "")], bolt::SPEC.builder),
        (
            &[("package.json", r#"{"name":"sb1-x7yz2a"}"#)],
            bolt::SPEC.builder,
        ),
        (
            &[(
                "index.html",
                r#"<meta property="og:image" content="https://bolt.new/static/og.png">"#,
            )],
            bolt::SPEC.builder,
        ),
        (&[(".lovable/config", "")], lovable::SPEC.builder),
        (
            &[("public/lovable-uploads/1.png", "")],
            lovable::SPEC.builder,
        ),
        (
            &[("README.md", "# Welcome to your Lovable project\n")],
            lovable::SPEC.builder,
        ),
        (
            &[(
                "vite.config.ts",
                "import { componentTagger } from \"lovable-tagger\";",
            )],
            lovable::SPEC.builder,
        ),
        (
            &[(
                "package.json",
                r#"{"devDependencies":{"lovable-tagger":"^1"}}"#,
            )],
            lovable::SPEC.builder,
        ),
        (
            &[(
                "index.html",
                r#"<script src="https://cdn.gpteng.co/gptengineer.js">"#,
            )],
            lovable::SPEC.builder,
        ),
        (
            &[("base44/.app.jsonc", "{\"id\": \"x\"}")],
            base44::SPEC.builder,
        ),
        (&[("src/api/base44Client.js", "")], base44::SPEC.builder),
        (
            &[("package.json", r#"{"dependencies":{"@base44/sdk":"^0.8"}}"#)],
            base44::SPEC.builder,
        ),
        (
            &[(
                "package.json",
                r#"{"devDependencies":{"@base44/vite-plugin":"^1"}}"#,
            )],
            base44::SPEC.builder,
        ),
        (
            &[("package.json", r#"{"name":"base44-app"}"#)],
            base44::SPEC.builder,
        ),
        (&[("a.txt", "")], Builder::UNKNOWN),
        (
            &[("README.md", "mentions lovable and bolt.new in prose")],
            Builder::UNKNOWN,
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
    assert_eq!(detect_builder(&t), lovable::SPEC.builder);
}

#[test]
fn ids_are_unique_and_look_up() {
    for (i, spec) in ALL.iter().enumerate() {
        assert!(ALL[..i].iter().all(|s| s.builder != spec.builder));
        assert_eq!(
            by_id(spec.builder.as_str()).map(|s| s.display),
            Some(spec.display)
        );
        assert!(!spec.marks.is_empty(), "{}", spec.display);
    }
    assert_eq!(display_name(Builder::UNKNOWN), None);
    assert_eq!(display_name(bolt::SPEC.builder), Some("Bolt"));
    let (spec, id) = remote_input("lovable:4f2c-aa").unwrap();
    assert_eq!((spec.display, id), ("Lovable", "4f2c-aa"));
    assert!(
        remote_input("bolt:x").is_none(),
        "Bolt has no API to fetch from"
    );
    assert!(remote_input("C:/projects/app").is_none());
}
