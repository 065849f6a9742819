// What learning a branch's tree costs over git's own protocol (issue 17): the protocol-v2
// `fetch` of the head commit alone (`deepen 1`) with `filter blob:none` (what Liftoff's
// fetch.rs asks where the server allows filters) against the same fetch without the filter (what
// a server without filters sends: every blob), on the push benchmark's 1,001-file project.
// Both answered by git's own `git upload-pack --stateless-rpc` (what `git http-backend` runs),
// with the request bodies fetch.rs writes; the answer's bytes are what crosses the network.
// Median of --runs after one warm-up.
//
//   node bench/fetch/sizes.mjs [--runs 5] [--files 1000]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { median, option } from '../lib/cli.mjs';
import { generateProject } from '../lib/code-project.mjs';

const RUNS = Number(option('runs', 5));
const FILES = Number(option('files', 1000));

const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};
const git = (dir, args, extra = {}) => execFileSync('git', args, { cwd: dir, env: { ...env, ...extra }, maxBuffer: 1 << 30 });
const pkt = (line) => `${(Buffer.byteLength(line) + 4).toString(16).padStart(4, '0')}${line}`;
/** fetch.rs's fetch_request for a git server (agent and object-format advertised). */
const fetchBody = (want, filter) =>
  pkt('command=fetch\n') + pkt('agent=liftoff/bench\n') + pkt('object-format=sha1\n') + '0001' +
  pkt('no-progress\n') + pkt('ofs-delta\n') + pkt('deepen 1\n') + (filter ? pkt('filter blob:none\n') : '') +
  pkt(`want ${want}\n`) + pkt('done\n') + '0000';


const work = mkdtempSync(join(tmpdir(), 'liftoff-fetch-bench-'));
try {
  const shape = generateProject(work, { files: FILES });
  git(work, ['init', '-q', '-b', 'main', '.']);
  git(work, ['add', '-A']);
  git(work, ['commit', '-q', '-m', 'bench']);
  const head = git(work, ['rev-parse', 'HEAD']).toString().trim();
  const rows = [];
  for (const [name, filter] of [['blobless (filter blob:none)', true], ['whole (no filter)', false]]) {
    const times = [];
    let bytes = 0;
    for (let run = 0; run <= RUNS; run++) {
      const started = performance.now();
      const answer = spawnSync('git', ['-c', 'uploadpack.allowFilter=true', 'upload-pack', '--stateless-rpc', '.'], {
        cwd: work, env: { ...env, GIT_PROTOCOL: 'version=2' }, input: fetchBody(head, filter), maxBuffer: 1 << 30,
      });
      const ms = performance.now() - started;
      if (answer.status !== 0) throw new Error(answer.stderr.toString());
      if (run > 0) times.push(ms);
      bytes = answer.stdout.length;
    }
    rows.push({ name, bytes, ms: median(times), min: Math.min(...times), max: Math.max(...times) });
  }
  console.log(`project: ${shape.files} files, ${(shape.bytes / 1e6).toFixed(2)} MB (${(shape.binaryBytes / 1e6).toFixed(2)} MB binary)`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${git(work, ['--version']).toString().trim()}`);
  for (const row of rows) {
    console.log(`${row.name}: ${row.bytes.toLocaleString('en-US')} bytes answered, git upload-pack ${row.ms.toFixed(0)} ms median (${row.min.toFixed(0)}–${row.max.toFixed(0)})`);
  }
  console.log(`ratio: the whole answer is ${(rows[1].bytes / rows[0].bytes).toFixed(0)}× the blobless one`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
