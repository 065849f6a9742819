use super::*;
use crate::report::{Action, EnvVar, Report};
use crate::tree::{FileEntry, OnDuplicate, SourceTree};

fn run(files: &[(&str, &str)], env: &[&str]) -> (SourceTree, Report) {
    let mut tree = SourceTree::new();
    for (p, c) in files {
        tree.insert(p, FileEntry::new(c.as_bytes()), OnDuplicate::Refuse)
            .unwrap();
    }
    let mut report = Report {
        framework: "vite-react".into(),
        builder: crate::builders::lovable::SPEC.builder,
        env: env
            .iter()
            .map(|n| EnvVar {
                name: n.to_string(),
                reason: "x".into(),
            })
            .collect(),
        ..Report::default()
    };
    scaffold(&mut Edits::new(&mut tree, &mut report, "acme"));
    (tree, report)
}

fn text(tree: &SourceTree, path: &str) -> String {
    String::from_utf8(tree.get(path).expect(path).bytes.clone()).unwrap()
}

const PACKAGE: &str =
    r#"{"name":"acme","scripts":{"build":"vite build"},"engines":{"node":">=20.11"}}"#;

#[test]
fn adds_everything_missing() {
    let (tree, report) = run(
        &[("package.json", PACKAGE), ("package-lock.json", "{}")],
        &["VITE_SUPABASE_URL"],
    );
    let added: Vec<_> = report
        .changes_with(Action::Added)
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(
        added,
        [
            ".gitignore",
            ".nvmrc",
            "README.md",
            ".github/workflows/build.yml",
            "vercel.json",
            "netlify.toml",
            "Dockerfile",
            ".dockerignore"
        ]
    );
    assert_eq!(text(&tree, ".nvmrc"), "20\n");
    let workflow = text(&tree, ".github/workflows/build.yml");
    assert!(
        workflow.contains("- run: npm ci\n") && workflow.contains("cache: npm"),
        "{workflow}"
    );
    assert!(
        workflow.contains("VITE_SUPABASE_URL: ${{ vars.VITE_SUPABASE_URL }}"),
        "{workflow}"
    );
    assert!(text(&tree, "Dockerfile").contains("FROM node:20-alpine AS build"));
    assert!(text(&tree, "Dockerfile").contains("COPY --from=build /app/dist /usr/share/nginx/html"));
    let readme = text(&tree, "README.md");
    assert!(
        readme.starts_with("# acme\n\nExported from Lovable with Liftoff"),
        "{readme}"
    );
    assert!(readme.contains("cp .env.example .env"));
    let gitignore = text(&tree, ".gitignore");
    for entry in ["node_modules\n", "dist\n", ".env\n"] {
        assert!(gitignore.contains(entry));
    }
    serde_json::from_str::<Value>(&text(&tree, "vercel.json")).unwrap();
}

#[test]
fn keeps_what_exists_and_completes_gitignore() {
    let (tree, report) = run(
        &[
            ("package.json", PACKAGE),
            (".gitignore", "node_modules/\n/dist"),
            ("README.md", "# Mine\n"),
            ("vercel.json", "{}"),
        ],
        &[],
    );
    assert_eq!(
        text(&tree, ".gitignore"),
        "node_modules/\n/dist\n\n# added by Liftoff\n.env\n"
    );
    assert_eq!(text(&tree, "README.md"), "# Mine\n");
    assert_eq!(text(&tree, "vercel.json"), "{}");
    assert!(report
        .changes
        .iter()
        .any(|c| c.path == ".gitignore" && c.action == Action::Edited));
    let workflow = text(&tree, ".github/workflows/build.yml");
    assert!(workflow.contains("- run: npm install\n") && !workflow.contains("cache: npm"));
}

#[test]
fn replaces_the_builders_readme() {
    let (tree, report) = run(
        &[
            ("package.json", PACKAGE),
            (
                "README.md",
                "# Welcome to your Lovable project\n\n**URL**: https://lovable.dev/projects/x\n",
            ),
        ],
        &[],
    );
    assert!(text(&tree, "README.md").starts_with("# acme\n"));
    assert!(report
        .changes
        .iter()
        .any(|c| c.path == "README.md" && c.action == Action::Edited));
}

#[test]
fn idempotent_and_minimal_without_package_json() {
    let (mut tree, _) = run(&[("package.json", PACKAGE)], &["VITE_X"]);
    let before = tree.clone();
    let mut report = Report {
        framework: "vite-react".into(),
        ..Report::default()
    };
    scaffold(&mut Edits::new(&mut tree, &mut report, "acme"));
    assert_eq!(tree, before);
    assert!(report.changes.is_empty());

    let (tree, _) = run(&[("index.html", "<h1>hi</h1>")], &[]);
    let paths: Vec<_> = tree.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(paths, [".gitignore", "index.html"]);
}
