//! The sans-I/O network layer: conversations with builders and targets are state machines
//! that hand out [`Request`]s and take [`Outcome`]s back. The caller owns sockets and the
//! clock (time comes in as milliseconds), so the browser's `fetch` driver and the CLI's
//! blocking driver run the same logic, and tests run it with no network.

mod conversation;
mod error;
#[cfg(test)]
pub(crate) mod faults;
mod http;
mod pool;
mod retry;

pub use conversation::{run_blocking, run_blocking_at, Boxed, Conversation, Phase, Progress};
pub use error::RemoteError;
pub use http::{header, Method, Outcome, Request, RequestId, Response};
pub use pool::{Outgoing, Pool, PoolEvent, MAX_LOST_ANSWERS};
pub use retry::{RetryDecision, RetryPolicy};

/// `base` (an origin or URL prefix) joined with `path`, with exactly one `/` between them.
pub fn join_url(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// Percent-encodes a query or path component (RFC 3986 unreserved characters pass).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The host of an `http(s)://host[:port]/…` URL, lower-cased, without the port.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(join_url("https://a.dev/", "/x/y"), "https://a.dev/x/y");
        assert_eq!(encode_component("src/a b+ü.ts"), "src%2Fa%20b%2B%C3%BC.ts");
        assert_eq!(
            host_of("https://API.lovable.dev/projects").as_deref(),
            Some("api.lovable.dev")
        );
        assert_eq!(
            host_of("http://127.0.0.1:8080/x").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(host_of("http://u:p@[::1]:80/").as_deref(), Some("::1"));
        assert_eq!(host_of("nope"), None);
    }
}
