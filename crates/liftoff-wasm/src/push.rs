//! A push of an export to a forge for the service worker's `fetch` driver: the exported zip goes
//! in, one commit comes out. Same driving protocol as `BuilderSession` (see `wire`).

use liftoff_core::destinations::github::{default_message, PushConfig};
use liftoff_core::destinations::{self, Kind, PushConversation};
use liftoff_core::net::Conversation;
use wasm_bindgen::prelude::*;

use crate::exported::tree_of;
use crate::wire::{driving_methods, finished, Driven};
use crate::{js_error, to_js};

/// One push of an exported project to a repository, driven from JavaScript.
#[wasm_bindgen]
pub struct PushSession {
    conversation: Option<PushConversation>,
}

#[wasm_bindgen]
impl PushSession {
    /// Starts a push of the project in `zip` (an export's zip) to `repository` (`OWNER/NAME`)
    /// with `token`. `options`: `{forge?, api?, branch?, create?, private?, message?}`
    /// (`forge`: a catalog id, GitHub by default); `now_ms` dates the commit.
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
        let forge = text("forge").unwrap_or_else(|| "github".into());
        let Some(Kind::Forge(forge)) = destinations::by_id(&forge).map(|d| &d.kind) else {
            return Err(JsError::new(&format!("{forge} is not a forge Liftoff pushes to")).into());
        };
        let tree = tree_of(zip)?;
        let time_s = (now_ms / 1000.0) as i64;
        // The popup sends the message it showed (the export module's `defaultCommitMessage`
        // unless the person wrote one); this module does not carry the builders' names.
        let message = text("message").unwrap_or_else(|| default_message(None, time_s));
        let mut config = PushConfig::new(repository, token, message, time_s);
        if let Some(api) = text("api") {
            config.api = api;
        }
        config.branch = text("branch");
        config.create = flag("create");
        config.private = flag("private");
        let conversation = (forge.push)(config, tree).map_err(|e| js_error(&e))?;
        Ok(Self {
            conversation: Some(conversation),
        })
    }

    fn driven(&mut self) -> Result<&mut dyn Driven, JsError> {
        Ok(self.conversation.as_mut().ok_or_else(finished)?)
    }

    /// `{commit, url, branch, repository, created, up_to_date, rebuilt, objects_sent,
    /// bytes_sent, requests, excluded}` (the CLI's `--json` names); throws an `Error` with a
    /// `code` (`bad-token`, `forbidden`, …).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let conversation = self
            .conversation
            .take()
            .ok_or_else(|| JsValue::from(finished()))?;
        let result = conversation.finish().map_err(|e| js_error(&e))?;
        to_js(&result).map_err(JsValue::from)
    }
}

driving_methods!(PushSession);
