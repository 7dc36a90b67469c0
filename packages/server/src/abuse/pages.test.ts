import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  MAX_PAGE_CONTENT,
  MAX_PAGE_REPLIES,
  MAX_REPLY_BODY_LENGTH,
  type Reply,
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
  // Replies of an ordinary length: the reply count bounds these pages before their content does.
  const body = renderMarkdown('An answer of an ordinary length, with a few words in it. '.repeat(8));

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
      assert.ok(text.length < MAX_PAGE_REPLIES * (3 * body.text.length + 500), `${text.length} bytes`);
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

/** The characters of content a page's replies carry, counted as the store bounds them. */
const content = (replies: Reply[]) =>
  replies.reduce((sum, r) => sum + JSON.stringify(r.body).length + r.text.length, 0);

describe('replies whose trees are the largest a body can make', () => {
  let t: TestApp;
  // Emphasis every four characters: about 150,000 characters of tree for a 10,000-character body.
  const body = renderMarkdown('*a* '.repeat(MAX_REPLY_BODY_LENGTH / 4).trim());
  const THREAD = 20;
  const ROOTS = 10;

  before(async () => {
    t = await testApp();
    await t.app.request('/api/v1/topics', json({ id: 'dense', title: 'Dense' }, admin));
    const root = await t.store.createReply({ topicId: 'dense', parentId: null, authorName: 'R', ...body });
    for (let k = 0; k < THREAD; k++)
      await t.store.createReply({ topicId: 'dense', parentId: root.id, authorName: `n${k}`, ...body });
    for (let k = 0; k < ROOTS; k++)
      await t.store.createReply({ topicId: 'dense', parentId: null, authorName: `root${k}`, ...body });
  });
  after(() => t.close());

  it('bounds a page by its content as well as its count: no read carries 300 of them', async () => {
    assert.ok(JSON.stringify(body.body).length > 100_000, 'the tree is large');
    for (const path of ['/api/v1/topics/dense?limit=1', '/api/v1/topics/dense/replies?limit=100']) {
      const text = await (await t.app.request(path)).text();
      const page = JSON.parse(text) as ReplyPage;
      assert.ok(page.replies.length > 1);
      assert.ok(content(page.replies) <= MAX_PAGE_CONTENT, `${content(page.replies)} characters`);
      assert.ok(text.length < MAX_PAGE_CONTENT + MAX_PAGE_REPLIES * 500, `${text.length} bytes`);
      assert.ok(page.moreInThread, 'the thread goes on');
      assert.equal(page.moreInThread.count, THREAD + 1 - page.replies.length);
    }
  });

  it('reads every reply once, in order, by following nextCursor; threads that do not fit start a page', async () => {
    const first = (await (await t.app.request('/api/v1/topics/dense?limit=100')).json()) as TopicWithReplies;
    const order = first.replies.map((r) => r.author.name);
    let cursor = first.nextCursor;
    let pages = 1;
    while (cursor && pages < 50) {
      const page = (await (
        await t.app.request(`/api/v1/topics/dense/replies?cursor=${cursor}`)
      ).json()) as ReplyPage;
      assert.ok(page.replies.length > 0, 'every page moves on');
      assert.ok(content(page.replies) <= MAX_PAGE_CONTENT);
      order.push(...page.replies.map((r) => r.author.name));
      cursor = page.nextCursor;
      pages++;
    }
    assert.deepEqual(order, [
      'R',
      ...Array.from({ length: THREAD }, (_, k) => `n${k}`),
      ...Array.from({ length: ROOTS }, (_, k) => `root${k}`),
    ]);
    assert.ok(
      pages >= Math.ceil(((THREAD + 1 + ROOTS) * content([first.replies[0] as Reply])) / MAX_PAGE_CONTENT),
    );
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
