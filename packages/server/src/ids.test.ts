import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importedReplyId, newReplyId } from './ids.js';

test('imported reply ids have the shape of new ones and sort by the time they are given', () => {
  const at = Date.UTC(2014, 5, 1, 12, 30);
  const id = importedReplyId(at);
  assert.match(id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  // The same time part as a reply created at that moment.
  assert.equal(id.slice(0, 10), newReplyId(at).slice(0, 10));
  const later = importedReplyId(at + 1);
  assert.ok(id < later);
  assert.ok(importedReplyId(0) < id && importedReplyId(2 ** 48 - 1) > later);
});

test('imported reply ids differ, their random part spread over the whole alphabet', () => {
  const ids = Array.from({ length: 5000 }, () => importedReplyId(Date.UTC(2020, 0, 1)));
  assert.equal(new Set(ids).size, ids.length);
  const used = new Set(ids.flatMap((id) => [...id.slice(10)]));
  assert.equal(used.size, 32);
});
