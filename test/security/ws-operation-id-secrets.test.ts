import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ONAPP_SIM_API_KEY, type OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { UNSENT_MUTATION_ANSWERS_LINE } from '../../src/server/ws-server.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const INSTANCES = '{ instances { edges { node { backups { id nativeId } } } } }';

/**
 * A WebSocket closed before its client was handed a mutation's answer logs a warn line naming
 * each such mutation's `operationId`: the id the client chose for its subscribe (up to 128
 * characters of anything). A provider credential used as that id was written to the log as sent.
 */
describe('a WebSocket operation id holding a provider credential', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'] });
  });
  afterAll(() => harness.close());

  it('is scrubbed in the line of a mutation answer its client left before being handed', async () => {
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string; nativeId: string }> } }> } }>(INSTANCES);
    const backup = listed.data!.instances.edges.flatMap((edge) => edge.node.backups).find((each) => (simulator.backups.get(Number(each.nativeId))?.builtAt ?? Infinity) <= Date.now())!;
    const socket = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
    socket.on('error', () => {});
    const received: string[] = [];
    socket.on('message', (data) => received.push(String(data)));
    await new Promise<void>((resolve) => socket.once('open', () => resolve()));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await eventually(() => Promise.resolve(received.length), (count) => count > 0);
    const hold = simulator.holdRestoresOf(Number(backup.nativeId));
    socket.send(JSON.stringify({ id: `op-${ONAPP_SIM_API_KEY}`, type: 'subscribe', payload: { query: RESTORE, variables: { input: { backupId: backup.id, confirm: true } } } }));
    await hold.arrived;
    socket.terminate();
    hold.release();
    const line = await eventually(() => Promise.resolve(harness.logs.find((each) => each.includes(UNSENT_MUTATION_ANSWERS_LINE))), Boolean);
    expect((JSON.parse(line!) as { mutations: Array<{ operationId: string }> }).mutations[0]?.operationId).toContain('[redacted]');
    expect(harness.logs.filter((each) => each.includes(ONAPP_SIM_API_KEY) || each.includes(ONAPP_SIM_API_KEY.slice(4, 16)))).toEqual([]);
  });
});
