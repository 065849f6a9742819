use serde_json::{json, Value};

use super::lock::{add, satisfies};
use super::*;
use crate::builders::base44::normalize::remove_base44;
use crate::normalize::write_liftoff_md;
use crate::report::{Action, Report};
use crate::tree::{FileEntry, OnDuplicate};

macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!("../../../../../../tests/fixtures/base44/", $path))
    };
}

const OLDER: &[(&str, &str)] = &[
    ("package.json", fixture!("older/package.json")),
    ("package-lock.json", fixture!("older/package-lock.json")),
    (
        "src/api/base44Client.js",
        fixture!("older/src/api/base44Client.js"),
    ),
    ("src/api/entities.js", fixture!("older/src/api/entities.js")),
    (
        "src/api/integrations.js",
        fixture!("older/src/api/integrations.js"),
    ),
    (
        "src/api/functions.js",
        fixture!("older/src/api/functions.js"),
    ),
    ("src/pages/Tasks.jsx", fixture!("older/src/pages/Tasks.jsx")),
    ("entities/Task", fixture!("older/entities/Task")),
    ("entities/Project", fixture!("older/entities/Project")),
    (
        "functions/sendDigest.ts",
        fixture!("older/functions/sendDigest.ts"),
    ),
];

const NEWER: &[(&str, &str)] = &[
    ("package.json", fixture!("newer/package.json")),
    ("package-lock.json", fixture!("newer/package-lock.json")),
    ("vite.config.js", fixture!("newer/vite.config.js")),
    ("base44/.app.jsonc", fixture!("newer/base44/.app.jsonc")),
    (
        "src/api/base44Client.js",
        fixture!("newer/src/api/base44Client.js"),
    ),
    (
        "src/lib/app-params.js",
        fixture!("newer/src/lib/app-params.js"),
    ),
    (
        "src/components/HabitBoard.jsx",
        fixture!("newer/src/components/HabitBoard.jsx"),
    ),
    (
        "base44/entities/check-in.jsonc",
        fixture!("newer/base44/entities/check-in.jsonc"),
    ),
    (
        "base44/entities/habit.jsonc",
        fixture!("newer/base44/entities/habit.jsonc"),
    ),
    (
        "base44/functions/send-digest/function.jsonc",
        fixture!("newer/base44/functions/send-digest/function.jsonc"),
    ),
    (
        "base44/functions/send-digest/entry.ts",
        fixture!("newer/base44/functions/send-digest/entry.ts"),
    ),
];

fn tree_of(files: &[(&str, &str)]) -> SourceTree {
    let mut tree = SourceTree::new();
    for (p, c) in files {
        tree.insert(p, FileEntry::new(c.as_bytes()), OnDuplicate::Replace)
            .unwrap();
    }
    tree
}

fn base44_report() -> Report {
    Report {
        builder: crate::builders::base44::SPEC.builder,
        ..Report::default()
    }
}

fn run(tree: &mut SourceTree) -> Report {
    let mut report = base44_report();
    remove_base44(&mut Edits::new(tree, &mut report, "app"));
    report
}

fn text(tree: &SourceTree, path: &str) -> String {
    String::from_utf8(tree.get(path).expect(path).bytes.clone()).unwrap()
}

fn json_of(tree: &SourceTree, path: &str) -> Value {
    serde_json::from_str(&text(tree, path)).unwrap()
}

/// The embedded entries' keys as they sit at the root of a lockfile.
fn embedded_keys() -> Vec<String> {
    entries()
        .keys()
        .map(|name| format!("node_modules/{name}"))
        .collect()
}

#[test]
fn older_layout_gets_the_offramp_and_supabase_in_package_json_and_lockfile() {
    let mut tree = tree_of(OLDER);
    let report = run(&mut tree);

    let client = text(&tree, CLIENT);
    assert!(is_offramp(&client) && in_place(&tree));
    assert!(
        client.contains("const TABLES = {\n  \"Project\": \"project\",\n  \"Task\": \"task\",\n};")
    );
    assert!(client.contains("const REQUIRES_AUTH = true;"), "{client}");
    assert!(client.contains("export const base44 = createBase44Client("));
    assert!(!client.contains("__LIFTOFF_") && !client.contains("68a3f1c2"));

    let manifest = json_of(&tree, "package.json");
    assert_eq!(
        manifest["dependencies"],
        json!({"@supabase/supabase-js": "^2.109.0", "react": "^18.2.0", "react-dom": "^18.2.0", "react-router-dom": "^7.2.0"})
    );
    let lock = json_of(&tree, "package-lock.json");
    let packages = lock["packages"].as_object().unwrap();
    assert_eq!(
        packages[""]["dependencies"]["@supabase/supabase-js"],
        "^2.109.0"
    );
    assert!(packages[""]["dependencies"].get(SDK).is_none());
    for key in [
        "node_modules/@base44/sdk",
        "node_modules/socket.io-client",
        "node_modules/axios",
    ] {
        assert!(
            !packages.contains_key(key),
            "{key} should have gone with the SDK"
        );
    }
    let embedded = entries();
    for (name, entry) in &embedded {
        assert_eq!(&packages[&format!("node_modules/{name}")], entry, "{name}");
    }
    // Keys stay sorted, the root first.
    let keys: Vec<&String> = packages.keys().collect();
    assert_eq!(keys[0], "");
    assert!(keys.windows(2).skip(1).all(|w| w[0] < w[1]), "{keys:?}");

    let example = text(&tree, ".env.example");
    assert!(
        example.contains("VITE_SUPABASE_URL=\n") && example.contains("VITE_SUPABASE_ANON_KEY=\n")
    );
    assert!(!tree
        .get(".env")
        .is_some_and(|f| String::from_utf8_lossy(&f.bytes).contains("SUPABASE")));
    let env: Vec<&str> = report.env.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        env,
        [
            "VITE_BASE44_APP_ID",
            "VITE_SUPABASE_URL",
            "VITE_SUPABASE_ANON_KEY"
        ]
    );

    let edited: Vec<(&str, &str)> = report
        .changes_with(Action::Edited)
        .map(|c| (c.path.as_str(), c.reason.as_str()))
        .collect();
    let paths: Vec<&str> = edited.iter().map(|(path, _)| *path).collect();
    assert_eq!(
        paths,
        [CLIENT, "package.json", "package-lock.json"],
        "each file once, with every reason: {edited:#?}"
    );
    assert!(
        edited[1].1.contains("@base44/sdk removed") && edited[1].1.contains("supabase-js added")
    );
    assert_eq!(
        edited[0].0, CLIENT,
        "one edit of the client, not a rewrite first"
    );
    assert!(edited.iter().all(|(_, reason)| !reason.is_empty()));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    // The ties: what the off-ramp serves and what still needs work.
    let ties: Vec<(&str, usize, &str, bool)> = report
        .ties
        .iter()
        .map(|t| (t.path.as_str(), t.line, t.kind.as_str(), t.served))
        .collect();
    assert!(ties.iter().all(|t| t.0 != CLIENT), "the off-ramp is no tie");
    for expected in [
        ("entities/Task", 0, "entity schema", true),
        (
            "supabase/functions/sendDigest/index.ts",
            0,
            "backend function",
            true,
        ),
        ("src/api/entities.js", 4, "entity", true),
        ("src/api/entities.js", 11, "auth", true),
        ("src/api/functions.js", 4, "function", true),
        ("src/api/integrations.js", 8, "integration", true),
        ("src/pages/Tasks.jsx", 2, "entity", true),
        ("src/pages/Tasks.jsx", 26, "integration", true),
    ] {
        assert!(ties.contains(&expected), "{expected:?} not in {ties:#?}");
    }
    assert!(ties.iter().all(|t| t.3), "all served: {ties:#?}");
    let send = report.ties.iter().find(|t| t.line == 26).unwrap();
    assert_eq!(send.what, "calls the Base44 integration SendEmail");

    // The backend function, ported; the integrations' function, server module and buckets.
    assert!(tree.get("functions/sendDigest.ts").is_none());
    let ported = text(&tree, "supabase/functions/sendDigest/index.ts");
    assert!(ported.starts_with(functions::PORTED_MARK), "{ported}");
    assert!(ported.contains("import { createClientFromRequest } from '../_shared/base44.ts';"));
    assert!(!ported.contains("@base44/sdk"));
    let shared = text(&tree, SHARED);
    assert!(shared.starts_with("// @ts-nocheck\n"));
    assert!(shared.contains("from 'npm:@supabase/supabase-js@2.109.0'"));
    assert!(shared.contains("export function createClientFromRequest(req: Request)"));
    assert!(shared.contains("const TABLES = {\n  \"Project\": \"project\""));
    assert_eq!(
        text(&tree, "supabase/functions/base44-core/index.ts"),
        texts::texts().unwrap().core
    );
    assert!(text(
        &tree,
        "supabase/migrations/20000101000001_liftoff_base44_storage.sql"
    )
    .contains("'base44-files', 'base44-files', true"));
    // The providers' secrets are the functions' (supabase secrets), never the app's env.
    let secrets = text(&tree, "supabase/functions/.env.example");
    for var in [
        "LLM_API_KEY=\n",
        "IMAGE_MODEL=\n",
        "EMAIL_API_KEY=\n",
        "EMAIL_FROM=\n",
    ] {
        assert!(secrets.contains(var), "{var} in {secrets}");
    }
    assert!(
        !secrets.contains("TWILIO"),
        "no SendSMS in the app: {secrets}"
    );
    assert!(!example.contains("LLM_") && !example.contains("EMAIL_"));
}

#[test]
fn newer_layout_replaces_the_client_built_from_app_params() {
    let mut tree = tree_of(NEWER);
    let report = run(&mut tree);
    let client = text(&tree, CLIENT);
    assert!(is_offramp(&client));
    assert!(client
        .contains("const TABLES = {\n  \"CheckIn\": \"check_in\",\n  \"Habit\": \"habit\",\n};"));
    assert!(client.contains("const REQUIRES_AUTH = false;"));
    assert!(!client.contains("app-params"), "{client}");
    // The CLI layout's function, by the name in its function.jsonc.
    assert!(tree
        .get("supabase/functions/send-digest/index.ts")
        .is_some());
    assert!(!tree
        .iter()
        .any(|(p, _)| p.as_str().starts_with("base44/functions/")));
    let manifest = text(&tree, "package.json");
    assert!(!manifest.contains("@base44/"), "{manifest}");
    assert!(manifest.contains("\"@supabase/supabase-js\": \"^2.109.0\""));
    let lock = json_of(&tree, "package-lock.json");
    for key in embedded_keys() {
        assert!(lock["packages"].get(&key).is_some(), "{key}");
    }
    assert!(text(&tree, "vite.config.js").contains("'@': fileURLToPath"));
    // The app id still goes to .env: `liftoff export base44:<id>` and app-params.js read it.
    assert!(text(&tree, ".env").contains("VITE_BASE44_APP_ID="));
    let board: Vec<(usize, bool)> = report
        .ties
        .iter()
        .filter(|t| t.path == "src/components/HabitBoard.jsx")
        .map(|t| (t.line, t.served))
        .collect();
    assert_eq!(board, [(2, true), (8, true), (13, true), (14, true)]);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn normalizing_twice_changes_nothing_and_leaves_an_edited_offramp_alone() {
    for files in [OLDER, NEWER] {
        let mut tree = tree_of(files);
        let first = run(&mut tree);
        let once = tree.clone();
        let second = run(&mut tree);
        assert_eq!(tree, once);
        assert!(second.changes.is_empty(), "{:#?}", second.changes);
        assert_eq!(second.ties, first.ties);
        assert!(second
            .env
            .iter()
            .any(|v| v.name == "VITE_SUPABASE_ANON_KEY"));
    }
    let mut tree = tree_of(OLDER);
    run(&mut tree);
    let mine = text(&tree, CLIENT).replace("'google'", "'github'");
    tree.insert(
        CLIENT,
        FileEntry::new(mine.as_bytes()),
        OnDuplicate::Replace,
    )
    .unwrap();
    let report = run(&mut tree);
    assert_eq!(text(&tree, CLIENT), mine);
    assert!(report.changes.is_empty());
}

#[test]
fn a_lockfile_it_cannot_edit_keeps_the_sdk_with_a_warning() {
    let v1 = "{\n  \"name\": \"team-tasks\",\n  \"lockfileVersion\": 1,\n  \"dependencies\": {\n    \"@base44/sdk\": {\n      \"version\": \"0.8.50\"\n    }\n  }\n}\n";
    let conflicting = json!({
        "lockfileVersion": 3,
        "packages": {
            "": {"dependencies": {"@base44/sdk": "^0.8.3", "legacy-widget": "^1"}},
            "node_modules/@base44/sdk": {"version": "0.8.50"},
            "node_modules/legacy-widget": {"version": "1.0.0", "dependencies": {"@supabase/supabase-js": "^1"}},
            "node_modules/@supabase/supabase-js": {"version": "1.35.7"}
        }
    })
    .to_string();
    let cases: [(&str, &str, &str); 4] = [
        ("package-lock.json", v1, "lockfileVersion 2 or 3"),
        ("package-lock.json", "{oops", "not valid JSON"),
        (
            "package-lock.json",
            &conflicting,
            "@supabase/supabase-js 1.35.7",
        ),
        ("yarn.lock", "# yarn lockfile v1\n", "yarn.lock"),
    ];
    for (path, contents, why) in cases {
        let mut files: Vec<(&str, &str)> = OLDER.to_vec();
        if path == "yarn.lock" {
            files.push((path, contents));
        } else {
            files.retain(|(p, _)| *p != "package-lock.json");
            files.push((path, contents));
        }
        let mut tree = tree_of(&files);
        let before = tree.clone();
        let report = run(&mut tree);
        assert!(!in_place(&tree), "{why}");
        for unchanged in ["package.json", "package-lock.json", "yarn.lock"] {
            assert_eq!(
                tree.get(unchanged),
                before.get(unchanged),
                "{why}: {unchanged}"
            );
        }
        let client = text(&tree, CLIENT);
        assert!(client.contains("from '@base44/sdk'"), "{why}");
        assert!(
            client.contains("appId: import.meta.env.VITE_BASE44_APP_ID"),
            "{why}"
        );
        let warning = report
            .warnings
            .iter()
            .find(|w| w.starts_with("The Base44 off-ramp was not applied"))
            .cloned()
            .unwrap_or_else(|| panic!("{why}: {:?}", report.warnings));
        assert!(warning.contains(why), "{warning}");
        assert!(report.ties.iter().all(|t| !t.served));
        assert!(report
            .env
            .iter()
            .all(|v| !v.name.starts_with("VITE_SUPABASE")));

        // LIFTOFF.md says so, and has no off-ramp section.
        let mut report = report;
        write_liftoff_md(&mut Edits::new(&mut tree, &mut report, "app"));
        let md = text(&tree, "LIFTOFF.md");
        assert!(md.contains(warning.as_str()) && !md.contains("### The Base44 off-ramp"));
        assert!(md.contains("- `src/api/entities.js:4` (entity): "), "{md}");
    }
}

#[test]
fn other_imports_of_the_sdk_keep_it_in_package_json() {
    let mut files = OLDER.to_vec();
    files.push((
        "src/lib/AuthContext.jsx",
        "import { thing } from '@base44/sdk/dist/utils/other';\n",
    ));
    let mut tree = tree_of(&files);
    let report = run(&mut tree);
    assert!(in_place(&tree));
    let manifest = json_of(&tree, "package.json");
    assert_eq!(manifest["dependencies"][SDK], "^0.8.3");
    assert_eq!(manifest["dependencies"][SUPABASE_JS], "^2.109.0");
    assert!(
        report.warnings.iter().any(|w| w.starts_with(
            "@base44/sdk stays in package.json: src/lib/AuthContext.jsx still imports it. The \
             off-ramp serves the calls made through src/api/base44Client.js; replace that import, \
             then run"
        )),
        "{:?}",
        report.warnings
    );
    let tie = report
        .ties
        .iter()
        .find(|t| t.path == "src/lib/AuthContext.jsx")
        .unwrap();
    assert_eq!((tie.kind.as_str(), tie.served), ("sdk", false));

    // Two files: the sentence says so.
    files.push((
        "src/lib/upload.js",
        "import { createClient } from '@base44/sdk';\n",
    ));
    let report = run(&mut tree_of(&files));
    assert!(
        report.warnings.iter().any(|w| w.starts_with(
            "@base44/sdk stays in package.json: src/lib/AuthContext.jsx, src/lib/upload.js still \
             import it. The off-ramp serves the calls made through src/api/base44Client.js; \
             replace those imports, then run"
        )),
        "{:?}",
        report.warnings
    );
}

#[test]
fn without_a_lockfile_only_package_json_changes() {
    let mut files = OLDER.to_vec();
    files.retain(|(p, _)| *p != "package-lock.json");
    let mut tree = tree_of(&files);
    run(&mut tree);
    assert!(in_place(&tree));
    assert!(tree.get("package-lock.json").is_none());
    assert!(text(&tree, "package.json").contains("\"@supabase/supabase-js\": \"^2.109.0\""));
}

#[test]
fn liftoff_md_says_what_is_served_and_what_needs_work() {
    let mut tree = tree_of(OLDER);
    let mut report = run(&mut tree);
    write_liftoff_md(&mut Edits::new(&mut tree, &mut report, "app"));
    let md = text(&tree, "LIFTOFF.md");
    let offramp = md
        .find("### The Base44 off-ramp")
        .expect("off-ramp section");
    let plan = md.find("### Migration plan").expect("migration plan");
    assert!(offramp < plan);
    for needle in [
        "- `src/api/entities.js:4` (entity, served): ",
        "- `src/pages/Tasks.jsx:26` (integration, served): calls the Base44 integration SendEmail",
        "- `supabase/functions/sendDigest/index.ts` (backend function, served): ",
        "`supabase secrets set --env-file",
        "`subscribe` (live updates: it only warns)",
        "signs in with Google through Supabase OAuth",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in\n{md}");
    }
    // Every line of the plan is one tie (the popup counts them).
    let plan_lines = md[plan..].lines().filter(|l| l.starts_with("- `")).count();
    assert_eq!(plan_lines, report.ties.len());
}

#[test]
fn unserved_calls_through_entity_names_are_listed() {
    let mut files = OLDER.to_vec();
    files.push((
        "src/pages/Live.jsx",
        "import { Task, User } from '@/api/entities';\n\
         useEffect(() => Task.subscribe((e) => setLast(e)), []);\n\
         const rows = await Task.list('-created_date');\n\
         const users = await User.list();\n\
         const mine = myTask.subscribe(x);\n",
    ));
    let mut tree = tree_of(&files);
    let report = run(&mut tree);
    let live: Vec<(usize, &str, bool)> = report
        .ties
        .iter()
        .filter(|t| t.path == "src/pages/Live.jsx")
        .map(|t| (t.line, t.kind.as_str(), t.served))
        .collect();
    assert_eq!(
        live,
        [
            (1, "entity", true),
            (2, "entity", false),
            (4, "auth", false)
        ]
    );
}

#[test]
fn the_module_calls_itself_nothing_the_tie_listing_would_flag() {
    let texts = texts::texts().unwrap();
    let tree = SourceTree::new();
    let module = client_module(&tree, texts, &tables_literal(&tree), false, &[]);
    assert!(module.contains("const TABLES = {};"));
    let server = server_module(texts, "{}");
    assert!(!module.contains("__LIFTOFF") && !server.contains("__LIFTOFF"));
    for line in module.lines().chain(server.lines()) {
        assert!(
            crate::builders::base44::normalize::classify(line).is_none(),
            "the module's own line looks like a Base44 call: {line}"
        );
    }
}

#[test]
fn embedded_entries_are_the_verified_lockfile_of_tests_offramp() {
    let verified: Value = serde_json::from_str(include_str!(
        "../../../../../../tests/offramp/package-lock.json"
    ))
    .unwrap();
    let manifest: Value =
        serde_json::from_str(include_str!("../../../../../../tests/offramp/package.json")).unwrap();
    assert_eq!(
        manifest["devDependencies"][SUPABASE_JS],
        SUPABASE_JS_VERSION
    );
    let packages = verified["packages"].as_object().unwrap();
    let embedded = entries();
    assert_eq!(packages.len(), embedded.len() + 1);
    for (name, entry) in &embedded {
        let mut theirs = packages[&format!("node_modules/{name}")].clone();
        theirs.as_object_mut().unwrap().shift_remove("dev");
        assert_eq!(&theirs, entry, "{name}");
        assert!(entry["integrity"].as_str().unwrap().starts_with("sha512-"));
        assert!(entry["resolved"]
            .as_str()
            .unwrap()
            .starts_with("https://registry.npmjs.org/"));
    }
    assert_eq!(embedded[SUPABASE_JS]["version"], SUPABASE_JS_VERSION);
}

#[test]
fn lock_entries_are_reused_nested_or_added_as_npm_would() {
    let mut lock = json!({
        "name": "app", "lockfileVersion": 2, "requires": true,
        "packages": {
            "": {"name": "app", "dependencies": {"react": "^18"}, "devDependencies": {"ts-thing": "^1"}},
            "node_modules/iceberg-js": {"version": "0.8.3", "dev": true},
            "node_modules/react": {"version": "18.3.1"},
            "node_modules/ts-thing": {"version": "1.0.0", "dev": true, "dependencies": {"tslib": "^1.9"}},
            "node_modules/tslib": {"version": "1.14.1", "dev": true}
        },
        "dependencies": {
            "iceberg-js": {"version": "0.8.3", "dev": true},
            "react": {"version": "18.3.1"},
            "ts-thing": {"version": "1.0.0", "dev": true, "requires": {"tslib": "^1.9"}},
            "tslib": {"version": "1.14.1", "dev": true}
        }
    });
    assert_eq!(
        add(&mut lock, SUPABASE_JS, "^2.109.0", &entries()),
        Ok(true)
    );
    let packages = lock["packages"].as_object().unwrap();
    // tslib 1.x is in the way at the root: 2.8.1 goes under each package that needs it.
    for parent in [
        "auth-js",
        "functions-js",
        "postgrest-js",
        "realtime-js",
        "storage-js",
    ] {
        let key = format!("node_modules/@supabase/{parent}/node_modules/tslib");
        assert_eq!(packages[&key]["version"], "2.8.1", "{key}");
    }
    assert_eq!(packages["node_modules/tslib"]["version"], "1.14.1");
    assert_eq!(packages["node_modules/tslib"]["dev"], true);
    // iceberg-js 0.8.3 satisfies ^0.8.1: kept, and no longer dev-only.
    assert_eq!(
        packages["node_modules/iceberg-js"],
        json!({"version": "0.8.3"})
    );
    // npm 6's legacy tree is npm's to rewrite; npm 7 and later read `packages` only.
    assert!(lock["dependencies"].get(SUPABASE_JS).is_none());
    assert_eq!(
        packages[""]["dependencies"],
        json!({"@supabase/supabase-js": "^2.109.0", "react": "^18"})
    );
    // Idempotent.
    let once = lock.clone();
    assert_eq!(
        add(&mut lock, SUPABASE_JS, "^2.109.0", &entries()),
        Ok(false)
    );
    assert_eq!(lock, once);
}

#[test]
fn version_ranges() {
    for (version, range, ok) in [
        ("2.8.1", "2.8.1", true),
        ("2.8.2", "2.8.1", false),
        ("0.8.3", "^0.8.1", true),
        ("0.9.0", "^0.8.1", false),
        ("0.8.0", "^0.8.1", false),
        ("2.110.0", "^2.109.0", true),
        ("3.0.0", "^2.109.0", false),
        ("0.0.3", "^0.0.3", true),
        ("0.0.4", "^0.0.3", false),
        ("1.2.9", "~1.2.3", true),
        ("1.3.0", "~1.2.3", false),
        ("5.0.0", ">=4.0.0", true),
        ("2.0.0-beta.1", "^2.0.0", false),
        ("2.0.0", "*", false),
    ] {
        assert_eq!(satisfies(version, range), ok, "{version} in {range}");
    }
}

#[test]
fn the_templates_axios_client_import_comes_from_the_offramp() {
    let mut files = OLDER.to_vec();
    files.push((
        "src/lib/AuthContext.jsx",
        "import { createAxiosClient } from '@base44/sdk/dist/utils/axios-client';\n\
         import x from \"@base44/sdk/dist/utils/axios-client.js\";\n",
    ));
    files.push(("src/pages/Login.jsx", "export default () => null;\n"));
    files.push((
        "src/pages/ResetPassword.jsx",
        "export default () => null;\n",
    ));
    let mut tree = tree_of(&files);
    let report = run(&mut tree);
    assert_eq!(
        text(&tree, "src/lib/AuthContext.jsx"),
        "import { createAxiosClient } from '../api/base44Client.js';\n\
         import x from \"../api/base44Client.js\";\n"
    );
    assert!(json_of(&tree, "package.json")["dependencies"]
        .get(SDK)
        .is_none());
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let client = text(&tree, CLIENT);
    assert!(client.contains("export function createAxiosClient()"));
    assert!(
        client.contains("const LOGIN_PATH = \"/Login\";"),
        "{client}"
    );
    assert!(client.contains("const RESET_PATH = \"/ResetPassword\";"));
}

#[test]
fn functions_port_with_supabase_names_and_their_secrets() {
    let mut files = OLDER.to_vec();
    files.push((
        "functions/2fa.reset.ts",
        "import { createClientFromRequest, createClient } from \"npm:@base44/sdk@0.8.50\";\n\
         import { helper } from '../lib/helper.ts';\n\
         const key = Deno.env.get('STRIPE_KEY') ?? Deno.env.get(\"SUPABASE_URL\");\n\
         const t = await base44.asServiceRole.connectors.getAccessToken('googlecalendar');\n",
    ));
    let mut tree = tree_of(&files);
    let report = run(&mut tree);
    let slug = "fn-2fa-reset";
    let ported = text(&tree, &format!("supabase/functions/{slug}/index.ts"));
    assert!(
        ported.contains("from \"../_shared/base44.ts\";"),
        "{ported}"
    );
    let client = text(&tree, CLIENT);
    assert!(
        client.contains(&format!("const FUNCTIONS = {{\"2fa.reset\":\"{slug}\"}};")),
        "{client}"
    );
    let secrets = text(&tree, "supabase/functions/.env.example");
    assert!(secrets.contains("STRIPE_KEY=\n") && !secrets.contains("SUPABASE_URL"));
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("imports files outside its folder")),
        "{:?}",
        report.warnings
    );
    let connector = report
        .ties
        .iter()
        .find(|t| t.kind == "connector")
        .expect("the connector is listed");
    assert_eq!(
        (connector.path.as_str(), connector.line, connector.served),
        ("supabase/functions/fn-2fa-reset/index.ts", 5, false)
    );
    assert_eq!(
        functions::slug("base44-core", &Default::default()),
        "base44-core-2"
    );
    assert_eq!(
        functions::slug("summarizeNotes", &Default::default()),
        "summarizeNotes"
    );
}

/// `FILES` names every text file of this folder, so `build.sh` hands all of them over.
#[test]
fn texts_are_every_text_of_the_folder() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/builders/base44/offramp");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !n.ends_with(".rs"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = texts::FILES.iter().map(|(_, f)| f.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
    let json = serde_json::Value::Object(
        texts::FILES
            .iter()
            .map(|(k, f)| {
                let text = std::fs::read_to_string(format!("{dir}/{f}")).unwrap();
                (k.to_string(), serde_json::Value::from(text))
            })
            .collect(),
    );
    let read = texts::Texts::from_json(&json.to_string()).unwrap();
    assert_eq!(&read, texts::texts().unwrap());
    assert!(texts::Texts::from_json("{\"client\": \"x\"}").is_none());
}
