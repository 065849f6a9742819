//! A plain git remote (`liftoff push --to git`): no REST API, only git's smart HTTP. What is
//! known of it comes from its URL and from `git-upload-pack`: the default branch from `HEAD`'s
//! symref (protocol v2 `ls-refs`, or the `symref=` capability of a version-0 advertisement).

use super::error::PushError;
use super::fetch::RemoteRef;
use super::names::host_and_port;

/// A remote's URL, checked: where the credentials may go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainRemote {
    /// `https://host/path.git`: no credentials, no trailing slash, no query or fragment.
    pub url: String,
    /// The user name written in the URL (`https://ada@host/…`), if any.
    pub username: Option<String>,
}

/// Reads a remote's URL. https anywhere; plain http only for this machine (the token would
/// cross the network in clear otherwise); a password in the URL is refused (tokens come from
/// the environment, never from a flag or a URL that ends up in shell history).
pub fn parse_remote_url(text: &str) -> Result<PlainRemote, PushError> {
    let bad = || PushError::BadRemoteUrl(redacted(text));
    let lower = text.to_ascii_lowercase();
    let (scheme, rest) = if lower.starts_with("https://") {
        ("https://", &text["https://".len()..])
    } else if lower.starts_with("http://") {
        ("http://", &text["http://".len()..])
    } else {
        return Err(bad());
    };
    if text.contains(['?', '#', ' ', '\\']) || text.chars().any(char::is_control) {
        return Err(bad());
    }
    let (authority, path) = rest.split_once('/').ok_or_else(bad)?;
    let (username, host) = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            if userinfo.contains(':') || userinfo.is_empty() {
                return Err(bad());
            }
            (Some(userinfo.to_string()), host)
        }
        None => (None, authority),
    };
    let (hostname, _) = host_and_port(text).ok_or_else(bad)?;
    let plain_name = hostname
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':'));
    if !plain_name
        || (scheme == "http://"
            && !matches!(hostname.as_str(), "localhost" | "127.0.0.1" | "[::1]"))
    {
        return Err(bad());
    }
    let path = path.trim_end_matches('/');
    if path.is_empty()
        || path
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err(bad());
    }
    Ok(PlainRemote {
        url: format!("{scheme}{}/{path}", host.to_ascii_lowercase()),
        username,
    })
}

/// `text` with any password in its user information replaced by `***`: what an error may
/// quote.
fn redacted(text: &str) -> String {
    let Some(start) = text.find("://").map(|i| i + 3) else {
        return text.to_string();
    };
    let end = text[start..].find('/').map_or(text.len(), |i| start + i);
    match text[start..end].rfind('@') {
        Some(at) => {
            let userinfo = &text[start..start + at];
            let user = userinfo.split(':').next().unwrap_or_default();
            let hidden = if userinfo.contains(':') { ":***" } else { "" };
            format!("{}{user}{hidden}{}", &text[..start], &text[start + at..])
        }
        None => text.to_string(),
    }
}

/// The default branch `ls-refs` names: where `HEAD` points, under `refs/heads/`.
pub fn default_branch(refs: &[RemoteRef]) -> Option<String> {
    refs.iter()
        .find(|r| r.name == "HEAD")
        .and_then(|head| head.target.as_deref())
        .and_then(|target| target.strip_prefix("refs/heads/"))
        .map(str::to_string)
}

/// The default branch a version-0 upload-pack advertisement names (`symref=HEAD:refs/heads/…`
/// among the first ref's capabilities).
pub fn v0_default_branch(body: &[u8]) -> Option<String> {
    const MARK: &[u8] = b"symref=HEAD:refs/heads/";
    let at = body.windows(MARK.len()).position(|w| w == MARK)? + MARK.len();
    let end = body[at..]
        .iter()
        .position(|&b| matches!(b, b' ' | b'\0' | b'\n'))
        .map_or(body.len(), |i| at + i);
    let name = std::str::from_utf8(&body[at..end]).ok()?;
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_cleaned() {
        let remote = parse_remote_url("https://ada@GitLab.example.com/group/sub/app.git/").unwrap();
        assert_eq!(remote.url, "https://gitlab.example.com/group/sub/app.git");
        assert_eq!(remote.username.as_deref(), Some("ada"));
        assert_eq!(
            parse_remote_url("http://127.0.0.1:8080/o/r.git")
                .unwrap()
                .username,
            None
        );
        assert!(parse_remote_url("http://localhost/o/r").is_ok());
        assert!(parse_remote_url("https://[::1]:443/o/r.git").is_ok());
        assert!(parse_remote_url("http://[::1]/o/r.git").is_ok());
        for bad in [
            "http://example.com/o/r.git",
            "https://ada:secret@example.com/o/r.git",
            "ssh://git@example.com/o/r.git",
            "git@example.com:o/r.git",
            "https://example.com/",
            "https://example.com/o/../r.git",
            "https://example.com/o//r.git",
            "https://example.com/o/r.git?x=1",
            "https://exa mple.com/o/r.git",
            "https://example.com:port/o/r.git",
            "https://@example.com/o/r.git",
        ] {
            assert!(
                matches!(parse_remote_url(bad), Err(PushError::BadRemoteUrl(_))),
                "{bad}"
            );
        }
        let message = parse_remote_url("https://ada:hunter2@example.com/o/r.git")
            .unwrap_err()
            .to_string();
        assert!(message.contains("without a password"), "{message}");
        assert!(
            message.contains("'https://ada:***@example.com/o/r.git'")
                && !message.contains("hunter2"),
            "{message}"
        );
    }

    #[test]
    fn default_branches_from_either_protocol() {
        let refs = [
            RemoteRef {
                name: "HEAD".into(),
                id: None,
                target: Some("refs/heads/trunk".into()),
            },
            RemoteRef {
                name: "refs/heads/trunk".into(),
                id: None,
                target: None,
            },
        ];
        assert_eq!(default_branch(&refs).as_deref(), Some("trunk"));
        assert_eq!(default_branch(&refs[1..]), None);
        let v0 = b"001e# service=git-upload-pack\n0000010a1111111111111111111111111111111111111111 HEAD\0multi_ack symref=HEAD:refs/heads/main agent=git/2.47\n0000";
        assert_eq!(v0_default_branch(v0).as_deref(), Some("main"));
        assert_eq!(v0_default_branch(b"0000"), None);
    }
}
