// A local HTTPS stand-in for bolt.new. Chromium reaches it through
// --host-resolver-rules="MAP bolt.new 127.0.0.1:<port>", so the extension's content-script
// match on https://bolt.new/* is exercised exactly as shipped. Served over plain HTTP
// (secure: false) it stands in for bolt.diy at http://localhost:<port>.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { makeCertificate } from '../../servers/tls.mjs';

const page = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

const APP_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../site/bolt-app.js');
const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A hosted project's page: its title in the header and the Export menu (site/bolt-app.js). */
function projectPage({ title, zipName, variant }) {
  const trigger =
    variant === 'icon'
      ? '<button id="export-trigger" type="button" aria-haspopup="menu" aria-expanded="false"><svg width="16" height="16"><circle cx="8" cy="8" r="3"/></svg></button>'
      : '<button id="export-trigger" type="button" aria-haspopup="menu" aria-expanded="false"><span>Export</span></button>';
  return `<!doctype html><html lang="en" data-zip-name="${escapeHtml(zipName)}"><head><meta charset="utf-8"><title>${escapeHtml(title)} | Bolt</title></head><body><header><span data-project-title>${escapeHtml(title)}</span>${trigger}</header><main id="root">WebContainer</main><script type="module" src="/bolt-app.js"></script></body></html>`;
}

/**
 * histories: {urlId: () => JSON text}. Routes: /chat/<urlId> for one of them seeds boltHistory
 * with that history (seed.js fetches /history/<urlId>.json) and then shows the chat; /plain is a
 * page that is not Bolt at all; any other page has no script, so nothing is stored.
 * projects: {id: {title, zipName, zip: () => Buffer, variant?: 'icon'}}: hosted projects at
 * /~/<id>, whose Export → Download saves the zip (/zip/<id>.zip) under zipName.
 */
export async function startBoltServer({ tmpDir, histories, seedScriptPath, projects = {}, secure = true }) {
  const handler = (req, res) => {
    const { pathname } = new URL(req.url, 'https://bolt.new');
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const chat = /^\/(chat|history)\/([^/]+?)(\.json)?$/.exec(pathname);
    const history = chat && Object.hasOwn(histories, chat[2]) ? histories[chat[2]] : null;
    if (history && chat[1] === 'history' && chat[3]) return send(200, 'application/json', history());
    if (pathname === '/seed.js') return send(200, 'text/javascript', readFileSync(seedScriptPath));
    if (pathname === '/bolt-app.js') return send(200, 'text/javascript', readFileSync(APP_SCRIPT));
    const hosted = /^\/(~|zip)\/([^/]+?)(\.zip)?$/.exec(pathname);
    const project = hosted && Object.hasOwn(projects, hosted[2]) ? projects[hosted[2]] : null;
    if (project && hosted[1] === 'zip' && hosted[3]) return send(200, 'application/zip', project.zip());
    if (project && hosted[1] === '~' && !hosted[3]) return send(200, 'text/html', projectPage(project));
    if (pathname === '/plain') return send(200, 'text/html', page('Team notes', '<div id="root">Notes</div>'));
    if (pathname === '/favicon.ico') return send(404, 'text/plain', '');
    if (history && chat[1] === 'chat' && !chat[3]) {
      return send(200, 'text/html', page('Bolt chat', '<div id="root">chat</div><script type="module" src="/seed.js"></script>'));
    }
    return send(200, 'text/html', page('Bolt', '<div id="root">What do you want to build?</div>'));
  };
  const server = secure ? createServer(makeCertificate(['bolt.new'], tmpDir), handler) : createHttpServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}
