// The in-page half of the zip benchmark (bench/zip.mjs drives it through window.bench).
// Everything measured runs here, in one headless Chromium page: the generated project, our
// wasm `zipFiles`, JSZip and fflate.

import init, { zipFiles, version } from '/extension/wasm/liftoff_wasm.js';
import { zipSync, unzipSync } from '/bench/node_modules/fflate/esm/browser.js';

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

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'user account project file folder item list entry value state props config option setting ' +
  'theme color size width height index count total page route path url query param token auth ' +
  'session cache store data result response request error message status code label title name ' +
  'description content text body header footer sidebar panel modal dialog button input form field ' +
  'select checkbox toggle menu tab card grid row column cell table chart graph node edge tree ' +
  'parent child key id uuid time date start end duration delay timeout interval retry limit offset ' +
  'cursor filter sort order search match pattern format parse render update create delete remove ' +
  'insert fetch load save submit validate handle change click open close show hide toggle enable ' +
  'disable active selected visible loading pending ready done failed success warning info debug ' +
  'event listener handler callback effect context provider reducer action dispatch payload schema ' +
  'model record document image avatar icon logo asset upload download stream buffer chunk blob ' +
  'message notification email phone address city country region locale language currency price ' +
  'amount invoice payment order cart product customer team member role permission policy plan ' +
  'billing subscription feature flag metric log trace span worker queue job task step stage ' +
  'pipeline build deploy release version branch commit diff patch merge remote local client server'
).split(/\s+/);
const TYPES = ['string', 'number', 'boolean', 'string[]', 'number[]', 'Date', 'unknown',
  'Record<string, unknown>', 'Promise<void>', 'null', 'undefined'];
const HOOKS = ['useState', 'useEffect', 'useMemo', 'useCallback', 'useRef', 'useContext', 'useReducer'];
const TAGS = ['div', 'span', 'section', 'header', 'footer', 'main', 'nav', 'ul', 'li', 'p', 'h2',
  'h3', 'button', 'label', 'input', 'form', 'img', 'a'];
const CLASSES = ['flex', 'items-center', 'justify-between', 'gap-2', 'gap-4', 'p-2', 'p-4', 'px-3',
  'py-2', 'mt-2', 'mb-4', 'rounded', 'rounded-lg', 'border', 'shadow', 'text-sm', 'text-lg',
  'font-medium', 'font-bold', 'text-gray-500', 'bg-white', 'bg-gray-100', 'hover:bg-gray-200',
  'w-full', 'h-full', 'grid', 'grid-cols-2', 'space-y-2', 'truncate', 'overflow-hidden'];

function textGenerator(rng) {
  const pick = (a) => a[(rng() * a.length) | 0];
  const int = (lo, hi) => lo + ((rng() * (hi - lo + 1)) | 0);
  const cap = (w) => w[0].toUpperCase() + w.slice(1);
  const camel = (n) => {
    let s = pick(WORDS);
    for (let i = 1; i < n; i++) s += cap(pick(WORDS));
    return s;
  };
  const pascal = (n) => cap(camel(n));
  const words = (lo, hi) => {
    const n = int(lo, hi);
    const out = [];
    for (let i = 0; i < n; i++) out.push(pick(WORDS));
    return out.join(' ');
  };

  return function file(size, ext) {
    const jsx = ext === 'tsx' || ext === 'jsx';
    const ts = ext === 'ts' || ext === 'tsx';
    // Each file has its own identifiers, used again and again, like real code.
    const locals = Array.from({ length: int(12, 30) }, () => camel(int(1, 3)));
    const types = Array.from({ length: int(3, 8) }, () => pascal(int(1, 2)));
    const comps = Array.from({ length: int(2, 6) }, () => pascal(int(1, 3)));
    const local = () => (rng() < 0.8 ? pick(locals) : camel(int(1, 2)));
    const type = () => (rng() < 0.6 ? pick(types) : pick(TYPES));
    const ann = (t) => (ts ? `: ${t}` : '');
    const literal = () => {
      const r = rng();
      if (r < 0.3) return String(int(0, 1000));
      if (r < 0.6) return `'${words(1, 4)}'`;
      if (r < 0.8) return local();
      return `\`/${pick(WORDS)}/\${${local()}}\``;
    };
    const out = [];
    let length = 0;
    const line = (indent, text) => {
      const s = '  '.repeat(indent) + text + '\n';
      out.push(s);
      length += s.length;
    };

    const statement = (d) => {
      const r = rng();
      if (r < 0.18) line(d, `const ${local()} = ${local()}.${local()}(${literal()}, ${literal()});`);
      else if (r < 0.3) line(d, `const ${local()}${ann(type())} = await ${local()}.${pick(['get', 'post', 'put', 'fetch'])}(${literal()});`);
      else if (r < 0.42) {
        line(d, `if (${local()} ${pick(['===', '!==', '>', '<', '&&', '||'])} ${literal()}) {`);
        line(d + 1, `${local()}.${local()} = ${literal()};`);
        if (rng() < 0.5) line(d + 1, `return ${local()};`);
        line(d, '}');
      } else if (r < 0.5) {
        line(d, `for (const ${local()} of ${local()}) {`);
        line(d + 1, `${local()}.push(${local()}.${local()});`);
        line(d, '}');
      } else if (r < 0.6) line(d, `// ${cap(words(3, 12))}.`);
      else if (r < 0.68) line(d, `throw new Error(${literal()});`);
      else if (r < 0.78) line(d, `${local()}.${local()}((${local()}) => ${local()}.${local()} ${pick(['===', '+', '??'])} ${literal()});`);
      else if (r < 0.86) line(d, `console.${pick(['log', 'warn', 'error'])}('${words(2, 6)}', ${local()});`);
      else line(d, `return ${local()}.${pick(['map', 'filter', 'find', 'some'])}((${local()}) => ${local()}.${local()});`);
    };

    const jsxTree = (d, depth) => {
      const tag = rng() < 0.3 ? pick(comps) : pick(TAGS);
      const cls = Array.from({ length: int(1, 5) }, () => pick(CLASSES)).join(' ');
      const attrs = [`className="${cls}"`];
      if (rng() < 0.4) attrs.push(`onClick={() => ${local()}(${local()})}`);
      if (rng() < 0.3) attrs.push(`${local()}={${local()}}`);
      if (depth === 0 || rng() < 0.3) {
        line(d, `<${tag} ${attrs.join(' ')}>${rng() < 0.5 ? `{${local()}.${local()}}` : words(1, 5)}</${tag}>`);
        return;
      }
      line(d, `<${tag} ${attrs.join(' ')}>`);
      const n = int(1, 4);
      for (let i = 0; i < n; i++) jsxTree(d + 1, depth - 1);
      line(d, `</${tag}>`);
    };

    // Imports.
    if (jsx) line(0, `import React, { ${HOOKS.slice(0, int(1, 4)).join(', ')} } from 'react';`);
    for (let i = int(2, 7); i > 0; i--) {
      line(0, `import { ${Array.from({ length: int(1, 4) }, () => (rng() < 0.5 ? pick(types) : local())).join(', ')} } from '${pick(['@/', '../', './'])}${pick(WORDS)}/${camel(int(1, 2))}';`);
    }
    line(0, '');
    while (length < size) {
      const r = rng();
      if (ts && r < 0.2) {
        line(0, `export interface ${pick(types)} {`);
        for (let i = int(2, 8); i > 0; i--) line(1, `${local()}${rng() < 0.3 ? '?' : ''}: ${type()};`);
        line(0, '}');
      } else if (jsx && r < 0.55) {
        const name = pick(comps);
        line(0, `export function ${name}({ ${locals.slice(0, int(1, 4)).join(', ')} }${ann(name + 'Props')}) {`);
        for (let i = int(1, 3); i > 0; i--) {
          const v = local();
          line(1, `const [${v}, set${cap(v)}] = useState${ts ? `<${type()}>` : ''}(${literal()});`);
        }
        line(1, 'useEffect(() => {');
        for (let i = int(1, 4); i > 0; i--) statement(2);
        line(1, `}, [${local()}, ${local()}]);`);
        line(1, 'return (');
        jsxTree(2, int(1, 3));
        line(1, ');');
        line(0, '}');
      } else {
        line(0, `export ${rng() < 0.5 ? 'async function' : 'function'} ${local()}(${local()}${ann(type())}, ${local()}${ann(type())})${ann(type())} {`);
        for (let i = int(2, 8); i > 0; i--) statement(1);
        line(0, '}');
      }
      line(0, '');
    }
    return out.join('').slice(0, size);
  };
}

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
  project = { paths, contents, stored };
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

export const CONTENDERS = {
  ours: { label: 'ours: wasm zipFiles (copy in + zip + copy out)', run: (p) => zipFiles(p.paths, p.contents) },
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
  const c = CONTENDERS[name] ?? EXTRA[name];
  const t0 = performance.now();
  const out = await c.run(project);
  const ms = performance.now() - t0;
  if (name === 'ours') lastOursBytes = out.length;
  return { ms, bytes: out.length };
}

export const labels = () =>
  Object.fromEntries(Object.entries({ ...CONTENDERS, ...EXTRA }).map(([k, v]) => [k, v.label]));

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
  for (const name of Object.keys(CONTENDERS)) {
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
