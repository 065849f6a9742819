//! [`SupabasePush`]: the [`Migrator`] over Supabase's Management API,
//! `POST {api}/v1/projects/{ref}/database/query` with `{"query": …}` and the founder's
//! personal access token, one query at a time (the API allows 60 requests a minute; 429s are
//! retried after `Retry-After`).

use serde_json::Value;

use super::{ApplyConversation, Database, DatabaseTarget, DestinationSpec, Kind, NameRule};
use crate::net::{
    header, join_url, Boxed, Conversation, Method, Outcome, Outgoing, Pool, PoolEvent, Progress,
    RemoteError, Request, RequestId, Response, RetryPolicy,
};
use crate::sql::migration::{
    MigrationError, MigrationFailure, MigrationSummary, Migrator, Query, SqlFile,
};

const SERVICE: &str = "Supabase";

/// Supabase's row of the registry (the Management API; the database itself is PostgreSQL).
pub const SPEC: DestinationSpec = DestinationSpec {
    id: "supabase",
    display: SERVICE,
    word: "project",
    token_var: "SUPABASE_ACCESS_TOKEN",
    token_help: "Create a personal access token on Supabase (Account → Access Tokens) with the account that owns the project.",
    origins: &[DEFAULT_API],
    names: Some(NameRule {
        label: "project ref",
        check: check_ref,
        max_len: 20,
        suggest: false,
    }),
    kind: Kind::Database(Database { apply: Some(apply) }),
};

/// Supabase's project refs: the 20 lower-case letters and digits of `<ref>.supabase.co`.
fn check_ref(text: &str) -> Result<(), &'static str> {
    let ok = text.len() == 20
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err("it is 20 lower-case letters and digits, from the project's address (supabase.com/dashboard/project/<ref>)")
    }
}

/// Starts applying `files` to the target's project.
fn apply(target: DatabaseTarget, files: &[SqlFile]) -> Result<ApplyConversation, MigrationError> {
    let mut config = SupabaseConfig::new(target.project, target.token);
    if let Some(api) = target.api {
        config.api = api;
    }
    Ok(Boxed::new(SupabasePush::new(config, files)?))
}

/// Supabase's Management API.
pub const DEFAULT_API: &str = "https://api.supabase.com";

/// Which project, and how to reach it.
#[derive(Clone)]
pub struct SupabaseConfig {
    /// The project's reference (the subdomain of `<ref>.supabase.co`).
    pub project_ref: String,
    /// A personal access token. Only ever sent to `api`.
    pub token: String,
    /// The Management API's origin.
    pub api: String,
    pub retry: RetryPolicy,
}

impl SupabaseConfig {
    /// Supabase's own API with default retries.
    pub fn new(project_ref: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            project_ref: project_ref.into(),
            token: token.into(),
            api: DEFAULT_API.into(),
            retry: RetryPolicy::default(),
        }
    }
}

impl std::fmt::Debug for SupabaseConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SupabaseConfig")
            .field("project_ref", &self.project_ref)
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

/// Applies a project's SQL files to a Supabase project through the Management API.
pub struct SupabasePush {
    config: SupabaseConfig,
    migrator: Migrator,
    /// The query in flight (or waiting for a retry).
    pool: Pool<Query>,
}

impl SupabasePush {
    /// Checks the files and the project reference; nothing is sent yet.
    pub fn new(config: SupabaseConfig, files: &[SqlFile]) -> Result<Self, MigrationError> {
        if check_ref(&config.project_ref).is_err() {
            return Err(MigrationError::BadProjectRef(config.project_ref.clone()));
        }
        Ok(Self {
            pool: Pool::new(1, config.retry),
            migrator: Migrator::new(files)?,
            config,
        })
    }

    fn what(&self) -> String {
        format!("project {}", self.config.project_ref)
    }

    fn request(&self, query: &Query) -> Request {
        let url = join_url(
            &self.config.api,
            &format!("v1/projects/{}/database/query", self.config.project_ref),
        );
        let body = serde_json::json!({ "query": query.sql() });
        Request {
            method: Method::Post,
            url,
            headers: Vec::new(),
            body: serde_json::to_vec(&body).expect("a Value always serializes"),
        }
        .with_header(header::CONTENT_TYPE, "application/json")
        .with_header(header::ACCEPT, "application/json")
        .bearer(&self.config.token)
    }

    fn on_response(&mut self, query: &Query, response: Response) {
        if response.is_success() {
            let value = match query {
                Query::Execute(_) => Ok(None),
                Query::Fetch(_) => {
                    first_value(&response.body).ok_or_else(|| RemoteError::Malformed {
                        service: SERVICE,
                        what: self.what(),
                        detail: "the query's answer is not a JSON array of rows".into(),
                    })
                }
            };
            match value {
                Ok(value) => self.migrator.handle(Ok(value)),
                Err(error) => self.migrator.fail(error.into()),
            }
        } else if response.status == 400 {
            // The database refused the SQL; the body says why.
            self.migrator.handle(Err(database_message(&response.body)));
        } else {
            let error =
                RemoteError::from_outcome(SERVICE, &self.what(), &Outcome::Response(response));
            self.migrator.fail(error.into());
        }
    }
}

/// The first column of the first row of a `[{…}]` answer, as text (`None` for no row, null).
fn first_value(body: &[u8]) -> Option<Option<String>> {
    let rows: Vec<serde_json::Map<String, Value>> = serde_json::from_slice(body).ok()?;
    let Some(first) = rows.first() else {
        return Some(None);
    };
    Some(match first.values().next() {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    })
}

/// The `message` of an error answer, or its text, without control characters, kept short.
fn database_message(body: &[u8]) -> String {
    let text = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(2000)
        .collect();
    let text = text.trim();
    if text.is_empty() {
        "the database refused the query (no details)".into()
    } else {
        text.into()
    }
}

impl Conversation for SupabasePush {
    type Output = Result<MigrationSummary, MigrationFailure>;

    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        if self.pool.is_idle() {
            if let Some(query) = self.migrator.next_query() {
                // An apply changes the database: after a lost answer the ledger is read
                // before it is sent again. Every other query is safe to repeat.
                if self.migrator.awaiting_apply() {
                    self.pool.push_once(query);
                } else {
                    self.pool.push(query);
                }
            }
        }
        self.pool
            .poll_transmit(now_ms)
            .into_iter()
            .map(|(id, query)| Outgoing::new(id, self.request(&query)))
            .collect()
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        match self.pool.handle(id, outcome, now_ms) {
            PoolEvent::Done(query, response) => self.on_response(&query, response),
            PoolEvent::Failed(_, outcome) => {
                let error = RemoteError::from_outcome(SERVICE, &self.what(), &outcome);
                if self.migrator.awaiting_apply() {
                    self.migrator.answer_lost(error.into());
                } else {
                    self.migrator.fail(error.into());
                }
            }
            PoolEvent::Retrying | PoolEvent::Unknown => {}
        }
    }

    fn next_wakeup(&self) -> Option<u64> {
        self.pool.next_wakeup()
    }

    fn progress(&self) -> Progress {
        let (done, total) = self.migrator.progress();
        Progress { done, total }
    }

    fn is_finished(&self) -> bool {
        self.migrator.is_finished()
    }

    fn finish(self) -> Self::Output {
        self.migrator.finish()
    }
}

#[cfg(test)]
mod tests;
