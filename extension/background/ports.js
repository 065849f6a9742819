// Helpers for the ports of the popup and the drop page.
import { sentenceFor } from './errors.js';

/**
 * A post(message) for port that stops quietly once the other end is gone: the popup closes
 * whenever it loses focus, and an export it started still finishes.
 */
export function portPoster(port) {
  let open = true;
  port.onDisconnect.addListener(() => {
    open = false;
  });
  return (message) => {
    if (!open) return;
    try {
      port.postMessage(message);
    } catch {
      open = false; // closed between the check and the send
    }
  };
}

// Error codes or names and our own sentences only: never page data in bulk, never a token.
export function logFailure(what, error) {
  console.warn(`Liftoff ${what} failed:`, error?.code ?? error?.name ?? typeof error, sentenceFor(error, '').slice(0, 200));
}
