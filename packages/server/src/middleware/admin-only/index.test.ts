import { describe, it } from 'node:test';
import type { AppConfig } from '../../config.js';
import { ADMIN_TOKEN, expectProblem, json, ORIGIN, testApp } from '../../testing/helpers.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** An app with the topic the admin calls name. */
async function setup(overrides: Partial<AppConfig>) {
  const t = await testApp(overrides);
  await t.app.request('/api/v1/topics', json({ id: 'topic', title: 'Topic' }, admin));
  return t;
}

describe('admin only', () => {
  it('needs the admin token on every call (401), and is disabled without one (403)', async () => {
    const t = await setup({});
    try {
      for (const [method, path] of [
        ['GET', '/api/v1/admin/pending'],
        ['POST', '/api/v1/admin/replies/X/approve'],
        ['POST', '/api/v1/admin/replies/X/hide'],
        ['DELETE', '/api/v1/admin/replies/X'],
        ['POST', '/api/v1/admin/bans'],
        ['POST', '/api/v1/admin/topics/topic/lock'],
      ] as const) {
        const headers: Record<string, string> =
          method === 'GET' ? {} : { Origin: ORIGIN, 'Content-Type': 'application/json' };
        await expectProblem(
          await t.app.request(path, { method, headers, ...(method === 'POST' ? { body: '{}' } : {}) }),
          401,
        );
        await expectProblem(
          await t.app.request(path, { method, headers: { ...headers, Authorization: 'Bearer wrong-token' } }),
          401,
        );
      }
    } finally {
      await t.close();
    }
    const off = await setup({ adminToken: null });
    try {
      await expectProblem(await off.app.request('/api/v1/admin/pending', { headers: admin }), 403);
    } finally {
      await off.close();
    }
  });
});
