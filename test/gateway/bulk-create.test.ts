import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../src/providers/registry.js';
import type { LoggedRequest } from '../../src/simulator/server.js';
import { encodeId } from '../../src/domain/ids.js';
import { errorCodes, eventually, type Harness, startHarness, withClients, withLimits } from '../helpers/harness.js';

const ADMIN = 'admin-key-0123456789abcdef';
/** An operator who sees every provider but ZStack. */
const OPERATOR = 'operator-key-0123456789abcdef';
const VIEWER = 'viewer-key-0123456789abcdef';

const CREATE_BACKUPS = /* GraphQL */ `mutation($input: CreateBackupsInput!) {
  createBackups(input: $input) {
    createdCount failedCount
    results { instanceId instance { id } operation { id kind status provider { id } } error { code message } }
  }
}`;

interface BulkAnswer {
  createBackups: {
    createdCount: number;
    failedCount: number;
    results: Array<{ instanceId: string; instance: { id: string } | null; operation: { id: string; kind: string; status: string; provider: { id: string } } | null; error: { code: string; message: string } | null }>;
  };
}

/** A backup being made, as each simulator logs it. */
const isCreate = (request: LoggedRequest): boolean => request.label === 'instances.fleio_bckps.edit' || /^POST .*backup/i.test(request.label);

describe('createBackups: back these up now, across providers', () => {
  let harness: Harness;
  const ids = new Map<ProviderKind, string[]>();
  const creates = (kind: ProviderKind) => harness.simulator(kind).server.count(isCreate);

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro', 'onapp', 'zstack', 'danube'],
      configure: [
        withLimits({ maxBulkInstances: 5 }),
        withClients([
          { name: 'admin', key: ADMIN, roles: ['admin'] },
          { name: 'operator', key: OPERATOR, roles: ['operator'], providers: ['zomro-test', 'onapp-test', 'danube-test'] },
          { name: 'viewer', key: VIEWER, roles: ['viewer'] },
        ]),
      ],
    });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; provider: { kind: string } } }> } }>('{ instances(first: 100) { edges { node { id provider { kind } } } } }', {}, { key: ADMIN });
    for (const { node } of list.data!.instances.edges) {
      const kind = node.provider.kind.toLowerCase() as ProviderKind;
      ids.set(kind, [...(ids.get(kind) ?? []), node.id]);
    }
  });
  afterAll(() => harness.close());

  it('starts one backup per instance; a refusal (an instance the key cannot see, one that does not exist) hides none of the others', async () => {
    const ghost = encodeId('Instance', 'zomro-test', ['4242']);
    const instanceIds = [ids.get('zomro')![0]!, ids.get('onapp')![0]!, ids.get('zstack')![0]!, ids.get('danube')![1]!, ghost];
    harness.resetUpstreamLogs();
    const answer = await harness.gql<BulkAnswer>(CREATE_BACKUPS, { input: { instanceIds, name: 'bulk-now', definitionName: 'daily', idempotencyKey: 'bulk-1' } }, { key: OPERATOR });
    expect(answer.errors).toBeUndefined();
    const { results, createdCount, failedCount } = answer.data!.createBackups;
    expect(results.map((result) => result.instanceId)).toEqual(instanceIds);
    expect([createdCount, failedCount]).toEqual([2, 3]);
    expect(results[0]).toMatchObject({ instance: { id: instanceIds[0] }, operation: { kind: 'CREATE_BACKUP', provider: { id: 'zomro-test' } }, error: null });
    expect(results[1]).toMatchObject({ operation: { kind: 'CREATE_BACKUP', provider: { id: 'onapp-test' } }, error: null });
    // Danube's second VM has no definitions: the provider refuses to run "daily" there, for that VM alone.
    expect(results[3]).toMatchObject({ operation: null, error: { code: 'NOT_FOUND', message: expect.stringMatching(/^Backup definition not found: .+ has no backup definition named "daily"/) } });
    // ZStack is not this key's: NOT_FOUND, exactly as a single createBackup, and nothing reached it.
    expect(results[2]).toMatchObject({ instance: null, operation: null, error: { code: 'NOT_FOUND' } });
    expect(results[4]).toMatchObject({ operation: null, error: { code: 'NOT_FOUND' } });
    expect(harness.upstreamCount('zstack')).toBe(0);
    // One audit line for the request, naming every target.
    const audit = harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.audit && line.operation === 'createBackups');
    expect(audit.at(-1)).toMatchObject({ client: 'operator', outcome: 'ok', targets: { instanceIds } });
    // Danube's refused run did reach Danube (it is Danube that knows the VM has no such definition).
    expect([creates('zomro'), creates('onapp'), creates('danube')]).toEqual([1, 1, 1]);

    // The operations run to the end.
    for (const result of results.filter((item) => item.operation)) {
      const done = await eventually(
        () => harness.gql<{ operation: { status: string } }>('query($id: ID!) { operation(id: $id) { status } }', { id: result.operation!.id }, { key: OPERATOR }),
        (poll) => ['SUCCEEDED', 'FAILED'].includes(poll.data?.operation.status ?? ''),
      );
      expect(done.data?.operation.status).toBe('SUCCEEDED');
    }
  });

  it('a retry with the same key creates nothing twice and answers the same', async () => {
    const instanceIds = [ids.get('zomro')![1]!, ids.get('onapp')![1]!, ids.get('danube')![2]!];
    const input = { instanceIds, name: 'bulk-retry', definitionName: 'daily', idempotencyKey: 'bulk-retry-1' };
    harness.resetUpstreamLogs();
    const first = await harness.gql<BulkAnswer>(CREATE_BACKUPS, { input }, { key: OPERATOR });
    expect(first.errors).toBeUndefined();
    expect(first.data!.createBackups.createdCount).toBe(3);
    const made = { zomro: creates('zomro'), onapp: creates('onapp'), danube: creates('danube') };
    expect(made).toEqual({ zomro: 1, onapp: 1, danube: 1 });
    const again = await harness.gql<BulkAnswer>(CREATE_BACKUPS, { input }, { key: OPERATOR });
    expect(again.data!.createBackups.results.map((result) => result.operation?.id)).toEqual(first.data!.createBackups.results.map((result) => result.operation?.id));
    expect({ zomro: creates('zomro'), onapp: creates('onapp'), danube: creates('danube') }).toEqual(made);
    // The key covers the whole request: the same key with other instances is a CONFLICT, not a partial replay.
    const other = await harness.gql<BulkAnswer>(CREATE_BACKUPS, { input: { ...input, instanceIds: instanceIds.slice(0, 2) } }, { key: OPERATOR });
    expect(errorCodes(other)).toEqual(['CONFLICT']);
    expect({ zomro: creates('zomro'), onapp: creates('onapp'), danube: creates('danube') }).toEqual(made);
  });

  it('refuses the whole request before any upstream call: over limits.maxBulkInstances, a repeated id, none at all, no operator role', async () => {
    const all = [...ids.get('zomro')!, ...ids.get('onapp')!];
    harness.resetUpstreamLogs();
    const tooMany = await harness.gql(CREATE_BACKUPS, { input: { instanceIds: all.slice(0, 6), name: 'x' } }, { key: ADMIN });
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany.errors?.[0]?.message).toMatch(/at most 5/);
    const repeated = await harness.gql(CREATE_BACKUPS, { input: { instanceIds: [all[0], all[0]], name: 'x' } }, { key: ADMIN });
    expect(errorCodes(repeated)).toEqual(['BAD_USER_INPUT']);
    expect(repeated.errors?.[0]?.message).toBe('instanceIds must not repeat an instance');
    // The README's block pasted as it is: its "<id>" placeholders are told as placeholders, not as
    // one instance named twice (a newcomer read "must not repeat an instance" and looked for a repeat).
    const placeholders = await harness.gql(CREATE_BACKUPS, { input: { instanceIds: ['<id>', '<id>', '<id>', '<id>'], name: 'now' } }, { key: ADMIN });
    expect(errorCodes(placeholders)).toEqual(['BAD_USER_INPUT']);
    expect(placeholders.errors?.[0]?.message).toMatch(/^malformed id in instanceIds: send an Instance's `id` as the gateway answered it, not a placeholder/);
    expect(harness.upstreamCount()).toBe(0);
    // The same instance spelt another way (spaces in the JSON inside the id) is no second instance.
    const respelt = Buffer.from(Buffer.from(all[0]!, 'base64url').toString('utf8').replaceAll(',', ', '), 'utf8').toString('base64url');
    expect(respelt).not.toBe(all[0]);
    const spelt = await harness.gql<BulkAnswer>(CREATE_BACKUPS, { input: { instanceIds: [all[0], respelt], name: 'x' } }, { key: ADMIN });
    expect(spelt.data?.createBackups.results[1]?.error?.code).toBe('BAD_USER_INPUT');
    expect(spelt.data?.createBackups.createdCount).toBe(1);
    harness.resetUpstreamLogs();
    const none = await harness.gql(CREATE_BACKUPS, { input: { instanceIds: [], name: 'x' } }, { key: ADMIN });
    expect(errorCodes(none)).toEqual(['BAD_USER_INPUT']);
    const viewer = await harness.gql(CREATE_BACKUPS, { input: { instanceIds: [all[0]], name: 'x' } }, { key: VIEWER });
    expect(errorCodes(viewer)).toEqual(['FORBIDDEN']);
    expect(harness.upstreamCount()).toBe(0);
  });

  it('a malformed id is that item\'s BAD_USER_INPUT; Danube without definitionName is refused for the Danube item alone', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql<BulkAnswer>(CREATE_BACKUPS, { input: { instanceIds: ['not-an-id', ids.get('danube')![3]!, ids.get('zomro')![2]!], name: 'no-definition' } }, { key: ADMIN });
    expect(answer.errors).toBeUndefined();
    const [malformed, danube, zomro] = answer.data!.createBackups.results;
    expect(malformed!.error?.code).toBe('BAD_USER_INPUT');
    expect(danube!.error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/definitionName/) });
    expect(zomro!.operation?.kind).toBe('CREATE_BACKUP');
    expect(creates('danube')).toBe(0);
  });
});
