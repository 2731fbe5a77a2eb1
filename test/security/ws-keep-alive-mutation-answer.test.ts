import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { MUTATION_ANSWER_GRACE_LINE, UNSENT_MUTATION_ANSWERS_LINE } from '../../src/server/ws-server.js';
import { watchGatewayEnd, type GatewayEnd } from '../helpers/gateway-end.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { SlowLink } from '../helpers/slow-link.js';
import { wsUrl } from '../helpers/ws.js';

/** Long enough for the test to fill the link and queue the answer within one period (some 1 s of pings under load). */
const KEEP_ALIVE_MS = 2_500;
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const INSTANCES = '{ instances { edges { node { backups { id nativeId } } } } }';
/** A ping's payload: the gateway's pong echoes it, filling the link's buffers a step at a time. */
const FILLER = { pad: 'f'.repeat(200_000) };

/**
 * How the client stops taking its answers: `pong` leaves some queued at the gateway, under the
 * 1 MiB past which it stops reading the client (so the gateway's ping goes unanswered); `read`
 * past it (so the gateway, no longer reading, sees no answer taken in a period).
 */
type Stall = 'pong' | 'read';

interface Scene {
  harness: Harness;
  link: SlowLink;
  gatewayEnd: GatewayEnd;
  received: string[];
  socket: WebSocket;
}

/**
 * A restore over a WebSocket through a link the test holds: the mutation acts at OnApp while
 * the client takes nothing, so its answer waits at the gateway behind what the client has not taken.
 */
async function mutationAnswerQueued(stall: Stall): Promise<Scene> {
  const harness = await startHarness({ kinds: ['onapp'], webSocketKeepAliveMs: KEEP_ALIVE_MS });
  const link = await SlowLink.open(harness.gateway.graphqlUrl);
  const simulator = harness.simulator('onapp').simulator as OnappSimulator;
  const listed = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string; nativeId: string }> } }> } }>(INSTANCES);
  const backup = listed.data!.instances.edges.flatMap((edge) => edge.node.backups).find((each) => (simulator.backups.get(Number(each.nativeId))?.builtAt ?? Infinity) <= Date.now())!;
  const gatewayEnd = watchGatewayEnd(harness, () => link.gatewayPort);
  const socket = new WebSocket(wsUrl(link.graphqlUrl), 'graphql-transport-ws');
  socket.on('error', () => {});
  const received: string[] = [];
  socket.on('message', (data) => received.push(String(data)));
  await new Promise<void>((resolve) => socket.once('open', () => resolve()));
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  await eventually(() => Promise.resolve(received.length), (count) => count > 0);

  const hold = simulator.holdRestoresOf(Number(backup.nativeId));
  socket.send(JSON.stringify({ id: 'restore', type: 'subscribe', payload: { query: RESTORE, variables: { input: { backupId: backup.id, confirm: true } } } }));
  await hold.arrived;
  link.hold();
  const server = gatewayEnd.socket();
  if (stall === 'read') {
    // Far more than the kernel's buffers and the 1 MiB take: the rest waits unread at the gateway.
    for (let index = 0; index < 50; index++) socket.send(JSON.stringify({ type: 'ping', payload: FILLER }));
    await eventually(() => Promise.resolve(server.isPaused()), Boolean, { intervalMs: 5 });
  }
  // Four at a time, stopped as soon as some waits at the gateway: at most 800 KB, under the 1 MiB.
  while (stall === 'pong' && server.writableLength === 0) {
    const before = server.bytesWritten;
    for (let index = 0; index < 4; index++) socket.send(JSON.stringify({ type: 'ping', payload: FILLER }));
    await eventually(() => Promise.resolve(server.bytesWritten), (written) => written > before + 4 * FILLER.pad.length, { intervalMs: 5 });
  }
  expect(server.isPaused()).toBe(stall === 'read');
  hold.release();
  // Its `next` handed to the socket, behind what waits (graphql-ws sends the `complete` once the `next` has gone).
  await eventually(() => Promise.resolve(gatewayEnd.written.some((text) => text.startsWith('{"id":"restore","type":"next"'))), Boolean);
  return { harness, link, gatewayEnd, received, socket };
}

/** The gateway has let a keep-alive period pass with the client seeming gone: it gave one more (now), or closed (before). */
async function onePeriodMissed(scene: Scene): Promise<void> {
  let closed = false;
  void scene.gatewayEnd.closed.then(() => (closed = true));
  await eventually(() => Promise.resolve(closed || scene.harness.logs.some((line) => line.includes(MUTATION_ANSWER_GRACE_LINE))), Boolean, { timeoutMs: 10 * KEEP_ALIVE_MS });
}

const restoreMessages = (received: string[]) => received.filter((text) => text.startsWith('{"id":"restore"')).map((text) => (JSON.parse(text) as { type: string }).type);

describe("WebSocket keep-alive: a client that seems gone while a mutation's answer waits for it", () => {
  let scene: Scene | null = null;
  afterEach(async () => {
    scene?.socket.terminate();
    await scene?.link.close();
    await scene?.harness.close();
    scene = null;
  });

  for (const stall of ['pong', 'read'] as const) {
    it(`${stall === 'pong' ? 'not answering the ping' : 'not reading'} for a period, then back within the next: it is handed the answer, and the connection lives on`, async () => {
      scene = await mutationAnswerQueued(stall);
      await onePeriodMissed(scene);
      const { link, received } = scene;
      // Before, the connection was already dropped: the answer of a restore that acted was lost.
      await link.pass(Number.MAX_SAFE_INTEGER, eventually(() => Promise.resolve(restoreMessages(received).includes('complete')), Boolean, { timeoutMs: 4 * KEEP_ALIVE_MS }).catch(() => undefined));
      expect(restoreMessages(received)).toEqual(['next', 'complete']);
      expect(JSON.parse(received.find((text) => text.startsWith('{"id":"restore","type":"next"'))!)).toMatchObject({ payload: { data: { restoreBackup: { operation: { status: 'RUNNING' } } } } });
      expect(scene.socket.readyState).toBe(WebSocket.OPEN);
    });
  }

  it('never back: dropped after that one more period, the unsent answer logged with its operation and request ids and counted', async () => {
    scene = await mutationAnswerQueued('pong');
    const started = Date.now();
    await scene.gatewayEnd.closed;
    // The first unanswered ping's period, and one more.
    expect(Date.now() - started).toBeGreaterThanOrEqual(KEEP_ALIVE_MS);
    const line = await eventually(() => Promise.resolve(scene!.harness.logs.find((each) => each.includes(UNSENT_MUTATION_ANSWERS_LINE))), Boolean);
    const logged = JSON.parse(line!) as { level: number | string; mutations: Array<{ operationId: string; requestId: string }> };
    expect(logged.mutations).toEqual([{ operationId: 'restore', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown as string }]);
    // The request id is the mutation's own: its other log lines carry it.
    const metrics = await (await fetch(`${scene.harness.gateway.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/^backup_graph_websocket_mutation_answers_unsent_total 1$/m);
  });
});
