import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { RequestHold } from '../../src/simulator/request-hold.js';
import { eventually, startHarness, withLimits, withProviderSettings, withSettings, type Harness } from '../helpers/harness.js';
import { follow, wsClient, wsRun } from '../helpers/ws.js';

/**
 * A request whose work is lost (a library rejected a promise nobody awaited) got no answer, ever:
 * REQUEST_TIMEOUT_MS bounds receiving a request, not answering it, and a drain then held the lost
 * request until its timeout cut it (exit 1). limits.answerDeadlineMs answers it. Here the lost
 * work is a Zomro answer held past the deadline, the upstream timeout set far above it.
 */
const DEADLINE_MS = 1_000;
const INSTANCES_FUNC = 'instances';
const CREATE_FUNC = 'instances.fleio_bckps.edit';
const INSTANCES = '{ instances(first: 1) { totalCount edges { node { id } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';

const holds: RequestHold[] = [];
let harness: Harness | undefined;

afterEach(async () => {
  for (const hold of holds.splice(0)) hold.release();
  await harness?.close();
  harness = undefined;
});

async function gatewayWithDeadline(): Promise<Harness> {
  harness = await startHarness({
    kinds: ['zomro'],
    configure: [withLimits({ answerDeadlineMs: DEADLINE_MS }), withProviderSettings({ timeoutMs: 60_000, retries: 0 }), withSettings({ anonymousRole: 'admin', shutdown: { drainTimeoutMs: 3_000, readyzGraceMs: 0 } })],
  });
  return harness;
}

function hold(gateway: Harness, func: string): RequestHold {
  const held = gateway.simulator('zomro').server.holdAnswersOf(func);
  holds.push(held);
  return held;
}

async function metric(gateway: Harness, name: string): Promise<number> {
  const text = await (await fetch(`${gateway.gateway.adminUrl}/metrics`)).text();
  const line = text.split('\n').find((each) => each.startsWith(name));
  return Number(line?.split(' ').pop() ?? NaN);
}

/** Every HTTP answer a raw keep-alive connection receives, whole ones only, in order. */
function answersOn(socket: Socket): { answers: Array<{ status: number; body: string }>; next(count: number): Promise<void> } {
  let pending = Buffer.alloc(0);
  const answers: Array<{ status: number; body: string }> = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) break;
      const head = pending.subarray(0, end).toString('latin1');
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (pending.length < end + 4 + length) break;
      answers.push({ status: Number(head.slice(9, 12)), body: pending.subarray(end + 4, end + 4 + length).toString('utf8') });
      pending = pending.subarray(end + 4 + length);
    }
    for (const waiter of waiters.filter((each) => answers.length >= each.count)) waiter.resolve();
  });
  return {
    answers,
    next: (count) => (answers.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
  };
}

function post(query: string, variables?: Record<string, unknown>): string {
  const body = JSON.stringify({ query, ...(variables ? { variables } : {}) });
  return `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

describe('limits.answerDeadlineMs', () => {
  it('answers a query whose work never ends with a 504 INTERNAL_SERVER_ERROR, and drops its real answer when that comes later', async () => {
    const gateway = await gatewayWithDeadline();
    const held = hold(gateway, INSTANCES_FUNC);
    const socket = connect(Number(new URL(gateway.gateway.url).port), '127.0.0.1');
    const received = answersOn(socket);
    try {
      socket.write(post(INSTANCES));
      await received.next(1);
      const [answer] = received.answers;
      expect(answer?.status).toBe(504);
      const body = JSON.parse(answer!.body) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]?.extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(body.errors[0]?.message).toContain(`limits.answerDeadlineMs (${DEADLINE_MS} ms)`);
      expect(await metric(gateway, 'backup_graph_answer_deadline_answers_total{transport="http"}')).toBe(1);

      // The work goes on: its answer, come now, is dropped, not sent as a second answer.
      held.release();
      await eventually(() => metric(gateway, 'backup_graph_answer_deadline_late_answers_total{transport="http"}'), (count) => count === 1);
      socket.write(post('{ __typename }'));
      await received.next(2);
      expect(received.answers.map((each) => each.status)).toEqual([504, 200]);
      expect(JSON.parse(received.answers[1]!.body)).toEqual({ data: { __typename: 'Query' } });
      expect(gateway.logs.some((line) => line.includes('answered by its deadline'))).toBe(true);
    } finally {
      socket.destroy();
    }
  }, 20_000);

  it("tells a mutation's client its outcome is unknown and how to learn it, and the same idempotencyKey then answers the outcome", async () => {
    const gateway = await gatewayWithDeadline();
    const listed = await gateway.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES);
    const instanceId = listed.data!.instances.edges[0]!.node.id;
    const held = hold(gateway, CREATE_FUNC);
    const input = { instanceId, name: 'past-the-deadline', idempotencyKey: 'answer-deadline-1' };
    const answer = await gateway.gql(CREATE, { input });
    expect(answer.status).toBe(504);
    expect(answer.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const message = answer.errors?.[0]?.message ?? '';
    expect(message).toContain('outcome is unknown, not failed');
    expect(message).toContain('same idempotencyKey');
    expect(message).toContain('operation(id:)');

    held.release();
    await eventually(() => metric(gateway, 'backup_graph_answer_deadline_late_answers_total{transport="http"}'), (count) => count === 1);
    const replayed = await gateway.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input });
    expect(replayed.errors).toBeUndefined();
    expect(replayed.data?.createBackup.operation.id).toEqual(expect.any(String));
    // Acted once: the replay answered from the key, sending nothing.
    expect(gateway.simulator('zomro').server.count(CREATE_FUNC)).toBe(1);
  }, 20_000);

  it('lets the drain end with nothing cut once a request past its deadline was answered, its work still held', async () => {
    const gateway = await gatewayWithDeadline();
    const held = hold(gateway, INSTANCES_FUNC);
    const answer = await gateway.gql(INSTANCES);
    expect(answer.status).toBe(504);
    await held.arrived;
    // Exit 0 at shutdown.ts: nothing cut. Before, the unanswered request held the drain until its timeout cut it.
    expect(await gateway.gateway.close()).toEqual({ operationsCut: 0, requestsCut: 0 });
  }, 20_000);

  it('answers a WebSocket query past its deadline with the typed error, then complete', async () => {
    const gateway = await gatewayWithDeadline();
    const held = hold(gateway, INSTANCES_FUNC);
    const client = wsClient(gateway.gateway.graphqlUrl);
    try {
      const answer = await wsRun(client, INSTANCES);
      expect(answer.refused).toBeUndefined();
      expect(answer.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(answer.errors?.[0]?.message).toContain('limits.answerDeadlineMs');
      expect(await metric(gateway, 'backup_graph_answer_deadline_answers_total{transport="websocket"}')).toBe(1);
      held.release();
      await eventually(() => metric(gateway, 'backup_graph_answer_deadline_late_answers_total{transport="websocket"}'), (count) => count === 1);
    } finally {
      await client.dispose();
    }
  }, 20_000);

  it('leaves a subscription unbounded: an event after the deadline has passed still reaches it (guard)', async () => {
    const gateway = await gatewayWithDeadline();
    // The backup stays Saving until the test ends it: its SUCCEEDED is the event, triggered past the deadline.
    const zomro = gateway.simulator('zomro').simulator as ZomroSimulator;
    zomro.asyncDelayMs = 10 * 60_000;
    const listed = await gateway.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES);
    const created = await gateway.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: listed.data!.instances.edges[0]!.node.id, name: 'followed-past-the-deadline' } });
    const id = created.data!.createBackup.operation.id;
    const client = wsClient(gateway.gateway.graphqlUrl);
    try {
      const followed = follow(client, id);
      followed.all.catch(() => {});
      expect(await followed.first).toBe('RUNNING');
      // The signal that the deadline's time has passed since the subscription began: a query begun after it, answered by the deadline.
      const held = hold(gateway, INSTANCES_FUNC);
      expect((await gateway.gql(INSTANCES)).status).toBe(504);
      held.release();
      zomro.finishBackups();
      expect(await followed.all).toEqual(['RUNNING', 'SUCCEEDED']);
      expect(await metric(gateway, 'backup_graph_answer_deadline_answers_total{transport="websocket"}')).toBe(0);
    } finally {
      await client.dispose();
    }
  }, 20_000);
});
