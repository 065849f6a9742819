use serde_json::json;

use super::*;
use crate::net::run_blocking;

const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

#[test]
fn verdicts_from_check_runs_and_statuses() {
    let none = verdict(
        &json!({"total_count": 0, "check_runs": []}),
        &json!({"state": "pending", "statuses": []}),
    );
    assert_eq!(none.state, Verdict::None);
    let queued = verdict(
        &json!({"check_runs": [{"name": "build", "status": "queued"}]}),
        &json!({}),
    );
    assert_eq!(queued.state, Verdict::Queued);
    let running = verdict(
        &json!({"check_runs": [{"name": "build", "status": "in_progress"}, {"name": "lint", "status": "queued"}]}),
        &json!({}),
    );
    assert_eq!(running.state, Verdict::Running);
    let passed = verdict(
        &json!({"check_runs": [{"name": "build", "status": "completed", "conclusion": "success"}, {"name": "x", "status": "completed", "conclusion": "skipped"}]}),
        &json!({"statuses": [{"context": "ci/other", "state": "success"}]}),
    );
    assert_eq!(passed.state, Verdict::Passed);
    assert_eq!(passed.checks.len(), 3);
    let failed = verdict(
        &json!({"check_runs": [{"name": "build", "status": "completed", "conclusion": "failure", "html_url": "https://github.test/run/1"}]}),
        &json!({}),
    );
    assert_eq!(failed.state, Verdict::Failed);
    assert_eq!(
        failed.failing.unwrap().url.as_deref(),
        Some("https://github.test/run/1")
    );
    let status_failed = verdict(
        &json!({}),
        &json!({"statuses": [{"context": "ci/legacy", "state": "error"}]}),
    );
    assert_eq!(status_failed.state, Verdict::Failed);
}

#[test]
fn waiting_follows_the_checks_until_they_are_over() {
    let mut config = ChecksConfig::new("octo/app", SHA, "t");
    config.api = "https://api.test".into();
    config.wait = true;
    let mut rounds = 0;
    let (result, sent) = run_blocking(ChecksWatch::new(config).unwrap(), |request| {
        assert!(request
            .url
            .contains(&format!("/repos/octo/app/commits/{SHA}/")));
        let body = if request.url.contains("check-runs") {
            rounds += 1;
            match rounds {
                1 => json!({"check_runs": []}),
                2 => json!({"check_runs": [{"name": "build", "status": "queued"}]}),
                3 => json!({"check_runs": [{"name": "build", "status": "in_progress"}]}),
                _ => {
                    json!({"check_runs": [{"name": "build", "status": "completed", "conclusion": "success"}]})
                }
            }
        } else {
            json!({"state": "pending", "statuses": []})
        };
        Outcome::Response(Response::new(200, body.to_string().into_bytes()))
    });
    let checks = result.unwrap();
    assert_eq!(checks.state, Verdict::Passed);
    assert_eq!(sent, 8, "four rounds of two requests");
}

#[test]
fn a_commit_nothing_reports_on_is_none_after_the_quiet_spell_and_once_is_once() {
    let mut config = ChecksConfig::new("octo/app", SHA, "t");
    config.wait = true;
    let empty = |_: &Request| {
        Outcome::Response(Response::new(
            200,
            br#"{"check_runs": [], "statuses": []}"#.to_vec(),
        ))
    };
    let (result, sent) = run_blocking(ChecksWatch::new(config.clone()).unwrap(), empty);
    assert_eq!(result.unwrap().state, Verdict::None);
    assert!(sent > 2);
    config.wait = false;
    let (result, sent) = run_blocking(ChecksWatch::new(config).unwrap(), empty);
    assert_eq!(result.unwrap().state, Verdict::None);
    assert_eq!(sent, 2);
}
