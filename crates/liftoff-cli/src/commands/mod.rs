//! One module per command; each parses its own arguments (their names are a contract) and does
//! the I/O around a core call. `source` is what every command that takes a project shares.

pub mod aws;
pub mod build;
pub mod db;
pub mod deploy;
pub mod export;
pub mod push;
pub mod source;
pub mod ssh;
