use super::*;
use crate::report::Report;
use crate::tree::{FileEntry, OnDuplicate, SourceTree};

const VITE_NEWER: &str = r#"import base44 from "@base44/vite-plugin"
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// https://vite.dev/config/
export default defineConfig({
  logLevel: 'error', // Suppress warnings, only show errors
  plugins: [
    base44({
      // Support for legacy code that imports the base44 SDK with @/integrations, @/entities, etc.
      legacySDKImports: process.env.BASE44_LEGACY_SDK_IMPORTS === 'true',
      hmrNotifier: true,
    }),
    react(),
  ]
});
"#;

const VITE_NEWER_CLEAN: &str = r#"import { fileURLToPath, URL } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// https://vite.dev/config/
export default defineConfig({
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  logLevel: 'error', // Suppress warnings, only show errors
  plugins: [
    react(),
  ]
});
"#;

const CLIENT_OLDER: &str = r#"import { createClient } from '@base44/sdk';

export const base44 = createClient({
  appId: "68a3f1c29b7e4d0012ab34cd", 
  requiresAuth: true
});
"#;

const PACKAGE: &str = "{\n  \"name\": \"base44-app\",\n  \"dependencies\": {\n    \"@base44/sdk\": \"^0.8.3\"\n  },\n  \"devDependencies\": {\n    \"@base44/vite-plugin\": \"^1.0.0\",\n    \"vite\": \"^6\"\n  }\n}\n";

fn run(files: &[(&str, &str)]) -> (SourceTree, Report) {
    let mut tree = SourceTree::new();
    for (p, c) in files {
        tree.insert(p, FileEntry::new(c.as_bytes()), OnDuplicate::Refuse)
            .unwrap();
    }
    let mut report = Report {
        builder: crate::builders::base44::SPEC.builder,
        ..Report::default()
    };
    remove_base44(&mut Edits::new(&mut tree, &mut report, "app"));
    (tree, report)
}

fn text(tree: &SourceTree, path: &str) -> String {
    String::from_utf8(tree.get(path).expect(path).bytes.clone()).unwrap()
}

#[test]
fn newer_layout_plugin_alias_and_app_id() {
    let (tree, report) = run(&[
        ("vite.config.js", VITE_NEWER),
        ("package.json", PACKAGE),
        ("base44/.app.jsonc", "{\n  // the app\n  \"id\": \"68a3f1c29b7e4d0012ab34cd\"\n}\n"),
        ("src/App.jsx", "import { base44 } from '@/api/base44Client';\nconst tasks = await base44.entities.Task.list('-created_date');\n"),
        ("base44/entities/task.jsonc", "{}"),
    ]);
    assert_eq!(text(&tree, "vite.config.js"), VITE_NEWER_CLEAN);
    let manifest = text(&tree, "package.json");
    assert!(
        !manifest.contains("vite-plugin") && manifest.contains("@base44/sdk"),
        "{manifest}"
    );
    assert!(text(&tree, ".env").contains("VITE_BASE44_APP_ID=\"68a3f1c29b7e4d0012ab34cd\""));
    assert_eq!(report.env[0].name, "VITE_BASE44_APP_ID");
    let ties: Vec<_> = report
        .ties
        .iter()
        .map(|t| (t.path.as_str(), t.line, t.kind.as_str()))
        .collect();
    assert_eq!(
        ties,
        [
            ("base44/entities/task.jsonc", 0, "entity schema"),
            ("src/App.jsx", 1, "sdk"),
            ("src/App.jsx", 2, "entity")
        ]
    );
    assert!(report.ties[2].what.contains("Task"));
}

#[test]
fn older_layout_moves_the_app_id_out_of_the_client() {
    let (tree, report) = run(&[
        (CLIENT, CLIENT_OLDER),
        ("entities/Task", "{}"),
        ("functions/sendDigest.ts", ""),
    ]);
    let client = text(&tree, CLIENT);
    assert!(
        client.contains("appId: import.meta.env.VITE_BASE44_APP_ID, "),
        "{client}"
    );
    assert!(!client.contains("68a3f1c2"));
    let kinds: Vec<_> = report.ties.iter().map(|t| t.kind.as_str()).collect();
    assert_eq!(kinds, ["entity schema", "backend function", "sdk"]);
}

#[test]
fn unknown_shapes_warn_and_stay() {
    let odd = "import base44 from '@base44/vite-plugin'\nconst p = base44();\nexport default { plugins: [p] }\n";
    let (tree, report) = run(&[("vite.config.js", odd)]);
    assert_eq!(text(&tree, "vite.config.js"), odd);
    assert_eq!(report.warnings.len(), 1);
}

#[test]
fn idempotent_and_only_for_base44() {
    let files = [
        ("vite.config.js", VITE_NEWER),
        ("package.json", PACKAGE),
        (CLIENT, CLIENT_OLDER),
        ("src/a.jsx", "import x from '@/a'\n"),
    ];
    let (mut tree, first) = run(&files);
    let before = tree.clone();
    let mut report = Report {
        builder: crate::builders::base44::SPEC.builder,
        ..Report::default()
    };
    remove_base44(&mut Edits::new(&mut tree, &mut report, "app"));
    assert_eq!(tree, before);
    assert!(report.changes.is_empty());
    assert_eq!(report.ties, first.ties);

    let mut tree = SourceTree::new();
    tree.insert(
        "vite.config.js",
        FileEntry::new(VITE_NEWER.as_bytes()),
        OnDuplicate::Refuse,
    )
    .unwrap();
    let mut report = Report {
        builder: crate::builders::lovable::SPEC.builder,
        ..Report::default()
    };
    remove_base44(&mut Edits::new(&mut tree, &mut report, "app"));
    assert!(report.changes.is_empty());
}

#[test]
fn auth_calls_the_off_ramp_serves_on_supabase_auth() {
    for (line, served) in [
        (
            "await base44.auth.loginViaEmailPassword(email, password);",
            true,
        ),
        ("await base44.auth.register({ email, password });", true),
        (
            "const r = await base44.auth.verifyOtp({ email, otpCode });",
            true,
        ),
        ("await base44.auth.resendOtp(email);", true),
        ("base44.auth.loginWithProvider('google', '/');", true),
        ("await base44.auth.resetPasswordRequest(email);", true),
        (
            "await base44.auth.resetPassword({ resetToken, newPassword });",
            true,
        ),
        ("base44.auth.setToken(result.access_token);", true),
        ("const me = await base44.auth.me();", true),
        ("base44.auth.loginWithProvider('sso', '/dashboard');", false),
        ("base44.auth.loginWithProvider(\"sso\");", false),
        (
            "await base44.auth.changePassword({ userId, currentPassword, newPassword });",
            false,
        ),
        ("await base44.auth.inviteUser(email, 'user');", false),
    ] {
        let (kind, _, is_served) = classify(line).expect(line);
        assert_eq!((kind, is_served), ("auth", served), "{line}");
    }
}

#[test]
fn auth_calls_through_the_user_name_are_listed_only_when_unserved() {
    let files = [
        ("package.json", PACKAGE),
        (CLIENT, CLIENT_OLDER),
        (
            "src/api/entities.js",
            "import { base44 } from './base44Client';\nexport const User = base44.auth;\n",
        ),
        (
            "src/pages/Login.jsx",
            "import { User } from '@/api/entities';\n\
             await User.loginViaEmailPassword(email, password);\n\
             const { access_token } = await User.verifyOtp({ email, otpCode });\n\
             User.loginWithProvider('sso', '/');\n\
             await User.changePassword({ userId, currentPassword, newPassword });\n",
        ),
    ];
    let (_, report) = run(&files);
    let login: Vec<(usize, &str, bool)> = report
        .ties
        .iter()
        .filter(|t| t.path == "src/pages/Login.jsx")
        .map(|t| (t.line, t.kind.as_str(), t.served))
        .collect();
    assert_eq!(
        login,
        [(1, "entity", true), (4, "auth", false), (5, "auth", false)]
    );
}
