import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reply, ReactionState } from '@colloquy/api';
import { expectProblem, seededApp } from '../testing/helpers.js';

const READER = { 'X-Colloquy-Reader': 'reader-key-0123456789' };

describe('reactions', () => {
  const t = seededApp();
  const { post, postReply } = t;

  describe('reactions', () => {
    it('toggles a topic reaction per reader', async () => {
      const on = await post('/api/v1/topics/rsp-update/reactions', { kind: 'like' }, READER);
      assert.equal(on.status, 200);
      assert.deepEqual(await on.json(), {
        kind: 'like',
        active: true,
        reactions: { like: 1, insightful: 0, disagree: 0 },
      } satisfies ReactionState);
      const other = (await (
        await post(
          '/api/v1/topics/rsp-update/reactions',
          { kind: 'like' },
          { 'X-Colloquy-Reader': 'another-reader-key-xyz' },
        )
      ).json()) as ReactionState;
      assert.equal(other.reactions.like, 2);
      const off = (await (
        await post('/api/v1/topics/rsp-update/reactions', { kind: 'like' }, READER)
      ).json()) as ReactionState;
      assert.deepEqual([off.active, off.reactions.like], [false, 1]);
    });

    it('toggles a reply reaction', async () => {
      const reply = (await (
        await postReply('rsp-update', { authorName: 'r', body: 'react to me' })
      ).json()) as Reply;
      const res = await post(`/api/v1/replies/${reply.id}/reactions`, { kind: 'insightful' }, READER);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as ReactionState).reactions.insightful, 1);
      assert.equal(
        ((await (await t.app.request(`/api/v1/replies/${reply.id}`)).json()) as Reply).reactions.insightful,
        1,
      );
    });

    it('refuses a missing or malformed reader key (400), a bad kind (422), unknown targets (404)', async () => {
      await expectProblem(await post('/api/v1/topics/rsp-update/reactions', { kind: 'like' }), 400);
      const short = await expectProblem(
        await post('/api/v1/topics/rsp-update/reactions', { kind: 'like' }, { 'X-Colloquy-Reader': 'short' }),
        400,
      );
      assert.match(short.detail, /X-Colloquy-Reader/);
      await expectProblem(await post('/api/v1/topics/rsp-update/reactions', { kind: 'love' }, READER), 422);
      await expectProblem(
        await post('/api/v1/topics/rsp-update/reactions', { kind: 'like', x: 1 }, READER),
        422,
      );
      await expectProblem(await post('/api/v1/topics/missing/reactions', { kind: 'like' }, READER), 404);
      await expectProblem(await post('/api/v1/replies/MISSING/reactions', { kind: 'like' }, READER), 404);
    });
  });
});
