import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 1) { edges { node { id } } } }';
const CREATE_BACKUP = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const CREATE_DEFINITION = 'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }';

const NINE = 'abcdefghi';
const LONG_LABEL_NODE = `${'n'.repeat(64)}.example.com`;
const OVER_128_NODE = `${'n'.repeat(60)}.${'o'.repeat(60)}.example.com`;

/**
 * Input Danube refuses whatever the VM (a definition's name over its 8 characters, a backup node's
 * hostname no host can have) went to Danube: a definition create was refused by Danube's field error
 * after the VM list and the POST, a backup create read NOT_FOUND "no backup definition named ..."
 * after three calls. The gateway refuses them first, naming the field and the limit.
 */
describe('danube: input over Danube limits is refused before any call', () => {
  let harness: Harness;
  let instanceId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    instanceId = (await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES)).data!.instances.edges[0]!.node.id;
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetUpstreamLogs());

  const definition = (input: Record<string, unknown>) =>
    harness.gql(CREATE_DEFINITION, { input: { instanceId, name: 'ok', cron: '0 4 * * *', retention: 3, node: 'node99.erigones.com', ...input } });

  it('createBackupDefinition named over 8 characters: BAD_USER_INPUT naming `name` and 8, no call', async () => {
    const answer = await definition({ name: NINE });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(/^name must be at most 8 characters/);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ provider: 'danube-test', fields: ['name'] });
    expect(JSON.stringify(answer)).not.toContain(NINE);
    expect(harness.upstreamCount('danube')).toBe(0);
  });

  it('createBackup with a definitionName over 8 characters: BAD_USER_INPUT naming `definitionName` and 8, no call', async () => {
    const answer = await harness.gql(CREATE_BACKUP, { input: { instanceId, name: 'x', definitionName: 'd'.repeat(150) } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(/^definitionName must be at most 8 characters/);
    expect(JSON.stringify(answer)).not.toContain('d'.repeat(20));
    expect(harness.upstreamCount('danube')).toBe(0);
  });

  it.each([
    ['a label over 63 characters', LONG_LABEL_NODE, /^node must be a hostname whose labels are at most 63 characters/],
    ['a hostname over 128 characters', OVER_128_NODE, /^node must be a hostname of at most 128 characters/],
  ])('createBackupDefinition whose node has %s: BAD_USER_INPUT naming `node` and the limit, no call', async (_what, node, message) => {
    const answer = await definition({ node });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(message);
    expect(JSON.stringify(answer)).not.toContain('n'.repeat(40));
    expect(harness.upstreamCount('danube')).toBe(0);
  });

  it.each([
    ['a zpool over 64 characters', { zpool: 'z'.repeat(65) }, 'zpool', /^zpool must be at most 64 characters/],
    ['a description over 128 characters', { description: 'w'.repeat(129) }, 'description', /^description must be at most 128 characters/],
  ])('createBackupDefinition with %s: BAD_USER_INPUT naming the field and the limit, no call', async (_what, input, field, message) => {
    const answer = await definition(input);
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(message);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ provider: 'danube-test', fields: [field] });
    expect(JSON.stringify(answer)).not.toMatch(/zzzzzzzzzzzzzzzzzzzz|wwwwwwwwwwwwwwwwwwww/);
    expect(harness.upstreamCount('danube')).toBe(0);
  });

  it('updateBackupDefinition with a description over 128 characters: BAD_USER_INPUT, no call; 128 are taken', async () => {
    const made = await harness.gql<{ createBackupDefinition: { definition: { id: string } } }>(CREATE_DEFINITION, {
      input: { instanceId, name: 'upd', cron: '0 4 * * *', retention: 3, node: 'node99.erigones.com', zpool: 'z'.repeat(64), description: 'w'.repeat(128) },
    });
    expect(made.errors).toBeUndefined();
    const definitionId = made.data!.createBackupDefinition.definition.id;
    const UPDATE = 'mutation($input: UpdateBackupDefinitionInput!) { updateBackupDefinition(input: $input) { definition { id } } }';
    harness.resetUpstreamLogs();
    const refused = await harness.gql(UPDATE, { input: { definitionId, description: 'w'.repeat(129) } });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ provider: 'danube-test', fields: ['description'] });
    expect(harness.upstreamCount('danube')).toBe(0);
    expect((await harness.gql(UPDATE, { input: { definitionId, description: 'w'.repeat(128) } })).errors).toBeUndefined();
  });

  it('takes a name of exactly 8 characters and a node of 63-character labels to Danube', async () => {
    const made = await definition({ name: 'abcdefgh' });
    expect(made.errors).toBeUndefined();
    const node = `${'m'.repeat(63)}.example.com`;
    harness.resetUpstreamLogs();
    const refused = await definition({ name: 'other', node });
    // Danube's own answer: no such node (its field error), asked of Danube.
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0]?.extensions?.fields).toEqual(['node']);
    expect(harness.upstreamCount('danube')).toBeGreaterThan(0);
  });
});

const CREATE_BACKUPS = 'mutation($input: CreateBackupsInput!) { createBackups(input: $input) { createdCount results { instanceId operation { id } error { code message } } } }';
type BulkAnswer = { createBackups: { createdCount: number; results: Array<{ instanceId: string; operation: { id: string } | null; error: { code: string; message: string } | null }> } };

/**
 * createBackups sent its definitionName to Danube unchecked: a Danube item read NOT_FOUND "no backup
 * definition named ..." after its calls, as a single createBackup did before it was refused first.
 * Only Danube runs a definition, so only its items are refused: the others are made.
 */
describe('danube: createBackups with a definitionName over Danube limits', () => {
  let harness: Harness;
  let ids: { zomro: string; danube: string };
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'danube'] });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; provider: { kind: string } } }> } }>('{ instances(first: 100) { edges { node { id provider { kind } } } } }');
    const of = (kind: string): string => list.data!.instances.edges.find((edge) => edge.node.provider.kind === kind)!.node.id;
    ids = { zomro: of('ZOMRO'), danube: of('DANUBE') };
  });
  afterAll(() => harness.close());

  it("refuses the Danube item BAD_USER_INPUT naming definitionName and 8, with no call to Danube, and makes the other item's backup", async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql<BulkAnswer>(CREATE_BACKUPS, { input: { instanceIds: [ids.zomro, ids.danube], name: 'bulk', definitionName: 'd'.repeat(150) } });
    expect(answer.errors).toBeUndefined();
    const [zomro, danube] = answer.data!.createBackups.results;
    expect(zomro!.operation).not.toBeNull();
    expect(danube!.error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/^definitionName must be at most 8 characters/) });
    expect(JSON.stringify(answer)).not.toContain('d'.repeat(20));
    expect(harness.upstreamCount('danube')).toBe(0);
  });
});
