// Helpers for the GitHub suites: the local GitHub (tests/servers/github.mjs) as the browser
// reaches it, the token through the options page, the push through the popup, and plain git
// against the local GitHub at its own address.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { startGitHub } from '../../servers/github.mjs';

const execFileAsync = promisify(execFile);

/**
 * The local GitHub as the browser reaches it: over TLS, its addresses at https://github.com, the
 * repositories under tmp/github; tokens: {token: user}. Resolves {gh, hosts} (hosts: for launch's
 * --host-resolver-rules, api.github.com and github.com).
 */
export async function startBrowserGitHub(tmp, tokens) {
  const gh = await startGitHub({ tokens, tls: true, origin: 'https://github.com', root: join(tmp, 'github') });
  return { gh, hosts: { 'api.github.com': gh.port, 'github.com': gh.port } };
}

/**
 * Opens the options page, types token, sets "Remember on this device" to remember, clicks Save
 * and waits for the answer. Resolves {status: the sentence shown, state: 'session' |
 * 'remembered' | 'none', field: what the token field holds afterwards}.
 */
export async function setTokenInOptions(browser, extensionOrigin, token, { remember = false, screenshot, listen } = {}) {
  const page = await optionsPage(browser, extensionOrigin, listen);
  try {
    const before = await page.$eval('#token-status', (el) => el.textContent);
    if ((await page.$eval('#remember-token', (b) => b.checked)) !== remember) {
      await page.click('#remember-token');
      // With a token already set, the box moves it at once: wait for that answer.
      await page.waitForFunction(() => !document.getElementById('remember-token').disabled);
    }
    await page.type('#github-token', token);
    await page.click('#save-token');
    await page.waitForFunction(
      (previous) => {
        const status = document.getElementById('token-status');
        return (status.textContent !== previous && status.textContent.startsWith('Token saved.')) || status.dataset.tone === 'error';
      },
      { timeout: 5_000 },
      before,
    );
    if (screenshot) {
      await page.setViewport({ width: 760, height: 900 });
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    return await readOptions(page);
  } finally {
    await page.close();
  }
}

/** Clicks "Forget token" (when shown) or toggles "Remember on this device"; resolves as above. */
export async function changeTokenInOptions(browser, extensionOrigin, action, { listen } = {}) {
  const page = await optionsPage(browser, extensionOrigin, listen);
  try {
    const before = await page.$eval('#token-status', (el) => el.dataset.state);
    await page.click(action === 'forget' ? '#forget-token' : '#remember-token');
    await page.waitForFunction(
      (previous) => document.getElementById('token-status').dataset.state !== previous,
      { timeout: 5_000 },
      before,
    );
    return await readOptions(page);
  } finally {
    await page.close();
  }
}

async function optionsPage(browser, extensionOrigin, listen) {
  const page = await browser.newPage();
  listen?.(page);
  await page.goto(`${extensionOrigin}/extension/options/options.html`);
  await page.waitForFunction(() => document.documentElement.dataset.tokenReady === 'true', { timeout: 5_000 });
  return page;
}

function readOptions(page) {
  return page.evaluate(() => ({
    status: document.getElementById('token-status').textContent,
    state: document.getElementById('token-status').dataset.state,
    field: document.getElementById('github-token').value,
    forgetShown: !document.getElementById('forget-token').hidden,
  }));
}

/**
 * Opens the push form (if closed), fills what is given ({repository, create, visibility,
 * branch, message}), clicks Push and waits for the result or the error. Resolves
 * {ok, status, title, note, repository, branch, link: {text, href}, pr: {text, href} | null,
 * excluded: [path]}.
 */
export async function pushFromPopup(popup, fields = {}, timeout = 30_000) {
  if (await popup.$eval('#push-form', (form) => form.hidden)) await popup.click('#push-open');
  const fill = async (selector, value) => {
    if (value === undefined) return;
    await popup.$eval(selector, (input) => (input.value = ''));
    await popup.type(selector, value);
  };
  await fill('#push-repo', fields.repository);
  await fill('#push-branch', fields.branch);
  await fill('#push-message', fields.message);
  if (fields.create !== undefined && (await popup.$eval('#push-create', (b) => b.checked)) !== fields.create) {
    await popup.click('#push-create');
  }
  if (fields.visibility) await popup.click(`input[name="visibility"][value="${fields.visibility}"] + span`);
  await popup.click('#push');
  await popup.waitForFunction(
    () => !document.getElementById('push-result').hidden || document.getElementById('status').dataset.tone === 'error',
    { timeout },
  );
  return popup.evaluate(() => {
    const text = (id) => document.getElementById(id).textContent.trim();
    const link = document.getElementById('push-result-link');
    const pr = document.getElementById('push-result-pr');
    return {
      ok: !document.getElementById('push-result').hidden,
      status: text('status'),
      title: text('push-result-title'),
      note: document.getElementById('push-result-note').hidden ? null : text('push-result-note'),
      repository: text('push-result-repo'),
      branch: text('push-result-branch'),
      link: { text: link.textContent, href: link.getAttribute('href') },
      pr: pr.hidden ? null : { text: pr.textContent, href: pr.getAttribute('href') },
      excluded: [...document.querySelectorAll('#push-excluded li code')].map((code) => code.textContent),
    };
  });
}

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
};

/** Runs git in cwd; resolves stdout (a Buffer when binary). */
export async function git(cwd, args, { binary = false } = {}) {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: GIT_ENV,
    maxBuffer: 1 << 28,
    encoding: binary ? 'buffer' : 'utf8',
  });
  return stdout;
}

/**
 * Clones fullName with plain git from the local GitHub at its own address (https://127.0.0.1:…,
 * its throw-away certificate accepted), the token in a header only (never in the clone's
 * config), then runs `git fsck --strict`. Resolves {dir, log: [{sha, parents, author, subject}]}.
 * Any forge stand-in served the same way: `user` is git's Basic-auth user (GitLab's `oauth2`),
 * `branch` the one to check out (default: the remote's HEAD).
 */
export async function cloneLocal(gh, fullName, token, { user = 'x-access-token', branch } = {}) {
  const dir = join(mkdtempSync(join(tmpdir(), 'liftoff-e2e-clone-')), 'clone');
  const basic = Buffer.from(`${user}:${token}`).toString('base64');
  await git(tmpdir(), [
    '-c', 'http.sslVerify=false',
    '-c', `http.extraHeader=Authorization: Basic ${basic}`,
    'clone', '-q', ...(branch ? ['--branch', branch] : []), `https://127.0.0.1:${gh.port}/${fullName}.git`, dir,
  ]);
  await git(dir, ['fsck', '--strict', '--no-dangling']);
  const log = (await git(dir, ['log', '--format=%H|%P|%an <%ae>|%s']))
    .trim()
    .split('\n')
    .map((line) => {
      const [sha, parents, author, subject] = line.split('|');
      return { sha, parents: parents ? parents.split(' ') : [], author, subject };
    });
  return { dir, log };
}

/** Every object of a repository (bare or not), decompressed, as one Buffer. */
export function allObjects(dir) {
  return git(dir, ['cat-file', '--batch-all-objects', '--batch'], { binary: true });
}

/** Asserts two {path: Buffer} maps hold the same paths with the same bytes. */
export function assertSameFiles(actual, expected, what) {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${what}: not the same files`);
  for (const [path, bytes] of expected) {
    assert.ok(actual.get(path).equals(bytes), `${what}: ${path} differs byte for byte`);
  }
}
