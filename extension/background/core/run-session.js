// One core session (builder, push, deploy, database) from opened to freed: driven by fetch with
// the worker held awake, then finished. Every action runs its session through here, so that none
// can forget to free the wasm memory that holds its token.
import { drive } from './fetch-driver.js';
import { whileAwake } from './keep-alive.js';

/**
 * Drives session to its end, then resolves finish(session) (by default session.finish(): the
 * core's result, or its error thrown); frees the session in every case.
 * onProgress({done, total}) follows the conversation; signal (an AbortSignal) stops it early,
 * rejecting with the signal's reason.
 */
export async function runSession(session, onProgress, { finish = (s) => s.finish(), signal } = {}) {
  try {
    await whileAwake(() => drive(session, { onProgress, signal }));
    return await finish(session);
  } finally {
    session.free();
  }
}
