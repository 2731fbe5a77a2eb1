import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { errorCodes, eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * Ids a hostile (or broken) provider answers that the gateway could write into a global id but
 * never read back: each went out to the client, and each use of it was refused as the client's
 * own mistake ("malformed id: send an id as the gateway answered it", BAD_USER_INPUT), which it
 * was not. Now such an answer is the provider's error, and no id answered is one the gateway refuses.
 */
const INSTANCES = '{ instances(first: 100) { edges { node { id nativeId } } providerErrors { code message } } }';
const NODE = 'query($id: ID!) { node(id: $id) { id } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { id status } }';
const CREATE_BACKUP = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status providerOperationId } } }';
type Handle = (request: SimRequest) => SimResponse | Promise<SimResponse>;
interface Listed {
  instances: { edges: Array<{ node: { id: string; nativeId: string } }>; providerErrors: Array<{ code: string; message: string }> };
}

describe('a provider listing an id the gateway could not read back', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
  });
  afterAll(() => harness.close());

  /**
   * The row is left out and the other rows answered, with an error at the list's path: the whole
   * account's list failed for one row (providerErrors, no instance at all). Asked twice: a list
   * that left a row out is not cached, so the second answer says so too.
   */
  it.each([
    { what: '2,000 characters', uuid: 'a'.repeat(2000), reason: 'provider zstack-test sent an id of 2000 bytes (at most 512 are read)' },
    { what: 'half a surrogate pair', uuid: 'ab\ud800cd', reason: 'provider zstack-test sent an id holding half a surrogate pair (no character)' },
  ])('an id of $what: that row left out with INVALID_RESPONSE at the list, the others listed, and every id answered reads back', async ({ uuid, reason }) => {
    const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const everyVm = simulator.vms.filter((row) => row.type !== 'ApplianceVm').length;
    const vm = simulator.vms[0]!;
    const saved = vm.uuid;
    vm.uuid = uuid;
    try {
      for (const round of [1, 2]) {
        const listed = await harness.gql<Listed>('{ listed: instances(first: 100) { edges { node { id nativeId } } providerErrors { code message } } }');
        const connection = (listed.data as unknown as { listed: Listed['instances'] }).listed;
        expect(connection.providerErrors, `round ${round}`).toEqual([]);
        expect(connection.edges.map((edge) => edge.node.nativeId)).not.toContain(uuid);
        expect(connection.edges).toHaveLength(everyVm - 1);
        expect(listed.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.provider, error.extensions?.providerCode, error.message])).toEqual([
          [['listed'], 'PROVIDER_ERROR', 'zstack-test', 'INVALID_RESPONSE', `${reason}: one instance left out of its instances list, the others answered`],
        ]);
        expect(listed.text).not.toContain('\\ud800');
        expect(listed.text).not.toContain('a'.repeat(600));
        for (const { node } of connection.edges) expect(errorCodes(await harness.gql(NODE, { id: node.id }))).toEqual([]);
      }
      expect(harness.logs.some((line) => line.includes('a row of a provider') && line.includes('"list":"instances"') && !line.includes(uuid))).toBe(true);
    } finally {
      vm.uuid = saved;
    }
  });
});

describe('danube: a create answered PENDING with a task id no Danube task has', () => {
  let harness: Harness;
  let instanceIds: string[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    const listed = await harness.gql<Listed>(INSTANCES);
    // VMs with a `daily` definition of disk 1 that can be backed up now (running or stopped).
    const simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const ready = (hostname: string) =>
      simulator.definitions.some((row) => row.hostname === hostname && row.name === 'daily') && ['running', 'stopped'].includes(String(simulator.vms.find((vm) => vm.hostname === hostname)?.status));
    instanceIds = listed.data!.instances.edges.filter((edge) => ready(edge.node.nativeId)).map((edge) => edge.node.id);
  });
  afterAll(() => harness.close());

  it.each([
    { what: '3,000 characters', taskId: 'x'.repeat(3000) },
    { what: 'a path', taskId: '../../vm' },
    { what: 'half a surrogate pair', taskId: '1e1-\ud800' },
    { what: 'a right-to-left override', taskId: '1e1-\u202eabc' },
  ])('$what: PROVIDER_ERROR INVALID_RESPONSE, no operation id the gateway would refuse', async ({ taskId }) => {
    const target = harness.simulator('danube').simulator as unknown as { handle: Handle };
    const handle = target.handle.bind(target);
    target.handle = async (request) => {
      const answer = await handle(request);
      const json = answer.json as Record<string, unknown> | null | undefined;
      return request.method === 'POST' && json?.status === 'PENDING' ? { ...answer, json: { ...json, task_id: taskId } } : answer;
    };
    try {
      const instanceId = instanceIds.shift()!;
      const created = await harness.gql<{ createBackup: { operation: { id: string } } | null }>(CREATE_BACKUP, { input: { instanceId, name: 'hostile-task', definitionName: 'daily' } });
      expect(errorCodes(created)).toEqual(['PROVIDER_ERROR']);
      expect(created.errors![0]!.extensions).toMatchObject({ providerCode: 'INVALID_RESPONSE' });
      expect(created.errors![0]!.message).toMatch(/^provider danube-test answered a task id that is no Danube task id .*the request may have been done/);
      expect(created.text).not.toContain(taskId.length > 100 ? taskId.slice(0, 100) : JSON.stringify(taskId).slice(1, -1));
      const operationId = created.data?.createBackup?.operation.id;
      if (operationId !== undefined) expect(errorCodes(await harness.gql(OPERATION, { id: operationId }))).not.toContain('BAD_USER_INPUT');
    } finally {
      target.handle = handle;
    }
  });

  it('a task id of Danube\'s shape is followed as before', async () => {
    const created = await harness.gql<{ createBackup: { operation: { id: string; status: string; providerOperationId: string } } }>(CREATE_BACKUP, { input: { instanceId: instanceIds.shift()!, name: 'plain-task', definitionName: 'daily' } });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createBackup.operation.providerOperationId).toMatch(/^1e1-/);
    expect(errorCodes(await harness.gql(OPERATION, { id: created.data!.createBackup.operation.id }))).toEqual([]);
  });
});

/** ZStack's finished create names its backup group in the job's result; a group of no ZStack uuid's shape went into `backupId` as sent. */
describe('zstack: a finished create naming a backup group of no uuid shape', () => {
  let harness: Harness;
  let instanceIds: string[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    const listed = await harness.gql<Listed>(INSTANCES);
    instanceIds = listed.data!.instances.edges.map((edge) => edge.node.id);
  });
  afterAll(() => harness.close());

  it.each([
    { what: '2,000 characters', group: 'g'.repeat(2000) },
    { what: 'half a surrogate pair', group: 'ab\ud800cd' },
    { what: 'a path', group: '../../vm-backups' },
  ])('$what: SUCCEEDED naming no backup, and every id answered reads back', async ({ group }) => {
    const target = harness.simulator('zstack').simulator as unknown as { handle: Handle };
    const handle = target.handle.bind(target);
    target.handle = async (request) => {
      const answer = await handle(request);
      const inventories = (answer.json as { inventories?: Array<Record<string, unknown>> } | null | undefined)?.inventories;
      if (request.method !== 'GET' || !request.rawPath.includes('api-jobs') || !Array.isArray(inventories)) return answer;
      return { ...answer, json: { ...(answer.json as object), inventories: inventories.map((row) => ({ ...row, groupUuid: group })) } };
    };
    try {
      const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE_BACKUP, { input: { instanceId: instanceIds.shift()!, name: 'hostile-group' } });
      expect(created.errors).toBeUndefined();
      const id = created.data!.createBackup.operation.id;
      const done = await eventually(
        () => harness.gql<{ operation: { status: string; backupId: string | null } }>('query($id: ID!) { operation(id: $id) { status backupId } }', { id }),
        (answer) => answer.data?.operation.status !== 'RUNNING',
      );
      expect(done.errors).toBeUndefined();
      expect(done.data!.operation.status).toBe('SUCCEEDED');
      if (done.data!.operation.backupId !== null) expect(errorCodes(await harness.gql(NODE, { id: done.data!.operation.backupId }))).toEqual([]);
      expect(done.text).not.toContain('\\ud800');
    } finally {
      target.handle = handle;
    }
  });
});
