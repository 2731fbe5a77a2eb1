import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtectionSweep } from '../../src/observability/protection-sweep.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Two deployments on one Redis database (staging beside production; by hand, this checkout's
 * gateways beside a test run's on the machine's one Redis) share every key's `backup-graph:`
 * prefix. The protection sweep's lease and result were one for all of them: the deployment whose
 * replica claimed the lease swept its own accounts, and the other exported those on its /metrics
 * (another deployment's account, never in its config) and none of its own, until it won a claim.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const INTERVAL_MS = 3_600_000;

describe.skipIf(!redis.url)(redisSuite('protection sweeps of two deployments on one Redis', redis), () => {
  // One prefix for both, as two gateways on one Redis database have.
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let zstackDeployment: Harness;
  let danubeDeployment: Harness;
  const sweeps: ProtectionSweep[] = [];

  beforeAll(async () => {
    zstackDeployment = await startHarness({ kinds: ['zstack'], store: new RedisStore(redis.url as string, prefix) });
    danubeDeployment = await startHarness({ kinds: ['danube'], store: new RedisStore(redis.url as string, prefix) });
  });
  afterAll(async () => {
    await Promise.all(sweeps.map((sweep) => sweep.stop()));
    const raw = new Redis(redis.url as string);
    await raw.del(...sweeps.flatMap((sweep) => [`${prefix}${sweep.keys.lease}`, `${prefix}${sweep.keys.result}`]));
    await raw.quit();
    await zstackDeployment?.close();
    await danubeDeployment?.close();
  });

  const replicaOf = (deployment: Harness, registry: Registry): ProtectionSweep => {
    const sweep = new ProtectionSweep(deployment.gateway.services, registry, INTERVAL_MS, pino({ level: 'silent' }));
    sweeps.push(sweep);
    return sweep;
  };

  it("each deployment sweeps and exports its own accounts, never the other's", async () => {
    const zstackMetrics = new Registry();
    const danubeMetrics = new Registry();
    const zstackReplica = replicaOf(zstackDeployment, zstackMetrics);
    const danubeReplica = replicaOf(danubeDeployment, danubeMetrics);

    expect(await zstackReplica.tick()).toBe(true);
    expect(await danubeReplica.tick()).toBe(true);

    const zstackBody = await zstackMetrics.metrics();
    const danubeBody = await danubeMetrics.metrics();
    expect(zstackBody).toMatch(/^backup_graph_protection_instances\{provider="zstack-test",status="PROTECTED"\} \d+$/m);
    expect(zstackBody).not.toMatch(/^backup_graph_protection_instances\{provider="danube-test"/m);
    expect(danubeBody).toMatch(/^backup_graph_protection_instances\{provider="danube-test",status="PROTECTED"\} \d+$/m);
    expect(danubeBody).not.toMatch(/^backup_graph_protection_instances\{provider="zstack-test"/m);
  });

  it('replicas of one deployment still share one lease (a guard: they did before)', async () => {
    const first = replicaOf(zstackDeployment, new Registry());
    const second = replicaOf(zstackDeployment, new Registry());
    expect(first.keys).toEqual(second.keys);
    // The first test's zstack replica holds the lease for nearly an hour.
    expect(await first.tick()).toBe(false);
    expect(await second.tick()).toBe(false);
  });
});
