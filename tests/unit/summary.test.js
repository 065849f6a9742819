// background/wording/summary.js: what a page sees of the core's report, field by field (the
// builder's name from the core's catalog).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { skippedFiles, summarize } from '../../extension/background/wording/summary.js';

test('changes are counted by action; skipped ones are not the summary', async () => {
  const summary = await summarize({
    builder: 'lovable',
    changes: [
      { path: 'a', action: 'removed', reason: 'builder mark' },
      { path: 'b', action: 'edited', reason: 'values to .env' },
      { path: 'c', action: 'added' },
      { path: 'd', action: 'skipped', reason: 'binary' },
      { path: 'e', action: 'renamed' },
    ],
  });
  assert.deepEqual(summary.counts, { removed: 1, edited: 1, added: 1 });
  assert.deepEqual(summary.changes, [
    { path: 'a', action: 'removed', reason: 'builder mark' },
    { path: 'b', action: 'edited', reason: 'values to .env' },
    { path: 'c', action: 'added', reason: '' },
  ]);
  assert.equal(summary.builder, 'lovable');
  assert.equal(summary.builderName, 'Lovable');
  assert.equal(summary.raw, false);
});

test('a secret crosses as path, line, kind and masked value only', async () => {
  const { secrets } = await summarize({ secrets: [{ path: 'src/a.ts', line: 3, kind: 'Stripe key', masked: 'sk_l…42', value: 'sk_live_full_secret' }, { line: -1 }] });
  assert.deepEqual(secrets, [
    { path: 'src/a.ts', line: 3, kind: 'Stripe key', masked: 'sk_l…42' },
    { path: '', line: 0, kind: '', masked: '' },
  ]);
  assert.ok(!JSON.stringify(secrets).includes('sk_live_full_secret'));
});

test('long lists are cut at 300 rows, with how many more', async () => {
  const many = (n, make) => Array.from({ length: n }, (_, i) => make(i));
  const summary = await summarize(
    {
      changes: many(350, (i) => ({ path: `f${i}`, action: 'edited', reason: '' })),
      secrets: many(301, (i) => ({ path: `s${i}`, line: 1, kind: 'k', masked: 'm' })),
      warnings: many(305, (i) => `w${i}`),
      env: many(400, (i) => ({ name: `V${i}`, reason: '' })),
    },
    true,
  );
  assert.equal(summary.changes.length, 300);
  assert.equal(summary.changesCut, 50);
  assert.equal(summary.counts.edited, 350);
  assert.equal(summary.secretsCut, 1);
  assert.equal(summary.warnings.length, 300);
  assert.equal(summary.warningsCut, 5);
  assert.equal(summary.env.length, 300);
  assert.equal(summary.raw, true);
});

test('ties count places and distinct files; warnings keep non-empty text only', async () => {
  const summary = await summarize({ ties: [{ path: 'a' }, { path: 'a' }, { path: 'b' }], warnings: ['one', '', 7, null, 'two'] });
  assert.deepEqual(summary.ties, { places: 3, files: 2 });
  assert.deepEqual(summary.warnings, ['one', 'two']);
});

test('a builder the catalog does not list has no name', async () => {
  const { builder, builderName } = await summarize({ builder: 'unknown' });
  assert.deepEqual([builder, builderName], ['unknown', null]);
});

test('no report, or one of the wrong shape, gives an empty summary', async () => {
  for (const report of [undefined, null, { changes: 'x', secrets: {}, env: 5, ties: 'y', warnings: false, builder: 9 }]) {
    assert.deepEqual(await summarize(report), {
      raw: false,
      builder: null,
      builderName: null,
      counts: { removed: 0, edited: 0, added: 0 },
      changes: [],
      changesCut: 0,
      secrets: [],
      secretsCut: 0,
      env: [],
      ties: { places: 0, files: 0 },
      warnings: [],
      warningsCut: 0,
    });
  }
});

test('skippedFiles lists what the export left out, as text', () => {
  const report = { changes: [{ path: 'img.png', action: 'skipped', reason: 'not stored' }, { path: 'x', action: 'skipped' }, { path: 'y', action: 'edited' }] };
  assert.deepEqual(skippedFiles(report), [
    { path: 'img.png', reason: 'not stored' },
    { path: 'x', reason: '' },
  ]);
  assert.deepEqual(skippedFiles(undefined), []);
});
