//! The push to a plain git remote (`--to git`) against git's own `git http-backend` behind
//! Basic auth, as any forge or a founder's own server runs it: protocol v2 passed through (or
//! not), partial-clone filters allowed (or not). No REST at all.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine;

use super::tests::{branch_files, cgi, expected, project, tree, Backend};
use super::*;
use crate::destinations::github::git_checks::git;
use crate::destinations::github::ChangeAction;
use crate::error::Coded;
use crate::net::run_blocking;
use crate::path::ProjectPath;
use crate::tree::{FileEntry, OnDuplicate};

const TOKEN: &str = "glpat-SECRET-plain-remote-token-0123";
const ORIGIN: &str = "https://git.example.test";
const URL: &str = "https://ada@git.example.test/team/app.git";

/// Changes an answer on its way back: (request key, answer) → answer.
type Tamper = Box<dyn FnMut(&str, Response) -> Response>;

/// A git server: bare repositories under `root`, Basic auth with any user name and TOKEN.
struct FakeRemote {
    root: tempfile::TempDir,
    /// "METHOD /path?query" of every request, in order.
    log: Vec<String>,
    /// The user names sent.
    users: Vec<String>,
    /// Pass `Git-Protocol` on to git (protocol v2), as web servers in front of git do.
    v2: bool,
    allow_filter: bool,
    tamper: Tamper,
}

impl FakeRemote {
    fn new() -> Self {
        Self {
            root: tempfile::tempdir().unwrap(),
            log: Vec::new(),
            users: Vec::new(),
            v2: true,
            allow_filter: true,
            tamper: Box::new(|_, response| response),
        }
    }

    fn create(&self, default_branch: &str) -> PathBuf {
        let dir = self.root.path().join("team/app.git");
        std::fs::create_dir_all(&dir).unwrap();
        git(&dir, &["init", "-q", "--bare", "-b", default_branch], None);
        dir
    }

    fn send(&mut self, request: &Request) -> Outcome {
        let path = request
            .url
            .strip_prefix(ORIGIN)
            .unwrap_or_else(|| panic!("the token went to {}", request.url));
        let key = format!("{} {path}", request.method.as_str());
        self.log.push(key.clone());
        let credentials = request
            .header("authorization")
            .and_then(|h| h.strip_prefix("Basic "))
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        let (user, password) = credentials.split_once(':').unwrap_or(("", ""));
        self.users.push(user.to_string());
        if password != TOKEN {
            return Outcome::Response(
                Response::new(401, b"Authentication required".to_vec())
                    .with_header("www-authenticate", "Basic realm=\"git\""),
            );
        }
        let (path_info, query) = path.split_once('?').unwrap_or((path, ""));
        let backend = Backend {
            protocol: self
                .v2
                .then(|| request.header("git-protocol").map(str::to_string))
                .flatten(),
            allow_filter: self.allow_filter,
        };
        let response = cgi(
            self.root.path(),
            request.method.as_str(),
            path_info,
            query,
            request.header("content-type"),
            &request.body,
            &backend,
        );
        Outcome::Response((self.tamper)(&key, response))
    }

    /// The branch's files, byte for byte, after `git fsck --strict`.
    fn files(&self, branch: &str) -> BTreeMap<String, Vec<u8>> {
        branch_files(&self.root.path().join("team/app.git"), branch)
    }

    fn git(&self, args: &[&str]) -> String {
        git(&self.root.path().join("team/app.git"), args, None)
    }
}

fn config() -> PushConfig {
    let mut config = PushConfig::new(URL, TOKEN, "Export from Bolt", 1_700_000_000);
    config.discovery = Discovery::GitOnly;
    config.author = Some(Author {
        name: "Ada Lovelace".into(),
        email: "ada@example.com".into(),
    });
    config
}

fn push(
    fake: &mut FakeRemote,
    config: PushConfig,
    files: SourceTree,
) -> Result<PushResult, PushError> {
    run_blocking(GitHubPush::new(config, files).unwrap(), |r| fake.send(r)).0
}

const UPLOAD_CAPS: &str = "GET /team/app.git/info/refs?service=git-upload-pack";
const UPLOAD: &str = "POST /team/app.git/git-upload-pack";
const REFS: &str = "GET /team/app.git/info/refs?service=git-receive-pack";
const RECEIVE: &str = "POST /team/app.git/git-receive-pack";

#[test]
fn pushes_to_any_git_remote_learning_the_branch_over_upload_pack() {
    let mut fake = FakeRemote::new();
    fake.create("trunk");
    let files = project();

    // The first push, into an empty repository: its default branch from HEAD (unborn).
    let first = push(&mut fake, config(), files.clone()).unwrap();
    assert_eq!(first.branch, "trunk");
    assert_eq!(first.repository, "https://git.example.test/team/app.git");
    assert_eq!(first.url, "https://git.example.test/team/app.git");
    assert!(!first.up_to_date && !first.created);
    assert_eq!(fake.files("trunk"), expected(&files));
    assert_eq!(fake.log, [UPLOAD_CAPS, UPLOAD, REFS, RECEIVE]);
    assert!(
        fake.users.iter().all(|u| u == "ada"),
        "the URL's user name: {:?}",
        fake.users
    );
    assert_eq!(
        fake.git(&["log", "--format=%an <%ae>|%s", "trunk"]).trim(),
        "Ada Lovelace <ada@example.com>|Export from Bolt"
    );

    // A second push: one file changed, one gone. The head's trees come from a blobless fetch,
    // so only the new blob, its trees and the commit are sent.
    fake.log.clear();
    let mut next = files.clone();
    next.insert(
        "src/App.tsx",
        FileEntry::new(b"export default () => 'v2';\n".to_vec()),
        OnDuplicate::Replace,
    )
    .unwrap();
    next.remove(&ProjectPath::parse("src/old.ts").unwrap());
    let second = push(&mut fake, config(), next.clone()).unwrap();
    assert_eq!(fake.log, [UPLOAD_CAPS, UPLOAD, REFS, UPLOAD, RECEIVE]);
    assert_eq!(second.objects_sent, 4, "blob, src/, root tree, commit");
    assert_eq!(fake.files("trunk"), expected(&next));
    let parents = fake.git(&["log", "--format=%P", "-1", "trunk"]);
    assert_eq!(parents.trim(), first.commit.to_hex());
    let changed: Vec<_> = second
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.action))
        .collect();
    assert!(
        changed.contains(&("src/App.tsx", ChangeAction::Changed))
            && changed.contains(&("src/old.ts", ChangeAction::Deleted)),
        "{changed:?}"
    );

    // The same export again: nothing sent, no commit.
    fake.log.clear();
    let third = push(&mut fake, config(), next.clone()).unwrap();
    assert!(third.up_to_date);
    assert_eq!(third.commit, second.commit);
    assert_eq!(fake.log, [UPLOAD_CAPS, UPLOAD, REFS, UPLOAD]);

    // A new branch starts from the default branch's head.
    let mut on_branch = config();
    on_branch.branch = Some("liftoff".into());
    let fourth = push(&mut fake, on_branch, files.clone()).unwrap();
    assert_eq!(fourth.branch, "liftoff");
    assert_eq!(
        fake.git(&["log", "--format=%P", "-1", "liftoff"]).trim(),
        second.commit.to_hex()
    );
    assert_eq!(fake.files("liftoff"), expected(&files));
}

#[test]
fn servers_without_filters_or_protocol_v2_still_get_the_right_branch() {
    // No filters: the fetch brings the blobs too; what is known is the same.
    let mut fake = FakeRemote::new();
    fake.allow_filter = false;
    fake.create("main");
    let files = project();
    push(&mut fake, config(), files.clone()).unwrap();
    let again = push(&mut fake, config(), files.clone()).unwrap();
    assert!(again.up_to_date, "the tree is known without filters too");

    // Protocol version 0 only: an empty repository's advertisement names no default branch
    // (the unborn HEAD is v2's), so the first push needs --branch; then the default branch
    // comes from the advertisement's symref. The branch is not fetched: everything is sent,
    // still correctly.
    let mut fake = FakeRemote::new();
    fake.v2 = false;
    fake.create("main");
    let error = push(&mut fake, config(), files.clone()).unwrap_err();
    assert!(
        matches!(&error, PushError::NoDefaultBranch { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("name one with --branch"));
    let mut first_branch = config();
    first_branch.branch = Some("main".into());
    let first = push(&mut fake, first_branch, files.clone()).unwrap();
    assert_eq!(first.branch, "main");
    let mut next = files.clone();
    next.insert(
        "src/new.ts",
        FileEntry::new(b"export {};\n".to_vec()),
        OnDuplicate::Refuse,
    )
    .unwrap();
    fake.log.clear();
    let second = push(&mut fake, config(), next.clone()).unwrap();
    assert_eq!(fake.log, [UPLOAD_CAPS, REFS, RECEIVE]);
    assert_eq!(fake.files("main"), expected(&next));
    assert!(
        second.objects_sent >= 8,
        "everything sent: {}",
        second.objects_sent
    );
    assert_eq!(
        fake.git(&["log", "--format=%P", "-1", "main"]).trim(),
        first.commit.to_hex()
    );
}

#[test]
fn a_hostile_fetch_answer_is_never_trusted_everything_is_sent() {
    let mut fake = FakeRemote::new();
    fake.create("main");
    let files = project();
    push(&mut fake, config(), files.clone()).unwrap();
    // The pack in the fetch answer is corrupted on the way: the reader refuses it.
    fake.tamper = Box::new(|key, mut response| {
        if key == UPLOAD && response.body.len() > 200 {
            let at = response.body.len() - 30;
            response.body[at] ^= 0xff;
        }
        response
    });
    let mut next = files.clone();
    next.insert(
        "src/App.tsx",
        FileEntry::new(b"changed\n".to_vec()),
        OnDuplicate::Replace,
    )
    .unwrap();
    let second = push(&mut fake, config(), next.clone()).unwrap();
    assert!(
        second.objects_sent >= 6,
        "everything sent: {}",
        second.objects_sent
    );
    assert_eq!(fake.files("main"), expected(&next));
}

#[test]
fn errors_name_the_git_server_and_never_the_token() {
    // A wrong token.
    let mut fake = FakeRemote::new();
    fake.create("main");
    let mut wrong = config();
    wrong.token = "not-the-token".into();
    let error = push(&mut fake, wrong, project()).unwrap_err();
    assert_eq!(
        error,
        PushError::BadToken {
            service: "the git server"
        }
    );
    assert!(
        error
            .to_string()
            .starts_with("the git server refused the token (401)"),
        "{error}"
    );
    // No such repository.
    let mut fake = FakeRemote::new();
    let error = push(&mut fake, config(), project()).unwrap_err();
    assert_eq!(error.code(), "not-found");
    assert!(
        error
            .to_string()
            .contains("https://git.example.test/team/app.git"),
        "{error}"
    );
    assert!(!error.to_string().contains(TOKEN));
    // What a plain remote cannot do, refused before any request.
    assert!(
        !format!("{:?}", config()).contains(TOKEN),
        "Debug never shows the token"
    );
    for (change, code) in [
        (
            Box::new(|c: &mut PushConfig| c.create = true) as Box<dyn Fn(&mut PushConfig)>,
            "needs-forge-api",
        ),
        (
            Box::new(|c: &mut PushConfig| c.repository = "http://example.com/a.git".into()),
            "bad-repository",
        ),
        (
            Box::new(|c: &mut PushConfig| c.repository = "https://ada:pw@example.com/a.git".into()),
            "bad-repository",
        ),
        (
            Box::new(|c: &mut PushConfig| {
                c.branch = Some("b".into());
                c.pull_request = Some(PullRequestSpec {
                    title: "t".into(),
                    summary: String::new(),
                });
            }),
            "needs-forge-api",
        ),
    ] {
        let mut c = config();
        change(&mut c);
        let error = GitHubPush::new(c, tree(&[("a", b"a")]))
            .err()
            .expect("refused");
        assert_eq!(error.code(), code, "{error}");
        assert!(!error.to_string().contains("pw@"), "{error}");
    }
    // Without a user name in the URL, GIT_USERNAME's (the config's), else "git".
    let mut fake = FakeRemote::new();
    fake.create("main");
    let mut named = config();
    named.repository = "https://git.example.test/team/app.git".into();
    named.username = Some("grace".into());
    push(&mut fake, named, project()).unwrap();
    assert!(fake.users.iter().all(|u| u == "grace"), "{:?}", fake.users);
}
