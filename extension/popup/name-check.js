// The popup's name checks: before a push, a deployment or a database push, the worker asks the
// core whether the destination accepts the name (protocol.js, CheckNameRequest), so that a name
// the destination would refuse is said at once, in the core's words, before anything is
// exported.

/**
 * {check(destination, name) → Promise of the core's sentence or null, onAnswer(message): settles
 * the check a 'name-checked' answer is for} over port, the popup's port to the worker.
 */
export function nameChecker(port) {
  const waiting = new Map(); // id → resolve
  let last = 0;
  return {
    check(destination, name) {
      const id = ++last;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        port.postMessage({ type: 'check-name', id, destination, name });
      });
    },
    onAnswer({ id, problem }) {
      const resolve = waiting.get(id);
      waiting.delete(id);
      resolve?.(typeof problem === 'string' && problem ? problem : null);
    },
  };
}
