//! Hostile and ordinary archives through the public reader.

mod common;

use std::io::{Cursor, Write};

use common::{tar_entry, tgz_bomb};
use flate2::Compression;
use liftoff_core::archive::{read_archive, ArchiveError, LimitKind};
use liftoff_core::{Action, Limits, Report, SourceTree};
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

/// A tar of regular files, ended by two zero blocks.
fn tar(entries: &[(&[u8], u8, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, kind, data) in entries {
        out.extend(tar_entry(name, *kind, data, 0o644));
    }
    out.extend([0u8; 1024]);
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn read(name: &str, bytes: &[u8]) -> (Result<SourceTree, ArchiveError>, Report) {
    let mut report = Report::default();
    let tree = read_archive(name, bytes, &Limits::default(), &mut report);
    (tree, report)
}

fn skipped(report: &Report) -> Vec<(String, String)> {
    report
        .changes_with(Action::Skipped)
        .map(|c| (c.path.clone(), c.reason.clone()))
        .collect()
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00binary";

#[test]
fn zip_tar_and_tgz_give_the_same_tree() {
    let files: &[(&str, &[u8])] = &[("src/main.ts", b"console.log(1)\n"), ("logo.png", PNG)];
    let z = read("a.zip", &zip(files)).0.unwrap();
    let t = tar(&[
        (b"src/main.ts", b'0', files[0].1),
        (b"logo.png", b'0', files[1].1),
    ]);
    let from_tar = read("a.tar", &t).0.unwrap();
    let from_tgz = read("a.tgz", &gzip(&t)).0.unwrap();
    assert_eq!(z, from_tar);
    assert_eq!(z, from_tgz);
    assert_eq!(z.get("logo.png").unwrap().bytes, PNG);
}

#[test]
fn hostile_names_are_refused_and_reported() {
    let z = zip(&[
        ("../evil.sh", b"x"),
        ("/etc/passwd", b"x"),
        ("src\\..\\..\\win.txt", b"x"),
        (".git/hooks/post-checkout", b"x"),
        ("ok\\nested.txt", b"fine"),
        ("README.md", b"one"),
        ("readme.MD", b"two"),
    ]);
    let (tree, report) = read("hostile.zip", &z);
    let tree = tree.unwrap();
    let names: Vec<_> = tree.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(names, ["README.md", "ok/nested.txt"]);
    let skipped = skipped(&report);
    assert_eq!(skipped.len(), 5, "{skipped:?}");
    assert!(skipped
        .iter()
        .any(|(p, r)| p == "../evil.sh" && r.contains("..")));
    assert!(skipped
        .iter()
        .any(|(p, r)| p == "/etc/passwd" && r.contains("absolute")));
    assert!(skipped
        .iter()
        .any(|(p, r)| p.starts_with(".git/") && r.contains(".git")));
    assert!(skipped
        .iter()
        .any(|(p, r)| p == "readme.MD" && r.contains("case")));
}

#[test]
fn tar_links_devices_and_bad_names_are_skipped() {
    let t = tar(&[
        (b"a.txt", b'0', b"a"),
        (b"link", b'2', b""),
        (b"hard", b'1', b""),
        (b"fifo", b'6', b""),
        (b"bad\xff\xfe.txt", b'0', b"x"),
        (b"../up.txt", b'0', b"x"),
        (b"a.txt", b'0', b"second"),
    ]);
    let (tree, report) = read("t.tar", &t);
    let tree = tree.unwrap();
    assert_eq!(tree.len(), 1);
    assert_eq!(tree.get("a.txt").unwrap().bytes, b"a");
    let skipped = skipped(&report);
    assert_eq!(skipped.len(), 6, "{skipped:?}");
    assert!(skipped
        .iter()
        .any(|(p, r)| p == "link" && r.contains("link")));
    assert!(skipped.iter().any(|(_, r)| r.contains("UTF-8")));
    assert!(skipped
        .iter()
        .any(|(p, r)| p == "a.txt" && r.contains("duplicate")));
}

#[test]
fn zip_symlinks_are_skipped() {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default();
    w.add_symlink("escape", "/etc/passwd", o).unwrap();
    w.start_file("a.txt", o).unwrap();
    w.write_all(b"a").unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let (tree, report) = read("links.zip", &bytes);
    assert_eq!(tree.unwrap().len(), 1);
    assert_eq!(skipped(&report)[0].0, "escape");
}

#[test]
fn executable_bit_survives_tar() {
    let mut t = tar_entry(b"run.sh", b'0', b"#!/bin/sh\n", 0o755);
    t.extend([0u8; 1024]);
    let tree = read("x.tar", &t).0.unwrap();
    assert!(tree.get("run.sh").unwrap().executable);
}

#[test]
fn truncated_and_foreign_inputs_name_the_file() {
    let z = zip(&[("a.txt", &[b'a'; 5000][..])]);
    let err = read("cut.zip", &z[..z.len() / 2]).0.unwrap_err();
    assert!(matches!(err, ArchiveError::Damaged { .. }), "{err}");
    assert!(err.to_string().starts_with("cut.zip: "));

    let t = tar(&[(b"a.txt", b'0', &[b'a'; 5000])]);
    let err = read("cut.tar", &t[..1500]).0.unwrap_err();
    assert!(err.to_string().starts_with("cut.tar: "), "{err}");
    let err = read("cut.tgz", &gzip(&t)[..40]).0.unwrap_err();
    assert!(err.to_string().starts_with("cut.tgz: "), "{err}");

    let err = read("notes.txt", b"hello, not an archive").0.unwrap_err();
    assert!(matches!(err, ArchiveError::NotAnArchive { .. }));
    assert_eq!(
        err.to_string(),
        "notes.txt: not a zip, tar or tar.gz archive"
    );
}

#[test]
fn too_many_entries() {
    let names: Vec<String> = (0..20).map(|i| format!("f{i}")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    let err =
        read_archive("many.zip", &zip(&entries), &limits, &mut Report::default()).unwrap_err();
    assert!(matches!(
        err,
        ArchiveError::Limit {
            limit: LimitKind::Entries { max: 10 },
            ..
        }
    ));
}

#[test]
fn tgz_bomb_stops_at_the_ratio() {
    let bomb = tgz_bomb(2048);
    assert!(bomb.len() < 8 * 1024 * 1024);
    let err = read("bomb.tgz", &bomb).0.unwrap_err();
    assert!(
        matches!(
            err,
            ArchiveError::Limit {
                limit: LimitKind::Ratio { .. },
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().starts_with("bomb.tgz: "));
}

#[test]
fn tgz_bomb_stops_at_the_total_when_ratio_allows() {
    let limits = Limits {
        max_ratio: u64::MAX,
        max_total_bytes: 32 * 1024 * 1024,
        ..Limits::default()
    };
    let err = read_archive("bomb.tgz", &tgz_bomb(64), &limits, &mut Report::default()).unwrap_err();
    assert!(
        matches!(
            err,
            ArchiveError::Limit {
                limit: LimitKind::TotalSize { .. },
                ..
            }
        ),
        "{err}"
    );
}

/// Bolt's Download: every path under `project/`, build caches inside, no Bolt marks.
#[test]
fn a_bolt_download_is_unwrapped_quietly_its_build_caches_left_out_and_bolt_named_when_said() {
    use liftoff_core::capture::Input;
    use liftoff_core::pipeline::{self, ExportOptions};
    let bytes = zip(&[
        ("project/package.json", br#"{"name":"portfolio"}"#),
        ("project/src/main.ts", b"console.log(1)\n"),
        ("project/public/logo.png", PNG),
        ("project/.angular/cache/19.0.0/x.json", b"{}"),
        ("project/.next/cache/a", b"a"),
        ("project/.svelte-kit/output/b", b"b"),
        ("project/src/.vite/deps/c.js", b"c"),
        ("project/.turbo/d", b"d"),
        ("project/.parcel-cache/e", b"e"),
        ("project/.nuxt/f", b"f"),
        (
            "project/src/cache/kept.ts",
            b"// a folder named cache is source\n",
        ),
        ("project/.angular/settings.json", b"{}"),
    ]);
    let options = ExportOptions {
        builder: liftoff_core::builders::by_id("bolt").map(|spec| spec.builder),
        name_hint: Some("Portfolio Site".into()),
        ..ExportOptions::default()
    };
    let input = Input::Bytes {
        name: "project-bolt-sb1-x.zip",
        bytes: &bytes,
    };
    let captured = pipeline::capture(input, &options).unwrap();
    let paths: Vec<&str> = captured.tree.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            ".angular/settings.json",
            "package.json",
            "public/logo.png",
            "src/cache/kept.ts",
            "src/main.ts"
        ]
    );
    assert_eq!(captured.tree.get("public/logo.png").unwrap().bytes, PNG);
    let mut left: Vec<String> = skipped(&captured.report)
        .into_iter()
        .map(|(path, reason)| {
            assert!(reason.contains("build cache"), "{path}: {reason}");
            path
        })
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            ".angular/cache/",
            ".next/",
            ".nuxt/",
            ".parcel-cache/",
            ".svelte-kit/",
            ".turbo/",
            "src/.vite/"
        ]
    );
    assert!(
        captured.report.warnings.is_empty(),
        "{:?}",
        captured.report.warnings
    );
    assert_eq!(captured.report.builder.as_str(), "bolt");
    assert_eq!(captured.name, "portfolio-site");

    // Any other single folder is still said.
    let other = zip(&[("my-app-main/package.json", b"{}")]);
    let input = Input::Bytes {
        name: "my-app-main.zip",
        bytes: &other,
    };
    let captured = pipeline::capture(input, &ExportOptions::default()).unwrap();
    assert!(captured.report.warnings[0].contains("'my-app-main/'"));
}

/// A project imported into Bolt from Lovable, downloaded from bolt.new: named Bolt by the page,
/// it still loses Lovable's marks.
#[test]
fn a_bolt_download_loses_every_builders_marks_whatever_the_page() {
    use liftoff_core::capture::Input;
    use liftoff_core::pipeline::{self, ExportOptions};
    let package = br#"{
  "name": "imported",
  "scripts": { "dev": "vite", "build": "vite build" },
  "devDependencies": { "lovable-tagger": "^1.1.7", "vite": "^5.4.1" }
}
"#;
    let vite = b"import { defineConfig } from \"vite\";\nimport { componentTagger } from \"lovable-tagger\";\n\nexport default defineConfig(({ mode }) => ({\n  plugins: [mode === \"development\" && componentTagger()].filter(Boolean),\n}));\n";
    let bytes = zip(&[
        ("project/package.json", package),
        ("project/vite.config.ts", vite),
        (
            "project/.bolt/config.json",
            br#"{"template":"bolt-vite-react-ts"}"#,
        ),
        ("project/src/main.ts", b"console.log(1)\n"),
    ]);
    let options = ExportOptions {
        builder: liftoff_core::builders::by_id("bolt").map(|spec| spec.builder),
        ..ExportOptions::default()
    };
    let input = Input::Bytes {
        name: "project.zip",
        bytes: &bytes,
    };
    let export = pipeline::export(input, &options).unwrap();
    assert_eq!(export.report.builder.as_str(), "bolt");
    let text =
        |path: &str| String::from_utf8(export.tree.get(path).unwrap().bytes.clone()).unwrap();
    assert!(
        !text("package.json").contains("lovable-tagger"),
        "{}",
        text("package.json")
    );
    assert!(
        !text("vite.config.ts").contains("componentTagger"),
        "{}",
        text("vite.config.ts")
    );
    assert!(export.tree.get(".bolt/config.json").is_none());
}
