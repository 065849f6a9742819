// End to end: the real extension in headless Chromium over local stand-ins for Lovable
// (https://lovable.dev page, api.lovable.dev and lovable-api.com APIs), Base44 (app.base44.com
// page and eject API) and bolt.new (a page with no stored project), all at their real host
// names. The session tokens are seeded into the pages' localStorage the way the builders store
// them; the assertions follow them everywhere they must not go.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { exportFromPopup, launch, openPopup, screenshotPopup, textOf, waitForCleanup, waitForInspect } from './lib/browser.mjs';
import { startBuildersSite } from './lib/builders-site.mjs';
import {
  assertCleanedZip,
  assertCounts,
  envExampleNames,
  hashTree,
  readSummary,
  setKeepBuilderFiles,
} from './lib/export-checks.mjs';
import { assertZipMatches, filesContaining, listFiles, snapshotDir, unzip, waitForDownload } from './lib/files.mjs';
import { startBoltServer } from './lib/server.mjs';
import { ARTIFACTS, listenTo, makeRunDirs, REPO, SEED_SCRIPT, unpackedExtension, watchWorker } from './lib/setup.mjs';
import { tarGz, zip } from '../servers/archive.mjs';
import { createBase44Api, startBase44Server } from '../servers/base44.mjs';
import { createLovableApi } from '../servers/lovable.mjs';
import { readTree } from '../servers/tree.mjs';

const LOVABLE_EXPECTED = join(REPO, 'tests/fixtures/lovable/expected');
const BASE44_OLDER = join(REPO, 'tests/fixtures/base44/older');
const BASE44_NEWER = join(REPO, 'tests/fixtures/base44/newer');
const BOLT_EXPECTED = join(REPO, 'tests/fixtures/bolt/expected');

// The project id written in the Lovable fixture's README; the Base44 ids in their fixtures.
const LOVABLE_PROJECT = '3f0e9c2a-7b4d-4e1a-9c6f-2d8b5a1e7c40';
const BASE44_OLDER_APP = '68a3f1c29b7e4d0012ab34cd';
const BASE44_NEWER_APP = '6901d4e8a7b3c2f10045ef89';
const BASE44_DATA_APP = '68b2c4d6e8f0a1b2c3d4e5f6';
const BASE44_DATA = join(REPO, 'tests/fixtures/base44-data');
// The entities each Base44 fixture declares (their schema files), as the list calls name them.
const ENTITIES = { [BASE44_OLDER_APP]: ['Project', 'Task'], [BASE44_NEWER_APP]: ['CheckIn', 'Habit'] };
// Distinctive, so that a leak anywhere is found by a plain byte search.
const LOVABLE_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.LOVABLE-SECRET-7c1e0b94.sig-Qz8';
const BASE44_TOKEN = 'b44-SECRET-access-token-5d2a9f';
const STALE_LOVABLE_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.STALE-LOVABLE-TOKEN-93e1.sig';
// A made-up OpenAI key planted in a dropped project: found, shown masked, never shown in full.
const PLANTED_SECRET = 'sk-proj-Q7mZ2xK9vB4nR8tW1yL6cH3jF5dS0gA2pE7uI9oT4kN6';
const LOVABLE_ENV = ['VITE_SUPABASE_PROJECT_ID', 'VITE_SUPABASE_PUBLISHABLE_KEY', 'VITE_SUPABASE_URL'];
const LOVABLE_API_HOSTS = new Set(['api.lovable.dev', 'lovable-api.com']);

describe('Liftoff on Lovable, Base44 and the drop page', { timeout: 120_000 }, () => {
  let tmp;
  let downloadDir;
  let profileDir;
  let lovable;
  let base44;
  let site;
  let bolt;
  let browser;
  let worker;
  let extensionOrigin;
  const consoleTexts = []; // every console message of the worker, the popups and the drop page
  const workerProblems = [];
  const lovableFiles = listFiles(LOVABLE_EXPECTED);

  before(async () => {
    ({ tmp, downloadDir, profileDir } = makeRunDirs('liftoff-e2e-builders-'));
    lovable = createLovableApi({ fixture: LOVABLE_EXPECTED, projectId: LOVABLE_PROJECT, token: LOVABLE_TOKEN });
    base44 = createBase44Api({
      apps: { [BASE44_OLDER_APP]: BASE44_OLDER, [BASE44_NEWER_APP]: BASE44_NEWER, [BASE44_DATA_APP]: join(BASE44_DATA, 'app') },
      rows: { [BASE44_DATA_APP]: join(BASE44_DATA, 'rows') },
      pageCap: 50,
      token: BASE44_TOKEN,
    });
    site = await startBuildersSite({
      tmpDir: tmp,
      lovable,
      base44,
      titles: { lovable: 'Task Garden - Lovable', base44: 'Team Tasks | Base44' },
    });
    bolt = await startBoltServer({ tmpDir: tmp, histories: {}, seedScriptPath: SEED_SCRIPT });
    const hosts = { 'bolt.new': bolt.port };
    for (const host of ['lovable.dev', 'api.lovable.dev', 'lovable-api.com', 'app.base44.com']) hosts[host] = site.port;
    ({ browser, worker, extensionOrigin } = await launch({ extensionDir: unpackedExtension(), userDataDir: profileDir, downloadDir, hosts }));
    watchWorker(worker, workerProblems, consoleTexts);
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    await bolt?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const listen = listenTo(consoleTexts);

  async function openLovable({ signedIn = true, path = `/projects/${LOVABLE_PROJECT}` } = {}) {
    const page = await browser.newPage();
    await page.goto(`https://lovable.dev${path}`, { waitUntil: 'load' });
    await page.evaluate(
      (token, signedIn) => {
        localStorage.clear();
        localStorage.setItem('theme', 'dark');
        if (!signedIn) return;
        // What supabase-js v2 stores under sb-<project ref>-auth-token.
        localStorage.setItem(
          'sb-xyzlovableref-auth-token',
          JSON.stringify({
            access_token: token,
            token_type: 'bearer',
            expires_in: 3600,
            expires_at: Math.floor(Date.now() / 1000) + 3600,
            refresh_token: 'refresh-abc',
            user: { id: '0b6c2d4e-0000-4000-8000-000000000001', email: 'founder@example.com' },
          }),
        );
      },
      LOVABLE_TOKEN,
      signedIn,
    );
    return page;
  }

  /**
   * Exports the Lovable project from the popup; returns {popup, page, zipPath, statuses, summary}.
   * raw: the "keep the builder's files" setting; the zip is then the fixture byte for byte, else
   * it is checked as a cleaned-up export against the fixture and the popup's summary.
   */
  async function exportLovable(name, { raw = false } = {}) {
    await setKeepBuilderFiles(worker, raw);
    const page = await openLovable();
    const popup = listen(await openPopup(browser, worker, page));
    await waitForInspect(popup);
    assert.equal(await textOf(popup, '#builder'), 'Lovable');
    assert.equal(await textOf(popup, '#project-name'), 'Task Garden');
    assert.equal(await textOf(popup, '#file-count'), 'ready to export');
    assert.equal(await popup.$eval('#export', (b) => b.disabled), false);
    // Every status line the popup shows during the export, for the per-file progress.
    await popup.evaluate(() => {
      window.statuses = [];
      const status = document.getElementById('status');
      new MutationObserver(() => window.statuses.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
    });
    const before = snapshotDir(downloadDir);
    await exportFromPopup(popup);
    const zipPath = await waitForDownload(downloadDir, before);
    const summary = await readSummary(popup);
    assert.equal(summary.shown, true);
    assert.equal(summary.raw, raw);
    let entries;
    if (raw) {
      entries = assertZipMatches(zipPath, LOVABLE_EXPECTED, join(tmp, name));
    } else {
      assertCounts(summary);
      ({ entries } = assertCleanedZip(zipPath, hashTree(LOVABLE_EXPECTED), join(tmp, name), summary.changes));
      assertLovableCleaned(join(tmp, name), entries, summary);
    }
    assert.equal(await textOf(popup, '#result-title'), 'Downloaded');
    // Named after the page's title (the name hint), not the fixture's package name.
    assert.equal(await textOf(popup, '#result-file'), 'task-garden-export.zip');
    assert.equal(await textOf(popup, '#result-files'), String(entries.length));
    assert.equal(await textOf(popup, '#file-count'), `${entries.length} files`);
    assert.equal(readFileSync(zipPath).includes(Buffer.from(LOVABLE_TOKEN)), false, 'the token is in the zip');
    await waitForCleanup(worker);
    await setKeepBuilderFiles(worker, false);
    return { page, popup, zipPath, summary, statuses: await popup.evaluate(() => window.statuses) };
  }

  /** Lovable's marks are gone from a cleaned-up export, and the popup names the variables to set. */
  function assertLovableCleaned(dir, entries, summary) {
    const pkg = readFileSync(join(dir, 'package.json'), 'utf8');
    assert.ok(readFileSync(join(LOVABLE_EXPECTED, 'package.json'), 'utf8').includes('lovable-tagger'), 'precondition');
    assert.ok(!pkg.includes('lovable-tagger'), "lovable-tagger is still in package.json");
    assert.ok(!readFileSync(join(dir, 'vite.config.ts'), 'utf8').includes('lovable-tagger'));
    assert.ok(!readFileSync(join(dir, 'package-lock.json'), 'utf8').includes('node_modules/lovable-tagger'));
    assert.ok(!entries.includes('bun.lockb'), 'bun.lockb is still in the zip');
    assert.ok(!entries.some((path) => path.startsWith('.lovable/')), '.lovable/ is still in the zip');
    assert.ok(entries.includes('LIFTOFF.md'));
    assert.ok(summary.changes.some((c) => c.action === 'removed' && c.path === 'bun.lockb'));
    // The popup names exactly the variables .env.example declares: the Supabase ones.
    assert.deepEqual([...summary.env].sort(), LOVABLE_ENV);
    assert.deepEqual(envExampleNames(dir), LOVABLE_ENV);
    assert.equal(summary.ties, null, 'Lovable has no migration plan block');
    assert.equal(summary.secrets.length, 0, 'the Supabase anon key is public by design, not a secret');
  }

  const lovableRequests = () => lovable.stats().requests;

  test('Lovable, source-code endpoint on: one request, a cleaned-up zip, the summary in the popup', async () => {
    lovable.reset();
    lovable.setSourceCode(true);
    const { page, popup, summary } = await exportLovable('lovable-a');
    const requests = lovableRequests();
    assert.equal(requests.length, 1, `requests: ${JSON.stringify(requests)}`);
    assert.equal(requests[0].target, 'source-code');
    assert.equal(requests[0].host, 'lovable-api.com');
    assert.equal(requests[0].status, 200);
    assert.equal(lovable.stats().options, 0, 'a CORS preflight reached the server');

    // The summary: counts, the list behind them with reasons, the variables to set.
    assert.ok(summary.counts.removed >= 2 && summary.counts.edited >= 3 && summary.counts.added >= 5, JSON.stringify(summary.counts));
    assert.equal(await popup.$eval('#summary-changes', (d) => d.open), false, 'the list starts folded');
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-summary.png'));
    await popup.click('#summary-changes > summary');
    assert.equal(await popup.$eval('#summary-changes', (d) => d.open), true);
    await new Promise((resolve) => setTimeout(resolve, 250)); // the chevron's turn
    const reasons = summary.reasons;
    assert.equal(reasons.length, summary.changes.length, 'every change has its reason');
    assert.ok(reasons.every((r) => r.length > 10));
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-summary-open.png'));
    await popup.close();
    await page.close();
  });

  // Two kinds of dropped connection. 'cut' dies after the headers and part of the body: it
  // always reaches fetch, so the core's own retry of a network error is exercised. 'drop' dies
  // before any answer, which Chromium itself resends on another connection when the socket was
  // a reused keep-alive one (so fetch may never see it). Either way each injected failure costs
  // exactly one request, which makes the count exact.
  test('Lovable, per-file path with two 429s and dropped connections, builder\'s files kept: byte for byte, exactly files + 2 + injected requests', async () => {
    lovable.reset();
    lovable.setSourceCode(false);
    const upload = lovableFiles.find((path) => path.startsWith('public/lovable-uploads/'));
    const failures = [
      { target: 'src/App.tsx', kind: 429, retryAfter: 1 },
      { target: upload, kind: 429, retryAfter: 0 },
      { target: 'package-lock.json', kind: 'cut' },
      { target: 'bun.lockb', kind: 'drop' },
    ];
    lovable.inject(...failures);
    const injected = failures.length;
    const { page, popup, statuses } = await exportLovable('lovable-b', { raw: true });
    assert.deepEqual(lovable.pendingFailures(), [], 'every injected failure was met');

    const requests = lovableRequests();
    const counts = {};
    for (const r of requests) counts[r.target] = (counts[r.target] ?? 0) + 1;
    assert.equal(requests.length, lovableFiles.length + 2 + injected, `counts: ${JSON.stringify(counts)}`);
    assert.equal(counts['source-code'], 1);
    assert.equal(requests.find((r) => r.target === 'source-code').status, 404);
    assert.equal(counts.listing, 1);
    for (const path of lovableFiles) {
      const expected = 1 + failures.filter((f) => f.target === path).length;
      assert.equal(counts[path], expected, `${path} was requested ${counts[path]} times`);
    }
    assert.equal(lovable.stats().options, 0, 'a CORS preflight reached the server');
    assert.ok(requests.every((r) => r.host === 'api.lovable.dev' || r.target === 'source-code'));

    // Progress per file: "Fetching files from Lovable… n of 36", ending at 36 of 36.
    const perFile = statuses.filter((s) => /^Fetching files from Lovable… \d+ of \d+$/.test(s));
    assert.ok(perFile.length >= 5, `progress lines: ${JSON.stringify(statuses)}`);
    assert.ok(perFile.includes(`Fetching files from Lovable… ${lovableFiles.length} of ${lovableFiles.length}`));

    await screenshotPopup(popup, join(ARTIFACTS, 'popup-lovable.png'));
    await popup.close();
    await page.close();
  });

  test('Lovable, per-file path with no failure, cleaned up: exactly files + 2 requests', async () => {
    lovable.reset();
    lovable.setSourceCode(false);
    const { page, popup } = await exportLovable('lovable-c');
    const requests = lovableRequests();
    assert.equal(requests.length, lovableFiles.length + 2);
    assert.ok(requests.length <= lovableFiles.length + 2);
    await popup.close();
    await page.close();
  });

  test('Lovable redirects the source-code request elsewhere: not followed, the per-file path is used', async () => {
    lovable.reset();
    lovable.setSourceCode(true);
    lovable.inject({ target: 'source-code', kind: 'redirect', location: 'https://app.base44.com/collect?from=lovable' });
    const { page, popup } = await exportLovable('lovable-redirect');
    const requests = lovableRequests();
    assert.equal(requests[0].status, 302);
    assert.equal(requests.length, lovableFiles.length + 2);
    assert.deepEqual(site.requests().filter((r) => r.path.startsWith('/collect')), [], 'the redirect was followed');
    await popup.close();
    await page.close();
  });

  test('Lovable signed out, or no project open: the popup says what to do and sends nothing', async () => {
    lovable.reset();
    const signedOut = await openLovable({ signedIn: false });
    let popup = await openPopup(browser, worker, signedOut);
    await waitForInspect(popup);
    assert.equal(await textOf(popup, '#status'), 'Sign in to Lovable in this tab, then try again.');
    assert.equal(await popup.$eval('#export', (b) => b.disabled), true);
    await popup.close();
    await signedOut.close();

    const dashboard = await openLovable({ path: '/dashboard' });
    popup = await openPopup(browser, worker, dashboard);
    await waitForInspect(popup);
    assert.match(await textOf(popup, '#status'), /^Open a Lovable project/);
    // The drop page is offered on any page, quietly when the tab is a builder's.
    assert.equal(await popup.$eval('#open-drop', (b) => b.hidden || b.offsetParent === null), false);
    assert.equal(await popup.$eval('#open-drop', (b) => b.classList.contains('offer')), false);
    await popup.close();
    await dashboard.close();
    assert.equal(lovableRequests().length, 0);
  });

  test('Lovable tab titled only "Lovable": the page heading names the project', async () => {
    lovable.reset();
    const page = await openLovable();
    // A single-page app sets its title and heading after load.
    await page.evaluate(() => {
      document.title = 'Lovable';
      const heading = document.createElement('h1');
      heading.textContent = '  Seed   Swap  ';
      document.body.prepend(heading);
    });
    const popup = await openPopup(browser, worker, page);
    await waitForInspect(popup);
    assert.equal(await textOf(popup, '#project-name'), 'Seed Swap');
    await popup.close();
    await page.close();
    assert.equal(lovableRequests().length, 0, 'inspecting sends nothing');
  });

  test('Lovable refuses a stale token: one request, the popup says so, nothing is retried or leaked', async () => {
    lovable.reset();
    lovable.setSourceCode(true);
    const stale = STALE_LOVABLE_TOKEN;
    const page = await openLovable();
    await page.evaluate(
      (token) => localStorage.setItem('sb-xyzlovableref-auth-token', JSON.stringify({ access_token: token, token_type: 'bearer' })),
      stale,
    );
    const popup = listen(await openPopup(browser, worker, page));
    await waitForInspect(popup);
    const warningsBefore = workerProblems.length;
    await popup.click('#export');
    await popup.waitForFunction(() => document.getElementById('status').dataset.tone === 'error', { timeout: 15_000 });
    assert.equal(await textOf(popup, '#status'), 'Lovable refused the session of this tab (401): it may have expired or been signed out. Reload the Lovable tab, sign in again if asked, then export.');
    assert.equal(await popup.$eval('#export', (b) => b.disabled), false, 'Export can be tried again');
    const requests = lovableRequests();
    assert.equal(requests.length, 1, JSON.stringify(requests));
    assert.equal(requests[0].auth, 'wrong');
    // The one expected warning (the failure's sentence), which names no token; not a problem.
    const warnings = workerProblems.splice(warningsBefore);
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.equal(warnings[0], 'Liftoff export failed: bad-token Lovable refused the session of this tab (401): it may have expired or been signed out. Reload the Lovable tab, sign in again if asked, then export.');
    for (const text of [...consoleTexts, await textOf(popup, '#status')]) assert.ok(!text.includes(stale), 'the stale token was shown or logged');
    await popup.close();
    await page.close();
  });

  /** Opens a Base44 editor page at path with the session seeded; returns {page, popup} after inspect. */
  async function openBase44(path) {
    const page = await browser.newPage();
    await page.goto(`https://app.base44.com${path}`, { waitUntil: 'load' });
    await page.evaluate((token) => localStorage.setItem('base44_access_token', token), BASE44_TOKEN);
    const popup = listen(await openPopup(browser, worker, page));
    await waitForInspect(popup);
    return { page, popup };
  }

  for (const { label, app, dir, path, format } of [
    { label: 'older layout, tar.gz, id in the path', app: BASE44_OLDER_APP, dir: BASE44_OLDER, path: `/apps/${BASE44_OLDER_APP}/editor/preview`, format: 'tar.gz' },
    { label: 'newer layout, plain tar, id in ?appId=', app: BASE44_NEWER_APP, dir: BASE44_NEWER, path: `/editor/preview?appId=${BASE44_NEWER_APP}`, format: 'tar' },
  ]) {
    test(`Base44 (${label}): one eject request each; cleaned up, then with the builder's files kept (byte for byte)`, async () => {
      for (const raw of [false, true]) {
        base44.reset();
        base44.setFormat(format);
        await setKeepBuilderFiles(worker, raw);
        const { page, popup } = await openBase44(path);
        assert.equal(await textOf(popup, '#builder'), 'Base44');
        assert.equal(await textOf(popup, '#project-name'), 'Team Tasks');
        assert.equal(await textOf(popup, '#file-count'), 'ready to export');

        const before = snapshotDir(downloadDir);
        await exportFromPopup(popup);
        const zipPath = await waitForDownload(downloadDir, before);
        const extracted = join(tmp, `base44-${app}-${raw ? 'raw' : 'clean'}`);
        const summary = await readSummary(popup);
        assert.equal(summary.raw, raw);
        if (raw) {
          assertZipMatches(zipPath, dir, extracted);
          assert.equal(summary.ties, null);
        } else {
          assertCounts(summary);
          const { entries } = assertCleanedZip(zipPath, hashTree(dir), extracted, summary.changes);
          assertBase44Cleaned(dir, extracted, entries, summary);
          await assertOfframpLikeCli(dir, extracted);
        }
        // The page's title names the zip, before the name in the app's own config.
        assert.equal(await textOf(popup, '#result-file'), 'team-tasks-export.zip');
        assert.equal(readFileSync(zipPath).includes(Buffer.from(BASE44_TOKEN)), false, 'the token is in the zip');
        const requests = base44.stats().requests;
        assert.equal(requests[0].path, `/api/apps/${app}/eject`);
        assert.ok(requests.every((r) => r.auth === 'ok'));
        // A clean export also reads every entity's rows (this stand-in has none for these apps:
        // 404, and the export goes on without a seed); with the builder's files kept, no rows.
        const lists = requests.slice(1).map((r) => r.path.split('?')[0]);
        const entities = ENTITIES[app].map((name) => `/api/apps/${app}/entities/${name}`);
        assert.deepEqual(lists.sort(), raw ? [] : entities, JSON.stringify(requests));
        assert.equal(existsSync(join(extracted, 'supabase/seed.sql')), false);
        assert.equal(base44.stats().options, 0, 'a CORS preflight reached the server');
        await waitForCleanup(worker);
        if (!raw && app === BASE44_OLDER_APP) await screenshotPopup(popup, join(ARTIFACTS, 'popup-summary-base44.png'));
        await popup.close();
        await page.close();
      }
      await setKeepBuilderFiles(worker, false);
    });
  }

  test('Base44 with data: the rows come along as supabase/seed.sql, exactly what `liftoff export base44:` writes', async () => {
    base44.reset();
    base44.setFormat('tar.gz');
    const { page, popup } = await openBase44(`/apps/${BASE44_DATA_APP}/editor/preview`);
    const before = snapshotDir(downloadDir);
    await exportFromPopup(popup);
    const zipPath = await waitForDownload(downloadDir, before);
    const extracted = join(tmp, 'base44-data-clean');
    unzip(zipPath, extracted);
    const seed = readFileSync(join(extracted, 'supabase/seed.sql'));
    // The CLI against a second stand-in with the same app and rows, over plain HTTP.
    const cli = await startBase44Server({ apps: { [BASE44_DATA_APP]: join(BASE44_DATA, 'app') }, rows: { [BASE44_DATA_APP]: join(BASE44_DATA, 'rows') }, pageCap: 50, token: BASE44_TOKEN });
    try {
      const out = join(tmp, 'base44-data-cli');
      // Asynchronously: the stand-in answers from this same process.
      await promisify(execFile)(join(REPO, 'target/release/liftoff'), ['export', `base44:${BASE44_DATA_APP}`, '-o', out, '--api', cli.origin], { env: { ...process.env, BASE44_TOKEN } });
      assert.ok(seed.equals(readFileSync(join(out, 'supabase/seed.sql'))), 'the seed differs from the CLI\'s byte for byte');
    } finally {
      await cli.close();
    }
    const expected = JSON.parse(readFileSync(join(BASE44_DATA, 'expected.json'), 'utf8'));
    const lists = base44.stats().requests.filter((r) => r.path.includes('/entities/'));
    assert.ok(lists.length >= 4 + 420 / 50, `paged: ${lists.length} list requests`);
    assert.ok(seed.toString().includes('liftoff_unmapped_rows'), 'the misfits are kept');
    assert.ok(Object.keys(expected).length > 0);
    assert.equal(seed.includes(Buffer.from(BASE44_TOKEN)), false);
    await waitForCleanup(worker);
    await popup.close();
    await page.close();
  });

  /**
   * The off-ramp reached the export module (its texts are handed over by the service worker,
   * not compiled in): the client module, the ported functions, the base44-core function and
   * the storage migration are what `liftoff export` writes for the same folder, byte for byte.
   */
  async function assertOfframpLikeCli(fixtureDir, dir) {
    const out = join(tmp, `cli-${fixtureDir.split('/').pop()}`);
    rmSync(out, { recursive: true, force: true });
    await promisify(execFile)(join(REPO, 'target/release/liftoff'), ['export', fixtureDir, '-o', out]);
    const client = readFileSync(join(dir, 'src/api/base44Client.js'), 'utf8');
    assert.ok(client.startsWith('// liftoff: base44 off-ramp.'), 'the extension did not write the off-ramp');
    const offramp = (root) => listFiles(root).filter((f) => f === 'src/api/base44Client.js' ||
      f.startsWith('supabase/functions/') || f.endsWith('_liftoff_base44_storage.sql')).sort();
    const files = offramp(out);
    assert.ok(files.some((f) => f.startsWith('supabase/functions/_shared/')), JSON.stringify(files));
    assert.deepEqual(offramp(dir), files);
    for (const file of files) {
      assert.ok(readFileSync(join(dir, file)).equals(readFileSync(join(out, file))), `${file} differs from the CLI's`);
    }
  }

  /** Base44's editor plugin is gone, the app id moved to .env, and the popup counts the ties. */
  function assertBase44Cleaned(fixtureDir, dir, entries, summary) {
    const config = readFileSync(join(dir, 'vite.config.js'), 'utf8');
    assert.ok(!config.includes('@base44/vite-plugin'), 'the vite config still uses @base44/vite-plugin');
    assert.ok(!readFileSync(join(dir, 'package.json'), 'utf8').includes('@base44/vite-plugin'));
    if (readFileSync(join(fixtureDir, 'vite.config.js'), 'utf8').includes('@base44/vite-plugin')) {
      assert.ok(summary.changes.some((c) => c.action === 'edited' && c.path === 'vite.config.js'));
    }
    assert.ok(entries.includes('LIFTOFF.md') && entries.includes('.env') && entries.includes('.env.example'));
    assert.ok(summary.env.includes('VITE_BASE44_APP_ID'), JSON.stringify(summary.env));
    assert.deepEqual([...summary.env].sort(), envExampleNames(dir));
    // "N places in M files still call Base44": N is the migration plan's length in LIFTOFF.md.
    const liftoff = readFileSync(join(dir, 'LIFTOFF.md'), 'utf8');
    const plan = liftoff.slice(liftoff.indexOf('### Migration plan')).split('\n').filter((line) => line.startsWith('- `'));
    assert.ok(plan.length > 0, 'LIFTOFF.md has no migration plan');
    const files = new Set(plan.map((line) => /^- `([^`:]+)/.exec(line)[1]));
    assert.equal(summary.ties, `${plan.length} places in ${files.size} files still call Base44: see LIFTOFF.md for the migration plan.`);
  }

  test('Base44 app not found, Lovable answering an error: the popup words the error code', async () => {
    base44.reset();
    const missing = '0123456789abcdef01234567';
    let { page, popup } = await openBase44(`/apps/${missing}/editor/preview`);
    await popup.click('#export');
    await popup.waitForFunction(() => document.getElementById('status').dataset.tone === 'error', { timeout: 15_000 });
    assert.equal(
      await textOf(popup, '#status'),
      'Base44 could not find this project for the account signed in here. Check that this tab shows your project, then export again.',
    );
    assert.equal(base44.stats().requests.length, 1);
    await popup.close();
    await page.close();

    lovable.reset();
    lovable.setSourceCode(false);
    lovable.inject({ target: 'listing', kind: 418 });
    page = await openLovable();
    popup = listen(await openPopup(browser, worker, page));
    await waitForInspect(popup);
    await popup.click('#export');
    await popup.waitForFunction(() => document.getElementById('status').dataset.tone === 'error', { timeout: 15_000 });
    assert.equal(await textOf(popup, '#status'), 'Lovable answered with an error (HTTP 418). Try again in a few minutes.');
    await popup.close();
    await page.close();
    // The two expected warnings name the codes; they are not problems.
    const expected = workerProblems.filter((w) => /^Liftoff export failed: (not-found|http-error) /.test(w));
    assert.equal(expected.length, 2, JSON.stringify(workerProblems));
    workerProblems.splice(0, workerProblems.length, ...workerProblems.filter((w) => !expected.includes(w)));
  });

  test('bolt.new without a stored project: the popup offers the drop page, which exports a Bolt download', async () => {
    const page = await browser.newPage();
    await page.goto('https://bolt.new/', { waitUntil: 'load' });
    await page.evaluate(() => new Promise((done) => (indexedDB.deleteDatabase('boltHistory').onsuccess = done)));
    const popup = await openPopup(browser, worker, page);
    await waitForInspect(popup);
    assert.equal(
      await textOf(popup, '#status'),
      'This page holds no Bolt project that Liftoff can read. Download the project from Bolt, then drop the zip here.',
    );
    assert.equal(await popup.$eval('#export', (b) => b.disabled), true);
    assert.equal(await textOf(popup, '#open-drop'), 'Open the drop page');
    assert.equal(await popup.$eval('#open-drop', (b) => b.classList.contains('offer') && b.offsetParent !== null), true);

    const isDrop = (t) => t.url() === `${extensionOrigin}/extension/drop/drop.html`;
    const opened = browser.waitForTarget(isDrop, { timeout: 10_000 });
    await popup.click('#open-drop');
    const drop = listen(await (await opened).asPage());
    await drop.setViewport({ width: 820, height: 720 });
    await drop.waitForSelector('#drop-zone');

    // bolt.new's Download: every path under project/. Dropped as a real DataTransfer.
    const archive = zip(readTree(BOLT_EXPECTED), { prefix: 'project/' });
    const dropBoltZip = async () => {
      const before = snapshotDir(downloadDir);
      await drop.evaluate((base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], 'sb1-portfolio.zip', { type: 'application/zip' }));
        const zone = document.getElementById('drop-zone');
        for (const type of ['dragenter', 'dragover', 'drop']) {
          zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
        }
      }, archive.toString('base64'));
      await drop.waitForFunction(
        () => !document.getElementById('result').hidden || document.getElementById('status').dataset.tone === 'error',
        { timeout: 30_000 },
      );
      assert.equal(await drop.$eval('#result', (el) => el.hidden), false, `drop export failed: ${await textOf(drop, '#status')}`);
      return waitForDownload(downloadDir, before);
    };

    // Cleaned up (the default): the same checks and the same summary as in the popup.
    let zipPath = await dropBoltZip();
    let summary = await readSummary(drop);
    assert.equal(summary.raw, false);
    assertCounts(summary);
    const { entries } = assertCleanedZip(zipPath, hashTree(BOLT_EXPECTED), join(tmp, 'bolt-drop'), summary.changes);
    assert.ok(!entries.some((path) => path.startsWith('.bolt/')) && entries.includes('LIFTOFF.md'));
    assert.equal(await textOf(drop, '#result-files'), `${entries.length} files`);
    assert.equal(await textOf(drop, '#result-builder'), 'Bolt');
    // The download's project/ folder became the root: the normal shape of Bolt's download, no
    // warning.
    assert.deepEqual(summary.warnings, []);
    await waitForCleanup(worker);

    // A chosen file too, from any builder: the Lovable project as a tar.gz, with an OpenAI key
    // written into its front-end code.
    const aiFile = Buffer.from(`// Calls OpenAI from the browser.\nexport const OPENAI_API_KEY = "${PLANTED_SECRET}";\n`);
    const planted = [...readTree(LOVABLE_EXPECTED), { path: 'src/lib/ai.ts', bytes: aiFile }];
    const tarPath = join(tmp, 'lovable-project.tar.gz');
    writeFileSync(tarPath, tarGz(planted));
    const beforeTar = snapshotDir(downloadDir);
    await (await drop.$('#file-input')).uploadFile(tarPath);
    await drop.waitForFunction(
      (name) => document.getElementById('chosen').textContent.startsWith(name) &&
        (!document.getElementById('result').hidden || document.getElementById('status').dataset.tone === 'error'),
      { timeout: 30_000 },
      'lovable-project.tar.gz',
    );
    assert.equal(await drop.$eval('#result', (el) => el.hidden), false, `drop export failed: ${await textOf(drop, '#status')}`);
    summary = await readSummary(drop);
    assertCounts(summary);
    const lovableDir = join(tmp, 'lovable-drop');
    // The secret scan reports and edits nothing: the planted file comes out as it went in.
    const lovableHashes = { ...hashTree(LOVABLE_EXPECTED), 'src/lib/ai.ts': createHash('sha256').update(aiFile).digest('hex') };
    const lovableZip = await waitForDownload(downloadDir, beforeTar);
    const cleaned = assertCleanedZip(lovableZip, lovableHashes, lovableDir, summary.changes);
    assert.ok(!cleaned.entries.includes('bun.lockb'));
    assert.equal(await textOf(drop, '#result-builder'), 'Lovable');
    assert.deepEqual([...summary.env].sort(), LOVABLE_ENV);
    // The secret: path:line, kind and the masked value; never the value itself.
    assert.equal(summary.secretsTitle, 'Secrets found (1)');
    assert.equal(summary.secrets.length, 1);
    assert.equal(summary.secrets[0].path, 'src/lib/ai.ts');
    assert.equal(summary.secrets[0].line, 2);
    const masked = `${PLANTED_SECRET.slice(0, 4)}…${PLANTED_SECRET.slice(-2)}`;
    assert.equal(summary.secrets[0].text, `src/lib/ai.ts:2OpenAI API key ${masked}`);
    const html = await drop.evaluate(() => document.documentElement.outerHTML);
    assert.ok(!html.includes(PLANTED_SECRET.slice(4, 16)), 'the secret is shown in the page');
    assert.ok(!consoleTexts.some((text) => text.includes(PLANTED_SECRET.slice(4, 16))), 'the secret was logged');
    await waitForCleanup(worker);
    await drop.screenshot({ path: join(ARTIFACTS, 'drop-page.png'), fullPage: true });

    // With the builder's files kept (the setting is read at each export): the Bolt download
    // comes out byte for byte.
    await setKeepBuilderFiles(worker, true);
    zipPath = await dropBoltZip();
    assertZipMatches(zipPath, BOLT_EXPECTED, join(tmp, 'bolt-drop-raw'));
    summary = await readSummary(drop);
    assert.equal(summary.raw, true);
    assert.equal(await textOf(drop, '#result-files'), `${listFiles(BOLT_EXPECTED).length} files`);
    await setKeepBuilderFiles(worker, false);
    await waitForCleanup(worker);

    // The dropped files did not stay in the extension's storage.
    const inputs = await worker.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const request = indexedDB.open('liftoff-downloads');
          request.onsuccess = () => {
            const db = request.result;
            if (!db.objectStoreNames.contains('inputs')) return resolve(0);
            const count = db.transaction('inputs').objectStore('inputs').count();
            count.onsuccess = () => resolve(count.result);
            db.close();
          };
          request.onerror = () => reject(request.error);
        }),
    );
    assert.equal(inputs, 0);
    await drop.close();
    await page.close();
  });

  test('the tokens went only to their own APIs and were never stored, logged or zipped', async () => {
    // Sent only to the API hosts, and only there with the right token.
    for (const request of site.requests()) {
      if (request.authorization === null) continue;
      if (request.authorization.includes(LOVABLE_TOKEN) || request.authorization.includes(STALE_LOVABLE_TOKEN)) {
        assert.ok(LOVABLE_API_HOSTS.has(request.host), `the Lovable token went to ${request.host}`);
      } else if (request.authorization.includes(BASE44_TOKEN)) {
        assert.ok(request.host === 'app.base44.com' && request.path.startsWith('/api/apps/'), `the Base44 token went to ${request.host}${request.path}`);
      } else {
        assert.fail(`unexpected Authorization header to ${request.host}`);
      }
    }
    assert.equal(site.requests().filter((r) => r.method === 'OPTIONS').length, 0, 'a CORS preflight reached a server');

    // Never in the extension's storage: storage.local holds the one preference and the History
    // view's record and nothing else, storage.session nothing at all.
    const stored = await worker.evaluate(async () => ({
      local: await chrome.storage.local.get(null),
      session: await chrome.storage.session.get(null),
    }));
    assert.deepEqual(Object.keys(stored.local).sort(), ['keepBuilderFiles', 'liftoffHistory']);
    assert.equal(typeof stored.local.keepBuilderFiles, 'boolean');
    assert.deepEqual(stored.session, {});
    for (const token of [LOVABLE_TOKEN, BASE44_TOKEN, STALE_LOVABLE_TOKEN]) {
      assert.ok(!JSON.stringify(stored).includes(token), 'a token is in chrome.storage');
    }

    // Never in any console of the extension (worker, popups, drop page).
    for (const text of consoleTexts) {
      const leaked = [LOVABLE_TOKEN, BASE44_TOKEN, STALE_LOVABLE_TOKEN].some((token) => text.includes(token));
      assert.ok(!leaked, 'a token was logged (message not shown here, it holds the token)');
    }

    // On disk, only where the pages themselves put them (their origins' localStorage).
    for (const token of [LOVABLE_TOKEN, BASE44_TOKEN, STALE_LOVABLE_TOKEN]) {
      // (Checked when this was written: the scan finds both in Default/Local Storage/leveldb.)
      const elsewhere = filesContaining(profileDir, token).filter((path) => !path.split('/').includes('Local Storage'));
      assert.deepEqual(elsewhere, [], `the token was written to ${elsewhere.join(', ')}`);
    }
  });

  test('the service worker logged no error or warning', () => {
    assert.deepEqual(workerProblems, []);
  });
});
