// Issue 3's benchmark: "click to zip" for a Lovable project, ours against the peers' strategy,
// in one Node process, against the same local stand-in of Lovable's API.
//
//   bench/lovable/run.sh [--runs N] [--files N] [--latency MS]   (defaults 5, 150, 50)
//   node bench/lovable/fetch.mjs [same options]                   (once bench/node_modules exists)
//
// The stand-in (tests/servers/lovable.mjs, run as its own process over plain HTTP on 127.0.0.1)
// serves a generated Lovable-shaped project (bench/lovable/project.mjs, written to a temporary
// folder; a third binary) with `latency` ms added to every request and the one-request
// `source-code` endpoint switched off, so both contenders fetch one file per request:
//   ours   the wasm core's BuilderSession.fetch('lovable', …) (the extension's conversation: source-code
//          first, then the listing, then 8 files at a time), driven by a fetch loop like the
//          extension's, then finish(): normalized and zipped, as the extension's Export does;
//   peers  what existing Lovable downloaders do: the listing, then the files five at a time with
//          a 100 ms pause between batches, then JSZip with DEFLATE.
// Interleaved (the order alternates every round), 1 warm-up each, median of N. Every zip is
// checked against the fixture before any figure is printed. Prints a table and writes
// bench/results/lovable-fetch-<date>.json.

import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import JSZip from 'jszip';
import { unzipSync } from 'fflate';

import { lovableProject } from './project.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const WASM_DIR = path.resolve(process.env.LIFTOFF_WASM_DIR ?? path.join(root, 'extension/wasm'));
const SERVER = path.join(root, 'tests/servers/lovable.mjs');

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  return Number(argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1]);
};
const RUNS = opt('runs', 5);
const FILES = opt('files', 150);
const LATENCY = opt('latency', 50);
const PEER_BATCH = 5;
const PEER_PAUSE_MS = 100;
const CORE_CONCURRENCY = 8; // LovableConfig::new in crates/liftoff-core/src/lovable/api.rs
for (const [k, v, min] of [['runs', RUNS, 1], ['files', FILES, 80], ['latency', LATENCY, 0]]) {
  if (!Number.isInteger(v) || v < min) throw new Error(`--${k} must be an integer >= ${min}, got ${v}`);
}

const log = (...a) => console.error('[lovable]', ...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (n) => Math.round(n).toLocaleString('en-US');
const sleep = (t) => new Promise((r) => setTimeout(r, t));

// ------------------------------------------------------------------------------------------
// The core, snapshotted (glue and wasm copied together) so a rebuild meanwhile cannot mix builds.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'liftoff-bench-lovable-'));
const snap = path.join(tmp, 'wasm');
mkdirSync(snap);
for (const f of ['liftoff_wasm.js', 'liftoff_wasm_bg.wasm']) {
  if (!existsSync(path.join(WASM_DIR, f))) {
    console.error(`missing ${path.join(WASM_DIR, f)}: run ./build.sh (bench/lovable/run.sh does it for you)`);
    process.exit(1);
  }
  copyFileSync(path.join(WASM_DIR, f), path.join(snap, f));
}
const wasmBytes = readFileSync(path.join(snap, 'liftoff_wasm_bg.wasm'));
const wasmSha = createHash('sha256').update(wasmBytes).digest('hex');
const { default: init, BuilderSession, version } = await import(pathToFileURL(path.join(snap, 'liftoff_wasm.js')).href);
await init({ module_or_path: wasmBytes });

// ------------------------------------------------------------------------------------------
// The fixture: a Lovable project written to a temporary folder.
const project = lovableProject({ seed: 20261125, files: FILES });
const fixtureDir = path.join(tmp, 'project');
project.paths.forEach((p, i) => {
  mkdirSync(path.dirname(path.join(fixtureDir, p)), { recursive: true });
  writeFileSync(path.join(fixtureDir, p), project.contents[i]);
});
const fixture = new Map(project.paths.map((p, i) => [p, project.contents[i]]));
const binaryPaths = project.paths.filter((_, i) => project.binary[i]);
const s = project.summary;
log(`fixture: ${s.files} files, ${(s.bytes / 1e6).toFixed(2)} MB (${s.binaryFiles} binaries ${(s.binaryBytes / 1e6).toFixed(2)} MB, ` +
  `${s.textFiles} text ${(s.textBytes / 1e6).toFixed(2)} MB) in ${fixtureDir}`);

// The stand-in, as its own process: its event loop never competes with the measured one.
const PROJECT_ID = '3f0e9c2a-7b4d-4e1a-9c6f-2d8b5a1e7c40';
const TOKEN = 'bench-lovable-session-token';
const server = spawn(process.execPath, [SERVER, '--port', '0', '--host', '127.0.0.1', '--fixture', fixtureDir,
  '--project', PROJECT_ID, '--token', TOKEN, '--latency', String(LATENCY), '--no-source-code'],
{ stdio: ['ignore', 'pipe', 'pipe'] });
let serverErr = '';
server.stderr.on('data', (d) => { serverErr += d; }); // its request counts on exit: /__stats has them
const origin = await new Promise((resolve, reject) => {
  server.once('exit', (code) => reject(new Error(`the stand-in exited (${code}) before listening: ${serverErr}`)));
  createInterface({ input: server.stdout }).once('line', (line) => resolve(JSON.parse(line).origin));
});
log(`stand-in at ${origin} (pid ${server.pid}): ${LATENCY} ms per request, source-code endpoint off`);

const stats = async () => (await fetch(`${origin}/__stats`)).json();
const reset = () => fetch(`${origin}/__reset`, { method: 'POST' }).then((r) => r.arrayBuffer());

// ------------------------------------------------------------------------------------------
// Ours: the core's conversation, driven the way extension/background/core/fetch-driver.js drives it.
async function drive(session) {
  const inFlight = new Map();
  const start = (request) => {
    const settled = (async () => {
      let outcome;
      try {
        const response = await fetch(request.url, {
          method: request.method, headers: request.headers, redirect: 'manual',
          body: request.body ? Uint8Array.from(request.body) : undefined,
        });
        outcome = { status: response.status, headers: [...response.headers], body: new Uint8Array(await response.arrayBuffer()) };
      } catch (error) {
        outcome = { error: String(error?.message ?? error) };
      }
      inFlight.delete(request.id);
      if (outcome.error !== undefined) session.handleNetworkError(request.id, outcome.error, Date.now());
      else session.handleResponse(request.id, outcome.status, outcome.headers, outcome.body, Date.now());
    })();
    inFlight.set(request.id, settled);
  };
  for (;;) {
    for (const request of session.pollTransmit(Date.now())) start(request);
    if (session.isFinished()) return;
    const wake = session.nextWakeup();
    if (inFlight.size === 0 && wake === undefined) throw new Error('stalled: nothing in flight, no wakeup, not finished');
    const waits = [...inFlight.values()];
    let timer;
    if (wake !== undefined) waits.push(new Promise((r) => (timer = setTimeout(r, Math.max(0, wake - Date.now())))));
    await Promise.race(waits);
    clearTimeout(timer);
  }
}

async function ours({ raw = false } = {}) {
  const t0 = performance.now();
  const session = BuilderSession.fetch('lovable', PROJECT_ID, TOKEN, { api: origin, raw });
  await drive(session);
  const t1 = performance.now();
  const result = session.finish();
  const t2 = performance.now();
  session.free();
  return { ms: t2 - t0, fetchMs: t1 - t0, zipMs: t2 - t1, zip: result.zip, report: result.report };
}

// ------------------------------------------------------------------------------------------
// The peers: listing, files five at a time with a pause between batches, JSZip DEFLATE.
async function peers() {
  const t0 = performance.now();
  const headers = { authorization: `Bearer ${TOKEN}` };
  const api = `${origin}/projects/${PROJECT_ID}`;
  const listing = await fetch(`${api}/git/files?ref=main`, { headers });
  if (!listing.ok) throw new Error(`peers: listing answered ${listing.status}`);
  const files = (await listing.json()).files.filter((f) => f.type === 'file');
  const zip = new JSZip();
  for (let i = 0; i < files.length; i += PEER_BATCH) {
    await Promise.all(files.slice(i, i + PEER_BATCH).map(async (f) => {
      const r = await fetch(`${api}/git/file?path=${encodeURIComponent(f.path)}&ref=main`, { headers });
      if (!r.ok) throw new Error(`peers: ${f.path} answered ${r.status}`);
      zip.file(f.path, new Uint8Array(await r.arrayBuffer()));
    }));
    if (i + PEER_BATCH < files.length) await sleep(PEER_PAUSE_MS);
  }
  const t1 = performance.now();
  const out = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  const t2 = performance.now();
  return { ms: t2 - t0, fetchMs: t1 - t0, zipMs: t2 - t1, zip: out };
}

// ------------------------------------------------------------------------------------------
// Checks against the fixture.
const same = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
const filesOf = (zip) => Object.fromEntries(Object.entries(unzipSync(zip)).filter(([n]) => !n.endsWith('/')));

/** Exactly the fixture, byte for byte. */
function checkExact(name, zip) {
  const files = filesOf(zip);
  const names = Object.keys(files);
  if (names.length !== fixture.size) throw new Error(`${name}: ${names.length} files in the zip, ${fixture.size} in the fixture`);
  for (const [p, want] of fixture) {
    if (!files[p]) throw new Error(`${name}: ${p} is missing`);
    if (!same(files[p], want)) throw new Error(`${name}: ${p} differs from the fixture`);
  }
  return { files: names.length, identical: names.length };
}

/** The normalized export: every fixture file byte for byte unless the report says it changed. */
function checkNormalized(zip, report) {
  const files = filesOf(zip);
  const changed = new Map(report.changes.map((c) => [c.path, c.action]));
  const actionFor = (p) => changed.get(p) ?? [...changed].find(([k]) => k.endsWith('/') && p.startsWith(k))?.[1];
  let identical = 0, removed = 0;
  for (const [p, want] of fixture) {
    const action = actionFor(p);
    if (action === 'removed') {
      if (files[p]) throw new Error(`ours: ${p} is reported removed but is in the zip`);
      removed++;
    } else if (!files[p]) throw new Error(`ours: ${p} is missing and not reported removed`);
    else if (same(files[p], want)) identical++;
    else if (action !== 'edited') throw new Error(`ours: ${p} differs from the fixture and is not reported edited`);
  }
  for (const p of binaryPaths) if (!files[p] || !same(files[p], fixture.get(p))) throw new Error(`ours: binary ${p} differs`);
  const added = Object.keys(files).filter((p) => !fixture.has(p));
  for (const p of added) if (actionFor(p) !== 'added') throw new Error(`ours: ${p} is in the zip but not reported added`);
  if (new TextDecoder().decode(files['package.json']).includes('lovable-tagger')) throw new Error('ours: package.json still names lovable-tagger');
  return { files: Object.keys(files).length, identical, removed, edited: [...changed].filter(([, a]) => a === 'edited').map(([p]) => p), added: added.length };
}

/** Requests from /__stats: total, by endpoint, and any status other than 200. */
function countRequests(st) {
  const by = { 'source-code': 0, listing: 0, file: 0 };
  const statuses = {};
  for (const r of st.requests) {
    const kind = r.path.includes('/source-code') ? 'source-code' : r.path.includes('/git/files') ? 'listing' : 'file';
    by[kind]++;
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
  return { total: st.total, ...by, statuses };
}

// ------------------------------------------------------------------------------------------
let failed = false;
try {
  const contenders = { ours: () => ours(), peers: () => peers() };
  const labels = {
    ours: `ours: wasm BuilderSession.fetch('lovable'), ${CORE_CONCURRENCY} at a time, then finish() (normalize + zip)`,
    peers: `peers: listing, ${PEER_BATCH} at a time + ${PEER_PAUSE_MS} ms pause, then JSZip DEFLATE`,
  };

  // Warm-up and correctness, before any figure is believed.
  const verification = {};
  for (const n of Object.keys(contenders)) {
    await reset();
    const r = await contenders[n]();
    const req = countRequests(await stats());
    verification[n] = n === 'ours' ? checkNormalized(r.zip, r.report) : checkExact(n, r.zip);
    log(`warm-up ${n}: ${ms(r.ms)} ms, ${req.total} requests; verified (${JSON.stringify(verification[n])})`);
  }
  await reset();
  const rawRun = await ours({ raw: true });
  verification.oursRaw = checkExact('ours (raw)', rawRun.zip);
  verification.oursRaw.requests = countRequests(await stats());
  log(`verified: ours with finish(raw) holds the fixture byte for byte (${verification.oursRaw.files} files)`);

  const names = Object.keys(contenders);
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  const load = [os.loadavg()[0]];
  for (let round = 0; round < RUNS; round++) {
    const order = round % 2 ? [...names].reverse() : names;
    const line = [];
    for (const n of order) {
      await reset();
      const r = await contenders[n]();
      const req = countRequests(await stats());
      // Every timed zip is checked too (outside the timing).
      if (n === 'ours') checkNormalized(r.zip, r.report); else checkExact(n, r.zip);
      runs[n].push({ ms: r.ms, fetchMs: r.fetchMs, zipMs: r.zipMs, zipBytes: r.zip.length, requests: req });
      line.push(`${n} ${ms(r.ms)} ms (${req.total} req)`);
    }
    load.push(os.loadavg()[0]);
    log(`round ${round + 1}/${RUNS}: ${line.join(', ')}`);
  }

  // ----------------------------------------------------------------------------------------
  const rows = names.map((n) => {
    const t = runs[n].map((r) => r.ms);
    return {
      name: n, label: labels[n], medianMs: median(t), minMs: Math.min(...t), maxMs: Math.max(...t), runsMs: t,
      fetchMedianMs: median(runs[n].map((r) => r.fetchMs)), zipMedianMs: median(runs[n].map((r) => r.zipMs)),
      requests: runs[n][0].requests, zipBytes: runs[n][0].zipBytes,
      requestsStable: runs[n].every((r) => r.requests.total === runs[n][0].requests.total),
    };
  });
  const med = Object.fromEntries(rows.map((r) => [r.name, r.medianMs]));
  // What the latency alone imposes on each strategy (no transfer, no CPU): sequential steps.
  const floors = {
    ours: LATENCY * (2 + Math.ceil(FILES / CORE_CONCURRENCY)),
    peers: LATENCY * (1 + Math.ceil(FILES / PEER_BATCH)) + PEER_PAUSE_MS * (Math.ceil(FILES / PEER_BATCH) - 1),
  };
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? os.cpus()[0]?.model;

  const reqCell = (q) => `${q.total} (${q['source-code'] ? `${q['source-code']} source-code 404 + ` : ''}1 listing + ${q.file} files)`;
  const table = [
    ['click to zip', 'median ms', 'min–max ms', 'fetch ms', 'then ms', 'requests', 'zip KB', '÷ ours'],
    ...rows.map((r) => [r.label, ms(r.medianMs), `${ms(r.minMs)}–${ms(r.maxMs)}`, ms(r.fetchMedianMs), ms(r.zipMedianMs),
      reqCell(r.requests), ms(r.zipBytes / 1000), (r.medianMs / med.ours).toFixed(2)]),
  ];
  const w = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const fmt = (row) => row.map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join('  ');
  console.log('');
  console.log(`Lovable fetch, click to zip: ${s.files} files, ${(s.bytes / 1e6).toFixed(2)} MB (${s.binaryFiles} binaries), ` +
    `${LATENCY} ms per request, source-code endpoint off; median of ${RUNS} interleaved runs after 1 warm-up; Node ${process.version}`);
  console.log(`load average (1 min) during the rounds ${Math.min(...load).toFixed(2)}–${Math.max(...load).toFixed(2)} (${os.availableParallelism()} cores, ${cpu})`);
  console.log(fmt(table[0]));
  for (const row of table.slice(1)) console.log(fmt(row));
  console.log('(fetch ms: from the first request to the last response; then ms: ours finish() = normalize + zip, the peers\' JSZip generateAsync)');
  console.log(`latency floors (sequential request steps × ${LATENCY} ms, plus the peers' pauses): ours ${ms(floors.ours)} ms, peers ${ms(floors.peers)} ms`);
  console.log(`peers ÷ ours: ${(med.peers / med.ours).toFixed(2)}×; fetch phase alone: ${(rows[1].fetchMedianMs / rows[0].fetchMedianMs).toFixed(2)}×`);
  console.log(`verified: the peers' zip and ours with finish(raw) hold the ${fixture.size} fixture files byte for byte; ours normalized: ` +
    `${verification.ours.identical} files byte for byte, ${verification.ours.edited.length} edited as reported (${verification.ours.edited.join(', ')}), ` +
    `${verification.ours.removed} removed as reported, ${verification.ours.added} added, every binary byte for byte`);
  console.log(`wasm: ${wasmBytes.length.toLocaleString('en-US')} bytes, core ${version()}, sha256 ${wasmSha.slice(0, 12)}`);

  const now = new Date();
  const stamp = now.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const outDir = path.join(root, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `lovable-fetch-${stamp}.json`);
  writeFileSync(file, JSON.stringify({
    benchmark: 'lovable-fetch', date: now.toISOString(), runs: RUNS, latencyMs: LATENCY,
    peerStrategy: { batch: PEER_BATCH, pauseMs: PEER_PAUSE_MS, zip: 'JSZip DEFLATE' }, coreConcurrency: CORE_CONCURRENCY,
    machine: { nproc: os.availableParallelism(), memBytes: os.totalmem(), cpu, node: process.version },
    loadAverage1m: load, gitHead: git(['rev-parse', 'HEAD']), core: version(),
    wasm: { sha256: wasmSha, rawBytes: wasmBytes.length }, fixture: s, verification, floors, results: rows, perRun: runs,
  }, null, 2) + '\n');
  console.log(`results: ${path.relative(root, file)}`);
} catch (e) {
  failed = true;
  console.error('\nBENCHMARK FAILED:', e?.stack ?? e);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

function git(args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}
