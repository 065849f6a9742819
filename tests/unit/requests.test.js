// background/ports/requests.js: the popup's requests, with the expected fields and types only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { databaseRequestFrom, deployRequestFrom, pushRequestFrom } from '../../extension/background/ports/requests.js';

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
  const long = pushRequestFrom({ repository: 'r'.repeat(500), branch: 'b'.repeat(500), message: 'm'.repeat(20_000), key: 'k'.repeat(500) });
  assert.deepEqual([long.repository.length, long.branch.length, long.message.length, long.key.length], [201, 250, 10_000, 260]);
});

test('a deploy request names a provider Liftoff deploys to, a project and maybe a deployment', () => {
  assert.deepEqual(deployRequestFrom({ provider: 'netlify', project: ' my-site ', api: 'https://evil' }), { provider: 'netlify', project: 'my-site', deployment: null });
  assert.deepEqual(deployRequestFrom({ provider: 'vercel', project: 'p'.repeat(150), deployment: ' dpl_1 ' }), {
    provider: 'vercel',
    project: 'p'.repeat(100),
    deployment: 'dpl_1',
  });
  for (const provider of ['github', '__proto__', 'toString', undefined]) assert.equal(deployRequestFrom({ provider, project: 'x' }), null);
  assert.equal(deployRequestFrom(null), null);
});

test('a database request: the ref and the project key, cut', () => {
  assert.deepEqual(databaseRequestFrom({ ref: ' abcdefghij0123456789 ', key: 'lovable:p' }), { ref: 'abcdefghij0123456789', key: 'lovable:p' });
  assert.deepEqual(databaseRequestFrom({ ref: 7 }), { ref: '', key: null });
  assert.equal(databaseRequestFrom({ ref: 'x'.repeat(200) }).ref.length, 100);
});
