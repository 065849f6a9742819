// `liftoff push` when things go wrong: server errors, rate limits and dropped connections are
// retried (the branch ends correct), a push that cannot complete leaves the branch untouched,
// and every refusal says what to do without ever printing the token.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_TOKEN, startGitHub } from '../servers/github.mjs';
import { assertSameFiles, buildCli, cloneAndCheck, filesOf, push, workingCopy } from './helpers.mjs';

const TOKEN = DEFAULT_TOKEN;
const READ_ONLY = 'github_pat_readOnlyToken_0123456789';
let bin;
let gh;

before(async () => {
  bin = buildCli();
  gh = await startGitHub({
    tokens: {
      [TOKEN]: { login: 'octo', id: 583231, name: 'Octo Cat', email: 'octo@example.com', push: true },
      [READ_ONLY]: { login: 'octo', id: 583231, name: 'Octo Cat', email: null, push: false },
    },
  });
});

after(async () => {
  await gh?.close();
});

const args = (dir, repo, ...more) => [dir, '--repo', repo, '--api', gh.origin, '--raw', '--json', ...more];

/** Asserts a failed run: exit 1, the message matches, and the token appears nowhere. */
function assertFails(r, pattern, token = TOKEN) {
  assert.equal(r.code, 1, `exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.ok(!r.stderr.includes(token) && !r.stdout.includes(token), 'the token is never printed');
}

test('5xx, 429 and dropped connections on every step are retried; the branch ends correct', async () => {
  const dir = workingCopy();
  gh.createRepo('octo/flaky');
  const before = gh.commit('octo/flaky', { 'README.md': '# flaky\n' });
  gh.inject(
    { kind: 'user', status: 502, headers: { 'retry-after': '0' } },
    { kind: 'repo', drop: true },
    { kind: 'info-refs', status: 429, headers: { 'retry-after': '0' } },
    { kind: 'tree', status: 503, headers: { 'retry-after': '0' } },
    { kind: 'receive-pack', drop: true },
    { kind: 'receive-pack', status: 500, headers: { 'retry-after': '0' } },
  );
  gh.resetStats();
  const r = await push(bin, args(dir, 'octo/flaky'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.requests, 11);
  const clone = await cloneAndCheck(gh, 'octo/flaky', TOKEN);
  assert.deepEqual(clone.log.map((c) => c.sha), [r.json.commit, before]);
  assert.equal(clone.log[0].author, 'Octo Cat <octo@example.com>');
  assertSameFiles(assert, clone.files, filesOf(dir));
});

test('the push arrives but its answer is lost: confirmed from the refs, one commit only', async () => {
  const dir = workingCopy();
  gh.createRepo('octo/lost-answer');
  gh.inject({ kind: 'receive-pack', dropAfter: true });
  const r = await push(bin, args(dir, 'octo/lost-answer'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(gh.head('octo/lost-answer'), r.json.commit);
  const clone = await cloneAndCheck(gh, 'octo/lost-answer', TOKEN);
  assert.equal(clone.log.length, 1);
  assertSameFiles(assert, clone.files, filesOf(dir));
});

test('a receive-pack that keeps failing leaves the branch untouched', async () => {
  const dir = workingCopy();
  gh.createRepo('octo/down');
  const before = gh.commit('octo/down', { 'README.md': '# down\n' });
  gh.inject({ kind: 'receive-pack', status: 500, times: 10, headers: { 'retry-after': '0' } });
  const r = await push(bin, args(dir, 'octo/down'), { token: TOKEN });
  gh.clearInjections();
  assertFails(r, /GitHub answered 500/);
  assert.equal(gh.head('octo/down'), before);
  const clone = await cloneAndCheck(gh, 'octo/down', TOKEN);
  assert.deepEqual([...clone.files.keys()], ['README.md']);
});

test('rate limits: waited out when they reset soon, reported plainly when they do not', async () => {
  const dir = workingCopy();
  gh.createRepo('octo/limited');
  const reset = Math.floor(Date.now() / 1000) + 1; // resets in a second: retried once, then ok
  gh.inject({
    kind: 'user',
    status: 403,
    headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    body: { message: 'API rate limit exceeded for user ID 583231.' },
  });
  let r = await push(bin, args(dir, 'octo/limited'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);

  gh.inject({ kind: 'user', status: 429, times: 10, headers: { 'retry-after': '0' }, body: { message: 'You have exceeded a secondary rate limit.' } });
  writeFileSync(join(dir, 'index.html'), 'changed\n');
  const head = gh.head('octo/limited');
  r = await push(bin, args(dir, 'octo/limited'), { token: TOKEN });
  gh.clearInjections();
  assertFails(r, /GitHub's rate limit is used up: wait a few minutes, then push again/);
  assert.equal(gh.head('octo/limited'), head);
});

test('a bad token: exit 1, a clear message, the token never printed', async () => {
  const dir = workingCopy();
  const bad = 'ghp_thisTokenIsWrong_0123456789abcdef';
  const r = await push(bin, args(dir, 'octo/anything', '--create'), { token: bad });
  assertFails(r, /GitHub refused the token \(401\): it is wrong, expired or revoked/, bad);
  assert.ok(!gh.exists('octo/anything'));
});

test('no token in the environment: exit 1 and where to put it', async () => {
  const r = await push(bin, args(workingCopy(), 'octo/anything'), { token: '' });
  assertFails(r, /set GITHUB_TOKEN to a GitHub token/);
});

test('a token that may not push: 403 explained, nothing changed', async () => {
  const dir = workingCopy();
  gh.createRepo('octo/readonly');
  const before = gh.commit('octo/readonly', { 'README.md': '# mine\n' });
  const r = await push(bin, args(dir, 'octo/readonly'), { token: READ_ONLY });
  assertFails(r, /the token may not push to octo\/readonly \(403\).*Contents permission/, READ_ONLY);
  assert.equal(gh.head('octo/readonly'), before);
});

test('missing repository without --create, name taken, unknown organization', async () => {
  const dir = workingCopy();
  let r = await push(bin, args(dir, 'octo/missing'), { token: TOKEN });
  assertFails(r, /octo\/missing was not found, or the token cannot see it \(404\)/);

  // GitHub hides a repository the token cannot see (404), then refuses its name (422).
  gh.createRepo('octo/hidden');
  gh.inject({ kind: 'repo', status: 404, body: { message: 'Not Found' } });
  r = await push(bin, args(dir, 'octo/hidden', '--create'), { token: TOKEN });
  assertFails(r, /cannot be created \(422: Repository creation failed\. name already exists on this account\): the name is taken/);

  r = await push(bin, args(dir, 'nobody-org/app', '--create'), { token: TOKEN });
  assertFails(r, /may not create repositories under nobody-org \(404\)/);

  r = await push(bin, args(dir, 'not a repo'), { token: TOKEN });
  assertFails(r, /is not a repository name: use OWNER\/NAME/);
});

test('the stand-in answers CORS preflights with 405, as github.com does', async () => {
  for (const path of ['/user', '/octo/flaky.git/info/refs?service=git-receive-pack']) {
    const response = await fetch(`${gh.origin}${path}`, { method: 'OPTIONS' });
    assert.equal(response.status, 405);
  }
});
