import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withLimits, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const MiB = 1024 * 1024;
/** 30 aliases (limits.maxAliases) of one definition's backups, raw records and all. */
const REPEATS = Array.from({ length: 30 }, (_, index) => `b${index}: backups { raw }`).join(' ');
const UPDATE = (selection: string): string => `mutation($id: ID!, $text: String!) { updateBackupDefinition(input: { definitionId: $id, description: $text }) { definition { id description ${selection} } } }`;

interface Definition {
  id: string;
  backups: Array<{ raw: unknown }> | null;
}

/**
 * A mutation's answer is never refused past `limits.maxAnswerBytes` (it says what acted), and the
 * records it holds as what acted are never cut: so an alias repeating one of their fields repeated
 * it whole. `updateBackupDefinition { definition { b0: backups { raw } ... b29: backups { raw } } }`
 * was answered 1.35 MB past a 1 MiB limit, and a hostile Danube's list of 32 MiB would have been
 * 960 MiB. Such a mutation is refused before it acts.
 */
describe('a mutation repeating a field of its payload under aliases is refused before it acts', () => {
  let harness: Harness;
  let definition: Definition;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 3, backupsPerInstance: 150 }, configure: withLimits({ maxAnswerBytes: MiB }) });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { definitions: Definition[] | null } }> } }>('{ instances { edges { node { definitions { id backups { raw } } } } } }');
    const size = (one: Definition): number => JSON.stringify(one.backups).length;
    definition = listed.data!.instances.edges.flatMap((edge) => edge.node.definitions ?? []).sort((a, b) => size(b) - size(a))[0]!;
    // Precondition: its backups once are well within the limit, 30 times past it.
    expect(size(definition)).toBeLessThan(MiB / 10);
    expect(size(definition) * 30).toBeGreaterThan(MiB);
  });
  afterAll(() => harness?.close());

  const description = async (): Promise<string | null> => {
    const read = await harness.gql<{ node: { description: string | null } | null }>('query($id: ID!) { node(id: $id) { ... on BackupDefinition { description } } }', { id: definition.id });
    return read.data?.node?.description ?? null;
  };

  it('over HTTP: QUERY_TOO_COMPLEX naming the repeated field, and nothing acted', async () => {
    const before = await description();
    harness.resetUpstreamLogs();
    const answer = await harness.gql(UPDATE(REPEATS), { id: definition.id, text: 'repeated over HTTP' });
    expect(answer.text.length).toBeLessThan(4_000);
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answer.errors?.[0]?.message).toContain('`b0` and `b1` both ask for `backups`');
    expect(harness.upstreamCount('danube')).toBe(0);
    expect(await description()).toBe(before);
  });

  it('over WebSocket alike, the repeat hidden in fragments', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const query = `${UPDATE('...A ...B')} fragment A on BackupDefinition { backups { raw } } fragment B on BackupDefinition { ... on BackupDefinition { again: backups { raw } } }`;
      harness.resetUpstreamLogs();
      const answer = await wsRun(client, query, { id: definition.id, text: 'repeated over WebSocket' });
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(answer.errors?.[0]?.message).toContain('both ask for `backups`');
      expect(harness.upstreamCount('danube')).toBe(0);
    } finally {
      await client.dispose();
    }
  });

  it('guard: each field once, one field spread twice, aliased __typename and aliased root fields still act', async () => {
    const query = `mutation($id: ID!) {
      first: updateBackupDefinition(input: { definitionId: $id, description: "first" }) { definition { id t1: __typename t2: __typename ...A ...A backups { raw } } }
      second: updateBackupDefinition(input: { definitionId: $id, description: "second" }) { definition { description } }
    } fragment A on BackupDefinition { id backups { raw } }`;
    const answer = await harness.gql<{ first: { definition: Definition }; second: { definition: { description: string } } }>(query, { id: definition.id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.first.definition.backups).toHaveLength(definition.backups!.length);
    expect(answer.data?.second.definition.description).toBe('second');
  });
});
