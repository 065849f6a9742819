//! Errors of a conversation with a remote service, written for the person who must act.

use thiserror::Error;

use super::http::Outcome;
use crate::error::{Coded, Details};

/// Why a remote service did not give us what we asked. Never carries a token.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RemoteError {
    #[error("{service} refused the token (401): sign in again, or set a fresh token")]
    BadToken { service: &'static str },
    #[error("{service} refused the API key (401): it may be revoked, expired or for another workspace; create a new key and set it again")]
    KeyRefused { service: &'static str },
    #[error("{service}: {w} not found (404), or the token cannot see it", w = crate::text::quote_message(.what))]
    NotFound { service: &'static str, what: String },
    #[error("{service}: the token may not read {w} (403)", w = crate::text::quote_message(.what))]
    Forbidden { service: &'static str, what: String },
    #[error("{service} answered {status} for {w}: {m}", w = crate::text::quote_message(.what), m = crate::text::quote_message(.message))]
    Status {
        service: &'static str,
        status: u16,
        what: String,
        message: String,
    },
    #[error("{service} redirected the request for {w} ({status}); Liftoff never follows a redirect with your token", w = crate::text::quote_message(.what))]
    Redirected {
        service: &'static str,
        status: u16,
        what: String,
    },
    #[error("{service} could not be reached for {w} after retries: {d}", w = crate::text::quote_message(.what), d = crate::text::quote_message(.detail))]
    Unreachable {
        service: &'static str,
        what: String,
        detail: String,
    },
    #[error("{service} sent an unexpected answer for {w}: {d}", w = crate::text::quote_message(.what), d = crate::text::quote_message(.detail))]
    Malformed {
        service: &'static str,
        what: String,
        detail: String,
    },
}

impl RemoteError {
    /// The HTTP status behind the error, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::BadToken { .. } | Self::KeyRefused { .. } => Some(401),
            Self::Forbidden { .. } => Some(403),
            Self::NotFound { .. } => Some(404),
            Self::Status { status, .. } | Self::Redirected { status, .. } => Some(*status),
            Self::Unreachable { .. } | Self::Malformed { .. } => None,
        }
    }

    /// The error for a final non-success outcome of a request for `what`.
    pub fn from_outcome(service: &'static str, what: &str, outcome: &Outcome) -> Self {
        let what = what.to_string();
        match outcome {
            Outcome::NetworkError(detail) => Self::Unreachable {
                service,
                what,
                detail: detail.clone(),
            },
            Outcome::Response(r) => match r.status {
                status @ 300..=399 => Self::Redirected {
                    service,
                    status,
                    what,
                },
                401 => Self::BadToken { service },
                403 => Self::Forbidden { service, what },
                404 => Self::NotFound { service, what },
                status => Self::Status {
                    service,
                    status,
                    what,
                    message: short_message(&r.body),
                },
            },
        }
    }
}

impl Coded for RemoteError {
    /// The popup words it its own way.
    fn code(&self) -> &'static str {
        match self {
            Self::BadToken { .. } | Self::KeyRefused { .. } => "bad-token",
            Self::NotFound { .. } => "not-found",
            Self::Forbidden { .. } => "forbidden",
            Self::Status { .. } => "http-error",
            Self::Redirected { .. } => "redirected",
            Self::Unreachable { .. } => "unreachable",
            Self::Malformed { .. } => "malformed",
        }
    }

    fn details(&self) -> Details {
        Details::status(self.status())
    }
}

/// The `message` of a JSON error body (or, in the problem-details shape `{status, title, type,
/// detail, request_id}`, its title and detail), or the start of a text body, kept short.
fn short_message(body: &[u8]) -> String {
    let from_json = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .or_else(|| v.get("error").and_then(|e| e.get("message").or(Some(e))))
                .and_then(|m| m.as_str().map(str::to_string))
                .or_else(|| problem_details(&v))
        });
    let text = from_json.unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    let text: String = text.chars().filter(|c| !c.is_control()).take(200).collect();
    if text.trim().is_empty() {
        "no details".into()
    } else {
        text
    }
}

/// `title: detail (request id …)` of an RFC 9457-style error body, as Lovable's API answers
/// (docs.lovable.dev/api-reference: `{status, title, type, detail, errors, request_id}`).
fn problem_details(v: &serde_json::Value) -> Option<String> {
    let text = |key: &str| {
        v.get(key)
            .and_then(|x| x.as_str())
            .filter(|s| !s.is_empty())
    };
    let title = text("title");
    let detail = text("detail");
    let mut out = match (title, detail) {
        (Some(t), Some(d)) => format!("{t}: {d}"),
        (Some(x), None) | (None, Some(x)) => x.to_string(),
        (None, None) => return None,
    };
    if let Some(id) = text("request_id") {
        out.push_str(&format!(" (request id {id})"));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::Response;

    #[test]
    fn final_outcomes_become_sentences_and_codes() {
        let cases = [
            (401, "bad-token", "Lovable refused the token (401)"),
            (403, "forbidden", "Lovable: the token may not read x (403)"),
            (404, "not-found", "Lovable: x not found (404)"),
            (
                302,
                "redirected",
                "Lovable redirected the request for x (302)",
            ),
            (418, "http-error", "Lovable answered 418 for x: teapot"),
        ];
        for (status, code, start) in cases {
            let outcome =
                Outcome::Response(Response::new(status, b"{\"message\":\"teapot\"}".to_vec()));
            let error = RemoteError::from_outcome("Lovable", "x", &outcome);
            assert_eq!(error.code(), code);
            assert_eq!(error.status(), Some(status));
            assert!(error.to_string().starts_with(start), "{error}");
        }
        let error =
            RemoteError::from_outcome("Base44", "app", &Outcome::NetworkError("reset".into()));
        assert_eq!(error.code(), "unreachable");
    }
}
