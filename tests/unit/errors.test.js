// background/wording/errors.js (with messages.js and shared/core-rules.js): every error code of
// the core in the user's words, the facts read out of the core's sentences or, first, out of the
// error's own fields.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError, explain, explainDatabase, explainDeploy, explainPush, sentenceFor } from '../../extension/background/wording/errors.js';

/** An error as the core throws it: an Error with a stable code, and maybe more fields. */
const coreError = (code, message = `core says ${code}`, fields = {}) => Object.assign(new Error(message), { code }, fields);

describe('sentenceFor (an export)', () => {
  const cases = {
    'bad-token': [/^Sign in to Lovable again in this tab/],
    forbidden: [/^Lovable does not let the account signed in here export this project/],
    'not-found': [/^Lovable could not find this project/],
    redirected: [/never follows a redirect with your session/],
    unreachable: [/^Liftoff could not reach Lovable\./],
    'http-error': [/^Lovable answered with an error \(HTTP 503\)\./, 'Lovable answered 503 for the file list: busy'],
    malformed: [/download the project from Lovable and export the zip/],
    'too-large': [/larger than Liftoff can export/],
    'bad-archive': [/damaged, or is not a zip, tar or tar\.gz/],
    'unknown-input': [/not a project Liftoff can read/],
    empty: [/no files to export/],
    'unknown-chat': [/not in the Bolt history of this browser/],
    'bad-history': [/saved history in this browser could not be read/],
    'bad-id': [/does not hold a valid project id\. Open the project in the Lovable editor/],
  };
  for (const [code, [expected, message]] of Object.entries(cases)) {
    test(code, () => {
      assert.match(sentenceFor(coreError(code, message), 'The export failed', { builder: 'lovable' }), expected);
    });
  }

  test('a dropped file names no builder', () => {
    assert.match(sentenceFor(coreError('unreachable'), 'x', { builder: null }), /^Liftoff could not reach the builder\./);
    assert.match(sentenceFor(coreError('forbidden'), 'x'), /^The builder does not let/);
  });

  test('the HTTP status is read from the error first, then from the sentence', () => {
    assert.match(sentenceFor(coreError('http-error', 'Lovable answered 500 for x: y', { status: 429 }), 'x', { builder: 'lovable' }), /\(HTTP 429\)/);
    assert.match(sentenceFor(coreError('http-error', 'no status here'), 'x', { builder: 'lovable' }), /answered with an error\. Try again/);
  });

  test("an unknown code, or none, keeps the core's sentence; anything else says its name only", () => {
    assert.equal(sentenceFor(coreError('something-new', 'The core explains it.'), 'x'), 'The core explains it.');
    assert.equal(sentenceFor('a bare string from wasm-bindgen', 'x'), 'a bare string from wasm-bindgen');
    assert.equal(sentenceFor(new TypeError('secret page data'), 'The export failed'), 'The export failed (TypeError).');
    assert.equal(sentenceFor(undefined, 'The export failed'), 'The export failed (unknown error).');
    assert.equal(sentenceFor(new UserError('Ours.'), 'x'), 'Ours.');
  });

  test('explain keeps the code and lets a UserError through', () => {
    const explained = explain(coreError('empty'), { builder: 'bolt' });
    assert.ok(explained instanceof UserError);
    assert.equal(explained.code, 'empty');
    const ours = new UserError('Ours.');
    assert.equal(explain(ours, {}), ours);
  });
});

describe('explainPush', () => {
  const push = { repository: 'octo/app', branch: 'dev', create: false };
  const cases = {
    'bad-token': /^GitHub refused the token/,
    'not-found': /^GitHub has no repository octo\/app that this token can see/,
    forbidden: /^The token may not push to octo\/app/,
    'cannot-create': /^The token may not create repositories for octo/,
    'name-taken': /^octo\/app cannot be created: the name is taken/,
    'branch-moved': /^Someone else kept pushing to dev of octo\/app/,
    'bad-repository': /^Write the repository as owner\/name/,
    'bad-branch': /^“dev” is not a valid branch name/,
    'unsafe-clone-url': /will not send your token to/,
    redirected: /^GitHub sent the request somewhere else/,
    unreachable: /^Liftoff could not reach GitHub/,
    'http-error': /^GitHub answered with an error/,
    malformed: /^GitHub sent an answer Liftoff could not read/,
  };
  for (const [code, expected] of Object.entries(cases)) {
    test(code, () => {
      const explained = explainPush(coreError(code), push);
      assert.match(explained.message, expected);
      assert.equal(explained.code, code);
    });
  }

  test('not-found when creating names the owner', () => {
    assert.match(explainPush(coreError('not-found'), { ...push, create: true }).message, /^GitHub could not find octo, or the token cannot see it/);
  });

  test('rate-limited: until a time, for some seconds, or neither', () => {
    const until = coreError('rate-limited', 'GitHub: the rate limit is used up until 2025-04-01 12:00 UTC');
    assert.match(explainPush(until, push).message, /used up until 2025-04-01 12:00 UTC\. Push again after that\./);
    assert.match(explainPush(coreError('rate-limited', 'GitHub asked to wait 30 seconds'), push).message, /Wait 30 seconds, then push again/);
    assert.match(explainPush(coreError('rate-limited', 'limited'), push).message, /Wait a few minutes, then push again/);
  });

  test("an unknown code gives the core's clause as a sentence; anything else the error's name", () => {
    const explained = explainPush(coreError('rejected', 'the server rejected the update: hook declined'), push);
    assert.equal(explained.message, 'The server rejected the update: hook declined.');
    assert.equal(explained.code, 'rejected');
    assert.equal(explainPush(new RangeError('x'), push).message, 'The push failed (RangeError).');
  });
});

describe('explainDeploy', () => {
  const deploy = { kind: 'deploy', provider: 'vercel', project: 'my-app' };
  const netlify = { kind: 'rollback', provider: 'netlify', project: 'my-site' };
  const cases = {
    'no-token': [deploy, /^Liftoff needs a Vercel token to do this/],
    'bad-token': [netlify, /^Netlify refused the token: .* then roll back again\./],
    forbidden: [deploy, /^The Vercel token may not use the project my-app/],
    'not-found': [netlify, /^Netlify has no site my-site that this token can see/],
    'nothing-to-roll-back': [netlify, /^my-site has no earlier production deployment on Netlify/],
    redirected: [deploy, /never follows a redirect with your token\. Production was not changed\./],
    unreachable: [{ ...deploy, kind: 'history' }, /^Liftoff could not reach Vercel\. Check your connection, then open History again\.$/],
    malformed: [deploy, /^Vercel sent an answer Liftoff could not read/],
  };
  for (const [code, [run, expected]] of Object.entries(cases)) {
    test(code, () => {
      const explained = explainDeploy(coreError(code), run);
      assert.match(explained.message, expected);
      assert.equal(explained.code, code);
      assert.equal(explained.deployment, undefined);
    });
  }

  test('forbidden on Netlify: the site belongs to another account', () => {
    assert.match(explainDeploy(coreError('forbidden'), netlify).message, /it belongs to another account/);
  });

  test("build-failed: the provider's reason and the deployment, from the sentence", () => {
    const error = coreError(
      'build-failed',
      'Vercel: the build of deployment dpl_123 failed (ERROR): npm run build exited with 1; production still serves the previous deployment',
    );
    const explained = explainDeploy(error, deploy);
    assert.equal(explained.message, 'The build failed on Vercel: npm run build exited with 1. Production still serves the previous deployment.');
    assert.deepEqual(explained.deployment, { id: 'dpl_123', state: 'ERROR' });
  });

  test('build-failed: the fields first, when the core sets them', () => {
    const error = coreError('build-failed', 'Vercel: it failed', { why: 'Module not found!', deployment: { id: 'dpl_9', state: 'CANCELED' } });
    const explained = explainDeploy(error, deploy);
    assert.equal(explained.message, 'The build failed on Vercel: Module not found! Production still serves the previous deployment.');
    assert.deepEqual(explained.deployment, { id: 'dpl_9', state: 'CANCELED' });
  });

  test('timed-out: the last state in the sentence, TIMED_OUT for History', () => {
    const error = coreError('timed-out', 'Netlify: deployment 65ab was not ready after 15 minutes (last state building)');
    const explained = explainDeploy(error, { ...netlify, kind: 'deploy' });
    assert.match(explained.message, /^Netlify did not finish the build in time \(last state building\)\./);
    assert.deepEqual(explained.deployment, { id: '65ab', state: 'TIMED_OUT' });
    const fromFields = explainDeploy(coreError('timed-out', 'late', { deployment: { id: 'd1', state: 'QUEUED' } }), deploy);
    assert.match(fromFields.message, /\(last state QUEUED\)/);
    assert.deepEqual(fromFields.deployment, { id: 'd1', state: 'TIMED_OUT' });
  });

  test("bad-name: the provider's rule, from the field or the sentence", () => {
    const sentence = coreError('bad-name', 'Netlify: My Site is not a valid name: lower-case letters only');
    assert.match(explainDeploy(sentence, netlify).message, /^“my-site” cannot be a Netlify site name: lower-case letters only\. Change the name/);
    assert.match(explainDeploy(coreError('bad-name', 'x', { why: 'too long' }), deploy).message, /Vercel project name: too long\./);
  });

  test('http-error: the status from the field or the sentence', () => {
    assert.match(explainDeploy(coreError('http-error', 'Vercel answered 502 for the upload: bad gateway'), deploy).message, /\(HTTP 502\)/);
    assert.match(explainDeploy(coreError('http-error', 'x', { status: 418 }), deploy).message, /\(HTTP 418\)/);
  });

  test("an unknown code: the core's clause; anything else: which run failed", () => {
    assert.equal(explainDeploy(coreError('new-code', 'something odd happened'), deploy).message, 'Something odd happened.');
    assert.equal(explainDeploy(new TypeError('x'), netlify).message, 'The rollback failed (TypeError).');
    assert.equal(explainDeploy(new TypeError('x'), deploy).message, 'The deployment failed (TypeError).');
  });
});

describe('explainDatabase', () => {
  const run = { ref: 'abcdefghij0123456789' };
  const cases = {
    'no-token': /^Liftoff needs a Supabase access token/,
    'bad-token': /^Supabase refused the access token/,
    forbidden: /may not use the project abcdefghij0123456789/,
    'not-found': /^Supabase has no project abcdefghij0123456789/,
    'bad-project-ref': /^A Supabase project ref is 20 lower-case letters and digits/,
    'no-sql': /^This export holds no SQL/,
    redirected: /^Supabase sent the request somewhere else/,
    unreachable: /^Liftoff could not reach Supabase/,
    'http-error': /^Supabase answered with an error \(HTTP 500\)/,
    malformed: /^Supabase sent an answer Liftoff could not read/,
  };
  for (const [code, expected] of Object.entries(cases)) {
    test(code, () => {
      const explained = explainDatabase(coreError(code, 'Supabase answered 500 for the query: oops'), run);
      assert.match(explained.message, expected);
      assert.equal(explained.code, code);
      assert.deepEqual(explained.applied, []);
      assert.equal(explained.detail, undefined);
    });
  }

  test('statement-failed: the file, the statement as detail, and what was applied before', () => {
    const message =
      'supabase/migrations/0002_todos.sql, statement 3 (line 12) failed: relation "x" does not exist\n' +
      '  the statement: insert into x values (1)\n' +
      '  nothing from supabase/migrations/0002_todos.sql was applied';
    const explained = explainDatabase(coreError('statement-failed', message, { applied: ['supabase/migrations/0001_init.sql'] }), run);
    assert.equal(
      explained.message,
      'supabase/migrations/0002_todos.sql, statement 3 (line 12) failed: relation "x" does not exist. ' +
        'Nothing from supabase/migrations/0002_todos.sql was applied. ' +
        'Applied before the failure, and kept: supabase/migrations/0001_init.sql.',
    );
    assert.equal(explained.detail, 'insert into x values (1)');
    assert.deepEqual(explained.applied, ['supabase/migrations/0001_init.sql']);
  });

  test('statement-failed: the statement field first', () => {
    const explained = explainDatabase(coreError('statement-failed', 'supabase/seed.sql, statement 1 (line 1) failed: no', { statement: 'select 1' }), run);
    assert.equal(explained.detail, 'select 1');
    assert.match(explained.message, /Nothing from supabase\/seed\.sql was applied\.$/);
  });

  test("an unknown code: the core's first line as a sentence; anything else: its name", () => {
    assert.equal(explainDatabase(coreError('ledger-failed', 'the ledger could not be read\nmore'), run).message, 'The ledger could not be read.');
    assert.equal(explainDatabase(new TypeError('x'), run).message, 'Putting the database in Supabase failed (TypeError).');
  });
});
