// Content script on bolt.new: reads bolt.diy's chat history (IndexedDB `boltHistory`, page origin)
// and hands it to the service worker. No tokens, no network: it only reads what the page stores.
//
// Protocol: the service worker opens a port named 'liftoff:capture' to this tab and posts
// {type: 'liftoff:capture'}. The answer is {dump: {chats, snapshots} | null, chatHint}, sent as
// JSON text in pieces — {type: 'begin', present, chatHint, length}, {type: 'chunk', text}…,
// {type: 'end'} — because one extension message is capped at 64 MiB and a history with images
// can be larger. Failures answer {type: 'error', message}. A content script cannot import: the
// port's name and the messages are written out here, as extension/protocol.js defines them
// (CAPTURE_PORT, CaptureRequest, CaptureBegin, CaptureChunk, CaptureEnd, CaptureError).
(() => {
  const DB_NAME = 'boltHistory';
  const CHUNK_CHARS = 8 * 1024 * 1024;

  /** The urlId (or id) of the chat open in the page, from /chat/<urlId>. */
  function chatHintFrom(pathname) {
    const match = /^\/chat\/([^/]+)/.exec(pathname);
    if (!match) return undefined;
    try {
      return decodeURIComponent(match[1]);
    } catch {
      return match[1];
    }
  }

  // Opening a database that does not exist creates it at version 1, and bolt.diy's own later
  // open at version 2 would then find a database without its stores. So: check first.
  async function databaseExists(name) {
    if (typeof indexedDB.databases !== 'function') return false;
    const databases = await indexedDB.databases();
    return databases.some((db) => db.name === name);
  }

  function openExisting(name) {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(name); // no version: opens whatever version exists
      // Only fires if the database vanished since the check; aborting leaves nothing behind.
      request.onupgradeneeded = () => request.transaction.abort();
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => db.close(); // never block bolt.diy's own upgrades
        resolve(db);
      };
      request.onerror = (event) => {
        if (request.error?.name === 'AbortError') {
          event.preventDefault();
          resolve(null);
        } else {
          reject(request.error);
        }
      };
    });
  }

  const done = (request) =>
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });

  // With a chat in the address, send only that chat and its snapshot: a long history can hold
  // hundreds of projects, and only the open one is exported. A chat this browser does not store
  // means no project here (null), never another chat. Without one (e.g. the home page), send
  // everything and let the core pick the most recent chat.
  async function readHistory(db, chatHint) {
    if (!db.objectStoreNames.contains('chats')) return null;
    const names = db.objectStoreNames.contains('snapshots') ? ['chats', 'snapshots'] : ['chats'];
    const tx = db.transaction(names, 'readonly');
    const chats = tx.objectStore('chats');
    const snapshots = names.length > 1 ? tx.objectStore('snapshots') : null;

    if (chatHint !== undefined) {
      const chat =
        (chats.indexNames.contains('urlId') ? await done(chats.index('urlId').get(chatHint)) : undefined) ??
        (await done(chats.get(chatHint)));
      if (!chat) return null;
      const snapshot = snapshots ? await done(snapshots.get(chat.id)) : undefined;
      return { chats: [chat], snapshots: snapshot ? [snapshot] : [] };
    }
    const allChats = await done(chats.getAll());
    const allSnapshots = snapshots ? await done(snapshots.getAll()) : [];
    return { chats: allChats, snapshots: allSnapshots };
  }

  async function capture() {
    const chatHint = chatHintFrom(location.pathname);
    if (!(await databaseExists(DB_NAME))) return { dump: null, chatHint };
    const db = await openExisting(DB_NAME);
    if (!db) return { dump: null, chatHint };
    try {
      const dump = await readHistory(db, chatHint);
      const empty = !dump || (dump.chats.length === 0 && dump.snapshots.length === 0);
      return { dump: empty ? null : dump, chatHint };
    } finally {
      db.close();
    }
  }

  function send(port, { dump, chatHint }) {
    const text = dump ? JSON.stringify(dump) : '';
    port.postMessage({ type: 'begin', present: Boolean(dump), chatHint, length: text.length });
    for (let at = 0; at < text.length; at += CHUNK_CHARS) {
      port.postMessage({ type: 'chunk', text: text.slice(at, at + CHUNK_CHARS) });
    }
    port.postMessage({ type: 'end' });
  }

  chrome.runtime.onConnect.addListener((port) => {
    if (port.name !== 'liftoff:capture') return;
    port.onMessage.addListener(async (message) => {
      if (message?.type !== 'liftoff:capture') return;
      try {
        send(port, await capture());
      } catch (error) {
        // The name only (e.g. "InvalidStateError"): the message could quote page data.
        port.postMessage({ type: 'error', message: `Could not read the project history (${error?.name ?? 'error'}).` });
      }
    });
  });
})();
