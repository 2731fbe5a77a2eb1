import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DANUBE_SIM_API_KEY } from '../../src/providers/danube/simulator.js';
import { errorCodes, type Harness, startHarness, withLimits } from '../helpers/harness.js';
import { wsRun, wsUrl, type WsAnswer } from '../helpers/ws.js';

/**
 * Guards (pass on the current code): limits.secretTextRefusals counts a caller without a key by
 * its address, and its IPv4 /24 or IPv6 /48 together. One IPv4 host has other spellings a
 * client or proxy can choose (IPv4-mapped IPv6, NAT64), and one /24 holds 256 6to4 /48s: counted
 * as written, each would be a fresh count. And a WebSocket's writes are counted as the same
 * address's over HTTP, both ways.
 */

const NOTE = 'mutation($input: UpdateBackupNoteInput!) { updateBackupNote(input: $input) { backup { id note } } }';
const PIECE = DANUBE_SIM_API_KEY.slice(12, 20);
const PER_KEY = 2;

describe('writes refused for credential text, callers without a key, however their address is spelled', () => {
  let harness: Harness;
  let backupId: string;

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['danube'],
      // The test's requests come from loopback: each names its client in X-Forwarded-For, as a proxy would.
      configure: [
        (config) => ({ ...config, allowAnonymous: true, anonymousRole: 'operator', listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
        withLimits({ secretTextRefusals: { perKey: PER_KEY, windowMs: 3_600_000 } }),
      ],
    });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> | null } }> } }>('{ instances(first: 100) { edges { node { backups { id } } } } }', {}, { headers: { 'x-forwarded-for': '192.0.2.1' } });
    backupId = list.data!.instances.edges.flatMap((edge) => edge.node.backups ?? [])[0]!.id;
  });
  afterAll(() => harness.close());

  const noteFrom = (address: string, note: string) => harness.gql(NOTE, { input: { backupId, note } }, { headers: { 'x-forwarded-for': address } });

  /** One note written over a WebSocket whose upgrade named `address` in X-Forwarded-For. */
  async function wsNoteFrom(address: string, note: string): Promise<WsAnswer> {
    class FromAddress extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { 'x-forwarded-for': address } });
      }
    }
    const client = createClient({ url: wsUrl(harness.gateway.graphqlUrl), webSocketImpl: FromAddress, lazy: true, retryAttempts: 0 });
    try {
      return await wsRun(client, NOTE, { input: { backupId, note } });
    } finally {
      await client.dispose();
    }
  }
  const wsCodes = (answer: WsAnswer): string[] => (answer.errors ?? []).map((error) => String(error.extensions?.code));

  it('an IPv4 address refused as IPv4-mapped IPv6 is held as itself and as NAT64', async () => {
    for (let attempt = 0; attempt < PER_KEY; attempt++) expect(errorCodes(await noteFrom('::ffff:192.0.2.77', `try ${attempt}: ${PIECE}`))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await noteFrom('192.0.2.77', 'an ordinary note'))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await noteFrom('64:ff9b::c000:24d', 'an ordinary note'))).toEqual(['FORBIDDEN']);
    expect((await noteFrom('192.0.2.78', 'an ordinary note')).errors).toBeUndefined();
  });

  it("6to4 /48s of four addresses of one /24 hold the /24, its IPv4 addresses too", async () => {
    for (const last of [1, 2, 3, 4]) {
      for (let attempt = 0; attempt < PER_KEY; attempt++) expect(errorCodes(await noteFrom(`2002:c612:07${last.toString(16).padStart(2, '0')}::1`, `try ${attempt}: ${PIECE}`))).toEqual(['BAD_USER_INPUT']);
    }
    const held = await noteFrom('198.18.7.200', 'an ordinary note');
    expect(errorCodes(held)).toEqual(['FORBIDDEN']);
    expect(held.errors?.[0]?.message).toMatch(/^writes refused: this address's \/24 wrote text/);
    expect((await noteFrom('198.18.8.1', 'an ordinary note')).errors).toBeUndefined();
  });

  it('an address held over HTTP is held over a WebSocket, and refusals over a WebSocket hold it over HTTP', async () => {
    for (let attempt = 0; attempt < PER_KEY; attempt++) expect(errorCodes(await noteFrom('203.0.113.99', `try ${attempt}: ${PIECE}`))).toEqual(['BAD_USER_INPUT']);
    expect(wsCodes(await wsNoteFrom('203.0.113.99', 'an ordinary note'))).toEqual(['FORBIDDEN']);
    for (let attempt = 0; attempt < PER_KEY; attempt++) expect(wsCodes(await wsNoteFrom('203.0.113.120', `try ${attempt}: ${PIECE}`))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await noteFrom('203.0.113.120', 'an ordinary note'))).toEqual(['FORBIDDEN']);
    expect(wsCodes(await wsNoteFrom('203.0.113.121', 'an ordinary note'))).toEqual([]);
  });
});
