//! `liftoff deploy`, `liftoff deployments` and `liftoff rollback`: a hosting destination from the
//! registry (`--to`), its conversations over the blocking driver. Each destination's token comes
//! from its own environment variable only, and goes only to its API. A destination that serves
//! built files (`--to aws`) gets the project built here first (`build.rs`), or `--prebuilt`.

use std::io::{self, Write};
use std::path::PathBuf;

use liftoff_core::deploy::{DeployError, Deployment, HistoryEntry, Promoted, Stage, Target};
use liftoff_core::destinations::aws::{AwsHistory, AwsRelease, AwsRollback, Website};
use liftoff_core::destinations::ssh::{self, SshTarget};
use liftoff_core::destinations::{self, is_files, is_hosting, Kind, TargetError};
use liftoff_core::net::RetryPolicy;
use liftoff_core::time::utc_minute;
use thiserror::Error;

use super::aws::{self, AwsFlags, AwsSetupError};
use super::build::{self, BuildError};
use super::source::{builder_values, env_token, export_input, options, SourceError};
use super::ssh::{self as over_ssh, Reach, SshError};
use crate::http;

/// Whether `kind` takes `deploy`: a host that builds, or one that serves built files.
fn deployable(kind: &Kind) -> bool {
    is_hosting(kind) || is_files(kind)
}

/// `--to`'s values: every hosting destination, those that serve built files by id, and a
/// server's `ssh://` address.
fn hosting_values(text: &str) -> Result<String, String> {
    if text.starts_with("ssh://") {
        return SshTarget::parse(text)
            .map(|_| text.to_string())
            .map_err(|e| e.to_string());
    }
    let ids: Vec<&str> = destinations::ids(deployable)
        .into_iter()
        .filter(|id| *id != ssh::SPEC.id)
        .collect();
    if ids.contains(&text) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "possible values: {}, ssh://user@host[:port]/path",
            ids.join(", ")
        ))
    }
}

/// `--to`'s help: each host with the variable its token is read from.
fn hosting_help() -> String {
    format!(
        "The host: {}; or a server of your own, ssh://user@host[:port]/path (the system's ssh \
         and its agent). With `aws` (name the --bucket) and `ssh://`, the project is built here \
         first (npm ci or npm install, npm run build), or --prebuilt",
        destinations::ALL
            .iter()
            .filter(|d| deployable(&d.kind) && d.id != ssh::SPEC.id)
            .map(|d| format!("`{}` (token in {})", d.id, d.token_var))
            .collect::<Vec<_>>()
            .join(", ")
    )
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
    #[arg(long = "to", value_name = "HOST", value_parser = hosting_values, help = hosting_help())]
    pub to: String,
    /// The project's (or site's) name on the host (created by `deploy` when absent). Not with
    /// `--to aws`.
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    #[arg(long, value_name = "ID", help = team_help())]
    pub team: Option<String>,
    /// The host's API origin (default: the host's own, e.g. https://api.vercel.com).
    #[arg(long, value_name = "ORIGIN")]
    pub api: Option<String>,
    /// `--to aws`: the S3 bucket.
    #[arg(long, value_name = "B")]
    pub bucket: Option<String>,
    /// `--to aws`: the bucket's region (default AWS_REGION, AWS_DEFAULT_REGION or the profile's).
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// `--to aws`: a CloudFront distribution to invalidate after the switch.
    #[arg(long, value_name = "ID")]
    pub distribution: Option<String>,
    /// `--to aws`: where in the bucket the app lives (default its root).
    #[arg(long, value_name = "P")]
    pub prefix: Option<String>,
    /// `--to ssh://…`: the private key ssh uses (default: the agent's and ssh's own).
    #[arg(long, value_name = "FILE")]
    pub identity: Option<PathBuf>,
    /// `--to aws` and `--to ssh://…`: old releases kept besides the live one (older ones are
    /// removed).
    #[arg(long, value_name = "N", default_value_t = ssh::DEFAULT_KEEP)]
    pub keep: usize,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `liftoff deploy`.
#[derive(clap::Args)]
pub struct DeployArgs {
    /// What to deploy: anything `liftoff export` takes. The normalized tree is sent (without
    /// `.env`, whose values become the project's environment variables before the build).
    #[arg(required_unless_present = "prebuilt")]
    pub input: Option<PathBuf>,
    /// `--to aws`: deploy this folder, built elsewhere, as it is (no export, no build).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["raw", "chat"])]
    pub prebuilt: Option<PathBuf>,
    /// Deploy without touching production: the preview's own address is printed (`--json`
    /// adds `"production": false`); `liftoff promote` makes it live without a rebuild. Vercel:
    /// a staged production deployment (production's settings and variables, its own URL);
    /// Netlify: a branch deploy; AWS and ssh://: a release stored but not made current.
    #[arg(long)]
    pub preview: bool,
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

/// Arguments of `liftoff promote`.
#[derive(clap::Args)]
pub struct PromoteArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// The deployment (a preview, or an earlier one) to make production, without a rebuild.
    #[arg(long, value_name = "ID")]
    pub deployment: String,
}

/// Runs `liftoff promote`: production switches to the deployment without a rebuild (on AWS
/// and a server, the same switch as a rollback); promoting the live one changes nothing and
/// says so.
pub fn promote(args: &PromoteArgs) -> Result<(), DeployCliError> {
    if serves_files(&args.target) {
        return switch_files(&args.target, Some(args.deployment.clone()), "promoting");
    }
    let (target, _) = target(&args.target)?;
    let conversation = target.promote(args.deployment.clone())?;
    let promoted = http::drive_with_bar("promoting", conversation)?;
    print_promoted(args.target.json, &promoted, &target.project)
}

/// A promotion's result: `{id, url, state, changed}`, or a sentence and the address.
fn print_promoted(json: bool, promoted: &Promoted, name: &str) -> Result<(), DeployCliError> {
    if json {
        return Ok(print_json(promoted)?);
    }
    let deployment = &promoted.deployment;
    let mut out = io::stdout().lock();
    if promoted.changed {
        writeln!(
            out,
            "production of {name} is now deployment {} ({})",
            deployment.id, deployment.state
        )?;
    } else {
        writeln!(
            out,
            "deployment {} is already production of {name}: nothing changed",
            deployment.id
        )?;
    }
    writeln!(out, "{}", deployment.url)?;
    Ok(())
}

/// Makes a release live (`rollback`, `promote`) on a destination that serves built files.
fn switch_files(
    args: &TargetArgs,
    to: Option<String>,
    phase: &'static str,
) -> Result<(), DeployCliError> {
    let (deployment, name, already) = if let Some(reach) = over_ssh_to(args) {
        let (deployment, already) = over_ssh::rollback(&reach, to, args.keep)?;
        (deployment, reach.target.destination(), already)
    } else {
        let target = aws_target(args)?;
        let name = format!("s3://{}/{}", target.bucket, target.prefix);
        let done =
            http::drive_with_bar(phase, AwsRollback::new(target, to, RetryPolicy::default()))?;
        (done.deployment, name, done.already_live)
    };
    if args.json && phase != "promoting" {
        return Ok(print_json(&deployment)?);
    }
    let promoted = Promoted {
        deployment,
        changed: !already,
    };
    print_promoted(args.json, &promoted, &name)
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
    #[error(transparent)]
    Aws(#[from] AwsSetupError),
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error(transparent)]
    Ssh(#[from] SshError),
    #[error("writing the result: {0}")]
    Stdout(#[from] io::Error),
}

/// The core's target for `--to/--project/--team/--api`, with the destination's token.
fn target(args: &TargetArgs) -> Result<(Target, &'static str), DeployCliError> {
    let spec = destinations::by_id(&args.to).expect("clap accepts registered hosts only");
    let Some(project) = args.project.clone() else {
        clap::Error::raw(
            clap::error::ErrorKind::MissingRequiredArgument,
            format!("--project is needed with --to {}\n", args.to),
        )
        .exit();
    };
    let token = env_token(spec.token_var)
        .ok_or(DeployCliError::MissingToken(spec.token_var, spec.display))?;
    let target =
        destinations::target(spec.id, project, token, args.team.clone(), args.api.clone())?;
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

/// Whether `--to` names a destination that serves built files.
fn serves_files(args: &TargetArgs) -> bool {
    over_ssh_to(args).is_some() || destinations::by_id(&args.to).is_some_and(|d| is_files(&d.kind))
}

/// The server, for `--to ssh://…`.
fn over_ssh_to(args: &TargetArgs) -> Option<Reach> {
    let target = SshTarget::parse(&args.to).ok()?;
    Some(Reach {
        target,
        identity: args.identity.clone(),
    })
}

/// `--to aws`'s target from the flags and the environment.
fn aws_target(
    args: &TargetArgs,
) -> Result<liftoff_core::destinations::aws::AwsTarget, DeployCliError> {
    Ok(aws::target(&AwsFlags {
        bucket: args.bucket.as_deref(),
        region: args.region.as_deref(),
        prefix: args.prefix.as_deref(),
        distribution: args.distribution.as_deref(),
        keep: args.keep,
    })?)
}

/// Epoch milliseconds now.
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// The site to deploy: `--prebuilt`, or INPUT exported and built here.
fn site(
    args: &DeployArgs,
) -> Result<Vec<liftoff_core::deploy::releases::BuiltFile>, DeployCliError> {
    Ok(match (&args.prebuilt, &args.input) {
        (Some(dir), _) => build::read_site(dir)?,
        (None, Some(input)) => {
            let options = options(args.raw, &args.builder, args.chat.as_ref());
            let export = export_input(input, &options, None)?;
            build::build(&export.tree, &export.report.framework)?
        }
        (None, None) => unreachable!("clap asks for INPUT without --prebuilt"),
    })
}

/// `liftoff deploy --to ssh://…`: built here (or `--prebuilt`), a release on the server.
fn deploy_ssh(args: &DeployArgs, reach: &Reach) -> Result<(), DeployCliError> {
    let files = site(args)?;
    let spinner = crate::progress::bar("deploying", 1);
    let result = over_ssh::deploy(reach, &files, now_ms(), args.target.keep, args.preview);
    spinner.finish_and_clear();
    let (deployment, sent, linked) = result?;
    if args.preview {
        return print_preview(
            args.target.json,
            &deployment,
            &format!("--to {}", args.target.to),
        );
    }
    if args.target.json {
        return Ok(print_json(&deployment)?);
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "deployed {} files to {} as release {} ({sent} sent, {linked} hard-linked from the previous release), now live",
        files.len(),
        reach.target.destination(),
        deployment.id
    )?;
    writeln!(out, "{}", deployment.url)?;
    writeln!(out, "{}", reach.target.serve_hint())?;
    Ok(())
}

/// `liftoff deploy --to aws`: built here (or `--prebuilt`), stored as a release, made live.
fn deploy_files(args: &DeployArgs) -> Result<(), DeployCliError> {
    if let Some(reach) = over_ssh_to(&args.target) {
        return deploy_ssh(args, &reach);
    }
    let target = aws_target(&args.target)?;
    let files = site(args)?;
    let count = files.len();
    let start = if args.preview {
        AwsRelease::preview
    } else {
        AwsRelease::new
    };
    let conversation = start(target.clone(), files, now_ms(), RetryPolicy::default());
    let done = http::drive_with_bar("deploying", conversation)?;
    let deployment = &done.deployment;
    if args.preview {
        let promote = format!("--to aws --bucket {}", target.bucket);
        return print_preview(args.target.json, deployment, &promote);
    }
    if args.target.json {
        return Ok(print_json(deployment)?);
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "deployed {count} files to s3://{}/{} as release {}, now live ({} uploaded, {} copied \
         within the bucket)",
        target.bucket,
        target.prefix,
        deployment.id,
        liftoff_core::text::count(done.uploaded, "byte", "bytes"),
        liftoff_core::text::count(done.copied, "file", "files"),
    )?;
    writeln!(out, "{}", deployment.url)?;
    let index = format!("/{}index.html", target.prefix);
    let spa = match (&target.distribution, done.website) {
        (Some(id), Website::Set) => format!(
            "single-page app: distribution {id} now answers 403 and 404 with {index} (status \
             200), so deep links load the app"
        ),
        (Some(id), Website::Kept) => format!(
            "single-page app: distribution {id}'s own error responses were left as they are; \
             403 and 404 should answer {index} (status 200) so that deep links load the app"
        ),
        (Some(id), _) => format!(
            "single-page app: set distribution {id}'s 403 and 404 error responses to {index} \
             (status 200) so that deep links load the app"
        ),
        (None, Website::Set) => format!(
            "single-page app: the bucket's website now answers every unknown path with {index} \
             (its website endpoint: http://{}.s3-website-{}.amazonaws.com)",
            target.bucket, target.region
        ),
        (None, Website::Kept) => format!(
            "single-page app: the bucket's own website configuration was left as it is; its \
             error document should be {index} so that deep links load the app"
        ),
        (None, Website::NotAsked | Website::Refused) => format!(
            "single-page app: set the bucket website's error document (or the distribution's \
             403 and 404 responses) to {index} so that deep links load the app"
        ),
    };
    writeln!(out, "{spa}")?;
    Ok(())
}

/// A preview's result: `{id, url, state, production: false}`, or its address and how to
/// promote it.
fn print_preview(json: bool, deployment: &Deployment, to: &str) -> Result<(), DeployCliError> {
    if json {
        let mut value = serde_json::to_value(deployment).expect("a deployment serializes");
        value["production"] = false.into();
        return Ok(print_json(&value)?);
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "preview {} deployed; production is unchanged",
        deployment.id
    )?;
    writeln!(out, "{}", deployment.url)?;
    writeln!(
        out,
        "make it production: liftoff promote {to} --deployment {}",
        deployment.id
    )?;
    Ok(())
}

/// Runs `liftoff deploy`.
pub fn deploy(args: &DeployArgs) -> Result<(), DeployCliError> {
    if serves_files(&args.target) {
        return deploy_files(args);
    }
    if args.prebuilt.is_some() {
        clap::Error::raw(
            clap::error::ErrorKind::ArgumentConflict,
            format!(
                "--prebuilt is for --to aws; {} builds the project itself\n",
                args.target.to
            ),
        )
        .exit();
    }
    let (target, host) = target(&args.target)?;
    let options = options(args.raw, &args.builder, args.chat.as_ref());
    let input = args
        .input
        .as_ref()
        .expect("clap asks for INPUT without --prebuilt");
    let export = export_input(input, &options, None)?;
    let stage = if args.preview {
        Stage::Preview
    } else {
        Stage::Production
    };
    let conversation = target.deploy(&export.tree, &export.report.framework, stage)?;
    let deployment = http::drive_with_bar("deploying", conversation)?;
    if args.preview {
        let to = format!("--to {host} --project {}", target.project);
        return print_preview(args.target.json, &deployment, &to);
    }
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
    let (entries, name): (Vec<HistoryEntry>, String) = if let Some(reach) = over_ssh_to(args) {
        (over_ssh::history(&reach)?, reach.target.destination())
    } else if serves_files(args) {
        let target = aws_target(args)?;
        let name = format!("s3://{}/{}", target.bucket, target.prefix);
        let history = AwsHistory::new(target, RetryPolicy::default());
        (http::drive_with_bar("listing", history)?, name)
    } else {
        let (target, _) = target(args)?;
        let entries = http::drive_with_bar("listing", target.history()?)?;
        (entries, target.project)
    };
    if args.json {
        return Ok(print_json(&entries)?);
    }
    let mut out = io::stdout().lock();
    if entries.is_empty() {
        writeln!(out, "{name} has no production deployments yet")?;
    }
    for e in &entries {
        let mark = if e.production { "*" } else { " " };
        // AWS and servers say PREVIEW in the state already.
        let kind = if e.preview && e.state != "PREVIEW" {
            "PREVIEW"
        } else {
            ""
        };
        writeln!(
            out,
            "{mark} {:<32} {:<9} {:<7} {:<20} {}",
            e.id,
            e.state,
            kind,
            utc_minute((e.created / 1000) as i64),
            e.url
        )?;
    }
    Ok(())
}

/// Runs `liftoff rollback`.
pub fn rollback(args: &RollbackArgs) -> Result<(), DeployCliError> {
    if serves_files(&args.target) {
        return switch_files(&args.target, args.deployment.clone(), "rolling back");
    }
    let (deployment, name): (Deployment, String) = {
        let (target, _) = target(&args.target)?;
        let conversation = target.rollback(args.deployment.clone())?;
        (
            http::drive_with_bar("rolling back", conversation)?,
            target.project,
        )
    };
    if args.target.json {
        return Ok(print_json(&deployment)?);
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "production of {name} is now deployment {} ({})",
        deployment.id, deployment.state
    )?;
    writeln!(out, "{}", deployment.url)?;
    Ok(())
}
