import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAll, appendToGroup } from '../../src/domain/arrays.js';
import { GatewayError } from '../../src/domain/errors.js';
import { acrossProviders, toProviderError } from '../../src/gateway/provider-errors.js';
import type { ProviderAdapter } from '../../src/providers/adapter.js';
import { PROVIDER_MODULES, createAdapter, providerConfigSchema, type ProviderConfig } from '../../src/providers/registry.js';
import { UpstreamBudget } from '../../src/upstream/budget.js';

async function onappAccounts(ids: string[]): Promise<ProviderAdapter[]> {
  const simulator = await PROVIDER_MODULES.onapp.startSimulator({});
  try {
    return ids.map((id) => createAdapter(providerConfigSchema.parse(simulator.accountConfig(id)) as ProviderConfig, { logger: pino({ level: 'silent' }) }));
  } finally {
    await simulator.stop();
  }
}

describe('acrossProviders', () => {
  let adapters: ProviderAdapter[];
  beforeAll(async () => {
    adapters = await onappAccounts(['a', 'b', 'c']);
  });
  afterAll(() => Promise.all(adapters.map((adapter) => adapter.close())));

  it('joins every answering account’s items in account order, however long (a spread of 200,000 overflowed the stack)', async () => {
    const long: Array<string | number> = Array.from({ length: 200_000 }, (_, index) => index);
    const { items, providerErrors } = await acrossProviders<string | number>(adapters, async (adapter) => (adapter.account.id === 'b' ? long : [adapter.account.id]));
    expect(providerErrors).toEqual([]);
    expect(items.length).toBe(200_002);
    expect(items[0]).toBe('a');
    expect(items[1]).toBe(0);
    expect(items.at(-2)).toBe(199_999);
    expect(items.at(-1)).toBe('c');
  });

  it('makes a failing account a providerError with its own code and words, and reports only the gateway’s own faults', async () => {
    const faults: Array<[string, unknown]> = [];
    const bug = new TypeError('x is not a function');
    const { items, providerErrors } = await acrossProviders(
      adapters,
      async (adapter) => {
        if (adapter.account.id === 'a') throw new GatewayError('PROVIDER_TIMEOUT', 'provider a did not answer in time');
        if (adapter.account.id === 'b') throw bug;
        return ['c-item'];
      },
      (adapter, fault) => faults.push([adapter.account.id, fault]),
    );
    expect(items).toEqual(['c-item']);
    expect(providerErrors.map(({ provider, code, message }) => ({ provider: provider.account.id, code, message }))).toEqual([
      { provider: 'a', code: 'PROVIDER_TIMEOUT', message: 'provider a did not answer in time' },
      // The fault's own words stay in the log.
      { provider: 'b', code: 'PROVIDER_ERROR', message: 'provider b failed' },
    ]);
    expect(faults).toEqual([['b', bug]]);
  });

  it('needs no report to turn a fault into a providerError', () => {
    expect(toProviderError(adapters[0]!, new RangeError('deep'))).toMatchObject({ code: 'PROVIDER_ERROR', message: 'provider a failed' });
  });
});

describe('appendAll', () => {
  it('appends in order, leaving the source as it was', () => {
    const target = [1];
    const source = [2, 3];
    appendAll(target, source);
    expect(target).toEqual([1, 2, 3]);
    expect(source).toEqual([2, 3]);
  });
});

describe('appendToGroup', () => {
  it('grows the group in place, in order, and starts a group for a new key', () => {
    const groups = new Map<string, number[]>();
    appendToGroup(groups, 'a', 1);
    const group = groups.get('a');
    appendToGroup(groups, 'a', 2);
    appendToGroup(groups, 'b', 3);
    expect(groups.get('a')).toBe(group);
    expect(Object.fromEntries(groups)).toEqual({ a: [1, 2], b: [3] });
  });
});

describe('UpstreamBudget', () => {
  it('refuses every call past the limit with one QUERY_TOO_COMPLEX error naming the limit', () => {
    const budget = new UpstreamBudget(2);
    budget.spend();
    budget.spend();
    const refusals = [0, 1].map(() => {
      try {
        budget.spend();
      } catch (error) {
        return error;
      }
      return null;
    });
    expect(refusals[0]).toBeInstanceOf(GatewayError);
    expect(refusals[0]).toMatchObject({ code: 'QUERY_TOO_COMPLEX', message: expect.stringContaining('more than 2 upstream calls') });
    expect(refusals[1]).toBe(refusals[0]);
  });

  it('refuses calls announced past the limit before any is made, spending nothing itself', () => {
    const budget = new UpstreamBudget(3);
    budget.spend();
    budget.reserve(2);
    expect(() => budget.reserve(3)).toThrow(expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', message: expect.stringContaining('more than 3 upstream calls') }));
    // Reserving spent nothing: the two calls it allowed can still be made, and no third.
    budget.spend();
    budget.spend();
    budget.reserve(0);
    expect(() => budget.reserve(1)).toThrow(expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }));
    let refusal: unknown;
    try {
      budget.spend();
    } catch (error) {
      refusal = error;
    }
    // One refusal for the request, however it was reached.
    expect(() => budget.reserve(1)).toThrow(refusal as Error);
  });
});
