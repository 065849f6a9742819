// After a push from the popup, the commit's checks are followed while that popup stays open
// (protocol.js, Checks): one follow-up per popup at a time (a new push's replaces the last), all
// stopped when the popup's port disconnects, which aborts the core's session and frees it.
import { followChecks } from '../actions/github-checks.js';
import { checksUnread } from '../wording/messages.js';
import { logFailure } from './post.js';

/**
 * For port (the popup's) and post (its portPoster): follow(pushed) follows the checks of pushed
 * ({repository, commit}, a push's result), posting {type: 'checks', commit, …verdict} on each
 * change, or once {type: 'checks', commit, state: 'unknown', final: true, message} when they
 * cannot be read. Nothing starts once the port is gone.
 */
export function checksFollower(port, post) {
  let gone = false;
  let running = null;
  port.onDisconnect.addListener(() => {
    gone = true;
    running?.abort();
  });
  return function follow(pushed) {
    running?.abort();
    if (gone) return;
    const controller = new AbortController();
    running = controller;
    const { commit } = pushed;
    followChecks(pushed, (verdict) => post({ type: 'checks', commit, ...verdict }), controller.signal).catch((error) => {
      if (controller.signal.aborted) return; // the popup closed, or a newer push took over
      post({ type: 'checks', commit, state: 'unknown', final: true, total: 0, failing: null, timedOut: false, message: checksUnread(error?.code) });
      logFailure('checks', error);
    });
  };
}
