// Drives a builder conversation of the core (BuilderSession) with fetch. The core decides what
// to send, how many at once (it bounds concurrency) and when to retry; this loop only carries
// requests out and outcomes back:
//   send everything pollTransmit returns, in parallel; feed each result back as it arrives and
//   ask again; when nothing is in flight and the conversation is not finished, sleep until
//   nextWakeup (a delayed retry).
//
// Tokens: requests carry the builder's token in their headers. Nothing here logs a request, a
// header or a URL; errors passed on are fetch's own generic messages. Redirects are never
// followed (a token must not travel to another host), cookies are never sent (the token is the
// only credential), nothing is cached. And nothing is sent to an origin the manifest's
// host_permissions do not name, nor one the person granted for a self-managed forge (the
// manifest's optional_host_permissions, asked when the host is added: read when a run starts): the core already sends each token only to its own service, and
// this makes "a token goes only where the manifest allows" hold whatever a server answers (a
// cross-origin server that allowed CORS could otherwise receive a request the core built from an
// address in an answer, such as a repository's clone URL).

/** What the core is told when a server answered with a redirect (fetch hides the status). */
const REDIRECT_STATUS = 302;
const REDIRECT_BODY = new TextEncoder().encode(
  JSON.stringify({ message: 'redirected elsewhere; Liftoff never follows a redirect with your session token' }),
);
/** What the core is told for a request to an origin outside host_permissions (never sent). */
const ELSEWHERE_BODY = new TextEncoder().encode(
  JSON.stringify({ message: 'the request pointed outside the hosts Liftoff may call; it was not sent' }),
);

// "https://api.github.com/*" → "https://api.github.com".
const ALLOWED_ORIGINS = new Set(
  (globalThis.chrome?.runtime?.getManifest?.().host_permissions ?? []).map((pattern) => pattern.replace(/\/\*$/, '')),
);

function allowed(url, granted) {
  try {
    const { origin, username, password } = new URL(url);
    return (ALLOWED_ORIGINS.has(origin) || granted.has(origin)) && !username && !password;
  } catch {
    return false;
  }
}

/** The origins granted at run time (a self-managed forge's host), exact ones only: never a pattern. */
async function grantedOrigins() {
  const granted = new Set();
  try {
    const { origins = [] } = (await globalThis.chrome?.permissions?.getAll?.()) ?? {};
    for (const pattern of origins) {
      const origin = pattern.replace(/\/\*$/, '');
      if (/^https:\/\/[^*/]+$/.test(origin)) granted.add(origin);
    }
  } catch {
    // no permissions API (tests): the manifest's hosts only
  }
  return granted;
}

/**
 * Runs session to its end. onProgress({done, total, step?}) is called whenever progress changes:
 * a builder session counts files (fetched of known, 0 of 0 while none is known) and names in step
 * what it does that the count does not show ('download', 'listing', 'data': its phase()).
 * Resolves when session.isFinished() (call session.finish() next); rejects on a bug in the loop
 * itself (the conversation's own errors come out of finish()), and with signal.reason as soon as
 * signal (an AbortSignal, optional) aborts: the requests in flight are cancelled, nothing more is
 * sent, and the session is left unfinished (free it).
 */
export async function drive(session, { onProgress = () => {}, fetchImpl = fetch, signal } = {}) {
  signal?.throwIfAborted();
  const granted = await grantedOrigins();
  const inFlight = new Map(); // request id → promise settled once its outcome was handed over
  const aborter = new AbortController();
  // Settles when signal aborts, so that a wait for a delayed retry or a slow answer ends at once.
  let unlisten = () => {};
  const stopped = signal
    ? new Promise((resolve) => {
        signal.addEventListener('abort', resolve, { once: true });
        unlisten = () => signal.removeEventListener('abort', resolve);
      })
    : null;
  let last = '';
  const report = () => {
    const { done, total } = session.progress();
    const step = session.phase?.() ?? undefined;
    const key = `${done}/${total}/${step}`;
    if (key !== last) {
      last = key;
      onProgress(step ? { done, total, step } : { done, total });
    }
  };

  const start = (request) => {
    const settled = exchange(request, aborter.signal, fetchImpl, granted).then((outcome) => {
      inFlight.delete(request.id);
      if (aborter.signal.aborted) return; // the conversation already ended
      if (outcome.error !== undefined) {
        session.handleNetworkError(request.id, outcome.error, Date.now());
      } else {
        session.handleResponse(request.id, outcome.status, outcome.headers, outcome.body, Date.now());
      }
      report();
    });
    inFlight.set(request.id, settled);
  };

  report();
  try {
    for (;;) {
      for (const request of session.pollTransmit(Date.now())) start(request);
      if (session.isFinished()) return;
      const wake = session.nextWakeup();
      if (inFlight.size === 0 && wake === undefined) {
        throw new Error('The export stalled: nothing left to send, yet not finished.');
      }
      const waits = [...inFlight.values()];
      if (stopped) waits.push(stopped);
      let timer;
      if (wake !== undefined) {
        waits.push(
          new Promise((resolve) => {
            timer = setTimeout(resolve, Math.max(0, wake - Date.now()));
          }),
        );
      }
      try {
        await Promise.race(waits);
      } finally {
        clearTimeout(timer);
      }
      signal?.throwIfAborted();
    }
  } finally {
    // Finished early (an error the core will report, or aborted): whatever is in flight is moot.
    aborter.abort();
    unlisten();
  }
}

/** One request: {status, headers: [[name, value]], body: Uint8Array} or {error: message}. */
async function exchange({ method, url, headers, body }, signal, fetchImpl, granted) {
  if (!allowed(url, granted)) return { status: REDIRECT_STATUS, headers: [], body: ELSEWHERE_BODY };
  let response;
  try {
    response = await fetchImpl(url, {
      method,
      headers,
      body: body === undefined || body === null ? undefined : Uint8Array.from(body),
      redirect: 'manual',
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      signal,
    });
  } catch (error) {
    return { error: networkMessage(error) };
  }
  if (response.type === 'opaqueredirect') {
    return { status: REDIRECT_STATUS, headers: [], body: REDIRECT_BODY };
  }
  try {
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, headers: [...response.headers], body: bytes };
  } catch (error) {
    return { error: networkMessage(error) }; // the connection broke during the body
  }
}

// fetch's messages are generic ("Failed to fetch"): safe to pass on, never a URL or a header.
function networkMessage(error) {
  if (error?.name === 'AbortError') return 'the request was cancelled';
  return `the connection failed (${error?.message ?? 'network error'})`;
}
