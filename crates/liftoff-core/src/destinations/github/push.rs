//! [`GitHubPush`]: one commit of a whole tree onto a GitHub branch, as a conversation.
//!
//! 1. `GET /user` (the author) and `GET /repos/{owner}/{repo}`, together; on 404 and when
//!    asked, `POST /user/repos` or `POST /orgs/{org}/repos`, sent once: after a lost answer
//!    the repository is looked up again before another creation.
//! 2. `GET {clone_url}/info/refs?service=git-receive-pack`: the branch's head, if any.
//! 3. `GET /repos/{owner}/{repo}/git/trees/{head}?recursive=1`: what the remote already
//!    holds (skipped for an empty repository). The root tree's id follows from the listing's
//!    top-level entries (`remote_tree`); a truncated listing, or a trees endpoint that refuses
//!    a commit id, is completed with `GET /repos/{owner}/{repo}/git/commits/{head}` (and then
//!    the listing asked by tree id).
//! 4. `POST {clone_url}/git-receive-pack`: `head → new commit` and a pack of the missing
//!    objects. The update names the old head, so it applies only if the branch did not move.
//! 5. With a pull request asked for: `GET /repos/{owner}/{repo}/pulls?head={owner}:{branch}
//!    &state=open`, then `PATCH` the open one or `POST` a new one into the default branch.
//!
//! A preview ([`GitHubPreview`]) takes steps 1 to 3, then downloads the old text of a bounded
//! number of changed files (`GET /repos/{owner}/{repo}/git/blobs/{sha}`) and writes nothing.
//!
//! When the update is refused or its answer lost, the refs are read again: if the branch is at
//! our commit, the push arrived; if it moved, the commit is rebuilt on the new head once;
//! otherwise the refusal is reported and the branch is untouched.
//!
//! A plain git remote ([`Discovery::GitOnly`], `--to git`) has no REST API: step 1 becomes
//! `GET {url}/info/refs?service=git-upload-pack` and `ls-refs` (protocol v2, [`super::fetch`]:
//! the default branch from `HEAD`), and step 3 a `fetch` of the head commit without history or
//! blobs, whose trees say what the remote holds. A server without protocol v2 (or without
//! `fetch`) gets everything sent, which is still correct; nothing is created, no pull request.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

use crate::net::{
    header, join_url, Conversation, Method, Outcome, Outgoing, Pool, PoolEvent, Progress,
    RemoteError, Request, RequestId, Response, RetryPolicy, MAX_LOST_ANSWERS,
};
use crate::tree::SourceTree;

use super::advertisement::{Advertisement, ProtocolError};
use super::api::{generic_error_from, parse_json, rate_limit, Owner, Repository, User};
use super::commit::{serialize_commit, CommitInfo, Signature};
use super::diff::{Comparison, FileChange, Limits, Preview};
use super::error::PushError;
use super::fetch::{
    fetch_request, ls_refs_request, parse_capabilities, parse_fetch, parse_ls_refs, remote_tree,
    V2Capabilities, PROTOCOL_HEADER, UPLOAD_PACK_REQUEST,
};
use super::forge::{Call, ForgeApi, PullText, Site, GITHUB};
use super::ignore::{split_uncommittable, Excluded};
use super::names::{check_branch, clone_url_is_safe};
use super::object::{object_id, ObjectId, ObjectKind};
use super::pack_read::PackLimits;
use super::plain::{default_branch as ls_refs_default, parse_remote_url, v0_default_branch};
use super::pulls::{pull_body, PullRequestResult, PullRequestSpec};
use super::remote_tree::{CommitObject, Listing, RemoteTree};
use super::report_status::parse_report_status;
use super::tree_build::{build_tree, BuiltTree};
use super::upload::{receive_pack_body, RefUpdate, Upload};

/// GitHub's REST API.
pub const DEFAULT_API: &str = "https://api.github.com";

const ADVERTISEMENT_TYPE: &str = "application/x-git-receive-pack-advertisement";
const RECEIVE_PACK_REQUEST: &str = "application/x-git-receive-pack-request";
const RECEIVE_PACK_RESULT: &str = "application/x-git-receive-pack-result";
const UPLOAD_PACK_RESULT: &str = "application/x-git-upload-pack-result";
/// Who a plain remote is, in messages.
const GIT_SERVER: &str = "the git server";
/// Pages of open pull requests read at most when looking for the branch's (50 each on Gitea).
const MAX_PULL_PAGES: u32 = 20;

/// How a push finds the repository and learns what its branch holds.
#[derive(Clone, Copy)]
pub enum Discovery {
    /// A forge's REST API ([`ForgeApi`]: GitHub, Gitea, GitLab): the user, the repository
    /// (created when asked), pull requests; the branch's tree from GitHub's trees endpoint, or
    /// over git for the others.
    Api(&'static dyn ForgeApi),
    /// git alone (`--to git`): `repository` is the remote's URL; the default branch and the
    /// branch's tree come from `git-upload-pack`; nothing is created.
    GitOnly,
}

impl Default for Discovery {
    /// GitHub's REST API.
    fn default() -> Self {
        Self::Api(&GITHUB)
    }
}

impl fmt::Debug for Discovery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(api) => write!(f, "Api({})", api.service()),
            Self::GitOnly => f.write_str("GitOnly"),
        }
    }
}

impl PartialEq for Discovery {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Api(a), Self::Api(b)) => a.service() == b.service(),
            (Self::GitOnly, Self::GitOnly) => true,
            _ => false,
        }
    }
}

/// Who a commit to a plain remote is by (there is no account to ask).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub name: String,
    pub email: String,
}

impl Default for Author {
    /// Liftoff itself, at an address that cannot be anyone's (`.invalid`, RFC 2606).
    fn default() -> Self {
        Self {
            name: "Liftoff".into(),
            email: "liftoff@users.noreply.liftoff.invalid".into(),
        }
    }
}

/// What to push where. `Debug` never shows the token.
#[derive(Clone)]
pub struct PushConfig {
    /// A GitHub token (classic or fine-grained). Sent only to `api` (as a bearer token) and to
    /// the repository's clone URL (as `x-access-token` basic credentials).
    pub token: String,
    /// Origin of the REST API (`https://api.github.com`, or a local stand-in).
    pub api: String,
    /// `OWNER/NAME`; with [`Discovery::GitOnly`], the remote's URL.
    pub repository: String,
    /// GitHub's REST API, or git alone.
    pub discovery: Discovery,
    /// The user name git's Basic auth sends with the token for a plain remote (the URL's own
    /// wins; `git` when neither says).
    pub username: Option<String>,
    /// The commit's author for a plain remote ([`Author::default`] when `None`).
    pub author: Option<Author>,
    /// The branch to push to; `None` for the repository's default branch.
    pub branch: Option<String>,
    /// Create the repository when it does not exist.
    pub create: bool,
    /// Make a created repository private.
    pub private: bool,
    /// The commit message (see [`default_message`](super::default_message)).
    pub message: String,
    /// The commit's time, epoch seconds (the core has no clock).
    pub time_s: i64,
    /// Open (or update) a pull request from `branch` into the default branch after the push.
    pub pull_request: Option<PullRequestSpec>,
    /// How much of the old contents a preview downloads and compares.
    pub preview_limits: Limits,
    pub retry: RetryPolicy,
}

impl PushConfig {
    /// A push of `repository` to its default branch on github.com, no creation.
    pub fn new(
        repository: impl Into<String>,
        token: impl Into<String>,
        message: impl Into<String>,
        time_s: i64,
    ) -> Self {
        Self {
            token: token.into(),
            api: DEFAULT_API.into(),
            repository: repository.into(),
            discovery: Discovery::default(),
            username: None,
            author: None,
            branch: None,
            create: false,
            private: false,
            message: message.into(),
            time_s,
            pull_request: None,
            preview_limits: Limits::default(),
            retry: RetryPolicy::default(),
        }
    }
}

impl fmt::Debug for PushConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PushConfig")
            .field("token", &"<redacted>")
            .field("api", &self.api)
            .field("repository", &self.repository)
            .field("discovery", &self.discovery)
            .field("username", &self.username)
            .field("author", &self.author)
            .field("branch", &self.branch)
            .field("create", &self.create)
            .field("private", &self.private)
            .field("message", &self.message)
            .field("time_s", &self.time_s)
            .field("pull_request", &self.pull_request)
            .finish_non_exhaustive()
    }
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushResult {
    /// The branch's head afterwards: the new commit, or the existing one when up to date.
    pub commit: ObjectId,
    /// `{html_url}/commit/{commit}`.
    pub url: String,
    pub branch: String,
    /// `OWNER/NAME` as GitHub spells it.
    pub repository: String,
    /// The repository was created by this push.
    pub created: bool,
    /// The tree was already the branch's: no commit was made.
    pub up_to_date: bool,
    /// The branch moved during the push and the commit was rebuilt on its new head.
    pub rebuilt: bool,
    /// Objects in the pack that was accepted.
    pub objects_sent: u64,
    /// Request body bytes sent, every request and retry included.
    pub bytes_sent: u64,
    /// Requests sent, retries included.
    pub requests: u64,
    /// Files left out of the commit (`.env`, `.gitignore`d), with the reason.
    pub excluded: Vec<Excluded>,
    /// What the commit changed, file by file (line counts for added text only: a push downloads
    /// no old text; a preview does).
    pub changes: Vec<FileChange>,
    /// The pull request opened or updated, when one was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<PullRequestResult>,
}

/// One request of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    User,
    Repo,
    Create,
    /// A plain remote's upload-pack capabilities (protocol v2, or a v0 advertisement).
    Caps,
    /// A forge's namespace, whose id a creation needs (GitLab's groups).
    Namespace,
    /// `ls-refs`: where `HEAD` points.
    LsRefs,
    /// A `fetch` of a commit and its trees.
    Fetch(ObjectId),
    Refs,
    /// The listing of a commit's tree, asked by the commit's id.
    Tree(ObjectId),
    /// A commit object: its tree's id.
    Commit(ObjectId),
    /// The listing of a tree, asked by the tree's id (the trees endpoint refused the commit).
    TreeOf(ObjectId),
    /// A preview's old text.
    Blob(ObjectId),
    Send,
    /// A page of the open pull requests (from 1).
    FindPull(u32),
    CreatePull,
    UpdatePull(u64),
}

/// What the conversation does once it knows the branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Push,
    Preview,
}

/// How it ended: a push, or a preview.
enum Done {
    Pushed(PushResult),
    Previewed(Preview),
}

/// The commit on its way, and what to say if its update fails.
struct InFlight {
    update: RefUpdate,
    upload: Upload,
    side_band: bool,
}

/// Set while the refs are read again after a failed update.
struct Verifying {
    update: RefUpdate,
    objects: u32,
    error: PushError,
    /// The failure was a lost answer, not a refusal: if the check fails too, say so.
    unconfirmed: bool,
}

/// The steps a push and a preview share.
struct Steps {
    mode: Mode,
    config: PushConfig,
    owner: String,
    name: String,
    files: SourceTree,
    excluded: Vec<Excluded>,
    built: BuiltTree,
    pool: Pool<Job>,
    user: Option<User>,
    repo: Option<Repository>,
    repo_missing: bool,
    created: bool,
    /// Answers to the creating call lost so far: each one is followed by a fresh look at the
    /// repository before it is created again.
    lost_creates: u32,
    branch: String,
    /// Objects the remote is known to hold.
    known: HashSet<ObjectId>,
    /// The parent commit and its root tree, once known.
    base: Option<(ObjectId, Option<ObjectId>)>,
    /// The commit whose tree is being listed by the tree's id.
    listing_of: Option<(ObjectId, ObjectId)>,
    /// A preview's old texts still in flight.
    blobs_pending: usize,
    /// What the base's listing says the branch holds.
    remote: Option<RemoteTree>,
    /// The export against the base, once the base is known.
    comparison: Option<Comparison>,
    /// A pushed commit waiting for its pull request: `(commit, objects sent, up to date)`.
    pushed: Option<(ObjectId, u64, bool)>,
    pull_request: Option<PullRequestResult>,
    /// A pull request was created (or found to exist) and is being looked up again.
    pull_creating: bool,
    /// The branch's head as last advertised (`None`: no such branch).
    head: Option<ObjectId>,
    side_band: bool,
    in_flight: Option<InFlight>,
    verifying: Option<Verifying>,
    /// What a plain remote's upload-pack offers (`None`: version 0, or not asked yet).
    caps: Option<V2Capabilities>,
    /// The upload-pack's capabilities were asked for (a forge whose trees come over git).
    caps_asked: bool,
    /// The namespace a creation goes into, once looked up.
    namespace_id: Option<u64>,
    rebuilt: bool,
    bytes_sent: u64,
    progress: Progress,
    result: Option<Result<Done, PushError>>,
}

/// The push conversation. Build with [`GitHubPush::new`], drive as a [`Conversation`].
pub struct GitHubPush(Steps);

/// A preview: what a push would change, read and compared, nothing written. Build with
/// [`GitHubPreview::new`], drive as a [`Conversation`].
pub struct GitHubPreview(Steps);

impl GitHubPush {
    /// Checks the names, leaves out what must not be committed and hashes the tree; nothing
    /// is sent yet.
    pub fn new(config: PushConfig, tree: SourceTree) -> Result<Self, PushError> {
        Steps::new(Mode::Push, config, tree).map(Self)
    }

    /// The files that were left out, and why.
    pub fn excluded(&self) -> &[Excluded] {
        &self.0.excluded
    }

    /// Number of files the commit holds.
    pub fn file_count(&self) -> usize {
        self.0.files.len()
    }
}

impl GitHubPreview {
    /// As [`GitHubPush::new`]; a pull request asked for in `config` is ignored.
    pub fn new(config: PushConfig, tree: SourceTree) -> Result<Self, PushError> {
        Steps::new(Mode::Preview, config, tree).map(Self)
    }
}

impl Steps {
    fn new(mode: Mode, config: PushConfig, tree: SourceTree) -> Result<Self, PushError> {
        let api = match config.discovery {
            Discovery::GitOnly => return Self::plain(mode, config, tree),
            Discovery::Api(api) => api,
        };
        let (owner, name) = api.parse_name(&config.repository)?;
        let mut steps = Self::build(mode, config, tree, owner, name)?;
        steps.pool.push(Job::User);
        steps.pool.push(Job::Repo);
        Ok(steps)
    }

    /// The steps before any request: names checked, the tree hashed, nothing queued.
    fn build(
        mode: Mode,
        config: PushConfig,
        tree: SourceTree,
        owner: String,
        name: String,
    ) -> Result<Self, PushError> {
        let branch = match &config.branch {
            Some(branch) => check_branch(branch)?,
            None => String::new(),
        };
        if config.pull_request.is_some() && branch.is_empty() && mode == Mode::Push {
            return Err(PushError::PullRequestNeedsBranch);
        }
        let (files, excluded) = split_uncommittable(tree);
        let built = build_tree(&files);
        let pool = Pool::new(4, config.retry);
        Ok(Self {
            mode,
            config,
            owner,
            name,
            files,
            excluded,
            built,
            pool,
            user: None,
            repo: None,
            repo_missing: false,
            created: false,
            lost_creates: 0,
            branch,
            known: HashSet::new(),
            base: None,
            listing_of: None,
            blobs_pending: 0,
            remote: None,
            comparison: None,
            pushed: None,
            pull_request: None,
            pull_creating: false,
            head: None,
            side_band: false,
            in_flight: None,
            verifying: None,
            caps: None,
            caps_asked: false,
            namespace_id: None,
            rebuilt: false,
            bytes_sent: 0,
            progress: Progress { done: 0, total: 5 },
            result: None,
        })
    }

    /// A push to a plain remote: the repository and the author known from the URL and the
    /// config, the upload-pack asked first.
    fn plain(mode: Mode, mut config: PushConfig, tree: SourceTree) -> Result<Self, PushError> {
        let remote = parse_remote_url(&config.repository)?;
        if config.create {
            return Err(PushError::NeedsForgeApi {
                what: "creating the repository (--create)",
            });
        }
        if config.pull_request.is_some() {
            return Err(PushError::NeedsForgeApi {
                what: "a pull request (--pr)",
            });
        }
        let author = config.author.clone().unwrap_or_default();
        let username = remote.username.clone().or_else(|| config.username.clone());
        config.username = Some(username.unwrap_or_else(|| "git".into()));
        config.repository = remote.url.clone();
        let mut steps = Self::build(mode, config, tree, String::new(), remote.url.clone())?;
        steps.user = Some(User {
            login: author.name.clone(),
            id: None,
            name: Some(author.name),
            email: Some(author.email),
        });
        steps.repo = Some(Repository {
            full_name: remote.url.clone(),
            default_branch: None,
            clone_url: remote.url.clone(),
            html_url: remote.url,
            owner: Owner {
                login: String::new(),
            },
        });
        steps.pool.push(Job::Caps);
        steps.progress = Progress { done: 0, total: 4 };
        Ok(steps)
    }

    fn plain_remote(&self) -> bool {
        self.config.discovery == Discovery::GitOnly
    }

    /// The forge's REST API (GitHub's for a plain remote, which never calls it).
    fn forge(&self) -> &'static dyn ForgeApi {
        match self.config.discovery {
            Discovery::Api(api) => api,
            Discovery::GitOnly => &GITHUB,
        }
    }

    /// Who the remote is, in messages.
    fn service(&self) -> &'static str {
        match self.config.discovery {
            Discovery::Api(api) => api.service(),
            Discovery::GitOnly => GIT_SERVER,
        }
    }

    fn site(&self) -> Site<'_> {
        Site {
            api: &self.config.api,
            token: &self.config.token,
            owner: &self.owner,
            name: &self.name,
        }
    }

    /// The error for an outcome no step-specific rule explained.
    fn remote_error(&self, what: &str, outcome: &Outcome) -> PushError {
        generic_error_from(self.service(), what, outcome)
    }

    /// `OWNER/NAME` as the forge spells it, or as asked when its spelling is not a name.
    fn full_name(&self) -> String {
        if self.plain_remote() {
            return self.config.repository.clone();
        }
        match &self.repo {
            Some(repo) if self.forge().parse_name(&repo.full_name).is_ok() => {
                repo.full_name.clone()
            }
            _ => format!("{}/{}", self.owner, self.name),
        }
    }

    fn ref_name(&self) -> String {
        format!("refs/heads/{}", self.branch)
    }

    fn clone_url(&self) -> &str {
        self.repo.as_ref().map_or("", |r| r.clone_url.as_str())
    }

    /// A REST call to the forge.
    fn api_request(&self, call: Call) -> Request {
        self.forge().request(&self.site(), call)
    }

    fn git_request(&self, method: Method, path: &str) -> Request {
        let user = match self.config.discovery {
            Discovery::Api(api) => self.user.as_ref().map(|u| api.git_user(u)),
            Discovery::GitOnly => self.config.username.clone(),
        };
        let user = user.unwrap_or_else(|| "git".into());
        let credentials = format!("{user}:{}", self.config.token);
        let basic = crate::b64::encode(credentials.as_bytes());
        Request {
            method,
            url: join_url(self.clone_url(), path),
            headers: Vec::new(),
            body: Vec::new(),
        }
        .with_header(header::AUTHORIZATION, format!("Basic {basic}"))
    }

    fn request(&self, job: Job) -> Request {
        let forge = self.forge();
        let site = self.site();
        let repo_path = format!("repos/{}/{}", self.owner, self.name);
        match job {
            Job::User => self.api_request(forge.user()),
            Job::Repo => self.api_request(forge.repo(&site)),
            Job::Namespace => {
                let user = self.user.as_ref().expect("the user before the namespace");
                let call = forge
                    .namespace(&site, user)
                    .expect("a namespace to look up");
                self.api_request(call)
            }
            Job::Create => {
                let user = self.user.as_ref().expect("the user before a creation");
                let call = forge.create(&site, user, self.namespace_id, self.config.private);
                self.api_request(call)
            }
            Job::Refs => self.git_request(Method::Get, "info/refs?service=git-receive-pack"),
            Job::Caps => self
                .git_request(Method::Get, "info/refs?service=git-upload-pack")
                .with_header(PROTOCOL_HEADER.0, PROTOCOL_HEADER.1),
            Job::LsRefs => {
                let body = ls_refs_request(self.caps.as_ref().expect("ls-refs after the caps"));
                self.upload_pack(body)
            }
            Job::Fetch(commit) => {
                let body = fetch_request(commit, self.caps.as_ref().expect("fetch after the caps"));
                self.upload_pack(body)
            }
            // GitHub's trees and commits endpoints (the other forges' trees come over git).
            Job::Tree(id) | Job::TreeOf(id) => {
                self.api_request(Call::get(format!("{repo_path}/git/trees/{id}?recursive=1")))
            }
            Job::Commit(id) => self.api_request(Call::get(format!("{repo_path}/git/commits/{id}"))),
            Job::Blob(id) => self.api_request(forge.blob(&site, id)),
            Job::FindPull(_) | Job::CreatePull | Job::UpdatePull(_) => {
                let base = self.default_branch().unwrap_or_default();
                let body = self.pull_body();
                let pull = PullText {
                    head: &self.branch,
                    base: &base,
                    title: self
                        .pull_spec()
                        .map(|p| p.title.as_str())
                        .unwrap_or_default(),
                    body: &body,
                };
                let call = match job {
                    Job::FindPull(page) => forge.find_pull(&site, &self.repo_owner(), &pull, page),
                    Job::CreatePull => forge.create_pull(&site, &pull),
                    Job::UpdatePull(number) => forge.update_pull(&site, number, &pull),
                    _ => unreachable!("pull request jobs only"),
                };
                self.api_request(call)
            }
            Job::Send => {
                let mut request = self
                    .git_request(Method::Post, "git-receive-pack")
                    .with_header(header::CONTENT_TYPE, RECEIVE_PACK_REQUEST)
                    .with_header(header::ACCEPT, RECEIVE_PACK_RESULT);
                if let Some(in_flight) = &self.in_flight {
                    request.body = in_flight.upload.body.clone();
                }
                request
            }
        }
    }

    /// A protocol-v2 command to the remote's upload-pack.
    fn upload_pack(&self, body: Vec<u8>) -> Request {
        let mut request = self
            .git_request(Method::Post, "git-upload-pack")
            .with_header(PROTOCOL_HEADER.0, PROTOCOL_HEADER.1)
            .with_header(header::CONTENT_TYPE, UPLOAD_PACK_REQUEST)
            .with_header(header::ACCEPT, UPLOAD_PACK_RESULT);
        request.body = body;
        request
    }

    /// The repository's owner as GitHub spells it (a pull request's `head` names it).
    fn repo_owner(&self) -> String {
        self.repo
            .as_ref()
            .map_or_else(|| self.owner.clone(), |r| r.owner.login.clone())
    }

    /// The default branch, as the repository says (never assumed).
    fn default_branch(&self) -> Option<String> {
        self.repo.as_ref().and_then(|r| r.default_branch.clone())
    }

    fn pull_spec(&self) -> Option<&PullRequestSpec> {
        self.config.pull_request.as_ref()
    }

    /// The pull request's body: the summary, then the changes.
    fn pull_body(&self) -> String {
        let changes = self.comparison.as_ref().map_or(&[][..], |c| c.changes());
        pull_body(self.pull_spec(), changes)
    }

    fn fail(&mut self, error: PushError) {
        self.pool.clear();
        self.result = Some(Err(error));
    }

    fn queue(&mut self, job: Job) {
        if matches!(job, Job::Create | Job::CreatePull) {
            // Creating twice is not possible (the name is taken; one open pull request per
            // branch), but a lost answer must not end the push either: it is followed by a
            // look at what exists.
            self.pool.push_once(job);
        } else {
            self.pool.push(job);
        }
    }

    fn on_response(&mut self, job: Job, response: Response) {
        let result = match job {
            Job::User => self.on_user(response),
            Job::Repo => self.on_repo(response),
            Job::Create => self.on_create(response),
            Job::Namespace => self.on_namespace(response),
            Job::Caps => self.on_caps(response),
            Job::LsRefs => self.on_ls_refs(response),
            Job::Fetch(commit) => self.on_fetch(commit, response),
            Job::Refs => self.on_refs(response),
            Job::Tree(commit) => self.on_tree(commit, response),
            Job::Commit(commit) => self.on_commit(commit, response),
            Job::TreeOf(tree) => self.on_tree_of(tree, response),
            Job::Blob(id) => self.on_blob(id, response),
            Job::Send => self.on_sent(response),
            Job::FindPull(page) => self.on_find_pull(page, response),
            Job::CreatePull => self.on_create_pull(response),
            Job::UpdatePull(_) => self.on_update_pull(response),
        };
        if let Err(error) = result {
            self.fail(error);
        }
    }

    /// A plain remote's upload-pack: protocol v2 asks `ls-refs` next; version 0 names the
    /// default branch itself (or `--branch` does), and the tree is never fetched.
    fn on_caps(&mut self, response: Response) -> Result<(), PushError> {
        if !response.is_success() {
            return self.git_error("read", response);
        }
        let repo = self.full_name();
        let caps = parse_capabilities(&response.body)
            .map_err(|source| PushError::Protocol { repo, source })?;
        if !self.plain_remote() {
            // A forge's branch head is known: fetch its trees, if the server can.
            self.caps = caps;
            return self.fetch_base();
        }
        match caps {
            Some(caps) if caps.ls_refs => {
                self.caps = Some(caps);
                self.queue(Job::LsRefs);
                Ok(())
            }
            other => {
                self.caps = other;
                let named = v0_default_branch(&response.body);
                self.know_default_branch(named)
            }
        }
    }

    fn on_ls_refs(&mut self, response: Response) -> Result<(), PushError> {
        if !response.is_success() {
            return self.git_error("read", response);
        }
        let repo = self.full_name();
        let refs =
            parse_ls_refs(&response.body).map_err(|source| PushError::Protocol { repo, source })?;
        self.know_default_branch(ls_refs_default(&refs))
    }

    /// The plain remote's default branch (or, when it says none, the branch asked for): then
    /// on to the refs, as after GitHub's discovery.
    fn know_default_branch(&mut self, named: Option<String>) -> Result<(), PushError> {
        let default = match (named, &self.config.branch) {
            (Some(name), _) => check_branch(&name)?,
            (None, Some(asked)) => check_branch(asked)?,
            (None, None) => {
                return Err(PushError::NoDefaultBranch {
                    repo: self.full_name(),
                })
            }
        };
        if let Some(repo) = self.repo.as_mut() {
            repo.default_branch = Some(default);
        }
        self.after_discovery()
    }

    /// The head commit's trees from a plain remote: what it holds, as a listing would say. A
    /// fetch that fails or cannot be read leaves the remote unknown: everything is sent.
    fn on_fetch(&mut self, commit: ObjectId, response: Response) -> Result<(), PushError> {
        if matches!(response.status, 401 | 403) {
            return self.git_error("read", response);
        }
        let remote = response
            .is_success()
            .then(|| parse_fetch(&response.body).ok())
            .flatten()
            .and_then(|pack| remote_tree(&pack, commit, PackLimits::default()).ok());
        match remote {
            Some(remote) => {
                self.known.extend(remote.objects.iter().copied());
                let root = remote.root;
                self.remote = Some(remote);
                self.after_base(commit, root)
            }
            None => self.after_base(commit, None),
        }
    }

    fn on_user(&mut self, response: Response) -> Result<(), PushError> {
        // No user endpoint at all: the address is not the forge's API.
        if response.status == 404 {
            return Err(PushError::NoApi {
                service: self.service(),
                api: crate::text::excerpt(&self.config.api),
            });
        }
        if !response.is_success() {
            return Err(self.remote_error("the token's user", &Outcome::Response(response)));
        }
        self.user = Some(self.forge().parse_user(&self.site(), &response)?);
        self.after_discovery()
    }

    /// The namespace's id, then the creation.
    fn on_namespace(&mut self, response: Response) -> Result<(), PushError> {
        match response.status {
            200..=299 => {
                let id = self.forge().parse_namespace(&response).ok_or_else(|| {
                    PushError::from(RemoteError::Malformed {
                        service: self.service(),
                        what: format!("the namespace {}", self.owner),
                        detail: "the answer has no id".into(),
                    })
                })?;
                self.namespace_id = Some(id);
                self.queue(Job::Create);
                Ok(())
            }
            403 | 404 => Err(PushError::CannotCreate {
                service: self.service(),
                owner: self.owner.clone(),
                status: response.status,
            }),
            _ => Err(self.remote_error(
                &format!("the namespace {}", self.owner),
                &Outcome::Response(response),
            )),
        }
    }

    fn on_repo(&mut self, response: Response) -> Result<(), PushError> {
        let repo = self.full_name();
        match response.status {
            200..=299 => {
                self.repo = Some(self.forge().parse_repo(&response)?);
                if self.repo_missing {
                    // Looked at again after a lost answer to the creation: it was made.
                    self.repo_missing = false;
                    self.created = true;
                }
                self.after_discovery()
            }
            404 if self.config.create => {
                if !self.repo_missing {
                    self.repo_missing = true;
                    self.progress.total += 1;
                }
                self.after_discovery()
            }
            404 => Err(PushError::RepositoryNotFound { repo }),
            403 if rate_limit(&response).is_none() => Err(PushError::Permission {
                service: self.service(),
                repo,
                action: "read",
                status: 403,
            }),
            _ => Err(self.remote_error(&repo, &Outcome::Response(response))),
        }
    }

    /// Once both the user and the repository (or its absence) are known.
    fn after_discovery(&mut self) -> Result<(), PushError> {
        if self.user.is_none() || (self.repo.is_none() && !self.repo_missing) {
            return Ok(());
        }
        if self.repo_missing {
            match self.mode {
                Mode::Push => {
                    let user = self.user.as_ref().expect("the user is known");
                    let lookup = self.namespace_id.is_none()
                        && self.forge().namespace(&self.site(), user).is_some();
                    self.queue(if lookup { Job::Namespace } else { Job::Create });
                }
                // A preview writes nothing: every file would be added to the new repository,
                // on the branch asked for (or the one GitHub names default for a new one).
                Mode::Preview => {
                    if self.branch.is_empty() {
                        self.branch = "main".into();
                    }
                    self.finish_preview();
                }
            }
            return Ok(());
        }
        self.start_refs()
    }

    fn on_create(&mut self, response: Response) -> Result<(), PushError> {
        let repo = self.full_name();
        match response.status {
            200..=299 => match self.forge().parse_repo(&response) {
                Ok(created) => {
                    self.repo = Some(created);
                    self.created = true;
                    self.start_refs()
                }
                // Created, but the answer was cut on the way: look the repository up.
                Err(_) if self.lost_creates < MAX_LOST_ANSWERS => {
                    self.lost_creates += 1;
                    self.queue(Job::Repo);
                    Ok(())
                }
                Err(error) => Err(error),
            },
            // After a lost answer, "name already exists" is likely our own creation, not yet
            // visible when we looked: look again rather than report the name taken.
            _ if self.forge().name_taken(&response)
                && self.lost_creates > 0
                && self.lost_creates <= MAX_LOST_ANSWERS =>
            {
                self.lost_creates += 1;
                self.queue(Job::Repo);
                Ok(())
            }
            _ if self.forge().name_taken(&response) => Err(PushError::NameTaken {
                service: self.service(),
                status: response.status,
                message: super::api::error_message(&response),
                repo,
            }),
            _ if self.forge().cannot_create(&response) && rate_limit(&response).is_none() => {
                Err(PushError::CannotCreate {
                    service: self.service(),
                    owner: self.owner.clone(),
                    status: response.status,
                })
            }
            _ => Err(self.remote_error(&repo, &Outcome::Response(response))),
        }
    }

    fn start_refs(&mut self) -> Result<(), PushError> {
        let repo = self.repo.as_ref().expect("repository known before refs");
        // A plain remote's URL was checked when the push began: it is the person's own.
        if !self.plain_remote() && !clone_url_is_safe(&self.config.api, &repo.clone_url) {
            return Err(PushError::UnsafeCloneUrl {
                service: self.service(),
                url: crate::text::excerpt(&repo.clone_url),
            });
        }
        let Some(default) = repo.default_branch.clone() else {
            return Err(RemoteError::Malformed {
                service: self.service(),
                what: repo.full_name.clone(),
                detail: "the answer names no default branch".into(),
            }
            .into());
        };
        if self.branch.is_empty() {
            self.branch = check_branch(&default)?;
        }
        if self.mode == Mode::Push && self.pull_spec().is_some() && self.branch == default {
            return Err(PushError::PullRequestFromDefault { branch: default });
        }
        self.queue(Job::Refs);
        Ok(())
    }

    fn on_refs(&mut self, response: Response) -> Result<(), PushError> {
        if !response.is_success() {
            return self.git_error("push to", response);
        }
        let repo = self.full_name();
        let content_type = response.header(header::CONTENT_TYPE).unwrap_or("");
        if !content_type.is_empty() && !content_type.starts_with(ADVERTISEMENT_TYPE) {
            let detail = format!("content type {content_type}: is the clone URL a git server?");
            return Err(PushError::Protocol {
                repo,
                source: ProtocolError::NotAnAdvertisement(detail.chars().take(200).collect()),
            });
        }
        let advertisement = Advertisement::parse(&response.body)
            .map_err(|source| PushError::Protocol { repo, source })?;
        let head = advertisement.get(&self.ref_name());
        if let Some(verifying) = self.verifying.take() {
            if head == Some(verifying.update.new) {
                // The update arrived after all (its answer was lost, or a retry found it done).
                return self.succeed(verifying.update.new, u64::from(verifying.objects), false);
            }
            let moved = head != non_zero(verifying.update.old);
            if !moved || self.rebuilt {
                return Err(if moved {
                    PushError::BranchKeptMoving {
                        repo: self.full_name(),
                        branch: self.branch.clone(),
                    }
                } else {
                    verifying.error
                });
            }
            self.rebuilt = true;
            self.progress.total += 2;
        }
        if !advertisement.has_capability("report-status") {
            return Err(PushError::Protocol {
                repo: self.full_name(),
                source: ProtocolError::NotAnAdvertisement(
                    "the server does not offer report-status".into(),
                ),
            });
        }
        self.side_band = advertisement.has_capability("side-band-64k");
        self.head = head;
        // A new branch starts from the default branch's head, as `git branch` would.
        let default_head = self
            .repo
            .as_ref()
            .and_then(|r| r.default_branch.as_deref())
            .and_then(|b| advertisement.get(&format!("refs/heads/{b}")));
        // A pull request needs its base: into an empty repository there is nothing to open one
        // against (the forge would refuse it after the push landed).
        if self.mode == Mode::Push && self.pull_spec().is_some() && default_head.is_none() {
            return Err(PushError::PullRequestIntoEmpty {
                service: self.service(),
                repo: self.full_name(),
                base: self.default_branch().unwrap_or_default(),
                created: self.created,
            });
        }
        match head.or(default_head) {
            Some(parent) => {
                self.base = Some((parent, None));
                if self.forge().rest_trees() && !self.plain_remote() {
                    self.queue(Job::Tree(parent));
                } else if self.plain_remote() || self.caps_asked {
                    return self.fetch_base();
                } else {
                    // A forge whose trees come over git: its upload-pack first.
                    self.caps_asked = true;
                    self.progress.total += 1;
                    self.queue(Job::Caps);
                }
            }
            None => {
                self.base = None;
                self.progress.total = self.progress.total.saturating_sub(1);
                self.compare();
                match self.mode {
                    Mode::Push => self.send_commit(),
                    Mode::Preview => self.fetch_old_texts(),
                }
            }
        }
        Ok(())
    }

    /// The base's trees over git: a blobless fetch where the server speaks protocol v2 with
    /// `fetch`; otherwise nothing is known and everything is sent, which is still correct.
    fn fetch_base(&mut self) -> Result<(), PushError> {
        let (parent, _) = self.base.expect("a base to fetch");
        match &self.caps {
            Some(caps) if caps.fetch => {
                self.queue(Job::Fetch(parent));
                Ok(())
            }
            _ => {
                self.progress.total = self.progress.total.saturating_sub(1);
                self.after_base(parent, None)
            }
        }
    }

    fn on_tree(&mut self, commit: ObjectId, response: Response) -> Result<(), PushError> {
        match response.status {
            200..=299 => {
                let listing: Listing = parse_json("the branch's tree", &response)?;
                let remote = RemoteTree::from_listing(&listing);
                self.known.extend(remote.objects.iter().copied());
                let root = remote.root;
                self.remote = Some(remote);
                match root {
                    Some(root) => self.after_base(commit, Some(root)),
                    // A cut listing lacks entries: the commit names the root.
                    None => {
                        self.progress.total += 1;
                        self.queue(Job::Commit(commit));
                        Ok(())
                    }
                }
            }
            // A trees endpoint that refuses a commit id: the commit names the tree to list.
            404 | 422 => {
                self.progress.total += 2;
                self.queue(Job::Commit(commit));
                Ok(())
            }
            // An empty repository (a race with its first push): everything is sent.
            409 => self.after_base(commit, None),
            _ => Err(self.remote_error("the branch's tree", &Outcome::Response(response))),
        }
    }

    fn on_commit(&mut self, commit: ObjectId, response: Response) -> Result<(), PushError> {
        if !response.is_success() {
            return Err(self.remote_error("the branch's head commit", &Outcome::Response(response)));
        }
        let object: CommitObject = parse_json("the branch's head commit", &response)?;
        let tree = ObjectId::from_hex(&object.tree.sha).ok_or_else(|| {
            PushError::from(RemoteError::Malformed {
                service: self.service(),
                what: "the branch's head commit".into(),
                detail: "its tree is not an object id".into(),
            })
        })?;
        self.known.insert(tree);
        if self.remote.is_some() {
            return self.after_base(commit, Some(tree));
        }
        self.listing_of = Some((commit, tree));
        self.queue(Job::TreeOf(tree));
        Ok(())
    }

    fn on_tree_of(&mut self, tree: ObjectId, response: Response) -> Result<(), PushError> {
        let (commit, _) = self
            .listing_of
            .take()
            .expect("a tree listing has its commit");
        if response.is_success() {
            let listing: Listing = parse_json("the branch's tree", &response)?;
            let remote = RemoteTree::from_listing(&listing);
            self.known.extend(remote.objects.iter().copied());
            self.remote = Some(remote);
        }
        // Without a listing everything is sent: slower, still correct; the root is known.
        self.after_base(commit, Some(tree))
    }

    /// The base commit and its root tree are known: compare, then preview or send.
    fn after_base(&mut self, commit: ObjectId, root: Option<ObjectId>) -> Result<(), PushError> {
        self.base = Some((commit, root));
        self.compare();
        match self.mode {
            Mode::Push => self.send_commit(),
            Mode::Preview => self.fetch_old_texts(),
        }
        Ok(())
    }

    /// The export against what the base holds (nothing, for a first commit).
    fn compare(&mut self) {
        // Old texts come from GitHub's blobs endpoint; a plain remote's preview has no line
        // counts for changed files.
        let fetch_old = self.mode == Mode::Preview && !self.plain_remote();
        self.comparison = Some(Comparison::new(
            &self.files,
            self.remote.as_ref(),
            self.config.preview_limits,
            fetch_old,
        ));
    }

    /// A preview's old texts, in parallel; the preview is over when none is wanted.
    fn fetch_old_texts(&mut self) {
        let wanted = self
            .comparison
            .as_ref()
            .map_or_else(Vec::new, Comparison::wanted);
        self.blobs_pending = wanted.len();
        self.progress.total += wanted.len() as u64;
        if wanted.is_empty() {
            return self.finish_preview();
        }
        for id in wanted {
            self.queue(Job::Blob(id));
        }
    }

    fn on_blob(&mut self, id: ObjectId, response: Response) -> Result<(), PushError> {
        // An old text that cannot be read leaves its file without line counts, nothing worse.
        if response.is_success() {
            if let Some(bytes) = blob_content(&response) {
                if let Some(comparison) = self.comparison.as_mut() {
                    comparison.provide(id, bytes);
                }
            }
        }
        self.blob_done();
        Ok(())
    }

    fn blob_done(&mut self) {
        self.blobs_pending = self.blobs_pending.saturating_sub(1);
        if self.blobs_pending == 0 {
            self.finish_preview();
        }
    }

    fn finish_preview(&mut self) {
        let comparison = self.comparison.take().unwrap_or_else(|| {
            Comparison::new(&self.files, None, self.config.preview_limits, false)
        });
        let up_to_date = comparison.is_empty() && self.head.is_some();
        let (changes, diffs) = comparison.finish(&self.files);
        let preview = Preview {
            repository: self.full_name(),
            branch: self.branch.clone(),
            changes,
            excluded: self.excluded.clone(),
            up_to_date,
            new_repository: self.repo_missing,
            diffs,
        };
        self.progress.done = self.progress.total;
        self.pool.clear();
        self.result = Some(Ok(Done::Previewed(preview)));
    }

    /// Builds the commit on the current base and sends it with what the remote lacks.
    fn send_commit(&mut self) {
        let old = self.head.unwrap_or(ObjectId::ZERO);
        let (parent, parent_tree) = match self.base {
            Some((commit, tree)) => (Some(commit), tree),
            None => (None, None),
        };
        let same_tree = parent_tree == Some(self.built.root);
        let (new, commit_bytes) = match parent {
            Some(parent) if same_tree && self.head == Some(parent) => {
                // Nothing changed: no commit.
                if let Err(error) = self.succeed(parent, 0, true) {
                    self.fail(error);
                }
                return;
            }
            // A new branch with the same files as its starting point: just the ref.
            Some(parent) if same_tree => (parent, None),
            _ => {
                let user = self.user.as_ref().expect("user known before the commit");
                let who = Signature::new(
                    user.display_name(),
                    &user.commit_email(),
                    self.config.time_s,
                );
                let commit = CommitInfo {
                    tree: self.built.root,
                    parent,
                    author: who.clone(),
                    committer: who,
                    message: self.config.message.clone(),
                };
                let bytes = serialize_commit(&commit);
                (object_id(ObjectKind::Commit, &bytes), Some(bytes))
            }
        };
        let update = RefUpdate {
            name: self.ref_name(),
            old,
            new,
        };
        let agent = concat!("agent=liftoff/", env!("CARGO_PKG_VERSION"));
        let mut capabilities = vec!["report-status", agent];
        if self.side_band {
            capabilities.insert(1, "side-band-64k");
            capabilities.insert(2, "quiet");
        }
        let upload = receive_pack_body(
            &update,
            &capabilities,
            commit_bytes.as_deref(),
            &self.built,
            &self.files,
            &self.known,
        );
        self.in_flight = Some(InFlight {
            update,
            upload,
            side_band: self.side_band,
        });
        self.queue(Job::Send);
    }

    fn on_sent(&mut self, response: Response) -> Result<(), PushError> {
        let in_flight = self.in_flight.take().expect("a send has its commit");
        if !response.is_success() {
            self.in_flight = Some(in_flight);
            return self.on_send_failed(Outcome::Response(response));
        }
        let repo = self.full_name();
        let report = match parse_report_status(&response.body, in_flight.side_band) {
            Ok(report) => report,
            Err(source) => {
                // Whatever happened, the refs tell.
                let error = PushError::Protocol { repo, source };
                self.verify(in_flight, error, false);
                return Ok(());
            }
        };
        if let Some(reason) = report.unpack_error {
            let service = self.service();
            return Err(PushError::Unpack {
                service,
                repo,
                reason,
            });
        }
        match report.get(&in_flight.update.name) {
            Some(status) if status.refused.is_none() => {
                let objects = u64::from(in_flight.upload.objects);
                self.succeed(in_flight.update.new, objects, false)
            }
            refused => {
                let mut reason = refused
                    .and_then(|s| s.refused.clone())
                    .unwrap_or_else(|| "the ref is missing from the report".into());
                // Hooks (protected branches…) explain themselves on the progress band.
                let hints: Vec<&str> = report
                    .messages
                    .iter()
                    .filter(|m| m.to_ascii_lowercase().contains("error"))
                    .map(String::as_str)
                    .take(3)
                    .collect();
                if !hints.is_empty() {
                    reason = format!("{reason} ({})", hints.join("; "));
                }
                let error = PushError::Rejected {
                    service: self.service(),
                    repo,
                    branch: self.branch.clone(),
                    reason,
                };
                self.verify(in_flight, error, false);
                Ok(())
            }
        }
    }

    fn on_send_failed(&mut self, outcome: Outcome) -> Result<(), PushError> {
        let in_flight = self.in_flight.take().expect("a send has its commit");
        if let Outcome::Response(response) = &outcome {
            if matches!(response.status, 401 | 403 | 404) && rate_limit(response).is_none() {
                return self.git_error("push to", response.clone());
            }
        }
        let detail = self.remote_error("the push", &outcome);
        self.verify(in_flight, detail, true);
        Ok(())
    }

    /// Reads the refs again to learn what became of `in_flight`.
    fn verify(&mut self, in_flight: InFlight, error: PushError, unconfirmed: bool) {
        self.progress.total += 1;
        self.verifying = Some(Verifying {
            update: in_flight.update,
            objects: in_flight.upload.objects,
            error,
            unconfirmed,
        });
        self.queue(Job::Refs);
    }

    /// The error for a failed smart-HTTP request.
    fn git_error(&mut self, action: &'static str, response: Response) -> Result<(), PushError> {
        let repo = self.full_name();
        Err(match response.status {
            401 => PushError::BadToken {
                service: self.service(),
            },
            403 if self.plain_remote() => PushError::GitForbidden { repo },
            403 if rate_limit(&response).is_none() => PushError::Permission {
                service: self.service(),
                repo,
                action,
                status: 403,
            },
            404 => PushError::RepositoryNotFound { repo },
            _ => self.remote_error(&repo, &Outcome::Response(response)),
        })
    }

    fn success(&self, commit: ObjectId, objects: u64, up_to_date: bool) -> PushResult {
        let repo = self.repo.as_ref().expect("repository known before success");
        // A plain remote has no page per commit that Liftoff could name: its URL.
        let url = if self.plain_remote() {
            repo.html_url.clone()
        } else {
            self.forge().commit_url(repo, commit)
        };
        PushResult {
            commit,
            url,
            branch: self.branch.clone(),
            repository: repo.full_name.clone(),
            created: self.created,
            up_to_date,
            rebuilt: self.rebuilt,
            objects_sent: objects,
            bytes_sent: self.bytes_sent,
            requests: self.pool.requests_sent(),
            excluded: self.excluded.clone(),
            changes: self
                .comparison
                .as_ref()
                .map_or_else(Vec::new, |c| c.changes().to_vec()),
            pull_request: self.pull_request.clone(),
        }
    }

    /// The branch holds `commit`: done, or on to the pull request.
    fn succeed(
        &mut self,
        commit: ObjectId,
        objects: u64,
        up_to_date: bool,
    ) -> Result<(), PushError> {
        if self.pull_spec().is_some() && self.mode == Mode::Push && self.pushed.is_none() {
            self.pushed = Some((commit, objects, up_to_date));
            self.progress.total += 2;
            self.queue(Job::FindPull(1));
            return Ok(());
        }
        self.progress.done = self.progress.total;
        self.result = Some(Ok(Done::Pushed(self.success(commit, objects, up_to_date))));
        self.pool.clear();
        Ok(())
    }

    /// The push is in; its pull request is done too.
    fn pulled(&mut self, pull: PullRequestResult) -> Result<(), PushError> {
        self.pull_request = Some(pull);
        let (commit, objects, up_to_date) = self.pushed.expect("a pull request after a push");
        self.succeed(commit, objects, up_to_date)
    }

    fn on_find_pull(&mut self, page: u32, response: Response) -> Result<(), PushError> {
        if !response.is_success() {
            return Err(self.pull_error(&response));
        }
        let list: serde_json::Value = parse_json("the open pull requests", &response)?;
        let repo = self.repo.as_ref().expect("a pull request after the push");
        let forge = self.forge();
        let full_page = forge
            .pulls_page_size()
            .is_some_and(|size| list.as_array().is_some_and(|l| l.len() >= size));
        match forge.parse_pulls(&list, repo, &self.branch) {
            Some(number) => self.queue(Job::UpdatePull(number)),
            // A forge that cannot filter by branch lists a page at a time: look further.
            None if full_page && page < MAX_PULL_PAGES => {
                self.progress.total += 1;
                self.queue(Job::FindPull(page + 1));
            }
            None if self.pull_creating => {
                // Created, yet not listed: GitHub lists a new pull request a moment later.
                return Err(self.pull_error(&response));
            }
            None => self.queue(Job::CreatePull),
        }
        Ok(())
    }

    fn on_create_pull(&mut self, response: Response) -> Result<(), PushError> {
        match response.status {
            200..=299 => {
                let pull = PullRequestResult::from_answer(&response, true)
                    .ok_or_else(|| self.pull_error(&response))?;
                self.pulled(pull)
            }
            // "A pull request already exists" (someone else, or a retry after a lost answer):
            // find it and update it instead of failing or opening a second one.
            _ if self.forge().pull_exists(&response) && !self.pull_creating => {
                self.pull_creating = true;
                self.progress.total += 2;
                self.queue(Job::FindPull(1));
                Ok(())
            }
            _ => Err(self.pull_error(&response)),
        }
    }

    fn on_update_pull(&mut self, response: Response) -> Result<(), PushError> {
        if !response.is_success() {
            return Err(self.pull_error(&response));
        }
        let pull = PullRequestResult::from_answer(&response, false)
            .ok_or_else(|| self.pull_error(&response))?;
        self.pulled(pull)
    }

    /// The push landed, the pull request did not: say both.
    fn pull_error(&self, response: &Response) -> PushError {
        let commit = self.pushed.map(|(c, _, _)| c.to_hex()).unwrap_or_default();
        PushError::PullRequest {
            service: self.service(),
            repo: self.full_name(),
            branch: self.branch.clone(),
            commit,
            message: super::api::error_message(response),
        }
    }

    fn on_failure(&mut self, job: Job, outcome: Outcome) {
        if job == Job::Send {
            if let Err(error) = self.on_send_failed(outcome) {
                self.fail(error);
            }
            return;
        }
        if matches!(job, Job::Create | Job::CreatePull) && self.lost_creates < MAX_LOST_ANSWERS {
            // The answer was lost (the call may have been carried out): look before creating.
            self.lost_creates += 1;
            if job == Job::Create {
                self.queue(Job::Repo);
            } else {
                self.progress.total += 1;
                self.queue(Job::FindPull(1));
            }
            return;
        }
        if job == Job::Refs {
            if let Some(verifying) = self.verifying.take() {
                let error = if verifying.unconfirmed {
                    let detail = match &verifying.error {
                        PushError::Remote(remote) => remote.to_string(),
                        other => other.to_string(),
                    };
                    PushError::Unconfirmed {
                        service: self.service(),
                        repo: self.full_name(),
                        branch: self.branch.clone(),
                        detail,
                    }
                } else {
                    verifying.error
                };
                return self.fail(error);
            }
        }
        if let Job::Blob(_) = job {
            // A preview's old text that cannot be read: that file gets no line counts.
            return self.blob_done();
        }
        if matches!(job, Job::FindPull(_) | Job::CreatePull | Job::UpdatePull(_)) {
            let error = match &outcome {
                Outcome::Response(response) => self.pull_error(response),
                Outcome::NetworkError(detail) => PushError::PullRequest {
                    service: self.service(),
                    repo: self.full_name(),
                    branch: self.branch.clone(),
                    commit: self.pushed.map(|(c, _, _)| c.to_hex()).unwrap_or_default(),
                    message: detail.clone(),
                },
            };
            return self.fail(error);
        }
        let what = match job {
            Job::User => "the token's user".to_string(),
            Job::Tree(_) | Job::TreeOf(_) => "the branch's tree".to_string(),
            Job::Commit(_) => "the branch's head commit".to_string(),
            Job::Fetch(_) => format!("the branch's tree at {}", self.full_name()),
            _ => self.full_name(),
        };
        self.fail(self.remote_error(&what, &outcome));
    }
}

/// `None` for the zero id (a ref that does not exist).
fn non_zero(id: ObjectId) -> Option<ObjectId> {
    (!id.is_zero()).then_some(id)
}

impl Steps {
    fn poll(&mut self, now_ms: u64) -> Vec<Outgoing> {
        if self.result.is_some() {
            return Vec::new();
        }
        let due = self.pool.poll_transmit(now_ms);
        let out: Vec<Outgoing> = due
            .into_iter()
            .map(|(id, job)| Outgoing::new(id, self.request(job)))
            .collect();
        self.bytes_sent += out.iter().map(|o| o.request.body.len() as u64).sum::<u64>();
        out
    }

    fn on_outcome(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        if self.result.is_some() {
            return;
        }
        match self.pool.handle(id, outcome, now_ms) {
            PoolEvent::Done(job, response) => {
                self.progress.done += 1;
                self.on_response(job, response);
            }
            PoolEvent::Failed(job, outcome) => {
                self.progress.done += 1;
                self.on_failure(job, outcome);
            }
            PoolEvent::Retrying | PoolEvent::Unknown => {}
        }
        self.progress.total = self.progress.total.max(self.progress.done);
    }
}

/// The [`Conversation`] methods both wrappers share, over their `Steps`.
macro_rules! steps_conversation {
    () => {
        fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
            self.0.poll(now_ms)
        }

        fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
            self.0.on_outcome(id, outcome, now_ms);
        }

        fn next_wakeup(&self) -> Option<u64> {
            self.0.pool.next_wakeup()
        }

        fn progress(&self) -> Progress {
            self.0.progress
        }

        fn is_finished(&self) -> bool {
            self.0.result.is_some()
        }
    };
}

impl Conversation for GitHubPush {
    type Output = Result<PushResult, PushError>;

    steps_conversation!();

    fn finish(self) -> Result<PushResult, PushError> {
        match self.0.result.expect("finish after is_finished")? {
            Done::Pushed(result) => Ok(result),
            Done::Previewed(_) => unreachable!("a push never previews"),
        }
    }
}

impl Conversation for GitHubPreview {
    type Output = Result<Preview, PushError>;

    steps_conversation!();

    fn finish(self) -> Result<Preview, PushError> {
        match self.0.result.expect("finish after is_finished")? {
            Done::Previewed(preview) => Ok(preview),
            Done::Pushed(_) => unreachable!("a preview never pushes"),
        }
    }
}

/// The bytes of a `GET …/git/blobs/{sha}` answer (`{content, encoding: "base64"}`), if
/// readable.
fn blob_content(response: &Response) -> Option<Vec<u8>> {
    let json: serde_json::Value = serde_json::from_slice(&response.body).ok()?;
    let content = json.get("content")?.as_str()?;
    match json.get("encoding").and_then(serde_json::Value::as_str) {
        Some("utf-8") => Some(content.as_bytes().to_vec()),
        _ => {
            let packed: String = content.chars().filter(|c| !c.is_whitespace()).collect();
            crate::b64::decode(&packed, crate::b64::Alphabet::Standard).ok()
        }
    }
}

#[cfg(test)]
mod plain_tests;
#[cfg(test)]
mod tests;
