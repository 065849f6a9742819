//! Reading what the user pointed at: a folder walked into files, or one file's bytes.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use liftoff_core::capture::pruned_folder;
use liftoff_core::tree::FileEntry;
use thiserror::Error;

/// Reading the input failed.
#[derive(Debug, Error)]
pub enum InputError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> InputError + '_ {
    move |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A folder's regular files (relative path, contents) and what was skipped, with why.
#[derive(Debug, Default)]
pub struct FolderFiles {
    pub files: Vec<(String, FileEntry)>,
    pub skipped: Vec<(String, String)>,
}

/// Walks `root`, skipping links and special files (reported) and pruned folders such as
/// `node_modules` (reported once, never read).
pub fn read_folder(root: &Path) -> Result<FolderFiles, InputError> {
    let mut out = FolderFiles::default();
    walk(root, "", &mut out)?;
    Ok(out)
}

fn walk(dir: &Path, prefix: &str, out: &mut FolderFiles) -> Result<(), InputError> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(io_err(dir))?
        .collect::<Result<_, _>>()
        .map_err(io_err(dir))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            let lossy = entry.file_name().to_string_lossy().into_owned();
            out.skipped.push((
                format!("{prefix}{lossy}"),
                "file name is not valid UTF-8".into(),
            ));
            continue;
        };
        let rel = format!("{prefix}{name}");
        let meta = fs::symlink_metadata(&path).map_err(io_err(&path))?;
        let kind = meta.file_type();
        if kind.is_symlink() {
            out.skipped
                .push((rel, "symbolic link: links are not exported".into()));
        } else if kind.is_dir() {
            match pruned_folder(&rel) {
                Some(why) => out.skipped.push((format!("{rel}/"), why.into())),
                None => walk(&path, &format!("{rel}/"), out)?,
            }
        } else if kind.is_file() {
            let bytes = fs::read(&path).map_err(io_err(&path))?;
            out.files.push((
                rel,
                FileEntry {
                    bytes,
                    executable: is_executable(&meta),
                },
            ));
        } else {
            out.skipped.push((rel, "not a regular file".into()));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn is_executable(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &fs::Metadata) -> bool {
    false
}

/// Reads a whole file.
pub fn read_file(path: &Path) -> Result<Vec<u8>, InputError> {
    fs::read(path).map_err(io_err(path))
}
