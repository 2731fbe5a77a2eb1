import { describe, expect, it } from 'vitest';
import { SITE_SHARE, SUBNET_SHARE } from '../../src/server/address-groups.js';
import { clientKeyOf } from '../../src/server/client-address.js';
import { refusalOf } from '../../src/server/connections-per-address.js';

describe('refusalOf: what a refused connection is logged (and throttled) under', () => {
  it('an address over its own limit: the address', () => {
    expect(refusalOf('203.0.113.7', 'address', 256)).toEqual({ remote: '203.0.113.7', per: 'address', group: '203.0.113.7', limit: 256 });
  });

  it('a full /64: the /64, the same for each of its addresses (each would otherwise be a log line of its own)', () => {
    const one = refusalOf(clientKeyOf('2001:db8:77::1:1'), 'subnet', 256);
    const other = refusalOf(clientKeyOf('2001:db8:77::1:2'), 'subnet', 256);
    expect(one.group).toBe('2001:db8:77:0::/64');
    expect(other.group).toBe(one.group);
    expect(one.limit).toBe(256 * SUBNET_SHARE);
  });

  it('a full /48: the /48, with SITE_SHARE times the /64 limit', () => {
    const refusal = refusalOf(clientKeyOf('2001:db8:77:5::1'), 'site', 256);
    expect(refusal).toEqual({ remote: clientKeyOf('2001:db8:77:5::1'), per: 'site', group: '2001:db8:77::/48', limit: 256 * SUBNET_SHARE * SITE_SHARE });
  });
});
