//! The small record Liftoff keeps beside the releases of a destination that serves built files
//! (`releases/liftoff.json` in an S3 bucket, or on a server over SSH): every release, its files
//! with their SHA-256, and which one is live. It is what `deployments` lists, what a rollback
//! switches to, and how a new release finds content the destination already holds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One file of a build, with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltFile {
    /// Relative, `/`-separated (checked by the caller: a [`crate::path::ProjectPath`]).
    pub path: String,
    pub bytes: Vec<u8>,
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The release a build makes: its files' hashes, and an id that sorts by time and names the
/// content (`20261204T174500Z-1a2b3c4d`: the UTC time, then the first hex digits of a hash of
/// every path and content).
pub fn release_of(files: &[BuiltFile], now_ms: u64) -> Release {
    let files: BTreeMap<String, FileRecord> = files
        .iter()
        .map(|f| {
            let record = FileRecord {
                sha256: sha256_hex(&f.bytes),
                size: f.bytes.len() as u64,
            };
            (f.path.clone(), record)
        })
        .collect();
    let fingerprint: String = files
        .iter()
        .map(|(p, f)| format!("{p}\0{}\n", f.sha256))
        .collect();
    let (y, mo, d, h, mi, s) = crate::time::utc_parts((now_ms / 1000) as i64);
    Release {
        preview: false,
        id: format!(
            "{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z-{}",
            &sha256_hex(fingerprint.as_bytes())[..8]
        ),
        created: now_ms,
        files,
    }
}

/// What the bucket holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The release served at the root (or under the prefix), if any.
    #[serde(default)]
    pub live: Option<String>,
    /// Oldest first.
    #[serde(default)]
    pub releases: Vec<Release>,
    /// Set while a switch to this release is under way: when it is still set on the next read,
    /// that switch stopped halfway and what is served is not `live`'s files alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switching: Option<String>,
}

/// One immutable deployment under `{prefix}releases/{id}/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    pub id: String,
    /// Epoch milliseconds.
    pub created: u64,
    /// Path in the app → its content.
    pub files: BTreeMap<String, FileRecord>,
    /// Deployed as a preview and never made live since (`deploy --preview`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preview: bool,
}

/// A file's content, as the bucket holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    pub sha256: String,
    pub size: u64,
}

impl Manifest {
    /// A release by id.
    pub fn release(&self, id: &str) -> Option<&Release> {
        self.releases.iter().find(|r| r.id == id)
    }

    /// Where the destination already holds each content: SHA-256 → `(release id, path)`, the
    /// newest release's first path. Built once per deployment (a lookup per file would read
    /// every release's every file for each).
    pub fn holders(&self) -> std::collections::HashMap<&str, (&str, &str)> {
        let mut holders = std::collections::HashMap::new();
        for release in self.releases.iter().rev() {
            for (path, file) in &release.files {
                holders
                    .entry(file.sha256.as_str())
                    .or_insert((release.id.as_str(), path.as_str()));
            }
        }
        holders
    }

    /// Drops the oldest releases beyond `keep` besides the live one (and the one a switch is
    /// under way to); returns them, so that their files can be removed too.
    pub fn prune(&mut self, keep: usize) -> Vec<Release> {
        let spared = [self.live.clone(), self.switching.clone()];
        let others: Vec<String> = self
            .releases
            .iter()
            .filter(|r| !spared.contains(&Some(r.id.clone())))
            .map(|r| r.id.clone())
            .collect();
        let excess = others.len().saturating_sub(keep);
        let gone: Vec<String> = others.into_iter().take(excess).collect();
        let (dropped, kept) = std::mem::take(&mut self.releases)
            .into_iter()
            .partition(|r| gone.contains(&r.id));
        self.releases = kept;
        dropped
    }

    /// The production release before the live one (a rollback's default; previews never made
    /// live are passed over), if any.
    pub fn before_live(&self) -> Option<&Release> {
        let live = self.live.as_deref()?;
        let at = self.releases.iter().position(|r| r.id == live)?;
        self.releases[..at].iter().rev().find(|r| !r.preview)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(id: &str, files: &[(&str, &str)]) -> Release {
        Release {
            preview: false,
            id: id.into(),
            created: 0,
            files: files
                .iter()
                .map(|(p, h)| {
                    (
                        p.to_string(),
                        FileRecord {
                            sha256: h.to_string(),
                            size: 1,
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn holders_and_the_release_before_the_live_one() {
        let manifest = Manifest {
            switching: None,
            live: Some("b".into()),
            releases: vec![
                release("a", &[("x.js", "1")]),
                release("b", &[("y.js", "1"), ("i.html", "2")]),
            ],
        };
        assert_eq!(
            manifest.holders().get("1").copied(),
            Some(("b", "y.js")),
            "the newest holder"
        );
        assert_eq!(manifest.holders().get("3"), None);
        assert_eq!(manifest.before_live().map(|r| r.id.as_str()), Some("a"));
        let text = serde_json::to_string(&manifest).unwrap();
        assert_eq!(serde_json::from_str::<Manifest>(&text).unwrap(), manifest);
        assert_eq!(
            serde_json::from_str::<Manifest>("{}").unwrap(),
            Manifest::default()
        );
    }
}
