// background/core/fetch-driver.js driving a fake core conversation: what is sent, when, with
// which fetch options, and what the conversation is told back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drive } from '../../extension/background/core/fetch-driver.js';
import { settle } from './fakes/wait.js';

const API = 'https://api.lovable.dev';

/**
 * A scripted conversation: `requests` go out at the first poll (each may say `at`: not before
 * that time); onOutcome(session, outcome) may queue more (session.later(request, delayMs)) or
 * finish it (session.finished = true). By default it finishes once every request was answered.
 */
class FakeSession {
  constructor(requests, { onOutcome } = {}) {
    this.pending = requests.map((request) => ({ at: 0, ...request }));
    this.outcomes = [];
    this.finished = false;
    this.total = requests.length;
    this.onOutcome = onOutcome ?? ((session) => (session.finished = session.outcomes.length >= session.total));
  }

  later(request, delayMs) {
    this.pending.push({ ...request, at: Date.now() + delayMs });
  }

  pollTransmit(now) {
    const due = this.pending.filter((request) => request.at <= now);
    this.pending = this.pending.filter((request) => request.at > now);
    return due.map(({ at: _at, ...request }) => request);
  }

  handleResponse(id, status, headers, body, now) {
    this.record({ id, status, headers, body: new TextDecoder().decode(body), now });
  }

  handleNetworkError(id, error, now) {
    this.record({ id, error, now });
  }

  record(outcome) {
    this.outcomes.push(outcome);
    this.onOutcome(this, outcome);
  }

  nextWakeup() {
    return this.pending.length ? Math.min(...this.pending.map((request) => request.at)) : undefined;
  }

  progress() {
    return { done: this.outcomes.length, total: this.total };
  }

  isFinished() {
    return this.finished;
  }
}

const request = (id, path = `/files/${id}`) => ({ id, method: 'GET', url: `${API}${path}`, headers: [['authorization', 'Bearer T']] });
const ok = (text = 'ok', status = 200) => new Response(text, { status, headers: { 'x-test': 'yes' } });

/** A fetch that records its calls and answers each with answer(url, init), or waits for release(). */
function fakeFetch(answer = () => ok()) {
  const calls = [];
  const fetchImpl = (url, init) => {
    const call = { url, init };
    calls.push(call);
    return new Promise((resolve, reject) => {
      call.release = (value = answer(url, init)) => Promise.resolve(value).then(resolve, reject);
      if (!fetchImpl.held) call.release();
    });
  };
  fetchImpl.calls = calls;
  return fetchImpl;
}

test('sends every request the core gives at once, in parallel, and feeds each answer back', async () => {
  const session = new FakeSession([request(1), request(2), { ...request(3), method: 'POST', body: [104, 105] }]);
  const fetchImpl = fakeFetch((url) => ok(`answer to ${url}`));
  fetchImpl.held = true;
  const progress = [];
  const driving = drive(session, { fetchImpl, onProgress: (step) => progress.push(step) });
  await settle();
  assert.equal(fetchImpl.calls.length, 3, 'all three in flight before any answer');
  for (const call of fetchImpl.calls.toReversed()) await call.release();
  await driving;
  assert.deepEqual(session.outcomes.map(({ id, status, body }) => [id, status, body]).sort(), [
    [1, 200, `answer to ${API}/files/1`],
    [2, 200, `answer to ${API}/files/2`],
    [3, 200, `answer to ${API}/files/3`],
  ]);
  assert.deepEqual(session.outcomes[0].headers, [['content-type', 'text/plain;charset=UTF-8'], ['x-test', 'yes']]);
  const { init } = fetchImpl.calls[2];
  assert.equal(init.method, 'POST');
  assert.deepEqual(init.body, Uint8Array.from([104, 105]));
  assert.deepEqual(init.headers, [['authorization', 'Bearer T']]);
  assert.equal(fetchImpl.calls[0].init.body, undefined);
  assert.deepEqual(progress, [
    { done: 0, total: 3 },
    { done: 1, total: 3 },
    { done: 2, total: 3 },
    { done: 3, total: 3 },
  ]);
});

test("a builder session's phase comes with its progress as step, while its count does not show the work", async () => {
  // Like Lovable's fallback: the listing (no file known), then two files.
  const session = new FakeSession([request(1, '/git/files')], {
    onOutcome(s, outcome) {
      if (outcome.id === 1) {
        s.files = 2;
        s.pending.push({ ...request(2), at: 0 }, { ...request(3), at: 0 });
      } else s.finished = s.outcomes.length === 3;
    },
  });
  session.files = 0;
  session.progress = () => ({ done: Math.max(0, session.outcomes.length - 1), total: session.files });
  session.phase = () => (session.files === 0 ? 'listing' : undefined);
  const progress = [];
  await drive(session, { fetchImpl: fakeFetch(), onProgress: (step) => progress.push(step) });
  assert.deepEqual(progress, [
    { done: 0, total: 0, step: 'listing' },
    { done: 0, total: 2 },
    { done: 1, total: 2 },
    { done: 2, total: 2 },
  ]);
});

test('never follows a redirect, sends no cookies, caches nothing, sends no referrer', async () => {
  const session = new FakeSession([request(1)]);
  const fetchImpl = fakeFetch(() => ({ type: 'opaqueredirect', status: 0, headers: new Headers() }));
  await drive(session, { fetchImpl });
  const { init } = fetchImpl.calls[0];
  assert.equal(init.redirect, 'manual');
  assert.equal(init.credentials, 'omit');
  assert.equal(init.cache, 'no-store');
  assert.equal(init.referrerPolicy, 'no-referrer');
  assert.ok(init.signal instanceof AbortSignal);
  const [outcome] = session.outcomes;
  assert.equal(outcome.status, 302);
  assert.match(outcome.body, /never follows a redirect/);
});

test('waits for nextWakeup before a retry the core scheduled', async () => {
  let answered = 0;
  const session = new FakeSession([request(1)], {
    onOutcome(s, outcome) {
      if (outcome.status === 429) s.later(request(2, '/files/1'), 60);
      else s.finished = true;
    },
  });
  const fetchImpl = fakeFetch(() => (answered++ === 0 ? ok('slow down', 429) : ok()));
  await drive(session, { fetchImpl });
  assert.deepEqual(session.outcomes.map((outcome) => outcome.status), [429, 200]);
  const waited = session.outcomes[1].now - session.outcomes[0].now;
  assert.ok(waited >= 55, `the retry waited ${waited} ms`);
  assert.equal(fetchImpl.calls.length, 2);
});

test('refuses any origin outside the manifest host permissions, without sending', async () => {
  const urls = ['https://evil.example/x', 'https://user:pass@api.github.com/x', 'http://api.github.com/x', 'https://api.github.com.evil.example/', 'not a url'];
  const session = new FakeSession(urls.map((url, id) => ({ id, method: 'GET', url, headers: [] })));
  const fetchImpl = fakeFetch();
  await drive(session, { fetchImpl });
  assert.equal(fetchImpl.calls.length, 0);
  assert.equal(session.outcomes.length, urls.length);
  for (const outcome of session.outcomes) {
    assert.equal(outcome.status, 302);
    assert.match(outcome.body, /it was not sent/);
  }
});

test('every host permission of the manifest is reachable', async () => {
  const origins = chrome.runtime.getManifest().host_permissions.map((pattern) => pattern.replace(/\/\*$/, ''));
  const session = new FakeSession(origins.map((origin, id) => ({ id, method: 'GET', url: `${origin}/x`, headers: [] })));
  const fetchImpl = fakeFetch();
  await drive(session, { fetchImpl });
  assert.equal(fetchImpl.calls.length, origins.length);
});

test('a self-managed host is reachable once the person granted it, and only while granted', async () => {
  chrome.reset();
  const url = 'https://git.example.com/api/v4/user';
  const once = async () => {
    const session = new FakeSession([{ id: 0, method: 'GET', url, headers: [] }]);
    const fetchImpl = fakeFetch();
    await drive(session, { fetchImpl });
    return fetchImpl.calls.length;
  };
  assert.equal(await once(), 0, 'not granted: not sent');
  await chrome.permissions.request({ origins: ['https://git.example.com/*'] });
  assert.equal(await once(), 1);
  // A pattern (were one ever granted) opens nothing: exact origins only.
  chrome.permissions.granted.clear();
  chrome.permissions.granted.add('https://*/*');
  assert.equal(await once(), 0);
  chrome.reset();
});

test('network failures, cancellations and broken bodies are told as network errors, never with the URL', async () => {
  const failures = {
    1: () => Promise.reject(new TypeError('Failed to fetch')),
    2: () => Promise.reject(new DOMException('The operation was aborted.', 'AbortError')),
    3: () => ({ type: 'basic', status: 200, headers: new Headers(), arrayBuffer: () => Promise.reject(new TypeError('terminated')) }),
  };
  const session = new FakeSession([request(1), request(2), request(3)]);
  await drive(session, { fetchImpl: fakeFetch((url) => failures[url.at(-1)]()) });
  const errors = Object.fromEntries(session.outcomes.map(({ id, error }) => [id, error]));
  assert.deepEqual(errors, {
    1: 'the connection failed (Failed to fetch)',
    2: 'the request was cancelled',
    3: 'the connection failed (terminated)',
  });
});

test('a conversation that finishes early aborts what is still in flight, and hears nothing more', async () => {
  const session = new FakeSession([request(1), request(2)], {
    onOutcome: (s) => {
      s.finished = true;
    },
  });
  const fetchImpl = fakeFetch();
  fetchImpl.held = true;
  const driving = drive(session, { fetchImpl });
  await settle();
  await fetchImpl.calls[0].release();
  await driving;
  assert.equal(fetchImpl.calls[1].init.signal.aborted, true);
  await fetchImpl.calls[1].release();
  await settle();
  assert.deepEqual(session.outcomes.map((outcome) => outcome.id), [1]);
});

test('a conversation with nothing to send and nothing to wait for is a stall', async () => {
  const session = new FakeSession([]);
  await assert.rejects(drive(session, { fetchImpl: fakeFetch() }), /stalled/);
});

test('an abort signal stops the loop at once: in flight cancelled, a scheduled retry never sent, nothing more heard', async () => {
  const session = new FakeSession([request(1), request(2)], {
    onOutcome: (s, outcome) => (outcome.id === 1 ? s.later(request(3), 60_000) : undefined),
  });
  const fetchImpl = fakeFetch();
  fetchImpl.held = true;
  const aborter = new AbortController();
  const driving = drive(session, { fetchImpl, signal: aborter.signal });
  await settle();
  await fetchImpl.calls[0].release(); // a retry waits a minute; request 2 is still in flight
  await settle();
  const started = Date.now();
  aborter.abort();
  await assert.rejects(driving, { name: 'AbortError' });
  assert.ok(Date.now() - started < 1000, 'the wait for the retry ended with the abort');
  assert.equal(fetchImpl.calls[1].init.signal.aborted, true);
  await fetchImpl.calls[1].release();
  await settle();
  assert.deepEqual(session.outcomes.map((outcome) => outcome.id), [1]);
  assert.equal(fetchImpl.calls.length, 2);
});

test('a signal aborted before the start sends nothing', async () => {
  const session = new FakeSession([request(1)]);
  const fetchImpl = fakeFetch();
  await assert.rejects(drive(session, { fetchImpl, signal: AbortSignal.abort() }), { name: 'AbortError' });
  assert.equal(fetchImpl.calls.length, 0);
});
