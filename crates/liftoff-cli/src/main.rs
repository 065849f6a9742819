//! `liftoff`: export an app out of an AI app builder from a terminal or CI.
//! Commands (`commands/`) and the drivers they share (files in and out, HTTP, progress bars);
//! every decision is the core's.

mod commands;
mod http;
mod input;
mod output;
mod progress;
mod zip_out;

use std::fmt::Display;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use liftoff_core::text::for_terminal;

/// The longest message the terminal gets, in characters.
pub const MESSAGE_CHARS: usize = 600;

use commands::{db, deploy, export, push};

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
    Export(export::ExportArgs),
    /// Export a builder project and push it as one commit to a GitHub repository or any git remote (--to git).
    Push(push::PushArgs),
    /// Put the project's database (tables and rows) in your own PostgreSQL or Supabase.
    Db {
        #[command(subcommand)]
        command: db::DbCommand,
    },
    /// Export a builder project and deploy it to a host you own (--to), built from source.
    Deploy(deploy::DeployArgs),
    /// List a project's production deployments, newest first (* marks the live one).
    Deployments(deploy::TargetArgs),
    /// Put an earlier deployment back in production, without a rebuild.
    Rollback(deploy::RollbackArgs),
    /// Make a deployment (a preview) production, without a rebuild.
    Promote(deploy::PromoteArgs),
}

/// Exit status: 0 done, 1 failed with a message naming the file or service and the problem
/// (clap answers bad usage with 2 before anything runs).
fn exit<E: Display>(result: Result<(), E>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Errors quote input (file names, JSON, answers): never a raw control or bidi
            // character on the terminal, and never a page of it.
            eprintln!(
                "liftoff: error: {}",
                for_terminal(&e.to_string(), MESSAGE_CHARS)
            );
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Export(args) => exit(export::run(&args)),
        Command::Push(args) => exit(push::run(&args)),
        Command::Db { command } => exit(db::main(&command)),
        Command::Deploy(args) => exit(deploy::deploy(&args)),
        Command::Deployments(args) => exit(deploy::deployments(&args)),
        Command::Rollback(args) => exit(deploy::rollback(&args)),
        Command::Promote(args) => exit(deploy::promote(&args)),
    }
}
