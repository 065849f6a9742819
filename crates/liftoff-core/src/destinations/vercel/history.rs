//! A project's production deployments (`GET /v6/deployments?projectId=…&target=production`,
//! previews among them: staged ones), rolling production back to one of them
//! (`POST /v9/projects/{id}/rollback/{deploymentId}`: no rebuild, so it takes seconds), and
//! promoting a preview (`POST /v10/projects/{id}/promote/{deploymentId}`, followed until the
//! project says production switched: Vercel answers 201 or 202 and moves the domains in the
//! background, its `lastAliasRequest` telling how that went).

use serde_json::Value;

use crate::net::{
    encode_component, Conversation, Method, Outcome, Outgoing, Pool, PoolEvent, Progress,
    RemoteError, Request, RequestId, Response,
};

use super::{check_name, remote_error, VercelConfig, PREVIEW_KEY, SERVICE};
use crate::deploy::{
    earlier_ready, steps_driving, DeployError, Deployment, HistoryEntry, Promoted, StatusPoll,
    TimedOut,
};

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
    /// After a promotion: has production switched?
    Check,
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
    /// After a promotion or rollback was accepted: when the project is read again.
    checks: StatusPoll,
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
            checks: StatusPoll::new(switch_timing(config.polling)),
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
            Job::Project | Job::Check => (Method::Get, format!("v9/projects/{project}")),
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
            Job::Project | Job::Check => format!("project {}", self.config.project),
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
            // Vercel documents no body for a rollback's or a promotion's 201/202.
            Err(_) if matches!(job, Job::Rollback(_) | Job::Promote(_)) => Some(Value::Null),
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
                preview: staged(d),
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
            entry.preview &= !entry.production;
        }
        entries
    }

    fn next_wakeup(&self) -> Option<u64> {
        if self.finished {
            return None;
        }
        self.checks.next_wakeup(self.pool.next_wakeup())
    }

    /// Production is being switched: read the project until it says how that went.
    fn follow_switch(&mut self, now_ms: u64) {
        self.checks.start(now_ms);
        self.pool.push(Job::Check);
    }

    fn poll(&mut self, now_ms: u64) -> Vec<Outgoing> {
        if self.finished {
            return Vec::new();
        }
        if self.checks.take_due(now_ms) {
            self.pool.push(Job::Check);
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

/// Whether a listed deployment is a preview that never went live: Vercel's `readySubstate`
/// `STAGED` says so; a listing without it falls back on Liftoff's own `meta` mark.
fn staged(d: &Value) -> bool {
    match d.get("readySubstate").and_then(Value::as_str) {
        Some(substate) => substate == "STAGED",
        None => {
            d.pointer(&format!("/meta/{PREVIEW_KEY}"))
                .and_then(Value::as_str)
                == Some("1")
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
            steps: Steps::new(config, 5)?,
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
            // Accepted: the domains move in the background; follow the project.
            Job::Rollback(_) | Job::Promote(_) => self.steps.follow_switch(now_ms),
            Job::Check => {
                let target = self.target.clone().unwrap_or_default();
                let failed = |message| DeployError::PromoteFailed {
                    service: SERVICE,
                    id: target.clone(),
                    live: self
                        .steps
                        .current
                        .clone()
                        .unwrap_or_else(|| "what it served".into()),
                    message,
                };
                match switched(&value, &target) {
                    Switch::Done => self.steps.pool.push(Job::Status(target.clone())),
                    Switch::Failed(message) => self.steps.fail(failed(message)),
                    Switch::Pending => {
                        self.steps.progress.total += 1;
                        if let Err(message) = wait_again(&mut self.steps.checks, now_ms) {
                            self.steps.fail(failed(message));
                        }
                    }
                }
            }
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

/// Makes a deployment production without a rebuild: the project first (promoting the live
/// one sends nothing more), the deployment (of this project, `READY`, built for production: a
/// preview built with preview settings is refused before anything changes), the promotion,
/// then the project until production is the deployment, the alias job failed, or time ran out.
pub struct VercelPromote {
    steps: Steps,
    target: String,
    /// Production already served the target when the project was read.
    already: bool,
    /// The target as `GET /v13/deployments` showed it.
    deployment: Option<Deployment>,
    /// Production when the project was first read: what a failed promotion leaves.
    live: String,
    result: Option<Promoted>,
}

impl VercelPromote {
    pub fn new(config: VercelConfig, deployment: String) -> Result<Self, DeployError> {
        Ok(Self {
            steps: Steps::new(config, 4)?,
            target: deployment,
            already: false,
            deployment: None,
            live: String::new(),
            result: None,
        })
    }

    fn refuse(&mut self, why: String) {
        self.steps.fail(DeployError::NotPromotable {
            service: SERVICE,
            id: self.target.clone(),
            why,
        });
    }

    fn failed(&mut self, message: String) {
        self.steps.fail(DeployError::PromoteFailed {
            service: SERVICE,
            id: self.target.clone(),
            live: if self.live.is_empty() {
                "what it served".into()
            } else {
                self.live.clone()
            },
            message,
        });
    }

    /// The target as the deployment's own answer describes it; refuses what cannot be promoted.
    fn on_status(&mut self, value: &Value) {
        let text = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| value.get(*k).and_then(Value::as_str))
                .unwrap_or_default()
                .to_string()
        };
        let state = text(&["readyState", "state"]);
        let deployment = Deployment {
            id: self.target.clone(),
            url: https(&text(&["url"])),
            state: if state.is_empty() {
                "READY".into()
            } else {
                state.clone()
            },
        };
        if self.already {
            self.result = Some(Promoted {
                deployment,
                changed: false,
            });
            self.steps.finished = true;
            return;
        }
        let project = text(&["projectId"]);
        if !project.is_empty() && Some(&project) != self.steps.project_id.as_ref() {
            return self.refuse(format!(
                "it belongs to another project than {}",
                self.steps.config.project
            ));
        }
        if !state.is_empty() && state != "READY" {
            return self.refuse(format!("it is {state}, not READY"));
        }
        // `target` null (or another word) is a preview built with preview settings and
        // variables: Vercel would build it again (`vercel promote` says so and creates a new
        // deployment). Absent altogether, nothing says so: the promotion is tried and checked.
        if let Some(target) = value.get("target") {
            if target.as_str() != Some("production") {
                return self.refuse(
                    "it is a preview built with preview settings, which Vercel promotes only by                      building it again; deploy with `--preview` (a staged production build) or                      to production instead"
                        .into(),
                );
            }
        }
        self.deployment = Some(deployment);
        self.steps.pool.push(Job::Promote(self.target.clone()));
    }

    /// After the promotion: production switched, the alias job failed, or look again later.
    fn on_check(&mut self, value: &Value, now_ms: u64) {
        let switch = switched(value, &self.target);
        if switch == Switch::Done {
            let deployment = self.deployment.clone().unwrap_or_else(|| Deployment {
                id: self.target.clone(),
                url: String::new(),
                state: "READY".into(),
            });
            self.result = Some(Promoted {
                deployment,
                changed: true,
            });
            self.steps.finished = true;
            return;
        }
        if let Switch::Failed(message) = switch {
            return self.failed(message);
        }
        self.steps.progress.total += 1;
        if let Err(message) = wait_again(&mut self.steps.checks, now_ms) {
            self.failed(message);
        }
    }
}

/// Where production stands after a promotion or rollback was accepted (Vercel moves the
/// domains in the background).
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Switch {
    /// `targets.production` is the deployment.
    Done,
    /// The alias job for it failed, was skipped, or finished with production elsewhere.
    Failed(String),
    /// Not yet: look again.
    Pending,
}

/// Reads a project's answer for the switch to `target`.
pub(super) fn switched(project: &Value, target: &str) -> Switch {
    let production = project
        .pointer("/targets/production/id")
        .and_then(Value::as_str);
    if production == Some(target) {
        return Switch::Done;
    }
    let job = project
        .get("lastAliasRequest")
        .filter(|j| j.get("toDeploymentId").and_then(Value::as_str) == Some(target));
    let status = job
        .and_then(|j| j.get("jobStatus"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    match status {
        "failed" => Switch::Failed("Vercel's alias job failed".into()),
        "skipped" => Switch::Failed("Vercel skipped it".into()),
        // Succeeded while production names another deployment: something else moved it.
        "succeeded" => Switch::Failed(format!(
            "Vercel finished it, but production is {}",
            production.unwrap_or("no deployment")
        )),
        _ => Switch::Pending,
    }
}

/// Schedules the next look at the project, or says how long it has been.
pub(super) fn wait_again(checks: &mut StatusPoll, now_ms: u64) -> Result<(), String> {
    checks.schedule(now_ms).map_err(|TimedOut { minutes }| {
        format!(
            "production had not switched after {}",
            crate::text::count(minutes, "minute", "minutes")
        )
    })
}

/// Three minutes for the domains to move, as `vercel promote` waits.
pub(super) fn switch_timing(polling: crate::deploy::PollTiming) -> crate::deploy::PollTiming {
    crate::deploy::PollTiming {
        timeout_ms: polling.timeout_ms.min(3 * 60 * 1000),
        ..polling
    }
}

impl Conversation for VercelPromote {
    type Output = Result<Promoted, DeployError>;

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
                self.live = self.steps.current.clone().unwrap_or_default();
                self.already = self.steps.current.as_deref() == Some(self.target.as_str());
                self.steps.pool.push(Job::Status(self.target.clone()));
            }
            Job::Status(_) => self.on_status(&value),
            Job::Promote(_) => self.steps.follow_switch(now_ms),
            Job::Check => self.on_check(&value, now_ms),
            Job::List(_) | Job::Rollback(_) => {}
        }
    }

    fn finish(self) -> Self::Output {
        if let Some(error) = self.steps.error {
            return Err(error);
        }
        self.result
            .ok_or_else(|| malformed("the promotion", "finished without a result".into()))
    }
}

#[cfg(test)]
mod tests;
