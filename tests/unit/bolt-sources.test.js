// The popup's words for a project read from its page (popup/format.js sourceText) and which
// downloads the worker takes back out of the Downloads folder (sources/page-download.js).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isPageBlob } from '../../extension/background/sources/page-download.js';
import { sourceText } from '../../extension/popup/format.js';

describe('what the project card says of its source', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');

  test("Bolt's download kept from the page: its name and age", () => {
    assert.deepEqual(sourceText({ kind: 'download', name: 'project.zip', at: now - 10_000 }, 'Bolt', now), {
      note: "Bolt's download of project.zip, just now.",
      status: "Ready to export Bolt's download.",
    });
    assert.equal(sourceText({ kind: 'download', name: 'a.zip', at: now - 5 * 60_000 }, 'Bolt', now).note, "Bolt's download of a.zip, 5 min ago.");
  });

  test('a stored chat offered where no chat is open: which one, when, and that others exist', () => {
    const one = sourceText({ kind: 'stored', chats: 1, description: 'Todo app', timestamp: now - 2 * 3600_000 }, 'Bolt', now).note;
    assert.equal(one, 'No chat is open in this tab: this is “Todo app”, last changed 2 h ago.');
    const many = sourceText({ kind: 'stored', chats: 4, description: null, timestamp: null }, 'Bolt', now).note;
    assert.equal(many, 'No chat is open in this tab: this is the most recent project. It is the most recently changed of the 4 projects stored here: open another chat to export it.');
  });

  test('the menu, and anything else', () => {
    assert.match(sourceText({ kind: 'menu' }, 'Bolt', now).note, /Bolt's own Export → Download/);
    assert.deepEqual(sourceText(null, 'Lovable', now), { note: '', status: undefined });
    assert.deepEqual(sourceText({ kind: 'history' }, 'Bolt', now), { note: '', status: undefined });
  });
});

describe('downloads taken back out of the Downloads folder', () => {
  const hosts = new Set(['bolt.new']);

  test("only a blob: URL made by a page on the builder's host", () => {
    assert.equal(isPageBlob('blob:https://bolt.new/0b6c6f3e-7a39-4b5e-9c55-0e4f1c1a2b3c', hosts), true);
    assert.equal(isPageBlob('blob:https://evil.example/0b6c', hosts), false);
    assert.equal(isPageBlob('https://bolt.new/project.zip', hosts), false);
    assert.equal(isPageBlob('blob:chrome-extension://abc/123', hosts), false);
    assert.equal(isPageBlob('blob:not a url', hosts), false);
    assert.equal(isPageBlob(undefined, hosts), false);
  });
});
