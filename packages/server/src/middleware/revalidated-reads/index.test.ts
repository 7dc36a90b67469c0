import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CreatedReply } from '@colloquy/api';
import { ADMIN_TOKEN, json } from '../../testing/helpers.js';
import { twoInstances } from '../../testing/instances.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe('HTTP caching elsewhere', () => {
  it('still tags other reads by their body, and never a stream or an error', async () => {
    const t = await twoInstances();
    try {
      await t.a.request('/api/v1/topics', json({ id: 'misc', title: 'Misc' }, admin));
      const posted = (await (
        await t.a.request('/api/v1/topics/misc/replies', json({ authorName: 'A', body: 'x' }))
      ).json()) as CreatedReply;
      const reply = await t.a.request(`/api/v1/replies/${posted.id}`);
      const tag = reply.headers.get('ETag')!;
      assert.match(tag, /^"[^"]+"$/);
      assert.equal(reply.headers.get('Cache-Control'), 'no-cache');
      await reply.arrayBuffer();
      const again = await t.b.request(`/api/v1/replies/${posted.id}`, { headers: { 'If-None-Match': tag } });
      assert.equal(again.status, 304);
      assert.equal(again.headers.get('Cache-Control'), 'no-cache');
      const missing = await t.a.request('/api/v1/topics/nothing-here');
      assert.equal(missing.status, 404);
      assert.equal(missing.headers.get('ETag'), null);
    } finally {
      await t.close();
    }
  });
});
