//! A builder API conversation (Lovable, Base44) for the service worker's `fetch` driver:
//! requests out as plain objects, responses in, time from `Date.now()` (see `wire`).

use liftoff_core::base44::{Base44AppExport, Base44Config, Base44Eject};
use liftoff_core::capture::{Capture, CaptureError};
use liftoff_core::lovable::{LovableConfig, LovableExport};
use liftoff_core::net::Conversation;
use wasm_bindgen::prelude::*;

use liftoff_core::normalize::prepare;

use crate::capture_error;
use crate::export::export_result;
use crate::wire::{driving_methods, finished, Driven};

enum Machine {
    Lovable(LovableExport),
    /// The source only (the user keeps the builder's files as they are: no seed added).
    Base44(Base44Eject),
    /// The source, then the rows as `supabase/seed.sql`.
    Base44App(Base44AppExport),
}

/// One export from a builder's API, driven from JavaScript.
#[wasm_bindgen]
pub struct BuilderSession {
    machine: Option<Machine>,
}

#[wasm_bindgen]
impl BuilderSession {
    /// Fetches Lovable project `project_id` with the session `token`; `api` points both of
    /// Lovable's origins elsewhere (tests); `name_hint` is the project's name as the page shows
    /// it (the zip is named after it).
    pub fn lovable(
        project_id: &str,
        token: &str,
        api: Option<String>,
        name_hint: Option<String>,
    ) -> Result<BuilderSession, JsValue> {
        let mut config = LovableConfig::new(project_id, token);
        if let Some(api) = api {
            config = config.with_api(&api);
        }
        config.options.name_hint = name_hint.filter(|n| !n.trim().is_empty());
        let machine = LovableExport::new(config).map_err(capture_error)?;
        Ok(Self {
            machine: Some(Machine::Lovable(machine)),
        })
    }

    /// Ejects Base44 app `app_id` with the session `token` and, unless `rows` is false (the
    /// user keeps the builder's files as they are), reads every entity's rows into
    /// `supabase/seed.sql`; `api` replaces Base44's origin; `name_hint` is the app's name as the
    /// page shows it.
    pub fn base44(
        app_id: &str,
        token: &str,
        api: Option<String>,
        name_hint: Option<String>,
        rows: Option<bool>,
    ) -> Result<BuilderSession, JsValue> {
        let mut config = Base44Config::new(app_id, token);
        if let Some(api) = api {
            config.api = api;
        }
        config.options.name_hint = name_hint.filter(|n| !n.trim().is_empty());
        let machine = if rows.unwrap_or(true) {
            Machine::Base44App(Base44AppExport::new(config).map_err(capture_error)?)
        } else {
            Machine::Base44(Base44Eject::new(config).map_err(capture_error)?)
        };
        Ok(Self {
            machine: Some(machine),
        })
    }

    fn driven(&mut self) -> Result<&mut dyn Driven, JsError> {
        Ok(match self.machine.as_mut().ok_or_else(finished)? {
            Machine::Lovable(m) => m,
            Machine::Base44(m) => m,
            Machine::Base44App(m) => m,
        })
    }

    /// The project, normalized (unless `raw`) and zipped: `{name, fileName, report, zip}`;
    /// throws the conversation's error as an `Error` with a `code` (`bad-token`, …).
    pub fn finish(&mut self, raw: Option<bool>) -> Result<JsValue, JsValue> {
        let captured: Result<Capture, CaptureError> = match self.machine.take() {
            Some(Machine::Lovable(m)) => m.finish(),
            Some(Machine::Base44(m)) => m.finish(),
            Some(Machine::Base44App(m)) => m.finish(),
            None => return Err(finished().into()),
        };
        let mut captured = captured.map_err(capture_error)?;
        prepare(&mut captured, raw.unwrap_or(false));
        export_result(&captured).map_err(JsValue::from)
    }
}

driving_methods!(BuilderSession);
