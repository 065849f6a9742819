//! Builders of hostile archives, byte by byte where the ordinary writers would refuse.
#![allow(dead_code)]

use flate2::{Compress, Compression, FlushCompress};

/// One ustar entry (header + padded data), with any name bytes and type flag.
pub fn tar_entry(name: &[u8], kind: u8, data: &[u8], mode: u32) -> Vec<u8> {
    let mut header = [0u8; 512];
    header[..name.len()].copy_from_slice(name);
    let octal = |field: &mut [u8], value: u64| {
        let text = format!("{:0width$o}\0", value, width = field.len() - 1);
        field.copy_from_slice(text.as_bytes());
    };
    octal(&mut header[100..108], u64::from(mode));
    octal(&mut header[108..116], 0);
    octal(&mut header[116..124], 0);
    octal(&mut header[124..136], data.len() as u64);
    octal(&mut header[136..148], 0);
    header[156] = kind;
    if kind == b'2' {
        header[157..163].copy_from_slice(b"target");
    }
    header[257..263].copy_from_slice(b"ustar\0");
    header[263..265].copy_from_slice(b"00");
    header[148..156].copy_from_slice(b"        ");
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let mut out = header.to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
    out
}

/// A raw deflate stream of a prefix followed by `zero_mib` MiB of zeros, built from one
/// compressed MiB repeated (full flushes keep segments independent), so a 2 GiB bomb costs
/// two megabytes and no time to make.
pub fn deflate_bomb(prefix: &[u8], zero_mib: usize, zlib_header: bool) -> Vec<u8> {
    fn segment(c: &mut Compress, input: &[u8], flush: FlushCompress) -> Vec<u8> {
        let mut out = Vec::with_capacity(input.len() / 2 + 1024);
        c.compress_vec(input, &mut out, flush).unwrap();
        out
    }
    let mut c = Compress::new(Compression::best(), zlib_header);
    let mut out = segment(&mut c, prefix, FlushCompress::Full);
    let zeros = segment(&mut c, &vec![0u8; 1024 * 1024], FlushCompress::Full);
    for _ in 0..zero_mib {
        out.extend_from_slice(&zeros);
    }
    out.extend(segment(&mut c, &[], FlushCompress::Finish));
    out
}

/// A gzip member around a tar whose one file claims `mib` MiB of zeros.
pub fn tgz_bomb(mib: usize) -> Vec<u8> {
    let size = (mib as u64) * 1024 * 1024;
    let mut header = tar_entry(b"zeros.bin", b'0', b"", 0o644);
    let text = format!("{size:011o}\0");
    header[124..136].copy_from_slice(text.as_bytes());
    header[148..156].copy_from_slice(b"        ");
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    out.extend(deflate_bomb(&header, mib, false));
    out.extend([0u8; 8]); // CRC and size: never reached.
    out
}

/// A zip whose one deflated entry unpacks to `mib` MiB of zeros (CRC left wrong: a reader
/// must stop long before it could check it).
pub fn zip_bomb(mib: usize) -> Vec<u8> {
    let data = deflate_bomb(b"", mib, false);
    let name = b"zeros.bin";
    let size = (mib as u64 * 1024 * 1024).min(u64::from(u32::MAX)) as u32;
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    let mut out = Vec::new();
    out.extend(le32(0x0403_4b50));
    for v in [20u16, 0, 8, 0, 0x21] {
        out.extend(le16(v));
    }
    out.extend(le32(0));
    out.extend(le32(data.len() as u32));
    out.extend(le32(size));
    out.extend(le16(name.len() as u16));
    out.extend(le16(0));
    out.extend_from_slice(name);
    out.extend_from_slice(&data);
    let cd_start = out.len() as u32;
    out.extend(le32(0x0201_4b50));
    for v in [20u16, 20, 0, 8, 0, 0x21] {
        out.extend(le16(v));
    }
    out.extend(le32(0));
    out.extend(le32(data.len() as u32));
    out.extend(le32(size));
    out.extend(le16(name.len() as u16));
    for v in [0u16, 0, 0, 0] {
        out.extend(le16(v));
    }
    out.extend(le32(0));
    out.extend(le32(0));
    out.extend_from_slice(name);
    let cd_size = out.len() as u32 - cd_start;
    out.extend(le32(0x0605_4b50));
    for v in [0u16, 0, 1, 1] {
        out.extend(le16(v));
    }
    out.extend(le32(cd_size));
    out.extend(le32(cd_start));
    out.extend(le16(0));
    out
}
