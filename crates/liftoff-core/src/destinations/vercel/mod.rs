//! Deploying to Vercel (`../shared/brief/targets.md`): find or create the project, set its
//! environment variables, post the deployment as a list of `{file, sha, size}`, upload just
//! the contents Vercel reports missing (a few at a time, retried), post again, and follow the
//! deployment until it is `READY` or `ERROR`. `teamId` goes on every call when a team is set.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{json, Value};
use sha1::{Digest, Sha1};

use crate::net::{
    encode_component, header, join_url, Boxed, Conversation, Method, Outcome, Outgoing, Pool,
    PoolEvent, Progress, RemoteError, Request, RequestId, Response, RetryPolicy,
};
use crate::tree::SourceTree;

use super::{DestinationSpec, Kind, NameRule};
use crate::deploy::{
    creation_key, DeployConversation, DeployError, Deployment, HistoryConversation, Hosting,
    PollTiming, PromoteConversation, RollbackConversation, Stage, StatusPoll, Target, TimedOut,
    MAX_LOST_ANSWERS,
};
use crate::env_file::{dotenv_vars, is_env_file};

mod history;
pub use history::{VercelHistory, VercelPromote, VercelRollback};

/// Vercel's row of the registry.
pub const SPEC: DestinationSpec = DestinationSpec {
    id: "vercel",
    display: SERVICE,
    word: "project",
    token_var: "VERCEL_TOKEN",
    token_help: "Create one on Vercel (Account Settings → Tokens) with access to the account or team the projects belong to.",
    origins: &["https://api.vercel.com"],
    names: Some(NameRule {
        label: "project name",
        check: check_name,
        max_len: 100,
        suggest: true,
    }),
    kind: Kind::Hosting(Hosting {
        teams: true,
        deploy,
        history,
        rollback,
        promote,
    }),
};

/// The target's Vercel settings.
fn config(target: &Target) -> VercelConfig {
    let mut c = VercelConfig::new(&target.project, &target.token);
    c.team_id.clone_from(&target.team);
    if let Some(api) = &target.api {
        c.api.clone_from(api);
    }
    c
}

fn deploy(
    target: &Target,
    tree: &SourceTree,
    framework: &str,
    stage: Stage,
) -> Result<DeployConversation, DeployError> {
    let mut c = config(target);
    c.settings = ProjectSettings::for_tree(tree, framework);
    c.stage = stage;
    Ok(Boxed::new(VercelDeploy::new(c, tree)?))
}

fn history(target: &Target) -> Result<HistoryConversation, DeployError> {
    Ok(Boxed::new(VercelHistory::new(config(target))?))
}

fn rollback(
    target: &Target,
    deployment: Option<String>,
) -> Result<RollbackConversation, DeployError> {
    Ok(Boxed::new(VercelRollback::new(config(target), deployment)?))
}

fn promote(target: &Target, deployment: String) -> Result<PromoteConversation, DeployError> {
    Ok(Boxed::new(VercelPromote::new(config(target), deployment)?))
}

pub(super) const SERVICE: &str = "Vercel";
/// Deployment posts after uploads before we stop believing Vercel will ever have every file.
const MAX_POSTS: u32 = 3;

/// The build settings sent as `projectSettings` (and the framework on project creation).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectSettings {
    /// Vercel's framework slug (`vite`, `nextjs`, …); `None` for "Other".
    pub framework: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub install_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_directory: Option<String>,
}

impl ProjectSettings {
    /// Settings for a framework as [`crate::detect::detect_framework`] names it.
    pub fn for_framework(detected: &str) -> Self {
        let (framework, output) = match detected {
            "vite-react" | "vite-vue" | "vite-svelte" | "vite" => (Some("vite"), Some("dist")),
            "next" => (Some("nextjs"), None),
            "remix" => (Some("remix"), None),
            "astro" => (Some("astro"), Some("dist")),
            "sveltekit" => (Some("sveltekit-1"), None),
            "nuxt" => (Some("nuxtjs"), None),
            _ => (None, None),
        };
        let node = framework.is_some() || detected == "node";
        Self {
            framework: framework.map(str::to_string),
            build_command: node.then(|| "npm run build".to_string()),
            install_command: node.then(|| "npm install".to_string()),
            output_directory: output.map(str::to_string),
        }
    }
}

impl ProjectSettings {
    /// Settings for `tree`: its framework's, and for a project Vercel has no preset for ("Other"),
    /// the output directory its `netlify.toml` publishes (Vercel would otherwise serve `public/`
    /// or the bare source).
    pub fn for_tree(tree: &SourceTree, framework: &str) -> Self {
        let mut settings = Self::for_framework(framework);
        if settings.framework.is_none() && settings.output_directory.is_none() {
            settings.output_directory = tree
                .get("netlify.toml")
                .and_then(|f| netlify_publish(&String::from_utf8_lossy(&f.bytes)));
        }
        settings
    }
}

/// `publish` of the `[build]` table of a `netlify.toml` (a quoted string), if set and relative.
fn netlify_publish(toml: &str) -> Option<String> {
    let mut in_build = false;
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_build = line == "[build]";
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if in_build && key.trim() == "publish" {
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
            let value = value.trim_start_matches("./").trim_end_matches('/');
            let safe = !value.is_empty()
                && !value.starts_with('/')
                && !value.split('/').any(|part| part == "..");
            return safe.then(|| value.to_string());
        }
    }
    None
}

/// Where and how to deploy.
#[derive(Clone)]
pub struct VercelConfig {
    /// The project's name (created when absent).
    pub project: String,
    /// The founder's token. Only ever sent to `api`.
    pub token: String,
    /// `--team`: added as `teamId` to every call.
    pub team_id: Option<String>,
    /// Origin, `https://api.vercel.com` unless testing.
    pub api: String,
    pub settings: ProjectSettings,
    /// Variables set on the project before the build, on top of the tree's `.env` (these win).
    pub env: Vec<(String, String)>,
    /// Uploads in flight at once.
    pub concurrency: usize,
    pub retry: RetryPolicy,
    /// How often and how long the build is followed.
    pub polling: PollTiming,
    /// A preview is a staged production deployment (`autoAssignCustomDomains: false`, as
    /// `vercel --prod --skip-domain`): built with production's settings and variables, served
    /// at its own URL, and promoted later without a rebuild. (A deployment without `target:
    /// "production"` cannot be promoted as it is: Vercel builds it again.)
    pub stage: Stage,
}

impl VercelConfig {
    /// Vercel's public API, production target, 16 uploads at a time, default retries.
    pub fn new(project: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            project: project.into(),
            token: token.into(),
            team_id: None,
            api: "https://api.vercel.com".into(),
            settings: ProjectSettings::default(),
            env: Vec::new(),
            concurrency: 16,
            retry: RetryPolicy::default(),
            polling: PollTiming::default(),
            stage: Stage::Production,
        }
    }
}

impl VercelConfig {
    /// `path` on the API origin, with `teamId` when a team is set.
    fn url(&self, path: &str) -> String {
        let mut url = join_url(&self.api, path);
        if let Some(team) = &self.team_id {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str("teamId=");
            url.push_str(&encode_component(team));
        }
        url
    }
}

impl fmt::Debug for VercelConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let env: Vec<&str> = self.env.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("VercelConfig")
            .field("project", &self.project)
            .field("token", &"<redacted>")
            .field("team_id", &self.team_id)
            .field("api", &self.api)
            .field("settings", &self.settings)
            .field("env_keys", &env)
            .finish_non_exhaustive()
    }
}

/// Vercel's project names: lower-case letters, digits, `.`, `_`, `-`; at most 100.
fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.len() > 100 {
        return Err("it must have 1 to 100 characters");
    }
    let ok = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if !ok {
        return Err("use lower-case letters, digits, '.', '_' and '-'");
    }
    if name.contains("---") {
        return Err("it may not contain '---'");
    }
    Ok(())
}

/// One request of the conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Job {
    GetProject,
    CreateProject,
    SetEnv,
    PostDeployment,
    /// The answer to the deployment was lost: look for the one tagged with our key.
    FindDeployment,
    /// A listed deployment whose `meta` the listing did not show.
    ReadDeployment(String),
    Upload(String),
    Poll(String),
    /// After READY: does production point at the new deployment?
    CheckProduction,
    /// It does not (Vercel stops assigning production after a rollback): promote it.
    Promote(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Project,
    Env,
    Deploy,
    Upload,
    Build,
    Done,
}

/// The fields of a deployment we use, read through `Value` (a derived `Deserialize` costs
/// several KB of wasm).
struct DeploymentBody {
    id: String,
    url: Option<String>,
    ready_state: Option<String>,
    error_message: Option<String>,
    error_code: Option<String>,
}

impl DeploymentBody {
    fn parse(body: &[u8]) -> Result<Self, String> {
        let v: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
        Ok(Self {
            id: text("id").ok_or("a deployment without an id")?,
            url: text("url"),
            ready_state: text("readyState").or_else(|| text("state")),
            error_message: text("errorMessage"),
            error_code: text("errorCode"),
        })
    }
}

/// The `id` of a JSON object answer.
fn id_of(body: &[u8]) -> Result<String, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    v.get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| "no id".into())
}

/// The conversation that deploys one tree to Vercel.
pub struct VercelDeploy {
    config: VercelConfig,
    /// `(path, sha1 hex, size)` for every file sent.
    files: Vec<(String, String, u64)>,
    /// Contents by SHA-1, each once.
    blobs: BTreeMap<String, Vec<u8>>,
    env: Vec<(String, String)>,
    pool: Pool<Job>,
    phase: Phase,
    project_id: Option<String>,
    /// Creating the project met a 409 (it appeared meanwhile).
    create_raced: bool,
    posts: u32,
    /// The deployment's own tag (`meta.liftoffDeployKey`), fixed when it is first sent.
    deploy_key: Option<String>,
    /// When the deployment was first sent (epoch ms): what a look-up considers recent.
    posted_at: u64,
    /// Lost answers to the deployment looked into so far.
    lost_answers: u32,
    /// Listed deployments still being read for their `meta` after a lost answer.
    reads_left: usize,
    uploads_left: usize,
    uploaded: u64,
    deployment: Option<Deployment>,
    status_poll: StatusPoll,
    /// The promotion after a rollback was sent: production is followed until it switched.
    promoted: bool,
    switch_checks: StatusPoll,
    progress: Progress,
    error: Option<DeployError>,
}

impl VercelDeploy {
    /// Hashes the tree (without `.env` files) and starts by looking the project up.
    pub fn new(config: VercelConfig, tree: &SourceTree) -> Result<Self, DeployError> {
        check_name(&config.project).map_err(|why| DeployError::BadName {
            service: SERVICE,
            what: format!("project {:?}", config.project),
            why,
        })?;
        let mut files = Vec::new();
        let mut blobs = BTreeMap::new();
        for (path, entry) in tree.iter() {
            if is_env_file(path.as_str()) {
                continue;
            }
            let sha = hex(&Sha1::digest(&entry.bytes));
            files.push((
                path.as_str().to_string(),
                sha.clone(),
                entry.bytes.len() as u64,
            ));
            blobs.entry(sha).or_insert_with(|| entry.bytes.clone());
        }
        let mut env = dotenv_vars(tree);
        for (key, value) in &config.env {
            env.retain(|(k, _)| k != key);
            env.push((key.clone(), value.clone()));
        }
        let mut pool = Pool::new(config.concurrency, config.retry);
        pool.push(Job::GetProject);
        Ok(Self {
            status_poll: StatusPoll::new(config.polling),
            promoted: false,
            switch_checks: StatusPoll::new(history::switch_timing(config.polling)),
            config,
            files,
            blobs,
            env,
            pool,
            phase: Phase::Project,
            project_id: None,
            create_raced: false,
            posts: 0,
            deploy_key: None,
            posted_at: 0,
            lost_answers: 0,
            reads_left: 0,
            uploads_left: 0,
            uploaded: 0,
            deployment: None,
            progress: Progress { done: 0, total: 4 },
            error: None,
        })
    }

    /// Bytes uploaded so far (what a redeploy costs).
    pub fn uploaded_bytes(&self) -> u64 {
        self.uploaded
    }

    fn url(&self, path: &str) -> String {
        self.config.url(path)
    }

    fn project_ref(&self) -> String {
        encode_component(self.project_id.as_deref().unwrap_or(&self.config.project))
    }

    fn json_request(&self, method: Method, path: &str, body: &Value) -> Request {
        Request {
            method,
            url: self.url(path),
            headers: Vec::new(),
            body: serde_json::to_vec(body).unwrap_or_default(),
        }
        .with_header(header::CONTENT_TYPE, "application/json")
        .bearer(&self.config.token)
    }

    fn request(&self, job: &Job) -> Request {
        let c = &self.config;
        match job {
            Job::GetProject => {
                Request::get(self.url(&format!("v9/projects/{}", encode_component(&c.project))))
                    .bearer(&c.token)
            }
            Job::CreateProject => self.json_request(
                Method::Post,
                "v10/projects",
                &json!({"name": c.project, "framework": c.settings.framework}),
            ),
            Job::SetEnv => {
                let vars: Vec<Value> = self
                    .env
                    .iter()
                    .map(|(key, value)| {
                        json!({
                            "key": key,
                            "value": value,
                            "type": "encrypted",
                            "target": ["production", "preview", "development"],
                        })
                    })
                    .collect();
                self.json_request(
                    Method::Post,
                    &format!("v10/projects/{}/env?upsert=true", self.project_ref()),
                    &Value::Array(vars),
                )
            }
            Job::PostDeployment => {
                let files: Vec<Value> = self
                    .files
                    .iter()
                    .map(|(file, sha, size)| json!({"file": file, "sha": sha, "size": size}))
                    .collect();
                let mut body = json!({
                    "name": c.project,
                    "target": "production",
                    "files": files,
                    "projectSettings": c.settings,
                    "meta": {META_KEY: self.deploy_key},
                });
                if let Some(id) = &self.project_id {
                    body["project"] = json!(id);
                }
                if c.stage == Stage::Preview {
                    body["autoAssignCustomDomains"] = json!(false);
                    body["meta"][PREVIEW_KEY] = json!("1");
                }
                self.json_request(Method::Post, "v13/deployments", &body)
            }
            Job::Upload(sha) => {
                let bytes = self.blobs.get(sha).cloned().unwrap_or_default();
                let request = Request {
                    method: Method::Post,
                    url: self.url("v2/files"),
                    headers: Vec::new(),
                    body: Vec::new(),
                }
                .with_header(header::CONTENT_TYPE, "application/octet-stream")
                .with_header("content-length", bytes.len().to_string())
                .with_header("x-vercel-digest", sha.clone())
                .bearer(&c.token);
                Request {
                    body: bytes,
                    ..request
                }
            }
            Job::Poll(id) | Job::ReadDeployment(id) => {
                Request::get(self.url(&format!("v13/deployments/{}", encode_component(id))))
                    .bearer(&c.token)
            }
            // `meta-<key>=<value>` filters as `vercel ls --meta` does; a server that ignores it
            // lists the project's latest deployments, and the key is matched here either way.
            Job::FindDeployment => Request::get(self.url(&format!(
                "v6/deployments?projectId={}&limit=20&meta-{META_KEY}={}",
                self.project_ref(),
                encode_component(self.deploy_key.as_deref().unwrap_or(""))
            )))
            .bearer(&c.token),
            Job::CheckProduction => {
                Request::get(self.url(&format!("v9/projects/{}", self.project_ref())))
                    .bearer(&c.token)
            }
            Job::Promote(id) => self.json_request(
                Method::Post,
                &format!(
                    "v10/projects/{}/promote/{}",
                    self.project_ref(),
                    encode_component(id)
                ),
                &json!({}),
            ),
        }
    }

    fn fail(&mut self, error: DeployError) {
        self.error = Some(error);
        self.pool.clear();
        self.status_poll.cancel();
        self.phase = Phase::Done;
    }

    fn fail_outcome(&mut self, what: &str, outcome: &Outcome) {
        self.fail(remote_error(what, outcome));
    }

    fn malformed(&mut self, what: &str, detail: impl fmt::Display) {
        self.fail(
            RemoteError::Malformed {
                service: SERVICE,
                what: what.into(),
                detail: detail.to_string(),
            }
            .into(),
        );
    }

    fn step(&mut self) {
        self.progress.done += 1;
    }

    fn on_project(&mut self, job: Job, response: Response) {
        if job == Job::GetProject && response.status == 404 && !self.create_raced {
            self.pool.push_once(Job::CreateProject);
            return;
        }
        // Created by someone else between our look-up and our creation (409): look it up again,
        // once.
        if job == Job::CreateProject && response.status == 409 && !self.create_raced {
            self.create_raced = true;
            self.pool.push(Job::GetProject);
            return;
        }
        let what = format!("project {}", self.config.project);
        if !response.is_success() {
            return self.fail_outcome(&what, &Outcome::Response(response));
        }
        match id_of(&response.body) {
            Ok(id) => self.project_id = Some(id),
            Err(e) => return self.malformed(&what, e),
        }
        self.step();
        if self.env.is_empty() {
            self.step();
            self.start_deploy();
        } else {
            self.phase = Phase::Env;
            self.pool.push(Job::SetEnv);
        }
    }

    fn on_env(&mut self, response: Response) {
        if !response.is_success() {
            let what = format!("the environment variables of {}", self.config.project);
            return self.fail_outcome(&what, &Outcome::Response(response));
        }
        self.step();
        self.start_deploy();
    }

    fn start_deploy(&mut self) {
        self.phase = Phase::Deploy;
        self.posts += 1;
        self.pool.push_once(Job::PostDeployment);
    }

    /// The deployment was sent and its answer lost (a dropped connection, a gateway's 5xx): it
    /// may exist. Look for it by its key before sending it again, so a lost answer never makes
    /// two deployments (a later rollback would "go back" to the twin).
    fn on_deployment_lost(&mut self, outcome: &Outcome) {
        self.lost_answers += 1;
        if self.lost_answers > MAX_LOST_ANSWERS {
            return self.fail_outcome("the deployment", outcome);
        }
        self.progress.total += 1;
        self.pool.push(Job::FindDeployment);
    }

    /// The project's creation was sent and its answer lost: look it up before creating again.
    fn on_project_lost(&mut self, outcome: &Outcome) {
        self.lost_answers += 1;
        if self.lost_answers > MAX_LOST_ANSWERS {
            let what = format!("project {}", self.config.project);
            return self.fail_outcome(&what, outcome);
        }
        self.pool.push(Job::GetProject);
    }

    fn on_found(&mut self, response: Response, now_ms: u64) {
        if !response.is_success() {
            return self.fail_outcome("the project's deployments", &Outcome::Response(response));
        }
        let listed: Vec<Value> = serde_json::from_slice::<Value>(&response.body)
            .ok()
            .and_then(|v| v.get("deployments").and_then(Value::as_array).cloned())
            .unwrap_or_default();
        let key = self.deploy_key.clone().unwrap_or_default();
        let id_of = |d: &Value| {
            d.get("uid")
                .or_else(|| d.get("id"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        if let Some(found) = listed.iter().find(|d| meta_key(d) == Some(key.as_str())) {
            if let Some(id) = id_of(found) {
                return self.adopt(id, now_ms);
            }
        }
        // A listing without `meta`: read the recent ones whole (at most five).
        let recent = |d: &&Value| {
            let created = d.get("createdAt").or_else(|| d.get("created"));
            created
                .and_then(Value::as_u64)
                .is_none_or(|t| t + 120_000 >= self.posted_at)
        };
        let unread: Vec<String> = listed
            .iter()
            .filter(|d| d.get("meta").is_none())
            .filter(recent)
            .filter_map(id_of)
            .take(5)
            .collect();
        if unread.is_empty() {
            return self.start_deploy();
        }
        self.reads_left = unread.len();
        self.progress.total += unread.len() as u64;
        for id in unread {
            self.pool.push(Job::ReadDeployment(id));
        }
    }

    fn on_read(&mut self, id: String, response: Response, now_ms: u64) {
        if self.phase != Phase::Deploy {
            return; // found already
        }
        self.reads_left = self.reads_left.saturating_sub(1);
        let key = self.deploy_key.clone().unwrap_or_default();
        let ours = response.is_success()
            && serde_json::from_slice::<Value>(&response.body)
                .ok()
                .is_some_and(|v| meta_key(&v) == Some(key.as_str()));
        if ours {
            return self.adopt(id, now_ms);
        }
        if self.reads_left == 0 {
            self.start_deploy();
        }
    }

    /// The deployment sent before the lost answer exists: follow it as if it had been answered.
    fn adopt(&mut self, id: String, now_ms: u64) {
        self.step();
        self.phase = Phase::Build;
        self.deployment = Some(Deployment {
            id,
            url: String::new(),
            state: "QUEUED".into(),
        });
        self.status_poll.start(now_ms);
        if let Some(d) = &self.deployment {
            self.pool.push(Job::Poll(d.id.clone()));
        }
    }

    fn on_deployment_posted(&mut self, response: Response, now_ms: u64) {
        if response.status == 400 {
            if let Some(missing) = missing_files(&response.body) {
                return self.on_missing(missing);
            }
        }
        if !response.is_success() {
            return self.fail_outcome("the deployment", &Outcome::Response(response));
        }
        match DeploymentBody::parse(&response.body) {
            Ok(body) => {
                self.step();
                self.phase = Phase::Build;
                self.status_poll.start(now_ms);
                self.on_status(body, now_ms);
            }
            // A success whose body was cut on the way: the deployment exists but its id did not
            // arrive. Look for it by its key, as after a lost answer.
            Err(_) if self.lost_answers < MAX_LOST_ANSWERS => {
                self.lost_answers += 1;
                self.progress.total += 1;
                self.pool.push(Job::FindDeployment);
            }
            Err(e) => self.malformed("the deployment", e),
        }
    }

    fn on_missing(&mut self, missing: Vec<String>) {
        if self.posts >= MAX_POSTS {
            return self.malformed(
                "the deployment",
                format!(
                    "{} still missing after the upload",
                    crate::text::count(missing.len() as u64, "file", "files")
                ),
            );
        }
        let mut queued = std::collections::BTreeSet::new();
        for sha in missing {
            if !self.blobs.contains_key(&sha) {
                return self.malformed(
                    "the deployment",
                    format!("it asked for contents {sha} that were never listed"),
                );
            }
            queued.insert(sha);
        }
        if queued.is_empty() {
            return self.malformed("the deployment", "missing_files with nothing missing");
        }
        self.phase = Phase::Upload;
        self.uploads_left = queued.len();
        self.progress.total += queued.len() as u64;
        for sha in queued {
            self.pool.push(Job::Upload(sha));
        }
    }

    fn on_uploaded(&mut self, sha: String, response: Response) {
        if !response.is_success() {
            let what = format!("the upload of contents {sha}");
            return self.fail_outcome(&what, &Outcome::Response(response));
        }
        self.uploaded += self.blobs.get(&sha).map_or(0, |b| b.len() as u64);
        self.step();
        self.uploads_left -= 1;
        if self.uploads_left == 0 {
            self.start_deploy();
        }
    }

    fn on_poll(&mut self, response: Response, now_ms: u64) {
        if !response.is_success() {
            return self.fail_outcome("the deployment's status", &Outcome::Response(response));
        }
        match DeploymentBody::parse(&response.body) {
            Ok(body) => self.on_status(body, now_ms),
            Err(e) => self.malformed("the deployment's status", e),
        }
    }

    fn on_status(&mut self, body: DeploymentBody, now_ms: u64) {
        let state = body.ready_state.clone().unwrap_or_else(|| "QUEUED".into());
        let url = match (&body.url, &self.deployment) {
            (Some(url), _) if url.contains("://") => url.clone(),
            (Some(url), _) => format!("https://{url}"),
            (None, Some(known)) => known.url.clone(),
            (None, None) => String::new(),
        };
        let deployment = Deployment {
            id: body.id.clone(),
            url,
            state: state.clone(),
        };
        self.deployment = Some(deployment);
        match state.as_str() {
            "READY" if self.config.stage == Stage::Preview => {
                self.step();
                self.phase = Phase::Done;
            }
            "READY" => {
                self.step();
                // Vercel assigns production to a new production deployment by itself, except
                // after a rollback, until a deployment is promoted: check, and promote if needed.
                self.progress.total += 1;
                self.pool.push(Job::CheckProduction);
            }
            "ERROR" | "CANCELED" => {
                let message = body
                    .error_message
                    .or(body.error_code)
                    .unwrap_or_else(|| "no message from Vercel".into());
                self.fail(DeployError::BuildFailed {
                    service: SERVICE,
                    id: body.id,
                    state,
                    message,
                });
            }
            _ => {
                if let Err(TimedOut { minutes }) = self.status_poll.schedule(now_ms) {
                    self.fail(DeployError::TimedOut {
                        service: SERVICE,
                        id: body.id,
                        state,
                        minutes,
                    });
                }
            }
        }
    }
}

/// A final outcome as an error. Vercel answers an invalid or revoked token with 403 and
/// `error.invalidToken: true`; that is a bad token, not a missing permission.
pub(super) fn remote_error(what: &str, outcome: &Outcome) -> DeployError {
    if let Outcome::Response(r) = outcome {
        let invalid = r.status == 403
            && serde_json::from_slice::<Value>(&r.body)
                .ok()
                .and_then(|v| v.pointer("/error/invalidToken").and_then(Value::as_bool))
                == Some(true);
        if invalid {
            return RemoteError::BadToken { service: SERVICE }.into();
        }
    }
    RemoteError::from_outcome(SERVICE, what, outcome).into()
}

impl VercelDeploy {
    fn on_production(&mut self, job: Job, response: Response, now_ms: u64) {
        if !response.is_success() {
            let what = match &job {
                Job::Promote(id) => format!("the promotion of {id} to production"),
                _ => format!("project {}", self.config.project),
            };
            return self.fail_outcome(&what, &Outcome::Response(response));
        }
        let Some(id) = self.deployment.as_ref().map(|d| d.id.clone()) else {
            return self.malformed("the deployment", "no deployment to promote");
        };
        if let Job::Promote(_) = job {
            // Accepted: Vercel moves the domains in the background; follow the project.
            self.promoted = true;
            self.switch_checks.start(now_ms);
            self.step();
            self.progress.total += 1;
            return self.pool.push(Job::CheckProduction);
        }
        let project = serde_json::from_slice::<Value>(&response.body).unwrap_or(Value::Null);
        let current = project
            .pointer("/targets/production/id")
            .and_then(Value::as_str);
        // No `targets.production` at all: nothing says production is elsewhere.
        if current.is_none_or(|current| current == id) {
            self.step();
            self.phase = Phase::Done;
            return;
        }
        if !self.promoted {
            self.progress.total += 1;
            self.step();
            return self.pool.push(Job::Promote(id));
        }
        let failed = |message| DeployError::PromoteFailed {
            service: SERVICE,
            id: id.clone(),
            live: current.unwrap_or_default().to_string(),
            message,
        };
        match history::switched(&project, &id) {
            history::Switch::Failed(message) => self.fail(failed(message)),
            _ => {
                self.progress.total += 1;
                if let Err(message) = history::wait_again(&mut self.switch_checks, now_ms) {
                    self.fail(failed(message));
                }
            }
        }
    }
}

/// The key a deployment's `meta` carries.
const META_KEY: &str = "liftoffDeployKey";
/// The `meta` key that marks a preview (`"1"`).
const PREVIEW_KEY: &str = "liftoffPreview";

/// A deployment's `meta.liftoffDeployKey`, if it shows one.
fn meta_key(deployment: &Value) -> Option<&str> {
    deployment.get("meta")?.get(META_KEY)?.as_str()
}

/// The `missing` list of a `missing_files` answer.
fn missing_files(body: &[u8]) -> Option<Vec<String>> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?;
    if error.get("code")?.as_str()? != "missing_files" {
        return None;
    }
    let missing = error.get("missing")?.as_array()?;
    Some(
        missing
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect(),
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Conversation for VercelDeploy {
    type Output = Result<Deployment, DeployError>;

    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        if self.phase == Phase::Done {
            return Vec::new();
        }
        if self.status_poll.take_due(now_ms) {
            if let Some(d) = &self.deployment {
                self.pool.push(Job::Poll(d.id.clone()));
            }
        }
        if self.switch_checks.take_due(now_ms) {
            self.pool.push(Job::CheckProduction);
        }
        let due = self.pool.poll_transmit(now_ms);
        if self.deploy_key.is_none() && due.iter().any(|(_, job)| *job == Job::PostDeployment) {
            let manifest: Vec<&str> = self.files.iter().map(|(_, sha, _)| sha.as_str()).collect();
            let mut parts = vec![self.config.project.as_str()];
            parts.extend(manifest);
            self.deploy_key = Some(creation_key(&parts, now_ms));
            self.posted_at = now_ms;
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
            PoolEvent::Done(job @ (Job::GetProject | Job::CreateProject), response) => {
                self.on_project(job, response)
            }
            PoolEvent::Done(Job::SetEnv, response) => self.on_env(response),
            PoolEvent::Done(Job::PostDeployment, response) => {
                self.on_deployment_posted(response, now_ms)
            }
            PoolEvent::Done(Job::Upload(sha), response) => self.on_uploaded(sha, response),
            PoolEvent::Done(Job::Poll(_), response) => self.on_poll(response, now_ms),
            PoolEvent::Done(Job::FindDeployment, response) => self.on_found(response, now_ms),
            PoolEvent::Done(Job::ReadDeployment(id), response) => {
                self.on_read(id, response, now_ms)
            }
            PoolEvent::Failed(Job::PostDeployment, outcome) => self.on_deployment_lost(&outcome),
            PoolEvent::Failed(Job::CreateProject, outcome) => self.on_project_lost(&outcome),
            PoolEvent::Done(job @ (Job::CheckProduction | Job::Promote(_)), response) => {
                self.on_production(job, response, now_ms)
            }
            PoolEvent::Failed(job, outcome) => {
                let what = match job {
                    Job::GetProject | Job::CreateProject => {
                        format!("project {}", self.config.project)
                    }
                    Job::SetEnv => "the environment variables".into(),
                    Job::PostDeployment => "the deployment".into(),
                    Job::FindDeployment | Job::ReadDeployment(_) => {
                        "the project's deployments".into()
                    }
                    Job::Upload(sha) => format!("the upload of contents {sha}"),
                    Job::Poll(_) => "the deployment's status".into(),
                    Job::CheckProduction => format!("project {}", self.config.project),
                    Job::Promote(id) => format!("the promotion of {id} to production"),
                };
                self.fail_outcome(&what, &outcome);
            }
            PoolEvent::Retrying | PoolEvent::Unknown => {}
        }
    }

    fn next_wakeup(&self) -> Option<u64> {
        let switch = self.switch_checks.next_wakeup(self.pool.next_wakeup());
        self.status_poll.next_wakeup(switch)
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
        self.deployment.ok_or_else(|| {
            RemoteError::Malformed {
                service: SERVICE,
                what: "the deployment".into(),
                detail: "finished without a deployment".into(),
            }
            .into()
        })
    }
}

#[cfg(test)]
mod tests;
