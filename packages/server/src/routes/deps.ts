import type { Context } from 'hono';
import { PROOF_HEADER, READER_HEADER, READER_KEY } from '@colloquy/api';
import { clientPrefix } from '../abuse/client-address.js';
import { ProofOfWork, spentInMemory, spentInStore } from '../abuse/proof-of-work.js';
import { type Limiter, RateLimiter, SharedRateLimiter } from '../abuse/rate-limiter.js';
import { AdminAuth, bearerToken } from '../auth/admin-token.js';
import type { Bus } from '../bus/bus.js';
import type { AppConfig } from '../config.js';
import { sha256 } from '../digest.js';
import { LINK_KEY } from '../notify/dispatcher.js';
import { LinkSigner } from '../notify/links.js';
import { ReplyService, type Requester } from '../services/replies.js';
import type { Store } from '../store/store.js';

/** What the routers and middleware of one app share, built once by createApp(). */
export interface AppDeps {
  store: Store;
  config: AppConfig;
  bus: Bus;
  admin: AdminAuth;
  pow: ProofOfWork;
  /**
   * Replies per network, replies per topic, writes of any kind per network, and reactions of
   * reader keys new to the network (counted per network, like replies).
   */
  limits: { reply: Limiter; topic: Limiter; write: Limiter; newReader: Limiter };
  replies: ReplyService;
  /** The client's /24 or /64, or undefined when there is no socket (in-process tests). */
  clientPrefix(c: Context): string | undefined;
  /** Who is asking, as the reply policy needs to know. */
  requester(c: Context): Requester;
  /**
   * After a write committed: tells live readers of the topic (on this server and, through the
   * bus, on the others) that it has new events. Never throws: the write stands either way.
   */
  announce(topicId: string): Promise<void>;
  /** The signer of email links, with the key the servers of this database share. */
  links(): Promise<LinkSigner>;
}

export function createDeps({ store, config, bus }: { store: Store; config: AppConfig; bus: Bus }): AppDeps {
  const admin = new AdminAuth(config.adminToken);
  // Servers sharing a database (PostgreSQL) share their limits and spent challenges through it.
  const shared = store.sharedByServers;
  const pow = new ProofOfWork(
    config.secret,
    config.powDifficulty,
    shared ? spentInStore(store) : spentInMemory(),
  );
  const limiter = (name: string, limit: number): Limiter =>
    shared ? new SharedRateLimiter(store, name, limit) : new RateLimiter(limit);
  const limits = {
    reply: limiter('reply', config.replyRateLimit),
    topic: limiter('topic', config.topicRateLimit),
    write: limiter('write', config.writeRateLimit),
    newReader: limiter('new-reader', config.replyRateLimit),
  };
  const announce = announcer(store, bus);
  const prefixOf = (c: Context) => clientPrefix(c, config.trustedProxies);
  let signer: Promise<LinkSigner> | null = null;
  const links = () => {
    signer ??= store.notifications.sharedKey(LINK_KEY).then((key) => new LinkSigner(key));
    signer.catch(() => (signer = null)); // a failed read is tried again next time
    return signer;
  };
  return {
    links,
    store,
    config,
    bus,
    admin,
    pow,
    limits,
    announce,
    clientPrefix: prefixOf,
    replies: new ReplyService({
      store,
      config,
      pow,
      replyLimit: limits.reply,
      topicLimit: limits.topic,
      announce,
    }),
    requester: (c) => ({
      admin: admin.isAdmin(c),
      bearerToken: bearerToken(c),
      origin: c.req.header('Origin'),
      clientPrefix: prefixOf(c),
      readerHash: readerHashOf(c),
      proof: c.req.header(PROOF_HEADER),
    }),
  };
}

/** The reader key's hash, when the request names a reader (the header is validated first). */
export const readerHashOf = (c: Context): Buffer | null => {
  const key = c.req.header(READER_HEADER);
  return key && READER_KEY.test(key) ? sha256(key) : null;
};

/** The `announce` of AppDeps: publishes the topic's newest event id, when it has one. */
export function announcer(store: Store, bus: Bus): (topicId: string) => Promise<void> {
  return async (topicId) => {
    try {
      const eventId = await store.lastEventId(topicId);
      if (eventId !== '0') await bus.publish(topicId, eventId);
    } catch (error) {
      // Live readers catch up on their next notification or reconnection; the write stands.
      console.error(error);
    }
  };
}
