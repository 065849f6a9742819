//! The objects and packs built here, checked against real git in a temporary folder: ids
//! against `git hash-object`, `git write-tree` and `git commit-tree`; packs against
//! `git index-pack --strict` and `git fsck --strict`.

use std::path::Path;
use std::process::{Command, Stdio};

use super::commit::{serialize_commit, CommitInfo, Signature};
use super::object::{object_id, ObjectId, ObjectKind};
use super::pack::{Level, PackWriter};
use super::tree_build::build_tree;
use crate::tree::{FileEntry, OnDuplicate, SourceTree};

/// Runs git in `dir` with a fixed identity and no user configuration; returns stdout.
pub(crate) fn git(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> String {
    git_with(dir, args, stdin, &[])
}

/// [`git`] with extra environment variables.
pub(crate) fn git_with(
    dir: &Path,
    args: &[&str],
    stdin: Option<&[u8]>,
    env: &[(&str, &str)],
) -> String {
    String::from_utf8(git_bytes(dir, args, stdin, env)).unwrap()
}

/// [`git_with`]'s stdout as bytes (packs, protocol answers).
pub(crate) fn git_bytes(
    dir: &Path,
    args: &[&str],
    stdin: Option<&[u8]>,
    env: &[(&str, &str)],
) -> Vec<u8> {
    let mut command = Command::new("git");
    command
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ada Lovelace")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", "1700000000 +0000")
        .env("GIT_COMMITTER_NAME", "Ada Lovelace")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_DATE", "1700000000 +0000")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("git is installed");
    let input = stdin.unwrap_or_default().to_vec();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = pipe.write_all(&input);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// A tree with the edge cases of git's entry order and modes, and binary contents.
fn tricky_tree() -> SourceTree {
    let mut t = SourceTree::new();
    let mut add = |path: &str, bytes: &[u8], executable: bool| {
        let entry = FileEntry {
            bytes: bytes.to_vec(),
            executable,
        };
        t.insert(path, entry, OnDuplicate::Refuse).unwrap();
    };
    add("a.b", b"dot file\n", false);
    add("a/inner.txt", b"in folder a\n", false);
    add("a0", b"zero\n", false);
    add("a-b/x", b"dash folder\n", false);
    add("a=b", b"equals\n", false);
    add("B", b"capital\n", false);
    add("bin/run.sh", b"#!/bin/sh\necho hi\n", true);
    add("empty", b"", false);
    add(
        "img/logo.png",
        &[0x89, b'P', b'N', b'G', 0, 0xff, 0xfe, 0x0d, 0x0a],
        false,
    );
    add(
        "deep/er/and/deeper/file.ts",
        "export const x = 'é😀';\n".as_bytes(),
        false,
    );
    add("deep/er.ts", b"sibling of a folder named er\n", false);
    add("deep/er0", b"after the folder er\n", false);
    let big: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    add("big.bin", &big, false);
    t
}

fn write_worktree(dir: &Path, tree: &SourceTree) {
    for (path, entry) in tree.iter() {
        let file = dir.join(path.as_str());
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &entry.bytes).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = if entry.executable { 0o755 } else { 0o644 };
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }
}

#[test]
fn blob_ids_match_git_hash_object() {
    let dir = tempfile::tempdir().unwrap();
    for (path, entry) in tricky_tree().iter() {
        let expected = git(dir.path(), &["hash-object", "--stdin"], Some(&entry.bytes));
        assert_eq!(
            object_id(ObjectKind::Blob, &entry.bytes).to_hex(),
            expected.trim(),
            "{path}"
        );
    }
}

#[test]
fn tree_ids_match_git_write_tree() {
    let dir = tempfile::tempdir().unwrap();
    let tree = tricky_tree();
    git(dir.path(), &["init", "-q"], None);
    git(dir.path(), &["config", "core.fileMode", "true"], None);
    write_worktree(dir.path(), &tree);
    git(dir.path(), &["add", "-A"], None);
    let expected = git(dir.path(), &["write-tree"], None);
    let built = build_tree(&tree);
    assert_eq!(built.root.to_hex(), expected.trim());
    // Every subtree too: `git ls-tree -r -t` lists them with their ids.
    let listing = git(dir.path(), &["ls-tree", "-r", "-t", expected.trim()], None);
    for line in listing.lines() {
        let (meta, _path) = line.split_once('\t').unwrap();
        let id = ObjectId::from_hex(meta.rsplit(' ').next().unwrap()).unwrap();
        assert!(
            built.trees.contains_key(&id) || built.blobs.contains_key(&id),
            "{line}"
        );
    }
    assert_eq!(built.object_count(), listing.lines().count() + 1);
}

#[test]
fn commit_ids_match_git_commit_tree() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "--bare"], None);
    let tree = tricky_tree();
    let built = build_tree(&tree);
    // git needs the tree in its store to commit it: hand it over as a pack.
    let pack = pack_of(&tree, &[]);
    git(dir.path(), &["unpack-objects", "-q"], Some(&pack));
    let who = Signature::new("Ada Lovelace", "ada@example.com", 1_700_000_000);
    let first = CommitInfo {
        tree: built.root,
        parent: None,
        author: who.clone(),
        committer: who.clone(),
        message: "Export from Bolt (Liftoff), 2023-11-14 22:13 UTC".into(),
    };
    let expected = git(
        dir.path(),
        &["commit-tree", &built.root.to_hex(), "-m", &first.message],
        None,
    );
    let first_bytes = serialize_commit(&first);
    let first_id = object_id(ObjectKind::Commit, &first_bytes);
    assert_eq!(first_id.to_hex(), expected.trim());

    let second = CommitInfo {
        parent: Some(first_id),
        message: "Second\n\nwith a body".into(),
        ..first
    };
    let expected = git(
        dir.path(),
        &[
            "commit-tree",
            &built.root.to_hex(),
            "-p",
            &first_id.to_hex(),
            "-m",
            "Second",
            "-m",
            "with a body",
        ],
        None,
    );
    assert_eq!(
        object_id(ObjectKind::Commit, &serialize_commit(&second)).to_hex(),
        expected.trim()
    );
}

/// A pack of every object of `tree` plus `extra` commits.
fn pack_of(tree: &SourceTree, extra: &[&[u8]]) -> Vec<u8> {
    let built = build_tree(tree);
    let count = (built.object_count() + extra.len()) as u32;
    let mut pack = PackWriter::new(count, 0);
    for commit in extra {
        pack.add(ObjectKind::Commit, commit, Level::Default);
    }
    for data in built.trees.values() {
        pack.add(ObjectKind::Tree, data, Level::Default);
    }
    for (id, path) in &built.blobs {
        let bytes = &tree.get(path.as_str()).unwrap().bytes;
        // Both compression paths must give valid zlib streams.
        let level = if id.as_bytes()[0] % 2 == 0 {
            Level::Store
        } else {
            Level::Default
        };
        pack.add(ObjectKind::Blob, bytes, level);
    }
    pack.finish()
}

#[test]
fn packs_pass_index_pack_and_fsck_strict() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q", "--bare"], None);
    let tree = tricky_tree();
    let built = build_tree(&tree);
    let who = Signature::new("Ada Lovelace", "ada@example.com", 1_700_000_000);
    let commit = serialize_commit(&CommitInfo {
        tree: built.root,
        parent: None,
        author: who.clone(),
        committer: who,
        message: "Export".into(),
    });
    let commit_id = object_id(ObjectKind::Commit, &commit);
    let pack = pack_of(&tree, &[&commit]);
    let pack_path = repo.join("objects/pack/pack-test.pack");
    std::fs::write(&pack_path, &pack).unwrap();
    // --strict checks every object as receive-pack's fsck would.
    git(
        repo,
        &["index-pack", "--strict", pack_path.to_str().unwrap()],
        None,
    );
    let listed = git(
        repo,
        &["verify-pack", "-v", pack_path.to_str().unwrap()],
        None,
    );
    assert!(listed.contains(&commit_id.to_hex()), "{listed}");
    git(
        repo,
        &["update-ref", "refs/heads/main", &commit_id.to_hex()],
        None,
    );
    git(repo, &["fsck", "--strict", "--no-dangling"], None);
    // Every file comes back byte for byte.
    for (path, entry) in tree.iter() {
        let spec = format!("main:{}", path.as_str());
        let out = Command::new("git")
            .args(["cat-file", "blob", &spec])
            .current_dir(repo)
            .output()
            .unwrap();
        assert_eq!(out.stdout, entry.bytes, "{path}");
    }
}
