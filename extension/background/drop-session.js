// The drop page's port. It stores the dropped file (a Blob) in the extension's IndexedDB
// (shared/blob-store.js: no 64 MiB message cap, no JSON copy) and asks
// {type: 'export-archive', key, fileName}; the worker takes the file out of the store, runs the
// core on it and saves the zip. Answers: 'progress'… then 'done' | 'error', as for the popup.
import { takeInput } from '../shared/blob-store.js';
import { deliver } from './builders.js';
import { exportDroppedArchive } from './core.js';
import { UserError, explain, sentenceFor } from './errors.js';
import { whileAwake } from './keep-alive.js';
import { logFailure, portPoster } from './ports.js';
import { readSettings } from '../shared/settings.js';

// The core refuses more than 256 MiB unpacked, and unpacking never yields much less than the
// archive's own size (only headers and padding go), so a much larger file cannot succeed:
// refuse it before reading it all into memory.
const MAX_ARCHIVE_BYTES = 300 * 1024 * 1024;

export function attachDrop(port) {
  const post = portPoster(port);
  port.onMessage.addListener((message) => {
    if (message?.type !== 'export-archive' || typeof message.key !== 'string') return;
    const fileName = typeof message.fileName === 'string' ? message.fileName.slice(0, 255) : 'project.zip';
    whileAwake(() => runExport(message.key, fileName, post));
  });
}

async function runExport(key, fileName, post) {
  const progress = (step) => post({ type: 'progress', ...step });
  try {
    progress({ phase: 'reading' });
    const { keepBuilderFiles: raw } = await readSettings();
    const blob = await takeInput(key);
    if (!blob) throw new UserError('The dropped file was not found. Drop it again.');
    if (blob.size > MAX_ARCHIVE_BYTES) {
      throw new UserError('This file is larger than a project Liftoff can export (256 MiB unpacked).');
    }
    const bytes = new Uint8Array(await blob.arrayBuffer());
    progress({ phase: 'building' });
    const result = await exportDroppedArchive(fileName, bytes, raw).catch((error) => {
      throw explain(error, { builder: null });
    });
    post({ type: 'done', ...(await deliver({ ...result, raw }, progress)) });
  } catch (error) {
    post({ type: 'error', message: sentenceFor(error, 'The export failed') });
    logFailure('drop export', error);
  }
}
