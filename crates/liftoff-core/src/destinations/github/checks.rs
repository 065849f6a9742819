//! The CI verdict of a pushed commit: its check runs (`GET /repos/{o}/{r}/commits/{sha}/
//! check-runs`) and its combined status (`GET …/commits/{sha}/status`), read together, once or
//! until they are over (every few seconds, then backing off; the workflow Liftoff's exports carry
//! reports as check runs). A commit nothing reports on is `none` after a quiet spell: a workflow
//! takes a few seconds to start, so "nothing yet" is not "nothing".

use serde::Serialize;
use serde_json::Value;

use super::api::{generic_error, SERVICE};
use super::error::PushError;
use super::names::parse_repository;
use crate::deploy::{PollTiming, StatusPoll};
use crate::net::{
    header, join_url, Conversation, Method, Outcome, Outgoing, Pool, PoolEvent, Progress,
    RemoteError, Request, RequestId, Response, RetryPolicy,
};

/// What to watch. `Debug` never shows the token.
#[derive(Clone)]
pub struct ChecksConfig {
    pub token: String,
    /// Origin of the REST API.
    pub api: String,
    /// `OWNER/NAME`.
    pub repository: String,
    /// The commit's id (hex).
    pub commit: String,
    /// Follow the checks until they are over; `false` reads them once.
    pub wait: bool,
    /// How often and how long to follow them.
    pub polling: PollTiming,
    /// How long a commit may have no checks at all before the verdict is `none`.
    pub quiet_ms: u64,
    pub retry: RetryPolicy,
}

impl ChecksConfig {
    /// GitHub's API; every 3 s, then backing off to every 30 s, for at most 30 minutes; `none`
    /// after 2 minutes without a check.
    pub fn new(
        repository: impl Into<String>,
        commit: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        Self {
            token: token.into(),
            api: super::DEFAULT_API.into(),
            repository: repository.into(),
            commit: commit.into(),
            wait: false,
            polling: PollTiming {
                first_ms: 3_000,
                max_ms: 30_000,
                timeout_ms: 30 * 60 * 1000,
            },
            quiet_ms: 120_000,
            retry: RetryPolicy::default(),
        }
    }
}

impl std::fmt::Debug for ChecksConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChecksConfig")
            .field("repository", &self.repository)
            .field("commit", &self.commit)
            .field("wait", &self.wait)
            .finish_non_exhaustive()
    }
}

/// Where the checks stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Reported, not started.
    Queued,
    /// At least one running.
    Running,
    /// Every one passed (or was skipped or neutral).
    Passed,
    /// At least one failed.
    Failed,
    /// Nothing reports on the commit.
    None,
}

impl Verdict {
    /// Over: nothing more will change.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Passed | Self::Failed)
    }
}

/// One check run, or one status context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: String,
    /// `queued`, `in_progress`, `completed` (statuses: `pending` or `completed`).
    pub status: String,
    /// When completed: `success`, `failure`, `neutral`, `skipped`, `cancelled`, `timed_out`, ….
    pub conclusion: Option<String>,
    /// Its page.
    pub url: Option<String>,
}

/// The verdict of a commit. The field names are the CLI's `--json` contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checks {
    pub state: Verdict,
    pub checks: Vec<Check>,
    /// The first failing check.
    pub failing: Option<Check>,
    /// Followed for as long as allowed, and still not over.
    pub timed_out: bool,
}

/// Conclusions that fail a commit.
const FAILING: &[&str] = &[
    "failure",
    "timed_out",
    "cancelled",
    "action_required",
    "startup_failure",
    "stale",
    "error",
];

/// The verdict of the two answers (`check-runs`, `status`).
pub fn verdict(runs: &Value, status: &Value) -> Checks {
    let mut checks: Vec<Check> = Vec::new();
    for run in runs
        .get("check_runs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = |key: &str| run.get(key).and_then(Value::as_str).map(str::to_string);
        checks.push(Check {
            name: text("name").unwrap_or_else(|| "check".into()),
            status: text("status").unwrap_or_else(|| "queued".into()),
            conclusion: text("conclusion"),
            url: text("html_url").or_else(|| text("details_url")),
        });
    }
    for context in status
        .get("statuses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = |key: &str| context.get(key).and_then(Value::as_str).map(str::to_string);
        let state = text("state").unwrap_or_else(|| "pending".into());
        let pending = state == "pending";
        checks.push(Check {
            name: text("context").unwrap_or_else(|| "status".into()),
            status: if pending { "pending" } else { "completed" }.into(),
            conclusion: (!pending).then_some(state),
            url: text("target_url"),
        });
    }
    let failing = checks
        .iter()
        .find(|c| {
            c.conclusion
                .as_deref()
                .is_some_and(|c| FAILING.contains(&c))
        })
        .cloned();
    let running = checks
        .iter()
        .any(|c| c.status == "in_progress" || c.status == "pending");
    let queued = checks.iter().any(|c| c.status == "queued");
    let state = if failing.is_some() {
        Verdict::Failed
    } else if checks.is_empty() {
        Verdict::None
    } else if running {
        Verdict::Running
    } else if queued {
        Verdict::Queued
    } else {
        Verdict::Passed
    };
    Checks {
        state,
        checks,
        failing,
        timed_out: false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    Runs,
    Status,
}

/// Reads a commit's checks, once or until they are over.
pub struct ChecksWatch {
    config: ChecksConfig,
    owner: String,
    name: String,
    pool: Pool<Job>,
    poll: StatusPoll,
    /// When the watch began (the first request), for the quiet spell.
    since: Option<u64>,
    runs: Option<Value>,
    status: Option<Value>,
    last: Option<Checks>,
    progress: Progress,
    result: Option<Result<Checks, PushError>>,
}

impl ChecksWatch {
    /// Checks the names; the first two requests go out at once.
    pub fn new(config: ChecksConfig) -> Result<Self, PushError> {
        let (owner, name) = parse_repository(&config.repository)?;
        if config.commit.len() != 40 || !config.commit.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(RemoteError::Malformed {
                service: SERVICE,
                what: "the commit to watch".into(),
                detail: "not a commit id".into(),
            }
            .into());
        }
        let mut pool = Pool::new(2, config.retry);
        pool.push(Job::Runs);
        pool.push(Job::Status);
        let poll = StatusPoll::new(config.polling);
        Ok(Self {
            config,
            owner,
            name,
            pool,
            poll,
            since: None,
            runs: None,
            status: None,
            last: None,
            progress: Progress { done: 0, total: 2 },
            result: None,
        })
    }

    fn request(&self, job: Job) -> Request {
        let what = match job {
            Job::Runs => "check-runs?per_page=100",
            Job::Status => "status",
        };
        let path = format!(
            "repos/{}/{}/commits/{}/{what}",
            self.owner, self.name, self.config.commit
        );
        Request {
            method: Method::Get,
            url: join_url(&self.config.api, &path),
            headers: Vec::new(),
            body: Vec::new(),
        }
        .bearer(&self.config.token)
        .with_header(header::ACCEPT, "application/vnd.github+json")
        .with_header("x-github-api-version", "2022-11-28")
    }

    /// Both answers of a round are in: the verdict, or another round.
    fn evaluate(&mut self, now_ms: u64) {
        if self.runs.is_none() || self.status.is_none() {
            return;
        }
        let (Some(runs), Some(status)) = (self.runs.take(), self.status.take()) else {
            return;
        };
        let checks = verdict(&runs, &status);
        let since = self.since.unwrap_or(now_ms);
        let quiet_over = now_ms.saturating_sub(since) >= self.config.quiet_ms;
        let settled = checks.state.is_final() || (checks.state == Verdict::None && quiet_over);
        if !self.config.wait || settled {
            return self.done(checks);
        }
        match self.poll.schedule(now_ms) {
            Ok(()) => self.last = Some(checks),
            Err(_) => {
                let mut checks = checks;
                checks.timed_out = true;
                self.done(checks);
            }
        }
    }

    fn done(&mut self, checks: Checks) {
        self.progress.done = self.progress.total;
        self.pool.clear();
        self.poll.cancel();
        self.result = Some(Ok(checks));
    }

    /// The verdict of the last round read, while the watch goes on.
    pub fn latest(&self) -> Option<&Checks> {
        self.last.as_ref()
    }
}

impl Conversation for ChecksWatch {
    type Output = Result<Checks, PushError>;

    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        if self.result.is_some() {
            return Vec::new();
        }
        if self.since.is_none() {
            self.since = Some(now_ms);
            self.poll.start(now_ms);
        }
        if self.poll.take_due(now_ms) {
            self.pool.push(Job::Runs);
            self.pool.push(Job::Status);
            self.progress.total += 2;
        }
        self.pool
            .poll_transmit(now_ms)
            .into_iter()
            .map(|(id, job)| Outgoing::new(id, self.request(job)))
            .collect()
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        if self.result.is_some() {
            return;
        }
        match self.pool.handle(id, outcome, now_ms) {
            PoolEvent::Done(job, response) => {
                self.progress.done += 1;
                match read(&response) {
                    Ok(value) => {
                        match job {
                            Job::Runs => self.runs = Some(value),
                            Job::Status => self.status = Some(value),
                        }
                        self.evaluate(now_ms);
                    }
                    Err(error) => self.result = Some(Err(error)),
                }
            }
            PoolEvent::Failed(_, outcome) => {
                self.pool.clear();
                self.result = Some(Err(generic_error("the commit's checks", &outcome)));
            }
            PoolEvent::Retrying | PoolEvent::Unknown => {}
        }
    }

    fn next_wakeup(&self) -> Option<u64> {
        self.poll.next_wakeup(self.pool.next_wakeup())
    }

    fn progress(&self) -> Progress {
        self.progress
    }

    fn is_finished(&self) -> bool {
        self.result.is_some()
    }

    fn finish(self) -> Self::Output {
        self.result.expect("finish after is_finished")
    }
}

/// A JSON answer, or the error its status means.
fn read(response: &Response) -> Result<Value, PushError> {
    if !response.is_success() {
        return Err(generic_error(
            "the commit's checks",
            &Outcome::Response(response.clone()),
        ));
    }
    serde_json::from_slice(&response.body).map_err(|e| {
        RemoteError::Malformed {
            service: SERVICE,
            what: "the commit's checks".into(),
            detail: e.to_string(),
        }
        .into()
    })
}

#[cfg(test)]
mod tests;
