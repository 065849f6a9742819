// Chrome stops an idle extension service worker after 30 s without extension events or API
// calls; fetches and timers alone do not count. While an export runs (a Retry-After can ask for
// a minute), a cheap API call every 20 s keeps the worker and its in-memory state alive.
const PERIOD_MS = 20_000;
let holders = 0;
let timer = null;

/** Runs work() with the worker held awake; resolves or rejects as work does. */
export async function whileAwake(work) {
  holders++;
  timer ??= setInterval(() => {
    chrome.runtime.getPlatformInfo().catch(() => {});
  }, PERIOD_MS);
  try {
    return await work();
  } finally {
    if (--holders === 0) {
      clearInterval(timer);
      timer = null;
    }
  }
}
