//! What the off-ramp writes beside the client for the Base44 calls that need a server: the
//! `base44-core` Edge Function (Core integrations), the server-side off-ramp for ported
//! functions, the Storage buckets' migration, the functions' secrets as
//! `supabase/functions/.env.example`, and the template's deep SDK import pointed at the client.

use super::functions::FUNCTIONS_DIR;
use super::texts::Texts;
use super::{CODE, SHARED};
use crate::builders::base44::normalize::CLIENT;
use crate::edit::Edits;

/// The Core integrations the `base44-core` Edge Function serves, with the secrets each needs.
pub const THROUGH_FUNCTION: &[(&str, &[&str])] = &[
    ("InvokeLLM", &["LLM_BASE_URL", "LLM_API_KEY", "LLM_MODEL"]),
    (
        "ExtractDataFromUploadedFile",
        &["LLM_BASE_URL", "LLM_API_KEY", "LLM_MODEL"],
    ),
    (
        "GenerateImage",
        &["LLM_BASE_URL", "LLM_API_KEY", "IMAGE_MODEL"],
    ),
    ("SendEmail", &["EMAIL_API_KEY", "EMAIL_FROM"]),
    (
        "SendSMS",
        &["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"],
    ),
];
/// The Core integrations on Supabase Storage (GenerateImage stores its images there too).
pub const ON_STORAGE: &[&str] = &[
    "UploadFile",
    "UploadPrivateFile",
    "CreateFileSignedUrl",
    "GenerateImage",
];
/// Every Core integration the off-ramp serves.
pub fn served(name: &str) -> bool {
    ON_STORAGE.contains(&name) || THROUGH_FUNCTION.iter().any(|(n, _)| *n == name)
}

const CORE_FUNCTION: &str = "supabase/functions/base44-core/index.ts";
const STORAGE_MIGRATION: &str = "supabase/migrations/20000101000001_liftoff_base44_storage.sql";
const FUNCTIONS_ENV: &str = "supabase/functions/.env.example";
/// The SDK's HTTP client, which the standard template imports for its public settings.
const AXIOS_CLIENT: &str = "@base44/sdk/dist/utils/axios-client";

/// The Core integrations named in the app's code or its ported functions.
fn used(edits: &Edits<'_>) -> Vec<&'static str> {
    let texts: Vec<String> = edits
        .paths()
        .into_iter()
        .filter(|p| {
            (p.starts_with("src/") || p.starts_with(&format!("{FUNCTIONS_DIR}/")))
                && p != CLIENT
                && p != SHARED
                && p.rsplit_once('.').is_some_and(|(_, e)| CODE.contains(&e))
        })
        .filter_map(|p| edits.text(&p))
        .collect();
    let mentioned = |name: &str| {
        texts.iter().any(|t| {
            t.lines()
                .any(|l| !l.trim_start().starts_with("//") && l.contains(name))
        })
    };
    THROUGH_FUNCTION
        .iter()
        .map(|(n, _)| *n)
        .chain(ON_STORAGE.iter().copied())
        .filter(|n| mentioned(n))
        .collect()
}

/// Writes what the integrations and ported functions need: `server` is the server-side
/// off-ramp when functions were ported; `function_env` the secrets they read.
pub fn write(
    edits: &mut Edits<'_>,
    texts: &Texts,
    server: String,
    ported: bool,
    function_env: &[String],
) {
    let used = used(edits);
    let core: Vec<&str> = THROUGH_FUNCTION
        .iter()
        .filter(|(n, _)| used.contains(n))
        .map(|(n, _)| *n)
        .collect();
    if ported || !core.is_empty() {
        edits.add_if_missing(
            SHARED,
            server.into_bytes(),
            "the off-ramp for backend functions (createClientFromRequest)",
        );
    }
    if !core.is_empty() {
        edits.add_if_missing(
            CORE_FUNCTION,
            texts.core.clone().into_bytes(),
            &format!("serves Core.{} with your providers", core.join(", Core.")),
        );
    }
    if used.iter().any(|n| ON_STORAGE.contains(n)) {
        edits.add_if_missing(
            STORAGE_MIGRATION,
            texts.storage.clone().into_bytes(),
            "Storage buckets for Base44's files",
        );
    }
    let mut names: Vec<&str> = Vec::new();
    for (n, vars) in THROUGH_FUNCTION {
        if used.contains(n) {
            for var in vars.iter() {
                if !names.contains(var) {
                    names.push(var);
                }
            }
        }
    }
    let example = secrets_example(&texts.secrets, &names, function_env);
    if !names.is_empty() || !function_env.is_empty() {
        edits.add_if_missing(
            FUNCTIONS_ENV,
            example.into_bytes(),
            "the Edge Functions' secrets",
        );
    }
}

/// `secrets.env` cut down to `names` (each with its comment) and the functions' own secrets
/// (under the file's last comment).
fn secrets_example(catalog: &str, names: &[&str], function_env: &[String]) -> String {
    let lines: Vec<&str> = catalog.lines().collect();
    let header = lines.iter().take_while(|l| l.starts_with('#')).count();
    let mut out: Vec<&str> = lines[..header.saturating_sub(1)].to_vec();
    let mut comment = None;
    for line in &lines[header.saturating_sub(1)..] {
        match line.split_once('=') {
            Some((name, _)) if names.contains(&name) => {
                out.extend(comment.take().into_iter().chain([*line]))
            }
            _ if line.starts_with('#') => comment = Some(*line),
            _ => comment = None,
        }
    }
    let mut text = out.join("\n") + "\n";
    for name in function_env.iter().filter(|n| !names.contains(&n.as_str())) {
        text.push_str(&format!("{}\n{name}=\n", comment.unwrap_or("#")));
    }
    text
}

/// The module path from `from`'s folder to the client, as an import writes it.
fn relative_to_client(from: &str) -> String {
    let dir: Vec<&str> = from.split('/').collect();
    let dir = &dir[..dir.len() - 1];
    let to: Vec<&str> = CLIENT.split('/').collect();
    let common = dir.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let ups = dir.len() - common;
    let up = if ups == 0 {
        "./".to_string()
    } else {
        "../".repeat(ups)
    };
    format!("{up}{}", to[common..].join("/"))
}

/// Points the template's import of the SDK's HTTP client at the off-ramp, which answers the
/// public-settings read itself.
pub fn rewrite_deep_imports(edits: &mut Edits<'_>) {
    for path in edits.paths() {
        if !path.starts_with("src/") || path == CLIENT {
            continue;
        }
        if !path
            .rsplit_once('.')
            .is_some_and(|(_, e)| CODE.contains(&e))
        {
            continue;
        }
        let Some(text) = edits.text(&path) else {
            continue;
        };
        let mut out = text.clone();
        for quote in ['\'', '"'] {
            for suffix in ["", ".js"] {
                out = out.replace(
                    &format!("{quote}{AXIOS_CLIENT}{suffix}{quote}"),
                    &format!("{quote}{}{quote}", relative_to_client(&path)),
                );
            }
        }
        if out != text {
            edits.set_text(
                &path,
                out,
                "createAxiosClient from the off-ramp (it answers the public settings)",
            );
        }
    }
}
