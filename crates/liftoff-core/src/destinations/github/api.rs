//! The REST side of a push: the JSON GitHub answers with, and which error a status means for
//! each request.

use serde::Deserialize;

use crate::net::{header, Outcome, RemoteError, Response};

use super::error::PushError;
use crate::time::utc_minute;

/// The service name in messages.
pub(super) const SERVICE: &str = "GitHub";

/// `GET /user`.
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub login: String,
    #[serde(default)]
    pub id: Option<u64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

impl User {
    /// The name commits carry: the profile name, else the login.
    pub fn display_name(&self) -> &str {
        match self.name.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => name,
            _ => &self.login,
        }
    }

    /// The public email, else GitHub's no-reply address for the account (which GitHub
    /// attributes to it): `{id}+{login}@users.noreply.github.com`, or `{login}@…` without an id.
    pub fn commit_email(&self) -> String {
        match self.email.as_deref().map(str::trim) {
            Some(email) if !email.is_empty() => email.to_string(),
            _ => match self.id {
                Some(id) => format!("{id}+{}@users.noreply.github.com", self.login),
                None => format!("{}@users.noreply.github.com", self.login),
            },
        }
    }
}

/// `GET /repos/{owner}/{repo}` and the repository-creation answers.
#[derive(Debug, Clone, Deserialize)]
pub struct Repository {
    pub full_name: String,
    #[serde(default)]
    pub default_branch: Option<String>,
    pub clone_url: String,
    pub html_url: String,
    pub owner: Owner,
}

/// A repository's owner.
#[derive(Debug, Clone, Deserialize)]
pub struct Owner {
    pub login: String,
}

/// Parses a JSON answer of GitHub's, or says what was wrong with it.
pub(super) fn parse_json<T: serde::de::DeserializeOwned>(
    what: &str,
    response: &Response,
) -> Result<T, PushError> {
    parse_json_from(SERVICE, what, response)
}

/// Parses a JSON answer of `service`'s, or says what was wrong with it.
pub(crate) fn parse_json_from<T: serde::de::DeserializeOwned>(
    service: &'static str,
    what: &str,
    response: &Response,
) -> Result<T, PushError> {
    serde_json::from_slice(&response.body).map_err(|e| {
        RemoteError::Malformed {
            service,
            what: what.into(),
            detail: e.to_string(),
        }
        .into()
    })
}

/// A text field of a forge's JSON answer (answers of GitLab and Gitea are read through `Value`:
/// a derive per answer shape costs the extension's wasm module more than these lookups).
pub(crate) fn json_text<'a>(json: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    json.get(key).and_then(serde_json::Value::as_str)
}

/// The error for `service`'s answer about `what` that lacks `field`.
pub(crate) fn missing_field(service: &'static str, what: &str, field: &str) -> PushError {
    RemoteError::Malformed {
        service,
        what: what.into(),
        detail: format!("the answer has no {field}"),
    }
    .into()
}

/// The rate-limit error, when `response` is GitHub saying the limit is used up.
pub(super) fn rate_limit(response: &Response) -> Option<PushError> {
    let exhausted = response.header("x-ratelimit-remaining") == Some("0");
    let says_so = String::from_utf8_lossy(&response.body)
        .to_ascii_lowercase()
        .contains("rate limit");
    let limited = response.status == 429 || (response.status == 403 && (exhausted || says_so));
    if !limited {
        return None;
    }
    let reset = response
        .header("x-ratelimit-reset")
        .filter(|_| exhausted)
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(utc_minute);
    let wait_s = response
        .header(header::RETRY_AFTER)
        .and_then(|v| v.trim().parse::<u64>().ok());
    Some(PushError::RateLimited { reset, wait_s })
}

/// The error for a final outcome that no step-specific rule explained.
pub(super) fn generic_error(what: &str, outcome: &Outcome) -> PushError {
    generic_error_from(SERVICE, what, outcome)
}

/// [`generic_error`] for `service` (a plain git remote has no GitHub rate limit).
pub(super) fn generic_error_from(
    service: &'static str,
    what: &str,
    outcome: &Outcome,
) -> PushError {
    if let Outcome::Response(response) = outcome {
        if service == SERVICE {
            if let Some(limited) = rate_limit(response) {
                return limited;
            }
        }
        if response.status == 401 {
            return PushError::BadToken { service };
        }
    }
    RemoteError::from_outcome(service, what, outcome).into()
}

/// The `message` of a forge's error body, kept short: GitHub's `{message, errors: [{message}]}`,
/// Gitea's `{message}`, GitLab's `{message: "…" | ["…"] | {field: ["…"]}}` or `{error}`.
pub(crate) fn error_message(response: &Response) -> String {
    let json: Option<serde_json::Value> = serde_json::from_slice(&response.body).ok();
    let text = json
        .as_ref()
        .map(|v| {
            let message = v
                .get("message")
                .or_else(|| v.get("error"))
                .map(message_text)
                .unwrap_or_default();
            let message = message.as_str();
            let detail = v
                .get("errors")
                .and_then(|e| e.get(0))
                .and_then(|e| e.get("message").and_then(|m| m.as_str()));
            match detail {
                Some(detail) if !message.is_empty() => format!("{message} {detail}"),
                Some(detail) => detail.to_string(),
                None => message.to_string(),
            }
        })
        .unwrap_or_default();
    let text: String = text.chars().filter(|c| !c.is_control()).take(200).collect();
    if text.trim().is_empty() {
        format!("status {}", response.status)
    } else {
        text
    }
}

/// A `message` as text: a string, a list of strings, or fields with their lists
/// (`name has already been taken; path has already been taken`).
fn message_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(message_text)
            .collect::<Vec<_>>()
            .join("; "),
        serde_json::Value::Object(fields) => fields
            .iter()
            .map(|(field, why)| format!("{field} {}", message_text(why)))
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_identity() {
        let user: User =
            serde_json::from_str(r#"{"login":"octo","id":42,"name":null,"email":null}"#).unwrap();
        assert_eq!(user.display_name(), "octo");
        assert_eq!(user.commit_email(), "42+octo@users.noreply.github.com");
        let user: User = serde_json::from_str(
            r#"{"login":"octo","name":"Octo Cat","email":"octo@example.com"}"#,
        )
        .unwrap();
        assert_eq!(user.display_name(), "Octo Cat");
        assert_eq!(user.commit_email(), "octo@example.com");
        let user: User = serde_json::from_str(r#"{"login":"octo"}"#).unwrap();
        assert_eq!(user.commit_email(), "octo@users.noreply.github.com");
    }

    #[test]
    fn rate_limits_and_messages() {
        let limited = Response::new(403, br#"{"message":"API rate limit exceeded"}"#.to_vec())
            .with_header("x-ratelimit-remaining", "0")
            .with_header("x-ratelimit-reset", "1795500000");
        assert_eq!(
            rate_limit(&limited).unwrap().to_string(),
            "GitHub's rate limit is used up until 2026-11-24 06:00 UTC: push again after that"
        );
        let secondary = Response::new(429, Vec::new()).with_header("retry-after", "60");
        assert_eq!(
            rate_limit(&secondary).unwrap().to_string(),
            "GitHub's rate limit is used up: wait 60 seconds, then push again"
        );
        let bare = Response::new(429, Vec::new());
        assert_eq!(
            rate_limit(&bare).unwrap().to_string(),
            "GitHub's rate limit is used up: wait a few minutes, then push again"
        );
        assert!(rate_limit(&Response::new(403, br#"{"message":"nope"}"#.to_vec())).is_none());
        let taken = Response::new(
            422,
            br#"{"message":"Repository creation failed.","errors":[{"resource":"Repository","code":"custom","field":"name","message":"name already exists on this account"}]}"#.to_vec(),
        );
        assert_eq!(
            error_message(&taken),
            "Repository creation failed. name already exists on this account"
        );
        assert_eq!(
            error_message(&Response::new(500, b"".to_vec())),
            "status 500"
        );
        let gitlab = Response::new(
            400,
            br#"{"message":{"name":["has already been taken"],"path":["has already been taken"]}}"#
                .to_vec(),
        );
        assert_eq!(
            error_message(&gitlab),
            "name has already been taken; path has already been taken"
        );
        let listed = Response::new(409, br#"{"message":["Another open merge request already exists for this source branch: !1"]}"#.to_vec());
        assert!(error_message(&listed).starts_with("Another open merge request already exists"));
        assert_eq!(
            error_message(&Response::new(
                401,
                br#"{"error":"invalid_token"}"#.to_vec()
            )),
            "invalid_token"
        );
    }
}
