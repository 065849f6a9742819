//! Liftoff's core: everything that turns a builder's project into a portable source tree,
//! a report and a zip, and ships it. It never does I/O: bytes and events go in; trees, reports,
//! zip bytes and planned HTTP requests come out, so the same code runs in the browser
//! (WebAssembly) and in the `liftoff` CLI.
//!
//! Layers, each using only those above it in this list: the foundation (`path`, `tree`,
//! `limits`, `report`, `error`, `text`, `fold`, `b64`, `archive`, `zip_write`, `net`, `sql`, `env_file`, `edit`,
//! `detect`, `capture`, `deploy`); the registries of builders (`builders`) and destinations
//! (`destinations`); `normalize`; and on top, the one export `pipeline` both front ends call,
//! and the `catalog` they show.

pub mod archive;
pub mod b64;
pub mod builders;
pub mod capture;
pub mod catalog;
pub mod deploy;
pub mod destinations;
pub mod detect;
pub mod edit;
pub mod env_file;
pub mod error;
pub mod fold;
pub mod limits;
pub mod net;
pub mod normalize;
pub mod path;
pub mod pipeline;
pub mod report;
pub mod sql;
pub mod text;
pub mod time;
pub mod tree;
pub mod zip_write;

pub use capture::{Capture, CaptureError, Input, Options};
pub use error::{Coded, Details};
pub use limits::Limits;
pub use path::{PathRejection, ProjectPath};
pub use pipeline::{Export, ExportOptions};
pub use report::{Action, Builder, Change, Report};
pub use tree::{FileEntry, SourceTree};
