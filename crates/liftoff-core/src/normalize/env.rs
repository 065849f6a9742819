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
mod tests;
