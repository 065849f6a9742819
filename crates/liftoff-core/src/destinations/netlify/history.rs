//! A site's production deploys (`GET /sites/{site_id}/deploys`, the site's `published_deploy`
//! marking the live one) and putting an earlier one back
//! (`POST /sites/{site_id}/deploys/{deploy_id}/restore`: no rebuild, so it takes seconds).

use crate::net::{Conversation, Outcome, Outgoing, Pool, PoolEvent, Progress, RequestId};
use crate::time::epoch_ms;

use super::{
    encode_component, find_site, malformed, parse, remote, sites_query, DeployBody, NetlifyConfig,
    Site, SERVICE,
};
use crate::deploy::{earlier_ready, steps_driving, DeployError, Deployment, HistoryEntry};

/// How many deploys one listing asks for.
const PAGE: u32 = 100;
/// Pages read at most: the newest thousand deploys.
const MAX_PAGES: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Job {
    Site,
    /// A page of the listing (1-based).
    List(u32),
    Restore(String),
}

/// The steps both conversations share: the site, then its deploys.
struct Steps {
    config: NetlifyConfig,
    pool: Pool<Job>,
    site: Option<Site>,
    /// The deploys of the pages read so far.
    listed: Vec<DeployBody>,
    progress: Progress,
    error: Option<DeployError>,
    finished: bool,
}

impl Steps {
    fn new(config: NetlifyConfig, total: u64) -> Result<Self, DeployError> {
        let config = config.checked()?;
        let mut pool = Pool::new(1, config.retry);
        pool.push(Job::Site);
        Ok(Self {
            config,
            pool,
            site: None,
            listed: Vec::new(),
            progress: Progress { done: 0, total },
            error: None,
            finished: false,
        })
    }

    fn what(&self, job: &Job) -> String {
        match job {
            Job::Site => format!("site {}", self.config.site),
            Job::List(_) => format!("the deploys of {}", self.config.site),
            Job::Restore(id) => format!("the restore of deploy {id}"),
        }
    }

    fn poll(&mut self, now_ms: u64) -> Vec<Outgoing> {
        if self.finished {
            return Vec::new();
        }
        let c = &self.config;
        let site = encode_component(self.site.as_ref().map_or("", |s| s.id.as_str()));
        self.pool
            .poll_transmit(now_ms)
            .into_iter()
            .map(|(id, job)| {
                let request = match &job {
                    Job::Site => c.get(&sites_query(&c.site)),
                    Job::List(page) => {
                        c.get(&format!("sites/{site}/deploys?page={page}&per_page={PAGE}"))
                    }
                    Job::Restore(deploy) => c.send(
                        crate::net::Method::Post,
                        &format!("sites/{site}/deploys/{}/restore", encode_component(deploy)),
                        "application/json",
                        Vec::new(),
                    ),
                };
                Outgoing::new(id, request)
            })
            .collect()
    }

    fn fail(&mut self, error: DeployError) {
        self.error = Some(error);
        self.pool.clear();
        self.finished = true;
    }

    /// The job and the body of its successful answer, or the error recorded.
    fn take(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) -> Option<(Job, Vec<u8>)> {
        if self.finished {
            return None;
        }
        match self.pool.handle(id, outcome, now_ms) {
            PoolEvent::Done(job, response) if response.is_success() => {
                self.progress.done += 1;
                Some((job, response.body))
            }
            PoolEvent::Done(job, response) => {
                let what = self.what(&job);
                self.fail(remote(&what, &Outcome::Response(response)));
                None
            }
            PoolEvent::Failed(job, outcome) => {
                let what = self.what(&job);
                self.fail(remote(&what, &outcome));
                None
            }
            PoolEvent::Retrying | PoolEvent::Unknown => None,
        }
    }

    /// Records the site from a `GET /sites?name=` answer; false (with the error) when absent.
    fn on_site(&mut self, body: &[u8]) -> bool {
        let what = self.what(&Job::Site);
        match find_site(body, &self.config.site) {
            Ok(Some(site)) => {
                self.site = Some(site);
                true
            }
            Ok(None) => {
                self.fail(
                    crate::net::RemoteError::NotFound {
                        service: SERVICE,
                        what,
                    }
                    .into(),
                );
                false
            }
            Err(e) => {
                self.fail(malformed(&what, e));
                false
            }
        }
    }

    /// Takes page `page` of the listing: asks for the next when this one was full and returns
    /// `None`, or returns the production deploys, newest first, with the published one marked.
    fn entries(&mut self, page: u32, body: &[u8]) -> Option<Vec<HistoryEntry>> {
        let deploys = parse(body).and_then(|v| {
            v.as_array()
                .ok_or_else(|| "not a list of deploys".to_string())?
                .iter()
                .map(DeployBody::from_json)
                .collect::<Result<Vec<_>, _>>()
        });
        let deploys = match deploys {
            Ok(list) => list,
            Err(e) => {
                let what = self.what(&Job::List(page));
                self.fail(malformed(&what, e));
                return None;
            }
        };
        let full = deploys.len() >= PAGE as usize;
        self.listed.extend(deploys);
        if full && page < MAX_PAGES {
            self.progress.total += 1;
            self.pool.push(Job::List(page + 1));
            return None;
        }
        let published = self
            .site
            .as_ref()
            .and_then(|s| s.published_deploy.as_ref())
            .map(|d| d.id.clone());
        let mut entries: Vec<HistoryEntry> = self
            .listed
            .iter()
            .filter(|d| d.context.as_deref().is_none_or(|c| c == "production"))
            .map(|d| HistoryEntry {
                id: d.id.clone(),
                url: d.url(),
                state: d.state(),
                created: d.created_at.as_deref().and_then(epoch_ms).unwrap_or(0),
                production: Some(&d.id) == published.as_ref(),
            })
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.created));
        Some(entries)
    }
}

/// Lists a site's production deploys, newest first.
pub struct NetlifyHistory {
    steps: Steps,
    entries: Vec<HistoryEntry>,
}

impl NetlifyHistory {
    pub fn new(config: NetlifyConfig) -> Result<Self, DeployError> {
        Ok(Self {
            steps: Steps::new(config, 2)?,
            entries: Vec::new(),
        })
    }
}

impl Conversation for NetlifyHistory {
    type Output = Result<Vec<HistoryEntry>, DeployError>;

    steps_driving!();

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        let Some((job, body)) = self.steps.take(id, outcome, now_ms) else {
            return;
        };
        if job == Job::Site {
            if self.steps.on_site(&body) {
                self.steps.pool.push(Job::List(1));
            }
        } else if let Job::List(page) = job {
            let Some(entries) = self.steps.entries(page, &body) else {
                return;
            };
            self.entries = entries;
            self.steps.finished = true;
        }
    }

    fn finish(self) -> Self::Output {
        match self.steps.error {
            Some(error) => Err(error),
            None => Ok(self.entries),
        }
    }
}

/// Puts an earlier deploy back in production: the one given, or without one the production
/// deploy before the published one.
pub struct NetlifyRestore {
    steps: Steps,
    target: Option<String>,
    result: Option<Deployment>,
}

impl NetlifyRestore {
    pub fn new(config: NetlifyConfig, deploy: Option<String>) -> Result<Self, DeployError> {
        let total = if deploy.is_some() { 2 } else { 3 };
        Ok(Self {
            steps: Steps::new(config, total)?,
            target: deploy,
            result: None,
        })
    }
}

impl Conversation for NetlifyRestore {
    type Output = Result<Deployment, DeployError>;

    steps_driving!();

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        let Some((job, body)) = self.steps.take(id, outcome, now_ms) else {
            return;
        };
        match job {
            Job::Site => {
                if !self.steps.on_site(&body) {
                    return;
                }
                match &self.target {
                    Some(target) => self.steps.pool.push(Job::Restore(target.clone())),
                    None => self.steps.pool.push(Job::List(1)),
                }
            }
            Job::List(page) => {
                let Some(entries) = self.steps.entries(page, &body) else {
                    return;
                };
                let earlier = earlier_ready(&entries, "ready");
                match earlier {
                    Some(id) => self.steps.pool.push(Job::Restore(id)),
                    None => self.steps.fail(DeployError::NothingToRollBackTo {
                        service: SERVICE,
                        project: self.steps.config.site.clone(),
                    }),
                }
            }
            Job::Restore(id) => {
                let deploy = parse(&body).and_then(|v| DeployBody::from_json(&v));
                let fallback = || {
                    let site = self.steps.site.as_ref();
                    site.and_then(|s| s.ssl_url.clone().or_else(|| s.url.clone()))
                        .unwrap_or_default()
                };
                self.result = Some(match deploy {
                    Ok(d) => {
                        let mut deployment = d.deployment();
                        if deployment.url.is_empty() {
                            deployment.url = fallback();
                        }
                        deployment
                    }
                    // 201 with an empty body: the restore happened.
                    Err(_) if body.iter().all(u8::is_ascii_whitespace) => Deployment {
                        id,
                        url: fallback(),
                        state: "ready".into(),
                    },
                    Err(e) => {
                        let what = self.steps.what(&Job::Restore(id));
                        return self.steps.fail(malformed(&what, e));
                    }
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
            .ok_or_else(|| malformed("the restore", "finished without a result"))
    }
}
