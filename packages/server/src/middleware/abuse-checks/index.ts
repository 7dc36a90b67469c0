import type { Context, MiddlewareHandler } from 'hono';
import { READER_HEADER } from '@colloquy/api';
import { type Limiter, tooManyRequests } from '../../abuse/rate-limiter.js';
import type { AdminAuth } from '../../auth/admin-token.js';
import { sha256 } from '../../digest.js';
import { ProblemError } from '../../problem.js';
import type { Store } from '../../store/store.js';

export interface AbuseChecks {
  store: Pick<Store, 'isBanned'>;
  admin: AdminAuth;
  /** Writes of any kind, counted per network. */
  writeLimit: Limiter;
  /** The client's /24 or /64, or undefined when there is no socket (in-process tests). */
  clientPrefix(c: Context): string | undefined;
}

/**
 * For every write but the admin's: banned readers and networks are refused (403), and writes
 * of any kind are counted per network (429 with Retry-After past the limit).
 */
export function abuseChecks({ store, admin, writeLimit, clientPrefix }: AbuseChecks): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS' || admin.isAdmin(c)) {
      return next();
    }
    const prefix = clientPrefix(c);
    const readerKey = c.req.header(READER_HEADER);
    if (
      await store.isBanned({
        readerHash: readerKey ? sha256(readerKey) : null,
        addressPrefix: prefix ?? null,
      })
    ) {
      throw new ProblemError(
        403,
        'banned',
        'Writing not allowed',
        'A moderator has blocked writes from this reader or network.',
      );
    }
    const retry = await writeLimit.hit(prefix ?? 'unknown');
    if (retry !== null)
      throw tooManyRequests(retry, `At most ${writeLimit.limit} writes a minute may come from one network.`);
    return next();
  };
}
