//! Reading a dump of bolt.diy's `boltHistory` IndexedDB (`{"chats": [...], "snapshots": [...]}`)
//! into the project a chat holds: the snapshot's files, then the file actions of every later
//! assistant message, exactly as bolt.diy restores a chat.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use thiserror::Error;

use super::parser::{parse_message, BoltAction};
use crate::report::{RecordedCommand, Report};
use crate::tree::{FileEntry, OnDuplicate, SourceTree};

/// The folder of the WebContainer that every Bolt path lives under.
const WORKDIR: &str = "/home/project/";

/// What the content script hands over: the records of both object stores.
#[derive(Debug, Deserialize)]
pub struct HistoryDump {
    pub chats: Vec<ChatRecord>,
    #[serde(default)]
    pub snapshots: Vec<SnapshotRecord>,
}

/// A record of the `chats` store.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatRecord {
    pub id: String,
    #[serde(default)]
    pub url_id: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub messages: Vec<MessageRecord>,
}

/// One chat message. `content` is a string, or (newer AI SDK) a list of parts.
#[derive(Debug, Deserialize)]
pub struct MessageRecord {
    #[serde(default)]
    pub id: Option<String>,
    pub role: String,
    #[serde(default)]
    pub content: Value,
}

/// A record of the `snapshots` store.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotRecord {
    pub chat_id: String,
    pub snapshot: Snapshot,
}

/// The files of a chat at one message.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    #[serde(default)]
    pub chat_index: Option<String>,
    #[serde(default)]
    pub files: BTreeMap<String, Option<SnapshotEntry>>,
}

/// A file or folder in a snapshot.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum SnapshotEntry {
    File {
        #[serde(default)]
        content: String,
        #[serde(default, rename = "isBinary")]
        is_binary: bool,
    },
    Folder {},
}

/// The project one chat holds.
#[derive(Debug)]
pub struct BoltProject {
    pub chat_id: String,
    pub url_id: Option<String>,
    /// The chat's description (Bolt sets it from the artifact's title).
    pub description: Option<String>,
    pub tree: SourceTree,
    pub commands: Vec<RecordedCommand>,
}

/// Why a history dump could not be read.
#[derive(Debug, Error)]
pub enum BoltHistoryError {
    #[error("{name}: not a Bolt history dump ({detail})")]
    Malformed { name: String, detail: String },
    #[error("{name}: the Bolt history holds no chat")]
    NoChats { name: String },
    #[error("{name}: no chat with id or urlId '{wanted}'; available: {available}")]
    UnknownChat {
        name: String,
        wanted: String,
        available: String,
    },
}

/// Reads the dump (`name` is used in messages) and rebuilds the chat `chat` (an id or urlId),
/// or the most recent chat. Skipped files and warnings go into `report`.
pub fn read_history(
    name: &str,
    json: &[u8],
    chat: Option<&str>,
    report: &mut Report,
) -> Result<BoltProject, BoltHistoryError> {
    let dump: HistoryDump =
        serde_json::from_slice(json).map_err(|e| BoltHistoryError::Malformed {
            name: crate::text::excerpt(name),
            detail: crate::text::excerpt(&e.to_string()),
        })?;
    let HistoryDump {
        mut chats,
        snapshots,
    } = dump;
    let index = choose_chat(name, &chats, chat)?;
    let record = chats.swap_remove(index);
    let snapshot = snapshots
        .into_iter()
        .find(|s| s.chat_id == record.id)
        .map(|s| s.snapshot);
    Ok(rebuild(record, snapshot, report))
}

/// The index of the chat to export: the one named, or the most recent by timestamp.
fn choose_chat(
    name: &str,
    chats: &[ChatRecord],
    wanted: Option<&str>,
) -> Result<usize, BoltHistoryError> {
    if chats.is_empty() {
        return Err(BoltHistoryError::NoChats {
            name: crate::text::excerpt(name),
        });
    }
    match wanted {
        Some(wanted) => chats
            .iter()
            .position(|c| c.id == wanted || c.url_id.as_deref() == Some(wanted))
            .ok_or_else(|| BoltHistoryError::UnknownChat {
                name: crate::text::excerpt(name),
                wanted: crate::text::excerpt(wanted),
                available: crate::text::excerpt(
                    &chats
                        .iter()
                        .map(|c| c.url_id.clone().unwrap_or_else(|| c.id.clone()))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            }),
        // ISO 8601 timestamps order as strings; a chat without one sorts first.
        None => Ok(chats
            .iter()
            .enumerate()
            .max_by(|(_, a), (_, b)| a.timestamp.cmp(&b.timestamp))
            .map(|(i, _)| i)
            .expect("non-empty")),
    }
}

/// Restores the chat as bolt.diy does: the snapshot, when its `chatIndex` names one of the
/// chat's messages, then the actions of every later message; otherwise every message.
fn rebuild(record: ChatRecord, snapshot: Option<Snapshot>, report: &mut Report) -> BoltProject {
    let mut tree = SourceTree::new();
    let mut commands = Vec::new();
    let snapshot_at = snapshot.as_ref().and_then(|s| {
        let at = s.chat_index.as_deref()?;
        record
            .messages
            .iter()
            .position(|m| m.id.as_deref() == Some(at))
    });
    let replay_from = match (snapshot, snapshot_at) {
        (Some(snapshot), Some(at)) => {
            restore_snapshot(snapshot, &mut tree, report);
            at + 1
        }
        (Some(_), None) => {
            report.warnings.push(
                "the chat's snapshot names a message the chat does not have; \
                 rebuilt the project from all messages instead"
                    .into(),
            );
            0
        }
        (None, _) => 0,
    };
    for message in &record.messages[replay_from..] {
        if message.role != "assistant" {
            continue;
        }
        let parsed = parse_message(&message_text(&message.content));
        for action in parsed.actions {
            apply_action(action, &mut tree, &mut commands, report);
        }
        if let Some(error) = parsed.error {
            // bolt.diy stops acting on a message at this point too; say so.
            let id = message.id.as_deref().unwrap_or("?");
            report.warnings.push(format!(
                "message {id}: {error}; Bolt ignored the rest of that message, and so did the export"
            ));
        }
    }
    BoltProject {
        chat_id: record.id,
        url_id: record.url_id,
        description: record.description,
        tree,
        commands,
    }
}

/// A message's text: the string itself, or the text parts joined.
fn message_text(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(""),
        _ => String::new(),
    }
}

/// A Bolt path made relative to the project: `/home/project/x` → `x`; other absolute paths
/// lie outside the project.
fn project_relative(raw: &str) -> Option<&str> {
    match raw.strip_prefix(WORKDIR) {
        Some(rest) => Some(rest),
        None if raw.starts_with('/') => None,
        None => Some(raw),
    }
}

fn restore_snapshot(snapshot: Snapshot, tree: &mut SourceTree, report: &mut Report) {
    for (raw, entry) in snapshot.files {
        let Some(SnapshotEntry::File { content, is_binary }) = entry else {
            continue;
        };
        let Some(path) = project_relative(&raw) else {
            report.skip(raw, "outside the project folder /home/project");
            continue;
        };
        let bytes = if !is_binary {
            content.into_bytes()
        } else if content.is_empty() {
            report.skip(
                path,
                "binary file whose bytes the Bolt page does not hold; download the project \
                 from Bolt and export that zip to include it",
            );
            continue;
        } else {
            match crate::b64::decode(content.trim(), crate::b64::Alphabet::Standard) {
                Ok(bytes) => bytes,
                Err(e) => {
                    report.skip(
                        path,
                        format!("binary file with invalid base64 content: {e}"),
                    );
                    continue;
                }
            }
        };
        tree.insert_or_report(path, FileEntry::new(bytes), OnDuplicate::Replace, report);
    }
}

fn apply_action(
    action: BoltAction,
    tree: &mut SourceTree,
    commands: &mut Vec<RecordedCommand>,
    report: &mut Report,
) {
    let write = |raw: &str, content: String, tree: &mut SourceTree, report: &mut Report| {
        match project_relative(raw) {
            Some(path) => {
                let entry = FileEntry::new(content.into_bytes());
                tree.insert_or_report(path, entry, OnDuplicate::Replace, report);
            }
            None => report.skip(raw, "outside the project folder /home/project"),
        }
    };
    match action {
        BoltAction::File { file_path, content } => write(&file_path, content, tree, report),
        BoltAction::Shell { command } => commands.push(RecordedCommand {
            kind: "shell".into(),
            command,
        }),
        BoltAction::Start { command } => commands.push(RecordedCommand {
            kind: "start".into(),
            command,
        }),
        BoltAction::Supabase {
            operation,
            file_path: Some(file_path),
            content,
        } if operation == "migration" => write(&file_path, content, tree, report),
        BoltAction::Supabase { operation, .. } => report.warnings.push(format!(
            "Bolt ran a Supabase {operation} in its own project; it is not part of the files"
        )),
        BoltAction::Other {
            action_type,
            file_path,
            ..
        } => report.warnings.push(format!(
            "a Bolt '{action_type}' action{} was not applied: only whole-file actions are \
             replayed; check that file",
            file_path.map(|p| format!(" on {p}")).unwrap_or_default()
        )),
    }
}

#[cfg(test)]
mod tests;
