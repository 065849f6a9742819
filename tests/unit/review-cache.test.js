// background/actions/review-cache.js: the export a review made, kept for its tab and project for
// 10 minutes so that Push sends what was reviewed; the review's diffs, one file at a time.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { REVIEW_TTL_MS, forgetReview, keepReview, reviewDiff, reviewedExport } from '../../extension/background/actions/review-cache.js';

const exported = (name) => ({ name, zip: new Uint8Array([1, 2, 3]) });
const DIFFS = [
  { path: 'src/App.tsx', text: '--- a/src/App.tsx\n+++ b/src/App.tsx\n@@ -1 +1 @@\n-old\n+new\n', cut: false },
  { path: 'big.txt', text: '@@ -1 +1 @@\n', cut: true },
];

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
afterEach(() => {
  for (const tab of [1, 2, 3, 4, 5]) forgetReview(tab);
  mock.timers.reset();
});

test("Push gets the review's export: same tab, same project, same review, within 10 minutes", () => {
  const first = exported('first');
  const id = keepReview(1, 'bolt:chat', first, DIFFS);
  assert.ok(Number.isInteger(id) && id > 0);
  assert.equal(reviewedExport(1, 'bolt:chat', id), first);
  assert.equal(reviewedExport(1, 'bolt:chat', id), first, 'still there for a push that failed and is tried again');
  assert.equal(reviewedExport(2, 'bolt:chat', id), null, 'another tab');
  assert.equal(reviewedExport(1, 'bolt:other', id), null, 'the tab shows another project now');
  assert.equal(reviewedExport(1, 'bolt:chat', id + 1), null, 'another review');
  assert.equal(reviewedExport(1, 'bolt:chat', null), null, 'no review named: export again');
  mock.timers.tick(REVIEW_TTL_MS - 1);
  assert.equal(reviewedExport(1, 'bolt:chat', id), first);
  mock.timers.tick(1);
  assert.equal(reviewedExport(1, 'bolt:chat', id), null, 'gone after 10 minutes: Push exports again');
});

test('a new review of the tab replaces the last one; ids are never reused; a project without a key still matches', () => {
  const a = keepReview(1, null, exported('a'), []);
  const b = keepReview(1, null, exported('b'), []);
  assert.ok(b > a);
  assert.equal(reviewedExport(1, null, a), null);
  assert.equal(reviewedExport(1, null, b).name, 'b');
  assert.equal(reviewedExport(1, 'bolt:chat', b), null);
});

test('forgetReview drops it (pushed); at most three tabs are held, the oldest going first', () => {
  const ids = [1, 2, 3, 4].map((tab) => keepReview(tab, 'bolt:c', exported(`tab ${tab}`), []));
  assert.equal(reviewedExport(1, 'bolt:c', ids[0]), null, 'the oldest tab went');
  assert.deepEqual([2, 3, 4].map((tab, i) => reviewedExport(tab, 'bolt:c', ids[i + 1])?.name), ['tab 2', 'tab 3', 'tab 4']);
  forgetReview(3);
  assert.equal(reviewedExport(3, 'bolt:c', ids[2]), null);
});

test('a diff by review and path: {text, cut}; null for a file without one; undefined once the review is gone', () => {
  const id = keepReview(5, 'bolt:c', exported('x'), [...DIFFS, { path: 7, text: null }]);
  assert.deepEqual(reviewDiff(id, 'src/App.tsx'), { text: DIFFS[0].text, cut: false });
  assert.deepEqual(reviewDiff(id, 'big.txt'), { text: '@@ -1 +1 @@\n', cut: true });
  assert.deepEqual(reviewDiff(id, '7'), { text: '', cut: false }, 'what the core gave, as text');
  assert.equal(reviewDiff(id, 'public/logo.png'), null);
  assert.equal(reviewDiff(id + 100, 'src/App.tsx'), undefined);
  mock.timers.tick(REVIEW_TTL_MS);
  assert.equal(reviewDiff(id, 'src/App.tsx'), undefined);
});
