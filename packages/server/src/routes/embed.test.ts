import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { TopicWithReplies } from '@colloquy/api';
import { createApp } from '../app.js';
import { seedDemo } from '../seed.js';
import { expectProblem, json, ORIGIN, seededApp, testApp, type TestApp } from '../testing/helpers.js';
import { counting } from '../testing/instances.js';

const embedPath = (id: string, query = '') => `/api/v1/topics/${encodeURIComponent(id)}/embed.html${query}`;

/** The JSON a fragment carries for the browser's elements. */
function pageData(html: string) {
  const match = /<script type="application\/json" data-colloquy>([^<]*)<\/script>/.exec(html);
  assert.ok(match?.[1], 'the fragment carries its read');
  return JSON.parse(match[1]) as {
    api: string;
    topic: string;
    lang: string;
    read: TopicWithReplies;
    messages?: object;
  };
}

describe('GET /api/v1/topics/:id/embed.html', () => {
  const t = seededApp({ publicUrl: 'https://discuss.example.org' });

  before(async () => {
    for (const body of ['First, with <b>markup</b>.', 'Second: </script><script>alert(1)</script><!--'])
      assert.equal((await t.postReply('rsp-update', { authorName: 'Ada', body })).status, 201);
  });

  it('renders the three elements into declarative shadow roots, with the same read as the JSON read', async () => {
    const res = await t.app.request(embedPath('rsp-update'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Content-Type'), 'text/html; charset=utf-8');
    const html = await res.text();
    for (const tag of ['topic-card', 'source-list', 'reply-thread'])
      assert.match(
        html,
        new RegExp(
          `<${tag}\\s[^>]*api="https://discuss.example.org"[^>]*><template shadowroot="open" shadowrootmode="open">`,
        ),
        tag,
      );
    assert.match(html, /Updated Responsible Scaling Policy: a step towards safe AI/);
    assert.match(html, /Anthropic News/, 'the sources');
    assert.match(html, /First, with &lt;b&gt;markup&lt;\/b&gt;\./, 'a reply, its markup as text');
    assert.doesNotMatch(html, /<p part="?loading/, 'no loading notes: the data is there');
    const json = (await (await t.app.request(`/api/v1/topics/rsp-update`)).json()) as TopicWithReplies;
    const data = pageData(html);
    assert.deepEqual(data.read, json);
    assert.equal(data.api, 'https://discuss.example.org');
    assert.equal(data.topic, 'rsp-update');
  });

  it('escapes </script and <!-- in the embedded JSON, and JSON.parse gives the body back', async () => {
    const html = await (await t.app.request(embedPath('rsp-update'))).text();
    // The only script end tags are those of the two scripts the fragment writes.
    assert.equal(html.match(/<\/script/gi)?.length, 2);
    assert.equal(html.match(/<script/gi)?.length, 2);
    const [, data = ''] = /data-colloquy>(.*?)<\/script>/s.exec(html) ?? [];
    assert.doesNotMatch(data, /<!--|<\/script/i);
    const reply = pageData(html).read.replies.find((r) => r.text.startsWith('Second'));
    assert.equal(reply?.text, 'Second: </script><script>alert(1)</script><!--');
  });

  it('honours lang: the catalog of its language, which the fragment carries; English for one it lacks', async () => {
    const de = await (await t.app.request(embedPath('rsp-update', '?lang=de-AT'))).text();
    assert.match(de, /lang="de"/);
    assert.match(de, /Antworten \(2\)/);
    assert.equal((pageData(de).messages as { reply?: string }).reply, 'Antworten');
    const unknown = await (await t.app.request(embedPath('rsp-update', '?lang=xx'))).text();
    assert.match(unknown, /lang="en"/);
    assert.match(unknown, /Replies \(2\)/);
    assert.equal(pageData(unknown).messages, undefined);
    await expectProblem(await t.app.request(embedPath('rsp-update', '?lang=<script>')), 400);
  });

  it('renders a language written right to left right to left: dir="rtl" on each element', async () => {
    const ar = await (await t.app.request(embedPath('rsp-update', '?lang=ar'))).text();
    assert.equal(ar.match(/<(topic-card|source-list|reply-thread)[^>]* dir="rtl"/g)?.length, 3);
    const en = await (await t.app.request(embedPath('rsp-update'))).text();
    assert.doesNotMatch(en, /<(topic-card|source-list|reply-thread)[^>]* dir=/);
  });

  it('url names the page in the JSON-LD of a topic without a URL of its own, kept apart per URL', async () => {
    const ld = (html: string) =>
      JSON.parse(/<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html)?.[1] ?? 'null') as {
        url?: string;
      };
    const plain = await (await t.app.request(embedPath('rsp-update'))).text();
    assert.equal(ld(plain).url, undefined);
    const page = 'https://news.example/rsp?x=1';
    const named = await t.app.request(embedPath('rsp-update', `?url=${encodeURIComponent(page)}`));
    assert.equal(ld(await named.text()).url, page);
    await expectProblem(await t.app.request(embedPath('rsp-update', '?url=javascript:alert(1)')), 400);
  });

  it('goes out compressed as the client accepts, with an ETag per coding', async () => {
    const plain = await t.app.request(embedPath('rsp-update'));
    const html = await plain.text();
    const tag = plain.headers.get('ETag') ?? '';
    for (const [accept, coding, decode] of [
      ['br', 'br', brotliDecompressSync],
      ['gzip, deflate', 'gzip', gunzipSync],
    ] as const) {
      const res = await t.app.request(embedPath('rsp-update'), { headers: { 'Accept-Encoding': accept } });
      assert.equal(res.headers.get('Content-Encoding'), coding);
      assert.match(res.headers.get('Vary') ?? '', /Accept-Encoding/);
      assert.notEqual(res.headers.get('ETag'), tag);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.ok(bytes.length < Buffer.byteLength(html) / 3, `${coding}: ${bytes.length} bytes`);
      assert.equal(decode(bytes).toString('utf8'), html);
      const again = await t.app.request(embedPath('rsp-update'), {
        headers: { 'Accept-Encoding': accept, 'If-None-Match': res.headers.get('ETag') ?? '' },
      });
      assert.equal(again.status, 304);
    }
  });

  it('answers problems for an unknown topic and a bad id', async () => {
    const missing = await expectProblem(await t.app.request(embedPath('no-such-topic')), 404);
    assert.match(missing.detail, /no-such-topic/);
    await expectProblem(await t.app.request(embedPath('-bad')), 400);
    const page = await expectProblem(await t.app.request(embedPath('https://pages.example/a?b=1')), 404);
    assert.match(page.detail, /https:\/\/pages\.example\/a\?b=1/, 'a page topic by its URL');
  });

  it('is tagged like the JSON read: 304 while unchanged, a new tag after a write, one per language', async () => {
    const first = await t.app.request(embedPath('rsp-update'));
    await first.arrayBuffer();
    const tag = first.headers.get('ETag') ?? '';
    assert.match(tag, /^"e\d+-[\w-]+"$/);
    assert.equal(first.headers.get('Cache-Control'), 'public, max-age=5, stale-while-revalidate=60');
    const same = await t.app.request(embedPath('rsp-update'), { headers: { 'If-None-Match': tag } });
    assert.equal(same.status, 304);
    assert.equal(same.headers.get('ETag'), tag);
    const german = await t.app.request(embedPath('rsp-update', '?lang=de'), {
      headers: { 'If-None-Match': tag },
    });
    assert.equal(german.status, 200, 'another language, another tag');
    await german.arrayBuffer();
    const json = await t.app.request('/api/v1/topics/rsp-update', { headers: { 'If-None-Match': tag } });
    assert.equal(json.status, 200, 'the JSON read has tags of its own');
    await json.arrayBuffer();
    await t.postReply('rsp-update', { authorName: 'Bo', body: 'Third.' });
    const changed = await t.app.request(embedPath('rsp-update'), { headers: { 'If-None-Match': tag } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('ETag'), tag);
    assert.match(await changed.text(), /Third\./);
  });
});

describe('embed.html rendering cost', () => {
  let t: TestApp;
  let calls: Map<string, number>;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    t = await testApp();
    await seedDemo(t.store);
    const counted = counting(t.store);
    calls = counted.calls;
    app = createApp({ store: counted.store, config: t.config });
  });
  after(() => t.close());

  it('renders once per topic version and language, not per request, and reads one page of replies', async () => {
    const get = async (query = '') => {
      const res = await app.request(embedPath('rsp-update', query));
      assert.equal(res.status, 200);
      return res.text();
    };
    const bodies = await Promise.all([get(), get(), get()]);
    assert.equal(new Set(bodies).size, 1);
    assert.equal(calls.get('listReplies'), 1, 'three requests together: one read');
    await get();
    await get('?lang=en-GB');
    assert.equal(
      calls.get('listReplies'),
      1,
      'later requests, and en-GB (rendered as en), from the kept fragment',
    );
    await get('?lang=fr');
    assert.equal(calls.get('listReplies'), 2, 'another language: one more render');
    const res = await app.request(
      '/api/v1/topics',
      json(
        { id: 'rsp-update', title: 'Renamed' },
        { Authorization: `Bearer ${t.config.adminToken}`, Origin: ORIGIN },
      ),
    );
    assert.equal(res.status, 200);
    assert.match(await get(), /Renamed/);
    assert.equal(calls.get('listReplies'), 3, 'a new version: rendered again');
  });

  it('shows one page of replies, the JSON read’s page size, with Load more for the rest', async () => {
    const small = await testApp({ pageSize: 2 });
    try {
      await seedDemo(small.store);
      for (let i = 0; i < 5; i++)
        await small.app.request(
          `/api/v1/topics/rsp-update/replies`,
          json({ authorName: 'Ada', body: `Reply ${i}` }),
        );
      const html = await (await small.app.request(embedPath('rsp-update'))).text();
      const { read } = pageData(html);
      assert.equal(read.replies.length, 2);
      assert.ok(read.nextCursor);
      assert.match(html, /part="?load-more/);
    } finally {
      await small.close();
    }
  });
});
