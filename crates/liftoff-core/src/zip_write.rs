//! Deterministic zip writer: sorted entries, fixed timestamps, deflate for what shrinks and
//! stored for what is already compressed. The same tree always gives the same bytes, whatever
//! the number of threads that made them.
//!
//! Our own, not the `zip` crate: it cost about 77 KB of the extension's WebAssembly for the
//! little we use. What we write, and nothing else: entries in the tree's (path) order, each a
//! local header with the sizes and CRC-32 already filled in (no data descriptors), timestamp
//! 1980-01-01 00:00, no extra fields except ZIP64's, the UTF-8 flag on every name, and Unix
//! permissions (`0644`, or `0755` for executables) with "version made by" Unix, so `unzip` and
//! other readers restore the executable bit. ZIP64 records appear only when needed (more than
//! 65,534 entries, or a size or an offset of 4 GiB or more), so every archive stays readable.
//!
//! Two steps, so that front ends can spread the work: a [`Packer`] turns one file into its
//! *record* (local header and data), which depends on nothing but that file, so records can be
//! made in any order, on any thread; a [`Directory`] takes the records' [`Packed`] summaries
//! in the tree's order, as the records are laid down one after the other, and ends the archive.
//! [`write_zip`] is those two steps run in order on one thread.

pub(crate) mod format;

use flate2::{Compress, Compression, Crc, FlushCompress, Status};

use crate::path::{ProjectPath, MAX_PATH_BYTES};
use crate::tree::SourceTree;
use format::*;

/// Extensions of formats that are already compressed: deflating them costs time and saves
/// nothing, so they are stored.
const STORED_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "heic", "ico", "woff", "woff2", "ttf", "otf",
    "eot", "zip", "gz", "tgz", "bz2", "xz", "zst", "br", "7z", "rar", "jar", "lockb", "mp3", "mp4",
    "m4a", "mov", "webm", "ogg", "oga", "ogv", "wav", "flac", "pdf", "wasm",
];

// Every name fits the 16-bit length fields.
const _: () = assert!(MAX_PATH_BYTES <= u16::MAX as usize);

/// How hard deflate works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// Level 6, zlib's default (the level the peers are measured at).
    #[default]
    Normal,
    /// Level 1: about three times faster, text about 40% larger (BENCHMARKS.md).
    Fast,
}

impl Level {
    fn zlib(self) -> u32 {
        match self {
            Level::Normal => 6,
            Level::Fast => 1,
        }
    }
}

/// Whether `path` is stored rather than deflated.
pub fn is_stored(path: &ProjectPath) -> bool {
    path.extension()
        .is_some_and(|ext| STORED_EXTENSIONS.contains(&ext.as_str()))
}

/// The bytes of `tree` a zip deflates (its text): what the time to zip it grows with.
pub fn deflated_bytes(tree: &SourceTree) -> u64 {
    tree.iter()
        .filter(|(path, _)| !is_stored(path))
        .map(|(_, entry)| entry.bytes.len() as u64)
        .sum()
}

/// Writes `tree` as a zip archive and returns its bytes.
pub fn write_zip(tree: &SourceTree) -> Vec<u8> {
    write_zip_with(tree, Level::Normal, |_, _| {})
}

/// Like [`write_zip`], calling `progress(done, total)` after each file.
///
/// Files with a [stored](is_stored) extension and empty files are stored; the others are
/// deflated (raw deflate, level 6), and stored after all when deflate does not make them
/// smaller (tiny files, data that is already compressed), so no entry is bigger than its file.
pub fn write_zip_with_progress(tree: &SourceTree, progress: impl FnMut(usize, usize)) -> Vec<u8> {
    write_zip_with(tree, Level::Normal, progress)
}

/// Like [`write_zip_with_progress`], deflating at `level`.
pub fn write_zip_with(
    tree: &SourceTree,
    level: Level,
    mut progress: impl FnMut(usize, usize),
) -> Vec<u8> {
    write(tree, level, &mut progress, Zip64From::FORMAT)
}

/// From which value a size, an offset or the number of entries needs ZIP64 records. The
/// format's own limits in production (the all-ones value of a field means "see ZIP64", so it
/// needs ZIP64 itself); tests lower them to check ZIP64 archives on small trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Zip64From {
    bytes: u64,
    entries: u64,
}

impl Zip64From {
    const FORMAT: Self = Self {
        bytes: U32_MARK as u64,
        entries: U16_MARK as u64,
    };

    /// `value` as a 32-bit field: itself, or the mark when it needs ZIP64.
    fn field32(self, value: u64) -> u32 {
        if value >= self.bytes {
            U32_MARK
        } else {
            value as u32
        }
    }
}

/// What the central directory needs to know of one record (a file's local header and data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packed {
    /// `STORED` or `DEFLATED`.
    method: u16,
    crc: u32,
    /// The data's length in the archive.
    packed: u64,
    /// The file's length.
    size: u64,
    /// The whole record's length: header, name, extra field and data.
    record: u64,
}

impl Packed {
    /// The summary of a record this writer made, read back from its local header (`head`: at
    /// least the header, its name and extra field), with the entry's name: how a front end
    /// that carried records across threads as bytes alone hands them to a [`Directory`].
    /// `None` when `head` is not such a header.
    pub fn read(head: &[u8]) -> Option<(&str, Packed)> {
        let mut f = Fields::at(head, 0);
        (f.u32()? == LOCAL_SIG).then_some(())?;
        let _version = f.u16()?;
        let _flags = f.u16()?;
        let method = f.u16()?;
        let _stamp = f.u32()?;
        let crc = f.u32()?;
        let mut packed = u64::from(f.u32()?);
        let mut size = u64::from(f.u32()?);
        let name_len = usize::from(f.u16()?);
        let extra_len = usize::from(f.u16()?);
        let name = std::str::from_utf8(f.take(name_len)?).ok()?;
        if extra_len == 20 {
            let mut extra = Fields::at(f.take(20)?, 0);
            (extra.u16()? == EXTRA_ZIP64 && extra.u16()? == 16).then_some(())?;
            size = extra.u64()?;
            packed = extra.u64()?;
        } else if extra_len != 0 {
            return None;
        }
        let header = (LOCAL_LEN + name_len + extra_len) as u64;
        let record = header.checked_add(packed)?;
        Some((
            name,
            Packed {
                method,
                crc,
                packed,
                size,
                record,
            },
        ))
    }
}

/// Makes records: one file at a time, each on its own, so any number of packers on any
/// number of threads, in any order, make the same records.
pub struct Packer {
    /// One deflate state for all the files a packer sees: building one costs more than
    /// deflating a small file.
    deflate: Compress,
    level: Level,
    at: Zip64From,
}

impl Packer {
    /// A packer deflating at `level`.
    pub fn new(level: Level) -> Self {
        Self::with_limits(level, Zip64From::FORMAT)
    }

    fn with_limits(level: Level, at: Zip64From) -> Self {
        Self {
            deflate: Self::deflate(level),
            level,
            at,
        }
    }

    fn deflate(level: Level) -> Compress {
        Compress::new(Compression::new(level.zlib()), false)
    }

    /// The record of the file `bytes` at `path`, in a buffer of its own.
    pub fn pack(&mut self, path: &ProjectPath, bytes: &[u8]) -> (Vec<u8>, Packed) {
        let mut out = Vec::with_capacity(LOCAL_LEN + path.as_str().len() + 20 + bytes.len());
        let packed = self.pack_into(&mut out, path, bytes);
        (out, packed)
    }

    /// Appends the record of the file `bytes` at `path` to `out`.
    ///
    /// Files with a [stored](is_stored) extension and empty files are stored; the others are
    /// deflated (raw deflate), and stored after all when deflate does not make them smaller
    /// (tiny files, data that is already compressed), so no entry is bigger than its file.
    pub fn pack_into(&mut self, out: &mut Vec<u8>, path: &ProjectPath, bytes: &[u8]) -> Packed {
        let deflate = !(is_stored(path) || bytes.is_empty());
        let name = path.as_str().as_bytes();
        let at = self.at;
        let start = out.len();
        let size = bytes.len() as u64;
        // Deflated entries end up no bigger than their file, so the size alone decides.
        let zip64 = size >= at.bytes;
        put32(out, LOCAL_SIG);
        put16(
            out,
            if zip64 {
                VERSION_ZIP64
            } else {
                VERSION_DEFLATE
            },
        );
        put16(out, FLAG_UTF8);
        put16(out, STORED); // Method, CRC and packed size are filled in below.
        put16(out, DOS_TIME);
        put16(out, DOS_DATE);
        put32(out, 0);
        put32(out, 0);
        put32(out, at.field32(size));
        put16(out, name.len() as u16);
        put16(out, if zip64 { 20 } else { 0 });
        out.extend_from_slice(name);
        if zip64 {
            put16(out, EXTRA_ZIP64);
            put16(out, 16);
            put64(out, size);
            put64(out, 0);
        }
        let data = out.len();

        let mut crc = Crc::new();
        let method = if deflate {
            crc.update(bytes);
            if deflate_into(out, &mut self.deflate, bytes) {
                DEFLATED
            } else {
                // A stream stopped for want of room is not reset and reused: zlib-rs 0.6.8's
                // level 1 then panics on a later file ("buf.len() must fit in remaining()").
                self.deflate = Self::deflate(self.level);
                out.truncate(data);
                out.extend_from_slice(bytes);
                STORED
            }
        } else {
            // A piece at a time, so the copy reads what the CRC just brought into the cache.
            for piece in bytes.chunks(64 * 1024) {
                crc.update(piece);
                out.extend_from_slice(piece);
            }
            STORED
        };
        let packed = (out.len() - data) as u64;
        let crc = crc.sum();

        patch16(out, start + 8, method);
        patch32(out, start + 14, crc);
        if zip64 {
            patch32(out, start + 18, U32_MARK);
            patch64(out, data - 8, packed);
        } else {
            patch32(out, start + 18, packed as u32);
        }
        Packed {
            method,
            crc,
            packed,
            size,
            record: (out.len() - start) as u64,
        }
    }
}

/// The central directory, built as the records are laid down one after the other in the
/// tree's order; [`finish`](Directory::finish) ends the archive.
pub struct Directory {
    central: Vec<u8>,
    /// Where the next record starts: the length of the records so far.
    offset: u64,
    entries: u64,
    at: Zip64From,
}

impl Default for Directory {
    fn default() -> Self {
        Self::with_limits(Zip64From::FORMAT)
    }
}

impl Directory {
    /// An empty directory: the archive's first record goes at offset 0.
    pub fn new() -> Self {
        Self::default()
    }

    fn with_limits(at: Zip64From) -> Self {
        Self {
            central: Vec::new(),
            offset: 0,
            entries: 0,
            at,
        }
    }

    /// Records the entry `name` (its mode `0755` when `executable`, else `0644`) whose record,
    /// summed up by `packed`, comes right after the ones added before.
    pub fn add(&mut self, name: &str, executable: bool, packed: &Packed) {
        let mode = if executable { 0o755 } else { 0o644 };
        write_central(
            &mut self.central,
            name.as_bytes(),
            mode,
            self.offset,
            packed,
            self.at,
        );
        self.offset += packed.record;
        self.entries += 1;
    }

    /// Appends the central directory and the end records to `out`, which holds (or is
    /// written after) every record added.
    pub fn finish(self, out: &mut Vec<u8>) {
        let cd_size = self.central.len() as u64;
        out.extend_from_slice(&self.central);
        write_end(out, self.entries, self.offset, cd_size, self.at);
    }
}

// `progress` is a trait object so that the extension's module holds one copy of this
// function, whatever closures its callers pass (the size budget).
fn write(
    tree: &SourceTree,
    level: Level,
    progress: &mut dyn FnMut(usize, usize),
    at: Zip64From,
) -> Vec<u8> {
    let total = tree.len();
    let mut out = Vec::with_capacity(capacity(tree, at));
    let mut packer = Packer::with_limits(level, at);
    let mut directory = Directory::with_limits(at);
    for (done, (path, entry)) in tree.iter().enumerate() {
        let packed = packer.pack_into(&mut out, path, &entry.bytes);
        directory.add(path.as_str(), entry.executable, &packed);
        progress(done + 1, total);
    }
    directory.finish(&mut out);
    out
}

/// The archive's size when nothing shrinks: one allocation, however the files compress
/// (deflated files write into this room directly, and what they save is left unused).
fn capacity(tree: &SourceTree, at: Zip64From) -> usize {
    let headers: usize = tree
        .iter()
        .map(|(path, _)| LOCAL_LEN + CENTRAL_LEN + 2 * path.as_str().len())
        .sum();
    let plain = usize::try_from(tree.total_bytes())
        .unwrap_or(usize::MAX)
        .saturating_add(headers)
        .saturating_add(END_LEN);
    let zip64 = if plain as u64 >= at.bytes || tree.len() as u64 >= at.entries {
        // Local (20) and central (28) extra fields, end record and locator.
        tree.len() * 48 + ZIP64_END_LEN + ZIP64_LOCATOR_LEN
    } else {
        0
    };
    plain.saturating_add(zip64)
}

/// Deflates `bytes` onto the end of `out`; `false` (with `out` to be truncated) when that
/// would not be smaller than `bytes`.
fn deflate_into(out: &mut Vec<u8>, deflate: &mut Compress, bytes: &[u8]) -> bool {
    let start = out.len();
    // Room for the file itself: anything longer is not worth keeping, so one call either
    // finishes the stream or proves it does not shrink.
    out.reserve(bytes.len());
    deflate.reset();
    let finished = matches!(
        deflate.compress_vec(bytes, out, FlushCompress::Finish),
        Ok(Status::StreamEnd)
    );
    finished && out.len() - start < bytes.len()
}

fn write_central(
    out: &mut Vec<u8>,
    name: &[u8],
    mode: u32,
    offset: u64,
    w: &Packed,
    at: Zip64From,
) {
    let size = w.size;
    // The ZIP64 extra field holds, in this order, the fields that are marked in the header.
    let big_size = size >= at.bytes;
    let big_offset = offset >= at.bytes;
    let extra = if big_size { 16 } else { 0 } + if big_offset { 8 } else { 0 };
    let version = if extra > 0 {
        VERSION_ZIP64
    } else {
        VERSION_DEFLATE
    };
    put32(out, CENTRAL_SIG);
    put16(out, (u16::from(SYSTEM_UNIX) << 8) | version);
    put16(out, version);
    put16(out, FLAG_UTF8);
    put16(out, w.method);
    put16(out, DOS_TIME);
    put16(out, DOS_DATE);
    put32(out, w.crc);
    if big_size {
        put32(out, U32_MARK);
        put32(out, U32_MARK);
    } else {
        put32(out, w.packed as u32);
        put32(out, size as u32);
    }
    put16(out, name.len() as u16);
    put16(out, if extra > 0 { extra + 4 } else { 0 });
    put16(out, 0); // Comment length.
    put16(out, 0); // Disk number.
    put16(out, 0); // Internal attributes.
    put32(out, (S_IFREG | mode) << 16);
    put32(out, at.field32(offset));
    out.extend_from_slice(name);
    if extra > 0 {
        put16(out, EXTRA_ZIP64);
        put16(out, extra);
        if big_size {
            put64(out, size);
            put64(out, w.packed);
        }
        if big_offset {
            put64(out, offset);
        }
    }
}

fn write_end(out: &mut Vec<u8>, entries: u64, cd_start: u64, cd_size: u64, at: Zip64From) {
    let zip64 = entries >= at.entries || cd_start >= at.bytes || cd_size >= at.bytes;
    if zip64 {
        let record = out.len() as u64;
        put32(out, ZIP64_END_SIG);
        put64(out, (ZIP64_END_LEN - 12) as u64);
        put16(out, (u16::from(SYSTEM_UNIX) << 8) | VERSION_ZIP64);
        put16(out, VERSION_ZIP64);
        put32(out, 0); // This disk.
        put32(out, 0); // Disk of the central directory.
        put64(out, entries);
        put64(out, entries);
        put64(out, cd_size);
        put64(out, cd_start);
        put32(out, ZIP64_LOCATOR_SIG);
        put32(out, 0); // Disk of the ZIP64 end record.
        put64(out, record);
        put32(out, 1); // Number of disks.
    }
    let count = if entries >= at.entries {
        U16_MARK
    } else {
        entries as u16
    };
    put32(out, END_SIG);
    put16(out, 0);
    put16(out, 0);
    put16(out, count);
    put16(out, count);
    put32(out, at.field32(cd_size));
    put32(out, at.field32(cd_start));
    put16(out, 0); // Comment length.
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn patch16(out: &mut [u8], at: usize, v: u16) {
    out[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn patch32(out: &mut [u8], at: usize, v: u32) {
    out[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn patch64(out: &mut [u8], at: usize, v: u64) {
    out[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

/// [`write_zip`] with ZIP64 records everywhere they can go (every size, offset and count), so
/// tests check ZIP64 archives without writing 4 GiB.
#[cfg(test)]
pub(crate) fn write_zip64_everywhere(tree: &SourceTree) -> Vec<u8> {
    write(
        tree,
        Level::Normal,
        &mut |_, _| {},
        Zip64From {
            bytes: 0,
            entries: 0,
        },
    )
}

#[cfg(test)]
mod tests;
