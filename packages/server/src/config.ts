import { createRequire } from 'node:module';
import { DEFAULT_PAGE_SIZE, MAX_REQUEST_BODY_BYTES } from '@colloquy/api';

export interface AppConfig {
  /** Host page origins that may call the API from a browser (CORS) and write. */
  allowedOrigins: string[];
  /** Bearer token for admin calls; null refuses them all. */
  adminToken: string | null;
  /** The embed bundle served at /widget.js. */
  widgetBundlePath: string;
  /** The elements' UI strings by language, served at /api/v1/messages/:lang. */
  catalogsPath: string;
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
  /**
   * Whether the first reply on an allowed page creates that page's topic (keyed by its
   * canonical URL); false: only topics an admin created take replies.
   */
  pageTopics: boolean;
  /** How long after posting an author may edit or delete a reply with its edit token, in seconds. */
  editWindowSeconds: number;
  /** Seconds between comment lines on an idle event stream, so proxies keep it open; 0: none. */
  heartbeatSeconds: number;
  /** Event streams one client network (/24, /64) may hold open on this server; 0: no cap. */
  maxStreamsPerClient: number;
  /** Event streams this server holds open at once, all clients together; 0: no cap. */
  maxStreams: number;
  /**
   * The server's public origin (and path prefix), for the links in emails and feeds; null:
   * feeds use the request's own origin, emails the address the server listens on.
   */
  publicUrl: string | null;
  /** Webhooks may go to loopback, private and link-local addresses too (never by default). */
  webhookAllowPrivate: boolean;
  /** Longest wait for a webhook receiver or the SMTP server, per attempt, in seconds. */
  deliveryTimeoutSeconds: number;
  /** Attempts of one delivery before it is marked failed. */
  deliveryAttempts: number;
  /** Seconds before the first retry; each later one waits twice as long (with jitter), up to 6 hours. */
  retryDelaySeconds: number;
  /** `smtp://` or `smtps://` URL of the mail server; null: no email. */
  smtpUrl: string | null;
  /** The From address of notification emails. */
  mailFrom: string | null;
  /** Who is told by email about replies awaiting review. */
  moderatorEmails: string[];
  /** How long the approve and hide links of an email work, in seconds. */
  emailLinkSeconds: number;
  /** Deliveries that may wait at once; past it new ones are recorded as failed, not queued. */
  maxPendingDeliveries: number;
  /** Emails one author address may get in 24 hours (replies to their replies). */
  authorEmailsPerDay: number;
}

export const MODERATION_MODES = ['off', 'all', 'first', 'links'] as const;
export type ModerationMode = (typeof MODERATION_MODES)[number];

/**
 * Where npm put one of the widget's built files; the build writes them, so they may not exist
 * yet. The server uses the widget package for nothing but these files.
 */
function widgetFile(exported: string, built: string): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve(`@colloquy/widget/${exported}`);
  } catch {
    // resolve() fails when the file is missing; point at where it will be once built.
    return require.resolve('@colloquy/widget/package.json').replace(/package\.json$/, built);
  }
}

/**
 * The widget's script-tag bundle, written by rollup. Found by its path, not its export: in Node,
 * `@colloquy/widget/colloquy.js` resolves to the module that defines the elements, which imports
 * without a DOM, while the bundle is for browsers only.
 */
export const defaultWidgetBundlePath = () =>
  widgetFile('package.json', 'package.json').replace(/package\.json$/, 'dist/widget.js');

/** The widget's UI strings of every language, written by scripts/catalogs.js. */
export const defaultCatalogsPath = () => widgetFile('catalogs.json', 'dist/catalogs.json');

/** The origins of the demo host page on `port`, the allowed origins when none are configured. */
export const demoOrigins = (port: number) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`];

/** The port of the demo host page that `npm start` serves. */
export const DEMO_PORT = 8080;

/** The defaults of every setting but the file paths, which depend on where the widget is installed. */
export const APP_DEFAULTS: Readonly<Omit<AppConfig, 'widgetBundlePath' | 'catalogsPath'>> = {
  allowedOrigins: demoOrigins(DEMO_PORT),
  adminToken: null,
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
  pageTopics: true,
  editWindowSeconds: 15 * 60,
  heartbeatSeconds: 15,
  maxStreamsPerClient: 100,
  maxStreams: 5000,
  publicUrl: null,
  webhookAllowPrivate: false,
  deliveryTimeoutSeconds: 10,
  deliveryAttempts: 10,
  retryDelaySeconds: 30,
  smtpUrl: null,
  mailFrom: null,
  moderatorEmails: [],
  emailLinkSeconds: 3 * 24 * 3600,
  maxPendingDeliveries: 10_000,
  authorEmailsPerDay: 10,
};

/** The app's configuration: the defaults, with `overrides` on top. */
export function defaultConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    ...APP_DEFAULTS,
    allowedOrigins: [...APP_DEFAULTS.allowedOrigins],
    trustedProxies: [],
    moderatorEmails: [],
    widgetBundlePath: overrides.widgetBundlePath ?? defaultWidgetBundlePath(),
    catalogsPath: overrides.catalogsPath ?? defaultCatalogsPath(),
    ...overrides,
  };
}
