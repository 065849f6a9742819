// A small fake of the chrome.* APIs the service worker's modules use: storage.local and
// storage.session, runtime (manifest, URLs, id, ports), tabs.connect, downloads. Values and
// messages go through JSON, as Chrome's do, so a test sees what would really cross.
import { readFileSync } from 'node:fs';

const MANIFEST = JSON.parse(readFileSync(new URL('../../../manifest.json', import.meta.url), 'utf8'));
const ID = 'liftofftestextensionid';

const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** An event: addListener, removeListener, hasListener, and dispatch(...args) for the test. */
export function fakeEvent() {
  const listeners = new Set();
  return {
    addListener: (listener) => listeners.add(listener),
    removeListener: (listener) => listeners.delete(listener),
    hasListener: (listener) => listeners.has(listener),
    dispatch: (...args) => [...listeners].map((listener) => listener(...args)),
    get size() {
      return listeners.size;
    },
  };
}

/** A chrome.storage area: get(key | keys | null), set(items), remove(key | keys); `data` for the test. */
function storageArea() {
  const data = new Map();
  const names = (keys) => (keys === null || keys === undefined ? [...data.keys()] : [keys].flat());
  return {
    data,
    async get(keys) {
      const out = {};
      for (const key of names(keys)) if (data.has(key)) out[key] = copy(data.get(key));
      return out;
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) data.set(key, copy(value));
    },
    async remove(keys) {
      for (const key of names(keys)) data.delete(key);
    },
  };
}

/**
 * Two connected ends of a port named name: what one end posts reaches the other's onMessage (a
 * task later, as in Chrome); disconnect() fires the other end's onDisconnect a task later, and
 * from then on that end's postMessage throws, as Chrome's does.
 */
export function fakePortPair(name, sender = {}) {
  const make = () => ({ name, sender, onMessage: fakeEvent(), onDisconnect: fakeEvent(), posted: [], connected: true });
  const [a, b] = [make(), make()];
  for (const [self, other] of [
    [a, b],
    [b, a],
  ]) {
    self.postMessage = (message) => {
      if (!self.connected) throw new Error('Attempting to use a disconnected port object');
      self.posted.push(copy(message));
      setImmediate(() => {
        if (other.connected) other.onMessage.dispatch(copy(message), other);
      });
    };
    self.disconnect = () => {
      if (!self.connected) return;
      self.connected = false;
      setImmediate(() => {
        if (!other.connected) return;
        other.connected = false;
        other.onDisconnect.dispatch(other);
      });
    };
  }
  return [a, b];
}

/** The fake, with reset() to empty every storage and forget every listener between tests. */
function createChrome() {
  const chrome = {
    storage: {},
    runtime: {
      id: ID,
      lastError: undefined,
      getManifest: () => copy(MANIFEST),
      getURL: (path) => `chrome-extension://${ID}/${String(path).replace(/^\//, '')}`,
      getPlatformInfo: async () => ({ os: 'linux' }),
    },
    tabs: {
      /**
       * Opens a port to the tab's content script: contentScripts.get(tabId)(port) plays the
       * page's end; a tab without one disconnects at once, as Chrome does.
       */
      connect(tabId, { name }) {
        const [worker, page] = fakePortPair(name);
        chrome.tabs.connected.push({ tabId, name });
        const script = chrome.tabs.contentScripts.get(tabId);
        if (script) script(page);
        else page.disconnect();
        return worker;
      },
    },
    downloads: {},
    reset,
  };

  function reset() {
    chrome.storage.local = storageArea();
    chrome.storage.session = storageArea();
    chrome.storage.onChanged = fakeEvent();
    chrome.runtime.onConnect = fakeEvent();
    chrome.runtime.onMessage = fakeEvent();
    chrome.runtime.sendMessage = async () => undefined;
    chrome.tabs.contentScripts = new Map();
    chrome.tabs.connected = [];
    chrome.downloads.onChanged = fakeEvent();
    chrome.downloads.made = [];
    chrome.downloads.download = async (options) => chrome.downloads.made.push(copy(options));
    chrome.downloads.search = async () => [];
    chrome.webRequest = { onSendHeaders: fakeEvent() };
    chrome.tabs.onRemoved = fakeEvent();
    // Optional host permissions: `granted` holds the origin patterns given at run time (a test
    // plays the person's answer to Chrome's prompt with chrome.permissions.answer).
    const granted = new Set();
    chrome.permissions = {
      granted,
      answer: true,
      contains: async ({ origins = [] }) => origins.every((o) => granted.has(o)),
      getAll: async () => ({ permissions: [], origins: [...MANIFEST.host_permissions, ...granted] }),
      request: async ({ origins = [] }) => {
        if (chrome.permissions.answer) for (const o of origins) granted.add(o);
        return chrome.permissions.answer;
      },
      remove: async ({ origins = [] }) => origins.map((o) => granted.delete(o)).every(Boolean),
    };
  }

  reset();
  return chrome;
}

/** Installs the fake as globalThis.chrome (once per test process) and returns it. */
export function installChrome() {
  globalThis.chrome ??= createChrome();
  return globalThis.chrome;
}
