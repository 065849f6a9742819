//! Where an export goes, one folder each, registered in [`ALL`]: a forge (GitHub, any git remote), a hosting
//! provider (Vercel, Netlify), a database (Supabase, PostgreSQL). A destination's folder owns
//! everything about it: its names and the rule for the names a person types, its token's
//! environment variable, the origins its token may go to, and the conversations that talk to it.
//! Front ends pick a destination by id from this registry and drive what [`Kind`] hands them;
//! none of them names a provider in code.

pub mod aws;
pub mod git;
pub mod gitea;
pub mod github;
pub mod gitlab;
pub mod netlify;
pub mod postgres;
pub mod ssh;
pub mod supabase;
pub mod vercel;

use thiserror::Error;

use crate::deploy::{Hosting, Target};
use crate::detect::slug;
use crate::error::Coded;
use crate::net::Boxed;
use crate::sql::{MigrationError, MigrationFailure, MigrationSummary, SqlFile};
use crate::tree::SourceTree;

/// Everything front ends need to know about one destination.
pub struct DestinationSpec {
    /// Its id: `--to`, the popup's messages, History's `target`.
    pub id: &'static str,
    /// Its name as people write it (`Vercel`).
    pub display: &'static str,
    /// What it calls the thing a person names: `repository`, `project`, `site`.
    pub word: &'static str,
    /// The environment variable the CLI reads its token from (never a flag).
    pub token_var: &'static str,
    /// Where a person makes a token, and what it needs (the options page shows it).
    pub token_help: &'static str,
    /// The only origins its token goes to (the extension's host permissions name these);
    /// empty for a destination at an address the person gives (a PostgreSQL URL).
    pub origins: &'static [&'static str],
    /// The rule for the name a person types, when it has one.
    pub names: Option<NameRule>,
    pub kind: Kind,
}

impl DestinationSpec {
    /// The origin its requests go to when none is named: its first (`https://api.github.com`,
    /// `https://gitlab.com`); `None` for one at an address the person gives.
    pub fn default_api(&self) -> Option<&'static str> {
        self.origins.first().copied()
    }
}

/// What a destination does, and the entry points for it.
pub enum Kind {
    /// Takes the export as one commit.
    Forge(Forge),
    /// Builds and serves the export, with history and rollback.
    Hosting(Hosting),
    /// Takes the export's SQL.
    Database(Database),
    /// Serves the files of a build, which the CLI makes and sends itself (AWS's S3): no
    /// entry points here, the CLI drives the destination's conversations directly.
    Files,
}

/// A forge's entry points: one commit of a tree, what it would change, and the CI verdict of a
/// commit (the request and result shapes are GitHub's today).
pub struct Forge {
    /// Whether a person may name their own instance of it (`--api`, a host added in the
    /// extension's options): GitLab and Gitea run self-managed.
    pub self_managed: bool,
    /// Starts the push.
    pub push: fn(github::PushConfig, SourceTree) -> Result<PushConversation, github::PushError>,
    /// Starts a preview: what the push would change, nothing written.
    pub preview:
        fn(github::PushConfig, SourceTree) -> Result<PreviewConversation, github::PushError>,
    /// Starts reading (or following) a commit's checks, for a forge whose checks Liftoff
    /// follows.
    pub checks: Option<fn(github::ChecksConfig) -> Result<ChecksConversation, github::PushError>>,
}

/// A push to any forge, driven as one type.
pub type PushConversation = Boxed<Result<github::PushResult, github::PushError>>;
/// A preview of a push to any forge.
pub type PreviewConversation = Boxed<Result<github::Preview, github::PushError>>;
/// A commit's checks, followed: a conversation that also tells the verdict so far (`latest`).
/// GitHub's type today; a second forge makes this an enum of the forges' watches.
pub type ChecksConversation = github::ChecksWatch;

/// A database's entry point, when it is reached over HTTP (PostgreSQL is reached over its own
/// protocol by the CLI, which drives [`crate::sql::Migrator`] itself).
pub struct Database {
    pub apply: Option<ApplyStart>,
}

/// Starts applying files to a database target.
pub type ApplyStart = fn(DatabaseTarget, &[SqlFile]) -> Result<ApplyConversation, MigrationError>;

/// Which database project, and how to reach it: what the CLI's flags and the popup's form build.
#[derive(Clone)]
pub struct DatabaseTarget {
    /// The project (a Supabase project ref).
    pub project: String,
    /// The token; sent only to the destination's origins (or `api`).
    pub token: String,
    /// Origin override (tests).
    pub api: Option<String>,
}

/// Applying SQL files to any database over HTTP, driven as one type.
pub type ApplyConversation = Boxed<Result<MigrationSummary, MigrationFailure>>;

/// What a person may type as a destination's name.
pub struct NameRule {
    /// What the name is called (`project name`, `site name`, `repository`, `project ref`).
    pub label: &'static str,
    /// `Err(why)` for a name the destination refuses (`why` is a clause: "use lower-case
    /// letters, digits and '-'").
    pub check: fn(&str) -> Result<(), &'static str>,
    /// The longest name a suggestion may be.
    pub max_len: usize,
    /// Whether a suggestion can be made from a project's name (refs and URLs cannot).
    pub suggest: bool,
}

/// Every destination.
pub const ALL: &[&DestinationSpec] = &[
    &github::SPEC,
    &vercel::SPEC,
    &netlify::SPEC,
    &supabase::SPEC,
    &postgres::SPEC,
    &aws::SPEC,
    &ssh::SPEC,
    &gitlab::SPEC,
    &gitea::SPEC,
    &git::SPEC,
];

/// The destination with id `id`.
pub fn by_id(id: &str) -> Option<&'static DestinationSpec> {
    ALL.iter().copied().find(|d| d.id == id)
}

/// The ids of the destinations of one kind (`--to` values), in registry order.
pub fn ids(of: fn(&Kind) -> bool) -> Vec<&'static str> {
    ALL.iter().filter(|d| of(&d.kind)).map(|d| d.id).collect()
}

/// The destinations of one kind with where their tokens are read: "`vercel` (token in
/// VERCEL_TOKEN), `netlify` (…)", for the CLI's `--to` help.
pub fn ids_with_tokens(of: fn(&Kind) -> bool) -> String {
    ALL.iter()
        .filter(|d| of(&d.kind))
        .map(|d| format!("`{}` (token in {})", d.id, d.token_var))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `kind` is a forge: the `push` destinations.
pub fn is_forge(kind: &Kind) -> bool {
    matches!(kind, Kind::Forge(_))
}

/// Whether `kind` is hosting: the `deploy`, `deployments` and `rollback` destinations.
pub fn is_hosting(kind: &Kind) -> bool {
    matches!(kind, Kind::Hosting(_))
}

/// Whether `kind` serves built files: `deploy` destinations that need a build first.
pub fn is_files(kind: &Kind) -> bool {
    matches!(kind, Kind::Files)
}

/// Why a destination could not be used as asked (before anything is sent).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TargetError {
    #[error("'{}' is not a destination Liftoff knows", crate::text::excerpt(.0))]
    Unknown(String),
    #[error("{display} does not {what}")]
    WrongKind {
        display: &'static str,
        what: &'static str,
    },
    #[error("a team id is for {teams}; a {display} {word}'s account comes with the {word}")]
    NoTeams {
        display: &'static str,
        word: &'static str,
        teams: String,
    },
}

impl Coded for TargetError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unknown(_) | Self::WrongKind { .. } => "unknown-destination",
            Self::NoTeams { .. } => "no-teams",
        }
    }
}

/// The hosting target `id` (`vercel`, `netlify`) for a project, with the person's token; a team
/// id only where the destination takes one.
pub fn target(
    id: &str,
    project: impl Into<String>,
    token: impl Into<String>,
    team: Option<String>,
    api: Option<String>,
) -> Result<Target, TargetError> {
    let spec = by_id(id).ok_or_else(|| TargetError::Unknown(id.chars().take(40).collect()))?;
    let Kind::Hosting(hosting) = &spec.kind else {
        return Err(TargetError::WrongKind {
            display: spec.display,
            what: "host deployments",
        });
    };
    if team.is_some() && !hosting.teams {
        let teams: Vec<&str> = ALL
            .iter()
            .filter(|d| matches!(&d.kind, Kind::Hosting(h) if h.teams))
            .map(|d| d.display)
            .collect();
        return Err(TargetError::NoTeams {
            display: spec.display,
            word: spec.word,
            teams: teams.join(" and "),
        });
    }
    Ok(Target {
        hosting,
        project: project.into(),
        token: token.into(),
        team,
        api,
    })
}

impl DestinationSpec {
    /// Why `name` cannot be this destination's name, as a sentence; `None` when it can (or the
    /// destination has no rule).
    pub fn name_problem(&self, name: &str) -> Option<String> {
        let rule = self.names.as_ref()?;
        (rule.check)(name).err().map(|why| {
            let shown: String = name.chars().take(60).collect();
            format!(
                "“{shown}” cannot be a {} {}: {why}.",
                self.display, rule.label
            )
        })
    }

    /// A name this destination accepts, made from a project's name (`My Portfolio (v2)!` →
    /// `my-portfolio-v2`); `my-app` when nothing is left. `None` for destinations whose names
    /// are not made up by the person (a Supabase ref).
    pub fn suggest_name(&self, text: &str) -> Option<String> {
        let rule = self.names.as_ref().filter(|r| r.suggest)?;
        let mut name = slug(text);
        name.truncate(rule.max_len);
        let name = name.trim_matches('-').to_string();
        Some(if name.is_empty() || (rule.check)(&name).is_err() {
            "my-app".to_string()
        } else {
            name
        })
    }
}

#[cfg(test)]
mod tests;
