//! What every hosting destination shares (Vercel and Netlify today; AWS and a server of one's
//! own to come): the [`Hosting`] entry points a destination registers, the [`Target`] both front
//! ends build from their flags or form, the results (`Deployment`, `HistoryEntry`), the errors,
//! and following a build until it is over ([`PollTiming`]). Each provider is a sans-I/O
//! conversation in its own folder under `crate::destinations`. What is sent is the tree without
//! its `.env` files, whose values go through the provider's environment API before the build.

/// The driving methods every history, rollback and promote conversation shares, over its `steps`
/// (which has `poll(now)`, `next_wakeup()`, `progress` and `finished`): the providers' listings go
/// one request at a time through the same moves, and only the requests and answers differ.
macro_rules! steps_driving {
    () => {
        fn poll_transmit(&mut self, now_ms: u64) -> Vec<crate::net::Outgoing> {
            self.steps.poll(now_ms)
        }

        fn next_wakeup(&self) -> Option<u64> {
            self.steps.next_wakeup()
        }

        fn progress(&self) -> crate::net::Progress {
            self.steps.progress
        }

        fn is_finished(&self) -> bool {
            self.steps.finished
        }
    };
}

pub(crate) use steps_driving;

pub mod releases;
mod status_poll;

pub use status_poll::PollTiming;
pub(crate) use status_poll::{StatusPoll, TimedOut};

use std::fmt;

use thiserror::Error;

use crate::error::{Coded, DeploymentRef, Details};
use crate::net::{Boxed, RemoteError};
use crate::tree::SourceTree;

/// A deploy with any hosting destination, driven as one type.
pub type DeployConversation = Boxed<Result<Deployment, DeployError>>;
/// A history listing with any hosting destination.
pub type HistoryConversation = Boxed<Result<Vec<HistoryEntry>, DeployError>>;
/// A rollback with any hosting destination.
pub type RollbackConversation = Boxed<Result<Deployment, DeployError>>;
/// A promotion with any hosting destination.
pub type PromoteConversation = Boxed<Result<Promoted, DeployError>>;

/// Where a deploy goes: straight to production, or beside it as a preview that
/// [`Target::promote`] later makes production without a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stage {
    #[default]
    Production,
    /// Built and served at its own address; production keeps serving what it served.
    Preview,
}

/// A hosting destination's entry points, registered in `crate::destinations`.
pub struct Hosting {
    /// Whether it takes a team id (Vercel's `teamId`); others refuse one.
    pub teams: bool,
    /// Deploys a tree (`framework` as [`crate::detect::detect_framework`] names it), to
    /// production or as a preview.
    pub deploy: fn(&Target, &SourceTree, &str, Stage) -> Result<DeployConversation, DeployError>,
    /// Lists the production deployments, newest first.
    pub history: fn(&Target) -> Result<HistoryConversation, DeployError>,
    /// Puts a deployment (or, without one, the production deployment before the current one)
    /// back in production, without a rebuild.
    pub rollback: fn(&Target, Option<String>) -> Result<RollbackConversation, DeployError>,
    /// Makes a deployment (a preview, typically) production without a rebuild; promoting the
    /// live one changes nothing.
    pub promote: fn(&Target, String) -> Result<PromoteConversation, DeployError>,
}

/// One project (Vercel) or site (Netlify) of the founder's, and how to reach it: what the CLI's
/// `--to/--project/--team/--api` and the popup's form both build (through
/// `crate::destinations::target`), so each front end starts the same three conversations.
#[derive(Clone)]
pub struct Target {
    /// The destination's entry points.
    pub hosting: &'static Hosting,
    /// The project's (or site's) name.
    pub project: String,
    /// The provider's token; sent only to `api`.
    pub token: String,
    /// A team id, for destinations with [`Hosting::teams`].
    pub team: Option<String>,
    /// Origin override (tests); the provider's public API otherwise.
    pub api: Option<String>,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("project", &self.project)
            .field("token", &"<redacted>")
            .field("team", &self.team)
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

impl Target {
    /// Deploys `tree` (built by the provider; `framework` chooses the build settings where the
    /// provider needs them).
    pub fn deploy(
        &self,
        tree: &SourceTree,
        framework: &str,
        stage: Stage,
    ) -> Result<DeployConversation, DeployError> {
        (self.hosting.deploy)(self, tree, framework, stage)
    }

    /// Makes `deployment` production without a rebuild (nothing changes when it already is).
    pub fn promote(&self, deployment: String) -> Result<PromoteConversation, DeployError> {
        (self.hosting.promote)(self, deployment)
    }

    /// Lists the production deployments, newest first.
    pub fn history(&self) -> Result<HistoryConversation, DeployError> {
        (self.hosting.history)(self)
    }

    /// Puts `deployment` (or, without one, the production deployment before the current one)
    /// back in production, without a rebuild.
    pub fn rollback(
        &self,
        deployment: Option<String>,
    ) -> Result<RollbackConversation, DeployError> {
        (self.hosting.rollback)(self, deployment)
    }
}

/// A creating call's own tag (16 hex digits), sent with it (Vercel's `meta`, Netlify's `title`)
/// so that after a lost answer the conversation finds what it created instead of creating a
/// second one: the SHA-1 of what is created and of the time it was first sent (the core has no
/// clock and no randomness: the time comes in with the request).
pub fn creation_key(parts: &[&str], now_ms: u64) -> String {
    use sha1::{Digest, Sha1};
    let mut hash = Sha1::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.update(now_ms.to_le_bytes());
    hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) use crate::net::MAX_LOST_ANSWERS;

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
    /// A preview: deployed beside production, never made live (until promoted).
    pub preview: bool,
}

/// The result of a promotion, as `liftoff promote --json` prints it: the deployment now in
/// production, and whether anything changed (promoting the live one changes nothing).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Promoted {
    #[serde(flatten)]
    pub deployment: Deployment,
    pub changed: bool,
}

/// The production deployment before the live one in a listing (newest first) that is in the
/// provider's ready state: where a rollback without a named deployment goes (never a preview).
pub(crate) fn earlier_ready(entries: &[HistoryEntry], ready: &str) -> Option<String> {
    let live = entries.iter().position(|e| e.production)?;
    entries[live + 1..]
        .iter()
        .find(|e| e.state == ready && !e.preview)
        .map(|e| e.id.clone())
}

/// Why a deployment did not end up live. Never carries a token or a variable's value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DeployError {
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error("{service}: the build of deployment {i} failed ({s}): {m}; production still serves the previous deployment", i = crate::text::excerpt(.id), s = crate::text::excerpt(.state), m = crate::text::quote_message(.message))]
    BuildFailed {
        service: &'static str,
        id: String,
        state: String,
        message: String,
    },
    #[error(
        "{service}: deployment {i} was not ready after {m} (last state {s})",
        i = crate::text::excerpt(.id),
        m = crate::text::count(*.minutes, "minute", "minutes"),
        s = crate::text::excerpt(.state)
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
    #[error(
        "{service} refused the credentials ({code}): check AWS_ACCESS_KEY_ID and \
         AWS_SECRET_ACCESS_KEY (or AWS_PROFILE and ~/.aws/credentials), and AWS_SESSION_TOKEN for \
         temporary ones; nothing was changed"
    )]
    CredentialsRefused { service: &'static str, code: String },
    #[error("{service}: deployment {i} cannot be promoted: {why}; production is unchanged", i = crate::text::excerpt(.id))]
    NotPromotable {
        service: &'static str,
        id: String,
        why: String,
    },
    #[error("{service}: the promotion of {i} did not take ({m}); production still serves {l}", i = crate::text::excerpt(.id), m = crate::text::quote_message(.message), l = crate::text::excerpt(.live))]
    PromoteFailed {
        service: &'static str,
        id: String,
        live: String,
        message: String,
    },
    #[error("{service} built preview {i} as production (is the production branch named like Liftoff's preview branch?); {after}", i = crate::text::excerpt(.id), after = match .restored { Some(previous) => format!("deployment {} was put back in production", crate::text::excerpt(previous)), None => "`liftoff rollback` puts the previous deployment back".to_string() })]
    PreviewWentLive {
        service: &'static str,
        id: String,
        /// The deployment put back in production, when that worked.
        restored: Option<String>,
    },
    #[error("{service}: {what} is not a valid name: {why}")]
    BadName {
        service: &'static str,
        what: String,
        why: &'static str,
    },
}

impl Coded for DeployError {
    fn code(&self) -> &'static str {
        match self {
            Self::Remote(e) => e.code(),
            Self::BuildFailed { .. } => "build-failed",
            Self::TimedOut { .. } => "timed-out",
            Self::BadName { .. } => "bad-name",
            Self::CredentialsRefused { .. } => "bad-token",
            Self::NothingToRollBackTo { .. } => "nothing-to-roll-back",
            Self::NotPromotable { .. } => "not-promotable",
            Self::PromoteFailed { .. } => "promote-failed",
            Self::PreviewWentLive { .. } => "preview-went-live",
        }
    }

    fn details(&self) -> Details {
        match self {
            Self::Remote(e) => e.details(),
            Self::BuildFailed {
                id, state, message, ..
            } => Details {
                deployment: Some(DeploymentRef {
                    id: id.clone(),
                    state: state.clone(),
                }),
                detail: Some(message.clone()),
                ..Details::default()
            },
            Self::TimedOut { id, state, .. } => Details {
                deployment: Some(DeploymentRef {
                    id: id.clone(),
                    state: state.clone(),
                }),
                ..Details::default()
            },
            Self::BadName { why, .. } => Details {
                why: Some((*why).to_string()),
                ..Details::default()
            },
            Self::NotPromotable { id, why, .. } => Details {
                deployment: Some(DeploymentRef {
                    id: id.clone(),
                    state: String::new(),
                }),
                why: Some(why.clone()),
                ..Details::default()
            },
            Self::PromoteFailed { id, message, .. } => Details {
                deployment: Some(DeploymentRef {
                    id: id.clone(),
                    state: String::new(),
                }),
                detail: Some(message.clone()),
                ..Details::default()
            },
            Self::NothingToRollBackTo { .. }
            | Self::CredentialsRefused { .. }
            | Self::PreviewWentLive { .. } => Details::default(),
        }
    }
}
