// background/wording/errors.js (with messages.js): every error code of the core in the user's
// words, the builder and the destination named as the catalog names them, and the facts taken
// from the error's own fields only (never read out of its sentence).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { builderOf, destinationOf } from '../../extension/background/core/catalog.js';
import { UserError, explain, explainDatabase, explainDeploy, explainPush, sentenceFor } from '../../extension/background/wording/errors.js';
import { checksUnread, noHistory, noProjectOpen, notReachable, signedOut } from '../../extension/background/wording/messages.js';
import { catalog } from './fakes/wasm.js';

/** An error as the core throws it: an Error with a stable code, and maybe more fields. */
const coreError = (code, message = `core says ${code}`, fields = {}) => Object.assign(new Error(message), { code }, fields);

const entries = {};
before(async () => {
  for (const id of ['bolt', 'lovable', 'base44']) entries[id] = await builderOf(id);
  for (const id of ['vercel', 'netlify']) entries[id] = await destinationOf(id);
});

describe('builder sentences, from the catalog entry', () => {
  test('no project open, signed out, no history, nothing reachable', () => {
    assert.equal(noProjectOpen(entries.lovable), 'Open a Lovable project (lovable.dev/projects/…) in this tab and try again.');
    assert.equal(noProjectOpen(entries.base44), 'Open a Base44 app (app.base44.com/apps/…) in this tab and try again.');
    assert.equal(noProjectOpen({ ...entries.base44, name: 'Acme', word: 'app' }), 'Open an Acme app (app.base44.com/apps/…) in this tab and try again.');
    assert.equal(signedOut(entries.lovable), 'Sign in to Lovable in this tab, then try again.');
    assert.equal(
      noHistory(entries.bolt),
      'This page holds no Bolt project that Liftoff can read. Download the project from Bolt, then drop the zip here.',
    );
    assert.equal(
      notReachable(catalog().builders),
      'No Bolt, Lovable or Base44 project is open in this tab. Open one (reload the tab if it was open before Liftoff was installed) and try again, or export a zip you downloaded.',
    );
    assert.match(notReachable([entries.bolt]), /^No Bolt project is open/);
  });
});

describe('sentenceFor (an export)', () => {
  const cases = {
    'bad-token': [/^Lovable refused the session of this tab \(401\)/],
    forbidden: [/^Lovable does not let the account signed in here export this project/],
    'not-found': [/^Lovable could not find this project/],
    redirected: [/never follows a redirect with your session/],
    unreachable: [/^Liftoff could not reach Lovable\./],
    'http-error': [/^Lovable answered with an error \(HTTP 503\)\./, { status: 503 }],
    malformed: [/download the project from Lovable and export the zip/],
    'too-large': [/larger than Liftoff can export/],
    'bad-archive': [/damaged, or is not a zip, tar or tar\.gz/],
    'unknown-input': [/not a project Liftoff can read/],
    empty: [/no files to export/],
    'bad-id': [/does not hold a valid project id\. Open the project in the Lovable editor/],
  };
  for (const [code, [expected, fields]] of Object.entries(cases)) {
    test(code, () => {
      assert.match(sentenceFor(coreError(code, 'x', fields), 'The export failed', { builder: entries.lovable }), expected);
    });
  }

  test("a history's codes name the builder, its host and its word", () => {
    assert.equal(
      sentenceFor(coreError('unknown-chat'), 'x', { builder: entries.bolt }),
      'This chat is not in the Bolt history of this browser. Open it from your chat list on bolt.new, or download the project from Bolt and drop the zip here.',
    );
    assert.equal(
      sentenceFor(coreError('bad-history'), 'x', { builder: entries.bolt }),
      "Bolt's saved history in this browser could not be read. Download the project from Bolt, then drop the zip here.",
    );
    assert.equal(sentenceFor(coreError('unknown-chat', 'the core says so'), 'x', { builder: null }), 'the core says so');
  });

  test('a dropped file names no builder', () => {
    assert.match(sentenceFor(coreError('unreachable'), 'x', { builder: null }), /^Liftoff could not reach the builder\./);
    assert.match(sentenceFor(coreError('forbidden'), 'x'), /^The builder does not let/);
  });

  test('the HTTP status is the error\'s field only, never read from its sentence', () => {
    assert.match(sentenceFor(coreError('http-error', 'Lovable answered 500 for x: y', { status: 429 }), 'x', { builder: entries.lovable }), /\(HTTP 429\)/);
    assert.match(sentenceFor(coreError('http-error', 'Lovable answered 500 for x: y'), 'x', { builder: entries.lovable }), /answered with an error\. Try again/);
  });

  test("an unknown code, or none, keeps the core's sentence; anything else says its name only", () => {
    assert.equal(sentenceFor(coreError('something-new', 'The core explains it.'), 'x'), 'The core explains it.');
    assert.equal(sentenceFor('a bare string from wasm-bindgen', 'x'), 'a bare string from wasm-bindgen');
    assert.equal(sentenceFor(new TypeError('secret page data'), 'The export failed'), 'The export failed (TypeError).');
    assert.equal(sentenceFor(undefined, 'The export failed'), 'The export failed (unknown error).');
    assert.equal(sentenceFor(new UserError('Ours.'), 'x'), 'Ours.');
  });

  test('explain keeps the code and lets a UserError through', () => {
    const explained = explain(coreError('empty'), { builder: entries.bolt });
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

  test('a pull request without a branch of its own: the default branch named, or a branch to name; nothing pushed', () => {
    // The core's sentence speaks of --branch (the CLI's); the popup's has a Branch field.
    const fromDefault = coreError('pr-needs-branch', 'trunk is the repository\'s default branch: … name one with --branch');
    assert.equal(
      explainPush(fromDefault, { ...push, branch: 'trunk' }).message,
      '“trunk” is the default branch of octo/app: a pull request goes from another branch into it. Name another branch, such as “liftoff”. Nothing was pushed.',
    );
    assert.equal(explainPush(fromDefault, { ...push, branch: 'trunk' }).code, 'pr-needs-branch');
    assert.equal(
      explainPush(coreError('pr-needs-branch'), { ...push, branch: '' }).message,
      'A pull request needs a branch of its own. Name one, such as “liftoff”. Nothing was pushed.',
    );
  });

  test('the push landed, the pull request did not: the sentence says both', () => {
    const explained = explainPush(coreError('pull-request-failed', 'pushed to dev of octo/app (commit abc), but GitHub did not open … --pr'), push);
    assert.equal(
      explained.message,
      'Pushed to dev of octo/app, but GitHub did not open or update the pull request. Open it from dev on GitHub, or push again to try once more.',
    );
    assert.equal(explained.code, 'pull-request-failed');
  });

  test('not-found when creating names the owner', () => {
    assert.match(explainPush(coreError('not-found'), { ...push, create: true }).message, /^GitHub could not find octo, or the token cannot see it/);
  });

  test('rate-limited: until the reset, for some seconds, or neither: the fields only', () => {
    const until = coreError('rate-limited', 'used up until 2025-01-01 00:00 UTC', { reset: '2025-04-01 12:00 UTC' });
    assert.match(explainPush(until, push).message, /used up until 2025-04-01 12:00 UTC\. Push again after that\./);
    assert.match(explainPush(coreError('rate-limited', 'wait 99 seconds', { wait: 30 }), push).message, /Wait 30 seconds, then push again/);
    assert.match(explainPush(coreError('rate-limited', 'wait 1 second', { wait: 1 }), push).message, /Wait 1 second, then push again/);
    assert.match(explainPush(coreError('rate-limited', 'wait 99 seconds'), push).message, /Wait a few minutes, then push again/);
  });

  test("an unknown code gives the core's clause as a sentence; anything else the error's name", () => {
    const explained = explainPush(coreError('rejected', 'the server rejected the update: hook declined'), push);
    assert.equal(explained.message, 'The server rejected the update: hook declined.');
    assert.equal(explained.code, 'rejected');
    assert.equal(explainPush(coreError('bad-repository', "'x' is not a repository name"), push).message, "'x' is not a repository name.");
    assert.equal(explainPush(new RangeError('x'), push).message, 'The push failed (RangeError).');
  });
});

describe('checksUnread (the CI verdict could not be followed)', () => {
  test('no token, a token without the checks permissions, anything else: the push itself is done', () => {
    assert.match(checksUnread('no-token'), /^Liftoff cannot follow the checks without a GitHub token\./);
    assert.match(checksUnread('forbidden'), /Checks and Commit statuses set to “Read-only”/);
    for (const code of ['http-error', 'unreachable', undefined]) assert.match(checksUnread(code), /^Liftoff could not read this commit’s checks\./);
    for (const code of ['no-token', 'forbidden', 'malformed']) assert.match(checksUnread(code), /The push itself is done: see the commit on GitHub\.$/);
  });
});

describe('explainDeploy', () => {
  const deploy = () => ({ kind: 'deploy', destination: entries.vercel, project: 'my-app' });
  const netlify = () => ({ kind: 'rollback', destination: entries.netlify, project: 'my-site' });
  const cases = {
    'no-token': [deploy, /^Liftoff needs a Vercel token to do this/],
    'bad-token': [netlify, /^Netlify refused the token: .* then roll back again\./],
    forbidden: [deploy, /^The Vercel token may not use the project my-app\. Check that the token has access to the team/],
    'not-found': [netlify, /^Netlify has no site my-site that this token can see/],
    'nothing-to-roll-back': [netlify, /^my-site has no earlier production deployment on Netlify/],
    redirected: [deploy, /never follows a redirect with your token\. Production was not changed\./],
    unreachable: [() => ({ ...deploy(), kind: 'history' }), /^Liftoff could not reach Vercel\. Check your connection, then open History again\.$/],
    malformed: [deploy, /^Vercel sent an answer Liftoff could not read/],
  };
  for (const [code, [run, expected]] of Object.entries(cases)) {
    test(code, () => {
      const explained = explainDeploy(coreError(code), run());
      assert.match(explained.message, expected);
      assert.equal(explained.code, code);
      assert.equal(explained.deployment, undefined);
    });
  }

  test('forbidden without teams: the name belongs to another account', () => {
    assert.match(explainDeploy(coreError('forbidden'), netlify()).message, /^The Netlify token may not use the site my-site: it belongs to another account/);
  });

  test("build-failed: the provider's words and the deployment, from the fields", () => {
    const error = coreError('build-failed', 'Vercel: the build of deployment dpl_0 failed (X): not this', {
      detail: 'npm run build exited with 1',
      deployment: { id: 'dpl_123', state: 'ERROR' },
    });
    const explained = explainDeploy(error, deploy());
    assert.equal(explained.message, 'The build failed on Vercel: npm run build exited with 1. Production still serves the previous deployment.');
    assert.deepEqual(explained.deployment, { id: 'dpl_123', state: 'ERROR' });
    const bare = explainDeploy(coreError('build-failed', 'deployment dpl_9 failed (ERROR): x; production still serves'), deploy());
    assert.equal(bare.message, 'The build failed on Vercel. Production still serves the previous deployment.');
    assert.equal(bare.deployment, undefined);
    const punctuated = explainDeploy(coreError('build-failed', 'x', { detail: 'Module not found!', deployment: { id: 'dpl_9', state: 'CANCELED' } }), deploy());
    assert.equal(punctuated.message, 'The build failed on Vercel: Module not found! Production still serves the previous deployment.');
    assert.deepEqual(punctuated.deployment, { id: 'dpl_9', state: 'CANCELED' });
  });

  test('timed-out: the last state from the field, TIMED_OUT for History', () => {
    const explained = explainDeploy(coreError('timed-out', 'late', { deployment: { id: 'd1', state: 'QUEUED' } }), { ...netlify(), kind: 'deploy' });
    assert.match(explained.message, /^Netlify did not finish the build in time \(last state QUEUED\)\./);
    assert.deepEqual(explained.deployment, { id: 'd1', state: 'TIMED_OUT' });
  });

  test("bad-name: the rule's clause from the field", () => {
    assert.match(explainDeploy(coreError('bad-name', 'x', { why: 'too long' }), deploy()).message, /^“my-app” cannot be a Vercel project name: too long\. Change the name/);
    assert.match(explainDeploy(coreError('bad-name', 'is not a valid name: not read'), netlify()).message, /^“my-site” cannot be a Netlify site name\. Change/);
  });

  test('http-error: the status from the field', () => {
    assert.match(explainDeploy(coreError('http-error', 'x', { status: 418 }), deploy()).message, /\(HTTP 418\)/);
    assert.match(explainDeploy(coreError('http-error', 'Vercel answered 502 for the upload'), deploy()).message, /answered with an error\. Try again/);
  });

  test('a promotion: refused before anything changed, one that did not take, a preview that went live', () => {
    const promote = () => ({ kind: 'promote', destination: entries.vercel, project: 'my-app' });
    const refused = explainDeploy(coreError('not-promotable', 'x', { why: 'it is BUILDING, not READY' }), promote());
    assert.equal(refused.message, 'Vercel cannot make that deployment production as it is: it is BUILDING, not READY. Production was not changed.');
    const failed = explainDeploy(coreError('promote-failed', 'x', { detail: "Vercel's alias job failed" }), promote());
    assert.match(failed.message, /^Vercel did not switch production to the preview \(Vercel's alias job failed\)\. Production still serves what it served; promote again/);
    // The core's own sentence says whether the previous deploy was put back.
    const live = explainDeploy(coreError('preview-went-live', 'Netlify built preview d2 as production; deployment d1 was put back in production'), deploy());
    assert.match(live.message, /d1 was put back in production/);
    assert.equal(explainDeploy(new TypeError('x'), promote()).message, 'The promotion failed (TypeError).');
  });

  test("an unknown code: the core's clause; anything else: which run failed", () => {
    assert.equal(explainDeploy(coreError('new-code', 'something odd happened'), deploy()).message, 'Something odd happened.');
    assert.equal(explainDeploy(new TypeError('x'), netlify()).message, 'The rollback failed (TypeError).');
    assert.equal(explainDeploy(new TypeError('x'), deploy()).message, 'The deployment failed (TypeError).');
  });
});

describe('explainDatabase', () => {
  const run = { ref: 'abcdefghij0123456789' };
  const cases = {
    'no-token': /^Liftoff needs a Supabase access token/,
    'bad-token': /^Supabase refused the access token/,
    forbidden: /may not use the project abcdefghij0123456789/,
    'not-found': /^Supabase has no project abcdefghij0123456789/,
    'no-sql': /^This export holds no SQL/,
    redirected: /^Supabase sent the request somewhere else/,
    unreachable: /^Liftoff could not reach Supabase/,
    'http-error': /^Supabase answered with an error \(HTTP 500\)/,
    malformed: /^Supabase sent an answer Liftoff could not read/,
  };
  for (const [code, expected] of Object.entries(cases)) {
    test(code, () => {
      const explained = explainDatabase(coreError(code, 'Supabase answered 400 for the query: oops', { status: 500 }), run);
      assert.match(explained.message, expected);
      assert.equal(explained.code, code);
      assert.deepEqual(explained.applied, []);
      assert.equal(explained.detail, undefined);
    });
  }

  test('statement-failed: the file and the statement from the fields, and what was applied before', () => {
    const message =
      'supabase/migrations/0002_todos.sql, statement 3 (line 12) failed: relation "x" does not exist\n' +
      '  the statement: insert into x values (1)\n' +
      '  nothing from supabase/migrations/0002_todos.sql was applied';
    const fields = { file: 'supabase/migrations/0002_todos.sql', statement: 'insert into x values (1)', applied: ['supabase/migrations/0001_init.sql'] };
    const explained = explainDatabase(coreError('statement-failed', message, fields), run);
    assert.equal(
      explained.message,
      'supabase/migrations/0002_todos.sql, statement 3 (line 12) failed: relation "x" does not exist. ' +
        'Nothing from supabase/migrations/0002_todos.sql was applied. ' +
        'Applied before the failure, and kept: supabase/migrations/0001_init.sql.',
    );
    assert.equal(explained.detail, 'insert into x values (1)');
    assert.deepEqual(explained.applied, ['supabase/migrations/0001_init.sql']);
  });

  test('statement-failed without the fields: no file, no detail', () => {
    const explained = explainDatabase(coreError('statement-failed', 'supabase/seed.sql, statement 1 (line 1) failed: no\n  the statement: select 1'), run);
    assert.equal(explained.message, 'Supabase/seed.sql, statement 1 (line 1) failed: no. Nothing from that file was applied.');
    assert.equal(explained.detail, undefined);
  });

  test("bad-project-ref and other codes: the core's first line as a sentence; anything else: its name", () => {
    assert.equal(explainDatabase(coreError('bad-project-ref', "'abc' is not a Supabase project reference"), run).message, "'abc' is not a Supabase project reference.");
    assert.equal(explainDatabase(coreError('ledger-failed', 'the ledger could not be read\nmore'), run).message, 'The ledger could not be read.');
    assert.equal(explainDatabase(new TypeError('x'), run).message, 'Putting the database in Supabase failed (TypeError).');
  });
});
