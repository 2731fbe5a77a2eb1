import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtectionSweep } from '../../src/observability/protection-sweep.js';
import type { SweepResult } from '../../src/observability/sweep-result.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A guard of a fallback left out on purpose (docs/operations.md, "Alerts without a dashboard open"):
 * the sweep never reads the result a build before 2026-12-07 stored under the ids-only key
 * (`sha256(JSON.stringify(sortedIds))`), not even for the last-known counts of an account that fails
 * the new build's first sweep. That key is shared by every deployment whose accounts have the same
 * ids, wherever their urls point: here staging, still on the old build, stored its panel's figures
 * under it, and production's account fails its first sweep. Read as production's last-known counts,
 * staging's figures would be exported and carried from sweep to sweep while production fails, with
 * a fresh read time that keeps ProtectionCountsOutdated quiet: what the re-keying fixed.
 * Passes on the current code; fails with such a fallback planted by hand.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const INTERVAL_MS = 3_600_000;

/** The key a build before 2026-12-07 stored its result under (sweep-keys.ts at 8581c637). */
const idsOnlyResultKey = (ids: readonly string[]): string =>
  `protection-sweep:${createHash('sha256').update(JSON.stringify([...ids].sort())).digest('hex').slice(0, 16)}:result`;

function instancesOf(body: string, provider: string): number {
  const pattern = new RegExp(`^backup_graph_protection_instances\\{provider="${provider}",status="[A-Z]+"\\} (\\d+)$`, 'gm');
  return [...body.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
}

describe.skipIf(!redis.url)(redisSuite("protection sweep after the upgrade: the ids-only key's result is not read", redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let production: Harness;
  let raw: Redis;
  let sweep: ProtectionSweep | undefined;
  let oldKey = '';

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    production = await startHarness({ kinds: ['zstack'], store: new RedisStore(redis.url as string, prefix) });
    oldKey = idsOnlyResultKey(production.gateway.services.providers.all.map((adapter) => adapter.account.id));
  });
  afterAll(async () => {
    await sweep?.stop();
    await raw?.del(`${prefix}${oldKey}`, ...(sweep ? [`${prefix}${sweep.keys.lease}`, `${prefix}${sweep.keys.result}`] : []));
    await raw?.quit();
    await production?.close();
  });

  it("an account failing the first sweep exports no counts, not those another deployment stored under the ids-only key", async () => {
    const now = Date.now();
    const stagingOnOldBuild: SweepResult = {
      finishedAt: now,
      seconds: 0.1,
      providers: [{ id: 'zstack-test', counts: { instances: 9, protected: 9, stale: 0, unprotected: 0, unknown: 0 }, readAt: now }],
      failedProviders: [],
    };
    const staging = new RedisStore(redis.url as string, prefix);
    await staging.set(oldKey, stagingOnOldBuild, 60_000);
    await staging.close();
    expect(await raw.exists(`${prefix}${oldKey}`)).toBe(1);

    const metrics = new Registry();
    sweep = new ProtectionSweep(production.gateway.services, metrics, INTERVAL_MS, pino({ level: 'silent' }));
    expect(sweep.keys.result).not.toBe(oldKey);
    await production.simulator('zstack').server.setFault('down');
    try {
      expect(await sweep.tick()).toBe(true);
    } finally {
      await production.simulator('zstack').server.setFault('none');
    }
    const body = await metrics.metrics();
    expect(body).toMatch(/^backup_graph_protection_provider_failed\{provider="zstack-test"\} 1$/m);
    expect(instancesOf(body, 'zstack-test')).toBe(0);
    expect(body).not.toMatch(/^backup_graph_protection_provider_read_timestamp_seconds\{provider="zstack-test"\}/m);
  });
});
