//! Git trees from a [`SourceTree`]: one tree object per folder, entries in git's order.

use std::collections::BTreeMap;

use crate::path::ProjectPath;
use crate::tree::{FileEntry, SourceTree};

use super::object::{object_id, ObjectId, ObjectKind};

/// File modes a tree entry can carry here (no symlinks or submodules: a `SourceTree` holds
/// neither).
const MODE_FILE: &str = "100644";
const MODE_EXECUTABLE: &str = "100755";
const MODE_TREE: &str = "40000";

/// Every object of a tree, hashed, ready to be compared with what a remote holds and packed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuiltTree {
    /// The root tree's id (what a commit names).
    pub root: ObjectId,
    /// Each distinct tree object: id → serialized entries.
    pub trees: BTreeMap<ObjectId, Vec<u8>>,
    /// Each distinct blob: id → one path holding those bytes (to find them when packing).
    pub blobs: BTreeMap<ObjectId, ProjectPath>,
}

impl BuiltTree {
    /// Number of distinct objects (trees and blobs).
    pub fn object_count(&self) -> usize {
        self.trees.len() + self.blobs.len()
    }
}

/// A folder being assembled: name → child.
#[derive(Default)]
struct Folder<'a> {
    children: BTreeMap<&'a str, Node<'a>>,
}

enum Node<'a> {
    File(&'a ProjectPath, &'a FileEntry),
    Folder(Folder<'a>),
}

/// Hashes every blob and tree of `tree`. An empty `tree` gives git's empty tree.
pub fn build_tree(tree: &SourceTree) -> BuiltTree {
    let mut root = Folder::default();
    for (path, entry) in tree.iter() {
        let mut folder = &mut root;
        let mut segments = path.as_str().split('/').peekable();
        while let Some(segment) = segments.next() {
            if segments.peek().is_none() {
                folder.children.insert(segment, Node::File(path, entry));
                break;
            }
            let child = folder
                .children
                .entry(segment)
                .or_insert_with(|| Node::Folder(Folder::default()));
            folder = match child {
                Node::Folder(f) => f,
                // A SourceTree never holds a file where a folder is.
                Node::File(..) => unreachable!("file/folder clash in a SourceTree"),
            };
        }
    }
    let mut built = BuiltTree::default();
    built.root = write_folder(&root, &mut built);
    built
}

/// Serializes `folder` (children first), recording every object in `built`.
fn write_folder(folder: &Folder<'_>, built: &mut BuiltTree) -> ObjectId {
    let mut entries: Vec<(Vec<u8>, &str, &str, ObjectId)> = Vec::new();
    for (name, node) in &folder.children {
        let (mode, id, sort_key) = match node {
            Node::File(path, entry) => {
                let id = object_id(ObjectKind::Blob, &entry.bytes);
                built.blobs.entry(id).or_insert_with(|| (*path).clone());
                let mode = if entry.executable {
                    MODE_EXECUTABLE
                } else {
                    MODE_FILE
                };
                (mode, id, name.as_bytes().to_vec())
            }
            Node::Folder(child) => {
                let id = write_folder(child, built);
                (MODE_TREE, id, folder_sort_key(name))
            }
        };
        entries.push((sort_key, mode, name, id));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut data = Vec::with_capacity(entries.len() * 48);
    for (_, mode, name, id) in entries {
        data.extend_from_slice(mode.as_bytes());
        data.push(b' ');
        data.extend_from_slice(name.as_bytes());
        data.push(0);
        data.extend_from_slice(id.as_bytes());
    }
    let id = object_id(ObjectKind::Tree, &data);
    built.trees.entry(id).or_insert(data);
    id
}

/// Git sorts a folder's entry as if its name ended in `/`, so `a.b` comes before folder `a`
/// (`.` < `/`) and folder `a` before `a0` (`/` < `0`).
fn folder_sort_key(name: &str) -> Vec<u8> {
    let mut key = name.as_bytes().to_vec();
    key.push(b'/');
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::OnDuplicate;

    fn tree(files: &[(&str, &str)]) -> SourceTree {
        let mut t = SourceTree::new();
        for (path, body) in files {
            t.insert(path, FileEntry::new(body.as_bytes()), OnDuplicate::Refuse)
                .unwrap();
        }
        t
    }

    /// The entry names of a serialized tree, in order.
    fn names(data: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = data;
        while !rest.is_empty() {
            let nul = rest.iter().position(|&b| b == 0).unwrap();
            let head = std::str::from_utf8(&rest[..nul]).unwrap();
            out.push(head.split_once(' ').unwrap().1.to_string());
            rest = &rest[nul + 21..];
        }
        out
    }

    #[test]
    fn folders_sort_as_if_followed_by_a_slash() {
        let built = build_tree(&tree(&[
            ("a/x", "1"),
            ("a.b", "2"),
            ("a0", "3"),
            ("a-", "4"),
            ("ab", "5"),
        ]));
        let root = &built.trees[&built.root];
        assert_eq!(names(root), ["a-", "a.b", "a", "a0", "ab"]);
    }

    #[test]
    fn identical_contents_are_one_blob_and_empty_tree_is_gits() {
        let built = build_tree(&tree(&[("x/a", "same"), ("y/b", "same")]));
        assert_eq!(built.blobs.len(), 1);
        assert_eq!(built.blobs.values().next().unwrap().as_str(), "x/a");
        // x and y hold different names, so they are two trees, plus the root.
        assert_eq!(built.trees.len(), 3);
        let empty = build_tree(&SourceTree::new());
        assert_eq!(
            empty.root.to_hex(),
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
        );
    }
}
