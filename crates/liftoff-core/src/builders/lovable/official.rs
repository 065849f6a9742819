//! Fetching a Lovable project through Lovable's official, documented API (preview) with a
//! workspace API key (`lov_…`).
//!
//! What the documentation says (docs.lovable.dev, `api-reference/introduction` and
//! `api-reference/projects/get-project`): the base URL is `https://api.lovable.dev`, endpoints
//! sit under `/v1`; the key goes in `Lovable-API-Key`; `Lovable-Version: 2026-09-11` pins the
//! version; the `public:v1` endpoints answer `application/json`; list endpoints page with a
//! cursor (`pagination.next_cursor`, `has_more`); errors are `{status, title, type, detail,
//! errors, request_id}`; `GET /v1/projects/{id}` answers `latest_commit_sha`, `preview_url`,
//! `workspace_id`, … ; 429 comes with `Retry-After`.
//!
//! Where the pages Liftoff could read are silent (the file and database endpoints, which the
//! SDK `@lovable.dev/sdk` exposes as `listFiles(projectId, ref)`, `readFile(projectId, path,
//! ref)` and `getDatabaseStatus(projectId)`), this module asks
//! `GET /v1/projects/{id}/files?ref=<sha>`, `GET /v1/projects/{id}/files/<path>?ref=<sha>` and
//! `GET /v1/projects/{id}/database`, and reads every answer shape those may take: a listing as
//! `{files: […]}`, `{data: […]}` or a bare array, of paths or `{path, type, binary, …}`; a file
//! as a JSON envelope `{content, encoding}` (base64 for binaries; also under `file` or `data`)
//! or as raw bytes when the answer is not JSON; a database status naming its provider in
//! `provider`, `type`, `kind`, `managed_by` or `is_lovable_cloud`.
//!
//! One snapshot: the project is read first and every file is read at its `latest_commit_sha`,
//! so a change made in Lovable during the export cannot mix two versions.

use serde_json::Value;

use crate::b64::{self, Alphabet};
use crate::capture::{Capture, CaptureError, Options};
use crate::net::{
    encode_component, header, join_url, Conversation, Outcome, Outgoing, Phase, Pool, PoolEvent,
    Progress, RemoteError, Request, RequestId, Response, RetryPolicy,
};
use crate::path::ProjectPath;
use crate::report::Backend;
use crate::tree::FileEntry;

const SERVICE: &str = "Lovable";

/// The API version Liftoff speaks (`Lovable-Version`).
pub const API_VERSION: &str = "2026-09-11";

/// Where and how to fetch one project with an API key.
#[derive(Clone)]
pub struct LovableApiConfig {
    /// The project's id.
    pub project_id: String,
    /// The workspace API key (`lov_…`); only ever sent to `api`.
    pub key: String,
    /// Origin of the API (`https://api.lovable.dev`).
    pub api: String,
    /// Requests in flight at once.
    pub concurrency: usize,
    pub retry: RetryPolicy,
    pub options: Options,
}

impl LovableApiConfig {
    /// Lovable's origin, 8 at a time, default retries.
    pub fn new(project_id: impl Into<String>, key: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            key: key.into(),
            api: "https://api.lovable.dev".into(),
            concurrency: 8,
            retry: RetryPolicy::default(),
            options: Options::default(),
        }
    }
}

/// One request of the conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Job {
    Project,
    Database,
    Listing(Option<String>),
    File(String),
}

/// The conversation that fetches one Lovable project through the official API.
pub struct LovableApiExport {
    config: LovableApiConfig,
    pool: Pool<Job>,
    /// The commit every read is pinned to, once the project is read.
    commit: Option<String>,
    queued: std::collections::HashSet<ProjectPath>,
    listing_done: bool,
    files: Vec<(String, FileEntry)>,
    skipped: Vec<(String, String)>,
    bytes: u64,
    backend: Option<Backend>,
    progress: Progress,
    phase: Option<Phase>,
    error: Option<CaptureError>,
    finished: bool,
}

impl LovableApiExport {
    /// Starts with the project and its database status.
    pub fn new(config: LovableApiConfig) -> Result<Self, CaptureError> {
        if !super::api::valid_project_id(&config.project_id) {
            return Err(CaptureError::BadId {
                builder: SERVICE,
                id: config.project_id.clone(),
            });
        }
        let mut pool = Pool::new(config.concurrency, config.retry);
        pool.push(Job::Project);
        pool.push(Job::Database);
        Ok(Self {
            config,
            pool,
            commit: None,
            queued: Default::default(),
            listing_done: false,
            files: Vec::new(),
            skipped: Vec::new(),
            bytes: 0,
            backend: None,
            progress: Progress::default(),
            phase: Some(Phase::Listing),
            error: None,
            finished: false,
        })
    }

    fn request(&self, job: &Job) -> Request {
        let c = &self.config;
        let project = format!("v1/projects/{}", c.project_id);
        let at = || encode_component(self.commit.as_deref().unwrap_or_default());
        let path = match job {
            Job::Project => project,
            Job::Database => format!("{project}/database"),
            Job::Listing(None) => format!("{project}/files?ref={}", at()),
            Job::Listing(Some(cursor)) => format!(
                "{project}/files?ref={}&cursor={}",
                at(),
                encode_component(cursor)
            ),
            Job::File(file) => {
                let segments: Vec<String> = file.split('/').map(encode_component).collect();
                format!("{project}/files/{}?ref={}", segments.join("/"), at())
            }
        };
        Request::get(join_url(&c.api, &path))
            .with_header("lovable-api-key", c.key.clone())
            .with_header("lovable-version", API_VERSION)
            .with_header(header::ACCEPT, "application/json")
    }

    fn fail(&mut self, error: CaptureError) {
        self.error = Some(error);
        self.pool.clear();
        self.finished = true;
    }

    /// The error for a final answer that is not a success: a refused key named as such.
    fn refused(&mut self, what: &str, outcome: Outcome) {
        let error = match &outcome {
            Outcome::Response(r) if r.status == 401 => RemoteError::KeyRefused { service: SERVICE },
            _ => RemoteError::from_outcome(SERVICE, what, &outcome),
        };
        self.fail(error.into());
    }

    fn malformed(&mut self, what: &str, detail: impl Into<String>) {
        self.fail(
            RemoteError::Malformed {
                service: SERVICE,
                what: what.into(),
                detail: detail.into(),
            }
            .into(),
        );
    }

    fn on_project(&mut self, response: Response) {
        let what = format!("project {}", self.config.project_id);
        if !response.is_success() {
            return self.refused(&what, Outcome::Response(response));
        }
        let sha = serde_json::from_slice::<Value>(&response.body)
            .ok()
            .and_then(|v| {
                let v = v
                    .get("data")
                    .filter(|d| d.is_object())
                    .unwrap_or(&v)
                    .clone();
                v.get("latest_commit_sha")?.as_str().map(str::to_string)
            })
            .filter(|s| !s.is_empty() && s.len() <= 100 && s.bytes().all(|b| b.is_ascii_graphic()));
        match sha {
            Some(sha) => {
                self.commit = Some(sha);
                self.pool.push(Job::Listing(None));
            }
            None => self.malformed(
                &what,
                "no latest_commit_sha: Liftoff cannot pin the export to one commit",
            ),
        }
    }

    /// The database status: whether the backend is Lovable Cloud. Never fails the export.
    fn on_database(&mut self, response: Response) {
        if !response.is_success() {
            return;
        }
        if let Ok(value) = serde_json::from_slice::<Value>(&response.body) {
            self.backend = backend_of(&value);
        }
        self.check_done();
    }

    fn on_listing(&mut self, response: Response) {
        if !response.is_success() {
            return self.refused("the file listing", Outcome::Response(response));
        }
        let value: Value = match serde_json::from_slice(&response.body) {
            Ok(value) => value,
            Err(e) => return self.malformed("the file listing", e.to_string()),
        };
        let entries = value
            .as_array()
            .or_else(|| value.get("files").and_then(Value::as_array))
            .or_else(|| value.get("data").and_then(Value::as_array));
        let Some(entries) = entries else {
            return self.malformed("the file listing", "no list of files");
        };
        let max_entries = self.config.options.limits.max_entries;
        if self.queued.len() + entries.len() > max_entries {
            return self.fail(CaptureError::TooManyFiles {
                name: format!("Lovable project {}", self.config.project_id),
                max: max_entries,
            });
        }
        for entry in entries {
            let (path, kind) = match entry {
                Value::String(path) => (path.as_str(), None),
                Value::Object(o) => match o.get("path").and_then(Value::as_str) {
                    Some(path) => (path, o.get("type").and_then(Value::as_str)),
                    None => continue,
                },
                _ => continue,
            };
            if matches!(kind, Some("dir" | "directory" | "tree" | "folder")) {
                continue;
            }
            // Validated before asking: a hostile listing gets no request for `../x`.
            match ProjectPath::parse(path) {
                Ok(p) if self.queued.insert(p.clone()) => {
                    self.pool.push(Job::File(p.as_str().to_string()))
                }
                Ok(_) => self
                    .skipped
                    .push((path.into(), "listed twice by Lovable".into())),
                Err(why) => self.skipped.push((path.into(), why.to_string())),
            }
        }
        self.progress.total = self.queued.len() as u64;
        match next_cursor(&value) {
            Some(cursor) => self.pool.push(Job::Listing(Some(cursor))),
            None => {
                self.listing_done = true;
                self.phase = None;
            }
        }
        self.check_done();
    }

    fn on_file(&mut self, path: String, response: Response) {
        match response.status {
            200..=299 => match file_bytes(&response) {
                Ok(bytes) => {
                    self.bytes += bytes.len() as u64;
                    let max = self.config.options.limits.max_total_bytes;
                    if self.bytes > max {
                        return self.fail(CaptureError::TooLarge {
                            name: format!("Lovable project {}", self.config.project_id),
                            max,
                        });
                    }
                    self.files.push((path, FileEntry::new(bytes)));
                }
                Err(detail) => return self.malformed(&path, detail),
            },
            404 => self
                .skipped
                .push((path, "listed by Lovable but not found when read".into())),
            _ => return self.refused(&path, Outcome::Response(response)),
        }
        self.progress.done += 1;
        self.check_done();
    }

    fn check_done(&mut self) {
        if self.listing_done && self.pool.is_idle() {
            self.finished = true;
        }
    }
}

/// The next page's cursor: `pagination.next_cursor` (or a top-level `next_cursor`) while
/// `has_more` is not false.
fn next_cursor(value: &Value) -> Option<String> {
    let page = value.get("pagination").unwrap_or(value);
    let more = page
        .get("has_more")
        .or_else(|| value.get("has_more"))
        .and_then(Value::as_bool);
    if more == Some(false) {
        return None;
    }
    page.get("next_cursor")
        .or_else(|| value.get("next_cursor"))
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
}

/// A file's bytes: raw when the answer is not JSON; else the envelope's `content`, decoded
/// from base64 when `encoding` says so (or the file is marked binary).
fn file_bytes(response: &Response) -> Result<Vec<u8>, String> {
    let json = response
        .header(header::CONTENT_TYPE)
        .is_some_and(|t| t.to_ascii_lowercase().contains("json"));
    if !json {
        return Ok(response.body.clone());
    }
    let value: Value = serde_json::from_slice(&response.body).map_err(|e| e.to_string())?;
    let envelope = ["file", "data"]
        .iter()
        .filter_map(|k| value.get(*k))
        .find(|v| v.get("content").is_some())
        .unwrap_or(&value);
    let Some(content) = envelope.get("content").and_then(Value::as_str) else {
        return Err("no content in the file's answer".into());
    };
    let encoding = envelope
        .get("encoding")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let binary = ["binary", "is_binary"]
        .iter()
        .any(|k| envelope.get(*k).and_then(Value::as_bool) == Some(true));
    if encoding == "base64" || (binary && encoding.is_empty()) {
        let compact: String = content.split_ascii_whitespace().collect();
        b64::decode(compact, Alphabet::Standard).map_err(|e| format!("bad base64: {e}"))
    } else if encoding.is_empty() || encoding == "utf-8" || encoding == "utf8" {
        Ok(content.as_bytes().to_vec())
    } else {
        Err(format!("unknown encoding {encoding}"))
    }
}

/// The backend a database status names: Lovable Cloud, or a Supabase project of the
/// founder's own; `None` when the answer names neither (no database, or a shape not known).
fn backend_of(value: &Value) -> Option<Backend> {
    let value = value.get("data").filter(|d| d.is_object()).unwrap_or(value);
    let text = |key: &str| value.get(key).and_then(Value::as_str);
    if value.get("enabled").and_then(Value::as_bool) == Some(false) {
        return None;
    }
    let cloud_flag = ["is_lovable_cloud", "lovable_cloud", "managed"]
        .iter()
        .find_map(|k| value.get(*k).and_then(Value::as_bool));
    let provider = ["provider", "type", "kind", "managed_by", "backend"]
        .iter()
        .find_map(|k| text(k))
        .map(str::to_ascii_lowercase);
    let cloud = match (cloud_flag, provider.as_deref()) {
        (Some(flag), _) => flag,
        (None, Some(p)) if p.contains("lovable") || p.contains("cloud") => true,
        (None, Some(p)) if p.contains("supabase") => false,
        _ => return None,
    };
    let supabase_ref = ["supabase_project_ref", "project_ref", "ref", "supabase_ref"]
        .iter()
        .find_map(|k| text(k))
        .filter(|r| super::cloud::is_project_ref(r))
        .map(str::to_string);
    Some(Backend {
        kind: if cloud {
            Backend::LOVABLE_CLOUD
        } else {
            Backend::SUPABASE
        }
        .into(),
        supabase_ref,
        confirmed: true,
    })
}

impl Conversation for LovableApiExport {
    type Output = Result<Capture, CaptureError>;

    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        if self.finished {
            return Vec::new();
        }
        let due = self.pool.poll_transmit(now_ms);
        due.into_iter()
            .map(|(id, job)| Outgoing::new(id, self.request(&job)))
            .collect()
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        if self.finished {
            return;
        }
        match self.pool.handle(id, outcome, now_ms) {
            PoolEvent::Done(Job::Project, response) => self.on_project(response),
            PoolEvent::Done(Job::Database, response) => self.on_database(response),
            PoolEvent::Done(Job::Listing(_), response) => self.on_listing(response),
            PoolEvent::Done(Job::File(path), response) => self.on_file(path, response),
            // The database status only names the backend: without it the export goes on.
            PoolEvent::Failed(Job::Database, _) => self.check_done(),
            PoolEvent::Failed(job, outcome) => {
                let what = match job {
                    Job::File(path) => path,
                    Job::Project => format!("project {}", self.config.project_id),
                    _ => "the file listing".into(),
                };
                self.refused(&what, outcome);
            }
            PoolEvent::Retrying | PoolEvent::Unknown => {}
        }
    }

    fn next_wakeup(&self) -> Option<u64> {
        self.pool.next_wakeup()
    }

    fn progress(&self) -> Progress {
        self.progress
    }

    fn phase(&self) -> Option<Phase> {
        self.phase
    }

    fn is_finished(&self) -> bool {
        self.finished
    }

    fn finish(self) -> Result<Capture, CaptureError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let mut captured = super::capture_project(
            &self.config.project_id,
            self.files,
            self.skipped,
            &self.config.options,
        )?;
        captured.report.backend = self.backend;
        if let Some(commit) = &self.commit {
            captured.notes.push(format!(
                "read through Lovable's official API at commit {}",
                &commit[..commit.len().min(12)]
            ));
        }
        Ok(captured)
    }
}

#[cfg(test)]
mod tests;
