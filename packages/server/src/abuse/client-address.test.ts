import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressPrefix, normalizeAddress, parsePrefix } from './client-address.js';

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
});
