// What the remote wasm module's second read of an export costs (ARCHITECTURE.md, "Why the
// remote module reads the export's zip again"): a 2,000-file project exported by the release CLI
// (`--raw`, so the zip holds exactly those files), then `new DatabaseSession(zip, …)` (the zip
// read back into a tree, its SQL listed, nothing sent) timed in Node, 9 runs, median.
// Run from the repository root after ./build.sh: node bench/reread.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DatabaseSession, initSync } from '../extension/wasm/liftoff_remote.js';

const FILES = 2000;
const RUNS = 9;

const work = mkdtempSync(join(tmpdir(), 'liftoff-reread-'));
try {
  const project = join(work, 'project');
  for (let i = 0; i < FILES; i++) {
    const dir = join(project, 'src', `m${i % 40}`);
    mkdirSync(dir, { recursive: true });
    const line = `export const x${i} = ${JSON.stringify('lorem ipsum '.repeat(150 + (i % 50)))};\n`;
    writeFileSync(join(dir, `f${i}.ts`), line.repeat(3));
  }
  writeFileSync(join(project, 'package.json'), '{"name":"big","dependencies":{"react":"18"}}');
  const zipPath = join(work, 'export.zip');
  execFileSync('target/release/liftoff', ['export', project, '--raw', '-o', zipPath], { stdio: 'ignore' });
  const zip = readFileSync(zipPath);

  initSync({ module: readFileSync('extension/wasm/liftoff_remote_bg.wasm') });
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    new DatabaseSession(zip, 'abcdefghijklmnopqrst', 'token').free();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`${FILES + 1} files, zip ${zip.length} bytes: reading it back ${times[RUNS >> 1].toFixed(1)} ms median, ${times[0].toFixed(1)} ms fastest (${RUNS} runs)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
