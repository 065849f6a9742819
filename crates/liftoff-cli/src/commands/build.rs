//! Building an exported project for a destination that serves files (`deploy --to aws`): the
//! tree written to a temporary folder, `npm ci` (with a `package-lock.json`) or `npm install`,
//! then `npm run build`, each one's output shown on one progress line as it comes; the site
//! read back from the framework's output folder. A failed step stops everything with its last
//! lines: nothing is deployed. `--prebuilt DIR` reads a folder built elsewhere instead.

use std::collections::VecDeque;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

use indicatif::{ProgressBar, ProgressStyle};
use liftoff_core::destinations::aws::BuiltFile;
use liftoff_core::detect::static_output_dirs;
use liftoff_core::path::ProjectPath;
use liftoff_core::tree::SourceTree;
use thiserror::Error;

use crate::output::write_folder;

/// Lines of a failed step's output kept for its error.
const LAST_LINES: usize = 20;

/// Why there is nothing to deploy.
#[derive(Debug, Error)]
pub enum BuildError {
    #[error("the build could not start in {dir}: {source}")]
    Setup {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{step}` failed ({status}); nothing was deployed. Its last lines:\n{lines}")]
    Failed {
        step: String,
        status: String,
        lines: String,
    },
    #[error("`{step}` could not be run ({source}): is Node.js (npm) installed?")]
    Missing {
        step: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the build left no site: none of {dirs} exists in the project after `npm run build` (name it with --prebuilt after building yourself)")]
    NoOutput { dirs: String },
    #[error("{path}: {problem}")]
    BadFile { path: PathBuf, problem: String },
    #[error("{dir} holds no files to deploy")]
    Empty { dir: PathBuf },
}

/// Builds `tree` (`framework` as the core detected it) and returns the site's files.
pub fn build(tree: &SourceTree, framework: &str) -> Result<Vec<BuiltFile>, BuildError> {
    if tree.get("package.json").is_none() {
        // A plain site: its files are the site.
        return Ok(tree
            .iter()
            .filter(|(path, _)| !path.as_str().starts_with(".env"))
            .map(|(path, entry)| BuiltFile {
                path: path.as_str().to_string(),
                bytes: entry.bytes.clone(),
            })
            .collect());
    }
    let work = tempfile::Builder::new()
        .prefix("liftoff-build-")
        .tempdir()
        .map_err(|source| BuildError::Setup {
            dir: std::env::temp_dir(),
            source,
        })?;
    let project = work.path().join("project");
    write_folder(&project, tree, false, |_| {}).map_err(|e| BuildError::Setup {
        dir: project.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let install: &[&str] = if tree.get("package-lock.json").is_some() {
        &["ci", "--no-audit", "--no-fund"]
    } else {
        &["install", "--no-audit", "--no-fund"]
    };
    run_step(&project, install)?;
    run_step(&project, &["run", "build"])?;
    let dirs = static_output_dirs(framework);
    let out = dirs
        .iter()
        .map(|d| project.join(d))
        .find(|d| d.is_dir())
        .ok_or_else(|| BuildError::NoOutput {
            dirs: dirs.join(", "),
        })?;
    read_site(&out)
}

/// Runs `npm <args>` in `dir`, its output on one progress line; its last lines for the error.
fn run_step(dir: &Path, args: &[&str]) -> Result<(), BuildError> {
    let step = format!("npm {}", args.join(" "));
    let mut child = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .env("CI", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| BuildError::Missing {
            step: step.clone(),
            source,
        })?;
    let (send, lines) = mpsc::channel::<String>();
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|stream| {
        let send = send.clone();
        thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        })
    })
    .collect();
    drop(send);
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template("{prefix:>10} {spinner} {wide_msg}").expect("static template"),
    );
    spinner.set_prefix("building");
    let mut last: VecDeque<String> = VecDeque::with_capacity(LAST_LINES);
    for line in lines {
        spinner.set_message(format!("{step}: {line}"));
        spinner.tick();
        if last.len() == LAST_LINES {
            last.pop_front();
        }
        last.push_back(line);
    }
    for reader in readers {
        let _ = reader.join();
    }
    spinner.finish_and_clear();
    let status = child.wait().map_err(|source| BuildError::Missing {
        step: step.clone(),
        source,
    })?;
    if status.success() {
        return Ok(());
    }
    Err(BuildError::Failed {
        step,
        status: status.to_string(),
        lines: last.into_iter().collect::<Vec<_>>().join("\n"),
    })
}

/// The files under `dir` (a build's output, or `--prebuilt`): regular files only, each path
/// checked as the core checks a project's paths (no `..`, no `.git`, valid UTF-8); symlinks
/// are refused rather than followed.
pub fn read_site(dir: &Path) -> Result<Vec<BuiltFile>, BuildError> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = fs::read_dir(&folder).map_err(|e| BuildError::BadFile {
            path: folder.clone(),
            problem: e.to_string(),
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| BuildError::BadFile {
                path: folder.clone(),
                problem: e.to_string(),
            })?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| BuildError::BadFile {
                path: path.clone(),
                problem: e.to_string(),
            })?;
            if kind.is_symlink() {
                return Err(BuildError::BadFile {
                    path,
                    problem: "a symbolic link: Liftoff deploys regular files only".into(),
                });
            }
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .ok()
                .and_then(|r| r.to_str())
                .map(|r| r.replace('\\', "/"))
                .ok_or_else(|| BuildError::BadFile {
                    path: path.clone(),
                    problem: "the name is not valid UTF-8".into(),
                })?;
            let checked = ProjectPath::parse(&rel).map_err(|e| BuildError::BadFile {
                path: path.clone(),
                problem: e.to_string(),
            })?;
            let bytes = fs::read(&path).map_err(|e| BuildError::BadFile {
                path: path.clone(),
                problem: e.to_string(),
            })?;
            files.push(BuiltFile {
                path: checked.as_str().to_string(),
                bytes,
            });
        }
    }
    if files.is_empty() {
        return Err(BuildError::Empty {
            dir: dir.to_path_buf(),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
