import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { eventually, startHarness, withLimits, type Harness } from '../helpers/harness.js';
import { watchGatewayEnd } from '../helpers/gateway-end.js';
import { SlowLink } from '../helpers/slow-link.js';
import { wsUrl } from '../helpers/ws.js';

const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const INSTANCES = '{ instances { edges { node { backups { id nativeId } } } } }';
/** A ping's payload: the gateway's pong echoes it, a filler of the link's buffers the test sends one at a time. */
const FILLER = { pad: 'f'.repeat(60_000) };

describe('WebSocket: an id reused while its cancelled operation runs, the refusal still unsent when that operation ends', () => {
  let harness: Harness;
  let link: SlowLink;

  beforeAll(async () => {
    // One operation per connection: a probe runs only once the cancelled mutation has ended.
    harness = await startHarness({ kinds: ['onapp'], configure: withLimits({ maxSubscriptionsPerConnection: 1 }) });
    link = await SlowLink.open(harness.gateway.graphqlUrl);
  });
  afterAll(async () => {
    await link.close();
    await harness.close();
  });

  it('refuses the reused id, and sends nothing of the cancelled mutation under it afterwards', async () => {
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

    // The mutation reaches OnApp and waits there, the test's to release.
    const hold = simulator.holdRestoresOf(Number(backup.nativeId));
    socket.send(JSON.stringify({ id: 'same', type: 'subscribe', payload: { query: RESTORE, variables: { input: { backupId: backup.id, confirm: true } } } }));
    await hold.arrived;

    // The client's end stops taking: pongs fill the kernel's buffers until the gateway's socket
    // holds some unsent (under the 1 MiB past which it stops reading the client). A write from
    // now on waits, and graphql-ws waits with it.
    link.hold();
    const server = gatewayEnd.socket();
    while (server.writableLength === 0) {
      const before = server.bytesWritten;
      socket.send(JSON.stringify({ type: 'ping', payload: FILLER }));
      await eventually(() => Promise.resolve(server.bytesWritten), (written) => written > before + FILLER.pad.length, { intervalMs: 5 });
    }

    // The mutation cancelled, its id used again at once: refused.
    socket.send(JSON.stringify({ id: 'same', type: 'complete' }));
    socket.send(JSON.stringify({ id: 'same', type: 'subscribe', payload: { query: '{ providers { id } }' } }));
    const refusal = await eventually(() => Promise.resolve(gatewayEnd.written.findIndex((text) => text.startsWith('{"id":"same","type":"error"'))), (index) => index >= 0);
    expect(gatewayEnd.written[refusal]).toContain('still belongs to a cancelled operation');

    // The cancelled mutation ends while the refusal is still unsent. A probe sent while it still
    // runs is refused, and that refusal, unsent behind the held link, keeps its own id taken, so
    // every later probe is refused too: the probes start once its audit line says it has ended
    // (after its POST the OnApp restore reads the VM's transactions once more).
    const auditsBefore = harness.logs.length;
    hold.release();
    await eventually(() => Promise.resolve(harness.logs.slice(auditsBefore).some((text) => text.includes('"audit":true') && text.includes('"operation":"restoreBackup"'))), Boolean);
    let probes = 0;
    const sentUnderSame = () => gatewayEnd.written.slice(refusal + 1).filter((text) => text.startsWith('{"id":"same"'));
    await eventually(
      async () => {
        const id = `probe${probes++}`;
        socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: '{ providers { id } }' } }));
        await eventually(() => Promise.resolve(gatewayEnd.written.some((text) => text.startsWith(`{"id":"${id}"`))), Boolean);
        return gatewayEnd.written.some((text) => text.startsWith(`{"id":"${id}","type":"next"`));
      },
      // Ran: the cancelled mutation has ended (it held the connection's one place). Or, before, its `next` came.
      (ran) => ran || sentUnderSame().length > 0,
    );
    // Before: `{"id":"same","type":"next",...restoreBackup...}` and its `complete`, after the refusal.
    expect(sentUnderSame()).toEqual([]);

    // The client, reading again, is told exactly the refusal under that id.
    await link.pass(Number.MAX_SAFE_INTEGER, eventually(() => Promise.resolve(received.some((text) => text.startsWith(`{"id":"probe${probes - 1}","type":"complete"`))), Boolean));
    expect(received.filter((text) => text.startsWith('{"id":"same"')).map((text) => (JSON.parse(text) as { type: string }).type)).toEqual(['error']);
    socket.terminate();
  });
});
