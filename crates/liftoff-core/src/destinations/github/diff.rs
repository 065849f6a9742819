//! What a push changes in the repository, file by file, before anything is written: added,
//! changed, deleted (in the repository, no longer in the export), with lines added and removed
//! for text and sizes for binaries, and a unified diff to read. Contents are compared by blob id
//! (the remote's listing has them), so only the old text of changed and deleted text files is
//! ever downloaded, a bounded number of them ([`Limits`]); past the bounds a file is listed with
//! its sizes and no line counts.

use std::collections::BTreeMap;

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::ignore::Excluded;
use super::object::{object_id, ObjectId, ObjectKind};
use super::remote_tree::RemoteTree;
use crate::tree::SourceTree;

/// What happens to one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeAction {
    Added,
    Changed,
    Deleted,
}

/// One file the push changes (unchanged files are not listed). The field names are the CLI's
/// `--dry-run --json` contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileChange {
    pub path: String,
    pub action: ChangeAction,
    /// Not text (a NUL byte in its first 8,000 bytes, as git decides, or not UTF-8).
    pub binary: bool,
    /// Lines added, for text; `None` for binaries and for text past the bounds.
    pub lines_added: Option<u64>,
    /// Lines removed, for text; `None` for binaries and for text past the bounds.
    pub lines_removed: Option<u64>,
    /// Bytes: the new size, or the old one for a deleted file.
    pub size: u64,
    /// The old size, for a changed file whose old size the remote gave.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_size: Option<u64>,
}

/// A file's unified diff (`--- a/…`, `+++ b/…`, hunks), cut at [`Limits::diff_bytes`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileDiff {
    pub path: String,
    pub text: String,
    /// The diff was longer and was cut.
    pub cut: bool,
}

/// What a push would do. The field names are the CLI's `--dry-run --json` contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    /// The repository and branch compared against.
    pub repository: String,
    pub branch: String,
    pub changes: Vec<FileChange>,
    /// What a commit never holds (`.env` files, what `.gitignore` excludes), with why.
    pub excluded: Vec<Excluded>,
    /// Nothing would change: the branch already holds exactly this tree.
    pub up_to_date: bool,
    /// The repository does not exist yet: a push with `--create` would make it and add every
    /// file. A preview never creates it.
    pub new_repository: bool,
    /// The unified diffs of text files, for the popup (not in the CLI's `--json`).
    #[serde(skip)]
    pub diffs: Vec<FileDiff>,
}

/// How much of the old contents a preview may download and compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Old blobs downloaded at most.
    pub blobs: usize,
    /// An old blob larger than this is not downloaded.
    pub blob_bytes: u64,
    /// Lines of either side past which lines are counted, not diffed (a line diff is
    /// quadratic at worst).
    pub diff_lines: usize,
    /// A file's diff text is cut here.
    pub diff_bytes: usize,
}

impl Default for Limits {
    /// 100 blobs of at most 512 KiB, 10,000 lines, 64 KiB of diff a file.
    fn default() -> Self {
        Self {
            blobs: 100,
            blob_bytes: 512 * 1024,
            diff_lines: 10_000,
            diff_bytes: 64 * 1024,
        }
    }
}

/// True when `bytes` are not text: a NUL in the first 8,000 bytes (git's rule) or not UTF-8.
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8000)].contains(&0) || std::str::from_utf8(bytes).is_err()
}

/// The mode git gives a local file.
fn local_mode(executable: bool) -> &'static str {
    if executable {
        "100755"
    } else {
        "100644"
    }
}

/// The comparison of an export with a branch, waiting for the old texts it needs.
#[derive(Debug, Clone)]
pub struct Comparison {
    changes: Vec<FileChange>,
    /// Old blobs to download: id → the paths whose old text it is.
    wanted: BTreeMap<ObjectId, Vec<String>>,
    old: BTreeMap<ObjectId, Vec<u8>>,
    limits: Limits,
}

impl Comparison {
    /// Compares `files` (what the commit will hold) with `remote` (the branch, `None` for a new
    /// branch of an empty repository). Without `fetch_old`, no old text is wanted: changed and
    /// deleted files get no line counts.
    pub fn new(
        files: &SourceTree,
        remote: Option<&RemoteTree>,
        limits: Limits,
        fetch_old: bool,
    ) -> Self {
        let empty = BTreeMap::new();
        let remote_files = remote.map_or(&empty, |r| &r.files);
        let mut changes = Vec::new();
        let mut wanted: BTreeMap<ObjectId, Vec<String>> = BTreeMap::new();
        // A tree fetched over git (GitLab, Gitea) says no sizes: an old text of unknown size is
        // wanted when its new version (if any) is small, and dropped on arrival when it is not.
        let mut want = |id: ObjectId, size: Option<u64>, path: &str| {
            let small = size.is_none_or(|s| s <= limits.blob_bytes);
            let room = wanted.len() < limits.blobs || wanted.contains_key(&id);
            if fetch_old && small && room {
                wanted.entry(id).or_default().push(path.to_string());
            }
        };
        for (path, entry) in files.iter() {
            let id = object_id(ObjectKind::Blob, &entry.bytes);
            let binary = is_binary(&entry.bytes);
            let size = entry.bytes.len() as u64;
            let lines = (!binary).then(|| count_lines(&entry.bytes));
            match remote_files.get(path.as_str()) {
                Some(old) if old.id == id && old.mode == local_mode(entry.executable) => {}
                Some(old) => {
                    let mode_only = old.id == id;
                    if !binary && !mode_only {
                        want(old.id, old.size.or(Some(size)), path.as_str());
                    }
                    changes.push(FileChange {
                        path: path.to_string(),
                        action: ChangeAction::Changed,
                        binary,
                        lines_added: mode_only.then_some(0),
                        lines_removed: mode_only.then_some(0),
                        size,
                        old_size: old.size,
                    });
                }
                None => changes.push(FileChange {
                    path: path.to_string(),
                    action: ChangeAction::Added,
                    binary,
                    lines_added: lines,
                    lines_removed: lines.map(|_| 0),
                    size,
                    old_size: None,
                }),
            }
        }
        for (path, old) in remote_files {
            if files.get(path).is_none() {
                want(old.id, old.size, path);
                changes.push(FileChange {
                    path: path.clone(),
                    action: ChangeAction::Deleted,
                    binary: false,
                    lines_added: None,
                    lines_removed: None,
                    size: old.size.unwrap_or(0),
                    old_size: None,
                });
            }
        }
        changes.sort_by(|a, b| a.path.cmp(&b.path));
        Self {
            changes,
            wanted,
            old: BTreeMap::new(),
            limits,
        }
    }

    /// The old blobs still to download.
    pub fn wanted(&self) -> Vec<ObjectId> {
        self.wanted
            .keys()
            .filter(|id| !self.old.contains_key(id))
            .copied()
            .collect()
    }

    /// The old contents of blob `id`, downloaded.
    pub fn provide(&mut self, id: ObjectId, bytes: Vec<u8>) {
        if self.wanted.contains_key(&id) && bytes.len() as u64 <= self.limits.blob_bytes {
            self.old.insert(id, bytes);
        }
    }

    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes as known without old texts (a push's own list).
    pub fn changes(&self) -> &[FileChange] {
        &self.changes
    }

    /// The changes with line counts and diffs from whatever old text was provided.
    pub fn finish(mut self, files: &SourceTree) -> (Vec<FileChange>, Vec<FileDiff>) {
        let mut old_of: BTreeMap<&str, &[u8]> = BTreeMap::new();
        for (id, paths) in &self.wanted {
            if let Some(bytes) = self.old.get(id) {
                for path in paths {
                    old_of.insert(path.as_str(), bytes);
                }
            }
        }
        let mut diffs = Vec::new();
        for change in &mut self.changes {
            let new = files.get(&change.path).map(|f| f.bytes.as_slice());
            let old = old_of.get(change.path.as_str()).copied();
            let (old_text, new_text) = match (change.action, old, new) {
                (ChangeAction::Added, _, Some(new)) if !change.binary => ("", text(new)),
                (ChangeAction::Changed, Some(old), Some(new)) if !is_binary(old) => {
                    (text(old), text(new))
                }
                (ChangeAction::Changed, Some(_), Some(_)) => {
                    // Text now, binary before: sizes tell more than lines.
                    change.binary = true;
                    continue;
                }
                (ChangeAction::Deleted, Some(old), None) => {
                    if is_binary(old) {
                        change.binary = true;
                        continue;
                    }
                    (text(old), "")
                }
                _ => continue,
            };
            let lines = |t: &str| t.lines().count();
            if lines(old_text).max(lines(new_text)) > self.limits.diff_lines {
                change.lines_added = Some(lines(new_text) as u64);
                change.lines_removed = Some(lines(old_text) as u64);
                continue;
            }
            let diff = TextDiff::from_lines(old_text, new_text);
            let (mut added, mut removed) = (0, 0);
            for piece in diff.iter_all_changes() {
                match piece.tag() {
                    ChangeTag::Insert => added += 1,
                    ChangeTag::Delete => removed += 1,
                    ChangeTag::Equal => {}
                }
            }
            change.lines_added = Some(added);
            change.lines_removed = Some(removed);
            let (a, b) = match change.action {
                ChangeAction::Added => ("/dev/null".to_string(), format!("b/{}", change.path)),
                ChangeAction::Deleted => (format!("a/{}", change.path), "/dev/null".to_string()),
                ChangeAction::Changed => {
                    (format!("a/{}", change.path), format!("b/{}", change.path))
                }
            };
            let mut unified = diff
                .unified_diff()
                .context_radius(3)
                .header(&a, &b)
                .to_string();
            let cut = unified.len() > self.limits.diff_bytes;
            if cut {
                let mut end = self.limits.diff_bytes;
                while !unified.is_char_boundary(end) {
                    end -= 1;
                }
                unified.truncate(end);
            }
            diffs.push(FileDiff {
                path: change.path.clone(),
                text: unified,
                cut,
            });
        }
        (self.changes, diffs)
    }
}

/// Text known to be UTF-8 (checked by [`is_binary`] before).
fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or("")
}

/// Lines in a text (a last line without a newline counts).
fn count_lines(bytes: &[u8]) -> u64 {
    text(bytes).lines().count() as u64
}

#[cfg(test)]
mod tests;
