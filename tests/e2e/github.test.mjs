// End to end: "Push to GitHub" from the real popup. The local GitHub (tests/servers/github.mjs:
// the REST calls in front of git's own `git http-backend`) is served over HTTPS and reached as
// api.github.com and github.com through --host-resolver-rules, so the manifest's host
// permissions and the core's default API origin are exercised exactly as shipped; it answers
// CORS preflights with 405, as github.com does. The token is set through the options page and
// followed everywhere it must not go.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launch, openBoltChat, screenshotPopup, textOf, waitForCleanup } from './lib/browser.mjs';
import { filesContaining, listFiles, snapshotDir, unzip, waitForDownload } from './lib/files.mjs';
import {
  allObjects,
  assertSameFiles,
  changeTokenInOptions,
  cloneLocal,
  git,
  pushFromPopup,
  setTokenInOptions,
  startBrowserGitHub,
} from './lib/github.mjs';
import { startBoltServer } from './lib/server.mjs';
import { ARTIFACTS, boltHistories, extensionStorage, listenTo, makeRunDirs, REPO, SEED_SCRIPT, unpackedExtension, watchWorker } from './lib/setup.mjs';

const FIXTURE = join(REPO, 'tests/fixtures/bolt');

// Distinctive, so that a leak anywhere is found by a plain byte search.
const TOKEN = 'ghp_E2E-SECRET-liftoff-push-7f3a9c1d5e';
const BAD_TOKEN = 'ghp_E2E-REVOKED-token-2b8e4f6a0c';
// Valid, but its user may not push (the stand-in answers 403 on receive-pack).
const READ_ONLY_TOKEN = 'github_pat_E2E-READONLY-9d1c3b5a7e';
const REPOSITORY = 'octo/my-portfolio';
const AUTHOR = 'Octo Cat <583231+octo@users.noreply.github.com>';
const DEFAULT_MESSAGE = /^Export from Bolt \(Liftoff\), \d{4}-\d\d-\d\d \d\d:\d\d UTC$/;
const BAD_TOKEN_SENTENCE =
  'GitHub refused the token: it is wrong, expired or revoked. Set a new one in Settings, then push again.';
const TOKEN_KEY = 'githubToken';

/** {path: Buffer} of every file under dir, skipping `.git`. */
function filesOf(dir) {
  return new Map(listFiles(dir).filter((path) => !path.split('/').includes('.git')).map((path) => [path, readFileSync(join(dir, path))]));
}

describe('Push to GitHub from the popup', { timeout: 120_000 }, () => {
  let tmp;
  let downloadDir;
  let profileDir;
  let bolt;
  let gh;
  let browser;
  let worker;
  let extensionOrigin;
  let zipPath; // the download of the same export
  let firstCommit;
  const consoleTexts = []; // every console message of the worker, the popups and the options pages
  const workerProblems = [];

  const listen = listenTo(consoleTexts);
  const storage = () => extensionStorage(worker);
  const openPortfolio = () => openBoltChat(browser, worker, 'my-portfolio', listen);

  before(async () => {
    ({ tmp, downloadDir, profileDir } = makeRunDirs('liftoff-e2e-github-'));
    bolt = await startBoltServer({ tmpDir: tmp, histories: boltHistories(FIXTURE), seedScriptPath: SEED_SCRIPT });
    const octo = { login: 'octo', id: 583231, name: 'Octo Cat', email: null };
    let github;
    ({ gh, hosts: github } = await startBrowserGitHub(tmp, { [TOKEN]: { ...octo, push: true }, [READ_ONLY_TOKEN]: { ...octo, push: false } }));
    const hosts = { 'bolt.new': bolt.port, ...github };
    ({ browser, worker, extensionOrigin } = await launch({ extensionDir: unpackedExtension(), userDataDir: profileDir, downloadDir, hosts }));
    watchWorker(worker, workerProblems, consoleTexts);
  });

  after(async () => {
    await browser?.close();
    await bolt?.close();
    await gh?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('without a token the push form says to set one, and Push is disabled', async () => {
    const { page, popup } = await openPortfolio();
    assert.equal(await popup.$eval('#push-open', (b) => b.hidden), false, 'no Push to GitHub button');
    await popup.click('#push-open');
    assert.equal(await popup.$eval('#push-form', (form) => form.hidden), false);
    assert.equal(await popup.$eval('#push-no-token', (p) => p.hidden), false);
    assert.match(await textOf(popup, '#push-no-token'), /needs a GitHub token/);
    assert.equal(await popup.$eval('#push', (b) => b.disabled), true);
    await popup.close();
    await page.close();
  });

  test('the token is set through the options page: in storage.session only, the field emptied', async () => {
    assert.deepEqual(await storage(), { local: {}, session: {} }, 'nothing is stored before the user chooses');
    const shown = await setTokenInOptions(browser, extensionOrigin, `  ${TOKEN}\n`, {
      listen,
      screenshot: join(ARTIFACTS, 'options-github.png'),
    });
    assert.equal(shown.state, 'session', shown.status);
    assert.match(shown.status, /^Token saved\. A token is set for this browser session/);
    assert.equal(shown.field, '', 'the page keeps no copy of the token');
    assert.equal(shown.forgetShown, true);
    const stored = await storage();
    assert.deepEqual(stored.session, { [TOKEN_KEY]: TOKEN }, 'pasted spaces are dropped');
    assert.deepEqual(stored.local, {});
  });

  test('a Bolt project pushed to a new repository: the commit link; the clone equals the download byte for byte; git fsck --strict', async () => {
    // The download of the same export (cleaned up: the default).
    {
      const { page, popup } = await openPortfolio();
      const before = snapshotDir(downloadDir);
      await popup.click('#export');
      await popup.waitForFunction(() => !document.getElementById('result').hidden || document.getElementById('status').dataset.tone === 'error');
      assert.equal(await popup.$eval('#result', (el) => el.hidden), false, await textOf(popup, '#status'));
      zipPath = await waitForDownload(downloadDir, before);
      await waitForCleanup(worker);
      await popup.close();
      await page.close();
    }

    const { page, popup } = await openPortfolio();
    await popup.click('#push-open');
    assert.equal(await popup.$eval('#push-no-token', (p) => p.hidden), true);
    assert.equal(await popup.$eval('#push-repo', (i) => i.value), '', 'no repository remembered yet');
    assert.match(await popup.$eval('#push-message', (i) => i.value), DEFAULT_MESSAGE);
    const prefilled = await popup.$eval('#push-message', (i) => i.value);
    // Private and Public apply to a new repository only.
    assert.equal(await popup.$eval('input[value="private"]', (r) => r.disabled), true);

    await popup.type('#push-repo', REPOSITORY);
    await popup.click('#push-create');
    assert.equal(await popup.$eval('input[value="private"]', (r) => r.disabled), false);
    assert.equal(await textOf(popup, '#push'), 'Create and push');
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-push-form.png'));

    const mark = gh.log.length;
    const result = await pushFromPopup(popup);
    assert.ok(result.ok, `push failed: ${result.status}`);
    assert.equal(result.title, 'Pushed to GitHub');
    assert.equal(result.note, 'Liftoff created a private repository for it.');
    assert.equal(result.repository, REPOSITORY);
    assert.equal(result.branch, 'main');
    firstCommit = gh.head(REPOSITORY);
    assert.match(firstCommit ?? '', /^[0-9a-f]{40}$/);
    assert.equal(result.link.text, firstCommit.slice(0, 7));
    assert.equal(result.link.href, `https://github.com/${REPOSITORY}/commit/${firstCommit}`);

    // The conversation: who the token is, the repository (absent), its creation, the refs, one
    // pack (then the commit's checks, followed while the popup is open). No CORS preflight
    // reached GitHub.
    const requests = gh.log.slice(mark).filter((r) => r.kind !== 'checks');
    assert.deepEqual(requests.map((r) => r.kind).sort(), ['create', 'info-refs', 'receive-pack', 'repo', 'user']);
    assert.equal(requests.filter((r) => r.method === 'OPTIONS').length, 0, 'a CORS preflight reached GitHub');

    // Cloned with plain git from the local server: the download's files, byte for byte, but
    // what a commit leaves out (.env files, what .gitignore excludes), which the popup lists
    // after the file the page could not provide (left out of the zip as well).
    const zipDir = join(tmp, 'zip');
    const entries = unzip(zipPath, zipDir).filter((name) => !name.endsWith('/'));
    const clone = await cloneLocal(gh, REPOSITORY, TOKEN);
    const fromZip = filesOf(zipDir);
    assert.equal(result.excluded[0], 'public/watched.png');
    assert.ok(!fromZip.has('public/watched.png'));
    for (const path of result.excluded.slice(1)) {
      assert.ok(fromZip.has(path), `${path} is listed as left out of the commit but is not in the zip`);
      fromZip.delete(path);
    }
    assert.ok(entries.length > 10 && entries.includes('LIFTOFF.md'), 'the cleaned-up export');
    assertSameFiles(filesOf(clone.dir), fromZip, 'the clone against the download');
    assert.equal(clone.log.length, 1);
    assert.deepEqual(clone.log[0].parents, []);
    assert.equal(clone.log[0].sha, firstCommit);
    assert.equal(clone.log[0].author, AUTHOR);
    assert.match(clone.log[0].subject, DEFAULT_MESSAGE);
    // The popup showed the core's own message (the same minute unless the clock just turned).
    if (clone.log[0].subject !== prefilled) assert.ok(Date.now() % 60_000 < 30_000, `${clone.log[0].subject} vs ${prefilled}`);

    // The repository is remembered for this project, without the token.
    const stored = await storage();
    assert.deepEqual(Object.keys(stored.local).sort(), ['githubRepositories', 'liftoffHistory']);
    assert.equal(stored.local.githubRepositories['bolt:my-portfolio']?.repository, REPOSITORY);
    // The History view's record: the push with its commit, after the download.
    const [pushed, exported] = stored.local.liftoffHistory;
    assert.deepEqual(
      { ...pushed, time: typeof pushed.time },
      { kind: 'push', time: 'number', target: 'github', project: REPOSITORY, link: result.link.href, id: firstCommit, state: 'pushed' },
    );
    assert.equal(exported.kind, 'export');
    assert.ok(!JSON.stringify(stored.local).includes(TOKEN));

    await screenshotPopup(popup, join(ARTIFACTS, 'popup-push.png'));
    await popup.close();
    await page.close();
  });

  test('pushing the unchanged project again: "Already up to date", no new commit, no pack sent', async () => {
    const { page, popup } = await openPortfolio();
    await popup.click('#push-open');
    assert.equal(await popup.$eval('#push-repo', (i) => i.value), REPOSITORY, 'the last repository of this project is offered');
    assert.equal(await popup.$eval('#push-create', (b) => b.checked), false);
    const mark = gh.log.length;
    const result = await pushFromPopup(popup);
    assert.ok(result.ok, `push failed: ${result.status}`);
    assert.equal(result.title, 'Already up to date');
    assert.equal(result.note, 'The branch already holds this export: no new commit.');
    assert.equal(result.link.text, firstCommit.slice(0, 7));
    assert.equal(gh.head(REPOSITORY), firstCommit);
    const kinds = gh.log.slice(mark).map((r) => r.kind);
    assert.ok(!kinds.includes('receive-pack') && !kinds.includes('create'), `requests: ${kinds.join(', ')}`);
    assert.equal(gh.log.filter((r) => r.method === 'OPTIONS').length, 0);
    assert.equal((await git(gh.dirOf(REPOSITORY), ['rev-list', '--count', '--all'])).trim(), '1');
    await popup.close();
    await page.close();
  });

  test('History lists the download and the pushes, each push with its commit link', async () => {
    const { page, popup } = await openPortfolio();
    await popup.click('#open-history');
    await popup.waitForFunction(() => document.getElementById('history-view').dataset.state === 'listed');
    const rows = await popup.$$eval('#history-list .entry', (items) =>
      items.map((li) => ({ kind: li.dataset.kind, target: li.dataset.target, text: li.textContent, link: li.querySelector('a')?.getAttribute('href') ?? null })),
    );
    assert.deepEqual(rows.map((r) => `${r.kind}:${r.target}`), ['push:github', 'push:github', 'export:download']);
    assert.match(rows[0].text, /Pushed\s*octo\/my-portfolio/);
    assert.match(rows[0].text, new RegExp(`${firstCommit.slice(0, 7)}.*up to date`));
    assert.equal(rows[1].link, `https://github.com/${REPOSITORY}/commit/${firstCommit}`);
    assert.match(rows[2].text, /Exported.*\.zip.*saved/);
    // No deployment yet: no provider to ask.
    assert.equal(await popup.$$eval('.deploy-card', (cards) => cards.length), 0);
    await screenshotPopup(popup, join(ARTIFACTS, 'history-push.png'));
    await popup.close();
    await page.close();
  });

  test('a bad token: the popup says GitHub refused it; nothing retried or sent, the repository untouched', async () => {
    const shown = await setTokenInOptions(browser, extensionOrigin, BAD_TOKEN, { listen });
    assert.equal(shown.state, 'session');
    const { page, popup } = await openPortfolio();
    const mark = gh.log.length;
    const result = await pushFromPopup(popup);
    assert.equal(result.ok, false);
    assert.equal(result.status, BAD_TOKEN_SENTENCE);
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-push-error.png'));
    // GET /user and GET /repos/… go out together; both refused, neither retried, nothing sent.
    const seen = gh.log.slice(mark).map((r) => `${r.kind} ${r.status}`).sort();
    assert.ok(seen.length >= 1 && seen.every((r) => r === 'user 401' || r === 'repo 401'), `requests: ${seen.join(', ')}`);
    assert.equal(new Set(seen).size, seen.length, `a request was retried: ${seen.join(', ')}`);
    assert.equal(gh.head(REPOSITORY), firstCommit);
    await popup.close();
    await page.close();
  });

  test('GitHub\'s other refusals in the popup\'s words: name taken, no permission, rate limit with when it resets', async () => {
    await setTokenInOptions(browser, extensionOrigin, TOKEN, { listen });
    const { page, popup } = await openPortfolio();

    // The name is taken on the account (a repository the token cannot see).
    gh.inject({
      kind: 'create',
      status: 422,
      body: { message: 'Repository creation failed.', errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }] },
    });
    let result = await pushFromPopup(popup, { repository: 'octo/taken', create: true });
    assert.equal(result.ok, false);
    assert.equal(
      result.status,
      'octo/taken cannot be created: the name is taken on that account. Choose another name, or untick “New repository” to push to the existing one.',
    );
    assert.equal(gh.exists('octo/taken'), false);

    // The primary rate limit used up (its reset already passed, so the core's retries go at
    // once): the popup says until when.
    const reset = Math.floor(Date.now() / 1000);
    gh.inject({
      kind: 'rest',
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      body: { message: 'API rate limit exceeded for user ID 583231.' },
      times: 20,
    });
    result = await pushFromPopup(popup, { repository: REPOSITORY, create: false });
    gh.clearInjections();
    assert.equal(result.ok, false);
    const when = new Date(reset * 1000).toISOString();
    assert.equal(
      result.status,
      `GitHub’s rate limit for this token is used up until ${when.slice(0, 10)} ${when.slice(11, 16)} UTC. Push again after that.`,
    );
    await popup.close();
    await page.close();

    // A token that may read but not push.
    await setTokenInOptions(browser, extensionOrigin, READ_ONLY_TOKEN, { listen });
    const again = await openPortfolio();
    const mark = gh.log.length;
    result = await pushFromPopup(again.popup);
    assert.equal(result.ok, false);
    assert.match(result.status, /^The token may not push to octo\/my-portfolio\. A classic token needs the repo scope; a fine-grained token needs this repository with Contents set to “Read and write”\./);
    assert.ok(!gh.log.slice(mark).some((r) => r.kind === 'receive-pack' && r.status === 200));
    assert.equal(gh.head(REPOSITORY), firstCommit);
    await again.popup.close();
    await again.page.close();
  });

  test('the token never reached storage.local, a console, the zip, the commit or the profile on disk', async () => {
    const stored = await storage();
    assert.ok(!(TOKEN_KEY in stored.local), 'a token is in storage.local although "remember" was never ticked');
    for (const token of [TOKEN, BAD_TOKEN, READ_ONLY_TOKEN]) {
      assert.ok(!JSON.stringify(stored.local).includes(token), 'a token is in storage.local');
      const leaked = consoleTexts.some((text) => text.includes(token));
      assert.ok(!leaked, 'a token was logged (message not shown here, it holds the token)');
      assert.ok(!readFileSync(zipPath).includes(token), 'a token is in the zip');
      assert.ok(!(await allObjects(gh.dirOf(REPOSITORY))).includes(token), 'a token is in an object of the repository');
      // storage.session is memory only: nothing of the browser's profile on disk holds it.
      assert.deepEqual(filesContaining(profileDir, token), [], 'a token was written to the profile');
    }
  });

  test('"Remember on this device" moves the token to storage.local, a push works with it, and Forget removes it', async () => {
    let shown = await setTokenInOptions(browser, extensionOrigin, TOKEN, { remember: true, listen });
    assert.equal(shown.state, 'remembered', shown.status);
    let stored = await storage();
    assert.equal(stored.local[TOKEN_KEY], TOKEN);
    assert.ok(!(TOKEN_KEY in stored.session));

    const { page, popup } = await openPortfolio();
    const result = await pushFromPopup(popup);
    assert.ok(result.ok, `push failed: ${result.status}`);
    assert.equal(result.title, 'Already up to date');
    await popup.close();
    await page.close();

    shown = await changeTokenInOptions(browser, extensionOrigin, 'remember', { listen }); // unticked
    assert.equal(shown.state, 'session');
    stored = await storage();
    assert.ok(!(TOKEN_KEY in stored.local));
    assert.equal(stored.session[TOKEN_KEY], TOKEN);

    shown = await changeTokenInOptions(browser, extensionOrigin, 'forget', { listen });
    assert.equal(shown.state, 'none');
    assert.equal(shown.forgetShown, false);
    stored = await storage();
    assert.deepEqual(stored.session, {});
    assert.deepEqual(Object.keys(stored.local).sort(), ['githubRepositories', 'liftoffHistory']);
    assert.ok(!consoleTexts.some((text) => text.includes(TOKEN)), 'a token was logged');
    assert.equal(gh.log.filter((r) => r.method === 'OPTIONS').length, 0, 'a CORS preflight reached GitHub');
  });

  test('the service worker logged no error or warning but the refused pushes', () => {
    const unexpected = workerProblems.filter((text) => !/^Liftoff push failed: (bad-token|name-taken|rate-limited|forbidden) /.test(text));
    assert.deepEqual(unexpected, []);
  });
});
