//! Any HTTPS git remote (`liftoff push --to git`): GitLab, Gitea, Forgejo, Bitbucket or a
//! server of the founder's own, through git's smart HTTP alone. The repository must exist; the
//! push learns the default branch and what the branch holds from the remote's upload-pack
//! (protocol v2, `destinations::github::fetch`) and sends one commit with what is missing, as
//! the GitHub push does ([`github::Discovery::GitOnly`]).

use super::github::{self, Discovery, GitHubPreview, GitHubPush, PushConfig, PushError};
use super::{DestinationSpec, Forge, Kind, NameRule, PreviewConversation, PushConversation};
use crate::net::Boxed;
use crate::tree::SourceTree;

/// A plain git remote's row of the registry. No origins: the remote is wherever its URL says,
/// so the extension (which may reach only the origins it declares) does not offer it.
pub const SPEC: DestinationSpec = DestinationSpec {
    id: "git",
    display: "Git",
    word: "repository",
    token_var: "GIT_TOKEN",
    token_help: "The password or access token of the remote's account (a GitLab or Gitea access token with write access to the repository, a Bitbucket app password, …): sent only to the remote's URL, as git's Basic-auth password, with the user name from the URL or GIT_USERNAME.",
    origins: &[],
    names: Some(NameRule {
        label: "remote URL",
        check: |text| {
            github::plain::parse_remote_url(text)
                .map(|_| ())
                .map_err(|_| "write it as https://host/path.git, without a password in it")
        },
        max_len: 2048,
        suggest: false,
    }),
    kind: Kind::Forge(Forge {
        self_managed: false,
        push,
        preview,
        checks: None,
    }),
};

fn push(mut config: PushConfig, tree: SourceTree) -> Result<PushConversation, PushError> {
    config.discovery = Discovery::GitOnly;
    Ok(Boxed::new(GitHubPush::new(config, tree)?))
}

fn preview(mut config: PushConfig, tree: SourceTree) -> Result<PreviewConversation, PushError> {
    config.discovery = Discovery::GitOnly;
    Ok(Boxed::new(GitHubPreview::new(config, tree)?))
}
