// background/store/tokens.js and the options page's port: a token per destination of the core's
// catalog that the extension reaches, where it is kept, what is refused, and that no answer ever
// carries it.
import assert from 'node:assert/strict';
import { beforeEach, describe, mock, test } from 'node:test';
import { attachOptions } from '../../extension/background/ports/options-session.js';
import {
  isService,
  forgetToken,
  readCredentials,
  readToken,
  rememberToken,
  saveToken,
  tokenStatus,
} from '../../extension/background/store/tokens.js';
import { fakePortPair } from './fakes/chrome.js';
import { waitFor } from './fakes/wait.js';

const TOKEN = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
const stored = () => ({ local: Object.fromEntries(chrome.storage.local.data), session: Object.fromEntries(chrome.storage.session.data) });

beforeEach(() => chrome.reset());

describe('token store', () => {
  test('a token goes to storage.session by default, and to storage.local only when remembered', async () => {
    await saveToken('github', TOKEN, false);
    assert.deepEqual(stored(), { local: {}, session: { githubToken: TOKEN } });
    await saveToken('github', TOKEN, true);
    assert.deepEqual(stored(), { local: { githubToken: TOKEN }, session: {} });
    assert.equal(await readToken('github'), TOKEN);
  });

  test('remembering moves the stored token; forgetting removes it from both', async () => {
    await saveToken('netlify', TOKEN, false);
    await rememberToken('netlify', true);
    assert.deepEqual(stored(), { local: { netlifyToken: TOKEN }, session: {} });
    await rememberToken('netlify', false);
    assert.deepEqual(stored(), { local: {}, session: { netlifyToken: TOKEN } });
    await chrome.storage.local.set({ netlifyToken: 'stale-copy-somewhere' });
    await forgetToken('netlify');
    assert.deepEqual(stored(), { local: {}, session: {} });
    assert.equal(await readToken('netlify'), null);
  });

  test('surrounding spaces are dropped; other shapes are refused without quoting the token', async () => {
    await saveToken('supabase', `  ${TOKEN}\n`, false);
    assert.equal(await readToken('supabase'), TOKEN);
    for (const bad of ['short', 'has a space inside it', 'x'.repeat(1025), 42, null, 'tab\tinside-token']) {
      await assert.rejects(saveToken('github', bad, false), (error) => {
        assert.equal(error.name, 'UserError');
        assert.match(error.message, /does not look like a GitHub token/);
        if (typeof bad === 'string') assert.ok(!error.message.includes(bad));
        return true;
      });
    }
    assert.deepEqual(stored().local, {});
  });

  test("Vercel's team id sits beside its token, is checked, and goes with it", async () => {
    await saveToken('vercel', TOKEN, false, { team: ' team_abc ' });
    assert.deepEqual(await readCredentials('vercel'), { token: TOKEN, team: 'team_abc' });
    assert.deepEqual(await tokenStatus('vercel'), { set: true, remembered: false, team: 'team_abc' });
    await rememberToken('vercel', true);
    assert.deepEqual(stored(), { local: { vercelToken: TOKEN, vercelTeam: 'team_abc' }, session: {} });
    await saveToken('vercel', TOKEN, true, { team: '' });
    assert.deepEqual(stored().local, { vercelToken: TOKEN });
    await assert.rejects(saveToken('vercel', TOKEN, true, { team: 'team with spaces' }), /Vercel team id/);
    await forgetToken('vercel');
    assert.deepEqual(stored(), { local: {}, session: {} });
  });

  test('a team is ignored for a service without one', async () => {
    await saveToken('github', TOKEN, false, { team: 'team_abc' });
    assert.deepEqual(stored().session, { githubToken: TOKEN });
  });

  test('tokenStatus tells whether and where, never the token', async () => {
    assert.deepEqual(await tokenStatus('github'), { set: false, remembered: false });
    await saveToken('github', TOKEN, true);
    const status = await tokenStatus('github');
    assert.deepEqual(status, { set: true, remembered: true });
    assert.ok(!JSON.stringify(status).includes(TOKEN));
  });

  test("a service that is not a destination of the catalog with origins is refused", async () => {
    await assert.rejects(readToken('bitbucket'), /does not know that service/);
    await assert.rejects(readToken('git'), /does not know that service/); // no origins: the CLI's only
    await assert.rejects(readToken('gitlab@https://never-added.example.com'), /does not know that service/);
    await assert.rejects(readToken('github@https://github.example.com'), /does not know that service/); // not self-managed
    await assert.rejects(saveToken('__proto__', TOKEN, false), /does not know that service/);
    await assert.rejects(saveToken('postgres', TOKEN, false), /does not know that service/); // the CLI's only
    await assert.rejects(tokenStatus(undefined), /does not know that service/);
  });

  test("the storage keys follow the destination's id: <id>Token, and <id>Team where it has teams", async () => {
    for (const service of ['github', 'vercel', 'netlify', 'supabase']) await saveToken(service, TOKEN, true, { team: 'team_x' });
    assert.deepEqual(Object.keys(stored().local).sort(), ['githubToken', 'netlifyToken', 'supabaseToken', 'vercelTeam', 'vercelToken']);
  });
});

describe('the options port', () => {
  function connect() {
    const [page, worker] = fakePortPair('options');
    attachOptions(worker);
    return page;
  }

  test('saves, moves and forgets a token, answering its status only', async () => {
    const page = connect();
    const received = [];
    page.onMessage.addListener((message) => received.push(message));
    page.postMessage({ type: 'save-token', service: 'github', token: TOKEN, remember: false });
    await waitFor(() => received.length === 1);
    page.postMessage({ type: 'remember-token', service: 'github', remember: true });
    await waitFor(() => received.length === 2);
    page.postMessage({ type: 'forget-token', service: 'github' });
    await waitFor(() => received.length === 3);
    assert.deepEqual(received, [
      { type: 'token-status', service: 'github', set: true, remembered: false, saved: 'saved' },
      { type: 'token-status', service: 'github', set: true, remembered: true, saved: 'moved' },
      { type: 'token-status', service: 'github', set: false, remembered: false, saved: 'forgotten' },
    ]);
    assert.ok(!JSON.stringify(received).includes(TOKEN));
  });

  test('a refused token is answered with our sentence, and logged without it; an unknown service is ignored', async () => {
    const warn = mock.method(console, 'warn', () => {});
    const page = connect();
    const received = [];
    page.onMessage.addListener((message) => received.push(message));
    page.postMessage({ type: 'save-token', service: 'bitbucket', token: TOKEN });
    page.postMessage({ type: 'save-token', service: 'gitlab@https://not-added.example.com', token: TOKEN });
    page.postMessage({ type: 'save-token', token: TOKEN });
    page.postMessage({ type: 'save-token', service: 'vercel', token: 'bad token value' });
    await waitFor(() => received.length === 1);
    assert.equal(received[0].type, 'token-error');
    assert.equal(received[0].service, 'vercel');
    assert.ok(!received[0].message.includes('bad token value'));
    page.postMessage({ type: 'what-is-this', service: 'github' });
    await waitFor(() => received.length === 2);
    assert.deepEqual(received[1], { type: 'token-error', service: 'github', message: 'Liftoff did not understand the settings page. Reload it.' });
    assert.deepEqual(warn.mock.calls.map((call) => call.arguments), [
      ['Liftoff token setting failed:', 'refused'],
      ['Liftoff token setting failed:', 'refused'],
    ]);
    warn.mock.restore();
  });

  test('the bolt.diy sites chosen in the popup: listed, and forgotten one by one', async () => {
    await chrome.storage.local.set({ liftoffSites: ['http://localhost:5173', 'https://diy.example.com'] });
    const page = connect();
    const received = [];
    page.onMessage.addListener((message) => received.push(message));
    page.postMessage({ type: 'sites' });
    await waitFor(() => received.length === 1);
    assert.deepEqual(received[0], { type: 'sites', sites: ['http://localhost:5173', 'https://diy.example.com'] });
    page.postMessage({ type: 'forget-site', origin: 'http://localhost:5173' });
    await waitFor(() => received.length === 2);
    assert.deepEqual(received[1], { type: 'sites', sites: ['https://diy.example.com'] });
    assert.deepEqual((await chrome.storage.local.get('liftoffSites')).liftoffSites, ['https://diy.example.com']);
    page.postMessage({ type: 'forget-site', origin: 42 });
    await waitFor(() => received.length === 3);
    assert.deepEqual(received[2].sites, ['https://diy.example.com'], 'a non-string origin forgets nothing');
  });

  test("destinations: one per destination of the catalog with origins, with what its section shows", async () => {
    const page = connect();
    const received = [];
    page.onMessage.addListener((message) => received.push(message));
    page.postMessage({ type: 'destinations' });
    await waitFor(() => received.length === 1);
    const [{ type, destinations }] = received;
    assert.equal(type, 'destinations');
    // Then the builders whose official API takes a key: Lovable's.
    assert.deepEqual(destinations.map((d) => d.id), ['github', 'vercel', 'netlify', 'supabase', 'gitlab', 'gitea', 'lovable']);
    assert.deepEqual(destinations[6], {
      id: 'lovable',
      name: 'Lovable',
      kind: 'builder',
      word: 'project',
      tokenHelp: 'Create an API key in Lovable.',
      teams: false,
      hosts: ['api.lovable.dev', 'lovable-api.com'],
    });
    assert.deepEqual(destinations[0], {
      id: 'github',
      name: 'GitHub',
      kind: 'forge',
      word: 'repository',
      tokenHelp: 'Create one on GitHub.',
      teams: false,
      selfManaged: false,
      hosts: ['api.github.com', 'github.com'],
    });
    assert.equal(destinations[1].teams, true);
    assert.equal(destinations[4].selfManaged, true, 'GitLab runs self-managed');
  });

  test('a self-managed host: added only once Chrome gave access, then a token of its own; removed with its token and its access', async () => {
    const page = connect();
    const received = [];
    page.onMessage.addListener((message) => received.push(message));
    const ORIGIN = 'https://git.example.com';
    const ID = `gitlab@${ORIGIN}`;
    // Not granted: refused, nothing kept.
    page.postMessage({ type: 'add-host', forge: 'gitlab', origin: ORIGIN });
    await waitFor(() => received.length === 1);
    assert.equal(received[0].type, 'host-error');
    assert.match(received[0].message, /not given access to git\.example\.com/);
    assert.equal((await chrome.storage.local.get('forgeHosts')).forgeHosts, undefined);
    // Not https, a forge without hosts, the forge's own host: refused.
    for (const [forge, origin, why] of [
      ['gitlab', 'http://git.example.com', /https only/],
      ['github', ORIGIN, /no self-managed hosts/],
      ['gitlab', 'https://gitlab.com', /GitLab’s own host/],
    ]) {
      page.postMessage({ type: 'add-host', forge, origin });
      await waitFor(() => received.length > 1);
      assert.match(received.pop().message, why);
    }
    // Granted (the options page asked Chrome): listed, with its own section after the catalog's.
    await chrome.permissions.request({ origins: [`${ORIGIN}/*`] });
    received.length = 0;
    page.postMessage({ type: 'add-host', forge: 'gitlab', origin: `${ORIGIN}/some/path` });
    await waitFor(() => received.length === 1);
    const host = received[0].destinations.find((d) => d.id === ID);
    assert.deepEqual(host, { id: ID, name: 'GitLab (git.example.com)', kind: 'forge', word: 'project', tokenHelp: 'Create one on GitLab.', teams: false, selfManaged: false, forge: 'gitlab', hosts: ['git.example.com'] });
    // Its token, under its own key, beside gitlab.com's.
    page.postMessage({ type: 'save-token', service: ID, token: TOKEN, remember: true });
    page.postMessage({ type: 'save-token', service: 'gitlab', token: `${TOKEN}-public`, remember: true });
    await waitFor(() => received.length === 3);
    assert.deepEqual(received[1], { type: 'token-status', service: ID, set: true, remembered: true, saved: 'saved' });
    assert.equal(await readToken(ID), TOKEN);
    assert.equal(await readToken('gitlab'), `${TOKEN}-public`);
    assert.deepEqual(Object.keys(stored().local).sort(), ['forgeHosts', 'gitlabToken', `gitlabToken@${ORIGIN}`]);
    // The access taken back in Chrome: the host is no longer a service.
    chrome.permissions.granted.clear();
    assert.equal(await isService(ID), false);
    await chrome.permissions.request({ origins: [`${ORIGIN}/*`] });
    // Removed: its token forgotten, its access given back, gitlab.com's token kept.
    page.postMessage({ type: 'remove-host', id: ID });
    await waitFor(() => received.length === 4);
    assert.ok(!received[3].destinations.some((d) => d.id === ID));
    assert.deepEqual(Object.keys(stored().local).sort(), ['forgeHosts', 'gitlabToken']);
    assert.equal(chrome.permissions.granted.size, 0);
    assert.ok(!JSON.stringify(received).includes(TOKEN));
  });
});

describe("a builder's API key", () => {
  test('kept like a token, under the builder id; a builder without an official API has none', async () => {
    await saveToken('lovable', 'lov_0123456789abcdef', false);
    assert.deepEqual(stored(), { local: {}, session: { lovableToken: 'lov_0123456789abcdef' } });
    assert.deepEqual(await tokenStatus('lovable'), { set: true, remembered: false });
    await forgetToken('lovable');
    assert.equal(await readToken('lovable'), null);
    await assert.rejects(saveToken('base44', 'anything-long-enough', false), /does not know that service/);
    await assert.rejects(saveToken('bolt', 'anything-long-enough', false), /does not know that service/);
  });
});
