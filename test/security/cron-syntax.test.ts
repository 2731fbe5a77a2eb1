import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

interface Listed {
  instances: { edges: Array<{ node: { id: string; nativeId: string; definitions: Array<{ id: string; name: string }> | null } }> };
}

interface DefinitionsOf {
  instance: { definitions: Array<{ name: string; schedule: { cron: string; weekdays: string[]; time: string | null; nextRunAt: string | null } }> | null } | null;
}

/**
 * cron-parser reads more than the providers do: `L`, `W`, `#`, `?` and `H`
 * (a random value on each parse). The gateway took them, sent them to
 * Danube, and read `5L` as a null weekday: the definitions of that instance
 * failed with INTERNAL_SERVER_ERROR on every dashboard, and the mutation that
 * made it answered "internal error" after it had acted.
 */
describe('cron syntax: only what the providers read', () => {
  let harness: Harness;
  let instanceId = '';
  let hostname = '';
  let definitionId = '';

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    const listed = await harness.gql<Listed>('{ instances(first: 100) { edges { node { id nativeId definitions { id name } } } } }');
    const node = listed.data!.instances.edges.map((edge) => edge.node).find((item) => (item.definitions?.length ?? 0) > 0)!;
    instanceId = node.id;
    hostname = node.nativeId;
    definitionId = node.definitions![0]!.id;
  });
  afterAll(() => harness.close());

  const extensions = ['0 4 * 2 5L', '0 4 L * *', 'H 4 * * *', '0 4 ? * *', '0 4 * * 1#2', '0 4 15W * *', '0 4 * * Monday'];

  it('createBackupDefinition and updateBackupDefinition refuse cron-parser extensions with BAD_USER_INPUT, before any upstream call', async () => {
    harness.resetUpstreamLogs();
    for (const cron of extensions) {
      const created = await harness.gql(
        'mutation ($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id schedule { weekdays } } } }',
        { input: { instanceId, name: 'ext', cron, retention: 3, node: 'node99.erigones.com' } },
      );
      expect(errorCodes(created), cron).toEqual(['BAD_USER_INPUT']);
      expect(created.errors![0]!.message, cron).toMatch(/^invalid cron expression: /);
      const updated = await harness.gql('mutation ($input: UpdateBackupDefinitionInput!) { updateBackupDefinition(input: $input) { definition { id } } }', { input: { definitionId, cron } });
      expect(errorCodes(updated), cron).toEqual(['BAD_USER_INPUT']);
    }
    expect(harness.upstreamCount()).toBe(0);
  });

  it('still takes numbers, names, ranges, steps and lists', async () => {
    const answer = await harness.gql<{ updateBackupDefinition: { definition: { schedule: { cron: string; weekdays: string[]; time: string | null } } } }>(
      'mutation ($input: UpdateBackupDefinitionInput!) { updateBackupDefinition(input: $input) { definition { schedule { cron weekdays time } } } }',
      { input: { definitionId, cron: '0,30 */6 1-28 jan-dec MON-FRI' } },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.updateBackupDefinition.definition.schedule).toEqual({ cron: '0,30 */6 1-28 jan-dec MON-FRI', weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], time: null });
  });

  it('a definition given such a cron behind the gateway (the provider panel) reads as an unreadable cron, and fails nothing', async () => {
    const account = harness.simulator('danube').accountConfig('direct') as unknown as { url: string; auth: { apiKey: string } };
    const made = await fetch(`${account.url}/vm/${encodeURIComponent(hostname)}/define/backup/lastfri/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'es-api-key': account.auth.apiKey },
      body: JSON.stringify({ schedule: '0 4 * * 5L', retention: 2, node: 'node99.erigones.com' }),
    });
    expect(made.status).toBe(201);
    const answer = await harness.gql<DefinitionsOf>('query ($id: ID!) { instance(id: $id) { definitions { name schedule { cron weekdays time nextRunAt } } } }', { id: instanceId });
    expect(answer.errors).toBeUndefined();
    const lastFriday = answer.data!.instance!.definitions!.find((definition) => definition.name === 'lastfri');
    expect(lastFriday?.schedule).toEqual({ cron: '0 4 * * 5L', weekdays: [], time: null, nextRunAt: null });
  });
});
