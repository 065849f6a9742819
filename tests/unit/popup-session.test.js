// background/ports/popup-session.js: how the popup's requests are dispatched, over a fake port.
// The runs that need the core are the e2e suite's; here: what is ignored, the name checks, and
// the answers that come before any core work, worded from the core's catalog (fakes/wasm.js).
import assert from 'node:assert/strict';
import { beforeEach, mock, test } from 'node:test';
import { destinationOf } from '../../extension/background/core/catalog.js';
import { attachPopup } from '../../extension/background/ports/popup-session.js';
import { saveToken } from '../../extension/background/store/tokens.js';
import { GITHUB_NO_TOKEN, SUPABASE_NO_TOKEN, noDeployToken, notReachable } from '../../extension/background/wording/messages.js';
import { POPUP_PORT } from '../../extension/protocol.js';
import { fakePortPair } from './fakes/chrome.js';
import { settle, waitFor } from './fakes/wait.js';
import { calls, catalog } from './fakes/wasm.js';

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
  assert.deepEqual(answers, [{ type: 'none', message: notReachable(catalog().builders), offerDrop: true }]);
  assert.deepEqual(chrome.tabs.connected, [{ tabId: 3, name: 'liftoff:capture' }]);
});

/** The tab's content script answers every request with message. */
const tabAnswers = (message) =>
  chrome.tabs.contentScripts.set(3, (port) => port.onMessage.addListener(() => port.postMessage(message)));

test("inspect on a fetched builder's page: no project open, or signed out, in the catalog's words", async () => {
  tabAnswers({ type: 'session', builder: 'base44', projectId: null, title: null, signedIn: true });
  popup.postMessage({ type: 'inspect', tabId: 3 });
  await waitFor(() => answers.length === 1);
  tabAnswers({ type: 'session', builder: 'lovable', projectId: 'p1', title: 'Garden', signedIn: false });
  popup.postMessage({ type: 'inspect', tabId: 3 });
  await waitFor(() => answers.length === 2);
  assert.deepEqual(answers, [
    { type: 'none', message: 'Open a Base44 app (app.base44.com/apps/…) in this tab and try again.', offerDrop: false },
    { type: 'none', message: 'Sign in to Lovable in this tab, then try again.', offerDrop: false },
  ]);
});

test("inspect tells the forms whether each token is set, never a token, and what the catalog names", async () => {
  await saveToken('github', TOKEN, false);
  await saveToken('netlify', TOKEN, false);
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
  assert.equal(project.builderName, 'Lovable');
  assert.equal(project.key, 'lovable:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
  const { message, forges, ...github } = project.github;
  assert.deepEqual(github, { tokenSet: true, forge: 'github', repository: 'octo/app', branch: '', pr: false, aws: null });
  // Every forge the extension reaches, each with its own token state.
  assert.deepEqual(forges, [
    { id: 'github', name: 'GitHub', forge: 'github', host: 'github.com', word: 'repository', tokenSet: true },
    { id: 'gitlab', name: 'GitLab', forge: 'gitlab', host: 'gitlab.com', word: 'project', tokenSet: false },
    { id: 'gitea', name: 'Gitea', forge: 'gitea', host: 'gitea.com', word: 'repository', tokenSet: false },
  ]);
  assert.match(message, /^Export from lovable \(fake\), \d+$/, "the core's default commit message");
  // One entry per hosting destination of the catalog, in its order, with the core's suggestion.
  assert.deepEqual(project.deploy, [
    { id: 'vercel', name: 'Vercel', word: 'project', tokenSet: false, suggestion: 'garden' },
    { id: 'netlify', name: 'Netlify', word: 'site', tokenSet: true, suggestion: 'garden' },
  ]);
  assert.deepEqual(project.database, { tokenSet: false, ref: '' });
  assert.ok(!JSON.stringify(answers).includes(TOKEN));
});

test('a project last pushed to a self-managed GitLab: the form starts there, with that host’s token state', async () => {
  const ORIGIN = 'https://git.example.com';
  await chrome.permissions.request({ origins: [`${ORIGIN}/*`] });
  await chrome.storage.local.set({
    forgeHosts: { gitlab: [ORIGIN] },
    githubRepositories: { 'lovable:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d': { repository: 'acme/web/app', forge: `gitlab@${ORIGIN}`, at: 1 } },
  });
  await saveToken(`gitlab@${ORIGIN}`, TOKEN, false);
  chrome.tabs.contentScripts.set(3, (port) =>
    port.onMessage.addListener(() =>
      port.postMessage({ type: 'session', builder: 'lovable', projectId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', title: 'Garden', signedIn: true }),
    ),
  );
  popup.postMessage({ type: 'inspect', tabId: 3 });
  await waitFor(() => answers.length === 1);
  const { github } = answers[0];
  assert.equal(github.forge, `gitlab@${ORIGIN}`);
  assert.equal(github.repository, 'acme/web/app');
  assert.equal(github.tokenSet, true);
  assert.deepEqual(github.forges.at(-1), { id: `gitlab@${ORIGIN}`, name: 'GitLab (git.example.com)', forge: 'gitlab', host: 'git.example.com', word: 'project', tokenSet: true });
  // Access to the host taken back in Chrome: it is not offered, and the form starts at GitHub.
  chrome.permissions.granted.clear();
  answers.length = 0;
  popup.postMessage({ type: 'inspect', tabId: 3 });
  await waitFor(() => answers.length === 1);
  assert.equal(answers[0].github.forge, 'github');
  assert.equal(answers[0].github.repository, '', 'the GitLab path is not offered for GitHub');
  assert.ok(!answers[0].github.forges.some((f) => f.host === 'git.example.com'));
  assert.ok(!JSON.stringify(answers).includes(TOKEN));
});

test('a push to a forge without its token fails before any work, naming that forge', async () => {
  popup.postMessage({ type: 'push', tabId: 3, forge: 'gitlab', repository: 'acme/app' });
  await waitFor(() => answers.length === 1);
  assert.deepEqual(answers, [{ type: 'error', message: 'Liftoff needs a GitLab token to push. Set one in Settings, then push again.' }]);
  answers.length = 0;
  popup.postMessage({ type: 'push', tabId: 3, forge: 'gitlab@https://never-added.example.com', repository: 'acme/app' });
  await waitFor(() => answers.length === 1);
  assert.match(answers[0].message, /cannot reach that forge/);
});

test('a review without the GitHub token fails before any work, as a push does', async () => {
  popup.postMessage({ type: 'review', tabId: 3, repository: 'octo/app', pr: true, branch: 'liftoff' });
  await waitFor(() => answers.length === 1);
  assert.deepEqual(answers, [{ type: 'error', message: GITHUB_NO_TOKEN }]);
  assert.deepEqual(chrome.tabs.connected, [], 'the tab was never asked');
});

test('a diff of a review the worker no longer holds says it is gone; a request without a review id is ignored', async () => {
  popup.postMessage({ type: 'review-diff', review: 987654, path: 'src/App.tsx' });
  popup.postMessage({ type: 'review-diff', review: '1', path: 'x' });
  popup.postMessage({ type: 'review-diff', path: 'x' });
  await waitFor(() => answers.length === 1);
  await settle();
  assert.deepEqual(answers, [{ type: 'review-diff', review: 987654, path: 'src/App.tsx', text: null, cut: false, gone: true }]);
});

test('a push, a deploy or a database push without its token fails before any work', async () => {
  popup.postMessage({ type: 'push', tabId: 3, repository: 'octo/app' });
  popup.postMessage({ type: 'deploy', tabId: 3, provider: 'netlify', project: 'site' });
  popup.postMessage({ type: 'database', tabId: 3, ref: 'abcdefghij0123456789' });
  await waitFor(() => answers.length === 3);
  assert.deepEqual(new Set(answers.map(JSON.stringify)), new Set([
    JSON.stringify({ type: 'error', message: GITHUB_NO_TOKEN }),
    JSON.stringify({ type: 'error', message: noDeployToken(await destinationOf('netlify')), settings: true }),
    JSON.stringify({ type: 'error', message: SUPABASE_NO_TOKEN, settings: true, detail: null }),
  ]));
  assert.deepEqual(chrome.tabs.connected, [], 'the tab was never asked');
});

test("a push, a deploy or a database push to a name the core refuses fails before any work, in the core's words", async () => {
  for (const service of ['github', 'vercel', 'supabase']) await saveToken(service, TOKEN, false);
  popup.postMessage({ type: 'push', tabId: 3, repository: 'Octo/App' });
  popup.postMessage({ type: 'deploy', tabId: 3, provider: 'vercel', project: 'My App' });
  popup.postMessage({ type: 'database', tabId: 3, ref: 'My Project' });
  await waitFor(() => answers.length === 3);
  assert.deepEqual(new Set(answers.map(JSON.stringify)), new Set([
    JSON.stringify({ type: 'error', message: '“Octo/App” cannot be a github name (the fake\'s rule).' }),
    JSON.stringify({ type: 'error', message: '“My App” cannot be a vercel name (the fake\'s rule).', settings: false }),
    JSON.stringify({ type: 'error', message: '“My Project” cannot be a supabase name (the fake\'s rule).', settings: false, detail: null }),
  ]));
  assert.deepEqual(chrome.tabs.connected, [], 'the tab was never asked');
});

test('check-name: the core says whether the destination accepts the name, matched by id', async () => {
  calls.names.length = 0;
  popup.postMessage({ type: 'check-name', id: 1, destination: 'vercel', name: ' My App ' });
  popup.postMessage({ type: 'check-name', id: 2, destination: 'netlify', name: 'my-site' });
  popup.postMessage({ type: 'check-name', id: 'x', destination: 'netlify', name: 'my-site' });
  popup.postMessage({ type: 'check-name', id: 3, destination: { not: 'text' }, name: 7 });
  await waitFor(() => answers.length === 3);
  await settle();
  assert.deepEqual(answers, [
    { type: 'name-checked', id: 1, problem: '“My App” cannot be a vercel name (the fake\'s rule).' },
    { type: 'name-checked', id: 2, problem: null },
    { type: 'name-checked', id: 3, problem: '“” cannot be a  name (the fake\'s rule).' },
  ]);
  assert.deepEqual(calls.names, [['vercel', 'My App'], ['netlify', 'my-site'], ['', '']]);
});

test('a deploy to a provider that is not a hosting destination of the catalog, or a rollback without a deployment, is ignored', async () => {
  for (const provider of ['heroku', 'github', 'supabase', 'postgres']) popup.postMessage({ type: 'deploy', tabId: 3, provider, project: 'p' });
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
  assert.deepEqual(answers[0].names, { github: 'GitHub', vercel: 'Vercel', netlify: 'Netlify', supabase: 'Supabase', gitlab: 'GitLab', gitea: 'Gitea' });
  await settle();
  assert.equal(answers.length, 1, 'no listing without a token');
});

test('answers stop quietly once the popup is gone', async () => {
  popup.postMessage({ type: 'push', tabId: 3, repository: 'octo/app' });
  popup.disconnect();
  await settle();
  assert.deepEqual(answers, []);
});
