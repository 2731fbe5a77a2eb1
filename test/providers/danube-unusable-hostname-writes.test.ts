import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { encodeId } from '../../src/domain/ids.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { errorCodes, startHarness, withProviderSettings, type GraphQLAnswer, type Harness } from '../helpers/harness.js';

const ODD = 'evil/../web01.example.com';
const INSTANCES = '{ instances(first: 100) { edges { node { id nativeId definitions { id name } } } } }';
const CREATE_BACKUP = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const CREATE_BACKUPS = 'mutation($input: CreateBackupsInput!) { createBackups(input: $input) { results { error { code message } } } }';
const CREATE_DEFINITION = 'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }';
const UPDATE_DEFINITION = 'mutation($input: UpdateBackupDefinitionInput!) { updateBackupDefinition(input: $input) { definition { id } } }';
const DELETE_DEFINITION = 'mutation($input: DeleteBackupDefinitionInput!) { deleteBackupDefinition(input: $input) { deletedId } }';
const DELETE_BACKUP = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }';

type Listed = { instances: { edges: Array<{ node: { id: string; nativeId: string; definitions: Array<{ id: string; name: string }> | null } }> } };

const MADE_UP = 'made/../up.example.com';

/**
 * A VM the provider's own list names whose hostname cannot go into a URL: its reads answer
 * PROVIDER_ERROR (the loaders' `blamed`), and a write on it answered BAD_USER_INPUT "not a valid
 * Danube hostname", blaming a client that sent back an id the gateway gave it.
 */
describe('danube: writes on a listed VM whose hostname cannot be used in a URL', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let odd: Listed['instances']['edges'][number]['node'];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.vms.push({ hostname: ODD, uuid: randomUUID(), alias: 'odd', status: 'running', node: 'node99.erigones.com', vcpus: 1, ram: 512, disks: 1 });
    simulator.definitions.push({ hostname: ODD, name: 'daily', disk_id: 1, type: 1, node: 'node99.erigones.com', zpool: 'zones', schedule: '0 4 * * *', retention: 7, active: true, compression: 0, bwlimit: null, desc: '', fsfreeze: false, backups: 0 });
    const listed = await harness.gql<Listed>(INSTANCES);
    expect(listed.errors).toBeUndefined();
    odd = listed.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === ODD)!;
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetUpstreamLogs());

  const writes = () => harness.simulator('danube').server.count((request) => request.method !== 'GET');
  const expectProviderBlamed = (answer: GraphQLAnswer<unknown>) => {
    expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
    expect(answer.errors?.[0]?.message).toMatch(/^provider danube-test listed a VM whose hostname cannot be used in a URL/);
    expect(answer.errors?.[0]?.extensions?.providerCode).toBe('INVALID_RESPONSE');
    expect(writes()).toBe(0);
  };

  it('a createBackup is PROVIDER_ERROR, nothing sent', async () => {
    expectProviderBlamed(await harness.gql(CREATE_BACKUP, { input: { instanceId: odd.id, name: 'x', definitionName: 'daily' } }));
  });

  it("a createBackups item is PROVIDER_ERROR", async () => {
    const answer = await harness.gql<{ createBackups: { results: Array<{ error: { code: string; message: string } | null }> } }>(CREATE_BACKUPS, { input: { instanceIds: [odd.id], name: 'x', definitionName: 'daily' } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.createBackups.results[0]!.error?.code).toBe('PROVIDER_ERROR');
    expect(answer.data!.createBackups.results[0]!.error?.message).toMatch(/listed a VM whose hostname cannot be used in a URL/);
  });

  it('a createBackupDefinition is PROVIDER_ERROR, nothing sent', async () => {
    expectProviderBlamed(await harness.gql(CREATE_DEFINITION, { input: { instanceId: odd.id, name: 'weekly', cron: '0 5 * * 6', retention: 3, node: 'node99.erigones.com' } }));
  });

  it('an update and a delete of its listed definition are PROVIDER_ERROR, nothing sent', async () => {
    const definitionId = odd.definitions![0]!.id;
    expectProviderBlamed(await harness.gql(UPDATE_DEFINITION, { input: { definitionId, retention: 9 } }));
    expectProviderBlamed(await harness.gql(DELETE_DEFINITION, { input: { definitionId } }));
  });

  it('frees its idempotencyKey: nothing was sent, so a retry with the key runs again, not as a replay of a write that may have acted', async () => {
    const input = { instanceId: odd.id, name: 'x', definitionName: 'daily', idempotencyKey: 'danube-unusable-hostname-1' };
    const first = await harness.gql(CREATE_BACKUP, { input });
    expectProviderBlamed(first);
    const again = await harness.gql(CREATE_BACKUP, { input });
    expectProviderBlamed(again);
    expect(again.errors?.[0]?.message).toBe(first.errors?.[0]?.message);
  });

  it('ids a client made up for such a hostname, never listed, still blame the client (or are not found)', async () => {
    // A backup id: the read of the VM's backups before the delete refuses the hostname as input.
    const deleted = await harness.gql(DELETE_BACKUP, { input: { backupId: encodeId('Backup', 'danube-test', [MADE_UP, 'daily-20240101_000000', '1']) } });
    expect(errorCodes(deleted)).toEqual(['BAD_USER_INPUT']);
    expect(deleted.errors?.[0]?.message).toMatch(/not a valid Danube hostname/);
    // An instance id: the VM list does not name it.
    const created = await harness.gql(CREATE_BACKUP, { input: { instanceId: encodeId('Instance', 'danube-test', [MADE_UP]), name: 'x', definitionName: 'daily' } });
    expect(errorCodes(created)).toEqual(['NOT_FOUND']);
    expect(writes()).toBe(0);
  });
});
