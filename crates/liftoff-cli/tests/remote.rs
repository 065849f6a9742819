//! `liftoff export lovable:<id>` and `base44:<id>` against local stand-ins that follow the
//! endpoints in `../shared/brief/builders.md` (Lovable's `source-code`, `git/files`,
//! `git/file`; Base44's `eject`), over real sockets, with injected failures.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::thread;

const TOKEN: &str = "lovable-session-SECRET-123";
const ID: &str = "6f1c2b9e-1111-4a2b-8c3d-123456789abc";

/// What the stand-in does with one request: answer, or drop the connection.
enum Reply {
    Answer(u16, Vec<(&'static str, String)>, Vec<u8>),
    Drop,
}

type Handler = dyn Fn(&str, u32, Option<&str>) -> Reply + Send + Sync;

/// A one-thread-per-connection HTTP/1.1 server that records every request path.
struct Stub {
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Stub {
    fn start(handler: Box<Handler>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::from(handler);
        let seen = Arc::clone(&log);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = Arc::clone(&handler);
                let seen = Arc::clone(&seen);
                thread::spawn(move || serve(stream, &*handler, &seen));
            }
        });
        Self { port, log }
    }

    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
        let mut auth = None;
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).unwrap();
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap();
            match name.to_ascii_lowercase().as_str() {
                "authorization" => auth = Some(value.trim().to_string()),
                "content-length" => length = value.trim().parse().unwrap(),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let attempt = {
            let mut log = log.lock().unwrap();
            log.push(path.clone());
            log.iter().filter(|p| **p == path).count() as u32
        };
        match handler(&path, attempt, auth.as_deref()) {
            Reply::Drop => return,
            Reply::Answer(status, headers, body) => {
                let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
                for (k, v) in headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                stream.write_all(head.as_bytes()).unwrap();
                stream.write_all(&body).unwrap();
            }
        }
    }
}

fn project() -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert(
        "README.md".into(),
        b"# Welcome to your Lovable project\n".to_vec(),
    );
    files.insert(
        "package.json".into(),
        br#"{"name":"vite_react_shadcn_ts"}"#.to_vec(),
    );
    files.insert("bun.lockb".into(), vec![0, 1, 2, 0xff, 0xfe, 0x80]);
    files.insert(
        "public/lovable-uploads/9f1e.png".into(),
        vec![0x89, b'P', b'N', b'G', 0, 0, 0xff],
    );
    for i in 0..12 {
        files.insert(
            format!("src/components/ui/c{i}.tsx"),
            format!("export const c{i} = {i};\n").into_bytes(),
        );
    }
    files
}

fn liftoff(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_liftoff"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("LOVABLE_TOKEN")
        .env_remove("BASE44_TOKEN");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let rel = format!("{prefix}{}", e.file_name().to_str().unwrap());
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &format!("{rel}/"), out);
            } else {
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, "", &mut out);
    out
}

/// Lovable's per-file endpoints, without `source-code` (404), with a 429 and a dropped
/// connection injected on the first attempts of two files.
fn lovable_git_only(path: &str, attempt: u32, auth: Option<&str>) -> Reply {
    if auth != Some(&format!("Bearer {TOKEN}")) {
        return Reply::Answer(401, vec![], b"{\"message\":\"unauthorized\"}".to_vec());
    }
    let files = project();
    if path.ends_with("/source-code") {
        return Reply::Answer(404, vec![], b"{\"message\":\"not found\"}".to_vec());
    }
    if path == format!("/projects/{ID}/git/files?ref=main") {
        let list: Vec<_> = files
            .keys()
            .map(|p| serde_json::json!({"path": p, "size": 1}))
            .collect();
        return Reply::Answer(
            200,
            vec![],
            serde_json::to_vec(&serde_json::json!({"files": list})).unwrap(),
        );
    }
    let prefix = format!("/projects/{ID}/git/file?path=");
    let Some(rest) = path.strip_prefix(&prefix) else {
        return Reply::Answer(404, vec![], vec![]);
    };
    let wanted = rest.trim_end_matches("&ref=main").replace("%2F", "/");
    match (wanted.as_str(), attempt) {
        ("bun.lockb", 1) => Reply::Answer(429, vec![("retry-after", "0".into())], vec![]),
        ("src/components/ui/c3.tsx", 1) => Reply::Drop,
        _ => match files.get(&wanted) {
            Some(bytes) => Reply::Answer(200, vec![], bytes.clone()),
            None => Reply::Answer(404, vec![], vec![]),
        },
    }
}

#[test]
fn lovable_per_file_fetch_survives_429_and_a_dropped_connection() {
    let stub = Stub::start(Box::new(lovable_git_only));
    let dir = tempfile::tempdir().unwrap();
    let input = format!("lovable:{ID}");
    let origin = stub.origin();
    let out = liftoff(
        &[
            "export", &input, "--raw", "--api", &origin, "-o", "tree", "--report", "-",
        ],
        dir.path(),
        &[("LOVABLE_TOKEN", TOKEN)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(read_tree(&dir.path().join("tree")), project());
    let requests = stub.requests();
    let files = project().len();
    assert_eq!(
        requests.len(),
        files + 2 + 2,
        "source-code, listing, files, two retries: {requests:#?}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["builder"], "lovable");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN));
}

#[test]
fn lovable_source_code_is_one_request() {
    let stub = Stub::start(Box::new(|path: &str, _, _| {
        if !path.ends_with("/source-code") {
            return Reply::Answer(500, vec![], vec![]);
        }
        let files: Vec<_> = project()
            .into_iter()
            .map(|(name, bytes)| match String::from_utf8(bytes.clone()) {
                Ok(t) if !name.ends_with(".png") => {
                    serde_json::json!({"name": name, "contents": t, "binary": false})
                }
                _ => serde_json::json!({"name": name, "binary": true, "contents": base64(&bytes)}),
            })
            .collect();
        Reply::Answer(
            200,
            vec![],
            serde_json::to_vec(&serde_json::json!({"files": files})).unwrap(),
        )
    }));
    let dir = tempfile::tempdir().unwrap();
    let out = liftoff(
        &[
            "export",
            &format!("lovable:{ID}"),
            "--api",
            &stub.origin(),
            "-o",
            "p.zip",
        ],
        dir.path(),
        &[("LOVABLE_TOKEN", TOKEN)],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stub.requests().len(), 1);
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn lovable_bad_token_and_missing_token() {
    let stub = Stub::start(Box::new(lovable_git_only));
    let dir = tempfile::tempdir().unwrap();
    let input = format!("lovable:{ID}");
    let out = liftoff(
        &["export", &input, "--api", &stub.origin(), "-o", "x.zip"],
        dir.path(),
        &[("LOVABLE_TOKEN", "wrong-token")],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Lovable refused the token (401)"),
        "{stderr}"
    );
    assert!(!dir.path().join("x.zip").exists());

    let out = liftoff(&["export", &input, "-o", "x.zip"], dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("set LOVABLE_TOKEN"));
}

#[test]
fn base44_eject_tar_gz_and_plain_tar() {
    for gzipped in [true, false] {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in [
            (
                "app/src/api/base44Client.js",
                &b"import { createClient } from '@base44/sdk';\n"[..],
            ),
            (
                "app/entities/Task",
                b"{\"name\":\"Task\",\"type\":\"object\",\"properties\":{}}",
            ),
            ("app/public/logo.png", b"\x89PNG\x00\xff"),
        ] {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, name, data).unwrap();
        }
        let tar = b.into_inner().unwrap();
        let body = if gzipped {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&tar).unwrap();
            gz.finish().unwrap()
        } else {
            tar
        };
        let stub = Stub::start(Box::new(move |path: &str, attempt, auth| {
            match (path, attempt, auth) {
                (_, _, a) if a != Some("Bearer b44-token") => Reply::Answer(401, vec![], vec![]),
                ("/api/apps/66a1b2c3d4e5f60718293a4b/eject", 1, _) => {
                    Reply::Answer(503, vec![], vec![])
                }
                ("/api/apps/66a1b2c3d4e5f60718293a4b/eject", _, _) => {
                    Reply::Answer(200, vec![], body.clone())
                }
                _ => Reply::Answer(404, vec![], vec![]),
            }
        }));
        let dir = tempfile::tempdir().unwrap();
        let out = liftoff(
            &[
                "export",
                "base44:66a1b2c3d4e5f60718293a4b",
                "--api",
                &stub.origin(),
                "-o",
                "t",
                "--report",
                "-",
            ],
            dir.path(),
            &[("BASE44_TOKEN", "b44-token")],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tree = read_tree(&dir.path().join("t"));
        assert_eq!(tree["public/logo.png"], b"\x89PNG\x00\xff");
        assert!(
            tree.contains_key("entities/Task"),
            "the single top folder is unwrapped"
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["builder"], "base44");
        assert_eq!(stub.requests().len(), 2);
    }
}
