import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreatedReply } from '@colloquy/api';
import {
  ADMIN_TOKEN,
  expect429,
  expectProblem,
  fromAddress,
  json,
  ORIGIN,
  testApp,
} from '../testing/helpers.js';
import { createApp, MemoryBus, renderMarkdown } from '../index.js';
import { counting } from '../testing/instances.js';
import { SseReader } from '../testing/sse.js';
import { REPLAY_PAGE } from './events.js';

type TestApp = Awaited<ReturnType<typeof testApp>>;
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const eventsPath = (id: string, query = '') => `/api/v1/topics/${encodeURIComponent(id)}/events${query}`;

async function withTopic(t: TestApp, id: string): Promise<void> {
  const res = await t.app.request('/api/v1/topics', json({ id, title: `Topic ${id}` }, admin));
  assert.equal(res.status, 201);
}

async function postReply(t: TestApp, topic: string, body: string, authorName: string) {
  const res = await t.app.request(`/api/v1/topics/${topic}/replies`, json({ authorName, body }));
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as CreatedReply;
}

/** Opens an event stream as `address` would; the response, and its reader once it is a stream. */
async function open(t: TestApp, topic: string, address: string, query = '') {
  const res = await t.app.request(
    eventsPath(topic, query),
    { headers: { Origin: ORIGIN } },
    fromAddress(address),
  );
  return { res, stream: res.status === 200 ? new SseReader(res) : null };
}

/** Everything a replay from `after=0` sends, up to the topic's newest event. */
async function replay(t: TestApp, topic: string): Promise<string> {
  const newest = await t.store.lastEventId(topic);
  const { res, stream } = await open(t, topic, '198.51.100.7', '?after=0');
  assert.equal(res.status, 200);
  assert.ok(stream);
  let text = '';
  for (;;) {
    const event = await stream.event();
    text += `${event.event} ${event.data}\n`;
    if (event.id === newest) break;
  }
  await stream.cancel();
  return text;
}

describe('hostile use of the event log and streams', () => {
  describe('replays say only what readers may read now', () => {
    let t: TestApp;
    before(async () => {
      t = await testApp();
    });
    after(() => t.close());

    for (const [change, act] of [
      [
        'a moderator hides it',
        (reply: CreatedReply) => t.app.request(`/api/v1/admin/replies/${reply.id}/hide`, json({}, admin)),
      ],
      [
        'its author deletes it',
        (reply: CreatedReply) =>
          t.app.request(`/api/v1/replies/${reply.id}`, {
            method: 'DELETE',
            headers: { Origin: ORIGIN, 'X-Colloquy-Edit-Token': reply.editToken },
          }),
      ],
      [
        'its author edits it',
        (reply: CreatedReply) =>
          t.app.request(
            `/api/v1/replies/${reply.id}`,
            json({ body: 'Nothing to see.' }, { 'X-Colloquy-Edit-Token': reply.editToken }, 'PATCH'),
          ),
      ],
    ] as const) {
      it(`keeps no trace of a reply's old text, nor of a removed reply's author, once ${change}`, async () => {
        const topic = `redact-${change.split(' ').at(-2)}`;
        await withTopic(t, topic);
        const secret = `leaked-${Math.random().toString(36).slice(2)}`;
        const reply = await postReply(t, topic, `My address is ${secret}.`, 'Mallory Whistle');
        await postReply(t, topic, 'Another reply.', 'Bystander');
        assert.ok((await replay(t, topic)).includes(secret), 'the replay showed it before');

        const res = await act(reply);
        assert.ok(res.status === 200 || res.status === 204, `${res.status}: ${await res.text()}`);
        const text = await replay(t, topic);
        assert.ok(!text.includes(secret), `the replay still shows the old text:\n${text}`);
        if (change.includes('edits')) assert.ok(text.includes('Nothing to see.'));
        else assert.ok(!text.includes('Mallory Whistle'), 'the replay still shows the author');
        assert.ok(text.includes('Another reply.') && text.includes('Bystander'), 'others are untouched');
      });
    }
  });

  describe('streams within budget', () => {
    let t: TestApp;
    before(async () => {
      t = await testApp({ maxStreamsPerClient: 3, maxStreams: 5, heartbeatSeconds: 0 });
      await withTopic(t, 'capped');
    });
    after(() => t.close());

    it('lets one network hold its share of streams, refuses more with 429, and gives places back', async () => {
      // Three addresses of one /24 share its three places.
      const held = await Promise.all(
        ['203.0.113.1', '203.0.113.2', '203.0.113.3'].map((a) => open(t, 'capped', a)),
      );
      for (const { res } of held) assert.equal(res.status, 200);
      const refused = await open(t, 'capped', '203.0.113.99');
      const problem = await expect429(refused.res);
      assert.match(problem.detail, /At most 3 live update streams/);
      // Another network is not affected by the first one's use.
      const other = await open(t, 'capped', '192.0.2.1');
      assert.equal(other.res.status, 200);
      // A stream that ends (the reader leaves) gives its place back.
      await held[0]?.stream?.cancel();
      const again = await open(t, 'capped', '203.0.113.4');
      assert.equal(again.res.status, 200);
      for (const s of [...held.slice(1), other, again]) await s.stream?.cancel();
    });

    it('refuses streams past the server-wide cap with 503 and Retry-After, whoever asks', async () => {
      const held = [];
      for (let k = 1; k <= 5; k++) {
        const s = await open(t, 'capped', `10.0.${k}.1`);
        assert.equal(s.res.status, 200);
        held.push(s);
      }
      const full = await open(t, 'capped', '10.0.9.1');
      const problem = await expectProblem(full.res, 503);
      assert.match(full.res.headers.get('Retry-After') ?? '', /^[1-9]\d*$/);
      assert.match(problem.detail, /Try again in \d+ seconds/);
      // The refusal holds nothing: one place freed is one stream more.
      await held[0]?.stream?.cancel();
      const next = await open(t, 'capped', '10.0.9.1');
      assert.equal(next.res.status, 200);
      for (const s of [...held.slice(1), next]) await s.stream?.cancel();
    });

    it('counts neither refused requests nor HEAD against the budget', async () => {
      for (let k = 0; k < 10; k++) {
        await expectProblem((await open(t, 'capped', '203.0.113.5', '?after=abc')).res, 400);
        await expectProblem((await open(t, 'missing', '203.0.113.5')).res, 404);
        const head = await t.app.request(
          eventsPath('capped'),
          { method: 'HEAD' },
          fromAddress('203.0.113.5'),
        );
        assert.equal(head.status, 200);
      }
      const held = await Promise.all([1, 2, 3].map((k) => open(t, 'capped', `203.0.113.${k}`)));
      for (const { res } of held) assert.equal(res.status, 200);
      for (const s of held) await s.stream?.cancel();
    });
  });

  describe('replays go at the pace of their reader', () => {
    let t: TestApp;
    before(async () => {
      t = await testApp({ heartbeatSeconds: 0 });
      await withTopic(t, 'long');
      const body = renderMarkdown(`A reply long enough to weigh something. ${'words '.repeat(150)}`);
      for (let k = 0; k < 600; k++)
        await t.store.createReply({
          topicId: 'long',
          parentId: null,
          authorName: 'Ann',
          ...body,
          notify: false,
        });
    });
    after(() => t.close());

    it('reads the history page by page as the client takes it, not all at once', async () => {
      const { store, calls } = counting(t.store);
      const app = createApp({ store, config: t.config, bus: new MemoryBus() });
      const res = await app.request(eventsPath('long', '?after=0'), { headers: { Origin: ORIGIN } });
      assert.equal(res.status, 200);
      // A client that reads nothing: the stream fills its small queue and waits.
      await new Promise((go) => setTimeout(go, 300));
      const waiting = calls.get('listEvents') ?? 0;
      assert.ok(waiting >= 1 && waiting <= 2, `${waiting} pages read for a client that took none`);
      // Read to the end: the whole history arrives, in order, in pages of a bounded size.
      const stream = new SseReader(res);
      const events = await stream.events(1200);
      assert.equal(events.at(-1)?.id, await t.store.lastEventId('long'));
      assert.ok((calls.get('listEvents') ?? 0) >= 1200 / REPLAY_PAGE, 'read in bounded pages');
      await stream.cancel();
    });
  });

  describe('a client resuming from history the server no longer keeps', () => {
    let t: TestApp;
    before(async () => {
      t = await testApp({ heartbeatSeconds: 0 });
      await withTopic(t, 'pruned');
    });
    after(() => t.close());

    it('is told to reload (and the stream ends), while one within the kept window replays', async () => {
      const read = await (await t.app.request('/api/v1/topics/pruned')).json();
      const seen = (read as { lastEventId: string }).lastEventId;
      for (let k = 0; k < 3; k++) await postReply(t, 'pruned', `missed ${k}`, 'Ann');
      const newest = await t.store.lastEventId('pruned');
      t.store.pruneEvents(new Date(Date.now() + 60_000));

      for (const query of [`?after=${seen}`, '?after=0']) {
        const { res, stream } = await open(t, 'pruned', '198.51.100.1', query);
        assert.equal(res.status, 200);
        assert.ok(stream);
        const event = await stream.event();
        assert.equal(event.event, 'reload');
        assert.deepEqual(JSON.parse(event.data), { reason: 'history-pruned' });
        assert.equal(event.id, newest, 'an EventSource that reconnects resumes from now');
        await assert.rejects(stream.frame(), /ended/);
      }
      // From the kept newest event on, nothing is missing: a normal stream.
      const { stream } = await open(t, 'pruned', '198.51.100.1', `?after=${newest}`);
      assert.ok(stream);
      await postReply(t, 'pruned', 'after pruning', 'Ann');
      const event = await stream.event();
      assert.equal(event.event, 'reply-created');
      await stream.cancel();
    });
  });
});
