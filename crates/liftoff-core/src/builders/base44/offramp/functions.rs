//! Backend functions: Base44's Deno functions (`functions/<name>.ts`, or
//! `base44/functions/<dir>/` with `function.jsonc` naming it and its entry) become Supabase Edge
//! Functions (`supabase/functions/<slug>/index.ts`), the same code with `npm:@base44/sdk`
//! pointing at the server-side off-ramp (`supabase/functions/_shared/base44.ts`).
//!
//! Written by hand: it is a handful of string rules over import specifiers, which no parser
//! crate would make shorter within the WebAssembly budget.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::builders::base44::schema::strip_jsonc;
use crate::edit::Edits;

/// The folder of Supabase Edge Functions.
pub const FUNCTIONS_DIR: &str = "supabase/functions";
/// The server-side off-ramp, as ported functions import it.
pub const SHARED_IMPORT: &str = "../_shared/base44.ts";
/// The first line of a ported function: how the migration plan recognises it.
pub const PORTED_MARK: &str = "// liftoff: ported from ";
/// Names Liftoff's own files take under `supabase/functions/`.
const RESERVED: &[&str] = &["_shared", "base44-core"];
const SDK_SPECIFIER: &str = "npm:@base44/sdk";

/// A backend function found in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The name the app invokes it by (`base44.functions.invoke(name)`).
    pub name: String,
    /// Its entry file.
    pub entry: String,
    /// Other files of its folder (the CLI layout), ported beside it.
    pub extra: Vec<String>,
    /// What to remove once ported: its file, or its folder.
    pub origin: Origin,
}

/// Where a function came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `functions/<name>.ts`: one file.
    File(String),
    /// `base44/functions/<dir>/`: a folder.
    Folder(String),
}

/// A function as ported: its name and its Edge Function's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ported {
    pub name: String,
    pub slug: String,
}

/// Every backend function of the tree, by name.
pub fn find(edits: &Edits<'_>) -> Vec<Source> {
    let paths = edits.paths();
    let mut found = Vec::new();
    for path in &paths {
        let Some(file) = path.strip_prefix("functions/") else {
            continue;
        };
        let Some((stem, ext)) = file.rsplit_once('.') else {
            continue;
        };
        if !file.contains('/') && matches!(ext, "ts" | "js") && !stem.is_empty() {
            found.push(Source {
                name: stem.to_string(),
                entry: path.clone(),
                extra: Vec::new(),
                origin: Origin::File(path.clone()),
            });
        }
    }
    for path in &paths {
        let Some(dir) = path
            .strip_prefix("base44/functions/")
            .and_then(|rest| rest.strip_suffix("/function.jsonc"))
            .filter(|d| !d.contains('/'))
        else {
            continue;
        };
        let folder = format!("base44/functions/{dir}");
        let config: Value = edits
            .text(path)
            .and_then(|t| serde_json::from_str(&strip_jsonc(&t)).ok())
            .unwrap_or(Value::Null);
        let name = config["name"].as_str().unwrap_or(dir).to_string();
        let entry = [config["entry"].as_str(), Some("index.ts"), Some("entry.ts")]
            .into_iter()
            .flatten()
            .map(|e| format!("{folder}/{}", e.trim_start_matches("./")))
            .find(|e| edits.has(e));
        let Some(entry) = entry else { continue };
        let extra = paths
            .iter()
            .filter(|p| p.starts_with(&format!("{folder}/")) && **p != entry && **p != *path)
            .cloned()
            .collect();
        found.push(Source {
            name,
            entry,
            extra,
            origin: Origin::Folder(folder),
        });
    }
    found
}

/// The Edge Function name for `name`: itself when Supabase takes it (a letter, then letters,
/// digits, `-` and `_`), otherwise the nearest such name; never one of Liftoff's own, never
/// one already `taken`.
pub fn slug(name: &str, taken: &BTreeSet<String>) -> String {
    let mut slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !slug.starts_with(|c: char| c.is_ascii_alphabetic()) {
        slug = format!("fn-{slug}");
    }
    let base = slug.clone();
    let mut n = 2;
    while RESERVED.contains(&slug.as_str()) || taken.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// The function's code with its SDK import pointing at the off-ramp, and the problems left.
pub fn rewrite(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(SDK_SPECIFIER) {
        let quote = rest[..at].chars().last();
        let end = rest[at..]
            .find(|c: char| Some(c) == quote)
            .filter(|_| matches!(quote, Some('\'' | '"' | '`')));
        let Some(end) = end else {
            out.push_str(&rest[..at + SDK_SPECIFIER.len()]);
            rest = &rest[at + SDK_SPECIFIER.len()..];
            continue;
        };
        out.push_str(&rest[..at]);
        out.push_str(SHARED_IMPORT);
        rest = &rest[at + end..];
    }
    out.push_str(rest);
    let mut problems = Vec::new();
    if out.contains("@base44/sdk") {
        problems.push("it still names @base44/sdk".to_string());
    }
    if out.lines().any(|l| {
        l.trim_start().starts_with("import") && l.contains("'../") && !l.contains(SHARED_IMPORT)
    }) {
        problems.push("it imports files outside its folder".into());
    }
    (out, problems)
}

/// The `Deno.env.get('NAME')` names a function reads, besides the ones Supabase sets.
pub fn env_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in text.match_indices("Deno.env.get(") {
        let rest = &text[at + "Deno.env.get(".len()..];
        let Some(quote) = rest.chars().next().filter(|c| matches!(c, '\'' | '"')) else {
            continue;
        };
        let Some(end) = rest[1..].find(quote) else {
            continue;
        };
        let name = &rest[1..1 + end];
        let valid = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with("SUPABASE_");
        if valid && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

/// Ports every backend function; answers what was ported (names with their slugs), and the
/// environment variables they read.
pub fn port(edits: &mut Edits<'_>) -> (Vec<Ported>, Vec<String>) {
    let mut taken: BTreeSet<String> = edits
        .paths()
        .iter()
        .filter_map(|p| p.strip_prefix(&format!("{FUNCTIONS_DIR}/")))
        .filter_map(|p| p.split_once('/').map(|(d, _)| d.to_string()))
        .collect();
    let mut ported = Vec::new();
    let mut env = Vec::new();
    for source in find(edits) {
        let Some(text) = edits.text(&source.entry) else {
            edits.warn(format!("{}: not UTF-8, not ported", source.entry));
            continue;
        };
        let slug = slug(&source.name, &taken);
        taken.insert(slug.clone());
        let (code, problems) = rewrite(&text);
        let target = format!("{FUNCTIONS_DIR}/{slug}/index.ts");
        let header = format!(
            "{PORTED_MARK}{} by Liftoff: `supabase functions deploy {slug}`.\n",
            source.entry
        );
        edits.add_if_missing(
            &target,
            format!("{header}{code}").into_bytes(),
            &format!("the backend function {}, ported", source.name),
        );
        for extra in &source.extra {
            let file = extra.rsplit_once('/').map_or(extra.as_str(), |(_, f)| f);
            if let Some(bytes) = edits.tree.get(extra).map(|f| f.bytes.clone()) {
                let bytes = match String::from_utf8(bytes) {
                    Ok(t) => rewrite(&t).0.into_bytes(),
                    Err(e) => e.into_bytes(),
                };
                edits.add_if_missing(&format!("{FUNCTIONS_DIR}/{slug}/{file}"), bytes, "ported");
            }
        }
        for problem in problems {
            edits.warn(format!(
                "{target} (ported from {}): {problem}; see LIFTOFF.md",
                source.entry
            ));
        }
        for name in env_names(&code) {
            if !env.contains(&name) {
                env.push(name);
            }
        }
        let reason = format!("ported to {target}");
        match &source.origin {
            Origin::File(path) => edits.remove(path, &reason),
            Origin::Folder(folder) => edits.remove_folder(folder, &reason),
        }
        ported.push(Ported {
            name: source.name,
            slug,
        });
    }
    (ported, env)
}
