// Helpers for the deploy suite: the deploy fixture as a Bolt chat, the Vercel and Netlify tokens
// through the options page, a deployment through the popup, and what a stand-in serves.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

import { listFiles } from './files.mjs';

/** {path: text} of every file under dir. */
export function readTree(dir) {
  return Object.fromEntries(listFiles(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}

/**
 * A dump of bolt.diy's `boltHistory` holding one chat, urlId, whose assistant message writes
 * files (as bolt.new's model does, one file action each): what the stand-in bolt.new seeds.
 */
export function boltHistoryOf(urlId, description, files) {
  const actions = Object.entries(files)
    .map(([path, text]) => `<boltAction type="file" filePath="${path}">\n${text}</boltAction>`)
    .join('\n');
  const at = '2025-05-01T09:00:00.000Z';
  return JSON.stringify({
    chats: [
      {
        id: '1',
        urlId,
        description,
        timestamp: at,
        messages: [
          { id: 'd1Usr', role: 'user', content: '[Model: claude-3-5-sonnet-latest]\n\n[Provider: Anthropic]\n\nA tiny static page.', createdAt: at },
          {
            id: 'd2Ast',
            role: 'assistant',
            content: `Here it is.\n\n<boltArtifact id="${urlId}" title="${description}">\n${actions}\n<boltAction type="shell">\nnpm run build\n</boltAction>\n</boltArtifact>`,
            createdAt: at,
          },
        ],
      },
    ],
    snapshots: [],
  });
}

/**
 * Opens the options page, types token (and Vercel's team) into service's section, sets its
 * "Remember on this device" to remember, clicks Save and waits for the answer. Resolves
 * {status, state: 'session' | 'remembered' | 'none', field}.
 */
export async function setServiceToken(browser, extensionOrigin, service, token, { team, remember = false, listen, screenshot } = {}) {
  const page = await optionsPage(browser, extensionOrigin, listen);
  try {
    const statusId = `${service}-token-status`;
    const before = await page.$eval(`#${statusId}`, (el) => el.textContent);
    if ((await page.$eval(`#remember-${service}-token`, (b) => b.checked)) !== remember) {
      await page.click(`#remember-${service}-token`);
      await page.waitForFunction((id) => !document.getElementById(id).disabled, {}, `remember-${service}-token`);
    }
    if (team !== undefined) {
      await page.$eval('#vercel-team', (input) => (input.value = ''));
      await page.type('#vercel-team', team);
    }
    await page.type(`#${service}-token`, token);
    await page.click(`#save-${service}-token`);
    await page.waitForFunction(
      (id, previous) => {
        const status = document.getElementById(id);
        return (status.textContent !== previous && status.textContent.startsWith('Token saved.')) || status.dataset.tone === 'error';
      },
      { timeout: 5_000 },
      statusId,
      before,
    );
    if (screenshot) {
      await page.setViewport({ width: 760, height: 900 });
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    return await page.evaluate((id, field) => ({
      status: document.getElementById(id).textContent,
      state: document.getElementById(id).dataset.state,
      field: document.getElementById(field).value,
    }), statusId, `${service}-token`);
  } finally {
    await page.close();
  }
}

/** Clicks "Forget token" in service's section; resolves the section's state ('none'). */
export async function forgetServiceToken(browser, extensionOrigin, service, { listen } = {}) {
  const page = await optionsPage(browser, extensionOrigin, listen);
  try {
    const statusId = `${service}-token-status`;
    await page.click(`#forget-${service}-token`);
    await page.waitForFunction((id) => document.getElementById(id).dataset.state === 'none', { timeout: 5_000 }, statusId);
    return await page.$eval(`#${statusId}`, (el) => el.dataset.state);
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

/**
 * Records the popup's status line and progress bar at every change, for the test to read
 * with seenInPopup (the deployment's steps go by faster than polling would see).
 */
export function watchPopup(popup) {
  return popup.evaluate(() => {
    window.__seen = [];
    const status = document.getElementById('status');
    const bar = document.getElementById('progress');
    const note = () => window.__seen.push({ text: status.textContent, value: bar.value, shown: !bar.hidden });
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

export const seenInPopup = (popup) => popup.evaluate(() => window.__seen ?? []);

/**
 * Opens provider's deploy form (if it is not open), sets the project's name when given, clicks
 * Deploy and waits for the result or the error. Resolves {ok, status, settingsShown, title,
 * link: {text, href}, project, id}.
 */
export async function deployFromPopup(popup, provider, { project, stage, timeout = 90_000 } = {}) {
  const open = await popup.$eval('#deploy-form', (form, id) => !form.hidden && form.dataset.provider === id, provider);
  if (!open) await popup.click(`#deploy-open-${provider}`);
  // 'preview' or 'production'; unsaid, as the form offers it (the project's last choice).
  if (stage) await popup.click(`label:has(> #deploy-stage-${stage})`);
  if (project !== undefined) {
    await popup.$eval('#deploy-project', (input) => (input.value = ''));
    await popup.type('#deploy-project', project);
  }
  await popup.click('#deploy');
  await popup.waitForFunction(
    () => !document.getElementById('deploy-result').hidden || document.getElementById('status').dataset.tone === 'error',
    { timeout },
  );
  return popup.evaluate(() => {
    const text = (id) => document.getElementById(id).textContent.trim();
    const link = document.getElementById('deploy-result-link');
    return {
      ok: !document.getElementById('deploy-result').hidden,
      status: text('status'),
      settingsShown: !document.getElementById('status-settings').hidden,
      title: text('deploy-result-title'),
      link: { text: link.textContent, href: link.getAttribute('href') },
      project: text('deploy-result-project'),
      id: text('deploy-result-id'),
      promoteShown: !document.getElementById('deploy-promote').hidden,
      note: text('deploy-result-note'),
    };
  });
}

/** GET url from a stand-in over HTTPS (its throw-away certificate accepted): {status, body}. */
export function getHttps(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}
