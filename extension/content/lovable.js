// Content script on lovable.dev: tells the service worker which project the tab shows and, only
// when an export asks for it, the session's bearer token. No network, nothing stored, nothing
// logged. Runs on every lovable.dev page because the app navigates without reloading; the
// project is read from the address at the moment the worker asks.
//
// Protocol (shared with content/base44.js): the worker opens a port named 'liftoff:capture' and
// posts {type: 'liftoff:capture', purpose: 'inspect' | 'export'}. The answer is one message
// {type: 'session', builder: 'lovable', projectId, title, signedIn, token?}; token is present
// only for purpose 'export' with a project open and a session found.
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

  function sessionToken() {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key === null || !SESSION_KEY.test(key)) continue;
      const token = accessTokenFrom(localStorage.getItem(key));
      if (token) return token;
    }
    return null;
  }

  // The builder's own name around the project's ("Task Garden - Lovable", "Lovable | Task Garden"),
  // and names that are the page's, not the project's.
  const BUILDER_SUFFIX = /\s*[-|\u2013\u2014\u00b7:]\s*Lovable(?:\.dev)?\s*$/i;
  const BUILDER_PREFIX = /^Lovable(?:\.dev)?\s*[-|\u2013\u2014\u00b7:]\s*/i;
  const GENERIC = /^(?:Lovable(?:\.dev)?|dashboard|home|projects?|apps?|editor|preview|settings|untitled|loading\W*)$/i;

  /**
   * The project's name as the page shows it, to name the zip (and for display): the tab title
   * without the builder's name, else the page's main heading; null when neither names it.
   */
  function title() {
    const candidates = [document.title, document.querySelector('h1')?.textContent];
    for (const raw of candidates) {
      const name = String(raw ?? '')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(BUILDER_SUFFIX, '')
        .replace(BUILDER_PREFIX, '')
        .trim();
      if (name && !GENERIC.test(name)) return name.slice(0, 120);
    }
    return null;
  }

  chrome.runtime.onConnect.addListener((port) => {
    if (port.name !== 'liftoff:capture') return;
    port.onMessage.addListener((message) => {
      if (message?.type !== 'liftoff:capture') return;
      let answer;
      try {
        const id = projectId();
        const token = sessionToken();
        answer = { type: 'session', builder: 'lovable', projectId: id, title: title(), signedIn: token !== null };
        if (message.purpose === 'export' && id && token) answer.token = token;
      } catch (error) {
        // localStorage can throw (storage disabled); the name only, never page data.
        answer = { type: 'error', message: `Could not read the Lovable session (${error?.name ?? 'error'}).` };
      }
      port.postMessage(answer);
    });
  });
})();
