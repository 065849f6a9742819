//! The export, as the remote module receives it: the zip the export module produced, read back
//! into a tree. The two modules are separate WebAssembly instances with separate memories, so
//! the tree cannot be handed over in place; the zip is its compact, checked form and already in
//! the service worker's hands (ARCHITECTURE.md, "Two modules").

use liftoff_core::archive::read_zip;
use liftoff_core::{CaptureError, Limits, Report, SourceTree};
use wasm_bindgen::JsValue;

use crate::js_error;

/// The tree of an export's zip, with the same limits as any archive.
pub fn tree_of(zip: &[u8]) -> Result<SourceTree, JsValue> {
    let mut report = Report::default();
    read_zip("the exported zip", zip, &Limits::default(), &mut report)
        .map_err(|e| js_error(&CaptureError::from(e)))
}
