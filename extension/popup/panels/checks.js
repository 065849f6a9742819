// The CI verdict under a push's result (protocol.js, Checks): the worker follows the commit's
// checks while the popup stays open and posts each change; this line says where they stand
// (waiting, queued, running, passed, failed with the failing check as a link, no checks
// reported). Text only: every value is set with textContent, and only an https address becomes
// a link.
import { plural } from '../../shared/format.js';

const $ = (id) => document.getElementById(id);
const ui = {
  box: $('push-checks'),
  text: $('push-checks-text'),
  link: $('push-checks-link'),
};

let commit = null; // the pushed commit the line is about

/** What the line says for a verdict; link: the failing check, when there is one. */
function wording({ state, final, total, failing, timedOut, message }) {
  const checks = plural(Number.isInteger(total) ? total : 0, 'check');
  if (timedOut) return { shown: 'running', text: `${checks} still running after 30 minutes: see the commit on GitHub.` };
  switch (state) {
    case 'queued':
      return { shown: 'queued', text: `Checks queued (${checks})…` };
    case 'running':
      return { shown: 'running', text: `Checks running (${checks})…` };
    case 'passed':
      return { shown: 'passed', text: `Checks passed (${checks}).` };
    case 'failed':
      return { shown: 'failed', text: 'Check failed:', link: failing };
    case 'none':
      return final ? { shown: 'none', text: 'No checks reported for this commit.' } : { shown: 'waiting', text: 'Waiting for the checks to start…' };
    default:
      return { shown: 'unknown', text: typeof message === 'string' ? message : 'The checks could not be read.' };
  }
}

function render(verdict) {
  const { shown, text, link } = wording(verdict);
  ui.box.dataset.state = shown;
  ui.text.textContent = text;
  ui.link.hidden = !link;
  ui.link.textContent = link?.name ?? '';
  ui.link.title = link?.url ?? '';
  if (typeof link?.url === 'string' && /^https:\/\//.test(link.url)) ui.link.href = link.url;
  else ui.link.removeAttribute('href');
  ui.box.hidden = false;
}

/** A push of forCommit just finished: the line waits for its first verdict. */
export function awaitChecks(forCommit) {
  commit = typeof forCommit === 'string' ? forCommit : null;
  render({ state: 'none', final: false });
}

/** A verdict from the worker: shown when it is about the commit on screen. */
export function showChecks(message) {
  if (commit !== null && message?.commit === commit) render(message);
}

/** Hides the line (a new run starts). */
export function hideChecks() {
  commit = null;
  ui.box.hidden = true;
}
