// Runs in bolt.new's own JavaScript world at document_start (manifest: "world": "MAIN"): the only
// place that sees the page save a zip. Bolt's Download builds the zip in memory, makes a `blob:`
// URL of it and clicks an `a[download]`, often a detached one that no document listener sees
// (browser.md, "Catching a page's own download"). This script wraps URL.createObjectURL (to keep
// the Blob: the page revokes the URL within seconds), HTMLAnchorElement.prototype.click and
// EventTarget.prototype.dispatchEvent (both styles of clicking a detached link), and listens to
// clicks on attached links; each zip the page saves is posted to the content script
// (content/bolt.js) with window.postMessage, Blob and all.
//
// While Liftoff itself asked for the download (content/bolt.js posts {type: 'arm'} just before
// it opens Bolt's Export menu), the page's own download is stopped: the zip goes to Liftoff, not
// to the person's Downloads folder. A download the person starts is never stopped.
//
// This world has no extension APIs and the page can see and tamper with everything here: it
// hands over what the page saves and nothing else, and content/bolt.js treats it as page data.
// The message names are written out as content/bolt.js reads them.
(() => {
  const FROM_PAGE = 'liftoff:bolt-page';
  const FROM_CONTENT = 'liftoff:bolt-content';
  const ARM_MS = 15_000;
  const KEEP_BLOBS = 16; // the page's latest blob: URLs, newest last
  if (window[FROM_PAGE]) return; // injected twice: the first copy already watches
  Object.defineProperty(window, FROM_PAGE, { value: true });

  const blobs = new Map(); // blob: URL -> Blob
  let armedUntil = 0;

  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = function (object) {
    const url = createObjectURL.apply(this, arguments);
    if (object instanceof Blob) {
      blobs.set(url, object);
      if (blobs.size > KEEP_BLOBS) blobs.delete(blobs.keys().next().value);
    }
    return url;
  };

  const isZip = (name, blob) => /\.zip$/i.test(name) || /zip/i.test(blob.type);

  /** Hands a zip the page saves to the content script; true when Liftoff asked for it (stop it). */
  function take(anchor) {
    const href = anchor.href;
    if (typeof href !== 'string' || !href.startsWith('blob:') || !anchor.hasAttribute('download')) return false;
    const blob = blobs.get(href);
    const name = anchor.getAttribute('download') || '';
    if (!blob || !isZip(name, blob)) return false;
    const asked = Date.now() < armedUntil;
    if (asked) armedUntil = 0;
    window.postMessage({ source: FROM_PAGE, type: 'download', name, blob, asked }, location.origin);
    return asked;
  }

  const click = HTMLAnchorElement.prototype.click;
  const dispatchEvent = EventTarget.prototype.dispatchEvent;
  EventTarget.prototype.dispatchEvent = function (event) {
    // A detached link's click never reaches the document listener below.
    if (event?.type === 'click' && this instanceof HTMLAnchorElement && !this.isConnected && take(this)) return false;
    return dispatchEvent.apply(this, arguments);
  };

  // Links in the document: the person's own click, or the page's .click() on an attached link
  // (which the wrapper above already handed over: the same link is not taken twice).
  let lastTaken = null;
  const takeOnce = (anchor) => {
    if (lastTaken === anchor) return false;
    lastTaken = anchor;
    setTimeout(() => (lastTaken = null), 0);
    return take(anchor);
  };
  HTMLAnchorElement.prototype.click = function () {
    if (!takeOnce(this)) click.apply(this, arguments);
  };
  document.addEventListener(
    'click',
    (event) => {
      const anchor = event.target instanceof Element ? event.target.closest('a[download]') : null;
      if (anchor && takeOnce(anchor)) event.preventDefault();
    },
    true,
  );

  window.addEventListener('message', (event) => {
    if (event.source !== window || event.data?.source !== FROM_CONTENT) return;
    if (event.data.type === 'arm') armedUntil = Date.now() + ARM_MS;
    if (event.data.type === 'disarm') armedUntil = 0;
  });
})();
