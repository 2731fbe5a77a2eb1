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

interface Caller {
  key?: string;
  headers?: Record<string, string>;
}

/**
 * One account's upstream slots are shared by every client. Their queue was served in arrival
 * order: a viewer's one request of 1,000 made-up ids (within maxListArgument and
 * maxUpstreamCallsPerRequest) put 1,000 calls ahead of everyone's, and another client's single
 * read went out after all of them (seconds to minutes at a real provider's latency). Clients
 * now take turns: a keyed client by its key, a caller without one by its address.
 */
describe("an account's upstream queue: clients take turns", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withClients(
          [
            { name: 'flooder', key: FLOODER, roles: ['viewer'] },
            { name: 'bystander', key: BYSTANDER, roles: ['viewer'] },
          ],
          { allowAnonymous: true },
        ),
        withTrustedLoopbackProxy(),
      ],
    });
  });
  afterAll(() => harness.close());

  /** Where the bystander's one read went out among the account's backup list reads, after a flood of 1,000 filled the queue. */
  async function bystanderPlace(flooder: Caller, bystander: Caller, bystanderInstance: number, requestId: string): Promise<number> {
    const zomro = harness.simulator('zomro').server;
    harness.resetUpstreamLogs();
    const linesBefore = harness.logs.length;
    const waitingLines = () => harness.logs.slice(linesBefore).filter((line) => line.includes('upstream request waits for a slot'));
    const hold = zomro.holdAnswersOf(BACKUP_LIST);
    const representations = Array.from({ length: MADE_UP_IDS }, (_, index) => ({ __typename: 'Backup', id: madeUpBackup(800_000 + index) }));
    const flood = harness.gql(ENTITIES, { r: representations }, flooder);
    // Every slot held at the provider, 200 more of the flood queued at the gateway.
    await hold.arrived;
    await eventually(
      async () => waitingLines().map((line) => (JSON.parse(line) as { waiting: number }).waiting),
      (waiting) => waiting.some((count) => count >= 200),
    );
    const answer = harness.gql('query($id: ID!) { node(id: $id) { id } }', { id: madeUpBackup(bystanderInstance) }, { ...bystander, headers: { ...bystander.headers, 'x-request-id': requestId } });
    await eventually(
      async () => waitingLines().some((line) => line.includes(requestId)),
      (queued) => queued,
    );
    hold.release();
    const [flooded, answered] = await Promise.all([flood, answer]);
    expect(flooded.status).toBe(200);
    expect(answered.status).toBe(200);
    expect(answered.data).toEqual({ node: null });
    const backupReads = zomro.log.filter((request) => request.label === BACKUP_LIST);
    expect(backupReads).toHaveLength(MADE_UP_IDS + 1);
    const wanted = String(bystanderInstance);
    return backupReads.findIndex((request) => request.form.plid === wanted || request.form.elid === wanted);
  }

  it("sends another keyed client's one read among the first of a queue another client filled with 1,000", async () => {
    const place = await bystanderPlace({ key: FLOODER }, { key: BYSTANDER }, 777_777, 'keyed-bystander-read');
    // Among the slots' 16 held when it queued and at most one more of the flood before its turn; it was 256th.
    expect(place).toBeGreaterThanOrEqual(0);
    expect(place).toBeLessThanOrEqual(17);
  });

  it("keeps one client's requests in one arrival order: its second request's read waits behind its first's calls", async () => {
    // Why turns are by client, not by request: identical dashboards of one client keep waiting in
    // one line, where their identical reads are coalesced (a turn per request halved that sharing).
    const place = await bystanderPlace({ key: FLOODER }, { key: FLOODER }, 777_779, 'flooder-second-read');
    expect(place).toBeGreaterThanOrEqual(216);
  });

  it('gives callers without a key a turn per address (the client address behind a trusted proxy)', async () => {
    const place = await bystanderPlace({ headers: { 'x-forwarded-for': '198.51.100.7' } }, { headers: { 'x-forwarded-for': '198.51.100.8' } }, 777_778, 'anonymous-bystander-read');
    expect(place).toBeGreaterThanOrEqual(0);
    expect(place).toBeLessThanOrEqual(17);
  });
});
