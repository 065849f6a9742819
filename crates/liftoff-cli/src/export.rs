//! `liftoff export`: read the input, capture it with the core, write a zip or a folder.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use liftoff_core::capture::{capture, CaptureError, Input, Options};
use liftoff_core::zip_write::write_zip_with_progress;
use liftoff_core::Action;
use thiserror::Error;

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
    #[error("{path}: {source}")]
    Report { path: PathBuf, source: io::Error },
}

pub fn run(args: &ExportArgs) -> Result<(), ExportError> {
    let options = Options {
        builder: args.builder.to_core(),
        chat: args.chat.clone(),
        ..Options::default()
    };
    let display = args.input.display().to_string();
    let captured = if args.input.is_dir() {
        let folder = read_folder(&args.input)?;
        let name = folder_name(&args.input);
        let input = Input::Files {
            name: &name,
            files: folder.files,
            skipped: folder.skipped,
        };
        capture(input, &options)?
    } else {
        let bytes = read_file(&args.input)?;
        capture(
            Input::Bytes {
                name: &display,
                bytes: &bytes,
            },
            &options,
        )?
    };
    // Normalization arrives with issue 4; until then `--raw` and the default are the same.
    let _ = args.raw;

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
