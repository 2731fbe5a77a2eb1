import type { Socket } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { eventually, startHarness, withLimits, withProviderSettings, type Harness } from '../helpers/harness.js';
import { SlowLink } from '../helpers/slow-link.js';
import { wsUrl } from '../helpers/ws.js';

/** The cap under test (`limits.maxWsBufferedBytes`), far below the answers queued behind the slow link. */
const CAP = 256 * 1024;
/** Some 1.4 MB each: eight of them are more than loopback's kernel buffers take, so the rest waits in the gateway. */
const LARGE = '{ instances(first: 300) { edges { node { raw backups { raw } } } } }';
const LARGE_QUERIES = 8;
const CREATE_LABEL = 'instances.fleio_bckps.edit';
const CREATE = 'mutation($id: ID!, $name: String!) { createBackup(input: { instanceId: $id, name: $name }) { operation { id } } }';
/** What the slow link lets through at a time. */
const CHUNK_BYTES = 256 * 1024;
/**
 * The provider's time to answer (the most `timeoutMs` takes): the test holds the create's answer
 * and releases it itself, so this never runs out (the 10 s default did, on a loaded machine,
 * while the queries filled the connection, and the mutation failed PROVIDER_TIMEOUT).
 */
const PROVIDER_TIMEOUT_MS = 600_000;

type Outcome = { data?: { createBackup?: { operation: { id: string } } } | null; errors?: Array<{ extensions?: { code?: string } }> };

/** Each small text the gateway writes to its connections (ws writes a frame's payload as the string it was given), and what it held unsent just before. */
function watchWrites(harness: Harness, sockets: Socket[]): Array<{ text: string; queuedBefore: number }> {
  const writes: Array<{ text: string; queuedBefore: number }> = [];
  harness.gateway.httpServer.on('connection', (socket: Socket) => {
    sockets.push(socket);
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].length < 64 * 1024) writes.push({ text: args[0], queuedBefore: socket.writableLength });
      return write(...args);
    }) as typeof socket.write;
  });
  return writes;
}

const slowReaderCloses = (harness: Harness): number => harness.logs.filter((line) => line.includes('WebSocket connection closed: the client is not reading its answers')).length;

/**
 * A mutation over a WebSocket whose client falls behind while the mutation runs: queries on the
 * same connection are answered with more than `limits.maxWsBufferedBytes` it has not taken. The
 * send cap closed the connection 1013 there, before the mutation's answer, and graphql-ws's client
 * (like every client of the protocol: an operation without its `complete` did not happen) sent
 * the mutation again when it reconnected: the provider made the backup twice.
 */
describe('a WebSocket mutation on a connection that falls past limits.maxWsBufferedBytes while it runs', () => {
  let harness: Harness;
  let writes: Array<{ text: string; queuedBefore: number }>;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], simulator: { instances: 300, backupsPerInstance: 10 }, configure: [withLimits({ maxWsBufferedBytes: CAP }), withProviderSettings({ timeoutMs: PROVIDER_TIMEOUT_MS })] });
    writes = watchWrites(harness, sockets);
  });
  afterAll(() => harness?.close());

  it("delivers the mutation's answer before the connection closes, so the client's retry does not act again", async () => {
    const simulator = harness.simulator('zomro');
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 1) { edges { node { id } } } }');
    const instanceId = listed.data!.instances.edges[0]!.node.id;
    const name = 'acted-once-past-the-cap';
    const answerWrite = () => writes.find((write) => write.text.includes('"createBackup"'));
    const creates = () => simulator.server.log.filter((request) => request.label === CREATE_LABEL && request.form.name === name).length;
    // The provider makes the backup at once and holds its answer until the queries below have
    // filled the connection past the cap (a fixed 8 s delay ran out first on a loaded machine).
    const createAnswer = simulator.server.holdAnswersOf(CREATE_LABEL);

    const link = await SlowLink.open(harness.gateway.graphqlUrl);
    let connections = 0;
    const client: Client = createClient({
      url: wsUrl(link.graphqlUrl),
      webSocketImpl: WebSocket,
      lazy: false,
      // As an application would: a dropped connection is tried again, at once here.
      retryAttempts: 3,
      retryWait: async () => {},
      on: { connected: () => (connections += 1) },
    });
    let outcome: Outcome | undefined;
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    try {
      await eventually(
        async () => connections,
        (count) => count === 1,
      );
      client.subscribe<Outcome['data']>(
        { query: CREATE, variables: { id: instanceId, name } },
        {
          next: (value) => (outcome = value as Outcome),
          error: (error) => {
            outcome = { errors: [{ extensions: { code: `error: ${String(error)}` } }] };
            settle();
          },
          complete: settle,
        },
      );
      // The provider has acted: the backup exists, its answer is on its way.
      const zomro = simulator.simulator as ZomroSimulator;
      await eventually(
        async () => [...zomro.backups.values()].some((backup) => backup.name === name),
        Boolean,
      );

      // The client's link slows down, and it asks for more than it can take before the mutation is answered.
      link.hold();
      for (let index = 0; index < LARGE_QUERIES; index += 1) client.subscribe({ query: LARGE }, { next: () => {}, error: () => {}, complete: () => {} });
      // Until the gateway holds more than the cap unsent on the connection; then the provider answers.
      await eventually(
        async () => sockets.some((socket) => socket.writableLength > CAP),
        Boolean,
        { timeoutMs: 30_000, intervalMs: 5 },
      );
      createAnswer.release();
      // Until the gateway has written the mutation's answer (past the cap, behind the large answers), or closed.
      await eventually(
        async () => ({ answered: answerWrite() !== undefined, closed: slowReaderCloses(harness) > 0 }),
        ({ answered, closed }) => answered || closed,
        { timeoutMs: 20_000, intervalMs: 5 },
      );
      // The link moves again, a chunk at a time: the client reads what the gateway kept for it.
      while (outcome === undefined && !link.gatewayClosed) await link.pass(CHUNK_BYTES, settled);
      await settled;
      // Every request the provider got has been answered (and logged: a late answer is logged as it goes out).
      await eventually(
        async () => simulator.server.inFlight,
        (count) => count === 0,
        { timeoutMs: 20_000 },
      );

      // Made once (before: twice, the second time refused CONFLICT, the name being taken), and answered with its operation.
      expect(creates()).toBe(1);
      expect(outcome?.errors).toBeUndefined();
      expect(outcome?.data?.createBackup?.operation.id).toEqual(expect.any(String));
      expect([...zomro.backups.values()].filter((backup) => backup.name === name)).toHaveLength(1);
      // The answer was queued behind more than the cap on the first connection (else the test shows nothing).
      expect(answerWrite()?.queuedBefore).toBeGreaterThan(CAP);
      // The connection did close for the answers not taken, once the mutation's answer was out.
      await eventually(
        async () => slowReaderCloses(harness),
        (count) => count === 1,
        { timeoutMs: 20_000 },
      );
      // Logged with what was queued when the close was decided, not after the client had read it.
      const line = JSON.parse(harness.logs.find((text) => text.includes('WebSocket connection closed: the client is not reading its answers'))!) as { queuedBytes: number; limit: number };
      expect(line.queuedBytes).toBeGreaterThan(CAP);
    } finally {
      await client.dispose();
      await link.close();
    }
  }, 60_000);
});
