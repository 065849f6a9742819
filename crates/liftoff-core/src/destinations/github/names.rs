//! Checks on the names a push puts into URLs and ref updates, before anything is sent.

use super::error::PushError;

/// Splits `OWNER/NAME` after checking both parts: GitHub's characters only, so they go into
/// URL paths as they are. A trailing `.git` is dropped.
pub fn parse_repository(text: &str) -> Result<(String, String), PushError> {
    let bad = || PushError::BadRepository(text.chars().take(200).collect());
    let (owner, name) = text.trim().split_once('/').ok_or_else(bad)?;
    let name = name.strip_suffix(".git").unwrap_or(name);
    let owner_ok = !owner.is_empty()
        && owner.len() <= 39
        && owner
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let name_ok = !name.is_empty()
        && name.len() <= 100
        && name != "."
        && name != ".."
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if owner_ok && name_ok {
        Ok((owner.to_string(), name.to_string()))
    } else {
        Err(bad())
    }
}

/// Splits `NAMESPACE/NAME` for forges whose names may hold '.' anywhere but first (Gitea,
/// Forgejo, GitLab) and, when `nested`, a namespace of several segments (GitLab's subgroups:
/// `group/sub/name`). Every segment goes into URL paths as it is. A trailing `.git` is dropped.
pub fn parse_namespaced(text: &str, nested: bool) -> Result<(String, String), PushError> {
    let bad = || PushError::BadRepository(text.chars().take(200).collect());
    let text = text.trim().trim_end_matches('/');
    let text = text.strip_suffix(".git").unwrap_or(text);
    let (owner, name) = text.rsplit_once('/').ok_or_else(bad)?;
    let segment_ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && !s.starts_with(['.', '-'])
            && !s.ends_with('.')
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    let segments: Vec<&str> = owner.split('/').collect();
    let owner_ok = (nested || segments.len() == 1)
        && segments.len() <= 20
        && segments.iter().all(|s| segment_ok(s));
    if owner_ok && segment_ok(name) {
        Ok((owner.to_string(), name.to_string()))
    } else {
        Err(bad())
    }
}

/// A branch name git accepts (`git check-ref-format --branch`), without `refs/heads/`.
pub fn check_branch(text: &str) -> Result<String, PushError> {
    let name = text.strip_prefix("refs/heads/").unwrap_or(text);
    let bad = || PushError::BadBranch(text.chars().take(200).collect());
    let forbidden = |c: char| c.is_control() || " ~^:?*[\\".contains(c);
    let component_ok = |c: &str| !c.is_empty() && !c.starts_with('.') && !c.ends_with(".lock");
    let ok = !name.is_empty()
        && name.len() <= 255
        && name != "@"
        && !name.starts_with('-')
        && !name.ends_with('.')
        && !name.contains("..")
        && !name.contains("@{")
        && !name.chars().any(forbidden)
        && name.split('/').all(component_ok);
    if ok {
        Ok(name.to_string())
    } else {
        Err(bad())
    }
}

/// Whether the token may be sent to `clone_url`: http(s), no credentials, query or fragment in
/// it, https whenever the API itself is https (a token never downgrades to clear text), and the
/// git host that belongs to the API and nowhere else: the API's own host and port, or, for an
/// API at `api.<host>`, `<host>` (`api.github.com` ↔ `github.com`; GitHub Enterprise serves
/// both from one host). A repository answer naming any other host gets no token.
pub fn clone_url_is_safe(api: &str, clone_url: &str) -> bool {
    let lower = clone_url.to_ascii_lowercase();
    let https_api = api.to_ascii_lowercase().starts_with("https://");
    let (scheme_ok, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        (!https_api, rest)
    } else {
        (false, "")
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if !scheme_ok
        || authority.is_empty()
        || authority.contains('@')
        || clone_url.contains(['?', '#'])
    {
        return false;
    }
    let Some((api_host, api_port)) = host_and_port(api) else {
        return false;
    };
    let Some((host, port)) = host_and_port(clone_url) else {
        return false;
    };
    let own_git_host = api_host.strip_prefix("api.").unwrap_or(&api_host);
    port == api_port && (host == api_host || host == own_git_host)
}

/// The lower-cased host of an http(s) URL (an IPv6 address kept in its brackets) and its port
/// (the scheme's default when none), past any user information.
pub(super) fn host_and_port(url: &str) -> Option<(String, u16)> {
    let lower = url.to_ascii_lowercase();
    let (rest, default_port) = match lower.strip_prefix("https://") {
        Some(rest) => (rest, 443),
        None => (lower.strip_prefix("http://")?, 80),
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')? + 1;
        (&authority[..end], authority[end..].strip_prefix(':'))
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(port) => port.parse().ok()?,
        None if authority.len() == host.len() => default_port,
        None => return None,
    };
    (!host.is_empty()).then(|| (host.to_string(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories() {
        assert_eq!(
            parse_repository("octo-org/my_app.v2").unwrap(),
            ("octo-org".into(), "my_app.v2".into())
        );
        assert_eq!(parse_repository("o/app.git").unwrap().1, "app");
        for bad in [
            "app", "/app", "o/", "o/a/b", "o/..", "o/a b", "o/a%2F", "ö/a", "o/a?x",
        ] {
            assert!(parse_repository(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn namespaced_repositories() {
        assert_eq!(
            parse_namespaced("acme/web/app.v2.git", true).unwrap(),
            ("acme/web".to_string(), "app.v2".to_string())
        );
        assert_eq!(
            parse_namespaced("ada.l/app", false).unwrap(),
            ("ada.l".to_string(), "app".to_string())
        );
        for bad in [
            "acme/web/app",
            "app",
            "/app",
            "a//b",
            "../app",
            "a/.hidden",
            "a/-x",
            "a/b c",
            "a/b%2F",
        ] {
            assert!(parse_namespaced(bad, false).is_err(), "{bad}");
        }
        for bad in ["a/../b", "a/b/..", "a/./b", "a/b/.c"] {
            assert!(parse_namespaced(bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn branches() {
        for good in ["main", "feature/push", "refs/heads/v1.2", "a-b_c"] {
            assert!(check_branch(good).is_ok(), "{good}");
        }
        assert_eq!(check_branch("refs/heads/main").unwrap(), "main");
        for bad in [
            "",
            "-x",
            "a..b",
            "a b",
            "a~1",
            "a^",
            "a:b",
            "x.lock",
            "a/.hidden",
            "a//b",
            "a/",
            "x.",
            "@",
            "a@{1}",
            "a\\b",
            "a\nb",
        ] {
            assert!(check_branch(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn clone_urls() {
        let api = "https://api.github.com";
        assert!(clone_url_is_safe(api, "https://github.com/o/a.git"));
        assert!(!clone_url_is_safe(api, "http://github.com/o/a.git"));
        assert!(!clone_url_is_safe(
            api,
            "https://user:pw@github.com/o/a.git"
        ));
        assert!(!clone_url_is_safe(api, "file:///etc/passwd"));
        assert!(!clone_url_is_safe(api, "https://github.com/o/a.git?x=1"));
        assert!(clone_url_is_safe(
            "http://127.0.0.1:9000",
            "http://127.0.0.1:9000/o/a.git"
        ));
        // A repository answer naming another host, or another port, gets no token.
        assert!(!clone_url_is_safe(api, "https://evil.example/o/a.git"));
        assert!(!clone_url_is_safe(
            api,
            "https://github.com.evil.example/o/a.git"
        ));
        assert!(!clone_url_is_safe(api, "https://github.com:8443/o/a.git"));
        assert!(!clone_url_is_safe(
            "http://127.0.0.1:9000",
            "http://127.0.0.1:9001/o/a.git"
        ));
        assert!(!clone_url_is_safe(
            "http://127.0.0.1:9000",
            "http://localhost:9000/o/a.git"
        ));
        // GitHub Enterprise: the API and git on one host.
        assert!(clone_url_is_safe(
            "https://ghe.acme.test/api/v3",
            "https://ghe.acme.test/o/a.git"
        ));
        assert!(clone_url_is_safe(
            "https://api.acme.ghe.com",
            "https://acme.ghe.com/o/a.git"
        ));
    }
}
