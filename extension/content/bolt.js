// Content script on Bolt's pages: hosted bolt.new (manifest) and bolt.diy wherever the person
// chose to use Liftoff (injected by the worker under activeTab, background/sources/bolt-diy.js).
// It hands the service worker one of two things, and holds no tokens and makes no requests:
// - Bolt's own download: the zip that Bolt's Export → Download saves (bolt.new keeps its files
//   in the WebContainer and its chats on its servers, so this is the dependable source). The
//   page-world script (content/bolt-page-world.js) posts every zip the page saves; the last one
//   is kept here for this tab. On a project page (/~/<id>) with no zip kept, an export opens
//   Bolt's Export menu and chooses Download itself, finding the controls by role and text in
//   more than one way, for at most 10 s; when nothing works it says what to click.
// - bolt.diy's chat history (IndexedDB `boltHistory`, page origin).
//
// Protocol: the service worker opens a port named 'liftoff:capture' to this tab and posts
// {type: 'liftoff:capture', purpose: 'inspect' | 'export'}. The answer is sent in pieces, because
// one extension message is capped at 64 MiB and is JSON (no bytes):
// {type: 'begin', format: 'history' | 'zip' | null, present, chatHint, length, page, download,
// stored}, {type: 'chunk', text}…, {type: 'end'}. format 'history': the dump as JSON text;
// 'zip': the zip as base64 (only for 'export'). page: {title, projectPage, projectId}; download: {name,
// size, at} of the zip kept, or null; stored: {chats, latest: {description, timestamp}} when the
// address names no chat. Failures answer {type: 'error', message, code?} (code 'bolt-menu': the
// Export menu could not be used). A content script cannot import: the names are written out
// here, as extension/protocol.js defines them (CAPTURE_PORT, CaptureRequest, CaptureBegin,
// CaptureChunk, CaptureEnd, CaptureError).
(() => {
  // Injected again into a page that has it (bolt.diy, a second "Use Liftoff on this site"): one
  // listener is enough.
  if (globalThis.liftoffBoltContent) return;
  globalThis.liftoffBoltContent = true;

  const DB_NAME = 'boltHistory';
  const CHUNK_CHARS = 8 * 1024 * 1024;
  const CHUNK_BYTES = 6 * 1024 * 1024; // a multiple of 3: each piece is whole base64
  const FROM_PAGE = 'liftoff:bolt-page';
  const FROM_CONTENT = 'liftoff:bolt-content';
  const MAX_ZIP_BYTES = 300 * 1024 * 1024; // as the drop page: the core refuses more unpacked
  const ACTIVE_MS = 10_000;
  const MENU_HELP = 'Open Export, choose Download: Liftoff picks the zip up.';

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

  // ---------------------------------------------------------------------------------------
  // Bolt's own download
  // ---------------------------------------------------------------------------------------

  // {name, bytes: Uint8Array, at, path}: the last zip the page saved, and the address it was
  // saved at. bolt.new is a single-page app: a zip saved on one project is never offered on
  // another one opened since in the same tab.
  let kept = null;
  const waiting = new Set(); // resolvers of an export waiting for the page's zip

  window.addEventListener('message', async (event) => {
    const data = event.data;
    if (event.source !== window || data?.source !== FROM_PAGE || data.type !== 'download') return;
    if (!(data.blob instanceof Blob) || data.blob.size === 0 || data.blob.size > MAX_ZIP_BYTES) return;
    // Read at once: the page revokes its blob: URL within seconds, and the Blob is all we have.
    const bytes = new Uint8Array(await data.blob.arrayBuffer());
    kept = { name: zipName(data.name), bytes, at: Date.now(), path: location.pathname };
    for (const resolve of waiting) resolve(kept);
    waiting.clear();
  });

  /** A plain file name (the page's `download` attribute is page data). */
  function zipName(name) {
    // eslint-disable-next-line no-control-regex -- control characters are what it removes
    const base = String(name ?? '').split(/[\\/]/).pop().replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 120);
    return base || 'project.zip';
  }

  const toPage = (type) => window.postMessage({ source: FROM_CONTENT, type }, location.origin);

  const nameOf = (el) =>
    (el.getAttribute('aria-label') || el.textContent || el.getAttribute('title') || '').replace(/\s+/g, ' ').trim();
  const visible = (el) => el.isConnected && !el.closest('[hidden], [aria-hidden="true"]') && el.getClientRects().length > 0;
  const all = (selector, root = document) => [...root.querySelectorAll(selector)].filter(visible);

  // Bolt's markup changes often (the peer that clicks these menus broke on three redesigns in a
  // year): each control is looked for in several ways, most specific first.
  const EXPORT_TRIGGERS = [
    () => all('[aria-haspopup="menu"], [aria-haspopup="true"]').find((el) => /\bexport\b/i.test(nameOf(el))),
    () => all('button, [role="button"]').find((el) => /^export\b/i.test(nameOf(el))),
    () => all('button, [role="button"], a').find((el) => /\bexport\b/i.test(nameOf(el))),
  ];
  const DOWNLOAD_ITEMS = [
    () => all('[role="menu"] [role^="menuitem"]').find((el) => /\bdownload\b/i.test(nameOf(el))),
    () => all('[role="menu"] button, [role="menu"] a, [role="menu"] div').find((el) => /^download\b/i.test(nameOf(el))),
    () => all('[role^="menuitem"], button, a').find((el) => /^download( project| zip| as zip)?$/i.test(nameOf(el))),
  ];
  const firstFound = (strategies) => strategies.map((find) => find()).find(Boolean) ?? null;

  const sleep = (ms) =>
    new Promise((resolve) => {
      setTimeout(resolve, ms);
    });
  async function waitFor(find, deadline) {
    for (;;) {
      const found = find();
      if (found || Date.now() >= deadline) return found ?? null;
      await sleep(100);
    }
  }

  /** Presses like a mouse does: Radix-style menus open on pointerdown, not on click. */
  function press(el) {
    const options = { bubbles: true, cancelable: true, composed: true, button: 0, buttons: 1, view: window };
    el.dispatchEvent(new PointerEvent('pointerdown', { ...options, pointerType: 'mouse', isPrimary: true }));
    el.dispatchEvent(new MouseEvent('mousedown', options));
    el.dispatchEvent(new PointerEvent('pointerup', { ...options, buttons: 0, pointerType: 'mouse', isPrimary: true }));
    el.dispatchEvent(new MouseEvent('mouseup', { ...options, buttons: 0 }));
    el.click();
  }
  const keyOn = (el, key) => el.dispatchEvent(new KeyboardEvent('keydown', { key, code: key, bubbles: true, cancelable: true }));

  /** Opens Bolt's Export menu and chooses Download; false when the controls are not found. */
  async function chooseDownload(deadline) {
    const direct = DOWNLOAD_ITEMS[2]();
    if (direct) {
      press(direct);
      return true;
    }
    const trigger = firstFound(EXPORT_TRIGGERS);
    if (!trigger) return false;
    press(trigger);
    let item = await waitFor(() => firstFound(DOWNLOAD_ITEMS), Math.min(deadline, Date.now() + 1500));
    if (!item) {
      // Some menus open from the keyboard only.
      trigger.focus();
      keyOn(trigger, 'Enter');
      item = await waitFor(() => firstFound(DOWNLOAD_ITEMS), Math.min(deadline, Date.now() + 1500));
    }
    if (!item) return false;
    press(item);
    return true;
  }

  class MenuError extends Error {
    code = 'bolt-menu';
  }

  /** Takes the project through Bolt's own Export → Download, within 10 s. */
  async function downloadThroughMenu() {
    const deadline = Date.now() + ACTIVE_MS;
    let resolveZip;
    const zip = new Promise((resolve) => {
      resolveZip = resolve;
      waiting.add(resolve);
    });
    toPage('arm'); // the page world stops the page's own download of it
    try {
      if (!(await chooseDownload(deadline))) {
        throw new MenuError(`Liftoff could not find Bolt's Export menu on this page. ${MENU_HELP}`);
      }
      const taken = await Promise.race([zip, sleep(Math.max(deadline - Date.now(), 0)).then(() => null)]);
      if (!taken) throw new MenuError(`Bolt did not hand over its download within 10 seconds. ${MENU_HELP}`);
      return taken;
    } finally {
      waiting.delete(resolveZip);
      toPage('disarm');
    }
  }

  // ---------------------------------------------------------------------------------------
  // The page
  // ---------------------------------------------------------------------------------------

  const BOLT_NOISE = /^(bolt(\.new|\.diy)?|stackblitz|untitled)$/i;

  /** The project's name as Bolt shows it, or null: never document.title's "Bolt" noise. */
  function projectTitle() {
    const shown = document.querySelector(
      '[data-project-title], [data-testid="project-title"], [aria-label="Project name"], [aria-label="Project title"]',
    );
    const text = shown ? (shown.value ?? shown.textContent ?? '').replace(/\s+/g, ' ').trim() : '';
    if (text && !BOLT_NOISE.test(text)) return text.slice(0, 120);
    const parts = document.title.split(/\s+[|\u2013\u2014\u00b7-]\s+/).map((p) => p.trim()).filter((p) => p && !BOLT_NOISE.test(p));
    return parts.length === 1 ? parts[0].slice(0, 120) : null;
  }

  /** The id of a hosted bolt.new project (https://bolt.new/~/sb1-<id>), or null. */
  function projectIdOf() {
    const match = location.hostname === 'bolt.new' ? /^\/~\/([^/]+)/.exec(location.pathname) : null;
    return match ? match[1].slice(0, 120) : null;
  }

  /** When the address names no chat: how many chats are stored, and the latest one. */
  function storedSummary(chats) {
    const dated = chats.filter((c) => typeof c?.timestamp === 'string');
    const latest = dated.sort((a, b) => (a.timestamp < b.timestamp ? 1 : -1))[0] ?? chats[0];
    const description = typeof latest?.description === 'string' ? latest.description.slice(0, 120) : null;
    return { chats: chats.length, latest: { description, timestamp: latest?.timestamp ?? null } };
  }

  async function capture(purpose) {
    const chatHint = chatHintFrom(location.pathname);
    const projectId = projectIdOf();
    const page = { title: projectTitle(), projectPage: projectId !== null, projectId };
    if (kept && kept.path !== location.pathname) kept = null;
    const held = () => (kept ? { name: kept.name, size: kept.bytes.length, at: kept.at } : null);
    const answer = (more) => ({ format: null, dump: null, zip: null, chatHint, page, download: held(), ...more });
    if (kept) return answer({ format: 'zip', zip: purpose === 'export' ? kept.bytes : null });
    if (page.projectPage) {
      // A hosted project keeps no history in the browser: its own download is the source.
      if (purpose !== 'export') return answer({});
      const taken = await downloadThroughMenu();
      return answer({ format: 'zip', zip: taken.bytes, download: held() });
    }
    if (!(await databaseExists(DB_NAME))) return answer({});
    const db = await openExisting(DB_NAME);
    if (!db) return answer({});
    try {
      const dump = await readHistory(db, chatHint);
      const empty = !dump || (dump.chats.length === 0 && dump.snapshots.length === 0);
      if (empty) return answer({});
      return answer({ format: 'history', dump, stored: chatHint === undefined ? storedSummary(dump.chats) : undefined });
    } finally {
      db.close();
    }
  }

  function base64Of(bytes) {
    let text = '';
    for (let at = 0; at < bytes.length; at += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(at, at + 0x8000));
    return btoa(text);
  }

  function send(port, { format, dump, zip, chatHint, page, download, stored }) {
    const pieces = [];
    if (format === 'history' && dump) {
      const text = JSON.stringify(dump);
      for (let at = 0; at < text.length; at += CHUNK_CHARS) pieces.push(text.slice(at, at + CHUNK_CHARS));
    } else if (format === 'zip' && zip) {
      for (let at = 0; at < zip.length; at += CHUNK_BYTES) pieces.push(base64Of(zip.subarray(at, at + CHUNK_BYTES)));
    }
    const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
    const present = pieces.length > 0;
    port.postMessage({ type: 'begin', format: present ? format : null, present, chatHint, length, page, download, stored });
    for (const text of pieces) port.postMessage({ type: 'chunk', text });
    port.postMessage({ type: 'end' });
  }

  chrome.runtime.onConnect.addListener((port) => {
    if (port.name !== 'liftoff:capture') return;
    port.onMessage.addListener(async (message) => {
      if (message?.type !== 'liftoff:capture') return;
      try {
        send(port, await capture(message.purpose === 'export' ? 'export' : 'inspect'));
      } catch (error) {
        if (error instanceof MenuError) {
          port.postMessage({ type: 'error', code: error.code, message: error.message });
          return;
        }
        // The name only (e.g. "InvalidStateError"): the message could quote page data.
        port.postMessage({ type: 'error', message: `Could not read the project from the page (${error?.name ?? 'error'}).` });
      }
    });
  });
})();
