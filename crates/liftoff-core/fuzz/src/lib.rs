//! The bodies of liftoff-core's fuzz targets: one `pub fn <name>(data: &[u8])` per target, listed
//! in [`TARGETS`]. Each feeds the bytes to the core's public API and must never panic, whatever
//! the bytes; where the API returns something, it checks what must hold of it (safe paths,
//! archives that read back as written, messages without hidden characters, …) and panics with a
//! message starting `invariant:` when that does not hold.
//!
//! The same bodies run under libFuzzer (`fuzz_targets/*.rs`, `cargo +nightly fuzz run <name>`)
//! and on stable Rust (`tests/replay.rs`: the corpus, the crashers and a seeded random run).

mod checks;
mod remote;
mod targets;

pub use remote::{answer, converse, remote_answers, CONVERSATIONS, START_MS, STATUSES, TOKEN};
pub use targets::{
    advertisement, base44_schema, bolt_history, bolt_parser, env_file, git_fetch, github_tree,
    lovable_json, package_edits, pktline, report_status, sql_split, tar, tar_gz, zip,
};

/// A target's body.
pub type Target = fn(&[u8]);

/// Every target by name: the names of `fuzz_targets/`, `corpus/` and `crashers/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("zip", zip),
    ("tar", tar),
    ("tar_gz", tar_gz),
    ("bolt_parser", bolt_parser),
    ("bolt_history", bolt_history),
    ("lovable_json", lovable_json),
    ("base44_schema", base44_schema),
    ("env_file", env_file),
    ("package_edits", package_edits),
    ("sql_split", sql_split),
    ("pktline", pktline),
    ("advertisement", advertisement),
    ("report_status", report_status),
    ("remote_answers", remote_answers),
    ("github_tree", github_tree),
    ("git_fetch", git_fetch),
];
