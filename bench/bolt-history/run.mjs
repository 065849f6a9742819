// The Bolt history reader stays linear in its input (issue 13): a `boltHistory` dump of about
// 7 MB holding 100,000 file actions in one assistant message (40,000 distinct files: under the
// 50,000-entry cap every input has), and one of 20,000 rewrites of the
// same file, each exported by the release CLI (`liftoff export --raw`: the parse and the zip,
// no cleanup) 5 times; the median must stay under 1 s. Exits 1 when it does not.
// Run from the repository root after ./build.sh: node bench/bolt-history/run.mjs
// With LIFTOFF_BASELINE=<another liftoff binary> (an older build, the peer here: no other tool
// reads Bolt's history) each case runs with both, interleaved, and the ratio is printed; only
// ours is held to the limit.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = 5;
const LIMIT_MS = 1000;

/** A dump with one chat, one assistant message, `actions` file actions (`path(i)` each). */
function dump(actions, path) {
  const parts = ['<boltArtifact id="a" title="Project">'];
  for (let i = 0; i < actions; i++) {
    parts.push(`<boltAction type="file" filePath="${path(i)}">v${i}</boltAction>`);
  }
  parts.push('</boltArtifact>');
  const chat = {
    id: '1',
    urlId: 'big',
    description: 'Big',
    timestamp: '2026-01-01T00:00:00.000Z',
    messages: [{ id: 'm1', role: 'assistant', content: parts.join('') }],
  };
  return JSON.stringify({ chats: [chat], snapshots: [] });
}

const binaries = [['ours', 'target/release/liftoff']];
if (process.env.LIFTOFF_BASELINE) binaries.push(['baseline', process.env.LIFTOFF_BASELINE]);

const work = mkdtempSync(join(tmpdir(), 'liftoff-bolt-bench-'));
let slow = false;
try {
  const cases = [
    ['100,000 file actions', dump(100_000, (i) => `f/${i % 40_000}.ts`)],
    ['20,000 rewrites of one file', dump(20_000, () => 'src/App.tsx')],
  ];
  for (const [name, text] of cases) {
    const input = join(work, 'history.json');
    writeFileSync(input, text);
    const mb = (statSync(input).size / 1e6).toFixed(1);
    const medians = {};
    for (const [who, bin] of binaries) medians[who] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const [who, bin] of binaries) {
        const start = performance.now();
        execFileSync(bin, ['export', input, '--raw', '--force', '-o', join(work, 'out.zip')], { stdio: 'ignore' });
        medians[who].push(performance.now() - start);
      }
    }
    for (const [who] of binaries) {
      const times = medians[who].sort((a, b) => a - b);
      const median = times[RUNS >> 1];
      medians[who] = median;
      console.log(`${who}: ${name} (${mb} MB): ${median.toFixed(0)} ms median, ${times[0].toFixed(0)}–${times[RUNS - 1].toFixed(0)} ms (${RUNS} runs)`);
    }
    if (medians.baseline) console.log(`  baseline / ours: ${(medians.baseline / medians.ours).toFixed(1)}×`);
    if (medians.ours >= LIMIT_MS) slow = true;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (slow) {
  console.error(`a median reached ${LIMIT_MS} ms: the history reader is no longer linear`);
  process.exit(1);
}
