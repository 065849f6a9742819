//! Reading a branch over git's own protocol (version 2, `git-upload-pack`), which every forge
//! serves: the capability advertisement, `ls-refs` (the refs and where `HEAD` points), and a
//! `fetch` of one commit without its history (`deepen 1`) and, where the server allows
//! filters, without its blobs (`filter blob:none`): the commit and its trees, from which the
//! branch's files and object ids are known without a forge's REST API
//! (`gitprotocol-v2(5)`, `gitprotocol-http(5)`).
//!
//! Over HTTP: `GET <repo>/info/refs?service=git-upload-pack` and `POST <repo>/git-upload-pack`,
//! both with `Git-Protocol: version=2` ([`PROTOCOL_HEADER`]); the bodies are built and read
//! here, the requests are the caller's.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::advertisement::ProtocolError;
use super::object::ObjectId;
use super::pack_read::{read_pack, PackLimits, PackReadError, PackedKind, PackedObject};
use super::pktline::{trim_newline, write_pkt, Pkt, PktReader, FLUSH};
use super::remote_tree::{RemoteFile, RemoteTree};

/// The header (name, value) that asks for protocol version 2.
pub const PROTOCOL_HEADER: (&str, &str) = ("git-protocol", "version=2");
/// The answer's content type for `POST git-upload-pack`.
pub const UPLOAD_PACK_REQUEST: &str = "application/x-git-upload-pack-request";
/// Sent in every request (`agent=`), as git does.
const AGENT: &str = concat!("liftoff/", env!("CARGO_PKG_VERSION"));
/// Deepest tree nesting read (git itself refuses deeper trees by default: 4096).
const MAX_DEPTH: usize = 4096;

/// What a version-2 server offers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct V2Capabilities {
    /// `ls-refs` is served.
    pub ls_refs: bool,
    /// `ls-refs` lists an unborn `HEAD` when asked (`ls-refs=unborn`).
    pub unborn: bool,
    /// `agent` is advertised: requests then say who they are.
    pub agent: bool,
    /// `object-format` is advertised (git 2.28 and later): requests then name it.
    pub object_format: bool,
    /// `fetch` is served.
    pub fetch: bool,
    /// `fetch` takes `filter` (partial clone).
    pub filter: bool,
    /// `fetch` takes `deepen` (shallow).
    pub shallow: bool,
}

/// A ref, as `ls-refs` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteRef {
    pub name: String,
    /// `None` for an unborn `HEAD` (an empty repository's default branch).
    pub id: Option<ObjectId>,
    /// Where a symbolic ref points (`HEAD` → `refs/heads/main`).
    pub target: Option<String>,
}

/// Why a fetch's answer could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    #[error("the fetched pack: {0}")]
    Pack(#[from] PackReadError),
    #[error("the fetched pack lacks {what} {id}")]
    Missing { what: &'static str, id: String },
    #[error("the {what} {id} in the fetched pack is malformed")]
    Malformed { what: &'static str, id: String },
}

/// Reads `GET info/refs?service=git-upload-pack`'s answer: `Some` capabilities when the
/// server speaks version 2, `None` when it answered version 0 (a ref advertisement).
pub fn parse_capabilities(body: &[u8]) -> Result<Option<V2Capabilities>, ProtocolError> {
    let mut pkts = PktReader::new(body).peekable();
    // Some servers put the smart-HTTP service line (and its flush) before a v2 answer too.
    if let Some(Ok(Pkt::Data(line))) = pkts.peek() {
        if line.starts_with(b"# service=") {
            pkts.next();
            if let Some(Ok(Pkt::Flush)) = pkts.peek() {
                pkts.next();
            }
        }
    }
    match pkts.next() {
        Some(Ok(Pkt::Data(line))) if trim_newline(line) == b"version 2" => {}
        Some(Err(error)) => return Err(error.into()),
        Some(Ok(Pkt::Data(line))) if line.starts_with(b"ERR ") => {
            return Err(ProtocolError::Fatal(text(&line[4..])));
        }
        _ => return Ok(None),
    }
    let mut caps = V2Capabilities::default();
    for pkt in pkts {
        let Pkt::Data(line) = pkt? else { break };
        let line = text(trim_newline(line));
        let (key, value) = line.split_once('=').unwrap_or((line.as_str(), ""));
        match key {
            "ls-refs" => {
                caps.ls_refs = true;
                caps.unborn = value.split(' ').any(|f| f == "unborn");
            }
            "object-format" => caps.object_format = value == "sha1",
            "agent" => caps.agent = true,
            "fetch" => {
                caps.fetch = true;
                let features: HashSet<&str> = value.split(' ').collect();
                caps.filter = features.contains("filter");
                caps.shallow = features.contains("shallow");
            }
            _ => {}
        }
    }
    Ok(Some(caps))
}

/// The body of an `ls-refs` command: `HEAD` (with where it points) and the branches. Only
/// what the server advertised is asked: git's upload-pack stops at an argument it does not know.
pub fn ls_refs_request(caps: &V2Capabilities) -> Vec<u8> {
    let mut out = Vec::new();
    command(&mut out, "ls-refs", caps);
    pkt(&mut out, "symrefs");
    if caps.unborn {
        pkt(&mut out, "unborn");
    }
    for arg in ["ref-prefix HEAD", "ref-prefix refs/heads/"] {
        pkt(&mut out, arg);
    }
    out.extend_from_slice(FLUSH);
    out
}

/// Reads `ls-refs`'s answer: `<id> <name>[ symref-target:<t>]` per ref, or `unborn HEAD …`.
pub fn parse_ls_refs(body: &[u8]) -> Result<Vec<RemoteRef>, ProtocolError> {
    let mut refs = Vec::new();
    for pkt in PktReader::new(body) {
        let Pkt::Data(line) = pkt? else { break };
        if let Some(message) = line.strip_prefix(b"ERR ") {
            return Err(ProtocolError::Fatal(text(message)));
        }
        let line = text(trim_newline(line));
        let mut words = line.split(' ');
        let (Some(first), Some(name)) = (words.next(), words.next().filter(|n| !n.is_empty()))
        else {
            return Err(ProtocolError::BadRefLine(line));
        };
        let id = if first == "unborn" {
            None
        } else {
            Some(ObjectId::from_hex(first).ok_or_else(|| ProtocolError::BadRefLine(line.clone()))?)
        };
        let target = words
            .find_map(|attr| attr.strip_prefix("symref-target:"))
            .map(str::to_string);
        refs.push(RemoteRef {
            name: name.to_string(),
            id,
            target,
        });
    }
    Ok(refs)
}

/// The body of a `fetch` of `want` alone: no history behind it where the server allows
/// `deepen`, no blobs where it allows `filter`; the pack whole (not thin), without progress.
pub fn fetch_request(want: ObjectId, caps: &V2Capabilities) -> Vec<u8> {
    let mut out = Vec::new();
    command(&mut out, "fetch", caps);
    pkt(&mut out, "no-progress");
    pkt(&mut out, "ofs-delta");
    if caps.shallow {
        pkt(&mut out, "deepen 1");
    }
    if caps.filter {
        pkt(&mut out, "filter blob:none");
    }
    pkt(&mut out, &format!("want {want}"));
    pkt(&mut out, "done");
    out.extend_from_slice(FLUSH);
    out
}

/// The pack in a `fetch` answer: its `packfile` section, side-band demultiplexed (band 1 the
/// pack, band 2 progress, band 3 the server's error).
pub fn parse_fetch(body: &[u8]) -> Result<Vec<u8>, ProtocolError> {
    let mut pack = Vec::new();
    let mut section: Option<Vec<u8>> = None;
    for pkt in PktReader::new(body) {
        match pkt? {
            Pkt::Flush | Pkt::ResponseEnd => break,
            Pkt::Delim => section = None,
            Pkt::Data(line) if section.is_none() => {
                if let Some(message) = line.strip_prefix(b"ERR ") {
                    return Err(ProtocolError::Fatal(text(message)));
                }
                section = Some(trim_newline(line).to_vec());
            }
            Pkt::Data(data) if section.as_deref() == Some(b"packfile") => {
                match data.split_first() {
                    Some((1, bytes)) => pack.extend_from_slice(bytes),
                    Some((2, _)) => {}
                    Some((3, message)) => return Err(ProtocolError::Fatal(text(message))),
                    Some((band, _)) => return Err(ProtocolError::BadBand(*band)),
                    None => {}
                }
            }
            Pkt::Data(_) => {}
        }
    }
    if section.as_deref() != Some(b"packfile") {
        return Err(ProtocolError::NotAnAdvertisement(
            "the fetch answer holds no packfile section".into(),
        ));
    }
    Ok(pack)
}

/// What `commit` holds, from a fetch's pack: its root tree, every tree and file under it, and
/// the ids the remote has (blob ids come from the trees even when the blobs were filtered out).
pub fn remote_tree(
    pack: &[u8],
    commit: ObjectId,
    limits: PackLimits,
) -> Result<RemoteTree, FetchError> {
    let objects = read_pack(pack, limits)?;
    let root = root_of(&objects, commit)?;
    let mut remote = RemoteTree {
        root: Some(root),
        ..RemoteTree::default()
    };
    remote.objects.insert(commit);
    let mut files = BTreeMap::new();
    walk(&objects, root, "", 0, &mut remote.objects, &mut files)?;
    remote.files = files;
    Ok(remote)
}

/// The root tree a commit names (its first line: `tree <id>`).
fn root_of(
    objects: &HashMap<ObjectId, PackedObject>,
    commit: ObjectId,
) -> Result<ObjectId, FetchError> {
    let object = objects
        .get(&commit)
        .filter(|o| o.kind == PackedKind::Commit)
        .ok_or(FetchError::Missing {
            what: "commit",
            id: commit.to_hex(),
        })?;
    object
        .data
        .split(|&b| b == b'\n')
        .next()
        .and_then(|line| line.strip_prefix(b"tree "))
        .and_then(|hex| std::str::from_utf8(hex).ok())
        .and_then(ObjectId::from_hex)
        .ok_or(FetchError::Malformed {
            what: "commit",
            id: commit.to_hex(),
        })
}

/// Lists the tree `id` (at `prefix`) into `seen` and `files`, recursively.
fn walk(
    objects: &HashMap<ObjectId, PackedObject>,
    id: ObjectId,
    prefix: &str,
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    files: &mut BTreeMap<String, RemoteFile>,
) -> Result<(), FetchError> {
    let malformed = || FetchError::Malformed {
        what: "tree",
        id: id.to_hex(),
    };
    if depth > MAX_DEPTH {
        return Err(malformed());
    }
    let tree = objects
        .get(&id)
        .filter(|o| o.kind == PackedKind::Tree)
        .ok_or(FetchError::Missing {
            what: "tree",
            id: id.to_hex(),
        })?;
    seen.insert(id);
    let mut rest = tree.data.as_slice();
    while !rest.is_empty() {
        let space = rest.iter().position(|&b| b == b' ').ok_or_else(malformed)?;
        let nul = rest.iter().position(|&b| b == 0).ok_or_else(malformed)?;
        if nul < space || rest.len() < nul + 21 {
            return Err(malformed());
        }
        let mode = std::str::from_utf8(&rest[..space]).map_err(|_| malformed())?;
        let name = std::str::from_utf8(&rest[space + 1..nul]).map_err(|_| malformed())?;
        let entry = ObjectId::from_bytes(rest[nul + 1..nul + 21].try_into().expect("twenty bytes"));
        rest = &rest[nul + 21..];
        if name.is_empty() || name == "." || name == ".." || name.contains('/') {
            return Err(malformed());
        }
        let path = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}/{name}")
        };
        seen.insert(entry);
        if mode == "40000" {
            walk(objects, entry, &path, depth + 1, seen, files)?;
        } else {
            let size = objects.get(&entry).map(|o| o.data.len() as u64);
            // Modes as a listing spells them (`100644`), where a tree stores `40000`.
            files.insert(
                path,
                RemoteFile {
                    id: entry,
                    mode: format!("{mode:0>6}"),
                    size,
                },
            );
        }
    }
    Ok(())
}

/// Appends a command line and the capabilities it sends, then the delimiter.
fn command(out: &mut Vec<u8>, name: &str, caps: &V2Capabilities) {
    pkt(out, &format!("command={name}"));
    if caps.agent {
        pkt(out, &format!("agent={AGENT}"));
    }
    if caps.object_format {
        pkt(out, "object-format=sha1");
    }
    out.extend_from_slice(b"0001");
}

fn pkt(out: &mut Vec<u8>, line: &str) {
    write_pkt(out, format!("{line}\n").as_bytes()).expect("short lines fit a pkt-line");
}

fn text(bytes: &[u8]) -> String {
    crate::text::excerpt(&String::from_utf8_lossy(trim_newline(bytes)))
}

#[cfg(test)]
mod tests;
