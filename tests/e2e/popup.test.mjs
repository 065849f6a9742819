// End to end: the real extension (repository root, real wasm core) in headless Chromium, over a
// local stand-in for https://bolt.new whose page stores the Bolt fixture the way bolt.diy does.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  databasesOf,
  exportFromPopup,
  launch,
  openBoltPage,
  openPopup,
  screenshotPopup,
  textOf,
  waitForCleanup,
  waitForInspect,
} from './lib/browser.mjs';
import { BIG_URL_ID, makeBigHistory } from './lib/big-project.mjs';
import {
  assertCleanedZip,
  assertCounts,
  hashTree,
  readSummary,
  switchKeepBuilderFilesInOptions,
} from './lib/export-checks.mjs';
import { assertZipMatches, listFiles, snapshotDir, waitForDownload } from './lib/files.mjs';
import { startBoltServer } from './lib/server.mjs';
import { ARTIFACTS, boltHistories, makeRunDirs, REPO, SEED_SCRIPT, unpackedExtension, watchWorker, withoutHistory } from './lib/setup.mjs';

const FIXTURE = join(REPO, 'tests/fixtures/bolt');
const EXPECTED = join(FIXTURE, 'expected');
const NO_PROJECT = /This page holds no Bolt project that Liftoff can read\. Download the project from Bolt, then drop the zip here\./;
const BIG_FILE_BYTES = 50 * 1024 * 1024;

describe('Liftoff popup on bolt.new', { timeout: 90_000 }, () => {
  let tmp;
  let server;
  let browser;
  let worker;
  let extensionOrigin;
  let downloadDir;
  let big; // made on first request: 50 MiB of random bytes
  const workerProblems = []; // console errors and warnings of the service worker

  before(async () => {
    let profileDir;
    ({ tmp, downloadDir, profileDir } = makeRunDirs('liftoff-e2e-', { checkChromium: true }));
    const histories = boltHistories(FIXTURE);
    histories[BIG_URL_ID] = () => (big ??= makeBigHistory(BIG_FILE_BYTES)).json;
    server = await startBoltServer({ tmpDir: tmp, histories, seedScriptPath: SEED_SCRIPT });
    ({ browser, worker, extensionOrigin } = await launch({
      extensionDir: unpackedExtension(),
      userDataDir: profileDir,
      downloadDir,
      port: server.port,
    }));
    watchWorker(worker, workerProblems);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('a page without Bolt history: the popup says so and Export is disabled', async () => {
    const page = await openBoltPage(browser, 'https://bolt.new/');
    await page.evaluate(() => new Promise((done) => (indexedDB.deleteDatabase('boltHistory').onsuccess = done)));
    const popup = await openPopup(browser, worker, page);
    await waitForInspect(popup);

    assert.match(await textOf(popup, '#status'), NO_PROJECT);
    assert.equal(await popup.$eval('#export', (b) => b.disabled), true, 'Export must be disabled');
    assert.equal(await popup.$eval('#project', (el) => el.hidden), true);
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-empty.png'));
    await popup.close();
    await page.close();
  });

  test('inspecting a chat page never creates the boltHistory database', async () => {
    // A /chat/ URL, so the content script has a chat hint and still must not open the database.
    const page = await openBoltPage(browser, 'https://bolt.new/chat/not-stored-here');
    await page.evaluate(() => new Promise((done) => (indexedDB.deleteDatabase('boltHistory').onsuccess = done)));
    assert.ok(!(await databasesOf(page)).includes('boltHistory'), 'precondition: no boltHistory');

    const popup = await openPopup(browser, worker, page);
    await waitForInspect(popup);
    assert.match(await textOf(popup, '#status'), NO_PROJECT);
    await popup.close();

    assert.ok(
      !(await databasesOf(page)).includes('boltHistory'),
      'the content script created boltHistory; bolt.diy would then fail to upgrade it',
    );
    await page.close();
  });

  /** Opens the my-portfolio chat, checks the popup's project card, exports; returns the zip. */
  async function exportPortfolio(popupErrors) {
    const page = await openBoltPage(browser, 'https://bolt.new/chat/my-portfolio', { seeded: true });
    const popup = await openPopup(browser, worker, page);
    popup.on('pageerror', (error) => popupErrors.push(error.message));
    await waitForInspect(popup);

    assert.equal(await textOf(popup, '#builder'), 'Bolt');
    assert.match(await textOf(popup, '#project-name'), /^my[- ]portfolio$/i);
    assert.equal(await textOf(popup, '#file-count'), `${listFiles(EXPECTED).length} files`);
    assert.equal(await popup.$eval('#export', (b) => b.disabled), false);

    const before = snapshotDir(downloadDir);
    await exportFromPopup(popup);
    assert.equal(await textOf(popup, '#result-title'), 'Downloaded');
    assert.equal(await textOf(popup, '#result-file'), 'my-portfolio-export.zip');
    assert.match(await textOf(popup, '#result-size'), /^\d+(\.\d)? (B|KB|MB)$/);

    // The file the page cannot provide is listed, with a reason, and is not in the zip.
    const skipped = await popup.$$eval('#result-skipped li', (items) => items.map((li) => li.textContent));
    assert.equal(skipped.length, 1, `skipped: ${JSON.stringify(skipped)}`);
    assert.match(skipped[0], /^public\/watched\.png.+/);
    assert.equal(await popup.$eval('#result-skipped', (el) => el.hidden), false);
    return { page, popup, zipPath: await waitForDownload(downloadDir, before) };
  }

  test('exports the open chat cleaned up: fixture files byte for byte unless reported, .bolt/ gone, the summary shown', async () => {
    const pageErrors = [];
    const { page, popup, zipPath } = await exportPortfolio(pageErrors);
    const summary = await readSummary(popup);
    assert.equal(summary.shown, true);
    assert.equal(summary.raw, false);
    assertCounts(summary);
    const { entries } = assertCleanedZip(zipPath, hashTree(EXPECTED), join(tmp, 'extracted'), summary.changes);

    // Bolt's marks are gone, LIFTOFF.md explains, the scaffold is there.
    assert.ok(listFiles(EXPECTED).some((path) => path.startsWith('.bolt/')), 'precondition: the fixture has .bolt/');
    assert.ok(!entries.some((path) => path.startsWith('.bolt/')), '.bolt/ is still in the zip');
    assert.ok(summary.changes.some((c) => c.action === 'removed' && c.path === '.bolt/'));
    for (const path of ['LIFTOFF.md', '.gitignore', 'README.md']) assert.ok(entries.includes(path), `${path} is missing`);
    assert.ok(!entries.includes('public/watched.png'));
    assert.equal(await textOf(popup, '#result-files'), String(entries.length));
    // Nothing to set, no secret, no tie to Bolt's platform: those blocks stay out of the way.
    for (const id of ['summary-secrets', 'summary-env', 'summary-ties', 'summary-warnings']) {
      assert.equal(await popup.$(`#${id}`), null, `#${id} is shown for a project that needs none`);
    }
    await waitForCleanup(worker); // the stored zip and the offscreen document are gone

    await screenshotPopup(popup, join(ARTIFACTS, 'popup-export.png'));
    assert.deepEqual(pageErrors, []);
    await popup.close();
    await page.close();
  });

  test('with "keep the builder\'s files" switched on in the options page, the zip equals the fixture byte for byte', async () => {
    const before = await worker.evaluate(() => chrome.storage.local.get(null));
    assert.deepEqual(withoutHistory(before), {}, 'nothing is stored before the user chooses');
    // The History view's record of the export above: the project's name and the file, no more.
    assert.ok(before.liftoffHistory.length >= 1, 'the export was not recorded');
    for (const entry of before.liftoffHistory) {
      assert.deepEqual(Object.keys(entry).sort(), ['file', 'id', 'kind', 'link', 'project', 'state', 'target', 'time']);
      assert.equal(entry.kind, 'export');
      assert.equal(entry.target, 'download');
      assert.match(entry.file, /\.zip$/);
    }
    let stored = await switchKeepBuilderFilesInOptions(browser, extensionOrigin, worker, true, {
      screenshot: join(ARTIFACTS, 'options.png'),
    });
    assert.deepEqual(withoutHistory(stored), { keepBuilderFiles: true });
    try {
      const pageErrors = [];
      const { page, popup, zipPath } = await exportPortfolio(pageErrors);
      const entries = assertZipMatches(zipPath, EXPECTED, join(tmp, 'extracted-raw'));
      assert.ok(!entries.includes('public/watched.png'));
      assert.ok(!entries.includes('LIFTOFF.md'));
      const summary = await readSummary(popup);
      assert.equal(summary.raw, true);
      assert.match(summary.text, /exactly as they are/);
      assert.equal(await popup.$('#summary-changes'), null);
      await waitForCleanup(worker);
      assert.deepEqual(pageErrors, []);
      await popup.close();
      await page.close();
    } finally {
      stored = await switchKeepBuilderFilesInOptions(browser, extensionOrigin, worker, false);
    }
    assert.deepEqual(withoutHistory(stored), { keepBuilderFiles: false });
  });

  test('the chat in the address decides which project is shown', async () => {
    const page = await openBoltPage(browser, 'https://bolt.new/chat/todo-app', { seeded: true });
    const popup = await openPopup(browser, worker, page);
    await waitForInspect(popup);
    assert.equal(await textOf(popup, '#builder'), 'Bolt');
    assert.match(await textOf(popup, '#project-name'), /^todo[- ]app$/i);
    assert.equal(await textOf(popup, '#file-count'), '5 files');
    await popup.close();
    await page.close();

    // A chat this browser does not store is "no project", never another stored chat.
    const other = await openBoltPage(browser, 'https://bolt.new/chat/somebody-elses-app');
    assert.ok((await databasesOf(other)).includes('boltHistory'), 'precondition: history stored');
    const otherPopup = await openPopup(browser, worker, other);
    await waitForInspect(otherPopup);
    assert.match(await textOf(otherPopup, '#status'), NO_PROJECT);
    assert.equal(await otherPopup.$eval('#export', (b) => b.disabled), true);
    await otherPopup.close();
    await other.close();
  });

  test('the options page shows the version', async () => {
    const page = await browser.newPage();
    await page.goto(`${extensionOrigin}/extension/options/options.html`);
    await page.waitForFunction(() => document.getElementById('version').textContent !== '');
    const manifest = JSON.parse(readFileSync(join(REPO, 'manifest.json'), 'utf8'));
    assert.equal(await textOf(page, '#version'), `version ${manifest.version}`);
    await page.close();
  });

  test('a 50 MiB file: capture and download do not depend on one 64 MiB message', async () => {
    const page = await openBoltPage(browser, `https://bolt.new/chat/${BIG_URL_ID}`, { seeded: true });
    const popup = await openPopup(browser, worker, page);
    await waitForInspect(popup);
    assert.equal(await textOf(popup, '#file-count'), '2 files');

    const before = snapshotDir(downloadDir);
    await exportFromPopup(popup, 60_000);
    assert.match(await textOf(popup, '#result-size'), /^5\d MB$/);
    const zipPath = await waitForDownload(downloadDir, before);
    const summary = await readSummary(popup);
    assertCounts(summary);
    // The 50 MiB file comes out byte for byte; whatever else is in the zip was reported added.
    const { entries } = assertCleanedZip(zipPath, big.files, join(tmp, 'extracted-big'), summary.changes);
    assert.ok(entries.includes('public/intro.mp4'));
    assert.ok(entries.includes('LIFTOFF.md'));
    await waitForCleanup(worker);
    await popup.close();
    await page.close();
  });

  test('the service worker logged no error or warning', () => {
    assert.deepEqual(workerProblems, []);
  });
});
