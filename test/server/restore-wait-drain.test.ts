import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { startSimulator } from '../../src/providers/registry.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { eventually } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * An OnApp restore POSTs only once the restores of its VM asked before it have (its place among
 * them; docs/providers.md), waiting up to 30 s. A replica told to stop while one of its restores
 * waited on another replica's kept waiting: the drain (10 s by default) then cut the request with
 * no answer and exited 1, and the client, given nothing, could not know the restore was not sent.
 * Two compiled gateways (dist/) over one Redis, as deployed; the stopped one gets SIGTERM.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

/**
 * Longer than the stop may take: reaching it means the waiting restore held the drain until it was cut, which
 * the exit code (1) and the drain timeout's line say; no bound on the stop's wall time is asserted.
 */
const DRAIN_TIMEOUT_MS = 8_000;

const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const INSTANCES = '{ instances { edges { node { nativeId backups { id nativeId } } } } }';

interface Answer<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; provider?: string } }>;
}
interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> } }> };
}
interface Restored {
  restoreBackup: { operation: { id: string; status: string } };
}

async function ask<T>(gateway: GatewayProcess, query: string, variables?: Record<string, unknown>): Promise<Answer<T>> {
  const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as Answer<T>;
}

describe.skipIf(!redis.url)(redisSuite('an OnApp restore waiting for its turn when its replica is told to stop', redis), () => {
  // An account id of this run's own keeps its places (restore-order:<account>:...) apart from other runs on the same Redis.
  const accountId = `onapp-drain-${randomUUID().slice(0, 8)}`;
  let onapp: RunningSimulator;
  let directory: string;
  let staying: GatewayProcess;
  let stopping: GatewayProcess;
  let places: Redis;

  beforeAll(async () => {
    onapp = await startSimulator('onapp');
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-restore-drain-'));
    const configFile = join(directory, 'config.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'admin', logLevel: 'warn', providers: [onapp.accountConfig(accountId)] }),
    );
    const env = { REDIS_URL: redis.url as string, DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS), SHUTDOWN_READYZ_GRACE_MS: '0' };
    [staying, stopping] = await Promise.all([spawnGateway({ configFile, port: await freePort(), env }), spawnGateway({ configFile, port: await freePort(), env })]);
    places = new Redis(redis.url as string);
  }, 240_000);

  afterAll(async () => {
    for (const gateway of [staying, stopping]) gateway?.child.kill('SIGKILL');
    places?.disconnect();
    await onapp?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('gives its place up at once, nothing sent, answered SHUTTING_DOWN; the drain ends in time (exit 0), and the same idempotencyKey acts on another replica', async () => {
    const simulator = onapp.simulator as OnappSimulator;
    const listed = await ask<Listed>(staying, INSTANCES);
    const vm = listed.data!.instances.edges.map((edge) => edge.node).find((node) => node.backups.filter((backup) => (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity) <= Date.now()).length >= 2);
    const [first, second] = vm!.backups.filter((backup) => (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity) <= Date.now());
    const restored: number[] = [];
    simulator.restoreEvents.on('restore', (backupId: number) => restored.push(backupId));

    // The staying replica's restore holds place 1: its POST waits at OnApp, its lease alive.
    const hold = simulator.holdRestoresOf(Number(first!.nativeId));
    const earlier = ask<Restored>(staying, RESTORE, { input: { backupId: first!.id, confirm: true } });
    // Answered before its POST reached OnApp: refused, and the test would wait for nothing.
    await Promise.race([hold.arrived, earlier.then((answer) => Promise.reject(new Error(`the first restore was answered before its POST: ${JSON.stringify(answer)}`)))]);
    // The stopping replica's restore of the same VM reads the same watermark, takes place 2, and waits.
    const idempotencyKey = `restore-drain-${randomUUID()}`;
    const later = ask<Restored>(stopping, RESTORE, { input: { backupId: second!.id, confirm: true, idempotencyKey } });
    const secondPlace = `backup-graph:restore-order:${accountId}:${vm!.nativeId}:*:2`;
    const placeKeys = async (): Promise<string[]> => {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await places.scan(cursor, 'MATCH', secondPlace, 'COUNT', 1_000);
        found.push(...keys);
        cursor = next;
      } while (cursor !== '0');
      return found;
    };
    await Promise.race([
      eventually(placeKeys, (keys) => keys.length === 1, { timeoutMs: 30_000, intervalMs: 20 }),
      later.then((answer) => Promise.reject(new Error(`the second restore was answered before it took place 2: ${JSON.stringify(answer)}`))),
    ]);

    stopping.child.kill('SIGTERM');
    const refused = await later;
    expect(refused.data?.restoreBackup ?? null).toBeNull();
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'SHUTTING_DOWN', provider: accountId });
    expect(refused.errors![0]!.message).toMatch(/began to stop while this restore waited .*: nothing was sent to OnApp; send it again/);
    // Nothing was left in flight: the drain did not wait for its timeout, and nothing was cut.
    expect(await stopping.exited, `the drain waited for the refused restore until it cut it:\n${stopping.output()}`).toBe(0);
    expect(stopping.output()).not.toMatch(/drain timeout/);
    // Its place was given up (deleted: no later place is held), and OnApp got no POST for it.
    expect(await placeKeys()).toEqual([]);
    expect(restored).toEqual([]);

    hold.release();
    expect((await earlier).errors).toBeUndefined();
    // The client sends it again, with its key, to the replica that stays: the key was freed, and it acts.
    const retried = await ask<Restored>(staying, RESTORE, { input: { backupId: second!.id, confirm: true, idempotencyKey } });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.restoreBackup.operation.status).toBe('RUNNING');
    expect(restored).toEqual([Number(first!.nativeId), Number(second!.nativeId)]);
  }, 120_000);
});
