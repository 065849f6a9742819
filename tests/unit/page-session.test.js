// background/sources/page-session.js: the bearer token a builder's page sends to its own API,
// kept per tab in memory, and only when the page and the API are the same builder's.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { pageSession, pageSessionToken, watchPageSessions } from '../../extension/background/sources/page-session.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.page-sent-token.sig';
const settle = () =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

/** What onSendHeaders hands a listener. */
const request = ({ tabId = 4, url = 'https://api.lovable.dev/projects/p/git/files', initiator = 'https://lovable.dev', authorization = `Bearer ${TOKEN}` } = {}) => ({
  tabId,
  url,
  initiator,
  requestHeaders: [
    { name: 'Accept', value: '*/*' },
    ...(authorization === null ? [] : [{ name: 'Authorization', value: authorization }]),
  ],
});

describe('the session a builder page sends', () => {
  beforeEach(() => {
    chrome.reset();
    watchPageSessions();
  });

  test('watches every host permission, with the headers Chrome hides otherwise', () => {
    assert.equal(chrome.webRequest.onSendHeaders.size, 1);
  });

  test("kept for the tab when a Lovable page sends it to Lovable's API", async () => {
    chrome.webRequest.onSendHeaders.dispatch(request());
    await settle();
    assert.equal(pageSessionToken(4, 'lovable'), TOKEN);
    assert.equal(pageSessionToken(5, 'lovable'), null, 'another tab');
    assert.equal(pageSessionToken(4, 'base44'), null, 'another builder');
    chrome.tabs.onRemoved.dispatch(4);
    assert.equal(pageSessionToken(4, 'lovable'), null, 'forgotten with its tab');
  });

  test('never from the worker itself, another site, another API, or without a bearer token', async () => {
    const cases = [
      request({ tabId: -1 }),
      request({ tabId: 6, initiator: 'https://evil.example' }),
      request({ tabId: 7, url: 'https://api.github.com/user' }),
      request({ tabId: 8, authorization: null }),
      request({ tabId: 9, authorization: `Basic ${TOKEN}` }),
      request({ tabId: 10, authorization: 'Bearer has spaces in it' }),
      request({ tabId: 11, initiator: null }),
    ];
    for (const details of cases) chrome.webRequest.onSendHeaders.dispatch(details);
    await settle();
    for (const tabId of [-1, 6, 7, 8, 9, 10, 11]) assert.equal(pageSessionToken(tabId, 'lovable'), null, String(tabId));
  });

  test('the ref the page reads is kept beside the token; a later request without one keeps it', async () => {
    chrome.webRequest.onSendHeaders.dispatch(request({ url: 'https://api.lovable.dev/projects/p/git/files?ref=feature/login' }));
    await settle();
    assert.deepEqual(pageSession(4, 'lovable'), { token: TOKEN, ref: 'feature/login' });
    chrome.webRequest.onSendHeaders.dispatch(request({ url: 'https://api.lovable.dev/projects/p/settings' }));
    await settle();
    assert.deepEqual(pageSession(4, 'lovable'), { token: TOKEN, ref: 'feature/login' });
    chrome.webRequest.onSendHeaders.dispatch(request({ tabId: 5, url: 'https://api.lovable.dev/x?ref=a%20b;rm' }));
    await settle();
    assert.deepEqual(pageSession(5, 'lovable'), { token: TOKEN, ref: null }, 'a ref of another shape is not kept');
  });
});
