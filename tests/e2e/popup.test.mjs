// End to end: the real extension (repository root, real wasm core) in headless Chromium, over a
// local stand-in for https://bolt.new whose page stores the Bolt fixture the way bolt.diy does.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  databasesOf,
  launch,
  openBoltPage,
  openPopup,
  screenshotPopup,
  textOf,
  waitForCleanup,
  waitForInspect,
} from './lib/browser.mjs';
import { BIG_URL_ID, makeBigHistory } from './lib/big-project.mjs';
import { listFiles, snapshotDir, unzip, waitForDownload } from './lib/files.mjs';
import { startBoltServer } from './lib/server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const FIXTURE = join(REPO, 'tests/fixtures/bolt');
const EXPECTED = join(FIXTURE, 'expected');
const ARTIFACTS = join(HERE, 'artifacts');
const WASM = join(REPO, 'extension/wasm/liftoff_wasm_bg.wasm');
const NO_PROJECT = /This page holds no Bolt project that Liftoff can read\. Download the project from Bolt, then drop the zip here\./;
const BIG_FILE_BYTES = 50 * 1024 * 1024;

/** Clicks Export and waits for the result block, failing with the popup's own error sentence. */
async function exportFromPopup(popup, timeout = 30_000) {
  await popup.click('#export');
  await popup.waitForFunction(
    () => !document.getElementById('result').hidden || document.getElementById('status').dataset.tone === 'error',
    { timeout },
  );
  assert.equal(await popup.$eval('#result', (el) => el.hidden), false, `export failed: ${await textOf(popup, '#status')}`);
}

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
    if (!existsSync(WASM)) {
      throw new Error('extension/wasm/liftoff_wasm_bg.wasm is missing: run ./build.sh first');
    }
    if (!existsSync('/usr/bin/chromium')) {
      throw new Error('/usr/bin/chromium is missing: apt-get install -y chromium');
    }
    tmp = mkdtempSync(join(tmpdir(), 'liftoff-e2e-'));
    downloadDir = join(tmp, 'downloads');
    mkdirSync(downloadDir);
    mkdirSync(ARTIFACTS, { recursive: true });
    const fixtureText = readFileSync(join(FIXTURE, 'history.json'), 'utf8');
    const histories = Object.fromEntries(JSON.parse(fixtureText).chats.map((chat) => [chat.urlId, () => fixtureText]));
    histories[BIG_URL_ID] = () => (big ??= makeBigHistory(BIG_FILE_BYTES)).json;
    server = await startBoltServer({ tmpDir: tmp, histories, seedScriptPath: join(HERE, 'site/seed.js') });
    ({ browser, worker, extensionOrigin } = await launch({
      extensionDir: REPO,
      userDataDir: join(tmp, 'profile'),
      downloadDir,
      port: server.port,
    }));
    worker.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') workerProblems.push(message.text());
    });
    worker.on('error', (error) => workerProblems.push(String(error)));
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

  test('exports the open chat as a zip equal to the fixture, byte for byte', async () => {
    const page = await openBoltPage(browser, 'https://bolt.new/chat/my-portfolio', { seeded: true });
    const popup = await openPopup(browser, worker, page);
    const pageErrors = [];
    popup.on('pageerror', (error) => pageErrors.push(error.message));
    await waitForInspect(popup);

    const expectedFiles = listFiles(EXPECTED);
    assert.equal(await textOf(popup, '#builder'), 'Bolt');
    assert.match(await textOf(popup, '#project-name'), /^my[- ]portfolio$/i);
    assert.equal(await textOf(popup, '#file-count'), `${expectedFiles.length} files`);
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

    const zipPath = await waitForDownload(downloadDir, before);
    const extracted = join(tmp, 'extracted');
    const entries = unzip(zipPath, extracted);
    const fileEntries = entries.filter((name) => !name.endsWith('/'));
    assert.equal(new Set(fileEntries).size, fileEntries.length, 'duplicate entries in the zip');
    assert.deepEqual([...fileEntries].sort(), expectedFiles, 'the zip must hold exactly the expected files');
    for (const path of expectedFiles) {
      const got = readFileSync(join(extracted, path));
      const want = readFileSync(join(EXPECTED, path));
      assert.ok(got.equals(want), `${path} differs from the fixture (${got.length} bytes, expected ${want.length})`);
    }
    assert.ok(!fileEntries.includes('public/watched.png'));
    await waitForCleanup(worker); // the stored zip and the offscreen document are gone

    await screenshotPopup(popup, join(ARTIFACTS, 'popup-export.png'));
    assert.deepEqual(pageErrors, []);
    await popup.close();
    await page.close();
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
    const extracted = join(tmp, 'extracted-big');
    const entries = unzip(zipPath, extracted).filter((name) => !name.endsWith('/'));
    assert.deepEqual(entries.sort(), Object.keys(big.files).sort());
    for (const [path, sha256] of Object.entries(big.files)) {
      const got = createHash('sha256').update(readFileSync(join(extracted, path))).digest('hex');
      assert.equal(got, sha256, `${path} differs from what the page stored`);
    }
    await waitForCleanup(worker);
    await popup.close();
    await page.close();
  });

  test('the service worker logged no error or warning', () => {
    assert.deepEqual(workerProblems, []);
  });
});
