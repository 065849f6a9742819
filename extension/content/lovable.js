// Content script on lovable.dev: tells the service worker which project the tab shows and, only
// when an export asks for it, the session's bearer token. No network, nothing stored, nothing
// logged. Runs on every lovable.dev page because the app navigates without reloading; the
// project is read from the address at the moment the worker asks.
//
// The session, from every place Lovable has kept it: Firebase Auth's IndexedDB first
// (`firebaseLocalStorageDb`, store `firebaseLocalStorage`, keyPath `fbase_key`, the record whose
// key starts `firebase:authUser:`: `value.stsTokenManager.accessToken`, valid until
// `expirationTime`, one hour), then the older Supabase-style localStorage key. An expired token
// is never sent: the worker says to reload the tab, and the page's own SDK renews it.
//
// Protocol (content/session-page.js, shared with content/base44.js): the worker opens a port named 'liftoff:capture' and
// posts {type: 'liftoff:capture', purpose: 'inspect' | 'export'}. The answer is one message
// {type: 'session', builder: 'lovable', projectId, title, signedIn, token?}; token is present
// only for purpose 'export' with a project open and a session found (extension/protocol.js,
// CAPTURE_PORT and CaptureSession).
(() => {
  // https://lovable.dev/projects/<uuid>[/...]
  const PROJECT = /^\/projects\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?#]|$)/i;
  // Supabase's session key: sb-<project ref>-auth-token.
  const SESSION_KEY = /^sb-.*-auth-token$/;

  function projectId() {
    const match = PROJECT.exec(location.pathname);
    return match ? match[1].toLowerCase() : null;
  }

  /** access_token of a stored Supabase session (also the older {currentSession} shape). */
  function accessTokenFrom(raw) {
    if (typeof raw !== 'string' || raw === '') return null;
    let text = raw;
    if (text.startsWith('base64-')) {
      try {
        text = atob(text.slice('base64-'.length));
      } catch {
        return null;
      }
    }
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
    const session = value?.currentSession ?? value;
    const token = session?.access_token;
    // Goes into an Authorization header: printable ASCII only.
    return typeof token === 'string' && /^[\x21-\x7e]{8,8192}$/.test(token) ? token : null;
  }

  const FIREBASE_DB = 'firebaseLocalStorageDb';
  const FIREBASE_STORE = 'firebaseLocalStorage';
  const FIREBASE_USER = 'firebase:authUser:';
  const headerSafe = (token) => typeof token === 'string' && /^[\x21-\x7e]{8,8192}$/.test(token);

  const done = (request) =>
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });

  // Opening a database that does not exist would create it (and Firebase's own later open would
  // find it without its store): check first, open whatever version exists, never upgrade.
  async function openFirebase() {
    if (typeof indexedDB.databases !== 'function') return null;
    if (!(await indexedDB.databases()).some((db) => db.name === FIREBASE_DB)) return null;
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(FIREBASE_DB);
      request.onupgradeneeded = () => request.transaction.abort();
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => db.close(); // never block Firebase's own upgrades
        resolve(db);
      };
      request.onerror = (event) => {
        if (request.error?.name !== 'AbortError') return reject(request.error);
        event.preventDefault();
        return resolve(null);
      };
    });
  }

  /** {token, expired} of Firebase Auth's signed-in user, or null. */
  async function firebaseSession() {
    const db = await openFirebase();
    if (!db) return null;
    try {
      if (!db.objectStoreNames.contains(FIREBASE_STORE)) return null;
      const records = await done(db.transaction(FIREBASE_STORE, 'readonly').objectStore(FIREBASE_STORE).getAll());
      for (const record of records) {
        if (typeof record?.fbase_key !== 'string' || !record.fbase_key.startsWith(FIREBASE_USER)) continue;
        const manager = record.value?.stsTokenManager;
        if (!headerSafe(manager?.accessToken)) continue;
        const expires = Number(manager.expirationTime);
        // A minute's margin: the export's requests must not outlive the token.
        return { token: manager.accessToken, expired: Number.isFinite(expires) && expires <= Date.now() + 60_000 };
      }
      return null;
    } finally {
      db.close();
    }
  }

  function storedSession() {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key === null || !SESSION_KEY.test(key)) continue;
      const token = accessTokenFrom(localStorage.getItem(key));
      if (token) return token;
    }
    return null;
  }

  /** A live session first: Firebase's, then the older key; else an expired one, else null. */
  async function sessionToken() {
    const firebase = await firebaseSession();
    if (firebase && !firebase.expired) return firebase;
    return storedSession() ?? firebase;
  }

  liftoffServeSession({ builder: 'lovable', builderName: 'Lovable', domain: 'dev', projectId, sessionToken });
})();
