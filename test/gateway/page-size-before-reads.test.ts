import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, errorCodes, startHarness, withLimits, withProviderSettings } from '../helpers/harness.js';

const COUNT = '{ totalCount }';
type Args = { first?: number; last?: number };
const refusals = (answer: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }) => answer.errors?.map((error) => [error.extensions?.code, error.message]);

/**
 * A page size out of bounds was refused only once every account's list had been read: a client
 * asking `instances(first: 5000)` across four accounts cost every provider a list read (and, for
 * `backups`, every VM's backup list) for an answer that was always going to be BAD_USER_INPUT.
 * The simulators count what they were asked; the cache is off, so nothing read before hides a read.
 */
describe('a page size out of bounds is refused before any upstream read', () => {
  let harness: Harness;
  let instanceId: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp', 'zstack', 'danube'], configure: [withProviderSettings({ cacheTtlMs: 0 }), withLimits({ maxPageSize: 100 })] });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 1) { edges { node { id } } } }');
    instanceId = listed.data!.instances.edges[0]!.node.id;
  });
  afterAll(() => harness.close());

  const LISTS: Array<[string, string]> = [
    ['instances', 'query($first: Int, $last: Int) { list: instances(first: $first, last: $last) COUNT }'],
    ['instances by status', 'query($first: Int, $last: Int) { list: instances(first: $first, last: $last, filter: { status: [RUNNING] }) COUNT }'],
    ['instances by protection', 'query($first: Int, $last: Int) { list: instances(first: $first, last: $last, filter: { protection: [PROTECTED] }) COUNT }'],
    ['backups', 'query($first: Int, $last: Int) { list: backups(first: $first, last: $last) COUNT }'],
    ['backups of one provider kind', 'query($first: Int, $last: Int) { list: backups(first: $first, last: $last, filter: { kind: ONAPP }) COUNT }'],
    ['backups of one instance', 'query($first: Int, $last: Int, $instanceId: ID) { list: backups(first: $first, last: $last, filter: { instanceId: $instanceId }) COUNT }'],
  ];
  const CASES: Array<[Args, string]> = [
    [{ first: 101 }, 'first must be between 1 and 100'],
    [{ first: 0 }, 'first must be between 1 and 100'],
    [{ last: 101 }, 'last must be between 1 and 100'],
    [{ first: 2, last: 2 }, 'first and last cannot both be given: page forward with first and after, or backward with last and before'],
  ];

  it.each(LISTS)('%s: refused with its usual words and no upstream call', async (_name, query) => {
    for (const [args, message] of CASES) {
      harness.resetUpstreamLogs();
      const refused = await harness.gql(query.replace('COUNT', COUNT), { ...args, instanceId });
      expect(refusals(refused), JSON.stringify(args)).toEqual([['BAD_USER_INPUT', message]]);
      expect(harness.upstreamCount(), JSON.stringify(args)).toBe(0);
    }
    // The counters do count: the same list at the cap reads upstream.
    harness.resetUpstreamLogs();
    const answered = await harness.gql(query.replace('COUNT', COUNT), { first: 100, instanceId });
    expect(answered.errors).toBeUndefined();
    expect(harness.upstreamCount()).toBeGreaterThan(0);
  });

  it.each(LISTS)('%s: a cursor not from a previous page is refused with its usual words and no upstream call', async (_name, query) => {
    const withCursors = query.replace('$last: Int', '$last: Int, $after: String, $before: String').replace('last: $last', 'last: $last, after: $after, before: $before');
    // Not base64 of any cursor; base64url of "o:x"; a protection-filtered list's cursor shape given to the other lists, and theirs to it.
    const garbage = ['nope', Buffer.from('o:x').toString('base64url'), Buffer.from(/protection|status/.test(query) ? 'o:1' : 'p:[1,"a","b"]').toString('base64url')];
    for (const cursor of garbage) {
      for (const argument of ['after', 'before'] as const) {
        harness.resetUpstreamLogs();
        const refused = await harness.gql(withCursors.replace('COUNT', COUNT), { instanceId, [argument]: cursor });
        expect(refusals(refused), `${argument}: ${cursor}`).toEqual([['BAD_USER_INPUT', `${argument} must be a cursor from a previous page`]]);
        expect(harness.upstreamCount(), `${argument}: ${cursor}`).toBe(0);
      }
    }
  });

  it('guard: an account not found is still NOT_FOUND before a page size is looked at', async () => {
    for (const query of ['{ instances(providerId: "nope", first: 101) { totalCount } }', '{ backups(first: 101, filter: { providerId: "nope" }) { totalCount } }', '{ instances(providerId: "nope", first: 101, filter: { protection: [PROTECTED] }) { totalCount } }']) {
      harness.resetUpstreamLogs();
      expect(errorCodes(await harness.gql(query)), query).toEqual(['NOT_FOUND']);
      expect(harness.upstreamCount(), query).toBe(0);
    }
  });
});
