// What the popup's and the drop page's ports share: posting to a page that may be gone, running
// a request with its progress and its answer, and logging a failure without page data.
import { sentenceFor } from '../wording/errors.js';

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

/** Logs a failure: error codes or names and our own sentences only, never page data in bulk, never a token. */
export function logFailure(what, error) {
  console.warn(`Liftoff ${what} failed:`, error?.code ?? error?.name ?? typeof error, sentenceFor(error, '').slice(0, 200));
}

/**
 * Runs work(progress) for a page and answers it (protocol.js): each step as {type: 'progress',
 * …}, the result as {type: answer, …result}, a failure as {type: 'error', message, …more(error)}
 * (message: sentenceFor(error, fallback)), logged as `what`. Resolves the result, or null after a
 * failure.
 */
export async function answerRun(post, { answer, what, fallback, more = () => ({}) }, work) {
  const progress = (step) => post({ type: 'progress', ...step });
  try {
    const result = await work(progress);
    post({ type: answer, ...result });
    return result;
  } catch (error) {
    post({ type: 'error', message: sentenceFor(error, fallback), ...more(error) });
    logFailure(what, error);
    return null;
  }
}
