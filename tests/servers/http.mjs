// Starts a stand-in over HTTPS (for Chromium, with a throw-away certificate) or plain HTTP (for
// the CLI and benchmarks), and the small helpers the stand-ins share.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

import { makeCertificate } from './tls.mjs';

/**
 * Listens with handler(req, res). tls: false (plain HTTP), true (a self-signed certificate for
 * names), or {key, cert}. Resolves {server, port, origin, close()}.
 */
export async function listen(handler, { port = 0, host = '127.0.0.1', tls = false, names = ['localhost'] } = {}) {
  const server = tls
    ? createHttpsServer(tls === true ? makeCertificate(names) : tls, handler)
    : createHttpServer(handler);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const bound = server.address().port;
  return {
    server,
    port: bound,
    origin: `${tls ? 'https' : 'http'}://${host}:${bound}`,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections?.();
      }),
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function sendJson(res, status, value, headers = {}) {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

export function sendBytes(res, status, bytes, type, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'content-length': bytes.length, 'cache-control': 'no-store', ...headers });
  res.end(bytes);
}

/** Reads a request's whole body as bytes. */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The bearer token of a request, or null. */
export function bearerOf(req) {
  const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  return match ? match[1] : null;
}

/**
 * Injected failures, each used once, matched by target (a name the stand-in gives the request:
 * a file path, 'source-code', 'listing', 'eject'). kind: 429 (with retryAfter seconds),
 * any other status, 'drop' (the socket is destroyed before any answer; note that Chromium
 * resends a request by itself when a reused keep-alive connection closes that way), 'cut'
 * (headers and part of the body, then the socket is destroyed: always reaches fetch), or
 * 'redirect' (302 to location: a client must not follow it with its token).
 */
export class Failures {
  #rules = [];

  add(...rules) {
    for (const rule of rules.flat()) this.#rules.push({ ...rule });
  }

  clear() {
    this.#rules = [];
  }

  /** The first unused rule for target, consumed; or undefined. */
  take(target) {
    const at = this.#rules.findIndex((rule) => rule.target === target);
    return at < 0 ? undefined : this.#rules.splice(at, 1)[0];
  }

  get pending() {
    return this.#rules.map((rule) => ({ ...rule }));
  }
}

/** Answers (or drops) per an injected failure; true when it did. */
/**
 * A stand-in's answer that never arrives: `res` for a handler that carries the request out as
 * usual, whose answer is thrown away and whose connection then drops (the "lost answer" of a
 * creating call: the deployment exists, the client does not know).
 */
export function lostAnswer(res) {
  const drop = () => res.socket?.destroy();
  return {
    statusCode: 200,
    headersSent: false,
    setHeader() {},
    writeHead(status) {
      this.statusCode = status;
      return this;
    },
    write() {
      return true;
    },
    end() {
      setTimeout(drop, 10);
    },
    on() {},
  };
}

export function applyFailure(rule, res) {
  if (!rule) return false;
  if (rule.kind === 'drop') {
    res.socket?.destroy();
    return true;
  }
  if (rule.kind === 'cut') {
    // Headers and a first piece of the body, then the socket dies: no client resends this on
    // its own (bytes arrived), so the failure reaches the caller of fetch.
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 4096, 'cache-control': 'no-store' });
    res.write(Buffer.alloc(512, 0x2a), () => setTimeout(() => res.socket?.destroy(), 20));
    return true;
  }
  if (rule.kind === 'redirect') {
    res.writeHead(302, { location: rule.location, 'content-length': 0, 'cache-control': 'no-store' });
    res.end();
    return true;
  }
  const headers = rule.retryAfter !== undefined ? { 'retry-after': String(rule.retryAfter) } : {};
  const status = rule.kind === undefined ? 429 : Number(rule.kind);
  sendJson(res, status, { error: { message: status === 429 ? 'Too many requests' : 'Injected failure' } }, headers);
  return true;
}

/** Minimal argument parsing for the standalone servers: --name value, repeatable. */
export function parseArgs(argv, { flags = [], repeatable = [] } = {}) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument: ${arg}`);
    const name = arg.slice(2);
    if (flags.includes(name)) {
      out[name] = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    if (repeatable.includes(name)) (out[name] ??= []).push(value);
    else out[name] = value;
  }
  return out;
}

/**
 * Serves a stand-in's `api.handle` (see listen for port, host, tls and names) and resolves
 * {origin, port, server, api, handle, close}, where close stops the server, then the stand-in.
 */
export async function serveStandIn(api, { port = 0, host = '127.0.0.1', tls = false, names } = {}) {
  const server = await listen(api.handle, { port, host, tls, names });
  return {
    origin: server.origin,
    port: server.port,
    server: server.server,
    api,
    handle: api.handle,
    close: async () => {
      await server.close();
      await api.close();
    },
  };
}

/**
 * The standalone mode of the building stand-ins (Vercel, Netlify): `--port`, `--host`,
 * `--https`, `--token`, `--build-delay MS`, `--fail-429 TARGET`..., `--drop TARGET`...; prints
 * `describe(standIn)` as JSON on start and the counts on SIGINT/SIGTERM.
 */
export async function runStandalone(start, { port, token, describe }) {
  const args = parseArgs(process.argv.slice(2), { flags: ['https'], repeatable: ['fail-429', 'drop'] });
  const standIn = await start({
    port: Number(args.port ?? port),
    host: args.host ?? '127.0.0.1',
    tls: Boolean(args.https),
    token: args.token ?? token,
    buildDelayMs: Number(args['build-delay'] ?? 0),
  });
  standIn.api.inject(
    ...(args['fail-429'] ?? []).map((target) => ({ target, kind: 429, retryAfter: 1 })),
    ...(args.drop ?? []).map((target) => ({ target, kind: 'drop' })),
  );
  announceStandalone(describe(standIn), standIn.api, () => standIn.close());
}

/**
 * The end of every stand-in's standalone mode: prints description as JSON on start and, on
 * SIGINT/SIGTERM, api's counts (without the request log) before close() and exiting.
 */
export function announceStandalone(description, api, close = async () => {}) {
  console.log(JSON.stringify(description));
  const stop = async () => {
    console.error(JSON.stringify({ ...api.stats(), requests: undefined }));
    await close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
