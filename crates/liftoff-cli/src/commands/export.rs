//! `liftoff export`: the project through the core's pipeline, written as a zip or a folder, and
//! the report as JSON.

use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use liftoff_core::pipeline::Export;
use liftoff_core::zip_write::Level;
use liftoff_core::{Action, Report};
use thiserror::Error;

use super::source::{builder_values, export_input, input_help, options, SourceError};
use crate::output::{write_file, write_folder, write_streaming, OutputError};
use crate::progress::bar;
use crate::zip_out;

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
    /// Zip faster with larger files: deflate at level 1 instead of 6, about 3 times faster on
    /// text, which comes out about 40% larger (images and other compressed files are stored
    /// either way). The zip's bytes are the same whatever the number of threads.
    #[arg(long)]
    pub fast: bool,
    /// How many threads deflate the zip (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<NonZeroUsize>,
}

impl ExportArgs {
    /// The deflate level `--fast` chooses.
    fn level(&self) -> Level {
        if self.fast {
            Level::Fast
        } else {
            Level::Normal
        }
    }
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
    let threads = args.threads.unwrap_or_else(zip_out::default_threads);
    write_export(&export, &out, args.force, args.level(), threads)?;
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

/// A zip (deflated at `level` on `threads` threads, streamed to its temporary file) when
/// `out` ends in `.zip`, a folder otherwise; atomically.
fn write_export(
    export: &Export,
    out: &Path,
    force: bool,
    level: Level,
    threads: NonZeroUsize,
) -> Result<(), OutputError> {
    let total = export.tree.len() as u64;
    let is_zip = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        let pb = bar("zipping", total);
        let written = write_streaming(out, force, |file| {
            zip_out::write_zip(&export.tree, level, threads, file, |done| {
                pb.set_position(done as u64)
            })
        });
        pb.finish_and_clear();
        written
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
