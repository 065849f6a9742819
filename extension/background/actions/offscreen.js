// Owns the offscreen document (reasons BLOBS and WORKERS): created on demand, closed when no zip
// is waiting.
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
      reasons: ['BLOBS', 'WORKERS'],
      justification: 'Make a blob: URL for the exported zip so that chrome.downloads can save it, and zip large exports on workers.',
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

/**
 * Has the open offscreen document zip an export's files ({paths, contents, executable}, the
 * zip's order) on `workers` workers at level 1 when `fast`, and store the zip under key
 * (shared/blob-store.js). Resolves {size} or {error} (a sentence). Not a chrome.runtime
 * message, which is JSON: the files go by postMessage, their bytes transferred, not copied
 * (protocol.js, ZipFilesRequest), and the answer comes back on a port of their own.
 */
export async function zipInOffscreen(key, { paths, contents, executable }, { workers, fast }) {
  const url = chrome.runtime.getURL(PATH);
  const clients = await self.clients.matchAll({ includeUncontrolled: true });
  const document = clients.find((client) => client.url === url);
  if (!document) return { error: 'The export could not be zipped (no offscreen document).' };
  const { port1, port2 } = new MessageChannel();
  // A port says nothing when the document behind it dies: past a generous bound (a minute, and
  // a second per MB, where the workers deflate tens of MB a second) the zip is given up, and the
  // export says so rather than wait forever.
  const total = contents.reduce((sum, bytes) => sum + bytes.length, 0);
  const bound = 60_000 + Math.ceil(total / 1_000_000) * 1_000;
  const answer = new Promise((resolve) => {
    const timer = setTimeout(() => {
      port1.close();
      resolve({ error: 'The export could not be zipped: the zip workers stopped answering. Export again.' });
    }, bound);
    port1.onmessage = ({ data }) => {
      clearTimeout(timer);
      port1.close();
      resolve(data);
    };
  });
  const buffers = contents.map((bytes) => bytes.buffer);
  document.postMessage(
    { target: OFFSCREEN_TARGET, type: 'zip-files', key, paths, contents, executable, workers, fast: fast === true },
    [port2, ...buffers],
  );
  return answer;
}
