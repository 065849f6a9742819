// Content script on app.base44.com: tells the service worker which app the tab shows and, only
// when an export asks for it, the session's access token. No network, nothing stored, nothing
// logged. Same protocol as content/lovable.js: one answer
// {type: 'session', builder: 'base44', projectId, title, signedIn, token?} per request
// (extension/protocol.js, CAPTURE_PORT and CaptureSession).
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

  liftoffServeSession({ builder: 'base44', builderName: 'Base44', domain: 'com', projectId: appId, sessionToken });
})();
