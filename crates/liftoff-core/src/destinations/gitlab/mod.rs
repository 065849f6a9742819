//! GitLab (gitlab.com and self-managed, at any base URL): the REST side of a push, the git side
//! shared with every forge (`destinations::github::push`).
//!
//! Contract (docs.gitlab.com/api: users, projects, namespaces, merge_requests): everything
//! under `{base}/api/v4`, the token as `Authorization: Bearer <t>` (personal, group, project
//! and OAuth tokens alike); a project is addressed by its URL-encoded path (`acme%2Fweb%2Fapp`,
//! subgroups included); `POST /projects` with the group's `namespace_id` (from
//! `GET /namespaces/:path`), 400 `{"message": {"name": ["has already been taken"]}}` when the
//! name is taken; an empty project has no default branch; merge requests under
//! `/projects/:id/merge_requests` (409 when one is open for the source branch). git over
//! Basic auth as `oauth2:<token>`.

mod rest;

pub use rest::{GitLab, GITLAB};

use super::github::{self, forge, PushConfig, PushError};
use super::{DestinationSpec, Forge, Kind, NameRule, PreviewConversation, PushConversation};
use crate::tree::SourceTree;

/// gitlab.com, when `--api` names no self-managed instance.
pub const DEFAULT_API: &str = "https://gitlab.com";

/// GitLab's row of the registry.
pub const SPEC: DestinationSpec = DestinationSpec {
    id: "gitlab",
    display: "GitLab",
    word: "project",
    token_var: "GITLAB_TOKEN",
    token_help: "Create one on GitLab (Preferences → Access tokens): a personal access token with the api scope (write_repository alone cannot look up or create projects). Sent only to the GitLab instance you name.",
    origins: &[DEFAULT_API],
    names: Some(NameRule {
        label: "project path",
        check: |text| {
            github::names::parse_namespaced(text, true)
                .map(|_| ())
                .map_err(|_| "write it as group/name or group/subgroup/name, for example acme/web/my-app (letters, digits, '-', '_' and '.')")
        },
        max_len: 255,
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
    forge::push_on(&GITLAB, config, tree)
}

fn preview(config: PushConfig, tree: SourceTree) -> Result<PreviewConversation, PushError> {
    forge::preview_on(&GITLAB, config, tree)
}
