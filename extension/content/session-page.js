// Shared by the content scripts of builders whose API takes the page's session token
// (content/lovable.js, content/base44.js), loaded before them in the same isolated world.
// One protocol: the worker opens a port named 'liftoff:capture' and posts
// {type: 'liftoff:capture', purpose: 'inspect' | 'export'}; the answer is one message
// {type: 'session', builder, projectId, title, signedIn, expired?, token?}, with the token only
// for purpose 'export' when a project is open and a live session was found (expired: the page
// holds a session whose token has expired; the page's own SDK renews it on reload). No network,
// nothing stored,
// nothing logged. A content script cannot import: the port's name and the messages are written
// out here, as extension/protocol.js defines them (CAPTURE_PORT, CaptureRequest, CaptureSession,
// CaptureError).

/**
 * Answers the worker for one builder: `projectId()` and `sessionToken()` read the page at the
 * moment of asking; `builderName` (e.g. 'Lovable') is trimmed from the page's title.
 * sessionToken() gives (or resolves) null, a token, or {token, expired}.
 */
function liftoffServeSession({ builder, builderName, domain, projectId, sessionToken }) {
  const name = `${builderName}(?:\\.${domain})?`;
  // The builder's own name around the project's ("Task Garden - Lovable", "Lovable | Task
  // Garden"), and names that are the page's, not the project's.
  const BUILDER_SUFFIX = new RegExp(`\\s*[-|\\u2013\\u2014\\u00b7:]\\s*${name}\\s*$`, 'i');
  const BUILDER_PREFIX = new RegExp(`^${name}\\s*[-|\\u2013\\u2014\\u00b7:]\\s*`, 'i');
  const GENERIC = new RegExp(
    `^(?:${name}|dashboard|home|projects?|apps?|editor|preview|settings|untitled|loading\\W*)$`,
    'i',
  );

  /**
   * The project's name as the page shows it, to name the zip (and for display): the tab title
   * without the builder's name, else the page's main heading; null when neither names it.
   */
  function title() {
    const candidates = [document.title, document.querySelector('h1')?.textContent];
    for (const raw of candidates) {
      const text = String(raw ?? '')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(BUILDER_SUFFIX, '')
        .replace(BUILDER_PREFIX, '')
        .trim();
      if (text && !GENERIC.test(text)) return text.slice(0, 120);
    }
    return null;
  }

  chrome.runtime.onConnect.addListener((port) => {
    if (port.name !== 'liftoff:capture') return;
    port.onMessage.addListener(async (message) => {
      if (message?.type !== 'liftoff:capture') return;
      let answer;
      try {
        const id = projectId();
        const found = await sessionToken();
        const { token, expired } = found !== null && typeof found === 'object' ? found : { token: found, expired: false };
        answer = { type: 'session', builder, projectId: id, title: title(), signedIn: Boolean(token) };
        if (token && expired) answer.expired = true;
        else if (message.purpose === 'export' && id && token) answer.token = token;
      } catch (error) {
        // localStorage and IndexedDB can throw (storage disabled); the name only, never page data.
        answer = {
          type: 'error',
          message: `Could not read the ${builderName} session (${error?.name ?? 'error'}).`,
        };
      }
      port.postMessage(answer);
    });
  });
}
