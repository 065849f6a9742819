//! The protocol-v2 read side against real git: `git upload-pack --stateless-rpc` (what
//! `git http-backend` runs for `GET info/refs` and `POST git-upload-pack`) answers the bodies
//! built here, and what is read back is compared with git's own view of the repository.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use super::super::git_checks::{git, git_bytes};
use super::*;

/// `git upload-pack --stateless-rpc` in `dir` with `body` on stdin; protocol v2 unless `v0`.
fn upload_pack(dir: &Path, body: &[u8], advertise: bool, v0: bool) -> Vec<u8> {
    let mut args = vec![
        "-c",
        "uploadpack.allowFilter=true",
        "upload-pack",
        "--stateless-rpc",
    ];
    if advertise {
        args.push("--advertise-refs");
    }
    args.push(".");
    let env: &[(&str, &str)] = if v0 {
        &[]
    } else {
        &[("GIT_PROTOCOL", "version=2")]
    };
    git_bytes(dir, &args, Some(body), env)
}

/// A repository with nested folders, an executable, a symlink, binary bytes and two similar
/// large texts (git stores one as a delta of the other), on `main`, and a branch `feature`.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main", "."], None);
    let write = |path: &str, bytes: &[u8]| {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    };
    let long: String = (0..2000)
        .map(|i| format!("export const line{i} = {i};\n"))
        .collect();
    write("src/one.js", long.as_bytes());
    write("src/two.js", format!("{long}// and one more\n").as_bytes());
    write("src/deep/er/still/index.ts", b"export {};\n");
    write(
        "public/logo.png",
        &[0x89, b'P', b'N', b'G', 0, 255, 1, 254, 13, 10],
    );
    write("run.sh", b"#!/bin/sh\necho hi\n");
    write("README.md", b"# App\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(root.join("run.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink("README.md", root.join("readme-link")).unwrap();
    git(root, &["add", "-A"], None);
    git(root, &["commit", "-q", "-m", "first"], None);
    write("README.md", b"# App, second\n");
    git(root, &["commit", "-q", "-am", "second"], None);
    git(root, &["branch", "feature"], None);
    dir
}

fn capabilities(dir: &Path) -> V2Capabilities {
    parse_capabilities(&upload_pack(dir, b"", true, false))
        .unwrap()
        .expect("git speaks version 2 when asked")
}

#[test]
fn capabilities_and_refs_as_git_lists_them() {
    let repo = repository();
    let caps = capabilities(repo.path());
    assert!(
        caps.ls_refs
            && caps.fetch
            && caps.shallow
            && caps.filter
            && caps.agent
            && caps.object_format
            && caps.unborn,
        "{caps:?}"
    );
    let refs = parse_ls_refs(&upload_pack(
        repo.path(),
        &ls_refs_request(&caps),
        false,
        false,
    ))
    .unwrap();
    let head = git(repo.path(), &["rev-parse", "HEAD"], None);
    let head = ObjectId::from_hex(head.trim()).unwrap();
    let by_name: BTreeMap<_, _> = refs.iter().map(|r| (r.name.as_str(), r)).collect();
    assert_eq!(by_name["HEAD"].target.as_deref(), Some("refs/heads/main"));
    assert_eq!(by_name["HEAD"].id, Some(head));
    assert_eq!(by_name["refs/heads/main"].id, Some(head));
    assert_eq!(by_name["refs/heads/feature"].id, Some(head));
    assert_eq!(refs.len(), 3, "only HEAD and the branches: {refs:?}");

    // Without GIT_PROTOCOL the server answers version 0: no capabilities, the caller falls back.
    assert_eq!(
        parse_capabilities(&upload_pack(repo.path(), b"", true, true)).unwrap(),
        None
    );
}

#[test]
fn an_empty_repository_has_an_unborn_head() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "trunk", "."], None);
    let caps = capabilities(dir.path());
    let refs = parse_ls_refs(&upload_pack(
        dir.path(),
        &ls_refs_request(&caps),
        false,
        false,
    ))
    .unwrap();
    assert_eq!(
        refs,
        [RemoteRef {
            name: "HEAD".into(),
            id: None,
            target: Some("refs/heads/trunk".into())
        }]
    );
}

#[test]
fn a_blobless_fetch_gives_the_branch_as_git_lists_it() {
    let repo = repository();
    let caps = capabilities(repo.path());
    let head = ObjectId::from_hex(git(repo.path(), &["rev-parse", "HEAD"], None).trim()).unwrap();
    let answer = upload_pack(repo.path(), &fetch_request(head, &caps), false, false);
    let pack = parse_fetch(&answer).unwrap();
    let objects = read_pack(&pack, PackLimits::default()).unwrap();
    assert!(
        objects.values().all(|o| o.kind != PackedKind::Blob),
        "blobs were filtered out"
    );
    assert_eq!(
        objects
            .values()
            .filter(|o| o.kind == PackedKind::Commit)
            .count(),
        1,
        "one commit: deepen 1"
    );

    let remote = remote_tree(&pack, head, PackLimits::default()).unwrap();
    let root = git(repo.path(), &["rev-parse", "HEAD^{tree}"], None);
    assert_eq!(remote.root, ObjectId::from_hex(root.trim()));
    // Every file: path, mode and id, as `git ls-tree -r` says.
    let listed = git(repo.path(), &["ls-tree", "-r", "HEAD"], None);
    let expected: BTreeMap<String, (String, ObjectId)> = listed
        .lines()
        .map(|line| {
            let (meta, path) = line.split_once('\t').unwrap();
            let mut words = meta.split(' ');
            let mode = words.next().unwrap().to_string();
            let _kind = words.next();
            (
                path.to_string(),
                (mode, ObjectId::from_hex(words.next().unwrap()).unwrap()),
            )
        })
        .collect();
    let got: BTreeMap<String, (String, ObjectId)> = remote
        .files
        .iter()
        .map(|(p, f)| (p.clone(), (f.mode.clone(), f.id)))
        .collect();
    assert_eq!(got, expected);
    assert!(got["readme-link"].0 == "120000" && got["run.sh"].0 == "100755");
    // Every tree and blob id the remote has, the commit too.
    for line in git(repo.path(), &["ls-tree", "-r", "-t", "HEAD"], None).lines() {
        let id = ObjectId::from_hex(line.split(['\t', ' ']).nth(2).unwrap()).unwrap();
        assert!(remote.objects.contains(&id), "{line}");
    }
    assert!(remote.objects.contains(&head) && remote.objects.contains(&remote.root.unwrap()));
}

#[test]
fn a_whole_fetch_resolves_git_s_deltas_to_the_exact_bytes() {
    let repo = repository();
    let mut caps = capabilities(repo.path());
    caps.filter = false; // a server without filters: the blobs come too
    let head = ObjectId::from_hex(git(repo.path(), &["rev-parse", "HEAD"], None).trim()).unwrap();
    let pack = parse_fetch(&upload_pack(
        repo.path(),
        &fetch_request(head, &caps),
        false,
        false,
    ))
    .unwrap();
    // git made deltas in this pack (its own verify-pack says so), and they are resolved here.
    let scratch = tempfile::tempdir().unwrap();
    std::fs::write(scratch.path().join("p.pack"), &pack).unwrap();
    git(scratch.path(), &["init", "-q", "."], None);
    git(scratch.path(), &["index-pack", "p.pack"], None);
    let verify = git(scratch.path(), &["verify-pack", "-v", "p.idx"], None);
    assert!(
        verify.contains("chain length = 1"),
        "no delta in git's pack:\n{verify}"
    );
    let objects = read_pack(&pack, PackLimits::default()).unwrap();
    let blobs: Vec<_> = objects
        .iter()
        .filter(|(_, o)| o.kind == PackedKind::Blob)
        .collect();
    assert_eq!(blobs.len(), 7);
    for (id, object) in blobs {
        let bytes = Command::new("git")
            .args(["cat-file", "blob", &id.to_hex()])
            .current_dir(repo.path())
            .output()
            .unwrap()
            .stdout;
        assert_eq!(object.data, bytes, "blob {id}");
    }
    let remote = remote_tree(&pack, head, PackLimits::default()).unwrap();
    let size = git(repo.path(), &["cat-file", "-s", "HEAD:src/two.js"], None);
    assert_eq!(
        remote.files["src/two.js"].size,
        Some(size.trim().parse().unwrap())
    );
}

#[test]
fn the_server_s_errors_are_named() {
    let mut body = Vec::new();
    write_pkt(&mut body, b"packfile\n").unwrap();
    write_pkt(&mut body, b"\x03upload-pack: not our ref 1234\n").unwrap();
    body.extend_from_slice(FLUSH);
    let error = parse_fetch(&body).unwrap_err();
    assert!(
        matches!(&error, ProtocolError::Fatal(m) if m.contains("not our ref")),
        "{error}"
    );
    let mut body = Vec::new();
    write_pkt(&mut body, b"ERR access denied\n").unwrap();
    assert!(
        matches!(parse_ls_refs(&body), Err(ProtocolError::Fatal(m)) if m.contains("access denied"))
    );
    assert!(matches!(
        parse_capabilities(&body),
        Err(ProtocolError::Fatal(_))
    ));
    // An answer without a packfile section, and a cut one.
    let mut body = Vec::new();
    write_pkt(&mut body, b"acknowledgments\n").unwrap();
    write_pkt(&mut body, b"NAK\n").unwrap();
    body.extend_from_slice(FLUSH);
    assert!(parse_fetch(&body).is_err());
    assert!(parse_fetch(b"0010packf").is_err());
}

#[test]
fn a_tree_with_a_hostile_name_is_refused() {
    // A tree entry named "..": built by hand, packed by our writer.
    use super::super::object::{object_id, ObjectKind};
    use super::super::pack::{Level, PackWriter};
    let blob = object_id(ObjectKind::Blob, b"x");
    let mut tree = b"100644 ..\0".to_vec();
    tree.extend_from_slice(blob.as_bytes());
    let tree_id = object_id(ObjectKind::Tree, &tree);
    let commit =
        format!("tree {tree_id}\nauthor A <a@b> 0 +0000\ncommitter A <a@b> 0 +0000\n\nx\n");
    let commit_id = object_id(ObjectKind::Commit, commit.as_bytes());
    let mut writer = PackWriter::new(2, 256);
    writer.add(ObjectKind::Commit, commit.as_bytes(), Level::Default);
    writer.add(ObjectKind::Tree, &tree, Level::Default);
    let pack = writer.finish();
    let error = remote_tree(&pack, commit_id, PackLimits::default()).unwrap_err();
    assert!(
        matches!(error, FetchError::Malformed { what: "tree", .. }),
        "{error}"
    );
    // A commit the pack does not hold.
    let error = remote_tree(&pack, blob, PackLimits::default()).unwrap_err();
    assert!(
        matches!(error, FetchError::Missing { what: "commit", .. }),
        "{error}"
    );
}
