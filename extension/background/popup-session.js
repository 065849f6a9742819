// One popup, one port. Requests: {type: 'inspect', tabId}, {type: 'export', tabId} and
// {type: 'push', tabId, repository, create, private, branch, message, key}.
// Answers: 'project' | 'none' for inspect; 'progress'… then 'done' | 'error' for export, and
// 'progress'… then 'pushed' | 'error' for push. No token ever crosses this port: the popup is
// only told whether one is set.
import { deliver, exportTab, inspectTab } from './builders.js';
import { sentenceFor } from './errors.js';
import { pushRequestFrom, pushTab } from './github-push.js';
import { tokenStatus } from './github-token.js';
import { portPoster, logFailure } from './ports.js';
import { lastRepository } from './recent-repos.js';

export function attachPopup(port) {
  const post = portPoster(port);
  port.onMessage.addListener((message) => {
    if (!Number.isInteger(message?.tabId)) return;
    if (message.type === 'inspect') inspect(message.tabId, post);
    else if (message.type === 'export') runExport(message.tabId, post);
    else if (message.type === 'push') runPush(message.tabId, pushRequestFrom(message), post);
  });
}

async function inspect(tabId, post) {
  try {
    const found = await inspectTab(tabId);
    if (found.type === 'project') found.github = await githubState(found.key);
    post(found);
  } catch (error) {
    post({ type: 'none', message: sentenceFor(error, 'Liftoff could not read this project'), offerDrop: true });
    logFailure('inspect', error);
  }
}

/** {tokenSet, repository, branch}: what the push form starts from. */
async function githubState(key) {
  const [status, last] = await Promise.all([
    tokenStatus().catch(() => ({ set: false })),
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
