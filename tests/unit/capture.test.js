// background/sources/capture.js asking a tab's content script: the real Lovable and Base44
// scripts (content/session-page.js + content/lovable.js or base44.js, run in a sandbox that plays
// the page), and a Bolt page that streams its history in pieces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, test } from 'node:test';
import vm from 'node:vm';
import { askPage } from '../../extension/background/sources/capture.js';
import { CAPTURE_PORT } from '../../extension/protocol.js';
import { fakeEvent } from './fakes/chrome.js';

const TAB = 7;
const script = (name) => readFileSync(new URL(`../../extension/content/${name}`, import.meta.url), 'utf8');

/** Runs the content scripts in a page with this address, title and localStorage; serves TAB. */
function loadPage(files, { url, title = '', storage = {} }) {
  const onConnect = fakeEvent();
  const keys = Object.keys(storage);
  const page = {
    chrome: { runtime: { onConnect } },
    location: new URL(url),
    localStorage: { length: keys.length, key: (i) => keys[i] ?? null, getItem: (key) => storage[key] ?? null },
    document: { title, querySelector: () => null },
    URLSearchParams,
    atob,
    // No Firebase database in these pages: the session is the Supabase-style key's.
    indexedDB: { databases: async () => [] },
  };
  vm.createContext(page);
  for (const file of files) vm.runInContext(script(file), page, { filename: file });
  chrome.tabs.contentScripts.set(TAB, (port) => onConnect.dispatch(port));
}

beforeEach(() => chrome.reset());

describe('Lovable and Base44 pages', () => {
  const PROJECT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const session = JSON.stringify({ access_token: 'lovable-session-token-123' });
  const lovable = (url, storage = { 'sb-abc-auth-token': session }) =>
    loadPage(['session-page.js', 'lovable.js'], { url, title: 'Task Garden - Lovable', storage });

  test('inspect: the project, its name and whether a session exists, never the token', async () => {
    lovable(`https://lovable.dev/projects/${PROJECT}`);
    const answer = await askPage(TAB, 'inspect');
    assert.deepEqual(answer, { reachable: true, builder: 'lovable', projectId: PROJECT, title: 'Task Garden', signedIn: true });
    assert.deepEqual(chrome.tabs.connected, [{ tabId: TAB, name: CAPTURE_PORT }]);
  });

  test('export: the token comes with the answer', async () => {
    lovable(`https://lovable.dev/projects/${PROJECT}/settings`);
    assert.equal((await askPage(TAB, 'export')).token, 'lovable-session-token-123');
  });

  test('signed out, or no project open: no token', async () => {
    lovable('https://lovable.dev/dashboard', {});
    assert.deepEqual(await askPage(TAB, 'export'), { reachable: true, builder: 'lovable', projectId: null, title: 'Task Garden', signedIn: false });
  });

  test('Base44: the app id from the address, the token from localStorage', async () => {
    loadPage(['session-page.js', 'base44.js'], {
      url: 'https://app.base44.com/apps/0123456789abcdef01234567/editor/preview',
      title: 'Base44 | Shop',
      storage: { base44_access_token: '"base44-token-abcdef"' },
    });
    assert.deepEqual(await askPage(TAB, 'export'), {
      reachable: true,
      builder: 'base44',
      projectId: '0123456789abcdef01234567',
      title: 'Shop',
      signedIn: true,
      token: 'base44-token-abcdef',
    });
  });
});

describe('what the worker keeps of an answer', () => {
  /** A page that answers each request with messages. */
  const answering = (...messages) =>
    chrome.tabs.contentScripts.set(TAB, (port) =>
      port.onMessage.addListener((request) => {
        if (request.type === CAPTURE_PORT) for (const message of messages) port.postMessage(message);
      }),
    );

  test('no content script in the tab: not reachable', async () => {
    assert.deepEqual(await askPage(TAB, 'inspect'), { reachable: false });
  });

  const nothingElse = { zip: null, page: { title: null, projectPage: false, projectId: null }, download: null, stored: null };

  test('a Bolt history in pieces is put back together and its length checked', async () => {
    answering({ type: 'begin', format: 'history', present: true, chatHint: 'my-chat', length: 12 }, { type: 'chunk', text: '{"chats":' }, { type: 'chunk', text: '[]}' }, { type: 'end' });
    assert.deepEqual(await askPage(TAB, 'export'), { reachable: true, builder: 'bolt', dumpJson: '{"chats":[]}', chatHint: 'my-chat', ...nothingElse });
    answering({ type: 'begin', present: true, length: 99 }, { type: 'chunk', text: '{}' }, { type: 'end' });
    await assert.rejects(askPage(TAB, 'export'), /arrived incomplete/);
    answering({ type: 'begin', present: false, chatHint: null, length: 0 }, { type: 'end' });
    assert.deepEqual(await askPage(TAB, 'inspect'), { reachable: true, builder: 'bolt', dumpJson: null, chatHint: undefined, ...nothingElse });
  });

  test("Bolt's own download arrives as whole base64 pieces and comes out byte for byte", async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff);
    const pieces = [bytes.subarray(0, 600), bytes.subarray(600)].map((part) => Buffer.from(part).toString('base64'));
    const page = { title: 'Portfolio Site', projectPage: true, projectId: 'sb1-abc', extra: 'dropped' };
    const download = { name: 'project-bolt-sb1-abc.zip', size: 1000, at: 1_764_000_000_000 };
    const length = pieces[0].length + pieces[1].length;
    answering({ type: 'begin', format: 'zip', present: true, length, page, download }, ...pieces.map((text) => ({ type: 'chunk', text })), { type: 'end' });
    const answer = await askPage(TAB, 'export');
    assert.deepEqual(answer.zip, bytes);
    assert.equal(answer.dumpJson, null);
    assert.deepEqual(answer.page, { title: 'Portfolio Site', projectPage: true, projectId: 'sb1-abc' });
    assert.deepEqual(answer.download, download);
    // Hostile pieces are an error, never a half-read zip.
    answering({ type: 'begin', format: 'zip', present: true, length: 5 }, { type: 'chunk', text: '@@@@!' }, { type: 'end' });
    await assert.rejects(askPage(TAB, 'export'), /cannot read/);
  });

  test('the stored chats a home page offers: counts and dates checked', async () => {
    const stored = { chats: 3, latest: { description: '  Todo app  ', timestamp: '2026-11-30T10:00:00.000Z' } };
    answering({ type: 'begin', format: 'history', present: true, length: 2, stored }, { type: 'chunk', text: '{}' }, { type: 'end' });
    assert.deepEqual((await askPage(TAB, 'inspect')).stored, { chats: 3, latest: { description: 'Todo app', timestamp: Date.parse('2026-11-30T10:00:00.000Z') } });
    answering({ type: 'begin', format: 'history', present: true, length: 2, stored: { chats: '3', latest: {} } }, { type: 'chunk', text: '{}' }, { type: 'end' });
    assert.equal((await askPage(TAB, 'inspect')).stored, null);
  });

  test("Bolt's menu that could not be used keeps its code, for the sentence that says what to click", async () => {
    answering({ type: 'error', code: 'bolt-menu', message: 'Open Export, choose Download: Liftoff picks the zip up.' });
    await assert.rejects(askPage(TAB, 'export'), { name: 'UserError', code: 'bolt-menu' });
    answering({ type: 'error', code: 'anything-else', message: 'x' });
    await assert.rejects(askPage(TAB, 'export'), (error) => error.code === undefined);
  });

  test('a page that closes in the middle of a history is an error', async () => {
    chrome.tabs.contentScripts.set(TAB, (port) =>
      port.onMessage.addListener(() => {
        port.postMessage({ type: 'begin', present: true, length: 10 });
        port.disconnect();
      }),
    );
    await assert.rejects(askPage(TAB, 'export'), /closed or navigated away/);
  });

  test('a session answer keeps the expected fields, with their types', async () => {
    answering({ type: 'session', builder: 'lovable', projectId: 42, title: '', signedIn: 'yes', token: '', extra: 'dropped' });
    assert.deepEqual(await askPage(TAB, 'export'), { reachable: true, builder: 'lovable', projectId: null, title: null, signedIn: false });
  });

  test("a session answer is taken only from a builder the core's catalog lists as fetched", async () => {
    answering({ type: 'session', builder: 'base44', projectId: 'p', signedIn: true });
    assert.equal((await askPage(TAB, 'inspect')).builder, 'base44');
    for (const builder of ['wix', 'bolt', '__proto__', 42]) {
      answering({ type: 'session', builder, projectId: 'p', signedIn: true, token: 't' });
      assert.deepEqual(await askPage(TAB, 'export'), { reachable: false }, String(builder));
    }
  });

  test("the page's error is the user's sentence", async () => {
    answering({ type: 'error', message: 'Could not read the Lovable session (SecurityError).' });
    await assert.rejects(askPage(TAB, 'export'), { name: 'UserError', message: 'Could not read the Lovable session (SecurityError).' });
  });
});
