import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_SLOW_READER } from '../../src/server/ws/close.js';
import { type Harness, startHarness, withLimits, withProviderSettings } from '../helpers/harness.js';
import { sendAndStopReading, splitAnswer } from '../helpers/raw-http.js';
import { rawConnection } from '../helpers/ws.js';

/** The limit under test: far below the answer a paused reader is sent. */
const LIMIT = 1024 * 1024;
/** Some 9 MB: more than loopback's socket buffers take, so most of it waits in the gateway. */
const LARGE = '{ a: instances(first: 1000) { edges { node { raw backups { raw } } } } b: instances(first: 1000) { edges { node { raw backups { raw } } } } }';

const post = (query: string): string => {
  const body = JSON.stringify({ query });
  return `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

/** Sends `request` from the local address `from` and resolves with the whole answer once the server closes. */
function exchangeFrom(port: number, from: string, request: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: from });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.write(request);
  });
}

const bodyOf = (raw: Buffer): { errors?: Array<{ message: string; extensions: { code: string } }>; data?: unknown } => JSON.parse(splitAnswer(raw).body.toString('utf8')) as never;

/**
 * One address may open limits.maxConnectionsPerAddress (256) connections, and each held a whole
 * answer it did not read for up to two stall periods (24 s): 256 answers of up to some 30 MB.
 * Past limits.maxUnsentAnswerBytesPerAddress of answers not yet taken, HTTP and WebSocket
 * together, the address's next answers are refused until it reads.
 */
/** Each case builds LARGE's answer: 26 s under a load average of 18 on two cores, past vitest's 30 s (nothing here measures time). */
const BUILD_UNDER_LOAD_MS = 60_000;
/**
 * The WebSocket mutation cases hold Zomro's answer to the create while LARGE's answer is built
 * (holdAnswersOf), as long as that takes: past the default 10 s the gateway gave up on the held
 * call (PROVIDER_TIMEOUT) under a load of 14, and the mutation's answer came before the address
 * was full. The hold ends with the test, so the wait for Zomro must outlast the test.
 */
const HELD_ANSWER_TIMEOUT_MS = 2 * BUILD_UNDER_LOAD_MS;

describe('answers an address has not taken, past limits.maxUnsentAnswerBytesPerAddress', { timeout: BUILD_UNDER_LOAD_MS }, () => {
  let harness: Harness;
  let port: number;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], simulator: { instances: 1000, backupsPerInstance: 10 }, configure: [withLimits({ maxUnsentAnswerBytesPerAddress: LIMIT }), withProviderSettings({ timeoutMs: HELD_ANSWER_TIMEOUT_MS }, 'zomro')] });
    port = Number(new URL(harness.gateway.graphqlUrl).port);
  });
  afterAll(() => harness.close());

  it('refuses the address its next answers (HTTP 429, WebSocket 1013) until it has read, and serves other addresses meanwhile', async () => {
    const reader = await sendAndStopReading(port, post(LARGE));
    try {
      const refused = await exchangeFrom(port, '127.0.0.1', post('{ __typename }'));
      expect(splitAnswer(refused).head).toMatch(/^HTTP\/1\.1 429/);
      const refusal = bodyOf(refused).errors?.[0];
      expect(refusal?.extensions.code).toBe('QUERY_TOO_COMPLEX');
      expect(refusal?.message).toContain('limits.maxUnsentAnswerBytesPerAddress');

      const ws = rawConnection(harness.gateway.graphqlUrl);
      const closed = await ws.closed;
      expect(closed.code).toBe(CLOSE_SLOW_READER);
      expect(closed.reason).toMatch(/^not reading: this address has answers of more than/);

      const elsewhere = await exchangeFrom(port, '127.0.0.2', post('{ __typename }'));
      expect(bodyOf(elsewhere)).toEqual({ data: { __typename: 'Query' } });
    } finally {
      const whole = splitAnswer(await reader.readToEnd());
      // The answer held is delivered whole once read.
      expect(whole.body.length).toBe(whole.contentLength);
      expect(whole.contentLength).toBeGreaterThan(5_000_000);
    }
    const again = await exchangeFrom(port, '127.0.0.1', post('{ __typename }'));
    expect(bodyOf(again)).toEqual({ data: { __typename: 'Query' } });
    // One line per address and kind (per 10 s), however many refusals.
    for (const line of ['HTTP request refused: its address has too many answers unread', 'WebSocket connection closed: its address has too many answers unread']) {
      expect(harness.logs.filter((text) => text.includes(line))).toHaveLength(1);
    }
  });

  it('refuses a mutation from that address before it runs: nothing reaches the provider, so asking again acts once', async () => {
    const list = await exchangeFrom(port, '127.0.0.1', post('{ instances(first: 1) { edges { node { id } } } }'));
    const instanceId = (bodyOf(list).data as { instances: { edges: Array<{ node: { id: string } }> } }).instances.edges[0]!.node.id;
    const mutation = JSON.stringify({ query: 'mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "held" }) { operation { id } } }', variables: { id: instanceId } });
    const reader = await sendAndStopReading(port, post(LARGE));
    try {
      const before = harness.upstreamCount('zomro');
      const refused = await exchangeFrom(port, '127.0.0.1', `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(mutation)}\r\n\r\n${mutation}`);
      expect(splitAnswer(refused).head).toMatch(/^HTTP\/1\.1 429/);
      expect(bodyOf(refused).errors?.[0]?.extensions.code).toBe('QUERY_TOO_COMPLEX');
      expect(harness.upstreamCount('zomro')).toBe(before);
    } finally {
      await reader.readToEnd();
    }
  });

  it('refuses a WebSocket mutation from that address before it runs: the connection closes 1013 and nothing reaches the provider', async () => {
    const list = await exchangeFrom(port, '127.0.0.1', post('{ instances(first: 1) { edges { node { id } } } }'));
    const instanceId = (bodyOf(list).data as { instances: { edges: Array<{ node: { id: string } }> } }).instances.edges[0]!.node.id;
    // Acknowledged before the address holds anything.
    const ws = rawConnection(harness.gateway.graphqlUrl);
    expect(await ws.acknowledged).toBe(true);
    const reader = await sendAndStopReading(port, post(LARGE));
    try {
      const before = harness.upstreamCount('zomro');
      ws.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "held-ws" }) { operation { id } } }', variables: { id: instanceId } } }));
      expect((await ws.closed).code).toBe(CLOSE_SLOW_READER);
      expect(harness.upstreamCount('zomro')).toBe(before);
    } finally {
      await reader.readToEnd();
    }
  });

  it("sends a WebSocket mutation's answer that comes when the address is full: the mutation acted, and a close would have the client send it again", async () => {
    const list = await exchangeFrom(port, '127.0.0.1', post('{ instances(first: 1) { edges { node { id } } } }'));
    const instanceId = (bodyOf(list).data as { instances: { edges: Array<{ node: { id: string } }> } }).instances.edges[0]!.node.id;
    const ws = rawConnection(harness.gateway.graphqlUrl);
    expect(await ws.acknowledged).toBe(true);
    // Zomro does the create at once and holds its answer until the large answer below fills the
    // address (a fixed 4 s delay ran out first under load: building that answer took longer).
    const createAnswer = harness.simulator('zomro').server.holdAnswersOf('instances.fleio_bckps.edit');
    type Message = { id?: string; type: string; payload?: { data?: unknown; errors?: unknown } };
    // The mutation's messages, up to its `complete` or the connection's close.
    const messages: Message[] = [];
    const ended = new Promise<string>((resolve) => {
      ws.socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as Message;
        if (message.id !== 'acts') return;
        messages.push(message);
        if (message.type === 'complete') resolve('complete');
      });
      void ws.closed.then((closed) => resolve(`closed ${closed.code}: ${closed.reason}`));
    });
    ws.socket.send(JSON.stringify({ id: 'acts', type: 'subscribe', payload: { query: 'mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "acted-ws" }) { operation { id } } }', variables: { id: instanceId } } }));
    await createAnswer.arrived;
    const reader = await sendAndStopReading(port, post(LARGE));
    try {
      // The address is full now, before the mutation's answer came (else the test shows nothing).
      expect(messages).toEqual([]);
      expect(splitAnswer(await exchangeFrom(port, '127.0.0.1', post('{ __typename }'))).head).toMatch(/^HTTP\/1\.1 429/);
      createAnswer.release();
      // Its `next` and its `complete` both: a connection closed before the `complete`, graphql-ws's client sends the mutation again.
      expect(await ended).toBe('complete');
      expect(messages.map((message) => message.type)).toEqual(['next', 'complete']);
      expect(messages[0]?.payload?.errors).toBeUndefined();
      expect(messages[0]?.payload?.data).toMatchObject({ createBackup: { operation: { id: expect.any(String) } } });
    } finally {
      createAnswer.release();
      await reader.readToEnd();
      ws.socket.close();
    }
  });
  it('keeps a WebSocket connection open for its running mutation when another operation on it is refused for the full address: the close waits for the answer', async () => {
    const list = await exchangeFrom(port, '127.0.0.1', post('{ instances(first: 1) { edges { node { id } } } }'));
    const instanceId = (bodyOf(list).data as { instances: { edges: Array<{ node: { id: string } }> } }).instances.edges[0]!.node.id;
    const ws = rawConnection(harness.gateway.graphqlUrl);
    expect(await ws.acknowledged).toBe(true);
    // Zomro does the create at once and holds its answer until the large answer below fills the
    // address (a fixed 4 s delay ran out first under load: building that answer took longer).
    const createAnswer = harness.simulator('zomro').server.holdAnswersOf('instances.fleio_bckps.edit');
    type Message = { id?: string; type: string; payload?: { data?: unknown; errors?: unknown } };
    const messages: Message[] = [];
    const ended = new Promise<string>((resolve) => {
      ws.socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as Message;
        if (message.id !== 'acts') return;
        messages.push(message);
        if (message.type === 'complete') resolve('complete');
      });
      void ws.closed.then((closed) => resolve(`closed ${closed.code}: ${closed.reason}`));
    });
    ws.socket.send(JSON.stringify({ id: 'acts', type: 'subscribe', payload: { query: 'mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "acted-beside-a-refusal" }) { operation { id } } }', variables: { id: instanceId } } }));
    await createAnswer.arrived;
    const reader = await sendAndStopReading(port, post(LARGE));
    try {
      expect(splitAnswer(await exchangeFrom(port, '127.0.0.1', post('{ __typename }'))).head).toMatch(/^HTTP\/1\.1 429/);
      // A query on the mutation's connection while the address is full: refused, and the refusal
      // would close the connection (1013) before the mutation's answer (before: it did).
      ws.socket.send(JSON.stringify({ id: 'asks', type: 'subscribe', payload: { query: '{ __typename }' } }));
      // Nothing tells the client of that refusal; an HTTP round trip through the gateway takes
      // many more turns than answering `__typename`, so the refusal is in before the answer is let out.
      expect(splitAnswer(await exchangeFrom(port, '127.0.0.1', post('{ __typename }'))).head).toMatch(/^HTTP\/1\.1 429/);
      createAnswer.release();
      expect(await ended).toBe('complete');
      expect(messages.map((message) => message.type)).toEqual(['next', 'complete']);
      expect(messages[0]?.payload?.data).toMatchObject({ createBackup: { operation: { id: expect.any(String) } } });
      // Then it closes, as it would have for the refusal: the client sends the query again.
      expect((await ws.closed).code).toBe(CLOSE_SLOW_READER);
    } finally {
      createAnswer.release();
      await reader.readToEnd();
      ws.socket.close();
    }
  });
});
