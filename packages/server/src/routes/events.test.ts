import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CreatedReply, Reply, TopicWithReplies } from '@colloquy/api';
import {
  createApp,
  defaultConfig,
  listen,
  loadConfig,
  renderMarkdown,
  SqliteStore,
  UsageError,
} from '../index.js';
import { ADMIN_TOKEN, expectProblem, json, ORIGIN, tempDir, testApp } from '../testing/helpers.js';
import { bounded, eventually, SseReader } from '../testing/sse.js';

type TestApp = Awaited<ReturnType<typeof testApp>>;
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const READER = 'reader-key-0123456789';
const eventsPath = (id: string, query = '') => `/api/v1/topics/${encodeURIComponent(id)}/events${query}`;

async function withTopic(t: TestApp, id: string): Promise<void> {
  const res = await t.app.request('/api/v1/topics', json({ id, title: `Topic ${id}` }, admin));
  assert.equal(res.status, 201);
}

const postReply = async (
  t: TestApp,
  topic: string,
  body: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => {
  const res = await t.app.request(
    `/api/v1/topics/${topic}/replies`,
    json({ authorName: 'Ann', body, ...extra }, headers),
  );
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as CreatedReply;
};

/** Opens the topic's event stream and waits for its first frame, so it is subscribed. */
async function subscribe(t: TestApp, topic: string, headers: Record<string, string> = {}, query = '') {
  const res = await t.app.request(eventsPath(topic, query), { headers: { Origin: ORIGIN, ...headers } });
  assert.equal(res.status, 200, res.status === 200 ? '' : await res.text());
  const stream = new SseReader(res);
  const first = await stream.frame();
  assert.equal(first.retry, '3000', 'the stream starts by telling EventSource when to reconnect');
  return { res, stream };
}

describe('GET /api/v1/topics/:id/events', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  it('streams with the event-stream headers and CORS of a read, and no ETag', async () => {
    await withTopic(t, 'headers');
    const { res, stream } = await subscribe(t, 'headers');
    assert.equal(res.headers.get('Content-Type'), 'text/event-stream');
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    assert.equal(res.headers.get('Access-Control-Allow-Origin'), ORIGIN);
    assert.equal(res.headers.get('ETag'), null);
    await stream.cancel();
  });

  it('answers 404 for an unknown topic and 400 for a bad event id or topic id, before any stream', async () => {
    await withTopic(t, 'bad-ids');
    await expectProblem(await t.app.request(eventsPath('no-such-topic')), 404);
    await expectProblem(await t.app.request(eventsPath('-bad')), 400);
    // (Header values lose surrounding spaces on the way, so ' 1' is tried in the query only.)
    const query = await expectProblem(await t.app.request(eventsPath('bad-ids', '?after=%201')), 400);
    assert.match(query.detail, /after/);
    for (const bad of ['abc', '-1', '1.5', '1e3', '1234567890123456789', '']) {
      const header = await expectProblem(
        await t.app.request(eventsPath('bad-ids'), { headers: { 'Last-Event-ID': bad } }),
        400,
      );
      assert.match(header.detail, /Last-Event-ID/);
      const inQuery = await expectProblem(
        await t.app.request(eventsPath('bad-ids', `?after=${encodeURIComponent(bad)}`)),
        400,
      );
      assert.match(inQuery.detail, /after/);
    }
    assert.equal(t.bus.listenerCount(), 0, 'a refused request subscribes to nothing');
  });

  it('delivers a reply posted through the same app, live, as reply-created then counts', async () => {
    await withTopic(t, 'live');
    const { stream } = await subscribe(t, 'live');
    const reply = await postReply(t, 'live', 'hello *live*');
    const [created, counts] = await stream.events(2);
    assert.equal(created!.event, 'reply-created');
    const data = JSON.parse(created!.data) as Reply;
    assert.equal(data.id, reply.id);
    assert.equal(data.text, 'hello live');
    assert.ok(!('editToken' in data), 'the edit token is for the author only');
    assert.deepEqual([counts!.event, JSON.parse(counts!.data)], ['counts', { replyCount: 1 }]);
    assert.ok(BigInt(counts!.id) > BigInt(created!.id));
    await stream.cancel();
  });

  it('replays exactly the events after Last-Event-ID, in order, then goes on live without repeats', async () => {
    await withTopic(t, 'replay');
    for (const text of ['one', 'two', 'three']) await postReply(t, 'replay', text);
    const stored = await t.store.listEvents('replay', '0', 100);
    assert.equal(stored.length, 6);
    // `after` is ignored when the header is there: EventSource's reconnection wins.
    const { stream } = await subscribe(t, 'replay', { 'Last-Event-ID': stored[1]!.id }, '?after=0');
    const replayed = await stream.events(4);
    assert.deepEqual(
      replayed.map((e) => [e.id, e.event, JSON.parse(e.data)]),
      stored.slice(2).map((e) => [e.id, e.type, e.data]),
    );
    const four = await postReply(t, 'replay', 'four');
    const next = await stream.event();
    assert.equal(next.event, 'reply-created');
    assert.equal(
      (JSON.parse(next.data) as Reply).id,
      four.id,
      'the first event after the replay is the new one',
    );
    await stream.cancel();
  });

  it('starts after the `after` query parameter, and after the newest event without either', async () => {
    await withTopic(t, 'after');
    await postReply(t, 'after', 'old');
    const read = (await (await t.app.request('/api/v1/topics/after')).json()) as TopicWithReplies;
    assert.equal(read.lastEventId, await t.store.lastEventId('after'));
    await postReply(t, 'after', 'missed');

    const fromRead = await subscribe(t, 'after', {}, `?after=${read.lastEventId}`);
    const missed = await fromRead.stream.event();
    assert.equal((JSON.parse(missed.data) as Reply).text, 'missed');
    await fromRead.stream.cancel();

    const fresh = await subscribe(t, 'after');
    const reply = await postReply(t, 'after', 'new');
    const first = await fresh.stream.event();
    assert.equal((JSON.parse(first.data) as Reply).id, reply.id, 'no replay without a starting point');
    await fresh.stream.cancel();
  });

  it('replays more events than one page of the store, or one queue of the stream, holds', async () => {
    await withTopic(t, 'many');
    for (let k = 0; k < 200; k++)
      await t.store.createReply({
        topicId: 'many',
        parentId: null,
        authorName: 'A',
        ...renderMarkdown(`r${k}`),
      });
    const stored = await t.store.listEvents('many', '0', 1000);
    assert.equal(stored.length, 400);
    const { stream } = await subscribe(t, 'many', {}, '?after=0');
    assert.deepEqual(
      (await stream.events(400)).map((e) => e.id),
      stored.map((e) => e.id),
    );
    await stream.cancel();
  });

  it('reads the store on every notification, so duplicated, stale or early notifications skip and repeat nothing', async () => {
    await withTopic(t, 'notify');
    const { stream } = await subscribe(t, 'notify');
    t.bus.publish('notify', '999999'); // no such event yet: nothing to send
    // Two writes straight to the store (no route announces them), then one stale notification.
    const a = await t.store.createReply({
      topicId: 'notify',
      parentId: null,
      authorName: 'A',
      ...renderMarkdown('a'),
    });
    const b = await t.store.createReply({
      topicId: 'notify',
      parentId: null,
      authorName: 'B',
      ...renderMarkdown('b'),
    });
    t.bus.publish('notify', '1');
    t.bus.publish('notify', '1');
    const events = await stream.events(4);
    assert.deepEqual(
      events.map((e) => [e.event, (JSON.parse(e.data) as { id?: string }).id ?? null]),
      [
        ['reply-created', a.id],
        ['counts', null],
        ['reply-created', b.id],
        ['counts', null],
      ],
    );
    const c = await postReply(t, 'notify', 'c');
    assert.equal((JSON.parse((await stream.event()).data) as Reply).id, c.id, 'nothing was sent twice');
    await stream.cancel();
  });

  it('sends every kind of change with its payload', async () => {
    await withTopic(t, 'kinds');
    const { stream } = await subscribe(t, 'kinds');
    const reply = await postReply(t, 'kinds', 'first', {}, { 'X-Colloquy-Reader': READER });
    await stream.events(2);

    const edit = await t.app.request(
      `/api/v1/replies/${reply.id}`,
      json({ body: 'first, edited' }, { 'X-Colloquy-Edit-Token': reply.editToken }, 'PATCH'),
    );
    assert.equal(edit.status, 200);
    const changed = await stream.event();
    assert.equal(changed.event, 'reply-changed');
    assert.equal((JSON.parse(changed.data) as Reply).text, 'first, edited');

    await t.app.request(
      '/api/v1/topics/kinds/reactions',
      json({ kind: 'like' }, { 'X-Colloquy-Reader': READER }),
    );
    await t.app.request(
      `/api/v1/replies/${reply.id}/reactions`,
      json({ kind: 'insightful' }, { 'X-Colloquy-Reader': READER }),
    );
    const [onTopic, onReply] = await stream.events(2);
    assert.deepEqual(
      [onTopic!.event, JSON.parse(onTopic!.data)],
      ['reactions', { replyId: null, reactions: { like: 1, insightful: 0, disagree: 0 } }],
    );
    assert.deepEqual(
      [onReply!.event, JSON.parse(onReply!.data)],
      ['reactions', { replyId: reply.id, reactions: { like: 0, insightful: 1, disagree: 0 } }],
    );

    assert.equal(
      (await t.app.request(`/api/v1/admin/replies/${reply.id}/hide`, json({}, admin))).status,
      200,
    );
    const [hidden, afterHide] = await stream.events(2);
    const blank = JSON.parse(hidden!.data) as Reply;
    assert.deepEqual(
      [hidden!.event, blank.status, blank.text, blank.author.name, blank.body],
      ['reply-changed', 'hidden', '', '', []],
    );
    assert.deepEqual([afterHide!.event, JSON.parse(afterHide!.data)], ['counts', { replyCount: 0 }]);

    const second = await postReply(t, 'kinds', 'second');
    await stream.events(2);
    const del = await t.app.request(`/api/v1/replies/${second.id}`, {
      method: 'DELETE',
      headers: { Origin: ORIGIN, 'X-Colloquy-Edit-Token': second.editToken },
    });
    assert.equal(del.status, 200);
    const [deleted, afterDelete] = await stream.events(2);
    const gone = JSON.parse(deleted!.data) as Reply;
    assert.deepEqual(
      [deleted!.event, gone.id, gone.status, gone.text, gone.author.name],
      ['reply-changed', second.id, 'deleted', '', ''],
    );
    assert.deepEqual(JSON.parse(afterDelete!.data), { replyCount: 0 });

    // Locking changes the topic read (and its ETag) but is no event.
    await t.app.request('/api/v1/admin/topics/kinds/lock', json({ locked: true }, admin));
    await t.app.request('/api/v1/admin/topics/kinds/lock', json({ locked: false }, admin));
    const third = await postReply(t, 'kinds', 'third');
    assert.equal((JSON.parse((await stream.event()).data) as Reply).id, third.id);
    await stream.cancel();
  });

  it('stops listening when the client disconnects, or its request is aborted', async () => {
    await withTopic(t, 'bye');
    const { stream } = await subscribe(t, 'bye');
    assert.equal(t.bus.listenerCount('bye'), 1);
    await stream.cancel();
    await eventually(() => t.bus.listenerCount('bye') === 0, 'the subscription to end after a cancel');

    const abort = new AbortController();
    const res = await t.app.request(eventsPath('bye'), { signal: abort.signal });
    const reader = new SseReader(res);
    await reader.frame();
    assert.equal(t.bus.listenerCount('bye'), 1);
    abort.abort();
    await eventually(() => t.bus.listenerCount('bye') === 0, 'the subscription to end after an abort');
    await postReply(t, 'bye', 'nobody listens'); // and nothing breaks
  });

  it('answers HEAD with the headers and no stream', async () => {
    await withTopic(t, 'head');
    const res = await t.app.request(eventsPath('head'), { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Content-Type'), 'text/event-stream');
    assert.equal(await res.text(), '');
    assert.equal(t.bus.listenerCount('head'), 0);
  });
});

describe('event stream moderation', () => {
  it('sends nothing for a pending reply until a moderator approves it', async () => {
    const t = await testApp({ moderation: 'all' });
    try {
      await withTopic(t, 'held');
      const { stream } = await subscribe(t, 'held');
      const held = await postReply(t, 'held', 'please review', {}, { 'X-Colloquy-Reader': READER });
      assert.equal(held.status, 'pending');
      assert.equal(await t.store.lastEventId('held'), '0');
      assert.equal(
        (await t.app.request(`/api/v1/admin/replies/${held.id}/approve`, json({}, admin))).status,
        200,
      );
      const [created, counts] = await stream.events(2);
      assert.equal(created!.event, 'reply-created', 'the first event is the approval, not the posting');
      const reply = JSON.parse(created!.data) as Reply;
      assert.deepEqual([reply.id, reply.status, reply.text], [held.id, 'published', 'please review']);
      assert.deepEqual(JSON.parse(counts!.data), { replyCount: 1 });
      await stream.cancel();
    } finally {
      await t.close();
    }
  });
});

describe('event stream heartbeat', () => {
  it('sends a comment on an idle stream every heartbeatSeconds', async () => {
    const t = await testApp({ heartbeatSeconds: 1 });
    try {
      await withTopic(t, 'idle');
      const { stream } = await subscribe(t, 'idle');
      const frame = await stream.frame();
      assert.deepEqual(frame.comments, ['ping']);
      assert.equal(frame.event, undefined);
      await stream.cancel();
    } finally {
      await t.close();
    }
  });
});

describe('event stream over a real socket', () => {
  it('ends the subscription when the client goes away, and lets the server close with streams open', async () => {
    const t = await testApp();
    const server = await listen(t.app, { port: 0, hostname: '127.0.0.1' });
    try {
      await withTopic(t, 'socket');
      const abort = new AbortController();
      const res = await fetch(`${server.url}${eventsPath('socket')}`, { signal: abort.signal });
      const stream = new SseReader(res);
      await stream.frame();
      await eventually(() => t.bus.listenerCount('socket') === 1, 'the subscription');
      const reply = await postReply(t, 'socket', 'over the wire');
      assert.equal((JSON.parse((await stream.event()).data) as Reply).id, reply.id);
      abort.abort();
      await eventually(
        () => t.bus.listenerCount('socket') === 0,
        'the subscription to end when the socket closes',
      );

      const open = await fetch(`${server.url}${eventsPath('socket')}`);
      await new SseReader(open).frame();
    } finally {
      await bounded(server.close(), 'the server to close with a stream open');
      await t.close();
    }
  });
});

describe('event stream without a shared bus', () => {
  it("finds another process's writes to the same SQLite file at the next heartbeat", async () => {
    const { dir, cleanup } = await tempDir();
    const file = join(dir, 'shared.db');
    const config = defaultConfig({
      allowedOrigins: [ORIGIN],
      adminToken: ADMIN_TOKEN,
      widgetBundlePath: join(dir, 'none.js'),
      heartbeatSeconds: 1,
    });
    const [storeA, storeB] = [SqliteStore.open(file), SqliteStore.open(file)];
    try {
      // Each app has a MemoryBus of its own, as two server processes would.
      const a = createApp({ store: storeA, config });
      const b = createApp({ store: storeB, config });
      assert.equal(
        (await a.request('/api/v1/topics', json({ id: 'shared', title: 'Shared' }, admin))).status,
        201,
      );
      const stream = new SseReader(await a.request(eventsPath('shared')));
      await stream.frame();
      const posted = await b.request(
        '/api/v1/topics/shared/replies',
        json({ authorName: 'B', body: 'from b' }),
      );
      const reply = (await posted.json()) as CreatedReply;
      const event = await stream.event();
      assert.deepEqual([event.event, (JSON.parse(event.data) as Reply).id], ['reply-created', reply.id]);
      await stream.cancel();
    } finally {
      await storeA.close();
      await storeB.close();
      await cleanup();
    }
  });
});

describe('a failing bus', () => {
  it('does not fail the write it would have announced', async (ctx) => {
    const { dir, cleanup } = await tempDir();
    const store = SqliteStore.open(join(dir, 'bus.db'));
    const logged = ctx.mock.method(console, 'error', () => {});
    try {
      const bus = {
        publish: () => Promise.reject(new Error('bus down')),
        subscribe: () => () => {},
        close: async () => {},
      };
      const app = createApp({
        store,
        bus,
        config: defaultConfig({
          allowedOrigins: [ORIGIN],
          adminToken: ADMIN_TOKEN,
          widgetBundlePath: join(dir, 'none.js'),
        }),
      });
      assert.equal(
        (await app.request('/api/v1/topics', json({ id: 'busy', title: 'Busy' }, admin))).status,
        201,
      );
      const res = await app.request(
        '/api/v1/topics/busy/replies',
        json({ authorName: 'A', body: 'still here' }),
      );
      assert.equal(res.status, 201);
      assert.equal(logged.mock.callCount(), 1, 'the failure is logged');
    } finally {
      await store.close();
      await cleanup();
    }
  });
});

describe('heartbeat setting', () => {
  it('is read from --heartbeat and COLLOQUY_HEARTBEAT, 15 seconds by default', () => {
    assert.equal(loadConfig({}, ['serve']).app.heartbeatSeconds, 15);
    assert.equal(loadConfig({ COLLOQUY_HEARTBEAT: '30' }, ['serve']).app.heartbeatSeconds, 30);
    assert.equal(
      loadConfig({ COLLOQUY_HEARTBEAT: '30' }, ['serve', '--heartbeat', '5']).app.heartbeatSeconds,
      5,
    );
    assert.throws(() => loadConfig({}, ['serve', '--heartbeat', 'soon']), UsageError);
    assert.throws(() => loadConfig({}, ['serve', '--heartbeat', '3601']), UsageError);
  });
});
