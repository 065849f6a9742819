//! A push to GitHub for the service worker's `fetch` driver: the exported zip goes in, one
//! commit comes out. Same driving protocol as `BuilderSession` (see `wire`).

use liftoff_core::archive::read_archive;
use liftoff_core::github::{default_message, GitHubPush, PushConfig, PushError};
use liftoff_core::net::Conversation;
use liftoff_core::{Limits, Report};
use wasm_bindgen::prelude::*;

use crate::wire::{driving_methods, finished, Driven};
use crate::{capture_error, to_js};

/// A JavaScript `Error` with the push error's message and stable `code`.
fn push_error(error: PushError) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    let _ = js_sys::Reflect::set(&js, &"code".into(), &error.code().into());
    js.into()
}

/// The commit message a push uses unless the user writes one, for the popup to prefill.
#[wasm_bindgen(js_name = defaultCommitMessage)]
pub fn default_commit_message(builder: &str, now_ms: f64) -> String {
    let builder =
        serde_json::from_value(serde_json::Value::String(builder.into())).unwrap_or_default();
    default_message(builder, (now_ms / 1000.0) as i64)
}

/// One push of an exported project to a GitHub repository, driven from JavaScript.
#[wasm_bindgen]
pub struct PushSession {
    machine: Option<GitHubPush>,
}

#[wasm_bindgen]
impl PushSession {
    /// Starts a push of the project in `zip` (an export's zip) to `repository` (`OWNER/NAME`)
    /// with `token`. `options`: `{api?, branch?, create?, private?, message?, builder?}`;
    /// `now_ms` dates the commit.
    #[wasm_bindgen(constructor)]
    pub fn new(
        zip: &[u8],
        repository: &str,
        token: &str,
        options: JsValue,
        now_ms: f64,
    ) -> Result<PushSession, JsValue> {
        let get = |key: &str| {
            js_sys::Reflect::get(&options, &key.into())
                .ok()
                .filter(|v| !v.is_undefined() && !v.is_null())
        };
        let text = |key: &str| {
            get(key)
                .and_then(|v| v.as_string())
                .filter(|s| !s.trim().is_empty())
        };
        let flag = |key: &str| get(key).and_then(|v| v.as_bool()).unwrap_or(false);
        let mut report = Report::default();
        let tree = read_archive("the exported zip", zip, &Limits::default(), &mut report)
            .map_err(|e| capture_error(e.into()))?;
        let time_s = (now_ms / 1000.0) as i64;
        let builder = text("builder")
            .and_then(|b| serde_json::from_value(serde_json::Value::String(b)).ok())
            .unwrap_or_default();
        let message = text("message").unwrap_or_else(|| default_message(builder, time_s));
        let mut config = PushConfig::new(repository, token, message, time_s);
        if let Some(api) = text("api") {
            config.api = api;
        }
        config.branch = text("branch");
        config.create = flag("create");
        config.private = flag("private");
        let machine = GitHubPush::new(config, tree).map_err(push_error)?;
        Ok(Self {
            machine: Some(machine),
        })
    }

    fn driven(&mut self) -> Result<&mut dyn Driven, JsError> {
        Ok(self.machine.as_mut().ok_or_else(finished)?)
    }

    /// `{commit, url, branch, repository, created, up_to_date, rebuilt, objects_sent,
    /// bytes_sent, requests, excluded}` (the CLI's `--json` names); throws an `Error` with a
    /// `code` (`bad-token`, `forbidden`, …).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let machine = self
            .machine
            .take()
            .ok_or_else(|| JsValue::from(finished()))?;
        let result = machine.finish().map_err(push_error)?;
        to_js(&result).map_err(JsValue::from)
    }
}

driving_methods!(PushSession);
