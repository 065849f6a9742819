// background/ports/requests.js: the popup's requests, with the expected fields and types only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { databaseRequestFrom, deployRequestFrom, diffRequestFrom, nameCheckFrom, pushRequestFrom } from '../../extension/background/ports/requests.js';

test('a push request: trimmed, cut, typed; private unless said otherwise', () => {
  assert.deepEqual(
    pushRequestFrom({ repository: ' octo/app ', create: true, private: false, branch: ' dev ', message: ' Keep my spaces ', key: 'bolt:c1', url: 'https://evil' }),
    { forge: 'github', repository: 'octo/app', create: true, private: false, branch: 'dev', message: ' Keep my spaces ', key: 'bolt:c1', pr: false, review: null, aws: null },
  );
  assert.deepEqual(pushRequestFrom({ create: 'yes', private: 'no', repository: 42, message: ['x'], key: '', pr: 'yes', review: '3', forge: 7 }), {
    forge: 'github',
    repository: '',
    create: false,
    private: true,
    branch: '',
    message: '',
    key: null,
    pr: false,
    review: null,
    aws: null,
  });
  // The AWS route: text fields only, cut; anything else is no route.
  assert.deepEqual(pushRequestFrom({ aws: { bucket: ' site ', region: 'eu-west-1', role: 'r'.repeat(900), extra: 1 } }).aws, {
    bucket: 'site',
    region: 'eu-west-1',
    role: 'r'.repeat(600),
    distribution: '',
    prefix: '',
  });
  for (const aws of [[1], 'x', 7]) assert.equal(pushRequestFrom({ aws }).aws, null);
  assert.deepEqual(pushRequestFrom(undefined).key, null);
  // The target is the worker's to resolve (store/forge-hosts.js): passed on as text, cut.
  assert.equal(pushRequestFrom({ forge: ' gitlab@https://git.example.com ' }).forge, 'gitlab@https://git.example.com');
  assert.equal(pushRequestFrom({ forge: 'x'.repeat(5000) }).forge.length, 2100);
  // Names are cut beyond what any destination accepts: the core's check still sees them too long.
  const long = pushRequestFrom({ repository: 'r'.repeat(500), branch: 'b'.repeat(500), message: 'm'.repeat(20_000), key: 'k'.repeat(500) });
  assert.deepEqual([long.repository.length, long.branch.length, long.message.length, long.key.length], [300, 250, 10_000, 260]);
});

test('a push request: a pull request only when asked with true; a review id only as a positive integer', () => {
  const request = pushRequestFrom({ repository: 'octo/app', branch: ' liftoff ', pr: true, review: 12, summary: '# injected', title: 'x' });
  assert.deepEqual([request.pr, request.branch, request.review], [true, 'liftoff', 12]);
  assert.ok(!('summary' in request) && !('title' in request), "the pull request's words are the worker's, never the page's");
  for (const review of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, NaN, null, {}, [1]]) {
    assert.equal(pushRequestFrom({ repository: 'octo/app', review }).review, null, String(review));
  }
  for (const pr of [1, 'true', {}, null]) assert.equal(pushRequestFrom({ pr }).pr, false, String(pr));
});

test('a diff request: a positive integer review id and the path as text, cut', () => {
  assert.deepEqual(diffRequestFrom({ type: 'review-diff', review: 4, path: 'src/App.tsx', extra: 1 }), { review: 4, path: 'src/App.tsx' });
  assert.deepEqual(diffRequestFrom({ review: 4, path: 7 }), { review: 4, path: '' });
  assert.equal(diffRequestFrom({ review: 4, path: 'p'.repeat(5000) }).path.length, 4096);
  for (const review of ['4', 0, -2, 2.5, undefined]) assert.equal(diffRequestFrom({ review, path: 'x' }), null, String(review));
  assert.equal(diffRequestFrom(null), null);
});

test("a deploy request names a hosting destination of the core's catalog, a project, maybe a deployment, and whether it is a preview", async () => {
  assert.deepEqual(await deployRequestFrom({ provider: 'netlify', project: ' my-site ', api: 'https://evil' }), {
    provider: 'netlify',
    project: 'my-site',
    deployment: null,
    preview: false,
    key: null,
  });
  assert.deepEqual(await deployRequestFrom({ provider: 'vercel', project: 'p'.repeat(500), deployment: ' dpl_1 ', preview: true, key: 'bolt:chat-1' }), {
    provider: 'vercel',
    project: 'p'.repeat(300),
    deployment: 'dpl_1',
    preview: true,
    key: 'bolt:chat-1',
  });
  // Only a real true asks for a preview.
  assert.equal((await deployRequestFrom({ provider: 'vercel', project: 'x', preview: 'true' })).preview, false);
  for (const provider of ['github', 'supabase', 'postgres', '__proto__', 'toString', undefined, 42]) {
    assert.equal(await deployRequestFrom({ provider, project: 'x' }), null, String(provider));
  }
  assert.equal(await deployRequestFrom(null), null);
});

test('a database request: the ref and the project key, cut', () => {
  assert.deepEqual(databaseRequestFrom({ ref: ' abcdefghij0123456789 ', key: 'lovable:p' }), { ref: 'abcdefghij0123456789', key: 'lovable:p' });
  assert.deepEqual(databaseRequestFrom({ ref: 7 }), { ref: '', key: null });
  assert.equal(databaseRequestFrom({ ref: 'x'.repeat(500) }).ref.length, 300);
});

test('a name check: an integer id, the destination and the name as text, cut', () => {
  assert.deepEqual(nameCheckFrom({ id: 4, destination: ' vercel ', name: ' My App ', extra: 1 }), { id: 4, destination: 'vercel', name: 'My App' });
  assert.deepEqual(nameCheckFrom({ id: 5, destination: 7, name: null }), { id: 5, destination: '', name: '' });
  assert.equal(nameCheckFrom({ id: 6, destination: 'x'.repeat(200), name: 'n'.repeat(500) }).name.length, 300);
  for (const id of ['4', 4.5, undefined]) assert.equal(nameCheckFrom({ id, destination: 'vercel', name: 'x' }), null);
});
