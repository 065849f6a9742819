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
    let mut entries: Vec<(&str, &str, ObjectId)> = Vec::new();
    for (name, node) in &folder.children {
        let (mode, id) = match node {
            Node::File(path, entry) => {
                let id = object_id(ObjectKind::Blob, &entry.bytes);
                built.blobs.entry(id).or_insert_with(|| (*path).clone());
                let mode = if entry.executable {
                    MODE_EXECUTABLE
                } else {
                    MODE_FILE
                };
                (mode, id)
            }
            Node::Folder(child) => (MODE_TREE, write_folder(child, built)),
        };
        entries.push((mode, name, id));
    }
    let data = serialize_tree(&entries);
    let id = object_id(ObjectKind::Tree, &data);
    built.trees.entry(id).or_insert(data);
    id
}

/// The id of the tree object holding `entries` (`(mode, name, id)`, in any order; modes as git
/// writes them or as GitHub lists them, `040000` for a tree): how a remote root tree's id is
/// known from its listing without asking for it.
pub fn tree_object_id(entries: &[(&str, &str, ObjectId)]) -> ObjectId {
    object_id(ObjectKind::Tree, &serialize_tree(entries))
}

/// A tree object's bytes: entries in git's order, each `<mode> <name>\0<20-byte id>`, with the
/// mode's leading zeros dropped (git writes `40000` for a tree).
fn serialize_tree(entries: &[(&str, &str, ObjectId)]) -> Vec<u8> {
    let mut sorted: Vec<(Vec<u8>, &str, &str, ObjectId)> = entries
        .iter()
        .map(|&(mode, name, id)| {
            let mode = mode.trim_start_matches('0');
            let key = if mode == MODE_TREE {
                folder_sort_key(name)
            } else {
                name.as_bytes().to_vec()
            };
            (key, mode, name, id)
        })
        .collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut data = Vec::with_capacity(sorted.len() * 48);
    for (_, mode, name, id) in sorted {
        data.extend_from_slice(mode.as_bytes());
        data.push(b' ');
        data.extend_from_slice(name.as_bytes());
        data.push(0);
        data.extend_from_slice(id.as_bytes());
    }
    data
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
