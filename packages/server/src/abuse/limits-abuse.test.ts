import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Challenge } from '@colloquy/api';
import { createApp, defaultConfig, listen, PostgresStore, type AppConfig } from '../index.js';
import {
  ADMIN_TOKEN,
  expect429,
  expectProblem,
  fromAddress,
  json,
  ORIGIN,
  testApp,
} from '../testing/helpers.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

const solve = (challenge: string, difficulty: number) => {
  for (let nonce = 0; ; nonce++) {
    const digest = createHash('sha256').update(`${challenge}:${nonce}`).digest();
    let bits = 0;
    for (const byte of digest) {
      if (byte === 0) bits += 8;
      else {
        bits += Math.clz32(byte) - 24;
        break;
      }
    }
    if (bits >= difficulty) return String(nonce);
  }
};

async function setup(overrides: Partial<AppConfig>) {
  const t = await testApp(overrides);
  await t.app.request('/api/v1/topics', json({ id: 'topic', title: 'Topic' }, admin));
  const reply = (address: string, body: object, headers: Record<string, string> = {}) =>
    t.app.request('/api/v1/topics/topic/replies', json(body, headers), fromAddress(address));
  const react = (address: string, readerKey: string) =>
    t.app.request(
      '/api/v1/topics/topic/reactions',
      json({ kind: 'like' }, { 'X-Colloquy-Reader': readerKey }),
      fromAddress(address),
    );
  const proof = async () => {
    const { challenge, difficulty } = (await (await t.app.request('/api/v1/challenge')).json()) as Challenge;
    return { 'X-Colloquy-Proof': `${challenge}:${solve(challenge, difficulty)}` };
  };
  return { ...t, reply, react, proof };
}

describe('limits that count what they should', () => {
  it("counts refused replies toward the sender's network only: junk cannot silence a topic", async () => {
    const t = await setup({ topicRateLimit: 3, replyRateLimit: 5, powDifficulty: 6, maxLinksPerReply: 1 });
    try {
      // Six networks send junk the server refuses: no proof (428), too many links (422).
      for (let n = 1; n <= 6; n++) {
        const address = `198.51.${n}.7`;
        await expectProblem(await t.reply(address, { authorName: 'Junk', body: 'no proof' }), 428);
        const links = { authorName: 'Junk', body: 'https://a.example https://b.example' };
        await expectProblem(await t.reply(address, links, await t.proof()), 422);
      }
      // The sender's own network pays for every attempt, refused or not: 5 a minute.
      for (let k = 0; k < 3; k++)
        await expectProblem(await t.reply('203.0.113.1', { authorName: 'Junk', body: 'x' }), 428);
      await expectProblem(await t.reply('203.0.113.2', { authorName: 'Junk', body: 'x' }), 428);
      await expectProblem(await t.reply('203.0.113.3', { authorName: 'Junk', body: 'x' }), 428);
      await expect429(await t.reply('203.0.113.4', { authorName: 'Junk', body: 'x' }));
      // A real reader still gets through, three times (the topic's budget), then the topic is full.
      for (let k = 0; k < 3; k++) {
        const res = await t.reply(
          `192.0.2.${k + 1}`,
          { authorName: 'Real', body: `real ${k}` },
          await t.proof(),
        );
        assert.equal(res.status, 201, await res.text());
      }
      const full = await expect429(
        await t.reply('192.0.2.9', { authorName: 'Real', body: 'one more' }, await t.proof()),
      );
      assert.match(full.detail, /This topic takes at most 3 replies a minute/);
    } finally {
      await t.close();
    }
  });

  it('makes a reader key new to a network pay for its first reaction as a reply would', async () => {
    const t = await setup({ replyRateLimit: 10, writeRateLimit: 1000 });
    try {
      const statuses = [];
      for (let k = 0; k < 30; k++)
        statuses.push((await t.react('203.0.113.9', `invented-reader-key-${k}-${'x'.repeat(8)}`)).status);
      assert.deepEqual(
        statuses,
        [...Array<number>(10).fill(200), ...Array<number>(20).fill(429)],
        '30 invented keys from one network',
      );
      const topic = (await (await t.app.request('/api/v1/topics/topic')).json()) as {
        reactions: { like: number };
      };
      assert.equal(topic.reactions.like, 10, 'not 30 likes');
      // A key that has reacted from the network toggles on as any write does.
      for (let k = 0; k < 15; k++)
        assert.equal((await t.react('203.0.113.9', 'invented-reader-key-0-xxxxxxxx')).status, 200);
      // Another network has its own budget of new keys.
      assert.equal((await t.react('192.0.2.1', 'invented-reader-key-99-xxxxxxxx')).status, 200);
      const refused = await expect429(await t.react('203.0.113.10', 'another-new-key-xxxxxxxxxx'));
      assert.match(refused.detail, /new readers a minute/);
    } finally {
      await t.close();
    }
  });
});

const DATABASE_URL = process.env.COLLOQUY_TEST_DATABASE_URL;

describe('limits and spent challenges shared by two servers on one PostgreSQL database', () => {
  if (!DATABASE_URL) {
    it('needs COLLOQUY_TEST_DATABASE_URL', { skip: 'COLLOQUY_TEST_DATABASE_URL is not set' }, () => {});
    return;
  }
  const url = DATABASE_URL;
  const schema = `colloquy_test_limits_${process.pid}_${randomBytes(4).toString('hex')}`;
  const servers: Array<{ url: string; close(): Promise<void>; store: PostgresStore }> = [];
  before(async () => {
    const config = defaultConfig({
      allowedOrigins: [ORIGIN],
      adminToken: ADMIN_TOKEN,
      replyRateLimit: 4,
      topicRateLimit: 100,
      writeRateLimit: 1000,
      powDifficulty: 6,
      secret: 'one secret for both servers',
    });
    for (let k = 0; k < 2; k++) {
      const store = await PostgresStore.open(url, { schema });
      const server = await listen(createApp({ store, config }), { port: 0, hostname: '127.0.0.1' });
      servers.push({
        url: server.url,
        store,
        close: async () => {
          await server.close();
          await store.close();
        },
      });
    }
    const res = await fetch(
      `${servers[0]?.url}/api/v1/topics`,
      json({ id: 'shared', title: 'Shared' }, admin),
    );
    assert.equal(res.status, 201);
  });
  after(async () => {
    for (const server of servers) await server.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  const at = (k: number) => servers[k % 2]?.url ?? '';
  const challenge = async (k: number) => {
    const { challenge: c, difficulty } = (await (
      await fetch(`${at(k)}/api/v1/challenge`)
    ).json()) as Challenge;
    return `${c}:${solve(c, difficulty)}`;
  };
  const post = (k: number, proof: string, readerKey = 'reader-key-0123456789') =>
    fetch(
      `${at(k)}/api/v1/topics/shared/replies`,
      json(
        { authorName: 'Ann', body: `reply ${k}` },
        { 'X-Colloquy-Proof': proof, 'X-Colloquy-Reader': readerKey },
      ),
    );

  it('spends a challenge once for both: a proof accepted by one is refused by the other', async () => {
    const proof = await challenge(0);
    assert.equal((await post(0, proof)).status, 201);
    const again = await expectProblem(await post(1, proof), 403);
    assert.match(again.detail, /used already/);
  });

  it("counts one network's replies on both servers against one limit", async () => {
    // Two attempts of this network's 4 went to the test above (the refused one counts too);
    // the servers take turns for the rest, and each knows what the other counted.
    assert.equal((await post(1, await challenge(1))).status, 201);
    assert.equal((await post(0, await challenge(0))).status, 201);
    const refused = await expect429(await post(1, await challenge(1)));
    assert.match(refused.detail, /4 replies a minute/);
    await expect429(await post(0, await challenge(0)));
  });
});
