// File helpers for the assertions: waiting for a download, unzipping, listing a tree.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Names in dir now: pass to waitForDownload to ignore what was already there. */
export const snapshotDir = (dir) => new Set(readdirSync(dir));

/** Resolves the path of the first new finished file in dir (Chromium writes *.crdownload first). */
export async function waitForDownload(dir, before = new Set(), timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const done = readdirSync(dir).filter((name) => !name.endsWith('.crdownload') && !before.has(name));
    if (done.length > 0) return join(dir, done[0]);
    await sleep(100);
  }
  throw new Error(`no download appeared in ${dir} within ${timeoutMs} ms`);
}

/**
 * Checks the archive's CRCs, extracts it into dest, and returns every entry name in archive
 * order (directories end with '/'). Python's zipfile, because it is on the machine and strict.
 */
export function unzip(zipPath, dest) {
  const script = [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'bad = z.testzip()',
    'if bad: sys.exit("corrupt entry: " + bad)',
    'z.extractall(sys.argv[2])',
    'print(json.dumps(z.namelist()))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, zipPath, dest], { encoding: 'utf8' }));
}

/** Relative '/'-separated paths of every file under dir, sorted. */
export function listFiles(dir) {
  const out = [];
  const walk = (at) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (statSync(full).isFile()) out.push(relative(dir, full).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Asserts that the zip at zipPath holds exactly the files under expectedDir, byte for byte
 * (extracting into extractDir); returns the list of file entries.
 */
export function assertZipMatches(zipPath, expectedDir, extractDir) {
  const entries = unzip(zipPath, extractDir).filter((name) => !name.endsWith('/'));
  assert.equal(new Set(entries).size, entries.length, 'duplicate entries in the zip');
  const expected = listFiles(expectedDir);
  assert.deepEqual([...entries].sort(), expected, 'the zip must hold exactly the expected files');
  for (const path of expected) {
    const got = readFileSync(join(extractDir, path));
    const want = readFileSync(join(expectedDir, path));
    assert.ok(got.equals(want), `${path} differs from the fixture (${got.length} bytes, expected ${want.length})`);
  }
  return entries;
}

/** Every file under dir whose bytes contain needle (as ASCII/UTF-8 or as UTF-16LE). */
export function filesContaining(dir, needle) {
  const patterns = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  const hits = [];
  const walk = (at) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && statSync(full).size < 64 * 1024 * 1024) {
        let bytes;
        try {
          bytes = readFileSync(full);
        } catch {
          continue; // locked or gone
        }
        if (patterns.some((p) => bytes.includes(p))) hits.push(relative(dir, full));
      }
    }
  };
  walk(dir);
  return hits;
}
