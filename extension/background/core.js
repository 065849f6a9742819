// The Rust core (wasm-bindgen --target web, built by ./build.sh into extension/wasm/).
// Instantiated on first use: top-level await is not allowed in a service worker, and a worker
// woken only to clean up a download should not pay for compiling the core.
import init, { exportBoltHistory, inspectBoltHistory } from '../wasm/liftoff_wasm.js';

let ready = null;

function ensureReady() {
  ready ??= init({ module_or_path: chrome.runtime.getURL('extension/wasm/liftoff_wasm_bg.wasm') }).catch((error) => {
    ready = null; // let the next attempt retry
    throw error;
  });
  return ready;
}

/** {builder, name, chatId, files, skipped: [{path, reason}]}; throws when there is no project. */
export async function inspectBolt(dumpJson, chatHint) {
  await ensureReady();
  return inspectBoltHistory(dumpJson, chatHint);
}

/** {name, fileName, zip: Uint8Array, report}; throws when there is no project. */
export async function exportBolt(dumpJson, chatHint) {
  await ensureReady();
  const result = exportBoltHistory(dumpJson, chatHint);
  // A Vec<u8> serialized without serde_bytes arrives as a plain array: accept both.
  const zip = result.zip instanceof Uint8Array ? result.zip : Uint8Array.from(result.zip ?? []);
  return { ...result, zip };
}
