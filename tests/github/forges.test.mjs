// `liftoff push --to gitea` and `--to gitlab` against local stand-ins of both forges
// (tests/servers/gitea.mjs, tests/servers/gitlab.mjs: their REST subsets in front of git's own
// http-backend). After every push the repository is cloned with git, compared byte for byte
// with what was pushed, and checked with `git fsck --strict`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_TOKEN as GITEA_TOKEN, startGitea } from '../servers/gitea.mjs';
import { DEFAULT_GROUPS, DEFAULT_TOKEN as GITLAB_TOKEN, startGitLab } from '../servers/gitlab.mjs';
import { assertSameFiles, buildCli, cloneAndCheck, filesOf, push, workingCopy } from './helpers.mjs';

const BAD_GITEA_TOKEN = '0badc0de0badc0de0badc0de0badc0de0badc0d';
const BAD_GITLAB_TOKEN = 'glpat-WrongTokenValue_9876';
const GIT_KINDS = new Set(['info-refs', 'upload-pack', 'receive-pack']);
let bin;
let gt;
let gl;

before(async () => {
  bin = buildCli();
  gt = await startGitea({ orgs: ['acme'], readOnlyOrgs: ['viewers'] });
  gl = await startGitLab({
    groups: [
      ...DEFAULT_GROUPS,
      { path: 'closed', name: 'Closed', visibility: 'private' },
      { path: 'strangers', access: null },
      { path: 'viewers', access: 'reporter' },
    ],
  });
});

after(async () => {
  await gt?.close();
  await gl?.close();
});

/** `liftoff push --to gitea` with GITEA_TOKEN (GITHUB_TOKEN empty). */
const pushGitea = (dir, repo, more = [], { token = GITEA_TOKEN, api = gt.origin } = {}) =>
  push(bin, [dir, '--to', 'gitea', '--repo', repo, '--api', api, '--raw', '--json', ...more], {
    token: '',
    env: { GITEA_TOKEN: token, GITLAB_TOKEN: '' },
  });

/** `liftoff push --to gitlab` with GITLAB_TOKEN (GITHUB_TOKEN empty). */
const pushGitLab = (dir, repo, more = [], { token = GITLAB_TOKEN, api = gl.base } = {}) =>
  push(bin, [dir, '--to', 'gitlab', '--repo', repo, '--api', api, '--raw', '--json', ...more], {
    token: '',
    env: { GITLAB_TOKEN: token, GITEA_TOKEN: '' },
  });

const cloneGitea = (path, branch = 'main') => cloneAndCheck(gt, path, GITEA_TOKEN, branch);
const cloneGitLab = (path, branch = 'main', forge = gl) => cloneAndCheck(forge, path, GITLAB_TOKEN, branch, { base: forge.base, user: 'oauth2' });

/** Asserts no token (the good ones, and `more`) appears in what the CLI printed. */
function assertNoToken(r, ...more) {
  for (const token of [GITEA_TOKEN, GITLAB_TOKEN, ...more]) {
    assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token), 'a token was printed');
  }
}

/** The log as "METHOD path" past the repository's git URL ("GET info/refs?service=..."). */
const steps = (forge) =>
  forge.log.map((e) => `${e.method} ${GIT_KINDS.has(e.kind) ? e.path.replace(/^.*\.git\//, '') : e.kind}`);

/** The first two requests (the user and the repository, asked in parallel), sorted. */
const firstTwo = (forge) => forge.log.slice(0, 2).map((e) => e.kind).sort();

/** One changed file and one deleted: a blob, src/, the root tree and the commit to send. */
function editAndDelete(dir) {
  writeFileSync(join(dir, 'src/App.tsx'), 'export default function App() { return null; }\n');
  rmSync(join(dir, 'index.html'));
}

const INCREMENTAL_STEPS = [
  'GET info/refs?service=git-receive-pack',
  'GET info/refs?service=git-upload-pack',
  'POST git-upload-pack',
  'POST git-receive-pack',
];

async function api(forge, path) {
  const headers = forge === gt ? { authorization: `token ${GITEA_TOKEN}` } : { 'private-token': GITLAB_TOKEN };
  const base = forge === gt ? `${gt.origin}/api/v1` : `${forge.base}/api/v4`;
  const response = await fetch(`${base}${path}`, { headers });
  return { status: response.status, json: await response.json() };
}

test('Gitea: --create makes the repository and the first push lands; a re-push sends only what changed; an unchanged one sends nothing', async () => {
  const dir = workingCopy();
  gt.resetStats();
  let r = await pushGitea(dir, 'gitty/site', ['--create', '--private', '-m', 'First export']);
  assert.equal(r.code, 0, r.stderr);
  assertNoToken(r);
  const first = r.json;
  assert.deepEqual(
    { created: first.created, up_to_date: first.up_to_date, branch: first.branch, repository: first.repository },
    { created: true, up_to_date: false, branch: 'main', repository: 'gitty/site' },
  );
  assert.match(first.commit, /^[0-9a-f]{40}$/);
  assert.equal(first.url, `${gt.origin}/gitty/site/commit/${first.commit}`);
  assert.deepEqual(firstTwo(gt), ['repo', 'user']);
  assert.deepEqual(steps(gt).slice(2), ['POST create', 'GET info/refs?service=git-receive-pack', 'POST git-receive-pack']);
  const create = gt.log.find((e) => e.kind === 'create');
  assert.equal(create.path, '/api/v1/user/repos');
  assert.deepEqual({ name: create.json.name, private: create.json.private, auto_init: create.json.auto_init }, { name: 'site', private: true, auto_init: false });
  assert.ok(gt.log.filter((e) => !GIT_KINDS.has(e.kind)).every((e) => e.auth === 'token'), 'Authorization: token <t>');
  assert.ok(gt.log.filter((e) => GIT_KINDS.has(e.kind)).every((e) => e.user === 'gitty'), 'git as the login from /user');
  assert.equal((await api(gt, '/repos/gitty/site')).json.private, true);
  let clone = await cloneGitea('gitty/site');
  assertSameFiles(assert, clone.files, filesOf(dir));
  assert.equal(clone.log.length, 1);
  assert.deepEqual(clone.log[0].parents, []);
  assert.equal(clone.log[0].sha, first.commit);
  assert.equal(clone.log[0].subject, 'First export');
  assert.equal(clone.log[0].author, 'Gitty Tea <gitty@example.com>');

  editAndDelete(dir);
  gt.resetStats();
  r = await pushGitea(dir, 'gitty/site');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.created, false);
  assert.equal(r.json.objects_sent, 4, 'blob, src/, root tree, commit');
  assert.deepEqual(firstTwo(gt), ['repo', 'user']);
  assert.deepEqual(steps(gt).slice(2), INCREMENTAL_STEPS);
  assert.equal(gt.log.find((e) => e.path.endsWith('service=git-upload-pack')).protocol, 'version=2');
  const changes = Object.fromEntries(r.json.changes.map((c) => [c.path, c.action]));
  assert.deepEqual([changes['src/App.tsx'], changes['index.html']], ['changed', 'deleted']);
  clone = await cloneGitea('gitty/site');
  assertSameFiles(assert, clone.files, filesOf(dir));
  assert.deepEqual(clone.log[0].parents, [first.commit]);

  gt.resetStats();
  const head = gt.head('gitty/site');
  r = await pushGitea(dir, 'gitty/site');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.up_to_date, true);
  assert.equal(r.json.commit, head);
  assert.equal(r.json.objects_sent, 0);
  assert.ok(!gt.log.some((e) => e.kind === 'receive-pack'));
  assert.equal(gt.head('gitty/site'), head);
});

test('GitLab: --create in the user\'s namespace and the first push; a re-push sends only what changed; an unchanged one sends nothing', async () => {
  const dir = workingCopy();
  gl.resetStats();
  let r = await pushGitLab(dir, 'ada/site', ['--create', '-m', 'First export']);
  assert.equal(r.code, 0, r.stderr);
  assertNoToken(r);
  const first = r.json;
  assert.deepEqual(
    { created: first.created, up_to_date: first.up_to_date, branch: first.branch, repository: first.repository },
    { created: true, up_to_date: false, branch: 'main', repository: 'ada/site' },
  );
  assert.equal(first.url, `${gl.base}/ada/site/-/commit/${first.commit}`);
  assert.deepEqual(firstTwo(gl), ['repo', 'user']);
  assert.equal(gl.log.find((e) => e.kind === 'repo').path, '/api/v4/projects/ada%2Fsite');
  // The user's own namespace: no namespace lookup, no namespace_id.
  assert.deepEqual(steps(gl).slice(2), ['POST create', 'GET info/refs?service=git-receive-pack', 'POST git-receive-pack']);
  const create = gl.log.find((e) => e.kind === 'create');
  assert.equal(create.json.namespace_id, undefined);
  assert.deepEqual([create.json.path, create.json.visibility, create.json.initialize_with_readme], ['site', 'public', false]);
  assert.ok(gl.log.filter((e) => GIT_KINDS.has(e.kind)).every((e) => e.user === 'oauth2'), 'git as oauth2');
  assert.equal(gl.defaultBranchOf('ada/site'), 'main', 'the pushed branch became the default');
  let clone = await cloneGitLab('ada/site');
  assertSameFiles(assert, clone.files, filesOf(dir));
  assert.deepEqual(clone.log[0].parents, []);
  assert.equal(clone.log[0].subject, 'First export');
  assert.equal(clone.log[0].author, 'Ada Lovelace <ada.commits@example.com>', 'name <commit_email>');

  editAndDelete(dir);
  gl.resetStats();
  r = await pushGitLab(dir, 'ada/site');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.created, false);
  assert.equal(r.json.objects_sent, 4, 'blob, src/, root tree, commit');
  assert.deepEqual(steps(gl).slice(2), INCREMENTAL_STEPS);
  assert.equal(gl.log.find((e) => e.path.endsWith('service=git-upload-pack')).protocol, 'version=2');
  clone = await cloneGitLab('ada/site');
  assertSameFiles(assert, clone.files, filesOf(dir));
  assert.deepEqual(clone.log[0].parents, [first.commit]);

  gl.resetStats();
  const head = gl.head('ada/site');
  r = await pushGitLab(dir, 'ada/site');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.up_to_date, true);
  assert.equal(r.json.commit, head);
  assert.ok(!gl.log.some((e) => e.kind === 'receive-pack'));
});

test('Gitea: a repository created in an organization; one the user may not create in, or none such, refused', async () => {
  const dir = workingCopy();
  gt.resetStats();
  let r = await pushGitea(dir, 'acme/landing', ['--create']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.repository, 'acme/landing');
  const create = gt.log.find((e) => e.kind === 'create');
  assert.deepEqual([create.method, create.path, create.json.private], ['POST', '/api/v1/orgs/acme/repos', false]);
  assert.equal((await api(gt, '/repos/acme/landing')).json.owner.login, 'acme');
  const clone = await cloneGitea('acme/landing');
  assertSameFiles(assert, clone.files, filesOf(dir));
  assert.equal(clone.log[0].author, 'Gitty Tea <gitty@example.com>');

  r = await pushGitea(dir, 'viewers/app', ['--create']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /403/);
  assertNoToken(r);
  r = await pushGitea(dir, 'nobody/app', ['--create']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /nobody/);
  assertNoToken(r);
  assert.ok(!gt.exists('viewers/app') && !gt.exists('nobody/app'));
});

test('GitLab: a project created in a subgroup (acme/web/app) through its namespace id; groups the user may not use refused', async () => {
  const dir = workingCopy();
  gl.resetStats();
  let r = await pushGitLab(dir, 'acme/web/app', ['--create', '--private']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.repository, 'acme/web/app');
  assert.equal(r.json.url, `${gl.base}/acme/web/app/-/commit/${r.json.commit}`);
  assert.deepEqual(firstTwo(gl), ['repo', 'user']);
  assert.equal(gl.log.find((e) => e.kind === 'repo').path, '/api/v4/projects/acme%2Fweb%2Fapp');
  assert.deepEqual(steps(gl).slice(2), ['GET namespace', 'POST create', 'GET info/refs?service=git-receive-pack', 'POST git-receive-pack']);
  assert.equal(gl.log.find((e) => e.kind === 'namespace').path, '/api/v4/namespaces/acme%2Fweb');
  const namespace = (await api(gl, '/namespaces/acme%2Fweb')).json;
  const create = gl.log.find((e) => e.kind === 'create');
  assert.deepEqual([create.json.namespace_id, create.json.path, create.json.visibility], [namespace.id, 'app', 'private']);
  const project = (await api(gl, '/projects/acme%2Fweb%2Fapp')).json;
  assert.deepEqual([project.namespace.full_path, project.visibility, project.default_branch], ['acme/web', 'private', 'main']);
  const clone = await cloneGitLab('acme/web/app');
  assertSameFiles(assert, clone.files, filesOf(dir));

  // A group the user is not a member of: GitLab hides it (404), nothing is created.
  r = await pushGitLab(dir, 'strangers/app', ['--create']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /strangers/);
  assertNoToken(r);
  assert.ok(!gl.exists('strangers/app'));
  // A Reporter sees the group, but GitLab refuses the project: 400 {namespace: ["is not valid"]}.
  r = await pushGitLab(dir, 'viewers/app', ['--create']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /viewers/);
  assert.ok(!gl.exists('viewers/app'));
  // A private group refuses a public project (400 visibility_level): said, nothing created.
  r = await pushGitLab(dir, 'closed/app', ['--create']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /public is not allowed in a private group/);
  assert.ok(!gl.exists('closed/app'));
  r = await pushGitLab(dir, 'closed/app', ['--create', '--private']);
  assert.equal(r.code, 0, r.stderr);
});

test('a bad token: exit 1, the forge named, nothing created, no token printed (not even the one Gitea echoes)', async () => {
  const dir = workingCopy();
  gt.resetStats();
  let r = await pushGitea(dir, 'gitty/guarded', ['--create'], { token: BAD_GITEA_TOKEN });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Gitea refused the token \(401\)/);
  assertNoToken(r, BAD_GITEA_TOKEN);
  assert.ok(!gt.log.some((e) => e.method !== 'GET'), 'nothing but reads');
  assert.ok(!gt.exists('gitty/guarded'));

  gl.resetStats();
  r = await pushGitLab(dir, 'acme/web/guarded', ['--create'], { token: BAD_GITLAB_TOKEN });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /GitLab refused the token \(401\)/);
  assertNoToken(r, BAD_GITLAB_TOKEN);
  assert.ok(!gl.log.some((e) => e.method !== 'GET'), 'nothing but reads');
  assert.ok(!gl.exists('acme/web/guarded'));

  // --wait has no meaning on these forges: bad usage.
  for (const run of [() => pushGitea(dir, 'gitty/guarded', ['--wait']), () => pushGitLab(dir, 'ada/guarded', ['--wait'])]) {
    r = await run();
    assert.equal(r.code, 2, r.stderr);
  }
});

test('Gitea --branch --pr: a pull request into the default branch, then updated by the next push (Gitea answers 201 to the edit), never two', async () => {
  gt.createRepo('gitty/reviewed', { defaultBranch: 'trunk' });
  const base = gt.commit('gitty/reviewed', { 'README.md': '# reviewed\n' }, { message: 'Initial commit' });
  const dir = workingCopy();
  gt.resetStats();
  let r = await pushGitea(dir, 'gitty/reviewed', ['--branch', 'liftoff', '--pr']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.branch, 'liftoff');
  assert.deepEqual(r.json.pull_request, { number: 1, url: `${gt.origin}/gitty/reviewed/pulls/1`, created: true });
  const pullCalls = gt.log.filter((e) => e.kind === 'pulls');
  assert.deepEqual(pullCalls.map((e) => `${e.method} ${e.status}`), ['GET 200', 'POST 201']);
  assert.deepEqual([pullCalls[1].json.head, pullCalls[1].json.base], ['liftoff', 'trunk']);
  let [pull] = gt.pullsOf('gitty/reviewed');
  assert.deepEqual([pull.head, pull.base, pull.state], ['liftoff', 'trunk', 'open']);
  assert.match(pull.title, /^Export/);
  const clone = await cloneGitea('gitty/reviewed', 'liftoff');
  assert.deepEqual(clone.log[0].parents, [base], 'the branch starts at the default branch');
  assertSameFiles(assert, clone.files, filesOf(dir));
  assert.equal(gt.head('gitty/reviewed', 'trunk'), base, 'the default branch is untouched');

  writeFileSync(join(dir, 'NOTES.md'), 'more\n');
  gt.resetStats();
  r = await pushGitea(dir, 'gitty/reviewed', ['--branch', 'liftoff', '--pr']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json.pull_request, { number: 1, url: `${gt.origin}/gitty/reviewed/pulls/1`, created: false });
  assert.deepEqual(gt.log.filter((e) => e.kind === 'pulls').map((e) => `${e.method} ${e.status}`), ['GET 200', 'PATCH 201']);
  assert.equal(gt.pullsOf('gitty/reviewed').length, 1, 'updated, not duplicated');
  [pull] = gt.pullsOf('gitty/reviewed');
  assert.match(pull.body, /NOTES\.md/);
  assertNoToken(r);
});

test('GitLab --branch --pr: a merge request into the default branch, then updated by the next push, never two', async () => {
  gl.createRepo('acme/web/reviewed', { defaultBranch: 'trunk' });
  const base = gl.commit('acme/web/reviewed', { 'README.md': '# reviewed\n' }, { message: 'Initial commit' });
  const dir = workingCopy();
  gl.resetStats();
  let r = await pushGitLab(dir, 'acme/web/reviewed', ['--branch', 'liftoff', '--pr']);
  assert.equal(r.code, 0, r.stderr);
  const url = `${gl.base}/acme/web/reviewed/-/merge_requests/1`;
  assert.deepEqual(r.json.pull_request, { number: 1, url, created: true });
  const calls = gl.log.filter((e) => e.kind === 'pulls');
  assert.deepEqual(calls.map((e) => `${e.method} ${e.status}`), ['GET 200', 'POST 201']);
  assert.deepEqual([calls[1].json.source_branch, calls[1].json.target_branch], ['liftoff', 'trunk']);
  let [mr] = gl.pullsOf('acme/web/reviewed');
  assert.deepEqual([mr.source, mr.target, mr.state], ['liftoff', 'trunk', 'opened']);
  assert.match(mr.title, /^Export/);
  const clone = await cloneGitLab('acme/web/reviewed', 'liftoff');
  assert.deepEqual(clone.log[0].parents, [base]);
  assertSameFiles(assert, clone.files, filesOf(dir));

  writeFileSync(join(dir, 'NOTES.md'), 'more\n');
  gl.resetStats();
  r = await pushGitLab(dir, 'acme/web/reviewed', ['--branch', 'liftoff', '--pr']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json.pull_request, { number: 1, url, created: false });
  assert.deepEqual(gl.log.filter((e) => e.kind === 'pulls').map((e) => `${e.method} ${e.status}`), ['GET 200', 'PUT 200']);
  assert.equal(gl.pullsOf('acme/web/reviewed').length, 1);
  [mr] = gl.pullsOf('acme/web/reviewed');
  assert.match(mr.description, /NOTES\.md/);
});

test('someone opens the pull / merge request between the list and the create: the 409 is resolved by finding and updating it', async () => {
  gt.createRepo('gitty/raced');
  gt.commit('gitty/raced', { 'README.md': '# raced\n' });
  gt.inject({ kind: 'pulls', method: 'POST', before: () => gt.openPull('gitty/raced', { head: 'liftoff', base: 'main', title: 'Theirs' }) });
  let r = await pushGitea(workingCopy(), 'gitty/raced', ['--branch', 'liftoff', '--pr']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    gt.log.filter((e) => e.kind === 'pulls').slice(-4).map((e) => `${e.method} ${e.status}`),
    ['GET 200', 'POST 409', 'GET 200', 'PATCH 201'],
  );
  assert.deepEqual([r.json.pull_request.number, r.json.pull_request.created], [1, false]);
  assert.equal(gt.pullsOf('gitty/raced').length, 1);
  assert.match(gt.pullsOf('gitty/raced')[0].title, /^Export/, 'the found one now carries the push\'s text');

  gl.createRepo('acme/raced');
  gl.commit('acme/raced', { 'README.md': '# raced\n' });
  gl.inject({ kind: 'pulls', method: 'POST', before: () => gl.openPull('acme/raced', { head: 'liftoff', base: 'main', title: 'Theirs' }) });
  r = await pushGitLab(workingCopy(), 'acme/raced', ['--branch', 'liftoff', '--pr']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    gl.log.filter((e) => e.kind === 'pulls').slice(-4).map((e) => `${e.method} ${e.status}`),
    ['GET 200', 'POST 409', 'GET 200', 'PUT 200'],
  );
  assert.deepEqual([r.json.pull_request.number, r.json.pull_request.created], [1, false]);
  assert.equal(gl.pullsOf('acme/raced').length, 1);
  assert.match(gl.pullsOf('acme/raced')[0].title, /^Export/);
});

test('Gitea, a busy repository (more open pull requests than one page): the branch\'s older one is still found and updated', async () => {
  gt.createRepo('gitty/busy');
  const base = gt.commit('gitty/busy', { 'README.md': '# busy\n' });
  const dir = workingCopy();
  let r = await pushGitea(dir, 'gitty/busy', ['--branch', 'liftoff', '--pr']);
  assert.equal(r.code, 0, r.stderr);
  const ours = r.json.pull_request.number;
  // Then 55 newer pull requests from other branches: Gitea lists at most 50 a page.
  const refs = Array.from({ length: 55 }, (_, i) => `update refs/heads/topic-${i} ${base}\n`).join('');
  await new Promise((resolve, reject) => {
    const child = execFile('git', ['update-ref', '--stdin'], { cwd: gt.dirOf('gitty/busy') }, (error) => (error ? reject(error) : resolve()));
    child.stdin.end(refs);
  });
  await new Promise((resolve) => setTimeout(resolve, 5));
  for (let i = 0; i < 55; i++) gt.openPull('gitty/busy', { head: `topic-${i}`, base: 'main' });
  writeFileSync(join(dir, 'NOTES.md'), 'busy\n');
  gt.resetStats();
  r = await pushGitea(dir, 'gitty/busy', ['--branch', 'liftoff', '--pr']);
  assert.equal(r.code, 0, `${r.stderr}${JSON.stringify(gt.log.filter((e) => e.kind === 'pulls').map((e) => `${e.method} ${e.path} ${e.status}`))}`);
  assert.deepEqual([r.json.pull_request.number, r.json.pull_request.created], [ours, false]);
  assert.equal(gt.pullsOf('gitty/busy').filter((p) => p.head === 'liftoff').length, 1);
  assert.match(gt.pullsOf('gitty/busy')[ours - 1].body, /NOTES\.md/);
});

test('lost answers to the creating calls (repository, pull / merge request): nothing made twice, the push lands', async () => {
  for (const [forge, pushTo, path, clone] of [[gt, pushGitea, 'gitty/lossy', cloneGitea], [gl, pushGitLab, 'acme/web/lossy', cloneGitLab]]) {
    // The repository is made, its answer lost: looked up again, not made twice.
    const dir = workingCopy();
    forge.resetStats();
    forge.inject({ kind: 'create', dropAfter: true });
    let r = await pushTo(dir, path, ['--create']);
    forge.clearInjections();
    assert.equal(r.code, 0, r.stderr);
    assertNoToken(r);
    const creates = forge.log.filter((e) => e.kind === 'create');
    assert.equal(creates[0].status, 'dropped after 201');
    assert.ok(creates.slice(1).every((e) => e.status >= 400), 'a second create can only be refused');
    let cloned = await clone(path);
    assert.equal(cloned.log.length, 1);
    assertSameFiles(assert, cloned.files, filesOf(dir));

    // The pull / merge request is opened, its answer lost: found and updated, not opened twice.
    writeFileSync(join(dir, 'NOTES.md'), 'reviewed\n');
    forge.resetStats();
    forge.inject({ kind: 'pulls', method: 'POST', dropAfter: true });
    r = await pushTo(dir, path, ['--branch', 'liftoff', '--pr']);
    forge.clearInjections();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(forge.pullsOf(path).map((p) => p.number), [r.json.pull_request.number], 'one pull request');
    cloned = await clone(path, 'liftoff');
    assertSameFiles(assert, cloned.files, filesOf(dir));
  }
});

test('GitLab at a self-managed base URL (/gitlab prefix, GitLab 14+ naming an empty project\'s default branch)', async () => {
  const prefixed = await startGitLab({ prefix: '/gitlab', emptyDefaultBranch: 'main' });
  try {
    const dir = workingCopy();
    let r = await pushGitLab(dir, 'ada/site', ['--create'], { api: prefixed.base });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.url, `${prefixed.origin}/gitlab/ada/site/-/commit/${r.json.commit}`);
    assert.ok(prefixed.log.every((e) => e.path.startsWith('/gitlab/')), JSON.stringify(prefixed.log.map((e) => e.path)));
    let clone = await cloneGitLab('ada/site', 'main', prefixed);
    assertSameFiles(assert, clone.files, filesOf(dir));

    editAndDelete(dir);
    r = await pushGitLab(dir, 'ada/site', [], { api: `${prefixed.base}/` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.objects_sent, 4);
    clone = await cloneGitLab('ada/site', 'main', prefixed);
    assertSameFiles(assert, clone.files, filesOf(dir));

    // Without the prefix the API is not there: a clear failure, nothing pushed.
    const head = prefixed.head('ada/site');
    writeFileSync(join(dir, 'NOTES.md'), 'x\n');
    r = await pushGitLab(dir, 'ada/site', [], { api: prefixed.origin });
    assert.equal(r.code, 1, r.stderr);
    assertNoToken(r);
    assert.equal(prefixed.head('ada/site'), head);
  } finally {
    await prefixed.close();
  }
});

test('--dry-run counts the changed and deleted lines and writes nothing', async () => {
  for (const [forge, pushTo, path] of [[gt, pushGitea, 'gitty/preview'], [gl, pushGitLab, 'ada/preview']]) {
    const dir = workingCopy();
    assert.equal((await pushTo(dir, path, ['--create'])).code, 0);
    const head = forge.head(path);
    writeFileSync(join(dir, 'index.html'), '<!doctype html>\n<title>changed</title>\n');
    rmSync(join(dir, 'src/main.tsx'));
    forge.resetStats();
    const r = await pushTo(dir, path, ['--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    const byPath = Object.fromEntries(r.json.changes.map((c) => [c.path, c]));
    assert.deepEqual(Object.keys(byPath).sort(), ['index.html', 'src/main.tsx']);
    assert.deepEqual([byPath['index.html'].action, byPath['src/main.tsx'].action], ['changed', 'deleted']);
    // The old texts are read (the blobs endpoint is there for it), so lines are counted, as
    // GitHub's --dry-run does.
    assert.ok(byPath['index.html'].lines_added >= 1 && byPath['index.html'].lines_removed >= 1, JSON.stringify(byPath['index.html']));
    assert.ok(byPath['src/main.tsx'].lines_removed > 0, JSON.stringify(byPath['src/main.tsx']));
    assert.ok(!forge.log.some((e) => e.method !== 'GET' && e.kind !== 'upload-pack'), JSON.stringify(steps(forge)));
    assert.equal(forge.head(path), head);
  }
});

test('the token goes only to the forge: not to a clone URL elsewhere, not through a redirect', async () => {
  const seen = [];
  const trap = createServer((req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization ?? '', privateToken: req.headers['private-token'] ?? '' });
    res.writeHead(401, { 'www-authenticate': 'Basic realm="trap"', 'content-type': 'text/plain' });
    res.end('no\n');
  });
  await new Promise((resolve) => trap.listen(0, '127.0.0.1', resolve));
  const elsewhere = `http://127.0.0.1:${trap.address().port}`;
  const carriesToken = (s) => [GITEA_TOKEN, GITLAB_TOKEN].some((t) => s.url.includes(t) || s.privateToken.includes(t) || s.authorization.includes(t) || Buffer.from(s.authorization.replace(/^Basic /, ''), 'base64').toString().includes(t));
  try {
    gt.createRepo('gitty/moved');
    gt.commit('gitty/moved', { 'README.md': '# moved\n' });
    gl.createRepo('ada/moved');
    gl.commit('ada/moved', { 'README.md': '# moved\n' });
    const dir = workingCopy();

    gt.cloneOrigin(elsewhere);
    let r = await pushGitea(dir, 'gitty/moved');
    gt.cloneOrigin(null);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Gitea gave .* clone URL/);
    assertNoToken(r);
    gl.cloneOrigin(elsewhere);
    r = await pushGitLab(dir, 'ada/moved');
    gl.cloneOrigin(null);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /GitLab gave .* clone URL/);
    assertNoToken(r);

    gt.inject({ kind: 'user', status: 302, headers: { location: `${elsewhere}/api/v1/user` }, body: Buffer.alloc(0) });
    r = await pushGitea(dir, 'gitty/moved');
    gt.clearInjections();
    assert.notEqual(r.code, 0);
    gl.inject({ kind: 'repo', status: 302, headers: { location: `${elsewhere}/api/v4/projects/ada%2Fmoved` }, body: Buffer.alloc(0) });
    r = await pushGitLab(dir, 'ada/moved');
    gl.clearInjections();
    assert.notEqual(r.code, 0);

    assert.deepEqual(seen.filter(carriesToken), [], 'no token reached another origin');
  } finally {
    gt.cloneOrigin(null);
    gl.cloneOrigin(null);
    await new Promise((resolve) => trap.close(resolve));
  }
});
