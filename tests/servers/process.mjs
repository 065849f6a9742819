// Child processes and ports for the stand-ins that run real programs (PostgreSQL, Deno).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Runs program with args, output captured (only for commands that end: never for anything
 * that leaves a server behind holding our pipes), killed after timeoutMs when one is given.
 * Resolves {code, timedOut, stdout, stderr}.
 */
export function run(program, args, { input, env, cwd, timeoutMs = 0, stdio } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env: env ?? process.env, stdio: stdio ?? ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout?.on('data', (chunk) => out.push(chunk));
    child.stderr?.on('data', (chunk) => err.push(chunk));
    let timer;
    let timedOut = false;
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
    }
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // a client that died early: its exit says why
      child.stdin.end(input ?? '');
    }
  });
}

/** A port free on 127.0.0.1 right now (the OS's choice). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
