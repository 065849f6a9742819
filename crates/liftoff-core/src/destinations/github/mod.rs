//! Pushing a tree to GitHub as one commit over git's smart HTTP protocol, the one `git push`
//! speaks: a handful of requests whatever the project's size, binary files byte for byte,
//! deletions carried over, history kept, never a force push.
//!
//! The pieces, each without I/O: git objects ([`object`], [`tree_build`], [`commit`]), the
//! packfile ([`pack`]), the wire protocol ([`pktline`], [`advertisement`],
//! [`report_status`], [`upload`]), what stays out of a commit ([`ignore`]), and the
//! conversation that puts them together with the REST API ([`push`]).

pub mod advertisement;
pub mod api;
pub mod checks;
pub mod commit;
pub mod diff;
pub mod error;
pub mod fetch;
pub mod forge;
pub mod ignore;
pub mod names;
pub mod object;
pub mod pack;
pub mod pack_read;
pub mod pktline;
pub mod plain;
pub mod pulls;
pub mod push;
pub mod remote_tree;
pub mod report_status;
pub mod tree_build;
pub mod upload;

pub use advertisement::{Advertisement, ProtocolError};
pub use checks::{Checks, ChecksConfig, ChecksWatch, Verdict};
pub use commit::default_message;
pub use diff::{ChangeAction, FileChange, FileDiff, Preview};
pub use error::PushError;
pub use ignore::{split_uncommittable, Excluded};
pub use object::{object_id, ObjectId, ObjectKind};
pub use pulls::{PullRequestResult, PullRequestSpec};
pub use push::{Author, Discovery, GitHubPreview, GitHubPush, PushConfig, PushResult, DEFAULT_API};
pub use tree_build::{build_tree, BuiltTree};

use super::{
    ChecksConversation, DestinationSpec, Forge, Kind, NameRule, PreviewConversation,
    PushConversation,
};
use crate::tree::SourceTree;

/// GitHub's row of the registry.
pub const SPEC: DestinationSpec = DestinationSpec {
    id: "github",
    display: "GitHub",
    word: "repository",
    token_var: "GITHUB_TOKEN",
    token_help: "Create one on GitHub (Settings → Developer settings): a fine-grained token with Contents: Read and write on the repositories, plus Administration: Read and write to create new ones, Pull requests: Read and write to open pull requests, Checks and Commit statuses: Read-only to follow CI; or a classic token with the repo scope.",
    origins: &["https://api.github.com", "https://github.com"],
    names: Some(NameRule {
        label: "repository",
        check: |text| {
            names::parse_repository(text)
                .map(|_| ())
                .map_err(|_| "write it as owner/name, for example octocat/my-app (letters, digits, '-', '_' and '.')")
        },
        max_len: 140,
        suggest: false,
    }),
    kind: Kind::Forge(Forge {
        self_managed: false,
        push,
        preview,
        checks: Some(checks),
    }),
};

/// Starts a push of `tree` as one commit.
fn push(config: PushConfig, tree: SourceTree) -> Result<PushConversation, PushError> {
    forge::push_on(&forge::GITHUB, config, tree)
}

/// Starts a preview of that push.
fn preview(config: PushConfig, tree: SourceTree) -> Result<PreviewConversation, PushError> {
    forge::preview_on(&forge::GITHUB, config, tree)
}

/// Starts reading a commit's checks.
fn checks(config: ChecksConfig) -> Result<ChecksConversation, PushError> {
    ChecksWatch::new(config)
}

#[cfg(test)]
mod git_checks;
