//! Deterministic zip writer: sorted entries, fixed timestamps, deflate for what shrinks and
//! stored for what is already compressed. The same tree always gives the same bytes.
//!
//! Our own, not the `zip` crate: it cost about 77 KB of the extension's WebAssembly for the
//! little we use. What we write, and nothing else: entries in the tree's (path) order, each a
//! local header with the sizes and CRC-32 already filled in (no data descriptors), timestamp
//! 1980-01-01 00:00, no extra fields except ZIP64's, the UTF-8 flag on every name, and Unix
//! permissions (`0644`, or `0755` for executables) with "version made by" Unix, so `unzip` and
//! other readers restore the executable bit. ZIP64 records appear only when needed (more than
//! 65,534 entries, or a size or an offset of 4 GiB or more), so every archive stays readable.

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

/// Deflate level: zlib's default, the same the peers are measured at.
const DEFLATE_LEVEL: u32 = 6;

// Every name fits the 16-bit length fields.
const _: () = assert!(MAX_PATH_BYTES <= u16::MAX as usize);

/// Whether `path` is stored rather than deflated.
pub fn is_stored(path: &ProjectPath) -> bool {
    path.extension()
        .is_some_and(|ext| STORED_EXTENSIONS.contains(&ext.as_str()))
}

/// Writes `tree` as a zip archive and returns its bytes.
pub fn write_zip(tree: &SourceTree) -> Vec<u8> {
    write_zip_with_progress(tree, |_, _| {})
}

/// Like [`write_zip`], calling `progress(done, total)` after each file.
///
/// Files with a [stored](is_stored) extension and empty files are stored; the others are
/// deflated (raw deflate, level 6), and stored after all when deflate does not make them
/// smaller (tiny files, data that is already compressed), so no entry is bigger than its file.
pub fn write_zip_with_progress(tree: &SourceTree, progress: impl FnMut(usize, usize)) -> Vec<u8> {
    write(tree, progress, Zip64From::FORMAT)
}

/// From which value a size, an offset or the number of entries needs ZIP64 records. The
/// format's own limits in production (the all-ones value of a field means "see ZIP64", so it
/// needs ZIP64 itself); tests lower them to check ZIP64 archives on small trees.
#[derive(Debug, Clone, Copy)]
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

/// What the central directory needs to know of an entry written earlier.
struct Written {
    offset: u64,
    crc: u32,
    packed: u64,
    method: u16,
}

fn write(tree: &SourceTree, mut progress: impl FnMut(usize, usize), at: Zip64From) -> Vec<u8> {
    let total = tree.len();
    let mut out = Vec::with_capacity(capacity(tree, at));
    let mut written = Vec::with_capacity(total);
    // One deflate state for all files: building one costs more than deflating a small file.
    let mut deflate = Compress::new(Compression::new(DEFLATE_LEVEL), false);
    for (done, (path, entry)) in tree.iter().enumerate() {
        let deflated = !(is_stored(path) || entry.bytes.is_empty());
        written.push(write_entry(
            &mut out,
            path.as_str().as_bytes(),
            &entry.bytes,
            deflated.then_some(&mut deflate),
            at,
        ));
        progress(done + 1, total);
    }
    let cd_start = out.len() as u64;
    for ((path, entry), w) in tree.iter().zip(&written) {
        let mode = if entry.executable { 0o755 } else { 0o644 };
        write_central(
            &mut out,
            path.as_str().as_bytes(),
            entry.bytes.len() as u64,
            mode,
            w,
            at,
        );
    }
    let cd_size = out.len() as u64 - cd_start;
    write_end(&mut out, total as u64, cd_start, cd_size, at);
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

/// Writes one local header and the data after it; `deflate` is `None` for a stored entry.
fn write_entry(
    out: &mut Vec<u8>,
    name: &[u8],
    bytes: &[u8],
    deflate: Option<&mut Compress>,
    at: Zip64From,
) -> Written {
    let offset = out.len();
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
    let method = match deflate {
        Some(deflate) => {
            crc.update(bytes);
            if deflate_into(out, deflate, bytes) {
                DEFLATED
            } else {
                out.truncate(data);
                out.extend_from_slice(bytes);
                STORED
            }
        }
        None => {
            // A piece at a time, so the copy reads what the CRC just brought into the cache.
            for piece in bytes.chunks(64 * 1024) {
                crc.update(piece);
                out.extend_from_slice(piece);
            }
            STORED
        }
    };
    let packed = (out.len() - data) as u64;
    let crc = crc.sum();

    patch16(out, offset + 8, method);
    patch32(out, offset + 14, crc);
    if zip64 {
        patch32(out, offset + 18, U32_MARK);
        patch64(out, data - 8, packed);
    } else {
        patch32(out, offset + 18, packed as u32);
    }
    Written {
        offset: offset as u64,
        crc,
        packed,
        method,
    }
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

fn write_central(out: &mut Vec<u8>, name: &[u8], size: u64, mode: u32, w: &Written, at: Zip64From) {
    // The ZIP64 extra field holds, in this order, the fields that are marked in the header.
    let big_size = size >= at.bytes;
    let big_offset = w.offset >= at.bytes;
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
    put32(out, at.field32(w.offset));
    out.extend_from_slice(name);
    if extra > 0 {
        put16(out, EXTRA_ZIP64);
        put16(out, extra);
        if big_size {
            put64(out, size);
            put64(out, w.packed);
        }
        if big_offset {
            put64(out, w.offset);
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
        |_, _| {},
        Zip64From {
            bytes: 0,
            entries: 0,
        },
    )
}

#[cfg(test)]
mod tests;
