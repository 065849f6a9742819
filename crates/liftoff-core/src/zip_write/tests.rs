//! The writer's output, checked by our reader and by independent ones: the `zip` crate,
//! Python's `zipfile` and Info-ZIP's `unzip` (the last two when installed).

use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;

use zip::{CompressionMethod, DateTime, ZipArchive};

use super::*;
use crate::limits::Limits;
use crate::report::Report;
use crate::tree::{FileEntry, OnDuplicate};

fn sample(order: &[usize]) -> SourceTree {
    let files: [(&str, Vec<u8>, bool); 4] = [
        ("src/App.tsx", b"export default 1;\n".repeat(50), false),
        (
            "public/logo.png",
            (0..=255u8).cycle().take(3000).collect(),
            false,
        ),
        ("scripts/run.sh", b"#!/bin/sh\necho hi\n".to_vec(), true),
        ("empty.txt", Vec::new(), false),
    ];
    let mut tree = SourceTree::new();
    for &i in order {
        let (p, b, x) = &files[i];
        let entry = FileEntry {
            bytes: b.clone(),
            executable: *x,
        };
        tree.insert(p, entry, OnDuplicate::Refuse).unwrap();
    }
    tree
}

/// Bytes no compressor can shrink (splitmix64).
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A tree with every kind of entry: deflated text, stored formats, incompressible data
/// under a text-like name, a tiny file, an empty one, an executable, a non-ASCII name.
fn varied() -> SourceTree {
    let mut tree = sample(&[0, 1, 2, 3]);
    let more: [(&str, Vec<u8>, bool); 5] = [
        ("data/noise.bin", noise(70_000, 1), false),
        (
            "docs/café ünïcødé.md",
            "# Überschrift\n".repeat(300).into(),
            false,
        ),
        ("a.txt", b"a".to_vec(), false),
        ("bin/tool", b"#!/usr/bin/env node\n".repeat(40), true),
        ("big.js", b"console.log('x');\n".repeat(20_000), false),
    ];
    for (p, b, x) in more {
        let entry = FileEntry {
            bytes: b,
            executable: x,
        };
        tree.insert(p, entry, OnDuplicate::Refuse).unwrap();
    }
    tree
}

fn read_back(bytes: &[u8], limits: &Limits) -> SourceTree {
    let mut report = Report::default();
    let back = crate::archive::read_archive("t.zip", bytes, limits, &mut report).unwrap();
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    back
}

/// Reads every entry with the `zip` crate (which checks each CRC-32) and compares it with the
/// tree: contents, mode, method (deflated exactly when that saved bytes), timestamp.
fn check_with_zip_crate(bytes: &[u8], tree: &SourceTree) {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).unwrap();
    assert_eq!(archive.len(), tree.len());
    for (i, (path, entry)) in tree.iter().enumerate() {
        let mut file = archive.by_index(i).unwrap();
        assert_eq!(file.name().unwrap(), path.as_str());
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        assert!(data == entry.bytes, "{path} differs");
        let mode = if entry.executable { 0o100755 } else { 0o100644 };
        assert_eq!(file.unix_mode(), Some(mode), "{path}");
        assert_eq!(file.system(), zip::System::Unix, "{path}");
        assert_eq!(file.last_modified(), Some(DateTime::default()), "{path}");
        let want = if is_stored(path) || file.compressed_size() == file.size() {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        assert_eq!(file.compression(), want, "{path}");
        assert!(file.compressed_size() <= file.size(), "{path}");
    }
}

#[test]
fn deterministic_whatever_the_insertion_order() {
    let a = write_zip(&sample(&[0, 1, 2, 3]));
    let b = write_zip(&sample(&[3, 2, 1, 0]));
    assert_eq!(a, b);
}

#[test]
fn round_trips_bytes_and_modes() {
    let tree = sample(&[0, 1, 2, 3]);
    let bytes = write_zip(&tree);
    assert_eq!(read_back(&bytes, &Limits::default()), tree);
    let tree = varied();
    assert_eq!(read_back(&write_zip(&tree), &Limits::default()), tree);
}

#[test]
fn stores_compressed_formats_and_deflates_text() {
    let bytes = write_zip(&sample(&[0, 1, 2, 3]));
    let mut archive = ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
    let method = |a: &mut ZipArchive<_>, n: &str| a.by_name(n).unwrap().compression();
    assert_eq!(
        method(&mut archive, "public/logo.png"),
        CompressionMethod::Stored
    );
    assert_eq!(
        method(&mut archive, "src/App.tsx"),
        CompressionMethod::Deflated
    );
    let names: Vec<_> = archive.file_names().collect();
    assert_eq!(names.len(), 4);
    let stamp = archive.by_name("src/App.tsx").unwrap().last_modified();
    assert_eq!(stamp, Some(DateTime::default()));
}

#[test]
fn what_deflate_does_not_shrink_is_stored() {
    let bytes = write_zip(&varied());
    let mut archive = ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
    for (name, method) in [
        ("data/noise.bin", CompressionMethod::Stored),
        ("a.txt", CompressionMethod::Stored),
        ("empty.txt", CompressionMethod::Stored),
        ("big.js", CompressionMethod::Deflated),
    ] {
        assert_eq!(
            archive.by_name(name).unwrap().compression(),
            method,
            "{name}"
        );
    }
    let noise = archive.by_name("data/noise.bin").unwrap();
    assert_eq!(noise.compressed_size(), noise.size());
}

#[test]
fn the_zip_crate_reads_contents_modes_methods_and_stamps() {
    let tree = varied();
    check_with_zip_crate(&write_zip(&tree), &tree);
}

#[test]
fn headers_are_exactly_as_documented() {
    let mut tree = SourceTree::new();
    let entry = FileEntry {
        bytes: b"hi".to_vec(),
        executable: true,
    };
    tree.insert("x.sh", entry, OnDuplicate::Refuse).unwrap();
    let zip = write_zip(&tree);
    let le16 = |at: usize| u16::from_le_bytes([zip[at], zip[at + 1]]);
    let le32 = |at: usize| u32::from_le_bytes(zip[at..at + 4].try_into().unwrap());
    // Local header: version 2.0, UTF-8 flag, stored (2 bytes do not shrink), 1980-01-01
    // 00:00, CRC, sizes, no extra field, then the name and data.
    assert_eq!(le32(0), LOCAL_SIG);
    assert_eq!(
        [le16(4), le16(6), le16(8), le16(10), le16(12)],
        [20, 0x0800, 0, 0, 0x21]
    );
    let crc = {
        let mut c = Crc::new();
        c.update(b"hi");
        c.sum()
    };
    assert_eq!([le32(14), le32(18), le32(22)], [crc, 2, 2]);
    assert_eq!([le16(26), le16(28)], [4, 0]);
    assert_eq!(&zip[30..36], b"x.shhi");
    // Central header: made by Unix 2.0, same fields, mode 0100755, offset 0.
    let cd = 36;
    assert_eq!(le32(cd), CENTRAL_SIG);
    assert_eq!(
        [le16(cd + 4), le16(cd + 6), le16(cd + 8)],
        [0x0314, 20, 0x0800]
    );
    assert_eq!([le16(cd + 30), le16(cd + 32)], [0, 0]);
    assert_eq!(le32(cd + 38), 0o100755 << 16);
    assert_eq!(le32(cd + 42), 0);
    // End record: one entry, directory size and offset, no comment; nothing after it.
    let end = cd + 46 + 4;
    assert_eq!(le32(end), END_SIG);
    assert_eq!([le16(end + 8), le16(end + 10)], [1, 1]);
    assert_eq!([le32(end + 12) as usize, le32(end + 16) as usize], [50, cd]);
    assert_eq!(zip.len(), end + END_LEN);
}

#[test]
fn one_allocation_for_the_whole_archive() {
    // The records go straight into the archive's buffer; the central directory is built
    // beside it and copied into the room left at its end.
    for tree in [varied(), sample(&[1]), SourceTree::new()] {
        let zip = write_zip(&tree);
        assert_eq!(zip.capacity(), capacity(&tree, Zip64From::FORMAT));
        assert!(zip.len() <= zip.capacity());
    }
    // Stored files only: the estimate is the exact size.
    let stored = sample(&[1, 3]);
    assert_eq!(
        write_zip(&stored).len(),
        capacity(&stored, Zip64From::FORMAT)
    );
}

#[test]
fn progress_counts_every_file() {
    let tree = varied();
    let mut calls = Vec::new();
    let zip = write_zip_with_progress(&tree, |done, total| calls.push((done, total)));
    let want: Vec<_> = (1..=tree.len()).map(|d| (d, tree.len())).collect();
    assert_eq!(calls, want);
    assert_eq!(zip, write_zip(&tree));
}

#[test]
fn empty_tree_is_an_empty_archive() {
    let zip = write_zip(&SourceTree::new());
    assert_eq!(zip.len(), END_LEN);
    assert_eq!(ZipArchive::new(Cursor::new(&zip[..])).unwrap().len(), 0);
    assert!(read_back(&zip, &Limits::default()).is_empty());
}

#[test]
fn zip64_records_are_read_by_every_reader() {
    let tree = varied();
    let zip = write_zip64_everywhere(&tree);
    // Every size and offset went to ZIP64 fields, and the end records too.
    assert_eq!(&zip[18..26], &[0xff; 8]);
    assert!(zip.windows(4).any(|w| w == ZIP64_LOCATOR_SIG.to_le_bytes()));
    assert_eq!(read_back(&zip, &Limits::default()), tree);
    check_with_zip_crate(&zip, &tree);
    check_with_system_tools(&zip, &tree, "zip64");
}

#[test]
fn more_than_65535_entries_use_zip64() {
    let mut tree = SourceTree::new();
    for i in 0..70_000u32 {
        let entry = FileEntry {
            bytes: format!("file {i}\n").into_bytes(),
            executable: i % 1000 == 0,
        };
        tree.insert(&format!("f/{i:05}.txt"), entry, OnDuplicate::Refuse)
            .unwrap();
    }
    let zip = write_zip(&tree);
    let end = zip.len() - END_LEN;
    assert_eq!(
        &zip[end + 8..end + 12],
        &[0xff; 4],
        "count marked in the end record"
    );
    let limits = Limits {
        max_entries: 100_000,
        ..Limits::default()
    };
    assert_eq!(read_back(&zip, &limits), tree);
    let archive = ZipArchive::new(Cursor::new(&zip[..])).unwrap();
    assert_eq!(archive.len(), 70_000);
    check_with_system_tools(&zip, &tree, "many");
}

#[test]
fn system_tools_accept_our_zips() {
    let tree = varied();
    check_with_system_tools(&write_zip(&tree), &tree, "varied");
}

/// Python's `zipfile` (strict: CRC of every entry, headers, modes, stamps) and Info-ZIP's
/// `unzip -t`, then `unzip` itself to see the executable bit restored. Skipped, with a
/// note, where a tool is missing.
fn check_with_system_tools(zip: &[u8], tree: &SourceTree, label: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{label}.zip"));
    std::fs::write(&path, zip).unwrap();
    let executables: Vec<&str> = tree
        .iter()
        .filter(|(_, e)| e.executable)
        .map(|(p, _)| p.as_str())
        .collect();

    let script = r#"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None, "bad CRC"
executables = set(sys.argv[3:])
infos = z.infolist()
assert len(infos) == int(sys.argv[2]), (len(infos), sys.argv[2])
for i in infos:
    assert i.create_system == 3, (i.filename, i.create_system)
    assert i.date_time == (1980, 1, 1, 0, 0, 0), (i.filename, i.date_time)
    assert i.flag_bits & 0x800, i.filename
    assert i.compress_type in (0, 8), i.filename
    want = 0o100755 if i.filename in executables else 0o100644
    assert i.external_attr >> 16 == want, (i.filename, oct(i.external_attr >> 16))
    if not i.extra.startswith(b"\x01\x00"):
        assert i.extra == b"", (i.filename, i.extra)
"#;
    let python = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .arg(tree.len().to_string())
        .args(&executables)
        .output();
    match python {
        Ok(out) => assert!(
            out.status.success(),
            "python zipfile on {label}: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => eprintln!("python3 not run ({e}): zipfile check skipped"),
    }

    let unzip =
        |args: &[&str], cwd: &Path| Command::new("unzip").args(args).current_dir(cwd).output();
    match unzip(&["-tq", path.to_str().unwrap()], dir.path()) {
        Ok(out) => assert!(
            out.status.success(),
            "unzip -t on {label}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => {
            eprintln!("unzip not run ({e}): unzip check skipped");
            return;
        }
    }
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let out = unzip(&["-q", path.to_str().unwrap()], &out_dir).unwrap();
    assert!(out.status.success(), "unzip on {label}");
    for (path, entry) in tree.iter() {
        let file = out_dir.join(path.as_str());
        assert!(std::fs::read(&file).unwrap() == entry.bytes, "{path}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o111 != 0, entry.executable, "{path}: {mode:o}");
        }
    }
}

/// The zip of `tree` made the way a front end spreads the work: `workers` threads, each with
/// its own packer, taking files from the end of the tree (so records finish in no particular
/// order), and the records laid down in the tree's order with one directory.
fn assembled(tree: &SourceTree, level: Level, workers: usize) -> Vec<u8> {
    let files: Vec<_> = tree.iter().collect();
    let mut records: Vec<Option<(Vec<u8>, Packed)>> = vec![None; files.len()];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let files = &files;
                scope.spawn(move || {
                    let mut packer = Packer::new(level);
                    (w..files.len())
                        .step_by(workers)
                        .rev()
                        .map(|i| (i, packer.pack(files[i].0, &files[i].1.bytes)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            for (i, record) in handle.join().unwrap() {
                records[i] = Some(record);
            }
        }
    });
    let mut out = Vec::new();
    let mut directory = Directory::new();
    for ((path, entry), record) in files.iter().zip(records) {
        let (bytes, packed) = record.unwrap();
        assert_eq!(bytes.len() as u64, packed.record);
        out.extend_from_slice(&bytes);
        directory.add(path.as_str(), entry.executable, &packed);
    }
    directory.finish(&mut out);
    out
}

#[test]
fn one_worker_or_many_give_the_same_bytes() {
    for tree in [varied(), sample(&[2, 0]), SourceTree::new()] {
        let one = write_zip(&tree);
        for workers in [1, 2, 3, 8] {
            assert!(
                assembled(&tree, Level::Normal, workers) == one,
                "{workers} workers"
            );
        }
        let fast = write_zip_with(&tree, Level::Fast, |_, _| {});
        for workers in [1, 2, 8] {
            assert!(
                assembled(&tree, Level::Fast, workers) == fast,
                "{workers} workers, fast"
            );
        }
    }
}

#[test]
fn a_record_is_the_same_whatever_the_packer_did_before() {
    let tree = varied();
    let files: Vec<_> = tree.iter().collect();
    let fresh: Vec<_> = files
        .iter()
        .map(|(p, e)| Packer::new(Level::Normal).pack(p, &e.bytes))
        .collect();
    // One packer, the files in reverse and then in a shuffled order (a fixed permutation).
    let mut packer = Packer::new(Level::Normal);
    for i in (0..files.len()).rev() {
        assert!(
            packer.pack(files[i].0, &files[i].1.bytes) == fresh[i],
            "{}",
            files[i].0
        );
    }
    for i in (0..files.len()).map(|k| (k * 7 + 3) % files.len()) {
        assert!(
            packer.pack(files[i].0, &files[i].1.bytes) == fresh[i],
            "{}",
            files[i].0
        );
    }
}

#[test]
fn the_summary_reads_back_from_the_record() {
    let tree = varied();
    for at in [
        Zip64From::FORMAT,
        Zip64From {
            bytes: 0,
            entries: 0,
        },
    ] {
        let mut packer = Packer::with_limits(Level::Normal, at);
        for (path, entry) in tree.iter() {
            let (record, packed) = packer.pack(path, &entry.bytes);
            assert_eq!(
                Packed::read(&record),
                Some((path.as_str(), packed)),
                "{path}"
            );
            // The header, name and extra field are enough.
            let head = (packed.record - packed.packed) as usize;
            assert_eq!(Packed::read(&record[..head]), Some((path.as_str(), packed)));
            assert_eq!(Packed::read(&record[..head - 1]), None, "{path}: cut");
        }
    }
    let (mut record, _) =
        Packer::new(Level::Normal).pack(&ProjectPath::parse("a.txt").unwrap(), b"a");
    record[0] ^= 1;
    assert_eq!(Packed::read(&record), None, "not a local header");
    assert_eq!(Packed::read(&[]), None);
}

#[test]
fn level_one_is_faster_deflate_of_the_same_files() {
    let tree = varied();
    let normal = write_zip(&tree);
    let fast = write_zip_with(&tree, Level::Fast, |_, _| {});
    assert_ne!(fast, normal);
    assert!(
        fast.len() > normal.len(),
        "{} <= {}",
        fast.len(),
        normal.len()
    );
    assert_eq!(
        fast,
        write_zip_with(&tree, Level::Fast, |_, _| {}),
        "deterministic"
    );
    assert_eq!(read_back(&fast, &Limits::default()), tree);
    check_with_zip_crate(&fast, &tree);
    // The level changes how text is deflated, not what is stored.
    let methods = |zip: &[u8]| {
        let mut archive = ZipArchive::new(Cursor::new(zip.to_vec())).unwrap();
        (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().compression())
            .collect::<Vec<_>>()
    };
    assert_eq!(methods(&fast), methods(&normal));
    assert_eq!(
        write_zip_with(&tree, Level::Normal, |_, _| {}),
        normal,
        "level 6 is the default"
    );
}

#[test]
fn deflated_bytes_counts_the_text_only() {
    let tree = sample(&[0, 1, 2, 3]);
    // App.tsx (18 × 50) and run.sh (18); not the PNG, and the empty file adds nothing.
    assert_eq!(deflated_bytes(&tree), 18 * 50 + 18);
    assert_eq!(deflated_bytes(&SourceTree::new()), 0);
}

#[test]
fn a_deflate_that_does_not_shrink_leaves_the_packer_sound_at_every_level() {
    // zlib-rs 0.6.8's level 1 (its "quick" deflate) panicked on the file after one that
    // did not shrink: random data under names that are deflated, between text files.
    let mut tree = SourceTree::new();
    for i in 0..40u64 {
        let len = (i as usize * 1_700) % 200_000;
        let (name, bytes) = if i % 2 == 0 {
            (format!("data/{i:02}.bin"), noise(len, i))
        } else {
            let text = format!("export const v{i} = {i};\n").repeat(len / 20 + 1);
            (format!("src/{i:02}.ts"), text.into_bytes())
        };
        tree.insert(&name, FileEntry::new(bytes), OnDuplicate::Refuse)
            .unwrap();
    }
    for level in [Level::Normal, Level::Fast] {
        let zip = write_zip_with(&tree, level, |_, _| {});
        assert_eq!(read_back(&zip, &Limits::default()), tree, "{level:?}");
        assert!(assembled(&tree, level, 3) == zip, "{level:?}");
    }
}
