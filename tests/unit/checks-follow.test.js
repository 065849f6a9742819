// After a push, the commit's checks (background/actions/github-checks.js through
// background/ports/checks-follow.js): each change of the verdict posted to the popup, the state
// word kept on the push's History entry, and everything stopped (the core's session freed, no
// request more) as soon as the popup's port disconnects. The core is the fake ChecksSession of
// fakes/wasm.js; fetch is a stub.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { verdictOf } from '../../extension/background/actions/github-checks.js';
import { checksFollower } from '../../extension/background/ports/checks-follow.js';
import { portPoster } from '../../extension/background/ports/post.js';
import { readHistory, recordHistory } from '../../extension/background/store/history.js';
import { saveToken } from '../../extension/background/store/tokens.js';
import { checksUnread } from '../../extension/background/wording/messages.js';
import { POPUP_PORT } from '../../extension/protocol.js';
import { fakePortPair } from './fakes/chrome.js';
import { settle, waitFor } from './fakes/wait.js';
import { checksScript } from './fakes/wasm.js';

const TOKEN = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
const COMMIT = 'a'.repeat(40);
const PUSHED = { forge: 'github', forgeName: 'GitHub', repository: 'octo/app', commit: COMMIT };
const run = (name, status, conclusion = null) => ({ name, status, conclusion, url: `https://github.com/octo/app/runs/${name}` });
const QUEUED = { state: 'queued', checks: [run('build', 'queued')], failing: null, timed_out: false };
const RUNNING = { state: 'running', checks: [run('build', 'in_progress'), run('lint', 'queued')], failing: null, timed_out: false };
const PASSED = { state: 'passed', checks: [run('build', 'completed', 'success'), run('lint', 'completed', 'success')], failing: null, timed_out: false };
const FAILED = { state: 'failed', checks: [run('build', 'completed', 'failure')], failing: run('build', 'completed', 'failure'), timed_out: false };
const NOTHING_YET = { state: 'none', checks: [], failing: null, timed_out: false };

let popup;
let answers;
let follow;
let fetches;

beforeEach(async () => {
  chrome.reset();
  mock.method(console, 'warn', () => {});
  fetches = 0;
  mock.method(globalThis, 'fetch', async () => {
    fetches++;
    return new Response('{}', { status: 200 });
  });
  checksScript.sessions.length = 0;
  checksScript.every = 5;
  const [page, worker] = fakePortPair(POPUP_PORT);
  follow = checksFollower(worker, portPoster(worker));
  popup = page;
  answers = [];
  popup.onMessage.addListener((message) => answers.push(message));
  await saveToken('github', TOKEN, false);
  await recordHistory({ kind: 'push', target: 'github', project: 'octo/app', link: `https://github.com/octo/app/commit/${COMMIT}`, id: COMMIT, state: 'pushed' });
});
afterEach(() => mock.restoreAll());

const states = () => answers.map((answer) => `${answer.state}${answer.final ? '!' : ''}`);

test('queued, running, passed: each change posted once, the last one final, and History keeps the word', async () => {
  checksScript.rounds = [NOTHING_YET, QUEUED, QUEUED, RUNNING, PASSED];
  follow(PUSHED);
  await waitFor(() => answers.at(-1)?.final === true);
  assert.deepEqual(states(), ['none', 'queued', 'running', 'passed!']);
  assert.deepEqual(answers.at(-1), { type: 'checks', commit: COMMIT, state: 'passed', final: true, total: 2, failing: null, timedOut: false });
  const [session] = checksScript.sessions;
  assert.deepEqual(session.args, { repository: 'octo/app', commit: COMMIT, token: TOKEN, options: { wait: true } });
  assert.equal(session.freed, true);
  await settle();
  const [entry] = await readHistory();
  assert.equal(entry.checks, 'passed');
  assert.ok(!JSON.stringify([...chrome.storage.local.data]).includes(TOKEN));
});

test('a failure names the failing check and links to it', async () => {
  checksScript.rounds = [RUNNING, FAILED];
  follow(PUSHED);
  await waitFor(() => answers.at(-1)?.final === true);
  assert.deepEqual(answers.at(-1).failing, { name: 'build', url: 'https://github.com/octo/app/runs/build' });
  await settle();
  assert.equal((await readHistory())[0].checks, 'failed');
});

test('the popup closing stops the follow-up at once: the session freed, no request more, nothing posted', async () => {
  checksScript.rounds = [QUEUED]; // queued for ever
  follow(PUSHED);
  await waitFor(() => answers.length === 1 && fetches >= 2);
  popup.disconnect();
  const [session] = checksScript.sessions;
  await waitFor(() => session.freed);
  const sent = fetches;
  await new Promise((resolve) => {
    setTimeout(resolve, 60);
  });
  assert.equal(fetches, sent, 'a request went out after the popup closed');
  assert.deepEqual(states(), ['queued']);
  assert.equal(console.warn.mock.callCount(), 0, 'an abort is not a failure');
  // A push answered after the popup closed starts nothing.
  follow(PUSHED);
  await settle();
  assert.equal(checksScript.sessions.length, 1);
});

test("a new push's follow-up replaces the last one", async () => {
  checksScript.rounds = [QUEUED];
  follow(PUSHED);
  await waitFor(() => answers.length === 1);
  follow({ ...PUSHED, commit: 'b'.repeat(40) });
  await waitFor(() => checksScript.sessions[0].freed && answers.some((answer) => answer.commit === 'b'.repeat(40)));
  popup.disconnect();
  await waitFor(() => checksScript.sessions[1].freed);
});

test('"nothing reported yet" is not kept in History; "no checks" once the core stops is', async () => {
  checksScript.rounds = [NOTHING_YET];
  follow(PUSHED);
  await waitFor(() => answers.length === 1);
  await settle();
  assert.equal((await readHistory())[0].checks, undefined);
  popup.disconnect();
  await waitFor(() => checksScript.sessions[0].freed);
});

test('checks that cannot be read: one "unknown" answer with a sentence, logged without the token', async () => {
  await chrome.storage.session.remove('githubToken');
  follow(PUSHED);
  await waitFor(() => answers.length === 1);
  assert.deepEqual(answers, [{ type: 'checks', commit: COMMIT, state: 'unknown', final: true, total: 0, failing: null, timedOut: false, message: checksUnread('no-token') }]);
  assert.equal(console.warn.mock.callCount(), 1);
  assert.equal(checksScript.sessions.length, 0);
});

test("verdictOf keeps the expected fields, an https link only, and refuses a state it does not know", () => {
  assert.deepEqual(verdictOf({ ...FAILED, failing: { name: 'build', url: 'javascript:alert(1)' }, timed_out: true, extra: 1 }, true), {
    state: 'failed',
    final: true,
    total: 1,
    failing: { name: 'build', url: null },
    timedOut: true,
  });
  for (const state of ['success', undefined, 'QUEUED']) assert.equal(verdictOf({ state }, false), null);
  assert.equal(verdictOf(null, true), null);
});
