import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, withLimits, type Harness } from '../helpers/harness.js';

/**
 * `instances(filter: { rpoHours })` without statuses judges every instance it lists (their backups,
 * schedules and definitions read) whether or not `protection` is selected; the cost rule priced it
 * as the plain list. Each item of the page now costs what a `protection { status }` selection on it
 * does, as with `filter: { protection }`.
 *
 * `instances(first: 100) { edges { node { id } } }` costs 1 + 100 x 3 = 301; judged, 1 + 100 x 5 = 501.
 */
describe('the cost of a filter that judges protection', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withLimits({ maxCost: 400 }) });
  });
  afterAll(() => harness?.close());

  const refused = async (query: string, variables?: Record<string, unknown>) => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(query, variables);
    expect(answer.status).toBe(400);
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answer.errors?.[0]?.message).toBe('Query cost limit exceeded: 501 > 400. Ask for fewer items (first or last) or fewer nested lists.');
    expect(harness.upstreamCount()).toBe(0);
  };
  const accepted = async (query: string, variables?: Record<string, unknown>) => {
    const answer = await harness.gql(query, variables);
    expect(answer.errors).toBeUndefined();
  };

  it('the plain list is within the limit; with filter.rpoHours it is not', async () => {
    await accepted('{ instances(first: 100) { edges { node { id } } } }');
    await accepted('{ instances(first: 100, filter: { rpoHours: null }) { edges { node { id } } } }');
    await refused('{ instances(first: 100, filter: { rpoHours: 24 }) { edges { node { id } } } }');
  });

  it('priced alike given as a filter variable or as a variable rpoHours, once the variables are known', async () => {
    const byFilter = 'query($filter: InstanceFilter) { instances(first: 100, filter: $filter) { edges { node { id } } } }';
    await refused(byFilter, { filter: { rpoHours: 24 } });
    await accepted(byFilter, { filter: {} });
    await accepted(byFilter, { filter: null });
    const byObjective = 'query($rpo: Int) { instances(first: 100, filter: { rpoHours: $rpo }) { edges { node { id } } } }';
    await refused(byObjective, { rpo: 24 });
    await accepted(byObjective, {});
  });

  it('as a protection filter, and as selecting protection on each node', async () => {
    await refused('{ instances(first: 100, filter: { protection: [STALE] }) { edges { node { id } } } }');
    await refused('{ instances(first: 100) { edges { node { id protection { status } } } } }');
  });
});
