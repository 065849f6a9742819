// The review flow of `liftoff push` against the local GitHub: what a push would change
// (--dry-run, nothing written), a branch and a pull request into the repository's own default
// branch (opened, then updated, never duplicated), the CI verdict (--wait), and a GitHub whose
// trees endpoint answers as GitHub does (the asked sha echoed) or refuses commit ids.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_TOKEN, startGitHub } from '../servers/github.mjs';
import { buildCli, cloneAndCheck, push, workingCopy } from './helpers.mjs';

const TOKEN = DEFAULT_TOKEN;
let bin;
let gh;

before(async () => {
  bin = buildCli();
  gh = await startGitHub({ token: TOKEN });
});

after(async () => {
  await gh?.close();
});

const args = (dir, repo, ...more) => [dir, '--repo', repo, '--api', gh.origin, '--raw', ...more];

/** A project with a secret beside the Bolt fixture's files. */
function project() {
  const dir = workingCopy();
  writeFileSync(join(dir, '.env'), 'VITE_SECRET=do-not-commit\n');
  return dir;
}

test('--dry-run lists added, changed, deleted and binary files and writes nothing', async () => {
  const dir = project();
  let r = await push(bin, args(dir, 'octo/review', '--create', '--json'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  const head = gh.head('octo/review');
  writeFileSync(join(dir, 'index.html'), '<!doctype html>\n<title>changed</title>\n<p>new line</p>\n');
  rmSync(join(dir, 'src/main.tsx'));
  mkdirSync(join(dir, 'public'), { recursive: true });
  writeFileSync(join(dir, 'public/new.bin'), Buffer.from([0, 1, 2, 3, 255]));
  writeFileSync(join(dir, 'NOTES.md'), 'one\ntwo\n');
  gh.resetStats();
  r = await push(bin, args(dir, 'octo/review', '--dry-run', '--json'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  const byPath = Object.fromEntries(r.json.changes.map((c) => [c.path, c]));
  assert.deepEqual(Object.keys(byPath).sort(), ['NOTES.md', 'index.html', 'public/new.bin', 'src/main.tsx']);
  assert.deepEqual(
    { action: byPath['NOTES.md'].action, binary: byPath['NOTES.md'].binary, lines_added: byPath['NOTES.md'].lines_added, lines_removed: byPath['NOTES.md'].lines_removed, size: 8 },
    { action: 'added', binary: false, lines_added: 2, lines_removed: 0, size: byPath['NOTES.md'].size },
  );
  assert.equal(byPath['index.html'].action, 'changed');
  assert.ok(byPath['index.html'].lines_added >= 1 && byPath['index.html'].lines_removed >= 1);
  assert.deepEqual([byPath['public/new.bin'].action, byPath['public/new.bin'].binary, byPath['public/new.bin'].size], ['added', true, 5]);
  assert.equal(byPath['public/new.bin'].lines_added, null);
  assert.equal(byPath['src/main.tsx'].action, 'deleted');
  assert.ok(byPath['src/main.tsx'].lines_removed > 0);
  assert.deepEqual(r.json.excluded.map((e) => e.path), ['.env']);
  assert.equal(r.json.up_to_date, false);
  // Read only: the listing, the old texts of the changed and deleted files; nothing written.
  assert.deepEqual(gh.log.filter((e) => e.kind === 'blob').length, 2);
  assert.ok(!gh.log.some((e) => e.method !== 'GET'), JSON.stringify(gh.log.map((e) => `${e.method} ${e.path}`)));
  assert.equal(gh.head('octo/review'), head);

  // In words, one line a file.
  r = await push(bin, args(dir, 'octo/review', '--dry-run'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^a push to octo\/review \(main\) would change 4 files:\n/);
  assert.match(r.stdout, /\n {2}added {4}NOTES\.md \(\+2 −0\)\n/);
  assert.match(r.stdout, /\n {2}added {4}public\/new\.bin \(binary, 5 bytes\)\n/);
  assert.match(r.stdout, /nothing was written \(--dry-run\)\n$/);

  // Pushed, then previewed again: up to date, said before any push.
  assert.equal((await push(bin, args(dir, 'octo/review'), { token: TOKEN })).code, 0);
  r = await push(bin, args(dir, 'octo/review', '--dry-run', '--json'), { token: TOKEN });
  assert.equal(r.json.up_to_date, true);
  assert.deepEqual(r.json.changes, []);
});

test('--dry-run --create on a missing repository says it would be made, and makes nothing', async () => {
  const dir = project();
  gh.resetStats();
  let r = await push(bin, args(dir, 'octo/not-yet', '--dry-run', '--create', '--json'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.new_repository, true);
  assert.equal(r.json.up_to_date, false);
  assert.ok(r.json.changes.length > 0 && r.json.changes.every((c) => c.action === 'added'));
  assert.ok(!gh.log.some((e) => e.method !== 'GET'), JSON.stringify(gh.log.map((e) => `${e.method} ${e.path}`)));
  assert.equal(gh.head('octo/not-yet'), null);
  r = await push(bin, args(dir, 'octo/not-yet', '--dry-run', '--create'), { token: TOKEN });
  assert.match(r.stdout, /^octo\/not-yet does not exist yet: a push with --create would make it and add \d+ files on main:\n/);
  // Then pushed for real: made, with exactly the files the preview listed.
  r = await push(bin, args(dir, 'octo/not-yet', '--create', '--json'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.created, true);
});

test('an unchanged push makes no commit when the trees endpoint refuses commit ids', async () => {
  const dir = project();
  assert.equal((await push(bin, args(dir, 'octo/enterprise', '--create'), { token: TOKEN })).code, 0);
  const head = gh.head('octo/enterprise');
  gh.treesRefuseCommits(true);
  try {
    gh.resetStats();
    const r = await push(bin, args(dir, 'octo/enterprise', '--json'), { token: TOKEN });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.up_to_date, true);
    assert.equal(gh.head('octo/enterprise'), head);
    const kinds = gh.log.map((e) => `${e.kind} ${e.status}`);
    assert.deepEqual(kinds.slice(0, 2).sort(), ['repo 200', 'user 200']);
    assert.deepEqual(kinds.slice(2), ['info-refs 200', 'tree 422', 'commit 200', 'tree 200']);
  } finally {
    gh.treesRefuseCommits(false);
  }
});

test('--branch --pr: the branch from the default branch (not main), one pull request opened then updated', async () => {
  gh.createRepo('octo/trunked', { defaultBranch: 'trunk' });
  const base = gh.commit('octo/trunked', { 'README.md': '# trunked\n' }, { branch: 'trunk', message: 'Initial commit' });
  const dir = project();
  let r = await push(bin, args(dir, 'octo/trunked', '--branch', 'liftoff', '--pr', '--json'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.branch, 'liftoff');
  assert.deepEqual(
    { number: r.json.pull_request.number, created: r.json.pull_request.created },
    { number: 1, created: true },
  );
  assert.equal(r.json.pull_request.url, `${gh.origin}/octo/trunked/pull/1`);
  const clone = await cloneAndCheck(gh, 'octo/trunked', TOKEN, 'liftoff');
  assert.deepEqual(clone.log[0].parents, [base], 'the branch starts at trunk\'s head');
  let [pull] = gh.pullsOf('octo/trunked');
  assert.deepEqual([pull.head, pull.base, pull.state], ['liftoff', 'trunk', 'open']);
  assert.match(pull.title, /^Export/);
  assert.match(pull.body, /^Exported from Bolt with Liftoff: it builds with npm alone\.\n\n- The builder's files, exactly as they were\.\n/);
  assert.match(pull.body, /### Files\n\n/);
  assert.match(pull.body, /- deleted `README\.md`/);
  assert.equal(gh.head('octo/trunked', 'trunk'), base, 'the default branch is untouched');

  writeFileSync(join(dir, 'NOTES.md'), 'more\n');
  r = await push(bin, args(dir, 'octo/trunked', '--branch', 'liftoff', '--pr'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\npull request #1 updated: .*\/octo\/trunked\/pull\/1\n$/);
  assert.equal(gh.pullsOf('octo/trunked').length, 1, 'updated, not duplicated');
  [pull] = gh.pullsOf('octo/trunked');
  assert.match(pull.body, /- added `NOTES\.md` \(\+1 −0\)/);

  // The default branch cannot be a pull request's head.
  r = await push(bin, args(dir, 'octo/trunked', '--branch', 'trunk', '--pr'), { token: TOKEN });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /trunk is the repository's default branch/);
  // --pr without --branch is bad usage.
  r = await push(bin, args(dir, 'octo/trunked', '--pr'), { token: TOKEN });
  assert.equal(r.code, 2);
});

test('--wait follows the checks: queued then passed exits 0, a failure exits 1 naming the check', async () => {
  const dir = project();
  gh.setChecks('*', (reads) =>
    reads < 2 ? [{ name: 'build', status: 'queued' }] : [{ name: 'build', status: 'completed', conclusion: 'success' }],
  );
  let r = await push(bin, args(dir, 'octo/ci', '--create', '--wait', '--json'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.checks.state, 'passed');
  assert.deepEqual(r.json.checks.checks.map((c) => [c.name, c.conclusion]), [['build', 'success']]);

  writeFileSync(join(dir, 'NOTES.md'), 'breaks the build\n');
  gh.setChecks('*', (reads) =>
    reads < 2 ? [{ name: 'build', status: 'in_progress' }] : [{ name: 'build', status: 'completed', conclusion: 'failure' }],
  );
  r = await push(bin, args(dir, 'octo/ci', '--wait'), { token: TOKEN });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /\nchecks: failed \(1 check\)\nfailing: build .*\/octo\/ci\/runs\/1\n$/);
  assert.match(r.stderr, /the checks of commit [0-9a-f]{40} failed: build \(/);
  gh.setChecks('*', []);
});
