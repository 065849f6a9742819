//! One entry point from any input shape to a [`SourceTree`] plus its [`Report`]: a folder's
//! files, an archive, or a builder's JSON. The shape is decided by content, not by name.

use serde::Serialize;
use thiserror::Error;

use crate::archive::{read_archive, ArchiveError, ArchiveKind};
use crate::bolt::{read_history, BoltHistoryError};
use crate::detect::{detect_builder, detect_framework, project_name, slug};
use crate::limits::Limits;
use crate::report::{Builder, RecordedCommand, Report};
use crate::tree::{FileEntry, OnDuplicate, SourceTree};

/// What to capture.
#[derive(Debug)]
pub enum Input<'a> {
    /// Files read from a folder by the caller, with what it skipped (links, special files).
    Files {
        /// The folder's name, used to name the project.
        name: &'a str,
        files: Vec<(String, FileEntry)>,
        skipped: Vec<(String, String)>,
    },
    /// The bytes of a file the user gave: an archive or a builder's JSON.
    Bytes { name: &'a str, bytes: &'a [u8] },
}

/// Choices the user can make.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Overrides builder detection.
    pub builder: Option<Builder>,
    /// The Bolt chat to export (id or urlId); default the most recent.
    pub chat: Option<String>,
    pub limits: Limits,
    /// The project's name as the user knows it (a builder page's title): named first.
    pub name_hint: Option<String>,
    /// The name to use when nothing better is known (instead of the input's file name).
    pub fallback_name: Option<String>,
}

/// A captured project.
#[derive(Debug)]
pub struct Capture {
    /// A file-name-safe project name.
    pub name: String,
    pub tree: SourceTree,
    pub report: Report,
}

/// Why nothing could be captured.
#[derive(Debug, Error)]
pub enum CaptureError {
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error(transparent)]
    BoltHistory(#[from] BoltHistoryError),
    #[error("{name}: not a folder, zip, tar, tar.gz or Bolt history JSON")]
    UnknownInput { name: String },
    #[error(
        "{name}: JSON of an unknown shape; accepted: a Bolt history dump \
         {{\"chats\": [...], \"snapshots\": [...]}} or a Lovable source-code response \
         {{\"files\": [{{\"name\", \"contents\", \"binary\"}}]}}"
    )]
    UnknownJson { name: String },
    #[error("{name}: the project holds no files")]
    Empty { name: String },
    #[error(transparent)]
    Remote(#[from] crate::net::RemoteError),
    #[error("{builder}: '{id}' is not a valid id (letters, digits and '-' only)")]
    BadId { builder: &'static str, id: String },
    #[error("{name}: more than {max} files; refusing to fetch further")]
    TooManyFiles { name: String, max: usize },
    #[error("{name}: more than {} MiB; refusing to fetch further", max / (1024 * 1024))]
    TooLarge { name: String, max: u64 },
    #[error(transparent)]
    LovableSourceCode(#[from] crate::lovable::SourceCodeError),
}

impl CaptureError {
    /// A stable, machine-readable name for the kind of error, for front ends that word
    /// errors their own way (`bad-token`, `not-found`, `too-large`, `bad-archive`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Remote(remote) => remote.code(),
            Self::Archive(ArchiveError::Limit { .. })
            | Self::TooLarge { .. }
            | Self::TooManyFiles { .. } => "too-large",
            Self::Archive(_) => "bad-archive",
            Self::BoltHistory(BoltHistoryError::UnknownChat { .. }) => "unknown-chat",
            Self::BoltHistory(_) => "bad-history",
            Self::UnknownInput { .. } | Self::UnknownJson { .. } | Self::LovableSourceCode(_) => {
                "unknown-input"
            }
            Self::Empty { .. } => "empty",
            Self::BadId { .. } => "bad-id",
        }
    }
}

/// Folders that are never part of a project's source: dependencies and build output are
/// rebuilt by `npm ci && npm run build`. Callers walking a folder skip them early.
pub fn pruned_folder(name: &str) -> Option<&'static str> {
    match name {
        "node_modules" => Some("installed dependencies: npm ci reinstalls them"),
        ".git" => Some("the builder's git metadata is not part of the source"),
        _ => None,
    }
}

/// Reads `input` into a tree and a report.
pub fn capture(input: Input<'_>, options: &Options) -> Result<Capture, CaptureError> {
    let mut report = Report::default();
    let (source_name, tree, chat_name, commands) = match input {
        Input::Files {
            name,
            files,
            skipped,
        } => {
            for (path, reason) in skipped {
                report.skip(path, reason);
            }
            let mut tree = SourceTree::new();
            for (path, entry) in files {
                tree.insert_or_report(&path, entry, OnDuplicate::Refuse, &mut report);
            }
            (name.to_string(), tree, None, Vec::new())
        }
        Input::Bytes { name, bytes } => read_bytes(name, bytes, options, &mut report)?,
    };
    let tree = drop_pruned(tree, &mut report);
    if tree.is_empty() {
        return Err(CaptureError::Empty { name: source_name });
    }
    report.builder = options.builder.unwrap_or_else(|| detect_builder(&tree));
    report.framework = detect_framework(&tree);
    report.files = tree.len();
    report.commands = commands;
    let fallback = options
        .fallback_name
        .clone()
        .unwrap_or_else(|| stem(&source_name));
    let name = [
        chat_name,
        options.name_hint.clone(),
        project_name(&tree),
        Some(fallback),
    ]
    .into_iter()
    .flatten()
    .map(|n| slug(&n))
    .find(|s| !s.is_empty())
    .unwrap_or_else(|| "project".into());
    Ok(Capture { name, tree, report })
}

type Read = (String, SourceTree, Option<String>, Vec<RecordedCommand>);

fn read_bytes(
    name: &str,
    bytes: &[u8],
    options: &Options,
    report: &mut Report,
) -> Result<Read, CaptureError> {
    if ArchiveKind::sniff(bytes).is_some() || name.to_ascii_lowercase().ends_with(".tar") {
        let tree = read_archive(name, bytes, &options.limits, report)?;
        // A builder's download often wraps everything in one folder (`project/` for Bolt).
        let tree = match tree.single_root_folder() {
            Some(root) => {
                report.warnings.push(format!(
                    "every file sat under '{root}/'; that folder became the project root"
                ));
                tree.strip_root_folder(&root)
            }
            None => tree,
        };
        return Ok((name.into(), tree, None, Vec::new()));
    }
    if looks_like_json(bytes) {
        let json: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|_| CaptureError::UnknownJson { name: name.into() })?;
        if crate::lovable::source_code::is_source_code(&json) {
            let (files, skipped) = crate::lovable::parse_source_code(name, bytes)?;
            let mut tree = SourceTree::new();
            for (path, reason) in skipped {
                report.skip(path, reason);
            }
            for (path, entry) in files {
                tree.insert_or_report(&path, entry, OnDuplicate::Refuse, report);
            }
            return Ok((name.into(), tree, None, Vec::new()));
        }
        if json.get("chats").is_some_and(|c| c.is_array()) {
            let project = read_history(name, bytes, options.chat.as_deref(), report)?;
            let chat_name = project.description.clone().or(project.url_id.clone());
            return Ok((name.into(), project.tree, chat_name, project.commands));
        }
        return Err(CaptureError::UnknownJson { name: name.into() });
    }
    Err(CaptureError::UnknownInput { name: name.into() })
}

fn looks_like_json(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    start
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{')
}

/// Removes `node_modules/` and the like, reporting each pruned folder once.
fn drop_pruned(tree: SourceTree, report: &mut Report) -> SourceTree {
    let prunable = |path: &str| {
        path.split('/')
            .any(|segment| pruned_folder(segment).is_some())
    };
    if !tree.iter().any(|(path, _)| prunable(path.as_str())) {
        return tree;
    }
    let mut pruned: Vec<(String, &'static str)> = Vec::new();
    let mut kept = SourceTree::new();
    for (path, entry) in tree.into_files() {
        let text = path.as_str();
        let hit = text.match_indices('/').find_map(|(end, _)| {
            let start = text[..end].rfind('/').map_or(0, |i| i + 1);
            pruned_folder(&text[start..end]).map(|why| (text[..end].to_string(), why))
        });
        match hit {
            Some((folder, why)) => {
                if !pruned.iter().any(|(f, _)| f == &folder) {
                    pruned.push((folder, why));
                }
            }
            None => {
                kept.insert_path(path, entry, OnDuplicate::Refuse)
                    .expect("paths from a valid tree stay valid");
            }
        }
    }
    for (folder, why) in pruned {
        report.skip(format!("{folder}/"), why);
    }
    kept
}

/// `my-app.tar.gz` → `my-app`; `exports/my-app` → `my-app`.
fn stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    for ext in [".tar.gz", ".tgz", ".tar", ".zip", ".json"] {
        if lower.ends_with(ext) {
            return base[..base.len() - ext.len()].to_string();
        }
    }
    base.to_string()
}

/// A serializable summary of a capture, for the popup.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    pub builder: Builder,
    pub name: &'a str,
    pub files: usize,
    pub skipped: Vec<&'a crate::report::Change>,
}

impl Capture {
    /// What the popup shows before an export.
    pub fn summary(&self) -> Summary<'_> {
        Summary {
            builder: self.report.builder,
            name: &self.name,
            files: self.tree.len(),
            skipped: self
                .report
                .changes_with(crate::report::Action::Skipped)
                .collect(),
        }
    }
}
