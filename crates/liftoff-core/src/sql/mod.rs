//! SQL as text, safely: quoting names and values ([`quote`]), checking dates before they
//! become literals ([`time`]), splitting a file into statements ([`split`]), and applying a
//! project's SQL files to a database once each ([`push`]; over Supabase's Management API:
//! [`supabase`]). No database here: drivers run the queries and hand the results back.

pub mod keywords;
pub mod push;
pub mod quote;
pub mod split;
pub mod supabase;
pub mod time;

pub use push::{
    files_from_tree, sql_paths, Migrator, PushError, PushFailure, PushSummary, Query, QueryResult,
    SqlFile,
};
pub use quote::{quote_ident, quote_literal, QuoteError};
pub use split::{split, Statement};
pub use supabase::{SupabaseConfig, SupabasePush};
