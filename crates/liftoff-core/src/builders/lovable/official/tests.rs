use std::collections::BTreeMap;

use super::*;
use crate::error::Coded;
use crate::net::run_blocking;

const ID: &str = "0b7f0a52-3f7e-4c4e-9a63-1c2d3e4f5a6b";
const KEY: &str = "lov_test-key-SECRET";
const OLD: &str = "1111111111111111111111111111111111111111";
const NEW: &str = "2222222222222222222222222222222222222222";

fn commit(sha: &str) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert("package.json".into(), br#"{"name":"acme"}"#.to_vec());
    files.insert("src/App.tsx".into(), format!("// at {sha}\n").into_bytes());
    files.insert(
        "public/lovable-uploads/a b.png".into(),
        vec![0x89, b'P', b'N', b'G', 0, 0xff, 0xfe],
    );
    for i in 0..12 {
        files.insert(format!("src/c{i}.ts"), format!("// {i}\n").into_bytes());
    }
    files
}

/// A stand-in for the documented `/v1` endpoints: the project reports `OLD` as its latest
/// commit while `NEW` (other contents) also exists, so a read at the wrong ref is caught.
struct Server {
    commits: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    page: usize,
    raw_files: bool,
    database: Value,
    fail: fn(&str, u32) -> Option<Outcome>,
    attempts: BTreeMap<String, u32>,
}

impl Server {
    fn new() -> Self {
        let mut commits = BTreeMap::new();
        commits.insert(OLD.to_string(), commit(OLD));
        commits.insert(NEW.to_string(), commit(NEW));
        Self {
            commits,
            page: 5,
            raw_files: false,
            database: serde_json::json!({"enabled": true, "provider": "lovable_cloud",
                "project_ref": "qpzkvmtdlrwhenbxyjas"}),
            fail: |_, _| None,
            attempts: BTreeMap::new(),
        }
    }

    fn send(&mut self, request: &Request) -> Outcome {
        assert_eq!(request.header("lovable-api-key"), Some(KEY));
        assert_eq!(request.header("lovable-version"), Some(API_VERSION));
        assert_eq!(request.header("authorization"), None);
        let url = request.url.split_once("://").unwrap().1;
        let target = &url[url.find('/').unwrap()..];
        let attempt = self.attempts.entry(target.to_string()).or_default();
        *attempt += 1;
        if let Some(outcome) = (self.fail)(target, *attempt) {
            return outcome;
        }
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                .map(str::to_string)
        };
        let json = |status: u16, v: Value| {
            Outcome::Response(
                Response::new(status, serde_json::to_vec(&v).unwrap())
                    .with_header("content-type", "application/json"),
            )
        };
        let base = format!("/v1/projects/{ID}");
        if path == base {
            return json(
                200,
                serde_json::json!({"id": ID, "latest_commit_sha": OLD,
                "preview_url": "https://id-preview--x.lovable.app", "workspace_id": "w"}),
            );
        }
        if path == format!("{base}/database") {
            return json(200, self.database.clone());
        }
        let sha = param("ref").expect("every read names the ref");
        let files = self.commits.get(&sha).expect("a known commit");
        if path == format!("{base}/files") {
            let start: usize = param("cursor").map_or(0, |c| c.parse().unwrap());
            let names: Vec<&String> = files.keys().skip(start).take(self.page).collect();
            let more = start + self.page < files.len();
            return json(
                200,
                serde_json::json!({
                    "files": names.iter().map(|n| serde_json::json!({"path": n, "type": "file"}))
                        .chain(std::iter::once(serde_json::json!({"path": "src", "type": "dir"})))
                        .collect::<Vec<_>>(),
                    "pagination": {"has_more": more,
                        "next_cursor": more.then(|| (start + self.page).to_string())},
                }),
            );
        }
        let name = path.strip_prefix(&format!("{base}/files/")).unwrap();
        let name = name.replace("%20", " ");
        let Some(bytes) = files.get(&name) else {
            return json(
                404,
                serde_json::json!({"status": 404, "title": "Not Found"}),
            );
        };
        if self.raw_files {
            return Outcome::Response(Response::new(200, bytes.clone()));
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => json(
                200,
                serde_json::json!({"path": name, "content": text,
                "encoding": "utf-8"}),
            ),
            Err(_) => json(
                200,
                serde_json::json!({"path": name, "encoding": "base64",
                "content": b64::encode(bytes)}),
            ),
        }
    }
}

fn export(server: &mut Server) -> (Result<Capture, CaptureError>, u64) {
    let mut config = LovableApiConfig::new(ID, KEY);
    config.api = "https://api.test".into();
    run_blocking(LovableApiExport::new(config).unwrap(), |r| server.send(r))
}

/// Like `run_blocking` (a virtual clock jumping to each wakeup), with when each URL was sent.
fn export_timed(server: &mut Server) -> (Result<Capture, CaptureError>, Vec<(String, u64)>) {
    let mut config = LovableApiConfig::new(ID, KEY);
    config.api = "https://api.test".into();
    let mut conversation = LovableApiExport::new(config).unwrap();
    let (mut now, mut sent) = (0, Vec::new());
    while !conversation.is_finished() {
        let batch = conversation.poll_transmit(now);
        if batch.is_empty() {
            now = now.max(conversation.next_wakeup().expect("not stalled"));
            continue;
        }
        for out in batch {
            sent.push((out.request.url.clone(), now));
            let outcome = server.send(&out.request);
            conversation.handle(out.id, outcome, now);
        }
    }
    (conversation.finish(), sent)
}

#[test]
fn every_file_byte_for_byte_at_the_reported_commit_across_pages() {
    for raw_files in [false, true] {
        let mut server = Server::new();
        server.raw_files = raw_files;
        let captured = export(&mut server).0.unwrap();
        let expected = commit(OLD);
        assert_eq!(captured.tree.len(), expected.len());
        for (path, bytes) in &expected {
            assert_eq!(&captured.tree.get(path).unwrap().bytes, bytes, "{path}");
        }
        let backend = captured.report.backend.unwrap();
        assert_eq!(backend.kind, "lovable-cloud");
        assert!(backend.confirmed);
        assert_eq!(
            backend.supabase_ref.as_deref(),
            Some("qpzkvmtdlrwhenbxyjas")
        );
    }
}

#[test]
fn a_refused_key_says_so() {
    let mut server = Server::new();
    server.fail = |_, _| {
        Some(Outcome::Response(Response::new(
            401,
            br#"{"status":401,"title":"Authorization header required","type":"unauthorized"}"#
                .to_vec(),
        )))
    };
    let error = export(&mut server).0.unwrap_err();
    assert_eq!(error.code(), "bad-token");
    let message = error.to_string();
    assert!(message.contains("refused the API key (401)"), "{message}");
    assert!(!message.contains(KEY));
}

#[test]
fn rate_limits_and_server_errors_are_retried_after_the_wait_asked() {
    let mut server = Server::new();
    server.fail = |target, attempt| {
        (target.contains("/files/src/App.tsx") && attempt == 1)
            .then(|| {
                Outcome::Response(
                    Response::new(429, b"{}".to_vec()).with_header("retry-after", "7"),
                )
            })
            .or_else(|| {
                (target.ends_with("/files?ref=1111111111111111111111111111111111111111")
                    && attempt == 1)
                    .then(|| Outcome::Response(Response::new(503, b"busy".to_vec())))
            })
    };
    let (captured, sent) = export_timed(&mut server);
    let captured = captured.unwrap();
    assert_eq!(
        captured.tree.get("src/App.tsx").unwrap().bytes,
        format!("// at {OLD}\n").into_bytes()
    );
    let app: Vec<u64> = sent
        .iter()
        .filter(|(url, _)| url.contains("/files/src/App.tsx"))
        .map(|(_, at)| *at)
        .collect();
    assert_eq!(app.len(), 2, "{sent:?}");
    assert!(
        app[1] - app[0] >= 7_000,
        "Retry-After: 7 waited on the virtual clock ({app:?})"
    );
    let listings = sent
        .iter()
        .filter(|(u, _)| u.contains("/files?ref="))
        .count();
    assert!(
        listings >= 4,
        "the 503 retried, then every page ({listings})"
    );
}

#[test]
fn other_errors_carry_the_apis_title_and_request_id() {
    let mut server = Server::new();
    server.fail = |target, _| {
        target.ends_with(&format!("/v1/projects/{ID}")).then(|| {
            Outcome::Response(Response::new(
                402,
                br#"{"status":402,"title":"Payment Required","type":"payment_required","detail":"upgrade","request_id":"r1"}"#.to_vec(),
            ))
        })
    };
    let message = export(&mut server).0.unwrap_err().to_string();
    assert!(
        message.contains("402") && message.contains("Payment Required: upgrade (request id r1)"),
        "{message}"
    );
}

#[test]
fn no_commit_no_export_and_a_missing_database_is_no_failure() {
    let mut server = Server::new();
    server.database = serde_json::json!({"enabled": false});
    let captured = export(&mut server).0.unwrap();
    assert!(captured.report.backend.is_none());

    let mut server = Server::new();
    server.fail = |target, _| {
        target.ends_with(&format!("/v1/projects/{ID}")).then(|| {
            Outcome::Response(
                Response::new(200, br#"{"id":"x"}"#.to_vec())
                    .with_header("content-type", "application/json"),
            )
        })
    };
    let message = export(&mut server).0.unwrap_err().to_string();
    assert!(message.contains("latest_commit_sha"), "{message}");
}

#[test]
fn database_answers_of_every_shape() {
    let cases = [
        (
            serde_json::json!({"provider": "supabase"}),
            Some("supabase"),
        ),
        (
            serde_json::json!({"data": {"is_lovable_cloud": true}}),
            Some("lovable-cloud"),
        ),
        (
            serde_json::json!({"managed_by": "Lovable"}),
            Some("lovable-cloud"),
        ),
        (serde_json::json!({"status": "ok"}), None),
    ];
    for (value, kind) in cases {
        assert_eq!(
            backend_of(&value).map(|b| b.kind).as_deref(),
            kind,
            "{value}"
        );
    }
}

#[test]
fn the_key_never_shows_in_a_requests_debug() {
    let export = LovableApiExport::new(LovableApiConfig::new(ID, KEY)).unwrap();
    let shown = format!("{:?}", export.request(&Job::Project));
    assert!(!shown.contains(KEY), "{shown}");
}
