// Waiting in tests for what the code under test does a few tasks later.

/** Resolves once predicate() is true, checking after each task; rejects after timeoutMs. */
export async function waitFor(predicate, timeoutMs = 2000) {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('waitFor: timed out');
    await new Promise((resolve) => {
      setImmediate(resolve);
    });
  }
}

/** Resolves after the tasks queued now (and a few they queue) have run. */
export async function settle(rounds = 10) {
  for (let i = 0; i < rounds; i++) {
    await new Promise((resolve) => {
      setImmediate(resolve);
    });
  }
}
