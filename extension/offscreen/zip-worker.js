// One zip worker, started by zip-workers.js: its own instance of the export wasm module (from
// the module the document compiled once), each file's record made on its own (the core's
// packEntry), a few small files to a message; the files' bytes and the records transferred,
// not copied.
import init, { packEntry } from '../wasm/liftoff_wasm.js';

let ready = null;

self.onmessage = async ({ data }) => {
  if (data.module) {
    ready = init({ module_or_path: data.module });
    return;
  }
  const { files, fast } = data;
  try {
    await ready;
    const records = files.map(({ i, path, bytes }) => {
      try {
        return { i, record: packEntry(path, bytes, fast) };
      } catch (error) {
        throw new Error(`${path}: ${error?.message ?? error}`, { cause: error });
      }
    });
    self.postMessage({ records }, records.map((r) => r.record.buffer));
  } catch (error) {
    self.postMessage({ error: error?.message ?? String(error) });
  }
};
