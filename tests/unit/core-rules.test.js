// shared/core-rules.js: the copies of the core's rules the popup checks before sending (until the
// wasm gives them), kept as the core has them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REPOSITORY, SUPABASE_REF, defaultCommitMessage, nameProblem, projectSlug } from '../../extension/shared/core-rules.js';

test('projectSlug: lower-case words joined by single dashes, at most 63 characters', () => {
  assert.equal(projectSlug('My Portfolio (v2)!'), 'my-portfolio-v2');
  assert.equal(projectSlug('Café  Crème'), 'cafe-creme');
  assert.equal(projectSlug('—'), 'my-app');
  assert.equal(projectSlug(null), 'my-app');
  const long = projectSlug(`${'a'.repeat(62)} b`);
  assert.equal(long, 'a'.repeat(62));
  assert.equal(nameProblem('netlify', long), null);
});

test("nameProblem: each provider's rule", () => {
  assert.equal(nameProblem('vercel', 'my.app_1-x'), null);
  assert.match(nameProblem('vercel', 'My App'), /Vercel project name has 1 to 100/);
  assert.match(nameProblem('vercel', 'a---b'), /may not contain “---”/);
  assert.match(nameProblem('vercel', ''), /1 to 100/);
  assert.equal(nameProblem('netlify', 'my-site'), null);
  assert.match(nameProblem('netlify', 'my.site'), /Netlify site name has 1 to 63/);
  assert.match(nameProblem('netlify', '-site'), /may not start or end with “-”/);
  assert.match(nameProblem('netlify', 'x'.repeat(64)), /1 to 63/);
});

test("defaultCommitMessage: the core's default, to the minute in UTC", () => {
  const at = Date.UTC(2025, 3, 1, 12, 5, 59);
  assert.equal(defaultCommitMessage('Bolt', at), 'Export from Bolt (Liftoff), 2025-04-01 12:05 UTC');
  assert.equal(defaultCommitMessage('', at), 'Export (Liftoff), 2025-04-01 12:05 UTC');
});

test('the shapes the popup checks', () => {
  assert.ok(REPOSITORY.test('octo/my.app'));
  assert.ok(!REPOSITORY.test('octo'));
  assert.ok(!REPOSITORY.test('octo/app/extra'));
  assert.ok(SUPABASE_REF.test('abcdefghij0123456789'));
  assert.ok(!SUPABASE_REF.test('abcdefghij012345678'));
});
