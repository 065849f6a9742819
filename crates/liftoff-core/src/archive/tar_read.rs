//! Tar and tar.gz reader: regular files only, names validated, every unpacked byte counted.

use std::io::Read;

use flate2::read::MultiGzDecoder;
use tar::{Archive, EntryType};

use super::budget::{Budget, CountingReader, ReadFailure};
use super::ArchiveError;
use crate::limits::Limits;
use crate::report::Report;
use crate::tree::{FileEntry, OnDuplicate, SourceTree};

pub(super) fn read(
    name: &str,
    bytes: &[u8],
    gzipped: bool,
    limits: &Limits,
    report: &mut Report,
) -> Result<SourceTree, ArchiveError> {
    let source: Box<dyn Read + '_> = if gzipped {
        Box::new(MultiGzDecoder::new(bytes))
    } else {
        Box::new(bytes)
    };
    let mut counted = CountingReader::new(source, *limits, bytes.len());
    let result = read_entries(name, &mut counted, limits, bytes.len(), report);
    // The tar reader wraps our limit error in its own: the counter knows the real cause.
    match (result, counted.tripped) {
        (Err(_), Some(limit)) => Err(ArchiveError::Limit {
            name: name.into(),
            limit,
        }),
        (result, _) => result,
    }
}

fn read_entries<R: Read>(
    name: &str,
    reader: R,
    limits: &Limits,
    packed_len: usize,
    report: &mut Report,
) -> Result<SourceTree, ArchiveError> {
    let damaged = |detail: String| ArchiveError::Damaged {
        name: name.into(),
        detail,
    };
    let mut archive = Archive::new(reader);
    let mut budget = Budget::new(*limits, packed_len);
    let mut tree = SourceTree::new();
    for entry in archive.entries().map_err(|e| damaged(e.to_string()))? {
        let entry = entry.map_err(|e| damaged(e.to_string()))?;
        budget.count_entry().map_err(|limit| ArchiveError::Limit {
            name: name.into(),
            limit,
        })?;
        let path_bytes = entry.path_bytes().into_owned();
        let Ok(path) = String::from_utf8(path_bytes.clone()) else {
            report.skip(
                String::from_utf8_lossy(&path_bytes),
                "file name is not valid UTF-8",
            );
            continue;
        };
        let header = entry.header();
        let executable = header.mode().is_ok_and(|m| m & 0o111 != 0);
        match header.entry_type() {
            EntryType::Regular | EntryType::Continuous => {}
            EntryType::Directory => continue,
            EntryType::Symlink | EntryType::Link => {
                report.skip(&path, "link: links are not exported");
                continue;
            }
            other => {
                report.skip(&path, format!("not a regular file ({other:?})"));
                continue;
            }
        }
        let size = entry.size();
        let contents = budget
            .read_entry(entry, size, None)
            .map_err(|failure| match failure {
                ReadFailure::Limit(limit) => ArchiveError::Limit {
                    name: name.into(),
                    limit,
                },
                ReadFailure::Io(e) => damaged(format!("{path}: {e}")),
            })?;
        if (contents.len() as u64) < size {
            return Err(damaged(format!("{path}: truncated")));
        }
        let entry = FileEntry {
            bytes: contents,
            executable,
        };
        tree.insert_or_report(&path, entry, OnDuplicate::Refuse, report);
    }
    Ok(tree)
}
