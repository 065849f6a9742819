// Deploy benchmark: what a redeploy after a one-file change sends, and how long it takes from
// "roll back" to production serving the previous version, against the local Vercel and Netlify
// stand-ins (tests/servers/vercel.mjs, netlify.mjs: they really build what they get, about a
// second for the deploy-app fixture, and serve it at /__production/<name>/).
//
// Contenders, each on its OWN stand-in (a new process per contender per run, so what one
// uploads never dedupes the other's):
//   ours  `liftoff deploy DIR --to vercel|netlify` and `liftoff rollback --to vercel|netlify`
//         (release build, a child process);
//   peer  the official @vercel/client 18.4.2 `createDeployment` (in this process), with the
//         projectSettings our CLI sends (read from the stand-in and checked every run). It has no
//         rollback (neither have the builders): its way back is to deploy the old version again.
//         Netlify has no peer here.
//
// Every run: deploy A (cold, recorded as context), reset the stand-in's counts, deploy B (A with
// src/message.txt changed: the measured redeploy), then roll back to A while polling
// GET /__production/<name>/ every 10 ms from the start of the command until it serves A
// ("click to production switched"), then forward to B again the same way. Checked every run:
// each redeploy uploads exactly the changed file, production serves what it should after each
// step, and both contenders build with the same settings.
//
//   node bench/deploy/deploy.mjs [--runs 5] [--files 300] [--bin target/release/liftoff]
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';

import { createDeployment } from '@vercel/client';

import { WORDS, codeGenerator } from '../lib/code-project.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../..');
const FIXTURE = join(ROOT, 'tests/fixtures/deploy-app');
const VERCEL_TOKEN = 'vercel-bench-token-0123456789abcdef';
const NETLIFY_TOKEN = 'netlify-bench-token-0123456789abcdef';
const NAME = 'bench-app';
const POLL_MS = 10;

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}
const RUNS = Number(option('runs', 5));
const FILES = Number(option('files', 300));
const BIN = option('bin', join(ROOT, 'target/release/liftoff'));
const WARMUP = !process.argv.includes('--no-warmup');

// ---------------------------------------------------------------------------------------------
// The project: the deploy-app fixture plus FILES code-like text files (5–30 KB) and 3 binary
// images (~200 KB of random bytes), from a fixed seed. B = A with src/message.txt changed.


const MESSAGE_A = 'Bench version A: the one production goes back to\n';
const MESSAGE_B = 'Bench version B: the one-file change\n';
const MARK_A = 'Bench version A';
const MARK_B = 'Bench version B';

function generate(dir, { seed = 20261124, files = FILES } = {}) {
  const { rng, int, pick, cap, ident, areas, text } = codeGenerator(seed);

  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(join(dir, 'src/message.txt'), MESSAGE_A);
  let textBytes = 0;
  let binaryBytes = 0;
  for (let i = 0; i < files; i++) {
    const path = `src/${pick(areas)}/${pick(WORDS)}/${cap(ident())}${i}.${pick(['tsx', 'ts', 'jsx', 'js'])}`;
    const body = text(int(5_000, 30_000), i);
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), body);
    textBytes += body.length;
  }
  for (let i = 0; i < 3; i++) {
    const size = int(190_000, 210_000);
    const body = Buffer.alloc(size);
    for (let k = 0; k + 4 <= size; k += 4) body.writeUInt32LE(Math.floor(rng() * 4294967296), k);
    const path = `public/images/${pick(WORDS)}-${i}.${['png', 'jpg', 'webp'][i]}`;
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), body);
    binaryBytes += size;
  }
  let fixtureFiles = 0;
  let fixtureBytes = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        fixtureFiles++;
        fixtureBytes += readFileSync(path).length;
      }
    }
  };
  walk(dir);
  return { files: fixtureFiles, bytes: fixtureBytes, generatedText: { files, bytes: textBytes }, binaries: { files: 3, bytes: binaryBytes } };
}

// ---------------------------------------------------------------------------------------------
// Stand-ins, each in its own process (`node tests/servers/<x>.mjs --port 0`), driven over HTTP:
// GET /__stats, POST /__reset, GET /__production/<name>/.

async function startStandIn(kind) {
  const script = join(ROOT, 'tests/servers', `${kind}.mjs`);
  const token = kind === 'vercel' ? VERCEL_TOKEN : NETLIFY_TOKEN;
  const child = spawn(process.execPath, [script, '--port', '0', '--token', token], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.on('exit', (code) => reject(new Error(`${kind} stand-in exited ${code}: ${stderr}`)));
  });
  const { origin } = JSON.parse(line);
  const api = async (path, init = {}) => {
    const prefix = kind === 'netlify' ? '/api/v1' : '';
    const r = await fetch(`${origin}${prefix}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
    if (!r.ok) throw new Error(`${kind} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  return {
    kind,
    origin,
    token,
    api,
    stats: async () => (await fetch(`${origin}/__stats`)).json(),
    reset: async () => (await fetch(`${origin}/__reset`, { method: 'POST' })).json(),
    production: async () => {
      const r = await fetch(`${origin}/__production/${NAME}/`);
      return { status: r.status, text: await r.text() };
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Request counts and body bytes from a stand-in's /__stats. */
function volume(stats) {
  const requests = stats.requests;
  const byTarget = {};
  for (const r of requests) byTarget[r.target ?? 'other'] = (byTarget[r.target ?? 'other'] ?? 0) + 1;
  return {
    requests: requests.length,
    byTarget,
    bodyBytes: requests.reduce((n, r) => n + (r.bytesIn ?? 0), 0),
    fileBytes: requests.filter((r) => r.target === 'files').reduce((n, r) => n + (r.bytesIn ?? 0), 0),
    fileUploads: requests.filter((r) => r.target === 'files').length,
    uploadedBytes: stats.uploadedBytes ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// The contenders' actions.

function liftoff(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env: { ...process.env, VERCEL_TOKEN: '', NETLIFY_AUTH_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`liftoff ${args[0]} exited ${code}: ${stderr}`))));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `action` while polling the stand-in's production page every POLL_MS from t0 until it
 * contains `mark`. Resolves {switched, done, result}: ms from t0 to the first poll that saw the
 * mark, and to the end of the action.
 */
async function timedSwitch(server, mark, action) {
  const t0 = performance.now();
  let finished = false;
  let doneAt = 0;
  let switched = null;
  const poller = (async () => {
    const deadline = t0 + 120_000;
    while (performance.now() < deadline) {
      const page = await server.production();
      if (page.status === 200 && page.text.includes(mark)) {
        switched = performance.now() - t0;
        return;
      }
      if (finished && performance.now() - doneAt > 5_000) return;
      await sleep(POLL_MS);
    }
  })();
  const result = await action();
  doneAt = performance.now();
  finished = true;
  await poller;
  if (switched === null) throw new Error(`${server.kind}: production never served "${mark}"`);
  return { switched, done: doneAt - t0, result };
}

async function timed(action) {
  const epoch = Date.now();
  const t0 = performance.now();
  const result = await action();
  return { ms: performance.now() - t0, epoch, result };
}

/** Where a redeploy's time went, from the stand-in's own timestamps (same clock). */
const timeline = (run, info) => ({
  buildMs: info.ready - info.buildingAt,
  serverReadyMs: info.ready - info.createdAt,
  createdAfterMs: info.createdAt - run.epoch,
  readyAfterMs: info.ready - run.epoch,
  seenAfterReadyMs: run.ms - (info.ready - run.epoch),
});

const oursVercel = (server) => ({
  deploy: (dir) => liftoff(['deploy', dir, '--to', 'vercel', '--project', NAME, '--api', server.origin, '--json'], { VERCEL_TOKEN }),
  rollback: (...more) => liftoff(['rollback', '--to', 'vercel', '--project', NAME, '--api', server.origin, '--json', ...more], { VERCEL_TOKEN }),
});
const oursNetlify = (server) => ({
  deploy: (dir) => liftoff(['deploy', dir, '--to', 'netlify', '--project', NAME, '--api', server.origin, '--json'], { NETLIFY_AUTH_TOKEN: NETLIFY_TOKEN }),
  rollback: (...more) => liftoff(['rollback', '--to', 'netlify', '--project', NAME, '--api', server.origin, '--json', ...more], { NETLIFY_AUTH_TOKEN: NETLIFY_TOKEN }),
});

/** @vercel/client's createDeployment to its last event; resolves {id, readyState, events}. */
async function vercelClient(server, dir, projectSettings) {
  const types = [];
  const at = {}; // ms from the call to each event's first occurrence
  const t0 = performance.now();
  let last;
  for await (const event of createDeployment({ token: server.token, path: dir, apiUrl: server.origin }, { name: NAME, target: 'production', projectSettings })) {
    types.push(event.type);
    at[event.type] ??= Math.round(performance.now() - t0);
    last = event;
  }
  if (last?.type !== 'alias-assigned') throw new Error(`@vercel/client ended with ${last?.type}: ${types.join(', ')}; ${JSON.stringify(last?.payload)?.slice(0, 400)}`);
  return { id: last.payload.id, readyState: last.payload.readyState, events: at };
}

// ---------------------------------------------------------------------------------------------
// One run of each contender.

const sha1 = (bytes) => createHash('sha1').update(bytes).digest('hex');
const CHANGED_SHA = sha1(Buffer.from(MESSAGE_B));

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

async function deploymentOf(server, id) {
  const d = await server.api(`/v13/deployments/${id}`);
  return { id: d.id, projectSettings: d.projectSettings, createdAt: d.createdAt, buildingAt: d.buildingAt, ready: d.ready, readyState: d.readyState };
}

/** Checks what a redeploy uploaded: exactly the changed file. */
function checkRedeployUploads(who, stats) {
  const files = stats.requests.filter((r) => r.target === 'files');
  check(files.length === 1 && files[0].status === 200, `${who}: one upload on the redeploy, got ${files.length}`);
  check(files[0].bytesIn === Buffer.byteLength(MESSAGE_B), `${who}: the upload is the changed file (${files[0].bytesIn} bytes)`);
}

let SETTINGS = null; // what our CLI sends as projectSettings, read from the stand-in

async function runOursVercel(A, B) {
  const server = await startStandIn('vercel');
  try {
    const cli = oursVercel(server);
    const first = await timed(() => cli.deploy(A));
    const firstVolume = volume(await server.stats());
    const a = first.result;
    check(a.state === 'READY', 'ours: A READY');
    const settings = (await deploymentOf(server, a.id)).projectSettings;
    if (SETTINGS === null) SETTINGS = settings;
    check(isDeepStrictEqual(settings, SETTINGS), `ours: projectSettings ${JSON.stringify(settings)} = ${JSON.stringify(SETTINGS)}`);

    await server.reset();
    const redeploy = await timed(() => cli.deploy(B));
    const stats = await server.stats();
    checkRedeployUploads('ours', stats);
    check(stats.uploadedBytes === Buffer.byteLength(MESSAGE_B), 'ours: uploaded bytes');
    const b = redeploy.result;
    check(b.state === 'READY' && (await server.production()).text.includes(MARK_B), 'ours: production serves B');
    const bInfo = await deploymentOf(server, b.id);

    await server.reset();
    const back = await timedSwitch(server, MARK_A, () => cli.rollback());
    const backVolume = volume(await server.stats());
    check(back.result.id === a.id, `ours: rolled back to A (${back.result.id})`);

    await server.reset();
    const forward = await timedSwitch(server, MARK_B, () => cli.rollback('--deployment', b.id));
    const forwardVolume = volume(await server.stats());
    check(forward.result.id === b.id, 'ours: forward to B');
    return {
      first: { ms: first.ms, ...firstVolume },
      redeploy: { ms: redeploy.ms, ...volume(stats), ...timeline(redeploy, bInfo) },
      rollback: { switched: back.switched, done: back.done, ...backVolume },
      forward: { switched: forward.switched, done: forward.done, ...forwardVolume },
    };
  } finally {
    await server.stop();
  }
}

async function runPeerVercel(A, B) {
  const server = await startStandIn('vercel');
  try {
    const first = await timed(() => vercelClient(server, A, SETTINGS));
    const firstVolume = volume(await server.stats());
    const aInfo = await deploymentOf(server, first.result.id);
    check(isDeepStrictEqual(aInfo.projectSettings, SETTINGS), `peer: projectSettings ${JSON.stringify(aInfo.projectSettings)}`);

    await server.reset();
    const redeploy = await timed(() => vercelClient(server, B, SETTINGS));
    const stats = await server.stats();
    checkRedeployUploads('peer', stats);
    check((await server.production()).text.includes(MARK_B), 'peer: production serves B');
    const bInfo = await deploymentOf(server, redeploy.result.id);

    await server.reset();
    const back = await timedSwitch(server, MARK_A, () => vercelClient(server, A, SETTINGS));
    const backVolume = volume(await server.stats());
    check(backVolume.fileUploads === 0, 'peer: redeploying A uploads nothing');

    await server.reset();
    const forward = await timedSwitch(server, MARK_B, () => vercelClient(server, B, SETTINGS));
    const forwardVolume = volume(await server.stats());
    return {
      first: { ms: first.ms, ...firstVolume },
      redeploy: { ms: redeploy.ms, ...volume(stats), ...timeline(redeploy, bInfo), events: redeploy.result.events },
      rollback: { switched: back.switched, done: back.done, ...backVolume, events: back.result.events },
      forward: { switched: forward.switched, done: forward.done, ...forwardVolume },
    };
  } finally {
    await server.stop();
  }
}

async function runOursNetlify(A, B) {
  const server = await startStandIn('netlify');
  try {
    const cli = oursNetlify(server);
    const first = await timed(() => cli.deploy(A));
    const firstVolume = volume(await server.stats());
    const a = first.result;
    check(a.state === 'ready', 'netlify: A ready');

    await server.reset();
    const redeploy = await timed(() => cli.deploy(B));
    const redeployVolume = volume(await server.stats());
    const b = redeploy.result;
    check(b.state === 'ready' && (await server.production()).text.includes(MARK_B), 'netlify: production serves B');

    await server.reset();
    const back = await timedSwitch(server, MARK_A, () => cli.rollback());
    const backVolume = volume(await server.stats());
    check(back.result.id === a.id, 'netlify: rolled back to A');

    await server.reset();
    const forward = await timedSwitch(server, MARK_B, () => cli.rollback('--deployment', b.id));
    const forwardVolume = volume(await server.stats());
    check(forward.result.id === b.id, 'netlify: forward to B');
    return {
      first: { ms: first.ms, ...firstVolume },
      redeploy: { ms: redeploy.ms, ...redeployVolume },
      rollback: { switched: back.switched, done: back.done, ...backVolume },
      forward: { switched: forward.switched, done: forward.done, ...forwardVolume },
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmtMs = (x) => `${Math.round(x).toLocaleString('en-US')} ms`;
const bytes = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} MB` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} KB` : `${x} B`);
const stat = (runs, pick) => {
  const xs = runs.map(pick);
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), all: xs };
};
const range = (s, f) => (s.min === s.max ? f(s.min) : `${f(s.min)}–${f(s.max)}`);

function machine() {
  const sh = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  return {
    nproc: Number(sh('nproc', [])) || cpus().length,
    cpu: cpus()[0]?.model ?? null,
    node: process.version,
    rustc: sh('rustc', ['--version']),
    liftoff: sh(BIN, ['--version']),
  };
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'bench-deploy-'));
  const A = join(work, 'A', NAME);
  const B = join(work, 'B', NAME);
  const shape = generate(A);
  cpSync(A, B, { recursive: true });
  writeFileSync(join(B, 'src/message.txt'), MESSAGE_B);
  const host = machine();
  console.log(`project A: ${shape.files} files, ${bytes(shape.bytes)} (deploy-app fixture + ${shape.generatedText.files} text files ${bytes(shape.generatedText.bytes)} + 3 random binaries ${bytes(shape.binaries.bytes)}); B = A with src/message.txt changed (${Buffer.byteLength(MESSAGE_A)} → ${Buffer.byteLength(MESSAGE_B)} bytes)`);
  console.log(`ours: ${host.liftoff} (${relative(ROOT, BIN)}); peer: @vercel/client 18.4.2; ${host.node}; ${host.rustc}; ${host.nproc} cores (${host.cpu}); load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const results = { ours: [], peer: [], netlify: [] };
  const loads = [];
  const t0 = performance.now();
  try {
    // Our CLI first in the warm-up round: it tells which projectSettings the peer must send.
    for (let round = WARMUP ? 0 : 1; round <= RUNS; round++) {
      const order = round % 2 && SETTINGS !== null ? ['peer', 'ours', 'netlify'] : ['ours', 'peer', 'netlify'];
      const got = {};
      for (const who of order) {
        got[who] = await { ours: runOursVercel, peer: runPeerVercel, netlify: runOursNetlify }[who](A, B);
      }
      loads.push(loadavg()[0]);
      const line = `ours redeploy ${fmtMs(got.ours.redeploy.ms)}, rollback ${fmtMs(got.ours.rollback.switched)}; peer redeploy ${fmtMs(got.peer.redeploy.ms)}, redeploy A ${fmtMs(got.peer.rollback.switched)}; netlify rollback ${fmtMs(got.netlify.rollback.switched)}; load ${loadavg()[0].toFixed(2)}`;
      process.stderr.write(`  ${round === 0 ? 'warm-up' : `round ${round}/${RUNS}`}: ${line}\n`);
      if (round === 0) continue;
      for (const who of Object.keys(got)) results[who].push(got[who]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const elapsed = performance.now() - t0;

  const summary = {};
  for (const [who, runs] of Object.entries(results)) {
    summary[who] = {
      firstMs: stat(runs, (r) => r.first.ms),
      firstFileBytes: stat(runs, (r) => r.first.fileBytes),
      firstUploads: stat(runs, (r) => r.first.fileUploads),
      firstBodyBytes: stat(runs, (r) => r.first.bodyBytes),
      redeployMs: stat(runs, (r) => r.redeploy.ms),
      redeployFileBytes: stat(runs, (r) => r.redeploy.fileBytes),
      redeployBodyBytes: stat(runs, (r) => r.redeploy.bodyBytes),
      redeployRequests: stat(runs, (r) => r.redeploy.requests),
      redeployByTarget: runs[0].redeploy.byTarget,
      redeployBuildMs: runs[0].redeploy.buildMs === undefined ? null : stat(runs, (r) => r.redeploy.buildMs),
      redeployServerReadyMs: runs[0].redeploy.serverReadyMs === undefined ? null : stat(runs, (r) => r.redeploy.serverReadyMs),
      redeployCreatedAfterMs: runs[0].redeploy.createdAfterMs === undefined ? null : stat(runs, (r) => r.redeploy.createdAfterMs),
      redeployReadyAfterMs: runs[0].redeploy.readyAfterMs === undefined ? null : stat(runs, (r) => r.redeploy.readyAfterMs),
      redeploySeenAfterReadyMs: runs[0].redeploy.seenAfterReadyMs === undefined ? null : stat(runs, (r) => r.redeploy.seenAfterReadyMs),
      rollbackSwitched: stat(runs, (r) => r.rollback.switched),
      rollbackDone: stat(runs, (r) => r.rollback.done),
      rollbackRequests: stat(runs, (r) => r.rollback.requests),
      rollbackBodyBytes: stat(runs, (r) => r.rollback.bodyBytes),
      rollbackByTarget: runs[0].rollback.byTarget,
      forwardSwitched: stat(runs, (r) => r.forward.switched),
      forwardDone: stat(runs, (r) => r.forward.done),
      forwardRequests: stat(runs, (r) => r.forward.requests),
    };
  }
  const o = summary.ours;
  const p = summary.peer;
  const n = summary.netlify;
  const ratio = (x, y) => x / y;
  const ratios = {
    redeployMs: ratio(p.redeployMs.median, o.redeployMs.median),
    redeployBodyBytes: ratio(p.redeployBodyBytes.median, o.redeployBodyBytes.median),
    redeployRequests: ratio(p.redeployRequests.median, o.redeployRequests.median),
    rollbackSwitched: ratio(p.rollbackSwitched.median, o.rollbackSwitched.median),
    forwardSwitched: ratio(p.forwardSwitched.median, o.forwardSwitched.median),
  };
  const kinds = (byTarget) => Object.entries(byTarget).map(([k, v]) => `${v} ${k}`).join(', ');

  console.log(`\nmedian of ${RUNS} runs${WARMUP ? ' (after 1 warm-up round)' : ''}, ours and the peer alternating, each on its own stand-in process; load (1 min) ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}; ${(elapsed / 1000).toFixed(0)} s in all\n`);
  console.log('Redeploy to Vercel after a one-file change (B after A), to READY:\n');
  console.log('| contender | wall time to READY | min–max | uploaded to /v2/files | request bodies, all requests | requests | READY on the stand-in (build) |');
  console.log('|---|---:|---:|---:|---:|---|---:|');
  for (const [label, s] of [['**ours** (`liftoff deploy`)', o], ['@vercel/client 18.4.2 `createDeployment`', p]]) {
    console.log(`| ${label} | ${fmtMs(s.redeployMs.median)} | ${range(s.redeployMs, fmtMs)} | ${bytes(s.redeployFileBytes.median)} | ${bytes(s.redeployBodyBytes.median)} | ${s.redeployRequests.median} (${kinds(s.redeployByTarget)}) | ${fmtMs(s.redeployServerReadyMs.median)} (${fmtMs(s.redeployBuildMs.median)}) |`);
  }
  console.log(`| peer ÷ ours | ${ratios.redeployMs.toFixed(2)}× | | | ${ratios.redeployBodyBytes.toFixed(2)}× | ${ratios.redeployRequests.toFixed(2)}× | |`);
  console.log('\nWhere the redeploy time goes (medians, from the start of the command, by the stand-in\'s clock): deployment created → READY on the stand-in → the client sees it');
  for (const [label, s] of [['ours', o], ['peer', p]]) {
    console.log(`  ${label}: created at ${fmtMs(s.redeployCreatedAfterMs.median)}, READY at ${fmtMs(s.redeployReadyAfterMs.median)}, seen ${fmtMs(s.redeploySeenAfterReadyMs.median)} later (status polling)`);
  }
  const firstStatus = stat(results.peer, (r) => r.redeploy.events.building ?? NaN);
  console.log(`  (@vercel/client asks for the status at once, then every second; its first answer came at ${fmtMs(firstStatus.median)}, ${range(firstStatus, fmtMs)}: the stand-in writes the build's 300-odd files synchronously, so it answers late while a build starts. Ours asks every second for the first 15 s of a build, then backs off up to 10 s.)`);
  console.log(`\n(first deploy of A, for scale: ours ${o.firstUploads.median} uploads, ${bytes(o.firstFileBytes.median)} to /v2/files, ${fmtMs(o.firstMs.median)}; peer ${p.firstUploads.median} uploads, ${bytes(p.firstFileBytes.median)}, ${fmtMs(p.firstMs.median)})`);

  console.log('\nBack to A with B live, click to production switched (GET /__production/<name>/ every 10 ms):\n');
  console.log('| contender | production switched (median) | min–max | command returned | requests | forward to B again (switched) |');
  console.log('|---|---:|---:|---:|---|---:|');
  console.log(`| **ours**, Vercel: \`liftoff rollback --to vercel\` | ${fmtMs(o.rollbackSwitched.median)} | ${range(o.rollbackSwitched, fmtMs)} | ${fmtMs(o.rollbackDone.median)} | ${o.rollbackRequests.median} (${kinds(o.rollbackByTarget)}) | ${fmtMs(o.forwardSwitched.median)} (\`--deployment\`) |`);
  console.log(`| @vercel/client: redeploy A (no rollback) | ${fmtMs(p.rollbackSwitched.median)} | ${range(p.rollbackSwitched, fmtMs)} | ${fmtMs(p.rollbackDone.median)} | ${p.rollbackRequests.median} (${kinds(p.rollbackByTarget)}) | ${fmtMs(p.forwardSwitched.median)} (redeploy B) |`);
  console.log(`| peer ÷ ours (Vercel) | ${ratios.rollbackSwitched.toFixed(1)}× | | | | ${ratios.forwardSwitched.toFixed(1)}× |`);
  console.log(`| **ours**, Netlify: \`liftoff rollback --to netlify\` (no peer) | ${fmtMs(n.rollbackSwitched.median)} | ${range(n.rollbackSwitched, fmtMs)} | ${fmtMs(n.rollbackDone.median)} | ${n.rollbackRequests.median} (${kinds(n.rollbackByTarget)}) | ${fmtMs(n.forwardSwitched.median)} (\`--deployment\`) |`);
  console.log(`\n(Netlify redeploy of B, for scale: ${fmtMs(n.redeployMs.median)}, ${n.redeployRequests.median} requests, ${bytes(n.redeployBodyBytes.median)} of request bodies: the whole tree as a zip, since a build from a zip has no per-file dedupe)`);

  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `deploy-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}Z.json`);
  writeFileSync(
    file,
    JSON.stringify({ date: new Date().toISOString(), runs: RUNS, warmup: WARMUP, pollMs: POLL_MS, machine: host, loadavg: loads, elapsedMs: elapsed, project: shape, changedFile: { path: 'src/message.txt', bytes: Buffer.byteLength(MESSAGE_B), sha: CHANGED_SHA }, projectSettings: SETTINGS, summary, ratios, results }, null, 2),
  );
  console.log(`\nwritten: ${relative(ROOT, file)}`);
}

await main();
