// "Put the database in Supabase": the popup's Database step, run with the core's DatabaseSession
// and driven by core/fetch-driver.js from this service worker (the manifest's host permission for
// api.supabase.com spares the calls CORS preflights).
//
// The tab's project is exported exactly as for a download or a deployment (cleaned up unless the
// user keeps the builder's files), and the export's zip goes to the core, which applies its
// supabase/migrations/*.sql in order and then supabase/seed.sql through the Management API's
// query endpoint, each file once and in its own transaction (a second run applies nothing
// twice). The personal access token is read from storage here, kept in this call's scope and in
// the session (wasm memory) until the run ends, and given to nothing else; the core builds every
// URL from Supabase's own origin and the project ref (the popup never names an address).
import { runSession } from '../core/run-session.js';
import { nameProblem, openDatabaseSession } from '../core/wasm.js';
import { exportTab } from '../sources/builders.js';
import { recordHistory } from '../store/history.js';
import { rememberSupabaseRef } from '../store/supabase-refs.js';
import { readToken } from '../store/tokens.js';
import { UserError, explainDatabase } from '../wording/errors.js';
import { NO_SQL, SUPABASE_NO_TOKEN } from '../wording/messages.js';
import { summarize } from '../wording/summary.js';

// The destination this action applies SQL to (the core's DatabaseSession's default).
const DATABASE = 'supabase';

const names = (list) => (Array.isArray(list) ? list.map(String) : []);

/** The project's page on Supabase's dashboard (a link the user opens; never requested). */
const dashboardLink = (ref) => `https://supabase.com/dashboard/project/${ref}`;

/**
 * Exports the tab's project and applies its SQL to the Supabase project request.ref (request:
 * ports/requests.js, databaseRequestFrom). progress({phase, done?, total?}): the export's
 * phases, then 'database' (files done of the files to apply). Resolves what the popup shows
 * (protocol.js, DatabaseApplied without its type): {ref, link, applied, alreadyApplied, changed,
 * sql, files, summary}. Throws UserErrors worded for the user (with `applied` and `detail`
 * when the core stopped at a statement).
 */
export async function databaseTab(tabId, request, progress) {
  // Before any work: without a token or a ref the core accepts there is nothing to apply with.
  const token = await readToken(DATABASE);
  if (!token) throw new UserError(SUPABASE_NO_TOKEN, 'no-token');
  const problem = await nameProblem(DATABASE, request.ref);
  if (problem) throw new UserError(problem, 'bad-project-ref');
  const exported = await exportTab(tabId, progress);
  const sql = exported.sql ?? [];
  if (sql.length === 0) throw new UserError(NO_SQL, 'no-sql');
  progress({ phase: 'database', done: 0, total: sql.length });
  const link = dashboardLink(request.ref);
  let done;
  try {
    done = await apply(exported.zip, request.ref, token, ({ done: files, total }) =>
      progress({ phase: 'database', done: files, total }),
    );
  } catch (error) {
    if (error?.ran) await recordHistory({ kind: 'database', target: DATABASE, project: request.ref, link, state: 'failed' });
    throw error;
  }
  const result = {
    applied: names(done?.applied),
    alreadyApplied: names(done?.already_applied),
    changed: names(done?.changed),
  };
  await recordHistory({
    kind: 'database',
    target: DATABASE,
    project: request.ref,
    link,
    state: result.applied.length > 0 ? 'applied' : result.changed.length > 0 ? 'changed' : 'up-to-date',
  });
  await rememberSupabaseRef(request.key, request.ref).catch(() => {});
  return {
    ref: request.ref,
    link,
    ...result,
    sql,
    files: exported.report?.files ?? null,
    summary: await summarize(exported.report, exported.raw),
  };
}

/** Opens, drives and frees one session; resolves finish()'s value or throws the user's sentence. */
async function apply(zip, ref, token, onProgress) {
  let session = null;
  try {
    session = await openDatabaseSession(zip, ref, token);
    return await runSession(session, onProgress);
  } catch (error) {
    const explained = explainDatabase(error, { ref });
    if (session) explained.ran = true; // Supabase was asked: History records the failed run
    throw explained;
  }
}
