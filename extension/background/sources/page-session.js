// The session a builder's own page sends to the builder's API, as a fallback for when Liftoff
// cannot read it where the builder keeps it (a builder that changes its sign-in again needs no
// release): chrome.webRequest.onSendHeaders shows the worker the `Authorization` header the
// page itself sends, and the `ref` it reads (Lovable's `git/files?ref=`: the branch the export
// should read too). Kept in this worker's memory only, per tab, for the builder whose page sent
// it to that builder's own API origins (the catalog's), never stored, never logged, forgotten
// when the tab closes or after 50 minutes (Lovable's tokens live an hour).
import { builders } from '../core/catalog.js';

const MAX_AGE_MS = 50 * 60 * 1000;
const BEARER = /^Bearer ([\x21-\x7e]{8,8192})$/;
const REF = /^[\w.\-/]{1,200}$/;
const seen = new Map(); // tabId -> {builder, token, ref, at}

/**
 * Registered at the worker's top level (so that the page's requests wake it): watches requests
 * to the manifest's host permissions, and keeps a bearer token only when a tab on a fetched
 * builder's page sent it to that builder's API.
 */
export function watchPageSessions() {
  const urls = chrome.runtime.getManifest().host_permissions ?? [];
  chrome.webRequest.onSendHeaders.addListener(
    (details) => {
      if (details.tabId < 0) return; // the worker's own requests
      const header = details.requestHeaders?.find((h) => h.name.toLowerCase() === 'authorization');
      const token = BEARER.exec(header?.value ?? '')?.[1];
      if (token) keep(details, token).catch(() => {});
    },
    { urls },
    ['requestHeaders', 'extraHeaders'],
  );
  chrome.tabs.onRemoved.addListener((tabId) => seen.delete(tabId));
}

async function keep({ tabId, url, initiator }, token) {
  const parsed = new URL(url);
  const from = initiator ? new URL(initiator).hostname : null;
  const builder = (await builders()).find((b) => b.fetched && b.origins.includes(parsed.origin) && b.hosts.includes(from));
  if (!builder) return;
  const asked = parsed.searchParams.get('ref');
  const ref = asked && REF.test(asked) ? asked : (seen.get(tabId)?.builder === builder.id ? seen.get(tabId).ref : null);
  seen.set(tabId, { builder: builder.id, token, ref, at: Date.now() });
}

/** What builder's page in tabId last sent to its API, if recent: {token, ref} (ref may be null); else null. */
export function pageSession(tabId, builder) {
  const entry = seen.get(tabId);
  if (!entry || entry.builder !== builder) return null;
  if (Date.now() - entry.at > MAX_AGE_MS) {
    seen.delete(tabId);
    return null;
  }
  return { token: entry.token, ref: entry.ref };
}

/** The token builder's page in tabId last sent to its API, if recent; else null. */
export const pageSessionToken = (tabId, builder) => pageSession(tabId, builder)?.token ?? null;
