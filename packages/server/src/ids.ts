import { randomBytes, randomFillSync } from 'node:crypto';

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
    lastRandom = BigInt(`0x${randomBytes(10).toString('hex')}`) >> 1n; // 79 bits: room to increment
  }
  return encode(BigInt(now), 10) + encode(lastRandom, 16);
}

/**
 * The id of an imported reply: like newReplyId(), but for a time in the past, so that it sorts
 * among the topic's replies by when the reply was written in the source system.
 */
export function importedReplyId(createdAt: number): string {
  // An import makes ids by the hundred thousand: its time part is encoded without BigInt, and
  // its random characters (five random bits each, the low bits of one random byte) are drawn
  // from a pool filled a page at a time rather than by a call to the system per id.
  let time = Math.max(0, Math.min(Math.floor(createdAt), 2 ** 48 - 1));
  let out = '';
  for (let k = 0; k < 10; k++) {
    out = CROCKFORD.charAt(time % 32) + out;
    time = Math.floor(time / 32);
  }
  if (poolAt + 16 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  for (let k = 0; k < 16; k++) out += CROCKFORD.charAt((pool[poolAt++] ?? 0) & 31);
  return out;
}

const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function encode(value: bigint, length: number): string {
  let out = '';
  for (let k = 0; k < length; k++) {
    out = CROCKFORD[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}
