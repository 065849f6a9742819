// Push benchmark (issue 5): one commit of a 1,000-file project (about 12 MB) to a local GitHub
// (tests/servers/github.mjs: the REST stand-in in front of git's own `git http-backend`),
// `liftoff push` against isomorphic-git (add + commit + push) on the same tree and server.
// Every contender pushes into a new empty repository each run; the server runs in its own
// process and counts requests and raw bytes on the wire. After the runs, each contender's last
// push is cloned with git, compared byte for byte with the project and checked with
// `git fsck --strict`.
//
//   node bench/push/push.mjs [--runs 5] [--files 1000] [--bin target/release/liftoff]
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';

import { median, option } from '../lib/cli.mjs';
import { generateProject } from '../lib/code-project.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../..');
const TOKEN = 'ghp_benchToken0123456789abcdefABCDEFGH';

const RUNS = Number(option('runs', 5));
const FILES = Number(option('files', 1000));
const BIN = option('bin', join(ROOT, 'target/release/liftoff'));

// ---------------------------------------------------------------------------------------------
// The project: bench/lib/code-project.mjs's generateProject (a third binary, two thirds code).

const generate = (dir) => generateProject(dir, { files: FILES });

// ---------------------------------------------------------------------------------------------
// The server, in its own process.

async function startServer(root) {
  const child = spawn(process.execPath, [join(ROOT, 'tests/servers/github.mjs'), '--port', '0', '--root', root, '--token', TOKEN], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const { origin } = JSON.parse(line);
  const call = async (method, path, body) => {
    const r = await fetch(`${origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  return {
    origin,
    root,
    createRepo: (name) => call('POST', '/user/repos', { name }),
    reset: () => call('POST', '/__reset'),
    stats: () => call('GET', '/__stats'),
    stop: () => child.kill('SIGTERM'),
  };
}

// ---------------------------------------------------------------------------------------------
// The contenders. Each pushes `project` into the new empty repository `name`.

async function ours(server, project, name) {
  const t0 = performance.now();
  const out = await new Promise((resolve, reject) => {
    const child = spawn(BIN, ['push', project, '--repo', `octo/${name}`, '--api', server.origin, '--raw', '--json', '-m', 'Bench export'], {
      env: { ...process.env, GITHUB_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(stderr))));
  });
  const total = performance.now() - t0;
  return { total, commit: out.commit };
}

async function isomorphic(server, project, name) {
  // A fresh working copy and an empty repository per run, outside the timing.
  const dir = join(mkdtempSync(join(tmpdir(), 'bench-iso-')), 'work');
  cpSync(project, dir, { recursive: true });
  await git.init({ fs, dir, defaultBranch: 'main' });
  const t0 = performance.now();
  await git.add({ fs, dir, filepath: '.' });
  const commit = await git.commit({
    fs,
    dir,
    message: 'Bench export',
    author: { name: 'Octo Cat', email: 'octo@users.noreply.github.com' },
  });
  const t1 = performance.now();
  const result = await git.push({
    fs,
    http,
    dir,
    url: `${server.origin}/octo/${name}.git`,
    ref: 'main',
    onAuth: () => ({ username: 'x-access-token', password: TOKEN }),
  });
  const t2 = performance.now();
  if (!result.ok) throw new Error(`isomorphic-git push: ${JSON.stringify(result)}`);
  rmSync(join(dir, '..'), { recursive: true, force: true });
  return { total: t2 - t0, addCommit: t1 - t0, push: t2 - t1, commit };
}

const CONTENDERS = { ours, 'isomorphic-git': isomorphic };

// ---------------------------------------------------------------------------------------------

function filesOf(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      if (name === '.git') continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return out;
}

/** Clones the pushed repository with git and compares it with the project, byte for byte. */
function verify(server, project, name, expected) {
  const clone = join(mkdtempSync(join(tmpdir(), 'bench-clone-')), 'c');
  const bare = join(server.root, 'octo', `${name}.git`);
  execFileSync('git', ['clone', '-q', bare, clone]);
  execFileSync('git', ['fsck', '--strict', '--no-dangling'], { cwd: clone });
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: clone }).toString().trim();
  if (head !== expected) throw new Error(`${name}: head ${head}, expected ${expected}`);
  const got = filesOf(clone);
  const want = filesOf(project);
  if (got.size !== want.size) throw new Error(`${name}: ${got.size} files, expected ${want.size}`);
  for (const [path, bytes] of want) {
    if (!got.get(path)?.equals(bytes)) throw new Error(`${name}: ${path} differs`);
  }
  rmSync(join(clone, '..'), { recursive: true, force: true });
}

const ms = (x) => `${Math.round(x).toLocaleString('en-US')} ms`;
const mb = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} MB` : `${(x / 1e3).toFixed(1)} KB`);

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'bench-push-'));
  const project = join(work, 'project');
  const shape = generate(project);
  const server = await startServer(join(work, 'repos'));
  console.log(`project: ${shape.files} files, ${mb(shape.bytes)} (${mb(shape.binaryBytes)} random binary named .png/.jpg/.webp)`);
  console.log(`server: ${server.origin} (tests/servers/github.mjs + git http-backend, own process)`);
  console.log(`ours: ${BIN}; isomorphic-git ${git.version()}; node ${process.version}; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const results = Object.fromEntries(Object.keys(CONTENDERS).map((k) => [k, []]));
  const last = {};
  try {
    // One warm-up each, then RUNS measured rounds, interleaved; the order alternates.
    for (let round = 0; round <= RUNS; round++) {
      const order = round % 2 ? Object.keys(CONTENDERS).reverse() : Object.keys(CONTENDERS);
      for (const contender of order) {
        const name = `bench-${contender.replace(/[^a-z]/g, '')}-${round}`;
        await server.createRepo(name);
        await server.reset();
        const timing = await CONTENDERS[contender](server, project, name);
        const stats = await server.stats();
        last[contender] = { name, commit: timing.commit };
        if (round === 0) continue;
        results[contender].push({
          ...timing,
          requests: stats.requests,
          byKind: stats.byKind,
          sent: stats.wire.read,
          received: stats.wire.written,
          packBytes: stats.log.filter((e) => e.kind === 'receive-pack').reduce((n, e) => n + e.bytesIn, 0),
        });
        process.stderr.write(`  round ${round} ${contender}: ${ms(timing.total)}\n`);
      }
    }
    for (const [contender, { name, commit }] of Object.entries(last)) verify(server, project, name, commit);
  } finally {
    server.stop();
  }

  const rows = Object.entries(results).map(([contender, runs]) => ({
    contender,
    total: median(runs.map((r) => r.total)),
    min: Math.min(...runs.map((r) => r.total)),
    max: Math.max(...runs.map((r) => r.total)),
    addCommit: runs[0].addCommit === undefined ? null : median(runs.map((r) => r.addCommit)),
    push: runs[0].push === undefined ? null : median(runs.map((r) => r.push)),
    requests: runs[0].requests,
    byKind: runs[0].byKind,
    sent: median(runs.map((r) => r.sent)),
    received: median(runs.map((r) => r.received)),
    packBytes: median(runs.map((r) => r.packBytes)),
  }));
  const oursRow = rows.find((r) => r.contender === 'ours');
  console.log(`\nmedian of ${RUNS} runs (after 1 warm-up each), every run into a new empty repository; both clones verified byte for byte + git fsck --strict\n`);
  console.log('| contender | total (median) | min–max | add + commit | push | requests | sent on the wire | received | ÷ ours |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const kinds = Object.entries(r.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
    console.log(
      `| ${r.contender} | ${ms(r.total)} | ${ms(r.min)}–${ms(r.max)} | ${r.addCommit === null ? '(in total)' : ms(r.addCommit)} | ${r.push === null ? '(in total)' : ms(r.push)} | ${r.requests} (${kinds}) | ${mb(r.sent)} | ${mb(r.received)} | ${(r.total / oursRow.total).toFixed(1)}× |`,
    );
  }
  const blobs = shape.files;
  console.log(`| REST Git Database API, one blob per file | (not run) | | | | ${(blobs + 4).toLocaleString('en-US')} (${blobs} POST /git/blobs + tree + commit + ref + repo) | | | at GitHub's ~80 content-creating requests a minute: ≥ ${Math.ceil(blobs / 80)} minutes |`);

  mkdirSync(join(HERE, 'results'), { recursive: true });
  const file = join(HERE, 'results', `push-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}Z.json`);
  writeFileSync(file, JSON.stringify({ shape, runs: RUNS, node: process.version, isomorphicGit: git.version(), loadavg: loadavg(), rows, results }, null, 2));
  console.log(`\nwritten: ${relative(ROOT, file)}`);
  rmSync(work, { recursive: true, force: true });
}

await main();
