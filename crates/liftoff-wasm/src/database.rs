//! The project's database into the founder's Supabase, for the service worker's `fetch`
//! driver: the export's zip goes in (its `supabase/migrations/*.sql` and `supabase/seed.sql`),
//! each file is applied once, in its own transaction, through the Management API's query
//! endpoint. Same driving protocol as `BuilderSession` (see `wire`).

use liftoff_core::archive::read_archive;
use liftoff_core::net::Conversation;
use liftoff_core::sql::{files_from_tree, PushError, PushFailure, SupabaseConfig, SupabasePush};
use liftoff_core::{Limits, Report};
use wasm_bindgen::prelude::*;

use crate::wire::{driving_methods, finished, Driven};
use crate::{capture_error, to_js};

/// A JavaScript `Error` with the message, a stable `code`, and the files applied before it.
fn database_error(error: &PushError, applied: &[String]) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    let _ = js_sys::Reflect::set(&js, &"code".into(), &error.code().into());
    if let Ok(list) = to_js(&applied) {
        let _ = js_sys::Reflect::set(&js, &"applied".into(), &list);
    }
    js.into()
}

/// One run of the export's SQL against a Supabase project, driven from JavaScript.
#[wasm_bindgen]
pub struct DatabaseSession {
    machine: Option<SupabasePush>,
}

#[wasm_bindgen]
impl DatabaseSession {
    /// Applies the SQL files in `zip` (an export's zip) to Supabase project `project_ref` with
    /// a personal access `token`; `api` replaces the Management API's origin (tests).
    #[wasm_bindgen(constructor)]
    pub fn new(
        zip: &[u8],
        project_ref: &str,
        token: &str,
        api: Option<String>,
    ) -> Result<DatabaseSession, JsValue> {
        let mut report = Report::default();
        let tree = read_archive("the exported zip", zip, &Limits::default(), &mut report)
            .map_err(|e| capture_error(e.into()))?;
        let files = files_from_tree(&tree).map_err(|e| database_error(&e, &[]))?;
        let mut config = SupabaseConfig::new(project_ref.trim(), token.trim());
        if let Some(api) = api.filter(|a| !a.is_empty()) {
            config.api = api;
        }
        let machine = SupabasePush::new(config, &files).map_err(|e| database_error(&e, &[]))?;
        Ok(Self {
            machine: Some(machine),
        })
    }

    fn driven(&mut self) -> Result<&mut dyn Driven, JsError> {
        Ok(self.machine.as_mut().ok_or_else(finished)?)
    }

    /// `{applied, already_applied, changed}` (the CLI's `db push --json` names); throws an
    /// `Error` with a `code` (`statement-failed`, `bad-token`, …) and `applied`.
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let machine = self
            .machine
            .take()
            .ok_or_else(|| JsValue::from(finished()))?;
        let summary = machine
            .finish()
            .map_err(|PushFailure { applied, error }| database_error(&error, &applied))?;
        to_js(&summary).map_err(JsValue::from)
    }
}

driving_methods!(DatabaseSession);
