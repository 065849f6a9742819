// `liftoff deploy|deployments|rollback --to aws` against moto's S3 and CloudFront
// (tests/servers/moto.mjs) behind a proxy that checks every request's Signature Version 4 with
// AWS's own JavaScript signer (tests/servers/sigv4-proxy.mjs) and logs it. Every assertion is on
// what moto holds or what the proxy saw (read back directly from moto, signed with other keys),
// not on what the CLI says of itself; expected files come from building the fixtures here
// (tests/fixtures/deploy-app, tests/fixtures/static-app) or from files generated here.
// The proxy also loses an answer (a CloudFront invalidation retried) and refuses a copy (a switch
// that fails halfway) where a test needs it. About 20 s with a fresh CLI.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

import { startMoto } from '../servers/moto.mjs';
import { startSigV4Proxy, uriEncode } from '../servers/sigv4-proxy.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEPLOY_APP = join(ROOT, 'tests/fixtures/deploy-app');
const STATIC_APP = join(ROOT, 'tests/fixtures/static-app');
const REGION = 'eu-west-1';
/** The keys the proxy knows (a secret with `/` and `+`, as AWS's have). */
const KEY = { accessKeyId: 'AKIALIFTOFFTEST00001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYLIFTOFFKEY' };
const TEMP = { accessKeyId: 'ASIALIFTOFFTEMP00001', secretAccessKey: 'tEmPoRaRy/SeCrEt+LiFtOfF0123456789abcde', sessionToken: 'FwoGZXIvYXdzE-liftoff-session-token/+=' };
const IMMUTABLE = 'public, max-age=31536000, immutable';
const TYPES = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json',
};

const work = mkdtempSync(join(tmpdir(), 'liftoff-deploy-aws-'));
let bin;
let moto;
let proxy;

/** The debug CLI, as the other suites build it (a no-op when fresh). */
function buildCli() {
  execFileSync('cargo', ['build', '-q', '-p', 'liftoff-cli'], { cwd: ROOT, stdio: 'inherit' });
  return join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'debug', 'liftoff');
}

/** The environment without the machine's AWS settings (nor its ~/.aws files). */
function cleanEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  delete env.VITE_GREETING;
  env.AWS_SHARED_CREDENTIALS_FILE = join(work, 'absent-credentials');
  env.AWS_CONFIG_FILE = join(work, 'absent-config');
  env.AWS_ENDPOINT_URL = proxy.origin;
  return env;
}

/** Access keys in the environment, as every AWS tool reads them. */
function keyEnv(more = {}) {
  return { ...cleanEnv(), AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey, AWS_REGION: REGION, ...more };
}

/** Runs the CLI (asynchronously: the proxy answers from this process). */
function liftoff(args, env = keyEnv()) {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(bin, args, { env, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      const code = error ? (error.code ?? 1) : 0;
      const json = code === 0 && args.includes('--json') ? JSON.parse(stdout) : null;
      resolve({ code, stdout, stderr, json, ms: Date.now() - started });
    });
  });
}

/** A request straight to moto (not through the proxy), signed with keys moto does not check. */
async function motoRequest(method, path, { service = 's3', body, headers = {}, query = {} } = {}) {
  const url = new URL(moto.origin);
  const signer = new SignatureV4({
    service,
    region: service === 's3' ? REGION : 'us-east-1',
    sha256: Sha256,
    uriEscapePath: service !== 's3',
    credentials: { accessKeyId: 'moto-reader', secretAccessKey: 'moto-reader' },
  });
  const signed = await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query, headers: { host: url.host, ...headers }, body });
  const search = Object.entries(query).map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join('&');
  const response = await fetch(`${moto.origin}${path}${search ? `?${search}` : ''}`, { method, headers: signed.headers, body });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const keyPath = (bucket, key) => `/${bucket}/${key.split('/').map(uriEncode).join('/')}`;

async function createBucket(bucket) {
  const body = `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${REGION}</LocationConstraint></CreateBucketConfiguration>`;
  const r = await motoRequest('PUT', `/${bucket}`, { body });
  assert.equal(r.status, 200, `creating bucket ${bucket}: ${r.bytes}`);
}

async function getObject(bucket, key) {
  const r = await motoRequest('GET', keyPath(bucket, key));
  return { status: r.status, bytes: r.bytes, type: r.headers.get('content-type'), cache: r.headers.get('cache-control'), etag: r.headers.get('etag') };
}

async function putObject(bucket, key, bytes, type = 'application/octet-stream') {
  const r = await motoRequest('PUT', keyPath(bucket, key), { body: bytes, headers: { 'content-type': type } });
  assert.equal(r.status, 200);
}

/** Every key in the bucket with its ETag (ListObjectsV2, page by page). */
async function listObjects(bucket) {
  const objects = new Map();
  let token = null;
  do {
    const query = { 'list-type': '2', 'max-keys': '1000', ...(token ? { 'continuation-token': token } : {}) };
    const r = await motoRequest('GET', `/${bucket}`, { query });
    assert.equal(r.status, 200, `listing ${bucket}: ${r.bytes}`);
    const xml = r.bytes.toString('utf8');
    for (const m of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
      const key = unxml(/<Key>([\s\S]*?)<\/Key>/.exec(m[1])[1]);
      objects.set(key, /<ETag>([\s\S]*?)<\/ETag>/.exec(m[1])[1]);
    }
    token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? unxml(/<NextContinuationToken>([\s\S]*?)<\/NextContinuationToken>/.exec(xml)[1]) : null;
  } while (token);
  return objects;
}

const unxml = (t) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

async function manifest(bucket, prefix = '') {
  const r = await getObject(bucket, `${prefix}releases/liftoff.json`);
  assert.equal(r.status, 200, 'the manifest is in the bucket');
  return JSON.parse(r.bytes.toString('utf8'));
}

/** Runs `fn` over `items`, `limit` at a time. */
async function eachLimited(items, limit, fn) {
  const queue = [...items];
  await Promise.all(Array.from({ length: limit }, async () => {
    while (queue.length) await fn(queue.shift());
  }));
}

/** Asserts every file of `files` (path → bytes) is at `${prefix}${path}` byte for byte. */
async function assertServed(bucket, files, prefix = '') {
  await eachLimited([...files], 16, async ([path, bytes]) => {
    const r = await getObject(bucket, `${prefix}${path}`);
    assert.equal(r.status, 200, `${prefix}${path} is in the bucket`);
    assert.ok(r.bytes.equals(bytes), `${prefix}${path} holds the built bytes`);
  });
}

/** A folder's files, path → bytes. */
function readTree(dir) {
  const files = new Map();
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(relative(dir, full).split('\\').join('/'), readFileSync(full));
    }
  };
  walk(dir);
  return files;
}

function writeTree(dir, files) {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, bytes] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return dir;
}

/** Builds a copy of `fixture` here (npm run build), as the CLI should: its dist/ files. */
function buildHere(fixture, name) {
  const dir = join(work, `built-${name}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(fixture, dir, { recursive: true });
  const env = { ...process.env };
  delete env.VITE_GREETING;
  execFileSync('npm', ['run', 'build'], { cwd: dir, env, stdio: 'ignore' });
  return readTree(join(dir, 'dist'));
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** An app of `count` files (hashed scripts and styles, a page, one data file whose content is
 * `feed`): what a mid-sized bundler build looks like. */
function manyFiles(count, feed) {
  const files = new Map();
  files.set('index.html', Buffer.from('<!doctype html><title>many</title><script type="module" src="/assets/chunk-000.js"></script>\n'));
  files.set('data/feed.json', Buffer.from(`${JSON.stringify({ feed })}\n`));
  for (let i = 0; files.size < count; i += 1) {
    const ext = i % 5 === 4 ? 'css' : 'js';
    const content = ext === 'js' ? `export const chunk${i} = ${JSON.stringify('x'.repeat(200 + (i % 37)))};\n` : `.c${i} { margin: ${i}px; }\n`;
    files.set(`assets/chunk-${String(i).padStart(3, '0')}-${sha256(content).slice(0, 7)}1.${ext}`, Buffer.from(content));
  }
  return files;
}

const isPut = (e) => e.method === 'PUT' && !e.copy;
const isCopy = (e) => e.method === 'PUT' && e.copy;
const writes = (entries) => entries.filter((e) => !['GET', 'HEAD'].includes(e.method));
/** The decoded key of an S3 entry in `bucket`. */
const keyOf = (bucket, e) => decodeURIComponent(e.path.slice(bucket.length + 2));

function noSecretIn(result, ...secrets) {
  for (const secret of secrets) {
    assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), 'the secret never shows');
  }
}

function noRejections(mark, what) {
  const refused = proxy.since(mark).filter((e) => e.verdict === 'rejected');
  assert.deepEqual(refused.map((e) => `${e.method} ${e.path}: ${e.code}`), [], `${what}: every request's signature checked out`);
}

before(async () => {
  bin = buildCli();
  moto = await startMoto();
  proxy = await startSigV4Proxy({ upstream: moto.origin, credentials: [KEY, TEMP], region: REGION });
});

after(async () => {
  await proxy?.close();
  await moto?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the SigV4-checking proxy refuses what S3 refuses', () => {
  /** A request to the proxy signed by AWS's JavaScript signer; `tamper` changes it after signing. */
  async function viaProxy(method, path, { body, headers = {}, key = KEY, tamper = (r) => r } = {}) {
    const url = new URL(proxy.origin);
    const signer = new SignatureV4({ service: 's3', region: REGION, sha256: Sha256, uriEscapePath: false, credentials: key });
    const signed = tamper(await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, headers: { host: url.host, ...headers }, body }));
    const response = await fetch(`${proxy.origin}${path}`, { method, headers: signed.headers, body: signed.body });
    const text = await response.text();
    return { status: response.status, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? null };
  }

  test('a good signature is relayed; a changed header, body, key, or an unsigned x-amz-* header is not', async () => {
    const bucket = 'liftoff-proxy-check';
    await createBucket(bucket);
    const mark = proxy.log.length;
    const put = (more = {}) => viaProxy('PUT', `/${bucket}/a%20file.txt`, { body: 'hello', headers: { 'content-type': 'text/plain' }, ...more });
    assert.deepEqual(await put(), { status: 200, code: null });
    assert.equal((await getObject(bucket, 'a file.txt')).bytes.toString(), 'hello');
    const changedHeader = (r) => ({ ...r, headers: { ...r.headers, 'content-type': 'text/html' } });
    assert.deepEqual(await put({ tamper: changedHeader }), { status: 403, code: 'SignatureDoesNotMatch' });
    assert.deepEqual(await put({ tamper: (r) => ({ ...r, body: 'HELLO' }) }), { status: 400, code: 'XAmzContentSHA256Mismatch' });
    assert.deepEqual(await put({ key: { ...KEY, secretAccessKey: `${KEY.secretAccessKey}x` } }), { status: 403, code: 'SignatureDoesNotMatch' });
    assert.deepEqual(await put({ key: { ...KEY, accessKeyId: 'AKIANOBODY0000000000' } }), { status: 403, code: 'InvalidAccessKeyId' });
    const unsignedCopy = (r) => ({ ...r, headers: { ...r.headers, 'x-amz-copy-source': `/${bucket}/a%20file.txt` } });
    assert.deepEqual(await put({ tamper: unsignedCopy }), { status: 403, code: 'AccessDenied' });
    const res = await fetch(`${proxy.origin}/${bucket}/a%20file.txt`);
    assert.equal(res.status, 403, 'an unsigned request');
    await res.arrayBuffer();
    assert.deepEqual(proxy.since(mark).map((e) => e.verdict), ['relayed', ...Array(6).fill('rejected')]);
    assert.equal((await getObject(bucket, 'a file.txt')).bytes.toString(), 'hello', 'no refused write reached moto');
  });
});

describe('liftoff deploy --to aws (moto behind a SigV4-checking proxy)', () => {
  const app = { bucket: 'liftoff-deploy-app', id: null, files: null };

  test('first deploy of deploy-app, built by the CLI: live at the root and under releases/<id>/, the manifest says so', async () => {
    await createBucket(app.bucket);
    app.files = buildHere(DEPLOY_APP, 'deploy-app');
    const leftovers = () => ['dist', 'node_modules'].filter((d) => existsSync(join(DEPLOY_APP, d)));
    const before = leftovers();
    const mark = proxy.log.length;
    const result = await liftoff(['deploy', DEPLOY_APP, '--to', 'aws', '--bucket', app.bucket, '--json']);
    assert.equal(result.code, 0, result.stderr);
    noSecretIn(result, KEY.secretAccessKey);
    assert.deepEqual(leftovers(), before, 'the build ran elsewhere, not in the input folder');
    const { id, url, state } = result.json;
    assert.deepEqual(Object.keys(result.json).sort(), ['id', 'state', 'url']);
    assert.equal(state, 'LIVE');
    assert.match(id, /^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    assert.equal(url, `${proxy.origin}/${app.bucket}/index.html`);
    app.id = id;

    assert.deepEqual([...app.files.keys()], ['index.html'], "deploy-app's build is one page");
    assert.match(app.files.get('index.html').toString(), /VITE_GREETING is not set/);
    await assertServed(app.bucket, app.files);
    await assertServed(app.bucket, app.files, `releases/${id}/`);
    const page = await getObject(app.bucket, 'index.html');
    assert.equal(page.type, TYPES.html);
    assert.equal(page.cache, 'no-cache');
    const stored = await getObject(app.bucket, `releases/${id}/index.html`);
    assert.equal(stored.type, TYPES.html, "the release's copy is served as a page too (deployments links to it)");

    const keys = [...(await listObjects(app.bucket)).keys()].sort();
    assert.deepEqual(keys, ['index.html', 'releases/liftoff.json', `releases/${id}/index.html`].sort(), 'nothing else written');
    const m = await manifest(app.bucket);
    assert.equal(m.live, id);
    assert.deepEqual(m.releases.map((r) => r.id), [id]);
    assert.deepEqual(m.releases[0].files, { 'index.html': { sha256: sha256(app.files.get('index.html')), size: app.files.get('index.html').length } });

    const seen = proxy.since(mark);
    noRejections(mark, 'first deploy');
    assert.ok(seen.every((e) => e.verdict === 'relayed' && e.accessKeyId === KEY.accessKeyId && e.region === REGION));
    const objectPuts = seen.filter((e) => isPut(e) && e.path !== `/${app.bucket}`);
    assert.deepEqual(objectPuts.map((e) => keyOf(app.bucket, e)).sort(), [`releases/${id}/index.html`, 'releases/liftoff.json', 'releases/liftoff.json'].sort(), 'the release file, the manifest saying the switch is under way, then the manifest');
    // No distribution: the bucket serves the app, so its website gets index.html as the error
    // document (it had no website configuration), once the switch is done.
    const website = seen.filter((e) => e.path === `/${app.bucket}`);
    assert.deepEqual(website.map((e) => e.method), ['GET', 'PUT'], 'the website configuration read, then set');
    assert.deepEqual(seen.filter(isCopy).map((e) => [e.copySource, keyOf(app.bucket, e)]), [[`/${app.bucket}/releases/${id}/index.html`, 'index.html']]);
  });

  test('a Vite-shaped build: Content-Type per file, hashed assets immutable, pages no-cache, assets live before pages', async () => {
    const bucket = 'liftoff-static-app';
    await createBucket(bucket);
    const files = buildHere(STATIC_APP, 'static-app');
    const mark = proxy.log.length;
    const result = await liftoff(['deploy', STATIC_APP, '--to', 'aws', '--bucket', bucket, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const { id } = result.json;
    await assertServed(bucket, files);
    await assertServed(bucket, files, `releases/${id}/`);
    const hashed = [...files.keys()].filter((p) => p.startsWith('assets/'));
    assert.equal(hashed.length, 2);
    for (const path of files.keys()) {
      const ext = path.split('.').pop();
      for (const key of [path, `releases/${id}/${path}`]) {
        const r = await getObject(bucket, key);
        assert.equal(r.type, TYPES[ext], `${key}'s Content-Type`);
        assert.equal(r.cache, hashed.includes(path) ? IMMUTABLE : 'no-cache', `${key}'s Cache-Control`);
      }
    }
    noRejections(mark, 'static-app deploy');
    // Going live: every release file stored first, then the assets copied to the root, then the pages.
    const seen = proxy.since(mark);
    const live = seen.filter((e) => isCopy(e) && !keyOf(bucket, e).startsWith('releases/'));
    assert.equal(live.length, files.size);
    const lastStore = Math.max(...seen.filter((e) => e.method === 'PUT' && keyOf(bucket, e).startsWith(`releases/${id}/`)).map((e) => e.seq));
    const pages = live.filter((e) => keyOf(bucket, e).endsWith('.html'));
    const assets = live.filter((e) => !keyOf(bucket, e).endsWith('.html'));
    assert.ok(lastStore < Math.min(...live.map((e) => e.seq)), 'the release is complete before anything goes live');
    assert.ok(Math.max(...assets.map((e) => e.seq)) < Math.min(...pages.map((e) => e.seq)), 'every asset is live before the first page');
    const manifestPuts = seen.filter((e) => isPut(e) && keyOf(bucket, e) === 'releases/liftoff.json');
    assert.equal(manifestPuts.length, 2);
    assert.ok(manifestPuts[0].seq < Math.min(...live.map((e) => e.seq)), 'the manifest says a switch is under way before it starts');
    assert.ok(manifestPuts[1].seq > Math.max(...live.map((e) => e.seq)), 'the manifest is written after the switch');
  });

  describe('300 files: a one-file change, rollback and forward', () => {
    const bucket = 'liftoff-many-files';
    const v1 = manyFiles(300, 'first');
    const v2 = new Map(v1).set('data/feed.json', Buffer.from(`${JSON.stringify({ feed: 'second, a little longer' })}\n`));
    const ids = [];

    test('redeploy after a one-file change uploads that file only; the rest are server-side copies', async () => {
      await createBucket(bucket);
      assert.equal(v1.size, 300);
      const first = await liftoff(['deploy', '--prebuilt', writeTree(join(work, 'many-v1'), v1), '--to', 'aws', '--bucket', bucket, '--json']);
      assert.equal(first.code, 0, first.stderr);
      ids.push(first.json.id);
      const mark = proxy.log.length;
      const second = await liftoff(['deploy', '--prebuilt', writeTree(join(work, 'many-v2'), v2), '--to', 'aws', '--bucket', bucket, '--json']);
      assert.equal(second.code, 0, second.stderr);
      const [id1, id2] = [ids[0], second.json.id];
      ids.push(id2);
      assert.notEqual(id1, id2);
      noRejections(mark, 'redeploy');
      const seen = proxy.since(mark);
      const uploads = seen.filter(isPut).map((e) => [keyOf(bucket, e), e.bytes]);
      const feed = v2.get('data/feed.json');
      assert.deepEqual(
        uploads.filter(([key]) => key !== 'releases/liftoff.json'),
        [[`releases/${id2}/data/feed.json`, feed.length]],
        'one file uploaded: the one that changed',
      );
      assert.equal(uploads.filter(([key]) => key === 'releases/liftoff.json').length, 2, 'and the manifest (switching, then live)');
      const copies = seen.filter(isCopy);
      const stored = copies.filter((e) => keyOf(bucket, e).startsWith(`releases/${id2}/`));
      assert.equal(stored.length, 299, 'the 299 unchanged files copied into the new release');
      for (const e of stored) {
        assert.equal(e.copySource, `/${bucket}/releases/${id1}/${keyOf(bucket, e).slice(`releases/${id2}/`.length)}`, 'from the same file of the release before');
        assert.equal(e.bytes, 0);
      }
      const live = copies.filter((e) => !keyOf(bucket, e).startsWith('releases/'));
      assert.deepEqual(
        live.map((e) => [keyOf(bucket, e), e.copySource]),
        [['data/feed.json', `/${bucket}/releases/${id2}/data/feed.json`]],
        'going live copies what differs from the live release, and nothing else',
      );
      await assertServed(bucket, v2);
      await assertServed(bucket, v2, `releases/${id2}/`);
      await assertServed(bucket, v1, `releases/${id1}/`);
      const m = await manifest(bucket);
      assert.equal(m.live, id2);
    });

    test('rollback: the previous release live again in seconds, nothing uploaded; forward with --deployment', async (t) => {
      assert.equal(ids.length, 2, 'the redeploy ran');
      const [id1, id2] = ids;
      let mark = proxy.log.length;
      const back = await liftoff(['rollback', '--to', 'aws', '--bucket', bucket, '--json']);
      assert.equal(back.code, 0, back.stderr);
      t.diagnostic(`rollback of 300 files: ${back.ms} ms`);
      assert.ok(back.ms <= 30_000, `a rollback of 300 files takes at most 30 s (took ${back.ms} ms)`);
      assert.equal(back.json.id, id1);
      assert.equal(back.json.state, 'LIVE');
      noRejections(mark, 'rollback');
      let seen = proxy.since(mark);
      assert.deepEqual(seen.filter(isPut).map((e) => keyOf(bucket, e)), ['releases/liftoff.json', 'releases/liftoff.json'], 'no app content uploaded, only the manifest (switching, then live)');
      assert.deepEqual(
        seen.filter(isCopy).map((e) => [keyOf(bucket, e), e.copySource]),
        [['data/feed.json', `/${bucket}/releases/${id1}/data/feed.json`]],
        'the file that differs copied back from the earlier release, nothing else',
      );
      await assertServed(bucket, v1);
      assert.equal((await manifest(bucket)).live, id1);

      let list = await liftoff(['deployments', '--to', 'aws', '--bucket', bucket, '--json']);
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual(list.json.map((e) => [e.id, e.production, e.state]), [[id2, false, 'READY'], [id1, true, 'LIVE']], 'newest first, the live one marked');
      for (const entry of list.json) assert.deepEqual(Object.keys(entry).sort(), ['created', 'id', 'preview', 'production', 'state', 'url']);
      assert.ok(list.json[0].created > list.json[1].created);
      assert.equal(list.json[1].url, `${proxy.origin}/${bucket}/releases/${id1}/index.html`);

      mark = proxy.log.length;
      const none = await liftoff(['rollback', '--to', 'aws', '--bucket', bucket, '--json']);
      assert.equal(none.code, 1, 'nothing before the oldest release');
      assert.deepEqual(writes(proxy.since(mark)), [], 'and nothing written');
      const unknown = await liftoff(['rollback', '--to', 'aws', '--bucket', bucket, '--deployment', '20200101T000000Z-00000000', '--json']);
      assert.equal(unknown.code, 1, 'an unknown release');
      assert.deepEqual(writes(proxy.since(mark)), [], 'and nothing written');

      mark = proxy.log.length;
      const forth = await liftoff(['rollback', '--to', 'aws', '--bucket', bucket, '--deployment', id2, '--json']);
      assert.equal(forth.code, 0, forth.stderr);
      assert.equal(forth.json.id, id2);
      seen = proxy.since(mark);
      assert.deepEqual(seen.filter(isPut).map((e) => keyOf(bucket, e)), ['releases/liftoff.json', 'releases/liftoff.json']);
      assert.deepEqual(seen.filter(isCopy).map((e) => [keyOf(bucket, e), e.copySource]), [['data/feed.json', `/${bucket}/releases/${id2}/data/feed.json`]]);
      await assertServed(bucket, v2);
      list = await liftoff(['deployments', '--to', 'aws', '--bucket', bucket, '--json']);
      assert.deepEqual(list.json.map((e) => [e.id, e.production]), [[id2, true], [id1, false]]);
      const human = await liftoff(['deployments', '--to', 'aws', '--bucket', bucket]);
      assert.match(human.stdout, new RegExp(`^\\* ${id2}`, 'm'));
    });
  });

  test('a switch that failed halfway (assets live, a page refused): the next deploy puts every live file right', async () => {
    const bucket = 'liftoff-halfway';
    await createBucket(bucket);
    const a = new Map([
      ['index.html', Buffer.from('<p>A home</p>\n')],
      ['about.html', Buffer.from('<p>A about</p>\n')],
      ['robots.txt', Buffer.from('User-agent: *\nAllow: /\n')],
    ]);
    const b = new Map(a).set('robots.txt', Buffer.from('User-agent: *\nDisallow: /\n')).set('about.html', Buffer.from('<p>B about</p>\n'));
    const dir = join(work, 'halfway');
    const deploy = () => liftoff(['deploy', '--prebuilt', dir, '--to', 'aws', '--bucket', bucket, '--json']);
    writeTree(dir, a);
    const first = await deploy();
    assert.equal(first.code, 0, first.stderr);
    // B's switch: its assets go live, then S3 refuses its page (a policy, a permission): it fails.
    writeTree(dir, b);
    proxy.failNext((e) => e.copy && e.path === `/${bucket}/about.html`);
    const failed = await deploy();
    assert.equal(failed.code, 1, 'the refused copy fails the deploy');
    assert.match(failed.stderr, /AccessDenied/);
    assert.equal((await manifest(bucket)).live, first.json.id, 'the manifest still names A');
    assert.ok((await getObject(bucket, 'robots.txt')).bytes.equals(b.get('robots.txt')), "B's asset went live before the page was refused");
    // Deploying A's content again must serve A everywhere, whatever the manifest says was live.
    writeTree(dir, a);
    const again = await deploy();
    assert.equal(again.code, 0, again.stderr);
    await assertServed(bucket, a);
  });

  test('a failed build: exit 1 with its message and last lines, nothing written, production unchanged', async () => {
    assert.ok(app.id, 'the first deploy ran');
    const dir = join(work, 'failing-app');
    rmSync(dir, { recursive: true, force: true });
    cpSync(DEPLOY_APP, dir, { recursive: true });
    writeFileSync(join(dir, 'src/message.txt'), 'FAIL please\n');
    const before = await listObjects(app.bucket);
    const mark = proxy.log.length;
    const result = await liftoff(['deploy', dir, '--to', 'aws', '--bucket', app.bucket, '--json']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /`npm run build` failed/);
    assert.match(result.stderr, /nothing was deployed/);
    assert.match(result.stderr, /build failed: src\/message\.txt says FAIL/, "the build's own message");
    assert.match(result.stderr, /node build\.mjs/, "npm's lines before it");
    assert.deepEqual(writes(proxy.since(mark)), [], 'no write reached the bucket');
    assert.deepEqual(await listObjects(app.bucket), before, 'the bucket is as it was');
    assert.equal((await manifest(app.bucket)).live, app.id);
    await assertServed(app.bucket, app.files);
    const list = await liftoff(['deployments', '--to', 'aws', '--bucket', app.bucket, '--json']);
    assert.deepEqual(list.json.map((e) => [e.id, e.production]), [[app.id, true]]);
  });

  test('a wrong secret: exit 1 naming SignatureDoesNotMatch and AWS_SECRET_ACCESS_KEY; nothing reaches moto; no secret shown', async () => {
    assert.ok(app.id, 'the first deploy ran');
    const dir = writeTree(join(work, 'wrong-secret'), new Map([['index.html', Buffer.from('<p>never deployed</p>\n')]]));
    const before = await listObjects(app.bucket);
    const wrong = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYWRONGKEY00';
    let mark = proxy.log.length;
    const rejected = proxy.rejections.length;
    const result = await liftoff(['deploy', '--prebuilt', dir, '--to', 'aws', '--bucket', app.bucket], keyEnv({ AWS_SECRET_ACCESS_KEY: wrong }));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /SignatureDoesNotMatch/);
    assert.match(result.stderr, /AWS_SECRET_ACCESS_KEY/);
    noSecretIn(result, wrong, KEY.secretAccessKey);
    let seen = proxy.since(mark);
    assert.ok(seen.length >= 1, 'it asked');
    assert.deepEqual(seen.map((e) => e.verdict), seen.map(() => 'rejected'), 'every request refused, none reached moto');
    assert.ok(proxy.rejections.slice(rejected).every((r) => r.code === 'SignatureDoesNotMatch'));

    mark = proxy.log.length;
    const unknown = await liftoff(['deploy', '--prebuilt', dir, '--to', 'aws', '--bucket', app.bucket], keyEnv({ AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000' }));
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /InvalidAccessKeyId/);
    noSecretIn(unknown, KEY.secretAccessKey);
    seen = proxy.since(mark);
    assert.ok(seen.length >= 1 && seen.every((e) => e.verdict === 'rejected' && e.code === 'InvalidAccessKeyId'));

    assert.deepEqual(await listObjects(app.bucket), before, 'the bucket is as it was');
    assert.equal((await manifest(app.bucket)).live, app.id);
  });

  test('--preview stores a release without touching production; promote makes it live; promoting it again writes nothing', async () => {
    const bucket = 'liftoff-preview';
    await createBucket(bucket);
    const live = new Map([['index.html', Buffer.from('<p>live</p>\n')], ['assets/app-1a2b3c4d.js', Buffer.from('live()\n')]]);
    assert.equal((await liftoff(['deploy', '--prebuilt', writeTree(join(work, 'preview-live'), live), '--to', 'aws', '--bucket', bucket])).code, 0);
    const next = new Map([['index.html', Buffer.from('<p>preview</p>\n')], ['assets/app-9f8e7d6c.js', Buffer.from('next()\n')]]);
    const preview = await liftoff(['deploy', '--prebuilt', writeTree(join(work, 'preview-next'), next), '--to', 'aws', '--bucket', bucket, '--preview', '--json']);
    assert.equal(preview.code, 0, preview.stderr);
    assert.equal(preview.json.production, false);
    assert.equal(preview.json.state, 'PREVIEW');
    assert.equal(preview.json.url, `${proxy.origin}/${bucket}/releases/${preview.json.id}/index.html`);
    assert.equal((await getObject(bucket, 'index.html')).bytes.toString(), '<p>live</p>\n', 'production untouched');
    assert.equal((await getObject(bucket, `releases/${preview.json.id}/index.html`)).bytes.toString(), '<p>preview</p>\n');
    const listed = await liftoff(['deployments', '--to', 'aws', '--bucket', bucket, '--json']);
    assert.deepEqual(listed.json.map((e) => [e.preview, e.production]), [[true, false], [false, true]]);

    const promoted = await liftoff(['promote', '--to', 'aws', '--bucket', bucket, '--deployment', preview.json.id, '--json']);
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.deepEqual([promoted.json.id, promoted.json.changed], [preview.json.id, true]);
    assert.equal((await getObject(bucket, 'index.html')).bytes.toString(), '<p>preview</p>\n');
    const mark = proxy.log.length;
    const again = await liftoff(['promote', '--to', 'aws', '--bucket', bucket, '--deployment', preview.json.id]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already production .*nothing changed/);
    assert.deepEqual(writes(proxy.since(mark)), [], 'promoting the live deployment writes nothing');
  });

  test('--prefix site/: everything under site/, the bucket root untouched', async () => {
    const bucket = 'liftoff-prefixed';
    await createBucket(bucket);
    // The root already serves something else (another deployment, and a file of its own).
    const rootSite = new Map([['index.html', Buffer.from('<p>the root app</p>\n')], ['assets/app-1234abcd.js', Buffer.from('console.log(1)\n')]]);
    const root = await liftoff(['deploy', '--prebuilt', writeTree(join(work, 'root-site'), rootSite), '--to', 'aws', '--bucket', bucket, '--json']);
    assert.equal(root.code, 0, root.stderr);
    await putObject(bucket, 'notes.txt', Buffer.from('kept\n'), 'text/plain');
    const before = await listObjects(bucket);

    const files = buildHere(STATIC_APP, 'static-app-prefix');
    const mark = proxy.log.length;
    const result = await liftoff(['deploy', '--prebuilt', writeTree(join(work, 'prefixed-site'), files), '--to', 'aws', '--bucket', bucket, '--prefix', 'site/', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const { id, url } = result.json;
    assert.equal(url, `${proxy.origin}/${bucket}/site/index.html`);
    noRejections(mark, 'prefixed deploy');
    const seen = proxy.since(mark);
    assert.ok(seen.length > 0);
    for (const e of seen.filter((entry) => entry.path !== `/${bucket}`)) {
      assert.ok(e.path.startsWith(`/${bucket}/site/`), `${e.method} ${e.path} is under site/`);
      if (e.copy) assert.ok(e.copySource.startsWith(`/${bucket}/site/releases/`), `copies come from site/releases/: ${e.copySource}`);
    }
    await assertServed(bucket, files, 'site/');
    await assertServed(bucket, files, `site/releases/${id}/`);
    const after = await listObjects(bucket);
    for (const [key, etag] of before) assert.equal(after.get(key), etag, `${key} untouched`);
    const added = [...after.keys()].filter((k) => !before.has(k));
    assert.ok(added.every((k) => k.startsWith('site/')), `only keys under site/ were added: ${added}`);
    assert.equal(added.length, files.size * 2 + 1, 'the live files, the release, and its manifest');
    assert.equal((await manifest(bucket, 'site/')).live, id);
    assert.equal((await manifest(bucket)).live, root.json.id, "the root's own manifest is not touched");
    const underSite = await liftoff(['deployments', '--to', 'aws', '--bucket', bucket, '--prefix', 'site/', '--json']);
    assert.deepEqual(underSite.json.map((e) => e.id), [id]);
    const atRoot = await liftoff(['deployments', '--to', 'aws', '--bucket', bucket, '--json']);
    assert.deepEqual(atRoot.json.map((e) => e.id), [root.json.id]);
  });

  test('with a CloudFront distribution: one invalidation of the pages, deep links answered with the app; a lost answer retried and a repeated deploy do not fail', async () => {
    const bucket = 'liftoff-cdn';
    await createBucket(bucket);
    const distribution = await createDistribution(bucket);
    const files = buildHere(STATIC_APP, 'static-app-cdn');
    const dir = writeTree(join(work, 'cdn-site'), files);
    const args = ['deploy', '--prebuilt', dir, '--to', 'aws', '--bucket', bucket, '--distribution', distribution, '--json'];
    let mark = proxy.log.length;
    const first = await liftoff(args);
    assert.equal(first.code, 0, first.stderr);
    noRejections(mark, 'deploy with a distribution');
    let seen = proxy.since(mark);
    const cloudfront = seen.filter((e) => e.service === 'cloudfront');
    assert.deepEqual(
      cloudfront.map((e) => [e.method, e.path, e.region, e.status]),
      [
        ['POST', `/2020-05-31/distribution/${distribution}/invalidation`, 'us-east-1', 201],
        ['GET', `/2020-05-31/distribution/${distribution}/config`, 'us-east-1', 200],
        ['PUT', `/2020-05-31/distribution/${distribution}/config`, 'us-east-1', 200],
      ],
      'one invalidation, then the error responses set, signed for CloudFront',
    );
    assert.equal(cloudfront[0].seq, seen.filter((e) => e.service !== 'cloudfront').at(-1).seq + 1, 'after everything else (the manifest included)');
    // The distribution answers deep links (403 and 404 from S3) with the app, status 200.
    let config = await distributionConfig(distribution);
    assert.deepEqual(errorResponses(config), [
      ['403', '/index.html', '200'],
      ['404', '/index.html', '200'],
    ]);
    assert.match(config, /<CallerReference>liftoff-test-liftoff-cdn<\/CallerReference>/, 'the rest of the configuration kept');
    assert.match(config, new RegExp(`<DomainName>${bucket}\\.s3\\.`));
    let list = await invalidations(distribution);
    assert.equal(list.length, 1);
    assert.deepEqual(list[0].paths.sort(), ['/', '/about/index.html', '/index.html'], 'the pages, and / for the index');
    assert.equal(list[0].callerReference, `liftoff--${first.json.id}`);

    // The answer to the next invalidation is lost: the CLI asks again, with the same batch.
    const changed = new Map(files).set('about/index.html', Buffer.from('<!doctype html><title>about, v2</title>\n'));
    writeTree(dir, changed);
    proxy.loseAnswer((e) => e.service === 'cloudfront' && e.method === 'POST');
    mark = proxy.log.length;
    const second = await liftoff(args);
    assert.equal(second.code, 0, second.stderr);
    seen = proxy.since(mark).filter((e) => e.service === 'cloudfront');
    assert.deepEqual(seen.filter((e) => e.method === 'POST').map((e) => e.verdict), ['lost', 'replayed'], 'asked again after the lost answer');
    assert.deepEqual(seen.filter((e) => e.method !== 'POST').map((e) => e.method), ['GET'], 'error responses found set: not written again');
    config = await distributionConfig(distribution);
    assert.equal(errorResponses(config).length, 2);
    list = await invalidations(distribution);
    assert.equal(list.length, 2, 'one more invalidation');
    assert.equal(list.filter((i) => i.callerReference === `liftoff--${second.json.id}`).length, 1);
    await assertServed(bucket, changed);

    // The same deploy again (a retry by hand): a new release when a second has passed, the same
    // one (and CallerReference) otherwise; either way it succeeds.
    mark = proxy.log.length;
    const again = await liftoff(args);
    assert.equal(again.code, 0, again.stderr);
    seen = proxy.since(mark);
    assert.deepEqual(seen.filter(isPut).map((e) => keyOf(bucket, e)).filter((k) => k !== 'releases/liftoff.json').sort(), [], 'nothing uploaded for content the bucket holds (the same release within the same second: stored already)');
    list = await invalidations(distribution);
    const ids = new Set([first.json.id, second.json.id, again.json.id]);
    assert.equal(list.length, ids.size, 'one invalidation per release');
    assert.deepEqual(new Set(list.map((i) => i.callerReference)), new Set([...ids].map((id) => `liftoff--${id}`)));
  });

  test('file names that need encoding: signed, uploaded, copied server-side and served under their own names', async () => {
    const bucket = 'liftoff-odd-names';
    await createBucket(bucket);
    const odd = 'files/hello world+plus&x=\u00e9(1)!~\'.txt';
    const v1 = new Map([['index.html', Buffer.from('<p>v1</p>\n')], [odd, Buffer.from('odd\n')], ['empty.txt', Buffer.alloc(0)]]);
    const first = await liftoff(['deploy', '--prebuilt', writeTree(join(work, 'odd-v1'), v1), '--to', 'aws', '--bucket', bucket, '--json']);
    assert.equal(first.code, 0, first.stderr);
    const v2 = new Map(v1).set('index.html', Buffer.from('<p>v2</p>\n'));
    const mark = proxy.log.length;
    const second = await liftoff(['deploy', '--prebuilt', writeTree(join(work, 'odd-v2'), v2), '--to', 'aws', '--bucket', bucket, '--json']);
    assert.equal(second.code, 0, second.stderr);
    noRejections(mark, 'odd names');
    const copies = proxy.since(mark).filter((e) => isCopy(e) && keyOf(bucket, e) === `releases/${second.json.id}/${odd}`);
    assert.equal(copies.length, 1, 'the odd file copied into the new release');
    assert.equal(decodeURIComponent(copies[0].copySource), `/${bucket}/releases/${first.json.id}/${odd}`);
    await assertServed(bucket, v2);
    await assertServed(bucket, v2, `releases/${second.json.id}/`);
    assert.ok((await listObjects(bucket)).has(odd), 'stored under its own name, not an encoded one');
  });

  test('a bucket that does not exist: exit 1 naming the bucket, nothing created', async () => {
    const bucket = 'liftoff-no-such-bucket';
    const dir = writeTree(join(work, 'no-bucket'), new Map([['index.html', Buffer.from('<p>x</p>\n')]]));
    const mark = proxy.log.length;
    const result = await liftoff(['deploy', '--prebuilt', dir, '--to', 'aws', '--bucket', bucket, '--json']);
    assert.equal(result.code, 1);
    assert.deepEqual(writes(proxy.since(mark)), [], 'nothing written');
    assert.match(result.stderr, new RegExp(`bucket ${bucket}\\b`), 'the message names the bucket');
    assert.doesNotMatch(result.stderr, /bucket releases\/liftoff\.json/, 'not the manifest as if it were the bucket');
  });

  test('credentials from a profile (AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE, region from AWS_CONFIG_FILE); a session token from the environment', async () => {
    const bucket = 'liftoff-profile';
    await createBucket(bucket);
    const credentials = join(work, 'credentials');
    const config = join(work, 'config');
    writeFileSync(credentials, `[default]\naws_access_key_id = AKIANOTTHISONE000000\naws_secret_access_key = not-this-one\n\n[liftoff-test]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`);
    writeFileSync(config, `[default]\nregion = us-west-2\n\n[profile liftoff-test]\nregion = ${REGION}\n`);
    const env = { ...cleanEnv(), AWS_PROFILE: 'liftoff-test', AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config };
    const site = new Map([['index.html', Buffer.from('<p>from a profile</p>\n')]]);
    let mark = proxy.log.length;
    const result = await liftoff(['deploy', '--prebuilt', writeTree(join(work, 'profile-site'), site), '--to', 'aws', '--bucket', bucket, '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    noSecretIn(result, KEY.secretAccessKey);
    noRejections(mark, 'profile deploy');
    assert.ok(proxy.since(mark).every((e) => e.accessKeyId === KEY.accessKeyId && e.region === REGION), "the profile's key and region");
    await assertServed(bucket, site);

    // Temporary credentials: AWS_SESSION_TOKEN sent (and signed) as x-amz-security-token.
    const temp = { ...cleanEnv(), AWS_ACCESS_KEY_ID: TEMP.accessKeyId, AWS_SECRET_ACCESS_KEY: TEMP.secretAccessKey, AWS_SESSION_TOKEN: TEMP.sessionToken, AWS_REGION: REGION };
    const site2 = new Map([['index.html', Buffer.from('<p>with a session token</p>\n')]]);
    mark = proxy.log.length;
    const withToken = await liftoff(['deploy', '--prebuilt', writeTree(join(work, 'token-site'), site2), '--to', 'aws', '--bucket', bucket, '--json'], temp);
    assert.equal(withToken.code, 0, withToken.stderr);
    noSecretIn(withToken, TEMP.secretAccessKey, TEMP.sessionToken);
    noRejections(mark, 'session-token deploy');
    assert.ok(proxy.since(mark).every((e) => e.accessKeyId === TEMP.accessKeyId));
    await assertServed(bucket, site2);
    const noToken = { ...temp };
    delete noToken.AWS_SESSION_TOKEN;
    const refused = await liftoff(['deploy', '--prebuilt', join(work, 'token-site'), '--to', 'aws', '--bucket', bucket], noToken);
    assert.equal(refused.code, 1, 'temporary keys without their token are refused');
    assert.match(refused.stderr, /InvalidToken/);
  });
});

/** A distribution in front of the bucket, created on moto; its id. */
async function createDistribution(bucket) {
  const config = `<?xml version="1.0" encoding="UTF-8"?>
<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>liftoff-test-${bucket}</CallerReference><Comment></Comment><Enabled>true</Enabled>
<Origins><Quantity>1</Quantity><Items><Origin><Id>s3</Id><DomainName>${bucket}.s3.${REGION}.amazonaws.com</DomainName><S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig></Origin></Items></Origins>
<DefaultCacheBehavior><TargetOriginId>s3</TargetOriginId><ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy><MinTTL>0</MinTTL><ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues><TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners></DefaultCacheBehavior>
</DistributionConfig>`;
  const r = await motoRequest('POST', '/2020-05-31/distribution', { service: 'cloudfront', body: config });
  assert.equal(r.status, 201, `creating a distribution: ${r.bytes}`);
  return /<Id>([^<]+)<\/Id>/.exec(r.bytes.toString('utf8'))[1];
}

/** The distribution's configuration as moto answers GetDistributionConfig. */
async function distributionConfig(distribution) {
  const r = await motoRequest('GET', `/2020-05-31/distribution/${distribution}/config`, { service: 'cloudfront' });
  assert.equal(r.status, 200);
  return r.bytes.toString('utf8');
}

/** [[ErrorCode, ResponsePagePath, ResponseCode]] of a configuration's custom error responses. */
function errorResponses(config) {
  return [...config.matchAll(/<CustomErrorResponse>([\s\S]*?)<\/CustomErrorResponse>/g)].map(([, item]) =>
    ['ErrorCode', 'ResponsePagePath', 'ResponseCode'].map((tag) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(item)?.[1] ?? null),
  );
}

/** The distribution's invalidations as moto holds them: [{id, paths, callerReference}]. */
async function invalidations(distribution) {
  const r = await motoRequest('GET', `/2020-05-31/distribution/${distribution}/invalidation`, { service: 'cloudfront' });
  assert.equal(r.status, 200);
  const ids = [...r.bytes.toString('utf8').matchAll(/<InvalidationSummary><Id>([^<]+)<\/Id>/g)].map((m) => m[1]);
  const out = [];
  for (const id of ids) {
    const one = await motoRequest('GET', `/2020-05-31/distribution/${distribution}/invalidation/${id}`, { service: 'cloudfront' });
    const xml = one.bytes.toString('utf8');
    out.push({
      id,
      paths: [...xml.matchAll(/<Path>([^<]*)<\/Path>/g)].map((m) => unxml(m[1])),
      callerReference: unxml(/<CallerReference>([^<]*)<\/CallerReference>/.exec(xml)[1]),
    });
  }
  return out;
}
