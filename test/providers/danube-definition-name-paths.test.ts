import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 1) { edges { node { id } } } }';
const CREATE_BACKUP = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const CREATE_DEFINITION = 'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }';

/**
 * Names that would leave their URL segment: refused naming the field, before any call (the create's reads were made, then "an id contains ...").
 * Danube's own pattern for a definition name (letters, digits, '.', '_', '-', the first a letter or digit) refuses most of them first; "." and ".." by either rule.
 */
const LEAVING = ['.', '..', '../x', 'a/b', 'a?b', 'a#b', 'a\\b'];

describe('danube: definition names that cannot be a URL segment', () => {
  let harness: Harness;
  let instanceId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    instanceId = (await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES)).data!.instances.edges[0]!.node.id;
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetUpstreamLogs());

  it.each(LEAVING)('createBackup with definitionName %j: BAD_USER_INPUT naming definitionName, nothing asked of Danube', async (name) => {
    const answer = await harness.gql(CREATE_BACKUP, { input: { instanceId, name: 'x', definitionName: name } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(/^definitionName must (not be|be letters, digits)/);
    expect(harness.simulator('danube').server.log.filter((request) => /\/backup/.test(request.rawPath))).toEqual([]);
  });

  it.each(LEAVING)('createBackupDefinition named %j: BAD_USER_INPUT naming name, nothing sent', async (name) => {
    const answer = await harness.gql(CREATE_DEFINITION, { input: { instanceId, name, cron: '0 4 * * *', retention: 3, node: 'node99.erigones.com' } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(/^name must (not be|be letters, digits)/);
    expect(harness.simulator('danube').server.count((request) => request.method !== 'GET')).toBe(0);
  });
});
