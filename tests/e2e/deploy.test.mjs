// End to end: "Deploy to Vercel" and "Deploy to Netlify" from the real popup, the History view
// and rollbacks. The local Vercel and Netlify (tests/servers/vercel.mjs, netlify.mjs) really
// build what they are sent (npm ci + npm run build) and serve the result; they are reached as
// api.vercel.com and api.netlify.com (and the sites as *.vercel.app, *.netlify.app) through
// --host-resolver-rules, so the manifest's host permissions and the core's default API origins
// are exercised exactly as shipped. The project is tests/fixtures/deploy-app (a one-second
// build), held by the stand-in bolt.new as a chat, with VITE_GREETING in its .env. The tokens
// are set through the options page and followed everywhere they must not go.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launch, openBoltChat, screenshotPopup, textOf } from './lib/browser.mjs';
import { filesContaining } from './lib/files.mjs';
import {
  boltHistoryOf,
  deployFromPopup,
  forgetServiceToken,
  getHttps,
  readTree,
  seenInPopup,
  setServiceToken,
  watchPopup,
} from './lib/deploy.mjs';
import { startBoltServer } from './lib/server.mjs';
import { ARTIFACTS, extensionStorage, listenTo, makeRunDirs, REPO, SEED_SCRIPT, unpackedExtension, watchWorker } from './lib/setup.mjs';
import { DEFAULT_TOKEN as VERCEL_TOKEN, startVercel } from '../servers/vercel.mjs';
import { DEFAULT_TOKEN as NETLIFY_TOKEN, startNetlify } from '../servers/netlify.mjs';

const FIXTURE = join(REPO, 'tests/fixtures/deploy-app');
const CHAT = 'deploy-app';
const PROJECT = 'deploy-app';
const GREETING = 'Hello from the env, 7c1f';
const FIRST = 'Hello from the first deploy';
const SECOND = 'Second deploy, one file changed';
const PREVIEW = 'A preview to look at first, 3d1a';
const PREVIEW_TWO = 'Another preview, promoted from History';
const BAD_VERCEL_TOKEN = 'vercel-REVOKED-token-5e9a1b3c7d';
const BUILD_ERROR = 'Command "npm run build" exited with 1: build failed: src/message.txt says FAIL';
const TOKENS = [VERCEL_TOKEN, NETLIFY_TOKEN, BAD_VERCEL_TOKEN];
const TEAM = 'team_LiftoffE2e42';

describe('Deploy to Vercel and Netlify from the popup, History and rollback', { timeout: 300_000 }, () => {
  let tmp;
  let profileDir;
  let bolt;
  let vc;
  let nf;
  let browser;
  let worker;
  let extensionOrigin;
  let message = FIRST; // what src/message.txt holds in the chat now
  const vercelIds = []; // READY deployments, oldest first
  let netlifyId;
  const consoleTexts = [];
  const workerProblems = [];
  const timings = {};

  const listen = listenTo(consoleTexts);
  const storage = () => extensionStorage(worker);
  // The fixture as bolt.new holds it: with Bolt's own config (which the cleanup removes).
  const files = () => ({
    ...readTree(FIXTURE),
    '.bolt/config.json': '{\n  "template": "bolt-vite-react-ts"\n}\n',
    'src/message.txt': `${message}\n`,
    '.env': `VITE_GREETING="${GREETING}"\n`,
  });
  const openProject = async () => {
    const { page, popup } = await openBoltChat(browser, worker, CHAT, listen);
    return { page, popup, close: async () => (await popup.close(), await page.close()) };
  };
  const production = async (origin, name) => getHttps(`${origin}/__production/${name}/`);
  const timed = async (name, work) => {
    const start = Date.now();
    try {
      return await work();
    } finally {
      timings[name] = Date.now() - start;
    }
  };

  before(async () => {
    ({ tmp, profileDir } = makeRunDirs('liftoff-e2e-deploy-', { checkChromium: true }));
    bolt = await startBoltServer({ tmpDir: tmp, histories: { [CHAT]: () => boltHistoryOf(CHAT, 'Deploy App', files()) }, seedScriptPath: SEED_SCRIPT });
    vc = await startVercel({ tls: true, teams: [TEAM] });
    nf = await startNetlify({ tls: true });
    const hosts = {
      'bolt.new': bolt.port,
      'api.vercel.com': vc.port,
      '*.vercel.app': vc.port,
      'api.netlify.com': nf.port,
      '*.netlify.app': nf.port,
    };
    ({ browser, worker, extensionOrigin } = await launch({ extensionDir: unpackedExtension(), userDataDir: profileDir, downloadDir: join(tmp, 'downloads'), hosts }));
    watchWorker(worker, workerProblems, consoleTexts);
  });

  after(async () => {
    await browser?.close();
    await bolt?.close();
    await vc?.close();
    await nf?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    console.log(`timings (ms): ${JSON.stringify(timings)}`);
  });

  test('without tokens the deploy form says to set one in Settings, and Deploy is disabled', async () => {
    const { popup, close } = await openProject();
    assert.equal(await popup.$eval('#deploy-actions', (el) => el.hidden), false, 'no deploy buttons');
    assert.equal(await textOf(popup, '#deploy-open-vercel'), 'Deploy to Vercel');
    assert.equal(await textOf(popup, '#deploy-open-netlify'), 'Deploy to Netlify');
    await popup.click('#deploy-open-vercel');
    assert.equal(await popup.$eval('#deploy-form', (f) => f.hidden), false);
    assert.equal(await popup.$eval('#deploy-project', (i) => i.value), PROJECT, 'the name is prefilled from the export');
    assert.equal(await popup.$eval('#deploy-no-token', (p) => p.hidden), false);
    assert.match(await textOf(popup, '#deploy-no-token'), /needs a Vercel token to deploy\.\s+Set one in Settings/);
    assert.equal(await popup.$eval('#deploy', (b) => b.disabled), true);
    // The other provider's form replaces it; the push form and the deploy form never show together.
    await popup.click('#deploy-open-netlify');
    assert.match(await textOf(popup, '#deploy-no-token'), /needs a Netlify token/);
    assert.equal(await textOf(popup, '#deploy-project-label'), 'Netlify site');
    await popup.click('#push-open');
    assert.equal(await popup.$eval('#deploy-form', (f) => f.hidden), true);
    await close();
  });

  test('the tokens are set through the options page: storage.session only, the fields emptied', async () => {
    let shown = await setServiceToken(browser, extensionOrigin, 'vercel', `  ${VERCEL_TOKEN}\n`, {
      listen,
      screenshot: join(ARTIFACTS, 'options-deploy.png'),
    });
    assert.equal(shown.state, 'session', shown.status);
    assert.equal(shown.field, '');
    shown = await setServiceToken(browser, extensionOrigin, 'netlify', NETLIFY_TOKEN, { listen });
    assert.equal(shown.state, 'session', shown.status);
    const stored = await storage();
    assert.deepEqual(stored.session, { vercelToken: VERCEL_TOKEN, netlifyToken: NETLIFY_TOKEN });
    assert.deepEqual(stored.local, {});
  });

  test('Deploy to Vercel: progress through upload and build, READY, the live URL; production serves the message and the .env value', async () => {
    const { popup, close } = await openProject();
    await popup.click('#deploy-open-vercel');
    assert.equal(await popup.$eval('#deploy-no-token', (p) => p.hidden), true);
    assert.equal(await popup.$eval('#deploy', (b) => b.disabled), false);
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-deploy-form.png'));
    await watchPopup(popup);
    const result = await timed('vercel-first', () => deployFromPopup(popup, 'vercel'));
    assert.ok(result.ok, `deploy failed: ${result.status}`);
    assert.equal(result.title, 'Live on Vercel');
    assert.equal(result.project, PROJECT);
    const live = vc.api.production(PROJECT);
    assert.equal(result.id, live);
    vercelIds.push(live);
    const deployment = vc.api.deployment(live);
    assert.equal(deployment.readyState, 'READY');
    assert.equal(result.link.href, `https://${deployment.url}`);
    assert.equal(result.link.text, deployment.url);

    // The steps went by in the popup: the export, the upload, the build; the bar only grew.
    const seen = await seenInPopup(popup);
    const texts = [...new Set(seen.map((s) => s.text))];
    assert.ok(texts.some((t) => /^Uploading to Vercel…/.test(t)), texts.join(' | '));
    assert.ok(texts.includes('Vercel is building the project…'), texts.join(' | '));
    const values = seen.filter((s) => s.shown).map((s) => s.value);
    assert.ok(values.length > 3 && values.every((v, i) => i === 0 || v >= values[i - 1]), `progress: ${values.join(', ')}`);

    // What production serves, built from the upload with the variable from .env.
    const served = await production(vc.origin, PROJECT);
    assert.equal(served.status, 200);
    assert.match(served.body, new RegExp(`<h1 id="message">${FIRST}</h1>`));
    assert.match(served.body, new RegExp(`<p id="greeting">${GREETING}</p>`));
    assert.deepEqual(vc.api.env(PROJECT).map((e) => [e.key, e.value]), [['VITE_GREETING', GREETING]]);

    await screenshotPopup(popup, join(ARTIFACTS, 'popup-deploy.png'));
    await close();

    // The live link opens the deployment in the browser (*.vercel.app reaches the stand-in).
    const site = await browser.newPage();
    await site.goto(result.link.href);
    assert.equal(await site.$eval('#message', (el) => el.textContent), FIRST);
    assert.equal(await site.$eval('#greeting', (el) => el.textContent), GREETING);
    await site.close();
  });

  test('deploying again after a one-file change: a new production deployment serving the change', async () => {
    message = SECOND;
    const { popup, close } = await openProject();
    const result = await timed('vercel-second', () => deployFromPopup(popup, 'vercel'));
    assert.ok(result.ok, `deploy failed: ${result.status}`);
    const live = vc.api.production(PROJECT);
    assert.equal(result.id, live);
    assert.notEqual(live, vercelIds[0]);
    vercelIds.push(live);
    assert.match((await production(vc.origin, PROJECT)).body, new RegExp(SECOND));
    await close();
  });

  test('Deploy to Netlify: ready, the live URL; the published site serves the message and the .env value', async () => {
    const { popup, close } = await openProject();
    await watchPopup(popup);
    const result = await timed('netlify', () => deployFromPopup(popup, 'netlify'));
    assert.ok(result.ok, `deploy failed: ${result.status}`);
    assert.equal(result.title, 'Live on Netlify');
    netlifyId = result.id;
    assert.equal(nf.api.published(PROJECT), netlifyId);
    assert.equal(nf.api.deploy(netlifyId).state, 'ready');
    assert.deepEqual(nf.api.env(PROJECT).map((v) => [v.key, v.values.map((x) => x.value)]), [['VITE_GREETING', [GREETING]]]);
    assert.match(result.link.href ?? '', /^https:\/\/[^/]*netlify\.app\/?$/);
    const texts = [...new Set((await seenInPopup(popup)).map((s) => s.text))];
    assert.ok(texts.includes('Netlify is building the project…'), texts.join(' | '));
    const served = await production(nf.origin, PROJECT);
    assert.equal(served.status, 200);
    assert.match(served.body, new RegExp(SECOND));
    assert.match(served.body, new RegExp(GREETING));
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-deploy-netlify.png'));
    await close();
    const site = await browser.newPage();
    await site.goto(result.link.href);
    assert.equal(await site.$eval('#greeting', (el) => el.textContent), GREETING);
    await site.close();
  });

  test('History: every entry listed, refreshed from the providers; Roll back to the earlier Vercel deployment and forward again', async () => {
    const { popup, close } = await openProject();
    await popup.click('#open-history');
    assert.equal(await popup.$eval('#main-view', (el) => el.hidden), true);
    await popup.waitForFunction(
      () => [...document.querySelectorAll('.deploy-card')].length === 2 && [...document.querySelectorAll('.deploy-card')].every((c) => c.dataset.state === 'refreshed'),
      { timeout: 15_000 },
    );
    // Every recorded entry, newest first: the three deployments.
    const entries = await popup.$$eval('#history-list .entry', (rows) =>
      rows.map((row) => ({ kind: row.dataset.kind, target: row.dataset.target, text: row.textContent, link: row.querySelector('a')?.getAttribute('href') ?? null })),
    );
    assert.deepEqual(entries.map((e) => `${e.kind}:${e.target}`), ['deploy:netlify', 'deploy:vercel', 'deploy:vercel']);
    for (const entry of entries) {
      assert.match(entry.text, /Deployed\s*deploy-app/);
      assert.match(entry.text, /just now|min ago/);
      assert.match(entry.link ?? '', /^https:\/\//);
    }
    assert.equal(entries[1].link, `https://${vc.api.deployment(vercelIds[1]).url}/`);

    // The providers' own lists: the live one marked, the earlier one with Roll back.
    const card = (provider) => `.deploy-card[data-provider="${provider}"]`;
    const rows = (provider) =>
      popup.$$eval(`${card(provider)} .deployment`, (items) =>
        items.map((li) => ({ id: li.dataset.id, live: li.dataset.live === 'true', button: li.querySelector('button.roll')?.textContent ?? null })),
      );
    assert.deepEqual(await rows('vercel'), [
      { id: vercelIds[1], live: true, button: null },
      { id: vercelIds[0], live: false, button: 'Roll back' },
    ]);
    assert.deepEqual(await rows('netlify'), [{ id: netlifyId, live: true, button: null }]);
    await screenshotPopup(popup, join(ARTIFACTS, 'history.png'));

    // Roll back: the progress, then the earlier one is live, on the stand-in and in the view.
    const rollTo = async (id, label, move) => {
      const mark = vc.api.stats().requests.length;
      // The rollback takes a few milliseconds here: record whether its progress bar showed.
      await popup.$eval(`${card('vercel')} progress`, (bar) => {
        window.__rollShown = false;
        new MutationObserver(() => (window.__rollShown ||= !bar.hidden)).observe(bar, { attributes: true });
      });
      await popup.click(`${card('vercel')} .deployment[data-id="${id}"] button.roll`);
      await popup.waitForFunction(
        (selector, want) => {
          const c = document.querySelector(selector);
          return c.dataset.state === 'refreshed' && c.querySelector('.deployment[data-live="true"]')?.dataset.id === want;
        },
        { timeout: 15_000 },
        card('vercel'),
        id,
      );
      assert.equal(await popup.evaluate(() => window.__rollShown), true, 'no progress while rolling back');
      assert.match(await textOf(popup, `${card('vercel')} .card-status`), /^Live now: /);
      assert.equal(vc.api.production(PROJECT), id, label);
      const kinds = vc.api.stats().requests.slice(mark).map((r) => r.target);
      // Back is Vercel's rollback; forward to a newer deployment its promotion. Never a rebuild.
      assert.ok(kinds.includes(move) && !kinds.includes('deployments'), `no rebuild: ${kinds.join(', ')}`);
    };
    await timed('rollback', () => rollTo(vercelIds[0], 'rolled back', 'rollback'));
    assert.match((await production(vc.origin, PROJECT)).body, new RegExp(FIRST));
    assert.deepEqual(await rows('vercel'), [
      { id: vercelIds[1], live: false, button: 'Roll forward' },
      { id: vercelIds[0], live: true, button: null },
    ]);
    await screenshotPopup(popup, join(ARTIFACTS, 'history-rolled-back.png'));
    await rollTo(vercelIds[1], 'forward again', 'promote');
    assert.match((await production(vc.origin, PROJECT)).body, new RegExp(SECOND));
    const kinds = await popup.$$eval('#history-list .entry', (items) => items.slice(0, 2).map((li) => li.dataset.kind));
    assert.deepEqual(kinds, ['rollback', 'rollback']);
    await close();
  });

  test('Preview, then Promote to production from the result and from History: production untouched until then, no rebuild, the choice remembered', async () => {
    message = PREVIEW;
    const before = vc.api.production(PROJECT);
    let { popup, close } = await openProject();
    await popup.click('#deploy-open-vercel');
    assert.equal(await popup.$eval('#deploy-stage-production', (i) => i.checked), true, 'production unless this project was deployed as a preview');
    const result = await timed('vercel-preview', () => deployFromPopup(popup, 'vercel', { stage: 'preview' }));
    assert.ok(result.ok, `deploy failed: ${result.status}`);
    assert.equal(result.title, 'Preview on Vercel');
    assert.equal(result.promoteShown, true);
    assert.match(result.note, /Production still serves what it served/);
    const id = result.id;
    assert.equal(vc.api.production(PROJECT), before, 'a preview leaves production');
    assert.equal(result.link.href, `https://${vc.api.deployment(id).url}`, 'the link is the preview\'s own address');
    assert.match((await getHttps(`${vc.origin}/__site/${id}/`)).body, new RegExp(PREVIEW));
    assert.match((await production(vc.origin, PROJECT)).body, new RegExp(SECOND));
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-deploy-preview.png'));

    const mark = vc.api.stats().requests.length;
    await popup.click('#deploy-promote');
    await popup.waitForFunction(() => document.getElementById('deploy-result').dataset.promote, { timeout: 30_000 });
    assert.equal(await popup.$eval('#deploy-result', (r) => r.dataset.promote), 'promoted');
    assert.equal(await textOf(popup, '#deploy-result-title'), 'Live on Vercel');
    assert.equal(await popup.$eval('#deploy-promote', (b) => b.hidden), true);
    assert.equal(vc.api.production(PROJECT), id, 'promoted');
    assert.match((await production(vc.origin, PROJECT)).body, new RegExp(PREVIEW));
    const kinds = vc.api.stats().requests.slice(mark).map((r) => r.target);
    assert.ok(kinds.includes('promote') && !kinds.includes('deployments') && !kinds.includes('files'), `no rebuild: ${kinds.join(', ')}`);
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-deploy-promoted.png'));
    await close();
    vercelIds.push(id);

    // The choice is remembered for this project: the next deploy is a preview too.
    message = PREVIEW_TWO;
    ({ popup, close } = await openProject());
    await popup.click('#deploy-open-vercel');
    assert.equal(await popup.$eval('#deploy-stage-preview', (i) => i.checked), true, 'Preview remembered');
    const second = await deployFromPopup(popup, 'vercel');
    assert.ok(second.ok, `deploy failed: ${second.status}`);
    assert.equal(second.title, 'Preview on Vercel');
    assert.equal(vc.api.production(PROJECT), id);

    // History lists the preview with Promote; promoting from there switches production.
    await popup.click('#open-history');
    const card = '.deploy-card[data-provider="vercel"]';
    await popup.waitForFunction((c) => document.querySelector(c)?.dataset.state === 'refreshed', { timeout: 15_000 }, card);
    const row = `${card} .deployment[data-id="${second.id}"]`;
    assert.equal(await popup.$eval(row, (li) => li.dataset.preview), 'true');
    assert.equal(await textOf(popup, `${row} button.roll`), 'Promote');
    const entries = await popup.$$eval('#history-list .entry', (items) => items.slice(0, 3).map((li) => li.textContent));
    assert.match(entries[0], /Preview\s*deploy-app/);
    assert.match(entries[1], /Promoted\s*deploy-app/);
    await screenshotPopup(popup, join(ARTIFACTS, 'history-preview.png'));
    await popup.click(`${row} button.roll`);
    await popup.waitForFunction(
      (c, want) => document.querySelector(c).dataset.state === 'refreshed' && document.querySelector(`${c} .deployment[data-live="true"]`)?.dataset.id === want,
      { timeout: 30_000 },
      card,
      second.id,
    );
    assert.equal(vc.api.production(PROJECT), second.id);
    assert.match((await production(vc.origin, PROJECT)).body, new RegExp(PREVIEW_TWO));
    vercelIds.push(second.id);
    await close();

    // Back to Production for the rest (serving SECOND again): remembered the same way.
    message = SECOND;
    ({ popup, close } = await openProject());
    const back = await deployFromPopup(popup, 'vercel', { stage: 'production' });
    assert.ok(back.ok, `deploy failed: ${back.status}`);
    assert.equal(back.title, 'Live on Vercel');
    assert.equal(vc.api.production(PROJECT), back.id);
    vercelIds.push(back.id);
    await close();
  });

  test('Netlify: a preview is a branch deploy; a promotion Netlify refuses says so and leaves production, the next one publishes it', async () => {
    const before = nf.api.published(PROJECT);
    const { popup, close } = await openProject();
    const result = await deployFromPopup(popup, 'netlify', { stage: 'preview' });
    assert.ok(result.ok, `deploy failed: ${result.status}`);
    assert.equal(result.title, 'Preview on Netlify');
    const id = result.id;
    assert.equal(result.link.href, `https://${id}--${PROJECT}.netlify.app`);
    assert.equal(nf.api.published(PROJECT), before, 'a preview leaves production');
    assert.equal(nf.api.deploy(id).context, 'branch-deploy');
    assert.match((await getHttps(`${nf.origin}/__site/${id}/`)).body, new RegExp(message));

    nf.api.inject({ target: 'restore', kind: 422 });
    await popup.click('#deploy-promote');
    await popup.waitForFunction(() => document.getElementById('deploy-result').dataset.promote === 'failed', { timeout: 30_000 });
    assert.match(await textOf(popup, '#deploy-result-note'), /Netlify answered with an error \(HTTP 422\).*Production was not changed/);
    assert.equal(await popup.$eval('#deploy-promote', (b) => b.hidden || b.disabled), false, 'it may be tried again');
    assert.equal(nf.api.published(PROJECT), before, 'a refused promotion leaves production');
    await popup.click('#deploy-promote');
    await popup.waitForFunction(() => document.getElementById('deploy-result').dataset.promote === 'promoted', { timeout: 30_000 });
    assert.equal(nf.api.published(PROJECT), id);
    assert.equal(await textOf(popup, '#deploy-result-title'), 'Live on Netlify');
    await close();
    // Back to Production for the rest.
    const again = await openProject();
    const back = await deployFromPopup(again.popup, 'netlify', { stage: 'production' });
    assert.ok(back.ok, `deploy failed: ${back.status}`);
    assert.equal(nf.api.published(PROJECT), back.id);
    await again.close();
  });

  test('a failing build shows the provider\'s error; production is untouched', async () => {
    message = 'FAIL';
    const { popup, close } = await openProject();
    const before = { vercel: vc.api.production(PROJECT), netlify: nf.api.published(PROJECT) };
    let result = await timed('vercel-failing', () => deployFromPopup(popup, 'vercel'));
    assert.equal(result.ok, false);
    assert.equal(result.status, `The build failed on Vercel: ${BUILD_ERROR}. Production still serves the previous deployment.`);
    assert.equal(result.settingsShown, false);
    assert.equal(vc.api.production(PROJECT), before.vercel);
    assert.equal(vc.api.deployments(PROJECT)[0].readyState, 'ERROR');
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-deploy-failed.png'));

    result = await deployFromPopup(popup, 'netlify');
    assert.equal(result.ok, false);
    assert.match(result.status, /^The build failed on Netlify: Failed during stage 'building site': Build script returned non-zero exit code: 1: build failed: src\/message\.txt says FAIL\. Production still serves the previous deployment\.$/);
    assert.equal(nf.api.published(PROJECT), before.netlify);
    for (const [origin, expected] of [[vc.origin, SECOND], [nf.origin, SECOND]]) {
      assert.match((await production(origin, PROJECT)).body, new RegExp(expected));
    }
    // Failed builds are deployments too: History records them with their state.
    const { local } = await storage();
    assert.deepEqual(local.liftoffHistory.slice(0, 2).map((e) => [e.kind, e.target, e.state]), [
      ['deploy', 'netlify', 'error'],
      ['deploy', 'vercel', 'ERROR'],
    ]);
    await close();
    message = SECOND;
  });

  test('a bad token says so with a button to the options page; a missing one disables Deploy', async () => {
    await setServiceToken(browser, extensionOrigin, 'vercel', BAD_VERCEL_TOKEN, { listen });
    const mark = vc.api.stats().requests.length;
    const { popup, close } = await openProject();
    const result = await deployFromPopup(popup, 'vercel');
    assert.equal(result.ok, false);
    assert.equal(result.status, 'Vercel refused the token: it is wrong, expired or revoked. Set a new one in Settings, then deploy again.');
    assert.equal(result.settingsShown, true);
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-deploy-bad-token.png'));
    const refused = vc.api.stats().requests.slice(mark);
    assert.ok(refused.length >= 1 && refused.every((r) => r.auth === 'wrong' && r.status === 403), JSON.stringify(refused));
    assert.equal(vc.api.production(PROJECT), vercelIds.at(-1));
    // "Open Settings" opens the options page.
    const opened = browser.waitForTarget((t) => t.url().endsWith('/extension/options/options.html'), { timeout: 5_000 });
    await popup.click('#status-settings');
    await (await (await opened).asPage())?.close();
    await close().catch(() => {}); // the popup may have closed when the options tab opened

    await forgetServiceToken(browser, extensionOrigin, 'netlify', { listen });
    const again = await openProject();
    await again.popup.click('#deploy-open-netlify');
    assert.equal(await again.popup.$eval('#deploy-no-token', (p) => p.hidden), false);
    assert.equal(await again.popup.$eval('#deploy', (b) => b.disabled), true);
    // History cannot ask Netlify without a token, nor Vercel with a refused one: each says so.
    await again.popup.click('#open-history');
    await again.popup.waitForFunction(
      () =>
        document.querySelector('.deploy-card[data-provider="netlify"]')?.dataset.state === 'no-token' &&
        document.querySelector('.deploy-card[data-provider="vercel"]')?.dataset.state === 'error',
      { timeout: 10_000 },
    );
    assert.match(await textOf(again.popup, '.deploy-card[data-provider="netlify"] .card-status'), /^Set a Netlify token in Settings to see its deployments and roll back\. Open Settings$/);
    assert.equal(
      await textOf(again.popup, '.deploy-card[data-provider="vercel"] .card-status'),
      'Vercel refused the token: it is wrong, expired or revoked. Set a new one in Settings, then open History again. Open Settings',
    );
    await screenshotPopup(again.popup, join(ARTIFACTS, 'history-token-errors.png'));
    await again.close();

    await setServiceToken(browser, extensionOrigin, 'vercel', VERCEL_TOKEN, { listen });
    await setServiceToken(browser, extensionOrigin, 'netlify', NETLIFY_TOKEN, { listen });
  });

  test('a Vercel team set with the token, and a name typed in the form: the project is made in that team', async () => {
    const shown = await setServiceToken(browser, extensionOrigin, 'vercel', VERCEL_TOKEN, { team: ` ${TEAM} `, listen });
    assert.match(shown.status, new RegExp(`Team: ${TEAM}\\.$`));
    assert.deepEqual((await storage()).session.vercelTeam, TEAM);
    const { popup, close } = await openProject();
    const mark = vc.api.stats().requests.length;
    await popup.click('#deploy-open-vercel');
    // Typed as a person would: the popup refuses what Vercel would, before sending anything.
    const refused = await deployFromPopup(popup, 'vercel', { project: 'My Team App' });
    assert.equal(refused.ok, false);
    assert.equal(refused.status, "“My Team App” cannot be a Vercel project name: use lower-case letters, digits, '.', '_' and '-'.");
    assert.equal(vc.api.stats().requests.length, mark);
    const result = await deployFromPopup(popup, 'vercel', { project: 'team-app' });
    assert.ok(result.ok, `deploy failed: ${result.status}`);
    assert.equal(vc.api.production('team-app', { teamId: TEAM }), result.id);
    assert.equal(vc.api.production('team-app'), null, 'the project was made in the personal account');
    const calls = vc.api.stats().requests.slice(mark);
    assert.ok(calls.length > 3 && calls.every((r) => r.teamId === TEAM), JSON.stringify(calls.map((r) => r.teamId)));
    await close();
    // Back to the personal account.
    await setServiceToken(browser, extensionOrigin, 'vercel', VERCEL_TOKEN, { team: '', listen });
    assert.equal((await storage()).session.vercelTeam, undefined);
  });

  test('no token in storage.local, a console, the history or the profile; each token went only to its own host', async () => {
    const stored = await storage();
    assert.deepEqual(Object.keys(stored.local).sort(), ['deployStages', 'liftoffHistory']);
    // How each project was last deployed, and nothing else.
    for (const record of Object.values(stored.local.deployStages)) assert.deepEqual(Object.keys(record).sort(), ['at', 'preview']);
    assert.deepEqual(Object.values(stored.local.deployStages).map((r) => r.preview), [false]);
    for (const entry of stored.local.liftoffHistory) {
      const keys = ['id', 'kind', 'link', 'project', 'state', 'target', 'time', ...(entry.preview ? ['preview'] : [])];
      assert.deepEqual(Object.keys(entry).sort(), keys.sort());
    }
    for (const token of TOKENS) {
      assert.ok(!JSON.stringify(stored.local).includes(token), 'a token is in storage.local');
      assert.ok(!consoleTexts.some((text) => text.includes(token)), 'a token was logged');
      assert.deepEqual(filesContaining(profileDir, token), [], 'a token was written to the profile');
    }
    // Every API request reached its own host with its own token: Netlify never saw a wrong
    // token (the Vercel one), Vercel only the bad one of the test above; no preflight anywhere.
    const vercel = vc.api.stats();
    const netlify = nf.api.stats();
    assert.equal(vercel.options, 0, 'a CORS preflight reached Vercel');
    assert.equal(netlify.options, 0, 'a CORS preflight reached Netlify');
    assert.ok(netlify.requests.length > 5 && netlify.requests.every((r) => r.auth === 'ok' && r.host === 'api.netlify.com'), 'Netlify saw another token or host');
    const wrong = vercel.requests.filter((r) => r.auth !== 'ok');
    assert.ok(wrong.length >= 1 && wrong.every((r) => r.auth === 'wrong' && r.status === 403));
    assert.ok(vercel.requests.every((r) => r.host === 'api.vercel.com'));
  });

  test('the service worker logged no error or warning but the refused runs', () => {
    const unexpected = workerProblems.filter(
      (text) => !/^Liftoff (deploy|deployment listing) failed: (build-failed|bad-token) /.test(text) && !/^Liftoff promote failed: http-error /.test(text),
    );
    assert.deepEqual(unexpected, []);
  });
});
