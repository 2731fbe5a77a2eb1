import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

interface Listed {
  instances: { edges: Array<{ node: { id: string; definitions: Array<{ id: string; name: string }> | null } }> };
}

/**
 * Half a surrogate pair in a name or a note is no character. JSON carries it
 * (`"\ud800"`), and the gateway passed it on: into a Danube URL path, where
 * encodeURIComponent threw (INTERNAL_SERVER_ERROR, logged as a gateway
 * fault at error level), or into a provider's JSON body, as text no UTF-8
 * store can hold. It is the client's mistake: BAD_USER_INPUT, before any call.
 */
describe('lone surrogates in names and free text', () => {
  let harness: Harness;
  let instanceId = '';
  let definitionId = '';
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    const listed = await harness.gql<Listed>('{ instances(first: 100) { edges { node { id definitions { id name } } } } }');
    const node = listed.data!.instances.edges.map((edge) => edge.node).find((item) => (item.definitions?.length ?? 0) > 0)!;
    instanceId = node.id;
    definitionId = node.definitions![0]!.id;
  });
  afterAll(() => harness.close());

  const cases: Array<{ what: string; query: string; input: () => Record<string, unknown> }> = [
    {
      what: 'createBackupDefinition name (a URL path segment at Danube)',
      query: 'mutation ($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }',
      input: () => ({ instanceId, name: 'a\ud800', cron: '0 4 * * *', retention: 3, node: 'node99.erigones.com' }),
    },
    {
      what: 'createBackup definitionName (a URL path segment at Danube)',
      query: 'mutation ($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
      input: () => ({ instanceId, name: 'x', definitionName: '\udfff' }),
    },
    {
      what: 'createBackup name and note (a JSON body)',
      query: 'mutation ($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
      input: () => ({ instanceId, name: 'x', definitionName: 'daily', note: 'note \ud800 half' }),
    },
    {
      what: 'updateBackupDefinition description (a JSON body)',
      query: 'mutation ($input: UpdateBackupDefinitionInput!) { updateBackupDefinition(input: $input) { definition { id } } }',
      input: () => ({ definitionId, description: 'd\udc00' }),
    },
  ];

  for (const { what, query, input } of cases) {
    it(`${what}: BAD_USER_INPUT, no upstream call, no fault logged`, async () => {
      harness.resetUpstreamLogs();
      const before = harness.logs.length;
      const answer = await harness.gql(query, { input: input() });
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors![0]!.message).toMatch(/must be well-formed Unicode/);
      expect(harness.upstreamCount()).toBe(0);
      expect(harness.logs.slice(before).filter((line) => line.includes('"level":50'))).toEqual([]);
    });
  }

  it('a whole pair (an emoji) is a character like any other', async () => {
    const answer = await harness.gql<{ updateBackupDefinition: { definition: { description: string } } }>(
      'mutation ($input: UpdateBackupDefinitionInput!) { updateBackupDefinition(input: $input) { definition { description } } }',
      { input: { definitionId, description: 'boxed \ud83d\udce6' } },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.updateBackupDefinition.definition.description).toBe('boxed \ud83d\udce6');
  });
});
