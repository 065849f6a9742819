//! SQL as text, safely: quoting names and values ([`quote`]), checking dates before they
//! become literals ([`time`]), splitting a file into statements ([`split`]), and applying a
//! project's SQL files to a database once each ([`migration`]; Supabase's Management API
//! drives it in `crate::destinations::supabase`). No database here: drivers run the queries and
//! hand the results back.

pub mod keywords;
pub mod migration;
pub mod quote;
pub mod split;

pub use migration::{
    files_from_tree, sql_paths, MigrationError, MigrationFailure, MigrationSummary, Migrator,
    Query, QueryResult, SqlFile,
};
pub use quote::{quote_ident, quote_literal, QuoteError};
pub use split::{split, Statement};
