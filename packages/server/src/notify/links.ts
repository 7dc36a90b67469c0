import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The links in notification emails, signed with a key the servers of one database share (made
 * on first use, see NotificationStore.sharedKey), so they survive restarts and work on any
 * instance without a setting.
 *
 * - A moderation link (`approve` or `hide` a reply) expires and is single-use: the two links of
 *   one email share a nonce, spent by whichever is used first. Following one shows a page
 *   (GET), and only its button (POST) acts: mail scanners and link previews fetch links, and a
 *   GET that approved would let them moderate.
 * - An unsubscribe link names the address only by its digest and does not expire (RFC 8058
 *   one-click unsubscribe posts to it).
 */
export type LinkClaims =
  | { action: 'approve' | 'hide'; replyId: string; nonce: string; expiresAt: number }
  | { action: 'unsubscribe'; emailHash: string };

const LABEL = 'colloquy-email-link.';

export class LinkSigner {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  static nonce(): string {
    return randomBytes(16).toString('base64url');
  }

  sign(claims: LinkClaims): string {
    const payload = Buffer.from(
      JSON.stringify(
        claims.action === 'unsubscribe'
          ? { a: claims.action, h: claims.emailHash }
          : { a: claims.action, r: claims.replyId, n: claims.nonce, e: claims.expiresAt },
      ),
    ).toString('base64url');
    return `${payload}.${this.#mac(payload).toString('base64url')}`;
  }

  /** The claims of a token this key signed, or null (malformed, forged or altered). Expiry is the caller's. */
  verify(token: string): LinkClaims | null {
    if (token.length > 600 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) return null;
    const [payload = '', mac = ''] = token.split('.');
    const given = Buffer.from(mac, 'base64url');
    const expected = this.#mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    const v = value as Record<string, unknown>;
    if (v.a === 'unsubscribe' && typeof v.h === 'string') return { action: 'unsubscribe', emailHash: v.h };
    if (
      (v.a === 'approve' || v.a === 'hide') &&
      typeof v.r === 'string' &&
      typeof v.n === 'string' &&
      typeof v.e === 'number'
    ) {
      return { action: v.a, replyId: v.r, nonce: v.n, expiresAt: v.e };
    }
    return null;
  }

  #mac(payload: string): Buffer {
    return createHmac('sha256', this.#key)
      .update(LABEL + payload)
      .digest();
  }
}
