import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { eventually, type Harness, startHarness, withClients, withLimits } from '../helpers/harness.js';
import { rawConnection, wsClient, wsRun, wsUrl, type RawConnection } from '../helpers/ws.js';
import WebSocket from 'ws';
import { MAX_WAITING_PER_ADDRESS } from '../../src/server/ws-server.js';

const KEYS = {
  viewer: 'ws-viewer-key-0123456789abcdef',
  operator: 'ws-operator-key-0123456789abcdef',
  other: 'ws-other-key-0123456789abcdef',
  third: 'ws-third-key-0123456789abcdef',
};
const BODY_LIMIT = 64 * 1024;

const codes = (answer: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => (answer.errors ?? []).map((error) => String(error.extensions?.code));

/**
 * Opens a WebSocket by hand and sends only the header of a frame announcing
 * `bytes` of payload: the server must refuse it from the header alone.
 */
function announceFrame(graphqlUrl: string, bytes: number): Promise<{ code: number; sentBytes: number }> {
  const { hostname, port } = new URL(graphqlUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let upgraded = false;
    let sentBytes = 0;
    socket.on('error', reject);
    socket.on('connect', () => {
      socket.write(
        `GET /graphql HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!upgraded) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!received.subarray(0, end).toString().startsWith('HTTP/1.1 101')) return reject(new Error(received.toString()));
        upgraded = true;
        received = received.subarray(end + 4);
        // FIN + text frame, masked, 64-bit length, zero mask; then a few bytes of a connection_init.
        const header = Buffer.alloc(14);
        header[0] = 0x81;
        header[1] = 0x80 | 127;
        header.writeBigUInt64BE(BigInt(bytes), 2);
        const start = Buffer.from('{"type":"connection_init","payload":{"pad":"');
        socket.write(Buffer.concat([header, start]));
        sentBytes = start.length;
      }
      // The server's close frame: opcode 8, then the status code.
      if (received.length >= 4 && (received[0]! & 0x0f) === 0x8) {
        resolve({ code: received.readUInt16BE(2), sentBytes });
        socket.destroy();
      }
    });
  });
}

/** A WebSocket that opens and then says nothing (no connection_init). */
function silentSocket(graphqlUrl: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(graphqlUrl), 'graphql-transport-ws');
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('GraphQL over WebSocket: the same pipeline and limits as HTTP', () => {
  let harness: Harness;
  const clients: Client[] = [];
  const raws: RawConnection[] = [];
  const client = (key: string) => {
    const made = wsClient(harness.gateway.graphqlUrl, key);
    clients.push(made);
    return made;
  };
  const raw = (key: string) => {
    const made = rawConnection(harness.gateway.graphqlUrl, key);
    raws.push(made);
    return made;
  };

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withClients(
          [
            { name: 'dashboard', key: KEYS.viewer, roles: ['viewer'] },
            { name: 'automation', key: KEYS.operator, roles: ['operator'] },
            { name: 'other', key: KEYS.other, roles: ['viewer'] },
            { name: 'third', key: KEYS.third, roles: ['viewer'] },
          ],
          { introspection: false },
        ),
        withLimits({ bodyLimitBytes: BODY_LIMIT, maxListArgument: 100, maxWsConnections: 7, maxWsConnectionsPerClient: 3, maxSubscriptionsPerConnection: 3 }),
      ],
    });
  });
  afterAll(async () => {
    await Promise.all(clients.map((made) => made.dispose()));
    for (const made of raws) made.socket.terminate();
    await harness.close();
  });

  it('refuses introspection when it is off, naming the config key', async () => {
    const answer = await wsRun(client(KEYS.viewer), '{ __schema { types { name } } }');
    expect(answer.data ?? null).toBeNull();
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors![0]!.message).toContain('introspection: true');
  });

  it('refuses 200 aliases with QUERY_TOO_COMPLEX, as HTTP does', async () => {
    const query = `{ ${Array.from({ length: 200 }, (_, index) => `a${index}: providers { id }`).join(' ')} }`;
    const answer = await wsRun(client(KEYS.viewer), query);
    expect(codes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answer.errors![0]!.message).not.toMatch(/^Syntax Error/);
    expect(codes(await harness.gql(query, {}, { key: KEYS.viewer }))).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('refuses deep nesting before any upstream call', async () => {
    harness.resetUpstreamLogs();
    const deep = '{ backups { edges { node { instance { backups { instance { backups { instance { backups { instance { backups { id } } } } } } } } } } } }';
    const answer = await wsRun(client(KEYS.viewer), deep);
    expect(codes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answer.errors![0]!.message).toMatch(/^Query depth limit of 10 exceeded/);
    expect(harness.upstreamCount()).toBe(0);
  });

  it('prices lists passed in variables as HTTP does: 200 forged _entities (limit 100) refused before any upstream call', async () => {
    harness.resetUpstreamLogs();
    const representations = Array.from({ length: 200 }, (_, index) => ({ __typename: 'Operation', id: encodeId('Operation', 'zomro-test', ['CREATE_BACKUP', String(1_700_000_000_000 + index), String(900_000 + index), String(index)]) }));
    const answer = await wsRun(client(KEYS.viewer), 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Operation { id } } }', { r: representations });
    expect(codes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(harness.upstreamCount()).toBe(0);
  });

  it('answers queries as HTTP does, and client mistakes with BAD_USER_INPUT and no schema hints', async () => {
    const viewer = client(KEYS.viewer);
    const ok = await wsRun(viewer, '{ providers { id } }');
    expect(ok).toEqual({ data: { providers: [{ id: 'zomro-test' }] } });
    const typo = await wsRun(viewer, '{ instancs { totalCount } }');
    expect(codes(typo)).toEqual(['BAD_USER_INPUT']);
    expect(typo.errors![0]!.message).not.toContain('Did you mean');
    const badEnum = await wsRun(viewer, 'query($k: ProviderKind) { instances(kind: $k) { totalCount } }', { k: 'ZOMR' });
    expect(codes(badEnum)).toEqual(['BAD_USER_INPUT']);
    expect(badEnum.errors![0]!.message).toContain('$k');
    expect(badEnum.errors![0]!.message).not.toContain('Did you mean');
    const forbidden = await wsRun(viewer, 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: 'x', name: 'y' } });
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);
    expect(codes(await wsRun(viewer, '{ _service { sdl } }'))).toEqual(['FORBIDDEN']);
  });

  it('refuses a connection_init larger than the body limit from the frame header, without reading it', async () => {
    const { code, sentBytes } = await announceFrame(harness.gateway.graphqlUrl, 80 * 1024 * 1024);
    expect(code).toBe(1009);
    expect(sentBytes).toBeLessThan(100);
  });

  it('caps connections per client key with a 4429 close, and frees the slot when one closes', async () => {
    const mine = [raw(KEYS.other), raw(KEYS.other), raw(KEYS.other)];
    expect(await Promise.all(mine.map((connection) => connection.acknowledged))).toEqual([true, true, true]);
    const over = raw(KEYS.other);
    expect(await over.acknowledged).toBe(false);
    expect(await over.closed).toEqual({ code: 4429, reason: expect.stringContaining('too many connections for this client') });
    // Another key is not affected.
    expect(await raw(KEYS.third).acknowledged).toBe(true);
    mine[0]!.socket.close();
    await mine[0]!.closed;
    expect(await raw(KEYS.other).acknowledged).toBe(true);
  });

  it('caps connections in total with a 4429 close', async () => {
    // Open until the total cap (7) is reached: 4 are open from the test above.
    const more = [raw(KEYS.third), raw(KEYS.third), raw(KEYS.viewer)];
    expect(await Promise.all(more.map((connection) => connection.acknowledged))).toEqual([true, true, true]);
    const over = raw(KEYS.viewer);
    expect(await over.closed).toEqual({ code: 4429, reason: expect.stringContaining('too many connections (limit 7)') });
    for (const connection of [...raws]) connection.socket.close();
    await Promise.all(raws.map((connection) => connection.closed));
  });

  it('sockets that never send connection_init hold no place under the total cap: past it, a client with a key still connects', async () => {
    const silent = await Promise.all(Array.from({ length: 9 }, () => silentSocket(harness.gateway.graphqlUrl)));
    try {
      expect(silent.every((socket) => socket.readyState === WebSocket.OPEN)).toBe(true);
      const keyed = raw(KEYS.viewer);
      expect(await keyed.acknowledged).toBe(true);
      keyed.socket.close();
      await keyed.closed;
    } finally {
      for (const socket of silent) socket.terminate();
    }
  });

  it(`caps sockets waiting for connection_init at ${MAX_WAITING_PER_ADDRESS} per address, with a 4429 close`, async () => {
    const silent = await Promise.all(Array.from({ length: MAX_WAITING_PER_ADDRESS }, () => silentSocket(harness.gateway.graphqlUrl)));
    try {
      const over = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
      over.on('error', () => {});
      const closed = await new Promise<{ code: number; reason: string }>((resolve) => over.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      expect(closed).toEqual({ code: 4429, reason: `too many connections waiting for connection_init from this address (limit ${MAX_WAITING_PER_ADDRESS})` });
    } finally {
      for (const socket of silent) socket.terminate();
    }
    // Their places are given back as they close.
    await eventually(async () => {
      const socket = await silentSocket(harness.gateway.graphqlUrl);
      const stillOpen = await new Promise<boolean>((resolve) => {
        socket.once('close', () => resolve(false));
        setImmediate(() => resolve(socket.readyState === WebSocket.OPEN));
      });
      socket.terminate();
      return stillOpen;
    }, (open) => open);
  });

  it('caps operations per connection: the one over the cap gets a typed error message, the others keep running', async () => {
    (harness.simulator('zomro').simulator as ZomroSimulator).asyncDelayMs = 60_000;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }', {}, { key: KEYS.operator });
    // One operation per subscription: the watcher tells a late subscriber of a shared operation nothing until its status changes.
    const ids: string[] = [];
    for (const edge of list.data!.instances.edges.slice(0, 5)) {
      const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(
        'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
        { input: { instanceId: edge.node.id, name: 'capped' } },
        { key: KEYS.operator },
      );
      ids.push(created.data!.createBackup.operation.id);
    }
    const operator = client(KEYS.operator);
    const query = 'subscription($id: ID!) { operationUpdated(id: $id) { status } }';
    const follow = (id: string) => {
      let unsubscribe = () => {};
      const first = new Promise<{ status?: string; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>((resolve, reject) => {
        unsubscribe = operator.subscribe<{ operationUpdated: { status: string } }>(
          { query, variables: { id } },
          {
            next: (value) => resolve({ status: value.data?.operationUpdated.status }),
            error: (error: unknown) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
            complete: () => {},
          },
        );
      });
      return { first, unsubscribe: () => unsubscribe() };
    };
    const running = [follow(ids[0]!), follow(ids[1]!), follow(ids[2]!)];
    expect(await Promise.all(running.map((item) => item.first))).toEqual([{ status: 'RUNNING' }, { status: 'RUNNING' }, { status: 'RUNNING' }]);
    const refused = await follow(ids[3]!).first;
    expect(codes(refused)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(refused.errors![0]!.message).toContain('Subscription limit of 3 per connection');
    running[0]!.unsubscribe();
    expect(await follow(ids[4]!).first).toEqual({ status: 'RUNNING' });
  });
});
