// A Base44 app's backend, as it runs after `liftoff export`: the exported Edge Functions
// (`supabase/functions/base44-core`, and the app's own functions ported from `npm:@base44/sdk`
// to `../_shared/base44.ts`) served by the real Deno (tests/servers/deno.mjs), behind a stand-in
// of the Supabase project (tests/servers/supabase-project.mjs: gateway, Auth, PostgREST with
// the migration's row-level security) and an OpenAI-compatible provider. The app's side is the
// exported src/api/base44Client.js on the real @supabase/supabase-js, calling as the app does:
// the template's sign-up, code, sign-in and password reset, entities under row-level security,
// files on Storage, `base44.functions.invoke('summarizeNotes', …)`, `Core.InvokeLLM(…)`.
//
// Fixture: tests/fixtures/base44/template (Notes Studio, two functions in base44/functions/).
// Needs `cargo build --release -p liftoff-cli` and `npm --prefix tests/deno ci` (Deno itself);
// the first run lets Deno fetch npm:@supabase/supabase-js into tests/deno/.cache.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { denoCheck, serveFunction } from '../servers/deno.mjs';
import { needsPostgres, startPostgres } from '../servers/postgres.mjs';
import { projectDatabase, startLlmProvider, startSupabaseProject } from '../servers/supabase-project.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const liftoff = join(root, 'target/release/liftoff');
const LLM_KEY = 'sk-llm-key-for-tests';

const ADA = { id: '7f6c2f9e-1b2a-4c3d-9e8f-0a1b2c3d4e5f', email: 'ada@example.com', password: 'correct horse', user_metadata: { full_name: 'Ada Lovelace' } };
const GRACE = { id: '0b7c6d5e-4f3a-4b2c-8d1e-9f0a1b2c3d4e', email: 'grace@example.com', password: 'battery staple' };
const NOTES = [
  { id: 'n1', title: 'Launch plan', body: 'Ship on Monday', created_by: ADA.email, created_date: '2025-03-01T10:00:00Z', updated_date: '2025-03-01T10:00:00Z' },
  { id: 'n2', title: 'Hiring', body: 'Two engineers', created_by: ADA.email, created_date: '2025-03-02T10:00:00Z', updated_date: '2025-03-03T10:00:00Z' },
  { id: 'n3', title: 'Not Ada\'s', body: 'Someone else', created_by: GRACE.email, created_date: '2025-03-02T10:00:00Z', updated_date: '2025-03-04T10:00:00Z' },
];

// Skipped only where PostgreSQL is missing and LIFTOFF_SKIP_PG=1 allows it (and counted).
const PG = needsPostgres('off-ramp: Edge Functions on real Deno');
let work;
let modules;
let exported;
let pg;
let database;
let project;
let llm;
const served = [];
let mod;

/** A client of the exported module on the project, as the app makes it (a fresh storage). */
function appClient() {
  const data = new Map();
  const storage = { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v), removeItem: (k) => data.delete(k) };
  // Node 20 has no WebSocket, which realtime-js asks for when the client is made; never opened.
  const realtime = { transport: class NoWebSocket {} };
  const auth = { storage, storageKey: 'liftoff-edge-test', persistSession: true, autoRefreshToken: false, detectSessionInUrl: false };
  return mod.createBase44Client({ url: project.origin, key: project.anonKey, options: { auth, realtime } });
}

/** What the project saw since `mark`, without the gateway's own lines. */
const seen = (mark) => project.log.slice(mark).map((e) => `${e.method} ${e.path} ${e.caller}`);

before(async () => {
  if (PG.skip) return;
  assert.ok(existsSync(liftoff), 'target/release/liftoff is missing: cargo build --release -p liftoff-cli');
  work = mkdtempSync(join(tmpdir(), 'liftoff-edge-'));
  exported = join(work, 'template');
  execFileSync(liftoff, ['export', join(root, 'tests/fixtures/base44/template'), '-o', exported], { stdio: 'pipe' });
  modules = mkdtempSync(join(here, '.modules-'));
  const target = join(modules, 'template.js');
  copyFileSync(join(exported, 'src/api/base44Client.js'), target);
  mod = await import(pathToFileURL(target).href);

  // The project's database: Supabase's setup, then the export's own migrations in order, then
  // the notes (as the owner, as a data import would).
  pg = await startPostgres({ supabase: true });
  database = await projectDatabase(pg, 'notes_studio');
  const migrations = join(exported, 'supabase/migrations');
  for (const file of readdirSync(migrations).sort()) await pg.psql(database, readFileSync(join(migrations, file), 'utf8'));
  const quote = (v) => `'${String(v).replaceAll("'", "''")}'`;
  await pg.psql(database, NOTES.map((n) => `insert into public.note (id, title, body, created_by, created_date, updated_date) values (${[n.id, n.title, n.body, n.created_by, n.created_date, n.updated_date].map(quote).join(', ')});`).join('\n'));
  project = await startSupabaseProject({ pg, database, users: [ADA, GRACE] });
  llm = await startLlmProvider({ apiKey: LLM_KEY });
  // Supabase gives every function these three; the LLM ones are the founder's secrets
  // (supabase/functions/.env.example). No EMAIL_* secrets: SendEmail must say so.
  const env = {
    SUPABASE_URL: project.origin,
    SUPABASE_ANON_KEY: project.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: project.serviceRoleKey,
    LLM_BASE_URL: `${llm.origin}/v1`,
    LLM_API_KEY: LLM_KEY,
    LLM_MODEL: 'gpt-test-mini',
    IMAGE_MODEL: 'image-test-1',
  };
  for (const slug of ['base44-core', 'summarizeNotes', 'syncCalendar']) {
    const fn = await serveFunction(join(exported, 'supabase/functions', slug, 'index.ts'), { env });
    served.push(fn);
    project.route(slug, fn.origin);
  }
});

after(async () => {
  await Promise.all(served.map((fn) => fn.stop()));
  await project?.close();
  await pg?.close();
  await llm?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  if (modules) rmSync(modules, { recursive: true, force: true });
});

describe('the exported backend on real Deno', PG, () => {
  test('the functions are ported: no @base44/sdk, the shared module instead; base44-core type-checks', async () => {
    for (const slug of ['summarizeNotes', 'syncCalendar']) {
      const text = readFileSync(join(exported, 'supabase/functions', slug, 'index.ts'), 'utf8');
      assert.doesNotMatch(text, /@base44\/sdk/, slug);
      assert.match(text, /from '\.\.\/_shared\/base44\.ts'/, slug);
    }
    const names = JSON.parse(readFileSync(join(exported, 'package.json'), 'utf8'));
    assert.ok(!JSON.stringify(names).includes('@base44/sdk'), 'package.json still names @base44/sdk');
    const check = await denoCheck(join(exported, 'supabase/functions/base44-core/index.ts'));
    assert.ok(check.ok, `deno check of base44-core failed:\n${check.output}`);
    // The apps' own functions are JavaScript-grade TypeScript (Base44 never type-checks them:
    // strict mode flags their own `catch (error) { error.message }`, before the port as after
    // it), so they are checked without strict: what the port changed (the import of
    // createClientFromRequest from ../_shared/base44.ts) must resolve and type.
    const ported = ['summarizeNotes', 'syncCalendar'].map((slug) => join(exported, 'supabase/functions', slug, 'index.ts'));
    const loose = await denoCheck(ported, { compilerOptions: { strict: false } });
    assert.ok(loose.ok, `deno check of the ported functions failed:\n${loose.output}`);
  });

  test("summarizeNotes: the app's call reaches the ported function, which reads the notes as the service role and asks the LLM through base44-core", async () => {
    const base44 = appClient();
    await base44.auth.loginViaEmailPassword(ADA.email, ADA.password);
    llm.answers.length = 0;
    llm.answers.push({ summary: '- Launch Monday\n- Hire two', tags: ['plans', 'hiring'] });
    const mark = project.log.length;
    const llmMark = llm.requests.length;
    const answer = await base44.functions.invoke('summarizeNotes', { noteIds: ['n1', 'n2', 'n3'] });
    assert.deepEqual(answer.data, { summary: '- Launch Monday\n- Hire two', tags: ['plans', 'hiring'], count: 2 });
    assert.equal(answer.status, 200);
    const lines = seen(mark);
    // The gateway got the app's call as Ada; the function asked who she is with her token, read
    // the notes with the service role key, and called base44-core as her, which checked her too.
    assert.equal(lines[0], `POST /functions/v1/summarizeNotes user:${ADA.email}`);
    assert.ok(lines.includes(`GET /auth/v1/user user:${ADA.email}`), lines.join('\n'));
    assert.ok(lines.includes('GET /rest/v1/note service_role'), lines.join('\n'));
    assert.ok(lines.includes(`POST /functions/v1/base44-core user:${ADA.email}`), lines.join('\n'));
    const read = project.log.slice(mark).find((e) => e.path === '/rest/v1/note');
    const query = new URLSearchParams(read.query);
    assert.equal(query.get('created_by'), `eq.${ADA.email}`);
    assert.equal(query.get('order'), 'updated_date.desc');
    assert.equal(query.get('limit'), '50');
    // One completion, with the founder's key, the model, the schema, and Ada's notes only.
    const asked = llm.requests.slice(llmMark);
    assert.equal(asked.length, 1);
    assert.equal(asked[0].path, '/v1/chat/completions');
    assert.ok(asked[0].authorized);
    assert.equal(asked[0].body.model, 'gpt-test-mini');
    assert.equal(asked[0].body.response_format.type, 'json_schema');
    assert.deepEqual(asked[0].body.response_format.json_schema.schema.properties.tags, { type: 'array', items: { type: 'string' } });
    const prompt = asked[0].body.messages[0].content[0].text;
    assert.match(prompt, /# Launch plan\nShip on Monday/);
    assert.match(prompt, /# Hiring\nTwo engineers/);
    assert.doesNotMatch(prompt, /Someone else/);
  });

  test('Core.InvokeLLM from the app: the text back; signed out, base44-core refuses before any provider is called', async () => {
    const base44 = appClient();
    await base44.auth.loginViaEmailPassword(ADA.email, ADA.password);
    llm.answers.length = 0;
    llm.answers.push('Bonjour');
    assert.equal(await base44.integrations.Core.InvokeLLM({ prompt: 'Say hello in French' }), 'Bonjour');
    assert.equal(llm.requests.at(-1).body.messages[0].content[0].text, 'Say hello in French');
    assert.equal(llm.requests.at(-1).body.response_format, undefined);

    const before = llm.requests.length;
    const stranger = appClient();
    await assert.rejects(stranger.integrations.Core.InvokeLLM({ prompt: 'free tokens' }), (error) => {
      assert.equal(error.name, 'Base44Error');
      assert.equal(error.status, 401);
      assert.equal(error.code, 'unauthorized');
      assert.match(error.message, /Sign in first/);
      return true;
    });
    assert.equal(llm.requests.length, before, 'the provider was called for a signed-out caller');
  });

  test('SendEmail without the email secrets: the error names the variable to set, as Base44 errors read', async () => {
    const base44 = appClient();
    await base44.auth.loginViaEmailPassword(ADA.email, ADA.password);
    await assert.rejects(base44.integrations.Core.SendEmail({ to: 'x@example.com', subject: 'Hi', body: 'Hello' }), (error) => {
      assert.equal(error.name, 'Base44Error');
      assert.equal(error.status, 500);
      assert.equal(error.code, 'liftoff_not_configured');
      assert.equal(error.data.variable, 'EMAIL_FROM');
      assert.match(error.message, /Set EMAIL_FROM in the base44-core function's secrets/);
      return true;
    });
  });

  test('syncCalendar: the Base44 connector stayed behind, and the ported function says which one', async () => {
    const base44 = appClient();
    await base44.auth.loginViaEmailPassword(ADA.email, ADA.password);
    await assert.rejects(base44.functions.invoke('syncCalendar', {}), (error) => {
      assert.equal(error.name, 'Base44Error');
      assert.equal(error.status, 500);
      assert.match(error.message, /connector googlecalendar/);
      return true;
    });
    const [{ count }] = await pg.psql(database, 'select count(*) from public.note');
    assert.equal(Number(count), NOTES.length, 'nothing was written');
  });

  test('entities on the migration: created_by is the signed-in user, and each user reads only their own rows', async () => {
    const ada = appClient();
    await ada.auth.loginViaEmailPassword(ADA.email, ADA.password);
    const made = await ada.entities.Note.create({ title: 'From the app', body: 'Saved' });
    assert.equal(made.created_by, ADA.email);
    assert.equal(made.status, 'draft'); // the entity schema's default, from the migration
    const mine = await ada.entities.Note.filter({ title: 'From the app' });
    assert.deepEqual(mine.map((n) => n.id), [made.id]);
    const grace = appClient();
    await grace.auth.loginViaEmailPassword(GRACE.email, GRACE.password);
    assert.deepEqual((await grace.entities.Note.list()).map((n) => n.id), ['n3']);
    await assert.rejects(grace.entities.Note.get(made.id), (error) => error.status === 404);
    const signedOut = appClient();
    assert.deepEqual(await signedOut.entities.Note.list(), []);
  });

  test("UploadFile: the bytes land in the user's folder of base44-files, and file_url serves them byte for byte", async () => {
    const base44 = appClient();
    await base44.auth.loginViaEmailPassword(ADA.email, ADA.password);
    const bytes = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 255, 1, 254]);
    const { file_url } = await base44.integrations.Core.UploadFile({ file: new File([bytes], 'cover photo.png', { type: 'image/png' }) });
    assert.ok(file_url.startsWith(`${project.origin}/storage/v1/object/public/base44-files/${ADA.id}/`), file_url);
    const served = await fetch(file_url);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.deepEqual(new Uint8Array(await served.arrayBuffer()), bytes);
    const [{ owner }] = await pg.psql(database, `select owner::text from storage.objects where name like '${ADA.id}/%cover_photo.png'`);
    assert.equal(owner, ADA.id);
    // The migration's policy: no one writes into another user's folder, nor signed out.
    const { error } = await base44.supabase.storage.from('base44-files').upload(`${GRACE.id}/planted.txt`, new Blob(['x']));
    assert.match(error?.message ?? '', /row-level security/);
    await assert.rejects(appClient().integrations.Core.UploadFile({ file: new Blob(['x']) }), (e) => e.name === 'Base44Error' && e.status === 403);
  });

  test('UploadPrivateFile and CreateFileSignedUrl: only the uploader can sign the file; the signed link serves it', async () => {
    const ada = appClient();
    await ada.auth.loginViaEmailPassword(ADA.email, ADA.password);
    const { file_uri } = await ada.integrations.Core.UploadPrivateFile({ file: new Blob(['private notes'], { type: 'text/plain' }) });
    assert.match(file_uri, new RegExp(`^base44-private/${ADA.id}/`));
    const { signed_url } = await ada.integrations.Core.CreateFileSignedUrl({ file_uri, expires_in: 60 });
    assert.equal(await (await fetch(signed_url)).text(), 'private notes');
    const publicly = await fetch(`${project.origin}/storage/v1/object/public/${file_uri}`);
    assert.notEqual(publicly.status, 200);
    const grace = appClient();
    await grace.auth.loginViaEmailPassword(GRACE.email, GRACE.password);
    await assert.rejects(grace.integrations.Core.CreateFileSignedUrl({ file_uri, expires_in: 60 }), (e) => e.name === 'Base44Error');
  });

  test('GenerateImage: base44-core stores the provider\'s image in base44-files; the url serves it byte for byte', async () => {
    const base44 = appClient();
    await base44.auth.loginViaEmailPassword(ADA.email, ADA.password);
    const image = new Uint8Array([137, 80, 78, 71, 1, 2, 3, 250, 251, 252]);
    llm.images.length = 0;
    llm.images.push(image);
    const { url } = await base44.integrations.Core.GenerateImage({ prompt: 'a lighthouse' });
    assert.ok(url.startsWith(`${project.origin}/storage/v1/object/public/base44-files/generated/`), url);
    assert.deepEqual(new Uint8Array(await (await fetch(url)).arrayBuffer()), image);
    const asked = llm.requests.at(-1);
    assert.equal(asked.path, '/v1/images/generations');
    assert.deepEqual(asked.body, { model: 'image-test-1', prompt: 'a lighthouse', n: 1, response_format: 'b64_json' });
  });

  test('sign-up as the template\'s pages do it: register, the emailed code, me, updateMe, logout, and back in', async () => {
    const base44 = appClient();
    const email = 'lin@example.com';
    const registered = await base44.auth.register({ email, password: 'first pass', full_name: 'Lin Wei' });
    assert.equal(registered.access_token, null, 'a session before the code');
    await assert.rejects(base44.auth.loginViaEmailPassword(email, 'first pass'), (e) => e.status === 403 && e.data?.extra_data?.reason === 'email_not_verified');
    await assert.rejects(base44.auth.register({ email: ADA.email, password: 'whatever1' }), (e) => e.code === 'user_already_exists');
    await base44.auth.resendOtp(email);
    const codes = project.mailbox.filter((l) => l.to === email && l.kind === 'signup');
    assert.equal(codes.length, 2);
    await assert.rejects(base44.auth.verifyOtp({ email, otpCode: codes[0].token }), (e) => e.status === 403 && e.code === 'otp_expired');
    const verified = await base44.auth.verifyOtp({ email, otpCode: codes[1].token });
    assert.match(verified.access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const me = await base44.auth.me();
    assert.equal(me.email, email);
    assert.equal(me.full_name, 'Lin Wei');
    assert.equal((await base44.auth.updateMe({ theme: 'dark' })).theme, 'dark');
    assert.equal((await base44.auth.me()).theme, 'dark');
    const note = await base44.entities.Note.create({ title: 'Lin\'s first' });
    assert.equal(note.created_by, email);
    assert.ok(await base44.auth.isAuthenticated());
    await base44.auth.logout();
    assert.equal(await base44.auth.isAuthenticated(), false);
    await assert.rejects(base44.auth.me(), (e) => e.status === 401);
    assert.deepEqual(await base44.entities.Note.list(), []);
    const again = await base44.auth.loginViaEmailPassword(email, 'first pass');
    assert.equal(again.user.email, email);
    assert.deepEqual((await base44.entities.Note.list()).map((n) => n.title), ['Lin\'s first']);
  });

  test('password reset: the emailed link\'s token sets the new password; the old one stops working; a spent link changes nothing', async () => {
    const base44 = appClient();
    await base44.auth.resetPasswordRequest(GRACE.email);
    await base44.auth.resetPasswordRequest('nobody@example.com'); // answered alike: no enumeration
    const [letter] = project.mailbox.filter((l) => l.to === GRACE.email && l.kind === 'recovery');
    assert.ok(letter);
    assert.equal(project.mailbox.filter((l) => l.to === 'nobody@example.com').length, 0);
    const user = await base44.auth.resetPassword({ resetToken: letter.token_hash, newPassword: 'new battery staple' });
    assert.equal(user.email, GRACE.email);
    await assert.rejects(appClient().auth.loginViaEmailPassword(GRACE.email, GRACE.password), (e) => e.status === 401);
    const back = await appClient().auth.loginViaEmailPassword(GRACE.email, 'new battery staple');
    assert.equal(back.user.email, GRACE.email);
    await assert.rejects(appClient().auth.resetPassword({ resetToken: letter.token_hash, newPassword: 'stolen pass' }), (e) => e.name === 'Base44Error');
    await assert.rejects(appClient().auth.loginViaEmailPassword(GRACE.email, 'stolen pass'), (e) => e.status === 401);
  });

  test("the gateway refuses a call without a valid JWT; a browser's preflight gets the functions' CORS headers", async () => {
    const refused = await fetch(`${project.origin}/functions/v1/summarizeNotes`, { method: 'POST', headers: { Authorization: 'Bearer forged' }, body: '{}' });
    assert.equal(refused.status, 401);
    const preflight = await fetch(`${project.origin}/functions/v1/summarizeNotes`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://notes.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-headers'), /authorization/);
    assert.match(preflight.headers.get('access-control-allow-headers'), /apikey/);
  });

  test("keys went only where they belong: the LLM key never to the project, users' tokens and Supabase keys never to the provider", () => {
    assert.ok(llm.requests.length >= 2);
    for (const request of llm.requests) {
      assert.ok(request.authorized);
      const headers = JSON.stringify(request.headers);
      assert.ok(!headers.includes(project.serviceRoleKey) && !headers.includes(project.anonKey));
      assert.doesNotMatch(headers, /apikey/i);
    }
    assert.ok(project.log.every((e) => e.caller !== 'unknown' || e.path === '/functions/v1/summarizeNotes'));
    assert.ok(!project.saw(LLM_KEY), 'the LLM key reached the Supabase project');
    assert.ok(project.saw(project.serviceRoleKey), 'the service role key was never used (the stand-in saw no such request)');
  });
});
