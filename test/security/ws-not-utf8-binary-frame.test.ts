import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_UTF8_MESSAGE } from '../../src/server/utf8-body.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { rawConnection } from '../helpers/ws.js';

const CREATE = 'mutation($id: ID!, $key: String!) { createBackup(input: { instanceId: $id, name: "utf8-ws", idempotencyKey: $key }) { operation { id } } }';

/** A subscribe message whose idempotency key is `key` (bytes as they are), the rest ASCII. */
const subscribeWithKey = (id: string, instanceId: string, key: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`{"id":"${id}","type":"subscribe","payload":{"query":${JSON.stringify(CREATE)},"variables":{"id":${JSON.stringify(instanceId)},"key":"`), key, Buffer.from('"}}}')]);

/**
 * ws checks a text frame is UTF-8 (1007 if not) but not a binary one, and the gateway read a
 * binary frame's bytes as text with each bad sequence U+FFFD: the HTTP hole not-utf8-body closes
 * (two idempotency keys differing only in such bytes were one key), open over WebSocket.
 */
describe('WebSocket: a binary frame that is not UTF-8 closes the connection before anything runs', () => {
  let harness: Harness;
  let instanceId: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 1) { edges { node { id } } } }');
    instanceId = listed.data!.instances.edges[0]!.node.id;
  });
  afterAll(() => harness?.close());

  it('a key in Latin-1 (E9) in a binary frame: closed 1007, no provider call', async () => {
    harness.resetUpstreamLogs();
    const connection = rawConnection(harness.gateway.graphqlUrl);
    expect(await connection.acknowledged).toBe(true);
    // Whichever comes first: the close, or (as before) the mutation's answer, having acted.
    const answeredOrClosed = Promise.race([
      connection.closed,
      new Promise<string>((resolve) => connection.socket.on('message', (data) => resolve(String(data)))),
    ]);
    connection.socket.send(subscribeWithKey('1', instanceId, Buffer.from([0x6b, 0x2d, 0xe9])), { binary: true });
    expect(await answeredOrClosed).toEqual({ code: 1007, reason: NOT_UTF8_MESSAGE });
    expect(harness.upstreamCount('onapp')).toBe(0);
  });

  it('a connection_init in a binary frame cut mid-character: closed 1007', async () => {
    const connection = rawConnection(harness.gateway.graphqlUrl);
    connection.socket.removeAllListeners('open');
    connection.socket.once('open', () => connection.socket.send(Buffer.from([...Buffer.from('{"type":"connection_init","payload":{"x":"'), 0xc3, ...Buffer.from('"}}')]), { binary: true }));
    expect(await connection.acknowledged).toBe(false);
    expect(await connection.closed).toEqual({ code: 1007, reason: NOT_UTF8_MESSAGE });
  });

  it('guard: a binary frame in UTF-8 (é, an emoji) is read as before', async () => {
    const connection = rawConnection(harness.gateway.graphqlUrl);
    expect(await connection.acknowledged).toBe(true);
    const answered = new Promise<{ type: string; payload?: { errors?: unknown } }>((resolve) =>
      connection.socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; payload?: { errors?: unknown } };
        if (message.type === 'next') resolve(message);
      }),
    );
    connection.socket.send(subscribeWithKey('1', instanceId, Buffer.from('k-é-\u{1f600}')), { binary: true });
    const message = await answered;
    expect(message.payload?.errors).toBeUndefined();
    connection.socket.close();
  });
});
