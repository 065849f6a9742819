//! Writing results atomically: everything goes to a temporary name beside the target and is
//! renamed into place at the end, so a failed export leaves nothing behind.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use liftoff_core::SourceTree;
use thiserror::Error;

/// Writing the output failed; nothing was left behind.
#[derive(Debug, Error)]
pub enum OutputError {
    #[error("{path}: already exists; pass --force to replace it")]
    Exists { path: PathBuf },
    #[error("{path}: folder is not empty; pass --force to replace it")]
    NotEmpty { path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A temporary path that is deleted on drop unless it was renamed into place.
struct Staged {
    path: PathBuf,
    committed: bool,
}

impl Staged {
    fn beside(target: &Path, tag: &str) -> Self {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let parent = target.parent().unwrap_or(Path::new("."));
        Self {
            path: parent.join(format!(".{name}.liftoff-{tag}-{}", std::process::id())),
            committed: false,
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.path);
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Writes `bytes` to `path` atomically. An existing file is replaced only with `force`.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<(), OutputError> {
    write_streaming(path, force, |file| file.write_all(bytes))
}

/// Writes `path` atomically as `fill` writes to it, piece by piece, so the whole file never
/// needs to be in memory. An existing file is replaced only with `force`.
pub fn write_streaming(
    path: &Path,
    force: bool,
    fill: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> Result<(), OutputError> {
    if path.exists() && !force {
        return Err(OutputError::Exists {
            path: path.to_path_buf(),
        });
    }
    let mut staged = Staged::beside(path, "tmp");
    let file = File::create(&staged.path).map_err(io_err(path))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    fill(&mut out).map_err(io_err(path))?;
    out.into_inner().map_err(|e| io_err(path)(e.into_error()))?;
    fs::rename(&staged.path, path).map_err(io_err(path))?;
    staged.committed = true;
    Ok(())
}

/// Writes `tree` as the folder `path`. An existing non-empty folder is replaced only with
/// `force`; `progress(done)` is called after each file.
pub fn write_folder(
    path: &Path,
    tree: &SourceTree,
    force: bool,
    mut progress: impl FnMut(usize),
) -> Result<(), OutputError> {
    let existing = match fs::read_dir(path) {
        Ok(mut entries) => Some(entries.next().is_some()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) if path.is_file() => {
            let _ = e;
            return Err(OutputError::Exists {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(io_err(path)(e)),
    };
    if existing == Some(true) && !force {
        return Err(OutputError::NotEmpty {
            path: path.to_path_buf(),
        });
    }
    let mut staged = Staged::beside(path, "tmp");
    fs::create_dir_all(&staged.path).map_err(io_err(path))?;
    for (done, (rel, entry)) in tree.iter().enumerate() {
        let target = staged.path.join(rel.as_str());
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io_err(&path.join(rel.as_str())))?;
        }
        fs::write(&target, &entry.bytes).map_err(io_err(&path.join(rel.as_str())))?;
        set_executable(&target, entry.executable).map_err(io_err(&target))?;
        progress(done + 1);
    }
    match existing {
        None => {}
        Some(false) => fs::remove_dir(path).map_err(io_err(path))?,
        Some(true) => {
            // Keep the old folder until the new one is in place, then drop it.
            let mut old = Staged::beside(path, "old");
            fs::rename(path, &old.path).map_err(io_err(path))?;
            if let Err(e) = fs::rename(&staged.path, path) {
                let _ = fs::rename(&old.path, path);
                old.committed = true;
                return Err(io_err(path)(e));
            }
            staged.committed = true;
            return Ok(());
        }
    }
    fs::rename(&staged.path, path).map_err(io_err(path))?;
    staged.committed = true;
    Ok(())
}

#[cfg(unix)]
fn set_executable(path: &Path, executable: bool) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if executable {
        fs::set_permissions(path, fs::Permissions::from_mode(0o755))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_executable(_: &Path, _: bool) -> io::Result<()> {
    Ok(())
}
