//! Tar and tar.gz reader: regular files only, names validated, every unpacked byte counted.

use std::io::Read;

use flate2::read::MultiGzDecoder;
use tar::{Archive, EntryType};

use super::budget::{Budget, CountingReader, ReadFailure};
use super::ArchiveError;
use crate::limits::Limits;
use crate::report::Report;
use crate::text;
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
    let result = read_entries(name, &mut counted, limits, bytes.len(), report).and_then(|tree| {
        // The tar reader stops at the end-of-archive blocks: read on to the end of the gzip
        // stream, so its trailer (the CRC-32 of the contents and their size) is checked too. A
        // corrupt .tar.gz is refused, never exported with wrong bytes.
        if gzipped {
            let mut rest = [0u8; 4096];
            loop {
                match counted.read(&mut rest) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) => {
                        return Err(ArchiveError::Damaged {
                            name: name.into(),
                            detail: format!(
                                "the gzip stream does not check out ({})",
                                text::excerpt(&e.to_string())
                            ),
                        })
                    }
                }
            }
        }
        Ok(tree)
    });
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
    // The last entry read, to name where a damaged header is.
    let mut previous: Option<String> = None;
    let entries = archive
        .entries()
        .map_err(|e| damaged(header_problem(&e.to_string(), 1, None)))?;
    for (index, entry) in entries.enumerate() {
        let entry = entry.map_err(|e| {
            damaged(header_problem(
                &e.to_string(),
                index + 1,
                previous.as_deref(),
            ))
        })?;
        budget.count_entry().map_err(|limit| ArchiveError::Limit {
            name: name.into(),
            limit,
        })?;
        let path_bytes = entry.path_bytes().into_owned();
        previous = Some(String::from_utf8_lossy(&path_bytes).into_owned());
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
                ReadFailure::Io(e) => damaged(format!(
                    "{}: {}",
                    text::excerpt(&path),
                    text::excerpt(&e.to_string())
                )),
            })?;
        if (contents.len() as u64) < size {
            return Err(damaged(format!("{}: truncated", text::excerpt(&path))));
        }
        let entry = FileEntry {
            bytes: contents,
            executable,
        };
        tree.insert_or_report(&path, entry, OnDuplicate::Refuse, report);
    }
    Ok(tree)
}

/// What is wrong with entry `index`'s header, naming the entry (by the one before it, since a
/// damaged header has no trustworthy name) and the field, never quoting the header's bytes: the
/// tar reader's own message can carry them raw (`numeric field was not a number: <bytes> when
/// getting size`).
fn header_problem(message: &str, index: usize, previous: Option<&str>) -> String {
    // The header fields the tar reader names in "… when getting <field> for <path>".
    const FIELDS: [&str; 9] = [
        "entry_size",
        "size",
        "mode",
        "uid",
        "gid",
        "mtime",
        "cksum",
        "device_major",
        "device_minor",
    ];
    let field = message
        .split_once("when getting ")
        .and_then(|(_, rest)| FIELDS.into_iter().find(|f| rest.starts_with(f)));
    let place = match previous {
        Some(name) => format!("entry {index} (after {})", text::excerpt(name)),
        None => format!("entry {index}"),
    };
    match field {
        Some(field) => format!("{place}: the header's {field} field is damaged"),
        None if message.contains("checksum") => {
            format!("{place}: the header's checksum does not match")
        }
        None => format!("{place}: the header is damaged"),
    }
}
