//! Lovable (lovable.dev): its `source-code` JSON and the conversation with its API that
//! fetches a project.

pub mod api;
pub mod source_code;

pub use api::{LovableConfig, LovableExport};
pub use source_code::{parse_source_code, SourceCodeError};
