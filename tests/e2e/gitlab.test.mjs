// End to end: "Push to GitLab" from the real popup. The local GitLab (tests/servers/gitlab.mjs:
// the REST v4 calls in front of git's own `git http-backend`) is served over HTTPS and reached
// as gitlab.com through --host-resolver-rules, so the manifest's host permission for
// https://gitlab.com/* and the extension's default GitLab origin are exercised exactly as
// shipped. A second one stands in for a self-managed GitLab at git.example.com, added in
// Settings. The tokens are set through the options page and followed everywhere they must not
// go, including every request the service worker sends (read over CDP).
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launch, openBoltChat, screenshotPopup, textOf, waitForCleanup } from './lib/browser.mjs';
import { filesContaining, listFiles, snapshotDir, unzip, waitForDownload } from './lib/files.mjs';
import { allObjects, assertSameFiles, pushFromPopup } from './lib/github.mjs';
import {
  cloneGitLab,
  gitlabApi,
  grantHostAccess,
  openOptions,
  recordWorkerRequests,
  setForgeToken,
  startBrowserGitLab,
  startSink,
} from './lib/gitlab.mjs';
import { startBoltServer } from './lib/server.mjs';
import { ARTIFACTS, boltHistories, extensionStorage, listenTo, makeRunDirs, REPO, SEED_SCRIPT, unpackedExtension, watchWorker } from './lib/setup.mjs';

const FIXTURE = join(REPO, 'tests/fixtures/bolt');

// Distinctive, so that a leak anywhere is found by a plain byte search.
const TOKEN = 'glpat-E2E-SECRET-liftoff-gitlab-5c1e9a7f3b';
const HOST_TOKEN = 'glpat-E2E-SELFMANAGED-liftoff-8d2b6f0e4a';
const ADA = {
  id: 7,
  username: 'ada',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  public_email: '',
  commit_email: 'ada.commits@example.com',
  push: true,
};
const PROJECT = 'acme/web/my-portfolio'; // a subgroup of the stand-in's DEFAULT_GROUPS
const AUTHOR = 'Ada Lovelace <ada.commits@example.com>'; // name <commit_email>
const DEFAULT_MESSAGE = /^Export from Bolt \(Liftoff\), \d{4}-\d\d-\d\d \d\d:\d\d UTC$/;
const SELF_MANAGED = 'https://git.example.com';
const SELF_MANAGED_ID = `gitlab@${SELF_MANAGED}`;
const SELF_MANAGED_DOM = 'gitlab-host-git-example-com'; // host-form.js, hostDomId
const SELF_MANAGED_PROJECT = 'ada/my-portfolio';

/** {path: Buffer} of every file under dir, skipping `.git`. */
function filesOf(dir) {
  return new Map(listFiles(dir).filter((path) => !path.split('/').includes('.git')).map((path) => [path, readFileSync(join(dir, path))]));
}

/** "METHOD kind" of the stand-in's log from mark on. */
const steps = (gl, mark = 0) => gl.log.slice(mark).map((e) => `${e.method} ${e.kind}`);

describe('Push to GitLab from the popup', { timeout: 120_000 }, () => {
  let tmp;
  let downloadDir;
  let profileDir;
  let bolt;
  let gl; // gitlab.com
  let self; // git.example.com
  let sink; // every other host of the manifest a token could be sent to
  let browser;
  let worker;
  let extensionOrigin;
  let sent; // every request of the service worker
  let zipPath; // the download of the same export
  const clones = []; // every clone's folder
  let firstCommit;
  const consoleTexts = []; // every console message of the worker, the popups and the options pages
  const workerProblems = [];

  const listen = listenTo(consoleTexts);
  const storage = () => extensionStorage(worker);
  const openPortfolio = () => openBoltChat(browser, worker, 'my-portfolio', listen);
  const closeBoth = async ({ page, popup }) => {
    await popup.close();
    await page.close();
  };
  /** "host METHOD path" of every request the sink received with a token in it (the token not shown). */
  const leaks = () =>
    sink.requests
      .filter((r) => [TOKEN, HOST_TOKEN].some((token) => r.url.includes(token) || Object.values(r.headers).some((v) => carries(v, token))))
      .map((r) => `${r.host} ${r.method} ${r.url}`);
  /**
   * {path: Buffer} of what a commit of the downloaded export holds: the zip's files but those the
   * popup listed as left out of the commit (after the file the page could not provide, left out
   * of the zip as well).
   */
  const committedFiles = (excluded) => {
    const zipDir = join(tmp, 'zip');
    const entries = unzip(zipPath, zipDir).filter((name) => !name.endsWith('/'));
    assert.ok(entries.length > 10 && entries.includes('LIFTOFF.md'), 'the cleaned-up export');
    const fromZip = filesOf(zipDir);
    assert.equal(excluded[0], 'public/watched.png');
    assert.ok(!fromZip.has('public/watched.png'));
    for (const path of excluded.slice(1)) {
      assert.ok(fromZip.has(path), `${path} is listed as left out of the commit but is not in the zip`);
      fromZip.delete(path);
    }
    return fromZip;
  };
  /** [{value, text}] of the forge choice. */
  const forgeOptions = (popup) => popup.$$eval('#push-forge option', (options) => options.map((o) => ({ value: o.value, text: o.textContent })));
  /** Opens the push form when closed and chooses the target id. */
  const chooseForge = async (popup, id) => {
    if (await popup.$eval('#push-form', (form) => form.hidden)) await popup.click('#push-open');
    await popup.select('#push-forge', id);
  };

  before(async () => {
    ({ tmp, downloadDir, profileDir } = makeRunDirs('liftoff-e2e-gitlab-'));
    bolt = await startBoltServer({ tmpDir: tmp, histories: boltHistories(FIXTURE), seedScriptPath: SEED_SCRIPT });
    let gitlab;
    let selfHosts;
    ({ gl, hosts: gitlab } = await startBrowserGitLab(tmp, { [TOKEN]: ADA }));
    ({ gl: self, hosts: selfHosts } = await startBrowserGitLab(tmp, { [HOST_TOKEN]: ADA }, { host: 'git.example.com' }));
    sink = await startSink(['api.github.com', 'github.com', 'gitea.com']);
    const hosts = { 'bolt.new': bolt.port, ...gitlab, ...selfHosts, ...sink.hosts };
    ({ browser, worker, extensionOrigin } = await launch({ extensionDir: unpackedExtension(), userDataDir: profileDir, downloadDir, hosts }));
    watchWorker(worker, workerProblems, consoleTexts);
    sent = await recordWorkerRequests(worker);
  });

  after(async () => {
    await browser?.close();
    await bolt?.close();
    await gl?.close();
    await self?.close();
    await sink?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('without a GitLab token: choosing GitLab says so, names GitLab, and Push is disabled', async () => {
    const opened = await openPortfolio();
    const { popup } = opened;
    await chooseForge(popup, 'gitlab');
    assert.deepEqual(await forgeOptions(popup), [
      { value: 'github', text: 'GitHub (no token)' },
      { value: 'gitlab', text: 'GitLab (no token)' },
      { value: 'gitea', text: 'Gitea (no token)' },
    ]);
    assert.equal(await popup.$eval('#push-no-token', (p) => p.hidden), false);
    assert.equal(await textOf(popup, '#push-no-token-text'), 'Liftoff needs a GitLab token to push.');
    assert.equal(await textOf(popup, '#push-open-text'), 'Push to GitLab');
    assert.equal(await textOf(popup, '#push-pr-text'), 'Open a merge request');
    assert.equal(await popup.$eval('#push-repo', (i) => i.placeholder), 'group/name');
    assert.equal(await popup.$eval('#push', (b) => b.disabled), true);
    assert.equal(await popup.$eval('#push-review', (b) => b.disabled), true);
    await closeBoth(opened);
    assert.equal(gl.log.length, 0, 'nothing was sent to GitLab');
  });

  test('the GitLab token is set in its section of the options page: in storage.session as gitlabToken only, the field emptied', async () => {
    assert.deepEqual(await storage(), { local: {}, session: {} }, 'nothing is stored before the user chooses');
    const page = await openOptions(browser, extensionOrigin, listen);
    try {
      assert.equal(await textOf(page, '#gitlab-heading'), 'GitLab');
      assert.match(await textOf(page, '#gitlab-token-status'), /^No token is set: Liftoff cannot push to GitLab yet\.$/);
      const shown = await setForgeToken(browser, extensionOrigin, 'gitlab', `  ${TOKEN}\n`, { page });
      assert.equal(shown.state, 'session', shown.status);
      assert.match(shown.status, /^Token saved\. A token is set for this browser session/);
      assert.equal(shown.field, '', 'the page keeps no copy of the token');
      assert.equal(shown.forgetShown, true);
      // GitHub's section is untouched.
      assert.equal(await page.$eval('#token-status', (el) => el.dataset.state), 'none');
      await page.setViewport({ width: 760, height: 900 });
      await (await page.$('[data-service="gitlab"]')).scrollIntoView();
      await page.screenshot({ path: join(ARTIFACTS, 'options-gitlab.png') });
      await (await page.$('[data-service="gitlab"]')).screenshot({ path: join(ARTIFACTS, 'options-gitlab-section.png') });
    } finally {
      await page.close();
    }
    const stored = await storage();
    assert.deepEqual(stored.session, { gitlabToken: TOKEN }, 'pasted spaces are dropped');
    assert.deepEqual(stored.local, {});
  });

  test('a Bolt project pushed to a new GitLab project in a subgroup: the commit link; the clone equals the download byte for byte; git fsck --strict', async () => {
    // The download of the same export (cleaned up: the default).
    {
      const { page, popup } = await openPortfolio();
      const before = snapshotDir(downloadDir);
      await popup.click('#export');
      await popup.waitForFunction(() => !document.getElementById('result').hidden || document.getElementById('status').dataset.tone === 'error');
      assert.equal(await popup.$eval('#result', (el) => el.hidden), false, await textOf(popup, '#status'));
      zipPath = await waitForDownload(downloadDir, before);
      await waitForCleanup(worker);
      await closeBoth({ page, popup });
    }

    const { page, popup } = await openPortfolio();
    await popup.click('#push-open');
    assert.equal(await popup.$eval('#push-forge', (s) => s.value), 'github', 'no forge remembered yet: GitHub first');
    await chooseForge(popup, 'gitlab');
    assert.deepEqual((await forgeOptions(popup)).map((o) => o.text), ['GitHub (no token)', 'GitLab', 'Gitea (no token)']);
    assert.equal(await popup.$eval('#push-no-token', (p) => p.hidden), true);
    assert.equal(await popup.$eval('#push-repo', (i) => i.value), '');
    assert.match(await popup.$eval('#push-message', (i) => i.value), DEFAULT_MESSAGE);
    const prefilled = await popup.$eval('#push-message', (i) => i.value);
    await popup.type('#push-repo', PROJECT);
    await popup.click('#push-create');
    assert.equal(await textOf(popup, '#push'), 'Create and push');
    assert.equal(await popup.$eval('#push', (b) => b.disabled), false);
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-push-gitlab-form.png'));

    const mark = gl.log.length;
    const result = await pushFromPopup(popup);
    assert.deepEqual(leaks(), [], `the GitLab token was sent to another host (the popup said: ${result.ok ? result.title : result.status})`);
    assert.ok(result.ok, `push failed: ${result.status}`);
    assert.equal(result.title, 'Pushed to GitLab');
    assert.equal(result.note, 'Liftoff created a private project for it.');
    assert.equal(result.repository, PROJECT);
    assert.equal(result.branch, 'main');
    firstCommit = gl.head(PROJECT);
    assert.match(firstCommit ?? '', /^[0-9a-f]{40}$/);
    assert.equal(result.link.text, firstCommit.slice(0, 7));
    assert.equal(result.link.href, `https://gitlab.com/${PROJECT}/-/commit/${firstCommit}`);
    assert.equal(result.pr, null);

    // The conversation: the project (absent) and who the token is, then the subgroup's
    // namespace, the creation in it, the refs and one pack. No CORS preflight reached GitLab.
    const log = gl.log.slice(mark);
    assert.deepEqual(steps(gl, mark).slice(0, 2).sort(), ['GET repo', 'GET user']);
    assert.equal(log.find((e) => e.kind === 'repo').path, '/api/v4/projects/acme%2Fweb%2Fmy-portfolio');
    assert.equal(log.find((e) => e.kind === 'repo').status, 404);
    assert.deepEqual(steps(gl, mark).slice(2), ['GET namespace', 'POST create', 'GET info-refs', 'POST receive-pack']);
    assert.equal(log.find((e) => e.kind === 'namespace').path, '/api/v4/namespaces/acme%2Fweb');
    const namespace = (await gitlabApi(gl, '/namespaces/acme%2Fweb', TOKEN)).json;
    const create = log.find((e) => e.kind === 'create');
    assert.equal(create.status, 201);
    assert.deepEqual([create.json.namespace_id, create.json.path, create.json.visibility], [namespace.id, 'my-portfolio', 'private']);
    assert.ok(log.every((e) => e.method !== 'OPTIONS'), 'a CORS preflight reached GitLab');
    assert.ok(log.filter((e) => /info-refs|pack/.test(e.kind)).every((e) => e.user === 'oauth2'), 'git as oauth2');
    const project = (await gitlabApi(gl, '/projects/acme%2Fweb%2Fmy-portfolio', TOKEN)).json;
    assert.deepEqual([project.namespace.full_path, project.visibility, project.default_branch], ['acme/web', 'private', 'main']);
    assert.equal(project.web_url, `https://gitlab.com/${PROJECT}`);

    // GitLab's pushes follow no checks.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await popup.$eval('#push-checks', (p) => p.hidden), true, 'checks are shown for a GitLab push');

    // Cloned with plain git from the stand-in: the download's files, byte for byte, but what a
    // commit leaves out (.env files, what .gitignore excludes), which the popup lists after the
    // file the page could not provide (left out of the zip as well).
    const clone = await cloneGitLab(gl, PROJECT, TOKEN);
    clones.push(clone.dir);
    const fromZip = committedFiles(result.excluded);
    assert.ok([...fromZip.keys()].some((path) => /\.(png|ico|jpe?g|gif|webp|woff2?)$/.test(path)), 'a binary file is compared');
    assertSameFiles(filesOf(clone.dir), fromZip, 'the clone against the download');
    assert.equal(clone.log.length, 1);
    assert.deepEqual(clone.log[0].parents, []);
    assert.equal(clone.log[0].sha, firstCommit);
    assert.equal(clone.log[0].author, AUTHOR);
    assert.match(clone.log[0].subject, DEFAULT_MESSAGE);
    if (clone.log[0].subject !== prefilled) assert.ok(Date.now() % 60_000 < 30_000, `${clone.log[0].subject} vs ${prefilled}`);

    // The project and the forge are remembered for this project, without the token.
    const stored = await storage();
    assert.deepEqual(Object.keys(stored.local).sort(), ['githubRepositories', 'liftoffHistory']);
    const remembered = stored.local.githubRepositories['bolt:my-portfolio'];
    assert.deepEqual([remembered?.repository, remembered?.forge], [PROJECT, 'gitlab']);
    const [pushed, exported] = stored.local.liftoffHistory;
    assert.deepEqual(
      { ...pushed, time: typeof pushed.time },
      { kind: 'push', time: 'number', target: 'gitlab', project: PROJECT, link: result.link.href, id: firstCommit, state: 'pushed' },
    );
    assert.equal(exported.kind, 'export');

    await screenshotPopup(popup, join(ARTIFACTS, 'popup-push-gitlab.png'));
    await closeBoth({ page, popup });
  });

  test('reopened on the same project: GitLab and the project preselected; the unchanged export is "Already up to date", its tree learned over git', async () => {
    assert.ok(gl.exists(PROJECT), 'needs the project the first push created');
    const { page, popup } = await openPortfolio();
    await popup.click('#push-open');
    assert.equal(await popup.$eval('#push-forge', (s) => s.value), 'gitlab', 'the forge of the last push is offered');
    assert.equal(await popup.$eval('#push-repo', (i) => i.value), PROJECT, 'the last project is offered');
    assert.equal(await textOf(popup, '#push-open-text'), 'Push to GitLab');
    assert.equal(await popup.$eval('#push-create', (b) => b.checked), false);
    assert.equal(await popup.$eval('#push-no-token', (p) => p.hidden), true);
    const mark = gl.log.length;
    const result = await pushFromPopup(popup);
    assert.ok(result.ok, `push failed: ${result.status}`);
    assert.equal(result.title, 'Already up to date');
    assert.equal(result.note, 'The branch already holds this export: no new commit.');
    assert.equal(result.link.text, firstCommit.slice(0, 7));
    assert.equal(result.link.href, `https://gitlab.com/${PROJECT}/-/commit/${firstCommit}`);
    assert.equal(gl.head(PROJECT), firstCommit);
    const kinds = steps(gl, mark);
    assert.ok(kinds.includes('POST upload-pack'), `the tree was not fetched over git: ${kinds.join(', ')}`);
    assert.ok(!kinds.includes('POST receive-pack') && !kinds.includes('POST create'), `requests: ${kinds.join(', ')}`);
    const fetch = gl.log.slice(mark).find((e) => e.kind === 'upload-pack');
    assert.equal(fetch.status, 200);
    assert.equal(fetch.protocol, 'version=2');
    await closeBoth({ page, popup });
  });

  test('"Open a merge request" from the popup: branch liftoff, "Merge request !1 opened" linking to gitlab.com; one open MR into the default branch', async () => {
    assert.ok(gl.exists(PROJECT), 'needs the project the first push created');
    // Someone else's commit on main, so that the branch differs from it.
    const theirs = gl.commit(PROJECT, { 'NOTES.md': 'A note of someone else\n' }, { message: 'Add notes' });
    const { page, popup } = await openPortfolio();
    await popup.click('#push-open');
    assert.equal(await popup.$eval('#push-forge', (s) => s.value), 'gitlab');
    await popup.click('#push-pr');
    assert.equal(await popup.$eval('#push-branch', (i) => i.value), 'liftoff', 'the branch offered for a merge request');
    assert.equal(await textOf(popup, '#push'), 'Push, open MR');
    const mark = gl.log.length;
    const result = await pushFromPopup(popup);
    assert.ok(result.ok, `push failed: ${result.status}`);
    assert.equal(result.title, 'Pushed to GitLab');
    assert.equal(result.branch, 'liftoff');
    const head = gl.head(PROJECT, 'liftoff');
    assert.equal(result.link.href, `https://gitlab.com/${PROJECT}/-/commit/${head}`);
    assert.deepEqual(result.pr, { text: 'Merge request !1 opened', href: `https://gitlab.com/${PROJECT}/-/merge_requests/1` });
    assert.equal(gl.head(PROJECT), theirs, 'main untouched');
    const mrs = gl.pullsOf(PROJECT);
    assert.equal(mrs.length, 1);
    assert.deepEqual([mrs[0].source, mrs[0].target, mrs[0].state], ['liftoff', 'main', 'opened']);
    assert.match(mrs[0].title, DEFAULT_MESSAGE);
    assert.deepEqual(gl.log.slice(mark).filter((e) => e.kind === 'pulls').map((e) => `${e.method} ${e.status}`), ['GET 200', 'POST 201']);
    // The branch starts from main: one commit on top of someone else's.
    const clone = await cloneGitLab(gl, PROJECT, TOKEN, 'liftoff');
    clones.push(clone.dir);
    assert.deepEqual(clone.log[0].parents, [theirs]);
    assert.equal(clone.log[0].sha, head);
    assert.ok(!filesOf(clone.dir).has('NOTES.md'), 'the export replaces the tree');
    const stored = (await storage()).local.githubRepositories['bolt:my-portfolio'];
    assert.deepEqual(stored && [stored.repository, stored.forge, stored.branch, stored.pr], [PROJECT, 'gitlab', 'liftoff', true]);
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-push-gitlab-mr.png'));
    await closeBoth({ page, popup });
  });

  test('a self-managed GitLab (git.example.com): added in Settings once Chrome gave access, its own token, a push there', async () => {
    const page = await openOptions(browser, extensionOrigin, listen);
    try {
      // Headless Chromium never answers the permission prompt: the access is given first, as
      // chrome://extensions' "Site access" does; the request then resolves at once.
      await grantHostAccess(browser, extensionOrigin, SELF_MANAGED);
      await page.type('#gitlab-host', SELF_MANAGED);
      await page.click('#add-gitlab-host');
      await page.waitForSelector(`#${SELF_MANAGED_DOM}-token`, { timeout: 5_000 });
      assert.equal(await textOf(page, '#gitlab-host-status'), 'Added git.example.com. Set its token below.');
      assert.equal(await worker.evaluate((o) => chrome.permissions.contains({ origins: [`${o}/*`] }), SELF_MANAGED), true);
      assert.equal(await page.$eval('#gitlab-host', (i) => i.value), '');
      assert.equal(await textOf(page, `#${SELF_MANAGED_DOM}-heading`), 'GitLab (git.example.com)');
      await page.waitForFunction((id) => document.getElementById(id).dataset.state === 'none', { timeout: 5_000 }, `${SELF_MANAGED_DOM}-token-status`);
      const shown = await setForgeToken(browser, extensionOrigin, SELF_MANAGED_DOM, HOST_TOKEN, { page });
      assert.equal(shown.state, 'session', shown.status);
      assert.equal(shown.field, '');
      assert.equal(await page.$eval('#gitlab-token-status', (el) => el.dataset.state), 'session', 'gitlab.com keeps its own token');
      await page.setViewport({ width: 760, height: 900 });
      await (await page.$('[data-service="gitlab"]')).scrollIntoView();
      await page.screenshot({ path: join(ARTIFACTS, 'options-gitlab-hosts.png') });
      await (await page.$('#gitlab-hosts')).screenshot({ path: join(ARTIFACTS, 'options-gitlab-host-section.png') });
    } finally {
      await page.close();
    }
    let stored = await storage();
    assert.deepEqual(stored.local.forgeHosts, { gitlab: [SELF_MANAGED] });
    assert.deepEqual(stored.session, { gitlabToken: TOKEN, [`gitlabToken@${SELF_MANAGED}`]: HOST_TOKEN });

    const { page: bolted, popup } = await openPortfolio();
    await popup.click('#push-open');
    assert.deepEqual(await forgeOptions(popup), [
      { value: 'github', text: 'GitHub (no token)' },
      { value: 'gitlab', text: 'GitLab' },
      { value: 'gitea', text: 'Gitea (no token)' },
      { value: SELF_MANAGED_ID, text: 'GitLab (git.example.com)' },
    ]);
    await chooseForge(popup, SELF_MANAGED_ID);
    assert.equal(await textOf(popup, '#push-open-text'), 'Push to GitLab (git.example.com)');
    if (await popup.$eval('#push-pr', (b) => b.checked)) await popup.click('#push-pr');
    const markPublic = gl.log.length;
    const result = await pushFromPopup(popup, { repository: SELF_MANAGED_PROJECT, branch: '', create: true });
    assert.ok(result.ok, `push failed: ${result.status}`);
    assert.equal(result.title, 'Pushed to GitLab (git.example.com)');
    const head = self.head(SELF_MANAGED_PROJECT);
    assert.match(head ?? '', /^[0-9a-f]{40}$/);
    assert.equal(result.link.href, `${SELF_MANAGED}/${SELF_MANAGED_PROJECT}/-/commit/${head}`);
    assert.equal(gl.log.length, markPublic, 'gitlab.com was asked nothing');
    assert.ok(self.log.every((e) => e.status !== 401), 'the self-managed host was sent a token it does not know');
    // The user's own namespace: no namespace lookup.
    assert.ok(steps(self).includes('POST create') && !steps(self).includes('GET namespace'), steps(self).join(', '));
    const clone = await cloneGitLab(self, SELF_MANAGED_PROJECT, HOST_TOKEN);
    clones.push(clone.dir);
    assertSameFiles(filesOf(clone.dir), committedFiles(result.excluded), 'the self-managed clone against the download');
    assert.equal(clone.log[0].author, AUTHOR);
    stored = await storage();
    const remembered = stored.local.githubRepositories['bolt:my-portfolio'];
    assert.deepEqual([remembered.repository, remembered.forge], [SELF_MANAGED_PROJECT, SELF_MANAGED_ID]);
    await closeBoth({ page: bolted, popup });
  });

  test('the tokens never reached storage.local, a console, the popup, the zip, the clones, the profile, or any other host', async () => {
    const stored = await storage();
    // A popup as a person sees it, its form open.
    const { page, popup } = await openPortfolio();
    await popup.click('#push-open');
    const dom = await popup.evaluate(() => document.documentElement.outerHTML + [...document.querySelectorAll('input, textarea, select')].map((el) => el.value).join('\n'));
    await closeBoth({ page, popup });
    for (const token of [TOKEN, HOST_TOKEN]) {
      assert.ok(!JSON.stringify(stored.local).includes(token), 'a token is in storage.local');
      assert.ok(!consoleTexts.some((text) => text.includes(token)), 'a token was logged (message not shown here, it holds the token)');
      assert.ok(!dom.includes(token), 'a token is in the popup');
      assert.ok(!readFileSync(zipPath).includes(token), 'a token is in the zip');
      for (const dir of clones) assert.deepEqual(filesContaining(dir, token), [], 'a token is in a clone');
      for (const [forge, path] of [[gl, PROJECT], [self, SELF_MANAGED_PROJECT]]) {
        if (forge.exists(path)) assert.ok(!(await allObjects(forge.dirOf(path))).includes(token), `a token is in an object of ${path}`);
      }
      assert.deepEqual(filesContaining(profileDir, token), [], 'a token was written to the profile');
    }
    // Every request of the service worker: each token went to its own host only, and went there.
    const requests = sent.all().filter((r) => r.url);
    const carrying = (token) => requests.filter((r) => Object.values(r.headers).some((value) => carries(value, token)));
    const hostsOf = (list) => [...new Set(list.map((r) => new URL(r.url).host))];
    assert.deepEqual(hostsOf(carrying(TOKEN)), ['gitlab.com']);
    assert.deepEqual(hostsOf(carrying(HOST_TOKEN)), ['git.example.com']);
    assert.ok(requests.every((r) => !r.url.includes(TOKEN) && !r.url.includes(HOST_TOKEN)), 'a token is in a URL');
    // And no other host of the manifest received anything carrying one.
    assert.deepEqual(leaks(), []);
    // And every request to either host carried that host's token (REST and git alike).
    for (const [host, token] of [['gitlab.com', TOKEN], ['git.example.com', HOST_TOKEN]]) {
      const to = requests.filter((r) => new URL(r.url).host === host);
      assert.ok(to.length >= 5, `${to.length} requests to ${host}`);
      assert.deepEqual(to.filter((r) => !carrying(token).includes(r)).map((r) => `${r.method} ${r.url}`), [], `requests to ${host} without its token`);
    }
  });

  test('"Remove host" forgets the host, its token and the access; the popup no longer offers it', async () => {
    const page = await openOptions(browser, extensionOrigin, listen);
    try {
      await page.click(`#remove-${SELF_MANAGED_DOM}`);
      await page.waitForFunction((id) => !document.getElementById(id), { timeout: 5_000 }, `${SELF_MANAGED_DOM}-token`);
    } finally {
      await page.close();
    }
    const stored = await storage();
    assert.deepEqual(stored.local.forgeHosts, { gitlab: [] });
    assert.deepEqual(stored.session, { gitlabToken: TOKEN });
    assert.equal(await worker.evaluate((o) => chrome.permissions.contains({ origins: [`${o}/*`] }), SELF_MANAGED), false, 'the access was not given back');
    const { page: bolted, popup } = await openPortfolio();
    await popup.click('#push-open');
    assert.deepEqual((await forgeOptions(popup)).map((o) => o.value), ['github', 'gitlab', 'gitea']);
    await closeBoth({ page: bolted, popup });
  });

  test('a host Chrome did not give access to is not kept (headless Chromium leaves the prompt unanswered); an http address is refused', async () => {
    const refused = await openOptions(browser, extensionOrigin, listen);
    try {
      await refused.type('#gitlab-host', 'http://git.example.com');
      await refused.click('#add-gitlab-host');
      assert.equal(await textOf(refused, '#gitlab-host-status'), 'Write the address of your instance as https://host (https only).');
    } finally {
      await refused.close();
    }
    const page = await openOptions(browser, extensionOrigin, listen);
    try {
      await page.type('#gitlab-host', 'https://other.example.com');
      await page.click('#add-gitlab-host');
      // Chrome's prompt is shown to no one here: chrome.permissions.request neither resolves nor
      // throws, so the page waits (Add disabled) and nothing may be kept meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.equal(await page.$eval('#add-gitlab-host', (b) => b.disabled), true);
      assert.equal(await textOf(page, '#gitlab-host-status'), '');
      assert.deepEqual((await storage()).local.forgeHosts, { gitlab: [] });
      assert.equal(await worker.evaluate(() => chrome.permissions.contains({ origins: ['https://other.example.com/*'] })), false);
    } finally {
      await page.close();
    }
  });

  test('the service worker logged no error or warning', () => {
    assert.deepEqual(workerProblems, []);
  });
});

/** Whether a header's value holds token, as is or in a Basic Authorization value. */
function carries(value, token) {
  const text = String(value);
  const basic = /^Basic\s+(\S+)$/i.exec(text);
  return text.includes(token) || (basic !== null && Buffer.from(basic[1], 'base64').toString('utf8').includes(token));
}
