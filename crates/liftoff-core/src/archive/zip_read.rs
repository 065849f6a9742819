//! Zip reader: regular files only, names validated, sizes charged to the budget.

use std::io::Cursor;

use zip::result::ZipError;
use zip::ZipArchive;

use super::budget::{Budget, ReadFailure};
use super::ArchiveError;
use crate::limits::Limits;
use crate::report::Report;
use crate::tree::{FileEntry, OnDuplicate, SourceTree};

/// Metadata of one entry, read before its contents.
struct EntryInfo {
    name: String,
    is_dir: bool,
    is_symlink: bool,
    encrypted: bool,
    executable: bool,
    size: u64,
    packed: u64,
}

pub(super) fn read(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    report: &mut Report,
) -> Result<SourceTree, ArchiveError> {
    let damaged = |e: ZipError| ArchiveError::Damaged {
        name: name.into(),
        detail: e.to_string(),
    };
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    let mut budget = Budget::new(*limits, bytes.len());
    let mut tree = SourceTree::new();
    for index in 0..archive.len() {
        budget.count_entry().map_err(|limit| ArchiveError::Limit {
            name: name.into(),
            limit,
        })?;
        let info = entry_info(&mut archive, index).map_err(damaged)?;
        if info.is_dir {
            continue;
        }
        if info.is_symlink {
            report.skip(&info.name, "symbolic link: links are not exported");
            continue;
        }
        if info.encrypted {
            return Err(ArchiveError::Encrypted {
                name: name.into(),
                entry: info.name,
            });
        }
        let file = archive.by_index(index).map_err(damaged)?;
        let contents = budget
            .read_entry(file, info.size, Some(info.packed))
            .map_err(|failure| match failure {
                ReadFailure::Limit(limit) => ArchiveError::Limit {
                    name: name.into(),
                    limit,
                },
                ReadFailure::Io(e) => ArchiveError::Damaged {
                    name: name.into(),
                    detail: format!("{}: {e}", info.name),
                },
            })?;
        let entry = FileEntry {
            bytes: contents,
            executable: info.executable,
        };
        tree.insert_or_report(&info.name, entry, OnDuplicate::Refuse, report);
    }
    Ok(tree)
}

fn entry_info(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
) -> Result<EntryInfo, ZipError> {
    let file = archive.by_index_raw(index)?;
    let name = match std::str::from_utf8(file.name_raw()) {
        Ok(utf8) => utf8.to_string(),
        // Not UTF-8: the zip's own rules (CP437 unless flagged) decide the name.
        Err(_) => file.name()?.into_owned(),
    };
    Ok(EntryInfo {
        is_dir: file.is_dir(),
        is_symlink: file.is_symlink(),
        encrypted: file.encrypted(),
        executable: file.unix_mode().is_some_and(|m| m & 0o111 != 0),
        size: file.size(),
        packed: file.compressed_size(),
        name,
    })
}
