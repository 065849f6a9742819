//! WebAssembly bindings of `liftoff-core` for the extension's service worker. Thin by design:
//! every function converts arguments, calls the core and converts the result back; the logic
//! lives in the core, where it is tested natively.
//!
//! The crate builds two modules so the one every export loads stays small (the budget is
//! 300 KB gzipped): feature `export` (default; `liftoff_wasm`: the export pipeline, zip, the
//! builder sessions) and feature `remote` (`liftoff_remote`, loaded only when the user pushes,
//! deploys or puts the database somewhere: the destinations' conversations). Both carry the
//! catalog (`catalog.rs`): the registries' names and name rules.

mod catalog;
#[cfg(feature = "remote")]
mod database;
#[cfg(feature = "remote")]
mod deploy;
#[cfg(feature = "export")]
mod export;
#[cfg(feature = "remote")]
mod exported;
#[cfg(feature = "remote")]
mod push;
#[cfg(feature = "export")]
mod session;
mod wire;

pub use catalog::*;
#[cfg(feature = "remote")]
pub use database::DatabaseSession;
#[cfg(feature = "remote")]
pub use deploy::DeploySession;
#[cfg(feature = "export")]
pub use export::*;
#[cfg(feature = "remote")]
pub use push::{ChecksSession, PushSession};
#[cfg(feature = "export")]
pub use session::BuilderSession;

use liftoff_core::Coded;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Installs the panic hook so a Rust panic shows as a readable console error.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The core's version, for the options page and bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A plain JavaScript value from any serializable one, through JSON text: `serde_json` is in
/// the module anyway, so this costs no code (serde-wasm-bindgen's serializer cost ~3 KB
/// gzipped of a tight size budget).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("could not parse the core's JSON"))
}

/// Any core error as a JavaScript `Error`: the core's sentence as its message, its stable `code`
/// (`bad-token`, `not-found`, `build-failed`, …) and its details as properties (`status`,
/// `deployment: {id, state}`, `why`, `detail`, `file`, `statement`, `reset`, `wait`), so the
/// extension words it
/// for its reader from fields, never by reading the sentence.
pub(crate) fn js_error(error: &dyn Coded) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    // Setting properties on a fresh Error cannot fail.
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&js, &key.into(), &value);
    };
    set("code", error.code().into());
    // Field by field rather than through serde: a derived serializer costs the export module
    // more than these lines.
    let details = error.details();
    let text = |value: Option<String>| value.map(JsValue::from);
    let fields = [
        ("status", details.status.map(JsValue::from)),
        ("why", text(details.why)),
        ("detail", text(details.detail)),
        ("file", text(details.file)),
        ("statement", text(details.statement)),
        ("reset", text(details.reset)),
        ("wait", details.wait_s.map(|s| JsValue::from(s as f64))),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            set(key, value);
        }
    }
    if let Some(deployment) = details.deployment {
        let object = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&object, &"id".into(), &deployment.id.into());
        let _ = js_sys::Reflect::set(&object, &"state".into(), &deployment.state.into());
        set("deployment", object.into());
    }
    js.into()
}

/// A text field of an options object from JavaScript, trimmed; `None` when absent or blank.
pub(crate) fn text_field(options: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(options, &key.into())
        .ok()
        .and_then(|v| v.as_string())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Whether a field of an options object from JavaScript is `true`.
#[cfg(feature = "export")]
pub(crate) fn flag(options: &JsValue, key: &str) -> bool {
    js_sys::Reflect::get(options, &key.into()).ok() == Some(JsValue::TRUE)
}
