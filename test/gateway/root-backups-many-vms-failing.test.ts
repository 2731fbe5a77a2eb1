import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { MOST_INSTANCE_FAILURES_NAMED } from '../../src/gateway/provider-errors.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Field {
  totalCount: number;
  edges?: Array<{ node: { id: string } }>;
  providerErrors: Array<{ code: string; message: string }>;
}
const FAILING = MOST_INSTANCE_FAILURES_NAMED + 15;
const QUERY = `{
  a: backups(first: 1) { totalCount edges { node { id } } providerErrors { code message } }
  b: backups(first: 1) { totalCount providerErrors { code message } }
}`;

/**
 * The root `backups` field named each VM whose list failed (the account's others answered) in an
 * entry of `providerErrors` and in an error at the field's path: one per failed VM per field,
 * however many VMs the provider lists and whatever page was asked for. A provider listing
 * thousands of VMs whose lists fail (one throttling its reads midway, or a hostile one) made a
 * `backups(first: 1)` answer thousands of errors, times each alias. The first
 * MOST_INSTANCE_FAILURES_NAMED are named; the rest of an account's are one entry counting them.
 */
describe('root backups: many VMs whose backup lists fail', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const model = simulator.vms.find((row) => row.type === 'UserVm')!;
    for (let index = 0; index < FAILING; index++) {
      const uuid = `${String(index).padStart(2, '0')}${'a'.repeat(29)}`;
      simulator.vms.push({ ...model, uuid, name: `hostile-${index}`, rootVolumeUuid: `${String(index).padStart(2, '0')}${'b'.repeat(30)}`, allVolumes: [] });
    }
  });
  afterAll(() => harness.close());

  it('names at most MOST_INSTANCE_FAILURES_NAMED of an account and counts the rest in one entry, at each path', async () => {
    const answer = await harness.gql<{ a: Field; b: Field }>(QUERY);
    const { a, b } = answer.data!;
    expect(a.edges).toHaveLength(1);
    for (const field of [a, b]) {
      expect(field.providerErrors).toHaveLength(MOST_INSTANCE_FAILURES_NAMED + 1);
      expect(field.providerErrors.filter((error) => /^backups of instance \S+ not read/.test(error.message))).toHaveLength(MOST_INSTANCE_FAILURES_NAMED);
      expect(field.providerErrors.at(-1)!.message).toMatch(new RegExp(`^backups of ${FAILING - MOST_INSTANCE_FAILURES_NAMED} more instances not read \\(the account's other instances answered\\)`));
    }
    for (const alias of ['a', 'b']) {
      const atPath = (answer.errors ?? []).filter((error) => error.path?.[0] === alias);
      expect(atPath.length, alias).toBe(MOST_INSTANCE_FAILURES_NAMED + 1);
      expect(atPath.every((error) => error.extensions?.code === 'PROVIDER_ERROR')).toBe(true);
    }
  });
});
