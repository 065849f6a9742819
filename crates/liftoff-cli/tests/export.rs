//! `liftoff export` end to end: real files in, real zips and folders out, compared byte for
//! byte with the fixture (which holds binary files).

use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn liftoff(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liftoff"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run liftoff")
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

/// Every regular file under `root`, by `/`-separated relative path.
fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let rel = format!("{prefix}{name}");
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                walk(&entry.path(), &format!("{rel}/"), out);
            } else if kind.is_file() {
                out.insert(rel, fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, "", &mut out);
    out
}

fn read_zip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        out.insert(file.name().unwrap().into_owned(), data);
    }
    out
}

fn expected() -> BTreeMap<String, Vec<u8>> {
    let tree = read_tree(&fixture("bolt/expected"));
    assert!(
        tree.keys().any(|k| k.ends_with(".png")),
        "the fixture must hold binary files"
    );
    tree
}

fn assert_same(got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>) {
    let got_names: Vec<_> = got.keys().collect();
    let want_names: Vec<_> = want.keys().collect();
    assert_eq!(got_names, want_names);
    for (name, bytes) in want {
        assert!(got[name] == *bytes, "{name} differs");
    }
}

/// A `--report FILE` as JSON.
fn read_report(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// The paths of the report's changes with `action`, in order.
fn changed_paths(report: &Value, action: &str) -> Vec<String> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["action"] == action)
        .map(|c| c["path"].as_str().unwrap().to_string())
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn folder_to_zip_is_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("bolt/expected");
    let out = liftoff(
        &["export", src.to_str().unwrap(), "--raw", "-o", "out.zip"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let zip = fs::read(dir.path().join("out.zip")).unwrap();
    assert_same(&read_zip(&zip), &expected());

    // Deterministic: the same input gives the same bytes.
    let again = liftoff(
        &["export", src.to_str().unwrap(), "--raw", "-o", "again.zip"],
        dir.path(),
    );
    assert!(again.status.success());
    assert_eq!(fs::read(dir.path().join("again.zip")).unwrap(), zip);
}

#[test]
fn default_output_is_named_after_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("bolt/expected");
    let out = liftoff(&["export", src.to_str().unwrap()], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 1);
    assert!(names[0].ends_with("-export.zip"), "{names:?}");
}

/// The fixture as an archive, optionally under one top folder as Bolt's download does.
fn archive_of_fixture(kind: &str, root: &str) -> Vec<u8> {
    let files = expected();
    match kind {
        "zip" => {
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for (name, bytes) in &files {
                w.start_file(
                    format!("{root}{name}"),
                    zip::write::SimpleFileOptions::default(),
                )
                .unwrap();
                w.write_all(bytes).unwrap();
            }
            w.finish().unwrap().into_inner()
        }
        _ => {
            let mut b = tar::Builder::new(Vec::new());
            for (name, bytes) in &files {
                let mut h = tar::Header::new_gnu();
                h.set_size(bytes.len() as u64);
                h.set_mode(0o644);
                h.set_cksum();
                b.append_data(&mut h, format!("{root}{name}"), &bytes[..])
                    .unwrap();
            }
            let tar = b.into_inner().unwrap();
            if kind == "tar" {
                return tar;
            }
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&tar).unwrap();
            gz.finish().unwrap()
        }
    }
}

#[test]
fn archives_export_raw_byte_for_byte() {
    for (kind, file, root) in [
        ("zip", "bolt-download.zip", "project/"),
        ("zip", "flat.zip", ""),
        ("tar", "app.tar", ""),
        ("tgz", "app.tar.gz", "app/"),
        ("tgz", "app.tgz", ""),
    ] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(file), archive_of_fixture(kind, root)).unwrap();
        let out = liftoff(&["export", file, "--raw", "-o", "tree"], dir.path());
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        assert_same(&read_tree(&dir.path().join("tree")), &expected());
    }
}

#[test]
fn bolt_history_rebuilds_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let history = fixture("bolt/history.json");
    let out = liftoff(
        &[
            "export",
            history.to_str().unwrap(),
            "--raw",
            "-o",
            "tree",
            "--report",
            "report.json",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_same(&read_tree(&dir.path().join("tree")), &expected());
    let report = read_report(&dir.path().join("report.json"));
    assert_eq!(report["builder"], "bolt");
    assert_eq!(changed_paths(&report, "skipped"), ["public/watched.png"]);
    assert!(!report["commands"].as_array().unwrap().is_empty());
}

#[test]
fn report_to_stdout_has_the_contract_fields() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("bolt/expected");
    let out = liftoff(
        &[
            "export",
            src.to_str().unwrap(),
            "-o",
            "o.zip",
            "--report",
            "-",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is the report alone");
    for field in [
        "builder",
        "framework",
        "files",
        "changes",
        "secrets",
        "env",
        "warnings",
    ] {
        assert!(report.get(field).is_some(), "missing {field}");
    }
    let zip = read_zip(&fs::read(dir.path().join("o.zip")).unwrap());
    assert_eq!(report["files"].as_u64().unwrap() as usize, zip.len());
    assert_eq!(report["framework"], "vite-react");
}

#[test]
fn builder_override() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("bolt/expected");
    let out = liftoff(
        &[
            "export",
            src.to_str().unwrap(),
            "-o",
            "o.zip",
            "--report",
            "-",
            "--builder",
            "plain",
        ],
        dir.path(),
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["builder"], "plain");
}

#[test]
fn existing_output_is_refused_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("bolt/expected");
    let src = src.to_str().unwrap();
    fs::create_dir(dir.path().join("tree")).unwrap();
    fs::write(dir.path().join("tree/keep.txt"), "mine").unwrap();
    let out = liftoff(&["export", src, "-o", "tree"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("tree: folder is not empty"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read(dir.path().join("tree/keep.txt")).unwrap(), b"mine");

    let out = liftoff(
        &["export", src, "--raw", "-o", "tree", "--force"],
        dir.path(),
    );
    assert!(out.status.success());
    assert_same(&read_tree(&dir.path().join("tree")), &expected());

    fs::write(dir.path().join("o.zip"), "mine").unwrap();
    let out = liftoff(&["export", src, "-o", "o.zip"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read(dir.path().join("o.zip")).unwrap(), b"mine");
}

#[test]
fn a_failed_export_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let zip = archive_of_fixture("zip", "");
    fs::write(dir.path().join("cut.zip"), &zip[..zip.len() - 200]).unwrap();
    fs::write(dir.path().join("notes.zip"), b"just text").unwrap();
    for (input, message) in [
        ("cut.zip", "cut.zip: damaged or truncated archive"),
        (
            "notes.zip",
            "notes.zip: not a folder, zip, tar, tar.gz or a builder's JSON",
        ),
        ("missing.zip", "missing.zip: "),
    ] {
        for out_name in ["out.zip", "out"] {
            let out = liftoff(&["export", input, "-o", out_name], dir.path());
            assert_eq!(out.status.code(), Some(1), "{input}");
            assert!(stderr(&out).contains(message), "{input}: {}", stderr(&out));
        }
    }
    let mut left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["cut.zip", "notes.zip"]);
}

#[test]
fn bad_usage_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["export"][..],
        &["export", "x", "--builder", "wix"],
        &["frobnicate"],
    ] {
        assert_eq!(liftoff(args, dir.path()).status.code(), Some(2), "{args:?}");
    }
}

#[cfg(unix)]
#[test]
fn folder_links_and_dependencies_are_skipped_and_reported() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("app");
    fs::create_dir_all(src.join("node_modules/react")).unwrap();
    fs::create_dir_all(src.join(".git")).unwrap();
    fs::write(src.join("node_modules/react/index.js"), "x").unwrap();
    fs::write(src.join(".git/config"), "x").unwrap();
    fs::write(src.join("index.html"), "<html></html>").unwrap();
    fs::write(src.join("run.sh"), "#!/bin/sh\n").unwrap();
    fs::set_permissions(src.join("run.sh"), fs::Permissions::from_mode(0o755)).unwrap();
    symlink("/etc/passwd", src.join("passwd")).unwrap();
    let out = liftoff(
        &["export", "app", "--raw", "-o", "o", "--report", "-"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let tree = read_tree(&dir.path().join("o"));
    assert_eq!(tree.keys().collect::<Vec<_>>(), ["index.html", "run.sh"]);
    let mode = fs::metadata(dir.path().join("o/run.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o111, 0o111, "executable bit kept");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped: Vec<_> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, [".git/", "node_modules/", "passwd"]);
}

#[test]
fn lovable_source_code_json_is_recognised_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let json = serde_json::json!({"files": [
        {"name": "README.md", "contents": "# Welcome to your Lovable project\n", "binary": false},
        {"name": "public/lovable-uploads/a.png", "contents": "iVBORw0KGgoA/w==", "binary": true},
    ]});
    // Named like anything: the shape decides.
    fs::write(dir.path().join("download.txt.json"), json.to_string()).unwrap();
    let out = liftoff(
        &["export", "download.txt.json", "-o", "t", "--report", "-"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let tree = read_tree(&dir.path().join("t"));
    assert_eq!(
        tree["public/lovable-uploads/a.png"],
        b"\x89PNG\r\n\x1a\n\x00\xff"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["builder"], "lovable");

    fs::write(dir.path().join("other.json"), r#"{"pages": []}"#).unwrap();
    let out = liftoff(&["export", "other.json", "-o", "u"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("other.json: JSON of an unknown shape; accepted: a Bolt history dump"),
        "{err}"
    );
    assert!(err.contains("Lovable source-code"), "{err}");
}

/// The default export removes the builder's marks, adds the scaffold and LIFTOFF.md, keeps
/// every other file byte for byte, and says so in the report; a second pass changes nothing.
#[test]
fn default_export_normalizes_and_accounts_for_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let history = fixture("bolt/history.json");
    let out = liftoff(
        &[
            "export",
            history.to_str().unwrap(),
            "-o",
            "tree",
            "--report",
            "report.json",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let tree = read_tree(&dir.path().join("tree"));
    let report = read_report(&dir.path().join("report.json"));
    let changed = |action: &str| changed_paths(&report, action);
    assert_eq!(changed("removed"), [".bolt/"]);
    for (path, bytes) in expected() {
        if path.starts_with(".bolt/") {
            assert!(!tree.contains_key(&path), "{path} should be gone");
        } else {
            assert!(tree[&path] == bytes, "{path} must come out byte for byte");
        }
    }
    let added = changed("added");
    for path in [
        ".gitignore",
        "README.md",
        ".nvmrc",
        "LIFTOFF.md",
        "vercel.json",
        "netlify.toml",
        "Dockerfile",
    ] {
        assert!(
            added.iter().any(|a| a == path),
            "{path} not reported as added: {added:?}"
        );
        assert!(tree.contains_key(path), "{path} missing");
    }
    for path in tree.keys() {
        let accounted = expected().contains_key(path) || added.contains(path);
        assert!(accounted, "{path} appeared without a report entry");
    }
    let liftoff_md = String::from_utf8(tree["LIFTOFF.md"].clone()).unwrap();
    assert!(
        liftoff_md.contains("came from Bolt (vite-react)"),
        "{liftoff_md}"
    );

    // Idempotent: normalizing the normalized folder changes nothing.
    let again = liftoff(
        &["export", "tree", "-o", "again", "--report", "again.json"],
        dir.path(),
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert_same(&read_tree(&dir.path().join("again")), &tree);
    let report = read_report(&dir.path().join("again.json"));
    assert_eq!(report["changes"], serde_json::json!([]));
}

/// Every builder's fixture: normalizing the normalized export changes nothing, and the
/// builder's marks are gone from the first export.
#[test]
fn normalization_is_idempotent_on_every_fixture() {
    let cases: [(&str, &[&str]); 4] = [
        ("bolt/history.json", &[".bolt/config.json"]),
        ("lovable/expected", &["bun.lockb", ".lovable/plan.md"]),
        ("base44/older", &[]),
        ("base44/newer", &[]),
    ];
    for (input, gone) in cases {
        let dir = tempfile::tempdir().unwrap();
        let src = fixture(input);
        let out = liftoff(&["export", src.to_str().unwrap(), "-o", "once"], dir.path());
        assert!(out.status.success(), "{input}: {}", stderr(&out));
        let once = read_tree(&dir.path().join("once"));
        for path in gone {
            assert!(!once.contains_key(*path), "{input}: {path} should be gone");
        }
        for (path, bytes) in &once {
            let text = String::from_utf8_lossy(bytes);
            if path == "package.json" || path.starts_with("vite.config") {
                assert!(!text.contains("lovable-tagger"), "{input}: {path}");
                assert!(!text.contains("@base44/vite-plugin"), "{input}: {path}");
            }
        }
        assert!(once.contains_key("LIFTOFF.md"), "{input}");
        let out = liftoff(
            &["export", "once", "-o", "twice", "--report", "twice.json"],
            dir.path(),
        );
        assert!(out.status.success(), "{input}: {}", stderr(&out));
        assert_same(&read_tree(&dir.path().join("twice")), &once);
        let report = read_report(&dir.path().join("twice.json"));
        assert_eq!(report["changes"], serde_json::json!([]), "{input}");
    }
}

/// `--raw` leaves every byte alone but still reports secrets, masked.
#[test]
fn raw_exports_still_report_secrets_masked() {
    let dir = tempfile::tempdir().unwrap();
    let key = "sk_live_51HxAbCdEfGhIjKlMnOpQrStUvWx";
    fs::create_dir(dir.path().join("app")).unwrap();
    let source = format!("const stripe = \"{key}\";\n");
    fs::write(dir.path().join("app/pay.ts"), &source).unwrap();
    let out = liftoff(
        &["export", "app", "--raw", "-o", "o", "--report", "-"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(dir.path().join("o/pay.ts")).unwrap(),
        source
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(key), "the report must mask the key");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let secrets = report["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 1, "{secrets:?}");
    assert_eq!(secrets[0]["path"], "pay.ts");
    assert_eq!(secrets[0]["line"], 1);
    assert_eq!(report["changes"], serde_json::json!([]));
}

#[test]
fn hostile_bytes_never_reach_the_terminal_and_corrupt_archives_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A tar whose size field holds a terminal escape (retitle, then clear the screen).
    let mut header = [0u8; 512];
    header[..5].copy_from_slice(b"a.txt");
    header[100..108].copy_from_slice(b"0000644\0");
    header[124..136].copy_from_slice(b"\x1b]0;pwned\x07\x1b[");
    header[257..263].copy_from_slice(b"ustar\0");
    header[148..156].copy_from_slice(b"        ");
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let mut tar = header.to_vec();
    tar.extend_from_slice(&[0u8; 1024]);
    fs::write(dir.path().join("evil.tar"), &tar).unwrap();
    let out = liftoff(&["export", "evil.tar", "-o", "out.zip"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(
        err.contains("entry 1: the header's size field is damaged"),
        "{err}"
    );
    assert!(err.chars().count() < 300, "{err}");

    // A .tar.gz whose gzip checksum does not match its contents: refused, nothing written.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut good = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(6);
    h.set_mode(0o644);
    h.set_cksum();
    good.append_data(&mut h, "hello.txt", &b"hello\n"[..])
        .unwrap();
    std::io::Write::write_all(&mut gz, &good.into_inner().unwrap()).unwrap();
    let mut bytes = gz.finish().unwrap();
    let at = bytes.len() - 8;
    bytes[at] ^= 0xff;
    fs::write(dir.path().join("corrupt.tar.gz"), &bytes).unwrap();
    let out = liftoff(&["export", "corrupt.tar.gz", "-o", "out.zip"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "corrupt.tar.gz: damaged or truncated archive (the gzip stream does not check out"
        ),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("out.zip").exists());

    // A file name with a right-to-left override: refused and reported, the rest exported.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("invoice\u{202e}fdp.exe", options).unwrap();
    std::io::Write::write_all(&mut zip, b"x").unwrap();
    zip.start_file("index.html", options).unwrap();
    std::io::Write::write_all(&mut zip, b"<p>").unwrap();
    fs::write(
        dir.path().join("bidi.zip"),
        zip.finish().unwrap().into_inner(),
    )
    .unwrap();
    let out = liftoff(
        &[
            "export",
            "bidi.zip",
            "--raw",
            "-o",
            "bidi-out.zip",
            "--report",
            "-",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["action"] == "skipped"
            && c["reason"]
                .as_str()
                .unwrap()
                .contains("invisible character")));
    assert_eq!(report["files"], 1);
}

/// A generated project of `files` files: code-like text of 1 to 60 KB, random bytes named
/// `.png`, an executable script; sizes vary so that threads finish out of order.
fn generated_project(root: &Path, files: u32) {
    let mut seed = 0x2026_1204_u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    for i in 0..files {
        let (rel, bytes) = if i % 5 == 4 {
            let len = 1_000 + (next() % 40_000) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            (format!("public/img/{i:04}.png"), bytes)
        } else {
            let len = 1_000 + (next() % 60_000) as usize;
            let mut text = String::new();
            while text.len() < len {
                let n = next() % 1000;
                text.push_str(&format!(
                    "export function f{n}(x: number) {{ return x * {i}; }}\n"
                ));
            }
            (format!("src/m{}/file{i:04}.ts", i % 7), text.into_bytes())
        };
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    let script = root.join("bin/run.sh");
    fs::create_dir_all(script.parent().unwrap()).unwrap();
    fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// The entries' methods (0 stored, 8 deflated) and Unix modes, by name.
fn methods_and_modes(zip: &[u8]) -> BTreeMap<String, (u16, Option<u32>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    (0..archive.len())
        .map(|i| {
            let file = archive.by_index(i).unwrap();
            let method = match file.compression() {
                zip::CompressionMethod::Stored => 0,
                _ => 8,
            };
            (
                file.name().unwrap().into_owned(),
                (method, file.unix_mode()),
            )
        })
        .collect()
}

#[test]
fn any_number_of_threads_writes_the_same_zip_and_fast_only_deflates_less() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("project");
    generated_project(&src, 400);
    let export = |name: &str, more: &[&str]| {
        let mut args = vec!["export", src.to_str().unwrap(), "--raw", "-o", name];
        args.extend_from_slice(more);
        let out = liftoff(&args, dir.path());
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        fs::read(dir.path().join(name)).unwrap()
    };
    let one = export("one.zip", &["--threads", "1"]);
    assert_same(&read_zip(&one), &read_tree(&src));
    for threads in ["2", "3", "8"] {
        let many = export(&format!("t{threads}.zip"), &["--threads", threads]);
        assert!(many == one, "--threads {threads} differs from --threads 1");
    }
    assert!(
        export("default.zip", &[]) == one,
        "the default (one thread per core)"
    );

    let fast = export("fast1.zip", &["--fast", "--threads", "1"]);
    assert!(export("fast4.zip", &["--fast", "--threads", "4"]) == fast);
    assert_same(&read_zip(&fast), &read_tree(&src));
    assert!(
        fast.len() > one.len(),
        "level 1 ({} B) is larger than level 6 ({} B)",
        fast.len(),
        one.len()
    );
    // The level changes how text is deflated, not what is stored, nor the modes.
    assert_eq!(methods_and_modes(&fast), methods_and_modes(&one));
    assert_eq!(
        methods_and_modes(&one)["bin/run.sh"].1,
        Some(0o100755),
        "the executable bit"
    );

    let zero = liftoff(
        &[
            "export",
            src.to_str().unwrap(),
            "--threads",
            "0",
            "-o",
            "z.zip",
        ],
        dir.path(),
    );
    assert_eq!(zero.status.code(), Some(2), "{}", stderr(&zero));
    assert!(!dir.path().join("z.zip").exists());
}
