//! `liftoff push`: read and normalize the input as `liftoff export` does, then commit the
//! tree to a GitHub branch with the core's push conversation over the blocking driver.

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use liftoff_core::capture::Options;
use liftoff_core::github::{default_message, GitHubPush, PushConfig, PushError, PushResult};
use liftoff_core::normalize::prepare;
use thiserror::Error;

use crate::export::{add_base44_seed, read_input, ExportError};
use crate::http;
use crate::progress::bar;
use crate::PushArgs;

/// The only place the token is read from.
const TOKEN_VAR: &str = "GITHUB_TOKEN";

/// Excluded files listed one by one before the rest is summed up.
const EXCLUDED_SHOWN: usize = 10;

/// Why a push failed.
#[derive(Debug, Error)]
pub enum PushCliError {
    #[error(transparent)]
    Input(#[from] ExportError),
    #[error(transparent)]
    Push(#[from] PushError),
    #[error(
        "set {TOKEN_VAR} to a GitHub token that may push to the repository (classic: the `repo` \
         scope; fine-grained: Contents read and write). It is read from the environment only"
    )]
    MissingToken,
    #[error("writing the result: {0}")]
    Stdout(#[from] io::Error),
}

/// Runs `liftoff push` and prints its outcome: 0 pushed or up to date, 1 failed (clap answers
/// bad usage with 2 before this runs).
pub fn main(args: &PushArgs) -> ExitCode {
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("liftoff: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &PushArgs) -> Result<(), PushCliError> {
    let token = std::env::var(TOKEN_VAR)
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or(PushCliError::MissingToken)?;
    let options = Options {
        builder: args.builder.to_core(),
        chat: args.chat.clone(),
        ..Options::default()
    };
    let builder_api = args.builder_api.as_deref();
    let mut captured = read_input(&args.input, options, builder_api)?;
    if !args.raw {
        add_base44_seed(&mut captured, &args.input, builder_api)?;
    }
    prepare(&mut captured, args.raw);
    let now_s = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let message = match &args.message {
        Some(message) => message.clone(),
        None => default_message(captured.report.builder, now_s),
    };
    let mut config = PushConfig::new(&args.repo, token, message, now_s);
    config.api = args.api.clone();
    config.branch = args.branch.clone();
    config.create = args.create;
    config.private = args.private;

    let conversation = GitHubPush::new(config, captured.tree)?;
    let files = conversation.file_count();
    let pb = bar("pushing", 5);
    let result = http::drive(conversation, |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    });
    pb.finish_and_clear();
    let result = result?;
    if args.json {
        print_json(&result)?;
    } else {
        print_human(&result, files)?;
    }
    Ok(())
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
