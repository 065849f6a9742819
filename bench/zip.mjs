// The zip benchmark of issue 2: our wasm zipFiles against JSZip and fflate, in one headless
// Chromium page, on a generated project of 2,000 files (about 40 MB, a third binary). Then, in
// the same page, issue 4's: on a Lovable-shaped project of 5,000 files (bench/lovable/project.mjs),
// zipFiles alone, normalizeFiles alone and normalizeAndZip, interleaved, (c)'s zip verified.
//
//   bench/run.sh [--runs N] [--no-profile] [--lovable-files N] (installs deps, builds the wasm if missing)
//   node bench/zip.mjs [same options]                            (once bench/node_modules exists)
//
// Prints a table and writes bench/results/zip-<date>.json.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
// LIFTOFF_WASM_DIR: benchmark another build of the core (a folder holding liftoff_wasm.js and
// liftoff_wasm_bg.wasm from wasm-bindgen --target web), served in place of extension/wasm/.
const WASM_DIR = path.resolve(process.env.LIFTOFF_WASM_DIR ?? path.join(root, 'extension/wasm'));
const WASM = path.join(WASM_DIR, 'liftoff_wasm_bg.wasm');
const GLUE = path.join(WASM_DIR, 'liftoff_wasm.js');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// ------------------------------------------------------------------------------------------
// Options.
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  return argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
};
const RUNS = Number(opt('runs', process.env.RUNS ?? 7));
const PROFILE = !argv.includes('--no-profile');
const LOVABLE_FILES = Number(opt('lovable-files', 5000));
const BREAKDOWN_RUNS = 3;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer, got ${RUNS}`);
if (!Number.isInteger(LOVABLE_FILES) || LOVABLE_FILES < 100) throw new Error(`--lovable-files must be an integer >= 100, got ${LOVABLE_FILES}`);

for (const f of [WASM, GLUE]) {
  if (!existsSync(f)) {
    console.error(`missing ${f}: run ./build.sh (bench/run.sh does it for you)`);
    process.exit(1);
  }
}

// A snapshot of the core taken now and served from memory: others may rebuild extension/wasm/
// while the benchmark runs, and the figures and the sizes must describe the same build.
const snapshot = { glue: readFileSync(GLUE), wasm: readFileSync(WASM) };
snapshot.sha256 = createHash('sha256').update(snapshot.wasm).digest('hex');
snapshot.gzip9 = execFileSync('gzip', ['-9c'], { input: snapshot.wasm, maxBuffer: 64 << 20 }).length;

const log = (...a) => console.error('[bench]', ...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mb = (n) => (n / 1e6).toFixed(1);
const ms = (n) => Math.round(n).toLocaleString('en-US');

// ------------------------------------------------------------------------------------------
// A static server for the repository root: only the wasm glue and bench/ are needed.
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm' };
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  const snap = { '/extension/wasm/liftoff_wasm.js': snapshot.glue, '/extension/wasm/liftoff_wasm_bg.wasm': snapshot.wasm }[url.pathname];
  if (snap) {
    res.writeHead(200, { 'content-type': TYPES[path.extname(url.pathname)], 'cache-control': 'no-store' }).end(snap);
    return;
  }
  const file = path.join(root, path.normalize(decodeURIComponent(url.pathname)));
  // bench/ and the extension's zip workers (they import the wasm glue above).
  const served = url.pathname.startsWith('/bench/') || url.pathname.startsWith('/extension/offscreen/zip-worker');
  const ok = file.startsWith(root + path.sep) && served
    && existsSync(file) && statSync(file).isFile();
  if (!ok) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

// ------------------------------------------------------------------------------------------
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  protocolTimeout: 600_000,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const page = await browser.newPage();
  page.on('console', (m) => log('page:', m.text()));
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  await page.goto(`${base}/bench/zip-page.html`);
  const info = await page.evaluate(() => window.benchReady);
  if (pageErrors.length) throw pageErrors[0];
  const loadBefore = os.loadavg();
  const browserVersion = await browser.version();
  log(`${browserVersion}, core ${info.version}, ${info.cores} cores seen by the page`);

  const project = await page.evaluate(() => window.bench.generate({ seed: 20261123, files: 2000 }));
  log(`project: ${project.files} files, ${mb(project.bytes)} MB (${project.storedFiles} binaries, ` +
    `${mb(project.storedBytes)} MB; ${project.textFiles} text files, ${mb(project.textBytes)} MB), ` +
    `generated in ${ms(project.generateMs)} ms`);
  const labels = await page.evaluate(() => window.bench.labels());
  const workerCounts = await page.evaluate(() => window.bench.workerCounts());
  const workerNames = workerCounts.map((n) => `workers${n}`);
  const names = ['ours', ...workerNames, 'jszip', 'jszipStore', 'fflate', 'fflateStore'];
  const run = (name) => page.evaluate((n) => window.bench.runOne(n), name);

  // Warm-up: one run of each.
  const sizes = {};
  for (const n of names) {
    const r = await run(n);
    sizes[n] = r.bytes;
    log(`warm-up ${n}: ${ms(r.ms)} ms, ${mb(r.bytes)} MB`);
  }

  // Correctness, before any figure is believed.
  const verification = await page.evaluate(() => window.bench.verify());
  log(`verified: ${workerCounts.join(', ')} zip workers give zipFiles' bytes; every contender round-trips byte for byte;`,
    `ours stores ${verification.ours.storedEntries} and deflates ${verification.ours.deflatedEntries} entries, deterministic`);

  // Interleaved rounds; the order rotates so that no contender always runs after the same one.
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < RUNS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    const line = [];
    for (const n of order) {
      const r = await run(n);
      if (r.bytes !== sizes[n] && (n === 'ours' || workerNames.includes(n))) throw new Error(`${n}: output size changed between runs (${r.bytes} vs ${sizes[n]})`);
      times[n].push(r.ms);
      line.push(`${n} ${ms(r.ms)}`);
    }
    log(`round ${round + 1}/${RUNS}: ${line.join(', ')}`);
  }

  // Issue 4: normalization against the zip on a Lovable-shaped project, same page, same runs.
  const lovProject = await page.evaluate((files) => window.bench.generateLovable({ seed: 20261124, files }), LOVABLE_FILES);
  log(`lovable project: ${lovProject.files} files, ${mb(lovProject.bytes)} MB (${lovProject.binaryFiles} binaries ` +
    `${mb(lovProject.binaryBytes)} MB; ${lovProject.textFiles} text ${mb(lovProject.textBytes)} MB; package-lock.json ` +
    `${(lovProject.lockBytes / 1000).toFixed(0)} KB), generated in ${ms(lovProject.generateMs)} ms`);
  const lovNames = ['lovZip', 'lovNormalize', 'lovNormalizeZip'];
  const lovOut = {};
  for (const n of lovNames) {
    const r = await run(n);
    lovOut[n] = r;
    log(`warm-up ${n}: ${ms(r.ms)} ms${r.changes !== undefined ? `, ${r.changes} changes` : `, ${mb(r.bytes)} MB`}`);
  }
  const lovVerification = await page.evaluate(() => window.bench.verifyLovable());
  log(`verified (lovable): zipFiles round-trips; normalizeAndZip deterministic, no lovable-tagger, LIFTOFF.md, ` +
    `${lovVerification.binaries} binaries byte for byte and stored; ${lovVerification.textChanged.length} text files edited, ` +
    `${lovVerification.removed.length} removed, ${lovVerification.added.length} added; lockfile ${lovVerification.lockEntriesBefore} → ${lovVerification.lockEntriesAfter} entries`);
  const lovTimes = Object.fromEntries(lovNames.map((n) => [n, []]));
  const lovLoad = [os.loadavg()[0]];
  for (let round = 0; round < RUNS; round++) {
    const order = lovNames.map((_, i) => lovNames[(i + round) % lovNames.length]);
    const line = [];
    for (const n of order) {
      const r = await run(n);
      if (n !== 'lovNormalize' && r.bytes !== lovOut[n].bytes) throw new Error(`${n}: output size changed between runs`);
      if (n === 'lovNormalize' && r.changes !== lovOut[n].changes) throw new Error(`${n}: number of changes changed between runs`);
      lovTimes[n].push(r.ms);
      line.push(`${n} ${ms(r.ms)}`);
    }
    lovLoad.push(os.loadavg()[0]);
    log(`lovable round ${round + 1}/${RUNS}: ${line.join(', ')}`);
  }

  // Where our time goes.
  const extraNames = ['oursStoredOnly', 'fflateStoredOnly', 'oursTextOnly', 'fflateTextOnly', 'oursEmptyFiles', 'jsCopyFloor'];
  const breakdown = {};
  for (const n of extraNames) {
    const r = [];
    await run(n); // warm-up
    for (let i = 0; i < BREAKDOWN_RUNS; i++) r.push(await run(n));
    breakdown[n] = { label: labels[n], medianMs: median(r.map((x) => x.ms)), outputBytes: r[0].bytes, runsMs: r.map((x) => x.ms) };
  }

  // A CPU profile of one run of ours: which functions the time is spent in.
  let profile = null;
  if (PROFILE) {
    const cdp = await page.createCDPSession();
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const r = await run('ours');
    const { profile: p } = await cdp.send('Profiler.stop');
    profile = { runMs: r.ms, top: topSelf(p, 15), raw: p };
  }

  // ----------------------------------------------------------------------------------------
  const loadAfter = os.loadavg();
  const raw = snapshot.wasm.length;
  const gz = snapshot.gzip9;
  const medians = Object.fromEntries(names.map((n) => [n, median(times[n])]));
  const rows = names.map((n) => ({
    name: n,
    label: labels[n],
    medianMs: medians[n],
    minMs: Math.min(...times[n]),
    maxMs: Math.max(...times[n]),
    runsMs: times[n],
    outputBytes: sizes[n],
    ratioToOurs: medians[n] / medians.ours,
  }));

  const table = [
    ['', 'median ms', 'min–max ms', 'output MB', '× ours'],
    ...rows.map((r) => [r.label, ms(r.medianMs), `${ms(r.minMs)}–${ms(r.maxMs)}`, mb(r.outputBytes), r.name === 'ours' ? '1' : r.ratioToOurs.toFixed(1)]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const fmt = (row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log('');
  console.log(`Zip: ${project.files} files, ${mb(project.bytes)} MB (${project.storedFiles} binaries ${mb(project.storedBytes)} MB, ` +
    `${project.textFiles} text ${mb(project.textBytes)} MB); median of ${RUNS} interleaved runs after 1 warm-up; ${browserVersion}`);
  console.log(`load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' ')} ` +
    `(${os.availableParallelism()} cores; anything else running skews the figures)`);
  console.log(fmt(table[0]));
  for (const row of table.slice(1)) console.log(fmt(row));

  const goalJszip = medians.jszip / medians.ours;
  const goalFflate = medians.fflateStore / medians.ours;
  console.log('');
  console.log(`goal: JSZip (as extensions use it) / ours >= 15: ${goalJszip.toFixed(1)} ${goalJszip >= 15 ? 'MET' : 'NOT MET'}`);
  console.log(`goal: fflate (same store policy) / ours >= 4:   ${goalFflate.toFixed(1)} ${goalFflate >= 4 ? 'MET' : 'NOT MET'}`);
  // Issue 20: the same goals for the extension's zip workers, on this machine's cores.
  const workerGoals = workerCounts.map((n) => ({
    workers: n,
    jszipOver: medians.jszip / medians[`workers${n}`],
    fflateSamePolicyOver: medians.fflateStore / medians[`workers${n}`],
    zipFilesOver: medians.ours / medians[`workers${n}`],
  }));
  console.log(`zip workers (${info.cores} cores seen by the page, ${os.availableParallelism()} by the machine):`);
  for (const g of workerGoals) {
    console.log(`  ${g.workers} worker(s): JSZip / it ${g.jszipOver.toFixed(1)} (goal 15), fflate same policy / it ` +
      `${g.fflateSamePolicyOver.toFixed(1)} (goal 4), zipFiles on one thread / it ${g.zipFilesOver.toFixed(2)}`);
  }
  const textRatio = project.textBytes / breakdown.fflateTextOnly.outputBytes;
  console.log(`text deflate ratio (fflate level 6 on the text alone): ${textRatio.toFixed(2)}x`);

  // Issue 4's table.
  const lovMed = Object.fromEntries(lovNames.map((n) => [n, median(lovTimes[n])]));
  const lovRows = lovNames.map((n) => ({
    name: n, label: labels[n], medianMs: lovMed[n], minMs: Math.min(...lovTimes[n]), maxMs: Math.max(...lovTimes[n]),
    runsMs: lovTimes[n], outputBytes: lovOut[n].bytes, changes: lovOut[n].changes, ratioToZip: lovMed[n] / lovMed.lovZip,
  }));
  const lovTable = [
    ['', 'median ms', 'min–max ms', 'output', '÷ (a)'],
    ...lovRows.map((r) => [r.label, ms(r.medianMs), `${ms(r.minMs)}–${ms(r.maxMs)}`,
      r.changes !== undefined ? `${r.changes} changes` : `${mb(r.outputBytes)} MB`, r.ratioToZip.toFixed(2)]),
  ];
  const lw = lovTable[0].map((_, c) => Math.max(...lovTable.map((row) => row[c].length)));
  const lfmt = (row) => row.map((cell, c) => (c === 0 ? cell.padEnd(lw[c]) : cell.padStart(lw[c]))).join('  ');
  const normOverZip = lovMed.lovNormalize / lovMed.lovZip;
  const addedOverZip = (lovMed.lovNormalizeZip - lovMed.lovZip) / lovMed.lovZip;
  console.log('');
  console.log(`Normalize and zip (issue 4): Lovable-shaped project, ${lovProject.files} files, ${mb(lovProject.bytes)} MB ` +
    `(${lovProject.binaryFiles} binaries ${mb(lovProject.binaryBytes)} MB, ${lovProject.textFiles} text ${mb(lovProject.textBytes)} MB, ` +
    `package-lock.json ${(lovProject.lockBytes / 1000).toFixed(0)} KB); median of ${RUNS} interleaved runs after 1 warm-up`);
  console.log(`load average (1 min) during these rounds: ${Math.min(...lovLoad).toFixed(2)}–${Math.max(...lovLoad).toFixed(2)}`);
  console.log(lfmt(lovTable[0]));
  for (const row of lovTable.slice(1)) console.log(lfmt(row));
  console.log(`normalization alone (b) ÷ zip alone (a): ${normOverZip.toFixed(2)}; ` +
    `what normalizing adds to an export, ((c) − (a)) ÷ (a): ${(addedOverZip * 100).toFixed(0)}% (${ms(lovMed.lovNormalizeZip - lovMed.lovZip)} ms)`);
  console.log(`(c)'s zip: ${lovVerification.textChanged.length} files edited (${lovVerification.textChanged.join(', ')}), ` +
    `${lovVerification.removed.length} removed (${lovVerification.removed.join(', ')}), ${lovVerification.added.length} added; ` +
    `${lovVerification.binaries} binaries byte for byte; ${lovVerification.textUnchanged} text files untouched`);

  console.log('');
  console.log(`breakdown (median of ${BREAKDOWN_RUNS}):`);
  for (const n of extraNames) {
    const b = breakdown[n];
    console.log(`  ${b.label.padEnd(88)} ${ms(b.medianMs).padStart(6)} ms  ${mb(b.outputBytes).padStart(5)} MB`);
  }
  if (profile) {
    console.log('');
    console.log(`CPU profile of one run of ours (${ms(profile.runMs)} ms), top self time:`);
    if (profile.top.some((t) => t.name.startsWith('wasm-function['))) {
      console.log('  (this build carries no function names; an unstripped build of the same code names them)');
    }
    for (const t of profile.top) console.log(`  ${t.pct.toFixed(1).padStart(5)}%  ${ms(t.ms).padStart(5)} ms  ${t.name}`);
  }

  console.log('');
  console.log(`wasm measured: ${path.relative(root, WASM)} ${raw.toLocaleString('en-US')} bytes raw, ` +
    `${gz.toLocaleString('en-US')} bytes gzip -9, sha256 ${snapshot.sha256.slice(0, 12)}`);
  const shipped = path.join(root, 'extension/wasm/liftoff_wasm_bg.wasm');
  if (existsSync(shipped)) {
    const shippedGz = execFileSync('gzip', ['-9c', shipped], { maxBuffer: 64 << 20 }).length;
    console.log(`wasm shipped: extension/wasm/liftoff_wasm_bg.wasm ${shippedGz.toLocaleString('en-US')} bytes gzip -9 ` +
      `(budget 300 KB gzipped: ${shippedGz <= 300_000 ? 'within' : 'OVER'}); the measured one adds the benchmarks' entry points (feature bench)`);
  }

  // ----------------------------------------------------------------------------------------
  const now = new Date();
  const stamp = now.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const outDir = path.join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? os.cpus()[0]?.model;
  const result = {
    benchmark: 'zip',
    date: now.toISOString(),
    loadAverage: { before: loadBefore, after: loadAfter },
    machine: { nproc: os.availableParallelism(), memBytes: os.totalmem(), cpu, node: process.version, browser: browserVersion, userAgent: info.userAgent },
    core: info.version,
    gitHead: git(['rev-parse', 'HEAD']),
    runs: RUNS,
    project,
    verification,
    results: rows,
    goals: { jszipOverOurs: goalJszip, fflateSamePolicyOverOurs: goalFflate, jszipMet: goalJszip >= 15, fflateMet: goalFflate >= 4 },
    cores: { page: info.cores, machine: os.availableParallelism() },
    workerGoals,
    textDeflateRatio: textRatio,
    breakdown,
    normalize: {
      project: lovProject,
      verification: lovVerification,
      results: lovRows,
      loadAverage1m: lovLoad,
      normalizeOverZip: normOverZip,
      normalizeAndZipMinusZipOverZip: addedOverZip,
    },
    profileTop: profile?.top ?? null,
    wasm: { file: WASM, sha256: snapshot.sha256, rawBytes: raw, gzip9Bytes: gz, budgetGzipBytes: 300_000 },
  };
  const file = path.join(outDir, `zip-${stamp}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  if (profile) writeFileSync(path.join(outDir, `zip-${stamp}.cpuprofile`), JSON.stringify(profile.raw));
  console.log(`results: ${path.relative(root, file)}`);
} catch (e) {
  failed = true;
  console.error('\nBENCHMARK FAILED:', e?.stack ?? e);
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);

function git(args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** The functions with the most self time in a V8 CPU profile. */
function topSelf(p, n) {
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const self = new Map();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const f = byId.get(id).callFrame;
    const key = f.functionName || `(anonymous ${f.url.split('/').pop()}:${f.lineNumber})`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([name, t]) => ({ name, ms: t, pct: (100 * t) / total }));
}
