// bolt.diy wherever it runs (localhost:5173, a LAN address, a company domain): no manifest entry
// can name those origins, and Liftoff asks for no `<all_urls>`. When the popup opens on a page no
// content script answers, the popup's activeTab grant (the person clicked Liftoff's icon) lets
// the worker look at that one page; if it looks like bolt.diy, the popup offers "Use Liftoff on
// this site". Once the person says yes, the origin is remembered, and on that origin only, each
// time the person opens the popup there, content/bolt.js is injected under the same grant and
// the export works exactly as on bolt.new. Nothing runs on a site the person did not choose.
const SITES_KEY = 'liftoffSites';
const CONTENT_SCRIPT = 'extension/content/bolt.js';

/** Runs in the page (isolated world): its origin, and whether it looks like bolt.diy. */
async function probeBoltDiy() {
  const databases = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
  const history = databases.some((db) => db.name === 'boltHistory');
  const description = document.querySelector('meta[name="description"]')?.getAttribute('content') ?? '';
  return { origin: location.origin, looksLikeBoltDiy: history || /\bbolt(\.diy)?\b/i.test(`${document.title} ${description}`) };
}

/** The page's {origin, looksLikeBoltDiy}, or null when Liftoff may not look at it. */
async function probe(tabId) {
  try {
    const [frame] = await chrome.scripting.executeScript({ target: { tabId }, func: probeBoltDiy });
    const result = frame?.result;
    return typeof result?.origin === 'string' && /^https?:\/\//.test(result.origin) ? result : null;
  } catch {
    return null; // no grant for this page (the popup was not opened by the person), or a browser page
  }
}

/** The origins where the person said "Use Liftoff on this site", in the order they said it. */
export async function chosenSites() {
  const { [SITES_KEY]: sites } = await chrome.storage.local.get(SITES_KEY);
  return Array.isArray(sites) ? sites.filter((site) => typeof site === 'string') : [];
}

const inject = (tabId) => chrome.scripting.executeScript({ target: { tabId }, files: [CONTENT_SCRIPT] });

/**
 * For a tab no content script answers: {injected: true} when it is a bolt.diy site the person
 * chose (the content script now answers), {offer: origin} when it looks like bolt.diy, else null.
 */
export async function offerSite(tabId) {
  const page = await probe(tabId);
  if (!page) return null;
  if ((await chosenSites()).includes(page.origin)) {
    await inject(tabId);
    return { injected: true };
  }
  return page.looksLikeBoltDiy ? { offer: page.origin } : null;
}

/**
 * The person said "Use Liftoff on this site" for origin: remembered and injected, if the tab
 * still shows that origin. Resolves whether it was.
 */
export async function allowSite(tabId, origin) {
  const page = await probe(tabId);
  if (!page || page.origin !== origin) return false;
  const sites = await chosenSites();
  if (!sites.includes(origin)) await chrome.storage.local.set({ [SITES_KEY]: [...sites, origin] });
  await inject(tabId);
  return true;
}

/** Forgets origin: Liftoff is no longer injected there (the popup asks again). */
export async function forgetSite(origin) {
  const sites = await chosenSites();
  if (sites.includes(origin)) await chrome.storage.local.set({ [SITES_KEY]: sites.filter((site) => site !== origin) });
}
