//! The builders Liftoff exports from, one folder each, registered in [`ALL`]. A builder's folder
//! owns everything about it: its names, the marks that tell its projects apart, the formats only
//! it produces, the conversation that fetches a project from its API, and the passes that remove
//! its lock-in. The rest of the core (capture, normalization, the pipeline, the front ends
//! through the catalog) asks this registry and names no builder itself.

pub mod base44;
pub mod bolt;
pub mod lovable;
mod marks;

pub use marks::{detect_builder, mark, Mark, TreeView, VITE_CONFIGS};

use serde_json::Value;

use crate::capture::{Capture, CaptureError, Options, Read};
use crate::edit::{Edits, Pass};
use crate::net::Boxed;
use crate::report::{Builder, Report};

/// Everything the rest of Liftoff needs to know about one builder.
pub struct BuilderSpec {
    /// Its id: the report's `builder`, `--builder`, the `<id>:` of a fetched input.
    pub builder: Builder,
    /// Its name as people write it (`Bolt`).
    pub display: &'static str,
    /// What it calls a person's work (`project`, `app`).
    pub word: &'static str,
    /// Where a person finds one, as the popup names it (`lovable.dev/projects/…`).
    pub address: &'static str,
    /// Where its editor runs (the extension's content scripts match these hosts).
    pub hosts: &'static [&'static str],
    /// The signs in a tree that it made the project (most marks wins).
    pub marks: &'static [Mark],
    /// The passes that remove its lock-in, run on every export before the generic passes
    /// (each acts only on what it recognises, so a project that went through two builders loses
    /// both builders' marks).
    pub passes: &'static [Pass],
    /// A JSON format only it produces, read from a file the user gives.
    pub json: Option<JsonFormat>,
    /// Its API, when a project can be fetched from it (`<id>:<project>` inputs).
    pub remote: Option<RemoteSpec>,
    /// What it adds to LIFTOFF.md, given the normalized tree and report.
    pub notes: fn(&Edits<'_>) -> Notes,
}

/// What a builder adds to LIFTOFF.md.
#[derive(Debug, Default, Clone, Copy)]
pub struct Notes {
    /// A section after the secrets (what the database needs, when the export holds its SQL).
    pub section: Option<&'static str>,
    /// What now serves the places that tied the code to the builder (the Base44 off-ramp), read
    /// before the migration plan.
    pub offramp: Option<&'static str>,
}

/// For builders that add nothing to LIFTOFF.md.
pub fn no_notes(_: &Edits<'_>) -> Notes {
    Notes::default()
}

/// A builder's own JSON format (Bolt's history dump, Lovable's `source-code` response).
pub struct JsonFormat {
    /// What it looks like, for the error when no format takes a JSON input.
    pub shape: &'static str,
    /// Whether a parsed JSON value is this format (by its keys).
    pub accepts: fn(&Value) -> bool,
    /// Reads it (the bytes, for formats parsed their own way) into a tree; refusals go into the
    /// report.
    pub read: fn(&str, &[u8], &Options, &mut Report) -> Result<Read, CaptureError>,
}

/// A builder's API: how a project is fetched with the person's session token.
pub struct RemoteSpec {
    /// The environment variable the CLI reads the session token from (never a flag).
    pub token_var: &'static str,
    /// The environment variable of a key for the builder's official, documented API, when it
    /// has one (Lovable's `LOVABLE_API_KEY`); with a key, the official API is used.
    pub key_var: Option<&'static str>,
    /// Where a person makes that key (the options page's help); empty without one.
    pub key_help: &'static str,
    /// The origins of its API, the only places the token goes (an `api` override replaces them
    /// all, for tests); the extension's host permissions name exactly these.
    pub origins: &'static [&'static str],
    /// Starts the conversation that fetches the project.
    pub start: fn(Fetch) -> Result<FetchConversation, CaptureError>,
}

/// What a front end asks of a builder's API: the same fields from the popup and the CLI.
#[derive(Clone)]
pub struct Fetch {
    /// The project's (or app's) id on the builder.
    pub id: String,
    /// The person's session token, or the official API's key ([`Fetch::credential`]); sent only
    /// to the builder's API.
    pub token: String,
    /// What `token` is.
    pub credential: Credential,
    /// Origin override (tests); the builder's own API otherwise.
    pub api: Option<String>,
    pub options: Options,
    /// Whether to fetch the data too (a Base44 app's rows), not only the source: false when the
    /// person keeps the builder's files exactly as they are.
    pub data: bool,
    /// The git ref to read where the builder's API reads one (see `ExportOptions::git_ref`).
    pub git_ref: Option<String>,
}

impl std::fmt::Debug for Fetch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetch")
            .field("id", &self.id)
            .field("token", &"<redacted>")
            .field("credential", &self.credential)
            .field("api", &self.api)
            .field("data", &self.data)
            .finish_non_exhaustive()
    }
}

/// What a fetch's token is: the page's session (undocumented endpoints), or a key for the
/// builder's official API ([`RemoteSpec::key_var`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Credential {
    #[default]
    Session,
    ApiKey,
}

/// A fetch from any builder, driven as one type.
pub type FetchConversation = Boxed<Result<Capture, CaptureError>>;

/// Every builder, in the order detection breaks ties.
pub const ALL: &[&BuilderSpec] = &[&bolt::SPEC, &lovable::SPEC, &base44::SPEC];

/// The builder with id `name`.
pub fn by_id(name: &str) -> Option<&'static BuilderSpec> {
    ALL.iter().copied().find(|s| s.builder.as_str() == name)
}

/// The registered builder a report names, if any (`plain` and `unknown` are none).
pub fn spec_of(builder: Builder) -> Option<&'static BuilderSpec> {
    by_id(builder.as_str())
}

/// How people write the builder's name: `Bolt`; `None` for `plain` and `unknown`.
pub fn display_name(builder: Builder) -> Option<&'static str> {
    spec_of(builder).map(|s| s.display)
}

/// The builder and project id of a `<builder>:<id>` input (`lovable:4f2c…`), for builders with
/// an API.
pub fn remote_input(text: &str) -> Option<(&'static BuilderSpec, &str)> {
    let (prefix, id) = text.split_once(':')?;
    let spec = by_id(prefix).filter(|s| s.remote.is_some())?;
    Some((spec, id))
}

#[cfg(test)]
mod tests;
