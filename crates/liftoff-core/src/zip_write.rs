//! Deterministic zip writer: sorted entries, fixed timestamps, deflate for what shrinks and
//! stored for what is already compressed. The same tree always gives the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::path::ProjectPath;
use crate::tree::SourceTree;

/// Extensions of formats that are already compressed: deflating them costs time and saves
/// nothing, so they are stored.
const STORED_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "heic", "ico", "woff", "woff2", "ttf", "otf",
    "eot", "zip", "gz", "tgz", "bz2", "xz", "zst", "br", "7z", "rar", "jar", "lockb", "mp3", "mp4",
    "m4a", "mov", "webm", "ogg", "oga", "ogv", "wav", "flac", "pdf", "wasm",
];

/// Deflate level: zlib's default, the same the peers are measured at.
const DEFLATE_LEVEL: i64 = 6;

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
pub fn write_zip_with_progress(
    tree: &SourceTree,
    mut progress: impl FnMut(usize, usize),
) -> Vec<u8> {
    let estimate = tree.total_bytes() as usize + tree.len() * 128 + 64;
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(estimate)));
    let base = SimpleFileOptions::default().last_modified_time(DateTime::default());
    let total = tree.len();
    for (done, (path, entry)) in tree.iter().enumerate() {
        let options = if is_stored(path) || entry.bytes.is_empty() {
            base.compression_method(CompressionMethod::Stored)
        } else {
            base.compression_method(CompressionMethod::Deflated)
                .compression_level(Some(DEFLATE_LEVEL))
        };
        let mode = if entry.executable { 0o755 } else { 0o644 };
        // Writing into memory cannot fail, and every path is already validated.
        writer
            .start_file(path.as_str(), options.unix_permissions(mode))
            .expect("in-memory zip entry");
        writer.write_all(&entry.bytes).expect("in-memory zip write");
        progress(done + 1, total);
    }
    writer.finish().expect("in-memory zip finish").into_inner()
}

#[cfg(test)]
mod tests {
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
        let mut report = Report::default();
        let back =
            crate::archive::read_archive("t.zip", &bytes, &Limits::default(), &mut report).unwrap();
        assert_eq!(back, tree);
        assert!(report.changes.is_empty());
    }

    #[test]
    fn stores_compressed_formats_and_deflates_text() {
        let bytes = write_zip(&sample(&[0, 1, 2, 3]));
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let method = |a: &mut zip::ZipArchive<_>, n: &str| a.by_name(n).unwrap().compression();
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
}
