//! Readers for the archives builders hand out (zip, tar, tar.gz), with limits that hold
//! against hostile input. Every entry goes through [`SourceTree::insert`]; what is refused
//! or skipped is recorded in the report.

mod budget;
mod tar_read;
mod zip_read;

use thiserror::Error;

use crate::limits::Limits;
use crate::report::Report;
use crate::tree::SourceTree;

pub use budget::LimitKind;

/// The archive formats we read, told apart by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    Zip,
    Tar,
    TarGz,
}

impl ArchiveKind {
    /// Recognizes an archive by its magic bytes; `None` when it is none of ours.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            Some(Self::Zip)
        } else if bytes.starts_with(&[0x1f, 0x8b]) {
            Some(Self::TarGz)
        } else if bytes.len() >= 262 && &bytes[257..262] == b"ustar" {
            Some(Self::Tar)
        } else {
            None
        }
    }
}

/// Why an archive could not be read. Every variant names the archive.
#[derive(Debug, Error)]
pub enum ArchiveError {
    #[error("{name}: not a zip, tar or tar.gz archive")]
    NotAnArchive { name: String },
    #[error("{name}: damaged or truncated archive ({d})", d = crate::text::quote_message(.detail))]
    Damaged { name: String, detail: String },
    #[error("{name}: {limit}; refusing to unpack further")]
    Limit { name: String, limit: LimitKind },
    #[error("{name}: encrypted entry {e}; export the project without a password", e = crate::text::excerpt(.entry))]
    Encrypted { name: String, entry: String },
}

/// Reads a zip only (anything else is not an archive here): for a reader that never meets a
/// tar, such as the remote module reading the export's own zip, so the tar and gzip code is
/// not linked into it.
pub fn read_zip(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    report: &mut Report,
) -> Result<SourceTree, ArchiveError> {
    let name = &crate::text::excerpt(name);
    if ArchiveKind::sniff(bytes) != Some(ArchiveKind::Zip) {
        return Err(ArchiveError::NotAnArchive { name: name.into() });
    }
    zip_read::read(name, bytes, limits, report)
}

/// Reads the archive `bytes` (called `name` in messages) into a tree, recording skipped
/// entries in `report`.
pub fn read_archive(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    report: &mut Report,
) -> Result<SourceTree, ArchiveError> {
    // Messages quote the archive's name: escaped and short, whatever it holds.
    let name = &crate::text::excerpt(name);
    match ArchiveKind::sniff(bytes) {
        Some(ArchiveKind::Zip) => zip_read::read(name, bytes, limits, report),
        Some(ArchiveKind::TarGz) => tar_read::read(name, bytes, true, limits, report),
        Some(ArchiveKind::Tar) => tar_read::read(name, bytes, false, limits, report),
        None => Err(ArchiveError::NotAnArchive { name: name.into() }),
    }
}
