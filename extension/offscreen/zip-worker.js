// One zip worker, started by zip-workers.js: its own instance of the export wasm module (from
// the module the document compiled once), one file's record at a time (the core's packEntry),
// the file's bytes and the record transferred, not copied.
import init, { packEntry } from '../wasm/liftoff_wasm.js';

let ready = null;

self.onmessage = async ({ data }) => {
  if (data.module) {
    ready = init({ module_or_path: data.module });
    return;
  }
  const { i, path, bytes, fast } = data;
  try {
    await ready;
    const record = packEntry(path, bytes, fast);
    self.postMessage({ i, record }, [record.buffer]);
  } catch (error) {
    self.postMessage({ i, error: error?.message ?? String(error) });
  }
};
