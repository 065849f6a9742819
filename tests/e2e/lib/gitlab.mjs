// Helpers for the GitLab suite: the local GitLab (tests/servers/gitlab.mjs) as the browser
// reaches it (over TLS, as gitlab.com or a self-managed host), a forge's token through its
// section of the options page, a self-managed host added there, plain git and the REST API
// against the stand-in at its own address, and what the service worker sends (read over CDP).
import { createServer, request } from 'node:https';
import { join } from 'node:path';

import { startGitLab } from '../../servers/gitlab.mjs';
import { makeCertificate } from '../../servers/tls.mjs';
import { cloneLocal } from './github.mjs';

/**
 * The local GitLab as the browser reaches it: over TLS, its addresses at https://<host>
 * (gitlab.com unless told), the projects under tmp/<host>; tokens: {token: user} (the stand-in's
 * user shape, with push). Resolves {gl, hosts} (hosts: {host: port}, for launch's
 * --host-resolver-rules).
 */
export async function startBrowserGitLab(tmp, tokens, { host = 'gitlab.com', groups } = {}) {
  const gl = await startGitLab({
    tokens,
    groups,
    tls: true,
    names: ['localhost', host],
    origin: `https://${host}`,
    root: join(tmp, host),
  });
  return { gl, hosts: { [host]: gl.port } };
}

/**
 * Opens the options page (waits until every token section answered); listen(page) first when
 * given.
 */
export async function openOptions(browser, extensionOrigin, listen) {
  const page = await browser.newPage();
  listen?.(page);
  await page.goto(`${extensionOrigin}/extension/options/options.html`);
  await page.waitForFunction(() => document.documentElement.dataset.tokenReady === 'true', { timeout: 5_000 });
  return page;
}

/**
 * In the options page, types token into the section whose ids are made of domId ('gitlab',
 * 'gitlab-host-git-example-com': `<domId>-token`, `save-<domId>-token`, …), sets its "Remember
 * on this device" to remember, clicks Save and waits for the answer. Resolves {status, state:
 * 'session' | 'remembered' | 'none', field, forgetShown}.
 */
export async function setForgeToken(browser, extensionOrigin, domId, token, { remember = false, listen, page: given } = {}) {
  const page = given ?? (await openOptions(browser, extensionOrigin, listen));
  try {
    const status = `${domId}-token-status`;
    const before = await page.$eval(`#${status}`, (el) => el.textContent);
    if ((await page.$eval(`#remember-${domId}-token`, (b) => b.checked)) !== remember) {
      await page.click(`#remember-${domId}-token`);
      await page.waitForFunction((id) => !document.getElementById(id).disabled, {}, `remember-${domId}-token`);
    }
    await page.type(`#${domId}-token`, token);
    await page.click(`#save-${domId}-token`);
    await page.waitForFunction(
      (id, previous) => {
        const el = document.getElementById(id);
        return (el.textContent !== previous && el.textContent.startsWith('Token saved.')) || el.dataset.tone === 'error';
      },
      { timeout: 5_000 },
      status,
      before,
    );
    return await page.evaluate(
      (id) => ({
        status: document.getElementById(`${id}-token-status`).textContent,
        state: document.getElementById(`${id}-token-status`).dataset.state,
        field: document.getElementById(`${id}-token`).value,
        forgetShown: !document.getElementById(`forget-${id}-token`).hidden,
      }),
      domId,
    );
  } finally {
    if (!given) await page.close();
  }
}

/**
 * Gives the extension access to origin the way a person does on chrome://extensions ("Site
 * access": chrome.developerPrivate.addHostPermission, what that page calls). Headless Chromium
 * shows chrome.permissions.request's prompt to no one, so it is never answered; with origin
 * granted here first, the request made from the options page resolves true at once, with no
 * prompt (what a person's "Allow" gives), and the permission becomes active then.
 */
export async function grantHostAccess(browser, extensionOrigin, origin) {
  const id = new URL(extensionOrigin.replace('chrome-extension:', 'https:')).host;
  const page = await browser.newPage();
  try {
    await page.goto('chrome://extensions');
    await page.evaluate((extensionId, pattern) => chrome.developerPrivate.addHostPermission(extensionId, pattern), id, `${origin}/*`);
  } finally {
    await page.close();
  }
}

/**
 * Clones path (a project's full path) from the stand-in at its own address with plain git,
 * Basic auth `oauth2:<token>` in a header only, then `git fsck --strict` (lib/github.mjs's
 * cloneLocal). Resolves {dir, log: [{sha, parents, author, subject}]}.
 */
export const cloneGitLab = (gl, path, token, branch) => cloneLocal(gl, path, token, { user: 'oauth2', branch });

/** GET {prefix}/api/v4{path} on the stand-in at its own address with token; resolves {status, json}. */
export function gitlabApi(gl, path, token) {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: gl.port, path: `${gl.prefix}/api/v4${path}`, headers: { 'private-token': token }, rejectUnauthorized: false },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Records every request the service worker sends, with the headers as they went on the wire
 * (CDP Network on the worker's own session: requestWillBeSent, then requestWillBeSentExtraInfo,
 * which carries Authorization). Resolves an array that fills up: [{id, url, method, headers}].
 */
export async function recordWorkerRequests(worker) {
  const seen = new Map();
  const client = worker.client;
  const entry = (id) => {
    if (!seen.has(id)) seen.set(id, { id, url: null, method: null, headers: {} });
    return seen.get(id);
  };
  client.on('Network.requestWillBeSent', ({ requestId, request: r }) => {
    const e = entry(requestId);
    e.url = r.url;
    e.method = r.method;
    Object.assign(e.headers, r.headers);
  });
  client.on('Network.requestWillBeSentExtraInfo', ({ requestId, headers }) => Object.assign(entry(requestId).headers, headers));
  await client.send('Network.enable');
  return { all: () => [...seen.values()] };
}

/**
 * A server that stands for every other host a token must never reach (api.github.com,
 * github.com, gitea.com, …): over TLS, it answers 404 to everything and keeps what it was sent.
 * Resolves {port, hosts: {name: port} for launch, requests: [{host, method, url, headers}],
 * close()}.
 */
export async function startSink(names) {
  const requests = [];
  const server = createServer(makeCertificate(names), (req, res) => {
    requests.push({ host: req.headers.host, method: req.method, url: req.url, headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"Not Found"}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    hosts: Object.fromEntries(names.map((name) => [name, port])),
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections?.();
      }),
  };
}
