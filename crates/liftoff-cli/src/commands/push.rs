//! `liftoff push`: the project through the core's pipeline, as `liftoff export` reads it, then
//! one commit on a forge (GitHub today) with the destination's push conversation over the
//! blocking driver.

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use liftoff_core::builders;
use liftoff_core::destinations::github::{
    default_message, PushConfig, PushError, PushResult, DEFAULT_API,
};
use liftoff_core::destinations::{self, DestinationSpec, Kind};
use thiserror::Error;

use super::source::{builder_values, env_token, export_input, options, SourceError};
use crate::http;

/// The forge `liftoff push` pushes to.
const FORGE: &str = "github";

/// Excluded files listed one by one before the rest is summed up.
const EXCLUDED_SHOWN: usize = 10;

/// Arguments of `liftoff push`. Names are a contract: extend, never rename.
#[derive(clap::Args)]
pub struct PushArgs {
    /// What to push: anything `liftoff export` takes. The token is read from GITHUB_TOKEN.
    pub input: PathBuf,
    /// The repository, as OWNER/NAME.
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: String,
    /// Create the repository when it does not exist (under your account, or the organization
    /// OWNER).
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
    /// GitHub's REST API origin.
    #[arg(long, value_name = "URL", default_value = DEFAULT_API)]
    pub api: String,
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
    #[error("writing the result: {0}")]
    Stdout(#[from] io::Error),
}

/// Runs `liftoff push`: pushed or up to date, or the error.
pub fn run(args: &PushArgs) -> Result<(), PushCliError> {
    let forge = destinations::by_id(FORGE).expect("GitHub is registered");
    let Kind::Forge(push) = &forge.kind else {
        unreachable!("GitHub is a forge")
    };
    let token = token(forge)?;
    let options = options(args.raw, &args.builder, args.chat.as_ref());
    let export = export_input(&args.input, &options, args.builder_api.as_deref())?;
    let now_s = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let message = match &args.message {
        Some(message) => message.clone(),
        None => default_message(builders::display_name(export.report.builder), now_s),
    };
    let mut config = PushConfig::new(&args.repo, token, message, now_s);
    config.api = args.api.clone();
    config.branch = args.branch.clone();
    config.create = args.create;
    config.private = args.private;

    // Every file of the tree is committed but those the push leaves out (and lists).
    let files = export.tree.len();
    let result = http::drive_with_bar("pushing", (push.push)(config, export.tree)?)?;
    if args.json {
        print_json(&result)?;
    } else {
        print_human(&result, files.saturating_sub(result.excluded.len()))?;
    }
    Ok(())
}

fn token(forge: &DestinationSpec) -> Result<String, PushCliError> {
    env_token(forge.token_var).ok_or(PushCliError::MissingToken(forge.token_var))
}

fn print_json(result: &PushResult) -> io::Result<()> {
    let mut json = serde_json::to_vec_pretty(result).expect("a push result always serializes");
    json.push(b'\n');
    io::stdout().write_all(&json)
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
            "pushed {files} files to {} ({}{notes}): commit {}",
            result.repository, result.branch, result.commit
        )?;
    }
    writeln!(out, "{}", result.url)
}
