// Content script on lovable.dev: tells the service worker which project the tab shows and, only
// when an export asks for it, the session's bearer token. No network, nothing stored, nothing
// logged. Runs on every lovable.dev page because the app navigates without reloading; the
// project is read from the address at the moment the worker asks.
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

  function sessionToken() {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key === null || !SESSION_KEY.test(key)) continue;
      const token = accessTokenFrom(localStorage.getItem(key));
      if (token) return token;
    }
    return null;
  }

  liftoffServeSession({ builder: 'lovable', builderName: 'Lovable', domain: 'dev', projectId, sessionToken });
})();
