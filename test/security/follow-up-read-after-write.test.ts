import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { BACKUP_LIST, CREATE, instanceIds } from '../helpers/onapp-creates.js';

/**
 * OnApp answers a create with no record, so the gateway reads the VM's backups after its POST.
 * That read refused (a 429, a 403) says nothing of the POST, which OnApp has acted on: read as the
 * create's refusal, it freed the idempotencyKey and the retry with it made a second backup.
 */
const POST_CREATE = 'POST /settings/disks/:id/backups.json';
const BACKUPS_PATH = /^\/virtual_machines\/\d+\/backups\.json$/;

interface Created {
  createBackup: { operation: { id: string } } | null;
}

describe('onapp: the read after a create acted is refused', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: [withProviderSettings({ coalesceReads: false, cacheTtlMs: 0 })] });
  });
  afterAll(() => harness.close());

  /** Runs a create whose POST OnApp acts on, with `refuseReads` switched on while its answer is out. */
  async function createThenRetry(name: string, refuseReads: (on: boolean) => Promise<void>): Promise<{ first: Created | null; again: Created | null; posts: number }> {
    const [target] = await instanceIds(harness);
    const server = harness.simulator('onapp').server;
    const input = { instanceId: target!.id, name, idempotencyKey: randomUUID() };
    const postsBefore = server.count(POST_CREATE);
    const hold = server.holdAnswersOf(POST_CREATE);
    const answer = harness.gql<Created>(CREATE, { input });
    await hold.arrived;
    await refuseReads(true);
    hold.release();
    const first = await answer;
    expect(first.errors).toBeUndefined();
    await refuseReads(false);
    const again = await harness.gql<Created>(CREATE, { input });
    expect(again.errors).toBeUndefined();
    return { first: first.data ?? null, again: again.data ?? null, posts: server.count(POST_CREATE) - postsBefore };
  }

  it('a read rate limited (429): the create answers its operation, and the retry with its key replays it, no second POST', async () => {
    const server = harness.simulator('onapp').server;
    const { first, again, posts } = await createThenRetry('after-a-429', (on) => (on ? server.setFault({ mode: 'rate-limit', retryAfterSeconds: 0, onlyLabel: BACKUP_LIST }) : server.clearFault()));
    expect(posts).toBe(1);
    expect(again?.createBackup?.operation.id).toBe(first?.createBackup?.operation.id);
  });

  it('a read refused 403: the create answers its operation, and the retry with its key replays it, no second POST', async () => {
    const simulator = harness.simulator('onapp').simulator as unknown as { handle(request: SimRequest): SimResponse | Promise<SimResponse> };
    const handle = simulator.handle.bind(simulator);
    let refusing = false;
    simulator.handle = (request) => (refusing && request.method === 'GET' && BACKUPS_PATH.test(request.rawPath) ? { status: 403, json: { errors: ['not permitted'] } } : handle(request));
    try {
      const { first, again, posts } = await createThenRetry('after-a-403', async (on) => {
        refusing = on;
      });
      expect(posts).toBe(1);
      expect(again?.createBackup?.operation.id).toBe(first?.createBackup?.operation.id);
    } finally {
      simulator.handle = handle;
    }
  });
});
