//! `liftoff export`: read the input, capture it with the core, write a zip or a folder.
//! A `base44:<app-id>` input also gets its rows, read through Base44's API, as
//! `supabase/seed.sql` (beside the entities migration normalization writes); `--raw` keeps the
//! builder's files exactly as they are, so it reads no rows and writes no seed.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use liftoff_core::base44::rows::RowsError;
use liftoff_core::base44::{Base44Config, Base44Eject};
use liftoff_core::capture::{capture, Capture, CaptureError, Input, Options};
use liftoff_core::lovable::{LovableConfig, LovableExport};
use liftoff_core::normalize::{prepare, Edits};
use liftoff_core::zip_write::write_zip_with_progress;
use liftoff_core::Action;
use thiserror::Error;

use crate::base44_data;
use crate::http;
use crate::input::{read_file, read_folder, InputError};
use crate::output::{write_file, write_folder, OutputError};
use crate::progress::bar;
use crate::ExportArgs;

/// Why an export failed.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Capture(#[from] CaptureError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Rows(#[from] RowsError),
    #[error("{path}: {source}")]
    Report { path: PathBuf, source: io::Error },
    #[error(
        "{input}: set {var} to your {builder} session token (it is read from the environment only)"
    )]
    MissingToken {
        input: String,
        var: &'static str,
        builder: &'static str,
    },
}

/// A project fetched from a builder's API rather than read from disk.
enum Remote<'a> {
    Lovable(&'a str),
    Base44(&'a str),
}

fn remote_input(input: &Path) -> Option<Remote<'_>> {
    if input.exists() {
        return None;
    }
    let text = input.to_str()?;
    if let Some(id) = text.strip_prefix("lovable:") {
        Some(Remote::Lovable(id))
    } else {
        text.strip_prefix("base44:").map(Remote::Base44)
    }
}

fn token(input: &str, var: &'static str, builder: &'static str) -> Result<String, ExportError> {
    std::env::var(var)
        .ok()
        .filter(|t| !t.trim().is_empty())
        .ok_or(ExportError::MissingToken {
            input: input.into(),
            var,
            builder,
        })
}

/// Fetches a project from a builder's API (`api`: its origin, default the builder's own),
/// with a progress bar.
fn fetch_remote(
    remote: Remote<'_>,
    display: &str,
    api: Option<&str>,
    options: Options,
) -> Result<Capture, ExportError> {
    let pb = bar("fetching", 1);
    let on_progress = |done: u64, total: u64| {
        pb.set_length(total);
        pb.set_position(done);
    };
    let captured = match remote {
        Remote::Lovable(id) => {
            let mut config = LovableConfig::new(id, token(display, "LOVABLE_TOKEN", "Lovable")?);
            if let Some(api) = api {
                config = config.with_api(api);
            }
            config.options = options;
            http::drive(LovableExport::new(config)?, on_progress)?
        }
        Remote::Base44(id) => {
            let mut config = Base44Config::new(id, token(display, "BASE44_TOKEN", "Base44")?);
            if let Some(api) = api {
                config.api = api.to_string();
            }
            config.options = options;
            http::drive(Base44Eject::new(config)?, on_progress)?
        }
    };
    pb.finish_and_clear();
    Ok(captured)
}

pub fn run(args: &ExportArgs) -> Result<(), ExportError> {
    let options = Options {
        builder: args.builder.to_core(),
        chat: args.chat.clone(),
        ..Options::default()
    };
    let mut captured = read_input(&args.input, options, args.api.as_deref())?;
    if !args.raw {
        add_base44_seed(&mut captured, &args.input, args.api.as_deref())?;
    }
    prepare(&mut captured, args.raw);

    let out = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}-export.zip", captured.name)));
    let total = captured.tree.len();
    let is_zip = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        let pb = bar("zipping", total as u64);
        let bytes = write_zip_with_progress(&captured.tree, |done, _| pb.set_position(done as u64));
        pb.finish_and_clear();
        write_file(&out, &bytes, args.force)?;
    } else {
        let pb = bar("writing", total as u64);
        write_folder(&out, &captured.tree, args.force, |done| {
            pb.set_position(done as u64)
        })?;
        pb.finish_and_clear();
    }

    if let Some(path) = &args.report {
        write_report(path, &captured.report)?;
    }
    let skipped = captured.report.changes_with(Action::Skipped).count();
    eprintln!(
        "liftoff: exported {} files ({}, {}) to {}{}",
        total,
        captured.report.builder.as_str(),
        captured.report.framework,
        out.display(),
        match skipped {
            0 => String::new(),
            n => format!("; {n} skipped (see the report)"),
        }
    );
    Ok(())
}

/// For a `base44:<app-id>` input, the app's rows read through Base44's API (at `api`, like the
/// eject) as `supabase/seed.sql`, before normalization so that LIFTOFF.md and the report see
/// it.
pub fn add_base44_seed(
    captured: &mut Capture,
    input: &Path,
    api: Option<&str>,
) -> Result<(), ExportError> {
    let Some(app_id) = base44_data::remote_app(input) else {
        return Ok(());
    };
    let display = input.display().to_string();
    let mut edits = Edits::new(&mut captured.tree, &mut captured.report, &captured.name);
    base44_data::add_rows_seed(&mut edits, app_id, api, || {
        token(&display, "BASE44_TOKEN", "Base44")
    })?;
    Ok(())
}

/// Reads `input` into a capture (before normalization), as `liftoff export` does: a folder,
/// a file, or `lovable:<id>` / `base44:<id>` fetched from `builder_api` (default: the
/// builder's own origin).
pub fn read_input(
    input: &Path,
    options: Options,
    builder_api: Option<&str>,
) -> Result<Capture, ExportError> {
    let display = input.display().to_string();
    let captured = if let Some(remote) = remote_input(input) {
        fetch_remote(remote, &display, builder_api, options)?
    } else if input.is_dir() {
        let folder = read_folder(input)?;
        let name = folder_name(input);
        let input = Input::Files {
            name: &name,
            files: folder.files,
            skipped: folder.skipped,
        };
        capture(input, &options)?
    } else {
        let bytes = read_file(input)?;
        capture(
            Input::Bytes {
                name: &display,
                bytes: &bytes,
            },
            &options,
        )?
    };
    Ok(captured)
}

fn folder_name(path: &Path) -> String {
    fs::canonicalize(path)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "project".into())
}

fn write_report(path: &Path, report: &liftoff_core::Report) -> Result<(), ExportError> {
    let mut json = serde_json::to_vec_pretty(report).expect("a report always serializes");
    json.push(b'\n');
    let err = |source| ExportError::Report {
        path: path.to_path_buf(),
        source,
    };
    if path.as_os_str() == "-" {
        io::stdout().write_all(&json).map_err(err)
    } else {
        write_file(path, &json, true).map_err(|e| match e {
            OutputError::Io { source, .. } => err(source),
            other => ExportError::Output(other),
        })
    }
}
