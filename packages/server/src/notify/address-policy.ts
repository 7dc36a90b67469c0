import {
  lookup as dnsLookup,
  type LookupAddress,
  type LookupAllOptions,
  type LookupOneOptions,
} from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may be sent: public unicast addresses only, unless the site owner allows the
 * rest (COLLOQUY_WEBHOOK_ALLOW_PRIVATE=1). Loopback, private (RFC 1918, unique local),
 * link-local (and with it the cloud metadata address 169.254.169.254), carrier-grade NAT,
 * multicast, reserved, documentation and benchmarking ranges, and IPv6 forms that embed an IPv4
 * address (mapped, NAT64, 6to4, Teredo) are refused: a subscription is a URL an admin typed,
 * and it must not become a way to reach the server's own network.
 */
export function isPublicAddress(address: string): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return false;
  }
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
  constructor(host: string, address: string) {
    super(
      `${host} resolves to ${address}, which is not a public address; webhooks go only to public addresses unless COLLOQUY_WEBHOOK_ALLOW_PRIVATE=1.`,
    );
    this.name = 'BlockedAddressError';
  }
}

/**
 * A `lookup` for net.connect that refuses a host when any address it resolves to is not
 * public. The socket connects to exactly the addresses this returns, so the check cannot be
 * undone by a second, different answer (DNS rebinding): there is no second lookup.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(
    hostname,
    { ...(options as LookupOneOptions), all: true } satisfies LookupAllOptions,
    (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const blocked = addresses.find((a) => !isPublicAddress(a.address));
      if (blocked) return callback(new BlockedAddressError(hostname, blocked.address), '', 0);
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      return callback(null, first.address, first.family);
    },
  );
};

/**
 * Why a webhook URL's host can never be sent to, known without resolving it: an IP literal
 * that is not public (net.connect does not look literals up, so the lookup above never sees
 * them), or `localhost`. Null when it may be (its addresses are checked at connect time).
 */
export function literalHostRefusal(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return isPublicAddress(host) ? null : `${host} is not a public address`;
  if (/^localhost\.?$/i.test(host) || /\.localhost\.?$/i.test(host)) return `${host} is this machine`;
  return null;
}
