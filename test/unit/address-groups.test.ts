import { describe, expect, it } from 'vitest';
import { AddressCounts, SITE_SHARE, SUBNET_SHARE, groupOf, groupsOf, siteOf, subnetOf } from '../../src/server/address-groups.js';
import { clientKeyOf } from '../../src/server/client-address.js';

describe('subnetOf: the /64 an IPv6 client key belongs to', () => {
  it('takes the first four groups of an IPv6 key as clientKeyOf writes it', () => {
    expect(subnetOf(clientKeyOf('2001:db8:5::1'))).toBe('2001:db8:5:0::/64');
    expect(subnetOf(clientKeyOf('2001:db8:5:0:ffff:1:2:3'))).toBe('2001:db8:5:0::/64');
    expect(subnetOf(clientKeyOf('2001:db8:5:1::1'))).toBe('2001:db8:5:1::/64');
    expect(subnetOf('abcd:ef01:2345:6789:a:b:c:d')).toBe('abcd:ef01:2345:6789::/64');
  });

  it('has none for IPv4 (mapped, or behind NAT64, or not), the empty key, or a form clientKeyOf kept as written', () => {
    for (const key of [clientKeyOf('203.0.113.7'), clientKeyOf('::ffff:203.0.113.7'), '', clientKeyOf('64:ff9b::1.2.3.4'), '2001:db8::1.2.3.400', 'unknown']) {
      expect(subnetOf(key), key).toBeNull();
    }
    // Seven or nine groups, a group of five digits, text around the address: no /64.
    for (const key of ['1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:12345', 'x1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8x', '1:2:3:4:5:6:7:g']) expect(subnetOf(key), key).toBeNull();
  });
});

describe('siteOf: the /48 an IPv6 client key belongs to', () => {
  it('keeps the first three groups of a full IPv6 key; IPv4 and anything else have none', () => {
    expect(siteOf(clientKeyOf('2001:db8:5::1'))).toBe('2001:db8:5::/48');
    expect(siteOf(clientKeyOf('2001:db8:5:ffff::1'))).toBe('2001:db8:5::/48');
    expect(siteOf('203.0.113.1')).toBeNull();
    expect(siteOf('1:2:3:4:5:6:7')).toBeNull();
  });
});

describe('AddressCounts: per address, and per /64 at most SUBNET_SHARE addresses worth', () => {
  const inSubnet = (n: number) => `2001:db8:0:0:0:0:0:${n.toString(16)}`;

  it('refuses an address past its own limit and leaves its neighbours theirs', () => {
    const counts = new AddressCounts(2);
    expect([counts.take('203.0.113.1'), counts.take('203.0.113.1'), counts.take('203.0.113.1')]).toEqual([null, null, 'address']);
    expect(counts.take('203.0.113.2')).toBeNull();
    expect([counts.take(inSubnet(1)), counts.take(inSubnet(1)), counts.take(inSubnet(1))]).toEqual([null, null, 'address']);
    expect(counts.take(inSubnet(2))).toBeNull();
    expect(counts.held(inSubnet(1))).toBe(2);
    // The refused take held nothing of the /64.
    expect(counts.held('2001:db8:0:0::/64')).toBe(3);
  });

  it('refuses a host rotating through its /64 once the /64 holds SUBNET_SHARE addresses worth; another /64 is untouched', () => {
    const counts = new AddressCounts(2);
    const limit = 2 * SUBNET_SHARE;
    const outcomes = Array.from({ length: limit + 1 }, (_, n) => counts.take(inSubnet(n + 1)));
    expect(outcomes.slice(0, limit).every((outcome) => outcome === null)).toBe(true);
    expect(outcomes[limit]).toBe('subnet');
    expect(counts.held(inSubnet(limit + 1))).toBe(0);
    expect(counts.held('2001:db8:0:0::/64')).toBe(limit);
    expect(counts.take('2001:db8:0:1:0:0:0:1')).toBeNull();
    // IPv4 has no /64: only its own limit counts, however many addresses.
    const v4 = new AddressCounts(1);
    for (let n = 1; n <= limit + 1; n++) expect(v4.take(`10.0.0.${n}`)).toBeNull();
  });

  it('gives back on release, to the address and its /64, and keeps nothing for what holds nothing', () => {
    const counts = new AddressCounts(1);
    for (let n = 1; n <= SUBNET_SHARE; n++) counts.take(inSubnet(n));
    expect(counts.take(inSubnet(99))).toBe('subnet');
    counts.release(inSubnet(1));
    expect(counts.held(inSubnet(1))).toBe(0);
    expect(counts.held('2001:db8:0:0::/64')).toBe(SUBNET_SHARE - 1);
    expect(counts.take(inSubnet(99))).toBeNull();
    expect(counts.take(inSubnet(1))).toBe('subnet');
    counts.take('203.0.113.1');
    // One address of IPv4 (no /64 kept for it), 16 of IPv6, their /64 and their /48.
    expect(counts.remembered).toBe(1 + SUBNET_SHARE + 1 + 1);
    counts.release('203.0.113.1');
    expect(counts.take('203.0.113.1')).toBeNull();
    expect(counts.take('203.0.113.1')).toBe('address');
    counts.release('203.0.113.1');
    for (let n = 2; n <= SUBNET_SHARE; n++) counts.release(inSubnet(n));
    counts.release(inSubnet(99));
    expect(counts.remembered).toBe(0);
  });

  it('shares 16 addresses worth per /64', () => {
    expect(SUBNET_SHARE).toBe(16);
  });
});

describe('AddressCounts: per /48 at most SITE_SHARE /64s worth', () => {
  const inSite = (n: number) => `2001:db8:7:${n.toString(16)}:0:0:0:1`;

  it('refuses a host taking a fresh /64 of its /48 for each once the /48 holds SITE_SHARE /64s worth; another /48 is untouched', () => {
    const counts = new AddressCounts(2);
    const limit = 2 * SUBNET_SHARE * SITE_SHARE;
    const outcomes = Array.from({ length: limit + 1 }, (_, n) => counts.take(inSite(n + 1)));
    // Before, each /64 had a fresh allowance: a /48 held 65,536 of them, so without end.
    expect(outcomes.slice(0, limit).every((outcome) => outcome === null)).toBe(true);
    expect(outcomes[limit]).toBe('site');
    expect(counts.held('2001:db8:7::/48')).toBe(limit);
    expect(counts.held(inSite(limit + 1))).toBe(0);
    expect(counts.take('2001:db8:8:1:0:0:0:1')).toBeNull();
  });

  it('gives back to the /48 on release, and keeps at most three entries per thing held', () => {
    const counts = new AddressCounts(1);
    const limit = SUBNET_SHARE * SITE_SHARE;
    for (let n = 1; n <= limit; n++) expect(counts.take(inSite(n))).toBeNull();
    expect(counts.take(inSite(limit + 1))).toBe('site');
    // Each held one: its address and its /64, and the one /48.
    expect(counts.remembered).toBe(2 * limit + 1);
    counts.release(inSite(1));
    expect(counts.held('2001:db8:7::/48')).toBe(limit - 1);
    expect(counts.take(inSite(limit + 1))).toBeNull();
    for (let n = 2; n <= limit + 1; n++) counts.release(inSite(n));
    expect(counts.remembered).toBe(0);
  });
});

describe('groupsOf and groupOf: the limits an address counts in', () => {
  it('an IPv6 address: itself, its /64 (SUBNET_SHARE times) and its /48 (SITE_SHARE times the /64); IPv4: itself', () => {
    const address = '2001:db8:7:1:0:0:0:1';
    expect(groupsOf(address, 3)).toEqual([
      { by: 'address', group: address, limit: 3 },
      { by: 'subnet', group: '2001:db8:7:1::/64', limit: 3 * SUBNET_SHARE },
      { by: 'site', group: '2001:db8:7::/48', limit: 3 * SUBNET_SHARE * SITE_SHARE },
    ]);
    expect(groupOf(address, 'site', 3)).toEqual({ by: 'site', group: '2001:db8:7::/48', limit: 3 * SUBNET_SHARE * SITE_SHARE });
    expect(groupsOf('203.0.113.1', 3)).toEqual([{ by: 'address', group: '203.0.113.1', limit: 3 }]);
    expect(SITE_SHARE).toBe(4);
  });
});
