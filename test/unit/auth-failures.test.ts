import { describe, expect, it } from 'vitest';
import { SITE_SHARE, SUBNET_SHARE } from '../../src/server/address-groups.js';
import { AuthFailures, MAX_REMEMBERED, SITE_TABLE_SHARE } from '../../src/server/auth-failures.js';

/** Failures counted at a time the test sets. */
function counting(perAddress: number, windowMs: number, maxRemembered?: number) {
  const clock = { now: 0 };
  const failures = new AuthFailures({ perAddress, windowMs }, () => clock.now, maxRemembered);
  return { clock, failures };
}

describe('AuthFailures', () => {
  it('holds an address back once it has failed perAddress times, until the window begun by its first failure ends', () => {
    const { clock, failures } = counting(3, 60_000);
    expect(failures.failed('203.0.113.1')).toBeNull();
    clock.now = 10_000;
    expect(failures.failed('203.0.113.1')).toBeNull();
    expect(failures.holdOn('203.0.113.1')).toBeNull();
    expect(failures.failed('203.0.113.1')).toEqual({ by: 'address', group: '203.0.113.1', limit: 3, retryAfterSeconds: 50 });
    clock.now = 59_001;
    expect(failures.holdOn('203.0.113.1')).toEqual({ by: 'address', group: '203.0.113.1', limit: 3, retryAfterSeconds: 1 });
    expect(failures.holdOn('203.0.113.2')).toBeNull();
    clock.now = 60_000;
    expect(failures.holdOn('203.0.113.1')).toBeNull();
    // A new window: its failures start from none.
    expect(failures.failed('203.0.113.1')).toBeNull();
  });

  it("holds an IPv6 /64 back once it has failed SUBNET_SHARE addresses' worth, whichever addresses failed; IPv4 is not grouped", () => {
    const { failures } = counting(2, 60_000);
    const inSubnet = (n: number) => `2001:db8:0:0:0:0:0:${n.toString(16)}`;
    for (let n = 1; n < 2 * SUBNET_SHARE; n++) expect(failures.failed(inSubnet(n))).toBeNull();
    expect(failures.failed(inSubnet(2 * SUBNET_SHARE))).toMatchObject({ by: 'subnet', group: '2001:db8:0:0::/64', limit: 2 * SUBNET_SHARE });
    expect(failures.holdOn(inSubnet(0xfff))).toMatchObject({ by: 'subnet' });
    expect(failures.holdOn('2001:db8:0:1:0:0:0:1')).toBeNull();
    for (let n = 1; n <= 2 * SUBNET_SHARE; n++) expect(failures.failed(`10.0.${n}.1`)).toBeNull();
  });

  it('remembers at most maxRemembered addresses and /64s: a client with many addresses cannot grow it', () => {
    const { failures } = counting(20, 60_000, 100);
    for (let n = 0; n < 10_000; n++) failures.failed(`10.${n >> 8}.${n & 255}.1`);
    for (let n = 0; n < 10_000; n++) failures.failed(`2001:db8:${n.toString(16)}:0:0:0:0:1`);
    expect(failures.remembered).toBe(100);
    // The least recently seen went first; the newest are still counted.
    for (let n = 1; n < 20; n++) failures.failed('2001:db8:270f:0:0:0:0:1');
    expect(failures.holdOn('2001:db8:270f:0:0:0:0:1')).toMatchObject({ by: 'address', limit: 20 });
  });

  it('an IPv4 address takes one place in the table (it has no /64): two of them fit in a table of two, each still counted', () => {
    const { failures } = counting(2, 60_000, 2);
    expect(failures.failed('198.51.100.1')).toBeNull();
    expect(failures.remembered).toBe(1);
    expect(failures.failed('198.51.100.2')).toBeNull();
    expect(failures.remembered).toBe(2);
    expect(failures.failed('198.51.100.1')).toMatchObject({ by: 'address', group: '198.51.100.1' });
  });

  it('counts windows on a clock that is not at 0 (performance.now() after start-up): held within the window, free after it', () => {
    const { clock, failures } = counting(2, 60_000);
    clock.now = 5_000_000;
    failures.failed('203.0.113.9');
    expect(failures.failed('203.0.113.9')).toEqual({ by: 'address', group: '203.0.113.9', limit: 2, retryAfterSeconds: 60 });
    clock.now = 5_059_999;
    expect(failures.holdOn('203.0.113.9')).toMatchObject({ by: 'address', retryAfterSeconds: 1 });
    clock.now = 5_060_000;
    expect(failures.holdOn('203.0.113.9')).toBeNull();
  });

  it('holds an address back on its own clock when none is given', () => {
    const failures = new AuthFailures({ perAddress: 2, windowMs: 60_000 });
    failures.failed('203.0.113.7');
    expect(failures.failed('203.0.113.7')).toMatchObject({ by: 'address', limit: 2, retryAfterSeconds: 60 });
    expect(failures.holdOn('203.0.113.7')).toMatchObject({ by: 'address' });
  });

  it("holds an IPv6 /48 back once it has failed SITE_SHARE /64s' worth, a new /64 per guess; another /48 is untouched", () => {
    const { failures } = counting(2, 60_000);
    const inSite = (n: number) => `2001:db8:5:${n.toString(16)}:0:0:0:1`;
    const limit = 2 * SUBNET_SHARE * SITE_SHARE;
    for (let n = 1; n < limit; n++) expect(failures.failed(inSite(n))).toBeNull();
    expect(failures.failed(inSite(limit))).toMatchObject({ by: 'site', group: '2001:db8:5::/48', limit });
    expect(failures.holdOn(inSite(0xffff))).toMatchObject({ by: 'site' });
    expect(failures.holdOn('2001:db8:6:1:0:0:0:1')).toBeNull();
  });

  it('a host with a /48 guessing from a fresh /64 each time cannot push another address out of the table', () => {
    const { failures } = counting(20, 60_000);
    const victim = '203.0.113.9';
    for (let n = 1; n < 20; n++) failures.failed(victim);
    // As the gateway does: a held-back address is refused before its key is looked at, so counts no failure.
    for (let n = 0; n < 2 * MAX_REMEMBERED; n++) {
      const address = `2001:db8:${(n >> 16).toString(16)}:${(n & 0xffff).toString(16)}:0:0:0:1`;
      if (failures.holdOn(address) === null) failures.failed(address);
    }
    // Its 19 failures are still counted: one more holds it back.
    expect(failures.failed(victim)).toMatchObject({ by: 'address', group: victim });
  });

  describe('one /48 fills at most SITE_TABLE_SHARE of the table, whatever perAddress', () => {
    /** Fails from a fresh /64 of 2001:db8:5::/48 each time, as the gateway does (a held-back address is refused unheard), until held back; says how many failed. */
    const guessUntilHeld = (failures: AuthFailures, from = 0): number => {
      let failed = 0;
      for (let n = from; n < from + 0x10000; n++) {
        const address = `2001:db8:5:${n.toString(16)}:0:0:0:1`;
        if (failures.holdOn(address) !== null) break;
        failures.failed(address);
        failed += 1;
      }
      return failed;
    };

    it('with perAddress 1,000 (a /48 of 64,000 failures, 128,000 entries) the /48 is held back within its share, and another address keeps its count', () => {
      const { failures } = counting(1_000, 60_000);
      const victim = '203.0.113.9';
      for (let n = 1; n < 1_000; n++) failures.failed(victim);
      const failed = guessUntilHeld(failures);
      expect(failures.remembered - 1).toBeLessThanOrEqual(MAX_REMEMBERED * SITE_TABLE_SHARE);
      expect(failed).toBe(Math.floor((MAX_REMEMBERED * SITE_TABLE_SHARE - 1) / 2));
      expect(failures.holdOn('2001:db8:5:ffff:0:0:0:1')).toMatchObject({ by: 'site', group: '2001:db8:5::/48', limit: failed });
      expect(failures.failed(victim)).toMatchObject({ by: 'address', group: victim });
      expect(failures.holdOn('2001:db8:6:1:0:0:0:1')).toBeNull();
    });

    it('holds at the largest perAddress the config takes, and in a small table too', () => {
      const { failures } = counting(1_000_000, 60_000, 160);
      const failed = guessUntilHeld(failures);
      expect(failed).toBe(4);
      expect(failures.remembered).toBeLessThanOrEqual(160 * SITE_TABLE_SHARE);
      // A table too small for a share of even one failure still lets a /48 fail once.
      const tiny = counting(20, 60_000, 4).failures;
      expect(guessUntilHeld(tiny)).toBe(1);
    });

    it('leaves the default limits as they were: a /48 fails 1,280 times per window', () => {
      const { failures } = counting(20, 60_000);
      expect(guessUntilHeld(failures)).toBe(20 * SUBNET_SHARE * SITE_SHARE);
    });

    it("a /48 held to its share in every window, its older entries piling up, never pushes out an address's running count", () => {
      const windowMs = 60_000;
      const { clock, failures } = counting(1_000, windowMs, 160);
      const victim = '203.0.113.9';
      let from = 0;
      for (let window = 1; window <= 20; window++) {
        // The victim's window begins just before the /48's next one and ends just after it.
        clock.now = window * windowMs - 1;
        for (let n = 1; n < 1_000; n++) failures.failed(victim);
        clock.now = window * windowMs;
        from += guessUntilHeld(failures, from);
        clock.now = (window + 1) * windowMs - 2;
        expect(failures.failed(victim), `window ${window}`).toMatchObject({ by: 'address', group: victim });
      }
      expect(from).toBe(20 * 4);
    });
  });
});
