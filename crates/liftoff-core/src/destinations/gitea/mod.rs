//! Gitea and Forgejo (one module: Forgejo keeps Gitea's API): the REST side of a push, the
//! git side shared with every forge (`destinations::github::push`).
//!
//! Contract (Gitea's API reference, gitea.com/api/swagger, and docs.gitea.com): everything under
//! `{origin}/api/v1`, the token as `Authorization: token <t>`; `GET /user`,
//! `GET /repos/{owner}/{repo}`, `POST /user/repos` or `POST /orgs/{org}/repos` (409 when the
//! name is taken), pull requests under `/repos/{owner}/{repo}/pulls` (no `head` filter on the
//! list: the branch is found in it; 409 when one is already open for the branch; an edit answers
//! 201). git over Basic auth with the token as the password.

mod rest;

pub use rest::{Gitea, GITEA};

use super::github::{self, forge, PushConfig, PushError};
use super::{DestinationSpec, Forge, Kind, NameRule, PreviewConversation, PushConversation};
use crate::tree::SourceTree;

/// gitea.com, when `--api` names no other instance.
pub const DEFAULT_API: &str = "https://gitea.com";

/// Gitea's row of the registry.
pub const SPEC: DestinationSpec = DestinationSpec {
    id: "gitea",
    display: "Gitea",
    word: "repository",
    token_var: "GITEA_TOKEN",
    token_help: "Create one in Gitea or Forgejo (Settings → Applications → Access tokens) with the repository scope set to Read and write (and the organization scope to create repositories in an organization). Sent only to the instance you name.",
    origins: &[DEFAULT_API],
    names: Some(NameRule {
        label: "repository",
        check: |text| {
            github::names::parse_namespaced(text, false)
                .map(|_| ())
                .map_err(|_| "write it as owner/name, for example ada/my-app (letters, digits, '-', '_' and '.')")
        },
        max_len: 140,
        suggest: false,
    }),
    kind: Kind::Forge(Forge {
        self_managed: true,
        push,
        preview,
        checks: None,
    }),
};

fn push(config: PushConfig, tree: SourceTree) -> Result<PushConversation, PushError> {
    forge::push_on(&GITEA, config, tree)
}

fn preview(config: PushConfig, tree: SourceTree) -> Result<PreviewConversation, PushError> {
    forge::preview_on(&GITEA, config, tree)
}
