// End to end: the popup's Database step, "Put the database in Supabase", from the real extension
// in headless Chromium. The app is the Base44 data fixture (tests/fixtures/base44-data: four
// entities, 420 rows, six that do not fit) served by the Base44 stand-in at app.base44.com; its
// export carries the entities migration and the rows as supabase/seed.sql. Supabase's Management
// API is the Node stand-in (tests/servers/supabase.mjs) reached as api.supabase.com through
// --host-resolver-rules, running every query on a real, throw-away PostgreSQL 15 prepared like
// Supabase (tests/servers/postgres.mjs): every count below is read from that database. The
// Supabase token is set through the options page and followed everywhere it must not go.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { exportFromPopup, launch, openBoltPage, openPopup, screenshotPopup, textOf, waitForInspect } from './lib/browser.mjs';
import { startBuildersSite } from './lib/builders-site.mjs';
import { forgetServiceToken, seenInPopup, setServiceToken, watchPopup } from './lib/deploy.mjs';
import { filesContaining, snapshotDir, unzip, waitForDownload } from './lib/files.mjs';
import { startBoltServer } from './lib/server.mjs';
import { ARTIFACTS, boltHistories, extensionStorage, listenTo, makeRunDirs, REPO, SEED_SCRIPT, unpackedExtension, watchWorker } from './lib/setup.mjs';
import { createBase44Api } from '../servers/base44.mjs';
import { createLovableApi } from '../servers/lovable.mjs';
import { needsPostgres, startPostgres } from '../servers/postgres.mjs';
import { DEFAULT_TOKEN as TOKEN, startSupabase } from '../servers/supabase.mjs';

const DATA = join(REPO, 'tests/fixtures/base44-data');
const EXPECTED = JSON.parse(readFileSync(join(DATA, 'expected.json'), 'utf8'));
const APP = EXPECTED.app_id;
const BASE44_TOKEN = 'b44-SECRET-db-e2e-token-4c8e1f';
const LOVABLE_EXPECTED = join(REPO, 'tests/fixtures/lovable/expected');
const LOVABLE_PROJECT = '3f0e9c2a-7b4d-4e1a-9c6f-2d8b5a1e7c40';
const LOVABLE_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.LOVABLE-DB-E2E-2b7d.sig';
const WRONG_TOKEN = 'sbp_REVOKED_token_db_e2e_9f3a71c2';
const TOKENS = [TOKEN, WRONG_TOKEN];
// Supabase project refs: 20 lower-case letters and digits.
const REF = 'founderdb0e2e1234567';
const CLASH_REF = 'clashingdb0e2e765432'; // a database that already has an rsvp table of its own
const MIGRATION = 'supabase/migrations/20000101000000_liftoff_base44_entities.sql';
const SEED = 'supabase/seed.sql';
const DASHBOARD = `https://supabase.com/dashboard/project/${REF}`;
const RENAMED = 'Renamed on Base44 after the first push';

describe('Put the database in Supabase from the popup', { timeout: 300_000, ...needsPostgres('tests/e2e/database.test.mjs') }, () => {
  let tmp;
  let downloadDir;
  let profileDir;
  let pg;
  let sb;
  let founderDb;
  let clashDb;
  let site;
  let bolt;
  let browser;
  let worker;
  let extensionOrigin;
  let base44; // what app.base44.com/api/… answers now (switched to changed rows below)
  let changedBase44;
  let originalBase44;
  const consoleTexts = [];
  const workerProblems = [];
  const timings = {};

  const listen = listenTo(consoleTexts);
  const storage = () => extensionStorage(worker);
  const count = async (url, sql) => Number((await pg.psql(url, sql))[0].count);
  /** Every table of the entities and the ledger, with its row count. */
  const counts = async (url) => {
    const out = {};
    for (const table of [...Object.values(EXPECTED.tables), 'liftoff_unmapped_rows', 'liftoff_migrations']) {
      const exists = await count(url, `select count(*) from pg_tables where schemaname = 'public' and tablename = '${table}'`);
      out[table] = exists ? await count(url, `select count(*) from public.${table}`) : null;
    }
    return out;
  };
  const timed = async (name, work) => {
    const start = Date.now();
    try {
      return await work();
    } finally {
      timings[name] = Date.now() - start;
    }
  };
  const requestsSince = (mark) => sb.api.stats().requests.slice(mark);
  // The pointer off any link (a hovered link is underlined), then the popup as a user sees it.
  const shot = async (popup, name) => {
    await popup.mouse.move(1, 1);
    await screenshotPopup(popup, join(ARTIFACTS, name));
  };

  async function openBase44() {
    const page = await browser.newPage();
    await page.goto(`https://app.base44.com/apps/${APP}/editor/preview`, { waitUntil: 'load' });
    await page.evaluate((token) => localStorage.setItem('base44_access_token', token), BASE44_TOKEN);
    const popup = listen(await openPopup(browser, worker, page));
    await waitForInspect(popup);
    assert.equal(await textOf(popup, '#builder'), 'Base44');
    return { page, popup, close: async () => (await popup.close().catch(() => {}), await page.close()) };
  }

  /** Exports from the popup (a download) and resolves the zip's path. */
  async function exportZip(popup) {
    const before = snapshotDir(downloadDir);
    await exportFromPopup(popup, 60_000);
    return waitForDownload(downloadDir, before);
  }

  const stepShown = (popup) => popup.$eval('#database-step', (el) => !el.hidden);

  /**
   * Opens the Database form (if it is not open), types ref when given, clicks Apply and waits for
   * the result or the error. Resolves what the popup shows.
   */
  async function applyFromPopup(popup, { ref, timeout = 90_000 } = {}) {
    if (await popup.$eval('#database-form', (form) => form.hidden)) await popup.click('#database-open');
    if (ref !== undefined) {
      await popup.$eval('#database-ref', (input) => (input.value = ''));
      await popup.type('#database-ref', ref);
    }
    await popup.click('#database-apply');
    await popup.waitForFunction(
      () => !document.getElementById('database-result').hidden || document.getElementById('status').dataset.tone === 'error',
      { timeout },
    );
    return popup.evaluate(() => {
      const text = (id) => document.getElementById(id).textContent.trim();
      const result = document.getElementById('database-result');
      const groups = {};
      for (const box of result.querySelectorAll('.database-group')) {
        groups[box.dataset.group] = {
          title: box.querySelector('.database-group-title').textContent,
          paths: [...box.querySelectorAll('li')].map((li) => li.dataset.path),
        };
      }
      const detail = document.getElementById('status-detail');
      return {
        ok: !result.hidden,
        outcome: result.dataset.outcome,
        title: text('database-result-title'),
        ref: text('database-result-ref'),
        link: document.getElementById('database-result-link').getAttribute('href'),
        groups,
        status: text('status'),
        detail: detail.hidden ? null : detail.textContent,
        settingsShown: !document.getElementById('status-settings').hidden,
        stepShown: !document.getElementById('database-step').hidden,
      };
    });
  }

  before(async () => {
    ({ tmp, downloadDir, profileDir } = makeRunDirs('liftoff-e2e-database-', { checkChromium: true }));
    assert.match(REF, /^[a-z0-9]{20}$/);
    assert.match(CLASH_REF, /^[a-z0-9]{20}$/);
    pg = await startPostgres({ supabase: true });
    founderDb = await pg.database('founder');
    clashDb = await pg.database('clash');
    // The founder's own rsvp table, older than Liftoff: the migration keeps it (create table if
    // not exists), and the seed's rows for it cannot go in.
    await pg.psql(clashDb, 'create table public.rsvp (id text primary key, created_by text, guest text)');
    sb = await startSupabase({ tls: true, projects: { [REF]: founderDb, [CLASH_REF]: clashDb } });

    // The same app, a second time with one event renamed on Base44 after the first push.
    const changedRows = join(tmp, 'rows-changed');
    cpSync(join(DATA, 'rows'), changedRows, { recursive: true });
    const events = JSON.parse(readFileSync(join(changedRows, 'Event.json'), 'utf8'));
    const misfits = new Set(EXPECTED.unmapped.map((u) => u.id));
    const renamed = events.find((e) => !misfits.has(e.id));
    renamed.title = RENAMED;
    writeFileSync(join(changedRows, 'Event.json'), JSON.stringify(events));
    const api = (rows) => createBase44Api({ apps: { [APP]: join(DATA, 'app') }, rows: { [APP]: rows }, pageCap: 50, token: BASE44_TOKEN });
    originalBase44 = api(join(DATA, 'rows'));
    changedBase44 = api(changedRows);
    changedBase44.renamedId = renamed.id;
    base44 = originalBase44;
    site = await startBuildersSite({
      tmpDir: tmp,
      lovable: createLovableApi({ fixture: LOVABLE_EXPECTED, projectId: LOVABLE_PROJECT, token: LOVABLE_TOKEN }),
      base44: { handle: (req, res) => base44.handle(req, res) },
      titles: { lovable: 'Task Garden - Lovable', base44: 'Event Planner | Base44' },
    });
    bolt = await startBoltServer({ tmpDir: tmp, histories: boltHistories(join(REPO, 'tests/fixtures/bolt')), seedScriptPath: SEED_SCRIPT });
    const hosts = { 'bolt.new': bolt.port, 'api.supabase.com': sb.port };
    for (const host of ['lovable.dev', 'api.lovable.dev', 'lovable-api.com', 'app.base44.com']) hosts[host] = site.port;
    ({ browser, worker, extensionOrigin } = await launch({ extensionDir: unpackedExtension(), userDataDir: profileDir, downloadDir, hosts }));
    watchWorker(worker, workerProblems, consoleTexts);
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    await bolt?.close();
    await sb?.close();
    await pg?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    console.log(`timings (ms): ${JSON.stringify(timings)}`);
  });

  test('a Bolt export holds no SQL: no Database step', async () => {
    const page = await openBoltPage(browser, 'https://bolt.new/chat/todo-app', { seeded: true });
    const popup = listen(await openPopup(browser, worker, page));
    await waitForInspect(popup);
    assert.equal(await stepShown(popup), false, 'a Database step before any export');
    await exportZip(popup);
    assert.equal(await stepShown(popup), false, 'a Database step for an export without SQL');
    await popup.close();
    await page.close();
  });

  test('a Lovable export keeps its supabase/migrations: the step offers them; without a token, Apply is disabled', async () => {
    const page = await browser.newPage();
    await page.goto(`https://lovable.dev/projects/${LOVABLE_PROJECT}`, { waitUntil: 'load' });
    await page.evaluate((token) => {
      localStorage.setItem('sb-xyzlovableref-auth-token', JSON.stringify({ access_token: token, token_type: 'bearer', expires_at: Math.floor(Date.now() / 1000) + 3600 }));
    }, LOVABLE_TOKEN);
    const popup = listen(await openPopup(browser, worker, page));
    await waitForInspect(popup);
    await exportZip(popup);
    assert.equal(await stepShown(popup), true);
    assert.equal(await textOf(popup, '#database-what'), '1 SQL file in this export: 1 migration.');
    assert.equal(await popup.$eval('#database-form', (f) => f.hidden), true, 'the form opens on the button only');
    await popup.click('#database-open');
    assert.equal(await popup.$eval('#database-no-token', (p) => p.hidden), false);
    assert.match(await textOf(popup, '#database-no-token'), /^Liftoff needs a Supabase access token\.\s+Set one in Settings$/);
    assert.equal(await popup.$eval('#database-apply', (b) => b.disabled), true);
    // One form at a time: the push form closes it.
    await popup.click('#push-open');
    assert.equal(await popup.$eval('#database-form', (f) => f.hidden), true);
    await popup.close();
    await page.close();
  });

  test('the Supabase token is set through the options page: storage.session only, the field emptied', async () => {
    const shown = await setServiceToken(browser, extensionOrigin, 'supabase', ` ${TOKEN} `, {
      listen,
      screenshot: join(ARTIFACTS, 'options-supabase.png'),
    });
    assert.equal(shown.state, 'session', shown.status);
    assert.equal(shown.field, '');
    const stored = await storage();
    assert.deepEqual(stored.session, { supabaseToken: TOKEN });
    assert.ok(!JSON.stringify(stored.local).includes(TOKEN));
  });

  test('Base44 with data: export, the Database step, the ref; the tables and every row are in the database', async () => {
    const { popup, close } = await openBase44();
    const zipPath = await timed('export', () => exportZip(popup));
    const entries = unzip(zipPath, join(tmp, 'base44-export'));
    assert.ok(entries.includes(MIGRATION) && entries.includes(SEED), entries.join(', '));
    assert.equal(await stepShown(popup), true, 'no Database step after an export with SQL');
    assert.equal(await textOf(popup, '#database-what'), '2 SQL files in this export: 1 migration and the seed (the app’s rows).');
    assert.equal(await textOf(popup, '#database-open'), 'Put the database in Supabase');

    // What is not a ref is refused in the popup, before anything is sent.
    const mark = sb.api.stats().requests.length;
    const refused = await applyFromPopup(popup, { ref: 'My Project' });
    assert.equal(refused.ok, false);
    assert.equal(
      refused.status,
      "“my project” cannot be a Supabase project ref: it is 20 lower-case letters and digits, from the project's address (supabase.com/dashboard/project/<ref>).",
    );
    assert.equal(sb.api.stats().requests.length, mark);
    assert.equal(await popup.$eval('#database-no-token', (p) => p.hidden), true);
    await shot(popup, 'popup-database-form.png');

    // The dashboard's address, pasted as is, names the ref.
    await watchPopup(popup);
    const result = await timed('first-push', () => applyFromPopup(popup, { ref: `${DASHBOARD}/editor` }));
    assert.ok(result.ok, `the database push failed: ${result.status}`);
    assert.equal(await popup.$eval('#database-ref', (i) => i.value), REF);
    assert.equal(result.outcome, 'applied');
    assert.equal(result.title, 'Database in Supabase');
    assert.deepEqual(result.groups, { applied: { title: 'Applied 2 files:', paths: [MIGRATION, SEED] } });
    assert.equal(result.ref, REF);
    assert.equal(result.link, DASHBOARD);
    assert.equal(result.stepShown, true, 'the step stays for another run');

    // The steps went by: the export, then each file; the bar only grew.
    const seen = await seenInPopup(popup);
    const texts = [...new Set(seen.map((s) => s.text))];
    for (const step of ['Applying the SQL to Supabase… file 1 of 2', 'Applying the SQL to Supabase… file 2 of 2']) {
      assert.ok(texts.includes(step), texts.join(' | '));
    }
    const values = seen.filter((s) => s.shown).map((s) => s.value);
    assert.ok(values.every((v, i) => i === 0 || v >= values[i - 1]), `progress: ${values.join(', ')}`);

    // In the real database: every table, every row, the misfits kept whole, the ledger.
    for (const [entity, table] of Object.entries(EXPECTED.tables)) {
      assert.equal(await count(founderDb, `select count(*) from public.${table}`), EXPECTED.inserted[entity], `${entity} → ${table}`);
    }
    assert.equal(await count(founderDb, 'select count(*) from public.liftoff_unmapped_rows'), EXPECTED.unmapped.length);
    assert.deepEqual(
      (await pg.psql(founderDb, 'select name from public.liftoff_migrations order by name')).map((r) => r.name),
      [MIGRATION, SEED].sort(),
    );
    assert.ok((await count(founderDb, "select count(*) from pg_policies where schemaname = 'public'")) > 0, 'row-level security policies');
    const sent = requestsSince(mark);
    assert.equal(sent.length, 4, 'the ledger, its read, the migration, the seed');
    assert.ok(sent.every((r) => r.method === 'POST' && r.status === 201 && r.auth === 'ok' && r.host === 'api.supabase.com' && r.project === REF), JSON.stringify(sent.map((r) => [r.status, r.auth, r.host])));

    // History and the remembered ref: no token, the ref and the dashboard only.
    const { local } = await storage();
    assert.deepEqual(local.liftoffHistory[0], { ...local.liftoffHistory[0], kind: 'database', target: 'supabase', project: REF, link: DASHBOARD, state: 'applied', id: null });
    assert.equal(local.supabaseProjects[`base44:${APP}`].ref, REF);
    await shot(popup, 'popup-database.png');
    await close();
  });

  test('again: "already applied", nothing applied twice (a rate limit on the way is waited out)', async () => {
    const before = await counts(founderDb);
    const { popup, close } = await openBase44();
    await exportZip(popup);
    await popup.click('#database-open');
    assert.equal(await popup.$eval('#database-ref', (i) => i.value), REF, 'the ref is remembered for the project');
    const mark = sb.api.stats().requests.length;
    sb.api.inject({ target: 'query', kind: 429, retryAfter: 0 });
    const result = await timed('second-push', () => applyFromPopup(popup));
    assert.ok(result.ok, `the database push failed: ${result.status}`);
    assert.equal(result.outcome, 'up-to-date');
    assert.equal(result.title, 'Already up to date');
    assert.deepEqual(result.groups, { already: { title: 'Already applied:', paths: [MIGRATION, SEED] } });
    const sent = requestsSince(mark);
    assert.deepEqual(sent.map((r) => r.status), [429, 201, 201], 'the rate-limited ledger query again, then its read: no file');
    assert.equal(sent.filter((r) => r.status === 201).length, 2);
    assert.deepEqual(await counts(founderDb), before);
    await shot(popup, 'popup-database-again.png');
    const { local } = await storage();
    assert.equal(local.liftoffHistory[0].state, 'up-to-date');
    await close();
  });

  test('rows changed on Base44 since: the seed is flagged as changed and not applied again', async () => {
    base44 = changedBase44;
    try {
      const before = await counts(founderDb);
      const { popup, close } = await openBase44();
      await exportZip(popup);
      const mark = sb.api.stats().requests.length;
      const result = await applyFromPopup(popup);
      assert.ok(result.ok, `the database push failed: ${result.status}`);
      assert.equal(result.outcome, 'changed');
      assert.equal(result.title, 'Nothing new applied');
      assert.deepEqual(result.groups, {
        already: { title: 'Already applied:', paths: [MIGRATION] },
        changed: { title: 'Changed since applied, not applied again:', paths: [SEED] },
      });
      assert.match(await textOf(popup, '.database-group.changed .database-note'), /put a change in a new migration/);
      assert.equal(requestsSince(mark).length, 2, 'the ledger and its read only');
      assert.deepEqual(await counts(founderDb), before);
      const [{ title }] = await pg.psql(founderDb, `select title from public.event where id = '${changedBase44.renamedId}'`);
      assert.notEqual(title, RENAMED);
      await shot(popup, 'popup-database-changed.png');
      await close();
    } finally {
      base44 = originalBase44;
    }
  });

  test('a failing statement: the file, the database\'s words, the file applied before; the failing file left nothing', async () => {
    const { popup, close } = await openBase44();
    const zipPath = await exportZip(popup);
    const seed = readFileSync(join(tmp, 'base44-export', SEED), 'utf8');
    unzip(zipPath, join(tmp, 'base44-export-2'));
    assert.equal(readFileSync(join(tmp, 'base44-export-2', SEED), 'utf8'), seed);
    const mark = sb.api.stats().requests.length;
    const result = await timed('failing-push', () => applyFromPopup(popup, { ref: CLASH_REF }));
    assert.equal(result.ok, false);
    const said =
      /^supabase\/seed\.sql, statement (\d+) \(line (\d+)\) failed: Failed to run sql query: ERROR: {2}42703: column "(\w+)" of relation "rsvp" does not exist\. Nothing from supabase\/seed\.sql was applied\. Applied before the failure, and kept: (\S+)\.$/.exec(
        result.status,
      );
    assert.ok(said, result.status);
    assert.equal(said[4], MIGRATION);
    // The statement named is the seed's first row for rsvp, quoted under the sentence.
    const lines = seed.split('\n');
    const firstRsvp = lines.findIndex((line) => line.startsWith('insert into public.rsvp ')) + 1;
    assert.equal(Number(said[2]), firstRsvp);
    assert.ok(Number(said[1]) > 1);
    assert.ok(result.detail?.startsWith('insert into public.rsvp ('), result.detail);
    assert.equal(result.settingsShown, false);
    assert.equal(result.stepShown, true, 'the step stays, to try again');

    // The migration stayed applied; the seed left no row (check_in's rows come before rsvp's).
    assert.deepEqual(await counts(clashDb), {
      check_in: 0,
      event: 0,
      rsvp: 0,
      user_profile: 0,
      liftoff_unmapped_rows: 0,
      liftoff_migrations: 1,
    });
    assert.deepEqual((await pg.psql(clashDb, 'select name from public.liftoff_migrations')).map((r) => r.name), [MIGRATION]);
    assert.ok(requestsSince(mark).some((r) => r.status === 400 && r.sqlstate === '42703'));
    const { local } = await storage();
    assert.deepEqual(
      [local.liftoffHistory[0].kind, local.liftoffHistory[0].project, local.liftoffHistory[0].state],
      ['database', CLASH_REF, 'failed'],
    );
    await shot(popup, 'popup-database-failed.png');
    await close();
  });

  test('a wrong token: a clear error with Open Settings; without a token, Apply is disabled', async () => {
    await setServiceToken(browser, extensionOrigin, 'supabase', WRONG_TOKEN, { listen });
    const before = await counts(founderDb);
    const { popup, close } = await openBase44();
    await exportZip(popup);
    const mark = sb.api.stats().requests.length;
    const result = await applyFromPopup(popup, { ref: REF });
    assert.equal(result.ok, false);
    assert.equal(result.status, 'Supabase refused the access token: it is wrong, expired or revoked. Set a new one in Settings, then try again.');
    assert.equal(result.settingsShown, true);
    assert.equal(result.detail, null);
    const refused = requestsSince(mark);
    assert.ok(refused.length >= 1 && refused.every((r) => r.auth === 'wrong' && r.status === 401), JSON.stringify(refused));
    assert.deepEqual(await counts(founderDb), before);
    await shot(popup, 'popup-database-bad-token.png');
    const opened = browser.waitForTarget((t) => t.url().endsWith('/extension/options/options.html'), { timeout: 5_000 });
    await popup.click('#status-settings');
    await (await (await opened).asPage())?.close();
    await close();

    await forgetServiceToken(browser, extensionOrigin, 'supabase', { listen });
    const again = await openBase44();
    await exportZip(again.popup);
    await again.popup.click('#database-open');
    assert.equal(await again.popup.$eval('#database-no-token', (p) => p.hidden), false);
    assert.equal(await again.popup.$eval('#database-apply', (b) => b.disabled), true);
    await again.close();
    await setServiceToken(browser, extensionOrigin, 'supabase', TOKEN, { listen });
  });

  test('History lists the database pushes, each with its project ref and a link to the dashboard', async () => {
    const { popup, close } = await openBase44();
    await popup.click('#open-history');
    await popup.waitForFunction(() => document.getElementById('history-view').dataset.state === 'listed', { timeout: 10_000 });
    const rows = await popup.$$eval('#history-list .entry[data-kind="database"]', (items) =>
      items.map((li) => ({ text: li.querySelector('.entry-top').textContent, link: li.querySelector('a')?.getAttribute('href') ?? null, state: li.querySelector('.pill')?.textContent })),
    );
    assert.deepEqual(rows.map((r) => r.state), ['failed', 'failed', 'changed', 'up to date', 'applied']);
    assert.deepEqual(rows.map((r) => r.text), [REF, CLASH_REF, REF, REF, REF].map((ref) => `SupabaseDatabase${ref}`));
    assert.equal(rows[4].link, DASHBOARD);
    await shot(popup, 'history-database.png');
    await close();
  });

  test('no token in storage.local, a console, the history or the profile; no preflight reached the stand-in', async () => {
    const stored = await storage();
    assert.deepEqual(Object.keys(stored.local).sort(), ['liftoffHistory', 'supabaseProjects']);
    assert.deepEqual(stored.session, { supabaseToken: TOKEN });
    for (const entry of stored.local.liftoffHistory.filter((e) => e.kind === 'database')) {
      assert.deepEqual(Object.keys(entry).sort(), ['id', 'kind', 'link', 'project', 'state', 'target', 'time']);
    }
    for (const token of TOKENS) {
      assert.ok(!JSON.stringify(stored.local).includes(token), 'a token is in storage.local');
      assert.ok(!consoleTexts.some((text) => text.includes(token)), 'a token was logged');
      assert.deepEqual(filesContaining(profileDir, token), [], 'a token was written to the profile');
    }
    const stats = sb.api.stats();
    assert.equal(stats.options, 0, 'a CORS preflight reached Supabase');
    assert.ok(stats.requests.every((r) => r.host === 'api.supabase.com'));
    assert.ok(stats.requests.every((r) => r.auth === 'ok' || (r.auth === 'wrong' && r.status === 401)));
    assert.ok(!JSON.stringify(stats).includes(TOKEN));
    // The builders never saw a Supabase token.
    assert.ok(site.requests().every((r) => !TOKENS.some((token) => (r.authorization ?? '').includes(token))));
  });

  test('the service worker logged no error or warning but the refused runs', () => {
    const unexpected = workerProblems.filter((text) => !/^Liftoff database failed: (statement-failed|bad-token) /.test(text));
    assert.deepEqual(unexpected, []);
  });
});
