import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addressPrefix,
  isTrustedProxy,
  normalizeAddress,
  parsePrefix,
  parseTrustedProxy,
} from './client-address.js';

describe('client addresses', () => {
  it('normalizes addresses and widens them to /24 and /64', () => {
    assert.equal(normalizeAddress('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(addressPrefix(normalizeAddress('203.0.113.7')!), '203.0.113.0/24');
    assert.equal(addressPrefix(normalizeAddress('2001:db8::1')!), '2001:0db8:0000:0000::/64');
    assert.equal(addressPrefix(normalizeAddress('2001:DB8:0:0:ffff::9')!), '2001:0db8:0000:0000::/64');
    assert.equal(parsePrefix('2001:db8::/48'), '2001:0db8:0000:0000::/64');
    assert.equal(parsePrefix('198.51.100.0/24'), '198.51.100.0/24');
    for (const bad of ['', 'x', '1.2.3', '999.1.1.1', '1.2.3.4/24/1', '::g'])
      assert.equal(parsePrefix(bad), null, bad);
  });

  it('reads trusted proxies as single addresses and CIDR ranges of both families', () => {
    assert.equal(parseTrustedProxy('10.0.0.2'), '10.0.0.2');
    assert.equal(parseTrustedProxy(' 10.0.0.0/8 '), '10.0.0.0/8');
    // Host bits are cleared, as nginx's set_real_ip_from reads them.
    assert.equal(parseTrustedProxy('10.1.2.3/8'), '10.0.0.0/8');
    assert.equal(parseTrustedProxy('192.0.2.77/27'), '192.0.2.64/27');
    assert.equal(parseTrustedProxy('198.51.100.9/32'), '198.51.100.9/32');
    assert.equal(parseTrustedProxy('0.0.0.0/0'), '0.0.0.0/0');
    assert.equal(parseTrustedProxy('2001:DB8:1:2::5/33'), '2001:0db8:0000:0000:0000:0000:0000:0000/33');
    assert.equal(parseTrustedProxy('2001:db8:ffff::/35'), '2001:0db8:e000:0000:0000:0000:0000:0000/35');
    assert.equal(parseTrustedProxy('[2001:db8::1]'), '2001:0db8:0000:0000:0000:0000:0000:0001');
    assert.equal(parseTrustedProxy('::ffff:10.0.0.0/104'), '10.0.0.0/8');
    for (const bad of [
      '',
      'x',
      'proxy.local',
      '10.0.0.0/33',
      '10.0.0.0/',
      '10.0.0.0/-1',
      '10.0.0.0/8/8',
      '10.0.0.0/a',
      '2001:db8::/129',
      '::ffff:10.0.0.0/95',
      '999.0.0.0/8',
      '10.0.0.0/0008',
    ])
      assert.equal(parseTrustedProxy(bad), null, bad);
  });

  it('matches addresses against trusted single addresses and ranges', () => {
    const trusted = ['10.0.0.0/8', '192.0.2.1', '2001:db8::/32', '2001:db8:ffff::/48'].map((entry) => {
      const parsed = parseTrustedProxy(entry);
      assert.ok(parsed, entry);
      return parsed;
    });
    const is = (address: string) => isTrustedProxy(normalizeAddress(address) ?? address, trusted);
    for (const inside of [
      '10.0.0.0',
      '10.255.255.255',
      '10.20.30.40',
      '::ffff:10.1.1.1',
      '192.0.2.1',
      '2001:db8::1',
      '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
    ])
      assert.equal(is(inside), true, inside);
    for (const outside of [
      '9.255.255.255',
      '11.0.0.0',
      '192.0.2.2',
      '192.0.2.0',
      '2001:db9::1',
      '2001:db7:ffff::1',
      '::a00:1',
    ])
      assert.equal(is(outside), false, outside);
    assert.equal(isTrustedProxy('10.0.0.1', []), false);
  });
});
