// Launches Debian's Chromium with the real extension (the repository root) and drives its popup
// the way browser.md describes: bring the page to the front, chrome.action.openPopup() inside
// the service worker, then attach to the popup target.
import assert from 'node:assert/strict';

import puppeteer from 'puppeteer-core';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Headless Chromium's screen is 800x600 unless told otherwise, and Chrome caps a popup to the
  // screen's work area (about 510 px there): a desktop-sized screen lets the popup grow to its
  // real limit (600 px), as users see it.
  '--screen-info={1440x900}',
];

/**
 * hosts: {hostName: port} mapped to 127.0.0.1 (port alone maps bolt.new, as before).
 */
export async function launch({ extensionDir, userDataDir, downloadDir, port, hosts = { 'bolt.new': port } }) {
  const rules = Object.entries(hosts).map(([name, at]) => `MAP ${name} 127.0.0.1:${at}`).join(', ');
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: false, // --headless=new is in FLAGS, so the flag list is exactly the one documented
    pipe: true,
    enableExtensions: [extensionDir],
    userDataDir,
    defaultViewport: null,
    args: [...FLAGS, `--host-resolver-rules=${rules}`, '--ignore-certificate-errors'],
  });
  const cdp = await browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadDir });
  const workerTarget = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().endsWith('/extension/service-worker.js'),
    { timeout: 15_000 },
  );
  const worker = await workerTarget.worker();
  // new URL(...).origin is 'null' for chrome-extension: in Node, so build it by hand.
  const { protocol, host } = new URL(workerTarget.url());
  return { browser, worker, extensionOrigin: `${protocol}//${host}` };
}

/** Opens a tab on url and waits for it to load (and, when asked, for the fixture to be seeded). */
export async function openBoltPage(browser, url, { seeded = false } = {}) {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  if (seeded) {
    await page.waitForFunction(() => document.documentElement.dataset.seeded, { timeout: 10_000 });
    const state = await page.evaluate(() => document.documentElement.dataset.seeded);
    if (state !== 'true') throw new Error(`seeding boltHistory failed: ${state}`);
  }
  return page;
}

/** Opens the real action popup over page; resolves the popup as a Page. */
export async function openPopup(browser, worker, page) {
  await page.bringToFront();
  const isPopup = (t) => t.url().endsWith('/extension/popup/popup.html');
  const opened = browser.waitForTarget(isPopup, { timeout: 10_000 });
  await worker.evaluate('chrome.action.openPopup()');
  const popup = await (await opened).asPage();
  await popup.waitForSelector('#status');
  return popup;
}

/**
 * Opens the popup over page the way a person's click on Liftoff's icon does (CDP
 * Extensions.triggerAction: the action runs, so Chrome grants activeTab for the tab, which
 * chrome.action.openPopup() does not); resolves the popup as a Page.
 */
export async function clickActionIcon(browser, page) {
  await page.bringToFront();
  const [extension] = [...(await browser.extensions()).values()];
  const isPopup = (t) => t.url().endsWith('/extension/popup/popup.html');
  const opened = browser.waitForTarget(isPopup, { timeout: 10_000 });
  await page.triggerExtensionAction(extension);
  const popup = await (await opened).asPage();
  await popup.waitForSelector('#status');
  return popup;
}

/** Waits until the popup has settled on "project found" or "no project". */
export async function waitForInspect(popup) {
  await popup.waitForFunction(
    () => !document.getElementById('project').hidden || document.getElementById('status').dataset.tone === 'empty',
    { timeout: 15_000 },
  );
}

export const textOf = (popup, selector) => popup.$eval(selector, (el) => el.textContent.trim());

/**
 * The stand-in bolt.new's chat (seeded) and the popup opened on it, settled on the project:
 * {page, popup}. watch(popup) sees the popup first (e.g. setup.mjs's listenTo).
 */
export async function openBoltChat(browser, worker, chat, watch = (popup) => popup) {
  const page = await openBoltPage(browser, `https://bolt.new/chat/${chat}`, { seeded: true });
  const popup = watch(await openPopup(browser, worker, page));
  await waitForInspect(popup);
  assert.equal(await textOf(popup, '#builder'), 'Bolt');
  return { page, popup };
}

/** Lists the names of IndexedDB databases the page's origin holds. */
export const databasesOf = (page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));

/**
 * Screenshots the popup once its window has grown to fit the content (Chrome resizes popups
 * after layout changes, up to 600 px high), so the picture shows what a user sees.
 */
export async function screenshotPopup(popup, path) {
  await popup.waitForFunction(
    // +1: the window height is a whole number of pixels, the content height may not be.
    () => innerHeight + 1 >= Math.min(document.documentElement.scrollHeight, 600),
    { timeout: 5_000 },
  );
  await popup.screenshot({ path });
}

/** Waits until the extension holds no zip waiting for download and no offscreen document. */
export async function waitForCleanup(worker, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  let state;
  while (Date.now() < deadline) {
    state = await worker.evaluate(async () => {
      const contexts = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
      const zips = await new Promise((resolve, reject) => {
        const request = indexedDB.open('liftoff-downloads');
        request.onsuccess = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains('zips')) return resolve(0);
          const count = db.transaction('zips').objectStore('zips').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
          db.close();
        };
        request.onerror = () => reject(request.error);
      });
      return { offscreenDocuments: contexts.length, storedZips: zips };
    });
    if (state.offscreenDocuments === 0 && state.storedZips === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the extension did not clean up after the download: ${JSON.stringify(state)}`);
}

/** Clicks Export and waits for the result block, failing with the popup's own error sentence. */
export async function exportFromPopup(popup, timeout = 30_000) {
  await popup.click('#export');
  await popup.waitForFunction(
    () => !document.getElementById('result').hidden || document.getElementById('status').dataset.tone === 'error',
    { timeout },
  );
  assert.equal(await popup.$eval('#result', (el) => el.hidden), false, `export failed: ${await textOf(popup, '#status')}`);
}
