import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

type Page = { instances: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: { id: string; provider: { id: string } } }> } };
const UNPROTECTED = 'query($after: String) { instances(first: 1, after: $after, filter: { protection: [UNPROTECTED] }) { totalCount pageInfo { hasNextPage endCursor } edges { node { id provider { id } } } } }';

/**
 * "List the unprotected, back these up, next page": an instance of the first
 * page that leaves the filter before the second page is read must not make
 * the second page skip one that was never shown.
 */
describe('protection filter: paging while statuses change', () => {
  let harness: Harness;

  beforeAll(async () => {
    // One UNPROTECTED instance at each: Zomro's first, ZStack's first.
    harness = await startHarness({ kinds: ['zomro', 'zstack'] });
  });
  afterAll(() => harness.close());

  it('the next page starts after the last instance shown, not after as many matches', async () => {
    const first = await harness.gql<Page>(UNPROTECTED);
    expect(first.errors).toBeUndefined();
    expect(first.data!.instances.totalCount).toBe(2);
    const shown = first.data!.instances.edges.map((edge) => edge.node);
    expect(shown.map((node) => node.provider.id)).toEqual(['zomro-test']);

    // The operator schedules the instance shown: it is STALE (no backup yet), no longer UNPROTECTED.
    const scheduled = await harness.gql('mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id } } }', {
      input: { instanceId: shown[0]!.id, name: 'nightly', weekdays: ['MONDAY'], time: '02:30' },
    });
    expect(scheduled.errors).toBeUndefined();

    const second = await harness.gql<Page>(UNPROTECTED, { after: first.data!.instances.pageInfo.endCursor });
    expect(second.errors).toBeUndefined();
    expect(second.data!.instances.edges.map((edge) => edge.node.provider.id)).toEqual(['zstack-test']);
    expect(second.data!.instances.totalCount).toBe(1);
    expect(second.data!.instances.pageInfo.hasNextPage).toBe(false);
  });

  it('a cursor that is not one of its pages is BAD_USER_INPUT', async () => {
    const answer = await harness.gql<Page>(UNPROTECTED, { after: Buffer.from('p:[1,2]').toString('base64url') });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
