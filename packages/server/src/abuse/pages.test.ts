import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  MAX_PAGE_REPLIES,
  MAX_REPLY_BODY_LENGTH,
  type ReplyPage,
  type TopicWithReplies,
} from '@colloquy/api';
import { VersionedBodies } from '../caching.js';
import { renderMarkdown } from '../index.js';
import { ADMIN_TOKEN, expectProblem, json, testApp, type TestApp } from '../testing/helpers.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
/** One thread of this many replies below its root: more than two pages hold. */
const THREAD = 2 * MAX_PAGE_REPLIES + 50;

describe('a topic with one huge thread', () => {
  let t: TestApp;
  let rootId: string;
  const body = renderMarkdown('x'.repeat(MAX_REPLY_BODY_LENGTH));

  before(async () => {
    t = await testApp();
    await t.app.request('/api/v1/topics', json({ id: 'huge', title: 'Huge' }, admin));
    await t.app.request('/api/v1/topics', json({ id: 'other', title: 'Other' }, admin));
    const root = await t.store.createReply({ topicId: 'huge', parentId: null, authorName: 'R', ...body });
    rootId = root.id;
    let parent = root.id;
    for (let k = 0; k < THREAD; k++) {
      const r = await t.store.createReply({
        topicId: 'huge',
        parentId: k % 2 ? parent : root.id,
        authorName: `n${k}`,
        ...body,
      });
      if (k % 2 === 0) parent = r.id;
    }
    await t.store.createReply({ topicId: 'huge', parentId: null, authorName: 'Second', ...body });
    await t.store.createReply({ topicId: 'other', parentId: null, authorName: 'O', ...body });
  });
  after(() => t.close());

  it('answers even limit=1 with at most MAX_PAGE_REPLIES replies, and bounded bytes', async () => {
    for (const path of ['/api/v1/topics/huge?limit=1', '/api/v1/topics/huge/replies?limit=100']) {
      const res = await t.app.request(path);
      assert.equal(res.status, 200);
      const text = await res.text();
      const page = JSON.parse(text) as ReplyPage;
      assert.equal(page.replies.length, MAX_PAGE_REPLIES);
      // Body text and its document tree, plus the reply's fields: about 2.1 bytes a character.
      assert.ok(text.length < MAX_PAGE_REPLIES * (2.2 * MAX_REPLY_BODY_LENGTH + 500), `${text.length} bytes`);
      assert.equal(page.moreInThread?.rootId, rootId);
      assert.equal(page.moreInThread?.count, THREAD + 1 - MAX_PAGE_REPLIES);
    }
  });

  it('reads the whole thread by following its cursor, each reply once and after its parent', async () => {
    const first = (await (await t.app.request('/api/v1/topics/huge')).json()) as TopicWithReplies;
    const seen = new Set(first.replies.map((r) => r.id));
    let more = first.moreInThread;
    let pages = 1;
    while (more) {
      const res = await t.app.request(`/api/v1/topics/huge/replies?cursor=${more.cursor}`);
      assert.equal(res.status, 200);
      const page = (await res.json()) as ReplyPage;
      assert.ok(page.replies.length <= MAX_PAGE_REPLIES);
      assert.equal(page.nextCursor, null);
      for (const r of page.replies) {
        assert.ok(!seen.has(r.id), 'no reply twice');
        assert.ok(r.parentId && seen.has(r.parentId), 'its parent was read before');
        seen.add(r.id);
      }
      more = page.moreInThread;
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(seen.size, THREAD + 1);
  });

  it('reads every reply once by following nextCursor alone, as "Load more" does', async () => {
    const first = (await (await t.app.request('/api/v1/topics/huge?limit=20')).json()) as TopicWithReplies;
    const seen = new Set(first.replies.map((r) => r.id));
    const order = first.replies.map((r) => r.author.name);
    let cursor = first.nextCursor;
    let pages = 1;
    while (cursor) {
      const res = await t.app.request(`/api/v1/topics/huge/replies?cursor=${cursor}`);
      assert.equal(res.status, 200);
      const page = (await res.json()) as ReplyPage;
      assert.ok(page.replies.length <= MAX_PAGE_REPLIES);
      for (const r of page.replies) {
        assert.ok(!seen.has(r.id), 'no reply twice');
        assert.ok(r.parentId === null || seen.has(r.parentId), 'its parent was read before');
        seen.add(r.id);
        order.push(r.author.name);
      }
      cursor = page.nextCursor;
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(seen.size, THREAD + 2);
    assert.equal(order.at(-1), 'Second', 'the next thread comes after the whole first one');
  });

  it('refuses every spelling of a cursor but the one it wrote, with a 400', async () => {
    const first = (await (await t.app.request('/api/v1/topics/huge')).json()) as TopicWithReplies;
    const thread = first.moreInThread?.cursor ?? '';
    const top = first.nextCursor ?? '';
    const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const cursor of [top, thread]) {
      assert.equal((await t.app.request(`/api/v1/topics/huge/replies?cursor=${cursor}`)).status, 200);
      const last = cursor.at(-1) ?? 'A';
      // Same decoded bytes, other spellings: another last character whose unused bits differ,
      // an extra character (which decodes to nothing), padding.
      const variants = [
        ...[...base64url]
          .filter((ch) => ch !== last)
          .map((ch) => cursor.slice(0, -1) + ch)
          .filter((v) => Buffer.from(v, 'base64url').equals(Buffer.from(cursor, 'base64url'))),
        `${cursor}A`,
        `${cursor}=`,
      ];
      assert.ok(variants.length >= 2);
      for (const variant of variants) {
        for (const path of ['/api/v1/topics/huge/replies', '/api/v1/topics/huge']) {
          await expectProblem(await t.app.request(`${path}?cursor=${encodeURIComponent(variant)}`), 400);
        }
      }
    }
    // The thread's cursor on another topic is not a cursor of that topic.
    await expectProblem(await t.app.request(`/api/v1/topics/other/replies?cursor=${thread}`), 400);
  });
});

describe('the read cache', () => {
  it('stays within its entries and its bytes, keys included', () => {
    const cache = new VersionedBodies(1024 * 1024, 100);
    for (let k = 0; k < 1000; k++) cache.set(`${k}\n${'k'.repeat(5000)}`, 1, `"t${k}"`, { k });
    assert.ok(cache.size <= 100, `${cache.size} entries`);
    assert.ok(cache.bytes <= 1024 * 1024, `${cache.bytes} bytes`);
    // Long keys alone fill the byte budget: far fewer than 100 entries of 10 kB keys fit in 1 MiB.
    const keys = new VersionedBodies(1024 * 1024, 10_000);
    for (let k = 0; k < 1000; k++) keys.set(`${k}\n${'k'.repeat(5000)}`, 1, `"t${k}"`, {});
    assert.ok(keys.size < 110, `${keys.size} entries`);
    assert.ok(keys.bytes <= 1024 * 1024);
    // The most recently used entry survives.
    assert.ok(keys.get(`999\n${'k'.repeat(5000)}`, 1));
  });

  it('counts the compressed variants against its bytes, and compresses a body once per version', () => {
    const cache = new VersionedBodies(1024 * 1024, 1000);
    const body = (k: number) => ({
      k,
      words: Array.from({ length: 2000 }, (_, i) => `w${(i * 7919 + k) % 10007}`),
    });
    const kept = cache.set('a', 1, '"t1"', body(0));
    const before = cache.bytes;
    const br = cache.encode(kept, 'br');
    const gz = cache.encode(kept, 'gzip');
    assert.equal(cache.bytes, before + br.byteLength + gz.byteLength, 'both variants counted');
    assert.equal(cache.encode(kept, 'br'), br, 'the kept variant, not a new compression');
    assert.equal(cache.bytes, before + br.byteLength + gz.byteLength);
    // A new version is compressed anew; the old one leaves the count with its variants.
    const next = cache.set('a', 2, '"t2"', body(1));
    assert.notEqual(cache.encode(next, 'br'), br);
    // Filled with compressed variants, it still stays within its bytes.
    for (let k = 0; k < 300; k++) {
      const entry = cache.set(`k${k}`, 1, `"t${k}"`, body(k));
      cache.encode(entry, 'br');
      cache.encode(entry, 'gzip');
    }
    assert.ok(cache.bytes <= 1024 * 1024, `${cache.bytes} bytes`);
    assert.ok(cache.size < 300, `${cache.size} entries: the variants took room`);
  });
});
