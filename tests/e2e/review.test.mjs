// End to end: review, push, pull request and CI verdict from the real popup, against the local
// GitHub (tests/servers/github.mjs) reached as api.github.com and github.com, as in
// github.test.mjs. The repository's default branch is `trunk` (not main), so that the pull
// request's base is the one GitHub names. Everything is read from the popup's DOM; screenshots go
// to artifacts/ for a person to look at.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launch, openBoltChat, screenshotPopup, textOf } from './lib/browser.mjs';
import { pushFromPopup, setTokenInOptions, startBrowserGitHub } from './lib/github.mjs';
import { openDiff, recordPopup, recorded, reviewInPopup, waitForChecks } from './lib/review.mjs';
import { startBoltServer } from './lib/server.mjs';
import { ARTIFACTS, REPO, SEED_SCRIPT, boltHistories, makeRunDirs, unpackedExtension, watchWorker, listenTo } from './lib/setup.mjs';

const FIXTURE = join(REPO, 'tests/fixtures/bolt');
const TOKEN = 'ghp_E2E-SECRET-liftoff-review-4c2e8a6b1d';
const REPOSITORY = 'octo/reviewed';
const LOGO = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]); // 12 bytes, binary
const check = (status, conclusion) => [{ name: 'build', status, ...(conclusion ? { conclusion } : {}) }];

describe('Review, push, pull request and CI verdict from the popup', { timeout: 240_000 }, () => {
  let tmp;
  let downloadDir;
  let profileDir;
  let bolt;
  let gh;
  let browser;
  let worker;
  let extensionOrigin;
  let trunk; // the default branch's head, which the branch starts from
  let firstCommit;
  const consoleTexts = [];
  const workerProblems = [];

  const storage = () => worker.evaluate(() => chrome.storage.local.get(null));
  const openPortfolio = () => openBoltChat(browser, worker, 'my-portfolio', listenTo(consoleTexts));
  const closeBoth = async ({ page, popup }) => {
    await popup.close();
    await page.close();
  };
  const shot = (popup, name) => screenshotPopup(popup, join(ARTIFACTS, name));

  before(async () => {
    ({ tmp, downloadDir, profileDir } = makeRunDirs('liftoff-e2e-review-'));
    bolt = await startBoltServer({ tmpDir: tmp, histories: boltHistories(FIXTURE), seedScriptPath: SEED_SCRIPT });
    let github;
    ({ gh, hosts: github } = await startBrowserGitHub(tmp, { [TOKEN]: { login: 'octo', id: 583231, name: 'Octo Cat', email: null, push: true } }));
    const hosts = { 'bolt.new': bolt.port, ...github };
    ({ browser, worker, extensionOrigin } = await launch({ extensionDir: unpackedExtension(), userDataDir: profileDir, downloadDir, hosts }));
    watchWorker(worker, workerProblems, consoleTexts);
    await setTokenInOptions(browser, extensionOrigin, TOKEN);
    // What the repository holds before: an older index.html, a file the export does not have,
    // another logo.
    gh.createRepo(REPOSITORY, { defaultBranch: 'trunk' });
    trunk = gh.commit(REPOSITORY, { 'index.html': 'old index\n', 'OLD.md': 'one\ntwo\n', 'public/logo.png': LOGO }, { branch: 'trunk', message: 'Initial commit' });
  });

  after(async () => {
    await browser?.close();
    await bolt?.close();
    await gh?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('"Review changes" lists added, changed and deleted files with their lines, a binary with its sizes, and writes nothing', async () => {
    const opened = await openPortfolio();
    const { popup } = opened;
    await popup.click('#push-open');
    assert.equal(await popup.$eval('#push-pr', (box) => box.checked), false);
    assert.equal(await popup.$eval('#push-branch', (input) => input.value), '');
    await popup.type('#push-repo', REPOSITORY);
    await popup.click('#push-pr');
    assert.equal(await popup.$eval('#push-branch', (input) => input.value), 'liftoff', 'a pull request needs a branch: liftoff is offered');
    assert.equal(await textOf(popup, '#push'), 'Push, open PR');
    await shot(popup, 'popup-review-form.png');

    const mark = gh.log.length;
    const review = await reviewInPopup(popup);
    assert.ok(review.ok, `review failed: ${review.status}`);
    assert.equal(review.pushDisabled, false);
    const rows = Object.fromEntries(review.rows.map((row) => [row.path, row]));
    // Changed text: the old file's one line out, the export's lines in.
    assert.equal(rows['index.html'].action, 'changed');
    assert.match(rows['index.html'].amount, /^\+\d+ −1$/);
    assert.equal(rows['index.html'].diffable, true);
    // Deleted: not in the export.
    assert.deepEqual([rows['OLD.md'].action, rows['OLD.md'].amount], ['deleted', '+0 −2']);
    // A binary changed: its sizes, no lines, no diff.
    assert.equal(rows['public/logo.png'].action, 'changed');
    assert.match(rows['public/logo.png'].amount, /^binary · 12 B → \d+(\.\d)? (B|KB)$/);
    assert.equal(rows['public/logo.png'].diffable, false);
    // Added: text with its lines, binaries with their size.
    assert.equal(rows['LIFTOFF.md'].action, 'added');
    assert.match(rows['LIFTOFF.md'].amount, /^\+\d+ −0$/);
    assert.match(rows['src/assets/hero.webp'].amount, /^binary · \d/);
    assert.ok(review.rows.every((row) => row.action === 'added' || ['index.html', 'OLD.md', 'public/logo.png'].includes(row.path)));
    assert.match(review.title, new RegExp(`^${review.rows.length} files would change$`));
    assert.equal(review.where, `On liftoff of ${REPOSITORY}. Open a file to see its changes.`);
    assert.match(review.counts, /^\d+ added2 changed1 deleted\+\d+ −3$/);
    // Left out: what the page could not provide, then what a commit never holds.
    assert.equal(review.excluded[0], 'public/watched.png');
    // Read only.
    const requests = gh.log.slice(mark);
    assert.ok(requests.length > 0 && requests.every((r) => r.method === 'GET'), requests.map((r) => `${r.method} ${r.kind}`).join(', '));
    assert.ok(requests.some((r) => r.kind === 'blob'), "the old texts were read to count lines");
    assert.equal(gh.head(REPOSITORY, 'liftoff'), null);
    assert.equal(gh.head(REPOSITORY, 'trunk'), trunk);
    await shot(popup, 'popup-review.png');

    // A row opens its unified diff, coloured line by line; again, it closes.
    const diff = await openDiff(popup, 'index.html');
    assert.equal(diff.state, 'shown');
    assert.deepEqual(diff.removed, ['-old index']);
    assert.equal(diff.added[0], '+<!doctype html>');
    assert.ok(!diff.text.includes('+++ b/index.html'), 'the row names the file already');
    await shot(popup, 'popup-review-diff.png');
    await popup.click('#push-review-list .review-file[data-path="index.html"] .review-row');
    assert.equal(await popup.$eval('#push-review-list .review-file[data-path="index.html"] .review-diff', (pre) => pre.hidden), true);
    // A deleted file's diff: its old lines, all removed.
    assert.deepEqual((await openDiff(popup, 'OLD.md')).removed, ['-one', '-two']);
    await closeBoth(opened);
  });

  test('a review for a new repository creates nothing: it says the repository does not exist yet', async () => {
    const opened = await openPortfolio();
    const { popup } = opened;
    await popup.click('#push-open');
    await popup.type('#push-repo', 'octo/brand-new');
    await popup.click('#push-create');
    const mark = gh.log.length;
    const review = await reviewInPopup(popup);
    assert.ok(review.ok, review.status);
    assert.equal(review.title, 'A new repository');
    assert.equal(review.where, 'octo/brand-new does not exist yet: Push creates it, and every file of the export is added.');
    assert.deepEqual(review.rows, []);
    assert.equal(review.pushDisabled, false);
    assert.equal(await textOf(popup, '#push'), 'Create and push');
    assert.equal(gh.exists('octo/brand-new'), false);
    assert.ok(gh.log.slice(mark).every((r) => r.method === 'GET'), 'a review wrote to GitHub');
    await closeBoth(opened);
  });

  test('Push sends the reviewed export to the branch, opens a pull request into trunk, and the verdict goes queued, running, passed', async () => {
    gh.setChecks('*', (reads) => (reads < 2 ? check('queued') : reads < 3 ? check('in_progress') : check('completed', 'success')));
    const opened = await openPortfolio();
    const { popup } = opened;
    await popup.click('#push-open');
    assert.equal(await popup.$eval('#push-repo', (input) => input.value), '', 'nothing pushed yet: nothing remembered');
    await popup.type('#push-repo', REPOSITORY);
    await popup.click('#push-pr');
    const review = await reviewInPopup(popup);
    assert.ok(review.ok, review.status);

    await recordPopup(popup);
    const mark = gh.log.length;
    const result = await pushFromPopup(popup);
    assert.ok(result.ok, `push failed: ${result.status}`);
    assert.equal(result.title, 'Pushed to GitHub');
    assert.equal(result.branch, 'liftoff');
    assert.deepEqual(result.pr, { text: 'Pull request #1 opened', href: `https://github.com/${REPOSITORY}/pull/1` });
    // The reviewed export went out: nothing was read from the page or built again.
    const { status } = await recorded(popup);
    assert.ok(!status.some((text) => /^(Reading the project|Preparing the commit)/.test(text)), status.join(' | '));
    assert.ok(status.includes('Pushing to GitHub…'), status.join(' | '));
    assert.equal(await popup.$eval('#push-review-panel', (panel) => panel.hidden), true, 'the review is done with');

    // The branch starts at trunk's head; trunk is untouched; one pull request, liftoff → trunk.
    firstCommit = gh.head(REPOSITORY, 'liftoff');
    assert.equal(result.link.href, `https://github.com/${REPOSITORY}/commit/${firstCommit}`);
    assert.equal(gh.head(REPOSITORY, 'trunk'), trunk);
    const pulls = gh.pullsOf(REPOSITORY);
    assert.equal(pulls.length, 1);
    assert.deepEqual([pulls[0].head, pulls[0].base, pulls[0].state], ['liftoff', 'trunk', 'open']);
    assert.match(pulls[0].title, /^Export from Bolt \(Liftoff\), \d{4}-\d\d-\d\d \d\d:\d\d UTC$/, "the commit message's first line");
    assert.match(pulls[0].body, /### Files\n\n/);
    assert.match(pulls[0].body, /- deleted `OLD\.md`/);
    const kinds = gh.log.slice(mark).map((r) => r.kind);
    assert.ok(!kinds.includes('blob'), `the push read the old texts again: ${kinds.join(', ')}`);

    // The verdict, followed while the popup is open.
    const running = await waitForChecks(popup, ['queued', 'running']);
    assert.match(running.text, /^Checks (queued|running) \(1 check\)…$/);
    await shot(popup, 'popup-checks-running.png');
    const passed = await waitForChecks(popup, ['passed', 'failed', 'unknown', 'none']);
    assert.deepEqual(passed, { state: 'passed', text: 'Checks passed (1 check).', link: null });
    const { checks } = await recorded(popup);
    assert.deepEqual(checks.filter((state) => state !== 'waiting'), ['queued', 'running', 'passed']);
    await shot(popup, 'popup-checks-passed.png');

    // Remembered for this project: the repository, the branch, the pull request; History has
    // the verdict on the push's entry. No token anywhere.
    const stored = await storage();
    const { at, ...remembered } = stored.githubRepositories['bolt:my-portfolio'];
    assert.deepEqual(remembered, { repository: REPOSITORY, branch: 'liftoff', pr: true });
    assert.ok(Number.isFinite(at));
    const [entry] = stored.liftoffHistory;
    assert.deepEqual([entry.kind, entry.id, entry.state, entry.checks], ['push', firstCommit, 'pushed', 'passed']);
    assert.ok(!JSON.stringify(stored).includes(TOKEN));
    await closeBoth(opened);
  });

  test('the unchanged project: "Already up to date: nothing to push" and Push stays disabled, until a field changes', async () => {
    const opened = await openPortfolio();
    const { popup } = opened;
    await popup.click('#push-open');
    // The form starts from this project's last push.
    assert.equal(await popup.$eval('#push-repo', (input) => input.value), REPOSITORY);
    assert.equal(await popup.$eval('#push-branch', (input) => input.value), 'liftoff');
    assert.equal(await popup.$eval('#push-pr', (box) => box.checked), true);
    const review = await reviewInPopup(popup);
    assert.ok(review.ok, review.status);
    assert.equal(review.title, 'Already up to date: nothing to push');
    assert.equal(review.where, `The branch liftoff of ${REPOSITORY} already holds this export.`);
    assert.deepEqual(review.rows, []);
    assert.equal(review.pushDisabled, true);
    await shot(popup, 'popup-review-up-to-date.png');
    // Another branch: the review no longer says what Push would do.
    await popup.type('#push-branch', '-2');
    assert.equal(await popup.$eval('#push-review-panel', (panel) => panel.hidden), true);
    assert.equal(await popup.$eval('#push', (button) => button.disabled), false);
    await closeBoth(opened);
  });

  test('a second push updates the pull request (still one), and a failing check is named with a link to it', async () => {
    // Someone else pushed to the branch meanwhile: the review shows their file going.
    gh.commit(REPOSITORY, { 'NOTES.md': 'someone else\n' }, { branch: 'liftoff' });
    gh.setChecks('*', (reads) => (reads < 2 ? check('in_progress') : check('completed', 'failure')));
    const opened = await openPortfolio();
    const { popup } = opened;
    const review = await reviewInPopup(popup);
    assert.ok(review.ok, review.status);
    assert.deepEqual(review.rows.map((row) => `${row.action} ${row.path} ${row.amount}`), ['deleted NOTES.md +0 −1']);

    const result = await pushFromPopup(popup);
    assert.ok(result.ok, result.status);
    assert.deepEqual(result.pr, { text: 'Pull request #1 updated', href: `https://github.com/${REPOSITORY}/pull/1` });
    assert.equal(gh.pullsOf(REPOSITORY).length, 1, 'updated, not duplicated');
    const second = gh.head(REPOSITORY, 'liftoff');
    assert.notEqual(second, firstCommit);

    const failed = await waitForChecks(popup, ['failed', 'passed', 'unknown', 'none']);
    assert.deepEqual(failed, {
      state: 'failed',
      text: 'Check failed: build',
      link: { text: 'build', href: `https://github.com/${REPOSITORY}/runs/1` },
    });
    await shot(popup, 'popup-checks-failed.png');
    await closeBoth(opened);

    // History: each push with its verdict.
    const again = await openPortfolio();
    await again.popup.click('#open-history');
    await again.popup.waitForFunction(() => document.getElementById('history-view').dataset.state === 'listed');
    const pushes = await again.popup.$$eval('#history-list .entry[data-kind="push"]', (items) =>
      items.map((li) => li.querySelector('.pill.checks')?.dataset.checks ?? null),
    );
    assert.deepEqual(pushes, ['failed', 'passed']);
    await shot(again.popup, 'history-checks.png');
    await closeBoth(again);
  });

  test('closing the popup stops following the checks', async () => {
    gh.commit(REPOSITORY, { 'NOTES.md': 'again\n' }, { branch: 'liftoff' });
    gh.setChecks('*', () => check('queued')); // queued for ever
    const opened = await openPortfolio();
    const result = await pushFromPopup(opened.popup); // no review: exported again
    assert.ok(result.ok, result.status);
    await waitForChecks(opened.popup, ['queued']);
    const reads = () => gh.log.filter((r) => r.kind === 'checks').length;
    await closeBoth(opened);
    await new Promise((resolve) => {
      setTimeout(resolve, 1_000);
    });
    const atClose = reads();
    await new Promise((resolve) => {
      setTimeout(resolve, 8_000); // more than two rounds of the core's polling
    });
    assert.equal(reads(), atClose, 'the checks were still read after the popup closed');
    gh.setChecks('*', []);
  });

  test("a pull request from the default branch is refused before anything is pushed, in the popup's words", async () => {
    const opened = await openPortfolio();
    const result = await pushFromPopup(opened.popup, { branch: 'trunk' });
    assert.equal(result.ok, false);
    assert.equal(
      result.status,
      `“trunk” is the default branch of ${REPOSITORY}: a pull request goes from another branch into it. Name another branch, such as “liftoff”. Nothing was pushed.`,
    );
    assert.equal(gh.head(REPOSITORY, 'trunk'), trunk);
    await closeBoth(opened);
  });

  test('the token never reached storage.local or a console; the worker logged only the refused push', async () => {
    assert.ok(!JSON.stringify(await storage()).includes(TOKEN));
    assert.ok(!consoleTexts.some((text) => text.includes(TOKEN)), 'a token was logged');
    assert.deepEqual(workerProblems.filter((text) => !/^Liftoff push failed: pr-needs-branch /.test(text)), []);
  });
});
