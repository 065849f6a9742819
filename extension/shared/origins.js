// What the options page and the worker share about a self-managed host's address: the one
// form it is kept in, so both sides agree on what was granted and what is stored.

/** The https origin of text (`https://host[:port]`), without path, user or query; or null. */
export function httpsOrigin(text) {
  try {
    const url = new URL(String(text).trim());
    if (url.protocol !== 'https:' || url.username || url.password || !url.hostname) return null;
    return url.origin;
  } catch {
    return null;
  }
}
