use base64::Engine;
use serde_json::json;

use super::*;
use crate::report::Action;

fn artifact(actions: &str) -> String {
    format!("Here you go.\n<boltArtifact id=\"a\" title=\"T\">{actions}</boltArtifact>\nDone.")
}

fn file_action(path: &str, body: &str) -> String {
    format!("<boltAction type=\"file\" filePath=\"{path}\">{body}</boltAction>")
}

fn read(dump: serde_json::Value, chat: Option<&str>) -> (BoltProject, Report) {
    let mut report = Report::default();
    let bytes = serde_json::to_vec(&dump).unwrap();
    let project = read_history("history.json", &bytes, chat, &mut report).unwrap();
    (project, report)
}

fn text(p: &BoltProject, path: &str) -> String {
    String::from_utf8(p.tree.get(path).expect(path).bytes.clone()).unwrap()
}

#[test]
fn replays_messages_without_snapshot() {
    let dump = json!({"chats": [{
    "id": "1", "urlId": "app", "description": "My App", "timestamp": "2026-01-01T00:00:00Z",
    "messages": [
        {"id": "m1", "role": "user", "content": artifact(&file_action("user.txt", "no"))},
        {"id": "m2", "role": "assistant", "content": artifact(&format!("{}{}",
            file_action("/home/project/src/a.ts", "one"),
            "<boltAction type=\"shell\">npm install</boltAction>"))},
        {"id": "m3", "role": "assistant", "content": artifact(&file_action("src/a.ts", "two"))},
    ]}]});
    let (p, report) = read(dump, None);
    assert_eq!(p.tree.len(), 1, "user messages are not replayed");
    assert_eq!(text(&p, "src/a.ts"), "two\n");
    assert_eq!(
        p.commands,
        [RecordedCommand {
            kind: "shell".into(),
            command: "npm install".into()
        }]
    );
    assert!(report.changes.is_empty());
}

#[test]
fn snapshot_then_later_messages_only() {
    let png = [0x89u8, b'P', b'N', b'G', 0, 0xff, 0xfe];
    let b64 = base64::engine::general_purpose::STANDARD.encode(png);
    let dump = json!({
        "chats": [{"id": "1", "urlId": "app", "messages": [
            {"id": "m1", "role": "assistant", "content": artifact(&file_action("src/old.ts", "old"))},
            {"id": "m2", "role": "assistant", "content": artifact(&file_action("src/a.ts", "snap"))},
            {"id": "m3", "role": "assistant", "content": artifact(&file_action("src/a.ts", "after"))},
        ]}],
        "snapshots": [{"chatId": "1", "snapshot": {"chatIndex": "m2", "files": {
            "/home/project/src": {"type": "folder"},
            "/home/project/src/a.ts": {"type": "file", "content": "snap\n", "isBinary": false},
            "/home/project/logo.png": {"type": "file", "content": b64, "isBinary": true},
            "/home/project/watched.png": {"type": "file", "content": "", "isBinary": true},
            "/etc/hosts": {"type": "file", "content": "x", "isBinary": false},
        }}}],
    });
    let (p, report) = read(dump, Some("app"));
    assert_eq!(text(&p, "src/a.ts"), "after\n");
    assert_eq!(p.tree.get("logo.png").unwrap().bytes, png);
    assert!(
        p.tree.get("src/old.ts").is_none(),
        "messages before the snapshot are not replayed"
    );
    assert!(
        p.tree.get("watched.png").is_none(),
        "never an empty file for a binary"
    );
    let skipped: Vec<_> = report
        .changes_with(Action::Skipped)
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(skipped, ["/etc/hosts", "watched.png"]);
}

#[test]
fn snapshot_at_unknown_message_falls_back_to_all_messages() {
    let dump = json!({
        "chats": [{"id": "1", "messages": [
            {"id": "m1", "role": "assistant", "content": artifact(&file_action("a.txt", "a"))},
        ]}],
        "snapshots": [{"chatId": "1", "snapshot": {"chatIndex": "gone", "files": {
            "/home/project/b.txt": {"type": "file", "content": "b", "isBinary": false},
        }}}],
    });
    let (p, report) = read(dump, None);
    assert_eq!(p.tree.len(), 1);
    assert_eq!(text(&p, "a.txt"), "a\n");
    assert_eq!(report.warnings.len(), 1);
}

#[test]
fn chooses_chat_by_hint_or_recency() {
    let chat = |id: &str, url: &str, ts: &str, file: &str| {
        json!({
            "id": id, "urlId": url, "timestamp": ts,
            "messages": [{"id": "m", "role": "assistant", "content": artifact(&file_action(file, "x"))}],
        })
    };
    let dump = json!({"chats": [
        chat("1", "older", "2026-01-01T00:00:00.000Z", "old.txt"),
        chat("2", "newer", "2026-03-01T00:00:00.000Z", "new.txt"),
    ]});
    assert_eq!(read(dump.clone(), None).0.chat_id, "2");
    assert_eq!(read(dump.clone(), Some("older")).0.chat_id, "1");
    assert_eq!(
        read(dump.clone(), Some("1")).0.url_id.as_deref(),
        Some("older")
    );
    let err = read_history(
        "h.json",
        dump.to_string().as_bytes(),
        Some("nope"),
        &mut Report::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "h.json: no chat with id or urlId 'nope'; available: older, newer"
    );
}

#[test]
fn malformed_dumps_are_errors() {
    let mut r = Report::default();
    let err = read_history("h.json", b"{\"chats\": 5}", None, &mut r).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("h.json: not a Bolt history dump"),
        "{err}"
    );
    let err = read_history("h.json", b"{\"chats\": []}", None, &mut r).unwrap_err();
    assert!(matches!(err, BoltHistoryError::NoChats { .. }));
}

#[test]
fn hostile_action_paths_are_refused() {
    let dump = json!({"chats": [{"id": "1", "messages": [
        {"id": "m", "role": "assistant", "content": artifact(&format!("{}{}{}",
            file_action("../../escape.sh", "x"),
            file_action("/root/.ssh/authorized_keys", "x"),
            file_action(".git/config", "x")))},
    ]}]});
    let (p, report) = read(dump, None);
    assert!(p.tree.is_empty());
    assert_eq!(report.changes_with(Action::Skipped).count(), 3);
}

#[test]
fn message_parts_are_read() {
    let dump = json!({"chats": [{"id": "1", "messages": [
        {"id": "m", "role": "assistant", "content": [
            {"type": "text", "text": artifact(&file_action("a.txt", "parts"))}]},
    ]}]});
    assert_eq!(text(&read(dump, None).0, "a.txt"), "parts\n");
}

#[test]
fn a_broken_action_is_reported_like_bolt_stops_there() {
    let broken = artifact(&format!(
        "{}<boltAction type=\"file\">no path</boltAction>{}",
        file_action("a.txt", "kept"),
        file_action("b.txt", "never")
    ));
    let dump = json!({"chats": [{"id": "1", "messages": [
        {"id": "m9", "role": "assistant", "content": broken},
    ]}]});
    let (p, report) = read(dump, None);
    assert_eq!(text(&p, "a.txt"), "kept\n");
    assert!(p.tree.get("b.txt").is_none());
    assert_eq!(report.warnings.len(), 1);
    assert!(
        report.warnings[0].starts_with("message m9: a file action has no filePath"),
        "{:?}",
        report.warnings
    );
}
