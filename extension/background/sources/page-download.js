// A builder's own download that Liftoff asked for goes to Liftoff, not to the person's Downloads
// folder. The page-world script (content/bolt-page-world.js) stops the page's download while
// Liftoff waits for it; should the page save it anyway (a way of saving the script does not
// see), the file is taken out again here. A blob download finishes at once, so cancel() does
// nothing: removeFile() then erase() (browser.md, "Catching a page's own download").
import { builders } from '../core/catalog.js';

/** Whether url is a `blob:` URL made by a page on one of hosts. */
export function isPageBlob(url, hosts) {
  if (typeof url !== 'string' || !url.startsWith('blob:')) return false;
  try {
    return hosts.has(new URL(url.slice('blob:'.length)).hostname);
  } catch {
    return false;
  }
}

/**
 * Runs run() (an export that may ask a builder's page for its download) and, while it runs,
 * removes every download that a page of a builder read from its page (the catalog's builders
 * that are not fetched: Bolt) starts. Resolves run()'s result.
 */
export async function eraseOwnDownloads(run) {
  const hosts = new Set((await builders()).filter((builder) => !builder.fetched).flatMap((builder) => builder.hosts));
  const erased = [];
  const onCreated = (item) => {
    if (item.byExtensionId === chrome.runtime.id || !isPageBlob(item.url ?? item.finalUrl, hosts)) return;
    erased.push(erase(item.id));
  };
  chrome.downloads.onCreated.addListener(onCreated);
  try {
    return await run();
  } finally {
    chrome.downloads.onCreated.removeListener(onCreated);
    await Promise.all(erased);
  }
}

async function erase(id) {
  // The download may still be writing: wait for its end (at most a few seconds) first.
  for (let tries = 0; tries < 50; tries++) {
    const [item] = await chrome.downloads.search({ id }).catch(() => []);
    if (!item || item.state !== 'in_progress') break;
    await new Promise((resolve) => {
      setTimeout(resolve, 100);
    });
  }
  await chrome.downloads.cancel(id).catch(() => {});
  await chrome.downloads.removeFile(id).catch(() => {});
  await chrome.downloads.erase({ id }).catch(() => {});
}
