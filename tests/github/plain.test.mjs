// `liftoff push --to git`: any HTTPS git remote, no REST at all, against git's own
// `git http-backend` behind Basic auth (the local GitHub's git side, which accepts any user
// name with a valid token as the password, as GitLab, Gitea and most git servers do). After
// every push the repository is cloned with git, compared byte for byte with what was pushed,
// and checked with `git fsck --strict`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_TOKEN, startGitHub } from '../servers/github.mjs';
import { assertSameFiles, buildCli, cloneAndCheck, filesOf, push, workingCopy } from './helpers.mjs';

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

/** `liftoff push --to git` with GIT_TOKEN (never GITHUB_TOKEN) and a fixed author. */
const pushGit = (dir, url, more = [], env = {}) =>
  push(bin, [dir, '--to', 'git', '--repo', url, '--raw', '--json', ...more], {
    token: '',
    env: { GIT_TOKEN: TOKEN, GIT_AUTHOR_NAME: 'Ada Lovelace', GIT_AUTHOR_EMAIL: 'ada@example.com', ...env },
  });

const remote = (name, user = 'ada') => `${gh.origin.replace('://', `://${user}@`)}/octo/${name}.git`;
const kinds = () => gh.log.map((e) => `${e.method} ${e.path.replace(/^\/octo\/[^/]+\.git\//, '')}`);

test('first push, an incremental one (only what changed is sent), an unchanged one, deletions', async () => {
  gh.createRepo('octo/plain', { defaultBranch: 'trunk' });
  const dir = workingCopy();
  gh.resetStats();
  const first = await pushGit(dir, remote('plain'));
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.json.branch, 'trunk', 'the default branch, from HEAD over ls-refs');
  assert.equal(first.json.repository, `${gh.origin}/octo/plain.git`, 'the URL without the user name');
  assert.equal(first.json.created, false);
  assert.deepEqual(kinds(), [
    'GET info/refs?service=git-upload-pack',
    'POST git-upload-pack',
    'GET info/refs?service=git-receive-pack',
    'POST git-receive-pack',
  ]);
  assert.ok(gh.log.every((e) => !e.path.startsWith('/user') && !e.path.startsWith('/repos')), 'no REST call');
  let clone = await cloneAndCheck(gh, 'octo/plain', TOKEN, 'trunk');
  assertSameFiles(assert, clone.files, filesOf(dir));
  assert.equal(clone.log[0].author, 'Ada Lovelace <ada@example.com>');
  assert.deepEqual(clone.log[0].parents, []);

  // One file changed, one deleted: the head's trees come from a blobless fetch, so the pack
  // holds the changed blob, the trees above it and the commit.
  writeFileSync(join(dir, 'src/App.tsx'), 'export default function App() { return null; }\n');
  rmSync(join(dir, 'index.html'));
  gh.resetStats();
  const second = await pushGit(dir, remote('plain'));
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(kinds(), [
    'GET info/refs?service=git-upload-pack',
    'POST git-upload-pack',
    'GET info/refs?service=git-receive-pack',
    'POST git-upload-pack',
    'POST git-receive-pack',
  ]);
  assert.equal(second.json.objects_sent, 4, 'blob, src/, root tree, commit');
  const changes = Object.fromEntries(second.json.changes.map((c) => [c.path, c.action]));
  assert.equal(changes['src/App.tsx'], 'changed');
  assert.equal(changes['index.html'], 'deleted');
  clone = await cloneAndCheck(gh, 'octo/plain', TOKEN, 'trunk');
  assertSameFiles(assert, clone.files, filesOf(dir));
  assert.deepEqual(clone.log[0].parents, [first.json.commit]);

  // Unchanged: no commit, no receive-pack.
  gh.resetStats();
  const third = await pushGit(dir, remote('plain'));
  assert.equal(third.code, 0, third.stderr);
  assert.equal(third.json.up_to_date, true);
  assert.equal(third.json.commit, second.json.commit);
  assert.ok(!kinds().includes('POST git-receive-pack'));
});

test('a server without partial-clone filters: the whole head is fetched, the result is the same', async () => {
  gh.createRepo('octo/nofilter');
  const dir = workingCopy();
  assert.equal((await pushGit(dir, remote('nofilter'))).code, 0);
  gh.allowFilters(false);
  try {
    writeFileSync(join(dir, 'README.md'), '# changed\n');
    const second = await pushGit(dir, remote('nofilter'));
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.json.objects_sent, 3, 'blob, root tree, commit');
    const clone = await cloneAndCheck(gh, 'octo/nofilter', TOKEN);
    assertSameFiles(assert, clone.files, filesOf(dir));
    assert.equal((await pushGit(dir, remote('nofilter'))).json.up_to_date, true);
  } finally {
    gh.allowFilters(true);
  }
});

test('a branch of its own, the user name from GIT_USERNAME, and --dry-run writes nothing', async () => {
  gh.createRepo('octo/branchy');
  const dir = workingCopy();
  const url = `${gh.origin}/octo/branchy.git`;
  assert.equal((await pushGit(dir, url, [], { GIT_USERNAME: 'grace' })).code, 0);
  writeFileSync(join(dir, 'NOTES.md'), 'notes\n');
  const preview = await pushGit(dir, url, ['--branch', 'liftoff', '--dry-run']);
  assert.equal(preview.code, 0, preview.stderr);
  assert.deepEqual(preview.json.changes.map((c) => [c.path, c.action]), [['NOTES.md', 'added']]);
  assert.equal(gh.head('octo/branchy', 'liftoff'), null, 'nothing written');
  const pushed = await pushGit(dir, url, ['--branch', 'liftoff']);
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.equal(pushed.json.branch, 'liftoff');
  const clone = await cloneAndCheck(gh, 'octo/branchy', TOKEN, 'liftoff');
  assertSameFiles(assert, clone.files, filesOf(dir));
  assert.equal(clone.log[0].parents[0], gh.head('octo/branchy', 'main'));
});

test('bad token, missing repository, missing token, forge-only flags, a bad --to: clear errors, right exit codes, no token shown', async () => {
  gh.createRepo('octo/guarded');
  const dir = workingCopy();
  const bad = await pushGit(dir, remote('guarded'), [], { GIT_TOKEN: 'wrong-token-value' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /the git server refused the token \(401\)/);
  assert.ok(!bad.stderr.includes('wrong-token-value'));
  const missing = await pushGit(dir, remote('nowhere'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /octo\/nowhere\.git was not found/);
  assert.ok(!missing.stderr.includes(TOKEN));
  const noToken = await pushGit(dir, remote('guarded'), [], { GIT_TOKEN: '' });
  assert.equal(noToken.code, 1);
  assert.match(noToken.stderr, /set GIT_TOKEN to the password or access token/);
  for (const flag of [['--create'], ['--pr', '--branch', 'b'], ['--wait']]) {
    const refused = await pushGit(dir, remote('guarded'), flag);
    assert.equal(refused.code, 2, `${flag}: ${refused.stderr}`);
    assert.match(refused.stderr, /needs a forge's API/);
  }
  const withPassword = await pushGit(dir, `${gh.origin.replace('://', '://ada:hunter2@')}/octo/guarded.git`);
  assert.equal(withPassword.code, 1);
  assert.match(withPassword.stderr, /without a password/);
  assert.ok(!withPassword.stderr.includes('hunter2'));
  const unknown = await push(bin, [dir, '--to', 'bitbucket-cloud', '--repo', 'x'], { token: TOKEN });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /possible values: github, git/);
  assert.equal(gh.head('octo/guarded'), null, 'nothing was pushed');
});
