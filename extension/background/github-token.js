// The GitHub token, read and written by the service worker alone (the options page hands it over
// through its port and is only ever told whether one is set; the popup is told the same).
//
// Where it is kept:
// - chrome.storage.session by default: memory only, gone when the browser closes, and hidden
//   from content scripts (Chrome's default access level, TRUSTED_CONTEXTS, which Liftoff never
//   changes);
// - chrome.storage.local when the user ticks "Remember on this device": on disk, and readable by
//   the extension's content scripts (the options page says so next to the checkbox).
// It is in one of the two at most. Nothing here logs it, and no error carries it.
import { UserError } from './errors.js';

const KEY = 'githubToken';

// A token goes into an HTTP header: printable ASCII, no spaces. GitHub's own are far shorter.
const TOKEN_SHAPE = /^[\x21-\x7e]{8,1024}$/;

/** The stored token, or null. */
export async function readToken() {
  const { [KEY]: session } = await chrome.storage.session.get(KEY);
  if (typeof session === 'string' && session) return session;
  const { [KEY]: local } = await chrome.storage.local.get(KEY);
  return typeof local === 'string' && local ? local : null;
}

/** {set, remembered}: what the options page and the popup may know. */
export async function tokenStatus() {
  const [{ [KEY]: session }, { [KEY]: local }] = await Promise.all([
    chrome.storage.session.get(KEY),
    chrome.storage.local.get(KEY),
  ]);
  const remembered = typeof local === 'string' && local !== '';
  return { set: remembered || (typeof session === 'string' && session !== ''), remembered };
}

/** Stores token (pasted by the user: surrounding spaces are dropped) where remember says. */
export async function saveToken(token, remember) {
  const value = typeof token === 'string' ? token.trim() : '';
  if (!TOKEN_SHAPE.test(value)) {
    throw new UserError('That does not look like a GitHub token. Copy it from GitHub again and paste it without spaces.');
  }
  await place(value, remember === true);
}

/** Moves the stored token to the other storage (remember: true → storage.local). */
export async function rememberToken(remember) {
  const token = await readToken();
  if (token) await place(token, remember === true);
}

/** Removes the token from both storages. */
export async function forgetToken() {
  await Promise.all([chrome.storage.session.remove(KEY), chrome.storage.local.remove(KEY)]);
}

// Written to its new place before it is removed from the old one, so that a failure in between
// never loses it.
async function place(token, remember) {
  if (remember) {
    await chrome.storage.local.set({ [KEY]: token });
    await chrome.storage.session.remove(KEY);
  } else {
    await chrome.storage.session.set({ [KEY]: token });
    await chrome.storage.local.remove(KEY);
  }
}
