//! `liftoff export`: the project through the core's pipeline, written as a zip or a folder, and
//! the report as JSON.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use liftoff_core::pipeline::Export;
use liftoff_core::{Action, Report};
use thiserror::Error;

use super::source::{builder_values, export_input, input_help, options, SourceError};
use crate::output::{write_file, write_folder, OutputError};
use crate::progress::bar;

/// Arguments of `liftoff export`. Names are a contract: extend, never rename.
#[derive(clap::Args)]
pub struct ExportArgs {
    #[arg(help = input_help())]
    pub input: PathBuf,
    /// Where to write: a path ending in .zip writes a zip, anything else a folder.
    /// Default: ./<project-name>-export.zip
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Capture only: the builder's files exactly as they are, no normalization (by default
    /// the builder's lock-in is removed and LIFTOFF.md says what changed).
    #[arg(long)]
    pub raw: bool,
    /// Write the report as JSON to FILE, or to standard output with `-`.
    #[arg(long, value_name = "FILE|-")]
    pub report: Option<PathBuf>,
    /// Which builder made the project; `auto` detects it from the files.
    #[arg(long, default_value = "auto", value_parser = builder_values())]
    pub builder: String,
    /// The Bolt chat to export (its id or urlId); default the most recent.
    #[arg(long, value_name = "ID")]
    pub chat: Option<String>,
    /// Replace an existing output file or a non-empty output folder.
    #[arg(long)]
    pub force: bool,
    /// The builder API's origin for `lovable:` and `base44:` inputs (default: the builder's
    /// own, e.g. https://api.lovable.dev).
    #[arg(long, value_name = "URL")]
    pub api: Option<String>,
}

/// Why an export failed.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("{path}: {source}")]
    Report { path: PathBuf, source: io::Error },
}

/// Runs `liftoff export`.
pub fn run(args: &ExportArgs) -> Result<(), ExportError> {
    let options = options(args.raw, &args.builder, args.chat.as_ref());
    let export = export_input(&args.input, &options, args.api.as_deref())?;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(export.file_name()));
    write_export(&export, &out, args.force)?;
    if let Some(path) = &args.report {
        write_report(path, &export.report)?;
    }
    let skipped = export.report.changes_with(Action::Skipped).count();
    eprintln!(
        "liftoff: exported {} ({}, {}) to {}{}",
        liftoff_core::text::count(export.tree.len() as u64, "file", "files"),
        export.report.builder.as_str(),
        export.report.framework,
        out.display(),
        match skipped {
            0 => String::new(),
            n => format!("; {n} skipped (see the report)"),
        }
    );
    Ok(())
}

/// A zip when `out` ends in `.zip`, a folder otherwise; atomically.
fn write_export(export: &Export, out: &Path, force: bool) -> Result<(), OutputError> {
    let total = export.tree.len() as u64;
    let is_zip = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        let pb = bar("zipping", total);
        let bytes = export.zip_with_progress(|done, _| pb.set_position(done as u64));
        pb.finish_and_clear();
        write_file(out, &bytes, force)
    } else {
        let pb = bar("writing", total);
        let written = write_folder(out, &export.tree, force, |done| {
            pb.set_position(done as u64)
        });
        pb.finish_and_clear();
        written
    }
}

fn write_report(path: &Path, report: &Report) -> Result<(), ExportError> {
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
