import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

type Verdict = { status: string; rpoHours: number };
type Answer = {
  instances: { totalCount: number; edges: Array<{ node: { id: string; protection: Verdict; strict: Verdict } }> };
  all: { edges: Array<{ node: { id: string; protection: Verdict } }> };
};

/**
 * A row of a list filtered by protection status says the status that put it
 * in the list: `protection` without its own objective is judged at the
 * filter's, not at the account's default.
 */
describe('protection filter with its own objective', () => {
  let harness: Harness;

  beforeAll(async () => {
    // ZStack's demo backups date from 2017: STALE at 24 h, PROTECTED at ten years.
    harness = await startHarness({ kinds: ['zstack'] });
  });
  afterAll(() => harness.close());

  it('each node of instances(filter: { protection: [PROTECTED], rpoHours }) reads PROTECTED at that objective', async () => {
    const answer = await harness.gql<Answer>(`{
      instances(first: 50, filter: { protection: [PROTECTED], rpoHours: 87600 }) {
        totalCount
        edges { node { id protection { status rpoHours } strict: protection(rpoHours: 24) { status rpoHours } } }
      }
      all: instances(first: 50) { edges { node { id protection { status rpoHours } } } }
    }`);
    expect(answer.errors).toBeUndefined();
    const listed = answer.data!.instances;
    expect(listed.totalCount).toBe(5);
    for (const { node } of listed.edges) {
      expect(node.protection).toEqual({ status: 'PROTECTED', rpoHours: 87_600 });
      // Asked with its own objective, the field answers that one.
      expect(node.strict.rpoHours).toBe(24);
    }
    expect(listed.edges.some(({ node }) => node.strict.status === 'STALE')).toBe(true);
    // The same instances listed without the filter keep the account's objective.
    const unfiltered = new Map(answer.data!.all.edges.map(({ node }) => [node.id, node.protection]));
    for (const { node } of listed.edges) expect(unfiltered.get(node.id)?.rpoHours).toBe(24);
  });

  it('instances(filter: { rpoHours }) without statuses judges every node at that objective, as protectionSummary(rpoHours) counts them', async () => {
    // The objective alone was checked and then dropped: each row said the account's 24 h verdict
    // (STALE) where the summary asked at the same objective counted it PROTECTED.
    const answer = await harness.gql<{
      instances: { totalCount: number; edges: Array<{ node: { id: string; protection: Verdict } }> };
      protectionSummary: { counts: { instances: number; protected: number; stale: number; unprotected: number; unknown: number } };
    }>(`{
      instances(first: 50, filter: { rpoHours: 87600 }) { totalCount edges { node { id protection { status rpoHours } } } }
      protectionSummary(rpoHours: 87600) { counts { instances protected stale unprotected unknown } }
    }`);
    expect(answer.errors).toBeUndefined();
    const { instances, protectionSummary } = answer.data!;
    expect(instances.totalCount).toBe(protectionSummary.counts.instances);
    expect(instances.edges.map(({ node }) => node.protection.rpoHours)).toEqual(instances.edges.map(() => 87_600));
    const count = (status: string) => instances.edges.filter(({ node }) => node.protection.status === status).length;
    expect({ instances: instances.edges.length, protected: count('PROTECTED'), stale: count('STALE'), unprotected: count('UNPROTECTED'), unknown: count('UNKNOWN') }).toEqual(protectionSummary.counts);
    expect(protectionSummary.counts.protected).toBe(5);
  });
});
