// Really building what was uploaded, for the Vercel and Netlify stand-ins (vercel.mjs,
// netlify.mjs): unpack the source into a fresh temporary folder, install (`npm ci` with a
// package-lock.json, `npm install` otherwise), run the build command, and keep the output
// folder on disk to be served. One build at a time (BuildQueue) so a 2-core machine is not
// swamped; each with a timeout.
//
// The build's environment is this process's minus anything secret-looking (tokens, keys,
// passwords, every npm_* setting of the npm that runs the tests, VERCEL_*/NETLIFY_*), plus the
// host's system variables and the project's variables. Values never reach a log line.
//
// Also here: a minimal zip reader (Netlify's build from a zip; stored and deflated entries,
// traversal and absolute paths refused), a parser for netlify.toml's [build] table, path
// checks, and serving a built folder.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

import { crc32 } from './archive.mjs';

const SECRET_NAME = /TOKEN|SECRET|PASSW|CREDENTIAL|PRIVATE|API_?KEY|ACCESS_?KEY|AUTH|SESSION|COOKIE/i;

/**
 * The environment a build runs with: process.env without secret-looking names, npm's own
 * settings, the test runner's marker and the hosts' variables, then `system`, then `vars`
 * (the project's variables, which win).
 */
export function buildEnv(vars = {}, system = {}, base = process.env) {
  const env = {};
  for (const [name, value] of Object.entries(base)) {
    if (SECRET_NAME.test(name)) continue;
    if (/^(npm_|NODE_TEST_CONTEXT$|VERCEL|NETLIFY|NOW_)/i.test(name)) continue;
    env[name] = value;
  }
  // Quiet, offline-first npm for every install, whatever the command says.
  Object.assign(env, {
    CI: '1',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
  });
  return { ...env, ...system, ...vars };
}

/**
 * A path from outside (a deployment's file list, a zip entry) as a relative '/'-separated
 * path, or null when it is absolute, climbs out, or is otherwise unsafe.
 */
export function safePath(raw) {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 4096) return null;
  if (raw.includes('\0') || raw.includes('\\')) return null;
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) return null;
  const parts = raw.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.length === 0 || parts.some((part) => part === '..')) return null;
  return parts.join('/');
}

/**
 * The files of a zip: [{path, bytes, mode}] (folders skipped). Stored and deflated entries;
 * CRC-32 checked. Throws (with a message fit for an API answer) on anything else, on an entry
 * that would land outside the folder, or past the limits.
 */
export function readZip(buffer, { maxEntries = 20_000, maxBytes = 512 * 1024 * 1024 } = {}) {
  const bytes = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer);
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = bytes.readUInt16LE(end + 10);
  const centralSize = bytes.readUInt32LE(end + 12);
  let at = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw new Error('zip64 archives are not supported');
  if (count > maxEntries) throw new Error(`zip has ${count} entries, more than ${maxEntries}`);
  if (at + centralSize > end) throw new Error('zip central directory is out of bounds');
  const out = [];
  const seen = new Set();
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error('zip central directory is corrupt');
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    const compressed = bytes.readUInt32LE(at + 20);
    const size = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const madeBy = bytes.readUInt16LE(at + 4) >> 8;
    const external = bytes.readUInt32LE(at + 38);
    const offset = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString(flags & 0x0800 ? 'utf8' : 'latin1');
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const path = safePath(name);
    if (!path) throw new Error(`zip entry ${JSON.stringify(name)} would land outside the site folder`);
    if (seen.has(path)) throw new Error(`zip has ${path} twice`);
    seen.add(path);
    if (flags & 0x0001) throw new Error(`zip entry ${path} is encrypted`);
    const unixMode = madeBy === 3 ? external >>> 16 : 0;
    if ((unixMode & 0o170000) === 0o120000) throw new Error(`zip entry ${path} is a symbolic link`);
    total += size;
    if (total > maxBytes) throw new Error(`zip unpacks to more than ${maxBytes} bytes`);
    if (bytes.readUInt32LE(offset) !== 0x04034b50) throw new Error(`zip entry ${path} has no local header`);
    const start = offset + 30 + bytes.readUInt16LE(offset + 26) + bytes.readUInt16LE(offset + 28);
    const data = bytes.subarray(start, start + compressed);
    let content;
    if (method === 0) content = Buffer.from(data);
    else if (method === 8) content = inflateRawSync(data, { maxOutputLength: Math.max(size, 1) });
    else throw new Error(`zip entry ${path} uses compression method ${method}`);
    if (content.length !== size || crc32(content) !== crc) throw new Error(`zip entry ${path} is corrupt (size or CRC-32)`);
    out.push({ path, bytes: content, mode: unixMode & 0o777 ? unixMode & 0o777 : 0o644 });
  }
  return out;
}

/** netlify.toml's [build] table: {command, publish, base, environment} (strings, when set). */
export function parseNetlifyToml(text) {
  const out = { environment: {} };
  let table = '';
  for (const raw of String(text).split(/\r?\n/)) {
    const line = raw.replace(/^\s+|\s+$/g, '');
    if (!line || line.startsWith('#')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      table = header[1];
      continue;
    }
    const pair = /^([A-Za-z0-9_.-]+)\s*=\s*(.+)$/.exec(line);
    if (!pair) continue;
    const value = tomlString(pair[2]);
    if (value === null) continue;
    if (table === 'build' && ['command', 'publish', 'base'].includes(pair[1])) out[pair[1]] = value;
    if (table === 'build.environment') out.environment[pair[1]] = value;
  }
  return out;
}

/** A TOML basic or literal string (with a trailing comment allowed), or null. */
function tomlString(text) {
  const basic = /^"((?:[^"\\]|\\.)*)"\s*(#.*)?$/.exec(text);
  if (basic) return basic[1].replace(/\\(["\\nt])/g, (_, c) => ({ n: '\n', t: '\t' })[c] ?? c);
  const literal = /^'([^']*)'\s*(#.*)?$/.exec(text);
  return literal ? literal[1] : null;
}

/** Runs builds one at a time, in order. */
export class BuildQueue {
  #tail = Promise.resolve();
  #waiting = 0;

  /** Resolves what job() resolves, after every job queued before it finished. */
  run(job) {
    this.#waiting += 1;
    const result = this.#tail.then(() => job());
    this.#tail = result.then(
      () => {},
      () => {},
    ).finally(() => {
      this.#waiting -= 1;
    });
    return result;
  }

  get waiting() {
    return this.#waiting;
  }

  /** Resolves when every queued build is done. */
  idle() {
    return this.#tail;
  }
}

/** The queue every stand-in in this process uses unless it brings its own: one build at a time. */
export const sharedQueue = new BuildQueue();

/** Runs `command` with sh in cwd; resolves {code, signal, timedOut}; appends to log. */
function runCommand(command, { cwd, env, timeoutMs, log }) {
  return new Promise((resolveRun) => {
    log.push({ stream: 'command', text: command, at: Date.now() });
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    const collect = (stream) => {
      let pending = '';
      return {
        data(chunk) {
          pending += chunk.toString('utf8');
          const lines = pending.split(/\r?\n/);
          pending = lines.pop();
          for (const text of lines) log.push({ stream, text, at: Date.now() });
        },
        flush() {
          if (pending) log.push({ stream, text: pending, at: Date.now() });
          pending = '';
        },
      };
    };
    const out = collect('stdout');
    const err = collect('stderr');
    child.stdout.on('data', out.data);
    child.stderr.on('data', err.data);
    child.on('error', (error) => {
      log.push({ stream: 'stderr', text: String(error.message), at: Date.now() });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      out.flush();
      err.flush();
      resolveRun({ code, signal, timedOut });
    });
  });
}

/**
 * The most telling line of a failed step: the last stderr line the command itself wrote (not
 * npm's chatter: `npm warn …`, `npm error …`, the `> script` banner), else its last stdout
 * line, else npm's first explanatory `npm error` line (E404 and the like), else ''.
 */
export function lastLine(log, since = 0) {
  const lines = log.slice(since).filter((entry) => entry.stream !== 'command' && entry.text.trim());
  const npm = (entry) => /^npm (warn|notice|error|ERR!|WARN|verb|info)\b/i.test(entry.text.trim()) || /^>\s/.test(entry.text.trim());
  const own = lines.filter((entry) => !npm(entry));
  const pick =
    own.filter((entry) => entry.stream === 'stderr').at(-1) ??
    own.filter((entry) => entry.stream === 'stdout').at(-1) ??
    lines.find((entry) => /^npm (error|ERR!)\s/i.test(entry.text.trim()) && !/^npm (error|ERR!)\s+(code|errno|path|syscall|command|signal|A complete log|Lifecycle script|\s*$)/i.test(entry.text.trim()));
  return pick ? pick.text.trim().replace(/^npm (error|ERR!)\s+/i, '').slice(0, 500) : '';
}

/**
 * Writes files ([{path, bytes, mode?}], paths already checked) into a fresh folder under
 * parent and builds there:
 *   install: `installCommand` if given; else, with a package.json, `npm ci` when
 *            package-lock.json exists and `npm install` otherwise;
 *   build:   `buildCommand` (null: none);
 *   output:  `outputDirectory` ('.' for the folder itself), which must exist afterwards.
 * Resolves {ok, dir, output (absolute folder to serve), log, failure: {step, command, code,
 * line, timedOut, missingOutput} | null, ms}. Never throws for a failing build.
 */
export async function buildSource({ files, parent, env, installCommand, buildCommand, outputDirectory = '.', timeoutMs = 180_000 }) {
  const started = Date.now();
  const dir = mkdtempSync(join(parent ?? tmpdir(), 'build-'));
  const src = join(dir, 'src');
  const log = [];
  for (const { path, bytes, mode } of files) {
    const target = join(src, ...path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    if (mode && mode & 0o111) chmodSync(target, 0o755);
  }
  mkdirSync(src, { recursive: true });
  const steps = [];
  if (installCommand) steps.push({ step: 'install', command: installCommand });
  else if (existsSync(join(src, 'package.json'))) {
    const ci = existsSync(join(src, 'package-lock.json'));
    steps.push({ step: 'install', command: `npm ${ci ? 'ci' : 'install'} --no-audit --no-fund --prefer-offline` });
  }
  if (buildCommand) steps.push({ step: 'build', command: buildCommand });
  for (const { step, command } of steps) {
    const since = log.length;
    const left = Math.max(1_000, timeoutMs - (Date.now() - started));
    const result = await runCommand(command, { cwd: src, env, timeoutMs: left, log });
    if (result.code !== 0 || result.timedOut) {
      return {
        ok: false,
        dir,
        output: null,
        log,
        ms: Date.now() - started,
        failure: { step, command, code: result.code ?? result.signal, line: lastLine(log, since), timedOut: result.timedOut, missingOutput: false },
      };
    }
  }
  const out = safeJoin(src, outputDirectory === '.' || outputDirectory === '' ? '' : outputDirectory);
  if (!out || !existsSync(out) || !statSync(out).isDirectory()) {
    return {
      ok: false,
      dir,
      output: null,
      log,
      ms: Date.now() - started,
      failure: { step: 'output', command: null, code: null, line: '', timedOut: false, missingOutput: true },
    };
  }
  return { ok: true, dir, output: realpathSync(out), log, ms: Date.now() - started, failure: null };
}

/** root joined with a relative '/'-path, or null when it would leave root. */
export function safeJoin(root, path) {
  if (!path) return root;
  const clean = safePath(path.replace(/^\.\//, ''));
  return clean ? join(root, ...clean.split('/')) : null;
}

/** Removes a build folder (quietly). */
export function removeBuild(dir) {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serves path (URL-decoded, '/'-separated, below root) from a built folder, as a static host
 * does: a folder (or '') gives its index.html; `about` falls back to `about.html`; 404
 * otherwise. HEAD answers headers only.
 */
export function serveBuilt(req, res, root, rawPath) {
  let path;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = null;
  }
  const notFound = () => {
    const body = Buffer.from('404: NOT_FOUND\n');
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (path === null) return notFound();
  const trimmed = path.replace(/^\/+/, '');
  const candidates = [];
  if (trimmed === '' || trimmed.endsWith('/')) candidates.push(`${trimmed}index.html`);
  else candidates.push(trimmed, `${trimmed}/index.html`, `${trimmed}.html`);
  for (const candidate of candidates) {
    const file = safeJoin(root, candidate);
    if (!file || !existsSync(file)) continue;
    let real;
    try {
      real = realpathSync(file);
    } catch {
      continue;
    }
    if (real !== root && !real.startsWith(root + sep)) continue;
    if (!statSync(real).isFile()) continue;
    const body = readFileSync(real);
    res.writeHead(200, {
      'content-type': TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-store',
    });
    return res.end(req.method === 'HEAD' ? undefined : body);
  }
  return notFound();
}
