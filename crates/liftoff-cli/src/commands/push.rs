//! `liftoff push`: the project through the core's pipeline, as `liftoff export` reads it, then
//! one commit on a forge (`--to`: GitHub, GitLab, Gitea/Forgejo, or any git remote) with the
//! destination's push conversation over the blocking driver; or, with `--dry-run`, what that
//! commit would change; with `--pr`, a pull (merge) request from the branch (not for a plain
//! remote); with `--wait`, the commit's CI verdict (GitHub's only).

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::builder::PossibleValuesParser;
use liftoff_core::builders;
use liftoff_core::destinations::github::{
    default_message, Author, ChangeAction, Checks, ChecksConfig, Preview, PullRequestSpec,
    PushConfig, PushError, PushResult, Verdict,
};
use liftoff_core::destinations::{self, is_forge, DestinationSpec, Forge, Kind};
use thiserror::Error;

use super::source::{builder_values, env_token, export_input, options, SourceError};
use crate::http;

/// The forge `liftoff push` pushes to unless `--to` says another.
const FORGE: &str = "github";
/// The forge without an API: any git remote by its URL.
const PLAIN: &str = "git";

/// `--to`'s values: the forges of the registry.
fn forge_values() -> PossibleValuesParser {
    PossibleValuesParser::new(destinations::ids(is_forge))
}

/// `--to`'s help: each forge with the variable its token is read from.
fn forge_help() -> String {
    format!(
        "Where to push: {}. With `gitlab`, --repo may name subgroups (GROUP/SUB/NAME); with \
         `git`, --repo is the remote's URL (https://[USER@]host/path.git; the user name from \
         the URL or GIT_USERNAME)",
        destinations::ids_with_tokens(is_forge)
    )
}

/// Excluded files listed one by one before the rest is summed up.
const EXCLUDED_SHOWN: usize = 10;

/// Arguments of `liftoff push`. Names are a contract: extend, never rename.
#[derive(clap::Args)]
pub struct PushArgs {
    /// What to push: anything `liftoff export` takes. The token is read from GITHUB_TOKEN
    /// (GITLAB_TOKEN, GITEA_TOKEN or GIT_TOKEN with --to gitlab, gitea or git).
    pub input: PathBuf,
    /// The repository, as OWNER/NAME (GitLab: GROUP[/SUB…]/NAME; with --to git: the remote's
    /// https URL).
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: String,
    #[arg(long = "to", value_name = "FORGE", default_value = FORGE, value_parser = forge_values(), help = forge_help())]
    pub to: String,
    /// Create the repository when it does not exist (under your account, or the organization
    /// or group OWNER).
    #[arg(long)]
    pub create: bool,
    /// Make the created repository private.
    #[arg(long, requires = "create")]
    pub private: bool,
    /// The branch to push to (default: the repository's default branch). A new branch starts
    /// from the default branch.
    #[arg(long, value_name = "B")]
    pub branch: Option<String>,
    /// The commit message (default: "Export from <builder> (Liftoff), <date and time UTC>").
    #[arg(short = 'm', long, value_name = "M")]
    pub message: Option<String>,
    /// The forge's origin, for a self-managed one (GitLab, Gitea, GitHub Enterprise): default
    /// https://api.github.com, https://gitlab.com or https://gitea.com. A GitLab at a relative
    /// URL root is named with its path (https://example.com/gitlab).
    #[arg(long, value_name = "URL")]
    pub api: Option<String>,
    /// Print the result as JSON: commit, url, branch, created, up_to_date, objects_sent,
    /// bytes_sent, requests (and repository, rebuilt, excluded).
    #[arg(long)]
    pub json: bool,
    /// Push the capture as is, without normalization.
    #[arg(long)]
    pub raw: bool,
    /// Which builder made the project; `auto` detects it from the files.
    #[arg(long, default_value = "auto", value_parser = builder_values())]
    pub builder: String,
    /// The Bolt chat to push (its id or urlId); default the most recent.
    #[arg(long, value_name = "ID")]
    pub chat: Option<String>,
    /// The builder API's origin for `lovable:` and `base44:` inputs (default: the builder's
    /// own). A `base44:` push also commits the app's rows as `supabase/seed.sql`.
    #[arg(long, value_name = "URL")]
    pub builder_api: Option<String>,
    /// Say what the push would change (added, changed, deleted, with lines) and write nothing.
    /// With --json: {changes: [{path, action, binary, lines_added, lines_removed, size}],
    /// excluded: [{path, reason}], up_to_date, new_repository}.
    #[arg(long, conflicts_with_all = ["pr", "wait"])]
    pub dry_run: bool,
    /// Open a pull request from --branch into the default branch (or update the one open).
    #[arg(long, requires = "branch")]
    pub pr: bool,
    /// Wait for the commit's checks (the CI workflow) and exit 1 when one fails.
    #[arg(long)]
    pub wait: bool,
}

/// Why a push failed.
#[derive(Debug, Error)]
pub enum PushCliError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Push(#[from] PushError),
    #[error(
        "set {0} to a GitHub token that may push to the repository (classic: the `repo` \
         scope; fine-grained: Contents read and write). It is read from the environment only"
    )]
    MissingToken(&'static str),
    #[error(
        "set {0} to the password or access token of the remote's account (one that may push to \
         the repository). It is read from the environment only"
    )]
    MissingGitToken(&'static str),
    #[error("set {var} to a {forge} token. {help} It is read from the environment only")]
    MissingForgeToken {
        var: &'static str,
        forge: &'static str,
        help: &'static str,
    },
    #[error("the checks of commit {commit} failed: {name}{}", url.as_deref().map(|u| format!(" ({u})")).unwrap_or_default())]
    ChecksFailed {
        commit: String,
        name: String,
        url: Option<String>,
    },
    #[error("the checks of commit {commit} were still running when Liftoff stopped waiting")]
    ChecksTimedOut { commit: String },
    #[error("writing the result: {0}")]
    Stdout(#[from] io::Error),
}

/// Runs `liftoff push`: pushed or up to date (or previewed), or the error.
pub fn run(args: &PushArgs) -> Result<(), PushCliError> {
    let spec = destinations::by_id(&args.to).expect("--to takes registered forges only");
    let Kind::Forge(forge) = &spec.kind else {
        unreachable!("--to takes forges only")
    };
    let plain = spec.id == PLAIN;
    refuse_unsupported_flags(args, spec);
    let token = token(spec)?;
    let options = options(args.raw, &args.builder, args.chat.as_ref());
    let export = export_input(&args.input, &options, args.builder_api.as_deref())?;
    let now_s = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let builder = builders::display_name(export.report.builder);
    let message = match &args.message {
        Some(message) => message.clone(),
        None => default_message(builder, now_s),
    };
    let api = args
        .api
        .clone()
        .unwrap_or_else(|| spec.default_api().unwrap_or_default().to_string());
    let mut config = PushConfig::new(&args.repo, token.clone(), message.clone(), now_s);
    config.api = api.clone();
    if plain {
        config.username = env_token("GIT_USERNAME");
        config.author = author_from_env();
    }
    config.branch = args.branch.clone();
    config.create = args.create;
    config.private = args.private;
    if args.pr {
        config.pull_request = Some(PullRequestSpec {
            title: message.lines().next().unwrap_or_default().to_string(),
            summary: export.report.summary_markdown(builder),
        });
    }
    if args.dry_run {
        let preview = http::drive_with_bar("comparing", (forge.preview)(config, export.tree)?)?;
        if args.json {
            print_json(&preview)?;
        } else {
            print_preview(&preview)?;
        }
        return Ok(());
    }

    // Every file of the tree is committed but those the push leaves out (and lists).
    let files = export.tree.len();
    let result = http::drive_with_bar("pushing", (forge.push)(config, export.tree)?)?;
    let checks = if args.wait {
        Some(wait_for_checks(forge, &api, &result, token)?)
    } else {
        None
    };
    if args.json {
        let mut value = serde_json::to_value(&result).expect("a push result serializes");
        if let Some(checks) = &checks {
            value["checks"] = serde_json::to_value(checks).expect("checks serialize");
        }
        print_json(&value)?;
    } else {
        print_human(&result, files.saturating_sub(result.excluded.len()))?;
        if let Some(checks) = &checks {
            print_checks(checks)?;
        }
    }
    match checks {
        Some(c) if c.state == Verdict::Failed => {
            let failing = c.failing.unwrap_or_else(|| c.checks[0].clone());
            Err(PushCliError::ChecksFailed {
                commit: result.commit.to_hex(),
                name: failing.name,
                url: failing.url,
            })
        }
        Some(c) if c.timed_out => Err(PushCliError::ChecksTimedOut {
            commit: result.commit.to_hex(),
        }),
        _ => Ok(()),
    }
}

/// Follows the pushed commit's checks until they are over.
fn wait_for_checks(
    forge: &Forge,
    api: &str,
    result: &PushResult,
    token: String,
) -> Result<Checks, PushCliError> {
    let mut config = ChecksConfig::new(&result.repository, result.commit.to_hex(), token);
    config.api = api.to_string();
    config.wait = true;
    let checks = forge.checks.ok_or(PushError::ChecksUnsupported)?;
    Ok(http::drive_with_bar("checks", checks(config)?)?)
}

fn token(forge: &DestinationSpec) -> Result<String, PushCliError> {
    env_token(forge.token_var).ok_or(match forge.id {
        FORGE => PushCliError::MissingToken(forge.token_var),
        PLAIN => PushCliError::MissingGitToken(forge.token_var),
        _ => PushCliError::MissingForgeToken {
            var: forge.token_var,
            forge: forge.display,
            help: forge.token_help,
        },
    })
}

fn follows_checks(spec: &DestinationSpec) -> bool {
    matches!(&spec.kind, Kind::Forge(forge) if forge.checks.is_some())
}

/// Flags the forge cannot honour: bad usage (exit 2), before anything runs. A plain remote has
/// no API at all; only GitHub's checks are followed.
fn refuse_unsupported_flags(args: &PushArgs, spec: &DestinationSpec) {
    let plain = spec.id == PLAIN;
    let used = [
        (args.create && plain, "--create"),
        (args.private && plain, "--private"),
        (args.pr && plain, "--pr"),
        (args.wait && !follows_checks(spec), "--wait"),
    ];
    if let Some((_, flag)) = used.iter().find(|(on, _)| *on) {
        let message = if plain {
            format!(
                "{flag} needs a forge's API, and --to {} has none (create the repository and open \
                 pull requests on the forge itself)",
                args.to
            )
        } else {
            format!(
                "{flag} follows GitHub's checks only; --to {} pushes without waiting (follow the \
                 pipeline on {} itself)",
                args.to, spec.display
            )
        };
        clap::Error::raw(
            clap::error::ErrorKind::ArgumentConflict,
            format!("{message}\n"),
        )
        .exit();
    }
}

/// The commit's author for a plain remote: GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL, as git reads
/// them; Liftoff's own identity when either is unset.
fn author_from_env() -> Option<Author> {
    Some(Author {
        name: env_token("GIT_AUTHOR_NAME")?,
        email: env_token("GIT_AUTHOR_EMAIL")?,
    })
}

fn print_json(value: &impl serde::Serialize) -> io::Result<()> {
    let mut json = serde_json::to_vec_pretty(value).expect("results always serialize");
    json.push(b'\n');
    io::stdout().write_all(&json)
}

/// What a push would change, a line a file.
fn print_preview(preview: &Preview) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if preview.up_to_date {
        return writeln!(
            out,
            "already up to date: {} ({}) holds exactly this export; a push would change nothing",
            preview.repository, preview.branch
        );
    }
    if preview.new_repository {
        writeln!(
            out,
            "{} does not exist yet: a push with --create would make it and add {} on {}:",
            preview.repository,
            file_count(preview.changes.len()),
            preview.branch
        )?;
    } else {
        writeln!(
            out,
            "a push to {} ({}) would change {}:",
            preview.repository,
            preview.branch,
            file_count(preview.changes.len())
        )?;
    }
    for change in &preview.changes {
        let action = match change.action {
            ChangeAction::Added => "added",
            ChangeAction::Changed => "changed",
            ChangeAction::Deleted => "deleted",
        };
        let detail = match (change.binary, change.lines_added, change.lines_removed) {
            (true, _, _) => match change.old_size {
                Some(old) => format!("binary, {old} → {} bytes", change.size),
                None => format!("binary, {} bytes", change.size),
            },
            (false, Some(added), Some(removed)) => format!("+{added} −{removed}"),
            _ => format!("{} bytes, not compared", change.size),
        };
        writeln!(out, "  {action:<8} {} ({detail})", change.path)?;
    }
    for excluded in preview.excluded.iter().take(EXCLUDED_SHOWN) {
        writeln!(out, "  left out {} ({})", excluded.path, excluded.reason)?;
    }
    if preview.excluded.len() > EXCLUDED_SHOWN {
        writeln!(
            out,
            "  … and {} more left out",
            preview.excluded.len() - EXCLUDED_SHOWN
        )?;
    }
    writeln!(out, "nothing was written (--dry-run)")
}

/// The CI verdict, a line, then the failing check's page.
fn print_checks(checks: &Checks) -> io::Result<()> {
    let mut out = io::stdout().lock();
    let word = match checks.state {
        Verdict::Queued => "queued",
        Verdict::Running => "running",
        Verdict::Passed => "passed",
        Verdict::Failed => "failed",
        Verdict::None => "none reported",
    };
    let count = liftoff_core::text::count(checks.checks.len() as u64, "check", "checks");
    writeln!(out, "checks: {word} ({count})")?;
    if let Some(failing) = &checks.failing {
        writeln!(
            out,
            "failing: {}{}",
            failing.name,
            failing
                .url
                .as_deref()
                .map(|u| format!(" {u}"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

fn print_human(result: &PushResult, files: usize) -> io::Result<()> {
    if !result.excluded.is_empty() {
        eprintln!("liftoff: left out of the commit:");
        for excluded in result.excluded.iter().take(EXCLUDED_SHOWN) {
            eprintln!("  {} ({})", excluded.path, excluded.reason);
        }
        if result.excluded.len() > EXCLUDED_SHOWN {
            eprintln!("  … and {} more", result.excluded.len() - EXCLUDED_SHOWN);
        }
    }
    let mut out = io::stdout().lock();
    if result.up_to_date {
        writeln!(
            out,
            "already up to date: {} ({}) is at {}",
            result.repository, result.branch, result.commit
        )?;
    } else {
        let mut notes = Vec::new();
        if result.created {
            notes.push("new repository".to_string());
        }
        if result.rebuilt {
            notes.push("rebuilt on a commit pushed meanwhile".to_string());
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!("; {}", notes.join("; "))
        };
        writeln!(
            out,
            "pushed {} to {} ({}{notes}): commit {}",
            file_count(files),
            result.repository,
            result.branch,
            result.commit
        )?;
    }
    writeln!(out, "{}", result.url)?;
    if let Some(pull) = &result.pull_request {
        let verb = if pull.created { "opened" } else { "updated" };
        writeln!(out, "pull request #{} {verb}: {}", pull.number, pull.url)?;
    }
    Ok(())
}

/// `1 file`, `3 files`.
fn file_count(n: usize) -> String {
    liftoff_core::text::count(n as u64, "file", "files")
}
