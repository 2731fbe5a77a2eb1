import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A schedule's create the provider took (a 2xx) whose answer names no schedule. OnApp's, answered
 * with an empty body, failed NOT_FOUND "created schedule": read as refused without acting, it freed
 * the idempotencyKey and the retry with it made a second schedule. Zomro's, with no id in the panel's
 * answer and the schedule list after it refused, failed with that refusal's words alone ("Forbidden"),
 * which said nothing of the schedule the panel had most likely made. Both now keep a failure that
 * says the schedule most likely exists and where to look, replayed to the retry: one create.
 */
const INSTANCES = '{ instances(first: 1000) { edges { node { id } } } }';
const CREATE = 'mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id name weekdays time } } }';

interface Created {
  createBackupSchedule: { schedule: { id: string; name: string } } | null;
}
type Handle = (request: SimRequest) => SimResponse | Promise<SimResponse>;

async function firstInstanceId(harness: Harness): Promise<string> {
  const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES);
  return answer.data!.instances.edges[0]!.node.id;
}

describe('onapp: a schedule create answered 2xx with an empty body', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: [withProviderSettings({ coalesceReads: false, cacheTtlMs: 0 })] });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it('keeps a failure that says the schedule most likely exists, replayed to the retry with its key: one schedule made, one POST', async () => {
    const { server } = harness.simulator('onapp');
    const input = { instanceId: await firstInstanceId(harness), name: 'nightly', weekdays: ['MONDAY'], time: '02:30', idempotencyKey: randomUUID() };
    const schedulesBefore = simulator.schedules.size;
    const postsBefore = server.count('POST /settings/disks/:id/schedules.json');
    simulator.scheduleCreateAnswersRecord = false;
    const first = await harness.gql<Created>(CREATE, { input });
    simulator.scheduleCreateAnswersRecord = true;
    const again = await harness.gql<Created>(CREATE, { input });
    expect(server.count('POST /settings/disks/:id/schedules.json') - postsBefore).toBe(1);
    expect(simulator.schedules.size - schedulesBefore).toBe(1);
    expect(first.errors?.[0]?.extensions?.code).toBe('PROVIDER_ERROR');
    expect(first.errors?.[0]?.extensions?.providerCode).toBe('SCHEDULE_UNNAMED');
    expect(first.errors?.[0]?.message).toMatch(/most likely exists.*weekly autobackup schedule/);
    expect(again.errors?.[0]?.extensions?.code).toBe('PROVIDER_ERROR');
    expect(again.errors?.[0]?.message).toContain('idempotencyKey');
  });
});

describe('zomro: a schedule create whose answer carries no id, the schedule list after it refused', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let instanceId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: [withProviderSettings({ coalesceReads: false, cacheTtlMs: 0 })] });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    // As Zomro documents no uniqueness of names: a second create would be taken, not refused.
    simulator.allowsRepeatedNames = true;
    instanceId = await firstInstanceId(harness);
  });
  beforeEach(() => {
    simulator.createAnswersId = false;
  });
  afterAll(() => {
    simulator.createAnswersId = true;
    return harness.close();
  });

  it.each([403, 404])('a read refused %i: a kept failure says the schedule most likely exists and how to find it, replayed, one create', async (status) => {
    const running = harness.simulator('zomro');
    const target = running.simulator as unknown as { handle: Handle };
    const handle = target.handle.bind(target);
    let refusing = false;
    target.handle = (request) => (refusing && request.form.get('func') === 'instances.fleio_bckps.schedule' ? { status, text: status === 403 ? 'Forbidden' : 'Not Found' } : handle(request));
    try {
      const input = { instanceId, name: `nightly-${randomUUID().slice(0, 8)}`, weekdays: ['MONDAY', 'THURSDAY'], time: '02:30', idempotencyKey: randomUUID() };
      const createsBefore = running.server.count('instances.fleio_bckps.schedule.edit');
      const hold = running.server.holdAnswersOf('instances.fleio_bckps.schedule.edit');
      const answer = harness.gql<Created>(CREATE, { input });
      await hold.arrived;
      refusing = true;
      hold.release();
      const first = await answer;
      refusing = false;
      const again = await harness.gql<Created>(CREATE, { input });
      expect(running.server.count('instances.fleio_bckps.schedule.edit') - createsBefore).toBe(1);
      expect(first.errors?.[0]?.extensions?.code).toBe('PROVIDER_ERROR');
      expect(first.errors?.[0]?.extensions?.providerCode).toBe('SCHEDULE_UNNAMED');
      expect(first.errors?.[0]?.message).toMatch(/most likely exists.*by its name, days and time/);
      expect(again.errors?.[0]?.extensions?.code).toBe('PROVIDER_ERROR');
      expect(again.errors?.[0]?.message).toMatch(/most likely exists[^]*idempotencyKey/);
    } finally {
      target.handle = handle;
    }
  });

  it('the read lists it: the create answers the schedule of its name, the retry with its key replays it, one create', async () => {
    const running = harness.simulator('zomro');
    const input = { instanceId, name: `nightly-${randomUUID().slice(0, 8)}`, weekdays: ['MONDAY', 'THURSDAY'], time: '02:30', idempotencyKey: randomUUID() };
    const createsBefore = running.server.count('instances.fleio_bckps.schedule.edit');
    const first = await harness.gql<Created>(CREATE, { input });
    const again = await harness.gql<Created>(CREATE, { input });
    expect(running.server.count('instances.fleio_bckps.schedule.edit') - createsBefore).toBe(1);
    expect(first.errors).toBeUndefined();
    expect(first.data?.createBackupSchedule?.schedule.name).toBe(input.name);
    expect(again.data?.createBackupSchedule?.schedule.id).toBe(first.data?.createBackupSchedule?.schedule.id);
  });
});
