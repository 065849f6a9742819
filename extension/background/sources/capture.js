// Asks the content script in a tab what the page holds. One protocol for every builder (the
// CAPTURE_PORT messages of protocol.js): one request {type: CAPTURE_PORT, purpose}.
// - Bolt (content/bolt.js) streams, in pieces, its stored history as JSON text or the zip of
//   Bolt's own download as base64: {type: 'begin', format, present, chatHint, length, page,
//   download, stored}, {type: 'chunk', text}…, {type: 'end'}.
// - A builder the core fetches from its API (the catalog's `fetched`: content/lovable.js,
//   content/base44.js) answers once: {type: 'session', builder, projectId, title, signedIn,
//   token?}; the token only for 'export'. A builder the catalog does not list as fetched is not
//   reachable.
// - Any of them may answer {type: 'error', message}.
import { CAPTURE_PORT } from '../../protocol.js';
import { builders } from '../core/catalog.js';
import { UserError } from '../wording/errors.js';

const TIMEOUT_MS = 30_000;

// The builder whose page streams its stored history (the core reads it with inspectBoltHistory
// and exportBoltHistory).
const HISTORY_BUILDER = 'bolt';

/**
 * Resolves one of
 *   {reachable: false}: no Liftoff content script in the tab (not a builder page, or a tab
 *     opened before the extension was installed);
 *   {reachable: true, builder: 'bolt', dumpJson: string | null, zip: Uint8Array | null,
 *     chatHint: string | undefined, page: {title, projectPage, projectId}, download: {name, size, at} | null,
 *     stored: {chats, latest: {description, timestamp}} | null} (zip only for 'export');
 *   {reachable: true, builder: <a fetched builder's id>, projectId, title, signedIn, expired?,
 *     token?} (expired: the page's session has expired; then never a token).
 */
export async function askPage(tabId, purpose) {
  const fetched = new Set((await builders()).filter((builder) => builder.fetched).map((builder) => builder.id));
  return new Promise((resolve, reject) => {
    let settled = false;
    let begin = null;
    const parts = [];
    const port = chrome.tabs.connect(tabId, { name: CAPTURE_PORT });
    const timer = setTimeout(
      () => finish(null, new UserError('The page did not answer. Reload the tab and try again.')),
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
      if (message?.type === 'session') {
        finish(sessionFrom(message, fetched));
      } else if (message?.type === 'begin') {
        begin = message;
      } else if (message?.type === 'chunk' && begin) {
        parts.push(message.text);
      } else if (message?.type === 'end' && begin) {
        const text = begin.present ? parts.join('') : null;
        if (text !== null && text.length !== begin.length) {
          finish(null, new UserError('The project arrived incomplete from the page. Try again.'));
        } else {
          try {
            finish(historyPageFrom(begin, parts, text));
          } catch {
            finish(null, new UserError('The page sent a project Liftoff cannot read. Reload the tab and try again.'));
          }
        }
      } else if (message?.type === 'error') {
        finish(null, new UserError(String(message.message), message.code === 'bolt-menu' ? 'bolt-menu' : undefined));
      }
    });
    // Without a content script on the other end the port disconnects right away.
    port.onDisconnect.addListener(() => {
      void chrome.runtime.lastError; // read it, or Chrome logs "Unchecked runtime.lastError"
      finish(begin ? null : { reachable: false }, begin ? new UserError('The tab closed or navigated away during the export.') : null);
    });
    port.postMessage({ type: CAPTURE_PORT, purpose });
  });
}

/**
 * Keeps only the expected fields, with their expected types: the page is not trusted. fetched:
 * the ids of the builders the core fetches.
 */
function sessionFrom(message, fetched) {
  const text = (value) => (typeof value === 'string' && value !== '' ? value : null);
  const builder = typeof message.builder === 'string' && fetched.has(message.builder) ? message.builder : null;
  if (!builder) return { reachable: false };
  const session = {
    reachable: true,
    builder,
    projectId: text(message.projectId),
    title: text(message.title),
    signedIn: message.signedIn === true,
  };
  if (message.expired === true) session.expired = true;
  else if (text(message.token)) session.token = message.token;
  return session;
}

/** What a history page (Bolt) answered, keeping only the expected fields with their types. */
function historyPageFrom(begin, parts, text) {
  const format = text === null ? null : begin.format === 'zip' ? 'zip' : 'history';
  const short = (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 120) : null);
  const download =
    begin.download && Number.isFinite(begin.download.size) && Number.isFinite(begin.download.at)
      ? { name: short(begin.download.name) ?? 'project.zip', size: begin.download.size, at: begin.download.at }
      : null;
  const latest = begin.stored?.latest;
  const stored =
    begin.stored && Number.isInteger(begin.stored.chats)
      ? { chats: begin.stored.chats, latest: { description: short(latest?.description), timestamp: dateOf(latest?.timestamp) } }
      : null;
  return {
    reachable: true,
    builder: HISTORY_BUILDER,
    dumpJson: format === 'history' ? text : null,
    zip: format === 'zip' ? bytesOf(parts) : null,
    chatHint: typeof begin.chatHint === 'string' ? begin.chatHint : undefined,
    page: { title: short(begin.page?.title), projectPage: begin.page?.projectPage === true, projectId: short(begin.page?.projectId) },
    download,
    stored,
  };
}

/** An ISO 8601 time as epoch ms, or null. */
function dateOf(value) {
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(time) ? time : null;
}

/** The zip's bytes from its base64 pieces (each piece whole base64). */
function bytesOf(parts) {
  const decoded = parts.map((part) => {
    const text = atob(part);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  });
  const out = new Uint8Array(decoded.reduce((sum, b) => sum + b.length, 0));
  let at = 0;
  for (const bytes of decoded) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}
