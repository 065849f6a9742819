// The committed fixture must be what its generator makes from expected/ (no hand edits, no drift).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { historyText } from '../fixtures/bolt/make-history.mjs';

test('history.json is up to date with expected/ (node tests/fixtures/bolt/make-history.mjs)', () => {
  const committed = readFileSync(new URL('../fixtures/bolt/history.json', import.meta.url), 'utf8');
  assert.ok(committed === historyText(), 'history.json is stale: run node tests/fixtures/bolt/make-history.mjs');
});
