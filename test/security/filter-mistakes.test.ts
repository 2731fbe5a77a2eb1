import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

/**
 * Filters that could only be a client's mistake are refused before any
 * upstream call, never answered as an empty or unfiltered list: an
 * objective out of range was ignored when no protection status was named,
 * and swapped date bounds answered "no backups".
 */
describe('filter mistakes: BAD_USER_INPUT, not a quiet answer', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
  });
  afterAll(() => harness.close());

  it('instances(filter: { rpoHours }) out of 1 to 87600 without protection statuses', async () => {
    harness.resetUpstreamLogs();
    for (const rpoHours of [-5, 0, 87_601]) {
      const answer = await harness.gql('query ($f: InstanceFilter) { instances(filter: $f) { totalCount } }', { f: { rpoHours } });
      expect(errorCodes(answer), String(rpoHours)).toEqual(['BAD_USER_INPUT']);
      // Named as the other filter mistakes are: 'rpoHours' alone did not say which of the query's objectives.
      expect(answer.errors![0]!.message).toBe('filter.rpoHours must be an integer from 1 to 87600');
    }
    expect(harness.upstreamCount()).toBe(0);
    const fine = await harness.gql<{ instances: { totalCount: number } }>('{ instances(filter: { rpoHours: 48 }) { totalCount } }');
    expect(fine.errors).toBeUndefined();
    expect(fine.data!.instances.totalCount).toBeGreaterThan(0);
  });

  it('backups(filter: { createdAfter, createdBefore }) with no time between them', async () => {
    harness.resetUpstreamLogs();
    for (const [createdAfter, createdBefore] of [
      ['2030-01-01T00:00:00Z', '2020-01-01T00:00:00Z'],
      ['2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z'],
    ]) {
      const answer = await harness.gql('query ($f: BackupFilter) { backups(filter: $f) { totalCount } }', { f: { createdAfter, createdBefore } });
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors![0]!.message).toBe('filter.createdAfter must be before filter.createdBefore');
    }
    expect(harness.upstreamCount()).toBe(0);
    const fine = await harness.gql<{ backups: { totalCount: number } }>('{ backups(filter: { createdAfter: "2000-01-01T00:00:00Z", createdBefore: "2999-01-01T00:00:00Z" }) { totalCount } }');
    expect(fine.errors).toBeUndefined();
    expect(fine.data!.backups.totalCount).toBeGreaterThan(0);
  });
});
