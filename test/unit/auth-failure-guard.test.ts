import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SUBNET_SHARE } from '../../src/server/address-groups.js';
import { AuthFailureGuard, authFailuresMessage } from '../../src/server/auth-failure-guard.js';
import { AuthFailures } from '../../src/server/auth-failures.js';

/** A guard on a clock the test sets, its log lines and its counters kept. */
function guarding(perAddress: number) {
  const clock = { now: 1_000_000 };
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const counted = { failed: 0, refused: 0 };
  const counters = { failed: () => (counted.failed += 1), refused: () => (counted.refused += 1) };
  const guard = new AuthFailureGuard(new AuthFailures({ perAddress, windowMs: 60_000 }, () => clock.now), logger, counters);
  return { clock, lines, counted, guard };
}

describe('AuthFailureGuard', () => {
  it('refuses nothing before the limit; counts each failure; the failure that reaches it writes one warn line', () => {
    const { lines, counted, guard } = guarding(2);
    expect(guard.refusal('203.0.113.5')).toBeNull();
    guard.failed('203.0.113.5');
    expect(guard.refusal('203.0.113.5')).toBeNull();
    expect(lines).toEqual([]);
    guard.failed('203.0.113.5');
    expect(counted).toEqual({ failed: 2, refused: 0 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      remote: '203.0.113.5',
      group: '203.0.113.5',
      per: 'address',
      limit: 2,
      retryAfterSeconds: 60,
      alsoRefusedSinceLastLine: 0,
      msg: 'requests refused: too many failed authentications from this address (limits.authFailures)',
    });
  });

  it('refuses every request of a held address, a good key or not, counting each, with no line per refusal', () => {
    const { clock, lines, counted, guard } = guarding(1);
    guard.failed('203.0.113.6');
    clock.now += 30_000;
    for (let n = 0; n < 5; n++) expect(guard.refusal('203.0.113.6')).toEqual({ by: 'address', group: '203.0.113.6', limit: 1, retryAfterSeconds: 30 });
    expect(counted).toEqual({ failed: 1, refused: 5 });
    expect(lines).toHaveLength(1);
    // Another address is not held by this one's failures.
    expect(guard.refusal('203.0.113.7')).toBeNull();
    expect(counted.refused).toBe(5);
  });

  it("holds an IPv6 /64 back by its group: one line for the /64, whichever of its addresses it refuses", () => {
    const { lines, guard } = guarding(2);
    const inSubnet = (n: number) => `2001:db8:0:0:0:0:0:${n.toString(16)}`;
    // Each address fails once, under its own limit: the /64's is reached.
    for (let n = 1; n <= 2 * SUBNET_SHARE; n++) guard.failed(inSubnet(n));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ remote: inSubnet(2 * SUBNET_SHARE), group: '2001:db8:0:0::/64', per: 'subnet', limit: 2 * SUBNET_SHARE });
    expect(guard.refusal(inSubnet(0xabc))).toMatchObject({ by: 'subnet', group: '2001:db8:0:0::/64' });
    expect(lines).toHaveLength(1);
  });

  it("tells the client which limit holds it and when to retry, naming the setting", () => {
    expect(authFailuresMessage({ by: 'address', group: '203.0.113.5', limit: 5, retryAfterSeconds: 42 })).toBe(
      'too many failed authentications from this address; retry after 42 s (limits.authFailures)',
    );
    expect(authFailuresMessage({ by: 'subnet', group: '2001:db8:0:0::/64', limit: 80, retryAfterSeconds: 7 })).toBe(
      "too many failed authentications from this address's /64; retry after 7 s (limits.authFailures)",
    );
  });
});
