// background/actions/zip-choice.js: how many workers zip a download, and at which level.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { MAX_WORKERS, zipChoice } from '../../extension/background/actions/zip-choice.js';

const realNavigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
const withCores = (cores) =>
  Object.defineProperty(globalThis, 'navigator', { value: { hardwareConcurrency: cores }, configurable: true });

beforeEach(() => chrome.reset());
afterEach(() => {
  // Node 20 has no navigator of its own; later versions do.
  if (realNavigator) Object.defineProperty(globalThis, 'navigator', realNavigator);
  else delete globalThis.navigator;
});

test('one worker per core but the browser\'s own, at least 1, at most 8', async () => {
  for (const [cores, workers] of [[1, 1], [2, 1], [4, 3], [8, 7], [16, MAX_WORKERS], [undefined, 1]]) {
    withCores(cores);
    const choice = await zipChoice();
    assert.equal(choice.workers, workers, `${cores} cores`);
    assert.deepEqual(choice.core, { fast: false, workers: workers > 1 }, `${cores} cores: what the core is asked`);
  }
});

test('the zipWorkers setting chooses the count, within 1 to 8; fastZip the level', async () => {
  withCores(2);
  await chrome.storage.local.set({ zipWorkers: 3, fastZip: true });
  assert.deepEqual(await zipChoice(), { fast: true, workers: 3, core: { fast: true, workers: true } });
  await chrome.storage.local.set({ zipWorkers: 50 });
  assert.equal((await zipChoice()).workers, MAX_WORKERS);
  await chrome.storage.local.set({ zipWorkers: 1 });
  assert.deepEqual((await zipChoice()).core, { fast: true, workers: false }, 'one worker: the service worker zips');
  // A value of the wrong type is the default: automatic.
  await chrome.storage.local.set({ zipWorkers: '4', fastZip: 'yes' });
  assert.deepEqual(await zipChoice(), { fast: false, workers: 1, core: { fast: false, workers: false } });
});
