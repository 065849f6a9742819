//! From the inputs every builder shares (a folder's files, an archive) to a [`SourceTree`] plus
//! its [`Report`], pruned and named: a [`Capture`]. A builder's own formats (Bolt's history
//! dump, Lovable's `source-code` JSON) are read by the builder's module into a [`Read`], which
//! [`finish`] turns into a capture the same way; which reader takes an input is the pipeline's
//! choice (`crate::pipeline`), made by content, not by name. No builder is known here.

use serde::Serialize;
use thiserror::Error;

use crate::archive::{read_archive, ArchiveError, ArchiveKind};
use crate::detect::{detect_framework, project_name, slug};
use crate::error::{Coded, Details};
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
    /// The builder, when known (the user said, or the builder's own API sent the project);
    /// otherwise the pipeline detects it from the tree's marks.
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
    /// What a front end tells its user as the export finishes, beside the report (how many of
    /// a Base44 app's rows were read).
    pub notes: Vec<String>,
}

/// A tree as read from one input, before pruning, naming and detection.
#[derive(Debug, Default)]
pub struct Read {
    /// The input's name (a file name, a folder's name, a label), the last resort for naming.
    pub source_name: String,
    pub tree: SourceTree,
    /// The project's own title, when the input carries one (a Bolt chat's description).
    pub title: Option<String>,
    /// Commands the builder ran, when it records them.
    pub commands: Vec<RecordedCommand>,
}

/// Why nothing could be captured.
#[derive(Debug, Error)]
pub enum CaptureError {
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A builder's own format that did not read (its module says why, with a code).
    #[error("{0}")]
    Format(Box<dyn Coded + Send + Sync>),
    #[error("{name}: not a folder, zip, tar, tar.gz or a builder's JSON")]
    UnknownInput { name: String },
    #[error("{name}: not valid JSON: {detail}")]
    BadJson {
        name: String,
        /// What is wrong and where (`expected value at line 3 column 7`).
        detail: String,
    },
    #[error("{name}: {limit}; refusing to read further")]
    InputLimit {
        name: String,
        limit: crate::archive::LimitKind,
    },
    #[error("{name}: JSON of an unknown shape; accepted: {accepted}")]
    UnknownJson {
        name: String,
        /// The registered builders' formats, described.
        accepted: String,
    },
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
}

impl CaptureError {
    /// A builder format's error.
    pub fn format(error: impl Coded + Send + Sync + 'static) -> Self {
        Self::Format(Box::new(error))
    }
}

impl Coded for CaptureError {
    /// `bad-token`, `not-found`, `too-large`, `bad-archive`, `unknown-input`, … (front ends
    /// word errors their own way).
    fn code(&self) -> &'static str {
        match self {
            Self::Remote(remote) => remote.code(),
            Self::Archive(ArchiveError::Limit { .. })
            | Self::InputLimit { .. }
            | Self::TooLarge { .. }
            | Self::TooManyFiles { .. } => "too-large",
            Self::Archive(_) => "bad-archive",
            Self::Format(format) => format.code(),
            Self::UnknownInput { .. } | Self::UnknownJson { .. } | Self::BadJson { .. } => {
                "unknown-input"
            }
            Self::Empty { .. } => "empty",
            Self::BadId { .. } => "bad-id",
        }
    }

    fn details(&self) -> Details {
        match self {
            Self::Remote(remote) => remote.details(),
            Self::Format(format) => format.details(),
            _ => Details::default(),
        }
    }
}

/// Folders that are never part of a project's source: dependencies, git metadata and build
/// caches are rebuilt by `npm ci && npm run build` (Bolt's download carries `.angular/cache`).
/// `folder` is the folder's path in the project (`a/b/node_modules`); callers walking a folder
/// skip what this names early.
pub fn pruned_folder(folder: &str) -> Option<&'static str> {
    let mut segments = folder.rsplit('/');
    let name = segments.next().unwrap_or(folder);
    match name {
        "node_modules" => Some("installed dependencies: npm ci reinstalls them"),
        ".git" => Some("the builder's git metadata is not part of the source"),
        ".next" | ".nuxt" | ".svelte-kit" | ".vite" | ".turbo" | ".parcel-cache" => {
            Some("a build cache: the build makes it again")
        }
        "cache" if segments.next() == Some(".angular") => {
            Some("a build cache: the build makes it again")
        }
        _ => None,
    }
}

/// Reads a folder's files or an archive into a capture; the builder is `options.builder` (the
/// pipeline detects it when that is `None`). A builder's JSON is not read here: see
/// `crate::pipeline::capture`.
pub fn capture(input: Input<'_>, options: &Options) -> Result<Capture, CaptureError> {
    let mut report = Report::default();
    let read = match input {
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
            Read {
                source_name: name.to_string(),
                tree,
                ..Read::default()
            }
        }
        Input::Bytes { name, bytes } => read_archive_bytes(name, bytes, options, &mut report)?,
    };
    finish(read, options, report)
}

/// A read tree as a capture: pruned (`node_modules/`, `.git/`), refused when empty, its
/// framework found and its name chosen (the title, the caller's hint, the project's own name,
/// then the input's).
pub fn finish(read: Read, options: &Options, mut report: Report) -> Result<Capture, CaptureError> {
    let tree = drop_pruned(read.tree, &mut report);
    if tree.is_empty() {
        return Err(CaptureError::Empty {
            name: read.source_name,
        });
    }
    report.builder = options.builder.unwrap_or_default();
    report.framework = detect_framework(&tree);
    report.files = tree.len();
    report.commands = read.commands;
    let fallback = options
        .fallback_name
        .clone()
        .unwrap_or_else(|| stem(&read.source_name));
    let name = [
        read.title,
        options.name_hint.clone(),
        project_name(&tree),
        Some(fallback),
    ]
    .into_iter()
    .flatten()
    .map(|n| slug(&n))
    .find(|s| !s.is_empty())
    .unwrap_or_else(|| "project".into());
    Ok(Capture {
        name,
        tree,
        report,
        notes: Vec::new(),
    })
}

/// An archive's tree; a download whose files all sit under one folder (`project/` for Bolt) is
/// unwrapped. Anything but an archive is an unknown input.
fn read_archive_bytes(
    name: &str,
    bytes: &[u8],
    options: &Options,
    report: &mut Report,
) -> Result<Read, CaptureError> {
    let is_archive =
        ArchiveKind::sniff(bytes).is_some() || name.to_ascii_lowercase().ends_with(".tar");
    if !is_archive {
        return Err(CaptureError::UnknownInput {
            name: crate::text::excerpt(name),
        });
    }
    let tree = read_archive(name, bytes, &options.limits, report)?;
    let tree = match tree.single_root_folder() {
        Some(root) => {
            // `project/` is the normal shape of Bolt's download: nothing to warn about.
            if root != "project" {
                report.warnings.push(format!(
                    "every file sat under '{root}/'; that folder became the project root"
                ));
            }
            tree.strip_root_folder(&root)
        }
        None => tree,
    };
    Ok(Read {
        source_name: name.into(),
        tree,
        ..Read::default()
    })
}

/// Whether `bytes` look like a JSON object (a byte-order mark and blanks allowed first).
pub fn looks_like_json(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    start
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{')
}

/// Removes `node_modules/` and the like, reporting each pruned folder once.
fn drop_pruned(tree: SourceTree, report: &mut Report) -> SourceTree {
    let prunable = |path: &str| {
        path.match_indices('/')
            .any(|(end, _)| pruned_folder(&path[..end]).is_some())
    };
    if !tree.iter().any(|(path, _)| prunable(path.as_str())) {
        return tree;
    }
    let mut pruned: Vec<(String, &'static str)> = Vec::new();
    let mut kept = SourceTree::new();
    for (path, entry) in tree.into_files() {
        let text = path.as_str();
        let hit = text.match_indices('/').find_map(|(end, _)| {
            pruned_folder(&text[..end]).map(|why| (text[..end].to_string(), why))
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
