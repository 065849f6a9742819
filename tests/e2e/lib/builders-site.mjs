// One local HTTPS server standing in for Lovable and Base44, reached through
// --host-resolver-rules at their real host names, so the manifest's content-script matches and
// host permissions, and the core's default API origins, are exercised exactly as shipped:
//   lovable.dev                      the editor page (a title and nothing else)
//   api.lovable.dev, lovable-api.com the Lovable API stand-in (tests/servers/lovable.mjs)
//   app.base44.com                   /api/… → the Base44 stand-in (tests/servers/base44.mjs);
//                                    any other path → the editor page
// Every request is recorded with its host and whether it carried an Authorization header.
import { createServer } from 'node:https';

import { makeCertificate } from '../../servers/tls.mjs';

export const HOSTS = ['lovable.dev', 'api.lovable.dev', 'lovable-api.com', 'app.base44.com'];

const page = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

/** lovable, base44: the stand-ins' APIs (createLovableApi, createBase44Api). */
export async function startBuildersSite({ tmpDir, lovable, base44, titles = {} }) {
  const seen = [];
  const server = createServer(makeCertificate(HOSTS, tmpDir), (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    seen.push({ host, method: req.method, path: req.url, authorization: req.headers.authorization ?? null });
    const html = (title, text) => {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
      res.end(page(title, `<div id="root">${text}</div>`));
    };
    if (host === 'api.lovable.dev' || host === 'lovable-api.com') return lovable.handle(req, res);
    if (host === 'app.base44.com' && req.url.startsWith('/api/')) return base44.handle(req, res);
    if (req.url === '/favicon.ico') {
      res.writeHead(404);
      return res.end();
    }
    if (host === 'lovable.dev') return html(titles.lovable ?? 'Lovable', 'Lovable editor');
    if (host === 'app.base44.com') return html(titles.base44 ?? 'Base44', 'Base44 editor');
    res.writeHead(421);
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    /** Every request so far: {host, method, path, authorization}. */
    requests: () => seen.map((r) => ({ ...r })),
    titles,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
