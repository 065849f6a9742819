//! Base44's marks: `@base44/vite-plugin` goes (keeping the `@/` alias it supplied), the app
//! id and server URL move out of the code into `VITE_BASE44_*` variables, and every place
//! that still calls Base44 (entities, integrations, functions, auth) is listed by file and
//! line as the migration plan. The app still talks to Base44 afterwards: the SDK stays.

use super::deps::remove_npm_dependency;
use super::edit::Edits;
use super::env::add_env_var;
use super::js::{remove_array_element, remove_import_of};
use crate::report::{Builder, Tie};

const PLUGIN: &str = "@base44/vite-plugin";
const VITE_CONFIGS: &[&str] = &[
    "vite.config.js",
    "vite.config.ts",
    "vite.config.mjs",
    "vite.config.mts",
];
const CLIENT: &str = "src/api/base44Client.js";

/// Removes Base44's build-time plugin, moves its ids to the environment and lists its ties.
pub fn remove_base44(edits: &mut Edits<'_>) {
    if edits.report.builder != Builder::Base44 {
        return;
    }
    for config in VITE_CONFIGS {
        remove_plugin_from_vite_config(edits, config);
    }
    remove_npm_dependency(
        edits,
        PLUGIN,
        "@base44/vite-plugin only serves Base44's editor (HMR notices, analytics, visual edit)",
    );
    move_ids_to_env(edits);
    list_ties(edits);
}

fn remove_plugin_from_vite_config(edits: &mut Edits<'_>, path: &str) {
    let Some(text) = edits.text(path) else {
        return;
    };
    if !text.contains(PLUGIN) {
        return;
    }
    let edited = remove_import_of(&text, PLUGIN).and_then(|(without_import, binding)| {
        let call = format!("{binding}(");
        let edited = remove_array_element(&without_import, &call)?;
        (!edited.contains(&call)).then_some(edited)
    });
    let Some(edited) = edited else {
        return edits.warn(format!(
            "{path} uses @base44/vite-plugin in a shape Liftoff does not recognise; remove its \
             import and plugin by hand and add the '@' alias to ./src"
        ));
    };
    let edited = if needs_alias(edits, &edited) {
        match with_src_alias(&edited) {
            Some(with_alias) => with_alias,
            None => {
                edits.warn(format!(
                    "{path}: the code imports '@/…', which @base44/vite-plugin resolved; add \
                     resolve.alias {{ '@': './src' }} by hand"
                ));
                edited
            }
        }
    } else {
        edited
    };
    edits.set_text(
        path,
        edited,
        "removed @base44/vite-plugin; the '@/' alias it supplied is now in resolve.alias",
    );
}

/// The code imports `@/…` and the config names no `@` alias of its own.
fn needs_alias(edits: &Edits<'_>, config: &str) -> bool {
    let has_alias = config.contains("'@'") || config.contains("\"@\"") || config.contains("'@/'");
    !has_alias
        && edits.paths().iter().any(|p| {
            p.starts_with("src/")
                && edits.text(p).is_some_and(|t| {
                    t.contains("from '@/") || t.contains("from \"@/") || t.contains("import('@/")
                })
        })
}

/// Adds `resolve.alias` for `@` → `./src` right inside `defineConfig({`.
fn with_src_alias(config: &str) -> Option<String> {
    let open = ["defineConfig({", "=> ({"]
        .iter()
        .find_map(|needle| config.find(needle).map(|i| i + needle.len()))?;
    let mut out = String::with_capacity(config.len() + 160);
    out.push_str("import { fileURLToPath, URL } from 'node:url'\n");
    out.push_str(&config[..open]);
    out.push_str("\n  resolve: {\n    alias: {\n      '@': fileURLToPath(new URL('./src', import.meta.url)),\n    },\n  },");
    out.push_str(&config[open..]);
    Some(out)
}

/// The older layout writes `appId: "<24 hex>"` (and sometimes `serverUrl`) into the client;
/// the newer one reads `VITE_BASE44_APP_ID`, whose value is in `base44/.app.jsonc`.
fn move_ids_to_env(edits: &mut Edits<'_>) {
    if let Some(client) = edits.text(CLIENT) {
        let mut text = client.clone();
        for (key, var, what) in [
            (
                "appId",
                "VITE_BASE44_APP_ID",
                "the Base44 app id the SDK talks to",
            ),
            (
                "serverUrl",
                "VITE_BASE44_SERVER_URL",
                "the Base44 server the SDK talks to",
            ),
        ] {
            let Some((range, value)) = string_property(&text, key) else {
                continue;
            };
            if value.is_empty() {
                continue;
            }
            if add_env_var(edits, var, &value, what) {
                text.replace_range(range, &format!("import.meta.env.{var}"));
            }
        }
        edits.set_text(
            CLIENT,
            text,
            "the Base44 app id and server URL come from VITE_BASE44_* variables",
        );
    }
    if let Some(app) = edits.text("base44/.app.jsonc") {
        if let Some((_, id)) = string_property(&app, "\"id\"") {
            add_env_var(
                edits,
                "VITE_BASE44_APP_ID",
                &id,
                "the Base44 app id the SDK talks to",
            );
        }
    }
}

/// Finds `key: "value"` (or `'value'`) and returns the literal's range (quotes included)
/// and the value.
fn string_property(text: &str, key: &str) -> Option<(std::ops::Range<usize>, String)> {
    let at = text.find(key)? + key.len();
    let rest = &text[at..];
    let colon = rest.find(':')?;
    if !rest[..colon].trim().is_empty() {
        return None;
    }
    let after = &rest[colon + 1..];
    let start_ws = after.len() - after.trim_start().len();
    let quoted = after.trim_start();
    let quote = quoted.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = quoted[1..].find(quote)?;
    let value = &quoted[1..1 + end];
    let start = at + colon + 1 + start_ws;
    Some((start..start + end + 2, value.to_string()))
}

/// What a line that calls Base44 does, if it does.
fn classify(line: &str) -> Option<(&'static str, String)> {
    let t = line.trim();
    if t.starts_with("//") || t.starts_with('*') {
        return None;
    }
    let after = |needle: &str| {
        t.find(needle).map(|i| {
            t[i + needle.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                .collect::<String>()
        })
    };
    if let Some(name) = after("base44.entities.") {
        return Some((
            "entity",
            format!("reads or writes the {name} entity through Base44"),
        ));
    }
    if t.contains("base44.auth") {
        return Some(("auth", "signs users in through Base44".into()));
    }
    if let Some(name) = after("base44.integrations.") {
        return Some((
            "integration",
            format!("calls the Base44 integration {name}"),
        ));
    }
    if t.contains("base44.functions") {
        return Some(("function", "invokes a Base44 backend function".into()));
    }
    if t.starts_with("import") || t.starts_with("export") {
        for (module, kind, what) in [
            ("@base44/sdk", "sdk", "imports the Base44 SDK"),
            ("api/entities", "entity", "imports Base44 entities"),
            (
                "api/integrations",
                "integration",
                "imports Base44 integrations",
            ),
            (
                "api/functions",
                "function",
                "imports Base44 backend functions",
            ),
            ("api/base44Client", "sdk", "imports the Base44 client"),
        ] {
            if t.contains(module) {
                return Some((kind, what.into()));
            }
        }
    }
    None
}

/// Lists every remaining dependency on Base44, by file and line.
fn list_ties(edits: &mut Edits<'_>) {
    const CODE: &[&str] = &["js", "jsx", "ts", "tsx", "mjs"];
    let mut ties = Vec::new();
    for path in edits.paths() {
        let whole_file = if path.starts_with("entities/")
            || (path.starts_with("base44/entities/") && path.ends_with(".jsonc"))
        {
            Some((
                "entity schema",
                "an entity's schema: its rows live on Base44",
            ))
        } else if path.starts_with("functions/")
            || (path.starts_with("base44/functions/") && path.ends_with("function.jsonc"))
        {
            Some((
                "backend function",
                "a backend function that runs on Base44 (Deno)",
            ))
        } else {
            None
        };
        if let Some((kind, what)) = whole_file {
            ties.push(Tie {
                path,
                line: 0,
                kind: kind.into(),
                what: what.into(),
            });
            continue;
        }
        let is_code = path.starts_with("src/")
            && path
                .rsplit_once('.')
                .is_some_and(|(_, e)| CODE.contains(&e));
        let Some(text) = is_code.then(|| edits.text(&path)).flatten() else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if let Some((kind, what)) = classify(line) {
                ties.push(Tie {
                    path: path.clone(),
                    line: i + 1,
                    kind: kind.into(),
                    what,
                });
            }
        }
    }
    edits.report.ties = ties;
}

#[cfg(test)]
mod tests;
