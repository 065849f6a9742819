//! Deploying a normalized tree to a host the founder owns (issue 6). Each provider is a
//! sans-I/O [`Conversation`](crate::net::Conversation): requests out, outcomes in, time as
//! input. Both providers build from source, so what is sent is the tree without `.env`, whose
//! values go through the provider's environment-variable API before the build starts.

pub mod netlify;
pub mod vercel;

use thiserror::Error;

use crate::net::RemoteError;
use crate::tree::SourceTree;

/// One deployment, as the CLI's `--json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deployment {
    pub id: String,
    /// `https://…`.
    pub url: String,
    /// The provider's state word (`READY`, `ERROR`, …).
    pub state: String,
}

/// One deployment in a project's history, as `liftoff deployments --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryEntry {
    pub id: String,
    pub url: String,
    /// The provider's state word.
    pub state: String,
    /// Epoch milliseconds.
    pub created: u64,
    /// Serving production now.
    pub production: bool,
}

/// Why a deployment did not end up live. Never carries a token or a variable's value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DeployError {
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error("{service}: the build of deployment {id} failed ({state}): {message}; production still serves the previous deployment")]
    BuildFailed {
        service: &'static str,
        id: String,
        state: String,
        message: String,
    },
    #[error(
        "{service}: deployment {id} was not ready after {minutes} minutes (last state {state})"
    )]
    TimedOut {
        service: &'static str,
        id: String,
        state: String,
        minutes: u64,
    },
    #[error("{service}: project {project} has no earlier production deployment to roll back to")]
    NothingToRollBackTo {
        service: &'static str,
        project: String,
    },
    #[error("{service}: {what} is not a valid name: {why}")]
    BadName {
        service: &'static str,
        what: String,
        why: &'static str,
    },
}

impl DeployError {
    /// A stable, machine-readable name for the kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Remote(e) => e.code(),
            Self::BuildFailed { .. } => "build-failed",
            Self::TimedOut { .. } => "timed-out",
            Self::BadName { .. } => "bad-name",
            Self::NothingToRollBackTo { .. } => "nothing-to-roll-back",
        }
    }
}

/// True for files that hold secrets rather than source: `.env` and its local variants at any
/// depth (`.env.example` is source and stays).
pub fn is_env_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == ".env" || (name.starts_with(".env.") && name != ".env.example")
}

/// The variables of the tree's top-level `.env` (`KEY=value` lines; `export `, comments,
/// blank lines and matching quotes handled), in file order, later lines replacing earlier.
pub fn dotenv_vars(tree: &SourceTree) -> Vec<(String, String)> {
    let Some(entry) = tree.get(".env") else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&entry.bytes);
    let mut vars: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        let valid = !key.is_empty()
            && !key.starts_with(|c: char| c.is_ascii_digit())
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid {
            continue;
        }
        let value = value.trim();
        let value = ['"', '\'']
            .iter()
            .find_map(|q| {
                value
                    .strip_prefix(*q)
                    .and_then(|v| v.strip_suffix(*q))
                    .filter(|_| value.len() >= 2)
            })
            .unwrap_or(value);
        vars.retain(|(k, _)| k != key);
        vars.push((key.to_string(), value.to_string()));
    }
    vars
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{FileEntry, OnDuplicate};

    #[test]
    fn env_files_and_values() {
        assert!(is_env_file(".env"));
        assert!(is_env_file("apps/web/.env.local"));
        assert!(!is_env_file(".env.example"));
        assert!(!is_env_file("src/env.ts"));
        let mut tree = SourceTree::new();
        let env = "# c\nexport VITE_A=\"x y\"\nB='q'\n1X=no\nB=r\nbad line\nC=\n";
        tree.insert(".env", FileEntry::new(env), OnDuplicate::Refuse)
            .unwrap();
        assert_eq!(
            dotenv_vars(&tree),
            vec![
                ("VITE_A".into(), "x y".into()),
                ("B".into(), "r".into()),
                ("C".into(), String::new()),
            ]
        );
    }
}
