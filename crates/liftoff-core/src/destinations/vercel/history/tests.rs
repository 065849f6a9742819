use serde_json::json;

use super::*;

use crate::error::Coded;
use crate::net::run_blocking;

const TOKEN: &str = "vercel-history-token-7";
const BASE: &str = "https://api.vercel.test";

/// A project with three production deployments; `production` is the one serving.
struct Fake {
    production: String,
    with_targets: bool,
    log: Vec<String>,
    injected: Vec<Response>,
    /// A promotion accepted and not carried out yet: the target and project reads left.
    pending: Option<(String, u32)>,
    /// Project reads a promotion takes before production switches.
    switch_after: u32,
    /// The next promotion's alias job fails.
    alias_fails: bool,
}

impl Fake {
    fn new() -> Self {
        Self {
            production: "dpl_3".into(),
            with_targets: true,
            log: Vec::new(),
            injected: Vec::new(),
            pending: None,
            switch_after: 0,
            alias_fails: false,
        }
    }

    fn serve(&mut self, r: &Request) -> Outcome {
        self.log.push(format!("{} {}", r.method.as_str(), r.url));
        let ok = |v: serde_json::Value| {
            Outcome::Response(Response::new(200, serde_json::to_vec(&v).unwrap()))
        };
        if r.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            return Outcome::Response(Response::new(401, b"{}".to_vec()));
        }
        if !self.injected.is_empty() {
            return Outcome::Response(self.injected.remove(0));
        }
        let path = r.url.strip_prefix(BASE).unwrap();
        let path = path.split('?').next().unwrap();
        match (r.method, path) {
            (Method::Get, "/v9/projects/my-app" | "/v9/projects/prj_1") => {
                let mut v = json!({"id": "prj_1", "name": "my-app"});
                if let Some((to, left)) = self.pending.take() {
                    let status = match (left, self.alias_fails) {
                        (0, true) => "failed",
                        (0, false) => {
                            self.production = to.clone();
                            "succeeded"
                        }
                        _ => {
                            self.pending = Some((to.clone(), left - 1));
                            "in-progress"
                        }
                    };
                    v["lastAliasRequest"] =
                        json!({"type": "promote", "jobStatus": status, "toDeploymentId": to});
                }
                if self.with_targets {
                    v["targets"] = json!({"production": {"id": self.production}});
                }
                ok(v)
            }
            (Method::Post, p) if p.starts_with("/v10/projects/prj_1/promote/") => {
                let to = p.rsplit('/').next().unwrap().to_string();
                self.pending = Some((to, self.switch_after));
                // Documented: 202, no body.
                Outcome::Response(Response::new(202, Vec::new()))
            }
            (Method::Get, "/v6/deployments") => {
                assert!(r.url.contains("projectId=prj_1"), "{}", r.url);
                assert!(r.url.contains("target=production"), "{}", r.url);
                // Oldest first, to check the sorting; dpl_2 failed to build.
                ok(json!({"deployments": [
                    {"uid": "dpl_1", "url": "a1.vercel.app", "state": "READY", "created": 1000},
                    {"uid": "dpl_2", "url": "a2.vercel.app", "state": "ERROR", "created": 2000},
                    {"uid": "dpl_3", "url": "a3.vercel.app", "state": "READY", "created": 3000},
                ], "pagination": {"count": 3, "next": null, "prev": null}}))
            }
            (Method::Post, p)
                if p.starts_with("/v9/projects/prj_1/rollback/")
                    || p.starts_with("/v10/projects/prj_1/promote/") =>
            {
                self.production = p.rsplit('/').next().unwrap().to_string();
                Outcome::Response(Response::new(201, b"{}".to_vec()))
            }
            (Method::Get, p) if p.starts_with("/v13/deployments/") => {
                let id = p.rsplit('/').next().unwrap();
                let n = &id[4..];
                // dpl_9 is a preview built with preview settings (target null).
                let target = if id == "dpl_9" {
                    json!(null)
                } else {
                    json!("production")
                };
                ok(
                    json!({"id": id, "url": format!("a{n}.vercel.app"), "readyState": "READY", "target": target, "projectId": "prj_1"}),
                )
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

fn config() -> VercelConfig {
    let mut c = VercelConfig::new("my-app", TOKEN);
    c.api = BASE.into();
    c
}

fn list(fake: &mut Fake) -> Vec<HistoryEntry> {
    let conversation = VercelHistory::new(config()).unwrap();
    run_blocking(conversation, |r| fake.serve(r)).0.unwrap()
}

#[test]
fn history_is_newest_first_with_production_marked() {
    let mut fake = Fake::new();
    let entries = list(&mut fake);
    let ids: Vec<(&str, bool)> = entries
        .iter()
        .map(|e| (e.id.as_str(), e.production))
        .collect();
    assert_eq!(
        ids,
        vec![("dpl_3", true), ("dpl_2", false), ("dpl_1", false)]
    );
    assert_eq!(entries[0].url, "https://a3.vercel.app");
    assert_eq!(entries[1].state, "ERROR");
    assert_eq!(entries[2].created, 1000);
}

#[test]
fn rollback_without_an_id_goes_to_the_previous_ready_production_and_back() {
    let mut fake = Fake::new();
    let conversation = VercelRollback::new(config(), None).unwrap();
    let (done, _) = run_blocking(conversation, |r| fake.serve(r));
    let done = done.unwrap();
    assert_eq!(done.id, "dpl_1", "dpl_2 failed to build, so it is skipped");
    assert_eq!(done.url, "https://a1.vercel.app");
    assert_eq!(fake.production, "dpl_1");
    assert!(fake
        .log
        .contains(&format!("POST {BASE}/v9/projects/prj_1/rollback/dpl_1")));
    // And forward to the newest one, by id: newer than the live one, so a promotion (which
    // also turns Vercel's automatic production assignment back on).
    let conversation = VercelRollback::new(config(), Some("dpl_3".into())).unwrap();
    let (done, _) = run_blocking(conversation, |r| fake.serve(r));
    assert_eq!(done.unwrap().id, "dpl_3");
    assert_eq!(fake.production, "dpl_3");
    assert_eq!(
        fake.log.iter().rfind(|l| l.starts_with("POST")).unwrap(),
        &format!("POST {BASE}/v10/projects/prj_1/promote/dpl_3")
    );
    // Back again to dpl_1 by id: older than the live one, so a rollback.
    let conversation = VercelRollback::new(config(), Some("dpl_1".into())).unwrap();
    run_blocking(conversation, |r| fake.serve(r)).0.unwrap();
    assert_eq!(
        fake.log.iter().rfind(|l| l.starts_with("POST")).unwrap(),
        &format!("POST {BASE}/v9/projects/prj_1/rollback/dpl_1")
    );
    fake.production = "dpl_3".into();
    let entries = list(&mut fake);
    assert!(entries[0].production);
}

#[test]
fn without_project_targets_the_newest_ready_is_production() {
    let mut fake = Fake {
        with_targets: false,
        ..Fake::new()
    };
    let entries = list(&mut fake);
    assert!(entries[0].production && !entries[2].production);
}

#[test]
fn nothing_earlier_is_a_clear_error() {
    let mut fake = Fake {
        production: "dpl_1".into(),
        ..Fake::new()
    };
    let conversation = VercelRollback::new(config(), None).unwrap();
    let error = run_blocking(conversation, |r| fake.serve(r)).0.unwrap_err();
    assert_eq!(error.code(), "nothing-to-roll-back");
    assert!(!fake.log.iter().any(|l| l.starts_with("POST")));
}

#[test]
fn team_rate_limits_and_bad_tokens() {
    let mut fake = Fake::new();
    fake.injected = vec![
        Response::new(429, Vec::new()).with_header("retry-after", "2"),
        Response::new(502, Vec::new()),
    ];
    let mut c = config();
    c.team_id = Some("team_x".into());
    let conversation = VercelHistory::new(c).unwrap();
    let entries = run_blocking(conversation, |r| fake.serve(r)).0.unwrap();
    assert_eq!(entries.len(), 3);
    assert!(
        fake.log.iter().all(|l| l.contains("teamId=team_x")),
        "{:?}",
        fake.log
    );

    let mut c = config();
    c.token = "nope-token-999".into();
    let conversation = VercelRollback::new(c, None).unwrap();
    let error = run_blocking(conversation, |r| fake.serve(r)).0.unwrap_err();
    assert_eq!(error.code(), "bad-token");
    assert!(!format!("{error} {error:?}").contains("nope-token"));
}

#[test]
fn long_histories_are_paged_with_until() {
    // 250 production deployments, newest dpl_250 live; pages of at most 100, `next` = the
    // `created` of the last one, as Vercel's v6 listing pages.
    let all: Vec<u64> = (1..=250).rev().collect();
    let mut untils = Vec::new();
    let serve = |r: &Request| -> Outcome {
        let ok = |v: serde_json::Value| {
            Outcome::Response(Response::new(200, serde_json::to_vec(&v).unwrap()))
        };
        if r.url.contains("/v9/projects/") {
            return ok(json!({"id": "prj_1", "targets": {"production": {"id": "dpl_250"}}}));
        }
        assert!(r.url.contains("limit=100"), "{}", r.url);
        let until = r
            .url
            .split("until=")
            .nth(1)
            .map(|u| u.split('&').next().unwrap().parse::<u64>().unwrap());
        untils.push(until);
        let page: Vec<u64> = all
            .iter()
            .copied()
            .filter(|n| until.is_none_or(|u| n * 1000 < u))
            .take(100)
            .collect();
        let next = (page.len() == 100).then(|| page.last().unwrap() * 1000);
        let deployments: Vec<_> = page
            .iter()
            .map(|n| json!({"uid": format!("dpl_{n}"), "url": "x.vercel.app", "state": "READY", "created": n * 1000}))
            .collect();
        ok(json!({"deployments": deployments, "pagination": {"count": page.len(), "next": next}}))
    };
    let (result, sent) = run_blocking(VercelHistory::new(config()).unwrap(), serve);
    let entries = result.unwrap();
    assert_eq!(entries.len(), 250);
    assert_eq!(entries[0].id, "dpl_250");
    assert!(entries[0].production);
    assert_eq!(entries[249].id, "dpl_1");
    assert_eq!(untils, vec![None, Some(151_000), Some(51_000)]);
    assert_eq!(sent, 4);
}

fn promote(fake: &mut Fake, id: &str) -> Result<Promoted, DeployError> {
    let conversation = VercelPromote::new(config(), id.into()).unwrap();
    run_blocking(conversation, |r| fake.serve(r)).0
}

fn posts(fake: &Fake) -> Vec<&String> {
    fake.log.iter().filter(|l| l.starts_with("POST")).collect()
}

#[test]
fn promote_follows_the_project_until_production_switched() {
    let mut fake = Fake::new();
    fake.production = "dpl_1".into();
    fake.switch_after = 3;
    let done = promote(&mut fake, "dpl_3").unwrap();
    assert!(done.changed);
    assert_eq!(done.deployment.id, "dpl_3");
    assert_eq!(done.deployment.url, "https://a3.vercel.app");
    assert_eq!(fake.production, "dpl_3");
    assert_eq!(
        posts(&fake),
        vec![&format!("POST {BASE}/v10/projects/prj_1/promote/dpl_3")],
        "one promotion, no new deployment"
    );
    let reads = fake
        .log
        .iter()
        .filter(|l| l.contains("/v9/projects/"))
        .count();
    assert_eq!(reads, 1 + 4, "the project before, then until the switch");
}

#[test]
fn promoting_the_live_deployment_sends_nothing() {
    let mut fake = Fake::new();
    let done = promote(&mut fake, "dpl_3").unwrap();
    assert!(!done.changed);
    assert_eq!(done.deployment.id, "dpl_3");
    assert!(posts(&fake).is_empty(), "{:?}", fake.log);
}

#[test]
fn a_preview_built_with_preview_settings_is_refused_before_anything_changes() {
    let mut fake = Fake::new();
    let error = promote(&mut fake, "dpl_9").unwrap_err();
    assert_eq!(error.code(), "not-promotable");
    assert!(
        error.to_string().contains("production is unchanged"),
        "{error}"
    );
    assert!(posts(&fake).is_empty());
    assert_eq!(fake.production, "dpl_3");
}

#[test]
fn a_failed_alias_job_leaves_production_and_says_so() {
    let mut fake = Fake::new();
    fake.production = "dpl_1".into();
    fake.switch_after = 1;
    fake.alias_fails = true;
    let error = promote(&mut fake, "dpl_3").unwrap_err();
    assert_eq!(error.code(), "promote-failed");
    let text = error.to_string();
    assert!(
        text.contains("alias job failed") && text.contains("still serves dpl_1"),
        "{text}"
    );
    assert_eq!(fake.production, "dpl_1");
}

#[test]
fn staged_previews_are_marked_and_rollbacks_pass_over_them() {
    let listing = json!({"deployments": [
        {"uid": "dpl_1", "url": "a1", "state": "READY", "created": 1000, "readySubstate": "PROMOTED"},
        {"uid": "dpl_2", "url": "a2", "state": "READY", "created": 2000, "meta": {"liftoffPreview": "1"}},
        {"uid": "dpl_3", "url": "a3", "state": "READY", "created": 3000, "readySubstate": "PROMOTED"},
        {"uid": "dpl_4", "url": "a4", "state": "READY", "created": 4000, "readySubstate": "STAGED"},
    ]});
    let mut steps = Steps::new(config(), 2).unwrap();
    steps.current = Some("dpl_3".into());
    let entries = steps.on_list(&listing).unwrap();
    let marks: Vec<(&str, bool, bool)> = entries
        .iter()
        .map(|e| (e.id.as_str(), e.production, e.preview))
        .collect();
    assert_eq!(
        marks,
        vec![
            ("dpl_4", false, true),
            ("dpl_3", true, false),
            ("dpl_2", false, true),
            ("dpl_1", false, false)
        ]
    );
    assert_eq!(earlier_ready(&entries, "READY").as_deref(), Some("dpl_1"));
}
