use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use sha1::{Digest, Sha1};

use super::super::object::{object_id, ObjectKind};
use super::super::pack::{Level, PackWriter};
use super::*;

/// An entry's header: type and size, git's variable-length encoding.
fn header(kind: u8, size: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let mut byte = (kind << 4) | (size & 0x0f) as u8;
    let mut rest = size >> 4;
    while rest > 0 {
        out.push(byte | 0x80);
        byte = (rest & 0x7f) as u8;
        rest >>= 7;
    }
    out.push(byte);
    out
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// A pack of raw entries (each already its header and stream), with the right checksum.
fn pack_of(entries: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"PACK".to_vec();
    out.extend_from_slice(&2u32.to_be_bytes());
    out.extend_from_slice(&(entries.len() as u32).to_be_bytes());
    for entry in entries {
        out.extend_from_slice(entry);
    }
    let sum = Sha1::digest(&out);
    out.extend_from_slice(&sum);
    out
}

fn whole(kind: u8, data: &[u8]) -> Vec<u8> {
    let mut entry = header(kind, data.len() as u64);
    entry.extend(zlib(data));
    entry
}

/// A delta: source size, target size, then instructions.
fn delta(source: u64, target: u64, ops: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for mut value in [source, target] {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    out.extend_from_slice(ops);
    out
}

fn ref_delta(base: ObjectId, delta: &[u8]) -> Vec<u8> {
    let mut entry = header(7, delta.len() as u64);
    entry.extend_from_slice(base.as_bytes());
    entry.extend(zlib(delta));
    entry
}

/// An OFS_DELTA `back` bytes after its base.
fn ofs_delta(back: u64, delta: &[u8]) -> Vec<u8> {
    let mut entry = header(6, delta.len() as u64);
    let mut bytes = vec![(back & 0x7f) as u8];
    let mut rest = back >> 7;
    while rest > 0 {
        rest -= 1;
        bytes.push(0x80 | (rest & 0x7f) as u8);
        rest >>= 7;
    }
    bytes.reverse();
    entry.extend(bytes);
    entry.extend(zlib(delta));
    entry
}

#[test]
fn our_own_packs_read_back_with_their_ids() {
    let mut writer = PackWriter::new(3, 64);
    writer.add(ObjectKind::Blob, b"hello\n", Level::Default);
    writer.add(ObjectKind::Blob, &[0, 255, 1], Level::Store);
    writer.add(ObjectKind::Blob, b"", Level::Default);
    let objects = read_pack(&writer.finish(), PackLimits::default()).unwrap();
    assert_eq!(objects.len(), 3);
    for data in [&b"hello\n"[..], &[0, 255, 1], b""] {
        let object = &objects[&object_id(ObjectKind::Blob, data)];
        assert_eq!(
            (object.kind, object.data.as_slice()),
            (PackedKind::Blob, data)
        );
    }
}

#[test]
fn deltas_by_offset_and_by_id_forwards_and_backwards() {
    let base = b"0123456789abcdef".to_vec();
    let base_id = object_id(ObjectKind::Blob, &base);
    // Copy 10 bytes from offset 2, then insert "XY": "23456789abXY".
    let ops = [0x80 | 0x01 | 0x10, 2, 10, 2, b'X', b'Y'];
    let d = delta(16, 12, &ops);
    let base_entry = whole(3, &base);
    let by_offset = ofs_delta(base_entry.len() as u64, &d);
    let expected = b"23456789abXY";
    for entries in [
        vec![base_entry.clone(), by_offset],
        vec![base_entry.clone(), ref_delta(base_id, &d)],
        vec![ref_delta(base_id, &d), base_entry.clone()], // the base after its delta
    ] {
        let objects = read_pack(&pack_of(&entries), PackLimits::default()).unwrap();
        assert_eq!(
            objects[&object_id(ObjectKind::Blob, expected)].data,
            expected
        );
        assert_eq!(objects.len(), 2);
    }
    // A copy of size 0 means 0x10000 bytes: out of this base, refused.
    let big = delta(16, 0x10000, &[0x80 | 0x01, 0]);
    let error = read_pack(
        &pack_of(&[base_entry.clone(), ref_delta(base_id, &big)]),
        PackLimits::default(),
    );
    assert_eq!(
        error.unwrap_err(),
        PackReadError::BadDelta {
            offset: 12 + base_entry.len()
        }
    );
}

#[test]
fn hostile_packs_are_refused_without_panics_or_huge_allocations() {
    let good = pack_of(&[whole(3, b"hello")]);
    let mut bad_sum = good.clone();
    *bad_sum.last_mut().unwrap() ^= 1;
    assert_eq!(
        read_pack(&bad_sum, PackLimits::default()),
        Err(PackReadError::Checksum)
    );
    assert_eq!(
        read_pack(b"PACK", PackLimits::default()),
        Err(PackReadError::NotAPack)
    );
    let mut v9 = good.clone();
    v9[7] = 9;
    assert_eq!(
        read_pack(&v9, PackLimits::default()),
        Err(PackReadError::Version(9))
    );
    // More objects than allowed, declared in the header.
    let limits = PackLimits {
        max_objects: 1,
        max_bytes: 1 << 20,
    };
    assert!(matches!(
        read_pack(&pack_of(&[whole(3, b"a"), whole(3, b"b")]), limits),
        Err(PackReadError::TooManyObjects { count: 2, max: 1 })
    ));
    // A size of 2^60 is refused before anything is allocated.
    let mut huge = header(3, 1 << 60);
    huge.extend(zlib(b"small"));
    assert!(matches!(
        read_pack(&pack_of(&[huge]), PackLimits::default()),
        Err(PackReadError::TooLarge { .. })
    ));
    // A stream longer or shorter than declared.
    let mut liar = header(3, 3);
    liar.extend(zlib(b"much longer than three"));
    assert!(matches!(
        read_pack(&pack_of(&[liar]), PackLimits::default()),
        Err(PackReadError::Inflate { .. })
    ));
    let mut short = header(3, 30);
    short.extend(zlib(b"short"));
    assert!(matches!(
        read_pack(&pack_of(&[short]), PackLimits::default()),
        Err(PackReadError::Inflate { .. })
    ));
    // A delta bomb: each delta doubles what it copies; the budget stops it.
    let seed = vec![b'a'; 1000];
    let seed_id = object_id(ObjectKind::Blob, &seed);
    let mut entries = vec![whole(3, &seed)];
    let mut size = 1000u64;
    let mut last = seed_id;
    for _ in 0..30 {
        // copy everything twice: offset 0, size `size` (three bytes) twice.
        let s = size.to_le_bytes();
        let op = [0x80 | 0x70, s[0], s[1], s[2]];
        let ops = [op, op].concat();
        let d = delta(size, size * 2, &ops);
        entries.push(ref_delta(last, &d));
        size *= 2;
        last = object_id(ObjectKind::Blob, &vec![b'a'; size as usize]);
        if size > 1 << 22 {
            break;
        }
    }
    let limits = PackLimits {
        max_objects: 100,
        max_bytes: 1 << 20,
    };
    assert!(
        matches!(read_pack(&pack_of(&entries), limits), Err(PackReadError::TooLarge { max }) if max == 1 << 20)
    );
    // Unknown object types, missing bases, bytes after the checksum's place.
    assert!(matches!(
        read_pack(&pack_of(&[whole(5, b"x")]), PackLimits::default()),
        Err(PackReadError::BadHeader { offset: 12 })
    ));
    let orphan = ref_delta(
        object_id(ObjectKind::Blob, b"nowhere"),
        &delta(1, 1, &[1, b'x']),
    );
    assert!(matches!(
        read_pack(&pack_of(&[orphan]), PackLimits::default()),
        Err(PackReadError::MissingBase { offset: 12 })
    ));
    let mut trailing = pack_of(&[whole(3, b"x")]);
    let body_len = trailing.len() - 20;
    trailing.truncate(body_len);
    trailing.extend_from_slice(b"junk");
    let sum = Sha1::digest(&trailing);
    trailing.extend_from_slice(&sum);
    assert_eq!(
        read_pack(&trailing, PackLimits::default()),
        Err(PackReadError::TrailingBytes(4))
    );
}

#[test]
fn every_cut_and_every_flipped_byte_is_an_error_never_a_panic() {
    let base = (0..300).map(|i| (i % 251) as u8).collect::<Vec<_>>();
    let base_entry = whole(3, &base);
    let d = delta(300, 305, &[0x80 | 0x10 | 0x20, 44, 1, 5, 1, 2, 3, 4, 5]);
    let pack = pack_of(&[
        base_entry.clone(),
        ofs_delta(base_entry.len() as u64, &d),
        whole(2, b""),
    ]);
    assert!(read_pack(&pack, PackLimits::default()).is_ok());
    for cut in 0..pack.len() {
        assert!(
            read_pack(&pack[..cut], PackLimits::default()).is_err(),
            "cut at {cut}"
        );
    }
    for i in 12..pack.len() - 20 {
        for bit in [0x01, 0x80] {
            let mut flipped = pack[..pack.len() - 20].to_vec();
            flipped[i] ^= bit;
            let sum = Sha1::digest(&flipped);
            flipped.extend_from_slice(&sum);
            let _ = read_pack(&flipped, PackLimits::default());
        }
    }
}
