import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtectionSweep } from '../../src/observability/protection-sweep.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Two deployments on one Redis database whose accounts have the same ids (a staging config copied
 * from production's, its urls changed) but point at other panels. The sweep's lease and result were
 * keyed by the account ids alone: the second deployment found the first's lease held, never swept
 * its own panel, and exported the first's figures as its own. Now they are keyed by each account's
 * id, kind and url too (no credential): each sweeps and exports its own panel. Here, two ZStack
 * simulators (one with a VM fewer) behind two harnesses with one Redis prefix.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const INTERVAL_MS = 3_600_000;

/** The sum of a provider's protection gauges: how many instances the sweep exported for it. */
function instancesOf(body: string, provider: string): number {
  const pattern = new RegExp(`^backup_graph_protection_instances\\{provider="${provider}",status="[A-Z]+"\\} (\\d+)$`, 'gm');
  return [...body.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
}

describe.skipIf(!redis.url)(redisSuite('protection sweeps of two deployments with the same account ids on one Redis', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let production: Harness;
  let staging: Harness;
  const sweeps: ProtectionSweep[] = [];

  beforeAll(async () => {
    production = await startHarness({ kinds: ['zstack'], store: new RedisStore(redis.url as string, prefix) });
    staging = await startHarness({ kinds: ['zstack'], store: new RedisStore(redis.url as string, prefix) });
    // Staging's panel is another one: a VM fewer.
    (staging.simulator('zstack').simulator as ZstackSimulator).vms.pop();
  });
  afterAll(async () => {
    await Promise.all(sweeps.map((sweep) => sweep.stop()));
    const raw = new Redis(redis.url as string);
    await raw.del(...sweeps.flatMap((sweep) => [`${prefix}${sweep.keys.lease}`, `${prefix}${sweep.keys.result}`]));
    await raw.quit();
    await production?.close();
    await staging?.close();
  });

  const replicaOf = (deployment: Harness, registry: Registry): ProtectionSweep => {
    const sweep = new ProtectionSweep(deployment.gateway.services, registry, INTERVAL_MS, pino({ level: 'silent' }));
    sweeps.push(sweep);
    return sweep;
  };

  it('each sweeps its own panel and exports its own figures', async () => {
    expect(production.gateway.services.providers.all.map((adapter) => adapter.account.id)).toEqual(staging.gateway.services.providers.all.map((adapter) => adapter.account.id));
    const productionMetrics = new Registry();
    const stagingMetrics = new Registry();
    const productionReplica = replicaOf(production, productionMetrics);
    const stagingReplica = replicaOf(staging, stagingMetrics);

    expect(await productionReplica.tick()).toBe(true);
    expect(await stagingReplica.tick()).toBe(true);

    expect(instancesOf(await productionMetrics.metrics(), 'zstack-test')).toBe(6);
    expect(instancesOf(await stagingMetrics.metrics(), 'zstack-test')).toBe(5);
  });
});
