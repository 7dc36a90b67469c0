import { createRequire } from 'node:module';
import { DEFAULT_PAGE_SIZE, MAX_REQUEST_BODY_BYTES } from '@colloquy/api';
import { normalizeAddress } from './abuse/client-address.js';

export interface AppConfig {
  /** Host page origins that may call the API from a browser (CORS) and write. */
  allowedOrigins: string[];
  /** Bearer token for admin calls; null refuses them all. */
  adminToken: string | null;
  /** The embed bundle served at /widget.js. */
  widgetBundlePath: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Top-level threads per page of replies, when the client does not ask. */
  pageSize: number;
  /** HS256 secret for site-signed JWTs of signed-in users; null: signed-in replies refused. */
  jwtSecret: string | null;
  /** Signs proof-of-work challenges; null: a random secret made when the app is created. */
  secret: string | null;
  /** Socket peers (reverse proxies) whose X-Forwarded-For is believed. */
  trustedProxies: string[];
  /** Replies per minute per client address prefix (/24, /64); 0: no limit. */
  replyRateLimit: number;
  /** Replies per minute per topic; 0: no limit. */
  topicRateLimit: number;
  /** Writes of any kind (replies, reactions, edits) per minute per address prefix; 0: no limit. */
  writeRateLimit: number;
  /** Deepest nesting of a reply (0 is a reply to the topic). */
  maxReplyDepth: number;
  /** Most links one reply may carry. */
  maxLinksPerReply: number;
  /** Leading zero bits of the proof-of-work a reply needs; 0: no proof asked. */
  powDifficulty: number;
  /** Which new replies wait for a moderator. */
  moderation: ModerationMode;
  /** How long after posting an author may edit or delete a reply with its edit token, in seconds. */
  editWindowSeconds: number;
  /** Seconds between comment lines on an idle event stream, so proxies keep it open; 0: none. */
  heartbeatSeconds: number;
}

export const MODERATION_MODES = ['off', 'all', 'first', 'links'] as const;
export type ModerationMode = (typeof MODERATION_MODES)[number];

/** Where npm puts the widget's script-tag bundle; rollup writes it, so it may not exist yet. */
export function defaultWidgetBundlePath(): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve('@colloquy/widget/colloquy.js');
  } catch {
    // resolve() fails when the file is missing; point at where it will be once built.
    return require.resolve('@colloquy/widget/package.json').replace(/package\.json$/, 'dist/colloquy.js');
  }
}

export function defaultConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    allowedOrigins: demoOrigins(8080),
    adminToken: null,
    widgetBundlePath: overrides.widgetBundlePath ?? defaultWidgetBundlePath(),
    maxBodyBytes: MAX_REQUEST_BODY_BYTES,
    pageSize: DEFAULT_PAGE_SIZE,
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
    editWindowSeconds: 15 * 60,
    heartbeatSeconds: 15,
    ...overrides,
  };
}

const demoOrigins = (port: number) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`];

/** What the CLI needs: the app's config plus where to listen and which database to open. */
export interface ServerOptions {
  port: number;
  /** Undefined: Node's default, all interfaces. */
  hostname: string | undefined;
  dbFile: string;
  /** `postgres://…`: use PostgreSQL (PostgresStore and PostgresBus) instead of the SQLite file. */
  databaseUrl: string | null;
  /** PostgreSQL schema for the tables (created when missing); null: the connection's default. */
  dbSchema: string | null;
  seed: boolean;
  app: AppConfig;
}

/** A mistake in the command line or environment; the CLI prints it with the usage and exits. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: colloquy-server serve [options]

Options (each also read from the environment variable in brackets):
  --port N                  port to listen on, 0 for any free port [PORT] (default 8787)
  --host H                  interface to listen on [HOST] (default: all)
  --db FILE                 SQLite database file [COLLOQUY_DB] (default ./data/colloquy.db)
  --database-url URL        postgres://… : use PostgreSQL instead of SQLite, and LISTEN/NOTIFY so
                            several servers on one database share live updates [DATABASE_URL]
                            (default: unset, SQLite)
  --db-schema NAME          PostgreSQL schema for the tables, created when missing
                            [COLLOQUY_DB_SCHEMA] (default: the connection's search_path, usually public)
  --allowed-origins a,b     host page origins that may embed and write [COLLOQUY_ALLOWED_ORIGINS]
                            (default http://localhost:$DEMO_PORT,http://127.0.0.1:$DEMO_PORT, DEMO_PORT 8080)
  --admin-token T           bearer token for admin calls [COLLOQUY_ADMIN_TOKEN] (default: admin calls refused)
  --jwt-secret S            HS256 secret of the host site's JWTs for signed-in users [COLLOQUY_JWT_SECRET]
                            (default: signed-in replies refused)
  --secret S                signs proof-of-work challenges; set it when several servers share
                            a database [COLLOQUY_SECRET] (default: random at start)
  --trusted-proxies a,b     addresses of reverse proxies whose X-Forwarded-For is believed
                            [COLLOQUY_TRUSTED_PROXIES] (default: none)
  --reply-rate-limit N      replies per minute per client address /24 or /64, 0 = no limit
                            [COLLOQUY_REPLY_RATE_LIMIT] (default 10)
  --topic-rate-limit N      replies per minute per topic, 0 = no limit [COLLOQUY_TOPIC_RATE_LIMIT] (default 60)
  --write-rate-limit N      writes of any kind per minute per client address /24 or /64, 0 = no limit
                            [COLLOQUY_WRITE_RATE_LIMIT] (default 120)
  --max-reply-depth N       deepest reply nesting [COLLOQUY_MAX_REPLY_DEPTH] (default 32)
  --max-links N             most links in one reply [COLLOQUY_MAX_LINKS] (default 10)
  --pow-difficulty N        leading zero bits of the proof-of-work a reply needs, 0 = none
                            [COLLOQUY_POW_DIFFICULTY] (default 0)
  --moderation M            off, all, first (an author's first reply) or links (replies with links)
                            wait for a moderator [COLLOQUY_MODERATION] (default off)
  --edit-window N           seconds an author may edit or delete a new reply [COLLOQUY_EDIT_WINDOW] (default 900)
  --heartbeat N             seconds between keep-alive comments on idle event streams, 0 = none
                            [COLLOQUY_HEARTBEAT] (default 15)
  --seed                    insert the demo topic when the database has none [COLLOQUY_SEED=1]
  -h, --help                show this help
`;

/** Whole-number settings: flag, environment variable, config field, largest value accepted. */
const NUMBER_SETTINGS = [
  ['--reply-rate-limit', 'COLLOQUY_REPLY_RATE_LIMIT', 'replyRateLimit', 1_000_000_000],
  ['--topic-rate-limit', 'COLLOQUY_TOPIC_RATE_LIMIT', 'topicRateLimit', 1_000_000_000],
  ['--write-rate-limit', 'COLLOQUY_WRITE_RATE_LIMIT', 'writeRateLimit', 1_000_000_000],
  ['--max-reply-depth', 'COLLOQUY_MAX_REPLY_DEPTH', 'maxReplyDepth', 1000],
  ['--max-links', 'COLLOQUY_MAX_LINKS', 'maxLinksPerReply', 1000],
  ['--pow-difficulty', 'COLLOQUY_POW_DIFFICULTY', 'powDifficulty', 32],
  ['--edit-window', 'COLLOQUY_EDIT_WINDOW', 'editWindowSeconds', 365 * 24 * 3600],
  ['--heartbeat', 'COLLOQUY_HEARTBEAT', 'heartbeatSeconds', 3600],
] as const;

const VALUE_FLAGS = [
  '--port',
  '--host',
  '--db',
  '--database-url',
  '--db-schema',
  '--allowed-origins',
  '--admin-token',
  '--jwt-secret',
  '--secret',
  '--trusted-proxies',
  '--moderation',
  ...NUMBER_SETTINGS.map(([flag]) => flag),
] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

/**
 * Flags win over environment variables, which win over defaults. `argv` is what follows the
 * program name, starting with the command (`serve`, which may be omitted).
 */
export function loadConfig(env: Record<string, string | undefined>, argv: readonly string[]): ServerOptions {
  const args = [...argv];
  if (args[0] === 'serve') args.shift();
  else if (args[0] !== undefined && !args[0].startsWith('-')) throw new UsageError(`Unknown command "${args[0]}".`);

  const flags: Partial<Record<ValueFlag, string>> = {};
  let seed = env['COLLOQUY_SEED'] === '1' || env['COLLOQUY_SEED'] === 'true';
  while (args.length > 0) {
    const arg = args.shift()!;
    if (arg === '--seed') {
      seed = true;
      continue;
    }
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!(VALUE_FLAGS as readonly string[]).includes(name)) throw new UsageError(`Unknown option "${arg}".`);
    const value = inline ?? args.shift();
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`Option ${name} needs a value.`);
    }
    flags[name as ValueFlag] = value;
  }

  const portText = flags['--port'] ?? env['PORT'] ?? '8787';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`Port must be 0–65535, got "${portText}".`);

  const demoPortText = env['DEMO_PORT'] ?? '8080';
  const demoPort = Number(demoPortText);
  if (!/^\d+$/.test(demoPortText) || demoPort > 65535) throw new UsageError(`DEMO_PORT must be a port, got "${demoPortText}".`);

  const originsText = flags['--allowed-origins'] ?? env['COLLOQUY_ALLOWED_ORIGINS'];
  const allowedOrigins = originsText === undefined ? demoOrigins(demoPort) : parseOrigins(originsText);

  const adminToken = flags['--admin-token'] ?? env['COLLOQUY_ADMIN_TOKEN'] ?? '';
  const jwtSecret = flags['--jwt-secret'] ?? env['COLLOQUY_JWT_SECRET'] ?? '';
  const secret = flags['--secret'] ?? env['COLLOQUY_SECRET'] ?? '';
  const proxiesText = flags['--trusted-proxies'] ?? env['COLLOQUY_TRUSTED_PROXIES'] ?? '';
  const trustedProxies = proxiesText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const address = normalizeAddress(s);
      if (!address) throw new UsageError(`"${s}" in the trusted proxies is not an IP address.`);
      return address;
    });
  const moderation = flags['--moderation'] ?? (env['COLLOQUY_MODERATION'] || 'off');
  if (!(MODERATION_MODES as readonly string[]).includes(moderation)) {
    throw new UsageError(`Moderation must be one of ${MODERATION_MODES.join(', ')}, got "${moderation}".`);
  }
  const databaseUrl = flags['--database-url'] ?? (env['DATABASE_URL'] || null);
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new UsageError('DATABASE_URL (--database-url) must be a postgres:// or postgresql:// URL.');
  }
  const dbSchema = flags['--db-schema'] ?? (env['COLLOQUY_DB_SCHEMA'] || null);
  if (dbSchema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(dbSchema)) {
    throw new UsageError(`The database schema (COLLOQUY_DB_SCHEMA) must be lowercase letters, digits and underscores, got "${dbSchema}".`);
  }
  const numbers: Partial<AppConfig> = {};
  for (const [flag, variable, field, max] of NUMBER_SETTINGS) {
    const text = flags[flag] ?? (env[variable] || undefined);
    if (text === undefined) continue;
    if (!/^\d{1,10}$/.test(text) || Number(text) > max) {
      throw new UsageError(`${flag} (${variable}) must be a whole number from 0 to ${max}, got "${text}".`);
    }
    numbers[field] = Number(text);
  }
  return {
    port,
    hostname: flags['--host'] ?? (env['HOST'] || undefined),
    dbFile: flags['--db'] ?? (env['COLLOQUY_DB'] || './data/colloquy.db'),
    databaseUrl,
    dbSchema,
    seed,
    app: defaultConfig({
      allowedOrigins,
      adminToken: adminToken === '' ? null : adminToken,
      jwtSecret: jwtSecret === '' ? null : jwtSecret,
      secret: secret === '' ? null : secret,
      trustedProxies,
      moderation: moderation as ModerationMode,
      ...numbers,
    }),
  };
}

/** Origins are compared with the browser's `Origin` header, so they are normalized the same way. */
function parseOrigins(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        throw new UsageError(`"${s}" in the allowed origins is not an origin like https://example.org.`);
      }
      if (url.origin === 'null') throw new UsageError(`"${s}" in the allowed origins is not an http(s) origin.`);
      return url.origin;
    });
}
