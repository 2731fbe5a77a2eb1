import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForgingProxy, type Forged, type ForgingProxy } from '../helpers/forging-proxy.js';
import { errorCodes, startHarness, type DraftConfig, type Harness } from '../helpers/harness.js';

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';

/**
 * ZStack answers a JSON object (an inventory, a 202's job location, a finished job's event) or
 * nothing. A 2xx array or bare value (a broken or hostile panel, a proxy before it) was read as a
 * write done at once, or as its job's end: a create that nothing says was made was SUCCEEDED.
 */
describe('zstack: a 2xx answer that is JSON but no object', () => {
  let harness: Harness;
  let proxy: ForgingProxy;
  let forgeWrite: Forged | null = null;
  let forgeJob: Forged | null = null;
  let simulatorOrigin = '';

  beforeAll(async () => {
    proxy = await startForgingProxy(
      () => simulatorOrigin,
      (request) => (request.method === 'POST' ? forgeWrite : request.method === 'GET' && (request.url ?? '').includes('/api-jobs/') ? forgeJob : null),
    );
    harness = await startHarness({
      kinds: ['zstack'],
      configure: (config: DraftConfig) => {
        const account = config.providers[0] as Record<string, unknown>;
        simulatorOrigin = new URL(String(account.url)).origin;
        return { ...config, providers: [{ ...account, url: String(account.url).replace(simulatorOrigin, proxy.origin) }] };
      },
    });
  }, 60_000);
  afterAll(async () => {
    await harness.close();
    proxy.close();
  });

  const firstInstance = async (): Promise<string> => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const id = listed.data?.instances.edges[0]?.node.id;
    expect(id).toBeDefined();
    return id as string;
  };

  it.each([['an array', ['done']], ['a number', 1], ['a string', 'ok']])('refuses a write answered 200 with %s, never SUCCEEDED', async (_name, body) => {
    const instanceId = await firstInstance();
    forgeWrite = { status: 200, body };
    const created = await harness.gql(CREATE, { input: { instanceId, name: `forged-${String(_name).replace(/\W/g, '')}` } });
    forgeWrite = null;
    expect(errorCodes(created)).toEqual(['PROVIDER_ERROR']);
    expect(created.text).not.toContain('SUCCEEDED');
  });

  it('fails the poll of a job answered 200 with an array, never SUCCEEDED', async () => {
    const instanceId = await firstInstance();
    const created = await harness.gql<{ createBackup: { operation: { id: string; status: string } } }>(CREATE, { input: { instanceId, name: 'forged-job' } });
    const operationId = created.data?.createBackup.operation.id;
    expect(created.data?.createBackup.operation.status).toBe('RUNNING');
    forgeJob = { status: 200, body: [[['deep']]] };
    const polled = await harness.gql(OPERATION, { id: operationId });
    forgeJob = null;
    expect(errorCodes(polled)).toEqual(['PROVIDER_ERROR']);
    expect(polled.text).not.toContain('SUCCEEDED');
  });
});
