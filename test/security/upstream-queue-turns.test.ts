import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { eventually, type Harness, startHarness, withClients, withTrustedLoopbackProxy } from '../helpers/harness.js';

const FLOODER = 'flooding-viewer-key-aaaaaaaaaaaaaa';
const BYSTANDER = 'bystanding-viewer-key-bbbbbbbbbbbbb';
const BACKUP_LIST = 'instances.fleio_bckps';
const MADE_UP_IDS = 1000;
/** Where the flood asks the bystander's read too: among the 216 of its calls made (16 sent, 200 queued) before the bystander asks. */
const FLOOD_ASKS_IT_AT = 199;
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

  const coalescedReads = async (): Promise<number> => {
    const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    const line = text.split('\n').find((entry) => entry.startsWith('backup_graph_upstream_coalesced_reads_total{') && entry.includes(`provider="${harness.providerId('zomro')}"`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  /** Where the bystander's one read went out among the account's backup list reads, after a flood of 1,000 filled the queue. */
  async function bystanderPlace(flooder: Caller | Caller[], bystander: Caller, bystanderInstance: number, requestId: string, floodAsksItToo = false): Promise<number> {
    const zomro = harness.simulator('zomro').server;
    harness.resetUpstreamLogs();
    const linesBefore = harness.logs.length;
    const waitingLines = () => harness.logs.slice(linesBefore).filter((line) => line.includes('upstream request waits for a slot'));
    const hold = zomro.holdAnswersOf(BACKUP_LIST);
    const representations = Array.from({ length: MADE_UP_IDS }, (_, index) => ({ __typename: 'Backup', id: madeUpBackup(floodAsksItToo && index === FLOOD_ASKS_IT_AT ? bystanderInstance : 800_000 + index) }));
    // Many flooders split the 1,000 between them, each its own request.
    const flooders = Array.isArray(flooder) ? flooder : [flooder];
    const share = MADE_UP_IDS / flooders.length;
    const floods = flooders.map((caller, index) => harness.gql(ENTITIES, { r: representations.slice(index * share, (index + 1) * share) }, caller));
    // Every slot held at the provider, 200 more of the flood queued at the gateway.
    await hold.arrived;
    await eventually(
      async () => waitingLines().map((line) => (JSON.parse(line) as { waiting: number }).waiting),
      (waiting) => waiting.some((count) => count >= 200),
    );
    const joinedBefore = await coalescedReads();
    const answer = harness.gql('query($id: ID!) { node(id: $id) { id } }', { id: madeUpBackup(bystanderInstance) }, { ...bystander, headers: { ...bystander.headers, 'x-request-id': requestId } });
    // A read of its own queues (a line naming its request id); one the flood asked too joins the flood's read.
    await eventually(
      async () => (floodAsksItToo ? (await coalescedReads()) > joinedBefore : waitingLines().some((line) => line.includes(requestId))),
      (queued) => queued,
    );
    hold.release();
    const [answered, ...flooded] = await Promise.all([answer, ...floods]);
    expect(flooded.map((each) => each.status)).toEqual(flooders.map(() => 200));
    expect(answered.status).toBe(200);
    expect(answered.data).toEqual({ node: null });
    const backupReads = zomro.log.filter((request) => request.label === BACKUP_LIST);
    expect(backupReads).toHaveLength(floodAsksItToo ? MADE_UP_IDS : MADE_UP_IDS + 1);
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

  it("sends a read the flood asked for too in the turn of the other client that joined it, not after the flood's calls queued before it", async () => {
    // A flight waited in the line of the client that started it: a flooder that asked first for
    // what others read (an account's lists, a dashboard's instance) held every joiner behind its
    // own 1,000 calls. Joined, the flight waits in each of its clients' turns.
    const place = await bystanderPlace({ key: FLOODER }, { key: BYSTANDER }, 777_780, 'joined-bystander-read', true);
    expect(place).toBeGreaterThanOrEqual(0);
    expect(place).toBeLessThanOrEqual(17);
  });

  it("gives an IPv6 caller without a key one turn for its /64, however many of its addresses it sends from", async () => {
    // One host holds a /64: a turn per address let it take 40 turns, each a keyed client's size,
    // and a keyed client's one read went out 29th (at most 17th now).
    const addresses = Array.from({ length: 40 }, (_, index) => ({ headers: { 'x-forwarded-for': `2001:db8:7:1::${(index + 1).toString(16)}` } }));
    const place = await bystanderPlace(addresses, { key: BYSTANDER }, 777_781, 'keyed-bystander-of-a-subnet');
    expect(place).toBeGreaterThanOrEqual(0);
    expect(place).toBeLessThanOrEqual(17);
  });

  it('gives an IPv6 /64 one turn however its addresses are spelt (zone ids, capitals, leading zeros, a dotted tail)', async () => {
    // One key per address (client-address.ts) before the /64 is taken: a spelling read as another
    // address's, or as none, would be a turn of its own.
    const spellings = (index: number): string => {
      const hex = (index + 1).toString(16);
      return [`2001:db8:7:2::${hex}%eth${index}`, `2001:DB8:7:2::${hex.toUpperCase()}`, `2001:0db8:0007:0002:0000:0000:0000:${hex.padStart(4, '0')}`, `2001:db8:7:2::1.2.3.${index + 1}`][index % 4]!;
    };
    const addresses = Array.from({ length: 40 }, (_, index) => ({ headers: { 'x-forwarded-for': spellings(index) } }));
    const place = await bystanderPlace(addresses, { key: BYSTANDER }, 777_784, 'keyed-bystander-of-spellings');
    expect(place).toBeGreaterThanOrEqual(0);
    expect(place).toBeLessThanOrEqual(17);
  });

  it('gives an IPv6 /48 without a key one turn, however many of its /64s it sends from', async () => {
    // A /48 (free from tunnel brokers) holds 65,536 /64s: a turn per /64 let it take 40 turns from
    // 40 of its /64s, each a keyed client's size, and a keyed client's one read went out far back.
    const site = Array.from({ length: 40 }, (_, index) => ({ headers: { 'x-forwarded-for': `2001:db8:48:${(index + 1).toString(16)}::1` } }));
    const place = await bystanderPlace(site, { key: BYSTANDER }, 777_782, 'keyed-bystander-of-a-site');
    expect(place).toBeGreaterThanOrEqual(0);
    expect(place).toBeLessThanOrEqual(17);
  });

  it('gives another /48 its own turn beside a /48 flooding from its /64s', async () => {
    const site = Array.from({ length: 40 }, (_, index) => ({ headers: { 'x-forwarded-for': `2001:db8:48:${(index + 1).toString(16)}::1` } }));
    const place = await bystanderPlace(site, { headers: { 'x-forwarded-for': '2001:db8:49:1::1' } }, 777_783, 'anonymous-bystander-of-another-site');
    expect(place).toBeGreaterThanOrEqual(0);
    expect(place).toBeLessThanOrEqual(17);
  });

  it('gives callers without a key a turn per address within their /24 (the client address behind a trusted proxy): two of one /24 alternate', async () => {
    const place = await bystanderPlace({ headers: { 'x-forwarded-for': '198.51.100.7' } }, { headers: { 'x-forwarded-for': '198.51.100.8' } }, 777_778, 'anonymous-bystander-read');
    expect(place).toBeGreaterThanOrEqual(0);
    expect(place).toBeLessThanOrEqual(17);
  });

  it('gives an IPv4 /24 without a key one turn, however many of its addresses it sends from', async () => {
    // A turn per IPv4 address let a host with 40 addresses of one /24 take 40 turns, each a keyed
    // client's size, and a keyed client's one read went out 52nd.
    const addresses = Array.from({ length: 40 }, (_, index) => ({ headers: { 'x-forwarded-for': `198.51.101.${index + 1}` } }));
    const place = await bystanderPlace(addresses, { key: BYSTANDER }, 777_785, 'keyed-bystander-of-a-v4-subnet');
    expect(place).toBeGreaterThanOrEqual(0);
    expect(place).toBeLessThanOrEqual(17);
  });

  it('gives an IPv4 /24 one turn however its addresses are spelt (IPv4-mapped IPv6, NAT64 64:ff9b::/96)', async () => {
    // The same IPv4 address as IPv6 is the same client (client-address.ts), so the same /24.
    const spellings = (index: number): string => {
      const host = index + 1;
      return [`198.51.102.${host}`, `::ffff:198.51.102.${host}`, `::FFFF:c633:66${host.toString(16).padStart(2, '0')}`, `64:ff9b::198.51.102.${host}`][index % 4]!;
    };
    const addresses = Array.from({ length: 40 }, (_, index) => ({ headers: { 'x-forwarded-for': spellings(index) } }));
    const place = await bystanderPlace(addresses, { key: BYSTANDER }, 777_786, 'keyed-bystander-of-v4-spellings');
    expect(place).toBeGreaterThanOrEqual(0);
    expect(place).toBeLessThanOrEqual(17);
  });

  it('gives an IPv4 /24 one turn over 6to4 too (2002:V4ADDR::/48, a /48 per address of it)', async () => {
    // Read as IPv6, each 6to4 site took a /48's turn of its own: a holder of a /24 had 256 turns.
    const addresses = Array.from({ length: 40 }, (_, index) => ({ headers: { 'x-forwarded-for': `2002:c633:68${(index + 1).toString(16).padStart(2, '0')}:1::1` } }));
    const place = await bystanderPlace(addresses, { key: BYSTANDER }, 777_789, 'keyed-bystander-of-6to4-sites');
    expect(place).toBeGreaterThanOrEqual(0);
    expect(place).toBeLessThanOrEqual(17);
  });

  it('gives another /24 its own turn beside a /24 flooding from its addresses', async () => {
    const addresses = Array.from({ length: 40 }, (_, index) => ({ headers: { 'x-forwarded-for': `198.51.101.${index + 1}` } }));
    const place = await bystanderPlace(addresses, { headers: { 'x-forwarded-for': '198.51.103.1' } }, 777_787, 'anonymous-bystander-of-another-v4-subnet');
    expect(place).toBeGreaterThanOrEqual(0);
    expect(place).toBeLessThanOrEqual(17);
  });
});
