import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { MAX_WAITING_PER_CONNECTION, WAITING_REFUSED_LINE } from '../../src/server/connection-turns.js';
import { eventually, type Harness, startHarness, withClients } from '../helpers/harness.js';
import { exchangeRaw, readAnswers } from '../helpers/raw-http.js';

const KEY = 'pipelining-viewer-key-aaaaaaaaaaaaa';
const BACKUP_LIST = 'instances.fleio_bckps';
/** Short, so a request left unread would be timed out within the test (30 s in production). */
const REQUEST_TIMEOUT_MS = 1_000;
/** The first running, every other one waiting: as many as may wait on one connection. */
const PIPELINED = MAX_WAITING_PER_CONNECTION + 1;

/** A POST to /graphql as raw HTTP/1.1. */
function rawPost(host: string, body: string): string {
  return `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** A read of a made-up Backup, one backup list read of its own at the provider, answered under the alias `r<index>`. */
function backupRead(index: number): string {
  return JSON.stringify({ query: `query($id: ID!) { r${index}: node(id: $id) { id } }`, variables: { id: encodeId('Backup', 'zomro-test', [String(700_000 + index), '1']) } });
}

async function openSocket(graphqlUrl: string): Promise<Socket> {
  const url = new URL(graphqlUrl);
  const socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return socket;
}

/**
 * Node hands the app every request it has parsed at once: 1,000 written in one go on one socket
 * ran 1,000 operations together (984 of their upstream calls waiting for the account's slots, two
 * such sockets filling its waiting line), where the answers go out in order anyway.
 */
describe('pipelined HTTP requests on one connection', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], requestTimeoutMs: REQUEST_TIMEOUT_MS, configure: withClients([{ name: 'pipeliner', key: KEY, roles: ['viewer'] }]) });
  });
  afterAll(() => harness.close());

  it('run one at a time, each answered in the order sent, other connections served meanwhile', async () => {
    const zomro = harness.simulator('zomro').server;
    harness.resetUpstreamLogs();
    const hold = zomro.holdAnswersOf(BACKUP_LIST);
    const socket = await openSocket(harness.gateway.graphqlUrl);
    const host = new URL(harness.gateway.graphqlUrl).host;
    const answers = readAnswers(socket, PIPELINED);
    socket.write(Array.from({ length: PIPELINED }, (_, index) => rawPost(host, backupRead(index))).join(''));
    await hold.arrived;
    // While the first is held at the provider, another connection is answered.
    expect((await harness.gql('{ providers { id } }', undefined, { key: KEY })).status).toBe(200);
    hold.release();
    const received = await answers;
    socket.destroy();
    expect(received.map((answer) => answer.status)).toEqual(Array.from({ length: PIPELINED }, () => 200));
    expect(received.map((answer) => Object.keys((JSON.parse(answer.body) as { data: object }).data)[0])).toEqual(Array.from({ length: PIPELINED }, (_, index) => `r${index}`));
    expect(zomro.count(BACKUP_LIST)).toBe(PIPELINED);
    // Was 16, the account's slots, the other requests waiting for one.
    expect(zomro.maxInFlight).toBe(1);
  });

  // Each waiting request holds its parsed body (up to 1 MiB): 1,000 pipelined behind one long answer held 1 GB.
  it('past the requests one connection may have waiting, refuses the next at once, unrun, in its place', async () => {
    const zomro = harness.simulator('zomro').server;
    harness.resetUpstreamLogs();
    const hold = zomro.holdAnswersOf(BACKUP_LIST);
    const socket = await openSocket(harness.gateway.graphqlUrl);
    const host = new URL(harness.gateway.graphqlUrl).host;
    const sent = PIPELINED + 1;
    const answers = readAnswers(socket, sent);
    socket.write(Array.from({ length: sent }, (_, index) => rawPost(host, backupRead(600_000 + index))).join(''));
    await hold.arrived;
    // The refusal is made at the gate, while the first is still held: its answer waits its place.
    await eventually(async () => harness.logs.filter((line) => line.includes(WAITING_REFUSED_LINE)).length, (lines) => lines >= 1);
    hold.release();
    const received = await answers;
    socket.destroy();
    const statuses = received.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(PIPELINED);
    expect(statuses.filter((status) => status === 429)).toHaveLength(1);
    const refused = received.find((answer) => answer.status === 429);
    const refusal = JSON.parse(refused?.body ?? '{}') as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(refusal.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(zomro.count(BACKUP_LIST)).toBe(PIPELINED);
  });

  // Passes on the old code too (no regression): a fix that held the next request unread left its
  // 200 KB body in the socket, and node answered 408 and closed the connection, the first answer lost.
  it('read a waiting request whole: one behind a long answer is not timed out as unread', async () => {
    const zomro = harness.simulator('zomro').server;
    const hold = zomro.holdAnswersOf(BACKUP_LIST);
    const socket = await openSocket(harness.gateway.graphqlUrl);
    const url = new URL(harness.gateway.graphqlUrl);
    const answers = readAnswers(socket, 2);
    const large = JSON.stringify({ query: `{ providers { id } } #${'x'.repeat(200_000)}` });
    socket.write(rawPost(url.host, backupRead(900_000)) + rawPost(url.host, large));
    await hold.arrived;
    // A request of its own, its headers left incomplete: its 408 says the time to receive a request
    // (the same here) has passed for the pipelined ones too, sent before it.
    const witness = await exchangeRaw(Number(url.port), `POST /graphql HTTP/1.1\r\nHost: ${url.host}\r\n`);
    expect(witness).toMatch(/^HTTP\/1\.1 408 /);
    hold.release();
    expect((await answers).map((answer) => answer.status)).toEqual([200, 200]);
    socket.destroy();
  });

  it('a connection closed mid-line lets its waiting requests go, unrun', async () => {
    const zomro = harness.simulator('zomro').server;
    harness.resetUpstreamLogs();
    const hold = zomro.holdAnswersOf(BACKUP_LIST);
    const socket = await openSocket(harness.gateway.graphqlUrl);
    const host = new URL(harness.gateway.graphqlUrl).host;
    socket.write(Array.from({ length: 50 }, (_, index) => rawPost(host, backupRead(800_000 + index))).join(''));
    await hold.arrived;
    socket.destroy();
    // The gateway has seen the close once it gave up the provider call of the first.
    await eventually(async () => zomro.abandoned, (abandoned) => abandoned >= 1);
    hold.release();
    const after = await harness.gql('query($id: ID!) { node(id: $id) { id } }', { id: encodeId('Backup', 'zomro-test', ['850000', '1']) }, { key: KEY });
    expect(after.status).toBe(200);
    // The first and the one just sent: none of the 100 waiting ran (all of them did, 16 at a time).
    expect(zomro.count(BACKUP_LIST)).toBe(2);
  });
});

// The drain cuts what still runs when its grace ends: a request that waited its turn began during
// the drain, where a mutation could act and lose its answer; none of them had begun.
describe('pipelined HTTP requests waiting when the drain begins', () => {
  it('are answered SHUTTING_DOWN, unrun, in their place; the one running is answered', async () => {
    const harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'pipeliner', key: KEY, roles: ['viewer'] }]) });
    const zomro = harness.simulator('zomro').server;
    harness.resetUpstreamLogs();
    const hold = zomro.holdAnswersOf(BACKUP_LIST);
    const socket = await openSocket(harness.gateway.graphqlUrl);
    const host = new URL(harness.gateway.graphqlUrl).host;
    const answers = readAnswers(socket, 3);
    socket.write([0, 1, 2].map((index) => rawPost(host, backupRead(500_000 + index))).join(''));
    await hold.arrived;
    const closed = harness.close();
    hold.release();
    const received = await answers;
    socket.destroy();
    await closed;
    expect(received.map((answer) => answer.status)).toEqual([200, 503, 503]);
    const refusal = JSON.parse(received[1]?.body ?? '{}') as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(refusal.errors?.[0]?.extensions?.code).toBe('SHUTTING_DOWN');
    expect(zomro.count(BACKUP_LIST)).toBe(1);
  });
});
