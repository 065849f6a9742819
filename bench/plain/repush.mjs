// Re-pushing to a plain git remote (issue 17, `liftoff push --to git`): the push benchmark's
// 1,001-file project is in the repository; 10 files change; the new state goes in as one commit.
// Three servers, all git's own `git http-backend` behind the local GitHub's git side
// (tests/servers/github.mjs, in this process):
//   - protocol v2 with partial-clone filters (GitHub, GitLab, Gitea): Liftoff fetches the head's
//     trees without blobs, then sends only what changed;
//   - protocol v2 without filters: the whole head is fetched, then only what changed is sent;
//   - protocol version 0: nothing is fetched, the whole tree is sent.
// The peer, side by side on the same server and change: git itself, from a clone that already
// holds the previous state (`git add -A`, `git commit`, `git push`), which is what a person with a
// working copy does. Median of --runs after one warm-up; bytes are the raw bytes on the wire
// (requests and answers, headers included).
//
//   node bench/plain/repush.mjs [--runs 5] [--files 1000] [--bin target/release/liftoff]
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

import { DEFAULT_TOKEN, startGitHub } from '../../tests/servers/github.mjs';
import { median, option } from '../lib/cli.mjs';
import { generateProject } from '../lib/code-project.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(option('runs', 5));
const FILES = Number(option('files', 1000));
const BIN = option('bin', join(ROOT, 'target/release/liftoff'));
const run = promisify(execFile);
const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

const work = mkdtempSync(join(tmpdir(), 'liftoff-repush-'));
const gh = await startGitHub({ token: DEFAULT_TOKEN });
try {
  const project = join(work, 'project');
  const shape = generateProject(project, { files: FILES });
  const url = (name, user = 'bench') => `${gh.origin.replace('://', `://${user}@`)}/octo/${name}.git`;
  const authed = (name) => `${gh.origin.replace('://', `://bench:${DEFAULT_TOKEN}@`)}/octo/${name}.git`;
  const liftoff = (dir, name) =>
    run(BIN, ['push', dir, '--to', 'git', '--repo', url(name), '--branch', 'main', '--raw', '--json', '-m', 'Bench'], {
      env: { ...env, GIT_TOKEN: DEFAULT_TOKEN }, maxBuffer: 1 << 26,
    }).then(({ stdout }) => JSON.parse(stdout));
  /** Ten files changed, differently each round. */
  const change = (dir, round) => {
    for (let i = 0; i < 10; i++) writeFileSync(join(dir, `src/changed-${i}.ts`), `export const round = ${round}; // ${i}\n`);
  };

  const setups = [
    ['liftoff, v2 + filters', { v2: true, filters: true }],
    ['liftoff, v2, no filters', { v2: true, filters: false }],
    ['liftoff, protocol v0', { v2: false, filters: false }],
  ];
  const rows = [];
  for (const [label, { v2, filters }] of setups) {
    const name = label.replace(/[^a-z0-9]+/g, '-');
    gh.createRepo(`octo/${name}`);
    const dir = join(work, name);
    cpSync(project, dir, { recursive: true });
    gh.protocolV2(v2);
    gh.allowFilters(filters);
    await liftoff(dir, name);
    const times = [];
    const wires = [];
    let objects = 0;
    for (let round = 0; round <= RUNS; round++) {
      change(dir, round);
      gh.resetStats();
      const t0 = performance.now();
      process.stderr.write(`  ${label} round ${round}\n`);
      const out = await liftoff(dir, name);
      const ms = performance.now() - t0;
      if (round === 0) continue;
      times.push(ms);
      const wire = gh.wire();
      wires.push(wire.read + wire.written);
      objects = out.objects_sent;
    }
    rows.push({ label, ms: median(times), min: Math.min(...times), max: Math.max(...times), bytes: median(wires), objects });
  }
  gh.protocolV2(true);
  gh.allowFilters(true);

  // The peer: git push from a working copy that already holds the previous commit.
  gh.createRepo('octo/git-peer');
  const clone = join(work, 'git-peer');
  cpSync(project, clone, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', '.'], { cwd: clone, env });
  execFileSync('git', ['add', '-A'], { cwd: clone, env });
  execFileSync('git', ['commit', '-q', '-m', 'Bench'], { cwd: clone, env });
  // Asynchronous: the server answers from this same process.
  await run('git', ['push', '-q', authed('git-peer'), 'main'], { cwd: clone, env });
  const times = [];
  const wires = [];
  for (let round = 0; round <= RUNS; round++) {
    change(clone, round);
    gh.resetStats();
    const t0 = performance.now();
    await run('git', ['add', '-A'], { cwd: clone, env });
    await run('git', ['commit', '-q', '-m', 'Bench'], { cwd: clone, env });
    await run('git', ['push', '-q', authed('git-peer'), 'main'], { cwd: clone, env });
    const ms = performance.now() - t0;
    if (round === 0) continue;
    times.push(ms);
    const wire = gh.wire();
    wires.push(wire.read + wire.written);
  }
  rows.push({ label: 'git add + commit + push (a working copy)', ms: median(times), min: Math.min(...times), max: Math.max(...times), bytes: median(wires), objects: null });

  console.log(`project: ${shape.files} files, ${(shape.bytes / 1e6).toFixed(2)} MB; 10 files changed per push; median of ${RUNS}`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${execFileSync('git', ['--version']).toString().trim()}; node ${process.version}`);
  console.log('| contender | re-push (median) | min–max | on the wire | objects sent |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.label} | ${Math.round(r.ms)} ms | ${Math.round(r.min)}–${Math.round(r.max)} ms | ${(r.bytes / 1e3).toFixed(1)} KB | ${r.objects ?? '—'} |`);
  }
} finally {
  await gh.close();
  rmSync(work, { recursive: true, force: true });
}
