//! [`Base44Rows`]: reads every row of every entity through Base44's API, the SDK's list call
//! `GET {api}/api/apps/<appId>/entities/<Name>?sort=created_date&limit=<n>&skip=<k>` with the
//! session's bearer token. Pages are read until an empty one (a server that caps pages below
//! `limit` loses nothing), in creation order (rows created meanwhile land at the end rather than
//! shifting the pages), a few entities at a time, with retries. Answers are untrusted: a
//! non-array is an error that says so, and the rows and bytes read are capped.

use crate::error::{Coded, Details};
use std::collections::HashMap;

use serde_json::Value;
use thiserror::Error;

use super::seed::EntityRows;
use crate::net::{
    encode_component, join_url, Conversation, Outcome, Outgoing, Pool, PoolEvent, Progress,
    RemoteError, Request, RequestId, Response, RetryPolicy,
};

const SERVICE: &str = "Base44";

/// What to read, from where, within which bounds.
#[derive(Clone)]
pub struct RowsConfig {
    pub app_id: String,
    /// The session's bearer token. Only ever sent to `api`.
    pub token: String,
    /// Origin of Base44's API.
    pub api: String,
    /// Entity names, as the app uses them (`Task`).
    pub entities: Vec<String>,
    /// Rows asked for per page.
    pub page_size: usize,
    /// Requests in flight at once.
    pub max_in_flight: usize,
    /// Rows read in all, beyond which the read stops with an error.
    pub max_rows: usize,
    /// Response bytes read in all, beyond which the read stops with an error.
    pub max_bytes: u64,
    pub retry: RetryPolicy,
}

impl RowsConfig {
    /// Base44's public origin; pages of 500, 4 at a time; at most a million rows and 512 MiB.
    pub fn new(app_id: impl Into<String>, token: impl Into<String>, entities: Vec<String>) -> Self {
        Self {
            app_id: app_id.into(),
            token: token.into(),
            api: "https://app.base44.com".into(),
            entities,
            page_size: 500,
            max_in_flight: 4,
            max_rows: 1_000_000,
            max_bytes: 512 * 1024 * 1024,
            retry: RetryPolicy::default(),
        }
    }
}

/// Why the rows could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RowsError {
    #[error("'{}' is not a Base44 app id (letters and digits)", crate::text::excerpt(.0))]
    BadId(String),
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error("Base44 sent more than {limit} rows in all; Liftoff stops there (raise the limit to read more)")]
    TooManyRows { limit: usize },
    #[error("Base44 sent more than {limit} bytes of rows in all; Liftoff stops there (raise the limit to read more)")]
    TooManyBytes { limit: u64 },
}

impl Coded for RowsError {
    fn code(&self) -> &'static str {
        match self {
            RowsError::BadId(_) => "bad-id",
            RowsError::Remote(e) => e.code(),
            RowsError::TooManyRows { .. } | RowsError::TooManyBytes { .. } => "too-large",
        }
    }

    fn details(&self) -> Details {
        match self {
            RowsError::Remote(e) => e.details(),
            _ => Details::default(),
        }
    }
}

/// One page of one entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Page {
    entity: usize,
    skip: usize,
}

#[derive(Debug, Default)]
struct EntityState {
    rows: Vec<Value>,
    /// Row id → index in `rows`, so a row sent twice (pages shifted) is kept once, latest.
    ids: HashMap<String, usize>,
    /// Rows the server has sent, repeats included: the next `skip`.
    received: usize,
    done: bool,
}

/// The conversation that reads every entity's rows.
pub struct Base44Rows {
    config: RowsConfig,
    pool: Pool<Page>,
    entities: Vec<EntityState>,
    rows: usize,
    bytes: u64,
    pages: u64,
    error: Option<RowsError>,
}

impl Base44Rows {
    /// Starts with the first page of every entity.
    pub fn new(config: RowsConfig) -> Result<Self, RowsError> {
        let id = &config.app_id;
        if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(RowsError::BadId(id.clone()));
        }
        let mut pool = Pool::new(config.max_in_flight, config.retry);
        for entity in 0..config.entities.len() {
            pool.push(Page { entity, skip: 0 });
        }
        Ok(Self {
            entities: config
                .entities
                .iter()
                .map(|_| EntityState::default())
                .collect(),
            config,
            pool,
            rows: 0,
            bytes: 0,
            pages: 0,
            error: None,
        })
    }

    fn url(&self, page: Page) -> String {
        let path = format!(
            "api/apps/{}/entities/{}?sort=created_date&limit={}&skip={}",
            self.config.app_id,
            encode_component(&self.config.entities[page.entity]),
            self.config.page_size.max(1),
            page.skip
        );
        join_url(&self.config.api, &path)
    }

    fn what(&self, page: Page) -> String {
        format!(
            "the rows of entity {} (from row {})",
            self.config.entities[page.entity], page.skip
        )
    }

    fn stop(&mut self, error: RowsError) {
        self.error.get_or_insert(error);
        self.pool.clear();
    }

    fn on_page(&mut self, page: Page, response: Response) -> Result<(), RowsError> {
        self.bytes += response.body.len() as u64;
        if self.bytes > self.config.max_bytes {
            return Err(RowsError::TooManyBytes {
                limit: self.config.max_bytes,
            });
        }
        let what = self.what(page);
        let malformed = |detail: String| RemoteError::Malformed {
            service: SERVICE,
            what: what.clone(),
            detail,
        };
        let rows = match serde_json::from_slice::<Value>(&response.body) {
            Ok(Value::Array(rows)) => rows,
            Ok(other) => {
                return Err(malformed(format!(
                    "expected a JSON array of rows, got {}",
                    kind_of(&other)
                ))
                .into())
            }
            Err(_) => return Err(malformed("the answer is not JSON".into()).into()),
        };
        let state = &mut self.entities[page.entity];
        if rows.is_empty() {
            state.done = true;
            return Ok(());
        }
        state.received += rows.len();
        let mut new = 0;
        for row in rows {
            let id = row.get("id").and_then(Value::as_str).map(str::to_string);
            match id.as_ref().and_then(|id| state.ids.get(id)) {
                Some(&at) => state.rows[at] = row,
                None => {
                    if let Some(id) = id {
                        state.ids.insert(id, state.rows.len());
                    }
                    state.rows.push(row);
                    new += 1;
                }
            }
        }
        if new == 0 {
            return Err(malformed(
                "a page repeats rows already read (the server seems to ignore `skip`)".into(),
            )
            .into());
        }
        self.rows += new;
        if self.rows > self.config.max_rows {
            return Err(RowsError::TooManyRows {
                limit: self.config.max_rows,
            });
        }
        let skip = state.received;
        self.pool.push(Page {
            entity: page.entity,
            skip,
        });
        Ok(())
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Conversation for Base44Rows {
    type Output = Result<Vec<EntityRows>, RowsError>;

    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        self.pool
            .poll_transmit(now_ms)
            .into_iter()
            .map(|(id, page)| {
                Outgoing::new(id, Request::get(self.url(page)).bearer(&self.config.token))
            })
            .collect()
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        if self.error.is_some() {
            return;
        }
        let result = match self.pool.handle(id, outcome, now_ms) {
            PoolEvent::Done(page, response) if response.is_success() => {
                self.pages += 1;
                self.on_page(page, response)
            }
            PoolEvent::Done(page, response) => Err(RemoteError::from_outcome(
                SERVICE,
                &self.what(page),
                &Outcome::Response(response),
            )
            .into()),
            PoolEvent::Failed(page, outcome) => {
                Err(RemoteError::from_outcome(SERVICE, &self.what(page), &outcome).into())
            }
            PoolEvent::Retrying | PoolEvent::Unknown => Ok(()),
        };
        if let Err(error) = result {
            self.stop(error);
        }
    }

    fn next_wakeup(&self) -> Option<u64> {
        self.pool.next_wakeup()
    }

    fn progress(&self) -> Progress {
        let open = self.entities.iter().filter(|e| !e.done).count() as u64;
        Progress {
            done: self.pages,
            total: self.pages + open,
        }
    }

    fn is_finished(&self) -> bool {
        self.error.is_some() || self.pool.is_idle()
    }

    fn finish(self) -> Self::Output {
        if let Some(error) = self.error {
            return Err(error);
        }
        Ok(self
            .config
            .entities
            .into_iter()
            .zip(self.entities)
            .map(|(entity, state)| EntityRows {
                entity,
                rows: state.rows,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests;
