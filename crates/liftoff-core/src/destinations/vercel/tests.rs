use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::*;

use crate::error::Coded;
use crate::net::run_blocking;
use crate::tree::{FileEntry, OnDuplicate};

const TOKEN: &str = "vercel-sekrit-token-42";

/// A stand-in Vercel that keeps to the contract in targets.md.
#[derive(Default)]
struct Fake {
    projects: BTreeMap<String, String>,
    known: BTreeSet<String>,
    env: BTreeMap<String, String>,
    /// `(method, url)` of every request, in order.
    log: Vec<(String, String)>,
    /// Env as it was when each deployment was posted successfully.
    env_at_deploy: Vec<BTreeMap<String, String>>,
    uploads: Vec<String>,
    deployments: BTreeMap<String, u32>,
    fail_build: bool,
    /// Answers to give before the real one, in order (429s, 5xx).
    injected: Vec<Response>,
    team: Option<String>,
    /// Uploads that get no answer at all before the fake starts answering them.
    upload_drops: u32,
    /// The deployment production points at.
    production: Option<String>,
    /// After a rollback Vercel stops assigning production to new deployments.
    rolled_back: bool,
    promotions: Vec<String>,
    /// Another client creates the project between our look-up and our creation.
    race_create: bool,
    /// Deployment posts that are carried out, then answered with a dropped connection.
    lose_deploy_answers: u32,
    /// The listing of deployments leaves `meta` out (its documented shape does not promise it).
    list_without_meta: bool,
    /// Each deployment's `meta`, as posted.
    metas: BTreeMap<String, Value>,
    /// Contents whose upload is answered 200 and never kept.
    forget: Option<&'static str>,
    /// Each deployment as posted: `{target, autoAssignCustomDomains}`.
    posted: BTreeMap<String, Value>,
}

fn json_response(status: u16, body: Value) -> Outcome {
    Outcome::Response(Response::new(status, serde_json::to_vec(&body).unwrap()))
}

impl Fake {
    fn serve(&mut self, r: &Request) -> Outcome {
        self.log.push((r.method.as_str().into(), r.url.clone()));
        assert!(r.url.starts_with("https://api.vercel.test/"), "{}", r.url);
        if r.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            return json_response(
                403,
                json!({"error": {"code": "forbidden", "message": "Not authorized",
                                 "invalidToken": true}}),
            );
        }
        if !self.injected.is_empty() {
            return Outcome::Response(self.injected.remove(0));
        }
        if let Some(team) = &self.team {
            assert!(r.url.contains(&format!("teamId={team}")), "{}", r.url);
        }
        let path = r.url["https://api.vercel.test".len()..].to_string();
        let path = path.split('?').next().unwrap();
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let body: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        match (r.method, parts.as_slice()) {
            (Method::Get, ["v9", "projects", key]) => {
                let found = self
                    .projects
                    .iter()
                    .find(|(name, id)| name.as_str() == *key || id.as_str() == *key);
                match found {
                    Some((name, id)) => {
                        let mut v = json!({"id": id, "name": name});
                        if let Some(p) = &self.production {
                            v["targets"] = json!({"production": {"id": p}});
                        }
                        json_response(200, v)
                    }
                    None => json_response(404, json!({"error": {"code": "not_found"}})),
                }
            }
            (Method::Post, ["v10", "projects", id, "promote", deployment]) => {
                assert!(self.projects.values().any(|p| p == id), "{id}");
                self.production = Some((*deployment).to_string());
                self.rolled_back = false;
                self.promotions.push((*deployment).to_string());
                json_response(201, json!({}))
            }
            (Method::Post, ["v10", "projects"]) if self.race_create => {
                self.race_create = false;
                let name = body["name"].as_str().unwrap().to_string();
                self.projects.insert(name, "prj_other".into());
                json_response(
                    409,
                    json!({"error": {"code": "conflict", "message": "Project already exists"}}),
                )
            }
            (Method::Post, ["v10", "projects"])
                if self.projects.contains_key(body["name"].as_str().unwrap()) =>
            {
                json_response(
                    409,
                    json!({"error": {"code": "conflict", "message": "Project already exists"}}),
                )
            }
            (Method::Post, ["v10", "projects"]) => {
                let name = body["name"].as_str().unwrap().to_string();
                assert_eq!(body["framework"], "vite");
                let id = format!("prj_{}", self.projects.len() + 1);
                self.projects.insert(name.clone(), id.clone());
                json_response(200, json!({"id": id, "name": name}))
            }
            (Method::Post, ["v10", "projects", id, "env"]) => {
                assert!(r.url.contains("upsert=true"));
                assert!(self.projects.values().any(|p| p == id), "{id}");
                for var in body.as_array().unwrap() {
                    self.env.insert(
                        var["key"].as_str().unwrap().into(),
                        var["value"].as_str().unwrap().into(),
                    );
                }
                json_response(201, json!({"created": []}))
            }
            (Method::Post, ["v2", "files"]) if self.upload_drops > 0 => {
                self.upload_drops -= 1;
                Outcome::NetworkError("connection reset".into())
            }
            (Method::Post, ["v2", "files"]) => {
                let sha = r.header("x-vercel-digest").unwrap().to_string();
                assert_eq!(r.header("content-type"), Some("application/octet-stream"));
                assert_eq!(
                    r.header("content-length"),
                    Some(r.body.len().to_string().as_str())
                );
                let actual: String = Sha1::digest(&r.body)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                assert_eq!(actual, sha);
                self.uploads.push(sha.clone());
                if self.forget.is_none_or(|text| r.body != text.as_bytes()) {
                    self.known.insert(sha);
                }
                json_response(200, json!({}))
            }
            (Method::Post, ["v13", "deployments"]) => {
                let files = body["files"].as_array().unwrap();
                for f in files {
                    assert_ne!(f["file"], ".env", ".env is never uploaded");
                }
                assert_eq!(body["projectSettings"]["outputDirectory"], "dist");
                let missing: BTreeSet<String> = files
                    .iter()
                    .map(|f| f["sha"].as_str().unwrap().to_string())
                    .filter(|s| !self.known.contains(s))
                    .collect();
                if !missing.is_empty() {
                    return json_response(
                        400,
                        json!({"error": {"code": "missing_files", "message": "Missing files",
                                         "missing": missing}}),
                    );
                }
                self.env_at_deploy.push(self.env.clone());
                let id = format!("dpl_{}", self.deployments.len() + 1);
                self.deployments.insert(id.clone(), 0);
                self.metas.insert(id.clone(), body["meta"].clone());
                self.posted.insert(
                    id.clone(),
                    json!({"target": body["target"], "autoAssignCustomDomains": body["autoAssignCustomDomains"]}),
                );
                if self.lose_deploy_answers > 0 {
                    self.lose_deploy_answers -= 1;
                    return Outcome::NetworkError("connection reset after the request".into());
                }
                json_response(
                    200,
                    json!({"id": id, "url": format!("{id}.vercel.app"), "readyState": "QUEUED"}),
                )
            }
            (Method::Get, ["v6", "deployments"]) => {
                let list: Vec<Value> = self
                    .deployments
                    .keys()
                    .rev()
                    .map(|id| {
                        let mut d = json!({"uid": id, "url": format!("{id}.vercel.app"),
                                           "state": "BUILDING"});
                        if !self.list_without_meta {
                            d["meta"] = self.metas[id].clone();
                        }
                        d
                    })
                    .collect();
                json_response(
                    200,
                    json!({"deployments": list, "pagination": {"next": null}}),
                )
            }
            (Method::Get, ["v13", "deployments", id]) => {
                let polls = self.deployments.get_mut(*id).unwrap();
                *polls += 1;
                let state = match (*polls, self.fail_build) {
                    (1, _) => "BUILDING",
                    (_, true) => "ERROR",
                    _ => "READY",
                };
                // A staged deployment (`autoAssignCustomDomains: false`) never goes live by itself.
                let staged = self.posted[*id]["autoAssignCustomDomains"] == json!(false);
                if state == "READY" && !self.rolled_back && !staged {
                    self.production = Some((*id).to_string());
                }
                let mut body = json!({"id": id, "url": format!("{id}.vercel.app"),
                                      "readyState": state, "meta": self.metas[*id]});
                if state == "ERROR" {
                    body["errorMessage"] = json!("Command \"npm run build\" exited with 1");
                }
                json_response(200, body)
            }
            other => panic!("unexpected request {other:?}"),
        }
    }
}

fn tree() -> SourceTree {
    let mut tree = SourceTree::new();
    let files = [
        ("package.json", "{\"name\":\"app\"}"),
        ("src/a.ts", "same"),
        ("src/b.ts", "same"),
        ("index.html", "<html></html>"),
        (".env", "VITE_API=https://x.test\nSECRET=shh\n"),
        (".env.example", "VITE_API=\n"),
    ];
    for (path, text) in files {
        tree.insert(path, FileEntry::new(text), OnDuplicate::Refuse)
            .unwrap();
    }
    tree
}

fn config() -> VercelConfig {
    let mut c = VercelConfig::new("my-app", TOKEN);
    c.api = "https://api.vercel.test".into();
    c.settings = ProjectSettings::for_framework("vite-react");
    c
}

fn deploy(fake: &mut Fake, config: VercelConfig) -> Result<Deployment, DeployError> {
    let conversation = VercelDeploy::new(config, &tree()).unwrap();
    run_blocking(conversation, |r| fake.serve(r)).0
}

#[test]
fn first_deploy_creates_sets_env_uploads_once_and_is_ready() {
    let mut fake = Fake::default();
    let done = deploy(&mut fake, config()).unwrap();
    assert_eq!(
        done,
        Deployment {
            id: "dpl_1".into(),
            url: "https://dpl_1.vercel.app".into(),
            state: "READY".into()
        }
    );
    assert_eq!(
        fake.projects.get("my-app").map(String::as_str),
        Some("prj_1")
    );
    // Variables were on the project before the deployment was accepted.
    assert_eq!(
        fake.env_at_deploy[0].get("VITE_API").unwrap(),
        "https://x.test"
    );
    assert_eq!(fake.env_at_deploy[0].get("SECRET").unwrap(), "shh");
    // Five files sent (.env left out), four distinct contents, each uploaded once.
    assert_eq!(fake.uploads.len(), 4);
    let distinct: BTreeSet<_> = fake.uploads.iter().collect();
    assert_eq!(distinct.len(), 4);
    let order: Vec<String> = fake
        .log
        .iter()
        .map(|(m, u)| format!("{m} {}", u.split('?').next().unwrap()))
        .filter(|l| !l.contains("/v2/files"))
        .collect();
    let base = "https://api.vercel.test";
    assert_eq!(
        order,
        vec![
            format!("GET {base}/v9/projects/my-app"),
            format!("POST {base}/v10/projects"),
            format!("POST {base}/v10/projects/prj_1/env"),
            format!("POST {base}/v13/deployments"),
            format!("POST {base}/v13/deployments"),
            format!("GET {base}/v13/deployments/dpl_1"),
            format!("GET {base}/v13/deployments/dpl_1"),
            format!("GET {base}/v9/projects/prj_1"),
        ]
    );
    assert!(
        fake.promotions.is_empty(),
        "production was assigned by itself"
    );
}

#[test]
fn second_deploy_of_the_same_tree_uploads_nothing() {
    let mut fake = Fake::default();
    deploy(&mut fake, config()).unwrap();
    let before = fake.uploads.len();
    let log_before = fake.log.len();
    let done = deploy(&mut fake, config()).unwrap();
    assert_eq!(done.id, "dpl_2");
    assert_eq!(fake.uploads.len(), before);
    assert!(!fake.log[log_before..]
        .iter()
        .any(|(m, u)| m == "POST" && u.ends_with("/v10/projects")));
}

#[test]
fn changed_file_uploads_only_that_content() {
    let mut fake = Fake::default();
    deploy(&mut fake, config()).unwrap();
    let before = fake.uploads.len();
    let mut changed = tree();
    changed
        .insert("src/a.ts", FileEntry::new("changed"), OnDuplicate::Replace)
        .unwrap();
    let conversation = VercelDeploy::new(config(), &changed).unwrap();
    let (result, _) = run_blocking(conversation, |r| fake.serve(r));
    assert_eq!(result.unwrap().state, "READY");
    assert_eq!(fake.uploads.len(), before + 1);
}

#[test]
fn failing_build_surfaces_the_error_message() {
    let mut fake = Fake {
        fail_build: true,
        ..Fake::default()
    };
    let error = deploy(&mut fake, config()).unwrap_err();
    assert_eq!(error.code(), "build-failed");
    let text = error.to_string();
    assert!(text.contains("npm run build\" exited with 1"), "{text}");
    assert!(text.contains("dpl_1"), "{text}");
}

#[test]
fn rate_limits_and_server_errors_are_retried() {
    let mut fake = Fake {
        injected: vec![
            Response::new(429, Vec::new()).with_header("Retry-After", "7"),
            Response::new(503, Vec::new()),
            Response::new(500, Vec::new()),
        ],
        ..Fake::default()
    };
    let conversation = VercelDeploy::new(config(), &tree()).unwrap();
    let mut times = Vec::new();
    let mut now_seen = 0u64;
    // Drive by hand to see the clock honour Retry-After.
    let mut c = conversation;
    let mut now = 0;
    while !c.is_finished() {
        let batch = c.poll_transmit(now);
        if batch.is_empty() {
            now = now.max(c.next_wakeup().expect("a wakeup"));
            continue;
        }
        for out in batch {
            times.push(now);
            now_seen = now;
            let outcome = fake.serve(&out.request);
            c.handle(out.id, outcome, now);
        }
    }
    assert_eq!(c.finish().unwrap().state, "READY");
    assert_eq!(times[1], 7_000, "Retry-After: 7 was honoured");
    assert!(now_seen > 7_000);
    assert!(fake.injected.is_empty());
}

#[test]
fn bad_token_is_a_clear_error_without_the_token() {
    let mut fake = Fake::default();
    let mut c = config();
    c.token = "wrong-token-xyz".into();
    let shown = format!("{c:?}");
    assert!(!shown.contains("wrong-token"), "{shown}");
    let error = deploy(&mut fake, c).unwrap_err();
    assert_eq!(error.code(), "bad-token");
    let text = format!("{error} {error:?}");
    assert!(text.contains("Vercel refused the token (401)"), "{text}");
    assert!(!text.contains("wrong-token"), "{text}");
    assert_eq!(fake.log.len(), 1, "401 is not retried");
}

#[test]
fn team_id_goes_on_every_call() {
    let mut fake = Fake {
        team: Some("team_abc".into()),
        ..Fake::default()
    };
    let mut c = config();
    c.team_id = Some("team_abc".into());
    deploy(&mut fake, c).unwrap();
    assert!(fake.log.len() > 8);
    for (_, url) in &fake.log {
        assert!(url.contains("teamId=team_abc"), "{url}");
        assert_eq!(url.matches('?').count(), 1, "{url}");
    }
}

#[test]
fn bad_project_names_are_refused_before_any_request() {
    let c = VercelConfig::new("My App/../x", TOKEN);
    let error = VercelDeploy::new(c, &tree()).err().unwrap();
    assert_eq!(error.code(), "bad-name");
}

#[test]
fn existing_project_is_reused_and_no_env_means_no_env_call() {
    let mut fake = Fake::default();
    fake.projects.insert("my-app".into(), "prj_9".into());
    let mut t = tree();
    t.remove(&crate::ProjectPath::parse(".env").unwrap());
    let conversation = VercelDeploy::new(config(), &t).unwrap();
    let (result, _) = run_blocking(conversation, |r| fake.serve(r));
    assert_eq!(result.unwrap().state, "READY");
    assert!(!fake.log.iter().any(|(_, u)| u.contains("/env")));
    assert!(!fake
        .log
        .iter()
        .any(|(m, u)| m == "POST" && u.ends_with("/v10/projects")));
}

#[test]
fn uploads_are_bounded_and_retried() {
    let mut fake = Fake {
        upload_drops: 2,
        ..Fake::default()
    };
    let mut c = config();
    c.concurrency = 2;
    let mut conversation = VercelDeploy::new(c, &tree()).unwrap();
    let mut now = 0;
    let mut widest = 0;
    while !conversation.is_finished() {
        let batch = conversation.poll_transmit(now);
        if batch.is_empty() {
            now = now.max(conversation.next_wakeup().expect("a wakeup"));
            continue;
        }
        widest = widest.max(batch.len());
        for out in batch {
            let outcome = fake.serve(&out.request);
            conversation.handle(out.id, outcome, now);
        }
    }
    assert_eq!(conversation.uploaded_bytes(), 4 + 13 + 14 + 10);
    assert_eq!(conversation.finish().unwrap().state, "READY");
    assert_eq!(widest, 2, "never more than `concurrency` in flight");
    assert_eq!(fake.uploads.len(), 4, "each content stored once");
}

#[test]
fn an_upload_that_keeps_failing_names_what_failed() {
    let mut fake = Fake {
        upload_drops: 100,
        ..Fake::default()
    };
    let error = deploy(&mut fake, config()).unwrap_err();
    assert_eq!(error.code(), "unreachable");
    assert!(error.to_string().contains("upload of contents"), "{error}");
}

#[test]
fn a_file_vercel_keeps_missing_stops_the_deploy_and_is_counted() {
    let mut fake = Fake {
        forget: Some("<html></html>"),
        ..Fake::default()
    };
    let error = deploy(&mut fake, config()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("1 file still missing after the upload"),
        "{error}"
    );
    assert!(fake.deployments.is_empty());
}

#[test]
fn other_projects_take_the_output_directory_netlify_toml_publishes() {
    let mut t = tree();
    let toml = "[build]\n  command = \"npm run build\"\n  publish = \"./build/\"\n[dev]\npublish = \"x\"\n";
    t.insert("netlify.toml", FileEntry::new(toml), OnDuplicate::Refuse)
        .unwrap();
    let other = ProjectSettings::for_tree(&t, "node");
    assert_eq!(other.output_directory.as_deref(), Some("build"));
    assert_eq!(other.build_command.as_deref(), Some("npm run build"));
    // A framework preset keeps its own.
    let vite = ProjectSettings::for_tree(&t, "vite-react");
    assert_eq!(vite.output_directory.as_deref(), Some("dist"));
    let mut hostile = tree();
    hostile
        .insert(
            "netlify.toml",
            FileEntry::new("[build]\npublish = \"../../etc\"\n"),
            OnDuplicate::Refuse,
        )
        .unwrap();
    assert_eq!(
        ProjectSettings::for_tree(&hostile, "node").output_directory,
        None
    );
}

#[test]
fn after_a_rollback_the_new_deployment_is_promoted() {
    let mut fake = Fake::default();
    deploy(&mut fake, config()).unwrap();
    // A rollback happened meanwhile: Vercel no longer assigns production by itself.
    fake.rolled_back = true;
    let done = deploy(&mut fake, config()).unwrap();
    assert_eq!(done.id, "dpl_2");
    assert_eq!(fake.promotions, vec!["dpl_2".to_string()]);
    assert_eq!(fake.production.as_deref(), Some("dpl_2"));
    let last = fake.log.iter().rfind(|l| l.0 == "POST").unwrap();
    assert!(
        last.1.ends_with("/v10/projects/prj_1/promote/dpl_2"),
        "{}",
        last.1
    );
    // Production was read back after the promotion, which is how its end is known.
    assert_eq!(fake.log.last().unwrap().0, "GET");
}

#[test]
fn a_project_created_meanwhile_is_looked_up_again() {
    let mut fake = Fake {
        race_create: true,
        ..Fake::default()
    };
    let done = deploy(&mut fake, config()).unwrap();
    assert_eq!(done.state, "READY");
    let calls: Vec<String> = fake
        .log
        .iter()
        .take(3)
        .map(|(m, u)| format!("{m} {}", u.split('?').next().unwrap()))
        .collect();
    let base = "https://api.vercel.test";
    assert_eq!(
        calls,
        vec![
            format!("GET {base}/v9/projects/my-app"),
            format!("POST {base}/v10/projects"),
            format!("GET {base}/v9/projects/my-app"),
        ]
    );
    assert!(fake
        .log
        .iter()
        .any(|(_, u)| u.contains("/v10/projects/prj_other/env")));
}

#[test]
fn a_lost_answer_to_the_deployment_finds_it_by_its_key_and_never_makes_a_second() {
    for list_without_meta in [false, true] {
        let mut fake = Fake {
            lose_deploy_answers: 1,
            list_without_meta,
            ..Fake::default()
        };
        // Contents already there: the first post creates the deployment, its answer is lost.
        fake.known = tree()
            .iter()
            .map(|(_, f)| {
                Sha1::digest(&f.bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            })
            .collect();
        let done = deploy(&mut fake, config()).unwrap();
        assert_eq!(
            fake.deployments.len(),
            1,
            "one deployment (list_without_meta: {list_without_meta})"
        );
        assert_eq!(done.id, "dpl_1");
        assert_eq!(done.state, "READY");
        let key = fake.metas["dpl_1"]["liftoffDeployKey"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(key.len(), 16);
        let listing = fake
            .log
            .iter()
            .find(|(_, u)| u.contains("/v6/deployments"))
            .unwrap();
        assert!(
            listing.1.contains(&format!("meta-liftoffDeployKey={key}")),
            "{}",
            listing.1
        );
    }
}

#[test]
fn lost_answers_that_created_nothing_are_sent_again_and_give_up_in_the_end() {
    // The first post's answer (missing files) is lost: nothing was created, so it goes again.
    let mut fake = Fake {
        lose_deploy_answers: 0,
        injected: Vec::new(),
        ..Fake::default()
    };
    let conversation = VercelDeploy::new(config(), &tree()).unwrap();
    let mut dropped = false;
    let (result, _) = run_blocking(conversation, |r| {
        if r.url.ends_with("/v13/deployments") && !dropped {
            dropped = true;
            return Outcome::NetworkError("reset".into());
        }
        fake.serve(r)
    });
    assert_eq!(result.unwrap().id, "dpl_1");
    assert_eq!(fake.deployments.len(), 1);

    // A deployment endpoint that never answers: a few looks, then a clear error.
    let mut fake = Fake::default();
    let conversation = VercelDeploy::new(config(), &tree()).unwrap();
    let (result, _) = run_blocking(conversation, |r| {
        if r.url.ends_with("/v13/deployments") {
            return Outcome::Response(Response::new(502, Vec::new()));
        }
        fake.serve(r)
    });
    let error = result.unwrap_err();
    assert_eq!(error.code(), "http-error", "{error}");
    assert!(fake.deployments.is_empty());
}

#[test]
fn a_lost_answer_to_the_project_creation_looks_it_up_and_never_creates_twice() {
    for carried in [true, false] {
        let mut fake = Fake::default();
        let conversation = VercelDeploy::new(config(), &tree()).unwrap();
        let mut lose = 1;
        let mut creations = 0;
        let (result, _) = run_blocking(conversation, |r| {
            let creating = r.method == Method::Post && r.url.ends_with("/v10/projects");
            creations += usize::from(creating);
            if creating && lose > 0 {
                lose -= 1;
                if carried {
                    let _ = fake.serve(r);
                }
                return Outcome::NetworkError("connection reset".into());
            }
            fake.serve(r)
        });
        assert_eq!(result.unwrap().state, "READY");
        assert_eq!(fake.projects.len(), 1, "one project");
        // Carried out: looked up and found; not carried out: looked up, created once more.
        assert_eq!(creations, if carried { 1 } else { 2 });
    }
}

/// A seeded schedule of lost answers, 5xx, 429, resets and cut bodies over every request of a
/// first deploy (the project created) and of a second one: never two projects, never a second
/// deployment for one deploy, production always a READY deployment of ours, and a success is
/// true.
#[test]
fn under_seeded_network_faults_a_deploy_never_duplicates_and_production_stays_whole() {
    use crate::net::faults::Faults;
    let mut outcomes = BTreeMap::<&str, u32>::new();
    for seed in 0..40 {
        let mut fake = Fake::default();
        let first = (seed % 2 == 1).then(|| deploy(&mut fake, config()).unwrap().id);
        let mut faults = Faults::new(seed, 30);
        let conversation = VercelDeploy::new(config(), &tree()).unwrap();
        let (result, _) = crate::net::run_blocking_at(3_600_000, conversation, |r| {
            faults.serve(r, &mut |r| fake.serve(r))
        });
        let story = faults.story();
        let new: Vec<String> = fake
            .deployments
            .keys()
            .filter(|id| Some(*id) != first.as_ref())
            .cloned()
            .collect();
        assert!(new.len() <= 1, "seed {seed}: {new:?}\n{story}");
        assert_eq!(fake.projects.len(), 1, "seed {seed}\n{story}");
        if let Some(production) = &fake.production {
            assert!(
                Some(production) == first.as_ref() || new.contains(production),
                "seed {seed}: {production}\n{story}"
            );
        } else {
            assert!(first.is_none(), "seed {seed}: production lost\n{story}");
        }
        match result {
            Ok(done) => {
                assert_eq!(new, std::slice::from_ref(&done.id), "seed {seed}\n{story}");
                assert_eq!(done.state, "READY");
                assert_eq!(fake.production.as_ref(), Some(&done.id), "seed {seed}");
                *outcomes.entry("deployed").or_default() += 1;
            }
            Err(error) => {
                assert!(!error.to_string().contains(TOKEN), "seed {seed}: {error}");
                *outcomes.entry("failed").or_default() += 1;
            }
        }
    }
    eprintln!("a Vercel deploy under faults: {outcomes:?}");
    assert!(
        outcomes.get("deployed").copied().unwrap_or(0) >= 10,
        "{outcomes:?}"
    );
}

#[test]
fn a_preview_is_a_staged_production_build_left_out_of_production() {
    let mut fake = Fake::default();
    deploy(&mut fake, config()).unwrap();
    // Even after a rollback (when a production deploy would be promoted), a preview is not.
    fake.rolled_back = true;
    let mut c = config();
    c.stage = Stage::Preview;
    let done = deploy(&mut fake, c).unwrap();
    assert_eq!(done.id, "dpl_2");
    assert_eq!(done.url, "https://dpl_2.vercel.app", "its own address");
    assert_eq!(
        fake.posted["dpl_2"],
        json!({"target": "production", "autoAssignCustomDomains": false}),
        "production's settings, so a promotion needs no rebuild"
    );
    assert_eq!(fake.metas["dpl_2"]["liftoffPreview"], "1");
    assert_eq!(fake.production.as_deref(), Some("dpl_1"));
    assert!(fake.promotions.is_empty());
    assert!(!fake
        .log
        .iter()
        .any(|(m, u)| m == "POST" && u.contains("/promote/")));
    // A production deploy sends neither mark.
    assert_eq!(fake.posted["dpl_1"]["autoAssignCustomDomains"], Value::Null);
}
