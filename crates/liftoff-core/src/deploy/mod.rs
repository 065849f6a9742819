//! Deploying a normalized tree to a host the founder owns (issue 6). Each provider is a
//! sans-I/O [`Conversation`](crate::net::Conversation): requests out, outcomes in, time as
//! input. Both providers build from source, so what is sent is the tree without `.env`, whose
//! values go through the provider's environment-variable API before the build starts.

/// The driving methods every history and rollback conversation shares, over its `steps` (which
/// has `poll(now)`, `pool`, `progress` and `finished`): both providers' listings go one request
/// at a time through the same moves, and only the requests and answers differ.
macro_rules! steps_driving {
    () => {
        fn poll_transmit(&mut self, now_ms: u64) -> Vec<crate::net::Outgoing> {
            self.steps.poll(now_ms)
        }

        fn next_wakeup(&self) -> Option<u64> {
            self.steps.pool.next_wakeup()
        }

        fn progress(&self) -> crate::net::Progress {
            self.steps.progress
        }

        fn is_finished(&self) -> bool {
            self.steps.finished
        }
    };
}

pub mod netlify;
mod status_poll;
pub mod vercel;

pub use status_poll::PollTiming;

use std::fmt;

use thiserror::Error;

use crate::net::{Either, RemoteError};
use crate::tree::SourceTree;

use netlify::{NetlifyConfig, NetlifyDeploy, NetlifyHistory, NetlifyRestore};
use vercel::{ProjectSettings, VercelConfig, VercelDeploy, VercelHistory, VercelRollback};

/// The hosts Liftoff deploys to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Vercel,
    Netlify,
}

impl Provider {
    /// The lower-case name the CLI and the extension use (`vercel`, `netlify`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vercel => "vercel",
            Self::Netlify => "netlify",
        }
    }

    /// The provider named `name` as [`Provider::as_str`] writes it.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Vercel, Self::Netlify]
            .into_iter()
            .find(|p| p.as_str() == name)
    }
}

/// A deploy conversation with either provider.
pub type DeployConversation = Either<VercelDeploy, NetlifyDeploy>;
/// A history listing with either provider.
pub type HistoryConversation = Either<VercelHistory, NetlifyHistory>;
/// A rollback with either provider.
pub type RollbackConversation = Either<VercelRollback, NetlifyRestore>;

/// One project (Vercel) or site (Netlify) of the founder's, and how to reach it: what the CLI's
/// `--to/--project/--team/--api` and the popup's form both build, so each front end starts
/// the same three conversations.
#[derive(Clone)]
pub struct Target {
    pub provider: Provider,
    /// The project's (or site's) name.
    pub project: String,
    /// The provider's token; sent only to `api`.
    pub token: String,
    /// Vercel's `teamId` (Netlify takes the account from the site).
    pub team: Option<String>,
    /// Origin override (tests); the provider's public API otherwise.
    pub api: Option<String>,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("provider", &self.provider)
            .field("project", &self.project)
            .field("token", &"<redacted>")
            .field("team", &self.team)
            .field("api", &self.api)
            .finish()
    }
}

impl Target {
    fn vercel(&self) -> VercelConfig {
        let mut c = VercelConfig::new(&self.project, &self.token);
        c.team_id.clone_from(&self.team);
        if let Some(api) = &self.api {
            c.api.clone_from(api);
        }
        c
    }

    fn netlify(&self) -> NetlifyConfig {
        let mut c = NetlifyConfig::new(&self.project, &self.token);
        if let Some(api) = &self.api {
            c.api.clone_from(api);
        }
        c
    }

    /// Deploys `tree` (built by the provider; `framework` as [`crate::detect::detect_framework`]
    /// names it chooses Vercel's build settings, Netlify reads `netlify.toml`).
    pub fn deploy(
        &self,
        tree: &SourceTree,
        framework: &str,
    ) -> Result<DeployConversation, DeployError> {
        Ok(match self.provider {
            Provider::Vercel => {
                let mut c = self.vercel();
                c.settings = ProjectSettings::for_tree(tree, framework);
                Either::Left(VercelDeploy::new(c, tree)?)
            }
            Provider::Netlify => Either::Right(NetlifyDeploy::new(self.netlify(), tree)?),
        })
    }

    /// Lists the production deployments, newest first.
    pub fn history(&self) -> Result<HistoryConversation, DeployError> {
        Ok(match self.provider {
            Provider::Vercel => Either::Left(VercelHistory::new(self.vercel())?),
            Provider::Netlify => Either::Right(NetlifyHistory::new(self.netlify())?),
        })
    }

    /// Puts `deployment` (or, without one, the production deployment before the current one)
    /// back in production, without a rebuild.
    pub fn rollback(
        &self,
        deployment: Option<String>,
    ) -> Result<RollbackConversation, DeployError> {
        Ok(match self.provider {
            Provider::Vercel => Either::Left(VercelRollback::new(self.vercel(), deployment)?),
            Provider::Netlify => Either::Right(NetlifyRestore::new(self.netlify(), deployment)?),
        })
    }
}

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

/// The production deployment before the live one in a listing (newest first) that is in the
/// provider's ready state: where a rollback without a named deployment goes.
fn earlier_ready(entries: &[HistoryEntry], ready: &str) -> Option<String> {
    let live = entries.iter().position(|e| e.production)?;
    entries[live + 1..]
        .iter()
        .find(|e| e.state == ready)
        .map(|e| e.id.clone())
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
