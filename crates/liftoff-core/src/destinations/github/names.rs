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

/// Whether the token may be sent to `clone_url`: http(s), no credentials in it, and https
/// whenever the API itself is https (a token never downgrades to clear text).
pub fn clone_url_is_safe(api: &str, clone_url: &str) -> bool {
    let lower = clone_url.to_ascii_lowercase();
    let rest = if let Some(rest) = lower.strip_prefix("https://") {
        rest
    } else if let Some(rest) = lower.strip_prefix("http://") {
        if api.to_ascii_lowercase().starts_with("https://") {
            return false;
        }
        rest
    } else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    !authority.is_empty() && !authority.contains('@') && !clone_url.contains(['?', '#'])
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
    }
}
