// Reads a fixture folder into memory: every regular file, sorted by '/'-separated path.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** [{path, bytes}] for every file under dir (no symlinks followed), sorted by path. */
export function readTree(dir) {
  const out = [];
  const walk = (at, prefix) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(at, entry.name), path);
      else if (entry.isFile()) out.push({ path, bytes: readFileSync(join(at, entry.name)) });
    }
  };
  walk(dir, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Every folder that holds a file, parents first ("src", "src/api", …), sorted. */
export function foldersOf(files) {
  const folders = new Set();
  for (const { path } of files) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return [...folders].sort();
}
