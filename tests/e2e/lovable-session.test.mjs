// End to end: Lovable's session wherever Lovable keeps it. The real extension in headless
// Chromium over the Lovable stand-ins at their real host names (lib/builders-site.mjs):
// - a page whose session is only in Firebase Auth's IndexedDB (firebaseLocalStorageDb, as the
//   Firebase JS SDK writes it) exports byte for byte;
// - an expired token there is never sent: the popup says to reload the tab;
// - with neither store holding a token, the Authorization header the page itself sends to
//   api.lovable.dev (chrome.webRequest) is used, held in memory only;
// - with a Lovable API key set in the options page, the official /v1 API (the stand-in
//   tests/servers/lovable-v1.mjs) is used: every file at the commit the project reports, Lovable
//   Cloud named, a refused key said as such.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { exportFromPopup, launch, openPopup, screenshotPopup, textOf, waitForInspect } from './lib/browser.mjs';
import { startBuildersSite } from './lib/builders-site.mjs';
import { forgetServiceToken, setServiceToken } from './lib/deploy.mjs';
import { assertCleanedZip, hashTree, readSummary } from './lib/export-checks.mjs';
import { snapshotDir, waitForDownload } from './lib/files.mjs';
import { ARTIFACTS, makeRunDirs, REPO, unpackedExtension, watchWorker } from './lib/setup.mjs';
import { createBase44Api } from '../servers/base44.mjs';
import { createLovableApi } from '../servers/lovable.mjs';
import { createLovableV1Api, DEFAULT_KEY, REPORTED_SHA } from '../servers/lovable-v1.mjs';

const EXPECTED = join(REPO, 'tests/fixtures/lovable/expected');
const PROJECT = '3f0e9c2a-7b4d-4e1a-9c6f-2d8b5a1e7c40';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.FIREBASE-ID-TOKEN-4b1d77.sig-Lq2';
const EXPIRED = 'eyJhbGciOiJSUzI1NiJ9.EXPIRED-ID-TOKEN-0c9e.sig';
const LOVABLE_ORIGIN = 'https://lovable.dev';

describe('Lovable’s session: Firebase’s IndexedDB, an expired token, the header the page sends', { timeout: 120_000 }, () => {
  let tmp;
  let downloadDir;
  let lovable;
  let site;
  let browser;
  let worker;
  let extensionOrigin;
  let v1;
  const workerProblems = [];
  const consoleTexts = [];
  let preflights = 0;

  before(async () => {
    let profileDir;
    ({ tmp, downloadDir, profileDir } = makeRunDirs('liftoff-e2e-lovable-session-', { checkChromium: true }));
    // The project's branch is not `main`: only the ref the page itself reads finds its files
    // through the per-file endpoints (the one-request source-code endpoint needs none).
    lovable = createLovableApi({ fixture: EXPECTED, projectId: PROJECT, token: TOKEN, ref: 'develop' });
    v1 = createLovableV1Api({ fixture: EXPECTED, projectId: PROJECT, database: 'lovable-cloud' });
    // The page's own cross-origin calls are preflighted, and the real api.lovable.dev lets its
    // own site's page through (the page works); the stand-in answers the extension's requests
    // only, and 405s any preflight, so the page's preflight is answered here.
    const api = {
      handle(req, res) {
        if (req.method === 'OPTIONS' && req.headers.origin === LOVABLE_ORIGIN) {
          preflights++;
          res.writeHead(204, {
            'access-control-allow-origin': LOVABLE_ORIGIN,
            'access-control-allow-headers': 'authorization',
            'access-control-allow-methods': 'GET',
          });
          return res.end();
        }
        if (req.headers.origin === LOVABLE_ORIGIN) res.setHeader('access-control-allow-origin', LOVABLE_ORIGIN);
        if (req.url.startsWith('/v1/')) return v1.handle(req, res);
        return lovable.handle(req, res);
      },
    };
    const base44 = createBase44Api({ apps: {}, rows: {}, token: 'unused-base44-token' });
    site = await startBuildersSite({ tmpDir: tmp, lovable: api, base44, titles: { lovable: 'Task Garden - Lovable' } });
    const hosts = Object.fromEntries(['lovable.dev', 'api.lovable.dev', 'lovable-api.com', 'app.base44.com'].map((h) => [h, site.port]));
    ({ browser, worker, extensionOrigin } = await launch({ extensionDir: unpackedExtension(), userDataDir: profileDir, downloadDir, hosts }));
    watchWorker(worker, workerProblems, consoleTexts);
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** A Lovable project page with no Supabase-style key, and Firebase's record when given. */
  async function openLovable(firebase) {
    const page = await browser.newPage();
    page.on('console', (message) => consoleTexts.push(message.text()));
    await page.goto(`${LOVABLE_ORIGIN}/projects/${PROJECT}`, { waitUntil: 'load' });
    await page.evaluate(async (record) => {
      localStorage.clear();
      await new Promise((resolve) => {
        indexedDB.deleteDatabase('firebaseLocalStorageDb').onsuccess = resolve;
      });
      if (!record) return;
      // As the Firebase JS SDK (auth, indexedDBLocalPersistence) writes it.
      const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open('firebaseLocalStorageDb', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('firebaseLocalStorage', { keyPath: 'fbase_key' });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      await new Promise((resolve, reject) => {
        const tx = db.transaction('firebaseLocalStorage', 'readwrite');
        tx.objectStore('firebaseLocalStorage').put(record);
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, firebase ?? null);
    return page;
  }

  const firebaseRecord = (accessToken, expirationTime) => ({
    fbase_key: 'firebase:authUser:AIzaSyLovableWebKey:[DEFAULT]',
    value: {
      uid: 'k3Y9w0rLd',
      email: 'founder@example.com',
      stsTokenManager: { refreshToken: 'AMf-refresh-token', accessToken, expirationTime },
      apiKey: 'AIzaSyLovableWebKey',
      appName: '[DEFAULT]',
    },
  });

  async function exportAndCheck(popup, label) {
    const before = snapshotDir(downloadDir);
    await exportFromPopup(popup);
    const zipPath = await waitForDownload(downloadDir, before);
    const summary = await readSummary(popup);
    assertCleanedZip(zipPath, hashTree(EXPECTED), join(tmp, label), summary.changes);
    assert.equal(readFileSync(zipPath).includes(Buffer.from(TOKEN)), false, 'the token is in the zip');
    const requests = lovable.stats().requests;
    assert.ok(requests.length > 0);
    assert.ok(requests.every((r) => r.auth === 'ok'), JSON.stringify(requests));
  }

  test('a session only in Firebase’s IndexedDB exports byte for byte', async () => {
    lovable.reset();
    const page = await openLovable(firebaseRecord(TOKEN, Date.now() + 3600_000));
    const popup = await openPopup(browser, worker, page);
    await waitForInspect(popup);
    assert.equal(await textOf(popup, '#builder'), 'Lovable');
    assert.equal(await popup.$eval('#export', (b) => b.disabled), false, await textOf(popup, '#status'));
    await exportAndCheck(popup, 'firebase');
    // The database Liftoff read from is still Firebase's own, at its version.
    const version = await page.evaluate(async () => (await indexedDB.databases()).find((d) => d.name === 'firebaseLocalStorageDb')?.version);
    assert.equal(version, 1);
    await popup.close();
    await page.close();
  });

  test('an expired token is not sent: the popup says to reload the tab', async () => {
    lovable.reset();
    const page = await openLovable(firebaseRecord(EXPIRED, Date.now() - 5 * 60_000));
    const popup = await openPopup(browser, worker, page);
    await waitForInspect(popup);
    assert.equal(
      await textOf(popup, '#status'),
      'Your Lovable session in this tab has expired. Reload the Lovable tab (Lovable renews it), then try again.',
    );
    assert.equal(await popup.$eval('#export', (b) => b.disabled), true);
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-lovable-expired.png'));
    assert.deepEqual(lovable.stats().requests, [], 'nothing was sent with the expired token');
    await popup.close();
    await page.close();
  });

  test('with neither store holding a token, the header and the ref the page sends to api.lovable.dev are used', async () => {
    lovable.reset();
    lovable.setSourceCode(false); // the per-file endpoints, which read a ref
    const page = await openLovable(null);
    // Lovable's own app calling its API with the session it holds in memory.
    const status = await page.evaluate(async (token, project) => {
      const response = await fetch(`https://api.lovable.dev/projects/${project}/git/files?ref=develop`, { headers: { Authorization: `Bearer ${token}` } });
      return response.status;
    }, TOKEN, PROJECT);
    assert.equal(status, 200);
    assert.ok(preflights > 0, 'precondition: the page’s own request was cross-origin');
    lovable.reset();
    const popup = await openPopup(browser, worker, page);
    await waitForInspect(popup);
    assert.equal(await popup.$eval('#export', (b) => b.disabled), false, await textOf(popup, '#status'));
    await exportAndCheck(popup, 'header');
    const paths = lovable.stats().requests.map((r) => r.path ?? r.target);
    assert.ok(lovable.stats().requests.length > 2, JSON.stringify(paths));
    lovable.setSourceCode(true);
    await popup.close();

    // Held in memory only, for that tab: another Lovable tab without a session is signed out.
    const other = await openLovable(null);
    const otherPopup = await openPopup(browser, worker, other);
    await waitForInspect(otherPopup);
    assert.equal(await textOf(otherPopup, '#status'), 'Sign in to Lovable in this tab, then try again.');
    await otherPopup.close();
    await other.close();
    await page.close();

    const stored = await worker.evaluate(async () => ({ local: await chrome.storage.local.get(null), session: await chrome.storage.session.get(null) }));
    assert.ok(!JSON.stringify(stored).includes(TOKEN), 'the token was stored');
  });

  test('a Lovable API key in the options page: the official API, at the reported commit, Lovable Cloud named', async () => {
    lovable.reset();
    v1.reset();
    const saved = await setServiceToken(browser, extensionOrigin, 'lovable', DEFAULT_KEY, {
      screenshot: join(ARTIFACTS, 'options-lovable-key.png'),
    });
    assert.equal(saved.state, 'session', saved.status);
    // Signed out in the page: the key alone is enough.
    const page = await openLovable(null);
    const popup = await openPopup(browser, worker, page);
    await waitForInspect(popup);
    assert.equal(await popup.$eval('#export', (b) => b.disabled), false, await textOf(popup, '#status'));
    const before = snapshotDir(downloadDir);
    await exportFromPopup(popup);
    const zipPath = await waitForDownload(downloadDir, before);
    const summary = await readSummary(popup);
    // The fixture is the reported commit; the newer one changes src/App.tsx and adds a file.
    const { dir } = assertCleanedZip(zipPath, hashTree(EXPECTED), join(tmp, 'api-key'), summary.changes);
    assert.ok(summary.warnings.some((w) => /Lovable Cloud/.test(w)), JSON.stringify(summary.warnings));
    assert.match(readFileSync(join(dir, 'LIFTOFF.md'), 'utf8'), /## Lovable Cloud/);
    const requests = v1.stats().requests;
    assert.ok(requests.length > 2 && requests.every((r) => r.auth === 'ok' && r.version === '2026-09-11'), JSON.stringify(requests));
    assert.ok(requests.filter((r) => r.path.includes('/files')).every((r) => r.path.includes(`ref=${REPORTED_SHA}`)), JSON.stringify(requests));
    assert.deepEqual(lovable.stats().requests, [], 'the session endpoints were not used');
    assert.equal(readFileSync(zipPath).includes(Buffer.from(DEFAULT_KEY)), false, 'the key is in the zip');
    await popup.close();

    // A refused key is said as such, and points at Settings.
    await setServiceToken(browser, extensionOrigin, 'lovable', 'lov_revoked-key-000');
    const again = await openPopup(browser, worker, page);
    await waitForInspect(again);
    const problemsBefore = workerProblems.length;
    await again.click('#export');
    await again.waitForFunction(() => document.getElementById('status').dataset.tone === 'error', { timeout: 15_000 });
    assert.match(await textOf(again, '#status'), /^Lovable refused the API key set in Liftoff’s Settings \(401\)/);
    workerProblems.splice(problemsBefore); // the failure's own line, checked above
    await again.close();
    await page.close();
    assert.equal(await forgetServiceToken(browser, extensionOrigin, 'lovable'), 'none');
  });

  test('no token or key in a console; the worker logged no error or warning', () => {
    for (const text of consoleTexts) {
      assert.ok(!text.includes(TOKEN), `the token was logged: ${text}`);
      assert.ok(!text.includes(DEFAULT_KEY), `the key was logged: ${text}`);
    }
    assert.deepEqual(workerProblems, []);
  });
});
