// Owns the offscreen document (reason BLOBS): created on demand, closed when no zip is waiting.
import { OFFSCREEN_TARGET } from '../../protocol.js';

const PATH = 'extension/offscreen/offscreen.html';
let creating = null;

async function exists() {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: ['OFFSCREEN_DOCUMENT'],
    documentUrls: [chrome.runtime.getURL(PATH)],
  });
  return contexts.length > 0;
}

/** Opens the offscreen document unless it is open (or being opened) already. */
export async function ensureOffscreen() {
  if (await exists()) return;
  // Two exports starting together must not both call createDocument (the second would throw).
  creating ??= chrome.offscreen
    .createDocument({
      url: PATH,
      reasons: ['BLOBS'],
      justification: 'Make a blob: URL for the exported zip so that chrome.downloads can save it.',
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

/** Closes the offscreen document, if open: its blob: URLs die with it. */
export async function closeOffscreen() {
  if (await exists()) await chrome.offscreen.closeDocument();
}

/**
 * Sends a request to the offscreen document ({type: 'blob-url', key} or {type: 'revoke-url',
 * url}: protocol.js); resolves with its answer.
 */
export function askOffscreen(message) {
  return chrome.runtime.sendMessage({ target: OFFSCREEN_TARGET, ...message });
}
