//! What can go wrong in a push, each written so the person reading it knows what to do.
//! No variant ever carries a token.

use thiserror::Error;

use crate::error::{Coded, Details};
use crate::net::RemoteError;

use super::advertisement::ProtocolError;

/// Why a push did not happen. When one is returned, the remote branch is as it was before
/// the push, except for [`PushError::Unconfirmed`], which says so.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PushError {
    #[error("'{}' is not a repository name: use OWNER/NAME (letters, digits, '-', '_' and '.')", crate::text::excerpt(.0))]
    BadRepository(String),
    #[error("'{}' is not a valid branch name", crate::text::excerpt(.0))]
    BadBranch(String),
    #[error(
        "{service} refused the token (401): it is wrong, expired or revoked; create a new token and \
         set it again"
    )]
    BadToken {
        /// Who refused it: `GitHub`, or `the git server` of a plain remote.
        service: &'static str,
    },
    #[error(
        "{repo} was not found, or the token cannot see it (404): check the name, give the token \
         access to that repository, or ask for the repository to be created"
    )]
    RepositoryNotFound { repo: String },
    #[error("the token may not {action} {repo} ({status}): {}", write_advice(.service))]
    Permission {
        /// The forge: its tokens' permissions have their own names.
        service: &'static str,
        repo: String,
        action: &'static str,
        status: u16,
    },
    #[error("the token may not create repositories under {owner} ({status}): {}", create_advice(.service))]
    CannotCreate {
        service: &'static str,
        owner: String,
        status: u16,
    },
    #[error(
        "{repo} cannot be created ({status}: {message}): the name is taken on that account; choose \
         another name, or push to the existing repository (the token may not be allowed to see \
         it)",
        message = crate::text::quote_message(.message)
    )]
    NameTaken {
        service: &'static str,
        repo: String,
        status: u16,
        message: String,
    },
    #[error("GitHub's rate limit is used up{}", when_to_retry(.reset, .wait_s))]
    RateLimited {
        /// When the limit resets (`YYYY-MM-DD HH:MM UTC`), if GitHub said.
        reset: Option<String>,
        /// How long GitHub asked to wait, if it said (secondary limits).
        wait_s: Option<u64>,
    },
    #[error(
        "{service} gave {url} as the repository's clone URL, and the token is not sent there: it \
         goes only to the git host of the API it belongs to, over https when the API is https, \
         never with credentials in the address"
    )]
    UnsafeCloneUrl { service: &'static str, url: String },
    #[error(
        "{repo} is empty: a {} goes into its default branch {base}, which does not exist yet; \
         push to {base} first (without a {0}){}",
        pull_word(.service),
        if *.created { ". The repository was created; nothing was pushed" } else { "; nothing was pushed" }
    )]
    PullRequestIntoEmpty {
        service: &'static str,
        repo: String,
        base: String,
        /// The repository was created by this push (it stays, empty).
        created: bool,
    },
    #[error(
        "{service} has no API at {api} (404 for the token's user): check the address (--api), \
         with its path for an instance at a relative URL (https://example.com/gitlab)"
    )]
    NoApi { service: &'static str, api: String },
    #[error(
        "{branch} of {repo} kept moving while pushing (someone else is pushing to it): this \
         push changed nothing; push again"
    )]
    BranchKeptMoving { repo: String, branch: String },
    #[error("{service} refused to update {branch} of {repo}: {r}; the branch is unchanged", r = crate::text::quote_message(.reason))]
    Rejected {
        service: &'static str,
        repo: String,
        branch: String,
        reason: String,
    },
    #[error(
        "{service} could not store the objects sent to {repo} ({r}); the branch is unchanged",
        r = crate::text::quote_message(.reason)
    )]
    Unpack {
        service: &'static str,
        repo: String,
        reason: String,
    },
    #[error(
        "the connection to {service} failed after the commit for {branch} of {repo} was sent \
         ({detail}), and whether it arrived could not be checked: look at the repository, or \
         push again (if the first push arrived, the second changes nothing)",
        detail = crate::text::quote_message(.detail)
    )]
    Unconfirmed {
        service: &'static str,
        repo: String,
        branch: String,
        detail: String,
    },
    #[error(
        "a pull request needs a branch of its own: name one with --branch (not the default branch)"
    )]
    PullRequestNeedsBranch,
    #[error(
        "{branch} is the repository's default branch: a pull request goes from another branch into \
         it; name one with --branch"
    )]
    PullRequestFromDefault { branch: String },
    #[error(
        "pushed to {branch} of {repo} (commit {commit}), but {service} did not open or update the \
         {}: {m}",
        pull_word(.service),
        m = crate::text::quote_message(.message)
    )]
    PullRequest {
        service: &'static str,
        repo: String,
        branch: String,
        commit: String,
        message: String,
    },
    #[error(
        "'{}' is not a git remote Liftoff pushes to: write it as https://host/path.git (plain \
         http only on this machine: localhost, 127.0.0.1, [::1]), without a password in it",
        crate::text::excerpt(.0)
    )]
    BadRemoteUrl(String),
    #[error(
        "{what} needs a forge's API, and a plain git remote has none: create the repository on \
         the forge first, and open pull requests there"
    )]
    NeedsForgeApi { what: &'static str },
    #[error(
        "the git server of {repo} does not say which branch is its default: name one with --branch"
    )]
    NoDefaultBranch { repo: String },
    #[error(
        "the git server refused {repo} to these credentials (403): check the user name (in the URL \
         or GIT_USERNAME) and that the token may push there"
    )]
    GitForbidden { repo: String },
    #[error("following a commit's checks (--wait) is for GitHub only")]
    ChecksUnsupported,
    #[error("the git server of {repo} answered in a way Liftoff cannot read: {source}")]
    Protocol {
        repo: String,
        #[source]
        source: ProtocolError,
    },
    #[error(transparent)]
    Remote(#[from] RemoteError),
}

impl Coded for PushError {
    /// The same codes as the other conversations where they overlap.
    fn code(&self) -> &'static str {
        match self {
            Self::BadRepository(_) => "bad-repository",
            Self::BadBranch(_) => "bad-branch",
            Self::BadToken { .. } => "bad-token",
            Self::RepositoryNotFound { .. } => "not-found",
            Self::Permission { .. } => "forbidden",
            Self::CannotCreate { .. } => "cannot-create",
            Self::NameTaken { .. } => "name-taken",
            Self::RateLimited { .. } => "rate-limited",
            Self::UnsafeCloneUrl { .. } => "unsafe-clone-url",
            Self::PullRequestIntoEmpty { .. } => "pr-needs-branch",
            Self::NoApi { .. } => "not-found",
            Self::BranchKeptMoving { .. } => "branch-moved",
            Self::Rejected { .. } => "rejected",
            Self::Unpack { .. } => "unpack-failed",
            Self::Unconfirmed { .. } => "unconfirmed",
            Self::Protocol { .. } => "malformed",
            Self::BadRemoteUrl(_) => "bad-repository",
            Self::NeedsForgeApi { .. } => "needs-forge-api",
            Self::NoDefaultBranch { .. } => "bad-branch",
            Self::GitForbidden { .. } => "forbidden",
            Self::ChecksUnsupported => "checks-unsupported",
            Self::PullRequestNeedsBranch | Self::PullRequestFromDefault { .. } => "pr-needs-branch",
            Self::PullRequest { .. } => "pull-request-failed",
            Self::Remote(remote) => remote.code(),
        }
    }

    fn details(&self) -> Details {
        match self {
            Self::Permission { status, .. } | Self::CannotCreate { status, .. } => {
                Details::status(Some(*status))
            }
            Self::BadToken { .. } => Details::status(Some(401)),
            Self::GitForbidden { .. } => Details::status(Some(403)),
            Self::RepositoryNotFound { .. } => Details::status(Some(404)),
            Self::NameTaken { status, .. } => Details::status(Some(*status)),
            Self::RateLimited { reset, wait_s } => Details {
                reset: reset.clone(),
                wait_s: *wait_s,
                ..Details::default()
            },
            Self::Remote(remote) => remote.details(),
            _ => Details::default(),
        }
    }
}

/// What a token needs to push, in the forge's own words.
fn write_advice(service: &str) -> &'static str {
    match service {
        "GitLab" => {
            "the token needs the api scope and at least the Developer role in the project (a \
             protected branch may need Maintainer)"
        }
        "Gitea" => {
            "the token needs the repository scope set to Read and write, and its account write \
             access to the repository"
        }
        "GitHub" => {
            "a classic token needs the `repo` scope (`public_repo` for a public repository); a \
             fine-grained token needs this repository with the Contents permission set to read \
             and write"
        }
        _ => "check that the account may push there",
    }
}

/// What a token needs to create a repository, in the forge's own words.
fn create_advice(service: &str) -> &'static str {
    match service {
        "GitLab" => {
            "the token needs the api scope, and its account a role that may create projects in \
             that group (Developer or Maintainer, as the group allows), or the namespace does \
             not exist"
        }
        "Gitea" => {
            "the token needs the repository scope set to Read and write (and the organization \
             scope for an organization), and its account may need to be an owner of that \
             organization, or the organization does not exist"
        }
        _ => {
            "a classic token needs the `repo` scope (and, for an organization, a member role \
             that may create repositories); a fine-grained token needs the Administration \
             permission set to read and write"
        }
    }
}

/// What the forge calls a pull request.
fn pull_word(service: &str) -> &'static str {
    if service == "GitLab" {
        "merge request"
    } else {
        "pull request"
    }
}

fn when_to_retry(reset: &Option<String>, wait_s: &Option<u64>) -> String {
    match (reset, wait_s) {
        (Some(when), _) => format!(" until {when}: push again after that"),
        (None, Some(seconds)) if *seconds > 0 => {
            let wait = crate::text::count(*seconds, "second", "seconds");
            format!(": wait {wait}, then push again")
        }
        _ => ": wait a few minutes, then push again".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable() {
        assert_eq!(
            PushError::BadToken { service: "GitHub" }.code(),
            "bad-token"
        );
        let taken = PushError::NameTaken {
            service: "GitHub",
            status: 422,
            repo: "o/a".into(),
            message: "m".into(),
        };
        assert_eq!(taken.code(), "name-taken");
        let remote = PushError::Remote(RemoteError::Unreachable {
            service: "GitHub",
            what: "x".into(),
            detail: "reset".into(),
        });
        assert_eq!(remote.code(), "unreachable");
    }

    #[test]
    fn the_wait_is_said_for_one_second_and_for_many() {
        let limited = |wait_s| PushError::RateLimited {
            reset: None,
            wait_s: Some(wait_s),
        };
        assert_eq!(
            limited(1).to_string(),
            "GitHub's rate limit is used up: wait 1 second, then push again"
        );
        assert!(limited(60).to_string().contains(": wait 60 seconds, then"));
    }
}
