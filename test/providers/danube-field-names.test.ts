import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedFields } from '../../src/providers/danube/client.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A Danube whose refusals name fields that are also names on Object's
 * prototype ("constructor", "toString"): a test's own provider, since the
 * simulator never names such a field. Writes answer what the test sets.
 */
let refusal: { status: number; body: unknown } = { status: 400, body: {} };
const provider: Server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://danube').pathname;
  const answer = request.method === 'GET' && path === '/vm/' ? { status: 200, body: { status: 'SUCCESS', result: [{ hostname: 'web01.example.com', status: 'running' }] } } : refusal;
  response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
});

const CREATE_DEFINITION = 'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }';
const CREATE_BACKUP = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';

describe('danube: refused field names are never looked up on the prototype', () => {
  let harness: Harness;
  let instanceId: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ url, retries: 0 }) });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    instanceId = list.data!.instances.edges[0]!.node.id;
  });
  afterAll(async () => {
    await harness.close();
    provider.closeAllConnections();
    await new Promise((resolve) => provider.close(resolve));
  });

  it('a 400 field error on "constructor" names the field "constructor", not null', async () => {
    refusal = { status: 400, body: { status: 'FAILURE', result: { constructor: ['bad'] } } };
    const answer = await harness.gql(CREATE_DEFINITION, { input: { instanceId, name: 'daily', cron: '0 3 * * *', retention: 7, node: 'node1' } });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', provider: 'danube-test', fields: ['constructor'] });
  });

  it('a 412 "Invalid constructor / Invalid disk_id" names constructor and diskId', async () => {
    refusal = { status: 412, body: { detail: 'Invalid constructor / Invalid disk_id' } };
    const answer = await harness.gql(CREATE_BACKUP, { input: { instanceId, name: 'b', definitionName: 'daily' } });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', provider: 'danube-test', fields: ['constructor', 'diskId'] });
  });

  it('maps its own parameter names and keeps every other one, "constructor" included, as it is', () => {
    expect(refusedFields({ status: 'FAILURE', result: { constructor: ['x'], bwlimit: ['x'], schedule: ['x'], zpool: ['x'] } })).toEqual(['constructor', 'bandwidthLimit', 'cron', 'zpool']);
    expect(refusedFields({ detail: 'Invalid constructor / Invalid target_disk_id' })).toEqual(['constructor', 'targetDiskId']);
  });
});
