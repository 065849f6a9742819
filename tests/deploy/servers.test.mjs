// The deploy stand-ins driven with plain fetch, the way the Rust client will talk to them.
// Netlify (tests/servers/netlify.mjs) follows ../shared/specs/netlify-open-api.yml: a site, the
// account, variables created then replaced, a build from a zip (raw application/zip and
// multipart/form-data), polling until ready, what production serves (with the variable's value
// built in), a failing build that leaves production alone, restore and rollback, paging, 401,
// injected 429s. Vercel (tests/servers/vercel.mjs), for what @vercel/client does not cover
// (vercel-client.test.mjs does the rest): environment upsert, the v6 listing newest first,
// rollback and back, teams kept apart, 403 for a bad token, SHA-1 checks, injected failures.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

import { zip } from '../servers/archive.mjs';
import { startNetlify } from '../servers/netlify.mjs';
import { readTree } from '../servers/tree.mjs';
import { startVercel } from '../servers/vercel.mjs';

const FIXTURE = fileURLToPath(new URL('../fixtures/deploy-app', import.meta.url));
const sha1 = (bytes) => createHash('sha1').update(bytes).digest('hex');

/** The fixture's files with src/message.txt replaced. */
function fixtureWith(message) {
  return readTree(FIXTURE).map((f) => (f.path === 'src/message.txt' ? { path: f.path, bytes: Buffer.from(`${message}\n`) } : f));
}

/** Polls fn until it returns something truthy (every 100 ms, up to 60 s). */
async function until(fn, what) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A GET with a Host header (fetch does not let one be set). */
function getWithHost(origin, path, host) {
  return new Promise((resolve, reject) => {
    const url = new URL(path, origin);
    const req = request({ hostname: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Netlify stand-in, following the OpenAPI description', () => {
  let nf;
  let call;
  const site = 'founder-app';
  const deployIds = {};

  before(async () => {
    nf = await startNetlify({});
    call = async (method, path, { body, token = nf.api.token, headers = {} } = {}) => {
      const isBytes = Buffer.isBuffer(body);
      const res = await fetch(`${nf.origin}/api/v1${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined && !isBytes ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : isBytes ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
    };
  });

  after(async () => {
    await nf?.close();
  });

  /** Posts a zip build and waits for its deploy to finish; returns {build, deploy}. */
  async function buildAndWait(files, { multipart = false } = {}) {
    const bytes = zip(files);
    let started;
    if (multipart) {
      const form = new FormData();
      form.append('zip', new Blob([bytes], { type: 'application/zip' }), 'site.zip');
      const res = await fetch(`${nf.origin}/api/v1/sites/${site}.netlify.app/builds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${nf.api.token}` },
        body: form,
      });
      started = { status: res.status, json: await res.json() };
    } else {
      started = await call('POST', `/sites/${site}/builds`, { body: bytes, headers: { 'content-type': 'application/zip' } });
    }
    assert.equal(started.status, 200, JSON.stringify(started.json));
    assert.equal(started.json.done, false);
    assert.equal(started.json.sha, null);
    assert.equal(started.json.error, null);
    assert.match(started.json.deploy_id, /^[0-9a-f]{24}$/);
    const build = await until(async () => {
      const b = await call('GET', `/builds/${started.json.id}`);
      assert.equal(b.status, 200);
      return b.json.done ? b.json : null;
    }, 'the build');
    const deploy = (await call('GET', `/sites/${site}/deploys/${started.json.deploy_id}`)).json;
    assert.ok(['ready', 'error'].includes(deploy.state), deploy.state);
    return { build, deploy };
  }

  test('accounts, and a site created, found by id, name and domain, and unique', async () => {
    const accounts = await call('GET', '/accounts');
    assert.equal(accounts.status, 200);
    assert.deepEqual(
      accounts.json.map(({ id, slug, name, type }) => ({ id, slug, name, type })),
      [{ id: 'acc-0001', slug: 'founder', name: 'Founder', type: 'personal' }],
    );
    const created = await call('POST', '/founder/sites', { body: { name: site } });
    assert.equal(created.status, 201);
    assert.equal(created.json.name, site);
    assert.equal(created.json.url, `http://${site}.netlify.app`);
    assert.equal(created.json.ssl_url, `https://${site}.netlify.app`);
    assert.equal(created.json.account_id, 'acc-0001');
    assert.equal(created.json.account_slug, 'founder');
    assert.equal(created.json.published_deploy, null);
    for (const ref of [created.json.id, site, `${site}.netlify.app`]) {
      const got = await call('GET', `/sites/${ref}`);
      assert.equal(got.status, 200, ref);
      assert.equal(got.json.id, created.json.id);
    }
    const again = await call('POST', '/sites', { body: { name: site } });
    assert.equal(again.status, 422);
    assert.equal(again.json.code, 422);
    assert.match(again.json.message, /must be unique/);
    const listed = await call('GET', `/sites?name=founder&filter=all`);
    assert.deepEqual(listed.json.map((s) => s.name), [site]);
    assert.deepEqual((await call('GET', '/sites?name=nothing-like-it&filter=all')).json, []);
    assert.equal((await call('GET', '/sites/no-such-site')).status, 404);
  });

  test('variables: created, refused twice, replaced with PUT, listed, recorded with times', async () => {
    const path = `/accounts/acc-0001/env?site_id=${site}`;
    const body = [{ key: 'VITE_GREETING', scopes: ['builds', 'functions', 'runtime', 'post-processing'], values: [{ value: 'hello v1', context: 'all' }] }];
    const created = await call('POST', path, { body });
    assert.equal(created.status, 201);
    assert.equal(created.json[0].key, 'VITE_GREETING');
    assert.equal(created.json[0].values[0].value, 'hello v1');
    assert.ok(created.json[0].values[0].id);
    const twice = await call('POST', path, { body });
    assert.equal(twice.status, 400);
    assert.deepEqual(twice.json, { code: 400, message: 'Environment variable(s) already exist: VITE_GREETING' });
    const firstSet = nf.api.env(site)[0].setAt;
    const replaced = await call('PUT', `/accounts/founder/env/VITE_GREETING?site_id=${site}`, {
      body: { key: 'VITE_GREETING', scopes: ['builds'], values: [{ value: 'hello from netlify', context: 'all' }] },
    });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.json.values[0].value, 'hello from netlify');
    assert.equal((await call('PUT', `/accounts/acc-0001/env/NOPE?site_id=${site}`, { body: { values: [] } })).status, 404);
    const listed = await call('GET', path);
    assert.deepEqual(listed.json.map((v) => [v.key, v.values.map((x) => x.value)]), [['VITE_GREETING', ['hello from netlify']]]);
    const hook = nf.api.env(site);
    assert.equal(hook[0].values[0].value, 'hello from netlify');
    assert.ok(hook[0].setAt > firstSet);
    // A secret's value is not answered back.
    const secret = await call('POST', path, { body: [{ key: 'API_SECRET', is_secret: true, values: [{ value: 's3cr3t', context: 'production' }] }] });
    assert.equal(secret.status, 201);
    assert.equal(secret.json[0].values[0].value, undefined);
    assert.equal((await call('DELETE', `/accounts/acc-0001/env/API_SECRET?site_id=${site}`)).status, 204);
  });

  test('a build from a zip becomes production, serving the built page with the variable', async () => {
    const { build, deploy } = await buildAndWait(fixtureWith('First Netlify deploy'));
    assert.equal(build.error, null);
    assert.equal(deploy.state, 'ready');
    assert.equal(deploy.context, 'production');
    assert.equal(deploy.deploy_ssl_url, `https://${deploy.id}--${site}.netlify.app`);
    assert.ok(deploy.published_at);
    assert.equal(deploy.error_message, null);
    deployIds.first = deploy.id;
    const got = await call('GET', `/sites/${site}`);
    assert.equal(got.json.published_deploy.id, deploy.id);
    assert.equal(nf.api.published(site), deploy.id);
    const page = await fetch(`${nf.origin}/__production/${site}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /text\/html/);
    const html = await page.text();
    assert.match(html, /First Netlify deploy/);
    assert.match(html, /hello from netlify/);
    // The same through the deploy's own address, and by Host as a browser would ask.
    assert.match(await (await fetch(`${nf.origin}/__site/${deploy.id}/index.html`)).text(), /First Netlify deploy/);
    const byHost = await getWithHost(nf.origin, '/', `${site}.netlify.app`);
    assert.equal(byHost.status, 200);
    assert.match(byHost.text, /First Netlify deploy/);
    assert.equal((await fetch(`${nf.origin}/__production/${site}/missing.js`)).status, 404);
  });

  test('a failing build (multipart upload) ends in error with the message; production stays', async () => {
    const { build, deploy } = await buildAndWait(fixtureWith('FAIL on purpose'), { multipart: true });
    assert.equal(deploy.state, 'error');
    assert.equal(
      deploy.error_message,
      "Failed during stage 'building site': Build script returned non-zero exit code: 1: build failed: src/message.txt says FAIL",
    );
    assert.equal(build.error, deploy.error_message);
    assert.equal(deploy.published_at, null);
    deployIds.failed = deploy.id;
    assert.equal(nf.api.published(site), deployIds.first);
    assert.match(await (await fetch(`${nf.origin}/__production/${site}/`)).text(), /First Netlify deploy/);
    assert.equal((await fetch(`${nf.origin}/__site/${deploy.id}/`)).status, 404);
    assert.ok(nf.api.buildLog(deploy.id).some((line) => line.text.includes('says FAIL')));
  });

  test('restore an earlier deploy, then roll back: what production serves follows', async () => {
    const { deploy } = await buildAndWait(fixtureWith('Second Netlify deploy'));
    assert.equal(deploy.state, 'ready');
    deployIds.second = deploy.id;
    assert.match(await (await fetch(`${nf.origin}/__production/${site}/`)).text(), /Second Netlify deploy/);

    const notReady = await call('POST', `/sites/${site}/deploys/${deployIds.failed}/restore`);
    assert.equal(notReady.status, 422);
    assert.equal(notReady.json.code, 422);
    const restored = await call('POST', `/sites/${site}/deploys/${deployIds.first}/restore`);
    assert.equal(restored.status, 201);
    assert.equal(restored.json.id, deployIds.first);
    assert.equal(nf.api.published(site), deployIds.first);
    assert.equal((await call('GET', `/sites/${site}`)).json.published_deploy.id, deployIds.first);
    assert.match(await (await fetch(`${nf.origin}/__production/${site}/`)).text(), /First Netlify deploy/);

    assert.equal((await call('POST', `/sites/${site}/deploys/${deployIds.second}/restore`)).status, 201);
    assert.match(await (await fetch(`${nf.origin}/__production/${site}/`)).text(), /Second Netlify deploy/);
    const rolledBack = await call('PUT', `/sites/${site}/rollback`);
    assert.equal(rolledBack.status, 204);
    assert.equal(nf.api.published(site), deployIds.first);
    assert.match(await (await fetch(`${nf.origin}/__production/${site}/`)).text(), /First Netlify deploy/);
    assert.equal((await call('PUT', `/sites/${site}/rollback`)).status, 422, 'nothing before the first deploy');
  });

  test('deploys are listed newest first, paged with a Link header', async () => {
    const all = await call('GET', `/sites/${site}/deploys`);
    assert.equal(all.status, 200);
    assert.deepEqual(all.json.map((d) => d.id), [deployIds.second, deployIds.failed, deployIds.first]);
    assert.deepEqual(nf.api.deploys(site).map((d) => d.id), [deployIds.second, deployIds.failed, deployIds.first]);
    const page1 = await call('GET', `/sites/${site}/deploys?page=1&per_page=2`);
    assert.equal(page1.json.length, 2);
    assert.match(page1.headers.get('link'), /page=2&per_page=2>; rel="next"/);
    const page2 = await call('GET', `/sites/${site}/deploys?page=2&per_page=2`);
    assert.deepEqual(page2.json.map((d) => d.id), [deployIds.first]);
    assert.equal(page2.headers.get('link'), null);
  });

  test('a zip that escapes its folder is refused before any build', async () => {
    const bad = zip([{ path: '../outside.txt', bytes: Buffer.from('x') }], { folders: false });
    const answer = await call('POST', `/sites/${site}/builds`, { body: bad, headers: { 'content-type': 'application/zip' } });
    assert.equal(answer.status, 400);
    assert.match(answer.json.message, /^Invalid zip: /);
    const empty = await call('POST', `/sites/${site}/builds`, { body: Buffer.alloc(0), headers: { 'content-type': 'application/zip' } });
    assert.equal(empty.status, 422);
  });

  test('401 for a missing or wrong token; OPTIONS 405, counted', async () => {
    for (const token of [null, 'wrong-token']) {
      const answer = await call('GET', '/sites', { token });
      assert.equal(answer.status, 401);
      assert.equal(answer.json.code, 401);
      assert.match(answer.json.message, /^Access Denied: /);
    }
    const before = nf.api.stats().options;
    const options = await fetch(`${nf.origin}/api/v1/sites`, { method: 'OPTIONS' });
    assert.equal(options.status, 405);
    assert.equal(nf.api.stats().options, before + 1);
    const log = nf.api.stats().requests;
    assert.ok(log.some((e) => e.auth === 'wrong' && e.status === 401));
    assert.ok(log.every((e) => typeof e.bytesIn === 'number'));
  });

  test('an injected 429 is answered with Retry-After, once', async () => {
    nf.api.inject({ target: 'sites', kind: 429, retryAfter: 2 });
    const limited = await call('GET', `/sites/${site}`);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');
    assert.deepEqual(limited.json, { code: 429, message: 'Rate limit exceeded' });
    assert.equal((await call('GET', `/sites/${site}`)).status, 200);
    nf.api.inject({ target: 'deploy', kind: 503 });
    assert.equal((await call('GET', `/deploys/${deployIds.first}`)).status, 503);
    assert.equal((await call('GET', `/deploys/${deployIds.first}`)).status, 200);
    nf.api.inject({ target: 'accounts', kind: 'drop' });
    await assert.rejects(fetch(`${nf.origin}/api/v1/accounts`, { headers: { authorization: `Bearer ${nf.api.token}` } }));
    assert.equal(nf.api.stats().injected, 3);
  });
});

describe('Vercel stand-in, what @vercel/client does not exercise', () => {
  let vc;
  let call;

  before(async () => {
    vc = await startVercel({});
    call = async (method, path, { body, token = vc.api.token, headers = {} } = {}) => {
      const isBytes = Buffer.isBuffer(body);
      const res = await fetch(`${vc.origin}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined && !isBytes ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : isBytes ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
    };
  });

  after(async () => {
    await vc?.close();
  });

  /**
   * What the Rust client does: post the deployment, upload what is missing, post again, poll
   * until READY or ERROR. Returns the final deployment.
   */
  async function deploy(name, files, { teamId, target = 'production' } = {}) {
    const q = teamId ? `?teamId=${teamId}` : '';
    const body = {
      name,
      target,
      files: files.map((f) => ({ file: f.path, sha: sha1(f.bytes), size: f.bytes.length })),
      projectSettings: { framework: null, buildCommand: 'npm run build', installCommand: 'npm install', outputDirectory: 'dist' },
    };
    let posted = await call('POST', `/v13/deployments${q}`, { body });
    if (posted.status === 400 && posted.json.error.code === 'missing_files') {
      for (const sha of posted.json.error.missing) {
        const bytes = files.find((f) => sha1(f.bytes) === sha).bytes;
        const up = await call('POST', `/v2/files${q}`, { body: bytes, headers: { 'x-vercel-digest': sha, 'content-type': 'application/octet-stream' } });
        assert.equal(up.status, 200);
        assert.deepEqual(up.json, {});
      }
      posted = await call('POST', `/v13/deployments${q}`, { body });
    }
    assert.equal(posted.status, 200, JSON.stringify(posted.json));
    assert.equal(posted.json.readyState, 'QUEUED');
    assert.match(posted.json.id, /^dpl_/);
    assert.doesNotMatch(posted.json.url, /:\/\//);
    return until(async () => {
      const d = await call('GET', `/v13/deployments/${posted.json.id}${q}`);
      assert.equal(d.status, 200);
      return ['READY', 'ERROR'].includes(d.json.readyState) ? d.json : null;
    }, 'the deployment');
  }

  test('403 {error: {code: forbidden}} for a missing or wrong token; OPTIONS 405', async () => {
    for (const token of [null, 'wrong-token']) {
      const answer = await call('GET', '/v9/projects/anything', { token });
      assert.equal(answer.status, 403);
      assert.equal(answer.json.error.code, 'forbidden');
      assert.equal(answer.json.error.message, 'Not authorized');
    }
    assert.equal((await fetch(`${vc.origin}/v13/deployments`, { method: 'OPTIONS' })).status, 405);
    assert.equal(vc.api.stats().options, 1);
  });

  test('projects: 404 until created, 409 when the name exists', async () => {
    const missing = await call('GET', '/v9/projects/env-app');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { error: { code: 'not_found', message: 'Project not found' } });
    const created = await call('POST', '/v10/projects', { body: { name: 'env-app', framework: null } });
    assert.equal(created.status, 200);
    assert.match(created.json.id, /^prj_/);
    assert.equal(created.json.targets, undefined, 'no production deployment yet');
    const again = await call('POST', '/v10/projects', { body: { name: 'env-app', framework: null } });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'conflict');
    assert.equal((await call('GET', `/v9/projects/${created.json.id}`)).json.name, 'env-app');
    assert.equal((await call('POST', '/v10/projects', { body: { name: 'Not Valid' } })).status, 400);
  });

  test('env: created, refused without upsert, replaced with upsert=true; builds see it', async () => {
    const body = [{ key: 'VITE_GREETING', value: 'hello v1', type: 'encrypted', target: ['production', 'preview', 'development'] }];
    const created = await call('POST', '/v10/projects/env-app/env?upsert=true', { body });
    assert.equal(created.status, 201);
    assert.equal(created.json.created[0].key, 'VITE_GREETING');
    assert.equal(created.json.created[0].value, undefined, 'encrypted values are not answered back');
    const clash = await call('POST', '/v10/projects/env-app/env', { body });
    assert.equal(clash.status, 400);
    assert.equal(clash.json.error.code, 'ENV_ALREADY_EXISTS');
    const setAt = vc.api.env('env-app')[0].setAt;
    body[0].value = 'hello from vercel';
    assert.equal((await call('POST', '/v10/projects/env-app/env?upsert=true', { body })).status, 201);
    const env = vc.api.env('env-app');
    assert.equal(env.length, 1);
    assert.equal(env[0].value, 'hello from vercel');
    assert.ok(env[0].setAt > setAt);

    const d = await deploy('env-app', fixtureWith('Env deploy'));
    assert.equal(d.readyState, 'READY');
    assert.match(await (await fetch(`${vc.origin}/__production/env-app/`)).text(), /hello from vercel/);
    assert.ok(!JSON.stringify(vc.api.stats()).includes('hello from vercel'), 'values never in the log');
  });

  test('v6 lists production deployments newest first; rollback and back, no rebuild', async () => {
    const a = await deploy('history-app', fixtureWith('Deploy A'));
    const b = await deploy('history-app', fixtureWith('Deploy B'));
    const failed = await deploy('history-app', fixtureWith('FAIL now'));
    assert.equal(a.readyState, 'READY');
    assert.equal(b.readyState, 'READY');
    assert.equal(failed.readyState, 'ERROR');
    assert.equal(failed.errorCode, 'BUILD_FAILED');
    assert.equal(failed.errorMessage, 'Command "npm run build" exited with 1: build failed: src/message.txt says FAIL');
    assert.deepEqual(b.alias, ['history-app.vercel.app']);
    assert.ok(b.aliasAssigned);

    const project = (await call('GET', '/v9/projects/history-app')).json;
    assert.equal(project.targets.production.id, b.id);
    const listed = await call('GET', `/v6/deployments?projectId=${project.id}&target=production&limit=100`);
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.json.deployments.map((d) => d.uid), [failed.id, b.id, a.id]);
    assert.deepEqual(listed.json.deployments.map((d) => d.state), ['ERROR', 'READY', 'READY']);
    assert.ok(listed.json.deployments.every((d, i, all) => i === 0 || all[i - 1].created > d.created));
    assert.equal(listed.json.pagination.count, 3);
    assert.equal(listed.json.pagination.next, null);
    const paged = (await call('GET', `/v6/deployments?projectId=history-app&target=production&limit=2`)).json;
    assert.deepEqual(paged.deployments.map((d) => d.uid), [failed.id, b.id]);
    const rest = (await call('GET', `/v6/deployments?projectId=history-app&target=production&limit=2&until=${paged.pagination.next}`)).json;
    assert.deepEqual(rest.deployments.map((d) => d.uid), [a.id]);

    const builds = vc.api.stats().byTarget.deployments;
    const back = await call('POST', `/v9/projects/${project.id}/rollback/${a.id}`);
    assert.equal(back.status, 201);
    assert.equal(vc.api.production('history-app'), a.id);
    assert.equal((await call('GET', '/v9/projects/history-app')).json.targets.production.id, a.id);
    assert.match(await (await fetch(`${vc.origin}/__production/history-app/`)).text(), /Deploy A/);
    assert.equal((await call('POST', `/v9/projects/history-app/rollback/${b.id}`)).status, 201);
    assert.match(await (await fetch(`${vc.origin}/__production/history-app/`)).text(), /Deploy B/);
    assert.equal(vc.api.stats().byTarget.deployments, builds, 'no new deployment for a rollback');

    assert.equal((await call('POST', `/v9/projects/history-app/rollback/${failed.id}`)).status, 400);
    assert.equal((await call('POST', '/v9/projects/history-app/rollback/dpl_nothing')).status, 404);
    assert.equal((await call('POST', `/v9/projects/env-app/rollback/${a.id}`)).status, 404, 'another project');
    // The deployment's own address, and Host-based serving.
    assert.match(await (await fetch(`${vc.origin}/__site/${a.id}/`)).text(), /Deploy A/);
    assert.match((await getWithHost(vc.origin, '/', 'history-app.vercel.app')).text, /Deploy B/);
    assert.match((await getWithHost(vc.origin, '/', a.url)).text, /Deploy A/);
  });

  test('teams are kept apart; every call records its teamId', async () => {
    const created = await call('POST', '/v10/projects?teamId=team_alpha', { body: { name: 'team-app' } });
    assert.equal(created.status, 200);
    assert.equal(created.json.accountId, 'team_alpha');
    assert.equal((await call('GET', '/v9/projects/team-app')).status, 404);
    assert.equal((await call('GET', '/v9/projects/team-app?teamId=team_beta')).status, 404);
    assert.equal((await call('GET', '/v9/projects/team-app?teamId=team_alpha')).status, 200);
    assert.equal((await call('POST', '/v10/projects', { body: { name: 'team-app' } })).status, 200, 'same name, personal account');
    const d = await deploy('team-app', fixtureWith('Team deploy'), { teamId: 'team_alpha' });
    assert.equal(d.readyState, 'READY');
    assert.equal(vc.api.production('team-app', { teamId: 'team_alpha' }), d.id);
    assert.equal(vc.api.production('team-app'), null);
    assert.equal((await call('GET', `/v13/deployments/${d.id}`)).status, 404, 'not in the personal scope');
    assert.equal((await call('GET', `/v6/deployments?projectId=team-app&teamId=team_alpha`)).json.deployments.length, 1);
    assert.equal((await call('GET', `/v6/deployments?projectId=team-app`)).json.deployments.length, 0);
    const teamCalls = vc.api.stats().requests.filter((e) => e.teamId === 'team_alpha');
    assert.ok(teamCalls.some((e) => e.target === 'files'));
    assert.ok(teamCalls.some((e) => e.target === 'status'));
  });

  test('uploads: the SHA-1 must match; missing_files lists exactly the unknown contents', async () => {
    const bytes = Buffer.from('some content');
    const wrong = await call('POST', '/v2/files', { body: bytes, headers: { 'x-vercel-digest': sha1(Buffer.from('other')) } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json.error.code, 'invalid_sha');
    assert.equal((await call('POST', '/v2/files', { body: bytes, headers: { 'x-now-digest': sha1(bytes) } })).status, 200);
    const known = sha1(bytes);
    const unknown = sha1(Buffer.from('never uploaded'));
    const posted = await call('POST', '/v13/deployments', {
      body: { name: 'missing-app', files: [{ file: 'a.txt', sha: known, size: 12 }, { file: 'b.txt', sha: unknown, size: 14 }] },
    });
    assert.equal(posted.status, 400);
    assert.deepEqual(posted.json, { error: { code: 'missing_files', message: 'Missing files', missing: [unknown] } });
    assert.equal((await call('GET', '/v9/projects/missing-app')).status, 404, 'no project for a refused deployment');
    const escaping = await call('POST', '/v13/deployments', { body: { name: 'missing-app', files: [{ file: '../x', sha: known, size: 12 }] } });
    assert.equal(escaping.status, 400);
  });

  test('injected failures: 429 with Retry-After, 5xx, a dropped connection, each once', async () => {
    vc.api.inject({ target: 'status', kind: 429, retryAfter: 3 });
    const limited = await call('GET', '/v13/deployments/dpl_whatever');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    assert.equal(limited.json.error.code, 'rate_limited');
    assert.equal((await call('GET', '/v13/deployments/dpl_whatever')).status, 404);
    vc.api.inject({ target: 'project', kind: 502 });
    assert.equal((await call('GET', '/v9/projects/env-app')).status, 502);
    assert.equal((await call('GET', '/v9/projects/env-app')).status, 200);
    vc.api.inject({ target: 'list', kind: 'drop' });
    await assert.rejects(fetch(`${vc.origin}/v6/deployments`, { headers: { authorization: `Bearer ${vc.api.token}` } }));
    const stats = await (await fetch(`${vc.origin}/__stats`)).json();
    assert.equal(stats.injected, 3);
    assert.ok(stats.requests.some((e) => e.status === 'dropped' && e.target === 'list'));
  });
});
