// The records kept per project: the repository last pushed to (store/recent-repos.js) and the
// Supabase project last used (store/supabase-refs.js), on top of store/per-project.js. A project
// key names a builder of the core's catalog; a repository or a ref is kept only when the core's
// name check accepts it (here the fake's rule, fakes/wasm.js).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { lastRepository, rememberRepository } from '../../extension/background/store/recent-repos.js';
import { lastSupabaseRef, rememberSupabaseRef } from '../../extension/background/store/supabase-refs.js';
import { lastDeployedAsPreview, rememberDeployStage } from '../../extension/background/store/deploy-stages.js';
import { calls } from './fakes/wasm.js';

const REF = 'abcdefghij0123456789';

beforeEach(() => {
  chrome.reset();
  // Each write one millisecond after the last: the oldest go first when the store is full.
  let now = 1_700_000_000_000;
  mock.method(Date, 'now', () => ++now);
});
afterEach(() => mock.restoreAll());

describe('recent repositories', () => {
  test('a push is remembered per project, with the branch when one was named', async () => {
    await rememberRepository('lovable:abc', 'octo/app', 'main');
    await rememberRepository('bolt:chat-1', 'octo/other', '');
    assert.deepEqual(await lastRepository('lovable:abc'), { repository: 'octo/app', forge: 'github', branch: 'main', pr: false, aws: null });
    assert.deepEqual(await lastRepository('bolt:chat-1'), { repository: 'octo/other', forge: 'github', branch: null, pr: false, aws: null });
    assert.equal(await lastRepository('base44:unknown'), null);
  });

  test('the AWS route a GitHub push went with is remembered (text fields only, cut), and offered again', async () => {
    const role = 'arn:aws:iam::123456789012:role/deploy';
    await rememberRepository('bolt:chat-1', 'octo/app', '', false, 'github', {
      bucket: 'founder-site',
      region: 'eu-west-1',
      role,
      distribution: '',
      prefix: 'p'.repeat(300),
      secret: 'never-kept',
    });
    assert.deepEqual((await lastRepository('bolt:chat-1')).aws, { bucket: 'founder-site', region: 'eu-west-1', role, prefix: 'p'.repeat(200) });
    assert.ok(!JSON.stringify([...chrome.storage.local.data]).includes('never-kept'));
    // A push without the route forgets it; a route without a bucket or a role is none; other forges keep none.
    await rememberRepository('bolt:chat-1', 'octo/app', '', false, 'github', null);
    assert.equal((await lastRepository('bolt:chat-1')).aws, null);
    await rememberRepository('bolt:chat-2', 'octo/app', '', false, 'github', { bucket: 'b', role: '' });
    assert.equal((await lastRepository('bolt:chat-2')).aws, null);
    await rememberRepository('bolt:chat-3', 'group/app', '', false, 'gitlab', { bucket: 'b', role });
    assert.equal((await lastRepository('bolt:chat-3')).aws, null);
  });

  test('the pull request choice is remembered with the branch; records from before it read as none', async () => {
    await rememberRepository('bolt:chat-1', 'octo/app', 'liftoff', true);
    assert.deepEqual(await lastRepository('bolt:chat-1'), { repository: 'octo/app', forge: 'github', branch: 'liftoff', pr: true, aws: null });
    assert.deepEqual(Object.keys(chrome.storage.local.data.get('githubRepositories')['bolt:chat-1']), ['repository', 'branch', 'pr', 'at']);
    // Turned off again: the record holds no pr at all, as before pull requests.
    await rememberRepository('bolt:chat-1', 'octo/app', 'liftoff', false);
    assert.deepEqual(Object.keys(chrome.storage.local.data.get('githubRepositories')['bolt:chat-1']), ['repository', 'branch', 'at']);
    // An older record, and a pr that is not true.
    await chrome.storage.local.set({ githubRepositories: { 'bolt:old': { repository: 'octo/old', branch: 'dev', at: 1 }, 'bolt:odd': { repository: 'octo/odd', pr: 'yes', at: 2 } } });
    assert.deepEqual(await lastRepository('bolt:old'), { repository: 'octo/old', forge: 'github', branch: 'dev', pr: false, aws: null });
    assert.deepEqual(await lastRepository('bolt:odd'), { repository: 'octo/odd', forge: 'github', branch: null, pr: false, aws: null });
  });

  test('the forge is remembered with the repository, and checked with that forge’s name rule', async () => {
    calls.names.length = 0;
    await rememberRepository('bolt:chat-1', 'acme/web/app', 'liftoff', true, 'gitlab@https://git.example.com');
    assert.deepEqual(calls.names, [['gitlab', 'acme/web/app']]);
    assert.deepEqual(await lastRepository('bolt:chat-1'), { repository: 'acme/web/app', forge: 'gitlab@https://git.example.com', branch: 'liftoff', pr: true, aws: null });
    assert.equal(chrome.storage.local.data.get('githubRepositories')['bolt:chat-1'].forge, 'gitlab@https://git.example.com');
    // GitHub's records keep their old shape (no forge field).
    await rememberRepository('bolt:chat-2', 'octo/app', '', false, 'github');
    assert.deepEqual(Object.keys(chrome.storage.local.data.get('githubRepositories')['bolt:chat-2']), ['repository', 'at']);
  });

  test("keys of another shape, and repositories the core's check refuses, are neither written nor read", async () => {
    await rememberRepository('gitlab:abc', 'octo/app');
    await rememberRepository('lovable:\u0000x', 'octo/app');
    await rememberRepository('lovable:', 'octo/app');
    await rememberRepository(':abc', 'octo/app');
    await rememberRepository(null, 'octo/app');
    calls.names.length = 0;
    await rememberRepository('lovable:abc', 'not a repository');
    await rememberRepository('lovable:abc', 42);
    assert.deepEqual(calls.names, [['github', 'not a repository']], 'the core was asked');
    assert.deepEqual(Object.fromEntries(chrome.storage.local.data), {});
    await chrome.storage.local.set({ githubRepositories: { 'lovable:abc': { repository: 'https://evil.example/x', at: 1 } } });
    assert.equal(await lastRepository('lovable:abc'), null);
    assert.equal(await lastRepository('__proto__'), null);
  });

  test('a long branch is cut, and at most 100 projects are kept, the oldest going first', async () => {
    await rememberRepository('bolt:first', 'octo/first', 'b'.repeat(300));
    assert.equal((await lastRepository('bolt:first')).branch.length, 250);
    for (let i = 0; i < 100; i++) await rememberRepository(`bolt:p${i}`, `octo/p${i}`);
    const stored = chrome.storage.local.data.get('githubRepositories');
    assert.equal(Object.keys(stored).length, 100);
    assert.equal(await lastRepository('bolt:first'), null);
    assert.deepEqual(await lastRepository('bolt:p99'), { repository: 'octo/p99', forge: 'github', branch: null, pr: false, aws: null });
  });
});

describe('Supabase refs', () => {
  test('the ref last used is remembered per project', async () => {
    await rememberSupabaseRef('base44:0123456789abcdef01234567', REF);
    assert.equal(await lastSupabaseRef('base44:0123456789abcdef01234567'), REF);
    assert.deepEqual(Object.keys(chrome.storage.local.data.get('supabaseProjects')['base44:0123456789abcdef01234567']), ['ref', 'at']);
  });

  test("only a ref the core's check accepts is written or read back", async () => {
    calls.names.length = 0;
    for (const bad of ['ABCDEFGHIJ0123456789', '', 'has space', 42, null]) await rememberSupabaseRef('lovable:p', bad);
    assert.deepEqual(calls.names, [['supabase', 'ABCDEFGHIJ0123456789'], ['supabase', ''], ['supabase', 'has space']]);
    assert.deepEqual(Object.fromEntries(chrome.storage.local.data), {});
    await chrome.storage.local.set({ supabaseProjects: { 'lovable:p': { ref: 'https://evil.example', at: 1 } } });
    assert.equal(await lastSupabaseRef('lovable:p'), null);
  });

  test('at most 100 projects', async () => {
    for (let i = 0; i < 101; i++) await rememberSupabaseRef(`lovable:p${i}`, REF);
    assert.equal(Object.keys(chrome.storage.local.data.get('supabaseProjects')).length, 100);
    assert.equal(await lastSupabaseRef('lovable:p0'), null);
    assert.equal(await lastSupabaseRef('lovable:p100'), REF);
  });
});

describe('deploy stages', () => {
  test('Preview or Production is remembered per project; never deployed reads as Production', async () => {
    await rememberDeployStage('bolt:chat-1', true);
    await rememberDeployStage('lovable:abc', false);
    assert.equal(await lastDeployedAsPreview('bolt:chat-1'), true);
    assert.equal(await lastDeployedAsPreview('lovable:abc'), false);
    assert.equal(await lastDeployedAsPreview('base44:never'), false);
    await rememberDeployStage('bolt:chat-1', 'yes');
    assert.equal(await lastDeployedAsPreview('bolt:chat-1'), false, 'only true is a preview');
    // A key of another shape is neither read nor written.
    await rememberDeployStage('nobody:x', true);
    assert.equal(await lastDeployedAsPreview('nobody:x'), false);
    const { deployStages } = await chrome.storage.local.get('deployStages');
    assert.deepEqual(Object.keys(deployStages).sort(), ['bolt:chat-1', 'lovable:abc']);
  });
});
