//! Adding an environment variable to a project the one safe way: its value into `.env`, its
//! name into `.env.example` and `report.env`, and never its value anywhere else.
//!
//! Every variable goes through [`add_env_var`], which merges it straight into `.env`,
//! `.env.example` and `report.env`. It is idempotent and existing values win, so any pass may
//! call it, in any order, any number of times: there is no collect-then-write step to order
//! passes around.

use super::Edits;
use crate::env_file::{is_safe_value, is_var_name, one_line, parse_env, ENV, ENV_EXAMPLE};
use crate::report::EnvVar;

const ENV_HEADER: &str =
    "# Values moved out of the code by Liftoff. Keep this file private: never commit it.\n";
const ENV_EXAMPLE_HEADER: &str =
    "# The environment variables this project needs: copy this file to .env and fill in the values.\n";
const ENV_REASON: &str =
    "environment values moved out of the code (keep it private: never commit it)";
const ENV_EXAMPLE_REASON: &str =
    "names of the environment variables the project needs, without values";

/// Registers a variable: appends `NAME="value"` to `.env` unless the name is already there
/// (existing values win; a different value gets a warning that names the variable only),
/// appends `NAME=` with a comment to `.env.example` unless listed, and lists the name in
/// `report.env` with `reason` unless listed. An empty value lists the name without writing
/// `.env`. Idempotent.
///
/// `reason` says what the variable is for and where it came from; it is also the
/// `.env.example` comment for names this module has no hint of its own for.
///
/// Returns whether the variable is registered. `false` (with a warning) when the name is not a
/// valid variable name, the value cannot be written to `.env` safely (quotes, `\`, `$`, line
/// breaks), or `.env` is not text: the caller must then leave its code as it is.
pub fn add_env_var(edits: &mut Edits<'_>, name: &str, value: &str, reason: &str) -> bool {
    if !is_var_name(name) {
        edits.warn(format!(
            "not a valid environment variable name: {}",
            one_line(name)
        ));
        return false;
    }
    if !value.is_empty() && !is_safe_value(value) {
        edits.warn(format!(
            "{name}: its value holds characters .env cannot keep as they are; set it by hand"
        ));
        return false;
    }
    if !value.is_empty() && !merge_into_env(edits, name, value, reason) {
        return false;
    }
    merge_into_example(edits, name, reason);
    note_in_report(edits, name, reason);
    true
}

/// Adds `name` to `.env` unless present. Returns false when `.env` is not text.
fn merge_into_env(edits: &mut Edits<'_>, name: &str, value: &str, reason: &str) -> bool {
    let existing = if edits.has(ENV) {
        let Some(text) = edits.text(ENV) else {
            edits.warn(format!(
                "{ENV} is not UTF-8 text: left as it is; add {name} to it by hand"
            ));
            return false;
        };
        text
    } else {
        ENV_HEADER.to_string()
    };
    if let Some(old) = parse_env(&existing).into_iter().find(|v| v.name == name) {
        if old.value != value {
            edits.warn(format!(
                "{name}: the value in {ENV} differs from the one found ({}); {ENV}'s value is kept",
                one_line(reason)
            ));
        }
        return true;
    }
    let text = append_line(existing, &format!("{name}=\"{value}\""));
    // A file that ends inside a quoted value (`KEY="…` never closed) would swallow the new
    // line into it: check that the variable reads back before writing.
    let reads_back = parse_env(&text)
        .iter()
        .any(|v| v.name == name && v.value == value);
    if !reads_back {
        edits.warn(format!(
            "{ENV} ends inside a quoted value that is never closed: left as it is; add {name} to \
             it by hand"
        ));
        return false;
    }
    write_once(edits, ENV, text, ENV_REASON);
    true
}

/// Adds `NAME=` to `.env.example`, unless listed, under a comment saying where to get it:
/// this module's own hint for names it knows, `fallback` for others.
pub fn merge_into_example(edits: &mut Edits<'_>, name: &str, fallback: &str) {
    let existing = if edits.has(ENV_EXAMPLE) {
        let Some(text) = edits.text(ENV_EXAMPLE) else {
            edits.warn(format!(
                "{ENV_EXAMPLE} is not UTF-8 text: left as it is; add {name} to it by hand"
            ));
            return;
        };
        text
    } else {
        ENV_EXAMPLE_HEADER.to_string()
    };
    if parse_env(&existing).iter().any(|v| v.name == name) {
        return;
    }
    let hint = known_var(name).map_or_else(|| one_line(fallback), |k| k.where_to_get.to_string());
    let text = append_line(existing, &format!("\n# {hint}\n{name}="));
    if !parse_env(&text).iter().any(|v| v.name == name) {
        edits.warn(format!(
            "{ENV_EXAMPLE} ends inside a quoted value that is never closed: left as it is; list \
             {name} in it by hand"
        ));
        return;
    }
    write_once(edits, ENV_EXAMPLE, text, ENV_EXAMPLE_REASON);
}

/// Writes a file, recording it once: a file this module already added or edited for the same
/// reason is not recorded again (variables arrive one by one).
fn write_once(edits: &mut Edits<'_>, path: &str, text: String, reason: &str) {
    let before = edits.report.changes.len();
    edits.write(path, text.into_bytes(), reason);
    let recorded_before = edits.report.changes[..before]
        .iter()
        .any(|c| c.path == path && c.reason == reason);
    if recorded_before && edits.report.changes.len() > before {
        edits.report.changes.truncate(before);
    }
}

/// Lists `name` in `report.env` unless it is there already.
pub fn note_in_report(edits: &mut Edits<'_>, name: &str, reason: &str) {
    if edits.report.env.iter().all(|v| v.name != name) {
        edits.report.env.push(EnvVar {
            name: name.to_string(),
            reason: one_line(reason),
        });
    }
}

/// `text` with `line` appended on a line of its own.
fn append_line(mut text: String, line: &str) -> String {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    text
}

/// What Liftoff knows about a variable it commonly moves.
struct KnownVar {
    name: &'static str,
    /// What it is, for the report.
    purpose: &'static str,
    /// Where to get it, for `.env.example`.
    where_to_get: &'static str,
}

const KNOWN_VARS: &[KnownVar] = &[
    KnownVar {
        name: "VITE_SUPABASE_URL",
        purpose: "Supabase project URL",
        where_to_get: "Supabase project URL: Supabase dashboard > Project Settings > Data API > Project URL.",
    },
    KnownVar {
        name: "VITE_SUPABASE_PUBLISHABLE_KEY",
        purpose: "Supabase publishable (anon) key, public by design",
        where_to_get: "Supabase publishable (anon) key, safe in the browser: Supabase dashboard > Project Settings > API Keys.",
    },
    KnownVar {
        name: "VITE_SUPABASE_ANON_KEY",
        purpose: "Supabase anon key, public by design",
        where_to_get: "Supabase anon (publishable) key, safe in the browser: Supabase dashboard > Project Settings > API Keys.",
    },
    KnownVar {
        name: "VITE_BASE44_APP_ID",
        purpose: "Base44 app id",
        where_to_get: "Base44 app id: the id in your app's address on base44.com (app.base44.com/apps/<id>/...).",
    },
    KnownVar {
        name: "VITE_SUPABASE_PROJECT_ID",
        purpose: "Supabase project ref",
        where_to_get: "Supabase project ref: Supabase dashboard > Project Settings > General > Project ID.",
    },
];

fn known_var(name: &str) -> Option<&'static KnownVar> {
    KNOWN_VARS.iter().find(|k| k.name == name)
}

/// "`purpose`; `origin`" for known names, `origin` otherwise.
pub fn reason_for(name: &str, origin: &str) -> String {
    match known_var(name) {
        Some(known) => format!("{}; {origin}", known.purpose),
        None => origin.to_string(),
    }
}
