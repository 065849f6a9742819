// What every suite sets up the same way: the repository's paths, the extension as it ships
// (unpacked from dist/), a throw-away folder with downloads/ and profile/, the Bolt fixture's
// histories, and the service worker's console.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const E2E = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = resolve(E2E, '../..');
export const ARTIFACTS = join(E2E, 'artifacts');
export const SEED_SCRIPT = join(E2E, 'site/seed.js');
export const WASM = join(REPO, 'extension/wasm/liftoff_wasm_bg.wasm');
const CLI = join(REPO, 'target/release/liftoff');

/** dist/liftoff-extension-<manifest version>.zip: what build.sh packs for the Chrome Web Store. */
export function packagePath() {
  const { version } = JSON.parse(readFileSync(join(REPO, 'manifest.json'), 'utf8'));
  return join(REPO, 'dist', `liftoff-extension-${version}.zip`);
}

let unpacked = null;

/**
 * The folder the suites load as the extension: the shipped zip unpacked (by the liftoff CLI,
 * files byte for byte), once per process, so what is tested is exactly what ships.
 */
export function unpackedExtension() {
  if (unpacked) return unpacked;
  const zip = packagePath();
  if (!existsSync(zip)) throw new Error(`${zip} is missing: run ./build.sh first`);
  const dir = join(mkdtempSync(join(tmpdir(), 'liftoff-extension-')), 'unpacked');
  execFileSync(CLI, ['export', zip, '--raw', '--builder', 'plain', '-o', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  unpacked = dir;
  return dir;
}

/**
 * Checks the build is there (and Chromium, when asked), then makes the run's temporary folder:
 * {tmp, downloadDir, profileDir}, with downloadDir and ARTIFACTS created.
 */
export function makeRunDirs(prefix, { checkChromium = false } = {}) {
  if (!existsSync(WASM)) throw new Error('extension/wasm/liftoff_wasm_bg.wasm is missing: run ./build.sh first');
  if (checkChromium && !existsSync('/usr/bin/chromium')) {
    throw new Error('/usr/bin/chromium is missing: apt-get install -y chromium');
  }
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  const downloadDir = join(tmp, 'downloads');
  const profileDir = join(tmp, 'profile');
  mkdirSync(downloadDir);
  mkdirSync(ARTIFACTS, { recursive: true });
  return { tmp, downloadDir, profileDir };
}

/** {urlId: () => history.json text} for every chat of the Bolt fixture (for startBoltServer). */
export function boltHistories(fixtureDir) {
  const fixtureText = readFileSync(join(fixtureDir, 'history.json'), 'utf8');
  return Object.fromEntries(JSON.parse(fixtureText).chats.map((chat) => [chat.urlId, () => fixtureText]));
}

/** storage.local without `liftoffHistory` (the History view's record, checked on its own). */
export function withoutHistory(local) {
  const { liftoffHistory, ...rest } = local;
  return rest;
}

/** A page watcher: each page given has its console lines and uncaught errors added to texts. */
export function listenTo(texts) {
  return (page) => {
    page.on('console', (message) => texts.push(message.text()));
    page.on('pageerror', (error) => texts.push(`pageerror: ${error.message}`));
    return page;
  };
}

/** Everything the extension keeps: {local, session} (chrome.storage), read in its worker. */
export function extensionStorage(worker) {
  return worker.evaluate(async () => ({ local: await chrome.storage.local.get(null), session: await chrome.storage.session.get(null) }));
}

/** Collects the worker's console errors and warnings in problems (and, given texts, every message). */
export function watchWorker(worker, problems, texts) {
  worker.on('console', (message) => {
    texts?.push(message.text());
    if (message.type() === 'error' || message.type() === 'warn') problems.push(message.text());
  });
  worker.on('error', (error) => problems.push(String(error)));
}
