// The CLI zip benchmark (issue 20): `liftoff export --raw` of a generated 10,000-file, 200 MB
// project on every core, on one thread and with --fast, against Info-ZIP's `zip -r -6`, each run
// under `/usr/bin/time -v` for its peak memory (maximum resident set size). Contenders run
// interleaved (the order rotates every round), 1 warm-up round, then the median of --runs.
// Before any figure is printed, every liftoff zip is checked: the thread counts give the same
// bytes, and `unzip -t` accepts it.
//
//   node bench/cli-zip/run.mjs [--runs N] [--files N] [--liftoff PATH]
//
// Needs target/release/liftoff (`cargo build --release -p liftoff-cli`; built here when
// missing), Info-ZIP's zip and unzip, and GNU time. Writes bench/results/cli-zip-<date>.json.
// The project is generated once per seed and file count under bench/results/ and reused.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from '../lib/code-project.mjs';
import { median, option } from '../lib/cli.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const RUNS = Number(option('runs', 5));
const FILES = Number(option('files', 10_000));
const SEED = 20261204;
const LIFTOFF = path.resolve(option('liftoff', path.join(root, 'target/release/liftoff')));
const results = path.join(root, 'bench/results');
const log = (...a) => console.error('[cli-zip]', ...a);

if (!existsSync(LIFTOFF)) {
  log('building target/release/liftoff');
  execFileSync('cargo', ['build', '--release', '-p', 'liftoff-cli'], { cwd: root, stdio: 'inherit' });
}
for (const tool of ['zip', 'unzip', '/usr/bin/time']) {
  if (spawnSync(tool, ['-v'], { stdio: 'ignore' }).error) throw new Error(`${tool} is needed (Debian: zip, unzip, time)`);
}

// The project: a third random bytes named like images (stored), two thirds code-like text.
const project = path.join(results, `cli-zip-project-${SEED}-${FILES}`);
if (!existsSync(path.join(project, 'package.json'))) {
  log(`generating ${FILES} files into ${path.relative(root, project)}`);
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project, { recursive: true });
  generateProject(project, { seed: SEED, files: FILES - 1, textSize: [16_000, 28_000], binarySize: [10_000, 22_000] });
}
const input = du(project);
log(`project: ${input.files} files, ${(input.bytes / 1e6).toFixed(1)} MB`);

const out = path.join(os.tmpdir(), `liftoff-cli-zip-${process.pid}`);
mkdirSync(out, { recursive: true });
const threads = os.availableParallelism();
const liftoff = (file, ...more) => [LIFTOFF, 'export', project, '--raw', '--builder', 'plain', '--force', '-o', path.join(out, file), ...more];
const CONTENDERS = {
  all: { label: `liftoff export, every core (${threads} threads)`, cmd: () => liftoff('all.zip'), file: 'all.zip' },
  one: { label: 'liftoff export --threads 1', cmd: () => liftoff('one.zip', '--threads', '1'), file: 'one.zip' },
  fast: { label: `liftoff export --fast, every core`, cmd: () => liftoff('fast.zip', '--fast'), file: 'fast.zip' },
  zip: {
    label: 'Info-ZIP zip -r -6 -q',
    // zip -r adds to an existing archive: start from none each time.
    before: () => rmSync(path.join(out, 'zip.zip'), { force: true }),
    cmd: () => ['zip', '-r', '-6', '-q', path.join(out, 'zip.zip'), '.'],
    cwd: project,
    file: 'zip.zip',
  },
};

/** One run under GNU time: wall milliseconds, peak RSS in bytes. */
function runOnce(name) {
  const c = CONTENDERS[name];
  c.before?.();
  const timing = path.join(out, 'time.txt');
  const [cmd, ...args] = c.cmd();
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', '-o', timing, cmd, ...args], { cwd: c.cwd ?? root, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${name} failed (${r.status}): ${r.stderr}`);
  const report = readFileSync(timing, 'utf8');
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1]);
  return { ms, rss: kb * 1024, bytes: statSync(path.join(out, c.file)).size };
}

const names = Object.keys(CONTENDERS);
const samples = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round <= RUNS; round++) {
  const order = names.map((_, k) => names[(k + round) % names.length]);
  for (const name of order) {
    const s = runOnce(name);
    if (round > 0) samples[name].push(s);
    log(`${round === 0 ? 'warm-up' : `round ${round}`}: ${name} ${Math.round(s.ms)} ms, ${(s.rss / 1e6).toFixed(0)} MB peak`);
  }
  if (round === 0) check();
}

/** The thread counts give the same bytes; unzip -t accepts every zip. */
function check() {
  const one = readFileSync(path.join(out, 'one.zip'));
  const all = readFileSync(path.join(out, 'all.zip'));
  if (!one.equals(all)) throw new Error('--threads 1 and every core gave different zips');
  for (const c of Object.values(CONTENDERS)) {
    const r = spawnSync('unzip', ['-tqq', path.join(out, c.file)]);
    if (r.status !== 0) throw new Error(`unzip -t refused ${c.file}: ${r.stdout}${r.stderr}`);
  }
  log('checked: --threads 1 and every core byte for byte the same; unzip -t accepts all four');
}

const rows = names.map((name) => {
  const s = samples[name];
  const ms = median(s.map((x) => x.ms));
  const rss = median(s.map((x) => x.rss));
  return { name, label: CONTENDERS[name].label, ms, min: Math.min(...s.map((x) => x.ms)), max: Math.max(...s.map((x) => x.ms)), rss, rssRatio: rss / input.bytes, bytes: s[0].bytes };
});
const machine = {
  cores: os.availableParallelism(),
  cpu: os.cpus()[0]?.model,
  memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
  load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  node: process.version,
  zip: spawnSync('zip', ['-v']).stdout.toString().split('\n').find((l) => /This is Zip/.test(l))?.trim(),
};
const all = rows.find((r) => r.name === 'all').ms;
console.log(`\nCLI zip: ${input.files} files, ${(input.bytes / 1e6).toFixed(1)} MB; ${machine.cores} cores (${machine.cpu}); load ${machine.load}; median of ${RUNS}\n`);
console.log('| contender | median | min–max | peak RSS | RSS ÷ input | zip | ÷ every core |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.label} | ${Math.round(r.ms).toLocaleString('en-US')} ms | ${Math.round(r.min)}–${Math.round(r.max)} ms | ${(r.rss / 1e6).toFixed(0)} MB | ${r.rssRatio.toFixed(2)} | ${(r.bytes / 1e6).toFixed(1)} MB | ${(r.ms / all).toFixed(2)}× |`);
}
mkdirSync(results, { recursive: true });
const file = path.join(results, `cli-zip-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ input, machine, runs: RUNS, rows, samples }, null, 2));
log(`wrote ${path.relative(root, file)}`);
rmSync(out, { recursive: true, force: true });

/** Files and bytes under dir. */
function du(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

