// background/core/wasm.js and core/catalog.js: the core's catalog, merged from both modules and
// read once per worker life; the lookups the worker makes in it; the name checks, suggestions and
// default commit message as the rest of the worker gets them (the fake wasm's stand-ins).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builderOf, builders, destinationOf, destinations } from '../../extension/background/core/catalog.js';
import { catalog, defaultCommitMessage, nameProblem, suggestName } from '../../extension/background/core/wasm.js';
import { calls } from './fakes/wasm.js';

test('the catalog: builders from the export module, destinations from the remote one, read once, frozen', async () => {
  const first = await catalog();
  const again = await catalog();
  assert.equal(first, again);
  assert.equal(calls.catalog, 2, "each module's catalog read once");
  assert.deepEqual(first.builders.map((b) => b.id), ['bolt', 'lovable', 'base44']);
  assert.deepEqual(first.destinations.map((d) => d.id), ['github', 'vercel', 'netlify', 'supabase', 'postgres', 'gitlab', 'gitea', 'git']);
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first.builders[0]) && Object.isFrozen(first.destinations[0].origins));
});

test('lookups: a builder by id; the destinations the extension reaches (with origins), by kind', async () => {
  assert.equal((await builderOf('base44')).word, 'app');
  assert.equal(await builderOf('wix'), null);
  assert.equal(await builderOf(null), null);
  assert.equal((await builders()).length, 3);
  assert.deepEqual((await destinations()).map((d) => d.id), ['github', 'vercel', 'netlify', 'supabase', 'gitlab', 'gitea']);
  assert.deepEqual((await destinations('forge')).map((d) => d.id), ['github', 'gitlab', 'gitea']);
  assert.deepEqual((await destinations('hosting')).map((d) => d.id), ['vercel', 'netlify']);
  assert.equal((await destinationOf('netlify', 'hosting')).name, 'Netlify');
  assert.equal(await destinationOf('github', 'hosting'), null);
  assert.equal(await destinationOf('postgres'), null, 'no origins: the CLI only');
  assert.equal(await destinationOf('git', 'forge'), null, 'any git remote: the CLI only');
});

test("name checks, suggestions and the commit message: the core's answers, null for none", async () => {
  assert.equal(await nameProblem('vercel', 'my-app'), null);
  assert.equal(await nameProblem('vercel', 'My App'), '“My App” cannot be a vercel name (the fake\'s rule).');
  assert.equal(await suggestName('netlify', 'Task Garden'), 'task-garden');
  assert.equal(await suggestName('github', 'Garden'), null);
  assert.equal(await suggestName('vercel', undefined), 'my-app');
  assert.equal(await defaultCommitMessage('bolt', 5), 'Export from bolt (fake), 5');
});
