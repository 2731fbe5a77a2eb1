import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_KINDS, type ProviderKind } from '../../src/providers/registry.js';
import { DASHBOARD_QUERY, PROTECTION_QUERY } from '../../src/server/graphiql.js';
import { sharedAnswerGuard } from '../../src/upstream/read-coalescer.js';
import { errorCodes, eventually, startHarness, withProviderSettings, type GraphQLAnswer, type Harness } from '../helpers/harness.js';

/**
 * Issue 14: identical reads in flight at the same time share one upstream
 * request and one parsed answer. Counted at the simulators.
 */
const KINDS: ProviderKind[] = ['onapp', 'danube'];
const CLIENTS = 16;

const dashboardOk = (answer: GraphQLAnswer) => {
  expect(answer.errors).toBeUndefined();
  expect((answer.data as { instances: { providerErrors: unknown[] } }).instances.providerErrors).toEqual([]);
};

const setLatency = (harness: Harness, ms: number) => {
  for (const simulator of harness.simulators.values()) simulator.server.latencyMs = ms;
};

/**
 * `count` dashboards sent together. A long upstream latency keeps each read
 * in the air while the other clients' requests arrive (on a loaded machine
 * they arrive hundreds of ms apart).
 */
async function dashboardsAtOnce(harness: Harness, count: number): Promise<void> {
  setLatency(harness, count > 1 ? 1_000 : 0);
  const answers = await Promise.all(Array.from({ length: count }, () => harness.gql(DASHBOARD_QUERY)));
  for (const answer of answers) dashboardOk(answer);
}

/** Upstream requests one dashboard costs alone, per kind. */
async function alone(harness: Harness): Promise<Record<string, number>> {
  harness.resetUpstreamLogs();
  await dashboardsAtOnce(harness, 1);
  return Object.fromEntries(KINDS.map((kind) => [kind, harness.upstreamCount(kind)]));
}

const coalescedMetric = async (harness: Harness, provider: string): Promise<number> => {
  const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith('backup_graph_upstream_coalesced_reads_total{') && entry.includes(`provider="${provider}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
};

describe('coalesced upstream reads', () => {
  const simulator = { instances: 4 };

  describe('on (the default)', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness({ kinds: KINDS, simulator });
    });
    afterAll(() => harness.close());

    it(`${CLIENTS} identical dashboards at once cost the upstream calls of one, and the metric counts the joined reads`, async () => {
      const one = await alone(harness);
      harness.resetUpstreamLogs();
      await dashboardsAtOnce(harness, CLIENTS);
      for (const kind of KINDS) {
        // Equal when every client's read joins; a little more when one arrives after a flight landed.
        expect(harness.upstreamCount(kind)).toBeLessThanOrEqual(Math.ceil(one[kind]! * 1.25));
        expect(await coalescedMetric(harness, harness.providerId(kind))).toBeGreaterThan(0);
      }
    });
  });

  describe('switched off for one provider (coalesceReads: false)', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness({
        kinds: KINDS,
        simulator,
        configure: withProviderSettings({ coalesceReads: false, maxConcurrency: 256 }, 'onapp'),
      });
    });
    afterAll(() => harness.close());

    it('that provider gets every client its own reads; the other still coalesces', async () => {
      const one = await alone(harness);
      harness.resetUpstreamLogs();
      await dashboardsAtOnce(harness, CLIENTS);
      expect(harness.upstreamCount('onapp')).toBe(one.onapp! * CLIENTS);
      // Danube's reads wait on OnApp's (its per-instance batch starts with the instance list), so they spread out more.
      expect(harness.upstreamCount('danube')).toBeLessThan((one.danube! * CLIENTS) / 2);
      expect(await coalescedMetric(harness, 'onapp-test')).toBe(0);
      expect(await coalescedMetric(harness, 'danube-test')).toBeGreaterThan(0);
    });
  });

  describe('isolation', () => {
    let harness: Harness;
    let ids: string[];
    const BACKUPS = 'query($id: ID!) { instance(id: $id) { id backups { id name } } }';

    beforeAll(async () => {
      harness = await startHarness({ kinds: ['danube'] });
      const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
      ids = list.data!.instances.edges.map((edge) => edge.node.id);
    });
    afterAll(() => harness.close());
    afterEach(async () => {
      await harness.simulator('danube').server.clearFault();
      harness.simulator('danube').server.latencyMs = 0;
    });

    /** The backups read of one instance, as the simulator labels it. */
    const backupsLabel = async (id: string): Promise<string> => {
      harness.resetUpstreamLogs();
      await harness.gql(BACKUPS, { id });
      const label = harness.simulator('danube').server.log.map((request) => request.label).find((entry) => /backup/i.test(entry));
      if (!label) throw new Error(`no backups read logged: ${harness.simulator('danube').server.log.map((request) => request.label).join(', ')}`);
      return label;
    };

    it('a failed flight fails only its own waiters, once, and the next read asks again', async () => {
      const server = harness.simulator('danube').server;
      const label = await backupsLabel(ids[0]!);
      const DEFINITIONS = 'query($id: ID!) { instance(id: $id) { id definitions { id } } }';
      harness.resetUpstreamLogs();
      // Both attempts (retries: 1) of the one flight fail; another read of the same account, in flight at the same time, does not.
      server.latencyMs = 300;
      await server.setFault({ mode: 'http-503', onlyLabel: label, times: 2 });
      const failing = Array.from({ length: 4 }, () => harness.gql(BACKUPS, { id: ids[0] }));
      const fine = Array.from({ length: 4 }, () => harness.gql(DEFINITIONS, { id: ids[0] }));
      for (const answer of await Promise.all(failing)) expect(errorCodes(answer)).toEqual(['PROVIDER_UNAVAILABLE']);
      for (const answer of await Promise.all(fine)) expect(answer.errors).toBeUndefined();
      expect(server.count(label)).toBe(2);
      server.latencyMs = 0;
      const after = await harness.gql(BACKUPS, { id: ids[0] });
      expect(after.errors).toBeUndefined();
      expect(server.count(label)).toBe(3);
    });

    it('a client that leaves does not cancel the read the others wait for; the last one out cancels it upstream', async () => {
      const server = harness.simulator('danube').server;
      const label = await backupsLabel(ids[0]!);
      const readsBeforeBackups = server.log.findIndex((request) => request.label === label);
      await server.setFault({ mode: 'slow', slowMs: 1_500, onlyLabel: label });
      harness.resetUpstreamLogs();
      /** The backups read sent by a client that will leave: `leave()` aborts it once its read is upstream. */
      const leavingClient = () => {
        const controller = new AbortController();
        const gone = fetch(harness.gateway.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: BACKUPS, variables: { id: ids[0] } }),
          signal: controller.signal,
        }).catch(() => 'aborted');
        return {
          async leave(ready: () => Promise<boolean> = async () => true) {
            await eventually(async () => server.inFlight >= 1 && (await ready()), Boolean);
            controller.abort();
            return gone;
          },
        };
      };
      // Both orders: the client that started the flight leaves, then one that joined it leaves.
      for (const leaverStarts of [true, false]) {
        harness.resetUpstreamLogs();
        const joinedBefore = await coalescedMetric(harness, 'danube-test');
        const joined = async () => (await coalescedMetric(harness, 'danube-test')) > joinedBefore;
        // The first client's backups read is upstream (held there) once the reads before it are answered and one is in flight.
        const firstIsUpstream = async () => server.log.length >= readsBeforeBackups && server.inFlight >= 1;
        let leaving: ReturnType<typeof leavingClient>;
        let staying: Promise<GraphQLAnswer<{ instance: { backups: unknown[] } }>>;
        if (leaverStarts) {
          leaving = leavingClient();
          await eventually(firstIsUpstream, Boolean);
          staying = harness.gql(BACKUPS, { id: ids[0] });
        } else {
          staying = harness.gql(BACKUPS, { id: ids[0] });
          await eventually(firstIsUpstream, Boolean);
          leaving = leavingClient();
        }
        expect(await leaving.leave(joined)).toBe('aborted');
        // The slow fault answers an empty document: no list (the provider's invalid answer), but not a cancelled read.
        const answer = await staying;
        expect(answer.errors?.map((error) => [error.extensions?.code, error.extensions?.providerCode])).toEqual([['PROVIDER_ERROR', 'INVALID_RESPONSE']]);
        expect(server.count(label)).toBe(1);
        expect(server.abandoned).toBe(0);
      }

      // Alone, the client's leaving closes the upstream request.
      harness.resetUpstreamLogs();
      await leavingClient().leave();
      await eventually(async () => server.abandoned, (abandoned) => abandoned >= 1);
    });
  });

  describe('read after write', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness({ kinds: ['zomro'] });
    });
    afterAll(() => harness.close());

    it("a mutation's follow-up read never joins a read that started before the mutation", async () => {
      const SCHEDULES = 'query($id: ID!) { instance(id: $id) { schedules { id name } } }';
      const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
      const id = list.data!.instances.edges[0]!.node.id;
      const server = harness.simulator('zomro').server;
      harness.resetUpstreamLogs();
      await harness.gql(SCHEDULES, { id });
      const label = server.log.map((request) => request.label).find((entry) => entry.includes('schedule'))!;
      // The read before the write is held (and then answered with an empty document, which fails it).
      await server.setFault({ mode: 'slow', slowMs: 3_000, onlyLabel: label, times: 1 });
      let beforeDone = false;
      const before = harness.gql<{ instance: { schedules: Array<{ id: string }> } }>(SCHEDULES, { id }).finally(() => {
        beforeDone = true;
      });
      await eventually(async () => server.inFlight, (inFlight) => inFlight >= 1);

      const created = await harness.gql<{ createBackupSchedule: { schedule: { id: string } } }>(
        'mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id } } }',
        { input: { instanceId: id, name: 'after-write', weekdays: ['TUESDAY'], time: '02:30' } },
      );
      expect(created.errors).toBeUndefined();
      const scheduleId = created.data!.createBackupSchedule.schedule.id;
      harness.resetUpstreamLogs();
      const after = await harness.gql<{ instance: { schedules: Array<{ id: string }> } }>(SCHEDULES, { id });
      // The scenario held: the older read was still in the air when the follow-up was answered.
      expect(beforeDone).toBe(false);
      expect(after.data?.instance.schedules.map((item) => item.id)).toContain(scheduleId);
      // Its own upstream read (a request is logged when answered: the held one is not yet).
      expect(server.count(label)).toBe(1);
      expect(errorCodes(await before)).toEqual(['PROVIDER_ERROR']);
    });
  });

  describe('writes', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness({ kinds: ['zomro'], simulator: { latencyMs: 300 } });
    });
    afterAll(() => harness.close());

    it('two identical writes at the same time each reach the provider', async () => {
      const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
      const id = list.data!.instances.edges[0]!.node.id;
      harness.resetUpstreamLogs();
      const create = () =>
        harness.gql('mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id } } }', {
          input: { instanceId: id, name: 'twin', weekdays: ['MONDAY'], time: '04:00' },
        });
      // The provider may refuse the twin (same name): what matters is that it was asked twice.
      await Promise.all([create(), create()]);
      const writes = harness.simulator('zomro').server.log.filter((request) => request.label.endsWith('.edit'));
      expect(writes.length).toBe(2);
    });
  });

  describe('the shared answer is read-only', () => {
    let harness: Harness;
    beforeAll(async () => {
      sharedAnswerGuard.freeze = true;
      harness = await startHarness({ kinds: PROVIDER_KINDS, simulator: { latencyMs: 20, instances: 4 } });
    });
    afterAll(async () => {
      sharedAnswerGuard.freeze = false;
      await harness.close();
    });

    it('every provider maps deep-frozen answers (no mapper changes what another waiter reads)', async () => {
      const answers = await Promise.all([harness.gql(DASHBOARD_QUERY), harness.gql(DASHBOARD_QUERY), harness.gql(PROTECTION_QUERY), harness.gql(PROTECTION_QUERY)]);
      for (const answer of answers) {
        expect(answer.errors).toBeUndefined();
        expect((answer.data as { instances?: { providerErrors: unknown[] } }).instances?.providerErrors ?? []).toEqual([]);
      }
    });
  });
});
