//! The project's database into the founder's database destination over HTTP (Supabase), for the
//! service worker's `fetch` driver: the export's zip goes in (its `supabase/migrations/*.sql` and
//! `supabase/seed.sql`), each file is applied once, in its own transaction. Same driving protocol
//! as `BuilderSession` (see `wire`).

use liftoff_core::destinations::{self, ApplyConversation, DatabaseTarget, Kind};
use liftoff_core::net::Conversation;
use liftoff_core::sql::{files_from_tree, MigrationFailure};
use liftoff_core::Coded;
use wasm_bindgen::prelude::*;

use crate::exported::tree_of;
use crate::wire::{driving_methods, finished, Driven};
use crate::{js_error, to_js};

/// A JavaScript `Error` for the error, with `applied`: the files applied before it (they stay).
fn database_error(error: &dyn Coded, applied: &[String]) -> JsValue {
    let js = js_error(error);
    if let Ok(list) = to_js(&applied) {
        let _ = js_sys::Reflect::set(&js, &"applied".into(), &list);
    }
    js
}

/// One run of the export's SQL against a database project, driven from JavaScript.
#[wasm_bindgen]
pub struct DatabaseSession {
    conversation: Option<ApplyConversation>,
}

#[wasm_bindgen]
impl DatabaseSession {
    /// Applies the SQL files in `zip` (an export's zip) to project `project_ref` with `token`;
    /// `api` replaces the destination's origin (tests); `destination`: a catalog id of a
    /// database reached over HTTP (Supabase by default).
    #[wasm_bindgen(constructor)]
    pub fn new(
        zip: &[u8],
        project_ref: &str,
        token: &str,
        api: Option<String>,
        destination: Option<String>,
    ) -> Result<DatabaseSession, JsValue> {
        let id = destination.unwrap_or_else(|| "supabase".into());
        let apply = match destinations::by_id(&id).map(|d| &d.kind) {
            Some(Kind::Database(database)) => database.apply,
            _ => None,
        }
        .ok_or_else(|| {
            JsError::new(&format!("{id} is not a database Liftoff reaches over HTTP"))
        })?;
        let tree = tree_of(zip)?;
        let files = files_from_tree(&tree).map_err(|e| database_error(&e, &[]))?;
        let target = DatabaseTarget {
            project: project_ref.trim().to_string(),
            token: token.trim().to_string(),
            api: api.filter(|a| !a.is_empty()),
        };
        let conversation = apply(target, &files).map_err(|e| database_error(&e, &[]))?;
        Ok(Self {
            conversation: Some(conversation),
        })
    }

    fn driven(&mut self) -> Result<&mut dyn Driven, JsError> {
        Ok(self.conversation.as_mut().ok_or_else(finished)?)
    }

    /// `{applied, already_applied, changed}` (the CLI's `db push --json` names); throws an
    /// `Error` with a `code` (`statement-failed`, `bad-token`, …), its details (`file`,
    /// `statement`) and `applied`.
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let conversation = self
            .conversation
            .take()
            .ok_or_else(|| JsValue::from(finished()))?;
        let summary = conversation
            .finish()
            .map_err(|MigrationFailure { applied, error }| database_error(&error, &applied))?;
        to_js(&summary).map_err(JsValue::from)
    }
}

driving_methods!(DatabaseSession);
