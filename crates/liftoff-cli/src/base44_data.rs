//! A Base44 app's rows as the export's seed, shared by `liftoff export base44:<app-id>` and
//! `liftoff db push base44:<app-id>`: the entity names from the tree's schemas, every row read
//! through Base44's API by the core's [`Base44Rows`] (driven by [`http::drive`]), then
//! `supabase/seed.sql` written by [`add_seed`], which keeps the rows that do not fit their
//! table whole in `liftoff_unmapped_rows` and names them in the report.

use std::path::Path;

use liftoff_core::base44::rows::{Base44Rows, RowsConfig, RowsError};
use liftoff_core::base44::schema::schema_of_tree;
use liftoff_core::base44::seed::{add_seed, Seed};
use liftoff_core::normalize::Edits;
use liftoff_core::sql::push::SEED;

use crate::http;
use crate::progress::bar;

/// The app id of a `base44:<app-id>` input (one that is not a path on disk).
pub fn remote_app(input: &Path) -> Option<&str> {
    input
        .to_str()
        .filter(|_| !input.exists())
        .and_then(|text| text.strip_prefix("base44:"))
}

/// Reads every row of the app's entities from `api` (default: Base44's own origin) and writes
/// them as `supabase/seed.sql`, unless the tree already has a seed or declares no entity. The
/// token is asked for only when rows are to be read. Returns the seed written, if any.
pub fn add_rows_seed<E: From<RowsError>>(
    edits: &mut Edits<'_>,
    app_id: &str,
    api: Option<&str>,
    token: impl FnOnce() -> Result<String, E>,
) -> Result<Option<Seed>, E> {
    if edits.has(SEED) {
        return Ok(None);
    }
    let (schema, _) = schema_of_tree(edits.tree);
    let entities: Vec<String> = schema.tables.iter().map(|t| t.entity.clone()).collect();
    if entities.is_empty() {
        return Ok(None);
    }
    let mut config = RowsConfig::new(app_id, token()?, entities);
    if let Some(api) = api {
        config.api = api.to_string();
    }
    let pb = bar("rows", 1);
    let rows = http::drive(Base44Rows::new(config)?, |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    })?;
    pb.finish_and_clear();
    let seed = add_seed(edits, &rows);
    let read: usize = rows.iter().map(|e| e.rows.len()).sum();
    eprintln!(
        "liftoff: read {read} rows of {} entities from Base44{}",
        rows.len(),
        match seed.unmapped.len() {
            0 => String::new(),
            n => format!("; {n} did not fit their table and go whole into liftoff_unmapped_rows"),
        }
    );
    Ok(Some(seed))
}
