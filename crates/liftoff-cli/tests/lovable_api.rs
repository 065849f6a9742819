//! `liftoff export lovable:<id>` with `LOVABLE_API_KEY`: Lovable's official `/v1` API, against
//! the node stand-in `tests/servers/lovable-v1.mjs` (which follows docs.lovable.dev's API
//! reference), over real sockets: every file byte for byte at the commit the project reports
//! (the stand-in's newer commit must not leak in), a refused key, a 429 retried after its
//! `Retry-After`, and Lovable Cloud named in the report and LIFTOFF.md.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use common::{liftoff, read_tree};

const KEY: &str = "lov_cli-test-key-SECRET-42";
const ID: &str = "3f0e9c2a-7b4d-4e1a-9c6f-2d8b5a1e7c40";
const REPORTED_SHA: &str = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The stand-in, killed on drop.
struct StandIn {
    child: Child,
    origin: String,
}

impl StandIn {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new("node")
            .arg(repo().join("tests/servers/lovable-v1.mjs"))
            .args(["--fixture", "tests/fixtures/lovable/expected", "--key", KEY])
            .args(args)
            .current_dir(repo())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs the stand-in (the e2e suites need it too)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let started: Value = serde_json::from_str(&line).expect("the stand-in prints its origin");
        Self {
            child,
            origin: started["origin"].as_str().unwrap().to_string(),
        }
    }

    fn stats(&self) -> Value {
        let host = self.origin.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(host).unwrap();
        use std::io::{Read, Write};
        write!(
            stream,
            "GET /__stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        let body = text.split_once("\r\n\r\n").unwrap().1;
        serde_json::from_str(body).unwrap()
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn every_file_byte_for_byte_at_the_reported_commit_with_a_429_retried() {
    let stand_in = StandIn::start(&["--fail-429", "src/App.tsx", "--fail-429", "listing"]);
    let dir = tempfile::tempdir().unwrap();
    let input = format!("lovable:{ID}");
    let started = Instant::now();
    let out = liftoff(
        &[
            "export",
            &input,
            "--raw",
            "--api",
            &stand_in.origin,
            "-o",
            "tree",
            "--report",
            "-",
        ],
        dir.path(),
        &[("LOVABLE_API_KEY", KEY), ("LOVABLE_TOKEN", "not-used")],
    );
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let expected = read_tree(&repo().join("tests/fixtures/lovable/expected"));
    let got = read_tree(&dir.path().join("tree"));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &expected {
        assert!(
            got[path] == *bytes,
            "{path} differs from the reported commit"
        );
    }
    // Both 429s waited for their Retry-After (1 s) on the real clock.
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    let stats = stand_in.stats();
    let requests = stats["requests"].as_array().unwrap();
    let app: Vec<&Value> = requests
        .iter()
        .filter(|r| r["target"] == "src/App.tsx")
        .collect();
    assert_eq!(app.len(), 2, "the 429, then the file: {app:#?}");
    assert_eq!(app[1]["status"], 200);
    for r in requests {
        assert_eq!(r["version"], "2026-09-11", "{r}");
        assert_eq!(r["auth"], "ok", "{r}");
        let target = r["target"].as_str().unwrap();
        if target != "project" && target != "database" {
            let path = r["path"].as_str().unwrap();
            assert!(path.contains(&format!("ref={REPORTED_SHA}")), "{path}");
        }
    }
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["builder"], "lovable");
    assert_eq!(report["backend"]["kind"], "lovable-cloud");
    assert_eq!(report["backend"]["confirmed"], true);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(KEY) && !stderr.contains(KEY));
}

#[test]
fn a_refused_key_is_named_and_a_missing_one_explained() {
    let stand_in = StandIn::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let input = format!("lovable:{ID}");
    let out = liftoff(
        &["export", &input, "--api", &stand_in.origin, "-o", "x.zip"],
        dir.path(),
        &[("LOVABLE_API_KEY", "lov_revoked-key")],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Lovable refused the API key (401)"),
        "{stderr}"
    );
    assert!(!stderr.contains("lov_revoked-key"));
    assert!(!dir.path().join("x.zip").exists());

    let out = liftoff(&["export", &input, "-o", "x.zip"], dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("set LOVABLE_TOKEN") && stderr.contains("LOVABLE_API_KEY"),
        "{stderr}"
    );
}

#[test]
fn lovable_cloud_is_named_in_the_report_and_liftoff_md_and_the_founders_supabase_is_not() {
    for (database, cloud) in [("lovable-cloud", true), ("supabase", false)] {
        let stand_in = StandIn::start(&["--database", database]);
        let dir = tempfile::tempdir().unwrap();
        let out = liftoff(
            &[
                "export",
                &format!("lovable:{ID}"),
                "--api",
                &stand_in.origin,
                "-o",
                "tree",
                "--report",
                "-",
            ],
            dir.path(),
            &[("LOVABLE_API_KEY", KEY)],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let backend = &report["backend"];
        assert_eq!(backend["confirmed"], true, "{backend}");
        assert_eq!(backend["supabase_ref"], "qpzkvmtdlrwhenbxyjas");
        let warned = report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("Lovable Cloud"));
        let md = std::fs::read_to_string(dir.path().join("tree/LIFTOFF.md")).unwrap();
        if cloud {
            assert_eq!(backend["kind"], "lovable-cloud");
            assert!(warned, "{report:#}");
            assert!(md.contains("## Lovable Cloud"));
            for words in ["sessions", "secrets", "OAuth settings", "queryDatabase"] {
                assert!(md.contains(words), "LIFTOFF.md names {words}");
            }
        } else {
            assert_eq!(backend["kind"], "supabase");
            assert!(!warned && !md.contains("## Lovable Cloud"), "{report:#}");
        }
    }
}

#[test]
fn the_lovable_cloud_fixture_gets_the_report_entry_from_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = repo().join("tests/fixtures/lovable-cloud/project");
    let out = liftoff(
        &[
            "export",
            fixture.to_str().unwrap(),
            "-o",
            "tree",
            "--report",
            "-",
        ],
        dir.path(),
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["builder"], "lovable");
    let backend = &report["backend"];
    assert_eq!(backend["kind"], "lovable-cloud", "{report:#}");
    assert_eq!(backend["confirmed"], false);
    assert_eq!(backend["supabase_ref"], "xkqwmvbnzrtyhplcjdse");
    let md = std::fs::read_to_string(dir.path().join("tree/LIFTOFF.md")).unwrap();
    assert!(md.contains("## Lovable Cloud"), "{md}");
    assert!(md.contains("re-pointing the project at your own Supabase"));
}
