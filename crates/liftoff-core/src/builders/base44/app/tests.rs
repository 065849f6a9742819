use serde_json::json;

use super::*;
use crate::net::{run_blocking, Response};
use crate::sql::migration::SEED;

const APP: &str = "66a1b2c3d4e5f60718293a4b";
const TOKEN: &str = "b44-secret-token";

fn tar(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

const TASK: &[u8] = br#"{"name": "Task", "type": "object",
  "properties": {"title": {"type": "string"}, "done": {"type": "boolean"}},
  "required": ["title"]}"#;

fn source(with_entities: bool) -> Vec<u8> {
    let mut files: Vec<(&str, &[u8])> = vec![
        (
            "package.json",
            br#"{"name":"base44-app","dependencies":{"@base44/sdk":"^0.8.3"}}"#,
        ),
        (
            "src/api/base44Client.js",
            b"import { createClient } from '@base44/sdk';\n",
        ),
    ];
    if with_entities {
        files.push(("entities/Task", TASK));
    }
    tar(&files)
}

fn serve(r: &crate::net::Request, source: &[u8], rows_status: u16) -> Outcome {
    assert_eq!(r.header("authorization"), Some("Bearer b44-secret-token"));
    let path = r.url.strip_prefix("https://app.base44.com/").unwrap();
    if path == format!("api/apps/{APP}/eject") {
        return Outcome::Response(Response::new(200, source.to_vec()));
    }
    let rest = path
        .strip_prefix(&format!("api/apps/{APP}/entities/Task?"))
        .unwrap();
    if rows_status != 200 {
        return Outcome::Response(Response::new(
            rows_status,
            b"{\"message\":\"nope\"}".to_vec(),
        ));
    }
    let rows = if rest.contains("skip=0") {
        json!([{"id": "t1", "title": "Write the seed", "done": false,
                "created_date": "2026-11-01T10:00:00Z", "created_by": "a@b.c"},
               {"id": "t2", "title": "It's quoted", "done": true}])
    } else {
        json!([])
    };
    Outcome::Response(Response::new(200, serde_json::to_vec(&rows).unwrap()))
}

fn export(source: Vec<u8>, rows_status: u16) -> (Capture, u64) {
    let conversation = Base44AppExport::new(Base44Config::new(APP, TOKEN)).unwrap();
    let (result, sent) = run_blocking(conversation, |r| serve(r, &source, rows_status));
    (result.unwrap(), sent)
}

#[test]
fn eject_then_rows_as_the_seed() {
    let (capture, sent) = export(source(true), 200);
    assert_eq!(sent, 3, "eject, the first page, the empty page");
    let seed = String::from_utf8(capture.tree.get(SEED).unwrap().bytes.clone()).unwrap();
    assert!(seed.contains("'Write the seed'"), "{seed}");
    assert!(seed.contains("'It''s quoted'"), "{seed}");
    assert!(seed.contains("\n-- Task (2 rows) into task\n"), "{seed}");
    assert_eq!(capture.notes, ["read 2 rows of 1 entity from Base44"]);
    assert!(capture.tree.get("src/api/base44Client.js").is_some());
    assert!(
        capture.report.warnings.is_empty(),
        "{:?}",
        capture.report.warnings
    );
}

#[test]
fn no_entities_means_no_row_requests() {
    let (capture, sent) = export(source(false), 200);
    assert_eq!(sent, 1);
    assert!(capture.tree.get(SEED).is_none());
}

#[test]
fn rows_that_cannot_be_read_leave_the_source_and_a_warning() {
    let (capture, _) = export(source(true), 403);
    assert!(capture.tree.get(SEED).is_none());
    assert!(capture.tree.get("entities/Task").is_some());
    let warning = &capture.report.warnings[0];
    assert!(warning.contains("rows could not be read"), "{warning}");
    assert!(!warning.contains(TOKEN));
}

/// Every (files done, files known, phase) the export shows, in order.
fn steps(archive: &[u8]) -> Vec<(u64, u64, Option<Phase>)> {
    let mut c = Base44AppExport::new(Base44Config::new(APP, TOKEN)).unwrap();
    let note = |c: &Base44AppExport, seen: &mut Vec<_>| {
        let p = c.progress();
        let step = (p.done, p.total, c.phase());
        if seen.last() != Some(&step) {
            seen.push(step);
        }
    };
    let mut seen = vec![];
    note(&c, &mut seen);
    let mut now = 0;
    while !c.is_finished() {
        let batch = c.poll_transmit(now);
        if batch.is_empty() {
            now = c.next_wakeup().expect("a wakeup");
            continue;
        }
        for out in batch {
            c.handle(out.id, serve(&out.request, archive, 200), now);
            note(&c, &mut seen);
        }
    }
    seen
}

#[test]
fn progress_counts_the_source_files_and_names_the_download_and_the_rows() {
    assert_eq!(
        steps(&source(true)),
        [
            (0, 0, Some(Phase::Download)),
            (3, 3, Some(Phase::Data)),
            (3, 3, None)
        ]
    );
    assert_eq!(
        steps(&source(false)),
        [(0, 0, Some(Phase::Download)), (2, 2, None)]
    );
}
