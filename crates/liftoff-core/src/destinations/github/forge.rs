//! [`ForgeApi`]: the REST side of a push, one implementation per forge (GitHub here, Gitea and
//! GitLab in their own folders). The git side (refs, fetch, pack, receive-pack) is the same
//! for every forge and stays in the push conversation; a forge only says how to find the
//! account and the repository, create one, and open a pull request.

use serde_json::Value;

use crate::net::{encode_component, header, join_url, Method, Request, Response};

use super::api::{error_message, parse_json_from, Repository, User};
use super::error::PushError;
use super::object::ObjectId;
use super::pulls::find_open;
use super::push::{Discovery, GitHubPreview, GitHubPush, PushConfig};
use crate::destinations::{PreviewConversation, PushConversation};
use crate::net::Boxed;
use crate::tree::SourceTree;

/// The repository a request is about, and how to reach the forge.
pub struct Site<'a> {
    /// The forge's origin (`https://api.github.com`, `https://gitlab.example.com`).
    pub api: &'a str,
    pub token: &'a str,
    /// The owner as asked: a user, an organization, or a GitLab group path (`a/b`).
    pub owner: &'a str,
    pub name: &'a str,
}

impl Site<'_> {
    /// `owner/name`, as the person wrote it.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }
}

/// A REST call: method, path under the API root, JSON body (`Null`: none).
pub struct Call {
    pub method: Method,
    pub path: String,
    pub body: Value,
}

impl Call {
    pub fn get(path: impl Into<String>) -> Self {
        Self {
            method: Method::Get,
            path: path.into(),
            body: Value::Null,
        }
    }

    pub fn with(method: Method, path: impl Into<String>, body: Value) -> Self {
        Self {
            method,
            path: path.into(),
            body,
        }
    }
}

/// What a pull request needs to be opened or edited.
pub struct PullText<'a> {
    /// The branch pushed to.
    pub head: &'a str,
    /// The default branch it goes into.
    pub base: &'a str,
    pub title: &'a str,
    pub body: &'a str,
}

/// One forge's REST API, as far as a push needs it.
pub trait ForgeApi: Sync {
    /// Its name in messages (`GitHub`, `Gitea`, `GitLab`).
    fn service(&self) -> &'static str;

    /// Splits the repository's name as a person writes it into owner (or namespace) and name.
    fn parse_name(&self, text: &str) -> Result<(String, String), PushError> {
        super::names::parse_repository(text)
    }

    /// `call` as a request to the forge, with the token the way the forge takes it.
    fn request(&self, site: &Site, call: Call) -> Request;

    /// The token's account.
    fn user(&self) -> Call;
    fn parse_user(&self, site: &Site, response: &Response) -> Result<User, PushError>;

    /// The repository.
    fn repo(&self, site: &Site) -> Call;
    fn parse_repo(&self, response: &Response) -> Result<Repository, PushError>;

    /// A lookup a creation needs first (GitLab: a group's id), if any.
    fn namespace(&self, _site: &Site, _user: &User) -> Option<Call> {
        None
    }
    /// The id [`Self::namespace`]'s answer gives.
    fn parse_namespace(&self, _response: &Response) -> Option<u64> {
        None
    }

    /// Creates the repository (`namespace`: what [`Self::parse_namespace`] gave).
    fn create(&self, site: &Site, user: &User, namespace: Option<u64>, private: bool) -> Call;
    /// Whether a refused creation says the name is taken.
    fn name_taken(&self, response: &Response) -> bool;
    /// Whether a refused creation says the account may not create there (or the owner does not
    /// exist).
    fn cannot_create(&self, response: &Response) -> bool {
        matches!(response.status, 403 | 404)
    }

    /// The user name git's Basic auth sends with the token.
    fn git_user(&self, user: &User) -> String;

    /// The page of a commit.
    fn commit_url(&self, repo: &Repository, commit: ObjectId) -> String {
        format!("{}/commit/{commit}", repo.html_url.trim_end_matches('/'))
    }

    /// Whether the branch's tree is listed over REST (GitHub's trees endpoint); otherwise it is
    /// fetched over git (a blobless fetch of the head commit).
    fn rest_trees(&self) -> bool {
        false
    }

    /// The open pull requests that may be the branch's: page `page` (from 1) of them.
    fn find_pull(&self, site: &Site, repo_owner: &str, pull: &PullText, page: u32) -> Call;
    /// How many pull requests a page of [`Self::find_pull`] holds, for a forge whose list cannot
    /// be filtered by branch (a full page means there may be more); `None`: filtered.
    fn pulls_page_size(&self) -> Option<usize> {
        None
    }
    /// The number of the branch's open pull request in [`Self::find_pull`]'s answer.
    fn parse_pulls(&self, list: &Value, repo: &Repository, branch: &str) -> Option<u64>;
    fn create_pull(&self, site: &Site, pull: &PullText) -> Call;
    /// Whether a refused pull request says one is already open for the branch.
    fn pull_exists(&self, response: &Response) -> bool;
    fn update_pull(&self, site: &Site, number: u64, pull: &PullText) -> Call;

    /// A blob's old text (`{content, encoding}`), for a preview.
    fn blob(&self, site: &Site, id: ObjectId) -> Call;
}

/// Starts a push of `tree` with `api`'s REST side: a forge row's `push` entry point.
pub fn push_on(
    api: &'static dyn ForgeApi,
    mut config: PushConfig,
    tree: SourceTree,
) -> Result<PushConversation, PushError> {
    config.discovery = Discovery::Api(api);
    Ok(Boxed::new(GitHubPush::new(config, tree)?))
}

/// Starts a preview of that push: a forge row's `preview` entry point.
pub fn preview_on(
    api: &'static dyn ForgeApi,
    mut config: PushConfig,
    tree: SourceTree,
) -> Result<PreviewConversation, PushError> {
    config.discovery = Discovery::Api(api);
    Ok(Boxed::new(GitHubPreview::new(config, tree)?))
}

/// A request to `api` + `path` with a JSON body when the call has one.
pub fn json_request(api: &str, call: Call) -> Request {
    let mut request = Request {
        method: call.method,
        url: join_url(api, &call.path),
        headers: Vec::new(),
        body: Vec::new(),
    };
    if !call.body.is_null() {
        request = request.with_header(header::CONTENT_TYPE, "application/json");
        request.body = call.body.to_string().into_bytes();
    }
    request
}

/// GitHub's REST API.
pub struct GitHub;

/// The one instance.
pub static GITHUB: GitHub = GitHub;

impl GitHub {
    fn repo_path(site: &Site) -> String {
        format!("repos/{}/{}", site.owner, site.name)
    }
}

impl ForgeApi for GitHub {
    fn service(&self) -> &'static str {
        super::api::SERVICE
    }

    fn request(&self, site: &Site, call: Call) -> Request {
        json_request(site.api, call)
            .bearer(site.token)
            .with_header(header::ACCEPT, "application/vnd.github+json")
            .with_header("x-github-api-version", "2022-11-28")
    }

    fn user(&self) -> Call {
        Call::get("user")
    }

    fn parse_user(&self, _site: &Site, response: &Response) -> Result<User, PushError> {
        parse_json_from(self.service(), "the token's user", response)
    }

    fn repo(&self, site: &Site) -> Call {
        Call::get(Self::repo_path(site))
    }

    fn parse_repo(&self, response: &Response) -> Result<Repository, PushError> {
        parse_json_from(self.service(), "the repository", response)
    }

    fn create(&self, site: &Site, user: &User, _: Option<u64>, private: bool) -> Call {
        let path = if user.login.eq_ignore_ascii_case(site.owner) {
            "user/repos".to_string()
        } else {
            format!("orgs/{}/repos", site.owner)
        };
        let body = serde_json::json!({"name": site.name, "private": private, "auto_init": false});
        Call::with(Method::Post, path, body)
    }

    fn name_taken(&self, response: &Response) -> bool {
        response.status == 422
    }

    fn git_user(&self, _user: &User) -> String {
        "x-access-token".into()
    }

    fn rest_trees(&self) -> bool {
        true
    }

    fn find_pull(&self, site: &Site, repo_owner: &str, pull: &PullText, _: u32) -> Call {
        let head = encode_component(&format!("{repo_owner}:{}", pull.head));
        Call::get(format!(
            "{}/pulls?head={head}&state=open",
            Self::repo_path(site)
        ))
    }

    fn parse_pulls(&self, list: &Value, _repo: &Repository, branch: &str) -> Option<u64> {
        find_open(list, branch)
    }

    fn create_pull(&self, site: &Site, pull: &PullText) -> Call {
        let body = serde_json::json!({
            "title": pull.title, "head": pull.head, "base": pull.base, "body": pull.body,
        });
        Call::with(
            Method::Post,
            format!("{}/pulls", Self::repo_path(site)),
            body,
        )
    }

    fn pull_exists(&self, response: &Response) -> bool {
        response.status == 422 && error_message(response).contains("already exists")
    }

    fn update_pull(&self, site: &Site, number: u64, pull: &PullText) -> Call {
        let body = serde_json::json!({"title": pull.title, "body": pull.body});
        let path = format!("{}/pulls/{number}", Self::repo_path(site));
        Call::with(Method::Patch, path, body)
    }

    fn blob(&self, site: &Site, id: ObjectId) -> Call {
        Call::get(format!("{}/git/blobs/{id}", Self::repo_path(site)))
    }
}
