//! Applying a project's SQL files to a database, each once, each in one transaction, as a
//! state machine that hands out queries and takes their results back: the CLI runs it over a
//! PostgreSQL connection, [`super::supabase::SupabasePush`] over Supabase's Management API.
//!
//! Every file runs as one multi-statement query (one implicit transaction: all or nothing)
//! together with the insert that records it in `liftoff_migrations`, so a second run skips it
//! and a failure leaves the database as it was before that file. When a file fails, the
//! statement at fault is found by running growing prefixes of the file that always end in a
//! deliberate error (so nothing they do is kept), halving the range each time.

use crate::error::{Coded, Details};
use serde::Serialize;
use sha1::{Digest, Sha1};
use thiserror::Error;

use super::quote::quote_literal;
use super::split::split;
use crate::net::MAX_LOST_ANSWERS;
use crate::path::ProjectPath;
use crate::tree::SourceTree;

/// The folder of migrations, applied in file-name order.
pub const MIGRATIONS_DIR: &str = "supabase/migrations";
/// The seed, applied after every migration.
pub const SEED: &str = "supabase/seed.sql";
/// The table that records applied files.
pub const LEDGER_TABLE: &str = "liftoff_migrations";

const CREATE_LEDGER: &str = "create table if not exists public.liftoff_migrations (\n  \
     name text primary key,\n  checksum text not null,\n  \
     applied_at timestamptz not null default now()\n);\n\
     alter table public.liftoff_migrations enable row level security;\n";
const READ_LEDGER: &str = "select coalesce(json_agg(json_build_array(name, checksum) order by \
     name), '[]'::json)::text as ledger from public.liftoff_migrations";
/// Ends a probe with an error of our own, so the prefix before it is rolled back.
const PROBE_END: &str = "do $liftoff_probe$ begin raise exception 'liftoff-probe-passed'; end \
     $liftoff_probe$;\n";
const PROBE_PASSED: &str = "liftoff-probe-passed";

/// One SQL file of the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlFile {
    /// Its path in the project (`supabase/migrations/…sql`): the name it is recorded under.
    pub name: String,
    pub sql: String,
}

impl SqlFile {
    /// `sha1:<hex>` of the text: tells a file changed since it was applied.
    pub fn checksum(&self) -> String {
        let digest = Sha1::digest(self.sql.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha1:{hex}")
    }
}

/// The paths `db push` applies, in order: `supabase/migrations/*.sql` in file-name order (their
/// timestamps), then `supabase/seed.sql`.
pub fn sql_paths(tree: &SourceTree) -> Vec<&ProjectPath> {
    let prefix = format!("{MIGRATIONS_DIR}/");
    let mut migrations: Vec<&ProjectPath> = tree
        .iter()
        .map(|(path, _)| path)
        .filter(|path| {
            path.as_str()
                .strip_prefix(&prefix)
                .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".sql"))
        })
        .collect();
    migrations.sort_by(|a, b| a.file_name().cmp(b.file_name()));
    let seed = tree
        .iter()
        .map(|(path, _)| path)
        .find(|p| p.as_str() == SEED);
    migrations.into_iter().chain(seed).collect()
}

/// The files `db push` applies, in the order of [`sql_paths`], as text.
pub fn files_from_tree(tree: &SourceTree) -> Result<Vec<SqlFile>, MigrationError> {
    sql_paths(tree)
        .into_iter()
        .map(|path| {
            let name = path.as_str().to_string();
            let bytes = tree
                .get(path.as_str())
                .map(|e| e.bytes.clone())
                .unwrap_or_default();
            match String::from_utf8(bytes) {
                Ok(sql) => Ok(SqlFile { name, sql }),
                Err(_) => Err(MigrationError::NotText { file: name }),
            }
        })
        .collect()
}

/// A query the machine wants run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Run it; only success or failure matters.
    Execute(String),
    /// Run it and hand back the first column of the first row, as text.
    Fetch(String),
}

impl Query {
    /// The SQL text (one or more statements).
    pub fn sql(&self) -> &str {
        match self {
            Query::Execute(sql) | Query::Fetch(sql) => sql,
        }
    }
}

/// What came of a query: for [`Query::Fetch`], the value (`None` for SQL null or no row);
/// or the database's error message.
pub type QueryResult = Result<Option<String>, String>;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MigrationSummary {
    /// Applied by this run, in order.
    pub applied: Vec<String>,
    /// Applied by an earlier run, with the same text: skipped.
    pub already_applied: Vec<String>,
    /// Applied by an earlier run, but the text has changed since: skipped, never applied twice.
    pub changed: Vec<String>,
}

/// Why applying the files stopped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MigrationError {
    #[error("{file} is not UTF-8 text")]
    NotText { file: String },
    #[error(
        "{file}, statement {number} (line {line}): `{s}` manages the transaction itself; \
         Liftoff runs every file as one transaction, so remove BEGIN/COMMIT from the file",
        s = crate::text::excerpt(.statement)
    )]
    TransactionControl {
        file: String,
        number: usize,
        line: usize,
        statement: String,
    },
    #[error(
        "{file}, statement {number} (line {line}) failed: {m}\n  the statement: \
         {s}\n  nothing from {file} was applied",
        m = crate::text::quote_message(.message),
        s = crate::text::quote(.statement, 300)
    )]
    Statement {
        file: String,
        number: usize,
        line: usize,
        statement: String,
        message: String,
    },
    #[error(
        "{file}: its statements ran, but recording it in liftoff_migrations failed: {m}; \
         nothing from {file} was applied",
        m = crate::text::quote_message(.message)
    )]
    Record { file: String, message: String },
    #[error("preparing or reading the liftoff_migrations table failed: {m}", m = crate::text::quote_message(.message))]
    Ledger { message: String },
    #[error(
        "'{}' is not a Supabase project reference (the 20 lower-case letters and digits of <ref>.supabase.co)",
        crate::text::excerpt(.0)
    )]
    BadProjectRef(String),
    #[error(transparent)]
    Remote(#[from] crate::net::RemoteError),
}

impl Coded for MigrationError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotText { .. } => "not-text",
            Self::TransactionControl { .. } => "transaction-control",
            Self::Statement { .. } => "statement-failed",
            Self::Record { .. } => "record-failed",
            Self::Ledger { .. } => "ledger-failed",
            Self::BadProjectRef(_) => "bad-project-ref",
            Self::Remote(e) => e.code(),
        }
    }

    fn details(&self) -> Details {
        match self {
            Self::Statement {
                file, statement, ..
            } => Details {
                file: Some(file.clone()),
                statement: Some(statement.clone()),
                ..Details::default()
            },
            Self::NotText { file }
            | Self::TransactionControl { file, .. }
            | Self::Record { file, .. } => Details {
                file: Some(file.clone()),
                ..Details::default()
            },
            Self::Remote(e) => e.details(),
            Self::Ledger { .. } | Self::BadProjectRef(_) => Details::default(),
        }
    }
}

/// Applying that stopped, with what it had applied before.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{error}")]
pub struct MigrationFailure {
    /// Files this run applied before the failure (they stay applied).
    pub applied: Vec<String>,
    pub error: MigrationError,
}

#[derive(Debug, Clone)]
struct Prepared {
    name: String,
    checksum: String,
    statements: Vec<OwnedStatement>,
}

#[derive(Debug, Clone)]
struct OwnedStatement {
    number: usize,
    line: usize,
    /// With its `;`.
    terminated: String,
    summary: String,
}

impl Prepared {
    fn new(file: &SqlFile) -> Result<Self, MigrationError> {
        let mut statements = split(&file.sql);
        let opens = |k: &str| matches!(k, "begin" | "start");
        let closes = |k: &str| matches!(k, "commit" | "end");
        if statements.len() >= 2
            && opens(&statements[0].keyword())
            && closes(&statements[statements.len() - 1].keyword())
        {
            statements.pop();
            statements.remove(0);
        }
        if let Some(s) = statements.iter().find(|s| {
            let k = s.keyword();
            opens(&k)
                || closes(&k)
                || matches!(k.as_str(), "rollback" | "abort" | "savepoint" | "release")
                || (k == "prepare" && s.text.to_ascii_lowercase().contains("transaction"))
        }) {
            return Err(MigrationError::TransactionControl {
                file: file.name.clone(),
                number: s.number,
                line: s.line,
                statement: s.summary(80),
            });
        }
        Ok(Self {
            name: file.name.clone(),
            checksum: file.checksum(),
            statements: statements
                .iter()
                .map(|s| OwnedStatement {
                    number: s.number,
                    line: s.line,
                    terminated: s.terminated(),
                    summary: s.summary(300),
                })
                .collect(),
        })
    }

    /// The first `n` statements.
    fn prefix(&self, n: usize) -> String {
        self.statements[..n]
            .iter()
            .map(|s| s.terminated.as_str())
            .collect()
    }

    /// Every statement, then the insert that records the file.
    fn apply_sql(&self) -> String {
        let mut sql = self.prefix(self.statements.len());
        sql.push_str(&format!(
            "insert into public.liftoff_migrations (name, checksum) values ({}, {});\n",
            quote_literal(&self.name).expect("a tree path holds no NUL"),
            quote_literal(&self.checksum).expect("hex holds no NUL"),
        ));
        sql
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    CreateLedger,
    ReadLedger,
    /// Deciding about file `i`.
    Next(usize),
    Applying(usize),
    /// The answer to file `i`'s apply was lost: reading the ledger to learn whether it ran.
    Rechecking(usize),
    /// Looking for the failing statement of file `i`: prefixes of `passing` statements pass,
    /// of `failing` fail (`statements + 1` stands for the recording insert); `probing` is in
    /// flight.
    Probing {
        i: usize,
        passing: usize,
        failing: usize,
        probing: usize,
    },
    Done,
}

/// Applies files in order, each once; see the module documentation.
#[derive(Debug)]
pub struct Migrator {
    files: Vec<Prepared>,
    phase: Phase,
    awaiting: bool,
    /// Answers lost so far (see [`Migrator::answer_lost`]).
    lost_answers: u32,
    ledger: Vec<(String, String)>,
    summary: MigrationSummary,
    failure_message: String,
    error: Option<MigrationError>,
}

impl Migrator {
    /// Checks every file first (text, transaction control), so nothing runs when one is bad.
    pub fn new(files: &[SqlFile]) -> Result<Self, MigrationError> {
        let files = files.iter().map(Prepared::new).collect::<Result<_, _>>()?;
        Ok(Self {
            files,
            phase: Phase::CreateLedger,
            awaiting: false,
            lost_answers: 0,
            ledger: Vec::new(),
            summary: MigrationSummary::default(),
            failure_message: String::new(),
            error: None,
        })
    }

    /// The next query to run, once the previous one was handled; `None` while one is out or
    /// when finished.
    pub fn next_query(&mut self) -> Option<Query> {
        if self.awaiting {
            return None;
        }
        let query = match self.phase {
            Phase::CreateLedger => Query::Execute(CREATE_LEDGER.into()),
            Phase::ReadLedger | Phase::Rechecking(_) => Query::Fetch(READ_LEDGER.into()),
            Phase::Applying(i) => Query::Execute(self.files[i].apply_sql()),
            Phase::Probing { i, probing, .. } => {
                // `probing < failing <= statements + 1`: a prefix of the statements.
                let mut sql = self.files[i].prefix(probing);
                sql.push_str(PROBE_END);
                Query::Execute(sql)
            }
            Phase::Next(_) | Phase::Done => return None,
        };
        self.awaiting = true;
        Some(query)
    }

    /// Skips files already applied until one must run, or the end.
    fn advance(&mut self) {
        while let Phase::Next(i) = self.phase {
            let Some(file) = self.files.get(i) else {
                self.phase = Phase::Done;
                return;
            };
            match self.ledger.iter().find(|(name, _)| *name == file.name) {
                Some((_, sum)) if *sum == file.checksum => {
                    self.summary.already_applied.push(file.name.clone());
                    self.phase = Phase::Next(i + 1);
                }
                Some(_) => {
                    self.summary.changed.push(file.name.clone());
                    self.phase = Phase::Next(i + 1);
                }
                None => self.phase = Phase::Applying(i),
            }
        }
    }

    /// The result of the query handed out last.
    pub fn handle(&mut self, result: QueryResult) {
        if !self.awaiting {
            return;
        }
        self.awaiting = false;
        match (self.phase, result) {
            (Phase::CreateLedger, Ok(_)) => self.phase = Phase::ReadLedger,
            (Phase::ReadLedger, Ok(value)) => match parse_ledger(value.as_deref()) {
                Some(ledger) => {
                    self.ledger = ledger;
                    self.phase = Phase::Next(0);
                }
                None => self.fail(MigrationError::Ledger {
                    message: "the table's contents could not be read".into(),
                }),
            },
            (Phase::Rechecking(i), Ok(value)) => {
                let file = &self.files[i];
                match parse_ledger(value.as_deref()) {
                    Some(ledger)
                        if ledger
                            .iter()
                            .any(|(n, c)| *n == file.name && *c == file.checksum) =>
                    {
                        self.summary.applied.push(file.name.clone());
                        self.phase = Phase::Next(i + 1);
                    }
                    Some(_) => self.phase = Phase::Applying(i),
                    None => self.fail(MigrationError::Ledger {
                        message: "the table's contents could not be read".into(),
                    }),
                }
            }
            (Phase::CreateLedger | Phase::ReadLedger | Phase::Rechecking(_), Err(message)) => {
                self.fail(MigrationError::Ledger { message })
            }
            (Phase::Applying(i), Ok(_)) => {
                self.summary.applied.push(self.files[i].name.clone());
                self.phase = Phase::Next(i + 1);
            }
            (Phase::Applying(i), Err(message)) => {
                self.failure_message = message;
                let failing = self.files[i].statements.len() + 1;
                self.probe_or_conclude(i, 0, failing);
            }
            (
                Phase::Probing {
                    i,
                    passing,
                    failing,
                    probing,
                },
                result,
            ) => match result {
                Err(message) if !message.contains(PROBE_PASSED) => {
                    self.failure_message = message;
                    self.probe_or_conclude(i, passing, probing);
                }
                _ => self.probe_or_conclude(i, probing, failing),
            },
            (Phase::Next(_) | Phase::Done, _) => {}
        }
        self.advance();
    }

    fn probe_or_conclude(&mut self, i: usize, passing: usize, failing: usize) {
        if failing - passing > 1 {
            self.phase = Phase::Probing {
                i,
                passing,
                failing,
                probing: passing + (failing - passing) / 2,
            };
            return;
        }
        let file = &self.files[i];
        let message = std::mem::take(&mut self.failure_message);
        let error = match file.statements.get(failing - 1) {
            Some(s) => MigrationError::Statement {
                file: file.name.clone(),
                number: s.number,
                line: s.line,
                statement: s.summary.clone(),
                message,
            },
            None => MigrationError::Record {
                file: file.name.clone(),
                message,
            },
        };
        self.fail(error);
    }

    /// True when the query handed out last changes the database, so that sending it again
    /// after a lost answer could apply a file twice: drivers send it once
    /// ([`crate::net::Pool::push_once`]) and report a lost answer with [`Self::answer_lost`].
    pub fn awaiting_apply(&self) -> bool {
        self.awaiting && matches!(self.phase, Phase::Applying(_))
    }

    /// The answer to the file's apply was lost (the connection dropped, a 5xx): the file ran
    /// in one transaction or not at all, so the ledger says which; it is read before the file is
    /// sent again. Returns false (and stops the run with `error`) when answers keep being lost
    /// or no apply was in flight.
    pub fn answer_lost(&mut self, error: MigrationError) -> bool {
        self.lost_answers += 1;
        match self.phase {
            Phase::Applying(i) if self.awaiting && self.lost_answers <= MAX_LOST_ANSWERS => {
                self.awaiting = false;
                self.phase = Phase::Rechecking(i);
                true
            }
            _ => {
                self.fail(error);
                false
            }
        }
    }

    /// Stops the run with `error` (a transport failure, for drivers).
    pub fn fail(&mut self, error: MigrationError) {
        self.error.get_or_insert(error);
        self.phase = Phase::Done;
        self.awaiting = false;
    }

    /// True once there is nothing left to run.
    pub fn is_finished(&self) -> bool {
        self.phase == Phase::Done
    }

    /// `(files decided, files)`.
    pub fn progress(&self) -> (u64, u64) {
        let done = self.summary.applied.len()
            + self.summary.already_applied.len()
            + self.summary.changed.len();
        (done as u64, self.files.len() as u64)
    }

    /// The file being applied or diagnosed, if any.
    pub fn current_file(&self) -> Option<&str> {
        match self.phase {
            Phase::Applying(i) | Phase::Rechecking(i) | Phase::Probing { i, .. } => {
                Some(&self.files[i].name)
            }
            _ => None,
        }
    }

    /// What the run did, or why it stopped.
    pub fn finish(self) -> Result<MigrationSummary, MigrationFailure> {
        match self.error {
            None => Ok(self.summary),
            Some(error) => Err(MigrationFailure {
                applied: self.summary.applied,
                error,
            }),
        }
    }
}

fn parse_ledger(value: Option<&str>) -> Option<Vec<(String, String)>> {
    let rows: Vec<(String, String)> = serde_json::from_str(value.unwrap_or("[]")).ok()?;
    Some(rows)
}

#[cfg(test)]
mod tests;
