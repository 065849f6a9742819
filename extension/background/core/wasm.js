// The Rust core (wasm-bindgen --target web, built by ./build.sh into extension/wasm/), as two
// modules: liftoff_wasm (the builders' catalog, capture, normalize, zip: every export) and
// liftoff_remote (the destinations' catalog and their name rules; push to a forge, deploy to a
// host, put the database in Supabase). Each is instantiated on first use: top-level await is not
// allowed in a service worker (nor is import(), so both glue files are imported here). The
// catalog needs both, and is read once per worker life.
import init, {
  BuilderSession,
  catalog as builderCatalog,
  defaultCommitMessage as coreCommitMessage,
  exportArchive,
  exportBoltHistory,
  inspectBoltHistory,
  provideOfframpTexts,
} from '../../wasm/liftoff_wasm.js';
// The Base44 off-ramp's files (build.sh writes them from the core's sources): outside the
// export module, which would not fit its size budget with them, and handed to it once loaded.
import offrampTexts from '../../wasm/offramp-texts.js';
import initRemote, {
  ChecksSession,
  DatabaseSession,
  DeploySession,
  PushSession,
  catalog as destinationCatalog,
  nameProblem as coreNameProblem,
  suggestName as coreSuggestName,
} from '../../wasm/liftoff_remote.js';

/** A once-only asynchronous value that a failure resets, so the next call tries again. */
function once(make) {
  let ready = null;
  return () => {
    ready ??= make().catch((error) => {
      ready = null;
      throw error;
    });
    return ready;
  };
}

const wasmUrl = (file) => ({ module_or_path: chrome.runtime.getURL(`extension/wasm/${file}`) });
const ensureReady = once(async () => {
  await init(wasmUrl('liftoff_wasm_bg.wasm'));
  provideOfframpTexts(JSON.stringify(offrampTexts));
});
const ensureRemote = once(() => initRemote(wasmUrl('liftoff_remote_bg.wasm')));

/**
 * The core's catalog, read once per worker life from both modules, frozen: {builders: [{id,
 * name, word, address, hosts, fetched}], destinations: [{id, name, kind: 'forge' | 'hosting' |
 * 'database', word, label, suggests, tokenVar, tokenHelp, teams, origins}]}. Every builder's and
 * destination's name, word and options the worker shows come from here (core/catalog.js reads it).
 */
export const catalog = once(async () => {
  await Promise.all([ensureReady(), ensureRemote()]);
  return deepFreeze({ builders: builderCatalog().builders, destinations: destinationCatalog().destinations });
});

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Why destinationId does not accept name, as the core words it (a full sentence naming the
 * value), or null when it does: 'github' (owner/name), a hosting destination's project or site
 * name, 'supabase' (a project ref).
 */
export async function nameProblem(destinationId, name) {
  await ensureRemote();
  return coreNameProblem(String(destinationId), String(name)) ?? null;
}

/** A name destinationId accepts, made from a project's name; null where it suggests none. */
export async function suggestName(destinationId, projectName) {
  await ensureRemote();
  return coreSuggestName(String(destinationId), String(projectName ?? '')) ?? null;
}

/** The commit message the core writes for an export from builderId at nowMs (epoch ms). */
export async function defaultCommitMessage(builderId, nowMs) {
  await ensureReady();
  return coreCommitMessage(String(builderId ?? ''), nowMs);
}

// A Vec<u8> serialized without serde_bytes arrives as a plain array: accept both. An export
// handed out to be zipped by workers (zip.workers) carries its files instead: {paths, contents,
// executable} in the zip's order.
function withZipBytes({ paths, contents, executable, ...result }) {
  if (paths) return { ...result, files: { paths, contents, executable } };
  const zip = result.zip instanceof Uint8Array ? result.zip : Uint8Array.from(result.zip ?? []);
  return { ...result, zip };
}

/** {builder, name, chatId, files, skipped: [{path, reason}]}; throws when there is no project. */
export async function inspectBolt(dumpJson, chatHint) {
  await ensureReady();
  return inspectBoltHistory(dumpJson, chatHint);
}

// Every export is cleaned up by the core (builder marks out, values to .env, scaffold added,
// LIFTOFF.md) unless raw is true: then the builder's files come out exactly as they are.
// Errors thrown by the core are Errors with a stable `code` and the facts as fields (see
// ../wording/errors.js).

// zip: how the export is zipped, {fast, workers} (zip-choice.js): level 1 when fast; when
// workers, an export with enough text to be worth it comes back as its files (`files`) for the
// offscreen document's workers to zip, instead of `zip`.

/** {name, fileName, zip: Uint8Array, report, sql}; throws when there is no project. */
export async function exportBolt(dumpJson, chatHint, raw, zip = {}) {
  await ensureReady();
  return withZipBytes(exportBoltHistory(dumpJson, chatHint, raw === true, zip));
}

/**
 * {name, fileName, zip: Uint8Array, report, sql} from a zip, tar or tar.gz: dropped by the person,
 * or a builder's own download taken from its page. builder: the builder's id when the page says
 * (undefined: found from the files); nameHint: the project's name as the page shows it.
 */
export async function exportDroppedArchive(fileName, bytes, raw, { builder, nameHint } = {}, zip = {}) {
  await ensureReady();
  return withZipBytes(exportArchive(fileName, bytes, raw === true, builder, nameHint, zip));
}

/**
 * A conversation with a builder's API (see fetch-driver.js), to be freed with .free().
 * builder: the id of a builder the catalog lists as fetched; the token goes into the core's
 * requests and nowhere else. The API origins are the builders' own (the manifest's host
 * permissions name exactly those). nameHint: the project's name as the page shows it (names the
 * zip); may be null. raw: the builder's files exactly as they are (else cleaned up, and a
 * builder's data rows, when it has any, read into supabase/seed.sql). apiKey: the token is a
 * key for the builder's official API (the catalog's `keyHelp`), not the page's session; gitRef:
 * the ref the builder's own page reads, when seen (null: the builder's default).
 */
export async function openBuilderSession(builder, id, token, nameHint, raw, { apiKey = false, gitRef = null, zip = {} } = {}) {
  await ensureReady();
  return BuilderSession.fetch(builder, id, token, {
    nameHint: nameHint ?? undefined,
    raw: raw === true,
    apiKey: apiKey === true,
    gitRef: gitRef ?? undefined,
    fast: zip.fast === true,
    workers: zip.workers === true,
  });
}

/** finish() of a driven builder session: {name, fileName, zip: Uint8Array, report, sql}; throws the core's error. */
export function finishSession(session) {
  return withZipBytes(session.finish());
}

/**
 * A push of an export's zip to a GitHub repository as one commit (see fetch-driver.js), to be
 * freed with .free(). repository: 'owner/name'; the token goes into the core's requests to
 * api.github.com and the repository's clone URL, and nowhere else. options: {branch, create,
 * private, message, pr?: {title, summary}} (no message: the core's 'Export (Liftoff), <date>'; no
 * branch: the repository's default one; pr: open or update a pull request from branch into the
 * default branch). finish() gives {commit, url, branch, repository, created, up_to_date,
 * changes, pull_request?: {number, url, created}, …} or throws an Error with a stable `code`
 * (../wording/messages.js words them). preview: what that push would change, nothing written;
 * finish() gives {repository, branch, changes: [{path, action, binary, lines_added,
 * lines_removed, size, old_size?}], excluded, up_to_date, diffs: [{path, text, cut}]}.
 */
export async function openPushSession(zip, repository, token, options, { preview = false } = {}) {
  await ensureRemote();
  const now = Date.now();
  if (preview) return PushSession.preview(zip, repository, token, options, now);
  return new PushSession(zip, repository, token, options, now);
}

/**
 * A commit's CI verdict followed until it passes or fails (see fetch-driver.js; the core reads
 * it every 3 s, then backs off up to 30 s), to be freed with .free(). The token goes only to
 * api.github.com. latest() gives the verdict of the last round read, or null; finish() gives
 * {state: 'queued' | 'running' | 'passed' | 'failed' | 'none', checks: [{name, status,
 * conclusion, url}], failing: {name, url, …} | null, timed_out} or throws an Error with a code.
 */
export async function openChecksSession(repository, commit, token) {
  await ensureRemote();
  return new ChecksSession(repository, commit, token, { wait: true });
}

/**
 * A deployment conversation (see fetch-driver.js), to be freed with .free(). target:
 * {provider: a hosting destination's id, project, token, team?}; the token goes only to the
 * destination's origins. kind 'deploy' takes the export's zip (its .env values become the
 * project's variables before the build) and the framework the export found (the report's, so
 * that the core does not look again); 'history' and 'rollback' (to `deployment`, or the
 * production deployment before the current one) take none. finish() gives {id, url, state}
 * (deploy, rollback) or [{id, url, state, created, production}] newest first (history), or
 * throws an Error with a stable `code` (`bad-token`, `build-failed`, …).
 */
export async function openDeploySession(kind, target, { zip, framework, deployment, preview } = {}) {
  await ensureRemote();
  if (kind === 'deploy') return DeploySession.deploy(zip, { ...target, framework: framework ?? undefined, preview: preview === true });
  if (kind === 'history') return DeploySession.history(target);
  if (kind === 'rollback') return DeploySession.rollback(target, deployment ?? undefined);
  if (kind === 'promote') return DeploySession.promote(target, deployment);
  throw new Error(`unknown deployment session: ${kind}`);
}

/**
 * The export's SQL (supabase/migrations/*.sql in order, then supabase/seed.sql) applied to the
 * founder's Supabase project through the Management API (api.supabase.com), each file once and
 * in its own transaction (see fetch-driver.js); to be freed with .free(). The personal access
 * token goes only to that API. finish() gives {applied, already_applied, changed} or throws an
 * Error with a stable `code` (`statement-failed`, `bad-token`, …) and `applied`.
 */
export async function openDatabaseSession(zip, projectRef, token) {
  await ensureRemote();
  return new DatabaseSession(zip, projectRef, token);
}
