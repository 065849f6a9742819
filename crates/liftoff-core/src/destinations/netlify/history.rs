//! A site's deploys (`GET /sites/{site_id}/deploys`, the site's `published_deploy` marking the
//! live one, branch deploys marked as previews), putting an earlier one back and promoting a
//! preview (both `POST /sites/{site_id}/deploys/{deploy_id}/restore`: no rebuild, so it takes
//! seconds; Netlify's docs: any successful deploy can be published). A promotion reads the site
//! again afterwards and only calls it done when the published deploy is the one asked for.

use crate::net::{Conversation, Outcome, Outgoing, Pool, PoolEvent, Progress, RequestId};
use crate::time::epoch_ms;

use super::{
    encode_component, find_site, malformed, parse, remote, sites_query, DeployBody, NetlifyConfig,
    Site, SERVICE,
};
use crate::deploy::{
    earlier_ready, steps_driving, DeployError, Deployment, HistoryEntry, Promoted,
};

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
    /// One deploy, before promoting it.
    Deploy(String),
    /// The site by id, after a promotion: is the deploy published?
    Verify,
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
            Job::Deploy(id) => format!("deploy {id}"),
            Job::Verify => format!("site {}", self.config.site),
        }
    }

    fn next_wakeup(&self) -> Option<u64> {
        self.pool.next_wakeup()
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
                    Job::Deploy(deploy) => c.get(&format!(
                        "sites/{site}/deploys/{}",
                        encode_component(deploy)
                    )),
                    Job::Verify => c.get(&format!("sites/{site}")),
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
            .map(|d| {
                let production = Some(&d.id) == published.as_ref();
                // A branch deploy (or deploy preview) that is not the published one.
                let preview =
                    !production && d.context.as_deref().is_some_and(|c| c != "production");
                HistoryEntry {
                    id: d.id.clone(),
                    url: if preview { d.own_url() } else { d.url() },
                    state: d.state(),
                    created: d.created_at.as_deref().and_then(epoch_ms).unwrap_or(0),
                    production,
                    preview,
                }
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
            Job::Deploy(_) | Job::Verify => {}
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

/// Makes a deploy (a branch deploy, typically) the published one without a rebuild: the site
/// (promoting the published one sends nothing more), the deploy (`ready`, of this site), the
/// restore, then the site by id, which must publish that deploy.
pub struct NetlifyPromote {
    steps: Steps,
    target: String,
    /// What the site published before: what a failed promotion leaves.
    live: String,
    result: Option<Promoted>,
}

impl NetlifyPromote {
    pub fn new(config: NetlifyConfig, deploy: String) -> Result<Self, DeployError> {
        Ok(Self {
            steps: Steps::new(config, 4)?,
            target: deploy,
            live: String::new(),
            result: None,
        })
    }

    /// The site's address (production), for the result.
    fn site_url(&self) -> String {
        let site = self.steps.site.as_ref();
        site.and_then(|s| s.ssl_url.clone().or_else(|| s.url.clone()))
            .unwrap_or_default()
    }

    fn done(&mut self, state: String, changed: bool) {
        self.result = Some(Promoted {
            deployment: Deployment {
                id: self.target.clone(),
                url: self.site_url(),
                state,
            },
            changed,
        });
        self.steps.finished = true;
    }

    fn published(&self) -> Option<String> {
        let site = self.steps.site.as_ref()?;
        site.published_deploy.as_ref().map(|d| d.id.clone())
    }
}

impl Conversation for NetlifyPromote {
    type Output = Result<Promoted, DeployError>;

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
                self.live = self.published().unwrap_or_default();
                if self.live == self.target {
                    return self.done("ready".into(), false);
                }
                self.steps.pool.push(Job::Deploy(self.target.clone()));
            }
            Job::Deploy(_) => {
                let what = self.steps.what(&job);
                let deploy = match parse(&body).and_then(|v| DeployBody::from_json(&v)) {
                    Ok(deploy) => deploy,
                    Err(e) => return self.steps.fail(malformed(&what, e)),
                };
                if deploy.state() != "ready" {
                    return self.steps.fail(DeployError::NotPromotable {
                        service: SERVICE,
                        id: self.target.clone(),
                        why: format!("it is {}, not ready", deploy.state()),
                    });
                }
                self.steps.pool.push(Job::Restore(self.target.clone()));
            }
            Job::Restore(_) => self.steps.pool.push(Job::Verify),
            Job::Verify => {
                let site = parse(&body).and_then(|v| Site::from_json(&v));
                let published = match site {
                    Ok(site) => site.published_deploy.map(|d| (d.id.clone(), d.state())),
                    Err(e) => {
                        let what = self.steps.what(&Job::Verify);
                        return self.steps.fail(malformed(&what, e));
                    }
                };
                match published {
                    Some((id, state)) if id == self.target => self.done(state, true),
                    other => self.steps.fail(DeployError::PromoteFailed {
                        service: SERVICE,
                        id: self.target.clone(),
                        live: if self.live.is_empty() {
                            "what it served".into()
                        } else {
                            self.live.clone()
                        },
                        message: format!(
                            "Netlify accepted the restore, but the site publishes {}",
                            other.map_or("no deploy".to_string(), |(id, _)| id)
                        ),
                    }),
                }
            }
            Job::List(_) => {}
        }
    }

    fn finish(self) -> Self::Output {
        if let Some(error) = self.steps.error {
            return Err(error);
        }
        self.result
            .ok_or_else(|| malformed("the promotion", "finished without a result"))
    }
}
