//! Environment: values written into the code or a committed `.env` move to `.env` (kept in a
//! zip or folder export, never pushed) and `.env.example` (names, no values); the code reads
//! `import.meta.env.VITE_*`. Every variable is listed in `report.env`, without its value.
//!
//! Every variable goes through [`add_env_var`] (see `edit::env_vars`). [`extract_env`]
//! registers what a Lovable (or any Vite + Supabase) project
//! carries: the committed `.env` first (so its order leads), then the literals in the generated
//! Supabase client, then the project ref in `supabase/config.toml`.
//!
//! Values never appear in the report or in warnings: only names do.

use crate::edit::env_vars::{add_env_var, merge_into_example, note_in_report, reason_for};
use crate::edit::Edits;
use crate::env_file::{is_safe_value, parse_env, ENV};

/// Lovable's generated Supabase client.
const SUPABASE_CLIENT: &str = "src/integrations/supabase/client.ts";
/// The Supabase CLI's config, with the project ref.
const SUPABASE_CONFIG: &str = "supabase/config.toml";

/// Moves the values Liftoff knows about out of the code and the committed `.env` into `.env`
/// and `.env.example`, and lists them in the report.
pub fn extract_env(edits: &mut Edits<'_>) {
    register_committed_env(edits);
    extract_supabase_client(edits);
    register_supabase_project_id(edits);
}

/// The `.env.example` comment for a committed variable Liftoff knows nothing about.
const COMMITTED_HINT: &str =
    "Set in the project's original .env: get it from the service it belongs to.";

/// Lists every variable of a committed `.env` (its values stay in it).
fn register_committed_env(edits: &mut Edits<'_>) {
    if !edits.has(ENV) {
        return;
    }
    let Some(text) = edits.text(ENV) else {
        edits.warn(format!("{ENV} is not UTF-8 text: left as it is"));
        return;
    };
    for var in parse_env(&text) {
        let reason = reason_for(&var.name, "set in the committed .env");
        merge_into_example(edits, &var.name, COMMITTED_HINT);
        note_in_report(edits, &var.name, &reason);
    }
}

/// The two constants of Lovable's generated client and the variables they move to.
const CLIENT_CONSTS: &[(&str, &str)] = &[
    ("SUPABASE_URL", "VITE_SUPABASE_URL"),
    ("SUPABASE_PUBLISHABLE_KEY", "VITE_SUPABASE_PUBLISHABLE_KEY"),
];

/// How a constant of the client gets its value.
#[derive(PartialEq)]
enum Init {
    /// A string literal: the byte range of the literal with its quotes, and its value.
    Literal {
        start: usize,
        end: usize,
        value: String,
    },
    /// Already from `import.meta.env`.
    Env,
    /// Something else: the file is not the shape Liftoff knows.
    Unknown,
}

/// Replaces the Supabase URL and key literals in Lovable's generated client with
/// `import.meta.env.VITE_*`, moving the values to `.env`. Any other shape: a warning.
fn extract_supabase_client(edits: &mut Edits<'_>) {
    if !edits.has(SUPABASE_CLIENT) {
        return;
    }
    let Some(text) = edits.text(SUPABASE_CLIENT) else {
        warn_client_shape(edits);
        return;
    };
    let inits: Vec<(&str, Init)> = CLIENT_CONSTS
        .iter()
        .map(|&(ident, var)| (var, const_init(&text, ident, var)))
        .collect();
    if inits.iter().any(|(_, init)| *init == Init::Unknown) || !text.contains("createClient") {
        warn_client_shape(edits);
        return;
    }
    let literals: Vec<(&str, usize, usize, &str)> = inits
        .iter()
        .filter_map(|(var, init)| match init {
            Init::Literal { start, end, value } => Some((*var, *start, *end, value.as_str())),
            Init::Env | Init::Unknown => None,
        })
        .collect();
    if literals.is_empty() {
        return;
    }
    let origin = format!("was written in {SUPABASE_CLIENT}");
    for &(var, _, _, value) in &literals {
        if !add_env_var(edits, var, value, &reason_for(var, &origin)) {
            return;
        }
    }
    let mut edited = text.clone();
    let mut right_to_left = literals;
    right_to_left.sort_by_key(|&(_, start, _, _)| std::cmp::Reverse(start));
    for (var, start, end, _) in right_to_left {
        edited.replace_range(start..end, &format!("import.meta.env.{var}"));
    }
    edits.set_text(
        SUPABASE_CLIENT,
        edited,
        "Supabase URL and key read from .env (import.meta.env) instead of the code",
    );
}

fn warn_client_shape(edits: &mut Edits<'_>) {
    edits.warn(format!(
        "{SUPABASE_CLIENT} is not the shape Liftoff knows: left as it is; move its Supabase \
         URL and key to .env (VITE_SUPABASE_URL, VITE_SUPABASE_PUBLISHABLE_KEY) by hand"
    ));
}

/// How `const <ident> = …` gets its value in `text`. No declaration at all is fine when the
/// file reads `import.meta.env.<var>` (newer generated clients).
fn const_init(text: &str, ident: &str, var: &str) -> Init {
    let declarations = find_declarations(text, ident);
    match declarations.as_slice() {
        [] if text.contains(&format!("import.meta.env.{var}")) => Init::Env,
        [after] => initializer(text, *after),
        _ => Init::Unknown,
    }
}

/// Offsets just past each `const <ident>` (whole words) in `text`.
fn find_declarations(text: &str, ident: &str) -> Vec<usize> {
    let needle = format!("const {ident}");
    let bytes = text.as_bytes();
    text.match_indices(&needle)
        .map(|(at, _)| (at, at + needle.len()))
        .filter(|&(at, end)| {
            let starts_word = at == 0 || !is_ident_byte(bytes[at - 1]);
            let ends_word = bytes.get(end).is_none_or(|&b| !is_ident_byte(b));
            starts_word && ends_word
        })
        .map(|(_, end)| end)
        .collect()
}

/// The initializer after a declared name: `[: string] = <literal or import.meta.env.…>`.
fn initializer(text: &str, after_name: usize) -> Init {
    let mut rest = skip_blanks(&text[after_name..]);
    if let Some(typed) = rest.strip_prefix(':') {
        let Some(after_type) = skip_blanks(typed).strip_prefix("string") else {
            return Init::Unknown;
        };
        rest = skip_blanks(after_type);
    }
    let Some(after_eq) = rest.strip_prefix('=') else {
        return Init::Unknown;
    };
    let value_text = skip_blanks(after_eq);
    if value_text.starts_with("import.meta.env.") {
        return Init::Env;
    }
    let Some((value, len)) = string_literal(value_text) else {
        return Init::Unknown;
    };
    let after = skip_blanks(&value_text[len..]);
    let ends_statement = after.is_empty() || after.starts_with([';', '\n', '\r']);
    if value.is_empty() || !is_safe_value(value) || !ends_statement {
        return Init::Unknown;
    }
    let start = text.len() - value_text.len();
    Init::Literal {
        start,
        end: start + len,
        value: value.to_string(),
    }
}

/// A plain string literal at the start of `text` (`"…"`, `'…'` or a template without
/// substitutions), on one line and without escapes: its value and its length with quotes.
fn string_literal(text: &str) -> Option<(&str, usize)> {
    let quote = text
        .chars()
        .next()
        .filter(|q| matches!(q, '"' | '\'' | '`'))?;
    let body = &text[1..];
    let close = body.find(quote)?;
    let value = &body[..close];
    let plain = !value.contains(['\\', '\n', '\r']) && !value.contains("${");
    plain.then_some((value, close + 2))
}

/// `text` without leading spaces and tabs.
fn skip_blanks(text: &str) -> &str {
    text.trim_start_matches([' ', '\t'])
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Registers `supabase/config.toml`'s `project_id` as `VITE_SUPABASE_PROJECT_ID`.
fn register_supabase_project_id(edits: &mut Edits<'_>) {
    let Some(text) = edits.text(SUPABASE_CONFIG) else {
        return;
    };
    match project_id(&text) {
        ProjectId::Found(id) => {
            let reason = reason_for("VITE_SUPABASE_PROJECT_ID", "from supabase/config.toml");
            add_env_var(edits, "VITE_SUPABASE_PROJECT_ID", &id, &reason);
        }
        ProjectId::Missing => {}
        ProjectId::Unreadable => edits.warn(format!(
            "{SUPABASE_CONFIG}: project_id is not a plain quoted ref; VITE_SUPABASE_PROJECT_ID not set"
        )),
    }
}

enum ProjectId {
    Found(String),
    Missing,
    Unreadable,
}

/// The top-level `project_id = "<ref>"` of a Supabase config (before any `[table]`).
fn project_id(toml: &str) -> ProjectId {
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            break;
        }
        let Some(rest) = line.strip_prefix("project_id") else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let quote = match value.chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => return ProjectId::Unreadable,
        };
        let Some((id, after)) = value[1..].split_once(quote) else {
            return ProjectId::Unreadable;
        };
        let after = after.trim_start();
        let valid = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && (after.is_empty() || after.starts_with('#'));
        return if valid {
            ProjectId::Found(id.to_string())
        } else {
            ProjectId::Unreadable
        };
    }
    ProjectId::Missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env_file::ENV_EXAMPLE;
    use crate::report::{Action, Change, Report};
    use crate::tree::{FileEntry, OnDuplicate, SourceTree};

    const URL: &str = "https://abcdefghijklmnopqrst.supabase.co";
    const KEY: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImFiY2RlZmdoaWprbG1ub3BxcnN0Iiwicm9sZSI6ImFub24iLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MjAwMDAwMDAwMH0.x";

    const CLIENT: &str = r#"// This file is automatically generated. Do not edit it directly.
import { createClient } from '@supabase/supabase-js';
import type { Database } from './types';

const SUPABASE_URL = "https://abcdefghijklmnopqrst.supabase.co";
const SUPABASE_PUBLISHABLE_KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImFiY2RlZmdoaWprbG1ub3BxcnN0Iiwicm9sZSI6ImFub24iLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MjAwMDAwMDAwMH0.x";

// Import the supabase client like this:
// import { supabase } from "@/integrations/supabase/client";

export const supabase = createClient<Database>(SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY);
"#;

    const CLIENT_ON_ENV: &str = r#"// This file is automatically generated. Do not edit it directly.
import { createClient } from '@supabase/supabase-js';
import type { Database } from './types';

const SUPABASE_URL = import.meta.env.VITE_SUPABASE_URL;
const SUPABASE_PUBLISHABLE_KEY = import.meta.env.VITE_SUPABASE_PUBLISHABLE_KEY;

// Import the supabase client like this:
// import { supabase } from "@/integrations/supabase/client";

export const supabase = createClient<Database>(SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY);
"#;

    const EXAMPLE_URL_KEY: &str = "# The environment variables this project needs: copy this file to .env and fill in the values.

# Supabase project URL: Supabase dashboard > Project Settings > Data API > Project URL.
VITE_SUPABASE_URL=

# Supabase publishable (anon) key, safe in the browser: Supabase dashboard > Project Settings > API Keys.
VITE_SUPABASE_PUBLISHABLE_KEY=
";

    fn tree_of(files: &[(&str, &str)]) -> SourceTree {
        let mut tree = SourceTree::new();
        for (path, text) in files {
            tree.insert(path, FileEntry::new(text.as_bytes()), OnDuplicate::Refuse)
                .unwrap();
        }
        tree
    }

    fn run(tree: &mut SourceTree, report: &mut Report) {
        extract_env(&mut Edits::new(tree, report, "app"));
    }

    fn text(tree: &SourceTree, path: &str) -> String {
        String::from_utf8(tree.get(path).unwrap().bytes.clone()).unwrap()
    }

    fn env_names(report: &Report) -> Vec<&str> {
        report.env.iter().map(|v| v.name.as_str()).collect()
    }

    fn changed(report: &Report) -> Vec<(&str, Action)> {
        report
            .changes
            .iter()
            .map(|c: &Change| (c.path.as_str(), c.action))
            .collect()
    }

    #[test]
    fn moves_lovable_client_literals_to_env() {
        let mut tree = tree_of(&[(SUPABASE_CLIENT, CLIENT)]);
        let mut report = Report::default();
        run(&mut tree, &mut report);

        let expected_client = CLIENT
            .replace(&format!("\"{URL}\""), "import.meta.env.VITE_SUPABASE_URL")
            .replace(
                &format!("\"{KEY}\""),
                "import.meta.env.VITE_SUPABASE_PUBLISHABLE_KEY",
            );
        assert_eq!(text(&tree, SUPABASE_CLIENT), expected_client);
        assert_eq!(text(&tree, SUPABASE_CLIENT), CLIENT_ON_ENV);
        assert_eq!(
            text(&tree, ENV),
            format!(
                "# Values moved out of the code by Liftoff. Keep this file private: never commit it.\n\
                 VITE_SUPABASE_URL=\"{URL}\"\n\
                 VITE_SUPABASE_PUBLISHABLE_KEY=\"{KEY}\"\n"
            )
        );
        assert_eq!(text(&tree, ENV_EXAMPLE), EXAMPLE_URL_KEY);
        assert_eq!(
            env_names(&report),
            ["VITE_SUPABASE_URL", "VITE_SUPABASE_PUBLISHABLE_KEY"]
        );
        assert_eq!(
            report.env[0].reason,
            "Supabase project URL; was written in src/integrations/supabase/client.ts"
        );
        assert_eq!(
            changed(&report),
            [
                (ENV, Action::Added),
                (ENV_EXAMPLE, Action::Added),
                (SUPABASE_CLIENT, Action::Edited),
            ]
        );
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        assert_no_values_in_report(&report, &[URL, KEY]);
    }

    #[test]
    fn keeps_extra_createclient_options_and_single_quotes() {
        let client = CLIENT
            .replace(
                "SUPABASE_PUBLISHABLE_KEY);",
                "SUPABASE_PUBLISHABLE_KEY, {\n  auth: {\n    storage: localStorage,\n    persistSession: true,\n  }\n});",
            )
            .replace(&format!("\"{URL}\""), &format!("'{URL}'"));
        let mut tree = tree_of(&[(SUPABASE_CLIENT, &client)]);
        let mut report = Report::default();
        run(&mut tree, &mut report);
        let edited = text(&tree, SUPABASE_CLIENT);
        assert!(edited.contains("const SUPABASE_URL = import.meta.env.VITE_SUPABASE_URL;\n"));
        assert!(edited.ends_with(
            "SUPABASE_PUBLISHABLE_KEY, {\n  auth: {\n    storage: localStorage,\n    persistSession: true,\n  }\n});\n"
        ));
        assert!(!edited.contains(URL) && !edited.contains(KEY));
        assert!(text(&tree, ENV).contains(&format!("VITE_SUPABASE_URL=\"{URL}\"\n")));
    }

    #[test]
    fn leaves_a_client_already_on_import_meta_env() {
        let newer = "import { createClient } from '@supabase/supabase-js';\n\
                     export const supabase = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_PUBLISHABLE_KEY);\n";
        for client in [CLIENT_ON_ENV, newer] {
            let mut tree = tree_of(&[(SUPABASE_CLIENT, client)]);
            let before = tree.clone();
            let mut report = Report::default();
            run(&mut tree, &mut report);
            assert_eq!(tree, before);
            assert_eq!(report, Report::default());
        }
    }

    #[test]
    fn warns_on_an_unknown_client_shape_and_leaves_it() {
        let shapes = [
            // Literals passed straight to createClient.
            format!("import {{ createClient }} from '@supabase/supabase-js';\nexport const supabase = createClient(\"{URL}\", \"{KEY}\");\n"),
            // A computed value.
            CLIENT.replace(&format!("\"{URL}\""), "getUrl()"),
            // A template with a substitution.
            CLIENT.replace(&format!("\"{URL}\""), "`https://${REF}.supabase.co`"),
            // Declared twice.
            format!("{CLIENT}const SUPABASE_URL = \"{URL}\";\n"),
            // No createClient.
            CLIENT.replace("createClient", "makeClient"),
        ];
        for client in &shapes {
            let mut tree = tree_of(&[(SUPABASE_CLIENT, client)]);
            let before = tree.clone();
            let mut report = Report::default();
            run(&mut tree, &mut report);
            assert_eq!(tree, before, "{client}");
            assert!(report.changes.is_empty() && report.env.is_empty());
            assert_eq!(report.warnings.len(), 1, "{client}");
            assert!(report.warnings[0].starts_with(SUPABASE_CLIENT));
            assert_no_values_in_report(&report, &[URL, KEY]);
        }
    }

    #[test]
    fn merges_a_committed_env_and_config_project_id() {
        let committed = format!(
            "VITE_SUPABASE_PROJECT_ID=\"abcdefghijklmnopqrst\"\n\
             VITE_SUPABASE_PUBLISHABLE_KEY=\"{KEY}\"\n\
             # Analytics\n\
             VITE_ANALYTICS_ID=G-12345\n"
        );
        let client = CLIENT.replace(URL, "https://other.supabase.co");
        let mut tree = tree_of(&[
            (ENV, &committed),
            (SUPABASE_CLIENT, &client),
            (
                SUPABASE_CONFIG,
                "project_id = \"zyxwvutsrqponmlkjihg\"\n\n[api]\nport = 54321\n",
            ),
        ]);
        let mut report = Report::default();
        run(&mut tree, &mut report);

        // Existing values win (the project id, the key); the URL is appended.
        assert_eq!(
            text(&tree, ENV),
            format!("{committed}VITE_SUPABASE_URL=\"https://other.supabase.co\"\n")
        );
        assert_eq!(
            text(&tree, ENV_EXAMPLE),
            "# The environment variables this project needs: copy this file to .env and fill in the values.

# Supabase project ref: Supabase dashboard > Project Settings > General > Project ID.
VITE_SUPABASE_PROJECT_ID=

# Supabase publishable (anon) key, safe in the browser: Supabase dashboard > Project Settings > API Keys.
VITE_SUPABASE_PUBLISHABLE_KEY=

# Set in the project's original .env: get it from the service it belongs to.
VITE_ANALYTICS_ID=

# Supabase project URL: Supabase dashboard > Project Settings > Data API > Project URL.
VITE_SUPABASE_URL=
"
        );
        assert_eq!(
            env_names(&report),
            [
                "VITE_SUPABASE_PROJECT_ID",
                "VITE_SUPABASE_PUBLISHABLE_KEY",
                "VITE_ANALYTICS_ID",
                "VITE_SUPABASE_URL",
            ]
        );
        assert_eq!(
            report.env[0].reason,
            "Supabase project ref; set in the committed .env"
        );
        // The config's different project id is not applied, and says so without values.
        assert_eq!(
            report.warnings,
            ["VITE_SUPABASE_PROJECT_ID: the value in .env differs from the one found (Supabase project ref; from supabase/config.toml); .env's value is kept"]
        );
        assert_eq!(
            text(&tree, SUPABASE_CLIENT),
            CLIENT_ON_ENV,
            "the code reads .env even where .env's value won"
        );
        assert_no_values_in_report(&report, &[URL, KEY, "abcdefghijklmnopqrst", "G-12345"]);
    }

    #[test]
    fn config_project_id_alone() {
        let mut tree = tree_of(&[(
            SUPABASE_CONFIG,
            "project_id = \"abcdefghijklmnopqrst\" # ref\n",
        )]);
        let mut report = Report::default();
        run(&mut tree, &mut report);
        assert_eq!(
            text(&tree, ENV),
            "# Values moved out of the code by Liftoff. Keep this file private: never commit it.\n\
             VITE_SUPABASE_PROJECT_ID=\"abcdefghijklmnopqrst\"\n"
        );
        assert_eq!(env_names(&report), ["VITE_SUPABASE_PROJECT_ID"]);
        assert_eq!(
            report.env[0].reason,
            "Supabase project ref; from supabase/config.toml"
        );
    }

    #[test]
    fn is_idempotent() {
        let committed = "VITE_SUPABASE_PROJECT_ID=\"abcdefghijklmnopqrst\"\n";
        let mut tree = tree_of(&[
            (ENV, committed),
            (SUPABASE_CLIENT, CLIENT),
            (SUPABASE_CONFIG, "project_id = \"abcdefghijklmnopqrst\"\n"),
        ]);
        let mut report = Report::default();
        run(&mut tree, &mut report);
        assert!(!report.changes.is_empty());
        let (tree_once, report_once) = (tree.clone(), report.clone());

        // Again on the same report: nothing new.
        run(&mut tree, &mut report);
        assert_eq!(tree, tree_once);
        assert_eq!(report, report_once);

        // Again on the output with a fresh report: no change to the tree.
        let mut fresh = Report::default();
        run(&mut tree, &mut fresh);
        assert_eq!(tree, tree_once);
        assert!(fresh.changes.is_empty() && fresh.warnings.is_empty());
        assert_eq!(env_names(&fresh), env_names(&report_once));
    }

    #[test]
    fn add_env_var_is_idempotent_and_refuses_unsafe_input() {
        let mut tree = SourceTree::new();
        let mut report = Report::default();
        let mut edits = Edits::new(&mut tree, &mut report, "app");
        let reason = "Base44 app id; was written in src/api/base44Client.js";
        assert!(add_env_var(
            &mut edits,
            "VITE_BASE44_APP_ID",
            "0123456789abcdef01234567",
            reason
        ));
        assert!(add_env_var(
            &mut edits,
            "VITE_BASE44_APP_ID",
            "0123456789abcdef01234567",
            reason
        ));
        assert!(add_env_var(
            &mut edits,
            "VITE_FEATURE_FLAG",
            "",
            "a flag to set by hand"
        ));
        assert!(!add_env_var(&mut edits, "1BAD", "x", "bad name"));
        assert!(!add_env_var(
            &mut edits,
            "VITE_SECRET",
            "a\"b$c",
            "unsafe value"
        ));
        assert_eq!(
            edits.text(ENV).unwrap(),
            "# Values moved out of the code by Liftoff. Keep this file private: never commit it.\n\
             VITE_BASE44_APP_ID=\"0123456789abcdef01234567\"\n"
        );
        assert_eq!(
            edits.text(ENV_EXAMPLE).unwrap(),
            "# The environment variables this project needs: copy this file to .env and fill in the values.

# Base44 app id: the id in your app's address on base44.com (app.base44.com/apps/<id>/...).
VITE_BASE44_APP_ID=

# a flag to set by hand
VITE_FEATURE_FLAG=
"
        );
        assert_eq!(
            env_names(&report),
            ["VITE_BASE44_APP_ID", "VITE_FEATURE_FLAG"]
        );
        assert_eq!(report.warnings.len(), 2);
        assert_no_values_in_report(&report, &["0123456789abcdef01234567", "a\"b$c"]);
    }

    /// No value appears in the report (changes, env, warnings).
    fn assert_no_values_in_report(report: &Report, values: &[&str]) {
        let json = serde_json::to_string(report).unwrap();
        let debug = format!("{report:?}");
        for value in values {
            assert!(
                !json.contains(value) && !debug.contains(value),
                "{value} in report"
            );
        }
    }
}
