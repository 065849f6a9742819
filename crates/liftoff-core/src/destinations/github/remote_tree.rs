//! What a branch holds, from `GET /repos/{o}/{r}/git/trees/{tree-ish}?recursive=1`: the objects
//! the remote has (so only the missing ones are sent), its files (for the diff), and the root
//! tree's id.
//!
//! The root tree's id is *not* the listing's `sha`: GitHub answers `sha` with what it was asked
//! for, so a listing asked by commit id echoes the commit id (`../shared/brief/targets.md`). The
//! id is computed from the listing's top-level entries instead (git's tree serialization, no
//! extra request); a truncated listing lacks entries, so its root id comes from the commit
//! object (`GET /repos/{o}/{r}/git/commits/{sha}` → `tree.sha`).

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;

use super::object::ObjectId;
use super::tree_build::tree_object_id;

/// `GET /repos/{owner}/{repo}/git/trees/{sha}?recursive=1`, as GitHub answers it.
#[derive(Debug, Clone, Deserialize)]
pub struct Listing {
    /// What was asked for (a commit id, a tree id): never trusted as the root tree's id.
    #[serde(default)]
    pub sha: String,
    #[serde(default)]
    pub tree: Vec<ListingEntry>,
    /// More than GitHub lists at once: the listing is partial.
    #[serde(default)]
    pub truncated: bool,
}

/// One entry of a recursive listing.
#[derive(Debug, Clone, Deserialize)]
pub struct ListingEntry {
    pub path: String,
    /// `100644`, `100755`, `120000`, `040000`, `160000`.
    pub mode: String,
    /// `blob`, `tree` or `commit` (a submodule).
    #[serde(rename = "type")]
    pub kind: String,
    pub sha: String,
    /// Blobs only.
    #[serde(default)]
    pub size: Option<u64>,
}

/// `GET /repos/{owner}/{repo}/git/commits/{sha}`: the one field read.
#[derive(Debug, Clone, Deserialize)]
pub struct CommitObject {
    pub tree: TreeRef,
}

/// A tree named by a commit.
#[derive(Debug, Clone, Deserialize)]
pub struct TreeRef {
    pub sha: String,
}

/// A file on the branch: what the diff compares against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    pub id: ObjectId,
    pub mode: String,
    pub size: Option<u64>,
}

/// A branch's contents as far as the listing tells.
#[derive(Debug, Clone, Default)]
pub struct RemoteTree {
    /// Every object id listed (trees and blobs): what need not be sent.
    pub objects: HashSet<ObjectId>,
    /// Every file (blobs, links, submodules) by path.
    pub files: BTreeMap<String, RemoteFile>,
    /// The root tree's id, when the listing holds it whole.
    pub root: Option<ObjectId>,
    /// The listing was cut: files may be missing, and the root id must come from the commit.
    pub truncated: bool,
}

impl RemoteTree {
    /// Reads a listing; entries with ids that are not ids are skipped (and, being unreadable,
    /// leave the root unknown).
    pub fn from_listing(listing: &Listing) -> Self {
        let mut remote = RemoteTree {
            truncated: listing.truncated,
            ..RemoteTree::default()
        };
        let mut top: Vec<(&str, &str, ObjectId)> = Vec::new();
        let mut unreadable = false;
        for entry in &listing.tree {
            let Some(id) = ObjectId::from_hex(&entry.sha) else {
                unreadable = true;
                continue;
            };
            remote.objects.insert(id);
            if entry.kind != "tree" {
                remote.files.insert(
                    entry.path.clone(),
                    RemoteFile {
                        id,
                        mode: entry.mode.clone(),
                        size: entry.size,
                    },
                );
            }
            if !entry.path.contains('/') {
                top.push((entry.mode.as_str(), entry.path.as_str(), id));
            }
        }
        if !listing.truncated && !unreadable {
            let root = tree_object_id(&top);
            remote.objects.insert(root);
            remote.root = Some(root);
        }
        remote
    }
}

#[cfg(test)]
mod tests;
