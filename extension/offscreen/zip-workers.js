// An export's zip made by Web Workers (zip-worker.js), each with its own instance of the export
// wasm module: one file per task, the largest first so that no big file starts last, each
// record laid down in the zip's (the tree's) order and ended with the core's directory, so the
// bytes are those of the zip the core makes on one thread. The files' bytes go to the workers
// and the records come back transferred, not copied; the zip is a Blob of the records, never
// one buffer.
import init, { zipDirectory } from '../wasm/liftoff_wasm.js';

const WASM = new URL('../wasm/liftoff_wasm_bg.wasm', import.meta.url);
// Messages each worker holds at once, so that it starts the next as soon as it is done with
// one rather than wait for a message to come back across threads; and small files go several
// to a message (still packed one by one), up to BATCH_BYTES or BATCH_FILES: one file per
// message, 2,000 files took one worker twice the time of the service worker's own zip
// (bench/run.sh).
const IN_FLIGHT = 3;
const BATCH_BYTES = 256 * 1024;
const BATCH_FILES = 32;

let compiled = null;
/** The export module, compiled once for this document and every worker it starts. */
function wasmModule() {
  compiled ??= WebAssembly.compileStreaming(fetch(WASM)).catch((error) => {
    compiled = null;
    throw error;
  });
  return compiled;
}

let instance = null;
async function ready() {
  const module = await wasmModule();
  instance ??= init({ module_or_path: module });
  await instance;
  return module;
}

/**
 * The zip of files ({paths, contents, executable}: the zip's order; contents are given away)
 * made on `workers` workers, deflated at level 1 when fast: a Blob.
 */
export async function zipInWorkers({ paths, contents, executable }, { workers, fast }) {
  const module = await ready();
  const order = paths.map((_, i) => i).sort((a, b) => contents[b].length - contents[a].length || a - b);
  const records = new Array(paths.length);
  let next = 0;
  const pool = Array.from(
    { length: Math.max(1, Math.min(workers, paths.length)) },
    () => new Worker(new URL('./zip-worker.js', import.meta.url), { type: 'module' }),
  );
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise((resolve, reject) => {
            let held = 0;
            const give = () => {
              if (next < order.length) {
                const files = [];
                let bytes = 0;
                while (next < order.length && files.length < BATCH_FILES && (files.length === 0 || bytes + contents[order[next]].length <= BATCH_BYTES)) {
                  const i = order[next++];
                  files.push({ i, path: paths[i], bytes: contents[i] });
                  bytes += contents[i].length;
                }
                held++;
                worker.postMessage({ files, fast }, files.map((f) => f.bytes.buffer));
              } else if (held === 0) {
                resolve();
              }
            };
            worker.onmessage = ({ data }) => {
              if (data.error !== undefined) {
                reject(new Error(data.error));
                return;
              }
              for (const { i, record } of data.records) records[i] = record;
              held--;
              give();
            };
            worker.onerror = (event) => reject(new Error(event.message || 'a zip worker stopped'));
            worker.postMessage({ module });
            for (let k = 0; k < IN_FLIGHT; k++) give();
          }),
      ),
    );
  } finally {
    for (const worker of pool) worker.terminate();
  }
  // A record starts with its header, name and extra field: at most 50 bytes and the name's
  // UTF-8, which is at most 3 bytes per UTF-16 unit.
  const heads = records.map((record, i) => record.subarray(0, Math.min(record.length, 50 + 3 * paths[i].length)));
  const end = zipDirectory(heads, executable);
  return new Blob([...records, end], { type: 'application/zip' });
}
