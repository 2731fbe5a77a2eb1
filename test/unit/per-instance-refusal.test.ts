import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../src/providers/adapter.js';
import { UpstreamBudget } from '../../src/upstream/budget.js';

/** What `spend` throws once the budget is used up. */
function refusalOf(budget: UpstreamBudget): unknown {
  try {
    budget.spend();
  } catch (refusal) {
    return refusal;
  }
  return null;
}

describe('a batch of one upstream call per item, once the request may make no more', () => {
  it('gives the items left the refusal spend gives, without starting their tasks (counted, not timed)', async () => {
    const budget = new UpstreamBudget(3);
    const started: number[] = [];
    const task = async (item: number): Promise<number> => {
      started.push(item);
      budget.spend();
      return item;
    };
    const results = await mapWithConcurrency([1, 2, 3, 4, 5, 6], 2, task, () => budget.refusalOfFurtherCalls());
    expect(started).toEqual([1, 2, 3]);
    const refusal = refusalOf(budget);
    expect(refusal).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(results.slice(0, 3)).toEqual([1, 2, 3]);
    for (const result of results.slice(3)) expect(result).toBe(refusal);
  });

  it('refuses nothing while calls are left', () => {
    const budget = new UpstreamBudget(1);
    expect(budget.refusalOfFurtherCalls()).toBeNull();
    budget.spend();
    expect(budget.refusalOfFurtherCalls()).toBe(refusalOf(budget));
  });
});
