// Asks the content script in a tab for the builder's stored project (see content/bolt.js for the
// protocol) and reassembles the JSON text it sends in pieces.
import { UserError } from './errors.js';

const TIMEOUT_MS = 30_000;

/**
 * Resolves {reachable: false} when no Liftoff content script runs in the tab (not a bolt.new
 * page, or a tab opened before the extension was installed), else
 * {reachable: true, dumpJson: string | null, chatHint: string | undefined}.
 */
export function captureBolt(tabId) {
  return new Promise((resolve, reject) => {
    let settled = false;
    let begin = null;
    const parts = [];
    const port = chrome.tabs.connect(tabId, { name: 'liftoff:capture' });
    const timer = setTimeout(
      () => finish(null, new UserError('The Bolt page did not answer. Reload the tab and try again.')),
      TIMEOUT_MS,
    );

    function finish(value, error) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        port.disconnect();
      } catch {
        // already gone
      }
      if (error) reject(error);
      else resolve(value);
    }

    port.onMessage.addListener((message) => {
      if (message?.type === 'begin') {
        begin = message;
      } else if (message?.type === 'chunk' && begin) {
        parts.push(message.text);
      } else if (message?.type === 'end' && begin) {
        const dumpJson = begin.present ? parts.join('') : null;
        if (dumpJson !== null && dumpJson.length !== begin.length) {
          finish(null, new UserError('The project history arrived incomplete. Try again.'));
        } else {
          finish({ reachable: true, dumpJson, chatHint: begin.chatHint ?? undefined });
        }
      } else if (message?.type === 'error') {
        finish(null, new UserError(String(message.message)));
      }
    });
    // Without a content script on the other end the port disconnects right away.
    port.onDisconnect.addListener(() => {
      void chrome.runtime.lastError; // read it, or Chrome logs "Unchecked runtime.lastError"
      finish(begin ? null : { reachable: false }, begin ? new UserError('The Bolt tab closed or navigated away during the export.') : null);
    });
    port.postMessage({ type: 'liftoff:capture' });
  });
}
