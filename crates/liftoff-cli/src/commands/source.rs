//! What every command that takes a project shares: the input and the `--builder`/`--chat`/`--raw`
//! choices, turned into the core's [`Export`] by the core's pipeline. This module only does the
//! I/O around it: reading a folder or a file, the session token from the environment, the HTTP
//! driver for a builder's API, and telling the person what the export noted.

use std::fs;
use std::path::Path;

use clap::builder::PossibleValuesParser;
use liftoff_core::builders::{self, remote_input, Credential};
use liftoff_core::capture::{CaptureError, Input};
use liftoff_core::pipeline::{self, Export, ExportOptions};
use liftoff_core::text::for_terminal;
use liftoff_core::Builder;
use thiserror::Error;

use crate::http;
use crate::input::{read_file, read_folder, InputError};

/// `--builder` values besides the registered builders.
const AUTO: &str = "auto";

/// `--builder`'s values: `auto`, every registered builder, `plain`.
pub fn builder_values() -> PossibleValuesParser {
    let ids = std::iter::once(AUTO)
        .chain(builders::ALL.iter().map(|s| s.builder.as_str()))
        .chain(std::iter::once(Builder::PLAIN.as_str()));
    PossibleValuesParser::new(ids)
}

/// An input's help, from the registry: the shapes every builder shares, the builders' own JSON
/// formats, and `<builder>:<id>` for those with an API (with their token variables).
pub fn input_help() -> String {
    let formats: Vec<&str> = builders::ALL
        .iter()
        .filter_map(|s| s.json.as_ref().map(|f| f.shape))
        .collect();
    let remotes: Vec<String> = builders::ALL
        .iter()
        .filter_map(|s| {
            let remote = s.remote.as_ref()?;
            let key = remote
                .key_var
                .map_or_else(String::new, |k| format!(", or an API key in {k}"));
            Some(format!(
                "`{}:<{}-id>` (token in {}{key})",
                s.builder, s.word, remote.token_var
            ))
        })
        .collect();
    format!(
        "A folder, .zip, .tar, .tar.gz/.tgz, .json ({}), or a project fetched from its builder's \
         API: {}",
        formats.join(", "),
        remotes.join(", ")
    )
}

/// The builder the person named with `--builder`, `None` for `auto`.
pub fn builder_choice(value: &str) -> Option<Builder> {
    if value == Builder::PLAIN.as_str() {
        return Some(Builder::PLAIN);
    }
    builders::by_id(value).map(|s| s.builder)
}

/// Why a project could not be read.
#[derive(Debug, Error)]
pub enum SourceError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Capture(#[from] CaptureError),
    #[error(
        "{input}: set {var} to your {builder} session token{key} (read from the environment only)",
        key = .key_var.map_or_else(String::new, |k| format!(", or {k} to a {} API key", .builder))
    )]
    MissingToken {
        input: String,
        var: &'static str,
        key_var: Option<&'static str>,
        builder: &'static str,
    },
}

/// A token from the environment variable `var`, trimmed; `None` when unset or blank.
pub fn env_token(var: &str) -> Option<String> {
    std::env::var(var)
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// The project at `input` through the core's pipeline: a folder, a file (archive or a builder's
/// JSON), or `<builder>:<id>` fetched from the builder's API (`builder_api`: its origin, default
/// the builder's own) with the key for its official API from its environment variable when set
/// (`LOVABLE_API_KEY`), else the session token from the builder's variable (`LOVABLE_TOKEN`). What the export
/// noted (rows read) is told on stderr.
pub fn export_input(
    input: &Path,
    options: &ExportOptions,
    builder_api: Option<&str>,
) -> Result<Export, SourceError> {
    let display = input.display().to_string();
    let remote = (!input.exists())
        .then(|| input.to_str().and_then(remote_input))
        .flatten();
    let export = if let Some((spec, id)) = remote {
        let remote = spec
            .remote
            .as_ref()
            .expect("remote_input names builders with an API");
        // An official API key first: the documented endpoints, one pinned commit.
        let key = remote.key_var.and_then(env_token);
        let (credential, token) = match key {
            Some(key) => (Credential::ApiKey, key),
            None => {
                let token = env_token(remote.token_var).ok_or(SourceError::MissingToken {
                    input: display,
                    var: remote.token_var,
                    key_var: remote.key_var,
                    builder: spec.display,
                })?;
                (Credential::Session, token)
            }
        };
        let api = builder_api.map(str::to_string);
        let session = pipeline::fetch_as(spec, id, credential, &token, api, options)?;
        http::drive_with_bar("fetching", session)?
    } else if input.is_dir() {
        let folder = read_folder(input)?;
        let name = folder_name(input);
        let files = Input::Files {
            name: &name,
            files: folder.files,
            skipped: folder.skipped,
        };
        pipeline::export(files, options)?
    } else {
        let bytes = read_file(input)?;
        let file = Input::Bytes {
            name: &display,
            bytes: &bytes,
        };
        pipeline::export(file, options)?
    };
    for note in &export.notes {
        eprintln!("liftoff: {}", for_terminal(note, crate::MESSAGE_CHARS));
    }
    Ok(export)
}

/// The folder's own name (`.` becomes the current folder's).
fn folder_name(path: &Path) -> String {
    fs::canonicalize(path)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "project".into())
}

/// The options every command that exports passes to the pipeline.
pub fn options(raw: bool, builder: &str, chat: Option<&String>) -> ExportOptions {
    ExportOptions {
        raw,
        builder: builder_choice(builder),
        chat: chat.cloned(),
        ..ExportOptions::default()
    }
}
