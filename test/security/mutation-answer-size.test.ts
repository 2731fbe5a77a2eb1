import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withLimits, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const MiB = 1024 * 1024;
/** An operation's instance's backups' instance's backups: each of the 60 backups leads back to all 60, raw records and all. */
const FAN_OUT = 'instance { backups { instance { backups { raw } } } }';
const CREATE = `mutation($id: ID!, $name: String!) { createBackup(input: { instanceId: $id, name: $name }) { operation { id kind status ${FAN_OUT} } backup { id } } }`;

interface Created {
  createBackup: { operation: { id: string; kind: string; status: string; instance: unknown }; backup: { id: string } | null };
}
interface AnswerError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

const cutAt = (errors: readonly AnswerError[] | undefined): Array<[string, string | undefined]> =>
  (errors ?? []).map((error) => [JSON.stringify(error.path), error.extensions?.code as string | undefined]);

/**
 * A mutation's answer says what acted, so it is never refused as a query's is past
 * `limits.maxAnswerBytes`; but it was never measured either: with the limit at 1 MiB, `createBackup
 * { operation { instance { backups { instance { backups { raw } } } } } }` was answered in full,
 * 2,338,807 bytes. Past the limit its fields leading to records others share are null, each with
 * QUERY_TOO_COMPLEX at its path, and its ids, status and operation stay.
 */
describe("a mutation's answer past limits.maxAnswerBytes: what acted is kept, the shared records it leads to are cut", () => {
  let harness: Harness;
  let instanceId: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], simulator: { instances: 3, backupsPerInstance: 60 }, configure: withLimits({ maxAnswerBytes: MiB }) });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ raw: unknown }> } }> } }>('{ instances { edges { node { id backups { raw } } } } }');
    const instance = listed.data!.instances.edges.map((edge) => edge.node).sort((a, b) => b.backups.length - a.backups.length)[0]!;
    // Precondition: each backup's instance's backups once are within the limit, all of them past it.
    const once = JSON.stringify(instance.backups).length;
    expect(once).toBeLessThan(MiB);
    expect(once * instance.backups.length).toBeGreaterThan(MiB);
    instanceId = instance.id;
  });
  afterAll(() => harness?.close());

  it('over HTTP: createBackup answers its operation (id, kind, status) with its instance null and QUERY_TOO_COMPLEX there', async () => {
    const answer = await harness.gql<Created>(CREATE, { id: instanceId, name: 'fan-http' });
    expect(answer.text.length).toBeLessThan(MiB);
    expect(answer.data?.createBackup.operation).toMatchObject({ id: expect.any(String), kind: 'CREATE_BACKUP', status: expect.any(String), instance: null });
    expect(cutAt(answer.errors)).toEqual([['["createBackup","operation","instance"]', 'QUERY_TOO_COMPLEX']]);
    expect(answer.errors?.[0]?.message).toMatch(/limits\.maxAnswerBytes.*What acted is reported.*read these records with a query/);
    // The operation it names is real: followed by its id.
    const read = await harness.gql<{ operation: { id: string } | null }>('query($id: ID!) { operation(id: $id) { id } }', { id: answer.data!.createBackup.operation.id });
    expect(read.data?.operation?.id).toBe(answer.data!.createBackup.operation.id);
  });

  it("over HTTP: createBackups keeps each item's instanceId and operation, its instance cut", async () => {
    const query = `mutation($ids: [ID!]!) { createBackups(input: { instanceIds: $ids, name: "fan-bulk" }) { createdCount failedCount results { instanceId operation { id status } ${FAN_OUT} } } }`;
    const answer = await harness.gql<{ createBackups: { createdCount: number; results: Array<{ instanceId: string; operation: { id: string } | null; instance: unknown }> } }>(query, { ids: [instanceId] });
    expect(answer.text.length).toBeLessThan(MiB);
    expect(answer.data?.createBackups.createdCount).toBe(1);
    expect(answer.data?.createBackups.results).toEqual([{ instanceId, operation: { id: expect.any(String), status: expect.any(String) }, instance: null }]);
    expect(cutAt(answer.errors)).toEqual([['["createBackups","results",0,"instance"]', 'QUERY_TOO_COMPLEX']]);
  });

  it('over WebSocket alike', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const answer = await wsRun(client, CREATE, { id: instanceId, name: 'fan-ws' });
      const data = answer.data as unknown as Created | null | undefined;
      expect(JSON.stringify(answer).length).toBeLessThan(MiB);
      expect(data?.createBackup.operation).toMatchObject({ id: expect.any(String), kind: 'CREATE_BACKUP', instance: null });
      expect(cutAt(answer.errors as AnswerError[] | undefined)).toEqual([['["createBackup","operation","instance"]', 'QUERY_TOO_COMPLEX']]);
    } finally {
      await client.dispose();
    }
  });

  it('guard: a mutation leading to shared records within the limit is answered in full', async () => {
    const query = 'mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "small" }) { operation { id instance { id backups { id instance { id } } } } } }';
    const answer = await harness.gql<{ createBackup: { operation: { id: string; instance: { id: string; backups: Array<{ instance: { id: string } }> } | null } } }>(query, { id: instanceId });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.createBackup.operation.instance?.id).toBe(instanceId);
    expect(answer.data?.createBackup.operation.instance?.backups.length).toBeGreaterThanOrEqual(60);
    expect(answer.data?.createBackup.operation.instance?.backups.every((backup) => backup.instance.id === instanceId)).toBe(true);
  });
});
