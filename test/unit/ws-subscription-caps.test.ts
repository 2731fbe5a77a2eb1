import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/gateway/principal.js';
import { SUBNET_SHARE } from '../../src/server/address-groups.js';
import { SubscriptionCaps } from '../../src/server/ws/subscription-caps.js';
import type { HeldCount, SharedHoldings } from '../../src/state/shared-holdings.js';

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

  it("with shared holdings refuses a take the replicas together are past, at each level an anonymous caller is counted in, and writes back what a release leaves", async () => {
    const counts = new Map<string, Map<string, number>>();
    /** Two replicas' holdings, as Redis sums them: each replica's count per key. */
    const replica = (name: string): SharedHoldings => {
      const record = ({ key, held }: HeldCount) => counts.set(key, new Map(counts.get(key)).set(name, held));
      return {
        hold: async (held) => {
          held.forEach(record);
          return held.map(({ key }) => [...(counts.get(key)?.values() ?? [])].reduce((sum, count) => sum + count, 0));
        },
        record,
        close: () => undefined,
      };
    };
    const [one, two] = [new SubscriptionCaps(2, replica('one')), new SubscriptionCaps(2, replica('two'))];
    const dashboard = keyed('dashboard');
    for (let n = 0; n < 2; n += 1) {
      expect(one.take(dashboard)).toBeNull();
      expect(await one.confirm(dashboard)).toBeNull();
    }
    expect(two.take(dashboard)).toBeNull();
    expect(await two.confirm(dashboard)).toBe('Subscription limit of 2 per client exceeded (limits.maxSubscriptionsPerClient), across all its WebSocket connections: complete one first.');
    two.release(dashboard);
    one.release(dashboard);
    expect(counts.get('key:key-dashboard')).toEqual(new Map([['one', 1], ['two', 0]]));
    expect(two.take(dashboard)).toBeNull();
    expect(await two.confirm(dashboard)).toBeNull();

    // A /64 holds 16 addresses' worth, 32 here: 8 addresses of it full on each replica, each within its own count.
    for (let n = 1; n <= SUBNET_SHARE / 2; n += 1) {
      for (const [caps, host] of [[one, n], [two, n + 0x100]] as const) {
        const address = `2001:db8:0:2:0:0:0:${host.toString(16)}`;
        for (let held = 0; held < 2; held += 1) {
          expect(caps.take(address)).toBeNull();
          expect(await caps.confirm(address)).toBeNull();
        }
      }
    }
    expect(one.take('2001:db8:0:2:0:0:0:ffff')).toBeNull();
    expect(await one.confirm('2001:db8:0:2:0:0:0:ffff')).toContain(`Subscription limit of ${2 * SUBNET_SHARE} for this address's /64 exceeded`);
  });
  it('confirms across replicas only with shared holdings, and goes by its own count when the store fails or is late', async () => {
    const dashboard = keyed('dashboard');
    const alone = new SubscriptionCaps(1);
    expect(alone.acrossReplicas).toBe(false);
    expect(alone.take(dashboard)).toBeNull();
    expect(await alone.confirm(dashboard)).toBeNull();

    const recorded: HeldCount[] = [];
    const failing: SharedHoldings = { hold: async () => null, record: (count) => recorded.push(count), close: () => undefined };
    const shared = new SubscriptionCaps(1, failing);
    expect(shared.acrossReplicas).toBe(true);
    expect(shared.take(dashboard)).toBeNull();
    expect(await shared.confirm(dashboard)).toBeNull();
    expect(shared.take(dashboard)).toContain('Subscription limit of 1 per client exceeded');
    shared.release(dashboard);
    expect(recorded).toEqual([{ key: 'key:key-dashboard', held: 0 }]);
  });
});
