import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZSTACK_SIM_STORAGE, type ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

const SYNC = 'mutation { syncBackups(input: { providerId: "zstack-test" }) { operation { id status } } }';

/**
 * ZStack's REST server answers 404 itself for a path no API of its version maps ("no api mapping
 * to <path>", plain text): an API newer than the ZStack answering, as SyncVmBackup (Starting
 * Version 3.5.0) on a 3.4. That is no missing resource, which an API says with its error body
 * (SysErrors.RESOURCE_NOT_FOUND, SYS.1003). Read by the mapping every provider shares, both were
 * NOT_FOUND "not found at the provider".
 */
describe("zstack: a 404 is read by ZStack's body", () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
  });
  afterAll(() => harness.close());

  it('an API this ZStack is too old for is PROVIDER_ERROR naming the path that maps none, not NOT_FOUND', async () => {
    simulator.olderThanSyncVmBackup = true;
    try {
      const answer = await harness.gql(SYNC);
      expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
      expect(answer.errors?.[0]?.message).toBe(
        `provider zstack-test has no API at PUT /zstack/v1/vm-backups/imageStore/${ZSTACK_SIM_STORAGE}/actions (HTTP 404): the ZStack answering is older than that API, or the account's url is wrong`,
      );
      expect(answer.errors?.[0]?.extensions).toMatchObject({ provider: 'zstack-test', providerCode: 'HTTP_404' });
    } finally {
      simulator.olderThanSyncVmBackup = false;
    }
  });

  it('a 404 whose body is ZStack\'s resource-not-found error (SYS.1003) is still NOT_FOUND', async () => {
    simulator.nextWriteNotFound = { code: 'SYS.1003', description: 'cannot find image store' };
    const answer = await harness.gql(SYNC);
    expect(errorCodes(answer)).toEqual(['NOT_FOUND']);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ provider: 'zstack-test', providerCode: 'HTTP_404' });
  });

  it("a 404 with another ZStack error is that error, its code kept (it was NOT_FOUND)", async () => {
    simulator.nextWriteNotFound = { code: 'SYS.1007', description: 'invalid argument' };
    const answer = await harness.gql(SYNC);
    expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
    expect(answer.errors?.[0]?.message).toBe('invalid argument');
    expect(answer.errors?.[0]?.extensions).toMatchObject({ provider: 'zstack-test', providerCode: 'SYS.1007' });
  });
});
