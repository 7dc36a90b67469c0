import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADMIN_TOKEN, json } from '../../testing/helpers.js';
import { twoInstances } from '../../testing/instances.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe('HTTP caching elsewhere', () => {
  it('still tags other reads by their body, and never a stream or an error', async () => {
    const t = await twoInstances();
    try {
      // The catalog of a language has no version counter: it is tagged by its body, and keeps
      // the route's own Cache-Control on the 200 and the 304.
      const catalog = await t.a.request('/api/v1/messages/de');
      const tag = catalog.headers.get('ETag') ?? '';
      assert.match(tag, /^"[^"]+"$/);
      const cacheControl = catalog.headers.get('Cache-Control');
      assert.match(cacheControl ?? '', /^public, max-age=\d+/);
      await catalog.arrayBuffer();
      const again = await t.b.request('/api/v1/messages/de', { headers: { 'If-None-Match': tag } });
      assert.equal(again.status, 304);
      assert.equal(again.headers.get('ETag'), tag, 'the same body, the same tag, on either instance');
      assert.equal(again.headers.get('Cache-Control'), cacheControl);
      // A stream is never buffered to be tagged.
      await t.a.request('/api/v1/topics', json({ id: 'misc', title: 'Misc' }, admin));
      const stream = await t.a.request('/api/v1/topics/misc/events');
      assert.equal(stream.headers.get('ETag'), null);
      await stream.body?.cancel();
      const missing = await t.a.request('/api/v1/topics/nothing-here');
      assert.equal(missing.status, 404);
      assert.equal(missing.headers.get('ETag'), null);
    } finally {
      await t.close();
    }
  });
});
