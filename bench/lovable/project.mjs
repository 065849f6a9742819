// Deterministic project generators shared by the benchmarks, in the page (bench/zip-page.mjs,
// served as /bench/lovable/project.mjs) and in Node (bench/lovable/fetch.mjs): a seeded PRNG,
// code-like text (the zip benchmark's generator, moved here unchanged so both can use it), and
// a Lovable-shaped Vite + React project (lovableProject). Plain JavaScript, no imports.

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const WORDS = (
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

export function textGenerator(rng) {
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

// ---------------------------------------------------------------------------------------------
// A Lovable-shaped project (../shared/brief/builders.md): Lovable's Vite + React + shadcn/ui
// template as it comes out of the builder, with every mark normalization removes.

const DEPENDENCIES = {
  '@hookform/resolvers': '^3.9.0', '@radix-ui/react-accordion': '^1.2.0',
  '@radix-ui/react-alert-dialog': '^1.1.1', '@radix-ui/react-aspect-ratio': '^1.1.0',
  '@radix-ui/react-avatar': '^1.1.0', '@radix-ui/react-checkbox': '^1.1.1',
  '@radix-ui/react-collapsible': '^1.1.0', '@radix-ui/react-context-menu': '^2.2.1',
  '@radix-ui/react-dialog': '^1.1.2', '@radix-ui/react-dropdown-menu': '^2.1.1',
  '@radix-ui/react-hover-card': '^1.1.1', '@radix-ui/react-label': '^2.1.0',
  '@radix-ui/react-menubar': '^1.1.1', '@radix-ui/react-navigation-menu': '^1.2.0',
  '@radix-ui/react-popover': '^1.1.1', '@radix-ui/react-progress': '^1.1.0',
  '@radix-ui/react-radio-group': '^1.2.0', '@radix-ui/react-scroll-area': '^1.1.0',
  '@radix-ui/react-select': '^2.1.1', '@radix-ui/react-separator': '^1.1.0',
  '@radix-ui/react-slider': '^1.2.0', '@radix-ui/react-slot': '^1.1.0',
  '@radix-ui/react-switch': '^1.1.0', '@radix-ui/react-tabs': '^1.1.0',
  '@radix-ui/react-toast': '^1.2.1', '@radix-ui/react-toggle': '^1.1.0',
  '@radix-ui/react-toggle-group': '^1.1.0', '@radix-ui/react-tooltip': '^1.1.4',
  '@supabase/supabase-js': '^2.49.4', '@tanstack/react-query': '^5.56.2',
  'class-variance-authority': '^0.7.1', clsx: '^2.1.1', cmdk: '^1.0.0', 'date-fns': '^3.6.0',
  'embla-carousel-react': '^8.3.0', 'input-otp': '^1.2.4', 'lucide-react': '^0.462.0',
  'next-themes': '^0.3.0', react: '^18.3.1', 'react-day-picker': '^8.10.1', 'react-dom': '^18.3.1',
  'react-hook-form': '^7.53.0', 'react-resizable-panels': '^2.1.3', 'react-router-dom': '^6.26.2',
  recharts: '^2.12.7', sonner: '^1.5.0', 'tailwind-merge': '^2.5.2', 'tailwindcss-animate': '^1.0.7',
  vaul: '^0.9.3', zod: '^3.23.8',
};
const DEV_DEPENDENCIES = {
  '@eslint/js': '^9.9.0', '@tailwindcss/typography': '^0.5.15', '@types/node': '^22.5.5',
  '@types/react': '^18.3.3', '@types/react-dom': '^18.3.0', '@vitejs/plugin-react-swc': '^3.5.0',
  autoprefixer: '^10.4.20', eslint: '^9.9.0', 'eslint-plugin-react-hooks': '^5.1.0-rc.0',
  'eslint-plugin-react-refresh': '^0.4.9', globals: '^15.9.0', 'lovable-tagger': '^1.1.7',
  postcss: '^8.4.47', tailwindcss: '^3.4.11', typescript: '^5.5.3', 'typescript-eslint': '^8.0.1',
  vite: '^5.4.1',
};
// Transitive packages of that template (a sample of the real ones; synthetic names fill the
// lockfile up to its realistic size).
const TRANSITIVE = (
  '@radix-ui/primitive @radix-ui/react-primitive @radix-ui/react-compose-refs @radix-ui/react-context ' +
  '@radix-ui/react-id @radix-ui/react-presence @radix-ui/react-use-controllable-state ' +
  '@radix-ui/react-use-layout-effect @radix-ui/react-use-callback-ref @radix-ui/react-portal ' +
  '@radix-ui/react-dismissable-layer @radix-ui/react-focus-scope @radix-ui/react-focus-guards ' +
  '@radix-ui/react-popper @radix-ui/react-arrow @radix-ui/react-collection @radix-ui/react-direction ' +
  '@radix-ui/react-roving-focus @radix-ui/react-menu @radix-ui/react-visually-hidden ' +
  '@radix-ui/react-use-size @radix-ui/react-use-previous @radix-ui/react-use-escape-keydown ' +
  '@radix-ui/number @radix-ui/rect @radix-ui/react-use-rect @floating-ui/react-dom @floating-ui/dom ' +
  '@floating-ui/core @floating-ui/utils react-remove-scroll react-remove-scroll-bar ' +
  'react-style-singleton use-callback-ref use-sidecar aria-hidden tslib scheduler loose-envify ' +
  'js-tokens @babel/runtime regenerator-runtime d3-array d3-color d3-ease d3-format d3-interpolate ' +
  'd3-path d3-scale d3-shape d3-time d3-time-format d3-timer internmap victory-vendor lodash ' +
  'eventemitter3 recharts-scale decimal.js-light react-smooth fast-equals react-transition-group ' +
  'dom-helpers prop-types react-is clsx-legacy @supabase/auth-js @supabase/functions-js ' +
  '@supabase/postgrest-js @supabase/realtime-js @supabase/storage-js @supabase/node-fetch ws ' +
  'whatwg-url tr46 webidl-conversions @types/phoenix @types/ws @tanstack/query-core ' +
  '@remix-run/router react-router rollup @types/estree fsevents postcss-value-parser nanoid ' +
  'picocolors source-map-js @swc/core @swc/counter @swc/types @swc/helpers chokidar fast-glob ' +
  'glob-parent micromatch braces fill-range to-regex-range is-number picomatch jiti lilconfig ' +
  'sucrase postcss-import postcss-js postcss-load-config postcss-nested postcss-selector-parser ' +
  'didyoumean dlv arg normalize-path object-hash resolve is-core-module path-parse ' +
  'supports-preserve-symlinks-flag anymatch readdirp binary-extensions is-binary-path is-glob ' +
  'is-extglob @nodelib/fs.stat @nodelib/fs.walk @nodelib/fs.scandir fastq reusify run-parallel ' +
  'queue-microtask merge2 camelcase-css read-cache pify cssesc util-deprecate browserslist ' +
  'caniuse-lite electron-to-chromium node-releases update-browserslist-db escalade fraction.js ' +
  'normalize-range @jridgewell/gen-mapping @jridgewell/sourcemap-codec @jridgewell/trace-mapping ' +
  '@jridgewell/resolve-uri @jridgewell/set-array mz any-promise thenify thenify-all commander ' +
  'lines-and-columns ts-interface-checker glob minimatch brace-expansion balanced-match ' +
  'foreground-child signal-exit cross-spawn path-key shebang-command shebang-regex which isexe ' +
  'jackspeak @isaacs/cliui path-scurry lru-cache minipass @eslint/core @eslint/config-array ' +
  '@eslint/object-schema @eslint/plugin-kit @eslint/eslintrc @eslint-community/eslint-utils ' +
  '@eslint-community/regexpp @humanwhocodes/module-importer @humanfs/node @humanfs/core ' +
  '@humanwhocodes/retry ajv fast-deep-equal fast-json-stable-stringify json-schema-traverse ' +
  'uri-js punycode chalk ansi-styles supports-color has-flag color-convert color-name debug ms ' +
  'escape-string-regexp eslint-scope esrecurse estraverse eslint-visitor-keys espree acorn ' +
  'acorn-jsx esquery esutils file-entry-cache flat-cache flatted keyv json-buffer find-up ' +
  'locate-path p-locate p-limit yocto-queue path-exists ignore imurmurhash is-path-inside ' +
  'json-stable-stringify-without-jsonify lodash.merge natural-compare optionator deep-is ' +
  'fast-levenshtein levn prelude-ls type-check word-wrap @typescript-eslint/eslint-plugin ' +
  '@typescript-eslint/parser @typescript-eslint/scope-manager @typescript-eslint/type-utils ' +
  '@typescript-eslint/types @typescript-eslint/typescript-estree @typescript-eslint/utils ' +
  '@typescript-eslint/visitor-keys graphemer natural-orderby ts-api-utils semver @types/json-schema ' +
  'undici-types @types/prop-types csstype @babel/parser @babel/types @babel/helper-string-parser ' +
  '@babel/helper-validator-identifier to-fast-properties embla-carousel embla-carousel-reactive-utils ' +
  '@tailwindcss/typography-legacy lodash.castarray lodash.isplainobject detect-node-es get-nonce ' +
  'invariant tiny-invariant'
).split(/\s+/);
const PLATFORMS = [['aix', 'ppc64'], ['android', 'arm'], ['android', 'arm64'], ['android', 'x64'],
  ['darwin', 'arm64'], ['darwin', 'x64'], ['freebsd', 'arm64'], ['freebsd', 'x64'], ['linux', 'arm'],
  ['linux', 'arm64'], ['linux', 'ia32'], ['linux', 'loong64'], ['linux', 'mips64el'], ['linux', 'ppc64'],
  ['linux', 'riscv64'], ['linux', 's390x'], ['linux', 'x64'], ['netbsd', 'x64'], ['openbsd', 'x64'],
  ['sunos', 'x64'], ['win32', 'arm64'], ['win32', 'ia32'], ['win32', 'x64']];
const SHADCN = ('accordion alert alert-dialog aspect-ratio avatar badge breadcrumb button calendar ' +
  'card carousel chart checkbox collapsible command context-menu dialog drawer dropdown-menu form ' +
  'hover-card input input-otp label menubar navigation-menu pagination popover progress ' +
  'radio-group resizable scroll-area select separator sheet sidebar skeleton slider sonner switch ' +
  'table tabs textarea toast toaster toggle toggle-group tooltip use-toast').split(' ');
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * A Lovable project of `files` files: a `binaryShare` of them uploads under
 * public/lovable-uploads/ (random bytes named .png/.jpg/.webp, like compressed images,
 * `binarySize` bytes each), the rest text: the template's fixed files (package.json with
 * lovable-tagger, a package-lock.json of about `lockBytes`, vite.config.ts with componentTagger,
 * index.html with Lovable's meta tags and gptengineer.js, the Supabase client with its URL and
 * anon key, .env, README, configs), the shadcn/ui components, and code-like .tsx/.ts files of
 * `textSize` bytes under src/. Deterministic for a seed.
 * Returns {paths, contents: Uint8Array[], binary: boolean[], summary}.
 */
export function lovableProject({
  seed = 20261124, files = 5000, binaryShare = 1 / 3, textSize = [2_000, 16_000],
  binarySize = [10_000, 50_000], lockBytes = 300_000,
} = {}) {
  const rng = mulberry32(seed);
  const int = (lo, hi) => lo + ((rng() * (hi - lo + 1)) | 0);
  const pick = (a) => a[(rng() * a.length) | 0];
  const cap = (w) => w[0].toUpperCase() + w.slice(1);
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[(rng() * 16) | 0]).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[(rng() * 4) | 0]}${hex(3)}-${hex(12)}`;
  const b64 = (n) => Array.from({ length: n }, () => B64[(rng() * 64) | 0]).join('');
  const text = textGenerator(rng);
  const encoder = new TextEncoder();

  const projectId = uuid();
  const ref = Array.from({ length: 20 }, () => 'abcdefghijklmnopqrstuvwxyz'[(rng() * 26) | 0]).join('');
  const title = `${pick(WORDS)}-${pick(WORDS)}`;
  const base64url = (s) => btoa(s).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const iat = 1_740_000_000 + int(0, 9_000_000);
  const anonKey = `${base64url('{"alg":"HS256","typ":"JWT"}')}.` +
    `${base64url(JSON.stringify({ iss: 'supabase', ref, role: 'anon', iat, exp: iat + 315_360_000 }))}.` +
    b64(43).replace(/\+/g, '-').replace(/\//g, '_');
  const supabaseUrl = `https://${ref}.supabase.co`;

  const paths = [];
  const contents = [];
  const binary = [];
  const addText = (path, s) => { paths.push(path); contents.push(encoder.encode(s)); binary.push(false); };

  // ---- The template's fixed files.
  addText('package.json', JSON.stringify({
    name: 'vite_react_shadcn_ts', private: true, version: '0.0.0', type: 'module',
    scripts: { dev: 'vite', build: 'vite build', 'build:dev': 'vite build --mode development', lint: 'eslint .', preview: 'vite preview' },
    dependencies: DEPENDENCIES, devDependencies: DEV_DEPENDENCIES,
  }, null, 2) + '\n');
  addText('package-lock.json', packageLock({ rng, int, pick, b64, lockBytes }));
  addText('vite.config.ts', `import { defineConfig } from "vite";
import react from "@vitejs/plugin-react-swc";
import path from "path";
import { componentTagger } from "lovable-tagger";

// https://vitejs.dev/config/
export default defineConfig(({ mode }) => ({
  server: {
    host: "::",
    port: 8080,
  },
  plugins: [
    react(),
    mode === 'development' &&
    componentTagger(),
  ].filter(Boolean),
  resolve: {
    alias: {
      "@": path.resolve(__dirname, "./src"),
    },
  },
}));
`);
  addText('index.html', `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>${title}</title>
    <meta name="description" content="Lovable Generated Project" />
    <meta name="author" content="Lovable" />

    <meta property="og:title" content="${title}" />
    <meta property="og:description" content="Lovable Generated Project" />
    <meta property="og:type" content="website" />
    <meta property="og:image" content="https://lovable.dev/opengraph-image-p98pqg.png" />

    <meta name="twitter:card" content="summary_large_image" />
    <meta name="twitter:site" content="@lovable_dev" />
    <meta name="twitter:image" content="https://lovable.dev/opengraph-image-p98pqg.png" />
  </head>

  <body>
    <div id="root"></div>
    <!-- IMPORTANT: DO NOT REMOVE THIS SCRIPT TAG OR THIS VERY COMMENT! -->
    <script src="https://cdn.gpteng.co/gptengineer.js" type="module"></script>
    <script type="module" src="/src/main.tsx"></script>
  </body>
</html>
`);
  addText('README.md', `# Welcome to your Lovable project

## Project info

**URL**: https://lovable.dev/projects/${projectId}

## How can I edit this code?

There are several ways of editing your application.

**Use Lovable**

Simply visit the [Lovable Project](https://lovable.dev/projects/${projectId}) and start prompting.

Changes made via Lovable will be committed automatically to this repo.

**Use your preferred IDE**

If you want to work locally using your own IDE, you can clone this repo and push changes. Pushed changes will also be reflected in Lovable.

\`\`\`sh
git clone <YOUR_GIT_URL>
cd <YOUR_PROJECT_NAME>
npm i
npm run dev
\`\`\`

## What technologies are used for this project?

- Vite
- TypeScript
- React
- shadcn-ui
- Tailwind CSS
`);
  addText('src/integrations/supabase/client.ts', `// This file is automatically generated. Do not edit it directly.
import { createClient } from '@supabase/supabase-js';
import type { Database } from './types';

const SUPABASE_URL = "${supabaseUrl}";
const SUPABASE_PUBLISHABLE_KEY = "${anonKey}";

// Import the supabase client like this:
// import { supabase } from "@/integrations/supabase/client";

export const supabase = createClient<Database>(SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY, {
  auth: {
    storage: localStorage,
    persistSession: true,
    autoRefreshToken: true,
  }
});
`);
  addText('src/integrations/supabase/types.ts', `export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

` + text(int(8_000, 14_000), 'ts'));
  addText('.env', `VITE_SUPABASE_PROJECT_ID="${ref}"\nVITE_SUPABASE_PUBLISHABLE_KEY="${anonKey}"\nVITE_SUPABASE_URL="${supabaseUrl}"\n`);
  addText('supabase/config.toml', `project_id = "${ref}"\n`);
  addText(`supabase/migrations/2025${String(int(1, 12)).padStart(2, '0')}${String(int(1, 28)).padStart(2, '0')}${String(int(0, 235959)).padStart(6, '0')}_${hex(8)}.sql`,
    `create table public.${pick(WORDS)}s (\n  id uuid primary key default gen_random_uuid(),\n  created_at timestamptz not null default now(),\n  ${pick(WORDS)} text not null\n);\n\nalter table public.${pick(WORDS)}s enable row level security;\n`);
  addText('.gitignore', '# Logs\nlogs\n*.log\nnpm-debug.log*\nyarn-debug.log*\nyarn-error.log*\npnpm-debug.log*\nlerna-debug.log*\n\nnode_modules\ndist\ndist-ssr\n*.local\n\n# Editor directories and files\n.vscode/*\n!.vscode/extensions.json\n.idea\n.DS_Store\n*.suo\n*.ntvs*\n*.njsproj\n*.sln\n*.sw?\n');
  addText('.lovable/plan.md', `# Plan\n\n${text(int(1_000, 3_000), 'md')}\n`);
  addText('src/main.tsx', "import { createRoot } from 'react-dom/client'\nimport App from './App.tsx'\nimport './index.css'\n\ncreateRoot(document.getElementById(\"root\")!).render(<App />);\n");
  addText('src/App.tsx', text(int(2_000, 4_000), 'tsx'));
  addText('src/App.css', '#root {\n  max-width: 1280px;\n  margin: 0 auto;\n  padding: 2rem;\n  text-align: center;\n}\n');
  addText('src/index.css', '@tailwind base;\n@tailwind components;\n@tailwind utilities;\n\n@layer base {\n  :root {\n    --background: 0 0% 100%;\n    --foreground: 222.2 84% 4.9%;\n    --radius: 0.5rem;\n  }\n}\n');
  addText('src/vite-env.d.ts', '/// <reference types="vite/client" />\n');
  addText('src/lib/utils.ts', 'import { clsx, type ClassValue } from "clsx"\nimport { twMerge } from "tailwind-merge"\n\nexport function cn(...inputs: ClassValue[]) {\n  return twMerge(clsx(inputs))\n}\n');
  addText('tailwind.config.ts', 'import type { Config } from "tailwindcss";\n\nexport default {\n\tdarkMode: ["class"],\n\tcontent: ["./pages/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}", "./app/**/*.{ts,tsx}", "./src/**/*.{ts,tsx}"],\n\tprefix: "",\n\tplugins: [require("tailwindcss-animate")],\n} satisfies Config;\n');
  addText('postcss.config.js', 'export default {\n  plugins: {\n    tailwindcss: {},\n    autoprefixer: {},\n  },\n}\n');
  addText('eslint.config.js', 'import js from "@eslint/js";\nimport globals from "globals";\nimport reactHooks from "eslint-plugin-react-hooks";\nimport reactRefresh from "eslint-plugin-react-refresh";\nimport tseslint from "typescript-eslint";\n\nexport default tseslint.config({ ignores: ["dist"] });\n');
  addText('components.json', JSON.stringify({ $schema: 'https://ui.shadcn.com/schema.json', style: 'default', rsc: false, tsx: true, tailwind: { config: 'tailwind.config.ts', css: 'src/index.css', baseColor: 'slate', cssVariables: true, prefix: '' }, aliases: { components: '@/components', utils: '@/lib/utils', ui: '@/components/ui', lib: '@/lib', hooks: '@/hooks' } }, null, 2) + '\n');
  addText('tsconfig.json', JSON.stringify({ files: [], references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }], compilerOptions: { baseUrl: '.', paths: { '@/*': ['./src/*'] }, noImplicitAny: false, skipLibCheck: true, allowJs: true, strictNullChecks: false } }, null, 2) + '\n');
  addText('tsconfig.app.json', JSON.stringify({ compilerOptions: { target: 'ES2020', useDefineForClassFields: true, lib: ['ES2020', 'DOM', 'DOM.Iterable'], module: 'ESNext', skipLibCheck: true, moduleResolution: 'bundler', jsx: 'react-jsx', strict: false, baseUrl: '.', paths: { '@/*': ['./src/*'] } }, include: ['src'] }, null, 2) + '\n');
  addText('tsconfig.node.json', JSON.stringify({ compilerOptions: { target: 'ES2022', lib: ['ES2023'], module: 'ESNext', skipLibCheck: true, moduleResolution: 'bundler', strict: true }, include: ['vite.config.ts'] }, null, 2) + '\n');
  addText('public/robots.txt', 'User-agent: Googlebot\nAllow: /\n\nUser-agent: *\nAllow: /\n');
  addText('public/placeholder.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1200" fill="none"><rect width="1200" height="1200" fill="#EAEAEA" rx="3"/></svg>\n');

  // ---- Binaries and the rest of the text, interleaved as a real listing would be after sorting.
  const binaries = Math.round(files * binaryShare);
  const texts = files - binaries;
  const ui = SHADCN.slice(0, Math.max(0, Math.min(SHADCN.length, texts - paths.length)));
  for (const name of ui) addText(`src/components/ui/${name}.tsx`, text(int(textSize[0], textSize[1]), 'tsx'));
  if (paths.length > texts) throw new Error(`lovableProject: ${files} files is too few for the template (${paths.length} text files)`);
  const areas = ['pages', 'components', 'components', 'components', 'hooks', 'lib', 'features', 'services'];
  let i = 0;
  while (paths.length < files) {
    const wantBinary = binary.filter(Boolean).length < binaries
      && (paths.length - binary.filter(Boolean).length >= texts || i % 3 === 2);
    if (wantBinary) {
      const size = int(binarySize[0], binarySize[1]);
      const words = new Uint32Array(Math.ceil(size / 4));
      for (let k = 0; k < words.length; k++) words[k] = (rng() * 4294967296) >>> 0;
      const r = rng();
      paths.push(`public/lovable-uploads/${uuid()}.${r < 0.7 ? 'png' : r < 0.9 ? 'jpg' : 'webp'}`);
      contents.push(new Uint8Array(words.buffer, 0, size));
      binary.push(true);
    } else {
      const area = pick(areas);
      const ext = area === 'hooks' || area === 'lib' || area === 'services' ? 'ts' : 'tsx';
      const name = area === 'hooks' ? `use${cap(pick(WORDS))}${cap(pick(WORDS))}` : cap(pick(WORDS)) + cap(pick(WORDS));
      const dir = area === 'components' || area === 'features' ? `src/${area}/${pick(WORDS)}` : `src/${area}`;
      addText(`${dir}/${name}${i}.${ext}`, text(int(textSize[0], textSize[1]), ext));
    }
    i++;
  }

  let bytes = 0, binaryBytes = 0, binaryFiles = 0;
  contents.forEach((c, k) => {
    bytes += c.length;
    if (binary[k]) { binaryFiles++; binaryBytes += c.length; }
  });
  return {
    paths, contents, binary,
    summary: {
      seed, files: paths.length, bytes, binaryFiles, binaryBytes, textFiles: paths.length - binaryFiles,
      textBytes: bytes - binaryBytes, lockBytes: contents[1].length, projectId, supabaseRef: ref,
    },
  };
}

/**
 * A package-lock.json (lockfileVersion 3) of about lockBytes for the template: every package
 * reachable from the root, lovable-tagger with a nested esbuild (and its 23 @esbuild/* platform
 * packages) and two packages that only it needs, as in real Lovable lockfiles.
 */
function packageLock({ rng, int, pick, b64, lockBytes }) {
  const packages = {};
  const root = { name: 'vite_react_shadcn_ts', version: '0.0.0', dependencies: DEPENDENCIES, devDependencies: DEV_DEPENDENCIES };
  packages[''] = root;
  const version = (range) => range.replace(/^[\^~]/, '').replace(/-rc\.0$/, '');
  const entry = (key, name, v, extra = {}) => {
    const base = name.split('/').pop();
    const e = {
      version: v,
      resolved: `https://registry.npmjs.org/${name}/-/${base}-${v}.tgz`,
      integrity: `sha512-${b64(86)}==`,
      ...extra.dev ? { dev: true } : {},
      license: pick(['MIT', 'MIT', 'MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause']),
      ...extra.body,
    };
    packages[key] = e;
    return e;
  };
  const randomVersion = () => `${int(0, 9)}.${int(0, 30)}.${int(0, 20)}`;
  const engines = () => (rng() < 0.4 ? { engines: { node: `>=${pick(['8', '10', '12', '14', '16', '18'])}` } } : {});
  const funding = () => (rng() < 0.2 ? { funding: { url: `https://github.com/sponsors/${pick(WORDS)}` } } : {});
  const reachable = []; // keys under node_modules/ reachable from the root without lovable-tagger
  const addDep = (e, name, range) => { (e.dependencies ??= {})[name] = range; };

  for (const [deps, dev] of [[DEPENDENCIES, false], [DEV_DEPENDENCIES, true]]) {
    for (const [name, range] of Object.entries(deps)) {
      if (name === 'lovable-tagger') continue;
      const e = entry(`node_modules/${name}`, name, version(range), { dev, body: { ...engines(), ...funding() } });
      if (name.startsWith('react') || name.startsWith('@radix-ui') || name === 'vaul' || name === 'cmdk') {
        e.peerDependencies = { react: '^16.8 || ^17.0 || ^18.0', ...(name === 'react' ? {} : { 'react-dom': '^16.8 || ^17.0 || ^18.0' }) };
        if (name === 'react' || name === 'react-dom') delete e.peerDependencies;
      }
      reachable.push(name);
    }
  }
  // Platform packages: vite's esbuild (0.21) and rollup at the top level.
  const esbuildTop = packages['node_modules/esbuild'] ?? entry('node_modules/esbuild', 'esbuild', '0.21.5', { dev: true, body: { hasInstallScript: true, bin: { esbuild: 'bin/esbuild' }, engines: { node: '>=12' } } });
  if (!reachable.includes('esbuild')) reachable.push('esbuild');
  addDep(packages['node_modules/vite'], 'esbuild', '^0.21.3');
  esbuildTop.optionalDependencies = {};
  for (const [os, cpu] of PLATFORMS) {
    const name = `@esbuild/${os}-${cpu}`;
    esbuildTop.optionalDependencies[name] = '0.21.5';
    entry(`node_modules/${name}`, name, '0.21.5', { dev: true, body: { cpu: [cpu], optional: true, os: [os], engines: { node: '>=12' } } });
  }
  // The transitive packages: each hangs off a package already reachable (so all stay reachable),
  // plus a few more edges between them.
  const attach = (name, v) => {
    const e = entry(`node_modules/${name}`, name, v, { dev: rng() < 0.4, body: { ...engines(), ...funding() } });
    const parent = pick(reachable);
    addDep(packages[`node_modules/${parent}`], name, `^${v}`);
    for (let k = int(0, 2); k > 0; k--) {
      const other = pick(reachable);
      if (other !== name) addDep(e, other, `^${packages[`node_modules/${other}`].version}`);
    }
    reachable.push(name);
  };
  for (const name of TRANSITIVE) if (!packages[`node_modules/${name}`]) attach(name, randomVersion());

  // lovable-tagger: a nested esbuild 0.25 with its platform packages, two packages of its own,
  // and tailwindcss shared with the root.
  const tagger = entry('node_modules/lovable-tagger', 'lovable-tagger', '1.1.7', { dev: true, body: {
    dependencies: { '@babel/parser': '^7.25.9', '@babel/types': '^7.25.8', esbuild: '^0.25.0', 'estree-walker': '^3.0.3', 'magic-string': '^0.30.12', tailwindcss: '^3.4.17' },
    peerDependencies: { vite: '>=5.0.0 <8.0.0' },
  } });
  void tagger;
  const nested = entry('node_modules/lovable-tagger/node_modules/esbuild', 'esbuild', '0.25.12', { dev: true, body: { hasInstallScript: true, bin: { esbuild: 'bin/esbuild' }, engines: { node: '>=18' }, optionalDependencies: {} } });
  for (const [os, cpu] of [...PLATFORMS, ['openharmony', 'arm64']]) {
    const name = `@esbuild/${os}-${cpu}`;
    nested.optionalDependencies[name] = '0.25.12';
    entry(`node_modules/lovable-tagger/node_modules/${name}`, name, '0.25.12', { dev: true, body: { cpu: [cpu], optional: true, os: [os], engines: { node: '>=18' } } });
  }
  entry('node_modules/estree-walker', 'estree-walker', '3.0.3', { dev: true, body: { dependencies: { '@types/estree': '^1.0.0' } } });
  entry('node_modules/magic-string', 'magic-string', '0.30.17', { dev: true, body: { dependencies: { '@jridgewell/sourcemap-codec': '^1.5.0' } } });

  // Synthetic packages up to the size of a real lockfile of this template.
  const render = () => {
    const sorted = { '': packages[''] };
    for (const key of Object.keys(packages).filter((k) => k !== '').sort()) sorted[key] = packages[key];
    return JSON.stringify({ name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages: sorted }, null, 2) + '\n';
  };
  let n = 0;
  let json = render();
  while (json.length < lockBytes) {
    for (let k = 0; k < 10; k++) {
      const name = `${pick(['', '', '', '@' + pick(WORDS) + '/'])}${pick(WORDS)}-${pick(WORDS)}-${n++}`;
      attach(name, randomVersion());
    }
    json = render();
  }
  return json;
}
