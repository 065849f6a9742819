use super::*;
use crate::destinations::github::remote_tree::RemoteFile;
use crate::tree::{FileEntry, OnDuplicate};

fn files(list: &[(&str, &[u8])]) -> SourceTree {
    let mut t = SourceTree::new();
    for (p, b) in list {
        t.insert(p, FileEntry::new(*b), OnDuplicate::Refuse)
            .unwrap();
    }
    t
}

fn remote(list: &[(&str, &[u8])]) -> RemoteTree {
    let mut r = RemoteTree::default();
    for (p, b) in list {
        r.files.insert(
            p.to_string(),
            RemoteFile {
                id: object_id(ObjectKind::Blob, b),
                mode: "100644".into(),
                size: Some(b.len() as u64),
            },
        );
    }
    r
}

#[test]
fn text_changes_count_lines_and_carry_a_unified_diff() {
    let old: &[(&str, &[u8])] = &[("a.txt", b"one\ntwo\nthree\n"), ("gone.txt", b"x\ny\n")];
    let new = files(&[("a.txt", b"one\n2\nthree\nfour\n"), ("b.txt", b"new\n")]);
    let mut cmp = Comparison::new(&new, Some(&remote(old)), Limits::default(), true);
    assert_eq!(cmp.wanted().len(), 2);
    for (_, bytes) in old {
        cmp.provide(object_id(ObjectKind::Blob, bytes), bytes.to_vec());
    }
    assert!(cmp.wanted().is_empty());
    let (changes, diffs) = cmp.finish(&new);
    let lines: Vec<_> = changes
        .iter()
        .map(|c| (c.path.as_str(), c.action, c.lines_added, c.lines_removed))
        .collect();
    assert_eq!(
        lines,
        [
            ("a.txt", ChangeAction::Changed, Some(2), Some(1)),
            ("b.txt", ChangeAction::Added, Some(1), Some(0)),
            ("gone.txt", ChangeAction::Deleted, Some(0), Some(2)),
        ]
    );
    let a = &diffs.iter().find(|d| d.path == "a.txt").unwrap().text;
    assert_eq!(
        a,
        "--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,4 @@\n one\n-two\n+2\n three\n+four\n"
    );
    assert!(diffs
        .iter()
        .any(|d| d.path == "gone.txt" && d.text.contains("+++ /dev/null")));
}

#[test]
fn binaries_get_sizes_and_the_bounds_hold() {
    let png: &[u8] = &[0x89, b'P', b'N', b'G', 0, 1];
    let new = files(&[
        ("logo.png", &[0x89, b'P', b'N', b'G', 0, 2, 3]),
        ("big.txt", b"new\n"),
    ]);
    let old = remote(&[("logo.png", png), ("big.txt", &[b'a'; 600 * 1024])]);
    let cmp = Comparison::new(&new, Some(&old), Limits::default(), true);
    assert!(
        cmp.wanted().is_empty(),
        "a binary and a text past 512 KiB are not downloaded"
    );
    let (changes, diffs) = cmp.finish(&new);
    let logo = changes.iter().find(|c| c.path == "logo.png").unwrap();
    assert!(logo.binary && logo.lines_added.is_none());
    assert_eq!((logo.size, logo.old_size), (7, Some(6)));
    let big = changes.iter().find(|c| c.path == "big.txt").unwrap();
    assert_eq!((big.lines_added, big.lines_removed), (None, None));
    assert!(diffs.is_empty());
    let limits = Limits {
        blobs: 1,
        ..Limits::default()
    };
    let many = files(&[("a", b"1\n"), ("b", b"1\n"), ("c", b"1\n")]);
    let old = remote(&[("a", b"0\n"), ("b", b"2\n"), ("c", b"3\n")]);
    assert_eq!(
        Comparison::new(&many, Some(&old), limits, true)
            .wanted()
            .len(),
        1
    );
    assert!(Comparison::new(&many, Some(&old), limits, false)
        .wanted()
        .is_empty());
}

#[test]
fn unchanged_files_and_mode_only_changes() {
    let same = files(&[("a", b"1\n")]);
    assert!(Comparison::new(
        &same,
        Some(&remote(&[("a", b"1\n")])),
        Limits::default(),
        true
    )
    .is_empty());
    let mut exec = SourceTree::new();
    exec.insert(
        "run.sh",
        FileEntry {
            bytes: b"x\n".to_vec(),
            executable: true,
        },
        OnDuplicate::Refuse,
    )
    .unwrap();
    let cmp = Comparison::new(
        &exec,
        Some(&remote(&[("run.sh", b"x\n")])),
        Limits::default(),
        true,
    );
    let change = &cmp.changes()[0];
    assert_eq!(
        (change.action, change.lines_added),
        (ChangeAction::Changed, Some(0))
    );
    assert!(is_binary(b"a\0b") && is_binary(&[0xff, 0xfe]) && !is_binary("héllo".as_bytes()));
}
