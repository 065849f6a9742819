//! Base44 (base44.com): the app's source through the eject endpoint, its rows through the SDK's
//! list call, its entity schemas as a SQL migration and its rows as a seed, and the passes that
//! remove its vite plugin and put the off-ramp (its SDK on the founder's own Supabase) in place.

pub mod app;
pub mod eject;
pub(crate) mod normalize;
pub mod offramp;
pub mod rows;
pub mod schema;
pub mod seed;

pub use app::Base44AppExport;
pub use eject::{Base44Config, Base44Eject};

use super::{mark, BuilderSpec, Fetch, FetchConversation, Mark, Notes, RemoteSpec};
use crate::capture::CaptureError;
use crate::edit::Edits;
use crate::net::Boxed;
use crate::report::Builder;

/// Base44's row of the registry.
pub const SPEC: BuilderSpec = BuilderSpec {
    builder: Builder::registered("base44"),
    display: "Base44",
    word: "app",
    address: "app.base44.com/apps/…",
    hosts: &["app.base44.com"],
    marks: MARKS,
    passes: &[normalize::remove_base44, schema::add_entities_migration],
    json: None,
    remote: Some(RemoteSpec {
        token_var: "BASE44_TOKEN",
        key_var: None,
        key_help: "",
        origins: &["https://app.base44.com"],
        start: fetch,
    }),
    notes,
};

/// The database's notes when the export holds the entities migration; the off-ramp's when it is
/// in place in a Base44 app.
fn notes(edits: &Edits<'_>) -> Notes {
    let base44 = edits.report.builder == SPEC.builder;
    Notes {
        section: schema::existing_migration(edits.tree).and_then(|_| schema::database_notes_md()),
        offramp: (base44 && offramp::in_place(edits.tree))
            .then(offramp::notes_md)
            .flatten(),
    }
}

const MARKS: &[Mark] = &[
    mark(|m| m.has("base44/.app.jsonc")),
    mark(|m| m.has("src/api/base44Client.js")),
    mark(|m| m.dependency("@base44/sdk")),
    mark(|m| m.dependency("@base44/vite-plugin")),
    mark(|m| m.package_name() == "base44-app"),
    mark(|m| m.any_text(&["src/lib/app-params.js"], "base44")),
];

/// Fetches an app: the eject, then (with `data`) every entity's rows into `supabase/seed.sql`.
///
/// The one rule for rows, the same in the browser and the CLI: the rows are a bonus to the
/// source. When they cannot be read the export still comes out, without `supabase/seed.sql` and
/// with a warning that says why (and `db push` applies the schema; run it again once the rows
/// can be read, and it adds the seed). A partial seed is never written.
fn fetch(fetch: Fetch) -> Result<FetchConversation, CaptureError> {
    let mut config = Base44Config::new(fetch.id, fetch.token);
    if let Some(api) = fetch.api {
        config.api = api;
    }
    config.options = fetch.options;
    Ok(if fetch.data {
        Boxed::new(Base44AppExport::new(config)?)
    } else {
        Boxed::new(Base44Eject::new(config)?)
    })
}
