import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_SUCH_PROVIDER_FILTER } from '../../src/gateway/provider-set.js';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

/** syncBackups' providerId is typed, not copied: one naming no account is NOT_FOUND, in a filter's words. */
describe('syncBackups naming no account', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('is NOT_FOUND saying where the ids are', async () => {
    const answer = await harness.gql('mutation { syncBackups(input: { providerId: "zomro-demo" }) { operation { id } } }');
    expect(errorCodes(answer)).toEqual(['NOT_FOUND']);
    expect(answer.errors?.[0]?.message).toBe(NO_SUCH_PROVIDER_FILTER);
  });
});
