import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DANUBE_SIM_API_KEY } from '../../src/providers/danube/simulator.js';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 1) { edges { node { id nativeId } } } }';
const CREATE_DEFINITION = 'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }';
const UPDATE_DEFINITION = 'mutation($input: UpdateBackupDefinitionInput!) { updateBackupDefinition(input: $input) { definition { id } } }';

/**
 * Whitespace around a definition's description or zpool: esdc-ce's serializer fields are its own
 * copy of DRF 2's (api/fields.py), which trim nothing before `max_length` (DRF 3's default
 * `trim_whitespace` is not in that copy), so 128 characters and a trailing space are 129 to it, as
 * to the gateway, which sends a description as given. (A zpool, like every name, the gateway trims
 * before it checks and sends it: checkName.) The simulator took any description and zpool whatever
 * their length; it now refuses as esdc-ce's source reads, and the gateway and it agree on each
 * value below, the gateway refusing before any call what Danube would refuse.
 */
const DESCRIPTIONS: Array<[what: string, value: string, danubeTakes: boolean]> = [
  ['128 characters', 'w'.repeat(128), true],
  ['126 characters and two trailing spaces', `${'w'.repeat(126)}  `, true],
  ['128 characters and two trailing spaces', `${'w'.repeat(128)}  `, false],
  ['a leading space and 128 characters', ` ${'w'.repeat(128)}`, false],
  ['129 spaces', ' '.repeat(129), false],
  ['128 emoji (256 UTF-16 units)', '\u{1f600}'.repeat(128), true],
];

describe('danube: whitespace around a description or a zpool counts, at the gateway as at Danube', () => {
  let harness: Harness;
  let instanceId: string;
  let hostname: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    const node = (await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>(INSTANCES)).data!.instances.edges[0]!.node;
    instanceId = node.id;
    hostname = node.nativeId;
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetUpstreamLogs());

  /** The simulator asked directly, as the gateway would ask it: its status and its field errors. */
  const danube = async (method: 'POST' | 'PUT', name: string, data: Record<string, unknown>): Promise<{ status: number; errors: Record<string, string[]> }> => {
    const response = await fetch(`${harness.simulator('danube').server.url}/api/vm/${hostname}/define/backup/${name}/`, {
      method,
      headers: { 'es-api-key': DANUBE_SIM_API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ disk_id: 1, node: 'node99.erigones.com', schedule: '0 4 * * *', retention: 3, ...data }),
    });
    const body = (await response.json()) as { result?: unknown };
    return { status: response.status, errors: response.status === 400 ? (body.result as Record<string, string[]>) : {} };
  };
  const gatewayCreate = (name: string, input: Record<string, unknown>) =>
    harness.gql(CREATE_DEFINITION, { input: { instanceId, name, cron: '0 4 * * *', retention: 3, node: 'node99.erigones.com', ...input } });

  it('a create: the gateway refuses, before any call, exactly the descriptions Danube refuses', async () => {
    const disagreements: string[] = [];
    const cases = DESCRIPTIONS.map(([what, value, takes]) => ['description', 'desc', what, value, takes] as const);
    for (const [index, [argument, field, what, value, takes]] of cases.entries()) {
      const simulated = await danube('POST', `s${index}`, { [field]: value });
      const danubeTook = simulated.status === 201;
      if (danubeTook !== takes) disagreements.push(`Danube ${danubeTook ? 'took' : 'refused'} ${argument} of ${what}: ${JSON.stringify(simulated.errors)}`);
      if (!danubeTook && simulated.errors[field]?.[0] !== `Ensure this value has at most ${field === 'desc' ? 128 : 64} characters (it has ${[...value].length}).`) {
        disagreements.push(`Danube's words for ${argument} of ${what}: ${JSON.stringify(simulated.errors)}`);
      }
      harness.resetUpstreamLogs();
      const answer = await gatewayCreate(`g${index}`, { [argument]: value });
      const gatewayTook = answer.errors === undefined;
      if (gatewayTook !== takes) disagreements.push(`the gateway ${gatewayTook ? 'took' : 'refused'} ${argument} of ${what}: ${JSON.stringify(answer.errors)}`);
      if (!gatewayTook && (errorCodes(answer)[0] !== 'BAD_USER_INPUT' || harness.upstreamCount('danube') !== 0)) disagreements.push(`the gateway's refusal of ${argument} of ${what}: ${JSON.stringify(answer.errors)}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('a zpool: Danube counts its whitespace (64 and a space refused), and the gateway, which trims a name it sends, sends 64 that Danube takes', async () => {
    expect(await danube('POST', 'zp1', { zpool: `${'z'.repeat(64)} ` })).toEqual({ status: 400, errors: { zpool: ['Ensure this value has at most 64 characters (it has 65).'] } });
    expect((await danube('POST', 'zp2', { zpool: 'z'.repeat(64) })).status).toBe(201);
    harness.resetUpstreamLogs();
    const answer = await gatewayCreate('gzp', { zpool: ` ${'z'.repeat(64)} ` });
    expect(answer.errors).toBeUndefined();
    const sent = harness.simulator('danube').server.log.find((request) => request.method === 'POST');
    expect((JSON.parse(sent?.bodyText ?? '{}') as Record<string, unknown>).zpool).toBe('z'.repeat(64));
  });

  it("an update: Danube refuses 128 characters and trailing spaces as the gateway does, and takes 128", async () => {
    expect((await danube('POST', 'upd', { desc: 'w' })).status).toBe(201);
    expect(await danube('PUT', 'upd', { desc: `${'w'.repeat(128)}  ` })).toEqual({ status: 400, errors: { desc: ['Ensure this value has at most 128 characters (it has 130).'] } });
    expect((await danube('PUT', 'upd', { desc: 'w'.repeat(128) })).status).toBe(200);

    const made = await harness.gql<{ createBackupDefinition: { definition: { id: string } } }>(CREATE_DEFINITION, {
      input: { instanceId, name: 'gupd', cron: '0 4 * * *', retention: 3, node: 'node99.erigones.com', description: 'w' },
    });
    expect(made.errors).toBeUndefined();
    harness.resetUpstreamLogs();
    const refused = await harness.gql(UPDATE_DEFINITION, { input: { definitionId: made.data!.createBackupDefinition.definition.id, description: `${'w'.repeat(128)}  ` } });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0]?.message).toMatch(/^description must be at most 128 characters/);
    expect(harness.upstreamCount('danube')).toBe(0);
  });
});
