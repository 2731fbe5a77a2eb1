import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, gqlAt, startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * A mutation's record of the operation it started (and a Zomro restore's mark), written while
 * Redis is slow for a moment: the mutation waited 250 ms for it, a mutation's other writes 2 s.
 * A Redis blip between the two sent the answer before the record landed, and its client reading
 * the id at once on another replica was told NOT_FOUND: a Danube backup done at once, a restore.
 * A record (or mark) the store does not take at all is sent again until it lands.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';
const LIST = '{ instances(first: 100) { edges { node { id nativeId provider { kind } backups { id status } } } } }';
/** Redis is slow for this long: past a poll's 250 ms wait, within a mutation's 2 s. */
const BLIP_MS = 1_000;

interface Listed {
  instances: { edges: Array<{ node: { id: string; nativeId: string; provider: { kind: string }; backups: Array<{ id: string; status: string }> } }> };
}
type Created = { createBackup: { operation: { id: string; status: string } } };
type Read = { operation: { status: string } | null };

describe.skipIf(!redis.url)(redisSuite('the started record written while Redis is slow for a moment', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  /** A SET of a key in `namespace` (RESP: the command, then the key). */
  const setOf = (namespace: string): RegExp => new RegExp(`\\r\\nset\\r\\n\\$\\d+\\r\\n${prefix}${namespace}:`, 'i');
  let proxy: RedisProxy;
  let harness: Harness;
  let other: RunningGateway;
  let onOther: Harness['gql'];
  let danubeNodes: string[];
  let zomroBackups: string[];

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    // This replica reaches Redis through the proxy; the other directly, reading what has landed.
    const behindProxy = new RedisStore(proxy.url, prefix);
    const direct = new RedisStore(redis.url as string, prefix);
    await Promise.all([behindProxy.ready(), direct.ready()]);
    harness = await startHarness({ kinds: ['danube', 'zomro'], simulator: { instances: 6, asyncDelayMs: 60_000 }, store: behindProxy });
    (harness.simulator('danube').simulator as DanubeSimulator).finishAtOnce = true;
    other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: direct });
    onOther = gqlAt(other.graphqlUrl);
    const listed = await harness.gql<Listed>(LIST);
    expect(listed.errors).toBeUndefined();
    const nodes = listed.data!.instances.edges.map((edge) => edge.node);
    const danube = harness.simulator('danube').simulator as DanubeSimulator;
    const withDaily = new Set(danube.definitions.filter((definition) => definition.name === 'daily').map((definition) => definition.hostname));
    danubeNodes = nodes.filter((node) => node.provider.kind === 'DANUBE' && withDaily.has(node.nativeId)).map((node) => node.id);
    zomroBackups = nodes.filter((node) => node.provider.kind === 'ZOMRO').flatMap((node) => node.backups.filter((backup) => backup.status === 'AVAILABLE').slice(0, 1).map((backup) => backup.id));
    expect(danubeNodes.length).toBeGreaterThanOrEqual(2);
    // One restore per instance: a second of an instance still being rebuilt is refused (busy).
    expect(zomroBackups.length).toBeGreaterThanOrEqual(2);
  });
  afterAll(async () => {
    proxy?.mend();
    await other?.close();
    await harness?.close();
    await proxy?.close();
  });

  it('a Danube backup done at once reads SUCCEEDED on the other replica right after its answer, not NOT_FOUND', async () => {
    const landed = proxy.delayCommand(setOf('started'), BLIP_MS);
    const created = await harness.gql<Created>(CREATE, { input: { instanceId: danubeNodes[0], name: 'slow-record', definitionName: 'daily' } });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createBackup.operation.status).toBe('SUCCEEDED');
    const read = await onOther<Read>(OPERATION, { id: created.data!.createBackup.operation.id });
    expect(read.errors).toBeUndefined();
    expect(read.data!.operation?.status).toBe('SUCCEEDED');
    await landed;
  }, 30_000);

  it('a Zomro restore reads on the other replica right after its answer (its mark landed), not NOT_FOUND', async () => {
    const landed = proxy.delayCommand(setOf('restore-outcome'), BLIP_MS);
    const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: zomroBackups[0], confirm: true } });
    expect(restored.errors).toBeUndefined();
    const read = await onOther<Read>(OPERATION, { id: restored.data!.restoreBackup.operation.id });
    expect(read.errors).toBeUndefined();
    expect(read.data!.operation?.status).toBe('RUNNING');
    await landed;
  }, 30_000);

  it('a record the store did not take is sent again until it lands: the mutation answers what the provider did, and the id reads once Redis is back', async () => {
    proxy.cut();
    let id: string;
    try {
      const created = await harness.gql<Created>(CREATE, { input: { instanceId: danubeNodes[1], name: 'record-cut', definitionName: 'daily' } });
      // The provider acted: not reported as failed, nor as nothing done.
      expect(created.errors).toBeUndefined();
      expect(created.data!.createBackup.operation.status).toBe('SUCCEEDED');
      id = created.data!.createBackup.operation.id;
      const meanwhile = await onOther<Read>(OPERATION, { id });
      expect(meanwhile.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    } finally {
      proxy.mend();
    }
    const read = await eventually(() => onOther<Read>(OPERATION, { id }), (answer) => answer.data?.operation?.status === 'SUCCEEDED');
    expect(read.errors).toBeUndefined();
    expect(harness.logs.join('\n')).toContain('a record a mutation could not write (its operation started, the provider acted) is sent again every second, that operation NOT_FOUND to such reads and cancels until it lands');
  }, 30_000);

  it("a Zomro restore's mark the store did not take is sent again: the restore reads NOT_FOUND meanwhile, RUNNING once Redis is back", async () => {
    proxy.cut();
    let id: string;
    try {
      const restored = await harness.gql<{ restoreBackup: { operation: { id: string; status: string } } }>(RESTORE, { input: { backupId: zomroBackups[1], confirm: true } });
      // Zomro took the rebuild: the mutation answers it, not a failure.
      expect(restored.errors).toBeUndefined();
      expect(restored.data!.restoreBackup.operation.status).toBe('RUNNING');
      id = restored.data!.restoreBackup.operation.id;
      const meanwhile = await onOther<Read>(OPERATION, { id });
      expect(meanwhile.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    } finally {
      proxy.mend();
    }
    // Without the mark a restore's polls read NOT_FOUND for its whole life.
    const read = await eventually(() => onOther<Read>(OPERATION, { id }), (answer) => answer.data?.operation?.status === 'RUNNING');
    expect(read.errors).toBeUndefined();
    expect(harness.logs.join('\n')).toContain('NOT_FOUND until its mark, sent again every second, lands');
  }, 30_000);
});
