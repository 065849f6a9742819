// The Rust core (wasm-bindgen --target web, built by ./build.sh into extension/wasm/), as two
// modules: liftoff_wasm (capture, normalize, zip: every export) and liftoff_remote (push to
// GitHub, deploy to Vercel and Netlify, put the database in Supabase). Each is instantiated on
// first use: top-level await is not allowed in a service worker (nor is import(), so both glue
// files are imported here), and a worker woken only to export should not pay for compiling the
// push and deploy code.
import init, { BuilderSession, exportArchive, exportBoltHistory, inspectBoltHistory } from '../../wasm/liftoff_wasm.js';
import initRemote, { DatabaseSession, DeploySession, PushSession } from '../../wasm/liftoff_remote.js';

/** A once-only initializer that a failure resets, so the next attempt retries. */
function lazily(initialize, file) {
  let ready = null;
  return () => {
    ready ??= initialize({ module_or_path: chrome.runtime.getURL(`extension/wasm/${file}`) }).catch((error) => {
      ready = null;
      throw error;
    });
    return ready;
  };
}

const ensureReady = lazily(init, 'liftoff_wasm_bg.wasm');
const ensureRemote = lazily(initRemote, 'liftoff_remote_bg.wasm');

// A Vec<u8> serialized without serde_bytes arrives as a plain array: accept both.
function withZipBytes(result) {
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
// Errors thrown by the core are Errors with a stable `code` (see ../wording/errors.js).

/** {name, fileName, zip: Uint8Array, report, sql}; throws when there is no project. */
export async function exportBolt(dumpJson, chatHint, raw) {
  await ensureReady();
  return withZipBytes(exportBoltHistory(dumpJson, chatHint, raw === true));
}

/** {name, fileName, zip: Uint8Array, report, sql} from a dropped zip, tar or tar.gz. */
export async function exportDroppedArchive(fileName, bytes, raw) {
  await ensureReady();
  return withZipBytes(exportArchive(fileName, bytes, raw === true));
}

/**
 * A conversation with a builder's API (see fetch-driver.js), to be freed with .free().
 * builder: 'lovable' | 'base44'; the token goes into the core's requests and nowhere else.
 * The API origins are the builders' own (the manifest's host permissions name exactly those).
 * nameHint: the project's name as the page shows it (names the zip); may be null.
 * rows (Base44): also read every entity's rows into supabase/seed.sql (not when the user keeps
 * the builder's files exactly as they are).
 */
export async function openBuilderSession(builder, id, token, nameHint, { rows = true } = {}) {
  await ensureReady();
  const hint = nameHint ?? undefined;
  if (builder === 'lovable') return BuilderSession.lovable(id, token, undefined, hint);
  if (builder === 'base44') return BuilderSession.base44(id, token, undefined, hint, rows);
  throw new Error(`Liftoff cannot export from ${builder}.`);
}

/** finish() of a driven session: {name, fileName, zip: Uint8Array, report, sql}; throws the core's error. */
export function finishSession(session, raw) {
  return withZipBytes(session.finish(raw === true));
}

/**
 * A push of an export's zip to a GitHub repository as one commit (see fetch-driver.js), to be
 * freed with .free(). repository: 'owner/name'; the token goes into the core's requests to
 * api.github.com and the repository's clone URL, and nowhere else. options: {branch, create,
 * private, message, builder} (an empty message or branch: the core's default message, the
 * repository's default branch). finish() gives {commit, url, branch, repository, created,
 * up_to_date, …} or throws an Error with a stable `code` (../wording/messages.js words them).
 */
export async function openPushSession(zip, repository, token, options) {
  await ensureRemote();
  return new PushSession(zip, repository, token, options, Date.now());
}

/**
 * A deployment conversation (see fetch-driver.js), to be freed with .free(). target:
 * {provider: 'vercel'|'netlify', project, token, team?}; the token goes only to the provider's
 * API (api.vercel.com, api.netlify.com). kind 'deploy' takes the export's zip (its .env values
 * become the project's variables before the build); 'history' and 'rollback' (to `deployment`,
 * or the production deployment before the current one) take none. finish() gives
 * {id, url, state} (deploy, rollback) or [{id, url, state, created, production}] newest first
 * (history), or throws an Error with a stable `code` (`bad-token`, `build-failed`, …).
 */
export async function openDeploySession(kind, target, { zip, deployment } = {}) {
  await ensureRemote();
  if (kind === 'deploy') return DeploySession.deploy(zip, target);
  if (kind === 'history') return DeploySession.history(target);
  if (kind === 'rollback') return DeploySession.rollback(target, deployment ?? undefined);
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
