import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A Zomro schedule's create reads the instance's schedule list after the panel took the
 * `instances.fleio_bckps.schedule.edit`. That read refused with the panel's own code (403, 404), or
 * failed any other way (a 5xx), was answered NOT_FOUND "created schedule": read as the create's
 * refusal, it freed the idempotencyKey, and the retry with the key made a second schedule.
 */
const INSTANCES = '{ instances(first: 1000) { edges { node { id } } } }';
const CREATE = 'mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id name weekdays time } } }';
const CREATE_LABEL = 'instances.fleio_bckps.schedule.edit';
const isListRead = (request: SimRequest): boolean => request.form.get('func') === 'instances.fleio_bckps.schedule';
const answerOf = (status: number): SimResponse => ({ status, text: status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Internal Server Error' });

interface Created {
  createBackupSchedule: { schedule: { id: string; name: string; weekdays: string[]; time: string } } | null;
}
type Handle = (request: SimRequest) => SimResponse | Promise<SimResponse>;

describe('zomro: the read after a schedule create the panel took fails', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let instanceId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: [withProviderSettings({ coalesceReads: false, cacheTtlMs: 0 })] });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    // As Zomro documents no uniqueness of names: a second create would be taken, not refused.
    simulator.allowsRepeatedNames = true;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES);
    instanceId = answer.data!.instances.edges[0]!.node.id;
  });
  beforeEach(() => {
    simulator.createAnswersId = true;
  });
  afterAll(() => harness.close());

  /** Creates a schedule while the reads after its create are answered `status`, then sends the same input again with them answered. */
  async function createThenRetry(status: number) {
    const running = harness.simulator('zomro');
    const target = running.simulator as unknown as { handle: Handle };
    const handle = target.handle.bind(target);
    let refusing = false;
    target.handle = (request) => (refusing && isListRead(request) ? answerOf(status) : handle(request));
    try {
      const input = { instanceId, name: `nightly-${randomUUID().slice(0, 8)}`, weekdays: ['MONDAY', 'THURSDAY'], time: '02:30', idempotencyKey: randomUUID() };
      const createsBefore = running.server.count(CREATE_LABEL);
      const hold = running.server.holdAnswersOf(CREATE_LABEL);
      const answer = harness.gql<Created>(CREATE, { input });
      await hold.arrived;
      refusing = true;
      hold.release();
      const first = await answer;
      refusing = false;
      const again = await harness.gql<Created>(CREATE, { input });
      return { input, first, again, creates: running.server.count(CREATE_LABEL) - createsBefore };
    } finally {
      target.handle = handle;
    }
  }

  it.each([403, 404])('a read refused %i: the create answers the schedule as asked, and the retry with its key replays it, no second create', async (status) => {
    const { input, first, again, creates } = await createThenRetry(status);
    expect(creates).toBe(1);
    expect(first.errors).toBeUndefined();
    expect(first.data?.createBackupSchedule?.schedule).toMatchObject({ name: input.name, weekdays: ['MONDAY', 'THURSDAY'], time: '02:30' });
    expect(again.errors).toBeUndefined();
    expect(again.data?.createBackupSchedule?.schedule.id).toBe(first.data?.createBackupSchedule?.schedule.id);
  });

  // A 5xx (or a timeout) of the read was kept as a failure that may have acted: the key held, but the
  // client was told the create failed though the panel had answered the new schedule's id.
  it('a read answered 500: the create answers the schedule as asked, as for a refusal, and the retry with its key replays it, no second create', async () => {
    const { input, first, again, creates } = await createThenRetry(500);
    expect(creates).toBe(1);
    expect(first.errors).toBeUndefined();
    expect(first.data?.createBackupSchedule?.schedule).toMatchObject({ name: input.name, weekdays: ['MONDAY', 'THURSDAY'], time: '02:30' });
    expect(again.errors).toBeUndefined();
    expect(again.data?.createBackupSchedule?.schedule.id).toBe(first.data?.createBackupSchedule?.schedule.id);
  });

  it('no id in the panel\'s answer and a read refused 403: nothing names the schedule, so the failure is kept and replayed, no second create', async () => {
    simulator.createAnswersId = false;
    const { first, again, creates } = await createThenRetry(403);
    expect(creates).toBe(1);
    expect(first.errors?.[0]?.extensions?.code).toBe('PROVIDER_ERROR');
    expect(again.errors?.[0]?.extensions?.code).toBe('PROVIDER_ERROR');
  });
});
