/**
 * `node --expose-gc --import tsx bench/cache-entry-bytes.ts`: what one cached
 * list holds in the heap, for the read cache's byte estimate
 * (src/gateway/cached-list-bytes.ts). Every simulator behind a gateway with
 * the read cache on; one query reads every instance's lists, and each list
 * the cache is handed is copied (structuredClone: Dates and all, no string
 * shared) until some 100,000 records are held, and the heap measured after a
 * full GC before and after: bytes per record, by provider kind and list kind.
 * Then the cost of an entry itself (its key, its wrapper, lru-cache's slot):
 * 100,000 empty lists set in a MemoryStore.
 */
import { MemoryStore } from '../src/state/memory-store.js';
import type { KeyValueStore } from '../src/state/store.js';
import { startHarness, withProviderSettings } from '../test/helpers/harness.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc --import tsx');
const heapAfterGc = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const handed: Array<{ key: string; value: unknown }> = [];
class RecordingStore extends MemoryStore {
  override namespace(name: string, options: { maxEntries: number }): KeyValueStore {
    const child = super.namespace(name, options);
    if (name !== 'cache') return child;
    const setMany = child.setMany.bind(child);
    child.setMany = (entries) => {
      handed.push(...entries.map(({ key, value }) => ({ key, value })));
      return setMany(entries);
    };
    return child;
  }
}

const harness = await startHarness({
  kinds: ['zomro', 'onapp', 'zstack', 'danube'],
  simulator: { instances: 10, backupsPerInstance: 40 },
  store: new RecordingStore(),
  configure: withProviderSettings({ cacheTtlMs: 600_000 }),
});
await harness.gql('{ instances(first: 500) { edges { node { id backups { id } schedules { id } definitions { id } } } } }');
await harness.close();

const groups = new Map<string, unknown[]>();
for (const { key, value } of handed) {
  // `${build}/${providerId}:${kind}:${nativeId}`, the providers `<kind>-test`.
  const [, address] = key.split('/') as [string, string];
  const [providerId, kind] = address.split(':') as [string, string];
  if (!Array.isArray(value) || value.length === 0) continue;
  const group = `${providerId.replace(/-test$/, '')} ${kind}`;
  groups.set(group, [...(groups.get(group) ?? []), ...(value as unknown[])]);
}

const TARGET_RECORDS = 100_000;
const rows: string[] = [];
for (const [group, records] of [...groups].sort()) {
  const copies = Math.ceil(TARGET_RECORDS / records.length);
  const before = heapAfterGc();
  const held = Array.from({ length: copies }, () => structuredClone(records));
  const after = heapAfterGc();
  rows.push(`| ${group} | ${records.length} | ${((after - before) / (copies * records.length)).toFixed(0)} |`);
  held.length = 0;
}

const ENTRIES = 100_000;
const store = new MemoryStore(ENTRIES);
const before = heapAfterGc();
await store.setMany(Array.from({ length: ENTRIES }, (_, index) => ({ key: `0123456789abcdef/zomro-nl:backups:${100_000 + index}`, value: [], ttlMs: 600_000 })));
const after = heapAfterGc();
await store.close();

process.stdout.write(
  [
    '| provider, list | records read | heap bytes per record |',
    '| --- | ---: | ---: |',
    ...rows,
    '',
    `an entry (key, wrapper, LRU slot, empty list): ${((after - before) / ENTRIES).toFixed(0)} bytes`,
    '',
  ].join('\n'),
);
