import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANOTHER_ORIGIN_MESSAGE } from '../../src/server/ws/admission.js';
import { errorCodes, startHarness, withClients, type Harness } from '../helpers/harness.js';
import { rawConnection, wsClient, wsRun } from '../helpers/ws.js';

const KEY = 'dashboard-key-0123456789abcdef';

describe('callers without a key, where allowAnonymous lets them in', () => {
  describe('alone (no clients configured: the anonymous caller is an admin)', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness({ kinds: ['zomro'] });
    });
    afterAll(() => harness.close());

    it('refuses a WebSocket from a page of another origin with 4403 (any site the user visits could act as that admin)', async () => {
      for (const origin of ['https://evil.example', 'http://localhost:8999', 'null']) {
        const connection = rawConnection(harness.gateway.graphqlUrl, undefined, { origin });
        expect(await connection.acknowledged).toBe(false);
        expect(await connection.closed).toEqual({ code: 4403, reason: ANOTHER_ORIGIN_MESSAGE });
      }
    });

    it('serves a WebSocket from the gateway’s own page (GraphiQL) and from clients that send no Origin', async () => {
      const own = rawConnection(harness.gateway.graphqlUrl, undefined, { origin: harness.gateway.url });
      expect(await own.acknowledged).toBe(true);
      own.socket.close();
      const client = wsClient(harness.gateway.graphqlUrl);
      try {
        const answer = await wsRun(client, '{ providers { id } }');
        expect(answer.data).toEqual({ providers: [{ id: 'zomro-test' }] });
      } finally {
        await client.dispose();
      }
    });
  });

  describe('beside clients with keys', () => {
    let harness: Harness;
    let instanceId: string;
    beforeAll(async () => {
      harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'dashboard', key: KEY, roles: ['operator'] }], { allowAnonymous: true }) });
      const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
      instanceId = list.data!.instances.edges[0]!.node.id;
    });
    afterAll(() => harness.close());

    const create = (key?: string) =>
      harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId, name: `b-${Math.random()}` } }, key ? { key } : {});

    it('lets it read but not write: a viewer unless anonymousRole says otherwise (it was an admin, the keys’ roles pointless)', async () => {
      expect(errorCodes(await create())).toEqual(['FORBIDDEN']);
      expect(errorCodes(await create(KEY))).toEqual([]);
      const read = await harness.gql<{ providers: Array<{ id: string }> }>('{ providers { id } }');
      expect(read.data?.providers).toEqual([{ id: 'zomro-test' }]);
    });

    it('serves a page of another origin that holds a key, and refuses one without', async () => {
      const withKey = rawConnection(harness.gateway.graphqlUrl, KEY, { origin: 'https://dashboard.example' });
      expect(await withKey.acknowledged).toBe(true);
      withKey.socket.close();
      const without = rawConnection(harness.gateway.graphqlUrl, undefined, { origin: 'https://dashboard.example' });
      expect(await without.closed).toEqual({ code: 4403, reason: ANOTHER_ORIGIN_MESSAGE });
    });
  });

  it('gives the anonymous caller the role anonymousRole names', async () => {
    const harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'dashboard', key: KEY, roles: ['viewer'] }], { allowAnonymous: true, anonymousRole: 'operator' }) });
    try {
      const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
      const created = await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: list.data!.instances.edges[0]!.node.id, name: 'by-anonymous' } });
      expect(errorCodes(created)).toEqual([]);
    } finally {
      await harness.close();
    }
  });
});
