// Issue 20 end to end: a large export's download zipped by workers in the offscreen document
// (each with its own instance of the export wasm module) is the same zip, byte for byte, as the
// one the service worker makes on its own thread; at deflate level 1 too (the options page's
// "Zip faster" setting), which is larger and holds the same files. This machine may have 2
// cores (hardwareConcurrency - 1 = 1 worker): the zipWorkers setting asks for 3.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { exportFromPopup, launch, openBoltPage, openPopup, textOf, waitForCleanup, waitForInspect } from './lib/browser.mjs';
import { boltHistoryOf } from './lib/deploy.mjs';
import { listFiles, snapshotDir, unzip, waitForDownload } from './lib/files.mjs';
import { startBoltServer } from './lib/server.mjs';
import { ARTIFACTS, makeRunDirs, SEED_SCRIPT, unpackedExtension, watchWorker } from './lib/setup.mjs';
import { zip } from '../servers/archive.mjs';

const WORDS = 'account action address admin amount api app asset auth badge banner billing board button cache card'.split(' ');

/** {path: text}: `count` code-like files of 2 to 20 KB, about 3 MB in all (over 1 MB of text). */
function textProject(count) {
  let seed = 20261204;
  const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0);
  const files = { 'package.json': '{\n  "name": "big-text",\n  "private": true\n}\n' };
  for (let i = 0; i < count; i++) {
    const size = 2_000 + (next() % 18_000);
    let text = '';
    while (text.length < size) {
      const a = WORDS[next() % WORDS.length];
      const b = WORDS[next() % WORDS.length];
      text += `export function ${a}${i}(${b}: number) {\n  return ${b} * ${next() % 1000}; // ${a} ${b}\n}\n`;
    }
    files[`src/${WORDS[i % WORDS.length]}/file${i}.ts`] = text;
  }
  return files;
}

describe('Zip workers: the same download whatever the number of workers', { timeout: 180_000 }, () => {
  let tmp;
  let server;
  let browser;
  let worker;
  let extensionOrigin;
  let downloadDir;
  const problems = [];
  const workerScripts = []; // the URL of every target Chromium created (zip workers among them)

  before(async () => {
    let profileDir;
    ({ tmp, downloadDir, profileDir } = makeRunDirs('liftoff-e2e-zip-', { checkChromium: true }));
    const big = boltHistoryOf('big-text', 'Big Text', textProject(300));
    const small = boltHistoryOf('small-text', 'Small Text', textProject(20));
    server = await startBoltServer({
      tmpDir: tmp,
      histories: { 'big-text': () => big, 'small-text': () => small },
      seedScriptPath: SEED_SCRIPT,
    });
    ({ browser, worker, extensionOrigin } = await launch({ extensionDir: unpackedExtension(), userDataDir: profileDir, downloadDir, port: server.port }));
    browser.on('targetcreated', (target) => {
      // Chromium lists a dedicated worker of the offscreen document as a target of type 'other'.
      workerScripts.push(target.url());
    });
    watchWorker(worker, problems);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Exports chat urlId with the given settings through the popup; the downloaded zip's bytes. */
  async function download(urlId, settings) {
    await worker.evaluate((s) => chrome.storage.local.set(s), settings);
    const page = await openBoltPage(browser, `https://bolt.new/chat/${urlId}`, { seeded: true });
    const popup = await openPopup(browser, worker, page);
    await waitForInspect(popup);
    const seen = snapshotDir(downloadDir);
    await exportFromPopup(popup, 60_000);
    assert.equal(await textOf(popup, '#result-title'), 'Downloaded');
    const file = await waitForDownload(downloadDir, seen);
    await popup.close();
    await page.close();
    await waitForCleanup(worker, 10_000);
    return readFileSync(file);
  }

  const zipWorkers = () => workerScripts.filter((url) => url.endsWith('/extension/offscreen/zip-worker.js')).length;

  test('3 workers give the bytes of the service worker\'s own zip, at level 6 and at level 1', async () => {
    const one = await download('big-text', { zipWorkers: 1, fastZip: false });
    assert.equal(zipWorkers(), 0, 'one worker: the service worker zips it on its own thread');

    const three = await download('big-text', { zipWorkers: 3, fastZip: false });
    assert.equal(zipWorkers(), 3, '3 zip workers started');
    assert.ok(three.equals(one), `3 workers: ${three.length} B, the service worker alone: ${one.length} B, not the same bytes`);

    const fastOne = await download('big-text', { zipWorkers: 1, fastZip: true });
    const fastThree = await download('big-text', { zipWorkers: 3, fastZip: true });
    assert.equal(zipWorkers(), 6);
    assert.ok(fastThree.equals(fastOne), 'level 1: 3 workers and the service worker alone differ');
    assert.ok(fastOne.length > one.length, `level 1 (${fastOne.length} B) is larger than level 6 (${one.length} B)`);

    // The same files in both, byte for byte, read by Python's zipfile (CRCs checked).
    const contents = (bytes, name) => {
      const zip = join(tmp, `${name}.zip`);
      const dir = join(tmp, name);
      mkdirSync(dir);
      writeFileSync(zip, bytes);
      unzip(zip, dir);
      return Object.fromEntries(listFiles(dir).map((path) => [path, readFileSync(join(dir, path)).toString('base64')]));
    };
    const six = contents(three, 'six');
    assert.ok(Object.keys(six).length > 300, `${Object.keys(six).length} files`);
    assert.deepEqual(contents(fastThree, 'fast'), six);
    assert.deepEqual(problems, []);
  });

  test('the drop page: a large archive zipped by 3 workers gives the bytes of the service worker\'s own zip', async () => {
    const files = Object.entries(textProject(300)).map(([path, text]) => ({ path, bytes: Buffer.from(text) }));
    const archivePath = join(tmp, 'big-text.zip');
    writeFileSync(archivePath, zip(files, { prefix: 'big-text/' }));
    const viaDrop = async (settings) => {
      await worker.evaluate((s) => chrome.storage.local.set(s), settings);
      const drop = await browser.newPage();
      await drop.goto(`${extensionOrigin}/extension/drop/drop.html`);
      await drop.waitForSelector('#drop-zone');
      const seen = snapshotDir(downloadDir);
      await (await drop.$('#file-input')).uploadFile(archivePath);
      await drop.waitForFunction(
        () => !document.getElementById('result').hidden || document.getElementById('status').dataset.tone === 'error',
        { timeout: 60_000 },
      );
      assert.equal(await drop.$eval('#result', (el) => el.hidden), false, `drop export failed: ${await textOf(drop, '#status')}`);
      const file = await waitForDownload(downloadDir, seen);
      await drop.close();
      await waitForCleanup(worker, 10_000);
      return readFileSync(file);
    };
    const before = zipWorkers();
    const one = await viaDrop({ zipWorkers: 1, fastZip: false });
    assert.equal(zipWorkers(), before, 'one worker: the service worker zips it');
    const three = await viaDrop({ zipWorkers: 3, fastZip: false });
    assert.equal(zipWorkers(), before + 3, '3 zip workers started for the dropped archive');
    assert.ok(three.equals(one), `3 workers: ${three.length} B, the service worker alone: ${one.length} B, not the same bytes`);
    assert.ok(one.length > 1_000_000 / 4, 'a large export indeed');
    assert.deepEqual(problems, []);
  });

  test('a small export (under 1 MB of text) stays on the service worker\'s thread', async () => {
    const before = zipWorkers();
    const small = await download('small-text', { zipWorkers: 3, fastZip: false });
    assert.equal(zipWorkers(), before, 'no zip worker started');
    assert.ok(small.equals(await download('small-text', { zipWorkers: 1, fastZip: false })));
  });

  test('the options page\'s "Zip faster" box stores fastZip and says what it costs', async () => {
    await worker.evaluate(() => chrome.storage.local.set({ fastZip: false }));
    const page = await browser.newPage();
    await page.goto(`${extensionOrigin}/extension/options/options.html`);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    const label = await page.$eval('#fast-zip', (box) => box.closest('label').textContent.replace(/\s+/g, ' '));
    assert.match(label, /Zip faster, with larger files/);
    assert.match(label, /about 3 times faster.+about 40% larger/);
    assert.equal(await page.$eval('#fast-zip', (box) => box.checked), false);
    const status = () => page.$eval('#settings-status', (p) => [p.dataset.tone, p.textContent]);
    for (const want of [true, false]) {
      await page.click('#fast-zip');
      await page.waitForFunction((w) => document.getElementById('settings-status').dataset.tone === 'ok' && document.getElementById('fast-zip').checked === w, {}, want);
      assert.equal((await worker.evaluate(() => chrome.storage.local.get('fastZip'))).fastZip, want);
      assert.match((await status())[1], want ? /zipped faster; their code and text take about 40% more room/ : /as small as before/);
      if (want) {
        await page.setViewport({ width: 760, height: 620 });
        await page.screenshot({ path: join(ARTIFACTS, 'options-fast-zip.png') });
      }
    }
    await page.close();
  });
});
