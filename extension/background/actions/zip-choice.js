// How a download's zip is made: at deflate level 1 when the options page says so (fastZip), and
// by workers in the offscreen document when the machine has cores to spare: one per core but
// the browser's own (navigator.hardwareConcurrency - 1), at least 1, at most 8, or the
// zipWorkers setting. With one worker the core zips on the service worker's thread, as it does
// any export with less than 1 MB of text (the core's SPREAD_FROM): starting workers would cost
// more than they save. The bytes are the same either way.
import { readSettings } from '../../shared/settings.js';

export const MAX_WORKERS = 8;

/**
 * {fast, workers: how many, core: what the core's export is asked ({fast, workers: true when
 * more than one})}.
 */
export async function zipChoice() {
  const { fastZip, zipWorkers } = await readSettings();
  const wanted = zipWorkers > 0 ? zipWorkers : (navigator.hardwareConcurrency ?? 1) - 1;
  const workers = Math.min(MAX_WORKERS, Math.max(1, Math.floor(wanted)));
  return { fast: fastZip, workers, core: { fast: fastZip, workers: workers > 1 } };
}
