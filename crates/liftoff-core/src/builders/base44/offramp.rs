//! The off-ramp: the Base44 SDK client (`src/api/base44Client.js`, in both code layouts)
//! becomes a small module backed by `@supabase/supabase-js` that keeps the app's calls working
//! (`offramp/client.js`: entities on the tables of the entities migration, auth on Supabase
//! Auth, integrations and backend functions throwing an error that names what to replace). It
//! exports the same `base44`, so `entities.js`, `integrations.js`, `functions.js` and the app
//! import what they imported.
//!
//! `@base44/sdk` leaves `package.json` and `package-lock.json` with what only it needed, and
//! `@supabase/supabase-js` comes in with its whole dependency closure: a pinned set of lockfile
//! entries (`offramp/supabase-lock.json`), so `npm ci` works with npm alone. Those entries are
//! the `packages` of `tests/offramp/package-lock.json`, written by
//! `npm install --package-lock-only --before=2026-10-12 --omit-lockfile-registry-resolved=false`
//! and checked against the registry by that package's `npm ci` (a test keeps the two equal).
//!
//! Nothing is half done: a project whose files Liftoff cannot edit safely (no `package.json`, a
//! lockfile without a `packages` map, yarn or pnpm lockfiles, a conflicting supabase-js) keeps
//! the SDK, with a warning that says why. A client that already is the off-ramp is left alone,
//! so normalizing twice changes nothing and the founder's own edits to it survive.

pub mod functions;
pub mod integrations;
mod lock;
pub mod texts;

use serde_json::{Map, Value};

use super::normalize::CLIENT;
use crate::edit::deps::remove_npm_dependency;
use crate::edit::env_vars::add_env_var;
use crate::edit::json::{edit_json, print_like};
use crate::edit::Edits;
use crate::tree::SourceTree;

/// The first line of the module: how a client that already is the off-ramp is recognised.
const MARKER: &str = "// liftoff: base44 off-ramp.";
/// Where `client.js` goes in `browser.js` and `server.ts`.
const CLIENT_SLOT: &str = "//@liftoff-client\n";
/// The server-side off-ramp, beside the ported functions.
pub const SHARED: &str = "supabase/functions/_shared/base44.ts";
/// The Base44 SDK the off-ramp replaces.
pub const SDK: &str = "@base44/sdk";
/// The package the off-ramp stands on, and the one version whose entries are embedded.
pub const SUPABASE_JS: &str = "@supabase/supabase-js";
pub const SUPABASE_JS_VERSION: &str = "2.109.0";
/// Lockfiles Liftoff cannot add a package to.
const FOREIGN_LOCKFILES: &[&str] = &["yarn.lock", "pnpm-lock.yaml"];
pub(crate) const CODE: &[&str] = &["js", "jsx", "ts", "tsx", "mjs"];

/// What the off-ramp will do with a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Nothing to replace (no client file).
    Absent,
    /// The client already is the off-ramp.
    InPlace,
    /// The project cannot be edited safely: the SDK stays (the reason, for the warning).
    Refused(String),
    /// Replace the client and the dependency.
    Apply,
}

/// Whether `text` is the off-ramp module.
pub fn is_offramp(text: &str) -> bool {
    text.starts_with(MARKER)
}

/// Whether the tree's Base44 client is the off-ramp.
pub fn in_place(tree: &SourceTree) -> bool {
    tree.get(CLIENT)
        .is_some_and(|f| f.bytes.starts_with(MARKER.as_bytes()))
}

/// Decides, before anything is edited, whether the off-ramp can be applied.
pub fn plan(edits: &Edits<'_>) -> Plan {
    let Some(client) = edits.text(CLIENT) else {
        return if edits.has(CLIENT) {
            Plan::Refused(format!("{CLIENT} is not UTF-8 text"))
        } else {
            Plan::Absent
        };
    };
    if is_offramp(&client) {
        return Plan::InPlace;
    }
    if texts::texts().is_none() {
        return Plan::Refused("this build of Liftoff has not loaded the off-ramp's files".into());
    }
    match refusal(edits) {
        Some(why) => Plan::Refused(why),
        None => Plan::Apply,
    }
}

/// Why the dependency files cannot take the change, if they cannot.
fn refusal(edits: &Edits<'_>) -> Option<String> {
    let Some(manifest) = edits.text("package.json") else {
        return Some(
            "there is no package.json (as UTF-8 text) to add @supabase/supabase-js to".into(),
        );
    };
    let manifest: Value = match serde_json::from_str(&manifest) {
        Ok(v @ Value::Object(_)) => v,
        _ => return Some("package.json is not a JSON object".into()),
    };
    if let Some(foreign) = FOREIGN_LOCKFILES.iter().find(|f| edits.has(f)) {
        return Some(format!(
            "{foreign} is a lockfile Liftoff cannot add @supabase/supabase-js to"
        ));
    }
    if !edits.has("package-lock.json") {
        return None;
    }
    let mut lock: Value = match edits
        .text("package-lock.json")
        .and_then(|t| serde_json::from_str(&t).ok())
    {
        Some(v) => v,
        None => return Some("package-lock.json is not valid JSON".into()),
    };
    if let Some(why) = lock::shape_error(&lock) {
        return Some(format!("package-lock.json {why}"));
    }
    if declared(&manifest).is_some() {
        return None;
    }
    lock::add(&mut lock, SUPABASE_JS, &spec(), &entries())
        .err()
        .map(|why| format!("package-lock.json: {why}"))
}

/// The version range `package.json` declares for supabase-js, if it does.
fn declared(manifest: &Value) -> Option<&str> {
    [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ]
    .iter()
    .find_map(|k| manifest.get(*k)?.get(SUPABASE_JS)?.as_str())
}

/// What `package.json` gets: a caret range on the embedded version, as `npm install` writes.
fn spec() -> String {
    format!("^{SUPABASE_JS_VERSION}")
}

/// The pinned lockfile entries, by package name (none when the texts are not loaded, or not
/// a JSON object: then [`lock::add`] refuses and the off-ramp is not applied).
fn entries() -> Map<String, Value> {
    match texts::texts().map(|t| serde_json::from_str(&t.lock)) {
        Some(Ok(Value::Object(entries))) => entries,
        _ => Map::new(),
    }
}

/// Replaces the client and the dependency, as planned. Returns whether the off-ramp is in
/// place afterwards.
pub fn apply(edits: &mut Edits<'_>, plan: &Plan) -> bool {
    match plan {
        Plan::Absent => {
            if edits
                .text("package.json")
                .is_some_and(|t| t.contains("\"@base44/sdk\""))
            {
                edits.warn(
                    "The Base44 off-ramp was not applied: there is no src/api/base44Client.js to \
                     replace; the app still talks to Base44 through @base44/sdk",
                );
            }
            return false;
        }
        Plan::Refused(why) => {
            edits.warn(format!(
                "The Base44 off-ramp was not applied: {why}; the app still talks to Base44 \
                 through {SDK}, and the migration plan lists every call to replace"
            ));
            return false;
        }
        Plan::InPlace => {
            register_env(edits);
            return true;
        }
        Plan::Apply => {}
    }
    let Some(texts) = texts::texts() else {
        return false;
    };
    let original = edits.text(CLIENT).unwrap_or_default();
    let (ported, function_env) = functions::port(edits);
    let tables = tables_literal(edits.tree);
    let module = client_module(
        edits.tree,
        texts,
        &tables,
        requires_auth(&original),
        &ported,
    );
    let server = server_module(texts, &tables);
    integrations::write(edits, texts, server, !ported.is_empty(), &function_env);
    integrations::rewrite_deep_imports(edits);
    edits.set_text(
        CLIENT,
        module,
        "the Base44 SDK client replaced by Liftoff's off-ramp: the same `base44` object, backed \
         by your own Supabase through @supabase/supabase-js (LIFTOFF.md says what it serves)",
    );
    let importers = sdk_importers(edits);
    if importers.is_empty() {
        remove_npm_dependency(
            edits,
            SDK,
            "@base44/sdk removed: the off-ramp in src/api/base44Client.js replaces it",
        );
    } else {
        let (import, those) = match importers.len() {
            1 => ("imports", "that import"),
            _ => ("import", "those imports"),
        };
        edits.warn(format!(
            "@base44/sdk stays in package.json: {} still {import} it. The off-ramp serves the \
             calls made through {CLIENT}; replace {those}, then run `npm uninstall @base44/sdk`",
            importers.join(", ")
        ));
    }
    add_supabase_js(edits);
    register_env(edits);
    true
}

/// `client.js` in `outer`'s slot (`browser.js` or `server.ts`).
fn compose(outer: &str, client: &str) -> String {
    outer.replacen(CLIENT_SLOT, client, 1)
}

/// The app's own page for `page` (`src/pages/<page>.jsx` in the template), as its route.
fn page_route(tree: &SourceTree, page: &str) -> Option<String> {
    ["jsx", "tsx", "js"]
        .iter()
        .any(|ext| tree.get(&format!("src/pages/{page}.{ext}")).is_some())
        .then(|| format!("/{page}"))
}

/// The module for this tree: its entities' tables, whether sign-in comes first, its sign-in
/// and reset pages, and the functions whose names changed.
fn client_module(
    tree: &SourceTree,
    texts: &texts::Texts,
    tables: &str,
    requires_auth: bool,
    ported: &[functions::Ported],
) -> String {
    let mut renamed = Map::new();
    for f in ported.iter().filter(|f| f.name != f.slug) {
        renamed.insert(f.name.clone(), Value::from(f.slug.as_str()));
    }
    let login = page_route(tree, "Login").map_or(Value::Null, Value::from);
    let reset = page_route(tree, "ResetPassword").unwrap_or_else(|| "/reset-password".into());
    compose(&texts.browser, &texts.client)
        .replacen("__LIFTOFF_TABLES__", tables, 1)
        .replacen(
            "__LIFTOFF_REQUIRES_AUTH__",
            if requires_auth { "true" } else { "false" },
            1,
        )
        .replacen("__LIFTOFF_LOGIN_PATH__", &login.to_string(), 1)
        .replacen("__LIFTOFF_RESET_PATH__", &Value::from(reset).to_string(), 1)
        .replacen(
            "__LIFTOFF_FUNCTIONS__",
            &Value::Object(renamed).to_string(),
            1,
        )
}

/// The entity -> table map of the tree, as a JavaScript object literal.
fn tables_literal(tree: &SourceTree) -> String {
    let (schema, _) = super::schema::schema_of_tree(tree);
    let mut tables = String::from("{");
    for table in &schema.tables {
        tables.push_str(&format!(
            "\n  {}: {},",
            Value::from(table.entity.as_str()),
            Value::from(table.name.as_str())
        ));
    }
    if !schema.tables.is_empty() {
        tables.push('\n');
    }
    tables.push('}');
    tables
}

/// The server-side off-ramp for ported functions: `client.js` in `server.ts`, on supabase-js
/// from npm, with no tables of its own (the migration's snake_case rule names them).
fn server_module(texts: &texts::Texts, tables: &str) -> String {
    compose(&texts.server, &texts.client)
        .replacen(
            &format!("from '{SUPABASE_JS}'"),
            &format!("from 'npm:{SUPABASE_JS}@{SUPABASE_JS_VERSION}'"),
            1,
        )
        .replacen("__LIFTOFF_TABLES__", tables, 1)
        .replacen("__LIFTOFF_REQUIRES_AUTH__", "false", 1)
        .replacen("__LIFTOFF_LOGIN_PATH__", "null", 1)
        .replacen("__LIFTOFF_RESET_PATH__", "'/reset-password'", 1)
        .replacen("__LIFTOFF_FUNCTIONS__", "{}", 1)
}

/// `requiresAuth: true` in the original client's options.
fn requires_auth(client: &str) -> bool {
    client.match_indices("requiresAuth").any(|(i, key)| {
        let rest = client[i + key.len()..].trim_start();
        rest.strip_prefix(':')
            .is_some_and(|r| r.trim_start().starts_with("true"))
    })
}

/// Code under `src/` other than the client that imports the SDK itself.
fn sdk_importers(edits: &Edits<'_>) -> Vec<String> {
    let quoted = [format!("'{SDK}"), format!("\"{SDK}"), format!("`{SDK}")];
    edits
        .paths()
        .into_iter()
        .filter(|p| {
            p != CLIENT
                && p.starts_with("src/")
                && p.rsplit_once('.').is_some_and(|(_, e)| CODE.contains(&e))
        })
        .filter(|p| {
            edits.text(p).is_some_and(|t| {
                t.lines().any(|l| {
                    let l = l.trim_start();
                    !l.starts_with("//") && quoted.iter().any(|q| l.contains(q.as_str()))
                })
            })
        })
        .collect()
}

/// `@supabase/supabase-js` into `package.json`'s dependencies and the lockfile (checked
/// beforehand by [`plan`]), unless `package.json` already declares it.
fn add_supabase_js(edits: &mut Edits<'_>) {
    let Some(manifest) = edits.text("package.json") else {
        return;
    };
    let spec = spec();
    let edited = edit_json(&manifest, |v| {
        if declared(v).is_some() {
            return false;
        }
        lock::add_dependency(v, SUPABASE_JS, &spec)
    });
    let Some(edited) = edited else {
        return;
    };
    edits.set_text(
        "package.json",
        edited,
        "@supabase/supabase-js added for the off-ramp in src/api/base44Client.js",
    );
    let Some(text) = edits.text("package-lock.json") else {
        return;
    };
    let Ok(mut lock) = serde_json::from_str::<Value>(&text) else {
        return;
    };
    match lock::add(&mut lock, SUPABASE_JS, &spec, &entries()) {
        Ok(true) => edits.set_text(
            "package-lock.json",
            print_like(&lock, &text),
            &format!(
                "@supabase/supabase-js {SUPABASE_JS_VERSION} and what it needs added to the \
                 lockfile (pinned entries with their integrity), so npm ci agrees with \
                 package.json"
            ),
        ),
        Ok(false) => {}
        Err(why) => edits.warn(format!(
            "package-lock.json: {why}; run npm install once to add @supabase/supabase-js"
        )),
    }
}

/// The two variables the module reads, in `.env.example` (no values) and the report.
fn register_env(edits: &mut Edits<'_>) {
    add_env_var(
        edits,
        "VITE_SUPABASE_URL",
        "",
        "the Supabase project the Base44 off-ramp (src/api/base44Client.js) talks to",
    );
    add_env_var(
        edits,
        "VITE_SUPABASE_ANON_KEY",
        "",
        "the anon key of that Supabase project, public by design (row-level security guards the rows)",
    );
}

/// The notes LIFTOFF.md gives when the off-ramp is in place (when this build has them).
pub fn notes_md() -> Option<&'static str> {
    texts::texts().map(|t| t.notes.as_str())
}

#[cfg(test)]
mod tests;
