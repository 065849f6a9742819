// Content script on app.base44.com: tells the service worker which app the tab shows and, only
// when an export asks for it, the session's access token. No network, nothing stored, nothing
// logged. Same protocol as content/lovable.js: one answer
// {type: 'session', builder: 'base44', projectId, title, signedIn, token?} per request.
//
// The app id (24 hex digits) is read from the address at the moment the worker asks, in the
// shapes the editor uses: a path segment after /apps/ (…/apps/<id>/editor/…), or the query
// parameters appId / app_id. The token is localStorage `base44_access_token` (a bare string, or
// a JSON-quoted one).
(() => {
  const ID = /^[0-9a-f]{24}$/i;
  const PATH = /\/apps?\/([0-9a-f]{24})(?=[/?#]|$)/i;

  function appId() {
    const fromPath = PATH.exec(location.pathname);
    if (fromPath) return fromPath[1].toLowerCase();
    const params = new URLSearchParams(location.search);
    for (const name of ['appId', 'app_id']) {
      const value = params.get(name);
      if (value && ID.test(value)) return value.toLowerCase();
    }
    return null;
  }

  function sessionToken() {
    let token = localStorage.getItem('base44_access_token');
    if (typeof token !== 'string') return null;
    token = token.trim();
    if (token.startsWith('"')) {
      try {
        token = JSON.parse(token);
      } catch {
        return null;
      }
    }
    return typeof token === 'string' && /^[\x21-\x7e]{8,8192}$/.test(token) ? token : null;
  }

  // The builder's own name around the project's ("Task Garden - Base44", "Base44 | Task Garden"),
  // and names that are the page's, not the project's.
  const BUILDER_SUFFIX = /\s*[-|\u2013\u2014\u00b7:]\s*Base44(?:\.com)?\s*$/i;
  const BUILDER_PREFIX = /^Base44(?:\.com)?\s*[-|\u2013\u2014\u00b7:]\s*/i;
  const GENERIC = /^(?:Base44(?:\.com)?|dashboard|home|projects?|apps?|editor|preview|settings|untitled|loading\W*)$/i;

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
        const id = appId();
        const token = sessionToken();
        answer = { type: 'session', builder: 'base44', projectId: id, title: title(), signedIn: token !== null };
        if (message.purpose === 'export' && id && token) answer.token = token;
      } catch (error) {
        answer = { type: 'error', message: `Could not read the Base44 session (${error?.name ?? 'error'}).` };
      }
      port.postMessage(answer);
    });
  });
})();
