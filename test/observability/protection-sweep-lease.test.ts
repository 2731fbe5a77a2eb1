import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtectionSweep } from '../../src/observability/protection-sweep.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const INTERVAL_MS = 60_000;

/**
 * The sweep's lease must be gone by the replica's next tick. It lasted exactly
 * the interval, and a timer firing one interval after the claim (as
 * setInterval does, to the millisecond) found it still held: a lone replica
 * skipped about a third of its sweeps (31 ticks, 22 sweeps, at 100 ms), so the
 * gauges aged two intervals instead of one.
 */
describe('protection sweep lease', () => {
  let harness: Harness;
  // Not 0: lru-cache reads a start time of 0 as "no start".
  let now = 1_000_000;
  const sweeps: ProtectionSweep[] = [];

  beforeAll(async () => {
    // The store's clock is the test's: the lease's age is read from it.
    harness = await startHarness({ kinds: ['zstack'], store: new MemoryStore(undefined, { now: () => now }) });
  });
  afterAll(async () => {
    await Promise.all(sweeps.map((sweep) => sweep.stop()));
    await harness.close();
  });

  const replica = (): ProtectionSweep => {
    const sweep = new ProtectionSweep(harness.gateway.services, new Registry(), INTERVAL_MS, pino({ level: 'silent' }));
    sweeps.push(sweep);
    return sweep;
  };

  it('a replica sweeps on each tick, one interval apart; another replica within the interval does not', async () => {
    const first = replica();
    const second = replica();
    expect(await first.tick()).toBe(true);
    now += INTERVAL_MS / 2;
    expect(await second.tick()).toBe(false);
    now += INTERVAL_MS / 2;
    expect(await first.tick()).toBe(true);
    now += INTERVAL_MS;
    expect(await first.tick()).toBe(true);
  });
});
