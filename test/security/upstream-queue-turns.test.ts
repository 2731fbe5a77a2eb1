import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { eventually, type Harness, startHarness, withClients, withTrustedLoopbackProxy } from '../helpers/harness.js';

const FLOODER = 'flooding-viewer-key-aaaaaaaaaaaaaa';
const BYSTANDER = 'bystanding-viewer-key-bbbbbbbbbbbbb';
const BACKUP_LIST = 'instances.fleio_bckps';
const MADE_UP_IDS = 1000;
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Backup { id } } }';
/** A Backup id on a made-up instance: each costs the gateway one backup list read of its own. */
const madeUpBackup = (instance: number): string => encodeId('Backup', 'zomro-test', [String(instance), '1']);
const waitingLines = (harness: Harness): number[] =>
  harness.logs.filter((line) => line.includes('upstream request waits for a slot')).map((line) => Number((JSON.parse(line) as { waiting: number }).waiting));

/**
 * One account's upstream slots are shared by every client. Their queue was served in arrival
 * order: a viewer's one request of 1,000 made-up ids (within maxListArgument and
 * maxUpstreamCallsPerRequest) put 1,000 calls ahead of everyone's, and another client's single
 * read went out after all of them (seconds to minutes at a real provider's latency).
 */
describe("an account's upstream queue: requests take turns", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withClients([
          { name: 'flooder', key: FLOODER, roles: ['viewer'] },
          { name: 'bystander', key: BYSTANDER, roles: ['viewer'] },
        ]),
        withTrustedLoopbackProxy(),
      ],
    });
  });
  afterAll(() => harness.close());

  it("sends another client's one read among the first of a queue another request filled with 1,000", async () => {
    const zomro = harness.simulator('zomro').server;
    harness.resetUpstreamLogs();
    const hold = zomro.holdAnswersOf(BACKUP_LIST);
    const flood = harness.gql(ENTITIES, { r: Array.from({ length: MADE_UP_IDS }, (_, index) => ({ __typename: 'Backup', id: madeUpBackup(800_000 + index) })) }, { key: FLOODER });
    // Every slot held at the provider, 200 more of the flood queued at the gateway.
    await hold.arrived;
    await eventually(async () => waitingLines(harness), (waiting) => waiting.some((count) => count >= 200));
    const bystander = harness.gql('query($id: ID!) { node(id: $id) { id } }', { id: madeUpBackup(777_777) }, { key: BYSTANDER, headers: { 'x-request-id': 'bystander-read' } });
    await eventually(
      async () => harness.logs.some((line) => line.includes('upstream request waits for a slot') && line.includes('bystander-read')),
      (queued) => queued,
    );
    hold.release();
    const [flooded, answered] = await Promise.all([flood, bystander]);
    expect(flooded.status).toBe(200);
    expect(answered.status).toBe(200);
    expect(answered.data).toEqual({ node: null });
    const backupReads = zomro.log.filter((request) => request.label === BACKUP_LIST);
    expect(backupReads).toHaveLength(MADE_UP_IDS + 1);
    const bystanderPlace = backupReads.findIndex((request) => request.form.plid === '777777' || request.form.elid === '777777');
    // Among the slots' 16 held when it queued and at most one more of the flood before its turn; it was 256th.
    expect(bystanderPlace).toBeGreaterThanOrEqual(0);
    expect(bystanderPlace).toBeLessThanOrEqual(17);
  });
});
