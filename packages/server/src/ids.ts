import { randomBytes } from 'node:crypto';

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A topic id is a slug, or the absolute http(s) URL of the page a page topic belongs to. */
export function isTopicId(id: string): boolean {
  return SLUG.test(id) || pageTopicUrl(id) !== null;
}

/** The URL of a page topic id, or null when the id is not an http(s) URL. */
export function pageTopicUrl(id: string): URL | null {
  if (id.length > 2048 || !/^https?:\/\/[^\s\u0000-\u001f\u007f]+$/i.test(id)) return null;
  try {
    const url = new URL(id);
    return url.hostname ? url : null;
  } catch {
    return null;
  }
}

export const REPLY_ID = /^[0-9A-Za-z_-]{1,64}$/;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = -1;
let lastRandom = 0n;

/**
 * ULID-style reply ids: 10 characters of milliseconds then 16 random ones, so they sort by
 * creation time. Within one millisecond the random part is incremented, which keeps ids
 * created by this process in creation order (the replies' tie-breaker in pagination).
 */
export function newReplyId(now = Date.now()): string {
  if (now <= lastTime) {
    lastRandom++;
    now = lastTime;
  } else {
    lastTime = now;
    lastRandom = BigInt('0x' + randomBytes(10).toString('hex')) >> 1n; // 79 bits: room to increment
  }
  return encode(BigInt(now), 10) + encode(lastRandom, 16);
}

function encode(value: bigint, length: number): string {
  let out = '';
  for (let k = 0; k < length; k++) {
    out = CROCKFORD[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}
