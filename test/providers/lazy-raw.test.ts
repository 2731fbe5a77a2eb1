import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '../../src/providers/adapter.js';
import { HiddenFields, publicRaw } from '../../src/providers/raw.js';
import { PROVIDER_MODULES, createAdapter, providerConfigSchema, type ProviderConfig, type ProviderKind } from '../../src/providers/registry.js';
import type { RunningSimulator } from '../../src/providers/module.js';
import { sharedAnswerGuard } from '../../src/upstream/read-coalescer.js';
import { UNSCOPED } from '../../src/upstream/scope.js';

/**
 * Mappers build `raw` at its first read (withPublicRaw), from the provider row they were given.
 * Over every row the simulators serve, with the answers frozen (a mapper or anything after it
 * that changed a row threw): the raw read later is the one publicRaw gave at mapping time, read
 * twice it is one copy, and the record's JSON (the Redis cache, idempotency records, bus events)
 * and spread carry it and nothing of the row beside it.
 */
const KINDS = Object.keys(PROVIDER_MODULES) as ProviderKind[];

interface Mapped {
  raw: Record<string, unknown>;
}

interface RawSource {
  row: Record<string, unknown>;
  hidden: HiddenFields;
}

/** The row and hidden fields a record's raw is built from: the one symbol withPublicRaw defines, read past its non-enumerability; none for a raw built at once (OnApp's schedules, spread as they are built). */
function sourceOf(record: object): RawSource | undefined {
  const [symbol, ...more] = Object.getOwnPropertySymbols(record);
  expect(more).toEqual([]);
  return symbol === undefined ? undefined : (record as Record<symbol, RawSource>)[symbol];
}

describe.each(KINDS)('%s: raw built when first read', (kind) => {
  let simulator: RunningSimulator;
  let adapter: ProviderAdapter;
  const records: Mapped[] = [];
  const eager = new Map<Mapped, Record<string, unknown>>();

  beforeAll(async () => {
    sharedAnswerGuard.freeze = true;
    simulator = await PROVIDER_MODULES[kind].startSimulator({});
    adapter = createAdapter(providerConfigSchema.parse(simulator.accountConfig('lazy')) as ProviderConfig, { logger: pino({ level: 'silent' }) });
    const instances = await adapter.listInstances(UNSCOPED);
    const ids = instances.map((instance) => instance.nativeId);
    const lists = [await adapter.listBackups(ids, UNSCOPED), await adapter.listSchedules(ids, UNSCOPED), await adapter.listDefinitions(ids, UNSCOPED)];
    records.push(...instances);
    for (const list of lists) for (const item of list) if (!(item instanceof Error)) records.push(...(item as Mapped[]));
    // What the eager mapper kept: publicRaw of the row as the mapper was given it, before any raw was read.
    for (const record of records) {
      const source = sourceOf(record);
      if (source) eager.set(record, structuredClone(publicRaw(structuredClone(source.row), source.hidden)));
    }
  });
  afterAll(async () => {
    sharedAnswerGuard.freeze = false;
    await adapter?.close();
    await simulator?.stop();
  });

  it('gives, at its first read, the raw publicRaw gave at mapping time, the same copy each read', () => {
    // Instances and backups of every provider are built so at least.
    expect(eager.size).toBeGreaterThan(10);
    for (const record of eager.keys()) {
      expect(record.raw).toEqual(eager.get(record));
      expect(record.raw).toBe(record.raw);
    }
  });

  it('serialises and spreads to that raw, with no trace of the provider row', () => {
    for (const [record, expected] of eager) {
      const json = JSON.parse(JSON.stringify(record)) as Mapped;
      expect(json.raw).toEqual(expected);
      expect(Object.keys(json).at(-1)).toBe('raw');
      expect({ ...record }.raw).toEqual(expected);
      expect(Object.getOwnPropertySymbols({ ...record })).toEqual([]);
      expect(structuredClone(record).raw).toEqual(expected);
    }
  });
});
