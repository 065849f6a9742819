//! Pull requests after a push to a branch: find the one already open for the branch, else open
//! one into the default branch (`../shared/brief/targets.md`), and what its body says.

use serde::Serialize;

use super::diff::{ChangeAction, FileChange};
use crate::net::Response;

/// Files listed one by one in a pull request's body before the rest is counted.
const LISTED: usize = 100;

/// What a push's pull request says: its title, and the export's summary (what was cleaned up,
/// the secrets found, the variables to set) written by the front end from the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequestSpec {
    pub title: String,
    /// Markdown, put before the list of changes.
    pub summary: String,
}

/// The pull request a push opened or updated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PullRequestResult {
    pub number: u64,
    /// Its page on the forge.
    pub url: String,
    /// Opened by this push (`false`: the open one was updated).
    pub created: bool,
}

impl PullRequestResult {
    /// From a pull request's JSON: GitHub's and Gitea's `{number, html_url}`, or a GitLab
    /// merge request's `{iid, web_url}`.
    pub fn from_answer(response: &Response, created: bool) -> Option<Self> {
        let json: serde_json::Value = serde_json::from_slice(&response.body).ok()?;
        let field = |a: &str, b: &str| json.get(a).or_else(|| json.get(b)).cloned();
        Some(Self {
            number: field("number", "iid")?.as_u64()?,
            url: field("html_url", "web_url")?.as_str()?.to_string(),
            created,
        })
    }
}

/// The number of the open pull request whose head is `branch`, in a `GET …/pulls` answer.
pub fn find_open(list: &serde_json::Value, branch: &str) -> Option<u64> {
    list.as_array()?.iter().find_map(|pull| {
        let head = pull.get("head")?.get("ref")?.as_str()?;
        let open = pull.get("state").and_then(serde_json::Value::as_str) != Some("closed");
        (head == branch && open)
            .then(|| pull.get("number")?.as_u64())
            .flatten()
    })
}

/// The body: the summary, then every changed file (added, changed, deleted, with lines).
pub fn pull_body(spec: Option<&PullRequestSpec>, changes: &[FileChange]) -> String {
    let mut body = spec
        .map(|s| s.summary.trim().to_string())
        .unwrap_or_default();
    if !body.is_empty() {
        body.push_str("\n\n");
    }
    body.push_str("### Files\n\n");
    if changes.is_empty() {
        body.push_str("No file changes: the branch already holds this export.\n");
    }
    for change in changes.iter().take(LISTED) {
        let verb = match change.action {
            ChangeAction::Added => "added",
            ChangeAction::Changed => "changed",
            ChangeAction::Deleted => "deleted",
        };
        let lines = match (change.binary, change.lines_added, change.lines_removed) {
            (true, _, _) => format!(
                " (binary, {})",
                crate::text::count(change.size, "byte", "bytes")
            ),
            (false, Some(added), Some(removed)) => format!(" (+{added} −{removed})"),
            _ => String::new(),
        };
        body.push_str(&format!("- {verb} `{}`{lines}\n", change.path));
    }
    if changes.len() > LISTED {
        body.push_str(&format!("- … and {} more\n", changes.len() - LISTED));
    }
    body.push_str("\nPushed by Liftoff.\n");
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_pull_request_of_the_branch_is_found() {
        let list = serde_json::json!([
            {"number": 3, "state": "open", "head": {"ref": "other"}},
            {"number": 7, "state": "open", "head": {"ref": "liftoff"}},
        ]);
        assert_eq!(find_open(&list, "liftoff"), Some(7));
        assert_eq!(find_open(&list, "nope"), None);
        assert_eq!(
            find_open(&serde_json::json!({"message": "x"}), "liftoff"),
            None
        );
    }

    #[test]
    fn the_body_lists_the_summary_then_the_files() {
        let changes = vec![
            FileChange {
                path: "src/a.ts".into(),
                action: ChangeAction::Changed,
                binary: false,
                lines_added: Some(3),
                lines_removed: Some(1),
                size: 10,
                old_size: None,
            },
            FileChange {
                path: "logo.png".into(),
                action: ChangeAction::Added,
                binary: true,
                lines_added: None,
                lines_removed: None,
                size: 2048,
                old_size: None,
            },
        ];
        let spec = PullRequestSpec {
            title: "t".into(),
            summary: "Cleaned up.".into(),
        };
        let body = pull_body(Some(&spec), &changes);
        assert!(body.starts_with("Cleaned up.\n\n### Files\n\n"), "{body}");
        assert!(body.contains("- changed `src/a.ts` (+3 −1)\n"));
        assert!(body.contains("- added `logo.png` (binary, 2048 bytes)\n"));
        assert!(pull_body(None, &[]).contains("No file changes"));
        let one_byte = FileChange {
            size: 1,
            ..changes[1].clone()
        };
        assert!(pull_body(None, &[one_byte]).contains("- added `logo.png` (binary, 1 byte)\n"));
    }
}
