//! `remote_answers`: every network conversation of the core, answered from the fuzz input.
//!
//! The input: one byte choosing the conversation (low four bits, modulo [`CONVERSATIONS`]) and a
//! variant of it (high four bits; GitHub: 1 create the repository, 2 a branch, 4 a branch and a
//! pull request; Vercel: 1 a team, 2 a named deployment to roll back to; Netlify restore: 1 a
//! named deploy; builders' fetches: 1 raw, 2 Lovable's official API with a key; checks: 1 wait
//! until they are over), then one record per request, in the order the conversation sends them:
//!
//! ```text
//! kind: u8      low 4 bits: index into STATUSES; 14 and 15: a network error (no response)
//!               high 4 bits: headers: 1 `retry-after: 1`; 2 `x-ratelimit-remaining: 0` and a
//!               reset 30 s away; 4 the content type the request expects (git's or JSON);
//!               8 `content-type: text/html`
//! length: u16   big-endian: the body's length (cut short by the end of the input)
//! body          that many bytes
//! ```
//!
//! Once the input is used up, every request gets a network error, so every conversation must
//! end. The driver is `net::run_blocking`'s loop (a virtual clock that jumps to each wakeup),
//! with checks: no more than 5,000 requests, no hang (unfinished, nothing to send, no
//! wakeup), the token never in a URL and never sent to a host other than the conversation's
//! own, the token never in the result, and errors fit to show. (When the answers themselves
//! hold the token, as a fuzzer that learnt it from these checks makes them do, a server echoing
//! it is no leak: only an `Authorization` header to another host is checked then.)

use std::fmt::{Debug, Display};

use liftoff_core::builders::base44::rows::{Base44Rows, RowsConfig};
use liftoff_core::builders::{self, BuilderSpec, Credential};
use liftoff_core::deploy::PollTiming;
use liftoff_core::destinations::github::{
    ChecksConfig, ChecksWatch, GitHubPreview, GitHubPush, PullRequestSpec, PushConfig,
};
use liftoff_core::destinations::netlify::{
    NetlifyConfig, NetlifyDeploy, NetlifyHistory, NetlifyRestore,
};
use liftoff_core::destinations::supabase::{SupabaseConfig, SupabasePush};
use liftoff_core::destinations::vercel::{
    VercelConfig, VercelDeploy, VercelHistory, VercelRollback,
};
use liftoff_core::net::{host_of, Conversation, Outcome, Request, Response};
use liftoff_core::pipeline::{fetch_as, Export, ExportOptions};
use liftoff_core::sql::SqlFile;
use liftoff_core::tree::{FileEntry, OnDuplicate};
use liftoff_core::SourceTree;

use crate::checks::{check_error, check_tree, check_zip_round_trip, MAX_REMOTE_MESSAGE_CHARS};

/// The statuses a record can answer with (index = the low four bits of its first byte).
pub const STATUSES: &[u16] = &[
    200, 201, 202, 204, 302, 400, 401, 403, 404, 409, 422, 429, 500, 502,
];

/// The conversations, by the low four bits of the input's first byte (modulo their number).
pub const CONVERSATIONS: &[&str] = &[
    "github-push",
    "vercel-deploy",
    "vercel-history",
    "vercel-rollback",
    "netlify-deploy",
    "netlify-history",
    "netlify-restore",
    "supabase-push",
    "lovable-fetch",
    "base44-fetch",
    "base44-rows",
    "github-preview",
    "github-checks",
];

/// The token every conversation is given; it must never leak.
pub const TOKEN: &str = "fuzz-secret-token-1234";
/// The virtual clock's start (epoch milliseconds, November 2023).
pub const START_MS: u64 = 1_700_000_000_000;
/// More requests than any conversation needs for its answers: a loop.
const MAX_REQUESTS: u64 = 5_000;
/// Longest input used: at three bytes a record, fewer records than `MAX_REQUESTS`.
const MAX_INPUT: usize = 12_000;
/// Longest virtual time a conversation may take (retries wait at most a minute each).
const MAX_VIRTUAL_MS: u64 = 30 * 24 * 3600 * 1000;

const GITHUB_HOSTS: &[&str] = &["api.github.com", "github.com"];
const VERCEL_HOSTS: &[&str] = &["api.vercel.com"];
const NETLIFY_HOSTS: &[&str] = &["api.netlify.com"];
const SUPABASE_HOSTS: &[&str] = &["api.supabase.com"];
const LOVABLE_HOSTS: &[&str] = &["api.lovable.dev", "lovable-api.com"];
const BASE44_HOSTS: &[&str] = &["app.base44.com"];

/// The answer one record gives to `request`: `kind` as in the module documentation.
pub fn answer(kind: u8, body: &[u8], request: &Request) -> Outcome {
    let Some(&status) = STATUSES.get(usize::from(kind & 0x0f)) else {
        return Outcome::NetworkError("fuzz: connection reset".into());
    };
    let flags = kind >> 4;
    let mut response = Response::new(status, body.to_vec());
    if flags & 1 != 0 {
        response = response.with_header("retry-after", "1");
    }
    if flags & 2 != 0 {
        let reset = START_MS / 1000 + 30;
        response = response
            .with_header("x-ratelimit-remaining", "0")
            .with_header("x-ratelimit-reset", reset.to_string());
    }
    if flags & 4 != 0 {
        let content_type = if request.url.contains("/info/refs") {
            "application/x-git-receive-pack-advertisement"
        } else if request.url.ends_with("/git-receive-pack") {
            "application/x-git-receive-pack-result"
        } else {
            "application/json"
        };
        response = response.with_header("content-type", content_type);
    }
    if flags & 8 != 0 {
        response = response.with_header("content-type", "text/html");
    }
    Outcome::Response(response)
}

/// Takes the next record of `rest` as the answer to `request`; a network error once the input
/// is used up.
fn next_answer(rest: &mut &[u8], request: &Request) -> Outcome {
    let [kind, hi, lo, ..] = **rest else {
        *rest = &[];
        return Outcome::NetworkError("fuzz: the input is used up".into());
    };
    let len = usize::from(u16::from_be_bytes([hi, lo]));
    let end = (3 + len).min(rest.len());
    let body = &rest[3..end];
    *rest = &rest[end..];
    answer(kind, body, request)
}

thread_local! {
    /// Set while the answers themselves hold the token (a fuzzer learns it from the checks'
    /// own comparisons): a server that echoes it is not a leak, so only what the conversation
    /// adds itself (an `Authorization` header to another host) is checked then.
    static ECHOED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn echoed() -> bool {
    ECHOED.with(std::cell::Cell::get)
}

/// The token as a `Basic` credential (`x-access-token:<token>`), as git requests carry it.
fn basic_credential() -> String {
    liftoff_core::b64::encode(format!("x-access-token:{TOKEN}").as_bytes())
}

/// Checks one request: the token never in a URL, and nothing of it to a host that is not
/// the conversation's own.
fn check_request(request: &Request, hosts: &[&str]) {
    let basic = basic_credential();
    assert!(
        echoed() || !request.url.contains(TOKEN),
        "invariant: the token is in a request URL: {request:?}"
    );
    let host = host_of(&request.url).unwrap_or_default();
    if hosts.contains(&host.as_str()) {
        return;
    }
    let leaks = |text: &[u8]| {
        let text = String::from_utf8_lossy(text);
        !echoed() && (text.contains(TOKEN) || text.contains(&basic))
    };
    let leaked = leaks(request.url.as_bytes())
        || request
            .headers
            .iter()
            .any(|(k, v)| k == "authorization" || leaks(v.as_bytes()))
        || leaks(&request.body);
    assert!(
        !leaked,
        "invariant: credentials sent to {host:?}, not one of {hosts:?}: {request:?}"
    );
}

/// Drives `conversation` as `net::run_blocking` does (a virtual clock that jumps to each
/// wakeup), answering from `answers`.
fn drive<C: Conversation>(
    mut conversation: C,
    answers: &mut dyn FnMut(&Request) -> Outcome,
    hosts: &[&str],
) -> C::Output {
    let mut now = START_MS;
    let mut sent = 0u64;
    let mut idle = 0u32;
    let mut progress_over: Option<(u64, u64)> = None;
    while !conversation.is_finished() {
        let progress = conversation.progress();
        if progress.done > progress.total && progress_over.is_none() {
            progress_over = Some((progress.done, progress.total));
        }
        let batch = conversation.poll_transmit(now);
        if batch.is_empty() {
            let Some(due) = conversation.next_wakeup() else {
                panic!(
                    "invariant: the conversation hangs: not finished, nothing to send, no \
                     wakeup (after {sent} requests)"
                );
            };
            idle += 1;
            assert!(
                idle < 1_000,
                "invariant: the conversation hangs: its wakeup ({due}) passes and nothing is sent"
            );
            now = now.max(due);
            assert!(
                now - START_MS <= MAX_VIRTUAL_MS,
                "invariant: the conversation runs for more than 30 days of virtual time"
            );
            continue;
        }
        idle = 0;
        for out in batch {
            sent += 1;
            assert!(
                sent <= MAX_REQUESTS,
                "invariant: the conversation sent more than {MAX_REQUESTS} requests"
            );
            check_request(&out.request, hosts);
            let outcome = answers(&out.request);
            if verbose() {
                let answered = match &outcome {
                    Outcome::Response(r) => format!("{} ({} bytes)", r.status, r.body.len()),
                    Outcome::NetworkError(e) => e.clone(),
                };
                eprintln!(
                    "  {} {} -> {answered}",
                    out.request.method.as_str(),
                    out.request.url
                );
            }
            conversation.handle(out.id, outcome, now);
        }
    }
    let output = conversation.finish();
    if let Some((done, total)) = progress_over {
        panic!("invariant: progress went past its total ({done} of {total})");
    }
    output
}

/// Whether to print each request and the result (`LIFTOFF_FUZZ_VERBOSE=1`), to see what an
/// input makes a conversation do.
fn verbose() -> bool {
    std::env::var_os("LIFTOFF_FUZZ_VERBOSE").is_some()
}

/// The result: an error fit to show without the token, or a value without the token.
fn check_output<T: Debug, E: Debug + Display>(what: &str, result: &Result<T, E>) {
    if verbose() {
        match result {
            Ok(value) => eprintln!(
                "  {what}: Ok: {}",
                liftoff_core::text::excerpt(&format!("{value:?}"))
            ),
            Err(e) => eprintln!("  {what}: Err: {e}"),
        }
    }
    match result {
        Ok(value) => {
            let shown = format!("{value:?}");
            assert!(
                echoed() || !shown.contains(TOKEN),
                "invariant: {what}: the token is in the result"
            );
        }
        Err(e) => {
            let message = e.to_string();
            assert!(
                echoed() || !message.contains(TOKEN),
                "invariant: {what}: the token is in the error: {message}"
            );
            check_error("remote error", e, MAX_REMOTE_MESSAGE_CHARS);
        }
    }
}

/// A small project: a Vite app with a `.env` (its variables go through the providers' APIs)
/// and a file git must not commit.
pub(crate) fn project() -> SourceTree {
    let files: &[(&str, &str)] = &[
        (
            "package.json",
            "{\n  \"name\": \"fuzz-app\",\n  \"scripts\": {\"build\": \"vite build\"},\n  \"devDependencies\": {\"vite\": \"^5\"}\n}\n",
        ),
        ("index.html", "<!doctype html><script type=\"module\" src=\"/src/main.js\"></script>\n"),
        ("src/main.js", "document.body.textContent = import.meta.env.VITE_API_URL;\n"),
        (".env", "VITE_API_URL=\"https://api.example.com\"\nSESSION_SALT=\"pepper\"\n"),
        (".gitignore", "dist\n"),
    ];
    let mut tree = SourceTree::new();
    for (path, text) in files {
        tree.insert(path, FileEntry::new(*text), OnDuplicate::Refuse)
            .expect("a valid path");
    }
    tree
}

/// Builds follow quickly and give up after five minutes, so a run stays short.
fn polling() -> PollTiming {
    PollTiming {
        first_ms: 1_000,
        max_ms: 10_000,
        timeout_ms: 5 * 60 * 1000,
    }
}

fn vercel(variant: u8) -> VercelConfig {
    let mut config = VercelConfig::new("fuzz-project", TOKEN);
    config.env = vec![("EXTRA_SETTING".into(), "on".into())];
    config.concurrency = 4;
    config.polling = polling();
    if variant & 1 != 0 {
        config.team_id = Some("team_fuzz".into());
    }
    config
}

fn netlify() -> NetlifyConfig {
    let mut config = NetlifyConfig::new("fuzz-site", TOKEN);
    config.env = vec![("EXTRA_SETTING".into(), "on".into())];
    config.polling = polling();
    config
}

/// An export fetched from a builder's API: a tree that is safe and zips, a usable name.
fn check_export(result: &Result<Export, liftoff_core::CaptureError>) {
    if let Ok(export) = result {
        check_tree("fetched export", &export.tree);
        check_zip_round_trip("fetched export", &export.tree);
        assert!(
            !export.name.is_empty(),
            "invariant: a fetched export without a name"
        );
    }
}

fn builder(id: &str) -> &'static BuilderSpec {
    builders::by_id(id).expect("a registered builder")
}

/// Every network conversation of the core, answered by the fuzz input (see the module
/// documentation for the format).
pub fn remote_answers(data: &[u8]) {
    let data = &data[..data.len().min(MAX_INPUT)];
    let Some((&selector, mut records)) = data.split_first() else {
        return;
    };
    let holds = |needle: &[u8]| data.windows(needle.len()).any(|w| w == needle);
    let echo = holds(TOKEN.as_bytes()) || holds(basic_credential().as_bytes());
    ECHOED.with(|e| e.set(echo));
    // Reset even when the conversation panics (the replay test catches panics and goes on).
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            ECHOED.with(|e| e.set(false));
        }
    }
    let _reset = Reset;
    converse(selector, &mut |request| next_answer(&mut records, request));
}

/// Runs the conversation `selector` chooses (see the module documentation), answering each
/// request with `answers`, and checks it and its result.
pub fn converse(selector: u8, answers: &mut dyn FnMut(&Request) -> Outcome) {
    let which = usize::from(selector & 0x0f) % CONVERSATIONS.len();
    let variant = selector >> 4;
    match CONVERSATIONS[which] {
        "github-push" | "github-preview" => {
            let mut config =
                PushConfig::new("fuzz-owner/fuzz-repo", TOKEN, "fuzz commit", 1_700_000_000);
            config.create = variant & 1 != 0;
            if variant & 2 != 0 {
                config.branch = Some("fuzz-branch".into());
            }
            if variant & 4 != 0 {
                config.branch = Some("fuzz-branch".into());
                config.pull_request = Some(PullRequestSpec {
                    title: "Export from Liftoff".into(),
                    summary: "## What changed\n\nThe builder's files, cleaned up.".into(),
                });
            }
            if CONVERSATIONS[which] == "github-push" {
                let push = GitHubPush::new(config, project()).expect("valid names");
                check_output("github push", &drive(push, answers, GITHUB_HOSTS));
            } else {
                let preview = GitHubPreview::new(config, project()).expect("valid names");
                check_output("github preview", &drive(preview, answers, GITHUB_HOSTS));
            }
        }
        "github-checks" => {
            let mut config = ChecksConfig::new("fuzz-owner/fuzz-repo", "1".repeat(40), TOKEN);
            config.wait = variant & 1 != 0;
            config.polling = PollTiming {
                first_ms: 3_000,
                max_ms: 30_000,
                timeout_ms: 5 * 60 * 1000,
            };
            config.quiet_ms = 30_000;
            let watch = ChecksWatch::new(config).expect("a valid repository and commit");
            check_output("github checks", &drive(watch, answers, GITHUB_HOSTS));
        }
        "vercel-deploy" => {
            let deploy = VercelDeploy::new(vercel(variant), &project()).expect("a valid name");
            check_output("vercel deploy", &drive(deploy, answers, VERCEL_HOSTS));
        }
        "vercel-history" => {
            let history = VercelHistory::new(vercel(variant)).expect("a valid name");
            check_output("vercel history", &drive(history, answers, VERCEL_HOSTS));
        }
        "vercel-rollback" => {
            let target = (variant & 2 != 0).then(|| "dpl_fuzz".to_string());
            let rollback = VercelRollback::new(vercel(variant), target).expect("a valid name");
            check_output("vercel rollback", &drive(rollback, answers, VERCEL_HOSTS));
        }
        "netlify-deploy" => {
            let deploy = NetlifyDeploy::new(netlify(), &project()).expect("a valid name");
            check_output("netlify deploy", &drive(deploy, answers, NETLIFY_HOSTS));
        }
        "netlify-history" => {
            let history = NetlifyHistory::new(netlify()).expect("a valid name");
            check_output("netlify history", &drive(history, answers, NETLIFY_HOSTS));
        }
        "netlify-restore" => {
            let target = (variant & 1 != 0).then(|| "deploy-fuzz".to_string());
            let restore = NetlifyRestore::new(netlify(), target).expect("a valid name");
            check_output("netlify restore", &drive(restore, answers, NETLIFY_HOSTS));
        }
        "supabase-push" => {
            let files = [
                SqlFile {
                    name: "supabase/migrations/20240101000000_init.sql".into(),
                    sql: "create table public.note (id text primary key, body text);\n\
                          alter table public.note enable row level security;\n\
                          insert into public.note values ('1', 'it''s');\n"
                        .into(),
                },
                SqlFile {
                    name: "supabase/seed.sql".into(),
                    sql: "insert into public.note values ('2', $$two$$);\n".into(),
                },
            ];
            let config = SupabaseConfig::new("abcdefghijklmnopqrst", TOKEN);
            let push = SupabasePush::new(config, &files).expect("valid files and ref");
            check_output("supabase push", &drive(push, answers, SUPABASE_HOSTS));
        }
        "lovable-fetch" | "base44-fetch" => {
            let (id, project_id, hosts) = if CONVERSATIONS[which] == "lovable-fetch" {
                ("lovable", "fuzz-project-1", LOVABLE_HOSTS)
            } else {
                ("base44", "66a1b2c3d4e5f60718293a4b", BASE44_HOSTS)
            };
            let options = ExportOptions {
                raw: variant & 1 != 0,
                ..ExportOptions::default()
            };
            // Lovable with the variant's second bit: its official API, with a key.
            let credential = if id == "lovable" && variant & 2 != 0 {
                Credential::ApiKey
            } else {
                Credential::Session
            };
            let session = fetch_as(builder(id), project_id, credential, TOKEN, None, &options)
                .expect("a valid id");
            let result = drive(session, answers, hosts);
            check_output(CONVERSATIONS[which], &result);
            check_export(&result);
        }
        "base44-rows" => {
            let mut config = RowsConfig::new(
                "66a1b2c3d4e5f60718293a4b",
                TOKEN,
                vec!["Task".into(), "Note".into()],
            );
            config.page_size = 2;
            config.max_rows = 50;
            config.max_bytes = 64 * 1024;
            let rows = Base44Rows::new(config).expect("a valid id");
            let result = drive(rows, answers, BASE44_HOSTS);
            check_output("base44 rows", &result);
            if let Ok(rows) = &result {
                let total: usize = rows.iter().map(|e| e.rows.len()).sum();
                assert!(total <= 50, "invariant: more rows than the limit ({total})");
            }
        }
        other => unreachable!("no conversation {other}"),
    }
}
