// Extension-origin IndexedDB holding finished zips until they are downloaded, and files dropped
// on the drop page until the service worker reads them.
// Shared by the service worker (writes, cleans up), the offscreen document (reads, makes the
// blob URL) and the drop page (stores a dropped file). A Blob in IndexedDB crosses between them
// without being copied through chrome.runtime messaging, which JSON-serializes and caps a
// message at 64 MiB.
//
// Stores: `zips` {key, blob, createdAt}; `downloads` {key, url, downloadId}, written once the
// download has started, kept apart so that the Blob is never rewritten; `inputs`
// {key, blob, createdAt} (version 2), a dropped archive waiting for the worker.
const DB_NAME = 'liftoff-downloads';
const STORES = ['zips', 'downloads', 'inputs'];

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const name of STORES) {
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: 'key' });
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Runs work(tx) in one transaction; work may return a getter, read once the transaction commits. */
async function run(stores, mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(stores, mode);
      const result = work(tx);
      tx.oncomplete = () => resolve(result?.());
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/** Stores a finished zip (a Blob) under key until its download ends. */
export function putZip(key, blob) {
  return run(['zips'], 'readwrite', (tx) => {
    tx.objectStore('zips').put({ key, blob, createdAt: Date.now() });
  });
}

/** The zip stored under key (a Blob), or undefined: the offscreen document makes its blob: URL. */
export function getZip(key) {
  return run(['zips'], 'readonly', (tx) => {
    const request = tx.objectStore('zips').get(key);
    return () => request.result?.blob;
  });
}

/** Records the download that saves the zip under key, so that its end can clean up. */
export function setDownload(key, url, downloadId) {
  return run(['downloads'], 'readwrite', (tx) => {
    tx.objectStore('downloads').put({ key, url, downloadId });
  });
}

/** Every recorded download: [{key, url, downloadId}]. */
export function listDownloads() {
  return run(['downloads'], 'readonly', (tx) => {
    const request = tx.objectStore('downloads').getAll();
    return () => request.result;
  });
}

/** [{key, createdAt}] of every stored zip, read with a cursor so that no Blob is handed out. */
export function listZips() {
  return run(['zips'], 'readonly', (tx) => {
    const out = [];
    const request = tx.objectStore('zips').openCursor();
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return;
      out.push({ key: cursor.value.key, createdAt: cursor.value.createdAt });
      cursor.continue();
    };
    return () => out;
  });
}

/** Deletes the zip under key and its download record. */
export function deleteZip(key) {
  return run(['zips', 'downloads'], 'readwrite', (tx) => {
    tx.objectStore('zips').delete(key);
    tx.objectStore('downloads').delete(key);
  });
}

/** Stores a dropped file (a Blob) under key until the worker takes it. */
export function putInput(key, blob) {
  return run(['inputs'], 'readwrite', (tx) => {
    tx.objectStore('inputs').put({ key, blob, createdAt: Date.now() });
  });
}

/** The dropped file stored under key, removed from the store in the same transaction. */
export function takeInput(key) {
  return run(['inputs'], 'readwrite', (tx) => {
    const store = tx.objectStore('inputs');
    const request = store.get(key);
    request.onsuccess = () => {
      if (request.result) store.delete(key);
    };
    return () => request.result?.blob;
  });
}

/** Deletes dropped files stored before cutoff (epoch ms) that no export took. */
export function dropInputsBefore(cutoff) {
  return run(['inputs'], 'readwrite', (tx) => {
    const request = tx.objectStore('inputs').openCursor();
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return;
      if (cursor.value.createdAt < cutoff) cursor.delete();
      cursor.continue();
    };
  });
}
