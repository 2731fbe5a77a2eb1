import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * An OnApp that writes its ids as JSON numbers past 2^53, or lists one id
 * twice: a test's own provider, since the simulator's JSON.stringify cannot
 * send digits a double does not hold. Each path answers the text the test sets.
 */
const answers = new Map<string, string>();
const provider: Server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://onapp').pathname;
  response.writeHead(200, { 'content-type': 'application/json' }).end(answers.get(path) ?? '[]');
});

const vm = (id: string, label: string) => `{"virtual_machine": {"id": ${id}, "label": "${label}", "booted": true}}`;
const backup = (id: string) => `{"backup": {"id": ${id}, "built": true, "created_at": "2026-01-01T00:00:00Z", "disk_id": 1}}`;

interface Listing {
  instances: { totalCount: number; edges: Array<{ node: { id: string; name: string } }>; providerErrors: Array<{ code: string; message: string }> };
}
const LIST = '{ instances(providerId: "onapp-test") { totalCount edges { node { id name } } providerErrors { code message } } }';

describe('onapp: ids the gateway cannot tell apart', () => {
  let harness: Harness;
  beforeAll(async () => {
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ url, retries: 0 }) });
  });
  afterAll(async () => {
    await harness.close();
    provider.closeAllConnections();
    await new Promise((resolve) => provider.close(resolve));
  });

  it('leaves out VM rows with ids past 2^53 (two VMs would share one global id), lists the others, and says so at the list', async () => {
    answers.set('/virtual_machines.json', `[${vm('9007199254740993', 'a')}, ${vm('7', 'c')}, ${vm('9007199254740992', 'b')}]`);
    const answer = await harness.gql<Listing>(LIST);
    expect(answer.data?.instances).toEqual({ totalCount: 1, edges: [{ node: { id: expect.any(String), name: 'c' } }], providerErrors: [] });
    expect(answer.errors?.map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.providerCode, error.message])).toEqual([
      ['instances', 'PROVIDER_ERROR', 'INVALID_RESPONSE', 'provider onapp-test sent an id that cannot be read exactly (not a string nor an integer below 2^53): 2 instances left out of its instances list, the others answered'],
    ]);
  });

  it('lists a VM named twice once, the first (a record that moved between pages while they were read), not the account failed', async () => {
    answers.set('/virtual_machines.json', `[${vm('7', 'a')}, ${vm('8', 'c')}, ${vm('7', 'b')}]`);
    const answer = await harness.gql<Listing>(LIST);
    expect(answer.data?.instances.providerErrors).toEqual([]);
    expect(answer.data?.instances.edges.map((edge) => edge.node.name)).toEqual(['a', 'c']);
    expect(answer.data?.instances.totalCount).toBe(2);
  });

  it("leaves a backup with an id past 2^53 out of its VM's backups (the error at that list), and lists a backup named twice once", async () => {
    answers.set('/virtual_machines.json', `[${vm('7', 'a')}, ${vm('8', 'b')}]`);
    answers.set('/virtual_machines/7/backups.json', `[${backup('9007199254740993')}, ${backup('4')}]`);
    answers.set('/virtual_machines/8/backups.json', `[${backup('5')}, ${backup('6')}, ${backup('5')}]`);
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { name: string; backups: Array<{ nativeId: string }> | null } }> } }>(
      '{ instances(providerId: "onapp-test") { edges { node { name backups { nativeId } } } } }',
    );
    const [a, b] = answer.data!.instances.edges.map((edge) => edge.node);
    expect(a).toEqual({ name: 'a', backups: [{ nativeId: '4' }] });
    expect(b?.backups?.map((item) => item.nativeId).sort()).toEqual(['5', '6']);
    expect(answer.errors?.map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.providerCode, error.message])).toEqual([
      ['instances.edges.0.node.backups', 'PROVIDER_ERROR', 'INVALID_RESPONSE', 'provider onapp-test sent an id that cannot be read exactly (not a string nor an integer below 2^53): one backup left out of its backups list, the others answered'],
    ]);
  });
});
