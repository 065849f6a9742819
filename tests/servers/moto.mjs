// moto's server (https://docs.getmoto.org, "Server mode"): a local S3 and CloudFront speaking
// the real REST APIs, for `liftoff deploy --to aws`. Started from the venv that tests/run-all.sh
// makes (tests/aws-python/.venv, moto[server] pinned in tests/aws-python/requirements.txt), or
// `moto_server` on PATH; on 127.0.0.1 at a free port; stopped on close.
//
// moto accepts any signature (it only reads the Authorization header to route a request to a
// service): put tests/servers/sigv4-proxy.mjs in front of it to have signatures checked.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort } from './process.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VENV_BIN = join(ROOT, 'tests/aws-python/.venv/bin/moto_server');

/** The moto_server to run: the venv's, else the one on PATH. */
export function motoProgram() {
  return existsSync(VENV_BIN) ? VENV_BIN : 'moto_server';
}

/**
 * Starts moto_server; resolves once it answers HTTP. Returns {origin, port, output(), close()}:
 * output() is moto's last log lines (its request log, tracebacks), for failure messages.
 */
export async function startMoto({ startTimeoutMs = 30_000 } = {}) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const program = motoProgram();
  const lines = [];
  const keep = (chunk) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 400) lines.shift();
    }
  };
  const child = spawn(program, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // No AWS settings of the machine leak into moto (it reads none it needs).
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  const spawnError = new Promise((resolve) => child.once('error', resolve));

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    const failure = await Promise.race([spawnError, new Promise((r) => setTimeout(() => r(null), 100))]);
    if (failure) {
      throw new Error(
        `could not run ${program} (${failure.message}): install moto with tests/run-all.sh's deploy step, ` +
          'or python3 -m venv tests/aws-python/.venv && tests/aws-python/.venv/bin/pip install -r tests/aws-python/requirements.txt',
      );
    }
    if (exited) throw new Error(`${program} exited (${JSON.stringify(exited)}) before answering:\n${lines.join('\n')}`);
    try {
      // Any answer means it is up (moto's own API under /moto-api/ answers GET).
      const response = await fetch(`${origin}/moto-api/data.json`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${program} did not answer on ${origin} within ${startTimeoutMs} ms:\n${lines.join('\n')}`);
      }
    }
  }

  return {
    origin,
    port,
    output: () => lines.join('\n'),
    async close() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}
