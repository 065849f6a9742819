use super::*;
use crate::report::{Action, Report};
use crate::tree::{FileEntry, OnDuplicate, SourceTree};

const VITE: &str = r#"import { defineConfig } from "vite";
import react from "@vitejs/plugin-react-swc";
import path from "path";
import { componentTagger } from "lovable-tagger";

// https://vitejs.dev/config/
export default defineConfig(({ mode }) => ({
  server: {
    host: "::",
    port: 8080,
  },
  plugins: [
    react(),
    mode === 'development' &&
    componentTagger(),
  ].filter(Boolean),
  resolve: {
    alias: {
      "@": path.resolve(__dirname, "./src"),
    },
  },
}));
"#;

const VITE_CLEAN: &str = r#"import { defineConfig } from "vite";
import react from "@vitejs/plugin-react-swc";
import path from "path";

// https://vitejs.dev/config/
export default defineConfig(({ mode }) => ({
  server: {
    host: "::",
    port: 8080,
  },
  plugins: [
    react(),
  ].filter(Boolean),
  resolve: {
    alias: {
      "@": path.resolve(__dirname, "./src"),
    },
  },
}));
"#;

const HTML: &str = r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>acme</title>
    <meta name="description" content="Lovable Generated Project" />
    <meta name="author" content="Lovable" />
    <meta property="og:description" content="Lovable Generated Project" />
    <meta property="og:image" content="https://lovable.dev/opengraph-image-p98pqg.png" />
    <meta name="twitter:site" content="@lovable_dev" />
    <meta name="twitter:image" content="https://lovable.dev/opengraph-image-p98pqg.png" />
  </head>
  <body>
    <div id="root"></div>
    <!-- IMPORTANT: DO NOT REMOVE THIS SCRIPT TAG OR THIS VERY COMMENT! -->
    <script src="https://cdn.gpteng.co/gptengineer.js" type="module"></script>
    <script type="module" src="/src/main.tsx"></script>
  </body>
</html>
"#;

const HTML_CLEAN: &str = r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>acme</title>
    <meta name="description" content="acme" />
    <meta property="og:description" content="acme" />
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/src/main.tsx"></script>
  </body>
</html>
"#;

fn run(files: &[(&str, &str)]) -> (SourceTree, Report) {
    let mut tree = SourceTree::new();
    for (p, c) in files {
        tree.insert(p, FileEntry::new(c.as_bytes()), OnDuplicate::Refuse)
            .unwrap();
    }
    let mut report = Report::default();
    remove_lovable(&mut Edits::new(&mut tree, &mut report, "acme"));
    (tree, report)
}

fn text(tree: &SourceTree, path: &str) -> String {
    String::from_utf8(tree.get(path).unwrap().bytes.clone()).unwrap()
}

#[test]
fn vite_config_multi_line_and_one_line() {
    let (tree, report) = run(&[("vite.config.ts", VITE)]);
    assert_eq!(text(&tree, "vite.config.ts"), VITE_CLEAN);
    assert_eq!(report.changes[0].action, Action::Edited);

    let one = "import { componentTagger } from 'lovable-tagger';\nexport default defineConfig(({ mode }) => ({ plugins: [react(), mode === \"development\" && componentTagger()].filter(Boolean) }));\n";
    let (tree, _) = run(&[("vite.config.js", one)]);
    assert_eq!(
        text(&tree, "vite.config.js"),
        "export default defineConfig(({ mode }) => ({ plugins: [react()].filter(Boolean) }));\n"
    );
}

#[test]
fn unknown_vite_shapes_are_left_with_a_warning() {
    for odd in [
        // Used outside the plugins array.
        "import { componentTagger } from \"lovable-tagger\";\nconst t = componentTagger();\nexport default { plugins: [t] };\n",
        // Another condition.
        "import { componentTagger } from \"lovable-tagger\";\nexport default { plugins: [isDev && componentTagger()] };\n",
        // Imported twice.
        "import { componentTagger } from \"lovable-tagger\";\nimport x from \"lovable-tagger\";\nexport default { plugins: [componentTagger()] };\n",
    ] {
        let (tree, report) = run(&[("vite.config.ts", odd)]);
        assert_eq!(text(&tree, "vite.config.ts"), odd);
        assert_eq!(report.warnings.len(), 1, "{odd}");
    }
}

#[test]
fn index_html() {
    let (tree, report) = run(&[("index.html", HTML)]);
    assert_eq!(text(&tree, "index.html"), HTML_CLEAN);
    assert!(report.warnings.is_empty());
}

#[test]
fn folders_and_leaked_tags() {
    let (tree, report) = run(&[
        (".lovable/plan.md", "x"),
        (
            "src/App.tsx",
            "<lov-write file_path=\"src/App.tsx\">\nexport default 1;\n</lov-write>\n",
        ),
        ("src/b.tsx", "const s = \"<lov-code>\"; // inline\n"),
    ]);
    assert!(tree.get(".lovable/plan.md").is_none());
    assert_eq!(text(&tree, "src/App.tsx"), "export default 1;\n");
    assert_eq!(
        text(&tree, "src/b.tsx"),
        "const s = \"<lov-code>\"; // inline\n"
    );
    assert_eq!(report.warnings.len(), 1);
    assert!(report
        .changes
        .iter()
        .any(|c| c.path == ".lovable/" && c.action == Action::Removed));
}

#[test]
fn idempotent() {
    let files = [
        ("vite.config.ts", VITE),
        ("index.html", HTML),
        (".lovable/x", "y"),
    ];
    let (mut tree, _) = run(&files);
    let before = tree.clone();
    let mut report = Report::default();
    remove_lovable(&mut Edits::new(&mut tree, &mut report, "acme"));
    assert_eq!(tree, before);
    assert!(report.changes.is_empty() && report.warnings.is_empty());
}
