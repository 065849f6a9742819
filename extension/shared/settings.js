// The user's preferences, kept in chrome.storage.local (on disk, so they survive restarts).
// Preferences only: never a token, never anything read from a builder's page. Every key has a
// default and a type here, and nothing else is ever written or read back.
const DEFAULTS = Object.freeze({
  // true: export the builder's files exactly as they are (no cleanup). Default: clean up.
  keepBuilderFiles: false,
  // true: zip downloads at deflate level 1 (faster, larger). Default: level 6.
  fastZip: false,
  // How many workers zip a large download: 0 picks one per core but the browser's own, at
  // least 1, at most 8 (background/actions/zip-choice.js). No control on the options page:
  // set for tests and benchmarks.
  zipWorkers: 0,
});

/** Every setting, each with its stored value when that value has the right type, else the default. */
export async function readSettings() {
  const stored = await chrome.storage.local.get(Object.keys(DEFAULTS));
  const settings = {};
  for (const [name, fallback] of Object.entries(DEFAULTS)) {
    settings[name] = typeof stored[name] === typeof fallback ? stored[name] : fallback;
  }
  return settings;
}

/** Stores one setting; refuses names and types this file does not declare. */
export async function writeSetting(name, value) {
  if (!Object.hasOwn(DEFAULTS, name) || typeof value !== typeof DEFAULTS[name]) {
    throw new TypeError(`not a Liftoff setting: ${name}`);
  }
  await chrome.storage.local.set({ [name]: value });
}
