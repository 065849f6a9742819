// liftoff: base44-core. Liftoff wrote this Edge Function for Base44's Core integrations, which
// the app calls through src/api/base44Client.js (`base44.integrations.Core.…`): POST
// `{ integration, params }`, answered as Base44 answers. It calls the providers your secrets
// name (supabase/functions/.env.example lists them; `supabase secrets set --env-file …`):
//   InvokeLLM, ExtractDataFromUploadedFile: an OpenAI-compatible API (LLM_BASE_URL, LLM_API_KEY,
//     LLM_MODEL); GenerateImage: the same API's images (IMAGE_MODEL), stored in Storage;
//   SendEmail: a Resend-compatible API (EMAIL_API_URL, EMAIL_API_KEY, EMAIL_FROM);
//   SendSMS: Twilio (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM).
// Only signed-in users (and the service role) may spend them: the caller's token is checked
// with Supabase Auth on every call, whatever the function's verify_jwt setting.
// BASE44_CORE_ALLOW_ANON=true lets anonymous sign-ins through too. It is yours: edit it freely.
import { createClient } from 'npm:@supabase/supabase-js@2.109.0';
import '../_shared/base44.ts';

type Json = Record<string, unknown>;

/** An answer that is an error Base44's client reads: `{ error, code, variable? }`. */
class Refusal extends Error {
  constructor(message: string, readonly status: number, readonly code: string, readonly variable?: string) {
    super(message);
  }
}

const env = (name: string): string => {
  const value = Deno.env.get(name);
  if (!value) {
    throw new Refusal(`Set ${name} in the base44-core function's secrets (see supabase/functions/.env.example)`, 500, 'liftoff_not_configured', name);
  }
  return value;
};
const optional = (name: string, fallback: string): string => Deno.env.get(name) || fallback;

/** Who calls: a signed-in user or the service role, checked with Supabase Auth itself. */
async function caller(req: Request): Promise<void> {
  const token = /^Bearer\s+(.+)$/i.exec(req.headers.get('Authorization') ?? '')?.[1];
  if (!token) throw new Refusal('Sign in first: Core integrations need a signed-in user', 401, 'unauthorized');
  if (token === Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')) return;
  const res = await fetch(`${env('SUPABASE_URL')}/auth/v1/user`, {
    headers: { Authorization: `Bearer ${token}`, apikey: env('SUPABASE_ANON_KEY') },
  });
  const user = res.ok ? await res.json() : null;
  if (!user?.id) throw new Refusal('Sign in first: Core integrations need a signed-in user', 401, 'unauthorized');
  if (user.is_anonymous && Deno.env.get('BASE44_CORE_ALLOW_ANON') !== 'true') {
    throw new Refusal('Anonymous users may not call Core integrations (BASE44_CORE_ALLOW_ANON)', 403, 'forbidden');
  }
}

/** A provider's answer, or a refusal naming it (its body stays out: it may echo secrets). */
async function call(provider: string, url: string, init: RequestInit): Promise<Json> {
  const res = await fetch(url, init);
  if (!res.ok) {
    await res.body?.cancel();
    throw new Refusal(`${provider} answered ${res.status}`, 502, 'provider_error');
  }
  return await res.json();
}

const llm = (path: string, body: Json) =>
  call('The LLM provider', `${env('LLM_BASE_URL').replace(/\/+$/, '')}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${env('LLM_API_KEY')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Files the integrations may read: https, or this project's own Storage. */
function readable(url: unknown): string {
  const text = String(url ?? '');
  const parsed = URL.canParse(text) ? new URL(text) : null;
  const own = new URL(env('SUPABASE_URL'));
  if (!parsed || (parsed.protocol !== 'https:' && parsed.origin !== own.origin)) {
    throw new Refusal(`Not a file this function reads: ${text.slice(0, 200)}`, 400, 'invalid_file_url');
  }
  return parsed.href;
}

/** A file as a chat message part: images as images, PDFs as files, text as text. */
async function part(url: string): Promise<Json> {
  const res = await fetch(readable(url));
  if (!res.ok) throw new Refusal(`Reading ${url} answered ${res.status}`, 400, 'file_unreadable');
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim();
  if (type.startsWith('image/')) {
    await res.body?.cancel();
    return { type: 'image_url', image_url: { url } };
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (type === 'application/pdf') {
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    const filename = new URL(url).pathname.split('/').pop() || 'file.pdf';
    return { type: 'file', file: { filename, file_data: `data:application/pdf;base64,${btoa(binary)}` } };
  }
  return { type: 'text', text: new TextDecoder().decode(bytes) };
}

async function invokeLLM(p: Json): Promise<unknown> {
  const files = Array.isArray(p.file_urls) ? p.file_urls : p.file_urls ? [p.file_urls] : [];
  const content = [{ type: 'text', text: String(p.prompt ?? '') }, ...(await Promise.all(files.map(part)))];
  const schema = p.response_json_schema as Json | undefined;
  const answer = await llm('/chat/completions', {
    model: env('LLM_MODEL'),
    messages: [{ role: 'user', content }],
    ...(schema && { response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } } }),
  });
  const text = (answer as any).choices?.[0]?.message?.content ?? '';
  if (!schema) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new Refusal('The LLM provider did not answer JSON for response_json_schema', 502, 'provider_error');
  }
}

/** The image, stored in the public files bucket (providers' own links expire). */
async function generateImage(p: Json): Promise<Json> {
  const answer: any = await llm('/images/generations', {
    model: env('IMAGE_MODEL'), prompt: String(p.prompt ?? ''), n: 1, response_format: 'b64_json',
  });
  const image = answer.data?.[0] ?? {};
  let bytes: Uint8Array;
  if (image.b64_json) bytes = Uint8Array.from(atob(image.b64_json), (c) => c.charCodeAt(0));
  else if (image.url) bytes = new Uint8Array(await (await fetch(readable(image.url))).arrayBuffer());
  else throw new Refusal('The image provider answered no image', 502, 'provider_error');
  const storage = createClient(env('SUPABASE_URL'), env('SUPABASE_SERVICE_ROLE_KEY'), { auth: { persistSession: false } }).storage;
  const path = `generated/${crypto.randomUUID()}.png`;
  const { error } = await storage.from('base44-files').upload(path, bytes, { contentType: 'image/png' });
  if (error) throw new Refusal(`Storing the image: ${error.message}`, 500, 'storage_error');
  return { url: storage.from('base44-files').getPublicUrl(path).data.publicUrl };
}

async function sendEmail(p: Json): Promise<Json> {
  const from = p.from_name ? `${p.from_name} <${env('EMAIL_FROM')}>` : env('EMAIL_FROM');
  await call('The email provider', optional('EMAIL_API_URL', 'https://api.resend.com/emails'), {
    method: 'POST',
    headers: { Authorization: `Bearer ${env('EMAIL_API_KEY')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ from, to: p.to, subject: p.subject, html: p.body }),
  });
  return {};
}

async function sendSMS(p: Json): Promise<Json> {
  const sid = env('TWILIO_ACCOUNT_SID');
  const base = optional('TWILIO_API_URL', 'https://api.twilio.com').replace(/\/+$/, '');
  await call('Twilio', `${base}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, {
    method: 'POST',
    headers: { Authorization: `Basic ${btoa(`${sid}:${env('TWILIO_AUTH_TOKEN')}`)}` },
    body: new URLSearchParams({ To: String(p.to ?? ''), From: env('TWILIO_FROM'), Body: String(p.message ?? p.body ?? '') }),
  });
  return {};
}

async function extractData(p: Json): Promise<Json> {
  try {
    const output = await invokeLLM({
      prompt: `Extract the data of the attached file as JSON matching this schema:\n${JSON.stringify(p.json_schema ?? {})}`,
      file_urls: [p.file_url],
      response_json_schema: (p.json_schema as Json) ?? { type: 'object' },
    });
    return { status: 'success', output };
  } catch (error) {
    if (error instanceof Refusal && error.code === 'liftoff_not_configured') throw error;
    return { status: 'error', details: error instanceof Error ? error.message : String(error), output: null };
  }
}

const INTEGRATIONS: Record<string, (p: Json) => Promise<unknown>> = {
  InvokeLLM: invokeLLM,
  GenerateImage: generateImage,
  SendEmail: sendEmail,
  SendSMS: sendSMS,
  ExtractDataFromUploadedFile: extractData,
};

Deno.serve(async (req: Request) => {
  try {
    if (req.method !== 'POST') throw new Refusal('POST { integration, params }', 405, 'method_not_allowed');
    await caller(req);
    const { integration, params } = await req.json().catch(() => ({}));
    const run = INTEGRATIONS[String(integration)];
    if (!run || !Object.hasOwn(INTEGRATIONS, String(integration))) {
      throw new Refusal(`Core.${integration} is not served here (see LIFTOFF.md)`, 404, 'liftoff_unserved');
    }
    return Response.json(await run(params ?? {}));
  } catch (error) {
    const refusal = error instanceof Refusal ? error : new Refusal(error instanceof Error ? error.message : String(error), 500, 'internal_error');
    const { message, status, code, variable } = refusal;
    return Response.json({ error: message, code, ...(variable && { variable }) }, { status });
  }
});
