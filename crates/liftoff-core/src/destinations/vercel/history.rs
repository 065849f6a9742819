//! A project's production deployments (`GET /v6/deployments?projectId=…&target=production`)
//! and rolling production back to one of them (`POST /v9/projects/{id}/rollback/{deploymentId}`:
//! no rebuild, so it takes seconds).

use serde_json::Value;

use crate::net::{
    encode_component, Conversation, Method, Outcome, Outgoing, Pool, PoolEvent, Progress,
    RemoteError, Request, RequestId, Response,
};

use super::{check_name, remote_error, VercelConfig, SERVICE};
use crate::deploy::{earlier_ready, steps_driving, DeployError, Deployment, HistoryEntry};

/// How many production deployments one listing asks for (Vercel's maximum).
const PAGE: u32 = 100;
/// Pages read at most: the newest thousand deployments.
const MAX_PAGES: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Job {
    Project,
    /// A page of the listing: the first, or those created before `until` (epoch ms).
    List(Option<u64>),
    Rollback(String),
    /// Forward to a newer deployment (after a rollback): a promotion, which also turns Vercel's
    /// automatic production assignment back on.
    Promote(String),
    Status(String),
}

/// The steps both conversations share: the project, then its production deployments.
struct Steps {
    config: VercelConfig,
    pool: Pool<Job>,
    project_id: Option<String>,
    /// `targets.production.id` of the project, when Vercel says.
    current: Option<String>,
    /// The deployments of the pages read so far.
    listed: Vec<Value>,
    pages: u32,
    progress: Progress,
    error: Option<DeployError>,
    finished: bool,
}

impl Steps {
    fn new(config: VercelConfig, total: u64) -> Result<Self, DeployError> {
        check_name(&config.project).map_err(|why| DeployError::BadName {
            service: SERVICE,
            what: format!("project {:?}", config.project),
            why,
        })?;
        let mut pool = Pool::new(1, config.retry);
        pool.push(Job::Project);
        Ok(Self {
            config,
            pool,
            project_id: None,
            current: None,
            listed: Vec::new(),
            pages: 0,
            progress: Progress { done: 0, total },
            error: None,
            finished: false,
        })
    }

    fn request(&self, job: &Job) -> Request {
        let c = &self.config;
        let project = encode_component(self.project_id.as_deref().unwrap_or(&c.project));
        let (method, path) = match job {
            Job::Project => (Method::Get, format!("v9/projects/{project}")),
            Job::List(until) => (
                Method::Get,
                format!(
                    "v6/deployments?projectId={project}&target=production&limit={PAGE}{}",
                    until.map(|u| format!("&until={u}")).unwrap_or_default()
                ),
            ),
            Job::Rollback(id) => (
                Method::Post,
                format!("v9/projects/{project}/rollback/{}", encode_component(id)),
            ),
            Job::Promote(id) => (
                Method::Post,
                format!("v10/projects/{project}/promote/{}", encode_component(id)),
            ),
            Job::Status(id) => (
                Method::Get,
                format!("v13/deployments/{}", encode_component(id)),
            ),
        };
        Request {
            method,
            url: c.url(&path),
            headers: Vec::new(),
            body: Vec::new(),
        }
        .bearer(&c.token)
    }

    fn fail(&mut self, error: DeployError) {
        self.error = Some(error);
        self.pool.clear();
        self.finished = true;
    }

    fn what(&self, job: &Job) -> String {
        match job {
            Job::Project => format!("project {}", self.config.project),
            Job::List(_) => format!("the deployments of {}", self.config.project),
            Job::Rollback(id) => format!("the rollback to {id}"),
            Job::Promote(id) => format!("the promotion of {id} to production"),
            Job::Status(id) => format!("deployment {id}"),
        }
    }

    /// The JSON of a successful answer to `job`, or the error recorded.
    fn json(&mut self, job: &Job, response: Response) -> Option<Value> {
        let what = self.what(job);
        if !response.is_success() {
            self.fail(remote_error(&what, &Outcome::Response(response)));
            return None;
        }
        self.progress.done += 1;
        match serde_json::from_slice(&response.body) {
            Ok(value) => Some(value),
            Err(e) => {
                self.fail(malformed(&what, e.to_string()));
                None
            }
        }
    }

    fn on_project(&mut self, value: &Value) -> bool {
        let Some(id) = value.get("id").and_then(Value::as_str) else {
            let what = self.what(&Job::Project);
            self.fail(malformed(&what, "no id".into()));
            return false;
        };
        self.project_id = Some(id.to_string());
        self.current = value
            .pointer("/targets/production/id")
            .and_then(Value::as_str)
            .map(str::to_string);
        true
    }

    /// Takes one page of the listing: asks for the next (`pagination.next`, passed back as
    /// `until`) and returns `None`, or returns every deployment listed, newest first.
    fn on_list(&mut self, value: &Value) -> Option<Vec<HistoryEntry>> {
        let page = value.get("deployments").and_then(Value::as_array);
        let got = page.map_or(0, Vec::len);
        self.listed.extend(page.into_iter().flatten().cloned());
        self.pages += 1;
        let next = value.pointer("/pagination/next").and_then(Value::as_u64);
        match next {
            Some(until) if got > 0 && self.pages < MAX_PAGES => {
                self.progress.total += 1;
                self.pool.push(Job::List(Some(until)));
                None
            }
            _ => Some(self.entries()),
        }
    }

    /// The listing, newest first, with the production one marked.
    fn entries(&self) -> Vec<HistoryEntry> {
        let list = &self.listed;
        let text = |d: &Value, keys: &[&str]| {
            keys.iter()
                .find_map(|k| d.get(*k).and_then(Value::as_str))
                .unwrap_or_default()
                .to_string()
        };
        let mut entries: Vec<HistoryEntry> = list
            .iter()
            .map(|d| HistoryEntry {
                id: text(d, &["uid", "id"]),
                url: https(&text(d, &["url"])),
                state: text(d, &["state", "readyState"]),
                created: ["created", "createdAt"]
                    .iter()
                    .find_map(|k| d.get(*k).and_then(Value::as_u64))
                    .unwrap_or(0),
                production: false,
            })
            .filter(|e| !e.id.is_empty())
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.created));
        let current = self.current.clone().or_else(|| {
            entries
                .iter()
                .find(|e| e.state == "READY")
                .map(|e| e.id.clone())
        });
        for entry in &mut entries {
            entry.production = Some(&entry.id) == current.as_ref();
        }
        entries
    }

    fn poll(&mut self, now_ms: u64) -> Vec<Outgoing> {
        if self.finished {
            return Vec::new();
        }
        let due = self.pool.poll_transmit(now_ms);
        due.into_iter()
            .map(|(id, job)| Outgoing::new(id, self.request(&job)))
            .collect()
    }

    /// The job and the JSON of its answer, when there is one to act on.
    fn take(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) -> Option<(Job, Value)> {
        if self.finished {
            return None;
        }
        match self.pool.handle(id, outcome, now_ms) {
            PoolEvent::Done(job, response) => {
                let value = self.json(&job, response)?;
                Some((job, value))
            }
            PoolEvent::Failed(job, outcome) => {
                let what = self.what(&job);
                self.fail(remote_error(&what, &outcome));
                None
            }
            PoolEvent::Retrying | PoolEvent::Unknown => None,
        }
    }
}

fn https(url: &str) -> String {
    if url.is_empty() || url.contains("://") {
        url.to_string()
    } else {
        format!("https://{url}")
    }
}

fn malformed(what: &str, detail: String) -> DeployError {
    RemoteError::Malformed {
        service: SERVICE,
        what: what.into(),
        detail,
    }
    .into()
}

/// Lists a project's production deployments, newest first.
pub struct VercelHistory {
    steps: Steps,
    entries: Vec<HistoryEntry>,
}

impl VercelHistory {
    pub fn new(config: VercelConfig) -> Result<Self, DeployError> {
        Ok(Self {
            steps: Steps::new(config, 2)?,
            entries: Vec::new(),
        })
    }
}

impl Conversation for VercelHistory {
    type Output = Result<Vec<HistoryEntry>, DeployError>;

    steps_driving!();

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        let Some((job, value)) = self.steps.take(id, outcome, now_ms) else {
            return;
        };
        match job {
            Job::Project => {
                if self.steps.on_project(&value) {
                    self.steps.pool.push(Job::List(None));
                }
            }
            _ => {
                if let Some(entries) = self.steps.on_list(&value) {
                    self.entries = entries;
                    self.steps.finished = true;
                }
            }
        }
    }

    fn finish(self) -> Self::Output {
        match self.steps.error {
            Some(error) => Err(error),
            None => Ok(self.entries),
        }
    }
}

/// Puts an earlier deployment back in production: the one given, or without one the
/// production deployment before the current one. A given deployment newer than the live one
/// (going forward again after a rollback) is promoted instead, as Vercel wants.
pub struct VercelRollback {
    steps: Steps,
    target: Option<String>,
    result: Option<Deployment>,
}

impl VercelRollback {
    pub fn new(config: VercelConfig, deployment: Option<String>) -> Result<Self, DeployError> {
        Ok(Self {
            steps: Steps::new(config, 4)?,
            target: deployment,
            result: None,
        })
    }
}

impl Conversation for VercelRollback {
    type Output = Result<Deployment, DeployError>;

    steps_driving!();

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        let Some((job, value)) = self.steps.take(id, outcome, now_ms) else {
            return;
        };
        match job {
            Job::Project => {
                if !self.steps.on_project(&value) {
                    return;
                }
                // The listing says whether the target is older (a rollback) or newer (a
                // promotion) than the deployment in production.
                self.steps.pool.push(Job::List(None));
            }
            Job::List(_) => {
                let Some(entries) = self.steps.on_list(&value) else {
                    return;
                };
                let current = entries.iter().position(|e| e.production);
                if let Some(target) = self.target.clone() {
                    let newer = match (current, entries.iter().position(|e| e.id == target)) {
                        (Some(live), Some(at)) => at < live,
                        _ => false,
                    };
                    let job = if newer {
                        Job::Promote(target)
                    } else {
                        Job::Rollback(target)
                    };
                    return self.steps.pool.push(job);
                }
                let earlier = earlier_ready(&entries, "READY");
                match earlier {
                    Some(id) => {
                        self.target = Some(id.clone());
                        self.steps.pool.push(Job::Rollback(id));
                    }
                    None => self.steps.fail(DeployError::NothingToRollBackTo {
                        service: SERVICE,
                        project: self.steps.config.project.clone(),
                    }),
                }
            }
            Job::Rollback(id) | Job::Promote(id) => self.steps.pool.push(Job::Status(id)),
            Job::Status(id) => {
                let state = ["readyState", "state"]
                    .iter()
                    .find_map(|k| value.get(*k).and_then(Value::as_str))
                    .unwrap_or("READY");
                let url = value.get("url").and_then(Value::as_str).unwrap_or_default();
                self.result = Some(Deployment {
                    id,
                    url: https(url),
                    state: state.to_string(),
                });
                self.steps.finished = true;
            }
        }
    }

    fn finish(self) -> Self::Output {
        if let Some(error) = self.steps.error {
            return Err(error);
        }
        self.result
            .ok_or_else(|| malformed("the rollback", "finished without a result".into()))
    }
}

#[cfg(test)]
mod tests;
