//! `liftoff deploy`, `liftoff deployments` and `liftoff rollback`: a hosting destination from the
//! registry (`--to`), its conversations over the blocking driver. Each destination's token comes
//! from its own environment variable only, and goes only to its API.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use liftoff_core::deploy::{DeployError, Deployment, HistoryEntry, Target};
use liftoff_core::destinations::{self, is_hosting, Kind, TargetError};
use liftoff_core::time::utc_minute;
use thiserror::Error;

use super::source::{builder_values, env_token, export_input, options, SourceError};
use crate::http;

/// `--to`'s values: every hosting destination.
fn hosting_values() -> PossibleValuesParser {
    PossibleValuesParser::new(destinations::ids(is_hosting))
}

/// `--to`'s help: each host with the variable its token is read from.
fn hosting_help() -> String {
    format!("The host: {}", destinations::ids_with_tokens(is_hosting))
}

/// `--team`'s help: the hosts that take a team id.
fn team_help() -> String {
    let hosts: Vec<&str> = destinations::ALL
        .iter()
        .filter(|d| matches!(&d.kind, Kind::Hosting(h) if h.teams))
        .map(|d| d.display)
        .collect();
    format!("The team id, for {} only", hosts.join(" and "))
}

/// Where a command talks to. Names are a contract: extend, never rename.
#[derive(clap::Args)]
pub struct TargetArgs {
    #[arg(long = "to", value_name = "HOST", value_parser = hosting_values(), help = hosting_help())]
    pub to: String,
    /// The project's (or site's) name on the host (created by `deploy` when absent).
    #[arg(long, value_name = "NAME")]
    pub project: String,
    #[arg(long, value_name = "ID", help = team_help())]
    pub team: Option<String>,
    /// The host's API origin (default: the host's own, e.g. https://api.vercel.com).
    #[arg(long, value_name = "ORIGIN")]
    pub api: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `liftoff deploy`.
#[derive(clap::Args)]
pub struct DeployArgs {
    /// What to deploy: anything `liftoff export` takes. The normalized tree is sent (without
    /// `.env`, whose values become the project's environment variables before the build).
    pub input: PathBuf,
    #[command(flatten)]
    pub target: TargetArgs,
    /// Deploy the capture as is, without normalization.
    #[arg(long)]
    pub raw: bool,
    /// Which builder made the project; `auto` detects it from the files.
    #[arg(long, default_value = "auto", value_parser = builder_values())]
    pub builder: String,
    /// The Bolt chat to deploy (its id or urlId); default the most recent.
    #[arg(long, value_name = "ID")]
    pub chat: Option<String>,
}

/// Arguments of `liftoff rollback`.
#[derive(clap::Args)]
pub struct RollbackArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// The deployment to put back in production (default: the production deployment before
    /// the current one).
    #[arg(long, value_name = "ID")]
    pub deployment: Option<String>,
}

/// Why a deploy command failed.
#[derive(Debug, Error)]
pub enum DeployCliError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Deploy(#[from] DeployError),
    #[error("{}", flag_sentence(.0))]
    Target(#[from] TargetError),
    #[error("set {0} to your {1} token. It is read from the environment only")]
    MissingToken(&'static str, &'static str),
    #[error("writing the result: {0}")]
    Stdout(#[from] io::Error),
}

/// The core's target for `--to/--project/--team/--api`, with the destination's token.
fn target(args: &TargetArgs) -> Result<(Target, &'static str), DeployCliError> {
    let spec = destinations::by_id(&args.to).expect("clap accepts registered hosts only");
    let token = env_token(spec.token_var)
        .ok_or(DeployCliError::MissingToken(spec.token_var, spec.display))?;
    let target = destinations::target(
        spec.id,
        args.project.clone(),
        token,
        args.team.clone(),
        args.api.clone(),
    )?;
    Ok((target, spec.id))
}

/// The core's sentence, naming the flag where one is to blame.
fn flag_sentence(error: &TargetError) -> String {
    match error {
        TargetError::NoTeams {
            display,
            word,
            teams,
        } => format!("--team is for {teams}; a {display} {word}'s account comes with the {word}"),
        other => other.to_string(),
    }
}

fn print_json(value: &impl serde::Serialize) -> io::Result<()> {
    let mut json = serde_json::to_vec_pretty(value).expect("results always serialize");
    json.push(b'\n');
    io::stdout().write_all(&json)
}

/// Runs `liftoff deploy`.
pub fn deploy(args: &DeployArgs) -> Result<(), DeployCliError> {
    let (target, host) = target(&args.target)?;
    let options = options(args.raw, &args.builder, args.chat.as_ref());
    let export = export_input(&args.input, &options, None)?;
    let conversation = target.deploy(&export.tree, &export.report.framework)?;
    let deployment = http::drive_with_bar("deploying", conversation)?;
    if args.target.json {
        print_json(&deployment)?;
    } else {
        let mut out = io::stdout().lock();
        writeln!(
            out,
            "deployed {} to {host} ({}): deployment {}",
            target.project, deployment.state, deployment.id
        )?;
        writeln!(out, "{}", deployment.url)?;
    }
    Ok(())
}

/// Runs `liftoff deployments`.
pub fn deployments(args: &TargetArgs) -> Result<(), DeployCliError> {
    let (target, _) = target(args)?;
    let entries: Vec<HistoryEntry> = http::drive_with_bar("listing", target.history()?)?;
    if args.json {
        return Ok(print_json(&entries)?);
    }
    let mut out = io::stdout().lock();
    if entries.is_empty() {
        writeln!(out, "{} has no production deployments yet", target.project)?;
    }
    for e in &entries {
        let mark = if e.production { "*" } else { " " };
        writeln!(
            out,
            "{mark} {:<32} {:<9} {:<20} {}",
            e.id,
            e.state,
            utc_minute((e.created / 1000) as i64),
            e.url
        )?;
    }
    Ok(())
}

/// Runs `liftoff rollback`.
pub fn rollback(args: &RollbackArgs) -> Result<(), DeployCliError> {
    let (target, _) = target(&args.target)?;
    let conversation = target.rollback(args.deployment.clone())?;
    let deployment: Deployment = http::drive_with_bar("rolling back", conversation)?;
    if args.target.json {
        return Ok(print_json(&deployment)?);
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "production of {} is now deployment {} ({})",
        target.project, deployment.id, deployment.state
    )?;
    writeln!(out, "{}", deployment.url)?;
    Ok(())
}
