import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededApp } from '../testing/helpers.js';

describe('health', () => {
  const t = seededApp();

  describe('GET /healthz', () => {
    it('answers ok while the store answers', async () => {
      const res = await t.app.request('/healthz');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
    });
  });
});
