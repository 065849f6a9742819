// Shared by the push suites: build and run the CLI, clone what was pushed, compare trees.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURE = join(ROOT, 'tests/fixtures/bolt/expected');
export const HISTORY = join(ROOT, 'tests/fixtures/bolt/history.json');
const execFileAsync = promisify(execFile);

/** Builds the CLI once (debug) and returns the binary's path. */
export function buildCli() {
  execFileSync('cargo', ['build', '-q', '-p', 'liftoff-cli'], { cwd: ROOT, stdio: 'inherit' });
  const target = process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target');
  return join(target, 'debug', 'liftoff');
}

/**
 * Runs `liftoff push` asynchronously (the stand-in answers from this same process). Resolves
 * {code, stdout, stderr, json} (json parsed when --json was given and the push worked).
 */
export function push(bin, args, { token, env = {} } = {}) {
  return new Promise((resolve) => {
    execFile(
      bin,
      ['push', ...args],
      { env: { ...process.env, GITHUB_TOKEN: token ?? '', ...env }, maxBuffer: 1 << 26 },
      (error, stdout, stderr) => {
        const code = error ? (error.code ?? 1) : 0;
        let json = null;
        if (code === 0 && args.includes('--json')) json = JSON.parse(stdout);
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}

const temporary = [];
process.on('exit', () => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder, removed when the process ends. */
export function tempDir(prefix = 'liftoff-push-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** A copy of the Bolt fixture to edit. */
export function workingCopy() {
  const dir = join(tempDir(), 'project');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** Every file under dir: relative path → bytes (skipping `.git`). */
export function filesOf(dir, { skip = () => false } = {}) {
  const out = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const rel = relative(dir, path);
      if (name === '.git' || skip(rel)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else out.set(rel, readFileSync(path));
    }
  };
  walk(dir);
  return out;
}

/** Asserts two file maps hold the same paths with the same bytes. */
export function assertSameFiles(assert, actual, expected) {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [path, bytes] of expected) {
    assert.ok(actual.get(path).equals(bytes), `${path} differs byte for byte`);
  }
}

/** Runs git asynchronously in cwd (never blocks the stand-in's event loop). */
export async function git(cwd, args) {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    maxBuffer: 1 << 26,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' },
  });
  return stdout;
}

/**
 * Clones fullName from the stand-in over smart HTTP (with the token), runs `git fsck --strict`
 * in the clone, and returns {dir, files, log: [{sha, parents, author, subject}]}. options:
 * base (where repositories are, `gh.origin` by default; e.g. a GitLab's origin + prefix) and
 * user (the Basic user name, `x-access-token` by default).
 */
export async function cloneAndCheck(gh, fullName, token, branch = 'main', { base = gh.origin, user = 'x-access-token' } = {}) {
  const dir = join(tempDir('liftoff-clone-'), 'clone');
  const url = new URL(`${base}/${fullName}.git`);
  url.username = user;
  url.password = token;
  await git(tmpdir(), ['clone', '-q', '--branch', branch, url.href, dir]);
  await git(dir, ['fsck', '--strict', '--no-dangling']);
  const log = (await git(dir, ['log', '--format=%H|%P|%an <%ae>|%s']))
    .trim()
    .split('\n')
    .map((line) => {
      const [sha, parents, author, subject] = line.split('|');
      return { sha, parents: parents ? parents.split(' ') : [], author, subject };
    });
  return { dir, files: filesOf(dir), log };
}
