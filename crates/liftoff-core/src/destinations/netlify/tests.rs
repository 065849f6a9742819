use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::*;

use crate::archive::read_archive;
use crate::error::Coded;
use crate::net::run_blocking;
use crate::tree::FileEntry;
use crate::{Limits, Report};

const TOKEN: &str = "netlify-sekrit-token-42";
const BASE: &str = "https://api.netlify.test/api/v1";

/// A stand-in Netlify that keeps to the OpenAPI description (`netlify-open-api.yml`): sites
/// listed by a name substring, env on the account with `site_id`, POST for new keys (an
/// existing key is an error there) and PUT to replace, builds from a raw zip body, deploys
/// polled until `ready`/`error`, restore switching `published_deploy`.
#[derive(Default)]
struct Fake {
    /// name → (id, account)
    sites: BTreeMap<String, (String, String)>,
    env: BTreeMap<String, String>,
    env_at_build: Vec<BTreeMap<String, String>>,
    /// Files of each build's zip.
    zips: Vec<Vec<String>>,
    /// id → (polls, created_at, fails)
    deploys: BTreeMap<String, (u32, String, bool)>,
    published: Option<String>,
    fail_build: bool,
    injected: Vec<Response>,
    log: Vec<(String, String)>,
    /// Site answers without `account_id` (then `GET /accounts` names it).
    hide_account: bool,
    /// Builds that are carried out, then answered with a dropped connection.
    lose_build_answers: u32,
    /// Each deploy's title (`createSiteBuild`'s `title` parameter).
    titles: BTreeMap<String, String>,
    /// Each branch deploy's branch (`createSiteBuild`'s `branch` parameter).
    branches: BTreeMap<String, String>,
    /// The site's production branch (`build_settings.repo_branch`).
    repo_branch: Option<String>,
    /// Builds every branch as production (a site whose production branch took that name).
    every_branch_production: bool,
}

fn json_response(status: u16, body: Value) -> Outcome {
    Outcome::Response(Response::new(status, serde_json::to_vec(&body).unwrap()))
}

impl Fake {
    fn site_json(&self, name: &str) -> Value {
        let (id, account) = &self.sites[name];
        let published = self.published.as_ref().map(|d| self.deploy_json(d));
        let mut site = json!({"id": id, "name": name, "account_id": account,
            "ssl_url": format!("https://{name}.netlify.app"),
            "url": format!("http://{name}.netlify.app"), "published_deploy": published,
            "build_settings": {"repo_branch": self.repo_branch}});
        if self.hide_account {
            site.as_object_mut().unwrap().remove("account_id");
        }
        site
    }

    fn deploy_json(&self, id: &str) -> Value {
        let (polls, created, fails) = &self.deploys[id];
        let state = match (*polls, *fails) {
            (0 | 1, _) => "building",
            (_, true) => "error",
            _ => "ready",
        };
        let mut d = json!({"id": id, "state": state, "created_at": created,
            "title": self.titles.get(id),
            "context": if self.is_branch_deploy(id) { "branch-deploy" } else { "production" },
            "branch": self.branches.get(id), "ssl_url": "https://my-site.netlify.app",
            "deploy_ssl_url": format!("https://{id}--my-site.netlify.app")});
        if state == "error" {
            d["error_message"] = json!("Build script returned non-zero exit code: 2");
        }
        d
    }

    fn is_branch_deploy(&self, id: &str) -> bool {
        self.branches.contains_key(id) && !self.every_branch_production
    }

    fn serve(&mut self, r: &Request) -> Outcome {
        self.log.push((r.method.as_str().into(), r.url.clone()));
        assert!(r.url.starts_with(BASE), "{}", r.url);
        if r.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            return json_response(401, json!({"code": 401, "message": "Access Denied"}));
        }
        if !self.injected.is_empty() {
            return Outcome::Response(self.injected.remove(0));
        }
        let (path, query) = r.url[BASE.len()..]
            .split_once('?')
            .unwrap_or((&r.url[BASE.len()..], ""));
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let body: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        match (r.method, parts.as_slice()) {
            (Method::Get, ["sites"]) => {
                let name = query
                    .split('&')
                    .find_map(|p| p.strip_prefix("name="))
                    .unwrap();
                let list: Vec<Value> = self
                    .sites
                    .keys()
                    .filter(|n| n.contains(name))
                    .map(|n| self.site_json(n))
                    .collect();
                json_response(200, Value::Array(list))
            }
            (Method::Post, ["sites"]) => {
                let name = body["name"].as_str().unwrap().to_string();
                // Names are unique across Netlify: a taken one is refused, never replaced.
                if name == "taken-elsewhere" || self.sites.contains_key(&name) {
                    return json_response(
                        422,
                        json!({"code": 422, "message": "subdomain must be unique"}),
                    );
                }
                let id = format!("site-{}", self.sites.len() + 1);
                self.sites.insert(name.clone(), (id, "acc-1".into()));
                json_response(201, self.site_json(&name))
            }
            (Method::Get, ["accounts"]) => {
                json_response(200, json!([{"id": "acc-1", "slug": "founder"}]))
            }
            (Method::Get, ["accounts", "acc-1", "env"]) => {
                assert!(query.contains("site_id=site-"), "{query}");
                let list: Vec<Value> = self
                    .env
                    .keys()
                    .map(|k| json!({"key": k, "values": []}))
                    .collect();
                json_response(200, Value::Array(list))
            }
            (Method::Post, ["accounts", "acc-1", "env"]) => {
                for var in body.as_array().unwrap() {
                    let key = var["key"].as_str().unwrap();
                    if self.env.contains_key(key) {
                        return json_response(
                            400,
                            json!({"code": 400, "message": "already exists"}),
                        );
                    }
                    self.env.insert(
                        key.into(),
                        var["values"][0]["value"].as_str().unwrap().into(),
                    );
                }
                json_response(201, body)
            }
            (Method::Put, ["accounts", "acc-1", "env", key]) => {
                assert!(self.env.contains_key(*key));
                self.env.insert(
                    (*key).into(),
                    body["values"][0]["value"].as_str().unwrap().into(),
                );
                json_response(200, body)
            }
            (Method::Post, ["sites", _, "builds"]) => {
                assert_eq!(r.header("content-type"), Some("application/zip"));
                let tree = read_archive("zip", &r.body, &Limits::default(), &mut Report::default())
                    .unwrap();
                self.zips
                    .push(tree.iter().map(|(p, _)| p.as_str().to_string()).collect());
                self.env_at_build.push(self.env.clone());
                let id = format!("dep-{}", self.deploys.len() + 1);
                let created = format!("2026-11-24T06:{:02}:00Z", self.deploys.len() + 1);
                self.deploys
                    .insert(id.clone(), (0, created, self.fail_build));
                if let Some(title) = query.split('&').find_map(|kv| kv.strip_prefix("title=")) {
                    self.titles.insert(id.clone(), title.replace("%20", " "));
                }
                let main = self.repo_branch.clone().unwrap_or_else(|| "main".into());
                if let Some(branch) = query.split('&').find_map(|kv| kv.strip_prefix("branch=")) {
                    if branch != main {
                        self.branches.insert(id.clone(), branch.to_string());
                    }
                }
                if self.lose_build_answers > 0 {
                    self.lose_build_answers -= 1;
                    return Outcome::NetworkError("connection reset after the request".into());
                }
                json_response(
                    200,
                    json!({"id": format!("build-{id}"), "deploy_id": id, "done": false}),
                )
            }
            (Method::Get, ["sites", _, "deploys", id]) => {
                let branch = self.is_branch_deploy(id);
                let entry = self.deploys.get_mut(*id).unwrap();
                entry.0 += 1;
                if entry.0 >= 2 && !entry.2 && !branch {
                    self.published = Some((*id).to_string());
                }
                json_response(200, self.deploy_json(id))
            }
            (Method::Get, ["sites", _, "deploys"]) => {
                assert!(query.contains("per_page=100") || query.contains("per_page=20"));
                // Oldest first on purpose: the client sorts.
                let list: Vec<Value> = self.deploys.keys().map(|id| self.deploy_json(id)).collect();
                json_response(200, Value::Array(list))
            }
            (Method::Post, ["sites", _, "deploys", id, "restore"]) => {
                assert!(self.deploy_json(id)["state"] == "ready");
                self.published = Some((*id).to_string());
                json_response(201, self.deploy_json(id))
            }
            (Method::Get, ["sites", id]) => {
                let name = self
                    .sites
                    .iter()
                    .find(|(_, (site, _))| site == id)
                    .map(|(name, _)| name.clone())
                    .unwrap();
                json_response(200, self.site_json(&name))
            }
            other => panic!("unexpected request {other:?}"),
        }
    }
}

fn tree(message: &str) -> SourceTree {
    let mut tree = SourceTree::new();
    let files = [
        ("package.json", "{\"name\":\"app\"}"),
        ("src/message.txt", message),
        (
            "netlify.toml",
            "[build]\ncommand = \"npm run build\"\npublish = \"dist\"\n",
        ),
        (".env", "VITE_API=https://x.test\nSECRET=shh\n"),
        (".env.example", "VITE_API=\n"),
    ];
    for (path, text) in files {
        tree.insert(path, FileEntry::new(text), OnDuplicate::Refuse)
            .unwrap();
    }
    tree
}

fn config() -> NetlifyConfig {
    let mut c = NetlifyConfig::new("my-site", TOKEN);
    c.api = "https://api.netlify.test".into();
    c
}

fn deploy(fake: &mut Fake, message: &str) -> Result<Deployment, DeployError> {
    let conversation = NetlifyDeploy::new(config(), &tree(message)).unwrap();
    run_blocking(conversation, |r| fake.serve(r)).0
}

fn requests(fake: &Fake, from: usize) -> Vec<String> {
    fake.log[from..]
        .iter()
        .map(|(m, u)| format!("{m} {}", &u[BASE.len()..].split('?').next().unwrap()))
        .collect()
}

#[test]
fn first_deploy_creates_the_site_sets_env_then_builds_the_zip() {
    let mut fake = Fake::default();
    let done = deploy(&mut fake, "one").unwrap();
    assert_eq!(done.id, "dep-1");
    assert_eq!(done.state, "ready");
    assert_eq!(done.url, "https://my-site.netlify.app");
    assert_eq!(
        requests(&fake, 0),
        vec![
            "GET /sites",
            "POST /sites",
            "GET /accounts/acc-1/env",
            "POST /accounts/acc-1/env",
            "POST /sites/site-1/builds",
            "GET /sites/site-1/deploys/dep-1",
            "GET /sites/site-1/deploys/dep-1",
        ]
    );
    assert_eq!(fake.env_at_build[0]["VITE_API"], "https://x.test");
    assert_eq!(fake.env_at_build[0]["SECRET"], "shh");
    assert!(!fake.zips[0].contains(&".env".to_string()));
    assert!(fake.zips[0].contains(&".env.example".to_string()));
    assert!(fake.zips[0].contains(&"src/message.txt".to_string()));
}

#[test]
fn second_deploy_reuses_the_site_and_replaces_existing_variables() {
    let mut fake = Fake::default();
    deploy(&mut fake, "one").unwrap();
    let from = fake.log.len();
    let mut c = config();
    c.env = vec![
        ("NEW_ONE".into(), "n".into()),
        ("SECRET".into(), "changed".into()),
    ];
    let conversation = NetlifyDeploy::new(c, &tree("two")).unwrap();
    let done = run_blocking(conversation, |r| fake.serve(r)).0.unwrap();
    assert_eq!(done.id, "dep-2");
    let log = requests(&fake, from);
    assert!(!log.contains(&"POST /sites".to_string()), "{log:?}");
    assert_eq!(
        log.iter()
            .filter(|l| l.starts_with("PUT /accounts/acc-1/env/"))
            .count(),
        2
    );
    assert_eq!(fake.env_at_build[1]["SECRET"], "changed");
    assert_eq!(fake.env_at_build[1]["NEW_ONE"], "n");
}

#[test]
fn account_comes_from_the_accounts_list_when_the_site_does_not_say() {
    let mut fake = Fake {
        hide_account: true,
        ..Fake::default()
    };
    deploy(&mut fake, "one").unwrap();
    assert!(requests(&fake, 0).contains(&"GET /accounts".to_string()));
}

#[test]
fn failing_build_reports_netlify_message_and_keeps_production() {
    let mut fake = Fake::default();
    deploy(&mut fake, "one").unwrap();
    fake.fail_build = true;
    let error = deploy(&mut fake, "two").unwrap_err();
    assert_eq!(error.code(), "build-failed");
    assert!(
        error.to_string().contains("non-zero exit code: 2"),
        "{error}"
    );
    assert_eq!(fake.published.as_deref(), Some("dep-1"));
}

#[test]
fn history_is_newest_first_and_restore_goes_back_and_forth() {
    let mut fake = Fake::default();
    deploy(&mut fake, "one").unwrap();
    deploy(&mut fake, "two").unwrap();
    let history = run_blocking(NetlifyHistory::new(config()).unwrap(), |r| fake.serve(r))
        .0
        .unwrap();
    let ids: Vec<(&str, bool)> = history
        .iter()
        .map(|e| (e.id.as_str(), e.production))
        .collect();
    assert_eq!(ids, vec![("dep-2", true), ("dep-1", false)]);
    assert_eq!(history[0].created, 1_795_500_120_000);

    let back = run_blocking(NetlifyRestore::new(config(), None).unwrap(), |r| {
        fake.serve(r)
    })
    .0
    .unwrap();
    assert_eq!(back.id, "dep-1");
    assert_eq!(fake.published.as_deref(), Some("dep-1"));
    let forth = run_blocking(
        NetlifyRestore::new(config(), Some("dep-2".into())).unwrap(),
        |r| fake.serve(r),
    )
    .0
    .unwrap();
    assert_eq!(
        (forth.id.as_str(), forth.state.as_str()),
        ("dep-2", "ready")
    );
    assert_eq!(fake.published.as_deref(), Some("dep-2"));
}

#[test]
fn restore_without_an_earlier_deploy_says_so() {
    let mut fake = Fake::default();
    deploy(&mut fake, "one").unwrap();
    let error = run_blocking(NetlifyRestore::new(config(), None).unwrap(), |r| {
        fake.serve(r)
    })
    .0
    .unwrap_err();
    assert_eq!(error.code(), "nothing-to-roll-back");
}

#[test]
fn unknown_site_history_is_not_found() {
    let mut fake = Fake::default();
    let error = run_blocking(NetlifyHistory::new(config()).unwrap(), |r| fake.serve(r))
        .0
        .unwrap_err();
    assert_eq!(error.code(), "not-found");
}

#[test]
fn a_name_taken_elsewhere_is_explained() {
    let mut fake = Fake::default();
    let mut c = config();
    c.site = "taken-elsewhere".into();
    let error = run_blocking(NetlifyDeploy::new(c, &tree("x")).unwrap(), |r| {
        fake.serve(r)
    })
    .0
    .unwrap_err();
    assert!(error.to_string().contains("taken"), "{error}");
}

#[test]
fn rate_limits_and_5xx_are_retried_and_bad_tokens_are_not() {
    let mut fake = Fake {
        injected: vec![
            Response::new(429, Vec::new()).with_header("Retry-After", "3"),
            Response::new(502, Vec::new()),
        ],
        ..Fake::default()
    };
    assert_eq!(deploy(&mut fake, "one").unwrap().state, "ready");
    assert!(fake.injected.is_empty());

    let mut fake = Fake::default();
    let mut c = config();
    c.token = "wrong-token-xyz".into();
    assert!(!format!("{c:?}").contains("wrong-token"));
    let error = run_blocking(NetlifyDeploy::new(c, &tree("x")).unwrap(), |r| {
        fake.serve(r)
    })
    .0
    .unwrap_err();
    assert_eq!(error.code(), "bad-token");
    assert!(!error.to_string().contains("wrong-token"));
    assert_eq!(fake.log.len(), 1);
}

#[test]
fn bad_site_names_are_refused_before_any_request() {
    for name in ["My Site", "-x", "a/b", ""] {
        let c = NetlifyConfig::new(name, TOKEN);
        assert_eq!(
            NetlifyDeploy::new(c, &tree("x")).err().unwrap().code(),
            "bad-name"
        );
    }
}

#[test]
fn long_histories_are_read_page_by_page() {
    let mut fake = Fake::default();
    deploy(&mut fake, "one").unwrap();
    // 230 more deploys, so the listing spans three pages of 100.
    for i in 0..230 {
        let id = format!("old-{i:03}");
        let created = format!("2026-10-01T00:{:02}:{:02}Z", i / 60, i % 60);
        fake.deploys.insert(id, (5, created, false));
    }
    let mut pages = Vec::new();
    let (result, _) = run_blocking(NetlifyHistory::new(config()).unwrap(), |r| {
        if r.url.contains("/deploys?") {
            let page: usize = r
                .url
                .split("page=")
                .nth(1)
                .unwrap()
                .split('&')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            pages.push(page);
            let mut all: Vec<Value> = fake.deploys.keys().map(|id| fake.deploy_json(id)).collect();
            all.sort_by_key(|d| std::cmp::Reverse(d["created_at"].as_str().unwrap().to_string()));
            let slice: Vec<Value> = all.into_iter().skip((page - 1) * 100).take(100).collect();
            return json_response(200, Value::Array(slice));
        }
        fake.serve(r)
    });
    let entries = result.unwrap();
    assert_eq!(pages, vec![1, 2, 3]);
    assert_eq!(entries.len(), 231);
    assert_eq!(entries[0].id, "dep-1");
    assert!(entries[0].production);
}

#[test]
fn status_is_polled_every_second_at_first_then_less_often() {
    let mut fake = Fake::default();
    let mut c = NetlifyDeploy::new(config(), &tree("one")).unwrap();
    let mut now = 0;
    let mut polls = Vec::new();
    // The fake's deploy is ready at its second poll; make it slow by answering `building`.
    while !c.is_finished() {
        let batch = c.poll_transmit(now);
        if batch.is_empty() {
            now = c.next_wakeup().unwrap();
            continue;
        }
        for out in batch {
            let outcome = if out.request.url.contains("/deploys/") {
                polls.push(now);
                let state = if polls.len() < 25 {
                    "building"
                } else {
                    "ready"
                };
                json_response(200, json!({"id": "dep-1", "state": state}))
            } else {
                fake.serve(&out.request)
            };
            c.handle(out.id, outcome, now);
        }
    }
    c.finish().unwrap();
    let gaps: Vec<u64> = polls.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps[..14].iter().all(|g| *g == 1_000), "{gaps:?}");
    assert!(gaps.iter().all(|g| *g <= 10_000), "{gaps:?}");
    assert_eq!(*gaps.last().unwrap(), 10_000, "{gaps:?}");
}

#[test]
fn a_lost_answer_to_the_build_finds_its_deploy_by_title_and_never_makes_a_second() {
    let mut fake = Fake {
        lose_build_answers: 1,
        ..Fake::default()
    };
    let done = deploy(&mut fake, "hello").unwrap();
    assert_eq!(fake.deploys.len(), 1, "one deploy");
    assert_eq!(done.id, "dep-1");
    assert_eq!(done.state, "ready");
    let title = &fake.titles["dep-1"];
    assert!(
        title.starts_with("Liftoff ") && title.len() == "Liftoff ".len() + 16,
        "{title}"
    );
    let builds = fake
        .log
        .iter()
        .filter(|(m, u)| m == "POST" && u.contains("/builds"))
        .count();
    assert_eq!(builds, 1, "found, not sent again");

    // Lost before anything was built: found nowhere, so sent again, once.
    let mut fake = Fake::default();
    let conversation = NetlifyDeploy::new(config(), &tree("again")).unwrap();
    let mut dropped = false;
    let (result, _) = run_blocking(conversation, |r| {
        if r.method == Method::Post && r.url.contains("/builds") && !dropped {
            dropped = true;
            return Outcome::NetworkError("reset".into());
        }
        fake.serve(r)
    });
    assert_eq!(result.unwrap().id, "dep-1");
    assert_eq!(fake.deploys.len(), 1);
}

#[test]
fn lost_answers_to_the_site_and_its_variables_never_create_twice() {
    for carried in [true, false] {
        let mut fake = Fake::default();
        let conversation = NetlifyDeploy::new(config(), &tree("hi")).unwrap();
        let mut lose = ["/sites", "/env"].map(|p| (p, 1));
        let (result, _) = run_blocking(conversation, |r| {
            let target = lose.iter_mut().find(|(p, n)| {
                r.method == Method::Post && *n > 0 && r.url.split('?').next().unwrap().ends_with(*p)
            });
            let Some((_, left)) = target else {
                return fake.serve(r);
            };
            *left -= 1;
            if carried {
                let _ = fake.serve(r);
            }
            Outcome::NetworkError("connection reset".into())
        });
        result.unwrap();
        assert_eq!(fake.sites.len(), 1, "one site");
        assert_eq!(fake.deploys.len(), 1, "one deploy");
        let env = BTreeMap::from([
            ("VITE_API".to_string(), "https://x.test".to_string()),
            ("SECRET".to_string(), "shh".to_string()),
        ]);
        assert_eq!(fake.env, env);
        assert_eq!(fake.env_at_build, [env]);
        let posts = |path: &str| {
            fake.log
                .iter()
                .filter(|(m, u)| m == "POST" && u.split('?').next().unwrap().ends_with(path))
                .count()
        };
        // Each creation carried out exactly once: found afterwards when the lost one was
        // carried out, sent once more when it was not.
        assert_eq!((posts("/sites"), posts("/env")), (1, 1));
    }
}

/// A seeded schedule of lost answers, 5xx, 429, resets and cut bodies over every request of a
/// first deploy (the site and its variables created) and of a second one: one site, its
/// variables exactly the `.env`'s, never a second deploy for one build, the published deploy
/// always a ready one of ours, and a success is true.
#[test]
fn under_seeded_network_faults_a_deploy_never_duplicates_and_the_site_stays_whole() {
    use crate::net::faults::Faults;
    let env = BTreeMap::from([
        ("VITE_API".to_string(), "https://x.test".to_string()),
        ("SECRET".to_string(), "shh".to_string()),
    ]);
    let mut outcomes = BTreeMap::<&str, u32>::new();
    for seed in 0..40 {
        let mut fake = Fake::default();
        let first = (seed % 2 == 1).then(|| deploy(&mut fake, "one").unwrap().id);
        let mut faults = Faults::new(seed, 30);
        let conversation = NetlifyDeploy::new(config(), &tree("two")).unwrap();
        let (result, _) = crate::net::run_blocking_at(3_600_000, conversation, |r| {
            faults.serve(r, &mut |r| fake.serve(r))
        });
        let story = faults.story();
        let new: Vec<String> = fake
            .deploys
            .keys()
            .filter(|id| Some(*id) != first.as_ref())
            .cloned()
            .collect();
        assert!(new.len() <= 1, "seed {seed}: {new:?}\n{story}");
        assert_eq!(fake.sites.len(), 1, "seed {seed}\n{story}");
        if let Some(published) = &fake.published {
            assert!(
                Some(published) == first.as_ref() || new.contains(published),
                "seed {seed}: {published}\n{story}"
            );
        } else {
            assert!(
                first.is_none(),
                "seed {seed}: the published deploy lost\n{story}"
            );
        }
        // Variables are set before the build is sent: any build saw all of them.
        for seen in &fake.env_at_build {
            assert_eq!(seen, &env, "seed {seed}\n{story}");
        }
        match result {
            Ok(done) => {
                assert_eq!(new, std::slice::from_ref(&done.id), "seed {seed}\n{story}");
                assert_eq!(done.state, "ready");
                assert_eq!(fake.published.as_ref(), Some(&done.id), "seed {seed}");
                *outcomes.entry("deployed").or_default() += 1;
            }
            Err(error) => {
                assert!(!error.to_string().contains(TOKEN), "seed {seed}: {error}");
                *outcomes.entry("failed").or_default() += 1;
            }
        }
    }
    eprintln!("a Netlify deploy under faults: {outcomes:?}");
    assert!(
        outcomes.get("deployed").copied().unwrap_or(0) >= 10,
        "{outcomes:?}"
    );
}

fn preview(fake: &mut Fake, message: &str) -> Result<Deployment, DeployError> {
    let mut c = config();
    c.stage = Stage::Preview;
    let conversation = NetlifyDeploy::new(c, &tree(message)).unwrap();
    run_blocking(conversation, |r| fake.serve(r)).0
}

fn promote(fake: &mut Fake, id: &str) -> Result<Promoted, DeployError> {
    let conversation = NetlifyPromote::new(config(), id.into()).unwrap();
    run_blocking(conversation, |r| fake.serve(r)).0
}

use crate::deploy::Promoted;

#[test]
fn a_preview_is_a_branch_deploy_at_its_own_address_and_promote_publishes_it() {
    let mut fake = Fake::default();
    deploy(&mut fake, "one").unwrap();
    let from = fake.log.len();
    let shown = preview(&mut fake, "two").unwrap();
    assert_eq!(shown.id, "dep-2");
    assert_eq!(shown.url, "https://dep-2--my-site.netlify.app");
    assert_eq!(
        fake.published.as_deref(),
        Some("dep-1"),
        "production untouched"
    );
    let build = fake.log[from..]
        .iter()
        .find(|(m, u)| m == "POST" && u.contains("/builds"))
        .unwrap();
    assert!(build.1.contains("&branch=liftoff-preview"), "{}", build.1);

    // Listed as a preview; a rollback never picks it.
    let listing = run_blocking(NetlifyHistory::new(config()).unwrap(), |r| fake.serve(r))
        .0
        .unwrap();
    let marks: Vec<(&str, bool, bool)> = listing
        .iter()
        .map(|e| (e.id.as_str(), e.production, e.preview))
        .collect();
    assert_eq!(marks, vec![("dep-2", false, true), ("dep-1", true, false)]);

    let from = fake.log.len();
    let done = promote(&mut fake, "dep-2").unwrap();
    assert!(done.changed);
    assert_eq!(done.deployment.url, "https://my-site.netlify.app");
    assert_eq!(fake.published.as_deref(), Some("dep-2"));
    assert_eq!(
        requests(&fake, from),
        vec![
            "GET /sites",
            "GET /sites/site-1/deploys/dep-2",
            "POST /sites/site-1/deploys/dep-2/restore",
            "GET /sites/site-1",
        ]
    );
    assert_eq!(fake.zips.len(), 2, "no rebuild");
    let from = fake.log.len();
    let again = promote(&mut fake, "dep-2").unwrap();
    assert!(!again.changed);
    assert_eq!(requests(&fake, from), vec!["GET /sites"]);
}

#[test]
fn a_site_whose_production_branch_is_liftoff_preview_gets_another_branch() {
    let mut fake = Fake {
        repo_branch: Some("liftoff-preview".into()),
        ..Fake::default()
    };
    deploy(&mut fake, "one").unwrap();
    preview(&mut fake, "two").unwrap();
    assert_eq!(fake.branches["dep-2"], "liftoff-preview-1");
    assert_eq!(fake.published.as_deref(), Some("dep-1"));
}

#[test]
fn a_preview_netlify_publishes_as_production_is_undone_and_said() {
    let mut fake = Fake::default();
    deploy(&mut fake, "one").unwrap();
    fake.every_branch_production = true;
    let error = preview(&mut fake, "two").unwrap_err();
    assert_eq!(error.code(), "preview-went-live");
    assert!(
        error
            .to_string()
            .contains("dep-1 was put back in production"),
        "{error}"
    );
    assert_eq!(
        fake.published.as_deref(),
        Some("dep-1"),
        "production as it was"
    );
}

#[test]
fn a_promotion_netlify_does_not_carry_out_leaves_production_and_says_so() {
    let mut fake = Fake::default();
    deploy(&mut fake, "one").unwrap();
    preview(&mut fake, "two").unwrap();
    // The restore answers 201 but the site still publishes dep-1.
    fake.injected = vec![];
    let conversation = NetlifyPromote::new(config(), "dep-2".into()).unwrap();
    let mut restores = 0;
    let (result, _) = run_blocking(conversation, |r| {
        if r.url.ends_with("/restore") {
            restores += 1;
            return json_response(201, json!({}));
        }
        fake.serve(r)
    });
    let error = result.unwrap_err();
    assert_eq!(restores, 1);
    assert_eq!(error.code(), "promote-failed");
    assert!(error.to_string().contains("still serves dep-1"), "{error}");
    assert_eq!(fake.published.as_deref(), Some("dep-1"));
    // A deploy that is not ready is refused before anything changes.
    fake.deploys.get_mut("dep-2").unwrap().0 = 0;
    let refused = NetlifyPromote::new(config(), "dep-2".into()).unwrap();
    let error = run_blocking(refused, |r| fake.serve(r)).0.unwrap_err();
    assert_eq!(error.code(), "not-promotable");
    assert!(!fake.log.iter().rev().take(3).any(|(m, _)| m == "POST"));
}
