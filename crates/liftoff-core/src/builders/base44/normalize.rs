//! Base44's marks: `@base44/vite-plugin` goes (keeping the `@/` alias it supplied), the app
//! id and server URL move out of the code into `VITE_BASE44_*` variables, the SDK client
//! gives way to the off-ramp ([`offramp`]: the same `base44` object on the founder's own
//! Supabase), and every place that calls Base44 (entities, integrations, functions, auth) is
//! listed by file and line as the migration plan, each marked served by the off-ramp or not.

use super::offramp;
use crate::edit::deps::remove_npm_dependency;
use crate::edit::env_vars::add_env_var;
use crate::edit::js::{remove_array_element, remove_import_of};
use crate::edit::Edits;
use crate::report::Tie;

const PLUGIN: &str = "@base44/vite-plugin";
const VITE_CONFIGS: &[&str] = &[
    "vite.config.js",
    "vite.config.ts",
    "vite.config.mjs",
    "vite.config.mts",
];
pub(super) const CLIENT: &str = "src/api/base44Client.js";
const APP_ID_REASON: &str =
    "the Base44 app id: where the app's data is (`liftoff export base44:<id>` reads its rows)";

/// Removes Base44's build-time plugin, moves its ids to the environment and lists its ties.
pub fn remove_base44(edits: &mut Edits<'_>) {
    if edits.report.builder != super::SPEC.builder {
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
    let plan = offramp::plan(edits);
    move_ids_to_env(edits, plan != offramp::Plan::Apply);
    let served = offramp::apply(edits, &plan);
    list_ties(edits, served);
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
/// the newer one reads `VITE_BASE44_APP_ID`, whose value is in `base44/.app.jsonc`. The
/// variables are registered either way (`liftoff export base44:<id>` reads the rows with the
/// id); the client is rewritten to read them only when it stays (`rewrite_client`).
fn move_ids_to_env(edits: &mut Edits<'_>, rewrite_client: bool) {
    if let Some(client) = edits.text(CLIENT) {
        let mut text = client.clone();
        for (key, var, what) in [
            ("appId", "VITE_BASE44_APP_ID", APP_ID_REASON),
            (
                "serverUrl",
                "VITE_BASE44_SERVER_URL",
                "the Base44 server the app's data is on",
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
        if !rewrite_client {
            return move_app_id_of_cli_layout(edits);
        }
        edits.set_text(
            CLIENT,
            text,
            "the Base44 app id and server URL come from VITE_BASE44_* variables",
        );
    }
    move_app_id_of_cli_layout(edits);
}

fn move_app_id_of_cli_layout(edits: &mut Edits<'_>) {
    if let Some(app) = edits.text("base44/.app.jsonc") {
        if let Some((_, id)) = string_property(&app, "\"id\"") {
            add_env_var(edits, "VITE_BASE44_APP_ID", &id, APP_ID_REASON);
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

/// Entity methods the off-ramp serves.
const ENTITY_SERVED: &[&str] = &[
    "list",
    "filter",
    "get",
    "create",
    "update",
    "delete",
    "deleteMany",
    "bulkCreate",
    "count",
];
/// Auth methods it serves.
const AUTH_SERVED: &[&str] = &[
    "me",
    "updateMe",
    "logout",
    "redirectToLogin",
    "isAuthenticated",
    "loginViaEmailPassword",
    "loginWithProvider",
    "register",
    "verifyOtp",
    "resendOtp",
    "resetPasswordRequest",
    "resetPassword",
    "setToken",
];

/// Whether `line` signs in with Base44's enterprise SSO (`loginWithProvider('sso', …)`), which
/// Supabase Auth reaches only through `signInWithSSO` and a domain: the off-ramp does not serve it.
fn enterprise_sso(line: &str) -> bool {
    [
        "loginWithProvider('sso'",
        "loginWithProvider(\"sso\"",
        "loginWithProvider(`sso`",
    ]
    .iter()
    .any(|call| line.contains(call))
}

/// A place that calls Base44: its kind, what it does, and whether the off-ramp serves it.
type Call = (&'static str, String, bool);

/// Whether the method after `name.` (if any) is one of `served`.
fn method_served(name: &str, served: &[&str]) -> bool {
    name.split('.')
        .nth(1)
        .is_none_or(|method| served.contains(&method))
}

/// What a line that calls Base44 does, if it does.
pub(crate) fn classify(line: &str) -> Option<Call> {
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
        let served = method_served(&name, ENTITY_SERVED);
        let what = match name.split_once('.') {
            Some((entity, _)) => format!("reads or writes the {entity} entity ({name})"),
            None => format!("reads or writes the {name} entity"),
        };
        return Some(("entity", what, served));
    }
    if let Some(name) = after("base44.auth") {
        let served = method_served(&format!("auth{name}"), AUTH_SERVED) && !enterprise_sso(t);
        return Some(("auth", "signs users in through Base44".into(), served));
    }
    if let Some(name) = after("base44.integrations.") {
        return Some((
            "integration",
            format!("calls the Base44 integration {name}"),
            integration_served(&name),
        ));
    }
    if t.contains("base44.functions") {
        return Some((
            "function",
            "invokes a Base44 backend function (through supabase.functions.invoke)".into(),
            true,
        ));
    }
    if t.contains("connectors.getAccessToken") {
        return Some((
            "connector",
            "reads a connector's OAuth token, which stayed on Base44".into(),
            false,
        ));
    }
    if t.starts_with("import") || t.starts_with("export") {
        for (module, kind, what, served) in [
            ("@base44/sdk", "sdk", "imports the Base44 SDK", false),
            ("api/entities", "entity", "imports Base44 entities", true),
            (
                "api/integrations",
                "integration",
                "imports Base44 integrations",
                true,
            ),
            (
                "api/functions",
                "function",
                "imports Base44 backend functions",
                true,
            ),
            ("api/base44Client", "sdk", "imports the Base44 client", true),
        ] {
            if t.contains(module) {
                return Some((kind, what.into(), served));
            }
        }
    }
    None
}

/// Whether the off-ramp serves an integration, `Core` or `Core.<Name>`.
fn integration_served(name: &str) -> bool {
    name == "Core"
        || name
            .strip_prefix("Core.")
            .is_some_and(offramp::integrations::served)
}

/// The member called on `name` in `line` (`""` for a call of `name` itself): `Task.subscribe(`
/// gives `subscribe`, `SendEmail(` gives `""`; `myTask.x(` and `a.Task.x(` give nothing.
fn call_of<'l>(line: &'l str, name: &str) -> Option<&'l str> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    line.match_indices(name).find_map(|(i, _)| {
        if line[..i].ends_with(|c: char| is_ident(c) || c == '.') {
            return None;
        }
        let rest = &line[i + name.len()..];
        let (member, after) = match rest.strip_prefix('.') {
            Some(r) => r.split_at(r.find(|c: char| !is_ident(c)).unwrap_or(r.len())),
            None => ("", rest),
        };
        after.starts_with('(').then_some(member)
    })
}

/// Calls made through names the app imports rather than through `base44.…`: what
/// `integrations.js` and `functions.js` export (`SendEmail(…)`, `Core.InvokeLLM(…)`,
/// `sendDigest(…)`, in files that import those modules), and, with the off-ramp, the calls it
/// does not serve through `entities.js`'s names (`Task.subscribe(…)`, `User.list(…)`).
fn call_through_names(line: &str, file: &str, names: &[Name]) -> Option<Call> {
    let t = line.trim();
    if t.starts_with("//") || t.starts_with('*') || t.starts_with("import") {
        return None;
    }
    names.iter().find_map(|(name, kind, module)| {
        if !module.is_empty() && !file.contains(module) {
            return None;
        }
        let member = call_of(t, name)?;
        let called = if member.is_empty() {
            name.clone()
        } else {
            format!("{name}.{member}")
        };
        let integration = |called: &str| {
            let name = called.strip_prefix("Core.").unwrap_or(called);
            integration_served(called) || offramp::integrations::served(name)
        };
        let (what, served) = match *kind {
            "integration" => (
                format!("calls the Base44 integration {called}"),
                integration(&called),
            ),
            "function" => (
                format!("invokes the Base44 backend function {called}"),
                true,
            ),
            _ => {
                let served = if *kind == "auth" {
                    AUTH_SERVED
                } else {
                    ENTITY_SERVED
                };
                if member.is_empty() || (served.contains(&member) && !enterprise_sso(t)) {
                    return None;
                }
                (
                    format!("calls {called}, which the off-ramp does not serve"),
                    false,
                )
            }
        };
        Some((*kind, what, served))
    })
}

/// A name the app calls Base44 through: the name, the tie kind, and the module a file must
/// mention for it to count (`""`: any file).
type Name = (String, &'static str, &'static str);

/// The names of [`call_through_names`] in this tree.
fn names_to_watch(edits: &Edits<'_>, offramp: bool) -> Vec<Name> {
    let mut names = Vec::new();
    for (module, kind) in [
        ("api/integrations", "integration"),
        ("api/functions", "function"),
    ] {
        let text = edits.text(&format!("src/{module}.js")).unwrap_or_default();
        for line in text.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("export const ") {
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .unwrap_or(rest.len());
                if let Some(name) = Some(&rest[..end]).filter(|n| !n.is_empty()) {
                    names.push((name.to_string(), kind, module));
                }
            }
        }
    }
    if offramp {
        let (entities, _) = super::schema::read_entities(edits.tree);
        names.extend(entities.into_iter().map(|e| (e.name, "entity", "")));
        names.push(("User".into(), "auth", ""));
    }
    names
}

/// Lists every remaining dependency on Base44, by file and line; `offramp` says whether the
/// off-ramp client is in place (then each tie says whether it serves it, and calls it does
/// not serve through `entities.js`'s names are listed too).
fn list_ties(edits: &mut Edits<'_>, offramp: bool) {
    const CODE: &[&str] = &["js", "jsx", "ts", "tsx", "mjs"];
    let names = names_to_watch(edits, offramp);
    let mut ties = Vec::new();
    for path in edits.paths() {
        let whole_file = if path.starts_with("entities/")
            || (path.starts_with("base44/entities/") && path.ends_with(".jsonc"))
        {
            Some((
                "entity schema",
                "an entity's schema: its rows live on Base44",
                true,
            ))
        } else if path.starts_with("functions/")
            || (path.starts_with("base44/functions/") && path.ends_with("function.jsonc"))
        {
            Some((
                "backend function",
                "a backend function that runs on Base44 (Deno)",
                false,
            ))
        } else {
            None
        };
        if let Some((kind, what, served)) = whole_file {
            ties.push(Tie {
                path,
                line: 0,
                kind: kind.into(),
                what: what.into(),
                served: offramp && served,
            });
            continue;
        }
        if let Some(slug) = ported_function(edits, &path) {
            ties.push(Tie {
                path: path.clone(),
                line: 0,
                kind: "backend function".into(),
                what: format!("a Base44 backend function, now the Edge Function {slug}"),
                served: true,
            });
            let text = edits.text(&path).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                if let Some((kind, what, served)) = classify(line).filter(|c| c.0 == "connector") {
                    ties.push(Tie {
                        path: path.clone(),
                        line: i + 1,
                        kind: kind.into(),
                        what,
                        served,
                    });
                }
            }
            continue;
        }
        // The off-ramp itself is Liftoff's module, not a tie.
        let is_code = path.starts_with("src/")
            && !(offramp && path == CLIENT)
            && path
                .rsplit_once('.')
                .is_some_and(|(_, e)| CODE.contains(&e));
        let Some(text) = is_code.then(|| edits.text(&path)).flatten() else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let call = classify(line).or_else(|| call_through_names(line, &text, &names));
            if let Some((kind, what, served)) = call {
                ties.push(Tie {
                    path: path.clone(),
                    line: i + 1,
                    kind: kind.into(),
                    what,
                    served: offramp && served,
                });
            }
        }
    }
    edits.report.ties = ties;
}

/// The Edge Function's name when `path` is a backend function Liftoff ported.
fn ported_function(edits: &Edits<'_>, path: &str) -> Option<String> {
    let slug = path
        .strip_prefix("supabase/functions/")?
        .strip_suffix("/index.ts")?;
    let text = edits.text(path)?;
    (!slug.contains('/') && text.starts_with(offramp::functions::PORTED_MARK))
        .then(|| slug.to_string())
}

#[cfg(test)]
mod tests;
