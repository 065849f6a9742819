//! The push conversation against a stand-in for GitHub: the REST calls answered in memory,
//! the smart-HTTP calls answered by git's own `git http-backend` (run as a CGI program per
//! request, no sockets) over bare repositories in a temporary folder.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;

use super::*;
use crate::destinations::github::git_checks::{git, git_with};
use crate::error::Coded;
use crate::net::run_blocking;
use crate::tree::{FileEntry, OnDuplicate};

const TOKEN: &str = "ghp_SECRET_push_token_0123456789";
const API: &str = "https://api.github.test";
const GIT: &str = "https://github.test";

/// What the stand-in does with one request instead of answering it normally.
enum Intercept {
    Pass,
    Answer(Outcome),
    /// Handle the request, then lose the answer (the connection drops).
    DropAfter,
}

type Hook = Box<dyn FnMut(&str, &Path) -> Intercept>;

struct FakeGitHub {
    root: tempfile::TempDir,
    /// "METHOD /path" of every request, in order.
    log: Vec<String>,
    /// Called with "METHOD /path" and the repository folder before each request.
    hook: Hook,
    /// The trees endpoint answers 422 when asked with a commit id (a tree id works).
    trees_refuse_commits: bool,
    /// The listing says it was cut (`truncated: true`) and lists only the top level.
    trees_truncated: bool,
    /// The default branch new repositories get and every repository answers with.
    default_branch: String,
    /// Open pull requests: (number, head branch, base, title, body).
    pulls: Vec<(u64, String, String, String, String)>,
}

impl FakeGitHub {
    fn new() -> Self {
        Self {
            root: tempfile::tempdir().unwrap(),
            log: Vec::new(),
            hook: Box::new(|_, _| Intercept::Pass),
            trees_refuse_commits: false,
            trees_truncated: false,
            default_branch: "main".into(),
            pulls: Vec::new(),
        }
    }

    fn repo_dir(&self, full_name: &str) -> PathBuf {
        self.root.path().join(format!("{full_name}.git"))
    }

    fn create_repo(&self, full_name: &str) -> PathBuf {
        let dir = self.repo_dir(full_name);
        std::fs::create_dir_all(&dir).unwrap();
        git(
            &dir,
            &["init", "-q", "--bare", "-b", &self.default_branch],
            None,
        );
        dir
    }

    fn repo_json(&self, full_name: &str) -> Vec<u8> {
        let owner = full_name.split('/').next().unwrap();
        serde_json::json!({
            "full_name": full_name,
            "default_branch": self.default_branch,
            "clone_url": format!("{GIT}/{full_name}.git"),
            "html_url": format!("https://github.test/{full_name}"),
            "owner": {"login": owner},
        })
        .to_string()
        .into_bytes()
    }

    fn send(&mut self, request: &Request) -> Outcome {
        let (origin, path) = split_url(&request.url);
        let key = format!("{} {}", request.method.as_str(), path);
        self.log.push(key.clone());
        let repo_dir = self.root.path().join(repo_of(&path));
        let intercept = (self.hook)(&key, &repo_dir);
        let outcome = match intercept {
            Intercept::Answer(outcome) => return outcome,
            Intercept::Pass | Intercept::DropAfter => {
                if origin == API {
                    self.rest(request, &path)
                } else {
                    assert_eq!(origin, GIT, "the token went to {origin}");
                    self.git(request, &path)
                }
            }
        };
        match intercept {
            Intercept::DropAfter => Outcome::NetworkError("connection reset".into()),
            _ => Outcome::Response(outcome),
        }
    }

    fn rest(&mut self, request: &Request, path: &str) -> Response {
        if request.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            return json(401, r#"{"message":"Bad credentials"}"#);
        }
        let (route, query) = path.split_once('?').unwrap_or((path, ""));
        let parts: Vec<&str> = route.trim_start_matches('/').split('/').collect();
        match (request.method, &parts[..]) {
            (Method::Get, ["user"]) => json(
                200,
                r#"{"login":"octo","id":7,"name":"Octo Cat","email":null}"#,
            ),
            (Method::Get, ["repos", owner, name]) => {
                let full = format!("{owner}/{name}");
                if self.repo_dir(&full).exists() {
                    Response::new(200, self.repo_json(&full))
                } else {
                    json(404, r#"{"message":"Not Found"}"#)
                }
            }
            (Method::Post, ["user", "repos"]) => {
                let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
                let full = format!("octo/{}", body["name"].as_str().unwrap());
                if self.repo_dir(&full).exists() {
                    return json(
                        422,
                        r#"{"message":"Repository creation failed.","errors":[{"message":"name already exists on this account"}]}"#,
                    );
                }
                self.create_repo(&full);
                Response::new(201, self.repo_json(&full))
            }
            // As GitHub answers (targets.md): `sha` echoes what was asked for, never the root
            // tree's id when asked by commit.
            (Method::Get, ["repos", owner, name, "git", "trees", sha]) => {
                assert_eq!(query, "recursive=1");
                let dir = self.repo_dir(&format!("{owner}/{name}"));
                let kind = git(&dir, &["cat-file", "-t", sha], None);
                if self.trees_refuse_commits && kind.trim() == "commit" {
                    return json(422, r#"{"message":"Invalid tree"}"#);
                }
                let args: &[&str] = if self.trees_truncated {
                    &["ls-tree", "-l", sha]
                } else {
                    &["ls-tree", "-r", "-t", "-l", sha]
                };
                let listing = git(&dir, args, None);
                let tree: Vec<_> = listing
                    .lines()
                    .map(|l| {
                        let (meta, path) = l.split_once('\t').unwrap();
                        let fields: Vec<&str> = meta.split_whitespace().collect();
                        let mode = if fields[1] == "tree" {
                            "040000"
                        } else {
                            fields[0]
                        };
                        let mut entry = serde_json::json!({
                            "path": path, "mode": mode, "type": fields[1], "sha": fields[2],
                        });
                        if fields[1] == "blob" {
                            entry["size"] = fields[3].parse::<u64>().unwrap().into();
                        }
                        entry
                    })
                    .collect();
                let body = serde_json::json!({
                    "sha": sha, "tree": tree, "truncated": self.trees_truncated,
                });
                Response::new(200, body.to_string())
            }
            (Method::Get, ["repos", owner, name, "git", "commits", sha]) => {
                let dir = self.repo_dir(&format!("{owner}/{name}"));
                let tree = git(&dir, &["rev-parse", &format!("{sha}^{{tree}}")], None);
                let body = serde_json::json!({"sha": sha, "tree": {"sha": tree.trim()}});
                Response::new(200, body.to_string())
            }
            (Method::Get, ["repos", owner, name, "git", "blobs", sha]) => {
                let dir = self.repo_dir(&format!("{owner}/{name}"));
                let out = Command::new("git")
                    .args(["cat-file", "blob", sha])
                    .current_dir(&dir)
                    .output()
                    .unwrap();
                let encoded = base64::engine::general_purpose::STANDARD.encode(&out.stdout);
                // GitHub wraps the base64 at 60 characters.
                let wrapped: Vec<String> = encoded
                    .as_bytes()
                    .chunks(60)
                    .map(|c| String::from_utf8(c.to_vec()).unwrap())
                    .collect();
                let body = serde_json::json!({
                    "sha": sha, "content": wrapped.join("\n"), "encoding": "base64",
                    "size": out.stdout.len(),
                });
                Response::new(200, body.to_string())
            }
            (Method::Get, ["repos", owner, _, "pulls"]) => {
                let head = query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("head="))
                    .map(|h| h.replace("%3A", ":"))
                    .unwrap_or_default();
                let list: Vec<_> = self
                    .pulls
                    .iter()
                    .filter(|p| format!("{owner}:{}", p.1) == head)
                    .map(|p| serde_json::json!({"number": p.0, "state": "open", "head": {"ref": p.1}}))
                    .collect();
                Response::new(200, serde_json::to_vec(&list).unwrap())
            }
            (Method::Post, ["repos", owner, name, "pulls"]) => {
                let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
                let head = body["head"].as_str().unwrap().to_string();
                if self.pulls.iter().any(|p| p.1 == head) {
                    return json(
                        422,
                        r#"{"message":"Validation Failed","errors":[{"message":"A pull request already exists for octo:liftoff."}]}"#,
                    );
                }
                let number = self.pulls.len() as u64 + 1;
                self.pulls.push((
                    number,
                    head,
                    body["base"].as_str().unwrap().to_string(),
                    body["title"].as_str().unwrap().to_string(),
                    body["body"].as_str().unwrap().to_string(),
                ));
                let url = format!("https://github.test/{owner}/{name}/pull/{number}");
                json(
                    201,
                    &serde_json::json!({"number": number, "html_url": url}).to_string(),
                )
            }
            (Method::Patch, ["repos", owner, name, "pulls", number]) => {
                let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
                let number: u64 = number.parse().unwrap();
                let pull = self.pulls.iter_mut().find(|p| p.0 == number).unwrap();
                pull.4 = body["body"].as_str().unwrap().to_string();
                let url = format!("https://github.test/{owner}/{name}/pull/{number}");
                json(
                    200,
                    &serde_json::json!({"number": number, "html_url": url}).to_string(),
                )
            }
            _ => json(404, r#"{"message":"Not Found"}"#),
        }
    }

    fn git(&mut self, request: &Request, path: &str) -> Response {
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("x-access-token:{TOKEN}"));
        if request.header("authorization") != Some(&format!("Basic {basic}")) {
            return Response::new(401, b"Unauthorized".to_vec());
        }
        let (path_info, query) = path.split_once('?').unwrap_or((path, ""));
        cgi(
            self.root.path(),
            request.method.as_str(),
            path_info,
            query,
            request.header("content-type"),
            &request.body,
            &Backend::default(),
        )
    }

    fn head(&self, full_name: &str) -> Option<String> {
        let out = Command::new("git")
            .args(["rev-parse", "--verify", "-q", "refs/heads/main"])
            .current_dir(self.repo_dir(full_name))
            .output()
            .unwrap();
        out.status
            .success()
            .then(|| String::from_utf8(out.stdout).unwrap().trim().to_string())
    }
}

fn json(status: u16, body: &str) -> Response {
    Response::new(status, body.as_bytes().to_vec()).with_header("content-type", "application/json")
}

fn split_url(url: &str) -> (String, String) {
    let after = url.find("://").unwrap() + 3;
    let slash = url[after..].find('/').map_or(url.len(), |i| after + i);
    (url[..slash].to_string(), url[slash..].to_string())
}

/// `octo/app.git` from a git path, `octo/app.git` from a REST repos path too.
fn repo_of(path: &str) -> String {
    let parts: Vec<&str> = path.trim_start_matches('/').split(['/', '?']).collect();
    match parts.as_slice() {
        ["repos", owner, name, ..] => format!("{owner}/{name}.git"),
        [owner, name, ..] => format!("{owner}/{name}"),
        _ => String::new(),
    }
}

/// How `git http-backend` is run: the `Git-Protocol` header passed on (as web servers do for
/// protocol v2) and `uploadpack.allowFilter` (partial clone) on or off.
#[derive(Default)]
pub(super) struct Backend {
    pub protocol: Option<String>,
    pub allow_filter: bool,
}

/// Runs `git http-backend` once, as a web server would.
pub(super) fn cgi(
    root: &Path,
    method: &str,
    path_info: &str,
    query: &str,
    content_type: Option<&str>,
    body: &[u8],
    backend: &Backend,
) -> Response {
    let mut command = Command::new("git");
    if let Some(protocol) = &backend.protocol {
        command.env("GIT_PROTOCOL", protocol);
    }
    let mut child = command
        .arg("http-backend")
        .env("GIT_PROJECT_ROOT", root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_COUNT", "2")
        .env("GIT_CONFIG_KEY_0", "http.receivepack")
        .env("GIT_CONFIG_VALUE_0", "true")
        .env("GIT_CONFIG_KEY_1", "uploadpack.allowFilter")
        .env(
            "GIT_CONFIG_VALUE_1",
            if backend.allow_filter {
                "true"
            } else {
                "false"
            },
        )
        .env("REQUEST_METHOD", method)
        .env("PATH_INFO", path_info)
        .env("QUERY_STRING", query)
        .env("CONTENT_TYPE", content_type.unwrap_or(""))
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_USER", "octo")
        .env("REMOTE_ADDR", "127.0.0.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = body.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    child.wait().unwrap();
    writer.join().unwrap();
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4));
    let split = split.or_else(|| out.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2)));
    let (at, gap) = split.expect("CGI headers");
    let mut response = Response::new(200, out[at + gap..].to_vec());
    for line in String::from_utf8_lossy(&out[..at]).lines() {
        let (name, value) = line.split_once(':').unwrap();
        if name.eq_ignore_ascii_case("status") {
            response.status = value.trim()[..3].parse().unwrap();
        } else {
            response = response.with_header(name, value.trim());
        }
    }
    response
}

pub(super) fn tree(files: &[(&str, &[u8])]) -> SourceTree {
    let mut t = SourceTree::new();
    for (path, body) in files {
        t.insert(path, FileEntry::new(*body), OnDuplicate::Refuse)
            .unwrap();
    }
    t
}

pub(super) fn project() -> SourceTree {
    tree(&[
        ("package.json", br#"{"name":"acme"}"#),
        ("src/App.tsx", b"export default () => null;\n"),
        ("src/old.ts", b"to be deleted\n"),
        ("public/logo.png", &[0x89, b'P', b'N', b'G', 0, 0xff, 0xfe]),
        (".env", b"SECRET=1\n"),
        (".gitignore", b"dist/\n"),
        ("dist/bundle.js", b"built\n"),
    ])
}

fn config(create: bool) -> PushConfig {
    let mut config = PushConfig::new("octo/app", TOKEN, "Export from Bolt", 1_700_000_000);
    config.api = API.into();
    config.create = create;
    config
}

fn push(
    fake: &mut FakeGitHub,
    config: PushConfig,
    files: SourceTree,
) -> (Result<PushResult, PushError>, u64) {
    let conversation = GitHubPush::new(config, files).unwrap();
    run_blocking(conversation, |r| fake.send(r))
}

/// The branch's files, read back with git, byte for byte; and fsck --strict passes.
fn remote_files(fake: &FakeGitHub, full_name: &str) -> BTreeMap<String, Vec<u8>> {
    branch_files(&fake.repo_dir(full_name), "main")
}

/// The files of `branch` in the bare repository `dir`, byte for byte, after
/// `git fsck --strict`.
pub(super) fn branch_files(dir: &Path, branch: &str) -> BTreeMap<String, Vec<u8>> {
    git(dir, &["fsck", "--strict", "--no-dangling"], None);
    let listing = git(dir, &["ls-tree", "-r", "--name-only", "-z", branch], None);
    listing
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(|path| {
            let out = Command::new("git")
                .args(["cat-file", "blob", &format!("{branch}:{path}")])
                .current_dir(dir)
                .output()
                .unwrap();
            (path.to_string(), out.stdout)
        })
        .collect()
}

pub(super) fn expected(files: &SourceTree) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .filter(|(p, _)| p.as_str() != ".env" && !p.as_str().starts_with("dist/"))
        .map(|(p, e)| (p.as_str().to_string(), e.bytes.clone()))
        .collect()
}

fn log_of(fake: &FakeGitHub, full_name: &str) -> Vec<String> {
    git(
        &fake.repo_dir(full_name),
        &["log", "--format=%H %P|%an <%ae>|%s", "main"],
        None,
    )
    .lines()
    .map(str::to_string)
    .collect()
}

/// Adds a commit to `main` of a bare repository, as someone else's push would.
fn commit_elsewhere(dir: &Path, path: &str, body: &[u8], message: &str) -> String {
    let index = dir.join("elsewhere-index");
    let index = index.to_str().unwrap();
    let env = [("GIT_INDEX_FILE", index)];
    let head = Command::new("git")
        .args(["rev-parse", "--verify", "-q", "refs/heads/main"])
        .current_dir(dir)
        .output()
        .unwrap();
    let head = String::from_utf8(head.stdout).unwrap().trim().to_string();
    if head.is_empty() {
        git_with(dir, &["read-tree", "--empty"], None, &env);
    } else {
        git_with(dir, &["read-tree", &head], None, &env);
    }
    let blob = git(dir, &["hash-object", "-w", "--stdin"], Some(body));
    let info = format!("100644,{},{path}", blob.trim());
    git_with(
        dir,
        &["update-index", "--add", "--cacheinfo", &info],
        None,
        &env,
    );
    let tree = git_with(dir, &["write-tree"], None, &env);
    let mut args = vec!["commit-tree", tree.trim(), "-m", message];
    if !head.is_empty() {
        args.extend(["-p", &head]);
    }
    let commit = git(dir, &args, None).trim().to_string();
    git(dir, &["update-ref", "refs/heads/main", &commit], None);
    std::fs::remove_file(index).unwrap();
    commit
}

#[test]
fn creates_pushes_updates_and_stays_up_to_date() {
    let mut fake = FakeGitHub::new();
    let files = project();

    // 1. A new repository: created, first commit without parent.
    let (result, sent) = push(&mut fake, config(true), files.clone());
    let first = result.unwrap();
    assert!(first.created && !first.up_to_date && !first.rebuilt);
    assert_eq!(first.branch, "main");
    assert_eq!(first.repository, "octo/app");
    assert_eq!(
        fake.log,
        [
            "GET /user",
            "GET /repos/octo/app",
            "POST /user/repos",
            "GET /octo/app.git/info/refs?service=git-receive-pack",
            "POST /octo/app.git/git-receive-pack",
        ]
    );
    assert_eq!(first.requests, 5);
    assert_eq!(sent, 5);
    assert_eq!(
        first.url,
        format!("https://github.test/octo/app/commit/{}", first.commit)
    );
    // commit + 3 trees (root, src, public) + 5 blobs.
    assert_eq!(first.objects_sent, 9);
    let excluded: Vec<_> = first.excluded.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(excluded, [".env", "dist/bundle.js"]);
    assert_eq!(remote_files(&fake, "octo/app"), expected(&files));
    let log = log_of(&fake, "octo/app");
    assert_eq!(log.len(), 1);
    assert_eq!(
        log[0],
        format!(
            "{} |Octo Cat <7+octo@users.noreply.github.com>|Export from Bolt",
            first.commit
        )
    );

    // 2. A delete, an edit and a new binary: parent is the first commit, only new objects.
    let mut files = files;
    files.remove(&crate::ProjectPath::parse("src/old.ts").unwrap());
    files
        .insert(
            "src/App.tsx",
            FileEntry::new(&b"edited\n"[..]),
            OnDuplicate::Replace,
        )
        .unwrap();
    files
        .insert(
            "public/hero.webp",
            FileEntry::new(&[0u8, 1, 2, 255][..]),
            OnDuplicate::Refuse,
        )
        .unwrap();
    fake.log.clear();
    let (result, _) = push(&mut fake, config(false), files.clone());
    let second = result.unwrap();
    assert!(!second.created && !second.up_to_date);
    assert_eq!(
        fake.log[2..],
        [
            "GET /octo/app.git/info/refs?service=git-receive-pack".to_string(),
            format!("GET /repos/octo/app/git/trees/{}?recursive=1", first.commit),
            "POST /octo/app.git/git-receive-pack".to_string(),
        ]
    );
    // commit + root, src and public trees + 2 new blobs.
    assert_eq!(second.objects_sent, 6);
    assert_eq!(remote_files(&fake, "octo/app"), expected(&files));
    let log = log_of(&fake, "octo/app");
    assert_eq!(log.len(), 2);
    assert!(log[0].starts_with(&format!("{} {}|", second.commit, first.commit)));

    // 3. The same files again: no commit, no pack.
    fake.log.clear();
    let (result, _) = push(&mut fake, config(false), files.clone());
    let third = result.unwrap();
    assert!(third.up_to_date);
    assert_eq!(third.commit, second.commit);
    assert_eq!(third.objects_sent, 0);
    assert_eq!(third.requests, 4);
    assert!(!fake
        .log
        .iter()
        .any(|l| l.contains("git-receive-pack") && l.starts_with("POST")));
    assert_eq!(log_of(&fake, "octo/app").len(), 2);
}

#[test]
fn keeps_existing_history_and_pushes_a_new_branch_from_the_default() {
    let mut fake = FakeGitHub::new();
    let dir = fake.create_repo("octo/app");
    let old = commit_elsewhere(&dir, "README.md", b"# old\n", "Initial commit");
    let (result, _) = push(&mut fake, config(false), project());
    let pushed = result.unwrap();
    let log = log_of(&fake, "octo/app");
    assert_eq!(log.len(), 2);
    assert!(log[0].starts_with(&format!("{} {old}|", pushed.commit)));
    // The full tree: README.md, which the export does not have, is gone from the branch.
    assert_eq!(remote_files(&fake, "octo/app"), expected(&project()));

    // A new branch starts at main's head; with the same files, it is just a new ref.
    let mut config = config(false);
    config.branch = Some("liftoff".into());
    let (result, _) = push(&mut fake, config, project());
    let branch = result.unwrap();
    assert_eq!(branch.branch, "liftoff");
    assert_eq!(branch.commit, pushed.commit);
    assert_eq!(branch.objects_sent, 0);
    let tip = git(&dir, &["rev-parse", "refs/heads/liftoff"], None);
    assert_eq!(tip.trim(), pushed.commit.to_hex());
}

#[test]
fn rebuilds_once_when_the_branch_moves_then_gives_up() {
    let mut fake = FakeGitHub::new();
    let dir = fake.create_repo("octo/app");
    commit_elsewhere(&dir, "README.md", b"# old\n", "Initial commit");
    let mut moves = 1;
    fake.hook = Box::new(move |key, repo| {
        if key.starts_with("POST") && key.ends_with("git-receive-pack") && moves > 0 {
            moves -= 1;
            commit_elsewhere(repo, "other.txt", b"theirs\n", "Someone else");
        }
        Intercept::Pass
    });
    let (result, _) = push(&mut fake, config(false), project());
    let pushed = result.unwrap();
    assert!(pushed.rebuilt);
    let log = log_of(&fake, "octo/app");
    assert_eq!(log.len(), 3, "{log:?}");
    assert!(log[1].ends_with("|Someone else"));
    let theirs = log[1].split(' ').next().unwrap();
    assert!(log[0].starts_with(&format!("{} {theirs}|", pushed.commit)));
    assert_eq!(remote_files(&fake, "octo/app"), expected(&project()));

    // Moving on every attempt: a clear error, and the branch is the other pusher's.
    let mut fake = FakeGitHub::new();
    let dir = fake.create_repo("octo/app");
    commit_elsewhere(&dir, "README.md", b"# old\n", "Initial commit");
    fake.hook = Box::new(|key, repo| {
        if key.starts_with("POST") && key.ends_with("git-receive-pack") {
            commit_elsewhere(repo, "other.txt", key.as_bytes(), "Someone else");
        }
        Intercept::Pass
    });
    let (result, _) = push(&mut fake, config(false), project());
    let error = result.unwrap_err();
    assert!(
        matches!(error, PushError::BranchKeptMoving { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("push again"));
    let log = log_of(&fake, "octo/app");
    assert!(
        log.iter().all(|l| !l.contains("Export from Bolt")),
        "{log:?}"
    );
}

#[test]
fn lost_answers_and_server_errors_end_correct_or_untouched() {
    // The push arrives but its answer is lost: the retry is refused, the refs show it arrived.
    let mut fake = FakeGitHub::new();
    fake.create_repo("octo/app");
    let mut drops = 1;
    fake.hook = Box::new(move |key, _| {
        if key.starts_with("POST") && key.ends_with("git-receive-pack") && drops > 0 {
            drops -= 1;
            return Intercept::DropAfter;
        }
        Intercept::Pass
    });
    let (result, _) = push(&mut fake, config(false), project());
    let pushed = result.unwrap();
    assert_eq!(fake.head("octo/app"), Some(pushed.commit.to_hex()));
    assert_eq!(log_of(&fake, "octo/app").len(), 1);

    // 5xx and dropped connections before anything happens: retried, then correct.
    let mut fake = FakeGitHub::new();
    fake.create_repo("octo/app");
    let mut failures: BTreeMap<&str, u32> = BTreeMap::new();
    fake.hook = Box::new(move |key, _| {
        let kind = if key.contains("info/refs") {
            "refs"
        } else if key.contains("receive-pack") {
            "send"
        } else {
            "rest"
        };
        let n = failures.entry(kind).or_default();
        *n += 1;
        match *n {
            1 => Intercept::Answer(Outcome::Response(Response::new(502, Vec::new()))),
            2 if kind != "rest" => Intercept::Answer(Outcome::NetworkError("reset".into())),
            _ => Intercept::Pass,
        }
    });
    let (result, _) = push(&mut fake, config(false), project());
    let pushed = result.unwrap();
    assert_eq!(fake.head("octo/app"), Some(pushed.commit.to_hex()));
    assert_eq!(remote_files(&fake, "octo/app"), expected(&project()));

    // The server never takes the pack: an error, and the branch is untouched.
    let mut fake = FakeGitHub::new();
    let dir = fake.create_repo("octo/app");
    let before = commit_elsewhere(&dir, "README.md", b"# old\n", "Initial commit");
    fake.hook = Box::new(|key, _| {
        if key.starts_with("POST") && key.ends_with("git-receive-pack") {
            return Intercept::Answer(Outcome::Response(Response::new(503, Vec::new())));
        }
        Intercept::Pass
    });
    let (result, _) = push(&mut fake, config(false), project());
    let error = result.unwrap_err();
    assert!(error.to_string().contains("503"), "{error}");
    assert_eq!(fake.head("octo/app"), Some(before));
}

#[test]
fn a_lost_answer_to_the_creation_looks_before_creating_again() {
    for carried in [true, false] {
        let mut fake = FakeGitHub::new();
        let mut drops = 1;
        fake.hook = Box::new(move |key, _| {
            if key == "POST /user/repos" && drops > 0 {
                drops -= 1;
                return if carried {
                    Intercept::DropAfter
                } else {
                    Intercept::Answer(Outcome::Response(Response::new(502, Vec::new())))
                };
            }
            Intercept::Pass
        });
        let (result, _) = push(&mut fake, config(true), project());
        let pushed = result.unwrap();
        assert!(pushed.created, "the push says it made the repository");
        assert_eq!(remote_files(&fake, "octo/app"), expected(&project()));
        let creations = fake.log.iter().filter(|k| *k == "POST /user/repos").count();
        let looks = fake
            .log
            .iter()
            .filter(|k| *k == "GET /repos/octo/app")
            .count();
        // Carried out: looked at once more and found, never created again. Not carried out:
        // looked at, still missing, created once more.
        assert_eq!((creations, looks), if carried { (1, 2) } else { (2, 2) });
    }

    // Every answer lost: the push stops with the transport's error, after a bounded number
    // of creations.
    let mut fake = FakeGitHub::new();
    fake.hook = Box::new(|key, _| {
        if key == "POST /user/repos" {
            return Intercept::Answer(Outcome::NetworkError("reset".into()));
        }
        Intercept::Pass
    });
    let (result, _) = push(&mut fake, config(true), project());
    let error = result.unwrap_err();
    assert!(!error.to_string().contains(TOKEN));
    let creations = fake.log.iter().filter(|k| *k == "POST /user/repos").count();
    assert_eq!(creations as u32, MAX_LOST_ANSWERS + 1);
}

#[test]
fn errors_say_what_to_do_and_never_show_the_token() {
    let check = |error: &PushError, needle: &str| {
        let text = error.to_string();
        assert!(text.contains(needle), "{text}");
        assert!(!text.contains(TOKEN) && !format!("{error:?}").contains(TOKEN));
    };
    // Bad token.
    let mut fake = FakeGitHub::new();
    let mut config_bad = config(true);
    config_bad.token = "ghp_wrong".into();
    let (result, _) = push(&mut fake, config_bad, project());
    check(&result.unwrap_err(), "refused the token (401)");

    // Missing repository without --create.
    let mut fake = FakeGitHub::new();
    let (result, _) = push(&mut fake, config(false), project());
    check(
        &result.unwrap_err(),
        "not found, or the token cannot see it",
    );

    // Name taken: the GET said 404 (no access), the create says 422.
    let mut fake = FakeGitHub::new();
    fake.create_repo("octo/app");
    fake.hook = Box::new(|key, _| {
        if key == "GET /repos/octo/app" {
            return Intercept::Answer(Outcome::Response(json(404, r#"{"message":"Not Found"}"#)));
        }
        Intercept::Pass
    });
    let (result, _) = push(&mut fake, config(true), project());
    check(&result.unwrap_err(), "name is taken");

    // No push permission.
    let mut fake = FakeGitHub::new();
    fake.create_repo("octo/app");
    fake.hook = Box::new(|key, _| {
        if key.contains("info/refs") {
            return Intercept::Answer(Outcome::Response(Response::new(403, Vec::new())));
        }
        Intercept::Pass
    });
    let (result, _) = push(&mut fake, config(false), project());
    check(&result.unwrap_err(), "may not push to octo/app (403)");

    // Rate limit: retried until the reset, then said plainly.
    let mut fake = FakeGitHub::new();
    fake.create_repo("octo/app");
    fake.hook = Box::new(|key, _| {
        if key == "GET /user" {
            let limited = json(403, r#"{"message":"API rate limit exceeded"}"#)
                .with_header("x-ratelimit-remaining", "0")
                .with_header("x-ratelimit-reset", "1795500000");
            return Intercept::Answer(Outcome::Response(limited));
        }
        Intercept::Pass
    });
    let (result, _) = push(&mut fake, config(false), project());
    check(
        &result.unwrap_err(),
        "rate limit is used up until 2026-11-24 06:00 UTC: push again after that",
    );

    // Config and requests never show the token.
    let shown = format!("{:?}", config(true));
    assert!(!shown.contains(TOKEN) && shown.contains("<redacted>"));
    let mut conversation = GitHubPush::new(config(true), project()).unwrap();
    for out in conversation.poll_transmit(0) {
        assert!(!format!("{:?}", out.request).contains(TOKEN));
    }
    // Bad names are refused before anything is sent.
    assert!(matches!(
        GitHubPush::new(PushConfig::new("nope", TOKEN, "m", 0), project()),
        Err(PushError::BadRepository(_))
    ));
    let mut bad_branch = config(false);
    bad_branch.branch = Some("a..b".into());
    assert!(matches!(
        GitHubPush::new(bad_branch, project()),
        Err(PushError::BadBranch(_))
    ));
}

#[test]
fn refused_updates_keep_the_branch_and_quote_the_server() {
    let mut fake = FakeGitHub::new();
    let dir = fake.create_repo("octo/app");
    let before = commit_elsewhere(&dir, "README.md", b"# old\n", "Initial commit");
    // A pre-receive hook, as a protected branch would be.
    let hook = dir.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'error: GH006: Protected branch update failed' >&2\nexit 1\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let (result, _) = push(&mut fake, config(false), project());
    let error = result.unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, PushError::Rejected { .. }), "{text}");
    assert!(text.contains("pre-receive hook declined"), "{text}");
    assert!(text.contains("GH006"), "{text}");
    assert_eq!(fake.head("octo/app"), Some(before));
}

#[test]
fn clone_urls_elsewhere_get_no_token() {
    let mut fake = FakeGitHub::new();
    fake.create_repo("octo/app");
    let repo_json = fake.repo_json("octo/app");
    fake.hook = Box::new(move |key, _| {
        if key == "GET /repos/octo/app" {
            let mut body: serde_json::Value = serde_json::from_slice(&repo_json).unwrap();
            body["clone_url"] = "https://evil.test/octo/app.git".into();
            return Intercept::Answer(Outcome::Response(Response::new(200, body.to_string())));
        }
        Intercept::Pass
    });
    let (result, _) = push(&mut fake, config(false), project());
    assert!(matches!(result, Err(PushError::UnsafeCloneUrl { .. })));
    assert_eq!(fake.log, ["GET /user", "GET /repos/octo/app"]);
}

/// A seeded schedule of lost answers, 5xx, 429, resets and cut bodies over every request of a
/// push onto a branch with history, a new repository and an update: each time the remote ends
/// either untouched or holding exactly the export on top of the old head (never two commits,
/// never a force push, `git fsck --strict` clean), and a success is true.
#[test]
fn under_seeded_network_faults_the_remote_ends_correct_or_untouched() {
    use crate::net::faults::Faults;
    let mut outcomes = BTreeMap::<&str, u32>::new();
    for seed in 0..24 {
        let mut fake = FakeGitHub::new();
        let create = seed % 3 == 0;
        let before = if create {
            None
        } else {
            let dir = fake.create_repo("octo/app");
            Some(commit_elsewhere(
                &dir,
                "README.md",
                b"# old\n",
                "Initial commit",
            ))
        };
        let mut faults = Faults::new(seed, 35);
        let conversation = GitHubPush::new(config(create), project()).unwrap();
        let (result, _) = run_blocking(conversation, |r| faults.serve(r, &mut |r| fake.send(r)));
        let story = faults.story();
        let head = fake
            .repo_dir("octo/app")
            .exists()
            .then(|| fake.head("octo/app"))
            .flatten();
        let commits = if head.is_some() {
            log_of(&fake, "octo/app")
        } else {
            Vec::new()
        };
        let landed = head.is_some() && head != before;
        if landed {
            // Exactly one commit on top of the old head, holding exactly the export.
            assert_eq!(
                commits.len(),
                usize::from(before.is_some()) + 1,
                "seed {seed}\n{story}"
            );
            let parent = commits[0]
                .split('|')
                .next()
                .unwrap()
                .split(' ')
                .nth(1)
                .filter(|p| !p.is_empty());
            assert_eq!(parent, before.as_deref(), "seed {seed}: parent\n{story}");
            assert_eq!(
                remote_files(&fake, "octo/app"),
                expected(&project()),
                "seed {seed}"
            );
        }
        match result {
            Ok(pushed) => {
                assert!(landed, "seed {seed}: success without a commit\n{story}");
                assert_eq!(head, Some(pushed.commit.to_hex()), "seed {seed}\n{story}");
                assert_eq!(pushed.created, create, "seed {seed}\n{story}");
                *outcomes.entry("pushed").or_default() += 1;
            }
            Err(error) => {
                let text = error.to_string();
                assert!(!text.contains(TOKEN), "seed {seed}: {text}");
                // A failure leaves the branch as it was, unless it says it could not tell.
                if landed {
                    assert_eq!(error.code(), "unconfirmed", "seed {seed}: {text}\n{story}");
                }
                *outcomes
                    .entry(if landed { "unconfirmed" } else { "untouched" })
                    .or_default() += 1;
            }
        }
    }
    eprintln!("a push under faults: {outcomes:?}");
    assert!(
        outcomes.get("pushed").copied().unwrap_or(0) >= 8,
        "{outcomes:?}"
    );
}

/// Pushes `files` once, then again unchanged, with the fake set up by `setup`; returns the
/// second result and the requests of the second push.
fn push_twice(setup: impl Fn(&mut FakeGitHub)) -> (PushResult, Vec<String>, FakeGitHub) {
    let mut fake = FakeGitHub::new();
    setup(&mut fake);
    push(&mut fake, config(true), project()).0.unwrap();
    fake.log.clear();
    let again = push(&mut fake, config(false), project()).0.unwrap();
    let log = fake.log.clone();
    (again, log, fake)
}

#[test]
fn an_unchanged_push_makes_no_commit_though_the_listing_echoes_the_commit_id() {
    // The listing's `sha` is the commit id asked for, as GitHub answers: the root tree's id
    // comes from the listing's top-level entries, and nothing is committed.
    let (again, log, fake) = push_twice(|_| {});
    assert!(again.up_to_date, "{again:?}");
    assert_eq!(again.objects_sent, 0);
    assert_eq!(log_of(&fake, "octo/app").len(), 1);
    assert!(!log.iter().any(|l| l.contains("/git/commits/")), "{log:?}");
    assert!(again.changes.is_empty());
}

#[test]
fn a_trees_endpoint_that_refuses_commit_ids_is_asked_by_the_commits_tree() {
    let (again, log, fake) = push_twice(|fake| fake.trees_refuse_commits = true);
    assert!(again.up_to_date, "{again:?}");
    assert_eq!(log_of(&fake, "octo/app").len(), 1);
    let head = fake.head("octo/app").unwrap();
    let tree = git(
        &fake.repo_dir("octo/app"),
        &["rev-parse", "main^{tree}"],
        None,
    );
    assert_eq!(
        log[2..],
        [
            "GET /octo/app.git/info/refs?service=git-receive-pack".to_string(),
            format!("GET /repos/octo/app/git/trees/{head}?recursive=1"),
            format!("GET /repos/octo/app/git/commits/{head}"),
            format!("GET /repos/octo/app/git/trees/{}?recursive=1", tree.trim()),
        ]
    );
}

#[test]
fn a_truncated_listing_takes_the_root_tree_from_the_commit() {
    let (again, log, fake) = push_twice(|fake| fake.trees_truncated = true);
    assert!(again.up_to_date, "{again:?}");
    assert_eq!(log_of(&fake, "octo/app").len(), 1);
    assert!(log.iter().any(|l| l.contains("/git/commits/")), "{log:?}");
}

#[test]
fn a_preview_lists_added_changed_deleted_and_binary_files_and_writes_nothing() {
    let mut fake = FakeGitHub::new();
    push(&mut fake, config(true), project()).0.unwrap();
    let head = fake.head("octo/app");
    let mut files = project();
    files.remove(&crate::ProjectPath::parse("src/old.ts").unwrap());
    files
        .insert(
            "src/App.tsx",
            FileEntry::new(&b"export default () => null;\nexport const x = 1;\n"[..]),
            OnDuplicate::Replace,
        )
        .unwrap();
    files
        .insert(
            "public/logo.png",
            FileEntry::new(&[0x89, b'P', b'N', b'G', 0, 1, 2, 3, 4][..]),
            OnDuplicate::Replace,
        )
        .unwrap();
    files
        .insert(
            "src/new.ts",
            FileEntry::new(&b"a\nb\nc\n"[..]),
            OnDuplicate::Refuse,
        )
        .unwrap();
    fake.log.clear();
    let preview = GitHubPreview::new(config(false), files).unwrap();
    let (preview, _) = run_blocking(preview, |r| fake.send(r));
    let preview = preview.unwrap();
    assert!(!preview.up_to_date);
    let summary: Vec<_> = preview
        .changes
        .iter()
        .map(|c| {
            let action = serde_json::to_value(c.action).unwrap();
            (
                c.path.as_str(),
                action.as_str().unwrap().to_string(),
                c.binary,
                c.lines_added,
                c.lines_removed,
                c.size,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("public/logo.png", "changed".into(), true, None, None, 9),
            ("src/App.tsx", "changed".into(), false, Some(1), Some(0), 47),
            ("src/new.ts", "added".into(), false, Some(3), Some(0), 6),
            ("src/old.ts", "deleted".into(), false, Some(0), Some(1), 14),
        ]
    );
    let excluded: Vec<_> = preview.excluded.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(excluded, [".env", "dist/bundle.js"]);
    let app = preview
        .diffs
        .iter()
        .find(|d| d.path == "src/App.tsx")
        .unwrap();
    assert!(
        app.text.contains("--- a/src/App.tsx\n+++ b/src/App.tsx\n"),
        "{}",
        app.text
    );
    assert!(
        app.text.contains("\n+export const x = 1;\n"),
        "{}",
        app.text
    );
    // Only the changed and deleted text files' old contents were read; nothing was written.
    let blobs = fake
        .log
        .iter()
        .filter(|l| l.contains("/git/blobs/"))
        .count();
    assert_eq!(blobs, 2, "{:?}", fake.log);
    assert!(
        !fake.log.iter().any(|l| l.starts_with("POST")),
        "{:?}",
        fake.log
    );
    assert_eq!(fake.head("octo/app"), head);

    // The same files: up to date, said before any push.
    let (preview, _) = run_blocking(GitHubPreview::new(config(false), project()).unwrap(), |r| {
        fake.send(r)
    });
    let preview = preview.unwrap();
    assert!(preview.up_to_date && preview.changes.is_empty());
}

#[test]
fn a_pull_request_is_opened_into_the_default_branch_then_updated_never_duplicated() {
    let mut fake = FakeGitHub::new();
    fake.default_branch = "trunk".into();
    fake.create_repo("octo/app");
    let dir = fake.repo_dir("octo/app");
    let base = commit_elsewhere(&dir, "README.md", b"# app\n", "Initial commit");
    git(&dir, &["update-ref", "refs/heads/trunk", &base], None);
    git(&dir, &["update-ref", "-d", "refs/heads/main"], None);
    let with_pr = || {
        let mut config = config(false);
        config.branch = Some("liftoff".into());
        config.pull_request = Some(PullRequestSpec {
            title: "Export from Bolt".into(),
            summary: "Lock-in removed: 2 files.".into(),
        });
        config
    };
    let first = push(&mut fake, with_pr(), project()).0.unwrap();
    let pull = first.pull_request.clone().unwrap();
    assert!(pull.created);
    assert_eq!(pull.number, 1);
    assert_eq!(fake.pulls.len(), 1);
    let (_, head, base_branch, title, body) = fake.pulls[0].clone();
    assert_eq!((head.as_str(), base_branch.as_str()), ("liftoff", "trunk"));
    assert_eq!(title, "Export from Bolt");
    assert!(
        body.starts_with("Lock-in removed: 2 files.\n\n### Files\n"),
        "{body}"
    );
    assert!(body.contains("- deleted `README.md`"), "{body}");
    // The branch started from trunk's head: the commit's parent is trunk's.
    let parent = git(&dir, &["rev-parse", "refs/heads/liftoff^"], None);
    assert_eq!(parent.trim(), base);

    let mut files = project();
    files
        .insert(
            "src/more.ts",
            FileEntry::new(&b"1\n"[..]),
            OnDuplicate::Refuse,
        )
        .unwrap();
    let second = push(&mut fake, with_pr(), files).0.unwrap();
    let pull = second.pull_request.unwrap();
    assert!(!pull.created);
    assert_eq!(pull.number, 1);
    assert_eq!(fake.pulls.len(), 1, "updated, not duplicated");
    assert!(fake.pulls[0].4.contains("- added `src/more.ts` (+1 −0)"));
}

#[test]
fn a_lost_answer_to_opening_a_pull_request_finds_the_one_it_opened() {
    let mut fake = FakeGitHub::new();
    fake.create_repo("octo/app");
    let dir = fake.repo_dir("octo/app");
    let base = commit_elsewhere(&dir, "README.md", b"# app\n", "Initial commit");
    git(&dir, &["update-ref", "refs/heads/main", &base], None);
    let mut lost = false;
    fake.hook = Box::new(move |key, _| {
        if key == "POST /repos/octo/app/pulls" && !lost {
            lost = true;
            return Intercept::DropAfter;
        }
        Intercept::Pass
    });
    let mut config = config(false);
    config.branch = Some("liftoff".into());
    config.pull_request = Some(PullRequestSpec {
        title: "t".into(),
        summary: "s".into(),
    });
    let pushed = push(&mut fake, config, project()).0.unwrap();
    assert_eq!(fake.pulls.len(), 1);
    assert_eq!(pushed.pull_request.unwrap().number, 1);
    // Sent once, then looked for (never a second creation that GitHub would refuse).
    let creations = fake
        .log
        .iter()
        .filter(|k| *k == "POST /repos/octo/app/pulls")
        .count();
    assert_eq!(creations, 1, "{:?}", fake.log);
}

#[test]
fn a_pull_request_into_an_empty_repository_is_refused_before_anything_is_sent() {
    let mut fake = FakeGitHub::new();
    fake.create_repo("octo/app");
    let mut config = config(false);
    config.branch = Some("liftoff".into());
    config.pull_request = Some(PullRequestSpec {
        title: "t".into(),
        summary: "s".into(),
    });
    let error = push(&mut fake, config, project()).0.unwrap_err();
    assert!(
        matches!(&error, PushError::PullRequestIntoEmpty { base, created: false, .. } if base == "main"),
        "{error:?}"
    );
    assert!(error.to_string().contains("push to main first"), "{error}");
    assert!(!fake
        .log
        .iter()
        .any(|k| k.ends_with("git-receive-pack") && k.starts_with("POST")));
    assert!(fake.pulls.is_empty());
}

#[test]
fn a_pull_request_needs_a_branch_other_than_the_default() {
    let mut fake = FakeGitHub::new();
    fake.create_repo("octo/app");
    let mut config = config(false);
    config.pull_request = Some(PullRequestSpec {
        title: "t".into(),
        summary: "s".into(),
    });
    assert_eq!(
        GitHubPush::new(config.clone(), project())
            .err()
            .map(|e| e.code()),
        Some("pr-needs-branch")
    );
    config.branch = Some("main".into());
    let error = push(&mut fake, config, project()).0.unwrap_err();
    assert_eq!(error.code(), "pr-needs-branch");
    assert!(fake.head("octo/app").is_none(), "nothing pushed");
}

#[test]
fn a_preview_of_a_missing_repository_creates_nothing() {
    let mut fake = FakeGitHub::new();
    let preview = GitHubPreview::new(config(true), project()).unwrap();
    let (preview, _) = run_blocking(preview, |r| fake.send(r));
    let preview = preview.unwrap();
    assert!(preview.new_repository && !preview.up_to_date);
    assert_eq!(preview.branch, "main");
    let added: BTreeMap<String, Vec<u8>> = preview
        .changes
        .iter()
        .map(|c| {
            assert_eq!(serde_json::to_value(c.action).unwrap(), "added");
            let path = c.path.as_str().to_string();
            let bytes = project().get(&path).unwrap().bytes.clone();
            (path, bytes)
        })
        .collect();
    assert_eq!(added, expected(&project()));
    assert!(
        fake.log.iter().all(|k| k.starts_with("GET ")),
        "{:?}",
        fake.log
    );
    assert!(!fake.repo_dir("octo/app").exists());
}
