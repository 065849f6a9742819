use std::collections::BTreeMap;

use base64::Engine;

use super::*;
use crate::net::{host_of, run_blocking};
use crate::Action;

const ID: &str = "0b7f0a52-3f7e-4c4e-9a63-1c2d3e4f5a6b";
const TOKEN: &str = "eyJ-session-token-SECRET";

fn project() -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert("package.json".into(), br#"{"name":"acme"}"#.to_vec());
    files.insert(
        "src/App.tsx".into(),
        b"export default () => null;\n".to_vec(),
    );
    files.insert(
        "public/lovable-uploads/a.png".into(),
        vec![0x89, b'P', b'N', b'G', 0, 0xff],
    );
    for i in 0..20 {
        files.insert(
            format!("src/components/ui/c{i}.tsx"),
            format!("// {i}\n").into_bytes(),
        );
    }
    files
}

/// A stand-in for Lovable's API: `source_code` says whether that endpoint exists; `fail`
/// decides per (path, attempt) whether to answer with a failure instead.
struct Server {
    files: BTreeMap<String, Vec<u8>>,
    source_code: bool,
    attempts: BTreeMap<String, u32>,
    fail: fn(&str, u32) -> Option<Outcome>,
    hosts: Vec<String>,
}

impl Server {
    fn new(source_code: bool) -> Self {
        Self {
            files: project(),
            source_code,
            attempts: BTreeMap::new(),
            fail: |_, _| None,
            hosts: Vec::new(),
        }
    }

    fn send(&mut self, request: &Request) -> Outcome {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        self.hosts.push(host_of(&request.url).unwrap());
        let url = request.url.split_once("://").unwrap().1;
        let path = &url[url.find('/').unwrap()..];
        let attempt = self.attempts.entry(path.to_string()).or_default();
        *attempt += 1;
        if let Some(outcome) = (self.fail)(path, *attempt) {
            return outcome;
        }
        let ok = |body: Vec<u8>| Outcome::Response(Response::new(200, body));
        if path == format!("/projects/{ID}/source-code") {
            if !self.source_code {
                return Outcome::Response(Response::new(404, b"{\"message\":\"gone\"}".to_vec()));
            }
            let files: Vec<_> = self
                .files
                .iter()
                .map(|(name, bytes)| match String::from_utf8(bytes.clone()) {
                    Ok(text) => {
                        serde_json::json!({"name": name, "contents": text, "binary": false})
                    }
                    Err(_) => serde_json::json!({"name": name, "binary": true,
                    "contents": base64::engine::general_purpose::STANDARD.encode(bytes)}),
                })
                .collect();
            return ok(serde_json::to_vec(&serde_json::json!({"files": files})).unwrap());
        }
        if path == format!("/projects/{ID}/git/files?ref=main") {
            let files: Vec<_> = self
                .files
                .keys()
                .map(|p| serde_json::json!({"path": p}))
                .collect();
            return ok(serde_json::to_vec(&serde_json::json!({"files": files})).unwrap());
        }
        let prefix = format!("/projects/{ID}/git/file?path=");
        let Some(rest) = path.strip_prefix(&prefix) else {
            return Outcome::Response(Response::new(404, Vec::new()));
        };
        let wanted = rest.strip_suffix("&ref=main").unwrap().replace("%2F", "/");
        match self.files.get(&wanted) {
            Some(bytes) => ok(bytes.clone()),
            None => Outcome::Response(Response::new(404, Vec::new())),
        }
    }
}

fn config() -> LovableConfig {
    LovableConfig::new(ID, TOKEN)
}

fn run(server: &mut Server) -> (Result<Capture, CaptureError>, u64) {
    run_blocking(LovableExport::new(config()).unwrap(), |r| server.send(r))
}

fn tree_of(capture: &Capture) -> BTreeMap<String, Vec<u8>> {
    capture
        .tree
        .iter()
        .map(|(p, f)| (p.to_string(), f.bytes.clone()))
        .collect()
}

#[test]
fn source_code_endpoint_takes_one_request() {
    let mut server = Server::new(true);
    let (capture, sent) = run(&mut server);
    let capture = capture.unwrap();
    assert_eq!(sent, 1);
    assert_eq!(tree_of(&capture), project());
    assert_eq!(capture.name, "acme");
    assert_eq!(server.hosts, ["lovable-api.com"]);
}

#[test]
fn falls_back_to_per_file_requests_with_retries() {
    let mut server = Server::new(false);
    server.fail = |path, attempt| match (path.contains("c3.tsx") || path.contains("a.png"), attempt)
    {
        (true, 1) if path.contains("c3") => Some(Outcome::Response(
            Response::new(429, Vec::new()).with_header("retry-after", "1"),
        )),
        (true, 1) => Some(Outcome::NetworkError("connection reset".into())),
        _ => None,
    };
    let (capture, sent) = run(&mut server);
    assert_eq!(tree_of(&capture.unwrap()), project());
    let files = project().len() as u64;
    assert_eq!(
        sent,
        files + 2 + 2,
        "source-code, listing, each file once, two retries"
    );
    assert!(server.hosts[1..].iter().all(|h| h == "api.lovable.dev"));
}

#[test]
fn at_most_the_configured_requests_in_flight() {
    let mut server = Server::new(false);
    let mut export = LovableExport::new(config()).unwrap();
    let first = export.poll_transmit(0);
    assert_eq!(first.len(), 1);
    export.handle(first[0].id, server.send(&first[0].request), 0);
    let listing = export.poll_transmit(0);
    export.handle(listing[0].id, server.send(&listing[0].request), 0);
    let batch = export.poll_transmit(0);
    assert_eq!(batch.len(), 8);
    assert!(export.poll_transmit(0).is_empty());
    assert_eq!(
        export.progress(),
        Progress {
            done: 0,
            total: project().len() as u64
        }
    );
}

/// Every (progress, phase) the export shows, in order, with one answer at a time.
fn steps(server: &mut Server) -> Vec<(u64, u64, Option<Phase>)> {
    let mut export = LovableExport::new(config()).unwrap();
    let mut seen = vec![];
    let mut now = 0;
    let mut note = |e: &LovableExport| {
        let p = e.progress();
        let step = (p.done, p.total, e.phase());
        if seen.last() != Some(&step) {
            seen.push(step);
        }
    };
    note(&export);
    while !export.is_finished() {
        let batch = export.poll_transmit(now);
        if batch.is_empty() {
            now = export.next_wakeup().expect("a retry waits");
        }
        for out in batch {
            export.handle(out.id, server.send(&out.request), now);
            note(&export);
        }
    }
    seen
}

#[test]
fn progress_counts_files_and_names_the_phase_until_they_are_known() {
    let n = project().len() as u64;
    // The one-request download: no file known, then all of them.
    let seen = steps(&mut Server::new(true));
    assert_eq!(seen, [(0, 0, Some(Phase::Download)), (n, n, None)]);

    // Listed, then one file at a time; a retried request counts no file twice.
    let mut server = Server::new(false);
    server.fail = |path, attempt| {
        (path.contains("c3.tsx") && attempt == 1)
            .then(|| Outcome::NetworkError("connection reset".into()))
    };
    let seen = steps(&mut server);
    assert_eq!(
        seen[..3],
        [
            (0, 0, Some(Phase::Download)),
            (0, 0, Some(Phase::Listing)),
            (0, n, None)
        ]
    );
    let counted: Vec<u64> = seen[2..].iter().map(|&(done, _, _)| done).collect();
    assert_eq!(counted, (0..=n).collect::<Vec<_>>());
    assert!(seen[2..]
        .iter()
        .all(|&(_, total, phase)| total == n && phase.is_none()));
}

#[test]
fn bad_token_is_a_clear_error_without_the_token() {
    let mut server = Server::new(true);
    server.fail = |_, _| Some(Outcome::Response(Response::new(401, Vec::new())));
    let err = run(&mut server).0.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("refused the token"), "{text}");
    assert!(!text.contains(TOKEN));
}

#[test]
fn hostile_listing_paths_are_never_requested() {
    let mut server = Server::new(false);
    server
        .files
        .insert("../../etc/passwd".into(), b"x".to_vec());
    server.files.insert(".git/config".into(), b"x".to_vec());
    let (capture, _) = run(&mut server);
    let capture = capture.unwrap();
    assert!(server
        .attempts
        .keys()
        .all(|p| !p.contains("passwd") && !p.contains(".git")));
    let skipped: Vec<_> = capture
        .report
        .changes_with(Action::Skipped)
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(skipped, ["../../etc/passwd", ".git/config"]);
}

#[test]
fn a_file_that_keeps_failing_fails_the_export_and_names_it() {
    let mut server = Server::new(false);
    server.fail = |path, _| {
        path.contains("App.tsx")
            .then(|| Outcome::Response(Response::new(500, b"boom".to_vec())))
    };
    let err = run(&mut server).0.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Lovable answered 500 for src/App.tsx: boom"
    );
}

#[test]
fn ids_that_could_bend_the_url_are_refused() {
    for id in ["", "../admin", "a/b", "x?y=1"] {
        assert!(
            LovableExport::new(LovableConfig::new(id, TOKEN)).is_err(),
            "{id}"
        );
    }
}

#[test]
fn the_ref_the_page_reads_is_the_one_fetched() {
    use crate::pipeline::{fetch, ExportOptions};
    let options = ExportOptions {
        git_ref: Some("feature/login".into()),
        ..ExportOptions::default()
    };
    let session = fetch(&super::super::SPEC, ID, TOKEN, None, &options).unwrap();
    let mut asked = Vec::new();
    let (result, _) = run_blocking(session, |request| {
        asked.push(request.url.clone());
        // No source-code endpoint: the listing at the ref, and nothing in it.
        let listing = request.url.contains("/git/files?");
        let body = if listing {
            b"{\"files\":[]}".to_vec()
        } else {
            Vec::new()
        };
        Outcome::Response(Response::new(if listing { 200 } else { 404 }, body))
    });
    assert!(result.is_err(), "an empty project is refused");
    assert!(
        asked
            .iter()
            .any(|url| url.ends_with(&format!("/projects/{ID}/git/files?ref=feature%2Flogin"))),
        "{asked:?}"
    );
}
