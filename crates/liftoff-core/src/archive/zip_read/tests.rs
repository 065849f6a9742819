//! The zip reader against archives from other writers, hand-damaged archives and random
//! mutations. Archives are made by our writer or the `zip` crate, then patched at offsets we
//! know from the format.

use std::io::{Cursor, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::*;
use crate::archive::{read_archive, LimitKind};
use crate::report::Action;
use crate::zip_write::{write_zip, write_zip64_everywhere};

fn tree_of(files: &[(&str, &[u8], bool)]) -> SourceTree {
    let mut tree = SourceTree::new();
    for (path, bytes, executable) in files {
        let entry = FileEntry {
            bytes: bytes.to_vec(),
            executable: *executable,
        };
        tree.insert(path, entry, OnDuplicate::Refuse).unwrap();
    }
    tree
}

fn read_zip(bytes: &[u8]) -> (Result<SourceTree, ArchiveError>, Report) {
    let mut report = Report::default();
    let tree = read_archive("t.zip", bytes, &Limits::default(), &mut report);
    (tree, report)
}

fn damage_of(bytes: &[u8]) -> String {
    match read_zip(bytes).0 {
        Err(ArchiveError::Damaged { name, detail }) => {
            assert_eq!(name, "t.zip");
            detail
        }
        other => panic!("expected Damaged, got {other:?}"),
    }
}

fn skipped(report: &Report) -> Vec<(String, String)> {
    report
        .changes_with(Action::Skipped)
        .map(|c| (c.path.clone(), c.reason.clone()))
        .collect()
}

/// Offsets of every occurrence of `needle`.
fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// Offsets of the central directory entries (our writer's archives hold no other `PK\1\2`).
fn central_entries(zip: &[u8]) -> Vec<usize> {
    find_all(zip, &CENTRAL_SIG.to_le_bytes())
}

fn put16(zip: &mut [u8], at: usize, v: u16) {
    zip[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put32(zip: &mut [u8], at: usize, v: u32) {
    zip[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn get32(zip: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(zip[at..at + 4].try_into().unwrap())
}

const TEXT: &[u8] = b"export const answer = 42;\n";

fn two_files() -> Vec<u8> {
    write_zip(&tree_of(&[
        ("a.ts", &TEXT.repeat(40), false),
        ("b.png", b"\x89PNG not really", false),
    ]))
}

#[test]
fn reads_what_the_zip_crate_writes() {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default();
    let stored = deflated.compression_method(CompressionMethod::Stored);
    w.add_directory("src/", deflated).unwrap();
    w.start_file("src/main.ts", deflated).unwrap();
    w.write_all(&TEXT.repeat(100)).unwrap();
    w.start_file("run.sh", stored.unix_permissions(0o755))
        .unwrap();
    w.write_all(b"#!/bin/sh\n").unwrap();
    w.start_file("big.bin", deflated.large_file(true)).unwrap();
    w.write_all(&[7u8; 100_000]).unwrap();
    w.start_file("empty", stored).unwrap();
    w.add_symlink("link", "src/main.ts", deflated).unwrap();
    w.set_comment("made by the zip crate, PK\u{5}\u{6} and all")
        .unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let (tree, report) = read_zip(&bytes);
    let tree = tree.unwrap();
    let want = tree_of(&[
        ("src/main.ts", &TEXT.repeat(100), false),
        ("run.sh", b"#!/bin/sh\n", true),
        ("big.bin", &[7u8; 100_000], false),
        ("empty", b"", false),
    ]);
    assert_eq!(tree, want);
    assert_eq!(
        skipped(&report),
        [(
            "link".to_string(),
            "symbolic link: links are not exported".to_string()
        )]
    );
}

#[test]
fn zip64_archives_read() {
    let tree = tree_of(&[
        ("a.ts", &TEXT.repeat(40), false),
        ("b.png", b"png", false),
        ("c/d.sh", b"#!/bin/sh\n", true),
    ]);
    assert_eq!(read_zip(&write_zip64_everywhere(&tree)).0.unwrap(), tree);
}

#[test]
fn names_not_in_utf8_are_cp437_as_the_zip_crate_reads_them() {
    // One entry per high byte, named `n` + the byte + `.txt`, patched in after writing.
    let placeholders: Vec<String> = (0x80..=0xffu32).map(|b| format!("n{b:02x}.txt")).collect();
    let files: Vec<(&str, &[u8], bool)> = placeholders
        .iter()
        .map(|p| (p.as_str(), &b"x"[..], false))
        .collect();
    let mut zip = write_zip(&tree_of(&files));
    for (b, placeholder) in (0x80..=0xffu8).zip(&placeholders) {
        let raw = [b'n', b, b'_', b'.', b't', b'x', b't'];
        for at in find_all(&zip, placeholder.as_bytes()) {
            zip[at..at + 7].copy_from_slice(&raw);
        }
    }
    let mut theirs = ZipArchive::new(Cursor::new(&zip[..])).unwrap();
    let want: Vec<String> = (0..theirs.len())
        .map(|i| theirs.by_index_raw(i).unwrap().name().unwrap().into_owned())
        .collect();
    // The directory's names, before the tree (which refuses names that differ in case only).
    let ours: Vec<String> = directory(&zip)
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(ours, want);
    assert_eq!(ours[0], "nÇ_.txt");
    assert_eq!(ours[0x61], "nß_.txt");
}

#[test]
fn the_unicode_path_field_names_the_entry_while_its_crc_matches() {
    let field = |crc_of: &str, name: &str| {
        let mut data = vec![1u8];
        let mut crc = Crc::new();
        crc.update(crc_of.as_bytes());
        data.extend(crc.sum().to_le_bytes());
        data.extend(name.as_bytes());
        data
    };
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (raw, crc_of, unicode) in [
        ("cafe.txt", "cafe.txt", "café.txt"),
        ("stale.txt", "renamed.txt", "wrong.txt"),
    ] {
        let mut options = SimpleFileOptions::default().into_full_options();
        options
            .add_extra_field(EXTRA_UNICODE_PATH, field(crc_of, unicode), false)
            .unwrap();
        w.start_file(raw, options).unwrap();
        w.write_all(raw.as_bytes()).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    let tree = read_zip(&bytes).0.unwrap();
    let names: Vec<String> = tree.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(names, ["café.txt", "stale.txt"]);
}

#[test]
fn executable_bit_follows_the_unix_mode_and_not_dos_attributes() {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let dos = SimpleFileOptions::default()
        .system(zip::System::Dos)
        .unix_permissions(0o755);
    w.start_file("dos.exe", dos).unwrap();
    w.write_all(b"MZ").unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let tree = read_zip(&bytes).0.unwrap();
    assert!(!tree.get("dos.exe").unwrap().executable);

    // Made by another system (here NTFS) with a mode in the upper bits: that mode counts.
    let mut zip = write_zip(&tree_of(&[("tool", b"#!/bin/sh\n", true)]));
    let cd = central_entries(&zip)[0];
    put16(&mut zip, cd + 4, (10 << 8) | 20);
    assert!(read_zip(&zip).0.unwrap().get("tool").unwrap().executable);
    put32(&mut zip, cd + 38, 0);
    assert!(!read_zip(&zip).0.unwrap().get("tool").unwrap().executable);
}

#[test]
fn our_symlink_mode_is_skipped_and_reported() {
    let mut zip = write_zip(&tree_of(&[
        ("link", b"/etc/passwd", false),
        ("a", b"a", false),
    ]));
    let cd = central_entries(&zip)[1];
    put32(&mut zip, cd + 38, (S_IFLNK | 0o777) << 16);
    let (tree, report) = read_zip(&zip);
    assert_eq!(tree.unwrap().len(), 1);
    assert_eq!(skipped(&report)[0].0, "link");
}

#[test]
fn crc_mismatch_names_the_entry() {
    let mut zip = two_files();
    // b.png is stored: its data sits right after its local header's name.
    let at = find_all(&zip, b"\x89PNG")[0];
    zip[at + 5] ^= 1;
    let detail = damage_of(&zip);
    assert!(detail.starts_with("b.png: CRC-32 mismatch"), "{detail}");
}

#[test]
fn sizes_that_disagree_with_the_data_name_the_entry() {
    let zip = two_files();
    let cd = central_entries(&zip)[1];
    for size in [3u32, 40] {
        let mut bad = zip.clone();
        put32(&mut bad, cd + 24, size);
        let detail = damage_of(&bad);
        assert!(detail.starts_with("b.png: "), "{detail}");
        assert!(detail.contains("the directory says"), "{detail}");
    }
    let mut bad = zip.clone();
    put32(&mut bad, cd + 24, 1);
    let detail = damage_of(&bad);
    assert!(detail.contains("more data than the 1 byte the"), "{detail}");
    // A deflated entry that inflates to more than its size stops there.
    let cd = central_entries(&zip)[0];
    let mut bad = zip.clone();
    put32(&mut bad, cd + 24, 100);
    let detail = damage_of(&bad);
    assert!(detail.starts_with("a.ts: more data than"), "{detail}");
}

#[test]
fn other_methods_are_refused_by_name() {
    let mut zip = two_files();
    let cd = central_entries(&zip)[0];
    put16(&mut zip, cd + 10, 12);
    let detail = damage_of(&zip);
    assert_eq!(
        detail,
        "a.ts: compression method 12 (bzip2) is not supported, only stored and deflate"
    );
}

#[test]
fn encrypted_entries_are_refused_by_name() {
    let mut zip = two_files();
    let cd = central_entries(&zip)[1];
    put16(&mut zip, cd + 8, FLAG_UTF8 | FLAG_ENCRYPTED);
    match read_zip(&zip).0 {
        Err(ArchiveError::Encrypted { name, entry }) => {
            assert_eq!((name.as_str(), entry.as_str()), ("t.zip", "b.png"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn overlapping_entries_are_refused() {
    // The second entry's directory record points at the first one's local header: the
    // classic overlapping-files bomb.
    let mut zip = two_files();
    let cd = central_entries(&zip)[1];
    put32(&mut zip, cd + 42, 0);
    let detail = damage_of(&zip);
    assert!(detail.contains("overlap"), "{detail}");
}

#[test]
fn offsets_outside_the_archive_are_refused() {
    let zip = two_files();
    let cd = central_entries(&zip)[1];
    for offset in [u32::MAX - 1, (cd - 4) as u32, 1] {
        let mut bad = zip.clone();
        put32(&mut bad, cd + 42, offset);
        let detail = damage_of(&bad);
        assert!(detail.starts_with("b.png: "), "{offset}: {detail}");
    }
    // The directory itself out of range.
    let end = zip.len() - END_LEN;
    let mut bad = zip.clone();
    put32(&mut bad, end + 16, u32::MAX - 10);
    assert!(damage_of(&bad).contains("central directory"));
    // A packed size running into the directory.
    let mut bad = zip.clone();
    put32(&mut bad, cd + 20, 1 << 20);
    assert!(damage_of(&bad).starts_with("b.png: "));
}

#[test]
fn entry_counts_must_agree() {
    let mut zip = two_files();
    let end = zip.len() - END_LEN;
    put16(&mut zip, end + 8, 3);
    put16(&mut zip, end + 10, 3);
    let detail = damage_of(&zip);
    assert!(detail.contains("holds 2 entries"), "{detail}");
}

#[test]
fn prepended_data_and_comments_are_fine() {
    let tree = tree_of(&[("a.ts", &TEXT.repeat(40), false), ("b.png", b"png", false)]);
    let zip = write_zip(&tree);
    let mut sfx = b"#!/bin/sh\necho self-extracting stub\nexit 0\n".to_vec();
    sfx.extend_from_slice(&zip);
    // `sniff` wants the archive at the start: read it through the zip reader directly.
    let mut report = Report::default();
    let back = super::read("sfx.zip", &sfx, &Limits::default(), &mut report).unwrap();
    assert_eq!(back, tree);

    let mut commented = zip.clone();
    let end = commented.len() - END_LEN;
    let comment = b"a comment with a fake PK\x05\x06 inside";
    put16(&mut commented, end + 20, comment.len() as u16);
    commented.extend_from_slice(comment);
    assert_eq!(read_zip(&commented).0.unwrap(), tree);

    // The same with ZIP64 records, found before the locator as well.
    let zip64 = write_zip64_everywhere(&tree);
    let mut sfx = vec![b'#'; 1000];
    sfx.extend_from_slice(&zip64);
    let back = super::read("sfx.zip", &sfx, &Limits::default(), &mut report).unwrap();
    assert_eq!(back, tree);
}

#[test]
fn duplicate_names_keep_the_first_and_report_the_second() {
    let mut zip = write_zip(&tree_of(&[
        ("a.txt", b"first", false),
        ("b.txt", b"second", false),
    ]));
    for at in find_all(&zip, b"b.txt") {
        zip[at] = b'a';
    }
    let (tree, report) = read_zip(&zip);
    assert_eq!(tree.unwrap().get("a.txt").unwrap().bytes, b"first");
    let skipped = skipped(&report);
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0].1.contains("duplicate"), "{skipped:?}");
}

#[test]
fn damaged_deflate_data_names_the_entry() {
    let mut zip = two_files();
    let data = LOCAL_LEN + "a.ts".len();
    for b in &mut zip[data..data + 8] {
        *b = 0xff;
    }
    let detail = damage_of(&zip);
    assert!(detail.starts_with("a.ts: deflate data damaged"), "{detail}");

    // Cut short: the packed size (in both headers) says less than the stream needs.
    let mut zip = two_files();
    let cd = central_entries(&zip)[0];
    let packed = get32(&zip, cd + 20);
    put32(&mut zip, cd + 20, packed / 2);
    let detail = damage_of(&zip);
    assert!(detail.starts_with("a.ts: "), "{detail}");
}

#[test]
fn one_bomb_entry_stops_at_the_entry_ratio() {
    // 20 MiB of zeros in one entry of an archive padded with 8 MiB of noise: the whole
    // archive's ratio stays low, the entry's does not.
    let mut zeros = tree_of(&[("zeros.txt", &vec![0u8; 20 << 20], false)]);
    let mut noise = Vec::with_capacity(8 << 20);
    let mut x = 1u32;
    while noise.len() < 8 << 20 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise.extend_from_slice(&x.to_le_bytes());
    }
    zeros
        .insert("noise.png", FileEntry::new(noise), OnDuplicate::Refuse)
        .unwrap();
    let zip = write_zip(&zeros);
    match read_zip(&zip).0 {
        Err(ArchiveError::Limit {
            limit: LimitKind::Ratio { .. },
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
}

/// splitmix64: the fuzz test's deterministic randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One to four random changes: bits, bytes, whole fields set to zero or all ones (most often
/// right after a signature, where the header fields are), cuts, insertions and copies.
fn mutate(rng: &mut Rng, zip: &mut Vec<u8>, signatures: &[usize]) {
    for _ in 0..1 + rng.below(4) {
        if zip.is_empty() {
            return;
        }
        let len = zip.len();
        let at = if rng.below(2) == 0 && !signatures.is_empty() {
            (signatures[rng.below(signatures.len())] + rng.below(48)).min(len - 1)
        } else {
            rng.below(len)
        };
        match rng.below(7) {
            0 => zip[at] ^= 1 << rng.below(8),
            1 => zip[at] = rng.next() as u8,
            2 | 3 => {
                let value = [0x00, 0xff, 0x7f, 0x80][rng.below(4)];
                let end = (at + [1, 2, 4, 8][rng.below(4)]).min(len);
                zip[at..end].fill(value);
            }
            4 => zip.truncate(at),
            5 => {
                let junk: Vec<u8> = (0..1 + rng.below(64)).map(|_| rng.next() as u8).collect();
                zip.splice(at..at, junk);
            }
            _ => {
                let from = rng.below(len);
                let n = rng.below(64).min(len - from).min(len - at);
                zip.copy_within(from..from + n, at);
            }
        }
    }
}

#[test]
fn random_mutations_never_panic() {
    let tree = tree_of(&[
        ("src/a.ts", &TEXT.repeat(60), false),
        ("src/b.ts", b"export {};\n", false),
        ("logo.png", &[0x89, b'P', b'N', b'G', 1, 2, 3, 4], false),
        ("bin/run", b"#!/bin/sh\necho run\n", true),
        ("empty", b"", false),
        (
            "big.txt",
            &b"lorem ipsum dolor sit amet ".repeat(4000),
            false,
        ),
    ]);
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    w.add_directory("dir/", SimpleFileOptions::default())
        .unwrap();
    w.start_file("dir/x.txt", SimpleFileOptions::default().large_file(true))
        .unwrap();
    w.write_all(&TEXT.repeat(30)).unwrap();
    w.add_symlink("dir/link", "x.txt", SimpleFileOptions::default())
        .unwrap();
    let theirs = w.finish().unwrap().into_inner();
    let bases = [write_zip(&tree), write_zip64_everywhere(&tree), theirs];
    // Small limits: nothing a mutation claims may make us allocate much.
    let limits = Limits {
        max_total_bytes: 4 << 20,
        max_entries: 64,
        max_ratio: 100,
        ratio_floor_bytes: 1 << 20,
    };
    let mut rng = Rng(0x5eed_2026);
    let (mut ok, mut err) = (0, 0);
    for (b, base) in bases.iter().enumerate() {
        assert!(read_archive("base.zip", base, &limits, &mut Report::default()).is_ok());
        let signatures: Vec<usize> = find_all(base, b"PK");
        for i in 0..4000 {
            let mut zip = base.clone();
            mutate(&mut rng, &mut zip, &signatures);
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                // The reader directly: `read_archive` would turn away most mutated starts.
                super::read("fuzz.zip", &zip, &limits, &mut Report::default()).is_ok()
            }));
            match outcome {
                Ok(true) => ok += 1,
                Ok(false) => err += 1,
                Err(_) => panic!(
                    "base {b}, mutation {i}: the reader panicked on {} bytes: {:02x?}",
                    zip.len(),
                    zip
                ),
            }
        }
    }
    eprintln!("fuzz: {ok} read, {err} refused");
    assert!(ok > 100 && err > 1000, "{ok} read, {err} refused");
}
