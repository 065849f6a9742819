//! Deploying to Netlify (`../shared/brief/targets.md`, `../shared/specs/netlify-open-api.yml`):
//! find the site by name or create it, set its environment variables on its account, send the
//! source as one zip to `POST /sites/{site_id}/builds` (Netlify runs the build), and follow the
//! deploy until it is `ready` or `error`. The client adds `/api/v1` to the origin it is given.

use std::fmt;

use serde_json::{json, Value};

use crate::net::{
    encode_component, header, join_url, Boxed, Conversation, Method, Outcome, Outgoing, Pool,
    PoolEvent, Progress, RemoteError, Request, RequestId, Response, RetryPolicy,
};
use crate::tree::{OnDuplicate, SourceTree};
use crate::zip_write::write_zip;

use super::{DestinationSpec, Kind, NameRule};
use crate::deploy::{
    creation_key, DeployConversation, DeployError, Deployment, HistoryConversation, Hosting,
    PollTiming, PromoteConversation, RollbackConversation, Stage, StatusPoll, Target, TimedOut,
    MAX_LOST_ANSWERS,
};
use crate::env_file::{dotenv_vars, is_env_file};

mod history;
pub use history::{NetlifyHistory, NetlifyPromote, NetlifyRestore};

/// Netlify's row of the registry.
pub const SPEC: DestinationSpec = DestinationSpec {
    id: "netlify",
    display: SERVICE,
    word: "site",
    token_var: "NETLIFY_AUTH_TOKEN",
    token_help: "Create a personal access token on Netlify (User settings → Applications → Personal access tokens).",
    origins: &["https://api.netlify.com"],
    names: Some(NameRule {
        label: "site name",
        check: check_name,
        max_len: 63,
        suggest: true,
    }),
    kind: Kind::Hosting(Hosting {
        teams: false,
        deploy,
        history,
        rollback,
        promote,
    }),
};

/// The target's Netlify settings.
fn config(target: &Target) -> NetlifyConfig {
    let mut c = NetlifyConfig::new(&target.project, &target.token);
    if let Some(api) = &target.api {
        c.api.clone_from(api);
    }
    c
}

fn deploy(
    target: &Target,
    tree: &SourceTree,
    _framework: &str,
    stage: Stage,
) -> Result<DeployConversation, DeployError> {
    let mut c = config(target);
    c.stage = stage;
    Ok(Boxed::new(NetlifyDeploy::new(c, tree)?))
}

fn promote(target: &Target, deployment: String) -> Result<PromoteConversation, DeployError> {
    Ok(Boxed::new(NetlifyPromote::new(config(target), deployment)?))
}

fn history(target: &Target) -> Result<HistoryConversation, DeployError> {
    Ok(Boxed::new(NetlifyHistory::new(config(target))?))
}

fn rollback(
    target: &Target,
    deployment: Option<String>,
) -> Result<RollbackConversation, DeployError> {
    Ok(Boxed::new(NetlifyRestore::new(config(target), deployment)?))
}

pub(super) const SERVICE: &str = "Netlify";

/// Where and how to deploy.
#[derive(Clone)]
pub struct NetlifyConfig {
    /// The site's name (`<name>.netlify.app`; created when absent).
    pub site: String,
    /// The founder's token. Only ever sent to `api`.
    pub token: String,
    /// Origin, `https://api.netlify.com` unless testing; `/api/v1` is added.
    pub api: String,
    /// Variables set on the site before the build, on top of the tree's `.env` (these win).
    pub env: Vec<(String, String)>,
    pub retry: RetryPolicy,
    /// How often and how long the build is followed.
    pub polling: PollTiming,
    /// A preview is a branch deploy (`POST /sites/{id}/builds?branch=`, a branch other than
    /// the site's production branch): served at its own address, published later by a restore.
    pub stage: Stage,
}

/// The branch a preview is built as (another one if the site's production branch has its name).
const PREVIEW_BRANCH: &str = "liftoff-preview";

impl NetlifyConfig {
    /// Netlify's public API with default retries and polling.
    pub fn new(site: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            site: site.into(),
            token: token.into(),
            api: "https://api.netlify.com".into(),
            env: Vec::new(),
            retry: RetryPolicy::default(),
            polling: PollTiming::default(),
            stage: Stage::Production,
        }
    }

    fn url(&self, path: &str) -> String {
        join_url(&join_url(&self.api, "api/v1"), path)
    }

    fn get(&self, path: &str) -> Request {
        Request::get(self.url(path)).bearer(&self.token)
    }

    fn send(&self, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> Request {
        Request {
            method,
            url: self.url(path),
            headers: Vec::new(),
            body,
        }
        .with_header(header::CONTENT_TYPE, content_type)
        .bearer(&self.token)
    }

    fn json(&self, method: Method, path: &str, body: &Value) -> Request {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        self.send(method, path, "application/json", bytes)
    }

    fn checked(self) -> Result<Self, DeployError> {
        check_name(&self.site).map_err(|why| DeployError::BadName {
            service: SERVICE,
            what: format!("site {:?}", self.site),
            why,
        })?;
        Ok(self)
    }
}

impl fmt::Debug for NetlifyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let env: Vec<&str> = self.env.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("NetlifyConfig")
            .field("site", &self.site)
            .field("token", &"<redacted>")
            .field("api", &self.api)
            .field("env_keys", &env)
            .finish_non_exhaustive()
    }
}

/// Netlify site names become a subdomain: lower-case letters, digits and `-`, at most 63,
/// not starting or ending with `-`.
fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.len() > 63 {
        return Err("it must have 1 to 63 characters");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("use lower-case letters, digits and '-'");
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err("it may not start or end with '-'");
    }
    Ok(())
}

// Answers are read through `serde_json::Value` rather than derived `Deserialize` structs: the
// derives cost several KB of wasm each, and `Value` is in the module anyway.

/// A non-empty string field of a JSON object.
fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A JSON body, or why it is not one.
fn parse(body: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

/// The fields of a site we use.
#[derive(Debug, Clone)]
struct Site {
    id: String,
    account_id: Option<String>,
    ssl_url: Option<String>,
    url: Option<String>,
    published_deploy: Option<DeployBody>,
    /// The production branch (`build_settings.repo_branch`), for a site linked to a repository.
    repo_branch: Option<String>,
}

impl Site {
    fn from_json(v: &Value) -> Result<Self, String> {
        Ok(Self {
            id: text(v, "id").ok_or("a site without an id")?,
            account_id: text(v, "account_id"),
            ssl_url: text(v, "ssl_url"),
            url: text(v, "url"),
            published_deploy: v
                .get("published_deploy")
                .and_then(|d| DeployBody::from_json(d).ok()),
            repo_branch: v
                .pointer("/build_settings/repo_branch")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }

    /// The branch a preview is built as: never the site's production branch.
    fn preview_branch(&self) -> &'static str {
        if self.repo_branch.as_deref() == Some(PREVIEW_BRANCH) {
            "liftoff-preview-1"
        } else {
            PREVIEW_BRANCH
        }
    }
}

/// The fields of a deploy we use.
#[derive(Debug, Clone)]
struct DeployBody {
    id: String,
    state: Option<String>,
    error_message: Option<String>,
    ssl_url: Option<String>,
    url: Option<String>,
    deploy_ssl_url: Option<String>,
    created_at: Option<String>,
    context: Option<String>,
}

impl DeployBody {
    fn from_json(v: &Value) -> Result<Self, String> {
        Ok(Self {
            id: text(v, "id").ok_or("a deploy without an id")?,
            state: text(v, "state"),
            error_message: text(v, "error_message"),
            ssl_url: text(v, "ssl_url"),
            url: text(v, "url"),
            deploy_ssl_url: text(v, "deploy_ssl_url"),
            created_at: text(v, "created_at"),
            context: text(v, "context"),
        })
    }

    /// The deploy's own address (`https://<id>--<site>.netlify.app`), whatever is published.
    fn own_url(&self) -> String {
        [&self.deploy_ssl_url, &self.ssl_url, &self.url]
            .into_iter()
            .flatten()
            .find(|u| !u.is_empty())
            .cloned()
            .unwrap_or_default()
    }

    /// Whether Netlify says it built it as production (a preview never is).
    fn built_as_production(&self) -> bool {
        self.context.as_deref() == Some("production")
    }

    /// The address the deploy is served at: the site's for production, else its own.
    fn url(&self) -> String {
        [&self.ssl_url, &self.url, &self.deploy_ssl_url]
            .into_iter()
            .flatten()
            .find(|u| !u.is_empty())
            .cloned()
            .unwrap_or_default()
    }

    fn state(&self) -> String {
        self.state.clone().unwrap_or_else(|| "new".into())
    }

    fn deployment(&self) -> Deployment {
        Deployment {
            id: self.id.clone(),
            url: self.url(),
            state: self.state(),
        }
    }
}

struct Build {
    id: String,
    deploy_id: Option<String>,
    error: Option<String>,
}

impl Build {
    fn from_json(v: &Value) -> Result<Self, String> {
        Ok(Self {
            id: text(v, "id").ok_or("a build without an id")?,
            deploy_id: text(v, "deploy_id"),
            error: text(v, "error"),
        })
    }
}

/// A final outcome as a deploy error.
fn remote(what: &str, outcome: &Outcome) -> DeployError {
    RemoteError::from_outcome(SERVICE, what, outcome).into()
}

fn malformed(what: &str, detail: impl fmt::Display) -> DeployError {
    RemoteError::Malformed {
        service: SERVICE,
        what: what.into(),
        detail: detail.to_string(),
    }
    .into()
}

/// The site named `name` in a `GET /sites?name=` answer (a substring search): exact match only.
fn find_site(body: &[u8], name: &str) -> Result<Option<Site>, String> {
    let sites = parse(body)?;
    let list = sites.as_array().ok_or("not a list of sites")?;
    let found = list
        .iter()
        .find(|s| s.get("name").and_then(Value::as_str) == Some(name));
    found.map(Site::from_json).transpose()
}

fn sites_query(name: &str) -> String {
    format!("sites?name={}&filter=all", encode_component(name))
}

/// One request of the deploy conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Job {
    FindSite,
    CreateSite,
    Accounts,
    ListEnv,
    CreateEnv,
    /// The answer to the creation of variables was lost: which of them exist now?
    RecheckEnv,
    UpdateEnv(String),
    Build,
    /// The answer to the build was lost: look for the deploy titled with our key.
    FindBuild,
    BuildStatus(String),
    DeployStatus(String),
    /// A preview came out as production: the deploy published before goes back.
    RestorePrevious(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    Done,
}

/// The conversation that deploys one tree to Netlify.
pub struct NetlifyDeploy {
    config: NetlifyConfig,
    zip: Vec<u8>,
    env: Vec<(String, String)>,
    pool: Pool<Job>,
    phase: Phase,
    site: Option<Site>,
    account: Option<String>,
    /// Keys the site already has: updated with `PUT`, the rest created with one `POST`.
    existing: Vec<String>,
    env_left: usize,
    deployment: Option<Deployment>,
    poll: Option<Job>,
    status_poll: StatusPoll,
    /// The build's own tag (in its deploy's title), fixed when it is first sent.
    build_key: Option<String>,
    /// Lost answers to creating calls (site, variables, build) looked into so far.
    lost_answers: u32,
    /// A preview Netlify published as production, while the previous deploy is put back.
    went_live: Option<String>,
    progress: Progress,
    error: Option<DeployError>,
}

impl NetlifyDeploy {
    /// Zips the tree (without `.env` files) and starts by looking the site up.
    pub fn new(config: NetlifyConfig, tree: &SourceTree) -> Result<Self, DeployError> {
        let config = config.checked()?;
        let mut source = SourceTree::new();
        for (path, entry) in tree.iter() {
            if !is_env_file(path.as_str()) {
                // Paths come from a valid tree, so inserting into an empty one cannot clash.
                let _ = source.insert_path(path.clone(), entry.clone(), OnDuplicate::Refuse);
            }
        }
        // Each key once, the last value winning (a `.env` may name one twice), then `--env`.
        let mut env: Vec<(String, String)> = Vec::new();
        for (key, value) in dotenv_vars(tree)
            .into_iter()
            .chain(config.env.iter().cloned())
        {
            env.retain(|(k, _)| *k != key);
            env.push((key, value));
        }
        let mut pool = Pool::new(4, config.retry);
        pool.push(Job::FindSite);
        Ok(Self {
            status_poll: StatusPoll::new(config.polling),
            build_key: None,
            lost_answers: 0,
            went_live: None,
            zip: write_zip(&source),
            config,
            env,
            pool,
            phase: Phase::Running,
            site: None,
            account: None,
            existing: Vec::new(),
            env_left: 0,
            deployment: None,
            poll: None,
            progress: Progress { done: 0, total: 4 },
            error: None,
        })
    }

    fn site_id(&self) -> String {
        encode_component(self.site.as_ref().map_or("", |s| s.id.as_str()))
    }

    fn env_body(key: &str, value: &str) -> Value {
        json!({
            "key": key,
            "scopes": ["builds", "functions", "runtime", "post-processing"],
            "values": [{"value": value, "context": "all"}],
        })
    }

    fn request(&self, job: &Job) -> Request {
        let c = &self.config;
        let account = encode_component(self.account.as_deref().unwrap_or(""));
        let site = self.site_id();
        match job {
            Job::FindSite => c.get(&sites_query(&c.site)),
            Job::CreateSite => c.json(Method::Post, "sites", &json!({"name": c.site})),
            Job::Accounts => c.get("accounts"),
            Job::ListEnv | Job::RecheckEnv => {
                c.get(&format!("accounts/{account}/env?site_id={site}"))
            }
            Job::CreateEnv => {
                let vars: Vec<Value> = self
                    .env
                    .iter()
                    .filter(|(k, _)| !self.existing.contains(k))
                    .map(|(k, v)| Self::env_body(k, v))
                    .collect();
                c.json(
                    Method::Post,
                    &format!("accounts/{account}/env?site_id={site}"),
                    &Value::Array(vars),
                )
            }
            Job::UpdateEnv(key) => {
                let value = self
                    .env
                    .iter()
                    .find(|(k, _)| k == key)
                    .map_or("", |(_, v)| v.as_str());
                c.json(
                    Method::Put,
                    &format!(
                        "accounts/{account}/env/{}?site_id={site}",
                        encode_component(key)
                    ),
                    &Self::env_body(key, value),
                )
            }
            // The title tags the deploy the build makes, so a lost answer can find it.
            Job::Build => c.send(
                Method::Post,
                &format!(
                    "sites/{site}/builds?title={}{}",
                    encode_component(&self.build_title()),
                    self.branch_query()
                ),
                "application/zip",
                self.zip.clone(),
            ),
            Job::FindBuild => c.get(&format!("sites/{site}/deploys?page=1&per_page=20")),
            Job::BuildStatus(id) => c.get(&format!("builds/{}", encode_component(id))),
            Job::DeployStatus(id) => {
                c.get(&format!("sites/{site}/deploys/{}", encode_component(id)))
            }
            Job::RestorePrevious(id) => c.send(
                Method::Post,
                &format!("sites/{site}/deploys/{}/restore", encode_component(id)),
                "application/json",
                Vec::new(),
            ),
        }
    }

    fn fail(&mut self, error: DeployError) {
        self.error = Some(error);
        self.pool.clear();
        self.status_poll.cancel();
        self.phase = Phase::Done;
    }

    /// `&branch=…` for a preview: a branch deploy.
    fn branch_query(&self) -> String {
        match (&self.config.stage, &self.site) {
            (Stage::Preview, Some(site)) => format!("&branch={}", site.preview_branch()),
            _ => String::new(),
        }
    }

    fn what(&self, job: &Job) -> String {
        let site = &self.config.site;
        match job {
            Job::FindSite | Job::CreateSite => format!("site {site}"),
            Job::Accounts => "the accounts of the token".into(),
            Job::ListEnv | Job::CreateEnv | Job::RecheckEnv => {
                format!("the environment variables of {site}")
            }
            Job::UpdateEnv(key) => format!("environment variable {key} of {site}"),
            Job::Build | Job::FindBuild => format!("the build of {site}"),
            Job::BuildStatus(id) => format!("build {id}"),
            Job::DeployStatus(id) => format!("deploy {id}"),
            Job::RestorePrevious(id) => format!("the restore of deploy {id}"),
        }
    }

    fn on_site(&mut self, job: Job, response: Response) {
        let what = self.what(&job);
        // After a lost answer to the creation, "taken" is most likely our own site: look again.
        if job == Job::CreateSite && response.status == 422 && self.lost_answers > 0 {
            return self.on_create_lost(&job, &Outcome::Response(response));
        }
        if job == Job::CreateSite && response.status == 422 {
            return self.fail(
                RemoteError::Status {
                    service: SERVICE,
                    status: 422,
                    what,
                    message: format!(
                        "the name {} is taken by a site this token cannot see; choose another",
                        self.config.site
                    ),
                }
                .into(),
            );
        }
        if !response.is_success() {
            return self.fail(remote(&what, &Outcome::Response(response)));
        }
        let site = if job == Job::FindSite {
            match find_site(&response.body, &self.config.site) {
                Ok(Some(site)) => site,
                Ok(None) => return self.pool.push_once(Job::CreateSite),
                Err(e) => return self.fail(malformed(&what, e)),
            }
        } else {
            match parse(&response.body).and_then(|v| Site::from_json(&v)) {
                Ok(site) => site,
                // Created, but the answer was cut: look the site up, as after a lost answer.
                Err(_) if self.lost_answers < MAX_LOST_ANSWERS => {
                    return self.on_create_lost(&job, &Outcome::Response(response))
                }
                Err(e) => return self.fail(malformed(&what, e)),
            }
        };
        self.account = site.account_id.clone().filter(|a| !a.is_empty());
        self.site = Some(site);
        self.progress.done += 1;
        if self.env.is_empty() {
            self.progress.done += 1;
            self.start_build();
        } else if self.account.is_some() {
            self.pool.push(Job::ListEnv);
        } else {
            self.pool.push(Job::Accounts);
        }
    }

    fn on_accounts(&mut self, value: Value) {
        let account = value
            .as_array()
            .and_then(|list| list.first())
            .and_then(|a| a.get("id"))
            .and_then(Value::as_str);
        match account {
            Some(id) => {
                self.account = Some(id.to_string());
                self.pool.push(Job::ListEnv);
            }
            None => self.fail(malformed("the accounts of the token", "no account")),
        }
    }

    fn on_env_list(&mut self, value: Value) {
        // Our keys the site has, each once (a listing may name a key twice).
        let listed = listed_keys(&value);
        let existing: Vec<String> = self
            .env
            .iter()
            .map(|(key, _)| key.clone())
            .filter(|key| listed.contains(&key.as_str()))
            .collect();
        let new = self.env.len() - existing.len();
        self.existing.clone_from(&existing);
        self.env_left = existing.len() + usize::from(new > 0);
        if new > 0 {
            self.pool.push_once(Job::CreateEnv);
        }
        for key in existing {
            self.pool.push(Job::UpdateEnv(key));
        }
    }

    /// After a lost answer to the creation of variables: those that exist now are set with
    /// `PUT` (the same value again is harmless), the rest created again.
    fn on_env_recheck(&mut self, value: Value) {
        let listed = listed_keys(&value);
        let created: Vec<String> = self
            .env
            .iter()
            .map(|(k, _)| k.clone())
            .filter(|k| !self.existing.contains(k) && listed.contains(&k.as_str()))
            .collect();
        let missing = self.env.len() - self.existing.len() - created.len();
        self.existing.extend(created.iter().cloned());
        // The creation's slot in `env_left` is replaced by the updates and a new creation.
        self.env_left = self.env_left - 1 + created.len() + usize::from(missing > 0);
        if missing > 0 {
            self.pool.push_once(Job::CreateEnv);
        }
        for key in created {
            self.pool.push(Job::UpdateEnv(key));
        }
    }

    /// A creating call (site, variables) was sent and its answer lost: look before sending it
    /// again, so a lost answer never creates twice.
    fn on_create_lost(&mut self, job: &Job, outcome: &Outcome) {
        self.lost_answers += 1;
        if self.lost_answers > MAX_LOST_ANSWERS {
            let what = self.what(job);
            return self.fail(remote(&what, outcome));
        }
        match job {
            Job::CreateSite => self.pool.push(Job::FindSite),
            _ => self.pool.push(Job::RecheckEnv),
        }
    }

    fn on_env_set(&mut self) {
        self.env_left -= 1;
        if self.env_left == 0 {
            self.progress.done += 1;
            self.start_build();
        }
    }

    fn start_build(&mut self) {
        self.pool.push_once(Job::Build);
    }

    /// The deploy title a build is sent with: `Liftoff <key>`, the key fixed at the first send.
    fn build_title(&self) -> String {
        format!("Liftoff {}", self.build_key.as_deref().unwrap_or(""))
    }

    /// The build was sent and its answer lost: it may run. Look for its deploy by title before
    /// sending it again, so a lost answer never makes two deploys.
    fn on_build_lost(&mut self, outcome: &Outcome) {
        self.lost_answers += 1;
        if self.lost_answers > MAX_LOST_ANSWERS {
            let what = self.what(&Job::Build);
            return self.fail(remote(&what, outcome));
        }
        self.progress.total += 1;
        self.pool.push(Job::FindBuild);
    }

    fn on_found(&mut self, value: Value, now_ms: u64) {
        let title = self.build_title();
        let found = value.as_array().and_then(|deploys| {
            deploys.iter().find_map(|d| {
                let ours = d.get("title").and_then(Value::as_str) == Some(title.as_str());
                ours.then(|| d.get("id").and_then(Value::as_str).map(str::to_string))
                    .flatten()
            })
        });
        match found {
            Some(deploy) => {
                self.progress.done += 1;
                self.status_poll.start(now_ms);
                self.deployment = Some(Deployment {
                    id: deploy.clone(),
                    url: String::new(),
                    state: "new".into(),
                });
                self.pool.push(Job::DeployStatus(deploy));
            }
            None => self.start_build(),
        }
    }

    fn on_build(&mut self, value: Value, now_ms: u64) {
        let build = match Build::from_json(&value) {
            Ok(build) => build,
            Err(e) => return self.fail(malformed(&self.what(&Job::Build), e)),
        };
        self.progress.done += 1;
        self.status_poll.start(now_ms);
        self.on_build_status(build, now_ms);
    }

    fn on_build_status(&mut self, build: Build, now_ms: u64) {
        if let Some(message) = build.error.filter(|e| !e.is_empty()) {
            return self.fail(DeployError::BuildFailed {
                service: SERVICE,
                id: build.id,
                state: "error".into(),
                message,
            });
        }
        match build.deploy_id.filter(|d| !d.is_empty()) {
            Some(deploy) => {
                self.deployment = Some(Deployment {
                    id: deploy.clone(),
                    url: String::new(),
                    state: "new".into(),
                });
                self.wait(Job::DeployStatus(deploy), "new".into(), now_ms);
            }
            None => self.wait(Job::BuildStatus(build.id), "building".into(), now_ms),
        }
    }

    fn on_deploy_status(&mut self, body: DeployBody, now_ms: u64) {
        let state = body.state();
        let mut deployment = body.deployment();
        if deployment.url.is_empty() {
            deployment.url = self
                .site
                .as_ref()
                .and_then(|s| s.ssl_url.clone().or_else(|| s.url.clone()))
                .unwrap_or_default();
        }
        if self.config.stage == Stage::Preview {
            deployment.url = body.own_url();
        }
        self.deployment = Some(deployment);
        match state.as_str() {
            // Built as production although a branch was named (the site's production branch
            // has that name after all): say so rather than call it a preview.
            "ready" if self.config.stage == Stage::Preview && body.built_as_production() => {
                self.on_preview_went_live(body.id)
            }
            "ready" => {
                self.progress.done += 1;
                self.phase = Phase::Done;
            }
            "error" | "rejected" => self.fail(DeployError::BuildFailed {
                service: SERVICE,
                id: body.id,
                state,
                message: body
                    .error_message
                    .unwrap_or_else(|| "no message from Netlify".into()),
            }),
            _ => self.wait(Job::DeployStatus(body.id), state, now_ms),
        }
    }

    /// A preview Netlify built (and so published) as production: the deploy published before is
    /// put back when there was one, then the deploy fails saying so.
    fn on_preview_went_live(&mut self, id: String) {
        let previous = self
            .site
            .as_ref()
            .and_then(|s| s.published_deploy.as_ref())
            .map(|d| d.id.clone())
            .filter(|previous| *previous != id);
        match previous {
            Some(previous) => {
                self.went_live = Some(id);
                self.pool.push(Job::RestorePrevious(previous));
            }
            None => self.fail(DeployError::PreviewWentLive {
                service: SERVICE,
                id,
                restored: None,
            }),
        }
    }

    /// Polls `job` again after the current backoff, unless the build ran out of time.
    fn wait(&mut self, job: Job, state: String, now_ms: u64) {
        if let Err(TimedOut { minutes }) = self.status_poll.schedule(now_ms) {
            let id = match &job {
                Job::BuildStatus(id) | Job::DeployStatus(id) => id.clone(),
                _ => String::new(),
            };
            return self.fail(DeployError::TimedOut {
                service: SERVICE,
                id,
                state,
                minutes,
            });
        }
        self.poll = Some(job);
    }

    fn on_done(&mut self, job: Job, response: Response, now_ms: u64) {
        let what = self.what(&job);
        if let Job::RestorePrevious(previous) = job {
            let restored = response.is_success().then_some(previous);
            let id = self.went_live.take().unwrap_or_default();
            return self.fail(DeployError::PreviewWentLive {
                service: SERVICE,
                id,
                restored,
            });
        }
        if matches!(job, Job::FindSite | Job::CreateSite) {
            return self.on_site(job, response);
        }
        if !response.is_success() {
            return self.fail(remote(&what, &Outcome::Response(response)));
        }
        let value = match parse(&response.body) {
            Ok(value) => value,
            // `PUT …/env/{key}` may answer with no body.
            Err(_) if matches!(job, Job::UpdateEnv(_)) => Value::Null,
            // A creating call answered with a body cut on the way: carried out, but what it
            // made did not arrive. Look for it, as after a lost answer.
            Err(_) if job == Job::Build => return self.on_build_lost(&Outcome::Response(response)),
            Err(_) if job == Job::CreateEnv => {
                return self.on_create_lost(&job, &Outcome::Response(response))
            }
            Err(e) => return self.fail(malformed(&what, e)),
        };
        match job {
            Job::Accounts => self.on_accounts(value),
            Job::ListEnv => self.on_env_list(value),
            Job::RecheckEnv => self.on_env_recheck(value),
            Job::CreateEnv | Job::UpdateEnv(_) => self.on_env_set(),
            Job::Build => self.on_build(value, now_ms),
            Job::FindBuild => self.on_found(value, now_ms),
            Job::BuildStatus(_) => match Build::from_json(&value) {
                Ok(build) => self.on_build_status(build, now_ms),
                Err(e) => self.fail(malformed(&what, e)),
            },
            Job::DeployStatus(_) => match DeployBody::from_json(&value) {
                Ok(body) => self.on_deploy_status(body, now_ms),
                Err(e) => self.fail(malformed(&what, e)),
            },
            Job::FindSite | Job::CreateSite | Job::RestorePrevious(_) => {
                unreachable!("handled above")
            }
        }
    }
}

impl Conversation for NetlifyDeploy {
    type Output = Result<Deployment, DeployError>;

    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        if self.phase == Phase::Done {
            return Vec::new();
        }
        if self.status_poll.take_due(now_ms) {
            if let Some(job) = self.poll.take() {
                self.pool.push(job);
            }
        }
        let due = self.pool.poll_transmit(now_ms);
        if self.build_key.is_none() && due.iter().any(|(_, job)| *job == Job::Build) {
            let size = self.zip.len().to_string();
            self.build_key = Some(creation_key(&[&self.config.site, &size], now_ms));
        }
        due.into_iter()
            .map(|(id, job)| Outgoing::new(id, self.request(&job)))
            .collect()
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        if self.phase == Phase::Done {
            return;
        }
        match self.pool.handle(id, outcome, now_ms) {
            PoolEvent::Done(job, response) => self.on_done(job, response, now_ms),
            PoolEvent::Failed(Job::Build, outcome) => self.on_build_lost(&outcome),
            PoolEvent::Failed(job @ (Job::CreateSite | Job::CreateEnv), outcome) => {
                self.on_create_lost(&job, &outcome)
            }
            PoolEvent::Failed(Job::RestorePrevious(_), _) => {
                let id = self.went_live.take().unwrap_or_default();
                self.fail(DeployError::PreviewWentLive {
                    service: SERVICE,
                    id,
                    restored: None,
                });
            }
            PoolEvent::Failed(job, outcome) => {
                let what = self.what(&job);
                self.fail(remote(&what, &outcome));
            }
            PoolEvent::Retrying | PoolEvent::Unknown => {}
        }
    }

    fn next_wakeup(&self) -> Option<u64> {
        self.status_poll.next_wakeup(self.pool.next_wakeup())
    }

    fn progress(&self) -> Progress {
        self.progress
    }

    fn is_finished(&self) -> bool {
        self.phase == Phase::Done
    }

    fn finish(self) -> Result<Deployment, DeployError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        self.deployment
            .ok_or_else(|| malformed("the deploy", "finished without a deploy"))
    }
}

/// The `key` of every variable an environment listing names (nothing for another shape).
fn listed_keys(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v.get("key").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
