import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import type { BackupDefinition, Instance } from '../../src/domain/types.js';
import type { ProviderAdapter } from '../../src/providers/adapter.js';
import type { RunningSimulator } from '../../src/providers/module.js';
import { createAdapter, providerConfigSchema, startSimulator, type ProviderConfig } from '../../src/providers/registry.js';

const scope = { requestId: 'own-limits' };
/** Values a refusal must never quote: each is one past its limit. */
const NINE = 'ninechars';
const LONG_LABEL = `${'n'.repeat(64)}.example`;
const LONG_ZPOOL = 'z'.repeat(65);
const LONG_DESCRIPTION = 'd'.repeat(129);

/** The refusal a write threw (a GatewayError), or fails the test. */
async function refusal(write: Promise<unknown>): Promise<GatewayError> {
  const error: unknown = await write.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

/**
 * The Danube adapter's writes hold their input to Danube's limits (input-limits.ts) themselves:
 * only their two callers (mutations.ts, bulk-create.ts) did, and a third that skipped the check
 * sent Danube a nine-character definition name, a 64-character node label, a 65-character zpool
 * or a 129-character description, answered in Danube's words, not the gateway's.
 */
describe('danube adapter: its writes refuse what Danube refuses, whoever calls them', () => {
  let simulator: RunningSimulator;
  let adapter: ProviderAdapter;
  let instance: Instance;
  let definition: BackupDefinition;
  const writes = () => simulator.server.log.filter((request) => request.method !== 'GET');

  beforeAll(async () => {
    simulator = await startSimulator('danube');
    adapter = createAdapter(providerConfigSchema.parse(simulator.accountConfig('danube-own')) as ProviderConfig, { logger: pino({ level: 'silent' }) });
    const instances = await adapter.listInstances(scope);
    const definitions = await adapter.listDefinitions(instances.map((each) => each.nativeId), scope);
    const index = definitions.findIndex((list) => Array.isArray(list) && list.length > 0);
    const listed = definitions[index];
    if (!Array.isArray(listed)) throw new Error('the seeded simulator lists a VM with definitions');
    instance = instances[index]!;
    definition = listed[0]!;
  });
  afterAll(async () => {
    await adapter.close();
    await simulator.stop();
  });
  beforeEach(() => {
    simulator.server.log.length = 0;
  });

  const definitionInput = { name: 'daily2', diskId: 1, cron: '0 4 * * *', retention: 3, node: 'node99.erigones.com', zpool: null, active: true, compression: 'NONE' as const, bandwidthLimit: null, description: null, fsfreeze: false };

  it.each([
    ['createBackup', 'definitionName', /at most 8 characters/, NINE, () => adapter.createBackup({ instance, name: 'x', diskId: null, definitionName: NINE, note: null }, scope)],
    ['createDefinition', 'name', /at most 8 characters/, NINE, () => adapter.createDefinition({ instance, ...definitionInput, name: NINE }, scope)],
    ['createDefinition', 'node', /labels are at most 63 characters/, LONG_LABEL, () => adapter.createDefinition({ instance, ...definitionInput, node: LONG_LABEL }, scope)],
    ['createDefinition', 'zpool', /at most 64 characters/, LONG_ZPOOL, () => adapter.createDefinition({ instance, ...definitionInput, zpool: LONG_ZPOOL }, scope)],
    ['createDefinition', 'description', /at most 128 characters/, LONG_DESCRIPTION, () => adapter.createDefinition({ instance, ...definitionInput, description: LONG_DESCRIPTION }, scope)],
    ['updateDefinition', 'description', /at most 128 characters/, LONG_DESCRIPTION, () => adapter.updateDefinition({ definition, description: LONG_DESCRIPTION }, scope)],
  ])('%s refuses %s past its limit as BAD_USER_INPUT naming field and limit, not the value, and sends nothing', async (_write, field, limit, value, write) => {
    const error = await refusal(write());
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message.startsWith(`${field} must`)).toBe(true);
    expect(error.message).toMatch(limit);
    expect(error.message).not.toContain(value);
    expect(JSON.stringify(error.details)).not.toContain(value);
    expect(error.details).toMatchObject({ provider: 'danube-own', fields: [field] });
    expect(writes()).toEqual([]);
  });

  it('still writes input within the limits (guard)', async () => {
    const created = await adapter.createDefinition({ instance, ...definitionInput, name: 'wk12345', zpool: 'z'.repeat(64), description: 'd'.repeat(128) }, scope);
    expect(created.name).toBe('wk12345');
    expect(writes()).toHaveLength(1);
  });
});
