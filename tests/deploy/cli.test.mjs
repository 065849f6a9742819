// `liftoff deploy`, `liftoff deployments` and `liftoff rollback` against the local Vercel and
// Netlify (tests/servers/vercel.mjs, netlify.mjs), which really build what they are sent
// (tests/fixtures/deploy-app: `npm ci && npm run build`, about a second) and serve the result.
// Every assertion is on what the stand-ins saw or serve, not on what the CLI says of itself.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { startNetlify, DEFAULT_TOKEN as NETLIFY_TOKEN } from '../servers/netlify.mjs';
import { startVercel, DEFAULT_TOKEN as VERCEL_TOKEN } from '../servers/vercel.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'tests/fixtures/deploy-app');
const work = mkdtempSync(join(tmpdir(), 'liftoff-deploy-cli-'));
let bin;

/** The release CLI (./build.sh builds it; this is a no-op when it is fresh). */
function buildCli() {
  execFileSync('cargo', ['build', '--release', '-q', '-p', 'liftoff-cli'], { cwd: ROOT, stdio: 'inherit' });
  return join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'release', 'liftoff');
}

/** Runs the CLI (asynchronously: the stand-ins answer from this process). */
function liftoff(args, env = {}) {
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, VERCEL_TOKEN: '', NETLIFY_AUTH_TOKEN: '', ...env }, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      const code = error ? (error.code ?? 1) : 0;
      const json = code === 0 && args.includes('--json') ? JSON.parse(stdout) : null;
      resolve({ code, stdout, stderr, json });
    });
  });
}

/** A copy of the fixture with `message` and a .env holding `greeting`. */
function project(name, message, greeting) {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(join(dir, 'src/message.txt'), `${message}\n`);
  writeFileSync(join(dir, '.env'), `VITE_GREETING=${greeting}\n`);
  return dir;
}

async function served(origin, path) {
  const response = await fetch(`${origin}${path}`);
  return { status: response.status, text: await response.text() };
}

function noTokenIn(result, token) {
  assert.ok(!result.stdout.includes(token) && !result.stderr.includes(token), 'the token never shows');
}

before(() => {
  bin = buildCli();
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('liftoff deploy --to vercel', () => {
  let vc;
  const env = { VERCEL_TOKEN };
  const ids = [];
  before(async () => {
    vc = await startVercel();
  });
  after(() => vc.close());
  const args = (...more) => ['--to', 'vercel', '--project', 'deploy-app', '--api', vc.origin, '--json', ...more];

  test('first deploy: project created, variables set before the build, READY, production serves it', async () => {
    const result = await liftoff(['deploy', project('v1', 'first version', 'hello-vercel'), ...args()], env);
    assert.equal(result.code, 0, result.stderr);
    noTokenIn(result, VERCEL_TOKEN);
    const { id, url, state } = result.json;
    assert.deepEqual(Object.keys(result.json).sort(), ['id', 'state', 'url']);
    assert.equal(state, 'READY');
    assert.match(url, /^https:\/\/.+\.vercel\.app$/);
    ids.push(id);
    assert.equal(vc.api.production('deploy-app'), id);
    const vars = vc.api.env('deploy-app');
    assert.deepEqual(vars.map((v) => [v.key, v.value]), [['VITE_GREETING', 'hello-vercel']]);
    const deployment = vc.api.deployment(id);
    assert.ok(vars[0].setAt <= deployment.createdAt, 'the variable was set before the deployment was created');
    const page = await served(vc.origin, '/__production/deploy-app/');
    assert.equal(page.status, 200);
    assert.match(page.text, /first version/);
    assert.match(page.text, /hello-vercel/, 'the build saw the variable');
    assert.equal((await served(vc.origin, `/__production/deploy-app/.env`)).status, 404, '.env is never uploaded');
    const uploads = vc.api.uploads();
    assert.ok(uploads.length > 5, 'the first deploy uploads the tree');
  });

  test('second deploy after a one-file change uploads only that file', async () => {
    const before = vc.api.uploads().length;
    const message = 'second version';
    const result = await liftoff(['deploy', project('v2', message, 'hello-vercel'), ...args()], env);
    assert.equal(result.code, 0, result.stderr);
    ids.push(result.json.id);
    const fresh = vc.api.uploads().slice(before);
    assert.equal(fresh.length, 1, `one upload, got ${JSON.stringify(fresh)}`);
    assert.equal(fresh[0].size, Buffer.byteLength(`${message}\n`));
    assert.match((await served(vc.origin, '/__production/deploy-app/')).text, /second version/);
  });

  test('a failing build reports the build error and leaves production as it was', async () => {
    const live = vc.api.production('deploy-app');
    const result = await liftoff(['deploy', project('v3', 'FAIL please', 'hello-vercel'), ...args()], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /build of deployment \S+ failed \(ERROR\)/);
    assert.match(result.stderr, /src\/message\.txt says FAIL/);
    assert.match(result.stderr, /production still serves the previous deployment/);
    assert.equal(vc.api.production('deploy-app'), live);
    assert.match((await served(vc.origin, '/__production/deploy-app/')).text, /second version/);
  });

  test('deployments lists production deployments newest first with the live one marked', async () => {
    const result = await liftoff(['deployments', ...args()], env);
    assert.equal(result.code, 0, result.stderr);
    const list = result.json;
    assert.ok(list.length >= 3);
    for (const entry of list) assert.deepEqual(Object.keys(entry).sort(), ['created', 'id', 'preview', 'production', 'state', 'url']);
    const created = list.map((e) => e.created);
    assert.deepEqual(created, [...created].sort((a, b) => b - a), 'newest first');
    assert.equal(list[0].state, 'ERROR');
    assert.deepEqual(list.filter((e) => e.production).map((e) => e.id), [ids[1]]);
    const human = await liftoff(['deployments', '--to', 'vercel', '--project', 'deploy-app', '--api', vc.origin], env);
    assert.match(human.stdout, new RegExp(`^\\* ${ids[1]}`, 'm'));
  });

  test('rollback goes to the production deployment before the current one, and --deployment back', async () => {
    const back = await liftoff(['rollback', ...args()], env);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.json.id, ids[0]);
    assert.equal(back.json.state, 'READY');
    assert.equal(vc.api.production('deploy-app'), ids[0]);
    assert.match((await served(vc.origin, '/__production/deploy-app/')).text, /first version/);
    const forth = await liftoff(['rollback', ...args('--deployment', ids[1])], env);
    assert.equal(forth.code, 0, forth.stderr);
    assert.equal(vc.api.production('deploy-app'), ids[1]);
    const moves = vc.api.stats().requests.filter((r) => r.target === 'rollback' || r.target === 'promote');
    assert.deepEqual(moves.slice(-2).map((r) => r.target), ['rollback', 'promote'], 'back is a rollback, forward a promotion');
    assert.match((await served(vc.origin, '/__production/deploy-app/')).text, /second version/);
  });

  test('rate limits and server errors are retried; after a rollback the new deployment is promoted', async () => {
    // A rollback turns Vercel's automatic production assignment off.
    const back = await liftoff(['rollback', ...args()], env);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(vc.api.production('deploy-app'), ids[0]);
    vc.api.reset();
    vc.api.inject(
      { target: 'project', kind: 429, retryAfter: 1 },
      { target: 'deployments', kind: 503 },
      { target: 'status', kind: 502 },
    );
    const result = await liftoff(['deploy', project('v4', 'after retries', 'hello-vercel'), ...args()], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.json.state, 'READY');
    assert.deepEqual(vc.api.pendingFailures(), [], 'every injected failure was met');
    // Vercel would have left production on the rolled-back deployment: the CLI promoted the new
    // deployment itself.
    assert.equal(vc.api.production('deploy-app'), result.json.id);
    assert.ok(vc.api.stats().requests.some((r) => r.target === 'promote' && r.status === 202), 'promoted');
    assert.match((await served(vc.origin, '/__production/deploy-app/')).text, /after retries/);
  });

  test('a lost answer to the deployment: found by its key, never a second deployment', async () => {
    const before = await liftoff(['deployments', ...args()], env);
    assert.equal(before.code, 0, before.stderr);
    vc.api.reset();
    // The same files as before: Vercel has every content, so the first post creates the
    // deployment (and its answer is the one lost).
    vc.api.inject({ target: 'deployments', kind: 'lost' });
    const result = await liftoff(['deploy', project('v4', 'after retries', 'hello-vercel'), ...args()], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.json.state, 'READY');
    const requests = vc.api.stats().requests;
    assert.deepEqual(requests.filter((r) => r.target === 'deployments').map((r) => r.status), ['lost'], 'posted once');
    assert.ok(requests.some((r) => r.target === 'list'), 'looked for it');
    const after = await liftoff(['deployments', ...args()], env);
    assert.equal(after.json.length, before.json.length + 1, 'one new deployment');
    assert.equal(after.json[0].id, result.json.id);
    assert.equal(vc.api.production('deploy-app'), result.json.id);
  });

  test('--preview: a staged build at its own URL, production untouched; promote switches without a rebuild, again changes nothing, a failed one keeps production', async () => {
    const live = vc.api.production('deploy-app');
    const liveText = (await served(vc.origin, '/__production/deploy-app/')).text;
    const count = vc.api.deploymentCount();
    const preview = await liftoff(['deploy', project('vp', 'preview version', 'hello-vercel'), ...args('--preview')], env);
    assert.equal(preview.code, 0, preview.stderr);
    const { id } = preview.json;
    assert.deepEqual(Object.keys(preview.json).sort(), ['id', 'production', 'state', 'url']);
    assert.equal(preview.json.production, false);
    assert.equal(preview.json.state, 'READY');
    assert.equal(preview.json.url, `https://${vc.api.deployment(id).url}`, 'its own URL');
    assert.equal(vc.api.production('deploy-app'), live, 'production untouched');
    assert.equal((await served(vc.origin, '/__production/deploy-app/')).text, liveText);
    assert.match((await served(vc.origin, `/__site/${id}/`)).text, /preview version/, 'the preview serves the new build');
    const staged = vc.api.deployment(id);
    assert.equal(staged.target, 'production', 'built with production settings, so promotable as it is');
    assert.equal(staged.readySubstate, 'STAGED');
    const list = await liftoff(['deployments', ...args()], env);
    const entry = list.json.find((e) => e.id === id);
    assert.deepEqual([entry.preview, entry.production], [true, false]);
    const human = await liftoff(['deployments', '--to', 'vercel', '--project', 'deploy-app', '--api', vc.origin], env);
    assert.match(human.stdout, new RegExp(`^  ${id}\\s+READY\\s+PREVIEW`, 'm'));

    // Vercel moves the domains in the background: the CLI waits until production is the preview.
    vc.api.setAliasDelay(1500);
    const promoted = await liftoff(['promote', ...args('--deployment', id)], env);
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.deepEqual([promoted.json.id, promoted.json.changed], [id, true]);
    assert.equal(vc.api.production('deploy-app'), id, 'production switched before the CLI returned');
    assert.equal(vc.api.deploymentCount(), count + 1, 'no rebuild: no other deployment was created');
    assert.match((await served(vc.origin, '/__production/deploy-app/')).text, /preview version/);
    const promotes = () => vc.api.stats().requests.filter((r) => r.target === 'promote').length;
    const sent = promotes();
    const again = await liftoff(['promote', '--to', 'vercel', '--project', 'deploy-app', '--api', vc.origin, '--deployment', id], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already production of deploy-app: nothing changed/);
    assert.equal(promotes(), sent, 'promoting the live one sends no promotion');

    const next = await liftoff(['deploy', project('vp2', 'second preview', 'hello-vercel'), ...args('--preview')], env);
    assert.equal(next.code, 0, next.stderr);
    vc.api.failNextAlias();
    const failed = await liftoff(['promote', ...args('--deployment', next.json.id)], env);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /promotion of \S+ did not take .*alias job failed.*production still serves/);
    assert.equal(vc.api.production('deploy-app'), id, 'a failed promotion leaves production');
    assert.match((await served(vc.origin, '/__production/deploy-app/')).text, /preview version/);
    vc.api.setAliasDelay(300);
  });

  test('a bad token is a clear error, and the token is never shown', async () => {
    const bad = 'vercel-wrong-token-987';
    const result = await liftoff(['deploy', project('v5', 'x', 'y'), ...args()], { VERCEL_TOKEN: bad });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Vercel refused the token/);
    noTokenIn(result, bad);
    const missing = await liftoff(['deployments', ...args()]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /set VERCEL_TOKEN/);
  });
});

describe('liftoff deploy --to netlify', () => {
  let nf;
  const env = { NETLIFY_AUTH_TOKEN: NETLIFY_TOKEN };
  const ids = [];
  before(async () => {
    nf = await startNetlify();
  });
  after(() => nf.close());
  const args = (...more) => ['--to', 'netlify', '--project', 'deploy-app', '--api', nf.origin, '--json', ...more];

  test('first deploy: site created, variables set before the build, ready, production serves it', async () => {
    const result = await liftoff(['deploy', project('n1', 'netlify one', 'hello-netlify'), ...args()], env);
    assert.equal(result.code, 0, result.stderr);
    noTokenIn(result, NETLIFY_TOKEN);
    assert.equal(result.json.state, 'ready');
    assert.match(result.json.url, /^https:\/\/deploy-app\.netlify\.app/);
    ids.push(result.json.id);
    assert.equal(nf.api.published('deploy-app'), result.json.id);
    const vars = nf.api.env('deploy-app');
    assert.deepEqual(vars.map((v) => [v.key, v.values.map((x) => x.value)]), [['VITE_GREETING', ['hello-netlify']]]);
    const page = await served(nf.origin, '/__production/deploy-app/');
    assert.match(page.text, /netlify one/);
    assert.match(page.text, /hello-netlify/);
  });

  test('second deploy replaces the variable, a failing build keeps production', async () => {
    const second = await liftoff(['deploy', project('n2', 'netlify two', 'hello-again'), ...args()], env);
    assert.equal(second.code, 0, second.stderr);
    ids.push(second.json.id);
    assert.deepEqual(nf.api.env('deploy-app').map((v) => v.values.map((x) => x.value)), [['hello-again']]);
    assert.match((await served(nf.origin, '/__production/deploy-app/')).text, /hello-again/);
    const failed = await liftoff(['deploy', project('n3', 'FAIL', 'x'), ...args()], env);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /Netlify: the build of deployment \S+ failed \(error\)/);
    assert.match(failed.stderr, /src\/message\.txt says FAIL/);
    assert.equal(nf.api.published('deploy-app'), ids[1]);
  });

  test('deployments and rollback both ways', async () => {
    const list = (await liftoff(['deployments', ...args()], env)).json;
    assert.equal(list.length, 3);
    assert.deepEqual(list.filter((e) => e.production).map((e) => e.id), [ids[1]]);
    assert.equal(list[0].state, 'error');
    const back = await liftoff(['rollback', ...args()], env);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.json.id, ids[0]);
    assert.equal(nf.api.published('deploy-app'), ids[0]);
    assert.match((await served(nf.origin, '/__production/deploy-app/')).text, /netlify one/);
    const forth = await liftoff(['rollback', ...args('--deployment', ids[1])], env);
    assert.equal(forth.code, 0, forth.stderr);
    assert.equal(nf.api.published('deploy-app'), ids[1]);
  });

  test('a lost answer to the build: its deploy found by title, never a second deploy', async () => {
    const before = await liftoff(['deployments', ...args()], env);
    assert.equal(before.code, 0, before.stderr);
    nf.api.inject({ target: 'builds', kind: 'lost' });
    const result = await liftoff(['deploy', project('n5', 'lost build answer', 'x'), ...args()], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.json.state, 'ready');
    const after = await liftoff(['deployments', ...args()], env);
    assert.equal(after.json.length, before.json.length + 1, 'one new deploy');
    assert.equal(nf.api.published('deploy-app'), result.json.id);
    assert.match((await served(nf.origin, '/__production/deploy-app/')).text, /lost build answer/);
  });

  test('--preview: a branch deploy at its own URL, production untouched; promote publishes it without a rebuild, again changes nothing, a refused one keeps production', async () => {
    const live = nf.api.published('deploy-app');
    const liveText = (await served(nf.origin, '/__production/deploy-app/')).text;
    const preview = await liftoff(['deploy', project('np', 'netlify preview', 'x'), ...args('--preview')], env);
    assert.equal(preview.code, 0, preview.stderr);
    const { id } = preview.json;
    assert.deepEqual([preview.json.production, preview.json.state], [false, 'ready']);
    assert.equal(preview.json.url, `https://${id}--deploy-app.netlify.app`, 'its own URL');
    assert.equal(nf.api.published('deploy-app'), live, 'production untouched');
    assert.equal((await served(nf.origin, '/__production/deploy-app/')).text, liveText);
    assert.match((await served(nf.origin, `/__site/${id}/`)).text, /netlify preview/);
    const built = nf.api.deploy(id);
    assert.deepEqual([built.branch, built.context], ['liftoff-preview', 'branch-deploy']);
    const list = (await liftoff(['deployments', ...args()], env)).json;
    assert.deepEqual(list.filter((e) => e.preview).map((e) => e.id), [id]);
    const deploys = nf.api.deploys('deploy-app').length;
    const promoted = await liftoff(['promote', ...args('--deployment', id)], env);
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.deepEqual([promoted.json.id, promoted.json.changed], [id, true]);
    assert.equal(nf.api.published('deploy-app'), id);
    assert.equal(nf.api.deploys('deploy-app').length, deploys, 'no rebuild');
    assert.match((await served(nf.origin, '/__production/deploy-app/')).text, /netlify preview/);
    const restores = () => nf.api.stats().requests.filter((r) => r.target === 'restore').length;
    const sent = restores();
    const again = await liftoff(['promote', ...args('--deployment', id)], env);
    assert.deepEqual([again.code, again.json.changed], [0, false]);
    assert.equal(restores(), sent, 'promoting the published one sends nothing');

    // A site whose production branch is liftoff-preview: the preview takes another branch.
    nf.api.setProductionBranch('deploy-app', 'liftoff-preview');
    const other = await liftoff(['deploy', project('np2', 'netlify preview two', 'x'), ...args('--preview')], env);
    assert.equal(other.code, 0, other.stderr);
    assert.equal(nf.api.deploy(other.json.id).branch, 'liftoff-preview-1');
    assert.equal(nf.api.published('deploy-app'), id, 'still untouched');
    nf.api.setProductionBranch('deploy-app', null);
    nf.api.inject({ target: 'restore', kind: 422 });
    const refused = await liftoff(['promote', ...args('--deployment', other.json.id)], env);
    assert.equal(refused.code, 1);
    assert.equal(nf.api.published('deploy-app'), id, 'a refused promotion leaves production');
    const unknown = await liftoff(['promote', ...args('--deployment', 'ffffffffffffffffffffffff')], env);
    assert.equal(unknown.code, 1);
    assert.equal(nf.api.published('deploy-app'), id);
  });

  test('429 and 5xx are retried; a bad token is refused and never shown', async () => {
    nf.api.inject({ target: 'sites', kind: 429, retryAfter: 1 }, { target: 'builds', kind: 500 });
    const result = await liftoff(['deploy', project('n4', 'retried', 'x'), ...args()], env);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(nf.api.pendingFailures(), []);
    const bad = 'netlify-wrong-token-555';
    const refused = await liftoff(['deployments', ...args()], { NETLIFY_AUTH_TOKEN: bad });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Netlify refused the token \(401\)/);
    noTokenIn(refused, bad);
    const team = await liftoff(['deployments', ...args('--team', 'team_x')], env);
    assert.equal(team.code, 1);
    assert.match(team.stderr, /--team is for Vercel/);
  });
});
