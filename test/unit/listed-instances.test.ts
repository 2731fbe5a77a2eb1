import DataLoader from 'dataloader';
import { describe, expect, it } from 'vitest';
import type { Instance } from '../../src/domain/types.js';
import { ListedInstances } from '../../src/gateway/listed-instances.js';

const instance = (nativeId: string, name = nativeId): Instance => ({ providerId: 'p', nativeId, name }) as unknown as Instance;
const keyOf = (item: Instance): string => item.nativeId;

/** An instance loader over ListedInstances, as RequestLoaders builds it; `asked` records each key its batches read. */
function loaderOver(listed: ListedInstances, answer: (key: string) => Instance | null | Error = (key) => instance(key, `read ${key}`)) {
  const asked: string[] = [];
  const loader = new DataLoader<string, Instance | null>(
    async (keys) => {
      asked.push(...keys);
      return keys.map(answer);
    },
    { cacheMap: listed },
  );
  return { loader, asked };
}

/** The instances listed, as RequestLoaders primed the loader with them (DataLoader.prime: kept where the key held nothing). */
describe('ListedInstances (the instance loader primed with the listed instances)', () => {
  it('answers a load of a listed instance without a read, and counts it seen', async () => {
    const listed = new ListedInstances();
    const vm1 = instance('vm1');
    listed.add([vm1], keyOf);
    const { loader, asked } = loaderOver(listed);
    expect(await loader.load('vm1')).toBe(vm1);
    expect(await loader.load('vm1')).toBe(vm1);
    expect(asked).toEqual([]);
    expect(listed.listed('vm1')).toBe(true);
    expect(listed.listed('vm2')).toBe(false);
    expect(await loader.load('vm2')).toMatchObject({ name: 'read vm2' });
    expect(asked).toEqual(['vm2']);
  });

  it('keeps the first answer of a key: the loader\'s own, then the first list naming it', async () => {
    const listed = new ListedInstances();
    const { loader, asked } = loaderOver(listed);
    const read = await loader.load('vm1');
    listed.add([instance('vm1', 'listed'), instance('vm2', 'first'), instance('vm2', 'repeat')], keyOf);
    listed.add([instance('vm2', 'second list')], keyOf);
    expect(await loader.load('vm1')).toBe(read);
    expect(await loader.load('vm2')).toMatchObject({ name: 'first' });
    expect(asked).toEqual(['vm1']);
  });

  it('after the loader forgets a key (clear), answers it only from a list added later; a failed load stays failed', async () => {
    const listed = new ListedInstances();
    const { loader, asked } = loaderOver(listed, (key) => (key === 'vm1' ? new Error('upstream down') : instance(key, `read ${key}`)));
    listed.add([instance('vm2', 'listed before')], keyOf);
    await expect(loader.load('vm1')).rejects.toThrow('upstream down');
    loader.clear('vm2');
    expect(await loader.load('vm2')).toMatchObject({ name: 'read vm2' });
    listed.add([instance('vm1', 'listed after'), instance('vm2', 'listed after')], keyOf);
    // As after prime: the failed load holds its key; the loader's own answer holds vm2's.
    await expect(loader.load('vm1')).rejects.toThrow('upstream down');
    expect(await loader.load('vm2')).toMatchObject({ name: 'read vm2' });
    // Forgotten: what was listed before is not served again (prime had not put it), what is listed later is.
    loader.clear('vm1');
    loader.clear('vm2');
    expect(await loader.load('vm2')).toMatchObject({ name: 'read vm2' });
    listed.add([instance('vm1', 'listed third')], keyOf);
    expect(await loader.load('vm1')).toMatchObject({ name: 'listed third' });
    loader.clearAll();
    await expect(loader.load('vm1')).rejects.toThrow('upstream down');
    expect(asked).toEqual(['vm1', 'vm2', 'vm2', 'vm1']);
    // Forgotten by the loader, still listed: seen stays true.
    expect(listed.listed('vm2')).toBe(true);
  });

  it('indexes a list object once, whatever the number of requests that add it', () => {
    const list = [instance('vm1')];
    let keyed = 0;
    const counting = (item: Instance): string => {
      keyed++;
      return item.nativeId;
    };
    for (let request = 0; request < 3; request++) {
      const listed = new ListedInstances();
      listed.add(list, counting);
      expect(listed.listed('vm1')).toBe(true);
    }
    expect(keyed).toBe(1);
  });
});
