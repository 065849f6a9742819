//! Lovable (lovable.dev): its `source-code` JSON, the conversation with its API that fetches a
//! project, and the pass that removes its tagger, scripts, meta tags and `.lovable/`.

pub mod api;
pub mod cloud;
mod normalize;
pub mod official;
pub mod source_code;

pub use api::{LovableConfig, LovableExport};
pub use official::{LovableApiConfig, LovableApiExport};
pub use source_code::{parse_source_code, SourceCodeError};

use super::{
    mark, BuilderSpec, Credential, Fetch, FetchConversation, JsonFormat, Mark, RemoteSpec,
    VITE_CONFIGS,
};
use crate::capture::{CaptureError, Options, Read};
use crate::error::Coded;
use crate::net::Boxed;
use crate::report::{Builder, Report};
use crate::tree::{OnDuplicate, SourceTree};

/// Lovable's row of the registry.
pub const SPEC: BuilderSpec = BuilderSpec {
    builder: Builder::registered("lovable"),
    display: "Lovable",
    word: "project",
    address: "lovable.dev/projects/…",
    hosts: &["lovable.dev"],
    marks: MARKS,
    passes: PASSES,
    json: Some(JsonFormat {
        shape: "a Lovable source-code response {\"files\": [{\"name\", \"contents\", \"binary\"}]}",
        accepts: source_code::is_source_code,
        read: read_source_code,
    }),
    remote: Some(RemoteSpec {
        token_var: "LOVABLE_TOKEN",
        key_var: Some("LOVABLE_API_KEY"),
        key_help: "Create one in Lovable under Settings → Access tokens (it starts with lov_; \
                   Business and Enterprise plans); it reads your projects through Lovable’s \
                   documented API.",
        origins: &["https://api.lovable.dev", "https://lovable-api.com"],
        start: fetch,
    }),
    notes: NOTES,
};

/// Lovable's passes: its marks out, then its backend named (Lovable Cloud or the founder's own
/// Supabase).
const PASSES: &[crate::edit::Pass] = &[normalize::remove_lovable, cloud::name_backend];
const NOTES: fn(&crate::edit::Edits<'_>) -> super::Notes = cloud::notes;

const MARKS: &[Mark] = &[
    mark(|m| m.any_under(".lovable/")),
    mark(|m| m.any_under("public/lovable-uploads/")),
    mark(|m| {
        m.text("README.md")
            .starts_with("# Welcome to your Lovable project")
    }),
    mark(|m| m.any_text(VITE_CONFIGS, "lovable-tagger")),
    mark(|m| m.dependency("lovable-tagger")),
    mark(|m| m.any_text(&["index.html"], "lovable.dev/")),
    mark(|m| m.any_text(&["index.html"], "gptengineer.js")),
];

/// A saved `source-code` response.
fn read_source_code(
    name: &str,
    bytes: &[u8],
    _options: &Options,
    report: &mut Report,
) -> Result<Read, CaptureError> {
    let (files, skipped) = parse_source_code(name, bytes).map_err(CaptureError::format)?;
    for (path, reason) in skipped {
        report.skip(path, reason);
    }
    let mut tree = SourceTree::new();
    for (path, entry) in files {
        tree.insert_or_report(&path, entry, OnDuplicate::Refuse, report);
    }
    Ok(Read {
        source_name: name.into(),
        tree,
        ..Read::default()
    })
}

/// Fetches a project from Lovable's API: the official one with an API key, the session's
/// endpoints with a session token.
fn fetch(fetch: Fetch) -> Result<FetchConversation, CaptureError> {
    if fetch.credential == Credential::ApiKey {
        return official_fetch(fetch);
    }
    let mut config = LovableConfig::new(fetch.id, fetch.token);
    if let Some(api) = &fetch.api {
        config = config.with_api(api);
    }
    if let Some(git_ref) = fetch.git_ref {
        config.git_ref = git_ref;
    }
    config.options = fetch.options;
    Ok(Boxed::new(LovableExport::new(config)?))
}

fn official_fetch(fetch: Fetch) -> Result<FetchConversation, CaptureError> {
    let mut config = LovableApiConfig::new(fetch.id, fetch.token);
    if let Some(api) = fetch.api {
        config.api = api;
    }
    config.options = fetch.options;
    Ok(Boxed::new(LovableApiExport::new(config)?))
}

impl Coded for SourceCodeError {
    fn code(&self) -> &'static str {
        "unknown-input"
    }
}

/// The files fetched from either of Lovable's APIs as a capture, named after the project's id
/// when nothing better names it.
fn capture_project(
    project_id: &str,
    files: Vec<(String, crate::tree::FileEntry)>,
    skipped: Vec<(String, String)>,
    options: &crate::capture::Options,
) -> Result<crate::capture::Capture, CaptureError> {
    let label = format!("Lovable project {project_id}");
    let options = crate::capture::Options {
        fallback_name: Some(format!(
            "lovable-{}",
            &project_id[..project_id.len().min(8)]
        )),
        ..options.clone()
    };
    let input = crate::capture::Input::Files {
        name: &label,
        files,
        skipped,
    };
    crate::capture::capture(input, &options)
}
