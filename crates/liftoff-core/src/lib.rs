//! Liftoff's core: everything that turns a builder's project into a portable source tree,
//! a report and a zip. It never does I/O: bytes and events go in, trees, reports and zip bytes
//! come out, so the same code runs in the browser (WebAssembly) and in the `liftoff` CLI.

pub mod archive;
pub mod b64;
pub mod base44;
pub mod bolt;
pub mod capture;
pub mod deploy;
pub mod detect;
pub mod github;
pub mod limits;
pub mod lovable;
pub mod net;
pub mod normalize;
pub mod path;
pub mod report;
pub mod sql;
pub mod tree;
pub mod zip_write;

pub use capture::{capture, Capture, CaptureError, Input, Options};
pub use limits::Limits;
pub use path::{PathRejection, ProjectPath};
pub use report::{Action, Builder, Change, Report};
pub use tree::{FileEntry, SourceTree};
