// The in-page half of the zip benchmark (bench/zip.mjs drives it through window.bench).
// Everything measured runs here, in one headless Chromium page: the generated project, our
// wasm `zipFiles`, the extension's own zip workers (extension/offscreen/zip-workers.js, issue
// 20) with 1, 2 and every core's worker, JSZip and fflate; and, on a Lovable-shaped project, our
// zip alone against normalization alone and normalization + zip (issue 4).

import init, { normalizeAndZip, normalizeFiles, zipFiles, version } from '/extension/wasm/liftoff_wasm.js';
import { zipSync, unzipSync } from '/bench/node_modules/fflate/esm/browser.js';
import { WORDS, lovableProject, mulberry32, textGenerator } from '/bench/lovable/project.mjs';
import { zipInWorkers } from '/extension/offscreen/zip-workers.js';

const JSZip = globalThis.JSZip; // the UMD build, loaded by zip-page.html

// The same list as STORED_EXTENSIONS in crates/liftoff-core/src/zip_write.rs, so that the
// "binaries stored" peers follow exactly our policy.
const STORED = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'heic', 'ico', 'woff', 'woff2', 'ttf', 'otf',
  'eot', 'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'br', '7z', 'rar', 'jar', 'lockb', 'mp3', 'mp4',
  'm4a', 'mov', 'webm', 'ogg', 'oga', 'ogv', 'wav', 'flac', 'pdf', 'wasm',
]);
const isStored = (path) => {
  const m = /\.([^./]+)$/.exec(path);
  return m !== null && STORED.has(m[1].toLowerCase());
};

export async function load() {
  await init({ module_or_path: '/extension/wasm/liftoff_wasm_bg.wasm' });
  return { version: version(), userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency };
}

// ---------------------------------------------------------------------------------------------
// The deterministic project.

// The seeded PRNG and the code-like text generator live in bench/lovable/project.mjs, shared
// with the Lovable-shaped project and the Node fetch benchmark.

let project = null;
let lastOursBytes = 0;

/** Generates the project: `files` files, a third binary (random bytes named .png/.webp/.jpg). */
export function generate({ seed = 20261123, files = 2000 } = {}) {
  const t0 = performance.now();
  const rng = mulberry32(seed);
  const int = (lo, hi) => lo + ((rng() * (hi - lo + 1)) | 0);
  const pick = (a) => a[(rng() * a.length) | 0];
  const text = textGenerator(rng);
  const encoder = new TextEncoder();
  const areas = ['components', 'pages', 'hooks', 'lib', 'features', 'services', 'utils', 'store', 'api'];
  const paths = [];
  const contents = [];
  for (let i = 0; i < files; i++) {
    if (i % 3 === 2) {
      // Binary: random bytes, 10-50 KB, the way images are (already compressed).
      const ext = pick(['png', 'webp', 'jpg']);
      const size = int(10_000, 50_000);
      const words = new Uint32Array(Math.ceil(size / 4));
      for (let k = 0; k < words.length; k++) words[k] = (rng() * 4294967296) >>> 0;
      paths.push(`public/${pick(['images', 'assets', 'img', 'media'])}/${pick(WORDS)}-${pick(WORDS)}-${i}.${ext}`);
      contents.push(new Uint8Array(words.buffer, 0, size));
    } else {
      // Code-like text, 10-20 KB.
      const ext = pick(['tsx', 'tsx', 'ts', 'ts', 'jsx', 'js']);
      const size = int(10_000, 20_000);
      const cap = (w) => w[0].toUpperCase() + w.slice(1);
      const name = cap(pick(WORDS)) + cap(pick(WORDS));
      paths.push(`src/${pick(areas)}/${pick(WORDS)}/${name}${i}.${ext}`);
      contents.push(encoder.encode(text(size, ext)));
    }
  }
  const stored = paths.map(isStored);
  // The zip's order (the core's tree sorts by path; these are ASCII): what the extension hands
  // its workers.
  const order = paths.map((_, i) => i).sort((a, b) => (paths[a] < paths[b] ? -1 : 1));
  project = { paths, contents, stored, order };
  let bytes = 0, storedFiles = 0, storedBytes = 0;
  contents.forEach((c, i) => {
    bytes += c.length;
    if (stored[i]) { storedFiles++; storedBytes += c.length; }
  });
  return {
    seed, files, bytes, storedFiles, storedBytes,
    textFiles: files - storedFiles, textBytes: bytes - storedBytes,
    generateMs: performance.now() - t0,
    sample: { path: paths[0], head: new TextDecoder().decode(contents[0].subarray(0, 600)) },
  };
}

// ---------------------------------------------------------------------------------------------
// The contenders. Each builds its archive from `project` and returns the zip bytes.

const subset = (which) => {
  const paths = [], contents = [], stored = [];
  project.paths.forEach((p, i) => {
    if (which === 'all' || (which === 'stored') === project.stored[i]) {
      paths.push(p); contents.push(project.contents[i]); stored.push(project.stored[i]);
    }
  });
  return { paths, contents, stored };
};

const jszip = async ({ paths, contents, stored }, policy) => {
  const zip = new JSZip();
  for (let i = 0; i < paths.length; i++) {
    if (policy) zip.file(paths[i], contents[i], { compression: stored[i] ? 'STORE' : 'DEFLATE' });
    else zip.file(paths[i], contents[i]);
  }
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
};

const fflate = ({ paths, contents, stored }, policy) => {
  const input = {};
  for (let i = 0; i < paths.length; i++) {
    input[paths[i]] = policy && stored[i] ? [contents[i], { level: 0 }] : contents[i];
  }
  return zipSync(input, { level: 6 });
};

/**
 * The extension's zip workers on n workers: the files in the zip's order, each a copy made
 * before the clock starts (the workers take the buffers they are given, as they take the
 * export's in the extension); the result is a Blob of the records and the directory.
 */
const inWorkers = (n) => ({
  label: `ours: ${n} zip worker${n > 1 ? 's' : ''} (extension/offscreen/zip-workers.js)`,
  prepare: () => ({
    paths: project.order.map((i) => project.paths[i]),
    contents: project.order.map((i) => project.contents[i].slice()),
    executable: new Uint8Array(project.paths.length),
  }),
  run: (files) => zipInWorkers(files, { workers: n, fast: false }),
});

/** The worker counts measured: 1, 2 and one per core (when that is more than 2). */
export const workerCounts = () => [...new Set([1, 2, navigator.hardwareConcurrency])].filter((n) => n >= 1);

export const CONTENDERS = {
  ours: { label: 'ours: wasm zipFiles (copy in + zip + copy out)', run: (p) => zipFiles(p.paths, p.contents) },
  ...Object.fromEntries([1, 2, 4, 8, 16].map((n) => [`workers${n}`, inWorkers(n)])),
  jszip: { label: 'JSZip 3.10, DEFLATE everything (as extensions use it)', run: (p) => jszip(p, false) },
  jszipStore: { label: 'JSZip 3.10, binaries stored, text deflated', run: (p) => jszip(p, true) },
  fflate: { label: 'fflate 0.8 zipSync, defaults (level 6 everything)', run: (p) => fflate(p, false) },
  fflateStore: { label: 'fflate 0.8, binaries level 0 (stored), text level 6', run: (p) => fflate(p, true) },
};

// Breakdown of our number, to see where the time goes.
const EXTRA = {
  oursStoredOnly: { label: 'ours, only the binaries (all stored: copy + CRC + copy)', run: () => zipFiles(...args(subset('stored'))) },
  oursTextOnly: { label: 'ours, only the text (all deflated)', run: () => zipFiles(...args(subset('text'))) },
  fflateTextOnly: { label: 'fflate, only the text (level 6)', run: () => fflate(subset('text'), true) },
  fflateStoredOnly: { label: 'fflate, only the binaries (level 0)', run: () => fflate(subset('stored'), true) },
  oursEmptyFiles: { label: 'ours, same 2,000 paths with empty contents (per-file overhead)', run: () => zipFiles(project.paths, project.paths.map(() => new Uint8Array(0))) },
  jsCopyFloor: {
    label: 'JS: copy every input once + copy a buffer the size of our zip once (memcpy floor)',
    run: () => {
      let n = 0;
      for (const c of project.contents) n += c.slice().length;
      const out = new Uint8Array(lastOursBytes || n);
      return out.slice();
    },
  },
};
const args = (s) => [s.paths, s.contents];

/** Runs one contender once; returns its time and output size (the output is dropped). */
export async function runOne(name) {
  const c = CONTENDERS[name] ?? EXTRA[name] ?? LOVABLE[name] ?? inWorkers(Number(name.replace('workers', '')));
  const input = c.prepare ? c.prepare() : project;
  const t0 = performance.now();
  const out = await c.run(input);
  const ms = performance.now() - t0;
  if (out instanceof Blob) return { ms, bytes: out.size };
  if (name === 'ours') lastOursBytes = out.length;
  // normalizeFiles answers the number of changes, not bytes.
  return typeof out === 'number' ? { ms, bytes: 0, changes: out } : { ms, bytes: out.length };
}

export const labels = () =>
  Object.fromEntries(Object.entries({ ...CONTENDERS, ...EXTRA, ...LOVABLE }).map(([k, v]) => [k, v.label]));

// ---------------------------------------------------------------------------------------------
// Correctness: every contender's zip must hold exactly the input, byte for byte; ours must also
// store the binaries, deflate the text, and be deterministic.

function check(name, zip) {
  const methods = {};
  const files = unzipSync(zip, { filter: (f) => { methods[f.name] = f.compression; return true; } });
  // JSZip adds an entry for every folder; folders are not files.
  const all = Object.keys(files);
  const names = all.filter((n) => !n.endsWith('/'));
  if (names.length !== project.paths.length) {
    throw new Error(`${name}: ${names.length} files in the zip, ${project.paths.length} in the input`);
  }
  let storedEntries = 0, deflatedEntries = 0;
  project.paths.forEach((p, i) => {
    const got = files[p];
    const want = project.contents[i];
    if (!got) throw new Error(`${name}: ${p} is missing from the zip`);
    if (got.length !== want.length) throw new Error(`${name}: ${p} is ${got.length} bytes, expected ${want.length}`);
    for (let k = 0; k < want.length; k++) {
      if (got[k] !== want[k]) throw new Error(`${name}: ${p} differs at byte ${k}`);
    }
    if (methods[p] === 0) storedEntries++;
    else if (methods[p] === 8) deflatedEntries++;
  });
  return { files: names.length, folderEntries: all.length - names.length, storedEntries, deflatedEntries };
}

export async function verify() {
  const result = {};
  // The workers' zips: byte for byte the one zipFiles makes on one thread.
  const one = zipFiles(project.paths, project.contents);
  for (const n of workerCounts()) {
    const c = inWorkers(n);
    const zip = new Uint8Array(await (await c.run(c.prepare())).arrayBuffer());
    if (!sameBytes(zip, one)) throw new Error(`${n} zip workers: not the bytes of zipFiles`);
    result[`workers${n}`] = { sameAsZipFiles: true };
  }
  for (const name of ['ours', 'jszip', 'jszipStore', 'fflate', 'fflateStore']) {
    const zip = await CONTENDERS[name].run(project);
    result[name] = check(name, zip);
    if (name === 'ours') {
      const wantStored = project.stored.filter(Boolean).length;
      const r = result[name];
      if (r.storedEntries !== wantStored || r.deflatedEntries !== project.paths.length - wantStored) {
        throw new Error(`ours: ${r.storedEntries} stored and ${r.deflatedEntries} deflated entries; expected ${wantStored} stored, the rest deflated`);
      }
      const again = zipFiles(project.paths, project.contents);
      result[name].deterministic = again.length === zip.length && again.every((b, k) => b === zip[k]);
      if (!result[name].deterministic) throw new Error('ours: two runs on the same input gave different bytes');
    }
  }
  return result;
}


// ---------------------------------------------------------------------------------------------
// Issue 4: normalization against the zip, on a Lovable-shaped project (bench/lovable/project.mjs).

let lovable = null;

/** Generates the Lovable project; returns its summary. */
export function generateLovable(options) {
  const t0 = performance.now();
  lovable = lovableProject(options);
  return { ...lovable.summary, generateMs: performance.now() - t0 };
}

export const LOVABLE = {
  lovZip: { label: '(a) zipFiles: copy in + zip + copy out', run: () => zipFiles(lovable.paths, lovable.contents) },
  lovNormalize: { label: '(b) normalizeFiles: copy in + capture + normalize (no zip)', run: () => normalizeFiles(lovable.paths, lovable.contents) },
  lovNormalizeZip: { label: '(c) normalizeAndZip: copy in + capture + normalize + zip + copy out', run: () => normalizeAndZip(lovable.paths, lovable.contents) },
};

const decoder = new TextDecoder();
function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * (a)'s zip holds the project byte for byte; (c)'s zip no longer carries lovable-tagger (in
 * package.json, package-lock.json and vite.config.ts) nor gptengineer.js, holds LIFTOFF.md, and
 * every binary byte for byte and stored; (c) is deterministic; (b) and (c) agree.
 */
export function verifyLovable() {
  const fail = (m) => { throw new Error(`lovable: ${m}`); };
  const { paths, contents, binary } = lovable;

  const plain = unzipSync(zipFiles(paths, contents));
  if (Object.keys(plain).length !== paths.length) fail(`zipFiles: ${Object.keys(plain).length} entries for ${paths.length} files`);
  paths.forEach((p, i) => { if (!plain[p] || !sameBytes(plain[p], contents[i])) fail(`zipFiles: ${p} differs`); });

  const zip = normalizeAndZip(paths, contents);
  if (!sameBytes(zip, normalizeAndZip(paths, contents))) fail('normalizeAndZip: two runs gave different bytes');
  const methods = {};
  const files = unzipSync(zip, { filter: (f) => { methods[f.name] = f.compression; return true; } });
  const text = (p) => (files[p] ? decoder.decode(files[p]) : fail(`normalizeAndZip: ${p} is missing`));
  if (text('package.json').includes('lovable-tagger')) fail('package.json still names lovable-tagger');
  const lock = JSON.parse(text('package-lock.json'));
  const taggerEntries = Object.keys(lock.packages).filter((k) => k.includes('lovable-tagger'));
  if (taggerEntries.length || JSON.stringify(lock.packages['']).includes('lovable-tagger')) fail('package-lock.json still holds lovable-tagger');
  if (/lovable-tagger|componentTagger/.test(text('vite.config.ts'))) fail('vite.config.ts still uses lovable-tagger');
  if (text('index.html').includes('gptengineer.js')) fail('index.html still loads gptengineer.js');
  if (!text('LIFTOFF.md').length) fail('LIFTOFF.md is empty');
  let binaries = 0, binaryBytes = 0, textSame = 0;
  const textChanged = [], removed = [];
  paths.forEach((p, i) => {
    if (binary[i]) {
      if (!files[p]) fail(`binary ${p} is missing`);
      if (!sameBytes(files[p], contents[i])) fail(`binary ${p} differs`);
      if (methods[p] !== 0) fail(`binary ${p} is not stored`);
      binaries++;
      binaryBytes += contents[i].length;
    } else if (!files[p]) removed.push(p);
    else if (sameBytes(files[p], contents[i])) textSame++;
    else textChanged.push(p);
  });
  const inputs = new Set(paths);
  const added = Object.keys(files).filter((p) => !inputs.has(p));
  const changes = normalizeFiles(paths, contents);
  if (changes !== textChanged.length + removed.length + added.length) {
    // Removing a folder (.lovable/) is one change for all its files; report, do not fail.
    console.log(`lovable: normalizeFiles reports ${changes} changes; the zip shows ${textChanged.length} edited, ${removed.length} removed, ${added.length} added files`);
  }
  return {
    zipFilesRoundTrip: true, deterministic: true, binaries, binaryBytes, textUnchanged: textSame,
    textChanged, removed, added, changes, lockEntriesBefore: Object.keys(JSON.parse(decoder.decode(contents[paths.indexOf('package-lock.json')])).packages).length,
    lockEntriesAfter: Object.keys(lock.packages).length, zipBytes: zip.length,
  };
}
