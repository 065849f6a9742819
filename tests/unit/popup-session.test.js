// background/ports/popup-session.js: how the popup's requests are dispatched, over a fake port.
// The runs that need the core are the e2e suite's; here: what is ignored, and the answers that
// come before any core work.
import assert from 'node:assert/strict';
import { beforeEach, mock, test } from 'node:test';
import { attachPopup } from '../../extension/background/ports/popup-session.js';
import { saveToken } from '../../extension/background/store/tokens.js';
import { GITHUB_NO_TOKEN, NOT_REACHABLE, SUPABASE_NO_TOKEN, noDeployToken } from '../../extension/background/wording/messages.js';
import { POPUP_PORT } from '../../extension/protocol.js';
import { fakePortPair } from './fakes/chrome.js';
import { settle, waitFor } from './fakes/wait.js';

const TOKEN = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
let popup;
let answers;

beforeEach(() => {
  chrome.reset();
  mock.method(console, 'warn', () => {});
  const [page, worker] = fakePortPair(POPUP_PORT);
  attachPopup(worker);
  popup = page;
  answers = [];
  popup.onMessage.addListener((message) => answers.push(message));
});

test('an unknown request type is ignored, even with a tab', async () => {
  for (const type of ['frobnicate', 'toString', '__proto__', undefined]) popup.postMessage({ type, tabId: 3 });
  popup.postMessage('inspect');
  popup.postMessage(null);
  await settle();
  assert.deepEqual(answers, []);
  assert.deepEqual(chrome.tabs.connected, []);
});

test('a run on the tab without an integer tabId is ignored', async () => {
  for (const tabId of [undefined, '3', 3.5, null]) {
    for (const type of ['inspect', 'export', 'push', 'deploy', 'database']) popup.postMessage({ type, tabId, provider: 'vercel', project: 'p' });
  }
  await settle();
  assert.deepEqual(answers, []);
  assert.deepEqual(chrome.tabs.connected, []);
});

test('inspect asks the tab; a tab without Liftoff offers the drop page', async () => {
  popup.postMessage({ type: 'inspect', tabId: 3 });
  await waitFor(() => answers.length === 1);
  assert.deepEqual(answers, [{ type: 'none', message: NOT_REACHABLE, offerDrop: true }]);
  assert.deepEqual(chrome.tabs.connected, [{ tabId: 3, name: 'liftoff:capture' }]);
});

test("inspect tells the forms whether each token is set, never a token", async () => {
  await saveToken('github', TOKEN, false);
  await chrome.storage.local.set({ githubRepositories: { 'lovable:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d': { repository: 'octo/app', at: 1 } } });
  chrome.tabs.contentScripts.set(3, (port) =>
    port.onMessage.addListener(() =>
      port.postMessage({ type: 'session', builder: 'lovable', projectId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', title: 'Garden', signedIn: true }),
    ),
  );
  popup.postMessage({ type: 'inspect', tabId: 3 });
  await waitFor(() => answers.length === 1);
  const [project] = answers;
  assert.equal(project.type, 'project');
  assert.equal(project.key, 'lovable:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
  assert.deepEqual(project.github, { tokenSet: true, repository: 'octo/app', branch: '' });
  assert.deepEqual(project.deploy, { vercel: { tokenSet: false }, netlify: { tokenSet: false } });
  assert.deepEqual(project.database, { tokenSet: false, ref: '' });
  assert.ok(!JSON.stringify(answers).includes(TOKEN));
});

test('a push, a deploy or a database push without its token fails before any work', async () => {
  popup.postMessage({ type: 'push', tabId: 3, repository: 'octo/app' });
  popup.postMessage({ type: 'deploy', tabId: 3, provider: 'netlify', project: 'site' });
  popup.postMessage({ type: 'database', tabId: 3, ref: 'abcdefghij0123456789' });
  await waitFor(() => answers.length === 3);
  assert.deepEqual(new Set(answers.map(JSON.stringify)), new Set([
    JSON.stringify({ type: 'error', message: GITHUB_NO_TOKEN }),
    JSON.stringify({ type: 'error', message: noDeployToken('netlify'), settings: true }),
    JSON.stringify({ type: 'error', message: SUPABASE_NO_TOKEN, settings: true, detail: null }),
  ]));
  assert.deepEqual(chrome.tabs.connected, [], 'the tab was never asked');
});

test('a deploy to an unknown provider, or a rollback without a deployment, is ignored', async () => {
  popup.postMessage({ type: 'deploy', tabId: 3, provider: 'heroku', project: 'p' });
  popup.postMessage({ type: 'rollback', provider: 'vercel', project: 'p' });
  popup.postMessage({ type: 'rollback', provider: 'vercel', deployment: 'dpl_1' });
  await settle();
  assert.deepEqual(answers, []);
});

test('history lists what was recorded, and the deployed projects with their token state', async () => {
  await chrome.storage.local.set({
    liftoffHistory: [
      { kind: 'deploy', time: 2, target: 'vercel', project: 'app', link: 'https://app.vercel.app/', id: 'd1', state: 'READY' },
      { kind: 'export', time: 1, target: 'download', project: 'app', file: 'app.zip' },
    ],
  });
  popup.postMessage({ type: 'history' });
  await waitFor(() => answers.length === 1);
  assert.equal(answers[0].type, 'history');
  assert.equal(answers[0].entries.length, 2);
  assert.deepEqual(answers[0].projects, [{ provider: 'vercel', project: 'app', tokenSet: false }]);
  await settle();
  assert.equal(answers.length, 1, 'no listing without a token');
});

test('answers stop quietly once the popup is gone', async () => {
  popup.postMessage({ type: 'push', tabId: 3, repository: 'octo/app' });
  popup.disconnect();
  await settle();
  assert.deepEqual(answers, []);
});
