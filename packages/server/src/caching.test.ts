import assert from 'node:assert/strict';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { CreatedReply, ReplyPage, TopicSummaries, TopicWithReplies } from '@colloquy/api';
import { createApp, defaultConfig, SqliteStore, type Store } from './index.js';
import { versionTag } from './caching.js';
import { ADMIN_TOKEN, expectProblem, json, ORIGIN, tempDir } from './testing/helpers.js';
import { twoInstances } from './testing/instances.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const PUBLIC_READ = 'public, max-age=5, stale-while-revalidate=60';
const READER = 'reader-key-0123456789';

describe('HTTP caching of topic reads', () => {
  let t: Awaited<ReturnType<typeof twoInstances>>;
  before(async () => {
    t = await twoInstances();
    const res = await t.a.request('/api/v1/topics', json({ id: 'cached', title: 'Cached' }, admin));
    assert.equal(res.status, 201);
    await t.a.request('/api/v1/topics', json({ id: 'other', title: 'Other' }, admin));
  });
  after(() => t.close());

  const get = (app: typeof t.a, path: string, headers: Record<string, string> = {}, method = 'GET') =>
    app.request(path, { method, headers: { Origin: ORIGIN, ...headers } });
  const tagOf = async (path: string) => {
    const res = await get(t.a, path);
    await res.arrayBuffer();
    assert.equal(res.status, 200);
    return res.headers.get('ETag')!;
  };
  const READS = ['/api/v1/topics/cached', '/api/v1/topics/cached/replies', '/api/v1/topics?ids=cached,other'];

  it('tags each read with a strong ETag that every instance on the database computes alike', async () => {
    for (const path of READS) {
      const fromA = await get(t.a, path);
      const fromB = await get(t.b, path);
      const [bodyA, bodyB] = [await fromA.text(), await fromB.text()];
      assert.equal(fromA.status, 200);
      const tag = fromA.headers.get('ETag');
      assert.match(tag ?? '', /^"[A-Za-z0-9_-]+"$/, `${path}: a strong ETag`);
      assert.equal(fromB.headers.get('ETag'), tag, `${path}: same tag from both instances`);
      assert.equal(bodyB, bodyA, `${path}: same tag, same body`);
      assert.equal(fromA.headers.get('Cache-Control'), PUBLIC_READ);
    }
    assert.match(
      (await get(t.a, READS[0]!)).headers.get('ETag')!,
      /^"t\d+-/,
      'derived from the version counter',
    );
  });

  it('answers 304 to If-None-Match, with CORS, cache headers and no read of the replies', async () => {
    for (const path of READS) {
      const tag = await tagOf(path);
      t.callsB.clear();
      const res = await get(t.b, path, { 'If-None-Match': tag });
      assert.equal(res.status, 304, path);
      assert.equal(await res.text(), '');
      assert.equal(res.headers.get('ETag'), tag);
      assert.equal(res.headers.get('Cache-Control'), PUBLIC_READ);
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), ORIGIN);
      assert.match(res.headers.get('Vary') ?? '', /Origin/);
      for (const expensive of ['getTopic', 'listReplies', 'getTopicSummaries', 'lastEventId']) {
        assert.equal(t.callsB.get(expensive) ?? 0, 0, `${path}: a 304 does not call ${expensive}`);
      }
      const weak = await get(t.b, path, { 'If-None-Match': `"nope", W/${tag}` });
      assert.equal(weak.status, 304, 'If-None-Match compares weakly, in a list');
      const stale = await get(t.b, path, { 'If-None-Match': '"t0-stale"' });
      assert.equal(stale.status, 200);
      await stale.arrayBuffer();
    }
  });

  it('sends the topic reads brotli- or gzip-compressed as the client accepts, each coding with its own tag', async () => {
    for (let i = 0; i < 30; i++)
      await t.a.request(
        '/api/v1/topics/cached/replies',
        json({
          authorName: `Reader ${i}`,
          body: `A reply long enough to be worth compressing, number ${i}.`,
        }),
      );
    for (const path of READS.slice(0, 2)) {
      const plain = await get(t.a, path, { 'Accept-Encoding': 'identity' });
      const text = await plain.text();
      assert.equal(plain.headers.get('Content-Encoding'), null);
      const tags = new Set([plain.headers.get('ETag')]);
      for (const [accept, coding, decode] of [
        ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
        ['gzip', 'gzip', gunzipSync],
      ] as const) {
        const res = await get(t.b, path, { 'Accept-Encoding': accept });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('Content-Encoding'), coding, `${path} ${accept}`);
        assert.match(res.headers.get('Vary') ?? '', /Accept-Encoding/);
        assert.equal(res.headers.get('Content-Type'), 'application/json');
        const bytes = Buffer.from(await res.arrayBuffer());
        assert.equal(decode(bytes).toString(), text, 'the same JSON, compressed');
        assert.ok(bytes.length < text.length / 3, `${coding}: ${bytes.length} of ${text.length} bytes`);
        const tag = res.headers.get('ETag') ?? '';
        assert.match(tag, /^"[A-Za-z0-9_-]+"$/, 'a strong ETag');
        tags.add(tag);
        // Every instance computes the same tag for the same coding, and revalidates it.
        const again = await get(t.a, path, { 'Accept-Encoding': accept, 'If-None-Match': tag });
        assert.equal(again.status, 304);
        assert.equal(again.headers.get('ETag'), tag);
        assert.match(again.headers.get('Vary') ?? '', /Accept-Encoding/);
        // The tag of one coding does not validate another.
        const other = await get(t.a, path, { 'Accept-Encoding': 'identity', 'If-None-Match': tag });
        assert.equal(other.status, 200);
        await other.arrayBuffer();
      }
      assert.equal(tags.size, 3, `${path}: one tag per coding`);
    }
  });

  it('answers HEAD like GET: same status and headers, no body', async () => {
    for (const path of READS) {
      const got = await get(t.a, path);
      await got.arrayBuffer();
      const head = await get(t.b, path, {}, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');
      for (const name of ['ETag', 'Cache-Control', 'Content-Type'])
        assert.equal(head.headers.get(name), got.headers.get(name), `${path} ${name}`);
      const conditional = await get(t.b, path, { 'If-None-Match': got.headers.get('ETag')! }, 'HEAD');
      assert.equal(conditional.status, 304);
    }
  });

  it('tags different queries differently', async () => {
    const tags = new Set(
      await Promise.all([
        tagOf('/api/v1/topics/cached'),
        tagOf('/api/v1/topics/cached?limit=1'),
        tagOf('/api/v1/topics/cached/replies'),
        tagOf('/api/v1/topics/cached/replies?limit=1'),
        tagOf('/api/v1/topics?ids=cached'),
        tagOf('/api/v1/topics?ids=cached,other'),
        tagOf('/api/v1/topics?ids=other,cached'),
      ]),
    );
    assert.equal(tags.size, 7);
  });

  it('changes every tag after a reply, an edit, a reaction, a lock, a moderation or a topic update, on any instance', async () => {
    let reply: CreatedReply | undefined;
    const writes: Array<[string, () => Response | Promise<Response>]> = [
      [
        'reply',
        async () => {
          const res = await t.b.request(
            '/api/v1/topics/cached/replies',
            json({ authorName: 'Ann', body: 'first' }),
          );
          reply = (await res.clone().json()) as CreatedReply;
          return res;
        },
      ],
      [
        'edit',
        () =>
          t.b.request(
            `/api/v1/replies/${reply!.id}`,
            json({ body: 'edited' }, { 'X-Colloquy-Edit-Token': reply!.editToken }, 'PATCH'),
          ),
      ],
      [
        'topic reaction',
        () =>
          t.b.request(
            '/api/v1/topics/cached/reactions',
            json({ kind: 'like' }, { 'X-Colloquy-Reader': READER }),
          ),
      ],
      [
        'reply reaction',
        () =>
          t.b.request(
            `/api/v1/replies/${reply!.id}/reactions`,
            json({ kind: 'like' }, { 'X-Colloquy-Reader': READER }),
          ),
      ],
      ['lock', () => t.b.request('/api/v1/admin/topics/cached/lock', json({ locked: true }, admin))],
      ['unlock', () => t.b.request('/api/v1/admin/topics/cached/lock', json({ locked: false }, admin))],
      ['hide', () => t.b.request(`/api/v1/admin/replies/${reply!.id}/hide`, json({}, admin))],
      [
        'topic update',
        () => t.b.request('/api/v1/topics', json({ id: 'cached', title: 'Cached, renamed' }, admin)),
      ],
    ];
    for (const [what, write] of writes) {
      const before = await Promise.all(READS.map(tagOf));
      const res = await write();
      assert.ok(res.ok, `${what}: ${res.status} ${await res.clone().text()}`);
      await res.arrayBuffer();
      const after = await Promise.all(READS.map(tagOf));
      for (const [k, path] of READS.entries()) {
        assert.notEqual(after[k], before[k], `${what} changes the tag of ${path}`);
      }
      const revalidated = await get(t.a, READS[0]!, { 'If-None-Match': before[0]! });
      assert.equal(revalidated.status, 200, `${what}: the old tag no longer matches`);
      await revalidated.arrayBuffer();
    }
  });

  it('never serves a kept body older than the database, whichever instance wrote', async () => {
    const read = async (app: typeof t.a, path: string) => {
      const res = await get(app, path);
      assert.equal(res.status, 200);
      return (await res.json()) as TopicWithReplies & ReplyPage;
    };
    const created = await t.a.request('/api/v1/topics', json({ id: 'kept', title: 'Kept' }, admin));
    assert.equal(created.status, 201);
    await created.arrayBuffer();
    await read(t.a, '/api/v1/topics/kept'); // kept by A for this version
    await read(t.a, '/api/v1/topics/kept/replies');
    const posted = await t.b.request(
      '/api/v1/topics/kept/replies',
      json({ authorName: 'Bo', body: 'Through B.' }),
    );
    assert.equal(posted.status, 201);
    await posted.arrayBuffer();
    const topic = await read(t.a, '/api/v1/topics/kept');
    assert.deepEqual(
      topic.replies.map((r) => r.text),
      ['Through B.'],
    );
    assert.equal(topic.replyCount, 1);
    const page = await read(t.a, '/api/v1/topics/kept/replies');
    assert.deepEqual(
      page.replies.map((r) => r.text),
      ['Through B.'],
    );
    const renamed = await t.b.request('/api/v1/topics', json({ id: 'kept', title: 'Kept, renamed' }, admin));
    assert.equal(renamed.status, 200);
    await renamed.arrayBuffer();
    assert.equal((await read(t.a, '/api/v1/topics/kept')).title, 'Kept, renamed');
  });

  it('carries lastEventId in the topic read, as the store has it', async () => {
    const topic = (await (await get(t.a, '/api/v1/topics/cached')).json()) as TopicWithReplies;
    assert.match(topic.lastEventId, /^[1-9]\d*$/);
    const fresh = (await (await get(t.a, '/api/v1/topics/other')).json()) as TopicWithReplies;
    assert.equal(fresh.lastEventId, '0');
  });
});

describe("HTTP caching and a reader's own pending reply", () => {
  it("keeps a response with the reader's pending reply private and untagged, and never answers it from the version", async () => {
    const t = await twoInstances({ moderation: 'all' });
    try {
      await t.a.request('/api/v1/topics', json({ id: 'held', title: 'Held' }, admin));
      const publicRead = await t.a.request('/api/v1/topics/held');
      const publicTag = publicRead.headers.get('ETag')!;
      assert.match(publicRead.headers.get('Vary') ?? '', /X-Colloquy-Reader/);
      await publicRead.arrayBuffer();

      const posted = await t.a.request(
        '/api/v1/topics/held/replies',
        json({ authorName: 'Ann', body: 'wait' }, { 'X-Colloquy-Reader': READER }),
      );
      assert.equal(((await posted.json()) as CreatedReply).status, 'pending');

      // Everyone else: nothing changed, so the old tag still holds.
      assert.equal(
        (await t.b.request('/api/v1/topics/held', { headers: { 'If-None-Match': publicTag } })).status,
        304,
      );
      // The author, with the tag from before posting, still gets their pending reply.
      for (const path of ['/api/v1/topics/held', '/api/v1/topics/held/replies']) {
        const own = await t.b.request(path, {
          headers: { 'X-Colloquy-Reader': READER, 'If-None-Match': publicTag },
        });
        assert.equal(own.status, 200, path);
        assert.equal(own.headers.get('Cache-Control'), 'private, no-store');
        assert.equal(own.headers.get('ETag'), null, `${path}: a private answer has no shared tag`);
        const body = (await own.json()) as TopicWithReplies | ReplyPage;
        assert.equal(body.replies.length, 1);
      }
      // A reader without a pending reply gets the public answer and tag.
      const other = await t.b.request('/api/v1/topics/held', {
        headers: { 'X-Colloquy-Reader': 'another-reader-key-0123' },
      });
      assert.equal(other.headers.get('ETag'), publicTag);
      assert.equal(other.headers.get('Cache-Control'), PUBLIC_READ);
      await other.arrayBuffer();
      const summaries = (await (await t.b.request('/api/v1/topics?ids=held')).json()) as TopicSummaries;
      assert.equal(summaries.topics[0]!.replyCount, 0);
    } finally {
      await t.close();
    }
  });
});

describe('HTTP caching and a write during a read', () => {
  it('sends no ETag when the version moved while the body was read', async () => {
    const { dir, cleanup } = await tempDir();
    const file = join(dir, 'race.db');
    const writer = SqliteStore.open(file);
    const reader = SqliteStore.open(file);
    try {
      await writer.upsertTopic({
        id: 'race',
        title: 'Race',
        url: null,
        category: null,
        label: null,
        summary: null,
        author: null,
        body: [],
        text: '',
        sources: [],
        locked: false,
      });
      let interfere = true;
      // A store whose read of the replies lets another server's write in first.
      const racing = new Proxy(reader, {
        get(target, name, receiver) {
          if (name === 'listReplies') {
            return async (...args: Parameters<Store['listReplies']>) => {
              if (interfere)
                await writer.toggleReaction({ type: 'topic', id: 'race' }, 'like', 'reader-one-aaaaaaaa');
              return target.listReplies(...args);
            };
          }
          const value = Reflect.get(target, name, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const app = createApp({
        store: racing,
        config: defaultConfig({ allowedOrigins: [ORIGIN], widgetBundlePath: join(dir, 'missing.js') }),
      });
      for (const path of ['/api/v1/topics/race', '/api/v1/topics/race/replies']) {
        interfere = true;
        const raced = await app.request(path);
        assert.equal(raced.status, 200);
        assert.equal(raced.headers.get('ETag'), null, `${path}: the body may be newer than any tag`);
        assert.equal(raced.headers.get('Cache-Control'), PUBLIC_READ);
        await raced.arrayBuffer();
        interfere = false;
        const calm = await app.request(path);
        assert.match(calm.headers.get('ETag') ?? '', /^"/, `${path}: tagged when nothing moved`);
        await calm.arrayBuffer();
      }
    } finally {
      await writer.close();
      await reader.close();
      await cleanup();
    }
  });
});

describe('HTTP caching of single-reply reads', () => {
  it('tags GET /replies/:id by its topic version, alike on every instance, and answers If-None-Match with 304 before reading it', async () => {
    const t = await twoInstances();
    try {
      await t.a.request('/api/v1/topics', json({ id: 'one', title: 'One' }, admin));
      const posted = await t.a.request(
        '/api/v1/topics/one/replies',
        json({ authorName: 'Ann', body: 'hello' }),
      );
      const reply = (await posted.json()) as CreatedReply;
      const path = `/api/v1/replies/${reply.id}`;
      const fromA = await t.a.request(path, { headers: { Origin: ORIGIN } });
      const fromB = await t.b.request(path, { headers: { Origin: ORIGIN } });
      const tag = fromA.headers.get('ETag') ?? '';
      assert.match(tag, /^"i\d+-[A-Za-z0-9_-]+"$/, 'a strong tag from the version counter');
      assert.equal(fromB.headers.get('ETag'), tag, 'both instances compute the same tag');
      assert.equal(await fromB.text(), await fromA.text());
      assert.equal(fromA.headers.get('Cache-Control'), PUBLIC_READ);
      assert.match(fromA.headers.get('Vary') ?? '', /X-Colloquy-Reader/);

      t.callsB.clear();
      const revalidated = await t.b.request(path, { headers: { Origin: ORIGIN, 'If-None-Match': tag } });
      assert.equal(revalidated.status, 304);
      assert.equal(await revalidated.text(), '');
      assert.equal(revalidated.headers.get('ETag'), tag);
      assert.equal(revalidated.headers.get('Cache-Control'), PUBLIC_READ);
      assert.equal(revalidated.headers.get('Access-Control-Allow-Origin'), ORIGIN);
      assert.equal(t.callsB.get('getReply') ?? 0, 0, 'a 304 does not read the reply');
      const head = await t.b.request(path, { method: 'HEAD', headers: { 'If-None-Match': tag } });
      assert.equal(head.status, 304);

      // Another reply's tag, at the same version, is not this one's.
      const second = (await (
        await t.a.request('/api/v1/topics/one/replies', json({ authorName: 'Bo', body: 'two' }))
      ).json()) as CreatedReply;
      const [tagOne, tagTwo] = await Promise.all(
        [reply.id, second.id].map(async (id) => {
          const res = await t.a.request(`/api/v1/replies/${id}`);
          await res.arrayBuffer();
          return res.headers.get('ETag');
        }),
      );
      assert.notEqual(tagOne, tagTwo);
      assert.notEqual(tagOne, tag, 'a reply elsewhere in the topic moves the tag too');

      // An edit, a reaction and a moderation each move it; the old tag gets the new body.
      const writes: Array<[string, () => Response | Promise<Response>]> = [
        [
          'edit',
          () =>
            t.b.request(
              path,
              json({ body: 'edited' }, { 'X-Colloquy-Edit-Token': reply.editToken }, 'PATCH'),
            ),
        ],
        [
          'reaction',
          () => t.b.request(`${path}/reactions`, json({ kind: 'like' }, { 'X-Colloquy-Reader': READER })),
        ],
        ['hide', () => t.b.request(`/api/v1/admin/replies/${reply.id}/hide`, json({}, admin))],
      ];
      for (const [what, write] of writes) {
        const before = await t.a.request(path);
        const beforeTag = before.headers.get('ETag') ?? '';
        await before.arrayBuffer();
        const res = await write();
        assert.ok(res.ok, `${what}: ${res.status}`);
        await res.arrayBuffer();
        const after = await t.b.request(path, { headers: { 'If-None-Match': beforeTag } });
        assert.equal(after.status, 200, `${what}: the old tag no longer matches`);
        assert.notEqual(after.headers.get('ETag'), beforeTag, what);
        await after.arrayBuffer();
      }
      const hidden = (await (await t.a.request(path)).json()) as { text: string; status: string };
      assert.equal(hidden.status, 'hidden');
      assert.equal(hidden.text, '', 'readers get the hidden reply blanked');

      // A moderator sees it in full: never tagged or shared, never answered from the version.
      const publicTag = (await t.a.request(path)).headers.get('ETag') ?? '';
      const moderator = await t.b.request(path, { headers: { ...admin, 'If-None-Match': publicTag } });
      assert.equal(moderator.status, 200);
      assert.equal(moderator.headers.get('Cache-Control'), 'private, no-store');
      assert.equal(moderator.headers.get('ETag'), null);
      assert.equal(((await moderator.json()) as { text: string }).text, 'edited');

      await expectProblem(await t.a.request('/api/v1/replies/NOPE'), 404);
    } finally {
      await t.close();
    }
  });

  it("keeps a reply awaiting review its author's: private, untagged, never a 304 from the version, 404 to others", async () => {
    const t = await twoInstances({ moderation: 'all' });
    try {
      await t.a.request('/api/v1/topics', json({ id: 'held-one', title: 'Held' }, admin));
      const posted = await t.a.request(
        '/api/v1/topics/held-one/replies',
        json({ authorName: 'Ann', body: 'wait' }, { 'X-Colloquy-Reader': READER }),
      );
      const reply = (await posted.json()) as CreatedReply;
      assert.equal(reply.status, 'pending');
      const path = `/api/v1/replies/${reply.id}`;
      // The tag it would have, were it public: anyone can compute one, so it must prove nothing.
      const version = await t.store.topicVersion('held-one');
      const computed = versionTag('i', [version], [reply.id]);
      for (const headers of [{}, { 'If-None-Match': computed }]) {
        await expectProblem(await t.b.request(path, { headers }), 404);
      }
      const own = await t.b.request(path, {
        headers: { 'X-Colloquy-Reader': READER, 'If-None-Match': computed },
      });
      assert.equal(own.status, 200);
      assert.equal(own.headers.get('Cache-Control'), 'private, no-store');
      assert.equal(own.headers.get('ETag'), null);
      assert.equal(((await own.json()) as CreatedReply).status, 'pending');
      const moderator = await t.a.request(path, { headers: { ...admin, 'If-None-Match': computed } });
      assert.equal(moderator.status, 200);
      assert.equal(moderator.headers.get('Cache-Control'), 'private, no-store');
      await moderator.arrayBuffer();
    } finally {
      await t.close();
    }
  });
});
