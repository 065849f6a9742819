//! Version-2 packfiles: `PACK`, version, object count, each object as a type-and-size header
//! followed by its zlib-compressed bytes (whole objects, no deltas), then the SHA-1 of all that.

use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use sha1::{Digest, Sha1};

use super::object::ObjectKind;

/// How hard to compress one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Already-compressed contents (images, fonts, archives): stored in zlib framing.
    Store,
    /// Everything else, at zlib's default level (what git uses).
    Default,
}

/// Writes a packfile object by object.
pub struct PackWriter {
    out: Vec<u8>,
    /// Where the pack starts in `out` (after a caller's prefix).
    start: usize,
    expected: u32,
    written: u32,
}

impl PackWriter {
    /// Starts a pack that will hold exactly `count` objects, reserving about `size_hint`
    /// bytes.
    pub fn new(count: u32, size_hint: usize) -> Self {
        Self::after(Vec::with_capacity(size_hint + 32), count)
    }

    /// Starts a pack right after `prefix` (a request's commands), so the whole request is
    /// one buffer; the trailer covers the pack only.
    pub fn after(mut prefix: Vec<u8>, count: u32) -> Self {
        let start = prefix.len();
        prefix.extend_from_slice(b"PACK");
        prefix.extend_from_slice(&2u32.to_be_bytes());
        prefix.extend_from_slice(&count.to_be_bytes());
        Self {
            out: prefix,
            start,
            expected: count,
            written: 0,
        }
    }

    /// Appends one whole object.
    pub fn add(&mut self, kind: ObjectKind, data: &[u8], level: Level) {
        write_entry_header(&mut self.out, kind.pack_type(), data.len() as u64);
        let level = match level {
            Level::Store => Compression::none(),
            Level::Default => Compression::default(),
        };
        let mut encoder = ZlibEncoder::new(&mut self.out, level);
        // Writing into a Vec cannot fail.
        encoder.write_all(data).expect("in-memory zlib");
        encoder.finish().expect("in-memory zlib");
        self.written += 1;
    }

    /// Appends the trailer and returns the bytes (prefix, if any, then the pack).
    ///
    /// # Panics
    /// If fewer or more objects were added than announced.
    pub fn finish(mut self) -> Vec<u8> {
        assert_eq!(self.written, self.expected, "pack object count");
        let trailer: [u8; 20] = Sha1::digest(&self.out[self.start..]).into();
        self.out.extend_from_slice(&trailer);
        self.out
    }
}

/// Type in bits 6-4 of the first byte, size in 4 bits then 7 bits per byte, little end
/// first; the high bit says "more bytes follow".
fn write_entry_header(out: &mut Vec<u8>, kind: u8, size: u64) {
    let mut byte = (kind << 4) | (size & 0x0f) as u8;
    let mut rest = size >> 4;
    while rest != 0 {
        out.push(byte | 0x80);
        byte = (rest & 0x7f) as u8;
        rest >>= 7;
    }
    out.push(byte);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_headers() {
        let mut out = Vec::new();
        write_entry_header(&mut out, 3, 5);
        assert_eq!(out, [0x35]);
        out.clear();
        write_entry_header(&mut out, 1, 100);
        // 100 = 0b110_0100: low nibble 4, then 6.
        assert_eq!(out, [0x80 | 0x10 | 4, 6]);
        out.clear();
        write_entry_header(&mut out, 2, 1 << 20);
        // 2^20: low nibble 0, then 7-bit groups 0, 0, 4.
        assert_eq!(out, [0x80 | 0x20, 0x80, 0x80, 4]);
    }

    #[test]
    fn empty_pack_is_header_and_trailer() {
        let pack = PackWriter::new(0, 0).finish();
        assert_eq!(&pack[..12], b"PACK\0\0\0\x02\0\0\0\0");
        assert_eq!(pack.len(), 32);
        let prefixed = PackWriter::after(b"0000".to_vec(), 0).finish();
        assert_eq!(&prefixed[4..], &pack[..]);
        // The trailer of git's empty pack.
        let hex: String = pack[12..].iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "029d08823bd8a8eab510ad6ac75c823cfd3ed31e");
    }
}
