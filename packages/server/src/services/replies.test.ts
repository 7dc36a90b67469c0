import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NewReply } from '@colloquy/api';
import { ProofOfWork } from '../abuse/proof-of-work.js';
import { RateLimiter } from '../abuse/rate-limiter.js';
import { defaultConfig, renderMarkdown, SqliteStore, type AppConfig } from '../index.js';
import { ProblemError } from '../problem.js';
import { ReplyService, type Requester } from './replies.js';
import { ORIGIN, tempDir } from '../testing/helpers.js';

const JWT_SECRET = 'service-test-jwt-secret';

/** A ReplyService over a real SQLite file with one topic, and the topics it announced. */
async function service(overrides: Partial<AppConfig> = {}) {
  const { dir, cleanup } = await tempDir();
  const store = SqliteStore.open(join(dir, 'replies.db'));
  const { body, text } = renderMarkdown('');
  await store.upsertTopic({
    id: 'topic',
    title: 'Topic',
    url: null,
    category: null,
    label: null,
    summary: null,
    author: null,
    body,
    text,
    sources: [],
    locked: false,
  });
  const config = defaultConfig({ allowedOrigins: [ORIGIN], jwtSecret: JWT_SECRET, ...overrides });
  const announced: string[] = [];
  const replies = new ReplyService({
    store,
    config,
    pow: new ProofOfWork(null, config.powDifficulty),
    replyLimit: new RateLimiter(config.replyRateLimit),
    topicLimit: new RateLimiter(config.topicRateLimit),
    announce: async (topicId) => void announced.push(topicId),
  });
  return {
    replies,
    store,
    announced,
    close: async () => {
      await store.close();
      await cleanup();
    },
  };
}

/** An anonymous reader on the allowed host page, unless `overrides` say otherwise. */
const reader = (overrides: Partial<Requester> = {}): Requester => ({
  admin: false,
  bearerToken: undefined,
  origin: ORIGIN,
  clientPrefix: '192.0.2.0/24',
  readerHash: createHash('sha256').update('reader-key-0123456789').digest(),
  proof: undefined,
  ...overrides,
});

/** Asserts that `promise` fails with a problem of `status` and `slug`. */
async function refused(promise: Promise<unknown>, status: number, slug: string): Promise<ProblemError> {
  const error = await promise.then(
    () => assert.fail(`expected a ${status} ${slug} refusal`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ProblemError, String(error));
  assert.deepEqual([error.status, error.slug], [status, slug], error.detail);
  return error;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function jwt(claims: Record<string, unknown>) {
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', JWT_SECRET).update(head).digest('base64url')}`;
}

const post = (body = 'Hello', extra: Partial<NewReply> = {}): NewReply => ({
  body,
  authorName: 'Ada',
  ...extra,
});

describe('ReplyService.create', () => {
  it('stores a published reply, announces it and hands its author an edit token for the window', async () => {
    const s = await service({ editWindowSeconds: 60 });
    try {
      const reply = await s.replies.create('topic', post('Some *text*'), reader());
      assert.equal(reply.status, 'published');
      assert.equal(reply.author.name, 'Ada');
      assert.equal(reply.text, 'Some text');
      assert.match(reply.editToken, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(Date.parse(reply.editableUntil) - Date.parse(reply.createdAt), 60_000);
      assert.deepEqual(s.announced, ['topic']);
      assert.equal((await s.store.getReply(reply.id, {}))?.id, reply.id);
    } finally {
      await s.close();
    }
  });

  it('wants a name from anonymous authors and refuses a filled honeypot', async () => {
    const s = await service();
    try {
      const nameless = await refused(s.replies.create('topic', { body: 'x' }, reader()), 422, 'invalid-body');
      assert.deepEqual(
        nameless.errors?.map((e) => e.path),
        ['authorName'],
      );
      const bot = await refused(
        s.replies.create('topic', post('x', { website: 'https://spam.example' }), reader()),
        422,
        'invalid-body',
      );
      assert.deepEqual(bot.errors, [{ path: 'website', message: 'website must be left empty' }]);
      await s.replies.create('topic', post('x', { website: '  ' }), reader());
    } finally {
      await s.close();
    }
  });

  it('posts a signed-in user under the name of their token, and refuses tokens without a secret', async () => {
    const s = await service();
    try {
      const token = jwt({ sub: 'user-1', name: '  Grace  ', exp: Math.floor(Date.now() / 1000) + 60 });
      const reply = await s.replies.create('topic', { body: 'Signed' }, reader({ bearerToken: token }));
      assert.deepEqual(reply.author, { name: 'Grace', verified: true });
      await refused(
        s.replies.create('topic', post(), reader({ bearerToken: 'not-a-jwt' })),
        401,
        'invalid-token',
      );
      const badName = jwt({ sub: 'user-2', name: 'x'.repeat(61), exp: Math.floor(Date.now() / 1000) + 60 });
      await refused(
        s.replies.create('topic', post(), reader({ bearerToken: badName })),
        401,
        'invalid-token',
      );
      await refused(
        s.replies.create('topic', post('x', { authorName: 'GRACE' }), reader()),
        409,
        'name-reserved',
      );
    } finally {
      await s.close();
    }
    const closed = await service({ jwtSecret: null });
    try {
      await refused(
        closed.replies.create('topic', post(), reader({ bearerToken: 'a.b.c' })),
        401,
        'sign-in-disabled',
      );
    } finally {
      await closed.close();
    }
  });

  it('counts replies per network and per topic, and asks for proof of work, except of the admin', async () => {
    const s = await service({ replyRateLimit: 1, topicRateLimit: 2, powDifficulty: 0 });
    try {
      await s.replies.create('topic', post(), reader());
      const limited = await refused(s.replies.create('topic', post(), reader()), 429, 'rate-limited');
      assert.match(limited.headers['Retry-After'] ?? '', /^\d+$/);
      await s.replies.create('topic', post(), reader({ clientPrefix: '198.51.100.0/24' }));
      await refused(
        s.replies.create('topic', post(), reader({ clientPrefix: '203.0.113.0/24' })),
        429,
        'rate-limited',
      );
      await s.replies.create('topic', post(), reader({ admin: true }));
    } finally {
      await s.close();
    }
    const proofs = await service({ powDifficulty: 8 });
    try {
      await refused(proofs.replies.create('topic', post(), reader()), 428, 'proof-required');
      await refused(
        proofs.replies.create('topic', post(), reader({ proof: 'forged:1' })),
        403,
        'invalid-proof',
      );
      assert.equal(
        (await proofs.replies.create('topic', post(), reader({ admin: true }))).status,
        'published',
      );
    } finally {
      await proofs.close();
    }
  });

  it('caps the links of every reply, the admin included', async () => {
    const s = await service({ maxLinksPerReply: 1 });
    try {
      await s.replies.create('topic', post('https://a.example/'), reader());
      const problem = await refused(
        s.replies.create('topic', post('https://a.example/ https://b.example/'), reader({ admin: true })),
        422,
        'too-many-links',
      );
      assert.equal(problem.detail, 'A reply may carry at most 1 links; this one has 2.');
    } finally {
      await s.close();
    }
  });

  it('holds replies for review as the moderation mode says, never the admin’s, and announces only published ones', async () => {
    const links = await service({ moderation: 'links' });
    try {
      assert.equal((await links.replies.create('topic', post('plain'), reader())).status, 'published');
      assert.equal(
        (await links.replies.create('topic', post('see https://a.example/'), reader())).status,
        'pending',
      );
      assert.equal(
        (await links.replies.create('topic', post('see https://a.example/'), reader({ admin: true }))).status,
        'published',
      );
      assert.deepEqual(links.announced, ['topic', 'topic']);
    } finally {
      await links.close();
    }
    const first = await service({ moderation: 'first' });
    try {
      const held = await first.replies.create('topic', post('first'), reader());
      assert.equal(held.status, 'pending');
      await first.store.setReplyStatus(held.id, 'published');
      assert.equal((await first.replies.create('topic', post('second'), reader())).status, 'published');
    } finally {
      await first.close();
    }
  });

  it('creates a page topic on its first reply only from an allowed page of that same origin', async () => {
    const s = await service();
    try {
      const page = `${ORIGIN}/articles/one`;
      await refused(
        s.replies.create(page, post(), reader({ origin: 'https://elsewhere.example' })),
        404,
        'not-found',
      );
      await refused(s.replies.create('https://other.example/page', post(), reader()), 404, 'not-found');
      // The title sent is not taken: the topic is titled by its URL until an admin sets one.
      await s.replies.create(page, post('x', { pageTitle: 'Article one' }), reader());
      assert.deepEqual(
        [(await s.store.getTopic(page))?.title, (await s.store.getTopic(page))?.url],
        [page, page],
      );
    } finally {
      await s.close();
    }
  });
});

describe('ReplyService.edit and remove', () => {
  it('let the author change their reply with its edit token, and nobody without it', async () => {
    const s = await service({ moderation: 'all' });
    try {
      const reply = await s.replies.create('topic', post('before'), reader({ admin: true }));
      await refused(
        s.replies.edit(reply.id, 'after', 'wrong-token', { admin: false }),
        403,
        'wrong-edit-token',
      );
      const edited = await s.replies.edit(reply.id, 'after', reply.editToken, { admin: false });
      assert.deepEqual(
        [edited.text, edited.status],
        ['after', 'pending'],
        'an edit waits for review again in `all` mode',
      );
      const removed = await s.replies.remove(reply.id, reply.editToken);
      assert.equal(removed.status, 'deleted');
      await refused(s.replies.remove(reply.id, reply.editToken), 404, 'not-found');
      await refused(
        s.replies.edit('no-such-reply', 'x', reply.editToken, { admin: false }),
        404,
        'not-found',
      );
    } finally {
      await s.close();
    }
  });

  it('refuse once the edit window is over', async () => {
    const s = await service({ editWindowSeconds: 0 });
    try {
      const reply = await s.replies.create('topic', post(), reader());
      await refused(
        s.replies.edit(reply.id, 'late', reply.editToken, { admin: false }),
        403,
        'edit-window-over',
      );
    } finally {
      await s.close();
    }
  });
});
