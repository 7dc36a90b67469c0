import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig, loadConfig, UsageError } from '../index.js';
import { USAGE } from './serve.js';

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
        COLLOQUY_TRUSTED_PROXIES: '10.0.0.1, ::ffff:10.0.0.2,2001:db8::1, 172.16.0.0/12,2001:db8:ab::/48',
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
    assert.deepEqual(app.trustedProxies, [
      '10.0.0.1',
      '10.0.0.2',
      '2001:0db8:0000:0000:0000:0000:0000:0001',
      '172.16.0.0/12',
      '2001:0db8:00ab:0000:0000:0000:0000:0000/48',
    ]);
    assert.deepEqual(
      [
        app.replyRateLimit,
        app.topicRateLimit,
        app.writeRateLimit,
        app.maxReplyDepth,
        app.maxLinksPerReply,
        app.powDifficulty,
        app.editWindowSeconds,
      ],
      [0, 5, 1000, 4, 2, 12, 60],
    );
    assert.equal(app.moderation, 'first');
  });

  it('lets flags win over the environment', () => {
    const { app } = loadConfig({ COLLOQUY_MODERATION: 'all', COLLOQUY_REPLY_RATE_LIMIT: '3' }, [
      'serve',
      '--moderation',
      'links',
      '--reply-rate-limit=0',
      '--pow-difficulty',
      '8',
      '--jwt-secret',
      's',
      '--trusted-proxies',
      '127.0.0.1',
      '--max-links',
      '1',
      '--max-reply-depth',
      '2',
      '--topic-rate-limit',
      '9',
      '--write-rate-limit',
      '7',
      '--edit-window',
      '30',
      '--secret',
      'x',
    ]);
    assert.deepEqual(
      [
        app.moderation,
        app.replyRateLimit,
        app.powDifficulty,
        app.jwtSecret,
        app.trustedProxies,
        app.maxLinksPerReply,
        app.maxReplyDepth,
        app.topicRateLimit,
        app.writeRateLimit,
        app.editWindowSeconds,
        app.secret,
      ],
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
      { COLLOQUY_TRUSTED_PROXIES: '10.0.0.0/33' },
      { COLLOQUY_TRUSTED_PROXIES: '10.0.0.0/' },
      { COLLOQUY_TRUSTED_PROXIES: '2001:db8::/129' },
      { COLLOQUY_TRUSTED_PROXIES: '10.0.0.1, 10.0.0.0/8/1' },
    ]) {
      assert.throws(
        () => loadConfig(env, ['serve']),
        (e: unknown) => e instanceof UsageError && e.exitCode === 2,
        JSON.stringify(env),
      );
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

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const options = loadConfig({}, ['serve']);
    assert.equal(options.port, 8787);
    assert.equal(options.hostname, undefined);
    assert.equal(options.dbFile, './data/colloquy.db');
    assert.equal(options.seed, false);
    assert.deepEqual(options.app.allowedOrigins, ['http://localhost:8080', 'http://127.0.0.1:8080']);
    assert.equal(options.app.adminToken, null);
    assert.equal(options.app.maxBodyBytes, 64 * 1024);
    assert.equal(options.app.pageSize, 20);
    assert.match(options.app.widgetBundlePath, /widget\.js$/);
  });

  it('reads the environment', () => {
    const options = loadConfig(
      {
        PORT: '9000',
        HOST: '127.0.0.1',
        COLLOQUY_DB: '/tmp/x.db',
        COLLOQUY_ALLOWED_ORIGINS: 'https://a.example, https://b.example/',
        COLLOQUY_ADMIN_TOKEN: 'tok',
        COLLOQUY_SEED: '1',
      },
      ['serve'],
    );
    assert.equal(options.port, 9000);
    assert.equal(options.hostname, '127.0.0.1');
    assert.equal(options.dbFile, '/tmp/x.db');
    assert.deepEqual(options.app.allowedOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(options.app.adminToken, 'tok');
    assert.equal(options.seed, true);
  });

  it('follows DEMO_PORT for the default origins', () => {
    assert.deepEqual(loadConfig({ DEMO_PORT: '3000' }, []).app.allowedOrigins, [
      'http://localhost:3000',
      'http://127.0.0.1:3000',
    ]);
  });

  it('lets flags win over the environment, in both --flag value and --flag=value forms', () => {
    const options = loadConfig({ PORT: '9000', COLLOQUY_ADMIN_TOKEN: 'env' }, [
      'serve',
      '--port=0',
      '--admin-token',
      'flag',
      '--seed',
    ]);
    assert.equal(options.port, 0);
    assert.equal(options.app.adminToken, 'flag');
    assert.equal(options.seed, true);
  });

  it('refuses unknown flags, missing values, bad ports and bad origins (exit 2)', () => {
    for (const argv of [
      ['serve', '--nope'],
      ['serve', '--port'],
      ['serve', '--port', 'x'],
      ['serve', '--port', '70000'],
      ['launch'],
      ['serve', '--allowed-origins', 'not a url'],
    ]) {
      assert.throws(
        () => loadConfig({}, argv),
        (e: unknown) => e instanceof UsageError && e.exitCode === 2,
        argv.join(' '),
      );
    }
  });

  it('reads DATABASE_URL and COLLOQUY_DB_SCHEMA, flags winning; SQLite when unset or empty', () => {
    assert.deepEqual(
      [loadConfig({}, ['serve']).databaseUrl, loadConfig({ DATABASE_URL: '' }, []).databaseUrl],
      [null, null],
    );
    const fromEnv = loadConfig({ DATABASE_URL: 'postgres://u@db/colloquy', COLLOQUY_DB_SCHEMA: 'site_a' }, [
      'serve',
    ]);
    assert.deepEqual([fromEnv.databaseUrl, fromEnv.dbSchema], ['postgres://u@db/colloquy', 'site_a']);
    const fromFlags = loadConfig({ DATABASE_URL: 'postgres://u@db/colloquy' }, [
      'serve',
      '--database-url',
      'postgresql://v@other/x',
      '--db-schema=site_b',
    ]);
    assert.deepEqual([fromFlags.databaseUrl, fromFlags.dbSchema], ['postgresql://v@other/x', 'site_b']);
  });

  it('refuses a DATABASE_URL that is not postgres:// and a schema that is not a plain name (exit 2)', () => {
    for (const env of [
      { DATABASE_URL: 'mysql://x' },
      { DATABASE_URL: 'postgres://x', COLLOQUY_DB_SCHEMA: 'a; drop' },
    ]) {
      assert.throws(
        () => loadConfig(env, ['serve']),
        (e: unknown) => e instanceof UsageError && e.exitCode === 2,
        JSON.stringify(env),
      );
    }
  });
});

describe('notification settings', () => {
  it('default to: no email, webhooks to public addresses only, 10 attempts from 30 s, 10 s per attempt', () => {
    const { app } = loadConfig({}, ['serve']);
    assert.deepEqual(
      [
        app.publicUrl,
        app.smtpUrl,
        app.mailFrom,
        app.moderatorEmails,
        app.webhookAllowPrivate,
        app.deliveryAttempts,
        app.retryDelaySeconds,
        app.deliveryTimeoutSeconds,
      ],
      [null, null, null, [], false, 10, 30, 10],
    );
  });

  it('reads them from the environment and from flags', () => {
    const { app } = loadConfig(
      {
        COLLOQUY_PUBLIC_URL: 'https://discuss.example.org/colloquy/',
        COLLOQUY_SMTP_URL: 'smtps://user:pass@smtp.example.org:465',
        COLLOQUY_MAIL_FROM: 'colloquy@example.org',
        COLLOQUY_MODERATOR_EMAILS: 'a@example.org, b@example.org',
        COLLOQUY_WEBHOOK_ALLOW_PRIVATE: '1',
        COLLOQUY_DELIVERY_ATTEMPTS: '3',
        COLLOQUY_RETRY_DELAY: '5',
      },
      ['serve', '--delivery-timeout', '20'],
    );
    assert.equal(app.publicUrl, 'https://discuss.example.org/colloquy');
    assert.equal(app.smtpUrl, 'smtps://user:pass@smtp.example.org:465');
    assert.deepEqual(app.moderatorEmails, ['a@example.org', 'b@example.org']);
    assert.equal(app.webhookAllowPrivate, true);
    assert.deepEqual([app.deliveryAttempts, app.retryDelaySeconds, app.deliveryTimeoutSeconds], [3, 5, 20]);
  });

  it('refuses settings that cannot work, saying which', () => {
    const refused: Array<[Record<string, string>, RegExp]> = [
      [{ COLLOQUY_SMTP_URL: 'smtp://localhost:25' }, /needs --mail-from/],
      [{ COLLOQUY_MODERATOR_EMAILS: 'a@example.org' }, /needs --smtp-url/],
      [
        { COLLOQUY_SMTP_URL: 'http://mail.example.org', COLLOQUY_MAIL_FROM: 'a@example.org' },
        /smtp:\/\/ or smtps:\/\//,
      ],
      [
        { COLLOQUY_SMTP_URL: 'smtp://x', COLLOQUY_MAIL_FROM: 'a@example.org\r\nBcc: b@example.org' },
        /email address/,
      ],
      [
        {
          COLLOQUY_SMTP_URL: 'smtp://x',
          COLLOQUY_MAIL_FROM: 'a@example.org',
          COLLOQUY_MODERATOR_EMAILS: 'a@example.org,nobody',
        },
        /email address/,
      ],
      [{ COLLOQUY_PUBLIC_URL: 'ftp://example.org' }, /http\(s\) URL/],
      [{ COLLOQUY_PUBLIC_URL: 'https://example.org/?q=1' }, /without query/],
      [{ COLLOQUY_DELIVERY_TIMEOUT: '0' }, /from 1 to 120/],
      [{ COLLOQUY_DELIVERY_ATTEMPTS: '51' }, /from 1 to 50/],
      [{ COLLOQUY_RETRY_DELAY: 'soon' }, /from 1 to 86400/],
    ];
    for (const [env, message] of refused)
      assert.throws(
        () => loadConfig(env, ['serve']),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
        JSON.stringify(env),
      );
  });

  it('are all in the usage text', () => {
    for (const name of [
      'COLLOQUY_PUBLIC_URL',
      'COLLOQUY_SMTP_URL',
      'COLLOQUY_MAIL_FROM',
      'COLLOQUY_MODERATOR_EMAILS',
      'COLLOQUY_WEBHOOK_ALLOW_PRIVATE',
      'COLLOQUY_DELIVERY_TIMEOUT',
      'COLLOQUY_DELIVERY_ATTEMPTS',
      'COLLOQUY_RETRY_DELAY',
    ]) {
      assert.ok(USAGE.includes(name), name);
    }
  });
});

describe('event stream settings', () => {
  it('cap streams at 100 a network and 5,000 a server by default, read from the environment and flags', () => {
    const defaults = loadConfig({}, ['serve']).app;
    assert.deepEqual([defaults.maxStreamsPerClient, defaults.maxStreams], [100, 5000]);
    const { app } = loadConfig({ COLLOQUY_STREAMS_PER_CLIENT: '20', COLLOQUY_MAX_STREAMS: '900' }, [
      'serve',
      '--max-streams',
      '1000',
    ]);
    assert.deepEqual([app.maxStreamsPerClient, app.maxStreams], [20, 1000]);
    assert.equal(loadConfig({ COLLOQUY_STREAMS_PER_CLIENT: '0' }, ['serve']).app.maxStreamsPerClient, 0);
  });

  it('refuses what is not a whole number, saying which setting, and lists both in the usage', () => {
    assert.throws(
      () => loadConfig({ COLLOQUY_MAX_STREAMS: 'lots' }, ['serve']),
      (error: unknown) =>
        error instanceof UsageError && /--max-streams \(COLLOQUY_MAX_STREAMS\)/.test(error.message),
    );
    assert.throws(
      () => loadConfig({}, ['serve', '--streams-per-client', '-1']),
      (error: unknown) => error instanceof UsageError && /--streams-per-client/.test(error.message),
    );
    for (const name of ['COLLOQUY_STREAMS_PER_CLIENT', 'COLLOQUY_MAX_STREAMS'])
      assert.ok(USAGE.includes(name), name);
  });
});
