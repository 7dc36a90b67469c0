import { parseTrustedProxy } from '../abuse/client-address.js';
import { createApp } from '../app.js';
import {
  APP_DEFAULTS,
  DEMO_PORT,
  defaultConfig,
  demoOrigins,
  MODERATION_MODES,
  type AppConfig,
  type ModerationMode,
} from '../config.js';
import { listen } from '../listen.js';
import { Dispatcher } from '../notify/dispatcher.js';
import { smtpMailer } from '../notify/mailer.js';
import { seedDemo } from '../seed.js';
import { SqliteStore } from '../store/sqlite.js';
import { scheduleBackups } from './backups.js';
import { DATABASE_SETTINGS, databaseName, openBus, openStore, type DatabaseOptions } from './database.js';
import { describeSettings, readSettings, UsageError, type Env, type Setting } from './settings.js';

/** What `serve` needs: the app's config plus where to listen and which database to open. */
export interface ServerOptions extends DatabaseOptions {
  port: number;
  /** Undefined: Node's default, all interfaces. */
  hostname: string | undefined;
  seed: boolean;
  /** A folder for daily online backups of the SQLite file; null: none. */
  backupDir: string | null;
  /** How many of those backups to keep. */
  backupKeep: number;
  app: AppConfig;
}

const text = (
  help: string,
  flag: string,
  env: string,
  value: string,
  shownDefault?: string,
): Setting<string | null> => ({
  flag,
  env,
  value,
  help,
  ...(shownDefault === undefined ? {} : { shownDefault }),
  // An empty secret is no secret: the feature stays off.
  parse: (given) => (given === '' ? null : given),
  fallback: () => null,
});

/** Whole-number settings, each with the largest value it accepts. */
const wholeNumber = (
  help: string,
  flag: string,
  env: string,
  field: keyof AppConfig & keyof typeof APP_DEFAULTS,
  max: number,
): Setting<number> => ({
  flag,
  env,
  value: 'N',
  help,
  shownDefault: String(APP_DEFAULTS[field]),
  parse: (given) => {
    if (!/^\d{1,10}$/.test(given) || Number(given) > max) {
      throw new UsageError(`--${flag} (${env}) must be a whole number from 0 to ${max}, got "${given}".`);
    }
    return Number(given);
  },
  fallback: () => APP_DEFAULTS[field] as number,
});

/** Whole numbers from `min` to `max`, for settings where 0 makes no sense. */
const count = (
  help: string,
  flag: string,
  env: string,
  field: keyof AppConfig & keyof typeof APP_DEFAULTS,
  min: number,
  max: number,
): Setting<number> => ({
  ...wholeNumber(help, flag, env, field, max),
  parse: (given) => {
    if (!/^\d{1,10}$/.test(given) || Number(given) < min || Number(given) > max) {
      throw new UsageError(
        `--${flag} (${env}) must be a whole number from ${min} to ${max}, got "${given}".`,
      );
    }
    return Number(given);
  },
});

/** An email address as a setting: one line, one @, no spaces (it goes into mail headers). */
const EMAIL = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;
const email = (given: string, what: string) => {
  const address = given.trim();
  if (!EMAIL.test(address) || address.length > 254)
    throw new UsageError(`${what} must be an email address such as moderators@example.org, got "${given}".`);
  return address;
};

const port = (given: string, what: string) => {
  if (!/^\d+$/.test(given) || Number(given) > 65535) throw new UsageError(`${what}, got "${given}".`);
  return Number(given);
};

const list = (given: string) =>
  given
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Origins are compared with the browser's `Origin` header, so they are normalized the same way. */
function parseOrigins(given: string): string[] {
  return list(given).map((s) => {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      throw new UsageError(`"${s}" in the allowed origins is not an origin like https://example.org.`);
    }
    if (url.origin === 'null')
      throw new UsageError(`"${s}" in the allowed origins is not an http(s) origin.`);
    return url.origin;
  });
}

/** The settings of `serve`, in the order the usage lists them. */
export const SERVE_SETTINGS = {
  port: {
    flag: 'port',
    env: 'PORT',
    value: 'N',
    help: 'port to listen on, 0 for any free port',
    shownDefault: '8787',
    emptyEnvIsValue: true,
    parse: (given: string) => port(given, 'Port must be 0–65535'),
    fallback: () => 8787,
  } satisfies Setting<number>,
  hostname: {
    flag: 'host',
    env: 'HOST',
    value: 'H',
    help: 'interface to listen on',
    shownDefault: 'all',
    parse: (given: string): string | undefined => given,
    fallback: () => undefined,
  } satisfies Setting<string | undefined>,
  ...DATABASE_SETTINGS,
  demoPort: {
    flag: null,
    env: 'DEMO_PORT',
    help: 'port of the demo host page, whose origins are the default allowed origins',
    shownDefault: String(DEMO_PORT),
    emptyEnvIsValue: true,
    parse: (given: string) => port(given, 'DEMO_PORT must be a port'),
    fallback: () => DEMO_PORT,
  } satisfies Setting<number>,
  allowedOrigins: {
    flag: 'allowed-origins',
    env: 'COLLOQUY_ALLOWED_ORIGINS',
    value: 'a,b',
    help: 'host page origins that may embed and write',
    shownDefault: 'http://localhost:$DEMO_PORT,http://127.0.0.1:$DEMO_PORT',
    // Set but empty: no origin at all may write, which is not the same as unset.
    emptyEnvIsValue: true,
    parse: parseOrigins,
    fallback: (earlier: Readonly<Record<string, unknown>>) => demoOrigins(earlier.demoPort as number),
  } satisfies Setting<string[]>,
  adminToken: text(
    'bearer token for admin calls',
    'admin-token',
    'COLLOQUY_ADMIN_TOKEN',
    'T',
    'admin calls refused',
  ),
  jwtSecret: text(
    "HS256 secret of the host site's JWTs for signed-in users",
    'jwt-secret',
    'COLLOQUY_JWT_SECRET',
    'S',
    'signed-in replies refused',
  ),
  secret: text(
    'signs proof-of-work challenges; set it when several servers share a database',
    'secret',
    'COLLOQUY_SECRET',
    'S',
    'random at start',
  ),
  trustedProxies: {
    flag: 'trusted-proxies',
    env: 'COLLOQUY_TRUSTED_PROXIES',
    value: 'a,b',
    help: 'addresses and CIDR ranges (10.0.0.0/8, 2001:db8::/32) of reverse proxies and CDNs whose X-Forwarded-For is believed',
    shownDefault: 'none',
    parse: (given: string) =>
      list(given).map((s) => {
        const entry = parseTrustedProxy(s);
        if (!entry)
          throw new UsageError(
            `"${s}" in the trusted proxies is neither an IP address nor a CIDR range (like 10.0.0.0/8 or 2001:db8::/32).`,
          );
        return entry;
      }),
    fallback: (): string[] => [],
  } satisfies Setting<string[]>,
  replyRateLimit: wholeNumber(
    'replies per minute per client address /24 or /64, 0 = no limit',
    'reply-rate-limit',
    'COLLOQUY_REPLY_RATE_LIMIT',
    'replyRateLimit',
    1_000_000_000,
  ),
  topicRateLimit: wholeNumber(
    'replies per minute per topic, 0 = no limit',
    'topic-rate-limit',
    'COLLOQUY_TOPIC_RATE_LIMIT',
    'topicRateLimit',
    1_000_000_000,
  ),
  writeRateLimit: wholeNumber(
    'writes of any kind per minute per client address /24 or /64, 0 = no limit',
    'write-rate-limit',
    'COLLOQUY_WRITE_RATE_LIMIT',
    'writeRateLimit',
    1_000_000_000,
  ),
  maxReplyDepth: wholeNumber(
    'deepest reply nesting',
    'max-reply-depth',
    'COLLOQUY_MAX_REPLY_DEPTH',
    'maxReplyDepth',
    1000,
  ),
  maxLinksPerReply: wholeNumber(
    'most links in one reply',
    'max-links',
    'COLLOQUY_MAX_LINKS',
    'maxLinksPerReply',
    1000,
  ),
  powDifficulty: wholeNumber(
    'leading zero bits of the proof-of-work a reply needs, 0 = none',
    'pow-difficulty',
    'COLLOQUY_POW_DIFFICULTY',
    'powDifficulty',
    32,
  ),
  moderation: {
    flag: 'moderation',
    env: 'COLLOQUY_MODERATION',
    value: 'M',
    help: "off, all, first (an author's first reply) or links (replies with links) wait for a moderator",
    shownDefault: APP_DEFAULTS.moderation,
    parse: (given: string): ModerationMode => {
      if (!(MODERATION_MODES as readonly string[]).includes(given)) {
        throw new UsageError(`Moderation must be one of ${MODERATION_MODES.join(', ')}, got "${given}".`);
      }
      return given as ModerationMode;
    },
    fallback: (): ModerationMode => APP_DEFAULTS.moderation,
  } satisfies Setting<ModerationMode>,
  pageTopics: {
    flag: 'page-topics',
    env: 'COLLOQUY_PAGE_TOPICS',
    value: 'on|off',
    help: "on: the first reply on an allowed page creates the page's topic (titled by its URL until an admin sets one); off: only topics an admin created take replies",
    shownDefault: 'on',
    parse: (given: string): boolean => {
      if (given !== 'on' && given !== 'off')
        throw new UsageError(`Page topics must be on or off, got "${given}".`);
      return given === 'on';
    },
    fallback: (): boolean => APP_DEFAULTS.pageTopics,
  } satisfies Setting<boolean>,
  editWindowSeconds: wholeNumber(
    'seconds an author may edit or delete a new reply',
    'edit-window',
    'COLLOQUY_EDIT_WINDOW',
    'editWindowSeconds',
    365 * 24 * 3600,
  ),
  heartbeatSeconds: wholeNumber(
    'seconds between keep-alive comments on idle event streams, 0 = none',
    'heartbeat',
    'COLLOQUY_HEARTBEAT',
    'heartbeatSeconds',
    3600,
  ),
  maxStreamsPerClient: wholeNumber(
    'live event streams one client address /24 or /64 may hold open, 0 = no cap',
    'streams-per-client',
    'COLLOQUY_STREAMS_PER_CLIENT',
    'maxStreamsPerClient',
    1_000_000,
  ),
  maxStreams: wholeNumber(
    'live event streams this server holds open at once, 0 = no cap (each holds a socket and a file descriptor)',
    'max-streams',
    'COLLOQUY_MAX_STREAMS',
    'maxStreams',
    1_000_000,
  ),
  publicUrl: {
    flag: 'public-url',
    env: 'COLLOQUY_PUBLIC_URL',
    value: 'URL',
    help: 'public origin of this server, for the links in emails and feeds',
    shownDefault: "feeds: the request's origin; emails: the address it listens on",
    parse: (given: string): string | null => {
      let url: URL;
      try {
        url = new URL(given);
      } catch {
        throw new UsageError(
          `--public-url (COLLOQUY_PUBLIC_URL) must be an http(s) URL such as https://discuss.example.org, got "${given}".`,
        );
      }
      if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
        throw new UsageError(
          `--public-url (COLLOQUY_PUBLIC_URL) must be an http(s) URL without query, fragment or credentials, got "${given}".`,
        );
      }
      return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
    },
    fallback: (): string | null => null,
  } satisfies Setting<string | null>,
  webhookAllowPrivate: {
    flag: 'webhook-allow-private',
    env: 'COLLOQUY_WEBHOOK_ALLOW_PRIVATE',
    help: 'let webhooks go to loopback, private and link-local addresses (never on a shared host)',
    parse: (given: string) => given === '1' || given === 'true',
    fallback: () => false,
  } satisfies Setting<boolean>,
  deliveryTimeoutSeconds: count(
    'seconds a webhook receiver or the SMTP server may take per attempt',
    'delivery-timeout',
    'COLLOQUY_DELIVERY_TIMEOUT',
    'deliveryTimeoutSeconds',
    1,
    120,
  ),
  deliveryAttempts: count(
    'attempts of a webhook or email delivery before it is failed',
    'delivery-attempts',
    'COLLOQUY_DELIVERY_ATTEMPTS',
    'deliveryAttempts',
    1,
    50,
  ),
  retryDelaySeconds: count(
    'seconds before the first retry of a delivery; each later one waits twice as long, with jitter, up to 6 hours',
    'retry-delay',
    'COLLOQUY_RETRY_DELAY',
    'retryDelaySeconds',
    1,
    86_400,
  ),
  smtpUrl: {
    flag: 'smtp-url',
    env: 'COLLOQUY_SMTP_URL',
    value: 'URL',
    help: 'smtp:// or smtps:// URL of the mail server for notification emails',
    shownDefault: 'no email',
    parse: (given: string): string | null => {
      if (!/^smtps?:\/\/[^\s]+$/.test(given))
        throw new UsageError('--smtp-url (COLLOQUY_SMTP_URL) must be an smtp:// or smtps:// URL.');
      return given;
    },
    fallback: (): string | null => null,
  } satisfies Setting<string | null>,
  mailFrom: {
    flag: 'mail-from',
    env: 'COLLOQUY_MAIL_FROM',
    value: 'ADDRESS',
    help: 'From address of notification emails; needed with --smtp-url',
    parse: (given: string): string | null => email(given, '--mail-from (COLLOQUY_MAIL_FROM)'),
    fallback: (): string | null => null,
  } satisfies Setting<string | null>,
  moderatorEmails: {
    flag: 'moderator-emails',
    env: 'COLLOQUY_MODERATOR_EMAILS',
    value: 'a,b',
    help: 'addresses told by email about replies awaiting review',
    shownDefault: 'none',
    parse: (given: string) => {
      const addresses = list(given).map((s) =>
        email(s, 'Each of --moderator-emails (COLLOQUY_MODERATOR_EMAILS)'),
      );
      if (addresses.length > 20)
        throw new UsageError('--moderator-emails (COLLOQUY_MODERATOR_EMAILS) takes at most 20 addresses.');
      return addresses;
    },
    fallback: (): string[] => [],
  } satisfies Setting<string[]>,
  backupDir: {
    flag: 'backup-dir',
    env: 'COLLOQUY_BACKUP_DIR',
    value: 'DIR',
    help: "back the SQLite database up into DIR at start and daily after, with SQLite's online backup (not for PostgreSQL: use pg_dump)",
    shownDefault: 'none',
    parse: (given: string): string | null => given,
    fallback: (): string | null => null,
  } satisfies Setting<string | null>,
  backupKeep: {
    flag: 'backup-keep',
    env: 'COLLOQUY_BACKUP_KEEP',
    value: 'N',
    help: 'backups to keep in --backup-dir, the newest; older ones are removed',
    shownDefault: '7',
    parse: (given: string): number => {
      if (!/^\d{1,4}$/.test(given) || Number(given) < 1 || Number(given) > 1000)
        throw new UsageError(
          `--backup-keep (COLLOQUY_BACKUP_KEEP) must be a whole number from 1 to 1000, got "${given}".`,
        );
      return Number(given);
    },
    fallback: () => 7,
  } satisfies Setting<number>,
  seed: {
    flag: 'seed',
    env: 'COLLOQUY_SEED',
    help: 'insert the demo topic when the database has none',
    parse: (given: string) => given === '1' || given === 'true',
    fallback: () => false,
  } satisfies Setting<boolean>,
};

export const USAGE = `Usage: colloquy-server serve [options]

Serves the API (and /widget.js) over HTTP.

Options (each also read from the environment variable in brackets; flags win):
${describeSettings(SERVE_SETTINGS)}`;

/**
 * Flags win over environment variables, which win over defaults. `argv` is what follows the
 * program name, starting with the command (`serve`, which may be omitted).
 */
export function loadConfig(env: Env, argv: readonly string[]): ServerOptions {
  const [command, ...args] = argv;
  if (command === undefined || command.startsWith('-')) return serveOptions(env, argv);
  if (command !== 'serve') throw new UsageError(`Unknown command "${command}".`);
  return serveOptions(env, args);
}

/** The options of `serve` from the environment and the arguments after the command's name. */
export function serveOptions(env: Env, args: readonly string[]): ServerOptions {
  const { port, hostname, dbFile, databaseUrl, dbSchema, seed, demoPort, backupDir, backupKeep, ...app } =
    readSettings(SERVE_SETTINGS, env, args);
  void demoPort; // read only for the default origins, which are in `app` already
  if (app.smtpUrl !== null && app.mailFrom === null) {
    throw new UsageError(
      '--smtp-url (COLLOQUY_SMTP_URL) needs --mail-from (COLLOQUY_MAIL_FROM), the From address of the emails.',
    );
  }
  if (app.smtpUrl === null && app.moderatorEmails.length > 0) {
    throw new UsageError(
      '--moderator-emails (COLLOQUY_MODERATOR_EMAILS) needs --smtp-url (COLLOQUY_SMTP_URL) to send them through.',
    );
  }
  if (backupDir !== null && databaseUrl !== null) {
    throw new UsageError(
      "--backup-dir (COLLOQUY_BACKUP_DIR) backs up a SQLite database; this server uses PostgreSQL (DATABASE_URL): back it up with PostgreSQL's own tools, such as pg_dump.",
    );
  }
  return {
    port,
    hostname,
    dbFile,
    databaseUrl,
    dbSchema,
    seed,
    backupDir,
    backupKeep,
    app: defaultConfig(app),
  };
}

/** Runs the server until SIGINT or SIGTERM. */
export async function serve(options: ServerOptions): Promise<void> {
  let seeded = false;
  const store = await openStore(
    options,
    options.seed
      ? async (opened) => {
          seeded = await seedDemo(opened);
        }
      : undefined,
  );
  // Undefined: the app's in-process bus, enough for one server on its own SQLite file.
  let bus: Awaited<ReturnType<typeof openBus>>;
  try {
    bus = await openBus(options);
  } catch (error) {
    await store.close();
    throw error;
  }
  if (options.databaseUrl !== null) console.log(`Using ${databaseName(options)}.`);
  if (seeded) console.log('Seeded the demo topic "rsp-update".');

  // The dispatcher needs the listening address for its links when no public URL is set, so
  // the app wakes it through this indirection until it exists.
  let dispatcher: Dispatcher | null = null;
  const app = createApp({
    store,
    config: options.app,
    ...(bus ? { bus } : {}),
    notifier: { wake: () => dispatcher?.wake() },
  });
  const server = await listen(app, {
    port: options.port,
    ...(options.hostname ? { hostname: options.hostname } : {}),
  });
  const { smtpUrl, mailFrom, deliveryTimeoutSeconds, publicUrl } = options.app;
  const mailer =
    smtpUrl !== null && mailFrom !== null
      ? smtpMailer({ url: smtpUrl, from: mailFrom, timeoutMs: deliveryTimeoutSeconds * 1000 })
      : null;
  if (mailer && publicUrl === null)
    console.log(`COLLOQUY_PUBLIC_URL is not set: the links in emails point at ${server.url}.`);
  dispatcher = new Dispatcher({ store, config: options.app, mailer, publicUrl: publicUrl ?? server.url });
  dispatcher.start();
  const backups =
    options.backupDir !== null && store instanceof SqliteStore
      ? scheduleBackups(store, {
          dir: options.backupDir,
          keep: options.backupKeep,
          onBackup: (file) => console.log(`Backed the database up to ${file}.`),
        })
      : null;
  // Tests and scripts/demo.js read this line to learn the port; keep its prefix.
  console.log(`Colloquy API on ${server.url}`);
  console.log(
    `Moderation console on ${server.url}/admin${options.app.adminToken === null ? ' (set COLLOQUY_ADMIN_TOKEN to sign in)' : ''}`,
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close().catch((error: unknown) => console.error(error));
    await dispatcher?.stop();
    await backups?.stop();
    mailer?.close();
    await bus?.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
