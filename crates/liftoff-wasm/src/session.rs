//! A builder API conversation (Lovable, Base44: any builder of the registry with an API) for
//! the service worker's `fetch` driver: requests out as plain objects, responses in, time from
//! `Date.now()` (see `wire`). It finishes with the export, as `exportBoltHistory` does.

use liftoff_core::builders::{self, Credential};
use liftoff_core::net::Conversation;
use liftoff_core::pipeline::{self, ExportOptions, ExportSession};
use wasm_bindgen::prelude::*;

use crate::export::{export_result, ZipChoice};
use crate::wire::{driving_methods, finished, Driven};
use crate::{flag, js_error, text_field};

/// One export from a builder's API, driven from JavaScript.
#[wasm_bindgen]
pub struct BuilderSession {
    session: Option<ExportSession>,
    zip: ZipChoice,
}

#[wasm_bindgen]
impl BuilderSession {
    /// Fetches project `id` from `builder`'s API (a catalog id: `lovable`, `base44`) with the
    /// page's session `token`. `options`, each field optional: `apiKey` (true: `token` is a key
    /// for the builder's official API), `gitRef` (the ref the builder's own page reads),
    /// `nameHint` (the project's name as the page shows it: the zip is named after it), `raw`
    /// (the builder's files exactly as they are, and no data fetched beside them), `api` (the
    /// builder's origins replaced, for tests and benchmarks), `fast` and `workers` (how the
    /// export is zipped, as in `exportArchive`).
    pub fn fetch(
        builder: &str,
        id: &str,
        token: &str,
        options: JsValue,
    ) -> Result<BuilderSession, JsValue> {
        let spec = builders::by_id(builder)
            .filter(|s| s.remote.is_some())
            .ok_or_else(|| {
                JsError::new(&format!("Liftoff cannot fetch a project from {builder}"))
            })?;
        let api = text_field(&options, "api");
        let export_options = ExportOptions {
            raw: flag(&options, "raw"),
            name_hint: text_field(&options, "nameHint"),
            git_ref: text_field(&options, "gitRef"),
            ..ExportOptions::default()
        };
        let credential = if flag(&options, "apiKey") {
            Credential::ApiKey
        } else {
            Credential::Session
        };
        let session = pipeline::fetch_as(spec, id, credential, token, api, &export_options)
            .map_err(|e| js_error(&e))?;
        Ok(Self {
            session: Some(session),
            zip: ZipChoice::from_js(&options),
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

    /// The export: `{name, fileName, report, sql, zip}` (or its files, see `exportArchive`);
    /// throws the conversation's error as an
    /// `Error` with a `code` (`bad-token`, …).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let session = self
            .session
            .take()
            .ok_or_else(|| JsValue::from(finished()))?;
        let export = session.finish().map_err(|e| js_error(&e))?;
        export_result(&export, self.zip).map_err(JsValue::from)
    }
}

driving_methods!(BuilderSession);
