// background/ports/requests.js: the popup's requests, with the expected fields and types only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { databaseRequestFrom, deployRequestFrom, nameCheckFrom, pushRequestFrom } from '../../extension/background/ports/requests.js';

test('a push request: trimmed, cut, typed; private unless said otherwise', () => {
  assert.deepEqual(
    pushRequestFrom({ repository: ' octo/app ', create: true, private: false, branch: ' dev ', message: ' Keep my spaces ', key: 'bolt:c1', url: 'https://evil' }),
    { repository: 'octo/app', create: true, private: false, branch: 'dev', message: ' Keep my spaces ', key: 'bolt:c1' },
  );
  assert.deepEqual(pushRequestFrom({ create: 'yes', private: 'no', repository: 42, message: ['x'], key: '' }), {
    repository: '',
    create: false,
    private: true,
    branch: '',
    message: '',
    key: null,
  });
  assert.deepEqual(pushRequestFrom(undefined).key, null);
  // Names are cut beyond what any destination accepts: the core's check still sees them too long.
  const long = pushRequestFrom({ repository: 'r'.repeat(500), branch: 'b'.repeat(500), message: 'm'.repeat(20_000), key: 'k'.repeat(500) });
  assert.deepEqual([long.repository.length, long.branch.length, long.message.length, long.key.length], [300, 250, 10_000, 260]);
});

test("a deploy request names a hosting destination of the core's catalog, a project and maybe a deployment", async () => {
  assert.deepEqual(await deployRequestFrom({ provider: 'netlify', project: ' my-site ', api: 'https://evil' }), { provider: 'netlify', project: 'my-site', deployment: null });
  assert.deepEqual(await deployRequestFrom({ provider: 'vercel', project: 'p'.repeat(500), deployment: ' dpl_1 ' }), {
    provider: 'vercel',
    project: 'p'.repeat(300),
    deployment: 'dpl_1',
  });
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
