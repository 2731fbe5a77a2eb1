import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { BACKUP_LIST, CREATE, instanceIds } from '../helpers/onapp-creates.js';

/**
 * OnApp answers a create with no record, so the gateway reads the VM's backups after its POST.
 * That read refused unsent or unreached (a 429, the breaker open, DNS) says nothing of the POST,
 * which OnApp has acted on: the idempotencyKey must stay held, or the retry creates a second backup.
 */
const POST_CREATE = 'POST /settings/disks/:id/backups.json';

describe('onapp: the read after a create acted fails as refused', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: [withProviderSettings({ coalesceReads: false, cacheTtlMs: 0 })] });
  });
  afterAll(() => harness.close());

  it('keeps the key of a create whose follow-up read was rate limited: the retry replays the failure, no second POST', async () => {
    const [target] = await instanceIds(harness);
    const server = harness.simulator('onapp').server;
    const input = { instanceId: target!.id, name: 'after-a-429', idempotencyKey: randomUUID() };
    const hold = server.holdAnswersOf(POST_CREATE);
    const first = harness.gql(CREATE, { input });
    await hold.arrived;
    // OnApp has made the backup; every read of the VM's backups from now on is turned away.
    await server.setFault({ mode: 'rate-limit', retryAfterSeconds: 0, onlyLabel: BACKUP_LIST });
    hold.release();
    const failed = await first;
    expect(errorCodes(failed)).toEqual(['PROVIDER_UNAVAILABLE']);
    await server.clearFault();
    const retried = await harness.gql(CREATE, { input });
    expect(server.count(POST_CREATE)).toBe(1);
    expect(errorCodes(retried)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(retried.errors?.[0]?.message).toContain('the provider may have acted on it');
  });
});
