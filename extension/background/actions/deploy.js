// "Deploy to <host>" for each hosting destination of the core's catalog (Vercel, Netlify), to
// production or as a preview, the deployments of a project, rollbacks and promotions: the popup's requests, run with the core's
// DeploySession and driven by core/fetch-driver.js from this service worker (the manifest's host
// permissions for the destinations' origins spare the calls CORS preflights).
//
// A deploy exports the tab's project exactly as for a download or a push (cleaned up unless the
// user keeps the builder's files) and hands the export's zip to the core, which uploads the
// source (the .env values go through the provider's environment API, never as files), waits for
// the provider's build and answers the deployment. The token is read from storage here, kept in
// this call's scope and in the session (wasm memory) until the run ends, and given to nothing
// else; the core builds every URL from the provider's own origin (the popup never names one).
import { destinationOf } from '../core/catalog.js';
import { runSession } from '../core/run-session.js';
import { nameProblem, openDeploySession } from '../core/wasm.js';
import { exportTab } from '../sources/builders.js';
import { rememberDeployStage } from '../store/deploy-stages.js';
import { recordHistory } from '../store/history.js';
import { readCredentials } from '../store/tokens.js';
import { UserError, explainDeploy } from '../wording/errors.js';
import { noDeployToken } from '../wording/messages.js';
import { summarize } from '../wording/summary.js';

/**
 * {destination, target}: the hosting destination's catalog entry, and the core's target
 * {provider, project, token, team?} with the stored token; throws, before any work, without a
 * token or with a name the destination refuses (the core's sentence).
 */
async function targetFor({ provider, project }) {
  const destination = await destinationOf(provider, 'hosting');
  if (!destination) throw new UserError(`Liftoff does not deploy to ${provider}.`, 'unknown-destination');
  const credentials = await readCredentials(provider);
  if (!credentials) throw new UserError(noDeployToken(destination), 'no-token');
  const problem = await nameProblem(provider, project);
  if (problem) throw new UserError(problem, 'bad-name');
  const target = { provider, project, token: credentials.token };
  if (credentials.team) target.team = credentials.team;
  return { destination, target };
}

/** Opens, drives and frees one session; resolves finish()'s value or throws the user's sentence. */
async function run(kind, request, options, onProgress) {
  const { destination, target } = await targetFor(request);
  try {
    return await runSession(await openDeploySession(kind, target, options), onProgress);
  } catch (error) {
    // A build that failed or timed out keeps its deployment ({id, state}) for History.
    throw explainDeploy(error, { kind, destination, project: request.project });
  }
}

/**
 * Exports the tab's project and deploys it (request: ports/requests.js, deployRequestFrom).
 * progress({phase, done?, total?}): the export's phases, then 'deploying' (steps answered of
 * those planned: project, variables, uploads, deployment, build). Resolves what the popup shows
 * (protocol.js, Deployed without its type): {provider, project, id, url, state, files, summary,
 * sql}. Throws UserErrors worded for the user (a failed build: the provider's build
 * error).
 */
export async function deployTab(tabId, request, progress) {
  // Before any work: without a token or a name the host accepts there is nothing to deploy.
  await targetFor(request);
  const exported = await exportTab(tabId, progress);
  progress({ phase: 'deploying', done: 0, total: 1 });
  // The framework the export found: the core does not look for it again.
  const framework = typeof exported.report?.framework === 'string' ? exported.report.framework : undefined;
  let deployed;
  try {
    deployed = await run('deploy', request, { zip: exported.zip, framework, preview: request.preview }, ({ done, total }) =>
      progress({ phase: 'deploying', done, total }),
    );
  } catch (error) {
    // A build that ran and failed is a deployment too: History lists it.
    if (error?.deployment) await recordFailed(request, error);
    throw error;
  }
  await recordHistory({
    kind: 'deploy',
    target: request.provider,
    project: request.project,
    link: deployed.url,
    id: deployed.id,
    state: deployed.state,
    preview: request.preview,
  });
  if (request.key) await rememberDeployStage(request.key, request.preview).catch(() => {});
  return {
    provider: request.provider,
    project: request.project,
    id: String(deployed.id ?? ''),
    url: String(deployed.url ?? ''),
    state: String(deployed.state ?? ''),
    preview: request.preview === true,
    files: exported.report?.files ?? null,
    summary: await summarize(exported.report, exported.raw),
    sql: exported.sql ?? [],
  };
}

function recordFailed(request, error) {
  const { id = null, state = 'ERROR' } = error.deployment ?? {};
  return recordHistory({ kind: 'deploy', target: request.provider, project: request.project, id, state });
}

/** The provider's deployments of the project: [{id, url, state, created, production, preview}]. */
export async function listDeployments(request) {
  const entries = await run('history', request, {}, () => {});
  return (Array.isArray(entries) ? entries : []).map((entry) => ({
    id: String(entry.id ?? ''),
    url: String(entry.url ?? ''),
    state: String(entry.state ?? ''),
    created: Number(entry.created) || 0,
    production: entry.production === true,
    preview: entry.preview === true,
  }));
}

/** Puts request.deployment back in production; resolves {id, url, state} of the live one. */
export async function rollBack(request, onProgress) {
  const live = await run('rollback', request, { deployment: request.deployment ?? undefined }, onProgress);
  await recordHistory({ kind: 'rollback', target: request.provider, project: request.project, link: live.url, id: live.id, state: live.state });
  return { id: String(live.id ?? ''), url: String(live.url ?? ''), state: String(live.state ?? '') };
}

/**
 * Makes request.deployment (a preview) production without a rebuild; resolves {id, url, state,
 * changed} of the live one (changed: false when it was production already, and nothing was sent
 * but the reads).
 */
export async function promote(request, onProgress) {
  const live = await run('promote', request, { deployment: request.deployment }, onProgress);
  if (live.changed) {
    await recordHistory({ kind: 'promote', target: request.provider, project: request.project, link: live.url, id: live.id, state: live.state });
  }
  return { id: String(live.id ?? ''), url: String(live.url ?? ''), state: String(live.state ?? ''), changed: live.changed === true };
}
