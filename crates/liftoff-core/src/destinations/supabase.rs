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
mod tests {
    use super::*;
    use crate::net::run_blocking;

    const TOKEN: &str = "sbp_secret_token";
    const REF: &str = "abcdefghijklmnopqrst";

    fn files() -> Vec<SqlFile> {
        vec![
            SqlFile {
                name: "supabase/migrations/1_a.sql".into(),
                sql: "create table a (x int);".into(),
            },
            SqlFile {
                name: "supabase/seed.sql".into(),
                sql: "insert into a values (1);\ninsert into a values ('x');".into(),
            },
        ]
    }

    fn json(status: u16, body: &str) -> Outcome {
        Outcome::Response(Response::new(status, body.as_bytes().to_vec()))
    }

    #[test]
    fn posts_queries_with_the_token_and_retries() {
        let mut calls = 0;
        let push = SupabasePush::new(SupabaseConfig::new("abcdefghijklmnopqrst", TOKEN), &files())
            .unwrap();
        let (result, sent) = run_blocking(push, |r| {
            calls += 1;
            assert_eq!(r.method, Method::Post);
            assert_eq!(
                r.url,
                "https://api.supabase.com/v1/projects/abcdefghijklmnopqrst/database/query"
            );
            assert_eq!(r.header("authorization"), Some("Bearer sbp_secret_token"));
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            let query = body["query"].as_str().unwrap();
            match calls {
                1 => json(429, "{}"),
                _ if query.contains("json_agg") => json(201, r#"[{"ledger":"[]"}]"#),
                _ => json(201, "[]"),
            }
        });
        let summary = result.unwrap();
        assert_eq!(summary.applied.len(), 2);
        assert_eq!(sent, 5, "ledger (after one 429), read, two files");
    }

    #[test]
    fn sql_errors_are_diagnosed_and_others_are_remote_errors() {
        let push = SupabasePush::new(SupabaseConfig::new(REF, TOKEN), &files()).unwrap();
        let (result, _) = run_blocking(push, |r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            let query = body["query"].as_str().unwrap();
            if query.contains("json_agg") {
                json(
                    201,
                    r#"[{"ledger":"[[\"supabase/migrations/1_a.sql\",\"sha1:x\"]]"}]"#,
                )
            } else if query.contains("'x'") {
                json(
                    400,
                    r#"{"message":"Failed to run sql query: ERROR:  22P02: invalid input syntax for type integer: \"x\"\n"}"#,
                )
            } else if query.contains("liftoff-probe-passed") {
                json(400, r#"{"message":"ERROR: P0001: liftoff-probe-passed"}"#)
            } else {
                json(201, "[]")
            }
        });
        let failure = result.unwrap_err();
        assert!(failure.applied.is_empty());
        let text = failure.to_string();
        assert!(
            text.starts_with(
                "supabase/seed.sql, statement 2 (line 2) failed: Failed to run sql query: \
                 ERROR:  22P02: invalid input syntax for type integer: \"x\""
            ),
            "{text}"
        );

        for (status, needle) in [
            (401, "refused the token"),
            (404, "project abcdefghijklmnopqrst not found"),
        ] {
            let push = SupabasePush::new(SupabaseConfig::new(REF, TOKEN), &files()).unwrap();
            let (result, _) = run_blocking(push, |_| json(status, "{}"));
            let text = result.unwrap_err().to_string();
            assert!(text.contains(needle), "{text}");
            assert!(!text.contains(TOKEN));
        }
        let push = SupabasePush::new(SupabaseConfig::new(REF, TOKEN), &files()).unwrap();
        let (result, _) = run_blocking(push, |_| json(201, "<html>"));
        assert!(result.unwrap_err().to_string().contains("not a JSON array"));
    }

    /// A database that keeps the ledger, and answers the apply of file `lose` with `lost`
    /// `times` times: carried out first when `carried`, not at all otherwise.
    fn lossy_database(
        lose: &str,
        times: u32,
        carried: bool,
        lost: Outcome,
    ) -> (Result<MigrationSummary, MigrationFailure>, Vec<String>) {
        let mut ledger: Vec<(String, String)> = Vec::new();
        let mut applies = Vec::new();
        let mut left = times;
        let push = SupabasePush::new(SupabaseConfig::new(REF, TOKEN), &files()).unwrap();
        let (result, _) = run_blocking(push, |r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            let query = body["query"].as_str().unwrap();
            if query.contains("json_agg") {
                let rows = serde_json::to_string(&ledger).unwrap();
                return Outcome::Response(Response::new(
                    201,
                    serde_json::to_vec(&serde_json::json!([{ "ledger": rows }])).unwrap(),
                ));
            }
            let Some((_, values)) =
                query.split_once("liftoff_migrations (name, checksum) values (")
            else {
                return json(201, "[]");
            };
            let parts: Vec<String> = values
                .trim_end_matches(");\n")
                .split(", ")
                .map(|v| v.trim_matches('\'').to_string())
                .collect();
            let (name, sum) = (parts[0].clone(), parts[1].clone());
            let losing = name.ends_with(lose) && left > 0;
            if losing && !carried {
                left -= 1;
                return lost.clone();
            }
            if ledger.iter().any(|(n, _)| *n == name) {
                // The ledger's primary key: a second apply fails and rolls back.
                return json(400, r#"{"message":"ERROR: 23505: duplicate key value"}"#);
            }
            ledger.push((name.clone(), sum));
            applies.push(name);
            if losing {
                left -= 1;
                return lost.clone();
            }
            json(201, "[]")
        });
        (result, applies)
    }

    #[test]
    fn a_lost_answer_to_an_apply_reads_the_ledger_and_never_applies_twice() {
        for lost in [
            Outcome::NetworkError("connection reset".into()),
            json(502, "bad gateway"),
        ] {
            // Carried out, answer lost: the ledger has it; counted applied, not sent again.
            let (result, applies) = lossy_database("seed.sql", 1, true, lost.clone());
            let summary = result.unwrap();
            assert_eq!(
                summary.applied,
                ["supabase/migrations/1_a.sql", "supabase/seed.sql"]
            );
            assert_eq!(applies, summary.applied, "each file ran once");

            // Not carried out: the ledger lacks it, so it is sent again and runs once.
            let (result, applies) = lossy_database("1_a.sql", 2, false, lost.clone());
            assert_eq!(result.unwrap().applied.len(), 2);
            assert_eq!(applies.len(), 2);

            // Lost again and again: the run stops, naming what did run.
            let (result, applies) = lossy_database("seed.sql", 9, false, lost);
            let failure = result.unwrap_err();
            assert_eq!(failure.applied, ["supabase/migrations/1_a.sql"]);
            assert_eq!(applies, failure.applied);
            assert!(!failure.to_string().contains(TOKEN));
        }
    }

    #[test]
    fn refuses_a_bad_reference_before_sending() {
        let error = SupabasePush::new(SupabaseConfig::new("../x", TOKEN), &files())
            .err()
            .unwrap();
        assert_eq!(
            error.to_string(),
            "'../x' is not a Supabase project reference (the 20 lower-case letters and digits of \
             <ref>.supabase.co)"
        );
    }
}
