// `liftoff deploy|deployments|rollback --to ssh://…` against a real OpenSSH server on a loopback
// port (tests/servers/sshd.mjs: throw-away host and user keys, host-key checking on): the first
// deployment, a redeploy that hard-links what did not change, an atomic switch that a reader
// never sees missing, rollback and forward, the number of releases kept, and what is refused.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { startSshd } from '../servers/sshd.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let bin;
let server;
let work;

before(async () => {
  execFileSync('cargo', ['build', '-q', '-p', 'liftoff-cli'], { cwd: ROOT, stdio: 'inherit' });
  bin = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'debug', 'liftoff');
  server = await startSshd();
  work = mkdtempSync(join(tmpdir(), 'liftoff-ssh-test-'));
});

after(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs liftoff asynchronously with ssh pointed at the test server's client config. */
function liftoff(args, env = {}) {
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, LIFTOFF_SSH_COMMAND: server.sshCommand, ...env }, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const address = (path) => `ssh://${server.user}@127.0.0.1:${server.port}${path}`;

/** A built site of n files under a new folder; returns its path. */
function site(name, n, change = {}) {
  const dir = join(work, name);
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script src="/assets/app-1a2b3c4d.js"></script>');
  writeFileSync(join(dir, 'assets/app-1a2b3c4d.js'), 'console.log("app")');
  writeFileSync(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255, 254]));
  for (let i = 0; i < n; i++) writeFileSync(join(dir, 'assets', `part-${i}.txt`), `part ${i}\n`);
  for (const [path, body] of Object.entries(change)) writeFileSync(join(dir, path), body);
  return dir;
}

function filesOf(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p.slice(dir.length + 1), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function assertSameFiles(actual, expected) {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [path, bytes] of expected) assert.ok(actual.get(path).equals(bytes), `${path} differs`);
}

test('first deploy, a redeploy that hard-links what did not change, history, rollback and forward, keep', async () => {
  const base = join(work, 'srv/app');
  const v1 = site('v1', 50);
  const first = await liftoff(['deploy', '--to', address(base), '--prebuilt', v1, '--json']);
  assert.equal(first.code, 0, first.stderr);
  const one = JSON.parse(first.stdout);
  assert.equal(one.state, 'LIVE');
  assert.ok(lstatSync(join(base, 'current')).isSymbolicLink());
  assert.equal(readlinkSync(join(base, 'current')), `releases/${one.id}`);
  assertSameFiles(filesOf(join(base, 'current')), filesOf(v1));

  // One file changed: it is sent, the rest hard-linked to the first release's files.
  const v2 = site('v2', 50, { 'index.html': '<!doctype html><p>v2</p>' });
  const second = await liftoff(['deploy', '--to', address(base), '--prebuilt', v2]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /\(1 sent, 52 hard-linked from the previous release\), now live/);
  assert.match(second.stdout, /nginx `root .*\/srv\/app\/current;`/);
  const [id2] = /release (\S+)/.exec(second.stdout).slice(1);
  const inode = (id, path) => statSync(join(base, 'releases', id, path)).ino;
  assert.equal(inode(one.id, 'logo.png'), inode(id2, 'logo.png'), 'hard-linked');
  assert.notEqual(inode(one.id, 'index.html'), inode(id2, 'index.html'));
  assertSameFiles(filesOf(join(base, 'current')), filesOf(v2));

  const listed = await liftoff(['deployments', '--to', address(base), '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const history = JSON.parse(listed.stdout);
  assert.deepEqual(history.map((h) => [h.id, h.production]), [[id2, true], [one.id, false]]);

  // Back to the first, then forward by id.
  const back = await liftoff(['rollback', '--to', address(base), '--json']);
  assert.equal(back.code, 0, back.stderr);
  assert.equal(JSON.parse(back.stdout).id, one.id);
  assertSameFiles(filesOf(join(base, 'current')), filesOf(v1));
  const forward = await liftoff(['rollback', '--to', address(base), '--deployment', id2]);
  assert.equal(forward.code, 0, forward.stderr);
  assertSameFiles(filesOf(join(base, 'current')), filesOf(v2));
  const unknown = await liftoff(['rollback', '--to', address(base), '--deployment', '20990101T000000Z-deadbeef']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /has no release 20990101T000000Z-deadbeef/);
  assertSameFiles(filesOf(join(base, 'current')), filesOf(v2));

  // Three more with --keep 1: only the live release and one other remain.
  for (const n of [3, 4, 5]) {
    const next = await liftoff(['deploy', '--to', address(base), '--prebuilt', site(`v${n}`, 50, { 'index.html': `<p>v${n}</p>` }), '--keep', '1']);
    assert.equal(next.code, 0, next.stderr);
  }
  const releases = readdirSync(join(base, 'releases')).filter((n) => n !== 'liftoff.json');
  assert.equal(releases.length, 2, releases.join(' '));
  assert.equal(readFileSync(join(base, 'current/index.html'), 'utf8'), '<p>v5</p>');
  const kept = JSON.parse((await liftoff(['deployments', '--to', address(base), '--json'])).stdout);
  assert.equal(kept.length, 2);
});

test('the switch is atomic: a reader polling current/index.html never finds it missing', async () => {
  const base = join(work, 'srv/atomic');
  assert.equal((await liftoff(['deploy', '--to', address(base), '--prebuilt', site('a0', 200)])).code, 0);
  let reads = 0;
  let misses = 0;
  let stop = false;
  const reader = (async () => {
    while (!stop) {
      try {
        readFileSync(join(base, 'current/index.html'));
        reads++;
      } catch {
        misses++;
      }
      await new Promise((r) => setImmediate(r));
    }
  })();
  for (let i = 1; i <= 4; i++) {
    const result = await liftoff(['deploy', '--to', address(base), '--prebuilt', site(`a${i}`, 200, { 'index.html': `<p>${i}</p>` })]);
    assert.equal(result.code, 0, result.stderr);
  }
  assert.equal((await liftoff(['rollback', '--to', address(base)])).code, 0);
  stop = true;
  await reader;
  assert.ok(reads > 100, `the reader ran (${reads} reads)`);
  assert.equal(misses, 0);
});

test('a built project (not --prebuilt) is built first; a failed build deploys nothing', async () => {
  const base = join(work, 'srv/built');
  const app = join(ROOT, 'tests/fixtures/deploy-app');
  const built = await liftoff(['deploy', join(app), '--to', address(base), '--raw']);
  assert.equal(built.code, 0, built.stderr);
  assert.ok(existsSync(join(base, 'current/index.html')), 'the build output is live');
  const before = readlinkSync(join(base, 'current'));

  const broken = join(work, 'broken-app');
  cpSync(app, broken, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(broken, 'package.json'), 'utf8'));
  pkg.scripts.build = 'node -e "console.error(\'the build broke on purpose\'); process.exit(1)"';
  writeFileSync(join(broken, 'package.json'), JSON.stringify(pkg, null, 2));
  const failed = await liftoff(['deploy', broken, '--to', address(base), '--raw']);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /npm run build` failed/);
  assert.match(failed.stderr, /the build broke on purpose/);
  assert.equal(readlinkSync(join(base, 'current')), before, 'production unchanged');
});

test('a preview leaves current alone; promote makes it production; promoting it again changes nothing', async () => {
  const base = join(work, 'srv/preview');
  const live = site('p1', 3);
  assert.equal((await liftoff(['deploy', '--to', address(base), '--prebuilt', live])).code, 0);
  const before = readlinkSync(join(base, 'current'));
  const next = site('p2', 3, { 'index.html': '<p>preview</p>' });
  const preview = await liftoff(['deploy', '--to', address(base), '--prebuilt', next, '--preview', '--json']);
  assert.equal(preview.code, 0, preview.stderr);
  const p = JSON.parse(preview.stdout);
  assert.deepEqual({ state: p.state, production: p.production }, { state: 'PREVIEW', production: false });
  assert.equal(p.url, `ssh://${server.user}@127.0.0.1${base}/releases/${p.id}`);
  assert.equal(readlinkSync(join(base, 'current')), before, 'production untouched');
  assertSameFiles(filesOf(join(base, 'releases', p.id)), filesOf(next));
  const listed = JSON.parse((await liftoff(['deployments', '--to', address(base), '--json'])).stdout);
  assert.deepEqual(listed.map((h) => [h.state, h.production]), [['PREVIEW', false], ['LIVE', true]]);

  const promoted = await liftoff(['promote', '--to', address(base), '--deployment', p.id]);
  assert.equal(promoted.code, 0, promoted.stderr);
  assert.match(promoted.stdout, new RegExp(`is now deployment ${p.id}`));
  assertSameFiles(filesOf(join(base, 'current')), filesOf(next));
  const again = await liftoff(['promote', '--to', address(base), '--deployment', p.id]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /is already production of .*: nothing changed/);
  const missing = await liftoff(['promote', '--to', address(base), '--deployment', '20990101T000000Z-deadbeef']);
  assert.equal(missing.code, 1);
  assertSameFiles(filesOf(join(base, 'current')), filesOf(next));
  // Vercel and Netlify promote too (tests/deploy/cli.test.mjs); without a token nothing is sent.
  const noToken = await liftoff(['promote', '--to', 'vercel', '--project', 'x', '--deployment', 'y'], { VERCEL_TOKEN: '' });
  assert.equal(noToken.code, 1);
  assert.match(noToken.stderr, /set VERCEL_TOKEN/);
});

test('host keys are checked, bad addresses refused, nothing written', async () => {
  const base = join(work, 'srv/refused');
  const wrongHosts = join(work, 'wrong_known_hosts');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(work, 'other_host_key')]);
  writeFileSync(wrongHosts, `[127.0.0.1]:${server.port} ${readFileSync(join(work, 'other_host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
  const mismatch = await liftoff(['deploy', '--to', address(base), '--prebuilt', site('r1', 1)], {
    LIFTOFF_SSH_COMMAND: `${server.sshCommand} -o UserKnownHostsFile=${wrongHosts}`,
  });
  assert.equal(mismatch.code, 1);
  assert.match(mismatch.stderr, /ssh to .* failed/);
  assert.ok(!existsSync(base), 'nothing written on a host whose key does not match');
  for (const bad of ['ssh://127.0.0.1/relative/../up', 'ssh://-oProxyCommand=x/srv', `ssh://127.0.0.1:${server.port}/srv;rm -rf x`]) {
    const refused = await liftoff(['deploy', '--to', bad, '--prebuilt', site('r2', 1)]);
    assert.equal(refused.code, 2, `${bad}: ${refused.stderr}`);
  }
});
