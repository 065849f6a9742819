//! `liftoff db push`: puts a project's database in the founder's own PostgreSQL or Supabase.
//! The input goes through the core's pipeline as `liftoff export` takes it (a Base44 app gets
//! its entities migration, and, fetched as `base44:<app-id>`, its rows as the seed); then the
//! core's
//! [`Migrator`] applies `supabase/migrations/*.sql` in order and `supabase/seed.sql`, each file
//! once and in one transaction, over a PostgreSQL connection (`--postgres`) or Supabase's
//! Management API (`--supabase`).

use std::io::{self, Write};

use clap::{ArgGroup, Subcommand};
use liftoff_core::destinations::supabase::DEFAULT_API;
use liftoff_core::destinations::{self, DatabaseTarget, Kind};
use liftoff_core::sql::{
    files_from_tree, MigrationError, MigrationFailure, MigrationSummary, Migrator, Query,
    QueryResult, SqlFile,
};
use postgres::{Client, Config, NoTls, SimpleQueryMessage};
use thiserror::Error;

use super::source::{env_token, export_input, options, SourceError};
use crate::http;
use crate::progress::bar;

/// `liftoff db …`.
#[derive(Subcommand)]
pub enum DbCommand {
    /// Create the project's tables and rows in your own PostgreSQL or Supabase: applies
    /// supabase/migrations/*.sql in order, then supabase/seed.sql, each file once.
    Push(DbPushArgs),
}

/// Arguments of `liftoff db push`. Names are a contract: extend, never rename.
#[derive(clap::Args)]
#[command(group(ArgGroup::new("target").required(true).args(["postgres", "supabase"])))]
pub struct DbPushArgs {
    /// The project: anything `liftoff export` takes. A Base44 app's entity schemas become the
    /// migration; `base44:<app-id>` also reads its rows as the seed.
    pub input: std::path::PathBuf,
    /// A PostgreSQL connection URL, postgres://USER[:PASSWORD]@HOST[:PORT]/DB (the password may
    /// come from PGPASSWORD instead). The connection is not encrypted: use it locally or on a
    /// trusted network.
    #[arg(long, value_name = "URL")]
    pub postgres: Option<String>,
    /// A Supabase project reference (as in <ref>.supabase.co); the personal access token is
    /// read from SUPABASE_ACCESS_TOKEN.
    #[arg(long, value_name = "PROJECT_REF")]
    pub supabase: Option<String>,
    /// The Supabase Management API's origin.
    #[arg(long, value_name = "URL", default_value = DEFAULT_API)]
    pub api: String,
    /// The builder API's origin for `lovable:` and `base44:` inputs (default: the builder's own).
    #[arg(long, value_name = "URL")]
    pub builder_api: Option<String>,
    /// Print the result as JSON: applied, already_applied, changed.
    #[arg(long)]
    pub json: bool,
}

/// The destinations of `--supabase` and `--postgres`.
const SUPABASE: &str = "supabase";
const POSTGRES: &str = "postgres";

/// Why `db push` failed.
#[derive(Debug, Error)]
pub enum DbError {
    #[error(transparent)]
    Source(#[from] SourceError),
    /// A file is unfit to run (checked before anything runs).
    #[error(transparent)]
    Files(#[from] MigrationError),
    /// Applying stopped; the files before the failing one stay applied.
    #[error(transparent)]
    Push(#[from] MigrationFailure),
    #[error(
        "{input} holds no SQL to push: no supabase/migrations/*.sql, no supabase/seed.sql, and no \
         Base44 entity schema to make them from"
    )]
    NothingToPush { input: String },
    #[error("set {var} to {what} (it is read from the environment only)")]
    MissingToken {
        var: &'static str,
        what: &'static str,
    },
    #[error("--postgres: not a PostgreSQL URL (postgres://user@host:port/db): {detail}")]
    BadUrl { detail: String },
    #[error("could not connect to PostgreSQL at {target}: {detail}")]
    Connect { target: String, detail: String },
    #[error(
        "the connection to PostgreSQL at {target} broke: {detail}; files applied before it stay \
         applied ({applied}), the file being applied was rolled back"
    )]
    Connection {
        target: String,
        detail: String,
        applied: String,
    },
    #[error("writing the result: {0}")]
    Stdout(#[from] io::Error),
}

fn token(var: &'static str, what: &'static str) -> Result<String, DbError> {
    env_token(var).ok_or(DbError::MissingToken { var, what })
}

/// Runs `liftoff db …`.
pub fn main(command: &DbCommand) -> Result<(), DbError> {
    match command {
        DbCommand::Push(args) => run(args),
    }
}

/// Runs `liftoff db push`.
pub fn run(args: &DbPushArgs) -> Result<(), DbError> {
    let files = project_files(args)?;
    let (target, result) = match (&args.postgres, &args.supabase) {
        (Some(url), _) => {
            let config = postgres_config(url)?;
            (describe(&config), push_postgres(&config, &files))
        }
        (None, Some(project_ref)) => {
            let spec = destinations::by_id(SUPABASE).expect("Supabase is registered");
            let token = token(
                spec.token_var,
                "a Supabase personal access token (supabase.com/dashboard/account/tokens)",
            )?;
            let target = DatabaseTarget {
                project: project_ref.clone(),
                token,
                api: Some(args.api.clone()),
            };
            (
                format!("{} project {project_ref}", spec.display),
                push_over_http(spec, target, &files),
            )
        }
        (None, None) => unreachable!("clap requires --postgres or --supabase"),
    };
    let summary = match result {
        Ok(summary) => summary,
        Err(error) => {
            if let DbError::Push(failure) = &error {
                for name in &failure.applied {
                    eprintln!("liftoff: applied {name}");
                }
            }
            return Err(error);
        }
    };
    report(args.json, &target, &summary)
}

/// The SQL files of the project's export (its own, plus what the core makes of a Base44 app).
fn project_files(args: &DbPushArgs) -> Result<Vec<SqlFile>, DbError> {
    let export = export_input(
        &args.input,
        &options(false, "auto", None),
        args.builder_api.as_deref(),
    )?;
    let files = files_from_tree(&export.tree)?;
    if files.is_empty() {
        return Err(DbError::NothingToPush {
            input: args.input.display().to_string(),
        });
    }
    Ok(files)
}

fn postgres_config(url: &str) -> Result<Config, DbError> {
    let mut config: Config = url.parse().map_err(|e: postgres::Error| DbError::BadUrl {
        detail: e.to_string(),
    })?;
    if config.get_password().is_none() {
        let password_var = destinations::by_id(POSTGRES).map_or("PGPASSWORD", |d| d.token_var);
        if let Ok(password) = std::env::var(password_var) {
            config.password(password);
        }
    }
    Ok(config)
}

/// `user@host:port/db`, never the password.
fn describe(config: &Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{}@{host}:{port}/{}",
        config.get_user().unwrap_or("?"),
        config.get_dbname().or(config.get_user()).unwrap_or("?")
    )
}

fn push_postgres(config: &Config, files: &[SqlFile]) -> Result<MigrationSummary, DbError> {
    let target = describe(config);
    let mut migrator = Migrator::new(files)?;
    let mut client = config.connect(NoTls).map_err(|e| DbError::Connect {
        target: target.clone(),
        detail: error_text(&e),
    })?;
    let pb = bar("applying", files.len() as u64);
    while !migrator.is_finished() {
        let query = migrator
            .next_query()
            .expect("a migrator that is not finished has a query");
        if let Some(file) = migrator.current_file() {
            pb.set_message(file.to_string());
        }
        match run_query(&mut client, &query) {
            Ok(result) => migrator.handle(result),
            Err(e) => {
                pb.finish_and_clear();
                let applied = match migrator.finish() {
                    Ok(summary) => summary.applied,
                    Err(failure) => failure.applied,
                };
                return Err(DbError::Connection {
                    target,
                    detail: error_text(&e),
                    applied: if applied.is_empty() {
                        "none".into()
                    } else {
                        applied.join(", ")
                    },
                });
            }
        }
        pb.set_position(migrator.progress().0);
    }
    pb.finish_and_clear();
    Ok(migrator.finish()?)
}

/// Runs one query as a simple query (several statements, one implicit transaction). A
/// database error is a result for the migrator; any other error ends the push.
fn run_query(client: &mut Client, query: &Query) -> Result<QueryResult, postgres::Error> {
    let outcome = match query {
        Query::Execute(sql) => client.batch_execute(sql).map(|()| None),
        Query::Fetch(sql) => client.simple_query(sql).map(|messages| {
            messages.into_iter().find_map(|m| match m {
                SimpleQueryMessage::Row(row) => Some(row.get(0).map(str::to_string)),
                _ => None,
            })?
        }),
    };
    match outcome {
        Ok(value) => Ok(Ok(value)),
        Err(e) if e.as_db_error().is_some() => Ok(Err(error_text(&e))),
        Err(e) => Err(e),
    }
}

/// The server's own words (`ERROR: …`, with detail and hint), or the client's.
fn error_text(e: &postgres::Error) -> String {
    let Some(db) = e.as_db_error() else {
        let mut text = e.to_string();
        if let Some(source) = std::error::Error::source(e) {
            text.push_str(&format!(": {source}"));
        }
        return text;
    };
    let mut text = format!(
        "{}: {} (SQLSTATE {})",
        db.severity(),
        db.message(),
        db.code().code()
    );
    if let Some(detail) = db.detail() {
        text.push_str(&format!("; DETAIL: {detail}"));
    }
    if let Some(hint) = db.hint() {
        text.push_str(&format!("; HINT: {hint}"));
    }
    text
}

/// Applies the files through a database destination reached over HTTP (Supabase's
/// Management API).
fn push_over_http(
    spec: &destinations::DestinationSpec,
    target: DatabaseTarget,
    files: &[SqlFile],
) -> Result<MigrationSummary, DbError> {
    let Kind::Database(database) = &spec.kind else {
        unreachable!("{} is a database", spec.display)
    };
    let apply = database.apply.expect("an HTTP database applies over HTTP");
    Ok(http::drive_with_bar("applying", apply(target, files)?)?)
}

fn report(json: bool, target: &str, summary: &MigrationSummary) -> Result<(), DbError> {
    if json {
        let mut value = serde_json::to_value(summary).expect("a summary serializes");
        value["target"] = target.into();
        let mut out = serde_json::to_vec_pretty(&value).expect("a Value serializes");
        out.push(b'\n');
        io::stdout().write_all(&out)?;
        return Ok(());
    }
    for name in &summary.applied {
        eprintln!("liftoff: applied {name}");
    }
    for name in &summary.changed {
        eprintln!(
            "liftoff: warning: {name} changed since it was applied; it is not applied again \
             (write the change as a new migration)"
        );
    }
    eprintln!(
        "liftoff: {target} is up to date: {} applied now, {} applied before",
        liftoff_core::text::count(summary.applied.len() as u64, "file", "files"),
        summary.already_applied.len() + summary.changed.len()
    );
    Ok(())
}
