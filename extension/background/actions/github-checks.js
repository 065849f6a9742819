// The CI verdict of a pushed commit: the core's ChecksSession reads the commit's check runs and
// status until they pass or fail (every 3 s, then backing off), and each change is told to the
// popup while it stays open; the popup's port closing aborts the run (the session is freed at
// once). The state word is kept on the push's History entry, never more.
import { runSession } from '../core/run-session.js';
import { openChecksSession } from '../core/wasm.js';
import { recordChecks } from '../store/history.js';
import { readToken } from '../store/tokens.js';
import { UserError } from '../wording/errors.js';
import { noForgeToken } from '../wording/messages.js';

const STATES = new Set(['queued', 'running', 'passed', 'failed', 'none']);
const httpsOrNull = (url) => (typeof url === 'string' && /^https:\/\//.test(url) ? url : null);

/**
 * A verdict of the core (finish() or latest()) as the popup shows it (protocol.js, Checks
 * without type and commit): {state, final, total, failing: {name, url} | null, timedOut}; null
 * for anything else. final: the core stopped following (a state 'none' before then means no check
 * was reported yet).
 */
export function verdictOf(checks, final) {
  if (!STATES.has(checks?.state)) return null;
  const failing = typeof checks.failing?.name === 'string' ? { name: checks.failing.name, url: httpsOrNull(checks.failing.url) } : null;
  return {
    state: checks.state,
    final: final === true,
    total: Array.isArray(checks.checks) ? checks.checks.length : 0,
    failing,
    timedOut: checks.timed_out === true,
  };
}

/**
 * Follows the checks of a pushed commit ({forge, forgeName, repository, commit}: the push's
 * result, on a forge whose checks Liftoff follows: followsChecks) until they
 * pass or fail, or until signal aborts (rejecting with its reason). onVerdict(verdict) on each
 * change (see verdictOf); each new state but a provisional 'none' goes to the push's History
 * entry. Throws the core's errors as they are (a sentence: wording/messages.js, checksUnread).
 */
export async function followChecks({ forge, forgeName, repository, commit }, onVerdict, signal) {
  const token = await readToken(forge);
  if (!token) throw new UserError(noForgeToken(forgeName), 'no-token');
  let shown = '';
  let recorded = null;
  const tell = (checks, final) => {
    const verdict = verdictOf(checks, final);
    const key = JSON.stringify(verdict);
    if (!verdict || key === shown) return;
    shown = key;
    onVerdict(verdict);
    if (verdict.state !== recorded && (verdict.state !== 'none' || final)) {
      recorded = verdict.state;
      recordChecks(repository, commit, verdict.state);
    }
  };
  const session = await openChecksSession(repository, commit, token);
  tell(await runSession(session, () => tell(session.latest(), false), { signal }), true);
}
