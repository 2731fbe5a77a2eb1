import DataLoader from 'dataloader';
import { describe, expect, it } from 'vitest';
import type { Instance } from '../../src/domain/types.js';
import { ListedInstances } from '../../src/gateway/listed-instances.js';

const instance = (nativeId: string, name = nativeId): Instance => ({ providerId: 'p', nativeId, name }) as unknown as Instance;
const keyOf = (item: Instance): string => item.nativeId;

/** An instance loader over ListedInstances, as RequestLoaders builds it; `asked` records each key its batches read. */
function loaderOver(listed: ListedInstances) {
  const asked: string[] = [];
  const loader = new DataLoader<string, Instance | null>(
    async (keys) => {
      asked.push(...keys);
      return keys.map((key) => instance(key, `read ${key}`));
    },
    { cacheMap: listed },
  );
  return { loader, asked };
}

/** A request reads several accounts: an instance any of their lists named is answered without a read. */
describe('ListedInstances: instances a later account listed', () => {
  it('answers a key only a later list names, past earlier lists that do not', async () => {
    const listed = new ListedInstances();
    const vm3 = instance('vm3', 'third account');
    listed.add([instance('vm1')], keyOf);
    listed.add([instance('vm2')], keyOf);
    listed.add([vm3], keyOf);
    const { loader, asked } = loaderOver(listed);
    expect(await loader.load('vm3')).toBe(vm3);
    expect(asked).toEqual([]);
    expect(listed.listed('vm3')).toBe(true);
  });

  it('after the loader forgets a key, answers it from a later list past ones that do not name it', async () => {
    const listed = new ListedInstances();
    const { loader, asked } = loaderOver(listed);
    expect(await loader.load('vm1')).toMatchObject({ name: 'read vm1' });
    loader.clear('vm1');
    const relisted = instance('vm1', 'listed later');
    listed.add([instance('vm2')], keyOf);
    listed.add([relisted], keyOf);
    expect(await loader.load('vm1')).toBe(relisted);
    expect(asked).toEqual(['vm1']);
  });
});
