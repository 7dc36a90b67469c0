import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../index.js';
import { testApp } from '../testing/helpers.js';

type TestApp = Awaited<ReturnType<typeof testApp>>;

describe('health', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await seedDemo(t.store);
  });
  after(() => t.close());

  describe('GET /healthz', () => {
    it('answers ok while the store answers', async () => {
      const res = await t.app.request('/healthz');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
    });
  });
});
