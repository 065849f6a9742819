// A local HTTPS stand-in for bolt.new. Chromium reaches it through
// --host-resolver-rules="MAP bolt.new 127.0.0.1:<port>", so the extension's content-script
// match on https://bolt.new/* is exercised exactly as shipped.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

import { makeCertificate } from '../../servers/tls.mjs';

const page = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

/**
 * histories: {urlId: () => JSON text}. Routes: /chat/<urlId> for one of them seeds boltHistory
 * with that history (seed.js fetches /history/<urlId>.json) and then shows the chat; any other
 * page has no script, so nothing is stored.
 */
export async function startBoltServer({ tmpDir, histories, seedScriptPath }) {
  const server = createServer(makeCertificate(['bolt.new'], tmpDir), (req, res) => {
    const { pathname } = new URL(req.url, 'https://bolt.new');
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const chat = /^\/(chat|history)\/([^/]+?)(\.json)?$/.exec(pathname);
    const history = chat && Object.hasOwn(histories, chat[2]) ? histories[chat[2]] : null;
    if (history && chat[1] === 'history' && chat[3]) return send(200, 'application/json', history());
    if (pathname === '/seed.js') return send(200, 'text/javascript', readFileSync(seedScriptPath));
    if (pathname === '/favicon.ico') return send(404, 'text/plain', '');
    if (history && chat[1] === 'chat' && !chat[3]) {
      return send(200, 'text/html', page('Bolt chat', '<div id="root">chat</div><script type="module" src="/seed.js"></script>'));
    }
    return send(200, 'text/html', page('Bolt', '<div id="root">What do you want to build?</div>'));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}
