use super::*;
use crate::destinations::github::tree_build::build_tree;
use crate::tree::{FileEntry, OnDuplicate, SourceTree};

/// A listing as GitHub gives it for `built` (every tree and blob, recursively), by commit id.
fn listing_of(files: &SourceTree, asked: &str) -> Listing {
    let built = build_tree(files);
    let mut tree = Vec::new();
    let mut folders = std::collections::BTreeSet::new();
    for (path, entry) in files.iter() {
        let parts: Vec<&str> = path.as_str().split('/').collect();
        for i in 1..parts.len() {
            folders.insert(parts[..i].join("/"));
        }
        let id = crate::destinations::github::object_id(
            crate::destinations::github::ObjectKind::Blob,
            &entry.bytes,
        );
        tree.push(ListingEntry {
            path: path.to_string(),
            mode: if entry.executable { "100755" } else { "100644" }.into(),
            kind: "blob".into(),
            sha: id.to_hex(),
            size: Some(entry.bytes.len() as u64),
        });
    }
    // Subtrees' ids from the built tree: find each folder's id by rebuilding it alone.
    for folder in folders {
        let mut sub = SourceTree::new();
        for (path, entry) in files.iter() {
            if let Some(rest) = path.as_str().strip_prefix(&format!("{folder}/")) {
                sub.insert(rest, entry.clone(), OnDuplicate::Refuse)
                    .unwrap();
            }
        }
        tree.push(ListingEntry {
            path: folder,
            mode: "040000".into(),
            kind: "tree".into(),
            sha: build_tree(&sub).root.to_hex(),
            size: None,
        });
    }
    let _ = built;
    Listing {
        sha: asked.into(),
        tree,
        truncated: false,
    }
}

#[test]
fn the_root_tree_id_follows_from_the_top_level_entries_whatever_sha_echoes() {
    let mut files = SourceTree::new();
    for (path, body) in [
        ("a.b", "1"),
        ("a/x.txt", "2"),
        ("a0", "3"),
        ("src/deep/file.ts", "4"),
        ("README.md", "5"),
    ] {
        files
            .insert(path, FileEntry::new(body.as_bytes()), OnDuplicate::Refuse)
            .unwrap();
    }
    files
        .insert(
            "run.sh",
            FileEntry {
                bytes: b"#!/bin/sh\n".to_vec(),
                executable: true,
            },
            OnDuplicate::Refuse,
        )
        .unwrap();
    let commit_id = "1234567890123456789012345678901234567890";
    let remote = RemoteTree::from_listing(&listing_of(&files, commit_id));
    assert_eq!(remote.root, Some(build_tree(&files).root));
    assert_ne!(remote.root.unwrap().to_hex(), commit_id);
    assert_eq!(remote.files.len(), 6);
    assert_eq!(remote.files["run.sh"].mode, "100755");
    assert!(remote.objects.contains(&remote.root.unwrap()));
}

#[test]
fn a_truncated_or_unreadable_listing_leaves_the_root_unknown() {
    let mut files = SourceTree::new();
    files
        .insert("a.txt", FileEntry::new(&b"1"[..]), OnDuplicate::Refuse)
        .unwrap();
    let mut listing = listing_of(&files, "x");
    listing.truncated = true;
    assert_eq!(RemoteTree::from_listing(&listing).root, None);
    let mut listing = listing_of(&files, "x");
    listing.tree[0].sha = "not-an-id".into();
    assert_eq!(RemoteTree::from_listing(&listing).root, None);
    let empty = Listing {
        sha: "x".into(),
        tree: Vec::new(),
        truncated: false,
    };
    assert_eq!(
        RemoteTree::from_listing(&empty).root.unwrap().to_hex(),
        "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        "git's empty tree"
    );
}
