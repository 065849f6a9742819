//! `liftoff`: export an app out of an AI app builder from a terminal or CI.
//! Argument parsing, files and progress live here; every decision is the core's.

mod base44_data;
mod db;
mod deploy;
mod export;
mod http;
mod input;
mod output;
mod progress;
mod push;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use liftoff_core::Builder;

#[derive(Parser)]
#[command(
    name = "liftoff",
    version,
    about = "Take an app out of Lovable, Bolt or Base44 onto infrastructure you own"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Export a builder project as a portable source tree (a zip or a folder).
    Export(ExportArgs),
    /// Export a builder project and push it to a GitHub repository as one commit.
    Push(PushArgs),
    /// Put the project's database (tables and rows) in your own PostgreSQL or Supabase.
    Db {
        #[command(subcommand)]
        command: db::DbCommand,
    },
    /// Export a builder project and deploy it to Vercel or Netlify, built from source.
    Deploy(deploy::DeployArgs),
    /// List a project's production deployments, newest first (* marks the live one).
    Deployments(deploy::TargetArgs),
    /// Put an earlier deployment back in production, without a rebuild.
    Rollback(deploy::RollbackArgs),
}

/// Arguments of `liftoff export`. Names are a contract: extend, never rename.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// A folder, .zip, .tar, .tar.gz/.tgz, .json (a Bolt history dump or a Lovable
    /// source-code response), `lovable:<project-id>` (token in LOVABLE_TOKEN) or
    /// `base44:<app-id>` (token in BASE44_TOKEN).
    pub input: PathBuf,
    /// Where to write: a path ending in .zip writes a zip, anything else a folder.
    /// Default: ./<project-name>-export.zip
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Capture only: the builder's files exactly as they are, no normalization (by default
    /// the builder's lock-in is removed and LIFTOFF.md says what changed).
    #[arg(long)]
    pub raw: bool,
    /// Write the report as JSON to FILE, or to standard output with `-`.
    #[arg(long, value_name = "FILE|-")]
    pub report: Option<PathBuf>,
    /// Which builder made the project; `auto` detects it from the files.
    #[arg(long, value_enum, default_value_t = BuilderArg::Auto)]
    pub builder: BuilderArg,
    /// The Bolt chat to export (its id or urlId); default the most recent.
    #[arg(long, value_name = "ID")]
    pub chat: Option<String>,
    /// Replace an existing output file or a non-empty output folder.
    #[arg(long)]
    pub force: bool,
    /// The builder API's origin for `lovable:` and `base44:` inputs (default: the builder's
    /// own, e.g. https://api.lovable.dev).
    #[arg(long, value_name = "URL")]
    pub api: Option<String>,
}

/// Arguments of `liftoff push`. Names are a contract: extend, never rename.
#[derive(clap::Args)]
pub struct PushArgs {
    /// What to push: anything `liftoff export` takes (a folder, .zip, .tar, .tar.gz/.tgz,
    /// .json, `lovable:<project-id>`, `base44:<app-id>`). The token is read from GITHUB_TOKEN.
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
    #[arg(long, value_name = "URL", default_value = liftoff_core::github::DEFAULT_API)]
    pub api: String,
    /// Print the result as JSON: commit, url, branch, created, up_to_date, objects_sent,
    /// bytes_sent, requests (and repository, rebuilt, excluded).
    #[arg(long)]
    pub json: bool,
    /// Push the capture as is, without normalization.
    #[arg(long)]
    pub raw: bool,
    /// Which builder made the project; `auto` detects it from the files.
    #[arg(long, value_enum, default_value_t = BuilderArg::Auto)]
    pub builder: BuilderArg,
    /// The Bolt chat to push (its id or urlId); default the most recent.
    #[arg(long, value_name = "ID")]
    pub chat: Option<String>,
    /// The builder API's origin for `lovable:` and `base44:` inputs (default: the builder's
    /// own). A `base44:` push also commits the app's rows as `supabase/seed.sql`.
    #[arg(long, value_name = "URL")]
    pub builder_api: Option<String>,
}

/// `--builder` values.
#[derive(Clone, Copy, ValueEnum)]
pub enum BuilderArg {
    Auto,
    Bolt,
    Lovable,
    Base44,
    Plain,
}

impl BuilderArg {
    /// The override for the core, `None` for detection.
    pub fn to_core(self) -> Option<Builder> {
        match self {
            BuilderArg::Auto => None,
            BuilderArg::Bolt => Some(Builder::Bolt),
            BuilderArg::Lovable => Some(Builder::Lovable),
            BuilderArg::Base44 => Some(Builder::Base44),
            BuilderArg::Plain => Some(Builder::Plain),
        }
    }
}

fn main() -> ExitCode {
    // clap exits with 2 on bad usage by itself.
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Export(args) => export::run(&args),
        Command::Push(args) => return push::main(&args),
        Command::Db { command } => return db::main(&command),
        Command::Deploy(args) => return deploy::deploy(&args),
        Command::Deployments(args) => return deploy::deployments(&args),
        Command::Rollback(args) => return deploy::rollback(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("liftoff: error: {e}");
            ExitCode::FAILURE
        }
    }
}
