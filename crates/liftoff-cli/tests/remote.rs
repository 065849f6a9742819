//! `liftoff export lovable:<id>` and `base44:<id>` against local stand-ins that follow the
//! endpoints in `../shared/brief/builders.md` (Lovable's `source-code`, `git/files`,
//! `git/file`; Base44's `eject` and the entities list call), over real sockets, with injected
//! failures.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use common::stub::{Reply, Stub, StubRequest};
use common::{liftoff, read_tree};

const TOKEN: &str = "lovable-session-SECRET-123";
const ID: &str = "6f1c2b9e-1111-4a2b-8c3d-123456789abc";

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

/// Lovable's per-file endpoints, without `source-code` (404), with a 429 and a dropped
/// connection injected on the first attempts of two files.
fn lovable_git_only(request: &StubRequest<'_>) -> Reply {
    let (path, attempt, auth) = (request.path, request.attempt, request.auth);
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
    let stub = Stub::start(Box::new(|request: &StubRequest<'_>| {
        let path = request.path;
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
        let stub = Stub::start(Box::new(move |request: &StubRequest<'_>| {
            let (path, attempt, auth) = (request.path, request.attempt, request.auth);
            match (path, attempt, auth) {
                (_, _, a) if a != Some("Bearer b44-token") => Reply::Answer(401, vec![], vec![]),
                ("/api/apps/66a1b2c3d4e5f60718293a4b/eject", 1, _) => {
                    Reply::Answer(503, vec![], vec![])
                }
                ("/api/apps/66a1b2c3d4e5f60718293a4b/eject", _, _) => {
                    Reply::Answer(200, vec![], body.clone())
                }
                (p, _, _) if p.starts_with("/api/apps/66a1b2c3d4e5f60718293a4b/entities/Task?") => {
                    Reply::json(200, b"[]".to_vec())
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
        let requests = stub.requests();
        assert_eq!(
            requests.len(),
            3,
            "eject twice, one empty page: {requests:#?}"
        );
        assert!(tree.contains_key("supabase/seed.sql"));
    }
}

const B44_TOKEN: &str = "b44-session-SECRET-456";
/// Rows per page the stand-in answers at most (Liftoff asks for more).
const PAGE_CAP: usize = 50;

fn base44_data() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/base44-data")
}

/// The Base44 data fixture's `expected.json`.
fn fixture_expected() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(base44_data().join("expected.json")).unwrap()).unwrap()
}

/// The Base44 data fixture's app id.
fn fixture_app_id() -> String {
    fixture_expected()["app_id"].as_str().unwrap().to_string()
}

/// The fixture's rows by entity, as Base44's list call answers them.
fn fixture_rows() -> BTreeMap<String, Vec<serde_json::Value>> {
    let mut rows = BTreeMap::new();
    for e in std::fs::read_dir(base44_data().join("rows")).unwrap() {
        let path = e.unwrap().path();
        let entity = path.file_stem().unwrap().to_str().unwrap().to_string();
        let list: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        rows.insert(entity, list);
    }
    rows
}

/// Base44's eject (a tar.gz of the fixture app) and list calls (pages of at most
/// [`PAGE_CAP`] fixture rows, in `skip` order); the first attempt at RSVP's second page is a
/// 429.
fn base44_data_api(app_id: String) -> Stub {
    base44_data_api_refusing(app_id, None)
}

/// [`base44_data_api`], refusing every list call of entity `refused` with a 403.
fn base44_data_api_refusing(app_id: String, refused: Option<&'static str>) -> Stub {
    let mut tar = tar::Builder::new(Vec::new());
    for (path, data) in read_tree(&base44_data().join("app")) {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append_data(&mut h, path, data.as_slice()).unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar.into_inner().unwrap()).unwrap();
    let eject = gz.finish().unwrap();
    let rows = fixture_rows();
    Stub::start(Box::new(move |request: &StubRequest<'_>| {
        if request.auth != Some(&format!("Bearer {B44_TOKEN}")) {
            return Reply::json(401, br#"{"message":"Unauthorized"}"#.to_vec());
        }
        let Some(rest) = request.path.strip_prefix(&format!("/api/apps/{app_id}/")) else {
            return Reply::json(404, b"{}".to_vec());
        };
        if rest == "eject" {
            return Reply::Answer(200, vec![], eject.clone());
        }
        let Some((entity, query)) = rest
            .strip_prefix("entities/")
            .and_then(|r| r.split_once('?'))
        else {
            return Reply::json(404, b"{}".to_vec());
        };
        let params: BTreeMap<&str, &str> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .collect();
        let (Some(all), Ok(skip), Ok(limit)) = (
            rows.get(entity),
            params["skip"].parse::<usize>(),
            params["limit"].parse::<usize>(),
        ) else {
            return Reply::json(404, b"{}".to_vec());
        };
        if Some(entity) == refused {
            return Reply::json(403, br#"{"message":"Forbidden"}"#.to_vec());
        }
        if entity == "RSVP" && skip == PAGE_CAP && request.attempt == 1 {
            return Reply::Answer(429, vec![("retry-after", "0".into())], vec![]);
        }
        let from = skip.min(all.len());
        let to = (from + limit.min(PAGE_CAP)).min(all.len());
        Reply::json(200, serde_json::to_vec(&all[from..to]).unwrap())
    }))
}

#[test]
fn base44_export_reads_every_row_into_the_seed_and_names_the_misfits() {
    let expected = fixture_expected();
    let app_id = expected["app_id"].as_str().unwrap().to_string();
    let stub = base44_data_api(app_id.clone());
    let dir = tempfile::tempdir().unwrap();
    let input = format!("base44:{app_id}");
    let out = liftoff(
        &[
            "export",
            &input,
            "--api",
            &stub.origin(),
            "-o",
            "app",
            "--report",
            "-",
        ],
        dir.path(),
        &[("BASE44_TOKEN", B44_TOKEN)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("read 420 rows of 4 entities from Base44; 6 did not fit their table"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(B44_TOKEN) && !stderr.contains(B44_TOKEN));

    let tree = read_tree(&dir.path().join("app"));
    assert!(
        tree.keys().any(|p| p.starts_with("supabase/migrations/")
            && p.ends_with("_liftoff_base44_entities.sql")),
        "{:?}",
        tree.keys().collect::<Vec<_>>()
    );
    let seed = String::from_utf8(tree["supabase/seed.sql"].clone()).unwrap();
    let rows = fixture_rows();
    assert_eq!(rows.values().map(Vec::len).sum::<usize>(), 420);
    for (entity, list) in &rows {
        for row in list {
            let id = row["id"].as_str().unwrap();
            assert!(seed.contains(id), "{entity} row {id} is not in the seed");
        }
    }
    assert!(seed.contains("liftoff_unmapped_rows"));

    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["path"] == "supabase/seed.sql" && c["action"] == "added"),
        "{:#}",
        report["changes"]
    );
    let warnings: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for misfit in expected["unmapped"].as_array().unwrap() {
        let entity = misfit["entity"].as_str().unwrap();
        if !seen.insert(entity) {
            continue;
        }
        // The first misfit of each entity is named, with its id and reason.
        let id = misfit["id"].as_str().unwrap();
        let reason = misfit["reason"].as_str().unwrap();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&format!("Base44 entity {entity}:"))
                    && w.contains("liftoff_unmapped_rows")
                    && w.contains(id)
                    && w.contains(reason)),
            "{entity} {id}: {warnings:#?}"
        );
    }

    // Paging: RSVP's 200 rows come in pages of 50 (the stand-in caps the asked 500), the
    // second one retried after a 429, until an empty page.
    let requests = stub.requests();
    let rsvp: Vec<&String> = requests
        .iter()
        .filter(|r| r.contains("/entities/RSVP?"))
        .collect();
    assert_eq!(rsvp.len(), 6, "{rsvp:#?}");
    for skip in [0, 50, 100, 150, 200] {
        assert!(
            rsvp.iter()
                .any(|r| r.contains("limit=500") && r.ends_with(&format!("&skip={skip}"))),
            "skip={skip}: {rsvp:#?}"
        );
    }
}

#[test]
fn base44_raw_export_reads_no_rows() {
    let app_id = fixture_app_id();
    let stub = base44_data_api(app_id.clone());
    let dir = tempfile::tempdir().unwrap();
    let out = liftoff(
        &[
            "export",
            &format!("base44:{app_id}"),
            "--raw",
            "--api",
            &stub.origin(),
            "-o",
            "app",
        ],
        dir.path(),
        &[("BASE44_TOKEN", B44_TOKEN)],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        read_tree(&dir.path().join("app")),
        read_tree(&base44_data().join("app")),
        "--raw: the builder's files exactly as they are"
    );
    assert_eq!(stub.requests(), [format!("GET /api/apps/{app_id}/eject")]);
}

#[test]
fn base44_rows_that_cannot_be_read_leave_the_export_whole_without_a_seed_and_say_why() {
    let app_id = fixture_app_id();
    let stub = base44_data_api_refusing(app_id.clone(), Some("RSVP"));
    let dir = tempfile::tempdir().unwrap();
    let out = liftoff(
        &[
            "export",
            &format!("base44:{app_id}"),
            "--api",
            &stub.origin(),
            "-o",
            "app",
            "--report",
            "-",
        ],
        dir.path(),
        &[("BASE44_TOKEN", B44_TOKEN)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("liftoff: warning: the app's rows could not be read"),
        "{stderr}"
    );
    let tree = read_tree(&dir.path().join("app"));
    assert!(
        !tree.contains_key("supabase/seed.sql"),
        "never a partial seed"
    );
    assert!(
        tree.keys()
            .any(|p| p.ends_with("_liftoff_base44_entities.sql")),
        "the schema is still there"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains("no supabase/seed.sql")));
}
