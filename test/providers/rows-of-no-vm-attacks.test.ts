import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups?: Array<{ nativeId: string }> | null; definitions?: Array<{ name: string }> | null } }> };
}
type Answer = { errors?: Array<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown>; message: string }> };

const BACKUPS = '{ answered: backups(first: 100) { totalCount edges { node { nativeId } } providerErrors { code } } }';
const INSTANCE_BACKUPS = '{ instances(first: 100) { edges { node { nativeId backups { nativeId } } } } }';

/** A row's VM id unreadable in one of six ways, `secret` inside each that holds text. */
const unreadableVmId = (index: number, secret: string): unknown =>
  [`${secret}${'v'.repeat(600)}`, `${secret}\ud800`, 2 ** 60, { uuid: secret }, [secret], `\udfff${secret}`][index % 6];
/** The account's configured password. */
const passwordOf = (harness: Harness): string => String((harness.config.providers[0] as { auth: { password?: string; apiKey?: string } }).auth.password ?? (harness.config.providers[0] as { auth: { apiKey?: string } }).auth.apiKey);

/**
 * A hostile provider whose every row of a list read for many VMs at once names a VM id that
 * cannot be read back: every VM's list answers empty without an error there, the account-wide
 * field reports the rows, no error or log line quotes a value (the password planted in each), and
 * nothing of that read is cached: asked again, the rows are reported again and the provider asked.
 */
describe('zstack: every volume backup names a VM id that cannot be read back', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let password = '';
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    password = passwordOf(harness);
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.volumeBackups.forEach((row, index) => (row.vmInstanceUuid = unreadableVmId(index, password) as string));
  });
  afterAll(() => harness.close());

  const shown = (text: string): boolean => text.includes(password) || text.includes('v'.repeat(100));

  it("answers every VM's backups without error, an empty list where every row was left out", async () => {
    const listed = await harness.gql<Listed>(INSTANCE_BACKUPS);
    expect(listed.errors).toBeUndefined();
    const edges = listed.data!.instances.edges;
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.filter((edge) => edge.node.backups === null)).toEqual([]);
    expect(shown(listed.text)).toBe(false);
  });

  it('`backups` reports the rows at its path, every time it is asked, asking the provider each time; no value quoted', async () => {
    for (let round = 0; round < 2; round++) {
      const asked = harness.simulator('zstack').server.count();
      const answer = await harness.gql<{ answered: { totalCount: number; providerErrors: unknown[] } }>(BACKUPS);
      expect(answer.data?.answered.providerErrors).toEqual([]);
      const errors = (answer as Answer).errors ?? [];
      expect(errors.map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.providerCode])).toEqual([['answered', 'PROVIDER_ERROR', 'INVALID_RESPONSE']]);
      // Counted by backup (a group of volume rows), each of the six ways of its own; every one left out, no "others answered".
      expect(errors[0]!.message).toMatch(/^provider zstack-test sent an id [^:]*: every backup \(\d+\) of its backups list left out, none answered$/);
      expect(shown(answer.text)).toBe(false);
      expect(harness.simulator('zstack').server.count()).toBeGreaterThan(asked);
    }
  });

  it('logs the rows left out at warn, never quoting a value', () => {
    expect(harness.logs.some((line) => line.includes('was left out'))).toBe(true);
    expect(harness.logs.some(shown)).toBe(false);
  });
});

describe('danube: every backup definition names a hostname that cannot be read back', () => {
  let harness: Harness;
  let password = '';
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    password = passwordOf(harness);
    const simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.definitions.forEach((row, index) => (row.hostname = unreadableVmId(index, password) as string));
  });
  afterAll(() => harness.close());

  it("answers every VM's definitions without error, and `protectionSummary` reports them each time, no value quoted", async () => {
    const listed = await harness.gql<Listed>('{ instances(first: 100) { edges { node { nativeId definitions { name } } } } }');
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.instances.edges.filter((edge) => edge.node.definitions === null)).toEqual([]);
    for (let round = 0; round < 2; round++) {
      const answer = await harness.gql<{ answered: { providerErrors: unknown[] } }>('{ answered: protectionSummary { counts { instances } providerErrors { code } } }');
      expect(answer.data?.answered.providerErrors).toEqual([]);
      const codes = ((answer as Answer).errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.providerCode]);
      expect(codes).toContainEqual(['answered', 'INVALID_RESPONSE']);
      expect(answer.text).not.toContain(password);
      expect(answer.text).not.toContain('v'.repeat(100));
    }
    expect(harness.logs.some((line) => line.includes(password) || line.includes('v'.repeat(100)))).toBe(false);
  });
});
