// Checks of a cleaned-up (default) export against its fixture and the summary the page shows,
// and the switch between cleaned-up and raw exports.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { listFiles, unzip } from './files.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** {path: sha256} of every file under dir. */
export function hashTree(dir) {
  return Object.fromEntries(listFiles(dir).map((path) => [path, sha256(readFileSync(join(dir, path)))]));
}

/**
 * What the page (popup or drop page) shows in #summary, read from the DOM:
 * {shown, raw, counts: {removed, edited, added}, changes: [{action, path}], secrets: [{path,
 * line, text}], env: [name], ties: text | null, warnings: [text], text: all of it}.
 */
export function readSummary(page) {
  return page.evaluate(() => {
    const section = document.getElementById('summary');
    const all = (selector) => [...section.querySelectorAll(selector)];
    const count = (action) => Number(document.getElementById(`summary-${action}`)?.textContent ?? 0);
    return {
      shown: !section.hidden,
      raw: document.getElementById('summary-raw') !== null,
      counts: { removed: count('removed'), edited: count('edited'), added: count('added') },
      pills: all('#summary-changes .pill').map((pill) => pill.textContent.trim()),
      // How each pill looks where it is shown (popup or drop page): its colours and its height
      // in lines of its own text.
      pillStyles: all('#summary-changes .pill').map((pill) => {
        const style = getComputedStyle(pill);
        return {
          background: style.backgroundColor,
          color: style.color,
          lines: Math.round(pill.getBoundingClientRect().height / parseFloat(style.lineHeight)),
        };
      }),
      changes: all('#summary-changes li[data-action]').map((li) => ({ action: li.dataset.action, path: li.dataset.path })),
      reasons: all('#summary-changes li[data-action] .why').map((why) => why.textContent),
      secrets: all('#summary-secrets li').map((li) => ({ path: li.dataset.path, line: Number(li.dataset.line), text: li.textContent })),
      secretsTitle: document.querySelector('#summary-secrets .summary-title')?.textContent ?? null,
      env: all('#summary-env code').map((code) => code.textContent),
      ties: document.getElementById('summary-ties')?.textContent.trim() ?? null,
      warnings: all('#summary-warnings li').map((li) => li.textContent),
      text: section.textContent,
    };
  });
}

/**
 * Asserts that a cleaned-up zip agrees with its fixture and with the changes the page listed:
 * - every fixture file is in the zip byte for byte, unless the summary lists it (or a folder
 *   holding it) as removed (then it is absent) or as edited (then its bytes differ);
 * - every zip file that is not in the fixture is listed as added; every added path is such a file;
 * - nothing changed silently: a file in both with other bytes is listed as edited, and every
 *   removed entry accounts for at least one fixture file.
 * expected: {path: sha256}. Returns {entries, dir} (dir: where the zip was extracted).
 */
export function assertCleanedZip(zipPath, expected, extractDir, changes) {
  const entries = unzip(zipPath, extractDir).filter((name) => !name.endsWith('/'));
  assert.equal(new Set(entries).size, entries.length, 'duplicate entries in the zip');
  const inZip = new Set(entries);
  const listed = (action) => changes.filter((c) => c.action === action).map((c) => c.path);
  const removed = listed('removed');
  const edited = new Set(listed('edited'));
  const added = new Set(listed('added'));
  const removedBy = (path) => removed.find((r) => r === path || (r.endsWith('/') && path.startsWith(r)));

  const accounted = new Set();
  for (const [path, hash] of Object.entries(expected)) {
    const remover = removedBy(path);
    if (remover) {
      accounted.add(remover);
      assert.ok(!inZip.has(path), `${path} is reported removed (${remover}) but is in the zip`);
      continue;
    }
    assert.ok(inZip.has(path), `${path} is missing from the zip and not reported removed`);
    const same = sha256(readFileSync(join(extractDir, path))) === hash;
    if (edited.has(path)) assert.ok(!same, `${path} is reported edited but is byte for byte the fixture's`);
    else assert.ok(same, `${path} differs from the fixture and is not reported edited`);
  }
  for (const path of removed) assert.ok(accounted.has(path), `${path} is reported removed but the fixture has no such file`);
  for (const path of edited) assert.ok(Object.hasOwn(expected, path), `${path} is reported edited but is not in the fixture`);
  const extra = entries.filter((path) => !Object.hasOwn(expected, path)).sort();
  assert.deepEqual(extra, [...added].sort(), 'the files the zip adds must be exactly the ones reported added');
  return { entries, dir: extractDir };
}

// The pills' colours (shared/summary.css), the same in the popup and on the drop page.
const PILL_COLOURS = {
  removed: { background: 'rgb(254, 226, 226)', color: 'rgb(153, 27, 27)' },
  edited: { background: 'rgb(254, 243, 199)', color: 'rgb(146, 64, 14)' },
  added: { background: 'rgb(209, 250, 229)', color: 'rgb(6, 95, 70)' },
};

/**
 * Asserts that the counts shown match the listed changes (the lists are not cut for fixtures),
 * that each file is counted once per action, and that each pill shows its action's colours on
 * one line.
 */
export function assertCounts(summary) {
  const keys = summary.changes.map((c) => `${c.action} ${c.path}`);
  assert.equal(new Set(keys).size, keys.length, `a file is counted twice for one action: ${JSON.stringify(keys)}`);
  for (const action of ['removed', 'edited', 'added']) {
    const listed = summary.changes.filter((c) => c.action === action).length;
    assert.equal(summary.counts[action], listed, `${action}: the count shown is not the number listed`);
  }
  const shown = ['removed', 'edited', 'added'].filter((a) => summary.counts[a] > 0);
  const pills = shown.map((a) => `${summary.counts[a]} ${a}`);
  assert.deepEqual(summary.pills, pills);
  assert.deepEqual(
    summary.pillStyles,
    shown.map((action) => ({ ...PILL_COLOURS[action], lines: 1 })),
    'each pill in its colours, on one line',
  );
}

/** The variable names .env.example declares (NAME= lines). */
export function envExampleNames(dir) {
  return readFileSync(join(dir, '.env.example'), 'utf8')
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter(Boolean)
    .sort();
}

/** Sets the "keep the builder's files" preference directly (the options page test uses the UI). */
export async function setKeepBuilderFiles(worker, value) {
  await worker.evaluate((v) => chrome.storage.local.set({ keepBuilderFiles: v }), value);
}

/**
 * Switches the preference through the options page, the way a user does; returns the stored
 * value read back from chrome.storage.local.
 */
export async function switchKeepBuilderFilesInOptions(browser, extensionOrigin, worker, value, { screenshot } = {}) {
  const page = await browser.newPage();
  try {
    await page.goto(`${extensionOrigin}/extension/options/options.html`);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    const box = '#keep-builder-files';
    if ((await page.$eval(box, (b) => b.checked)) !== value) {
      await page.click(box);
      await page.waitForFunction(
        (want) => {
          const status = document.getElementById('settings-status');
          return status.dataset.tone === 'ok' && document.getElementById('keep-builder-files').checked === want;
        },
        {},
        value,
      );
    }
    if (screenshot) {
      await page.setViewport({ width: 760, height: 560 });
      await page.screenshot({ path: screenshot });
    }
    return await worker.evaluate(() => chrome.storage.local.get(null));
  } finally {
    await page.close();
  }
}
