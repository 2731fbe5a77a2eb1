import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationRef } from '../../src/domain/types.js';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import { createLogger } from '../../src/observability/logger.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { dashboardNodes, type DashboardNode } from '../helpers/dashboard.js';
import { gqlAt, startHarness, withProviderSettings, type Harness, type HarnessOptions } from '../helpers/harness.js';
import { toldOf, told, UNVOUCHED } from '../helpers/operation-told.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Zomro and OnApp have no job for a delete and OnApp none for a restore it has not listed yet:
 * a delete's status is read from its backup still being listed, a restore's from the VM's
 * transactions. An id anyone writes naming a listed backup read RUNNING (FAILED past the give-up
 * time), and that answer showed the backup DELETING; a restore of a backup with no transaction
 * read PENDING. Nothing at the provider bears such a status out, so it is told only for an
 * operation a mutation of the gateway started.
 */

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION_BACKUP = 'query($id: ID!) { operation(id: $id) { status backup { status } } }';
const HOUR_MS = 60 * 60_000;

describe.each(['zomro', 'onapp'] as const)('%s: an operation id the gateway did not answer, naming a listed backup', (kind) => {
  let harness: Harness;
  let nodes: DashboardNode[];
  let ownDelete: OperationRef & { id: string };
  /** A backup listed AVAILABLE that no mutation touches. */
  let listed: { instance: string; backup: DashboardNode['backups'][number] };

  beforeAll(async () => {
    harness = await startHarness({ kinds: [kind], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    nodes = await dashboardNodes(harness);
    const deletable = nodes.flatMap((node) => node.backups.filter((backup) => backup.status === 'AVAILABLE' && !backup.protected).map((backup) => ({ instance: node.nativeId, backup })));
    expect(deletable.length).toBeGreaterThanOrEqual(2);
    const answer = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: deletable[0]!.backup.id } });
    expect(answer.errors).toBeUndefined();
    const id = answer.data!.deleteBackup.operation.id;
    ownDelete = { ...decodeOperationId(id), id };
    listed = deletable.at(-1)!;
  });
  afterAll(() => harness.close());

  const naming = (kindOf: OperationRef['kind'], startedAt: Date): string =>
    operationId({ ...ownDelete, kind: kindOf, startedAt, instanceNativeId: listed.instance, backupNativeId: listed.backup.nativeId, token: [] });

  it('a delete of it, just started or past its give-up time: NOT_FOUND by operation and subscription, null by node', async () => {
    for (const startedAt of [new Date(Date.now() - 1000), new Date(Date.now() - 3 * HOUR_MS)]) {
      expect(await toldOf(harness, naming('DELETE_BACKUP', startedAt))).toEqual(UNVOUCHED);
    }
  });

  it('the backup still reads AVAILABLE, to the forger as to anyone', async () => {
    const answer = await harness.gql(OPERATION_BACKUP, { id: naming('DELETE_BACKUP', new Date(Date.now() - 1000)) });
    expect(answer.data ?? null).toEqual({ operation: null });
    const shown = (await dashboardNodes(harness)).find((node) => node.nativeId === listed.instance)!.backups.find((backup) => backup.id === listed.backup.id);
    expect(shown?.status).toBe('AVAILABLE');
  });

  it("the gateway's own delete id still reads, by operation and subscription", async () => {
    const told = await toldOf(harness, ownDelete.id);
    expect(told.operation).toHaveProperty('status');
    expect(told.subscription).toHaveProperty('status');
  });
});

describe('onapp: a restore operation id the gateway did not answer, of a backup with no restore transaction', () => {
  let harness: Harness;
  let backup: { id: string; nativeId: string; instance: string };
  let ownRestore: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const nodes = await dashboardNodes(harness);
    const all = nodes.flatMap((node) => node.backups.filter((item) => item.status === 'AVAILABLE').map((item) => ({ id: item.id, nativeId: item.nativeId, instance: node.nativeId })));
    backup = all.at(-1)!;
    const answer = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: all[0]!.id, confirm: true } });
    expect(answer.errors).toBeUndefined();
    ownRestore = answer.data!.restoreBackup.operation.id;
  });
  afterAll(() => harness.close());

  it('NOT_FOUND by operation and subscription, null by node, not PENDING (nor FAILED past 30 minutes)', async () => {
    const own = decodeOperationId(ownRestore);
    for (const startedAt of [new Date(Date.now() - 1000), new Date(Date.now() - HOUR_MS)]) {
      const forged = operationId({ ...own, startedAt, instanceNativeId: backup.instance, backupNativeId: backup.nativeId, token: [] });
      expect(await toldOf(harness, forged)).toEqual(UNVOUCHED);
    }
  });

  it("the gateway's own restore id still reads", async () => {
    const told = await toldOf(harness, ownRestore);
    expect(told.operation).toHaveProperty('status');
    expect(told.subscription).toHaveProperty('status');
  });
});

/**
 * An OnApp create is answered without its backup: the backup above the highest id listed when it
 * began is its own once listed (the operation id's token: disk, that highest id, its place). An id
 * anyone writes with a highest id above any OnApp lists read PENDING, then FAILED past 30 minutes:
 * nothing at OnApp shows such a create was asked, and each subscription to one polled for those 30
 * minutes. Told only for a create a mutation of the gateway started, on any replica sharing its store.
 */
async function startUnlistingOnapp(options: Partial<HarnessOptions> = {}): Promise<{ harness: Harness; ownCreate: () => Promise<string> }> {
  const harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }), ...options });
  const simulator = harness.simulator('onapp').simulator as OnappSimulator;
  // OnApp takes the create (its empty 201) and has not listed the backup yet: the create reads PENDING.
  const handled = simulator as unknown as { handle(request: SimRequest): SimResponse | Promise<SimResponse> };
  const handle = handled.handle.bind(simulator);
  handled.handle = (request) => (request.method === 'POST' && request.rawPath.endsWith('/backups.json') ? { status: 201, text: '' } : handle(request));
  const nodes = await dashboardNodes(harness);
  const target = nodes.find((node) => node.backups.length > 0)!;
  const ownCreate = async (): Promise<string> => {
    const answer = await harness.gql<{ createBackup: { operation: { id: string; status: string } } }>(CREATE, { input: { instanceId: target.id, name: `unlisted-${randomUUID().slice(0, 8)}` } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.createBackup.operation.status).toBe('PENDING');
    return answer.data!.createBackup.operation.id;
  };
  return { harness, ownCreate };
}

/** The create `own` reads as, written anew: started at `startedAt`, counting from a highest id above any OnApp lists. */
const unlistedCreate = (own: string, startedAt: Date): string => {
  const ref = decodeOperationId(own);
  return operationId({ ...ref, startedAt, backupNativeId: null, token: [ref.token[0]!, '999999999', '1'] });
};

describe('onapp: a create operation id the gateway did not answer, of a backup OnApp never listed', () => {
  let harness: Harness;
  let ownCreate: string;

  beforeAll(async () => {
    const started = await startUnlistingOnapp();
    harness = started.harness;
    ownCreate = await started.ownCreate();
  });
  afterAll(() => harness.close());

  it('NOT_FOUND by operation and subscription, null by node, not PENDING (nor FAILED past 30 minutes)', async () => {
    for (const startedAt of [new Date(Date.now() - 1000), new Date(Date.now() - HOUR_MS)]) {
      expect(await toldOf(harness, unlistedCreate(ownCreate, startedAt))).toEqual(UNVOUCHED);
    }
  });

  it("the gateway's own create id, its backup not listed yet, still reads PENDING", async () => {
    expect(await toldOf(harness, ownCreate)).toEqual(told('PENDING'));
  });
});

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite("onapp: a create the gateway started, its backup not listed yet, read on another replica (Redis)", redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let harness: Harness;
  let other: RunningGateway;
  let ownCreate: string;

  beforeAll(async () => {
    const store = new RedisStore(redis.url as string, prefix);
    const otherStore = new RedisStore(redis.url as string, prefix);
    await Promise.all([store.ready(), otherStore.ready()]);
    const started = await startUnlistingOnapp({ store });
    harness = started.harness;
    other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: otherStore });
    ownCreate = await started.ownCreate();
  });
  afterAll(async () => {
    await other?.close();
    await harness?.close();
  });

  it('reads PENDING there (the start record is in the shared store); one made up is NOT_FOUND there too', async () => {
    const onOther = gqlAt(other.graphqlUrl);
    const read = async (id: string) => onOther<{ operation: { status: string } | null }>('query($id: ID!) { operation(id: $id) { status } }', { id });
    expect((await read(ownCreate)).data?.operation?.status).toBe('PENDING');
    const forged = await read(unlistedCreate(ownCreate, new Date(Date.now() - 1000)));
    expect(forged.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
  });
});
