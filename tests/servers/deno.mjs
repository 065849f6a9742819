// The real Deno, for the Supabase Edge Functions Liftoff exports: `deno check` them, and serve
// one as Supabase's edge runtime does (a module that calls `Deno.serve(handler)`).
//
// The binary is Deno's own release build as npm publishes it for this platform
// (`@deno/linux-x64-glibc`, the platform package of npm's `deno`, pinned in
// tests/deno/package.json as an optional dependency: the registry this project installs from
// carries only this platform's, so the `deno` wrapper's lockfile cannot be complete). Deno's cache of
// `npm:`/`jsr:` packages (DENO_DIR) is tests/deno/.cache (gitignored), so only the first run
// downloads `npm:@supabase/supabase-js` from the npm registry.
//
// Deno.serve listens on port 8000 and reads no variable to change it, so serveFunction runs a
// small bootstrap module that replaces Deno.serve with one listening on the port we chose (on
// 127.0.0.1) and then imports the function, exactly as it would be deployed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { freePort, run } from './process.mjs';

const DENO_PACKAGE = fileURLToPath(new URL('../deno/', import.meta.url));
export const DENO_DIR = join(DENO_PACKAGE, '.cache');
const INSTALL = 'npm --prefix tests/deno ci --no-audit --no-fund';

/** The Deno binary installed in tests/deno/node_modules; throws naming the install command. */
export function denoPath() {
  const exe = process.platform === 'win32' ? 'deno.exe' : 'deno';
  const libc = process.platform === 'linux' ? '-glibc' : '';
  const candidates = [join(DENO_PACKAGE, `node_modules/@deno/${process.platform}-${process.arch}${libc}`, exe)];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`Deno is not installed for the tests (looked in ${candidates.join(', ')}): run \`${INSTALL}\``);
  return found;
}

/** Deno's environment: ours, its cache in tests/deno/.cache, no update check, no colour, and
 * no package.json discovery (an exported app's own package.json must not turn on node_modules
 * resolution: Supabase's edge runtime fetches `npm:` specifiers itself). Deno trusts only its
 * bundled roots by default; the machine's store (and the file NODE_EXTRA_CA_CERTS names, which
 * npm and Node trust here) are added, so a registry behind a local CA works as it does for npm. */
export function denoEnv(extra = {}) {
  mkdirSync(DENO_DIR, { recursive: true });
  const ca = {};
  if (!process.env.DENO_TLS_CA_STORE) ca.DENO_TLS_CA_STORE = 'mozilla,system';
  if (!process.env.DENO_CERT && process.env.NODE_EXTRA_CA_CERTS && existsSync(process.env.NODE_EXTRA_CA_CERTS)) {
    ca.DENO_CERT = process.env.NODE_EXTRA_CA_CERTS;
  }
  return {
    ...process.env,
    ...ca,
    DENO_DIR,
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PACKAGE_JSON: '1',
    NO_COLOR: '1',
    ...extra,
  };
}

/** Runs `deno <args>` to its end. Resolves {code, timedOut, stdout, stderr}. */
export function runDeno(args, { cwd, env = {}, timeoutMs = 300_000 } = {}) {
  return run(denoPath(), args, { cwd, env: denoEnv(env), timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `deno check` of files (type-checks them and everything they import, `npm:` types too),
 * strict as Deno is by default, or with `compilerOptions` (say `{strict: false}`) from a
 * config of its own. Resolves {ok, code, output}. */
export async function denoCheck(files, { cwd, compilerOptions } = {}) {
  const list = [].concat(files).map((file) => resolve(file));
  let dir;
  const config = ['--no-config'];
  if (compilerOptions) {
    dir = mkdtempSync(join(tmpdir(), 'liftoff-deno-config-'));
    writeFileSync(join(dir, 'deno.json'), JSON.stringify({ compilerOptions }));
    config.splice(0, 1, '--config', join(dir, 'deno.json'));
  }
  const { code, stdout, stderr } = await runDeno(['check', ...config, '--quiet', ...list], { cwd: cwd ?? tmpdir() }).finally(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return { ok: code === 0, code, output: `${stdout}${stderr}`.trim() };
}

// The bootstrap: Deno.serve on our port and host, whatever the function passes (handler;
// options and handler; or options with a handler), then the function itself.
const BOOTSTRAP = `
const port = Number(Deno.env.get('LIFTOFF_DENO_PORT'));
const serve = Deno.serve.bind(Deno);
Deno.serve = (a, b) => {
  let options = {};
  let handler;
  if (typeof a === 'function') handler = a;
  else if (typeof b === 'function') { options = a ?? {}; handler = b; }
  else { options = a ?? {}; handler = options.handler; }
  return serve({
    ...options, handler, port, hostname: '127.0.0.1',
    onListen: () => console.log('liftoff-deno-listening ' + port),
  });
};
await import(Deno.env.get('LIFTOFF_DENO_ENTRY'));
`;

/**
 * Serves the Edge Function at `entry` (its index.ts) with real Deno: `deno run --allow-net
 * --allow-env --allow-read`, `env` as its environment (plus ours), on `port` (a free one by
 * default). Resolves once it listens: {port, origin, output(), stop()}; rejects with the
 * function's own output when it exits first or takes longer than timeoutMs (the first run
 * downloads its npm: packages).
 */
export async function serveFunction(entry, { env = {}, port, timeoutMs = 180_000 } = {}) {
  const chosen = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'liftoff-deno-'));
  const bootstrap = join(dir, 'bootstrap.mjs');
  writeFileSync(bootstrap, BOOTSTRAP);
  const args = ['run', '--no-config', '--no-prompt', '--allow-net', '--allow-env', '--allow-read', bootstrap];
  const child = spawn(denoPath(), args, {
    cwd: dir,
    env: denoEnv({ ...env, LIFTOFF_DENO_PORT: String(chosen), LIFTOFF_DENO_ENTRY: pathToFileURL(resolve(entry)).href }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk) => {
    log += chunk.toString('utf8');
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const done = new Promise((resolvePromise) => child.once('close', (code, signal) => resolvePromise((exited = { code, signal }))));
  child.once('error', (error) => {
    exited = { code: null, error };
  });
  const started = Date.now();
  while (!log.includes(`liftoff-deno-listening ${chosen}`)) {
    if (exited) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the Edge Function ${entry} exited (${exited.code ?? exited.signal ?? exited.error}) before listening:\n${log.trim()}`);
    }
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      await done;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the Edge Function ${entry} did not listen within ${timeoutMs} ms:\n${log.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port: chosen,
    origin: `http://127.0.0.1:${chosen}`,
    pid: child.pid,
    output: () => log,
    get exited() {
      return exited;
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await done;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
