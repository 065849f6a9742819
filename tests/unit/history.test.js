// background/store/history.js: what the History view lists, checked and cut field by field (the
// targets: a download, or a destination of the core's catalog).
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { deployedProjects, readHistory, recordChecks, recordHistory } from '../../extension/background/store/history.js';

beforeEach(() => chrome.reset());

test('an entry keeps the expected fields only, cut to length', async () => {
  await recordHistory({
    kind: 'deploy',
    target: 'vercel',
    project: `  ${'p'.repeat(250)}  `,
    link: 'https://my-app.vercel.app/',
    id: 'dpl_1',
    state: 'READY',
    token: 'secret-token-never-stored',
    file: 42,
    time: 1,
  });
  const [entry] = await readHistory();
  assert.deepEqual(Object.keys(entry).sort(), ['id', 'kind', 'link', 'project', 'state', 'target', 'time']);
  assert.equal(entry.project, 'p'.repeat(200));
  assert.equal(entry.link, 'https://my-app.vercel.app/');
  assert.ok(entry.time > 1, 'the time is when it was recorded');
  assert.ok(!JSON.stringify([...chrome.storage.local.data]).includes('secret-token'));
});

test('only a plain https address becomes a link', async () => {
  for (const link of ['http://example.com/', 'https://user:pass@example.com/', 'javascript:alert(1)', 'not a url', null]) {
    await recordHistory({ kind: 'push', target: 'github', project: 'o/r', link });
  }
  assert.deepEqual((await readHistory()).map((entry) => entry.link), [null, null, null, null, null]);
});

test("an unknown kind, or a target that is neither a download nor a destination of the core's catalog, is not recorded", async () => {
  await recordHistory({ kind: 'delete', target: 'github' });
  await recordHistory({ kind: 'push', target: 'bitbucket' });
  await recordHistory({ kind: 'push', target: 'git' }); // any git remote: the CLI's only
  await recordHistory({ kind: 'database', target: 'postgres' }); // the CLI's: no origins, not the extension's
  await recordHistory(null);
  assert.deepEqual(await readHistory(), []);
  for (const target of ['download', 'github', 'vercel', 'netlify', 'supabase']) await recordHistory({ kind: 'export', target });
  assert.deepEqual((await readHistory()).map((entry) => entry.target), ['supabase', 'netlify', 'vercel', 'github', 'download']);
});

test('newest first, at most 200, and entries recorded together are all kept', async () => {
  await Promise.all(Array.from({ length: 205 }, (_, i) => recordHistory({ kind: 'export', target: 'download', project: `p${i}`, file: `p${i}.zip` })));
  const entries = await readHistory();
  assert.equal(entries.length, 200);
  assert.equal(entries[0].project, 'p204');
  assert.equal(entries[199].project, 'p5');
  assert.equal(entries[0].file, 'p204.zip');
});

test('what storage holds is checked again when read', async () => {
  await chrome.storage.local.set({ liftoffHistory: [{ kind: 'push', target: 'github', project: 'o/r', time: 5 }, { kind: 'nope' }, 'junk'] });
  assert.deepEqual(await readHistory(), [{ kind: 'push', time: 5, target: 'github', project: 'o/r', link: null, id: null, state: null }]);
  await chrome.storage.local.set({ liftoffHistory: { not: 'a list' } });
  assert.deepEqual(await readHistory(), []);
});

test('deployedProjects: each provider and project once, most recent first', () => {
  const entries = [
    { kind: 'rollback', target: 'vercel', project: 'a' },
    { kind: 'deploy', target: 'netlify', project: 'a' },
    { kind: 'deploy', target: 'vercel', project: 'a' },
    { kind: 'push', target: 'github', project: 'o/r' },
    { kind: 'deploy', target: 'vercel', project: null },
  ];
  assert.deepEqual(deployedProjects(entries), [
    { provider: 'vercel', project: 'a' },
    { provider: 'netlify', project: 'a' },
  ]);
});

test("a push's CI verdict goes on that commit's push entries, as one known word", async () => {
  const commit = 'c'.repeat(40);
  await recordHistory({ kind: 'push', target: 'github', project: 'octo/app', id: commit, state: 'pushed' });
  await recordHistory({ kind: 'deploy', target: 'vercel', project: 'octo/app', id: commit, state: 'READY' });
  await recordHistory({ kind: 'push', target: 'github', project: 'octo/other', id: commit, state: 'pushed' });
  await recordHistory({ kind: 'push', target: 'github', project: 'octo/app', id: commit, state: 'up-to-date' });
  await recordChecks('octo/app', commit, 'running');
  await recordChecks('octo/app', commit, 'failed');
  await recordChecks('octo/app', commit, 'exploded'); // not a verdict: nothing written
  await recordChecks('octo/app', 'd'.repeat(40), 'passed'); // no such push: nothing written
  const entries = await readHistory();
  assert.deepEqual(entries.map((entry) => `${entry.kind}:${entry.project}:${entry.checks ?? '-'}`), [
    'push:octo/app:failed',
    'push:octo/other:-',
    'deploy:octo/app:-',
    'push:octo/app:failed',
  ]);
});

test('a stored checks field is kept on a push only, and only as a known word', async () => {
  await chrome.storage.local.set({
    liftoffHistory: [
      { kind: 'push', target: 'github', project: 'o/r', checks: 'passed', time: 3 },
      { kind: 'push', target: 'github', project: 'o/r', checks: 'ghp_secret', time: 2 },
      { kind: 'deploy', target: 'vercel', project: 'p', checks: 'passed', time: 1 },
    ],
  });
  assert.deepEqual((await readHistory()).map((entry) => entry.checks), ['passed', undefined, undefined]);
});

test('a preview deploy keeps preview: true; a promotion is recorded and counts as a deployed project', async () => {
  await recordHistory({ kind: 'deploy', target: 'vercel', project: 'a', id: 'dpl_1', state: 'READY', preview: true });
  await recordHistory({ kind: 'deploy', target: 'vercel', project: 'a', id: 'dpl_2', state: 'READY', preview: 'yes' });
  await recordHistory({ kind: 'push', target: 'github', project: 'o/r', preview: true });
  await recordHistory({ kind: 'promote', target: 'netlify', project: 'b', id: 'd1', state: 'ready' });
  const entries = await readHistory();
  assert.deepEqual(
    entries.map((e) => [e.kind, e.id, e.preview ?? null]),
    [
      ['promote', 'd1', null],
      ['push', null, null],
      ['deploy', 'dpl_2', null],
      ['deploy', 'dpl_1', true],
    ],
  );
  assert.deepEqual(deployedProjects(entries), [
    { provider: 'netlify', project: 'b' },
    { provider: 'vercel', project: 'a' },
  ]);
});
