// Runs in the stand-in bolt.new page: writes the fixture into the page origin's IndexedDB
// `boltHistory` exactly as bolt.diy would (same version, stores, key paths and indexes), then
// sets <html data-seeded="true"> for the test to wait on.
const DB_NAME = 'boltHistory';

const wait = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error(`${DB_NAME} is held open elsewhere`));
  });

// bolt.diy's openDatabase(), verbatim in substance.
function openLikeBoltDiy() {
  const request = indexedDB.open(DB_NAME, 2);
  request.onupgradeneeded = (event) => {
    const db = request.result;
    if (event.oldVersion < 1 && !db.objectStoreNames.contains('chats')) {
      const store = db.createObjectStore('chats', { keyPath: 'id' });
      store.createIndex('id', 'id', { unique: true });
      store.createIndex('urlId', 'urlId', { unique: true });
    }
    if (event.oldVersion < 2 && !db.objectStoreNames.contains('snapshots')) {
      db.createObjectStore('snapshots', { keyPath: 'chatId' });
    }
  };
  return wait(request);
}

async function seed() {
  const urlId = location.pathname.split('/')[2];
  const history = await (await fetch(`/history/${urlId}.json`)).json();
  await wait(indexedDB.deleteDatabase(DB_NAME)); // every run starts from the fixture alone
  const db = await openLikeBoltDiy();
  const tx = db.transaction(['chats', 'snapshots'], 'readwrite');
  for (const chat of history.chats) {
    // The AI SDK's messages carry Date objects, so bolt.diy stores dates, not strings.
    const messages = chat.messages.map((m) => (m.createdAt ? { ...m, createdAt: new Date(m.createdAt) } : m));
    tx.objectStore('chats').put({ ...chat, messages });
  }
  for (const snapshot of history.snapshots) tx.objectStore('snapshots').put(snapshot);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

seed().then(
  () => (document.documentElement.dataset.seeded = 'true'),
  (error) => (document.documentElement.dataset.seeded = `error: ${error}`),
);
