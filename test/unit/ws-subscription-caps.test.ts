import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/gateway/principal.js';
import { SUBNET_SHARE } from '../../src/server/address-groups.js';
import { SubscriptionCaps } from '../../src/server/ws/subscription-caps.js';

const keyed = (name: string): Principal => ({ name, keyId: `key-${name}`, roles: new Set(['viewer']), providers: null });

describe('SubscriptionCaps', () => {
  it('refuses a key past its cap naming the limit, counts another key apart, and forgets a key holding none', () => {
    const caps = new SubscriptionCaps(2);
    const dashboard = keyed('dashboard');
    expect(caps.take(dashboard)).toBeNull();
    expect(caps.take(dashboard)).toBeNull();
    expect(caps.take(dashboard)).toBe('Subscription limit of 2 per client exceeded (limits.maxSubscriptionsPerClient), across all its WebSocket connections: complete one first.');
    expect(caps.take(keyed('other'))).toBeNull();
    caps.release(dashboard);
    expect(caps.take(dashboard)).toBeNull();
    caps.release(dashboard);
    caps.release(dashboard);
    expect(caps.remembered).toBe(1);
  });

  it("counts a caller without a key by address, and an IPv6 host taking a fresh address per subscription by its /64", () => {
    const caps = new SubscriptionCaps(1);
    expect(caps.take('192.0.2.1')).toBeNull();
    expect(caps.take('192.0.2.1')).toContain('Subscription limit of 1 for this address exceeded');
    expect(caps.take('192.0.2.2')).toBeNull();
    for (let n = 1; n <= SUBNET_SHARE; n += 1) expect(caps.take(`2001:db8:0:1:0:0:0:${n.toString(16)}`)).toBeNull();
    expect(caps.take('2001:db8:0:1:0:0:0:ffff')).toContain(`Subscription limit of ${SUBNET_SHARE} for this address's /64 exceeded`);
    caps.release('192.0.2.1');
    caps.release('192.0.2.2');
    for (let n = 1; n <= SUBNET_SHARE; n += 1) caps.release(`2001:db8:0:1:0:0:0:${n.toString(16)}`);
    expect(caps.remembered).toBe(0);
  });
});
