//! `liftoff deploy`, `liftoff deployments` and `liftoff rollback`: the core's Vercel and
//! Netlify conversations over the blocking driver. Tokens come from `VERCEL_TOKEN` and
//! `NETLIFY_AUTH_TOKEN` only, and go only to the provider's API origin.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use liftoff_core::capture::Options;
use liftoff_core::deploy::{DeployError, Deployment, HistoryEntry, Provider, Target};
use liftoff_core::normalize::prepare;

use thiserror::Error;

use crate::export::{read_input, ExportError};
use crate::http;
use crate::progress::bar;
use crate::BuilderArg;

/// `--to` values.
#[derive(Clone, Copy, ValueEnum)]
pub enum ProviderArg {
    Vercel,
    Netlify,
}

impl ProviderArg {
    fn to_core(self) -> Provider {
        match self {
            Self::Vercel => Provider::Vercel,
            Self::Netlify => Provider::Netlify,
        }
    }
}

/// Where a command talks to. Names are a contract: extend, never rename.
#[derive(clap::Args)]
pub struct TargetArgs {
    /// The host: `vercel` (token in VERCEL_TOKEN) or `netlify` (token in NETLIFY_AUTH_TOKEN).
    #[arg(long = "to", value_enum, value_name = "vercel|netlify")]
    pub to: ProviderArg,
    /// The Vercel project or Netlify site name (created by `deploy` when absent).
    #[arg(long, value_name = "NAME")]
    pub project: String,
    /// Vercel only: the team id, added as `teamId` to every call.
    #[arg(long, value_name = "ID")]
    pub team: Option<String>,
    /// The API origin (default https://api.vercel.com or https://api.netlify.com; Netlify's
    /// `/api/v1` is added).
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
    #[arg(long, value_enum, default_value_t = BuilderArg::Auto)]
    pub builder: BuilderArg,
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
    Input(#[from] ExportError),
    #[error(transparent)]
    Deploy(#[from] DeployError),
    #[error("set {0} to your {1} token. It is read from the environment only")]
    MissingToken(&'static str, &'static str),
    #[error("--team is for Vercel; a Netlify site's account comes with the site")]
    TeamOnNetlify,
    #[error("writing the result: {0}")]
    Stdout(#[from] io::Error),
}

/// Exit codes: 0 done, 1 failed (clap answers bad usage with 2 before this runs).
fn exit(result: Result<(), DeployCliError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("liftoff: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn target(args: &TargetArgs) -> Result<Target, DeployCliError> {
    let provider = args.to.to_core();
    let (var, name) = match provider {
        Provider::Vercel => ("VERCEL_TOKEN", "Vercel"),
        Provider::Netlify => ("NETLIFY_AUTH_TOKEN", "Netlify"),
    };
    if provider == Provider::Netlify && args.team.is_some() {
        return Err(DeployCliError::TeamOnNetlify);
    }
    let token = std::env::var(var)
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or(DeployCliError::MissingToken(var, name))?;
    Ok(Target {
        provider,
        project: args.project.clone(),
        token,
        team: args.team.clone(),
        api: args.api.clone(),
    })
}

fn print_json(value: &impl serde::Serialize) -> io::Result<()> {
    let mut json = serde_json::to_vec_pretty(value).expect("results always serialize");
    json.push(b'\n');
    io::stdout().write_all(&json)
}

fn drive<C: liftoff_core::net::Conversation>(phase: &'static str, conversation: C) -> C::Output {
    let pb = bar(phase, 1);
    let output = http::drive(conversation, |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    });
    pb.finish_and_clear();
    output
}

/// Runs `liftoff deploy`.
pub fn deploy(args: &DeployArgs) -> ExitCode {
    exit(run_deploy(args))
}

fn run_deploy(args: &DeployArgs) -> Result<(), DeployCliError> {
    let target = target(&args.target)?;
    let options = Options {
        builder: args.builder.to_core(),
        chat: args.chat.clone(),
        ..Options::default()
    };
    let mut captured = read_input(&args.input, options, None)?;
    prepare(&mut captured, args.raw);
    let conversation = target.deploy(&captured.tree, &captured.report.framework)?;
    let deployment = drive("deploying", conversation)?;
    if args.target.json {
        print_json(&deployment)?;
    } else {
        let mut out = io::stdout().lock();
        writeln!(
            out,
            "deployed {} to {} ({}): deployment {}",
            target.project,
            target.provider.as_str(),
            deployment.state,
            deployment.id
        )?;
        writeln!(out, "{}", deployment.url)?;
    }
    Ok(())
}

/// Runs `liftoff deployments`.
pub fn deployments(args: &TargetArgs) -> ExitCode {
    exit(run_deployments(args))
}

fn run_deployments(args: &TargetArgs) -> Result<(), DeployCliError> {
    let target = target(args)?;
    let entries: Vec<HistoryEntry> = drive("listing", target.history()?)?;
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
            format_time(e.created),
            e.url
        )?;
    }
    Ok(())
}

/// Runs `liftoff rollback`.
pub fn rollback(args: &RollbackArgs) -> ExitCode {
    exit(run_rollback(args))
}

fn run_rollback(args: &RollbackArgs) -> Result<(), DeployCliError> {
    let target = target(&args.target)?;
    let deployment: Deployment = drive("rolling back", target.rollback(args.deployment.clone())?)?;
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

/// `YYYY-MM-DD HH:MM UTC` for epoch milliseconds (civil_from_days, Howard Hinnant's
/// algorithm: one conversion is not worth a date crate).
fn format_time(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let (h, m) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02} UTC")
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_read_as_utc() {
        assert_eq!(super::format_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(
            super::format_time(1_795_500_600_123),
            "2026-11-24 06:10 UTC"
        );
        assert_eq!(super::format_time(951_868_799_000), "2000-02-29 23:59 UTC");
    }
}
