import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * An IP address in one canonical text form, or null: IPv4 dotted quad, IPv6 as eight full
 * lower-case hextets; an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, what a dual-stack socket
 * reports for IPv4 peers) becomes its IPv4 address, so both spellings share a limit and a ban.
 */
export function normalizeAddress(raw: string): string | null {
  let text = raw.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const family = isIP(text);
  if (family === 4)
    return text
      .split('.')
      .map((part) => String(Number(part)))
      .join('.');
  if (family !== 6) return null;
  const hextets = expandIpv6(text);
  const [high, low] = [hextets[6], hextets[7]];
  if (
    hextets.slice(0, 5).every((h) => h === 0) &&
    hextets[5] === 0xffff &&
    high !== undefined &&
    low !== undefined
  ) {
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return hextets.map((h) => h.toString(16).padStart(4, '0')).join(':');
}

function expandIpv6(text: string): number[] {
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) becomes two hextets first.
  const hex = text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    [((Number(a) << 8) | Number(b)).toString(16), ((Number(c) << 8) | Number(d)).toString(16)].join(':'),
  );
  const parse = (part: string) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const gap = hex.indexOf('::');
  if (gap === -1) return parse(hex);
  const left = parse(hex.slice(0, gap));
  const right = parse(hex.slice(gap + 2));
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The network a client is counted and banned by: its /24 for IPv4, its /64 for IPv6 (one
 * subscriber usually holds a whole /64, so single IPv6 addresses would be free to rotate).
 */
export function addressPrefix(address: string): string {
  if (!address.includes(':')) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  return `${address.split(':').slice(0, 4).join(':')}::/64`;
}

/**
 * Accepts `1.2.3.4`, `1.2.3.0/24`, `2001:db8::1` or `2001:db8::/64` (any prefix length; the
 * result is always the /24 or /64 the rate limits and bans use). Null when not an address.
 */
export function parsePrefix(text: string): string | null {
  const [address, length, ...rest] = text.trim().split('/');
  if (rest.length > 0 || address === undefined) return null;
  if (length !== undefined && !/^\d{1,3}$/.test(length)) return null;
  const normalized = normalizeAddress(address);
  return normalized ? addressPrefix(normalized) : null;
}

/**
 * One entry of the trusted proxies in canonical form, or null: a single address
 * (`10.0.0.2`, `2001:db8::1`) as normalizeAddress writes it, or a range (`10.0.0.0/8`,
 * `2001:db8::/32`) as its network address and prefix length, host bits cleared, so
 * `10.1.2.3/8` reads as `10.0.0.0/8`. A prefix length beyond the family's (33 for IPv4) is
 * refused; an IPv4-mapped range (`::ffff:10.0.0.0/104`) becomes its IPv4 range.
 */
export function parseTrustedProxy(text: string): string | null {
  const [address, length, ...rest] = text.trim().split('/');
  if (rest.length > 0 || address === undefined) return null;
  const normalized = normalizeAddress(address);
  if (!normalized) return null;
  if (length === undefined) return normalized;
  if (!/^\d{1,3}$/.test(length)) return null;
  let bits = Number(length);
  const mapped = normalized.includes('.') && address.includes(':');
  if (mapped) {
    // `::ffff:a.b.c.d/n` names IPv4 addresses; its first 96 bits are the mapping's prefix.
    if (bits < 96 || bits > 128) return null;
    bits -= 96;
  }
  const v4 = normalized.includes('.');
  if (bits > (v4 ? 32 : 128)) return null;
  return `${networkAddress(normalized, bits)}/${bits}`;
}

/** `address` with every bit after the first `bits` cleared, in normalizeAddress's form. */
function networkAddress(address: string, bits: number): string {
  const v4 = address.includes('.');
  const width = v4 ? 8 : 16;
  const parts = v4 ? address.split('.').map(Number) : address.split(':').map((h) => parseInt(h, 16));
  const masked = parts.map((part, k) => {
    const keep = Math.min(width, Math.max(0, bits - k * width));
    return keep === 0 ? 0 : part & (((1 << keep) - 1) << (width - keep));
  });
  return v4 ? masked.join('.') : masked.map((h) => h.toString(16).padStart(4, '0')).join(':');
}

/**
 * The trusted proxies as node's BlockList (a matcher of addresses and ranges, built into
 * node, so no hand-written range arithmetic runs per request), made once per list.
 */
const proxyMatchers = new WeakMap<readonly string[], BlockList>();

function proxyMatcher(trustedProxies: readonly string[]): BlockList {
  let matcher = proxyMatchers.get(trustedProxies);
  if (matcher) return matcher;
  matcher = new BlockList();
  for (const entry of trustedProxies) {
    const [address = '', length] = entry.split('/');
    const family = address.includes(':') ? 'ipv6' : 'ipv4';
    if (length === undefined) matcher.addAddress(address, family);
    else matcher.addSubnet(address, Number(length), family);
  }
  proxyMatchers.set(trustedProxies, matcher);
  return matcher;
}

/** Whether `address` (in normalizeAddress's form) is one of the trusted proxies or in one of their ranges. */
export function isTrustedProxy(address: string, trustedProxies: readonly string[]): boolean {
  if (trustedProxies.length === 0) return false;
  return proxyMatcher(trustedProxies).check(address, address.includes(':') ? 'ipv6' : 'ipv4');
}

/**
 * The client's address: the socket peer, or, when the peer is a trusted proxy (an address or
 * in a range of `trustedProxies`), the right-most X-Forwarded-For entry that is not itself a
 * trusted proxy (entries to its left were written by the client and prove nothing). When every
 * entry is trusted, the left-most one is the client (a reader inside the proxies' own network).
 * Undefined when there is no socket, as in `app.request()` without an `env`; tests pass
 * `{ incoming: { socket: { remoteAddress } } }` as that `env`, which is where `getConnInfo` looks.
 */
export function clientAddress(c: Context, trustedProxies: readonly string[]): string | undefined {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
  const address = peer === undefined ? null : normalizeAddress(peer);
  if (!address) return undefined;
  if (!isTrustedProxy(address, trustedProxies)) return address;
  const forwarded = (c.req.header('X-Forwarded-For') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  let furthest = address;
  for (const entry of forwarded.reverse()) {
    const hop = normalizeAddress(entry);
    if (!hop) return furthest; // garbage from the client: count the request against the last trusted hop
    if (!isTrustedProxy(hop, trustedProxies)) return hop;
    furthest = hop;
  }
  return furthest;
}

/** The network of the client (see addressPrefix), or undefined when there is no socket. */
export function clientPrefix(c: Context, trustedProxies: readonly string[]): string | undefined {
  const address = clientAddress(c, trustedProxies);
  return address === undefined ? undefined : addressPrefix(address);
}
