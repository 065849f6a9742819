// Saves a finished zip through chrome.downloads, robustly for large files.
//
// A service worker has no URL.createObjectURL, and a data: URL of a 50 MB zip is a 67 MB string
// built in memory (and pushed through the downloads API). So the worker stores the zip as a Blob
// in extension-origin IndexedDB, the offscreen document makes a blob: URL of it,
// chrome.downloads saves that URL, and when the download ends the URL is revoked and the Blob
// deleted. A download still running when saveZip returns (a save-as dialog is open) is cleaned
// up from chrome.downloads.onChanged, which wakes the worker even if it was stopped meanwhile.
import { deleteZip, dropInputsBefore, listDownloads, listZips, putZip, setDownload } from '../../shared/blob-store.js';
import { UserError } from '../wording/errors.js';
import { askOffscreen, closeOffscreen, ensureOffscreen, zipInOffscreen } from './offscreen.js';

const STALE_MS = 24 * 60 * 60 * 1000;
const SETTLE_WAIT_MS = 15_000;
let saving = 0; // saves in progress in this worker: the offscreen document must stay open

/**
 * Downloads a zip as fileName and waits (up to 15 s) for the download to end. source: {bytes}, the
 * zip, or {files, workers, fast}, files the offscreen document zips on workers workers.
 * Resolves {downloadId, state, size}: state 'complete', or 'in_progress' when the browser is still
 * busy (e.g. a save-as dialog is open); size, the zip's. Rejects with a UserError when the
 * download fails.
 */
export async function saveZip(source, fileName) {
  saving++;
  const key = crypto.randomUUID();
  let url;
  try {
    await sweep(STALE_MS);
    const size = await storeZip(key, source);
    const answer = await blobUrlFor(key);
    if (!answer?.url) throw new UserError(answer?.error ?? 'The export file could not be prepared for download.');
    url = answer.url;
    let downloadId;
    try {
      downloadId = await chrome.downloads.download({ url, filename: safeFileName(fileName), conflictAction: 'uniquify' });
    } catch (error) {
      throw new UserError(`The browser refused the download (${error?.message ?? 'unknown reason'}).`);
    }
    await setDownload(key, url, downloadId);
    const outcome = await settle(downloadId, SETTLE_WAIT_MS);
    // A failed cleanup must not turn a finished download into an error; the sweep catches up.
    if (outcome.state === 'complete') await release(key, url, true).catch(() => {});
    if (outcome.state === 'interrupted') {
      throw new UserError(`The download was interrupted (${outcome.error ?? 'unknown reason'}).`);
    }
    return { downloadId, state: outcome.state, size };
  } catch (error) {
    await release(key, url, true).catch(() => {});
    throw error;
  } finally {
    saving--;
  }
}

/** Stores the zip under key (shared/blob-store.js) for the offscreen document; its size. */
async function storeZip(key, { bytes, files, workers, fast }) {
  if (bytes) {
    await putZip(key, new Blob([bytes], { type: 'application/zip' }));
    return bytes.byteLength;
  }
  await ensureOffscreen();
  const answer = await zipInOffscreen(key, files, { workers, fast });
  if (!Number.isFinite(answer?.size)) throw new UserError(answer?.error ?? 'The export could not be zipped.');
  return answer.size;
}

/**
 * One path component chrome.downloads accepts: it rejects the whole download ("Invalid
 * filename") for separators, reserved characters, leading dots and the like, and a project name
 * comes from the page.
 */
export function safeFileName(name) {
  const cleaned = String(name ?? '')
    // eslint-disable-next-line no-control-regex -- control characters are among what it refuses
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*~]+/g, '-')
    .replace(/^[\s.-]+|[\s.]+$/g, '')
    .slice(0, 120);
  if (!cleaned) return 'liftoff-export.zip';
  return cleaned.toLowerCase().endsWith('.zip') ? cleaned : `${cleaned}.zip`;
}

// A cleanup elsewhere may close the offscreen document between our check and our request:
// one retry with a fresh document covers that race.
async function blobUrlFor(key) {
  for (let attempt = 0; ; attempt++) {
    await ensureOffscreen();
    try {
      return await askOffscreen({ type: 'blob-url', key });
    } catch {
      if (attempt > 0) throw new UserError('The export file could not be prepared for download.');
    }
  }
}

/** Waits until the download completes or is interrupted, or until timeoutMs passes. */
function settle(downloadId, timeoutMs) {
  return new Promise((resolve) => {
    const finish = (outcome) => {
      clearTimeout(timer);
      chrome.downloads.onChanged.removeListener(onChanged);
      resolve(outcome);
    };
    const onChanged = (delta) => {
      if (delta.id !== downloadId || !delta.state) return;
      if (delta.state.current === 'complete') finish({ state: 'complete' });
      if (delta.state.current === 'interrupted') finish({ state: 'interrupted', error: delta.error?.current });
    };
    const timer = setTimeout(() => finish({ state: 'in_progress' }), timeoutMs);
    chrome.downloads.onChanged.addListener(onChanged);
    // It may have ended before the listener was added.
    chrome.downloads.search({ id: downloadId }).then(([item]) => {
      if (item?.state === 'complete') finish({ state: 'complete' });
      if (item?.state === 'interrupted') finish({ state: 'interrupted', error: item.error });
    });
  });
}

/** Registered at the worker's top level: frees what a download that outlived saveZip held. */
export async function onDownloadChanged(delta) {
  const state = delta.state?.current;
  if (state !== 'complete' && state !== 'interrupted') return;
  const record = (await listDownloads()).find((d) => d.downloadId === delta.id);
  if (record) await release(record.key, record.url, false);
}

/** Revokes the URL, deletes the zip, and closes the offscreen document when nothing else needs it. */
async function release(key, url, fromSave) {
  if (url) await askOffscreen({ type: 'revoke-url', url }).catch(() => {}); // the document may be gone
  await deleteZip(key);
  const othersSaving = () => saving - (fromSave ? 1 : 0) > 0;
  if (othersSaving() || (await listZips()).length > 0 || othersSaving()) return;
  await closeOffscreen().catch(() => {});
}

/**
 * Deletes stored zips older than maxAgeMs (all of them with 0). Their blob: URLs died with the
 * offscreen document, so a zip left over from a crash or a browser restart is only dead weight.
 * Dropped files no export took (the drop page closed at the wrong moment) go the same way.
 */
export async function sweep(maxAgeMs) {
  const now = Date.now();
  for (const zip of await listZips()) {
    if (now - zip.createdAt >= maxAgeMs) await deleteZip(zip.key);
  }
  await dropInputsBefore(now - maxAgeMs + 1); // the same ">= maxAgeMs" as for zips
}
