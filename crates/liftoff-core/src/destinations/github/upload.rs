//! The body of `POST {clone_url}/git-receive-pack`: one ref-update command with the
//! capabilities asked for, a flush, then a pack of exactly the objects the remote lacks.

use std::collections::HashSet;

use crate::tree::SourceTree;
use crate::zip_write::is_stored;

use super::object::{ObjectId, ObjectKind};
use super::pack::{Level, PackWriter};
use super::pktline::{write_pkt, FLUSH};
use super::tree_build::BuiltTree;

/// `old → new` for one ref; `old` is what the ref must still be for the update to apply
/// ([`ObjectId::ZERO`]: the ref must not exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefUpdate {
    /// Full name, e.g. `refs/heads/main`.
    pub name: String,
    pub old: ObjectId,
    pub new: ObjectId,
}

/// A request body and how many objects its pack holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub body: Vec<u8>,
    pub objects: u32,
}

/// Builds the request: `update` with `capabilities`, then a pack of `commit` (if any) and
/// every tree and blob of `built` not in `known`. Blob bytes are read from `files`.
pub fn receive_pack_body(
    update: &RefUpdate,
    capabilities: &[&str],
    commit: Option<&[u8]>,
    built: &BuiltTree,
    files: &SourceTree,
    known: &HashSet<ObjectId>,
) -> Upload {
    let mut body = Vec::new();
    let command = format!(
        "{} {} {}\0{}\n",
        update.old,
        update.new,
        update.name,
        capabilities.join(" ")
    );
    write_pkt(&mut body, command.as_bytes()).expect("a ref name under 60 KB");
    body.extend_from_slice(FLUSH);

    let trees: Vec<(&ObjectId, &Vec<u8>)> = built
        .trees
        .iter()
        .filter(|(id, _)| !known.contains(id))
        .collect();
    let blobs: Vec<_> = built
        .blobs
        .iter()
        .filter(|(id, _)| !known.contains(id))
        .filter_map(|(_, path)| Some((path, files.get(path.as_str())?)))
        .collect();
    let count = u32::from(commit.is_some()) + trees.len() as u32 + blobs.len() as u32;
    let size: usize = trees.iter().map(|(_, d)| d.len()).sum::<usize>()
        + blobs.iter().map(|(_, f)| f.bytes.len()).sum::<usize>();
    body.reserve(size / 2 + 1024);

    let mut pack = PackWriter::after(body, count);
    if let Some(commit) = commit {
        pack.add(ObjectKind::Commit, commit, Level::Default);
    }
    for (_, data) in trees {
        pack.add(ObjectKind::Tree, data, Level::Default);
    }
    for (path, file) in blobs {
        let level = if is_stored(path) {
            Level::Store
        } else {
            Level::Default
        };
        pack.add(ObjectKind::Blob, &file.bytes, level);
    }
    Upload {
        body: pack.finish(),
        objects: count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::destinations::github::object::object_id;
    use crate::destinations::github::pktline::{Pkt, PktReader};
    use crate::destinations::github::tree_build::build_tree;
    use crate::tree::{FileEntry, OnDuplicate};

    #[test]
    fn command_then_flush_then_only_the_missing_objects() {
        let mut files = SourceTree::new();
        for (path, body) in [
            ("a.txt", "a\n"),
            ("src/b.ts", "b\n"),
            ("logo.png", "\u{89}PNG"),
        ] {
            files
                .insert(path, FileEntry::new(body.as_bytes()), OnDuplicate::Refuse)
                .unwrap();
        }
        let built = build_tree(&files);
        let update = RefUpdate {
            name: "refs/heads/main".into(),
            old: ObjectId::ZERO,
            new: ObjectId::from_hex(&"ab".repeat(20)).unwrap(),
        };
        // The remote already has src/ (tree and blob).
        let src_tree = *built.trees.keys().find(|id| **id != built.root).unwrap();
        let known: HashSet<ObjectId> = [src_tree, object_id(ObjectKind::Blob, b"b\n")]
            .into_iter()
            .collect();
        let upload = receive_pack_body(
            &update,
            &["report-status", "side-band-64k"],
            Some(b"commit bytes"),
            &built,
            &files,
            &known,
        );
        // commit + root tree + a.txt + logo.png.
        assert_eq!(upload.objects, 4);
        let mut reader = PktReader::new(&upload.body);
        let Some(Ok(Pkt::Data(command))) = reader.next() else {
            panic!("no command");
        };
        let expected = format!(
            "{} {} refs/heads/main\0report-status side-band-64k\n",
            ObjectId::ZERO,
            update.new
        );
        assert_eq!(command, expected.as_bytes());
        assert_eq!(reader.next(), Some(Ok(Pkt::Flush)));
        let pack = reader.remaining();
        assert_eq!(&pack[..8], b"PACK\0\0\0\x02");
        assert_eq!(u32::from_be_bytes(pack[8..12].try_into().unwrap()), 4);
    }
}
