import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Challenge, CreatedReply } from '@colloquy/api';
import { listen, type AppConfig } from '../index.js';
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
const READER = 'reader-key-0123456789';

/** An app with a topic or two, and helpers that post from a given socket address. */
async function setup(overrides: Partial<AppConfig>) {
  const t = await testApp(overrides);
  for (const id of ['topic', 'second']) await t.app.request('/api/v1/topics', json({ id, title: id }, admin));
  const reply = (
    address: string,
    body: object = { authorName: 'A', body: 'b' },
    headers: Record<string, string> = {},
    topic = 'topic',
  ) =>
    t.app.request(
      `/api/v1/topics/${topic}/replies`,
      json(body, { 'X-Colloquy-Reader': READER, ...headers }),
      fromAddress(address),
    );
  const react = (address: string, headers: Record<string, string> = {}) =>
    t.app.request(
      '/api/v1/topics/topic/reactions',
      json({ kind: 'like' }, { 'X-Colloquy-Reader': READER, ...headers }),
      fromAddress(address),
    );
  return { ...t, reply, react };
}

describe('rate limits', () => {
  it('limits replies per IPv4 /24 with 429 and Retry-After; other networks are not affected', async () => {
    const t = await setup({ replyRateLimit: 2 });
    try {
      assert.equal((await t.reply('203.0.113.5')).status, 201);
      assert.equal((await t.reply('203.0.113.6')).status, 201);
      const limited = await t.reply('203.0.113.200');
      // The widget reads Retry-After from another origin, so it must be exposed.
      assert.equal(limited.headers.get('Access-Control-Allow-Origin'), ORIGIN);
      assert.match(limited.headers.get('Access-Control-Expose-Headers')!, /Retry-After/);
      const problem = await expect429(limited);
      assert.match(problem.detail, /2 replies a minute/);
      assert.equal((await t.reply('198.51.100.1')).status, 201);
      assert.equal(
        (await t.reply('::ffff:198.51.100.2')).status,
        201,
        'an IPv4-mapped address counts as IPv4',
      );
      await expect429(await t.reply('198.51.100.3'));
      // The admin token skips rate limits (imports), even from a limited network.
      assert.equal((await t.reply('203.0.113.5', { authorName: 'A', body: 'import' }, admin)).status, 201);
    } finally {
      await t.close();
    }
  });

  it('limits replies per IPv6 /64', async () => {
    const t = await setup({ replyRateLimit: 1 });
    try {
      assert.equal((await t.reply('2001:db8:1:2::1')).status, 201);
      await expect429(await t.reply('2001:db8:1:2:ffff:ffff:ffff:ffff'));
      assert.equal((await t.reply('2001:db8:1:3::1')).status, 201);
    } finally {
      await t.close();
    }
  });

  it('limits replies per topic, whatever the network', async () => {
    const t = await setup({ topicRateLimit: 2 });
    try {
      assert.equal((await t.reply('192.0.2.1')).status, 201);
      assert.equal((await t.reply('198.51.100.1')).status, 201);
      const problem = await expect429(await t.reply('203.0.113.1'));
      assert.match(problem.detail, /topic/);
      assert.equal((await t.reply('203.0.113.1', undefined, {}, 'second')).status, 201);
    } finally {
      await t.close();
    }
  });

  it('counts in-process requests without a socket as one client', async () => {
    const t = await testApp({ replyRateLimit: 1 });
    try {
      await t.app.request('/api/v1/topics', json({ id: 'topic', title: 'T' }, admin));
      assert.equal(
        (await t.app.request('/api/v1/topics/topic/replies', json({ authorName: 'A', body: 'b' }))).status,
        201,
      );
      await expect429(
        await t.app.request('/api/v1/topics/topic/replies', json({ authorName: 'A', body: 'b' })),
      );
    } finally {
      await t.close();
    }
  });

  it('ignores X-Forwarded-For unless the socket peer is a trusted proxy, then takes the right-most untrusted entry', async () => {
    const direct = await setup({ replyRateLimit: 1 });
    try {
      assert.equal(
        (await direct.reply('203.0.113.1', undefined, { 'X-Forwarded-For': '192.0.2.1' })).status,
        201,
      );
      await expect429(await direct.reply('203.0.113.1', undefined, { 'X-Forwarded-For': '198.51.100.1' }));
    } finally {
      await direct.close();
    }
    const proxied = await setup({ replyRateLimit: 1, trustedProxies: ['10.0.0.1', '10.0.0.2'] });
    try {
      // Behind the proxy, clients are told apart by the address the proxy appended.
      assert.equal(
        (await proxied.reply('10.0.0.1', undefined, { 'X-Forwarded-For': '192.0.2.1' })).status,
        201,
      );
      assert.equal(
        (await proxied.reply('10.0.0.1', undefined, { 'X-Forwarded-For': '198.51.100.1' })).status,
        201,
      );
      // A client cannot escape its limit by writing its own entries to the left, nor by
      // naming a trusted proxy: the right-most address no trusted proxy wrote counts.
      await expect429(
        await proxied.reply('10.0.0.1', undefined, { 'X-Forwarded-For': '1.1.1.1, 192.0.2.1' }),
      );
      await expect429(
        await proxied.reply('10.0.0.1', undefined, { 'X-Forwarded-For': '8.8.8.8, 192.0.2.1, 10.0.0.2' }),
      );
      // An untrusted peer's X-Forwarded-For proves nothing.
      assert.equal(
        (await proxied.reply('203.0.113.9', undefined, { 'X-Forwarded-For': '192.0.2.1' })).status,
        201,
      );
      await expect429(await proxied.reply('203.0.113.10', undefined, { 'X-Forwarded-For': '172.16.0.1' }));
    } finally {
      await proxied.close();
    }
  });

  it('trusts proxies by CIDR range, IPv4 and IPv6: a CDN edge and the balancer behind it both pass the reader on', async () => {
    // A CDN's edges in 198.18.0.0/15 and 2001:db8:cd::/48, the balancer on 10.0.0.0/8.
    const t = await setup({
      replyRateLimit: 1,
      trustedProxies: ['198.18.0.0/15', '2001:0db8:00cd:0000:0000:0000:0000:0000/48', '10.0.0.0/8'],
    });
    try {
      // Peer 10.3.2.1 (the balancer) is trusted, so is the edge 198.19.4.4 it forwards from.
      assert.equal(
        (await t.reply('10.3.2.1', undefined, { 'X-Forwarded-For': '192.0.2.1, 198.19.4.4' })).status,
        201,
      );
      // Another edge and another balancer address: the same reader, so limited.
      await expect429(await t.reply('10.200.0.9', undefined, { 'X-Forwarded-For': '192.0.2.1, 198.18.0.1' }));
      // Over IPv6 edges too; readers behind one edge are told apart.
      assert.equal(
        (await t.reply('10.3.2.1', undefined, { 'X-Forwarded-For': '203.0.113.5, 2001:db8:cd:9::1' })).status,
        201,
      );
      assert.equal(
        (await t.reply('2001:db8:cd::7', undefined, { 'X-Forwarded-For': '2001:db8:1234::1' })).status,
        201,
      );
      await expect429(
        await t.reply('2001:db8:cd:ffff::7', undefined, { 'X-Forwarded-For': '2001:db8:1234::2' }),
      );
      // An address just outside a range is a reader, never a proxy: its own limit, its header ignored.
      assert.equal((await t.reply('198.20.0.1', undefined, { 'X-Forwarded-For': '192.0.2.1' })).status, 201);
      await expect429(await t.reply('198.20.0.2', undefined, { 'X-Forwarded-For': '198.51.100.1' }));
      // An entry outside the ranges, written to the right of a forged one, is the one counted.
      assert.equal(
        (await t.reply('10.0.0.1', undefined, { 'X-Forwarded-For': '192.0.2.1, 198.51.100.7, 198.18.1.1' }))
          .status,
        201,
      );
      await expect429(await t.reply('10.0.0.1', undefined, { 'X-Forwarded-For': '1.1.1.1, 198.51.100.8' }));
      // Every hop inside the ranges: the left-most is the reader (one inside the balancer's network).
      assert.equal(
        (await t.reply('10.0.0.1', undefined, { 'X-Forwarded-For': '10.77.0.1, 198.18.0.1' })).status,
        201,
      );
      await expect429(await t.reply('10.0.0.2', undefined, { 'X-Forwarded-For': '10.77.0.2' }));
    } finally {
      await t.close();
    }
  });
});

describe('caps and the honeypot', () => {
  it('refuses replies nested deeper than maxReplyDepth (422)', async () => {
    const t = await setup({ maxReplyDepth: 2 });
    try {
      let parentId: string | null = null;
      for (let depth = 0; depth <= 2; depth++) {
        const res = await t.reply('192.0.2.1', { authorName: 'A', body: `depth ${depth}`, parentId });
        assert.equal(res.status, 201);
        parentId = ((await res.json()) as CreatedReply).id;
      }
      const problem = await expectProblem(
        await t.reply('192.0.2.1', { authorName: 'A', body: 'too deep', parentId }),
        422,
      );
      assert.match(problem.detail, /at most 2 levels/);
      assert.equal(problem.errors![0]!.path, 'parentId');
    } finally {
      await t.close();
    }
  });

  it('refuses more links than maxLinksPerReply (422), the admin included', async () => {
    const t = await setup({ maxLinksPerReply: 3 });
    try {
      const links = (n: number) =>
        Array.from({ length: n }, (_, k) => `[l${k}](https://l${k}.example/)`).join(' ');
      assert.equal((await t.reply('192.0.2.1', { authorName: 'A', body: links(3) })).status, 201);
      const problem = await expectProblem(
        await t.reply('192.0.2.1', { authorName: 'A', body: links(4) }),
        422,
      );
      assert.match(problem.detail, /at most 3 links/);
      await expectProblem(await t.reply('192.0.2.1', { authorName: 'A', body: links(4) }, admin), 422);
      // Links in table cells and headings count like any other.
      const table = `# https://h.example\n\n| a |\n| - |\n| ${links(3)} |`;
      await expectProblem(await t.reply('192.0.2.1', { authorName: 'A', body: table }), 422);
      // Links that are not links (other schemes) do not count.
      assert.equal(
        (await t.reply('192.0.2.1', { authorName: 'A', body: `${links(3)} [x](javascript:alert(1))` }))
          .status,
        201,
      );
    } finally {
      await t.close();
    }
  });

  it('refuses a filled honeypot with a neutral 422 and accepts an empty one', async () => {
    const t = await setup({});
    try {
      const problem = await expectProblem(
        await t.reply('192.0.2.1', { authorName: 'A', body: 'b', website: 'https://spam.example' }),
        422,
      );
      assert.equal(problem.errors![0]!.path, 'website');
      assert.equal((await t.reply('192.0.2.1', { authorName: 'A', body: 'b', website: '' })).status, 201);
    } finally {
      await t.close();
    }
  });
});

describe('proof of work', () => {
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

  it('is off by default: the challenge says difficulty 0 and replies need no proof', async () => {
    const t = await setup({});
    try {
      const res = await t.app.request('/api/v1/challenge', { headers: { Origin: ORIGIN } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('Cache-Control'), 'no-store');
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), ORIGIN);
      const challenge = (await res.json()) as Challenge;
      assert.equal(challenge.difficulty, 0);
      assert.ok(Date.parse(challenge.expiresAt) > Date.now());
      assert.equal((await t.reply('192.0.2.1')).status, 201);
    } finally {
      await t.close();
    }
  });

  it('when required: 428 without a proof, 201 with one, 403 when reused, forged or too weak', async () => {
    const t = await setup({ powDifficulty: 8, secret: 'pow-secret' });
    try {
      const fetchChallenge = async () =>
        (await (await t.app.request('/api/v1/challenge')).json()) as Challenge;
      const missing = await expectProblem(await t.reply('192.0.2.1'), 428);
      assert.match(missing.detail, /GET \/api\/v1\/challenge/);
      assert.match(missing.detail, /X-Colloquy-Proof/);

      const { challenge, difficulty } = await fetchChallenge();
      assert.equal(difficulty, 8);
      assert.ok(!challenge.includes(':'));
      const proof = `${challenge}:${solve(challenge, 8)}`;
      assert.equal((await t.reply('192.0.2.1', undefined, { 'X-Colloquy-Proof': proof })).status, 201);
      const reused = await expectProblem(
        await t.reply('192.0.2.1', undefined, { 'X-Colloquy-Proof': proof }),
        403,
      );
      assert.match(reused.detail, /used already/);

      const fresh = (await fetchChallenge()).challenge;
      let weak = 0;
      while (createHash('sha256').update(`${fresh}:${weak}`).digest()[0] === 0) weak++;
      await expectProblem(
        await t.reply('192.0.2.1', undefined, { 'X-Colloquy-Proof': `${fresh}:${weak}` }),
        403,
      );
      const [expiry, random, mac] = fresh.split('.');
      const forged = `${(parseInt(expiry!, 36) + 1e9).toString(36)}.${random}.${mac}`;
      const forgedProblem = await expectProblem(
        await t.reply('192.0.2.1', undefined, { 'X-Colloquy-Proof': `${forged}:${solve(forged, 8)}` }),
        403,
      );
      assert.match(forgedProblem.detail, /not issued by this server/);
      for (const garbage of [
        'nonsense',
        ':',
        `${fresh}:`,
        `${fresh}:${'9'.repeat(65)}`,
        `${fresh}:bad nonce`,
      ]) {
        await expectProblem(await t.reply('192.0.2.1', undefined, { 'X-Colloquy-Proof': garbage }), 403);
      }
      // The admin token skips the proof.
      assert.equal((await t.reply('192.0.2.1', undefined, admin)).status, 201);
    } finally {
      await t.close();
    }
  });

  it('refuses a challenge of another server secret', async () => {
    const a = await setup({ powDifficulty: 4, secret: 'one' });
    const b = await setup({ powDifficulty: 4, secret: 'two' });
    try {
      const { challenge } = (await (await a.app.request('/api/v1/challenge')).json()) as Challenge;
      await expectProblem(
        await b.reply('192.0.2.1', undefined, { 'X-Colloquy-Proof': `${challenge}:${solve(challenge, 4)}` }),
        403,
      );
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('over a real socket', () => {
  it('takes the client address from the connection', async () => {
    const t = await testApp({ replyRateLimit: 2 });
    const server = await listen(t.app, { port: 0, hostname: '127.0.0.1' });
    try {
      await t.app.request('/api/v1/topics', json({ id: 'topic', title: 'T' }, admin));
      const post = (headers: Record<string, string> = {}) =>
        fetch(`${server.url}/api/v1/topics/topic/replies`, json({ authorName: 'A', body: 'b' }, headers));
      assert.equal((await post()).status, 201);
      // Not a trusted proxy's header: it cannot move the client to another network.
      assert.equal((await post({ 'X-Forwarded-For': '192.0.2.1' })).status, 201);
      await expect429(await post({ 'X-Forwarded-For': '198.51.100.1' }));
    } finally {
      await server.close();
      await t.close();
    }
  });
});
