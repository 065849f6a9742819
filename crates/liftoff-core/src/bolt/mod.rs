//! Bolt (bolt.new and bolt.diy): the `<boltArtifact>` message parser and the reader of a dump
//! of the browser's `boltHistory` IndexedDB.

pub mod history;
pub mod parser;

pub use history::{read_history, BoltHistoryError, BoltProject};
pub use parser::{parse_actions, BoltAction};
