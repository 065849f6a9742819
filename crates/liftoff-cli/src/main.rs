//! `liftoff`: export an app out of an AI app builder from a terminal or CI.
//! Argument parsing, files and progress live here; every decision is the core's.

mod export;
mod http;
mod input;
mod output;
mod progress;

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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("liftoff: error: {e}");
            ExitCode::FAILURE
        }
    }
}
