//! [`Gitea`]: Gitea's (and Forgejo's) REST API as a push uses it.

use serde_json::Value;

use crate::destinations::github::api::{
    error_message, json_text, missing_field, parse_json_from, Repository, User,
};
use crate::destinations::github::forge::{json_request, Call, ForgeApi, PullText, Site};
use crate::destinations::github::names::parse_namespaced;
use crate::destinations::github::{ObjectId, PushError};
use crate::net::{header, host_of, Method, Request, Response};

const SERVICE: &str = "Gitea";
/// Pull requests a page of the list holds (Gitea's default maximum, `MAX_RESPONSE_ITEMS`).
const PULLS_PAGE: usize = 50;

/// Gitea's REST API, under `{origin}/api/v1`.
pub struct Gitea;

/// The one instance.
pub static GITEA: Gitea = Gitea;

fn repo_path(site: &Site) -> String {
    format!("api/v1/repos/{}/{}", site.owner, site.name)
}

impl ForgeApi for Gitea {
    fn service(&self) -> &'static str {
        SERVICE
    }

    fn parse_name(&self, text: &str) -> Result<(String, String), PushError> {
        parse_namespaced(text, false)
    }

    fn request(&self, site: &Site, call: Call) -> Request {
        json_request(site.api, call)
            .with_header(header::AUTHORIZATION, format!("token {}", site.token))
            .with_header(header::ACCEPT, "application/json")
    }

    fn user(&self) -> Call {
        Call::get("api/v1/user")
    }

    /// The email Gitea shows is the account's, or its no-reply placeholder when hidden; with
    /// none at all, Gitea's own no-reply form (`{login}@noreply.{host}`).
    fn parse_user(&self, site: &Site, response: &Response) -> Result<User, PushError> {
        let what = "the token's user";
        let user: Value = parse_json_from(SERVICE, what, response)?;
        let text = |key: &str| json_text(&user, key);
        let login = text("login")
            .or_else(|| text("username"))
            .ok_or_else(|| missing_field(SERVICE, what, "login"))?;
        let email = match text("email").map(str::trim) {
            Some(email) if !email.is_empty() => email.to_string(),
            _ => format!(
                "{login}@noreply.{}",
                host_of(site.api).unwrap_or_else(|| "localhost".into())
            ),
        };
        Ok(User {
            login: login.to_string(),
            id: user.get("id").and_then(Value::as_u64),
            name: text("full_name").map(str::to_string),
            email: Some(email),
        })
    }

    fn repo(&self, site: &Site) -> Call {
        Call::get(repo_path(site))
    }

    fn parse_repo(&self, response: &Response) -> Result<Repository, PushError> {
        parse_json_from(SERVICE, "the repository", response)
    }

    fn create(&self, site: &Site, user: &User, _: Option<u64>, private: bool) -> Call {
        let path = if user.login.eq_ignore_ascii_case(site.owner) {
            "api/v1/user/repos".to_string()
        } else {
            format!("api/v1/orgs/{}/repos", site.owner)
        };
        let body = serde_json::json!({"name": site.name, "private": private, "auto_init": false});
        Call::with(Method::Post, path, body)
    }

    /// 409 "The repository with the same name already exists."
    fn name_taken(&self, response: &Response) -> bool {
        response.status == 409
    }

    /// Gitea reads the token from the password whatever the user name; its login is sent.
    fn git_user(&self, user: &User) -> String {
        user.login.clone()
    }

    /// The list has no `head` filter: the open ones, a page at a time, the branch found in
    /// them (`GET …/pulls/{base}/{head}` would answer at once, but only from Gitea 1.20 on).
    fn find_pull(&self, site: &Site, _: &str, _: &PullText, page: u32) -> Call {
        Call::get(format!(
            "{}/pulls?state=open&sort=oldest&limit={PULLS_PAGE}&page={page}",
            repo_path(site)
        ))
    }

    fn pulls_page_size(&self) -> Option<usize> {
        Some(PULLS_PAGE)
    }

    /// 403 (no right), 404 (no such organization, current Gitea) or 422 (the same, older Gitea).
    fn cannot_create(&self, response: &Response) -> bool {
        matches!(response.status, 403 | 404 | 422)
    }

    /// The branch's open pull request from this repository (not a fork's same-named branch).
    fn parse_pulls(&self, list: &Value, repo: &Repository, branch: &str) -> Option<u64> {
        list.as_array()?.iter().find_map(|pull| {
            let head = pull.get("head")?;
            let from_here = head
                .get("repo")
                .and_then(|r| r.get("full_name"))
                .and_then(Value::as_str)
                .is_none_or(|name| name.eq_ignore_ascii_case(&repo.full_name));
            let open = pull.get("state").and_then(Value::as_str) != Some("closed");
            (head.get("ref")?.as_str()? == branch && from_here && open)
                .then(|| pull.get("number")?.as_u64())
                .flatten()
        })
    }

    fn create_pull(&self, site: &Site, pull: &PullText) -> Call {
        let body = serde_json::json!({
            "title": pull.title, "head": pull.head, "base": pull.base, "body": pull.body,
        });
        Call::with(Method::Post, format!("{}/pulls", repo_path(site)), body)
    }

    /// 409 "pull request already exists for these targets".
    fn pull_exists(&self, response: &Response) -> bool {
        response.status == 409 && error_message(response).contains("already exists")
    }

    fn update_pull(&self, site: &Site, number: u64, pull: &PullText) -> Call {
        let body = serde_json::json!({"title": pull.title, "body": pull.body});
        Call::with(
            Method::Patch,
            format!("{}/pulls/{number}", repo_path(site)),
            body,
        )
    }

    fn blob(&self, site: &Site, id: ObjectId) -> Call {
        Call::get(format!("{}/git/blobs/{id}", repo_path(site)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::destinations::github::api::Owner;

    fn site() -> Site<'static> {
        Site {
            api: "https://git.example.com",
            token: "gitea-token",
            owner: "acme",
            name: "app",
        }
    }

    #[test]
    fn requests_carry_the_token_gitea_s_way() {
        let request = GITEA.request(&site(), GITEA.repo(&site()));
        assert_eq!(request.url, "https://git.example.com/api/v1/repos/acme/app");
        assert_eq!(request.header("authorization"), Some("token gitea-token"));
        let user = User {
            login: "ada".into(),
            id: Some(1),
            name: None,
            email: None,
        };
        let create = GITEA.create(&site(), &user, None, true);
        assert_eq!(create.path, "api/v1/orgs/acme/repos");
        assert_eq!(create.body["private"], true);
    }

    #[test]
    fn users_and_pulls() {
        let answer = Response::new(
            200,
            br#"{"id":3,"login":"ada","full_name":"","email":""}"#.to_vec(),
        );
        let user = GITEA.parse_user(&site(), &answer).unwrap();
        assert_eq!(user.display_name(), "ada");
        assert_eq!(user.commit_email(), "ada@noreply.git.example.com");
        let repo = Repository {
            full_name: "acme/app".into(),
            default_branch: Some("main".into()),
            clone_url: String::new(),
            html_url: String::new(),
            owner: Owner {
                login: "acme".into(),
            },
        };
        let list = serde_json::json!([
            {"number": 1, "state": "open", "head": {"ref": "liftoff", "repo": {"full_name": "fork/app"}}},
            {"number": 2, "state": "open", "head": {"ref": "liftoff", "repo": {"full_name": "acme/app"}}},
        ]);
        assert_eq!(GITEA.parse_pulls(&list, &repo, "liftoff"), Some(2));
        assert_eq!(GITEA.parse_pulls(&list, &repo, "other"), None);
        let exists = Response::new(
            409,
            br#"{"message":"pull request already exists for these targets [id: 1]"}"#.to_vec(),
        );
        assert!(GITEA.pull_exists(&exists));
        assert!(GITEA.name_taken(&Response::new(409, Vec::new())));
    }
}
