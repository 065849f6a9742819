// What ships: dist/liftoff-extension-<version>.zip, as build.sh packs it for the Chrome Web Store
// and as every other suite here loads it (unpacked). It holds the manifest and the extension's
// runtime files, byte for byte as in the repository, and nothing else; everything the manifest,
// the pages and the modules name is inside it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

import { REPO, unpackedExtension } from './lib/setup.mjs';

/** Every file under dir, as paths relative to it with '/'. */
function files(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path, base) : [relative(base, path).split('\\').join('/')];
  });
}

/** Written by build.sh: the off-ramp's source texts, handed to the wasm core at start. */
const OFFRAMP_TEXTS = 'extension/wasm/offramp-texts.js';

const RUNTIME = /\.(js|html|css|png|wasm)$/;

test('the package holds the manifest and the runtime files, byte for byte, and nothing else', () => {
  const shipped = files(unpackedExtension()).sort();
  const expected = [
    'manifest.json',
    ...files(join(REPO, 'extension'))
      .filter((path) => RUNTIME.test(path))
      .map((path) => `extension/${path}`),
  ].sort();
  assert.deepEqual(shipped, expected);
  for (const path of shipped) {
    assert.ok(
      readFileSync(join(unpackedExtension(), path)).equals(readFileSync(join(REPO, path))),
      `${path} differs from the repository's`,
    );
  }
  assert.ok(!shipped.some((path) => /(^|\/)(tests?|node_modules|crates|target)\//.test(path)));
  assert.ok(!shipped.some((path) => /\.(py|md|rs|mjs|json)$/.test(path) && path !== 'manifest.json'));
});

test('everything the manifest, the pages and the modules name is in the package', () => {
  const root = unpackedExtension();
  const shipped = new Set(files(root));
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  const named = [
    manifest.background.service_worker,
    manifest.action.default_popup,
    manifest.options_ui.page,
    ...Object.values(manifest.icons),
    ...Object.values(manifest.action.default_icon),
    ...manifest.content_scripts.flatMap((script) => script.js),
  ];
  for (const path of named) assert.ok(shipped.has(path), `the manifest names ${path}`);
  // Relative references of every page and module: <script src>, <link href>, <img src>, import.
  const reference = /(?:src|href)="(\.{1,2}\/[^"]+|[\w-]+\.(?:js|css|png))"|\bfrom\s+'(\.{1,2}\/[^']+)'|import\s+'(\.{1,2}\/[^']+)'/g;
  for (const path of shipped) {
    if (!/\.(html|js)$/.test(path)) continue;
    const text = readFileSync(join(root, path), 'utf8');
    if (path === OFFRAMP_TEXTS) {
      // Data, not code: the off-ramp's files as one JSON object of strings. The imports inside
      // those strings belong to the exported app (`../_shared/base44.ts`), not to the extension;
      // the module itself is exactly a comment line and one `export default {…};` line, so it
      // imports nothing.
      assert.match(text, /^\/\/ Written by build\.sh[^\n]*\nexport default \{[^\n]*\};\n$/, `${path} is data`);
      continue;
    }
    for (const match of text.matchAll(reference)) {
      const target = match[1] ?? match[2] ?? match[3];
      const resolved = relative(root, resolve(dirname(join(root, path)), target)).split('\\').join('/');
      assert.ok(shipped.has(resolved), `${path} refers to ${target}, which is not in the package`);
    }
  }
});
