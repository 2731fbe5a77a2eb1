import { GraphQLError, type ExecutionResult } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderFailure } from '../../src/domain/connection.js';
import { GatewayError } from '../../src/domain/errors.js';
import { InstanceListsFailed } from '../../src/gateway/instance-lists-failed.js';
import { instanceListErrors, MOST_INSTANCE_FAILURES_NAMED, type InstanceListFailure } from '../../src/gateway/provider-errors.js';
import { withInstanceListsFailed } from '../../src/graphql/instance-lists-failed-errors.js';
import type { ProviderAdapter } from '../../src/providers/adapter.js';
import { PROVIDER_MODULES, createAdapter, providerConfigSchema, type ProviderConfig } from '../../src/providers/registry.js';

let adapter: ProviderAdapter;
beforeAll(async () => {
  const simulator = await PROVIDER_MODULES.onapp.startSimulator({});
  try {
    adapter = createAdapter(providerConfigSchema.parse(simulator.accountConfig('panel')) as ProviderConfig, { logger: pino({ level: 'silent' }) });
  } finally {
    await simulator.stop();
  }
});
afterAll(() => adapter.close());

const throttled = (vm: string) => new GatewayError('PROVIDER_UNAVAILABLE', `provider panel refused the backups of ${vm}`, { provider: 'panel', providerCode: 'TOO_MANY', retryAfterSeconds: 30 });
const failures = (count: number, reason: (index: number) => unknown = (index) => throttled(`vm-${index}`)): InstanceListFailure[] =>
  Array.from({ length: count }, (_, index) => ({ instanceGlobalId: `SW5zdGFuY2U6${index}`, reason: reason(index) }));
const shape = ({ provider, ...rest }: ProviderFailure) => ({ provider: provider.account.id, ...rest });

describe('instanceListErrors (the VMs whose lists failed while the account answered)', () => {
  it('is nothing where no VM failed', () => {
    expect(instanceListErrors(adapter, 'backups', [])).toEqual([]);
  });

  it('names each failed VM by its global id, with the provider’s code, words and wait', () => {
    expect(instanceListErrors(adapter, 'backups', failures(2)).map(shape)).toEqual([0, 1].map((index) => ({
      provider: 'panel',
      code: 'PROVIDER_UNAVAILABLE',
      message: `backups of instance SW5zdGFuY2U6${index} not read (the account's other instances answered): provider panel refused the backups of vm-${index}`,
      instanceId: `SW5zdGFuY2U6${index}`,
      retryAfterSeconds: 30,
      providerCode: 'TOO_MANY',
    })));
  });

  it('keeps no provider code where the failure carries none, and reports only the gateway’s own faults', () => {
    const faults: unknown[] = [];
    const bug = new TypeError('x is not a function');
    const answer = instanceListErrors(adapter, 'schedules', failures(2, (index) => (index === 0 ? new GatewayError('PROVIDER_TIMEOUT', 'provider panel did not answer in time') : bug)), (_, fault) => faults.push(fault));
    expect(answer.map(shape)).toEqual([
      { provider: 'panel', code: 'PROVIDER_TIMEOUT', message: "schedules of instance SW5zdGFuY2U60 not read (the account's other instances answered): provider panel did not answer in time", instanceId: 'SW5zdGFuY2U60' },
      { provider: 'panel', code: 'PROVIDER_ERROR', message: "schedules of instance SW5zdGFuY2U61 not read (the account's other instances answered): provider panel failed", instanceId: 'SW5zdGFuY2U61' },
    ]);
    expect(faults).toEqual([bug]);
  });

  it(`names ${MOST_INSTANCE_FAILURES_NAMED} VMs at most, the rest one entry counting them in the words of the first of them`, () => {
    expect(MOST_INSTANCE_FAILURES_NAMED).toBe(10);
    expect(instanceListErrors(adapter, 'backups', failures(10)).map((entry) => entry.instanceId)).toEqual(failures(10).map((entry) => entry.instanceGlobalId));
    const faults: unknown[] = [];
    const many = instanceListErrors(adapter, 'backups', failures(2_000, (index) => (index < 10 ? throttled(`vm-${index}`) : new RangeError(`fault ${index}`))), (_, fault) => faults.push(fault));
    expect(many).toHaveLength(11);
    expect(many.slice(0, 10).map((entry) => entry.instanceId)).toEqual(failures(10).map((entry) => entry.instanceGlobalId));
    expect(shape(many[10]!)).toEqual({ provider: 'panel', code: 'PROVIDER_ERROR', message: "backups of 1990 more instances not read (the account's other instances answered), the first: provider panel failed", moreInstances: 1990 });
    // Only the failures told are read: one fault reported, not 1,990.
    expect(faults).toEqual([new RangeError('fault 10')]);
    const eleven = instanceListErrors(adapter, 'backups', failures(11));
    expect(shape(eleven[10]!)).toEqual({ provider: 'panel', code: 'PROVIDER_UNAVAILABLE', message: "backups of 1 more instances not read (the account's other instances answered), the first: provider panel refused the backups of vm-10", moreInstances: 1, retryAfterSeconds: 30, providerCode: 'TOO_MANY' });
  });
});

describe('withInstanceListsFailed (an error at the field’s path per VM list answered without)', () => {
  const result: ExecutionResult = { data: { backups: { nodes: [] } }, errors: [new GraphQLError('earlier')] };
  const context = (failed: InstanceListsFailed) => ({ reads: { instanceListsFailed: failed } });

  it('claims only the failures of VMs’ lists, not an account’s', () => {
    const failed = new InstanceListsFailed();
    expect(failed.any).toBe(false);
    const [named, more] = [...instanceListErrors(adapter, 'backups', failures(11))].filter((_, index) => index === 0 || index === 10);
    const account: ProviderFailure = { provider: adapter, code: 'PROVIDER_ERROR', message: 'provider panel failed' };
    failed.claim(['backups'], [account]);
    expect(failed.any).toBe(false);
    failed.claim(['alias', 'backups'], [account, named!, more!]);
    expect(failed.any).toBe(true);
    expect(failed.entries()).toEqual([
      { path: ['alias', 'backups'], failure: named },
      { path: ['alias', 'backups'], failure: more },
    ]);
  });

  it('answers as it was with no failed list, no data, or a context of another shape', () => {
    expect(withInstanceListsFailed(result, context(new InstanceListsFailed()))).toBe(result);
    for (const other of [null, undefined, {}, { reads: {} }]) expect(withInstanceListsFailed(result, other)).toBe(result);
    const failed = new InstanceListsFailed();
    failed.claim(['backups'], instanceListErrors(adapter, 'backups', failures(1)));
    const noData: ExecutionResult = { errors: [new GraphQLError('refused')] };
    expect(withInstanceListsFailed(noData, context(failed))).toBe(noData);
    const nullData: ExecutionResult = { data: null, errors: [new GraphQLError('refused')] };
    expect(withInstanceListsFailed(nullData, context(failed))).toBe(nullData);
  });

  it('adds each after the errors already there, at its path, with its code, provider, provider code and wait', () => {
    const failed = new InstanceListsFailed();
    failed.claim(['backups'], instanceListErrors(adapter, 'backups', failures(1)));
    failed.claim(['other'], [{ provider: adapter, code: 'SOMETHING_ELSE', message: 'odd', instanceId: 'SW5zdGFuY2U6OQ' }]);
    const answer = withInstanceListsFailed(result, context(failed));
    expect(answer.data).toBe(result.data);
    expect(answer.errors?.[0]).toBe(result.errors?.[0]);
    const added = (answer.errors ?? []).slice(1).map((error) => ({ message: error.message, path: error.path, code: (error.originalError as GatewayError).code, details: (error.originalError as GatewayError).details }));
    expect(added).toEqual([
      { message: "backups of instance SW5zdGFuY2U60 not read (the account's other instances answered): provider panel refused the backups of vm-0", path: ['backups'], code: 'PROVIDER_UNAVAILABLE', details: { provider: 'panel', providerCode: 'TOO_MANY', retryAfterSeconds: 30 } },
      // A code the gateway does not have is told as a provider's error.
      { message: 'odd', path: ['other'], code: 'PROVIDER_ERROR', details: { provider: 'panel' } },
    ]);
    const alone = withInstanceListsFailed({ data: {} }, context(failed));
    expect(alone.errors).toHaveLength(2);
  });
});
