import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, type Harness, startHarness, withAccountCopy, withClients } from '../helpers/harness.js';

const KEYS = {
  viewer: 'viewer-key-0123456789abcdef',
  operator: 'operator-key-0123456789abcdef',
  admin: 'admin-key-0123456789abcdef',
  scoped: 'scoped-key-0123456789abcdef',
};

describe('client authentication, roles and provider scope', () => {
  let harness: Harness;
  let instanceId: string;
  let backupId: string;
  let otherInstanceId: string;

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        // A second account on the same simulator, so a scoped key has something not to see.
        withAccountCopy('zomro', { id: 'zomro-other', name: 'Other' }),
        withClients([
          { name: 'dashboard', key: KEYS.viewer, roles: ['viewer'] },
          { name: 'automation', key: KEYS.operator, roles: ['operator'] },
          { name: 'ops', key: KEYS.admin, roles: ['admin'] },
          { name: 'team-a', key: KEYS.scoped, roles: ['admin'], providers: ['zomro-test'] },
        ]),
      ],
    });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; provider: { id: string }; backups: Array<{ id: string; protected: boolean }> } }> } }>(
      '{ instances { edges { node { id provider { id } backups { id protected } } } } }',
      {},
      { key: KEYS.admin },
    );
    const nodes = answer.data!.instances.edges.map((edge) => edge.node);
    const mine = nodes.filter((node) => node.provider.id === 'zomro-test');
    instanceId = mine[3]!.id;
    backupId = mine[3]!.backups.find((backup) => !backup.protected)!.id;
    otherInstanceId = nodes.find((node) => node.provider.id === 'zomro-other')!.id;
  });
  afterAll(() => harness.close());

  const create = (key: string, id = instanceId) =>
    harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: id, name: `b-${Math.random()}` } }, { key });
  const remove = (key: string) => harness.gql('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }', { input: { backupId } }, { key });

  it('refuses a request without a key, or with an unknown or malformed one, with 401 UNAUTHENTICATED', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer not-a-known-key-123456' }, { authorization: `Basic ${KEYS.admin}` }];
    for (const headers of attempts) {
      const answer = await harness.gql('{ providers { id } }', {}, { headers });
      expect(answer.status).toBe(401);
      expect(errorCodes(answer)).toEqual(['UNAUTHENTICATED']);
      expect(answer.text).not.toContain(KEYS.admin);
    }
  });

  it('lets a viewer read but not write', async () => {
    expect((await harness.gql('{ providers { id } }', {}, { key: KEYS.viewer })).errors).toBeUndefined();
    expect(errorCodes(await create(KEYS.viewer))).toEqual(['FORBIDDEN']);
  });

  it('lets an operator create but not delete or restore', async () => {
    expect((await create(KEYS.operator)).errors).toBeUndefined();
    expect(errorCodes(await remove(KEYS.operator))).toEqual(['FORBIDDEN']);
    const restore = await harness.gql('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId, confirm: true } }, { key: KEYS.operator });
    expect(errorCodes(restore)).toEqual(['FORBIDDEN']);
  });

  it('lets an admin delete', async () => {
    expect((await remove(KEYS.admin)).errors).toBeUndefined();
  });

  it('shows a scoped key nothing of other providers, not even their ids', async () => {
    const answer = await harness.gql<{ providers: Array<{ id: string }>; instances: { totalCount: number; edges: Array<{ node: { provider: { id: string } } }> }; node: unknown }>(
      'query($other: ID!) { providers { id } instances(first: 1000) { totalCount edges { node { provider { id } } } } node(id: $other) { id } }',
      { other: otherInstanceId },
      { key: KEYS.scoped },
    );
    expect(answer.data?.providers).toEqual([{ id: 'zomro-test' }]);
    expect(new Set(answer.data?.instances.edges.map((edge) => edge.node.provider.id))).toEqual(new Set(['zomro-test']));
    expect(answer.data?.node).toBeNull();
    expect(answer.text).not.toContain('zomro-other');
    const act = await create(KEYS.scoped, otherInstanceId);
    expect(errorCodes(act)).toEqual(['NOT_FOUND']);
    expect(act.text).not.toContain('zomro-other');
    // Named, another account is refused exactly as one that does not exist.
    for (const query of ['{ instances(providerId: $id) { totalCount } }', '{ backups(filter: { providerId: $id }) { totalCount } }', '{ protectionSummary(providerId: $id) { counts { instances } } }']) {
      const ask = (id: string) => harness.gql(`query($id: ID) ${query}`, { id }, { key: KEYS.scoped });
      const [unseen, missing] = await Promise.all([ask('zomro-other'), ask('no-such-account')]);
      expect(errorCodes(unseen)).toEqual(['NOT_FOUND']);
      expect(unseen.text).not.toContain('zomro-other');
      expect(unseen.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
      expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
    }
    // So is a kind no account the key may see has, and an id of another kind: zero counts read as "nothing unprotected".
    for (const query of ['{ instances(kind: ONAPP) { totalCount } }', '{ backups(filter: { kind: DANUBE }) { totalCount } }', '{ protectionSummary(kind: ZSTACK) { counts { instances } } }', '{ instances(providerId: "zomro-test", kind: ONAPP) { totalCount } }']) {
      const answer = await harness.gql(query, {}, { key: KEYS.scoped });
      expect(errorCodes(answer), query).toEqual(['NOT_FOUND']);
      expect(answer.errors?.[0]?.message).toMatch(/^(no provider account of kind (ONAPP|DANUBE|ZSTACK) that this key may see; `providers \{ id kind \}` lists the accounts it may|provider zomro-test is not of kind ONAPP)$/);
    }
    const ofKind = await harness.gql<{ protectionSummary: { counts: { instances: number } } }>('{ protectionSummary(kind: ZOMRO) { counts { instances } } }', {}, { key: KEYS.scoped });
    expect(ofKind.data?.protectionSummary.counts.instances).toBeGreaterThan(0);
    // The account the key may see, named, still answers.
    const own = await harness.gql<{ instances: { totalCount: number } }>('{ instances(providerId: "zomro-test") { totalCount } }', {}, { key: KEYS.scoped });
    expect(own.data?.instances.totalCount).toBeGreaterThan(0);
  });
});
