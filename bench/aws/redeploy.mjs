// Redeploying a static app to S3 after a one-file change, and rolling back (issue 18, `liftoff
// deploy --to aws`), against the AWS CLI's `aws s3 sync` on the same stand-in: moto in server
// mode (tests/servers/moto.mjs) behind a counting proxy in this process (requests, request body
// bytes, uploads that carry file content). The app: --files generated files (text and binary,
// 1 to 40 KB), one page and hashed assets, as a Vite build looks.
//
// Liftoff: a first deploy (v1), then v2 (one asset changed, the page pointing at it) — the
// redeploy measured — then `rollback` to v1 — measured. The peer: `aws s3 sync v1 s3://peer/`,
// then `aws s3 sync v2 s3://peer/ --delete` (measured), then `aws s3 sync v1 s3://peer/ --delete`
// as its rollback (measured: the peer has no releases, so going back means syncing the old
// build again). Before each sync the folder's files are touched, as a fresh build leaves them
// (sync compares sizes and modification times, not contents). Interleaved, median of --runs
// after one warm-up; each run checks which side serves the new page afterwards.
//
//   node bench/aws/redeploy.mjs [--runs 5] [--files 300] [--bin target/release/liftoff]
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { startMoto } from '../../tests/servers/moto.mjs';
import { median, option } from '../lib/cli.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(option('runs', 5));
const FILES = Number(option('files', 300));
const BIN = option('bin', join(ROOT, 'target/release/liftoff'));
const run = promisify(execFile);

/** A proxy that forwards to moto and counts what reaches it. */
async function countingProxy(upstream) {
  const counts = { requests: 0, bodyBytes: 0, uploads: 0, uploadBytes: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      counts.requests += 1;
      counts.bodyBytes += body.length;
      if (req.method === 'PUT' && !req.headers['x-amz-copy-source'] && body.length > 0 && !req.url.endsWith('liftoff.json')) {
        counts.uploads += 1;
        counts.uploadBytes += body.length;
      }
      const target = new URL(req.url, upstream);
      const forward = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${server.address().port}`, counts, close: () => new Promise((r) => server.close(r)) };
}

/** A built site: index.html, assets with hashed names, images; `version` changes one asset. */
function site(dir, version) {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < FILES - 2; i++) {
    const size = 1024 + Math.floor(random() * 40 * 1024);
    const binary = i % 4 === 0;
    const bytes = Buffer.alloc(size);
    for (let j = 0; j < size; j++) bytes[j] = binary ? Math.floor(random() * 256) : 97 + Math.floor(random() * 26);
    writeFileSync(join(dir, 'assets', `chunk-${i}-${(1e8 + i).toString(16)}.${binary ? 'png' : 'js'}`), bytes);
  }
  const app = `console.log("app ${version}");`;
  const name = `index-${version === 1 ? 'a1b2c3d4' : 'e5f6a7b8'}.js`;
  writeFileSync(join(dir, 'assets', name), app);
  writeFileSync(join(dir, 'index.html'), `<!doctype html><script type="module" src="/assets/${name}"></script>`);
}

/** Every file under dir dated now, as a fresh build leaves it. */
function touch(dir) {
  const now = new Date();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) touch(path);
    else utimesSync(path, now, now);
  }
}

async function timed(counts, fn) {
  const before = { ...counts };
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  const diff = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v - before[k]]));
  return { ms, ...diff };
}

const moto = await startMoto();
const proxy = await countingProxy(moto.origin);
const work = mkdtempSync(join(tmpdir(), 'liftoff-bench-aws-'));
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: proxy.origin,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
};
const v1 = join(work, 'v1');
const v2 = join(work, 'v2');
site(v1, 1);
site(v2, 2);
const results = { liftoff: { redeploy: [], rollback: [] }, sync: { redeploy: [], rollback: [] } };
/** Whether bucket serves `expected` as its index.html (a signed read, as a visitor's CDN would). */
const serves = async (bucket, expected) => {
  const { stdout } = await run('aws', ['s3', 'cp', `s3://${bucket}/index.html`, '-'], { env });
  return stdout === expected;
};
const page = (version) => readFileSync(join(version === 1 ? v1 : v2, 'index.html'), 'utf8');
const correct = { liftoff: [], sync: [] };
try {
  for (let i = 0; i <= RUNS; i++) {
    const ours = `ours-${i}`;
    const peer = `peer-${i}`;
    await run('aws', ['s3api', 'create-bucket', '--bucket', ours], { env });
    await run('aws', ['s3api', 'create-bucket', '--bucket', peer], { env });
    await run(BIN, ['deploy', '--to', 'aws', '--bucket', ours, '--prebuilt', v1], { env });
    touch(v1);
    await run('aws', ['s3', 'sync', v1, `s3://${peer}/`, '--only-show-errors'], { env });
    const redeploy = await timed(proxy.counts, () => run(BIN, ['deploy', '--to', 'aws', '--bucket', ours, '--prebuilt', v2], { env }));
    touch(v2);
    const syncRedeploy = await timed(proxy.counts, () => run('aws', ['s3', 'sync', v2, `s3://${peer}/`, '--delete', '--only-show-errors'], { env }));
    correct.liftoff.push(await serves(ours, page(2)));
    correct.sync.push(await serves(peer, page(2)));
    const rollback = await timed(proxy.counts, () => run(BIN, ['rollback', '--to', 'aws', '--bucket', ours], { env }));
    touch(v1);
    const syncRollback = await timed(proxy.counts, () => run('aws', ['s3', 'sync', v1, `s3://${peer}/`, '--delete', '--only-show-errors'], { env }));
    if (i === 0) continue; // warm-up
    results.liftoff.redeploy.push(redeploy);
    results.sync.redeploy.push(syncRedeploy);
    results.liftoff.rollback.push(rollback);
    results.sync.rollback.push(syncRollback);
  }
} finally {
  await proxy.close();
  await moto.close();
  rmSync(work, { recursive: true, force: true });
}

const summary = (list) => ({
  ms: Math.round(median(list.map((r) => r.ms))),
  requests: median(list.map((r) => r.requests)),
  uploads: median(list.map((r) => r.uploads)),
  uploadBytes: median(list.map((r) => r.uploadBytes)),
  bodyBytes: median(list.map((r) => r.bodyBytes)),
});
console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${FILES} files; median of ${RUNS}`);
for (const [name, list] of Object.entries(correct)) {
  console.log(`${name}: serves the new page after the redeploy in ${list.filter(Boolean).length} of ${list.length} runs`);
}
for (const [name, phases] of Object.entries(results)) {
  for (const [phase, list] of Object.entries(phases)) {
    const s = summary(list);
    console.log(`${name.padEnd(8)} ${phase.padEnd(9)} ${String(s.ms).padStart(6)} ms  ${String(s.requests).padStart(4)} requests  ${String(s.uploads).padStart(4)} uploads  ${String(s.uploadBytes).padStart(9)} B uploaded  ${String(s.bodyBytes).padStart(9)} B sent`);
  }
}
