// A project archive (zip, tar, tar.gz) dropped on the drop page: the page stores it as a Blob in
// the extension's IndexedDB (shared/blob-store.js: no 64 MiB message cap, no JSON copy), and the
// worker takes it out and runs the core on it.
import { takeInput } from '../../shared/blob-store.js';
import { readSettings } from '../../shared/settings.js';
import { exportDroppedArchive } from '../core/wasm.js';
import { UserError, explain } from '../wording/errors.js';

// The core refuses more than 256 MiB unpacked, and unpacking never yields much less than the
// archive's own size (only headers and padding go), so a much larger file cannot succeed:
// refuse it before reading it all into memory.
const MAX_ARCHIVE_BYTES = 300 * 1024 * 1024;

/**
 * Exports the file stored under key: {name, fileName, zip, report, sql, raw}, cleaned up unless
 * the user keeps the builder's files as they are (raw); zipped as zip says (core/wasm.js).
 * progress({phase}): 'reading', then 'building'. Throws UserErrors whose message is for the user.
 */
export async function exportDropped(key, fileName, progress, zip = {}) {
  progress({ phase: 'reading' });
  const { keepBuilderFiles: raw } = await readSettings();
  const blob = await takeInput(key);
  if (!blob) throw new UserError('The dropped file was not found. Drop it again.');
  if (blob.size > MAX_ARCHIVE_BYTES) {
    throw new UserError('This file is larger than a project Liftoff can export (256 MiB unpacked).');
  }
  const bytes = new Uint8Array(await blob.arrayBuffer());
  progress({ phase: 'building' });
  const result = await exportDroppedArchive(fileName, bytes, raw, {}, zip).catch((error) => {
    throw explain(error, { builder: null });
  });
  return { ...result, raw };
}
