// End to end: the extension's route to AWS (issue 18). The extension cannot build, so "Deploy on
// AWS with GitHub Actions" pushes the export to GitHub with a workflow that builds and deploys
// it, signed in to AWS with GitHub's OIDC role; the workflow's run is the commit's checks, which
// the popup follows. Against the local GitHub (git http-backend) as api.github.com/github.com.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { parse } from 'yaml';

import { launch, openBoltChat, screenshotPopup } from './lib/browser.mjs';
import { cloneLocal, pushFromPopup, setTokenInOptions, startBrowserGitHub } from './lib/github.mjs';
import { waitForChecks } from './lib/review.mjs';
import { startBoltServer } from './lib/server.mjs';
import { ARTIFACTS, REPO, SEED_SCRIPT, boltHistories, makeRunDirs, unpackedExtension, watchWorker, listenTo } from './lib/setup.mjs';

const FIXTURE = join(REPO, 'tests/fixtures/bolt');
const TOKEN = 'ghp_E2E-SECRET-liftoff-aws-route-9b1d3f5a7c';
const REPOSITORY = 'octo/aws-site';
const ROLE = 'arn:aws:iam::123456789012:role/liftoff-deploy';
const WORKFLOW = '.github/workflows/liftoff-aws.yml';
const check = (status, conclusion) => [{ name: 'deploy', status, ...(conclusion ? { conclusion } : {}) }];

describe('Deploy on AWS with GitHub Actions, from the popup', { timeout: 180_000 }, () => {
  let tmp;
  let downloadDir;
  let profileDir;
  let bolt;
  let gh;
  let browser;
  let worker;
  let extensionOrigin;
  const consoleTexts = [];
  const workerProblems = [];

  const openPortfolio = () => openBoltChat(browser, worker, 'my-portfolio', listenTo(consoleTexts));

  before(async () => {
    ({ tmp, downloadDir, profileDir } = makeRunDirs('liftoff-e2e-aws-'));
    bolt = await startBoltServer({ tmpDir: tmp, histories: boltHistories(FIXTURE), seedScriptPath: SEED_SCRIPT });
    let github;
    ({ gh, hosts: github } = await startBrowserGitHub(tmp, { [TOKEN]: { login: 'octo', id: 583231, name: 'Octo Cat', email: null, push: true } }));
    ({ browser, worker, extensionOrigin } = await launch({ extensionDir: unpackedExtension(), userDataDir: profileDir, downloadDir, hosts: { 'bolt.new': bolt.port, ...github } }));
    watchWorker(worker, workerProblems, consoleTexts);
    await setTokenInOptions(browser, extensionOrigin, TOKEN);
    gh.createRepo(REPOSITORY, { defaultBranch: 'main' });
    gh.commit(REPOSITORY, { 'README.md': '# site\n' }, { message: 'Initial commit' });
  });

  after(async () => {
    await browser?.close();
    await bolt?.close();
    await gh?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('the choice is GitHub\'s only, and a role that is not an ARN is refused before anything is pushed', async () => {
    const { page, popup } = await openPortfolio();
    await popup.click('#push-open');
    assert.equal(await popup.$eval('#push-aws-choice', (el) => el.hidden), false);
    assert.equal(await popup.$eval('#push-aws-fields', (el) => el.hidden), true);
    await popup.select('#push-forge', 'gitlab');
    assert.equal(await popup.$eval('#push-aws-choice', (el) => el.hidden), true, 'not offered for GitLab');
    await popup.select('#push-forge', 'github');
    await popup.click('#push-aws');
    assert.equal(await popup.$eval('#push-aws-fields', (el) => el.hidden), false);
    await popup.type('#push-aws-bucket', 'founder-site');
    await popup.type('#push-aws-region', 'eu-west-1');
    await popup.type('#push-aws-role', "arn:aws:iam::123:role/x'; rm -rf /");
    const mark = gh.log.length;
    const refused = await pushFromPopup(popup, { repository: REPOSITORY });
    assert.equal(refused.ok, false);
    assert.match(refused.status, /is not an IAM role ARN/);
    assert.ok(gh.log.slice(mark).every((r) => !/receive-pack$/.test(r.path) || r.method === 'GET'), 'nothing pushed');
    await popup.close();
    await page.close();
  });

  test('the export goes with the workflow (OIDC role, id-token: write, the bucket), and its run shows as the commit\'s checks', async () => {
    gh.setChecks('*', (reads) => (reads < 2 ? check('in_progress') : check('completed', 'success')));
    const { page, popup } = await openPortfolio();
    await popup.click('#push-open');
    await popup.click('#push-aws');
    await popup.type('#push-aws-bucket', 'founder-site');
    await popup.type('#push-aws-region', 'eu-west-1');
    await popup.type('#push-aws-role', ROLE);
    await popup.type('#push-aws-distribution', 'E2EXAMPLE1');
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-push-aws-form.png'));
    const result = await pushFromPopup(popup, { repository: REPOSITORY });
    assert.ok(result.ok, `push failed: ${result.status}`);
    assert.equal(result.title, 'Pushed to GitHub');
    assert.match(result.note ?? '', /GitHub Actions deploys it to s3:\/\/founder-site/);
    const verdict = await waitForChecks(popup, ['passed', 'failed']);
    assert.equal(verdict.state, 'passed');
    await screenshotPopup(popup, join(ARTIFACTS, 'popup-push-aws-passed.png'));

    const clone = await cloneLocal(gh, REPOSITORY, TOKEN);
    const workflow = parse(readFileSync(join(clone.dir, WORKFLOW), 'utf8'));
    assert.deepEqual(workflow.permissions, { 'id-token': 'write', contents: 'read' });
    // Pushed to the default branch: the job runs for that branch only.
    assert.equal(workflow.jobs.deploy.if, 'github.ref_name == github.event.repository.default_branch');
    const steps = workflow.jobs.deploy.steps;
    const login = steps.find((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials@'));
    assert.deepEqual(login.with, { 'role-to-assume': ROLE, 'aws-region': 'eu-west-1' });
    const runs = steps.map((s) => s.run ?? '').join('\n');
    assert.match(runs, /s3:\/\/founder-site\/releases\/\$\{GITHUB_SHA\}\//);
    assert.ok(runs.indexOf("--exclude '*.html'") < runs.indexOf("--include '*.html'"), 'assets live before pages');
    assert.match(runs, /create-invalidation --distribution-id E2EXAMPLE1/);
    assert.ok(!/secret|AWS_SECRET_ACCESS_KEY/i.test(readFileSync(join(clone.dir, WORKFLOW), 'utf8')), 'no key in the repository');
    // The install command follows the export's lockfile: npm ci with one, npm install without.
    const install = existsSync(join(clone.dir, 'package-lock.json')) ? 'npm ci' : 'npm install';
    assert.ok(steps.some((s) => s.run === install), install);
    assert.ok(!JSON.stringify(await worker.evaluate(() => chrome.storage.local.get(null))).includes(TOKEN));
    await popup.close();
    await page.close();
  });

  test('the project\'s AWS route is offered again with its repository; a push without it forgets it', async () => {
    let { page, popup } = await openPortfolio();
    await popup.click('#push-open');
    const form = () =>
      popup.evaluate(() => ({
        aws: document.getElementById('push-aws').checked,
        shown: !document.getElementById('push-aws-fields').hidden,
        values: ['bucket', 'region', 'role', 'distribution'].map((f) => document.getElementById(`push-aws-${f}`).value),
        repository: document.getElementById('push-repo').value,
      }));
    assert.deepEqual(await form(), { aws: true, shown: true, values: ['founder-site', 'eu-west-1', ROLE, 'E2EXAMPLE1'], repository: REPOSITORY });
    // Pushed again without the route: the next popup offers none.
    await popup.click('#push-aws');
    const result = await pushFromPopup(popup, { repository: REPOSITORY });
    assert.ok(result.ok, `push failed: ${result.status}`);
    await popup.close();
    await page.close();
    ({ page, popup } = await openPortfolio());
    await popup.click('#push-open');
    assert.deepEqual(await form(), { aws: false, shown: false, values: ['', '', '', ''], repository: REPOSITORY });
    await popup.close();
    await page.close();
  });

  test('the service worker logged no error but the refused push', () => {
    const unexpected = workerProblems.filter((text) => !/^Liftoff push failed: bad-aws-route /.test(text));
    assert.deepEqual(unexpected, []);
    assert.ok(!consoleTexts.some((text) => text.includes(TOKEN)));
  });
});
