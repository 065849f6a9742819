// The popup's port (protocol.js, POPUP_PORT): one popup, one port. Requests: PopupRequest
// ('inspect', 'export', 'review', 'push', 'deploy', 'database', 'allow-site' with the tab's id;
// 'review-diff',
// 'check-name', 'history', 'rollback'); answers: PopupAnswer ('project' | 'none' for inspect;
// 'progress'… then the run's answer or 'error'; after 'pushed', 'checks' on each change of the
// commit's CI verdict while the port stays open; 'review-diff'; 'name-checked'; 'history' then
// one 'history-project' per deployed project; 'rollback-progress'… then 'rolled-back' and a fresh
// 'history-project', or 'rollback-error'). An
// error a token in Settings would fix says so with `settings: true`. No token ever crosses this
// port: the popup is only told whether one is set. The names the popup shows (builders',
// destinations') come with the answers, from the core's catalog.
import { databaseTab } from '../actions/database.js';
import { deployTab, listDeployments, promote, rollBack } from '../actions/deploy.js';
import { lastDeployedAsPreview } from '../store/deploy-stages.js';
import { downloadExport } from '../actions/download-export.js';
import { zipChoice } from '../actions/zip-choice.js';
import { pushTab } from '../actions/github-push.js';
import { reviewDiffOf, reviewTab } from '../actions/github-review.js';
import { destinations } from '../core/catalog.js';
import { defaultCommitMessage, nameProblem, suggestName } from '../core/wasm.js';
import { allowSite } from '../sources/bolt-diy.js';
import { exportTab, inspectTab } from '../sources/builders.js';
import { forgeTargets } from '../store/forge-hosts.js';
import { deployedProjects, readHistory } from '../store/history.js';
import { lastRepository } from '../store/recent-repos.js';
import { lastSupabaseRef } from '../store/supabase-refs.js';
import { tokenStatus } from '../store/tokens.js';
import { sentenceFor } from '../wording/errors.js';
import { checksFollower } from './checks-follow.js';
import { answerRun, logFailure, portPoster } from './post.js';
import { databaseRequestFrom, deployRequestFrom, diffRequestFrom, nameCheckFrom, pushRequestFrom } from './requests.js';

// Errors the options page fixes: no token, a refused one, one without access.
const SETTINGS_CODES = new Set(['no-token', 'bad-token', 'forbidden']);
const withSettings = (error) => ({ settings: SETTINGS_CODES.has(error?.code) });

/** Whether service's token is set (false when the storage cannot be read). */
const tokenSet = async (service) => (await tokenStatus(service).catch(() => ({ set: false }))).set;

// The runs on the tab's project, by request type: each answers 'progress'… then its answer or
// 'error'. follow(pushed): the port's checks follow-up (checks-follow.js).
const TAB_RUNS = {
  inspect: (tabId, _message, post) => inspect(tabId, post),
  // "Use Liftoff on this site" (a page that looks like bolt.diy): then the project card.
  'allow-site': async (tabId, message, post) => {
    const allowed = typeof message.origin === 'string' && (await allowSite(tabId, message.origin).catch(() => false));
    if (allowed) {
      await inspect(tabId, post);
      return;
    }
    post({ type: 'none', message: 'Liftoff could not start on this page. Reload the tab, open Liftoff and try again.', offerDrop: true });
  },
  export: (tabId, _message, post) =>
    answerRun(post, { answer: 'done', what: 'export', fallback: 'The export failed' }, async (progress) => {
      const zip = await zipChoice();
      return downloadExport(await exportTab(tabId, progress, zip.core), progress, zip);
    }),
  review: (tabId, message, post) =>
    answerRun(post, { answer: 'reviewed', what: 'review', fallback: 'The review failed' }, (progress) =>
      reviewTab(tabId, pushRequestFrom(message), progress),
    ),
  push: async (tabId, message, post, follow) => {
    const pushed = await answerRun(post, { answer: 'pushed', what: 'push', fallback: 'The push failed' }, (progress) =>
      pushTab(tabId, pushRequestFrom(message), progress),
    );
    if (pushed?.followsChecks) follow(pushed);
  },
  deploy: async (tabId, message, post) => {
    const request = await deployRequestFrom(message);
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
  const follow = checksFollower(port, post);
  port.onMessage.addListener((message) => {
    if (message?.type === 'history') {
      showHistory(post);
      return;
    }
    if (message?.type === 'review-diff') {
      const asked = diffRequestFrom(message);
      if (asked) post({ type: 'review-diff', ...reviewDiffOf(asked.review, asked.path) });
      return;
    }
    if (message?.type === 'check-name') {
      checkName(message, post);
      return;
    }
    if (message?.type === 'rollback' || message?.type === 'promote') {
      deployRequestFrom(message).then((request) => {
        if (request?.project && request.deployment) runRollback(request, post, message.type);
      });
      return;
    }
    if (!Number.isInteger(message?.tabId)) return;
    if (Object.hasOwn(TAB_RUNS, message.type)) TAB_RUNS[message.type](message.tabId, message, post, follow);
  });
}

/** Answers whether a destination accepts a name (protocol.js, NameChecked): the core's sentence, or null. */
async function checkName(message, post) {
  const check = nameCheckFrom(message);
  if (!check) return;
  try {
    post({ type: 'name-checked', id: check.id, problem: await nameProblem(check.destination, check.name) });
  } catch (error) {
    post({ type: 'name-checked', id: check.id, problem: sentenceFor(error, 'Liftoff could not check the name') });
    logFailure('name check', error);
  }
}

async function inspect(tabId, post) {
  try {
    const found = await inspectTab(tabId);
    if (found.type === 'project') {
      found.github = await githubState(found.key, found.builder);
      found.deploy = await deployState(found.name);
      found.deployPreview = await lastDeployedAsPreview(found.key).catch(() => false);
      found.database = await databaseState(found.key);
    }
    post(found);
  } catch (error) {
    post({ type: 'none', message: sentenceFor(error, 'Liftoff could not read this project'), offerDrop: true });
    logFailure('inspect', error);
  }
}

/**
 * {tokenSet, forge, forges, repository, branch, pr, message}: what the push form starts from
 * (the last push of this project; forges: every target, store/forge-hosts.js, with {id, name,
 * forge, host, word, tokenSet}; forge: the last one pushed to when it is still offered, else GitHub;
 * tokenSet: the chosen one's; aws: the AWS route the last push went with, or null; message: the core's default commit message for an export from
 * builder, now).
 */
async function githubState(key, builder) {
  const [targets, last, message] = await Promise.all([
    forgeTargets(),
    lastRepository(key).catch(() => null),
    defaultCommitMessage(builder, Date.now()),
  ]);
  const forges = await Promise.all(targets.map(async ({ id, name, forge, host, word }) => ({ id, name, forge, host, word, tokenSet: await tokenSet(id) })));
  const chosen = forges.find((f) => f.id === last?.forge) ?? forges[0];
  return {
    tokenSet: chosen?.tokenSet === true,
    forge: chosen?.id ?? 'github',
    forges,
    repository: chosen?.id === (last?.forge ?? 'github') ? (last?.repository ?? '') : '',
    branch: last?.branch ?? '',
    pr: last?.pr === true,
    aws: last?.aws ?? null,
    message,
  };
}

/**
 * [{id, name, word, tokenSet, suggestion}], one per hosting destination of the catalog: what the
 * deploy buttons and form start from (suggestion: the name the core makes of the project's, or
 * '').
 */
async function deployState(projectName) {
  return Promise.all(
    (await destinations('hosting')).map(async ({ id, name, word, suggests }) => ({
      id,
      name,
      word,
      tokenSet: await tokenSet(id),
      suggestion: (suggests && (await suggestName(id, projectName))) || '',
    })),
  );
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
  const names = Object.fromEntries((await destinations()).map(({ id, name }) => [id, name]));
  post({ type: 'history', entries, projects, names });
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

/**
 * A rollback or a promotion (kind): 'rollback-progress'… then 'rolled-back' {live, changed} or
 * 'rollback-error', each with the kind, then the project's fresh listing.
 */
async function runRollback(request, post, kind = 'rollback') {
  const { provider, project, deployment } = request;
  const onProgress = ({ done, total }) => post({ type: 'rollback-progress', kind, provider, project, done, total });
  try {
    const live = kind === 'promote' ? await promote(request, onProgress) : await rollBack(request, onProgress);
    post({ type: 'rolled-back', kind, provider, project, deployment, live, changed: live.changed !== false });
  } catch (error) {
    const fallback = kind === 'promote' ? 'The promotion failed' : 'The rollback failed';
    post({ type: 'rollback-error', kind, provider, project, deployment, message: sentenceFor(error, fallback), ...withSettings(error) });
    logFailure(kind, error);
    return;
  }
  await refreshProject({ provider, project }, post);
}
