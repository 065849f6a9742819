// One popup, one port. Requests: {type: 'inspect', tabId}, {type: 'export', tabId},
// {type: 'push', tabId, repository, create, private, branch, message, key},
// {type: 'deploy', tabId, provider, project}, {type: 'database', tabId, ref, key},
// {type: 'history'} and {type: 'rollback', provider, project, deployment}.
// Answers: 'project' | 'none' for inspect; 'progress'… then 'done' | 'error' for export,
// 'progress'… then 'pushed' | 'error' for push, 'progress'… then 'deployed' | 'error' for
// deploy, 'progress'… then 'database-applied' | 'error' (with `detail`: the failing statement)
// for database; 'history' then one 'history-project' per deployed project for history;
// 'rollback-progress'… then 'rolled-back' (and a fresh 'history-project') | 'rollback-error'.
// An error a token in Settings would fix says so with `settings: true`. No token ever crosses
// this port: the popup is only told whether one is set.
import { deliver, exportTab, inspectTab } from './builders.js';
import { databaseRequestFrom, databaseTab } from './database.js';
import { deployRequestFrom, deployTab, listDeployments, rollBack } from './deploy.js';
import { sentenceFor } from './errors.js';
import { pushRequestFrom, pushTab } from './github-push.js';
import { deployedProjects, readHistory } from './history.js';
import { portPoster, logFailure } from './ports.js';
import { lastRepository } from './recent-repos.js';
import { lastSupabaseRef } from './supabase-refs.js';
import { tokenStatus } from './token-store.js';

// Errors the options page fixes: no token, a refused one, one without access.
const SETTINGS_CODES = new Set(['no-token', 'bad-token', 'forbidden']);
const settingsFix = (error) => SETTINGS_CODES.has(error?.code);

export function attachPopup(port) {
  const post = portPoster(port);
  port.onMessage.addListener((message) => {
    if (message?.type === 'history') return showHistory(post);
    if (message?.type === 'rollback') {
      const request = deployRequestFrom(message);
      if (request?.project && request.deployment) runRollback(request, post);
      return;
    }
    if (!Number.isInteger(message?.tabId)) return;
    if (message.type === 'inspect') inspect(message.tabId, post);
    else if (message.type === 'export') runExport(message.tabId, post);
    else if (message.type === 'push') runPush(message.tabId, pushRequestFrom(message), post);
    else if (message.type === 'deploy') {
      const request = deployRequestFrom(message);
      if (request) runDeploy(message.tabId, request, post);
    } else if (message.type === 'database') runDatabase(message.tabId, databaseRequestFrom(message), post);
  });
}

async function inspect(tabId, post) {
  try {
    const found = await inspectTab(tabId);
    if (found.type === 'project') {
      found.github = await githubState(found.key);
      found.deploy = await deployState();
      found.database = await databaseState(found.key);
    }
    post(found);
  } catch (error) {
    post({ type: 'none', message: sentenceFor(error, 'Liftoff could not read this project'), offerDrop: true });
    logFailure('inspect', error);
  }
}

/** {tokenSet, repository, branch}: what the push form starts from. */
async function githubState(key) {
  const [status, last] = await Promise.all([
    tokenStatus('github').catch(() => ({ set: false })),
    lastRepository(key).catch(() => null),
  ]);
  return { tokenSet: status.set, repository: last?.repository ?? '', branch: last?.branch ?? '' };
}

async function runExport(tabId, post) {
  const progress = (step) => post({ type: 'progress', ...step });
  try {
    const result = await exportTab(tabId, progress);
    post({ type: 'done', ...(await deliver(result, progress)) });
  } catch (error) {
    post({ type: 'error', message: sentenceFor(error, 'The export failed') });
    logFailure('export', error);
  }
}

async function runPush(tabId, request, post) {
  const progress = (step) => post({ type: 'progress', ...step });
  try {
    post({ type: 'pushed', ...(await pushTab(tabId, request, progress)) });
  } catch (error) {
    post({ type: 'error', message: sentenceFor(error, 'The push failed') });
    logFailure('push', error);
  }
}

/** {vercel: {tokenSet}, netlify: {tokenSet}}: what the deploy forms start from. */
async function deployState() {
  const set = async (provider) => ({ tokenSet: (await tokenStatus(provider).catch(() => ({ set: false }))).set });
  return { vercel: await set('vercel'), netlify: await set('netlify') };
}

async function runDeploy(tabId, request, post) {
  const progress = (step) => post({ type: 'progress', ...step });
  try {
    post({ type: 'deployed', ...(await deployTab(tabId, request, progress)) });
  } catch (error) {
    post({ type: 'error', message: sentenceFor(error, 'The deployment failed'), settings: settingsFix(error) });
    logFailure('deploy', error);
  }
}

/** {tokenSet, ref}: what the Database step's form starts from. */
async function databaseState(key) {
  const [status, ref] = await Promise.all([
    tokenStatus('supabase').catch(() => ({ set: false })),
    lastSupabaseRef(key).catch(() => null),
  ]);
  return { tokenSet: status.set, ref: ref ?? '' };
}

async function runDatabase(tabId, request, post) {
  const progress = (step) => post({ type: 'progress', ...step });
  try {
    post({ type: 'database-applied', ...(await databaseTab(tabId, request, progress)) });
  } catch (error) {
    post({
      type: 'error',
      message: sentenceFor(error, 'Putting the database in Supabase failed'),
      settings: settingsFix(error),
      detail: typeof error?.detail === 'string' ? error.detail : null,
    });
    logFailure('database', error);
  }
}

/**
 * The recorded history at once, then each deployed project's deployments as the provider lists
 * them (one listing per provider and project with a token set; all at once).
 */
async function showHistory(post) {
  let entries = [];
  try {
    entries = await readHistory();
  } catch (error) {
    logFailure('history', error);
  }
  const projects = await Promise.all(
    deployedProjects(entries).map(async (project) => ({
      ...project,
      tokenSet: (await tokenStatus(project.provider).catch(() => ({ set: false }))).set,
    })),
  );
  post({ type: 'history', entries, projects });
  await Promise.all(projects.filter((p) => p.tokenSet).map((project) => refreshProject(project, post)));
}

async function refreshProject({ provider, project }, post) {
  try {
    post({ type: 'history-project', provider, project, deployments: await listDeployments({ provider, project }) });
  } catch (error) {
    post({ type: 'history-project', provider, project, error: sentenceFor(error, 'The listing failed'), settings: settingsFix(error) });
    logFailure('deployment listing', error);
  }
}

async function runRollback(request, post) {
  const { provider, project } = request;
  const onProgress = ({ done, total }) => post({ type: 'rollback-progress', provider, project, done, total });
  try {
    const live = await rollBack(request, onProgress);
    post({ type: 'rolled-back', provider, project, live });
  } catch (error) {
    post({ type: 'rollback-error', provider, project, message: sentenceFor(error, 'The rollback failed'), settings: settingsFix(error) });
    logFailure('rollback', error);
    return;
  }
  await refreshProject({ provider, project }, post);
}
