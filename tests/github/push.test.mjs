// `liftoff push` against a local GitHub (tests/servers/github.mjs: the REST calls in front of
// git's own http-backend). After every push the repository is cloned with git, compared byte
// for byte with what was pushed, and checked with `git fsck --strict`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { startBase44Server } from '../servers/base44.mjs';
import { DEFAULT_TOKEN, startGitHub } from '../servers/github.mjs';
import {
  HISTORY,
  assertSameFiles,
  buildCli,
  cloneAndCheck,
  filesOf,
  git,
  push,
  tempDir,
  workingCopy,
} from './helpers.mjs';

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

/** What a push of `dir` must commit: everything but `.env` files and `dist/` (gitignored). */
const committed = (dir) => filesOf(dir, { skip: (rel) => rel === '.env' || rel.startsWith('dist') });

/** A project with a secret and an ignored build folder beside the Bolt fixture's files. */
function project() {
  const dir = workingCopy();
  writeFileSync(join(dir, '.env'), 'VITE_SECRET=do-not-commit\n');
  writeFileSync(join(dir, '.gitignore'), 'dist/\nnode_modules\n');
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist/bundle.js'), 'console.log("built")\n');
  return dir;
}

const args = (dir, repo, ...more) => [dir, '--repo', repo, '--api', gh.origin, '--raw', '--json', ...more];

test('a new repository: created, first commit without parent, files byte for byte', async () => {
  const dir = project();
  gh.resetStats();
  const r = await push(bin, args(dir, 'octo/portfolio', '--create', '--private', '-m', 'First export'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  const out = r.json;
  assert.equal(out.created, true);
  assert.equal(out.up_to_date, false);
  assert.equal(out.branch, 'main');
  assert.match(out.commit, /^[0-9a-f]{40}$/);
  assert.equal(out.url, `${gh.origin}/octo/portfolio/commit/${out.commit}`);
  assert.equal(out.requests, 5);
  assert.deepEqual(gh.log.map((e) => e.kind).sort(), ['create', 'info-refs', 'receive-pack', 'repo', 'user']);
  assert.ok(out.bytes_sent > 0);
  assert.deepEqual(out.excluded.map((e) => e.path), ['.env', 'dist/bundle.js']);

  const clone = await cloneAndCheck(gh, 'octo/portfolio', TOKEN);
  assertSameFiles(assert, clone.files, committed(dir));
  assert.equal(clone.log.length, 1);
  assert.deepEqual(clone.log[0].parents, []);
  assert.equal(clone.log[0].sha, out.commit);
  assert.equal(clone.log[0].subject, 'First export');
  assert.equal(clone.log[0].author, 'Octo Cat <583231+octo@users.noreply.github.com>');
  // Nothing of the token in the commit or the output.
  const raw = await git(clone.dir, ['cat-file', 'commit', 'HEAD']);
  assert.ok(!raw.includes(TOKEN));
  assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN));
});

test('an existing repository with history: kept, the parent is the old head', async () => {
  gh.createRepo('octo/legacy');
  const first = gh.commit('octo/legacy', { 'README.md': '# legacy\n', 'old.js': 'old()\n' }, { message: 'Initial commit' });
  const second = gh.commit('octo/legacy', { 'CHANGELOG.md': '- one\n' }, { message: 'Changelog' });
  const dir = project();
  const r = await push(bin, args(dir, 'octo/legacy'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.created, false);
  const clone = await cloneAndCheck(gh, 'octo/legacy', TOKEN);
  assert.deepEqual(clone.log.map((c) => c.sha), [r.json.commit, second, first]);
  assert.deepEqual(clone.log[0].parents, [second]);
  assert.match(clone.log[0].subject, /^Export from Bolt \(Liftoff\), \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  // The commit is the whole tree: files the export does not have are gone from the branch.
  assertSameFiles(assert, clone.files, committed(dir));
});

test('a second push after a delete, an edit and a new binary file sends only new objects', async () => {
  const dir = project();
  let r = await push(bin, args(dir, 'octo/incremental', '--create'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  const firstCommit = r.json.commit;
  const firstBytes = r.json.bytes_sent;

  rmSync(join(dir, 'src/components/Contact.tsx'));
  writeFileSync(join(dir, 'src/App.tsx'), 'export default function App() { return null; }\n');
  writeFileSync(join(dir, 'public/photo.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), randomBytes(4096)]));
  gh.resetStats();
  r = await push(bin, args(dir, 'octo/incremental'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  const out = r.json;
  // 1 commit + 4 trees (root, src, src/components, public) + 2 blobs (App.tsx, photo.jpg).
  assert.equal(out.objects_sent, 7);
  assert.equal(out.requests, 5);
  const kinds = gh.log.map((e) => e.kind);
  assert.deepEqual([...kinds].sort(), ['info-refs', 'receive-pack', 'repo', 'tree', 'user']);
  assert.deepEqual(kinds.slice(2), ['info-refs', 'tree', 'receive-pack']);
  const pack = gh.log.find((e) => e.kind === 'receive-pack');
  assert.ok(pack.bytesIn < firstBytes, `second pack ${pack.bytesIn} B vs first push ${firstBytes} B`);
  assert.ok(pack.bytesIn < 4096 + 2048, `only the new objects: ${pack.bytesIn} B`);

  const clone = await cloneAndCheck(gh, 'octo/incremental', TOKEN);
  assertSameFiles(assert, clone.files, committed(dir));
  assert.ok(!clone.files.has('src/components/Contact.tsx'));
  assert.equal(clone.log.length, 2);
  assert.deepEqual(clone.log[0].parents, [firstCommit]);
});

test('an unchanged push makes no commit and says so', async () => {
  const dir = project();
  let r = await push(bin, args(dir, 'octo/steady', '--create'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  const head = gh.head('octo/steady');
  gh.resetStats();
  r = await push(bin, args(dir, 'octo/steady'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.up_to_date, true);
  assert.equal(r.json.commit, head);
  assert.equal(r.json.objects_sent, 0);
  assert.equal(r.json.requests, 4);
  assert.ok(!gh.log.some((e) => e.kind === 'receive-pack'));
  assert.equal(gh.head('octo/steady'), head);

  // Without --json, a sentence and the link.
  const text = await push(bin, [dir, '--repo', 'octo/steady', '--api', gh.origin, '--raw'], { token: TOKEN });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^already up to date: octo\/steady \(main\) is at [0-9a-f]{40}\n/);
  assert.ok(text.stdout.includes(`${gh.origin}/octo/steady/commit/${head}`));
});

test('the branch moves during the push: rebuilt once on the new head, both commits kept', async () => {
  const dir = project();
  let r = await push(bin, args(dir, 'octo/race', '--create'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  const base = r.json.commit;
  writeFileSync(join(dir, 'src/main.tsx'), '// changed by the builder\n');
  let theirs;
  gh.beforeReceivePack(() => {
    theirs = gh.commit('octo/race', { 'NOTES.md': 'pushed meanwhile\n' }, { message: 'Concurrent push' });
  });
  r = await push(bin, args(dir, 'octo/race'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.rebuilt, true);
  const clone = await cloneAndCheck(gh, 'octo/race', TOKEN);
  assert.deepEqual(clone.log.map((c) => c.sha), [r.json.commit, theirs, base]);
  assert.deepEqual(clone.log[0].parents, [theirs]);
  assertSameFiles(assert, clone.files, committed(dir));

  // Moving on every attempt: a clear error, and the branch is the other pusher's.
  writeFileSync(join(dir, 'src/main.tsx'), '// changed again\n');
  let last;
  gh.beforeReceivePack(() => {
    last = gh.commit('octo/race', { 'NOTES.md': `pushed meanwhile ${Math.random()}\n` });
  }, { times: 2 });
  r = await push(bin, args(dir, 'octo/race'), { token: TOKEN });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /kept moving while pushing .*push again/);
  assert.equal(gh.head('octo/race'), last);
});

test('a new branch starts from the default branch', async () => {
  const dir = project();
  let r = await push(bin, args(dir, 'octo/branches', '--create'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  const main = r.json.commit;
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>preview</title>\n');
  r = await push(bin, args(dir, 'octo/branches', '--branch', 'liftoff/preview'), { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.branch, 'liftoff/preview');
  const clone = await cloneAndCheck(gh, 'octo/branches', TOKEN, 'liftoff/preview');
  assert.deepEqual(clone.log[0].parents, [main]);
  assertSameFiles(assert, clone.files, committed(dir));
  assert.equal(gh.head('octo/branches'), main, 'main is untouched');
});

test('a normalized push of a Bolt history holds exactly what `liftoff export` writes', async () => {
  const r = await push(bin, [HISTORY, '--repo', 'octo/from-history', '--create', '--api', gh.origin, '--json'], { token: TOKEN });
  assert.equal(r.code, 0, r.stderr);
  const exported = join(tempDir(), 'export');
  await promisify(execFile)(bin, ['export', HISTORY, '-o', exported]);
  const clone = await cloneAndCheck(gh, 'octo/from-history', TOKEN);
  assertSameFiles(assert, clone.files, committed(exported));
  // Binary files byte for byte.
  for (const binary of ['public/logo.png', 'public/favicon.ico', 'src/assets/hero.webp']) {
    assert.ok(clone.files.has(binary), binary);
  }
  assert.match(clone.log[0].subject, /^Export from Bolt \(Liftoff\)/);
});

test('a push of base44:<app-id> commits the rows as supabase/seed.sql, exactly what `liftoff export` writes', async () => {
  const app = '68b2c4d6e8f0a1b2c3d4e5f6';
  const data = join(import.meta.dirname, '../fixtures/base44-data');
  const b44 = await startBase44Server({ apps: { [app]: join(data, 'app') }, rows: { [app]: join(data, 'rows') }, pageCap: 50 });
  try {
    const env = { BASE44_TOKEN: 'base44-test-access-token' };
    const r = await push(bin, [`base44:${app}`, '--repo', 'octo/base44-app', '--create', '--api', gh.origin, '--builder-api', b44.origin, '--json'], { token: TOKEN, env });
    assert.equal(r.code, 0, r.stderr);
    const exported = join(tempDir(), 'export');
    await promisify(execFile)(bin, ['export', `base44:${app}`, '-o', exported, '--api', b44.origin], { env: { ...process.env, ...env } });
    const clone = await cloneAndCheck(gh, 'octo/base44-app', TOKEN);
    assertSameFiles(assert, clone.files, committed(exported));
    const seed = clone.files.get('supabase/seed.sql')?.toString() ?? '';
    assert.match(seed, /insert into/i, 'the seed holds the rows');
    assert.ok(!seed.includes('base44-test-access-token'), 'the Base44 token is not in the commit');
  } finally {
    await b44.close();
  }
});
