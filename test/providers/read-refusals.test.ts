import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../src/providers/registry.js';
import { type GraphQLAnswer, withHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A provider that refuses a read in its "bad input" words (a 422 field map,
 * a 412 "Invalid disk_id", a BILLmanager `value` error). The client sent no
 * input to a list read: that refusal is the provider's (PROVIDER_ERROR with
 * its code), while the same words to a write stay the client's
 * (BAD_USER_INPUT). A test's own provider, answering as `script` says.
 */
type Answer = { status: number; body: unknown };
type Script = (request: { method: string; path: string; func: string | null }) => Answer;
let script: Script = () => ({ status: 200, body: [] });
const provider: Server = createServer((request, response) => {
  let text = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (text += chunk));
  request.on('end', () => {
    const path = new URL(request.url ?? '/', 'http://provider').pathname;
    const func = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(text).get('func') : null;
    const { status, body } = script({ method: request.method ?? 'GET', path, func });
    // Words alone go as plain text (ZStack's REST server refuses a request it cannot read so).
    if (typeof body === 'string') response.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    else response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
});
afterAll(async () => {
  provider.closeAllConnections();
  await new Promise((resolve) => provider.close(resolve));
});

const BACKUPS = '{ instances { edges { node { id backups { id } } } } }';
const CREATE_BACKUP = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const errorOf = (answer: GraphQLAnswer<unknown>) => answer.errors?.[0]?.extensions;

/** The backups read's error and the create's, against `kind` answering as `answers` says. */
async function readAndWrite(kind: ProviderKind, answers: Script, createInput: Record<string, unknown>) {
  script = answers;
  return withHarness({ kinds: [kind], configure: withProviderSettings({ url: kind === 'zomro' ? `${url}/` : url, retries: 0 }) }, async (harness) => {
    const read = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(BACKUPS);
    const instanceId = read.data!.instances.edges[0]!.node.id;
    const write = await harness.gql(CREATE_BACKUP, { input: { instanceId, name: 'b', ...createInput } });
    return { read: errorOf(read), write: errorOf(write) };
  });
}

describe('a provider refusing a read in "bad input" words', () => {
  it('OnApp: a 422 field map to a backup list is PROVIDER_ERROR HTTP_422; to a create, BAD_USER_INPUT', async () => {
    const refused = { status: 422, body: { errors: { disk: ['is invalid'] } } };
    // The first backup list (the read) is refused; the create's own look at the backups is answered.
    let backupLists = 0;
    const { read, write } = await readAndWrite('onapp', ({ method, path }) => {
      if (path === '/virtual_machines.json') return { status: 200, body: [{ virtual_machine: { id: 7, label: 'a' } }] };
      if (path === '/virtual_machines/7/disks.json') return { status: 200, body: [{ disk: { id: 1, primary: true } }] };
      if (path === '/virtual_machines/7/backups.json') return ++backupLists === 1 ? refused : { status: 200, body: [] };
      return method === 'POST' ? refused : { status: 200, body: [] };
    }, {});
    expect(read).toEqual({ code: 'PROVIDER_ERROR', provider: 'onapp-test', providerCode: 'HTTP_422' });
    expect(write).toMatchObject({ code: 'BAD_USER_INPUT', provider: 'onapp-test', providerCode: 'HTTP_422' });
  });

  it('Danube: a 400 field error to a backup list is PROVIDER_ERROR HTTP_400 without fields; a 412 "Invalid disk_id" to a create, BAD_USER_INPUT on diskId', async () => {
    const { read, write } = await readAndWrite('danube', ({ method, path }) => {
      if (path === '/vm/') return { status: 200, body: { status: 'SUCCESS', result: [{ hostname: 'web01.example.com', status: 'running' }] } };
      if (method === 'GET') return { status: 400, body: { status: 'FAILURE', result: { disk_id: ['not a disk'] } } };
      return { status: 412, body: { detail: 'Invalid disk_id' } };
    }, { definitionName: 'daily' });
    expect(read).toEqual({ code: 'PROVIDER_ERROR', provider: 'danube-test', providerCode: 'HTTP_400' });
    expect(write).toEqual({ code: 'BAD_USER_INPUT', provider: 'danube-test', providerCode: 'HTTP_412', fields: ['diskId'] });
  });

  it('Danube: a 412 to a read is PROVIDER_ERROR too', async () => {
    const { read } = await readAndWrite('danube', ({ path }) =>
      path === '/vm/' ? { status: 200, body: { status: 'SUCCESS', result: [{ hostname: 'web01.example.com' }] } } : { status: 412, body: { detail: 'Invalid disk_id' } },
    { definitionName: 'daily' });
    expect(read).toEqual({ code: 'PROVIDER_ERROR', provider: 'danube-test', providerCode: 'HTTP_412' });
  });

  it('Zomro: a value error to a backup list (a read-only form POST) is PROVIDER_ERROR "value"; to a create, BAD_USER_INPUT', async () => {
    const valueError = { status: 200, body: { doc: { error: { $type: 'value', $object: 'plid', msg: { $: 'no such plid' } } } } };
    const { read, write } = await readAndWrite('zomro', ({ func }) => {
      if (func === 'instances') return { status: 200, body: { doc: { p_elems: { $: '1' }, elem: [{ id: { $: '1203' }, name: { $: 'vps' } }] } } };
      return valueError;
    }, {});
    expect(read).toEqual({ code: 'PROVIDER_ERROR', provider: 'zomro-test', providerCode: 'value' });
    expect(write).toEqual({ code: 'BAD_USER_INPUT', provider: 'zomro-test', providerCode: 'value' });
  });

  /** instance and node of a ZStack VM read once, then with `refusal` answering the one-VM query: their errors' extensions. */
  async function zstackOneVmRefused(refusal: Answer) {
    let refusing = false;
    script = ({ path }) => {
      if (path.endsWith('/accounts/login')) return { status: 200, body: { inventory: { uuid: 'a'.repeat(32) } } };
      if (path.endsWith('/vm-instances')) return refusing ? refusal : { status: 200, body: { inventories: [{ uuid: 'b'.repeat(32), name: 'vm', type: 'UserVm' }], total: 1 } };
      return { status: 200, body: { inventories: [], total: 0 } };
    };
    return withHarness({ kinds: ['zstack'], configure: withProviderSettings({ url, retries: 0 }) }, async (harness) => {
      const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
      const id = list.data!.instances.edges[0]!.node.id;
      refusing = true;
      const one = await harness.gql('query($id: ID!) { instance(id: $id) { id } node(id: $id) { id } }', { id });
      return one.errors?.map((error) => ({ message: error.message, ...error.extensions }));
    });
  }

  it('ZStack: a 400 with its {"error"} to a one-VM read (instance, node) is PROVIDER_ERROR with its code, not an instance that is not there', async () => {
    // The client's id was checked before any call, and a VM not found is an empty `inventories`, not a 400.
    const refused = await zstackOneVmRefused({ status: 400, body: { error: { code: 'SYS.1007', description: 'invalid query condition' } } });
    expect(refused).toEqual([1, 2].map(() => ({ message: 'invalid query condition', code: 'PROVIDER_ERROR', provider: 'zstack-test', providerCode: 'SYS.1007' })));
  });

  it("ZStack: its REST server's plain-text 400 (a query it cannot read) is PROVIDER_ERROR HTTP_400, not ZSTACK_ERROR \"ZStack reported an error\"", async () => {
    const refused = await zstackOneVmRefused({ status: 400, body: "Invalid query parameter. The 'uuid' in the parameter[q] doesn't contain any query operator" });
    expect(refused).toEqual([1, 2].map(() => ({ message: "provider zstack-test refused the gateway's request (HTTP 400)", code: 'PROVIDER_ERROR', provider: 'zstack-test', providerCode: 'HTTP_400' })));
  });
});
