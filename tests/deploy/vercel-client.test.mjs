// The official JavaScript client, @vercel/client 18.4.2 (pinned in package.json), deploys
// tests/fixtures/deploy-app to the local Vercel (tests/servers/vercel.mjs) over plain HTTP
// through its `apiUrl` option. If the client needs something the stand-in lacks, the stand-in is
// wrong: it must answer what Vercel answers.
//
// What @vercel/client exercises (read in its dist/): SHA-1 of every file; POST /v13/deployments
// with {name, target, projectSettings, version: 2, files: [{file, sha, size, mode}]}; the 400
// {error: {code: 'missing_files', missing}} answer; POST /v2/files per missing content
// (x-now-digest, x-now-size, Content-Length; up to 50 at once); the second POST; then GET /v13/deployments/{id} every second until readyState READY
// ('ready' event) and a truthy aliasAssigned ('alias-assigned' event, where it stops), or
// readyState ERROR with errorCode BUILD_FAILED ('error' event carrying the deployment).
// teamId, when given, goes on every one of those calls. (Its upload retry only recognizes
// errors whose message names ETIMEDOUT, ECONNRESET, socket hang up, …: Node's fetch reports a
// dropped connection as "fetch failed" / "other side closed", and a 5xx is not retried either,
// so no failure is injected here; servers.test.mjs checks the injections themselves.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createDeployment } from '@vercel/client';

import { startVercel } from '../servers/vercel.mjs';

const FIXTURE = fileURLToPath(new URL('../fixtures/deploy-app', import.meta.url));
const NAME = 'deploy-app';
const SETTINGS = { framework: null, buildCommand: 'npm run build', installCommand: null, outputDirectory: 'dist' };

let vc;
let dir;
const ids = {};

before(async () => {
  vc = await startVercel({});
  dir = join(mkdtempSync(join(tmpdir(), 'liftoff-vercel-client-')), NAME);
  cpSync(FIXTURE, dir, { recursive: true });
});

after(async () => {
  await vc?.close();
  if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
});

/** Runs createDeployment to its end; resolves {types, events, last}. */
async function deploy({ teamId } = {}) {
  const events = [];
  const client = { token: vc.api.token, path: dir, apiUrl: vc.origin, ...(teamId ? { teamId } : {}) };
  for await (const event of createDeployment(client, { name: NAME, target: 'production', projectSettings: SETTINGS })) {
    events.push(event);
  }
  return { types: events.map((e) => e.type), events, last: events.at(-1) };
}

const production = async () => (await fetch(`${vc.origin}/__production/${NAME}/`)).text();

test('a first deploy reaches ready and alias-assigned; production serves the built page', async () => {
  // The variable is set on the project first (as the Rust client does), so the build sees it.
  const headers = { authorization: `Bearer ${vc.api.token}`, 'content-type': 'application/json' };
  assert.equal((await fetch(`${vc.origin}/v10/projects`, { method: 'POST', headers, body: JSON.stringify({ name: NAME, framework: null }) })).status, 200);
  const env = await fetch(`${vc.origin}/v10/projects/${NAME}/env?upsert=true`, {
    method: 'POST',
    headers,
    body: JSON.stringify([{ key: 'VITE_GREETING', value: 'hello from the client test', type: 'encrypted', target: ['production', 'preview'] }]),
  });
  assert.equal(env.status, 201);

  const { types, last } = await deploy();
  for (const type of ['hashes-calculated', 'file-count', 'all-files-uploaded', 'created', 'ready', 'alias-assigned']) {
    assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
  }
  assert.ok(!types.includes('error'), types.join(', '));
  assert.equal(last.type, 'alias-assigned');
  assert.equal(last.payload.readyState, 'READY');
  assert.deepEqual(last.payload.alias, [`${NAME}.vercel.app`]);
  ids.first = last.payload.id;
  assert.equal(vc.api.deployment(ids.first).readyState, 'READY');
  assert.equal(vc.api.production(NAME), ids.first);
  const html = await production();
  assert.match(html, /Hello from the first deploy/);
  assert.match(html, /hello from the client test/);

  const stats = vc.api.stats();
  assert.equal(stats.options, 0, 'no CORS preflight');
  assert.ok(stats.requests.every((e) => e.auth === 'ok'));
  const posts = stats.requests.filter((e) => e.target === 'deployments').map((e) => e.status);
  assert.deepEqual(posts, [400, 200], 'missing_files, then created');
});

test('a second deploy after one change uploads only that file', async () => {
  const before = vc.api.uploads().length;
  const beforeBytes = vc.api.uploadedBytes();
  const message = Buffer.from('The second deploy\n');
  writeFileSync(join(dir, 'src/message.txt'), message);

  const { types, last } = await deploy();
  assert.equal(last.type, 'alias-assigned', types.join(', '));
  const uploads = vc.api.uploads().slice(before);
  assert.deepEqual(uploads.map((u) => u.sha), [createHash('sha1').update(message).digest('hex')]);
  assert.equal(vc.api.uploadedBytes() - beforeBytes, message.length);
  ids.second = last.payload.id;
  assert.notEqual(ids.second, ids.first);
  assert.equal(vc.api.production(NAME), ids.second);
  assert.match(await production(), /The second deploy/);
});

test('a failing build yields an error event with the build message; production stays', async () => {
  writeFileSync(join(dir, 'src/message.txt'), 'FAIL this one\n');
  const { types, last } = await deploy();
  assert.equal(last.type, 'error', types.join(', '));
  assert.ok(!types.includes('ready'));
  assert.equal(last.payload.readyState, 'ERROR');
  assert.equal(last.payload.errorCode, 'BUILD_FAILED');
  assert.match(last.payload.errorMessage, /^Command "npm run build" exited with 1: build failed: src\/message.txt says FAIL$/);
  assert.equal(vc.api.deployment(last.payload.id).readyState, 'ERROR');
  assert.equal(vc.api.production(NAME), ids.second);
  assert.match(await production(), /The second deploy/);
  const listed = vc.api.deployments(NAME).map((d) => [d.id, d.readyState]);
  assert.deepEqual(listed, [[last.payload.id, 'ERROR'], [ids.second, 'READY'], [ids.first, 'READY']]);
});

test('with teamId, every call carries it and the team gets its own project', async () => {
  writeFileSync(join(dir, 'src/message.txt'), 'The team deploy\n');
  vc.api.reset();
  const { types, last } = await deploy({ teamId: 'team_client' });
  assert.equal(last.type, 'alias-assigned', types.join(', '));
  const requests = vc.api.stats().requests;
  assert.ok(requests.length > 0);
  assert.ok(requests.every((e) => e.teamId === 'team_client'), JSON.stringify(requests.filter((e) => e.teamId !== 'team_client')));
  assert.equal(vc.api.production(NAME, { teamId: 'team_client' }), last.payload.id);
  assert.equal(vc.api.production(NAME), ids.second, 'the personal project is untouched');
  const team = await (await fetch(`${vc.origin}/__production/${NAME}/?teamId=team_client`)).text();
  assert.match(team, /The team deploy/);
  assert.match(team, /VITE_GREETING is not set/, "the team's project has no variables");
});
