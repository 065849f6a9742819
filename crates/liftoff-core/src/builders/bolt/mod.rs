//! Bolt (bolt.new and bolt.diy): the `<boltArtifact>` message parser, the reader of a dump of
//! the browser's `boltHistory` IndexedDB, and the pass that removes `.bolt/` and bolt.new's
//! images. A Bolt download (a zip whose files sit under `project/`) is an archive like any other.

pub mod history;
mod normalize;
pub mod parser;

pub use history::{read_history, BoltHistoryError, BoltProject};
pub use parser::{parse_actions, BoltAction};

use serde_json::Value;

use super::{mark, BuilderSpec, JsonFormat, Mark};
use crate::capture::{CaptureError, Options, Read};
use crate::error::Coded;
use crate::report::{Builder, Report};

/// Bolt's row of the registry.
pub const SPEC: BuilderSpec = BuilderSpec {
    builder: Builder::registered("bolt"),
    display: "Bolt",
    word: "project",
    address: "bolt.new/~/…",
    hosts: &["bolt.new"],
    marks: MARKS,
    passes: &[normalize::remove_bolt],
    json: Some(JsonFormat {
        shape: "a Bolt history dump {\"chats\": [...], \"snapshots\": [...]}",
        accepts: is_history_dump,
        read: read_dump,
    }),
    remote: None,
    notes: super::no_notes,
};

const MARKS: &[Mark] = &[
    mark(|m| m.any_under(".bolt/")),
    mark(|m| m.package_name().starts_with("sb1-")),
    mark(|m| m.any_text(&["index.html"], "bolt.new/")),
];

fn is_history_dump(json: &Value) -> bool {
    json.get("chats").is_some_and(Value::is_array)
}

/// The chat `options.chat` (or the most recent) of a `boltHistory` dump.
fn read_dump(
    name: &str,
    bytes: &[u8],
    options: &Options,
    report: &mut Report,
) -> Result<Read, CaptureError> {
    let project =
        read_history(name, bytes, options.chat.as_deref(), report).map_err(CaptureError::format)?;
    Ok(Read {
        source_name: name.into(),
        title: project.description.clone().or(project.url_id.clone()),
        tree: project.tree,
        commands: project.commands,
    })
}

impl Coded for BoltHistoryError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownChat { .. } => "unknown-chat",
            Self::Malformed { .. } | Self::NoChats { .. } => "bad-history",
        }
    }
}
