//! Fetching a Lovable project through its API (`../shared/brief/builders.md`): first the
//! one-request `source-code` endpoint; when that is absent or refused, the `git/files`
//! listing and then each `git/file`, a few at a time, with retries.

use serde::Deserialize;

use crate::capture::{Capture, CaptureError, Options};
use crate::net::{
    encode_component, join_url, Conversation, Outcome, Outgoing, Phase, Pool, PoolEvent, Progress,
    RemoteError, Request, RequestId, Response, RetryPolicy,
};
use crate::path::ProjectPath;
use crate::tree::FileEntry;

use super::source_code::parse_source_code;

const SERVICE: &str = "Lovable";

/// Where and how to fetch one project.
#[derive(Clone)]
pub struct LovableConfig {
    /// The project's id (the uuid in `lovable.dev/projects/<id>`).
    pub project_id: String,
    /// The session's bearer token. Only ever sent to the two API origins below.
    pub token: String,
    /// Origin of the `source-code` endpoint.
    pub source_api: String,
    /// Origin of the `git/files` and `git/file` endpoints.
    pub git_api: String,
    /// The git ref to read.
    pub git_ref: String,
    /// Requests in flight at once.
    pub concurrency: usize,
    pub retry: RetryPolicy,
    pub options: Options,
}

impl LovableConfig {
    /// Lovable's public origins, `main`, 8 at a time, default retries.
    pub fn new(project_id: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            token: token.into(),
            source_api: "https://lovable-api.com".into(),
            git_api: "https://api.lovable.dev".into(),
            git_ref: "main".into(),
            concurrency: 8,
            retry: RetryPolicy::default(),
            options: Options::default(),
        }
    }

    /// Points both endpoints at one origin (`--api`, tests).
    pub fn with_api(mut self, origin: &str) -> Self {
        self.source_api = origin.into();
        self.git_api = origin.into();
        self
    }
}

/// One request of the conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Job {
    SourceCode,
    Listing,
    File(String),
}

#[derive(Debug, Deserialize)]
struct Listing {
    files: Vec<ListedFile>,
}

#[derive(Debug, Deserialize)]
struct ListedFile {
    path: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

/// The conversation that fetches one Lovable project.
pub struct LovableExport {
    config: LovableConfig,
    pool: Pool<Job>,
    files: Vec<(String, FileEntry)>,
    skipped: Vec<(String, String)>,
    bytes: u64,
    /// Files fetched of files known.
    progress: Progress,
    /// Until the files are known: the `source-code` download, then the listing.
    phase: Option<Phase>,
    error: Option<CaptureError>,
    finished: bool,
}

/// Project ids go into URL paths: letters, digits and `-` only.
pub(super) fn valid_project_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl LovableExport {
    /// Starts with the `source-code` request.
    pub fn new(config: LovableConfig) -> Result<Self, CaptureError> {
        if !valid_project_id(&config.project_id) {
            return Err(CaptureError::BadId {
                builder: SERVICE,
                id: config.project_id.clone(),
            });
        }
        let mut pool = Pool::new(config.concurrency, config.retry);
        pool.push(Job::SourceCode);
        Ok(Self {
            config,
            pool,
            files: Vec::new(),
            skipped: Vec::new(),
            bytes: 0,
            progress: Progress::default(),
            phase: Some(Phase::Download),
            error: None,
            finished: false,
        })
    }

    fn request(&self, job: &Job) -> Request {
        let c = &self.config;
        let project = &c.project_id;
        let reference = encode_component(&c.git_ref);
        let url = match job {
            Job::SourceCode => join_url(&c.source_api, &format!("projects/{project}/source-code")),
            Job::Listing => join_url(
                &c.git_api,
                &format!("projects/{project}/git/files?ref={reference}"),
            ),
            Job::File(path) => join_url(
                &c.git_api,
                &format!(
                    "projects/{project}/git/file?path={}&ref={reference}",
                    encode_component(path)
                ),
            ),
        };
        Request::get(url).bearer(&c.token)
    }

    fn fail(&mut self, error: CaptureError) {
        self.error = Some(error);
        self.pool.clear();
        self.finished = true;
    }

    fn on_source_code(&mut self, response: Response) {
        if response.status == 401 {
            return self.fail(RemoteError::BadToken { service: SERVICE }.into());
        }
        if response.is_success() {
            if let Ok((files, skipped)) = parse_source_code("source-code", &response.body) {
                self.progress = Progress {
                    done: files.len() as u64,
                    total: files.len() as u64,
                };
                self.files = files;
                self.skipped = skipped;
                self.phase = None;
                self.finished = true;
                return;
            }
        }
        // Absent, refused or of another shape: the per-file endpoints still work.
        self.start_listing();
    }

    fn start_listing(&mut self) {
        self.pool.push(Job::Listing);
        self.phase = Some(Phase::Listing);
    }

    fn on_listing(&mut self, response: Response) {
        if !response.is_success() {
            let what = format!("project {}", self.config.project_id);
            let outcome = Outcome::Response(response);
            return self.fail(RemoteError::from_outcome(SERVICE, &what, &outcome).into());
        }
        let listing: Listing = match serde_json::from_slice(&response.body) {
            Ok(listing) => listing,
            Err(e) => {
                return self.fail(
                    RemoteError::Malformed {
                        service: SERVICE,
                        what: "the file listing".into(),
                        detail: e.to_string(),
                    }
                    .into(),
                )
            }
        };
        let max_entries = self.config.options.limits.max_entries;
        if listing.files.len() > max_entries {
            return self.fail(CaptureError::TooManyFiles {
                name: format!("Lovable project {}", self.config.project_id),
                max: max_entries,
            });
        }
        let mut queued = std::collections::HashSet::new();
        for file in listing.files {
            if matches!(file.kind.as_deref(), Some("dir" | "directory" | "tree")) {
                continue;
            }
            // Validate before asking: a hostile listing gets no request for `../x`.
            match ProjectPath::parse(&file.path) {
                Ok(path) if queued.insert(path.clone()) => {
                    self.pool.push(Job::File(path.as_str().to_string()))
                }
                Ok(_) => self
                    .skipped
                    .push((file.path, "listed twice by Lovable".into())),
                Err(why) => self.skipped.push((file.path, why.to_string())),
            }
        }
        self.progress = Progress {
            done: 0,
            total: queued.len() as u64,
        };
        self.phase = None;
        if queued.is_empty() {
            self.finished = true;
        }
    }

    fn on_file(&mut self, path: String, response: Response) {
        match response.status {
            200..=299 => {
                self.bytes += response.body.len() as u64;
                let max = self.config.options.limits.max_total_bytes;
                if self.bytes > max {
                    return self.fail(CaptureError::TooLarge {
                        name: format!("Lovable project {}", self.config.project_id),
                        max,
                    });
                }
                self.files.push((path, FileEntry::new(response.body)));
            }
            404 => self
                .skipped
                .push((path, "listed by Lovable but not found when fetched".into())),
            _ => {
                let outcome = Outcome::Response(response);
                return self.fail(RemoteError::from_outcome(SERVICE, &path, &outcome).into());
            }
        }
        self.progress.done += 1;
        if self.pool.is_idle() {
            self.finished = true;
        }
    }
}

impl Conversation for LovableExport {
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
            PoolEvent::Done(Job::SourceCode, response) => self.on_source_code(response),
            PoolEvent::Failed(Job::SourceCode, _) => self.start_listing(),
            PoolEvent::Done(Job::Listing, response) => self.on_listing(response),
            PoolEvent::Done(Job::File(path), response) => self.on_file(path, response),
            PoolEvent::Failed(job, outcome) => {
                let what = match job {
                    Job::File(path) => path,
                    _ => "the file listing".into(),
                };
                self.fail(RemoteError::from_outcome(SERVICE, &what, &outcome).into());
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
        super::capture_project(
            &self.config.project_id,
            self.files,
            self.skipped,
            &self.config.options,
        )
    }
}

#[cfg(test)]
mod tests;
