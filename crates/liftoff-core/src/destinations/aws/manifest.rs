//! The small record Liftoff keeps in the bucket (`{prefix}releases/liftoff.json`): every release,
//! its files with their SHA-256, and which one is live. It is what `deployments` lists, what a
//! rollback switches to, and how a new release finds content the bucket already holds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What the bucket holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The release served at the root (or under the prefix), if any.
    #[serde(default)]
    pub live: Option<String>,
    /// Oldest first.
    #[serde(default)]
    pub releases: Vec<Release>,
}

/// One immutable deployment under `{prefix}releases/{id}/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    pub id: String,
    /// Epoch milliseconds.
    pub created: u64,
    /// Path in the app → its content.
    pub files: BTreeMap<String, FileRecord>,
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

    /// Where the bucket already holds content with this hash: `(release id, path)`, the newest.
    pub fn holder(&self, sha256: &str) -> Option<(&str, &str)> {
        self.releases.iter().rev().find_map(|release| {
            release
                .files
                .iter()
                .find(|(_, f)| f.sha256 == sha256)
                .map(|(path, _)| (release.id.as_str(), path.as_str()))
        })
    }

    /// The release before the live one (a rollback's default), if any.
    pub fn before_live(&self) -> Option<&Release> {
        let live = self.live.as_deref()?;
        let at = self.releases.iter().position(|r| r.id == live)?;
        at.checked_sub(1).map(|i| &self.releases[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(id: &str, files: &[(&str, &str)]) -> Release {
        Release {
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
            live: Some("b".into()),
            releases: vec![
                release("a", &[("x.js", "1")]),
                release("b", &[("y.js", "1"), ("i.html", "2")]),
            ],
        };
        assert_eq!(
            manifest.holder("1"),
            Some(("b", "y.js")),
            "the newest holder"
        );
        assert_eq!(manifest.holder("3"), None);
        assert_eq!(manifest.before_live().map(|r| r.id.as_str()), Some("a"));
        let text = serde_json::to_string(&manifest).unwrap();
        assert_eq!(serde_json::from_str::<Manifest>(&text).unwrap(), manifest);
        assert_eq!(
            serde_json::from_str::<Manifest>("{}").unwrap(),
            Manifest::default()
        );
    }
}
