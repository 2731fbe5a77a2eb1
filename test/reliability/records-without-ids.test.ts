import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/** An OnApp API whose VM list holds records without their ids (another API version, say), and an empty list elsewhere. */
async function idlessOnapp(): Promise<{ server: Server; url: string }> {
  const vms = JSON.stringify([1, 2, 3].map((n) => ({ virtual_machine: { label: `vm-${n}`, identifier: `i${n}` } })));
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url?.startsWith('/virtual_machines.json') ? vms : '[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface Answer {
  instances: { totalCount: number; edges: Array<{ node: { id: string; provider: { id: string } } }>; providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
  protectionSummary: { counts: { instances: number; unprotected: number }; providerErrors: Array<{ provider: { id: string }; code: string }> };
}

describe('a provider list whose records carry no id', () => {
  let harness: Harness;
  let idless: { server: Server; url: string };

  beforeAll(async () => {
    idless = await idlessOnapp();
    harness = await startHarness({ kinds: ['onapp'], configure: [withAccountCopy('onapp', { id: 'onapp-idless', url: idless.url })] });
  });
  afterAll(async () => {
    await harness.close();
    idless.server.close();
  });

  it("is that account's failure, not a healthy account of instances nothing can address, and the other accounts are served", async () => {
    const answer = await harness.gql<Answer>(
      '{ instances { totalCount edges { node { id provider { id } } } providerErrors { provider { id } code message } } protectionSummary { counts { instances unprotected } providerErrors { provider { id } code } } }',
    );
    expect(answer.errors).toBeUndefined();
    const { instances, protectionSummary } = answer.data!;
    expect(instances.providerErrors).toEqual([{ provider: { id: 'onapp-idless' }, code: 'PROVIDER_ERROR', message: 'provider onapp-idless sent a record without its id' }]);
    expect(instances.totalCount).toBeGreaterThan(0);
    expect(new Set(instances.edges.map((edge) => edge.node.provider.id))).toEqual(new Set(['onapp-test']));
    expect(protectionSummary.providerErrors).toEqual([{ provider: { id: 'onapp-idless' }, code: 'PROVIDER_ERROR' }]);
    expect(protectionSummary.counts.instances).toBe(instances.totalCount);
  });
});
