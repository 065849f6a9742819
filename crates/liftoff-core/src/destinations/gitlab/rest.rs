//! [`GitLab`]: GitLab's REST API (v4) as a push uses it.

use serde_json::Value;

use crate::destinations::github::api::{
    error_message, json_text as text, missing_field, parse_json_from, Owner, Repository, User,
};
use crate::destinations::github::forge::{json_request, Call, ForgeApi, PullText, Site};
use crate::destinations::github::names::parse_namespaced;
use crate::destinations::github::{ObjectId, PushError};
use crate::net::{encode_component, header, host_of, Method, Request, Response};

const SERVICE: &str = "GitLab";

/// The branch a push to an empty project goes to when none is named: GitLab answers no default
/// branch until the first push, whose branch becomes the default (`main` is GitLab's own
/// initial name since 14.0).
const EMPTY_PROJECT_BRANCH: &str = "main";

/// GitLab's REST API, under `{base}/api/v4`.
pub struct GitLab;

/// The one instance.
pub static GITLAB: GitLab = GitLab;

/// The error for GitLab's answer about `what` that lacks `field`.
fn missing(what: &str, field: &str) -> PushError {
    missing_field(SERVICE, what, field)
}

/// `projects/<the URL-encoded path>`: GitLab takes a project's path wherever it takes its id.
fn project_path(site: &Site) -> String {
    format!("api/v4/projects/{}", encode_component(&site.full_name()))
}

fn owns(user: &User, site: &Site) -> bool {
    user.login.eq_ignore_ascii_case(site.owner)
}

impl ForgeApi for GitLab {
    fn service(&self) -> &'static str {
        SERVICE
    }

    fn parse_name(&self, text: &str) -> Result<(String, String), PushError> {
        parse_namespaced(text, true)
    }

    fn request(&self, site: &Site, call: Call) -> Request {
        json_request(site.api, call)
            .bearer(site.token)
            .with_header(header::ACCEPT, "application/json")
    }

    fn user(&self) -> Call {
        Call::get("api/v4/user")
    }

    /// The commit email GitLab attributes to the account: `commit_email`, else the public one,
    /// else the account's, else GitLab's private form `{id}-{username}@users.noreply.{host}`.
    fn parse_user(&self, site: &Site, response: &Response) -> Result<User, PushError> {
        let what = "the token's user";
        let user: Value = parse_json_from(SERVICE, what, response)?;
        let username = text(&user, "username").ok_or_else(|| missing(what, "username"))?;
        let id = user.get("id").and_then(Value::as_u64);
        let given = ["commit_email", "public_email", "email"]
            .into_iter()
            .filter_map(|key| text(&user, key).map(str::trim))
            .find(|e| !e.is_empty())
            .map(str::to_string);
        let email = given.unwrap_or_else(|| {
            let host = host_of(site.api).unwrap_or_else(|| "gitlab.com".into());
            match id {
                Some(id) => format!("{id}-{username}@users.noreply.{host}"),
                None => format!("{username}@users.noreply.{host}"),
            }
        });
        Ok(User {
            login: username.to_string(),
            id,
            name: text(&user, "name").map(str::to_string),
            email: Some(email),
        })
    }

    fn repo(&self, site: &Site) -> Call {
        Call::get(project_path(site))
    }

    fn parse_repo(&self, response: &Response) -> Result<Repository, PushError> {
        let what = "the project";
        let project: Value = parse_json_from(SERVICE, what, response)?;
        let field = |key: &str| {
            text(&project, key)
                .map(str::to_string)
                .ok_or_else(|| missing(what, key))
        };
        let namespace = project
            .get("namespace")
            .and_then(|n| text(n, "full_path"))
            .ok_or_else(|| missing(what, "namespace.full_path"))?;
        let default_branch = text(&project, "default_branch")
            .filter(|b| !b.is_empty())
            .unwrap_or(EMPTY_PROJECT_BRANCH);
        Ok(Repository {
            full_name: field("path_with_namespace")?,
            default_branch: Some(default_branch.into()),
            clone_url: field("http_url_to_repo")?,
            html_url: field("web_url")?,
            owner: Owner {
                login: namespace.into(),
            },
        })
    }

    /// A group (or another user's namespace) needs its id for the creation.
    fn namespace(&self, site: &Site, user: &User) -> Option<Call> {
        (!owns(user, site)).then(|| {
            Call::get(format!(
                "api/v4/namespaces/{}",
                encode_component(site.owner)
            ))
        })
    }

    fn parse_namespace(&self, response: &Response) -> Option<u64> {
        let json: Value = serde_json::from_slice(&response.body).ok()?;
        json.get("id")?.as_u64()
    }

    fn create(&self, site: &Site, _: &User, namespace: Option<u64>, private: bool) -> Call {
        let mut body = serde_json::json!({
            "name": site.name,
            "path": site.name,
            "visibility": if private { "private" } else { "public" },
            "initialize_with_readme": false,
        });
        if let Some(id) = namespace {
            body["namespace_id"] = id.into();
        }
        Call::with(Method::Post, "api/v4/projects", body)
    }

    /// 400 `{"message": {"name": ["has already been taken"], …}}`.
    fn name_taken(&self, response: &Response) -> bool {
        response.status == 400 && error_message(response).contains("has already been taken")
    }

    /// 403, 404, or 400 `{"message": {"namespace": ["is not valid"]}}`: GitLab's answer for a
    /// namespace the account may not create projects in.
    fn cannot_create(&self, response: &Response) -> bool {
        matches!(response.status, 403 | 404)
            || (response.status == 400
                && error_message(response).contains("namespace is not valid"))
    }

    /// `oauth2` works for personal, group, project and OAuth tokens alike.
    fn git_user(&self, _user: &User) -> String {
        "oauth2".into()
    }

    fn commit_url(&self, repo: &Repository, commit: ObjectId) -> String {
        format!("{}/-/commit/{commit}", repo.html_url.trim_end_matches('/'))
    }

    fn find_pull(&self, site: &Site, _: &str, pull: &PullText, _: u32) -> Call {
        Call::get(format!(
            "{}/merge_requests?state=opened&source_branch={}&target_branch={}",
            project_path(site),
            encode_component(pull.head),
            encode_component(pull.base)
        ))
    }

    /// The branch's open merge request from this project (a fork's has another source).
    fn parse_pulls(&self, list: &Value, _repo: &Repository, branch: &str) -> Option<u64> {
        list.as_array()?.iter().find_map(|mr| {
            let same_project = match (mr.get("source_project_id"), mr.get("project_id")) {
                (Some(source), Some(target)) => source == target,
                _ => true,
            };
            let open = mr.get("state").and_then(Value::as_str) == Some("opened");
            (mr.get("source_branch")?.as_str()? == branch && same_project && open)
                .then(|| mr.get("iid")?.as_u64())
                .flatten()
        })
    }

    fn create_pull(&self, site: &Site, pull: &PullText) -> Call {
        let body = serde_json::json!({
            "source_branch": pull.head,
            "target_branch": pull.base,
            "title": pull.title,
            "description": pull.body,
        });
        Call::with(
            Method::Post,
            format!("{}/merge_requests", project_path(site)),
            body,
        )
    }

    /// 409 `{"message": ["Another open merge request already exists for this source branch: !1"]}`.
    fn pull_exists(&self, response: &Response) -> bool {
        response.status == 409 && error_message(response).contains("already exists")
    }

    fn update_pull(&self, site: &Site, number: u64, pull: &PullText) -> Call {
        let body = serde_json::json!({"title": pull.title, "description": pull.body});
        Call::with(
            Method::Put,
            format!("{}/merge_requests/{number}", project_path(site)),
            body,
        )
    }

    fn blob(&self, site: &Site, id: ObjectId) -> Call {
        Call::get(format!("{}/repository/blobs/{id}", project_path(site)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site<'static> {
        Site {
            api: "https://example.com/gitlab",
            token: "glpat-token",
            owner: "acme/web",
            name: "app",
        }
    }

    #[test]
    fn projects_are_addressed_by_their_encoded_path_under_the_base_url() {
        let request = GITLAB.request(&site(), GITLAB.repo(&site()));
        assert_eq!(
            request.url,
            "https://example.com/gitlab/api/v4/projects/acme%2Fweb%2Fapp"
        );
        assert_eq!(request.header("authorization"), Some("Bearer glpat-token"));
        let ada = User {
            login: "ada".into(),
            id: Some(7),
            name: None,
            email: None,
        };
        let lookup = GITLAB.namespace(&site(), &ada).unwrap();
        assert_eq!(lookup.path, "api/v4/namespaces/acme%2Fweb");
        let create = GITLAB.create(&site(), &ada, Some(42), false);
        assert_eq!(create.body["namespace_id"], 42);
        assert_eq!(create.body["visibility"], "public");
        let own = Site {
            owner: "ada",
            ..site()
        };
        assert!(GITLAB.namespace(&own, &ada).is_none());
        assert!(GITLAB
            .create(&own, &ada, None, true)
            .body
            .get("namespace_id")
            .is_none());
    }

    #[test]
    fn an_empty_project_and_its_user() {
        let answer = Response::new(
            200,
            br#"{"id":5,"path_with_namespace":"acme/web/app","default_branch":null,
                "http_url_to_repo":"https://example.com/gitlab/acme/web/app.git",
                "web_url":"https://example.com/gitlab/acme/web/app",
                "namespace":{"id":9,"full_path":"acme/web","kind":"group"}}"#
                .to_vec(),
        );
        let repo = GITLAB.parse_repo(&answer).unwrap();
        assert_eq!(repo.default_branch.as_deref(), Some("main"));
        assert_eq!(repo.owner.login, "acme/web");
        assert_eq!(
            GITLAB.commit_url(&repo, ObjectId::ZERO),
            format!(
                "https://example.com/gitlab/acme/web/app/-/commit/{}",
                ObjectId::ZERO
            )
        );
        let user = Response::new(
            200,
            br#"{"id":7,"username":"ada","name":"Ada","email":"","public_email":null}"#.to_vec(),
        );
        let user = GITLAB.parse_user(&site(), &user).unwrap();
        assert_eq!(user.commit_email(), "7-ada@users.noreply.example.com");
    }

    #[test]
    fn merge_requests() {
        let repo = Repository {
            full_name: "acme/web/app".into(),
            default_branch: Some("main".into()),
            clone_url: String::new(),
            html_url: String::new(),
            owner: Owner {
                login: "acme/web".into(),
            },
        };
        let list = serde_json::json!([
            {"iid": 1, "state": "opened", "source_branch": "liftoff", "source_project_id": 8, "project_id": 5},
            {"iid": 2, "state": "merged", "source_branch": "liftoff", "source_project_id": 5, "project_id": 5},
            {"iid": 3, "state": "opened", "source_branch": "liftoff", "source_project_id": 5, "project_id": 5},
        ]);
        assert_eq!(GITLAB.parse_pulls(&list, &repo, "liftoff"), Some(3));
        let exists = Response::new(
            409,
            br#"{"message":["Another open merge request already exists for this source branch: !3"]}"#
                .to_vec(),
        );
        assert!(GITLAB.pull_exists(&exists));
        let taken = Response::new(
            400,
            br#"{"message":{"name":["has already been taken"],"path":["has already been taken"]}}"#
                .to_vec(),
        );
        assert!(GITLAB.name_taken(&taken));
        assert!(!GITLAB.name_taken(&Response::new(400, br#"{"message":"bad"}"#.to_vec())));
    }
}
