import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig, loadConfig, UsageError } from '../src/index.js';
import { USAGE } from '../src/cli/serve.js';

describe('hardening settings', () => {
  it('default to: limits on, proof-of-work and moderation off, 15 minute edit window', () => {
    const { app } = loadConfig({}, ['serve']);
    assert.deepEqual(
      {
        jwtSecret: app.jwtSecret,
        secret: app.secret,
        trustedProxies: app.trustedProxies,
        replyRateLimit: app.replyRateLimit,
        topicRateLimit: app.topicRateLimit,
        writeRateLimit: app.writeRateLimit,
        maxReplyDepth: app.maxReplyDepth,
        maxLinksPerReply: app.maxLinksPerReply,
        powDifficulty: app.powDifficulty,
        moderation: app.moderation,
        editWindowSeconds: app.editWindowSeconds,
      },
      {
        jwtSecret: null,
        secret: null,
        trustedProxies: [],
        replyRateLimit: 10,
        topicRateLimit: 60,
        writeRateLimit: 120,
        maxReplyDepth: 32,
        maxLinksPerReply: 10,
        powDifficulty: 0,
        moderation: 'off',
        editWindowSeconds: 900,
      },
    );
    assert.equal(defaultConfig().powDifficulty, 0);
    assert.equal(defaultConfig().moderation, 'off');
  });

  it('reads every setting from the environment', () => {
    const { app } = loadConfig(
      {
        COLLOQUY_JWT_SECRET: 'jwt',
        COLLOQUY_SECRET: 'pow',
        COLLOQUY_TRUSTED_PROXIES: '10.0.0.1, ::ffff:10.0.0.2,2001:db8::1',
        COLLOQUY_REPLY_RATE_LIMIT: '0',
        COLLOQUY_TOPIC_RATE_LIMIT: '5',
        COLLOQUY_WRITE_RATE_LIMIT: '1000',
        COLLOQUY_MAX_REPLY_DEPTH: '4',
        COLLOQUY_MAX_LINKS: '2',
        COLLOQUY_POW_DIFFICULTY: '12',
        COLLOQUY_MODERATION: 'first',
        COLLOQUY_EDIT_WINDOW: '60',
      },
      ['serve'],
    );
    assert.equal(app.jwtSecret, 'jwt');
    assert.equal(app.secret, 'pow');
    assert.deepEqual(app.trustedProxies, ['10.0.0.1', '10.0.0.2', '2001:0db8:0000:0000:0000:0000:0000:0001']);
    assert.deepEqual(
      [app.replyRateLimit, app.topicRateLimit, app.writeRateLimit, app.maxReplyDepth, app.maxLinksPerReply, app.powDifficulty, app.editWindowSeconds],
      [0, 5, 1000, 4, 2, 12, 60],
    );
    assert.equal(app.moderation, 'first');
  });

  it('lets flags win over the environment', () => {
    const { app } = loadConfig(
      { COLLOQUY_MODERATION: 'all', COLLOQUY_REPLY_RATE_LIMIT: '3' },
      ['serve', '--moderation', 'links', '--reply-rate-limit=0', '--pow-difficulty', '8', '--jwt-secret', 's', '--trusted-proxies', '127.0.0.1', '--max-links', '1', '--max-reply-depth', '2', '--topic-rate-limit', '9', '--write-rate-limit', '7', '--edit-window', '30', '--secret', 'x'],
    );
    assert.deepEqual(
      [app.moderation, app.replyRateLimit, app.powDifficulty, app.jwtSecret, app.trustedProxies, app.maxLinksPerReply, app.maxReplyDepth, app.topicRateLimit, app.writeRateLimit, app.editWindowSeconds, app.secret],
      ['links', 0, 8, 's', ['127.0.0.1'], 1, 2, 9, 7, 30, 'x'],
    );
  });

  it('refuses bad values with a usage error', () => {
    for (const env of [
      { COLLOQUY_MODERATION: 'some' },
      { COLLOQUY_REPLY_RATE_LIMIT: '-1' },
      { COLLOQUY_REPLY_RATE_LIMIT: 'many' },
      { COLLOQUY_POW_DIFFICULTY: '33' },
      { COLLOQUY_MAX_LINKS: '1.5' },
      { COLLOQUY_TRUSTED_PROXIES: 'proxy.local' },
    ]) {
      assert.throws(() => loadConfig(env, ['serve']), (e: unknown) => e instanceof UsageError && e.exitCode === 2, JSON.stringify(env));
    }
  });

  it('lists every setting in the usage', () => {
    for (const name of [
      'COLLOQUY_JWT_SECRET',
      'COLLOQUY_SECRET',
      'COLLOQUY_TRUSTED_PROXIES',
      'COLLOQUY_REPLY_RATE_LIMIT',
      'COLLOQUY_TOPIC_RATE_LIMIT',
      'COLLOQUY_WRITE_RATE_LIMIT',
      'COLLOQUY_MAX_REPLY_DEPTH',
      'COLLOQUY_MAX_LINKS',
      'COLLOQUY_POW_DIFFICULTY',
      'COLLOQUY_MODERATION',
      'COLLOQUY_EDIT_WINDOW',
      'DATABASE_URL',
      'COLLOQUY_DB_SCHEMA',
    ]) {
      assert.ok(USAGE.includes(`[${name}]`), name);
    }
  });
});
