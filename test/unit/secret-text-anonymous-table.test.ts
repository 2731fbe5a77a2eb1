import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/domain/errors.js';
import type { Principal } from '../../src/gateway/principal.js';
import { SecretTextGuard } from '../../src/gateway/secret-text.js';
import { secretTextCountsOf } from '../../src/server/secret-text-counts.js';
import type { SharedCounter } from '../../src/state/shared-counter.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * Anonymous callers' refusals for credential text are counted per address and per /24 or /48.
 * Each address or block that had one left an entry in the guard's maps (its window, and with
 * Redis its shared hold) that went only when that same address wrote again after its window: a
 * holder of many addresses (an IPv6 /32 holds 65,536 /48s) grew this process's memory a few
 * entries per request, for as long as the process ran.
 */

const SECRET = 'sim-danube-api-key-4e8a0c';
const anonymous: Principal = { name: 'anonymous', keyId: 'anonymous', roles: new Set(['operator']), providers: null };
const keyed: Principal = { name: 'client-k1', keyId: 'k1', roles: new Set(['operator']), providers: null };
const TABLE = 100;
const ADDRESSES = 1_000;

/** Redis's count per key, a window that never ends within the test. */
function sharedCounts(limit: number): SharedCounter {
  const counts = new Map<string, number>();
  return {
    limit,
    add: async (key) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return { count: counts.get(key)!, msBeforeNext: 3_600_000 };
    },
  };
}

async function codeOf(act: () => void | Promise<void>): Promise<string | null> {
  try {
    await act();
    return null;
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    return error.code;
  }
}

describe('SecretTextGuard: what it remembers of anonymous callers', () => {
  const secrets = new SecretSet();
  secrets.add(SECRET);
  const guard = new SecretTextGuard(() => [secrets], { perKey: 1, windowMs: 3_600_000 }, pino({ level: 'silent' }), undefined, undefined, sharedCounts(1), sharedCounts(4), TABLE);

  it('is bounded, whatever the number of addresses that had a refusal', async () => {
    expect(await codeOf(() => guard.check(keyed, 'r', 'createBackup', [['name', 'api-key-4e8a']]))).toBe('BAD_USER_INPUT');
    for (let index = 0; index < ADDRESSES; index++) {
      const counts = secretTextCountsOf(anonymous, `10.${index >> 8}.${index & 255}.1`);
      expect(await codeOf(() => guard.check(anonymous, 'r', 'createBackup', [['name', 'api-key-4e8a']], counts))).toBe('BAD_USER_INPUT');
    }
    // Anonymous windows and shared holds, TABLE each, and the key's own two.
    expect(guard.remembered).toBeLessThanOrEqual(2 * TABLE + 2);
  });

  it("never pushes a client key's count out (a guard: a single table of both would)", async () => {
    expect(await codeOf(() => guard.refuseHeld(keyed))).toBe('FORBIDDEN');
  });

  it('still holds the addresses seen last', async () => {
    const last = ADDRESSES - 1;
    expect(await codeOf(() => guard.refuseHeld(anonymous, secretTextCountsOf(anonymous, `10.${last >> 8}.${last & 255}.1`)))).toBe('FORBIDDEN');
  });
});
