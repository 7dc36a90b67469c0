import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_FEED_ENTRIES } from '@colloquy/api';
import { renderMarkdown } from '../index.js';
import { validateAtom, childText, atomChildren, parseXml } from '../testing/atom.js';
import { ADMIN_TOKEN, expectProblem, json, seededApp } from '../testing/helpers.js';
import { renderAtom, text } from '../feeds/atom.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe('Atom feeds', () => {
  const t = seededApp({ publicUrl: 'https://discuss.example.org' });
  const feed = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });

  it('list a topic’s published replies only, newest first, as valid Atom', async () => {
    const store = t.store;
    const shown = await store.createReply({
      topicId: 'rsp-update',
      parentId: null,
      authorName: 'Shown',
      ...renderMarkdown('I stay'),
    });
    await store.createReply({
      topicId: 'rsp-update',
      parentId: null,
      authorName: 'Waiting',
      ...renderMarkdown('pending words'),
      status: 'pending',
    });
    const hidden = await store.createReply({
      topicId: 'rsp-update',
      parentId: null,
      authorName: 'Hidden',
      ...renderMarkdown('hidden words'),
    });
    await store.setReplyStatus(hidden.id, 'hidden');
    const deleted = await store.createReply({
      topicId: 'rsp-update',
      parentId: null,
      authorName: 'Deleted',
      ...renderMarkdown('deleted words'),
    });
    await store.setReplyStatus(deleted.id, 'deleted');
    const newest = await store.createReply({
      topicId: 'rsp-update',
      parentId: shown.id,
      authorName: 'Newest',
      ...renderMarkdown('**Last** one'),
    });

    const res = await feed('/api/v1/topics/rsp-update/feed.atom');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Content-Type'), 'application/atom+xml; charset=utf-8');
    assert.match(res.headers.get('Cache-Control')!, /^public/);
    const xml = await res.text();
    const { feed: root, entries } = validateAtom(xml);
    assert.equal(childText(root, 'id'), 'https://discuss.example.org/api/v1/topics/rsp-update/feed.atom');
    assert.deepEqual(
      entries.map((e) => childText(e, 'id')),
      [newest.id, shown.id].map((id) => `https://discuss.example.org/api/v1/replies/${id}`),
    );
    assert.equal(childText(entries[0]!, 'content'), 'Last one');
    assert.equal(atomChildren(entries[0]!, 'content')[0]!.attributes.type, 'text');
    assert.equal(childText(atomChildren(entries[0]!, 'author')[0]!, 'name'), 'Newest');
    for (const word of ['pending words', 'hidden words', 'deleted words', 'Waiting', 'Hidden', 'Deleted'])
      assert.ok(!xml.includes(word), word);
  });

  it('answers a revalidation with 304 until a reply is published, and a held reply changes nothing', async () => {
    const first = await feed('/api/v1/topics/rsp-update/feed.atom');
    const etag = first.headers.get('ETag')!;
    assert.match(etag, /^"a[A-Za-z0-9_-]+"$/);
    const again = await feed('/api/v1/topics/rsp-update/feed.atom', { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('ETag'), etag);
    await t.store.createReply({
      topicId: 'rsp-update',
      parentId: null,
      authorName: 'Held',
      ...renderMarkdown('x'),
      status: 'pending',
    });
    assert.equal((await feed('/api/v1/topics/rsp-update/feed.atom', { 'If-None-Match': etag })).status, 304);
    await t.postReply('rsp-update', { authorName: 'New', body: 'Fresh' });
    const changed = await feed('/api/v1/topics/rsp-update/feed.atom', { 'If-None-Match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('ETag'), etag);
  });

  it('carry hostile text as text, and drop what XML cannot hold', async () => {
    const body = '<script>alert(1)</script> & ]]> "quoted" \'single\' <![CDATA[x]]>';
    const res = await t.postReply('rsp-update', { authorName: '<b>Mallory</b> & co', body: `\`${body}\`` });
    assert.equal(res.status, 201);
    const xml = await (await feed('/api/v1/topics/rsp-update/feed.atom')).text();
    const { entries } = validateAtom(xml);
    assert.equal(childText(entries[0]!, 'content'), body);
    assert.equal(childText(atomChildren(entries[0]!, 'author')[0]!, 'name'), '<b>Mallory</b> & co');
    assert.ok(!xml.includes('<script>') && !xml.includes('<b>'));
    // Control characters and lone surrogates cannot be in XML 1.0 at all; a feed must still parse.
    const odd = renderAtom({
      id: 'urn:x:1',
      title: `a\u0001b\u0000c\ud800d\uffff`,
      updated: '2030-01-01T00:00:00Z',
      self: 'https://x.example/',
      alternate: null,
      entries: [],
    });
    assert.equal(childText(parseXml(odd), 'title'), 'abcd');
    assert.equal(text('<&>"\''), '&lt;&amp;&gt;&quot;&apos;');
  });

  it(`hold at most ${MAX_FEED_ENTRIES} entries`, async () => {
    await t.post('/api/v1/topics', { id: 'busy', title: 'Busy' }, admin);
    for (let k = 0; k < MAX_FEED_ENTRIES + 10; k++) {
      await t.store.createReply({
        topicId: 'busy',
        parentId: null,
        authorName: `W${k}`,
        ...renderMarkdown(`n${k}`),
      });
    }
    const { entries } = validateAtom(await (await feed('/api/v1/topics/busy/feed.atom')).text());
    assert.equal(entries.length, MAX_FEED_ENTRIES);
    assert.equal(childText(entries[0]!, 'content'), `n${MAX_FEED_ENTRIES + 9}`);
    const site = validateAtom(await (await feed('/api/v1/feed.atom')).text());
    assert.equal(site.entries.length, MAX_FEED_ENTRIES);
  });

  it('give the site’s recent replies across topics, tagged by every change a reader could see', async () => {
    await t.post(
      '/api/v1/topics',
      { id: 'quiet', title: 'Quiet topic', url: 'https://www.example.org/quiet' },
      admin,
    );
    const res = await t.postReply('quiet', { authorName: 'Zed', body: 'Newest of the site' });
    const reply = (await res.json()) as { id: string };
    const first = await feed('/api/v1/feed.atom');
    const { feed: root, entries } = validateAtom(await first.text());
    assert.equal(childText(root, 'id'), 'https://discuss.example.org/api/v1/feed.atom');
    assert.equal(childText(entries[0]!, 'title'), 'Zed on "Quiet topic"');
    assert.equal(atomChildren(entries[0]!, 'link')[0]!.attributes.href, 'https://www.example.org/quiet');
    const etag = first.headers.get('ETag')!;
    assert.equal((await feed('/api/v1/feed.atom', { 'If-None-Match': etag })).status, 304);

    // A topic renamed: its title is in the feed.
    await t.post(
      '/api/v1/topics',
      { id: 'quiet', title: 'Renamed topic', url: 'https://www.example.org/quiet' },
      admin,
    );
    const renamed = await feed('/api/v1/feed.atom', { 'If-None-Match': etag });
    assert.equal(renamed.status, 200);
    const etag2 = renamed.headers.get('ETag')!;
    assert.equal(
      childText(validateAtom(await renamed.text()).entries[0]!, 'title'),
      'Zed on "Renamed topic"',
    );

    // A reply hidden: it leaves the feed at once, under a new tag.
    await t.app.request(`/api/v1/admin/replies/${reply.id}/hide`, { method: 'POST', headers: admin });
    const hidden = await feed('/api/v1/feed.atom', { 'If-None-Match': etag2 });
    assert.equal(hidden.status, 200);
    assert.ok(!(await hidden.text()).includes('Newest of the site'));
  });

  it('refuse an unknown topic and a bad id with a problem', async () => {
    await expectProblem(await feed('/api/v1/topics/nope/feed.atom'), 404);
    await expectProblem(await feed('/api/v1/topics/-bad/feed.atom'), 400);
    await expectProblem(await t.app.request('/api/v1/feed.atom', json({}, {}, 'POST')), 405);
  });
});
