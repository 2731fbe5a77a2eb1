import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';
import { type RawConnection, rawConnection } from '../helpers/ws.js';

/**
 * Guards (they pass on the code they came with): a hash alone over WebSocket is answered from
 * the caller's own registrations only (an anonymous caller's address, as over HTTP), and the
 * mark that tells the gateway a message was a hash alone holds for that message alone: the next
 * message on the connection, sent in the same write, is read as it was sent.
 */
const KEY = 'ws-hash-alone-guards-0123456789';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

interface Message {
  id?: string;
  type: string;
  payload?: unknown;
}
type Errors = Array<{ message: string }>;

describe('WebSocket: a hash alone answers only its own caller, and only its own message', () => {
  let harness: Harness;
  const connections: RawConnection[] = [];
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      // The connections come from loopback: each names its client in X-Forwarded-For, as a proxy would.
      configure: (config) => ({
        ...config,
        allowAnonymous: true,
        clients: [{ name: 'viewer', key: KEY, roles: ['viewer'] }],
        listen: { ...(config.listen as object), trustedProxies: ['loopback'] },
      }),
    });
  });
  afterAll(async () => {
    for (const connection of connections) connection.socket.close();
    await harness.close();
  });

  /** A connection and every message it is sent, from `address` (behind the trusted proxy). */
  const connect = async (address: string, key?: string) => {
    const connection = rawConnection(harness.gateway.graphqlUrl, key, { 'x-forwarded-for': address });
    connections.push(connection);
    const messages: Message[] = [];
    connection.socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
    expect(await connection.acknowledged).toBe(true);
    /** The `next` payload or `error` errors of operation `id`, once it ended. */
    const ended = async (id: string) => {
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!messages.some((message) => message.id === id && (message.type === 'complete' || message.type === 'error'))) return;
          connection.socket.off('message', check);
          resolve();
        };
        connection.socket.on('message', check);
        void connection.closed.then(() => reject(new Error('closed')));
        check();
      });
      const error = messages.find((message) => message.id === id && message.type === 'error');
      return error ? { errors: error.payload as Errors } : (messages.find((message) => message.id === id && message.type === 'next')?.payload as { data?: unknown; errors?: Errors });
    };
    const send = (sent: { id: string; payload: Record<string, unknown> }) => connection.socket.send(JSON.stringify({ id: sent.id, type: 'subscribe', payload: sent.payload }));
    return { connection, ended, send };
  };

  it("answers an anonymous hash alone to the address that registered it, and to no other address or keyed client", async () => {
    const query = '{ instances(first: 4) { totalCount } }';
    const registering = await connect('203.0.113.7');
    registering.send({ id: 'register', payload: { query, extensions: persisted(query) } });
    const registered = await registering.ended('register');
    expect(registered.errors).toBeUndefined();
    registering.send({ id: 'again', payload: { extensions: persisted(query) } });
    expect(await registering.ended('again')).toEqual(registered);

    const other = await connect('198.51.100.9');
    other.send({ id: 'other', payload: { extensions: persisted(query) } });
    expect((await other.ended('other')).errors?.map((error) => error.message)).toEqual(['PersistedQueryNotFound']);

    const keyed = await connect('203.0.113.7', KEY);
    keyed.send({ id: 'keyed', payload: { extensions: persisted(query) } });
    expect((await keyed.ended('keyed')).errors?.map((error) => error.message)).toEqual(['PersistedQueryNotFound']);
  });

  it('answers over WebSocket an anonymous hash alone registered over HTTP from the same address, and only from it', async () => {
    const query = '{ instances(first: 6) { totalCount } }';
    const response = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.8' },
      body: JSON.stringify({ query, extensions: persisted(query) }),
    });
    const http = (await response.json()) as { data?: unknown; errors?: Errors };
    expect(http.errors).toBeUndefined();
    const same = await connect('203.0.113.8');
    same.send({ id: 'same', payload: { extensions: persisted(query) } });
    expect(await same.ended('same')).toEqual({ data: http.data });
    const other = await connect('203.0.113.9');
    other.send({ id: 'other', payload: { extensions: persisted(query) } });
    expect((await other.ended('other')).errors?.map((error) => error.message)).toEqual(['PersistedQueryNotFound']);
  });

  it('reads the message after a hash alone as sent: a text whose hash is not its own is refused, not run by the hash', async () => {
    const registeredQuery = '{ instances(first: 5) { totalCount } }';
    const caller = await connect('192.0.2.44', KEY);
    caller.send({ id: 'register', payload: { query: registeredQuery, extensions: persisted(registeredQuery) } });
    expect((await caller.ended('register')).errors).toBeUndefined();
    // Back to back, as fast as the client can write them: a hash alone, then a text naming the registered hash.
    caller.send({ id: 'alone', payload: { extensions: persisted(registeredQuery) } });
    caller.send({ id: 'text', payload: { query: '{ providers { id } }', extensions: persisted(registeredQuery) } });
    expect((await caller.ended('alone')).errors).toBeUndefined();
    expect((await caller.ended('text')).errors?.map((error) => error.message)).toEqual(['provided sha does not match query']);
    // And a plain text after a hash alone runs itself.
    caller.send({ id: 'alone-2', payload: { extensions: persisted(registeredQuery) } });
    caller.send({ id: 'plain', payload: { query: '{ providers { id } }' } });
    expect(await caller.ended('plain')).toEqual({ data: { providers: [{ id: 'zomro-test' }] } });
  });
});
