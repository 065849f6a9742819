// The popup's port (protocol.js, POPUP_PORT): one popup, one port. Requests: PopupRequest
// ('inspect', 'export', 'push', 'deploy', 'database' with the tab's id; 'history', 'rollback');
// answers: PopupAnswer ('project' | 'none' for inspect; 'progress'… then the run's answer or
// 'error'; 'history' then one 'history-project' per deployed project; 'rollback-progress'… then
// 'rolled-back' and a fresh 'history-project', or 'rollback-error'). An error a token in Settings
// would fix says so with `settings: true`. No token ever crosses this port: the popup is only
// told whether one is set.
import { databaseTab } from '../actions/database.js';
import { deployTab, listDeployments, rollBack } from '../actions/deploy.js';
import { downloadExport } from '../actions/download-export.js';
import { pushTab } from '../actions/github-push.js';
import { exportTab, inspectTab } from '../sources/builders.js';
import { deployedProjects, readHistory } from '../store/history.js';
import { lastRepository } from '../store/recent-repos.js';
import { lastSupabaseRef } from '../store/supabase-refs.js';
import { tokenStatus } from '../store/tokens.js';
import { sentenceFor } from '../wording/errors.js';
import { answerRun, logFailure, portPoster } from './post.js';
import { databaseRequestFrom, deployRequestFrom, pushRequestFrom } from './requests.js';

// Errors the options page fixes: no token, a refused one, one without access.
const SETTINGS_CODES = new Set(['no-token', 'bad-token', 'forbidden']);
const withSettings = (error) => ({ settings: SETTINGS_CODES.has(error?.code) });

/** Whether service's token is set (false when the storage cannot be read). */
const tokenSet = async (service) => (await tokenStatus(service).catch(() => ({ set: false }))).set;

// The runs on the tab's project, by request type: each answers 'progress'… then its answer or
// 'error'.
const TAB_RUNS = {
  inspect: (tabId, _message, post) => inspect(tabId, post),
  export: (tabId, _message, post) =>
    answerRun(post, { answer: 'done', what: 'export', fallback: 'The export failed' }, async (progress) =>
      downloadExport(await exportTab(tabId, progress), progress),
    ),
  push: (tabId, message, post) =>
    answerRun(post, { answer: 'pushed', what: 'push', fallback: 'The push failed' }, (progress) =>
      pushTab(tabId, pushRequestFrom(message), progress),
    ),
  deploy: (tabId, message, post) => {
    const request = deployRequestFrom(message);
    if (!request) return;
    answerRun(post, { answer: 'deployed', what: 'deploy', fallback: 'The deployment failed', more: withSettings }, (progress) =>
      deployTab(tabId, request, progress),
    );
  },
  database: (tabId, message, post) =>
    answerRun(
      post,
      {
        answer: 'database-applied',
        what: 'database',
        fallback: 'Putting the database in Supabase failed',
        more: (error) => ({ ...withSettings(error), detail: typeof error?.detail === 'string' ? error.detail : null }),
      },
      (progress) => databaseTab(tabId, databaseRequestFrom(message), progress),
    ),
};

/**
 * Serves one popup's port. A request of an unknown type, or a tab run without an integer tabId,
 * is ignored.
 */
export function attachPopup(port) {
  const post = portPoster(port);
  port.onMessage.addListener((message) => {
    if (message?.type === 'history') {
      showHistory(post);
      return;
    }
    if (message?.type === 'rollback') {
      const request = deployRequestFrom(message);
      if (request?.project && request.deployment) runRollback(request, post);
      return;
    }
    if (!Number.isInteger(message?.tabId)) return;
    if (Object.hasOwn(TAB_RUNS, message.type)) TAB_RUNS[message.type](message.tabId, message, post);
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
  const [set, last] = await Promise.all([tokenSet('github'), lastRepository(key).catch(() => null)]);
  return { tokenSet: set, repository: last?.repository ?? '', branch: last?.branch ?? '' };
}

/** {vercel: {tokenSet}, netlify: {tokenSet}}: what the deploy forms start from. */
async function deployState() {
  return { vercel: { tokenSet: await tokenSet('vercel') }, netlify: { tokenSet: await tokenSet('netlify') } };
}

/** {tokenSet, ref}: what the Database step's form starts from. */
async function databaseState(key) {
  const [set, ref] = await Promise.all([tokenSet('supabase'), lastSupabaseRef(key).catch(() => null)]);
  return { tokenSet: set, ref: ref ?? '' };
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
      tokenSet: await tokenSet(project.provider),
    })),
  );
  post({ type: 'history', entries, projects });
  await Promise.all(projects.filter((p) => p.tokenSet).map((project) => refreshProject(project, post)));
}

async function refreshProject({ provider, project }, post) {
  try {
    post({ type: 'history-project', provider, project, deployments: await listDeployments({ provider, project }) });
  } catch (error) {
    post({ type: 'history-project', provider, project, error: sentenceFor(error, 'The listing failed'), ...withSettings(error) });
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
    post({ type: 'rollback-error', provider, project, message: sentenceFor(error, 'The rollback failed'), ...withSettings(error) });
    logFailure('rollback', error);
    return;
  }
  await refreshProject({ provider, project }, post);
}
