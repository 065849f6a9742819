//! A builder API conversation (Lovable, Base44: any builder of the registry with an API) for
//! the service worker's `fetch` driver: requests out as plain objects, responses in, time from
//! `Date.now()` (see `wire`). It finishes with the export, as `exportBoltHistory` does.

use liftoff_core::builders::{self, Credential};
use liftoff_core::net::Conversation;
use liftoff_core::pipeline::{self, ExportOptions, ExportSession};
use wasm_bindgen::prelude::*;

use crate::export::export_result;
use crate::js_error;
use crate::wire::{driving_methods, finished, Driven};

/// One export from a builder's API, driven from JavaScript.
#[wasm_bindgen]
pub struct BuilderSession {
    session: Option<ExportSession>,
}

#[wasm_bindgen]
impl BuilderSession {
    /// Fetches project `id` from `builder`'s API (a catalog id: `lovable`, `base44`) with the
    /// page's session `token`, or with a key for its official API when `api_key` is true; `api`
    /// points the builder's origins elsewhere (tests); `name_hint` is the project's name as the
    /// page shows it (the zip is named after it); `raw` keeps the builder's files exactly as
    /// they are (and fetches no data beside them); `git_ref` is the ref the builder's own page
    /// reads, when the worker saw it.
    pub fn fetch(
        builder: &str,
        id: &str,
        token: &str,
        api: Option<String>,
        name_hint: Option<String>,
        raw: Option<bool>,
        api_key: Option<bool>,
        git_ref: Option<String>,
    ) -> Result<BuilderSession, JsValue> {
        let spec = builders::by_id(builder)
            .filter(|s| s.remote.is_some())
            .ok_or_else(|| {
                JsError::new(&format!("Liftoff cannot fetch a project from {builder}"))
            })?;
        let options = ExportOptions {
            raw: raw.unwrap_or(false),
            name_hint,
            git_ref,
            ..ExportOptions::default()
        };
        let credential = if api_key == Some(true) {
            Credential::ApiKey
        } else {
            Credential::Session
        };
        let session = pipeline::fetch_as(spec, id, credential, token, api, &options)
            .map_err(|e| js_error(&e))?;
        Ok(Self {
            session: Some(session),
        })
    }

    fn driven(&mut self) -> Result<&mut dyn Driven, JsError> {
        Ok(self.session.as_mut().ok_or_else(finished)?)
    }

    /// What the fetch is busy with while `progress()` (files fetched of files known) does not
    /// show it: `download`, `listing` or `data`; `undefined` otherwise.
    pub fn phase(&self) -> Option<String> {
        let phase = self.session.as_ref()?.phase()?;
        Some(phase.as_str().into())
    }

    /// The export: `{name, fileName, report, sql, zip}`; throws the conversation's error as an
    /// `Error` with a `code` (`bad-token`, …).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let session = self
            .session
            .take()
            .ok_or_else(|| JsValue::from(finished()))?;
        let export = session.finish().map_err(|e| js_error(&e))?;
        export_result(&export).map_err(JsValue::from)
    }
}

driving_methods!(BuilderSession);
