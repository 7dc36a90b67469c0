import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppConfig } from '../../config.js';
import { ADMIN_TOKEN, expect429, fromAddress, json, testApp } from '../../testing/helpers.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const READER = 'reader-key-0123456789';

/** An app with a topic, and helpers that reply and react from a given socket address. */
async function setup(overrides: Partial<AppConfig>) {
  const t = await testApp(overrides);
  await t.app.request('/api/v1/topics', json({ id: 'topic', title: 'topic' }, admin));
  const reply = (address: string) =>
    t.app.request(
      '/api/v1/topics/topic/replies',
      json({ authorName: 'A', body: 'b' }, { 'X-Colloquy-Reader': READER }),
      fromAddress(address),
    );
  const react = (address: string) =>
    t.app.request(
      '/api/v1/topics/topic/reactions',
      json({ kind: 'like' }, { 'X-Colloquy-Reader': READER }),
      fromAddress(address),
    );
  return { ...t, reply, react };
}

describe('abuse checks', () => {
  it('limits writes of any kind per network', async () => {
    const t = await setup({ writeRateLimit: 3 });
    try {
      for (let k = 0; k < 3; k++) assert.equal((await t.react('192.0.2.10')).status, 200);
      await expect429(await t.react('192.0.2.11'));
      await expect429(await t.reply('192.0.2.12'));
      assert.equal((await t.react('192.0.3.10')).status, 200);
    } finally {
      await t.close();
    }
  });
});
