//! Zip reader: regular files only, names validated, sizes charged to the budget.
//!
//! Our own parser (the `zip` crate cost about 77 KB of the extension's WebAssembly for the
//! little we use), for hostile input: every offset and size is checked before it is used, so
//! any input gives a tree or an error, never a panic, and memory stays bounded by the input
//! and the [`Budget`]. What it reads:
//! - the end of central directory record (searched backwards over the last 64 KiB + 22
//!   bytes, the longest a comment allows), and the ZIP64 end record when there is one;
//! - data prepended to the archive (self-extracting archives), found the way `unzip` does;
//! - central directory entries, their ZIP64 sizes and offset, and Info-ZIP's UTF-8 name field;
//! - the local headers, for their signature and the length of their name and extra field
//!   only: sizes, method and flags come from the central directory;
//! - stored and deflated data; any other method, or data whose size or CRC-32 disagree with
//!   the directory, is damage naming the entry.
//!
//! Entries that overlap each other or the directory are refused: no real archive has them, and
//! they are how some zip bombs multiply their output.

mod cp437;

use std::io::{self, Read};

use flate2::{Crc, Decompress, FlushDecompress, Status};

use super::budget::{Budget, ReadFailure};
use super::ArchiveError;
use crate::limits::Limits;
use crate::report::Report;
use crate::tree::{FileEntry, OnDuplicate, SourceTree};
use crate::zip_write::format::*;

/// One central directory entry.
struct Entry<'a> {
    name: String,
    flags: u16,
    method: u16,
    crc: u32,
    size: u64,
    packed: u64,
    /// The stored or deflated data (`packed` bytes), once located and checked.
    data: &'a [u8],
    /// `st_mode`, when the archive says one.
    mode: Option<u32>,
}

impl Entry<'_> {
    fn is_dir(&self) -> bool {
        self.name.ends_with('/') || self.name.ends_with('\\')
    }

    fn is_symlink(&self) -> bool {
        self.mode.is_some_and(|m| m & S_IFMT == S_IFLNK)
    }

    fn executable(&self) -> bool {
        self.mode.is_some_and(|m| m & 0o111 != 0)
    }
}

pub(super) fn read(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    report: &mut Report,
) -> Result<SourceTree, ArchiveError> {
    let damaged = |detail: String| ArchiveError::Damaged {
        name: name.into(),
        detail,
    };
    let entries = directory(bytes).map_err(damaged)?;
    let mut budget = Budget::new(*limits, bytes.len());
    let mut tree = SourceTree::new();
    // One inflate state for every entry, reset in between.
    let mut inflate = Decompress::new(false);
    for entry in entries {
        budget.count_entry().map_err(|limit| ArchiveError::Limit {
            name: name.into(),
            limit,
        })?;
        if entry.is_dir() {
            continue;
        }
        if entry.is_symlink() {
            report.skip(&entry.name, "symbolic link: links are not exported");
            continue;
        }
        if entry.flags & FLAG_ENCRYPTED != 0 {
            return Err(ArchiveError::Encrypted {
                name: name.into(),
                entry: crate::text::excerpt(&entry.name),
            });
        }
        let inflate = match entry.method {
            STORED => None,
            DEFLATED => {
                inflate.reset(false);
                Some(&mut inflate)
            }
            method => {
                return Err(damaged(format!(
                    "{}: compression method {method}{} is not supported, only stored and deflate",
                    crate::text::excerpt(&entry.name),
                    method_name(method)
                )))
            }
        };
        let reader = EntryReader {
            input: entry.data,
            inflate,
            finished: false,
            crc: Crc::new(),
            read: 0,
            size: entry.size,
            expected_crc: entry.crc,
        };
        // The size the budget reserves room for: what the directory says, but never more than
        // the data can give (deflate expands at most 1032:1), so a lying directory cannot make
        // us reserve memory for nothing.
        let packed = entry.data.len() as u64;
        let most = if entry.method == STORED {
            packed
        } else {
            packed.saturating_mul(1032)
        };
        let contents = budget
            .read_entry(reader, entry.size.min(most), Some(packed))
            .map_err(|failure| match failure {
                ReadFailure::Limit(limit) => ArchiveError::Limit {
                    name: name.into(),
                    limit,
                },
                ReadFailure::Io(e) => damaged(format!(
                    "{}: {}",
                    crate::text::excerpt(&entry.name),
                    crate::text::excerpt(&e.to_string())
                )),
            })?;
        let file = FileEntry {
            bytes: contents,
            executable: entry.executable(),
        };
        tree.insert_or_report(&entry.name, file, OnDuplicate::Refuse, report);
    }
    Ok(tree)
}

/// The usual names of the methods we do not read, for the message.
fn method_name(method: u16) -> &'static str {
    match method {
        9 => " (deflate64)",
        12 => " (bzip2)",
        14 => " (LZMA)",
        93 => " (Zstandard)",
        95 => " (xz)",
        _ => "",
    }
}

/// Where the central directory lies, from the end records.
struct End {
    /// Number of entries (its low 16 bits only, without ZIP64).
    entries: u64,
    zip64: bool,
    cd_offset: u64,
    cd_size: u64,
    /// Where the directory must end: the ZIP64 end record, or else the end record.
    cd_end: u64,
}

/// Reads the central directory: every entry, with its data located and checked.
fn directory(bytes: &[u8]) -> Result<Vec<Entry<'_>>, String> {
    let end = find_end(bytes)?;
    let claimed_end = end
        .cd_offset
        .checked_add(end.cd_size)
        .filter(|&e| e <= end.cd_end)
        .ok_or("the central directory lies outside the archive")?;
    // Data prepended to the archive shifts every offset by its length: the directory then
    // starts that much later than the end record says (`unzip` reads these too).
    let gap = end.cd_end - claimed_end;
    let shift = if gap > 0
        && !sig_at(bytes, end.cd_offset, CENTRAL_SIG)
        && sig_at(bytes, end.cd_offset + gap, CENTRAL_SIG)
    {
        gap
    } else {
        0
    };
    let cd_start = end.cd_offset + shift;
    let cd_stop = cd_start + end.cd_size;

    let mut entries =
        Vec::with_capacity(end.entries.min(end.cd_size / CENTRAL_LEN as u64) as usize);
    // Where each entry's local header and data lie, to check that none overlap.
    let mut spans = Vec::with_capacity(entries.capacity());
    let mut at = cd_start;
    while at < cd_stop && sig_at(bytes, at, CENTRAL_SIG) {
        // Within the archive: the directory ends before its end record.
        let header = bytes
            .get(at as usize..cd_stop as usize)
            .ok_or("the central directory lies outside the archive")?;
        let (mut entry, local, next) = central_entry(header, shift)?;
        let (data, span_end) = local_data(bytes, local, entry.packed, cd_start)
            .map_err(|why| format!("{}: {why}", crate::text::excerpt(&entry.name)))?;
        entry.data = data;
        spans.push((local, span_end, entries.len()));
        entries.push(entry);
        at += next as u64;
    }
    let found = entries.len() as u64;
    let agrees = if end.zip64 {
        found == end.entries
    } else {
        // Writers without ZIP64 keep only the low 16 bits of a larger count.
        found & 0xffff == end.entries
    };
    if !agrees {
        return Err(format!(
            "the central directory holds {}, its end record says {}",
            crate::text::count(found, "entry", "entries"),
            end.entries
        ));
    }
    spans.sort_unstable();
    if let Some(pair) = spans.windows(2).find(|pair| pair[0].1 > pair[1].0) {
        return Err(format!(
            "entries {} and {} overlap",
            entries[pair[0].2].name, entries[pair[1].2].name
        ));
    }
    Ok(entries)
}

/// Finds and reads the end of central directory record, and the ZIP64 one when present.
fn find_end(bytes: &[u8]) -> Result<End, String> {
    let last = bytes
        .len()
        .checked_sub(END_LEN)
        .ok_or("too short for a zip archive")?;
    let first = last.saturating_sub(u16::MAX as usize);
    // The record closest to the end whose comment fits: a comment could hold the signature.
    let at = (first..=last)
        .rev()
        .find(|&at| {
            let mut f = Fields::at(bytes, at);
            f.u32() == Some(END_SIG)
                && f.take(16).is_some()
                && f.u16()
                    .is_some_and(|comment| usize::from(comment) <= f.rest().len())
        })
        .ok_or("no end of central directory record")?;
    let mut f = Fields::at(bytes, at + 4);
    let (disk, cd_disk) = (f.u16(), f.u16());
    let _on_this_disk = f.u16();
    let (entries, cd_size, cd_offset) = (f.u16(), f.u32(), f.u32());
    let missing = "end of central directory record cut short";
    if disk.ok_or(missing)? != cd_disk.ok_or(missing)? {
        return Err("archives split over several files are not supported".into());
    }
    let classic = End {
        entries: entries.ok_or(missing)?.into(),
        zip64: false,
        cd_offset: cd_offset.ok_or(missing)?.into(),
        cd_size: cd_size.ok_or(missing)?.into(),
        cd_end: at as u64,
    };
    Ok(zip64_end(bytes, at).unwrap_or(classic))
}

/// The ZIP64 end record, when a locator before the end record at `end` points to one. A
/// locator that leads nowhere is ignored (it may be the tail of the directory's last name);
/// a classic archive then reads as one.
fn zip64_end(bytes: &[u8], end: usize) -> Option<End> {
    let locator = end.checked_sub(ZIP64_LOCATOR_LEN)?;
    let mut f = Fields::at(bytes, locator);
    if f.u32()? != ZIP64_LOCATOR_SIG {
        return None;
    }
    let _disk = f.u32()?;
    let claimed = f.u64()?;
    // With prepended data, the record is not where the locator says but right before it.
    let record = [
        Some(claimed),
        locator.checked_sub(ZIP64_END_LEN).map(|r| r as u64),
    ]
    .into_iter()
    .flatten()
    .find(|&r| sig_at(bytes, r, ZIP64_END_SIG))?;
    let mut f = Fields::at(bytes, usize::try_from(record).ok()?);
    f.take(16)?; // Signature, record size, versions.
    let (disk, cd_disk) = (f.u32()?, f.u32()?);
    let _on_this_disk = f.u64()?;
    let (entries, cd_size, cd_offset) = (f.u64()?, f.u64()?, f.u64()?);
    (disk == cd_disk && record < locator as u64).then_some(End {
        entries,
        zip64: true,
        cd_offset,
        cd_size,
        cd_end: record,
    })
}

/// Reads the central directory entry at the start of `header` (the directory from there on);
/// returns it (its data not located yet), its local header's offset (shifted by `shift`) and
/// its own length.
fn central_entry(header: &[u8], shift: u64) -> Result<(Entry<'static>, u64, usize), String> {
    let cut = "central directory entry cut short";
    let mut f = Fields::at(header, 4);
    let made_by = f.u16().ok_or(cut)?;
    let _needed = f.u16().ok_or(cut)?;
    let flags = f.u16().ok_or(cut)?;
    let method = f.u16().ok_or(cut)?;
    let _time_date = f.u32().ok_or(cut)?;
    let crc = f.u32().ok_or(cut)?;
    let packed32 = f.u32().ok_or(cut)?;
    let size32 = f.u32().ok_or(cut)?;
    let name_len = f.u16().ok_or(cut)?;
    let extra_len = f.u16().ok_or(cut)?;
    let comment_len = f.u16().ok_or(cut)?;
    let _disk = f.u16().ok_or(cut)?;
    let _internal = f.u16().ok_or(cut)?;
    let external = f.u32().ok_or(cut)?;
    let offset32 = f.u32().ok_or(cut)?;
    let raw_name = f.take(name_len.into()).ok_or(cut)?;
    let extra = f.take(extra_len.into()).ok_or(cut)?;
    f.take(comment_len.into()).ok_or(cut)?;
    let length =
        CENTRAL_LEN + usize::from(name_len) + usize::from(extra_len) + usize::from(comment_len);

    let mut utf8_name = None;
    let mut zip64 = None;
    let mut fields = Fields::at(extra, 0);
    while let (Some(id), Some(len)) = (fields.u16(), fields.u16()) {
        let Some(body) = fields.take(len.into()) else {
            break; // A cut extra field: nothing we need can be in it.
        };
        match id {
            EXTRA_ZIP64 => zip64 = Some(body),
            EXTRA_UNICODE_PATH => utf8_name = utf8_name.or_else(|| unicode_path(body, raw_name)),
            _ => {}
        }
    }
    let name = match (utf8_name, std::str::from_utf8(raw_name)) {
        (Some(name), _) | (None, Ok(name)) => name.to_owned(),
        (None, Err(_)) => cp437::decode(raw_name),
    };

    // The ZIP64 field holds, in order, the values whose 32-bit fields are all ones.
    let mut big = Fields::at(zip64.unwrap_or_default(), 0);
    let mut widen = |value: u32| -> Result<u64, String> {
        if value != U32_MARK {
            return Ok(value.into());
        }
        big.u64()
            .ok_or_else(|| format!("{name}: ZIP64 extra field missing or cut short"))
    };
    let size = widen(size32)?;
    let packed = widen(packed32)?;
    let offset = widen(offset32)?;
    let local = offset
        .checked_add(shift)
        .ok_or_else(|| format!("{name}: local header out of range"))?;
    let entry = Entry {
        mode: unix_mode(made_by, external),
        name,
        flags,
        method,
        crc,
        size,
        packed,
        data: &[],
    };
    Ok((entry, local, length))
}

/// Info-ZIP's Unicode Path field: the UTF-8 name, valid only while its CRC-32 still matches
/// the header's name (a tool that renamed the entry without knowing the field left it stale).
fn unicode_path<'a>(body: &'a [u8], raw_name: &[u8]) -> Option<&'a str> {
    let mut f = Fields::at(body, 0);
    let version = f.u8()?;
    let crc = f.u32()?;
    let mut check = Crc::new();
    check.update(raw_name);
    (version == 1 && crc == check.sum())
        .then(|| std::str::from_utf8(f.rest()).ok())
        .flatten()
}

/// The `st_mode` in the external attributes, as the `zip` crate read it: Unix archives put it
/// in the upper 16 bits; MS-DOS ones have none (only a read-only bit); other systems' writers
/// put it there when those bits are not zero.
fn unix_mode(made_by: u16, external: u32) -> Option<u32> {
    let mode = external >> 16;
    match (made_by >> 8) as u8 {
        SYSTEM_UNIX if external != 0 => Some(mode),
        SYSTEM_DOS => None,
        _ => (mode != 0).then_some(mode),
    }
}

/// Checks the local header at `offset` and returns the entry's data (`packed` bytes after
/// the header's name and extra field) and where it ends, all before the directory.
fn local_data(
    bytes: &[u8],
    offset: u64,
    packed: u64,
    cd_start: u64,
) -> Result<(&[u8], u64), &'static str> {
    let out_of_range = "local header or data out of range";
    if offset >= cd_start {
        return Err(out_of_range);
    }
    let mut f = Fields::at(bytes, offset as usize);
    if f.u32() != Some(LOCAL_SIG) {
        return Err("no local header where the directory says");
    }
    f.take(22).ok_or(out_of_range)?;
    let name_len = f.u16().ok_or(out_of_range)?;
    let extra_len = f.u16().ok_or(out_of_range)?;
    let start = offset + (LOCAL_LEN as u64) + u64::from(name_len) + u64::from(extra_len);
    let end = start
        .checked_add(packed)
        .filter(|&end| end <= cd_start)
        .ok_or(out_of_range)?;
    // Both ends are within the directory's start, itself within `bytes`.
    Ok((&bytes[start as usize..end as usize], end))
}

/// One entry's contents as they are read: copied or inflated, then checked against the
/// directory's size (as they arrive) and CRC-32 (at the end).
struct EntryReader<'a> {
    input: &'a [u8],
    inflate: Option<&'a mut Decompress>,
    finished: bool,
    crc: Crc,
    read: u64,
    size: u64,
    expected_crc: u32,
}

impl Read for EntryReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = match self.inflate.as_deref_mut() {
            None => {
                let n = buf.len().min(self.input.len());
                let (head, rest) = self.input.split_at(n);
                buf[..n].copy_from_slice(head);
                self.input = rest;
                n
            }
            Some(inflate) => inflate_some(inflate, &mut self.input, buf, &mut self.finished)?,
        };
        self.read += n as u64;
        if self.read > self.size {
            return Err(damage(format!(
                "more data than the {} the directory says",
                crate::text::count(self.size, "byte", "bytes")
            )));
        }
        self.crc.update(&buf[..n]);
        if n == 0 {
            if self.read != self.size {
                return Err(damage(format!(
                    "{}, the directory says {}",
                    crate::text::count(self.read, "byte", "bytes"),
                    self.size
                )));
            }
            if self.crc.sum() != self.expected_crc {
                return Err(damage("CRC-32 mismatch: the data is damaged".into()));
            }
        }
        Ok(n)
    }
}

fn damage(detail: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, detail)
}

/// Inflates from `input` into `buf`, advancing `input`; 0 once the stream has ended.
fn inflate_some(
    inflate: &mut Decompress,
    input: &mut &[u8],
    buf: &mut [u8],
    finished: &mut bool,
) -> io::Result<usize> {
    while !*finished {
        let (in_before, out_before) = (inflate.total_in(), inflate.total_out());
        let status = inflate
            .decompress(input, buf, FlushDecompress::None)
            .map_err(|e| damage(format!("deflate data damaged ({e})")))?;
        let used = (inflate.total_in() - in_before) as usize;
        let wrote = (inflate.total_out() - out_before) as usize;
        *input = input.get(used..).unwrap_or_default();
        *finished = status == Status::StreamEnd;
        if wrote > 0 {
            return Ok(wrote);
        }
        if used == 0 && !*finished {
            return Err(damage("deflate data cut short".into()));
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests;
